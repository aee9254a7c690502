//! Proposals: table (propose, counter, amend) with a GE score for both sides, accept, reject.
//! A team acts as `partner` on its own talk only; analysts cannot write.

use axum::extract::State;
use axum::http::StatusCode;
use reciprocity_service::talks::{
    self, AcceptRequest, RejectRequest, TableRequest, WithdrawRequest,
};
use serde::Serialize;
use utoipa::ToSchema;

use crate::auth::Caller;
use crate::dto::{
    parse_side, parse_stage, AcceptBody, EventOut, ProposalBody, ProposalOut, RejectBody, ScoreOut,
    TalkOut, WithdrawBody,
};
use crate::error::{ApiError, ErrorBody};
use crate::extract::{ApiJson, ApiPath};
use crate::json::Json;
use crate::quota::body_bytes;
use crate::AppState;

/// A proposal tabled, with its score for both sides.
#[derive(Debug, Serialize, ToSchema)]
pub struct TabledOut {
    /// The talk after the write (send its `version` as the next `if_version`).
    pub talk: TalkOut,
    /// The proposal as stored.
    pub proposal: ProposalOut,
    /// The GE score against no deal, for the US and the partner.
    pub score: Option<ScoreOut>,
    /// Where the no-deal rates came from.
    pub no_deal: Option<String>,
    /// What the world assumed.
    pub world_notes: Vec<String>,
    /// Milliseconds in the scoring call.
    pub scoring_ms: Option<f64>,
    /// Milliseconds solving the no-deal reference.
    pub setup_ms: Option<f64>,
    /// The events appended.
    pub events: Vec<EventOut>,
}

/// Table a proposal, a counterproposal (`counter_to`) or an amendment (`amend`), scored on the
/// server's world against no deal.
#[utoipa::path(post, path = "/api/v1/negotiations/{id}/proposals", tag = "negotiations", security(("bearer" = [])),
    params(("id" = String, Path, description = "The talk")),
    request_body = ProposalBody,
    responses((status = 201, body = TabledOut), (status = 400, body = ErrorBody), (status = 401, body = ErrorBody),
        (status = 403, body = ErrorBody), (status = 404, body = ErrorBody), (status = 409, body = ErrorBody),
        (status = 413, body = ErrorBody), (status = 422, body = ErrorBody)))]
pub async fn table(
    State(state): State<AppState>,
    caller: Caller,
    ApiPath(id): ApiPath<String>,
    ApiJson(body): ApiJson<ProposalBody>,
) -> Result<(StatusCode, Json<TabledOut>), ApiError> {
    let code = caller.writable_talk(&id)?;
    let side = caller.side(parse_side(body.side.as_deref())?)?;
    state.quotas().charge(&caller, &code, body_bytes(&body))?;
    let today = state.today();
    let date = caller.write_date(body.date.as_deref(), today)?;
    let req = TableRequest {
        sweep_other_talks: false,
        id: code,
        side,
        counter_to: body.counter_to,
        amend: body.amend,
        draft: body.terms.draft(),
        if_version: body.if_version,
        date,
        score: true,
        sectors: None,
    };
    let world = state.world().clone();
    let t = state
        .with_store_scoring(move |store| Ok(talks::table_proposal(store, Some(&world), &req)?))
        .await?;
    let stored = t.scored.as_ref().map(|s| {
        talks::score_record(
            &t.talk,
            t.proposal.number,
            t.proposal.version,
            date,
            s.score.clone(),
        )
    });
    Ok((
        StatusCode::CREATED,
        Json(TabledOut {
            talk: TalkOut::new(&t.talk, today),
            proposal: ProposalOut::new(&t.proposal, &t.talk.partner, stored.as_ref()),
            score: t.scored.as_ref().map(|s| ScoreOut::from(&s.score)),
            no_deal: t.scored.as_ref().map(|s| s.no_deal.clone()),
            world_notes: t
                .scored
                .as_ref()
                .map(|s| s.world_notes.clone())
                .unwrap_or_default(),
            scoring_ms: t.scored.as_ref().map(|s| s.scoring_ms),
            setup_ms: t.scored.as_ref().map(|s| s.setup_ms),
            events: t.events.iter().map(EventOut::from).collect(),
        }),
    ))
}

/// A proposal accepted or rejected.
#[derive(Debug, Serialize, ToSchema)]
pub struct TransitionOut {
    /// The talk after the write.
    pub talk: TalkOut,
    /// The proposal concerned.
    pub proposal: u32,
    /// The talk's new state.
    pub state: String,
    /// What happened.
    pub detail: String,
    /// The events appended.
    pub events: Vec<EventOut>,
}

impl TransitionOut {
    fn new(t: &talks::Transition, today: chrono::NaiveDate) -> TransitionOut {
        TransitionOut {
            talk: TalkOut::new(&t.talk, today),
            proposal: t.proposal,
            state: t.state.as_str().into(),
            detail: t.detail.clone(),
            events: t.events.iter().map(EventOut::from).collect(),
        }
    }
}

/// Accept a proposal (the side that did not table it): framework, agreement, or implementation.
#[utoipa::path(post, path = "/api/v1/negotiations/{id}/proposals/{n}/accept", tag = "negotiations",
    security(("bearer" = [])),
    params(("id" = String, Path, description = "The talk"), ("n" = u32, Path, description = "The proposal number")),
    request_body = AcceptBody,
    responses((status = 200, body = TransitionOut), (status = 400, body = ErrorBody), (status = 401, body = ErrorBody),
        (status = 403, body = ErrorBody), (status = 404, body = ErrorBody), (status = 409, body = ErrorBody),
        (status = 422, body = ErrorBody)))]
pub async fn accept(
    State(state): State<AppState>,
    caller: Caller,
    ApiPath((id, n)): ApiPath<(String, u32)>,
    ApiJson(body): ApiJson<AcceptBody>,
) -> Result<Json<TransitionOut>, ApiError> {
    let code = caller.writable_talk(&id)?;
    let side = caller.side(parse_side(body.side.as_deref())?)?;
    state.quotas().charge(&caller, &code, body_bytes(&body))?;
    let today = state.today();
    let req = AcceptRequest {
        sweep_other_talks: false,
        id: code,
        proposal: n,
        side,
        stage: parse_stage(body.stage.as_deref())?,
        if_version: body.if_version,
        date: caller.write_date(body.date.as_deref(), today)?,
    };
    let t = state
        .with_store(move |store| Ok(talks::accept(store, &req)?))
        .await?;
    Ok(Json(TransitionOut::new(&t, today)))
}

/// Reject a proposal (the side that did not table it); `collapse` breaks the talks off.
#[utoipa::path(post, path = "/api/v1/negotiations/{id}/proposals/{n}/reject", tag = "negotiations",
    security(("bearer" = [])),
    params(("id" = String, Path, description = "The talk"), ("n" = u32, Path, description = "The proposal number")),
    request_body = RejectBody,
    responses((status = 200, body = TransitionOut), (status = 400, body = ErrorBody), (status = 401, body = ErrorBody),
        (status = 403, body = ErrorBody), (status = 404, body = ErrorBody), (status = 409, body = ErrorBody),
        (status = 422, body = ErrorBody)))]
pub async fn reject(
    State(state): State<AppState>,
    caller: Caller,
    ApiPath((id, n)): ApiPath<(String, u32)>,
    ApiJson(body): ApiJson<RejectBody>,
) -> Result<Json<TransitionOut>, ApiError> {
    let code = caller.writable_talk(&id)?;
    let side = caller.side(parse_side(body.side.as_deref())?)?;
    state.quotas().charge(&caller, &code, body_bytes(&body))?;
    let today = state.today();
    let req = RejectRequest {
        sweep_other_talks: false,
        id: code,
        proposal: n,
        side,
        collapse: body.collapse,
        reason: body.reason,
        if_version: body.if_version,
        date: caller.write_date(body.date.as_deref(), today)?,
    };
    let t = state
        .with_store(move |store| Ok(talks::reject(store, &req)?))
        .await?;
    Ok(Json(TransitionOut::new(&t, today)))
}

/// Withdraw a proposal (admin only): its status becomes `withdrawn` and its stored score is
/// dropped (the repair of a talk whose score cannot be read); an accepted proposal cannot be.
#[utoipa::path(post, path = "/api/v1/negotiations/{id}/proposals/{n}/withdraw", tag = "negotiations",
    security(("bearer" = [])),
    params(("id" = String, Path, description = "The talk"), ("n" = u32, Path, description = "The proposal number")),
    request_body = WithdrawBody,
    responses((status = 200, body = TransitionOut), (status = 400, body = ErrorBody), (status = 401, body = ErrorBody),
        (status = 403, body = ErrorBody), (status = 404, body = ErrorBody), (status = 409, body = ErrorBody),
        (status = 422, body = ErrorBody)))]
pub async fn withdraw(
    State(state): State<AppState>,
    caller: Caller,
    ApiPath((id, n)): ApiPath<(String, u32)>,
    ApiJson(body): ApiJson<WithdrawBody>,
) -> Result<Json<TransitionOut>, ApiError> {
    let code = caller.writable_talk(&id)?;
    caller.admin_only("withdraw a proposal")?;
    let today = state.today();
    let req = WithdrawRequest {
        id: code,
        proposal: n,
        reason: body.reason,
        if_version: body.if_version,
        date: caller.write_date(body.date.as_deref(), today)?,
    };
    let t = state
        .with_store(move |store| Ok(talks::withdraw(store, &req)?))
        .await?;
    Ok(Json(TransitionOut::new(&t, today)))
}
