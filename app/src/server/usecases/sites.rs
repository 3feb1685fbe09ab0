//! Creating, changing and deleting sites; each write keeps its field-level
//! history and appends its audit event in the same transaction.

use crate::api::error::AppError;
use crate::domain::access::Permission;
use crate::domain::audit::NewAuditEvent;
use crate::domain::history::{diff, FieldChange};
use crate::domain::inventory::site::Site;
use crate::domain::inventory::RecordKey;
use crate::domain::timestamp::Timestamp;
use crate::server::auth::Granted;
use crate::server::db::{self, history::Change, Db, Tx};
use serde_json::json;

fn require_edit(granted: &Granted) -> Result<(), AppError> {
    match granted.permission {
        Permission::EditReferenceData => Ok(()),
        _ => Err(AppError::Forbidden {
            message: "Editing sites needs the edit-reference-data permission.".into(),
        }),
    }
}

async fn log(
    tx: &mut Tx,
    granted: &Granted,
    key: &str,
    change: &str,
    fields: &[FieldChange],
    now: Timestamp,
) -> Result<(), AppError> {
    let record = Change {
        entity_type: "site",
        entity_key: key,
        change,
        actor: &granted.actor.name,
        fields,
    };
    db::history::record(tx, record, now).await?;
    let event = NewAuditEvent::new(
        granted.actor.clone(),
        &format!("site_{change}"),
        "site",
        Some(key.to_string()),
        json!({ "changes": fields }),
    );
    db::audit::append(tx, event, now).await?;
    Ok(())
}

async fn load(tx: &mut Tx, key: &RecordKey) -> Result<Site, AppError> {
    db::sites::find_in(tx, key)
        .await?
        .ok_or_else(|| AppError::NotFound {
            what: format!("Site {key}"),
        })
}

fn key_taken(key: &RecordKey) -> AppError {
    AppError::validation("key", format!("a site with the key {key} exists already"))
}

pub async fn create(
    db: &Db,
    granted: &Granted,
    site: Site,
    now: Timestamp,
) -> Result<Site, AppError> {
    require_edit(granted)?;
    let mut tx = db.begin().await?;
    if db::sites::find_in(&mut tx, &site.key).await?.is_some() {
        return Err(key_taken(&site.key));
    }
    db::sites::insert(&mut tx, &site, now).await?;
    log(
        &mut tx,
        granted,
        site.key.as_str(),
        "created",
        &diff(None, Some(&site.fields())),
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
    require_edit(granted)?;
    let mut tx = db.begin().await?;
    let before = load(&mut tx, key).await?;
    let changes = diff(Some(&before.fields()), Some(&site.fields()));
    if changes.is_empty() {
        return Ok(site);
    }
    if &site.key != key {
        if db::sites::find_in(&mut tx, &site.key).await?.is_some() {
            return Err(key_taken(&site.key));
        }
        db::history::rename(&mut tx, "site", key.as_str(), site.key.as_str()).await?;
    }
    db::sites::update(&mut tx, key, &site, now).await?;
    log(
        &mut tx,
        granted,
        site.key.as_str(),
        "updated",
        &changes,
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
    require_edit(granted)?;
    let mut tx = db.begin().await?;
    let before = load(&mut tx, key).await?;
    db::sites::delete(&mut tx, key).await?;
    log(
        &mut tx,
        granted,
        key.as_str(),
        "deleted",
        &diff(Some(&before.fields()), None),
        now,
    )
    .await?;
    tx.commit().await?;
    Ok(())
}
