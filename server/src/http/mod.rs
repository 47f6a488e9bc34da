//! The HTTP API v1 (DESIGN.md), one file per concept:
//! [`sites`] (services, tickets, board, events), [`desks`], [`tickets`], [`meta`] (health,
//! OpenAPI, docs), [`admin`], [`stats`]; errors, extractors, sessions, and the middleware that
//! guards every request. It knows nothing of the pages: [`crate::server`] puts both together.

mod admin;
mod appointments;
pub mod citizens;
mod desks;
pub mod error;
pub(crate) mod extract;
pub(crate) mod meta;
mod phone_tickets;
pub mod session;
mod sites;
pub mod stats;
mod tickets;

use axum::extract::Request;
use axum::http::{Method, StatusCode, header};
use axum::middleware::Next;
use axum::response::Response;
use seira_protocol::ErrorCode;
use utoipa::OpenApi;
use utoipa_axum::router::OpenApiRouter;

use crate::state::AppState;
use error::ApiError;

/// Request bodies are small JSON documents; anything larger is refused with 413.
pub const BODY_LIMIT: usize = 16 * 1024;

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
        (name = "appointments", description = "The appointment book"),
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
        .merge(citizens::routes())
        .merge(phone_tickets::routes())
        .merge(appointments::routes())
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
                if !matches!(path.as_str(), "/healthz" | "/metrics") {
                    add(
                        "503",
                        "The server's disk is full (`disk_full`): nothing was saved, reads go on",
                    );
                }
                add("414", "The address is over 8 KiB");
                add("431", "The headers add up to over 16 KiB");
            }
        }
    }
}

/// Refuses a state-changing request sent by a page of another origin. A browser says where a
/// request comes from (`Origin`, or at least `Sec-Fetch-Site`); devices send neither and
/// authenticate with a bearer token, never a cookie. So a request that rides on the session
/// cookie must prove it comes from our own pages.
pub(crate) async fn same_origin_only(request: Request, next: Next) -> Result<Response, ApiError> {
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
pub(crate) async fn request_limits(request: Request, next: Next) -> Result<Response, ApiError> {
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
pub(crate) async fn no_sniffing(mut response: Response) -> Response {
    response
        .headers_mut()
        .entry(header::X_CONTENT_TYPE_OPTIONS)
        .or_insert(axum::http::HeaderValue::from_static("nosniff"));
    response
}
