//! Uncertainty bands (issue 14, item 2; docs/uncertainty.md): draw the uncertain parameters
//! ([`draw`]), solve the same scenario or retaliation analysis once per draw, and report every
//! headline number as its median and 90 % band (5th and 95th percentiles).
//!
//! One use case for every edge: `simulate --draws`, `strategy retaliate --draws`, the report's
//! GE section, `POST /scenarios` and `POST /strategy/retaliate` with `draws`. The draws run in
//! parallel on rayon's pool (or one after the other, inside one server permit), each from its
//! own generator seeded by (seed, draw index), so a seed gives byte-identical bands on any
//! number of threads. A draw whose solve fails is counted and reported with its reason, never
//! mixed into the bands. A stop request ends the run with [`ServiceError::Stopped`].

use rayon::prelude::*;
use reciprocity_model::ge::{Params, Stop};

use crate::{Result, ServiceError};

pub mod draw;
pub mod retaliate;
pub mod scenario;

pub use draw::{draw_params, Distributions, TABLE7};

/// The most draws one request may ask for (the CLI's limit; the API has its own, lower cap).
pub const MAX_DRAWS: usize = 100_000;

/// What to draw.
#[derive(Debug, Clone, PartialEq)]
pub struct DrawRequest {
    /// How many draws (0: none, no bands).
    pub draws: usize,
    /// The seed.
    pub seed: u64,
    /// The distributions.
    pub distributions: Distributions,
}

impl DrawRequest {
    /// `draws` draws from the project's distributions under `seed`.
    pub fn new(draws: usize, seed: u64) -> DrawRequest {
        DrawRequest {
            draws,
            seed,
            distributions: Distributions::published(),
        }
    }

    /// Bad input when there are more than `cap` draws (the field is `draws`) or a distribution
    /// is out of its range (`kappa_spread`, `pass_through`, `closure_switch`).
    pub fn check(&self, cap: usize) -> Result<()> {
        if self.draws > cap {
            return Err(ServiceError::bad_field(
                "draws",
                format!("expected at most {cap} draws, found {}", self.draws),
            ));
        }
        let d = &self.distributions;
        if !(0.0..=1.0).contains(&d.kappa_spread) {
            return Err(ServiceError::bad_field(
                "kappa_spread",
                format!("expected a share in [0, 1], found {}", d.kappa_spread),
            ));
        }
        if let Some((lo, hi)) = d.pass_through {
            if !(lo.is_finite() && hi.is_finite() && 0.0 <= lo && lo <= hi && hi <= 2.0) {
                return Err(ServiceError::bad_field(
                    "pass_through",
                    format!("expected LO:HI with 0 <= LO <= HI <= 2, found {lo}:{hi}"),
                ));
            }
        }
        if !(0.0..=1.0).contains(&d.closure_switch) {
            return Err(ServiceError::bad_field(
                "closure_switch",
                format!(
                    "expected a probability in [0, 1], found {}",
                    d.closure_switch
                ),
            ));
        }
        if !(0.0..=10.0).contains(&d.elasticity_se_scale) {
            return Err(ServiceError::bad_field(
                "elasticity_se_scale",
                format!(
                    "expected a scale in [0, 10], found {}",
                    d.elasticity_se_scale
                ),
            ));
        }
        Ok(())
    }
}

/// How the draws run.
#[derive(Clone, Default)]
pub struct Exec<'a> {
    /// One after the other on the calling thread (a server's permit), else on rayon's pool.
    pub sequential: bool,
    /// Asked to stop: the run ends with [`ServiceError::Stopped`] before its next draw.
    pub stop: Stop,
    /// Called once per draw finished (a progress bar).
    pub progress: Option<&'a (dyn Fn() + Sync)>,
}

/// A number's median and 90 % band over the draws that converged.
#[derive(Debug, Clone, Copy, PartialEq)]
#[cfg_attr(feature = "json", derive(serde::Serialize))]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct Band {
    /// The median.
    pub median: f64,
    /// The 5th percentile.
    pub p05: f64,
    /// The 95th percentile.
    pub p95: f64,
}

impl Band {
    /// The band of `values` (linear interpolation between order statistics, as R's type 7);
    /// NaN when there are none.
    pub fn of(values: &mut [f64]) -> Band {
        values.sort_by(f64::total_cmp);
        Band {
            median: quantile(values, 0.5),
            p05: quantile(values, 0.05),
            p95: quantile(values, 0.95),
        }
    }

    /// `+0.30 [+0.12, +0.55]` with `decimals` decimals.
    pub fn text(&self, decimals: usize) -> String {
        format!(
            "{:+.d$} [{:+.d$}, {:+.d$}]",
            self.median,
            self.p05,
            self.p95,
            d = decimals
        )
    }
}

fn quantile(sorted: &[f64], p: f64) -> f64 {
    match sorted.len() {
        0 => f64::NAN,
        1 => sorted[0],
        n => {
            let h = (n - 1) as f64 * p;
            let lo = h.floor() as usize;
            let hi = (lo + 1).min(n - 1);
            sorted[lo] + (h - lo as f64) * (sorted[hi] - sorted[lo])
        }
    }
}

/// A draw that did not give a result, and why.
#[derive(Debug, Clone, PartialEq)]
#[cfg_attr(feature = "json", derive(serde::Serialize))]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct DrawFailure {
    /// The draw's index (0-based; with the seed it gives the draw's parameters).
    pub draw: usize,
    /// The solver's or the calibration's error.
    pub reason: String,
}

/// What every set of bands says about its draws.
#[derive(Debug, Clone, PartialEq)]
#[cfg_attr(feature = "json", derive(serde::Serialize))]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct DrawSummary {
    /// Draws asked for.
    pub draws: usize,
    /// The seed.
    pub seed: u64,
    /// Draws that converged (the bands are over these).
    pub converged: usize,
    /// Draws that did not.
    pub failed: usize,
    /// Each failed draw with its reason.
    pub failures: Vec<DrawFailure>,
    /// What was drawn and from what (published or assumed).
    pub distributions: Vec<String>,
    /// What a band means.
    pub meaning: String,
}

/// The headline vectors of the draws that converged (in draw order) and the failures.
pub struct DrawSet {
    /// One vector per converged draw, all of one length.
    pub values: Vec<Vec<f64>>,
    /// The summary.
    pub summary: DrawSummary,
}

impl DrawSet {
    /// The band of headline number `at`.
    pub fn band(&self, at: usize) -> Band {
        let mut v: Vec<f64> = self.values.iter().map(|row| row[at]).collect();
        Band::of(&mut v)
    }
}

/// What a band means, in one sentence for every output.
pub const MEANING: &str = "median and 90% band (5th-95th percentile) over the draws that converged: \
the spread of the model's answer when its uncertain parameters are drawn as listed, not a forecast interval \
(the data, the model's structure and the tariffs are held fixed)";

/// Draw `req.draws` parameter sets around `base` and evaluate each with `eval` (the draw's
/// index and parameters in, its headline numbers out). A draw whose `eval` fails is a failure
/// with its reason; a stop request ends the run.
pub fn run<F>(
    base: &Params,
    sectors: &[String],
    req: &DrawRequest,
    exec: &Exec<'_>,
    eval: F,
) -> Result<DrawSet>
where
    F: Fn(Params) -> Result<Vec<f64>> + Sync,
{
    let one = |i: usize| -> Option<Result<Vec<f64>>> {
        if exec.stop.requested() {
            return None;
        }
        let params = draw_params(base, sectors, &req.distributions, req.seed, i);
        let out = eval(params);
        if let Some(tick) = exec.progress {
            tick();
        }
        Some(out)
    };
    let results: Vec<Option<Result<Vec<f64>>>> = match exec.sequential {
        true => (0..req.draws).map(one).collect(),
        false => (0..req.draws).into_par_iter().map(one).collect(),
    };
    let mut values = Vec::with_capacity(req.draws);
    let mut failures = Vec::new();
    for (i, r) in results.into_iter().enumerate() {
        match r {
            None | Some(Err(ServiceError::Stopped)) => return Err(ServiceError::Stopped),
            Some(Ok(v)) => values.push(v),
            Some(Err(e)) => failures.push(DrawFailure {
                draw: i,
                reason: e.to_string(),
            }),
        }
    }
    if values.is_empty() && req.draws > 0 {
        let reason = failures.first().map_or(String::new(), |f| f.reason.clone());
        return Err(ServiceError::Refused(format!(
            "none of the {} draws converged (draw 0: {reason})",
            req.draws
        )));
    }
    Ok(DrawSet {
        summary: DrawSummary {
            draws: req.draws,
            seed: req.seed,
            converged: values.len(),
            failed: failures.len(),
            failures,
            distributions: req.distributions.describe(),
            meaning: MEANING.to_string(),
        },
        values,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn quantiles_interpolate_between_order_statistics() {
        let mut v: Vec<f64> = (1..=21).rev().map(f64::from).collect();
        let b = Band::of(&mut v);
        assert_eq!(b.median, 11.0);
        assert_eq!(b.p05, 2.0);
        assert_eq!(b.p95, 20.0);
        let mut one = vec![0.3];
        assert_eq!(
            Band::of(&mut one),
            Band {
                median: 0.3,
                p05: 0.3,
                p95: 0.3
            }
        );
        assert_eq!(
            Band {
                median: 0.3,
                p05: 0.12,
                p95: 0.55
            }
            .text(2),
            "+0.30 [+0.12, +0.55]"
        );
    }

    #[test]
    fn the_cap_names_the_field() {
        let e = DrawRequest::new(501, 1).check(500).unwrap_err();
        assert_eq!(
            e.to_string(),
            "draws: expected at most 500 draws, found 501"
        );
        assert!(DrawRequest::new(500, 1).check(500).is_ok());
    }
}
