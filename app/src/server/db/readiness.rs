//! Queries on readiness snapshots: the scores as of a moment, kept for
//! trends.

use super::Tx;
use crate::domain::scorecard::{ServiceScore, Snapshot};
use crate::domain::timestamp::{format_date, Timestamp};
use crate::on_tx;

/// Rows per multi-row insert: five parameters each, well under either
/// backend's limit.
const CHUNK: usize = 500;

pub async fn insert(tx: &mut Tx, s: &Snapshot) -> anyhow::Result<i64> {
    let tiers = serde_json::to_string(&s.tiers)?;
    let day = format_date(s.taken_at.as_datetime().date());
    let id: i64 = on_tx!(tx, c => sqlx::query_scalar(
        "INSERT INTO readiness_snapshots (taken_at, day, kind, taken_by, portfolio_score, tiers) \
         VALUES ($1, $2, $3, $4, $5, $6) RETURNING id")
        .bind(s.taken_at).bind(&day).bind(s.kind.as_str()).bind(&s.taken_by)
        .bind(s.portfolio_score).bind(&tiers)
        .fetch_one(c).await)?;
    for chunk in s.services.chunks(CHUNK) {
        insert_scores(tx, id, chunk).await?;
    }
    Ok(id)
}

async fn insert_scores(tx: &mut Tx, id: i64, scores: &[ServiceScore]) -> anyhow::Result<()> {
    let values: Vec<String> = (0..scores.len())
        .map(|i| {
            let n = i * 5;
            format!(
                "(${}, ${}, ${}, ${}, ${})",
                n + 1,
                n + 2,
                n + 3,
                n + 4,
                n + 5
            )
        })
        .collect();
    let sql = format!(
        "INSERT INTO readiness_scores (snapshot_id, service, tier, score, passed_checks) VALUES {}",
        values.join(", ")
    );
    on_tx!(tx, c => {
        let mut q = sqlx::query(&sql);
        for s in scores {
            q = q.bind(id).bind(&s.service).bind(i64::from(s.tier))
                .bind(i64::from(s.score)).bind(i64::from(s.passed_checks));
        }
        q.execute(c).await.map(|_| ())
    })?;
    Ok(())
}

/// Whether a snapshot was taken on the day of `at` (UTC).
pub async fn taken_on(tx: &mut Tx, at: Timestamp) -> anyhow::Result<bool> {
    let day = format_date(at.as_datetime().date());
    let n: i64 = on_tx!(tx, c => sqlx::query_scalar(
        "SELECT COUNT(*) FROM readiness_snapshots WHERE day = $1")
        .bind(&day).fetch_one(c).await)?;
    Ok(n > 0)
}

/// The portfolio score of every snapshot since `since`, oldest first.
pub async fn scores_since(tx: &mut Tx, since: Timestamp) -> anyhow::Result<Vec<(Timestamp, f64)>> {
    let rows: Vec<(Timestamp, Option<f64>)> = on_tx!(tx, c => sqlx::query_as(
        "SELECT taken_at, portfolio_score FROM readiness_snapshots WHERE taken_at >= $1 ORDER BY taken_at, id")
        .bind(since).fetch_all(c).await)?;
    Ok(rows
        .into_iter()
        .filter_map(|(at, score)| Some((at, score?)))
        .collect())
}

/// When the newest snapshot was taken.
pub async fn latest(tx: &mut Tx) -> anyhow::Result<Option<Timestamp>> {
    Ok(on_tx!(tx, c => sqlx::query_scalar(
        "SELECT taken_at FROM readiness_snapshots ORDER BY taken_at DESC, id DESC LIMIT 1")
        .fetch_optional(c).await)?)
}
