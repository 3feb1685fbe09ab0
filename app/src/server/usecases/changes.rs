//! What every inventory write shares: the permission it needs, its
//! field-level history entry and its audit event, in the write's
//! transaction.

use crate::api::error::AppError;
use crate::domain::access::Permission;
use crate::domain::audit::NewAuditEvent;
use crate::domain::history::{diff, FieldChange, Fields};
use crate::domain::inventory::service::Service;
use crate::domain::inventory::site::Site;
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
    /// The entity type of its history and audit events.
    const ENTITY: &'static str;
    /// How messages name it.
    const NAME: &'static str;
    fn key(&self) -> &RecordKey;
    fn fields(&self) -> Fields;
    async fn find_in(tx: &mut Tx, key: &RecordKey) -> anyhow::Result<Option<Self>>;
    async fn insert(&self, tx: &mut Tx, now: Timestamp) -> anyhow::Result<()>;
    /// Replaces the record stored under `key`, which `self` may rename.
    async fn replace(&self, tx: &mut Tx, key: &RecordKey, now: Timestamp) -> anyhow::Result<()>;
}

impl Stored for Site {
    const ENTITY: &'static str = "site";
    const NAME: &'static str = "Site";
    fn key(&self) -> &RecordKey {
        &self.key
    }
    fn fields(&self) -> Fields {
        Site::fields(self)
    }
    async fn find_in(tx: &mut Tx, key: &RecordKey) -> anyhow::Result<Option<Self>> {
        db::sites::find_in(tx, key).await
    }
    async fn insert(&self, tx: &mut Tx, now: Timestamp) -> anyhow::Result<()> {
        db::sites::insert(tx, self, now).await
    }
    async fn replace(&self, tx: &mut Tx, key: &RecordKey, now: Timestamp) -> anyhow::Result<()> {
        db::sites::update(tx, key, self, now).await
    }
}

impl Stored for Service {
    const ENTITY: &'static str = "service";
    const NAME: &'static str = "Service";
    fn key(&self) -> &RecordKey {
        &self.key
    }
    fn fields(&self) -> Fields {
        Service::fields(self)
    }
    async fn find_in(tx: &mut Tx, key: &RecordKey) -> anyhow::Result<Option<Self>> {
        db::services::find_in(tx, key).await
    }
    async fn insert(&self, tx: &mut Tx, now: Timestamp) -> anyhow::Result<()> {
        db::services::insert(tx, self, now).await
    }
    async fn replace(&self, tx: &mut Tx, key: &RecordKey, now: Timestamp) -> anyhow::Result<()> {
        db::services::update(tx, key, self, now).await
    }
}

/// The record stored under `key`, or not found.
pub(crate) async fn load<T: Stored>(tx: &mut Tx, key: &RecordKey) -> Result<T, AppError> {
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
        Write::of(T::ENTITY, record.key().as_str(), "created", &fields),
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
    key: &RecordKey,
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
        db::history::rename(tx, T::ENTITY, key.as_str(), after.key().as_str()).await?;
    }
    after.replace(tx, key, now).await?;
    log(
        tx,
        granted,
        Write::of(T::ENTITY, after.key().as_str(), "updated", &changes),
        now,
    )
    .await?;
    Ok(true)
}
