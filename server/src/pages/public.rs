//! Pages for everyone, with no sign-in and no personal data: the ticket holder's phone page
//! and the lobby board for a browser (a smart TV, or a fallback screen).

use axum::extract::{Query, State};
use axum::http::HeaderMap;
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

pub(super) fn name_in<'a>(names: &'a Names, lang: &str) -> &'a str {
    seira_protocol::InLang::in_lang(names, lang)
}

#[derive(Serialize)]
struct TrackContext<'a> {
    lang: &'a str,
    messages: &'a std::collections::BTreeMap<String, String>,
    ticket: &'a str,
}

/// The phone page of a ticket: `/t/{id}`, the address in the ticket's QR code. It opens in
/// the language the ticket was taken in (or `?lang=`, or the phone's own), in any of the
/// kiosk's six.
pub async fn track(
    State(app): State<AppState>,
    Path(id): Path<String>,
    Query(query): Query<LangQuery>,
    headers: HeaderMap,
) -> Response {
    let lookup = id.clone();
    let now = app.now();
    let view = match app
        .read(move |tx, config| engine::track(tx, config, &lookup, now))
        .await
    {
        Ok(view) => view,
        // A citizen who mistyped the link, or kept an old ticket, gets a page, not JSON.
        Err(crate::engine::EngineError::NotFound { .. }) => {
            let m = public_language(&query, None, &headers);
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
                languages: &crate::i18n::PUBLIC_LANGUAGES,
                path: format!("/t/{id}"),
            };
            let mut response = page.render();
            *response.status_mut() = axum::http::StatusCode::NOT_FOUND;
            return response;
        }
        Err(e) => return ApiError::from(e).into_response(),
    };
    let m = public_language(&query, view.lang.as_deref(), &headers);
    let context = TrackContext {
        lang: &m.lang,
        messages: &m.table,
        ticket: &id,
    };
    let t = |key: &str| esc(&m.get(key));
    let scores: String = (1..=5)
        .map(|score| {
            format!(
                r#"<button type="button" class="score" data-score="{score}"><span class="digit">{score}</span><span class="word">{word}</span></button>"#,
                word = t(&format!("feedback-{score}")),
            )
        })
        .collect();
    let hidden = |show: bool| if show { "" } else { " hidden" };
    let body = format!(
        r#"<section class="card narrow center phone">
<h1>{title}</h1>
<p class="number" id="number" dir="ltr">{number}</p>
<p class="service" id="service">{service}</p>
<div id="status" role="status" aria-live="assertive">{status}</div>
<p id="offline" class="alert error" role="alert" hidden>{offline}</p>
<p id="missed-help" class="muted small"{missed_hidden}>{missed_help}</p>
</section>
<section id="alerts" class="card narrow phone-box" aria-labelledby="alerts-h"{alerts_hidden}>
<h2 id="alerts-h">{alert_heading}</h2>
<button type="button" id="sound">{sound}</button>
<p id="sound-on" class="small" hidden>{sound_on}</p>
<button type="button" id="push" hidden>{push}</button>
<p id="push-on" class="small"{push_on_hidden}>{push_on}</p>
<form id="text-form"{text_form_hidden}>
<label for="phone">{text_label}</label>
<input id="phone" name="phone" type="tel" inputmode="tel" autocomplete="tel" dir="ltr" maxlength="32" required>
<button type="submit" class="primary">{text_send}</button>
<p class="muted small">{text_privacy}</p>
</form>
<div id="text-saved"{text_saved_hidden}><p>{text_saved}</p><button type="button" id="text-remove">{text_remove}</button></div>
<p id="text-message" role="status" class="small"></p>
</section>
<section id="feedback" class="card narrow center phone-box" aria-labelledby="feedback-h"{feedback_hidden}>
<h2 id="feedback-h">{question}</h2>
<div class="scores" dir="ltr">{scores}</div>
<p class="muted small">{anonymous}</p>
</section>
<p id="thanks" class="card narrow center big" role="status" hidden>{thanks}</p>
<p class="narrow center muted small">{updated} {free}</p>"#,
        title = t("track-title"),
        number = esc(&view.number),
        service = esc(name_in(&view.service_names, &m.lang)),
        status = track_status(m, &view),
        offline = t("track-offline"),
        missed_hidden = hidden(view.state == TicketState::Waiting),
        missed_help = t("track-missed-help"),
        alerts_hidden = hidden(view.state == TicketState::Waiting),
        alert_heading = t("alert-heading"),
        sound = t("alert-sound"),
        sound_on = t("alert-sound-on"),
        push = t("alert-push"),
        push_on = t("alert-push-on"),
        push_on_hidden = hidden(view.push_requested),
        text_form_hidden = hidden(view.text_offered && !view.text_requested),
        text_label = t("alert-text-label"),
        text_send = t("alert-text-send"),
        text_privacy = t("alert-text-privacy"),
        text_saved_hidden = hidden(view.text_offered && view.text_requested),
        text_saved = t("alert-text-saved"),
        text_remove = t("alert-text-remove"),
        feedback_hidden = hidden(view.can_rate),
        question = t("feedback-question"),
        anonymous = t("feedback-anonymous"),
        thanks = t("feedback-thanks"),
        updated = t("track-updated"),
        free = t("track-free"),
    );
    let page = Page {
        messages: m,
        title: format!("{} {}", m.get("track-title"), view.number),
        body,
        script: Some("track.js"),
        context: Some(json_block(&context)),
        body_class: "public",
        languages: &crate::i18n::PUBLIC_LANGUAGES,
        path: format!("/t/{id}"),
    };
    page.render()
}

/// The phone pages' language: `?lang=`, else the ticket's, else the first of the phone's
/// own (`Accept-Language`) that the pages have, else Greek. Nothing is remembered: the link
/// on the paper always opens in the language the citizen chose at the kiosk.
pub(super) fn public_language(
    query: &LangQuery,
    ticket: Option<&str>,
    headers: &HeaderMap,
) -> &'static Messages {
    let known = |l: &str| crate::i18n::PUBLIC_LANGUAGES.contains(&l);
    let asked = query.lang.as_deref().filter(|l| known(l));
    let phone = || {
        headers
            .get(axum::http::header::ACCEPT_LANGUAGE)
            .and_then(|v| v.to_str().ok())
            .into_iter()
            .flat_map(|v| v.split(','))
            .map(|part| part.split(';').next().unwrap_or("").trim())
            .map(|tag| tag.split('-').next().unwrap_or("").to_ascii_lowercase())
            .find(|l| known(l))
    };
    let lang = asked
        .map(str::to_owned)
        .or_else(|| ticket.filter(|l| known(l)).map(str::to_owned))
        .or_else(phone)
        .unwrap_or_else(|| "el".to_owned());
    crate::i18n::public_messages(&lang)
}

/// The status block of the phone page (the script redraws the same from the API).
fn track_status(m: &Messages, view: &TrackView) -> String {
    let desk = view
        .desk_names
        .as_ref()
        .map(|n| name_in(n, &m.lang))
        .unwrap_or_default();
    let line = |class: &str, text: String| format!(r#"<p class="{class}">{}</p>"#, esc(&text));
    let near = if view.near_turn {
        line("alert near", m.get("track-near"))
    } else {
        String::new()
    };
    if let (TicketState::Waiting, Some(at)) = (view.state, view.appointment_at) {
        let athens = jiff::tz::TimeZone::get("Europe/Athens").unwrap_or(jiff::tz::TimeZone::UTC);
        let time = at.to_zoned_datetime(athens).strftime("%H:%M").to_string();
        return line("big", m.get_with("track-appointment", &[("time", &time)])) + &near;
    }
    match view.state {
        TicketState::Waiting if view.position == 0 => line("big", m.get("track-next")) + &near,
        TicketState::Waiting => {
            let ahead = line(
                "big",
                m.get_with(
                    "track-position",
                    &[("position", &view.position.to_string())],
                ),
            );
            let wait = match (view.wait_range_s, view.estimated_wait_s.div_ceil(60)) {
                (Some([low, high]), _) => line(
                    "",
                    m.get_with(
                        "track-wait-range",
                        &[
                            ("low", &(low / 60).to_string()),
                            ("high", &high.div_ceil(60).to_string()),
                        ],
                    ),
                ),
                (None, 0) => String::new(),
                (None, minutes) => line(
                    "",
                    m.get_with("track-wait", &[("minutes", &minutes.to_string())]),
                ),
            };
            ahead + &wait + &near
        }
        TicketState::Called => line("big called", m.get_with("track-called", &[("desk", desk)])),
        TicketState::Serving => line("big", m.get_with("track-serving", &[("desk", desk)])),
        TicketState::Parked => line("big", m.get("track-parked")),
        TicketState::Done => line("big", m.get("track-done")),
        TicketState::NoShow => line("big missed", m.get("track-missed")),
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
        languages: &crate::i18n::LANGUAGES,
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
