//! Browser sign-in: sessions kept in the database behind an HttpOnly, SameSite=Strict cookie,
//! and the throttling of failed attempts.
//!
//! A session is 256 random bits in the cookie; the database keeps its SHA-256 (like tokens).
//! It ends after 30 minutes without use, 12 hours after sign-in, or at sign-out. Every sign-in
//! makes a new session, so a session id planted before sign-in is worth nothing.

use std::collections::HashMap;
use std::net::IpAddr;
use std::sync::Mutex;
use std::time::{Duration, Instant};

use axum::http::HeaderMap;
use axum_extra::extract::cookie::{Cookie, SameSite};
use jiff::{SignedDuration, Timestamp};

use super::AppState;
use super::error::ApiError;
use crate::auth::{Caller, decoy_hash, hash_token, new_token, verify_password};
use crate::store::{self, StoreError};

pub const COOKIE: &str = "seira_session";
pub const IDLE: SignedDuration = SignedDuration::from_mins(30);
pub const ABSOLUTE: SignedDuration = SignedDuration::from_hours(12);
/// `last_seen` is written at most this often, not on every request.
const TOUCH_EVERY: SignedDuration = SignedDuration::from_secs(60);

/// Failed sign-ins counted over this window.
const WINDOW: Duration = Duration::from_secs(15 * 60);
/// Failures allowed for one account from one address.
const MAX_PER_ACCOUNT: usize = 5;
const MAX_PER_ADDRESS: usize = 20;

/// Failed sign-in attempts per account name *from one address*, and per client address, in
/// memory (a restart forgets them, which only helps the legitimate user). Counting an
/// account's failures per address means a stranger's wrong guesses block the stranger, not
/// the staff member signing in at their own desk (ASVS 2.2.1: throttling must not become a
/// way to lock people out).
#[derive(Default)]
pub struct Throttle {
    failures: Mutex<Failures>,
}

#[derive(Default)]
struct Failures {
    by_account: HashMap<(String, IpAddr), Vec<Instant>>,
    by_address: HashMap<IpAddr, Vec<Instant>>,
}

impl Throttle {
    /// How long until another attempt is allowed, if it is not now.
    pub fn wait(&self, account: &str, address: IpAddr, now: Instant) -> Option<Duration> {
        let mut f = self.failures.lock().unwrap_or_else(|e| e.into_inner());
        let by_account = f
            .by_account
            .entry((account.to_lowercase(), address))
            .or_default();
        let account_wait = blocked_for(by_account, MAX_PER_ACCOUNT, now);
        let by_address = f.by_address.entry(address).or_default();
        let address_wait = blocked_for(by_address, MAX_PER_ADDRESS, now);
        account_wait.max(address_wait)
    }

    pub fn failed(&self, account: &str, address: IpAddr, now: Instant) {
        let mut f = self.failures.lock().unwrap_or_else(|e| e.into_inner());
        f.by_account
            .entry((account.to_lowercase(), address))
            .or_default()
            .push(now);
        f.by_address.entry(address).or_default().push(now);
        // Keep memory bounded whatever an attacker sends.
        if f.by_account.len() > 10_000 {
            f.by_account
                .retain(|_, v| v.iter().any(|t| now - *t < WINDOW));
        }
        if f.by_address.len() > 10_000 {
            f.by_address
                .retain(|_, v| v.iter().any(|t| now - *t < WINDOW));
        }
    }

    pub fn succeeded(&self, account: &str, address: IpAddr) {
        let mut f = self.failures.lock().unwrap_or_else(|e| e.into_inner());
        f.by_account.remove(&(account.to_lowercase(), address));
    }
}

/// Drops attempts older than the window; with `limit` or more left, how long until the
/// oldest of the last `limit` leaves it.
fn blocked_for(attempts: &mut Vec<Instant>, limit: usize, now: Instant) -> Option<Duration> {
    attempts.retain(|t| now - *t < WINDOW);
    let oldest = *attempts.get(attempts.len().checked_sub(limit)?)?;
    Some(WINDOW.saturating_sub(now - oldest))
}

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

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn five_failures_block_an_account_for_the_rest_of_the_window() {
        let throttle = Throttle::default();
        let address: IpAddr = "10.0.0.5".parse().unwrap();
        let t0 = Instant::now();
        for i in 0..MAX_PER_ACCOUNT {
            assert_eq!(throttle.wait("maria", address, t0), None, "attempt {i}");
            throttle.failed("maria", address, t0);
        }
        let wait = throttle
            .wait("Maria", address, t0 + Duration::from_secs(60))
            .unwrap();
        assert_eq!(wait, WINDOW - Duration::from_secs(60));
        assert_eq!(
            throttle.wait("maria", address, t0 + WINDOW),
            None,
            "the window passed"
        );
        // Another account from another address is not affected.
        assert_eq!(
            throttle.wait("nikos", "10.0.0.6".parse().unwrap(), t0),
            None
        );
        // Nor is Maria at her own desk: a stranger's failures do not lock her out.
        assert_eq!(
            throttle.wait("maria", "10.0.0.21".parse().unwrap(), t0),
            None
        );
    }

    #[test]
    fn one_address_trying_many_accounts_is_blocked_too() {
        let throttle = Throttle::default();
        let address: IpAddr = "10.0.0.9".parse().unwrap();
        let t0 = Instant::now();
        for i in 0..MAX_PER_ADDRESS {
            throttle.failed(&format!("user{i}"), address, t0);
        }
        assert!(throttle.wait("someone-else", address, t0).is_some());
        throttle.succeeded("user0", address);
        assert!(
            throttle.wait("someone-else", address, t0).is_some(),
            "per address stays"
        );
    }
}
