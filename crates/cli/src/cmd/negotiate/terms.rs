//! The proposal-term flags shared by `propose` and `counter`, parsed into a draft that the domain
//! validates (so a missing rate or an unknown sector gets the domain's message).

use reciprocity_negotiation::{PurchaseDraft, QuotaDraft, TariffLineDraft, TermsDraft};

use crate::BadInput;

/// The terms of a proposal.
#[derive(Debug, Clone, clap::Args)]
pub struct TermsArgs {
    /// A tariff line: `by=USA|PARTNER,sector=all|CODE|hs=NN,rate=PCT`, e.g. `by=USA,sector=all,rate=15`
    /// (a US rate is an additional duty; a partner's is its applied tariff on US goods). Repeatable.
    #[arg(long = "tariff", value_name = "SPEC")]
    pub tariffs: Vec<String>,
    /// A tariff-rate quota: `by=..,sector=..|hs=..,volume=N[,unit_value=USD],in=PCT,out=PCT`
    /// (volume in USD unless unit_value is given). Repeatable.
    #[arg(long = "quota", value_name = "SPEC")]
    pub quotas: Vec<String>,
    /// A purchase commitment, USD a year: `usd=550bn[,by=PARTNER][,sector=..|hs=..]`. Repeatable.
    #[arg(long = "purchase", value_name = "SPEC")]
    pub purchases: Vec<String>,
    /// A non-tariff term, as text. Repeatable.
    #[arg(long = "term", value_name = "TEXT")]
    pub terms: Vec<String>,
}

/// A number with an optional k / m / bn suffix (`550bn`, `2.5m`, `1e9`).
fn number(flag: &str, key: &str, text: &str) -> anyhow::Result<f64> {
    let t = text.trim().to_ascii_lowercase().replace('_', "");
    let (digits, scale) = if let Some(d) = t.strip_suffix("bn") {
        (d, 1e9)
    } else if let Some(d) = t.strip_suffix('b') {
        (d, 1e9)
    } else if let Some(d) = t.strip_suffix('m') {
        (d, 1e6)
    } else if let Some(d) = t.strip_suffix('k') {
        (d, 1e3)
    } else {
        (t.trim_end_matches('%'), 1.0)
    };
    digits
        .trim()
        .parse::<f64>()
        .map(|v| v * scale)
        .map_err(|_| BadInput(format!("{flag}: {key}: expected a number, found {text:?}")).into())
}

/// `key=value` pairs, checked against the allowed keys.
fn pairs<'a>(
    flag: &str,
    spec: &'a str,
    allowed: &[&str],
) -> anyhow::Result<Vec<(String, &'a str)>> {
    let mut out: Vec<(String, &str)> = Vec::new();
    for part in spec.split(',').map(str::trim).filter(|p| !p.is_empty()) {
        let (k, v) = part.split_once('=').ok_or_else(|| {
            BadInput(format!(
                "{flag}: expected key=value, found {part:?} (keys: {})",
                allowed.join(", ")
            ))
        })?;
        let k = k.trim().to_ascii_lowercase();
        if !allowed.contains(&k.as_str()) {
            return Err(BadInput(format!(
                "{flag}: unknown key {k:?}: expected one of {}",
                allowed.join(", ")
            ))
            .into());
        }
        if out.iter().any(|(seen, _)| *seen == k) {
            return Err(BadInput(format!("{flag}: {k} is given twice")).into());
        }
        out.push((k, v.trim()));
    }
    Ok(out)
}

fn get<'a>(p: &[(String, &'a str)], key: &str) -> Option<&'a str> {
    p.iter().find(|(k, _)| k == key).map(|(_, v)| *v)
}

fn scope(flag: &str, p: &[(String, &str)]) -> anyhow::Result<Option<String>> {
    match (get(p, "sector"), get(p, "hs")) {
        (Some(_), Some(_)) => Err(BadInput(format!("{flag}: give sector or hs, not both")).into()),
        (Some(s), None) => Ok(Some(s.to_string())),
        (None, Some(h)) => Ok(Some(format!("hs{}", h.trim_start_matches("hs")))),
        (None, None) => Ok(None),
    }
}

fn opt_number(flag: &str, p: &[(String, &str)], key: &str) -> anyhow::Result<Option<f64>> {
    get(p, key).map(|v| number(flag, key, v)).transpose()
}

impl TermsArgs {
    /// The draft the flags describe.
    pub fn draft(&self) -> anyhow::Result<TermsDraft> {
        let mut d = TermsDraft::default();
        for (i, spec) in self.tariffs.iter().enumerate() {
            let flag = format!("--tariff #{}", i + 1);
            let p = pairs(&flag, spec, &["by", "sector", "hs", "rate"])?;
            d.tariff_lines.push(TariffLineDraft {
                by: get(&p, "by").map(str::to_string),
                scope: scope(&flag, &p)?,
                rate_pct: opt_number(&flag, &p, "rate")?,
            });
        }
        for (i, spec) in self.quotas.iter().enumerate() {
            let flag = format!("--quota #{}", i + 1);
            let p = pairs(
                &flag,
                spec,
                &["by", "sector", "hs", "volume", "unit_value", "in", "out"],
            )?;
            d.quotas.push(QuotaDraft {
                by: get(&p, "by").map(str::to_string),
                scope: scope(&flag, &p)?,
                volume: opt_number(&flag, &p, "volume")?,
                unit_value_usd: opt_number(&flag, &p, "unit_value")?,
                in_quota_pct: opt_number(&flag, &p, "in")?,
                out_quota_pct: opt_number(&flag, &p, "out")?,
            });
        }
        for (i, spec) in self.purchases.iter().enumerate() {
            let flag = format!("--purchase #{}", i + 1);
            let p = pairs(&flag, spec, &["by", "sector", "hs", "usd"])?;
            d.purchases.push(PurchaseDraft {
                by: get(&p, "by").map(str::to_string),
                scope: scope(&flag, &p)?,
                usd: opt_number(&flag, &p, "usd")?,
            });
        }
        d.non_tariff = self.terms.clone();
        Ok(d)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn args(t: &[&str], q: &[&str], p: &[&str]) -> TermsArgs {
        TermsArgs {
            tariffs: t.iter().map(|s| s.to_string()).collect(),
            quotas: q.iter().map(|s| s.to_string()).collect(),
            purchases: p.iter().map(|s| s.to_string()).collect(),
            terms: vec![],
        }
    }

    #[test]
    fn specs_parse_into_drafts() {
        let d = args(
            &["by=USA,sector=all,rate=15", "by=JPN, hs=87, rate=0"],
            &["by=USA,hs=87,volume=100k,unit_value=40000,in=2.5,out=25"],
            &["usd=8bn"],
        )
        .draft()
        .unwrap();
        assert_eq!(
            d.tariff_lines[0],
            TariffLineDraft {
                by: Some("USA".into()),
                scope: Some("all".into()),
                rate_pct: Some(15.0)
            }
        );
        assert_eq!(d.tariff_lines[1].scope.as_deref(), Some("hs87"));
        assert_eq!(d.quotas[0].volume, Some(100_000.0));
        assert_eq!(d.quotas[0].in_quota_pct, Some(2.5));
        assert_eq!(d.purchases[0].usd, Some(8e9));
        // A quota without rates parses; the domain refuses it with the reason.
        let d = args(&[], &["by=USA,sector=all,volume=5bn"], &[])
            .draft()
            .unwrap();
        assert_eq!(d.quotas[0].in_quota_pct, None);
    }

    #[test]
    fn bad_specs_say_what_is_wrong() {
        let err = |t: &[&str]| args(t, &[], &[]).draft().unwrap_err().to_string();
        assert_eq!(
            err(&["by=USA,rate=ten"]),
            "--tariff #1: rate: expected a number, found \"ten\""
        );
        assert_eq!(
            err(&["by=USA,colour=red"]),
            "--tariff #1: unknown key \"colour\": expected one of by, sector, hs, rate"
        );
        assert_eq!(
            err(&["by=USA,sector=all,hs=87"]),
            "--tariff #1: give sector or hs, not both"
        );
        assert_eq!(
            err(&["USA:all:15"]),
            "--tariff #1: expected key=value, found \"USA:all:15\" (keys: by, sector, hs, rate)"
        );
    }
}
