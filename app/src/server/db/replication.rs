//! Queries on `replication_links`.

use super::Tx;
use crate::domain::inventory::replication::{ReplicationInput, ReplicationLink};
use crate::domain::inventory::RecordKey;
use crate::domain::timestamp::Timestamp;
use crate::on_tx;

#[derive(sqlx::FromRow)]
struct LinkRow {
    service: String,
    mode: String,
    source_site: String,
    target_site: String,
    interval_minutes: Option<i64>,
    expected_lag_seconds: Option<i64>,
    encrypted_in_transit: bool,
    encrypted_at_rest: bool,
    backup_window: String,
}

impl LinkRow {
    /// Rows go through the same checks as input.
    fn into_link(self) -> anyhow::Result<ReplicationLink> {
        let text = |v: Option<i64>| v.map(|v| v.to_string()).unwrap_or_default();
        let service = self.service.clone();
        ReplicationLink::parse(&ReplicationInput {
            service: self.service,
            mode: self.mode,
            source_site: self.source_site,
            target_site: self.target_site,
            interval_minutes: text(self.interval_minutes),
            expected_lag_seconds: text(self.expected_lag_seconds),
            encrypted_in_transit: self.encrypted_in_transit.to_string(),
            encrypted_at_rest: self.encrypted_at_rest.to_string(),
            backup_window: self.backup_window,
        })
        .map_err(|e| {
            anyhow::anyhow!("a replication link of {service} in the database is invalid: {e:?}")
        })
    }
}

const SELECT: &str = "SELECT service, mode, source_site, target_site, interval_minutes, \
    expected_lag_seconds, encrypted_in_transit, encrypted_at_rest, backup_window FROM replication_links";
const ORDER: &str = "ORDER BY service, mode, source_site, target_site";

fn parse_all(rows: Vec<LinkRow>) -> anyhow::Result<Vec<ReplicationLink>> {
    rows.into_iter().map(LinkRow::into_link).collect()
}

/// Every link (for export, import and analysis).
pub async fn all(tx: &mut Tx) -> anyhow::Result<Vec<ReplicationLink>> {
    let sql = format!("{SELECT} {ORDER}");
    parse_all(on_tx!(tx, c => sqlx::query_as(&sql).fetch_all(c).await)?)
}

/// One service's links.
pub async fn of(tx: &mut Tx, service: &RecordKey) -> anyhow::Result<Vec<ReplicationLink>> {
    let sql = format!("{SELECT} WHERE service = $1 {ORDER}");
    parse_all(on_tx!(tx, c => sqlx::query_as(&sql).bind(service.as_str()).fetch_all(c).await)?)
}

/// The services with a link from or to `site`.
pub async fn on_site(tx: &mut Tx, site: &RecordKey) -> anyhow::Result<Vec<String>> {
    let keys: Vec<String> = on_tx!(tx, c => sqlx::query_scalar(
        "SELECT DISTINCT service FROM replication_links WHERE source_site = $1 OR target_site = $1 ORDER BY service"
    ).bind(site.as_str()).fetch_all(c).await)?;
    Ok(keys)
}

/// Adds links, or replaces the settings of those that exist (same
/// service, mode and sites), a chunk of rows per statement; a chunk must
/// not hold the same link twice.
pub async fn upsert_all(
    tx: &mut Tx,
    links: &[&ReplicationLink],
    now: Timestamp,
) -> anyhow::Result<()> {
    for chunk in links.chunks(super::CHUNK) {
        let sql = format!(
            "INSERT INTO replication_links (service, mode, source_site, target_site, interval_minutes, \
             expected_lag_seconds, encrypted_in_transit, encrypted_at_rest, backup_window, created_at, updated_at) \
             VALUES {} ON CONFLICT (service, mode, source_site, target_site) DO UPDATE SET \
             interval_minutes = excluded.interval_minutes, expected_lag_seconds = excluded.expected_lag_seconds, \
             encrypted_in_transit = excluded.encrypted_in_transit, encrypted_at_rest = excluded.encrypted_at_rest, \
             backup_window = excluded.backup_window, updated_at = excluded.updated_at",
            super::values(chunk.len(), 11)
        );
        on_tx!(tx, c => {
            let mut q = sqlx::query(&sql);
            for l in chunk {
                let window = l.backup_window.map(|w| w.to_string()).unwrap_or_default();
                q = q.bind(l.service.as_str()).bind(l.mode.as_str()).bind(l.source_site.as_str())
                    .bind(l.target_site.as_str()).bind(l.interval_minutes.map(i64::from))
                    .bind(l.expected_lag_seconds.map(i64::from)).bind(l.encrypted_in_transit)
                    .bind(l.encrypted_at_rest).bind(window).bind(now).bind(now);
            }
            q.execute(c).await.map(|_| ())
        })?;
    }
    Ok(())
}

pub async fn delete(tx: &mut Tx, l: &ReplicationLink) -> anyhow::Result<()> {
    on_tx!(tx, c => sqlx::query(
        "DELETE FROM replication_links WHERE service = $1 AND mode = $2 AND source_site = $3 AND target_site = $4")
        .bind(l.service.as_str()).bind(l.mode.as_str()).bind(l.source_site.as_str()).bind(l.target_site.as_str())
        .execute(c).await.map(|_| ()))?;
    Ok(())
}
