//! The talks: the board, opening a talk, one talk, its log, extending its pause.
//! A team sees its own talk only; every other talk is 404 (see [`crate::auth`]).

use axum::extract::State;
use axum::http::StatusCode;
use reciprocity_service::talks::{self, OpenRequest};
use serde::Serialize;
use utoipa::ToSchema;

use crate::auth::{Caller, Role};
use crate::dto::{
    parse_date, parse_opt_date, EventOut, ExtendBody, OpenTalkBody, PageQuery, ProposalOut, TalkOut,
};
use crate::error::{ApiError, ErrorBody};
use crate::extract::{ApiJson, ApiPath, ApiQuery};
use crate::json::Json;
use crate::AppState;

/// The best proposal's score on the board.
#[derive(Debug, Serialize, ToSchema)]
pub struct BestScoreOut {
    /// The proposal.
    pub proposal: u32,
    /// US welfare, % vs no deal.
    pub us_welfare_pct: f64,
    /// The partner's welfare, % vs no deal.
    pub partner_welfare_pct: f64,
}

/// One row of the board.
#[derive(Debug, Serialize, ToSchema)]
pub struct BoardRowOut {
    /// The talk id (partner code).
    pub id: String,
    /// The partner's code.
    pub partner: String,
    /// The partner's name.
    pub partner_name: String,
    /// The state on the server's today.
    pub state: String,
    /// The day the rates snap back.
    #[schema(format = Date)]
    pub pause_end: String,
    /// Days left in the pause (0 once ended or a deal is reached).
    pub days_left: i64,
    /// The talk's version.
    pub version: u64,
    /// Proposals tabled.
    pub proposals: usize,
    /// Of which open.
    pub open: usize,
    /// The best proposal (the accepted one, else the open one whose worse-off side gains most).
    pub best_proposal: Option<u32>,
    /// Its score, when scored.
    pub best_score: Option<BestScoreOut>,
    /// Why the talk's proposals cannot be read, when they cannot (a damaged record): the row
    /// shows the talk without them; the other rows are unaffected.
    pub problem: Option<String>,
}

/// The board: every talk the caller may see, with its state, days left and best proposal.
#[utoipa::path(get, path = "/api/v1/negotiations", tag = "negotiations", security(("bearer" = [])),
    responses((status = 200, body = Vec<BoardRowOut>), (status = 401, body = ErrorBody)))]
pub async fn board(
    State(state): State<AppState>,
    caller: Caller,
) -> Result<Json<Vec<BoardRowOut>>, ApiError> {
    let today = state.today();
    let rows = state
        .with_store(move |store| Ok(talks::board(store, today)?))
        .await?;
    let out = rows
        .into_iter()
        .filter(|r| match &caller.role {
            Role::Team(code) => r.talk.id == *code,
            _ => true,
        })
        .map(|r| BoardRowOut {
            id: r.talk.id.clone(),
            partner: r.talk.partner.clone(),
            partner_name: r.talk.partner_name.clone(),
            state: r.state.as_str().into(),
            pause_end: r.talk.pause.end().format("%Y-%m-%d").to_string(),
            days_left: r.days_left,
            version: r.talk.version,
            proposals: r.proposals,
            open: r.open,
            best_proposal: r.best.as_ref().map(|b| b.proposal),
            best_score: r.best.as_ref().and_then(|b| {
                b.score.as_ref().map(|s| BestScoreOut {
                    proposal: b.proposal,
                    us_welfare_pct: s.score.us_welfare_pct,
                    partner_welfare_pct: s.score.partner_welfare_pct,
                })
            }),
            problem: r.problem.clone(),
        })
        .collect();
    Ok(Json(out))
}

/// A talk opened, with the events written.
#[derive(Debug, Serialize, ToSchema)]
pub struct OpenedOut {
    /// The talk.
    pub talk: TalkOut,
    /// The events appended (expiries of other talks due on the date included).
    pub events: Vec<EventOut>,
}

/// Open a talk (admin only).
#[utoipa::path(post, path = "/api/v1/negotiations", tag = "negotiations", security(("bearer" = [])),
    request_body = OpenTalkBody,
    responses((status = 201, body = OpenedOut), (status = 400, body = ErrorBody),
        (status = 401, body = ErrorBody), (status = 403, body = ErrorBody), (status = 409, body = ErrorBody)))]
pub async fn open(
    State(state): State<AppState>,
    caller: Caller,
    ApiJson(body): ApiJson<OpenTalkBody>,
) -> Result<(StatusCode, Json<OpenedOut>), ApiError> {
    caller.admin_only("open talks")?;
    let today = state.today();
    let req = OpenRequest {
        partner: body.partner,
        date: parse_opt_date("date", body.date.as_deref())?.unwrap_or(today),
        start: parse_opt_date("start", body.start.as_deref())?,
        days: body.days,
        end: parse_opt_date("end", body.end.as_deref())?,
    };
    let opened = state
        .with_store(move |store| Ok(talks::open_talk(store, &req)?))
        .await?;
    Ok((
        StatusCode::CREATED,
        Json(OpenedOut {
            talk: TalkOut::new(&opened.talk, today),
            events: opened.events.iter().map(EventOut::from).collect(),
        }),
    ))
}

/// One talk with a page of its proposals and their scores.
#[derive(Debug, Serialize, ToSchema)]
pub struct TalkDetailOut {
    /// The talk.
    pub talk: TalkOut,
    /// A page of its proposals, by number, each with its stored score.
    pub proposals: Vec<ProposalOut>,
    /// When there are more proposals: send it as `after` for the next page.
    pub next_after: Option<u32>,
}

/// One talk, with a page of its proposals (`?after=N&limit=M`: the proposals numbered after N, at
/// most M, default 100, at most 500).
#[utoipa::path(get, path = "/api/v1/negotiations/{id}", tag = "negotiations", security(("bearer" = [])),
    params(("id" = String, Path, description = "The talk: the partner's ISO3 code (EU: EUU)"), PageQuery),
    responses((status = 200, body = TalkDetailOut), (status = 400, body = ErrorBody), (status = 401, body = ErrorBody),
        (status = 404, body = ErrorBody)))]
pub async fn detail(
    State(state): State<AppState>,
    caller: Caller,
    ApiPath(id): ApiPath<String>,
    ApiQuery(q): ApiQuery<PageQuery>,
) -> Result<Json<TalkDetailOut>, ApiError> {
    let code = caller.readable_talk(&id)?;
    let page = talks::Page::new(q.after, q.limit)?;
    let today = state.today();
    let d = state
        .with_store(move |store| Ok(talks::talk_detail_page(store, &code, page)?))
        .await?;
    Ok(Json(TalkDetailOut {
        talk: TalkOut::new(&d.talk, today),
        proposals: d
            .proposals
            .iter()
            .map(|p| ProposalOut::new(p, &d.talk.partner, d.score_of(p.number)))
            .collect(),
        next_after: d.next_after,
    }))
}

/// A page of a talk's log.
#[derive(Debug, Serialize, ToSchema)]
pub struct LogOut {
    /// The events, in order, numbered 1, 2, ... in the talk's log.
    pub events: Vec<EventOut>,
    /// When there are more events: send it as `after` for the next page.
    pub next_after: Option<u64>,
}

/// The talk's events, in order (`?after=N&limit=M`: the events numbered after N, at most M,
/// default 100, at most 500).
#[utoipa::path(get, path = "/api/v1/negotiations/{id}/log", tag = "negotiations", security(("bearer" = [])),
    params(("id" = String, Path, description = "The talk"), PageQuery),
    responses((status = 200, body = LogOut), (status = 400, body = ErrorBody), (status = 401, body = ErrorBody),
        (status = 404, body = ErrorBody)))]
pub async fn log(
    State(state): State<AppState>,
    caller: Caller,
    ApiPath(id): ApiPath<String>,
    ApiQuery(q): ApiQuery<PageQuery>,
) -> Result<Json<LogOut>, ApiError> {
    let code = caller.readable_talk(&id)?;
    let page = talks::Page::new(q.after, q.limit)?;
    let p = state
        .with_store(move |store| Ok(talks::log_page(store, &code, page)?))
        .await?;
    Ok(Json(LogOut {
        events: p.events.iter().map(EventOut::from).collect(),
        next_after: p.next_after,
    }))
}

/// A pause extended.
#[derive(Debug, Serialize, ToSchema)]
pub struct ExtendedOut {
    /// The talk after the write.
    pub talk: TalkOut,
    /// The day the rates would have snapped back.
    #[schema(format = Date)]
    pub old_end: String,
    /// The events appended.
    pub events: Vec<EventOut>,
}

/// Move the day the rates snap back (admin only).
#[utoipa::path(post, path = "/api/v1/negotiations/{id}/extend", tag = "negotiations", security(("bearer" = [])),
    params(("id" = String, Path, description = "The talk")),
    request_body = ExtendBody,
    responses((status = 200, body = ExtendedOut), (status = 400, body = ErrorBody), (status = 401, body = ErrorBody),
        (status = 403, body = ErrorBody), (status = 404, body = ErrorBody), (status = 409, body = ErrorBody),
        (status = 422, body = ErrorBody)))]
pub async fn extend(
    State(state): State<AppState>,
    caller: Caller,
    ApiPath(id): ApiPath<String>,
    ApiJson(body): ApiJson<ExtendBody>,
) -> Result<Json<ExtendedOut>, ApiError> {
    let code = caller.writable_talk(&id)?;
    caller.admin_only("extend a pause")?;
    let today = state.today();
    let new_end = parse_date("new_end", &body.new_end)?;
    let date = parse_opt_date("date", body.date.as_deref())?.unwrap_or(today);
    let if_version = body.if_version;
    let x = state
        .with_store(move |store| Ok(talks::extend(store, &code, new_end, if_version, date)?))
        .await?;
    Ok(Json(ExtendedOut {
        talk: TalkOut::new(&x.talk, today),
        old_end: x.old_end.format("%Y-%m-%d").to_string(),
        events: x.events.iter().map(EventOut::from).collect(),
    }))
}
