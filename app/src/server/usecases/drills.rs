//! Drills, post-mortems and action items (SPEC §6.3, §6.4). A continuity
//! manager plans and completes drills; service owners record the results
//! of their own services. Completing a drill records each service's
//! measured recovery (its demonstrated recovery from then on) and opens
//! the post-mortem, due 48 hours later.

use super::analysis::AnalysisCache;
use super::audit;
use super::changes::require;
use super::services::ensure_may_edit;
use crate::api::error::AppError;
use crate::domain::access::Permission;
use crate::domain::action_item::{ActionItem, ActionSource, ActionStatus};
use crate::domain::audit::NewAuditEvent;
use crate::domain::drill::{
    parse_result, Drill, DrillInput, DrillPlan, DrillService, DrillStatus, NotNow, ResultInput,
};
use crate::domain::inventory::RecordKey;
use crate::domain::postmortem::{self, ActionInput, PostMortem, PostMortemInput};
use crate::domain::runbook::RunbookScope;
use crate::domain::steplog::{self, Section, StepAction};
use crate::domain::timestamp::Timestamp;
use crate::server::auth::Granted;
use crate::server::db::{self, Db, Tx};
use serde_json::{json, Value};
use std::collections::HashSet;

impl From<NotNow> for AppError {
    fn from(e: NotNow) -> Self {
        AppError::Conflict { message: e.0 }
    }
}

/// Plans a drill; each service is run by its approved runbook version.
pub async fn plan(
    db: &Db,
    granted: &Granted,
    input: &DrillInput,
    now: Timestamp,
) -> Result<Drill, AppError> {
    ensure_may_edit(db, granted, None).await?;
    let plan = DrillPlan::parse(input)?;
    let mut tx = db.begin().await?;
    let known: HashSet<String> = db::services::all_in(&mut tx)
        .await?
        .into_iter()
        .map(|s| s.key.to_string())
        .collect();
    let unknown: Vec<&str> = plan
        .services
        .iter()
        .map(|k| k.as_str())
        .filter(|k| !known.contains(*k))
        .collect();
    if !unknown.is_empty() {
        return Err(AppError::validation(
            "services",
            format!("there is no service {}", unknown.join(", ")),
        ));
    }
    let books = db::runbooks::latest_approved(&mut tx, RunbookScope::Service).await?;
    let mut drill = Drill {
        id: 0,
        title: plan.title,
        kind: plan.kind,
        starts_at: plan.starts_at,
        ends_at: plan.ends_at,
        status: DrillStatus::Planned,
        services: plan
            .services
            .into_iter()
            .map(|service| DrillService {
                runbook_version: books
                    .iter()
                    .find(|r| r.subject == service)
                    .map(|r| r.version),
                service,
                result: None,
            })
            .collect(),
        participants: plan.participants,
        notes: String::new(),
        completed_at: None,
        steps: Vec::new(),
    };
    drill.id = db::drills::insert(&mut tx, &drill, now).await?;
    let details = json!({
        "title": drill.title, "kind": drill.kind.as_str(), "starts_at": drill.starts_at, "ends_at": drill.ends_at,
        "services": drill.services.iter().map(|s| s.service.to_string()).collect::<Vec<_>>(),
        "participants": drill.participants,
    });
    audit::event(
        &mut tx,
        granted.actor.clone(),
        "drill_planned",
        "drill",
        drill.id,
        details,
        now,
    )
    .await?;
    tx.commit().await?;
    Ok(drill)
}

async fn load(tx: &mut Tx, id: i64) -> Result<Drill, AppError> {
    AppError::found(db::drills::find(tx, id).await?, || format!("Drill {id}"))
}

/// One change to a drill with its audit event.
async fn change(
    db: &Db,
    granted: &Granted,
    id: i64,
    action: &str,
    now: Timestamp,
    apply: impl FnOnce(&Drill) -> Result<(Drill, Value), AppError>,
) -> Result<Drill, AppError> {
    let mut tx = db.begin().await?;
    let before = load(&mut tx, id).await?;
    let (after, details) = apply(&before)?;
    db::drills::update(&mut tx, &after, now).await?;
    audit::event(
        &mut tx,
        granted.actor.clone(),
        action,
        "drill",
        id,
        details,
        now,
    )
    .await?;
    if after.status == DrillStatus::Completed {
        complete_in(&mut tx, granted, &after, now).await?;
    }
    tx.commit().await?;
    Ok(after)
}

/// What completing records: measured recoveries and the post-mortem.
async fn complete_in(
    tx: &mut Tx,
    granted: &Granted,
    drill: &Drill,
    now: Timestamp,
) -> Result<(), AppError> {
    for s in &drill.services {
        if let Some(r) = &s.result {
            db::recoveries::record(
                tx,
                &s.service,
                ActionSource::Drill,
                drill.id,
                r.measured_minutes,
                now,
            )
            .await?;
        }
    }
    open_post_mortem(tx, granted, postmortem::for_drill(drill, now), now).await
}

/// Opens the post-mortem of a completed drill or failover.
pub(crate) async fn open_post_mortem(
    tx: &mut Tx,
    granted: &Granted,
    pm: PostMortem,
    now: Timestamp,
) -> Result<(), AppError> {
    let id = db::drills::insert_post_mortem(tx, &pm, now).await?;
    let details = json!({ "title": pm.title, "due_at": pm.due_at, "source": pm.source_path() });
    audit::event(
        tx,
        granted.actor.clone(),
        "post_mortem_opened",
        "post_mortem",
        id,
        details,
        now,
    )
    .await
}

/// Start (with its services' runbook steps in startup-wave order),
/// complete (with the notes) or cancel; needs the full grant.
pub async fn advance(
    db: &Db,
    cache: &AnalysisCache,
    granted: &Granted,
    id: i64,
    action: &str,
    notes: &str,
    now: Timestamp,
) -> Result<Drill, AppError> {
    ensure_may_edit(db, granted, None).await?;
    let event = match action {
        "start" => "drill_started",
        "complete" => "drill_completed",
        "cancel" => "drill_cancelled",
        other => {
            return Err(AppError::validation(
                "action",
                format!("'{other}' is not a drill action; expected start, complete or cancel"),
            ))
        }
    };
    let plan = match action {
        "start" => {
            let services: Vec<RecordKey> = {
                let mut tx = db.read().await?;
                load(&mut tx, id)
                    .await?
                    .services
                    .into_iter()
                    .map(|s| s.service)
                    .collect()
            };
            super::runbooks::services_plan(db, cache, &services, false, now).await?
        }
        _ => Default::default(),
    };
    change(db, granted, id, event, now, |d| {
        let after = match action {
            "start" => d.start(&plan)?,
            "complete" => d.complete(notes, now)?,
            _ => d.cancel()?,
        };
        Ok((after, json!({ "notes": notes.trim() })))
    })
    .await
}

/// Records one service's result against its current targets.
pub async fn record(
    db: &Db,
    cache: &AnalysisCache,
    granted: &Granted,
    id: i64,
    service: &RecordKey,
    input: &ResultInput,
    now: Timestamp,
) -> Result<Drill, AppError> {
    require(granted, Permission::EditServices)?;
    ensure_may_edit(db, granted, Some(service)).await?;
    let computed = cache.current(db, now).await?;
    let targets = computed
        .analysis
        .services
        .iter()
        .find(|s| s.key == service.as_str());
    let (rto, rpo) = targets.map_or((None, None), |s| {
        (s.target_rto_minutes, s.target_rpo_minutes)
    });
    let result = parse_result(input, rto, rpo)?;
    change(db, granted, id, "drill_result_recorded", now, |d| {
        let after = d.record(service, result.clone())?;
        let details = json!({ "service": service, "result": result });
        Ok((after, details))
    })
    .await
}

/// Saves a post-mortem's text, or publishes it.
pub async fn save_post_mortem(
    db: &Db,
    granted: &Granted,
    id: i64,
    input: &PostMortemInput,
    now: Timestamp,
) -> Result<PostMortem, AppError> {
    ensure_may_edit(db, granted, None).await?;
    let mut tx = db.begin().await?;
    let before = AppError::found(db::drills::post_mortem(&mut tx, id).await?, || {
        format!("Post-mortem {id}")
    })?;
    let after = before.edited(input)?;
    db::drills::update_post_mortem(&mut tx, &after, now).await?;
    let action = if input.publish {
        "post_mortem_published"
    } else {
        "post_mortem_saved"
    };
    audit::event(
        &mut tx,
        granted.actor.clone(),
        action,
        "post_mortem",
        id,
        json!({ "status": after.status.as_str() }),
        now,
    )
    .await?;
    tx.commit().await?;
    Ok(after)
}

/// Adds an action item to a post-mortem.
pub async fn add_action(
    db: &Db,
    granted: &Granted,
    post_mortem: i64,
    input: &ActionInput,
    now: Timestamp,
) -> Result<ActionItem, AppError> {
    ensure_may_edit(db, granted, None).await?;
    let mut tx = db.begin().await?;
    let pm = AppError::found(db::drills::post_mortem(&mut tx, post_mortem).await?, || {
        format!("Post-mortem {post_mortem}")
    })?;
    let mut item = postmortem::new_action(&pm, input, now.as_datetime().date())?;
    item.id = db::recoveries::add_action(&mut tx, &item, now).await?;
    let details = json!({ "title": item.title, "owner": item.owner, "due_on": item.due_text(), "link": item.link, "retest": item.retest, "post_mortem": post_mortem });
    audit::event(
        &mut tx,
        granted.actor.clone(),
        "action_item_created",
        "action_item",
        item.id,
        details,
        now,
    )
    .await?;
    tx.commit().await?;
    Ok(item)
}

/// Closes or reopens an action item: its owner may, and so may whoever
/// edits services fully.
pub async fn set_action_status(
    db: &Db,
    granted: &Granted,
    id: i64,
    status: ActionStatus,
    owner_name: &str,
    now: Timestamp,
) -> Result<ActionItem, AppError> {
    require(granted, Permission::Read)?;
    let mut item = {
        let mut tx = db.read().await?;
        AppError::found(db::recoveries::action(&mut tx, id).await?, || {
            format!("Action item {id}")
        })?
    };
    let owns = item.owner == owner_name || item.owner == granted.actor.name;
    if !owns {
        match granted.also(Permission::EditServices) {
            Some(edit) => ensure_may_edit(db, &edit, None).await?,
            None => {
                let details = json!({ "role": granted.role.as_str(), "permission": Permission::EditServices.as_str() });
                let event = NewAuditEvent::new(
                    granted.actor.clone(),
                    "access_denied",
                    "action_item",
                    Some(id.to_string()),
                    details,
                );
                super::audit::record(db, event, now).await?;
                return Err(AppError::Forbidden {
                    message: format!(
                        "Your role ({}) may not close action items it does not own.",
                        granted.role.label()
                    ),
                });
            }
        }
    }
    let mut tx = db.begin().await?;
    db::recoveries::set_action_status(&mut tx, id, status, now).await?;
    item.status = status;
    audit::event(
        &mut tx,
        granted.actor.clone(),
        "action_item_status",
        "action_item",
        id,
        json!({ "status": status.as_str() }),
        now,
    )
    .await?;
    tx.commit().await?;
    Ok(item)
}

/// Records a step of the drill's log; service owners only for the steps
/// of their own services.
pub async fn record_step(
    db: &Db,
    granted: &Granted,
    id: i64,
    section: Section,
    position: u32,
    step_action: StepAction,
    now: Timestamp,
) -> Result<Drill, AppError> {
    require(granted, Permission::EditServices)?;
    let current = {
        let mut tx = db.read().await?;
        load(&mut tx, id).await?
    };
    super::failover::ensure_may_record(db, granted, &current.steps, section, position).await?;
    let who = granted.actor.name.clone();
    let action = format!("drill_{}", step_action.event());
    change(db, granted, id, &action, now, |d| {
        let after = d.record_step(section, position, &step_action, &who, now)?;
        let details = steplog::details(&after.steps, section, position);
        Ok((after, details))
    })
    .await
}
