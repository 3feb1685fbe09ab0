//! Creating, changing and deleting sites; each write keeps its field-level
//! history and appends its audit event in the same transaction.

use super::changes::{self, load, log, require, still_referenced, Write};
use crate::api::error::AppError;
use crate::domain::access::Permission;
use crate::domain::history::diff;
use crate::domain::inventory::site::Site;
use crate::domain::inventory::RecordKey;
use crate::domain::timestamp::Timestamp;
use crate::server::auth::Granted;
use crate::server::db::{self, Db};

pub async fn create(
    db: &Db,
    granted: &Granted,
    site: Site,
    now: Timestamp,
) -> Result<Site, AppError> {
    require(granted, Permission::EditReferenceData)?;
    let mut tx = db.begin().await?;
    changes::create(&mut tx, granted, &site, now).await?;
    tx.commit().await?;
    Ok(site)
}

/// Replaces the site stored under `key` with `site`, which may rename it.
pub async fn update(
    db: &Db,
    granted: &Granted,
    key: &RecordKey,
    site: Site,
    now: Timestamp,
) -> Result<Site, AppError> {
    require(granted, Permission::EditReferenceData)?;
    let mut tx = db.begin().await?;
    let before: Site = load(&mut tx, key).await?;
    if changes::update(&mut tx, granted, key, &before, &site, now).await? {
        tx.commit().await?;
    }
    Ok(site)
}

pub async fn delete(
    db: &Db,
    granted: &Granted,
    key: &RecordKey,
    now: Timestamp,
) -> Result<(), AppError> {
    require(granted, Permission::EditReferenceData)?;
    let mut tx = db.begin().await?;
    let before: Site = load(&mut tx, key).await?;
    let services = db::services::on_site(&mut tx, key).await?;
    if !services.is_empty() {
        return Err(still_referenced(format!("Site {key}"), &services));
    }
    db::sites::delete(&mut tx, key).await?;
    log(
        &mut tx,
        granted,
        Write::of(
            "site",
            key.as_str(),
            "deleted",
            &diff(Some(&before.fields()), None),
        ),
        now,
    )
    .await?;
    tx.commit().await?;
    Ok(())
}
