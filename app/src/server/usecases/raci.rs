//! RACI assignments on services and processes; each change is kept in the
//! record's own history.

use super::changes::{load, log, require, Write};
use crate::api::error::AppError;
use crate::domain::access::Permission;
use crate::domain::history::FieldChange;
use crate::domain::inventory::process::Process;
use crate::domain::inventory::raci::{RaciAssignment, RaciSubject};
use crate::domain::inventory::service::Service;
use crate::domain::inventory::RecordKey;
use crate::domain::timestamp::Timestamp;
use crate::server::auth::Granted;
use crate::server::db::{self, Db, Tx};

fn change(a: &RaciAssignment, removed: bool) -> FieldChange {
    let (before, after) = match removed {
        true => (Some(a.letter.to_string()), None),
        false => (None, Some(a.letter.to_string())),
    };
    FieldChange {
        field: format!("raci {}", a.party),
        before,
        after,
    }
}

/// Drops a deleted record's assignments; returns them for its history.
pub async fn drop_all(
    tx: &mut Tx,
    subject: RaciSubject,
    key: &RecordKey,
) -> Result<Vec<FieldChange>, AppError> {
    let held = db::raci::of_in(tx, subject, key).await?;
    db::raci::rekey(tx, subject, key, None).await?;
    Ok(held.iter().map(|a| change(a, true)).collect())
}

/// Adds (`removed` false) or removes one RACI letter of a party on a
/// service or process.
pub async fn assign(
    db: &Db,
    granted: &Granted,
    a: RaciAssignment,
    removed: bool,
    now: Timestamp,
) -> Result<(), AppError> {
    require(granted, Permission::EditReferenceData)?;
    let mut tx = db.begin().await?;
    match a.subject {
        RaciSubject::Service => load::<Service>(&mut tx, &a.key).await.map(drop)?,
        RaciSubject::Process => load::<Process>(&mut tx, &a.key).await.map(drop)?,
    }
    let held = db::raci::of_in(&mut tx, a.subject, &a.key)
        .await?
        .contains(&a);
    match (held, removed) {
        (false, false) => db::raci::insert(&mut tx, &a, now).await?,
        (true, true) => db::raci::delete(&mut tx, &a).await?,
        _ => return Ok(()),
    }
    let fields = [change(&a, removed)];
    let write = Write {
        entity_type: a.subject.as_str(),
        key: a.key.as_str(),
        change: "updated",
        action: if removed {
            "raci_unassigned".into()
        } else {
            "raci_assigned".into()
        },
        fields: &fields,
    };
    log(&mut tx, granted, write, now).await?;
    tx.commit().await?;
    Ok(())
}
