//! Importing exchange files (SPEC §8.5): all files in one transaction, in
//! reference order; any bad row in any file and nothing changes, and the
//! answer lists every bad row. Each record keeps its history; each file
//! appends one audit event with what it changed.

use super::changes::{remember, require, Stored, Write};
use crate::api::error::{AppError, FileErrors};
use crate::domain::access::Permission;
use crate::domain::audit::NewAuditEvent;
use crate::domain::history::{diff, FieldChange};
use crate::domain::inventory::csv_file::{self, Exchange, RowError, Rows, Table};
use crate::domain::inventory::exchange::{plan, tally, Exchanged, Step};
use crate::domain::inventory::service::{Dependency, Service};
use crate::domain::inventory::site::Site;
use crate::domain::timestamp::Timestamp;
use crate::server::auth::Granted;
use crate::server::db::{self, Db, Tx};
use serde::{Deserialize, Serialize};
use serde_json::json;
use std::collections::HashSet;

/// Rows changed by one file past which the import refreshes the planner's
/// statistics (a bulk load would otherwise be queried with plans for an
/// empty inventory until autovacuum catches up).
const ANALYZE_AFTER: usize = 1000;

/// What importing one file did.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct ImportSummary {
    pub file: String,
    pub created: usize,
    pub updated: usize,
    pub unchanged: usize,
}

/// The files' rows, read and checked on their own.
#[derive(Default)]
struct Parsed {
    sites: Option<Rows<Site>>,
    services: Option<Rows<Service>>,
    dependencies: Option<Rows<Dependency>>,
}

fn read(files: Vec<(Exchange, Vec<u8>)>, bad: &mut Vec<FileErrors>) -> Parsed {
    let mut parsed = Parsed::default();
    for (exchange, bytes) in files {
        let mut keep = |errors: Vec<RowError>| {
            if !errors.is_empty() {
                bad.push(FileErrors {
                    file: exchange.file_name(),
                    errors,
                })
            }
        };
        match exchange {
            Exchange::Sites => {
                let read = csv_file::read_sites(&bytes);
                keep(read.errors);
                parsed.sites = Some(read.rows);
            }
            Exchange::Services => {
                let read = csv_file::read_services(&bytes);
                keep(read.errors);
                parsed.services = Some(read.rows);
            }
            Exchange::Dependencies => {
                let read = csv_file::read_dependencies(&bytes);
                keep(read.errors);
                parsed.dependencies = Some(read.rows);
            }
        }
    }
    parsed
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
    let dependencies = db::dependencies::all_in(&mut tx).await?;
    let site_keys = keys(
        sites.iter().map(|s| s.key.to_string()),
        parsed
            .sites
            .iter()
            .flatten()
            .map(|(_, s)| s.key.to_string()),
    );
    let service_keys = keys(
        services.iter().map(|s| s.key.to_string()),
        parsed
            .services
            .iter()
            .flatten()
            .map(|(_, s)| s.key.to_string()),
    );
    if let Some(rows) = &parsed.services {
        let refs = rows.iter().flat_map(|(line, s)| {
            s.sites()
                .zip(["primary_site", "secondary_site"])
                .map(move |(k, c)| (*line, c, k.as_str()))
        });
        add(
            &mut bad,
            Exchange::Services,
            missing(refs, &site_keys, "site"),
        );
    }
    if let Some(rows) = &parsed.dependencies {
        let refs = rows.iter().flat_map(|(line, d)| {
            [
                (*line, "service", d.service.as_str()),
                (*line, "depends_on", d.depends_on.as_str()),
            ]
        });
        add(
            &mut bad,
            Exchange::Dependencies,
            missing(refs, &service_keys, "service"),
        );
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
        let steps = plan(&dependencies, rows.into_iter().map(|(_, d)| d).collect());
        let changed: Vec<(Option<&Dependency>, &Dependency)> = steps
            .iter()
            .filter_map(|step| match step {
                Step::Create(d) => Some((None, d)),
                Step::Update { before, after } => Some((Some(before), after)),
                Step::Unchanged => None,
            })
            .collect();
        let upserts: Vec<&Dependency> = changed.iter().map(|(_, d)| *d).collect();
        db::dependencies::upsert_all(&mut tx, &upserts, now).await?;
        let fields: Vec<[FieldChange; 1]> = changed
            .iter()
            .map(|(before, after)| {
                [FieldChange {
                    field: after.history_field(),
                    before: before.map(Dependency::describe),
                    after: Some(after.describe()),
                }]
            })
            .collect();
        let writes: Vec<Write> = changed
            .iter()
            .zip(&fields)
            .map(|((_, d), f)| Write::of("service", d.service.as_str(), "updated", f))
            .collect();
        remember(&mut tx, granted, &writes, now).await?;
        summaries.push(summary(Exchange::Dependencies, &steps));
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
                kept.push((r.key(), "created", diff(None, Some(&r.fields()))));
            }
            Step::Update { before, after } => {
                after.replace(tx, before.key(), now).await?;
                let fields = diff(Some(&before.fields()), Some(&after.fields()));
                kept.push((after.key(), "updated", fields));
            }
            Step::Unchanged => {}
        }
    }
    let writes: Vec<Write> = kept
        .iter()
        .map(|(key, change, fields)| Write::of(T::ENTITY, key.as_str(), change, fields))
        .collect();
    remember(tx, granted, &writes, now).await?;
    Ok(summary(exchange, &steps))
}

/// An exchange file as the records stand.
pub async fn export(db: &Db, exchange: Exchange) -> Result<Table, AppError> {
    Ok(match exchange {
        Exchange::Sites => csv_file::sites_table(&db::sites::list(db, "").await?),
        Exchange::Services => csv_file::services_table(&db::services::all(db).await?),
        Exchange::Dependencies => csv_file::dependencies_table(&db::dependencies::all(db).await?),
    })
}
