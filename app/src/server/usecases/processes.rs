//! Creating, changing and deleting business processes; the services they
//! use must exist, and their RACI assignments follow a rename.

use super::changes::{self, require, services_exist, still_referenced};
use crate::api::error::AppError;
use crate::domain::access::Permission;
use crate::domain::inventory::process::Process;
use crate::domain::inventory::raci::RaciSubject;
use crate::domain::inventory::RecordKey;
use crate::domain::timestamp::Timestamp;
use crate::server::auth::Granted;
use crate::server::db::{self, Db};

/// Creates `process` (no `original`), or replaces the one stored under
/// `original`, which `process` may rename.
pub async fn save(
    db: &Db,
    granted: &Granted,
    original: Option<&RecordKey>,
    process: Process,
    now: Timestamp,
) -> Result<Process, AppError> {
    require(granted, Permission::EditReferenceData)?;
    let mut tx = db.begin().await?;
    services_exist(&mut tx, "services", &process.services).await?;
    changes::save(&mut tx, granted, original, &process, now).await?;
    if let Some(key) = original.filter(|k| **k != process.key) {
        db::raci::rekey(&mut tx, RaciSubject::Process, key, Some(&process.key)).await?;
    }
    tx.commit().await?;
    Ok(process)
}

/// Deletes a process with its links to services and its assignments;
/// refused once it has a BIA, which the audit trail must keep.
pub async fn delete(
    db: &Db,
    granted: &Granted,
    key: &RecordKey,
    now: Timestamp,
) -> Result<(), AppError> {
    require(granted, Permission::EditReferenceData)?;
    let mut tx = db.begin().await?;
    let versions = db::bia::versions(&mut tx, key).await?;
    if !versions.is_empty() {
        let names: Vec<String> = versions
            .iter()
            .map(|b| format!("its BIA version {}", b.version))
            .collect();
        return Err(still_referenced(format!("Process {key}"), &names));
    }
    let assignments = super::raci::drop_all(&mut tx, RaciSubject::Process, key).await?;
    changes::delete::<Process>(&mut tx, granted, key, assignments, now).await?;
    tx.commit().await?;
    Ok(())
}
