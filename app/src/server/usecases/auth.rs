//! Signing in and out.

use super::audit::record;
use crate::api::error::AppError;
use crate::domain::audit::{Actor, NewAuditEvent};
use crate::domain::throttle::{THROTTLED_MESSAGE, WINDOW};
use crate::domain::timestamp::Timestamp;
use crate::domain::user::{Email, User};
use crate::server::auth::verify_password;
use crate::server::db::{self, Db};
use serde_json::json;

pub const BAD_CREDENTIALS: &str = "Wrong email or password.";

/// Checks the credentials; throttled per account and per client address.
/// Every outcome is audited, and the message never tells whether the
/// account exists.
pub async fn sign_in(
    db: &Db,
    email: &str,
    password: String,
    client_addr: &str,
    now: Timestamp,
) -> Result<User, AppError> {
    let typed = email.trim().to_lowercase();
    let email = Email::parse(&typed)?;
    let failures =
        db::login_attempts::recent_failures(db, email.as_str(), client_addr, now - WINDOW).await?;
    if !failures.allows_attempt() {
        let event = NewAuditEvent::new(
            Actor::anonymous(),
            "login_throttled",
            "user",
            Some(typed),
            json!({ "client_addr": client_addr }),
        );
        record(db, event, now).await?;
        return Err(AppError::TooManyAttempts {
            message: THROTTLED_MESSAGE.into(),
        });
    }

    let found = db::users::find_by_email(db, &email).await?;
    let hash = found.as_ref().map(|(_, h)| h.0.clone());
    let verified = verify_password(password, hash).await?;
    let user = found.map(|(u, _)| u).filter(|u| verified && u.active);

    let mut tx = db.begin().await?;
    db::login_attempts::record(&mut tx, email.as_str(), client_addr, user.is_some(), now).await?;
    let event = match &user {
        Some(u) => NewAuditEvent::new(
            Actor::user(u.id, &u.email),
            "login",
            "user",
            Some(u.id.to_string()),
            json!({ "client_addr": client_addr }),
        ),
        None => NewAuditEvent::new(
            Actor::anonymous(),
            "login_failed",
            "user",
            Some(email.to_string()),
            json!({ "client_addr": client_addr }),
        ),
    };
    db::audit::append(&mut tx, event, now).await?;
    tx.commit().await?;
    user.ok_or_else(|| AppError::validation("password", BAD_CREDENTIALS))
}

pub async fn sign_out(db: &Db, user: &User, now: Timestamp) -> Result<(), AppError> {
    let event = NewAuditEvent::new(
        Actor::user(user.id, &user.email),
        "logout",
        "user",
        Some(user.id.to_string()),
        json!({}),
    );
    record(db, event, now).await?;
    Ok(())
}
