//! Each page's main flow in real headless Chromium, with and without
//! JavaScript.

use app::domain::access::Role;
use continuity_tests::browser::Browser;
use continuity_tests::{spawn_app, Backend, PASSWORD};

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn signing_in_and_out_after_hydration() {
    let app = spawn_app(Backend::Sqlite).await;
    let user = app.with_user(Role::ContinuityManager).await;
    let b = Browser::start(true).await;
    b.client.goto(&app.url("/")).await.unwrap();
    assert!(
        b.client
            .current_url()
            .await
            .unwrap()
            .path()
            .ends_with("/login"),
        "signed-out visitors go to sign-in"
    );
    b.wait_hydrated().await;
    b.assert_accessible("sign-in").await;

    // Hydration: the password toggle works in place, without a page load.
    b.client
        .execute("window.__samePage = true", vec![])
        .await
        .unwrap();
    b.fill("#password", "secret").await;
    assert_eq!(
        b.wait_for("#password")
            .await
            .attr("type")
            .await
            .unwrap()
            .as_deref(),
        Some("password")
    );
    b.click("#toggle-password").await;
    b.wait_for("#password[type='text']").await;
    b.wait_for_text("#toggle-password", "Hide").await;
    let same = b
        .client
        .execute("return window.__samePage === true", vec![])
        .await
        .unwrap();
    assert_eq!(same, serde_json::json!(true), "no page load happened");

    // A wrong password shows the error in place.
    b.fill("#email", &user.email).await;
    b.fill("#password", "not the password").await;
    b.click("button[type='submit']").await;
    b.wait_for_text("#login-error", "Wrong email or password.")
        .await;

    // The right one signs in.
    b.fill("#password", PASSWORD).await;
    b.click("button[type='submit']").await;
    b.wait_for_text("main h1", "Dashboard").await;
    b.wait_for_text(".who .role", "Continuity manager").await;
    b.wait_for_text("#chain-status", "Audit chain verified")
        .await;
    b.screenshot("dashboard").await;
    b.assert_accessible("dashboard").await;

    // Signing out returns to the sign-in page.
    b.wait_hydrated().await;
    b.click(".who button[type='submit']").await;
    b.wait_for_text("main h1", "Sign in").await;
    b.client.goto(&app.url("/")).await.unwrap();
    b.wait_for_text("main h1", "Sign in").await;
    b.close().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn signing_in_works_without_javascript() {
    let app = spawn_app(Backend::Sqlite).await;
    let user = app.with_user(Role::Viewer).await;
    let b = Browser::start(false).await;
    b.client.goto(&app.url("/login")).await.unwrap();

    b.fill("#email", &user.email).await;
    b.fill("#password", "not the password").await;
    b.click("button[type='submit']").await;
    b.wait_for_text("#login-error", "Wrong email or password.")
        .await;

    b.fill("#email", &user.email).await;
    b.fill("#password", PASSWORD).await;
    b.click("button[type='submit']").await;
    b.wait_for_text("main h1", "Dashboard").await;
    let hydrated = b
        .client
        .find(fantoccini::Locator::Css("body[data-hydrated]"))
        .await;
    assert!(hydrated.is_err(), "JavaScript really was off");
    b.close().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn an_admin_adds_a_user_and_finds_it_in_the_audit_log() {
    let app = spawn_app(Backend::Sqlite).await;
    let admin = app.with_user(Role::Admin).await;
    let b = Browser::start(true).await;
    b.sign_in(&app.url(""), &admin.email, "/users", "Users")
        .await;

    // A bad email is reported beside the field.
    b.fill("#new-email", "not-an-email").await;
    b.fill("#new-password", PASSWORD).await;
    b.client
        .execute("document.getElementById('new-email').type = 'text'", vec![])
        .await
        .unwrap();
    b.click("section.card button[type='submit']").await;
    b.wait_for_text("#new-email-error", "must look like name@example.com")
        .await;
    b.screenshot("users").await;
    b.assert_accessible("users").await;

    b.fill("#new-email", "dana@example.com").await;
    b.fill("#new-name", "Dana Auditor").await;
    b.wait_for("#new-role")
        .await
        .select_by_value("auditor")
        .await
        .unwrap();
    b.fill("#new-password", PASSWORD).await;
    b.click("section.card button[type='submit']").await;
    b.wait_for_text("#users", "dana@example.com").await;
    b.wait_for_text("#users tr[data-email='dana@example.com']", "Dana Auditor")
        .await;

    b.click("a[href='/audit']").await;
    b.wait_for_text("main h1", "Audit log").await;
    b.wait_for_text("#audit-events", "user_created").await;
    b.wait_for_text("#audit-events", "dana@example.com").await;
    b.screenshot("audit-log").await;
    b.assert_accessible("audit log").await;
    b.close().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_manager_adds_and_edits_a_site_and_sees_its_history() {
    let app = spawn_app(Backend::Sqlite).await;
    let manager = app.with_user(Role::ContinuityManager).await;
    let b = Browser::start(true).await;
    b.sign_in(&app.url(""), &manager.email, "/sites", "Sites")
        .await;
    b.click("a[href='/sites/new']").await;
    b.wait_for_text("main h1", "Add a site").await;

    // Every bad field is reported beside it, and what was typed stays.
    b.fill("#site-key", "dc fra").await;
    b.fill("#site-name", "Frankfurt 1").await;
    b.fill("#site-country", "XX").await;
    b.click("main button[type='submit']").await;
    b.wait_for_text("#site-key-error", "must start with A-Z or 0-9")
        .await;
    b.wait_for_text("#site-country-error", "ISO 3166").await;
    let typed = b.wait_for("#site-name").await.prop("value").await.unwrap();
    assert_eq!(typed.as_deref(), Some("Frankfurt 1"));
    b.assert_accessible("site form").await;

    b.fill("#site-key", "DC-FRA").await;
    b.fill("#site-country", "DE").await;
    b.fill("#site-subnets", "10.1.0.0/16").await;
    b.click("main button[type='submit']").await;
    b.wait_for_text("#site-name", "DC-FRA — Frankfurt 1").await;
    b.wait_for_text("#history-table", "created").await;

    b.click("a[href='/sites/DC-FRA/edit']").await;
    b.wait_for_text("main h1", "Edit site").await;
    b.fill("#site-name", "Frankfurt One").await;
    b.click("main button[type='submit']").await;
    b.wait_for_text("#site-name", "DC-FRA — Frankfurt One")
        .await;
    b.wait_for_text("#history-table", "updated").await;
    b.screenshot("site").await;
    b.assert_accessible("site").await;
    b.close().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_manager_adds_services_and_a_dependency_and_sees_the_graph() {
    let app = spawn_app(Backend::Sqlite).await;
    let manager = app.with_user(Role::ContinuityManager).await;
    let b = Browser::start(true).await;
    b.sign_in(&app.url(""), &manager.email, "/sites/new", "Add a site")
        .await;
    b.fill("#site-key", "DC-FRA").await;
    b.fill("#site-name", "Frankfurt 1").await;
    b.fill("#site-country", "DE").await;
    b.click("main button[type='submit']").await;
    b.wait_for_text("#site-name", "DC-FRA — Frankfurt 1").await;

    b.click("nav a[href='/services']").await;
    b.wait_for_text("main h1", "Services").await;
    b.wait_for_text("#service-count", "0 services").await;
    b.assert_accessible("service list").await;
    for (key, tier) in [("IDP", "0"), ("PAY-API", "1")] {
        b.click("a[href='/services/new']").await;
        b.wait_for_text("main h1", "Add a service").await;
        b.fill("#svc-key", key).await;
        b.fill("#svc-name", &format!("{key} service")).await;
        b.choose("#svc-tier", tier).await;
        b.fill("#svc-recovery", "soon").await;
        b.click("main button[type='submit']").await;
        // The bad field is named beside it; what was typed stays.
        b.wait_for_text("#svc-recovery-error", "whole number").await;
        let typed = b.wait_for("#svc-name").await.prop("value").await.unwrap();
        assert_eq!(typed, Some(format!("{key} service")));
        b.fill("#svc-recovery", "20").await;
        b.click("main button[type='submit']").await;
        b.wait_for_text("#service-name", &format!("{key} — {key} service"))
            .await;
        b.click("nav a[href='/services']").await;
        b.wait_for_text("main h1", "Services").await;
    }
    b.assert_accessible("service form").await;

    b.click("a[href='/services/PAY-API']").await;
    b.wait_for_text("#service-name", "PAY-API").await;
    b.fill("#dep-on", "IDP").await;
    b.fill("#dep-note", "sign-in").await;
    b.click("#graph-heading ~ form button[type='submit']").await;
    b.wait_for_text("#depends-on", "IDP").await;
    b.wait_for_text("figure.graph svg", "IDP").await;
    b.wait_for_text("#history-table", "depends_on IDP").await;

    b.fill("#raci-party", &manager.email).await;
    b.choose("#raci-letter", "A").await;
    b.click("#raci-heading ~ form button[type='submit']").await;
    b.wait_for_text("#raci-list", &manager.email).await;
    b.screenshot("service").await;
    b.assert_accessible("service").await;

    b.click("nav a[href='/raci']").await;
    b.wait_for_text("#raci-summary", "1 service lacks").await;
    b.wait_for_text("#raci-matrix", "PAY-API").await;
    b.screenshot("raci").await;
    b.assert_accessible("RACI matrix").await;
    b.close().await;
}
