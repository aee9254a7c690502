//! What the product lists say about one HTS line: its MFN rate, the lists it is on, its metal
//! content. Computed once per line; the evaluation on a date only combines these facts.

use chrono::NaiveDate;

use super::codes::{CodeSet, Member};
use super::data::{MfnKind, ProductData};
use super::programs::{Scope, AUTO_VEHICLES, BUSES, CABINETS, LUMBER, MHD_VEHICLES, UPHOLSTERED};

/// `usmca-shares`: which year's USMCA-claim shares (USITC DataWeb, special program indicator
/// S/S+, by HTS-10 x partner) stand for the share of Canadian and Mexican goods that qualify.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum UsmcaShares {
    /// 2024 claims: before the 2025 duties gave a reason to claim (Canada 38%, Mexico 50% of
    /// imports; `usmca_product_shares_2024.csv`).
    Y2024,
    /// 2025 claims: after firms began claiming to avoid the fentanyl duties (Canada 67%, Mexico
    /// 68%; `usmca_product_shares_2025.csv`).
    #[default]
    Y2025,
}

impl UsmcaShares {
    /// Both, in order.
    pub const ALL: [UsmcaShares; 2] = [UsmcaShares::Y2024, UsmcaShares::Y2025];

    /// The year of the claims.
    pub fn year(self) -> u16 {
        match self {
            UsmcaShares::Y2024 => 2024,
            UsmcaShares::Y2025 => 2025,
        }
    }

    /// The table, relative to the shared data folder.
    pub fn file(self) -> &'static str {
        match self {
            UsmcaShares::Y2024 => "us_product_lists/usmca_product_shares_2024.csv",
            UsmcaShares::Y2025 => "us_product_lists/usmca_product_shares_2025.csv",
        }
    }

    /// `2024` or `2025`.
    pub fn parse(s: &str) -> Result<UsmcaShares, crate::Error> {
        match s.trim() {
            "2024" => Ok(UsmcaShares::Y2024),
            "2025" => Ok(UsmcaShares::Y2025),
            other => Err(crate::Error::Query(format!(
                "usmca-shares: expected 2024 or 2025, found {other:?}"
            ))),
        }
    }
}

impl std::fmt::Display for UsmcaShares {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "{}", self.year())
    }
}

/// Named assumptions where the documents leave a choice (each has a CLI flag).
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Assumptions {
    /// `usmca-us-content`: the US-content share of USMCA-qualifying vehicles from Canada and
    /// Mexico (Proclamations 10908 and 10984 charge only the non-US content). Default 1.0: they pay
    /// nothing, a lower bound (the same choice as the registry).
    pub usmca_us_content: f64,
    /// `semi-qualifying-share`: `None` uses the per-line shares of `semi_qualifying_shares.csv`
    /// (a peer's calibration); `Some(x)` uses x for every line on the note 39 list.
    pub semi_share: Option<f64>,
    /// `partial-threshold`: an HTS-8 query counts as on an HTS-10 list when at least this share of
    /// its Census 2024 HTS-10 lines are listed.
    pub partial_threshold: f64,
    /// `metal-content-fallback`: content share used for a derivative with no BEA share.
    pub metal_fallback: f64,
    /// `auto-parts-8471`: whether the heading-level entry `8471` of the transcribed auto-parts
    /// list counts. Default false: no document among the sources confirms that the whole heading
    /// (every computer) is an automobile part under Proclamation 10908; the other entries of the
    /// list are 6 to 10 digits.
    pub auto_parts_8471: bool,
    /// `usmca-shares`: the year of the USMCA-claim shares that weight the qualifying and
    /// non-qualifying duties of Canadian and Mexican goods (effective rate, expected totals).
    pub usmca_shares: UsmcaShares,
}

impl Default for Assumptions {
    fn default() -> Self {
        Assumptions {
            usmca_us_content: 1.0,
            semi_share: None,
            partial_threshold: 0.5,
            metal_fallback: 1.0,
            auto_parts_8471: false,
            usmca_shares: UsmcaShares::Y2025,
        }
    }
}

impl Assumptions {
    /// Every named assumption with its value and what it means, for outputs: (name, value, why).
    pub fn describe(&self) -> Vec<(&'static str, String, &'static str)> {
        vec![
            ("usmca-shares", self.usmca_shares.to_string(), "year of the USMCA-claim shares (USITC DataWeb, S/S+, HTS-10 x partner) taken as the qualifying share of Canadian and Mexican goods"),
            ("usmca-us-content", self.usmca_us_content.to_string(), "US-content share of USMCA-qualifying vehicles and trucks (the 232 duty reaches the rest)"),
            ("semi-qualifying-share", self.semi_share.map_or("per-line table (0 without it)".to_string(), |x| x.to_string()), "share of each note 39 line that qualifies"),
            ("partial-threshold", self.partial_threshold.to_string(), "an HTS-8 counts as on an HTS-10 list from this share of its lines"),
            ("auto-parts-8471", if self.auto_parts_8471 { "on" } else { "off" }.to_string(), "heading 8471 of the transcribed auto-parts list counts"),
            ("metal-content", "BEA shares".to_string(), "derivatives pay on their metal content"),
        ]
    }

    /// [`Assumptions::describe`] on one line: `name = value; ...`.
    pub fn summary(&self) -> String {
        self.describe()
            .iter()
            .map(|(k, v, _)| format!("{k} = {v}"))
            .collect::<Vec<_>>()
            .join("; ")
    }
}

/// The facts of one line.
#[derive(Debug, Clone, Default)]
pub struct Facts {
    /// The code asked for (8 or 10 digits, or shorter).
    pub code: String,
    /// Its HTS-8 (the code padded or cut).
    pub hts8: String,
    /// MFN (column 1) duty used, percent ad valorem or equivalent.
    pub mfn_pct: f64,
    /// How the MFN duty was found (rate as written; ad-valorem equivalent and its basis).
    pub mfn_note: String,
    /// Whether the line has a known MFN rate.
    pub mfn_known: bool,
    /// Section 301 categories: list names (`1`, `4A`) and review headings (`9903.91.01`).
    pub s301: Vec<String>,
    /// Product scopes the line is in (besides Section 301 and the annexes).
    pub scopes: Vec<Scope>,
    /// The 2026 metals annexes it is on: (annex, metal).
    pub annex: Vec<(String, String)>,
    /// Steel / aluminium derivative since (list entry date; `MIN` when undated).
    pub derivative_since: [Option<NaiveDate>; 2],
    /// Steel, aluminium, copper article (priced on full value) rather than derivative.
    pub article: [bool; 3],
    /// Steel, aluminium, copper content shares (BEA), when known.
    pub metal_share: Option<[f64; 3]>,
    /// Qualifying share under note 39.
    pub semi_share: f64,
    /// On the IEEPA reciprocal exemption list.
    pub ieepa_exempt: bool,
    /// From when that exemption applies: the registry's dated exemption whose headings cover
    /// the line (the 2025-11-13 agricultural list, the electronics of 2025-04-11 backdated to
    /// 2025-04-05), else Annex II of EO 14257 (2025-04-05). Set by [`Facts::date_exemption`].
    pub ieepa_exempt_since: Option<NaiveDate>,
    /// On the Section 122 exemption list.
    pub s122_exempt: bool,
    /// Fentanyl carve-out category.
    pub fentanyl: Option<String>,
    /// Floor exemptions: (country group, category).
    pub floor: Vec<(String, String)>,
    /// Indices into `ProductData::country_eo` of the lists the line is on.
    pub country_eo: Vec<usize>,
    /// Notes: partial memberships, fallbacks.
    pub notes: Vec<String>,
    /// The heading, for the registry's heading-scoped measures.
    pub heading: Option<crate::hs::Product>,
    /// Bit i set when rule i can reach the line on some date (`None`: not computed, try all).
    pub rule_mask: Option<u128>,
}

fn in_range(code: &str, lo: u16, hi: u16) -> bool {
    code.get(..4)
        .and_then(|h| h.parse::<u16>().ok())
        .is_some_and(|h| (lo..=hi).contains(&h))
}

struct Ctx<'a> {
    data: &'a ProductData,
    code: &'a str,
    threshold: f64,
    notes: Vec<String>,
}

impl Ctx<'_> {
    fn listed(&mut self, set: &CodeSet, name: &str) -> bool {
        match set.member(self.code) {
            Member::Full => true,
            Member::No => false,
            Member::Partial => {
                let listed = set.count_under(self.code);
                let all = self.data.children(self.code).count().max(listed);
                let yes = listed as f64 >= self.threshold * all as f64;
                self.notes.push(format!(
                    "{name}: {listed} of the {all} HTS-10 lines under {} are listed; counted as {} (assumption partial-threshold {}); ask for the HTS-10 line",
                    self.code,
                    if yes { "listed" } else { "not listed" },
                    self.threshold
                ));
                yes
            }
        }
    }
}

fn mfn_of(data: &ProductData, hts8: &str) -> (f64, String, bool) {
    let Some(m) = data.mfn.get(hts8) else {
        return (
            0.0,
            format!("no MFN rate for {hts8} in the 2025 HTS table: taken as 0"),
            false,
        );
    };
    match m.kind {
        MfnKind::Free | MfnKind::AdValorem => (m.ad_valorem_pct, format!("column 1: {}", m.raw), true),
        _ => match data.ave.get(hts8) {
            Some(&ave) => {
                let ave = ave.max(m.ad_valorem_pct);
                (ave, format!("column 1: {} -> ad-valorem equivalent {ave:.2}% at 2024 unit values (Census 2024 calculated duty / imports of partners paying column 1; assumption mfn-ave-basis)", m.raw), true)
            }
            None => (m.ad_valorem_pct, format!("column 1: {} -> only its ad valorem part {:.2}% (no 2024 imports to convert the specific part)", m.raw, m.ad_valorem_pct), true),
        },
    }
}

impl Ctx<'_> {
    /// The Section 232 and 201 scopes whose product lists name the line: the fixed heading lists
    /// of the proclamations, then the transcribed part, copper, semiconductor and solar lists
    /// (heading 8471 left out of the auto parts unless `auto-parts-8471`).
    fn listed_scopes(&mut self, a: &Assumptions) -> Vec<Scope> {
        let (data, code) = (self.data, self.code);
        let mut scopes = Vec::new();
        let fixed: [(&[&str], Scope, &str); 6] = [
            (AUTO_VEHICLES, Scope::AutoVehicle, "232 vehicles"),
            (MHD_VEHICLES, Scope::MhdVehicle, "232 medium/heavy vehicles"),
            (BUSES, Scope::Bus, "232 buses"),
            (LUMBER, Scope::Lumber, "232 lumber"),
            (UPHOLSTERED, Scope::Upholstered, "232 upholstered furniture"),
            (CABINETS, Scope::Cabinets, "232 cabinets and vanities"),
        ];
        for (list, scope, name) in fixed {
            let set = CodeSet::new(list.iter().map(|s| s.to_string()).collect());
            if self.listed(&set, name) {
                scopes.push(scope);
            }
        }
        let skip_8471 = code.starts_with("8471") && !a.auto_parts_8471;
        if skip_8471 && data.auto_parts.member(code) == Member::Full {
            self.notes.push("232 auto parts: the transcribed list names heading 8471 at 4 digits; left out (assumption auto-parts-8471 = false)".into());
        }
        for (set, scope, name) in [
            (&data.auto_parts, Scope::AutoPart, "232 auto parts"),
            (
                &data.mhd_parts,
                Scope::MhdPart,
                "232 medium/heavy vehicle parts",
            ),
            (&data.copper, Scope::Copper, "232 copper"),
            (&data.semi, Scope::Semi, "232 semiconductors"),
            (&data.s201, Scope::Solar, "201 solar"),
        ] {
            if !(skip_8471 && scope == Scope::AutoPart) && self.listed(set, name) {
                scopes.push(scope);
            }
        }
        scopes
    }

    /// The steel and aluminium scopes, pushed onto `scopes`: the line is a steel (72, 73) or
    /// aluminium (76) article, or on a derivatives list. Returns whether it is a steel and an
    /// aluminium article, and the earliest date each derivatives list names it from.
    fn metal_scopes(&mut self, scopes: &mut Vec<Scope>) -> ([bool; 2], [Option<NaiveDate>; 2]) {
        let (data, code) = (self.data, self.code);
        let steel_article = in_range(code, 7206, 7229) || in_range(code, 7301, 7326);
        let alu_article = in_range(code, 7601, 7616);
        if steel_article {
            scopes.push(Scope::Steel);
        }
        if alu_article {
            scopes.push(Scope::Aluminium);
        }
        let mut derivative_since = [None, None];
        for (metal, since, set) in &data.derivatives {
            let k = if metal == "steel" { 0 } else { 1 };
            if self.listed(set, &format!("232 {metal} derivatives")) {
                let s = since.unwrap_or(NaiveDate::MIN);
                derivative_since[k] = Some(derivative_since[k].map_or(s, |x: NaiveDate| x.min(s)));
            }
        }
        if derivative_since[0].is_some() && !steel_article {
            scopes.push(Scope::Steel);
        }
        if derivative_since[1].is_some() && !alu_article {
            scopes.push(Scope::Aluminium);
        }
        ([steel_article, alu_article], derivative_since)
    }

    /// The (annex, metal) pairs of the 2026 metals annexes that list the line.
    fn annexes(&mut self) -> Vec<(String, String)> {
        let data = self.data;
        data.annex
            .iter()
            .filter(|(a, m, set)| self.listed(set, &format!("232 annex {a} ({m})")))
            .map(|(a, m, _)| (a.clone(), m.clone()))
            .collect()
    }
}

/// Whether every partner is exempt from the reciprocal duty on the line. The transcribed list
/// (`ieepa_exempt_products.csv`) also holds the exemptions the deals gave their partners only
/// (civil aircraft and parts, PTAAP, generics: HTS 9903.02.74-.86 and 9903.96.01-.02, in
/// `floor_exempt_products.csv`); such a line is exempt for everyone only when an Annex II list or
/// the electronics memorandum names it or it is in chapter 98. Without this rule $383bn of 2024
/// imports (batteries, pumps, engines, furniture... under the civil aircraft list) paid no
/// reciprocal duty from any partner from 2025-04-05.
fn reciprocal_exempt(
    listed: bool,
    in_annex2: bool,
    code: &str,
    floor: &[(String, String)],
) -> bool {
    in_annex2 || (listed && (floor.is_empty() || code.starts_with("98")))
}

/// The mean steel, aluminium and copper content shares over the HTS-10 lines under `code`, when
/// the table has a steel share for it.
fn metal_shares(data: &ProductData, code: &str) -> Option<[f64; 3]> {
    ProductData::mean_under(&data.metal, code, |v| v[0]).map(|s| {
        [
            s,
            ProductData::mean_under(&data.metal, code, |v| v[1]).unwrap_or(0.0),
            ProductData::mean_under(&data.metal, code, |v| v[2]).unwrap_or(0.0),
        ]
    })
}

impl Facts {
    /// The facts of `code` (digits only, 2 to 10).
    pub fn of(data: &ProductData, code: &str, a: &Assumptions) -> Facts {
        let hts8: String = format!("{code:0<8}").chars().take(8).collect();
        let (mfn_pct, mfn_note, mfn_known) = mfn_of(data, &hts8);
        let mut cx = Ctx {
            data,
            code,
            threshold: a.partial_threshold,
            notes: Vec::new(),
        };
        let mut scopes = cx.listed_scopes(a);
        let ([steel_article, alu_article], derivative_since) = cx.metal_scopes(&mut scopes);
        let annex = cx.annexes();
        let metal_share = metal_shares(data, code);
        let semi_share = match a.semi_share {
            Some(x) => x,
            None => ProductData::mean_under(&data.semi_shares, code, |v| v).unwrap_or(0.0),
        };
        let ieepa_listed = cx.listed(&data.ieepa_exempt, "IEEPA reciprocal exemptions");
        let in_annex2 = cx.listed(
            &data.annex2,
            "Annex II of EO 14257 or the 2025-04-11 memorandum",
        );
        let s122_exempt = cx.listed(&data.s122_exempt, "Section 122 exemptions");
        let fentanyl = data
            .fentanyl
            .iter()
            .find(|(_, set)| set.member(code) == Member::Full)
            .map(|(c, _)| c.clone());
        let floor: Vec<(String, String)> = data
            .floor
            .iter()
            .filter(|(_, _, set)| set.member(code) == Member::Full)
            .map(|(g, c, _)| (g.clone(), c.clone()))
            .collect();
        let ieepa_exempt = reciprocal_exempt(ieepa_listed, in_annex2, code, &floor);
        if ieepa_listed && !ieepa_exempt {
            cx.notes.push(format!(
                "{code} is on the transcribed reciprocal exemption list only as a deal partner's exemption (civil aircraft, PTAAP or generics, floor_exempt_products.csv): other partners pay"
            ));
        }
        let country_eo = (0..data.country_eo.len())
            .filter(|&i| data.country_eo[i].codes.member(code) == Member::Full)
            .collect();
        let mut s301: Vec<String> = data.s301.get(&hts8).cloned().unwrap_or_default();
        s301.sort();
        s301.dedup();
        Facts {
            code: code.to_string(),
            hts8,
            mfn_pct,
            mfn_note,
            mfn_known,
            s301,
            scopes,
            annex,
            derivative_since,
            article: [steel_article, alu_article, code.starts_with("74")],
            metal_share,
            semi_share,
            ieepa_exempt,
            ieepa_exempt_since: None,
            s122_exempt,
            fentanyl,
            floor,
            country_eo,
            notes: cx.notes,
            heading: crate::hs::Product::parse(&code[..code.len().min(4)]).ok(),
            rule_mask: None,
        }
    }

    /// Record which rules can ever reach the line (a filter for the effective-rate loops).
    pub fn mask_rules(&mut self, rules: &[super::programs::Rule], a: &Assumptions) {
        assert!(rules.len() <= 128, "rule mask holds 128 rules");
        let mut mask = 0u128;
        for r in rules {
            if self.covers(r.scope, NaiveDate::MAX, a).is_some() {
                mask |= 1u128 << r.index;
            }
        }
        self.rule_mask = Some(mask);
    }

    /// Date the reciprocal exemption list from the registry's heading-level exemptions of the
    /// reciprocal program (see [`Facts::ieepa_exempt_since`]).
    pub fn date_exemption(&mut self, reg: &crate::Registry) {
        if !self.ieepa_exempt {
            return;
        }
        let annex2 = NaiveDate::from_ymd_opt(2025, 4, 5).expect("valid date");
        let heading = crate::hs::Product::parse(&self.code[..4]).ok();
        let since = reg
            .exemptions
            .iter()
            .filter(|e| e.partners.all && e.applies_to.iter().any(|x| x == "ieepa-reciprocal"))
            .filter(|e| heading.is_some_and(|h| e.hs.covers(h)))
            .map(|e| e.effective)
            .min();
        self.ieepa_exempt_since = Some(since.unwrap_or(annex2));
    }

    /// The share of the value a scope charges on `date` (`None`: not covered). Steel, aluminium
    /// and copper derivatives pay on their metal content (assumption metal-content: BEA shares).
    pub fn covers(&self, scope: Scope, date: NaiveDate, a: &Assumptions) -> Option<f64> {
        let content = |k: usize| -> f64 {
            if self.article[k] {
                1.0
            } else {
                self.metal_share.map_or(a.metal_fallback, |s| s[k])
            }
        };
        match scope {
            Scope::S301(cat) => self.s301.iter().any(|c| c == cat).then_some(1.0),
            Scope::Steel => (self.scopes.contains(&scope)
                && (self.article[0] || self.derivative_since[0].is_some_and(|s| s <= date)))
            .then(|| content(0)),
            Scope::Aluminium => (self.scopes.contains(&scope)
                && (self.article[1] || self.derivative_since[1].is_some_and(|s| s <= date)))
            .then(|| content(1)),
            Scope::Copper => self.scopes.contains(&scope).then(|| content(2)),
            Scope::Annex(annex, metal) => self
                .annex
                .iter()
                .any(|(a, m)| (annex == "any" || a == annex) && (metal == "any" || m == metal))
                .then_some(1.0),
            Scope::Semi => self.scopes.contains(&scope).then_some(self.semi_share),
            _ => self.scopes.contains(&scope).then_some(1.0),
        }
    }
}
