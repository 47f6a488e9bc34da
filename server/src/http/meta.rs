//! Health, the OpenAPI document, and a readable page made from it.

use std::fmt::Write as _;
use std::sync::Arc;

use axum::extract::State;
use axum::http::{StatusCode, header};
use axum::response::{Html, IntoResponse};
use seira_protocol::Health;
use serde_json::Value;
use utoipa_axum::{router::OpenApiRouter, routes};

use crate::state::AppState;

pub fn routes() -> OpenApiRouter<AppState> {
    OpenApiRouter::new()
        .routes(routes!(healthz))
        .routes(routes!(metrics))
}

/// The routes that describe the API (not part of its description themselves).
pub fn doc_routes(openapi: Arc<utoipa::openapi::OpenApi>) -> axum::Router<AppState> {
    let json = Arc::new(openapi.to_pretty_json().unwrap_or_else(|_| "{}".to_owned()));
    let html = Arc::new(docs_page(
        &serde_json::from_str(&json).unwrap_or(Value::Null),
    ));
    axum::Router::new()
        .route(
            "/api/v1/openapi.json",
            axum::routing::get(move || {
                let json = json.clone();
                async move {
                    (
                        [(header::CONTENT_TYPE, "application/json")],
                        (*json).clone(),
                    )
                }
            }),
        )
        .route(
            "/api/v1/docs",
            axum::routing::get(move || {
                let html = html.clone();
                async move { Html((*html).clone()) }
            }),
        )
}

/// Liveness, and whether the database answers.
#[utoipa::path(
    get, path = "/healthz", tag = "meta",
    responses(
        (status = 200, description = "Up, database answering", body = Health),
        (status = 503, description = "Up, database failing", body = Health),
    )
)]
async fn healthz(State(app): State<AppState>) -> impl IntoResponse {
    let store = app.db.store().clone();
    let database = match tokio::task::spawn_blocking(move || store.check()).await {
        Ok(Ok(())) => "ok".to_owned(),
        Ok(Err(e)) => e.to_string(),
        Err(e) => e.to_string(),
    };
    let ok = database == "ok";
    let status = if ok {
        StatusCode::OK
    } else {
        StatusCode::SERVICE_UNAVAILABLE
    };
    let body = Health {
        status: if ok { "ok" } else { "degraded" }.to_owned(),
        database,
        version: env!("CARGO_PKG_VERSION").to_owned(),
    };
    (status, axum::Json(body))
}

fn escape(text: &str) -> String {
    text.replace('&', "&amp;")
        .replace('<', "&lt;")
        .replace('>', "&gt;")
        .replace('"', "&quot;")
}

/// A self-contained HTML page (no scripts, no outside resources) describing every path of
/// the OpenAPI document: the centre's LAN may have no internet.
fn docs_page(doc: &Value) -> String {
    let s = |v: &Value| v.as_str().unwrap_or_default().to_owned();
    let mut out = String::new();
    let info = &doc["info"];
    let _ = write!(
        out,
        r#"<!doctype html><html lang="en"><head><meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>{title}</title>
<style>
body{{font:16px/1.5 system-ui,sans-serif;max-width:60rem;margin:2rem auto;padding:0 1rem;color:#1b1b1b}}
h1{{margin-bottom:.2rem}} code,pre{{font-family:ui-monospace,monospace;font-size:.9em}}
.op{{border:1px solid #ccc;border-radius:6px;margin:1rem 0;padding:.6rem 1rem}}
.m{{display:inline-block;min-width:4rem;font-weight:700;color:#fff;border-radius:4px;padding:0 .4rem;text-align:center}}
.get{{background:#0b5cad}} .post{{background:#1a7f37}}
table{{border-collapse:collapse}} td,th{{border-bottom:1px solid #eee;padding:.2rem .6rem;text-align:left;vertical-align:top}}
pre{{background:#f6f8fa;padding:.6rem;overflow:auto}}
</style></head><body>
<h1>{title}</h1><p>{description}</p>
<p>Machine-readable: <a href="/api/v1/openapi.json"><code>/api/v1/openapi.json</code></a></p>
"#,
        title = escape(&s(&info["title"])),
        description = escape(&s(&info["description"])),
    );
    if let Some(paths) = doc["paths"].as_object() {
        for (path, item) in paths {
            let Some(item) = item.as_object() else {
                continue;
            };
            for (method, op) in item {
                if !matches!(method.as_str(), "get" | "post" | "put" | "delete" | "patch") {
                    continue;
                }
                let _ = write!(
                    out,
                    r#"<div class="op"><p><span class="m {method}">{upper}</span> <code>{path}</code></p>"#,
                    upper = method.to_uppercase(),
                    path = escape(path),
                );
                let text = [s(&op["summary"]), s(&op["description"])]
                    .into_iter()
                    .filter(|t| !t.is_empty())
                    .collect::<Vec<_>>()
                    .join("\n\n");
                let _ = write!(out, "<p>{}</p>", escape(&text).replace("\n\n", "</p><p>"));
                if op.get("security").is_some() {
                    out.push_str("<p><em>Needs a bearer token.</em></p>");
                }
                if let Some(params) = op["parameters"].as_array() {
                    out.push_str(
                        "<table><tr><th>parameter</th><th>in</th><th>description</th></tr>",
                    );
                    for p in params {
                        let _ = write!(
                            out,
                            "<tr><td><code>{}</code></td><td>{}</td><td>{}</td></tr>",
                            escape(&s(&p["name"])),
                            escape(&s(&p["in"])),
                            escape(&s(&p["description"]))
                        );
                    }
                    out.push_str("</table>");
                }
                if let Some(body) = op["requestBody"]["content"].as_object() {
                    for (kind, content) in body {
                        let _ = write!(
                            out,
                            "<p>Body ({}): <code>{}</code></p>",
                            escape(kind),
                            escape(&schema_name(&content["schema"]))
                        );
                    }
                }
                if let Some(responses) = op["responses"].as_object() {
                    out.push_str("<table><tr><th>status</th><th>answer</th></tr>");
                    for (status, r) in responses {
                        let schema = r["content"]
                            .as_object()
                            .and_then(|c| c.values().next())
                            .map(|c| schema_name(&c["schema"]))
                            .unwrap_or_default();
                        let _ = write!(
                            out,
                            "<tr><td>{}</td><td>{} <code>{}</code></td></tr>",
                            escape(status),
                            escape(&s(&r["description"])),
                            escape(&schema)
                        );
                    }
                    out.push_str("</table>");
                }
                out.push_str("</div>");
            }
        }
    }
    if let Some(schemas) = doc["components"]["schemas"].as_object() {
        out.push_str("<h2>Documents</h2>");
        for (name, schema) in schemas {
            let _ = write!(
                out,
                "<h3 id=\"{n}\">{n}</h3><p>{d}</p><pre>{j}</pre>",
                n = escape(name),
                d = escape(&s(&schema["description"])),
                j = escape(&serde_json::to_string_pretty(schema).unwrap_or_default())
            );
        }
    }
    out.push_str("</body></html>");
    out
}

fn schema_name(schema: &Value) -> String {
    if let Some(r) = schema["$ref"].as_str() {
        return r.rsplit('/').next().unwrap_or(r).to_owned();
    }
    if schema["type"] == "array" {
        return format!("[{}]", schema_name(&schema["items"]));
    }
    schema["type"].as_str().unwrap_or_default().to_owned()
}

/// Counts each request by its route's pattern, method and status, with the time to answer.
pub async fn measure(
    State(app): State<AppState>,
    request: axum::extract::Request,
    next: axum::middleware::Next,
) -> axum::response::Response {
    let route = request
        .extensions()
        .get::<axum::extract::MatchedPath>()
        .map_or_else(|| "unmatched".to_owned(), |p| p.as_str().to_owned());
    let method = request.method().as_str().to_owned();
    let started = std::time::Instant::now();
    let response = next.run(request).await;
    app.metrics.request(
        &route,
        &method,
        response.status().as_u16(),
        started.elapsed().as_secs_f64(),
    );
    response
}

/// For the centre's monitoring, in the Prometheus text format: requests by route and status
/// and their latencies, events by kind (`ticket_issued`, `ticket_called`…), event streams
/// open, citizens waiting per service, devices online, each kiosk's printer state, the
/// database's size, when the newest backup beside it was made. Counts only.
#[utoipa::path(
    get, path = "/metrics", tag = "meta",
    responses((status = 200, content_type = "application/openmetrics-text", body = String))
)]
async fn metrics(State(app): State<AppState>) -> impl IntoResponse {
    let now = app.now();
    let db_path = app.db.store().path().to_owned();
    let snapshot = app
        .read(move |tx, config| {
            let mut snapshot = crate::metrics::Snapshot::default();
            for site in &config.sites {
                for (service, count) in crate::store::waiting_counts(tx, &site.id)? {
                    snapshot
                        .waiting
                        .push((site.id.clone(), service, i64::from(count)));
                }
                let devices = crate::engine::devices(tx, config, &site.id, now)?;
                let online = devices.iter().filter(|d| d.online).count();
                for d in &devices {
                    snapshot.printers.push((
                        site.id.clone(),
                        d.name.clone(),
                        d.printer.as_str().to_owned(),
                    ));
                }
                snapshot
                    .devices_online
                    .push((site.id.clone(), online as i64));
            }
            Ok(snapshot)
        })
        .await
        .unwrap_or_default();
    let backups = crate::store::backup::default_dir(&db_path);
    let last_backup = crate::store::backup::newest(&backups, crate::store::backup::PREFIX)
        .and_then(|last| std::fs::metadata(last).ok()?.modified().ok())
        .and_then(|made| made.duration_since(std::time::UNIX_EPOCH).ok())
        .map(|since| since.as_secs() as i64);
    let snapshot = crate::metrics::Snapshot {
        database_bytes: crate::store::backup::database_bytes(&db_path) as i64,
        last_backup,
        ..snapshot
    };
    (
        [(
            header::CONTENT_TYPE,
            "application/openmetrics-text; version=1.0.0; charset=utf-8",
        )],
        app.metrics.encode(&snapshot),
    )
}
