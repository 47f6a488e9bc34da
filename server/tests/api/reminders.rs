//! Appointment reminders through a site's gateway, against a fake gateway on 127.0.0.1:0
//! that refuses the first attempt: the reminder is retried after its pause, delivered once,
//! says the code, the time and the place, and its contact is in no event and no answer.

use reqwest::StatusCode;
use serde_json::{Value, json};

use crate::fake_gateway::{self, wait_for};
use crate::helpers::{TestApp, spawn_tweaked};

#[tokio::test]
async fn a_reminder_is_retried_then_delivered_once_with_the_code_and_time() {
    let (url, received) = fake_gateway::start(1).await;
    let config = seira_server::config::Config::embedded();
    let mut chania = config.site_settings(config.site("chania").unwrap());
    chania.reminders = Some(seira_protocol::admin::ReminderGateway {
        url: format!("{url}?to={{contact}}"),
        method: "POST".into(),
        body: Some(
            r#"{"to":"{contact}","text":"Ραντεβού {date} {time}, {place}. Κωδικός {code}"}"#.into(),
        ),
        content_type: "application/json".into(),
        authorization: Some("Bearer gateway-key".into()),
        hours_before: 24,
    });
    let config = config
        .with_site(chania)
        .unwrap()
        .always_open()
        .allowing_gateway_at(crate::fake_gateway::HOST);
    let app = spawn_tweaked(config, None, |app| {
        app.with_reminders_every(std::time::Duration::from_millis(100))
    })
    .await;
    // Booked two days ahead at 10:00 (Athens, +02:00 then), with a phone number.
    let now: jiff::Timestamp = "2099-03-01T08:00:00Z".parse().unwrap();
    app.set_time(now);
    let (status, booked) = app
        .post(
            "/api/v1/sites/chania/appointments",
            "staff1",
            Some(json!({"service": "psychosocial", "desk": "chania-3",
                "start": "2099-03-03T08:00:00Z", "minutes": 45, "request_id": "r1",
                "contact": "+30 6912345678"})),
        )
        .await;
    assert_eq!(status, StatusCode::CREATED, "{booked}");
    assert!(booked.get("contact").is_none());
    // Not due yet: 24 hours before.
    tokio::time::sleep(std::time::Duration::from_millis(500)).await;
    assert!(
        received.lock().unwrap().is_empty(),
        "not due before 24 hours ahead"
    );
    // A day later it is: the gateway refuses; a minute later it is tried again and taken.
    app.set_time(now + jiff::SignedDuration::from_hours(24));
    wait_for(&received, 1).await;
    tokio::time::sleep(std::time::Duration::from_millis(400)).await;
    assert_eq!(
        received.lock().unwrap().len(),
        1,
        "the pause before a retry is kept"
    );
    app.set_time(now + jiff::SignedDuration::from_hours(24) + jiff::SignedDuration::from_secs(61));
    wait_for(&received, 2).await;
    // And never again.
    app.set_time(now + jiff::SignedDuration::from_hours(30));
    tokio::time::sleep(std::time::Duration::from_millis(500)).await;
    let got = received.lock().unwrap().clone();
    assert_eq!(got.len(), 2, "{got:?}");
    let (uri, authorization, body) = &got[1];
    assert_eq!(uri, "/sms?to=%2B30+6912345678");
    assert_eq!(authorization.as_deref(), Some("Bearer gateway-key"));
    let body: Value = serde_json::from_str(body).unwrap();
    assert_eq!(body["to"], "+30 6912345678");
    let text = body["text"].as_str().unwrap();
    let code = booked["code"].as_str().unwrap();
    assert!(text.contains("03/03/2099 10:00"), "{text}");
    assert!(text.contains("Γραφείο 3") && text.contains(code), "{text}");
    // The log says a reminder went, and never to whom.
    let store = seira_server::store::Store::open(&app.db_path).unwrap();
    let details: Vec<String> = store
        .read(|tx| {
            let mut stmt =
                tx.prepare("SELECT data FROM events WHERE kind = 'appointment_reminded'")?;
            let rows = stmt.query_map([], |r| r.get(0))?;
            Ok::<_, seira_server::store::StoreError>(rows.collect::<rusqlite::Result<Vec<_>>>()?)
        })
        .unwrap();
    assert_eq!(details.len(), 1, "{details:?}");
    assert!(details[0].contains("\"detail\":\"sent"), "{details:?}");
    let all: String = store
        .read(|tx| {
            Ok::<_, seira_server::store::StoreError>(tx.query_row(
                "SELECT group_concat(data, ' ') FROM events",
                [],
                |r| r.get(0),
            )?)
        })
        .unwrap();
    assert!(!all.contains("6912345678"), "no contact in the log");
    let _ = TestApp::this_morning;
}
