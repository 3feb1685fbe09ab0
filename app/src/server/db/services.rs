//! Queries on `services`.

use super::{Db, Tx};
use crate::domain::inventory::service::{
    Service, ServiceFilter, ServiceInput, ServiceSort, SERVICE_PAGE_SIZE,
};
use crate::domain::inventory::RecordKey;
use crate::domain::timestamp::Timestamp;
use crate::{on_db, on_tx};

#[derive(sqlx::FromRow)]
struct ServiceRow {
    key: String,
    name: String,
    kind: String,
    description: String,
    owner_team: String,
    tier: Option<i64>,
    primary_site: String,
    secondary_site: Option<String>,
    topology: String,
    recovery_minutes: i64,
    cpu_cores: f64,
    memory_gb: f64,
    storage_tb: f64,
    dns_ttl_seconds: i64,
    data_classification: String,
    data_jurisdictions: String,
    stateful: bool,
}

impl ServiceRow {
    /// Rows go through the same checks as input.
    fn into_service(self) -> anyhow::Result<Service> {
        let key = self.key.clone();
        Service::parse(&ServiceInput {
            key: self.key,
            name: self.name,
            kind: self.kind,
            description: self.description,
            owner_team: self.owner_team,
            tier: self.tier.map(|t| t.to_string()).unwrap_or_default(),
            primary_site: self.primary_site,
            secondary_site: self.secondary_site.unwrap_or_default(),
            topology: self.topology,
            recovery_minutes: self.recovery_minutes.to_string(),
            cpu_cores: self.cpu_cores.to_string(),
            memory_gb: self.memory_gb.to_string(),
            storage_tb: self.storage_tb.to_string(),
            dns_ttl_seconds: self.dns_ttl_seconds.to_string(),
            data_classification: self.data_classification,
            stateful: self.stateful.to_string(),
            data_jurisdictions: self.data_jurisdictions,
        })
        .map_err(|e| anyhow::anyhow!("service {key} in the database is invalid: {e:?}"))
    }
}

const COLUMNS: &str =
    "key, name, kind, description, owner_team, tier, primary_site, secondary_site, \
     topology, recovery_minutes, cpu_cores, memory_gb, storage_tb, dns_ttl_seconds, \
     data_classification, data_jurisdictions, stateful";

/// Binds a service's columns as `$1`..`$17`, in `COLUMNS` order.
macro_rules! bind_service {
    ($query:expr, $s:expr) => {
        $query
            .bind($s.key.as_str())
            .bind(&$s.name)
            .bind($s.kind.as_str())
            .bind(&$s.description)
            .bind(&$s.owner_team)
            .bind($s.tier.map(i64::from))
            .bind($s.primary_site.as_str())
            .bind($s.secondary_site.as_ref().map(|k| k.as_str()))
            .bind($s.topology.as_str())
            .bind(i64::from($s.recovery_minutes))
            .bind($s.peak_load.cpu_cores)
            .bind($s.peak_load.memory_gb)
            .bind($s.peak_load.storage_tb)
            .bind(i64::from($s.dns_ttl_seconds))
            .bind(&$s.data_classification)
            .bind($s.data_jurisdictions.join(";"))
            .bind($s.stateful)
    };
}

/// Services without exactly one A (SPEC §3).
pub const INCOMPLETE_RACI: &str =
    "(SELECT COUNT(*) FROM raci_assignments r WHERE r.entity_type = 'service' \
     AND r.entity_key = services.key AND r.letter = 'A') <> 1";

/// A value for a numbered placeholder of a query built at run time.
enum Arg {
    Text(String),
    Int(i64),
}

/// The `WHERE` clause of a filter and its values, numbered from `$1`.
fn conditions(f: &ServiceFilter) -> (String, Vec<Arg>) {
    let mut clauses = Vec::new();
    let mut args = Vec::new();
    let mut add = |clause: &str, arg: Arg| {
        args.push(arg);
        clauses.push(clause.replace('?', &format!("${}", args.len())));
    };
    if !f.search.is_empty() {
        let pattern = format!("%{}%", f.search.to_lowercase().replace(['%', '_'], ""));
        add(
            "(LOWER(key) LIKE ? OR LOWER(name) LIKE ? OR LOWER(owner_team) LIKE ?)",
            Arg::Text(pattern),
        );
    }
    if let Some(kind) = f.kind {
        add("kind = ?", Arg::Text(kind.as_str().into()));
    }
    if let Some(tier) = f.tier {
        add("tier = ?", Arg::Int(tier.into()));
    }
    if let Some(site) = &f.site {
        add(
            "(primary_site = ? OR secondary_site = ?)",
            Arg::Text(site.to_string()),
        );
    }
    if let Some(owner) = &f.owner {
        add("owner_team = ?", Arg::Text(owner.clone()));
    }
    if let Some(topology) = f.topology {
        add("topology = ?", Arg::Text(topology.as_str().into()));
    }
    if f.raci_incomplete {
        clauses.push(INCOMPLETE_RACI.to_string());
    }
    let sql = if clauses.is_empty() {
        String::new()
    } else {
        format!(" WHERE {}", clauses.join(" AND "))
    };
    (sql, args)
}

macro_rules! bind_args {
    ($query:expr, $args:expr) => {{
        let mut q = $query;
        for arg in $args {
            q = match arg {
                Arg::Text(t) => q.bind(t.clone()),
                Arg::Int(i) => q.bind(*i),
            };
        }
        q
    }};
}

/// One page of the services matching `f`, and how many match in all.
pub async fn page(db: &Db, f: &ServiceFilter) -> anyhow::Result<(Vec<Service>, i64)> {
    let (filter, args) = conditions(f);
    let column = match f.sort {
        ServiceSort::Name => "LOWER(name)",
        ServiceSort::OwnerTeam => "LOWER(owner_team)",
        other => other.as_str(),
    };
    let dir = if f.descending { "DESC" } else { "ASC" };
    let offset = i64::from(f.page - 1) * i64::from(SERVICE_PAGE_SIZE);
    let sql = format!(
        "SELECT {COLUMNS} FROM services{filter} ORDER BY {column} IS NULL, {column} {dir}, key \
         LIMIT {SERVICE_PAGE_SIZE} OFFSET {offset}"
    );
    let count_sql = format!("SELECT COUNT(*) FROM services{filter}");
    let (rows, total): (Vec<ServiceRow>, i64) = on_db!(db, p => {
        let rows = bind_args!(sqlx::query_as(&sql), &args).fetch_all(p).await?;
        let total = bind_args!(sqlx::query_scalar(&count_sql), &args).fetch_one(p).await?;
        (rows, total)
    });
    let services = rows
        .into_iter()
        .map(ServiceRow::into_service)
        .collect::<anyhow::Result<_>>()?;
    Ok((services, total))
}

/// Every service, by key (for export and analysis).
pub async fn all(db: &Db) -> anyhow::Result<Vec<Service>> {
    let sql = format!("SELECT {COLUMNS} FROM services ORDER BY key");
    let rows: Vec<ServiceRow> = on_db!(db, p => sqlx::query_as(&sql).fetch_all(p).await)?;
    rows.into_iter().map(ServiceRow::into_service).collect()
}

/// The owner teams in use, for the list's filter.
pub async fn owner_teams(db: &Db) -> anyhow::Result<Vec<String>> {
    let teams: Vec<String> = on_db!(db, p => sqlx::query_scalar(
        "SELECT DISTINCT owner_team FROM services WHERE owner_team <> '' ORDER BY owner_team"
    ).fetch_all(p).await)?;
    Ok(teams)
}

pub async fn find(db: &Db, key: &RecordKey) -> anyhow::Result<Option<Service>> {
    let sql = format!("SELECT {COLUMNS} FROM services WHERE key = $1");
    let row: Option<ServiceRow> =
        on_db!(db, p => sqlx::query_as(&sql).bind(key.as_str()).fetch_optional(p).await)?;
    row.map(ServiceRow::into_service).transpose()
}

pub async fn find_in(tx: &mut Tx, key: &RecordKey) -> anyhow::Result<Option<Service>> {
    let sql = format!("SELECT {COLUMNS} FROM services WHERE key = $1");
    let row: Option<ServiceRow> =
        on_tx!(tx, c => sqlx::query_as(&sql).bind(key.as_str()).fetch_optional(c).await)?;
    row.map(ServiceRow::into_service).transpose()
}

pub async fn count(db: &Db) -> anyhow::Result<i64> {
    let n: i64 =
        on_db!(db, p => sqlx::query_scalar("SELECT COUNT(*) FROM services").fetch_one(p).await)?;
    Ok(n)
}

/// The services that run on `site`, as primary or secondary.
pub async fn on_site(tx: &mut Tx, site: &RecordKey) -> anyhow::Result<Vec<String>> {
    let keys: Vec<String> = on_tx!(tx, c => sqlx::query_scalar(
        "SELECT key FROM services WHERE primary_site = $1 OR secondary_site = $1 ORDER BY key"
    ).bind(site.as_str()).fetch_all(c).await)?;
    Ok(keys)
}

pub async fn insert(tx: &mut Tx, s: &Service, now: Timestamp) -> anyhow::Result<()> {
    let sql = format!(
        "INSERT INTO services ({COLUMNS}, created_at, updated_at) VALUES \
         ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15, $16, $17, $18, $18)"
    );
    on_tx!(tx, c => bind_service!(sqlx::query(&sql), s).bind(now).execute(c).await.map(|_| ()))?;
    Ok(())
}

/// Replaces the service stored under `key` (which `s` may rename).
pub async fn update(
    tx: &mut Tx,
    key: &RecordKey,
    s: &Service,
    now: Timestamp,
) -> anyhow::Result<()> {
    let sql = "UPDATE services SET key = $1, name = $2, kind = $3, description = $4, owner_team = $5, \
               tier = $6, primary_site = $7, secondary_site = $8, topology = $9, recovery_minutes = $10, \
               cpu_cores = $11, memory_gb = $12, storage_tb = $13, dns_ttl_seconds = $14, \
               data_classification = $15, data_jurisdictions = $16, stateful = $17, updated_at = $18 \
               WHERE key = $19";
    on_tx!(tx, c => bind_service!(sqlx::query(sql), s)
        .bind(now)
        .bind(key.as_str())
        .execute(c)
        .await
        .map(|_| ()))?;
    Ok(())
}

pub async fn delete(tx: &mut Tx, key: &RecordKey) -> anyhow::Result<()> {
    on_tx!(tx, c => sqlx::query("DELETE FROM services WHERE key = $1").bind(key.as_str()).execute(c).await.map(|_| ()))?;
    Ok(())
}

/// Every service, by key, within a transaction (for import).
pub async fn all_in(tx: &mut Tx) -> anyhow::Result<Vec<Service>> {
    let sql = format!("SELECT {COLUMNS} FROM services ORDER BY key");
    let rows: Vec<ServiceRow> = on_tx!(tx, c => sqlx::query_as(&sql).fetch_all(c).await)?;
    rows.into_iter().map(ServiceRow::into_service).collect()
}

/// The distinct (primary, secondary) site pairs services fail over between.
pub async fn site_pairs(db: &Db) -> anyhow::Result<Vec<(String, String)>> {
    let pairs: Vec<(String, String)> = on_db!(db, p => sqlx::query_as(
        "SELECT DISTINCT primary_site, secondary_site FROM services \
         WHERE secondary_site IS NOT NULL ORDER BY 1, 2"
    ).fetch_all(p).await)?;
    Ok(pairs)
}
