//! Passwords, the signed-in user, and permission checks.
//!
//! A write use case takes a [`Granted`], which only [`authorize`] (for a
//! signed-in user) or [`Granted::operator`] (for the command line) make: a
//! write whose permission was not checked does not compile.

use super::db::{self, Db};
use super::usecases::audit::record_denial;
use crate::api::error::AppError;
use crate::domain::access::{grant, Grant, Permission, Role};
use crate::domain::audit::Actor;
use crate::domain::user::User;
use anyhow::Context as _;
use argon2::password_hash::{rand_core::OsRng, PasswordHasher, PasswordVerifier, SaltString};
use argon2::{Algorithm, Argon2, Params, Version};
use tower_sessions::Session;

/// Session key of the signed-in user's id.
pub const SESSION_USER_ID: &str = "user_id";

/// Argon2id, m = 19 MiB, t = 2, p = 1 (OWASP's minimum).
fn argon2() -> Argon2<'static> {
    let params = Params::new(19 * 1024, 2, 1, None).expect("valid Argon2 parameters");
    Argon2::new(Algorithm::Argon2id, Version::V0x13, params)
}

/// Hashes off the async threads: it takes tens of milliseconds by design.
pub async fn hash_password(password: String) -> anyhow::Result<String> {
    tokio::task::spawn_blocking(move || {
        let salt = SaltString::generate(&mut OsRng);
        argon2()
            .hash_password(password.as_bytes(), &salt)
            .map(|h| h.to_string())
            .map_err(|e| anyhow::anyhow!("hashing a password: {e}"))
    })
    .await
    .context("joining the hashing task")?
}

/// Verifies against `hash`, or against a dummy hash when there is no user,
/// so that the time taken does not tell whether an account exists.
pub async fn verify_password(password: String, hash: Option<String>) -> anyhow::Result<bool> {
    tokio::task::spawn_blocking(move || {
        let hash = hash.unwrap_or_else(|| DUMMY_HASH.to_string());
        let parsed = argon2::PasswordHash::new(&hash)
            .map_err(|e| anyhow::anyhow!("a stored password hash is malformed: {e}"))?;
        Ok(argon2()
            .verify_password(password.as_bytes(), &parsed)
            .is_ok())
    })
    .await
    .context("joining the verifying task")?
}

/// The Argon2id hash of a random string, with our parameters.
const DUMMY_HASH: &str = "$argon2id$v=19$m=19456,t=2,p=1$c29tZXNhbHRzb21lc2FsdA$2ZBC3p4dYZ3x1O1i7u8K1o6Jr0iVq7xB1z1Yf6r7Jb8";

/// The signed-in, active user of this session, if any. A session whose
/// user was deactivated or deleted is ended here.
pub async fn session_user(db: &Db, session: &Session) -> Result<Option<User>, AppError> {
    let id: Option<i64> = session
        .get(SESSION_USER_ID)
        .await
        .map_err(|e| anyhow::anyhow!("reading the session: {e}"))?;
    let Some(id) = id else { return Ok(None) };
    match db::users::find(db, id).await? {
        Some(user) if user.active => Ok(Some(user)),
        _ => {
            session
                .flush()
                .await
                .map_err(|e| anyhow::anyhow!("ending a session: {e}"))?;
            Ok(None)
        }
    }
}

/// Proof that a permission was checked, carried into the write use cases.
#[derive(Clone, Debug)]
pub struct Granted {
    pub actor: Actor,
    pub role: Role,
    pub permission: Permission,
    /// `OwnServices` when the user may act only on their own services.
    pub scope: Grant,
}

impl Granted {
    /// The installation's operator at the command line: acts as an admin;
    /// audit events name `cli:<os user>`.
    pub fn operator(permission: Permission) -> Self {
        let os_user = std::env::var("USER")
            .or_else(|_| std::env::var("LOGNAME"))
            .unwrap_or_else(|_| "unknown".into());
        Granted {
            actor: Actor::cli(&os_user),
            role: Role::Admin,
            permission,
            scope: Grant::Allowed,
        }
    }

    /// The same actor's grant for another permission, if the role has it;
    /// not audited, since it only decides what a page offers.
    pub fn also(&self, permission: Permission) -> Option<Granted> {
        match grant(self.role, permission) {
            Grant::Denied => None,
            scope => Some(Granted {
                permission,
                scope,
                ..self.clone()
            }),
        }
    }

    pub fn user_id(&self) -> Option<i64> {
        self.actor.user_id
    }
}

/// Checks `permission` for `user`; a denial is audited and answered 403.
pub async fn authorize(db: &Db, user: &User, permission: Permission) -> Result<Granted, AppError> {
    match grant(user.role, permission) {
        Grant::Denied => {
            record_denial(db, user, permission).await?;
            Err(AppError::Forbidden {
                message: format!(
                    "Your role ({}) may not {}.",
                    user.role.label(),
                    permission.describe()
                ),
            })
        }
        scope => Ok(Granted {
            actor: Actor::user(user.id, &user.email),
            role: user.role,
            permission,
            scope,
        }),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[tokio::test]
    async fn a_hash_verifies_its_password_only() {
        let hash = hash_password("correct horse battery".into()).await.unwrap();
        assert!(hash.starts_with("$argon2id$v=19$m=19456,t=2,p=1$"));
        assert!(
            verify_password("correct horse battery".into(), Some(hash.clone()))
                .await
                .unwrap()
        );
        assert!(!verify_password("wrong horse battery".into(), Some(hash))
            .await
            .unwrap());
    }

    #[tokio::test]
    async fn the_dummy_hash_parses_and_matches_nothing_typed() {
        assert!(!verify_password("".into(), None).await.unwrap());
        assert!(!verify_password("admin".into(), None).await.unwrap());
    }
}
