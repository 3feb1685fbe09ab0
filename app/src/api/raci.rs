//! The RACI matrix: services (and business processes) × parties, with
//! the records that lack exactly one accountable party counted and
//! highlighted.

use super::error::AppError;
use super::services::SiteChoice;
use crate::domain::inventory::raci::RaciMatrix;
use crate::domain::inventory::service::ServiceQuery;
use leptos::prelude::*;
use serde::{Deserialize, Serialize};

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct RaciView {
    /// The services of this page, as rows.
    pub matrix: RaciMatrix,
    /// Services matching the filters, over all pages.
    pub total: i64,
    pub page: u32,
    pub pages: u32,
    /// Services without exactly one A, in the whole inventory.
    pub incomplete: i64,
    /// Every business process, as rows.
    pub processes: RaciMatrix,
    pub sites: Vec<SiteChoice>,
    pub owners: Vec<String>,
}

#[server(prefix = "/fn", endpoint = "raci")]
pub async fn get_raci(#[server(default)] query: ServiceQuery) -> Result<RaciView, AppError> {
    use super::ctx::{require, respond};
    use crate::domain::access::Permission;
    use crate::domain::inventory::raci::RaciSubject;
    use crate::domain::inventory::service::ServiceFilter;
    use crate::server::db;
    respond(
        async {
            let (state, _) = require(Permission::Read).await?;
            let filter = ServiceFilter::parse(&query)?;
            let list = super::services::list_page(&state.db, &filter).await?;
            let keys: Vec<String> = list.0.iter().map(|s| s.key.to_string()).collect();
            let assignments = db::raci::on_keys(&state.db, RaciSubject::Service, &keys).await?;
            let records = list
                .0
                .into_iter()
                .map(|s| (RaciSubject::Service, s.key, s.name))
                .collect();
            let mut tx = state.db.read().await?;
            let processes = db::processes::list(&mut tx, "").await?;
            let process_keys: Vec<String> = processes.iter().map(|p| p.key.to_string()).collect();
            let held = db::raci::on_keys(&state.db, RaciSubject::Process, &process_keys).await?;
            let process_records = processes
                .into_iter()
                .map(|p| (RaciSubject::Process, p.key, p.name))
                .collect();
            Ok(RaciView {
                processes: RaciMatrix::build(process_records, &held),
                matrix: RaciMatrix::build(records, &assignments),
                total: list.1,
                page: filter.page,
                pages: list.2,
                incomplete: db::raci::incomplete_services(&state.db).await?,
                sites: super::services::site_choices(&state.db).await?,
                owners: db::services::owner_teams(&state.db).await?,
            })
        }
        .await,
    )
}
