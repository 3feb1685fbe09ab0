//! One binary, two backends: `DATABASE_URL` picks SQLite or PostgreSQL at
//! start-up. Queries are written once with `$n` placeholders and compiled
//! once per backend by [`on_db!`] and [`on_tx!`].

pub mod api_tokens;
pub mod audit;
pub mod bia;
pub mod dependencies;
pub mod drills;
pub mod failover;
pub mod history;
pub mod lag;
pub mod links;
pub mod login_attempts;
pub mod processes;
pub mod raci;
pub mod readiness;
pub mod recoveries;
pub mod replication;
pub mod reports;
pub mod runbooks;
pub mod services;
pub mod signing;
pub mod sites;
pub mod timestamp;
pub mod users;
pub mod vendors;

use anyhow::Context as _;
use sqlx::postgres::{PgPool, PgPoolOptions};
use sqlx::sqlite::{SqliteConnectOptions, SqliteJournalMode, SqlitePool, SqlitePoolOptions};
use sqlx::{Postgres, Sqlite, Transaction};
use std::str::FromStr;
use std::time::Duration;

#[derive(Clone, Debug)]
pub enum Db {
    Sqlite(SqlitePool),
    Postgres(PgPool),
}

/// A transaction on either backend.
pub enum Tx {
    Sqlite(Transaction<'static, Sqlite>),
    Postgres(Transaction<'static, Postgres>),
}

/// Runs `$body` with `$pool` bound to the backend's pool.
#[macro_export]
macro_rules! on_db {
    ($db:expr, $pool:ident => $body:expr) => {
        match $db {
            $crate::server::db::Db::Sqlite($pool) => $body,
            $crate::server::db::Db::Postgres($pool) => $body,
        }
    };
}

/// Runs `$body` with `$conn` bound to the transaction's connection.
#[macro_export]
macro_rules! on_tx {
    ($tx:expr, $conn:ident => $body:expr) => {
        match $tx {
            $crate::server::db::Tx::Sqlite(t) => {
                let $conn = &mut **t;
                $body
            }
            $crate::server::db::Tx::Postgres(t) => {
                let $conn = &mut **t;
                $body
            }
        }
    };
}

/// An approval as its three columns store it (BIA versions, runbooks);
/// `None` when the review date does not read.
pub fn stored_approval(
    by: Option<String>,
    at: Option<crate::domain::timestamp::Timestamp>,
    due: Option<&str>,
) -> Option<crate::domain::approval::Approval> {
    let next_review_due = match due {
        Some(day) => Some(crate::domain::timestamp::parse_date("next_review_due", day).ok()?),
        None => None,
    };
    Some(crate::domain::approval::Approval {
        by,
        at,
        next_review_due,
    })
}

/// `VALUES` placeholders for `rows` rows of `columns` columns:
/// `($1, $2), ($3, $4)`. Bulk writes insert a chunk of rows per statement.
pub fn values(rows: usize, columns: usize) -> String {
    (0..rows)
        .map(|r| {
            let row: Vec<String> = (1..=columns)
                .map(|c| format!("${}", r * columns + c))
                .collect();
            format!("({})", row.join(", "))
        })
        .collect::<Vec<_>>()
        .join(", ")
}

/// Rows per bulk statement: well under both drivers' parameter limits.
pub const CHUNK: usize = 500;

/// How long a request waits for a connection before the database counts
/// as unreachable.
const ACQUIRE_TIMEOUT: Duration = Duration::from_secs(3);

impl Db {
    /// Connects; a SQLite file (and its folder) is created when missing.
    pub async fn connect(url: &str) -> anyhow::Result<Db> {
        if url.starts_with("postgres://") || url.starts_with("postgresql://") {
            let pool = PgPoolOptions::new()
                .max_connections(16)
                .acquire_timeout(ACQUIRE_TIMEOUT)
                .connect(url)
                .await
                .context("connecting to PostgreSQL")?;
            Ok(Db::Postgres(pool))
        } else if url.starts_with("sqlite:") {
            let options = SqliteConnectOptions::from_str(url)
                .context("reading the SQLite database URL")?
                .create_if_missing(true)
                .journal_mode(SqliteJournalMode::Wal)
                .busy_timeout(Duration::from_secs(10))
                .foreign_keys(true);
            if let Some(dir) = options.get_filename().parent() {
                if !dir.as_os_str().is_empty() {
                    std::fs::create_dir_all(dir)
                        .with_context(|| format!("creating the folder {}", dir.display()))?;
                }
            }
            let pool = SqlitePoolOptions::new()
                .max_connections(8)
                .acquire_timeout(ACQUIRE_TIMEOUT)
                .connect_with(options)
                .await
                .context("opening the SQLite database")?;
            Ok(Db::Sqlite(pool))
        } else {
            anyhow::bail!("the database URL must start with sqlite: or postgres://")
        }
    }

    pub async fn migrate(&self) -> anyhow::Result<()> {
        match self {
            Db::Sqlite(pool) => sqlx::migrate!("../migrations/sqlite").run(pool).await,
            Db::Postgres(pool) => sqlx::migrate!("../migrations/postgres").run(pool).await,
        }
        .context("migrating the database")
    }

    /// Starts a transaction. SQLite takes the write lock at once
    /// (`BEGIN IMMEDIATE`), since our transactions read then write (the
    /// audit chain's head) and a deferred upgrade could deadlock.
    pub async fn begin(&self) -> anyhow::Result<Tx> {
        Ok(match self {
            Db::Sqlite(pool) => Tx::Sqlite(pool.begin_with("BEGIN IMMEDIATE").await?),
            Db::Postgres(pool) => Tx::Postgres(pool.begin().await?),
        })
    }

    /// Starts a transaction that only reads: one consistent view for a
    /// page, without SQLite's write lock.
    pub async fn read(&self) -> anyhow::Result<Tx> {
        Ok(match self {
            Db::Sqlite(pool) => Tx::Sqlite(pool.begin().await?),
            Db::Postgres(pool) => Tx::Postgres(pool.begin().await?),
        })
    }

    /// Refreshes the planner's statistics after a bulk change, so that the
    /// next queries are planned for the data as it now is.
    pub async fn analyze(&self) -> anyhow::Result<()> {
        on_db!(self, pool => sqlx::query("ANALYZE").execute(pool).await.map(|_| ()))?;
        Ok(())
    }

    /// A trivial round trip, for readiness.
    pub async fn ping(&self) -> anyhow::Result<()> {
        on_db!(self, pool => sqlx::query("SELECT 1").execute(pool).await.map(|_| ()))?;
        Ok(())
    }

    pub fn backend(&self) -> &'static str {
        match self {
            Db::Sqlite(_) => "sqlite",
            Db::Postgres(_) => "postgres",
        }
    }
}

impl Tx {
    pub async fn commit(self) -> anyhow::Result<()> {
        match self {
            Tx::Sqlite(t) => t.commit().await?,
            Tx::Postgres(t) => t.commit().await?,
        }
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    #[test]
    fn values_number_placeholders_row_by_row() {
        assert_eq!(super::values(2, 3), "($1, $2, $3), ($4, $5, $6)");
        assert_eq!(super::values(1, 1), "($1)");
    }
}
