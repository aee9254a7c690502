//! The data edge of Reciprocity: the country registry, loaders for the shared
//! worlds, dataset validation and the embedded default tables.
#![deny(missing_docs)]

/// Errors reading or validating data. Every variant names where the problem is.
#[derive(Debug, thiserror::Error)]
pub enum Error {
    /// A problem at a place in a file.
    #[error("{file}:{line}: {field}: {message}")]
    At {
        /// The file.
        file: String,
        /// 1-based line (0 when the whole file is concerned).
        line: usize,
        /// The column or field.
        field: String,
        /// What was expected and what was found.
        message: String,
    },
    /// A file could not be read.
    #[error("{file}: {cause}")]
    Io {
        /// The file.
        file: String,
        /// The cause, part of the message (not a `source()`, so a chain prints it once).
        cause: std::io::Error,
    },
    /// Anything else about the input, with its own message.
    #[error("{0}")]
    Invalid(String),
}

pub mod embedded;
pub mod load;
pub mod partner_tariffs;
pub mod registry;
mod table;
pub mod world;

pub use load::{check_dataset, load_dataset, shared_data_dir, CheckReport, Layout};
