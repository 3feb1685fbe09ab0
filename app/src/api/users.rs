//! The users page (admins).

use super::error::AppError;
use crate::domain::user::User;
use leptos::prelude::*;

#[server(prefix = "/fn", endpoint = "users")]
pub async fn list_users() -> Result<Vec<User>, AppError> {
    use super::ctx::{require, respond};
    use crate::domain::access::Permission;
    respond(
        async {
            let (state, _) = require(Permission::ManageUsers).await?;
            Ok(crate::server::db::users::list(&state.db).await?)
        }
        .await,
    )
}

/// Every API token, newest first; never a secret.
#[server(prefix = "/fn", endpoint = "api_tokens")]
pub async fn list_api_tokens() -> Result<Vec<crate::domain::token::ApiToken>, AppError> {
    use super::ctx::{require, respond};
    use crate::domain::access::Permission;
    respond(
        async {
            let (state, _) = require(Permission::ManageUsers).await?;
            Ok(crate::server::db::api_tokens::list(&state.db).await?)
        }
        .await,
    )
}

#[server(prefix = "/fn", endpoint = "revoke_api_token")]
pub async fn revoke_api_token(id: i64) -> Result<(), AppError> {
    use super::ctx::{require, respond};
    use crate::domain::access::Permission;
    use crate::server::usecases::{audit::now, tokens};
    respond(
        async {
            let (state, granted) = require(Permission::ManageUsers).await?;
            tokens::revoke(&state.db, &granted, id, now()).await?;
            leptos_axum::redirect("/users");
            Ok(())
        }
        .await,
    )
}

#[server(prefix = "/fn", endpoint = "create_user")]
pub async fn create_user(
    email: String,
    name: String,
    role: String,
    password: String,
) -> Result<User, AppError> {
    use super::ctx::{require, respond};
    use crate::domain::{access::Permission, user::NewUser};
    use crate::server::usecases::{audit::now, users};
    respond(
        async {
            let (state, granted) = require(Permission::ManageUsers).await?;
            let new = NewUser::parse(&email, &name, &role, &password)?;
            users::create(&state.db, &granted, new, now()).await
        }
        .await,
    )
}

#[server(prefix = "/fn", endpoint = "change_user_role")]
pub async fn change_user_role(id: i64, role: String) -> Result<User, AppError> {
    use super::ctx::{require, respond};
    use crate::domain::access::{Permission, Role};
    use crate::server::usecases::{audit::now, users};
    respond(
        async {
            let (state, granted) = require(Permission::ManageUsers).await?;
            let role: Role = role
                .parse()
                .map_err(|e: crate::domain::access::UnknownRole| {
                    AppError::validation("role", e.to_string())
                })?;
            users::change_role(&state.db, &granted, id, role, now()).await
        }
        .await,
    )
}

#[server(prefix = "/fn", endpoint = "set_user_active")]
pub async fn set_user_active(id: i64, active: bool) -> Result<User, AppError> {
    use super::ctx::{require, respond};
    use crate::domain::access::Permission;
    use crate::server::usecases::{audit::now, users};
    respond(
        async {
            let (state, granted) = require(Permission::ManageUsers).await?;
            users::set_active(&state.db, &granted, id, active, now()).await
        }
        .await,
    )
}
