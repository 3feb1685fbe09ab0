//! What every inventory write shares: the permission it needs, its
//! field-level history entry and its audit event, in the write's
//! transaction.

use crate::api::error::AppError;
use crate::domain::access::Permission;
use crate::domain::audit::NewAuditEvent;
use crate::domain::history::FieldChange;
use crate::domain::timestamp::Timestamp;
use crate::server::auth::Granted;
use crate::server::db::{self, history::Change, Tx};
use serde_json::json;

/// Refuses a write whose grant is for another permission.
pub fn require(granted: &Granted, permission: Permission) -> Result<(), AppError> {
    if granted.permission == permission {
        Ok(())
    } else {
        Err(AppError::Forbidden {
            message: format!(
                "This change needs the permission to {}.",
                permission.describe()
            ),
        })
    }
}

/// One change to one record.
pub struct Write<'a> {
    /// The record whose history keeps the change.
    pub entity_type: &'a str,
    pub key: &'a str,
    /// created, updated or deleted
    pub change: &'a str,
    /// The audit action, e.g. `service_created`.
    pub action: String,
    pub fields: &'a [FieldChange],
}

impl<'a> Write<'a> {
    /// A change whose audit action is `<entity_type>_<change>`.
    pub fn of(
        entity_type: &'a str,
        key: &'a str,
        change: &'a str,
        fields: &'a [FieldChange],
    ) -> Self {
        Write {
            entity_type,
            key,
            change,
            action: format!("{entity_type}_{change}"),
            fields,
        }
    }
}

/// Keeps the change in the record's history only: for writes audited as
/// a whole (an import appends one event per file).
pub async fn remember(
    tx: &mut Tx,
    granted: &Granted,
    write: &Write<'_>,
    now: Timestamp,
) -> Result<(), AppError> {
    let record = Change {
        entity_type: write.entity_type,
        entity_key: write.key,
        change: write.change,
        actor: &granted.actor.name,
        fields: write.fields,
    };
    db::history::record(tx, record, now).await?;
    Ok(())
}

/// Keeps the change in the record's history and appends its audit event.
pub async fn log(
    tx: &mut Tx,
    granted: &Granted,
    write: Write<'_>,
    now: Timestamp,
) -> Result<(), AppError> {
    remember(tx, granted, &write, now).await?;
    let event = NewAuditEvent::new(
        granted.actor.clone(),
        &write.action,
        write.entity_type,
        Some(write.key.to_string()),
        json!({ "changes": write.fields }),
    );
    db::audit::append(tx, event, now).await?;
    Ok(())
}

/// The answer when a new key is already used.
pub fn key_taken(what: &str, key: &impl std::fmt::Display) -> AppError {
    AppError::validation("key", format!("a {what} with the key {key} exists already"))
}

/// The answer when a record cannot go because others refer to it.
pub fn still_referenced(what: String, referrers: &[String]) -> AppError {
    AppError::Conflict {
        message: format!(
            "{what} cannot be deleted: {} still refer to it.",
            referrers.join(", ")
        ),
    }
}
