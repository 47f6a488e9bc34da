//! Pages for everyone, with no sign-in and no personal data: the ticket holder's phone page
//! and the lobby board for a browser (a smart TV, or a fallback screen).

use axum::extract::{Query, State};
use axum::response::{IntoResponse, Response};
use axum_extra::extract::CookieJar;
use seira_protocol::{Board, Names, TicketState, TrackView};
use serde::Serialize;

use super::layout::{Page, esc, json_block};
use super::{LangQuery, language};
use crate::engine;
use crate::http::error::ApiError;
use crate::http::extract::Path;
use crate::i18n::Messages;
use crate::state::AppState;

fn name_in<'a>(names: &'a Names, lang: &str) -> &'a str {
    seira_protocol::InLang::in_lang(names, lang)
}

#[derive(Serialize)]
struct TrackContext<'a> {
    lang: &'a str,
    messages: &'a std::collections::BTreeMap<String, String>,
    ticket: &'a str,
}

/// The phone page of a ticket: `/t/{id}`, the address in the ticket's QR code.
pub async fn track(
    State(app): State<AppState>,
    Path(id): Path<String>,
    Query(query): Query<LangQuery>,
    jar: CookieJar,
) -> Response {
    let (m, jar) = language(&query, jar);
    let lookup = id.clone();
    let now = app.now();
    let view = match app
        .read(move |tx, config| engine::track(tx, config, &lookup, now))
        .await
    {
        Ok(view) => view,
        // A citizen who mistyped the link, or kept an old ticket, gets a page, not JSON.
        Err(crate::engine::EngineError::NotFound { .. }) => {
            let body = format!(
                r#"<section class="card narrow center phone">
<h1>{title}</h1>
<p class="big" id="status">{unknown}</p>
<p>{help}</p>
</section>"#,
                title = esc(&m.get("track-unknown-title")),
                unknown = esc(&m.get("track-unknown")),
                help = esc(&m.get("track-unknown-help")),
            );
            let page = Page {
                messages: m,
                title: m.get("track-unknown-title"),
                body,
                script: None,
                context: None,
                body_class: "public",
                path: format!("/t/{id}"),
            };
            let mut response = page.render();
            *response.status_mut() = axum::http::StatusCode::NOT_FOUND;
            return (jar, response).into_response();
        }
        Err(e) => return ApiError::from(e).into_response(),
    };
    let context = TrackContext {
        lang: &m.lang,
        messages: &m.table,
        ticket: &id,
    };
    let body = format!(
        r#"<section class="card narrow center phone">
<h1>{title}</h1>
<p class="number" id="number">{number}</p>
<p class="service" id="service">{service}</p>
<div id="status" role="status" aria-live="assertive">{status}</div>
<p class="muted small">{updated} {free}</p>
</section>"#,
        title = esc(&m.get("track-title")),
        number = esc(&view.number),
        service = esc(name_in(&view.service_names, &m.lang)),
        status = track_status(m, &view),
        updated = esc(&m.get("track-updated")),
        free = esc(&m.get("track-free")),
    );
    let page = Page {
        messages: m,
        title: format!("{} {}", m.get("track-title"), view.number),
        body,
        script: Some("track.js"),
        context: Some(json_block(&context)),
        body_class: "public",
        path: format!("/t/{id}"),
    };
    (jar, page.render()).into_response()
}

/// The status block of the phone page (the script redraws the same from the API).
fn track_status(m: &Messages, view: &TrackView) -> String {
    let desk = view
        .desk_names
        .as_ref()
        .map(|n| name_in(n, &m.lang))
        .unwrap_or_default();
    let line = |class: &str, text: String| format!(r#"<p class="{class}">{}</p>"#, esc(&text));
    if let (TicketState::Waiting, Some(at)) = (view.state, view.appointment_at) {
        let athens = jiff::tz::TimeZone::get("Europe/Athens").unwrap_or(jiff::tz::TimeZone::UTC);
        let time = at.to_zoned_datetime(athens).strftime("%H:%M").to_string();
        return line("big", m.get_with("track-appointment", &[("time", &time)]));
    }
    match view.state {
        TicketState::Waiting if view.position == 0 => line("big", m.get("track-next")),
        TicketState::Waiting => {
            let minutes = view.estimated_wait_s.div_ceil(60);
            let ahead = line(
                "big",
                m.get_with(
                    "track-position",
                    &[("position", &view.position.to_string())],
                ),
            );
            if minutes == 0 {
                ahead
            } else {
                ahead
                    + &line(
                        "",
                        m.get_with("track-wait", &[("minutes", &minutes.to_string())]),
                    )
            }
        }
        TicketState::Called => line("big called", m.get_with("track-called", &[("desk", desk)])),
        TicketState::Serving => line("big", m.get_with("track-serving", &[("desk", desk)])),
        TicketState::Parked => line("big", m.get("track-parked")),
        TicketState::Done => line("big", m.get("track-done")),
        _ => line("big", m.get("track-ended")),
    }
}

#[derive(Serialize)]
struct BoardContext<'a> {
    lang: &'a str,
    messages: &'a std::collections::BTreeMap<String, String>,
    site: &'a str,
}

/// The lobby board in a browser: `/board/{site}`.
pub async fn board(
    State(app): State<AppState>,
    Path(site): Path<String>,
    Query(query): Query<LangQuery>,
    jar: CookieJar,
) -> Response {
    let (m, jar) = language(&query, jar);
    let now = app.now();
    let lookup = site.clone();
    let board = match app
        .read(move |tx, config| engine::board(tx, config, &lookup, now))
        .await
    {
        Ok(board) => board,
        Err(e) => return ApiError::from(e).into_response(),
    };
    let context = BoardContext {
        lang: &m.lang,
        messages: &m.table,
        site: &site,
    };
    let page = Page {
        messages: m,
        title: name_in(&board.site_names, &m.lang).to_owned(),
        body: board_body(m, &board),
        script: Some("board.js"),
        context: Some(json_block(&context)),
        body_class: "board",
        path: format!("/board/{site}"),
    };
    (jar, page.render()).into_response()
}

fn board_body(m: &Messages, board: &Board) -> String {
    let t = |key: &str| esc(&m.get(key));
    let now = match board.calls.first() {
        Some(call) => format!(
            r#"<p class="now-number">{}</p><p class="now-desk">→ {}</p>"#,
            esc(&call.number),
            esc(name_in(&call.desk_names, &m.lang))
        ),
        None => format!(r#"<p class="muted">{}</p>"#, t("board-none")),
    };
    let recent: String = board
        .calls
        .iter()
        .skip(1)
        .map(|c| {
            format!(
                "<li><span class=\"n\">{}</span> <span class=\"d\">→ {}</span></li>",
                esc(&c.number),
                esc(name_in(&c.desk_names, &m.lang))
            )
        })
        .collect();
    let queues: String = board
        .queues
        .iter()
        .map(|q| {
            format!(
                "<li><span class=\"prefix\">{}</span> {} <strong>{}</strong></li>",
                esc(&q.prefix),
                esc(name_in(&q.names, &m.lang)),
                q.waiting
            )
        })
        .collect();
    format!(
        r#"<header class="board-head"><h1>{site}</h1><p id="clock" class="clock"></p></header>
<div class="board-grid">
<section class="now" aria-live="assertive" aria-labelledby="now-h"><h2 id="now-h">{now_title}</h2><div id="now">{now}</div></section>
<section aria-labelledby="recent-h"><h2 id="recent-h">{recent_title}</h2><ul id="recent" class="recent">{recent}</ul></section>
<section aria-labelledby="queues-h"><h2 id="queues-h">{waiting_title}</h2><ul id="board-queues" class="board-queues">{queues}</ul></section>
</div>
<p id="live" class="live" role="status" hidden>{offline}</p>"#,
        site = esc(name_in(&board.site_names, &m.lang)),
        now_title = t("board-now"),
        recent_title = t("board-recent"),
        waiting_title = t("board-waiting"),
        offline = t("live-offline"),
    )
}
