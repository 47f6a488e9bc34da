//! The desk's real day: done-and-next, the undo of a mistaken no-show, a transfer that keeps
//! the citizen's place (or not), notes for the next colleague, the desk's list in calling
//! order, and devices that go silent.

use jiff::SignedDuration;
use reqwest::StatusCode;
use seira_protocol::{DeskQueue, EventKind, Ticket, TicketState};
use seira_server::config::Config;
use seira_server::engine::Ctx;
use seira_server::store::{Store, StoreError};
use serde_json::json;

use crate::helpers::{TestApp, spawn_app};

async fn queue(app: &TestApp, desk: &str) -> DeskQueue {
    let (status, body) = app
        .get(&format!("/api/v1/desks/{desk}/queue"), "admin")
        .await;
    assert_eq!(status, StatusCode::OK, "{body}");
    serde_json::from_value(body).unwrap()
}

fn numbers(queue: &DeskQueue) -> Vec<&str> {
    queue
        .entries
        .iter()
        .map(|e| e.ticket.number.as_str())
        .collect()
}

/// The listed numbers of one service.
fn numbers_of<'a>(queue: &'a DeskQueue, service: &str) -> Vec<&'a str> {
    queue
        .entries
        .iter()
        .filter(|e| e.ticket.service == service)
        .map(|e| e.ticket.number.as_str())
        .collect()
}

/// The event kinds of the log after `after`, straight from the database file.
fn logged(app: &TestApp, after: i64) -> Vec<(EventKind, Option<String>, String)> {
    let store = Store::open(&app.db_path).unwrap();
    store
        .read(|tx| {
            let mut stmt = tx
                .prepare("SELECT kind, actor, data FROM events WHERE id > ?1 ORDER BY id")
                .unwrap();
            let rows = stmt
                .query_map([after], |r| {
                    let kind: String = r.get(0)?;
                    Ok((EventKind::parse(&kind).unwrap(), r.get(1)?, r.get(2)?))
                })
                .unwrap();
            Ok::<_, StoreError>(rows.map(Result::unwrap).collect())
        })
        .unwrap()
}

fn last_event(app: &TestApp) -> i64 {
    let store = Store::open(&app.db_path).unwrap();
    store
        .read(|tx| seira_server::store::last_event_id(tx).map_err(StoreError::from))
        .unwrap()
}

async fn done_and_next(app: &TestApp, desk: &str, who: &str) -> (StatusCode, serde_json::Value) {
    app.post(&format!("/api/v1/desks/{desk}/done-and-next"), who, None)
        .await
}

#[tokio::test]
async fn done_and_next_finishes_and_calls_in_one_go() {
    let app = spawn_app().await;
    let a1 = app.issue("benefits", None).await;
    let a2 = app.issue("benefits", None).await;
    app.open_desk("chania-1").await;
    // Nothing in hand: it only calls.
    let (status, body) = done_and_next(&app, "chania-1", "staff1").await;
    assert_eq!(status, StatusCode::OK, "{body}");
    assert_eq!(body["id"], a1.id.as_str());
    // Called but not started: refused, nothing changes.
    let (status, body) = done_and_next(&app, "chania-1", "staff1").await;
    assert_eq!(
        (status, body["error"].as_str()),
        (StatusCode::CONFLICT, Some("not_serving")),
        "{body}"
    );
    assert!(body["message"].as_str().unwrap().contains("A001"));
    app.act(&a1.id, "start", "staff1").await;
    let before = last_event(&app);
    let (status, body) = done_and_next(&app, "chania-1", "staff1").await;
    assert_eq!(status, StatusCode::OK, "{body}");
    let called: Ticket = serde_json::from_value(body).unwrap();
    assert_eq!(
        (called.id.as_str(), called.state),
        (a2.id.as_str(), TicketState::Called)
    );
    let kinds: Vec<_> = logged(&app, before)
        .into_iter()
        .map(|(k, a, _)| (k, a))
        .collect();
    assert_eq!(
        kinds,
        [
            (EventKind::TicketDone, Some("test staff1".to_owned())),
            (EventKind::TicketCalled, Some("test staff1".to_owned()))
        ]
    );
    let track = app.client(None).track(&a1.id).await.unwrap();
    assert_eq!(track.state, TicketState::Done);
    // The last one: finished, and nothing waits.
    app.act(&a2.id, "start", "staff1").await;
    let (status, body) = done_and_next(&app, "chania-1", "staff1").await;
    assert_eq!(
        (status, body),
        (StatusCode::NO_CONTENT, serde_json::Value::Null)
    );
    assert_eq!(
        app.client(None).track(&a2.id).await.unwrap().state,
        TicketState::Done
    );
    // Another desk's staff, a closed desk, an unknown desk.
    let (status, _) = done_and_next(&app, "chania-1", "staff2").await;
    assert_eq!(status, StatusCode::FORBIDDEN);
    let (status, body) = done_and_next(&app, "chania-2", "staff2").await;
    assert_eq!(
        (status, body["error"].as_str()),
        (StatusCode::CONFLICT, Some("desk_closed"))
    );
    let (status, _) = done_and_next(&app, "nowhere", "admin").await;
    assert_eq!(status, StatusCode::NOT_FOUND);
}

#[tokio::test]
async fn a_mistaken_no_show_goes_back_to_its_place_or_its_desk() {
    let app = spawn_app().await;
    let start = TestApp::this_morning();
    app.set_time(start);
    let a1 = app.issue("benefits", None).await;
    app.set_time(start + SignedDuration::from_secs(60));
    let a2 = app.issue("benefits", None).await;
    let a3 = app.issue("benefits", None).await;
    app.open_desk("chania-1").await;
    let called = app.call_next("chania-1", "staff1").await.unwrap();
    assert_eq!(called.id, a1.id);
    app.act(&a1.id, "no-show", "staff1").await;
    // The desk is free: straight back to it, without a second announcement.
    let before = last_event(&app);
    let back = app.act(&a1.id, "undo-no-show", "staff1").await;
    assert_eq!(
        (back.state, back.desk.as_deref(), back.finished_at),
        (TicketState::Called, Some("chania-1"), None)
    );
    let log = logged(&app, before);
    assert_eq!(log.len(), 1);
    assert_eq!(
        (log[0].0, log[0].1.as_deref()),
        (EventKind::TicketNoShowUndone, Some("test staff1"))
    );
    // Again a no-show; the desk has moved on to A002: A001 goes back to its place in line,
    // ahead of A003 which came later.
    app.act(&a1.id, "no-show", "staff1").await;
    assert_eq!(app.call_next("chania-1", "staff1").await.unwrap().id, a2.id);
    let back = app.act(&a1.id, "undo-no-show", "staff1").await;
    assert_eq!((back.state, back.desk), (TicketState::Waiting, None));
    let track = app.client(None).track(&a1.id).await.unwrap();
    assert_eq!((track.state, track.position), (TicketState::Waiting, 0));
    assert_eq!(numbers(&queue(&app, "chania-1").await), ["A001", "A003"]);
    let _ = a3;
    // Another desk's staff may not; a ticket that is not a no-show cannot be.
    app.act(&a2.id, "start", "staff1").await;
    let (status, _) = done_and_next(&app, "chania-1", "staff1").await;
    assert_eq!(status, StatusCode::OK);
    app.act(&a1.id, "no-show", "staff1").await;
    let path = format!("/api/v1/tickets/{}/undo-no-show", a1.id);
    let (status, _) = app.post(&path, "staff2", None).await;
    assert_eq!(status, StatusCode::FORBIDDEN);
    let (status, body) = app
        .post(
            &format!("/api/v1/tickets/{}/undo-no-show", a2.id),
            "staff1",
            None,
        )
        .await;
    assert_eq!(status, StatusCode::CONFLICT, "{body}");
    // After the window (15 minutes by default) it is too late, and says so.
    app.set_time(start + SignedDuration::from_secs(60 + 16 * 60));
    let (status, body) = app.post(&path, "staff1", None).await;
    assert_eq!(
        (status, body["error"].as_str()),
        (StatusCode::CONFLICT, Some("undo_too_late")),
        "{body}"
    );
    assert!(body["message"].as_str().unwrap().contains("15 minutes"));
    let (status, _) = app
        .post("/api/v1/tickets/nope/undo-no-show", "staff1", None)
        .await;
    assert_eq!(status, StatusCode::NOT_FOUND);
}

async fn transfer(
    app: &TestApp,
    id: &str,
    body: serde_json::Value,
) -> (StatusCode, serde_json::Value) {
    app.post(
        &format!("/api/v1/tickets/{id}/transfer"),
        "staff1",
        Some(body),
    )
    .await
}

/// Serves the next benefits ticket at chania-1 and hands it to `transfer`'s body.
async fn serve_at_desk_1(app: &TestApp) -> Ticket {
    let t = app.call_next("chania-1", "staff1").await.unwrap();
    app.act(&t.id, "start", "staff1").await
}

#[tokio::test]
async fn a_transfer_keeps_the_place_or_goes_front_or_back() {
    let app = spawn_app().await;
    let start = TestApp::this_morning();
    let minute = std::cell::Cell::new(0);
    let at_next_minute = || {
        minute.set(minute.get() + 1);
        app.set_time(start + SignedDuration::from_mins(minute.get()));
    };
    // Referrals: B001 came before anyone; then three benefits tickets; then B002, B003.
    at_next_minute();
    app.issue("referrals", None).await;
    for _ in 0..3 {
        at_next_minute();
        app.issue("benefits", None).await;
    }
    at_next_minute();
    app.issue("referrals", None).await;
    at_next_minute();
    app.issue("referrals", None).await;
    app.open_desk("chania-1").await;
    at_next_minute();
    let a1 = serve_at_desk_1(&app).await;
    let (status, body) = transfer(&app, &a1.id, json!({"service": "referrals"})).await;
    assert_eq!(status, StatusCode::OK, "{body}");
    let step: Ticket = serde_json::from_value(body).unwrap();
    // Statistics: this step joined its queue now, whatever its place in line.
    assert_eq!(
        step.queued_at,
        start + SignedDuration::from_mins(minute.get())
    );
    assert_eq!(step.issued_at, a1.issued_at);
    assert_eq!(
        numbers_of(&queue(&app, "chania-2").await, "referrals"),
        ["B001", "A001", "B002", "B003"]
    );
    let track = app.client(None).track(&a1.id).await.unwrap();
    assert_eq!(track.position, 1, "B001 came earlier");

    at_next_minute();
    let a2 = serve_at_desk_1(&app).await;
    let (status, body) = transfer(
        &app,
        &a2.id,
        json!({"service": "referrals", "place": "front"}),
    )
    .await;
    assert_eq!(status, StatusCode::OK, "{body}");
    at_next_minute();
    let a3 = serve_at_desk_1(&app).await;
    let (status, body) = transfer(
        &app,
        &a3.id,
        json!({"service": "referrals", "place": "back"}),
    )
    .await;
    assert_eq!(status, StatusCode::OK, "{body}");
    let listed = queue(&app, "chania-2").await;
    assert_eq!(
        numbers_of(&listed, "referrals"),
        ["A002", "B001", "A001", "B002", "B003", "A003"]
    );
    assert_eq!(app.client(None).track(&a2.id).await.unwrap().position, 0);
    assert_eq!(app.client(None).track(&a3.id).await.unwrap().position, 5);
    // The listed order is the calling order.
    app.open_desk("chania-2").await;
    let mut called = Vec::new();
    while let Some(t) = app.call_next("chania-2", "staff2").await {
        called.push(t.number.clone());
        app.act(&t.id, "no-show", "staff2").await;
    }
    assert_eq!(called, numbers(&listed));
}

#[tokio::test]
async fn a_transfer_to_one_colleague_with_a_note_only_staff_see() {
    let app = spawn_app().await;
    app.issue("benefits", None).await;
    app.issue("psychosocial", None).await;
    app.open_desk("chania-1").await;
    let a1 = serve_at_desk_1(&app).await;
    let note = "Χρειάζεται διερμηνέα αραβικών";
    let (status, body) = transfer(
        &app,
        &a1.id,
        json!({"service": "psychosocial", "desk": "chania-4", "note": format!("  {note} ")}),
    )
    .await;
    assert_eq!(status, StatusCode::OK, "{body}");
    let step: Ticket = serde_json::from_value(body.clone()).unwrap();
    assert!(
        !body.to_string().contains(note),
        "the ticket itself has no note"
    );
    // chania-3 (psychosocial too) does not see it; chania-4 does, with the note, ahead of the
    // psychosocial ticket issued after A001: its place is kept.
    let q3 = queue(&app, "chania-3").await;
    assert_eq!(numbers(&q3), ["C001"]);
    let q4 = queue(&app, "chania-4").await;
    assert_eq!(numbers(&q4), ["A001", "C001"]);
    assert!(q4.entries[0].only_this_desk);
    assert_eq!(q4.entries[0].note.as_deref(), Some(note));
    app.open_desk("chania-3").await;
    let c1 = app.call_next("chania-3", "staff3").await.unwrap();
    assert_eq!(c1.number, "C001");
    app.act(&c1.id, "no-show", "staff3").await;
    assert!(app.call_next("chania-3", "staff3").await.is_none());
    let (status, body) = app
        .post(
            "/api/v1/desks/chania-3/call",
            "admin",
            Some(json!({"ticket": step.id})),
        )
        .await;
    assert_eq!(
        (status, body["error"].as_str()),
        (StatusCode::CONFLICT, Some("sent_to_another_desk"))
    );
    app.open_desk("chania-4").await;
    let called = app.call_next("chania-4", "admin").await.unwrap();
    assert_eq!(called.id, step.id);
    let (_, desks) = app.get("/api/v1/sites/chania/desks", "staff1").await;
    let desk4 = desks
        .as_array()
        .unwrap()
        .iter()
        .find(|d| d["id"] == "chania-4")
        .unwrap();
    assert_eq!(desk4["note"], note);
    // Never on the board, the public tracking view, or in the event log.
    let (_, board) = app.get("/api/v1/sites/chania/board", "").await;
    assert!(!board.to_string().contains(note));
    let (_, track) = app
        .get(&format!("/api/v1/tickets/{}/track", a1.id), "")
        .await;
    assert!(!track.to_string().contains(note));
    assert!(
        logged(&app, 0)
            .iter()
            .all(|(_, _, data)| !data.contains("διερμηνέα"))
    );
    // Deleted when the visit ends.
    app.act(&step.id, "start", "admin").await;
    app.act(&step.id, "done", "admin").await;
    let store = Store::open(&app.db_path).unwrap();
    let notes: i64 = store
        .read(|tx| {
            tx.query_row(
                "SELECT COUNT(*) FROM tickets WHERE note IS NOT NULL",
                [],
                |r| r.get(0),
            )
            .map_err(StoreError::from)
        })
        .unwrap();
    assert_eq!(notes, 0);
}

#[tokio::test]
async fn bad_transfers_are_clear_json_errors() {
    let app = spawn_app().await;
    app.issue("benefits", None).await;
    app.open_desk("chania-1").await;
    let a1 = serve_at_desk_1(&app).await;
    let cases = [
        (
            json!({"service": "psychosocial", "desk": "chania-1"}),
            StatusCode::UNPROCESSABLE_ENTITY,
            "desk_not_for_service",
        ),
        (
            json!({"service": "psychosocial", "desk": "nowhere"}),
            StatusCode::NOT_FOUND,
            "not_found",
        ),
        (
            json!({"service": "psychosocial", "note": "x".repeat(201)}),
            StatusCode::UNPROCESSABLE_ENTITY,
            "invalid_note",
        ),
        (
            json!({"service": "psychosocial", "note": "two\nlines"}),
            StatusCode::UNPROCESSABLE_ENTITY,
            "invalid_note",
        ),
    ];
    for (body, status, code) in cases {
        let (got, answer) = transfer(&app, &a1.id, body.clone()).await;
        assert_eq!(
            (got, answer["error"].as_str()),
            (status, Some(code)),
            "{body} → {answer}"
        );
    }
    let (got, answer) = transfer(
        &app,
        &a1.id,
        json!({"service": "psychosocial", "place": "sideways"}),
    )
    .await;
    assert!(
        got.is_client_error() && answer["message"].is_string(),
        "{got} {answer}"
    );
    // Nothing happened: the ticket is still served at the desk.
    let track = app.client(None).track(&a1.id).await.unwrap();
    assert_eq!(track.state, TicketState::Serving);
}

#[tokio::test]
async fn the_desk_list_marks_the_overdue_and_collapses_other_services() {
    let app = spawn_app().await;
    let start = TestApp::this_morning();
    app.set_time(start);
    app.issue("benefits", None).await;
    app.issue("psychosocial", None).await;
    app.issue("psychosocial", None).await;
    app.set_time(start + SignedDuration::from_mins(10));
    app.issue("referrals", Some("elderly")).await;
    // Benefits' target wait in the embedded configuration is under an hour.
    app.set_time(start + SignedDuration::from_mins(61));
    let q = queue(&app, "chania-1").await;
    assert_eq!(numbers(&q), ["A001", "B001"]);
    assert!(q.entries[0].overdue);
    assert_eq!(q.waiting, 2);
    assert_eq!(q.others.len(), 1);
    assert_eq!(
        (q.others[0].service.as_str(), q.others[0].waiting),
        ("psychosocial", 2)
    );
    let (status, _) = app.get("/api/v1/desks/nowhere/queue", "admin").await;
    assert_eq!(status, StatusCode::NOT_FOUND);
}

#[tokio::test]
async fn a_device_that_goes_silent_is_told_to_staff_once() {
    let app = spawn_app().await;
    let start = TestApp::this_morning();
    app.set_time(start);
    for who in ["kiosk", "display"] {
        let (status, body) = app
            .post(
                "/api/v1/sites/chania/devices/heartbeat",
                who,
                Some(json!({"printer": if who == "kiosk" { "ready" } else { "none" }})),
            )
            .await;
        assert_eq!(status, StatusCode::NO_CONTENT, "{body}");
    }
    let (_, devices) = app.get("/api/v1/sites/chania/devices", "staff1").await;
    assert_eq!(devices.as_array().unwrap().len(), 2, "{devices}");
    // 70 s later, as the server's housekeeping sees it.
    let later = start + SignedDuration::from_secs(70);
    let store = Store::open(&app.db_path).unwrap();
    let config = Config::embedded().always_open();
    let silent = |at| {
        store
            .write(|tx| Ctx::new(tx, &config, at, None).mark_silent_devices())
            .unwrap()
    };
    let before = last_event(&app);
    assert_eq!(silent(later), 2);
    assert_eq!(
        silent(later + SignedDuration::from_secs(30)),
        0,
        "told once"
    );
    let details: Vec<_> = logged(&app, before)
        .into_iter()
        .map(|(kind, _, data)| {
            assert_eq!(kind, EventKind::DeviceChanged);
            serde_json::from_str::<serde_json::Value>(&data).unwrap()["detail"].clone()
        })
        .collect();
    assert_eq!(
        details,
        [json!("test display: silent"), json!("test kiosk: silent")]
    );
    app.set_time(later);
    let (_, devices) = app.get("/api/v1/sites/chania/devices", "staff1").await;
    assert!(
        devices
            .as_array()
            .unwrap()
            .iter()
            .all(|d| d["online"] == false)
    );
    // Back: an event again, and online.
    let (status, _) = app
        .post(
            "/api/v1/sites/chania/devices/heartbeat",
            "display",
            Some(json!({"printer": "none"})),
        )
        .await;
    assert_eq!(status, StatusCode::NO_CONTENT);
    let back = logged(&app, before);
    assert_eq!(back.len(), 3);
    let (_, devices) = app.get("/api/v1/sites/chania/devices", "staff1").await;
    assert_eq!(devices[0]["online"], true, "{devices}");
}
