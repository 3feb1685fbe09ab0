//! Services: the filtered list, one service with its dependencies (drawn
//! and listed), RACI and history, the form, and the writes.

use super::error::AppError;
use crate::domain::history::HistoryEntry;
use crate::domain::inventory::graph::Layout;
use crate::domain::inventory::raci::RaciAssignment;
use crate::domain::inventory::replication::{ReplicationInput, ReplicationLink};
use crate::domain::inventory::service::{Dependency, Service, ServiceInput, ServiceQuery};
use leptos::prelude::*;
use serde::{Deserialize, Serialize};

/// A site to choose in a form or filter.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct SiteChoice {
    pub key: String,
    pub name: String,
}

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct ServiceList {
    pub services: Vec<Service>,
    /// How many services match, over all pages.
    pub total: i64,
    pub page: u32,
    pub pages: u32,
    pub sites: Vec<SiteChoice>,
    pub owners: Vec<String>,
    /// Whether the viewer may add services.
    pub can_create: bool,
}

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct ServiceDetail {
    pub service: Service,
    /// What this service needs.
    pub depends_on: Vec<Dependency>,
    /// What needs this service.
    pub dependents: Vec<Dependency>,
    pub graph: Layout,
    pub raci: Vec<RaciAssignment>,
    pub raci_gap: Option<String>,
    pub replication: Vec<ReplicationLink>,
    /// The business processes that use it, by key.
    pub processes: Vec<String>,
    /// The vendors it relies on, by name.
    pub vendors: Vec<String>,
    pub history: Vec<HistoryEntry>,
    /// Whether the viewer may edit this service and its dependencies.
    pub can_edit: bool,
    /// Whether the viewer may change its RACI assignments.
    pub can_assign: bool,
}

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct ServiceDraft {
    pub input: ServiceInput,
    pub sites: Vec<SiteChoice>,
}

/// How many steps up and down the detail page draws.
pub const GRAPH_DEPTH: i64 = 3;
/// How many services a column of the drawing holds.
pub const GRAPH_COLUMN: usize = 12;

#[cfg(feature = "ssr")]
pub(crate) async fn site_choices(db: &crate::server::db::Db) -> Result<Vec<SiteChoice>, AppError> {
    Ok(crate::server::db::sites::list(db, "")
        .await?
        .into_iter()
        .map(|s| SiteChoice {
            key: s.key.to_string(),
            name: s.name,
        })
        .collect())
}

/// One page of the filtered services, how many match and how many pages
/// they fill.
#[cfg(feature = "ssr")]
pub(crate) async fn list_page(
    db: &crate::server::db::Db,
    filter: &crate::domain::inventory::service::ServiceFilter,
) -> Result<(Vec<Service>, i64, u32), AppError> {
    use crate::domain::inventory::service::SERVICE_PAGE_SIZE;
    let (services, total) = crate::server::db::services::page(db, filter).await?;
    let pages = (total.max(1) as u64).div_ceil(u64::from(SERVICE_PAGE_SIZE)) as u32;
    Ok((services, total, pages))
}

#[server(prefix = "/fn", endpoint = "services")]
pub async fn list_services(
    #[server(default)] query: ServiceQuery,
) -> Result<ServiceList, AppError> {
    use super::ctx::{require, respond};
    use crate::domain::access::{grant, Grant, Permission};
    use crate::domain::inventory::service::ServiceFilter;
    use crate::server::db;
    respond(
        async {
            let (state, granted) = require(Permission::Read).await?;
            let filter = ServiceFilter::parse(&query)?;
            let (services, total, pages) = list_page(&state.db, &filter).await?;
            Ok(ServiceList {
                services,
                total,
                page: filter.page,
                pages,
                sites: site_choices(&state.db).await?,
                owners: db::services::owner_teams(&state.db).await?,
                can_create: grant(granted.role, Permission::EditServices) == Grant::Allowed,
            })
        }
        .await,
    )
}

#[server(prefix = "/fn", endpoint = "service")]
pub async fn get_service(key: String) -> Result<ServiceDetail, AppError> {
    use super::ctx::{require, respond};
    use crate::domain::access::{may, Permission};
    use crate::domain::inventory::graph::neighbourhood;
    use crate::domain::inventory::raci::{accountability_gap, RaciSubject};
    use crate::domain::inventory::RecordKey;
    use crate::server::db::links::{PROCESS_SERVICES, VENDOR_SERVICES};
    use crate::server::{db, usecases};
    respond(
        async {
            let (state, granted) = require(Permission::Read).await?;
            let key = RecordKey::parse(&key)?;
            let service = AppError::found(db::services::find(&state.db, &key).await?, || {
                format!("Service {key}")
            })?;
            let (depends_on, dependents) = db::dependencies::around(&state.db, &key)
                .await?
                .into_iter()
                .partition(|d| d.service == key);
            let edges = db::dependencies::neighbourhood(&state.db, &key, GRAPH_DEPTH).await?;
            let raci = db::raci::of(&state.db, RaciSubject::Service, &key).await?;
            let can_edit = match granted.also(Permission::EditServices) {
                Some(edit) => usecases::services::may_edit(&state.db, &edit, &key).await?,
                None => false,
            };
            let mut tx = state.db.read().await?;
            Ok(ServiceDetail {
                replication: db::replication::of(&mut tx, &key).await?,
                processes: PROCESS_SERVICES.naming(&mut tx, &key).await?,
                vendors: VENDOR_SERVICES.naming(&mut tx, &key).await?,
                graph: neighbourhood(key.as_str(), &edges, GRAPH_COLUMN),
                raci_gap: accountability_gap(raci.iter().map(|a| a.letter)),
                raci,
                history: db::history::of(&state.db, "service", key.as_str()).await?,
                service,
                depends_on,
                dependents,
                can_edit,
                can_assign: may(granted.role, Permission::EditReferenceData),
            })
        }
        .await,
    )
}

/// What the service form starts with: a new service (empty `key`) or the
/// one stored under `key`, and the sites to choose from.
#[server(prefix = "/fn", endpoint = "service_form")]
pub async fn service_form(#[server(default)] key: String) -> Result<ServiceDraft, AppError> {
    use super::ctx::{require, respond};
    use crate::domain::access::Permission;
    use crate::domain::inventory::RecordKey;
    use crate::server::{db, usecases};
    respond(
        async {
            let (state, granted) = require(Permission::EditServices).await?;
            let sites = site_choices(&state.db).await?;
            if key.trim().is_empty() {
                usecases::services::ensure_may_edit(&state.db, &granted, None).await?;
                let input = ServiceInput {
                    kind: "application".into(),
                    topology: "none".into(),
                    primary_site: sites.first().map(|s| s.key.clone()).unwrap_or_default(),
                    ..ServiceInput::default()
                };
                return Ok(ServiceDraft { input, sites });
            }
            let key = RecordKey::parse(&key)?;
            let service = AppError::found(db::services::find(&state.db, &key).await?, || {
                format!("Service {key}")
            })?;
            usecases::services::ensure_may_edit(&state.db, &granted, Some(&key)).await?;
            Ok(ServiceDraft {
                input: service.to_input(),
                sites,
            })
        }
        .await,
    )
}

/// Creates a service, or replaces the one stored under `original_key`.
#[server(prefix = "/fn", endpoint = "save_service")]
pub async fn save_service(
    #[server(default)] original_key: String,
    service: ServiceInput,
) -> Result<Service, AppError> {
    use super::ctx::{require, respond};
    use crate::domain::access::Permission;
    use crate::domain::inventory::RecordKey;
    use crate::server::usecases::{audit::now, services};
    respond(
        async {
            let (state, granted) = require(Permission::EditServices).await?;
            let parsed = Service::parse(&service)?;
            let saved = match original_key.trim() {
                "" => services::create(&state.db, &granted, parsed, now()).await?,
                key => {
                    let key = RecordKey::parse(key)?;
                    services::update(&state.db, &granted, &key, parsed, now()).await?
                }
            };
            leptos_axum::redirect(&format!("/services/{}", saved.key));
            Ok(saved)
        }
        .await,
    )
}

#[server(prefix = "/fn", endpoint = "delete_service")]
pub async fn delete_service(key: String) -> Result<(), AppError> {
    use super::ctx::{require, respond};
    use crate::domain::access::Permission;
    use crate::domain::inventory::RecordKey;
    use crate::server::usecases::{audit::now, services};
    respond(
        async {
            let (state, granted) = require(Permission::EditServices).await?;
            services::delete(&state.db, &granted, &RecordKey::parse(&key)?, now()).await?;
            leptos_axum::redirect("/services");
            Ok(())
        }
        .await,
    )
}

/// Adds a dependency of `service` on `depends_on`, or changes its kind
/// and note.
#[server(prefix = "/fn", endpoint = "save_dependency")]
pub async fn save_dependency(
    service: String,
    depends_on: String,
    kind: String,
    #[server(default)] note: String,
) -> Result<Dependency, AppError> {
    use super::ctx::{require, respond};
    use crate::domain::access::Permission;
    use crate::server::usecases::{audit::now, services};
    respond(
        async {
            let (state, granted) = require(Permission::EditServices).await?;
            let d = Dependency::parse(&service, &depends_on, &kind, &note)?;
            let saved = services::set_dependency(&state.db, &granted, d, now()).await?;
            leptos_axum::redirect(&format!("/services/{}", saved.service));
            Ok(saved)
        }
        .await,
    )
}

#[server(prefix = "/fn", endpoint = "delete_dependency")]
pub async fn delete_dependency(service: String, depends_on: String) -> Result<(), AppError> {
    use super::ctx::{require, respond};
    use crate::domain::access::Permission;
    use crate::domain::inventory::RecordKey;
    use crate::server::usecases::{audit::now, services};
    respond(
        async {
            let (state, granted) = require(Permission::EditServices).await?;
            let service = RecordKey::parse_field("service", &service)?;
            let depends_on = RecordKey::parse_field("depends_on", &depends_on)?;
            services::remove_dependency(&state.db, &granted, &service, &depends_on, now()).await?;
            leptos_axum::redirect(&format!("/services/{service}"));
            Ok(())
        }
        .await,
    )
}

/// Gives a party a RACI letter on a record, or takes it away (`remove`).
#[server(prefix = "/fn", endpoint = "assign_raci")]
pub async fn assign_raci(
    subject: String,
    key: String,
    party: String,
    letter: String,
    #[server(default)] remove: bool,
) -> Result<(), AppError> {
    use super::ctx::{require, respond};
    use crate::domain::access::Permission;
    use crate::domain::inventory::raci::RaciAssignment;
    use crate::server::usecases::{audit::now, raci};
    respond(
        async {
            let (state, granted) = require(Permission::EditReferenceData).await?;
            let a = RaciAssignment::parse(&subject, &key, &party, &letter)?;
            let page = a.subject.page(&a.key);
            raci::assign(&state.db, &granted, a, remove, now()).await?;
            leptos_axum::redirect(&page);
            Ok(())
        }
        .await,
    )
}

/// Adds a replication link of `link.service`, or changes the one with the
/// same mode and sites.
#[server(prefix = "/fn", endpoint = "save_replication")]
pub async fn save_replication(link: ReplicationInput) -> Result<ReplicationLink, AppError> {
    use super::ctx::{require, respond};
    use crate::domain::access::Permission;
    use crate::server::usecases::{audit::now, services};
    respond(
        async {
            let (state, granted) = require(Permission::EditServices).await?;
            let link = ReplicationLink::parse(&link)?;
            let saved = services::set_replication(&state.db, &granted, link, now()).await?;
            leptos_axum::redirect(&format!("/services/{}", saved.service));
            Ok(saved)
        }
        .await,
    )
}

/// Removes the replication link of `service` whose identity (mode and
/// sites) is `link`.
#[server(prefix = "/fn", endpoint = "delete_replication")]
pub async fn delete_replication(service: String, link: String) -> Result<(), AppError> {
    use super::ctx::{require, respond};
    use crate::domain::access::Permission;
    use crate::domain::inventory::RecordKey;
    use crate::server::usecases::{audit::now, services};
    respond(
        async {
            let (state, granted) = require(Permission::EditServices).await?;
            let service = RecordKey::parse_field("service", &service)?;
            services::remove_replication(&state.db, &granted, &service, &link, now()).await?;
            leptos_axum::redirect(&format!("/services/{service}"));
            Ok(())
        }
        .await,
    )
}
