//! The product-scoped US measures — Section 301 (China), Section 232 and Section 201 — as dated
//! rules, each with its legal instrument, Federal Register citation and source address. The
//! country-wide measures (IEEPA, Section 122, the 2026 Section 301 and 338 actions) come from the
//! registry (`registry/*.toml`).

use chrono::NaiveDate;

/// Which products a rule reaches (decided by the product lists, see [`super::facts`]).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Scope {
    /// A Section 301 list (`1`, `2`, `3`, `3_addl`, `4A`, `4B`) or review heading (`9903.91.01`).
    S301(&'static str),
    /// Steel articles and derivatives (before the 2026 annexes).
    Steel,
    /// Aluminium articles and derivatives (before the 2026 annexes).
    Aluminium,
    /// Copper (US note 36(b)).
    Copper,
    /// The 2026-04-06 metals annexes: (annex, metal or `any`).
    Annex(&'static str, &'static str),
    /// Passenger vehicles and light trucks.
    AutoVehicle,
    /// Automobile parts.
    AutoPart,
    /// Medium and heavy-duty vehicles.
    MhdVehicle,
    /// Medium and heavy-duty vehicle parts.
    MhdPart,
    /// Buses.
    Bus,
    /// Softwood timber and lumber.
    Lumber,
    /// Upholstered wooden furniture.
    Upholstered,
    /// Kitchen cabinets and vanities.
    Cabinets,
    /// Semiconductors (US note 39).
    Semi,
    /// Solar cells and modules (Section 201).
    Solar,
}

/// Partners a rule reaches (ISO3; `EUU` stands for every EU member).
#[derive(Debug, Clone, Copy)]
pub enum Partners {
    /// Everyone.
    All,
    /// Only these.
    Only(&'static [&'static str]),
    /// Everyone but these.
    Except(&'static [&'static str]),
}

/// How a rule charges.
#[derive(Debug, Clone, Copy, PartialEq)]
pub enum Rate {
    /// Percent ad valorem on top of everything else.
    Add(f64),
    /// Total of MFN and this duty equals the number (not below 0): `15 - MFN`.
    AllIn(f64),
    /// Ordered but suspended before it took effect (reported, never charged).
    Suspended(f64),
}

/// What USMCA-qualifying goods of Canada and Mexico pay under a rule.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Usmca {
    /// The same as other goods.
    Same,
    /// Nothing.
    Exempt,
    /// The duty on the non-US content only (assumption `usmca-us-content`).
    NonUsContent,
}

/// One dated rule.
#[derive(Debug, Clone)]
pub struct Rule {
    /// Position in the engine's rule list (set by the engine; a bit of [`super::facts::Facts::rule_mask`]).
    pub index: usize,
    /// Unique id.
    pub id: &'static str,
    /// Authority shown to users (`section-232-steel`).
    pub authority: &'static str,
    /// Products reached.
    pub scope: Scope,
    /// Partners reached.
    pub partners: Partners,
    /// First day.
    pub from: NaiveDate,
    /// First day no longer in force.
    pub to: Option<NaiveDate>,
    /// The rate.
    pub rate: Rate,
    /// A country deal: replaces the general rule of the same scope for its partners.
    pub deal: bool,
    /// USMCA treatment.
    pub usmca: Usmca,
    /// Legal instrument.
    pub instrument: &'static str,
    /// Federal Register citation (empty when the notice is not among the sources).
    pub citation: &'static str,
    /// Source address.
    pub source: &'static str,
    /// Why the rule is provisional (empty: settled by the cited document).
    pub provisional: &'static str,
}

fn d(y: i32, m: u32, day: u32) -> NaiveDate {
    NaiveDate::from_ymd_opt(y, m, day).expect("valid literal date")
}

const USTR_301: &str =
    "https://ustr.gov/issue-areas/enforcement/section-301-investigations/tariff-actions";
const FR_301_REVIEW: &str = "https://www.federalregister.gov/citation/89-FR-76581";
const P10908: &str = "https://www.federalregister.gov/documents/2025/04/03/2025-05930/adjusting-imports-of-automobiles-and-automobile-parts-into-the-united-states";
const P10947: &str = "https://www.federalregister.gov/documents/2025/06/09/2025-10524/adjusting-imports-of-aluminum-and-steel-into-the-united-states";
const P10896: &str = "https://www.whitehouse.gov/presidential-actions/2025/02/adjusting-imports-of-steel-into-the-united-states/";
const P10895: &str = "https://www.whitehouse.gov/presidential-actions/2025/02/adjusting-imports-of-aluminum-into-the-united-states/";
const P_COPPER: &str = "https://www.federalregister.gov/documents/2025/08/05/2025-14893/adjusting-imports-of-copper-into-the-united-states";
const P10984: &str = "https://www.federalregister.gov/documents/2025/10/22/2025-19639/adjusting-imports-of-medium--and-heavy-duty-vehicles-medium--and-heavy-duty-vehicle-parts-and-buses";
const P_WOOD: &str = "https://www.whitehouse.gov/presidential-actions/2025/09/adjusting-imports-of-timber-lumber-and-their-derivative-products-into-the-united-states/";
const P_METALS_2026: &str = "https://www.whitehouse.gov/presidential-actions/2026/04/strengthening-actions-taken-to-adjust-imports-of-aluminum-steel-and-copper-into-the-united-states/";
const UK_EO: &str = "https://www.whitehouse.gov/presidential-actions/2025/06/implementing-the-general-terms-of-the-united-states-of-america-united-kingdom-economic-prosperity-deal/";
const EU_JS: &str = "https://www.whitehouse.gov/briefings-statements/2025/08/joint-statement-on-a-united-states-european-union-framework-on-an-agreement-on-reciprocal-fair-and-balanced-trade/";
const JP_EO: &str = "https://www.whitehouse.gov/presidential-actions/2025/09/implementing-the-united-states-japan-agreement/";
const KR_FS: &str = "https://www.whitehouse.gov/fact-sheets/2025/11/joint-fact-sheet-on-president-donald-j-trumps-meeting-with-president-lee-jae-myung/";
const HTS: &str = "https://hts.usitc.gov/";

/// Partners exempt from, or in-quota under, the 2018 steel duty until Proclamation 10896.
const STEEL_2018_EXEMPT: &[&str] = &[
    "CAN", "MEX", "AUS", "ARG", "BRA", "KOR", "EUU", "JPN", "GBR", "UKR",
];
/// Partners exempt from, or in-quota under, the 2018 aluminium duty until Proclamation 10895.
const ALU_2018_EXEMPT: &[&str] = &["CAN", "MEX", "AUS", "ARG", "EUU", "GBR", "UKR"];

#[allow(clippy::too_many_arguments)]
fn rule(
    id: &'static str,
    authority: &'static str,
    scope: Scope,
    partners: Partners,
    from: NaiveDate,
    to: Option<NaiveDate>,
    rate: Rate,
    instrument: &'static str,
    citation: &'static str,
    source: &'static str,
) -> Rule {
    Rule {
        index: 0,
        id,
        authority,
        scope,
        partners,
        from,
        to,
        rate,
        deal: matches!(partners, Partners::Only(_)),
        usmca: Usmca::Same,
        instrument,
        citation,
        source,
        provisional: "",
    }
}

impl Rule {
    fn usmca(mut self, u: Usmca) -> Rule {
        self.usmca = u;
        self
    }
    fn provisional(mut self, why: &'static str) -> Rule {
        self.provisional = why;
        self
    }
}

const CHN: Partners = Partners::Only(&["CHN"]);

/// Section 301 (China): lists 1-4B and the 2024 four-year review.
fn section_301() -> Vec<Rule> {
    let mut v = section_301_lists();
    v.extend(section_301_review());
    v
}

/// Section 301 (China) lists 1, 2, 3, 3 additional, 4A and 4B (2018-2020), with their rate changes.
fn section_301_lists() -> Vec<Rule> {
    use Rate::*;
    let a = "section-301-china";
    vec![
        rule(
            "s301-list1",
            a,
            Scope::S301("1"),
            CHN,
            d(2018, 7, 6),
            None,
            Add(25.0),
            "USTR Notice of Action, list 1 (9903.88.01)",
            "83 FR 28710",
            USTR_301,
        ),
        rule(
            "s301-list2",
            a,
            Scope::S301("2"),
            CHN,
            d(2018, 8, 23),
            None,
            Add(25.0),
            "USTR Notice of Action, list 2 (9903.88.02)",
            "83 FR 40823",
            USTR_301,
        ),
        rule(
            "s301-list3-10",
            a,
            Scope::S301("3"),
            CHN,
            d(2018, 9, 24),
            Some(d(2019, 5, 10)),
            Add(10.0),
            "USTR Notice of Action, list 3 (9903.88.03)",
            "83 FR 47974",
            USTR_301,
        ),
        rule(
            "s301-list3",
            a,
            Scope::S301("3"),
            CHN,
            d(2019, 5, 10),
            None,
            Add(25.0),
            "USTR Notice of Modification, list 3 at 25% (9903.88.03)",
            "84 FR 20459",
            USTR_301,
        ),
        rule(
            "s301-list3-addl",
            a,
            Scope::S301("3_addl"),
            CHN,
            d(2019, 5, 10),
            None,
            Add(25.0),
            "USTR list 3 (9903.88.04)",
            "84 FR 20459",
            USTR_301,
        ),
        rule(
            "s301-list4a-15",
            a,
            Scope::S301("4A"),
            CHN,
            d(2019, 9, 1),
            Some(d(2020, 2, 14)),
            Add(15.0),
            "USTR Notice of Modification, list 4A (9903.88.15)",
            "84 FR 43304",
            USTR_301,
        ),
        rule(
            "s301-list4a",
            a,
            Scope::S301("4A"),
            CHN,
            d(2020, 2, 14),
            None,
            Add(7.5),
            "USTR Notice of Modification, list 4A at 7.5% (phase one agreement)",
            "85 FR 3741",
            USTR_301,
        ),
        rule(
            "s301-list4b",
            a,
            Scope::S301("4B"),
            CHN,
            d(2019, 12, 15),
            None,
            Suspended(15.0),
            "USTR list 4B (9903.88.16), suspended indefinitely before it took effect",
            "84 FR 69447",
            USTR_301,
        ),
    ]
}

/// Section 301 (China), the 2024 four-year review (89 FR 76581): the headings of 9903.91, phased in
/// from 2024-09-27 to 2026-01-01.
fn section_301_review() -> Vec<Rule> {
    let r = "section-301-china-2024-review";
    let headings: [(&'static str, &'static str, NaiveDate, f64, &'static str); 8] = [
        (
            "s301-review-25",
            "9903.91.01",
            d(2024, 9, 27),
            25.0,
            "USTR four-year review modification (9903.91.01)",
        ),
        (
            "s301-review-50",
            "9903.91.02",
            d(2024, 9, 27),
            50.0,
            "USTR four-year review modification (9903.91.02)",
        ),
        (
            "s301-review-100",
            "9903.91.03",
            d(2024, 9, 27),
            100.0,
            "USTR four-year review modification (9903.91.03, electric vehicles)",
        ),
        (
            "s301-review-50-2025",
            "9903.91.05",
            d(2025, 1, 1),
            50.0,
            "USTR four-year review modification (9903.91.05: semiconductors, polysilicon, wafers)",
        ),
        (
            "s301-review-25-2025",
            "9903.91.11",
            d(2025, 1, 1),
            25.0,
            "USTR four-year review modification (9903.91.11)",
        ),
        (
            "s301-review-25-2026",
            "9903.91.06",
            d(2026, 1, 1),
            25.0,
            "USTR four-year review modification (9903.91.06)",
        ),
        (
            "s301-review-50-2026",
            "9903.91.07",
            d(2026, 1, 1),
            50.0,
            "USTR four-year review modification (9903.91.07)",
        ),
        (
            "s301-review-100-2026",
            "9903.91.08",
            d(2026, 1, 1),
            100.0,
            "USTR four-year review modification (9903.91.08)",
        ),
    ];
    headings
        .into_iter()
        .map(|(id, heading, from, rate, instrument)| {
            rule(
                id,
                r,
                Scope::S301(heading),
                CHN,
                from,
                None,
                Rate::Add(rate),
                instrument,
                "89 FR 76581",
                FR_301_REVIEW,
            )
        })
        .collect()
}

/// Section 232 on steel, aluminium and copper, with the 2026 annexes.
fn section_232_metals() -> Vec<Rule> {
    use Rate::*;
    let (st, al, cu) = (
        "section-232-steel",
        "section-232-aluminium",
        "section-232-copper",
    );
    let gbr = Partners::Only(&["GBR"]);
    let rus = Partners::Only(&["RUS"]);
    let annex = d(2026, 4, 6);
    let mut v = vec![
        rule("s232-steel-2018", st, Scope::Steel, Partners::Except(STEEL_2018_EXEMPT), d(2018, 3, 23), Some(d(2025, 3, 12)), Add(25.0), "Proclamation 9705 (country exemptions and quotas: Proclamations 9740, 9759, 9772 and the 2021-22 TRQ arrangements)", "83 FR 11625", HTS)
            .provisional("partners under a quota or tariff-rate quota are priced in-quota (0)"),
        rule("s232-steel-2025-03-12", st, Scope::Steel, Partners::All, d(2025, 3, 12), Some(d(2025, 6, 4)), Add(25.0), "Proclamation 10896 (exemptions and quotas ended)", "90 FR 9817", P10896),
        rule("s232-steel-2025-06-04", st, Scope::Steel, Partners::All, d(2025, 6, 4), Some(annex), Add(50.0), "Proclamation 10947", "90 FR 24199", P10947),
        rule("s232-steel-gbr-2025-06-04", st, Scope::Steel, gbr, d(2025, 6, 4), Some(annex), Add(25.0), "Proclamation 10947 (United Kingdom stays at 25%)", "90 FR 24199", P10947),
        rule("s232-alu-2018", al, Scope::Aluminium, Partners::Except(ALU_2018_EXEMPT), d(2018, 3, 23), Some(d(2025, 3, 12)), Add(10.0), "Proclamation 9704 (country exemptions and quotas: Proclamations 9739, 9758, 9776 and the 2021-22 TRQ arrangements)", "83 FR 11619", HTS)
            .provisional("partners under a quota or tariff-rate quota are priced in-quota (0)"),
        rule("s232-alu-2025-03-12", al, Scope::Aluminium, Partners::All, d(2025, 3, 12), Some(d(2025, 6, 4)), Add(25.0), "Proclamation 10895", "90 FR 9807", P10895),
        rule("s232-alu-2025-06-04", al, Scope::Aluminium, Partners::All, d(2025, 6, 4), Some(annex), Add(50.0), "Proclamation 10947", "90 FR 24199", P10947),
        rule("s232-alu-gbr-2025-06-04", al, Scope::Aluminium, gbr, d(2025, 6, 4), Some(annex), Add(25.0), "Proclamation 10947 (United Kingdom stays at 25%)", "90 FR 24199", P10947),
        rule("s232-alu-rus", al, Scope::Aluminium, rus, d(2023, 3, 10), Some(annex), Add(200.0), "Proclamation 10522 (Russian aluminium)", "88 FR 13267", HTS),
        rule("s232-copper-2025-08-01", cu, Scope::Copper, Partners::All, d(2025, 8, 1), Some(annex), Add(50.0), "Proclamation 10962 (on the copper content)", "FR Doc. 2025-14893", P_COPPER),
    ];
    let why = "annex rates as transcribed from the 2026-04-02 proclamation's annexes (the proclamation text is the source; the FR notice is not among the sources)";
    for (id, scope, p, rate, inst) in [
        (
            "s232-annex-1a",
            Scope::Annex("1a", "any"),
            Partners::All,
            50.0,
            "Proclamation of 2026-04-02, Annex I-A (full value)",
        ),
        (
            "s232-annex-1a-gbr-steel",
            Scope::Annex("1a", "steel"),
            gbr,
            25.0,
            "Proclamation of 2026-04-02, Annex I-A, United Kingdom",
        ),
        (
            "s232-annex-1a-gbr-alu",
            Scope::Annex("1a", "aluminum"),
            gbr,
            25.0,
            "Proclamation of 2026-04-02, Annex I-A, United Kingdom",
        ),
        (
            "s232-annex-1b",
            Scope::Annex("1b", "any"),
            Partners::All,
            25.0,
            "Proclamation of 2026-04-02, Annex I-B (full value)",
        ),
        (
            "s232-annex-1b-gbr-steel",
            Scope::Annex("1b", "steel"),
            gbr,
            15.0,
            "Proclamation of 2026-04-02, Annex I-B, United Kingdom",
        ),
        (
            "s232-annex-1b-gbr-alu",
            Scope::Annex("1b", "aluminum"),
            gbr,
            15.0,
            "Proclamation of 2026-04-02, Annex I-B, United Kingdom",
        ),
        (
            "s232-annex-3",
            Scope::Annex("3", "any"),
            Partners::All,
            15.0,
            "Proclamation of 2026-04-02, Annex III (temporary, to 2027-12-31)",
        ),
        (
            "s232-annex-rus-alu",
            Scope::Annex("any", "aluminum"),
            rus,
            200.0,
            "Proclamation of 2026-04-02 (Russian aluminium surcharge of Proclamation 10522 kept)",
        ),
    ] {
        v.push(
            rule(
                id,
                "section-232-metals-2026",
                scope,
                p,
                annex,
                None,
                Add(rate),
                inst,
                "",
                P_METALS_2026,
            )
            .provisional(why),
        );
    }
    v
}

/// A country deal on vehicles and parts: (id, partners, from, all-in level, instrument, source).
type Deal = (
    &'static str,
    &'static [&'static str],
    NaiveDate,
    f64,
    &'static str,
    &'static str,
);

/// Section 232 on vehicles, parts, trucks, buses, wood products and semiconductors.
fn section_232_other() -> Vec<Rule> {
    use Rate::*;
    let (au, mh, wo) = (
        "section-232-autos",
        "section-232-trucks-buses",
        "section-232-wood",
    );
    let mut v = vec![
        rule("s232-autos-vehicles", au, Scope::AutoVehicle, Partners::All, d(2025, 4, 3), None, Add(25.0), "Proclamation 10908", "90 FR 14705", P10908).usmca(Usmca::NonUsContent),
        rule("s232-autos-parts", au, Scope::AutoPart, Partners::All, d(2025, 5, 3), None, Add(25.0), "Proclamation 10908 (parts, Annex I)", "90 FR 14705", P10908).usmca(Usmca::Exempt),
        rule("s232-trucks", mh, Scope::MhdVehicle, Partners::All, d(2025, 11, 1), None, Add(25.0), "Proclamation 10984 (medium and heavy-duty vehicles)", "90 FR 48451", P10984).usmca(Usmca::NonUsContent),
        rule("s232-truck-parts", mh, Scope::MhdPart, Partners::All, d(2025, 11, 1), None, Add(25.0), "Proclamation 10984 (medium and heavy-duty vehicle parts)", "90 FR 48451", P10984).usmca(Usmca::Exempt),
        rule("s232-buses", mh, Scope::Bus, Partners::All, d(2025, 11, 1), None, Add(10.0), "Proclamation 10984 (buses)", "90 FR 48451", P10984),
        rule("s232-lumber", wo, Scope::Lumber, Partners::All, d(2025, 10, 14), None, Add(10.0), "Proclamation 10976 (softwood timber and lumber)", "", P_WOOD),
        rule("s232-upholstered", wo, Scope::Upholstered, Partners::All, d(2025, 10, 14), None, Add(25.0), "Proclamation 10976 (upholstered wooden furniture; the 2026-01-01 rise to 30% was postponed to 2027-01-01 by the proclamation of 2025-12-31)", "", P_WOOD),
        rule("s232-cabinets", wo, Scope::Cabinets, Partners::All, d(2025, 10, 14), None, Add(25.0), "Proclamation 10976 (kitchen cabinets and vanities; the 2026-01-01 rise to 50% was postponed to 2027-01-01 by the proclamation of 2025-12-31)", "", P_WOOD),
        rule("s232-semis", "section-232-semiconductors", Scope::Semi, Partners::All, d(2026, 1, 16), None, Add(25.0), "Proclamation of 2026-01-14 on semiconductors (HTS U.S. note 39, 9903.79.01)", "", HTS)
            .provisional("only articles meeting the note 39 technical thresholds pay; the qualifying share per line is an assumption (semi-qualifying-share)"),
        rule("s201-solar-2024", "section-201-solar", Scope::Solar, Partners::Except(&["CAN"]), d(2024, 2, 7), Some(d(2025, 2, 7)), Add(14.75), "Proclamation 10339 (safeguard, year 7)", "87 FR 7357", HTS)
            .provisional("cells within the 12.5 GW tariff-rate quota pay nothing; all are priced out of quota"),
        rule("s201-solar-2025", "section-201-solar", Scope::Solar, Partners::Except(&["CAN"]), d(2025, 2, 7), Some(d(2026, 2, 7)), Add(14.5), "Proclamation 10339 (safeguard, year 8; ends 2026-02-06)", "87 FR 7357", HTS)
            .provisional("cells within the 12.5 GW tariff-rate quota pay nothing; all are priced out of quota"),
    ];
    let deals: [Deal; 4] = [
        ("s232-autos-gbr", &["GBR"], d(2025, 6, 30), 10.0, "EO of 2025-06-16 implementing the US-UK Economic Prosperity Deal (in-quota, 100,000 vehicles)", UK_EO),
        ("s232-autos-eu", &["EUU"], d(2025, 8, 1), 15.0, "US-EU framework (2025-08-21), implemented by the Commerce/USTR notice of 2025-09-25, retroactive", EU_JS),
        ("s232-autos-jpn", &["JPN"], d(2025, 9, 16), 15.0, "EO 14345 implementing the US-Japan agreement, sec. 4", JP_EO),
        ("s232-autos-kor", &["KOR"], d(2025, 11, 1), 15.0, "US-Korea joint fact sheet (2025-11-13), implemented retroactively to 2025-11-01", KR_FS),
    ];
    for (id, p, from, all_in, inst, src) in deals {
        for scope in [Scope::AutoVehicle, Scope::AutoPart] {
            v.push(
                rule(
                    id,
                    au,
                    scope,
                    Partners::Only(p),
                    from,
                    None,
                    AllIn(all_in),
                    inst,
                    "",
                    src,
                )
                .provisional(if id == "s232-autos-gbr" {
                    "priced in-quota"
                } else {
                    ""
                }),
            );
        }
    }
    for scope in [Scope::Upholstered, Scope::Cabinets] {
        v.push(rule(
            "s232-wood-eu-jpn",
            wo,
            scope,
            Partners::Only(&["EUU", "JPN"]),
            d(2025, 10, 14),
            None,
            AllIn(15.0),
            "Proclamation 10976 (EU and Japan: at most 15% with MFN)",
            "",
            P_WOOD,
        ));
    }
    for scope in [Scope::Upholstered, Scope::Cabinets, Scope::Lumber] {
        v.push(rule(
            "s232-wood-gbr",
            wo,
            scope,
            Partners::Only(&["GBR"]),
            d(2025, 10, 14),
            None,
            Add(10.0),
            "Proclamation 10976 (United Kingdom: 10%)",
            "",
            P_WOOD,
        ));
    }
    v
}

/// Every product-scoped rule.
pub fn rules() -> Vec<Rule> {
    let mut v = section_301();
    v.extend(section_232_metals());
    v.extend(section_232_other());
    for (i, r) in v.iter_mut().enumerate() {
        r.index = i;
    }
    v
}

/// Heading prefixes of passenger vehicles and light trucks (Proclamation 10908, Annex I).
pub const AUTO_VEHICLES: &[&str] = &[
    "870322", "870323", "870324", "870331", "870332", "870333", "870334", "870340", "870350",
    "870360", "870370", "870380", "870390", "87042101", "87043101", "87044100", "87045100",
];
/// Medium and heavy-duty vehicles (Proclamation 10984, Annex).
pub const MHD_VEHICLES: &[&str] = &[
    "87012100",
    "87012200",
    "87012300",
    "87012400",
    "87012900",
    "87041010",
    "87041050",
    "87042211",
    "87042251",
    "87042301",
    "87043201",
    "87044200",
    "87044300",
    "87045200",
    "87046000",
    "87049001",
    "87054000",
    "8705900080",
    "87060003",
    "8706000520",
    "8706000575",
    "87060025",
    "87060050",
    "87091100",
    "87091900",
];
/// Buses (Proclamation 10984).
pub const BUSES: &[&str] = &["8702"];
/// Softwood timber and lumber (Proclamation 10976, Annex).
pub const LUMBER: &[&str] = &[
    "44031100", "44032101", "44032201", "44032301", "44032401", "44032501", "44032601", "44039901",
    "44061100", "44069100", "44071100", "44071200", "44071300", "44071400", "44071900",
];
/// Upholstered wooden furniture (Proclamation 10976, Annex).
pub const UPHOLSTERED: &[&str] = &["9401614011", "9401614031", "9401616011", "9401616031"];
/// Kitchen cabinets and vanities (Proclamation 10976, Annex).
pub const CABINETS: &[&str] = &["9403409060", "9403608093", "9403910080"];
