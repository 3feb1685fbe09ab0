//! The JSON API of SPEC §8.3 under `/api/v1`: bearer tokens (or the
//! browser's session), the same permission checks as the pages, and
//! errors as `{ "error": { "code", "message", "details" } }`.

use crate::api::error::AppError;
use crate::domain::access::Permission;
use crate::domain::inventory::csv_file::Exchange;
use crate::domain::user::User;
use crate::server::auth::{authorize, session_user, Granted};
use crate::server::usecases::{audit::now, import, tokens};
use crate::server::AppState;
use axum::extract::{DefaultBodyLimit, FromRequestParts, Path, State};
use axum::http::{header, request::Parts, StatusCode};
use axum::response::{IntoResponse, Response};
use axum::routing::{get, post};
use axum::{Json, Router};
use serde_json::{json, Value};
use tower_sessions::Session;

pub fn routes() -> Router<AppState> {
    Router::new()
        .route("/api/v1/export/{entity}", get(export))
        .route(
            "/api/v1/import/{entity}",
            post(import_file).layer(DefaultBodyLimit::max(super::upload::UPLOAD_LIMIT)),
        )
        .route("/api/v1/openapi.json", get(openapi))
        .route("/api/v1/analysis", get(analysis))
        .route("/api/v1/simulations/site-loss", get(site_loss))
        .route("/api/v1/lag", post(lag))
        .route("/api/v1/{entity}", get(list))
}

/// An error answered as JSON with its HTTP status.
pub struct ApiError(pub AppError);

impl From<AppError> for ApiError {
    fn from(e: AppError) -> Self {
        ApiError(e)
    }
}

impl IntoResponse for ApiError {
    fn into_response(self) -> Response {
        let e = self.0;
        let details = match &e {
            AppError::Validation { field, .. } => json!({ "field": field }),
            AppError::Invalid { errors } => json!({ "errors": errors }),
            AppError::InvalidFiles { files } => json!({ "files": files }),
            _ => Value::Null,
        };
        let status = StatusCode::from_u16(e.status()).unwrap_or(StatusCode::INTERNAL_SERVER_ERROR);
        let body =
            json!({ "error": { "code": e.code(), "message": e.to_string(), "details": details } });
        (status, Json(body)).into_response()
    }
}

/// Who calls: the user of a bearer token, or of the browser's session.
pub struct Caller(pub User);

impl FromRequestParts<AppState> for Caller {
    type Rejection = ApiError;

    async fn from_request_parts(parts: &mut Parts, state: &AppState) -> Result<Self, ApiError> {
        let bearer = parts
            .headers
            .get(header::AUTHORIZATION)
            .and_then(|v| v.to_str().ok())
            .and_then(|v| v.strip_prefix("Bearer "));
        let user = match bearer {
            Some(secret) => tokens::user_for(&state.db, secret).await?,
            None => match Session::from_request_parts(parts, state).await {
                Ok(session) => session_user(&state.db, &session).await?,
                Err(_) => None,
            },
        };
        user.map(Caller).ok_or(ApiError(AppError::Unauthorized))
    }
}

impl Caller {
    async fn may(&self, state: &AppState, permission: Permission) -> Result<Granted, ApiError> {
        Ok(authorize(&state.db, &self.0, permission).await?)
    }
}

fn exchange(entity: &str) -> Result<Exchange, ApiError> {
    Exchange::parse_field("entity", entity).map_err(|e| {
        ApiError(AppError::NotFound {
            what: format!("The entity '{entity}' ({})", e.message),
        })
    })
}

/// `GET /api/v1/export/{entity}`: the exchange file.
async fn export(
    State(state): State<AppState>,
    caller: Caller,
    Path(entity): Path<String>,
) -> Result<Response, ApiError> {
    caller.may(&state, Permission::Read).await?;
    let exchange = exchange(entity.trim_end_matches(".csv"))?;
    let text = import::export(&state.db, exchange).await?.to_csv();
    let disposition = format!("attachment; filename=\"{}\"", exchange.file_name());
    Ok((
        [
            (header::CONTENT_TYPE, "text/csv; charset=utf-8".to_string()),
            (header::CONTENT_DISPOSITION, disposition),
        ],
        text,
    )
        .into_response())
}

/// `GET /api/v1/{entity}`: the records as objects with the CSV columns.
async fn list(
    State(state): State<AppState>,
    caller: Caller,
    Path(entity): Path<String>,
) -> Result<Json<Value>, ApiError> {
    caller.may(&state, Permission::Read).await?;
    let exchange = exchange(&entity)?;
    let table = import::export(&state.db, exchange).await?;
    Ok(Json(json!({ exchange.as_str(): table.to_json() })))
}

/// `POST /api/v1/import/{entity}` with a `text/csv` body.
async fn import_file(
    State(state): State<AppState>,
    caller: Caller,
    Path(entity): Path<String>,
    body: axum::body::Bytes,
) -> Result<Json<Value>, ApiError> {
    let granted = caller.may(&state, Permission::ImportCsv).await?;
    let exchange = exchange(&entity)?;
    let summaries =
        import::import(&state.db, &granted, vec![(exchange, body.to_vec())], now()).await?;
    Ok(Json(json!({ "imported": summaries })))
}

/// `GET /api/v1/openapi.json`: the API's description, public so that
/// clients and fuzzers can read it before they hold a token.
async fn openapi() -> Json<Value> {
    Json(super::openapi::document())
}

/// `GET /api/v1/analysis`: SPEC §8.5's analysis of every service.
async fn analysis(State(state): State<AppState>, caller: Caller) -> Result<Json<Value>, ApiError> {
    caller.may(&state, Permission::Read).await?;
    let computed = state.analysis.current(&state.db, now()).await?;
    Ok(Json(json!(computed.analysis)))
}

#[derive(serde::Deserialize)]
struct SiteQuery {
    #[serde(default)]
    site: String,
}

/// `GET /api/v1/simulations/site-loss?site=KEY`: SPEC §5.5.
async fn site_loss(
    State(state): State<AppState>,
    caller: Caller,
    axum::extract::Query(q): axum::extract::Query<SiteQuery>,
) -> Result<Json<Value>, ApiError> {
    caller.may(&state, Permission::Read).await?;
    let site = crate::domain::inventory::RecordKey::parse_field("site", &q.site)
        .map_err(AppError::from)?;
    let loss =
        crate::server::usecases::analysis::site_loss(&state.analysis, &state.db, &site, now())
            .await?;
    Ok(Json(json!(loss)))
}

/// `POST /api/v1/lag`: replication lag samples of one link.
async fn lag(
    State(state): State<AppState>,
    caller: Caller,
    body: axum::body::Bytes,
) -> Result<Json<Value>, ApiError> {
    let granted = caller.may(&state, Permission::EditServices).await?;
    let push: crate::domain::lag::LagPush = serde_json::from_slice(&body)
        .map_err(|e| AppError::validation("body", format!("is not a lag push: {e}")))?;
    let recorded = crate::server::usecases::lag::record(&state.db, &granted, push, now()).await?;
    Ok(Json(json!({ "recorded": recorded })))
}

#[cfg(test)]
mod tests {
    #[test]
    fn exchange_names_are_the_entities() {
        assert!(super::exchange("services").is_ok());
        assert!(super::exchange("passwords").is_err());
    }
}
