//! The PostgreSQL reads of proposals, scores and events, on any client: the store's own reads
//! (in a read-only snapshot) and the write path's check that what it wrote reads back (inside the
//! write transaction, before the commit).

use super::*;

/// PostgreSQL's LIMIT takes a BIGINT.
fn limit(n: u32) -> i64 {
    i64::from(n)
}

/// A proposal number as PostgreSQL's INTEGER (numbers past i32 cannot be stored: the end of range).
fn bound(n: u32) -> i32 {
    i32::try_from(n).unwrap_or(i32::MAX)
}

/// The terms of a talk's proposals numbered `first..=last`, by proposal number.
fn read_terms(
    c: &mut impl GenericClient,
    negotiation: &str,
    first: i32,
    last: i32,
) -> Result<BTreeMap<u32, Terms>, StoreError> {
    let mut terms: BTreeMap<u32, Terms> = BTreeMap::new();
    let scope = |table: &str, text: String| {
        parse_scope(&text).ok_or_else(|| corrupt(&format!("{table}.scope"), &text))
    };
    let range = "negotiation = $1 AND number >= $2 AND number <= $3 ORDER BY number, position";
    for row in c.query(
        &format!("SELECT number, levied_by, scope, rate_pct FROM tariff_lines WHERE {range}"),
        &[&negotiation, &first, &last],
    )? {
        terms
            .entry(get_u32(&row, 0, "tariff_lines.number")?)
            .or_default()
            .tariff_lines
            .push(TariffLine {
                levied_by: parse_side("tariff_lines.levied_by", row.try_get(1)?)?,
                scope: scope("tariff_lines", row.try_get(2)?)?,
                rate_pct: row.try_get(3)?,
            });
    }
    for row in c.query(
        &format!(
            "SELECT number, levied_by, scope, volume, unit_value_usd, in_quota_pct, out_quota_pct FROM quotas
             WHERE {range}"
        ),
        &[&negotiation, &first, &last],
    )? {
        terms
            .entry(get_u32(&row, 0, "quotas.number")?)
            .or_default()
            .quotas
            .push(TariffRateQuota {
                levied_by: parse_side("quotas.levied_by", row.try_get(1)?)?,
                scope: scope("quotas", row.try_get(2)?)?,
                volume: row.try_get(3)?,
                unit_value_usd: row.try_get(4)?,
                in_quota_pct: row.try_get(5)?,
                out_quota_pct: row.try_get(6)?,
            });
    }
    for row in c.query(
        &format!("SELECT number, buyer, scope, usd FROM purchases WHERE {range}"),
        &[&negotiation, &first, &last],
    )? {
        terms
            .entry(get_u32(&row, 0, "purchases.number")?)
            .or_default()
            .purchases
            .push(PurchaseCommitment {
                buyer: parse_side("purchases.buyer", row.try_get(1)?)?,
                scope: scope("purchases", row.try_get(2)?)?,
                usd: row.try_get(3)?,
            });
    }
    for row in c.query(
        &format!("SELECT number, text FROM text_terms WHERE {range}"),
        &[&negotiation, &first, &last],
    )? {
        terms
            .entry(get_u32(&row, 0, "text_terms.number")?)
            .or_default()
            .non_tariff
            .push(row.try_get(1)?);
    }
    Ok(terms)
}

/// At most `n` proposals of a talk numbered after `after`, with their terms, by number. Call it in
/// one snapshot (a read-only REPEATABLE READ transaction, or the write transaction checking a
/// write): the proposals and their terms are then from the same commit.
pub(super) fn read_proposals(
    c: &mut impl GenericClient,
    negotiation: &str,
    after: u32,
    n: u32,
) -> Result<Vec<Proposal>, StoreError> {
    let rows = c.query(
        "SELECT number, side, counter_to, status, tabled, version, n_terms FROM proposals
         WHERE negotiation = $1 AND number > $2 ORDER BY number LIMIT $3",
        &[&negotiation, &bound(after), &limit(n)],
    )?;
    let (Some(first), Some(last)) = (rows.first(), rows.last()) else {
        return Ok(Vec::new());
    };
    let (first, last): (i32, i32) = (first.try_get(0)?, last.try_get(0)?);
    let mut terms = read_terms(c, negotiation, first, last)?;
    let mut out = Vec::new();
    for row in rows {
        let number = get_u32(&row, 0, "proposals.number")?;
        let count: i32 = row.try_get(6)?;
        let terms = terms.remove(&number).unwrap_or_default();
        if n_terms(&terms) as i32 != count {
            return Err(StoreError::Corrupt(format!(
                "proposal {negotiation}#{number}: {} of its {count} terms stored",
                n_terms(&terms) as i32
            )));
        }
        let status: String = row.try_get(3)?;
        out.push(Proposal {
            negotiation: negotiation.to_string(),
            number,
            side: parse_side("proposals.side", row.try_get(1)?)?,
            counter_to: get_opt_u32(&row, 2, "proposals.counter_to")?,
            status: ProposalStatus::parse(&status)
                .ok_or_else(|| corrupt("proposals.status", &status))?,
            terms,
            tabled: row.try_get(4)?,
            version: get_u64(&row, 5, "proposals.version")?,
        });
    }
    Ok(out)
}

/// The scores of a talk's proposals numbered `first..=last`.
pub(super) fn read_scores(
    c: &mut impl GenericClient,
    negotiation: &str,
    first: u32,
    last: u32,
) -> Result<Vec<ScoreRecord>, StoreError> {
    let rows = c.query(
        "SELECT number, proposal_version, scored_on, details FROM scores
         WHERE negotiation = $1 AND number >= $2 AND number <= $3 ORDER BY number",
        &[&negotiation, &bound(first), &bound(last)],
    )?;
    let mut out = Vec::new();
    for row in rows {
        let proposal = get_u32(&row, 0, "scores.number")?;
        let details: String = row.try_get(3)?;
        let dto: ScoreDto = serde_json::from_str(&details)
            .map_err(|e| StoreError::Corrupt(format!("score of {negotiation}#{proposal}: {e}")))?;
        out.push(ScoreRecord {
            negotiation: negotiation.to_string(),
            proposal,
            proposal_version: get_u64(&row, 1, "scores.proposal_version")?,
            scored_on: row.try_get(2)?,
            score: Score::from(&dto),
        });
    }
    Ok(out)
}

/// Events in log order: of one talk numbered after `after` (at most `n`), or (`negotiation`
/// None) the whole log.
pub(super) fn read_events(
    c: &mut impl GenericClient,
    negotiation: Option<&str>,
    after: u64,
    n: u32,
) -> Result<Vec<Event>, StoreError> {
    let rows = c.query(
        "SELECT seq, negotiation, date, kind, proposal, detail, number FROM events
         WHERE $1::TEXT IS NULL OR (negotiation = $1 AND number > $2) ORDER BY seq LIMIT $3",
        &[
            &negotiation,
            &i64::try_from(after).unwrap_or(i64::MAX),
            &limit(n),
        ],
    )?;
    let mut out = Vec::new();
    for row in rows {
        let kind: String = row.try_get(3)?;
        out.push(Event {
            seq: get_u64(&row, 0, "events.seq")?,
            number: get_u64(&row, 6, "events.number")?,
            negotiation: row.try_get(1)?,
            date: row.try_get(2)?,
            kind: EventKind::parse(&kind).ok_or_else(|| corrupt("events.kind", &kind))?,
            proposal: get_opt_u32(&row, 4, "events.proposal")?,
            detail: row.try_get(5)?,
        });
    }
    Ok(out)
}
