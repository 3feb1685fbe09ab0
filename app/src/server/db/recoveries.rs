//! Queries on `recoveries` and `action_items`: what failovers and drills
//! measured, and what they call for.

use super::Tx;
use crate::domain::action_item::{ActionItem, ActionSource, ActionStatus};
use crate::domain::inventory::RecordKey;
use crate::domain::timestamp::{format_date, parse_date, Timestamp};
use crate::on_tx;
use std::collections::HashMap;

/// Records one service's measured recovery in a failover or drill.
pub async fn record(
    tx: &mut Tx,
    service: &RecordKey,
    source: ActionSource,
    event_id: i64,
    minutes: u32,
    at: Timestamp,
) -> anyhow::Result<()> {
    on_tx!(tx, c => sqlx::query(
        "INSERT INTO recoveries (service, event_kind, event_id, measured_minutes, recorded_at) VALUES ($1, $2, $3, $4, $5)")
        .bind(service.as_str()).bind(source.as_str()).bind(event_id).bind(i64::from(minutes)).bind(at)
        .execute(c).await.map(|_| ()))?;
    Ok(())
}

/// Each service's demonstrated recovery (SPEC §5.3): the mean of what
/// its most recent failover or drill measured.
pub async fn demonstrated(tx: &mut Tx) -> anyhow::Result<HashMap<RecordKey, u32>> {
    let rows: Vec<(String, String, i64, i64)> = on_tx!(tx, c => sqlx::query_as(
        "SELECT service, event_kind, event_id, measured_minutes FROM recoveries \
         ORDER BY service, recorded_at DESC, id DESC")
        .fetch_all(c).await)?;
    let mut latest: HashMap<String, ((String, i64), Vec<i64>)> = HashMap::new();
    for (service, kind, event, minutes) in rows {
        let entry = latest
            .entry(service)
            .or_insert_with(|| ((kind.clone(), event), Vec::new()));
        if entry.0 == (kind, event) {
            entry.1.push(minutes);
        }
    }
    latest
        .into_iter()
        .map(|(service, (_, minutes))| {
            let key = RecordKey::parse(&service).map_err(|e| anyhow::anyhow!("recoveries: {e}"))?;
            let mean = minutes.iter().sum::<i64>() as f64 / minutes.len() as f64;
            Ok((key, mean.round() as u32))
        })
        .collect()
}

#[derive(sqlx::FromRow)]
struct ActionRow {
    id: i64,
    title: String,
    owner: String,
    due_on: String,
    status: String,
    link: String,
    source_kind: String,
    source_id: i64,
    retest: bool,
}

impl ActionRow {
    fn into_item(self) -> anyhow::Result<ActionItem> {
        let bad =
            |what: &str| anyhow::anyhow!("action item {} in the database: bad {what}", self.id);
        Ok(ActionItem {
            id: self.id,
            due_on: parse_date("due_on", &self.due_on).map_err(|_| bad("due date"))?,
            status: ActionStatus::parse_field("status", &self.status).map_err(|_| bad("status"))?,
            source: ActionSource::parse_field("source", &self.source_kind)
                .map_err(|_| bad("source"))?,
            title: self.title,
            owner: self.owner,
            link: self.link,
            source_id: self.source_id,
            retest: self.retest,
        })
    }
}

pub async fn add_action(tx: &mut Tx, item: &ActionItem, now: Timestamp) -> anyhow::Result<i64> {
    let id: i64 = on_tx!(tx, c => sqlx::query_scalar(
        "INSERT INTO action_items (title, owner, due_on, status, link, source_kind, source_id, retest, created_at, updated_at) \
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $9) RETURNING id")
        .bind(&item.title).bind(&item.owner).bind(format_date(item.due_on)).bind(item.status.as_str())
        .bind(&item.link).bind(item.source.as_str()).bind(item.source_id).bind(item.retest).bind(now)
        .fetch_one(c).await)?;
    Ok(id)
}

const ACTION_SELECT: &str =
    "SELECT id, title, owner, due_on, status, link, source_kind, source_id, retest FROM action_items";

/// The action items a failover or drill called for.
pub async fn actions_of(
    tx: &mut Tx,
    source: ActionSource,
    id: i64,
) -> anyhow::Result<Vec<ActionItem>> {
    let sql = format!("{ACTION_SELECT} WHERE source_kind = $1 AND source_id = $2 ORDER BY id");
    let rows: Vec<ActionRow> =
        on_tx!(tx, c => sqlx::query_as(&sql).bind(source.as_str()).bind(id).fetch_all(c).await)?;
    rows.into_iter().map(ActionRow::into_item).collect()
}

/// Every action item, open ones first, by due date.
pub async fn all_actions(tx: &mut Tx) -> anyhow::Result<Vec<ActionItem>> {
    let sql = format!("{ACTION_SELECT} ORDER BY status DESC, due_on, id");
    let rows: Vec<ActionRow> = on_tx!(tx, c => sqlx::query_as(&sql).fetch_all(c).await)?;
    rows.into_iter().map(ActionRow::into_item).collect()
}

pub async fn action(tx: &mut Tx, id: i64) -> anyhow::Result<Option<ActionItem>> {
    let sql = format!("{ACTION_SELECT} WHERE id = $1");
    let row: Option<ActionRow> =
        on_tx!(tx, c => sqlx::query_as(&sql).bind(id).fetch_optional(c).await)?;
    row.map(ActionRow::into_item).transpose()
}

pub async fn set_action_status(
    tx: &mut Tx,
    id: i64,
    status: ActionStatus,
    now: Timestamp,
) -> anyhow::Result<()> {
    on_tx!(tx, c => sqlx::query("UPDATE action_items SET status = $1, updated_at = $2 WHERE id = $3")
        .bind(status.as_str()).bind(now).bind(id).execute(c).await.map(|_| ()))?;
    Ok(())
}

/// Every measured recovery: service, failover or drill, minutes, when.
pub async fn history(tx: &mut Tx) -> anyhow::Result<Vec<(String, String, i64, Timestamp)>> {
    let rows = on_tx!(tx, c => sqlx::query_as(
        "SELECT service, event_kind, measured_minutes, recorded_at FROM recoveries ORDER BY recorded_at")
        .fetch_all(c).await)?;
    Ok(rows)
}
