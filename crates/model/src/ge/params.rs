//! Model parameters and the variants of docs/model.md §5.

/// How tariff revenue reaches households.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Revenue {
    /// Revenue lowers the income tax (ILMS baseline): τ̂ = (1−τ⁰)/(1−τ¹) raises labour supply.
    IncomeTaxRelief,
    /// Revenue is rebated lump-sum: τ̂ = 1.
    LumpSum,
}

/// How the transfers T_i that finance trade deficits move in the counterfactual.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Deficits {
    /// T_i stays a fixed share of world GDP (Dekle, Eaton & Kortum 2008; ILMS baseline).
    FixedShareOfWorldGdp,
    /// T_i is reduced by country i's bilateral imbalance with the anchor country (the US); the anchor's
    /// T is minus the sum of the others', so world transfers sum to zero. Results are meant to be read
    /// against the zero-shock equilibrium of the same closure (ILMS Table 10).
    BalancedWithAnchor,
    /// Every transfer is zero in the counterfactual: trade is balanced (Dekle, Eaton & Kortum 2007
    /// remove deficits this way before a counterfactual; Ossa 2014 likewise). Results are meant to
    /// be read against the zero-shock equilibrium of the same closure. Under fixed deficits a
    /// country whose tariffs-hit exports can no longer finance its surplus has no equilibrium;
    /// here it always has one.
    Balanced,
}

/// How ν (the share of the value of sales into a market that is income of that market) is set.
#[derive(Debug, Clone, PartialEq)]
pub enum NuRule {
    /// ILMS §2.2: two regions {anchor, rest}, matched to gross-output share targets
    /// (rest-weighted target, anchor-weighted target) = (0.12, 0.26) in the paper.
    TwoRegion {
        /// The targets (for the rest, for the anchor).
        targets: (f64, f64),
    },
    /// The same ν for every country (0 gives the Eaton–Kortum / textbook case).
    Uniform(f64),
    /// One value per country, in dataset order.
    PerCountry(Vec<f64>),
}

/// How φ (the tariff pass-through / markup parameter) is set.
#[derive(Debug, Clone, PartialEq)]
pub enum PhiRule {
    /// φ_i = shift + g(ν_i), g(ν) = (1+θ)/((1−ν)θ) − 1/θ − 1 (ILMS: shift 1; incomplete pass-through: 0.25).
    FromNu {
        /// The additive shift (1 in the baseline).
        shift: f64,
        /// θ = 1/ψ at the base elasticity (ILMS: 4/0.67), kept when ε varies.
        theta: f64,
    },
    /// φ_i = value for every country (1 in Eaton–Kortum and the textbook case).
    Uniform(f64),
}

/// Everything that defines the model apart from the data and the tariffs.
#[derive(Debug, Clone, PartialEq)]
pub struct Params {
    /// Trade elasticity ε_k, one per sector (a single value is broadcast to every sector).
    pub epsilon: Vec<f64>,
    /// Labour-supply elasticity κ ≥ 0.
    pub kappa: f64,
    /// Scale elasticity ψ_k ≥ 0, one per sector (a single value is broadcast). With K > 1,
    /// ψ_k ε_k must stay below 1 or the equilibrium is indeterminate.
    pub psi: Vec<f64>,
    /// ν rule.
    pub nu: NuRule,
    /// φ rule.
    pub phi: PhiRule,
    /// Revenue recycling.
    pub revenue: Revenue,
    /// Deficit closure.
    pub deficits: Deficits,
    /// Eaton–Kortum variant (§5): after the ILMS calibration of the flows, set ν = 0, φ = 1 and
    /// Y_i = Σ_d X_id (row sums), keeping X, E and λ.
    pub eaton_kortum: bool,
    /// The anchor country code for the two-region ν rule, the balanced-with-anchor closure
    /// and the optimal-retaliation aggregation ("USA").
    pub anchor: String,
}

/// The ILMS base trade elasticity.
pub const ILMS_EPSILON: f64 = 4.0;
/// The ILMS scale-elasticity numerator: ψ = 0.67/ε.
pub const ILMS_SCALE_NUMERATOR: f64 = 0.67;

impl Params {
    /// The ILMS (2025) baseline preset: ε = 4, κ = 0.5, ψ = 0.67/ε, two-region ν, φ = 1 + g(ν),
    /// income-tax relief, deficits fixed as a share of world GDP.
    pub fn ilms() -> Self {
        Params {
            epsilon: vec![ILMS_EPSILON],
            kappa: 0.5,
            psi: vec![ILMS_SCALE_NUMERATOR / ILMS_EPSILON],
            nu: NuRule::TwoRegion {
                targets: (0.12, 0.26),
            },
            phi: PhiRule::FromNu {
                shift: 1.0,
                theta: ILMS_EPSILON / ILMS_SCALE_NUMERATOR,
            },
            revenue: Revenue::IncomeTaxRelief,
            deficits: Deficits::FixedShareOfWorldGdp,
            eaton_kortum: false,
            anchor: "USA".to_string(),
        }
    }

    /// The textbook multi-sector Armington model with tariff revenue (§6):
    /// ν = 0, φ = 1, ψ = 0, κ = 0, lump-sum rebate.
    pub fn textbook(epsilon: Vec<f64>) -> Self {
        Params {
            epsilon,
            kappa: 0.0,
            psi: vec![0.0],
            nu: NuRule::Uniform(0.0),
            phi: PhiRule::Uniform(1.0),
            revenue: Revenue::LumpSum,
            deficits: Deficits::FixedShareOfWorldGdp,
            eaton_kortum: false,
            anchor: "USA".to_string(),
        }
    }

    /// ψ for sector k (a single value applies to all sectors).
    #[inline]
    pub fn psi_of(&self, k: usize) -> f64 {
        if self.psi.len() == 1 {
            self.psi[0]
        } else {
            self.psi[k]
        }
    }

    /// ε for sector k (a single value applies to all sectors).
    #[inline]
    pub fn epsilon_of(&self, k: usize) -> f64 {
        if self.epsilon.len() == 1 {
            self.epsilon[0]
        } else {
            self.epsilon[k]
        }
    }
}

/// g(ν) of ILMS: the markup wedge implied by intermediate inputs.
pub fn markup_wedge(nu: f64, theta: f64) -> f64 {
    (1.0 + theta) / ((1.0 - nu) * theta) - 1.0 / theta - 1.0
}
