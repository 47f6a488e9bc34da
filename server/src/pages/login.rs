//! Sign-in and sign-out, and the start page that sends each role where it works.

use std::net::SocketAddr;

use axum::Form;
use axum::extract::{ConnectInfo, Query, State};
use axum::http::{HeaderMap, StatusCode};
use axum::response::{IntoResponse, Redirect, Response};
use axum_extra::extract::CookieJar;
use serde::Deserialize;

use super::layout::{Page, esc};
use super::{LangQuery, language, signed_in};
use crate::http::session::{self, SignInError, over_tls, removal_cookie, session_cookie, sign_in};
use crate::i18n::Messages;
use crate::state::AppState;

/// `/`: the desk page for the signed-in, the sign-in form for everyone else.
pub async fn home(State(app): State<AppState>, headers: HeaderMap) -> Redirect {
    match signed_in(&app, &headers).await {
        // Managers come for the figures; everyone else to the desks.
        Some(user) if user.role == crate::auth::Role::Manager => Redirect::to("/stats"),
        Some(user) if user.role == crate::auth::Role::Admin => Redirect::to("/admin"),
        Some(_) => Redirect::to("/desk"),
        None => Redirect::to("/login"),
    }
}

pub async fn form(
    State(app): State<AppState>,
    Query(query): Query<LangQuery>,
    headers: HeaderMap,
    jar: CookieJar,
) -> Response {
    if signed_in(&app, &headers).await.is_some() {
        return Redirect::to("/").into_response();
    }
    let (messages, jar) = language(&query, jar);
    (jar, login_page(messages, "", None, StatusCode::OK)).into_response()
}

fn login_page(m: &Messages, name: &str, error: Option<String>, status: StatusCode) -> Response {
    let error = error
        .map(|e| format!(r#"<p class="alert error" role="alert">{}</p>"#, esc(&e)))
        .unwrap_or_default();
    let body = format!(
        r#"<section class="card narrow">
<h1>{title}</h1>
{error}
<form method="post" action="/login">
<label for="username">{user_label}</label>
<input id="username" name="username" autocomplete="username" required maxlength="80" value="{name}" autofocus>
<label for="password">{password_label}</label>
<input id="password" name="password" type="password" autocomplete="current-password" required maxlength="200">
<button class="primary big" type="submit">{submit}</button>
</form>
<p class="muted"><a href="/api/v1/docs">{docs}</a></p>
</section>"#,
        title = esc(&m.get("login-title")),
        user_label = esc(&m.get("login-username")),
        password_label = esc(&m.get("login-password")),
        submit = esc(&m.get("login-submit")),
        docs = esc(&m.get("login-api-docs")),
        name = esc(name),
    );
    let mut response = Page {
        messages: m,
        title: m.get("login-title"),
        body,
        script: None,
        context: None,
        body_class: "",
        languages: &crate::i18n::LANGUAGES,
        path: "/login".into(),
    }
    .render();
    *response.status_mut() = status;
    response
}

#[derive(Deserialize)]
pub struct LoginForm {
    username: String,
    password: String,
}

pub async fn submit(
    State(app): State<AppState>,
    ConnectInfo(peer): ConnectInfo<SocketAddr>,
    headers: HeaderMap,
    jar: CookieJar,
    form: Result<Form<LoginForm>, axum::extract::rejection::FormRejection>,
) -> Response {
    let (m, jar) = language(&LangQuery::default(), jar);
    // A page answers as a page: a form too large, of another type or missing a field says so
    // on the sign-in page (413, 415, 400…), never in the API's JSON or as bare text.
    let form = match form {
        Ok(Form(form)) => form,
        Err(rejection) => {
            return login_page(m, "", Some(m.get("login-bad-form")), rejection.status());
        }
    };
    let name = form.username.chars().take(80).collect::<String>();
    match sign_in(&app, &name, &form.password, peer.ip()).await {
        Ok(token) => {
            let jar = jar.add(session_cookie(token, over_tls(&headers)));
            // `/` sends each role to its page: managers to the statistics, others to the desks.
            (jar, Redirect::to("/")).into_response()
        }
        Err(SignInError::Throttled(wait)) => {
            let minutes = wait.as_secs().div_ceil(60).to_string();
            let text = m.get_with("login-throttled", &[("minutes", &minutes)]);
            let mut r = login_page(m, &name, Some(text), StatusCode::TOO_MANY_REQUESTS);
            if let Ok(v) = wait.as_secs().to_string().parse() {
                r.headers_mut().insert(axum::http::header::RETRY_AFTER, v);
            }
            r
        }
        Err(SignInError::Refused) => login_page(
            m,
            &name,
            Some(m.get("login-failed")),
            StatusCode::UNAUTHORIZED,
        ),
        // The server's own trouble (a full disk…), said on the page, with its status.
        Err(SignInError::Server(e)) => {
            let key = if e.code == seira_protocol::ErrorCode::DiskFull {
                "login-disk-full"
            } else {
                "login-server-error"
            };
            login_page(m, &name, Some(m.get(key)), e.status)
        }
    }
}

/// Ends the session on the server and removes the cookie.
pub async fn logout(State(app): State<AppState>, headers: HeaderMap, jar: CookieJar) -> Response {
    if let Some(cookie) = session::cookie_value(&headers)
        && let Err(e) = session::sign_out(&app, &cookie).await
    {
        return e.into_response();
    }
    let jar = jar.add(removal_cookie(over_tls(&headers)));
    (jar, Redirect::to("/login")).into_response()
}
