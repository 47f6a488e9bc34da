//! Desks: their list, calling, and their state.

use axum::extract::State;
use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use seira_protocol::{
    ApiError as ErrorBody, CallTicket, Desk, DeskId, DeskQueue, DeskState, PauseDesk, Ticket,
    TicketId,
};
use utoipa_axum::{router::OpenApiRouter, routes};

use super::error::{ApiError, ApiResult};
use super::extract::{Auth, Json, Path};
use crate::engine::{self, Ctx, EngineError};
use crate::state::AppState;

pub fn routes() -> OpenApiRouter<AppState> {
    OpenApiRouter::new()
        .routes(routes!(list))
        .routes(routes!(call_next))
        .routes(routes!(done_and_next))
        .routes(routes!(queue))
        .routes(routes!(call))
        .routes(routes!(open))
        .routes(routes!(pause))
        .routes(routes!(close))
}

/// The site of a desk, or 404.
fn desk_site(app: &AppState, desk: &str) -> ApiResult<String> {
    app.config()
        .desk(desk)
        .map(|(site, _)| site.id.clone())
        .ok_or_else(|| ApiError::not_found(format!("there is no desk `{desk}`")))
}

/// The desks of a site, the services each serves, their state and ticket in hand.
#[utoipa::path(
    get, path = "/api/v1/sites/{site}/desks", tag = "desks",
    params(("site" = String, Path, description = "Site id")),
    responses(
        (status = 200, body = Vec<Desk>),
        (status = 401, body = ErrorBody), (status = 403, body = ErrorBody), (status = 404, body = ErrorBody),
    ),
    security(("bearer" = []))
)]
async fn list(
    State(app): State<AppState>,
    Path(site): Path<String>,
    auth: Auth,
) -> ApiResult<axum::Json<Vec<Desk>>> {
    if app.config().site(&site).is_none() {
        return Err(ApiError::not_found(format!("there is no site `{site}`")));
    }
    auth.require(|c| c.may_see_desks(&site))?;
    let desks = app
        .read(move |tx, config| engine::desks(tx, config, &site))
        .await?;
    Ok(axum::Json(desks))
}

/// Calls the next ticket by the site's calling order: 200 with it, 204 when nothing waits.
#[utoipa::path(
    post, path = "/api/v1/desks/{desk}/call-next", tag = "desks",
    params(("desk" = String, Path, description = "Desk id, e.g. `chania-1`")),
    responses(
        (status = 200, description = "The ticket called", body = Ticket),
        (status = 204, description = "Nothing waits for this desk's services"),
        (status = 401, body = ErrorBody), (status = 403, body = ErrorBody), (status = 404, body = ErrorBody),
        (status = 409, description = "The desk is not open, or holds a ticket", body = ErrorBody),
    ),
    security(("bearer" = []))
)]
async fn call_next(
    State(app): State<AppState>,
    Path(desk): Path<String>,
    auth: Auth,
) -> ApiResult<Response> {
    desk_call(app, desk, auth, |ctx, desk| ctx.call_next(desk)).await
}

/// A call at a desk, by `op`: 200 with the ticket called, or 204 when nothing waits.
async fn desk_call(
    app: AppState,
    desk: String,
    auth: Auth,
    op: fn(&mut Ctx<'_, '_>, &str) -> Result<Option<Ticket>, EngineError>,
) -> ApiResult<Response> {
    desk_site(&app, &desk)?;
    let caller = auth.caller()?;
    let called = app.write(Some(caller), move |ctx| op(ctx, &desk)).await?;
    Ok(match called {
        Some(ticket) => axum::Json(ticket).into_response(),
        None => StatusCode::NO_CONTENT.into_response(),
    })
}

/// Finishes the ticket the desk is serving and calls the next, in one transaction (the desk
/// page's main button). With nothing in hand it only calls. 200 with the called ticket, 204
/// when nothing waits (the ticket in hand is finished all the same).
#[utoipa::path(
    post, path = "/api/v1/desks/{desk}/done-and-next", tag = "desks",
    params(("desk" = String, Path, description = "Desk id, e.g. `chania-1`")),
    responses(
        (status = 200, description = "The ticket called", body = Ticket),
        (status = 204, description = "Finished; nothing waits for this desk's services"),
        (status = 401, body = ErrorBody), (status = 403, body = ErrorBody), (status = 404, body = ErrorBody),
        (status = 409, description = "The desk is not open, or its ticket was called but not started", body = ErrorBody),
    ),
    security(("bearer" = []))
)]
async fn done_and_next(
    State(app): State<AppState>,
    Path(desk): Path<String>,
    auth: Auth,
) -> ApiResult<Response> {
    desk_call(app, desk, auth, |ctx, desk| ctx.done_and_next(desk)).await
}

/// The desk's waiting list: its services' tickets in the order call-next would take them
/// (the first is the next), with overdue tickets and colleagues' transfer notes marked, and
/// how many wait for the site's other services.
#[utoipa::path(
    get, path = "/api/v1/desks/{desk}/queue", tag = "desks",
    params(("desk" = String, Path, description = "Desk id")),
    responses(
        (status = 200, body = DeskQueue),
        (status = 401, body = ErrorBody), (status = 403, body = ErrorBody), (status = 404, body = ErrorBody),
    ),
    security(("bearer" = []))
)]
async fn queue(
    State(app): State<AppState>,
    Path(desk): Path<String>,
    auth: Auth,
) -> ApiResult<axum::Json<DeskQueue>> {
    let site = desk_site(&app, &desk)?;
    auth.require(|c| c.may_see_desks(&site))?;
    let now = app.now();
    let queue = app
        .read(move |tx, config| engine::desk_queue(tx, config, &desk, now))
        .await?;
    Ok(axum::Json(queue))
}

/// Calls one waiting ticket out of the calling order (logged as such).
#[utoipa::path(
    post, path = "/api/v1/desks/{desk}/call", tag = "desks",
    params(("desk" = String, Path, description = "Desk id")),
    request_body = CallTicket,
    responses(
        (status = 200, description = "The ticket called", body = Ticket),
        (status = 400, body = ErrorBody), (status = 401, body = ErrorBody), (status = 403, body = ErrorBody),
        (status = 404, body = ErrorBody),
        (status = 409, description = "Not waiting, not a service of this desk, or the desk cannot call", body = ErrorBody),
        (status = 422, body = ErrorBody),
    ),
    security(("bearer" = []))
)]
async fn call(
    State(app): State<AppState>,
    Path(desk): Path<String>,
    auth: Auth,
    Json(body): Json<CallTicket>,
) -> ApiResult<axum::Json<Ticket>> {
    desk_site(&app, &desk)?;
    let caller = auth.caller()?;
    let ticket = app
        .write(Some(caller), move |ctx| {
            ctx.call_specific(DeskId(&desk), TicketId(&body.ticket))
        })
        .await?;
    Ok(axum::Json(ticket))
}

async fn set_state(
    app: AppState,
    desk: String,
    auth: Auth,
    state: DeskState,
    reason: Option<String>,
) -> ApiResult<axum::Json<Desk>> {
    desk_site(&app, &desk)?;
    let caller = auth.caller()?;
    let view = app
        .write(Some(caller), move |ctx| {
            ctx.set_desk_state(&desk, state, reason.as_deref())
        })
        .await?;
    Ok(axum::Json(view))
}

/// Opens the desk: it can call.
#[utoipa::path(
    post, path = "/api/v1/desks/{desk}/open", tag = "desks",
    params(("desk" = String, Path, description = "Desk id")),
    responses(
        (status = 200, body = Desk),
        (status = 401, body = ErrorBody), (status = 403, body = ErrorBody), (status = 404, body = ErrorBody),
    ),
    security(("bearer" = []))
)]
async fn open(
    State(app): State<AppState>,
    Path(desk): Path<String>,
    auth: Auth,
) -> ApiResult<axum::Json<Desk>> {
    set_state(app, desk, auth, DeskState::Open, None).await
}

/// Pauses the desk, with a reason; the ticket in hand can still be finished.
#[utoipa::path(
    post, path = "/api/v1/desks/{desk}/pause", tag = "desks",
    params(("desk" = String, Path, description = "Desk id")),
    request_body = PauseDesk,
    responses(
        (status = 200, body = Desk),
        (status = 400, body = ErrorBody), (status = 401, body = ErrorBody), (status = 403, body = ErrorBody),
        (status = 404, body = ErrorBody), (status = 422, description = "No reason, or too long", body = ErrorBody),
    ),
    security(("bearer" = []))
)]
async fn pause(
    State(app): State<AppState>,
    Path(desk): Path<String>,
    auth: Auth,
    Json(body): Json<PauseDesk>,
) -> ApiResult<axum::Json<Desk>> {
    set_state(app, desk, auth, DeskState::Paused, Some(body.reason)).await
}

/// Closes the desk (refused while it holds a ticket).
#[utoipa::path(
    post, path = "/api/v1/desks/{desk}/close", tag = "desks",
    params(("desk" = String, Path, description = "Desk id")),
    responses(
        (status = 200, body = Desk),
        (status = 401, body = ErrorBody), (status = 403, body = ErrorBody), (status = 404, body = ErrorBody),
        (status = 409, description = "The desk holds a ticket", body = ErrorBody),
    ),
    security(("bearer" = []))
)]
async fn close(
    State(app): State<AppState>,
    Path(desk): Path<String>,
    auth: Auth,
) -> ApiResult<axum::Json<Desk>> {
    set_state(app, desk, auth, DeskState::Closed, None).await
}
