//! The `continuity` server: configuration, start-up, routes and the
//! middleware every response passes through. `main.rs` only parses the
//! command line.

pub mod cli;
pub mod config;
pub mod middleware;
pub mod routes;
pub mod startup;
pub mod telemetry;
