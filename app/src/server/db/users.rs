//! Queries on `users`.

use super::{Db, Tx};
use crate::domain::access::Role;
use crate::domain::timestamp::Timestamp;
use crate::domain::user::{Email, User};
use crate::{on_db, on_tx};
use anyhow::Context as _;

#[derive(sqlx::FromRow)]
struct UserRow {
    id: i64,
    email: String,
    display_name: String,
    role: String,
    password_hash: String,
    active: bool,
    created_at: Timestamp,
}

/// A stored Argon2 PHC string: not `Serialize`, not `Display`.
pub struct PasswordHash(pub String);

impl UserRow {
    fn into_user(self) -> anyhow::Result<(User, PasswordHash)> {
        let role: Role = self
            .role
            .parse()
            .with_context(|| format!("user {} has a bad role", self.id))?;
        let user = User {
            id: self.id,
            email: self.email,
            display_name: self.display_name,
            role,
            active: self.active,
            created_at: self.created_at,
        };
        Ok((user, PasswordHash(self.password_hash)))
    }
}

const COLUMNS: &str = "id, email, display_name, role, password_hash, active, created_at";

pub async fn find_by_email(db: &Db, email: &Email) -> anyhow::Result<Option<(User, PasswordHash)>> {
    let sql = format!("SELECT {COLUMNS} FROM users WHERE email = $1");
    let row: Option<UserRow> =
        on_db!(db, p => sqlx::query_as(&sql).bind(email.as_str()).fetch_optional(p).await)?;
    row.map(UserRow::into_user).transpose()
}

pub async fn find(db: &Db, id: i64) -> anyhow::Result<Option<User>> {
    let sql = format!("SELECT {COLUMNS} FROM users WHERE id = $1");
    let row: Option<UserRow> =
        on_db!(db, p => sqlx::query_as(&sql).bind(id).fetch_optional(p).await)?;
    Ok(row.map(UserRow::into_user).transpose()?.map(|(u, _)| u))
}

pub async fn find_in(tx: &mut Tx, id: i64) -> anyhow::Result<Option<User>> {
    let sql = format!("SELECT {COLUMNS} FROM users WHERE id = $1");
    let row: Option<UserRow> =
        on_tx!(tx, c => sqlx::query_as(&sql).bind(id).fetch_optional(c).await)?;
    Ok(row.map(UserRow::into_user).transpose()?.map(|(u, _)| u))
}

pub async fn list(db: &Db) -> anyhow::Result<Vec<User>> {
    let sql = format!("SELECT {COLUMNS} FROM users ORDER BY email");
    let rows: Vec<UserRow> = on_db!(db, p => sqlx::query_as(&sql).fetch_all(p).await)?;
    rows.into_iter()
        .map(|r| r.into_user().map(|(u, _)| u))
        .collect()
}

pub async fn count(db: &Db) -> anyhow::Result<i64> {
    let n: i64 =
        on_db!(db, p => sqlx::query_scalar("SELECT COUNT(*) FROM users").fetch_one(p).await)?;
    Ok(n)
}

/// Active administrators, to keep at least one.
pub async fn count_active_admins(tx: &mut Tx) -> anyhow::Result<i64> {
    let n: i64 = on_tx!(tx, c => sqlx::query_scalar("SELECT COUNT(*) FROM users WHERE role = 'admin' AND active")
        .fetch_one(c)
        .await)?;
    Ok(n)
}

pub async fn email_taken(tx: &mut Tx, email: &Email) -> anyhow::Result<bool> {
    let n: i64 = on_tx!(tx, c => sqlx::query_scalar("SELECT COUNT(*) FROM users WHERE email = $1")
        .bind(email.as_str())
        .fetch_one(c)
        .await)?;
    Ok(n > 0)
}

pub struct InsertUser<'a> {
    pub email: &'a Email,
    pub display_name: &'a str,
    pub role: Role,
    pub password_hash: &'a str,
}

pub async fn insert(tx: &mut Tx, user: InsertUser<'_>, now: Timestamp) -> anyhow::Result<i64> {
    let sql = "INSERT INTO users (email, display_name, role, password_hash, active, created_at, updated_at) \
               VALUES ($1, $2, $3, $4, TRUE, $5, $5) RETURNING id";
    let id: i64 = on_tx!(tx, c => sqlx::query_scalar(sql)
        .bind(user.email.as_str())
        .bind(user.display_name)
        .bind(user.role.as_str())
        .bind(user.password_hash)
        .bind(now)
        .fetch_one(c)
        .await)?;
    Ok(id)
}

pub async fn set_role(tx: &mut Tx, id: i64, role: Role, now: Timestamp) -> anyhow::Result<()> {
    on_tx!(tx, c => sqlx::query("UPDATE users SET role = $1, updated_at = $2 WHERE id = $3")
        .bind(role.as_str())
        .bind(now)
        .bind(id)
        .execute(c)
        .await
        .map(|_| ()))?;
    Ok(())
}

pub async fn set_active(tx: &mut Tx, id: i64, active: bool, now: Timestamp) -> anyhow::Result<()> {
    on_tx!(tx, c => sqlx::query("UPDATE users SET active = $1, updated_at = $2 WHERE id = $3")
        .bind(active)
        .bind(now)
        .bind(id)
        .execute(c)
        .await
        .map(|_| ()))?;
    Ok(())
}
