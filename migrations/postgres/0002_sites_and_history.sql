-- Sites, and the field-level change history of inventory records (SPEC §6.6).

CREATE TABLE sites (
    id         BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    key        TEXT             NOT NULL UNIQUE,
    name       TEXT             NOT NULL,
    region     TEXT             NOT NULL,
    country    TEXT             NOT NULL,
    kind       TEXT             NOT NULL,
    cpu_cores  DOUBLE PRECISION NOT NULL,
    memory_gb  DOUBLE PRECISION NOT NULL,
    storage_tb DOUBLE PRECISION NOT NULL,
    subnets    TEXT             NOT NULL, -- ';'-separated CIDRs
    vlans      TEXT             NOT NULL, -- ';'-separated VLAN ids
    created_at TIMESTAMPTZ      NOT NULL,
    updated_at TIMESTAMPTZ      NOT NULL
);

CREATE TABLE change_history (
    id          BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    entity_type TEXT        NOT NULL,
    entity_key  TEXT        NOT NULL,
    change      TEXT        NOT NULL, -- created, updated, deleted
    actor       TEXT        NOT NULL,
    changed_at  TIMESTAMPTZ NOT NULL,
    fields      TEXT        NOT NULL  -- JSON: [{"field", "before", "after"}]
);
CREATE INDEX change_history_entity ON change_history (entity_type, entity_key, changed_at);
