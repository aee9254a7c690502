//! What every write shares: the partner, the talk as stored, versions, expiries, scoring, commits.

#[allow(unused_imports)]
use super::*;

/// A talk id / partner as typed: ISO3, a country name, or EU. Returns (code, name).
pub fn resolve_partner(text: &str) -> Result<(String, String)> {
    let t = text.trim();
    if matches!(t.to_ascii_uppercase().as_str(), "EU" | "EUU" | "EU27") {
        return Ok(("EUU".into(), "European Union".into()));
    }
    match reciprocity_data::registry::country(t) {
        Some(c) if c.iso3 == "USA" => Err(ServiceError::bad_input(
            "the United States is a party of every talk, not a partner",
        )),
        Some(c) if c.is_group => Err(ServiceError::bad_input(format!(
            "unknown partner {t:?}: {} is a group of countries; the blocs with talks are: EU",
            c.name
        ))),
        Some(c) => Ok((c.iso3.clone(), c.name.clone())),
        None => Err(ServiceError::bad_input(format!(
            "unknown partner {t:?}: expected an ISO3 code, a country name or EU"
        ))),
    }
}

/// The talk `id` (code, name or EU) with its proposals; [`ServiceError::NoTalk`] when there is
/// none.
pub fn load_talk(store: &dyn Store, id: &str) -> Result<(Negotiation, Vec<Proposal>)> {
    let (code, _) = resolve_partner(id)?;
    let talk = store
        .negotiation(&code)?
        .ok_or_else(|| ServiceError::NoTalk(code.clone()))?;
    let proposals = store.proposals(&code)?;
    Ok((talk, proposals))
}

/// [`ServiceError::StaleVersion`] when `expected` names another version than the talk's.
pub fn check_version(talk: &Negotiation, expected: Option<u64>) -> Result<()> {
    match expected {
        Some(v) if v != talk.version => Err(ServiceError::StaleVersion {
            talk: talk.id.clone(),
            stored: talk.version,
            expected: v,
        }),
        _ => Ok(()),
    }
}

/// The talk a write starts from, checked against `if_version`.
pub(super) fn talk_for_write(
    store: &dyn Store,
    id: &str,
    if_version: Option<u64>,
) -> Result<(Negotiation, Vec<Proposal>)> {
    let (talk, proposals) = load_talk(store, id)?;
    check_version(&talk, if_version)?;
    Ok((talk, proposals))
}

/// Record the end of the pause for every talk (but `except`) it has expired by `date`, to be
/// written with the caller's own changes, in the same transaction.
pub fn expiry_changes(
    store: &dyn Store,
    date: NaiveDate,
    except: Option<&str>,
) -> Result<Vec<Change>> {
    let mut out = Vec::new();
    for n in store.negotiations()? {
        if Some(n.id.as_str()) == except || !n.expiry_due(date) {
            continue;
        }
        let end = n.pause.end();
        let was = n.state;
        out.push(Change::AppendEvent(Event::new(
            &n.id,
            end,
            EventKind::Expired,
            None,
            format!(
                "the pause ended on {end} without a deal (was {was}): the suspended rates apply"
            ),
        )));
        out.push(Change::UpdateNegotiation(Negotiation {
            state: State::Expired,
            ..n
        }));
    }
    Ok(out)
}

/// [`expiry_changes`] of the talks other than `id` when `sweep`, else nothing.
pub(super) fn other_expiries(
    store: &dyn Store,
    date: NaiveDate,
    id: &str,
    sweep: bool,
) -> Result<Vec<Change>> {
    if sweep {
        expiry_changes(store, date, Some(id))
    } else {
        Ok(Vec::new())
    }
}

/// A change of a proposal's status, carrying its score over to the new version (the terms did
/// not change, so the score still holds).
pub fn status_change(
    store: &dyn Store,
    p: &Proposal,
    status: ProposalStatus,
) -> Result<Vec<Change>> {
    let mut out = vec![Change::UpdateProposal(Proposal {
        status,
        ..p.clone()
    })];
    if let Some(s) = store
        .scores(&p.negotiation)?
        .into_iter()
        .find(|s| s.proposal == p.number && s.proposal_version == p.version)
    {
        out.push(Change::PutScore(ScoreRecord {
            proposal_version: p.version + 1,
            ..s
        }));
    }
    Ok(out)
}

/// Validate a draft for `talk` against a world's `sectors`.
pub fn validate_terms(
    sectors: Vec<String>,
    talk: &Negotiation,
    draft: &TermsDraft,
) -> Result<Terms> {
    let ctx = reciprocity_negotiation::ValidationContext {
        partner: talk.partner.clone(),
        partner_aliases: if talk.partner == "EUU" {
            vec!["EU".into(), "EU27".into()]
        } else {
            vec![]
        },
        sectors,
    };
    reciprocity_negotiation::validate(draft, &ctx)
        .map_err(|e| ServiceError::bad_input(e.to_string()))
}

/// Score `terms` in `talk` on `world`, against the no-deal reference of the talk's pause end as
/// known on `date`.
pub fn score_terms(
    world: &NegotiationWorld,
    talk: &Negotiation,
    terms: &Terms,
    date: NaiveDate,
) -> Result<Scored> {
    let t0 = Instant::now();
    let partner = world.partner(&talk.partner, &talk.partner_name)?;
    let reference = world.reference(talk.pause.end(), date)?;
    let (reference, no_deal) = (&reference.0, &reference.1);
    let setup_ms = t0.elapsed().as_secs_f64() * 1e3;
    let t1 = Instant::now();
    let score = reciprocity_negotiation::score(&world.world, reference, &partner, terms)?;
    Ok(Scored {
        score,
        scoring_ms: t1.elapsed().as_secs_f64() * 1e3,
        setup_ms,
        no_deal: no_deal.describe(),
        world_notes: world.notes.clone(),
    })
}

/// A score as a stored record.
pub fn score_record(
    talk: &Negotiation,
    number: u32,
    proposal_version: u64,
    date: NaiveDate,
    score: Score,
) -> ScoreRecord {
    ScoreRecord {
        negotiation: talk.id.clone(),
        proposal: number,
        proposal_version,
        scored_on: date,
        score,
    }
}

/// One line: `US -0.0120%, JPN +0.3500% welfare vs no deal; US rate on JPN 24.0% → 15.0%; ...`
/// (the text of the `scored` and `accepted` events).
pub fn score_line(s: &Score) -> String {
    format!(
        "US {:+.4}%, {} {:+.4}% welfare vs no deal; US rate on {} {:.1}% → {:.1}%; {} rate on US goods {:.1}% → {:.1}%",
        s.us_welfare_pct,
        s.partner,
        s.partner_welfare_pct,
        s.partner,
        s.us_rate_no_deal_pct,
        s.us_rate_deal_pct,
        s.partner,
        s.partner_rate_no_deal_pct,
        s.partner_rate_deal_pct
    )
}

/// Commit `changes` and return the events among them with their log positions (`seq`) and their
/// positions in their talks' logs (`number`).
pub(super) fn commit(store: &mut dyn Store, changes: &[Change]) -> Result<Vec<Event>> {
    let committed = store.commit(changes)?;
    let appended = changes.iter().filter_map(|c| match c {
        Change::AppendEvent(e) => Some(e.clone()),
        _ => None,
    });
    let positions = committed
        .event_seqs
        .iter()
        .copied()
        .zip(committed.event_numbers.iter().copied())
        .chain(std::iter::repeat((0, 0)));
    Ok(appended
        .zip(positions)
        .map(|(e, (seq, number))| Event { seq, number, ..e })
        .collect())
}

/// A talk as the store keeps it after an update (the version read, plus one).
pub(super) fn bumped(talk: Negotiation) -> Negotiation {
    Negotiation {
        version: talk.version + 1,
        ..talk
    }
}

/// Who a side is in an event's text.
pub(super) fn who(talk: &Negotiation, side: Side) -> String {
    match side {
        Side::Us => "the US".into(),
        Side::Partner => talk.partner.clone(),
    }
}

/// The proposal `number` of a talk, or the state machine's refusal.
pub(super) fn proposal_in<'a>(
    talk: &Negotiation,
    proposals: &'a [Proposal],
    number: u32,
) -> Result<&'a Proposal> {
    proposals
        .iter()
        .find(|p| p.number == number)
        .ok_or_else(|| {
            ServiceError::Refused(format!(
                "talk {}: no proposal #{number} (the talk has {})",
                talk.id,
                proposals.len()
            ))
        })
}

/// Refuse when `side` is given and is not the side that answers `p`.
pub(super) fn check_answering_side(
    talk: &Negotiation,
    p: &Proposal,
    side: Option<Side>,
    verb: &str,
) -> Result<Side> {
    let answering = p.side.other();
    match side {
        Some(s) if s != answering => Err(ServiceError::Refused(format!(
            "talk {}: proposal #{} was tabled by {}: only {} can {verb} it",
            talk.id,
            p.number,
            who(talk, p.side),
            who(talk, answering)
        ))),
        _ => Ok(answering),
    }
}
