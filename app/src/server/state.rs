//! What every request handler shares. Handed to Leptos and axum as
//! context, never kept in a global.

use super::db::Db;
use super::usecases::analysis::AnalysisCache;
use crate::domain::failover::Policy;
use axum::extract::FromRef;
use leptos::config::LeptosOptions;

#[derive(Clone, FromRef)]
pub struct AppState {
    pub db: Db,
    pub leptos_options: LeptosOptions,
    pub analysis: AnalysisCache,
    /// The failover approval policy (SPEC §5.6).
    pub policy: Policy,
}
