//! Creating, changing and deleting sites; each write keeps its field-level
//! history and appends its audit event in the same transaction.

use super::changes::{self, require, still_referenced};
use crate::api::error::AppError;
use crate::domain::access::Permission;
use crate::domain::inventory::site::Site;
use crate::domain::inventory::RecordKey;
use crate::domain::runbook::RunbookScope;
use crate::domain::timestamp::Timestamp;
use crate::server::auth::Granted;
use crate::server::db::{self, Db};

/// Creates `site` (no `original`), or replaces the one stored under
/// `original`, which `site` may rename.
pub async fn save(
    db: &Db,
    granted: &Granted,
    original: Option<&RecordKey>,
    site: Site,
    now: Timestamp,
) -> Result<Site, AppError> {
    require(granted, Permission::EditReferenceData)?;
    let mut tx = db.begin().await?;
    changes::save(&mut tx, granted, original, &site, now).await?;
    tx.commit().await?;
    Ok(site)
}

/// Deletes a site; refused while services run on it or replicate to or
/// from it.
pub async fn delete(
    db: &Db,
    granted: &Granted,
    key: &RecordKey,
    now: Timestamp,
) -> Result<(), AppError> {
    require(granted, Permission::EditReferenceData)?;
    let mut tx = db.begin().await?;
    let mut referrers = db::services::on_site(&mut tx, key).await?;
    referrers.extend(
        db::replication::on_site(&mut tx, key)
            .await?
            .into_iter()
            .map(|s| format!("the replication of {s}")),
    );
    referrers.extend(db::runbooks::naming(&mut tx, RunbookScope::Site, key).await?);
    referrers.extend(db::failover::naming(&mut tx, RunbookScope::Site, key).await?);
    if !referrers.is_empty() {
        return Err(still_referenced(format!("Site {key}"), &referrers));
    }
    changes::delete::<Site>(&mut tx, granted, key, Vec::new(), now).await?;
    tx.commit().await?;
    Ok(())
}
