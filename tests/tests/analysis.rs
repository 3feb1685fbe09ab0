//! BIA versions and the recovery analysis over HTTP on both backends: the
//! lifecycle, the numbers on the pages and the API, lag samples, site
//! loss, bad input.

use app::domain::access::{Permission, Role};
use app::domain::inventory::csv_file::Exchange;
use app::server::auth::Granted;
use app::server::usecases::{audit::now, import::import, tokens};
use continuity_tests::{both_backends, spawn_app, TestApp};
use reqwest::StatusCode;
use serde_json::{json, Value};

async fn json(res: reqwest::Response) -> Value {
    res.json().await.expect("a JSON body")
}

const SITES: &str = "key,name,region,country,kind,cpu_cores,memory_gb,storage_tb\n\
                     DC-FRA,Frankfurt,eu,DE,datacenter,100,100,100\nDC-AMS,Amsterdam,eu,NL,datacenter,10,10,10\n";
const SERVICES: &str = "key,name,kind,owner_team,tier,primary_site,secondary_site,topology,recovery_minutes,cpu_cores,memory_gb,storage_tb,dns_ttl_seconds,stateful,data_jurisdictions\n\
    WEB,Web shop,application,Digital,,DC-FRA,DC-AMS,hot_standby,20,4,4,1,60,false,\n\
    DB,Orders database,database,Data,,DC-FRA,DC-AMS,hot_standby,45,8,8,2,60,true,DE;NL\n\
    IDP,Sign-in,identity,IAM,,DC-FRA,DC-AMS,hot_standby,30,2,2,0,60,false,\n";
const DEPENDENCIES: &str = "service,depends_on,kind\nWEB,DB,hard\nDB,IDP,hard\n";
const PROCESSES: &str = "key,name,owner,criticality,services\nSHOP,Online shop,CCO,critical,WEB\n";
const REPLICATION: &str = "service,mode,source_site,target_site,interval_minutes,expected_lag_seconds,encrypted_in_transit,encrypted_at_rest\n\
    DB,async,DC-FRA,DC-AMS,,30,true,true\n";

async fn shop(app: &TestApp) {
    app.import_csv(&[
        (Exchange::Sites, SITES),
        (Exchange::Services, SERVICES),
        (Exchange::Dependencies, DEPENDENCIES),
        (Exchange::Processes, PROCESSES),
        (Exchange::Replication, REPLICATION),
    ])
    .await;
}

fn bia(
    rto: &'static str,
    rpo: &'static str,
    mtpd: &'static str,
) -> Vec<(&'static str, &'static str)> {
    vec![
        ("process", "SHOP"),
        ("bia[rto_minutes]", rto),
        ("bia[rpo_minutes]", rpo),
        ("bia[mtpd_minutes]", mtpd),
        ("bia[mbco]", "take orders"),
        ("bia[impacts][financial_60]", "2"),
        ("bia[impacts][reputational_240]", "4"),
    ]
}

both_backends! {
    async fn a_bia_is_drafted_approved_and_versioned_and_sets_the_targets(backend: Backend) {
        let app = spawn_app(backend).await;
        shop(&app).await;
        let (manager, _) = app.signed_in(Role::ContinuityManager).await;

        let res = app.call(&manager, "save_bia", &bia("600", "5", "480")).await;
        assert_eq!(res.status(), StatusCode::UNPROCESSABLE_ENTITY);
        let body = json(res).await;
        assert_eq!(body["errors"][0]["field"], "rto_minutes", "{body}");
        assert!(body["errors"][0]["message"].as_str().unwrap().contains("MTPD"));

        assert_eq!(app.call(&manager, "save_bia", &bia("60", "5", "240")).await.status(), StatusCode::OK);
        let web = json(app.call(&manager, "service_analysis", &[("key", "WEB")]).await).await;
        assert!(web["target_rto_minutes"].is_null(), "a draft sets no target");

        let (viewer, _) = app.signed_in(Role::Viewer).await;
        let approve = [("process", "SHOP"), ("version", "1")];
        assert_eq!(app.call(&viewer, "approve_bia", &approve).await.status(), StatusCode::FORBIDDEN);
        assert_eq!(app.call(&manager, "approve_bia", &approve).await.status(), StatusCode::OK);
        assert_eq!(app.call(&manager, "approve_bia", &approve).await.status(), StatusCode::CONFLICT, "approved already");

        let web = json(app.call(&manager, "service_analysis", &[("key", "WEB")]).await).await;
        assert_eq!(web["target_rto_minutes"], 60);
        assert_eq!(web["target_rto_reason"], "BIA of SHOP: RTO 60 min");
        assert_eq!(web["achievable_rto_minutes"], 95);
        assert_eq!(web["critical_path"], json!(["WEB", "DB", "IDP"]));
        assert_eq!(web["critical_path_minutes"], json!([20, 45, 30]));
        let kinds: Vec<&str> = web["findings"].as_array().unwrap().iter().map(|f| f["kind"].as_str().unwrap()).collect();
        assert!(kinds.contains(&"rto_gap"), "{kinds:?}");
        let db = json(app.call(&manager, "service_analysis", &[("key", "DB")]).await).await;
        assert_eq!(db["target_rto_minutes"], 40, "60 for WEB minus WEB's 20");
        assert_eq!(db["target_rpo_minutes"], 5);
        assert_eq!(db["achievable_rpo_minutes"], 0.5, "the expected lag, 30 s");

        assert_eq!(app.call(&manager, "save_bia", &bia("120", "5", "240")).await.status(), StatusCode::OK);
        let view = json(app.call(&manager, "bia", &[("process", "SHOP")]).await).await;
        let versions: Vec<(u64, &str)> = view["versions"].as_array().unwrap().iter()
            .map(|v| (v["version"].as_u64().unwrap(), v["status"].as_str().unwrap())).collect();
        assert_eq!(versions, [(2, "draft"), (1, "approved")]);
        assert_eq!(view["input"]["impacts"]["reputational_240"], "4");
        let web = json(app.call(&manager, "service_analysis", &[("key", "WEB")]).await).await;
        assert_eq!(web["target_rto_minutes"], 60, "the approved version still counts");

        let res = app.call(&manager, "delete_process", &[("key", "SHOP")]).await;
        assert_eq!(res.status(), StatusCode::CONFLICT);
        let process = json(app.call(&manager, "process", &[("key", "SHOP")]).await).await;
        let fields: Vec<&str> = process["history"][0]["fields"].as_array().unwrap().iter().map(|f| f["field"].as_str().unwrap()).collect();
        assert!(fields.contains(&"BIA v2 rto_minutes"), "{fields:?}");
        let actions = app.audit_actions().await;
        assert!(actions.contains(&"bia_saved".to_string()) && actions.contains(&"bia_approved".to_string()));
    }
}

both_backends! {
    async fn the_api_cli_and_pages_share_the_analysis_and_lag_samples_feed_it(backend: Backend) {
        let app = spawn_app(backend).await;
        shop(&app).await;
        let (manager, _) = app.signed_in(Role::ContinuityManager).await;
        app.call(&manager, "save_bia", &bia("60", "0", "240")).await;
        app.call(&manager, "approve_bia", &[("process", "SHOP"), ("version", "1")]).await;
        let user = app.with_user(Role::ContinuityManager).await;
        let (_, token) = tokens::create(&app.db, &Granted::operator(Permission::ManageUsers), &user.email, "mon", now()).await.unwrap();
        let client = reqwest::Client::new();

        let api: Value = client.get(app.url("/api/v1/analysis")).bearer_auth(&token).send().await.unwrap().json().await.unwrap();
        let keys: Vec<&str> = api["services"].as_array().unwrap().iter().map(|s| s["key"].as_str().unwrap()).collect();
        assert_eq!(keys, ["DB", "IDP", "WEB"]);
        let page = json(app.call(&manager, "service_analysis", &[("key", "DB")]).await).await;
        assert_eq!(api["services"][0], page, "the page and the API give the same numbers");
        assert!(api["cycles"].as_array().unwrap().is_empty());
        assert!(api["portfolio_score"].is_number());

        let push = |body: Value| client.post(app.url("/api/v1/lag")).bearer_auth(&token).json(&body).send();
        let samples: Vec<Value> = (1..=20).map(|i| json!({ "lag_seconds": i * 60 })).collect();
        let link = json!({ "service": "DB", "mode": "async", "source_site": "DC-FRA", "target_site": "DC-AMS", "samples": samples });
        let res = push(link.clone()).await.unwrap();
        assert_eq!(res.status(), StatusCode::OK);
        assert_eq!(json(res).await["recorded"], 20);
        let db = json(app.call(&manager, "service_analysis", &[("key", "DB")]).await).await;
        assert_eq!(db["achievable_rpo_minutes"], 19.0, "the 95th percentile of the samples");
        assert!(db["findings"].as_array().unwrap().iter().any(|f| f["kind"] == "rpo_gap"));

        let mut unknown = link.clone();
        unknown["target_site"] = json!("DC-FRA");
        assert_eq!(push(unknown).await.unwrap().status(), StatusCode::NOT_FOUND);
        let mut bad = link.clone();
        bad["samples"] = json!([{ "lag_seconds": -3 }]);
        let res = push(bad).await.unwrap();
        assert_eq!(res.status(), StatusCode::UNPROCESSABLE_ENTITY);
        let body = json(res).await;
        assert_eq!(body["error"]["details"]["errors"][0]["field"], "samples[0]", "{body}");

        let loss: Value = client.get(app.url("/api/v1/simulations/site-loss?site=DC-FRA")).bearer_auth(&token).send().await.unwrap().json().await.unwrap();
        assert_eq!(loss["waves"], json!([["IDP"], ["DB"], ["WEB"]]));
        assert_eq!(loss["processes_affected"], json!(["SHOP"]));
        let web = loss["services"].as_array().unwrap().iter().find(|s| s["key"] == "WEB").unwrap();
        assert_eq!((web["state"].as_str(), web["downtime_minutes"].as_u64(), web["breaches_rto"].as_bool()), (Some("failed_over"), Some(95), Some(true)));
        assert_eq!(loss["capacity"][0]["site"], "DC-AMS");
        let res = client.get(app.url("/api/v1/simulations/site-loss?site=NOPE")).bearer_auth(&token).send().await.unwrap();
        assert_eq!(res.status(), StatusCode::NOT_FOUND);

        let gaps = json(app.call(&manager, "gaps", &[("query[kind]", "rto_gap")]).await).await;
        assert!(gaps["gaps"].as_array().unwrap().iter().all(|g| g["finding"]["kind"] == "rto_gap"));
        assert_eq!(gaps["gaps"][0]["service"], "DB");
        let bad = app.call(&manager, "gaps", &[("query[kind]", "nonsense")]).await;
        assert_eq!(bad.status(), StatusCode::UNPROCESSABLE_ENTITY);
        let order = json(app.call(&manager, "startup_order", &[]).await).await;
        assert_eq!(order["waves"][0][0]["key"], "IDP");
        assert_eq!(order["waves"][0][0]["identity"], true);
        let page = manager.get(app.url("/simulation?site=DC-FRA")).send().await.unwrap().text().await.unwrap();
        assert!(page.contains("breach their RTO") && page.contains("DC-AMS"), "{page}");
    }
}

both_backends! {
    async fn bia_csv_imports_and_round_trips(backend: Backend) {
        let app = spawn_app(backend).await;
        shop(&app).await;
        let csv = "process,rto_minutes,rpo_minutes,mtpd_minutes,mbco,status\nSHOP,60,5,240,take orders,approved\n";
        let files = vec![(Exchange::Bia, csv.as_bytes().to_vec())];
        let done = import(&app.db, &Granted::operator(Permission::ImportCsv), files, now()).await.unwrap();
        assert_eq!(done[0].created, 1);
        let table = app::server::usecases::import::export(&app.db, Exchange::Bia).await.unwrap();
        assert_eq!(table.to_csv(), csv.replace('\n', "\r\n"));
        let again = vec![(Exchange::Bia, csv.as_bytes().to_vec())];
        let done = import(&app.db, &Granted::operator(Permission::ImportCsv), again, now()).await.unwrap();
        assert_eq!(done[0].unchanged, 1);
        let bad = "process,rto_minutes,rpo_minutes,mtpd_minutes,mbco,status\nNOPE,60,5,240,,draft\nSHOP,500,5,240,,approved\n";
        let err = import(&app.db, &Granted::operator(Permission::ImportCsv), vec![(Exchange::Bia, bad.as_bytes().to_vec())], now()).await.unwrap_err();
        let text = err.to_string();
        assert!(text.contains("line 2, column process: there is no process NOPE") && text.contains("line 3, column rto_minutes"), "{text}");
    }
}
