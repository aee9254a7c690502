//! The registry's TOML as written (raw types, unknown keys refused) and its checked parsing into
//! measures, pauses, exemptions and events; errors name the file, the entry and the field.

use super::*;

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
pub(super) struct RawFile {
    #[serde(default)]
    pub(super) groups: BTreeMap<String, Vec<String>>,
    #[serde(default)]
    pub(super) sectors: BTreeMap<String, Vec<String>>,
    #[serde(default)]
    pub(super) measure: Vec<RawMeasure>,
    #[serde(default)]
    pub(super) pause: Vec<RawPause>,
    #[serde(default)]
    pub(super) exemption: Vec<RawExemption>,
    #[serde(default)]
    pub(super) event: Vec<RawEvent>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
pub(super) struct RawMeasure {
    pub(super) id: Option<String>,
    pub(super) program: Option<String>,
    pub(super) instrument: Option<String>,
    pub(super) title: Option<String>,
    pub(super) announced: Option<toml::value::Datetime>,
    pub(super) effective: Option<toml::value::Datetime>,
    pub(super) end: Option<toml::value::Datetime>,
    pub(super) partners: Option<Vec<String>>,
    pub(super) partners_except: Option<Vec<String>>,
    pub(super) hs: Option<Vec<String>>,
    pub(super) hs_except: Option<Vec<String>>,
    pub(super) rate: Option<f64>,
    pub(super) rates: Option<BTreeMap<String, f64>>,
    pub(super) all_in: Option<f64>,
    pub(super) stacking: Option<String>,
    pub(super) over: Option<Vec<String>>,
    pub(super) excluded_when: Option<Vec<String>>,
    pub(super) condition: Option<String>,
    pub(super) provisional: Option<bool>,
    pub(super) retroactive: Option<bool>,
    pub(super) source: Option<String>,
    pub(super) note: Option<String>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
pub(super) struct RawExtension {
    pub(super) announced: Option<toml::value::Datetime>,
    pub(super) end: Option<toml::value::Datetime>,
    pub(super) instrument: Option<String>,
    pub(super) source: Option<String>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
pub(super) struct RawPause {
    pub(super) id: Option<String>,
    pub(super) title: Option<String>,
    pub(super) instrument: Option<String>,
    pub(super) announced: Option<toml::value::Datetime>,
    pub(super) suspends: Option<Vec<String>>,
    pub(super) partners: Option<Vec<String>>,
    pub(super) partners_except: Option<Vec<String>>,
    pub(super) start: Option<toml::value::Datetime>,
    pub(super) end: Option<toml::value::Datetime>,
    #[serde(default)]
    pub(super) extension: Vec<RawExtension>,
    pub(super) source: Option<String>,
    pub(super) note: Option<String>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
pub(super) struct RawExemption {
    pub(super) id: Option<String>,
    pub(super) title: Option<String>,
    pub(super) instrument: Option<String>,
    pub(super) announced: Option<toml::value::Datetime>,
    pub(super) effective: Option<toml::value::Datetime>,
    pub(super) end: Option<toml::value::Datetime>,
    pub(super) applies_to: Option<Vec<String>>,
    pub(super) partners: Option<Vec<String>>,
    pub(super) partners_except: Option<Vec<String>>,
    pub(super) hs: Option<Vec<String>>,
    pub(super) provisional: Option<bool>,
    pub(super) source: Option<String>,
    pub(super) note: Option<String>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
pub(super) struct RawEvent {
    pub(super) date: Option<toml::value::Datetime>,
    pub(super) label: Option<String>,
    pub(super) major: Option<bool>,
    pub(super) partners: Option<Vec<String>>,
    pub(super) source: Option<String>,
}

/// Builds `Error::Entry` values for one entry.
pub(super) struct Ctx<'a> {
    pub(super) file: &'a str,
    pub(super) kind: &'static str,
    pub(super) id: String,
}

impl Ctx<'_> {
    pub(super) fn err(&self, field: &str, message: impl Into<String>) -> Error {
        Error::Entry {
            file: self.file.to_string(),
            kind: self.kind,
            id: self.id.clone(),
            field: field.to_string(),
            message: message.into(),
        }
    }

    pub(super) fn required<T>(&self, value: Option<T>, field: &str) -> Result<T, Error> {
        value.ok_or_else(|| self.err(field, "missing (required)"))
    }

    pub(super) fn text(&self, value: Option<String>, field: &str) -> Result<String, Error> {
        let v = self.required(value, field)?;
        if v.trim().is_empty() {
            return Err(self.err(field, "empty"));
        }
        Ok(v)
    }

    pub(super) fn date(
        &self,
        value: Option<toml::value::Datetime>,
        field: &str,
    ) -> Result<NaiveDate, Error> {
        let v = self.required(value, field)?;
        self.date_value(v, field)
    }

    pub(super) fn date_value(
        &self,
        v: toml::value::Datetime,
        field: &str,
    ) -> Result<NaiveDate, Error> {
        match (v.date, v.time) {
            (Some(d), None) => NaiveDate::from_ymd_opt(d.year as i32, d.month as u32, d.day as u32)
                .ok_or_else(|| self.err(field, format!("not a calendar date: {v}"))),
            _ => Err(self.err(
                field,
                format!("expected a date such as 2025-04-05, found {v}"),
            )),
        }
    }

    pub(super) fn source(&self, value: Option<String>) -> Result<String, Error> {
        let s = self.text(value, "source")?;
        if !s.starts_with("https://") {
            return Err(self.err(
                "source",
                format!("expected the https:// address of the official document, found {s:?}"),
            ));
        }
        Ok(s)
    }
}

pub(super) fn partner_scope(
    ctx: &Ctx,
    list: Option<Vec<String>>,
    except: Option<Vec<String>>,
    default_all: bool,
    known: &KnownPartners,
    groups: &BTreeMap<String, Vec<String>>,
) -> Result<PartnerScope, Error> {
    let check = |field: &str, codes: &[String]| -> Result<BTreeSet<String>, Error> {
        let mut set = BTreeSet::new();
        for code in codes {
            if code == "ALL" {
                continue;
            }
            if !known.is_known(code) && !groups.contains_key(code) {
                return Err(ctx.err(field, format!("unknown partner {code:?} (expected an ISO3 code the country registry knows, or a group)")));
            }
            if !set.insert(code.clone()) {
                return Err(ctx.err(field, format!("partner {code:?} listed twice")));
            }
        }
        Ok(set)
    };
    let mut scope = PartnerScope::default();
    match list {
        Some(codes) => {
            if codes.is_empty() {
                return Err(ctx.err("partners", "empty list (use [\"ALL\"] for every partner)"));
            }
            let has_all = codes.iter().any(|c| c == "ALL");
            if has_all && codes.len() > 1 {
                return Err(ctx.err("partners", "\"ALL\" must stand alone"));
            }
            scope.all = has_all;
            scope.list = check("partners", &codes)?;
        }
        None if default_all => scope.all = true,
        None => {
            return Err(ctx.err(
                "partners",
                "missing (required unless `rates` lists the partners)",
            ))
        }
    }
    if let Some(codes) = except {
        if !scope.all {
            return Err(ctx.err(
                "partners_except",
                "only meaningful with partners = [\"ALL\"]",
            ));
        }
        scope.except = check("partners_except", &codes)?;
    }
    Ok(scope)
}

pub(super) fn hs_scope(ctx: &Ctx, field: &str, codes: &[String]) -> Result<HsScope, Error> {
    HsScope::parse(codes).map_err(|e| ctx.err(field, e))
}

pub(super) fn check_rate(ctx: &Ctx, field: &str, rate: f64) -> Result<f64, Error> {
    if !rate.is_finite() || !(0.0..=1000.0).contains(&rate) {
        return Err(ctx.err(
            field,
            format!("expected a rate in percent between 0 and 1000, found {rate}"),
        ));
    }
    Ok(rate)
}

pub(super) fn check_id(ctx: &Ctx, id: &str) -> Result<(), Error> {
    if id.is_empty()
        || !id.chars().all(|c| {
            c.is_ascii_lowercase() || c.is_ascii_digit() || c == '-' || c == '.' || c == '_'
        })
    {
        return Err(ctx.err(
            "id",
            format!("expected lower-case letters, digits, '-', '.', '_', found {id:?}"),
        ));
    }
    Ok(())
}

pub(super) fn dates_overlap(a: &Measure, b: &Measure) -> bool {
    let a_end = a.end.unwrap_or(NaiveDate::MAX);
    let b_end = b.end.unwrap_or(NaiveDate::MAX);
    a.effective < b_end && b.effective < a_end
}

/// Two by-partner tables over `partners = ALL`-free scopes never collide when their keys differ.
pub(super) fn rate_partners_disjoint(a: &Measure, b: &Measure) -> bool {
    match (&a.rate, &b.rate) {
        (RateRule::ByPartner(x), RateRule::ByPartner(y)) => x.keys().all(|k| !y.contains_key(k)),
        _ => false,
    }
}

/// The id used in messages for an entry that may lack one: its position in the file.
pub(super) fn entry_id(id: &Option<String>, i: usize) -> String {
    id.clone().unwrap_or_else(|| format!("#{} (no id)", i + 1))
}

pub(super) fn parse_measure(
    file: &str,
    i: usize,
    m: RawMeasure,
    known: &KnownPartners,
    groups: &BTreeMap<String, Vec<String>>,
) -> Result<Measure, Error> {
    let ctx = Ctx {
        file,
        kind: "measure",
        id: entry_id(&m.id, i),
    };
    let id = ctx.text(m.id, "id")?;
    check_id(&ctx, &id)?;
    let program = ctx.text(m.program, "program")?;
    let instrument = ctx.text(m.instrument, "instrument")?;
    let title = ctx.text(m.title, "title")?;
    let announced = ctx.date(m.announced, "announced")?;
    let effective = ctx.date(m.effective, "effective")?;
    let end = m.end.map(|d| ctx.date_value(d, "end")).transpose()?;
    let retroactive = m.retroactive.unwrap_or(false);
    check_measure_dates(&ctx, announced, effective, end, retroactive)?;
    let rate = measure_rate(&ctx, m.rate, m.rates, m.all_in, known, groups)?;
    let partners = measure_partners(&ctx, &rate, m.partners, m.partners_except, known, groups)?;
    let hs = measure_hs(&ctx, m.hs, m.hs_except)?;
    let (stacking, over) = measure_stacking(&ctx, m.stacking, m.over)?;
    let condition = match m.condition.as_deref() {
        None => None,
        Some("non_usmca") => Some(Condition::NonUsmca),
        Some(other) => {
            return Err(ctx.err(
                "condition",
                format!("expected \"non_usmca\", found {other:?}"),
            ))
        }
    };
    Ok(Measure {
        id,
        program,
        instrument,
        title,
        announced,
        effective,
        end,
        partners,
        hs,
        rate,
        stacking,
        over,
        excluded_when: m.excluded_when.unwrap_or_default(),
        condition,
        provisional: m.provisional.unwrap_or(false),
        retroactive,
        source: ctx.source(m.source)?,
        note: m.note.unwrap_or_default(),
        file: file.to_string(),
    })
}

/// A measure's dates in order: announced on or before effective (unless retroactive), end after
/// effective.
fn check_measure_dates(
    ctx: &Ctx,
    announced: NaiveDate,
    effective: NaiveDate,
    end: Option<NaiveDate>,
    retroactive: bool,
) -> Result<(), Error> {
    if announced > effective && !retroactive {
        return Err(ctx.err(
            "effective",
            format!("dates out of order: effective {effective} is before announced {announced} (set retroactive = true if the order applied retroactively)"),
        ));
    }
    if let Some(end) = end {
        if end <= effective {
            return Err(ctx.err(
                "end",
                format!("dates out of order: end {end} is not after effective {effective}"),
            ));
        }
    }
    Ok(())
}

/// A measure's rate: exactly one of `rate` (flat), `rates` (by partner, a non-empty table of known
/// partners or groups) and `all_in`, each in percent between 0 and 1000.
fn measure_rate(
    ctx: &Ctx,
    rate: Option<f64>,
    rates: Option<BTreeMap<String, f64>>,
    all_in: Option<f64>,
    known: &KnownPartners,
    groups: &BTreeMap<String, Vec<String>>,
) -> Result<RateRule, Error> {
    Ok(match (rate, rates, all_in) {
        (Some(r), None, None) => RateRule::Flat(check_rate(ctx, "rate", r)?),
        (None, Some(table), None) => {
            if table.is_empty() {
                return Err(ctx.err("rates", "empty table"));
            }
            for (code, r) in &table {
                if !known.is_known(code) && !groups.contains_key(code) {
                    return Err(ctx.err("rates", format!("unknown partner {code:?}")));
                }
                check_rate(ctx, "rates", *r)?;
            }
            RateRule::ByPartner(table)
        }
        (None, None, Some(r)) => RateRule::AllIn(check_rate(ctx, "all_in", r)?),
        (None, None, None) => {
            return Err(ctx.err("rate", "missing: give one of rate, rates or all_in"))
        }
        _ => return Err(ctx.err("rate", "give only one of rate, rates or all_in")),
    })
}

/// A measure's partners: the keys of a by-partner `rates` table (then `partners` must be left
/// out), else `partners` and `partners_except` as written.
fn measure_partners(
    ctx: &Ctx,
    rate: &RateRule,
    partners: Option<Vec<String>>,
    partners_except: Option<Vec<String>>,
    known: &KnownPartners,
    groups: &BTreeMap<String, Vec<String>>,
) -> Result<PartnerScope, Error> {
    if let RateRule::ByPartner(table) = rate {
        if partners.is_some() {
            return Err(ctx.err(
                "partners",
                "leave out: the keys of `rates` are the partners",
            ));
        }
        return Ok(PartnerScope {
            all: false,
            list: table.keys().cloned().collect(),
            except: BTreeSet::new(),
        });
    }
    partner_scope(ctx, partners, partners_except, false, known, groups)
}

/// A measure's goods: `hs` (required) less `hs_except`, which must leave some.
fn measure_hs(
    ctx: &Ctx,
    hs: Option<Vec<String>>,
    hs_except: Option<Vec<String>>,
) -> Result<HsScope, Error> {
    let hs_codes = ctx.required(hs, "hs")?;
    let mut hs = hs_scope(ctx, "hs", &hs_codes)?;
    if let Some(except) = hs_except {
        let ex = hs_scope(ctx, "hs_except", &except)?;
        hs = hs.minus(&ex);
        if hs.is_empty() {
            return Err(ctx.err("hs_except", "removes every good in `hs`"));
        }
    }
    Ok(hs)
}

/// A measure's stacking (required) and the measures or programs it applies `over`: none with
/// `adds`, some with `replaces` and `highest_of`.
fn measure_stacking(
    ctx: &Ctx,
    stacking: Option<String>,
    over: Option<Vec<String>>,
) -> Result<(Stacking, Vec<String>), Error> {
    let stacking = match ctx.required(stacking, "stacking")?.as_str() {
        "adds" => Stacking::Adds,
        "replaces" => Stacking::Replaces,
        "highest_of" => Stacking::HighestOf,
        other => {
            return Err(ctx.err(
                "stacking",
                format!("expected \"adds\", \"replaces\" or \"highest_of\" (and excluded_when = [...] for exclusions), found {other:?}"),
            ))
        }
    };
    let over = over.unwrap_or_default();
    match (stacking, over.is_empty()) {
        (Stacking::Adds, false) => {
            return Err(ctx.err(
                "over",
                "only meaningful with stacking = \"replaces\" or \"highest_of\"",
            ))
        }
        (Stacking::Replaces | Stacking::HighestOf, true) => {
            return Err(ctx.err(
                "over",
                format!(
                    "stacking = \"{}\" needs the measures or programs it applies over",
                    stacking.as_str()
                ),
            ))
        }
        _ => {}
    }
    Ok((stacking, over))
}

pub(super) fn parse_pause(
    file: &str,
    i: usize,
    p: RawPause,
    known: &KnownPartners,
    groups: &BTreeMap<String, Vec<String>>,
) -> Result<Pause, Error> {
    let ctx = Ctx {
        file,
        kind: "pause",
        id: entry_id(&p.id, i),
    };
    let id = ctx.text(p.id, "id")?;
    check_id(&ctx, &id)?;
    let announced = ctx.date(p.announced, "announced")?;
    let start = ctx.date(p.start, "start")?;
    let end = ctx.date(p.end, "end")?;
    if end <= start {
        return Err(ctx.err(
            "end",
            format!("dates out of order: end {end} is not after start {start}"),
        ));
    }
    let suspends = ctx.required(p.suspends, "suspends")?;
    if suspends.is_empty() {
        return Err(ctx.err("suspends", "empty list"));
    }
    let mut extensions = Vec::new();
    let (mut last_announced, mut last_end) = (announced, end);
    for (k, e) in p.extension.into_iter().enumerate() {
        let field = format!("extension[{}]", k + 1);
        let ann = ctx.date(e.announced, &format!("{field}.announced"))?;
        let new_end = ctx.date(e.end, &format!("{field}.end"))?;
        if ann < last_announced {
            return Err(ctx.err(
                &format!("{field}.announced"),
                format!("dates out of order: {ann} is before {last_announced}"),
            ));
        }
        if new_end <= last_end {
            return Err(ctx.err(
                &format!("{field}.end"),
                format!("dates out of order: {new_end} does not move the end past {last_end}"),
            ));
        }
        extensions.push(Extension {
            announced: ann,
            end: new_end,
            instrument: ctx.text(e.instrument, &format!("{field}.instrument"))?,
            source: ctx.source(e.source)?,
        });
        (last_announced, last_end) = (ann, new_end);
    }
    Ok(Pause {
        title: ctx.text(p.title, "title")?,
        instrument: ctx.text(p.instrument, "instrument")?,
        partners: partner_scope(&ctx, p.partners, p.partners_except, true, known, groups)?,
        source: ctx.source(p.source)?,
        note: p.note.unwrap_or_default(),
        file: file.to_string(),
        id,
        announced,
        suspends,
        start,
        end,
        extensions,
    })
}

pub(super) fn parse_exemption(
    file: &str,
    i: usize,
    e: RawExemption,
    known: &KnownPartners,
    groups: &BTreeMap<String, Vec<String>>,
) -> Result<Exemption, Error> {
    let ctx = Ctx {
        file,
        kind: "exemption",
        id: entry_id(&e.id, i),
    };
    let id = ctx.text(e.id, "id")?;
    check_id(&ctx, &id)?;
    let announced = ctx.date(e.announced, "announced")?;
    let effective = ctx.date(e.effective, "effective")?;
    let end = e.end.map(|d| ctx.date_value(d, "end")).transpose()?;
    if let Some(end) = end {
        if end <= effective {
            return Err(ctx.err(
                "end",
                format!("dates out of order: end {end} is not after effective {effective}"),
            ));
        }
    }
    let applies_to = ctx.required(e.applies_to, "applies_to")?;
    if applies_to.is_empty() {
        return Err(ctx.err("applies_to", "empty list"));
    }
    let hs_codes = ctx.required(e.hs, "hs")?;
    let hs = hs_scope(&ctx, "hs", &hs_codes)?;
    if hs.is_all() {
        return Err(ctx.err(
            "hs",
            "an exemption of all goods is an end date: set `end` on the measure instead",
        ));
    }
    Ok(Exemption {
        title: ctx.text(e.title, "title")?,
        instrument: ctx.text(e.instrument, "instrument")?,
        partners: partner_scope(&ctx, e.partners, e.partners_except, true, known, groups)?,
        provisional: e.provisional.unwrap_or(false),
        source: ctx.source(e.source)?,
        note: e.note.unwrap_or_default(),
        file: file.to_string(),
        id,
        announced,
        effective,
        end,
        applies_to,
        hs,
    })
}

pub(super) fn parse_event(
    file: &str,
    i: usize,
    e: RawEvent,
    known: &KnownPartners,
    groups: &BTreeMap<String, Vec<String>>,
) -> Result<Event, Error> {
    let ctx = Ctx {
        file,
        kind: "event",
        id: e.label.clone().unwrap_or_else(|| format!("#{}", i + 1)),
    };
    let partners = e.partners.unwrap_or_default();
    for p in &partners {
        if !known.is_known(p) && !groups.contains_key(p) {
            return Err(ctx.err("partners", format!("unknown partner {p:?}")));
        }
    }
    Ok(Event {
        date: ctx.date(e.date, "date")?,
        label: ctx.text(e.label, "label")?,
        major: e.major.unwrap_or(false),
        partners,
        source: ctx.source(e.source)?,
    })
}
