//! The pages' style sheet and scripts, built into the binary.

use axum::http::{StatusCode, header};
use axum::response::{IntoResponse, Response};

use crate::http::error::ApiError;
use crate::http::extract::Path;

const FILES: &[(&str, &str, &str)] = &[
    (
        "app.css",
        "text/css; charset=utf-8",
        include_str!("../../assets/app.css"),
    ),
    (
        "common.js",
        "text/javascript; charset=utf-8",
        include_str!("../../assets/common.js"),
    ),
    (
        "desk.js",
        "text/javascript; charset=utf-8",
        include_str!("../../assets/desk.js"),
    ),
    (
        "track.js",
        "text/javascript; charset=utf-8",
        include_str!("../../assets/track.js"),
    ),
    (
        "sw.js",
        "text/javascript; charset=utf-8",
        include_str!("../../assets/sw.js"),
    ),
    (
        "join.js",
        "text/javascript; charset=utf-8",
        include_str!("../../assets/join.js"),
    ),
    (
        "admin.js",
        "text/javascript; charset=utf-8",
        include_str!("../../assets/admin.js"),
    ),
    (
        "board.js",
        "text/javascript; charset=utf-8",
        include_str!("../../assets/board.js"),
    ),
    (
        "book.js",
        "text/javascript; charset=utf-8",
        include_str!("../../assets/book.js"),
    ),
    (
        "stats.js",
        "text/javascript; charset=utf-8",
        include_str!("../../assets/stats.js"),
    ),
];

pub async fn serve(Path(name): Path<String>) -> Response {
    match FILES.iter().find(|(n, _, _)| *n == name) {
        Some((_, content_type, body)) => {
            let mut response = (
                StatusCode::OK,
                [
                    (header::CONTENT_TYPE, *content_type),
                    (header::CACHE_CONTROL, "no-cache"),
                    (header::X_CONTENT_TYPE_OPTIONS, "nosniff"),
                ],
                *body,
            )
                .into_response();
            // The phone page's service worker, from here, serves the ticket pages' scope.
            if name == "sw.js" {
                response.headers_mut().insert(
                    header::HeaderName::from_static("service-worker-allowed"),
                    header::HeaderValue::from_static("/t/"),
                );
            }
            response
        }
        None => ApiError::not_found(format!("no asset `{name}`")).into_response(),
    }
}
