//! Queries on `processes` and the services they use.

use super::links::PROCESS_SERVICES;
use super::Tx;
use crate::domain::inventory::process::{Process, ProcessInput};
use crate::domain::inventory::RecordKey;
use crate::domain::timestamp::Timestamp;
use crate::on_tx;

type Row = (String, String, String, String, String);

const SELECT: &str = "SELECT key, name, description, owner, criticality FROM processes";

/// Rows go through the same checks as input.
fn parse(
    (key, name, description, owner, criticality): Row,
    services: &[RecordKey],
) -> anyhow::Result<Process> {
    Process::parse(&ProcessInput {
        key: key.clone(),
        name,
        description,
        owner,
        criticality,
        services: crate::domain::inventory::key::join_keys(services),
    })
    .map_err(|e| anyhow::anyhow!("process {key} in the database is invalid: {e:?}"))
}

/// Processes whose key, name or owner contains `search` (all when
/// empty), by key.
pub async fn list(tx: &mut Tx, search: &str) -> anyhow::Result<Vec<Process>> {
    let pattern = format!("%{}%", search.trim().to_lowercase().replace(['%', '_'], ""));
    let sql = format!(
        "{SELECT} WHERE LOWER(key) LIKE $1 OR LOWER(name) LIKE $1 OR LOWER(owner) LIKE $1 ORDER BY key"
    );
    let rows: Vec<Row> = on_tx!(tx, c => sqlx::query_as(&sql).bind(&pattern).fetch_all(c).await)?;
    let services = PROCESS_SERVICES.all(tx).await?;
    rows.into_iter()
        .map(|row| {
            let used = services.get(&row.0).map(Vec::as_slice).unwrap_or_default();
            parse(row, used)
        })
        .collect()
}

pub async fn find(tx: &mut Tx, key: &RecordKey) -> anyhow::Result<Option<Process>> {
    let sql = format!("{SELECT} WHERE key = $1");
    let row: Option<Row> =
        on_tx!(tx, c => sqlx::query_as(&sql).bind(key.as_str()).fetch_optional(c).await)?;
    let Some(row) = row else { return Ok(None) };
    let services = PROCESS_SERVICES.of(tx, key.as_str()).await?;
    parse(row, &services).map(Some)
}

pub async fn insert(tx: &mut Tx, p: &Process, now: Timestamp) -> anyhow::Result<()> {
    on_tx!(tx, c => sqlx::query(
        "INSERT INTO processes (key, name, description, owner, criticality, created_at, updated_at) \
         VALUES ($1, $2, $3, $4, $5, $6, $6)")
        .bind(p.key.as_str()).bind(&p.name).bind(&p.description).bind(&p.owner)
        .bind(p.criticality.as_str()).bind(now)
        .execute(c).await.map(|_| ()))?;
    PROCESS_SERVICES
        .replace(tx, p.key.as_str(), &p.services)
        .await
}

/// Replaces the process stored under `key` (which `p` may rename).
pub async fn update(
    tx: &mut Tx,
    key: &RecordKey,
    p: &Process,
    now: Timestamp,
) -> anyhow::Result<()> {
    on_tx!(tx, c => sqlx::query(
        "UPDATE processes SET key = $1, name = $2, description = $3, owner = $4, criticality = $5, \
         updated_at = $6 WHERE key = $7")
        .bind(p.key.as_str()).bind(&p.name).bind(&p.description).bind(&p.owner)
        .bind(p.criticality.as_str()).bind(now).bind(key.as_str())
        .execute(c).await.map(|_| ()))?;
    PROCESS_SERVICES
        .replace(tx, p.key.as_str(), &p.services)
        .await
}

/// Deletes a process; its links to services go with it.
pub async fn delete(tx: &mut Tx, key: &RecordKey) -> anyhow::Result<()> {
    on_tx!(tx, c => sqlx::query("DELETE FROM processes WHERE key = $1").bind(key.as_str()).execute(c).await.map(|_| ()))?;
    Ok(())
}
