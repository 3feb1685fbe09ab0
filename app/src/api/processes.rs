//! Business processes: list, detail with the services they use, RACI and
//! history, the form, and the writes.

use super::error::AppError;
use crate::domain::history::HistoryEntry;
use crate::domain::inventory::process::{Process, ProcessInput};
use crate::domain::inventory::raci::RaciAssignment;
use leptos::prelude::*;
use serde::{Deserialize, Serialize};

/// A process in the list, with where its BIA stands.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct ProcessRow {
    pub process: Process,
    /// The newest version's status, if it has a BIA.
    pub bia_status: Option<String>,
    /// When the newest approved version is due for review.
    pub review_due: Option<String>,
    pub review_overdue: bool,
}

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct ProcessList {
    pub processes: Vec<ProcessRow>,
    /// How many approved BIAs are past their review date.
    pub overdue: usize,
    pub can_edit: bool,
}

/// A service a process uses, as its page lists it.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct UsedService {
    pub key: String,
    pub name: String,
    pub tier: Option<u8>,
    pub primary_site: String,
}

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct ProcessDetail {
    pub process: Process,
    pub services: Vec<UsedService>,
    pub raci: Vec<RaciAssignment>,
    pub raci_gap: Option<String>,
    pub history: Vec<HistoryEntry>,
    /// Whether the viewer may edit it and its RACI.
    pub can_edit: bool,
}

#[server(prefix = "/fn", endpoint = "processes")]
pub async fn list_processes(#[server(default)] search: String) -> Result<ProcessList, AppError> {
    use super::ctx::{require, respond};
    use crate::domain::access::{may, Permission};
    respond(
        async {
            use crate::domain::bia::review_overdue;
            use crate::server::db;
            let (state, granted) = require(Permission::Read).await?;
            let mut tx = state.db.read().await?;
            let newest = db::bia::latest(&mut tx).await?;
            let approved = db::bia::latest_approved(&mut tx).await?;
            let today = crate::server::usecases::audit::now().as_datetime().date();
            let processes: Vec<ProcessRow> = db::processes::list(&mut tx, &search)
                .await?
                .into_iter()
                .map(|process| {
                    let latest = newest.iter().find(|b| b.process == process.key);
                    let current = approved.iter().find(|b| b.process == process.key);
                    ProcessRow {
                        bia_status: latest.map(|b| format!("v{} {}", b.version, b.status)),
                        review_due: current.map(|b| b.approval.review_text()),
                        review_overdue: current.is_some_and(|b| review_overdue(b, today)),
                        process,
                    }
                })
                .collect();
            Ok(ProcessList {
                overdue: processes.iter().filter(|p| p.review_overdue).count(),
                processes,
                can_edit: may(granted.role, Permission::EditReferenceData),
            })
        }
        .await,
    )
}

#[server(prefix = "/fn", endpoint = "process")]
pub async fn get_process(key: String) -> Result<ProcessDetail, AppError> {
    use super::ctx::{require, respond};
    use crate::domain::access::{may, Permission};
    use crate::domain::inventory::raci::{accountability_gap, RaciSubject};
    use crate::domain::inventory::RecordKey;
    use crate::server::db;
    respond(
        async {
            let (state, granted) = require(Permission::Read).await?;
            let key = RecordKey::parse(&key)?;
            let mut tx = state.db.read().await?;
            let process = AppError::found(db::processes::find(&mut tx, &key).await?, || {
                format!("Process {key}")
            })?;
            let mut services = Vec::new();
            for k in &process.services {
                if let Some(s) = db::services::find_in(&mut tx, k).await? {
                    services.push(UsedService {
                        key: s.key.to_string(),
                        name: s.name,
                        tier: s.tier,
                        primary_site: s.primary_site.to_string(),
                    });
                }
            }
            let raci = db::raci::of(&state.db, RaciSubject::Process, &key).await?;
            Ok(ProcessDetail {
                raci_gap: accountability_gap(raci.iter().map(|a| a.letter)),
                raci,
                history: db::history::of(&state.db, "process", key.as_str()).await?,
                process,
                services,
                can_edit: may(granted.role, Permission::EditReferenceData),
            })
        }
        .await,
    )
}

/// What the process form starts with: a new process (empty `key`) or the
/// one stored under `key`.
#[server(prefix = "/fn", endpoint = "process_form")]
pub async fn process_form(#[server(default)] key: String) -> Result<ProcessInput, AppError> {
    use super::ctx::{require, respond};
    use crate::domain::access::Permission;
    use crate::domain::inventory::RecordKey;
    respond(
        async {
            let (state, _) = require(Permission::EditReferenceData).await?;
            let Some(key) = RecordKey::optional(&key)? else {
                return Ok(ProcessInput {
                    criticality: "high".into(),
                    ..ProcessInput::default()
                });
            };
            let mut tx = state.db.read().await?;
            let process = crate::server::db::processes::find(&mut tx, &key).await?;
            AppError::found(process.map(|p| p.to_input()), || format!("Process {key}"))
        }
        .await,
    )
}

/// Creates a process, or replaces the one stored under `original_key`.
#[server(prefix = "/fn", endpoint = "save_process")]
pub async fn save_process(
    #[server(default)] original_key: String,
    process: ProcessInput,
) -> Result<Process, AppError> {
    use super::ctx::{require, respond};
    use crate::domain::access::Permission;
    use crate::domain::inventory::RecordKey;
    use crate::server::usecases::{audit::now, processes};
    respond(
        async {
            let (state, granted) = require(Permission::EditReferenceData).await?;
            let parsed = Process::parse(&process)?;
            let original = RecordKey::optional(&original_key)?;
            let saved =
                processes::save(&state.db, &granted, original.as_ref(), parsed, now()).await?;
            leptos_axum::redirect(&format!("/processes/{}", saved.key));
            Ok(saved)
        }
        .await,
    )
}

#[server(prefix = "/fn", endpoint = "delete_process")]
pub async fn delete_process(key: String) -> Result<(), AppError> {
    use super::ctx::{require, respond};
    use crate::domain::access::Permission;
    use crate::domain::inventory::RecordKey;
    use crate::server::usecases::{audit::now, processes};
    respond(
        async {
            let (state, granted) = require(Permission::EditReferenceData).await?;
            processes::delete(&state.db, &granted, &RecordKey::parse(&key)?, now()).await?;
            leptos_axum::redirect("/processes");
            Ok(())
        }
        .await,
    )
}
