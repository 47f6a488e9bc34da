//! A stranger on the LAN or on the public phone pages, through real HTTP: what the public
//! board gives away, whose visits a token may touch, guessing booking codes at a kiosk,
//! flooding the join page, and what a deleted contact leaves in the file. (Silent
//! connections from many hosts: `tests/system.rs`.)

use reqwest::StatusCode;
use seira_protocol::admin::MessageGateway;
use serde_json::json;

use crate::fake_gateway;
use crate::helpers::{TestApp, spawn_app, spawn_with};

/// The board, read with no token as anyone on the LAN can, names the numbers and desks only:
/// neither the id nor the printed short code of a visit, which are its holder's key. The
/// number does not open the visit; a token of another site may not rate it.
#[tokio::test]
async fn the_public_board_gives_no_key_to_anyones_visit() {
    let app = spawn_app().await;
    app.open_desk("chania-1").await;
    let ticket = app.issue("benefits", None).await;
    let code = ticket.short_url.rsplit('/').next().unwrap().to_owned();
    app.call_next("chania-1", "staff1").await.unwrap();
    app.act(&ticket.id, "start", "staff1").await;
    app.act(&ticket.id, "done", "staff1").await;
    let board = app
        .http
        .get(format!("{}/api/v1/sites/chania/board", app.base))
        .send()
        .await
        .unwrap()
        .text()
        .await
        .unwrap();
    assert!(board.contains(&ticket.number), "{board}");
    assert!(
        !board.contains(&ticket.id),
        "the id is on the board: {board}"
    );
    assert!(
        !board.contains(&code) && !board.contains(&code.replace('-', "")),
        "the short code is on the board: {board}"
    );

    // What the board shows opens nothing.
    let rate = |key: String, who: &'static str| {
        let app = &app;
        async move {
            app.post(
                &format!("/api/v1/tickets/{key}/feedback"),
                who,
                Some(json!({"score": 1})),
            )
            .await
        }
    };
    let (status, _) = rate(ticket.number.clone(), "").await;
    assert_eq!(status, StatusCode::NOT_FOUND, "the number is not a key");
    let (status, body) = rate(ticket.id.clone(), "souda_kiosk").await;
    assert_eq!(
        (status, body["error"].as_str()),
        (StatusCode::FORBIDDEN, Some("forbidden")),
        "another site's kiosk"
    );
    let (status, body) = app
        .send(
            "PUT",
            &format!("/api/v1/tickets/{}/text-alert", ticket.id),
            "souda_kiosk",
            Some(json!({"phone": "+30 691 234 5678"})),
        )
        .await;
    assert_eq!(status, StatusCode::FORBIDDEN, "{body}");
    // The holder, by the printed code, is heard (and the site's own kiosk would be too).
    let (status, body) = rate(code, "").await;
    assert_eq!(status, StatusCode::NO_CONTENT, "{body}");
}

/// A prankster types unknown codes at a kiosk: after three free mistakes each costs that
/// kiosk a growing pause (said in `Retry-After`), so the next citizen with a real code waits
/// seconds, not ten minutes; reception, someone else, checks in at once.
#[tokio::test]
async fn a_prankster_at_the_kiosk_slows_that_kiosk_only_and_only_for_a_while() {
    let app = spawn_app().await;
    let ten = TestApp::this_morning();
    app.set_time(ten - jiff::SignedDuration::from_mins(5));
    let mut codes = Vec::new();
    for (i, desk) in ["chania-3", "chania-4"].into_iter().enumerate() {
        let (status, booked) = app
            .post(
                "/api/v1/sites/chania/appointments",
                "admin",
                Some(
                    json!({"service": "psychosocial", "desk": desk, "start": ten.to_string(),
                    "minutes": 30, "request_id": format!("prank-{i}")}),
                ),
            )
            .await;
        assert_eq!(status, StatusCode::CREATED, "{booked}");
        codes.push(booked["code"].as_str().unwrap().to_owned());
    }
    let check_in = |code: String, who: &'static str, request: String| {
        let app = &app;
        async move {
            let response = app
                .http
                .post(format!(
                    "{}/api/v1/sites/chania/appointments/{code}/check-in",
                    app.base
                ))
                .bearer_auth(app.token(who))
                .json(&json!({"request_id": request}))
                .send()
                .await
                .unwrap();
            let status = response.status();
            let retry_after = response
                .headers()
                .get("retry-after")
                .map(|v| v.to_str().unwrap().parse::<u64>().unwrap());
            let body: serde_json::Value = response.json().await.unwrap();
            (
                status,
                body["error"].as_str().map(str::to_owned),
                retry_after,
            )
        }
    };
    for i in 0..4 {
        let (status, error, _) = check_in("QQQQQQ".into(), "kiosk", format!("g{i}")).await;
        assert_eq!(
            (status, error.as_deref()),
            (StatusCode::NOT_FOUND, Some("unknown_code"))
        );
    }
    let (status, error, retry_after) = check_in(codes[0].clone(), "kiosk", "real-0".into()).await;
    assert_eq!(
        (status, error.as_deref()),
        (StatusCode::TOO_MANY_REQUESTS, Some("too_many_guesses"))
    );
    let retry_after = retry_after.expect("a 429 says when to try again");
    assert!((1..=2).contains(&retry_after), "{retry_after} s");
    // Reception is not slowed by the kiosk's prankster.
    let (status, error, _) = check_in(codes[1].clone(), "staff3", "real-1".into()).await;
    assert_eq!(status, StatusCode::CREATED, "{error:?}");
    // The citizen at the kiosk tries again when told, and is in.
    tokio::time::sleep(std::time::Duration::from_secs(retry_after)).await;
    let (status, error, _) = check_in(codes[0].clone(), "kiosk", "real-0".into()).await;
    assert_eq!(status, StatusCode::CREATED, "{error:?}");
}

/// A deleted phone number and a cancelled appointment's contact are not left readable in the
/// database file (its free pages) nor in its log after a clean stop.
#[tokio::test]
async fn a_deleted_contact_is_gone_from_the_file() {
    let (url, _received) = fake_gateway::start(0).await;
    let mut app = spawn_with(with_gateway(url), None).await;
    let dir = app.take_dir();
    // Far from its turn, so no message goes and the number waits in the file.
    for _ in 0..6 {
        app.issue("benefits", None).await;
    }
    let ticket = app.issue("benefits", None).await;
    let alert = format!("/api/v1/tickets/{}/text-alert", ticket.id);
    let (status, _) = app
        .send(
            "PUT",
            &alert,
            "",
            Some(json!({"phone": "+30 697 135 7924"})),
        )
        .await;
    assert_eq!(status, StatusCode::NO_CONTENT);
    let (status, booked) = app
        .post(
            "/api/v1/sites/chania/appointments",
            "staff1",
            Some(json!({"service": "psychosocial", "desk": "chania-3",
                "start": (TestApp::this_morning() + jiff::SignedDuration::from_hours(24)).to_string(),
                "minutes": 30, "request_id": "contact-1", "contact": "6988 246 801"})),
        )
        .await;
    assert_eq!(status, StatusCode::CREATED, "{booked}");
    let contains = |needle: &str| {
        ["seira.db", "seira.db-wal"].iter().any(|name| {
            std::fs::read(dir.path().join(name))
                .map(|bytes| bytes.windows(needle.len()).any(|w| w == needle.as_bytes()))
                .unwrap_or(false)
        })
    };
    assert!(
        contains("306971357924"),
        "the number was kept while asked for"
    );
    let (status, _) = app.send("DELETE", &alert, "", None).await;
    assert_eq!(status, StatusCode::NO_CONTENT);
    let (status, body) = app
        .send(
            "DELETE",
            &format!("/api/v1/appointments/{}", booked["id"].as_str().unwrap()),
            "staff1",
            None,
        )
        .await;
    assert_eq!(status, StatusCode::OK, "{body}");
    app.stop().await;
    assert!(
        !contains("306971357924"),
        "the deleted number is in the file"
    );
    assert!(
        !contains("6988 246 801"),
        "the cancelled contact is in the file"
    );
    let wal = std::fs::metadata(dir.path().join("seira.db-wal")).map_or(0, |m| m.len());
    assert_eq!(wal, 0, "the log is emptied at a clean stop");
}

/// An admin cannot point a message gateway into the server's own machine, its link-local
/// network or a cloud's metadata service; one that the file put there unnamed is never
/// called, and the message is given up at once.
#[tokio::test]
async fn a_gateway_cannot_point_inside() {
    let app = spawn_app().await;
    let path = "/api/v1/admin/sites/chania/settings";
    let (status, form) = app.get(path, "admin").await;
    assert_eq!(status, StatusCode::OK, "{form}");
    for url in [
        "http://169.254.169.254/latest/meta-data/",
        "http://127.0.0.1:9/sms",
        "http://localhost:9/sms",
        "http://[::1]:9/sms",
    ] {
        let mut changed = form.clone();
        changed["settings"]["near_turn"]["gateway"] =
            json!({"url": url, "method": "GET", "content_type": "text/plain"});
        let (status, body) = app.send("PUT", path, "admin", Some(changed)).await;
        assert_eq!(
            (status, body["error"].as_str()),
            (StatusCode::UNPROCESSABLE_ENTITY, Some("invalid_settings")),
            "{url}: {body}"
        );
        assert!(body["message_el"].as_str().is_some(), "{body}");
    }

    // The file's gateway at 127.0.0.1, not named in internal_gateway_hosts.
    let (url, received) = fake_gateway::start(0).await;
    let config = seira_server::config::Config::embedded();
    let mut chania = config.site_settings(config.site("chania").unwrap());
    chania.near_turn.ahead = 1;
    chania.near_turn.minutes = 0;
    chania.near_turn.gateway = Some(MessageGateway {
        url,
        method: "GET".into(),
        body: None,
        content_type: "text/plain".into(),
        authorization: None,
    });
    let config = config.with_site(chania).unwrap().always_open();
    let app = crate::helpers::spawn_tweaked(config, None, |app| {
        app.with_alerts_every(std::time::Duration::from_millis(50))
    })
    .await;
    app.issue("benefits", None).await;
    let near = app.issue("benefits", None).await;
    let (status, _) = app
        .send(
            "PUT",
            &format!("/api/v1/tickets/{}/text-alert", near.id),
            "",
            Some(json!({"phone": "691 234 5678"})),
        )
        .await;
    assert_eq!(status, StatusCode::NO_CONTENT);
    // The message is due at once (one ahead): it ends given up, the number forgotten.
    let store = seira_server::store::Store::open(&app.db_path).unwrap();
    let waiting = || {
        store
            .read(|tx| {
                Ok::<i64, seira_server::store::StoreError>(tx.query_row(
                    "SELECT count(*) FROM ticket_alerts WHERE state = 'waiting'",
                    [],
                    |r| r.get(0),
                )?)
            })
            .unwrap()
    };
    let mut tries = 0;
    while waiting() > 0 {
        tries += 1;
        assert!(tries < 400, "the message was never given up");
        tokio::time::sleep(std::time::Duration::from_millis(25)).await;
    }
    assert!(
        received.lock().unwrap().is_empty(),
        "the gateway inside was called"
    );
}

/// A gateway's secret is kept once, apart from the settings' history: the versions stored
/// hold none (an older database's are scrubbed at start), the admin page sees only that one
/// is set, and sending the form back keeps it, across a restart too.
#[tokio::test]
async fn a_gateways_secret_stays_out_of_the_settings_history() {
    const SECRET: &str = "Bearer very-secret-key-42";
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("seira.db");
    let mut config = with_gateway("https://sms.example.gr/send".into());
    let mut chania = config.site_settings(config.site("chania").unwrap());
    chania.near_turn.gateway.as_mut().unwrap().authorization = Some(SECRET.into());
    config = config.with_site(chania).unwrap().always_open();
    // A database of an older seira, whose history holds the secret inline.
    {
        let store = seira_server::store::Store::open(&db).unwrap();
        let old = config.to_toml();
        assert!(old.contains("very-secret"));
        store
            .write(|tx| {
                tx.execute(
                    "INSERT INTO config_versions (at, actor, toml) VALUES (0, 'old', ?1)",
                    [old],
                )
                .map_err(seira_server::store::StoreError::from)
            })
            .unwrap();
    }
    let in_history = |db: &std::path::Path| {
        let store = seira_server::store::Store::open(db).unwrap();
        store
            .read(|tx| {
                Ok::<i64, seira_server::store::StoreError>(tx.query_row(
                    "SELECT count(*) FROM config_versions WHERE toml LIKE '%very-secret%'",
                    [],
                    |r| r.get(0),
                )?)
            })
            .unwrap()
    };
    let mut app = spawn_with(config.clone(), Some(&db)).await;
    assert_eq!(in_history(&db), 0, "the old version was scrubbed");
    let path = "/api/v1/admin/sites/chania/settings";
    let (_, form) = app.get(path, "admin").await;
    let shown = &form["settings"]["near_turn"]["gateway"]["authorization"];
    assert_eq!(shown, seira_protocol::admin::SECRET_KEPT, "{form}");
    // The admin saves the form as it came, with another news line.
    let mut changed = form.clone();
    changed["settings"]["news"] =
        json!([{"el": "Κλειστά την Παρασκευή", "en": "Closed on Friday"}]);
    let (status, body) = app.send("PUT", path, "admin", Some(changed)).await;
    assert_eq!(status, StatusCode::OK, "{body}");
    assert_eq!(
        body["settings"]["near_turn"]["gateway"]["authorization"],
        seira_protocol::admin::SECRET_KEPT
    );
    assert_eq!(in_history(&db), 0, "no version stored holds it");
    app.stop().await;
    // After a restart the gateway still has its secret.
    let store = seira_server::store::Store::open(&db).unwrap();
    let (_, text) = store
        .read(|tx| {
            seira_server::store::latest_config(tx).map_err(seira_server::store::StoreError::from)
        })
        .unwrap()
        .unwrap();
    let latest = seira_server::config::Config::parse(&text, "latest").unwrap();
    let gateway = latest
        .site("chania")
        .unwrap()
        .near_turn
        .gateway
        .clone()
        .unwrap();
    assert_eq!(gateway.authorization.as_deref(), Some(SECRET));
    assert_eq!(latest.site("chania").unwrap().news.len(), 1);
}

/// Where the site asks for it, a phone joins only with the day's door code, which the poster
/// staff print each morning carries in its QR code: the join page's address alone, passed
/// around or guessed, takes no number.
#[tokio::test]
async fn a_phone_joins_only_with_the_days_door_code() {
    let config = seira_server::config::Config::embedded();
    let mut chania = config.site_settings(config.site("chania").unwrap());
    for service in &mut chania.services {
        service.phone_join = service.id == "benefits";
    }
    chania.phone_joining.door_code = true;
    let app = spawn_with(config.with_site(chania).unwrap().always_open(), None).await;
    app.add_user(
        "maria",
        seira_server::auth::Role::Staff,
        Some("chania"),
        &["chania-1"],
    );
    let staff = app.signed_in("maria").await;
    let poster = staff
        .get(format!("{}/join/chania/poster", app.base))
        .send()
        .await
        .unwrap();
    assert_eq!(poster.status(), StatusCode::OK);
    let poster = poster.text().await.unwrap();
    let code = poster
        .split("data-code=\"")
        .nth(1)
        .and_then(|rest| rest.split('"').next())
        .expect("the poster shows the day's code")
        .to_owned();
    assert_eq!(code.len(), 4, "{code}");
    assert!(
        poster.contains(&format!("/join/chania?door={code}")),
        "{poster}"
    );
    assert!(poster.contains("<svg"), "the QR code");
    // Nobody signed in gets no poster.
    let stranger = reqwest::Client::builder()
        .redirect(reqwest::redirect::Policy::none())
        .build()
        .unwrap();
    let refused = stranger
        .get(format!("{}/join/chania/poster", app.base))
        .send()
        .await
        .unwrap();
    assert_eq!(refused.status(), StatusCode::SEE_OTHER);

    let join = |door: Option<String>, request: &'static str| {
        let app = &app;
        async move {
            app.post(
                "/api/v1/sites/chania/join",
                "",
                Some(json!({"service": "benefits", "request_id": request, "door": door})),
            )
            .await
        }
    };
    for (door, request) in [(None, "no-code"), (Some("QQQQ".to_owned()), "wrong-code")] {
        let (status, body) = join(door, request).await;
        assert_eq!(
            (status, body["error"].as_str()),
            (StatusCode::CONFLICT, Some("door_code")),
            "{body}"
        );
    }
    let (status, body) = join(Some(code.to_lowercase()), "at-the-door").await;
    assert_eq!(status, StatusCode::CREATED, "{body}");
    // The join page the QR code opens carries the code to its requests.
    let page = reqwest::get(format!("{}/join/chania?door={code}", app.base))
        .await
        .unwrap()
        .text()
        .await
        .unwrap();
    assert!(page.contains(&format!("\"door\":\"{code}\"")), "{page}");
}

/// Chania with a text-message gateway at `url`, open around the clock.
fn with_gateway(url: String) -> seira_server::config::Config {
    let config = seira_server::config::Config::embedded();
    let mut chania = config.site_settings(config.site("chania").unwrap());
    chania.near_turn.gateway = Some(MessageGateway {
        url,
        method: "GET".into(),
        body: None,
        content_type: "text/plain".into(),
        authorization: None,
    });
    config
        .with_site(chania)
        .unwrap()
        .always_open()
        .allowing_gateway_at(crate::fake_gateway::HOST)
}

/// Phones flood the join page, each request with a fresh cookie and another address behind
/// the centre's proxy: a service takes at most `max_waiting` phone tickets waiting and
/// `per_quarter_hour` in a quarter hour, whoever asks; the kiosk inside is not limited.
#[tokio::test]
async fn phones_cannot_fill_a_queue_whatever_cookies_and_addresses_they_use() {
    let config = seira_server::config::Config::embedded();
    let mut chania = config.site_settings(config.site("chania").unwrap());
    for service in &mut chania.services {
        service.phone_join = service.id == "benefits";
    }
    chania.phone_joining = seira_protocol::admin::PhoneJoining {
        max_waiting: 6,
        per_quarter_hour: 8,
        trusted_proxies: vec!["127.0.0.0/8".into()],
        door_code: false,
    };
    let app = spawn_with(config.with_site(chania).unwrap().always_open(), None).await;
    let join = |i: usize| {
        let app = &app;
        async move {
            // A new phone each time: no cookie, another address behind the proxy.
            let response = reqwest::Client::new()
                .post(format!("{}/api/v1/sites/chania/join", app.base))
                .header(
                    "x-forwarded-for",
                    format!("10.1.{}.{}", i / 200, i % 200 + 1),
                )
                .json(&json!({"service": "benefits", "request_id": format!("flood-{i}")}))
                .send()
                .await
                .unwrap();
            let status = response.status();
            let retry_after = response.headers().get("retry-after").cloned();
            let body: serde_json::Value = response.json().await.unwrap();
            (status, body, retry_after)
        }
    };
    let mut statuses = Vec::new();
    for i in 0..10 {
        let (status, body, _) = join(i).await;
        statuses.push((status, body["error"].as_str().map(str::to_owned)));
    }
    let created = statuses
        .iter()
        .filter(|(s, _)| *s == StatusCode::CREATED)
        .count();
    assert_eq!(created, 6, "{statuses:?}");
    assert!(
        statuses[6..]
            .iter()
            .all(|(s, e)| *s == StatusCode::CONFLICT && e.as_deref() == Some("phone_queue_full")),
        "{statuses:?}"
    );
    // The desk sees them marked as taken on phones.
    app.open_desk("chania-1").await;
    let (status, queue) = app.get("/api/v1/desks/chania-1/queue", "staff1").await;
    assert_eq!(status, StatusCode::OK, "{queue}");
    let queue_before = queue.clone();
    let channels: Vec<&str> = queue["entries"]
        .as_array()
        .unwrap()
        .iter()
        .map(|e| e["ticket"]["channel"].as_str().unwrap())
        .collect();
    assert_eq!(channels, ["phone"; 6], "{queue}");
    // Staff take the flood out at once, and put it back: a one-click mistake has its undo.
    let (status, removed) = app
        .post(
            "/api/v1/sites/chania/phone-tickets/remove",
            "staff1",
            Some(json!({"service": "benefits", "minutes": 15})),
        )
        .await;
    assert_eq!(status, StatusCode::OK, "{removed}");
    assert_eq!(removed["numbers"].as_array().unwrap().len(), 6, "{removed}");
    let (_, queue) = app.get("/api/v1/desks/chania-1/queue", "staff1").await;
    assert_eq!(queue["waiting"], 0, "{queue}");
    let (status, restored) = app
        .post(
            "/api/v1/sites/chania/phone-tickets/restore",
            "staff1",
            Some(json!({"batch": removed["batch"]})),
        )
        .await;
    assert_eq!(status, StatusCode::OK, "{restored}");
    assert_eq!(restored["numbers"], removed["numbers"]);
    let (_, again) = app.get("/api/v1/desks/chania-1/queue", "staff1").await;
    let numbers = |q: &serde_json::Value| -> Vec<String> {
        q["entries"]
            .as_array()
            .unwrap()
            .iter()
            .map(|e| e["ticket"]["number"].as_str().unwrap().to_owned())
            .collect()
    };
    assert_eq!(
        numbers(&again),
        numbers(&queue_before),
        "back at their places"
    );
    let (status, body) = app
        .post(
            "/api/v1/sites/chania/phone-tickets/remove",
            "kiosk",
            Some(json!({"minutes": 15})),
        )
        .await;
    assert_eq!(status, StatusCode::FORBIDDEN, "a kiosk may not: {body}");
    // A retry of a ticket taken is answered, full or not.
    let (status, _, _) = join(0).await;
    assert_eq!(status, StatusCode::OK);
    // The desks call three (three wait): two more may join, then the quarter hour's eight
    // are taken, though the queue has room.
    for _ in 0..3 {
        let ticket = app.call_next("chania-1", "staff1").await.unwrap();
        app.act(&ticket.id, "no-show", "staff1").await;
    }
    let mut joined = 0;
    let mut refused = None;
    for i in 100..110 {
        let (status, body, retry_after) = join(i).await;
        match status {
            StatusCode::CREATED => joined += 1,
            _ => {
                refused = Some((status, body, retry_after));
                break;
            }
        }
    }
    assert_eq!(joined, 2, "eight in the quarter hour");
    let (status, body, retry_after) = refused.expect("the ninth is refused");
    assert_eq!(
        (status, body["error"].as_str()),
        (StatusCode::TOO_MANY_REQUESTS, Some("too_many_joins")),
        "{body}"
    );
    let seconds: u64 = retry_after
        .expect("Retry-After")
        .to_str()
        .unwrap()
        .parse()
        .unwrap();
    assert!((1..=900).contains(&seconds), "{seconds}");
    // The kiosk inside still gives numbers.
    app.issue("benefits", None).await;
    // An undo comes within the site's window, not after.
    let (status, removed) = app
        .post(
            "/api/v1/sites/chania/phone-tickets/remove",
            "admin",
            Some(json!({"minutes": 240})),
        )
        .await;
    assert_eq!(status, StatusCode::OK, "{removed}");
    assert!(!removed["numbers"].as_array().unwrap().is_empty());
    app.set_time(jiff::Timestamp::now() + jiff::SignedDuration::from_mins(20));
    let (status, body) = app
        .post(
            "/api/v1/sites/chania/phone-tickets/restore",
            "admin",
            Some(json!({"batch": removed["batch"]})),
        )
        .await;
    assert_eq!(
        (status, body["error"].as_str()),
        (StatusCode::CONFLICT, Some("undo_too_late")),
        "{body}"
    );
}
