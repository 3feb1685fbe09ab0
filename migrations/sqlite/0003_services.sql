-- Services, the dependencies between them, and RACI assignments (SPEC §3).
-- Keys are the references: renaming a record cascades, deleting one that
-- is still referenced is refused (the use cases say what refers to it).

CREATE TABLE services (
    id                  INTEGER PRIMARY KEY AUTOINCREMENT,
    key                 TEXT    NOT NULL UNIQUE,
    name                TEXT    NOT NULL,
    kind                TEXT    NOT NULL,
    description         TEXT    NOT NULL,
    owner_team          TEXT    NOT NULL,
    tier                INTEGER,
    primary_site        TEXT    NOT NULL REFERENCES sites (key) ON UPDATE CASCADE,
    secondary_site      TEXT             REFERENCES sites (key) ON UPDATE CASCADE,
    topology            TEXT    NOT NULL,
    recovery_minutes    INTEGER NOT NULL,
    cpu_cores           REAL    NOT NULL,
    memory_gb           REAL    NOT NULL,
    storage_tb          REAL    NOT NULL,
    dns_ttl_seconds     INTEGER NOT NULL,
    data_classification TEXT    NOT NULL,
    data_jurisdictions  TEXT    NOT NULL, -- ';'-separated country codes
    stateful            BOOLEAN NOT NULL,
    created_at          TEXT    NOT NULL,
    updated_at          TEXT    NOT NULL
);
CREATE INDEX services_name ON services (name);
CREATE INDEX services_tier ON services (tier, key);
CREATE INDEX services_primary_site ON services (primary_site);
CREATE INDEX services_secondary_site ON services (secondary_site);
CREATE INDEX services_owner_team ON services (owner_team);

CREATE TABLE dependencies (
    id         INTEGER PRIMARY KEY AUTOINCREMENT,
    service    TEXT    NOT NULL REFERENCES services (key) ON UPDATE CASCADE ON DELETE CASCADE,
    depends_on TEXT    NOT NULL REFERENCES services (key) ON UPDATE CASCADE,
    kind       TEXT    NOT NULL, -- hard, soft
    note       TEXT    NOT NULL,
    created_at TEXT    NOT NULL,
    updated_at TEXT    NOT NULL,
    UNIQUE (service, depends_on),
    CHECK (service <> depends_on)
);
CREATE INDEX dependencies_depends_on ON dependencies (depends_on);

CREATE TABLE raci_assignments (
    id          INTEGER PRIMARY KEY AUTOINCREMENT,
    entity_type TEXT    NOT NULL, -- service, process
    entity_key  TEXT    NOT NULL,
    party       TEXT    NOT NULL, -- a user's e-mail or display name, or a team
    letter      TEXT    NOT NULL, -- R, A, C, I
    created_at  TEXT    NOT NULL,
    UNIQUE (entity_type, entity_key, party, letter)
);
CREATE INDEX raci_party ON raci_assignments (party);
