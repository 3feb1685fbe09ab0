//! Failover requests end to end (SPEC §5.6, §6.2): request, decide,
//! expire, start (or break glass), record steps, complete or roll back.
//! Each write loads the request, applies one transition of
//! `domain::failover`, stores the difference and appends its audit event
//! in one transaction.

use super::analysis::{site_loss, AnalysisCache};
use super::audit;
use super::changes::require;
use super::runbooks::{services_plan, waves_plan};
use super::services::ensure_may_edit;
use crate::api::error::AppError;
use crate::domain::access::{Grant, Permission};
use crate::domain::action_item::{break_glass_review, ActionSource};
use crate::domain::audit::Actor as AuditActor;
use crate::domain::failover::{
    Actor, Direction, NewRequest, Policy, Refusal, Request, Scope, Section,
};
use crate::domain::field::FieldError;
use crate::domain::runbook::{RunbookContent, RunbookScope};
use crate::domain::steplog::{self, StepAction, StepRun};
use crate::domain::timestamp::Timestamp;
use crate::server::auth::Granted;
use crate::server::db::{self, Db, Tx};
use serde_json::{json, Value};
use std::collections::HashSet;

impl From<Refusal> for AppError {
    fn from(r: Refusal) -> Self {
        match r {
            Refusal::Forbidden(message) => AppError::Forbidden { message },
            Refusal::Conflict(message) => AppError::Conflict { message },
        }
    }
}

fn actor(granted: &Granted) -> Actor {
    Actor {
        user_id: granted.user_id(),
        name: granted.actor.name.clone(),
        role: granted.role,
    }
}

/// Makes a request. A site's scope is every service whose primary site
/// it is; the approvals needed follow the highest tier in scope.
pub async fn request(
    db: &Db,
    cache: &AnalysisCache,
    policy: &Policy,
    granted: &Granted,
    mut new: NewRequest,
    now: Timestamp,
) -> Result<Request, AppError> {
    require(granted, Permission::RequestFailover)?;
    let computed = cache.current(db, now).await?;
    let analysis = &computed.analysis;
    match &new.scope {
        Scope::Site(site) => {
            if !computed.portfolio.sites.iter().any(|s| &s.key == site) {
                return Err(AppError::validation(
                    "site",
                    format!("there is no site {site}"),
                ));
            }
            new.services = computed
                .portfolio
                .services
                .iter()
                .filter(|s| &s.primary_site == site)
                .map(|s| s.key.clone())
                .collect();
            new.services.sort();
            if new.services.is_empty() {
                return Err(AppError::validation(
                    "site",
                    format!("no service runs at {site}"),
                ));
            }
        }
        Scope::Services => {
            let known: HashSet<&str> = analysis.services.iter().map(|s| s.key.as_str()).collect();
            let unknown: Vec<String> = new
                .services
                .iter()
                .filter(|k| !known.contains(k.as_str()))
                .map(ToString::to_string)
                .collect();
            if !unknown.is_empty() {
                return Err(AppError::validation(
                    "services",
                    format!("there is no service {}", unknown.join(", ")),
                ));
            }
            new.services.sort();
            new.services.dedup();
        }
    }
    let in_scope: HashSet<&str> = new.services.iter().map(|k| k.as_str()).collect();
    let tiers: Vec<u8> = analysis
        .services
        .iter()
        .filter(|s| in_scope.contains(s.key.as_str()))
        .map(|s| s.tier)
        .collect();
    let mut request = Request::new(new, policy, &tiers, &actor(granted), now);
    let mut tx = db.begin().await?;
    request.id = db::failover::insert(&mut tx, &request, now).await?;
    let details = json!({
        "direction": request.direction.as_str(),
        "severity": request.severity.as_str(),
        "services": request.services,
        "required_approvals": request.required_approvals,
        "reason": request.reason,
    });
    audit::event(
        &mut tx,
        granted.actor.clone(),
        "failover_requested",
        "failover",
        request.id,
        details,
        now,
    )
    .await?;
    tx.commit().await?;
    Ok(request)
}

/// Marks every request past its time as expired, each with its audit
/// event (the actor is the system).
pub async fn expire_due(db: &Db, now: Timestamp) -> Result<(), AppError> {
    let mut tx = db.read().await?;
    let waiting = db::failover::waiting(&mut tx).await?;
    drop(tx);
    if !waiting.iter().any(|r| r.expire(now).is_some()) {
        return Ok(());
    }
    let mut tx = db.begin().await?;
    for before in db::failover::waiting(&mut tx).await? {
        if let Some(after) = before.expire(now) {
            db::failover::update(&mut tx, &before, &after, now).await?;
            let system = AuditActor::system();
            let details =
                json!({ "expires_at": before.expires_at, "approvals": before.approvals() });
            audit::event(
                &mut tx,
                system,
                "failover_expired",
                "failover",
                after.id,
                details,
                now,
            )
            .await?;
        }
    }
    tx.commit().await?;
    Ok(())
}

async fn load(tx: &mut Tx, id: i64) -> Result<Request, AppError> {
    AppError::found(db::failover::find(tx, id).await?, || {
        format!("Failover request {id}")
    })
}

/// One transition: load, expire when due, apply `change`, store, audit.
async fn transition(
    db: &Db,
    who: AuditActor,
    id: i64,
    action: &str,
    now: Timestamp,
    change: impl FnOnce(&Request) -> Result<(Request, Value), AppError>,
) -> Result<Request, AppError> {
    expire_due(db, now).await?;
    let mut tx = db.begin().await?;
    let after = transition_in(&mut tx, who, id, action, now, change).await?;
    tx.commit().await?;
    Ok(after)
}

/// [`transition`] inside the caller's transaction, for writes that do
/// more in the same commit.
async fn transition_in(
    tx: &mut Tx,
    who: AuditActor,
    id: i64,
    action: &str,
    now: Timestamp,
    change: impl FnOnce(&Request) -> Result<(Request, Value), AppError>,
) -> Result<Request, AppError> {
    let before = load(tx, id).await?;
    let (after, details) = change(&before)?;
    db::failover::update(tx, &before, &after, now).await?;
    audit::event(tx, who, action, "failover", id, details, now).await?;
    Ok(after)
}

/// The plan of request `id` as of `now`.
async fn planned(
    db: &Db,
    cache: &AnalysisCache,
    id: i64,
    now: Timestamp,
) -> Result<RunbookContent, AppError> {
    let request = {
        let mut tx = db.read().await?;
        load(&mut tx, id).await?
    };
    plan(db, cache, &request, now).await
}

pub async fn decide(
    db: &Db,
    granted: &Granted,
    id: i64,
    approve: bool,
    comment: &str,
    now: Timestamp,
) -> Result<Request, AppError> {
    require(granted, Permission::ApproveFailover)?;
    if !approve && comment.trim().is_empty() {
        return Err(AppError::validation(
            "comment",
            "give the reason for the rejection",
        ));
    }
    let action = if approve {
        "failover_approved"
    } else {
        "failover_rejected"
    };
    let who = actor(granted);
    transition(db, granted.actor.clone(), id, action, now, |r| {
        let after = r.decide(&who, approve, comment, now)?;
        let details = json!({
            "comment": comment.trim(),
            "approvals": after.approvals(),
            "required_approvals": after.required_approvals,
            "status": after.status.as_str(),
        });
        Ok((after, details))
    })
    .await
}

/// The steps a request runs: a site's approved scenario runbook when it
/// has one; otherwise the services' approved runbooks in startup-wave
/// order, identity services first (SPEC §5.5).
async fn plan(
    db: &Db,
    cache: &AnalysisCache,
    request: &Request,
    now: Timestamp,
) -> Result<RunbookContent, AppError> {
    let failback = request.direction == Direction::Failback;
    let mut tx = db.read().await?;
    if let Scope::Site(site) = &request.scope {
        let scenarios = db::runbooks::latest_approved(&mut tx, RunbookScope::Site).await?;
        if let Some(r) = scenarios.into_iter().find(|r| &r.subject == site) {
            return Ok(match failback {
                false => r.content,
                true => RunbookContent {
                    steps: r.content.rollback,
                    rollback: Vec::new(),
                },
            });
        }
    }
    drop(tx);
    match (&request.scope, failback) {
        (Scope::Site(site), false) => {
            let waves = site_loss(cache, db, site, now).await?.waves;
            waves_plan(db, cache, &waves, false, now).await
        }
        _ => services_plan(db, cache, &request.services, failback, now).await,
    }
}

/// Starts an approved request's execution with its plan.
pub async fn start(
    db: &Db,
    cache: &AnalysisCache,
    granted: &Granted,
    id: i64,
    now: Timestamp,
) -> Result<Request, AppError> {
    require(granted, Permission::RequestFailover)?;
    let steps = planned(db, cache, id, now).await?;
    transition(
        db,
        granted.actor.clone(),
        id,
        "failover_started",
        now,
        |r| {
            let after = r.start(&steps, now)?;
            let details =
                json!({ "steps": steps.steps.len(), "rollback_steps": steps.rollback.len() });
            Ok((after, details))
        },
    )
    .await
}

/// Starts execution without the approvals; only an admin, with a
/// justification; an action item asks for the review.
pub async fn break_glass(
    db: &Db,
    cache: &AnalysisCache,
    granted: &Granted,
    id: i64,
    justification: &str,
    now: Timestamp,
) -> Result<Request, AppError> {
    require(granted, Permission::RequestFailover)?;
    if justification.trim().chars().count() < 10 {
        return Err(AppError::validation(
            "justification",
            "break-glass needs a justification of at least 10 characters",
        ));
    }
    let steps = planned(db, cache, id, now).await?;
    let who = actor(granted);
    expire_due(db, now).await?;
    let mut tx = db.begin().await?;
    let started = transition_in(
        &mut tx,
        granted.actor.clone(),
        id,
        "failover_break_glass",
        now,
        |r| {
            let after = r.break_glass(&who, justification, &steps, now)?;
            let details =
                json!({ "justification": after.break_glass, "approvals": after.approvals() });
            Ok((after, details))
        },
    )
    .await?;
    let review = break_glass_review(id, &granted.actor.name, now.as_datetime().date());
    let item = db::recoveries::add_action(&mut tx, &review, now).await?;
    let details = json!({ "title": review.title, "owner": review.owner, "due_on": review.due_text(), "link": review.link });
    let actor = granted.actor.clone();
    audit::event(
        &mut tx,
        actor,
        "action_item_created",
        "action_item",
        item,
        details,
        now,
    )
    .await?;
    tx.commit().await?;
    Ok(started)
}

/// Records a step's start or finish. Service owners record only the
/// steps of their own services.
pub async fn record_step(
    db: &Db,
    granted: &Granted,
    id: i64,
    section: Section,
    position: u32,
    step_action: StepAction,
    now: Timestamp,
) -> Result<Request, AppError> {
    require(granted, Permission::RecordExecution)?;
    if granted.scope != Grant::Allowed {
        let current = {
            let mut tx = db.read().await?;
            load(&mut tx, id).await?
        };
        ensure_may_record(db, granted, &current.steps, section, position).await?;
    }
    let who = granted.actor.name.clone();
    let action = format!("failover_{}", step_action.event());
    transition(db, granted.actor.clone(), id, &action, now, |r| {
        let after = r.record_step(section, position, &step_action, &who, now)?;
        let details = steplog::details(&after.steps, section, position);
        Ok((after, details))
    })
    .await
}

/// Service owners record only the steps of their own services; a step
/// that does not exist is left for the transition to refuse.
pub(crate) async fn ensure_may_record(
    db: &Db,
    granted: &Granted,
    steps: &[StepRun],
    section: Section,
    position: u32,
) -> Result<(), AppError> {
    match steplog::find_run(steps, section, position) {
        Some(run) => ensure_may_edit(db, granted, run.step.service.as_ref()).await,
        None => Ok(()),
    }
}

/// Completes execution and records each service's measured recovery,
/// which becomes its demonstrated recovery (SPEC §5.3).
pub async fn complete(
    db: &Db,
    granted: &Granted,
    id: i64,
    now: Timestamp,
) -> Result<Request, AppError> {
    require(granted, Permission::RequestFailover)?;
    expire_due(db, now).await?;
    let mut tx = db.begin().await?;
    let after = transition_in(
        &mut tx,
        granted.actor.clone(),
        id,
        "failover_completed",
        now,
        |r| {
            let after = r.complete(now)?;
            let measured: std::collections::BTreeMap<String, u32> = after
                .measured_recoveries()
                .into_iter()
                .map(|(k, m)| (k.to_string(), m))
                .collect();
            let elapsed = (after.elapsed_minutes(now) * 10.0).round() / 10.0;
            Ok((
                after,
                json!({ "elapsed_minutes": elapsed, "measured_minutes": measured }),
            ))
        },
    )
    .await?;
    for (service, minutes) in after.measured_recoveries() {
        db::recoveries::record(&mut tx, &service, ActionSource::Failover, id, minutes, now).await?;
    }
    let review = crate::domain::postmortem::for_failover(&after, now);
    super::drills::open_post_mortem(&mut tx, granted, review, now).await?;
    tx.commit().await?;
    Ok(after)
}

pub async fn begin_rollback(
    db: &Db,
    granted: &Granted,
    id: i64,
    reason: &str,
    now: Timestamp,
) -> Result<Request, AppError> {
    require(granted, Permission::RequestFailover)?;
    let reason = reason.trim();
    if reason.is_empty() {
        return Err(FieldError::new("reason", "say why the failover is rolled back").into());
    }
    transition(
        db,
        granted.actor.clone(),
        id,
        "failover_rollback_started",
        now,
        |r| Ok((r.begin_rollback(now)?, json!({ "reason": reason }))),
    )
    .await
}

pub async fn finish_rollback(
    db: &Db,
    granted: &Granted,
    id: i64,
    now: Timestamp,
) -> Result<Request, AppError> {
    require(granted, Permission::RequestFailover)?;
    transition(
        db,
        granted.actor.clone(),
        id,
        "failover_rolled_back",
        now,
        |r| {
            let after = r.finish_rollback(now)?;
            let reconciled: Vec<String> = after
                .section(Section::Rollback)
                .filter(|s| s.step.kind == crate::domain::runbook::StepKind::Reconcile)
                .map(|s| format!("{}: {}", s.step.title, s.note))
                .collect();
            Ok((after, json!({ "reconciliation": reconciled })))
        },
    )
    .await
}
