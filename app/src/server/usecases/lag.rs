//! Recording replication lag samples pushed by monitoring; one audit event
//! per push.

use crate::api::error::AppError;
use crate::domain::audit::NewAuditEvent;
use crate::domain::lag::{LagPush, LagSamples};
use crate::domain::timestamp::Timestamp;
use crate::server::auth::Granted;
use crate::server::db::{self, Db};
use serde_json::json;

/// Stores the push's samples; returns how many.
pub async fn record(
    db: &Db,
    granted: &Granted,
    push: LagPush,
    now: Timestamp,
) -> Result<usize, AppError> {
    let lag = LagSamples::parse(&push, now)?;
    super::services::ensure_may_edit(db, granted, Some(&lag.service)).await?;
    let mut tx = db.begin().await?;
    let known = db::replication::of(&mut tx, &lag.service)
        .await?
        .iter()
        .any(|l| l.identity() == lag.identity());
    if !known {
        return Err(AppError::NotFound {
            what: format!("The replication link {}", lag.identity()),
        });
    }
    db::lag::insert(&mut tx, &lag).await?;
    let event = NewAuditEvent::new(
        granted.actor.clone(),
        "lag_recorded",
        "service",
        Some(lag.service.to_string()),
        json!({ "link": lag.identity(), "samples": lag.samples.len() }),
    );
    db::audit::append(&mut tx, event, now).await?;
    tx.commit().await?;
    Ok(lag.samples.len())
}
