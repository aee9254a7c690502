//! The SQLite reads of proposals, scores and events, on any connection: the store's own reads
//! (in a read transaction) and the write path's check that what it wrote reads back (inside the
//! write transaction, before the commit).

use std::collections::BTreeMap;

use reciprocity_negotiation::{
    Event, EventKind, Proposal, ProposalStatus, PurchaseCommitment, Scope, Score, Side, TariffLine,
    TariffRateQuota, Terms,
};
use rusqlite::{params, Connection};

use super::parse_date;
use crate::dto::{parse_scope, ScoreDto};
use crate::{corrupt, n_terms, parse_side, ScoreRecord, StoreError};

/// SQLite's LIMIT takes an i64.
fn limit(n: u32) -> i64 {
    i64::from(n)
}

/// The rows of one talk's terms table (`tariff_lines`, `quotas`, `purchases`) of the proposals
/// numbered `first..=last`, in proposal and position order: the proposal number, the side column
/// `side` and the scope, parsed, and the value columns `values` (from column 3 on) as `read`
/// returns them.
fn term_rows<T>(
    conn: &Connection,
    table: &str,
    side: &str,
    values: &str,
    (negotiation, first, last): (&str, u32, u32),
    read: impl Fn(&rusqlite::Row) -> rusqlite::Result<T>,
) -> Result<Vec<(u32, Side, Scope, T)>, StoreError> {
    let mut stmt = conn.prepare(&format!(
        "SELECT number, {side}, scope, {values} FROM {table}
         WHERE negotiation = ?1 AND number >= ?2 AND number <= ?3 ORDER BY number, position"
    ))?;
    let rows = stmt.query_map(params![negotiation, first, last], |r| {
        Ok((
            r.get::<_, u32>(0)?,
            r.get::<_, String>(1)?,
            r.get::<_, String>(2)?,
            read(r)?,
        ))
    })?;
    let mut out = Vec::new();
    for row in rows {
        let (n, by, scope, v) = row?;
        out.push((
            n,
            parse_side(&format!("{table}.{side}"), &by)?,
            parse_scope(&scope).ok_or_else(|| corrupt(&format!("{table}.scope"), &scope))?,
            v,
        ));
    }
    Ok(out)
}

/// The terms of a talk's proposals numbered `first..=last`, by proposal number.
fn read_terms(
    conn: &Connection,
    range: (&str, u32, u32),
) -> Result<BTreeMap<u32, Terms>, StoreError> {
    let mut terms: BTreeMap<u32, Terms> = BTreeMap::new();
    let lines = term_rows(conn, "tariff_lines", "levied_by", "rate_pct", range, |r| {
        r.get::<_, f64>(3)
    })?;
    for (n, levied_by, scope, rate_pct) in lines {
        terms.entry(n).or_default().tariff_lines.push(TariffLine {
            levied_by,
            scope,
            rate_pct,
        });
    }
    let quotas = term_rows(
        conn,
        "quotas",
        "levied_by",
        "volume, unit_value_usd, in_quota_pct, out_quota_pct",
        range,
        |r| Ok((r.get(3)?, r.get(4)?, r.get(5)?, r.get(6)?)),
    )?;
    for (n, levied_by, scope, (volume, unit_value_usd, in_quota_pct, out_quota_pct)) in quotas {
        terms.entry(n).or_default().quotas.push(TariffRateQuota {
            levied_by,
            scope,
            volume,
            unit_value_usd,
            in_quota_pct,
            out_quota_pct,
        });
    }
    let purchases = term_rows(conn, "purchases", "buyer", "usd", range, |r| {
        r.get::<_, f64>(3)
    })?;
    for (n, buyer, scope, usd) in purchases {
        terms
            .entry(n)
            .or_default()
            .purchases
            .push(PurchaseCommitment { buyer, scope, usd });
    }
    let (negotiation, first, last) = range;
    let mut stmt = conn.prepare(
        "SELECT number, text FROM text_terms WHERE negotiation = ?1 AND number >= ?2 AND number <= ?3
         ORDER BY number, position",
    )?;
    let rows = stmt.query_map(params![negotiation, first, last], |r| {
        Ok((r.get::<_, u32>(0)?, r.get::<_, String>(1)?))
    })?;
    for row in rows {
        let (n, text) = row?;
        terms.entry(n).or_default().non_tariff.push(text);
    }
    Ok(terms)
}

/// At most `limit` proposals of a talk numbered after `after`, with their terms, by number. Call
/// it inside a transaction (the store's read transaction, or the write transaction checking a
/// write): the proposals and their terms are then from the same commit.
pub(super) fn read_proposals(
    conn: &Connection,
    negotiation: &str,
    after: u32,
    n: u32,
) -> Result<Vec<Proposal>, StoreError> {
    let mut stmt = conn.prepare(
        "SELECT number, side, counter_to, status, tabled, version, n_terms FROM proposals
         WHERE negotiation = ?1 AND number > ?2 ORDER BY number LIMIT ?3",
    )?;
    let rows = stmt
        .query_map(params![negotiation, after, limit(n)], |r| {
            Ok((
                r.get::<_, u32>(0)?,
                r.get::<_, String>(1)?,
                r.get::<_, Option<u32>>(2)?,
                r.get::<_, String>(3)?,
                r.get::<_, String>(4)?,
                r.get::<_, u64>(5)?,
                r.get::<_, i64>(6)?,
            ))
        })?
        .collect::<Result<Vec<_>, _>>()?;
    let (Some(first), Some(last)) = (rows.first(), rows.last()) else {
        return Ok(Vec::new());
    };
    let mut terms = read_terms(conn, (negotiation, first.0, last.0))?;
    let mut out = Vec::new();
    for (number, side, counter_to, status, tabled, version, count) in rows {
        let terms = terms.remove(&number).unwrap_or_default();
        if n_terms(&terms) as i64 != count {
            return Err(StoreError::Corrupt(format!(
                "proposal {negotiation}#{number}: {} of its {count} terms stored",
                n_terms(&terms) as i64
            )));
        }
        out.push(Proposal {
            negotiation: negotiation.to_string(),
            number,
            side: parse_side("proposals.side", &side)?,
            counter_to,
            status: ProposalStatus::parse(&status)
                .ok_or_else(|| corrupt("proposals.status", &status))?,
            terms,
            tabled: parse_date("proposals.tabled", &tabled)?,
            version,
        });
    }
    Ok(out)
}

/// The scores of a talk's proposals numbered `first..=last`.
pub(super) fn read_scores(
    conn: &Connection,
    negotiation: &str,
    first: u32,
    last: u32,
) -> Result<Vec<ScoreRecord>, StoreError> {
    let mut stmt = conn.prepare(
        "SELECT number, proposal_version, scored_on, details FROM scores
         WHERE negotiation = ?1 AND number >= ?2 AND number <= ?3 ORDER BY number",
    )?;
    let rows = stmt.query_map(params![negotiation, first, last], |r| {
        Ok((
            r.get::<_, u32>(0)?,
            r.get::<_, u64>(1)?,
            r.get::<_, String>(2)?,
            r.get::<_, String>(3)?,
        ))
    })?;
    let mut out = Vec::new();
    for row in rows {
        let (proposal, proposal_version, scored_on, details) = row?;
        let dto: ScoreDto = serde_json::from_str(&details)
            .map_err(|e| StoreError::Corrupt(format!("score of {negotiation}#{proposal}: {e}")))?;
        out.push(ScoreRecord {
            negotiation: negotiation.to_string(),
            proposal,
            proposal_version,
            scored_on: parse_date("scores.scored_on", &scored_on)?,
            score: Score::from(&dto),
        });
    }
    Ok(out)
}

/// Events in log order: of one talk numbered after `after` (at most `n`), or (`negotiation`
/// None) the whole log.
pub(super) fn read_events(
    conn: &Connection,
    negotiation: Option<&str>,
    after: u64,
    n: u32,
) -> Result<Vec<Event>, StoreError> {
    let mut stmt = conn.prepare(
        "SELECT seq, negotiation, date, kind, proposal, detail, number FROM events
         WHERE ?1 IS NULL OR (negotiation = ?1 AND number > ?2) ORDER BY seq LIMIT ?3",
    )?;
    let rows = stmt.query_map(params![negotiation, after as i64, limit(n)], |r| {
        Ok((
            r.get::<_, u64>(0)?,
            r.get::<_, String>(1)?,
            r.get::<_, String>(2)?,
            r.get::<_, String>(3)?,
            r.get::<_, Option<u32>>(4)?,
            r.get::<_, String>(5)?,
            r.get::<_, u64>(6)?,
        ))
    })?;
    let mut out = Vec::new();
    for row in rows {
        let (seq, negotiation, date, kind, proposal, detail, number) = row?;
        out.push(Event {
            seq,
            number,
            negotiation,
            date: parse_date("events.date", &date)?,
            kind: EventKind::parse(&kind).ok_or_else(|| corrupt("events.kind", &kind))?,
            proposal,
            detail,
        });
    }
    Ok(out)
}
