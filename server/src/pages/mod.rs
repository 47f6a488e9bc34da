//! The pages the server shows in a browser, Greek by default with an English switch:
//! sign-in, the staff desk, and the public phone and lobby-board pages. They are plain HTML
//! made here, with a small script each (in `server/assets/`) that talks to the JSON API and
//! its event stream: nothing to install, no build step, nothing from outside the LAN.

mod admin;
mod assets;
mod book;
mod desk;
mod join;
mod layout;
mod login;
mod poster;
mod public;
mod stats;

use axum::Router;
use axum::http::HeaderMap;
use axum::routing::{get, post};
use axum_extra::extract::CookieJar;
use axum_extra::extract::cookie::{Cookie, SameSite};
use serde::Deserialize;

use crate::i18n::{LANGUAGES, Messages};
use crate::state::AppState;

pub fn routes() -> Router<AppState> {
    Router::new()
        .route("/", get(login::home))
        .route("/login", get(login::form).post(login::submit))
        .route("/logout", post(login::logout))
        .route("/desk", get(desk::page))
        .route("/admin", get(admin::page))
        .route("/stats", get(stats::page))
        .route("/appointments", get(book::page))
        .route("/t/{id}", get(public::track))
        .route("/board/{site}", get(public::board))
        .route("/join/{site}", get(join::page))
        .route("/join/{site}/poster", get(poster::page))
        .route("/assets/{name}", get(assets::serve))
}

/// A page for an address that is no page: in Greek and English, with the way back.
pub fn not_found() -> axum::response::Response {
    let m = crate::i18n::messages("el");
    let en = crate::i18n::messages("en");
    let body = format!(
        r#"<section class="card narrow center">
<h1>{title}</h1>
<p>{text}</p>
<p lang="en">{text_en}</p>
<p><a href="/">{home}</a></p>
</section>"#,
        title = layout::esc(&m.get("not-found-title")),
        text = layout::esc(&m.get("not-found")),
        text_en = layout::esc(&en.get("not-found")),
        home = layout::esc(&m.get("not-found-home")),
    );
    let mut response = layout::Page {
        messages: m,
        title: m.get("not-found-title"),
        body,
        script: None,
        context: None,
        body_class: "",
        languages: &LANGUAGES,
        path: "/".to_owned(),
    }
    .render();
    *response.status_mut() = axum::http::StatusCode::NOT_FOUND;
    response
}

const LANG_COOKIE: &str = "seira_lang";

#[derive(Debug, Default, Deserialize)]
pub struct LangQuery {
    lang: Option<String>,
}

/// The page language: `?lang=` (remembered in a cookie), else the cookie, else Greek.
fn language(query: &LangQuery, jar: CookieJar) -> (&'static Messages, CookieJar) {
    let chosen = query.lang.as_deref().filter(|l| LANGUAGES.contains(l));
    match chosen {
        Some(lang) => {
            let cookie = Cookie::build((LANG_COOKIE, lang.to_owned()))
                .path("/")
                .same_site(SameSite::Strict)
                .permanent()
                .build();
            (crate::i18n::messages(lang), jar.add(cookie))
        }
        None => {
            let lang = jar
                .get(LANG_COOKIE)
                .map(|c| c.value().to_owned())
                .unwrap_or_else(|| LANGUAGES[0].to_owned());
            (crate::i18n::messages(&lang), jar)
        }
    }
}

/// The signed-in user of a page request, if any.
async fn signed_in(app: &AppState, headers: &HeaderMap) -> Option<crate::auth::Caller> {
    let cookie = crate::http::session::cookie_value(headers)?;
    crate::http::session::session_caller(app, &cookie)
        .await
        .ok()
        .flatten()
}
