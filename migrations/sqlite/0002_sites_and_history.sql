-- Sites, and the field-level change history of inventory records (SPEC §6.6).

CREATE TABLE sites (
    id         INTEGER PRIMARY KEY AUTOINCREMENT,
    key        TEXT    NOT NULL UNIQUE,
    name       TEXT    NOT NULL,
    region     TEXT    NOT NULL,
    country    TEXT    NOT NULL,
    kind       TEXT    NOT NULL,
    cpu_cores  REAL    NOT NULL,
    memory_gb  REAL    NOT NULL,
    storage_tb REAL    NOT NULL,
    subnets    TEXT    NOT NULL, -- ';'-separated CIDRs
    vlans      TEXT    NOT NULL, -- ';'-separated VLAN ids
    created_at TEXT    NOT NULL,
    updated_at TEXT    NOT NULL
);

CREATE TABLE change_history (
    id          INTEGER PRIMARY KEY AUTOINCREMENT,
    entity_type TEXT    NOT NULL,
    entity_key  TEXT    NOT NULL,
    change      TEXT    NOT NULL, -- created, updated, deleted
    actor       TEXT    NOT NULL,
    changed_at  TEXT    NOT NULL,
    fields      TEXT    NOT NULL  -- JSON: [{"field", "before", "after"}]
);
CREATE INDEX change_history_entity ON change_history (entity_type, entity_key, changed_at);
