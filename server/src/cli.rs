//! The subcommands. Each returns `Outcome`; `main` turns it into the exit
//! code of SPEC §8.4 (0 success, 1 user error, 2 usage error).

use crate::config::{
    AuditCommand, Cli, Command, EvidenceCommand, ReportCommand, ServeArgs, SimulateCommand,
    TokenCommand, UserCommand,
};
use crate::startup;
use app::api::error::AppError;
use app::domain::access::{Permission, Role};
use app::domain::analysis::simulation::ServiceState;
use app::domain::evidence::parse_public_key;
use app::domain::inventory::csv_file::Exchange;
use app::domain::inventory::RecordKey;
use app::domain::report::{Period, ReportKind};
use app::domain::user::NewUser;
use app::server::auth::Granted;
use app::server::db::Db;
use app::server::reports::{board, evidence, Progress};
use app::server::usecases::analysis::{self, AnalysisCache};
use app::server::usecases::readiness;
use app::server::usecases::{audit, demo, import, reports, tokens, users};
use std::io::BufRead as _;

/// A failure the operator can fix, said in one line.
#[derive(Debug)]
pub struct UserError(pub String);

impl<E: std::fmt::Display> From<E> for UserError {
    fn from(e: E) -> Self {
        UserError(e.to_string())
    }
}

pub async fn run(cli: Cli) -> Result<(), UserError> {
    let db = connect(&cli.database_url).await?;
    match cli.command {
        Command::Serve(args) => serve(db, args).await,
        Command::Migrate => {
            println!("database migrated ({})", db.backend());
            Ok(())
        }
        Command::CreateAdmin { email, name, .. } => {
            create_user(&db, &email, &name, Role::Admin).await
        }
        Command::User(UserCommand::Create {
            email, role, name, ..
        }) => {
            let role: Role = role
                .parse()
                .map_err(|e| UserError(format!("--role: {e}")))?;
            create_user(&db, &email, &name, role).await
        }
        Command::SeedDemo => seed_demo(&db).await,
        Command::Audit(AuditCommand::Verify) => verify_audit(&db).await,
        Command::Token(TokenCommand::Create { user, name }) => {
            let operator = Granted::operator(Permission::ManageUsers);
            let (_, secret) = tokens::create(&db, &operator, &user, &name, audit::now()).await?;
            println!("{secret}");
            eprintln!("This token acts as {user}; it is shown only now.");
            Ok(())
        }
        Command::Import { dir } => import_dir(&db, &dir).await,
        Command::Export { dir } => export_dir(&db, &dir).await,
        Command::Analyze { json } => analyze(&db, json).await,
        Command::Simulate(SimulateCommand::SiteLoss { site, json }) => {
            simulate_site_loss(&db, &site, json).await
        }
        Command::Report(ReportCommand::Board { out }) => report_board(&db, &out).await,
        Command::Report(ReportCommand::Evidence { from, to, out }) => {
            report_evidence(&db, &from, &to, &out).await
        }
        Command::Evidence(EvidenceCommand::Verify {
            archive,
            public_key,
        }) => verify_evidence(&db, &archive, public_key.as_deref()).await,
    }
}

fn write_file(out: &std::path::Path, bytes: &[u8]) -> Result<(), UserError> {
    std::fs::write(out, bytes).map_err(|e| UserError(format!("--out {}: {e}", out.display())))?;
    println!("wrote {} ({} bytes)", out.display(), bytes.len());
    Ok(())
}

async fn report_board(db: &Db, out: &std::path::Path) -> Result<(), UserError> {
    let operator = Granted::operator(Permission::BoardReport);
    let now = audit::now();
    let bytes = board::generate(db, &AnalysisCache::default(), now, &Progress::Console).await?;
    reports::exported(db, operator.actor, ReportKind::Board, None, &bytes, now).await?;
    write_file(out, &bytes)
}

async fn report_evidence(
    db: &Db,
    from: &str,
    to: &str,
    out: &std::path::Path,
) -> Result<(), UserError> {
    let operator = Granted::operator(Permission::ReadAudit);
    let now = audit::now();
    let period = Period::parse(from, to, now.as_datetime().date()).map_err(|errors| {
        let text: Vec<String> = errors.iter().map(|e| format!("--{e}")).collect();
        UserError(text.join("; "))
    })?;
    let bytes = evidence::generate(db, period, &operator.actor, now, &Progress::Console).await?;
    reports::exported(
        db,
        operator.actor,
        ReportKind::Evidence,
        Some(period),
        &bytes,
        now,
    )
    .await?;
    write_file(out, &bytes)
}

async fn verify_evidence(
    db: &Db,
    archive: &std::path::Path,
    public_key: Option<&str>,
) -> Result<(), UserError> {
    let trusted = match public_key {
        Some(hex) => Some(hex.to_string()),
        None => evidence::public_key(db).await?,
    };
    let trusted = match trusted {
        Some(hex) => parse_public_key(&hex).map_err(|e| UserError(format!("--public-key: {e}")))?,
        None => {
            return Err(UserError(
                "this installation has not signed an evidence pack yet; pass --public-key".into(),
            ))
        }
    };
    let bytes =
        std::fs::read(archive).map_err(|e| UserError(format!("{}: {e}", archive.display())))?;
    match evidence::verify(&bytes, Some(&trusted)) {
        Ok(v) => {
            println!(
                "evidence pack verified: {} files, {} to {}, generated {}, signed by {}",
                v.files,
                v.manifest.from,
                v.manifest.to,
                v.manifest.generated_at,
                v.manifest.public_key
            );
            Ok(())
        }
        Err(problems) => Err(UserError(format!(
            "evidence pack does not verify: {}",
            problems.join("; ")
        ))),
    }
}

async fn analyze(db: &Db, json: bool) -> Result<(), UserError> {
    let computed = AnalysisCache::default().current(db, audit::now()).await?;
    let a = &computed.analysis;
    if json {
        println!("{}", serde_json::to_string(a)?);
        return Ok(());
    }
    let minutes = |m: Option<String>| m.unwrap_or_else(|| "–".into());
    println!(
        "{:<24} {:>4} {:>10} {:>10} {:>8}  findings",
        "service", "tier", "target", "achievable", "wave"
    );
    for s in &a.services {
        let kinds: Vec<&str> = s.findings.iter().map(|f| f.kind.as_str()).collect();
        println!(
            "{:<24} {:>4} {:>10} {:>10} {:>8}  {}",
            s.key,
            s.tier,
            minutes(s.target_rto_minutes.map(|m| m.to_string())),
            minutes(s.achievable_rto_minutes.map(|m| m.to_string())),
            minutes(s.wave.map(|w| w.to_string())),
            kinds.join(", ")
        );
    }
    for cycle in &a.cycles {
        println!("cycle: {}", cycle.join(" -> "));
    }
    if let Some(score) = a.portfolio_score {
        println!("portfolio readiness: {score:.1}");
    }
    Ok(())
}

async fn simulate_site_loss(db: &Db, site: &str, json: bool) -> Result<(), UserError> {
    let site = RecordKey::parse_field("SITE", site)?;
    let loss = analysis::site_loss(&AnalysisCache::default(), db, &site, audit::now()).await?;
    if json {
        println!("{}", serde_json::to_string(&loss)?);
        return Ok(());
    }
    for s in loss
        .services
        .iter()
        .filter(|s| s.state != ServiceState::Running)
    {
        let downtime = s
            .downtime_minutes
            .map_or("down".to_string(), |m| format!("{m} min"));
        let breach = if s.breaches_rto { "  breaches RTO" } else { "" };
        println!(
            "{:<24} {:<12} {:>10}{breach}",
            s.key,
            s.state.as_str(),
            downtime
        );
    }
    for (i, wave) in loss.waves.iter().enumerate() {
        println!("wave {i}: {}", wave.join(", "));
    }
    println!("processes affected: {}", loss.processes_affected.join(", "));
    Ok(())
}

/// Every command connects and migrates first, so any of them works on a
/// new database.
async fn connect(url: &str) -> Result<Db, UserError> {
    let db = Db::connect(url)
        .await
        .map_err(|e| UserError(format!("{e:#}")))?;
    db.migrate()
        .await
        .map_err(|e| UserError(format!("{e:#}")))?;
    Ok(db)
}

async fn serve(db: Db, args: ServeArgs) -> Result<(), UserError> {
    if args.seed_demo {
        seed_demo(&db).await?;
    }
    startup::spawn_session_cleanup(&db);
    let interrupted = reports::fail_interrupted(&db).await?;
    if interrupted > 0 {
        tracing::warn!(interrupted, "report exports interrupted by the last stop");
    }
    let analysis = AnalysisCache::default();
    readiness::spawn_daily(db.clone(), analysis.clone());
    let router = startup::router_with(db.clone(), &args, analysis);
    let (addr, serving) = startup::bind(router, args.bind)
        .await
        .map_err(|e| UserError(format!("cannot listen on {}: {e}", args.bind)))?;
    tracing::info!(%addr, database = db.backend(), "Continuity is listening on http://{addr}");
    serving
        .await
        .map_err(|e| UserError(format!("serving: {e}")))
}

fn read_password() -> Result<String, UserError> {
    let mut line = String::new();
    std::io::stdin().lock().read_line(&mut line)?;
    Ok(line.trim_end_matches(['\r', '\n']).to_string())
}

async fn create_user(db: &Db, email: &str, name: &str, role: Role) -> Result<(), UserError> {
    let password = read_password()?;
    let new = NewUser::parse(email, name, role.as_str(), &password)
        .map_err(|e| UserError(format!("--{e}")))?;
    let user = users::create(
        db,
        &Granted::operator(Permission::ManageUsers),
        new,
        audit::now(),
    )
    .await?;
    println!("created {} ({})", user.email, user.role);
    Ok(())
}

/// Demo users share one password: `CONTINUITY_DEMO_PASSWORD`, or a random
/// one printed here, once.
async fn seed_demo(db: &Db) -> Result<(), UserError> {
    let password = std::env::var("CONTINUITY_DEMO_PASSWORD").unwrap_or_else(|_| random_password());
    if demo::seed(db, &password, audit::now()).await? {
        println!("Demo users created; each signs in with the password: {password}");
        for (role, email, _) in demo::DEMO_USERS {
            println!("  {email:<24} {}", role.label());
        }
        println!("The demo company's sites, services, dependencies and RACI are in the inventory.");
        println!("This password is shown only now.");
    } else {
        println!("Users exist already; no demo users were added.");
    }
    Ok(())
}

fn random_password() -> String {
    use rand::Rng as _;
    const ALPHABET: &[u8] = b"abcdefghjkmnpqrstuvwxyzABCDEFGHJKLMNPQRSTUVWXYZ23456789";
    let mut rng = rand::thread_rng();
    (0..16)
        .map(|_| ALPHABET[rng.gen_range(0..ALPHABET.len())] as char)
        .collect()
}

async fn verify_audit(db: &Db) -> Result<(), UserError> {
    let status = audit::verify(db)
        .await
        .map_err(|e| UserError(format!("{e:#}")))?;
    match status.broken {
        None => {
            println!(
                "audit chain verified: {} events, head hash {}",
                status.checked, status.head_hash
            );
            Ok(())
        }
        Some(broken) => Err(UserError(format!("audit chain broken: {broken}"))),
    }
}

/// Reads the exchange files present in `dir` and imports them together.
async fn import_dir(db: &Db, dir: &std::path::Path) -> Result<(), UserError> {
    let mut files = Vec::new();
    for exchange in Exchange::ALL {
        let path = dir.join(exchange.file_name());
        match std::fs::read(&path) {
            Ok(bytes) => files.push((*exchange, bytes)),
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => {}
            Err(e) => return Err(UserError(format!("{}: {e}", path.display()))),
        }
    }
    if files.is_empty() {
        let names: Vec<String> = Exchange::ALL.iter().map(|x| x.file_name()).collect();
        return Err(UserError(format!(
            "{} holds none of the exchange files ({})",
            dir.display(),
            names.join(", ")
        )));
    }
    let operator = Granted::operator(Permission::ImportCsv);
    match import::import(db, &operator, files, audit::now()).await {
        Ok(summaries) => {
            for s in summaries {
                println!(
                    "{}: {} created, {} updated, {} unchanged",
                    s.file, s.created, s.updated, s.unchanged
                );
            }
            Ok(())
        }
        Err(AppError::InvalidFiles { files }) => {
            let lines: Vec<String> = files
                .iter()
                .flat_map(|f| f.errors.iter().map(move |e| format!("  {}: {e}", f.file)))
                .collect();
            Err(UserError(format!(
                "nothing was imported; {} bad row(s):\n{}",
                lines.len(),
                lines.join("\n")
            )))
        }
        Err(e) => Err(e.into()),
    }
}

async fn export_dir(db: &Db, dir: &std::path::Path) -> Result<(), UserError> {
    std::fs::create_dir_all(dir).map_err(|e| UserError(format!("{}: {e}", dir.display())))?;
    for exchange in Exchange::ALL {
        let path = dir.join(exchange.file_name());
        let text = import::export(db, *exchange).await?.to_csv();
        std::fs::write(&path, text).map_err(|e| UserError(format!("{}: {e}", path.display())))?;
        println!("wrote {}", path.display());
    }
    Ok(())
}
