//! The audit log page: search and chain status.

use super::error::AppError;
use crate::domain::audit::{AuditEvent, ChainStatus};
use leptos::prelude::*;
use serde::{Deserialize, Serialize};

pub const PAGE_SIZE: i64 = 50;

/// The audit page's filters, as the query string carries them.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(default)]
pub struct AuditFilter {
    pub actor: String,
    pub action: String,
    pub entity: String,
    pub from: String,
    pub to: String,
    pub before: Option<i64>,
}

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct AuditPage {
    pub events: Vec<AuditEvent>,
    pub actions: Vec<String>,
    /// Pass as `before` for the next (older) page.
    pub older: Option<i64>,
    pub chain: ChainStatus,
}

#[server(prefix = "/fn", endpoint = "audit")]
pub async fn search_audit(#[server(default)] filter: AuditFilter) -> Result<AuditPage, AppError> {
    use super::ctx::{require, respond};
    use crate::domain::{access::Permission, timestamp::parse_day};
    use crate::server::{db, usecases};
    respond(
        async {
            let (state, _) = require(Permission::ReadAudit).await?;
            let text = |s: &str| Some(s.trim().to_string()).filter(|s| !s.is_empty());
            let day = |field: &str, s: &str| text(s).map(|s| parse_day(field, &s)).transpose();
            let query = db::audit::AuditQuery {
                actor: text(&filter.actor),
                action: text(&filter.action),
                entity_type: text(&filter.entity),
                entity_id: None,
                from: day("from", &filter.from)?,
                to: day("to", &filter.to)?.map(|t| t + time::Duration::days(1)),
                before_seq: filter.before,
                limit: PAGE_SIZE,
            };
            let events = db::audit::search(&state.db, &query).await?;
            let older = (events.len() as i64 == PAGE_SIZE)
                .then(|| events.last().map(|e| e.seq))
                .flatten();
            Ok(AuditPage {
                events,
                actions: db::audit::actions(&state.db).await?,
                older,
                chain: usecases::audit::verify(&state.db).await?,
            })
        }
        .await,
    )
}
