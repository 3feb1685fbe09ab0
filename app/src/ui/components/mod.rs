//! Parts that pages share.

pub mod errors;
pub mod form;
pub mod page;
