//! Keeping runbooks: saving a version (service owners for their own
//! services), approving it, and generating a site's scenario runbook from
//! its site-loss simulation. Changes go into the service's or the site's
//! history as `runbook v2 steps`.

use super::analysis::{site_loss, AnalysisCache};
use super::changes::{load, log, require, Write};
use super::services::ensure_may_edit;
use crate::api::error::AppError;
use crate::domain::access::Permission;
use crate::domain::analysis::simulation::startup_waves;
use crate::domain::analysis::tiers::TierTable;
use crate::domain::analysis::Portfolio;
use crate::domain::approval::ApprovalStatus;
use crate::domain::history::{diff, FieldChange, Fields};
use crate::domain::inventory::service::{Service, ServiceKind};
use crate::domain::inventory::site::Site;
use crate::domain::inventory::RecordKey;
use crate::domain::runbook::{
    approved, saved, scenario, Runbook, RunbookContent, RunbookScope, ScenarioService, Step,
};
use crate::domain::timestamp::Timestamp;
use crate::server::auth::Granted;
use crate::server::db::{self, Db, Tx};
use std::collections::{HashMap, HashSet};

fn summary(steps: &[Step]) -> String {
    let titles: Vec<String> = steps
        .iter()
        .enumerate()
        .map(|(i, s)| {
            format!(
                "{}. {} ({} min, {})",
                i + 1,
                s.title,
                s.expected_minutes,
                s.kind
            )
        })
        .collect();
    titles.join("; ")
}

fn fields(r: &Runbook) -> Fields {
    vec![
        ("steps", summary(&r.content.steps)),
        ("rollback", summary(&r.content.rollback)),
        ("status", r.status.to_string()),
    ]
}

/// The history entries of going from `before` to `after`, each field
/// named with the version: `runbook v2 steps`.
fn changes(before: Option<&Runbook>, after: &Runbook) -> Vec<FieldChange> {
    let before = before.filter(|b| b.version == after.version);
    let mut fields = diff(before.map(fields).as_ref(), Some(&fields(after)));
    for f in &mut fields {
        f.field = format!("runbook v{} {}", after.version, f.field);
    }
    fields
}

/// The subject must exist; only its key matters here.
async fn check_subject(
    tx: &mut Tx,
    scope: RunbookScope,
    subject: &RecordKey,
) -> Result<(), AppError> {
    match scope {
        RunbookScope::Service => load::<Service>(tx, subject).await.map(|_| ()),
        RunbookScope::Site => load::<Site>(tx, subject).await.map(|_| ()),
    }
}

/// Who may edit a runbook: a service's like the service itself; a site's
/// scenario needs the full grant.
async fn ensure_may_edit_runbook(
    db: &Db,
    granted: &Granted,
    scope: RunbookScope,
    subject: &RecordKey,
) -> Result<(), AppError> {
    match scope {
        RunbookScope::Service => ensure_may_edit(db, granted, Some(subject)).await,
        // A scenario spans services: it needs the full grant.
        RunbookScope::Site => ensure_may_edit(db, granted, None).await,
    }
}

async fn store(
    tx: &mut Tx,
    granted: &Granted,
    latest: Option<&Runbook>,
    after: &Runbook,
    action: &str,
    now: Timestamp,
) -> Result<(), AppError> {
    db::runbooks::upsert(tx, after, now).await?;
    let fields = changes(latest, after);
    let write = Write {
        entity_type: after.scope.as_str(),
        key: after.subject.as_str(),
        change: "updated",
        action: action.into(),
        fields: &fields,
    };
    log(tx, granted, write, now).await
}

/// Saves `content` as the draft, or as a new draft after an approved
/// version; `action` names the audit event.
async fn save_as(
    db: &Db,
    granted: &Granted,
    scope: RunbookScope,
    subject: &RecordKey,
    content: RunbookContent,
    action: &str,
    now: Timestamp,
) -> Result<Runbook, AppError> {
    ensure_may_edit_runbook(db, granted, scope, subject).await?;
    let mut tx = db.begin().await?;
    check_subject(&mut tx, scope, subject).await?;
    let versions = db::runbooks::versions(&mut tx, scope, subject).await?;
    let latest = versions.first();
    let runbook = saved(scope, subject, latest, content);
    if latest.is_some_and(|l| l.content == runbook.content && l.status == ApprovalStatus::Draft) {
        return Ok(runbook);
    }
    store(&mut tx, granted, latest, &runbook, action, now).await?;
    tx.commit().await?;
    Ok(runbook)
}

pub async fn save(
    db: &Db,
    granted: &Granted,
    scope: RunbookScope,
    subject: &RecordKey,
    content: RunbookContent,
    now: Timestamp,
) -> Result<Runbook, AppError> {
    save_as(db, granted, scope, subject, content, "runbook_saved", now).await
}

/// Approves `version`, which must be the latest and a draft.
pub async fn approve(
    db: &Db,
    granted: &Granted,
    scope: RunbookScope,
    subject: &RecordKey,
    version: u32,
    now: Timestamp,
) -> Result<Runbook, AppError> {
    require(granted, Permission::ApproveRecords)?;
    let mut tx = db.begin().await?;
    check_subject(&mut tx, scope, subject).await?;
    let versions = db::runbooks::versions(&mut tx, scope, subject).await?;
    let latest = match versions.first() {
        Some(r) if r.version == version && r.status == ApprovalStatus::Draft => r,
        _ => {
            return Err(AppError::Conflict {
                message: format!("Version {version} of the runbook of {subject} is not its latest draft; reload the page."),
            })
        }
    };
    let runbook = approved(latest, &granted.actor.name, now)
        .map_err(|message| AppError::validation("rollback", message))?;
    store(
        &mut tx,
        granted,
        Some(latest),
        &runbook,
        "runbook_approved",
        now,
    )
    .await?;
    tx.commit().await?;
    Ok(runbook)
}

/// The plan for bringing `waves` of services up elsewhere, from their
/// approved runbooks; for a failback, each runbook's failback section
/// leads.
pub fn plan_for_waves(
    portfolio: &Portfolio,
    approved_runbooks: &[Runbook],
    waves: &[Vec<String>],
    failback: bool,
) -> RunbookContent {
    let services: HashMap<&str, &Service> = portfolio
        .services
        .iter()
        .map(|s| (s.key.as_str(), s))
        .collect();
    let swapped: Vec<Runbook> = approved_runbooks
        .iter()
        .map(|r| match failback {
            false => r.clone(),
            true => Runbook {
                content: RunbookContent {
                    steps: r.content.rollback.clone(),
                    rollback: Vec::new(),
                },
                ..r.clone()
            },
        })
        .collect();
    let books: HashMap<&str, &Runbook> = swapped.iter().map(|r| (r.subject.as_str(), r)).collect();
    let waves: Vec<Vec<ScenarioService>> = waves
        .iter()
        .map(|wave| {
            wave.iter()
                .filter_map(|key| services.get(key.as_str()))
                .map(|s| ScenarioService {
                    key: &s.key,
                    name: &s.name,
                    identity: s.kind == ServiceKind::Identity,
                    recovery_minutes: s.recovery_minutes,
                    runbook: books.get(s.key.as_str()).copied(),
                })
                .collect()
        })
        .collect();
    scenario(&waves)
}

/// The plan for bringing `waves` of services up, from their approved
/// runbooks as of now.
pub async fn waves_plan(
    db: &Db,
    cache: &AnalysisCache,
    waves: &[Vec<String>],
    failback: bool,
    now: Timestamp,
) -> Result<RunbookContent, AppError> {
    let computed = cache.current(db, now).await?;
    let mut tx = db.read().await?;
    let books = db::runbooks::latest_approved(&mut tx, RunbookScope::Service).await?;
    Ok(plan_for_waves(&computed.portfolio, &books, waves, failback))
}

/// The plan for `services` in their startup waves (dependencies outside
/// them count as up): what a failover of listed services or a drill runs.
pub async fn services_plan(
    db: &Db,
    cache: &AnalysisCache,
    services: &[RecordKey],
    failback: bool,
    now: Timestamp,
) -> Result<RunbookContent, AppError> {
    let computed = cache.current(db, now).await?;
    let keys: HashSet<&str> = services.iter().map(|k| k.as_str()).collect();
    let waves = startup_waves(&computed.portfolio, &TierTable::default(), |k| {
        keys.contains(k)
    });
    waves_plan(db, cache, &waves, failback, now).await
}

/// Generates the scenario runbook of losing `site` as its next draft.
pub async fn generate(
    db: &Db,
    cache: &AnalysisCache,
    granted: &Granted,
    site: &RecordKey,
    now: Timestamp,
) -> Result<Runbook, AppError> {
    ensure_may_edit_runbook(db, granted, RunbookScope::Site, site).await?;
    let loss = site_loss(cache, db, site, now).await?;
    if loss.waves.is_empty() {
        return Err(AppError::validation(
            "site",
            format!("no service fails over when {site} is lost, so there is nothing to plan"),
        ));
    }
    let content = waves_plan(db, cache, &loss.waves, false, now).await?;
    save_as(
        db,
        granted,
        RunbookScope::Site,
        site,
        content,
        "runbook_generated",
        now,
    )
    .await
}
