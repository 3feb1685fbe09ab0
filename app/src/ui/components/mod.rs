//! Parts that pages share.

pub mod chart;
pub mod errors;
pub mod form;
pub mod history;
pub mod page;
pub mod pager;
pub mod query;
pub mod raci;
pub mod steplog;
pub mod table;
