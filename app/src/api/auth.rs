//! Signing in and out, and who is signed in.

use super::error::AppError;
use crate::domain::user::User;
use leptos::prelude::*;

/// Where to go after signing in: only a path on this site.
pub fn safe_next(next: Option<&str>) -> String {
    match next {
        Some(n)
            if n.starts_with('/')
                && !n.starts_with("//")
                && !n.contains('\\')
                && !n.starts_with("/fn/") =>
        {
            n.to_string()
        }
        _ => "/".to_string(),
    }
}

#[server(prefix = "/fn", endpoint = "login")]
pub async fn login(email: String, password: String, next: Option<String>) -> Result<(), AppError> {
    use super::ctx::{client_addr, respond, session, state};
    use crate::server::{auth::SESSION_USER_ID, usecases};
    respond(
        async {
            let state = state()?;
            let session = session().await?;
            let addr = client_addr().await;
            let now = usecases::audit::now();
            let user = usecases::auth::sign_in(&state.db, &email, password, &addr, now).await?;
            // A new session id at sign-in defeats session fixation.
            session
                .cycle_id()
                .await
                .map_err(|e| anyhow::anyhow!("cycling the session: {e}"))?;
            session
                .insert(SESSION_USER_ID, user.id)
                .await
                .map_err(|e| anyhow::anyhow!("saving the session: {e}"))?;
            tracing::info!(user.id = user.id, "signed in");
            leptos_axum::redirect(&safe_next(next.as_deref()));
            Ok(())
        }
        .await,
    )
}

#[server(prefix = "/fn", endpoint = "logout")]
pub async fn logout() -> Result<(), AppError> {
    use super::ctx::{respond, session, state};
    use crate::server::{auth::session_user, usecases};
    respond(
        async {
            let state = state()?;
            let session = session().await?;
            if let Some(user) = session_user(&state.db, &session).await? {
                usecases::auth::sign_out(&state.db, &user, usecases::audit::now()).await?;
            }
            session
                .flush()
                .await
                .map_err(|e| anyhow::anyhow!("ending the session: {e}"))?;
            leptos_axum::redirect("/login");
            Ok(())
        }
        .await,
    )
}

#[server(prefix = "/fn", endpoint = "current_user")]
pub async fn current_user() -> Result<Option<User>, AppError> {
    use super::ctx::{respond, session, state};
    respond(
        async {
            let state = state()?;
            crate::server::auth::session_user(&state.db, &session().await?).await
        }
        .await,
    )
}

#[cfg(test)]
mod tests {
    use super::safe_next;

    #[test]
    fn only_local_paths_are_followed_after_sign_in() {
        assert_eq!(safe_next(Some("/audit?actor=x")), "/audit?actor=x");
        assert_eq!(safe_next(Some("//evil.example")), "/");
        assert_eq!(safe_next(Some("https://evil.example")), "/");
        assert_eq!(safe_next(Some("/\\evil.example")), "/");
        assert_eq!(safe_next(None), "/");
    }
}
