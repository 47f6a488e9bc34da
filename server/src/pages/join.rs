//! The page of the QR poster at the door, `/join/{site}`: a citizen takes a number on their
//! own phone, for the services the site opened to it, in the kiosk's six languages. The
//! ticket is the kiosk's kind; the page then opens its phone page.

use axum::extract::{Query, State};
use axum::http::HeaderMap;
use axum::response::{IntoResponse, Response};
use axum_extra::extract::CookieJar;
use axum_extra::extract::cookie::{Cookie, SameSite};
use serde::Serialize;

use super::LangQuery;
use super::layout::{Page, esc, json_block};
use super::public::{name_in, public_language};
use crate::engine;
use crate::http::citizens::PHONE_COOKIE;
use crate::http::error::ApiError;
use crate::http::extract::Path;
use crate::state::AppState;

#[derive(Serialize)]
struct JoinContext<'a> {
    lang: &'a str,
    messages: &'a std::collections::BTreeMap<String, String>,
    site: &'a str,
    /// The day's door code the poster's QR code brought, sent with each join.
    door: Option<&'a str>,
}

#[derive(Debug, Default, serde::Deserialize)]
pub struct JoinQuery {
    lang: Option<String>,
    /// The day's door code, from the poster's QR code.
    door: Option<String>,
}

pub async fn page(
    State(app): State<AppState>,
    Path(site): Path<String>,
    Query(query): Query<JoinQuery>,
    headers: HeaderMap,
    jar: CookieJar,
) -> Response {
    let door =
        query.door.as_deref().map(str::trim).filter(|d| {
            !d.is_empty() && d.len() <= 16 && d.chars().all(|c| c.is_ascii_alphanumeric())
        });
    let m = public_language(
        &LangQuery {
            lang: query.lang.clone(),
        },
        None,
        &headers,
    );
    let now = app.now();
    let lookup = site.clone();
    let services = match app
        .read(move |tx, config| engine::services(tx, config, &lookup, now))
        .await
    {
        Ok(services) => services,
        Err(e) => return ApiError::from(e).into_response(),
    };
    let t = |key: &str| esc(&m.get(key));
    let offered: Vec<_> = services.services.iter().filter(|s| s.phone_join).collect();
    let buttons: String = offered
        .iter()
        .map(|s| {
            let state = if s.open_now {
                m.get_with("join-waiting", &[("count", &s.waiting.to_string())])
            } else {
                m.get("join-closed")
            };
            format!(
                r#"<li><button type="button" class="join" data-service="{id}"{disabled}><span class="prefix" dir="ltr">{prefix}</span><span class="name">{name}</span><span class="state">{state}</span></button></li>"#,
                id = esc(&s.id),
                disabled = if s.open_now { "" } else { " disabled" },
                prefix = esc(&s.prefix),
                name = esc(name_in(&s.names, &m.lang)),
                state = esc(&state),
            )
        })
        .collect();
    let choose = if offered.iter().any(|s| s.open_now) {
        format!(
            r#"<p>{}</p><ul class="join-list">{buttons}</ul>"#,
            t("join-choose")
        )
    } else {
        format!(
            r#"<p class="big">{}</p><ul class="join-list">{buttons}</ul>"#,
            t("join-none")
        )
    };
    let body = format!(
        r#"<section class="card narrow center phone">
<h1>{title}</h1>
<p class="service">{site_name}</p>
{choose}
<p id="join-message" class="alert error" role="alert" hidden></p>
<p class="muted small">{free}</p>
</section>"#,
        title = t("join-title"),
        site_name = esc(name_in(&services.site_names, &m.lang)),
        free = t("track-free"),
    );
    let context = JoinContext {
        lang: &m.lang,
        messages: &m.table,
        site: &site,
        door,
    };
    let page = Page {
        messages: m,
        title: m.get("join-title"),
        body,
        script: Some("join.js"),
        context: Some(json_block(&context)),
        body_class: "public",
        languages: &crate::i18n::PUBLIC_LANGUAGES,
        // The language switch keeps the door code.
        path: match door {
            Some(door) => format!("/join/{site}?door={door}"),
            None => format!("/join/{site}"),
        },
    };
    // A random name for this phone, so that the throttle counts phones, not the centre's
    // Wi-Fi; it says nothing about the person, and goes when the browser closes.
    let jar = if jar.get(PHONE_COOKIE).is_none() {
        let cookie = Cookie::build((PHONE_COOKIE, crate::auth::new_ticket_id()))
            .path("/api/v1/sites/")
            .http_only(true)
            .same_site(SameSite::Strict)
            .build();
        jar.add(cookie)
    } else {
        jar
    };
    (jar, page.render()).into_response()
}
