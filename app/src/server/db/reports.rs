//! Queries on report exports: their progress, and the finished file.

use super::Tx;
use crate::domain::report::{JobStatus, Period, ReportJob, ReportKind};
use crate::domain::timestamp::{format_date, parse_date, Timestamp};
use crate::on_tx;

#[derive(sqlx::FromRow)]
struct Row {
    id: i64,
    kind: String,
    user_id: i64,
    period_from: Option<String>,
    period_to: Option<String>,
    status: String,
    progress: i64,
    stage: String,
    error: Option<String>,
    file_name: Option<String>,
    sha256: Option<String>,
    created_at: Timestamp,
    finished_at: Option<Timestamp>,
}

const SELECT: &str = "SELECT id, kind, user_id, period_from, period_to, status, progress, stage, \
     error, file_name, sha256, created_at, finished_at FROM report_jobs";

fn job(r: Row) -> anyhow::Result<ReportJob> {
    let bad = |field: &str| anyhow::anyhow!("report job {} in the database: bad {field}", r.id);
    let period = match (&r.period_from, &r.period_to) {
        (Some(f), Some(t)) => Some(Period {
            from: parse_date("from", f).map_err(|_| bad("period_from"))?,
            to: parse_date("to", t).map_err(|_| bad("period_to"))?,
        }),
        _ => None,
    };
    Ok(ReportJob {
        id: r.id,
        kind: ReportKind::parse_field("kind", &r.kind).map_err(|_| bad("kind"))?,
        user_id: r.user_id,
        period,
        status: JobStatus::parse_field("status", &r.status).map_err(|_| bad("status"))?,
        progress: r.progress.clamp(0, 100) as u8,
        stage: r.stage,
        error: r.error,
        file_name: r.file_name,
        sha256: r.sha256,
        created_at: r.created_at,
        finished_at: r.finished_at,
    })
}

pub async fn insert(
    tx: &mut Tx,
    kind: ReportKind,
    user_id: i64,
    period: Option<Period>,
    now: Timestamp,
) -> anyhow::Result<i64> {
    Ok(on_tx!(tx, c => sqlx::query_scalar(
        "INSERT INTO report_jobs (kind, user_id, period_from, period_to, status, progress, stage, created_at) \
         VALUES ($1, $2, $3, $4, 'running', 0, 'queued', $5) RETURNING id")
        .bind(kind.as_str()).bind(user_id)
        .bind(period.map(|p| format_date(p.from))).bind(period.map(|p| format_date(p.to)))
        .bind(now)
        .fetch_one(c).await)?)
}

pub async fn find(tx: &mut Tx, id: i64) -> anyhow::Result<Option<ReportJob>> {
    let sql = format!("{SELECT} WHERE id = $1");
    let row: Option<Row> = on_tx!(tx, c => sqlx::query_as(&sql).bind(id).fetch_optional(c).await)?;
    row.map(job).transpose()
}

/// A user's newest exports.
pub async fn of_user(tx: &mut Tx, user_id: i64, limit: i64) -> anyhow::Result<Vec<ReportJob>> {
    let sql = format!("{SELECT} WHERE user_id = $1 ORDER BY id DESC LIMIT $2");
    let rows: Vec<Row> =
        on_tx!(tx, c => sqlx::query_as(&sql).bind(user_id).bind(limit).fetch_all(c).await)?;
    rows.into_iter().map(job).collect()
}

pub async fn progress(tx: &mut Tx, id: i64, percent: u8, stage: &str) -> anyhow::Result<()> {
    on_tx!(tx, c => sqlx::query(
        "UPDATE report_jobs SET progress = $1, stage = $2 WHERE id = $3 AND status = 'running'")
        .bind(i64::from(percent)).bind(stage).bind(id)
        .execute(c).await.map(|_| ()))?;
    Ok(())
}

pub async fn finish(
    tx: &mut Tx,
    id: i64,
    file_name: &str,
    content: &[u8],
    sha256: &str,
    now: Timestamp,
) -> anyhow::Result<()> {
    on_tx!(tx, c => sqlx::query(
        "UPDATE report_jobs SET status = 'done', progress = 100, stage = 'ready', file_name = $1, \
         content = $2, sha256 = $3, finished_at = $4 WHERE id = $5")
        .bind(file_name).bind(content).bind(sha256).bind(now).bind(id)
        .execute(c).await.map(|_| ()))?;
    Ok(())
}

pub async fn fail(tx: &mut Tx, id: i64, error: &str, now: Timestamp) -> anyhow::Result<()> {
    on_tx!(tx, c => sqlx::query(
        "UPDATE report_jobs SET status = 'failed', error = $1, finished_at = $2 WHERE id = $3 AND status = 'running'")
        .bind(error).bind(now).bind(id)
        .execute(c).await.map(|_| ()))?;
    Ok(())
}

/// Marks exports a stopped server left running as failed.
pub async fn fail_interrupted(tx: &mut Tx, now: Timestamp) -> anyhow::Result<u64> {
    let done = on_tx!(tx, c => sqlx::query(
        "UPDATE report_jobs SET status = 'failed', error = 'interrupted: the server restarted', \
         finished_at = $1 WHERE status = 'running'")
        .bind(now).execute(c).await.map(|r| r.rows_affected()))?;
    Ok(done)
}

/// A finished export's file.
pub async fn content(tx: &mut Tx, id: i64) -> anyhow::Result<Option<Vec<u8>>> {
    Ok(on_tx!(tx, c => sqlx::query_scalar(
        "SELECT content FROM report_jobs WHERE id = $1 AND status = 'done'")
        .bind(id).fetch_optional(c).await)?
    .flatten())
}

/// Drops the files of exports finished before `before`; their rows (and
/// hashes) stay.
pub async fn forget_files(tx: &mut Tx, before: Timestamp) -> anyhow::Result<()> {
    on_tx!(tx, c => sqlx::query(
        "UPDATE report_jobs SET content = NULL WHERE finished_at < $1 AND content IS NOT NULL")
        .bind(before).execute(c).await.map(|_| ()))?;
    Ok(())
}
