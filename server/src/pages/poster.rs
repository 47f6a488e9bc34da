//! `/join/{site}/poster`: the day's poster for the door, printed by staff each morning where
//! the site asks for door codes (`phone_joining.door_code`). Its QR code opens the join page
//! with the day's code, so only someone who stood at the door can take a number on a phone.
//! "Take a number" is said in the kiosk's six languages; the code is printed large too, for
//! a phone that cannot read the QR code.

use axum::extract::{Query, State};
use axum::http::HeaderMap;
use axum::response::{IntoResponse, Redirect, Response};
use axum_extra::extract::CookieJar;

use super::layout::{Page, esc};
use super::{LangQuery, language, signed_in};
use crate::http::error::ApiError;
use crate::http::extract::Path;
use crate::state::AppState;

pub async fn page(
    State(app): State<AppState>,
    Path(site_id): Path<String>,
    Query(query): Query<LangQuery>,
    headers: HeaderMap,
    jar: CookieJar,
) -> Response {
    let Some(user) = signed_in(&app, &headers).await else {
        return Redirect::to("/login").into_response();
    };
    if !user.may_read_site(&site_id) || user.role.is_device() {
        return ApiError::forbidden("the poster is printed by the site's staff").into_response();
    }
    let (m, jar) = language(&query, jar);
    let config = app.config();
    let Some(site) = config.site(&site_id) else {
        return ApiError::not_found(format!("there is no site `{site_id}`")).into_response();
    };
    let now = app.now();
    let day = crate::queue::numbering::service_day(now, &site.time_zone);
    let lookup = site_id.clone();
    let code = if site.phone_joining.door_code {
        match app
            .read(move |tx, _| crate::engine::door_code(tx, &lookup, day))
            .await
        {
            Ok(code) => Some(code),
            Err(e) => return ApiError::from(e).into_response(),
        }
    } else {
        None
    };
    // The address phones reach: the site's public one, else this server as the browser sees it.
    let base = site.public_url.clone().unwrap_or_else(|| {
        let scheme = headers
            .get("x-forwarded-proto")
            .and_then(|v| v.to_str().ok())
            .unwrap_or("http");
        let host = headers
            .get(axum::http::header::HOST)
            .and_then(|v| v.to_str().ok())
            .unwrap_or("localhost");
        format!("{scheme}://{host}")
    });
    let url = match &code {
        Some(code) => format!("{base}/join/{site_id}?door={code}"),
        None => format!("{base}/join/{site_id}"),
    };
    let qr = match qrcode::QrCode::new(url.as_bytes()) {
        Ok(qr) => qr
            .render::<qrcode::render::svg::Color>()
            .min_dimensions(360, 360)
            .quiet_zone(true)
            .build(),
        Err(e) => return ApiError::internal(e).into_response(),
    };
    let take = crate::i18n::PUBLIC_LANGUAGES
        .iter()
        .map(|lang| {
            let said = crate::i18n::public_messages(lang).get("join-title");
            let dir = if crate::i18n::right_to_left(lang) {
                "rtl"
            } else {
                "ltr"
            };
            format!(r#"<li lang="{lang}" dir="{dir}">{}</li>"#, esc(&said))
        })
        .collect::<String>();
    let site_name = seira_protocol::InLang::in_lang(&site.names, &m.lang);
    let code_line = match &code {
        Some(code) => format!(
            r#"<p class="door-code">{label} <strong id="door-code" data-code="{code}">{code}</strong></p>
<p class="muted">{valid}</p>"#,
            label = esc(&m.get("poster-code")),
            code = esc(code),
            valid = esc(&m.get_with(
                "poster-valid",
                &[("date", &day.strftime("%d/%m/%Y").to_string())]
            )),
        ),
        None => format!(r#"<p class="muted">{}</p>"#, esc(&m.get("poster-no-code"))),
    };
    let body = format!(
        r#"<section class="card center poster">
<h1>{site_name}</h1>
<ul class="poster-take">{take}</ul>
<div class="poster-qr" role="img" aria-label="{qr_label}">{qr}</div>
<p class="poster-url" dir="ltr">{url}</p>
{code_line}
<p class="muted no-print">{print}</p>
</section>"#,
        site_name = esc(site_name),
        qr_label = esc(&m.get("poster-qr")),
        url = esc(&url),
        print = esc(&m.get("poster-print")),
    );
    let page = Page {
        messages: m,
        title: m.get("poster-title"),
        body,
        script: None,
        context: None,
        body_class: "",
        languages: &crate::i18n::LANGUAGES,
        path: format!("/join/{site_id}/poster"),
    };
    (jar, page.render()).into_response()
}
