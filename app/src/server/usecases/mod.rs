//! Use cases: each write opens one transaction, changes the records,
//! appends its audit event in the same transaction and commits.

pub mod analysis;
pub mod audit;
pub mod auth;
pub mod bia;
pub mod changes;
pub mod dashboard;
pub mod demo;
pub mod drills;
pub mod failover;
pub mod import;
pub mod lag;
pub mod processes;
pub mod raci;
pub mod readiness;
pub mod reports;
pub mod runbooks;
pub mod services;
pub mod sites;
pub mod tokens;
pub mod trends;
pub mod users;
pub mod vendors;
