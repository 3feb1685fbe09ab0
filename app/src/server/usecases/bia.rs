//! Keeping a process's BIA (SPEC §6.1): saving changes the draft or starts
//! a new draft version after an approved one; a continuity manager
//! approves the latest draft. Changes are kept in the process's history.

use super::changes::{load, log, require, Write};
use crate::api::error::AppError;
use crate::domain::access::Permission;
use crate::domain::bia::{approved, saved, ApprovalStatus, Bia, BiaTargets};
use crate::domain::history::{diff, FieldChange};
use crate::domain::inventory::process::Process;
use crate::domain::inventory::RecordKey;
use crate::domain::timestamp::Timestamp;
use crate::server::auth::Granted;
use crate::server::db::{self, Db, Tx};

/// The history entries of going from `before` to `after`, each field
/// named with the version: `BIA v2 rto_minutes`.
pub(crate) fn changes(before: Option<&Bia>, after: &Bia) -> Vec<FieldChange> {
    let mut fields = diff(
        before.map(|b| b.targets.fields()).as_ref(),
        Some(&after.targets.fields()),
    );
    if before.is_none_or(|b| b.status != after.status) {
        fields.push(FieldChange {
            field: "status".into(),
            before: before.map(|b| b.status.to_string()),
            after: Some(after.status.to_string()),
        });
    }
    for f in &mut fields {
        f.field = format!("BIA v{} {}", after.version, f.field);
    }
    fields
}

/// Stores `after` over the process's `latest` version, with history and
/// the audit event `action`.
pub(crate) async fn store(
    tx: &mut Tx,
    granted: &Granted,
    latest: Option<&Bia>,
    after: &Bia,
    action: &str,
    now: Timestamp,
) -> Result<(), AppError> {
    db::bia::upsert(tx, after, now).await?;
    let fields = changes(latest, after);
    let write = Write {
        entity_type: "process",
        key: after.process.as_str(),
        change: "updated",
        action: action.into(),
        fields: &fields,
    };
    log(tx, granted, write, now).await
}

pub async fn save(
    db: &Db,
    granted: &Granted,
    process: &RecordKey,
    targets: BiaTargets,
    now: Timestamp,
) -> Result<Bia, AppError> {
    require(granted, Permission::EditReferenceData)?;
    let mut tx = db.begin().await?;
    load::<Process>(&mut tx, process).await?;
    let versions = db::bia::versions(&mut tx, process).await?;
    let latest = versions.first();
    let bia = saved(process, latest, targets);
    if latest.is_some_and(|l| l.targets == bia.targets && l.status == ApprovalStatus::Draft) {
        return Ok(bia);
    }
    store(&mut tx, granted, latest, &bia, "bia_saved", now).await?;
    tx.commit().await?;
    Ok(bia)
}

/// Approves `version`, which must be the latest and a draft.
pub async fn approve(
    db: &Db,
    granted: &Granted,
    process: &RecordKey,
    version: u32,
    now: Timestamp,
) -> Result<Bia, AppError> {
    require(granted, Permission::ApproveRecords)?;
    let mut tx = db.begin().await?;
    load::<Process>(&mut tx, process).await?;
    let versions = db::bia::versions(&mut tx, process).await?;
    let latest = match versions.first() {
        Some(b) if b.version == version && b.status == ApprovalStatus::Draft => b,
        _ => {
            return Err(AppError::Conflict {
                message: format!("Version {version} of the BIA of {process} is not its latest draft; reload the page."),
            })
        }
    };
    let bia = approved(latest, &granted.actor.name, now);
    store(&mut tx, granted, Some(latest), &bia, "bia_approved", now).await?;
    tx.commit().await?;
    Ok(bia)
}
