//! Server functions, one file per feature, and the types they exchange
//! with the browser. Each is a thin adapter: context, permission, parse,
//! use case, error.

pub mod analysis;
pub mod audit;
pub mod auth;
pub mod bia;
pub mod dashboard;
pub mod drills;
pub mod error;
pub mod failover;
pub mod import;
pub mod processes;
pub mod raci;
pub mod reports;
pub mod runbooks;
pub mod services;
pub mod sites;
pub mod users;
pub mod vendors;

#[cfg(feature = "ssr")]
pub(crate) mod ctx;
