//! The numeric core of Reciprocity.
//!
//! **Architecture invariant:** this crate does no I/O and has no serde. It receives
//! a [`Dataset`] built by the edges (`reciprocity-data`) and returns plain structs.
#![deny(missing_docs)]

pub mod dataset;
pub mod formula;
pub mod ge;
pub mod strategy;

pub use dataset::Dataset;
