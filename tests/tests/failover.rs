//! Runbooks and failover requests over HTTP on both backends: the runbook
//! lifecycle and scenario generation, two-person approval enforced by the
//! server, the war room through to demonstrated recovery, expiry,
//! rejection, break-glass and rollback, and bad input.

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
    PAY-API,Payments API,application,Payments,0,DC-FRA,DC-AMS,hot_standby,10,1,1,0,60,false,\n\
    WIKI,Team wiki,application,Tools,3,DC-AMS,DC-FRA,warm_standby,60,1,1,0,60,false,\n";
const DEPENDENCIES: &str = "service,depends_on,kind\nPAY-API,PAY-DB,hard\nPAY-API,IDP,hard\n";

async fn inventory(app: &TestApp) {
    app.import_csv(&[
        (Exchange::Sites, SITES),
        (Exchange::Services, SERVICES),
        (Exchange::Dependencies, DEPENDENCIES),
    ])
    .await;
}

/// A runbook form: `(title, minutes, kind)` rows for each section.
fn runbook(
    subject: &'static str,
    steps: &[(&'static str, &'static str, &'static str)],
    rollback: &[(&'static str, &'static str, &'static str)],
) -> Vec<(String, String)> {
    let mut form = vec![
        ("scope".to_string(), "service".to_string()),
        ("subject".to_string(), subject.to_string()),
    ];
    for (section, rows) in [("steps", steps), ("rollback", rollback)] {
        for (i, (title, minutes, kind)) in rows.iter().enumerate() {
            for (field, value) in [
                ("title", *title),
                ("role", "DBA"),
                ("expected_minutes", *minutes),
                ("kind", *kind),
            ] {
                form.push((
                    format!("runbook[{section}][{i}][{field}]"),
                    value.to_string(),
                ));
            }
        }
    }
    form
}

async fn call(
    app: &TestApp,
    client: &Client,
    name: &str,
    form: &[(String, String)],
) -> reqwest::Response {
    let pairs: Vec<(&str, &str)> = form.iter().map(|(k, v)| (k.as_str(), v.as_str())).collect();
    app.call(client, name, &pairs).await
}

async fn approved_runbook(app: &TestApp, client: &Client, subject: &'static str) {
    let form = runbook(
        subject,
        &[
            ("Promote the replica", "5", "action"),
            ("Check row counts", "2", "verify"),
        ],
        &[("Reconcile late writes", "10", "reconcile")],
    );
    let saved = call(app, client, "save_runbook", &form).await;
    assert_eq!(saved.status(), StatusCode::OK);
    let version = json(saved).await["version"].as_u64().unwrap().to_string();
    let approve = [
        ("scope", "service"),
        ("subject", subject),
        ("version", version.as_str()),
    ];
    assert_eq!(
        app.call(client, "approve_runbook", &approve).await.status(),
        StatusCode::OK
    );
}

async fn analysis_of(app: &TestApp, client: &Client, key: &str) -> Value {
    let res = app.call(client, "service_analysis", &[("key", key)]).await;
    assert_eq!(res.status(), StatusCode::OK);
    json(res).await
}

both_backends! {
    async fn runbooks_are_versioned_approved_and_gathered_into_a_site_scenario(backend: Backend) {
        let app = spawn_app(backend).await;
        inventory(&app).await;
        let (manager, _) = app.signed_in(Role::ContinuityManager).await;

        let bad = runbook("PAY-DB", &[("", "x", "action"), ("Re-sync", "5", "reconcile")], &[]);
        let res = call(&app, &manager, "save_runbook", &bad).await;
        assert_eq!(res.status(), StatusCode::UNPROCESSABLE_ENTITY);
        let body = json(res).await;
        let fields: Vec<&str> = body["errors"].as_array().unwrap().iter().map(|e| e["field"].as_str().unwrap()).collect();
        assert_eq!(fields, ["steps[1].title", "steps[1].expected_minutes", "steps[2].kind"]);

        let draft = runbook("PAY-DB", &[("Promote the replica", "5", "action")], &[]);
        let saved = json(call(&app, &manager, "save_runbook", &draft).await).await;
        assert_eq!((saved["version"].as_u64(), saved["status"].as_str()), (Some(1), Some("draft")));
        let approve = [("scope", "service"), ("subject", "PAY-DB"), ("version", "1")];
        let refused = app.call(&manager, "approve_runbook", &approve).await;
        assert_eq!(refused.status(), StatusCode::UNPROCESSABLE_ENTITY);
        assert_eq!(json(refused).await["field"], "rollback");

        approved_runbook(&app, &manager, "PAY-DB").await;
        let view = json(app.call(&manager, "runbook", &[("scope", "service"), ("subject", "PAY-DB")]).await).await;
        let versions = view["versions"].as_array().unwrap();
        assert_eq!(versions.len(), 1, "the draft was changed in place");
        assert_eq!(versions[0]["status"], "approved");
        assert!(!versions[0]["approval"]["next_review_due"].is_null());
        let again = json(call(&app, &manager, "save_runbook", &draft).await).await;
        assert_eq!(again["version"], 2, "editing an approved runbook starts a new draft");

        let db = analysis_of(&app, &manager, "PAY-DB").await;
        let check = db["readiness"]["checks"].as_array().unwrap().iter().find(|c| c["name"] == "Runbook approved and current").unwrap().clone();
        assert_eq!(check["passed"], true, "{check}");

        let (owner, _) = app.signed_in(Role::ServiceOwner).await;
        let res = call(&app, &owner, "save_runbook", &draft).await;
        assert_eq!(res.status(), StatusCode::FORBIDDEN);
        assert!(json(res).await["message"].as_str().unwrap().contains("PAY-DB"));

        let generated = app.call(&manager, "generate_runbook", &[("site", "DC-FRA")]).await;
        assert_eq!(generated.status(), StatusCode::OK);
        let scenario = json(generated).await;
        assert_eq!(scenario["scope"], "site");
        let steps: Vec<(String, String)> = scenario["content"]["steps"].as_array().unwrap().iter()
            .map(|s| (s["title"].as_str().unwrap().to_string(), s["service"].as_str().unwrap_or("").to_string()))
            .collect();
        let services: Vec<&str> = steps.iter().map(|(_, s)| s.as_str()).collect();
        assert_eq!(services, ["IDP", "PAY-DB", "PAY-DB", "PAY-API", "IDP", ""], "{steps:?}");
        assert!(steps[1].0.contains("Promote the replica"));
        assert_eq!(steps[5].0, "Enable user access");
        assert_eq!(scenario["content"]["rollback"].as_array().unwrap().len(), 1);

        let history = json(app.call(&manager, "service", &[("key", "PAY-DB")]).await).await;
        let fields: Vec<&str> = history["history"].as_array().unwrap().iter()
            .flat_map(|e| e["fields"].as_array().unwrap().iter().map(|f| f["field"].as_str().unwrap()))
            .collect();
        assert!(fields.contains(&"runbook v1 steps"), "{fields:?}");
        let actions = app.audit_actions().await;
        for action in ["runbook_saved", "runbook_approved", "runbook_generated"] {
            assert!(actions.iter().any(|a| a == action), "{action} in {actions:?}");
        }
        let delete = app.call(&manager, "delete_service", &[("key", "PAY-DB")]).await;
        assert_eq!(delete.status(), StatusCode::CONFLICT);
    }
}

/// Runs every main step of `id` to success, as `client`.
async fn run_all_steps(app: &TestApp, client: &Client, id: &str) {
    let view = json(app.call(client, "failover", &[("id", id)]).await).await;
    let steps = view["request"]["steps"].as_array().unwrap().clone();
    for step in steps.iter().filter(|s| s["section"] == "main") {
        let position = step["position"].as_u64().unwrap().to_string();
        let base = [
            ("log", "failover"),
            ("id", id),
            ("section", "main"),
            ("position", position.as_str()),
        ];
        let start = app
            .call(
                client,
                "record_step",
                &[&base[..], &[("action", "start")]].concat(),
            )
            .await;
        assert_eq!(start.status(), StatusCode::OK, "start {position}");
        let finish = [&base[..], &[("action", "finish"), ("outcome", "succeeded")]].concat();
        assert_eq!(
            app.call(client, "record_step", &finish).await.status(),
            StatusCode::OK
        );
    }
}

both_backends! {
    async fn two_incident_commanders_approve_and_the_war_room_demonstrates_recovery(backend: Backend) {
        let app = spawn_app(backend).await;
        inventory(&app).await;
        let (manager, _) = app.signed_in(Role::ContinuityManager).await;
        approved_runbook(&app, &manager, "PAY-DB").await;
        let (ic_a, _) = app.signed_in(Role::IncidentCommander).await;
        let (ic_b, _) = app.signed_in(Role::IncidentCommander).await;
        let (ic_c, _) = app.signed_in(Role::IncidentCommander).await;

        let bad = app.call(&ic_a, "request_failover", &[("request[site]", "NOPE"), ("request[direction]", "failover"), ("request[reason]", "fire"), ("request[severity]", "sev1")]).await;
        assert_eq!(bad.status(), StatusCode::UNPROCESSABLE_ENTITY);
        assert_eq!(json(bad).await["field"], "site");
        let made = app.call(&ic_a, "request_failover", &[("request[site]", "DC-FRA"), ("request[direction]", "failover"), ("request[reason]", "Cooling failure in Frankfurt"), ("request[severity]", "sev1")]).await;
        assert_eq!(made.status(), StatusCode::OK);
        let made = json(made).await;
        let id = made["id"].as_i64().unwrap().to_string();
        assert_eq!(made["required_approvals"], 2);
        assert_eq!(made["services"], serde_json::json!(["IDP", "PAY-API", "PAY-DB"]));

        let own = app.call(&ic_a, "decide_failover", &[("id", id.as_str()), ("decision", "approve")]).await;
        assert_eq!(own.status(), StatusCode::FORBIDDEN);
        assert!(json(own).await["message"].as_str().unwrap().contains("you made this request"));
        let waiting = |v: Value| v["ids"].as_array().unwrap().iter().map(|i| i.as_i64().unwrap().to_string()).collect::<Vec<_>>();
        assert!(waiting(json(app.call(&ic_a, "failovers_waiting", &[]).await).await).is_empty());
        assert_eq!(waiting(json(app.call(&ic_b, "failovers_waiting", &[]).await).await), vec![id.clone()]);

        let first = app.call(&ic_b, "decide_failover", &[("id", id.as_str()), ("decision", "approve"), ("comment", "confirmed on the bridge")]).await;
        assert_eq!(first.status(), StatusCode::OK);
        assert_eq!(json(first).await["status"], "requested");
        let twice = app.call(&ic_b, "decide_failover", &[("id", id.as_str()), ("decision", "approve")]).await;
        assert_eq!(twice.status(), StatusCode::FORBIDDEN);
        assert!(json(twice).await["message"].as_str().unwrap().contains("already decided"));
        let early = app.call(&ic_a, "start_failover", &[("id", id.as_str())]).await;
        assert_eq!(early.status(), StatusCode::CONFLICT);
        assert!(json(early).await["message"].as_str().unwrap().contains("needs 2 approvals"));

        let second = app.call(&ic_c, "decide_failover", &[("id", id.as_str()), ("decision", "approve")]).await;
        assert_eq!(json(second).await["status"], "approved");
        let (owner, _) = app.signed_in(Role::ServiceOwner).await;
        let not_owner = app.call(&owner, "record_step", &[("log", "failover"), ("id", id.as_str()), ("section", "main"), ("position", "1"), ("action", "start")]).await;
        assert_eq!(not_owner.status(), StatusCode::CONFLICT, "not executing yet");

        let started = app.call(&ic_a, "start_failover", &[("id", id.as_str())]).await;
        assert_eq!(started.status(), StatusCode::OK);
        let started = json(started).await;
        assert_eq!(started["status"], "executing");
        let titles: Vec<&str> = started["steps"].as_array().unwrap().iter().map(|s| s["step"]["title"].as_str().unwrap()).collect();
        assert!(titles[0].contains("IDP"), "identity first: {titles:?}");
        assert!(titles.contains(&"Promote the replica"));
        assert_eq!(titles.iter().filter(|t| **t == "Enable user access").count(), 1);

        let out_of_order = app.call(&ic_a, "record_step", &[("log", "failover"), ("id", id.as_str()), ("section", "main"), ("position", "2"), ("action", "start")]).await;
        assert_eq!(out_of_order.status(), StatusCode::CONFLICT);
        let denied = app.call(&owner, "record_step", &[("log", "failover"), ("id", id.as_str()), ("section", "main"), ("position", "1"), ("action", "start")]).await;
        assert_eq!(denied.status(), StatusCode::FORBIDDEN, "the owner holds no R or A on IDP");
        let mark_before = json(app.call(&ic_b, "failover_mark", &[("id", id.as_str())]).await).await;
        run_all_steps(&app, &ic_a, &id).await;
        let mark_after = json(app.call(&ic_b, "failover_mark", &[("id", id.as_str())]).await).await;
        assert!(mark_after.as_i64() > mark_before.as_i64(), "watchers see the change");

        let done = app.call(&ic_a, "close_failover", &[("id", id.as_str()), ("action", "complete")]).await;
        assert_eq!(done.status(), StatusCode::OK);
        assert_eq!(json(done).await["status"], "completed");
        let db = analysis_of(&app, &manager, "PAY-DB").await;
        assert_eq!(db["recovery_source"], "demonstrated");
        assert_eq!(db["recovery_minutes"], 1, "seconds of steps count as one minute");

        let view = json(app.call(&ic_b, "failover", &[("id", id.as_str())]).await).await;
        let trail: Vec<&str> = view["trail"].as_array().unwrap().iter().map(|e| e["action"].as_str().unwrap()).collect();
        assert_eq!(&trail[..4], ["failover_requested", "failover_approved", "failover_approved", "failover_started"]);
        assert_eq!(trail.last(), Some(&"failover_completed"));
        let reviews = json(app.call(&ic_b, "actions", &[]).await).await;
        assert_eq!(reviews["post_mortems"][0][0]["source_id"].as_i64().map(|i| i.to_string()), Some(id.clone()), "the post-mortem opens");
        assert!(trail.contains(&"failover_step_finished"));
        let page = ic_b.get(app.url(&format!("/failover/{id}"))).send().await.unwrap().text().await.unwrap();
        assert!(page.contains("War room") && page.contains("completed"), "the page renders the war room");
    }
}

both_backends! {
    async fn requests_expire_are_rejected_broken_glass_and_rolled_back(backend: Backend) {
        let app = spawn_app(backend).await;
        inventory(&app).await;
        let (ic_a, _) = app.signed_in(Role::IncidentCommander).await;
        let (ic_b, _) = app.signed_in(Role::IncidentCommander).await;
        let (admin, _) = app.signed_in(Role::Admin).await;
        approved_runbook(&app, &admin, "PAY-DB").await;
        let request = |services: &'static str| [("request[services]", services), ("request[direction]", "failover"), ("request[reason]", "planned move"), ("request[severity]", "sev3")];
        let new = |v: Value| v["id"].as_i64().unwrap().to_string();

        let wiki = json(app.call(&ic_a, "request_failover", &request("WIKI")).await).await;
        assert_eq!(wiki["required_approvals"], 1, "tier 3 needs one approval");
        let id = new(wiki);
        let past = "UPDATE failover_requests SET expires_at = $1 WHERE id = $2";
        let earlier = app::domain::timestamp::Timestamp::parse("2020-01-01T00:00:00Z").unwrap();
        app::on_db!(&app.db, p => sqlx::query(past).bind(earlier).bind(id.parse::<i64>().unwrap()).execute(p).await.map(|_| ())).unwrap();
        let late = app.call(&ic_b, "decide_failover", &[("id", id.as_str()), ("decision", "approve")]).await;
        assert_eq!(late.status(), StatusCode::CONFLICT);
        let view = json(app.call(&ic_b, "failover", &[("id", id.as_str())]).await).await;
        assert_eq!(view["request"]["status"], "expired");
        assert!(app.audit_actions().await.contains(&"failover_expired".to_string()));

        let id = new(json(app.call(&ic_a, "request_failover", &request("WIKI")).await).await);
        let no_reason = app.call(&ic_b, "decide_failover", &[("id", id.as_str()), ("decision", "reject")]).await;
        assert_eq!(no_reason.status(), StatusCode::UNPROCESSABLE_ENTITY);
        assert_eq!(json(no_reason).await["field"], "comment");
        let rejected = app.call(&ic_b, "decide_failover", &[("id", id.as_str()), ("decision", "reject"), ("comment", "not needed")]).await;
        assert_eq!(json(rejected).await["status"], "rejected");

        let id = new(json(app.call(&ic_a, "request_failover", &request("PAY-DB")).await).await);
        let glass = |who: &'static str| [("id", id.clone()), ("break_glass", "true".to_string()), ("justification", who.to_string())];
        let not_admin = call(&app, &ic_a, "start_failover", &glass("the bridge is down").map(|(k, v)| (k.to_string(), v))).await;
        assert_eq!(not_admin.status(), StatusCode::FORBIDDEN);
        let short = call(&app, &admin, "start_failover", &glass("now").map(|(k, v)| (k.to_string(), v))).await;
        assert_eq!(short.status(), StatusCode::UNPROCESSABLE_ENTITY);
        assert_eq!(json(short).await["field"], "justification");
        let broken = call(&app, &admin, "start_failover", &glass("approvers unreachable, storage failing").map(|(k, v)| (k.to_string(), v))).await;
        assert_eq!(broken.status(), StatusCode::OK);
        let broken = json(broken).await;
        assert_eq!(broken["status"], "executing");
        assert_eq!(broken["break_glass"], "approvers unreachable, storage failing");
        let view = json(app.call(&ic_b, "failover", &[("id", id.as_str())]).await).await;
        assert_eq!(view["actions"][0]["owner"], view["trail"][1]["actor"], "the admin reviews it");
        assert!(view["actions"][0]["title"].as_str().unwrap().contains("break-glass"));

        let no_reason = app.call(&ic_a, "close_failover", &[("id", id.as_str()), ("action", "rollback")]).await;
        assert_eq!(no_reason.status(), StatusCode::UNPROCESSABLE_ENTITY);
        let back = app.call(&ic_a, "close_failover", &[("id", id.as_str()), ("action", "rollback"), ("reason", "replica lagging")]).await;
        assert_eq!(back.status(), StatusCode::OK);
        let early = app.call(&ic_a, "close_failover", &[("id", id.as_str()), ("action", "rolled_back")]).await;
        assert_eq!(early.status(), StatusCode::CONFLICT);
        let view = json(app.call(&ic_a, "failover", &[("id", id.as_str())]).await).await;
        for step in view["request"]["steps"].as_array().unwrap().iter().filter(|s| s["section"] == "rollback") {
            let position = step["position"].as_u64().unwrap().to_string();
            let base = [("log", "failover"), ("id", id.as_str()), ("section", "rollback"), ("position", position.as_str())];
            assert_eq!(app.call(&ic_a, "record_step", &[&base[..], &[("action", "start")]].concat()).await.status(), StatusCode::OK);
            let skipped = app.call(&ic_a, "record_step", &[&base[..], &[("action", "finish"), ("outcome", "skipped")]].concat()).await;
            assert_eq!(skipped.status(), StatusCode::CONFLICT, "reconciliation cannot be skipped");
            let finish = [&base[..], &[("action", "finish"), ("outcome", "succeeded"), ("note", "3 transactions re-applied")]].concat();
            assert_eq!(app.call(&ic_a, "record_step", &finish).await.status(), StatusCode::OK);
        }
        let closed = app.call(&ic_a, "close_failover", &[("id", id.as_str()), ("action", "rolled_back")]).await;
        assert_eq!(json(closed).await["status"], "rolled_back");
        let events = app::server::db::audit::batch_after(&app.db, 0, 10_000).await.unwrap();
        let last = events.last().unwrap();
        assert_eq!(last.action, "failover_rolled_back");
        assert!(last.details.contains("3 transactions re-applied"), "{}", last.details);
        for action in ["failover_rejected", "failover_break_glass", "action_item_created", "failover_rollback_started"] {
            assert!(events.iter().any(|e| e.action == action), "{action}");
        }
    }
}
