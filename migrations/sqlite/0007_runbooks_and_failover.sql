-- Runbooks (SPEC §3), failover requests with their decisions and step
-- log (§5.6, §6.2), measured recoveries (§5.3) and action items (§3).

CREATE TABLE runbooks (
    id              INTEGER PRIMARY KEY AUTOINCREMENT,
    scope           TEXT    NOT NULL, -- service, site
    service         TEXT    REFERENCES services (key) ON UPDATE CASCADE,
    site            TEXT    REFERENCES sites (key) ON UPDATE CASCADE,
    version         INTEGER NOT NULL,
    steps           TEXT    NOT NULL, -- JSON: the forward steps
    rollback        TEXT    NOT NULL, -- JSON: rollback and reconciliation
    status          TEXT    NOT NULL, -- draft, approved
    approved_by     TEXT,
    approved_at     TEXT,
    next_review_due TEXT,             -- YYYY-MM-DD
    created_at      TEXT    NOT NULL,
    updated_at      TEXT    NOT NULL,
    CHECK ((scope = 'service' AND service IS NOT NULL AND site IS NULL)
        OR (scope = 'site' AND site IS NOT NULL AND service IS NULL))
);
CREATE UNIQUE INDEX runbooks_version ON runbooks (scope, COALESCE(service, site), version);

CREATE TABLE failover_requests (
    id                  INTEGER PRIMARY KEY AUTOINCREMENT,
    site                TEXT    REFERENCES sites (key) ON UPDATE CASCADE, -- NULL: a list of services
    direction           TEXT    NOT NULL, -- failover, failback
    reason              TEXT    NOT NULL,
    severity            TEXT    NOT NULL, -- sev1 .. sev4
    requested_by_id     INTEGER REFERENCES users (id),
    requested_by        TEXT    NOT NULL,
    requested_at        TEXT    NOT NULL,
    expires_at          TEXT    NOT NULL,
    required_approvals  INTEGER NOT NULL,
    status              TEXT    NOT NULL,
    break_glass         TEXT,             -- the admin's justification
    started_at          TEXT,
    rollback_started_at TEXT,
    finished_at         TEXT,
    created_at          TEXT    NOT NULL,
    updated_at          TEXT    NOT NULL
);
CREATE INDEX failover_requests_status ON failover_requests (status);

CREATE TABLE failover_services (
    request_id INTEGER NOT NULL REFERENCES failover_requests (id) ON DELETE CASCADE,
    position   INTEGER NOT NULL,
    service    TEXT    NOT NULL REFERENCES services (key) ON UPDATE CASCADE,
    PRIMARY KEY (request_id, service)
);
CREATE INDEX failover_services_service ON failover_services (service);

CREATE TABLE failover_decisions (
    id         INTEGER PRIMARY KEY AUTOINCREMENT,
    request_id INTEGER NOT NULL REFERENCES failover_requests (id) ON DELETE CASCADE,
    user_id    INTEGER NOT NULL REFERENCES users (id),
    user_name  TEXT    NOT NULL,
    approve    BOOLEAN NOT NULL,
    comment    TEXT    NOT NULL,
    decided_at TEXT    NOT NULL,
    UNIQUE (request_id, user_id)
);

CREATE TABLE failover_steps (
    request_id       INTEGER NOT NULL REFERENCES failover_requests (id) ON DELETE CASCADE,
    section          TEXT    NOT NULL, -- main, rollback
    position         INTEGER NOT NULL,
    step             TEXT    NOT NULL, -- JSON: the runbook step as planned
    started_at       TEXT,
    started_by       TEXT,
    finished_at      TEXT,
    finished_by      TEXT,
    outcome          TEXT,             -- succeeded, failed, skipped
    note             TEXT    NOT NULL,
    PRIMARY KEY (request_id, section, position)
);

-- What a real failover or a drill measured for a service.
CREATE TABLE recoveries (
    id                INTEGER PRIMARY KEY AUTOINCREMENT,
    service           TEXT    NOT NULL REFERENCES services (key) ON UPDATE CASCADE ON DELETE CASCADE,
    event_kind        TEXT    NOT NULL, -- failover, drill
    event_id          INTEGER NOT NULL,
    measured_minutes  INTEGER NOT NULL,
    data_loss_minutes INTEGER,
    recorded_at       TEXT    NOT NULL
);
CREATE INDEX recoveries_service ON recoveries (service, recorded_at);

CREATE TABLE action_items (
    id          INTEGER PRIMARY KEY AUTOINCREMENT,
    title       TEXT    NOT NULL,
    owner       TEXT    NOT NULL,
    due_on      TEXT    NOT NULL,             -- YYYY-MM-DD
    status      TEXT    NOT NULL,             -- open, done
    link        TEXT    NOT NULL,             -- what it changes, e.g. failover/12
    source_kind TEXT    NOT NULL,             -- failover, drill
    source_id   INTEGER NOT NULL,
    created_at  TEXT    NOT NULL,
    updated_at  TEXT    NOT NULL
);
CREATE INDEX action_items_source ON action_items (source_kind, source_id);

-- A request page polls for its newest audit event.
CREATE INDEX audit_events_entity ON audit_events (entity_type, entity_id, seq);
