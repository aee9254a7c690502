//! The record's size limits (issue 15, item 6): every text a request can put in the record has a
//! documented bound, and so do a proposal and a talk, so one caller cannot grow the record (and
//! every later read of it) without end. The server adds per-token write quotas on top.
//! Refusals are [`ServiceError::BadInput`] naming the request field.

#[allow(unused_imports)]
use super::*;

/// A non-tariff term's text: 4 KiB, a long paragraph. (UTF-8 bytes, not characters.)
pub const MAX_TEXT_TERM_BYTES: usize = 4096;
/// A reason given when rejecting or withdrawing a proposal: 4 KiB.
pub const MAX_REASON_BYTES: usize = 4096;
/// A code typed in a request (a partner, a side, a sector or HS scope): 64 bytes, far above the
/// longest sector code of a world.
pub const MAX_CODE_BYTES: usize = 64;
/// Terms in one proposal (tariff lines, quotas, purchases and texts together): 5,000. Over the
/// API the 256 KiB body limit binds first; the CLI's crash test tables 3,000 text terms to make a
/// write long enough to be killed in.
pub const MAX_TERMS: usize = 5000;
/// Proposals in one talk: 1,000 (the 2025 talks tabled a handful each).
pub const MAX_PROPOSALS_PER_TALK: usize = 1000;
/// The page size of talk details and logs when the caller names none.
pub const DEFAULT_PAGE: u32 = 100;
/// The largest page size.
pub const MAX_PAGE: u32 = 500;

fn too_long(field: &'static str, item: Option<usize>, max: usize, found: usize) -> ServiceError {
    let at = item.map_or(String::new(), |i| format!("item {}: ", i + 1));
    ServiceError::bad_field(
        field,
        format!("{at}expected at most {max} bytes, found {found}"),
    )
}

/// Refuse a text over `max` bytes, naming the field (and the item of a list).
pub fn check_text(field: &'static str, item: Option<usize>, text: &str, max: usize) -> Result<()> {
    if text.len() > max {
        return Err(too_long(field, item, max, text.len()));
    }
    Ok(())
}

/// Refuse a draft with too many terms, or a text or code over its bound. Runs before the terms
/// are validated, so no error message echoes an oversize value.
pub fn check_draft_size(draft: &TermsDraft) -> Result<()> {
    let n = draft.tariff_lines.len()
        + draft.quotas.len()
        + draft.purchases.len()
        + draft.non_tariff.len();
    if n > MAX_TERMS {
        return Err(ServiceError::bad_field(
            "terms",
            format!("expected at most {MAX_TERMS} terms in a proposal, found {n}"),
        ));
    }
    let code = |field, i, v: &Option<String>| {
        v.as_deref()
            .map_or(Ok(()), |t| check_text(field, Some(i), t, MAX_CODE_BYTES))
    };
    for (i, l) in draft.tariff_lines.iter().enumerate() {
        code("terms.tariff_lines.by", i, &l.by)?;
        code("terms.tariff_lines.scope", i, &l.scope)?;
    }
    for (i, q) in draft.quotas.iter().enumerate() {
        code("terms.quotas.by", i, &q.by)?;
        code("terms.quotas.scope", i, &q.scope)?;
    }
    for (i, p) in draft.purchases.iter().enumerate() {
        code("terms.purchases.by", i, &p.by)?;
        code("terms.purchases.scope", i, &p.scope)?;
    }
    for (i, t) in draft.non_tariff.iter().enumerate() {
        check_text("terms.text", Some(i), t, MAX_TEXT_TERM_BYTES)?;
    }
    Ok(())
}

/// Refuse a new proposal in a talk that holds [`MAX_PROPOSALS_PER_TALK`] already.
pub fn check_room(talk: &Negotiation, proposals: &[Proposal]) -> Result<()> {
    if proposals.len() >= MAX_PROPOSALS_PER_TALK {
        return Err(ServiceError::Refused(format!(
            "talk {}: it holds {} proposals, the most a talk may hold ({MAX_PROPOSALS_PER_TALK}): amend an open one",
            talk.id,
            proposals.len()
        )));
    }
    Ok(())
}

/// A page of a list numbered 1, 2, ...: the items numbered after `after`, at most `limit`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Page {
    /// The number of the last item of the previous page (0: from the start).
    pub after: u64,
    /// At most this many items, 1 to [`MAX_PAGE`].
    pub limit: u32,
}

impl Default for Page {
    fn default() -> Page {
        Page {
            after: 0,
            limit: DEFAULT_PAGE,
        }
    }
}

impl Page {
    /// A page as requested: `limit` defaults to [`DEFAULT_PAGE`] and must be 1 to [`MAX_PAGE`].
    pub fn new(after: Option<u64>, limit: Option<u32>) -> Result<Page> {
        let limit = limit.unwrap_or(DEFAULT_PAGE);
        if !(1..=MAX_PAGE).contains(&limit) {
            return Err(ServiceError::bad_field(
                "limit",
                format!("expected 1 to {MAX_PAGE}, found {limit}"),
            ));
        }
        Ok(Page {
            after: after.unwrap_or(0),
            limit,
        })
    }
}
