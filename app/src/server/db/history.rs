//! Queries on `change_history`.

use super::{Db, Tx};
use crate::domain::history::{FieldChange, HistoryEntry};
use crate::domain::timestamp::Timestamp;
use crate::{on_db, on_tx};
use anyhow::Context as _;

pub struct Change<'a> {
    pub entity_type: &'a str,
    pub entity_key: &'a str,
    /// created, updated or deleted
    pub change: &'a str,
    pub actor: &'a str,
    pub fields: &'a [FieldChange],
}

pub async fn record(tx: &mut Tx, change: Change<'_>, at: Timestamp) -> anyhow::Result<()> {
    record_all(tx, &[change], at).await
}

/// Keeps many changes, a chunk of rows per statement (imports).
pub async fn record_all(tx: &mut Tx, changes: &[Change<'_>], at: Timestamp) -> anyhow::Result<()> {
    for chunk in changes.chunks(super::CHUNK) {
        let sql = format!(
            "INSERT INTO change_history (entity_type, entity_key, change, actor, changed_at, fields) VALUES {}",
            super::values(chunk.len(), 6)
        );
        let mut fields = Vec::with_capacity(chunk.len());
        for c in chunk {
            fields.push(serde_json::to_string(c.fields).context("serialising field changes")?);
        }
        on_tx!(tx, conn => {
            let mut q = sqlx::query(&sql);
            for (c, f) in chunk.iter().zip(&fields) {
                q = q.bind(c.entity_type).bind(c.entity_key).bind(c.change).bind(c.actor).bind(at).bind(f.as_str());
            }
            q.execute(conn).await.map(|_| ())
        })?;
    }
    Ok(())
}

#[derive(sqlx::FromRow)]
struct HistoryRow {
    change: String,
    actor: String,
    changed_at: Timestamp,
    fields: String,
}

/// A record's history, newest first.
pub async fn of(db: &Db, entity_type: &str, entity_key: &str) -> anyhow::Result<Vec<HistoryEntry>> {
    let rows: Vec<HistoryRow> = on_db!(db, p => sqlx::query_as(
        "SELECT change, actor, changed_at, fields FROM change_history \
         WHERE entity_type = $1 AND entity_key = $2 ORDER BY id DESC",
    )
    .bind(entity_type)
    .bind(entity_key)
    .fetch_all(p)
    .await)?;
    rows.into_iter()
        .map(|r| {
            Ok(HistoryEntry {
                change: r.change,
                actor: r.actor,
                at: r.changed_at,
                fields: serde_json::from_str(&r.fields).context("reading field changes")?,
            })
        })
        .collect()
}

/// Keeps a renamed record's history with it.
pub async fn rename(tx: &mut Tx, entity_type: &str, from: &str, to: &str) -> anyhow::Result<()> {
    on_tx!(tx, c => sqlx::query("UPDATE change_history SET entity_key = $1 WHERE entity_type = $2 AND entity_key = $3")
        .bind(to)
        .bind(entity_type)
        .bind(from)
        .execute(c)
        .await
        .map(|_| ()))?;
    Ok(())
}
