//! `/admin`: an administrator's page for the site's settings (services, desks, hours, calling
//! order), the users and the devices' tokens. The page is a frame; assets/admin.js fills it
//! from the admin API and sends the changes back.

use axum::extract::{Query, State};
use axum::http::{HeaderMap, StatusCode};
use axum::response::{IntoResponse, Redirect, Response};
use axum_extra::extract::CookieJar;
use seira_protocol::Names;
use serde::{Deserialize, Serialize};

use super::layout::{Page, esc, json_block};
use super::{LangQuery, language, signed_in};
use crate::auth::Role;
use crate::state::AppState;

#[derive(Deserialize)]
pub struct AdminQuery {
    lang: Option<String>,
    site: Option<String>,
}

#[derive(Serialize)]
struct Context<'a> {
    lang: &'a str,
    messages: &'a std::collections::BTreeMap<String, String>,
    site: &'a str,
    sites: Vec<(&'a str, &'a Names)>,
    /// Every desk of every site, for the users' and tokens' forms.
    desks: Vec<(&'a str, &'a str, &'a Names)>,
}

pub async fn page(
    State(app): State<AppState>,
    Query(query): Query<AdminQuery>,
    headers: HeaderMap,
    jar: CookieJar,
) -> Response {
    let Some(user) = signed_in(&app, &headers).await else {
        return Redirect::to("/login").into_response();
    };
    let (m, jar) = language(&LangQuery { lang: query.lang }, jar);
    if user.role != Role::Admin {
        let body = format!(
            r#"<section class="card narrow"><h1>{}</h1><p class="alert error" role="alert">{}</p><p><a href="/desk">{}</a></p></section>"#,
            esc(&m.get("admin-title")),
            esc(&m.get("admin-forbidden")),
            esc(&m.get("nav-desk")),
        );
        let mut page = Page {
            messages: m,
            title: m.get("admin-title"),
            body,
            script: None,
            context: None,
            body_class: "staff",
            languages: &crate::i18n::LANGUAGES,
            path: "/admin".into(),
        }
        .render();
        *page.status_mut() = StatusCode::FORBIDDEN;
        return (jar, page).into_response();
    }
    let config = app.config();
    let site = query
        .site
        .filter(|s| config.site(s).is_some())
        .unwrap_or_else(|| config.sites[0].id.clone());
    let context = Context {
        lang: &m.lang,
        messages: &m.table,
        site: &site,
        sites: config
            .sites
            .iter()
            .map(|s| (s.id.as_str(), &s.names))
            .collect(),
        desks: config
            .sites
            .iter()
            .flat_map(|s| {
                s.desks
                    .iter()
                    .map(move |d| (s.id.as_str(), d.id.as_str(), &d.names))
            })
            .collect(),
    };
    let t = |key: &str| esc(&m.get(key));
    let tabs: String = [
        ("centre", "admin-tab-centre"),
        ("services", "admin-services"),
        ("desks", "admin-desks"),
        ("calling", "admin-calling"),
        ("priorities", "admin-priorities"),
        ("news", "admin-news"),
        ("closures", "admin-closures"),
        ("users", "admin-users"),
        ("tokens", "admin-tokens"),
    ]
    .iter()
    .map(|(id, key)| {
        format!(
            r##"<li><a href="#{id}" data-tab="{id}">{}</a></li>"##,
            t(key)
        )
    })
    .collect();
    let body = format!(
        r#"<header class="bar">
<h1>{title}</h1>
<nav aria-label="{title}"><a href="/desk?site={site}">{nav_desk}</a> · <a href="/stats?site={site}">{nav_stats}</a></nav>
<p class="who">{who}</p>
<form method="post" action="/logout"><button type="submit" class="small-button">{logout}</button></form>
</header>
<div id="message" class="alert" role="status" aria-live="polite" hidden></div>
<div class="controls"><div><label for="site-select">{site_label}</label><select id="site-select"></select></div></div>
<nav class="tabs" aria-label="{sections}"><ul>{tabs}</ul></nav>
<form id="settings" novalidate>
<section class="card tab" id="centre" aria-labelledby="centre-h"><h2 id="centre-h">{centre}</h2><div id="centre-fields"></div></section>
<section class="card tab" id="services" aria-labelledby="services-h" hidden><h2 id="services-h">{services}</h2><p id="services-missing" class="alert error" role="status" hidden></p><div id="services-list"></div></section>
<section class="card tab" id="desks" aria-labelledby="desks-h" hidden><h2 id="desks-h">{desks}</h2><div id="desks-list"></div></section>
<section class="card tab" id="calling" aria-labelledby="calling-h" hidden><h2 id="calling-h">{calling}</h2><div id="calling-fields"></div></section>
<section class="card tab" id="news" aria-labelledby="news-h" hidden><h2 id="news-h">{news}</h2><p class="muted small">{news_help}</p><div id="news-list"></div></section>
<section class="card tab" id="closures" aria-labelledby="closures-h" hidden><h2 id="closures-h">{closures}</h2><p class="muted small">{closures_help}</p><div id="closures-list"></div></section>
<p class="save-bar" id="save-bar"><button type="submit" class="primary">{save}</button></p>
</form>
<section class="card tab" id="priorities" aria-labelledby="priorities-h" hidden><h2 id="priorities-h">{priorities}</h2><p class="muted small">{priorities_help}</p><form id="priorities-form" novalidate></form></section>
<section class="card tab" id="users" aria-labelledby="users-h" hidden><h2 id="users-h">{users}</h2><div id="users-list"></div></section>
<section class="card tab" id="tokens" aria-labelledby="tokens-h" hidden><h2 id="tokens-h">{tokens}</h2><div id="tokens-list"></div></section>"#,
        title = t("admin-title"),
        site = esc(&site),
        nav_desk = t("nav-desk"),
        nav_stats = t("nav-stats"),
        who = esc(&m.get_with("signed-in-as", &[("name", &user.label)])),
        logout = t("logout"),
        site_label = t("admin-site"),
        sections = t("admin-sections"),
        centre = t("admin-tab-centre"),
        services = t("admin-services"),
        desks = t("admin-desks"),
        calling = t("admin-calling"),
        news = t("admin-news"),
        news_help = t("admin-news-help"),
        closures = t("admin-closures"),
        closures_help = t("admin-closures-help"),
        save = t("admin-save"),
        priorities = t("admin-priorities"),
        priorities_help = t("admin-priorities-help"),
        users = t("admin-users"),
        tokens = t("admin-tokens"),
    );
    let page = Page {
        messages: m,
        title: m.get("admin-title"),
        body,
        script: Some("admin.js"),
        context: Some(json_block(&context)),
        body_class: "staff admin",
        languages: &crate::i18n::LANGUAGES,
        path: format!("/admin?site={site}"),
    };
    (jar, page.render()).into_response()
}
