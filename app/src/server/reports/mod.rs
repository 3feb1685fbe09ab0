//! Reports (SPEC §7) served as downloads to signed-in users: the drill
//! report, and the board report and evidence pack exported in the
//! background. Every download is an audit event.

pub mod archive;
pub mod board;
pub mod drill;
pub mod evidence;

use crate::domain::user::User;
use crate::server::auth::session_user;
use crate::server::rest::ApiError;
use crate::server::AppState;
use axum::http::header;
use axum::response::{IntoResponse, Redirect, Response};
use axum::routing::get;
use axum::Router;
use tower_sessions::Session;

pub fn routes() -> Router<AppState> {
    Router::new()
        .route("/drills/{id}/report.pdf", get(drill::download))
        .route("/reports/{id}/download", get(download_export))
}

/// Where a long export says how far it got: its job, which the page
/// polls, or the operator's terminal.
pub enum Progress {
    Job {
        db: crate::server::db::Db,
        id: i64,
    },
    Console,
    /// Says nothing: benchmarks.
    Quiet,
}

impl Progress {
    pub async fn step(&self, percent: u8, stage: &str) {
        match self {
            Progress::Job { db, id } => {
                let write = async {
                    let mut tx = db.begin().await?;
                    crate::server::db::reports::progress(&mut tx, *id, percent, stage).await?;
                    tx.commit().await
                };
                if let Err(err) = write.await {
                    tracing::warn!(error = %err, job = id, "report progress not saved");
                }
            }
            Progress::Console => eprintln!("{percent:>3}% {stage}"),
            Progress::Quiet => {}
        }
    }
}

/// Runs CPU-bound work (simulations, drawing, zipping) on the blocking
/// pool, so the async threads go on serving other requests.
pub async fn off_thread<T: Send + 'static>(
    work: impl FnOnce() -> anyhow::Result<T> + Send + 'static,
) -> Result<T, crate::api::error::AppError> {
    Ok(tokio::task::spawn_blocking(work)
        .await
        .map_err(anyhow::Error::from)??)
}

/// The signed-in user, or the response that sends them to sign in.
async fn signed_in(state: &AppState, session: &Session) -> Result<User, Response> {
    match session_user(&state.db, session).await {
        Ok(Some(user)) => Ok(user),
        Ok(None) => Err(Redirect::to("/login").into_response()),
        Err(e) => Err(ApiError(e).into_response()),
    }
}

/// `bytes` as a file to save.
fn attachment(content_type: &str, file_name: &str, bytes: Vec<u8>) -> Response {
    (
        [
            (header::CONTENT_TYPE, content_type.to_string()),
            (
                header::CONTENT_DISPOSITION,
                format!("attachment; filename=\"{file_name}\""),
            ),
        ],
        bytes,
    )
        .into_response()
}

async fn download_export(
    axum::extract::State(state): axum::extract::State<AppState>,
    session: Session,
    axum::extract::Path(id): axum::extract::Path<i64>,
) -> Response {
    let user = match signed_in(&state, &session).await {
        Ok(user) => user,
        Err(response) => return response,
    };
    match crate::server::usecases::reports::download(&state, &user, id).await {
        Ok((name, bytes)) => {
            let kind = if name.ends_with(".zip") {
                "application/zip"
            } else {
                "application/pdf"
            };
            attachment(kind, &name, bytes)
        }
        Err(e) => ApiError(e).into_response(),
    }
}
