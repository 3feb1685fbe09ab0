//! Queries on `sites`.

use super::{Db, Tx};
use crate::domain::inventory::site::{Site, SiteInput};
use crate::domain::inventory::RecordKey;
use crate::domain::timestamp::Timestamp;
use crate::{on_db, on_tx};

#[derive(sqlx::FromRow)]
struct SiteRow {
    key: String,
    name: String,
    region: String,
    country: String,
    kind: String,
    cpu_cores: f64,
    memory_gb: f64,
    storage_tb: f64,
    subnets: String,
    vlans: String,
}

impl SiteRow {
    /// Rows go through the same checks as input: a row edited by hand into
    /// nonsense is an error, not a bad value in memory.
    fn into_site(self) -> anyhow::Result<Site> {
        let key = self.key.clone();
        Site::parse(&SiteInput {
            key: self.key,
            name: self.name,
            region: self.region,
            country: self.country,
            kind: self.kind,
            cpu_cores: self.cpu_cores.to_string(),
            memory_gb: self.memory_gb.to_string(),
            storage_tb: self.storage_tb.to_string(),
            subnets: self.subnets,
            vlans: self.vlans,
        })
        .map_err(|e| anyhow::anyhow!("site {key} in the database is invalid: {e:?}"))
    }
}

/// Binds a site's columns as `$1`..`$10`, in `COLUMNS` order.
macro_rules! bind_site {
    ($query:expr, $input:expr, $site:expr) => {
        $query
            .bind(&$input.key)
            .bind(&$input.name)
            .bind(&$input.region)
            .bind(&$input.country)
            .bind(&$input.kind)
            .bind($site.capacity.cpu_cores)
            .bind($site.capacity.memory_gb)
            .bind($site.capacity.storage_tb)
            .bind(&$input.subnets)
            .bind(&$input.vlans)
    };
}

const COLUMNS: &str =
    "key, name, region, country, kind, cpu_cores, memory_gb, storage_tb, subnets, vlans";

/// Sites whose key, name, region or country contains `search`, by key.
pub async fn list(db: &Db, search: &str) -> anyhow::Result<Vec<Site>> {
    let pattern = format!("%{}%", search.trim().to_lowercase().replace(['%', '_'], ""));
    let sql = format!(
        "SELECT {COLUMNS} FROM sites WHERE LOWER(key) LIKE $1 OR LOWER(name) LIKE $1 \
         OR LOWER(region) LIKE $1 OR LOWER(country) LIKE $1 ORDER BY key"
    );
    let rows: Vec<SiteRow> =
        on_db!(db, p => sqlx::query_as(&sql).bind(&pattern).fetch_all(p).await)?;
    rows.into_iter().map(SiteRow::into_site).collect()
}

pub async fn find(db: &Db, key: &RecordKey) -> anyhow::Result<Option<Site>> {
    let sql = format!("SELECT {COLUMNS} FROM sites WHERE key = $1");
    let row: Option<SiteRow> =
        on_db!(db, p => sqlx::query_as(&sql).bind(key.as_str()).fetch_optional(p).await)?;
    row.map(SiteRow::into_site).transpose()
}

pub async fn find_in(tx: &mut Tx, key: &RecordKey) -> anyhow::Result<Option<Site>> {
    let sql = format!("SELECT {COLUMNS} FROM sites WHERE key = $1");
    let row: Option<SiteRow> =
        on_tx!(tx, c => sqlx::query_as(&sql).bind(key.as_str()).fetch_optional(c).await)?;
    row.map(SiteRow::into_site).transpose()
}

pub async fn count(db: &Db) -> anyhow::Result<i64> {
    let n: i64 =
        on_db!(db, p => sqlx::query_scalar("SELECT COUNT(*) FROM sites").fetch_one(p).await)?;
    Ok(n)
}

pub async fn insert(tx: &mut Tx, site: &Site, now: Timestamp) -> anyhow::Result<()> {
    let i = site.to_input();
    let sql = format!("INSERT INTO sites ({COLUMNS}, created_at, updated_at) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $11)");
    on_tx!(tx, c => bind_site!(sqlx::query(&sql), i, site)
        .bind(now)
        .execute(c)
        .await
        .map(|_| ()))?;
    Ok(())
}

/// Replaces the site stored under `key` (which `site` may rename).
pub async fn update(
    tx: &mut Tx,
    key: &RecordKey,
    site: &Site,
    now: Timestamp,
) -> anyhow::Result<()> {
    let i = site.to_input();
    let sql = "UPDATE sites SET key = $1, name = $2, region = $3, country = $4, kind = $5, cpu_cores = $6, \
               memory_gb = $7, storage_tb = $8, subnets = $9, vlans = $10, updated_at = $11 WHERE key = $12";
    on_tx!(tx, c => bind_site!(sqlx::query(sql), i, site)
        .bind(now)
        .bind(key.as_str())
        .execute(c)
        .await
        .map(|_| ()))?;
    Ok(())
}

pub async fn delete(tx: &mut Tx, key: &RecordKey) -> anyhow::Result<()> {
    on_tx!(tx, c => sqlx::query("DELETE FROM sites WHERE key = $1").bind(key.as_str()).execute(c).await.map(|_| ()))?;
    Ok(())
}

/// Every site, by key, within a transaction (for import).
pub async fn all_in(tx: &mut Tx) -> anyhow::Result<Vec<Site>> {
    let sql = format!("SELECT {COLUMNS} FROM sites ORDER BY key");
    let rows: Vec<SiteRow> = on_tx!(tx, c => sqlx::query_as(&sql).fetch_all(c).await)?;
    rows.into_iter().map(SiteRow::into_site).collect()
}
