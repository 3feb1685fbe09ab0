//! Creating, changing and deleting services, their dependencies and their
//! RACI assignments. Service owners may change only the services where
//! they hold the R or the A (SPEC §4); the history of a service also keeps
//! its dependencies and assignments.

use super::changes::{self, load, log, require, still_referenced, Write};
use crate::api::error::AppError;
use crate::domain::access::{Grant, Permission};
use crate::domain::audit::NewAuditEvent;
use crate::domain::field::FieldError;
use crate::domain::history::{diff, FieldChange};
use crate::domain::inventory::raci::RaciSubject;
use crate::domain::inventory::replication::ReplicationLink;
use crate::domain::inventory::service::{Dependency, Service};
use crate::domain::inventory::RecordKey;
use crate::domain::runbook::RunbookScope;
use crate::domain::timestamp::Timestamp;
use crate::server::auth::Granted;
use crate::server::db::links::{PROCESS_SERVICES, VENDOR_SERVICES};
use crate::server::db::{self, Db, Tx};
use serde_json::json;

/// Whether `granted` lets its holder change `key`: always with a full
/// grant, and for service owners only where they hold R or A.
pub async fn may_edit(db: &Db, granted: &Granted, key: &RecordKey) -> Result<bool, AppError> {
    Ok(match (granted.scope, granted.user_id()) {
        (Grant::Allowed, _) => true,
        (Grant::OwnServices, Some(user)) => {
            db::raci::owned_by(db, RaciSubject::Service, key, user).await?
        }
        _ => false,
    })
}

/// Refuses, and audits, a change to a service that is not the user's own
/// (editing it, or recording its execution steps); `None` is a new
/// service, which needs a full grant.
pub async fn ensure_may_edit(
    db: &Db,
    granted: &Granted,
    key: Option<&RecordKey>,
) -> Result<(), AppError> {
    if !matches!(
        granted.permission,
        Permission::EditServices | Permission::RecordExecution
    ) {
        require(granted, Permission::EditServices)?;
    }
    let allowed = match key {
        Some(key) => may_edit(db, granted, key).await?,
        None => granted.scope == Grant::Allowed,
    };
    if allowed {
        return Ok(());
    }
    let event = NewAuditEvent::new(
        granted.actor.clone(),
        "access_denied",
        "service",
        key.map(ToString::to_string),
        json!({ "role": granted.role.as_str(), "permission": granted.permission.as_str() }),
    );
    super::audit::record(db, event, super::audit::now()).await?;
    let role = granted.role.label();
    let what = granted.permission.describe();
    Err(AppError::Forbidden {
        message: match key {
            Some(key) => format!(
                "Your role ({role}) may not {what} for {key}: only for services where it holds R or A in the RACI matrix."
            ),
            None => format!(
                "Your role ({role}) may not {what} here: only for services where it holds R or A in the RACI matrix."
            ),
        },
    })
}

/// The sites a service names must exist.
async fn check_sites(tx: &mut Tx, service: &Service) -> Result<(), AppError> {
    let mut errors = Vec::new();
    for (field, site) in [
        ("primary_site", Some(&service.primary_site)),
        ("secondary_site", service.secondary_site.as_ref()),
    ] {
        if let Some(site) = site {
            if db::sites::find_in(tx, site).await?.is_none() {
                errors.push(FieldError::new(field, format!("there is no site {site}")));
            }
        }
    }
    match errors.is_empty() {
        true => Ok(()),
        false => Err(AppError::Invalid { errors }),
    }
}

pub async fn create(
    db: &Db,
    granted: &Granted,
    service: Service,
    now: Timestamp,
) -> Result<Service, AppError> {
    ensure_may_edit(db, granted, None).await?;
    let mut tx = db.begin().await?;
    check_sites(&mut tx, &service).await?;
    changes::create(&mut tx, granted, &service, now).await?;
    tx.commit().await?;
    Ok(service)
}

/// Replaces the service stored under `key` with `service`, which may
/// rename it; its dependencies, assignments and history follow.
pub async fn update(
    db: &Db,
    granted: &Granted,
    key: &RecordKey,
    service: Service,
    now: Timestamp,
) -> Result<Service, AppError> {
    ensure_may_edit(db, granted, Some(key)).await?;
    let mut tx = db.begin().await?;
    let before: Service = load(&mut tx, key).await?;
    check_sites(&mut tx, &service).await?;
    if !changes::update(&mut tx, granted, key, &before, &service, now).await? {
        return Ok(service);
    }
    if &service.key != key {
        db::raci::rekey(&mut tx, RaciSubject::Service, key, Some(&service.key)).await?;
    }
    tx.commit().await?;
    Ok(service)
}

/// Deletes a service with its own dependencies and assignments; refused
/// while other services depend on it.
pub async fn delete(
    db: &Db,
    granted: &Granted,
    key: &RecordKey,
    now: Timestamp,
) -> Result<(), AppError> {
    ensure_may_edit(db, granted, Some(key)).await?;
    let mut tx = db.begin().await?;
    let before: Service = load(&mut tx, key).await?;
    let mut referrers = db::dependencies::dependents_in(&mut tx, key).await?;
    let processes = PROCESS_SERVICES.naming(&mut tx, key).await?;
    referrers.extend(processes.into_iter().map(|p| format!("process {p}")));
    let vendors = VENDOR_SERVICES.naming(&mut tx, key).await?;
    referrers.extend(vendors.into_iter().map(|v| format!("vendor {v}")));
    referrers.extend(db::runbooks::naming(&mut tx, RunbookScope::Service, key).await?);
    referrers.extend(db::failover::naming(&mut tx, RunbookScope::Service, key).await?);
    referrers.extend(db::drills::naming(&mut tx, key).await?);
    if !referrers.is_empty() {
        return Err(still_referenced(format!("Service {key}"), &referrers));
    }
    let mut fields = diff(Some(&before.fields()), None);
    for d in db::dependencies::of_in(&mut tx, key).await? {
        fields.push(FieldChange {
            field: d.history_field(),
            before: Some(d.describe()),
            after: None,
        });
    }
    for link in db::replication::of(&mut tx, key).await? {
        fields.push(FieldChange {
            field: link.history_field(),
            before: Some(link.describe()),
            after: None,
        });
    }
    fields.extend(super::raci::drop_all(&mut tx, RaciSubject::Service, key).await?);
    db::services::delete(&mut tx, key).await?;
    log(
        &mut tx,
        granted,
        Write::of("service", key.as_str(), "deleted", &fields),
        now,
    )
    .await?;
    tx.commit().await?;
    Ok(())
}

/// Keeps a change to something a service holds (a dependency, a
/// replication link) in the service's history, audited as
/// `<what>_created`, `_updated` or `_deleted` by what was there before and
/// after.
async fn log_held(
    tx: &mut Tx,
    granted: &Granted,
    service: &RecordKey,
    what: &str,
    field: String,
    (before, after): (Option<String>, Option<String>),
    now: Timestamp,
) -> Result<(), AppError> {
    let change = match (&before, &after) {
        (None, _) => "created",
        (_, None) => "deleted",
        _ => "updated",
    };
    let fields = [FieldChange {
        field,
        before,
        after,
    }];
    let write = Write {
        entity_type: "service",
        key: service.as_str(),
        change: "updated",
        action: format!("{what}_{change}"),
        fields: &fields,
    };
    log(tx, granted, write, now).await
}

/// Adds a dependency of `d.service`, or changes its kind and note.
pub async fn set_dependency(
    db: &Db,
    granted: &Granted,
    d: Dependency,
    now: Timestamp,
) -> Result<Dependency, AppError> {
    ensure_may_edit(db, granted, Some(&d.service)).await?;
    let mut tx = db.begin().await?;
    load::<Service>(&mut tx, &d.service).await?;
    if db::services::find_in(&mut tx, &d.depends_on)
        .await?
        .is_none()
    {
        return Err(AppError::validation(
            "depends_on",
            format!("there is no service {}", d.depends_on),
        ));
    }
    let before = db::dependencies::find_in(&mut tx, &d.service, &d.depends_on).await?;
    if before.as_ref() == Some(&d) {
        return Ok(d);
    }
    db::dependencies::upsert(&mut tx, &d, now).await?;
    let change = (
        before.as_ref().map(Dependency::describe),
        Some(d.describe()),
    );
    log_held(
        &mut tx,
        granted,
        &d.service,
        "dependency",
        d.history_field(),
        change,
        now,
    )
    .await?;
    tx.commit().await?;
    Ok(d)
}

pub async fn remove_dependency(
    db: &Db,
    granted: &Granted,
    service: &RecordKey,
    depends_on: &RecordKey,
    now: Timestamp,
) -> Result<(), AppError> {
    ensure_may_edit(db, granted, Some(service)).await?;
    let mut tx = db.begin().await?;
    let d = AppError::found(
        db::dependencies::find_in(&mut tx, service, depends_on).await?,
        || format!("The dependency of {service} on {depends_on}"),
    )?;
    db::dependencies::delete(&mut tx, service, depends_on).await?;
    let change = (Some(d.describe()), None);
    log_held(
        &mut tx,
        granted,
        service,
        "dependency",
        d.history_field(),
        change,
        now,
    )
    .await?;
    tx.commit().await?;
    Ok(())
}

/// Adds a replication link of `link.service`, or changes the settings of
/// the one with the same mode and sites.
pub async fn set_replication(
    db: &Db,
    granted: &Granted,
    link: ReplicationLink,
    now: Timestamp,
) -> Result<ReplicationLink, AppError> {
    ensure_may_edit(db, granted, Some(&link.service)).await?;
    let mut tx = db.begin().await?;
    load::<Service>(&mut tx, &link.service).await?;
    let mut errors = Vec::new();
    for (field, site) in [
        ("source_site", &link.source_site),
        ("target_site", &link.target_site),
    ] {
        if db::sites::find_in(&mut tx, site).await?.is_none() {
            errors.push(FieldError::new(field, format!("there is no site {site}")));
        }
    }
    if !errors.is_empty() {
        return Err(AppError::Invalid { errors });
    }
    let before = db::replication::of(&mut tx, &link.service)
        .await?
        .into_iter()
        .find(|l| l.identity() == link.identity());
    if before.as_ref() == Some(&link) {
        return Ok(link);
    }
    db::replication::upsert_all(&mut tx, &[&link], now).await?;
    let change = (
        before.as_ref().map(ReplicationLink::describe),
        Some(link.describe()),
    );
    log_held(
        &mut tx,
        granted,
        &link.service,
        "replication",
        link.history_field(),
        change,
        now,
    )
    .await?;
    tx.commit().await?;
    Ok(link)
}

/// Removes the replication link of `service` with this mode and sites.
pub async fn remove_replication(
    db: &Db,
    granted: &Granted,
    service: &RecordKey,
    identity: &str,
    now: Timestamp,
) -> Result<(), AppError> {
    ensure_may_edit(db, granted, Some(service)).await?;
    let mut tx = db.begin().await?;
    let link = AppError::found(
        db::replication::of(&mut tx, service)
            .await?
            .into_iter()
            .find(|l| l.identity() == identity),
        || format!("The replication link {identity}"),
    )?;
    db::replication::delete(&mut tx, &link).await?;
    let change = (Some(link.describe()), None);
    log_held(
        &mut tx,
        granted,
        service,
        "replication",
        link.history_field(),
        change,
        now,
    )
    .await?;
    tx.commit().await?;
    Ok(())
}
