//! Builds the router with its layers, and serves it.

use crate::config::ServeArgs;
use crate::middleware::{refuse_cross_site_writes, require_sign_in, security_headers, Hsts};
use crate::routes::{healthz, readyz};
use app::api::error::AppError;
use app::server::db::Db;
use app::server::session_store::DbSessionStore;
use app::server::usecases::analysis::AnalysisCache;
use app::server::AppState;
use app::ui::app::{shell, App};
use axum::body::Body;
use axum::extract::Request;
use axum::http::StatusCode;
use axum::middleware::Next;
use axum::response::{IntoResponse, Response};
use axum::routing::get;
use axum::serve::ListenerExt as _;
use axum::Router;
use leptos::config::LeptosOptions;
use leptos::prelude::provide_context;
use leptos_axum::{generate_route_list, AxumRouteListing, LeptosRoutes};
use std::net::SocketAddr;
use std::sync::OnceLock;
use tower_http::trace::{DefaultOnResponse, TraceLayer};
use tower_http::LatencyUnit;
use tower_sessions::cookie::SameSite;
use tower_sessions::{Expiry, SessionManagerLayer};

pub fn leptos_options(args: &ServeArgs) -> LeptosOptions {
    LeptosOptions::builder()
        .output_name("continuity")
        .site_root(args.site_root.clone())
        .site_pkg_dir("pkg")
        .site_addr(args.bind)
        .build()
}

/// The app's routes, generated once per process. Generating them
/// suppresses resource loading process-wide (leptos#4773): a page whose
/// resource first polls meanwhile would never finish, which is what a
/// second router (the tests build one per app) would do to pages in flight.
fn route_list() -> Vec<AxumRouteListing> {
    static ROUTES: OnceLock<Vec<AxumRouteListing>> = OnceLock::new();
    ROUTES.get_or_init(|| generate_route_list(App)).clone()
}

pub fn router(db: Db, args: &ServeArgs) -> Router {
    router_with(db, args, AnalysisCache::default())
}

/// The router around an analysis cache the caller shares (with the daily
/// readiness snapshot).
pub fn router_with(db: Db, args: &ServeArgs, analysis: AnalysisCache) -> Router {
    let state = AppState {
        db: db.clone(),
        leptos_options: leptos_options(args),
        analysis,
        policy: args.policy(),
    };
    let routes = route_list();
    let sessions = SessionManagerLayer::new(DbSessionStore::new(&db))
        .with_name("continuity_session")
        .with_http_only(true)
        .with_same_site(SameSite::Lax)
        .with_secure(args.secure_cookies)
        .with_expiry(Expiry::OnInactivity(time::Duration::minutes(
            args.session_idle_minutes,
        )));
    let context = {
        let state = state.clone();
        move || provide_context(state.clone())
    };
    let shell_options = state.leptos_options.clone();

    Router::new()
        .route("/healthz", get(healthz))
        .route("/readyz", get(readyz))
        .merge(app::server::rest::routes())
        .merge(app::server::upload::routes())
        .merge(app::server::reports::routes())
        .leptos_routes_with_context(&state, routes, context.clone(), move || shell(shell_options.clone()))
        .fallback(leptos_axum::file_and_error_handler_with_context::<AppState, _>(context, shell))
        .layer(axum::middleware::from_fn(arguments_errors_are_bad_requests))
        .layer(axum::middleware::from_fn_with_state(state.clone(), require_sign_in))
        .layer(sessions)
        .layer(axum::middleware::from_fn(refuse_cross_site_writes))
        .layer(axum::middleware::from_fn_with_state(Hsts(args.secure_cookies), security_headers))
        .layer(
            // One line per request: method, path (never the query, which may
            // carry personal data), status and latency.
            TraceLayer::new_for_http()
                .make_span_with(|req: &Request<Body>| {
                    tracing::info_span!("request", method = %req.method(), path = %req.uri().path())
                })
                .on_request(())
                .on_response(DefaultOnResponse::new().level(tracing::Level::INFO).latency_unit(LatencyUnit::Millis)),
        )
        .with_state(state)
}

/// Leptos answers 500 when a server function's arguments do not parse
/// (before our code runs); that is the caller's mistake, so say 400.
async fn arguments_errors_are_bad_requests(req: Request<Body>, next: Next) -> Response {
    let res = next.run(req).await;
    if res.status() != StatusCode::INTERNAL_SERVER_ERROR
        || !res.headers().contains_key("serverfnerror")
    {
        return res;
    }
    let (mut parts, body) = res.into_parts();
    let Ok(bytes) = axum::body::to_bytes(body, 64 * 1024).await else {
        return StatusCode::INTERNAL_SERVER_ERROR.into_response();
    };
    if let Ok(AppError::Transport { .. }) = serde_json::from_slice::<AppError>(&bytes) {
        parts.status = StatusCode::BAD_REQUEST;
    }
    Response::from_parts(parts, Body::from(bytes))
}

/// Deletes expired sessions hourly, in the background.
pub fn spawn_session_cleanup(db: &Db) {
    use tower_sessions::session_store::ExpiredDeletion as _;
    let store = DbSessionStore::new(db);
    tokio::spawn(async move {
        if let Err(err) = store
            .continuously_delete_expired(tokio::time::Duration::from_secs(3600))
            .await
        {
            tracing::warn!(error = %err, "expired-session cleanup stopped");
        }
    });
}

/// Binds (port 0 picks a free one) and returns the address and the
/// serving future.
pub async fn bind(
    router: Router,
    addr: SocketAddr,
) -> std::io::Result<(
    SocketAddr,
    impl std::future::Future<Output = std::io::Result<()>>,
)> {
    // Without TCP_NODELAY every response waits ~40 ms for Nagle.
    let listener = tokio::net::TcpListener::bind(addr).await?;
    let local = listener.local_addr()?;
    let listener = listener.tap_io(|tcp| {
        let _ = tcp.set_nodelay(true);
    });
    let serve = axum::serve(
        listener,
        router.into_make_service_with_connect_info::<SocketAddr>(),
    )
    .with_graceful_shutdown(shutdown_signal());
    Ok((local, async move { serve.await }))
}

async fn shutdown_signal() {
    let _ = tokio::signal::ctrl_c().await;
}
