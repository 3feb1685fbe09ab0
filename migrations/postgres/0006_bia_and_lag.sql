-- BIA versions per business process (SPEC §3, §6.1) and replication lag
-- samples pushed by monitoring (SPEC §8.3), which feed the analysis.

CREATE TABLE bia_entries (
    id              BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    process         TEXT    NOT NULL REFERENCES processes (key) ON UPDATE CASCADE,
    version         BIGINT  NOT NULL,
    impacts         TEXT    NOT NULL, -- 25 ratings 0-4, category by category
    mtpd_minutes    BIGINT  NOT NULL,
    rto_minutes     BIGINT  NOT NULL,
    rpo_minutes     BIGINT  NOT NULL,
    mbco            TEXT    NOT NULL,
    status          TEXT    NOT NULL, -- draft, approved
    approved_by     TEXT,
    approved_at     TIMESTAMPTZ,
    next_review_due TEXT,             -- YYYY-MM-DD
    created_at      TIMESTAMPTZ NOT NULL,
    updated_at      TIMESTAMPTZ NOT NULL,
    UNIQUE (process, version),
    CHECK (rto_minutes <= mtpd_minutes)
);

CREATE TABLE lag_samples (
    id          BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    service     TEXT    NOT NULL,
    mode        TEXT    NOT NULL,
    source_site TEXT    NOT NULL,
    target_site TEXT    NOT NULL,
    measured_at TIMESTAMPTZ NOT NULL,
    lag_seconds DOUBLE PRECISION NOT NULL,
    FOREIGN KEY (service, mode, source_site, target_site)
        REFERENCES replication_links (service, mode, source_site, target_site)
        ON UPDATE CASCADE ON DELETE CASCADE
);
CREATE INDEX lag_samples_link_time ON lag_samples (service, mode, source_site, target_site, measured_at);
CREATE INDEX lag_samples_time ON lag_samples (measured_at);
