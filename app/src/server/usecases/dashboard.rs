//! What the dashboard shows now: the installation's records, the
//! recovery analysis in figures and the state of its audit chain.

use super::audit::verify;
use crate::api::dashboard::Dashboard;
use crate::api::error::AppError;
use crate::domain::access::Role;
use crate::domain::analysis::findings::FindingKind;
use crate::domain::bia::review_overdue;
use crate::server::db;
use crate::server::AppState;

pub async fn load(state: &AppState, role: Role) -> Result<Dashboard, AppError> {
    let db = &state.db;
    let now = super::audit::now();
    let computed = state.analysis.current(db, now).await?;
    let findings = || computed.analysis.services.iter().flat_map(|s| &s.findings);
    let today = now.as_datetime().date();
    let users = db::users::list(db).await?;
    let users_by_role = Role::ALL
        .into_iter()
        .map(|r| {
            (
                r,
                users.iter().filter(|u| u.active && u.role == r).count() as i64,
            )
        })
        .collect();
    Ok(Dashboard {
        role,
        backend: db.backend().to_string(),
        users_by_role,
        active_users: users.iter().filter(|u| u.active).count() as i64,
        sites: db::sites::count(db).await?,
        rto_gaps: findings().filter(|f| f.kind == FindingKind::RtoGap).count(),
        overdue_reviews: computed
            .portfolio
            .bias
            .iter()
            .filter(|b| review_overdue(b, today))
            .count(),
        audit_events: db::audit::count(db).await?,
        chain: verify(db).await?,
        scorecard: super::readiness::scorecard(db, computed.clone(), now).await?,
    })
}
