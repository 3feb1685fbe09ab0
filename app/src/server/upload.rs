//! The import page's upload: a plain multipart form post, so that it works
//! with or without JavaScript. The outcome is kept in the session and the
//! browser is sent back to `/import`, which shows it.

use crate::api::error::AppError;
use crate::api::import::LAST_IMPORT;
use crate::domain::access::Permission;
use crate::domain::inventory::csv_file::Exchange;
use crate::domain::inventory::exchange::ImportSummary;
use crate::domain::user::User;
use crate::server::auth::{authorize, session_user};
use crate::server::rest::ApiError;
use crate::server::usecases::{audit::now, import};
use crate::server::AppState;
use axum::extract::{DefaultBodyLimit, Multipart, State};
use axum::response::{IntoResponse, Redirect, Response};
use axum::routing::post;
use axum::Router;
use tower_sessions::Session;

/// The largest upload: a 10,000-service inventory with room to spare.
pub const UPLOAD_LIMIT: usize = 64 * 1024 * 1024;

pub fn routes() -> Router<AppState> {
    Router::new()
        .route("/import", post(upload))
        .layer(DefaultBodyLimit::max(UPLOAD_LIMIT))
}

async fn upload(State(state): State<AppState>, session: Session, form: Multipart) -> Response {
    let user = match session_user(&state.db, &session).await {
        Ok(Some(user)) => user,
        Ok(None) => return Redirect::to("/login").into_response(),
        Err(e) => return ApiError(e).into_response(),
    };
    let outcome = import_files(&state, &user, form).await;
    if let Err(e) = session.insert(LAST_IMPORT, &outcome).await {
        let e = anyhow::anyhow!("keeping the import outcome: {e}");
        return ApiError(e.into()).into_response();
    }
    Redirect::to("/import").into_response()
}

async fn import_files(
    state: &AppState,
    user: &User,
    form: Multipart,
) -> Result<Vec<ImportSummary>, AppError> {
    let granted = authorize(&state.db, user, Permission::ImportCsv).await?;
    let files = read_files(form).await?;
    import::import(&state.db, &granted, files, now()).await
}

/// The uploaded files, each known by its name (`services.csv`).
async fn read_files(mut form: Multipart) -> Result<Vec<(Exchange, Vec<u8>)>, AppError> {
    let bad = |message: String| AppError::validation("files", message);
    let mut files = Vec::new();
    while let Some(field) = form
        .next_field()
        .await
        .map_err(|e| bad(format!("the upload was cut short ({e})")))?
    {
        let Some(name) = field.file_name().map(str::to_string) else {
            continue;
        };
        if name.is_empty() {
            continue;
        }
        let exchange = Exchange::from_file_name(&name).map_err(|e| bad(e.message))?;
        if files.iter().any(|(x, _)| *x == exchange) {
            return Err(bad(format!("{name} was chosen twice")));
        }
        let bytes = field
            .bytes()
            .await
            .map_err(|e| bad(format!("{name} could not be read ({e})")))?;
        files.push((exchange, bytes.to_vec()));
    }
    if files.is_empty() {
        return Err(bad("choose at least one CSV file".into()));
    }
    Ok(files)
}
