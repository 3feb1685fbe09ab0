//! The JSON API over HTTP on both backends: bearer tokens, export, list,
//! all-or-nothing import with every bad row, JSON errors, revocation.

use app::domain::access::{Permission, Role};
use app::server::auth::Granted;
use app::server::usecases::{audit::now, tokens};
use continuity_tests::{both_backends, spawn_app, TestApp};
use reqwest::StatusCode;
use serde_json::Value;

async fn token_for(app: &TestApp, role: Role) -> (i64, String) {
    let user = app.with_user(role).await;
    let operator = Granted::operator(Permission::ManageUsers);
    tokens::create(&app.db, &operator, &user.email, "test", now())
        .await
        .unwrap()
}

const SITES: &str = "key,name,region,country,kind,cpu_cores,memory_gb,storage_tb\r\n\
                     DC-FRA,Frankfurt,eu-central,DE,datacenter,100,200,3\r\n";
const SERVICES: &str = "key,name,kind,owner_team,tier,primary_site,secondary_site,topology,recovery_minutes,cpu_cores,memory_gb,storage_tb,dns_ttl_seconds,stateful,data_jurisdictions\r\n\
                        PAY-API,Payments,application,Payments,0,DC-FRA,,hot_standby,10,8,16,0,60,false,DE\r\n\
                        IDP,Identity,identity,IAM,0,DC-FRA,,hot_standby,10,8,16,0,60,true,DE;NL\r\n";

both_backends! {
    async fn a_token_exports_lists_and_imports_all_or_nothing(backend: Backend) {
        let app = spawn_app(backend).await;
        let (_, manager) = token_for(&app, Role::ContinuityManager).await;
        let client = reqwest::Client::new();
        let post = |entity: &str, body: &'static str| {
            client.post(app.url(&format!("/api/v1/import/{entity}"))).bearer_auth(&manager).header("content-type", "text/csv").body(body).send()
        };
        let res = post("sites", SITES).await.unwrap();
        assert_eq!(res.status(), StatusCode::OK);
        let body: Value = res.json().await.unwrap();
        assert_eq!(body["imported"][0]["created"], 1);
        assert_eq!(post("services", SERVICES).await.unwrap().status(), StatusCode::OK);

        let bad = "service,depends_on,kind\nPAY-API,IDP,hard\nPAY-API,PAY-API,hard\nPAY-API,NOPE,soft\nIDP,PAY-API,sometimes\n";
        let res = post("dependencies", bad).await.unwrap();
        assert_eq!(res.status(), StatusCode::UNPROCESSABLE_ENTITY);
        let body: Value = res.json().await.unwrap();
        assert_eq!(body["error"]["code"], "invalid_file");
        let errors = body["error"]["details"]["files"][0]["errors"].as_array().unwrap();
        let lines: Vec<(u64, &str)> = errors.iter().map(|e| (e["line"].as_u64().unwrap(), e["column"].as_str().unwrap())).collect();
        assert_eq!(lines, vec![(3, "depends_on"), (4, "depends_on"), (5, "kind")]);
        assert_eq!(app::server::db::dependencies::count(&app.db).await.unwrap(), 0, "the good row was not taken either");

        let csv = client.get(app.url("/api/v1/export/services")).bearer_auth(&manager).send().await.unwrap();
        assert_eq!(csv.status(), StatusCode::OK);
        assert!(csv.headers()["content-type"].to_str().unwrap().starts_with("text/csv"));
        let rows: Vec<&str> = SERVICES.lines().collect();
        let by_key = format!("{}\r\n{}\r\n{}\r\n", rows[0], rows[2], rows[1]);
        assert_eq!(csv.text().await.unwrap(), by_key, "the file as imported, by key");

        let list: Value = client.get(app.url("/api/v1/services")).bearer_auth(&manager).send().await.unwrap().json().await.unwrap();
        assert_eq!(list["services"][0]["key"], "IDP");
        assert_eq!(list["services"][0]["data_jurisdictions"], "DE;NL");
        let (browser, _) = app.signed_in(Role::Viewer).await;
        let page = browser.get(app.url("/services")).send().await.unwrap().text().await.unwrap();
        assert!(page.contains("href=\"/api/v1/export/services\""), "the list links to its export");
        let download = browser.get(app.url("/api/v1/export/services")).send().await.unwrap();
        assert_eq!(download.status(), StatusCode::OK, "the signed-in session downloads it");
        let unknown = client.get(app.url("/api/v1/passwords")).bearer_auth(&manager).send().await.unwrap();
        assert_eq!(unknown.status(), StatusCode::NOT_FOUND);
    }
}

both_backends! {
    async fn tokens_act_with_their_role_and_stop_when_revoked(backend: Backend) {
        let app = spawn_app(backend).await;
        let client = reqwest::Client::new();
        let anonymous = client.get(app.url("/api/v1/sites")).send().await.unwrap();
        assert_eq!(anonymous.status(), StatusCode::UNAUTHORIZED);
        let body: Value = anonymous.json().await.unwrap();
        assert_eq!(body["error"]["code"], "unauthorized");
        let forged = client.get(app.url("/api/v1/sites")).bearer_auth("ct_forged").send().await.unwrap();
        assert_eq!(forged.status(), StatusCode::UNAUTHORIZED);

        let (id, viewer) = token_for(&app, Role::Viewer).await;
        let read = client.get(app.url("/api/v1/sites")).bearer_auth(&viewer).send().await.unwrap();
        assert_eq!(read.status(), StatusCode::OK);
        let import = client.post(app.url("/api/v1/import/sites")).bearer_auth(&viewer).body(SITES).send().await.unwrap();
        assert_eq!(import.status(), StatusCode::FORBIDDEN);
        let body: Value = import.json().await.unwrap();
        assert!(body["error"]["message"].as_str().unwrap().contains("may not import"), "{body}");
        assert!(app.audit_actions().await.contains(&"access_denied".to_string()));

        let (admin, _) = app.signed_in(Role::Admin).await;
        let listed: Value = app.call(&admin, "api_tokens", &[]).await.json().await.unwrap();
        assert_eq!(listed[0]["id"], id);
        assert!(!listed.to_string().contains(&viewer[3..]), "the secret is never shown again");
        let revoked = app.call(&admin, "revoke_api_token", &[("id", id.to_string().as_str())]).await;
        assert_eq!(revoked.status(), StatusCode::OK);
        let after = client.get(app.url("/api/v1/sites")).bearer_auth(&viewer).send().await.unwrap();
        assert_eq!(after.status(), StatusCode::UNAUTHORIZED);
        let actions = app.audit_actions().await;
        assert!(actions.contains(&"token_created".to_string()) && actions.contains(&"token_revoked".to_string()));
    }
}

both_backends! {
    async fn the_openapi_document_describes_every_route(backend: Backend) {
        let app = spawn_app(backend).await;
        let res = reqwest::get(app.url("/api/v1/openapi.json")).await.unwrap();
        assert_eq!(res.status(), StatusCode::OK, "public, before any token");
        let doc: Value = res.json().await.unwrap();
        let paths = doc["paths"].as_object().unwrap();
        for path in ["/api/v1/{entity}", "/api/v1/export/{entity}", "/api/v1/import/{entity}", "/api/v1/analysis", "/api/v1/simulations/site-loss", "/api/v1/lag"] {
            assert!(paths.contains_key(path), "{path}");
        }
        let entities = doc["paths"]["/api/v1/{entity}"]["get"]["parameters"][0]["schema"]["enum"].as_array().unwrap();
        assert_eq!(entities.len(), 7);
    }
}
