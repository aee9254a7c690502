//! The write path: one change set applied in one transaction (versions checked, terms and
//! extensions written, the event log appended), retried on serialization failures.

use super::*;

pub(super) fn stored_version(
    tx: &mut Transaction<'_>,
    sql: &str,
    p: &[&(dyn ::postgres::types::ToSql + Sync)],
) -> Result<Option<u64>, StoreError> {
    tx.query_opt(sql, p)?
        .map(|r| get_u64(&r, 0, "version"))
        .transpose()
}

pub(super) fn write_extensions(
    tx: &mut Transaction<'_>,
    n: &Negotiation,
) -> Result<(), StoreError> {
    tx.execute(
        "DELETE FROM pause_extensions WHERE negotiation = $1",
        &[&n.id],
    )?;
    if n.pause.extensions.is_empty() {
        return Ok(());
    }
    let insert = tx.prepare(
        "INSERT INTO pause_extensions (negotiation, position, announced, new_end) VALUES ($1, $2, $3, $4)",
    )?;
    for (i, e) in n.pause.extensions.iter().enumerate() {
        tx.execute(&insert, &[&n.id, &(i as i32), &e.announced, &e.new_end])?;
    }
    Ok(())
}

pub(super) fn write_terms(tx: &mut Transaction<'_>, p: &Proposal) -> Result<(), StoreError> {
    let number = int("proposal number", p.number)?;
    for table in ["tariff_lines", "quotas", "purchases", "text_terms"] {
        tx.execute(
            &format!("DELETE FROM {table} WHERE negotiation = $1 AND number = $2"),
            &[&p.negotiation, &number],
        )?;
    }
    if !p.terms.tariff_lines.is_empty() {
        let insert = tx.prepare(
            "INSERT INTO tariff_lines (negotiation, number, position, levied_by, scope, rate_pct) VALUES ($1, $2, $3, $4, $5, $6)",
        )?;
        for (i, l) in p.terms.tariff_lines.iter().enumerate() {
            tx.execute(
                &insert,
                &[
                    &p.negotiation,
                    &number,
                    &(i as i32),
                    &l.levied_by.as_str(),
                    &scope_text(&l.scope),
                    &l.rate_pct,
                ],
            )?;
        }
    }
    if !p.terms.quotas.is_empty() {
        let insert = tx.prepare(
            "INSERT INTO quotas (negotiation, number, position, levied_by, scope, volume, unit_value_usd, in_quota_pct, out_quota_pct)
             VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9)",
        )?;
        for (i, q) in p.terms.quotas.iter().enumerate() {
            tx.execute(
                &insert,
                &[
                    &p.negotiation,
                    &number,
                    &(i as i32),
                    &q.levied_by.as_str(),
                    &scope_text(&q.scope),
                    &q.volume,
                    &q.unit_value_usd,
                    &q.in_quota_pct,
                    &q.out_quota_pct,
                ],
            )?;
        }
    }
    if !p.terms.purchases.is_empty() {
        let insert = tx.prepare(
            "INSERT INTO purchases (negotiation, number, position, buyer, scope, usd) VALUES ($1, $2, $3, $4, $5, $6)",
        )?;
        for (i, u) in p.terms.purchases.iter().enumerate() {
            tx.execute(
                &insert,
                &[
                    &p.negotiation,
                    &number,
                    &(i as i32),
                    &u.buyer.as_str(),
                    &scope_text(&u.scope),
                    &u.usd,
                ],
            )?;
        }
    }
    if !p.terms.non_tariff.is_empty() {
        let insert = tx.prepare(
            "INSERT INTO text_terms (negotiation, number, position, text) VALUES ($1, $2, $3, $4)",
        )?;
        for (i, t) in p.terms.non_tariff.iter().enumerate() {
            tx.execute(&insert, &[&p.negotiation, &number, &(i as i32), t])?;
        }
    }
    Ok(())
}

/// The last log position, and the last position in each talk's log read so far, once the commit
/// holds the log's write lock.
pub(super) struct LogCursor {
    pub(super) last: i64,
    pub(super) talks: BTreeMap<String, i64>,
}

/// Read proposal `p` back inside the write transaction, before the commit: what would not read
/// back as written (at `version`) is refused, so one request cannot break its talk's reads.
fn check_written(tx: &mut Transaction<'_>, p: &Proposal, version: u64) -> Result<(), StoreError> {
    let expected = Proposal {
        version,
        ..p.clone()
    };
    let back = read_proposals(tx, &p.negotiation, p.number.saturating_sub(1), 1);
    crate::check_read_back(&expected, back)
}

pub(super) fn apply(
    tx: &mut Transaction<'_>,
    change: &Change,
    log: &mut Option<LogCursor>,
    committed: &mut Committed,
) -> Result<(), StoreError> {
    match change {
        Change::InsertNegotiation(n) => insert_negotiation(tx, n),
        Change::UpdateNegotiation(n) => update_negotiation(tx, n),
        Change::InsertProposal(p) => insert_proposal(tx, p),
        Change::UpdateProposal(p) => update_proposal(tx, p),
        Change::PutScore(s) => put_score(tx, s),
        Change::DeleteScore {
            negotiation,
            proposal,
        } => {
            tx.execute(
                "DELETE FROM scores WHERE negotiation = $1 AND number = $2",
                &[negotiation, &int("proposal number", *proposal)?],
            )?;
            Ok(())
        }
        Change::AppendEvent(e) => append_event(tx, e, false, log, committed),
        Change::RestoreEvent(e) => append_event(tx, e, true, log, committed),
    }
}

fn insert_negotiation(tx: &mut Transaction<'_>, n: &Negotiation) -> Result<(), StoreError> {
    let rows = tx.execute(
        "INSERT INTO negotiations (id, partner, partner_name, state, pause_start, original_end, opened, version)
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8) ON CONFLICT (id) DO NOTHING",
        &[
            &n.id,
            &n.partner,
            &n.partner_name,
            &n.state.as_str(),
            &n.pause.start,
            &n.pause.original_end,
            &n.opened,
            &big("talk version", n.version.max(1))?,
        ],
    )?;
    if rows == 0 {
        return Err(StoreError::Duplicate(format!("talk {}", n.id)));
    }
    write_extensions(tx, n)?;
    Ok(())
}

fn update_negotiation(tx: &mut Transaction<'_>, n: &Negotiation) -> Result<(), StoreError> {
    let rows = tx.execute(
        "UPDATE negotiations SET partner = $1, partner_name = $2, state = $3, pause_start = $4, original_end = $5,
         opened = $6, version = version + 1 WHERE id = $7 AND version = $8",
        &[
            &n.partner,
            &n.partner_name,
            &n.state.as_str(),
            &n.pause.start,
            &n.pause.original_end,
            &n.opened,
            &n.id,
            &big("talk version", n.version)?,
        ],
    )?;
    if rows == 0 {
        let sql = "SELECT version FROM negotiations WHERE id = $1";
        let stored = stored_version(tx, sql, &[&n.id])?;
        return Err(stale_update(format!("talk {}", n.id), n.version, stored));
    }
    write_extensions(tx, n)?;
    Ok(())
}

fn insert_proposal(tx: &mut Transaction<'_>, p: &Proposal) -> Result<(), StoreError> {
    let sql = "SELECT version FROM negotiations WHERE id = $1";
    if stored_version(tx, sql, &[&p.negotiation])?.is_none() {
        return Err(StoreError::NotFound(format!("talk {}", p.negotiation)));
    }
    let rows = tx.execute(
        "INSERT INTO proposals (negotiation, number, side, counter_to, status, tabled, version, n_terms)
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8) ON CONFLICT (negotiation, number) DO NOTHING",
        &[
            &p.negotiation,
            &int("proposal number", p.number)?,
            &p.side.as_str(),
            &p.counter_to.map(|c| int("counter_to", c)).transpose()?,
            &p.status.as_str(),
            &p.tabled,
            &big("proposal version", p.version.max(1))?,
            &(n_terms(&p.terms) as i32),
        ],
    )?;
    if rows == 0 {
        return Err(StoreError::Duplicate(format!(
            "proposal {}#{}",
            p.negotiation, p.number
        )));
    }
    write_terms(tx, p)?;
    check_written(tx, p, p.version.max(1))?;
    Ok(())
}

fn update_proposal(tx: &mut Transaction<'_>, p: &Proposal) -> Result<(), StoreError> {
    let number = int("proposal number", p.number)?;
    let rows = tx.execute(
        "UPDATE proposals SET side = $1, counter_to = $2, status = $3, tabled = $4, n_terms = $5, version = version + 1
         WHERE negotiation = $6 AND number = $7 AND version = $8",
        &[
            &p.side.as_str(),
            &p.counter_to.map(|c| int("counter_to", c)).transpose()?,
            &p.status.as_str(),
            &p.tabled,
            &(n_terms(&p.terms) as i32),
            &p.negotiation,
            &number,
            &big("proposal version", p.version)?,
        ],
    )?;
    if rows == 0 {
        let sql = "SELECT version FROM proposals WHERE negotiation = $1 AND number = $2";
        let what = format!("proposal {}#{}", p.negotiation, p.number);
        let stored = stored_version(tx, sql, &[&p.negotiation, &number])?;
        return Err(stale_update(what, p.version, stored));
    }
    write_terms(tx, p)?;
    check_written(tx, p, p.version + 1)?;
    Ok(())
}

fn put_score(tx: &mut Transaction<'_>, s: &ScoreRecord) -> Result<(), StoreError> {
    let details = crate::score_details(s)?;
    tx.execute(
        "INSERT INTO scores (negotiation, number, proposal_version, world, scored_on, us_welfare_pct,
         partner_welfare_pct, details) VALUES ($1, $2, $3, $4, $5, $6, $7, $8)
         ON CONFLICT (negotiation, number) DO UPDATE SET proposal_version = EXCLUDED.proposal_version,
         world = EXCLUDED.world, scored_on = EXCLUDED.scored_on, us_welfare_pct = EXCLUDED.us_welfare_pct,
         partner_welfare_pct = EXCLUDED.partner_welfare_pct, details = EXCLUDED.details",
        &[
            &s.negotiation,
            &int("proposal number", s.proposal)?,
            &big("proposal version", s.proposal_version)?,
            &s.score.world,
            &s.scored_on,
            &s.score.us_welfare_pct,
            &s.score.partner_welfare_pct,
            &details,
        ],
    )?;
    Ok(())
}

/// Append an event (or restore one from an export, keeping its numbers).
fn append_event(
    tx: &mut Transaction<'_>,
    e: &Event,
    restore: bool,
    log: &mut Option<LogCursor>,
    committed: &mut Committed,
) -> Result<(), StoreError> {
    let cursor = match log {
        Some(c) => c,
        None => {
            // Appenders queue here; readers of the log are not blocked.
            tx.batch_execute("LOCK TABLE events IN SHARE ROW EXCLUSIVE MODE")?;
            let last: i64 = tx
                .query_one("SELECT COALESCE(MAX(seq), 0) FROM events", &[])?
                .try_get(0)?;
            log.insert(LogCursor {
                last,
                talks: BTreeMap::new(),
            })
        }
    };
    let seq = if restore {
        big("event seq", e.seq)?
    } else {
        cursor.last + 1
    };
    // Under the same lock: no other writer can take this talk's next number.
    let last_number = match cursor.talks.get(&e.negotiation) {
        Some(n) => *n,
        None => tx
            .query_one(
                "SELECT COALESCE(MAX(number), 0) FROM events WHERE negotiation = $1",
                &[&e.negotiation],
            )?
            .try_get(0)?,
    };
    let next = u64::try_from(last_number + 1)
        .map_err(|_| corrupt("events.number", &last_number.to_string()))?;
    let number = if restore {
        crate::restored_number(e, next)?
    } else {
        next
    };
    cursor.talks.insert(e.negotiation.clone(), last_number + 1);
    tx.execute(
        "INSERT INTO events (seq, negotiation, number, date, kind, proposal, detail) VALUES ($1, $2, $3, $4, $5, $6, $7)",
        &[
            &seq,
            &e.negotiation,
            &big("event number", number)?,
            &e.date,
            &e.kind.as_str(),
            &e.proposal.map(|p| int("event proposal", p)).transpose()?,
            &e.detail,
        ],
    )?;
    cursor.last = cursor.last.max(seq);
    committed.event_seqs.push(seq as u64);
    committed.event_numbers.push(number);
    Ok(())
}

pub(super) fn commit_once(
    client: &mut Client,
    changes: &[Change],
) -> Result<Committed, StoreError> {
    // READ COMMITTED explicitly: the conflict check above relies on its re-check of a locked row,
    // whatever the server's default_transaction_isolation.
    let mut tx = client
        .build_transaction()
        .isolation_level(IsolationLevel::ReadCommitted)
        .start()?;
    let mut committed = Committed::default();
    let mut log = None;
    for change in changes {
        apply(&mut tx, change, &mut log, &mut committed)?;
    }
    tx.commit()?;
    Ok(committed)
}

/// Whether an error means the connection cannot be used again: closed, an I/O failure, a fatal
/// server error (e.g. 57P01, terminated by an administrator) or a connection exception (class 08).
pub(super) fn connection_lost(e: &::postgres::Error) -> bool {
    if e.is_closed() {
        return true;
    }
    if let Some(db) = e.as_db_error() {
        return matches!(db.severity(), "FATAL" | "PANIC") || db.code().code().starts_with("08");
    }
    std::error::Error::source(e).is_some_and(|s| s.is::<std::io::Error>())
}

pub(super) fn is_retryable(e: &StoreError) -> bool {
    matches!(e, StoreError::Postgres(e)
        if e.code() == Some(&SqlState::T_R_DEADLOCK_DETECTED)
            || e.code() == Some(&SqlState::T_R_SERIALIZATION_FAILURE))
}
