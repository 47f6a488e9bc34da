//! Bad input gets a clear JSON error with the right status, and changes nothing.

use reqwest::StatusCode;
use serde_json::{Value, json};

use crate::helpers::spawn_app;

/// What is wrong, method, path, raw body, content type (or a header), status, error code.
type Case = (
    &'static str,
    &'static str,
    String,
    Option<String>,
    &'static str,
    StatusCode,
    &'static str,
);

#[tokio::test]
async fn every_bad_request_gets_its_json_error() {
    let app = spawn_app().await;
    let ticket = app.issue("benefits", None).await;
    let tickets = "/api/v1/sites/chania/tickets";
    let ok = json!({"service": "benefits", "request_id": "r-1"});
    // (what, method, path, raw body, content type, expected status, expected code)
    let big = format!(
        r#"{{"service":"benefits","request_id":"x","lang":"{}"}}"#,
        "e".repeat(20_000)
    );
    let table: Vec<Case> = vec![
        (
            "malformed JSON",
            "POST",
            tickets.into(),
            Some(r#"{"service": "benefits","#.into()),
            "application/json",
            StatusCode::BAD_REQUEST,
            "malformed_json",
        ),
        (
            "not JSON at all",
            "POST",
            tickets.into(),
            Some("service=benefits".into()),
            "application/json",
            StatusCode::BAD_REQUEST,
            "malformed_json",
        ),
        (
            "wrong content type",
            "POST",
            tickets.into(),
            Some(ok.to_string()),
            "text/plain",
            StatusCode::UNSUPPORTED_MEDIA_TYPE,
            "unsupported_media_type",
        ),
        (
            "missing field",
            "POST",
            tickets.into(),
            Some(r#"{"service":"benefits"}"#.into()),
            "application/json",
            StatusCode::UNPROCESSABLE_ENTITY,
            "invalid_body",
        ),
        (
            "wrong type",
            "POST",
            tickets.into(),
            Some(r#"{"service":7,"request_id":"a"}"#.into()),
            "application/json",
            StatusCode::UNPROCESSABLE_ENTITY,
            "invalid_body",
        ),
        (
            "unknown field",
            "POST",
            tickets.into(),
            Some(r#"{"service":"benefits","request_id":"a","name":"Μαρία"}"#.into()),
            "application/json",
            StatusCode::UNPROCESSABLE_ENTITY,
            "invalid_body",
        ),
        (
            "empty request_id",
            "POST",
            tickets.into(),
            Some(r#"{"service":"benefits","request_id":""}"#.into()),
            "application/json",
            StatusCode::UNPROCESSABLE_ENTITY,
            "invalid_request_id",
        ),
        (
            "request_id with spaces",
            "POST",
            tickets.into(),
            Some(r#"{"service":"benefits","request_id":"a b"}"#.into()),
            "application/json",
            StatusCode::UNPROCESSABLE_ENTITY,
            "invalid_request_id",
        ),
        (
            "unknown priority",
            "POST",
            tickets.into(),
            Some(r#"{"service":"benefits","request_id":"a","priority":"vip"}"#.into()),
            "application/json",
            StatusCode::UNPROCESSABLE_ENTITY,
            "unknown_priority",
        ),
        (
            "bad lang",
            "POST",
            tickets.into(),
            Some(r#"{"service":"benefits","request_id":"a","lang":"<script>"}"#.into()),
            "application/json",
            StatusCode::UNPROCESSABLE_ENTITY,
            "invalid_lang",
        ),
        (
            "oversized body",
            "POST",
            tickets.into(),
            Some(big),
            "application/json",
            StatusCode::PAYLOAD_TOO_LARGE,
            "payload_too_large",
        ),
        (
            "unknown service",
            "POST",
            tickets.into(),
            Some(r#"{"service":"astrology","request_id":"a"}"#.into()),
            "application/json",
            StatusCode::NOT_FOUND,
            "not_found",
        ),
        (
            "unknown site",
            "POST",
            "/api/v1/sites/atlantis/tickets".into(),
            Some(ok.to_string()),
            "application/json",
            StatusCode::NOT_FOUND,
            "not_found",
        ),
        (
            "unknown site's services",
            "GET",
            "/api/v1/sites/atlantis/services".into(),
            None,
            "",
            StatusCode::NOT_FOUND,
            "not_found",
        ),
        (
            "unknown desk",
            "POST",
            "/api/v1/desks/nowhere/call-next".into(),
            None,
            "",
            StatusCode::NOT_FOUND,
            "not_found",
        ),
        (
            "unknown ticket",
            "POST",
            "/api/v1/tickets/0123/start".into(),
            None,
            "",
            StatusCode::NOT_FOUND,
            "not_found",
        ),
        (
            "unknown ticket's track",
            "GET",
            "/api/v1/tickets/0123/track".into(),
            None,
            "",
            StatusCode::NOT_FOUND,
            "not_found",
        ),
        (
            "unknown path",
            "GET",
            "/api/v1/nothing".into(),
            None,
            "",
            StatusCode::NOT_FOUND,
            "not_found",
        ),
        (
            "wrong method",
            "DELETE",
            format!("/api/v1/tickets/{}/track", ticket.id),
            None,
            "",
            StatusCode::METHOD_NOT_ALLOWED,
            "method_not_allowed",
        ),
        (
            "impossible change",
            "POST",
            format!("/api/v1/tickets/{}/done", ticket.id),
            None,
            "",
            StatusCode::CONFLICT,
            "invalid_transition",
        ),
        (
            "pause without reason",
            "POST",
            "/api/v1/desks/chania-1/pause".into(),
            Some(r#"{"reason":"  "}"#.into()),
            "application/json",
            StatusCode::UNPROCESSABLE_ENTITY,
            "invalid_reason",
        ),
        (
            "pause with a novel",
            "POST",
            "/api/v1/desks/chania-1/pause".into(),
            Some(json!({"reason": "α".repeat(201)}).to_string()),
            "application/json",
            StatusCode::UNPROCESSABLE_ENTITY,
            "invalid_reason",
        ),
        (
            "transfer without body",
            "POST",
            format!("/api/v1/tickets/{}/transfer", ticket.id),
            None,
            "",
            StatusCode::UNSUPPORTED_MEDIA_TYPE,
            "unsupported_media_type",
        ),
        (
            "bad Last-Event-ID",
            "GET",
            "/api/v1/sites/chania/events".into(),
            None,
            "last-event-id: soon",
            StatusCode::BAD_REQUEST,
            "invalid_last_event_id",
        ),
        (
            "bad last_event_id query",
            "GET",
            "/api/v1/sites/chania/events?last_event_id=soon".into(),
            None,
            "",
            StatusCode::BAD_REQUEST,
            "invalid_query",
        ),
    ];
    for (what, method, path, body, content_type, status, code) in table {
        let mut request = app
            .http
            .request(method.parse().unwrap(), format!("{}{path}", app.base))
            .bearer_auth(app.token("admin"));
        if let Some(header) = content_type.strip_prefix("last-event-id: ") {
            request = request.header("Last-Event-ID", header);
        } else if !content_type.is_empty() {
            request = request.header("content-type", content_type);
        }
        if let Some(body) = body {
            request = request.body(body);
        }
        let response = request.send().await.unwrap();
        assert_eq!(response.status(), status, "{what}");
        let body: Value = response
            .json()
            .await
            .unwrap_or_else(|e| panic!("{what}: not JSON: {e}"));
        assert_eq!(body["error"], code, "{what}: {body}");
        assert!(
            body["message"].as_str().is_some_and(|m| !m.is_empty()),
            "{what}: {body}"
        );
    }
    // Nothing of it changed the queue.
    let services = app.client(Some("kiosk")).services("chania").await.unwrap();
    assert_eq!(services.services[0].waiting, 1);
}

#[tokio::test]
async fn a_state_change_from_another_origin_is_refused() {
    let app = spawn_app().await;
    let host = app.base.trim_start_matches("http://").to_owned();
    let send = |origin: &'static str| {
        app.http
            .post(format!("{}/api/v1/desks/chania-1/open", app.base))
            .bearer_auth(app.token("staff1"))
            .header("Origin", origin)
            .send()
    };
    let response = send("http://evil.example").await.unwrap();
    assert_eq!(response.status(), StatusCode::FORBIDDEN);
    assert_eq!(response.headers()["x-content-type-options"], "nosniff");
    let body: Value = response.json().await.unwrap();
    assert_eq!(body["error"], "forbidden");
    // The same host and port over another scheme is another origin.
    let other_scheme: &'static str = Box::leak(format!("https://{host}").into_boxed_str());
    assert_eq!(
        send(other_scheme).await.unwrap().status(),
        StatusCode::FORBIDDEN
    );
    // The server's own origin is fine.
    let own: &'static str = Box::leak(format!("http://{host}").into_boxed_str());
    assert_eq!(send(own).await.unwrap().status(), StatusCode::OK);
    // Reads are not affected.
    let response = app
        .http
        .get(format!("{}/api/v1/sites/chania/board", app.base))
        .header("Origin", "http://evil.example")
        .send()
        .await
        .unwrap();
    assert_eq!(response.status(), StatusCode::OK);
}

#[tokio::test]
async fn a_bad_token_is_401_everywhere() {
    let app = spawn_app().await;
    for (path, token) in [
        ("/api/v1/sites/chania/services", "seira_not-a-real-token"),
        ("/api/v1/sites/chania/board", "seira_not-a-real-token"),
        ("/api/v1/sites/chania/services", ""),
    ] {
        let response = app
            .http
            .get(format!("{}{path}", app.base))
            .header("Authorization", format!("Bearer {token}"))
            .send()
            .await
            .unwrap();
        assert_eq!(
            response.status(),
            StatusCode::UNAUTHORIZED,
            "{path} with `{token}`"
        );
    }
}

#[tokio::test]
async fn an_unknown_ticket_page_is_a_page_a_citizen_understands() {
    let app = spawn_app().await;
    let response = app
        .http
        .get(format!("{}/t/this-is-not-a-ticket", app.base))
        .send()
        .await
        .unwrap();
    assert_eq!(response.status(), StatusCode::NOT_FOUND);
    assert!(
        response.headers()["content-type"]
            .to_str()
            .unwrap()
            .starts_with("text/html")
    );
    let html = response.text().await.unwrap();
    assert!(html.contains("Δεν βρίσκουμε αυτόν τον αριθμό"), "{html}");
    assert!(html.contains("ρωτήστε στην υποδοχή"));
}

#[tokio::test]
async fn the_openapi_document_lists_the_errors_the_server_gives() {
    let app = spawn_app().await;
    let (_, doc) = app.get("/api/v1/openapi.json", "").await;
    let responses = |path: &str, method: &str| doc["paths"][path][method]["responses"].clone();
    for status in ["400", "413", "415", "401"] {
        assert!(
            responses("/api/v1/sites/{site}/tickets", "post")[status].is_object(),
            "issuing lists {status}"
        );
    }
    assert!(responses("/api/v1/admin/sites/{site}/settings", "put")["413"].is_object());
    // A bad token is refused even where none is needed.
    assert!(responses("/api/v1/sites/{site}/board", "get")["401"].is_object());
    assert!(responses("/api/v1/tickets/{id}/track", "get")["401"].is_object());
    assert!(responses("/healthz", "get")["401"].is_null());
    let response = app
        .http
        .post(format!("{}/api/v1/sites/chania/tickets", app.base))
        .bearer_auth(app.token("kiosk"))
        .header("content-type", "text/plain")
        .body("service=benefits")
        .send()
        .await
        .unwrap();
    assert_eq!(response.status(), StatusCode::UNSUPPORTED_MEDIA_TYPE);
}

/// Requests hyper itself cannot parse — a raw 0xFF in the path, a path past 64 KiB, a head
/// past its buffer — are answered in JSON too, not with an empty body.
#[tokio::test]
async fn requests_too_broken_to_parse_get_json_errors() {
    use tokio::io::{AsyncReadExt, AsyncWriteExt};
    let app = spawn_app().await;
    let address = app.base.trim_start_matches("http://").to_owned();
    let raw = |request: Vec<u8>| {
        let address = address.clone();
        async move {
            let mut stream = tokio::net::TcpStream::connect(address).await.unwrap();
            // The server may answer and close before all is sent: that is its right.
            let _ = stream.write_all(&request).await;
            let mut answer = Vec::new();
            let _ = stream.read_to_end(&mut answer).await;
            String::from_utf8_lossy(&answer).into_owned()
        }
    };
    let mut bad_byte = b"GET /api/v1/sites/".to_vec();
    bad_byte.push(0xff);
    bad_byte.extend_from_slice(b" HTTP/1.1\r\nHost: x\r\n\r\n");
    let long_path = format!("GET /{} HTTP/1.1\r\nHost: x\r\n\r\n", "p".repeat(70 * 1024));
    let huge_head = format!(
        "GET /healthz HTTP/1.1\r\nHost: x\r\nX-Pad: {}\r\n\r\n",
        "h".repeat(300 * 1024)
    );
    for (request, status, code) in [
        (bad_byte, "400", "malformed_request"),
        (long_path.into_bytes(), "414", "uri_too_long"),
        (huge_head.into_bytes(), "431", "headers_too_large"),
    ] {
        let answer = raw(request).await;
        assert!(
            answer.starts_with(&format!("HTTP/1.1 {status} ")),
            "{answer}"
        );
        assert!(
            answer.contains("content-type: application/json"),
            "{answer}"
        );
        let body = answer.split("\r\n\r\n").nth(1).unwrap_or_default();
        let error: Value = serde_json::from_str(body).unwrap_or(Value::Null);
        assert_eq!(error["error"], code, "{answer}");
    }
    // The server is still there for everyone else.
    let (status, _) = app.get("/healthz", "").await;
    assert_eq!(status, StatusCode::OK);
}

/// An address that is neither an API path nor a page: the API's answer is JSON, a page's
/// is a page.
#[tokio::test]
async fn an_unknown_address_is_answered_in_the_kind_it_was_asked_in() {
    let app = spawn_app().await;
    let page = app
        .http
        .get(format!("{}/no-such-page", app.base))
        .send()
        .await
        .unwrap();
    assert_eq!(page.status(), StatusCode::NOT_FOUND);
    assert!(
        page.headers()["content-type"]
            .to_str()
            .unwrap()
            .starts_with("text/html")
    );
    assert!(page.text().await.unwrap().contains("Η σελίδα δεν βρέθηκε"));
    let (status, body) = app.get("/api/v1/no-such-thing", "").await;
    assert_eq!(
        (status, body["error"].as_str()),
        (StatusCode::NOT_FOUND, Some("not_found"))
    );
}

/// The sign-in page answers a form it cannot read as a page, with the status that says why.
#[tokio::test]
async fn the_sign_in_page_answers_a_bad_form_as_a_page() {
    let app = spawn_app().await;
    let post = |content_type: &'static str, body: String| {
        let app = &app;
        async move {
            let response = app
                .http
                .post(format!("{}/login", app.base))
                .header("content-type", content_type)
                .body(body)
                .send()
                .await
                .unwrap();
            let status = response.status();
            let kind = response.headers()["content-type"]
                .to_str()
                .unwrap()
                .to_owned();
            (status, kind, response.text().await.unwrap())
        }
    };
    let long = format!("username=maria&password={}", "x".repeat(64 * 1024));
    for (content_type, body, expected) in [
        (
            "text/plain",
            "username=maria".to_owned(),
            StatusCode::UNSUPPORTED_MEDIA_TYPE,
        ),
        (
            "application/x-www-form-urlencoded",
            long,
            StatusCode::PAYLOAD_TOO_LARGE,
        ),
        (
            "application/x-www-form-urlencoded",
            "username=maria".to_owned(),
            StatusCode::UNPROCESSABLE_ENTITY,
        ),
    ] {
        let (status, kind, page) = post(content_type, body).await;
        assert_eq!(status, expected, "{content_type}: {page}");
        assert!(kind.starts_with("text/html"), "{kind}");
        assert!(
            page.contains("<form method=\"post\" action=\"/login\">"),
            "{page}"
        );
    }
}

/// Every operation has its own `operationId`, and the bounds a fuzzer reads are the server's
/// own (a score of 1 to 5, appointments of 5 to 480 minutes).
#[tokio::test]
async fn the_openapi_document_is_as_exact_as_the_api() {
    let app = spawn_app().await;
    let (_, doc) = app.get("/api/v1/openapi.json", "").await;
    let mut ids = std::collections::HashMap::new();
    for (path, item) in doc["paths"].as_object().unwrap() {
        for (method, operation) in item.as_object().unwrap() {
            if let Some(id) = operation["operationId"].as_str() {
                let place = format!("{method} {path}");
                if let Some(other) = ids.insert(id.to_owned(), place.clone()) {
                    panic!("operationId `{id}` twice: {other} and {place}");
                }
            }
        }
    }
    let schema = |name: &str| doc["components"]["schemas"][name].clone();
    let score = &schema("Feedback")["properties"]["score"];
    assert_eq!(
        (score["minimum"].as_f64(), score["maximum"].as_f64()),
        (Some(1.0), Some(5.0)),
        "{score}"
    );
    let minutes = &schema("NewAppointment")["properties"]["minutes"];
    assert_eq!(
        (minutes["minimum"].as_f64(), minutes["maximum"].as_f64()),
        (Some(5.0), Some(480.0)),
        "{minutes}"
    );
}

#[tokio::test]
async fn oversized_addresses_and_headers_get_json_errors() {
    let app = spawn_app().await;
    let long = "x".repeat(9 * 1024);
    let response = app
        .http
        .get(format!("{}/api/v1/sites/{long}/board", app.base))
        .send()
        .await
        .unwrap();
    assert_eq!(response.status(), StatusCode::URI_TOO_LONG);
    let body: Value = response.json().await.unwrap();
    assert_eq!(body["error"], "uri_too_long");
    let response = app
        .http
        .get(format!("{}/api/v1/sites/chania/board", app.base))
        .header("x-padding", "y".repeat(20 * 1024))
        .send()
        .await
        .unwrap();
    assert_eq!(
        response.status(),
        StatusCode::REQUEST_HEADER_FIELDS_TOO_LARGE
    );
    let body: Value = response.json().await.unwrap();
    assert_eq!(body["error"], "headers_too_large");
}
