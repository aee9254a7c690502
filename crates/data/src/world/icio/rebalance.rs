//! Re-balancing the estimated final goods sales to BACI 2023 pair totals (Census 2024 for the US
//! import column), the exporter's own domestic final sales absorbing the difference.

use super::Work;

/// A goods-trade target for one exporter → importer pair (million USD), with its source.
#[derive(Debug, Clone, Copy, PartialEq)]
pub(crate) enum Target {
    /// `fob_to_basic` × BACI 2023.
    Baci(f64),
    /// Census 2024 US general imports.
    Census(f64),
    /// No source covers the pair: the ICIO-based estimate is kept.
    None,
}

impl Target {
    fn value(self) -> Option<f64> {
        match self {
            Target::Baci(v) | Target::Census(v) => Some(v),
            Target::None => None,
        }
    }
}

/// An exporter whose goods final sales cannot carry its BACI/Census export totals.
#[derive(Debug, Clone, PartialEq)]
pub struct Hub {
    /// ISO3.
    pub iso3: String,
    /// Final goods exports (to the 80 and ROW) the targets ask for, million USD.
    pub needed_musd: f64,
    /// The exporter's goods final-plus-ROW sales in ICIO, million USD.
    pub available_musd: f64,
    /// What could not be placed even after moving it across the exporter's goods sectors.
    pub shortfall_musd: f64,
}

/// What the re-balancing changed.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct RebalanceReport {
    /// Foreign pairs among the 80 with a BACI target.
    pub pairs_baci: usize,
    /// US import pairs with a Census target.
    pub pairs_census: usize,
    /// Of those, the pairs split by sector like Census 2024 HS8 imports (the rest keep the
    /// estimate's sector mix, scaled to the partner total).
    pub pairs_census_by_sector: usize,
    /// Foreign pairs among the 80 without any target (an end not in BACI: TWN, STP), estimate kept.
    pub pairs_without_target: usize,
    /// Pairs whose ICIO intermediate goods alone exceed the target: final goods set to 0.
    pub pairs_intermediates_above_target: usize,
    /// The excess of those intermediates over their targets, million USD (kept: ICIO is exact).
    pub intermediates_excess_musd: f64,
    /// Final goods sales to foreign partners among the 80, before and after, million USD.
    pub final_goods_exports_before_musd: f64,
    /// After.
    pub final_goods_exports_after_musd: f64,
    /// Goods exports to ROW placed out of final-plus-ROW sales, million USD.
    pub exports_to_row_musd: f64,
    /// Goods exports moved from a sector without room to the exporter's other goods sectors.
    pub moved_across_sectors_musd: f64,
    /// Exporters whose final goods sales could not carry their targets.
    pub hubs: Vec<Hub>,
}

/// Re-balance `w` in place. `targets[j * n80 + i]` is the pair target among the 80 (diagonal
/// ignored), `row_targets[j]` the goods exports of j to ROW (million USD), `us_by_sector[j]`
/// Census's US imports from j by ICIO sector when known (the sector mix of a Census target).
pub(crate) fn rebalance(
    w: &mut Work,
    countries: &[String],
    targets: &[Target],
    row_targets: &[f64],
    us_by_sector: &[Option<Vec<f64>>],
) -> RebalanceReport {
    let n80 = countries.len();
    let r = w.n - 1;
    let mut rep = RebalanceReport::default();
    for j in 0..n80 {
        // The exporter's goods final-plus-ROW sales by sector: what there is to place.
        let available: Vec<f64> = (0..w.ns)
            .map(|s| {
                if w.goods[s] {
                    (0..w.n).map(|i| w.fd[w.idx(s, j, i)]).sum()
                } else {
                    0.0
                }
            })
            .collect();
        let mut pair_targets = vec![None; n80];
        for i in (0..n80).filter(|&i| i != j) {
            let t = targets[j * n80 + i];
            match t {
                Target::Baci(_) => rep.pairs_baci += 1,
                Target::Census(_) => rep.pairs_census += 1,
                Target::None => rep.pairs_without_target += 1,
            }
            rep.final_goods_exports_before_musd += w.pair_goods(&w.fd, j, i);
            pair_targets[i] = t.value();
            let mix = us_by_sector.get(j).and_then(Option::as_deref);
            match (t, mix) {
                (Target::Census(v), Some(mix)) if set_pair_by_sector(w, j, i, v, mix) => {
                    rep.pairs_census_by_sector += 1;
                }
                _ => {
                    if let Some(v) = t.value() {
                        set_pair_final(w, j, i, v, &mut rep);
                    }
                }
            }
        }
        place_row_exports(w, j, row_targets[j]);
        rep.exports_to_row_musd += row_targets[j];
        // Absorb into domestic final sales; where a sector has no room, scale its exports down,
        // the Census-targeted US column last (assumption A4).
        let protect =
            (0..n80).find(|&i| i != j && matches!(targets[j * n80 + i], Target::Census(_)));
        let mut shortfall = 0.0;
        let mut needed_total = 0.0;
        for s in (0..w.ns).filter(|&s| w.goods[s]) {
            let need: f64 = (0..w.n)
                .filter(|&i| i != j)
                .map(|i| w.fd[w.idx(s, j, i)])
                .sum();
            needed_total += need;
            let d = w.idx(s, j, j);
            if need <= available[s] {
                w.fd[d] = available[s] - need;
                continue;
            }
            let kept = protect.map_or(0.0, |u| w.fd[w.idx(s, j, u)]);
            let (f_kept, f_rest) = if kept <= available[s] {
                let rest = need - kept;
                (
                    1.0,
                    if rest > 0.0 {
                        (available[s] - kept) / rest
                    } else {
                        0.0
                    },
                )
            } else {
                (available[s] / kept, 0.0)
            };
            for i in (0..w.n).filter(|&i| i != j) {
                let x = w.idx(s, j, i);
                w.fd[x] *= if Some(i) == protect { f_kept } else { f_rest };
            }
            w.fd[d] = 0.0;
            shortfall += need - available[s];
        }
        if shortfall > 0.0 {
            let moved = move_across_sectors(w, j, r, &pair_targets, row_targets[j], protect);
            rep.moved_across_sectors_musd += moved;
            let left = (shortfall - moved).max(0.0);
            rep.hubs.push(Hub {
                iso3: countries[j].clone(),
                needed_musd: needed_total,
                available_musd: available.iter().sum(),
                shortfall_musd: left,
            });
        }
        for i in (0..n80).filter(|&i| i != j) {
            rep.final_goods_exports_after_musd += w.pair_goods(&w.fd, j, i);
        }
    }
    rep.hubs
        .sort_by(|a, b| b.shortfall_musd.total_cmp(&a.shortfall_musd));
    rep
}

/// Scale the final goods of pair (j, i) so that intermediate + final goods = `target`.
fn set_pair_final(w: &mut Work, j: usize, i: usize, target: f64, rep: &mut RebalanceReport) {
    let interm = w.pair_goods(&w.z, j, i);
    let final_now = w.pair_goods(&w.fd, j, i);
    let want = target - interm;
    if want <= 0.0 {
        rep.pairs_intermediates_above_target += 1;
        rep.intermediates_excess_musd += -want;
        for s in (0..w.ns).filter(|&s| w.goods[s]) {
            let x = w.idx(s, j, i);
            w.fd[x] = 0.0;
        }
        return;
    }
    if final_now > 0.0 {
        let f = want / final_now;
        for s in (0..w.ns).filter(|&s| w.goods[s]) {
            let x = w.idx(s, j, i);
            w.fd[x] *= f;
        }
        return;
    }
    // No final goods in the estimate: split like the pair's intermediates, else like the
    // exporter's goods final-plus-ROW sales.
    let weights: Vec<f64> = if interm > 0.0 {
        (0..w.ns)
            .map(|s| if w.goods[s] { w.z[w.idx(s, j, i)] } else { 0.0 })
            .collect()
    } else {
        (0..w.ns)
            .map(|s| {
                if w.goods[s] {
                    (0..w.n).map(|d| w.fd[w.idx(s, j, d)]).sum()
                } else {
                    0.0
                }
            })
            .collect()
    };
    let total: f64 = weights.iter().sum();
    if total > 0.0 {
        for (s, wt) in weights.iter().enumerate().filter(|(s, _)| w.goods[*s]) {
            let x = w.idx(s, j, i);
            w.fd[x] = want * wt / total;
        }
    }
}

/// Set the final goods of pair (j, i) so that the pair's goods total is `target` with the sector
/// mix of `mix` (Census by ICIO sector) as far as ICIO's intermediates allow: each sector's
/// final sales fill the gap between its share of the target and its intermediates, scaled so the
/// pair total is exact. Returns false (nothing changed) when the mix is empty or the
/// intermediates leave no room: the caller then scales as for any target.
fn set_pair_by_sector(w: &mut Work, j: usize, i: usize, target: f64, mix: &[f64]) -> bool {
    let mix_total: f64 = (0..w.ns).filter(|&s| w.goods[s]).map(|s| mix[s]).sum();
    let want = target - w.pair_goods(&w.z, j, i);
    if !(mix_total > 0.0 && want > 0.0) {
        return false;
    }
    let gaps: Vec<f64> = (0..w.ns)
        .map(|s| {
            if w.goods[s] {
                (target * mix[s] / mix_total - w.z[w.idx(s, j, i)]).max(0.0)
            } else {
                0.0
            }
        })
        .collect();
    let total_gap: f64 = gaps.iter().sum();
    if total_gap <= 0.0 {
        return false;
    }
    let f = want / total_gap;
    for (s, gap) in gaps.iter().enumerate().filter(|(s, _)| w.goods[*s]) {
        let x = w.idx(s, j, i);
        w.fd[x] = f * gap;
    }
    true
}

/// Put j's goods exports to ROW in the ROW column, split like j's goods exports to the 80.
fn place_row_exports(w: &mut Work, j: usize, total: f64) {
    let r = w.n - 1;
    let weights: Vec<f64> = (0..w.ns)
        .map(|s| {
            if !w.goods[s] {
                return 0.0;
            }
            (0..r)
                .filter(|&i| i != j)
                .map(|i| w.z[w.idx(s, j, i)] + w.fd[w.idx(s, j, i)])
                .sum()
        })
        .collect();
    let sum: f64 = weights.iter().sum();
    for (s, wt) in weights.iter().enumerate() {
        let x = w.idx(s, j, r);
        w.fd[x] = if sum > 0.0 { total * wt / sum } else { 0.0 };
    }
}

/// After sectors without room were scaled down, carry each pair's missing goods by the exporter's
/// goods sectors that still have domestic final sales, in proportion to them; the `protect`ed pair
/// (the Census-targeted US column) first. Returns the amount moved (million USD).
fn move_across_sectors(
    w: &mut Work,
    j: usize,
    r: usize,
    pair_targets: &[Option<f64>],
    row_target: f64,
    protect: Option<usize>,
) -> f64 {
    let mut missing = vec![0.0; w.n];
    for (i, t) in pair_targets.iter().enumerate() {
        if let Some(t) = t {
            let now = w.pair_goods(&w.z, j, i) + w.pair_goods(&w.fd, j, i);
            missing[i] = (t - now).max(0.0);
        }
    }
    missing[r] = (row_target - w.pair_goods(&w.fd, j, r)).max(0.0);
    let mut moved = 0.0;
    if let Some(u) = protect {
        let mut first = vec![0.0; w.n];
        first[u] = std::mem::take(&mut missing[u]);
        moved += carry(w, j, &first);
        if let Some(t) = pair_targets[u] {
            let still = t - w.pair_goods(&w.z, j, u) - w.pair_goods(&w.fd, j, u);
            moved += take_from_other_destinations(w, j, u, still);
        }
    }
    moved + carry(w, j, &missing)
}

/// Move up to `amount` of j's final goods sales from its other foreign destinations to pair
/// (j, u), sector by sector, pro rata (each sector's total sales are unchanged).
fn take_from_other_destinations(w: &mut Work, j: usize, u: usize, amount: f64) -> f64 {
    if amount <= 0.0 {
        return 0.0;
    }
    let others: f64 = (0..w.n)
        .filter(|&i| i != j && i != u)
        .map(|i| w.pair_goods(&w.fd, j, i))
        .sum();
    if others <= 0.0 {
        return 0.0;
    }
    let g = (amount / others).min(1.0);
    for s in (0..w.ns).filter(|&s| w.goods[s]) {
        for i in (0..w.n).filter(|&i| i != j && i != u) {
            let x = w.idx(s, j, i);
            let take = g * w.fd[x];
            w.fd[x] -= take;
            let to = w.idx(s, j, u);
            w.fd[to] += take;
        }
    }
    g * others
}

/// Move `missing[i]` (or as much as there is room for, pro rata) from j's domestic final goods
/// sales to pair (j, i), sector by sector in proportion to the room left.
fn carry(w: &mut Work, j: usize, missing: &[f64]) -> f64 {
    let total_missing: f64 = missing.iter().sum();
    let slack: Vec<f64> = (0..w.ns)
        .map(|s| {
            if w.goods[s] {
                w.fd[w.idx(s, j, j)]
            } else {
                0.0
            }
        })
        .collect();
    let total_slack: f64 = slack.iter().sum();
    if total_missing <= 0.0 || total_slack <= 0.0 {
        return 0.0;
    }
    let placed = total_missing.min(total_slack);
    let f = placed / total_missing;
    for (i, m) in missing.iter().enumerate().filter(|(_, m)| **m > 0.0) {
        for (s, sl) in slack.iter().enumerate().filter(|(_, sl)| **sl > 0.0) {
            let add = m * f * sl / total_slack;
            let x = w.idx(s, j, i);
            let d = w.idx(s, j, j);
            w.fd[x] += add;
            w.fd[d] -= add;
        }
    }
    for s in 0..w.ns {
        let d = w.idx(s, j, j);
        w.fd[d] = w.fd[d].max(0.0);
    }
    placed
}
