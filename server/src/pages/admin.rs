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
use crate::http::AppState;

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
    let body = format!(
        r#"<header class="bar">
<h1>{title}</h1>
<nav aria-label="{title}"><a href="/desk?site={site}">{nav_desk}</a></nav>
<p class="who">{who}</p>
<form method="post" action="/logout"><button type="submit">{logout}</button></form>
</header>
<p id="message" class="alert" role="status" aria-live="polite" hidden></p>
<div class="controls"><div><label for="site-select">{site_label}</label><select id="site-select"></select></div></div>
<section class="card" aria-labelledby="settings-h"><h2 id="settings-h">{settings}</h2><form id="settings" novalidate></form></section>
<section class="card" aria-labelledby="users-h"><h2 id="users-h">{users}</h2><div id="users"></div></section>
<section class="card" aria-labelledby="tokens-h"><h2 id="tokens-h">{tokens}</h2><div id="tokens"></div></section>"#,
        title = t("admin-title"),
        site = esc(&site),
        nav_desk = t("nav-desk"),
        who = esc(&m.get_with("signed-in-as", &[("name", &user.label)])),
        logout = t("logout"),
        site_label = t("admin-site"),
        settings = t("admin-settings"),
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
        path: format!("/admin?site={site}"),
    };
    (jar, page.render()).into_response()
}
