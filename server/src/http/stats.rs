//! The managers' statistics: JSON, CSV and XLSX of one site and period.

use axum::extract::State;
use axum::http::header;
use axum::response::{IntoResponse, Response};
use jiff::civil::Date;
use seira_protocol::ApiError as ErrorBody;
use seira_protocol::ErrorCode;
use serde::Deserialize;
use utoipa_axum::{router::OpenApiRouter, routes};

use super::error::{ApiError, ApiResult};
use super::extract::{Auth, Query};
use crate::engine;
use crate::state::AppState;
use crate::stats::export::{self, Section};
use crate::stats::{Figures, LiveToday};

/// The longest period asked at once: a year, with a leap day.
const LONGEST_PERIOD_DAYS: i32 = 366;
/// The period shown when none is asked: the last 30 days, today included.
pub const DEFAULT_DAYS: i64 = 30;

pub fn routes() -> OpenApiRouter<AppState> {
    OpenApiRouter::new()
        .routes(routes!(stats))
        .routes(routes!(stats_csv))
        .routes(routes!(stats_xlsx))
        .routes(routes!(stats_live))
}

#[derive(Debug, Deserialize, utoipa::IntoParams)]
#[into_params(parameter_in = Query)]
pub struct StatsQuery {
    /// Site id, e.g. `chania`.
    pub site: String,
    /// First day, `YYYY-MM-DD`, in the site's time zone (default: 29 days before `to`).
    pub from: Option<String>,
    /// Last day, inclusive (default: today).
    pub to: Option<String>,
    /// Language of the exports' headings and names: `el` (default) or `en`.
    pub lang: Option<String>,
    /// CSV only: the field separator, `semicolon` (the default in Greek, as Greek-locale
    /// Excel and LibreOffice expect), `comma` (the default in English) or `tab`.
    pub separator: Option<String>,
    /// CSV only: the decimal mark, `comma` (the default in Greek) or `point` (in English).
    pub decimal: Option<String>,
}

/// A checked period.
pub struct Period {
    pub site: String,
    pub from: Date,
    pub to: Date,
    pub lang: String,
    pub csv: export::CsvStyle,
}

pub(super) fn date(value: &str, name: &str) -> ApiResult<Date> {
    value.parse().map_err(|_| {
        ApiError::bad_request(
            ErrorCode::BadDate,
            format!("`{name}` must be a date as YYYY-MM-DD, not `{value}`"),
        )
    })
}

/// Checks the query against the site and the calendar.
pub fn period(app: &AppState, query: StatsQuery) -> ApiResult<Period> {
    let config = app.config();
    let site = config
        .site(&query.site)
        .ok_or_else(|| ApiError::not_found(format!("there is no site `{}`", query.site)))?;
    let today = app.now().to_zoned_datetime(site.time_zone.clone()).date();
    let to = match &query.to {
        Some(to) => date(to, "to")?,
        None => today,
    };
    let from = match &query.from {
        Some(from) => date(from, "from")?,
        None => to
            .checked_sub(jiff::SignedDuration::from_hours(24 * (DEFAULT_DAYS - 1)))
            .unwrap_or(to),
    };
    if from > to {
        return Err(ApiError::bad_request(
            ErrorCode::BadPeriod,
            format!("the period starts ({from}) after it ends ({to})"),
        ));
    }
    let days = from
        .until(to)
        .map(|span| span.get_days())
        .unwrap_or(i32::MAX);
    if days >= LONGEST_PERIOD_DAYS {
        return Err(ApiError::bad_request(
            ErrorCode::BadPeriod,
            format!("a period is at most {LONGEST_PERIOD_DAYS} days; ask for a year at a time"),
        ));
    }
    let lang = match query.lang.as_deref() {
        None | Some("el") => "el",
        Some("en") => "en",
        Some(other) => {
            return Err(ApiError::bad_request(
                ErrorCode::InvalidLang,
                format!("no statistics in `{other}`: use el or en"),
            ));
        }
    };
    let mut csv = export::CsvStyle::for_lang(lang);
    match query.separator.as_deref() {
        None => {}
        Some("semicolon") => csv.separator = b';',
        Some("comma") => csv.separator = b',',
        Some("tab") => csv.separator = b'\t',
        Some(other) => {
            return Err(ApiError::bad_request(
                ErrorCode::BadSeparator,
                format!("no separator `{other}`: use semicolon, comma or tab"),
            ));
        }
    }
    match query.decimal.as_deref() {
        None => {}
        Some("comma") => csv.decimal = ',',
        Some("point") => csv.decimal = '.',
        Some(other) => {
            return Err(ApiError::bad_request(
                ErrorCode::BadDecimal,
                format!("no decimal mark `{other}`: use comma or point"),
            ));
        }
    }
    if csv.separator == b',' && csv.decimal == ',' {
        return Err(ApiError::bad_request(
            ErrorCode::BadDecimal,
            "a decimal comma needs another separator than the comma",
        ));
    }
    Ok(Period {
        site: site.id.clone(),
        from,
        to,
        lang: lang.to_owned(),
        csv,
    })
}

/// Reads the figures, for a caller allowed to see them.
pub async fn figures(
    app: &AppState,
    auth: Auth,
    query: StatsQuery,
) -> ApiResult<(Period, Figures)> {
    let period = period(app, query)?;
    let site = period.site.clone();
    auth.require(|c| c.may_read_stats(&site))?;
    let (from, to) = (period.from, period.to);
    let figures = app
        .read(move |tx, config| engine::figures(tx, config, &site, from, to))
        .await?;
    Ok((period, figures))
}

/// How a slice is named for people, in `lang`.
pub fn namer(app: &AppState, site: &str, lang: &str) -> impl Fn(Section, &str) -> String + use<> {
    let config = app.config();
    let lang = lang.to_owned();
    let site = site.to_owned();
    move |section, key| {
        let in_lang = |names: &seira_protocol::Names| {
            use seira_protocol::InLang;
            Some(names.in_lang(&lang))
                .filter(|n| !n.is_empty())
                .map_or_else(|| key.to_owned(), str::to_owned)
        };
        let site = config.site(&site);
        match section {
            Section::Total => if lang == "en" { "All" } else { "Όλα" }.to_owned(),
            Section::Service => site
                .and_then(|s| s.service(key))
                .map_or_else(|| key.to_owned(), |s| in_lang(&s.names)),
            Section::Desk => site
                .and_then(|s| s.desks.iter().find(|d| d.id == key))
                .map_or_else(|| key.to_owned(), |d| in_lang(&d.names)),
            Section::Staff | Section::Token | Section::Day => key.to_owned(),
            Section::Hour => {
                let hour: u32 = key.parse().unwrap_or(0);
                format!("{hour:02}:00–{:02}:00", hour + 1)
            }
            Section::Weekday => weekday_name(key, &lang),
            Section::Channel => crate::i18n::messages(&lang).get(match key {
                "appointment" => "stats-channel-appointment",
                _ => "stats-channel-walk-in",
            }),
        }
    }
}

/// `1` → Δευτέρα / Monday, from the pages' translations.
pub fn weekday_name(key: &str, lang: &str) -> String {
    const KEYS: [&str; 7] = [
        "day-mon", "day-tue", "day-wed", "day-thu", "day-fri", "day-sat", "day-sun",
    ];
    let i = key.parse::<usize>().unwrap_or(1).clamp(1, 7) - 1;
    crate::i18n::messages(lang).get(KEYS[i])
}

/// A site's statistics for a period: volumes, waiting and service times (mean, median, 90th
/// percentile, maximum), the share within target, by service, desk, staff member, hour,
/// weekday and day; the waiting-time distribution and a weekday × hour map of arrivals.
#[utoipa::path(
    get, path = "/api/v1/stats", tag = "stats",
    params(StatsQuery),
    responses(
        (status = 200, body = Figures),
        (status = 400, body = ErrorBody), (status = 401, body = ErrorBody),
        (status = 403, body = ErrorBody), (status = 404, body = ErrorBody),
    ),
    security(("bearer" = []))
)]
async fn stats(
    State(app): State<AppState>,
    auth: Auth,
    Query(query): Query<StatsQuery>,
) -> ApiResult<axum::Json<Figures>> {
    let (_, figures) = figures(&app, auth, query).await?;
    Ok(axum::Json(figures))
}

fn download(content_type: &'static str, name: String, body: Vec<u8>) -> Response {
    (
        [
            (header::CONTENT_TYPE, content_type.to_owned()),
            (
                header::CONTENT_DISPOSITION,
                format!("attachment; filename=\"{name}\""),
            ),
        ],
        body,
    )
        .into_response()
}

/// The same as a CSV table: a row per slice, `section` telling the breakdown. UTF-8 with a
/// byte-order mark; in Greek `;`-separated with a decimal comma, so that it opens right with
/// a double click in Greek-locale Excel and LibreOffice (`separator`, `decimal` to change).
/// A name that would start a formula (`=`, `+`, `-`, `@`) is written as text.
#[utoipa::path(
    get, path = "/api/v1/stats.csv", tag = "stats",
    params(StatsQuery),
    responses(
        (status = 200, content_type = "text/csv", body = String),
        (status = 400, body = ErrorBody), (status = 401, body = ErrorBody),
        (status = 403, body = ErrorBody), (status = 404, body = ErrorBody),
    ),
    security(("bearer" = []))
)]
async fn stats_csv(
    State(app): State<AppState>,
    auth: Auth,
    Query(query): Query<StatsQuery>,
) -> ApiResult<Response> {
    export_file(&app, auth, query, FileFormat::Csv).await
}

/// The two file formats of the figures.
#[derive(Clone, Copy)]
enum FileFormat {
    Csv,
    Xlsx,
}

async fn export_file(
    app: &AppState,
    auth: Auth,
    query: StatsQuery,
    format: FileFormat,
) -> ApiResult<Response> {
    let (period, figures) = figures(app, auth, query).await?;
    let name = namer(app, &period.site, &period.lang);
    let (body, content_type, extension) = match format {
        FileFormat::Csv => (
            export::csv(&figures, &period.lang, period.csv, &name).map_err(ApiError::internal)?,
            "text/csv; charset=utf-8",
            "csv",
        ),
        FileFormat::Xlsx => (
            export::xlsx(&figures, &period.lang, &name).map_err(ApiError::internal)?,
            "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
            "xlsx",
        ),
    };
    Ok(download(
        content_type,
        format!(
            "seira-{}-{}-{}.{extension}",
            period.site, period.from, period.to
        ),
        body,
    ))
}

/// The same as an Excel workbook: a sheet per breakdown.
#[utoipa::path(
    get, path = "/api/v1/stats.xlsx", tag = "stats",
    params(StatsQuery),
    responses(
        (status = 200, content_type = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet", body = Vec<u8>),
        (status = 400, body = ErrorBody), (status = 401, body = ErrorBody),
        (status = 403, body = ErrorBody), (status = 404, body = ErrorBody),
    ),
    security(("bearer" = []))
)]
async fn stats_xlsx(
    State(app): State<AppState>,
    auth: Auth,
    Query(query): Query<StatsQuery>,
) -> ApiResult<Response> {
    export_file(&app, auth, query, FileFormat::Xlsx).await
}

#[derive(Debug, Deserialize, utoipa::IntoParams)]
#[into_params(parameter_in = Query)]
pub struct LiveQuery {
    /// Site id, e.g. `chania`.
    pub site: String,
}

/// Today at a site, now: who waits for which service and for how long, and how many desks
/// are open, paused and serving. The managers' page refreshes it every 30 s.
#[utoipa::path(
    get, path = "/api/v1/stats/live", tag = "stats",
    params(LiveQuery),
    responses(
        (status = 200, body = LiveToday),
        (status = 400, body = ErrorBody), (status = 401, body = ErrorBody),
        (status = 403, body = ErrorBody), (status = 404, body = ErrorBody),
    ),
    security(("bearer" = []))
)]
async fn stats_live(
    State(app): State<AppState>,
    auth: Auth,
    Query(query): Query<LiveQuery>,
) -> ApiResult<axum::Json<LiveToday>> {
    let site = query.site;
    if app.config().site(&site).is_none() {
        return Err(ApiError::not_found(format!("there is no site `{site}`")));
    }
    auth.require(|c| c.may_read_stats(&site))?;
    let now = app.now();
    let live = app
        .read(move |tx, config| engine::live_today(tx, config, &site, now))
        .await?;
    Ok(axum::Json(live))
}
