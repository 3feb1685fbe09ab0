//! Sites over HTTP on both backends: create, edit (with rename), delete,
//! history and audit, bad input, permissions.

use app::domain::access::Role;
use continuity_tests::{both_backends, spawn_app};
use reqwest::StatusCode;
use serde_json::Value;

const FRA: &[(&str, &str)] = &[
    ("site[key]", "DC-FRA"),
    ("site[name]", "Frankfurt 1"),
    ("site[region]", "eu-central"),
    ("site[country]", "de"),
    ("site[kind]", "datacenter"),
    ("site[cpu_cores]", "2048"),
    ("site[memory_gb]", "16384"),
    ("site[storage_tb]", "900"),
    ("site[subnets]", "10.1.0.0/16;10.2.0.0/16"),
    ("site[vlans]", "100;200"),
];

fn with(changes: &[(&'static str, &'static str)]) -> Vec<(&'static str, &'static str)> {
    FRA.iter()
        .map(|(k, v)| {
            changes
                .iter()
                .find(|(ck, _)| ck == k)
                .copied()
                .unwrap_or((*k, *v))
        })
        .collect()
}

async fn json(res: reqwest::Response) -> Value {
    res.json().await.expect("a JSON body")
}

both_backends! {
    async fn a_manager_creates_edits_renames_and_deletes_a_site(backend: Backend) {
        let app = spawn_app(backend).await;
        let (manager, _) = app.signed_in(Role::ContinuityManager).await;

        let created = app.call(&manager, "save_site", FRA).await;
        assert_eq!(created.status(), StatusCode::OK);
        assert_eq!(created.headers()["location"], "/sites/DC-FRA");
        let site = json(created).await;
        assert_eq!(site["country"], "DE");
        assert_eq!(site["subnets"], serde_json::json!(["10.1.0.0/16", "10.2.0.0/16"]));

        let again = app.call(&manager, "save_site", FRA).await;
        assert_eq!(again.status(), StatusCode::UNPROCESSABLE_ENTITY);
        assert_eq!(json(again).await["field"], "key");

        let mut renamed = with(&[("site[key]", "DC-FRA-1"), ("site[name]", "Frankfurt One")]);
        renamed.push(("original_key", "DC-FRA"));
        let updated = app.call(&manager, "save_site", &renamed).await;
        assert_eq!(updated.status(), StatusCode::OK);

        let detail = json(app.call(&manager, "site", &[("key", "DC-FRA-1")]).await).await;
        assert_eq!(detail["site"]["name"], "Frankfurt One");
        assert_eq!(detail["can_edit"], true);
        let history = detail["history"].as_array().unwrap();
        assert_eq!(history.len(), 2, "created, then updated: {history:?}");
        assert_eq!(history[0]["change"], "updated");
        let fields: Vec<&str> = history[0]["fields"].as_array().unwrap().iter().map(|f| f["field"].as_str().unwrap()).collect();
        assert_eq!(fields, vec!["key", "name"]);
        assert_eq!(history[0]["fields"][1]["before"], "Frankfurt 1");
        assert_eq!(history[0]["fields"][1]["after"], "Frankfurt One");

        let page = manager.get(app.url("/sites/DC-FRA-1")).send().await.unwrap().text().await.unwrap();
        assert!(page.contains("Frankfurt One") && page.contains("History"), "{page}");
        let list = manager.get(app.url("/sites?q=frank")).send().await.unwrap().text().await.unwrap();
        assert!(list.contains("DC-FRA-1"));

        let deleted = app.call(&manager, "delete_site", &[("key", "DC-FRA-1")]).await;
        assert_eq!(deleted.status(), StatusCode::OK);
        let gone = app.call(&manager, "site", &[("key", "DC-FRA-1")]).await;
        assert_eq!(gone.status(), StatusCode::NOT_FOUND);

        let actions = app.audit_actions().await;
        for action in ["site_created", "site_updated", "site_deleted"] {
            assert!(actions.contains(&action.to_string()), "{action} in {actions:?}");
        }
    }
}

both_backends! {
    async fn a_bad_site_names_every_field_and_changes_nothing(backend: Backend) {
        let app = spawn_app(backend).await;
        let (manager, _) = app.signed_in(Role::ContinuityManager).await;
        let audit_before = app.audit_actions().await.len();
        let bad = with(&[("site[key]", "dc fra"), ("site[country]", "XX"), ("site[subnets]", "10.0.0.0/33"), ("site[cpu_cores]", "lots")]);
        let res = app.call(&manager, "save_site", &bad).await;
        assert_eq!(res.status(), StatusCode::UNPROCESSABLE_ENTITY);
        let body = json(res).await;
        let fields: Vec<&str> = body["errors"].as_array().unwrap().iter().map(|e| e["field"].as_str().unwrap()).collect();
        assert_eq!(fields, vec!["key", "country", "subnets", "cpu_cores"]);
        assert_eq!(app::server::db::sites::count(&app.db).await.unwrap(), 0);
        assert_eq!(app.audit_actions().await.len(), audit_before);
    }
}

both_backends! {
    async fn only_admins_and_managers_edit_sites(backend: Backend) {
        let app = spawn_app(backend).await;
        for role in Role::ALL {
            let (client, _) = app.signed_in(role).await;
            let allowed = matches!(role, Role::Admin | Role::ContinuityManager);
            let key = format!("DC-{}", role.as_str().to_uppercase().replace('_', "-"));
            let mut form = with(&[]);
            form.retain(|(k, _)| *k != "site[key]");
            form.push(("site[key]", key.as_str()));
            let res = app.call(&client, "save_site", &form).await;
            let expected = if allowed { StatusCode::OK } else { StatusCode::FORBIDDEN };
            assert_eq!(res.status(), expected, "{role} saving a site");
            let res = app.call(&client, "delete_site", &[("key", "DC-NONE")]).await;
            let expected = if allowed { StatusCode::NOT_FOUND } else { StatusCode::FORBIDDEN };
            assert_eq!(res.status(), expected, "{role} deleting a site");
            let list = app.call(&client, "sites", &[]).await;
            assert_eq!(list.status(), StatusCode::OK, "{role} reads sites");
            assert_eq!(json(list).await["can_edit"], allowed);
            let page = client.get(app.url("/sites")).send().await.unwrap();
            assert_eq!(page.status(), StatusCode::OK, "{role} opens the sites page");
        }
    }
}
