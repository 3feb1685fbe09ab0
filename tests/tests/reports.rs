//! Readiness snapshots, the scorecard, the board report and the evidence
//! pack over HTTP on both backends: permissions, progress, downloads,
//! the PDFs through qpdf and pdftotext, and a changed file named.

use app::domain::access::Role;
use app::domain::audit::Actor;
use app::domain::inventory::csv_file::Exchange;
use app::domain::scorecard::SnapshotKind;
use app::domain::timestamp::format_date;
use app::server::reports::{archive, evidence};
use app::server::usecases::analysis::AnalysisCache;
use app::server::usecases::{audit::now, readiness};
use continuity_tests::{both_backends, spawn_app, TestApp};
use reqwest::{Client, StatusCode};
use serde_json::Value;

async fn json(res: reqwest::Response) -> Value {
    res.json().await.expect("a JSON body")
}

const SITES: &str = "key,name,region,country,kind,cpu_cores,memory_gb,storage_tb\n\
                     DC-FRA,Frankfurt,eu,DE,datacenter,100,100,100\nDC-AMS,Amsterdam,eu,NL,datacenter,100,100,100\n";
const SERVICES: &str = "key,name,kind,owner_team,tier,primary_site,secondary_site,topology,recovery_minutes,cpu_cores,memory_gb,storage_tb,dns_ttl_seconds,stateful,data_jurisdictions\n\
    PAY-DB,Payments database,database,Payments,0,DC-FRA,DC-AMS,hot_standby,90,1,1,1,60,true,DE;NL\n\
    PAY-API,Payments API,application,Payments,1,DC-FRA,DC-AMS,hot_standby,10,1,1,0,60,false,\n\
    WIKI,Wiki,application,Intranet,3,DC-AMS,,none,600,1,1,0,60,false,\n";

async fn inventory(app: &TestApp) {
    app.import_csv(&[
        (Exchange::Sites, SITES),
        (Exchange::Services, SERVICES),
        (
            Exchange::Dependencies,
            "service,depends_on,kind\nPAY-API,PAY-DB,hard\n",
        ),
        (
            Exchange::Processes,
            "key,name,owner,criticality,services\nPAY,Take payments,CFO,critical,PAY-API\n",
        ),
        (
            Exchange::Bia,
            "process,rto_minutes,rpo_minutes,mtpd_minutes,mbco,status\nPAY,60,15,240,,approved\n",
        ),
    ])
    .await;
}

/// Starts an export and waits until it is done; answers its job.
async fn export(app: &TestApp, client: &Client, form: &[(&str, &str)]) -> Value {
    let res = app.call(client, "start_report", form).await;
    assert_eq!(
        res.status(),
        StatusCode::OK,
        "{}",
        res.text().await.unwrap()
    );
    let id = json(res)
        .await
        .as_i64()
        .expect("the export's number")
        .to_string();
    for _ in 0..600 {
        let job = json(app.call(client, "report_job", &[("id", id.as_str())]).await).await;
        if job["status"] != "running" {
            assert_eq!(job["status"], "done", "{job}");
            assert_eq!(job["progress"], 100);
            return job;
        }
        tokio::time::sleep(std::time::Duration::from_millis(100)).await;
    }
    panic!("export {id} did not finish");
}

async fn download(app: &TestApp, client: &Client, job: &Value) -> (String, Vec<u8>) {
    let res = client
        .get(app.url(&format!("/reports/{}/download", job["id"])))
        .send()
        .await
        .unwrap();
    assert_eq!(res.status(), StatusCode::OK);
    let kind = res.headers()["content-type"].to_str().unwrap().to_string();
    (kind, res.bytes().await.unwrap().to_vec())
}

both_backends! {
    async fn snapshots_draw_the_trend_and_the_board_report_reads(backend: Backend) {
        let app = spawn_app(backend).await;
        inventory(&app).await;
        let cache = AnalysisCache::default();
        let at = now();
        let earlier = at - time::Duration::days(2);
        readiness::take(&app.db, &cache, Actor::system(), SnapshotKind::Daily, earlier).await.unwrap();
        assert!(readiness::ensure_daily(&app.db, &cache, at).await.unwrap());
        assert!(!readiness::ensure_daily(&app.db, &cache, at).await.unwrap(), "one a day");

        let (manager, _) = app.signed_in(Role::ContinuityManager).await;
        assert_eq!(app.call(&manager, "take_snapshot", &[]).await.status(), StatusCode::OK);
        let (executive, _) = app.signed_in(Role::Executive).await;
        assert_eq!(app.call(&executive, "take_snapshot", &[]).await.status(), StatusCode::FORBIDDEN);

        let d = json(app.call(&executive, "dashboard", &[]).await).await;
        let card = &d["scorecard"];
        let days: Vec<&str> = card["trend"]["points"].as_array().unwrap().iter().map(|p| p[0].as_str().unwrap()).collect();
        assert_eq!(days, [format_date(earlier.as_datetime().date()), format_date(at.as_datetime().date())]);
        let tiers: Vec<i64> = card["tiers"].as_array().unwrap().iter().map(|t| t["tier"].as_i64().unwrap()).collect();
        assert_eq!(tiers, [0, 1, 3]);
        let gap = &card["top_gaps"][0];
        assert_eq!((gap["service"].as_str(), gap["owner_team"].as_str()), (Some("PAY-DB"), Some("Payments")));
        assert_eq!(gap["finding"]["kind"], "rto_gap", "PAY-DB takes 90 min against 60");
        let sites = card["sites"].as_array().unwrap();
        assert_eq!(sites.len(), 2);
        let ams = sites.iter().find(|s| s["site"] == "DC-AMS").unwrap();
        assert_eq!(ams["down"], 1, "WIKI has no secondary site");
        assert_eq!(card["coverage"]["critical"], 2);
        assert_eq!(card["coverage"]["covered"], 0);

        let job = export(&app, &executive, &[("kind", "board")]).await;
        let (kind, pdf) = download(&app, &executive, &job).await;
        assert_eq!(kind, "application/pdf");
        let text = continuity_tests::pdf_text(&pdf);
        for expected in ["Board readiness report", "Portfolio readiness", "Scores by tier", "Tier 0 (1 service)", "Top gaps", "PAY-DB", "Payments", "Drill coverage", "0 of 2", "Mean time to recover", "Site-loss simulation", "DC-AMS", "page 1 of", "generated"] {
            assert!(text.contains(expected), "{expected} in {text}");
        }

        // Exports are their requester's; a viewer may not make one.
        let (auditor, _) = app.signed_in(Role::Auditor).await;
        let theirs = auditor.get(app.url(&format!("/reports/{}/download", job["id"]))).send().await.unwrap();
        assert_eq!(theirs.status(), StatusCode::NOT_FOUND);
        let (viewer, _) = app.signed_in(Role::Viewer).await;
        assert_eq!(app.call(&viewer, "start_report", &[("kind", "board")]).await.status(), StatusCode::FORBIDDEN);
        let bad = app.call(&executive, "start_report", &[("kind", "slides")]).await;
        assert_eq!(bad.status(), StatusCode::UNPROCESSABLE_ENTITY);
        assert_eq!(json(bad).await["field"], "kind");

        let log = app.audit_actions().await;
        for action in ["readiness_snapshot_taken", "report_requested", "report_generated", "report_downloaded"] {
            assert!(log.iter().any(|a| a == action), "{action}");
        }
    }
}

both_backends! {
    async fn an_evidence_pack_verifies_and_names_a_changed_file(backend: Backend) {
        let app = spawn_app(backend).await;
        inventory(&app).await;
        let (auditor, _) = app.signed_in(Role::Auditor).await;
        let today = now().as_datetime().date();
        let from = format_date(today - time::Duration::days(90));
        let to = format_date(today);

        let bad = app.call(&auditor, "start_report", &[("kind", "evidence"), ("from", "2026-02-30"), ("to", to.as_str())]).await;
        assert_eq!(bad.status(), StatusCode::UNPROCESSABLE_ENTITY);
        assert_eq!(json(bad).await["errors"][0]["field"], "from");
        let backwards = app.call(&auditor, "start_report", &[("kind", "evidence"), ("from", to.as_str()), ("to", from.as_str())]).await;
        assert_eq!(json(backwards).await["errors"][0]["field"], "to");
        let (owner, _) = app.signed_in(Role::ServiceOwner).await;
        let refused = app.call(&owner, "start_report", &[("kind", "evidence"), ("from", from.as_str()), ("to", to.as_str())]).await;
        assert_eq!(refused.status(), StatusCode::FORBIDDEN);
        let view = json(app.call(&auditor, "reports", &[]).await).await;
        assert_eq!(view["jobs"].as_array().unwrap().len(), 0, "bad input starts nothing");
        assert!(view["public_key"].is_null(), "no key before the first pack");

        let job = export(&app, &auditor, &[("kind", "evidence"), ("from", from.as_str()), ("to", to.as_str())]).await;
        assert_eq!(job["file_name"], format!("evidence-{from}-to-{to}.zip"));
        let (kind, zip) = download(&app, &auditor, &job).await;
        assert_eq!(kind, "application/zip");
        let key_hex = json(app.call(&auditor, "reports", &[]).await).await["public_key"].as_str().unwrap().to_string();
        let key = app::domain::evidence::parse_public_key(&key_hex).unwrap();
        let verified = evidence::verify(&zip, Some(&key)).unwrap();
        assert_eq!(verified.files, 13);
        assert_eq!(verified.manifest.public_key, key_hex);

        let files = archive::read(&zip).unwrap().files;
        let bia = String::from_utf8(files["bia_approvals.csv"].clone()).unwrap();
        assert!(bia.contains("PAY,1,approved,60,15,240,cli:"), "{bia}");
        let chain: Value = serde_json::from_slice(&files["audit_chain.json"]).unwrap();
        assert_eq!(chain["verified"], true);
        let users = String::from_utf8(files["users_and_roles.csv"].clone()).unwrap();
        assert!(users.contains(",auditor,true,"), "{users}");
        let text = continuity_tests::pdf_text(&files["summary.pdf"]);
        for expected in ["Audit evidence pack", "Verified:", "BIA approvals (1)", "Users and roles", &key_hex[..16], "page 1 of"] {
            assert!(text.contains(expected), "{expected} in {text}");
        }

        let mut changed = files.clone();
        changed.get_mut("drill_results.csv").unwrap()[0] ^= 1;
        let repacked = archive::write(&changed.into_iter().collect::<Vec<_>>()).unwrap();
        let problems = evidence::verify(&repacked, Some(&key)).unwrap_err();
        assert_eq!(problems.len(), 1, "{problems:?}");
        assert!(problems[0].starts_with("drill_results.csv: changed after signing"), "{problems:?}");

        let log = app.audit_actions().await;
        for action in ["signing_key_created", "report_generated", "report_downloaded"] {
            assert!(log.iter().any(|a| a == action), "{action}");
        }
    }
}

both_backends! {
    async fn a_restart_marks_unfinished_exports_failed(backend: Backend) {
        use app::domain::report::ReportKind;
        use app::server::db;
        let app = spawn_app(backend).await;
        let user = app.with_user(Role::Executive).await;
        let mut tx = app.db.begin().await.unwrap();
        let id = db::reports::insert(&mut tx, ReportKind::Board, user.id, None, now()).await.unwrap();
        tx.commit().await.unwrap();
        assert_eq!(app::server::usecases::reports::fail_interrupted(&app.db).await.unwrap(), 1);
        let mut tx = app.db.read().await.unwrap();
        let job = db::reports::find(&mut tx, id).await.unwrap().unwrap();
        assert_eq!(job.status.as_str(), "failed");
        assert_eq!(job.error.as_deref(), Some("interrupted: the server restarted"));
    }
}
