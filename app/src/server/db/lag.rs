//! Queries on `lag_samples`.

use super::Tx;
use crate::domain::lag::LagSamples;
use crate::domain::timestamp::Timestamp;
use crate::on_tx;
use std::collections::HashMap;

/// Every link's samples since `since`, in seconds, by link identity.
pub async fn since(tx: &mut Tx, since: Timestamp) -> anyhow::Result<HashMap<String, Vec<f64>>> {
    let rows: Vec<(String, String, String, String, f64)> = on_tx!(tx, c => sqlx::query_as(
        "SELECT service, mode, source_site, target_site, lag_seconds FROM lag_samples WHERE measured_at >= $1"
    ).bind(since).fetch_all(c).await)?;
    let mut by_link: HashMap<String, Vec<f64>> = HashMap::new();
    for (service, mode, source, target, lag) in rows {
        by_link
            .entry(format!("{service} {mode} {source} -> {target}"))
            .or_default()
            .push(lag);
    }
    Ok(by_link)
}

/// Stores a push's samples, a chunk of rows per statement.
pub async fn insert(tx: &mut Tx, lag: &LagSamples) -> anyhow::Result<()> {
    for chunk in lag.samples.chunks(super::CHUNK) {
        let sql = format!(
            "INSERT INTO lag_samples (service, mode, source_site, target_site, measured_at, lag_seconds) VALUES {}",
            super::values(chunk.len(), 6)
        );
        on_tx!(tx, c => {
            let mut q = sqlx::query(&sql);
            for (at, seconds) in chunk {
                q = q.bind(lag.service.as_str()).bind(lag.mode.as_str()).bind(lag.source_site.as_str())
                    .bind(lag.target_site.as_str()).bind(*at).bind(*seconds);
            }
            q.execute(c).await.map(|_| ())
        })?;
    }
    Ok(())
}

/// The newest audit event and the newest lag sample: every change to what
/// the analysis reads moves one of them.
pub async fn change_marks(tx: &mut Tx) -> anyhow::Result<(i64, i64)> {
    let marks: (i64, i64) = on_tx!(tx, c => sqlx::query_as(
        "SELECT COALESCE((SELECT MAX(seq) FROM audit_events), 0), COALESCE((SELECT MAX(id) FROM lag_samples), 0)"
    ).fetch_one(c).await)?;
    Ok(marks)
}
