//! Browser sign-in: sessions kept in the database behind an HttpOnly, SameSite=Strict cookie,
//! and the throttling of failed attempts.
//!
//! A session is 256 random bits in the cookie; the database keeps its SHA-256 (like tokens).
//! It ends after 30 minutes without use, 12 hours after sign-in, or at sign-out. Every sign-in
//! makes a new session, so a session id planted before sign-in is worth nothing.

use std::net::IpAddr;
use std::time::{Duration, Instant};

use axum::http::HeaderMap;
use axum_extra::extract::cookie::{Cookie, SameSite};
use jiff::{SignedDuration, Timestamp};

use super::error::ApiError;
use crate::auth::{Caller, decoy_hash, hash_token, new_token, verify_password};
use crate::state::AppState;
use crate::store::{self, StoreError};

pub const COOKIE: &str = "seira_session";
pub const IDLE: SignedDuration = SignedDuration::from_mins(30);
pub const ABSOLUTE: SignedDuration = SignedDuration::from_hours(12);
/// `last_seen` is written at most this often, not on every request.
const TOUCH_EVERY: SignedDuration = SignedDuration::from_secs(60);

/// Why a sign-in failed.
#[derive(Debug)]
pub enum SignInError {
    /// Too many failures: try again after this long.
    Throttled(Duration),
    /// Unknown name, disabled user or wrong password (never said which).
    Refused,
    Server(ApiError),
}

/// Checks the password and opens a session; returns the cookie's value.
pub async fn sign_in(
    app: &AppState,
    name: &str,
    password: &str,
    address: IpAddr,
) -> Result<String, SignInError> {
    let name = name.trim().to_owned();
    if let Some(wait) = app.throttle.wait(&name, address, Instant::now()) {
        return Err(SignInError::Throttled(wait));
    }
    let lookup = name.clone();
    let user = app
        .db
        .read(move |tx| store::find_user(tx, &lookup).map_err(StoreError::from))
        .await
        .map_err(|e| SignInError::Server(e.into()))?;
    let hash = user
        .as_ref()
        .map_or_else(|| decoy_hash().to_owned(), |u| u.password_hash.clone());
    let password = password.to_owned();
    let matches = tokio::task::spawn_blocking(move || verify_password(&password, &hash))
        .await
        .unwrap_or(false);
    let user = match user {
        Some(user) if matches && !user.disabled => user,
        _ => {
            app.throttle.failed(&name, address, Instant::now());
            tracing::info!(%address, "failed sign-in");
            return Err(SignInError::Refused);
        }
    };
    app.throttle.succeeded(&name, address);
    let (token, hash) = new_token();
    let now = app.now();
    app.db
        .write(move |tx| store::create_session(tx, &hash, user.id, now).map_err(StoreError::from))
        .await
        .map_err(|e| SignInError::Server(e.into()))?;
    Ok(token)
}

/// The session cookie's value, if the request has one.
pub fn cookie_value(headers: &HeaderMap) -> Option<String> {
    axum_extra::extract::CookieJar::from_headers(headers)
        .get(COOKIE)
        .map(|c| c.value().to_owned())
        .filter(|v| !v.is_empty() && v.len() <= 200)
}

/// The signed-in user behind a session cookie, if the session is alive; an expired one is
/// deleted.
pub async fn session_caller(app: &AppState, cookie: &str) -> Result<Option<Caller>, ApiError> {
    let hash = hash_token(cookie);
    let now = app.now();
    let caller = app
        .db
        .write(move |tx| {
            let Some(session) = store::find_session(tx, &hash)? else {
                return Ok(None);
            };
            let expired = now.duration_since(session.last_seen) > IDLE
                || now.duration_since(session.created_at) > ABSOLUTE
                || session.user.disabled;
            if expired {
                store::delete_session(tx, &hash)?;
                return Ok(None);
            }
            if now.duration_since(session.last_seen) > TOUCH_EVERY {
                store::touch_session(tx, &hash, now)?;
            }
            Ok::<_, StoreError>(Some(session.user.caller()))
        })
        .await?;
    Ok(caller)
}

/// Ends the session on the server.
pub async fn sign_out(app: &AppState, cookie: &str) -> Result<(), ApiError> {
    let hash = hash_token(cookie);
    app.db
        .write(move |tx| store::delete_session(tx, &hash).map_err(StoreError::from))
        .await?;
    Ok(())
}

/// Deletes expired sessions (run now and then).
pub async fn purge_expired(app: &AppState) -> Result<usize, ApiError> {
    let now: Timestamp = app.now();
    Ok(app
        .db
        .write(move |tx| {
            store::delete_expired_sessions(tx, now - IDLE, now - ABSOLUTE).map_err(StoreError::from)
        })
        .await?)
}

/// The session cookie: HttpOnly, SameSite=Strict, Secure when served over TLS. It has no
/// expiry of its own, so a shared desk PC forgets it when the browser closes; the server ends
/// the session by itself after [`IDLE`] or [`ABSOLUTE`].
pub fn session_cookie(value: String, secure: bool) -> Cookie<'static> {
    Cookie::build((COOKIE, value))
        .http_only(true)
        .same_site(SameSite::Strict)
        .secure(secure)
        .path("/")
        .build()
}

/// A cookie that removes the session cookie.
pub fn removal_cookie(secure: bool) -> Cookie<'static> {
    let mut c = session_cookie(String::new(), secure);
    c.make_removal();
    c
}

/// Whether the request reached us over TLS (directly, or through a proxy that says so).
pub fn over_tls(headers: &HeaderMap) -> bool {
    headers
        .get("x-forwarded-proto")
        .and_then(|v| v.to_str().ok())
        .is_some_and(|v| v.eq_ignore_ascii_case("https"))
}
