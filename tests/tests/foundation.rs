//! The foundation, end to end over HTTP, on SQLite and PostgreSQL:
//! sign-in, sessions, throttling, permissions, audit, headers, health.

use app::domain::access::Role;
use continuity_tests::{both_backends, spawn_app, Backend, PASSWORD};
use reqwest::StatusCode;
use serde_json::Value;

async fn json(res: reqwest::Response) -> Value {
    res.json().await.expect("a JSON body")
}

both_backends! {
    async fn health_and_readiness_answer(backend: Backend) {
        let app = spawn_app(backend).await;
        let client = app.client();
        let health = client.get(app.url("/healthz")).send().await.unwrap();
        assert_eq!(health.status(), StatusCode::OK);
        let ready = client.get(app.url("/readyz")).send().await.unwrap();
        assert_eq!(ready.status(), StatusCode::OK);
        assert_eq!(json(ready).await["status"], "ready");
    }
}

both_backends! {
    async fn signing_in_opens_a_session_with_a_fresh_id(backend: Backend) {
        let app = spawn_app(backend).await;
        let user = app.with_user(Role::Viewer).await;
        let client = app.client();

        let first = app.sign_in(&client, &user.email, PASSWORD).await;
        assert_eq!(first.status(), StatusCode::OK);
        let cookie = session_cookie(&first).expect("a session cookie");
        assert!(cookie.contains("HttpOnly"), "{cookie}");
        assert!(cookie.contains("SameSite=Lax"), "{cookie}");
        assert!(
            !cookie.contains("Secure"),
            "not Secure without --secure-cookies: {cookie}"
        );

        let page = client.get(app.url("/")).send().await.unwrap();
        assert_eq!(page.status(), StatusCode::OK);
        let html = page.text().await.unwrap();
        assert!(html.contains("<h1>Dashboard</h1>"), "{html}");
        assert!(html.contains(&user.email.split('@').next().unwrap().to_string()));

        let second = app.sign_in(&client, &user.email, PASSWORD).await;
        let cookie2 = session_cookie(&second).expect("a new session cookie");
        assert_ne!(
            cookie_value(&cookie),
            cookie_value(&cookie2),
            "session id cycled at sign-in"
        );
        assert!(
            app.audit_actions()
                .await
                .iter()
                .filter(|a| *a == "login")
                .count()
                == 2
        );
    }
}

fn session_cookie(res: &reqwest::Response) -> Option<String> {
    res.headers()
        .get_all("set-cookie")
        .iter()
        .filter_map(|v| v.to_str().ok())
        .find(|c| c.starts_with("continuity_session="))
        .map(str::to_string)
}

fn cookie_value(cookie: &str) -> &str {
    cookie.split(';').next().unwrap_or_default()
}

both_backends! {
    async fn a_wrong_password_is_refused_and_audited(backend: Backend) {
        let app = spawn_app(backend).await;
        let user = app.with_user(Role::Auditor).await;
        let client = app.client();

        let wrong = app.sign_in(&client, &user.email, "not the password").await;
        assert_eq!(wrong.status(), StatusCode::UNPROCESSABLE_ENTITY);
        let body = json(wrong).await;
        assert_eq!(body["code"], "validation");
        assert_eq!(body["field"], "password");
        assert_eq!(body["message"], "Wrong email or password.");

        let unknown = app
            .sign_in(&client, "nobody@example.com", "not the password")
            .await;
        assert_eq!(
            json(unknown).await["message"],
            "Wrong email or password.",
            "the same message for unknown accounts"
        );

        let dashboard = app.call(&client, "dashboard", &[]).await;
        assert_eq!(dashboard.status(), StatusCode::UNAUTHORIZED);
        assert_eq!(
            app.audit_actions()
                .await
                .iter()
                .filter(|a| *a == "login_failed")
                .count(),
            2
        );
    }
}

both_backends! {
    async fn five_failures_lock_the_account_for_a_while(backend: Backend) {
        let app = spawn_app(backend).await;
        let user = app.with_user(Role::Viewer).await;
        let client = app.client();
        for _ in 0..5 {
            let res = app.sign_in(&client, &user.email, "guess guess guess").await;
            assert_eq!(res.status(), StatusCode::UNPROCESSABLE_ENTITY);
        }
        let locked = app.sign_in(&client, &user.email, PASSWORD).await;
        assert_eq!(locked.status(), StatusCode::TOO_MANY_REQUESTS);
        let message = json(locked).await["message"]
            .as_str()
            .unwrap_or_default()
            .to_string();
        assert!(
            message.contains("Too many failed sign-in attempts"),
            "{message}"
        );

        // The same refusal for an account that does not exist: nothing leaks.
        for _ in 0..5 {
            app.sign_in(&client, "ghost@example.com", "guess guess guess")
                .await;
        }
        let ghost = app
            .sign_in(&client, "ghost@example.com", "guess guess guess")
            .await;
        assert_eq!(ghost.status(), StatusCode::TOO_MANY_REQUESTS);
        assert!(app
            .audit_actions()
            .await
            .contains(&"login_throttled".to_string()));
    }
}

both_backends! {
    async fn signed_out_visitors_are_sent_to_sign_in(backend: Backend) {
        let app = spawn_app(backend).await;
        let client = app.client();
        let page = client.get(app.url("/audit?actor=x")).send().await.unwrap();
        assert_eq!(page.status(), StatusCode::SEE_OTHER);
        assert_eq!(page.headers()["location"], "/login?next=/audit%3Factor%3Dx");
        let login = client.get(app.url("/login")).send().await.unwrap();
        assert_eq!(login.status(), StatusCode::OK);
        assert!(login.text().await.unwrap().contains("Sign in"));

        let call = app.call(&client, "users", &[]).await;
        assert_eq!(call.status(), StatusCode::UNAUTHORIZED);
        assert_eq!(json(call).await["code"], "unauthorized");
    }
}

both_backends! {
    async fn signing_out_ends_the_session(backend: Backend) {
        let app = spawn_app(backend).await;
        let (client, _) = app.signed_in(Role::Executive).await;
        assert_eq!(
            app.call(&client, "dashboard", &[]).await.status(),
            StatusCode::OK
        );
        let out = app.call(&client, "logout", &[]).await;
        assert!(out.status().is_success());
        assert_eq!(
            app.call(&client, "dashboard", &[]).await.status(),
            StatusCode::UNAUTHORIZED
        );
        assert!(app.audit_actions().await.contains(&"logout".to_string()));
    }
}

/// SPEC §4, route by route: who gets through (everyone else gets 403, and
/// the denial is audited). Later features add their rows here.
type Form = &'static [(&'static str, &'static str)];
const BOARD: &[Role] = &[
    Role::Admin,
    Role::ContinuityManager,
    Role::Executive,
    Role::Auditor,
];
const EVIDENCE: &[Role] = &[Role::Admin, Role::ContinuityManager, Role::Auditor];
const MATRIX: &[(&str, Form, &[Role])] = &[
    ("reports", &[], BOARD),
    ("report_job", &[("id", "999999")], BOARD),
    ("start_report", &[("kind", "board")], BOARD),
    (
        "start_report",
        &[("kind", "evidence"), ("from", "not a day")],
        EVIDENCE,
    ),
    (
        "take_snapshot",
        &[],
        &[Role::Admin, Role::ContinuityManager],
    ),
    ("drills", &[], &Role::ALL),
    ("drill", &[("id", "999999")], &Role::ALL),
    ("drill_coverage", &[], &Role::ALL),
    ("trends", &[], &Role::ALL),
    ("actions", &[], &Role::ALL),
    ("post_mortem", &[("id", "999999")], &Role::ALL),
    (
        "set_action_item",
        &[("id", "999999"), ("status", "done")],
        &Role::ALL,
    ),
    (
        "plan_drill",
        &[("drill[title]", "")],
        &[Role::Admin, Role::ContinuityManager],
    ),
    (
        "advance_drill",
        &[("id", "999999"), ("action", "start")],
        &[Role::Admin, Role::ContinuityManager],
    ),
    (
        "record_drill_result",
        &[("id", "999999"), ("service", "NOPE")],
        &[Role::Admin, Role::ContinuityManager],
    ),
    (
        "save_post_mortem",
        &[("id", "999999")],
        &[Role::Admin, Role::ContinuityManager],
    ),
    (
        "add_action_item",
        &[("post_mortem", "999999")],
        &[Role::Admin, Role::ContinuityManager],
    ),
    ("runbooks", &[], &Role::ALL),
    (
        "runbook",
        &[("scope", "service"), ("subject", "NOPE")],
        &Role::ALL,
    ),
    (
        "save_runbook",
        &[
            ("scope", "service"),
            ("subject", "NOPE"),
            ("runbook[steps][0][title]", "Promote"),
            ("runbook[steps][0][role]", "DBA"),
            ("runbook[steps][0][expected_minutes]", "5"),
        ],
        &[Role::Admin, Role::ContinuityManager],
    ),
    (
        "approve_runbook",
        &[("scope", "service"), ("subject", "NOPE"), ("version", "1")],
        &[Role::Admin, Role::ContinuityManager],
    ),
    (
        "generate_runbook",
        &[("site", "NOPE")],
        &[Role::Admin, Role::ContinuityManager],
    ),
    ("failovers", &[], &Role::ALL),
    ("failovers_waiting", &[], &Role::ALL),
    ("failover", &[("id", "999999")], &Role::ALL),
    ("failover_mark", &[("id", "999999")], &Role::ALL),
    (
        "request_failover",
        &[
            ("request[site]", "bad key"),
            ("request[direction]", "failover"),
        ],
        &[Role::Admin, Role::IncidentCommander],
    ),
    (
        "decide_failover",
        &[("id", "999999"), ("decision", "approve")],
        &[Role::Admin, Role::IncidentCommander],
    ),
    (
        "start_failover",
        &[("id", "999999")],
        &[Role::Admin, Role::IncidentCommander],
    ),
    (
        "record_step",
        &[
            ("log", "failover"),
            ("id", "999999"),
            ("section", "main"),
            ("position", "1"),
            ("action", "start"),
        ],
        &[Role::Admin, Role::ServiceOwner, Role::IncidentCommander],
    ),
    (
        "record_step",
        &[
            ("log", "drill"),
            ("id", "999999"),
            ("section", "main"),
            ("position", "1"),
            ("action", "start"),
        ],
        &[Role::Admin, Role::ContinuityManager, Role::ServiceOwner],
    ),
    (
        "close_failover",
        &[("id", "999999"), ("action", "complete")],
        &[Role::Admin, Role::IncidentCommander],
    ),
    ("dashboard", &[], &Role::ALL),
    ("current_user", &[], &Role::ALL),
    ("users", &[], &[Role::Admin]),
    (
        "audit",
        &[],
        &[Role::Admin, Role::ContinuityManager, Role::Auditor],
    ),
    (
        "create_user",
        &[
            ("email", "bad"),
            ("name", ""),
            ("role", "viewer"),
            ("password", "x"),
        ],
        &[Role::Admin],
    ),
    (
        "change_user_role",
        &[("id", "999999"), ("role", "viewer")],
        &[Role::Admin],
    ),
    (
        "set_user_active",
        &[("id", "999999"), ("active", "false")],
        &[Role::Admin],
    ),
    ("sites", &[], &Role::ALL),
    ("site", &[("key", "NOPE")], &Role::ALL),
    ("site_form", &[], &[Role::Admin, Role::ContinuityManager]),
    (
        "save_site",
        &[("site[key]", "bad key")],
        &[Role::Admin, Role::ContinuityManager],
    ),
    (
        "delete_site",
        &[("key", "NOPE")],
        &[Role::Admin, Role::ContinuityManager],
    ),
    ("api_tokens", &[], &[Role::Admin]),
    ("revoke_api_token", &[("id", "999999")], &[Role::Admin]),
    ("services", &[], &Role::ALL),
    ("service", &[("key", "NOPE")], &Role::ALL),
    ("raci", &[], &Role::ALL),
    ("service_form", &[], &[Role::Admin, Role::ContinuityManager]),
    (
        "save_service",
        &[("service[key]", "bad key")],
        &[Role::Admin, Role::ContinuityManager, Role::ServiceOwner],
    ),
    (
        "delete_service",
        &[("key", "NOPE")],
        &[Role::Admin, Role::ContinuityManager],
    ),
    (
        "save_dependency",
        &[
            ("service", "NOPE"),
            ("depends_on", "NOPE"),
            ("kind", "hard"),
        ],
        &[Role::Admin, Role::ContinuityManager, Role::ServiceOwner],
    ),
    (
        "delete_dependency",
        &[("service", "NOPE"), ("depends_on", "OTHER")],
        &[Role::Admin, Role::ContinuityManager],
    ),
    (
        "assign_raci",
        &[
            ("subject", "service"),
            ("key", "NOPE"),
            ("party", "x"),
            ("letter", "A"),
        ],
        &[Role::Admin, Role::ContinuityManager],
    ),
    (
        "save_replication",
        &[("link[service]", "NOPE")],
        &[Role::Admin, Role::ContinuityManager, Role::ServiceOwner],
    ),
    (
        "delete_replication",
        &[("service", "NOPE"), ("link", "NOPE sync A -> B")],
        &[Role::Admin, Role::ContinuityManager],
    ),
    ("processes", &[], &Role::ALL),
    ("process", &[("key", "NOPE")], &Role::ALL),
    ("process_form", &[], &[Role::Admin, Role::ContinuityManager]),
    (
        "save_process",
        &[("process[key]", "bad key")],
        &[Role::Admin, Role::ContinuityManager],
    ),
    (
        "delete_process",
        &[("key", "NOPE")],
        &[Role::Admin, Role::ContinuityManager],
    ),
    ("vendors", &[], &Role::ALL),
    ("vendor", &[("name", "Nope")], &Role::ALL),
    ("vendor_form", &[], &[Role::Admin, Role::ContinuityManager]),
    (
        "save_vendor",
        &[("vendor[name]", "")],
        &[Role::Admin, Role::ContinuityManager],
    ),
    (
        "delete_vendor",
        &[("name", "Nope")],
        &[Role::Admin, Role::ContinuityManager],
    ),
    ("last_import", &[], &[Role::Admin, Role::ContinuityManager]),
    ("service_analysis", &[("key", "NOPE")], &Role::ALL),
    ("gaps", &[], &Role::ALL),
    ("startup_order", &[], &Role::ALL),
    ("site_loss", &[], &Role::ALL),
    ("bia", &[("process", "NOPE")], &Role::ALL),
    (
        "save_bia",
        &[("process", "NOPE"), ("bia[rto_minutes]", "1")],
        &[Role::Admin, Role::ContinuityManager],
    ),
    (
        "approve_bia",
        &[("process", "NOPE"), ("version", "1")],
        &[Role::Admin, Role::ContinuityManager],
    ),
];

both_backends! {
    async fn every_server_function_enforces_the_permission_matrix(backend: Backend) {
        let app = spawn_app(backend).await;
        for role in Role::ALL {
            let (client, _) = app.signed_in(role).await;
            for (name, form, allowed) in MATRIX {
                let res = app.call(&client, name, form).await;
                let status = res.status();
                if allowed.contains(&role) {
                    assert_ne!(status, StatusCode::FORBIDDEN, "{role} should reach {name}");
                    assert_ne!(
                        status,
                        StatusCode::UNAUTHORIZED,
                        "{role} should reach {name}"
                    );
                } else {
                    assert_eq!(
                        status,
                        StatusCode::FORBIDDEN,
                        "{role} must not reach {name}"
                    );
                    let body = json(res).await;
                    assert_eq!(body["code"], "forbidden");
                    assert!(
                        body["message"]
                            .as_str()
                            .unwrap_or_default()
                            .contains(role.label()),
                        "{body}"
                    );
                }
            }
        }
        let denials = app
            .audit_actions()
            .await
            .iter()
            .filter(|a| *a == "access_denied")
            .count();
        let expected: usize = MATRIX
            .iter()
            .map(|(_, _, allowed)| Role::ALL.len() - allowed.len())
            .sum();
        assert_eq!(denials, expected, "every denial is audited");
    }
}

/// Pages too: the page loads for allowed roles and says 403 otherwise.
const PAGES: &[(&str, &[Role])] = &[
    ("/", &Role::ALL),
    ("/users", &[Role::Admin]),
    (
        "/audit",
        &[Role::Admin, Role::ContinuityManager, Role::Auditor],
    ),
    ("/sites", &Role::ALL),
    ("/sites/new", &[Role::Admin, Role::ContinuityManager]),
    ("/services", &Role::ALL),
    ("/services/new", &[Role::Admin, Role::ContinuityManager]),
    ("/raci", &Role::ALL),
    ("/processes", &Role::ALL),
    ("/processes/new", &[Role::Admin, Role::ContinuityManager]),
    ("/vendors", &Role::ALL),
    ("/vendors/new", &[Role::Admin, Role::ContinuityManager]),
    ("/import", &[Role::Admin, Role::ContinuityManager]),
    ("/gaps", &Role::ALL),
    ("/startup", &Role::ALL),
    ("/simulation", &Role::ALL),
    ("/runbooks", &Role::ALL),
    ("/failover", &Role::ALL),
    ("/drills", &Role::ALL),
    ("/coverage", &Role::ALL),
    ("/actions", &Role::ALL),
    ("/trends", &Role::ALL),
    ("/reports", BOARD),
];

both_backends! {
    async fn every_page_enforces_the_permission_matrix(backend: Backend) {
        let app = spawn_app(backend).await;
        for role in Role::ALL {
            let (client, _) = app.signed_in(role).await;
            for (path, allowed) in PAGES {
                let res = client.get(app.url(path)).send().await.unwrap();
                let status = res.status();
                let html = res.text().await.unwrap_or_else(|e| panic!("{role} on {path}: {e:?}"));
                if allowed.contains(&role) {
                    assert_eq!(status, StatusCode::OK, "{role} on {path}");
                } else {
                    assert_eq!(status, StatusCode::FORBIDDEN, "{role} on {path}");
                    assert!(html.contains("may not"), "{role} on {path}: {html}");
                }
            }
        }
    }
}

both_backends! {
    async fn admins_manage_users_and_each_change_is_audited(backend: Backend) {
        let app = spawn_app(backend).await;
        let (admin, _) = app.signed_in(Role::Admin).await;

        let created = app
            .call(
                &admin,
                "create_user",
                &[
                    ("email", "New.Person@Example.com"),
                    ("name", "New Person"),
                    ("role", "service_owner"),
                    ("password", PASSWORD),
                ],
            )
            .await;
        assert_eq!(created.status(), StatusCode::OK);
        let user = json(created).await;
        assert_eq!(user["email"], "new.person@example.com");
        assert_eq!(user["role"], "service_owner");
        let id = user["id"].as_i64().unwrap().to_string();

        let person = app.client();
        assert_eq!(
            app.sign_in(&person, "new.person@example.com", PASSWORD)
                .await
                .status(),
            StatusCode::OK
        );
        assert_eq!(
            app.call(&person, "users", &[]).await.status(),
            StatusCode::FORBIDDEN
        );

        let promoted = app
            .call(
                &admin,
                "change_user_role",
                &[("id", &id), ("role", "admin")],
            )
            .await;
        assert_eq!(json(promoted).await["role"], "admin");
        assert_eq!(
            app.call(&person, "users", &[]).await.status(),
            StatusCode::OK,
            "a role change applies at once"
        );

        let off = app
            .call(
                &admin,
                "set_user_active",
                &[("id", &id), ("active", "false")],
            )
            .await;
        assert_eq!(json(off).await["active"], false);
        assert_eq!(
            app.call(&person, "dashboard", &[]).await.status(),
            StatusCode::UNAUTHORIZED,
            "a deactivated user's session ends"
        );
        assert_eq!(
            app.sign_in(&person, "new.person@example.com", PASSWORD)
                .await
                .status(),
            StatusCode::UNPROCESSABLE_ENTITY
        );

        let actions = app.audit_actions().await;
        for action in ["user_created", "user_role_changed", "user_deactivated"] {
            assert!(
                actions.contains(&action.to_string()),
                "{action} in {actions:?}"
            );
        }
    }
}

both_backends! {
    async fn bad_user_input_names_the_field_and_changes_nothing(backend: Backend) {
        let app = spawn_app(backend).await;
        let (admin, me) = app.signed_in(Role::Admin).await;
        let users_before = app.user_count().await;
        let audit_before = app.audit_actions().await.len();

        let cases: &[(&[(&str, &str)], &str)] = &[
            (
                &[
                    ("email", "not-an-email"),
                    ("name", ""),
                    ("role", "viewer"),
                    ("password", PASSWORD),
                ],
                "email",
            ),
            (
                &[
                    ("email", "a@example.com"),
                    ("name", ""),
                    ("role", "root"),
                    ("password", PASSWORD),
                ],
                "role",
            ),
            (
                &[
                    ("email", "a@example.com"),
                    ("name", ""),
                    ("role", "viewer"),
                    ("password", "short"),
                ],
                "password",
            ),
            (
                &[
                    ("email", &me.email),
                    ("name", ""),
                    ("role", "viewer"),
                    ("password", PASSWORD),
                ],
                "email",
            ),
        ];
        for (form, field) in cases {
            let res = app.call(&admin, "create_user", form).await;
            assert_eq!(res.status(), StatusCode::UNPROCESSABLE_ENTITY, "{form:?}");
            let body = json(res).await;
            assert_eq!(body["field"], *field, "{body}");
            assert!(!body["message"].as_str().unwrap_or_default().is_empty());
        }
        let bad_id = app
            .call(
                &admin,
                "change_user_role",
                &[("id", "twelve"), ("role", "viewer")],
            )
            .await;
        assert_eq!(bad_id.status(), StatusCode::BAD_REQUEST);
        let body = bad_id.text().await.unwrap();
        assert!(
            !body.to_lowercase().contains("select"),
            "no SQL in responses: {body}"
        );

        assert_eq!(app.user_count().await, users_before);
        assert_eq!(app.audit_actions().await.len(), audit_before);
    }
}

both_backends! {
    async fn the_last_admin_cannot_be_removed(backend: Backend) {
        let app = spawn_app(backend).await;
        let (admin, me) = app.signed_in(Role::Admin).await;
        let id = me.id.to_string();
        let demote = app
            .call(
                &admin,
                "change_user_role",
                &[("id", &id), ("role", "viewer")],
            )
            .await;
        assert_eq!(demote.status(), StatusCode::CONFLICT);
        assert!(json(demote).await["message"]
            .as_str()
            .unwrap_or_default()
            .contains("last active administrator"));
        let off = app
            .call(
                &admin,
                "set_user_active",
                &[("id", &id), ("active", "false")],
            )
            .await;
        assert_eq!(off.status(), StatusCode::CONFLICT);
    }
}

both_backends! {
    async fn cross_site_writes_are_refused(backend: Backend) {
        let app = spawn_app(backend).await;
        let user = app.with_user(Role::Admin).await;
        let client = app.client();
        let form = [
            ("email", user.email.as_str()),
            ("password", PASSWORD),
            ("next", ""),
        ];
        let forged = client
            .post(app.url("/fn/login"))
            .header("origin", "http://evil.example")
            .form(&form)
            .send()
            .await
            .unwrap();
        assert_eq!(forged.status(), StatusCode::FORBIDDEN);
        let fetch = client
            .post(app.url("/fn/login"))
            .header("sec-fetch-site", "cross-site")
            .form(&form)
            .send()
            .await
            .unwrap();
        assert_eq!(fetch.status(), StatusCode::FORBIDDEN);
        assert!(
            !app.audit_actions().await.contains(&"login".to_string()),
            "nothing happened"
        );
        let same = client
            .post(app.url("/fn/login"))
            .header("origin", format!("http://{}", app.addr))
            .form(&form)
            .send()
            .await
            .unwrap();
        assert_eq!(same.status(), StatusCode::OK);
    }
}

both_backends! {
    async fn every_response_carries_the_security_headers(backend: Backend) {
        let app = spawn_app(backend).await;
        let client = app.client();
        for path in ["/login", "/healthz", "/favicon.svg"] {
            let res = client.get(app.url(path)).send().await.unwrap();
            let h = res.headers();
            assert_eq!(h["x-frame-options"], "DENY", "{path}");
            assert_eq!(h["x-content-type-options"], "nosniff", "{path}");
            assert_eq!(h["referrer-policy"], "same-origin", "{path}");
            let csp = h["content-security-policy"].to_str().unwrap();
            assert!(
                csp.contains("frame-ancestors 'none'") && !csp.contains("unsafe-inline"),
                "{csp}"
            );
        }
        let res = client.get(app.url("/login")).send().await.unwrap();
        let csp = res.headers()["content-security-policy"]
            .to_str()
            .unwrap()
            .to_string();
        let nonce = csp
            .split("'nonce-")
            .nth(1)
            .and_then(|s| s.split('\'').next())
            .unwrap()
            .to_string();
        let html = res.text().await.unwrap();
        assert!(
            html.contains(&format!("nonce=\"{nonce}\"")),
            "the page's scripts carry the header's nonce"
        );
    }
}

both_backends! {
    async fn a_plain_form_post_redirects_back_with_the_error(backend: Backend) {
        let app = spawn_app(backend).await;
        let user = app.with_user(Role::Viewer).await;
        let client = app.client();
        let post = |password: &'static str| {
            client
                .post(app.url("/fn/login"))
                .header("accept", "text/html")
                .header("referer", app.url("/login"))
                .form(&[
                    ("email", user.email.as_str()),
                    ("password", password),
                    ("next", "/audit"),
                ])
                .send()
        };
        let wrong = post("not the password").await.unwrap();
        assert_eq!(wrong.status(), StatusCode::FOUND);
        let back = wrong.headers()["location"].to_str().unwrap().to_string();
        assert!(back.contains("__err="), "{back}");
        let page = client
            .get(&back)
            .send()
            .await
            .unwrap()
            .text()
            .await
            .unwrap();
        assert!(
            page.contains("Wrong email or password."),
            "the error shows without JavaScript"
        );

        let right = post(PASSWORD).await.unwrap();
        assert_eq!(right.status(), StatusCode::FOUND);
        assert_eq!(right.headers()["location"], "/audit");
    }
}

both_backends! {
    async fn the_audit_page_filters_and_shows_the_chain_state(backend: Backend) {
        let app = spawn_app(backend).await;
        let (auditor, _) = app.signed_in(Role::Auditor).await;
        app.sign_in(&app.client(), "someone@example.com", "wrong password")
            .await;

        let all = json(app.call(&auditor, "audit", &[]).await).await;
        assert!(all["chain"]["broken"].is_null());
        let failed = json(
            app.call(&auditor, "audit", &[("filter[action]", "login_failed")])
                .await,
        )
        .await;
        let events = failed["events"].as_array().unwrap();
        assert_eq!(events.len(), 1);
        assert_eq!(events[0]["entity_id"], "someone@example.com");

        let bad = app
            .call(&auditor, "audit", &[("filter[from]", "yesterday")])
            .await;
        assert_eq!(bad.status(), StatusCode::UNPROCESSABLE_ENTITY);
        assert_eq!(json(bad).await["field"], "from");

        let page = auditor
            .get(app.url("/audit?action=login_failed"))
            .send()
            .await
            .unwrap()
            .text()
            .await
            .unwrap();
        assert!(page.contains("Audit chain verified"), "{page}");
        assert!(page.contains("someone@example.com"));
    }
}

both_backends! {
    async fn an_edited_audit_row_breaks_the_chain_on_the_page(backend: Backend) {
        let app = spawn_app(backend).await;
        let (auditor, _) = app.signed_in(Role::Auditor).await;
        app.sign_in(&app.client(), "x@example.com", "wrong password")
            .await;
        let tamper = "UPDATE audit_events SET actor = 'mallory' WHERE seq = 2";
        app::on_db!(&app.db, p => sqlx::query(tamper).execute(p).await.map(|_| ())).unwrap();
        let status = json(app.call(&auditor, "audit", &[]).await).await;
        assert_eq!(status["chain"]["broken"]["Content"]["seq"], 2, "{status}");
    }
}

/// The server keeps serving while the database is away, says so on
/// /readyz, and recovers by itself.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn readiness_follows_the_database_without_a_restart() {
    use continuity_server::config::ServeArgs;
    use continuity_tests::proxy::Proxy;
    let (db, url, _store) = continuity_tests::fresh_database(Backend::Postgres).await;
    db.migrate().await.unwrap();
    let host: std::net::SocketAddr = "127.0.0.1:5432".parse().unwrap();
    let proxy = Proxy::start(host).await;
    let via_proxy = url.replace("127.0.0.1:5432", &proxy.addr.to_string());
    let proxied = app::server::db::Db::connect(&via_proxy).await.unwrap();
    let addr = continuity_tests::serve(
        proxied,
        &ServeArgs::for_tests(&continuity_tests::site_root()),
    )
    .await;
    let client = reqwest::Client::builder()
        .timeout(std::time::Duration::from_secs(30))
        .build()
        .unwrap();
    let ready = || client.get(format!("http://{addr}/readyz")).send();

    assert_eq!(ready().await.unwrap().status(), StatusCode::OK);
    proxy.down();
    let down = ready().await.unwrap();
    assert_eq!(down.status(), StatusCode::SERVICE_UNAVAILABLE);
    let body = json(down).await;
    assert_eq!(body["status"], "unavailable");
    assert!(body["reason"]
        .as_str()
        .unwrap_or_default()
        .contains("database"));
    proxy.up();
    assert_eq!(ready().await.unwrap().status(), StatusCode::OK);
    if let (app::server::db::Db::Postgres(pool), Some(name)) = (&db, url.rsplit('/').next()) {
        pool.close().await;
        let admin = app::server::db::Db::connect(&continuity_tests::postgres_admin_url())
            .await
            .unwrap();
        app::on_db!(&admin, p => sqlx::query(&format!("DROP DATABASE IF EXISTS {name} WITH (FORCE)")).execute(p).await.map(|_| ())).unwrap();
    }
}

/// Both backends get the same tables and columns from their migrations.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn sqlite_and_postgres_schemas_match() {
    let sqlite = continuity_tests::spawn_app(Backend::Sqlite).await;
    let postgres = continuity_tests::spawn_app(Backend::Postgres).await;
    let sqlite_columns: Vec<(String, String)> = match &sqlite.db {
        app::server::db::Db::Sqlite(p) => sqlx::query_as(
            "SELECT m.name, p.name FROM sqlite_master m JOIN pragma_table_info(m.name) p \
             WHERE m.type = 'table' AND m.name NOT LIKE 'sqlite_%' AND m.name NOT LIKE '_sqlx%' ORDER BY 1, 2",
        )
        .fetch_all(p)
        .await
        .unwrap(),
        _ => unreachable!(),
    };
    let postgres_columns: Vec<(String, String)> = match &postgres.db {
        app::server::db::Db::Postgres(p) => sqlx::query_as(
            "SELECT table_name::text, column_name::text FROM information_schema.columns \
             WHERE table_schema = 'public' AND table_name NOT LIKE '_sqlx%' ORDER BY 1, 2",
        )
        .fetch_all(p)
        .await
        .unwrap(),
        _ => unreachable!(),
    };
    assert!(sqlite_columns.len() > 10);
    assert_eq!(sqlite_columns, postgres_columns);
}
