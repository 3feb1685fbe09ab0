//! Drills, coverage, post-mortems and action items.

use super::error::AppError;
use crate::domain::action_item::ActionItem;
use crate::domain::drill::{Coverage, Drill, DrillInput, ResultInput};
use crate::domain::postmortem::{ActionInput, PostMortem, PostMortemInput};
use leptos::prelude::*;
use serde::{Deserialize, Serialize};

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct DrillRow {
    pub drill: Drill,
    /// Backup windows inside the drill window.
    pub warnings: Vec<String>,
}

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct DrillList {
    /// By start.
    pub drills: Vec<DrillRow>,
    pub can_plan: bool,
}

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct ServiceTargets {
    pub service: String,
    pub target_rto_minutes: Option<i64>,
    pub target_rpo_minutes: Option<i64>,
    /// Whether the viewer may record this service's result.
    pub can_record: bool,
}

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct DrillView {
    pub drill: Drill,
    pub warnings: Vec<String>,
    pub targets: Vec<ServiceTargets>,
    pub can_manage: bool,
    pub post_mortem: Option<i64>,
    pub now: crate::domain::timestamp::Timestamp,
}

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct ActionRow {
    pub item: ActionItem,
    pub overdue: bool,
    pub mine: bool,
}

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct ActionsView {
    pub post_mortems: Vec<(PostMortem, bool)>,
    pub actions: Vec<ActionRow>,
}

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct PostMortemView {
    pub post_mortem: PostMortem,
    pub overdue: bool,
    pub actions: Vec<ActionItem>,
    pub can_edit: bool,
}

#[cfg(feature = "ssr")]
fn may_manage(granted: &crate::server::auth::Granted) -> bool {
    use crate::domain::access::{Grant, Permission};
    granted
        .also(Permission::EditServices)
        .is_some_and(|g| g.scope == Grant::Allowed)
}

#[server(prefix = "/fn", endpoint = "drills")]
pub async fn list_drills() -> Result<DrillList, AppError> {
    use super::ctx::{require, respond};
    use crate::domain::access::Permission;
    use crate::server::db;
    respond(
        async {
            let (state, granted) = require(Permission::Read).await?;
            let mut tx = state.db.read().await?;
            let links = db::replication::all(&mut tx).await?;
            let drills = db::drills::all(&mut tx)
                .await?
                .into_iter()
                .map(|drill| DrillRow {
                    warnings: drill.backup_warnings(&links),
                    drill,
                })
                .collect();
            Ok(DrillList {
                drills,
                can_plan: may_manage(&granted),
            })
        }
        .await,
    )
}

#[server(prefix = "/fn", endpoint = "drill")]
pub async fn get_drill(id: i64) -> Result<DrillView, AppError> {
    use super::ctx::{require, respond};
    use crate::domain::access::Permission;
    use crate::domain::action_item::ActionSource;
    use crate::server::{db, usecases};
    respond(
        async {
            let (state, granted) = require(Permission::Read).await?;
            let mut tx = state.db.read().await?;
            let drill = AppError::found(db::drills::find(&mut tx, id).await?, || {
                format!("Drill {id}")
            })?;
            let warnings = drill.backup_warnings(&db::replication::all(&mut tx).await?);
            let post_mortem = db::drills::post_mortem_of(&mut tx, ActionSource::Drill, id)
                .await?
                .map(|p| p.id);
            drop(tx);
            let computed = state
                .analysis
                .current(&state.db, usecases::audit::now())
                .await?;
            let edit = granted.also(Permission::EditServices);
            let mut targets = Vec::new();
            for s in &drill.services {
                let analysis = computed
                    .analysis
                    .services
                    .iter()
                    .find(|a| a.key == s.service.as_str());
                let can_record = match &edit {
                    Some(edit) => usecases::services::may_edit(&state.db, edit, &s.service).await?,
                    None => false,
                };
                targets.push(ServiceTargets {
                    service: s.service.to_string(),
                    target_rto_minutes: analysis.and_then(|a| a.target_rto_minutes),
                    target_rpo_minutes: analysis.and_then(|a| a.target_rpo_minutes),
                    can_record,
                });
            }
            Ok(DrillView {
                drill,
                warnings,
                targets,
                can_manage: may_manage(&granted),
                post_mortem,
                now: usecases::audit::now(),
            })
        }
        .await,
    )
}

#[server(prefix = "/fn", endpoint = "plan_drill")]
pub async fn plan_drill(drill: DrillInput) -> Result<Drill, AppError> {
    use super::ctx::{require, respond};
    use crate::domain::access::Permission;
    use crate::server::usecases::{audit::now, drills};
    respond(
        async {
            let (state, granted) = require(Permission::EditServices).await?;
            let planned = drills::plan(&state.db, &granted, &drill, now()).await?;
            leptos_axum::redirect(&format!("/drills/{}", planned.id));
            Ok(planned)
        }
        .await,
    )
}

/// `action` = `start`, `complete` (with the notes) or `cancel`.
#[server(prefix = "/fn", endpoint = "advance_drill")]
pub async fn advance_drill(
    id: i64,
    action: String,
    #[server(default)] notes: String,
) -> Result<Drill, AppError> {
    use super::ctx::{require, respond};
    use crate::domain::access::Permission;
    use crate::domain::field::optional_text;
    use crate::server::usecases::{audit::now, drills};
    respond(
        async {
            let (state, granted) = require(Permission::EditServices).await?;
            let notes = optional_text("notes", &notes, 10_000)?;
            let drill = drills::advance(
                &state.db,
                &state.analysis,
                &granted,
                id,
                &action,
                &notes,
                now(),
            )
            .await?;
            leptos_axum::redirect(&format!("/drills/{id}"));
            Ok(drill)
        }
        .await,
    )
}

#[server(prefix = "/fn", endpoint = "record_drill_result")]
pub async fn record_drill_result(
    id: i64,
    service: String,
    #[server(default)] result: ResultInput,
) -> Result<Drill, AppError> {
    use super::ctx::{require, respond};
    use crate::domain::access::Permission;
    use crate::domain::inventory::RecordKey;
    use crate::server::usecases::{audit::now, drills};
    respond(
        async {
            let (state, granted) = require(Permission::EditServices).await?;
            let key = RecordKey::parse_field("service", &service)?;
            let drill = drills::record(
                &state.db,
                &state.analysis,
                &granted,
                id,
                &key,
                &result,
                now(),
            )
            .await?;
            leptos_axum::redirect(&format!("/drills/{id}"));
            Ok(drill)
        }
        .await,
    )
}

#[server(prefix = "/fn", endpoint = "drill_coverage")]
pub async fn drill_coverage() -> Result<Vec<Coverage>, AppError> {
    use super::ctx::{require, respond};
    use crate::domain::access::Permission;
    use crate::server::usecases::audit::now;
    respond(
        async {
            let (state, _) = require(Permission::Read).await?;
            let now = now();
            let computed = state.analysis.current(&state.db, now).await?;
            Ok(computed.coverage(now.as_datetime().date()))
        }
        .await,
    )
}

#[server(prefix = "/fn", endpoint = "actions")]
pub async fn list_actions() -> Result<ActionsView, AppError> {
    use super::ctx::{require, respond, signed_in};
    use crate::domain::access::Permission;
    use crate::server::db;
    use crate::server::usecases::audit::now;
    respond(
        async {
            let (state, _) = require(Permission::Read).await?;
            let (_, user) = signed_in().await?;
            let now = now();
            let today = now.as_datetime().date();
            let mut tx = state.db.read().await?;
            let post_mortems = db::drills::post_mortems(&mut tx)
                .await?
                .into_iter()
                .map(|p| {
                    let overdue = p.overdue(now);
                    (p, overdue)
                })
                .collect();
            let actions = db::recoveries::all_actions(&mut tx)
                .await?
                .into_iter()
                .map(|item| ActionRow {
                    overdue: item.overdue(today),
                    mine: item.owner == user.display_name || item.owner == user.email,
                    item,
                })
                .collect();
            Ok(ActionsView {
                post_mortems,
                actions,
            })
        }
        .await,
    )
}

#[server(prefix = "/fn", endpoint = "post_mortem")]
pub async fn get_post_mortem(id: i64) -> Result<PostMortemView, AppError> {
    use super::ctx::{require, respond};
    use crate::domain::access::Permission;
    use crate::server::db;
    use crate::server::usecases::audit::now;
    respond(
        async {
            let (state, granted) = require(Permission::Read).await?;
            let mut tx = state.db.read().await?;
            let pm = AppError::found(db::drills::post_mortem(&mut tx, id).await?, || {
                format!("Post-mortem {id}")
            })?;
            let actions = db::recoveries::actions_of(&mut tx, pm.source, pm.source_id).await?;
            Ok(PostMortemView {
                overdue: pm.overdue(now()),
                post_mortem: pm,
                actions,
                can_edit: may_manage(&granted),
            })
        }
        .await,
    )
}

#[server(prefix = "/fn", endpoint = "save_post_mortem")]
pub async fn save_post_mortem(
    id: i64,
    #[server(default)] post_mortem: PostMortemInput,
) -> Result<PostMortem, AppError> {
    use super::ctx::{require, respond};
    use crate::domain::access::Permission;
    use crate::server::usecases::{audit::now, drills};
    respond(
        async {
            let (state, granted) = require(Permission::EditServices).await?;
            let saved =
                drills::save_post_mortem(&state.db, &granted, id, &post_mortem, now()).await?;
            leptos_axum::redirect(&format!("/postmortems/{id}"));
            Ok(saved)
        }
        .await,
    )
}

#[server(prefix = "/fn", endpoint = "add_action_item")]
pub async fn add_action_item(
    post_mortem: i64,
    #[server(default)] action: ActionInput,
) -> Result<ActionItem, AppError> {
    use super::ctx::{require, respond};
    use crate::domain::access::Permission;
    use crate::server::usecases::{audit::now, drills};
    respond(
        async {
            let (state, granted) = require(Permission::EditServices).await?;
            let item = drills::add_action(&state.db, &granted, post_mortem, &action, now()).await?;
            leptos_axum::redirect(&format!("/postmortems/{post_mortem}"));
            Ok(item)
        }
        .await,
    )
}

/// Closes (`status` = `done`) or reopens an action item.
#[server(prefix = "/fn", endpoint = "set_action_item")]
pub async fn set_action_item(id: i64, status: String) -> Result<ActionItem, AppError> {
    use super::ctx::{require, respond, signed_in};
    use crate::domain::access::Permission;
    use crate::domain::action_item::ActionStatus;
    use crate::server::usecases::{audit::now, drills};
    respond(
        async {
            let (state, granted) = require(Permission::Read).await?;
            let (_, user) = signed_in().await?;
            let status = ActionStatus::parse_field("status", &status)?;
            let item = drills::set_action_status(
                &state.db,
                &granted,
                id,
                status,
                &user.display_name,
                now(),
            )
            .await?;
            leptos_axum::redirect("/actions");
            Ok(item)
        }
        .await,
    )
}

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Trends {
    /// Mean time to recover by month: real failovers (request to
    /// completion) and drills (per service).
    pub mttr: crate::domain::trends::Chart,
    /// Per service recoveries against their target RTO, by month.
    pub achieved: crate::domain::trends::Chart,
    pub failovers: usize,
    pub recoveries: usize,
}

#[server(prefix = "/fn", endpoint = "trends")]
pub async fn get_trends() -> Result<Trends, AppError> {
    use super::ctx::{require, respond};
    use crate::domain::access::Permission;
    use crate::domain::trends::chart;
    use crate::server::usecases::audit::now;
    respond(
        async {
            let (state, _) = require(Permission::Read).await?;
            let computed = state.analysis.current(&state.db, now()).await?;
            let mut tx = state.db.read().await?;
            let t = crate::server::usecases::trends::load(&mut tx, &computed).await?;
            Ok(Trends {
                mttr: chart(&t.mttr, 640.0, 240.0),
                achieved: chart(&t.achieved, 640.0, 240.0),
                failovers: t.failovers,
                recoveries: t.recoveries,
            })
        }
        .await,
    )
}
