//! A site's services, ticket issuing, lobby board and event stream.

use std::sync::Arc;

use axum::extract::State;
use axum::http::{HeaderMap, StatusCode};
use axum::response::sse::{Event as SseEvent, KeepAlive, Sse};
use futures_util::Stream;
use seira_protocol::ErrorCode;
use seira_protocol::{
    ApiError as ErrorBody, Board, Channel, Device, Event, Heartbeat, IssueTicket, IssuedTicket,
    SiteServices, Ticket, TicketState,
};
use serde::Deserialize;
use utoipa_axum::{router::OpenApiRouter, routes};

use super::error::{ApiError, ApiResult};
use super::extract::{Auth, Json, Path, Query};
use crate::auth::Role;
use crate::engine;
use crate::event_log::{After, Published};
use crate::state::AppState;
use crate::store::{self, StoreError};

/// How often an idle event stream sends a keep-alive comment.
pub const KEEP_ALIVE: std::time::Duration = std::time::Duration::from_secs(15);
const EVENT_BATCH: usize = 500;

pub fn routes() -> OpenApiRouter<AppState> {
    OpenApiRouter::new()
        .routes(routes!(services))
        .routes(routes!(issue, list_tickets))
        .routes(routes!(board))
        .routes(routes!(events))
        .routes(routes!(heartbeat))
        .routes(routes!(list_devices))
}

fn site_exists(app: &AppState, site: &str) -> ApiResult<()> {
    match app.config().site(site) {
        Some(_) => Ok(()),
        None => Err(ApiError::not_found(format!("there is no site `{site}`"))),
    }
}

/// Services open now, with waiting counts and estimated waits.
#[utoipa::path(
    get, path = "/api/v1/sites/{site}/services", tag = "sites",
    params(("site" = String, Path, description = "Site id, e.g. `chania`")),
    responses(
        (status = 200, body = SiteServices),
        (status = 401, body = ErrorBody), (status = 403, body = ErrorBody), (status = 404, body = ErrorBody),
    ),
    security(("bearer" = []))
)]
async fn services(
    State(app): State<AppState>,
    Path(site): Path<String>,
    auth: Auth,
) -> ApiResult<axum::Json<SiteServices>> {
    site_exists(&app, &site)?;
    auth.require(|c| c.may_read_site(&site))?;
    let now = app.now();
    let services = app
        .read(move |tx, config| engine::services(tx, config, &site, now))
        .await?;
    Ok(axum::Json(services))
}

/// Issues a ticket. The same `request_id` again returns the same ticket (200 instead of 201).
#[utoipa::path(
    post, path = "/api/v1/sites/{site}/tickets", tag = "sites",
    params(("site" = String, Path, description = "Site id")),
    request_body = IssueTicket,
    responses(
        (status = 201, description = "A new ticket", body = IssuedTicket),
        (status = 200, description = "The ticket this request_id issued before", body = IssuedTicket),
        (status = 400, body = ErrorBody), (status = 401, body = ErrorBody), (status = 403, body = ErrorBody),
        (status = 404, description = "No such site or service", body = ErrorBody),
        (status = 409, description = "Closed now, or the request_id was used for another ticket", body = ErrorBody),
        (status = 413, body = ErrorBody), (status = 422, body = ErrorBody),
    ),
    security(("bearer" = []))
)]
async fn issue(
    State(app): State<AppState>,
    Path(site): Path<String>,
    auth: Auth,
    Json(body): Json<IssueTicket>,
) -> ApiResult<(StatusCode, axum::Json<IssuedTicket>)> {
    site_exists(&app, &site)?;
    let caller = auth.caller()?;
    let channel = if caller.role == Role::Kiosk {
        Channel::Kiosk
    } else {
        Channel::Staff
    };
    let (ticket, created) = app
        .write(Some(caller), move |ctx| ctx.issue(&site, &body, channel))
        .await?;
    let status = if created {
        StatusCode::CREATED
    } else {
        StatusCode::OK
    };
    Ok((status, axum::Json(ticket)))
}

#[derive(Debug, Deserialize, utoipa::IntoParams)]
#[into_params(parameter_in = Query)]
struct TicketsQuery {
    /// `waiting` (the default) or `parked`.
    state: Option<TicketState>,
}

/// The site's waiting (or parked) tickets in queue order, at most 500: for calling one out of
/// order, or returning a parked one.
#[utoipa::path(
    get, path = "/api/v1/sites/{site}/tickets", tag = "sites",
    params(("site" = String, Path, description = "Site id"), TicketsQuery),
    responses(
        (status = 200, body = Vec<Ticket>),
        (status = 400, body = ErrorBody), (status = 401, body = ErrorBody), (status = 403, body = ErrorBody),
        (status = 404, body = ErrorBody), (status = 422, description = "Not a listable state", body = ErrorBody),
    ),
    security(("bearer" = []))
)]
async fn list_tickets(
    State(app): State<AppState>,
    Path(site): Path<String>,
    Query(query): Query<TicketsQuery>,
    auth: Auth,
) -> ApiResult<axum::Json<Vec<Ticket>>> {
    site_exists(&app, &site)?;
    auth.require(|c| c.may_see_desks(&site))?;
    let state = query.state.unwrap_or(TicketState::Waiting);
    if !matches!(state, TicketState::Waiting | TicketState::Parked) {
        return Err(ApiError::new(
            StatusCode::UNPROCESSABLE_ENTITY,
            ErrorCode::InvalidState,
            "only waiting and parked tickets are listed",
        ));
    }
    let tickets = app
        .read(move |tx, config| engine::tickets(tx, config, &site, state))
        .await?;
    Ok(axum::Json(tickets))
}

/// What the lobby screen shows now. Public: numbers, desks and counts only.
#[utoipa::path(
    get, path = "/api/v1/sites/{site}/board", tag = "sites",
    params(("site" = String, Path, description = "Site id")),
    responses((status = 200, body = Board), (status = 404, body = ErrorBody))
)]
async fn board(
    State(app): State<AppState>,
    Path(site): Path<String>,
    _auth: Auth,
) -> ApiResult<axum::Json<Board>> {
    site_exists(&app, &site)?;
    let now = app.now();
    let config = app.config();
    let day = config
        .site(&site)
        .map(|s| crate::queue::numbering::service_day(now, &s.time_zone))
        .ok_or_else(|| ApiError::not_found(format!("there is no site `{site}`")))?;
    // Built once per event; every read in between is served from memory.
    let board = match app.boards.get(&site, &config, day, app.events.newest()) {
        Some(board) => board,
        None => {
            let built = {
                let config = config.clone();
                app.db
                    .read(move |tx| engine::board(tx, &config, &site, now))
                    .await?
            };
            let built = Arc::new(built);
            app.boards.put(built.clone(), config, day);
            built
        }
    };
    let mut board = Board::clone(&board);
    board.generated_at = now;
    Ok(axum::Json(board))
}

#[derive(Debug, Deserialize, utoipa::IntoParams)]
#[into_params(parameter_in = Query)]
struct EventsQuery {
    /// Resume after this event id, for clients that cannot send the `Last-Event-ID` header.
    last_event_id: Option<i64>,
}

/// The site's events as Server-Sent Events: `id:` is the event id, `event:` its kind, `data:`
/// the [`Event`] JSON. With `Last-Event-ID` the stream resumes right after that event, with
/// nothing missed and nothing repeated; without it, it starts with the next event. An idle
/// stream sends a comment every 15 s. Events carry priority categories, so the stream needs a
/// token of the site.
#[utoipa::path(
    get, path = "/api/v1/sites/{site}/events", tag = "sites",
    params(
        ("site" = String, Path, description = "Site id"),
        ("Last-Event-ID" = Option<i64>, Header, description = "Resume after this event id"),
        EventsQuery,
    ),
    responses(
        (status = 200, description = "text/event-stream of Event", body = Event, content_type = "text/event-stream"),
        (status = 400, body = ErrorBody), (status = 401, body = ErrorBody), (status = 403, body = ErrorBody),
        (status = 404, body = ErrorBody),
    ),
    security(("bearer" = []))
)]
async fn events(
    State(app): State<AppState>,
    Path(site): Path<String>,
    Query(query): Query<EventsQuery>,
    headers: HeaderMap,
    auth: Auth,
) -> ApiResult<Sse<impl Stream<Item = Result<SseEvent, std::convert::Infallible>>>> {
    site_exists(&app, &site)?;
    auth.require(|c| c.may_read_site(&site))?;
    let header = match headers.get("last-event-id") {
        None => None,
        Some(v) => Some(
            v.to_str()
                .ok()
                .and_then(|s| s.trim().parse::<i64>().ok())
                .filter(|id| *id >= 0)
                .ok_or_else(|| {
                    ApiError::bad_request(
                        ErrorCode::InvalidLastEventId,
                        "Last-Event-ID must be an event id",
                    )
                })?,
        ),
    };
    // Subscribe before looking, so that no commit falls between the look and the wait.
    let mut published = app.events.subscribe();
    let mut cursor = header
        .or(query.last_event_id)
        .unwrap_or_else(|| app.events.newest());
    let mut stopping = app.stopping.clone();
    let counted = app.metrics.stream_opened();
    let stream = async_stream::stream! {
        // Counted as open while the stream lives.
        let _counted = counted;
        loop {
            // The newest events come from memory, shared by every stream; older ones (a
            // reconnect after a while) from the database.
            let (batch, reached) = match app.events.after(&site, cursor, EVENT_BATCH) {
                After::Events(batch, reached) => (batch, reached),
                After::TooOld => match read_events(&app, &site, cursor).await {
                    Ok(found) => found,
                    Err(e) => {
                        tracing::warn!(error = %e, "event stream ends: database error");
                        break;
                    }
                },
            };
            let full = batch.len() == EVENT_BATCH;
            for event in batch {
                yield Ok(sse_event(&event));
            }
            cursor = reached;
            if full {
                continue;
            }
            tokio::select! {
                changed = published.changed() => if changed.is_err() { break },
                _ = stopping.changed() => break,
            }
        }
    };
    Ok(Sse::new(stream).keep_alive(KeepAlive::new().interval(KEEP_ALIVE)))
}

/// The site's events after `cursor` from the database, and how far they reach: the last one
/// sent, or when there are fewer than a batch, the newest event of any site.
async fn read_events(
    app: &AppState,
    site: &str,
    cursor: i64,
) -> Result<(Vec<Arc<Published>>, i64), StoreError> {
    let site = site.to_owned();
    app.db
        .read(move |tx| {
            let events = store::events_after(tx, &site, cursor, EVENT_BATCH)?;
            let reached = match events.last() {
                Some(last) if events.len() == EVENT_BATCH => last.id,
                _ => store::last_event_id(tx)?.max(cursor),
            };
            let events = events.iter().map(|e| Arc::new(Published::new(e))).collect();
            Ok((events, reached))
        })
        .await
}

/// A kiosk (or display) says it is alive, and how its printer is; staff see it, and a change
/// of the printer's state is an event on the stream.
#[utoipa::path(
    post, path = "/api/v1/sites/{site}/devices/heartbeat", tag = "sites",
    params(("site" = String, Path, description = "Site id")),
    request_body = Heartbeat,
    responses(
        (status = 204, description = "Heard"),
        (status = 400, body = ErrorBody), (status = 401, body = ErrorBody), (status = 403, body = ErrorBody),
        (status = 404, body = ErrorBody), (status = 422, body = ErrorBody),
    ),
    security(("bearer" = []))
)]
async fn heartbeat(
    State(app): State<AppState>,
    Path(site): Path<String>,
    auth: Auth,
    Json(body): Json<Heartbeat>,
) -> ApiResult<StatusCode> {
    site_exists(&app, &site)?;
    let caller = auth.caller()?;
    app.write(Some(caller), move |ctx| ctx.heartbeat(&site, body.printer))
        .await?;
    Ok(StatusCode::NO_CONTENT)
}

/// The site's kiosks and displays: online or not, and their printers.
#[utoipa::path(
    get, path = "/api/v1/sites/{site}/devices", tag = "sites",
    params(("site" = String, Path, description = "Site id")),
    responses(
        (status = 200, body = Vec<Device>),
        (status = 401, body = ErrorBody), (status = 403, body = ErrorBody), (status = 404, body = ErrorBody),
    ),
    security(("bearer" = []))
)]
async fn list_devices(
    State(app): State<AppState>,
    Path(site): Path<String>,
    auth: Auth,
) -> ApiResult<axum::Json<Vec<Device>>> {
    site_exists(&app, &site)?;
    auth.require(|c| c.may_see_desks(&site))?;
    let now = app.now();
    let devices = app
        .read(move |tx, config| engine::devices(tx, config, &site, now))
        .await?;
    Ok(axum::Json(devices))
}

fn sse_event(event: &Published) -> SseEvent {
    SseEvent::default()
        .id(event.id.to_string())
        .event(event.kind.as_str())
        .data(event.json.as_str())
}
