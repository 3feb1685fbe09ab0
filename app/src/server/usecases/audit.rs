//! Audit trail use cases: denials, chain verification, search.

use crate::api::error::AppError;
use crate::domain::access::Permission;
use crate::domain::audit::{Actor, AuditEvent, ChainStatus, ChainVerifier, NewAuditEvent};
use crate::domain::timestamp::Timestamp;
use crate::domain::user::User;
use crate::server::db::{self, Db, Tx};
use serde_json::{json, Value};

/// Appends the event that `actor` did `action` to `entity` `id`, inside the
/// caller's transaction, so the change and its event commit together.
pub async fn event(
    tx: &mut Tx,
    actor: Actor,
    action: &str,
    entity: &str,
    id: impl ToString,
    details: Value,
    now: Timestamp,
) -> Result<(), AppError> {
    let event = NewAuditEvent::new(actor, action, entity, Some(id.to_string()), details);
    db::audit::append(tx, event, now).await?;
    Ok(())
}

/// Writes one event in its own transaction (for events that change
/// nothing else: sign-ins, denials).
pub async fn record(db: &Db, event: NewAuditEvent, now: Timestamp) -> anyhow::Result<AuditEvent> {
    let mut tx = db.begin().await?;
    let sealed = db::audit::append(&mut tx, event, now).await?;
    tx.commit().await?;
    Ok(sealed)
}

pub async fn record_denial(db: &Db, user: &User, permission: Permission) -> Result<(), AppError> {
    let event = NewAuditEvent::new(
        Actor::user(user.id, &user.email),
        "access_denied",
        "permission",
        Some(permission.as_str().to_string()),
        json!({ "role": user.role.as_str() }),
    );
    record(db, event, now()).await?;
    Ok(())
}

/// The wall clock, read once per request at the edge of the domain.
pub fn now() -> Timestamp {
    Timestamp::new(time::OffsetDateTime::now_utc())
}

/// Walks the chain oldest first in batches, so memory stays bounded.
pub async fn verify(db: &Db) -> anyhow::Result<ChainStatus> {
    const BATCH: i64 = 1000;
    let mut verifier = ChainVerifier::default();
    let mut after = 0;
    loop {
        let batch = db::audit::batch_after(db, after, BATCH).await?;
        for event in &batch {
            if let Err(broken) = verifier.check(event) {
                return Ok(ChainStatus {
                    checked: verifier.checked,
                    head_hash: verifier.head().to_string(),
                    broken: Some(broken),
                });
            }
        }
        match batch.last() {
            Some(last) if batch.len() as i64 == BATCH => after = last.seq,
            _ => break,
        }
    }
    Ok(ChainStatus {
        checked: verifier.checked,
        head_hash: verifier.head().to_string(),
        broken: None,
    })
}
