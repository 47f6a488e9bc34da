//! `/desk`: where staff call and serve. The page is a frame; its script (assets/desk.js)
//! fills it from the API and keeps it live from the event stream.

use axum::extract::{Query, State};
use axum::http::HeaderMap;
use axum::response::{IntoResponse, Redirect, Response};
use axum_extra::extract::CookieJar;
use seira_protocol::{EventKind, Names};
use serde::{Deserialize, Serialize};

use super::layout::{Page, esc, json_block};
use super::{LangQuery, language, signed_in};
use crate::auth::Role;
use crate::state::AppState;

#[derive(Deserialize)]
pub struct DeskQuery {
    lang: Option<String>,
    /// For admins, who are not tied to a site.
    site: Option<String>,
}

/// What the script needs to know: who, where, and the words.
#[derive(Serialize)]
struct Context<'a> {
    lang: &'a str,
    messages: &'a std::collections::BTreeMap<String, String>,
    user: &'a str,
    /// Whether the user acts at desks (staff, admin) or only watches (manager).
    acts: bool,
    site: &'a str,
    /// The desks this user acts at.
    desks: Vec<DeskInfo<'a>>,
    /// Every desk of the site (a transfer may name any of them).
    all_desks: Vec<DeskInfo<'a>>,
    services: Vec<ServiceInfo<'a>>,
    /// Priority category names by id.
    priorities: std::collections::BTreeMap<&'a str, &'a Names>,
    event_kinds: Vec<&'static str>,
    /// How long a no-show can be undone, for the message that offers it.
    undo_window_min: i64,
    /// How late after its start an appointment keeps its place (the list's "late").
    check_in_late_min: i64,
    /// Whether any service of the site takes appointments (the section is shown).
    appointments: bool,
}

#[derive(Serialize)]
struct DeskInfo<'a> {
    id: &'a str,
    names: &'a Names,
    services: &'a [String],
}

#[derive(Serialize)]
struct ServiceInfo<'a> {
    id: &'a str,
    prefix: &'a str,
    names: &'a Names,
}

pub async fn page(
    State(app): State<AppState>,
    Query(query): Query<DeskQuery>,
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
        return crate::http::error::ApiError::not_found(format!("there is no site `{site_id}`"))
            .into_response();
    };
    let acts = matches!(user.role, Role::Staff | Role::Admin);
    let desks = site
        .desks
        .iter()
        .filter(|d| acts && user.may_act_at_desk(&site.id, &d.id))
        .map(|d| DeskInfo {
            id: &d.id,
            names: &d.names,
            services: &d.services,
        })
        .collect();
    let context = Context {
        lang: &m.lang,
        messages: &m.table,
        user: &user.label,
        acts,
        site: &site.id,
        desks,
        all_desks: site
            .desks
            .iter()
            .map(|d| DeskInfo {
                id: &d.id,
                names: &d.names,
                services: &d.services,
            })
            .collect(),
        services: site
            .services
            .iter()
            .map(|s| ServiceInfo {
                id: &s.id,
                prefix: &s.prefix,
                names: &s.names,
            })
            .collect(),
        priorities: config
            .priorities
            .iter()
            .map(|p| (p.id.as_str(), &p.names))
            .collect(),
        event_kinds: EventKind::ALL.iter().map(|k| k.as_str()).collect(),
        undo_window_min: site.undo_window.as_mins(),
        check_in_late_min: site.check_in_late.as_mins(),
        appointments: site.services.iter().any(|s| s.appointment_slot.is_some()),
    };
    let t = |key: &str| esc(&m.get(key));
    let site_name = esc(seira_protocol::InLang::in_lang(&site.names, &m.lang));
    let body = format!(
        r#"<header class="bar">
<h1>{title} · <span class="muted">{site_name}</span></h1>
{admin_link}<p id="live" class="live" role="status">{offline}</p>
<p class="who">{who}</p>
<form method="post" action="/logout"><button type="submit" class="small-button">{logout}</button></form>
</header>
<p id="device-alert" class="alert error" role="alert" hidden></p>
<div id="message" class="alert" role="status" aria-live="polite" hidden></div>
<div class="desk-grid">
<section class="card" id="desk-panel" aria-labelledby="desk-heading">
<div id="desk-controls"></div>
<h2 id="desk-heading">{in_hand}</h2>
<div id="in-hand"></div>
<div id="actions" class="actions"></div>
<p class="muted small">{shortcuts}</p>
</section>
<section class="card" aria-labelledby="waiting-heading">
<h2 id="queues-heading" class="visually-hidden">{queues}</h2>
<ul id="queues" class="queues" aria-labelledby="queues-heading"></ul>
<h2 id="waiting-heading">{waiting}</h2>
<div id="waiting"></div>
<div id="others"></div>
<section id="appointments-section" aria-labelledby="appointments-heading" hidden>
<h2 id="appointments-heading">{appointments}</h2>
<form id="check-in-form" class="controls">
<div><label for="check-in-code">{check_in_code}</label>
<input id="check-in-code" autocomplete="off" autocapitalize="characters" spellcheck="false" maxlength="9" placeholder="{check_in_placeholder}"></div>
<button type="submit" class="go">{check_in}</button>
</form>
<div id="appointments"></div>
</section>
<h2 id="parked-heading">{parked}</h2>
<div id="parked"></div>
<div class="side-by-side">
<div><h2 id="desks-heading">{desks}</h2>
<ul id="desks" class="desks"></ul></div>
<div><h2 id="devices-heading">{devices}</h2>
<ul id="devices" class="desks"></ul></div>
</div>
</section>
</div>"#,
        title = t("desk-title"),
        admin_link = match user.role {
            Role::Admin => format!(
                r#"<nav aria-label="{0}"><a href="/admin?site={1}">{0}</a> · <a href="/stats?site={1}">{2}</a> · <a href="/appointments?site={1}">{3}</a></nav>"#,
                t("nav-admin"),
                esc(&site.id),
                t("nav-stats"),
                t("nav-appointments"),
            ),
            Role::Manager => format!(
                r#"<nav aria-label="{0}"><a href="/stats?site={1}">{0}</a> · <a href="/appointments?site={1}">{2}</a></nav>"#,
                t("nav-stats"),
                esc(&site.id),
                t("nav-appointments"),
            ),
            _ => format!(
                r#"<nav aria-label="{0}"><a href="/appointments">{0}</a></nav>"#,
                t("nav-appointments"),
            ),
        },
        offline = t("live-offline"),
        who = esc(&m.get_with("signed-in-as", &[("name", &user.label)])),
        logout = t("logout"),
        in_hand = t("in-hand"),
        shortcuts = t("shortcuts"),
        queues = t("queues-title"),
        waiting = t("waiting-title"),
        parked = t("parked-title"),
        appointments = t("appointments-title"),
        check_in_code = t("check-in-code"),
        check_in_placeholder = t("check-in-code-placeholder"),
        check_in = t("action-check-in"),
        desks = t("desks-title"),
        devices = t("devices-title"),
    );
    let page = Page {
        messages: m,
        title: m.get("desk-title"),
        body,
        script: Some("desk.js"),
        context: Some(json_block(&context)),
        body_class: "staff",
        languages: &crate::i18n::LANGUAGES,
        path: match &query.site {
            Some(s) => format!("/desk?site={s}"),
            None => "/desk".into(),
        },
    };
    (jar, page.render()).into_response()
}
