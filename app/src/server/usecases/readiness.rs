//! Readiness snapshots (SPEC §5.7): the scores kept daily and on demand,
//! so trends can be drawn; and the scorecard the dashboard and the board
//! report show.

use super::analysis::{AnalysisCache, Computed};
use crate::api::error::AppError;
use crate::domain::audit::Actor;
use crate::domain::scorecard::{self, Inputs, Scorecard, Snapshot, SnapshotKind};
use crate::domain::timestamp::Timestamp;
use crate::server::db::{self, Db};
use crate::server::reports::off_thread;
use serde_json::json;
use std::sync::Arc;

/// How far back the scorecard's trend reaches.
const TREND_DAYS: i64 = 365;

/// Takes a snapshot of every service's score now, with its audit event.
pub async fn take(
    db: &Db,
    cache: &AnalysisCache,
    actor: Actor,
    kind: SnapshotKind,
    now: Timestamp,
) -> Result<Snapshot, AppError> {
    let computed = cache.current(db, now).await?;
    let snapshot = scorecard::snapshot(&computed.analysis, kind, &actor.name, now);
    let mut tx = db.begin().await?;
    let id = db::readiness::insert(&mut tx, &snapshot).await?;
    let details = json!({
        "kind": kind.as_str(),
        "portfolio_score": snapshot.portfolio_score,
        "services": snapshot.services.len(),
    });
    let what = "readiness_snapshot";
    super::audit::event(
        &mut tx,
        actor,
        "readiness_snapshot_taken",
        what,
        id,
        details,
        now,
    )
    .await?;
    tx.commit().await?;
    Ok(snapshot)
}

/// Takes the day's snapshot unless one was taken today; true when it did.
pub async fn ensure_daily(
    db: &Db,
    cache: &AnalysisCache,
    now: Timestamp,
) -> Result<bool, AppError> {
    let mut tx = db.read().await?;
    let taken = db::readiness::taken_on(&mut tx, now).await?;
    drop(tx);
    if taken {
        return Ok(false);
    }
    take(db, cache, Actor::system(), SnapshotKind::Daily, now).await?;
    Ok(true)
}

/// Checks hourly, in the background, that today's snapshot exists.
pub fn spawn_daily(db: Db, cache: AnalysisCache) {
    tokio::spawn(async move {
        let mut hourly = tokio::time::interval(std::time::Duration::from_secs(3600));
        loop {
            hourly.tick().await;
            if let Err(err) = ensure_daily(&db, &cache, super::audit::now()).await {
                tracing::warn!(error = %err, "daily readiness snapshot failed");
            }
        }
    });
}

/// Everything the dashboard and the board report show, from `computed`
/// (the analysis as of `now`).
pub async fn scorecard(
    db: &Db,
    computed: Arc<Computed>,
    now: Timestamp,
) -> Result<Scorecard, AppError> {
    let mut tx = db.read().await?;
    let snapshots =
        db::readiness::scores_since(&mut tx, now - time::Duration::days(TREND_DAYS)).await?;
    let actions = db::recoveries::all_actions(&mut tx).await?;
    let trends = super::trends::load(&mut tx, &computed).await?;
    drop(tx);
    let sites = {
        let computed = computed.clone();
        off_thread(move || Ok(computed.site_summaries().to_vec())).await?
    };
    let coverage = computed.coverage(now.as_datetime().date());
    Ok(scorecard::build(
        &computed.analysis,
        Inputs {
            coverage: &coverage,
            actions: &actions,
            snapshots: &snapshots,
            sites,
            mttr: trends.mttr.to_vec(),
        },
        now,
    ))
}
