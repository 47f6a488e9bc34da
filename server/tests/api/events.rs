//! The live event stream: every change, in order, after commit; resumable with nothing
//! missed or repeated.

use std::time::Duration;

use futures_util::StreamExt;
use seira_protocol::{Event, EventKind};

use crate::helpers::{TestApp, spawn_app};

/// The next `n` events of a stream, or a panic after 10 s.
async fn take(
    stream: &mut (impl futures_util::Stream<Item = Result<Event, seira_protocol::ClientError>> + Unpin),
    n: usize,
) -> Vec<Event> {
    let mut events = Vec::new();
    while events.len() < n {
        let next = tokio::time::timeout(Duration::from_secs(10), stream.next())
            .await
            .expect("an event within 10 s")
            .expect("the stream is open")
            .expect("a well-formed event");
        events.push(next);
    }
    events
}

fn kinds(events: &[Event]) -> Vec<EventKind> {
    events.iter().map(|e| e.kind).collect()
}

async fn serve_one(app: &TestApp) {
    let issued = app.issue("benefits", None).await;
    let t = app.call_next("chania-1", "staff1").await.unwrap();
    assert_eq!(t.id, issued.id);
    app.act(&t.id, "start", "staff1").await;
    app.act(&t.id, "done", "staff1").await;
}

#[tokio::test]
async fn every_change_is_on_the_stream_in_order() {
    let app = spawn_app().await;
    app.open_desk("chania-1").await;
    let display = app.client(Some("display"));
    let mut stream = Box::pin(display.events("chania", None).await.unwrap());
    serve_one(&app).await;
    let events = take(&mut stream, 4).await;
    assert_eq!(
        kinds(&events),
        [
            EventKind::TicketIssued,
            EventKind::TicketCalled,
            EventKind::TicketStarted,
            EventKind::TicketDone
        ]
    );
    assert!(events.windows(2).all(|w| w[0].id < w[1].id), "ids grow");
    let called = &events[1];
    assert_eq!(called.desk.as_deref(), Some("chania-1"));
    assert_eq!(called.ticket.as_ref().unwrap().number, "A001");
    assert_eq!(events[0].waiting.get("benefits"), Some(&1));
    assert_eq!(
        called.waiting.get("benefits"),
        None,
        "nobody waits after the call"
    );
    // Events of another site are not on this stream.
    app.issue_at("souda", "admin", "health", None).await;
    app.issue("referrals", None).await;
    let next = take(&mut stream, 1).await;
    assert_eq!(next[0].ticket.as_ref().unwrap().service, "referrals");
}

#[tokio::test]
async fn a_dropped_stream_resumes_with_nothing_missed_or_repeated() {
    let app = spawn_app().await;
    app.open_desk("chania-1").await;
    let board = app.client(None).board("chania").await.unwrap();
    let display = app.client(Some("display"));
    let mut stream = Box::pin(
        display
            .events("chania", Some(board.last_event_id))
            .await
            .unwrap(),
    );
    serve_one(&app).await;
    let first = take(&mut stream, 2).await;
    drop(stream); // the connection breaks after two of four events
    serve_one(&app).await; // and more happens while it is away
    let last_seen = first.last().unwrap().id;
    let mut resumed = Box::pin(display.events("chania", Some(last_seen)).await.unwrap());
    let rest = take(&mut resumed, 6).await;
    let all: Vec<Event> = first.into_iter().chain(rest).collect();
    assert_eq!(
        kinds(&all),
        [
            EventKind::TicketIssued,
            EventKind::TicketCalled,
            EventKind::TicketStarted,
            EventKind::TicketDone,
            EventKind::TicketIssued,
            EventKind::TicketCalled,
            EventKind::TicketStarted,
            EventKind::TicketDone,
        ]
    );
    let mut ids: Vec<i64> = all.iter().map(|e| e.id).collect();
    ids.dedup();
    assert_eq!(ids.len(), 8, "no event twice");
    // Nothing more is pending: the next event is a new one.
    app.issue("children", None).await;
    let next = take(&mut resumed, 1).await;
    assert_eq!(next[0].ticket.as_ref().unwrap().service, "children");
}

#[tokio::test]
async fn the_stream_sends_sse_ids_and_kinds_and_accepts_the_header() {
    let app = spawn_app().await;
    app.issue("benefits", None).await;
    let response = app
        .http
        .get(format!("{}/api/v1/sites/chania/events", app.base))
        .bearer_auth(app.token("display"))
        .header("Last-Event-ID", "0")
        .send()
        .await
        .unwrap();
    assert_eq!(response.status(), 200);
    assert_eq!(response.headers()["content-type"], "text/event-stream");
    let mut body = response.bytes_stream();
    let chunk = tokio::time::timeout(Duration::from_secs(10), body.next())
        .await
        .unwrap()
        .unwrap()
        .unwrap();
    let text = String::from_utf8_lossy(&chunk);
    assert!(
        text.contains("id: 1\n") || text.contains("id:1\n"),
        "{text}"
    );
    assert!(
        text.contains("event: ticket_issued") || text.contains("event:ticket_issued"),
        "{text}"
    );
}

#[tokio::test]
async fn a_kiosk_printer_problem_reaches_staff() {
    let app = spawn_app().await;
    let staff = app.client(Some("staff1"));
    let mut stream = Box::pin(staff.events("chania", None).await.unwrap());
    for printer in ["ready", "ready", "paper_out"] {
        let (status, body) = app
            .post(
                "/api/v1/sites/chania/devices/heartbeat",
                "kiosk",
                Some(serde_json::json!({"printer": printer})),
            )
            .await;
        assert_eq!(status, reqwest::StatusCode::NO_CONTENT, "{body}");
    }
    // Only the changes are events: first heard ready, then paper out.
    let events = take(&mut stream, 2).await;
    assert_eq!(
        kinds(&events),
        [EventKind::DeviceChanged, EventKind::DeviceChanged]
    );
    assert_eq!(events[1].detail.as_deref(), Some("test kiosk: paper_out"));
    let (_, devices) = app.get("/api/v1/sites/chania/devices", "staff1").await;
    assert_eq!(devices[0]["name"], "test kiosk");
    assert_eq!(devices[0]["online"], true);
    assert_eq!(devices[0]["printer"], "paper_out");
    let (status, _) = app
        .post(
            "/api/v1/sites/chania/devices/heartbeat",
            "kiosk",
            Some(serde_json::json!({"printer": "on fire"})),
        )
        .await;
    assert_eq!(status, reqwest::StatusCode::UNPROCESSABLE_ENTITY);
}

/// Streams take new events from the server's memory; an event that another process wrote to
/// the same file (the command line) leaves a hole in the ids there, and the stream reads it
/// from the database, in order, before the next one.
#[tokio::test]
async fn an_event_written_by_another_process_reaches_the_stream_in_order() {
    use seira_server::engine::{Ctx, EngineError};
    let app = spawn_app().await;
    let display = app.client(Some("display"));
    let mut stream = Box::pin(display.events("chania", None).await.unwrap());
    app.issue("benefits", None).await;
    let first = take(&mut stream, 1).await;
    let store = seira_server::store::Store::open(&app.db_path).unwrap();
    let config = seira_server::config::Config::embedded().always_open();
    store
        .write(|tx| {
            let mut ctx = Ctx::new(tx, &config, jiff::Timestamp::now(), None);
            let request = seira_protocol::IssueTicket {
                service: "referrals".into(),
                priority: None,
                lang: None,
                request_id: "elsewhere".into(),
            };
            ctx.issue("chania", &request, seira_protocol::Channel::Staff)?;
            Ok::<_, EngineError>(())
        })
        .unwrap();
    app.issue("children", None).await;
    let next = take(&mut stream, 2).await;
    let services: Vec<&str> = next
        .iter()
        .map(|e| e.ticket.as_ref().unwrap().service.as_str())
        .collect();
    assert_eq!(services, ["referrals", "children"]);
    assert!(first[0].id < next[0].id && next[0].id < next[1].id);
    // And the stream goes on from memory.
    app.issue("benefits", None).await;
    let last = take(&mut stream, 1).await;
    assert_eq!(last[0].id, next[1].id + 1);
}
