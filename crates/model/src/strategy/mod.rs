//! Strategy (MODEL.md §7): optimal tariffs and retaliation rules.

mod optimal;

pub use optimal::{optimal_retaliation_rate, optimal_tariff_closed_form, Denominator};
