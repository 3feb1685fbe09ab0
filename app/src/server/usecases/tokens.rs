//! API tokens: created for a user (the secret is returned once), revoked
//! by an administrator; both audited.

use super::changes::require;
use crate::api::error::AppError;
use crate::domain::access::Permission;
use crate::domain::audit::NewAuditEvent;
use crate::domain::field::parse_text;
use crate::domain::timestamp::Timestamp;
use crate::domain::token;
use crate::domain::user::{Email, User};
use crate::server::auth::Granted;
use crate::server::db::{self, Db};
use serde_json::json;

/// Creates a token for the user with `email`; returns its id and secret.
pub async fn create(
    db: &Db,
    granted: &Granted,
    email: &str,
    name: &str,
    now: Timestamp,
) -> Result<(i64, String), AppError> {
    require(granted, Permission::ManageUsers)?;
    let email = Email::parse(email).map_err(|e| AppError::validation("user", e.message))?;
    let name = parse_text("name", name, 100)?;
    let (user, _) = db::users::find_by_email(db, &email)
        .await?
        .ok_or_else(|| AppError::validation("user", format!("there is no user {email}")))?;
    if !user.active {
        return Err(AppError::validation(
            "user",
            format!("{email} is deactivated"),
        ));
    }
    let random: [u8; 32] = rand::random();
    let secret = token::secret_from(random);
    let mut tx = db.begin().await?;
    let id = db::api_tokens::insert(&mut tx, user.id, &name, &token::hash(&secret), now).await?;
    let event = NewAuditEvent::new(
        granted.actor.clone(),
        "token_created",
        "api_token",
        Some(id.to_string()),
        json!({ "user": email.as_str(), "name": name }),
    );
    db::audit::append(&mut tx, event, now).await?;
    tx.commit().await?;
    Ok((id, secret))
}

pub async fn revoke(db: &Db, granted: &Granted, id: i64, now: Timestamp) -> Result<(), AppError> {
    require(granted, Permission::ManageUsers)?;
    let mut tx = db.begin().await?;
    if !db::api_tokens::revoke(&mut tx, id, now).await? {
        return Err(AppError::NotFound {
            what: format!("A live API token {id}"),
        });
    }
    let event = NewAuditEvent::new(
        granted.actor.clone(),
        "token_revoked",
        "api_token",
        Some(id.to_string()),
        json!({}),
    );
    db::audit::append(&mut tx, event, now).await?;
    tx.commit().await?;
    Ok(())
}

/// The active user a bearer secret acts for, if any.
pub async fn user_for(db: &Db, secret: &str) -> Result<Option<User>, AppError> {
    let Some(id) = db::api_tokens::user_for(db, &token::hash(secret)).await? else {
        return Ok(None);
    };
    Ok(db::users::find(db, id).await?.filter(|u| u.active))
}
