//! The board readiness report (SPEC §7): the scorecard as a PDF for a
//! board pack, with its charts drawn in vectors.

use super::Progress;
use crate::api::error::AppError;
use crate::domain::scorecard::Scorecard;
use crate::domain::timestamp::Timestamp;
use crate::domain::trends::chart;
use crate::server::db::Db;
use crate::server::pdf::Document;
use crate::server::usecases::analysis::AnalysisCache;
use crate::server::usecases::readiness;

/// What a subheading and a chart under it take, in millimetres.
const CHART_HEIGHT: f32 = 85.0;

fn minutes(m: Option<u64>) -> String {
    m.map_or("–".into(), |m| format!("{m} min"))
}

/// The scorecard as PDF bytes.
pub fn board_pdf(card: &Scorecard) -> anyhow::Result<Vec<u8>> {
    let title = "Board readiness report";
    let mut doc = Document::new(title, card.generated_at)?;
    doc.heading(title);
    let score = card
        .portfolio_score
        .map_or("– (no services)".into(), |s| format!("{s:.1} / 100"));
    doc.paragraph(&format!(
        "Portfolio readiness: {score}. {} services, {} open findings. The score is the average of the \
         services' readiness weighted by tier (tier 0 counts 5, tier 1 4, tier 2 3, tier 3 2, tier 4 1); \
         each service earns the points of the checks it passes (SPEC §5.7).",
        card.services, card.findings
    ));

    doc.room(CHART_HEIGHT);
    doc.subheading("Trend");
    let trend = chart(std::slice::from_ref(&card.trend), 640.0, 220.0);
    doc.line_chart("Portfolio score by day (daily snapshots)", &trend);

    doc.subheading("Scores by tier");
    let bars: Vec<(String, f64)> = card
        .tiers
        .iter()
        .map(|t| {
            let services = if t.services == 1 {
                "service"
            } else {
                "services"
            };
            (
                format!("Tier {} ({} {services})", t.tier, t.services),
                t.mean,
            )
        })
        .collect();
    doc.bars("Mean readiness, out of 100", &bars, 100.0);

    doc.subheading("Top gaps");
    let widths = [30.0, 10.0, 30.0, 24.0, 80.0];
    doc.row(
        &["Service", "Tier", "Owner", "Finding", "What"],
        &widths,
        true,
    );
    if card.top_gaps.is_empty() {
        doc.paragraph("No findings.");
    }
    for g in &card.top_gaps {
        let tier = g.tier.to_string();
        doc.row(
            &[
                &g.service,
                &tier,
                &g.owner_team,
                g.finding.kind.as_str(),
                &g.finding.message,
            ],
            &widths,
            false,
        );
    }

    doc.subheading("Drill coverage");
    let c = &card.coverage;
    doc.paragraph(&format!(
        "{} of {} tier 0–2 services passed a drill within their window (180 days for tier 0, 365 otherwise).",
        c.covered, c.critical
    ));
    if c.overdue_count > 0 {
        doc.paragraph(&format!(
            "Overdue ({}): {}{}",
            c.overdue_count,
            c.overdue.join(", "),
            if c.overdue_count > c.overdue.len() {
                ", …"
            } else {
                ""
            }
        ));
    }

    doc.subheading("Action items");
    let a = &card.actions;
    doc.paragraph(&format!("{} open, {} overdue.", a.open, a.overdue.len()));
    for item in a.overdue.iter().take(20) {
        doc.paragraph(&format!(
            "• {} — {}, due {}",
            item.title,
            item.owner,
            item.due_text()
        ));
    }

    doc.room(CHART_HEIGHT);
    doc.subheading("Mean time to recover");
    let mttr = chart(&card.mttr, 640.0, 220.0);
    doc.line_chart("Minutes, by month", &mttr);

    doc.subheading("Site-loss simulation");
    let widths = [30.0, 20.0, 14.0, 20.0, 20.0, 26.0, 22.0, 22.0];
    doc.row(
        &[
            "Site",
            "Failing over",
            "Down",
            "RTO breaches",
            "MTPD breaches",
            "Longest recovery",
            "Processes",
            "Capacity at risk",
        ],
        &widths,
        true,
    );
    if card.sites.is_empty() {
        doc.paragraph("No sites recorded.");
    }
    for s in &card.sites {
        let cells = [
            s.site.clone(),
            s.failing_over.to_string(),
            s.down.to_string(),
            s.rto_breaches.to_string(),
            s.mtpd_breaches.to_string(),
            minutes(s.longest_minutes),
            s.processes_affected.to_string(),
            s.capacity_at_risk.to_string(),
        ];
        let cells: Vec<&str> = cells.iter().map(String::as_str).collect();
        doc.row(&cells, &widths, false);
    }
    doc.finish()
}

/// Computes the scorecard and draws it; the drawing runs off the async
/// threads so other requests go on.
pub async fn generate(
    db: &Db,
    cache: &AnalysisCache,
    now: Timestamp,
    progress: &Progress,
) -> Result<Vec<u8>, AppError> {
    progress.step(10, "computing the scorecard").await;
    let computed = cache.current(db, now).await?;
    let card = readiness::scorecard(db, computed, now).await?;
    progress.step(60, "drawing the PDF").await;
    super::off_thread(move || board_pdf(&card)).await
}
