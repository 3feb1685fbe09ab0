//! A process's BIA: its versions, the grid form, saving and approving.

use super::error::AppError;
use crate::domain::bia::{Bia, BiaInput};
use leptos::prelude::*;
use serde::{Deserialize, Serialize};

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct BiaView {
    pub process: String,
    pub process_name: String,
    /// Newest first.
    pub versions: Vec<Bia>,
    /// What the form starts with: the newest version, or blank.
    pub input: BiaInput,
    /// Whether the newest approved version is past its review date.
    pub review_overdue: bool,
    pub can_edit: bool,
    pub can_approve: bool,
}

#[server(prefix = "/fn", endpoint = "bia")]
pub async fn get_bia(process: String) -> Result<BiaView, AppError> {
    use super::ctx::{require, respond};
    use crate::domain::access::{may, Permission};
    use crate::domain::bia::{review_overdue, ApprovalStatus};
    use crate::domain::inventory::RecordKey;
    use crate::server::db;
    use crate::server::usecases::audit::now;
    respond(
        async {
            let (state, granted) = require(Permission::Read).await?;
            let key = RecordKey::parse_field("process", &process)?;
            let mut tx = state.db.read().await?;
            let found = AppError::found(db::processes::find(&mut tx, &key).await?, || {
                format!("Process {key}")
            })?;
            let versions = db::bia::versions(&mut tx, &key).await?;
            let today = now().as_datetime().date();
            let overdue = versions
                .iter()
                .find(|b| b.status == ApprovalStatus::Approved)
                .is_some_and(|b| review_overdue(b, today));
            Ok(BiaView {
                process: key.to_string(),
                process_name: found.name,
                input: versions
                    .first()
                    .map(|b| b.targets.to_input())
                    .unwrap_or_default(),
                versions,
                review_overdue: overdue,
                can_edit: may(granted.role, Permission::EditReferenceData),
                can_approve: may(granted.role, Permission::ApproveRecords),
            })
        }
        .await,
    )
}

/// Saves the BIA of `process`: its draft changes, or a new draft version
/// follows an approved one.
#[server(prefix = "/fn", endpoint = "save_bia")]
pub async fn save_bia(process: String, bia: BiaInput) -> Result<Bia, AppError> {
    use super::ctx::{require, respond};
    use crate::domain::access::Permission;
    use crate::domain::bia::BiaTargets;
    use crate::domain::inventory::RecordKey;
    use crate::server::usecases::{audit::now, bia as usecase};
    respond(
        async {
            let (state, granted) = require(Permission::EditReferenceData).await?;
            let key = RecordKey::parse_field("process", &process)?;
            let targets = BiaTargets::parse(&bia)?;
            let saved = usecase::save(&state.db, &granted, &key, targets, now()).await?;
            leptos_axum::redirect(&format!("/processes/{key}/bia"));
            Ok(saved)
        }
        .await,
    )
}

#[server(prefix = "/fn", endpoint = "approve_bia")]
pub async fn approve_bia(process: String, version: u32) -> Result<Bia, AppError> {
    use super::ctx::{require, respond};
    use crate::domain::access::Permission;
    use crate::domain::inventory::RecordKey;
    use crate::server::usecases::{audit::now, bia as usecase};
    respond(
        async {
            let (state, granted) = require(Permission::ApproveRecords).await?;
            let key = RecordKey::parse_field("process", &process)?;
            let approved = usecase::approve(&state.db, &granted, &key, version, now()).await?;
            leptos_axum::redirect(&format!("/processes/{key}/bia"));
            Ok(approved)
        }
        .await,
    )
}
