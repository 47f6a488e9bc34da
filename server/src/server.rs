//! The server put together: the API and the pages behind the same guards, served on a
//! listener until a shutdown signal ([`run`], the seam the tests use with `127.0.0.1:0`), with
//! the housekeeping that runs by itself.

use std::future::Future;
use std::sync::Arc;
use std::time::Duration;

use axum::extract::DefaultBodyLimit;
use axum::http::StatusCode;
use axum::middleware;
use axum::response::IntoResponse;
use seira_protocol::ErrorCode;
use tokio::net::TcpListener;
use tokio::sync::watch;

use crate::http::error::ApiError;
use crate::http::{self, session};
use crate::state::{App, AppState};
use crate::store::{Db, StoreError};

/// How often open tickets are checked against closing time, devices for silence, and ended
/// visits for notes to forget.
const AUTO_CLOSE_EVERY: Duration = Duration::from_secs(30);

fn router(state: AppState) -> axum::Router {
    let (routes, openapi) = http::api();
    let openapi = Arc::new(openapi);
    routes
        .merge(http::meta::doc_routes(openapi))
        .merge(crate::pages::routes())
        // The API answers JSON, the pages HTML, even for a path that is neither.
        .fallback(|uri: axum::http::Uri| async move {
            if uri.path().starts_with("/api/") {
                ApiError::not_found("no such API path").into_response()
            } else {
                crate::pages::not_found()
            }
        })
        .method_not_allowed_fallback(|| async {
            ApiError::new(
                StatusCode::METHOD_NOT_ALLOWED,
                ErrorCode::MethodNotAllowed,
                "this path does not take that method",
            )
        })
        .layer(middleware::from_fn_with_state(
            state.clone(),
            http::meta::measure,
        ))
        .layer(middleware::from_fn(http::same_origin_only))
        .layer(middleware::from_fn(http::request_limits))
        .layer(middleware::map_response(http::no_sniffing))
        .layer(DefaultBodyLimit::max(http::BODY_LIMIT))
        .layer(tower_http::trace::TraceLayer::new_for_http())
        .with_state(state)
}

/// Serves the API on `listener` until `shutdown` completes, then finishes the requests in
/// flight and ends the event streams.
pub async fn run(
    listener: TcpListener,
    app: App,
    shutdown: impl Future<Output = ()> + Send + 'static,
) -> std::io::Result<()> {
    let db = Db::new(app.store.clone())?;
    let last = {
        let db = db.clone();
        db.read(|tx| crate::store::last_event_id(tx).map_err(StoreError::from))
            .await
            .map_err(std::io::Error::other)?
    };
    let (stop_tx, stopping) = watch::channel(false);
    let state = AppState {
        db,
        live: app.live,
        events: Arc::new(crate::event_log::EventLog::new(last)),
        tokens: Arc::default(),
        boards: Arc::default(),
        stopping,
        clock: app.clock,
        throttle: Arc::default(),
        code_guesses: Arc::new(crate::backoff::Backoff::codes()),
        reception_guesses: Arc::new(crate::backoff::Backoff::codes().with_free(20)),
        phone_joins: Arc::new(crate::throttle::Throttle::joins()),
        metrics: Arc::default(),
    };
    let state_store = state.db.store().clone();
    let closer = tokio::spawn(auto_close_loop(state.clone()));
    let reminders = tokio::spawn(crate::reminder_sender::run(
        state.clone(),
        app.reminders_every,
    ));
    let alerts = tokio::spawn(crate::alert_sender::run(state.clone(), app.alerts_every));
    let tls = app.tls.as_ref().map(|t| t.config.clone());
    let result = crate::accept::serve(listener, router(state), app.limits, tls, async move {
        shutdown.await;
        // Event streams end; then the connections finish what they were doing.
        let _ = stop_tx.send(true);
    })
    .await;
    closer.abort();
    reminders.abort();
    alerts.abort();
    // Every request has been answered: the log goes into the file, and is left empty.
    let store = state_store.clone();
    match tokio::task::spawn_blocking(move || store.checkpoint()).await {
        Ok(Ok(())) => tracing::info!("database checkpointed at stop: the log is empty"),
        Ok(Err(e)) => tracing::warn!(error = %e, "cannot empty the database's log at stop"),
        Err(e) => tracing::warn!(error = %e, "cannot empty the database's log at stop"),
    }
    result
}

/// Closes tickets left open after closing time, tells staff of devices that went silent,
/// forgets the notes of ended visits, frees the time of appointments nobody checked in, deletes expired sessions and gives freed memory back to
/// the system, every 30 s and once at start.
async fn auto_close_loop(state: AppState) {
    let mut tick = tokio::time::interval(AUTO_CLOSE_EVERY);
    loop {
        tick.tick().await;
        match state.write(None, |ctx| ctx.auto_close()).await {
            Ok(0) => {}
            Ok(n) => tracing::info!(tickets = n, "closed tickets left open after closing time"),
            Err(e) => tracing::warn!(error = %e, "closing time check failed"),
        }
        match state
            .write(None, |ctx| {
                ctx.forget_notes()?;
                ctx.expire_appointments()?;
                ctx.mark_silent_devices()
            })
            .await
        {
            Ok(0) => {}
            Ok(n) => tracing::warn!(devices = n, "devices stopped reporting"),
            Err(e) => tracing::warn!(error = %e, "device check failed"),
        }
        if let Err(e) = session::purge_expired(&state).await {
            tracing::warn!(error = e.message, "purging expired sessions failed");
        }
        // It walks the allocator's arenas: off the async workers, like any slow call.
        let _ = tokio::task::spawn_blocking(crate::memory::give_back).await;
    }
}
