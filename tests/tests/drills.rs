//! Drills, coverage, post-mortems and action items over HTTP on both
//! backends: planning with backup warnings, results by service owners
//! against targets, completion feeding demonstrated recovery and the
//! `untested` finding, tabletops, and bad input.

use app::domain::access::Role;
use app::domain::inventory::csv_file::Exchange;
use continuity_tests::{both_backends, spawn_app, TestApp};
use reqwest::{Client, StatusCode};
use serde_json::Value;

async fn json(res: reqwest::Response) -> Value {
    res.json().await.expect("a JSON body")
}

const SITES: &str = "key,name,region,country,kind,cpu_cores,memory_gb,storage_tb\n\
                     DC-FRA,Frankfurt,eu,DE,datacenter,100,100,100\nDC-AMS,Amsterdam,eu,NL,datacenter,100,100,100\n";
const SERVICES: &str = "key,name,kind,owner_team,tier,primary_site,secondary_site,topology,recovery_minutes,cpu_cores,memory_gb,storage_tb,dns_ttl_seconds,stateful,data_jurisdictions\n\
    IDP,Sign-in,identity,IAM,0,DC-FRA,DC-AMS,hot_standby,10,1,1,0,60,false,\n\
    PAY-DB,Payments database,database,Payments,0,DC-FRA,DC-AMS,hot_standby,30,1,1,1,60,true,DE;NL\n\
    PAY-API,Payments API,application,Payments,0,DC-FRA,DC-AMS,hot_standby,10,1,1,0,60,false,\n";
const PROCESSES: &str =
    "key,name,owner,criticality,services\nPAY,Take payments,CFO,critical,PAY-API\n";
const BIA: &str =
    "process,rto_minutes,rpo_minutes,mtpd_minutes,mbco,status\nPAY,60,15,240,,approved\n";

async fn inventory(app: &TestApp, manager: &Client) {
    app.import_csv(&[
        (Exchange::Sites, SITES),
        (Exchange::Services, SERVICES),
        (
            Exchange::Dependencies,
            "service,depends_on,kind\nPAY-API,PAY-DB,hard\n",
        ),
        (Exchange::Processes, PROCESSES),
        (Exchange::Bia, BIA),
    ])
    .await;
    let backup = [
        ("link[service]", "PAY-DB"),
        ("link[mode]", "backup"),
        ("link[source_site]", "DC-FRA"),
        ("link[target_site]", "DC-AMS"),
        ("link[interval_minutes]", "60"),
        ("link[backup_window]", "23:00-01:00"),
    ];
    let res = app.call(manager, "save_replication", &backup).await;
    assert_eq!(
        res.status(),
        StatusCode::OK,
        "{}",
        res.text().await.unwrap()
    );
}

fn plan<'a>(kind: &'a str, services: &'a str) -> Vec<(&'a str, &'a str)> {
    vec![
        ("drill[title]", "Payments failover rehearsal"),
        ("drill[kind]", kind),
        ("drill[starts_at]", "2026-12-05T22:00"),
        ("drill[ends_at]", "2026-12-06T02:00"),
        ("drill[services]", services),
        ("drill[participants]", "Sam Owner; Acme Cloud"),
    ]
}

async fn result(
    app: &TestApp,
    client: &Client,
    id: &str,
    service: &str,
    minutes: &str,
    checks: &str,
) -> reqwest::Response {
    let form = [
        ("id", id),
        ("service", service),
        ("result[measured_minutes]", minutes),
        ("result[data_loss_minutes]", "0"),
        ("result[checks]", checks),
    ];
    app.call(client, "record_drill_result", &form).await
}

fn finding_kinds(analysis: &Value) -> Vec<String> {
    analysis["findings"]
        .as_array()
        .unwrap()
        .iter()
        .map(|f| f["kind"].as_str().unwrap().to_string())
        .collect()
}

both_backends! {
    async fn a_drill_is_planned_run_by_owners_and_feeds_the_analysis(backend: Backend) {
        let app = spawn_app(backend).await;
        let (manager, _) = app.signed_in(Role::ContinuityManager).await;
        let (owner, me) = app.signed_in(Role::ServiceOwner).await;
        inventory(&app, &manager).await;
        let assign = [("subject", "service"), ("key", "PAY-DB"), ("party", me.email.as_str()), ("letter", "R")];
        assert_eq!(app.call(&manager, "assign_raci", &assign).await.status(), StatusCode::OK);
        let before = json(app.call(&manager, "service_analysis", &[("key", "PAY-DB")]).await).await;
        assert!(finding_kinds(&before).contains(&"untested".to_string()));

        let bad = app.call(&manager, "plan_drill", &[("drill[kind]", "fire"), ("drill[starts_at]", "2026-12-05T22:00"), ("drill[ends_at]", "2026-12-05T20:00")]).await;
        assert_eq!(bad.status(), StatusCode::UNPROCESSABLE_ENTITY);
        let fields: Vec<String> = json(bad).await["errors"].as_array().unwrap().iter().map(|e| e["field"].as_str().unwrap().to_string()).collect();
        assert_eq!(fields, ["title", "kind", "ends_at", "services"]);
        let unknown = app.call(&manager, "plan_drill", &plan("full_failover", "NOPE")).await;
        assert_eq!(json(unknown).await["field"], "services");
        assert_eq!(app.call(&owner, "plan_drill", &plan("full_failover", "PAY-DB")).await.status(), StatusCode::FORBIDDEN);

        let planned = app.call(&manager, "plan_drill", &plan("full_failover", "PAY-DB; PAY-API; IDP")).await;
        assert_eq!(planned.status(), StatusCode::OK);
        let id = json(planned).await["id"].as_i64().unwrap().to_string();
        let view = json(app.call(&owner, "drill", &[("id", id.as_str())]).await).await;
        assert_eq!(view["warnings"][0], "the backup of PAY-DB runs 23:00-01:00 UTC, inside the drill window");
        let can_record: Vec<(String, bool)> = view["targets"].as_array().unwrap().iter()
            .map(|t| (t["service"].as_str().unwrap().to_string(), t["can_record"].as_bool().unwrap())).collect();
        assert_eq!(can_record, [("IDP".into(), false), ("PAY-API".into(), false), ("PAY-DB".into(), true)]);

        let early = result(&app, &owner, &id, "PAY-DB", "20", "").await;
        assert_eq!(early.status(), StatusCode::CONFLICT, "not started yet");
        let start = [("id", id.as_str()), ("action", "start")];
        assert_eq!(app.call(&manager, "advance_drill", &start).await.status(), StatusCode::OK);
        let running = json(app.call(&owner, "drill", &[("id", id.as_str())]).await).await;
        let steps: Vec<String> = running["drill"]["steps"].as_array().unwrap().iter()
            .map(|s| s["step"]["service"].as_str().unwrap_or("").to_string()).collect();
        assert_eq!(steps, ["IDP", "PAY-DB", "PAY-API", "IDP", ""], "identity first, then the waves, then the check");
        let step = |position: &'static str, action: &'static str| [("log", "drill"), ("id", id.as_str()), ("section", "main"), ("position", position), ("action", action), ("outcome", "succeeded")];
        assert_eq!(app.call(&owner, "record_step", &step("1", "start")).await.status(), StatusCode::FORBIDDEN, "IDP is not the owner's");
        assert_eq!(app.call(&manager, "record_step", &step("1", "start")).await.status(), StatusCode::OK);
        assert_eq!(app.call(&manager, "record_step", &step("1", "finish")).await.status(), StatusCode::OK);
        assert_eq!(app.call(&owner, "record_step", &step("2", "start")).await.status(), StatusCode::OK);
        assert_eq!(app.call(&manager, "record_step", &step("3", "start")).await.status(), StatusCode::CONFLICT, "in order");
        let bad = result(&app, &owner, &id, "PAY-DB", "x", "nonsense").await;
        assert_eq!(bad.status(), StatusCode::UNPROCESSABLE_ENTITY);
        assert_eq!(result(&app, &owner, &id, "PAY-DB", "20", "replica | passed | lag 0 s").await.status(), StatusCode::OK);
        assert_eq!(result(&app, &owner, &id, "PAY-API", "5", "").await.status(), StatusCode::FORBIDDEN, "not the owner's service");
        let complete = [("id", id.as_str()), ("action", "complete"), ("notes", "")];
        let open = app.call(&manager, "advance_drill", &complete).await;
        assert_eq!(open.status(), StatusCode::CONFLICT);
        assert!(json(open).await["message"].as_str().unwrap().contains("has no result"));
        let slow = json(result(&app, &manager, &id, "PAY-API", "90", "pay | passed | ok").await).await;
        let api = slow["services"].as_array().unwrap().iter().find(|s| s["service"] == "PAY-API").unwrap().clone();
        assert_eq!(api["result"]["passed"], false);
        assert!(api["result"]["reason"].as_str().unwrap().contains("against a target RTO of 60 min"), "{api}");
        assert_eq!(result(&app, &manager, &id, "IDP", "8", "").await.status(), StatusCode::OK);
        let done = app.call(&manager, "advance_drill", &complete).await;
        assert_eq!(json(done).await["status"], "completed");

        let db = json(app.call(&manager, "service_analysis", &[("key", "PAY-DB")]).await).await;
        assert_eq!((db["recovery_minutes"].as_u64(), db["recovery_source"].as_str()), (Some(20), Some("demonstrated")));
        assert!(!finding_kinds(&db).contains(&"untested".to_string()), "passed today");
        let api = json(app.call(&manager, "service_analysis", &[("key", "PAY-API")]).await).await;
        assert!(finding_kinds(&api).contains(&"untested".to_string()), "missed its RTO");
        let trends = json(app.call(&manager, "trends", &[]).await).await;
        assert_eq!(trends["recoveries"], 3);
        let lines = trends["achieved"]["lines"].as_array().unwrap();
        assert_eq!(lines.len(), 2, "achieved and target");
        assert!(!lines[0][1].as_array().unwrap().is_empty());
        let coverage = json(app.call(&manager, "drill_coverage", &[]).await).await;
        let row = coverage.as_array().unwrap().iter().find(|r| r["service"] == "PAY-DB").unwrap().clone();
        assert!(!row["last_passed"].is_null() && row["overdue"] == false, "{row}");

        let actions = json(app.call(&manager, "actions", &[]).await).await;
        let pm = actions["post_mortems"][0][0].clone();
        assert_eq!(pm["source"], "drill");
        let pm_id = pm["id"].as_i64().unwrap().to_string();
        let view = json(app.call(&manager, "post_mortem", &[("id", pm_id.as_str())]).await).await;
        assert!(view["post_mortem"]["timeline"].as_str().unwrap().contains("PAY-API: recovered in 90 min"));
        let publish = app.call(&manager, "save_post_mortem", &[("id", pm_id.as_str()), ("post_mortem[publish]", "true")]).await;
        assert_eq!(json(publish).await["errors"][0]["field"], "summary");
        let item = [
            ("post_mortem", pm_id.as_str()), ("action[title]", "Speed up PAY-API warm-up"), ("action[owner]", me.email.as_str()),
            ("action[due_on]", "2099-01-31"), ("action[link]", "/runbooks/service/PAY-API"), ("action[retest]", "true"),
        ];
        let added = json(app.call(&manager, "add_action_item", &item).await).await;
        assert_eq!(added["retest"], true);
        let mine = json(app.call(&owner, "actions", &[]).await).await;
        let row = mine["actions"].as_array().unwrap().iter().find(|a| a["mine"] == true).unwrap().clone();
        let item_id = row["item"]["id"].as_i64().unwrap().to_string();
        let closed = app.call(&owner, "set_action_item", &[("id", item_id.as_str()), ("status", "done")]).await;
        assert_eq!(json(closed).await["status"], "done");
        let (viewer, _) = app.signed_in(Role::Viewer).await;
        let refused = app.call(&viewer, "set_action_item", &[("id", item_id.as_str()), ("status", "open")]).await;
        assert_eq!(refused.status(), StatusCode::FORBIDDEN);
        let pdf = manager.get(app.url(&format!("/drills/{id}/report.pdf"))).send().await.unwrap();
        assert_eq!(pdf.status(), StatusCode::OK);
        assert_eq!(pdf.headers()["content-type"], "application/pdf");
        let text = continuity_tests::pdf_text(&pdf.bytes().await.unwrap());
        for expected in ["Drill report: Payments failover rehearsal", "PAY-API", "against a target RTO of 60 min", "Speed up PAY-API warm-up", "page 1 of"] {
            assert!(text.contains(expected), "{expected} in {text}");
        }
        let signed_out = app.client().get(app.url(&format!("/drills/{id}/report.pdf"))).send().await.unwrap();
        assert_eq!(signed_out.status(), StatusCode::SEE_OTHER);
        let log = app.audit_actions().await;
        for action in ["report_downloaded", "drill_step_started", "drill_step_finished", "drill_planned", "drill_started", "drill_result_recorded", "drill_completed", "post_mortem_opened", "action_item_created", "action_item_status"] {
            assert!(log.iter().any(|a| a == action), "{action}");
        }
    }
}

both_backends! {
    async fn a_tabletop_records_decisions_and_measures_nothing(backend: Backend) {
        let app = spawn_app(backend).await;
        let (manager, _) = app.signed_in(Role::ContinuityManager).await;
        inventory(&app, &manager).await;
        let id = json(app.call(&manager, "plan_drill", &plan("tabletop", "PAY-DB")).await).await["id"].as_i64().unwrap().to_string();
        assert_eq!(app.call(&manager, "advance_drill", &[("id", id.as_str()), ("action", "start")]).await.status(), StatusCode::OK);
        assert_eq!(result(&app, &manager, &id, "PAY-DB", "5", "").await.status(), StatusCode::CONFLICT);
        let empty = app.call(&manager, "advance_drill", &[("id", id.as_str()), ("action", "complete")]).await;
        assert_eq!(empty.status(), StatusCode::CONFLICT);
        let notes = [("id", id.as_str()), ("action", "complete"), ("notes", "Decided: page the DBA first. Gap: no vendor contact.")];
        assert_eq!(json(app.call(&manager, "advance_drill", &notes).await).await["status"], "completed");
        let db = json(app.call(&manager, "service_analysis", &[("key", "PAY-DB")]).await).await;
        assert_eq!(db["recovery_source"], "declared");
        assert!(finding_kinds(&db).contains(&"untested".to_string()));
        let cancel = app.call(&manager, "advance_drill", &[("id", id.as_str()), ("action", "cancel")]).await;
        assert_eq!(cancel.status(), StatusCode::CONFLICT);
    }
}
