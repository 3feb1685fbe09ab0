//! Runbooks: the list, one runbook's versions and form, saving,
//! approving, and generating a site's scenario runbook.

use super::error::AppError;
use crate::domain::runbook::{Runbook, RunbookInput, RunbookScope};
use leptos::prelude::*;
use serde::{Deserialize, Serialize};

/// Blank rows the form offers for new steps.
pub const BLANK_ROWS: usize = 3;

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct RunbookRow {
    pub path: String,
    pub scope: RunbookScope,
    pub subject: String,
    pub name: String,
    pub version: u32,
    pub status: String,
    pub steps: usize,
    pub expected_minutes: u64,
    pub review_due: String,
    pub overdue: bool,
}

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct RunbookList {
    pub runbooks: Vec<RunbookRow>,
    /// Services of tier 0-2 with no approved runbook: `KEY — name`.
    pub missing: Vec<String>,
    /// Sites whose scenario runbook can be opened or generated.
    pub sites: Vec<(String, String)>,
}

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct RunbookView {
    pub scope: RunbookScope,
    pub subject: String,
    pub name: String,
    /// Newest first.
    pub versions: Vec<Runbook>,
    /// What the form starts with: the newest version and blank rows.
    pub input: RunbookInput,
    pub overdue: bool,
    pub can_edit: bool,
    pub can_approve: bool,
}

#[server(prefix = "/fn", endpoint = "runbooks")]
pub async fn list_runbooks() -> Result<RunbookList, AppError> {
    use super::ctx::{require, respond};
    use crate::domain::access::Permission;
    use crate::server::db;
    use crate::server::usecases::audit::now;
    use std::collections::{HashMap, HashSet};
    respond(
        async {
            let (state, _) = require(Permission::Read).await?;
            let today = now().as_datetime().date();
            let computed = state.analysis.current(&state.db, now()).await?;
            let mut tx = state.db.read().await?;
            let latest = db::runbooks::latest(&mut tx).await?;
            let approved: HashSet<String> =
                db::runbooks::latest_approved(&mut tx, RunbookScope::Service)
                    .await?
                    .into_iter()
                    .map(|r| r.subject.to_string())
                    .collect();
            let names: HashMap<&str, &str> = computed
                .portfolio
                .services
                .iter()
                .map(|s| (s.key.as_str(), s.name.as_str()))
                .chain(
                    computed
                        .portfolio
                        .sites
                        .iter()
                        .map(|s| (s.key.as_str(), s.name.as_str())),
                )
                .collect();
            let runbooks = latest
                .iter()
                .map(|r| RunbookRow {
                    path: r.path(),
                    scope: r.scope,
                    subject: r.subject.to_string(),
                    name: names
                        .get(r.subject.as_str())
                        .copied()
                        .unwrap_or_default()
                        .to_string(),
                    version: r.version,
                    status: r.status.to_string(),
                    steps: r.content.steps.len(),
                    expected_minutes: r.content.expected_minutes(),
                    review_due: r.approval.review_text(),
                    overdue: r.review_overdue(today),
                })
                .collect();
            let missing = computed
                .analysis
                .services
                .iter()
                .filter(|s| s.tier <= 2 && !approved.contains(&s.key))
                .map(|s| format!("{} — {}", s.key, s.name))
                .collect();
            let mut sites: Vec<(String, String)> = computed
                .portfolio
                .sites
                .iter()
                .map(|s| (s.key.to_string(), s.name.clone()))
                .collect();
            sites.sort();
            Ok(RunbookList {
                runbooks,
                missing,
                sites,
            })
        }
        .await,
    )
}

#[server(prefix = "/fn", endpoint = "runbook")]
pub async fn get_runbook(scope: String, subject: String) -> Result<RunbookView, AppError> {
    use super::ctx::{require, respond};
    use crate::domain::access::{Grant, Permission};
    use crate::domain::inventory::RecordKey;
    use crate::domain::runbook::RunbookContent;
    use crate::server::{db, usecases};
    respond(
        async {
            let (state, granted) = require(Permission::Read).await?;
            let scope = RunbookScope::parse_field("scope", &scope)?;
            let key = RecordKey::parse_field("subject", &subject)?;
            let mut tx = state.db.read().await?;
            let name = match scope {
                RunbookScope::Service => {
                    db::services::find_in(&mut tx, &key).await?.map(|s| s.name)
                }
                RunbookScope::Site => db::sites::find_in(&mut tx, &key).await?.map(|s| s.name),
            };
            let name = AppError::found(name, || {
                format!(
                    "{} {key}",
                    if scope == RunbookScope::Site {
                        "Site"
                    } else {
                        "Service"
                    }
                )
            })?;
            let versions = db::runbooks::versions(&mut tx, scope, &key).await?;
            drop(tx);
            let today = usecases::audit::now().as_datetime().date();
            let can_edit = match (granted.also(Permission::EditServices), scope) {
                (Some(edit), RunbookScope::Service) => {
                    usecases::services::may_edit(&state.db, &edit, &key).await?
                }
                (Some(edit), RunbookScope::Site) => edit.scope == Grant::Allowed,
                (None, _) => false,
            };
            Ok(RunbookView {
                scope,
                subject: key.to_string(),
                name,
                input: versions
                    .first()
                    .map(|r| r.content.clone())
                    .unwrap_or_else(RunbookContent::default)
                    .to_input(BLANK_ROWS),
                overdue: versions
                    .iter()
                    .find(|r| r.status == crate::domain::approval::ApprovalStatus::Approved)
                    .is_some_and(|r| r.review_overdue(today)),
                versions,
                can_edit,
                can_approve: granted.also(Permission::ApproveRecords).is_some(),
            })
        }
        .await,
    )
}

#[server(prefix = "/fn", endpoint = "save_runbook")]
pub async fn save_runbook(
    scope: String,
    subject: String,
    runbook: RunbookInput,
) -> Result<Runbook, AppError> {
    use super::ctx::{require, respond};
    use crate::domain::access::Permission;
    use crate::domain::inventory::RecordKey;
    use crate::domain::runbook::RunbookContent;
    use crate::server::usecases::{audit::now, runbooks};
    respond(
        async {
            let (state, granted) = require(Permission::EditServices).await?;
            let scope = RunbookScope::parse_field("scope", &scope)?;
            let key = RecordKey::parse_field("subject", &subject)?;
            let content = RunbookContent::parse(&runbook)?;
            let saved = runbooks::save(&state.db, &granted, scope, &key, content, now()).await?;
            leptos_axum::redirect(&saved.path());
            Ok(saved)
        }
        .await,
    )
}

#[server(prefix = "/fn", endpoint = "approve_runbook")]
pub async fn approve_runbook(
    scope: String,
    subject: String,
    version: u32,
) -> Result<Runbook, AppError> {
    use super::ctx::{require, respond};
    use crate::domain::access::Permission;
    use crate::domain::inventory::RecordKey;
    use crate::server::usecases::{audit::now, runbooks};
    respond(
        async {
            let (state, granted) = require(Permission::ApproveRecords).await?;
            let scope = RunbookScope::parse_field("scope", &scope)?;
            let key = RecordKey::parse_field("subject", &subject)?;
            let approved =
                runbooks::approve(&state.db, &granted, scope, &key, version, now()).await?;
            leptos_axum::redirect(&approved.path());
            Ok(approved)
        }
        .await,
    )
}

/// Drafts the scenario runbook of losing `site` from its simulation.
#[server(prefix = "/fn", endpoint = "generate_runbook")]
pub async fn generate_runbook(site: String) -> Result<Runbook, AppError> {
    use super::ctx::{require, respond};
    use crate::domain::access::Permission;
    use crate::domain::inventory::RecordKey;
    use crate::server::usecases::{audit::now, runbooks};
    respond(
        async {
            let (state, granted) = require(Permission::EditServices).await?;
            let key = RecordKey::parse_field("site", &site)?;
            let generated =
                runbooks::generate(&state.db, &state.analysis, &granted, &key, now()).await?;
            leptos_axum::redirect(&generated.path());
            Ok(generated)
        }
        .await,
    )
}
