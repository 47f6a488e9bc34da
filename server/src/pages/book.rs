//! `/appointments`: the appointment book. A day of the site's book desk by desk, the week's
//! days with their counts, a form to book (service, desk or any, date, time, length, an
//! optional contact and note), and on each appointment: check in, move, cancel, print the
//! citizen's confirmation. Staff and admins keep it; managers read it. The page is a frame;
//! its script (assets/book.js) talks to the same API as everything else.

use axum::extract::{Query, State};
use axum::http::HeaderMap;
use axum::response::{IntoResponse, Redirect, Response};
use axum_extra::extract::CookieJar;
use seira_protocol::Names;
use serde::{Deserialize, Serialize};

use super::layout::{Page, esc, json_block};
use super::{LangQuery, language, signed_in};
use crate::auth::Role;
use crate::http::error::ApiError;
use crate::state::AppState;

#[derive(Deserialize)]
pub struct BookQuery {
    lang: Option<String>,
    /// For admins, who are not tied to a site.
    site: Option<String>,
    /// The day shown first, `YYYY-MM-DD` (today when absent).
    date: Option<String>,
}

#[derive(Serialize)]
struct Context<'a> {
    lang: &'a str,
    messages: &'a std::collections::BTreeMap<String, String>,
    site: &'a str,
    site_names: &'a Names,
    address: &'a str,
    /// Whether this user books (staff, admin) or only reads (manager).
    books: bool,
    today: String,
    date: Option<&'a str>,
    check_in_early_min: i64,
    services: Vec<Service<'a>>,
    desks: Vec<Desk<'a>>,
}

#[derive(Serialize)]
struct Service<'a> {
    id: &'a str,
    prefix: &'a str,
    names: &'a Names,
    /// Booked in steps of this many minutes; `None`: walk-ins only.
    slot_min: Option<i64>,
}

#[derive(Serialize)]
struct Desk<'a> {
    id: &'a str,
    names: &'a Names,
    services: &'a [String],
}

pub async fn page(
    State(app): State<AppState>,
    Query(query): Query<BookQuery>,
    headers: HeaderMap,
    jar: CookieJar,
) -> Response {
    let Some(user) = signed_in(&app, &headers).await else {
        return Redirect::to("/login").into_response();
    };
    let (m, jar) = language(&LangQuery { lang: query.lang }, jar);
    let config = app.config();
    let site_id = match (&user.site, &query.site) {
        (Some(site), _) => site.clone(),
        (None, Some(site)) => site.clone(),
        (None, None) => config.sites[0].id.clone(),
    };
    let Some(site) = config.site(&site_id) else {
        return ApiError::not_found(format!("there is no site `{site_id}`")).into_response();
    };
    if !user.may_see_desks(&site.id) {
        return ApiError::forbidden(format!("`{}` may not see the book", user.label))
            .into_response();
    }
    let context = Context {
        lang: &m.lang,
        messages: &m.table,
        site: &site.id,
        site_names: &site.names,
        address: &site.address,
        books: matches!(user.role, Role::Staff | Role::Admin),
        today: app
            .now()
            .to_zoned_datetime(site.time_zone.clone())
            .date()
            .to_string(),
        date: query
            .date
            .as_deref()
            .filter(|d| d.parse::<jiff::civil::Date>().is_ok()),
        check_in_early_min: site.check_in_early.as_mins(),
        services: site
            .services
            .iter()
            .map(|s| Service {
                id: &s.id,
                prefix: &s.prefix,
                names: &s.names,
                slot_min: s.appointment_slot.map(|d| d.as_mins()),
            })
            .collect(),
        desks: site
            .desks
            .iter()
            .map(|d| Desk {
                id: &d.id,
                names: &d.names,
                services: &d.services,
            })
            .collect(),
    };
    let t = |key: &str| esc(&m.get(key));
    let site_name = esc(seira_protocol::InLang::in_lang(&site.names, &m.lang));
    let body = format!(
        r#"<header class="bar no-print">
<h1>{title} · <span class="muted">{site_name}</span></h1>
<nav aria-label="{desk}"><a href="/desk?site={site}">{desk}</a></nav>
<p class="who">{who}</p>
<form method="post" action="/logout"><button type="submit" class="small-button">{logout}</button></form>
</header>
<div id="message" class="alert no-print" role="status" aria-live="polite" hidden></div>
<div class="book-grid no-print">
<section class="card" aria-labelledby="day-heading">
<div class="controls" role="group" aria-label="{day}">
<button type="button" id="day-previous" class="small-button">{previous}</button>
<div><label for="day">{day}</label><input type="date" id="day"></div>
<button type="button" id="day-next" class="small-button">{next}</button>
<button type="button" id="day-today" class="small-button">{today}</button>
</div>
<h2 id="week-heading">{week}</h2>
<ul id="week" class="week" aria-labelledby="week-heading"></ul>
<h2 id="day-heading"></h2>
<div id="book"></div>
</section>
<section class="card" id="new-section" aria-labelledby="new-heading">
<h2 id="new-heading">{new}</h2>
<form id="new-form">
<label for="new-service">{service}</label><select id="new-service" required></select>
<label for="new-desk">{desk_label}</label><select id="new-desk"></select>
<div class="controls">
<div><label for="new-date">{date}</label><input type="date" id="new-date" required></div>
<div><label for="new-time">{time}</label><input type="time" id="new-time" step="300" required></div>
<div><label for="new-minutes">{minutes}</label><input type="number" id="new-minutes" min="5" max="480" step="5" required></div>
</div>
<label for="new-contact">{contact}</label>
<input id="new-contact" maxlength="100" autocomplete="off" aria-describedby="new-contact-hint">
<p id="new-contact-hint" class="muted small">{contact_hint}</p>
<label for="new-note">{note}</label><input id="new-note" maxlength="200" autocomplete="off">
<p><button type="submit" class="primary">{submit}</button></p>
</form>
<h2 id="import-heading">{import}</h2>
<form id="import-form" aria-labelledby="import-heading">
<p class="muted small" id="import-help">{import_help}</p>
<label for="import-file">{import_file}</label>
<input type="file" id="import-file" accept=".csv,text/csv" aria-describedby="import-help">
<div class="controls"><button type="button" id="import-check">{import_check}</button>
<button type="button" id="import-run" class="go">{import_run}</button></div>
<div id="import-report" role="status"></div>
</form>
</section>
</div>
<section id="confirmation" class="confirmation print-only" aria-hidden="true"></section>"#,
        title = t("book-title"),
        site = esc(&site.id),
        desk = t("desk-title"),
        who = esc(&m.get_with("signed-in-as", &[("name", &user.label)])),
        logout = t("logout"),
        day = t("book-day"),
        previous = t("book-previous"),
        next = t("book-next"),
        today = t("book-today"),
        week = t("book-week"),
        new = t("book-new"),
        service = t("book-service"),
        desk_label = t("book-desk"),
        date = t("book-date"),
        time = t("book-time"),
        minutes = t("book-minutes"),
        contact = t("book-contact"),
        contact_hint = t("book-contact-hint"),
        note = t("book-note"),
        submit = t("book-submit"),
        import = t("import-title"),
        import_help = t("import-help"),
        import_file = t("import-file"),
        import_check = t("import-check"),
        import_run = t("import-run"),
    );
    let page = Page {
        messages: m,
        title: m.get("book-title"),
        body,
        script: Some("book.js"),
        context: Some(json_block(&context)),
        body_class: "staff",
        languages: &crate::i18n::LANGUAGES,
        path: match &query.site {
            Some(s) => format!("/appointments?site={s}"),
            None => "/appointments".into(),
        },
    };
    (jar, page.render()).into_response()
}
