//! The append-only `audit_events` chain.

use super::{Db, Tx};
use crate::domain::audit::{AuditEvent, NewAuditEvent, GENESIS_HASH};
use crate::domain::timestamp::Timestamp;
use crate::{on_db, on_tx};

#[derive(sqlx::FromRow)]
struct AuditRow {
    seq: i64,
    occurred_at: Timestamp,
    actor_id: Option<i64>,
    actor: String,
    action: String,
    entity_type: String,
    entity_id: Option<String>,
    details: String,
    prev_hash: String,
    hash: String,
}

impl From<AuditRow> for AuditEvent {
    fn from(r: AuditRow) -> Self {
        AuditEvent {
            seq: r.seq,
            at: r.occurred_at,
            actor_id: r.actor_id,
            actor: r.actor,
            action: r.action,
            entity_type: r.entity_type,
            entity_id: r.entity_id,
            details: r.details,
            prev_hash: r.prev_hash,
            hash: r.hash,
        }
    }
}

const COLUMNS: &str =
    "seq, occurred_at, actor_id, actor, action, entity_type, entity_id, details, prev_hash, hash";

/// Appends `event` after the chain's head, inside the caller's transaction,
/// so the change and its audit event commit or fail together.
pub async fn append(
    tx: &mut Tx,
    event: NewAuditEvent,
    at: Timestamp,
) -> anyhow::Result<AuditEvent> {
    // Serialise appenders: SQLite's BEGIN IMMEDIATE already holds the write
    // lock; PostgreSQL takes a transaction-scoped advisory lock.
    if let Tx::Postgres(t) = tx {
        sqlx::query("SELECT pg_advisory_xact_lock(6601)")
            .execute(&mut **t)
            .await?;
    }
    let head: Option<(i64, String)> = on_tx!(tx, c => sqlx::query_as(
        "SELECT seq, hash FROM audit_events ORDER BY seq DESC LIMIT 1",
    )
    .fetch_optional(c)
    .await)?;
    let (seq, prev) = match head {
        Some((seq, hash)) => (seq + 1, hash),
        None => (1, GENESIS_HASH.to_string()),
    };
    let sealed = event.seal(seq, at, &prev);
    let sql = format!(
        "INSERT INTO audit_events ({COLUMNS}) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10)"
    );
    on_tx!(tx, c => sqlx::query(&sql)
        .bind(sealed.seq)
        .bind(sealed.at)
        .bind(sealed.actor_id)
        .bind(&sealed.actor)
        .bind(&sealed.action)
        .bind(&sealed.entity_type)
        .bind(&sealed.entity_id)
        .bind(&sealed.details)
        .bind(&sealed.prev_hash)
        .bind(&sealed.hash)
        .execute(c)
        .await
        .map(|_| ()))?;
    Ok(sealed)
}

/// Filters of the audit page; `None` matches everything.
#[derive(Clone, Debug, Default)]
pub struct AuditQuery {
    pub actor: Option<String>,
    pub action: Option<String>,
    pub entity_type: Option<String>,
    pub entity_id: Option<String>,
    pub from: Option<Timestamp>,
    pub to: Option<Timestamp>,
    /// Only events with a smaller sequence number (paging backwards).
    pub before_seq: Option<i64>,
    pub limit: i64,
}

/// Newest first.
pub async fn search(db: &Db, q: &AuditQuery) -> anyhow::Result<Vec<AuditEvent>> {
    let sql = format!(
        "SELECT {COLUMNS} FROM audit_events WHERE \
         ($1 IS NULL OR actor LIKE $1) AND ($2 IS NULL OR action = $2) AND \
         ($3 IS NULL OR entity_type = $3) AND ($4 IS NULL OR occurred_at >= $4) AND \
         ($5 IS NULL OR occurred_at < $5) AND ($6 IS NULL OR seq < $6) AND \
         ($8 IS NULL OR entity_id = $8) ORDER BY seq DESC LIMIT $7"
    );
    let actor = q
        .actor
        .as_ref()
        .map(|a| format!("%{}%", a.replace(['%', '_'], "")));
    let rows: Vec<AuditRow> = on_db!(db, p => sqlx::query_as(&sql)
        .bind(&actor)
        .bind(&q.action)
        .bind(&q.entity_type)
        .bind(q.from)
        .bind(q.to)
        .bind(q.before_seq)
        .bind(q.limit)
        .bind(&q.entity_id)
        .fetch_all(p)
        .await)?;
    Ok(rows.into_iter().map(AuditEvent::from).collect())
}

/// Events with `seq > after`, oldest first, at most `limit`: for walking the
/// whole chain in bounded memory.
pub async fn batch_after(db: &Db, after: i64, limit: i64) -> anyhow::Result<Vec<AuditEvent>> {
    let sql = format!("SELECT {COLUMNS} FROM audit_events WHERE seq > $1 ORDER BY seq LIMIT $2");
    let rows: Vec<AuditRow> =
        on_db!(db, p => sqlx::query_as(&sql).bind(after).bind(limit).fetch_all(p).await)?;
    Ok(rows.into_iter().map(AuditEvent::from).collect())
}

pub async fn count(db: &Db) -> anyhow::Result<i64> {
    let n: i64 = on_db!(db, p => sqlx::query_scalar("SELECT COUNT(*) FROM audit_events").fetch_one(p).await)?;
    Ok(n)
}

/// The distinct actions recorded, for the filter's choices.
pub async fn actions(db: &Db) -> anyhow::Result<Vec<String>> {
    let v: Vec<String> = on_db!(db, p => sqlx::query_scalar("SELECT DISTINCT action FROM audit_events ORDER BY action").fetch_all(p).await)?;
    Ok(v)
}
