//! The product tables: HTS MFN rates, the official product lists of every measure, Census 2024
//! descriptions and imports. Parsed from text (the caller reads the files or the embedded copy).

use std::collections::{BTreeMap, HashMap};

use chrono::NaiveDate;

use super::codes::{code_lines, CodeSet, Csv};
use crate::Error;

/// The texts of the product tables, by file (names as in `../shared/data`).
#[derive(Debug, Clone, Copy, Default)]
pub struct ProductTexts<'a> {
    /// `crosswalks/yale_mfn_rates_2025.csv`.
    pub mfn: &'a str,
    /// `us_product_lists/s301_product_lists.csv`.
    pub s301: &'a str,
    /// `us_product_lists/s232_annex_products.csv`.
    pub annex: &'a str,
    /// `us_product_lists/s232_derivative_products.csv`.
    pub derivatives: &'a str,
    /// `us_product_lists/s232_copper_products.csv`.
    pub copper: &'a str,
    /// `us_product_lists/s232_auto_parts.txt`.
    pub auto_parts: &'a str,
    /// `us_product_lists/s232_mhd_parts.txt`.
    pub mhd_parts: &'a str,
    /// `us_product_lists/s232_semi_products.csv`.
    pub semi: &'a str,
    /// `us_product_lists/semi_qualifying_shares.csv`.
    pub semi_shares: &'a str,
    /// `us_product_lists/metal_content_shares_bea_hs10.csv`.
    pub metal: &'a str,
    /// `us_product_lists/ieepa_exempt_products.csv`.
    pub ieepa_exempt: &'a str,
    /// `us_product_lists/country_eo_exempt_products.csv`.
    pub country_eo: &'a str,
    /// `us_product_lists/fentanyl_carveout_products.csv`.
    pub fentanyl: &'a str,
    /// `us_product_lists/floor_exempt_products.csv`.
    pub floor: &'a str,
    /// `us_product_lists/s122_exempt_products.csv`.
    pub s122: &'a str,
    /// `us_product_lists/s201_solar_products.csv`.
    pub s201: &'a str,
    /// `us_product_lists/usmca_product_shares_2025.csv` (or 2024).
    pub usmca: &'a str,
    /// `tariffs_hs2/hs10_descriptions_census_2024.csv`.
    pub descriptions: &'a str,
    /// `tariffs_hs2/us_imports_2024_hs8_by_partner_51.csv`.
    pub imports: &'a str,
    /// `us_product_lists/mfn_exemption_shares.csv` (optional: empty text).
    pub mfn_exemption: &'a str,
    /// `tariffs_hs2/tariff-lists/annex-II-exemptions.csv` (Annex II of EO 14257, April 2025).
    pub annex2_apr: &'a str,
    /// `tariffs_hs2/tariff-lists/consumer_electronics_EO14257_apr11.csv` (memorandum of 2025-04-11).
    pub electronics: &'a str,
    /// `tariffs_hs2/tariff-lists/annex-II-exemptions-nov14.csv` (Annex II as of 2025-11-14).
    pub annex2_nov14: &'a str,
}

/// How many product tables there are (the length of [`FILES`]).
pub const TABLES: usize = 23;

/// Every product table: (field of [`ProductTexts`], path under the shared data folder), in the
/// order [`ProductTexts::from_texts`] takes them.
pub const FILES: [(&str, &str); TABLES] = [
    ("mfn", "crosswalks/yale_mfn_rates_2025.csv"),
    ("s301", "us_product_lists/s301_product_lists.csv"),
    ("annex", "us_product_lists/s232_annex_products.csv"),
    (
        "derivatives",
        "us_product_lists/s232_derivative_products.csv",
    ),
    ("copper", "us_product_lists/s232_copper_products.csv"),
    ("auto_parts", "us_product_lists/s232_auto_parts.txt"),
    ("mhd_parts", "us_product_lists/s232_mhd_parts.txt"),
    ("semi", "us_product_lists/s232_semi_products.csv"),
    ("semi_shares", "us_product_lists/semi_qualifying_shares.csv"),
    (
        "metal",
        "us_product_lists/metal_content_shares_bea_hs10.csv",
    ),
    ("ieepa_exempt", "us_product_lists/ieepa_exempt_products.csv"),
    (
        "country_eo",
        "us_product_lists/country_eo_exempt_products.csv",
    ),
    (
        "fentanyl",
        "us_product_lists/fentanyl_carveout_products.csv",
    ),
    ("floor", "us_product_lists/floor_exempt_products.csv"),
    ("s122", "us_product_lists/s122_exempt_products.csv"),
    ("s201", "us_product_lists/s201_solar_products.csv"),
    ("usmca", "us_product_lists/usmca_product_shares_2025.csv"),
    (
        "descriptions",
        "tariffs_hs2/hs10_descriptions_census_2024.csv",
    ),
    (
        "imports",
        "tariffs_hs2/us_imports_2024_hs8_by_partner_51.csv",
    ),
    ("mfn_exemption", "us_product_lists/mfn_exemption_shares.csv"),
    (
        "annex2_apr",
        "tariffs_hs2/tariff-lists/annex-II-exemptions.csv",
    ),
    (
        "electronics",
        "tariffs_hs2/tariff-lists/consumer_electronics_EO14257_apr11.csv",
    ),
    (
        "annex2_nov14",
        "tariffs_hs2/tariff-lists/annex-II-exemptions-nov14.csv",
    ),
];

/// [`FILES`] with the USMCA-claim table of the year `usmca` names (assumption `usmca-shares`).
pub fn files(usmca: super::UsmcaShares) -> [(&'static str, &'static str); TABLES] {
    FILES.map(|(k, rel)| {
        if k == "usmca" {
            (k, usmca.file())
        } else {
            (k, rel)
        }
    })
}

impl<'a> ProductTexts<'a> {
    /// The texts of the tables in the order of [`FILES`].
    pub fn from_texts(t: &'a [String; TABLES]) -> ProductTexts<'a> {
        ProductTexts {
            mfn: &t[0],
            s301: &t[1],
            annex: &t[2],
            derivatives: &t[3],
            copper: &t[4],
            auto_parts: &t[5],
            mhd_parts: &t[6],
            semi: &t[7],
            semi_shares: &t[8],
            metal: &t[9],
            ieepa_exempt: &t[10],
            country_eo: &t[11],
            fentanyl: &t[12],
            floor: &t[13],
            s122: &t[14],
            s201: &t[15],
            usmca: &t[16],
            descriptions: &t[17],
            imports: &t[18],
            mfn_exemption: &t[19],
            annex2_apr: &t[20],
            electronics: &t[21],
            annex2_nov14: &t[22],
        }
    }
}

/// The kind of a column-1 rate.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum MfnKind {
    /// Free.
    Free,
    /// Ad valorem.
    AdValorem,
    /// Specific (per unit): an ad-valorem equivalent is used.
    Specific,
    /// Specific plus ad valorem: an ad-valorem equivalent is used.
    Compound,
    /// Other forms (on the content of a metal, on a set).
    Other,
}

/// The column-1 (MFN) rate of an HTS-8 line as written.
#[derive(Debug, Clone, PartialEq)]
pub struct MfnRate {
    /// The ad valorem part, percent.
    pub ad_valorem_pct: f64,
    /// The kind.
    pub kind: MfnKind,
    /// The rate as written in the HTS (`46.3¢/kg + 14.9%`).
    pub raw: String,
}

/// 2024 imports of one HTS-8 line from one partner (Census).
#[derive(Debug, Clone, PartialEq)]
pub struct ImportRow {
    /// ISO3 (`EUU` for the European Union).
    pub iso3: String,
    /// Census country code.
    pub cty: u16,
    /// HTS-8.
    pub hts8: String,
    /// Customs value, USD.
    pub value: f64,
    /// Calculated duty, USD.
    pub duty: f64,
}

/// A dated exemption list of a country order (e.g. Brazil, EO 14323).
#[derive(Debug, Clone)]
pub struct DatedList {
    /// The Chapter 99 heading of the order.
    pub ch99: String,
    /// First day.
    pub start: NaiveDate,
    /// First day no longer exempt.
    pub end: Option<NaiveDate>,
    /// The instrument as given by the list.
    pub source: String,
    /// The products.
    pub codes: CodeSet,
}

/// Partners whose 2024 duties are column-1 duties without a preference programme: the basis of
/// the ad-valorem equivalents of specific and compound MFN rates (assumption `mfn-ave-basis`).
pub const AVE_PARTNERS: &[&str] = &[
    "EUU", "JPN", "GBR", "TWN", "CHE", "VNM", "IND", "THA", "MYS", "IDN", "PHL", "BRA", "TUR",
    "NOR", "NZL", "ZAF", "ARG", "KHM", "BGD", "PAK", "LKA", "ARE", "SAU",
];

/// Every product table, parsed.
#[derive(Debug, Clone, Default)]
pub struct ProductData {
    /// Column-1 rates by HTS-8.
    pub mfn: HashMap<String, MfnRate>,
    /// Ad-valorem equivalents of specific/compound/other rates at 2024 unit values, by HTS-8.
    pub ave: HashMap<String, f64>,
    /// Section 301 China: HTS-8 -> list names (`1`, `4A`, `biden_25`) and Chapter 99 headings.
    pub s301: HashMap<String, Vec<String>>,
    /// Section 232 metals annexes of 2026-04-06: (annex, metal, codes).
    pub annex: Vec<(String, String, CodeSet)>,
    /// Section 232 derivatives: (metal, effective date or none, codes).
    pub derivatives: Vec<(String, Option<NaiveDate>, CodeSet)>,
    /// Section 232 copper (US note 36(b)).
    pub copper: CodeSet,
    /// Section 232 auto parts.
    pub auto_parts: CodeSet,
    /// Section 232 medium/heavy-duty vehicle parts.
    pub mhd_parts: CodeSet,
    /// Section 232 semiconductors (note 39).
    pub semi: CodeSet,
    /// Share of each semiconductor line that qualifies (the peer's calibration; an assumption).
    pub semi_shares: BTreeMap<String, f64>,
    /// Steel, aluminium, copper content shares by HTS-10 (BEA input-output; an assumption).
    pub metal: BTreeMap<String, [f64; 3]>,
    /// IEEPA reciprocal exemptions (Annex II of EO 14257 and later additions), HTS-10. The
    /// transcription also lists the deal partners' own exemptions (civil aircraft, PTAAP,
    /// generics): see [`ProductData::annex2`].
    pub ieepa_exempt: CodeSet,
    /// The lines every partner is exempt on: Annex II of EO 14257 (April 2025 and as of
    /// 2025-11-14) and the electronics memorandum of 2025-04-11.
    pub annex2: CodeSet,
    /// Country orders' exemption lists.
    pub country_eo: Vec<DatedList>,
    /// Fentanyl carve-outs: (category, codes).
    pub fentanyl: Vec<(String, CodeSet)>,
    /// Exemptions from the all-in floors: (country group, category, codes).
    pub floor: Vec<(String, String, CodeSet)>,
    /// Section 122 exemptions.
    pub s122_exempt: CodeSet,
    /// Section 201 solar products.
    pub s201: CodeSet,
    /// USMCA-claim shares by (HTS-10, Census country code).
    pub usmca: BTreeMap<(String, u16), f64>,
    /// Census 2024 descriptions by HTS-10.
    pub descriptions: Vec<(String, String)>,
    /// Census 2024 imports by HTS-8 x partner (51 partners).
    pub imports: Vec<ImportRow>,
    /// Share of 2024 imports entering MFN-free under a preference, by (HS-2, Census country).
    pub mfn_exemption: HashMap<(String, u16), f64>,
    /// Rows read with a correction (file, line, what was done).
    pub warnings: Vec<String>,
}

fn date_field(csv: &Csv, row: &(usize, Vec<String>), i: usize) -> Result<Option<NaiveDate>, Error> {
    let t = csv.field(row, i)?;
    if t.is_empty() || t == "NA" {
        return Ok(None);
    }
    NaiveDate::parse_from_str(t, "%Y-%m-%d")
        .map(Some)
        .map_err(|_| {
            Error::Query(format!(
                "{}: line {}: expected a date YYYY-MM-DD, found {t:?}",
                csv.file, row.0
            ))
        })
}

fn grouped<K: Ord + Clone>(pairs: Vec<(K, String)>) -> Vec<(K, CodeSet)> {
    let mut map: BTreeMap<K, Vec<String>> = BTreeMap::new();
    for (k, c) in pairs {
        map.entry(k).or_default().push(c);
    }
    map.into_iter().map(|(k, v)| (k, CodeSet::new(v))).collect()
}

fn parse_mfn(text: &str) -> Result<HashMap<String, MfnRate>, Error> {
    let csv = Csv::parse("yale_mfn_rates_2025.csv", text)?;
    let (c, r, t, w) = (
        csv.col("hs8")?,
        csv.col("mfn_rate")?,
        csv.col("rate_type")?,
        csv.col("rate_raw")?,
    );
    let mut out = HashMap::new();
    for row in &csv.rows {
        let kind = match csv.field(row, t)? {
            "free" => MfnKind::Free,
            "ad_valorem" => MfnKind::AdValorem,
            "specific" => MfnKind::Specific,
            "compound" => MfnKind::Compound,
            "other" => MfnKind::Other,
            k => {
                return Err(Error::Query(format!(
                    "{}: line {}: field `rate_type`: expected free|ad_valorem|specific|compound|other, found {k:?}",
                    csv.file, row.0
                )))
            }
        };
        let rate = MfnRate {
            ad_valorem_pct: csv.num(row, r)? * 100.0,
            kind,
            raw: csv.field(row, w)?.to_string(),
        };
        out.insert(csv.code(row, c)?, rate);
    }
    Ok(out)
}

fn parse_imports(text: &str) -> Result<Vec<ImportRow>, Error> {
    let csv = Csv::parse("us_imports_2024_hs8_by_partner_51.csv", text)?;
    let (i, c, h, v, d) = (
        csv.col("iso3")?,
        csv.col("census_cty_code")?,
        csv.col("hs8")?,
        csv.col("us_imports_2024_usd")?,
        csv.col("us_calc_duty_2024_usd")?,
    );
    csv.rows
        .iter()
        .map(|row| {
            Ok(ImportRow {
                iso3: csv.field(row, i)?.to_string(),
                cty: csv.num(row, c)? as u16,
                hts8: csv.code(row, h)?,
                value: csv.num(row, v)?,
                duty: csv.num(row, d)?,
            })
        })
        .collect()
}

/// 2024 calculated duty / imports of the [`AVE_PARTNERS`], for the lines whose rate is not
/// purely ad valorem.
fn aves(mfn: &HashMap<String, MfnRate>, imports: &[ImportRow]) -> HashMap<String, f64> {
    let mut acc: HashMap<&str, (f64, f64)> = HashMap::new();
    for r in imports {
        let specific = mfn.get(&r.hts8).is_some_and(|m| {
            matches!(
                m.kind,
                MfnKind::Specific | MfnKind::Compound | MfnKind::Other
            )
        });
        if specific && AVE_PARTNERS.contains(&r.iso3.as_str()) {
            let e = acc.entry(r.hts8.as_str()).or_default();
            e.0 += r.duty;
            e.1 += r.value;
        }
    }
    acc.into_iter()
        .filter(|(_, (_, v))| *v > 0.0)
        .map(|(k, (d, v))| (k.to_string(), 100.0 * d / v))
        .collect()
}

fn parse_exemption(text: &str) -> Result<HashMap<(String, u16), f64>, Error> {
    let mut out = HashMap::new();
    if text.is_empty() {
        return Ok(out);
    }
    let csv = Csv::parse("mfn_exemption_shares.csv", text)?;
    let (h, c, s) = (
        csv.col("hs2")?,
        csv.col("cty_code")?,
        csv.col("exemption_share")?,
    );
    for row in &csv.rows {
        out.insert(
            (csv.field(row, h)?.to_string(), csv.num(row, c)? as u16),
            csv.num(row, s)?.clamp(0.0, 1.0),
        );
    }
    Ok(out)
}

/// `s301_product_lists.csv`: HTS-8 → its list names and Chapter 99 headings, interleaved.
/// The union of the three official Annex II lists (column `HTSUS`).
fn parse_annex2(t: &ProductTexts<'_>, warnings: &mut Vec<String>) -> Result<CodeSet, Error> {
    let mut codes = Vec::new();
    for (file, text) in [
        ("annex-II-exemptions.csv", t.annex2_apr),
        ("consumer_electronics_EO14257_apr11.csv", t.electronics),
        ("annex-II-exemptions-nov14.csv", t.annex2_nov14),
    ] {
        codes.extend(
            Csv::parse(file, text)?
                .codes("HTSUS", warnings)?
                .into_codes(),
        );
    }
    Ok(CodeSet::new(codes))
}

fn parse_s301(text: &str) -> Result<HashMap<String, Vec<String>>, Error> {
    let csv = Csv::parse("s301_product_lists.csv", text)?;
    let (h, l, c) = (csv.col("hts8")?, csv.col("list")?, csv.col("ch99_code")?);
    let mut s301: HashMap<String, Vec<String>> = HashMap::new();
    for row in &csv.rows {
        let e = s301.entry(csv.code(row, h)?).or_default();
        e.push(csv.field(row, l)?.to_string());
        e.push(csv.field(row, c)?.to_string());
    }
    Ok(s301)
}

/// `s232_annex_products.csv`: the codes of each (annex, metal) of the 2026 metals annexes.
fn parse_annex(text: &str) -> Result<Vec<(String, String, CodeSet)>, Error> {
    let csv = Csv::parse("s232_annex_products.csv", text)?;
    let (p, a, m) = (
        csv.col("hts_prefix")?,
        csv.col("annex")?,
        csv.col("metal_type")?,
    );
    let mut pairs = Vec::new();
    for row in &csv.rows {
        let key = (
            csv.field(row, a)?.to_string(),
            csv.field(row, m)?.to_string(),
        );
        pairs.push((key, csv.code(row, p)?));
    }
    Ok(grouped(pairs)
        .into_iter()
        .map(|((a, m), s)| (a, m, s))
        .collect())
}

/// `s232_derivative_products.csv`: the codes of each (metal, effective date) of the derivatives.
fn parse_derivatives(text: &str) -> Result<Vec<(String, Option<NaiveDate>, CodeSet)>, Error> {
    let csv = Csv::parse("s232_derivative_products.csv", text)?;
    let (p, m, e) = (
        csv.col("hts_prefix")?,
        csv.col("derivative_type")?,
        csv.col("effective_date")?,
    );
    let mut pairs = Vec::new();
    for row in &csv.rows {
        let key = (csv.field(row, m)?.to_string(), date_field(&csv, row, e)?);
        pairs.push((key, csv.code(row, p)?));
    }
    Ok(grouped(pairs)
        .into_iter()
        .map(|((m, d), s)| (m, d, s))
        .collect())
}

/// `semi_qualifying_shares.csv`: the qualifying share of each HTS-10 semiconductor line.
fn parse_semi_shares(text: &str) -> Result<BTreeMap<String, f64>, Error> {
    let csv = Csv::parse("semi_qualifying_shares.csv", text)?;
    let (h, s) = (csv.col("hts10")?, csv.col("qualifying_share")?);
    let mut semi_shares = BTreeMap::new();
    for row in &csv.rows {
        semi_shares.insert(csv.code(row, h)?, csv.num(row, s)?);
    }
    Ok(semi_shares)
}

/// `metal_content_shares_bea_hs10.csv`: the steel, aluminium and copper shares of each HTS-10 line.
fn parse_metal(text: &str) -> Result<BTreeMap<String, [f64; 3]>, Error> {
    let csv = Csv::parse("metal_content_shares_bea_hs10.csv", text)?;
    let (h, s, a, c) = (
        csv.col("hs10")?,
        csv.col("steel_share")?,
        csv.col("aluminum_share")?,
        csv.col("copper_share")?,
    );
    let mut metal = BTreeMap::new();
    for row in &csv.rows {
        metal.insert(
            csv.code(row, h)?,
            [csv.num(row, s)?, csv.num(row, a)?, csv.num(row, c)?],
        );
    }
    Ok(metal)
}

/// `country_eo_exempt_products.csv`: the dated exemption lists of the country orders, one per
/// (heading, start, end, source); a row without a start date is an error.
fn parse_country_eo(text: &str) -> Result<Vec<DatedList>, Error> {
    let csv = Csv::parse("country_eo_exempt_products.csv", text)?;
    let (ch, h, s, e, src) = (
        csv.col("ch99_code")?,
        csv.col("hts10")?,
        csv.col("effective_date_start")?,
        csv.col("effective_date_end")?,
        csv.col("source")?,
    );
    let mut pairs = Vec::new();
    for row in &csv.rows {
        let start = date_field(&csv, row, s)?.ok_or_else(|| {
            Error::Query(format!(
                "{}: line {}: missing effective_date_start",
                csv.file, row.0
            ))
        })?;
        let key = (
            csv.field(row, ch)?.to_string(),
            start,
            date_field(&csv, row, e)?,
            csv.field(row, src)?.to_string(),
        );
        pairs.push((key, csv.code(row, h)?));
    }
    Ok(grouped(pairs)
        .into_iter()
        .map(|((ch99, start, end, source), codes)| DatedList {
            ch99,
            start,
            end,
            source,
            codes,
        })
        .collect())
}

/// `fentanyl_carveout_products.csv`: the codes of each carve-out category.
fn parse_fentanyl(text: &str) -> Result<Vec<(String, CodeSet)>, Error> {
    let csv = Csv::parse("fentanyl_carveout_products.csv", text)?;
    let (h, c) = (csv.col("hts8")?, csv.col("category")?);
    let mut pairs = Vec::new();
    for row in &csv.rows {
        pairs.push((csv.field(row, c)?.to_string(), csv.code(row, h)?));
    }
    Ok(grouped(pairs))
}

/// `floor_exempt_products.csv`: the codes of each (country group, category) exempt from a floor.
fn parse_floor(text: &str) -> Result<Vec<(String, String, CodeSet)>, Error> {
    let csv = Csv::parse("floor_exempt_products.csv", text)?;
    let (h, c, g) = (
        csv.col("hts8")?,
        csv.col("category")?,
        csv.col("country_group")?,
    );
    let mut pairs = Vec::new();
    for row in &csv.rows {
        pairs.push((
            (
                csv.field(row, g)?.to_string(),
                csv.field(row, c)?.to_string(),
            ),
            csv.code(row, h)?,
        ));
    }
    Ok(grouped(pairs)
        .into_iter()
        .map(|((g, c), s)| (g, c, s))
        .collect())
}

/// `usmca_product_shares.csv`: the USMCA-claim share by (HTS-10, Census country code).
fn parse_usmca(text: &str) -> Result<BTreeMap<(String, u16), f64>, Error> {
    let csv = Csv::parse("usmca_product_shares.csv", text)?;
    let (h, c, s) = (
        csv.col("hts10")?,
        csv.col("cty_code")?,
        csv.col("usmca_share")?,
    );
    let mut usmca = BTreeMap::new();
    for row in &csv.rows {
        usmca.insert(
            (csv.code(row, h)?, csv.num(row, c)? as u16),
            csv.num(row, s)?,
        );
    }
    Ok(usmca)
}

/// `hs10_descriptions_census_2024.csv`: (HTS-10, description), sorted by code.
fn parse_descriptions(text: &str) -> Result<Vec<(String, String)>, Error> {
    let csv = Csv::parse("hs10_descriptions_census_2024.csv", text)?;
    let (h, d) = (csv.col("hs10")?, csv.col("description")?);
    let mut descriptions = Vec::with_capacity(csv.rows.len());
    for row in &csv.rows {
        descriptions.push((csv.code(row, h)?, csv.field(row, d)?.to_string()));
    }
    descriptions.sort();
    Ok(descriptions)
}

impl ProductData {
    /// Parse every table; errors name the file, line and field.
    pub fn parse(t: &ProductTexts) -> Result<ProductData, Error> {
        let mut warnings = Vec::new();
        let mfn = parse_mfn(t.mfn)?;
        let imports = if t.imports.is_empty() {
            Vec::new()
        } else {
            parse_imports(t.imports)?
        };
        let ave = aves(&mfn, &imports);
        let s301 = parse_s301(t.s301)?;
        let annex = parse_annex(t.annex)?;
        let derivatives = parse_derivatives(t.derivatives)?;
        let semi_shares = parse_semi_shares(t.semi_shares)?;
        let metal = parse_metal(t.metal)?;
        let country_eo = parse_country_eo(t.country_eo)?;
        let fentanyl = parse_fentanyl(t.fentanyl)?;
        let floor = parse_floor(t.floor)?;
        let usmca = parse_usmca(t.usmca)?;
        let descriptions = parse_descriptions(t.descriptions)?;

        Ok(ProductData {
            mfn,
            ave,
            s301,
            annex,
            derivatives,
            copper: Csv::parse("s232_copper_products.csv", t.copper)?
                .codes("hts10", &mut warnings)?,
            auto_parts: code_lines("s232_auto_parts.txt", t.auto_parts)?,
            mhd_parts: code_lines("s232_mhd_parts.txt", t.mhd_parts)?,
            semi: Csv::parse("s232_semi_products.csv", t.semi)?.codes("hts10", &mut warnings)?,
            semi_shares,
            metal,
            ieepa_exempt: Csv::parse("ieepa_exempt_products.csv", t.ieepa_exempt)?
                .codes("hts10", &mut warnings)?,
            annex2: parse_annex2(t, &mut warnings)?,
            country_eo,
            fentanyl,
            floor,
            s122_exempt: Csv::parse("s122_exempt_products.csv", t.s122)?
                .codes("hts8", &mut warnings)?,
            s201: Csv::parse("s201_solar_products.csv", t.s201)?.codes("hts10", &mut warnings)?,
            usmca,
            descriptions,
            imports,
            mfn_exemption: parse_exemption(t.mfn_exemption)?,
            warnings,
        })
    }

    /// The description of an HTS-10 line, or of the first line under a shorter code.
    pub fn description(&self, code: &str) -> Option<&str> {
        let i = self
            .descriptions
            .partition_point(|(c, _)| c.as_str() < code);
        self.descriptions
            .get(i)
            .filter(|(c, _)| c.starts_with(code))
            .map(|(_, d)| d.as_str())
    }

    /// The HTS-10 lines under `code` (Census 2024).
    pub fn children<'s>(
        &'s self,
        code: &'s str,
    ) -> impl Iterator<Item = &'s (String, String)> + 's {
        let i = self
            .descriptions
            .partition_point(|(c, _)| c.as_str() < code);
        self.descriptions[i..]
            .iter()
            .take_while(move |(c, _)| c.starts_with(code))
    }

    /// Mean of an HTS-10-keyed value over the lines under `code` (itself when 10 digits).
    pub fn mean_under<T: Copy>(
        map: &BTreeMap<String, T>,
        code: &str,
        value: impl Fn(T) -> f64,
    ) -> Option<f64> {
        let (mut s, mut n) = (0.0, 0usize);
        for (k, v) in map.range(code.to_string()..) {
            if !k.starts_with(code) {
                break;
            }
            s += value(*v);
            n += 1;
        }
        (n > 0).then(|| s / n as f64)
    }

    /// The USMCA-claim share of a line from a Census country (mean over its HTS-10 lines).
    pub fn usmca_share(&self, code: &str, cty: u16) -> Option<f64> {
        let (mut s, mut n) = (0.0, 0usize);
        for ((k, c), v) in self.usmca.range((code.to_string(), 0)..) {
            if !k.starts_with(code) {
                break;
            }
            if *c == cty {
                s += v;
                n += 1;
            }
        }
        (n > 0).then(|| s / n as f64)
    }
}
