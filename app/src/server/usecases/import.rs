//! Importing exchange files (SPEC §8.5): all files in one transaction, in
//! reference order; any bad row in any file and nothing changes, and the
//! answer lists every bad row. Each record keeps its history; each file
//! appends one audit event with what it changed.

use super::changes::require;
use crate::api::error::{AppError, FileErrors};
use crate::domain::access::Permission;
use crate::domain::audit::NewAuditEvent;
use crate::domain::history::{diff, FieldChange};
use crate::domain::inventory::csv_file::{self, Exchange, RowError, Rows};
use crate::domain::inventory::exchange::{plan, tally, Step};
use crate::domain::inventory::service::{Dependency, Service};
use crate::domain::inventory::site::Site;
use crate::domain::timestamp::Timestamp;
use crate::server::auth::Granted;
use crate::server::db::{self, history::Change, Db, Tx};
use serde::{Deserialize, Serialize};
use serde_json::json;
use std::collections::HashSet;

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
        let steps = plan(&sites, rows.into_iter().map(|(_, s)| s).collect());
        for step in &steps {
            match step {
                Step::Create(s) => {
                    db::sites::insert(&mut tx, s, now).await?;
                    keep(
                        &mut tx,
                        granted,
                        "site",
                        s.key.as_str(),
                        "created",
                        &diff(None, Some(&s.fields())),
                        now,
                    )
                    .await?;
                }
                Step::Update { before, after } => {
                    db::sites::update(&mut tx, &before.key, after, now).await?;
                    let changes = diff(Some(&before.fields()), Some(&after.fields()));
                    keep(
                        &mut tx,
                        granted,
                        "site",
                        after.key.as_str(),
                        "updated",
                        &changes,
                        now,
                    )
                    .await?;
                }
                Step::Unchanged => {}
            }
        }
        summaries.push(summary(Exchange::Sites, &steps));
    }
    if let Some(rows) = parsed.services {
        let steps = plan(&services, rows.into_iter().map(|(_, s)| s).collect());
        for step in &steps {
            match step {
                Step::Create(s) => {
                    db::services::insert(&mut tx, s, now).await?;
                    keep(
                        &mut tx,
                        granted,
                        "service",
                        s.key.as_str(),
                        "created",
                        &diff(None, Some(&s.fields())),
                        now,
                    )
                    .await?;
                }
                Step::Update { before, after } => {
                    db::services::update(&mut tx, &before.key, after, now).await?;
                    let changes = diff(Some(&before.fields()), Some(&after.fields()));
                    keep(
                        &mut tx,
                        granted,
                        "service",
                        after.key.as_str(),
                        "updated",
                        &changes,
                        now,
                    )
                    .await?;
                }
                Step::Unchanged => {}
            }
        }
        summaries.push(summary(Exchange::Services, &steps));
    }
    if let Some(rows) = parsed.dependencies {
        let steps = plan(&dependencies, rows.into_iter().map(|(_, d)| d).collect());
        for step in &steps {
            let (before, after) = match step {
                Step::Create(d) => (None, d),
                Step::Update { before, after } => (Some(before), after),
                Step::Unchanged => continue,
            };
            db::dependencies::upsert(&mut tx, after, now).await?;
            let change = FieldChange {
                field: after.history_field(),
                before: before.map(Dependency::describe),
                after: Some(after.describe()),
            };
            keep(
                &mut tx,
                granted,
                "service",
                after.service.as_str(),
                "updated",
                &[change],
                now,
            )
            .await?;
        }
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

/// Keeps one imported record's change in its history.
async fn keep(
    tx: &mut Tx,
    granted: &Granted,
    entity_type: &str,
    key: &str,
    change: &str,
    fields: &[FieldChange],
    now: Timestamp,
) -> Result<(), AppError> {
    let record = Change {
        entity_type,
        entity_key: key,
        change,
        actor: &granted.actor.name,
        fields,
    };
    db::history::record(tx, record, now).await?;
    Ok(())
}

/// The exchange files as they stand, by file name.
pub async fn export(db: &Db, exchange: Exchange) -> Result<String, AppError> {
    Ok(match exchange {
        Exchange::Sites => csv_file::write_sites(&db::sites::list(db, "").await?),
        Exchange::Services => csv_file::write_services(&db::services::all(db).await?),
        Exchange::Dependencies => csv_file::write_dependencies(&db::dependencies::all(db).await?),
    })
}
