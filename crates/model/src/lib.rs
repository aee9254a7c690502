//! The numeric core of Reciprocity.
//!
//! **Architecture invariant:** this crate does no I/O and has no serde. It receives
//! a [`Dataset`] built by the edges (`reciprocity-data`) and returns plain structs.
#![deny(missing_docs)]
// Numeric kernels index several parallel arrays by the same country/sector index; range loops
// say that more plainly than zipped iterators.
#![allow(clippy::needless_range_loop)]

pub mod dataset;
pub mod formula;
pub mod ge;
pub mod pairs;
pub mod retaliation;
pub mod strategy;

pub use dataset::Dataset;
