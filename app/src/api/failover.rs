//! Failover requests: the list with what waits for me, one request with
//! its approvals, war-room steps and audit trail, and every transition.

use super::error::AppError;
use crate::domain::action_item::ActionItem;
use crate::domain::audit::AuditEvent;
use crate::domain::failover::{Request, RequestInput};
use crate::domain::timestamp::Timestamp;
use leptos::prelude::*;
use serde::{Deserialize, Serialize};

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct FailoverList {
    /// Newest first.
    pub requests: Vec<Request>,
    /// The ids of the requests the viewer may still approve.
    pub awaiting_me: Vec<i64>,
    pub can_request: bool,
    pub sites: Vec<(String, String)>,
}

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct FailoverView {
    pub request: Request,
    pub now: Timestamp,
    /// The tightest target RTO in scope, which the war room measures
    /// elapsed time against.
    pub target_rto_minutes: Option<i64>,
    pub can_decide: bool,
    pub can_command: bool,
    pub can_record: bool,
    pub is_admin: bool,
    pub actions: Vec<ActionItem>,
    /// This request's audit events, oldest first.
    pub trail: Vec<AuditEvent>,
}

/// How many failover requests the viewer may approve now: the badge in
/// the navigation.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Waiting {
    pub ids: Vec<i64>,
}

#[cfg(feature = "ssr")]
fn awaiting(requests: &[Request], granted: &crate::server::auth::Granted) -> Vec<i64> {
    let Some(user) = granted.user_id() else {
        return Vec::new();
    };
    requests
        .iter()
        .filter(|r| r.awaits(user, granted.role))
        .map(|r| r.id)
        .collect()
}

#[server(prefix = "/fn", endpoint = "failovers")]
pub async fn list_failovers() -> Result<FailoverList, AppError> {
    use super::ctx::{require, respond};
    use crate::domain::access::Permission;
    use crate::server::db;
    use crate::server::usecases::{audit::now, failover};
    respond(
        async {
            let (state, granted) = require(Permission::Read).await?;
            failover::expire_due(&state.db, now()).await?;
            let mut tx = state.db.read().await?;
            let requests = db::failover::recent(&mut tx, 200).await?;
            let mut sites: Vec<(String, String)> = db::sites::all_in(&mut tx)
                .await?
                .into_iter()
                .map(|s| (s.key.to_string(), s.name))
                .collect();
            sites.sort();
            Ok(FailoverList {
                awaiting_me: awaiting(&requests, &granted),
                requests,
                can_request: granted.also(Permission::RequestFailover).is_some(),
                sites,
            })
        }
        .await,
    )
}

#[server(prefix = "/fn", endpoint = "failovers_waiting")]
pub async fn failovers_waiting() -> Result<Waiting, AppError> {
    use super::ctx::{require, respond};
    use crate::domain::access::Permission;
    use crate::server::db;
    respond(
        async {
            let (state, granted) = require(Permission::Read).await?;
            let mut tx = state.db.read().await?;
            let now = crate::server::usecases::audit::now();
            let waiting: Vec<Request> = db::failover::waiting(&mut tx)
                .await?
                .into_iter()
                .filter(|r| r.expire(now).is_none())
                .collect();
            Ok(Waiting {
                ids: awaiting(&waiting, &granted),
            })
        }
        .await,
    )
}

/// The sequence number of the request's newest audit event: it changes
/// whenever anything happens to the request. Watching pages poll it.
#[server(prefix = "/fn", endpoint = "failover_mark")]
pub async fn failover_mark(id: i64) -> Result<i64, AppError> {
    use super::ctx::{require, respond};
    use crate::domain::access::Permission;
    use crate::server::db::{self, audit::AuditQuery};
    use crate::server::usecases::{audit::now, failover};
    respond(
        async {
            let (state, _) = require(Permission::Read).await?;
            failover::expire_due(&state.db, now()).await?;
            let query = AuditQuery {
                entity_type: Some("failover".into()),
                entity_id: Some(id.to_string()),
                limit: 1,
                ..AuditQuery::default()
            };
            let newest = db::audit::search(&state.db, &query).await?;
            Ok(newest.first().map_or(0, |e| e.seq))
        }
        .await,
    )
}

#[server(prefix = "/fn", endpoint = "failover")]
pub async fn get_failover(id: i64) -> Result<FailoverView, AppError> {
    use super::ctx::{require, respond};
    use crate::domain::access::{Permission, Role};
    use crate::domain::action_item::ActionSource;
    use crate::server::db::{self, audit::AuditQuery};
    use crate::server::usecases::{audit::now, failover};
    respond(
        async {
            let (state, granted) = require(Permission::Read).await?;
            let now = now();
            failover::expire_due(&state.db, now).await?;
            let mut tx = state.db.read().await?;
            let request = AppError::found(db::failover::find(&mut tx, id).await?, || {
                format!("Failover request {id}")
            })?;
            let actions = db::recoveries::actions_of(&mut tx, ActionSource::Failover, id).await?;
            drop(tx);
            let computed = state.analysis.current(&state.db, now).await?;
            let target_rto_minutes = computed
                .analysis
                .services
                .iter()
                .filter(|s| request.services.iter().any(|k| k.as_str() == s.key))
                .filter_map(|s| s.target_rto_minutes)
                .min();
            let mut trail = db::audit::search(
                &state.db,
                &AuditQuery {
                    entity_type: Some("failover".into()),
                    entity_id: Some(id.to_string()),
                    limit: 1000,
                    ..AuditQuery::default()
                },
            )
            .await?;
            trail.reverse();
            Ok(FailoverView {
                can_decide: awaiting(std::slice::from_ref(&request), &granted) == [id],
                can_command: granted.also(Permission::RequestFailover).is_some(),
                can_record: granted.also(Permission::RecordExecution).is_some(),
                is_admin: granted.role == Role::Admin,
                request,
                now,
                target_rto_minutes,
                actions,
                trail,
            })
        }
        .await,
    )
}

#[server(prefix = "/fn", endpoint = "request_failover")]
pub async fn request_failover(request: RequestInput) -> Result<Request, AppError> {
    use super::ctx::{require, respond};
    use crate::domain::access::Permission;
    use crate::domain::failover::NewRequest;
    use crate::server::usecases::{audit::now, failover};
    respond(
        async {
            let (state, granted) = require(Permission::RequestFailover).await?;
            let new = NewRequest::parse(&request)?;
            let made = failover::request(
                &state.db,
                &state.analysis,
                &state.policy,
                &granted,
                new,
                now(),
            )
            .await?;
            leptos_axum::redirect(&format!("/failover/{}", made.id));
            Ok(made)
        }
        .await,
    )
}

/// Approves (`decision` = `approve`) or rejects with a reason.
#[server(prefix = "/fn", endpoint = "decide_failover")]
pub async fn decide_failover(
    id: i64,
    decision: String,
    #[server(default)] comment: String,
) -> Result<Request, AppError> {
    use super::ctx::{require, respond};
    use crate::domain::access::Permission;
    use crate::domain::failover::parse_comment;
    use crate::server::usecases::{audit::now, failover};
    respond(
        async {
            let (state, granted) = require(Permission::ApproveFailover).await?;
            let approve = match decision.as_str() {
                "approve" => true,
                "reject" => false,
                other => {
                    return Err(AppError::validation(
                        "decision",
                        format!("'{other}' is not a decision; expected approve or reject"),
                    ))
                }
            };
            let comment = parse_comment(&comment)?;
            let decided =
                failover::decide(&state.db, &granted, id, approve, &comment, now()).await?;
            leptos_axum::redirect(&format!("/failover/{id}"));
            Ok(decided)
        }
        .await,
    )
}

/// Starts execution: approved, or by break-glass with a justification.
#[server(prefix = "/fn", endpoint = "start_failover")]
pub async fn start_failover(
    id: i64,
    #[server(default)] justification: String,
    #[server(default)] break_glass: bool,
) -> Result<Request, AppError> {
    use super::ctx::{require, respond};
    use crate::domain::access::Permission;
    use crate::server::usecases::{audit::now, failover};
    respond(
        async {
            let (state, granted) = require(Permission::RequestFailover).await?;
            let started = match break_glass {
                true => {
                    failover::break_glass(
                        &state.db,
                        &state.analysis,
                        &granted,
                        id,
                        &justification,
                        now(),
                    )
                    .await?
                }
                false => failover::start(&state.db, &state.analysis, &granted, id, now()).await?,
            };
            leptos_axum::redirect(&format!("/failover/{id}"));
            Ok(started)
        }
        .await,
    )
}

/// Starts (`action` = `start`) or finishes a step of a war room's step
/// log, with its outcome: `log` is `failover` (a request's execution) or
/// `drill`. The war room of a failover needs the permission to record
/// execution steps, a drill's the permission to record drill results.
/// Answers the path of the page to show next.
#[server(prefix = "/fn", endpoint = "record_step")]
pub async fn record_step(
    log: String,
    id: i64,
    section: String,
    position: u32,
    action: String,
    #[server(default)] outcome: String,
    #[server(default)] note: String,
) -> Result<String, AppError> {
    use super::ctx::{require, respond};
    use crate::domain::access::Permission;
    use crate::domain::field::optional_text;
    use crate::domain::steplog::{Outcome, Section, StepAction};
    use crate::server::usecases::{audit::now, drills, failover};
    respond(
        async {
            let permission = match log.as_str() {
                "failover" => Permission::RecordExecution,
                "drill" => Permission::EditServices,
                other => {
                    return Err(AppError::validation(
                        "log",
                        format!("'{other}' is not a step log; expected failover or drill"),
                    ))
                }
            };
            let (state, granted) = require(permission).await?;
            let section = Section::parse_field("section", &section)?;
            let step_action = match action.as_str() {
                "start" => StepAction::Start,
                "finish" => StepAction::Finish {
                    outcome: Outcome::parse_field("outcome", &outcome)?,
                    note: optional_text("note", &note, 2000)?,
                },
                other => {
                    return Err(AppError::validation(
                        "action",
                        format!("'{other}' is not a step action; expected start or finish"),
                    ))
                }
            };
            let path = if permission == Permission::RecordExecution {
                failover::record_step(
                    &state.db,
                    &granted,
                    id,
                    section,
                    position,
                    step_action,
                    now(),
                )
                .await?;
                format!("/failover/{id}")
            } else {
                drills::record_step(
                    &state.db,
                    &granted,
                    id,
                    section,
                    position,
                    step_action,
                    now(),
                )
                .await?;
                format!("/drills/{id}")
            };
            leptos_axum::redirect(&path);
            Ok(path)
        }
        .await,
    )
}

/// Completes execution, begins the rollback (with a reason), or closes
/// the rollback: `action` = `complete`, `rollback` or `rolled_back`.
#[server(prefix = "/fn", endpoint = "close_failover")]
pub async fn close_failover(
    id: i64,
    action: String,
    #[server(default)] reason: String,
) -> Result<Request, AppError> {
    use super::ctx::{require, respond};
    use crate::domain::access::Permission;
    use crate::server::usecases::{audit::now, failover};
    respond(
        async {
            let (state, granted) = require(Permission::RequestFailover).await?;
            let (db, now) = (&state.db, now());
            let closed = match action.as_str() {
                "complete" => failover::complete(db, &granted, id, now).await?,
                "rollback" => failover::begin_rollback(db, &granted, id, &reason, now).await?,
                "rolled_back" => failover::finish_rollback(db, &granted, id, now).await?,
                other => {
                    return Err(AppError::validation(
                        "action",
                        format!(
                        "'{other}' is not an action; expected complete, rollback or rolled_back"
                    ),
                    ))
                }
            };
            leptos_axum::redirect(&format!("/failover/{id}"));
            Ok(closed)
        }
        .await,
    )
}
