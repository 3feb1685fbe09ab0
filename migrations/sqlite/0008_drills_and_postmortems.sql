-- Drills with their services and results (SPEC §3, §6.3), post-mortems
-- (§6.4), and action items that call for a retest.

CREATE TABLE drills (
    id           INTEGER PRIMARY KEY AUTOINCREMENT,
    title        TEXT    NOT NULL,
    kind         TEXT    NOT NULL, -- full_failover, partial_failover, component, tabletop
    starts_at    TEXT    NOT NULL,
    ends_at      TEXT    NOT NULL,
    status       TEXT    NOT NULL, -- planned, in_progress, completed, cancelled
    participants TEXT    NOT NULL, -- JSON list of people and vendors
    notes        TEXT    NOT NULL,
    steps        TEXT    NOT NULL DEFAULT '[]', -- JSON: the step log
    completed_at TEXT,
    created_at   TEXT    NOT NULL,
    updated_at   TEXT    NOT NULL,
    CHECK (ends_at > starts_at)
);
CREATE INDEX drills_start ON drills (starts_at);

CREATE TABLE drill_services (
    drill_id        INTEGER NOT NULL REFERENCES drills (id) ON DELETE CASCADE,
    service         TEXT    NOT NULL REFERENCES services (key) ON UPDATE CASCADE,
    runbook_version INTEGER,          -- the approved version when planned
    result          TEXT,             -- JSON: measured minutes, data loss, checks, verdict
    PRIMARY KEY (drill_id, service)
);
CREATE INDEX drill_services_service ON drill_services (service);

CREATE TABLE post_mortems (
    id                   INTEGER PRIMARY KEY AUTOINCREMENT,
    source_kind          TEXT    NOT NULL, -- failover, drill
    source_id            INTEGER NOT NULL,
    title                TEXT    NOT NULL,
    due_at               TEXT    NOT NULL,
    summary              TEXT    NOT NULL,
    timeline             TEXT    NOT NULL,
    contributing_factors TEXT    NOT NULL,
    status               TEXT    NOT NULL, -- open, published
    created_at           TEXT    NOT NULL,
    updated_at           TEXT    NOT NULL,
    UNIQUE (source_kind, source_id)
);

ALTER TABLE action_items ADD COLUMN retest BOOLEAN NOT NULL DEFAULT FALSE;
