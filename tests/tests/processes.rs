//! Business processes, vendors and replication links over HTTP on both
//! backends, and the import page's upload: the manager's flows, the
//! references they hold, RACI on processes, bad input.

use app::domain::access::Role;
use continuity_tests::{both_backends, spawn_app, TestApp};
use reqwest::multipart::{Form, Part};
use reqwest::{Client, StatusCode};
use serde_json::Value;

async fn json(res: reqwest::Response) -> Value {
    res.json().await.expect("a JSON body")
}

/// Two sites and the services PAY-API and PAY-DB.
async fn inventory(app: &TestApp, client: &Client) {
    for (key, country) in [("DC-FRA", "DE"), ("DC-AMS", "NL")] {
        let site = [
            ("site[key]", key),
            ("site[name]", key),
            ("site[country]", country),
            ("site[kind]", "datacenter"),
        ];
        assert_eq!(
            app.call(client, "save_site", &site).await.status(),
            StatusCode::OK
        );
    }
    for key in ["PAY-API", "PAY-DB"] {
        let service = [
            ("service[key]", key),
            ("service[name]", key),
            ("service[kind]", "application"),
            ("service[primary_site]", "DC-FRA"),
            ("service[secondary_site]", "DC-AMS"),
            ("service[topology]", "hot_standby"),
            ("service[stateful]", "true"),
        ];
        assert_eq!(
            app.call(client, "save_service", &service).await.status(),
            StatusCode::OK
        );
    }
}

fn process(key: &'static str, services: &'static str) -> Vec<(&'static str, &'static str)> {
    vec![
        ("process[key]", key),
        ("process[name]", "Take card payments"),
        ("process[owner]", "Head of Payments"),
        ("process[criticality]", "critical"),
        ("process[services]", services),
    ]
}

fn error_fields(body: &Value) -> Vec<String> {
    match body["errors"].as_array() {
        Some(errors) => errors
            .iter()
            .map(|e| e["field"].as_str().unwrap().to_string())
            .collect(),
        None => vec![body["field"].as_str().unwrap_or_default().to_string()],
    }
}

both_backends! {
    async fn a_manager_keeps_processes_with_their_services_raci_and_history(backend: Backend) {
        let app = spawn_app(backend).await;
        let (manager, _) = app.signed_in(Role::ContinuityManager).await;
        inventory(&app, &manager).await;

        let res = app.call(&manager, "save_process", &process("PAY", "PAY-API;NOPE")).await;
        assert_eq!(res.status(), StatusCode::UNPROCESSABLE_ENTITY);
        let body = json(res).await;
        assert_eq!(error_fields(&body), ["services"]);
        assert!(body["message"].as_str().unwrap().contains("NOPE"), "{body}");

        let bad = [("process[key]", "pay"), ("process[name]", ""), ("process[criticality]", "vital")];
        let body = json(app.call(&manager, "save_process", &bad).await).await;
        assert_eq!(error_fields(&body), ["key", "name", "criticality"]);

        let res = app.call(&manager, "save_process", &process("PAY", "PAY-API; PAY-DB")).await;
        assert_eq!(res.status(), StatusCode::OK);
        assert_eq!(res.headers()["location"], "/processes/PAY");
        let assign = [("subject", "process"), ("key", "PAY"), ("party", "CFO"), ("letter", "A")];
        assert_eq!(app.call(&manager, "assign_raci", &assign).await.status(), StatusCode::OK);

        let mut renamed = process("PAYMENTS", "PAY-API");
        renamed.push(("original_key", "PAY"));
        assert_eq!(app.call(&manager, "save_process", &renamed).await.status(), StatusCode::OK);
        let detail = json(app.call(&manager, "process", &[("key", "PAYMENTS")]).await).await;
        assert_eq!(detail["services"][0]["key"], "PAY-API");
        assert_eq!(detail["services"].as_array().unwrap().len(), 1);
        assert_eq!(detail["raci"][0]["party"], "CFO", "the RACI follows the rename");
        assert!(detail["raci_gap"].is_null());
        let history = detail["history"].as_array().unwrap();
        assert_eq!(history.len(), 3, "created, assigned, renamed: {history:?}");
        let service = json(app.call(&manager, "service", &[("key", "PAY-API")]).await).await;
        assert_eq!(service["processes"][0], "PAYMENTS");

        let res = app.call(&manager, "delete_service", &[("key", "PAY-API")]).await;
        assert_eq!(res.status(), StatusCode::CONFLICT);
        assert!(json(res).await["message"].as_str().unwrap().contains("process PAYMENTS"));

        let raci = json(app.call(&manager, "raci", &[]).await).await;
        assert_eq!(raci["processes"]["rows"][0]["key"], "PAYMENTS");
        assert!(raci["processes"]["rows"][0]["gap"].is_null());

        let (viewer, _) = app.signed_in(Role::Viewer).await;
        assert_eq!(app.call(&viewer, "save_process", &process("X", "")).await.status(), StatusCode::FORBIDDEN);
        assert_eq!(app.call(&viewer, "processes", &[]).await.status(), StatusCode::OK);

        assert_eq!(app.call(&manager, "delete_process", &[("key", "PAYMENTS")]).await.status(), StatusCode::OK);
        assert_eq!(app.call(&manager, "delete_service", &[("key", "PAY-API")]).await.status(), StatusCode::OK);
        let actions = app.audit_actions().await;
        for action in ["process_created", "process_updated", "process_deleted", "raci_assigned"] {
            assert!(actions.contains(&action.to_string()), "{action} in {actions:?}");
        }
    }

}

both_backends! {
    async fn vendors_are_named_by_their_name_and_checked(backend: Backend) {
        let app = spawn_app(backend).await;
        let (manager, _) = app.signed_in(Role::ContinuityManager).await;
        inventory(&app, &manager).await;
        let vendor = [
            ("vendor[name]", "Acme Cloud & Co"), ("vendor[availability_percent]", "99.95"),
            ("vendor[recovery_minutes]", "240"), ("vendor[contract_end]", "2030-01-31"),
            ("vendor[services]", "PAY-DB"),
        ];
        let res = app.call(&manager, "save_vendor", &vendor).await;
        assert_eq!(res.status(), StatusCode::OK);
        assert_eq!(res.headers()["location"], "/vendors/Acme%20Cloud%20%26%20Co");
        let page = manager.get(app.url("/vendors/Acme%20Cloud%20%26%20Co")).send().await.unwrap();
        assert_eq!(page.status(), StatusCode::OK);
        let html = page.text().await.unwrap();
        assert!(html.contains("Acme Cloud &amp; Co") && html.contains("240 minutes"), "{html}");

        let bad = [("vendor[name]", "Other"), ("vendor[availability_percent]", "120"), ("vendor[contract_end]", "soon")];
        let body = json(app.call(&manager, "save_vendor", &bad).await).await;
        assert_eq!(error_fields(&body), ["availability_percent", "contract_end"]);
        let twice = [("vendor[name]", "Acme Cloud & Co")];
        assert_eq!(app.call(&manager, "save_vendor", &twice).await.status(), StatusCode::UNPROCESSABLE_ENTITY);

        let service = json(app.call(&manager, "service", &[("key", "PAY-DB")]).await).await;
        assert_eq!(service["vendors"][0], "Acme Cloud & Co");
        let res = app.call(&manager, "delete_service", &[("key", "PAY-DB")]).await;
        assert_eq!(res.status(), StatusCode::CONFLICT);
        assert_eq!(app.call(&manager, "delete_vendor", &[("name", "Acme Cloud & Co")]).await.status(), StatusCode::OK);
        assert_eq!(app.call(&manager, "delete_service", &[("key", "PAY-DB")]).await.status(), StatusCode::OK);
    }

}

both_backends! {
    async fn replication_links_belong_to_their_service(backend: Backend) {
        let app = spawn_app(backend).await;
        let (manager, _) = app.signed_in(Role::ContinuityManager).await;
        inventory(&app, &manager).await;
        let link = |mode: &'static str, lag: &'static str| vec![
            ("link[service]", "PAY-DB"), ("link[mode]", mode), ("link[source_site]", "DC-FRA"),
            ("link[target_site]", "DC-AMS"), ("link[expected_lag_seconds]", lag),
            ("link[encrypted_in_transit]", "true"), ("link[encrypted_at_rest]", "true"),
        ];
        let body = json(app.call(&manager, "save_replication", &link("async", "")).await).await;
        assert_eq!(error_fields(&body), ["expected_lag_seconds"]);
        let mut elsewhere = link("async", "30");
        elsewhere[3] = ("link[target_site]", "DC-NOWHERE");
        let body = json(app.call(&manager, "save_replication", &elsewhere).await).await;
        assert_eq!(error_fields(&body), ["target_site"]);

        assert_eq!(app.call(&manager, "save_replication", &link("async", "30")).await.status(), StatusCode::OK);
        assert_eq!(app.call(&manager, "save_replication", &link("async", "45")).await.status(), StatusCode::OK);
        let detail = json(app.call(&manager, "service", &[("key", "PAY-DB")]).await).await;
        let links = detail["replication"].as_array().unwrap();
        assert_eq!(links.len(), 1, "the same mode and sites update the link");
        assert_eq!(links[0]["expected_lag_seconds"], 45);
        assert_eq!(detail["history"][0]["fields"][0]["field"], "replication async DC-FRA -> DC-AMS");
        assert_eq!(detail["history"][0]["fields"][0]["before"], "lag 30 s, encrypted in transit and at rest");

        let res = app.call(&manager, "delete_site", &[("key", "DC-AMS")]).await;
        assert_eq!(res.status(), StatusCode::CONFLICT);

        let (owner, _) = app.signed_in(Role::ServiceOwner).await;
        assert_eq!(app.call(&owner, "save_replication", &link("async", "60")).await.status(), StatusCode::FORBIDDEN);

        let remove = [("service", "PAY-DB"), ("link", "PAY-DB async DC-FRA -> DC-AMS")];
        assert_eq!(app.call(&manager, "delete_replication", &remove).await.status(), StatusCode::OK);
        let detail = json(app.call(&manager, "service", &[("key", "PAY-DB")]).await).await;
        assert!(detail["replication"].as_array().unwrap().is_empty());
        assert!(app.audit_actions().await.contains(&"replication_deleted".to_string()));
    }

}

both_backends! {
    async fn the_import_page_takes_files_all_or_nothing(backend: Backend) {
        let app = spawn_app(backend).await;
        let (manager, _) = app.signed_in(Role::ContinuityManager).await;
        inventory(&app, &manager).await;
        let upload = |files: Vec<(&'static str, &'static str)>| {
            let mut form = Form::new();
            for (name, text) in files {
                form = form.part("files", Part::bytes(text.as_bytes().to_vec()).file_name(name));
            }
            manager.post(app.url("/import")).multipart(form).send()
        };
        let processes = "key,name,owner,criticality,services\nPAY,Payments,CFO,critical,PAY-API;PAY-DB\n";
        let bad_vendors = "name,availability_percent,response_minutes,recovery_minutes,rpo_minutes,contract_end,services\n\
                           Acme,99.9,15,60,5,2030-01-01,PAY-API\nBeta,200,,,,,PAY-API\nGamma,,,,,,NOPE\n";
        let res = upload(vec![("processes.csv", processes), ("vendors.csv", bad_vendors)]).await.unwrap();
        assert_eq!(res.status(), StatusCode::SEE_OTHER);
        assert_eq!(res.headers()["location"], "/import");
        let outcome = json(app.call(&manager, "last_import", &[]).await).await;
        let errors = &outcome["Err"]["files"][0];
        assert_eq!(errors["file"], "vendors.csv");
        let columns: Vec<&str> = errors["errors"].as_array().unwrap().iter().map(|e| e["column"].as_str().unwrap()).collect();
        assert_eq!(columns, ["availability_percent", "services"]);
        let mut tx = app.db.read().await.unwrap();
        assert!(app::server::db::processes::list(&mut tx, "").await.unwrap().is_empty(), "nothing was taken");
        drop(tx);
        let page = manager.get(app.url("/import")).send().await.unwrap().text().await.unwrap();
        assert!(page.contains("Nothing was imported") && page.contains("there is no service NOPE"), "{page}");

        let good_vendors = "name,availability_percent,response_minutes,recovery_minutes,rpo_minutes,contract_end,services\nAcme,99.9,15,60,5,2030-01-01,PAY-API\n";
        let res = upload(vec![("vendors.csv", good_vendors), ("processes.csv", processes)]).await.unwrap();
        assert_eq!(res.status(), StatusCode::SEE_OTHER);
        let outcome = json(app.call(&manager, "last_import", &[]).await).await;
        let files: Vec<&str> = outcome["Ok"].as_array().unwrap().iter().map(|s| s["file"].as_str().unwrap()).collect();
        assert_eq!(files, ["processes.csv", "vendors.csv"]);

        let res = upload(vec![("people.csv", processes)]).await.unwrap();
        assert_eq!(res.status(), StatusCode::SEE_OTHER);
        let outcome = json(app.call(&manager, "last_import", &[]).await).await;
        assert!(outcome["Err"]["message"].as_str().unwrap().contains("not an exchange file"), "{outcome}");

        let (viewer, _) = app.signed_in(Role::Viewer).await;
        let form = Form::new().part("files", Part::bytes(processes.as_bytes().to_vec()).file_name("processes.csv"));
        let res = viewer.post(app.url("/import")).multipart(form).send().await.unwrap();
        assert_eq!(res.status(), StatusCode::SEE_OTHER);
        assert_eq!(app.call(&viewer, "last_import", &[]).await.status(), StatusCode::FORBIDDEN);
    }
}
