//! Staff against a flood from the phone pages: remove the phone tickets of the last minutes at
//! once, and undo that (the engine's `phone_batch`).

use axum::extract::State;
use seira_protocol::{ApiError as ErrorBody, PhoneBatch, RemovePhoneTickets, RestorePhoneTickets};
use utoipa_axum::{router::OpenApiRouter, routes};

use super::error::ApiResult;
use super::extract::{Auth, Json, Path};
use crate::state::AppState;

pub fn routes() -> OpenApiRouter<AppState> {
    OpenApiRouter::new()
        .routes(routes!(remove))
        .routes(routes!(restore))
}

/// Cancels, at once, the waiting tickets phones took in the last `minutes` (of one service,
/// or all): each is recorded with who did it. The answer's `batch` undoes it.
#[utoipa::path(
    post, path = "/api/v1/sites/{site}/phone-tickets/remove", tag = "sites",
    params(("site" = String, Path, description = "Site id")),
    request_body = RemovePhoneTickets,
    responses(
        (status = 200, description = "Removed (`numbers` may be empty)", body = PhoneBatch),
        (status = 400, body = ErrorBody), (status = 401, body = ErrorBody), (status = 403, body = ErrorBody),
        (status = 404, description = "No such site or service", body = ErrorBody),
        (status = 413, body = ErrorBody), (status = 415, body = ErrorBody),
        (status = 422, description = "minutes outside 1–240", body = ErrorBody),
    ),
    security(("bearer" = []))
)]
async fn remove(
    State(app): State<AppState>,
    Path(site): Path<String>,
    auth: Auth,
    Json(body): Json<RemovePhoneTickets>,
) -> ApiResult<axum::Json<PhoneBatch>> {
    let caller = auth.caller()?;
    let batch = app
        .write(Some(caller), move |ctx| {
            ctx.remove_phone_batch(&site, body.service.as_deref(), body.minutes)
        })
        .await?;
    Ok(axum::Json(batch))
}

/// Puts a removed batch's tickets back at their places, within the site's undo window.
#[utoipa::path(
    post, path = "/api/v1/sites/{site}/phone-tickets/restore", tag = "sites",
    params(("site" = String, Path, description = "Site id")),
    request_body = RestorePhoneTickets,
    responses(
        (status = 200, description = "Back in line", body = PhoneBatch),
        (status = 400, body = ErrorBody), (status = 401, body = ErrorBody), (status = 403, body = ErrorBody),
        (status = 404, description = "No such site or batch", body = ErrorBody),
        (status = 409, description = "Past the undo window (`undo_too_late`)", body = ErrorBody),
        (status = 413, body = ErrorBody), (status = 415, body = ErrorBody), (status = 422, body = ErrorBody),
    ),
    security(("bearer" = []))
)]
async fn restore(
    State(app): State<AppState>,
    Path(site): Path<String>,
    auth: Auth,
    Json(body): Json<RestorePhoneTickets>,
) -> ApiResult<axum::Json<PhoneBatch>> {
    let caller = auth.caller()?;
    let batch = app
        .write(Some(caller), move |ctx| {
            ctx.restore_phone_batch(&site, &body.batch)
        })
        .await?;
    Ok(axum::Json(batch))
}
