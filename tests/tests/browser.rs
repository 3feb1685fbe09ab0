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
