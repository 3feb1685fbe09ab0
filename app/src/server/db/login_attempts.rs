//! Queries on `login_attempts`, for throttling.

use super::{Db, Tx};
use crate::domain::throttle::RecentFailures;
use crate::domain::timestamp::Timestamp;
use crate::{on_db, on_tx};

pub async fn record(
    tx: &mut Tx,
    email: &str,
    client_addr: &str,
    succeeded: bool,
    at: Timestamp,
) -> anyhow::Result<()> {
    on_tx!(tx, c => sqlx::query(
        "INSERT INTO login_attempts (email, client_addr, succeeded, attempted_at) VALUES ($1, $2, $3, $4)",
    )
    .bind(email)
    .bind(client_addr)
    .bind(succeeded)
    .bind(at)
    .execute(c)
    .await
    .map(|_| ()))?;
    Ok(())
}

pub async fn recent_failures(
    db: &Db,
    email: &str,
    client_addr: &str,
    since: Timestamp,
) -> anyhow::Result<RecentFailures> {
    let count = |column: &'static str, value: String| {
        let sql = format!(
            "SELECT COUNT(*) FROM login_attempts WHERE {column} = $1 AND NOT succeeded AND attempted_at >= $2"
        );
        async move {
            let n: i64 = on_db!(db, p => sqlx::query_scalar(&sql).bind(value).bind(since).fetch_one(p).await)?;
            anyhow::Ok(n)
        }
    };
    Ok(RecentFailures {
        for_account: count("email", email.to_string()).await?,
        from_address: count("client_addr", client_addr.to_string()).await?,
    })
}
