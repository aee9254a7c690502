//! The retaliation rules of `reciprocity_model::retaliation` on a seeded synthetic world: the
//! mirror copies the target's rates sector by sector, a rate is set as given, nothing else moves.

mod common;

use common::{ilms_like, synthetic_world};
use reciprocity_model::ge;
use reciprocity_model::retaliation::{self, Rule};

#[test]
fn mirror_and_rate_set_only_the_retaliators_rates_on_the_target() {
    let (n, k) = (4, 3);
    let data = synthetic_world(7, n, k, true);
    let cal = ge::calibrate(&data, &ilms_like(k)).unwrap();
    // Distinct rates everywhere, so that a swapped exporter/importer would show.
    let base: Vec<f64> = (0..cal.tariffs.len()).map(|id| 0.01 * id as f64).collect();
    let target = 1;
    let mut mirrored = base.clone();
    retaliation::retaliate(
        &cal,
        &mut mirrored,
        target,
        &[0, 1, 3],
        &[0, 2],
        Rule::Mirror,
    );
    let mut rated = base.clone();
    retaliation::retaliate(
        &cal,
        &mut rated,
        target,
        &[0, 3],
        &[0, 1, 2],
        Rule::Rate(0.25),
    );
    for s in 0..k {
        for j in 0..n {
            for i in 0..n {
                let id = cal.index(s, j, i);
                let retaliates = j == target && (i == 0 || i == 3);
                // The mirror: i levies on the target what the target levies on i (sectors 0, 2).
                let expected = if retaliates && s != 1 {
                    cal.pairs(&base).get(s, i, target)
                } else {
                    base[id]
                };
                assert_eq!(mirrored[id], expected, "mirror k={s} j={j} i={i}");
                let expected = if retaliates { 0.25 } else { base[id] };
                assert_eq!(rated[id], expected, "rate k={s} j={j} i={i}");
            }
        }
    }
    // The bilateral rate: a flow-weighted mean of the three sectors, between the extremes.
    let r = retaliation::bilateral_rate(&cal, &base, 0, target);
    let rates: Vec<f64> = (0..k).map(|s| cal.pairs(&base).get(s, 0, target)).collect();
    let weights: Vec<f64> = (0..k).map(|s| cal.flow_table().get(s, 0, target)).collect();
    let mean =
        rates.iter().zip(&weights).map(|(r, w)| r * w).sum::<f64>() / weights.iter().sum::<f64>();
    assert!((r - mean).abs() < 1e-15, "{r} vs {mean}");
    assert_eq!(retaliation::all_sectors(&cal), vec![0, 1, 2]);
}
