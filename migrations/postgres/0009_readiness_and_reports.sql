-- Readiness snapshots (SPEC §5.7: daily and on demand, for trends),
-- the server's signing key for evidence packs, and report exports run
-- in the background (SPEC §7).

CREATE TABLE readiness_snapshots (
    id              BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    taken_at        TIMESTAMPTZ NOT NULL,
    day             TEXT    NOT NULL, -- UTC date, YYYY-MM-DD
    kind            TEXT    NOT NULL, -- daily, on_demand
    taken_by        TEXT    NOT NULL,
    portfolio_score DOUBLE PRECISION,           -- NULL without services
    tiers           TEXT    NOT NULL  -- JSON: per tier services, mean score, weight
);
CREATE INDEX readiness_snapshots_day ON readiness_snapshots (day);

CREATE TABLE readiness_scores (
    snapshot_id   BIGINT  NOT NULL REFERENCES readiness_snapshots (id) ON DELETE CASCADE,
    service       TEXT    NOT NULL,
    tier          BIGINT  NOT NULL,
    score         BIGINT  NOT NULL,
    passed_checks BIGINT  NOT NULL, -- bit i: check i of §5.7 passed
    PRIMARY KEY (snapshot_id, service)
);
CREATE INDEX readiness_scores_service ON readiness_scores (service);

CREATE TABLE signing_keys (
    id         INTEGER PRIMARY KEY CHECK (id = 1),
    public_key TEXT    NOT NULL, -- hex, Ed25519
    secret_key TEXT    NOT NULL, -- hex, Ed25519 seed
    created_at TIMESTAMPTZ NOT NULL
);

CREATE TABLE report_jobs (
    id           BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    kind         TEXT    NOT NULL, -- board, evidence
    user_id      BIGINT  NOT NULL REFERENCES users (id),
    period_from  TEXT,             -- evidence packs: YYYY-MM-DD
    period_to    TEXT,
    status       TEXT    NOT NULL, -- running, done, failed
    progress     BIGINT  NOT NULL, -- percent
    stage        TEXT    NOT NULL,
    error        TEXT,
    file_name    TEXT,
    content      BYTEA,
    sha256       TEXT,
    created_at   TIMESTAMPTZ NOT NULL,
    finished_at  TIMESTAMPTZ
);
CREATE INDEX report_jobs_user ON report_jobs (user_id, id);
