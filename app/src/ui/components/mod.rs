//! Parts that pages share.

pub mod errors;
pub mod page;
