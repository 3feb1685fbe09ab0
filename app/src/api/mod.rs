//! Server functions, one file per feature, and the types they exchange
//! with the browser. Each is a thin adapter: context, permission, parse,
//! use case, error.

pub mod audit;
pub mod auth;
pub mod dashboard;
pub mod error;
pub mod raci;
pub mod services;
pub mod sites;
pub mod users;

#[cfg(feature = "ssr")]
pub(crate) mod ctx;
