//! Queries on `api_tokens`.

use super::{Db, Tx};
use crate::domain::timestamp::Timestamp;
use crate::domain::token::ApiToken;
use crate::{on_db, on_tx};

pub async fn insert(
    tx: &mut Tx,
    user_id: i64,
    name: &str,
    hash: &str,
    now: Timestamp,
) -> anyhow::Result<i64> {
    let id: i64 = on_tx!(tx, c => sqlx::query_scalar(
        "INSERT INTO api_tokens (user_id, name, token_hash, created_at) VALUES ($1, $2, $3, $4) RETURNING id",
    )
    .bind(user_id)
    .bind(name)
    .bind(hash)
    .bind(now)
    .fetch_one(c)
    .await)?;
    Ok(id)
}

/// The user a live token acts for.
pub async fn user_for(db: &Db, hash: &str) -> anyhow::Result<Option<i64>> {
    let id: Option<i64> = on_db!(db, p => sqlx::query_scalar(
        "SELECT user_id FROM api_tokens WHERE token_hash = $1 AND revoked_at IS NULL",
    )
    .bind(hash)
    .fetch_optional(p)
    .await)?;
    Ok(id)
}

/// Every token, newest first.
pub async fn list(db: &Db) -> anyhow::Result<Vec<ApiToken>> {
    let rows: Vec<(i64, String, String, Timestamp, Option<Timestamp>)> = on_db!(db, p => sqlx::query_as(
        "SELECT t.id, u.email, t.name, t.created_at, t.revoked_at FROM api_tokens t \
         JOIN users u ON u.id = t.user_id ORDER BY t.id DESC",
    )
    .fetch_all(p)
    .await)?;
    Ok(rows
        .into_iter()
        .map(|(id, user_email, name, created_at, revoked_at)| ApiToken {
            id,
            user_email,
            name,
            created_at,
            revoked: revoked_at.is_some(),
        })
        .collect())
}

/// Revokes a live token; false if there is none with `id`.
pub async fn revoke(tx: &mut Tx, id: i64, now: Timestamp) -> anyhow::Result<bool> {
    let done = on_tx!(tx, c => sqlx::query("UPDATE api_tokens SET revoked_at = $1 WHERE id = $2 AND revoked_at IS NULL")
        .bind(now)
        .bind(id)
        .execute(c)
        .await
        .map(|r| r.rows_affected()))?;
    Ok(done > 0)
}
