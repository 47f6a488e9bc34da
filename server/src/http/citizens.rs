//! What citizens send from their own phones, with no token: the ticket's id (unguessable, from
//! the QR code) or its printed short code is the key — never anything a screen shows. A
//! token sent all the same (the kiosk's rating screen) must be of the ticket's site. A rating of the finished visit, a number for a near-turn text
//! message or a browser's push subscription (and taking either back), and a ticket taken
//! from the QR poster at the door.

use std::net::SocketAddr;
use std::time::Instant;

use axum::extract::{ConnectInfo, State};
use axum::http::{HeaderMap, StatusCode};
use axum_extra::extract::CookieJar;
use seira_protocol::{
    ApiError as ErrorBody, ErrorCode, Feedback, IssuedTicket, JoinRequest, PushKey,
    PushSubscription, TextAlert,
};
use utoipa_axum::{router::OpenApiRouter, routes};

use super::error::{ApiError, ApiResult};
use super::extract::{Auth, Json, Path};
use crate::state::AppState;

/// The cookie that tells one phone from another for the join throttle (random, nothing else).
pub const PHONE_COOKIE: &str = "seira_phone";

pub fn routes() -> OpenApiRouter<AppState> {
    OpenApiRouter::new()
        .routes(routes!(feedback))
        .routes(routes!(ask_text_alert, drop_text_alert))
        .routes(routes!(ask_push_alert, drop_push_alert))
        .routes(routes!(push_key))
        .routes(routes!(join))
}

/// Rates a finished visit, anonymously, 1 to 5: once per visit. For the ticket holder's
/// phone (and the kiosk's next screen); no token is needed.
#[utoipa::path(
    post, path = "/api/v1/tickets/{id}/feedback", tag = "tickets",
    params(("id" = String, Path, description = "Ticket id (from the QR code)")),
    request_body = Feedback,
    responses(
        (status = 204, description = "Kept"),
        (status = 401, description = "A token that is not valid (none is needed)", body = ErrorBody), (status = 403, description = "A token of another site", body = ErrorBody), (status = 404, body = ErrorBody),
        (status = 409, description = "Rated already (`already_rated`), or not done yet (`not_done`)", body = ErrorBody),
        (status = 422, description = "A score outside 1–5 (`invalid_score`)", body = ErrorBody),
    )
)]
async fn feedback(
    State(app): State<AppState>,
    Path(id): Path<String>,
    Auth(caller): Auth,
    Json(body): Json<Feedback>,
) -> ApiResult<StatusCode> {
    app.write(caller, move |ctx| ctx.rate(&id, body.score))
        .await?;
    Ok(StatusCode::NO_CONTENT)
}

/// Asks for a text message when the holder's turn is near, to this number (replacing one
/// given before). The number is used for that one message and deleted when it is sent or
/// the visit ends; it is never logged.
#[utoipa::path(
    put, path = "/api/v1/tickets/{id}/text-alert", tag = "tickets",
    params(("id" = String, Path, description = "Ticket id (from the QR code)")),
    request_body = TextAlert,
    responses(
        (status = 204, description = "Kept until the message goes"),
        (status = 401, description = "A token that is not valid (none is needed)", body = ErrorBody), (status = 403, description = "A token of another site", body = ErrorBody), (status = 404, body = ErrorBody),
        (status = 409, description = "The centre sends no messages (`not_offered`), or the ticket no longer waits (`invalid_state`)", body = ErrorBody),
        (status = 422, description = "Not a mobile number (`invalid_phone`)", body = ErrorBody),
    )
)]
async fn ask_text_alert(
    State(app): State<AppState>,
    Path(id): Path<String>,
    Auth(caller): Auth,
    Json(body): Json<TextAlert>,
) -> ApiResult<StatusCode> {
    app.write(caller, move |ctx| ctx.ask_text_alert(&id, &body.phone))
        .await?;
    Ok(StatusCode::NO_CONTENT)
}

/// Takes the request for a text message back: the number is deleted at once.
#[utoipa::path(
    delete, path = "/api/v1/tickets/{id}/text-alert", tag = "tickets",
    params(("id" = String, Path, description = "Ticket id (from the QR code)")),
    responses((status = 204, description = "No number is kept"), (status = 401, description = "A token that is not valid (none is needed)", body = ErrorBody), (status = 403, description = "A token of another site", body = ErrorBody), (status = 404, body = ErrorBody))
)]
async fn drop_text_alert(
    State(app): State<AppState>,
    Path(id): Path<String>,
    Auth(caller): Auth,
) -> ApiResult<StatusCode> {
    app.write(caller, move |ctx| {
        ctx.drop_alert(&id, crate::store::AlertChannel::Text)
    })
    .await?;
    Ok(StatusCode::NO_CONTENT)
}

/// Asks for a Web Push notification when the holder's turn is near, to this browser's
/// subscription (replacing one given before). Kept only until it is sent, and at most until
/// the visit ends.
#[utoipa::path(
    put, path = "/api/v1/tickets/{id}/push", tag = "tickets",
    params(("id" = String, Path, description = "Ticket id (from the QR code)")),
    request_body = PushSubscription,
    responses(
        (status = 204, description = "Kept until the notification goes"),
        (status = 401, description = "A token that is not valid (none is needed)", body = ErrorBody), (status = 403, description = "A token of another site", body = ErrorBody), (status = 404, body = ErrorBody),
        (status = 409, description = "The ticket no longer waits (`invalid_state`)", body = ErrorBody),
        (status = 422, description = "Not a browser's push service, or keys that are not (`invalid_subscription`)", body = ErrorBody),
    )
)]
async fn ask_push_alert(
    State(app): State<AppState>,
    Path(id): Path<String>,
    Auth(caller): Auth,
    Json(body): Json<PushSubscription>,
) -> ApiResult<StatusCode> {
    app.write(caller, move |ctx| ctx.ask_push_alert(&id, &body))
        .await?;
    Ok(StatusCode::NO_CONTENT)
}

/// Takes the request for a push notification back: the subscription is deleted at once.
#[utoipa::path(
    delete, path = "/api/v1/tickets/{id}/push", tag = "tickets",
    params(("id" = String, Path, description = "Ticket id (from the QR code)")),
    responses((status = 204, description = "No subscription is kept"), (status = 401, description = "A token that is not valid (none is needed)", body = ErrorBody), (status = 403, description = "A token of another site", body = ErrorBody), (status = 404, body = ErrorBody))
)]
async fn drop_push_alert(
    State(app): State<AppState>,
    Path(id): Path<String>,
    Auth(caller): Auth,
) -> ApiResult<StatusCode> {
    app.write(caller, move |ctx| {
        ctx.drop_alert(&id, crate::store::AlertChannel::Push)
    })
    .await?;
    Ok(StatusCode::NO_CONTENT)
}

/// The server's VAPID public key (RFC 8292): the `applicationServerKey` a page subscribes a
/// browser to push notifications with.
#[utoipa::path(
    get, path = "/api/v1/push/key", tag = "meta",
    responses((status = 200, body = PushKey))
)]
async fn push_key(State(app): State<AppState>) -> ApiResult<axum::Json<PushKey>> {
    let key = app
        .read(|tx, _| Ok(crate::store::server_key(tx, crate::push::VAPID_KEY)?))
        .await?
        .and_then(|bytes| crate::push::Vapid::from_bytes(&bytes))
        .ok_or_else(|| ApiError::internal("the server has no VAPID key"))?;
    Ok(axum::Json(PushKey {
        key: key.public_key(),
    }))
}

/// Takes a ticket on a phone, for a service the site opened to it (the QR poster at the
/// door, `/join/{site}`): the same ticket as the kiosk's. A few per phone and per address an
/// hour (behind the site's `trusted_proxies`, the phone's own address from
/// `X-Forwarded-For`), and per service at most `max_waiting` phone tickets waiting and
/// `per_quarter_hour` taken in any quarter hour, whoever asks; the same `request_id` again
/// returns the same ticket (200).
#[utoipa::path(
    post, path = "/api/v1/sites/{site}/join", tag = "sites",
    params(("site" = String, Path, description = "Site id")),
    request_body = JoinRequest,
    responses(
        (status = 201, description = "A new ticket; its `track_url` is its page", body = IssuedTicket),
        (status = 200, description = "The ticket this request_id issued before", body = IssuedTicket),
        (status = 404, description = "No such site or service", body = ErrorBody),
        (status = 409, description = "The service is closed now (`closed`), not taken on phones (`not_offered`), or has as many phone tickets waiting as the site allows (`phone_queue_full`)", body = ErrorBody),
        (status = 422, description = "A bad request_id", body = ErrorBody),
        (status = 429, description = "Too many tickets from this phone or address, or for this service on phones in the last quarter hour (`too_many_joins`); `Retry-After` says when", body = ErrorBody),
    )
)]
async fn join(
    State(app): State<AppState>,
    Path(site): Path<String>,
    ConnectInfo(peer): ConnectInfo<SocketAddr>,
    headers: HeaderMap,
    Json(body): Json<JoinRequest>,
) -> ApiResult<(StatusCode, axum::Json<IssuedTicket>)> {
    let jar = CookieJar::from_headers(&headers);
    let phone = jar
        .get(PHONE_COOKIE)
        .map(|c| c.value().to_owned())
        .unwrap_or_default();
    let config = app.config();
    let joining = &config
        .site(&site)
        .ok_or_else(|| ApiError::not_found(format!("there is no site `{site}`")))?
        .phone_joining;
    let forwarded_for = headers.get("x-forwarded-for").and_then(|v| v.to_str().ok());
    let address = joining.client_address(peer.ip(), forwarded_for);
    if let Some(wait) = app.phone_joins.wait(&phone, address, Instant::now()) {
        return Err(ApiError::too_many(
            ErrorCode::TooManyJoins,
            format!(
                "too many tickets from this phone: try again in {} minutes, or use the kiosk",
                wait.as_secs().div_ceil(60).max(1)
            ),
            wait,
        ));
    }
    let (ticket, created) = app
        .write(None, move |ctx| ctx.join_by_phone(&site, &body))
        .await?;
    if created {
        app.phone_joins.failed(&phone, address, Instant::now());
    }
    let status = if created {
        StatusCode::CREATED
    } else {
        StatusCode::OK
    };
    Ok((status, axum::Json(ticket)))
}
