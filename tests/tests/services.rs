//! Services, dependencies and RACI over HTTP on both backends: the
//! manager's flow, references, the list's filters and pages, service
//! owners limited to their own services, bad input.

use app::domain::access::{Permission, Role};
use app::domain::inventory::service::{Service, ServiceInput};
use app::server::auth::Granted;
use app::server::usecases::{audit::now, services};
use continuity_tests::{both_backends, spawn_app, TestApp};
use reqwest::{Client, StatusCode};
use serde_json::Value;

async fn json(res: reqwest::Response) -> Value {
    res.json().await.expect("a JSON body")
}

/// Adds the sites DC-FRA and DC-AMS.
async fn two_sites(app: &TestApp, client: &Client) {
    for (key, country) in [("DC-FRA", "DE"), ("DC-AMS", "NL")] {
        let site = [
            ("site[key]", key),
            ("site[name]", key),
            ("site[country]", country),
            ("site[kind]", "datacenter"),
        ];
        let res = app.call(client, "save_site", &site).await;
        assert_eq!(res.status(), StatusCode::OK, "site {key}");
    }
}

fn service_form(key: &'static str, tier: &'static str) -> Vec<(&'static str, &'static str)> {
    vec![
        ("service[key]", key),
        ("service[name]", key),
        ("service[kind]", "application"),
        ("service[owner_team]", "Payments"),
        ("service[tier]", tier),
        ("service[primary_site]", "DC-FRA"),
        ("service[secondary_site]", "DC-AMS"),
        ("service[topology]", "hot_standby"),
        ("service[recovery_minutes]", "15"),
        ("service[stateful]", "true"),
        ("service[data_jurisdictions]", "DE;NL"),
    ]
}

async fn save(app: &TestApp, client: &Client, form: &[(&str, &str)]) -> reqwest::Response {
    app.call(client, "save_service", form).await
}

fn fields(body: &Value) -> Vec<String> {
    match body["errors"].as_array() {
        Some(errors) => errors
            .iter()
            .map(|e| e["field"].as_str().unwrap().to_string())
            .collect(),
        None => vec![body["field"].as_str().unwrap_or_default().to_string()],
    }
}

both_backends! {
    async fn a_manager_builds_services_with_a_dependency_and_sees_graph_and_history(backend: Backend) {
        let app = spawn_app(backend).await;
        let (manager, _) = app.signed_in(Role::ContinuityManager).await;
        two_sites(&app, &manager).await;
        for key in ["PAY-API", "IDP"] {
            let res = save(&app, &manager, &service_form(key, "0")).await;
            assert_eq!(res.status(), StatusCode::OK, "{key}");
            assert_eq!(res.headers()["location"], format!("/services/{key}").as_str());
        }
        let dep = [("service", "PAY-API"), ("depends_on", "IDP"), ("kind", "hard"), ("note", "sign-in")];
        assert_eq!(app.call(&manager, "save_dependency", &dep).await.status(), StatusCode::OK);

        let detail = json(app.call(&manager, "service", &[("key", "PAY-API")]).await).await;
        assert_eq!(detail["depends_on"][0]["depends_on"], "IDP");
        assert_eq!(detail["graph"]["nodes"].as_array().unwrap().len(), 2);
        assert_eq!(detail["graph"]["edges"].as_array().unwrap().len(), 1);
        assert_eq!(detail["can_edit"], true);
        let history = detail["history"].as_array().unwrap();
        assert_eq!(history[0]["fields"][0]["field"], "depends_on IDP");
        assert_eq!(history[0]["fields"][0]["after"], "hard: sign-in");
        let idp = json(app.call(&manager, "service", &[("key", "IDP")]).await).await;
        assert_eq!(idp["dependents"][0]["service"], "PAY-API");

        let page = manager.get(app.url("/services/PAY-API")).send().await.unwrap().text().await.unwrap();
        assert!(page.contains("<svg") && page.contains("marker-end"), "the graph is drawn on the server");
        assert!(page.contains("depends_on IDP"), "the history shows the dependency");

        // Renaming carries the dependency; a service still needed cannot go.
        let mut renamed = service_form("IDP-1", "0");
        renamed.push(("original_key", "IDP"));
        assert_eq!(save(&app, &manager, &renamed).await.status(), StatusCode::OK);
        let refused = app.call(&manager, "delete_service", &[("key", "IDP-1")]).await;
        assert_eq!(refused.status(), StatusCode::CONFLICT);
        assert!(json(refused).await["message"].as_str().unwrap().contains("PAY-API"));
        let site = app.call(&manager, "delete_site", &[("key", "DC-AMS")]).await;
        assert_eq!(site.status(), StatusCode::CONFLICT);
        assert!(json(site).await["message"].as_str().unwrap().contains("IDP-1, PAY-API"));

        let removed = app.call(&manager, "delete_dependency", &[("service", "PAY-API"), ("depends_on", "IDP-1")]).await;
        assert_eq!(removed.status(), StatusCode::OK);
        assert_eq!(app.call(&manager, "delete_service", &[("key", "IDP-1")]).await.status(), StatusCode::OK);
        let actions = app.audit_actions().await;
        for action in ["service_created", "service_updated", "service_deleted", "dependency_created", "dependency_deleted"] {
            assert!(actions.contains(&action.to_string()), "{action} in {actions:?}");
        }
    }
}

both_backends! {
    async fn bad_services_and_dependencies_name_the_field_and_change_nothing(backend: Backend) {
        let app = spawn_app(backend).await;
        let (manager, _) = app.signed_in(Role::ContinuityManager).await;
        two_sites(&app, &manager).await;
        let audit_before = app.audit_actions().await.len();

        let res = save(&app, &manager, &[("service[key]", "pay api"), ("service[name]", ""), ("service[kind]", "mainframe"),
            ("service[tier]", "7"), ("service[primary_site]", "DC-FRA"), ("service[recovery_minutes]", "soon")]).await;
        assert_eq!(res.status(), StatusCode::UNPROCESSABLE_ENTITY);
        assert_eq!(fields(&json(res).await), vec!["key", "name", "kind", "tier", "recovery_minutes"]);

        let unknown_site = [("service[key]", "PAY-API"), ("service[name]", "Pay"), ("service[kind]", "application"), ("service[primary_site]", "DC-XXX")];
        let res = save(&app, &manager, &unknown_site).await;
        assert_eq!(res.status(), StatusCode::UNPROCESSABLE_ENTITY);
        let body = json(res).await;
        assert_eq!(fields(&body), vec!["primary_site"]);
        assert!(body["errors"][0]["message"].as_str().unwrap().contains("no site DC-XXX"));

        assert_eq!(save(&app, &manager, &service_form("PAY-API", "1")).await.status(), StatusCode::OK);
        let audit_mid = app.audit_actions().await.len();
        let self_dep = app.call(&manager, "save_dependency", &[("service", "PAY-API"), ("depends_on", "PAY-API"), ("kind", "hard")]).await;
        assert_eq!(self_dep.status(), StatusCode::UNPROCESSABLE_ENTITY);
        assert!(json(self_dep).await.to_string().contains("cannot depend on itself"));
        let missing = app.call(&manager, "save_dependency", &[("service", "PAY-API"), ("depends_on", "NOPE"), ("kind", "hard")]).await;
        assert_eq!(missing.status(), StatusCode::UNPROCESSABLE_ENTITY);
        assert_eq!(json(missing).await["field"], "depends_on");
        let weak = app.call(&manager, "save_dependency", &[("service", "PAY-API"), ("depends_on", "NOPE"), ("kind", "weak")]).await;
        assert_eq!(fields(&json(weak).await), vec!["kind"]);
        let raci = app.call(&manager, "assign_raci", &[("subject", "service"), ("key", "PAY-API"), ("party", "ops"), ("letter", "X")]).await;
        assert_eq!(raci.status(), StatusCode::UNPROCESSABLE_ENTITY);
        assert_eq!(app::server::db::dependencies::count(&app.db).await.unwrap(), 0);
        assert_eq!(app.audit_actions().await.len(), audit_mid, "nothing was written");
        assert_eq!(audit_mid, audit_before + 1, "only the good service");
    }
}

/// Stores `n` services straight through the use case, tiers 0..4 by turn.
async fn many_services(app: &TestApp, n: usize) {
    let operator = Granted::operator(Permission::EditServices);
    for i in 0..n {
        let input = ServiceInput {
            key: format!("SVC-{i:03}"),
            name: format!("Service {i:03}"),
            kind: if i % 2 == 0 {
                "application"
            } else {
                "database"
            }
            .into(),
            owner_team: format!("Team {}", i % 3),
            tier: (i % 5).to_string(),
            primary_site: if i % 4 == 0 { "DC-AMS" } else { "DC-FRA" }.into(),
            topology: "warm_standby".into(),
            ..ServiceInput::default()
        };
        services::create(&app.db, &operator, Service::parse(&input).unwrap(), now())
            .await
            .unwrap();
    }
}

fn keys(list: &Value) -> Vec<String> {
    list["services"]
        .as_array()
        .unwrap()
        .iter()
        .map(|s| s["key"].as_str().unwrap().to_string())
        .collect()
}

both_backends! {
    async fn the_list_filters_sorts_and_pages(backend: Backend) {
        let app = spawn_app(backend).await;
        let (viewer, _) = app.signed_in(Role::Viewer).await;
        let (manager, _) = app.signed_in(Role::ContinuityManager).await;
        two_sites(&app, &manager).await;
        many_services(&app, 60).await;

        let first = json(app.call(&viewer, "services", &[]).await).await;
        assert_eq!((first["total"].as_i64(), first["pages"].as_u64()), (Some(60), Some(2)));
        assert_eq!(keys(&first).len(), 50);
        assert_eq!(keys(&first)[0], "SVC-000");
        assert_eq!(first["can_create"], false);
        let second = json(app.call(&viewer, "services", &[("query[page]", "2")]).await).await;
        assert_eq!(keys(&second).len(), 10);

        let tier0 = json(app.call(&viewer, "services", &[("query[tier]", "0"), ("query[kind]", "application")]).await).await;
        assert_eq!(keys(&tier0), vec!["SVC-000", "SVC-010", "SVC-020", "SVC-030", "SVC-040", "SVC-050"]);
        let ams = json(app.call(&viewer, "services", &[("query[site]", "DC-AMS"), ("query[owner]", "Team 0")]).await).await;
        assert_eq!(keys(&ams), vec!["SVC-000", "SVC-012", "SVC-024", "SVC-036", "SVC-048"]);
        let search = json(app.call(&viewer, "services", &[("query[q]", "service 05")]).await).await;
        assert_eq!(search["total"], 10);
        let desc = json(app.call(&viewer, "services", &[("query[sort]", "name"), ("query[dir]", "desc")]).await).await;
        assert_eq!(keys(&desc)[0], "SVC-059");
        let gaps = json(app.call(&viewer, "services", &[("query[raci]", "incomplete")]).await).await;
        assert_eq!(gaps["total"], 60, "no service has an A yet");

        let bad = app.call(&viewer, "services", &[("query[sort]", "password"), ("query[tier]", "9")]).await;
        assert_eq!(bad.status(), StatusCode::UNPROCESSABLE_ENTITY);
        assert_eq!(fields(&json(bad).await), vec!["tier", "sort"]);

        let page = viewer.get(app.url("/services?tier=0&sort=name&dir=desc")).send().await.unwrap().text().await.unwrap();
        assert!(page.contains("12 services") && page.contains("SVC-055"), "{page}");
    }
}

both_backends! {
    async fn service_owners_change_only_their_own_services(backend: Backend) {
        let app = spawn_app(backend).await;
        let (manager, _) = app.signed_in(Role::ContinuityManager).await;
        let (owner, me) = app.signed_in(Role::ServiceOwner).await;
        two_sites(&app, &manager).await;
        for key in ["PAY-API", "IDP"] {
            assert_eq!(save(&app, &manager, &service_form(key, "1")).await.status(), StatusCode::OK);
        }
        let assign = [("subject", "service"), ("key", "PAY-API"), ("party", me.email.as_str()), ("letter", "R")];
        assert_eq!(app.call(&manager, "assign_raci", &assign).await.status(), StatusCode::OK);
        let assign_a = [("subject", "service"), ("key", "PAY-API"), ("party", "Head of Payments"), ("letter", "A")];
        assert_eq!(app.call(&manager, "assign_raci", &assign_a).await.status(), StatusCode::OK);

        let mut mine = service_form("PAY-API", "0");
        mine.push(("original_key", "PAY-API"));
        assert_eq!(save(&app, &owner, &mine).await.status(), StatusCode::OK, "the owner edits PAY-API");
        let dep = [("service", "PAY-API"), ("depends_on", "IDP"), ("kind", "soft")];
        assert_eq!(app.call(&owner, "save_dependency", &dep).await.status(), StatusCode::OK);
        let detail = json(app.call(&owner, "service", &[("key", "PAY-API")]).await).await;
        assert_eq!((detail["can_edit"].as_bool(), detail["can_assign"].as_bool()), (Some(true), Some(false)));
        assert_eq!(detail["raci_gap"], Value::Null);

        let denials_before = app.audit_actions().await.iter().filter(|a| *a == "access_denied").count();
        let mut theirs = service_form("IDP", "0");
        theirs.push(("original_key", "IDP"));
        let res = save(&app, &owner, &theirs).await;
        assert_eq!(res.status(), StatusCode::FORBIDDEN);
        assert!(json(res).await["message"].as_str().unwrap().contains("IDP"));
        let dep = [("service", "IDP"), ("depends_on", "PAY-API"), ("kind", "hard")];
        assert_eq!(app.call(&owner, "save_dependency", &dep).await.status(), StatusCode::FORBIDDEN);
        assert_eq!(save(&app, &owner, &service_form("NEW-SVC", "2")).await.status(), StatusCode::FORBIDDEN);
        assert_eq!(app.call(&owner, "service_form", &[("key", "IDP")]).await.status(), StatusCode::FORBIDDEN);
        assert_eq!(app.call(&owner, "assign_raci", &assign).await.status(), StatusCode::FORBIDDEN);
        let page = owner.get(app.url("/services/IDP/edit")).send().await.unwrap();
        assert_eq!(page.status(), StatusCode::FORBIDDEN);
        let denials = app.audit_actions().await.iter().filter(|a| *a == "access_denied").count();
        assert_eq!(denials - denials_before, 6, "every refusal is audited");
        let idp = json(app.call(&owner, "service", &[("key", "IDP")]).await).await;
        assert_eq!(idp["can_edit"], false);
        assert_eq!(idp["service"]["tier"], 1, "unchanged");
    }
}

both_backends! {
    async fn the_raci_matrix_counts_services_without_exactly_one_a(backend: Backend) {
        let app = spawn_app(backend).await;
        let (manager, _) = app.signed_in(Role::ContinuityManager).await;
        two_sites(&app, &manager).await;
        many_services(&app, 3).await;
        let give = |key: &'static str, party: &'static str, letter: &'static str, remove: &'static str| {
            vec![("subject", "service"), ("key", key), ("party", party), ("letter", letter), ("remove", remove)]
        };
        for form in [give("SVC-000", "ops", "A", "false"), give("SVC-000", "dev", "R", "false"), give("SVC-001", "ops", "A", "false"), give("SVC-001", "dev", "A", "false")] {
            assert_eq!(app.call(&manager, "assign_raci", &form).await.status(), StatusCode::OK);
        }
        let view = json(app.call(&manager, "raci", &[]).await).await;
        assert_eq!(view["incomplete"], 2, "SVC-001 has two A, SVC-002 none");
        assert_eq!(view["matrix"]["parties"], serde_json::json!(["dev", "ops"]));
        assert_eq!(view["matrix"]["rows"][0]["cells"], serde_json::json!(["R", "A"]));
        assert!(view["matrix"]["rows"][1]["gap"].as_str().unwrap().contains("2 parties"));

        assert_eq!(app.call(&manager, "assign_raci", &give("SVC-001", "dev", "A", "true")).await.status(), StatusCode::OK);
        let view = json(app.call(&manager, "raci", &[("query[raci]", "incomplete")]).await).await;
        assert_eq!(view["incomplete"], 1);
        assert_eq!(view["matrix"]["rows"].as_array().unwrap().len(), 1);
        assert_eq!(view["matrix"]["rows"][0]["key"], "SVC-002");
        let page = manager.get(app.url("/raci")).send().await.unwrap().text().await.unwrap();
        assert!(page.contains("1 service lacks exactly one accountable"), "{page}");
        let history = json(app.call(&manager, "service", &[("key", "SVC-001")]).await).await["history"].clone();
        assert_eq!(history[0]["fields"][0]["field"], "raci dev");
        assert_eq!(history[0]["fields"][0]["before"], "A");
    }
}

both_backends! {
    async fn clashing_networks_between_failover_sites_are_reported(backend: Backend) {
        let app = spawn_app(backend).await;
        let (manager, _) = app.signed_in(Role::ContinuityManager).await;
        for (key, subnets, vlans) in [("DC-FRA", "10.1.0.0/16", "100;200"), ("DC-AMS", "10.1.128.0/17", "200"), ("DC-LON", "10.1.0.0/16", "100")] {
            let site = [("site[key]", key), ("site[name]", key), ("site[country]", "DE"), ("site[kind]", "datacenter"), ("site[subnets]", subnets), ("site[vlans]", vlans)];
            assert_eq!(app.call(&manager, "save_site", &site).await.status(), StatusCode::OK);
        }
        let none: Value = json(app.call(&manager, "sites", &[]).await).await;
        assert_eq!(none["clashes"], serde_json::json!([]), "no service fails over yet");
        assert_eq!(save(&app, &manager, &service_form("PAY-API", "0")).await.status(), StatusCode::OK);
        let list = json(app.call(&manager, "sites", &[]).await).await;
        assert_eq!(
            list["clashes"],
            serde_json::json!([
                "subnet 10.1.0.0/16 at DC-FRA overlaps 10.1.128.0/17 at DC-AMS",
                "VLAN 200 is used at both DC-FRA and DC-AMS"
            ]),
            "DC-LON clashes too, but nothing fails over to it"
        );
        let page = manager.get(app.url("/sites")).send().await.unwrap().text().await.unwrap();
        assert!(page.contains("2 clash(es) between failover sites"), "{page}");
    }
}
