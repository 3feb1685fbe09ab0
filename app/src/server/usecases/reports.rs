//! Report exports (SPEC §7): the board report and the evidence pack are
//! made in the background, so a long export never holds a request; the
//! job row carries its progress for the page to show, and then the file.
//! Requesting, finishing and downloading are each an audit event.

use super::analysis::AnalysisCache;
use crate::api::error::AppError;
use crate::domain::access::Permission;
use crate::domain::audit::{Actor, NewAuditEvent};
use crate::domain::evidence::sha256_hex;
use crate::domain::report::{file_name, JobStatus, Period, ReportJob, ReportKind};
use crate::domain::timestamp::{format_date, Timestamp};
use crate::domain::user::User;
use crate::server::auth::{authorize, Granted};
use crate::server::db::{self, Db};
use crate::server::reports::{board, evidence, Progress};
use crate::server::AppState;
use serde_json::{json, Value};

/// What the audit events of exports are about.
const JOB: &str = "report_job";

/// How long a finished export stays downloadable.
const KEEP_DAYS: i64 = 7;

/// Who may make, and fetch, each kind of report (SPEC §4).
pub fn permission(kind: ReportKind) -> Permission {
    match kind {
        ReportKind::Board => Permission::BoardReport,
        ReportKind::Evidence => Permission::ReadAudit,
    }
}

fn details(kind: ReportKind, period: Option<Period>) -> Value {
    json!({
        "report": kind.as_str(),
        "from": period.map(|p| format_date(p.from)),
        "to": period.map(|p| format_date(p.to)),
    })
}

/// Queues an export for `user` and starts it; returns its job.
pub async fn start(
    db: &Db,
    cache: &AnalysisCache,
    granted: &Granted,
    user_id: i64,
    kind: ReportKind,
    period: Option<Period>,
    now: Timestamp,
) -> Result<i64, AppError> {
    let mut tx = db.begin().await?;
    db::reports::forget_files(&mut tx, now - time::Duration::days(KEEP_DAYS)).await?;
    let id = db::reports::insert(&mut tx, kind, user_id, period, now).await?;
    super::audit::event(
        &mut tx,
        granted.actor.clone(),
        "report_requested",
        JOB,
        id,
        details(kind, period),
        now,
    )
    .await?;
    tx.commit().await?;
    let (db, cache, actor) = (db.clone(), cache.clone(), granted.actor.clone());
    let export = Export { id, kind, period };
    tokio::spawn(async move { run(db, cache, export, actor, now).await });
    Ok(id)
}

/// One export: which job, what kind, for which period.
#[derive(Clone, Copy)]
struct Export {
    id: i64,
    kind: ReportKind,
    period: Option<Period>,
}

async fn run(db: Db, cache: AnalysisCache, export: Export, actor: Actor, now: Timestamp) {
    let Export { id, kind, period } = export;
    let progress = Progress::Job { db: db.clone(), id };
    let made = match (kind, period) {
        (ReportKind::Evidence, Some(p)) => evidence::generate(&db, p, &actor, now, &progress).await,
        (ReportKind::Evidence, None) => {
            Err(anyhow::anyhow!("an evidence pack needs a period").into())
        }
        (ReportKind::Board, _) => board::generate(&db, &cache, now, &progress).await,
    };
    let saved = match made {
        Ok(bytes) => finish(&db, export, actor, &bytes, now).await,
        Err(err) => {
            tracing::error!(error = %err, job = id, "report export failed");
            fail(&db, id).await
        }
    };
    if let Err(err) = saved {
        tracing::error!(error = %err, job = id, "report export not saved");
    }
}

/// Stores the file made at `made_at` with its audit event.
async fn finish(
    db: &Db,
    export: Export,
    actor: Actor,
    bytes: &[u8],
    made_at: Timestamp,
) -> anyhow::Result<()> {
    let Export { id, kind, period } = export;
    let now = super::audit::now();
    let name = file_name(kind, period, made_at);
    let sha256 = sha256_hex(bytes);
    let mut tx = db.begin().await?;
    db::reports::finish(&mut tx, id, &name, bytes, &sha256, now).await?;
    let mut d = details(kind, period);
    d["file"] = json!(name);
    d["bytes"] = json!(bytes.len());
    d["sha256"] = json!(sha256);
    super::audit::event(&mut tx, actor, "report_generated", JOB, id, d, now).await?;
    tx.commit().await
}

async fn fail(db: &Db, id: i64) -> anyhow::Result<()> {
    let why = "the export failed; the server log has the details";
    let mut tx = db.begin().await?;
    db::reports::fail(&mut tx, id, why, super::audit::now()).await?;
    tx.commit().await
}

/// `user`'s newest exports, newest first.
pub async fn jobs(db: &Db, user: &User) -> Result<Vec<ReportJob>, AppError> {
    let mut tx = db.read().await?;
    Ok(db::reports::of_user(&mut tx, user.id, 10).await?)
}

/// One of `user`'s exports; someone else's reads as not found.
pub async fn job(db: &Db, user: &User, id: i64) -> Result<ReportJob, AppError> {
    let mut tx = db.read().await?;
    let job = db::reports::find(&mut tx, id)
        .await?
        .filter(|j| j.user_id == user.id);
    AppError::found(job, || format!("Export {id}"))
}

/// A finished export's file name and bytes, for its requester while they
/// still hold the permission; the download is an audit event.
pub async fn download(
    state: &AppState,
    user: &User,
    id: i64,
) -> Result<(String, Vec<u8>), AppError> {
    let job = job(&state.db, user, id).await?;
    let granted = authorize(&state.db, user, permission(job.kind)).await?;
    if job.status != JobStatus::Done {
        return Err(AppError::Conflict {
            message: format!("Export {id} is {}, not ready to download.", job.status),
        });
    }
    let mut tx = state.db.begin().await?;
    let bytes = db::reports::content(&mut tx, id)
        .await?
        .ok_or_else(|| AppError::NotFound {
            what: format!("The file of export {id} (kept {KEEP_DAYS} days)"),
        })?;
    let mut d = details(job.kind, job.period);
    d["sha256"] = json!(job.sha256);
    super::audit::event(
        &mut tx,
        granted.actor,
        "report_downloaded",
        JOB,
        id,
        d,
        super::audit::now(),
    )
    .await?;
    tx.commit().await?;
    Ok((
        job.file_name.unwrap_or_else(|| format!("export-{id}")),
        bytes,
    ))
}

/// Records an export made at the command line, which keeps no job.
pub async fn exported(
    db: &Db,
    actor: Actor,
    kind: ReportKind,
    period: Option<Period>,
    bytes: &[u8],
    now: Timestamp,
) -> Result<(), AppError> {
    let mut d = details(kind, period);
    d["bytes"] = json!(bytes.len());
    d["sha256"] = json!(sha256_hex(bytes));
    let event = NewAuditEvent::new(actor, "report_generated", "report", None, d);
    super::audit::record(db, event, now).await?;
    Ok(())
}

/// Marks the exports a stopped server left running as failed.
pub async fn fail_interrupted(db: &Db) -> anyhow::Result<u64> {
    let mut tx = db.begin().await?;
    let n = db::reports::fail_interrupted(&mut tx, super::audit::now()).await?;
    tx.commit().await?;
    Ok(n)
}
