//! The negotiation domain of Reciprocity: talks between the US and its partners during a tariff
//! pause, the proposals they table, the rules that govern them, and what each proposal is worth
//! to each side in general equilibrium.
//!
//! - [`talk`]: a [`Negotiation`] with its [`PauseWindow`] and state machine ([`State`], [`Action`]);
//! - [`proposal`]: [`Proposal`]s and their [`Terms`] (tariff lines, tariff-rate quotas, purchase
//!   commitments, text terms), checked from drafts by [`validate`];
//! - [`event`]: the append-only log;
//! - [`trq`]: quotas and purchase commitments as ad-valorem equivalents;
//! - [`score`]: a proposal against the no-deal alternative with the GE engine;
//! - [`simulate`]: partners and the US as agents through a pause round, and the comparison with
//!   the real 2025 sequence.
//!
//! **Architecture invariant:** no I/O, no serde. The store (`reciprocity-store`) persists these
//! types through its own serialized forms; the CLI and a server call [`score::score`], a pure
//! function of the world, its calibration and the proposal.
//!
//! ```
//! use reciprocity_negotiation::{validate, TermsDraft, TariffLineDraft, ValidationContext};
//! let ctx = ValidationContext { partner: "JPN".into(), partner_aliases: vec![], sectors: vec!["TOTAL".into()] };
//! let draft = TermsDraft {
//!     tariff_lines: vec![TariffLineDraft { by: Some("USA".into()), scope: Some("all".into()), rate_pct: Some(15.0) }],
//!     ..Default::default()
//! };
//! let terms = validate(&draft, &ctx).unwrap();
//! assert_eq!(terms.summary("JPN"), "USA all 15%");
//! ```
#![deny(missing_docs)]

pub mod event;
pub mod proposal;
pub mod rng;
pub mod score;
pub mod simulate;
pub mod talk;
pub mod trq;

pub use event::{Event, EventKind};
pub use proposal::{
    validate, Proposal, ProposalStatus, PurchaseCommitment, PurchaseDraft, QuotaDraft, Scope, Side,
    TariffLine, TariffLineDraft, TariffRateQuota, Terms, TermsDraft, ValidationContext,
    ValidationError,
};
pub use score::{score, ChapterMap, Partner, Reference, Score, ScoreError, World};
pub use talk::{Action, Extension, Negotiation, PauseWindow, State, TransitionError};
pub use trq::QuotaMethod;
