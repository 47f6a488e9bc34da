//! Every route against every role. The table below is the access policy; the test fails when
//! the API has a route the table does not list, so a new route cannot ship without one.

use std::collections::BTreeSet;

use reqwest::StatusCode;
use serde_json::{Value, json};

use crate::helpers::{TestApp, spawn_app};

/// Who asks: "" is nobody (no token); the others are tokens of `helpers::TOKENS`.
const WHO: [&str; 8] = [
    "",
    "kiosk",
    "display",
    "staff1",
    "staff2",
    "manager",
    "admin",
    "souda_kiosk",
];
const EVERYONE: &[&str] = &WHO;
const SITE_READERS: &[&str] = &["kiosk", "display", "staff1", "staff2", "manager", "admin"];
/// The ticket holder's own actions: no token, or one of the ticket's site (never another's).
const HOLDERS: &[&str] = &[
    "", "kiosk", "display", "staff1", "staff2", "manager", "admin",
];
const ISSUERS: &[&str] = &["kiosk", "staff1", "staff2", "admin"];
const DESK_VIEWERS: &[&str] = &["staff1", "staff2", "manager", "admin"];
/// Staff at desk chania-1, and admins.
const AT_DESK_1: &[&str] = &["staff1", "admin"];
const ADMIN: &[&str] = &["admin"];
const DEVICES: &[&str] = &["kiosk", "display"];
/// The site's managers, and admins.
const MANAGERS: &[&str] = &["manager", "admin"];
/// Who may take tickets out of the queue in bulk: the site's staff, and admins.
const QUEUE_KEEPERS: &[&str] = &["staff1", "staff2", "admin"];
/// Who keeps the appointment book: the site's staff, and admins.
const BOOKERS: &[&str] = &["staff1", "staff2", "admin"];

struct Route {
    method: &'static str,
    path: &'static str,
    allowed: &'static [&'static str],
    body: Option<fn() -> Value>,
}

const fn route(
    method: &'static str,
    path: &'static str,
    allowed: &'static [&'static str],
    body: Option<fn() -> Value>,
) -> Route {
    Route {
        method,
        path,
        allowed,
        body,
    }
}

/// Chania's settings as they are, sent back (answered 200, or 409 once stale).
fn settings_body() -> Value {
    let config = seira_server::config::Config::embedded().always_open();
    let settings = config.site_settings(config.site("chania").unwrap());
    json!({"version": 1, "settings": settings})
}

/// A time no other request of the test has asked for (the spawned server is always open).
fn free_time() -> String {
    static NEXT: std::sync::atomic::AtomicI64 = std::sync::atomic::AtomicI64::new(0);
    let n = NEXT.fetch_add(1, std::sync::atomic::Ordering::Relaxed);
    let first: jiff::Timestamp = "2099-01-05T08:00:00Z".parse().unwrap();
    (first + jiff::SignedDuration::from_mins(30 * n)).to_string()
}

fn appointment_body() -> Value {
    json!({
        "service": "psychosocial",
        "start": free_time(),
        "minutes": 30,
        "request_id": seira_server::auth::new_ticket_id(),
    })
}

fn issue_body() -> Value {
    json!({"service": "benefits", "request_id": seira_server::auth::new_ticket_id()})
}

const ROUTES: &[Route] = &[
    route("get", "/api/v1/sites/{site}/services", SITE_READERS, None),
    route(
        "post",
        "/api/v1/sites/{site}/tickets",
        ISSUERS,
        Some(issue_body),
    ),
    route("get", "/api/v1/sites/{site}/tickets", DESK_VIEWERS, None),
    route("get", "/api/v1/sites/{site}/board", EVERYONE, None),
    route(
        "post",
        "/api/v1/sites/{site}/devices/heartbeat",
        DEVICES,
        Some(|| json!({"printer": "ready"})),
    ),
    route("get", "/api/v1/sites/{site}/devices", DESK_VIEWERS, None),
    route("get", "/api/v1/sites/{site}/events", SITE_READERS, None),
    route("get", "/api/v1/sites/{site}/desks", DESK_VIEWERS, None),
    route("post", "/api/v1/desks/{desk}/call-next", AT_DESK_1, None),
    route(
        "post",
        "/api/v1/desks/{desk}/done-and-next",
        AT_DESK_1,
        None,
    ),
    route("get", "/api/v1/desks/{desk}/queue", DESK_VIEWERS, None),
    route(
        "post",
        "/api/v1/desks/{desk}/call",
        AT_DESK_1,
        Some(|| json!({"ticket": "0000"})),
    ),
    route("post", "/api/v1/desks/{desk}/open", AT_DESK_1, None),
    route(
        "post",
        "/api/v1/desks/{desk}/pause",
        AT_DESK_1,
        Some(|| json!({"reason": "break"})),
    ),
    route("post", "/api/v1/desks/{desk}/close", AT_DESK_1, None),
    route("post", "/api/v1/tickets/{id}/recall", AT_DESK_1, None),
    route("post", "/api/v1/tickets/{id}/start", AT_DESK_1, None),
    route("post", "/api/v1/tickets/{id}/done", AT_DESK_1, None),
    route("post", "/api/v1/tickets/{id}/no-show", AT_DESK_1, None),
    route("post", "/api/v1/tickets/{id}/cancel", AT_DESK_1, None),
    route("post", "/api/v1/tickets/{id}/park", AT_DESK_1, None),
    route("post", "/api/v1/tickets/{id}/return", AT_DESK_1, None),
    route("post", "/api/v1/tickets/{id}/void", ISSUERS, None),
    route("post", "/api/v1/tickets/{id}/undo-no-show", AT_DESK_1, None),
    route(
        "post",
        "/api/v1/tickets/{id}/transfer",
        AT_DESK_1,
        Some(|| json!({"service": "referrals"})),
    ),
    route("get", "/api/v1/tickets/{id}/track", EVERYONE, None),
    // A citizen's phone: the ticket's id is the key, no token is needed.
    route(
        "post",
        "/api/v1/tickets/{id}/feedback",
        HOLDERS,
        Some(|| json!({"score": 4})),
    ),
    route(
        "put",
        "/api/v1/tickets/{id}/text-alert",
        HOLDERS,
        Some(|| json!({"phone": "+30 6912345678"})),
    ),
    route("delete", "/api/v1/tickets/{id}/text-alert", HOLDERS, None),
    route(
        "put",
        "/api/v1/tickets/{id}/push",
        HOLDERS,
        Some(|| {
            json!({"endpoint": "https://fcm.googleapis.com/fcm/send/x",
            "keys": {"p256dh": "AAAA", "auth": "AAAA"}})
        }),
    ),
    route("delete", "/api/v1/tickets/{id}/push", HOLDERS, None),
    route("get", "/api/v1/push/key", EVERYONE, None),
    route(
        "post",
        "/api/v1/sites/{site}/phone-tickets/remove",
        QUEUE_KEEPERS,
        Some(|| json!({"minutes": 15})),
    ),
    route(
        "post",
        "/api/v1/sites/{site}/phone-tickets/restore",
        QUEUE_KEEPERS,
        Some(|| json!({"batch": "1-2"})),
    ),
    route(
        "post",
        "/api/v1/sites/{site}/join",
        EVERYONE,
        Some(|| json!({"service": "benefits", "request_id": seira_server::auth::new_ticket_id()})),
    ),
    route(
        "post",
        "/api/v1/sites/{site}/appointments",
        BOOKERS,
        Some(appointment_body),
    ),
    route(
        "get",
        "/api/v1/sites/{site}/appointments",
        DESK_VIEWERS,
        None,
    ),
    route(
        "post",
        "/api/v1/sites/{site}/appointments/import",
        BOOKERS,
        Some(|| json!({"csv": "date,time,service,reference\n", "dry_run": true})),
    ),
    route(
        "get",
        "/api/v1/sites/{site}/appointments.ics",
        DESK_VIEWERS,
        None,
    ),
    route(
        "patch",
        "/api/v1/appointments/{id}",
        BOOKERS,
        Some(|| json!({"start": free_time()})),
    ),
    route("delete", "/api/v1/appointments/{id}", BOOKERS, None),
    route(
        "post",
        "/api/v1/sites/{site}/appointments/{code}/check-in",
        ISSUERS,
        Some(|| json!({"request_id": seira_server::auth::new_ticket_id()})),
    ),
    route("get", "/healthz", EVERYONE, None),
    route("get", "/metrics", EVERYONE, None),
    route("get", "/api/v1/stats", MANAGERS, None),
    route("get", "/api/v1/stats.csv", MANAGERS, None),
    route("get", "/api/v1/stats.xlsx", MANAGERS, None),
    route("get", "/api/v1/stats/live", MANAGERS, None),
    route("get", "/api/v1/admin/sites/{site}/settings", ADMIN, None),
    route(
        "put",
        "/api/v1/admin/sites/{site}/settings",
        ADMIN,
        Some(settings_body),
    ),
    route("get", "/api/v1/admin/priorities", ADMIN, None),
    route(
        "put",
        "/api/v1/admin/priorities",
        ADMIN,
        Some(priorities_body),
    ),
    route("get", "/api/v1/admin/users", ADMIN, None),
    route(
        "post",
        "/api/v1/admin/users",
        ADMIN,
        Some(
            || json!({"name": "new", "role": "staff", "site": "chania", "password": "long enough password"}),
        ),
    ),
    route(
        "post",
        "/api/v1/admin/users/{name}/password",
        ADMIN,
        Some(|| json!({"password": "another long password"})),
    ),
    route("post", "/api/v1/admin/users/{name}/disable", ADMIN, None),
    route("post", "/api/v1/admin/users/{name}/enable", ADMIN, None),
    route("get", "/api/v1/admin/tokens", ADMIN, None),
    route(
        "post",
        "/api/v1/admin/tokens",
        ADMIN,
        Some(|| json!({"role": "display", "site": "chania", "label": "hall tv"})),
    ),
    route("post", "/api/v1/admin/tokens/{id}/revoke", ADMIN, None),
];

/// The embedded priorities as they are, sent back (answered 200, or 409 once stale).
fn priorities_body() -> Value {
    let config = seira_server::config::Config::embedded();
    let priorities: Vec<Value> = config
        .priorities
        .iter()
        .map(|p| json!({"id": p.id, "names": p.names}))
        .collect();
    json!({"version": 1, "priorities": priorities})
}

/// A fresh ticket held by desk chania-1 (whatever it held before is put away).
async fn ticket_at_desk_1(app: &TestApp) -> String {
    let (_, desks) = app.get("/api/v1/sites/chania/desks", "admin").await;
    let desk = desks
        .as_array()
        .unwrap()
        .iter()
        .find(|d| d["id"] == "chania-1")
        .unwrap();
    if let Some(id) = desk["ticket"]["id"].as_str() {
        if desk["ticket"]["state"] == "serving" {
            app.act(id, "park", "admin").await;
        }
        app.act(id, "cancel", "admin").await;
    }
    app.open_desk("chania-1").await;
    let issued = app.issue_at("chania", "admin", "benefits", None).await;
    let (status, body) = app
        .post(
            "/api/v1/desks/chania-1/call",
            "admin",
            Some(json!({"ticket": issued.id})),
        )
        .await;
    assert_eq!(status, StatusCode::OK, "{body}");
    issued.id
}

#[tokio::test]
async fn every_route_against_every_role() {
    let app = spawn_app().await;
    let (_, doc) = app.get("/api/v1/openapi.json", "").await;
    let documented: BTreeSet<(String, String)> = doc["paths"]
        .as_object()
        .unwrap()
        .iter()
        .flat_map(|(path, item)| {
            item.as_object()
                .unwrap()
                .keys()
                .map(move |m| (m.clone(), path.clone()))
        })
        .collect();
    let listed: BTreeSet<(String, String)> = ROUTES
        .iter()
        .map(|r| (r.method.to_owned(), r.path.to_owned()))
        .collect();
    assert_eq!(
        documented, listed,
        "every API route needs an entry in ROUTES (tests/api/access.rs), and every entry a route"
    );

    app.add_user(
        "maria",
        seira_server::auth::Role::Staff,
        Some("chania"),
        &[],
    );
    let (_, spare) = app
        .post(
            "/api/v1/admin/tokens",
            "admin",
            Some(json!({"role": "display", "site": "chania", "label": "spare"})),
        )
        .await;
    assert!(spare["id"].is_i64(), "{spare}");
    let spare = spare["id"].to_string();
    for route in ROUTES {
        for who in WHO {
            let mut path = route
                .path
                .replace("{site}", "chania")
                .replace("{desk}", "chania-1")
                .replace("{name}", "maria")
                .replace("{code}", "QQQQQQ");
            if path.starts_with("/api/v1/admin/tokens/") {
                path = path.replace("{id}", &spare);
            } else if path.starts_with("/api/v1/appointments/") {
                let (status, booked) = app
                    .post(
                        "/api/v1/sites/chania/appointments",
                        "admin",
                        Some(appointment_body()),
                    )
                    .await;
                assert_eq!(status, StatusCode::CREATED, "{booked}");
                path = path.replace("{id}", booked["id"].as_str().unwrap());
            } else if path.contains("{id}") {
                path = path.replace("{id}", &ticket_at_desk_1(&app).await);
            }
            if path.starts_with("/api/v1/stats") {
                path.push_str("?site=chania");
            }
            let raw = route.path.ends_with("/events")
                || route.path.starts_with("/api/v1/stats.")
                || route.path.ends_with(".ics")
                || route.path == "/metrics";
            let (status, answer) = if raw {
                // Only the answer's status: the stream stays open; a file is not JSON.
                let mut request = app.http.get(format!("{}{path}", app.base));
                if !who.is_empty() {
                    request = request.bearer_auth(app.token(who));
                }
                (request.send().await.unwrap().status(), Value::Null)
            } else {
                app.send(route.method, &path, who, route.body.map(|b| b()))
                    .await
            };
            let allowed = route.allowed.contains(&who);
            let refused = matches!(status, StatusCode::UNAUTHORIZED | StatusCode::FORBIDDEN);
            assert_eq!(
                !refused, allowed,
                "{} {} as `{who}` answered {status} {answer}",
                route.method, path
            );
            if refused {
                let expected = if who.is_empty() {
                    StatusCode::UNAUTHORIZED
                } else {
                    StatusCode::FORBIDDEN
                };
                assert_eq!(
                    status, expected,
                    "{} {} as `{who}`",
                    route.method, route.path
                );
            }
        }
    }
}
