//! [`ServiceError`]: what can go wrong in a use case, in variants that map onto HTTP statuses and
//! CLI exit codes without parsing messages.

use reciprocity_model::ge::ModelError;
use reciprocity_negotiation::{ScoreError, TransitionError};
use reciprocity_store::StoreError;

/// The class of an error, for an edge to map (HTTP status, exit code).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ErrorKind {
    /// A value the user can fix (HTTP 400).
    BadInput,
    /// The record does not exist (HTTP 404).
    NotFound,
    /// Another writer got there first, or the record exists already (HTTP 409).
    Conflict,
    /// The state machine refuses the action (HTTP 422).
    Refused,
    /// The machine or the data shipped with the program failed (HTTP 500).
    Internal,
    /// The caller asked the computation to stop (a deadline, a shutdown): try again later
    /// (HTTP 503).
    Stopped,
}

/// Why a use case failed. Every message is one line that says what and, for input, which field.
#[derive(Debug, thiserror::Error)]
pub enum ServiceError {
    /// A value the user can fix. `field` names the request field to blame, in the service's
    /// words (`end`, `country`, `max_rate`): each edge maps it onto its own name (the CLI's flag,
    /// the API's JSON field); None when no one field is. Displayed as `field: message`.
    #[error("{}", bad_input_text(*.field, .message))]
    BadInput {
        /// The request field to blame, if one is.
        field: Option<&'static str>,
        /// What is wrong and what was expected.
        message: String,
    },
    /// No talk with this id (partner code).
    #[error("talk {0} does not exist")]
    NoTalk(String),
    /// A record other than a talk does not exist (`proposal JPN#7`).
    #[error("{0} does not exist")]
    NotFound(String),
    /// A talk with this id exists already.
    #[error("a talk with {0} already exists")]
    TalkExists(String),
    /// The caller's `if_version` is not the talk's stored version.
    #[error("talk {talk} was changed by another writer (stored version {stored}, if_version {expected}): reload and retry")]
    StaleVersion {
        /// The talk.
        talk: String,
        /// Its stored version.
        stored: u64,
        /// The version the caller expected.
        expected: u64,
    },
    /// The store refused a write: another writer changed the record in between
    /// ([`StoreError::Conflict`]) or it exists already ([`StoreError::Duplicate`]).
    #[error("{0}")]
    Conflict(String),
    /// The state machine refuses the action (accepting a closed proposal, proposing on an expired
    /// talk, ...).
    #[error("{0}")]
    Refused(String),
    /// The store failed.
    #[error(transparent)]
    Store(StoreError),
    /// A data file (or the embedded data) is invalid.
    #[error(transparent)]
    Data(#[from] reciprocity_data::Error),
    /// The tariff registry is invalid.
    #[error(transparent)]
    Policy(#[from] reciprocity_policy::Error),
    /// The equilibrium model failed (`context` says on what; may be empty).
    #[error("{}", model_text(.context, .cause))]
    Model {
        /// What was being computed (`solving scenarios/x.toml`).
        context: String,
        /// The model's error, part of the message (not a `source()`, so an error chain prints it
        /// once).
        cause: ModelError,
    },
    /// Scoring a proposal failed for a reason other than its terms.
    #[error(transparent)]
    Score(ScoreError),
    /// The computation was asked to stop before its end (`Game::stoppable`).
    #[error("the computation was stopped before its end")]
    Stopped,
}

fn model_text(context: &str, cause: &ModelError) -> String {
    if context.is_empty() {
        cause.to_string()
    } else {
        format!("{context}: {cause}")
    }
}

fn bad_input_text(field: Option<&str>, message: &str) -> String {
    match field {
        Some(f) => format!("{f}: {message}"),
        None => message.to_string(),
    }
}

/// A result of a use case.
pub type Result<T, E = ServiceError> = std::result::Result<T, E>;

impl ServiceError {
    /// Bad input not tied to one request field.
    pub fn bad_input(message: impl Into<String>) -> ServiceError {
        ServiceError::BadInput {
            field: None,
            message: message.into(),
        }
    }

    /// Bad input in the request field `field` (the service's name for it).
    pub fn bad_field(field: &'static str, message: impl Into<String>) -> ServiceError {
        ServiceError::BadInput {
            field: Some(field),
            message: message.into(),
        }
    }

    /// The class of the error.
    pub fn kind(&self) -> ErrorKind {
        match self {
            ServiceError::BadInput { .. } | ServiceError::Data(_) => ErrorKind::BadInput,
            ServiceError::NoTalk(_) | ServiceError::NotFound(_) => ErrorKind::NotFound,
            ServiceError::TalkExists(_)
            | ServiceError::StaleVersion { .. }
            | ServiceError::Conflict(_) => ErrorKind::Conflict,
            ServiceError::Refused(_) => ErrorKind::Refused,
            // The tariffs asked for have no equilibrium (or none the path reaches): the request's
            // fault, said with the country and the condition, not a server failure.
            ServiceError::Model {
                cause: ModelError::NoEquilibrium { .. } | ModelError::PathEnded { .. },
                ..
            } => ErrorKind::Refused,
            ServiceError::Model {
                cause: ModelError::InvalidInput(_),
                ..
            } => ErrorKind::BadInput,
            ServiceError::Store(_)
            | ServiceError::Policy(_)
            | ServiceError::Model { .. }
            | ServiceError::Score(_) => ErrorKind::Internal,
            ServiceError::Stopped => ErrorKind::Stopped,
        }
    }

    /// Whether the user can fix it (the CLI exits with code 2): every kind but
    /// [`ErrorKind::Internal`], and the store errors the store itself calls the user's (a damaged
    /// or too new database file), and registry files given by the user.
    pub fn is_user_error(&self) -> bool {
        match self {
            ServiceError::Store(e) => e.is_user_error(),
            ServiceError::Policy(_) => true,
            other => other.kind() != ErrorKind::Internal,
        }
    }
}

impl From<StoreError> for ServiceError {
    fn from(e: StoreError) -> Self {
        match e {
            StoreError::Conflict { .. } | StoreError::Duplicate(_) => {
                ServiceError::Conflict(e.to_string())
            }
            StoreError::NotFound(what) => ServiceError::NotFound(what),
            StoreError::Invalid(_) => ServiceError::bad_input(e.to_string()),
            other => ServiceError::Store(other),
        }
    }
}

impl From<TransitionError> for ServiceError {
    fn from(e: TransitionError) -> Self {
        ServiceError::Refused(e.to_string())
    }
}

impl From<ScoreError> for ServiceError {
    fn from(e: ScoreError) -> Self {
        match e {
            ScoreError::Term { .. } => ServiceError::bad_input(e.to_string()),
            other => ServiceError::Score(other),
        }
    }
}

impl From<reciprocity_scenario::ScenarioError> for ServiceError {
    fn from(e: reciprocity_scenario::ScenarioError) -> Self {
        ServiceError::bad_input(e.to_string())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn store_errors_map_to_kinds() {
        let conflict = ServiceError::from(StoreError::Conflict {
            what: "talk JPN".into(),
            expected: 2,
            found: 3,
        });
        assert_eq!(conflict.kind(), ErrorKind::Conflict);
        assert_eq!(
            conflict.to_string(),
            "talk JPN was changed by another writer (stored version 3, this change was based on version 2): reload and retry"
        );
        let duplicate = ServiceError::from(StoreError::Duplicate("user alice".into()));
        assert_eq!(duplicate.kind(), ErrorKind::Conflict);
        let missing = ServiceError::from(StoreError::NotFound("user bob".into()));
        assert_eq!(missing.kind(), ErrorKind::NotFound);
        assert_eq!(missing.to_string(), "user bob does not exist");
        let machine = ServiceError::from(StoreError::Migration {
            version: 3,
            message: "disk full".into(),
        });
        assert_eq!(machine.kind(), ErrorKind::Internal);
        assert!(!machine.is_user_error());
        // A database from a newer build: the user's to fix (exit 2), the server's to report (500).
        let too_new = ServiceError::from(StoreError::SchemaTooNew {
            found: 9,
            supported: 3,
        });
        assert_eq!(too_new.kind(), ErrorKind::Internal);
        assert!(too_new.is_user_error());
    }

    #[test]
    fn term_errors_are_bad_input_and_transitions_are_refusals() {
        let term = ServiceError::from(ScoreError::Term {
            term: "tariff line 2".into(),
            message: "hs87: no sector".into(),
        });
        assert_eq!(term.kind(), ErrorKind::BadInput);
        assert_eq!(term.to_string(), "tariff line 2: hs87: no sector");
        let stalled = ServiceError::from(ScoreError::NotConverged {
            iterations: 40,
            change: 1e-3,
        });
        assert_eq!(stalled.kind(), ErrorKind::Internal);
        let refused = ServiceError::from(TransitionError::UnknownProposal {
            talk: "JPN".into(),
            proposal: 7,
            count: 2,
        });
        assert_eq!(refused.kind(), ErrorKind::Refused);
        assert_eq!(
            refused.to_string(),
            "talk JPN: no proposal #7 (the talk has 2)"
        );
    }
}
