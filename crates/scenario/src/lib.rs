//! Scenario files: a TOML description of the model preset and the tariff changes, resolved
//! against a dataset into [`Params`] and a tariff matrix for the GE engine.
//!
//! ```toml
//! name = "Liberation Day"
//! [model]
//! preset = "ilms"                 # or "textbook"
//! variant = ["lump-sum"]          # lump-sum | partial-passthrough | eaton-kortum | balanced-with-us | balanced-trade
//! [[tariffs]]                     # layers apply in order
//! importers = ["USA"]
//! exporters = ["all"]
//! column = "us_tariff_liberation_day"   # or rate = 0.1 | official = "2025-04-02" | optimal = "expenditure"
//!                                       # | tariffs_at = "2025-08-07" (the policy timeline)
//! # sectors = ["MOTOR_VEHICLES"]        # or hs_chapters = ["87", "72"] (the world's HS crosswalk)
//! floor = 0.10
//! [[retaliation]]
//! rule = "reciprocal"             # or "optimal" | "explicit" (with rate)
//! target = "USA"
//! by = ["all"]
//! ```
#![deny(missing_docs)]

mod context;
mod elasticity;
mod file;
mod gravity;
mod layers;
mod ll2023;
mod resolve;

pub use context::{HsSectors, PolicyRates, Selection};
pub use file::{parse, ScenarioFile, TariffLayer};
pub use resolve::Resolved;

/// Errors in a scenario file, each naming the file and the key.
#[derive(Debug, thiserror::Error)]
pub enum ScenarioError {
    /// The TOML does not parse or has an unknown key (the message names it and the line).
    #[error("{origin}: {message}")]
    Parse {
        /// The file.
        origin: String,
        /// What the parser said.
        message: String,
    },
    /// A key has an impossible value.
    #[error("{origin}: {key}: {message}")]
    Invalid {
        /// The file.
        origin: String,
        /// The key, e.g. `tariffs[0].exporters`.
        key: String,
        /// What was expected and what was found.
        message: String,
    },
    /// The model rejected the resolved scenario.
    #[error("{origin}: {cause}")]
    Model {
        /// The file.
        origin: String,
        /// The model's error, part of the message (not a `source()`, so a chain prints it once).
        cause: reciprocity_model::ge::ModelError,
    },
}
