//! The policy timeline: a declarative registry of dated US tariff measures (TOML, embedded), its
//! validation, and the questions users ask of it — what additional US tariff applies to goods from
//! X in sector S on date D and why ([`engine`]), import-weighted effective rates and their path
//! over time ([`effective`]), the pause clock ([`pause`]), and the US tariffs of a date as a
//! dataset's sector tariffs ([`sectors`]).
//!
//! The crate does no I/O beyond `include_str!` of its registry: an alternative registry is passed
//! in as text, import weights and the set of known partner codes are passed in by the caller.
//!
//! ```
//! use reciprocity_policy::{embedded, KnownPartners, Product, date};
//! let reg = embedded(&KnownPartners::any()).unwrap();
//! // Vietnam on 2025-04-09: the Annex I rate of EO 14257, in force for one day before the pause.
//! let b = reciprocity_policy::engine::rates_at(&reg, date("2025-04-09").unwrap(), "VNM", Product::General, None, None);
//! assert_eq!(b.total_pct, 46.0);
//! ```
#![deny(missing_docs)]

pub mod effective;
pub mod engine;
mod error;
pub mod hs;
pub mod pause;
pub mod product;
pub mod registry;
pub mod sectors;

pub use chrono::NaiveDate;
pub use error::Error;
pub use hs::{HsScope, Product};
pub use registry::{KnownPartners, Registry};

/// The embedded default registry: `(file name, text)` of every file, in load order.
pub const EMBEDDED: &[(&str, &str)] = &[
    ("base.toml", include_str!("../registry/base.toml")),
    ("ieepa.toml", include_str!("../registry/ieepa.toml")),
    (
        "reciprocal_rates.toml",
        include_str!("../registry/reciprocal_rates.toml"),
    ),
    ("s232.toml", include_str!("../registry/s232.toml")),
    (
        "after_ieepa.toml",
        include_str!("../registry/after_ieepa.toml"),
    ),
];

/// Parse and validate the embedded registry against the known partner codes.
pub fn embedded(known: &KnownPartners) -> Result<Registry, Error> {
    Registry::parse(EMBEDDED, known)
}

/// Parse a `YYYY-MM-DD` date.
pub fn date(text: &str) -> Result<NaiveDate, Error> {
    NaiveDate::parse_from_str(text.trim(), "%Y-%m-%d")
        .map_err(|_| Error::Query(format!("expected a date as YYYY-MM-DD, found {text:?}")))
}
