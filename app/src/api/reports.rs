//! Reports (SPEC §7): exporting the board report and the evidence pack in
//! the background and following their progress; readiness snapshots on
//! demand (SPEC §5.7).

use super::error::AppError;
use crate::domain::report::{Period, ReportJob};
use leptos::prelude::*;
use serde::{Deserialize, Serialize};

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct ReportsView {
    /// My newest exports.
    pub jobs: Vec<ReportJob>,
    /// Whether I may export evidence packs (not only the board report).
    pub may_evidence: bool,
    /// The key that signs evidence packs, as hex, once made.
    pub public_key: Option<String>,
    /// What the evidence form proposes.
    pub last_quarter: Period,
}

#[server(prefix = "/fn", endpoint = "reports")]
pub async fn get_reports() -> Result<ReportsView, AppError> {
    use super::ctx::{respond, signed_in};
    use crate::domain::access::{may, Permission};
    use crate::server::auth::authorize;
    use crate::server::reports::evidence::public_key;
    use crate::server::usecases::{audit::now, reports};
    respond(
        async {
            let (state, user) = signed_in().await?;
            authorize(&state.db, &user, Permission::BoardReport).await?;
            Ok(ReportsView {
                jobs: reports::jobs(&state.db, &user).await?,
                may_evidence: may(user.role, Permission::ReadAudit),
                public_key: public_key(&state.db).await?,
                last_quarter: Period::last_quarter(now().as_datetime().date()),
            })
        }
        .await,
    )
}

/// Starts an export: `kind` `board`, or `evidence` for the days `from` to
/// `to`. Answers the export's number; a plain form post returns to
/// `/reports`, where its progress shows.
#[server(prefix = "/fn", endpoint = "start_report")]
pub async fn start_report(
    kind: String,
    #[server(default)] from: String,
    #[server(default)] to: String,
) -> Result<i64, AppError> {
    use super::ctx::{respond, signed_in};
    use crate::domain::report::ReportKind;
    use crate::server::auth::authorize;
    use crate::server::usecases::{audit::now, reports};
    respond(
        async {
            let (state, user) = signed_in().await?;
            let kind = ReportKind::parse_field("kind", &kind)?;
            let granted = authorize(&state.db, &user, reports::permission(kind)).await?;
            let now = now();
            let period = match kind {
                ReportKind::Board => None,
                ReportKind::Evidence => Some(
                    Period::parse(&from, &to, now.as_datetime().date())
                        .map_err(|errors| AppError::Invalid { errors })?,
                ),
            };
            let id = reports::start(
                &state.db,
                &state.analysis,
                &granted,
                user.id,
                kind,
                period,
                now,
            )
            .await?;
            leptos_axum::redirect("/reports");
            Ok(id)
        }
        .await,
    )
}

/// One of my exports, for following its progress.
#[server(prefix = "/fn", endpoint = "report_job")]
pub async fn get_report_job(id: i64) -> Result<ReportJob, AppError> {
    use super::ctx::{respond, signed_in};
    use crate::domain::access::Permission;
    use crate::server::auth::authorize;
    use crate::server::usecases::reports;
    respond(
        async {
            let (state, user) = signed_in().await?;
            authorize(&state.db, &user, Permission::BoardReport).await?;
            reports::job(&state.db, &user, id).await
        }
        .await,
    )
}

/// Takes a readiness snapshot now, besides the daily one; answers the
/// portfolio score.
#[server(prefix = "/fn", endpoint = "take_snapshot")]
pub async fn take_snapshot() -> Result<Option<f64>, AppError> {
    use super::ctx::{require, respond};
    use crate::domain::access::Permission;
    use crate::domain::scorecard::SnapshotKind;
    use crate::server::usecases::{audit::now, readiness};
    respond(
        async {
            let (state, granted) = require(Permission::EditReferenceData).await?;
            let snapshot = readiness::take(
                &state.db,
                &state.analysis,
                granted.actor,
                SnapshotKind::OnDemand,
                now(),
            )
            .await?;
            leptos_axum::redirect("/");
            Ok(snapshot.portfolio_score)
        }
        .await,
    )
}
