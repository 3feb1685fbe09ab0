//! Queries on `vendors` and the services that rely on them.

use super::links::VENDOR_SERVICES;
use super::Tx;
use crate::domain::inventory::vendor::{Vendor, VendorInput, VendorName};
use crate::domain::inventory::RecordKey;
use crate::domain::timestamp::Timestamp;
use crate::on_tx;

#[derive(sqlx::FromRow)]
struct VendorRow {
    name: String,
    contact: String,
    availability_percent: Option<f64>,
    response_minutes: Option<i64>,
    recovery_minutes: Option<i64>,
    rpo_minutes: Option<i64>,
    contract_end: Option<String>,
}

impl VendorRow {
    /// Rows go through the same checks as input.
    fn into_vendor(self, services: &[RecordKey]) -> anyhow::Result<Vendor> {
        let text = |v: Option<i64>| v.map(|v| v.to_string()).unwrap_or_default();
        let name = self.name.clone();
        Vendor::parse(&VendorInput {
            name: self.name,
            contact: self.contact,
            availability_percent: self
                .availability_percent
                .map(|v| v.to_string())
                .unwrap_or_default(),
            response_minutes: text(self.response_minutes),
            recovery_minutes: text(self.recovery_minutes),
            rpo_minutes: text(self.rpo_minutes),
            contract_end: self.contract_end.unwrap_or_default(),
            services: crate::domain::inventory::key::join_keys(services),
        })
        .map_err(|e| anyhow::anyhow!("vendor {name} in the database is invalid: {e:?}"))
    }
}

const SELECT: &str = "SELECT name, contact, availability_percent, response_minutes, \
                      recovery_minutes, rpo_minutes, contract_end FROM vendors";

/// Binds a vendor's columns as `$1`..`$7`.
macro_rules! bind_vendor {
    ($query:expr, $v:expr, $end:expr) => {
        $query
            .bind($v.name.as_str())
            .bind(&$v.contact)
            .bind($v.availability_percent)
            .bind($v.response_minutes.map(i64::from))
            .bind($v.recovery_minutes.map(i64::from))
            .bind($v.rpo_minutes.map(i64::from))
            .bind($end)
    };
}

/// Vendors whose name or contact contains `search` (all when empty), by
/// name.
pub async fn list(tx: &mut Tx, search: &str) -> anyhow::Result<Vec<Vendor>> {
    let pattern = format!("%{}%", search.trim().to_lowercase().replace(['%', '_'], ""));
    let sql = format!("{SELECT} WHERE LOWER(name) LIKE $1 OR LOWER(contact) LIKE $1 ORDER BY name");
    let rows: Vec<VendorRow> =
        on_tx!(tx, c => sqlx::query_as(&sql).bind(&pattern).fetch_all(c).await)?;
    let services = VENDOR_SERVICES.all(tx).await?;
    rows.into_iter()
        .map(|row| {
            let relying = services.get(&row.name).cloned().unwrap_or_default();
            row.into_vendor(&relying)
        })
        .collect()
}

pub async fn find(tx: &mut Tx, name: &VendorName) -> anyhow::Result<Option<Vendor>> {
    let sql = format!("{SELECT} WHERE name = $1");
    let row: Option<VendorRow> =
        on_tx!(tx, c => sqlx::query_as(&sql).bind(name.as_str()).fetch_optional(c).await)?;
    let Some(row) = row else { return Ok(None) };
    let services = VENDOR_SERVICES.of(tx, name.as_str()).await?;
    row.into_vendor(&services).map(Some)
}

pub async fn insert(tx: &mut Tx, v: &Vendor, now: Timestamp) -> anyhow::Result<()> {
    let end = v.to_input().contract_end;
    let end = Some(end).filter(|e| !e.is_empty());
    on_tx!(tx, c => bind_vendor!(sqlx::query(
        "INSERT INTO vendors (name, contact, availability_percent, response_minutes, recovery_minutes, \
         rpo_minutes, contract_end, created_at, updated_at) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $8)"), v, &end)
        .bind(now)
        .execute(c).await.map(|_| ()))?;
    VENDOR_SERVICES
        .replace(tx, v.name.as_str(), &v.services)
        .await
}

/// Replaces the vendor stored under `name` (which `v` may rename).
pub async fn update(
    tx: &mut Tx,
    name: &VendorName,
    v: &Vendor,
    now: Timestamp,
) -> anyhow::Result<()> {
    let end = v.to_input().contract_end;
    let end = Some(end).filter(|e| !e.is_empty());
    on_tx!(tx, c => bind_vendor!(sqlx::query(
        "UPDATE vendors SET name = $1, contact = $2, availability_percent = $3, response_minutes = $4, \
         recovery_minutes = $5, rpo_minutes = $6, contract_end = $7, updated_at = $8 WHERE name = $9"), v, &end)
        .bind(now)
        .bind(name.as_str())
        .execute(c).await.map(|_| ()))?;
    VENDOR_SERVICES
        .replace(tx, v.name.as_str(), &v.services)
        .await
}

/// Deletes a vendor; its links to services go with it.
pub async fn delete(tx: &mut Tx, name: &VendorName) -> anyhow::Result<()> {
    on_tx!(tx, c => sqlx::query("DELETE FROM vendors WHERE name = $1").bind(name.as_str()).execute(c).await.map(|_| ()))?;
    Ok(())
}
