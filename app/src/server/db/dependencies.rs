//! Queries on `dependencies`.

use super::{Db, Tx};
use crate::domain::inventory::graph::Edge;
use crate::domain::inventory::service::{Dependency, DependencyKind};
use crate::domain::inventory::RecordKey;
use crate::domain::timestamp::Timestamp;
use crate::{on_db, on_tx};

#[derive(sqlx::FromRow)]
struct DependencyRow {
    service: String,
    depends_on: String,
    kind: String,
    note: String,
}

impl DependencyRow {
    fn into_dependency(self) -> anyhow::Result<Dependency> {
        Dependency::parse(&self.service, &self.depends_on, &self.kind, &self.note).map_err(|e| {
            anyhow::anyhow!(
                "dependency {} -> {} in the database is invalid: {e:?}",
                self.service,
                self.depends_on
            )
        })
    }
}

fn parse_all(rows: Vec<DependencyRow>) -> anyhow::Result<Vec<Dependency>> {
    rows.into_iter()
        .map(DependencyRow::into_dependency)
        .collect()
}

const COLUMNS: &str = "service, depends_on, kind, note";

/// What `key` depends on and what depends on it, directly.
pub async fn around(db: &Db, key: &RecordKey) -> anyhow::Result<Vec<Dependency>> {
    let sql = format!(
        "SELECT {COLUMNS} FROM dependencies WHERE service = $1 OR depends_on = $1 \
         ORDER BY service, depends_on"
    );
    let rows: Vec<DependencyRow> =
        on_db!(db, p => sqlx::query_as(&sql).bind(key.as_str()).fetch_all(p).await)?;
    parse_all(rows)
}

/// What `key` depends on, directly.
pub async fn of_in(tx: &mut Tx, key: &RecordKey) -> anyhow::Result<Vec<Dependency>> {
    let sql = format!("SELECT {COLUMNS} FROM dependencies WHERE service = $1 ORDER BY depends_on");
    let rows: Vec<DependencyRow> =
        on_tx!(tx, c => sqlx::query_as(&sql).bind(key.as_str()).fetch_all(c).await)?;
    parse_all(rows)
}

/// The services that depend on `key`, directly.
pub async fn dependents_in(tx: &mut Tx, key: &RecordKey) -> anyhow::Result<Vec<String>> {
    let keys: Vec<String> = on_tx!(tx, c => sqlx::query_scalar(
        "SELECT service FROM dependencies WHERE depends_on = $1 ORDER BY service"
    ).bind(key.as_str()).fetch_all(c).await)?;
    Ok(keys)
}

/// The edges within `depth` steps of `key`, upstream and downstream.
pub async fn neighbourhood(db: &Db, key: &RecordKey, depth: i64) -> anyhow::Result<Vec<Edge>> {
    const SQL: &str = "WITH RECURSIVE \
        up(service, depends_on, kind, depth) AS ( \
            SELECT service, depends_on, kind, 1 FROM dependencies WHERE service = $1 \
            UNION SELECT d.service, d.depends_on, d.kind, up.depth + 1 \
            FROM dependencies d JOIN up ON d.service = up.depends_on WHERE up.depth < $2), \
        down(service, depends_on, kind, depth) AS ( \
            SELECT service, depends_on, kind, 1 FROM dependencies WHERE depends_on = $1 \
            UNION SELECT d.service, d.depends_on, d.kind, down.depth + 1 \
            FROM dependencies d JOIN down ON d.depends_on = down.service WHERE down.depth < $2) \
        SELECT service, depends_on, kind FROM up UNION SELECT service, depends_on, kind FROM down \
        ORDER BY 1, 2";
    let rows: Vec<(String, String, String)> =
        on_db!(db, p => sqlx::query_as(SQL).bind(key.as_str()).bind(depth).fetch_all(p).await)?;
    rows.into_iter()
        .map(|(from, to, kind)| {
            let kind = DependencyKind::parse_field("kind", &kind)
                .map_err(|e| anyhow::anyhow!("dependency {from} -> {to}: {e}"))?;
            Ok(Edge { from, to, kind })
        })
        .collect()
}

pub async fn find_in(
    tx: &mut Tx,
    service: &RecordKey,
    depends_on: &RecordKey,
) -> anyhow::Result<Option<Dependency>> {
    let sql = format!("SELECT {COLUMNS} FROM dependencies WHERE service = $1 AND depends_on = $2");
    let row: Option<DependencyRow> = on_tx!(tx, c => sqlx::query_as(&sql)
        .bind(service.as_str())
        .bind(depends_on.as_str())
        .fetch_optional(c)
        .await)?;
    row.map(DependencyRow::into_dependency).transpose()
}

/// Every dependency (for export and analysis).
pub async fn all(db: &Db) -> anyhow::Result<Vec<Dependency>> {
    let sql = format!("SELECT {COLUMNS} FROM dependencies ORDER BY service, depends_on");
    let rows: Vec<DependencyRow> = on_db!(db, p => sqlx::query_as(&sql).fetch_all(p).await)?;
    parse_all(rows)
}

pub async fn count(db: &Db) -> anyhow::Result<i64> {
    let n: i64 = on_db!(db, p => sqlx::query_scalar("SELECT COUNT(*) FROM dependencies").fetch_one(p).await)?;
    Ok(n)
}

/// Adds `d`, or replaces its kind and note if it exists.
pub async fn upsert(tx: &mut Tx, d: &Dependency, now: Timestamp) -> anyhow::Result<()> {
    upsert_all(tx, &[d], now).await
}

/// [`upsert`] for many, a chunk of rows per statement (imports); a chunk
/// must not hold the same pair twice.
pub async fn upsert_all(tx: &mut Tx, deps: &[&Dependency], now: Timestamp) -> anyhow::Result<()> {
    for chunk in deps.chunks(super::CHUNK) {
        let sql = format!(
            "INSERT INTO dependencies (service, depends_on, kind, note, created_at, updated_at) VALUES {} \
             ON CONFLICT (service, depends_on) DO UPDATE SET kind = excluded.kind, note = excluded.note, \
             updated_at = excluded.updated_at",
            super::values(chunk.len(), 6)
        );
        on_tx!(tx, c => {
            let mut q = sqlx::query(&sql);
            for d in chunk {
                q = q.bind(d.service.as_str()).bind(d.depends_on.as_str()).bind(d.kind.as_str()).bind(&d.note).bind(now).bind(now);
            }
            q.execute(c).await.map(|_| ())
        })?;
    }
    Ok(())
}

pub async fn delete(
    tx: &mut Tx,
    service: &RecordKey,
    depends_on: &RecordKey,
) -> anyhow::Result<()> {
    on_tx!(tx, c => sqlx::query("DELETE FROM dependencies WHERE service = $1 AND depends_on = $2")
        .bind(service.as_str())
        .bind(depends_on.as_str())
        .execute(c)
        .await
        .map(|_| ()))?;
    Ok(())
}

/// Every dependency within a transaction (for import).
pub async fn all_in(tx: &mut Tx) -> anyhow::Result<Vec<Dependency>> {
    let sql = format!("SELECT {COLUMNS} FROM dependencies ORDER BY service, depends_on");
    let rows: Vec<DependencyRow> = on_tx!(tx, c => sqlx::query_as(&sql).fetch_all(c).await)?;
    parse_all(rows)
}
