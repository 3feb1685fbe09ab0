//! Creating, changing and deleting sites; each write keeps its field-level
//! history and appends its audit event in the same transaction.

use super::changes::{key_taken, log, require, still_referenced, Write};
use crate::api::error::AppError;
use crate::domain::access::Permission;
use crate::domain::history::diff;
use crate::domain::inventory::site::Site;
use crate::domain::inventory::RecordKey;
use crate::domain::timestamp::Timestamp;
use crate::server::auth::Granted;
use crate::server::db::{self, Db, Tx};

async fn load(tx: &mut Tx, key: &RecordKey) -> Result<Site, AppError> {
    AppError::found(db::sites::find_in(tx, key).await?, || format!("Site {key}"))
}

pub async fn create(
    db: &Db,
    granted: &Granted,
    site: Site,
    now: Timestamp,
) -> Result<Site, AppError> {
    require(granted, Permission::EditReferenceData)?;
    let mut tx = db.begin().await?;
    if db::sites::find_in(&mut tx, &site.key).await?.is_some() {
        return Err(key_taken("site", &site.key));
    }
    db::sites::insert(&mut tx, &site, now).await?;
    log(
        &mut tx,
        granted,
        Write::of(
            "site",
            site.key.as_str(),
            "created",
            &diff(None, Some(&site.fields())),
        ),
        now,
    )
    .await?;
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
    let before = load(&mut tx, key).await?;
    let changes = diff(Some(&before.fields()), Some(&site.fields()));
    if changes.is_empty() {
        return Ok(site);
    }
    if &site.key != key {
        if db::sites::find_in(&mut tx, &site.key).await?.is_some() {
            return Err(key_taken("site", &site.key));
        }
        db::history::rename(&mut tx, "site", key.as_str(), site.key.as_str()).await?;
    }
    db::sites::update(&mut tx, key, &site, now).await?;
    log(
        &mut tx,
        granted,
        Write::of("site", site.key.as_str(), "updated", &changes),
        now,
    )
    .await?;
    tx.commit().await?;
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
    let before = load(&mut tx, key).await?;
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
