//! Queries on drills (with their services and results) and post-mortems.

use super::Tx;
use crate::domain::action_item::ActionSource;
use crate::domain::drill::{Drill, DrillKind, DrillService, DrillStatus};
use crate::domain::inventory::RecordKey;
use crate::domain::postmortem::{PostMortem, PostMortemStatus};
use crate::domain::timestamp::Timestamp;
use crate::on_tx;
use std::collections::HashMap;

#[derive(sqlx::FromRow)]
struct DrillRow {
    id: i64,
    title: String,
    kind: String,
    starts_at: Timestamp,
    ends_at: Timestamp,
    status: String,
    participants: String,
    notes: String,
    completed_at: Option<Timestamp>,
    steps: String,
}

fn bad(what: &str, id: i64, field: &str) -> anyhow::Error {
    anyhow::anyhow!("{what} {id} in the database: bad {field}")
}

const SELECT: &str =
    "SELECT id, title, kind, starts_at, ends_at, status, participants, notes, completed_at, steps FROM drills";

/// Drills matching `filter` (a `WHERE` clause without parameters), by
/// start, with their services.
async fn load(tx: &mut Tx, filter: &str) -> anyhow::Result<Vec<Drill>> {
    let sql = format!("{SELECT} WHERE {filter} ORDER BY starts_at, id");
    let rows: Vec<DrillRow> = on_tx!(tx, c => sqlx::query_as(&sql).fetch_all(c).await)?;
    if rows.is_empty() {
        return Ok(Vec::new());
    }
    let ids = rows
        .iter()
        .map(|r| r.id.to_string())
        .collect::<Vec<_>>()
        .join(", ");
    let sql = format!(
        "SELECT drill_id, service, runbook_version, result FROM drill_services WHERE drill_id IN ({ids}) ORDER BY service"
    );
    let services: Vec<(i64, String, Option<i64>, Option<String>)> =
        on_tx!(tx, c => sqlx::query_as(&sql).fetch_all(c).await)?;
    let mut by_drill: HashMap<i64, Vec<DrillService>> = HashMap::new();
    for (id, service, version, result) in services {
        by_drill.entry(id).or_default().push(DrillService {
            service: RecordKey::parse(&service).map_err(|_| bad("drill", id, "service"))?,
            runbook_version: version.and_then(|v| u32::try_from(v).ok()),
            result: match result {
                Some(json) => {
                    Some(serde_json::from_str(&json).map_err(|_| bad("drill", id, "result"))?)
                }
                None => None,
            },
        });
    }
    rows.into_iter()
        .map(|r| {
            let id = r.id;
            Ok(Drill {
                id,
                title: r.title,
                kind: DrillKind::parse_field("kind", &r.kind)
                    .map_err(|_| bad("drill", id, "kind"))?,
                starts_at: r.starts_at,
                ends_at: r.ends_at,
                status: DrillStatus::parse_field("status", &r.status)
                    .map_err(|_| bad("drill", id, "status"))?,
                services: by_drill.remove(&id).unwrap_or_default(),
                participants: serde_json::from_str(&r.participants)
                    .map_err(|_| bad("drill", id, "participants"))?,
                notes: r.notes,
                completed_at: r.completed_at,
                steps: serde_json::from_str(&r.steps).map_err(|_| bad("drill", id, "steps"))?,
            })
        })
        .collect()
}

pub async fn all(tx: &mut Tx) -> anyhow::Result<Vec<Drill>> {
    load(tx, "1 = 1").await
}

/// Completed drills that measured something: what coverage and the
/// analysis read.
pub async fn completed(tx: &mut Tx) -> anyhow::Result<Vec<Drill>> {
    load(tx, "status = 'completed' AND kind <> 'tabletop'").await
}

pub async fn find(tx: &mut Tx, id: i64) -> anyhow::Result<Option<Drill>> {
    Ok(load(tx, &format!("id = {id}")).await?.pop())
}

pub async fn insert(tx: &mut Tx, d: &Drill, now: Timestamp) -> anyhow::Result<i64> {
    let participants = serde_json::to_string(&d.participants)?;
    let id: i64 = on_tx!(tx, c => sqlx::query_scalar(
        "INSERT INTO drills (title, kind, starts_at, ends_at, status, participants, notes, created_at, updated_at) \
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $8) RETURNING id")
        .bind(&d.title).bind(d.kind.as_str()).bind(d.starts_at).bind(d.ends_at).bind(d.status.as_str())
        .bind(&participants).bind(&d.notes).bind(now)
        .fetch_one(c).await)?;
    for s in &d.services {
        on_tx!(tx, c => sqlx::query("INSERT INTO drill_services (drill_id, service, runbook_version) VALUES ($1, $2, $3)")
            .bind(id).bind(s.service.as_str()).bind(s.runbook_version.map(i64::from))
            .execute(c).await.map(|_| ()))?;
    }
    Ok(id)
}

/// Writes a drill's state and its services' results.
pub async fn update(tx: &mut Tx, d: &Drill, now: Timestamp) -> anyhow::Result<()> {
    let steps = serde_json::to_string(&d.steps)?;
    on_tx!(tx, c => sqlx::query("UPDATE drills SET status = $1, notes = $2, completed_at = $3, steps = $4, updated_at = $5 WHERE id = $6")
        .bind(d.status.as_str()).bind(&d.notes).bind(d.completed_at).bind(&steps).bind(now).bind(d.id)
        .execute(c).await.map(|_| ()))?;
    for s in &d.services {
        let result = s.result.as_ref().map(serde_json::to_string).transpose()?;
        on_tx!(tx, c => sqlx::query("UPDATE drill_services SET result = $1 WHERE drill_id = $2 AND service = $3")
            .bind(result).bind(d.id).bind(s.service.as_str())
            .execute(c).await.map(|_| ()))?;
    }
    Ok(())
}

/// The drills that name `service`, for the refusal to delete it.
pub async fn naming(tx: &mut Tx, service: &RecordKey) -> anyhow::Result<Vec<String>> {
    let ids: Vec<i64> = on_tx!(tx, c => sqlx::query_scalar(
        "SELECT drill_id FROM drill_services WHERE service = $1 ORDER BY drill_id")
        .bind(service.as_str()).fetch_all(c).await)?;
    Ok(ids.into_iter().map(|id| format!("drill {id}")).collect())
}

#[derive(sqlx::FromRow)]
struct PostMortemRow {
    id: i64,
    source_kind: String,
    source_id: i64,
    title: String,
    due_at: Timestamp,
    summary: String,
    timeline: String,
    contributing_factors: String,
    status: String,
}

impl PostMortemRow {
    fn into_post_mortem(self) -> anyhow::Result<PostMortem> {
        let id = self.id;
        Ok(PostMortem {
            id,
            source: ActionSource::parse_field("source", &self.source_kind)
                .map_err(|_| bad("post-mortem", id, "source"))?,
            source_id: self.source_id,
            title: self.title,
            due_at: self.due_at,
            summary: self.summary,
            timeline: self.timeline,
            contributing_factors: self.contributing_factors,
            status: PostMortemStatus::parse_field("status", &self.status)
                .map_err(|_| bad("post-mortem", id, "status"))?,
        })
    }
}

const PM_SELECT: &str = "SELECT id, source_kind, source_id, title, due_at, summary, timeline, contributing_factors, status \
                         FROM post_mortems";

pub async fn post_mortems(tx: &mut Tx) -> anyhow::Result<Vec<PostMortem>> {
    let sql = format!("{PM_SELECT} ORDER BY due_at DESC, id DESC");
    let rows: Vec<PostMortemRow> = on_tx!(tx, c => sqlx::query_as(&sql).fetch_all(c).await)?;
    rows.into_iter()
        .map(PostMortemRow::into_post_mortem)
        .collect()
}

pub async fn post_mortem(tx: &mut Tx, id: i64) -> anyhow::Result<Option<PostMortem>> {
    let sql = format!("{PM_SELECT} WHERE id = $1");
    let row: Option<PostMortemRow> =
        on_tx!(tx, c => sqlx::query_as(&sql).bind(id).fetch_optional(c).await)?;
    row.map(PostMortemRow::into_post_mortem).transpose()
}

/// The post-mortem of one drill or failover, if it has one.
pub async fn post_mortem_of(
    tx: &mut Tx,
    source: ActionSource,
    id: i64,
) -> anyhow::Result<Option<PostMortem>> {
    let sql = format!("{PM_SELECT} WHERE source_kind = $1 AND source_id = $2");
    let row: Option<PostMortemRow> = on_tx!(tx, c => sqlx::query_as(&sql).bind(source.as_str()).bind(id).fetch_optional(c).await)?;
    row.map(PostMortemRow::into_post_mortem).transpose()
}

pub async fn insert_post_mortem(
    tx: &mut Tx,
    p: &PostMortem,
    now: Timestamp,
) -> anyhow::Result<i64> {
    let id: i64 = on_tx!(tx, c => sqlx::query_scalar(
        "INSERT INTO post_mortems (source_kind, source_id, title, due_at, summary, timeline, contributing_factors, \
         status, created_at, updated_at) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $9) RETURNING id")
        .bind(p.source.as_str()).bind(p.source_id).bind(&p.title).bind(p.due_at).bind(&p.summary)
        .bind(&p.timeline).bind(&p.contributing_factors).bind(p.status.as_str()).bind(now)
        .fetch_one(c).await)?;
    Ok(id)
}

pub async fn update_post_mortem(tx: &mut Tx, p: &PostMortem, now: Timestamp) -> anyhow::Result<()> {
    on_tx!(tx, c => sqlx::query(
        "UPDATE post_mortems SET summary = $1, timeline = $2, contributing_factors = $3, status = $4, updated_at = $5 \
         WHERE id = $6")
        .bind(&p.summary).bind(&p.timeline).bind(&p.contributing_factors).bind(p.status.as_str()).bind(now).bind(p.id)
        .execute(c).await.map(|_| ()))?;
    Ok(())
}
