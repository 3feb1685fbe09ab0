//! Queries on failover requests: the request, the services in its scope,
//! its decisions and its step log.

use super::Tx;
use crate::domain::failover::{
    Decision, Direction, FailoverStatus, Outcome, Request, Scope, Section, Severity, StepRun,
};
use crate::domain::inventory::RecordKey;
use crate::domain::runbook::RunbookScope;
use crate::domain::timestamp::Timestamp;
use crate::on_tx;
use std::collections::HashMap;

#[derive(sqlx::FromRow)]
struct RequestRow {
    id: i64,
    site: Option<String>,
    direction: String,
    reason: String,
    severity: String,
    requested_by_id: Option<i64>,
    requested_by: String,
    requested_at: Timestamp,
    expires_at: Timestamp,
    required_approvals: i64,
    status: String,
    break_glass: Option<String>,
    started_at: Option<Timestamp>,
    rollback_started_at: Option<Timestamp>,
    finished_at: Option<Timestamp>,
}

#[derive(sqlx::FromRow)]
struct DecisionRow {
    request_id: i64,
    user_id: i64,
    user_name: String,
    approve: bool,
    comment: String,
    decided_at: Timestamp,
}

#[derive(sqlx::FromRow)]
struct StepRow {
    section: String,
    position: i64,
    step: String,
    started_at: Option<Timestamp>,
    started_by: Option<String>,
    finished_at: Option<Timestamp>,
    finished_by: Option<String>,
    outcome: Option<String>,
    note: String,
}

fn bad(id: i64, what: &str) -> anyhow::Error {
    anyhow::anyhow!("failover request {id} in the database: bad {what}")
}

impl RequestRow {
    fn into_request(
        self,
        services: Vec<RecordKey>,
        decisions: Vec<Decision>,
    ) -> anyhow::Result<Request> {
        let id = self.id;
        Ok(Request {
            id,
            scope: match &self.site {
                Some(site) => Scope::Site(RecordKey::parse(site).map_err(|_| bad(id, "site"))?),
                None => Scope::Services,
            },
            services,
            direction: Direction::parse_field("direction", &self.direction)
                .map_err(|_| bad(id, "direction"))?,
            reason: self.reason,
            severity: Severity::parse_field("severity", &self.severity)
                .map_err(|_| bad(id, "severity"))?,
            requested_by_id: self.requested_by_id,
            requested_by: self.requested_by,
            requested_at: self.requested_at,
            expires_at: self.expires_at,
            required_approvals: u32::try_from(self.required_approvals)
                .map_err(|_| bad(id, "approvals"))?,
            decisions,
            status: FailoverStatus::parse_field("status", &self.status)
                .map_err(|_| bad(id, "status"))?,
            break_glass: self.break_glass,
            started_at: self.started_at,
            rollback_started_at: self.rollback_started_at,
            finished_at: self.finished_at,
            steps: Vec::new(),
        })
    }
}

impl StepRow {
    fn into_run(self, id: i64) -> anyhow::Result<StepRun> {
        Ok(StepRun {
            section: Section::parse_field("section", &self.section)
                .map_err(|_| bad(id, "section"))?,
            position: u32::try_from(self.position).map_err(|_| bad(id, "position"))?,
            step: serde_json::from_str(&self.step).map_err(|_| bad(id, "step"))?,
            started_at: self.started_at,
            started_by: self.started_by,
            finished_at: self.finished_at,
            finished_by: self.finished_by,
            outcome: match &self.outcome {
                Some(o) => {
                    Some(Outcome::parse_field("outcome", o).map_err(|_| bad(id, "outcome"))?)
                }
                None => None,
            },
            note: self.note,
        })
    }
}

const SELECT: &str = "SELECT id, site, direction, reason, severity, requested_by_id, requested_by, requested_at, \
     expires_at, required_approvals, status, break_glass, started_at, rollback_started_at, finished_at \
     FROM failover_requests";

/// Requests matching `filter` (a `WHERE` clause without parameters),
/// newest first, with their services and decisions but not their steps.
async fn load(tx: &mut Tx, filter: &str, limit: i64) -> anyhow::Result<Vec<Request>> {
    let sql = format!("{SELECT} WHERE {filter} ORDER BY id DESC LIMIT $1");
    let rows: Vec<RequestRow> =
        on_tx!(tx, c => sqlx::query_as(&sql).bind(limit).fetch_all(c).await)?;
    if rows.is_empty() {
        return Ok(Vec::new());
    }
    // Ids are numbers from the database, safe to inline.
    let ids = rows
        .iter()
        .map(|r| r.id.to_string())
        .collect::<Vec<_>>()
        .join(", ");
    let sql = format!(
        "SELECT request_id, service FROM failover_services WHERE request_id IN ({ids}) ORDER BY request_id, position"
    );
    let services: Vec<(i64, String)> = on_tx!(tx, c => sqlx::query_as(&sql).fetch_all(c).await)?;
    let sql = format!(
        "SELECT request_id, user_id, user_name, approve, comment, decided_at FROM failover_decisions \
         WHERE request_id IN ({ids}) ORDER BY id"
    );
    let decisions: Vec<DecisionRow> = on_tx!(tx, c => sqlx::query_as(&sql).fetch_all(c).await)?;
    let mut keys: HashMap<i64, Vec<RecordKey>> = HashMap::new();
    for (id, service) in services {
        keys.entry(id)
            .or_default()
            .push(RecordKey::parse(&service).map_err(|_| bad(id, "service"))?);
    }
    let mut decided: HashMap<i64, Vec<Decision>> = HashMap::new();
    for d in decisions {
        decided.entry(d.request_id).or_default().push(Decision {
            user_id: d.user_id,
            user: d.user_name,
            approve: d.approve,
            comment: d.comment,
            at: d.decided_at,
        });
    }
    rows.into_iter()
        .map(|r| {
            let id = r.id;
            r.into_request(
                keys.remove(&id).unwrap_or_default(),
                decided.remove(&id).unwrap_or_default(),
            )
        })
        .collect()
}

/// The newest requests, at most `limit`.
pub async fn recent(tx: &mut Tx, limit: i64) -> anyhow::Result<Vec<Request>> {
    load(tx, "1 = 1", limit).await
}

/// Requests still waiting for decisions.
pub async fn waiting(tx: &mut Tx) -> anyhow::Result<Vec<Request>> {
    load(tx, "status = 'requested'", i64::MAX).await
}

/// One request with its step log.
pub async fn find(tx: &mut Tx, id: i64) -> anyhow::Result<Option<Request>> {
    let filter = format!("id = {id}");
    let Some(mut request) = load(tx, &filter, 1).await?.pop() else {
        return Ok(None);
    };
    let steps: Vec<StepRow> = on_tx!(tx, c => sqlx::query_as(
        "SELECT section, position, step, started_at, started_by, finished_at, finished_by, outcome, note \
         FROM failover_steps WHERE request_id = $1 ORDER BY section, position")
        .bind(id).fetch_all(c).await)?;
    let mut runs: Vec<StepRun> = steps
        .into_iter()
        .map(|s| s.into_run(id))
        .collect::<anyhow::Result<_>>()?;
    runs.sort_by_key(|r| (r.section, r.position));
    request.steps = runs;
    Ok(Some(request))
}

/// Stores a new request; gives its id.
pub async fn insert(tx: &mut Tx, r: &Request, now: Timestamp) -> anyhow::Result<i64> {
    let site = match &r.scope {
        Scope::Site(site) => Some(site.as_str()),
        Scope::Services => None,
    };
    let id: i64 = on_tx!(tx, c => sqlx::query_scalar(
        "INSERT INTO failover_requests (site, direction, reason, severity, requested_by_id, requested_by, \
         requested_at, expires_at, required_approvals, status, created_at, updated_at) \
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $11) RETURNING id")
        .bind(site).bind(r.direction.as_str()).bind(&r.reason).bind(r.severity.as_str())
        .bind(r.requested_by_id).bind(&r.requested_by).bind(r.requested_at).bind(r.expires_at)
        .bind(i64::from(r.required_approvals)).bind(r.status.as_str()).bind(now)
        .fetch_one(c).await)?;
    for (i, service) in r.services.iter().enumerate() {
        on_tx!(tx, c => sqlx::query("INSERT INTO failover_services (request_id, position, service) VALUES ($1, $2, $3)")
            .bind(id).bind(i as i64).bind(service.as_str()).execute(c).await.map(|_| ()))?;
    }
    Ok(id)
}

/// Writes what changed from `before` to `after`: the request's state,
/// new decisions, and the step log.
pub async fn update(
    tx: &mut Tx,
    before: &Request,
    after: &Request,
    now: Timestamp,
) -> anyhow::Result<()> {
    let id = after.id;
    on_tx!(tx, c => sqlx::query(
        "UPDATE failover_requests SET status = $1, break_glass = $2, started_at = $3, rollback_started_at = $4, \
         finished_at = $5, updated_at = $6 WHERE id = $7")
        .bind(after.status.as_str()).bind(&after.break_glass).bind(after.started_at)
        .bind(after.rollback_started_at).bind(after.finished_at).bind(now).bind(id)
        .execute(c).await.map(|_| ()))?;
    for d in &after.decisions[before.decisions.len()..] {
        on_tx!(tx, c => sqlx::query(
            "INSERT INTO failover_decisions (request_id, user_id, user_name, approve, comment, decided_at) \
             VALUES ($1, $2, $3, $4, $5, $6)")
            .bind(id).bind(d.user_id).bind(&d.user).bind(d.approve).bind(&d.comment).bind(d.at)
            .execute(c).await.map(|_| ()))?;
    }
    for run in &after.steps {
        let old = before
            .steps
            .iter()
            .find(|s| s.section == run.section && s.position == run.position);
        if old == Some(run) {
            continue;
        }
        let step = serde_json::to_string(&run.step)?;
        let outcome = run.outcome.map(|o| o.as_str());
        let (section, position) = (run.section.as_str(), i64::from(run.position));
        if old.is_some() {
            on_tx!(tx, c => sqlx::query(
                "UPDATE failover_steps SET started_at = $1, started_by = $2, finished_at = $3, finished_by = $4, \
                 outcome = $5, note = $6 WHERE request_id = $7 AND section = $8 AND position = $9")
                .bind(run.started_at).bind(&run.started_by).bind(run.finished_at).bind(&run.finished_by)
                .bind(outcome).bind(&run.note).bind(id).bind(section).bind(position)
                .execute(c).await.map(|_| ()))?;
        } else {
            on_tx!(tx, c => sqlx::query(
                "INSERT INTO failover_steps (request_id, section, position, step, started_at, started_by, \
                 finished_at, finished_by, outcome, note) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10)")
                .bind(id).bind(section).bind(position).bind(&step).bind(run.started_at).bind(&run.started_by)
                .bind(run.finished_at).bind(&run.finished_by).bind(outcome).bind(&run.note)
                .execute(c).await.map(|_| ()))?;
        }
    }
    Ok(())
}

/// The requests that name a service (`scope` = service) or a site, for
/// the refusal to delete it.
pub async fn naming(
    tx: &mut Tx,
    scope: RunbookScope,
    key: &RecordKey,
) -> anyhow::Result<Vec<String>> {
    let sql = match scope {
        RunbookScope::Service => {
            "SELECT request_id FROM failover_services WHERE service = $1 ORDER BY request_id"
        }
        RunbookScope::Site => "SELECT id FROM failover_requests WHERE site = $1 ORDER BY id",
    };
    let ids: Vec<i64> =
        on_tx!(tx, c => sqlx::query_scalar(sql).bind(key.as_str()).fetch_all(c).await)?;
    Ok(ids
        .into_iter()
        .map(|id| format!("failover request {id}"))
        .collect())
}
