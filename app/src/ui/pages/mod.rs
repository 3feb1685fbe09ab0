//! One module per page.

pub mod analysis;
pub mod audit;
pub mod bia;
pub mod dashboard;
pub mod drills;
pub mod failover;
pub mod import;
pub mod login;
pub mod not_found;
pub mod processes;
pub mod raci;
pub mod reports;
pub mod runbooks;
pub mod services;
pub mod sites;
pub mod users;
pub mod vendors;
