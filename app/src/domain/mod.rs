//! Pure domain logic: no I/O, no clock, no framework. Compiles for the
//! server and for the browser alike, so the browser can run the same checks.

pub mod access;
pub mod audit;
pub mod field;
pub mod history;
pub mod inventory;
pub mod throttle;
pub mod timestamp;
pub mod token;
pub mod user;
