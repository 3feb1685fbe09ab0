//! Queries on `bia_entries`: the versions of each process's BIA.

use super::Tx;
use crate::domain::bia::{ApprovalStatus, Bia, BiaTargets};
use crate::domain::inventory::RecordKey;
use crate::domain::timestamp::{format_date, Timestamp};
use crate::on_tx;

#[derive(sqlx::FromRow)]
struct BiaRow {
    process: String,
    version: i64,
    impacts: String,
    mtpd_minutes: i64,
    rto_minutes: i64,
    rpo_minutes: i64,
    mbco: String,
    status: String,
    approved_by: Option<String>,
    approved_at: Option<Timestamp>,
    next_review_due: Option<String>,
}

impl BiaRow {
    fn into_bia(self) -> anyhow::Result<Bia> {
        let bad = |what: &str| {
            anyhow::anyhow!(
                "BIA v{} of {} in the database: bad {what}",
                self.version,
                self.process
            )
        };
        let minutes = |v: i64, what: &str| u32::try_from(v).map_err(|_| bad(what));
        Ok(Bia {
            process: RecordKey::parse(&self.process).map_err(|_| bad("process"))?,
            version: u32::try_from(self.version).map_err(|_| bad("version"))?,
            targets: BiaTargets {
                impacts: BiaTargets::parse_impacts(&self.impacts).ok_or_else(|| bad("impacts"))?,
                mtpd_minutes: minutes(self.mtpd_minutes, "MTPD")?,
                rto_minutes: minutes(self.rto_minutes, "RTO")?,
                rpo_minutes: minutes(self.rpo_minutes, "RPO")?,
                mbco: self.mbco.clone(),
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
    "SELECT process, version, impacts, mtpd_minutes, rto_minutes, rpo_minutes, mbco, \
                      status, approved_by, approved_at, next_review_due FROM bia_entries";

fn parse_all(rows: Vec<BiaRow>) -> anyhow::Result<Vec<Bia>> {
    rows.into_iter().map(BiaRow::into_bia).collect()
}

/// Every version of a process's BIA, newest first.
pub async fn versions(tx: &mut Tx, process: &RecordKey) -> anyhow::Result<Vec<Bia>> {
    let sql = format!("{SELECT} WHERE process = $1 ORDER BY version DESC");
    parse_all(on_tx!(tx, c => sqlx::query_as(&sql).bind(process.as_str()).fetch_all(c).await)?)
}

/// Every version of every BIA, by process and version.
pub async fn all_versions(tx: &mut Tx) -> anyhow::Result<Vec<Bia>> {
    let sql = format!("{SELECT} ORDER BY process, version");
    parse_all(on_tx!(tx, c => sqlx::query_as(&sql).fetch_all(c).await)?)
}

/// The newest version of every process's BIA, by process.
pub async fn latest(tx: &mut Tx) -> anyhow::Result<Vec<Bia>> {
    let sql = format!(
        "{SELECT} b WHERE version = (SELECT MAX(version) FROM bia_entries l WHERE l.process = b.process) ORDER BY process"
    );
    parse_all(on_tx!(tx, c => sqlx::query_as(&sql).fetch_all(c).await)?)
}

/// The newest approved version of every process's BIA: what the analysis
/// uses.
pub async fn latest_approved(tx: &mut Tx) -> anyhow::Result<Vec<Bia>> {
    let sql = format!(
        "{SELECT} b WHERE status = 'approved' AND version = (SELECT MAX(version) FROM bia_entries l \
         WHERE l.process = b.process AND l.status = 'approved') ORDER BY process"
    );
    parse_all(on_tx!(tx, c => sqlx::query_as(&sql).fetch_all(c).await)?)
}

/// Stores a version (new, or replacing the one with its number).
pub async fn upsert(tx: &mut Tx, b: &Bia, now: Timestamp) -> anyhow::Result<()> {
    let t = &b.targets;
    let review = b.approval.next_review_due.map(format_date);
    on_tx!(tx, c => sqlx::query(
        "INSERT INTO bia_entries (process, version, impacts, mtpd_minutes, rto_minutes, rpo_minutes, mbco, status, \
         approved_by, approved_at, next_review_due, created_at, updated_at) \
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $12) \
         ON CONFLICT (process, version) DO UPDATE SET impacts = excluded.impacts, mtpd_minutes = excluded.mtpd_minutes, \
         rto_minutes = excluded.rto_minutes, rpo_minutes = excluded.rpo_minutes, mbco = excluded.mbco, \
         status = excluded.status, approved_by = excluded.approved_by, approved_at = excluded.approved_at, \
         next_review_due = excluded.next_review_due, updated_at = excluded.updated_at")
        .bind(b.process.as_str()).bind(i64::from(b.version)).bind(t.impacts_text())
        .bind(i64::from(t.mtpd_minutes)).bind(i64::from(t.rto_minutes)).bind(i64::from(t.rpo_minutes))
        .bind(&t.mbco).bind(b.status.as_str()).bind(&b.approval.by).bind(b.approval.at).bind(review)
        .bind(now)
        .execute(c).await.map(|_| ()))?;
    Ok(())
}
