-- BIA versions per business process (SPEC §3, §6.1) and replication lag
-- samples pushed by monitoring (SPEC §8.3), which feed the analysis.

CREATE TABLE bia_entries (
    id              INTEGER PRIMARY KEY AUTOINCREMENT,
    process         TEXT    NOT NULL REFERENCES processes (key) ON UPDATE CASCADE,
    version         INTEGER NOT NULL,
    impacts         TEXT    NOT NULL, -- 25 ratings 0-4, category by category
    mtpd_minutes    INTEGER NOT NULL,
    rto_minutes     INTEGER NOT NULL,
    rpo_minutes     INTEGER NOT NULL,
    mbco            TEXT    NOT NULL,
    status          TEXT    NOT NULL, -- draft, approved
    approved_by     TEXT,
    approved_at     TEXT,
    next_review_due TEXT,             -- YYYY-MM-DD
    created_at      TEXT    NOT NULL,
    updated_at      TEXT    NOT NULL,
    UNIQUE (process, version),
    CHECK (rto_minutes <= mtpd_minutes)
);

CREATE TABLE lag_samples (
    id          INTEGER PRIMARY KEY AUTOINCREMENT,
    service     TEXT    NOT NULL,
    mode        TEXT    NOT NULL,
    source_site TEXT    NOT NULL,
    target_site TEXT    NOT NULL,
    measured_at TEXT    NOT NULL,
    lag_seconds REAL    NOT NULL,
    FOREIGN KEY (service, mode, source_site, target_site)
        REFERENCES replication_links (service, mode, source_site, target_site)
        ON UPDATE CASCADE ON DELETE CASCADE
);
CREATE INDEX lag_samples_link_time ON lag_samples (service, mode, source_site, target_site, measured_at);
CREATE INDEX lag_samples_time ON lag_samples (measured_at);
