//! The service inventory (SPEC §3): the records every analysis reads.
//! Each value is parsed once, at the edge, into a type that cannot hold a
//! bad value; errors name the field.

pub mod csv_file;
pub mod exchange;
pub mod graph;
pub mod key;
pub mod network;
pub mod process;
pub mod raci;
pub mod replication;
pub mod service;
pub mod site;
pub mod vendor;

pub use key::RecordKey;
