//! Command-line flags, each with an environment fallback.

use clap::{Args, Parser, Subcommand, ValueEnum};
use std::net::SocketAddr;

pub const DEFAULT_DATABASE_URL: &str = "sqlite://data/continuity.db";

#[derive(Debug, Parser)]
#[command(
    name = "continuity",
    version,
    about = "IT service continuity and failover governance"
)]
pub struct Cli {
    /// sqlite://PATH (created when missing) or postgres://…
    #[arg(long, env = "DATABASE_URL", default_value = DEFAULT_DATABASE_URL, global = true)]
    pub database_url: String,
    /// Log lines for people (pretty) or for collectors (json).
    #[arg(long, env = "CONTINUITY_LOG_FORMAT", value_enum, default_value_t = LogFormat::Pretty, global = true)]
    pub log_format: LogFormat,
    #[command(subcommand)]
    pub command: Command,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum LogFormat {
    Pretty,
    Json,
}

#[derive(Debug, Subcommand)]
pub enum Command {
    /// Migrate the database and serve the portal.
    Serve(ServeArgs),
    /// Create or update the database schema, then exit.
    Migrate,
    /// Create an administrator; the password is read from standard input.
    CreateAdmin {
        #[arg(long)]
        email: String,
        #[arg(long, default_value = "")]
        name: String,
        /// Read the password from standard input (required: never on the command line).
        #[arg(long, required = true)]
        password_stdin: bool,
    },
    /// Manage users.
    #[command(subcommand)]
    User(UserCommand),
    /// Add demo users (one per role) to an empty installation; prints their password once.
    SeedDemo,
    /// The audit trail.
    #[command(subcommand)]
    Audit(AuditCommand),
    /// API tokens.
    #[command(subcommand)]
    Token(TokenCommand),
    /// Import the exchange files found in DIR (sites.csv, services.csv,
    /// dependencies.csv …) in one transaction: any bad row and nothing changes.
    Import { dir: std::path::PathBuf },
    /// Write every exchange file into DIR.
    Export { dir: std::path::PathBuf },
    /// The recovery analysis of every service (SPEC §5).
    Analyze {
        /// Print exactly what GET /api/v1/analysis returns.
        #[arg(long)]
        json: bool,
    },
    /// What losing a site would do.
    #[command(subcommand)]
    Simulate(SimulateCommand),
    /// Export a report (SPEC §7).
    #[command(subcommand)]
    Report(ReportCommand),
    /// Audit evidence packs.
    #[command(subcommand)]
    Evidence(EvidenceCommand),
}

#[derive(Debug, Subcommand)]
pub enum ReportCommand {
    /// The board readiness report, as PDF.
    Board {
        #[arg(long)]
        out: std::path::PathBuf,
    },
    /// The signed audit evidence pack for the days FROM to TO (inclusive), as zip.
    Evidence {
        /// First day, e.g. 2026-07-01.
        #[arg(long)]
        from: String,
        /// Last day, e.g. 2026-09-30.
        #[arg(long)]
        to: String,
        #[arg(long)]
        out: std::path::PathBuf,
    },
}

#[derive(Debug, Subcommand)]
pub enum EvidenceCommand {
    /// Check every file of an evidence pack against its signed manifest.
    Verify {
        archive: std::path::PathBuf,
        /// The installation's public key (hex, as the Reports page shows
        /// it); without it, the key in this database.
        #[arg(long)]
        public_key: Option<String>,
    },
}

#[derive(Debug, Subcommand)]
pub enum SimulateCommand {
    /// Simulate the loss of SITE (SPEC §5.5).
    SiteLoss {
        site: String,
        /// Print exactly what GET /api/v1/simulations/site-loss returns.
        #[arg(long)]
        json: bool,
    },
}

#[derive(Debug, Subcommand)]
pub enum TokenCommand {
    /// Create an API token for a user; the secret is printed once.
    Create {
        /// The e-mail of the user the token acts for (with that user's role).
        #[arg(long)]
        user: String,
        /// What the token is for, e.g. "CMDB sync".
        #[arg(long)]
        name: String,
    },
}

#[derive(Debug, Subcommand)]
pub enum UserCommand {
    /// Create a user; the password is read from standard input.
    Create {
        #[arg(long)]
        email: String,
        /// admin, continuity_manager, service_owner, incident_commander, executive, auditor or viewer
        #[arg(long)]
        role: String,
        #[arg(long, default_value = "")]
        name: String,
        #[arg(long, required = true)]
        password_stdin: bool,
    },
}

#[derive(Debug, Subcommand)]
pub enum AuditCommand {
    /// Walk the hash chain; exit 1 naming the first bad event.
    Verify,
}

#[derive(Debug, Clone, Args)]
pub struct ServeArgs {
    #[arg(long, env = "CONTINUITY_BIND", default_value = "127.0.0.1:3000")]
    pub bind: SocketAddr,
    /// Mark cookies Secure and send HSTS (set this behind TLS).
    #[arg(long, env = "CONTINUITY_SECURE_COOKIES")]
    pub secure_cookies: bool,
    /// Minutes of inactivity after which a session ends.
    #[arg(long, env = "CONTINUITY_SESSION_IDLE_MINUTES", default_value_t = 30, value_parser = clap::value_parser!(i64).range(1..=10080))]
    pub session_idle_minutes: i64,
    /// Where the built site (pkg/, static files) is.
    #[arg(long, env = "LEPTOS_SITE_ROOT", default_value = "target/site")]
    pub site_root: String,
    /// On an empty database, add the demo users first (see seed-demo).
    #[arg(long, env = "CONTINUITY_SEED_DEMO")]
    pub seed_demo: bool,
    /// Minutes a failover request waits for its approvals before it expires.
    #[arg(long, env = "CONTINUITY_FAILOVER_EXPIRY_MINUTES", default_value_t = 60, value_parser = clap::value_parser!(i64).range(1..=10080))]
    pub failover_expiry_minutes: i64,
    /// Approvals a failover needs when a tier 0-1 service is in scope.
    #[arg(long, env = "CONTINUITY_FAILOVER_CRITICAL_APPROVALS", default_value_t = 2, value_parser = clap::value_parser!(u32).range(1..=5))]
    pub failover_critical_approvals: u32,
    /// Approvals a failover of tier 2-4 services needs.
    #[arg(long, env = "CONTINUITY_FAILOVER_OTHER_APPROVALS", default_value_t = 1, value_parser = clap::value_parser!(u32).range(1..=5))]
    pub failover_other_approvals: u32,
}

impl ServeArgs {
    /// The failover approval policy these settings give.
    pub fn policy(&self) -> app::domain::failover::Policy {
        app::domain::failover::Policy {
            critical_approvals: self.failover_critical_approvals,
            other_approvals: self.failover_other_approvals,
            expiry_minutes: self.failover_expiry_minutes,
        }
    }

    /// Settings for tests: any free port, a site root, defaults otherwise.
    pub fn for_tests(site_root: &str) -> Self {
        ServeArgs {
            bind: SocketAddr::from(([127, 0, 0, 1], 0)),
            secure_cookies: false,
            session_idle_minutes: 30,
            site_root: site_root.to_string(),
            seed_demo: false,
            failover_expiry_minutes: 60,
            failover_critical_approvals: 2,
            failover_other_approvals: 1,
        }
    }
}
