//! The appointment book over HTTP: staff book, list the day, move and cancel; the same desk's
//! time is never given twice, even to sixteen requests at once.

use reqwest::StatusCode;
use serde_json::{Value, json};

use crate::helpers::{TestApp, spawn_app};

/// A time on 2 March 2099 in Athens (+02:00 then): the test server is open around the clock.
fn at(time: &str) -> String {
    format!("2099-03-02T{time}:00+02:00")
        .parse::<jiff::Timestamp>()
        .unwrap()
        .to_string()
}

fn booking(start: &str, desk: Option<&str>, request: &str) -> Value {
    json!({
        "service": "psychosocial",
        "desk": desk,
        "start": at(start),
        "minutes": 30,
        "request_id": request,
        "contact": "6900000000",
    })
}

async fn book(app: &TestApp, body: Value) -> (StatusCode, Value) {
    app.post("/api/v1/sites/chania/appointments", "staff1", Some(body))
        .await
}

async fn cancel(app: &TestApp, id: &str) -> (StatusCode, Value) {
    app.send(
        "delete",
        &format!("/api/v1/appointments/{id}"),
        "staff1",
        None,
    )
    .await
}

#[tokio::test]
async fn staff_book_list_move_and_cancel_and_a_desk_time_is_given_once() {
    let app = spawn_app().await;
    let (status, first) = app
        .post(
            "/api/v1/sites/chania/appointments",
            "staff1",
            Some(booking("10:00", Some("chania-3"), "a1")),
        )
        .await;
    assert_eq!(status, StatusCode::CREATED, "{first}");
    assert_eq!(first["state"], "booked");
    assert_eq!(first["code"].as_str().unwrap().len(), 6);
    assert!(
        first.get("contact").is_none(),
        "the contact is never shown: {first}"
    );
    // Sixteen requests for the same desk at the same time: one gets it.
    let mut tasks = Vec::new();
    for i in 0..16 {
        let http = app.http.clone();
        let url = format!("{}/api/v1/sites/chania/appointments", app.base);
        let token = app.token("staff1").to_owned();
        tasks.push(tokio::spawn(async move {
            http.post(url)
                .bearer_auth(token)
                .json(&booking("11:00", Some("chania-3"), &format!("race-{i}")))
                .send()
                .await
                .unwrap()
                .status()
        }));
    }
    let mut statuses = Vec::new();
    for t in tasks {
        statuses.push(t.await.unwrap());
    }
    assert_eq!(
        statuses
            .iter()
            .filter(|s| **s == StatusCode::CREATED)
            .count(),
        1,
        "{statuses:?}"
    );
    assert!(
        statuses
            .iter()
            .all(|s| matches!(*s, StatusCode::CREATED | StatusCode::CONFLICT))
    );
    let (status, taken) = app
        .post(
            "/api/v1/sites/chania/appointments",
            "staff1",
            Some(booking("10:15", Some("chania-3"), "a2")),
        )
        .await;
    assert_eq!(
        (status, taken["error"].as_str()),
        (StatusCode::CONFLICT, Some("slot_taken"))
    );
    let (status, odd) = book(&app, booking("10:02", None, "a3")).await;
    assert_eq!(
        (status, odd["error"].as_str()),
        (StatusCode::UNPROCESSABLE_ENTITY, Some("invalid_time"))
    );
    // Moved to noon, then 10:00 is free again.
    let id = first["id"].as_str().unwrap();
    let (status, moved) = app
        .send(
            "patch",
            &format!("/api/v1/appointments/{id}"),
            "staff1",
            Some(json!({"start": at("12:00")})),
        )
        .await;
    assert_eq!(status, StatusCode::OK, "{moved}");
    assert_eq!(moved["start"].as_str().unwrap(), at("12:00"));
    let (status, _) = app
        .post(
            "/api/v1/sites/chania/appointments",
            "staff1",
            Some(booking("10:00", Some("chania-3"), "a4")),
        )
        .await;
    assert_eq!(status, StatusCode::CREATED);
    let (status, cancelled) = cancel(&app, id).await;
    assert_eq!(
        (status, cancelled["state"].as_str()),
        (StatusCode::OK, Some("cancelled"))
    );
    let (status, again) = cancel(&app, id).await;
    assert_eq!(status, StatusCode::CONFLICT, "{again}");
    // The day's book, by start time, for staff and managers.
    let (status, day) = app
        .get(
            "/api/v1/sites/chania/appointments?date=2099-03-02",
            "manager",
        )
        .await;
    assert_eq!(status, StatusCode::OK, "{day}");
    let starts: Vec<&str> = day
        .as_array()
        .unwrap()
        .iter()
        .map(|a| a["start"].as_str().unwrap())
        .collect();
    assert_eq!(starts.len(), 3, "{day}");
    assert!(starts.windows(2).all(|w| w[0] <= w[1]));
    let (status, _) = app
        .get("/api/v1/sites/chania/appointments?date=tomorrow", "manager")
        .await;
    assert_eq!(status, StatusCode::BAD_REQUEST);
}

fn check_in_body(request: &str) -> Value {
    json!({"request_id": request, "lang": "ar"})
}

async fn check_in(app: &TestApp, code: &str, who: &str, request: &str) -> (StatusCode, Value) {
    app.post(
        &format!("/api/v1/sites/chania/appointments/{code}/check-in"),
        who,
        Some(check_in_body(request)),
    )
    .await
}

/// A morning at Chania's psychologist: a citizen too early, then on time and called first
/// from ten, before the walk-in who came earlier; the day's book shows them checked in with
/// their number. (Guessed codes: `strangers.rs`.)
#[tokio::test]
async fn check_in_by_code_puts_the_appointment_first_from_its_start() {
    let app = spawn_app().await;
    let ten = TestApp::this_morning();
    let min = |m: i64| ten + jiff::SignedDuration::from_mins(m);
    app.set_time(min(-120));
    let (status, booked) = app
        .post(
            "/api/v1/sites/chania/appointments",
            "staff1",
            Some(
                json!({"service": "psychosocial", "desk": "chania-3", "start": ten.to_string(),
                "minutes": 30, "request_id": "ci-1"}),
            ),
        )
        .await;
    assert_eq!(status, StatusCode::CREATED, "{booked}");
    let code = booked["code"].as_str().unwrap().to_owned();

    app.set_time(min(-30));
    let (status, early) = check_in(&app, &code, "kiosk", "k1").await;
    assert_eq!(
        (status, early["error"].as_str()),
        (StatusCode::CONFLICT, Some("too_early")),
        "{early}"
    );
    assert!(
        early["message"].as_str().unwrap().contains("09:50"),
        "{early}"
    );

    app.set_time(min(-8));
    let walk_in = app.issue("psychosocial", None).await;
    // As typed on a keypad, with a dash between the halves.
    let typed = format!("{}-{}", &code[..3], &code[3..].to_lowercase());
    let (status, ticket) = check_in(&app, &typed, "kiosk", "k2").await;
    assert_eq!(status, StatusCode::CREATED, "{ticket}");
    assert_eq!(
        ticket["appointment_at"].as_str(),
        Some(ten.to_string().as_str())
    );
    assert!(
        ticket["number"].as_str().unwrap().starts_with('C'),
        "{ticket}"
    );
    // The phone page tracks it by its time, not by the walk-ins ahead.
    let (_, tracked) = app
        .get(
            &format!("/api/v1/tickets/{}/track", ticket["id"].as_str().unwrap()),
            "",
        )
        .await;
    assert_eq!(
        tracked["appointment_at"], ticket["appointment_at"],
        "{tracked}"
    );
    assert_eq!(tracked["position"], 0);
    assert_eq!(tracked["estimated_wait_s"], 8 * 60);
    let (status, again) = check_in(&app, &code, "kiosk", "k2").await;
    assert_eq!((status, &again["id"]), (StatusCode::OK, &ticket["id"]));

    app.open_desk("chania-3").await;
    app.set_time(min(-5));
    let first = app.call_next("chania-3", "admin").await.unwrap();
    assert_eq!(first.id, walk_in.id, "before ten the walk-in is called");
    app.act(&first.id, "start", "admin").await;
    app.set_time(min(0));
    let (status, next) = app
        .post("/api/v1/desks/chania-3/done-and-next", "admin", None)
        .await;
    assert_eq!(status, StatusCode::OK, "{next}");
    assert_eq!(next["id"], ticket["id"], "from ten, the appointment");
    assert_eq!(next["lang"], "ar");

    let (_, day) = app.get("/api/v1/sites/chania/appointments", "staff1").await;
    let listed = &day.as_array().unwrap()[0];
    assert_eq!(listed["state"], "checked_in", "{day}");
    assert_eq!(listed["ticket_number"], ticket["number"]);

    // The statistics tell the appointments apart: it came 8 minutes early.
    let day = ten
        .to_zoned_datetime(jiff::tz::TimeZone::get("Europe/Athens").unwrap())
        .date();
    let (status, stats) = app
        .get(
            &format!("/api/v1/stats?site=chania&from={day}&to={day}"),
            "manager",
        )
        .await;
    assert_eq!(status, StatusCode::OK, "{stats}");
    let total = &stats["appointments"][0];
    assert_eq!(
        (total["booked"].as_u64(), total["attended"].as_u64()),
        (Some(1), Some(1)),
        "{stats}"
    );
    assert_eq!(total["arrival"]["median_s"].as_f64(), Some(-480.0));
    assert_eq!(total["wait_from_start"]["median_s"].as_f64(), Some(0.0));
    let channels: Vec<(&str, u64)> = stats["by_channel"]
        .as_array()
        .unwrap()
        .iter()
        .map(|g| (g["key"].as_str().unwrap(), g["arrivals"].as_u64().unwrap()))
        .collect();
    assert_eq!(channels, [("walk_in", 1), ("appointment", 1)]);
    let response = app
        .http
        .get(format!(
            "{}/api/v1/stats.csv?site=chania&from={day}&to={day}&lang=en",
            app.base
        ))
        .bearer_auth(app.token("manager"))
        .send()
        .await
        .unwrap();
    let csv = response.text().await.unwrap();
    assert!(
        csv.lines()
            .any(|l| l.starts_with("appointments,total,All,")),
        "{csv}"
    );
    assert!(
        csv.lines().any(|l| l.starts_with("channel,appointment,")),
        "{csv}"
    );
}

/// Nobody checked in by a quarter past: the housekeeping (every 30 s) makes it a no-show and
/// frees its time; the citizen who comes later the same day still gets a ticket, as a
/// walk-in by the time they came.
#[tokio::test]
async fn an_appointment_nobody_checked_in_becomes_a_no_show_and_frees_its_time() {
    let app = spawn_app().await;
    let ten = TestApp::this_morning();
    let min = |m: i64| ten + jiff::SignedDuration::from_mins(m);
    app.set_time(min(-60));
    let (status, booked) = app
        .post(
            "/api/v1/sites/chania/appointments",
            "staff1",
            Some(
                json!({"service": "psychosocial", "desk": "chania-3", "start": ten.to_string(),
                "minutes": 30, "request_id": "ns-1", "contact": "6900000000"}),
            ),
        )
        .await;
    assert_eq!(status, StatusCode::CREATED, "{booked}");
    app.set_time(min(16));
    let mut state = String::new();
    for _ in 0..90 {
        let (_, day) = app.get("/api/v1/sites/chania/appointments", "staff1").await;
        state = day[0]["state"].as_str().unwrap_or_default().to_owned();
        if state == "no_show" {
            break;
        }
        tokio::time::sleep(std::time::Duration::from_millis(500)).await;
    }
    assert_eq!(state, "no_show");
    let store = seira_server::store::Store::open(&app.db_path).unwrap();
    let (held, contact): (i64, bool) = store
        .read(|tx| {
            Ok::<_, seira_server::store::StoreError>((
                tx.query_row("SELECT COUNT(*) FROM appointment_slots", [], |r| r.get(0))?,
                seira_server::store::has_contact(tx, booked["id"].as_str().unwrap())?,
            ))
        })
        .unwrap();
    assert_eq!(
        (held, contact),
        (0, false),
        "its time is free and its contact gone"
    );
    app.set_time(min(25));
    let code = booked["code"].as_str().unwrap();
    let (status, late) = check_in(&app, code, "kiosk", "late-1").await;
    assert_eq!(status, StatusCode::CREATED, "{late}");
    assert!(
        late.get("appointment_at").is_none(),
        "a walk-in now: {late}"
    );
}

/// A desk's week as iCalendar for a calendar app: its appointments only, as events in UTC,
/// with the code and no contact.
#[tokio::test]
async fn a_desk_subscribes_to_its_appointments_as_icalendar() {
    let app = spawn_app().await;
    for (desk, time, request) in [
        ("chania-3", "10:00", "i1"),
        ("chania-4", "10:00", "i2"),
        ("chania-3", "11:30", "i3"),
    ] {
        let (status, body) = book(&app, booking(time, Some(desk), request)).await;
        assert_eq!(status, StatusCode::CREATED, "{body}");
    }
    let ics = |query: &str| {
        let request = app
            .http
            .get(format!(
                "{}/api/v1/sites/chania/appointments.ics?{query}",
                app.base
            ))
            .bearer_auth(app.token("staff3"));
        async move {
            let response = request.send().await.unwrap();
            let status = response.status();
            let kind = response
                .headers()
                .get("content-type")
                .map(|v| v.to_str().unwrap().to_owned());
            (status, kind, response.text().await.unwrap())
        }
    };
    let (status, kind, text) = ics("date=2099-03-01&days=7&desk=chania-3&lang=en").await;
    assert_eq!(status, StatusCode::OK, "{text}");
    assert_eq!(kind.as_deref(), Some("text/calendar; charset=utf-8"));
    assert_eq!(text.matches("BEGIN:VEVENT").count(), 2, "{text}");
    assert!(text.contains("DTSTART:20990302T080000Z"), "{text}");
    assert!(
        text.contains("X-WR-CALNAME:") && text.contains("Office 3"),
        "{text}"
    );
    assert!(!text.contains("6900000000"), "no contact in a calendar");
    let (status, _, _) = ics("date=2099-03-01&days=0").await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY);
    let (status, _, _) = ics("desk=nowhere").await;
    assert_eq!(status, StatusCode::NOT_FOUND);
}

/// Bookings made elsewhere, from a CSV as Greek Excel saves it: the dry run reports every bad
/// line by number and books nothing; the fixed file books them all; the same file again books
/// nothing twice.
#[tokio::test]
async fn bookings_are_imported_from_csv_with_a_dry_run_first() {
    let app = spawn_app().await;
    let bad = "Date;Time;Service;Desk;Minutes;Reference\n\
               02/03/2099;09:00;psychosocial;chania-3;30;KEP-1\n\
               02/03/2099;09:15;psychosocial;chania-3;30;KEP-2\n\
               02/03/2099;09:30;benefits;;;KEP-3\n\
               30/02/2099;10:00;psychosocial;;;KEP-4\n\
               02/03/2099;10:00;psychosocial;chania-9;;KEP-5\n\
               02/03/2099;11:00;psychosocial;;;KEP-6\n";
    let import = |csv: String, dry_run: bool| {
        let app = &app;
        async move {
            app.post(
                "/api/v1/sites/chania/appointments/import",
                "staff1",
                Some(json!({"csv": csv, "dry_run": dry_run})),
            )
            .await
        }
    };
    let (status, report) = import(bad.to_owned(), true).await;
    assert_eq!(status, StatusCode::OK, "{report}");
    let errors: Vec<(u64, &str)> = report["errors"]
        .as_array()
        .unwrap()
        .iter()
        .map(|e| (e["line"].as_u64().unwrap(), e["error"].as_str().unwrap()))
        .collect();
    assert_eq!(
        errors,
        [
            (3, "slot_taken"),
            (4, "not_bookable"),
            (5, "invalid_import"),
            (6, "not_found"),
        ],
        "{report}"
    );
    assert_eq!(report["appointments"].as_array().unwrap().len(), 2);
    let (_, day) = app
        .get(
            "/api/v1/sites/chania/appointments?date=2099-03-02",
            "staff1",
        )
        .await;
    assert_eq!(day.as_array().unwrap().len(), 0, "a dry run books nothing");
    // The real import of the bad file books nothing either, and says why.
    let (status, refused) = import(bad.to_owned(), false).await;
    assert_eq!(
        (status, refused["error"].as_str()),
        (StatusCode::UNPROCESSABLE_ENTITY, Some("invalid_import"))
    );
    assert!(
        refused["message"].as_str().unwrap().contains("line 3"),
        "{refused}"
    );
    let (_, day) = app
        .get(
            "/api/v1/sites/chania/appointments?date=2099-03-02",
            "staff1",
        )
        .await;
    assert_eq!(day.as_array().unwrap().len(), 0);
    // Fixed: every line booked (the 45-minute slot of the service where no length is given),
    // a desk found for those without one.
    let good: String = bad
        .lines()
        .filter(|l| !l.contains("KEP-3") && !l.contains("KEP-4") && !l.contains("KEP-5"))
        .map(|l| l.replace("09:15", "09:30") + "\n")
        .collect();
    let (status, report) = import(good.clone(), false).await;
    assert_eq!(status, StatusCode::OK, "{report}");
    let booked = report["appointments"].as_array().unwrap();
    assert_eq!(booked.len(), 3, "{report}");
    assert!(booked.iter().all(|a| a["existing"] == false));
    assert_eq!(booked[2]["appointment"]["minutes"], 45);
    assert_eq!(booked[2]["appointment"]["code"].as_str().unwrap().len(), 6);
    let (status, again) = import(good, false).await;
    assert_eq!(status, StatusCode::OK, "{again}");
    assert!(
        again["appointments"]
            .as_array()
            .unwrap()
            .iter()
            .all(|a| a["existing"] == true)
    );
    let (_, day) = app
        .get(
            "/api/v1/sites/chania/appointments?date=2099-03-02",
            "staff1",
        )
        .await;
    assert_eq!(day.as_array().unwrap().len(), 3);
    // A file larger than any other request is still taken (up to 1 MiB).
    let mut big = String::from("date,time,service,reference\n");
    while big.len() < 64 * 1024 {
        big.push_str("2099-03-03,09:00,psychosocial,SAME-REF\n");
    }
    let (status, report) = import(big, true).await;
    assert_eq!(status, StatusCode::OK, "{report}");
}

/// A desk books only in its own appointment hours, within the service's: the psychologist at
/// Chania's office 3 sees people by appointment on Monday mornings only; another desk of the
/// service takes the rest, and a time when the centre is closed is refused (422).
#[tokio::test]
async fn a_desk_books_only_in_its_appointment_hours() {
    let config = seira_server::config::Config::embedded();
    let mut chania = config.site_settings(config.site("chania").unwrap());
    let desk = chania
        .desks
        .iter_mut()
        .find(|d| d.id == "chania-3")
        .unwrap();
    desk.appointment_hours = Some([("mon".to_owned(), vec!["09:00-12:00".to_owned()])].into());
    let config = config.with_site(chania).unwrap();
    let app = crate::helpers::spawn_with(config, None).await;
    // Monday 2 March 2099.
    let (status, body) = book(&app, booking("11:30", Some("chania-3"), "h1")).await;
    assert_eq!(status, StatusCode::CREATED, "{body}");
    let (status, body) = book(&app, booking("11:45", Some("chania-3"), "h2")).await;
    assert_eq!(
        (status, body["error"].as_str()),
        (StatusCode::UNPROCESSABLE_ENTITY, Some("closed")),
        "11:45–12:15 runs past its hours: {body}"
    );
    let (status, body) = book(&app, booking("12:00", None, "h3")).await;
    assert_eq!(status, StatusCode::CREATED, "{body}");
    assert_eq!(body["held_desk"], "chania-4");
    let (status, body) = book(&app, booking("16:00", None, "h4")).await;
    assert_eq!(
        (status, body["error"].as_str()),
        (StatusCode::UNPROCESSABLE_ENTITY, Some("closed")),
        "{body}"
    );
    // The admin form keeps the desk's hours when it saves.
    let (_, settings) = app
        .get("/api/v1/admin/sites/chania/settings", "admin")
        .await;
    let hours = settings["settings"]["desks"]
        .as_array()
        .unwrap()
        .iter()
        .find(|d| d["id"] == "chania-3")
        .unwrap()["appointment_hours"]
        .clone();
    assert_eq!(hours, json!({"mon": ["09:00-12:00"]}));
}
