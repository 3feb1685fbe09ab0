//! Sites: list, detail with history, create, edit, delete.

use super::error::AppError;
use crate::domain::history::HistoryEntry;
use crate::domain::inventory::site::{Site, SiteInput};
use leptos::prelude::*;
use serde::{Deserialize, Serialize};

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct SiteList {
    pub sites: Vec<Site>,
    /// Subnet overlaps and shared VLANs between the sites services fail
    /// over between, over all sites.
    pub clashes: Vec<String>,
    /// Whether the viewer may add and edit sites.
    pub can_edit: bool,
}

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct SiteDetail {
    pub site: Site,
    pub history: Vec<HistoryEntry>,
    pub can_edit: bool,
}

#[server(prefix = "/fn", endpoint = "sites")]
pub async fn list_sites(#[server(default)] search: String) -> Result<SiteList, AppError> {
    use super::ctx::{require, respond};
    use crate::domain::access::{may, Permission};
    use crate::domain::inventory::site::network_check;
    respond(
        async {
            let (state, granted) = require(Permission::Read).await?;
            let db = &state.db;
            let pairs = crate::server::db::services::site_pairs(db).await?;
            let all = crate::server::db::sites::list(db, "").await?;
            let clashes = network_check(&all, &pairs)
                .iter()
                .map(ToString::to_string)
                .collect();
            // The check needs every site; a search needs its own query.
            let sites = match search.trim() {
                "" => all,
                _ => crate::server::db::sites::list(db, &search).await?,
            };
            Ok(SiteList {
                sites,
                clashes,
                can_edit: may(granted.role, Permission::EditReferenceData),
            })
        }
        .await,
    )
}

#[server(prefix = "/fn", endpoint = "site")]
pub async fn get_site(key: String) -> Result<SiteDetail, AppError> {
    use super::ctx::{require, respond};
    use crate::domain::access::{may, Permission};
    use crate::domain::inventory::RecordKey;
    use crate::server::db;
    respond(
        async {
            let (state, granted) = require(Permission::Read).await?;
            let key = RecordKey::parse(&key)?;
            let site = AppError::found(db::sites::find(&state.db, &key).await?, || {
                format!("Site {key}")
            })?;
            let history = db::history::of(&state.db, "site", key.as_str()).await?;
            Ok(SiteDetail {
                site,
                history,
                can_edit: may(granted.role, Permission::EditReferenceData),
            })
        }
        .await,
    )
}

/// What the site form starts with: a new site (empty `key`) or the one
/// stored under `key`. Only for those who may edit sites.
#[server(prefix = "/fn", endpoint = "site_form")]
pub async fn site_form(#[server(default)] key: String) -> Result<SiteInput, AppError> {
    use super::ctx::{require, respond};
    use crate::domain::access::Permission;
    use crate::domain::inventory::RecordKey;
    respond(
        async {
            let (state, _) = require(Permission::EditReferenceData).await?;
            if key.trim().is_empty() {
                return Ok(SiteInput {
                    kind: "datacenter".into(),
                    ..SiteInput::default()
                });
            }
            let key = RecordKey::parse(&key)?;
            let site = crate::server::db::sites::find(&state.db, &key).await?;
            AppError::found(site.map(|s| s.to_input()), || format!("Site {key}"))
        }
        .await,
    )
}

/// Creates a site, or replaces the one stored under `original_key`.
#[server(prefix = "/fn", endpoint = "save_site")]
pub async fn save_site(
    #[server(default)] original_key: String,
    site: SiteInput,
) -> Result<Site, AppError> {
    use super::ctx::{require, respond};
    use crate::domain::access::Permission;
    use crate::domain::inventory::RecordKey;
    use crate::server::usecases::{audit::now, sites};
    respond(
        async {
            let (state, granted) = require(Permission::EditReferenceData).await?;
            let parsed = Site::parse(&site)?;
            let original = RecordKey::optional(&original_key)?;
            let saved = sites::save(&state.db, &granted, original.as_ref(), parsed, now()).await?;
            leptos_axum::redirect(&format!("/sites/{}", saved.key));
            Ok(saved)
        }
        .await,
    )
}

#[server(prefix = "/fn", endpoint = "delete_site")]
pub async fn delete_site(key: String) -> Result<(), AppError> {
    use super::ctx::{require, respond};
    use crate::domain::access::Permission;
    use crate::domain::inventory::RecordKey;
    use crate::server::usecases::{audit::now, sites};
    respond(
        async {
            let (state, granted) = require(Permission::EditReferenceData).await?;
            sites::delete(&state.db, &granted, &RecordKey::parse(&key)?, now()).await?;
            leptos_axum::redirect("/sites");
            Ok(())
        }
        .await,
    )
}
