-- Business processes and the services they use, vendors and the services
-- that rely on them, and replication links (SPEC §3). As in 0003, keys
-- (and vendor names) are the references and renames cascade.

CREATE TABLE processes (
    id          BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    key         TEXT    NOT NULL UNIQUE,
    name        TEXT    NOT NULL,
    description TEXT    NOT NULL,
    owner       TEXT    NOT NULL,
    criticality TEXT    NOT NULL, -- critical, high, medium, low
    created_at  TIMESTAMPTZ NOT NULL,
    updated_at  TIMESTAMPTZ NOT NULL
);

CREATE TABLE process_services (
    process TEXT NOT NULL REFERENCES processes (key) ON UPDATE CASCADE ON DELETE CASCADE,
    service TEXT NOT NULL REFERENCES services (key) ON UPDATE CASCADE,
    PRIMARY KEY (process, service)
);
CREATE INDEX process_services_service ON process_services (service);

CREATE TABLE vendors (
    id                   BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    name                 TEXT    NOT NULL UNIQUE,
    contact              TEXT    NOT NULL,
    availability_percent DOUBLE PRECISION,
    response_minutes     BIGINT,
    recovery_minutes     BIGINT,
    rpo_minutes          BIGINT,
    contract_end         TEXT, -- YYYY-MM-DD
    created_at           TIMESTAMPTZ NOT NULL,
    updated_at           TIMESTAMPTZ NOT NULL
);

CREATE TABLE vendor_services (
    vendor  TEXT NOT NULL REFERENCES vendors (name) ON UPDATE CASCADE ON DELETE CASCADE,
    service TEXT NOT NULL REFERENCES services (key) ON UPDATE CASCADE,
    PRIMARY KEY (vendor, service)
);
CREATE INDEX vendor_services_service ON vendor_services (service);

CREATE TABLE replication_links (
    id                   BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    service              TEXT    NOT NULL REFERENCES services (key) ON UPDATE CASCADE ON DELETE CASCADE,
    mode                 TEXT    NOT NULL,
    source_site          TEXT    NOT NULL REFERENCES sites (key) ON UPDATE CASCADE,
    target_site          TEXT    NOT NULL REFERENCES sites (key) ON UPDATE CASCADE,
    interval_minutes     BIGINT,
    expected_lag_seconds BIGINT,
    encrypted_in_transit BOOLEAN NOT NULL,
    encrypted_at_rest    BOOLEAN NOT NULL,
    backup_window        TEXT    NOT NULL, -- HH:MM-HH:MM UTC, or empty
    created_at           TIMESTAMPTZ NOT NULL,
    updated_at           TIMESTAMPTZ NOT NULL,
    UNIQUE (service, mode, source_site, target_site),
    CHECK (source_site <> target_site)
);
CREATE INDEX replication_links_source ON replication_links (source_site);
CREATE INDEX replication_links_target ON replication_links (target_site);
