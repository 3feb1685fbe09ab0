//! Managing users (admins only; the CLI acts as the operator).

use crate::api::error::AppError;
use crate::domain::access::{Permission, Role};
use crate::domain::audit::NewAuditEvent;
use crate::domain::timestamp::Timestamp;
use crate::domain::user::{NewUser, User};
use crate::server::auth::{hash_password, Granted};
use crate::server::db::{self, Db, Tx};
use serde_json::json;

fn require_manage(granted: &Granted) -> Result<(), AppError> {
    if granted.permission == Permission::ManageUsers {
        Ok(())
    } else {
        Err(AppError::Forbidden {
            message: "Managing users needs the manage-users permission.".into(),
        })
    }
}

pub async fn create(
    db: &Db,
    granted: &Granted,
    new: NewUser,
    now: Timestamp,
) -> Result<User, AppError> {
    require_manage(granted)?;
    let hash = hash_password(new.password.expose().to_string()).await?;
    let mut tx = db.begin().await?;
    if db::users::email_taken(&mut tx, &new.email).await? {
        return Err(AppError::validation(
            "email",
            "a user with this email already exists",
        ));
    }
    let insert = db::users::InsertUser {
        email: &new.email,
        display_name: &new.display_name,
        role: new.role,
        password_hash: &hash,
    };
    let id = db::users::insert(&mut tx, insert, now).await?;
    let event = NewAuditEvent::new(
        granted.actor.clone(),
        "user_created",
        "user",
        Some(id.to_string()),
        json!({ "email": new.email.as_str(), "role": new.role.as_str(), "display_name": new.display_name }),
    );
    db::audit::append(&mut tx, event, now).await?;
    let user = db::users::find_in(&mut tx, id)
        .await?
        .ok_or_else(|| anyhow::anyhow!("user {id} vanished after insert"))?;
    tx.commit().await?;
    Ok(user)
}

async fn load(tx: &mut Tx, id: i64) -> Result<User, AppError> {
    AppError::found(db::users::find_in(tx, id).await?, || format!("User {id}"))
}

/// Refuses a change that would leave no active administrator.
async fn keep_an_admin(tx: &mut Tx, user: &User) -> Result<(), AppError> {
    if user.role == Role::Admin && user.active && db::users::count_active_admins(tx).await? <= 1 {
        return Err(AppError::Conflict {
            message: format!(
                "{} is the last active administrator; make someone else an administrator first.",
                user.email
            ),
        });
    }
    Ok(())
}

pub async fn change_role(
    db: &Db,
    granted: &Granted,
    id: i64,
    role: Role,
    now: Timestamp,
) -> Result<User, AppError> {
    require_manage(granted)?;
    let mut tx = db.begin().await?;
    let user = load(&mut tx, id).await?;
    if user.role == role {
        return Ok(user);
    }
    if role != Role::Admin {
        keep_an_admin(&mut tx, &user).await?;
    }
    db::users::set_role(&mut tx, id, role, now).await?;
    let event = NewAuditEvent::new(
        granted.actor.clone(),
        "user_role_changed",
        "user",
        Some(id.to_string()),
        json!({ "email": user.email, "role": { "before": user.role.as_str(), "after": role.as_str() } }),
    );
    db::audit::append(&mut tx, event, now).await?;
    tx.commit().await?;
    Ok(User { role, ..user })
}

/// Deactivating ends the user's sessions: every request re-reads `active`.
pub async fn set_active(
    db: &Db,
    granted: &Granted,
    id: i64,
    active: bool,
    now: Timestamp,
) -> Result<User, AppError> {
    require_manage(granted)?;
    let mut tx = db.begin().await?;
    let user = load(&mut tx, id).await?;
    if user.active == active {
        return Ok(user);
    }
    if !active {
        if granted.user_id() == Some(id) {
            return Err(AppError::Conflict {
                message: "You cannot deactivate your own account.".into(),
            });
        }
        keep_an_admin(&mut tx, &user).await?;
    }
    db::users::set_active(&mut tx, id, active, now).await?;
    let action = if active {
        "user_reactivated"
    } else {
        "user_deactivated"
    };
    let event = NewAuditEvent::new(
        granted.actor.clone(),
        action,
        "user",
        Some(id.to_string()),
        json!({ "email": user.email }),
    );
    db::audit::append(&mut tx, event, now).await?;
    tx.commit().await?;
    Ok(User { active, ..user })
}
