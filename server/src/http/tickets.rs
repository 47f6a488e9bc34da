//! State changes of one ticket, and its holder's tracking view.

use axum::extract::State;
use seira_protocol::{ApiError as ErrorBody, Ticket, TrackView, Transfer};
use utoipa_axum::{router::OpenApiRouter, routes};

use super::error::ApiResult;
use super::extract::{Auth, Json, Path};
use crate::engine;
use crate::queue::lifecycle::Action;
use crate::state::AppState;

pub fn routes() -> OpenApiRouter<AppState> {
    OpenApiRouter::new()
        .routes(routes!(recall))
        .routes(routes!(start))
        .routes(routes!(done))
        .routes(routes!(no_show))
        .routes(routes!(cancel))
        .routes(routes!(park))
        .routes(routes!(return_to_queue))
        .routes(routes!(void))
        .routes(routes!(transfer))
        .routes(routes!(undo_no_show))
        .routes(routes!(track))
}

async fn act(
    app: AppState,
    id: String,
    auth: Auth,
    action: Action,
) -> ApiResult<axum::Json<Ticket>> {
    let caller = auth.caller()?;
    let ticket = app
        .write(Some(caller), move |ctx| ctx.act(&id, action))
        .await?;
    Ok(axum::Json(ticket))
}

/// Declares one state-change route: the OpenAPI text and a handler calling [`act`].
macro_rules! ticket_action {
    ($name:ident, $path:literal, $action:expr, $summary:literal, $who:literal) => {
        #[doc = $summary]
        #[doc = ""]
        #[doc = $who]
        #[utoipa::path(
            post, path = $path, tag = "tickets",
            params(("id" = String, Path, description = "Ticket id")),
            responses(
                (status = 200, description = "The ticket after the change", body = Ticket),
                (status = 401, body = ErrorBody), (status = 403, body = ErrorBody),
                (status = 404, body = ErrorBody),
                (status = 409, description = "Not possible in the ticket's state", body = ErrorBody),
            ),
            security(("bearer" = []))
        )]
        async fn $name(
            State(app): State<AppState>,
            Path(id): Path<String>,
            auth: Auth,
        ) -> ApiResult<axum::Json<Ticket>> {
            act(app, id, auth, $action).await
        }
    };
}

ticket_action!(
    recall,
    "/api/v1/tickets/{id}/recall",
    Action::Recall,
    "Calls a called ticket again (the board and the speaker announce it again).",
    "Staff at the desk that called it."
);
ticket_action!(
    start,
    "/api/v1/tickets/{id}/start",
    Action::Start,
    "The citizen has arrived at the desk: service starts.",
    "Staff at the desk that called it."
);
ticket_action!(
    done,
    "/api/v1/tickets/{id}/done",
    Action::Done,
    "Service is over.",
    "Staff at the desk serving it."
);
ticket_action!(
    no_show,
    "/api/v1/tickets/{id}/no-show",
    Action::NoShow,
    "The called citizen did not come.",
    "Staff at the desk that called it."
);
ticket_action!(
    cancel,
    "/api/v1/tickets/{id}/cancel",
    Action::Cancel,
    "Takes a waiting, called or parked ticket out of the queue.",
    "Staff of the site (of the desk, when a desk holds it)."
);
ticket_action!(
    park,
    "/api/v1/tickets/{id}/park",
    Action::Park,
    "Puts a called or served ticket aside (the citizen fetches a document); the desk is free.",
    "Staff at the desk holding it."
);
ticket_action!(
    return_to_queue,
    "/api/v1/tickets/{id}/return",
    Action::Return,
    "Returns a parked ticket to its old place in the queue.",
    "Staff of the site."
);
ticket_action!(
    void,
    "/api/v1/tickets/{id}/void",
    Action::Void,
    "Voids a waiting ticket whose paper never printed; its number is never reused.",
    "The kiosk that issued it, or staff of the site."
);

/// Ends this step of the visit and queues the citizen for another service, with the same
/// number and the original issue time. By default the citizen keeps their place (lined up by
/// the first issue time); `front` and `back` put them first or last. `desk` sends them to one
/// colleague only; `note` is a word for that colleague, seen only by staff and deleted when
/// the visit ends. Answers the new step.
#[utoipa::path(
    post, path = "/api/v1/tickets/{id}/transfer", tag = "tickets",
    params(("id" = String, Path, description = "Ticket id")),
    request_body = Transfer,
    responses(
        (status = 200, description = "The new step, waiting for the other service", body = Ticket),
        (status = 400, body = ErrorBody), (status = 401, body = ErrorBody), (status = 403, body = ErrorBody),
        (status = 404, description = "No such ticket, service or desk", body = ErrorBody),
        (status = 409, description = "Not called or being served", body = ErrorBody),
        (status = 422, description = "Transfer to its own service, a desk that does not serve it, or a note too long", body = ErrorBody),
    ),
    security(("bearer" = []))
)]
async fn transfer(
    State(app): State<AppState>,
    Path(id): Path<String>,
    auth: Auth,
    Json(body): Json<Transfer>,
) -> ApiResult<axum::Json<Ticket>> {
    let caller = auth.caller()?;
    let (_, next) = app
        .write(Some(caller), move |ctx| ctx.transfer(&id, &body))
        .await?;
    Ok(axum::Json(next))
}

/// Undoes a no-show marked by mistake, within the site's undo window (15 minutes unless the
/// site says otherwise): the ticket goes back to its place in line, or straight back to its
/// desk when that desk is open and free. Logged with who did it.
#[utoipa::path(
    post, path = "/api/v1/tickets/{id}/undo-no-show", tag = "tickets",
    params(("id" = String, Path, description = "Ticket id")),
    responses(
        (status = 200, description = "The ticket, waiting again or called to its desk", body = Ticket),
        (status = 401, body = ErrorBody), (status = 403, body = ErrorBody),
        (status = 404, body = ErrorBody),
        (status = 409, description = "Not a no-show, or the undo window has passed", body = ErrorBody),
    ),
    security(("bearer" = []))
)]
async fn undo_no_show(
    State(app): State<AppState>,
    Path(id): Path<String>,
    auth: Auth,
) -> ApiResult<axum::Json<Ticket>> {
    let caller = auth.caller()?;
    let ticket = app
        .write(Some(caller), move |ctx| ctx.undo_no_show(&id))
        .await?;
    Ok(axum::Json(ticket))
}

/// Where the visit is now: position and estimated wait, or the desk it is called to. For the
/// ticket holder's phone: the unguessable id is the key; no token is needed.
#[utoipa::path(
    get, path = "/api/v1/tickets/{id}/track", tag = "tickets",
    params(("id" = String, Path, description = "Ticket id (from the QR code)")),
    responses((status = 200, body = TrackView), (status = 404, body = ErrorBody))
)]
async fn track(
    State(app): State<AppState>,
    Path(id): Path<String>,
    _auth: Auth,
) -> ApiResult<axum::Json<TrackView>> {
    let now = app.now();
    let view = app
        .read(move |tx, config| engine::track(tx, config, &id, now))
        .await?;
    Ok(axum::Json(view))
}
