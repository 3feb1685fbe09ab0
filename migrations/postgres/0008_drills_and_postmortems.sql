-- Drills with their services and results (SPEC §3, §6.3), post-mortems
-- (§6.4), and action items that call for a retest.

CREATE TABLE drills (
    id           BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    title        TEXT    NOT NULL,
    kind         TEXT    NOT NULL, -- full_failover, partial_failover, component, tabletop
    starts_at    TIMESTAMPTZ NOT NULL,
    ends_at      TIMESTAMPTZ NOT NULL,
    status       TEXT    NOT NULL, -- planned, in_progress, completed, cancelled
    participants TEXT    NOT NULL, -- JSON list of people and vendors
    notes        TEXT    NOT NULL,
    steps        TEXT    NOT NULL DEFAULT '[]', -- JSON: the step log
    completed_at TIMESTAMPTZ,
    created_at   TIMESTAMPTZ NOT NULL,
    updated_at   TIMESTAMPTZ NOT NULL,
    CHECK (ends_at > starts_at)
);
CREATE INDEX drills_start ON drills (starts_at);

CREATE TABLE drill_services (
    drill_id        BIGINT  NOT NULL REFERENCES drills (id) ON DELETE CASCADE,
    service         TEXT    NOT NULL REFERENCES services (key) ON UPDATE CASCADE,
    runbook_version BIGINT,          -- the approved version when planned
    result          TEXT,             -- JSON: measured minutes, data loss, checks, verdict
    PRIMARY KEY (drill_id, service)
);
CREATE INDEX drill_services_service ON drill_services (service);

CREATE TABLE post_mortems (
    id                   BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    source_kind          TEXT    NOT NULL, -- failover, drill
    source_id            BIGINT  NOT NULL,
    title                TEXT    NOT NULL,
    due_at               TIMESTAMPTZ NOT NULL,
    summary              TEXT    NOT NULL,
    timeline             TEXT    NOT NULL,
    contributing_factors TEXT    NOT NULL,
    status               TEXT    NOT NULL, -- open, published
    created_at           TIMESTAMPTZ NOT NULL,
    updated_at           TIMESTAMPTZ NOT NULL,
    UNIQUE (source_kind, source_id)
);

ALTER TABLE action_items ADD COLUMN retest BOOLEAN NOT NULL DEFAULT FALSE;
