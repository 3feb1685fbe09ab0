//! The pages and their parts.

pub mod app;
pub mod components;
pub mod pages;
