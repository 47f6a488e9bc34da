//! The appointment book: booking, the day's list, moving and cancelling; check-in by code.

use std::net::SocketAddr;
use std::time::Instant;

use axum::extract::{ConnectInfo, State};
use axum::http::StatusCode;
use seira_protocol::{
    ApiError as ErrorBody, Appointment, CheckIn, ErrorCode, ImportAppointments, ImportReport,
    IssuedTicket, MoveAppointment, NewAppointment,
};
use serde::Deserialize;
use utoipa_axum::{router::OpenApiRouter, routes};

use super::error::{ApiError, ApiResult};
use super::extract::{Auth, Json, Path, Query};
use crate::engine;
use crate::state::AppState;

pub fn routes() -> OpenApiRouter<AppState> {
    OpenApiRouter::new()
        .routes(routes!(book, day))
        .routes(routes!(move_one, cancel))
        .routes(routes!(check_in))
        .routes(routes!(day_ics))
        .merge(
            // A month of a centre's bookings is larger than any other request.
            OpenApiRouter::new()
                .routes(routes!(import))
                .layer(axum::extract::DefaultBodyLimit::max(IMPORT_LIMIT)),
        )
}

/// The largest file an import takes (a year of a busy centre's bookings).
pub const IMPORT_LIMIT: usize = 1024 * 1024;

/// Imports bookings made elsewhere from CSV (see `ImportAppointments`). Every line is booked
/// as a booking from the page would be (the same checks: open hours, a free desk, a bookable
/// service); the same `reference` again is the same appointment, so a file can be imported
/// twice. With `dry_run` nothing is booked and the report says what each line would do; a
/// real import with any bad line books nothing and answers 422 naming the lines.
#[utoipa::path(
    post, path = "/api/v1/sites/{site}/appointments/import", tag = "appointments",
    params(("site" = String, Path, description = "Site id")),
    request_body = ImportAppointments,
    responses(
        (status = 200, description = "Imported, or with `dry_run` the report of what would be", body = ImportReport),
        (status = 401, body = ErrorBody), (status = 403, body = ErrorBody), (status = 404, body = ErrorBody),
        (status = 413, description = "Over 1 MiB", body = ErrorBody),
        (status = 422, description = "A header without the needed columns, or bad lines (`invalid_import`: the message names them; a dry run lists them all)", body = ErrorBody),
    ),
    security(("bearer" = []))
)]
async fn import(
    State(app): State<AppState>,
    Path(site): Path<String>,
    auth: Auth,
    Json(body): Json<ImportAppointments>,
) -> ApiResult<axum::Json<ImportReport>> {
    let caller = auth.caller()?;
    let config = app.config();
    let at = config
        .site(&site)
        .ok_or_else(|| ApiError::not_found(format!("there is no site `{site}`")))?;
    let rows = crate::import::parse(&body.csv, &at.time_zone).map_err(|e| {
        ApiError::new(
            StatusCode::UNPROCESSABLE_ENTITY,
            ErrorCode::InvalidImport,
            format!("line {}: {}", e.line, e.message),
        )
    })?;
    let dry_run = body.dry_run;
    let report = app
        .write(Some(caller), move |ctx| {
            ctx.import_appointments(&site, rows, dry_run)
        })
        .await?;
    if !dry_run && !report.errors.is_empty() {
        let lines: Vec<String> = report
            .errors
            .iter()
            .take(10)
            .map(|e| format!("line {}: {}", e.line, e.message))
            .collect();
        return Err(ApiError::new(
            StatusCode::UNPROCESSABLE_ENTITY,
            ErrorCode::InvalidImport,
            format!(
                "{} lines cannot be booked, so nothing was: {}{}",
                report.errors.len(),
                lines.join("; "),
                if report.errors.len() > 10 {
                    "; …"
                } else {
                    ""
                }
            ),
        ));
    }
    Ok(axum::Json(report))
}

/// Books an appointment for a service, at a desk or at any free desk of the service. The
/// answer holds the code the citizen checks in with. The same `request_id` again returns the
/// same appointment (200 instead of 201).
#[utoipa::path(
    post, path = "/api/v1/sites/{site}/appointments", tag = "appointments",
    params(("site" = String, Path, description = "Site id")),
    request_body = NewAppointment,
    responses(
        (status = 201, description = "Booked", body = Appointment),
        (status = 200, description = "The appointment this request_id booked before", body = Appointment),
        (status = 401, body = ErrorBody), (status = 403, body = ErrorBody),
        (status = 404, description = "No such site, service or desk", body = ErrorBody),
        (status = 409, description = "The desk is booked then (`slot_taken`), or the request_id was used for another appointment", body = ErrorBody),
        (status = 422, description = "A time not on a 5-minute mark, past, or of a wrong length (`invalid_time`); outside the service's or the desk's hours, or on a closure day (`closed`); a desk that does not serve the service; a service that takes no appointments (`not_bookable`)", body = ErrorBody),
    ),
    security(("bearer" = []))
)]
async fn book(
    State(app): State<AppState>,
    Path(site): Path<String>,
    auth: Auth,
    Json(body): Json<NewAppointment>,
) -> ApiResult<(StatusCode, axum::Json<Appointment>)> {
    let caller = auth.caller()?;
    let (appointment, created) = app
        .write(Some(caller), move |ctx| ctx.book(&site, &body))
        .await?;
    let status = if created {
        StatusCode::CREATED
    } else {
        StatusCode::OK
    };
    Ok((status, axum::Json(appointment)))
}

#[derive(Debug, Deserialize, utoipa::IntoParams)]
#[into_params(parameter_in = Query)]
struct DayQuery {
    /// The local day, `YYYY-MM-DD`; today when absent.
    date: Option<String>,
}

/// A day of the site's book, by start time: every appointment with its state.
#[utoipa::path(
    get, path = "/api/v1/sites/{site}/appointments", tag = "appointments",
    params(("site" = String, Path, description = "Site id"), DayQuery),
    responses(
        (status = 200, body = Vec<Appointment>),
        (status = 400, description = "Not a date", body = ErrorBody),
        (status = 401, body = ErrorBody), (status = 403, body = ErrorBody), (status = 404, body = ErrorBody),
        (status = 422, description = "A day at the edge of the calendar", body = ErrorBody),
    ),
    security(("bearer" = []))
)]
async fn day(
    State(app): State<AppState>,
    Path(site): Path<String>,
    Query(query): Query<DayQuery>,
    auth: Auth,
) -> ApiResult<axum::Json<Vec<Appointment>>> {
    let config = app.config();
    let at = config
        .site(&site)
        .ok_or_else(|| ApiError::not_found(format!("there is no site `{site}`")))?;
    auth.require(|c| c.may_see_desks(&site))?;
    let day = match &query.date {
        Some(date) => super::stats::date(date, "date")?,
        None => app.now().to_zoned_datetime(at.time_zone.clone()).date(),
    };
    let book = app
        .read(move |tx, config| engine::appointments_of_day(tx, config, &site, day))
        .await?;
    Ok(axum::Json(book))
}

#[derive(Debug, Deserialize, utoipa::IntoParams)]
#[into_params(parameter_in = Query)]
struct CalendarQuery {
    /// The first local day, `YYYY-MM-DD`; today when absent.
    date: Option<String>,
    /// How many days from it (1–62; 1 when absent): a calendar app subscribing asks for
    /// the weeks ahead.
    days: Option<u32>,
    /// Only this desk's appointments (the time it holds).
    desk: Option<String>,
    /// Only this service's.
    service: Option<String>,
    /// `el` (default) or `en`, for the names.
    lang: Option<String>,
}

/// The book as iCalendar (RFC 5545) for a calendar app: a day or more, for the site, a desk
/// or a service. Each appointment is an event in UTC with its service, desk, code and state
/// (`X-SEIRA-STATE`); a cancelled one is `STATUS:CANCELLED`. No contact is ever in it.
#[utoipa::path(
    get, path = "/api/v1/sites/{site}/appointments.ics", tag = "appointments",
    params(("site" = String, Path, description = "Site id"), CalendarQuery),
    responses(
        (status = 200, content_type = "text/calendar", body = String),
        (status = 400, description = "Not a date", body = ErrorBody),
        (status = 401, body = ErrorBody), (status = 403, body = ErrorBody),
        (status = 404, description = "No such site, desk or service", body = ErrorBody),
        (status = 422, description = "`days` out of 1–62, or a day at the edge of the calendar", body = ErrorBody),
    ),
    security(("bearer" = []))
)]
async fn day_ics(
    State(app): State<AppState>,
    Path(site): Path<String>,
    Query(query): Query<CalendarQuery>,
    auth: Auth,
) -> ApiResult<axum::response::Response> {
    use axum::response::IntoResponse;
    let config = app.config();
    let at = config
        .site(&site)
        .ok_or_else(|| ApiError::not_found(format!("there is no site `{site}`")))?;
    auth.require(|c| c.may_see_desks(&site))?;
    let first = match &query.date {
        Some(date) => super::stats::date(date, "date")?,
        None => app.now().to_zoned_datetime(at.time_zone.clone()).date(),
    };
    let days = query.days.unwrap_or(1);
    if !(1..=62).contains(&days) {
        return Err(ApiError::new(
            StatusCode::UNPROCESSABLE_ENTITY,
            ErrorCode::InvalidQuery,
            "`days` is from 1 to 62",
        ));
    }
    let last = first
        .checked_add(jiff::Span::new().days(i64::from(days) - 1))
        .map_err(|_| {
            ApiError::new(
                StatusCode::UNPROCESSABLE_ENTITY,
                ErrorCode::BadDate,
                "the days run past the calendar",
            )
        })?;
    let lang = if query.lang.as_deref() == Some("en") {
        "en"
    } else {
        "el"
    };
    let mut name = vec![seira_protocol::InLang::in_lang(&at.names, lang).to_owned()];
    if let Some(desk) = &query.desk {
        let found =
            at.desks.iter().find(|d| d.id == *desk).ok_or_else(|| {
                ApiError::not_found(format!("there is no desk `{desk}` at `{site}`"))
            })?;
        name.push(seira_protocol::InLang::in_lang(&found.names, lang).to_owned());
    }
    if let Some(service) = &query.service {
        let found = at.service(service).ok_or_else(|| {
            ApiError::not_found(format!("there is no service `{service}` at `{site}`"))
        })?;
        name.push(seira_protocol::InLang::in_lang(&found.names, lang).to_owned());
    }
    let site_id = site.clone();
    let mut book = app
        .read(move |tx, config| engine::appointments_of_days(tx, config, &site_id, first, last))
        .await?;
    book.retain(|a| {
        query.desk.as_ref().is_none_or(|d| a.held_desk == *d)
            && query.service.as_ref().is_none_or(|s| a.service == *s)
    });
    let text = crate::calendar::ics(at, &name.join(" · "), &book, lang, app.now());
    Ok((
        [
            (
                axum::http::header::CONTENT_TYPE,
                "text/calendar; charset=utf-8",
            ),
            (
                axum::http::header::CONTENT_DISPOSITION,
                "inline; filename=\"appointments.ics\"",
            ),
        ],
        text,
    )
        .into_response())
}

/// Moves a booked appointment to another time, and if given another length or desk.
#[utoipa::path(
    patch, path = "/api/v1/appointments/{id}", tag = "appointments",
    params(("id" = String, Path, description = "Appointment id")),
    request_body = MoveAppointment,
    responses(
        (status = 200, body = Appointment),
        (status = 401, body = ErrorBody), (status = 403, body = ErrorBody), (status = 404, body = ErrorBody),
        (status = 409, description = "Booked then, or no longer booked", body = ErrorBody),
        (status = 422, description = "A bad time, or closed then (`closed`)", body = ErrorBody),
    ),
    security(("bearer" = []))
)]
async fn move_one(
    State(app): State<AppState>,
    Path(id): Path<String>,
    auth: Auth,
    Json(body): Json<MoveAppointment>,
) -> ApiResult<axum::Json<Appointment>> {
    let caller = auth.caller()?;
    let moved = app
        .write(Some(caller), move |ctx| ctx.move_appointment(&id, &body))
        .await?;
    Ok(axum::Json(moved))
}

/// Cancels a booked appointment: its desk time is free again, and its contact forgotten.
#[utoipa::path(
    delete, path = "/api/v1/appointments/{id}", tag = "appointments",
    operation_id = "cancel_appointment",
    params(("id" = String, Path, description = "Appointment id")),
    responses(
        (status = 200, description = "Cancelled", body = Appointment),
        (status = 401, body = ErrorBody), (status = 403, body = ErrorBody), (status = 404, body = ErrorBody),
        (status = 409, description = "No longer booked", body = ErrorBody),
    ),
    security(("bearer" = []))
)]
async fn cancel(
    State(app): State<AppState>,
    Path(id): Path<String>,
    auth: Auth,
) -> ApiResult<axum::Json<Appointment>> {
    let caller = auth.caller()?;
    let cancelled = app
        .write(Some(caller), move |ctx| ctx.cancel_appointment(&id))
        .await?;
    Ok(axum::Json(cancelled))
}

/// Checks a citizen in by the code of their appointment, at the kiosk or at reception: a
/// ticket of the appointment's service (numbered, printed and called like any other). On time
/// (from `check_in_early_min` before the start to `check_in_late_min` after it) the desk calls
/// it first from its start; later it joins the walk-in queue by the time of check-in, or is
/// refused (`late_check_in = "refuse"`). The same `request_id` again returns the same ticket
/// (200). Unknown codes are counted: after three from one kiosk (twenty from one person at
/// reception) each next one waits twice as long as the last, 2 s up to 60 s (429 with
/// `Retry-After`); a kiosk's mistakes never slow reception, and a check-in forgets them.
#[utoipa::path(
    post, path = "/api/v1/sites/{site}/appointments/{code}/check-in", tag = "appointments",
    params(
        ("site" = String, Path, description = "Site id"),
        ("code" = String, Path, description = "The booking code, as typed (case, spaces and dashes do not matter)"),
    ),
    request_body = CheckIn,
    responses(
        (status = 201, description = "Checked in: the ticket", body = IssuedTicket),
        (status = 200, description = "The ticket this request_id made before", body = IssuedTicket),
        (status = 401, body = ErrorBody), (status = 403, body = ErrorBody),
        (status = 404, description = "No such site, or no appointment has this code here (`unknown_code`)", body = ErrorBody),
        (status = 409, description = "Too early (`too_early`, the message says from when), too late (`too_late`: see reception), already checked in, served or cancelled", body = ErrorBody),
        (status = 422, description = "A bad request_id or language", body = ErrorBody),
        (status = 429, description = "Too many unknown codes from here just now (`too_many_guesses`); `Retry-After` says when to try again", body = ErrorBody),
    ),
    security(("bearer" = []))
)]
async fn check_in(
    State(app): State<AppState>,
    Path((site, code)): Path<(String, String)>,
    ConnectInfo(peer): ConnectInfo<SocketAddr>,
    auth: Auth,
    Json(body): Json<CheckIn>,
) -> ApiResult<(StatusCode, axum::Json<IssuedTicket>)> {
    let caller = auth.caller()?;
    // A device is slowed per device and per address; a person at reception by their own
    // mistakes only, so a prankster at a kiosk never keeps reception from checking in.
    let (guesses, keys) = if caller.role.is_device() {
        let keys = vec![
            format!("device {}", caller.label),
            format!("address {}", peer.ip()),
        ];
        (app.code_guesses.clone(), keys)
    } else {
        (
            app.reception_guesses.clone(),
            vec![format!("person {}", caller.label)],
        )
    };
    let now = Instant::now();
    if let Some(wait) = keys.iter().filter_map(|k| guesses.wait(k, now)).max() {
        return Err(ApiError::too_many(
            ErrorCode::TooManyGuesses,
            format!(
                "too many unknown codes just now: try again in {} seconds, or see reception",
                wait.as_secs().max(1)
            ),
            wait,
        ));
    }
    let result = app
        .write(Some(caller), move |ctx| ctx.check_in(&site, &code, &body))
        .await;
    match result {
        Ok((ticket, created)) => {
            for key in &keys {
                guesses.succeeded(key);
            }
            let status = if created {
                StatusCode::CREATED
            } else {
                StatusCode::OK
            };
            Ok((status, axum::Json(ticket)))
        }
        Err(e) => {
            if matches!(
                &e,
                engine::EngineError::Missing {
                    code: ErrorCode::UnknownCode,
                    ..
                }
            ) {
                for key in &keys {
                    guesses.failed(key, Instant::now());
                }
            }
            Err(e.into())
        }
    }
}
