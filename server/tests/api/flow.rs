//! A morning at the desk: issuing, calling in order, serving, transfers, parking, closing time.

use reqwest::StatusCode;
use seira_protocol::{Channel, DeskState, IssueTicket, TicketState, TrackView};
use seira_server::config::Config;
use seira_server::engine::{Ctx, EngineError};
use seira_server::store::Store;
use serde_json::json;

use crate::helpers::{athens, spawn_app, spawn_with};

#[tokio::test]
async fn issue_call_start_done() {
    let app = spawn_app().await;
    let first = app.issue("benefits", None).await;
    assert_eq!(first.number, "A001");
    assert_eq!(first.position, 0);
    let second = app.issue("benefits", None).await;
    assert_eq!(second.number, "A002");
    assert_eq!(second.position, 1);
    assert!(second.estimated_wait_s > 0, "one ahead: some wait");
    assert_eq!(app.issue("referrals", None).await.number, "B001");

    app.open_desk("chania-1").await;
    let called = app.call_next("chania-1", "staff1").await.unwrap();
    assert_eq!(
        (called.number.as_str(), called.state),
        ("A001", TicketState::Called)
    );
    assert_eq!(called.desk.as_deref(), Some("chania-1"));
    assert_eq!(called.channel, Channel::Kiosk);

    let track: TrackView = app.client(None).track(&second.id).await.unwrap();
    assert_eq!((track.state, track.position), (TicketState::Waiting, 0));

    let started = app.act(&called.id, "start", "staff1").await;
    assert_eq!(started.state, TicketState::Serving);
    let done = app.act(&called.id, "done", "staff1").await;
    assert_eq!(done.state, TicketState::Done);
    assert!(done.issued_at <= done.called_at.unwrap());
    assert!(done.called_at <= done.started_at && done.started_at <= done.finished_at);

    let (_, board) = app.get("/api/v1/sites/chania/board", "").await;
    assert_eq!(board["calls"][0]["number"], "A001");
    assert_eq!(board["calls"][0]["desk_names"]["el"], "Γραφείο 1");
    assert_eq!(board["desks"]["chania-4"]["el"], "Γραφείο 4");
    let waiting: Vec<_> = board["queues"]
        .as_array()
        .unwrap()
        .iter()
        .map(|q| q["waiting"].as_u64().unwrap())
        .collect();
    assert_eq!(waiting, [1, 1, 0, 0]);
}

#[tokio::test]
async fn priority_tickets_interleave_one_to_two() {
    let app = spawn_app().await;
    for _ in 0..4 {
        app.issue("benefits", None).await;
    }
    for _ in 0..3 {
        app.issue("benefits", Some("elderly")).await;
    }
    app.open_desk("chania-1").await;
    let mut kinds = String::new();
    while let Some(t) = app.call_next("chania-1", "staff1").await {
        kinds.push(if t.priority.is_some() { 'P' } else { 'O' });
        app.act(&t.id, "no-show", "staff1").await;
    }
    assert_eq!(kinds, "POOPOOP");
}

#[tokio::test]
async fn a_desk_holds_one_ticket_and_calls_only_when_open() {
    let app = spawn_app().await;
    app.issue("benefits", None).await;
    app.issue("benefits", None).await;
    let (status, body) = app
        .post("/api/v1/desks/chania-1/call-next", "staff1", None)
        .await;
    assert_eq!(
        (status, body["error"].as_str()),
        (StatusCode::CONFLICT, Some("desk_closed"))
    );
    app.open_desk("chania-1").await;
    let t = app.call_next("chania-1", "staff1").await.unwrap();
    let (status, body) = app
        .post("/api/v1/desks/chania-1/call-next", "staff1", None)
        .await;
    assert_eq!(
        (status, body["error"].as_str()),
        (StatusCode::CONFLICT, Some("ticket_in_hand"))
    );
    let (status, body) = app
        .post("/api/v1/desks/chania-1/close", "staff1", None)
        .await;
    assert_eq!(
        (status, body["error"].as_str()),
        (StatusCode::CONFLICT, Some("ticket_in_hand"))
    );
    // Pausing is allowed with a ticket in hand; calling is not.
    let (status, desk) = app
        .post(
            "/api/v1/desks/chania-1/pause",
            "staff1",
            Some(json!({"reason": "διάλειμμα"})),
        )
        .await;
    assert_eq!(status, StatusCode::OK);
    assert_eq!(
        (desk["state"].as_str(), desk["pause_reason"].as_str()),
        (Some("paused"), Some("διάλειμμα"))
    );
    assert_eq!(desk["ticket"]["id"], t.id.as_str());
    app.act(&t.id, "start", "staff1").await;
    app.act(&t.id, "done", "staff1").await;
    let (status, body) = app
        .post("/api/v1/desks/chania-1/call-next", "staff1", None)
        .await;
    assert_eq!(
        (status, body["error"].as_str()),
        (StatusCode::CONFLICT, Some("desk_paused"))
    );
    let (status, desk) = app
        .post("/api/v1/desks/chania-1/close", "staff1", None)
        .await;
    assert_eq!(
        (status, desk["state"].as_str()),
        (StatusCode::OK, Some("closed"))
    );
    // Nothing waits for the psychologist: 204.
    app.open_desk("chania-3").await;
    assert!(app.call_next("chania-3", "staff3").await.is_none());
}

#[tokio::test]
async fn impossible_changes_are_409() {
    let app = spawn_app().await;
    let t = app.issue("benefits", None).await;
    for action in ["start", "done", "recall", "no-show", "park", "return"] {
        let (status, body) = app
            .post(&format!("/api/v1/tickets/{}/{action}", t.id), "admin", None)
            .await;
        assert_eq!(status, StatusCode::CONFLICT, "{action} on waiting: {body}");
        assert_eq!(body["error"], "invalid_transition");
    }
    let (status, _) = app
        .post(
            &format!("/api/v1/tickets/{}/transfer", t.id),
            "admin",
            Some(json!({"service": "referrals"})),
        )
        .await;
    assert_eq!(status, StatusCode::CONFLICT);
    app.act(&t.id, "cancel", "admin").await;
    for action in ["cancel", "void", "start"] {
        let (status, _) = app
            .post(&format!("/api/v1/tickets/{}/{action}", t.id), "admin", None)
            .await;
        assert_eq!(status, StatusCode::CONFLICT, "{action} on cancelled");
    }
}

#[tokio::test]
async fn recall_park_return_and_call_out_of_order() {
    let app = spawn_app().await;
    let a1 = app.issue("benefits", None).await;
    let a2 = app.issue("benefits", None).await;
    app.open_desk("chania-1").await;
    // Out of order: A002 before A001.
    let (status, t) = app
        .post(
            "/api/v1/desks/chania-1/call",
            "staff1",
            Some(json!({"ticket": a2.id})),
        )
        .await;
    assert_eq!(
        (status, t["number"].as_str()),
        (StatusCode::OK, Some("A002"))
    );
    let recalled = app.act(&a2.id, "recall", "staff1").await;
    assert_eq!(recalled.recalls, 1);
    let parked = app.act(&a2.id, "park", "staff1").await;
    assert_eq!(parked.state, TicketState::Parked);
    // The desk is free again: it calls A001.
    let next = app.call_next("chania-1", "staff1").await.unwrap();
    assert_eq!(next.id, a1.id);
    app.act(&a1.id, "no-show", "staff1").await;
    // Parked A002 returns to its old place and is called next, keeping its first call time.
    let returned = app.act(&a2.id, "return", "staff1").await;
    assert_eq!(returned.state, TicketState::Waiting);
    let again = app.call_next("chania-1", "staff1").await.unwrap();
    assert_eq!(again.id, a2.id);
    assert_eq!(again.called_at, recalled.called_at);
    // A ticket of a service the desk does not serve cannot be called there.
    let c = app.issue("psychosocial", None).await;
    app.act(&a2.id, "start", "staff1").await;
    app.act(&a2.id, "done", "staff1").await;
    let (status, body) = app
        .post(
            "/api/v1/desks/chania-1/call",
            "staff1",
            Some(json!({"ticket": c.id})),
        )
        .await;
    assert_eq!(
        (status, body["error"].as_str()),
        (StatusCode::CONFLICT, Some("service_not_at_desk"))
    );
}

#[tokio::test]
async fn a_transfer_keeps_the_number_and_the_issue_time() {
    let app = spawn_app().await;
    let paper = app.issue("benefits", None).await;
    app.open_desk("chania-1").await;
    let t = app.call_next("chania-1", "staff1").await.unwrap();
    app.act(&t.id, "start", "staff1").await;
    let (status, body) = app
        .post(
            &format!("/api/v1/tickets/{}/transfer", t.id),
            "staff1",
            Some(json!({"service": "psychosocial"})),
        )
        .await;
    assert_eq!(status, StatusCode::OK, "{body}");
    let next: seira_protocol::Ticket = serde_json::from_value(body).unwrap();
    assert_eq!(
        (next.number.as_str(), next.step, next.state),
        ("A001", 2, TicketState::Waiting)
    );
    assert_eq!(next.issued_at, paper.issued_at);
    assert_eq!(next.service, "psychosocial");
    // The paper's QR code follows the visit.
    let track = app.client(None).track(&paper.id).await.unwrap();
    assert_eq!(
        (track.service.as_str(), track.state),
        ("psychosocial", TicketState::Waiting)
    );
    // The psychologist calls it.
    app.open_desk("chania-3").await;
    let called = app.call_next("chania-3", "staff3").await.unwrap();
    assert_eq!(called.id, next.id);
    let track = app.client(None).track(&paper.id).await.unwrap();
    assert_eq!(track.desk.as_deref(), Some("chania-3"));
    // Same service, or an unknown one, is refused.
    let (status, _) = app
        .post(
            &format!("/api/v1/tickets/{}/transfer", next.id),
            "staff3",
            Some(json!({"service": "psychosocial"})),
        )
        .await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY);
    let (status, _) = app
        .post(
            &format!("/api/v1/tickets/{}/transfer", next.id),
            "staff3",
            Some(json!({"service": "nope"})),
        )
        .await;
    assert_eq!(status, StatusCode::NOT_FOUND);
}

#[tokio::test]
async fn outside_opening_hours_no_ticket_is_issued() {
    // The embedded hours: Monday to Friday, 07:30–15:30 in Athens.
    let app = spawn_with(Config::embedded(), None).await;
    app.set_time(athens("2026-11-28 10:00")); // a Saturday
    let (status, body) = app
        .post(
            "/api/v1/sites/chania/tickets",
            "kiosk",
            Some(json!({"service": "benefits", "request_id": "sat"})),
        )
        .await;
    assert_eq!(
        (status, body["error"].as_str()),
        (StatusCode::CONFLICT, Some("closed"))
    );
    let services = app.client(Some("kiosk")).services("chania").await.unwrap();
    assert!(!services.open_now && services.services.iter().all(|s| !s.open_now));
    app.set_time(athens("2026-11-23 10:00")); // a Monday
    let services = app.client(Some("kiosk")).services("chania").await.unwrap();
    assert!(services.open_now);
    assert_eq!(services.priorities.len(), 3);
    assert_eq!(
        services.ticket_footer["el"],
        "Οι υπηρεσίες παρέχονται δωρεάν"
    );
    app.issue("benefits", None).await;
}

#[tokio::test]
async fn revoked_tokens_stop_working_at_once() {
    let app = spawn_app().await;
    let store = Store::open(&app.db_path).unwrap();
    let tokens = store
        .read(|tx| {
            seira_server::store::list_tokens(tx).map_err(seira_server::store::StoreError::from)
        })
        .unwrap();
    let kiosk = tokens.iter().find(|t| t.label == "test kiosk").unwrap();
    app.issue("benefits", None).await;
    store
        .write(|tx| {
            seira_server::store::revoke_token(tx, kiosk.id, jiff::Timestamp::now())
                .map_err(seira_server::store::StoreError::from)
        })
        .unwrap();
    let (status, body) = app
        .post(
            "/api/v1/sites/chania/tickets",
            "kiosk",
            Some(json!({"service": "benefits", "request_id": "after"})),
        )
        .await;
    assert_eq!(
        (status, body["error"].as_str()),
        (StatusCode::UNAUTHORIZED, Some("unauthorized"))
    );
}

/// Closing time, through the engine on a real database file with the embedded hours.
#[test]
fn open_tickets_are_closed_at_closing_time_and_flagged() {
    let dir = tempfile::tempdir().unwrap();
    let store = Store::open(&dir.path().join("s.db")).unwrap();
    let config = Config::embedded();
    let app = seira_server::App::new(config.clone(), store).unwrap();
    let store = &app.store;
    let morning = athens("2026-11-23 10:00");
    let issue = |ctx: &mut Ctx<'_, '_>, id: &str| {
        let request = IssueTicket {
            service: "benefits".into(),
            priority: None,
            lang: Some("el".into()),
            request_id: id.into(),
        };
        ctx.issue("chania", &request, Channel::Kiosk)
            .map(|(t, _)| t)
    };
    let (serving, waiting) = store
        .write(|tx| {
            let mut ctx = Ctx::new(tx, &config, morning, None);
            let first = issue(&mut ctx, "first")?;
            let second = issue(&mut ctx, "second")?;
            ctx.set_desk_state("chania-1", DeskState::Open, None)?;
            let called = ctx.call_next("chania-1")?.unwrap();
            assert_eq!(called.id, first.id);
            ctx.act(&called.id, seira_server::queue::lifecycle::Action::Start)?;
            Ok::<_, EngineError>((first, second))
        })
        .unwrap();
    // Before closing nothing happens; at 15:30 both are closed and flagged.
    let before = store
        .write(|tx| Ctx::new(tx, &config, athens("2026-11-23 15:29"), None).auto_close())
        .unwrap();
    assert_eq!(before, 0);
    let (closed, events) = store
        .write(|tx| {
            let mut ctx = Ctx::new(tx, &config, athens("2026-11-23 15:30"), None);
            let n = ctx.auto_close()?;
            Ok::<_, EngineError>((n, ctx.events))
        })
        .unwrap();
    assert_eq!(closed, 2);
    assert!(
        events
            .iter()
            .all(|e| e.kind == seira_protocol::EventKind::TicketAutoClosed)
    );
    let states: Vec<_> = [&serving.id, &waiting.id]
        .iter()
        .map(|id| {
            store
                .read(|tx| {
                    seira_server::store::load_ticket(tx, id)
                        .map_err(seira_server::store::StoreError::from)
                })
                .unwrap()
                .unwrap()
        })
        .map(|t| (t.state, t.inaccurate_time))
        .collect();
    assert_eq!(
        states,
        [(TicketState::Done, true), (TicketState::Cancelled, true)]
    );
}

#[tokio::test]
async fn a_closure_day_issues_no_ticket() {
    let app = spawn_with(Config::embedded(), None).await;
    let (_, mut form) = app
        .get("/api/v1/admin/sites/chania/settings", "admin")
        .await;
    // Christmas 2028 is a Monday: open by the weekly hours, closed by the closure day.
    form["settings"]["closed_days"] = json!(["2028-12-25"]);
    let (status, body) = app
        .send(
            "PUT",
            "/api/v1/admin/sites/chania/settings",
            "admin",
            Some(form.clone()),
        )
        .await;
    assert_eq!(status, StatusCode::OK, "{body}");
    app.set_time(athens("2028-12-25 10:00"));
    let (status, body) = app
        .post(
            "/api/v1/sites/chania/tickets",
            "kiosk",
            Some(json!({"service": "benefits", "request_id": "xmas"})),
        )
        .await;
    assert_eq!(
        (status, body["error"].as_str()),
        (StatusCode::CONFLICT, Some("closed"))
    );
    let services = app.client(Some("kiosk")).services("chania").await.unwrap();
    assert!(!services.open_now);
    app.set_time(athens("2028-12-26 10:00"));
    app.issue("benefits", None).await;
    // A bad date is refused, in English and in Greek.
    let (_, mut form) = app
        .get("/api/v1/admin/sites/chania/settings", "admin")
        .await;
    form["settings"]["closed_days"] = json!(["25/12/2028"]);
    let (status, body) = app
        .send(
            "PUT",
            "/api/v1/admin/sites/chania/settings",
            "admin",
            Some(form),
        )
        .await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY, "{body}");
    assert!(body["message"].as_str().unwrap().contains("not a date"));
    assert!(
        body["message_el"]
            .as_str()
            .unwrap()
            .contains("δεν είναι ημερομηνία")
    );
}

/// `/metrics` counts what happened, by route pattern and by kind of event, and says who
/// waits now per service.
#[tokio::test]
async fn metrics_count_requests_events_and_who_waits() {
    let app = spawn_app().await;
    app.issue("benefits", None).await;
    app.issue("benefits", None).await;
    app.open_desk("chania-1").await;
    app.call_next("chania-1", "staff1").await.unwrap();
    let response = app
        .http
        .get(format!("{}/metrics", app.base))
        .send()
        .await
        .unwrap();
    assert_eq!(response.status(), reqwest::StatusCode::OK);
    assert!(
        response.headers()["content-type"]
            .to_str()
            .unwrap()
            .starts_with("application/openmetrics-text")
    );
    let text = response.text().await.unwrap();
    for expected in [
        r#"seira_events_total{kind="ticket_issued"} 2"#,
        r#"seira_events_total{kind="ticket_called"} 1"#,
        r#"seira_http_requests_total{route="/api/v1/sites/{site}/tickets",method="POST",status="201"} 2"#,
        r#"seira_waiting{site="chania",service="benefits"} 1"#,
        "seira_database_bytes ",
    ] {
        assert!(text.contains(expected), "{expected} in\n{text}");
    }
    assert!(
        !text.contains("A001"),
        "no ticket numbers, nothing about anyone"
    );
}
