//! The tower-sessions store on whichever backend `Db` is.

use super::db::Db;
use async_trait::async_trait;
use tower_sessions::session::{Id, Record};
use tower_sessions::session_store::{self, ExpiredDeletion, SessionStore};
use tower_sessions_sqlx_store::{PostgresStore, SqliteStore};

#[derive(Clone, Debug)]
pub enum DbSessionStore {
    Sqlite(SqliteStore),
    Postgres(PostgresStore),
}

impl DbSessionStore {
    /// Uses the `sessions` table that our migrations create.
    pub fn new(db: &Db) -> Self {
        match db {
            Db::Sqlite(pool) => DbSessionStore::Sqlite(
                SqliteStore::new(pool.clone())
                    .with_table_name("sessions")
                    .expect("a valid table name"),
            ),
            Db::Postgres(pool) => DbSessionStore::Postgres(
                PostgresStore::new(pool.clone())
                    .with_schema_name("public")
                    .and_then(|s| s.with_table_name("sessions"))
                    .expect("a valid table name"),
            ),
        }
    }
}

macro_rules! delegate {
    ($self:ident, $store:ident => $body:expr) => {
        match $self {
            DbSessionStore::Sqlite($store) => $body,
            DbSessionStore::Postgres($store) => $body,
        }
    };
}

#[async_trait]
impl SessionStore for DbSessionStore {
    async fn create(&self, record: &mut Record) -> session_store::Result<()> {
        delegate!(self, s => s.create(record).await)
    }
    async fn save(&self, record: &Record) -> session_store::Result<()> {
        delegate!(self, s => s.save(record).await)
    }
    async fn load(&self, id: &Id) -> session_store::Result<Option<Record>> {
        delegate!(self, s => s.load(id).await)
    }
    async fn delete(&self, id: &Id) -> session_store::Result<()> {
        delegate!(self, s => s.delete(id).await)
    }
}

#[async_trait]
impl ExpiredDeletion for DbSessionStore {
    async fn delete_expired(&self) -> session_store::Result<()> {
        delegate!(self, s => s.delete_expired().await)
    }
}
