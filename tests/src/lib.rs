//! The test harness: a real Continuity on port 0 with a fresh database,
//! on SQLite or PostgreSQL, and helpers to act as a user of any role.

pub mod browser;
pub mod proxy;

use app::domain::access::{Permission, Role};
use app::domain::user::NewUser;
use app::server::auth::Granted;
use app::server::db::Db;
use app::server::usecases::{audit, users};
use continuity_server::config::ServeArgs;
use continuity_server::startup;
use std::net::SocketAddr;
use std::sync::atomic::{AtomicU32, Ordering};

pub const PASSWORD: &str = "correct horse battery staple";

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Backend {
    Sqlite,
    Postgres,
}

/// The PostgreSQL server tests create their databases on.
pub fn postgres_admin_url() -> String {
    std::env::var("TEST_DATABASE_URL")
        .unwrap_or_else(|_| "postgres://postgres:postgres@127.0.0.1:5432/postgres".into())
}

/// The built site (front end), for pages that hydrate.
pub fn site_root() -> String {
    format!("{}/../target/site", env!("CARGO_MANIFEST_DIR"))
}

pub struct TestApp {
    pub addr: SocketAddr,
    pub db: Db,
    pub backend: Backend,
    store: Store,
}

pub enum Store {
    Sqlite(#[allow(dead_code)] tempfile::TempDir),
    Postgres { name: String },
}

static COUNTER: AtomicU32 = AtomicU32::new(0);

/// A unique name for this test's database.
fn unique_name() -> String {
    let n = COUNTER.fetch_add(1, Ordering::SeqCst);
    format!(
        "continuity_test_{}_{}_{n}",
        std::process::id(),
        rand_suffix()
    )
}

fn rand_suffix() -> u32 {
    let nanos = std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map(|d| d.subsec_nanos())
        .unwrap_or(0);
    nanos % 1_000_000
}

/// A fresh, migrated, empty database.
pub async fn fresh_database(backend: Backend) -> (Db, String, Store) {
    match backend {
        Backend::Sqlite => {
            let dir = tempfile::tempdir().expect("a temporary folder");
            let url = format!("sqlite://{}/continuity.db", dir.path().display());
            let db = Db::connect(&url).await.expect("SQLite opens");
            db.migrate().await.expect("SQLite migrates");
            (db, url, Store::Sqlite(dir))
        }
        Backend::Postgres => {
            let name = unique_name();
            let admin = postgres_admin_url();
            let conn = Db::connect(&admin)
                .await
                .expect("PostgreSQL answers (is it running? see scripts/test.sh)");
            if let Db::Postgres(pool) = &conn {
                sqlx::query(&format!("CREATE DATABASE {name}"))
                    .execute(pool)
                    .await
                    .expect("create test database");
                pool.close().await;
            }
            let url = replace_database(&admin, &name);
            let db = Db::connect(&url).await.expect("test database connects");
            db.migrate().await.expect("PostgreSQL migrates");
            (db, url, Store::Postgres { name })
        }
    }
}

fn replace_database(url: &str, name: &str) -> String {
    match url.rsplit_once('/') {
        Some((base, _)) => format!("{base}/{name}"),
        None => format!("{url}/{name}"),
    }
}

/// Serves `db` on a free port, as `continuity serve` would.
pub async fn serve(db: Db, args: &ServeArgs) -> SocketAddr {
    let router = startup::router(db, args);
    let (addr, serving) = startup::bind(router, args.bind)
        .await
        .expect("bind a free port");
    tokio::spawn(serving);
    addr
}

pub async fn spawn_app(backend: Backend) -> TestApp {
    let (db, _url, store) = fresh_database(backend).await;
    let addr = serve(db.clone(), &ServeArgs::for_tests(&site_root())).await;
    TestApp {
        addr,
        db,
        backend,
        store,
    }
}

/// A user of some role, with the shared test password.
#[derive(Clone, Debug)]
pub struct TestUser {
    pub id: i64,
    pub email: String,
    pub role: Role,
}

impl TestApp {
    pub fn url(&self, path: &str) -> String {
        format!("http://{}{path}", self.addr)
    }

    pub async fn with_user(&self, role: Role) -> TestUser {
        let n = COUNTER.fetch_add(1, Ordering::SeqCst);
        let email = format!("{}{n}@example.com", role.as_str().replace('_', "-"));
        let new = NewUser::parse(&email, "", role.as_str(), PASSWORD).expect("valid user");
        let user = users::create(
            &self.db,
            &Granted::operator(Permission::ManageUsers),
            new,
            audit::now(),
        )
        .await
        .expect("user created");
        TestUser {
            id: user.id,
            email,
            role,
        }
    }

    /// A client with its own cookie jar that does not follow redirects; a
    /// response that hangs fails the test instead of stalling the run.
    pub fn client(&self) -> reqwest::Client {
        reqwest::Client::builder()
            .cookie_store(true)
            .timeout(std::time::Duration::from_secs(30))
            .redirect(reqwest::redirect::Policy::none())
            .build()
            .expect("a client")
    }

    pub async fn sign_in(
        &self,
        client: &reqwest::Client,
        email: &str,
        password: &str,
    ) -> reqwest::Response {
        client
            .post(self.url("/fn/login"))
            .form(&[("email", email), ("password", password), ("next", "")])
            .send()
            .await
            .expect("login answers")
    }

    /// A signed-in client for a new user of `role`.
    pub async fn signed_in(&self, role: Role) -> (reqwest::Client, TestUser) {
        let user = self.with_user(role).await;
        let client = self.client();
        let res = self.sign_in(&client, &user.email, PASSWORD).await;
        assert!(
            res.status().is_success(),
            "sign-in of {} failed: {}",
            user.email,
            res.status()
        );
        (client, user)
    }

    /// Calls a server function with form fields, as the browser does.
    pub async fn call(
        &self,
        client: &reqwest::Client,
        name: &str,
        form: &[(&str, &str)],
    ) -> reqwest::Response {
        client
            .post(self.url(&format!("/fn/{name}")))
            .form(form)
            .send()
            .await
            .expect("server function answers")
    }

    /// Imports exchange files as the operator: a quick inventory.
    pub async fn import_csv(&self, files: &[(app::domain::inventory::csv_file::Exchange, &str)]) {
        let files = files
            .iter()
            .map(|(x, text)| (*x, text.as_bytes().to_vec()))
            .collect();
        app::server::usecases::import::import(
            &self.db,
            &Granted::operator(Permission::ImportCsv),
            files,
            audit::now(),
        )
        .await
        .expect("the inventory imports");
    }

    /// The actions in the audit log, oldest first.
    pub async fn audit_actions(&self) -> Vec<String> {
        let events = app::server::db::audit::batch_after(&self.db, 0, 10_000)
            .await
            .expect("audit events");
        events.into_iter().map(|e| e.action).collect()
    }

    pub async fn user_count(&self) -> i64 {
        app::server::db::users::count(&self.db)
            .await
            .expect("count users")
    }
}

impl Drop for TestApp {
    fn drop(&mut self) {
        if let Store::Postgres { name } = &self.store {
            let name = name.clone();
            // Drop the database from another thread with its own runtime:
            // Drop cannot await.
            let _ = std::thread::spawn(move || {
                let rt = tokio::runtime::Builder::new_current_thread()
                    .enable_all()
                    .build()?;
                rt.block_on(async {
                    if let Ok(Db::Postgres(pool)) = Db::connect(&postgres_admin_url()).await {
                        let _ =
                            sqlx::query(&format!("DROP DATABASE IF EXISTS {name} WITH (FORCE)"))
                                .execute(&pool)
                                .await;
                    }
                });
                std::io::Result::Ok(())
            })
            .join();
        }
    }
}

/// Checks `pdf` with `qpdf --check` and gives its text by `pdftotext`:
/// the report must open in standard readers and its text must extract.
pub fn pdf_text(pdf: &[u8]) -> String {
    let dir = tempfile::tempdir().expect("a temporary folder");
    let path = dir.path().join("report.pdf");
    std::fs::write(&path, pdf).expect("write the PDF");
    let check = std::process::Command::new("qpdf")
        .arg("--check")
        .arg(&path)
        .output()
        .expect("qpdf runs");
    assert!(
        check.status.success(),
        "qpdf --check: {}",
        String::from_utf8_lossy(&check.stdout)
    );
    let text = std::process::Command::new("pdftotext")
        .arg(&path)
        .arg("-")
        .output()
        .expect("pdftotext runs");
    assert!(text.status.success());
    String::from_utf8_lossy(&text.stdout).into_owned()
}

/// Runs a test once per backend: `both_backends! { async fn name(backend:
/// Backend) { … } }` makes the tests `name::sqlite` and `name::postgres`.
#[macro_export]
macro_rules! both_backends {
    (async fn $name:ident($backend:ident: Backend) $body:block) => {
        mod $name {
            #[allow(unused_imports)]
            use super::*;

            async fn run($backend: $crate::Backend) $body

            #[tokio::test(flavor = "multi_thread", worker_threads = 2)]
            async fn sqlite() {
                run($crate::Backend::Sqlite).await
            }

            #[tokio::test(flavor = "multi_thread", worker_threads = 2)]
            async fn postgres() {
                run($crate::Backend::Postgres).await
            }
        }
    };
}
