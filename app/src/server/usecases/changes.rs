//! What every inventory write shares: the permission it needs, its
//! field-level history entry and its audit event, in the write's
//! transaction.

use crate::api::error::AppError;
use crate::domain::access::Permission;
use crate::domain::audit::NewAuditEvent;
use crate::domain::history::{diff, FieldChange, Fields};
use crate::domain::inventory::process::Process;
use crate::domain::inventory::service::Service;
use crate::domain::inventory::site::Site;
use crate::domain::inventory::vendor::{Vendor, VendorName};
use crate::domain::inventory::RecordKey;
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

/// Keeps the changes in their records' histories only: for writes
/// audited as a whole (an import appends one event per file).
pub async fn remember(
    tx: &mut Tx,
    granted: &Granted,
    writes: &[Write<'_>],
    now: Timestamp,
) -> Result<(), AppError> {
    let records: Vec<Change> = writes
        .iter()
        .map(|write| Change {
            entity_type: write.entity_type,
            entity_key: write.key,
            change: write.change,
            actor: &granted.actor.name,
            fields: write.fields,
        })
        .collect();
    db::history::record_all(tx, &records, now).await?;
    Ok(())
}

/// Keeps the change in the record's history and appends its audit event.
pub async fn log(
    tx: &mut Tx,
    granted: &Granted,
    write: Write<'_>,
    now: Timestamp,
) -> Result<(), AppError> {
    remember(tx, granted, std::slice::from_ref(&write), now).await?;
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

/// A keyed inventory record as the use cases store it, keeping its
/// history under its own key.
pub(crate) trait Stored: Sized {
    /// What identifies it: a record key, or a vendor's name.
    type Key: AsRef<str> + std::fmt::Display + PartialEq + Sync;
    /// The entity type of its history and audit events.
    const ENTITY: &'static str;
    /// How messages name it.
    const NAME: &'static str;
    fn key(&self) -> &Self::Key;
    fn fields(&self) -> Fields;
    async fn find_in(tx: &mut Tx, key: &Self::Key) -> anyhow::Result<Option<Self>>;
    async fn insert(&self, tx: &mut Tx, now: Timestamp) -> anyhow::Result<()>;
    /// Replaces the record stored under `key`, which `self` may rename.
    async fn replace(&self, tx: &mut Tx, key: &Self::Key, now: Timestamp) -> anyhow::Result<()>;
    async fn remove(tx: &mut Tx, key: &Self::Key) -> anyhow::Result<()>;
}

/// Implements [`Stored`] for a record over its `db` module's `find`,
/// `insert` and `update`.
macro_rules! stored {
    ($record:ty, $key:ty, $field:ident, $entity:literal, $name:literal, $db:ident, $find:ident) => {
        impl Stored for $record {
            type Key = $key;
            const ENTITY: &'static str = $entity;
            const NAME: &'static str = $name;
            fn key(&self) -> &$key {
                &self.$field
            }
            fn fields(&self) -> Fields {
                <$record>::fields(self)
            }
            async fn find_in(tx: &mut Tx, key: &$key) -> anyhow::Result<Option<Self>> {
                db::$db::$find(tx, key).await
            }
            async fn insert(&self, tx: &mut Tx, now: Timestamp) -> anyhow::Result<()> {
                db::$db::insert(tx, self, now).await
            }
            async fn replace(&self, tx: &mut Tx, key: &$key, now: Timestamp) -> anyhow::Result<()> {
                db::$db::update(tx, key, self, now).await
            }
            async fn remove(tx: &mut Tx, key: &$key) -> anyhow::Result<()> {
                db::$db::delete(tx, key).await
            }
        }
    };
}

stored!(Site, RecordKey, key, "site", "Site", sites, find_in);
stored!(Service, RecordKey, key, "service", "Service", services, find_in);
stored!(Process, RecordKey, key, "process", "Process", processes, find);
stored!(Vendor, VendorName, name, "vendor", "Vendor", vendors, find);

/// The record stored under `key`, or not found.
pub(crate) async fn load<T: Stored>(tx: &mut Tx, key: &T::Key) -> Result<T, AppError> {
    AppError::found(T::find_in(tx, key).await?, || format!("{} {key}", T::NAME))
}

/// Stores a new record, refusing a key in use; with history and audit.
pub(crate) async fn create<T: Stored>(
    tx: &mut Tx,
    granted: &Granted,
    record: &T,
    now: Timestamp,
) -> Result<(), AppError> {
    if T::find_in(tx, record.key()).await?.is_some() {
        return Err(key_taken(T::ENTITY, record.key()));
    }
    record.insert(tx, now).await?;
    let fields = diff(None, Some(&record.fields()));
    log(
        tx,
        granted,
        Write::of(T::ENTITY, record.key().as_ref(), "created", &fields),
        now,
    )
    .await
}

/// Replaces `before`, stored under `key`, with `after`, which may rename
/// it (its history follows); with history and audit. Returns whether
/// anything changed.
pub(crate) async fn update<T: Stored>(
    tx: &mut Tx,
    granted: &Granted,
    key: &T::Key,
    before: &T,
    after: &T,
    now: Timestamp,
) -> Result<bool, AppError> {
    let changes = diff(Some(&before.fields()), Some(&after.fields()));
    if changes.is_empty() {
        return Ok(false);
    }
    if after.key() != key {
        if T::find_in(tx, after.key()).await?.is_some() {
            return Err(key_taken(T::ENTITY, after.key()));
        }
        db::history::rename(tx, T::ENTITY, key.as_ref(), after.key().as_ref()).await?;
    }
    after.replace(tx, key, now).await?;
    log(
        tx,
        granted,
        Write::of(T::ENTITY, after.key().as_ref(), "updated", &changes),
        now,
    )
    .await?;
    Ok(true)
}

/// Creates `record` (no `original`), or replaces the one stored under
/// `original`. Returns whether anything changed.
pub(crate) async fn save<T: Stored>(
    tx: &mut Tx,
    granted: &Granted,
    original: Option<&T::Key>,
    record: &T,
    now: Timestamp,
) -> Result<bool, AppError> {
    match original {
        None => create(tx, granted, record, now).await.map(|()| true),
        Some(key) => {
            let before: T = load(tx, key).await?;
            update(tx, granted, key, &before, record, now).await
        }
    }
}

/// Deletes the record stored under `key`, once the caller has checked
/// that nothing refers to it; `also` lists what goes with it (its links,
/// assignments) for the history.
pub(crate) async fn delete<T: Stored>(
    tx: &mut Tx,
    granted: &Granted,
    key: &T::Key,
    also: Vec<FieldChange>,
    now: Timestamp,
) -> Result<(), AppError> {
    let before: T = load(tx, key).await?;
    let mut fields = diff(Some(&before.fields()), None);
    fields.extend(also);
    T::remove(tx, key).await?;
    log(
        tx,
        granted,
        Write::of(T::ENTITY, key.as_ref(), "deleted", &fields),
        now,
    )
    .await
}

/// Refuses service keys that are not stored, naming `field`.
pub(crate) async fn services_exist(
    tx: &mut Tx,
    field: &str,
    keys: &[RecordKey],
) -> Result<(), AppError> {
    let mut missing = Vec::new();
    for key in keys {
        if db::services::find_in(tx, key).await?.is_none() {
            missing.push(key.to_string());
        }
    }
    match missing.as_slice() {
        [] => Ok(()),
        [one] => Err(AppError::validation(
            field,
            format!("there is no service {one}"),
        )),
        many => Err(AppError::validation(
            field,
            format!("there are no services {}", many.join(", ")),
        )),
    }
}
