//! Errors of the registry: every one names the file and, for a bad entry, the entry id and field.

/// A registry that cannot be used.
#[derive(Debug, thiserror::Error)]
pub enum Error {
    /// The file is not valid TOML or has a key the schema does not know (toml's message has the line).
    #[error("{file}: {message}")]
    Syntax {
        /// The registry file.
        file: String,
        /// The parser's message, with line and column.
        message: String,
    },
    /// An entry breaks a rule of the schema.
    #[error("{file}: {kind} `{id}`: {field}: {message}")]
    Entry {
        /// The registry file.
        file: String,
        /// `measure`, `pause`, `exemption`, `event`, `group` or `sector`.
        kind: &'static str,
        /// The entry's id (or its position when it has none).
        id: String,
        /// The offending field.
        field: String,
        /// What was expected and what was found.
        message: String,
    },
    /// A query the registry cannot answer (an unknown partner or sector name).
    #[error("{0}")]
    Query(String),
}
