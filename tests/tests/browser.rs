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

/// Two sites and the services PAY-API and PAY-DB, imported.
async fn payment_inventory(app: &continuity_tests::TestApp) {
    use app::domain::access::Permission;
    use app::domain::inventory::csv_file::Exchange;
    use app::server::auth::Granted;
    use app::server::usecases::{audit::now, import::import};
    let sites = "key,name,region,country,kind,cpu_cores,memory_gb,storage_tb\n\
                 DC-FRA,Frankfurt,eu,DE,datacenter,100,100,10\nDC-AMS,Amsterdam,eu,NL,datacenter,100,100,10\n";
    let services = "key,name,kind,owner_team,tier,primary_site,secondary_site,topology,recovery_minutes,cpu_cores,memory_gb,storage_tb,dns_ttl_seconds,stateful,data_jurisdictions\n\
                    PAY-API,Payments API,application,Payments,0,DC-FRA,DC-AMS,hot_standby,10,4,8,0,60,false,\n\
                    PAY-DB,Payments database,database,Payments,0,DC-FRA,DC-AMS,hot_standby,20,8,32,2,60,true,DE\n";
    let files = vec![
        (Exchange::Sites, sites.as_bytes().to_vec()),
        (Exchange::Services, services.as_bytes().to_vec()),
    ];
    import(
        &app.db,
        &Granted::operator(Permission::ImportCsv),
        files,
        now(),
    )
    .await
    .expect("the inventory imports");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_manager_maps_a_process_a_vendor_and_replication_and_imports_files() {
    let app = spawn_app(Backend::Sqlite).await;
    payment_inventory(&app).await;
    let manager = app.with_user(Role::ContinuityManager).await;
    let b = Browser::start(true).await;
    b.sign_in(
        &app.url(""),
        &manager.email,
        "/processes",
        "Business processes",
    )
    .await;
    b.click("a[href='/processes/new']").await;
    b.wait_for_text("main h1", "Add a business process").await;
    b.fill("#process-key", "TAKE-PAYMENT").await;
    b.fill("#process-name", "Take card payments").await;
    b.choose("#process-criticality", "critical").await;
    b.fill("#process-services", "PAY-API;PAY-NOPE").await;
    b.click("main button[type='submit']").await;
    b.wait_for_text("#process-services-error", "PAY-NOPE").await;
    b.assert_accessible("process form").await;
    b.fill("#process-services", "PAY-API;PAY-DB").await;
    b.click("main button[type='submit']").await;
    b.wait_for_text("#process-name", "TAKE-PAYMENT — Take card payments")
        .await;
    b.wait_for_text("#process-services", "PAY-DB").await;
    b.fill("#raci-party", "Head of Payments").await;
    b.choose("#raci-letter", "A").await;
    b.click("#raci-heading ~ form button[type='submit']").await;
    b.wait_for_text("#raci-list", "Head of Payments").await;
    b.wait_for_text("#history-table", "raci Head of Payments")
        .await;
    b.screenshot("process").await;
    b.assert_accessible("process").await;

    b.click("nav a[href='/vendors']").await;
    b.wait_for_text("main h1", "Vendors").await;
    b.click("a[href='/vendors/new']").await;
    b.wait_for_text("main h1", "Add a vendor").await;
    b.fill("#vendor-name-field", "Acme Cloud & Co").await;
    b.fill("#vendor-recovery", "240").await;
    b.fill("#vendor-services-field", "PAY-DB").await;
    b.click("main button[type='submit']").await;
    b.wait_for_text("#vendor-name", "Acme Cloud & Co").await;
    b.wait_for_text("#vendor-services", "PAY-DB").await;
    b.assert_accessible("vendor").await;

    b.click("#vendor-services a").await;
    b.wait_for_text("#service-name", "PAY-DB").await;
    b.wait_for_text("#used-by", "TAKE-PAYMENT").await;
    b.wait_for_text("#relies-on", "Acme Cloud & Co").await;
    b.choose("#rep-mode", "async").await;
    b.fill("#rep-source", "DC-FRA").await;
    b.fill("#rep-target", "DC-AMS").await;
    b.click("#replication-heading ~ form button[type='submit']")
        .await;
    b.wait_for_text("#rep-lag-error", "expected lag").await;
    b.fill("#rep-lag", "30").await;
    b.click("#replication-heading ~ form button[type='submit']")
        .await;
    b.wait_for_text("#replication", "lag 30 s").await;
    b.assert_accessible("service with replication").await;

    let dir = tempfile::tempdir().unwrap();
    let upload = |name: &str, text: &str| {
        let path = dir.path().join(name);
        std::fs::write(&path, text).unwrap();
        path.display().to_string()
    };
    let header = "name,availability_percent,response_minutes,recovery_minutes,rpo_minutes,contract_end,services\n";
    b.click("nav a[href='/import']").await;
    b.wait_for_text("main h1", "Import").await;
    let bad = upload(
        "vendors.csv",
        &format!("{header}Beta,150,,,,,PAY-API\nGamma,99.9,,,,,NOPE\n"),
    );
    b.attach("#import-files", &bad).await;
    b.click("main form button[type='submit']").await;
    b.wait_for_text("#import-errors", "there is no service NOPE")
        .await;
    b.wait_for_text("#import-errors", "availability_percent")
        .await;
    b.assert_accessible("import errors").await;
    let good = upload("vendors.csv", &format!("{header}Beta,99.9,,,,,PAY-API\n"));
    b.attach("#import-files", &good).await;
    b.click("main form button[type='submit']").await;
    b.wait_for_text("#import-summary", "vendors.csv").await;
    b.screenshot("import").await;
    b.assert_accessible("import").await;
    b.close().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_manager_approves_a_bia_and_reads_gaps_waves_and_a_site_loss() {
    use app::domain::access::Permission;
    use app::domain::inventory::csv_file::Exchange;
    use app::server::auth::Granted;
    use app::server::usecases::{audit::now, import::import};
    let app = spawn_app(Backend::Sqlite).await;
    payment_inventory(&app).await;
    let more = vec![
        (
            Exchange::Dependencies,
            b"service,depends_on,kind\nPAY-API,PAY-DB,hard\n".to_vec(),
        ),
        (
            Exchange::Processes,
            b"key,name,owner,criticality,services\nPAY,Take payments,CFO,critical,PAY-API\n"
                .to_vec(),
        ),
    ];
    import(
        &app.db,
        &Granted::operator(Permission::ImportCsv),
        more,
        now(),
    )
    .await
    .unwrap();
    let manager = app.with_user(Role::ContinuityManager).await;
    let b = Browser::start(true).await;
    b.sign_in(
        &app.url(""),
        &manager.email,
        "/processes/PAY",
        "Business process",
    )
    .await;
    b.click("#bia-link").await;
    b.wait_for_text("main h1", "Business impact analysis").await;
    b.choose("#impact-financial_240", "3").await;
    b.fill("#bia-mtpd", "60").await;
    b.fill("#bia-rto", "120").await;
    b.fill("#bia-rpo", "5").await;
    b.click("#bia-form-heading ~ form button[type='submit']")
        .await;
    b.wait_for_text("#bia-rto-error", "must not exceed the MTPD")
        .await;
    b.fill("#bia-mtpd", "240").await;
    b.fill("#bia-rto", "25").await;
    b.click("#bia-form-heading ~ form button[type='submit']")
        .await;
    b.wait_for_text("#bia-versions", "draft").await;
    b.click("#versions-heading ~ form button[type='submit']")
        .await;
    b.wait_for_text("#bia-versions", "approved").await;
    b.screenshot("bia").await;
    b.assert_accessible("BIA").await;

    b.click("a[href='/processes/PAY']").await;
    b.wait_for_text("#process-name", "PAY").await;
    b.click("#process-services a[href='/services/PAY-API']")
        .await;
    b.wait_for_text(
        "#achievable-rto",
        "A(PAY-API) = 30 min: PAY-API 10 + PAY-DB 20",
    )
    .await;
    b.wait_for_text("#findings", "rto_gap").await;
    b.wait_for_text("#readiness", "BIA current").await;
    b.assert_accessible("service with recovery").await;

    b.click("nav a[href='/gaps']").await;
    b.wait_for_text("#gaps", "PAY-API").await;
    b.choose("#gap-kind", "rto_gap").await;
    b.click("main form button[type='submit']").await;
    b.wait_for_text("#gaps", "5 min too slow").await;
    b.screenshot("gaps").await;
    b.assert_accessible("gaps").await;

    b.click("nav a[href='/startup']").await;
    b.wait_for_text("#waves", "Wave 1").await;
    b.assert_accessible("startup order").await;

    b.click("nav a[href='/simulation']").await;
    b.choose("#loss-site", "DC-FRA").await;
    b.click("main form button[type='submit']").await;
    b.wait_for_text("#loss-summary", "breach their RTO").await;
    b.wait_for_text("#loss-waves", "PAY-DB").await;
    b.wait_for_text("#loss-processes", "PAY").await;
    b.screenshot("site-loss").await;
    b.assert_accessible("site loss").await;
    b.close().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn three_incident_commanders_fail_over_a_site_through_the_war_room() {
    use app::domain::inventory::csv_file::Exchange;
    let app = spawn_app(Backend::Sqlite).await;
    app.import_csv(&[
        (
            Exchange::Sites,
            "key,name,region,country,kind,cpu_cores,memory_gb,storage_tb\n\
             DC-FRA,Frankfurt,eu,DE,datacenter,100,100,100\nDC-AMS,Amsterdam,eu,NL,datacenter,100,100,100\n",
        ),
        (
            Exchange::Services,
            "key,name,kind,owner_team,tier,primary_site,secondary_site,topology,recovery_minutes,cpu_cores,memory_gb,storage_tb,dns_ttl_seconds,stateful,data_jurisdictions\n\
             PAY-DB,Payments database,database,Payments,0,DC-FRA,DC-AMS,hot_standby,30,1,1,1,60,false,\n\
             PAY-API,Payments API,application,Payments,0,DC-FRA,DC-AMS,hot_standby,10,1,1,0,60,false,\n",
        ),
        (Exchange::Dependencies, "service,depends_on,kind\nPAY-API,PAY-DB,hard\n"),
    ])
    .await;

    // The continuity manager writes and approves the database's runbook.
    let manager = app.with_user(Role::ContinuityManager).await;
    let m = Browser::start(true).await;
    m.sign_in(
        &app.url(""),
        &manager.email,
        "/runbooks/service/PAY-DB",
        "Runbook",
    )
    .await;
    m.fill(
        "input[name='runbook[steps][0][title]']",
        "Promote the DC-AMS replica",
    )
    .await;
    m.fill("input[name='runbook[steps][0][role]']", "DBA on call")
        .await;
    m.fill("input[name='runbook[steps][0][expected_minutes]']", "abc")
        .await;
    m.click("#runbook-form-heading ~ form button[type='submit']")
        .await;
    m.wait_for_text("#runbook-errors", "steps[1].expected_minutes")
        .await;
    m.fill("input[name='runbook[steps][0][expected_minutes]']", "10")
        .await;
    m.fill(
        "input[name='runbook[steps][1][title]']",
        "Check replication position",
    )
    .await;
    m.fill("input[name='runbook[steps][1][role]']", "DBA on call")
        .await;
    m.fill("input[name='runbook[steps][1][expected_minutes]']", "5")
        .await;
    m.choose("select[name='runbook[steps][1][kind]']", "verify")
        .await;
    m.fill(
        "input[name='runbook[rollback][0][title]']",
        "Reconcile late writes",
    )
    .await;
    m.fill("input[name='runbook[rollback][0][role]']", "DBA on call")
        .await;
    m.fill("input[name='runbook[rollback][0][expected_minutes]']", "15")
        .await;
    m.choose("select[name='runbook[rollback][0][kind]']", "reconcile")
        .await;
    m.click("#runbook-form-heading ~ form button[type='submit']")
        .await;
    m.wait_for_text("#runbook-versions", "draft").await;
    m.click("#versions-heading ~ form button[type='submit']")
        .await;
    m.wait_for_text("#runbook-versions", "approved").await;
    m.wait_for_text("#steps", "Promote the DC-AMS replica")
        .await;
    m.screenshot("runbook").await;
    m.assert_accessible("runbook").await;
    // The list offers the site's scenario, drafted from its simulation.
    m.client.goto(&app.url("/runbooks")).await.unwrap();
    m.wait_hydrated().await;
    m.wait_for_text("#runbooks", "PAY-DB").await;
    m.assert_accessible("runbooks").await;
    m.click("form:has(input[value='DC-FRA']) button[type='submit']")
        .await;
    m.wait_for_text("#runbook-versions", "draft").await;
    m.wait_for_text("#steps", "Promote the DC-AMS replica")
        .await;
    m.wait_for_text("#steps", "Enable user access").await;
    m.close().await;

    // IC-A requests the failover of the site and may not approve it.
    let ic_a = app.with_user(Role::IncidentCommander).await;
    let ic_b = app.with_user(Role::IncidentCommander).await;
    let a = Browser::start(true).await;
    a.sign_in(&app.url(""), &ic_a.email, "/failover", "Failover")
        .await;
    a.choose("#request-site", "DC-FRA").await;
    a.fill("#request-reason", "Cooling failure in Frankfurt")
        .await;
    a.click("#request-heading ~ form button[type='submit']")
        .await;
    a.wait_for_text("#approvals", "0 of 2 required").await;
    a.wait_for_text("#needs-approvals", "2 approvals").await;
    assert!(
        a.client
            .find(fantoccini::Locator::Css("#approve"))
            .await
            .is_err(),
        "the requester is not offered approval"
    );
    a.assert_accessible("failover request").await;
    let id = a
        .client
        .current_url()
        .await
        .unwrap()
        .path()
        .rsplit('/')
        .next()
        .unwrap()
        .to_string();

    // IC-B sees it waiting, approves; one approval is not enough.
    let b = Browser::start(true).await;
    b.sign_in(&app.url(""), &ic_b.email, "/failover", "Failover")
        .await;
    b.wait_for_text("#approvals-badge", "1").await;
    b.click(&format!("#awaiting-me a[href='/failover/{id}']"))
        .await;
    b.wait_for_text("#decide-heading", "Your decision").await;
    b.wait_hydrated().await;
    b.click("#approve").await;
    b.wait_for_text("#approvals", "1 of 2 required").await;
    b.assert_accessible("failover approved once").await;

    // IC-C approves (through the API of the page); IC-A's page offers the start.
    let (ic_c, _) = app.signed_in(Role::IncidentCommander).await;
    let approved = app
        .call(
            &ic_c,
            "decide_failover",
            &[("id", id.as_str()), ("decision", "approve")],
        )
        .await;
    assert!(approved.status().is_success());
    a.wait_for("#start-execution").await;
    a.screenshot("failover-request").await;
    a.click("#start-execution").await;
    a.wait_for("#war-room").await;
    b.wait_for("#war-room").await;

    // IC-A runs every step; IC-B's page follows without reloading.
    b.client
        .execute("window.__watching = true", vec![])
        .await
        .unwrap();
    let rows = a
        .client
        .find_all(fantoccini::Locator::Css("#main-steps tbody tr"))
        .await
        .unwrap()
        .len();
    assert_eq!(rows, 4, "PAY-DB's step and check, PAY-API's, user access");
    for n in 1..=rows {
        a.click(&format!(
            "tr[data-step='main-{n}'] button[aria-label='Start main {n}']"
        ))
        .await;
        a.wait_for(&format!("tr[data-step='main-{n}'][data-state='running']"))
            .await;
        a.click(&format!(
            "tr[data-step='main-{n}'] button[aria-label='Finish main {n}']"
        ))
        .await;
        a.wait_for(&format!("tr[data-step='main-{n}'][data-state='succeeded']"))
            .await;
        b.wait_for(&format!("tr[data-step='main-{n}'][data-state='succeeded']"))
            .await;
    }
    let watching = b
        .client
        .execute("return window.__watching === true", vec![])
        .await
        .unwrap();
    assert_eq!(
        watching,
        serde_json::json!(true),
        "IC-B's page updated in place"
    );
    a.wait_for_text("#user-access", "every verification check has passed")
        .await;
    a.screenshot("war-room").await;
    a.assert_accessible("war room").await;
    a.click("#complete").await;
    a.wait_for("[data-status='completed']").await;
    b.wait_for("[data-status='completed']").await;
    b.close().await;

    // The database's recovery is now demonstrated on the analysis pages.
    a.client.goto(&app.url("/services/PAY-DB")).await.unwrap();
    a.wait_for_text("#recovery-facts", "demonstrated").await;
    a.close().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_manager_runs_a_drill_and_an_owner_records_results_through_to_the_report() {
    use app::domain::inventory::csv_file::Exchange;
    let app = spawn_app(Backend::Sqlite).await;
    app.import_csv(&[
        (
            Exchange::Sites,
            "key,name,region,country,kind,cpu_cores,memory_gb,storage_tb\n\
             DC-FRA,Frankfurt,eu,DE,datacenter,100,100,100\nDC-AMS,Amsterdam,eu,NL,datacenter,100,100,100\n",
        ),
        (
            Exchange::Services,
            "key,name,kind,owner_team,tier,primary_site,secondary_site,topology,recovery_minutes,cpu_cores,memory_gb,storage_tb,dns_ttl_seconds,stateful,data_jurisdictions\n\
             IDP,Sign-in,identity,IAM,0,DC-FRA,DC-AMS,hot_standby,10,1,1,0,60,false,\n\
             PAY-DB,Payments database,database,Payments,0,DC-FRA,DC-AMS,hot_standby,30,1,1,1,60,false,\n\
             PAY-API,Payments API,application,Payments,0,DC-FRA,DC-AMS,hot_standby,10,1,1,0,60,false,\n",
        ),
        (Exchange::Processes, "key,name,owner,criticality,services\nPAY,Take payments,CFO,critical,PAY-API;PAY-DB;IDP\n"),
        (Exchange::Bia, "process,rto_minutes,rpo_minutes,mtpd_minutes,mbco,status\nPAY,60,15,240,,approved\n"),
    ])
    .await;
    let manager = app.with_user(Role::ContinuityManager).await;
    let owner = app.with_user(Role::ServiceOwner).await;
    let (manager_api, _) = app.signed_in(Role::ContinuityManager).await;
    for key in ["PAY-DB", "PAY-API", "IDP"] {
        let assign = [
            ("subject", "service"),
            ("key", key),
            ("party", owner.email.as_str()),
            ("letter", "R"),
        ];
        assert!(app
            .call(&manager_api, "assign_raci", &assign)
            .await
            .status()
            .is_success());
    }

    // The continuity manager plans a drill of three services and starts it.
    let m = Browser::start(true).await;
    m.sign_in(&app.url(""), &manager.email, "/drills", "Drills")
        .await;
    m.fill("#drill-title", "Payments rehearsal").await;
    m.fill("#drill-start", "2026-12-05T22:00").await;
    m.fill("#drill-end", "2026-12-05T20:00").await;
    m.fill("#drill-services", "PAY-DB; PAY-API; IDP").await;
    m.fill("#drill-participants", "Sam Owner; Acme Cloud").await;
    m.click("#plan-heading ~ form button[type='submit']").await;
    m.wait_for_text("#drill-end-error", "must be after the start")
        .await;
    m.fill("#drill-end", "2026-12-06T02:00").await;
    m.click("#plan-heading ~ form button[type='submit']").await;
    m.wait_for_text("#drill-status", "planned").await;
    m.assert_accessible("drill planned").await;
    m.click("#drill-start").await;
    m.wait_for_text("#drill-status", "in_progress").await;
    // The step log follows the runbooks in startup-wave order.
    m.wait_for_text("#drill-steps", "Recover IDP").await;
    m.click("tr[data-step='main-1'] button[aria-label='Start main 1']")
        .await;
    m.wait_for("#drill-steps tr[data-step='main-1'][data-state='running']")
        .await;
    let drill_url = m.client.current_url().await.unwrap().to_string();

    // A service owner records the results; PAY-API misses its RTO.
    let o = Browser::start(true).await;
    o.sign_in(
        &app.url(""),
        &owner.email,
        drill_url.trim_start_matches(&app.url("")),
        "Drill",
    )
    .await;
    for (service, minutes, checks) in [
        ("PAY-DB", "20", "replica | passed | lag 0 s"),
        ("PAY-API", "95", "payment | passed | ok"),
        ("IDP", "8", ""),
    ] {
        let row = format!("tr[data-service='{service}']");
        o.fill(
            &format!("{row} input[name='result[measured_minutes]']"),
            minutes,
        )
        .await;
        o.fill(
            &format!("{row} input[name='result[data_loss_minutes]']"),
            "0",
        )
        .await;
        if !checks.is_empty() {
            o.fill(&format!("{row} textarea"), checks).await;
        }
        o.click(&format!("{row} button[type='submit']")).await;
        o.wait_for_text(&row, "min of data lost").await;
    }
    o.wait_for_text("tr[data-service='PAY-API']", "failed")
        .await;
    o.wait_for_text("tr[data-service='PAY-API']", "target RTO of 60 min")
        .await;
    o.assert_accessible("drill results").await;

    // The manager completes it; the post-mortem is due in 48 hours.
    m.client.goto(&drill_url).await.unwrap();
    m.wait_hydrated().await;
    m.fill("#drill-notes", "PAY-API warm-up too slow").await;
    m.click("#drill-complete").await;
    m.wait_for_text("#drill-status", "completed").await;
    m.screenshot("drill").await;
    m.click("#post-mortem-link").await;
    m.wait_for_text("#pm-title", "Payments rehearsal").await;
    m.wait_for_text("#pm-due", "Due").await;
    m.fill("#action-title", "Pre-warm the PAY-API pool").await;
    m.fill("#action-owner", &owner.email).await;
    m.fill("#action-due", "2099-01-31").await;
    m.fill("#action-link", "/runbooks/service/PAY-API").await;
    m.click("#action-retest").await;
    m.click("#add-action").await;
    m.wait_for_text("#pm-actions", "Pre-warm the PAY-API pool")
        .await;
    m.assert_accessible("post-mortem").await;

    // The owner sees the item; coverage, trends and the analysis follow.
    o.client.goto(&app.url("/actions")).await.unwrap();
    o.wait_for_text("#my-actions", "Pre-warm the PAY-API pool")
        .await;
    o.assert_accessible("action items").await;
    m.client.goto(&app.url("/coverage")).await.unwrap();
    let today = app::domain::timestamp::format_date(
        app::server::usecases::audit::now().as_datetime().date(),
    );
    m.wait_for_text("tr[data-service='PAY-DB']", &today).await;
    m.wait_for_text("#coverage", "PAY-API").await;
    m.screenshot("coverage").await;
    m.assert_accessible("coverage").await;
    m.client.goto(&app.url("/trends")).await.unwrap();
    m.wait_for("#achieved-chart svg polyline").await;
    m.screenshot("trends").await;
    m.assert_accessible("trends").await;
    m.client.goto(&app.url("/services/PAY-DB")).await.unwrap();
    m.wait_for_text("#recovery-facts", "20 min (demonstrated)")
        .await;

    // The drill report downloads as a PDF that opens and reads.
    let pdf = manager_api
        .get(format!("{drill_url}/report.pdf"))
        .send()
        .await
        .unwrap();
    let text = continuity_tests::pdf_text(&pdf.bytes().await.unwrap());
    assert!(
        text.contains("Payments rehearsal") && text.contains("Pre-warm the PAY-API pool"),
        "{text}"
    );
    o.close().await;
    m.close().await;
}

/// Downloads `href` with the browser's session, as clicking the link does.
async fn download_as(b: &Browser, app: &continuity_tests::TestApp, href: &str) -> Vec<u8> {
    let cookie = b
        .client
        .get_named_cookie("continuity_session")
        .await
        .expect("the session cookie");
    let res = reqwest::Client::new()
        .get(app.url(href))
        .header("cookie", format!("continuity_session={}", cookie.value()))
        .send()
        .await
        .unwrap();
    assert_eq!(res.status(), reqwest::StatusCode::OK, "{href}");
    res.bytes().await.unwrap().to_vec()
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn an_executive_reads_the_scorecard_and_an_auditor_exports_verified_evidence() {
    use app::domain::audit::Actor;
    use app::domain::scorecard::SnapshotKind;
    use app::server::reports::{archive, evidence};
    use app::server::usecases::{analysis::AnalysisCache, audit::now, demo, readiness};
    let app = spawn_app(Backend::Sqlite).await;
    demo::seed(&app.db, PASSWORD, now()).await.unwrap();
    let cache = AnalysisCache::default();
    for days_ago in [14, 7] {
        let at = now() - time::Duration::days(days_ago);
        readiness::take(&app.db, &cache, Actor::system(), SnapshotKind::Daily, at)
            .await
            .unwrap();
    }
    readiness::ensure_daily(&app.db, &cache, now())
        .await
        .unwrap();

    // The executive signs in to the scorecard and its trend.
    let e = Browser::start(true).await;
    e.sign_in(&app.url(""), "executive@example.com", "/", "Dashboard")
        .await;
    e.wait_for_text("#readiness-score", "/ 100").await;
    e.wait_for("#score-trend svg polyline").await;
    e.wait_for_text("#tier-scores", "Tier 0").await;
    e.wait_for("#top-gaps tbody tr td a").await;
    e.wait_for_text("#site-loss-summary", "DC-FRA").await;
    e.wait_for_text("#coverage-summary", "Drill coverage").await;
    assert!(
        e.client
            .find(fantoccini::Locator::Css(".scorecard form"))
            .await
            .is_err(),
        "an executive cannot take snapshots"
    );
    e.screenshot("scorecard").await;
    e.assert_accessible("dashboard").await;
    // On a phone the page fits its width; wide tables scroll in place.
    e.client.set_window_size(390, 844).await.unwrap();
    let fits = e
        .client
        .execute(
            "return document.documentElement.scrollWidth <= window.innerWidth",
            vec![],
        )
        .await
        .unwrap();
    assert_eq!(fits, serde_json::json!(true), "the dashboard fits a phone");
    e.screenshot("scorecard-phone").await;
    e.client.set_window_size(1280, 900).await.unwrap();

    // The board report is made in the background and downloads.
    e.click("a[href='/reports']").await;
    e.wait_for_text("main h1", "Reports").await;
    assert!(
        e.client
            .find(fantoccini::Locator::Css("#export-evidence"))
            .await
            .is_err(),
        "executives export no evidence"
    );
    e.click("#generate-board").await;
    let link = e.wait_for("#exports a.download").await;
    let href = link.attr("href").await.unwrap().expect("a download link");
    let pdf = download_as(&e, &app, &href).await;
    let text = continuity_tests::pdf_text(&pdf);
    assert!(
        text.contains("Board readiness report") && text.contains("Site-loss simulation"),
        "{text}"
    );
    e.screenshot("reports").await;
    e.assert_accessible("reports").await;
    e.close().await;

    // The auditor exports last quarter's evidence; it verifies, and fails
    // naming the file once one byte of an artefact changes.
    let a = Browser::start(true).await;
    a.sign_in(&app.url(""), "auditor@example.com", "/reports", "Reports")
        .await;
    let quarter = app::domain::report::Period::last_quarter(now().as_datetime().date());
    let from = app::domain::timestamp::format_date(quarter.from);
    let value = a
        .wait_for("#evidence-from")
        .await
        .prop("value")
        .await
        .unwrap();
    assert_eq!(
        value.as_deref(),
        Some(from.as_str()),
        "the form proposes last quarter"
    );
    a.click("#export-evidence").await;
    a.wait_for_text("#exports a.download", &format!("evidence-{from}-to-"))
        .await;
    let href = a
        .wait_for("#exports a.download")
        .await
        .attr("href")
        .await
        .unwrap()
        .expect("a download link");
    let zip = download_as(&a, &app, &href).await;
    a.client.refresh().await.unwrap();
    a.wait_for("#signing-key code.key").await;
    let key_hex = a
        .wait_for("#signing-key code.key")
        .await
        .text()
        .await
        .unwrap();
    let key = app::domain::evidence::parse_public_key(&key_hex).unwrap();
    let verified = evidence::verify(&zip, Some(&key)).expect("the pack verifies");
    assert_eq!(verified.manifest.from, from);
    let mut files = archive::read(&zip).unwrap().files;
    files.get_mut("failovers.json").unwrap()[0] ^= 1;
    let changed = archive::write(&files.into_iter().collect::<Vec<_>>()).unwrap();
    let problems = evidence::verify(&changed, Some(&key)).unwrap_err();
    assert!(
        problems[0].starts_with("failovers.json: changed after signing"),
        "{problems:?}"
    );
    a.screenshot("evidence").await;
    a.assert_accessible("reports (auditor)").await;
    a.close().await;
}
