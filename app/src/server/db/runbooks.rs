//! Queries on `runbooks`: the versions of each service's and each site's
//! runbook. Steps are kept as JSON: a version's steps are one value.

use super::Tx;
use crate::domain::approval::ApprovalStatus;
use crate::domain::inventory::RecordKey;
use crate::domain::runbook::{Runbook, RunbookContent, RunbookScope};
use crate::domain::timestamp::{format_date, Timestamp};
use crate::on_tx;

#[derive(sqlx::FromRow)]
struct RunbookRow {
    scope: String,
    subject: String,
    version: i64,
    steps: String,
    rollback: String,
    status: String,
    approved_by: Option<String>,
    approved_at: Option<Timestamp>,
    next_review_due: Option<String>,
}

impl RunbookRow {
    fn into_runbook(self) -> anyhow::Result<Runbook> {
        let bad = |what: &str| {
            anyhow::anyhow!(
                "runbook v{} of {} in the database: bad {what}",
                self.version,
                self.subject
            )
        };
        Ok(Runbook {
            scope: RunbookScope::parse_field("scope", &self.scope).map_err(|_| bad("scope"))?,
            subject: RecordKey::parse(&self.subject).map_err(|_| bad("subject"))?,
            version: u32::try_from(self.version).map_err(|_| bad("version"))?,
            content: RunbookContent {
                steps: serde_json::from_str(&self.steps).map_err(|_| bad("steps"))?,
                rollback: serde_json::from_str(&self.rollback).map_err(|_| bad("rollback"))?,
            },
            status: ApprovalStatus::parse_field("status", &self.status)
                .map_err(|_| bad("status"))?,
            approval: super::stored_approval(
                self.approved_by.clone(),
                self.approved_at,
                self.next_review_due.as_deref(),
            )
            .ok_or_else(|| bad("review date"))?,
        })
    }
}

const SELECT: &str =
    "SELECT scope, COALESCE(service, site) AS subject, version, steps, rollback, status, \
                      approved_by, approved_at, next_review_due FROM runbooks";

fn parse_all(rows: Vec<RunbookRow>) -> anyhow::Result<Vec<Runbook>> {
    rows.into_iter().map(RunbookRow::into_runbook).collect()
}

/// Every version of one runbook, newest first.
pub async fn versions(
    tx: &mut Tx,
    scope: RunbookScope,
    subject: &RecordKey,
) -> anyhow::Result<Vec<Runbook>> {
    let sql =
        format!("{SELECT} WHERE scope = $1 AND COALESCE(service, site) = $2 ORDER BY version DESC");
    parse_all(
        on_tx!(tx, c => sqlx::query_as(&sql).bind(scope.as_str()).bind(subject.as_str()).fetch_all(c).await)?,
    )
}

/// Every version of every runbook, services first, by key and version.
pub async fn all_versions(tx: &mut Tx) -> anyhow::Result<Vec<Runbook>> {
    let sql = format!("{SELECT} ORDER BY scope, subject, version");
    parse_all(on_tx!(tx, c => sqlx::query_as(&sql).fetch_all(c).await)?)
}

/// The newest version of every runbook, services first, by key.
pub async fn latest(tx: &mut Tx) -> anyhow::Result<Vec<Runbook>> {
    let sql = format!(
        "{SELECT} r WHERE version = (SELECT MAX(version) FROM runbooks l WHERE l.scope = r.scope \
         AND COALESCE(l.service, l.site) = COALESCE(r.service, r.site)) ORDER BY scope, subject"
    );
    parse_all(on_tx!(tx, c => sqlx::query_as(&sql).fetch_all(c).await)?)
}

/// The newest approved version of every runbook of `scope`: what plans
/// and the analysis use.
pub async fn latest_approved(tx: &mut Tx, scope: RunbookScope) -> anyhow::Result<Vec<Runbook>> {
    let sql = format!(
        "{SELECT} r WHERE scope = $1 AND status = 'approved' AND version = (SELECT MAX(version) FROM runbooks l \
         WHERE l.scope = r.scope AND COALESCE(l.service, l.site) = COALESCE(r.service, r.site) \
         AND l.status = 'approved') ORDER BY subject"
    );
    parse_all(on_tx!(tx, c => sqlx::query_as(&sql).bind(scope.as_str()).fetch_all(c).await)?)
}

/// Stores a version: replaces the one with its number, or adds it.
pub async fn upsert(tx: &mut Tx, r: &Runbook, now: Timestamp) -> anyhow::Result<()> {
    let steps = serde_json::to_string(&r.content.steps)?;
    let rollback = serde_json::to_string(&r.content.rollback)?;
    let review = r.approval.next_review_due.map(format_date);
    let subject = r.subject.as_str();
    let updated = on_tx!(tx, c => sqlx::query(
        "UPDATE runbooks SET steps = $1, rollback = $2, status = $3, approved_by = $4, approved_at = $5, \
         next_review_due = $6, updated_at = $7 WHERE scope = $8 AND COALESCE(service, site) = $9 AND version = $10")
        .bind(&steps).bind(&rollback).bind(r.status.as_str()).bind(&r.approval.by).bind(r.approval.at)
        .bind(&review).bind(now).bind(r.scope.as_str()).bind(subject).bind(i64::from(r.version))
        .execute(c).await.map(|done| done.rows_affected()))?;
    if updated > 0 {
        return Ok(());
    }
    let (service, site) = match r.scope {
        RunbookScope::Service => (Some(subject), None),
        RunbookScope::Site => (None, Some(subject)),
    };
    on_tx!(tx, c => sqlx::query(
        "INSERT INTO runbooks (scope, service, site, version, steps, rollback, status, approved_by, approved_at, \
         next_review_due, created_at, updated_at) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $11)")
        .bind(r.scope.as_str()).bind(service).bind(site).bind(i64::from(r.version)).bind(&steps).bind(&rollback)
        .bind(r.status.as_str()).bind(&r.approval.by).bind(r.approval.at).bind(&review).bind(now)
        .execute(c).await.map(|_| ()))?;
    Ok(())
}

/// `["its runbook"]` when the service or site has one: what refuses its
/// deletion.
pub async fn naming(
    tx: &mut Tx,
    scope: RunbookScope,
    subject: &RecordKey,
) -> anyhow::Result<Vec<String>> {
    let n: i64 = on_tx!(tx, c => sqlx::query_scalar(
        "SELECT COUNT(*) FROM runbooks WHERE scope = $1 AND COALESCE(service, site) = $2")
        .bind(scope.as_str()).bind(subject.as_str()).fetch_one(c).await)?;
    Ok(if n > 0 {
        vec![format!("its runbook ({n} versions)")]
    } else {
        Vec::new()
    })
}
