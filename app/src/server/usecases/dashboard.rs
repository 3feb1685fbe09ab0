//! What the dashboard shows now: the installation's records and the state
//! of its audit chain.

use super::audit::verify;
use crate::api::dashboard::Dashboard;
use crate::domain::access::Role;
use crate::server::db::{self, Db};

pub async fn load(db: &Db, role: Role) -> anyhow::Result<Dashboard> {
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
        audit_events: db::audit::count(db).await?,
        chain: verify(db).await?,
    })
}
