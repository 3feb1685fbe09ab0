//! The dashboard's figures.

use super::error::AppError;
use crate::domain::access::Role;
use crate::domain::audit::ChainStatus;
use crate::domain::scorecard::Scorecard;
use leptos::prelude::*;
use serde::{Deserialize, Serialize};

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Dashboard {
    /// The viewer's role, for "what you may do".
    pub role: Role,
    pub backend: String,
    pub users_by_role: Vec<(Role, i64)>,
    pub active_users: i64,
    pub sites: i64,
    /// How many findings of the recovery analysis are RTO gaps (the
    /// scorecard counts them all).
    pub rto_gaps: usize,
    /// Approved BIAs past their review date.
    pub overdue_reviews: usize,
    pub audit_events: i64,
    pub chain: ChainStatus,
    /// The readiness scorecard (SPEC §5.7, §7).
    pub scorecard: Scorecard,
}

#[server(prefix = "/fn", endpoint = "dashboard")]
pub async fn get_dashboard() -> Result<Dashboard, AppError> {
    use super::ctx::{require, respond};
    use crate::domain::access::Permission;
    respond(
        async {
            let (state, granted) = require(Permission::Read).await?;
            crate::server::usecases::dashboard::load(&state, granted.role).await
        }
        .await,
    )
}
