//! The drill report (SPEC §7): the drill's scope, timeline, results
//! against targets, findings and action items. Each download is an audit
//! event.

use crate::api::error::AppError;
use crate::domain::access::Permission;
use crate::domain::action_item::{ActionItem, ActionSource};
use crate::domain::audit::NewAuditEvent;
use crate::domain::drill::Drill;
use crate::domain::postmortem::{self, PostMortem};
use crate::domain::timestamp::Timestamp;
use crate::server::auth::authorize;
use crate::server::db;
use crate::server::pdf::Document;
use crate::server::rest::ApiError;
use crate::server::usecases::audit::now;
use crate::server::AppState;
use axum::extract::{Path, State};
use axum::response::{IntoResponse, Response};
use serde_json::json;
use tower_sessions::Session;

/// A service's targets when the report is made.
pub struct Targets {
    pub rto: Option<i64>,
    pub rpo: Option<i64>,
}

fn minutes(m: Option<i64>) -> String {
    m.map_or("–".into(), |m| format!("{m} min"))
}

/// The drill report as PDF bytes.
pub fn drill_pdf(
    drill: &Drill,
    targets: &dyn Fn(&str) -> Targets,
    review: Option<&PostMortem>,
    actions: &[ActionItem],
    warnings: &[String],
    at: Timestamp,
) -> anyhow::Result<Vec<u8>> {
    let mut doc = Document::new(&format!("Drill report: {}", drill.title), at)?;
    doc.heading(&format!("Drill report: {}", drill.title));
    doc.paragraph(&format!(
        "Kind: {}. Status: {}. Window: {} to {}. Participants: {}.",
        drill.kind,
        drill.status,
        drill.starts_at.display_minutes(),
        drill.ends_at.display_minutes(),
        if drill.participants.is_empty() {
            "none named".to_string()
        } else {
            drill.participants.join(", ")
        }
    ));
    doc.subheading("Scope and results against targets");
    let widths = [24.0, 18.0, 22.0, 22.0, 22.0, 66.0];
    let header = [
        "Service",
        "Runbook",
        "Target RTO",
        "Recovered",
        "Data lost",
        "Verdict",
    ];
    doc.row(&header, &widths, true);
    for s in &drill.services {
        let t = targets(s.service.as_str());
        let (recovered, lost, verdict) = match &s.result {
            Some(r) => (
                format!("{} min", r.measured_minutes),
                format!("{} min (RPO {})", r.data_loss_minutes, minutes(t.rpo)),
                format!(
                    "{}: {}",
                    if r.passed { "passed" } else { "failed" },
                    r.reason
                ),
            ),
            None => ("–".into(), "–".into(), "not measured".into()),
        };
        let runbook = s.runbook_version.map_or("none".into(), |v| format!("v{v}"));
        let cells = [
            s.service.as_str(),
            runbook.as_str(),
            &minutes(t.rto),
            &recovered,
            &lost,
            &verdict,
        ];
        doc.row(&cells, &widths, false);
    }
    doc.subheading("Timeline");
    let generated;
    let timeline = match review {
        Some(pm) => &pm.timeline,
        None => {
            generated = postmortem::for_drill(drill, drill.completed_at.unwrap_or(at)).timeline;
            &generated
        }
    };
    doc.paragraph(timeline);
    doc.subheading("Findings");
    let mut findings: Vec<String> = drill
        .services
        .iter()
        .filter_map(|s| {
            s.result
                .as_ref()
                .filter(|r| !r.passed)
                .map(|r| format!("{}: {}", s.service, r.reason))
        })
        .collect();
    findings.extend(warnings.iter().cloned());
    if !drill.notes.is_empty() {
        findings.push(format!("Notes, decisions and gaps: {}", drill.notes));
    }
    if findings.is_empty() {
        findings.push("Every service recovered within its targets.".into());
    }
    for f in &findings {
        doc.paragraph(&format!("• {f}"));
    }
    if let Some(pm) = review.filter(|p| !p.summary.is_empty()) {
        doc.subheading("Post-mortem summary");
        doc.paragraph(&pm.summary);
        if !pm.contributing_factors.is_empty() {
            doc.paragraph(&format!(
                "Contributing factors: {}",
                pm.contributing_factors
            ));
        }
    }
    doc.subheading("Action items");
    if actions.is_empty() {
        doc.paragraph("None recorded.");
    }
    for a in actions {
        let retest = if a.retest {
            ", retest in the next drill"
        } else {
            ""
        };
        doc.paragraph(&format!(
            "• {} — {}, due {} ({}{retest})",
            a.title,
            a.owner,
            a.due_text(),
            a.status
        ));
    }
    doc.finish()
}

pub(super) async fn download(
    State(state): State<AppState>,
    session: Session,
    Path(id): Path<i64>,
) -> Response {
    let user = match super::signed_in(&state, &session).await {
        Ok(user) => user,
        Err(response) => return response,
    };
    match render(&state, &user, id).await {
        Ok(bytes) => super::attachment("application/pdf", &format!("drill-{id}.pdf"), bytes),
        Err(e) => ApiError(e).into_response(),
    }
}

async fn render(
    state: &AppState,
    user: &crate::domain::user::User,
    id: i64,
) -> Result<Vec<u8>, AppError> {
    let granted = authorize(&state.db, user, Permission::Read).await?;
    let at = now();
    let mut tx = state.db.read().await?;
    let drill = AppError::found(db::drills::find(&mut tx, id).await?, || {
        format!("Drill {id}")
    })?;
    let review = db::drills::post_mortem_of(&mut tx, ActionSource::Drill, id).await?;
    let actions = db::recoveries::actions_of(&mut tx, ActionSource::Drill, id).await?;
    let warnings = drill.backup_warnings(&db::replication::all(&mut tx).await?);
    drop(tx);
    let computed = state.analysis.current(&state.db, at).await?;
    let targets = |key: &str| {
        let s = computed.analysis.service(key);
        Targets {
            rto: s.and_then(|s| s.target_rto_minutes),
            rpo: s.and_then(|s| s.target_rpo_minutes),
        }
    };
    let bytes = drill_pdf(&drill, &targets, review.as_ref(), &actions, &warnings, at)?;
    let event = NewAuditEvent::new(
        granted.actor.clone(),
        "report_downloaded",
        "drill",
        Some(id.to_string()),
        json!({ "report": "drill", "bytes": bytes.len() }),
    );
    crate::server::usecases::audit::record(&state.db, event, at).await?;
    Ok(bytes)
}
