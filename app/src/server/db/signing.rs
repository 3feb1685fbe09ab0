//! The server's Ed25519 key, which signs evidence packs: one row, made on
//! first use.

use super::Tx;
use crate::domain::timestamp::Timestamp;
use crate::on_tx;

/// The key's seed and public half, as hex.
pub struct StoredKey {
    pub secret: String,
    pub public: String,
    pub created_at: Timestamp,
}

pub async fn get(tx: &mut Tx) -> anyhow::Result<Option<StoredKey>> {
    let row: Option<(String, String, Timestamp)> = on_tx!(tx, c => sqlx::query_as(
        "SELECT secret_key, public_key, created_at FROM signing_keys WHERE id = 1")
        .fetch_optional(c).await)?;
    Ok(row.map(|(secret, public, created_at)| StoredKey {
        secret,
        public,
        created_at,
    }))
}

/// Stores `key` unless one exists; true when it was stored.
pub async fn insert(tx: &mut Tx, key: &StoredKey) -> anyhow::Result<bool> {
    let done = on_tx!(tx, c => sqlx::query(
        "INSERT INTO signing_keys (id, public_key, secret_key, created_at) VALUES (1, $1, $2, $3) \
         ON CONFLICT (id) DO NOTHING")
        .bind(&key.public).bind(&key.secret).bind(key.created_at)
        .execute(c).await.map(|r| r.rows_affected()))?;
    Ok(done == 1)
}
