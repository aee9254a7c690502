//! The score of an evaluated deal: welfare, rates, trade and revenue against no deal, by sector,
//! and how each quota and purchase commitment binds.

use super::plan::{Plan, SegRate, Segment};
use super::*;

/// What a score is made of: the reference (no deal), the deal's plan and its equilibrium.
pub(super) struct Scored<'a> {
    pub(super) world: &'a World,
    pub(super) reference: &'a Reference,
    pub(super) partner: &'a Partner,
    pub(super) plan: &'a Plan,
    pub(super) eq: &'a Equilibrium,
    pub(super) outcomes: &'a Outcomes,
}

/// Rates weighted by no-deal flows, bilateral trade balances, and the sectors the deal touches.
struct Trade {
    us_w: f64,
    us_nd: f64,
    us_d: f64,
    p_w: f64,
    p_nd: f64,
    p_d: f64,
    bal_nd: f64,
    bal_d: f64,
    sectors: Vec<SectorScore>,
}

impl Scored<'_> {
    /// The country's welfare change against no deal, percent.
    fn vs_no_deal(&self, i: usize) -> f64 {
        let a = 1.0 + self.outcomes.countries[i].welfare_pct / 100.0;
        let b = 1.0 + self.reference.outcomes.countries[i].welfare_pct / 100.0;
        100.0 * (a / b - 1.0)
    }

    /// Income of country i's sector k relative to the baseline.
    fn income_hat(&self, e: &Equilibrium, i: usize, k: usize) -> f64 {
        e.wage[i] * e.employment[i] * e.sector_share[i * self.world.cal.k + k]
    }

    pub(super) fn summarize(&self, solves: usize, iterations: usize) -> Score {
        let (world, reference, partner, eq) = (self.world, self.reference, self.partner, self.eq);
        let cal = &world.cal;
        let (n, kk, us) = (cal.n, cal.k, world.us);
        let usd_unit = world.usd_per_unit;
        let nd = &reference.equilibrium;
        let members = &partner.members;
        let weight: f64 = members.iter().map(|&m| cal.expenditure[m]).sum();
        let partner_welfare_pct = members
            .iter()
            .map(|&m| cal.expenditure[m] * self.vs_no_deal(m))
            .sum::<f64>()
            / weight;
        let trade = self.trade();
        let deficit = |e: &Equilibrium| {
            let flows = cal.pairs(&e.flows);
            (0..n)
                .filter(|&j| j != us)
                .map(|j| flows.bilateral_sum(j, us) - flows.bilateral_sum(us, j))
                .sum::<f64>()
        };
        let (def_nd, def_d) = (deficit(nd), deficit(eq));
        let us_output_pct = (0..kk)
            .map(|k| 100.0 * (self.income_hat(eq, us, k) / self.income_hat(nd, us, k) - 1.0))
            .collect();
        let (constraints, notes) = self.constraints();
        let revenue = |e: &Equilibrium, who: &[usize]| {
            who.iter().map(|&i| e.revenue[i]).sum::<f64>() * usd_unit
        };
        let share = |num: f64, den: f64| if den > 0.0 { 100.0 * num / den } else { 0.0 };
        Score {
            world: world.name.clone(),
            partner: partner.code.clone(),
            us_welfare_pct: self.vs_no_deal(us),
            partner_welfare_pct,
            us_rate_no_deal_pct: share(trade.us_nd, trade.us_w),
            us_rate_deal_pct: share(trade.us_d, trade.us_w),
            partner_rate_no_deal_pct: share(trade.p_nd, trade.p_w),
            partner_rate_deal_pct: share(trade.p_d, trade.p_w),
            balance_no_deal_usd: trade.bal_nd * usd_unit,
            balance_deal_usd: trade.bal_d * usd_unit,
            us_deficit_change_pct: 100.0 * (def_d - def_nd) / def_nd.abs(),
            us_revenue_no_deal_usd: revenue(nd, &[us]),
            us_revenue_deal_usd: revenue(eq, &[us]),
            partner_revenue_no_deal_usd: revenue(nd, members),
            partner_revenue_deal_usd: revenue(eq, members),
            sectors: trade.sectors,
            us_output_pct,
            constraints,
            solves,
            iterations,
            max_residual: eq.report.max_residual,
            notes,
        }
    }

    /// The sector loop: rates weighted by no-deal flows, bilateral trade, sector outputs.
    fn trade(&self) -> Trade {
        let (world, reference, eq) = (self.world, self.reference, self.eq);
        let cal = &world.cal;
        let (kk, us) = (cal.k, world.us);
        let usd_unit = world.usd_per_unit;
        let nd = &reference.equilibrium;
        // The tariff rates of the deal, without the purchase wedges (reported on their own).
        let mut plain = reference.tariffs.clone();
        self.plan
            .apply(world, reference, self.partner, &mut plain, false);
        let mut t = Trade {
            us_w: 0.0,
            us_nd: 0.0,
            us_d: 0.0,
            p_w: 0.0,
            p_nd: 0.0,
            p_d: 0.0,
            bal_nd: 0.0,
            bal_d: 0.0,
            sectors: Vec::new(),
        };
        for k in 0..kk {
            let (mut x_nd, mut x_d, mut m_nd, mut m_d) = (0.0, 0.0, 0.0, 0.0);
            let (mut y_nd, mut y_d) = (0.0, 0.0);
            for &m in &self.partner.members {
                // One position read across the parallel tables of flows and rates.
                let imp = cal.index(k, m, us); // US imports from m
                let exp = cal.index(k, us, m); // US exports to m
                m_nd += nd.flows[imp];
                m_d += eq.flows[imp];
                x_nd += nd.flows[exp];
                x_d += eq.flows[exp];
                t.us_w += nd.flows[imp];
                t.us_nd += nd.flows[imp] * (reference.tariffs[imp] - cal.tariffs[imp]);
                t.us_d += nd.flows[imp] * (plain[imp] - cal.tariffs[imp]);
                t.p_w += nd.flows[exp];
                t.p_nd += nd.flows[exp] * reference.tariffs[exp];
                t.p_d += nd.flows[exp] * plain[exp];
                let y = cal.sector_income[m * kk + k];
                y_nd += y * self.income_hat(nd, m, k);
                y_d += y * self.income_hat(eq, m, k);
            }
            t.bal_nd += x_nd - m_nd;
            t.bal_d += x_d - m_d;
            if self.plan.touched[k] {
                let us_output = self.income_hat(eq, us, k) / self.income_hat(nd, us, k);
                t.sectors.push(SectorScore {
                    sector: cal.sectors[k].clone(),
                    us_output_pct: 100.0 * (us_output - 1.0),
                    partner_output_pct: if y_nd > 0.0 {
                        100.0 * (y_d / y_nd - 1.0)
                    } else {
                        0.0
                    },
                    us_exports_no_deal_usd: x_nd * usd_unit,
                    us_exports_deal_usd: x_d * usd_unit,
                    us_imports_no_deal_usd: m_nd * usd_unit,
                    us_imports_deal_usd: m_d * usd_unit,
                });
            }
        }
        t
    }

    /// How each quota and purchase commitment binds, and the plan's notes with a line for each
    /// purchase scored at the wedge floor.
    fn constraints(&self) -> (Vec<ConstraintScore>, Vec<String>) {
        let (world, plan, partner, eq) = (self.world, self.plan, self.partner, self.eq);
        let cal = &world.cal;
        let mut constraints = Vec::new();
        for (qi, q) in plan.quotas.iter().enumerate() {
            let in_quota = |s: &Segment| s.rate == SegRate::Quota(qi);
            let d = plan.demand(world, partner, eq, in_quota, q.rate, true);
            constraints.push(ConstraintScore {
                term: q.term.clone(),
                sectors: plan.sectors_of(cal, in_quota),
                rate_pct: 100.0 * q.rate,
                flow_usd: d.flow,
                target_usd: q.quota_usd,
                capped: false,
            });
        }
        let mut notes = plan.notes.clone();
        for (pi, p) in plan.purchases.iter().enumerate() {
            let d = plan.demand(world, partner, eq, |s| s.wedge == Some(pi), p.wedge, false);
            if p.capped {
                notes.push(format!(
                    "{}: {} USD a year is out of reach; scored at the {:.0}% wedge floor ({} USD reached)",
                    p.term,
                    usd(p.target_usd),
                    100.0 * crate::trq::PURCHASE_WEDGE_FLOOR,
                    usd(d.flow)
                ));
            }
            constraints.push(ConstraintScore {
                term: p.term.clone(),
                sectors: plan.sectors_of(cal, |s| s.wedge == Some(pi)),
                rate_pct: 100.0 * p.wedge,
                flow_usd: d.flow,
                target_usd: p.target_usd,
                capped: p.capped,
            });
        }
        (constraints, notes)
    }
}
