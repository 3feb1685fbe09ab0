//! Middleware: security headers with a per-response CSP nonce, refusal of
//! cross-site writes (CSRF), and sign-in for every page.

use app::server::auth::session_user;
use app::server::AppState;
use app::ui::app::CspNonce;
use axum::body::Body;
use axum::extract::{Request, State};
use axum::http::{header, HeaderValue, Method, StatusCode};
use axum::middleware::Next;
use axum::response::{IntoResponse, Redirect, Response};
use axum::Json;
use serde_json::json;
use tower_sessions::Session;

/// Whether to send HSTS (only behind TLS).
#[derive(Clone, Copy)]
pub struct Hsts(pub bool);

pub async fn security_headers(State(hsts): State<Hsts>, mut req: Request, next: Next) -> Response {
    let nonce = format!("{:032x}", rand::random::<u128>());
    req.extensions_mut().insert(CspNonce(nonce.clone()));
    let mut res = next.run(req).await;
    let csp = format!(
        "default-src 'self'; script-src 'nonce-{nonce}' 'strict-dynamic' 'wasm-unsafe-eval'; \
         style-src 'self'; img-src 'self' data:; font-src 'self'; connect-src 'self'; \
         object-src 'none'; base-uri 'none'; frame-ancestors 'none'; form-action 'self'"
    );
    let headers = res.headers_mut();
    let mut set = |name: &'static str, value: &str| {
        if let Ok(v) = HeaderValue::from_str(value) {
            headers.insert(name, v);
        }
    };
    set("content-security-policy", &csp);
    set("x-frame-options", "DENY");
    set("x-content-type-options", "nosniff");
    set("referrer-policy", "same-origin");
    set("cross-origin-opener-policy", "same-origin");
    set(
        "permissions-policy",
        "camera=(), microphone=(), geolocation=()",
    );
    if hsts.0 {
        set(
            "strict-transport-security",
            "max-age=31536000; includeSubDomains",
        );
    }
    res
}

/// Refuses state-changing requests that a browser says come from another
/// site. Clients that are not browsers (no Fetch metadata, no Origin) pass:
/// they carry no ambient cookies to abuse.
pub async fn refuse_cross_site_writes(req: Request, next: Next) -> Response {
    if matches!(*req.method(), Method::GET | Method::HEAD | Method::OPTIONS) || is_same_origin(&req)
    {
        return next.run(req).await;
    }
    tracing::warn!(path = %req.uri().path(), "refused a cross-site write");
    let body = json!({ "error": { "code": "forbidden", "message": "Cross-site requests may not change anything.", "details": null } });
    (StatusCode::FORBIDDEN, Json(body)).into_response()
}

fn is_same_origin(req: &Request) -> bool {
    let headers = req.headers();
    if let Some(site) = headers.get("sec-fetch-site").and_then(|v| v.to_str().ok()) {
        return matches!(site, "same-origin" | "none");
    }
    let Some(origin) = headers.get(header::ORIGIN).and_then(|v| v.to_str().ok()) else {
        return true;
    };
    let host = headers
        .get(header::HOST)
        .and_then(|v| v.to_str().ok())
        .unwrap_or_default();
    origin
        .split_once("://")
        .is_some_and(|(_, authority)| authority == host)
}

/// Pages need a signed-in user; others are sent to the sign-in page and
/// come back afterwards. Server functions, health checks and static files
/// decide for themselves.
pub async fn require_sign_in(
    State(state): State<AppState>,
    session: Session,
    req: Request,
    next: Next,
) -> Response {
    let path = req.uri().path();
    if !is_page(path) || req.method() != Method::GET {
        return next.run(req).await;
    }
    let user = match session_user(&state.db, &session).await {
        Ok(user) => user,
        Err(err) => {
            return (
                StatusCode::from_u16(err.status()).unwrap_or(StatusCode::INTERNAL_SERVER_ERROR),
                err.to_string(),
            )
                .into_response()
        }
    };
    match (path, user) {
        ("/login", Some(_)) => Redirect::to("/").into_response(),
        ("/login", None) | (_, Some(_)) => next.run(req).await,
        (_, None) => {
            let target = req
                .uri()
                .path_and_query()
                .map(|p| p.as_str())
                .unwrap_or("/");
            let location = format!("/login?next={}", encode_component(target));
            Response::builder()
                .status(StatusCode::SEE_OTHER)
                .header(header::LOCATION, location)
                .body(Body::empty())
                .unwrap_or_else(|_| StatusCode::INTERNAL_SERVER_ERROR.into_response())
        }
    }
}

fn is_page(path: &str) -> bool {
    let last = path.rsplit('/').next().unwrap_or_default();
    !(path.starts_with("/fn/")
        || path.starts_with("/api/")
        || path.starts_with("/pkg/")
        || path == "/healthz"
        || path == "/readyz"
        || last.contains('.'))
}

fn encode_component(value: &str) -> String {
    value
        .bytes()
        .map(|b| match b {
            b'A'..=b'Z' | b'a'..=b'z' | b'0'..=b'9' | b'-' | b'_' | b'.' | b'~' | b'/' => {
                (b as char).to_string()
            }
            _ => format!("%{b:02X}"),
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn pages_are_paths_without_a_file_extension_outside_the_machine_routes() {
        assert!(is_page("/"));
        assert!(is_page("/audit"));
        assert!(!is_page("/fn/login"));
        assert!(!is_page("/pkg/continuity.js"));
        assert!(!is_page("/favicon.svg"));
        assert!(!is_page("/healthz"));
    }

    fn request(headers: &[(&str, &str)]) -> Request {
        let mut b = Request::builder().method("POST").uri("/fn/login");
        for (k, v) in headers {
            b = b.header(*k, *v);
        }
        b.body(Body::empty()).unwrap()
    }

    #[test]
    fn fetch_metadata_decides_first() {
        assert!(is_same_origin(&request(&[(
            "sec-fetch-site",
            "same-origin"
        )])));
        assert!(!is_same_origin(&request(&[(
            "sec-fetch-site",
            "cross-site"
        )])));
        assert!(!is_same_origin(&request(&[
            ("sec-fetch-site", "same-site"),
            ("origin", "http://a"),
            ("host", "a")
        ])));
    }

    #[test]
    fn origin_must_match_host_without_fetch_metadata() {
        assert!(is_same_origin(&request(&[
            ("origin", "http://127.0.0.1:3000"),
            ("host", "127.0.0.1:3000")
        ])));
        assert!(!is_same_origin(&request(&[
            ("origin", "http://evil.example"),
            ("host", "127.0.0.1:3000")
        ])));
        assert!(!is_same_origin(&request(&[
            ("origin", "null"),
            ("host", "127.0.0.1:3000")
        ])));
        assert!(is_same_origin(&request(&[])));
    }
}
