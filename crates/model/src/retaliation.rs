//! Retaliation rules (docs/model.md §7): the rates retaliators levy on a target's goods, written once
//! for scenario files (`[[retaliation]]`) and the strategy use cases (the reciprocal and optimal
//! cases of a retaliation analysis, the mirrored no-deal point of trade talks).

use crate::ge::Calibration;

/// What each retaliator levies on the target's goods.
#[derive(Debug, Clone, Copy, PartialEq)]
pub enum Rule {
    /// The mirror (reciprocal) rule: in each sector, the rate the target levies on the
    /// retaliator's goods.
    Mirror,
    /// One rate (a fraction) in each sector: the two-region optimal rate or an explicit one.
    Rate(f64),
}

/// Apply `rule` in place: each retaliator in `by` (the target itself is skipped) sets the tariff
/// it levies on `target`'s goods in each of `sectors`. `tariffs` has the calibration's layout
/// ([`Calibration::pairs_mut`]). A mirror reads the rates of `tariffs` as they are when it runs.
pub fn retaliate(
    cal: &Calibration,
    tariffs: &mut [f64],
    target: usize,
    by: &[usize],
    sectors: &[usize],
    rule: Rule,
) {
    let mut t = cal.pairs_mut(tariffs);
    for &i in by.iter().filter(|&&i| i != target) {
        for &k in sectors {
            match rule {
                Rule::Mirror => t.mirror(k, i, target),
                Rule::Rate(r) => t.set(k, target, i, r),
            }
        }
    }
}

/// Every sector of the calibration (the default scope of a rule).
pub fn all_sectors(cal: &Calibration) -> Vec<usize> {
    (0..cal.k).collect()
}

/// The flow-weighted mean over sectors of the rate `importer` levies on `exporter`'s goods (the
/// plain mean over sectors when they trade nothing).
pub fn bilateral_rate(cal: &Calibration, t: &[f64], exporter: usize, importer: usize) -> f64 {
    let rates = cal.pairs(t).bilateral(exporter, importer);
    let flows = cal
        .flow_table()
        .bilateral(exporter, importer)
        .map(|x| x.max(0.0));
    let (num, den) = rates
        .zip(flows)
        .fold((0.0, 0.0), |(num, den), (t, x)| (num + t * x, den + x));
    if den > 0.0 {
        num / den
    } else {
        cal.pairs(t).bilateral_sum(exporter, importer) / cal.k as f64
    }
}
