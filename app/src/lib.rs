//! Continuity: IT service continuity and failover governance.
//!
//! Data flows one way: `ui` → `api` (server functions) → `server::usecases`
//! → `server::db` + `domain`.

pub mod api;
pub mod domain;
#[cfg(feature = "ssr")]
pub mod server;
pub mod ui;
