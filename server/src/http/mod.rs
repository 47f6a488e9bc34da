//! The HTTP API v1 (DESIGN.md), one file per concept:
//! [`sites`] (services, tickets, board, events), [`desks`], [`tickets`], [`meta`] (health,
//! OpenAPI, docs). [`run`] serves it on a listener until a shutdown signal: the seam the tests
//! use with a listener on `127.0.0.1:0`.

mod admin;
mod desks;
pub mod error;
pub(crate) mod extract;
mod meta;
pub mod serve;
pub mod session;
mod sites;
pub mod stats;
mod tickets;

use seira_protocol::ErrorCode;
use std::future::Future;
use std::sync::Arc;
use std::time::Duration;

use axum::extract::{DefaultBodyLimit, Request};
use axum::http::{Method, StatusCode, header};
use axum::middleware::{self, Next};
use axum::response::Response;
use jiff::Timestamp;
use seira_protocol::Event;
use tokio::net::TcpListener;
use tokio::sync::watch;
use utoipa::OpenApi;
use utoipa_axum::router::OpenApiRouter;

use crate::config::Config;
use crate::engine::{Ctx, EngineError};
use crate::store::{Db, Store, StoreError};
use error::ApiError;

/// Request bodies are small JSON documents; anything larger is refused with 413.
pub const BODY_LIMIT: usize = 16 * 1024;

/// How often open tickets are checked against closing time, devices for silence, and ended
/// visits for notes to forget.
const AUTO_CLOSE_EVERY: Duration = Duration::from_secs(30);

/// What every handler shares.
#[derive(Clone)]
pub struct AppState {
    pub db: Db,
    pub live: Arc<crate::live::LiveConfig>,
    /// The newest committed event id: SSE streams wake when it changes.
    published: Arc<watch::Sender<i64>>,
    /// Becomes `true` when the server shuts down, so open event streams end.
    stopping: watch::Receiver<bool>,
    clock: Arc<dyn Fn() -> Timestamp + Send + Sync>,
    pub throttle: Arc<session::Throttle>,
}

impl AppState {
    pub fn now(&self) -> Timestamp {
        (self.clock)()
    }

    /// The configuration in force now.
    pub fn config(&self) -> Arc<Config> {
        self.live.current()
    }

    /// Runs an engine operation in one write transaction and publishes its events once the
    /// transaction has committed.
    pub async fn write<T: Send + 'static>(
        &self,
        actor: Option<crate::auth::Caller>,
        op: impl FnOnce(&mut Ctx<'_, '_>) -> Result<T, EngineError> + Send + 'static,
    ) -> Result<T, ApiError> {
        let config = self.config();
        let now = self.now();
        let (value, events) = self
            .db
            .write(move |tx| {
                let mut ctx = Ctx::new(tx, &config, now, actor.as_ref());
                let value = op(&mut ctx)?;
                Ok::<_, EngineError>((value, ctx.events))
            })
            .await?;
        self.publish(&events);
        Ok(value)
    }

    /// Runs a read in one snapshot.
    pub async fn read<T: Send + 'static>(
        &self,
        op: impl FnOnce(&rusqlite::Transaction<'_>, &Config) -> Result<T, EngineError> + Send + 'static,
    ) -> Result<T, ApiError> {
        let config = self.config();
        Ok(self.db.read(move |tx| op(tx, &config)).await?)
    }

    fn publish(&self, events: &[Event]) {
        if let Some(last) = events.iter().map(|e| e.id).max() {
            self.published.send_if_modified(|newest| {
                let newer = last > *newest;
                if newer {
                    *newest = last;
                }
                newer
            });
        }
    }
}

/// A server ready to run: its configuration and its open database.
pub struct App {
    pub live: Arc<crate::live::LiveConfig>,
    pub store: Arc<Store>,
    pub clock: Arc<dyn Fn() -> Timestamp + Send + Sync>,
    /// How many connections, and how long one may stay without a request.
    pub limits: serve::Limits,
}

impl App {
    /// Opens the server on `store` with the configuration stored there, or with `seed` stored
    /// as its first version when there is none. Every configured desk gets its row.
    pub fn new(seed: Config, store: Store) -> Result<App, StoreError> {
        let always_open = seed.open_around_the_clock;
        let seed_text = seed.to_toml();
        let (version, stored) = store.write(|tx| {
            let (version, stored) = match crate::store::latest_config(tx)? {
                Some((version, text)) => {
                    let stored = Config::parse(&text, "<database>").map_err(|e| {
                        StoreError::Corrupt(format!("the stored configuration: {e}"))
                    })?;
                    if stored.to_toml() != seed_text {
                        tracing::warn!(
                            version,
                            "the database holds a configuration changed on the admin pages: \
                             it is used, not the file"
                        );
                    }
                    (version, stored)
                }
                None => {
                    let now = Timestamp::now();
                    let version = crate::store::save_config(tx, &seed_text, "seed", now)?;
                    (version, seed)
                }
            };
            crate::store::sync_desks(
                tx,
                stored
                    .sites
                    .iter()
                    .flat_map(|s| s.desks.iter().map(move |d| (s.id.as_str(), d.id.as_str()))),
            )?;
            Ok::<_, StoreError>((version, stored))
        })?;
        Ok(App {
            live: Arc::new(crate::live::LiveConfig::new(version, stored, always_open)),
            store: Arc::new(store),
            clock: Arc::new(Timestamp::now),
            limits: serve::Limits::default(),
        })
    }

    /// Keeps every site open around the clock, whatever its stored hours (demo, training).
    pub fn always_open(mut self) -> App {
        let (version, stored) = self.live.stored();
        self.live = Arc::new(crate::live::LiveConfig::new(
            version,
            (*stored).clone(),
            true,
        ));
        self
    }

    /// The configuration in force.
    pub fn config(&self) -> Arc<Config> {
        self.live.current()
    }

    /// The same, with another clock (tests of closing time).
    pub fn with_clock(mut self, clock: impl Fn() -> Timestamp + Send + Sync + 'static) -> App {
        self.clock = Arc::new(clock);
        self
    }
}

#[derive(OpenApi)]
#[openapi(
    info(
        title = "seira HTTP API",
        version = "1",
        description = "Queue management for Community Centres: issue tickets at the kiosk, call \
            them from the desks, show them in the lobby. Errors are always \
            `{\"error\": code, \"message\": text}`. Devices and staff send \
            `Authorization: Bearer <token>`; the board, ticket tracking and health need none."
    ),
    tags(
        (name = "sites", description = "Services, tickets, the board and the event stream of a site"),
        (name = "desks", description = "Desks and calling"),
        (name = "tickets", description = "State changes of one ticket"),
        (name = "admin", description = "Settings, users and tokens (admins only)"),
        (name = "stats", description = "Statistics for managers: JSON, CSV and XLSX"),
        (name = "meta", description = "Health and this description"),
    ),
    modifiers(&BearerAuth)
)]
struct ApiDoc;

struct BearerAuth;

impl utoipa::Modify for BearerAuth {
    fn modify(&self, openapi: &mut utoipa::openapi::OpenApi) {
        use utoipa::openapi::security::{HttpAuthScheme, HttpBuilder, SecurityScheme};
        let components = openapi.components.get_or_insert_with(Default::default);
        components.add_security_scheme(
            "bearer",
            SecurityScheme::Http(HttpBuilder::new().scheme(HttpAuthScheme::Bearer).build()),
        );
    }
}

/// The routes and their OpenAPI description, from the same handlers.
pub fn api() -> (axum::Router<AppState>, utoipa::openapi::OpenApi) {
    let (routes, mut openapi) = OpenApiRouter::with_openapi(ApiDoc::openapi())
        .merge(sites::routes())
        .merge(desks::routes())
        .merge(tickets::routes())
        .merge(meta::routes())
        .merge(admin::routes())
        .merge(stats::routes())
        .split_for_parts();
    utoipa::Modify::modify(&CommonErrors, &mut openapi);
    (routes, openapi)
}

/// The errors every operation of a kind can answer, whatever its handler says: a body that is
/// not JSON (400, 415) or too large (413), a token that is not valid (401, even where no
/// token is needed: one that is sent is checked), an address or headers too large (414, 431).
struct CommonErrors;

impl utoipa::Modify for CommonErrors {
    fn modify(&self, openapi: &mut utoipa::openapi::OpenApi) {
        use utoipa::openapi::{ContentBuilder, Ref, RefOr, ResponseBuilder, content::Content};
        let error: Content = ContentBuilder::new()
            .schema(Some(Ref::from_schema_name("ApiError")))
            .build();
        for (path, item) in openapi.paths.paths.iter_mut() {
            let operations = [
                &mut item.get,
                &mut item.put,
                &mut item.post,
                &mut item.delete,
                &mut item.patch,
            ];
            for operation in operations.into_iter().flatten() {
                let mut add = |status: &str, description: &str| {
                    operation
                        .responses
                        .responses
                        .entry(status.to_owned())
                        .or_insert_with(|| {
                            RefOr::T(
                                ResponseBuilder::new()
                                    .description(description)
                                    .content("application/json", error.clone())
                                    .build(),
                            )
                        });
                };
                if operation.request_body.is_some() {
                    add("400", "The body is not well-formed JSON of this shape");
                    add("413", "The body is over 16 KiB");
                    add("415", "The body is not `application/json`");
                }
                if path != "/healthz" {
                    add("401", "A token or session was sent that is not valid");
                }
                add("414", "The address is over 8 KiB");
                add("431", "The headers add up to over 16 KiB");
            }
        }
    }
}

fn router(state: AppState) -> axum::Router {
    let (routes, openapi) = api();
    let openapi = Arc::new(openapi);
    routes
        .merge(meta::doc_routes(openapi))
        .merge(crate::pages::routes())
        .fallback(|| async { ApiError::not_found("no such page or API path") })
        .method_not_allowed_fallback(|| async {
            ApiError::new(
                StatusCode::METHOD_NOT_ALLOWED,
                ErrorCode::MethodNotAllowed,
                "this path does not take that method",
            )
        })
        .layer(middleware::from_fn(same_origin_only))
        .layer(middleware::from_fn(request_limits))
        .layer(middleware::map_response(no_sniffing))
        .layer(DefaultBodyLimit::max(BODY_LIMIT))
        .layer(tower_http::trace::TraceLayer::new_for_http())
        .with_state(state)
}

/// Refuses a state-changing request sent by a page of another origin. A browser says where a
/// request comes from (`Origin`, or at least `Sec-Fetch-Site`); devices send neither and
/// authenticate with a bearer token, never a cookie. So a request that rides on the session
/// cookie must prove it comes from our own pages.
async fn same_origin_only(request: Request, next: Next) -> Result<Response, ApiError> {
    let headers = request.headers();
    let changes_state = !matches!(
        *request.method(),
        Method::GET | Method::HEAD | Method::OPTIONS
    );
    if changes_state {
        // Our own origin: the scheme the browser used (https behind a TLS proxy that says
        // so), the host and the port. All three must match: `https://host` is another origin
        // than `http://host`.
        let scheme = if session::over_tls(headers) {
            "https"
        } else {
            "http"
        };
        let own = headers
            .get(header::HOST)
            .and_then(|h| h.to_str().ok())
            .map(|host| format!("{scheme}://{}", host.to_ascii_lowercase()));
        let origin = headers.get(header::ORIGIN).map(|o| {
            o.to_str()
                .ok()
                .map(|o| o.trim_end_matches('/').to_ascii_lowercase())
        });
        let same_site_fetch = headers
            .get("sec-fetch-site")
            .is_some_and(|v| v == "same-origin");
        let uses_cookie = session::cookie_value(headers).is_some()
            && !headers.contains_key(header::AUTHORIZATION);
        let refused = match origin {
            Some(origin) => own.is_none() || origin != own,
            None => uses_cookie && !same_site_fetch,
        };
        if refused {
            return Err(ApiError::forbidden(
                "requests that change something must come from this server's own pages",
            ));
        }
    }
    Ok(next.run(request).await)
}

/// The longest address a request may have; the API's are short.
pub const URI_LIMIT: usize = 8 * 1024;
/// The most a request's headers may add up to.
pub const HEADERS_LIMIT: usize = 16 * 1024;

/// Refuses, in JSON, a request whose address or headers are larger than any client of ours
/// sends (hyper itself only refuses far larger ones, and with an empty body).
async fn request_limits(request: Request, next: Next) -> Result<Response, ApiError> {
    let uri = request.uri();
    let uri_len = uri.path().len() + uri.query().map_or(0, |q| q.len() + 1);
    if uri_len > URI_LIMIT {
        return Err(ApiError::new(
            StatusCode::URI_TOO_LONG,
            ErrorCode::UriTooLong,
            format!("the address is over {URI_LIMIT} bytes"),
        ));
    }
    let headers: usize = request
        .headers()
        .iter()
        .map(|(name, value)| name.as_str().len() + value.len() + 4)
        .sum();
    if headers > HEADERS_LIMIT {
        return Err(ApiError::new(
            StatusCode::REQUEST_HEADER_FIELDS_TOO_LARGE,
            ErrorCode::HeadersTooLarge,
            format!("the headers add up to over {HEADERS_LIMIT} bytes"),
        ));
    }
    Ok(next.run(request).await)
}

/// Every answer says what it is and may not be read as anything else: a JSON error or
/// document is never run as a script or shown as HTML by a browser that guesses.
async fn no_sniffing(mut response: Response) -> Response {
    response
        .headers_mut()
        .entry(header::X_CONTENT_TYPE_OPTIONS)
        .or_insert(axum::http::HeaderValue::from_static("nosniff"));
    response
}

/// Serves the API on `listener` until `shutdown` completes, then finishes the requests in
/// flight and ends the event streams.
pub async fn run(
    listener: TcpListener,
    app: App,
    shutdown: impl Future<Output = ()> + Send + 'static,
) -> std::io::Result<()> {
    let db = Db(app.store.clone());
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
        published: Arc::new(watch::channel(last).0),
        stopping,
        clock: app.clock,
        throttle: Arc::default(),
    };
    let closer = tokio::spawn(auto_close_loop(state.clone()));
    let result = serve::serve(listener, router(state), app.limits, async move {
        shutdown.await;
        // Event streams end; then the connections finish what they were doing.
        let _ = stop_tx.send(true);
    })
    .await;
    closer.abort();
    result
}

/// Closes tickets left open after closing time, tells staff of devices that went silent,
/// forgets the notes of ended visits and deletes expired sessions, every 30 s and once at
/// start.
async fn auto_close_loop(state: AppState) {
    let mut tick = tokio::time::interval(AUTO_CLOSE_EVERY);
    loop {
        tick.tick().await;
        match state.write(None, |ctx| ctx.auto_close()).await {
            Ok(0) => {}
            Ok(n) => tracing::info!(tickets = n, "closed tickets left open after closing time"),
            Err(e) => tracing::warn!(error = e.message, "closing time check failed"),
        }
        match state
            .write(None, |ctx| {
                ctx.forget_notes()?;
                ctx.mark_silent_devices()
            })
            .await
        {
            Ok(0) => {}
            Ok(n) => tracing::warn!(devices = n, "devices stopped reporting"),
            Err(e) => tracing::warn!(error = e.message, "device check failed"),
        }
        if let Err(e) = session::purge_expired(&state).await {
            tracing::warn!(error = e.message, "purging expired sessions failed");
        }
    }
}
