//! Importing exchange files (SPEC §8.5): all files in one transaction, in
//! reference order; any bad row in any file and nothing changes, and the
//! answer lists every bad row. Each record keeps its history; each file
//! appends one audit event with what it changed.

use super::changes::{remember, require, Stored, Write};
use crate::api::error::{AppError, FileErrors};
use crate::domain::access::may;
use crate::domain::access::Permission;
use crate::domain::audit::NewAuditEvent;
use crate::domain::bia::{self, ApprovalStatus, Bia, BiaLine, BiaTargets};
use crate::domain::history::{diff, FieldChange};
use crate::domain::inventory::csv_file::{self, Exchange, ReadRows, RowError, Rows, Table};
pub use crate::domain::inventory::exchange::ImportSummary;
use crate::domain::inventory::exchange::{plan, tally, Exchanged, Step};
use crate::domain::inventory::process::Process;
use crate::domain::inventory::replication::ReplicationLink;
use crate::domain::inventory::service::{Dependency, Service};
use crate::domain::inventory::site::Site;
use crate::domain::inventory::vendor::Vendor;
use crate::domain::timestamp::Timestamp;
use crate::server::auth::Granted;
use crate::server::db::{self, Db, Tx};
use serde_json::json;
use std::collections::{HashMap, HashSet};

/// Rows changed by one file past which the import refreshes the planner's
/// statistics (a bulk load would otherwise be queried with plans for an
/// empty inventory until autovacuum catches up).
const ANALYZE_AFTER: usize = 1000;

/// The files' rows, read and checked on their own.
#[derive(Default)]
struct Parsed {
    sites: Option<Rows<Site>>,
    services: Option<Rows<Service>>,
    dependencies: Option<Rows<Dependency>>,
    processes: Option<Rows<Process>>,
    bia: Option<Rows<BiaLine>>,
    replication: Option<Rows<ReplicationLink>>,
    vendors: Option<Rows<Vendor>>,
}

/// Keeps a file's good rows in `slot` and returns its row errors.
fn keep<T>(slot: &mut Option<Rows<T>>, read: ReadRows<T>) -> Vec<RowError> {
    *slot = Some(read.rows);
    read.errors
}

fn read(files: Vec<(Exchange, Vec<u8>)>, bad: &mut Vec<FileErrors>) -> Parsed {
    let mut p = Parsed::default();
    for (exchange, bytes) in files {
        let errors = match exchange {
            Exchange::Sites => keep(&mut p.sites, csv_file::read_sites(&bytes)),
            Exchange::Services => keep(&mut p.services, csv_file::read_services(&bytes)),
            Exchange::Dependencies => {
                keep(&mut p.dependencies, csv_file::read_dependencies(&bytes))
            }
            Exchange::Processes => keep(&mut p.processes, csv_file::read_processes(&bytes)),
            Exchange::Bia => keep(&mut p.bia, csv_file::read_bia(&bytes)),
            Exchange::Replication => keep(&mut p.replication, csv_file::read_replication(&bytes)),
            Exchange::Vendors => keep(&mut p.vendors, csv_file::read_vendors(&bytes)),
        };
        add(bad, exchange, errors);
    }
    p
}

/// Row errors for references to keys that neither exist nor are imported.
fn missing<'a>(
    rows: impl Iterator<Item = (u64, &'static str, &'a str)>,
    known: &HashSet<String>,
    what: &str,
) -> Vec<RowError> {
    rows.filter(|(_, _, key)| !known.contains(*key))
        .map(|(line, column, key)| RowError {
            line,
            column: Some(column.into()),
            message: format!("there is no {what} {key}"),
        })
        .collect()
}

/// Adds `errors` to the file's, in line order.
fn add(bad: &mut Vec<FileErrors>, exchange: Exchange, errors: Vec<RowError>) {
    if errors.is_empty() {
        return;
    }
    let file = exchange.file_name();
    match bad.iter_mut().find(|f| f.file == file) {
        Some(f) => {
            f.errors.extend(errors);
            f.errors.sort_by_key(|e| e.line);
        }
        None => bad.push(FileErrors { file, errors }),
    }
}

fn keys(
    stored: impl Iterator<Item = String>,
    imported: impl Iterator<Item = String>,
) -> HashSet<String> {
    stored.chain(imported).collect()
}

/// The records of a file, if it was imported.
fn rows_of<T>(rows: &Option<Rows<T>>) -> impl Iterator<Item = &T> {
    rows.iter().flatten().map(|(_, r)| r)
}

/// The (line, column, key) of each service key a process or vendor row
/// names.
fn named_services<T>(
    rows: &Option<Rows<T>>,
    services: fn(&T) -> &[crate::domain::inventory::RecordKey],
) -> impl Iterator<Item = (u64, &'static str, &str)> {
    rows.iter().flatten().flat_map(move |(line, r)| {
        services(r)
            .iter()
            .map(move |k| (*line, "services", k.as_str()))
    })
}

/// Row errors for every reference to a site or service that neither
/// exists nor is imported.
fn check_references(
    p: &Parsed,
    site_keys: &HashSet<String>,
    service_keys: &HashSet<String>,
    bad: &mut Vec<FileErrors>,
) {
    let services_sites = p.services.iter().flatten().flat_map(|(line, s)| {
        s.sites()
            .zip(["primary_site", "secondary_site"])
            .map(move |(k, c)| (*line, c, k.as_str()))
    });
    add(
        bad,
        Exchange::Services,
        missing(services_sites, site_keys, "site"),
    );
    let dependencies = p.dependencies.iter().flatten().flat_map(|(line, d)| {
        [
            (*line, "service", d.service.as_str()),
            (*line, "depends_on", d.depends_on.as_str()),
        ]
    });
    add(
        bad,
        Exchange::Dependencies,
        missing(dependencies, service_keys, "service"),
    );
    let processes = named_services(&p.processes, |p: &Process| &p.services);
    add(
        bad,
        Exchange::Processes,
        missing(processes, service_keys, "service"),
    );
    let vendors = named_services(&p.vendors, |v: &Vendor| &v.services);
    add(
        bad,
        Exchange::Vendors,
        missing(vendors, service_keys, "service"),
    );
    let links = p.replication.iter().flatten();
    let link_services = links
        .clone()
        .map(|(line, l)| (*line, "service", l.service.as_str()));
    let link_sites = links.flat_map(|(line, l)| {
        [
            (*line, "source_site", l.source_site.as_str()),
            (*line, "target_site", l.target_site.as_str()),
        ]
    });
    let mut errors = missing(link_services, service_keys, "service");
    errors.extend(missing(link_sites, site_keys, "site"));
    add(bad, Exchange::Replication, errors);
}

/// Imports `files`; their order does not matter.
pub async fn import(
    db: &Db,
    granted: &Granted,
    mut files: Vec<(Exchange, Vec<u8>)>,
    now: Timestamp,
) -> Result<Vec<ImportSummary>, AppError> {
    require(granted, Permission::ImportCsv)?;
    files.sort_by_key(|(exchange, _)| *exchange);
    let mut bad = Vec::new();
    let parsed = read(files, &mut bad);

    let mut tx = db.begin().await?;
    let sites = db::sites::all_in(&mut tx).await?;
    let services = db::services::all_in(&mut tx).await?;
    let site_keys = keys(
        sites.iter().map(|s| s.key.to_string()),
        rows_of(&parsed.sites).map(|s| s.key.to_string()),
    );
    let service_keys = keys(
        services.iter().map(|s| s.key.to_string()),
        rows_of(&parsed.services).map(|s| s.key.to_string()),
    );
    check_references(&parsed, &site_keys, &service_keys, &mut bad);
    let process_keys = keys(
        db::processes::list(&mut tx, "")
            .await?
            .iter()
            .map(|p| p.key.to_string()),
        rows_of(&parsed.processes).map(|p| p.key.to_string()),
    );
    if let Some(rows) = &parsed.bia {
        let refs = rows
            .iter()
            .map(|(line, b)| (*line, "process", b.process.as_str()));
        let mut errors = missing(refs, &process_keys, "process");
        if !may(granted.role, Permission::ApproveRecords) {
            errors.extend(
                rows.iter()
                    .filter(|(_, b)| b.status == ApprovalStatus::Approved)
                    .map(|(line, _)| RowError {
                        line: *line,
                        column: Some("status".into()),
                        message: "approving a BIA needs the permission to approve records".into(),
                    }),
            );
        }
        add(&mut bad, Exchange::Bia, errors);
    }
    if !bad.is_empty() {
        bad.sort_by_key(|f| f.file.clone());
        return Err(AppError::InvalidFiles { files: bad });
    }

    let mut summaries = Vec::new();
    if let Some(rows) = parsed.sites {
        summaries.push(apply(&mut tx, granted, &sites, rows, Exchange::Sites, now).await?);
    }
    if let Some(rows) = parsed.services {
        summaries.push(apply(&mut tx, granted, &services, rows, Exchange::Services, now).await?);
    }
    if let Some(rows) = parsed.dependencies {
        let stored = db::dependencies::all_in(&mut tx).await?;
        summaries.push(apply_held(&mut tx, granted, &stored, rows, now).await?);
    }
    if let Some(rows) = parsed.processes {
        let stored = db::processes::list(&mut tx, "").await?;
        summaries.push(apply(&mut tx, granted, &stored, rows, Exchange::Processes, now).await?);
    }
    if let Some(rows) = parsed.bia {
        summaries.push(apply_bia(&mut tx, granted, rows, now).await?);
    }
    if let Some(rows) = parsed.replication {
        let stored = db::replication::all(&mut tx).await?;
        summaries.push(apply_held(&mut tx, granted, &stored, rows, now).await?);
    }
    if let Some(rows) = parsed.vendors {
        let stored = db::vendors::list(&mut tx, "").await?;
        summaries.push(apply(&mut tx, granted, &stored, rows, Exchange::Vendors, now).await?);
    }
    for s in &summaries {
        let event = NewAuditEvent::new(
            granted.actor.clone(),
            "csv_imported",
            "exchange_file",
            Some(s.file.clone()),
            json!({ "created": s.created, "updated": s.updated, "unchanged": s.unchanged }),
        );
        db::audit::append(&mut tx, event, now).await?;
    }
    tx.commit().await?;
    if summaries
        .iter()
        .any(|s| s.created + s.updated > ANALYZE_AFTER)
    {
        db.analyze().await?;
    }
    Ok(summaries)
}

fn summary<T>(exchange: Exchange, steps: &[Step<T>]) -> ImportSummary {
    let (created, updated, unchanged) = tally(steps);
    ImportSummary {
        file: exchange.file_name(),
        created,
        updated,
        unchanged,
    }
}

/// Creates or updates the stored records from one file's rows.
async fn apply<T: Stored + Exchanged>(
    tx: &mut Tx,
    granted: &Granted,
    stored: &[T],
    rows: Rows<T>,
    exchange: Exchange,
    now: Timestamp,
) -> Result<ImportSummary, AppError> {
    let steps = plan(stored, rows.into_iter().map(|(_, r)| r).collect());
    let mut kept = Vec::new();
    for step in &steps {
        match step {
            Step::Create(r) => {
                r.insert(tx, now).await?;
                kept.push((r.key().as_ref(), "created", diff(None, Some(&r.fields()))));
            }
            Step::Update { before, after } => {
                after.replace(tx, before.key(), now).await?;
                let fields = diff(Some(&before.fields()), Some(&after.fields()));
                kept.push((after.key().as_ref(), "updated", fields));
            }
            Step::Unchanged => {}
        }
    }
    let writes: Vec<Write> = kept
        .iter()
        .map(|(key, change, fields)| Write::of(T::ENTITY, key, change, fields))
        .collect();
    remember(tx, granted, &writes, now).await?;
    Ok(summary(exchange, &steps))
}

/// What a service holds and keeps in its own history: its dependencies
/// and replication links.
trait Held: Exchanged {
    const FILE: Exchange;
    fn service(&self) -> &crate::domain::inventory::RecordKey;
    fn history_field(&self) -> String;
    fn describe(&self) -> String;
    async fn upsert_all(tx: &mut Tx, rows: &[&Self], now: Timestamp) -> anyhow::Result<()>;
}

impl Held for Dependency {
    const FILE: Exchange = Exchange::Dependencies;
    fn service(&self) -> &crate::domain::inventory::RecordKey {
        &self.service
    }
    fn history_field(&self) -> String {
        Dependency::history_field(self)
    }
    fn describe(&self) -> String {
        Dependency::describe(self)
    }
    async fn upsert_all(tx: &mut Tx, rows: &[&Self], now: Timestamp) -> anyhow::Result<()> {
        db::dependencies::upsert_all(tx, rows, now).await
    }
}

impl Held for ReplicationLink {
    const FILE: Exchange = Exchange::Replication;
    fn service(&self) -> &crate::domain::inventory::RecordKey {
        &self.service
    }
    fn history_field(&self) -> String {
        ReplicationLink::history_field(self)
    }
    fn describe(&self) -> String {
        ReplicationLink::describe(self)
    }
    async fn upsert_all(tx: &mut Tx, rows: &[&Self], now: Timestamp) -> anyhow::Result<()> {
        db::replication::upsert_all(tx, rows, now).await
    }
}

/// Creates or updates what services hold from one file's rows, kept in
/// each service's history.
async fn apply_held<T: Held>(
    tx: &mut Tx,
    granted: &Granted,
    stored: &[T],
    rows: Rows<T>,
    now: Timestamp,
) -> Result<ImportSummary, AppError> {
    let steps = plan(stored, rows.into_iter().map(|(_, r)| r).collect());
    let changed: Vec<(Option<&T>, &T)> = steps
        .iter()
        .filter_map(|step| match step {
            Step::Create(r) => Some((None, r)),
            Step::Update { before, after } => Some((Some(before), after)),
            Step::Unchanged => None,
        })
        .collect();
    let upserts: Vec<&T> = changed.iter().map(|(_, r)| *r).collect();
    T::upsert_all(tx, &upserts, now).await?;
    let fields: Vec<[FieldChange; 1]> = changed
        .iter()
        .map(|(before, after)| {
            [FieldChange {
                field: after.history_field(),
                before: before.map(T::describe),
                after: Some(after.describe()),
            }]
        })
        .collect();
    let writes: Vec<Write> = changed
        .iter()
        .zip(&fields)
        .map(|((_, r), f)| Write::of("service", r.service().as_str(), "updated", f))
        .collect();
    remember(tx, granted, &writes, now).await?;
    Ok(summary(T::FILE, &steps))
}

/// Saves each row as the newest version of its process's BIA, keeping
/// the stored impact ratings; `approved` rows are approved at once.
async fn apply_bia(
    tx: &mut Tx,
    granted: &Granted,
    rows: Rows<BiaLine>,
    now: Timestamp,
) -> Result<ImportSummary, AppError> {
    let latest: HashMap<String, Bia> = db::bia::latest(tx)
        .await?
        .into_iter()
        .map(|b| (b.process.to_string(), b))
        .collect();
    let (mut created, mut updated, mut unchanged) = (0, 0, 0);
    for (_, line) in rows {
        let before = latest.get(line.process.as_str());
        if before.is_some_and(|b| line.matches(b)) {
            unchanged += 1;
            continue;
        }
        let targets = BiaTargets {
            impacts: before.map(|b| b.targets.impacts).unwrap_or_default(),
            ..line.targets.clone()
        };
        let mut bia = bia::saved(&line.process, before, targets);
        if line.status == ApprovalStatus::Approved {
            bia = bia::approved(&bia, &granted.actor.name, now);
        }
        db::bia::upsert(tx, &bia, now).await?;
        let fields = super::bia::changes(before, &bia);
        remember(
            tx,
            granted,
            &[Write::of(
                "process",
                bia.process.as_str(),
                "updated",
                &fields,
            )],
            now,
        )
        .await?;
        match before {
            Some(_) => updated += 1,
            None => created += 1,
        }
    }
    Ok(ImportSummary {
        file: Exchange::Bia.file_name(),
        created,
        updated,
        unchanged,
    })
}

/// An exchange file as the records stand.
pub async fn export(db: &Db, exchange: Exchange) -> Result<Table, AppError> {
    let mut tx = db.read().await?;
    Ok(match exchange {
        Exchange::Sites => csv_file::sites_table(&db::sites::all_in(&mut tx).await?),
        Exchange::Services => csv_file::services_table(&db::services::all_in(&mut tx).await?),
        Exchange::Dependencies => {
            csv_file::dependencies_table(&db::dependencies::all_in(&mut tx).await?)
        }
        Exchange::Processes => csv_file::processes_table(&db::processes::list(&mut tx, "").await?),
        Exchange::Bia => csv_file::bia_table(&db::bia::latest(&mut tx).await?),
        Exchange::Replication => csv_file::replication_table(&db::replication::all(&mut tx).await?),
        Exchange::Vendors => csv_file::vendors_table(&db::vendors::list(&mut tx, "").await?),
    })
}
