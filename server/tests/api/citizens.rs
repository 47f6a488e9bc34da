//! What citizens do from their own phones, through real HTTP: rate a finished visit (once),
//! ask for a near-turn text message (delivered once through a local fake gateway, in the
//! ticket's language, retried after a refusal, the number then forgotten), and take a ticket
//! from the door's QR poster (only where the admin allowed it, a few per phone).

use reqwest::StatusCode;
use seira_protocol::admin::{MessageGateway, NearTurn};
use seira_server::config::Config;
use serde_json::{Value, json};

use crate::fake_gateway::{self, wait_for};
use crate::helpers::{TestApp, athens, spawn_app, spawn_tweaked, spawn_with};

/// Chania as the embedded configuration has it, changed by `change`, always open.
fn chania_with(change: impl FnOnce(&mut seira_protocol::admin::SiteSettings)) -> Config {
    let config = Config::embedded();
    let mut chania = config.site_settings(config.site("chania").unwrap());
    change(&mut chania);
    config
        .with_site(chania)
        .unwrap()
        .always_open()
        .allowing_gateway_at(crate::fake_gateway::HOST)
}

/// Reads one value from the server's database file.
fn db_value<T: rusqlite::types::FromSql>(app: &TestApp, sql: &str) -> T {
    let store = seira_server::store::Store::open(&app.db_path).unwrap();
    store
        .read(|tx| Ok::<_, seira_server::store::StoreError>(tx.query_row(sql, [], |r| r.get(0))?))
        .unwrap()
}

#[tokio::test]
async fn a_finished_visit_is_rated_once_and_the_rating_reaches_the_statistics() {
    let app = spawn_app().await;
    app.set_time(athens("2026-11-16 09:00"));
    app.open_desk("chania-1").await;
    let ticket = app.issue("benefits", None).await;
    let path = format!("/api/v1/tickets/{}/feedback", ticket.id);
    let rate = |score: Value| app.post(&path, "", Some(json!({ "score": score })));
    let (status, body) = rate(json!(5)).await;
    assert_eq!(
        (status, body["error"].as_str()),
        (StatusCode::CONFLICT, Some("not_done"))
    );
    app.call_next("chania-1", "staff1").await.unwrap();
    app.act(&ticket.id, "start", "staff1").await;
    app.set_time(athens("2026-11-16 09:20"));
    app.act(&ticket.id, "done", "staff1").await;
    let (_, track) = app
        .get(&format!("/api/v1/tickets/{}/track", ticket.id), "")
        .await;
    assert_eq!(track["can_rate"], true, "{track}");
    for bad in [json!(0), json!(6)] {
        let (status, body) = rate(bad).await;
        assert_eq!(
            (status, body["error"].as_str()),
            (StatusCode::UNPROCESSABLE_ENTITY, Some("invalid_score"))
        );
    }
    let (status, body) = rate(json!("five")).await;
    assert_eq!(
        (status, body["error"].as_str()),
        (StatusCode::UNPROCESSABLE_ENTITY, Some("invalid_body"))
    );
    let (status, _) = rate(json!(4)).await;
    assert_eq!(status, StatusCode::NO_CONTENT);
    let (status, body) = rate(json!(1)).await;
    assert_eq!(
        (status, body["error"].as_str()),
        (StatusCode::CONFLICT, Some("already_rated")),
        "once per visit"
    );
    let (_, track) = app
        .get(&format!("/api/v1/tickets/{}/track", ticket.id), "")
        .await;
    assert_eq!(track["can_rate"], false);
    let (status, unknown) = app
        .post(
            "/api/v1/tickets/nope/feedback",
            "",
            Some(json!({"score": 3})),
        )
        .await;
    assert_eq!(status, StatusCode::NOT_FOUND, "{unknown}");

    // A second visit, served and not rated: the response rate is one in two.
    let other = app.issue("benefits", None).await;
    app.call_next("chania-1", "staff1").await.unwrap();
    app.act(&other.id, "start", "staff1").await;
    app.act(&other.id, "done", "staff1").await;
    let (status, stats) = app
        .get(
            "/api/v1/stats?site=chania&from=2026-11-16&to=2026-11-16",
            "manager",
        )
        .await;
    assert_eq!(status, StatusCode::OK, "{stats}");
    let totals = &stats["totals"];
    assert_eq!(
        (totals["rated"].as_u64(), totals["served"].as_u64()),
        (Some(1), Some(2))
    );
    assert_eq!(totals["rating_mean"], 4.0);
    assert_eq!(totals["rating_response"], 0.5);
    assert_eq!(stats["by_service"][0]["key"], "benefits");
    assert_eq!(stats["by_service"][0]["rated"], 1);
    assert_eq!(stats["by_desk"][0]["rating_mean"], 4.0);
    assert_eq!(
        stats["by_staff"][0]["rated"], 0,
        "not a league table of people"
    );
    let csv = app
        .http
        .get(format!(
            "{}/api/v1/stats.csv?site=chania&from=2026-11-16&to=2026-11-16&lang=en",
            app.base
        ))
        .bearer_auth(app.token("manager"))
        .send()
        .await
        .unwrap()
        .text()
        .await
        .unwrap();
    let header = csv.lines().next().unwrap();
    assert!(
        header.contains("mean rating (1-5)") && header.contains("response rate (%)"),
        "{header}"
    );
    // The event says a visit was rated, and nothing else about who.
    let detail: String = db_value(&app, "SELECT data FROM events WHERE kind = 'ticket_rated'");
    assert!(detail.contains("score 4"), "{detail}");
}

#[tokio::test]
async fn a_near_turn_message_goes_once_in_the_tickets_language_and_the_number_is_forgotten() {
    let (url, received) = fake_gateway::start(1).await;
    let config = chania_with(|chania| {
        chania.near_turn = NearTurn {
            ahead: 1,
            minutes: 0,
            gateway: Some(MessageGateway {
                url: url.clone(),
                method: "POST".into(),
                body: Some(r#"{"to":"{contact}","text":"{text}"}"#.into()),
                content_type: "application/json".into(),
                authorization: Some("Bearer sms-key".into()),
            }),
        };
    });
    let app = spawn_tweaked(config, None, |app| {
        app.with_alerts_every(std::time::Duration::from_millis(100))
    })
    .await;
    let start = TestApp::this_morning();
    app.set_time(start);
    app.open_desk("chania-1").await;
    let first = app.issue("benefits", None).await;
    app.set_time(start + jiff::SignedDuration::from_millis(1));
    let _second = app.issue("benefits", None).await;
    app.set_time(start + jiff::SignedDuration::from_millis(2));
    let (status, body) = app
        .post(
            "/api/v1/sites/chania/tickets",
            "kiosk",
            Some(json!({"service": "benefits", "lang": "ar", "request_id": "arabic-1"})),
        )
        .await;
    assert_eq!(status, StatusCode::CREATED, "{body}");
    let arabic: seira_protocol::IssuedTicket = serde_json::from_value(body).unwrap();
    let alert = format!("/api/v1/tickets/{}/text-alert", arabic.id);
    // Not a number, or one that cannot take a text (landlines, a free phone line).
    for bad in [
        "12345",
        "2821012345",
        "+30 691 abc",
        "+30 2810 123456",
        "+30 800 11 12345",
    ] {
        let (status, body) = app
            .send("PUT", &alert, "", Some(json!({"phone": bad})))
            .await;
        assert_eq!(
            (status, body["error"].as_str()),
            (StatusCode::UNPROCESSABLE_ENTITY, Some("invalid_phone")),
            "{bad}"
        );
    }
    let (status, _) = app
        .send("PUT", &alert, "", Some(json!({"phone": "691 234 5678"})))
        .await;
    assert_eq!(status, StatusCode::NO_CONTENT);
    let (_, track) = app
        .get(&format!("/api/v1/tickets/{}/track", arabic.id), "")
        .await;
    assert_eq!(
        (
            &track["text_offered"],
            &track["text_requested"],
            &track["near_turn"],
            &track["lang"]
        ),
        (&json!(true), &json!(true), &json!(false), &json!("ar")),
        "{track}"
    );
    tokio::time::sleep(std::time::Duration::from_millis(400)).await;
    assert!(
        received.lock().unwrap().is_empty(),
        "two ahead: not near yet"
    );

    // The first is called: one ahead now, which is near. The gateway refuses; 10 s later
    // the message goes again and is taken.
    assert_eq!(
        app.call_next("chania-1", "staff1").await.unwrap().id,
        first.id
    );
    wait_for(&received, 1).await;
    tokio::time::sleep(std::time::Duration::from_millis(400)).await;
    assert_eq!(
        received.lock().unwrap().len(),
        1,
        "the pause before a retry is kept"
    );
    app.set_time(start + jiff::SignedDuration::from_secs(11));
    wait_for(&received, 2).await;
    tokio::time::sleep(std::time::Duration::from_millis(400)).await;
    app.set_time(start + jiff::SignedDuration::from_secs(300));
    tokio::time::sleep(std::time::Duration::from_millis(400)).await;
    let got = received.lock().unwrap().clone();
    assert_eq!(got.len(), 2, "sent once: {got:?}");
    let (_, authorization, body) = &got[1];
    assert_eq!(authorization.as_deref(), Some("Bearer sms-key"));
    let body: Value = serde_json::from_str(body).unwrap();
    assert_eq!(body["to"], "+306912345678");
    let text = body["text"].as_str().unwrap();
    assert!(
        text.contains("اقترب دورك") && text.contains(&arabic.number),
        "{text}"
    );

    // The number is gone once sent; no event and no answer ever held it.
    let kept: i64 = db_value(
        &app,
        "SELECT count(*) FROM ticket_alerts WHERE contact IS NOT NULL",
    );
    assert_eq!(kept, 0);
    let events: String = db_value(&app, "SELECT group_concat(data, ' ') FROM events");
    assert!(!events.contains("6912345678"), "no number in the log");
    assert!(
        events.contains("near-turn text message sent (attempt 2)"),
        "{events}"
    );
    let (_, track) = app
        .get(&format!("/api/v1/tickets/{}/track", arabic.id), "")
        .await;
    assert!(!track.to_string().contains("691"), "{track}");
}

#[tokio::test]
async fn the_number_goes_with_the_visit_and_a_centre_without_a_gateway_takes_none() {
    let (url, _received) = fake_gateway::start(0).await;
    let config = chania_with(|chania| {
        chania.near_turn.gateway = Some(MessageGateway {
            url: url.clone(),
            method: "GET".into(),
            body: None,
            content_type: "text/plain".into(),
            authorization: None,
        });
    });
    let app = spawn_with(config, None).await;
    // Far from its turn, so nothing is sent; then the visit is cancelled.
    for _ in 0..6 {
        app.issue("benefits", None).await;
    }
    let ticket = app.issue("benefits", None).await;
    let alert = format!("/api/v1/tickets/{}/text-alert", ticket.id);
    let (status, _) = app
        .send("PUT", &alert, "", Some(json!({"phone": "+44 7911 123456"})))
        .await;
    assert_eq!(status, StatusCode::NO_CONTENT);
    assert_eq!(
        db_value::<i64>(&app, "SELECT count(*) FROM ticket_alerts"),
        1
    );
    // Taken back: deleted at once; asked again, then the visit ends.
    let (status, _) = app.send("DELETE", &alert, "", None).await;
    assert_eq!(status, StatusCode::NO_CONTENT);
    assert_eq!(
        db_value::<i64>(&app, "SELECT count(*) FROM ticket_alerts"),
        0
    );
    app.send("PUT", &alert, "", Some(json!({"phone": "+44 7911 123456"})))
        .await;
    app.act(&ticket.id, "cancel", "staff1").await;
    assert_eq!(
        db_value::<i64>(&app, "SELECT count(*) FROM ticket_alerts"),
        0,
        "the visit ended: the number with it"
    );
    let (status, body) = app
        .send("PUT", &alert, "", Some(json!({"phone": "+44 7911 123456"})))
        .await;
    assert_eq!(
        (status, body["error"].as_str()),
        (StatusCode::CONFLICT, Some("invalid_state"))
    );

    let plain = spawn_app().await;
    let ticket = plain.issue("benefits", None).await;
    let (status, body) = plain
        .send(
            "PUT",
            &format!("/api/v1/tickets/{}/text-alert", ticket.id),
            "",
            Some(json!({"phone": "6912345678"})),
        )
        .await;
    assert_eq!(
        (status, body["error"].as_str()),
        (StatusCode::CONFLICT, Some("not_offered"))
    );
    let (_, track) = plain
        .get(&format!("/api/v1/tickets/{}/track", ticket.id), "")
        .await;
    assert_eq!(track["text_offered"], false);
}

/// A phone's client: its own cookie jar, as a browser keeps one.
fn phone() -> reqwest::Client {
    reqwest::Client::builder()
        .cookie_store(true)
        .build()
        .unwrap()
}

async fn join(
    app: &TestApp,
    phone: &reqwest::Client,
    service: &str,
    id: &str,
) -> (StatusCode, Value) {
    let response = phone
        .post(format!("{}/api/v1/sites/chania/join", app.base))
        .json(&json!({"service": service, "lang": "uk", "request_id": id}))
        .send()
        .await
        .unwrap();
    let status = response.status();
    (status, response.json().await.unwrap_or(Value::Null))
}

#[tokio::test]
async fn a_phone_takes_a_ticket_where_allowed_and_only_a_few() {
    let config = chania_with(|chania| {
        chania
            .services
            .iter_mut()
            .find(|s| s.id == "benefits")
            .unwrap()
            .phone_join = true;
    });
    let app = spawn_with(config, None).await;
    let phone = phone();
    // The poster's page names the phone (a cookie) and offers only the allowed service.
    let page = phone
        .get(format!("{}/join/chania", app.base))
        .send()
        .await
        .unwrap();
    assert!(
        page.headers()["set-cookie"]
            .to_str()
            .unwrap()
            .starts_with("seira_phone=")
    );
    let html = page.text().await.unwrap();
    assert!(html.contains(r#"data-service="benefits""#), "{html}");
    assert!(
        !html.contains(r#"data-service="referrals""#),
        "only the services allowed"
    );

    let (status, body) = join(&app, &phone, "referrals", "r-0").await;
    assert_eq!(
        (status, body["error"].as_str()),
        (StatusCode::CONFLICT, Some("not_offered"))
    );
    let (status, first) = join(&app, &phone, "benefits", "r-1").await;
    assert_eq!(status, StatusCode::CREATED, "{first}");
    assert_eq!(first["number"], "A001", "the kiosk's numbering");
    let (status, again) = join(&app, &phone, "benefits", "r-1").await;
    assert_eq!(
        (status, &again["id"]),
        (StatusCode::OK, &first["id"]),
        "a retry is the same ticket"
    );
    let kiosk = app.issue("benefits", None).await;
    assert_eq!(kiosk.number, "A002");
    join(&app, &phone, "benefits", "r-2").await;
    join(&app, &phone, "benefits", "r-3").await;
    let (status, body) = join(&app, &phone, "benefits", "r-4").await;
    assert_eq!(
        (status, body["error"].as_str()),
        (StatusCode::TOO_MANY_REQUESTS, Some("too_many_joins")),
        "three an hour from one phone"
    );
    // Another phone on the same address may still.
    let (status, _) = join(&app, &reqwest::Client::new(), "benefits", "r-5").await;
    assert_eq!(status, StatusCode::CREATED);

    // The phone's ticket is called like any other, in its language on its page.
    app.open_desk("chania-1").await;
    let called = app.call_next("chania-1", "staff1").await.unwrap();
    assert_eq!(called.id, first["id"].as_str().unwrap());
    assert_eq!(called.lang.as_deref(), Some("uk"));
    let (_, board) = app.get("/api/v1/sites/chania/board", "").await;
    assert_eq!(board["calls"][0]["number"], "A001");
}

#[tokio::test]
async fn joining_closes_with_the_service() {
    let config = Config::embedded();
    let mut chania = config.site_settings(config.site("chania").unwrap());
    chania
        .services
        .iter_mut()
        .find(|s| s.id == "benefits")
        .unwrap()
        .phone_join = true;
    let config = config.with_site(chania).unwrap();
    let app = spawn_with(config, None).await;
    // Sunday night: closed.
    app.set_time(athens("2026-11-15 22:00"));
    let (status, body) = join(&app, &phone(), "benefits", "late-1").await;
    assert_eq!(
        (status, body["error"].as_str()),
        (StatusCode::CONFLICT, Some("closed"))
    );
    let html = phone()
        .get(format!("{}/join/chania?lang=en", app.base))
        .send()
        .await
        .unwrap()
        .text()
        .await
        .unwrap();
    assert!(
        html.contains("Closed now") && html.contains(" disabled"),
        "{html}"
    );
}

#[tokio::test]
async fn a_near_turn_push_reaches_the_browsers_push_service_sealed_and_signed() {
    let (push_url, pushed) = crate::fake_push::start().await;
    let config = chania_with(|chania| {
        chania.near_turn = NearTurn {
            ahead: 1,
            minutes: 0,
            gateway: None,
        };
    })
    .allowing_push_to(&push_url);
    let app = spawn_tweaked(config, None, |app| {
        app.with_alerts_every(std::time::Duration::from_millis(100))
    })
    .await;
    let start = TestApp::this_morning();
    app.set_time(start);
    app.open_desk("chania-1").await;
    let first = app.issue("benefits", None).await;
    app.set_time(start + jiff::SignedDuration::from_millis(1));
    app.issue("benefits", None).await;
    app.set_time(start + jiff::SignedDuration::from_millis(2));
    let (_, body) = app
        .post(
            "/api/v1/sites/chania/tickets",
            "kiosk",
            Some(json!({"service": "benefits", "lang": "uk", "request_id": "uk-1"})),
        )
        .await;
    let ticket: seira_protocol::IssuedTicket = serde_json::from_value(body).unwrap();
    let (status, key) = app.get("/api/v1/push/key", "").await;
    assert_eq!(status, StatusCode::OK);
    let server_key = key["key"].as_str().unwrap().to_owned();
    let browser = crate::fake_push::BrowserKeys::new();
    let push = format!("/api/v1/tickets/{}/push", ticket.id);
    for (endpoint, keys) in [
        ("https://10.0.0.2/admin".to_owned(), browser.json()),
        (
            format!("{push_url}a"),
            json!({"p256dh": "AAAA", "auth": "AAAA"}),
        ),
    ] {
        let (status, body) = app
            .send(
                "PUT",
                &push,
                "",
                Some(json!({"endpoint": endpoint, "keys": keys})),
            )
            .await;
        assert_eq!(
            (status, body["error"].as_str()),
            (
                StatusCode::UNPROCESSABLE_ENTITY,
                Some("invalid_subscription")
            ),
            "{endpoint}"
        );
    }
    let subscription = json!({"endpoint": format!("{push_url}uk-phone"),
        "expirationTime": null, "keys": browser.json()});
    let (status, _) = app.send("PUT", &push, "", Some(subscription)).await;
    assert_eq!(status, StatusCode::NO_CONTENT);
    let (_, track) = app
        .get(&format!("/api/v1/tickets/{}/track", ticket.id), "")
        .await;
    assert_eq!(track["push_requested"], true);
    tokio::time::sleep(std::time::Duration::from_millis(400)).await;
    assert!(pushed.lock().unwrap().is_empty(), "two ahead: not near yet");

    assert_eq!(
        app.call_next("chania-1", "staff1").await.unwrap().id,
        first.id
    );
    crate::fake_push::wait_for(&pushed, 1).await;
    tokio::time::sleep(std::time::Duration::from_millis(400)).await;
    let got = pushed.lock().unwrap().clone();
    assert_eq!(got.len(), 1, "sent once");
    let (headers, body) = &got[0];
    assert_eq!(headers["urgency"], "high");
    let notice = browser.read(headers, body, &server_key);
    assert!(
        notice["title"]
            .as_str()
            .unwrap()
            .starts_with("Ваша черга наближається"),
        "{notice}"
    );
    assert!(
        notice["body"].as_str().unwrap().contains(&ticket.number),
        "{notice}"
    );
    assert_eq!(notice["url"], format!("/t/{}?lang=uk", ticket.id));
    // The subscription is gone once sent, and was never in the log.
    let kept: i64 = db_value(
        &app,
        "SELECT count(*) FROM ticket_alerts WHERE contact IS NOT NULL",
    );
    assert_eq!(kept, 0);
    let events: String = db_value(&app, "SELECT group_concat(data, ' ') FROM events");
    assert!(!events.contains("uk-phone"), "no subscription in the log");
    assert!(
        events.contains("near-turn notification sent (attempt 1)"),
        "{events}"
    );
}
