//! Tariff-rate quotas and purchase commitments as ad-valorem equivalents (docs/negotiations.md §TRQ).
//!
//! Both depend on the flow they constrain, and the flow depends on the rate, so each is a fixed
//! point. Inside one GE iteration the flow's response to its own rate is the model's own partial
//! elasticity at fixed wages and prices: M(t) = M₀ ((1+o+t)/(1+o+t₀))^(−e), with e = ε_k φ_i of the
//! importer and o an additive offset (the factual US tariff under an additional duty). The scalar
//! problem is solved exactly on that curve; the GE loop in [`crate::score`] then re-solves the
//! equilibrium at the new rate and repeats until the rates stop moving.

/// How a tariff-rate quota becomes one ad-valorem rate.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum QuotaMethod {
    /// The fill-weighted (revenue-equivalent) rate: t = t_in + (t_out − t_in)·max(0, 1 − Q/M(t)).
    #[default]
    Average,
    /// The marginal (price-equivalent) rate: t_in when M(t_in) ≤ Q, t_out when M(t_out) ≥ Q,
    /// otherwise the rate at which imports exactly fill the quota (the quota rent counts as revenue).
    Marginal,
}

/// The local import response of one constrained flow, around the current equilibrium.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct LocalDemand {
    /// The current flow, USD.
    pub flow: f64,
    /// The rate at which `flow` was solved (fraction).
    pub rate: f64,
    /// Additive offset of the rate in the price wedge (fraction).
    pub offset: f64,
    /// The partial trade elasticity e = ε φ (> 0).
    pub elasticity: f64,
}

impl LocalDemand {
    /// The flow at rate `t`.
    pub fn at(&self, t: f64) -> f64 {
        self.flow
            * ((1.0 + self.offset + t) / (1.0 + self.offset + self.rate)).powf(-self.elasticity)
    }

    /// The rate at which the flow equals `target` (> 0).
    pub fn rate_for(&self, target: f64) -> f64 {
        (1.0 + self.offset + self.rate) * (target / self.flow).powf(-1.0 / self.elasticity)
            - 1.0
            - self.offset
    }
}

/// The ad-valorem equivalent of a quota of `quota` USD with rates `t_in ≤ t_out` (fractions) on the
/// local demand curve `demand`. Returns (rate, flow at that rate).
pub fn quota_rate(
    quota: f64,
    t_in: f64,
    t_out: f64,
    demand: &LocalDemand,
    method: QuotaMethod,
) -> (f64, f64) {
    if demand.flow <= 0.0 || t_out <= t_in {
        return (t_in, demand.flow.max(0.0));
    }
    let m_in = demand.at(t_in);
    if m_in <= quota {
        return (t_in, m_in);
    }
    match method {
        QuotaMethod::Marginal => {
            let m_out = demand.at(t_out);
            if m_out >= quota {
                (t_out, m_out)
            } else {
                let t = demand.rate_for(quota).clamp(t_in, t_out);
                (t, quota)
            }
        }
        QuotaMethod::Average => {
            // h(t) = t − t_in − (t_out − t_in)·max(0, 1 − Q/M(t)) is increasing, h(t_in) < 0 ≤ h(t_out):
            // one root, found by bisection to machine precision.
            let h = |t: f64| t - t_in - (t_out - t_in) * (1.0 - quota / demand.at(t)).max(0.0);
            let (mut lo, mut hi) = (t_in, t_out);
            for _ in 0..200 {
                let mid = 0.5 * (lo + hi);
                if h(mid) < 0.0 {
                    lo = mid;
                } else {
                    hi = mid;
                }
                if hi - lo < 1e-15 {
                    break;
                }
            }
            let t = 0.5 * (lo + hi);
            (t, demand.at(t))
        }
    }
}

/// The lowest purchase wedge allowed: a commitment that needs more than a 50% import subsidy
/// equivalent to be met is scored at this cap (and the score says so).
pub const PURCHASE_WEDGE_FLOOR: f64 = -0.5;

/// The wedge w ≤ 0 on (1+t) that makes imports reach `target` USD, on the local curve of the flow
/// in terms of w (offset 0, rate = the current wedge). Returns (wedge, capped).
pub fn purchase_wedge(target: f64, demand: &LocalDemand) -> (f64, bool) {
    if demand.flow <= 0.0 {
        return (PURCHASE_WEDGE_FLOOR, true);
    }
    let w = demand.rate_for(target);
    if w >= 0.0 {
        (0.0, false)
    } else if w < PURCHASE_WEDGE_FLOOR {
        (PURCHASE_WEDGE_FLOOR, true)
    } else {
        (w, false)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn demand(flow: f64) -> LocalDemand {
        LocalDemand {
            flow,
            rate: 0.10,
            offset: 0.0,
            elasticity: 4.0,
        }
    }

    #[test]
    fn a_slack_quota_charges_the_in_quota_rate() {
        // At t_in = 2.5% the flow is 100·(1.025/1.10)^-4 = 132.6 < 200.
        let (t, m) = quota_rate(200.0, 0.025, 0.25, &demand(100.0), QuotaMethod::Average);
        assert_eq!(t, 0.025);
        assert!((m - 100.0 * (1.025f64 / 1.10).powf(-4.0)).abs() < 1e-9);
        assert_eq!(
            quota_rate(200.0, 0.025, 0.25, &demand(100.0), QuotaMethod::Marginal).0,
            0.025
        );
    }

    #[test]
    fn the_average_rate_is_a_fixed_point_of_the_fill() {
        let d = demand(100.0);
        let q = 60.0;
        let (t, m) = quota_rate(q, 0.025, 0.25, &d, QuotaMethod::Average);
        assert!(t > 0.025 && t < 0.25);
        // t = t_in + (t_out − t_in)(M − Q)/M at M = M(t).
        let implied = 0.025 + 0.225 * (m - q) / m;
        assert!((t - implied).abs() < 1e-12, "{t} vs {implied}");
        assert!((m - d.at(t)).abs() < 1e-9);
    }

    #[test]
    fn quota_limits_bracket_the_rates() {
        let d = demand(100.0);
        // A vanishing quota charges (almost) t_out on everything; a huge one charges t_in.
        let (t0, _) = quota_rate(1e-9, 0.0, 0.3, &d, QuotaMethod::Average);
        assert!((t0 - 0.3).abs() < 1e-6);
        assert_eq!(quota_rate(1e9, 0.0, 0.3, &d, QuotaMethod::Average).0, 0.0);
        // A larger quota never raises the rate.
        let mut last = f64::INFINITY;
        for q in [10.0, 40.0, 80.0, 120.0, 160.0] {
            let (t, _) = quota_rate(q, 0.0, 0.3, &d, QuotaMethod::Average);
            assert!(t <= last);
            last = t;
        }
    }

    #[test]
    fn the_marginal_rate_fills_the_quota_exactly_or_sits_at_a_bound() {
        let d = demand(100.0);
        // M(0) = 146.4, M(0.3) = 51.3: a quota of 80 binds in between.
        let (t, m) = quota_rate(80.0, 0.0, 0.3, &d, QuotaMethod::Marginal);
        assert!((d.at(t) - 80.0).abs() < 1e-9 && m == 80.0);
        // A quota of 40 is exceeded even at t_out: the out-of-quota rate is marginal.
        assert_eq!(quota_rate(40.0, 0.0, 0.3, &d, QuotaMethod::Marginal).0, 0.3);
        // The marginal rate is at least the average rate.
        let (avg, _) = quota_rate(80.0, 0.0, 0.3, &d, QuotaMethod::Average);
        assert!(t >= avg);
    }

    #[test]
    fn a_purchase_wedge_reaches_the_target() {
        let d = LocalDemand {
            flow: 100.0,
            rate: 0.0,
            offset: 0.0,
            elasticity: 4.0,
        };
        let (w, capped) = purchase_wedge(120.0, &d);
        assert!(!capped && w < 0.0);
        assert!((d.at(w) - 120.0).abs() < 1e-9);
        assert_eq!(purchase_wedge(80.0, &d), (0.0, false));
        assert_eq!(purchase_wedge(1e6, &d), (PURCHASE_WEDGE_FLOOR, true));
    }
}
