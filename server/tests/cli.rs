//! The `continuity` binary as an operator uses it: exit codes of SPEC §8.4
//! (0 success, 1 user error with one line, 2 usage error) and
//! `audit verify` catching a tampered chain.

use std::io::Write as _;
use std::process::{Command, Output, Stdio};

fn continuity(db_url: &str, args: &[&str], stdin: &str) -> Output {
    let mut child = Command::new(env!("CARGO_BIN_EXE_continuity"))
        .args(args)
        .env("DATABASE_URL", db_url)
        .env("RUST_LOG", "error")
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .expect("continuity starts");
    child
        .stdin
        .take()
        .expect("stdin")
        .write_all(stdin.as_bytes())
        .expect("write stdin");
    child.wait_with_output().expect("continuity ends")
}

fn text(bytes: &[u8]) -> String {
    String::from_utf8_lossy(bytes).to_string()
}

fn sqlite_url(dir: &tempfile::TempDir) -> String {
    format!("sqlite://{}/nested/continuity.db", dir.path().display())
}

#[test]
fn usage_errors_exit_2() {
    let dir = tempfile::tempdir().unwrap();
    let out = continuity(&sqlite_url(&dir), &["frobnicate"], "");
    assert_eq!(out.status.code(), Some(2));
    let out = continuity(
        &sqlite_url(&dir),
        &["create-admin", "--email", "a@example.com"],
        "",
    );
    assert_eq!(out.status.code(), Some(2), "--password-stdin is required");
}

#[test]
fn user_errors_exit_1_with_one_line_naming_the_field() {
    let dir = tempfile::tempdir().unwrap();
    let url = sqlite_url(&dir);
    let out = continuity(
        &url,
        &[
            "user",
            "create",
            "--email",
            "a@example.com",
            "--role",
            "root",
            "--password-stdin",
        ],
        "long enough password\n",
    );
    assert_eq!(out.status.code(), Some(1));
    let err = text(&out.stderr);
    assert_eq!(err.lines().count(), 1, "{err}");
    assert!(
        err.contains("--role") && err.contains("unknown role 'root'"),
        "{err}"
    );

    let out = continuity(
        &url,
        &[
            "create-admin",
            "--email",
            "a@example.com",
            "--password-stdin",
        ],
        "short\n",
    );
    assert_eq!(out.status.code(), Some(1));
    assert!(
        text(&out.stderr).contains("password"),
        "{}",
        text(&out.stderr)
    );

    let out = continuity("mysql://nope", &["migrate"], "");
    assert_eq!(out.status.code(), Some(1));
    assert!(text(&out.stderr).contains("sqlite: or postgres://"));
}

#[test]
fn a_new_database_is_created_migrated_and_seeded() {
    let dir = tempfile::tempdir().unwrap();
    let url = sqlite_url(&dir);
    let out = continuity(&url, &["migrate"], "");
    assert_eq!(out.status.code(), Some(0), "{}", text(&out.stderr));
    assert!(dir.path().join("nested/continuity.db").exists());

    let out = continuity(&url, &["seed-demo"], "");
    assert_eq!(out.status.code(), Some(0), "{}", text(&out.stderr));
    let shown = text(&out.stdout);
    assert!(
        shown.contains("admin@example.com") && shown.contains("auditor@example.com"),
        "{shown}"
    );
    assert!(shown.contains("password"), "the password is printed once");

    let verify = continuity(&url, &["audit", "verify"], "");
    assert_eq!(verify.status.code(), Some(0), "{}", text(&verify.stdout));
    let exported = dir.path().join("export");
    let out = continuity(&url, &["export", exported.to_str().unwrap()], "");
    assert_eq!(out.status.code(), Some(0), "{}", text(&out.stderr));
    let lines = |file: &str| {
        std::fs::read_to_string(exported.join(file))
            .unwrap()
            .lines()
            .count()
    };
    assert_eq!(
        (
            lines("sites.csv"),
            lines("services.csv"),
            lines("dependencies.csv")
        ),
        (4, 41, 77),
        "a header, 3 sites, 40 services and 76 dependencies"
    );
    assert_eq!(
        (
            lines("processes.csv"),
            lines("replication.csv"),
            lines("vendors.csv")
        ),
        (8, 13, 6),
        "a header, 7 processes, 12 replication links and 5 vendors"
    );

    let out = continuity(&url, &["analyze", "--json"], "");
    assert_eq!(out.status.code(), Some(0), "{}", text(&out.stderr));
    let analysis: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    let services = analysis["services"].as_array().unwrap();
    assert_eq!(services.len(), 40);
    let pay = services.iter().find(|s| s["key"] == "PAY-API").unwrap();
    let target = pay["target_rto_minutes"].as_i64().unwrap();
    assert!(
        target <= 60,
        "the approved BIA of TAKE-PAYMENT sets at most 60: {target}"
    );
    assert!(pay["achievable_rto_minutes"].is_number());
    let table = text(&continuity(&url, &["analyze"], "").stdout);
    assert!(
        table.contains("PAY-API") && table.contains("portfolio readiness"),
        "{table}"
    );

    let out = continuity(&url, &["simulate", "site-loss", "DC-FRA", "--json"], "");
    assert_eq!(out.status.code(), Some(0), "{}", text(&out.stderr));
    let loss: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(loss["site"], "DC-FRA");
    assert!(!loss["waves"].as_array().unwrap().is_empty());
    assert!(loss["processes_affected"]
        .as_array()
        .unwrap()
        .iter()
        .any(|p| p == "TAKE-PAYMENT"));
    let out = continuity(&url, &["simulate", "site-loss", "DC-NOPE"], "");
    assert_eq!(out.status.code(), Some(1));
    assert!(
        text(&out.stderr).contains("DC-NOPE"),
        "{}",
        text(&out.stderr)
    );

    let again = continuity(&url, &["seed-demo"], "");
    assert_eq!(again.status.code(), Some(0));
    assert!(text(&again.stdout).contains("no demo users were added"));
}

#[test]
fn audit_verify_passes_then_names_the_first_tampered_event() {
    let dir = tempfile::tempdir().unwrap();
    let url = sqlite_url(&dir);
    for (email, role) in [
        ("a@example.com", "admin"),
        ("b@example.com", "auditor"),
        ("c@example.com", "viewer"),
    ] {
        let out = continuity(
            &url,
            &[
                "user",
                "create",
                "--email",
                email,
                "--role",
                role,
                "--password-stdin",
            ],
            "long enough password\n",
        );
        assert_eq!(out.status.code(), Some(0), "{}", text(&out.stderr));
    }
    let ok = continuity(&url, &["audit", "verify"], "");
    assert_eq!(ok.status.code(), Some(0), "{}", text(&ok.stderr));
    assert!(text(&ok.stdout).contains("verified: 3 events"));

    let path = dir.path().join("nested/continuity.db");
    let sql = "UPDATE audit_events SET details = '{\"email\":\"z@example.com\"}' WHERE seq = 2;";
    let status = Command::new("sqlite3").arg(&path).arg(sql).status();
    let edited = match status {
        Ok(s) if s.success() => true,
        _ => edit_with_sqlx(&url, sql),
    };
    assert!(edited);
    let bad = continuity(&url, &["audit", "verify"], "");
    assert_eq!(bad.status.code(), Some(1));
    let err = text(&bad.stderr);
    assert!(err.contains("event 2"), "{err}");
    assert_eq!(err.lines().count(), 1);
}

/// Without the sqlite3 shell, edit through sqlx.
fn edit_with_sqlx(url: &str, sql: &str) -> bool {
    let rt = tokio::runtime::Runtime::new().expect("a runtime");
    rt.block_on(async {
        let db = app::server::db::Db::connect(url)
            .await
            .expect("the database opens");
        app::on_db!(&db, p => sqlx::query(sql).execute(p).await.map(|_| ())).is_ok()
    })
}

#[test]
fn import_round_trips_and_a_bad_row_changes_nothing() {
    let dir = tempfile::tempdir().unwrap();
    let seeded = sqlite_url(&dir);
    assert_eq!(
        continuity(&seeded, &["seed-demo"], "").status.code(),
        Some(0)
    );
    let first = dir.path().join("first");
    assert_eq!(
        continuity(&seeded, &["export", first.to_str().unwrap()], "")
            .status
            .code(),
        Some(0)
    );

    let empty = format!("sqlite:{}", dir.path().join("empty.db").display());
    let out = continuity(&empty, &["import", first.to_str().unwrap()], "");
    assert_eq!(out.status.code(), Some(0), "{}", text(&out.stderr));
    assert!(text(&out.stdout).contains("services.csv: 40 created, 0 updated, 0 unchanged"));
    let second = dir.path().join("second");
    assert_eq!(
        continuity(&empty, &["export", second.to_str().unwrap()], "")
            .status
            .code(),
        Some(0)
    );
    for file in [
        "sites.csv",
        "services.csv",
        "dependencies.csv",
        "processes.csv",
        "bia.csv",
        "replication.csv",
        "vendors.csv",
    ] {
        assert_eq!(
            std::fs::read(first.join(file)).unwrap(),
            std::fs::read(second.join(file)).unwrap(),
            "{file} round-trips"
        );
    }

    let bad = dir.path().join("bad");
    std::fs::create_dir_all(&bad).unwrap();
    let services = std::fs::read_to_string(first.join("services.csv")).unwrap();
    let changed = services.replacen("Directory services", "Directory", 1)
        + "NEW-SVC,New,application,T,9,DC-FRA,,none,1,1,1,1,60,true,\r\n";
    std::fs::write(bad.join("services.csv"), changed).unwrap();
    std::fs::write(
        bad.join("dependencies.csv"),
        "service,depends_on,kind\nAD,NOPE,hard\n",
    )
    .unwrap();
    let out = continuity(&empty, &["import", bad.to_str().unwrap()], "");
    assert_eq!(out.status.code(), Some(1));
    let said = text(&out.stderr);
    assert!(
        said.contains("dependencies.csv: line 2, column depends_on: there is no service NOPE"),
        "{said}"
    );
    assert!(
        said.contains("services.csv: line 42, column tier: '9' is not a tier"),
        "{said}"
    );
    let third = dir.path().join("third");
    assert_eq!(
        continuity(&empty, &["export", third.to_str().unwrap()], "")
            .status
            .code(),
        Some(0)
    );
    assert_eq!(
        std::fs::read(first.join("services.csv")).unwrap(),
        std::fs::read(third.join("services.csv")).unwrap(),
        "nothing changed, not even the good rows"
    );
    let none = continuity(&empty, &["import", dir.path().to_str().unwrap()], "");
    assert_eq!(none.status.code(), Some(1));
    assert!(text(&none.stderr).contains("holds none of the exchange files"));
}

#[test]
fn reports_export_and_a_changed_evidence_file_is_named() {
    use app::server::reports::archive;
    let dir = tempfile::tempdir().unwrap();
    let url = sqlite_url(&dir);
    assert_eq!(continuity(&url, &["seed-demo"], "").status.code(), Some(0));
    let path = |name: &str| dir.path().join(name).display().to_string();

    let board = continuity(&url, &["report", "board", "--out", &path("board.pdf")], "");
    assert_eq!(board.status.code(), Some(0), "{}", text(&board.stderr));
    assert!(std::fs::read(path("board.pdf"))
        .unwrap()
        .starts_with(b"%PDF-"));

    let bad = continuity(
        &url,
        &[
            "report",
            "evidence",
            "--from",
            "2026-02-30",
            "--to",
            "2026-03-01",
            "--out",
            &path("x.zip"),
        ],
        "",
    );
    assert_eq!(bad.status.code(), Some(1));
    assert!(
        text(&bad.stderr).contains("--from: must be a date"),
        "{}",
        text(&bad.stderr)
    );

    let pack = path("pack.zip");
    let today = time::OffsetDateTime::now_utc().date();
    let day = |d: time::Date| app::domain::timestamp::format_date(d);
    let (from, to) = (day(today - time::Duration::days(30)), day(today));
    let out = continuity(
        &url,
        &[
            "report", "evidence", "--from", &from, "--to", &to, "--out", &pack,
        ],
        "",
    );
    assert_eq!(out.status.code(), Some(0), "{}", text(&out.stderr));
    let ok = continuity(&url, &["evidence", "verify", &pack], "");
    assert_eq!(ok.status.code(), Some(0), "{}", text(&ok.stderr));
    assert!(
        text(&ok.stdout).contains("evidence pack verified: 13 files"),
        "{}",
        text(&ok.stdout)
    );

    // Someone edits one artefact and packs it again.
    let contents = archive::read(&std::fs::read(&pack).unwrap()).unwrap();
    assert!(contents.damaged.is_empty());
    let mut files = contents.files;
    files.get_mut("users_and_roles.csv").unwrap()[10] ^= 1;
    let files: Vec<(String, Vec<u8>)> = files.into_iter().collect();
    let edited = path("edited.zip");
    std::fs::write(&edited, archive::write(&files).unwrap()).unwrap();
    let bad = continuity(&url, &["evidence", "verify", &edited], "");
    assert_eq!(bad.status.code(), Some(1));
    let err = text(&bad.stderr);
    assert_eq!(err.lines().count(), 1, "{err}");
    assert!(
        err.contains("users_and_roles.csv: changed after signing"),
        "{err}"
    );

    let stranger = "ab".repeat(32);
    let other = continuity(
        &url,
        &["evidence", "verify", &pack, "--public-key", &stranger],
        "",
    );
    assert_eq!(other.status.code(), Some(1));
    assert!(
        text(&other.stderr).contains("--public-key")
            || text(&other.stderr).contains("not by this installation's key")
    );
}
