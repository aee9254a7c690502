//! Reciprocity in the sense of Bagwell & Staiger (1999): a change of tariffs between two sides is
//! reciprocal when it brings about equal changes in the volume of each side's imports from the
//! other, valued at the original world prices, which in a two-sided exchange is the same as
//! leaving the world price of the traded goods (the bilateral terms of trade) unchanged. Such a
//! deal shifts no cost onto the other side through the terms of trade, which is why reciprocal
//! negotiations can reach efficiency.
//!
//! The world price of exporter j's sector-k goods is the factory-gate price of its composite,
//! p̂_jk = ŵ_j (L̂_j ℓ̂_jk)^(−ψ_k): the cost term of A_jik in docs/model.md §3. Volumes are values at
//! producer prices over that price, so they do not depend on the numéraire.

use super::best_response::Player;
use super::StrategyError;
use crate::ge::{self, Calibration, Equilibrium, SolverOptions};

/// A deal is called reciprocal when the bilateral terms of trade move by at most this (%).
pub const RECIPROCITY_TOLERANCE_PCT: f64 = 0.1;

/// How reciprocal a change of tariffs is, between `before` and `after`.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Reciprocity {
    /// Change in home's import volume from the partner, at the world prices before (data units).
    pub home_import_change: f64,
    /// Change in the partner's import volume from home (= home's export volume to it), same units.
    pub partner_import_change: f64,
    /// Bilateral trade before (home's imports from the partner plus its exports to it).
    pub bilateral_trade: f64,
    /// 100 (home_import_change − partner_import_change) / bilateral_trade: 0 when reciprocal.
    pub imbalance_pct: f64,
    /// Change of home's bilateral terms of trade (price of its exports to the partner over the
    /// price of its imports from it), in %: 0 when reciprocal, > 0 when home gains at the
    /// partner's expense.
    pub terms_of_trade_pct: f64,
    /// |terms_of_trade_pct| ≤ [`RECIPROCITY_TOLERANCE_PCT`].
    pub reciprocal: bool,
}

/// World price of (exporter j, sector k) in an equilibrium, relative to the factual state.
fn world_price(cal: &Calibration, eq: &Equilibrium, j: usize, k: usize) -> f64 {
    let scale = eq.employment[j] * eq.sector_share[j * cal.k + k];
    eq.wage[j] * scale.powf(-cal.params.psi_of(k))
}

/// Measure the reciprocity of going from `before` to `after` between `home` and `partner`.
pub fn reciprocity(
    cal: &Calibration,
    before: &Equilibrium,
    after: &Equilibrium,
    home: &[usize],
    partner: &[usize],
) -> Reciprocity {
    // Flows of an equilibrium in levels (producer prices).
    let level = |eq: &Equilibrium, id: usize| eq.flows[id];
    let mut volume_change = [0.0f64; 2];
    let mut trade = 0.0;
    // Export price indices (before-flow weights) of each side's sales to the other.
    let mut price_num = [[0.0f64; 2]; 2]; // [side][before/after]
    let mut price_den = [0.0f64; 2];
    for (side, (exporters, importers)) in [(partner, home), (home, partner)].into_iter().enumerate()
    {
        // side 0: home's imports (partner → home); side 1: partner's imports (home → partner).
        for k in 0..cal.k {
            for &j in exporters {
                let (p0, p1) = (
                    world_price(cal, before, j, k),
                    world_price(cal, after, j, k),
                );
                for &i in importers {
                    let id = cal.index(k, j, i);
                    let (x0, x1) = (level(before, id), level(after, id));
                    trade += x0;
                    volume_change[side] += x1 * (p0 / p1) - x0;
                    price_num[side][0] += x0 * p0;
                    price_num[side][1] += x0 * p1;
                    price_den[side] += x0;
                }
            }
        }
    }
    // Home's export price is side 1's (home → partner), its import price side 0's.
    let export_change = price_num[1][1] / price_num[1][0];
    let import_change = price_num[0][1] / price_num[0][0];
    let terms_of_trade_pct = 100.0 * (export_change / import_change - 1.0);
    let imbalance_pct = if trade > 0.0 {
        100.0 * (volume_change[0] - volume_change[1]) / trade
    } else {
        f64::NAN
    };
    Reciprocity {
        home_import_change: volume_change[0],
        partner_import_change: volume_change[1],
        bilateral_trade: trade,
        imbalance_pct,
        terms_of_trade_pct,
        reciprocal: terms_of_trade_pct.abs() <= RECIPROCITY_TOLERANCE_PCT,
    }
}

/// The partner's uniform rate on home that makes a deal reciprocal: given `deal` (the tariffs with
/// home's side of the deal in place), find the rate r the partner levies on all of home's goods
/// such that home's bilateral terms of trade are the same as at `before`. None when no rate in
/// [lower, upper] gets there. Home's terms of trade fall as r rises, so the root is unique.
#[allow(clippy::too_many_arguments)]
pub fn reciprocal_partner_rate(
    cal: &Calibration,
    deal: &[f64],
    before: &Equilibrium,
    home: &Player,
    partner: &Player,
    lower: f64,
    upper: f64,
    solver: &SolverOptions,
) -> Result<Option<f64>, StrategyError> {
    let tot = |r: f64| -> Result<f64, StrategyError> {
        let mut t = deal.to_vec();
        let mut rates = cal.pairs_mut(&mut t);
        for &j in &home.members {
            for &i in &partner.members {
                rates.set_bilateral(j, i, r);
            }
        }
        let after = ge::solve(cal, &t, solver)?;
        Ok(reciprocity(cal, before, &after, &home.members, &partner.members).terms_of_trade_pct)
    };
    // Illinois (modified regula falsi) on the sign change: bracketed and superlinear.
    let (mut a, mut b) = (lower, upper);
    let (mut fa, mut fb) = (tot(a)?, tot(b)?);
    if fa == 0.0 {
        return Ok(Some(a));
    }
    if fa.signum() == fb.signum() {
        return Ok(None);
    }
    let mut side = 0i8;
    for _ in 0..100 {
        let c = (a * fb - b * fa) / (fb - fa);
        let fc = tot(c)?;
        if fc.abs() < 1e-9 || (b - a).abs() < 1e-9 {
            return Ok(Some(c));
        }
        if fc.signum() == fb.signum() {
            b = c;
            fb = fc;
            if side == -1 {
                fa *= 0.5;
            }
            side = -1;
        } else {
            a = c;
            fa = fc;
            if side == 1 {
                fb *= 0.5;
            }
            side = 1;
        }
    }
    Err(StrategyError::NotConverged {
        what: "the reciprocal partner rate".into(),
        iterations: 100,
        residual: (b - a).abs(),
    })
}
