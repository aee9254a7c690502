//! The use cases the CLI and the server share: the negotiation workflows on any
//! [`reciprocity_store::Store`] ([`talks`]), the world proposals are scored on ([`world`], with
//! the no-deal rates of [`no_deal`]), scenario runs ([`scenario`], with the policy timeline as a
//! source of tariffs in [`policy_rates`]), the US tariff registry with its import weights
//! ([`policy`], [`tariffs`]), and strategy: optimal tariffs, retaliation and trade talks
//! ([`strategy`]).
//!
//! No HTTP and no terminal: functions take typed requests and return typed results; every
//! failure is a [`ServiceError`], whose [`ServiceError::kind`] maps onto an HTTP status and whose
//! [`ServiceError::is_user_error`] onto the CLI's exit code 2.
#![deny(missing_docs)]

pub mod bands;
pub mod comparison;
pub mod costs;
pub mod crosswalk;
mod error;
pub mod etr;
pub mod formula;
pub mod no_deal;
pub mod policy;
pub mod policy_rates;
pub mod product;
pub mod round;
pub mod scenario;
pub mod scenario_report;
pub mod sector_outputs;
pub mod strategy;
pub mod talks;
pub mod tariffs;
pub mod timeline;
pub mod world;
pub mod world_build;
pub mod world_tariffs;

pub use error::{ErrorKind, Result, ServiceError};
pub use world::NegotiationWorld;
