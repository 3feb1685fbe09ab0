//! What server functions take from the request: state, session, the
//! signed-in user, and the permission check.

use super::error::AppError;
use crate::domain::access::Permission;
use crate::domain::user::User;
use crate::server::auth::{authorize, session_user, Granted};
use crate::server::AppState;
use axum::http::{header, StatusCode};
use leptos::prelude::*;
use leptos_axum::ResponseOptions;
use tower_sessions::Session;

pub fn state() -> Result<AppState, AppError> {
    use_context::<AppState>()
        .ok_or_else(|| anyhow::anyhow!("AppState is not in the context").into())
}

pub async fn session() -> Result<Session, AppError> {
    leptos_axum::extract::<Session>()
        .await
        .map_err(|e| anyhow::anyhow!("the session layer is missing: {e}").into())
}

/// The client's address, for throttling and the audit trail.
pub async fn client_addr() -> String {
    leptos_axum::extract::<axum::extract::ConnectInfo<std::net::SocketAddr>>()
        .await
        .map(|info| info.0.ip().to_string())
        .unwrap_or_else(|_| "unknown".into())
}

pub async fn signed_in() -> Result<(AppState, User), AppError> {
    let state = state()?;
    let user = session_user(&state.db, &session().await?)
        .await?
        .ok_or(AppError::Unauthorized)?;
    Ok((state, user))
}

/// The signed-in user with `permission` checked on the server.
pub async fn require(permission: Permission) -> Result<(AppState, Granted), AppError> {
    let (state, user) = signed_in().await?;
    let granted = authorize(&state.db, &user, permission).await?;
    Ok((state, granted))
}

/// Sets the HTTP status of a failed call, except for a plain (no
/// JavaScript) form post, which must stay a redirect back to the form.
pub fn respond<T>(result: Result<T, AppError>) -> Result<T, AppError> {
    if let Err(err) = &result {
        let plain_form_post = use_context::<axum::http::request::Parts>().is_some_and(|parts| {
            parts.uri.path().starts_with("/fn/")
                && parts
                    .headers
                    .get(header::ACCEPT)
                    .and_then(|v| v.to_str().ok())
                    .is_some_and(|v| v.contains("text/html"))
        });
        if !plain_form_post {
            if let Some(options) = use_context::<ResponseOptions>() {
                options.set_status(
                    StatusCode::from_u16(err.status()).unwrap_or(StatusCode::INTERNAL_SERVER_ERROR),
                );
            }
        }
    }
    result
}
