//! Server-only code: state, sessions and authentication, database access
//! and the use cases that write.

pub mod auth;
pub mod db;
pub mod openapi;
pub mod pdf;
pub mod reports;
pub mod rest;
pub mod session_store;
pub mod state;
pub mod upload;
pub mod usecases;

pub use state::AppState;
