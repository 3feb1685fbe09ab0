//! Vendors: list, detail with the services that rely on them and their
//! contract, the form, and the writes. A vendor is named by its name.

use super::error::AppError;
use crate::domain::history::HistoryEntry;
use crate::domain::inventory::vendor::{Vendor, VendorInput};
use leptos::prelude::*;
use serde::{Deserialize, Serialize};

/// A vendor with what the viewer should know about its contract today.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct VendorRow {
    pub vendor: Vendor,
    pub warning: Option<String>,
}

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct VendorList {
    pub vendors: Vec<VendorRow>,
    pub can_edit: bool,
}

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct VendorDetail {
    pub vendor: VendorRow,
    pub history: Vec<HistoryEntry>,
    pub can_edit: bool,
}

/// The path of a vendor's page: its name, percent-encoded.
pub fn vendor_path(name: &str) -> String {
    let encoded: String = name
        .bytes()
        .map(|b| match b {
            b'A'..=b'Z' | b'a'..=b'z' | b'0'..=b'9' | b'-' | b'_' | b'.' | b'~' => {
                (b as char).to_string()
            }
            _ => format!("%{b:02X}"),
        })
        .collect();
    format!("/vendors/{encoded}")
}

#[cfg(feature = "ssr")]
fn with_warning(vendor: Vendor) -> VendorRow {
    use crate::domain::inventory::vendor::contract_warning;
    let today = crate::server::usecases::audit::now().as_datetime().date();
    VendorRow {
        warning: contract_warning(vendor.contract_end, today),
        vendor,
    }
}

#[server(prefix = "/fn", endpoint = "vendors")]
pub async fn list_vendors(#[server(default)] search: String) -> Result<VendorList, AppError> {
    use super::ctx::{require, respond};
    use crate::domain::access::{may, Permission};
    respond(
        async {
            let (state, granted) = require(Permission::Read).await?;
            let mut tx = state.db.read().await?;
            let vendors = crate::server::db::vendors::list(&mut tx, &search).await?;
            Ok(VendorList {
                vendors: vendors.into_iter().map(with_warning).collect(),
                can_edit: may(granted.role, Permission::EditReferenceData),
            })
        }
        .await,
    )
}

#[server(prefix = "/fn", endpoint = "vendor")]
pub async fn get_vendor(name: String) -> Result<VendorDetail, AppError> {
    use super::ctx::{require, respond};
    use crate::domain::access::{may, Permission};
    use crate::domain::inventory::vendor::VendorName;
    use crate::server::db;
    respond(
        async {
            let (state, granted) = require(Permission::Read).await?;
            let name = VendorName::parse(&name)?;
            let mut tx = state.db.read().await?;
            let vendor = AppError::found(db::vendors::find(&mut tx, &name).await?, || {
                format!("Vendor {name}")
            })?;
            Ok(VendorDetail {
                vendor: with_warning(vendor),
                history: db::history::of(&state.db, "vendor", name.as_str()).await?,
                can_edit: may(granted.role, Permission::EditReferenceData),
            })
        }
        .await,
    )
}

/// What the vendor form starts with: a new vendor (empty `name`) or the
/// one stored under `name`.
#[server(prefix = "/fn", endpoint = "vendor_form")]
pub async fn vendor_form(#[server(default)] name: String) -> Result<VendorInput, AppError> {
    use super::ctx::{require, respond};
    use crate::domain::access::Permission;
    use crate::domain::inventory::vendor::VendorName;
    respond(
        async {
            let (state, _) = require(Permission::EditReferenceData).await?;
            if name.trim().is_empty() {
                return Ok(VendorInput::default());
            }
            let name = VendorName::parse(&name)?;
            let mut tx = state.db.read().await?;
            let vendor = crate::server::db::vendors::find(&mut tx, &name).await?;
            AppError::found(vendor.map(|v| v.to_input()), || format!("Vendor {name}"))
        }
        .await,
    )
}

/// Creates a vendor, or replaces the one stored under `original_name`.
#[server(prefix = "/fn", endpoint = "save_vendor")]
pub async fn save_vendor(
    #[server(default)] original_name: String,
    vendor: VendorInput,
) -> Result<Vendor, AppError> {
    use super::ctx::{require, respond};
    use crate::domain::access::Permission;
    use crate::domain::inventory::vendor::VendorName;
    use crate::server::usecases::{audit::now, vendors};
    respond(
        async {
            let (state, granted) = require(Permission::EditReferenceData).await?;
            let parsed = Vendor::parse(&vendor)?;
            let original = match original_name.trim() {
                "" => None,
                name => Some(VendorName::parse(name)?),
            };
            let saved =
                vendors::save(&state.db, &granted, original.as_ref(), parsed, now()).await?;
            leptos_axum::redirect(&vendor_path(saved.name.as_str()));
            Ok(saved)
        }
        .await,
    )
}

#[server(prefix = "/fn", endpoint = "delete_vendor")]
pub async fn delete_vendor(name: String) -> Result<(), AppError> {
    use super::ctx::{require, respond};
    use crate::domain::access::Permission;
    use crate::domain::inventory::vendor::VendorName;
    use crate::server::usecases::{audit::now, vendors};
    respond(
        async {
            let (state, granted) = require(Permission::EditReferenceData).await?;
            vendors::delete(&state.db, &granted, &VendorName::parse(&name)?, now()).await?;
            leptos_axum::redirect("/vendors");
            Ok(())
        }
        .await,
    )
}
