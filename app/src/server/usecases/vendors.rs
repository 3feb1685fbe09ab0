//! Creating, changing and deleting vendors; the services that rely on
//! them must exist.

use super::changes::{self, require, services_exist};
use crate::api::error::AppError;
use crate::domain::access::Permission;
use crate::domain::inventory::vendor::{Vendor, VendorName};
use crate::domain::timestamp::Timestamp;
use crate::server::auth::Granted;
use crate::server::db::Db;

/// Creates `vendor` (no `original`), or replaces the one stored under
/// `original`, which `vendor` may rename.
pub async fn save(
    db: &Db,
    granted: &Granted,
    original: Option<&VendorName>,
    vendor: Vendor,
    now: Timestamp,
) -> Result<Vendor, AppError> {
    require(granted, Permission::EditReferenceData)?;
    let mut tx = db.begin().await?;
    services_exist(&mut tx, "services", &vendor.services).await?;
    changes::save(&mut tx, granted, original, &vendor, now).await?;
    tx.commit().await?;
    Ok(vendor)
}

/// Deletes a vendor with its links to services.
pub async fn delete(
    db: &Db,
    granted: &Granted,
    name: &VendorName,
    now: Timestamp,
) -> Result<(), AppError> {
    require(granted, Permission::EditReferenceData)?;
    let mut tx = db.begin().await?;
    changes::delete::<Vendor>(&mut tx, granted, name, Vec::new(), now).await?;
    tx.commit().await?;
    Ok(())
}
