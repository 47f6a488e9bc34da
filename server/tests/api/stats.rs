//! The managers' statistics over HTTP: a hand-made day of tickets, driven through the API
//! with the server's clock set, whose figures are worked out by hand below; the same figures
//! read back from the CSV and the XLSX.

use reqwest::StatusCode;
use serde_json::Value;

use crate::helpers::{TestApp, athens, spawn_app};

/// Monday 16 November 2026 at Chania, minute by minute:
/// - T1 (benefits) joins at 09:00, is called at 09:10 by desk 1, served 09:12–09:27;
/// - T2 (benefits) joins at 09:05, is called at 09:30, recalled at 09:32, a no-show at 09:35;
/// - T3 (benefits) joins at 10:00, is called at 10:04, started 10:05, transferred at 10:15 to
///   psychosocial, called there at 10:45 by desk 3, served 10:46–11:26;
/// - T4 (benefits) joins at 11:00 and is still waiting.
async fn a_day(app: &TestApp) {
    let time = |t: &str| athens(&format!("2026-11-16 {t}"));
    app.set_time(time("08:00"));
    app.open_desk("chania-1").await;
    app.open_desk("chania-3").await;
    app.set_time(time("09:00"));
    let t1 = app.issue("benefits", None).await;
    app.set_time(time("09:05"));
    let t2 = app.issue("benefits", None).await;
    app.set_time(time("09:10"));
    assert_eq!(app.call_next("chania-1", "staff1").await.unwrap().id, t1.id);
    app.set_time(time("09:12"));
    app.act(&t1.id, "start", "staff1").await;
    app.set_time(time("09:27"));
    app.act(&t1.id, "done", "staff1").await;
    app.set_time(time("09:30"));
    assert_eq!(app.call_next("chania-1", "staff1").await.unwrap().id, t2.id);
    app.set_time(time("09:32"));
    app.act(&t2.id, "recall", "staff1").await;
    app.set_time(time("09:35"));
    app.act(&t2.id, "no-show", "staff1").await;
    app.set_time(time("10:00"));
    let t3 = app.issue("benefits", None).await;
    app.set_time(time("10:04"));
    assert_eq!(app.call_next("chania-1", "staff1").await.unwrap().id, t3.id);
    app.set_time(time("10:05"));
    app.act(&t3.id, "start", "staff1").await;
    app.set_time(time("10:15"));
    let (status, body) = app
        .post(
            &format!("/api/v1/tickets/{}/transfer", t3.id),
            "staff1",
            Some(serde_json::json!({"service": "psychosocial"})),
        )
        .await;
    assert_eq!(status, StatusCode::OK, "{body}");
    app.set_time(time("10:45"));
    let next = app.call_next("chania-3", "staff3").await.unwrap();
    assert_eq!(next.number, t3.number);
    app.set_time(time("10:46"));
    app.act(&next.id, "start", "staff3").await;
    app.set_time(time("11:00"));
    let _t4 = app.issue("benefits", None).await;
    app.set_time(time("11:26"));
    app.act(&next.id, "done", "staff3").await;
}

fn group<'a>(groups: &'a Value, key: &str) -> &'a Value {
    groups
        .as_array()
        .unwrap()
        .iter()
        .find(|g| g["key"] == key)
        .unwrap_or_else(|| panic!("no group {key} in {groups}"))
}

#[tokio::test]
async fn a_known_day_gives_known_figures_in_json_csv_and_xlsx() {
    let app = spawn_app().await;
    a_day(&app).await;

    let (status, f) = app
        .get(
            "/api/v1/stats?site=chania&from=2026-11-16&to=2026-11-16",
            "manager",
        )
        .await;
    assert_eq!(status, StatusCode::OK, "{f}");
    let t = &f["totals"];
    // Four tickets, five queue steps (T3 twice).
    assert_eq!(
        [
            &t["issued"],
            &t["arrivals"],
            &t["served"],
            &t["no_show"],
            &t["transferred"],
            &t["open"],
            &t["cancelled"],
            &t["inaccurate"]
        ],
        [4, 5, 2, 1, 1, 1, 0, 0]
    );
    // Waits: T1 10 min, T2 25 (the recall does not count), T3 4, then 30 at psychosocial.
    assert_eq!(t["wait"]["count"], 4);
    assert_eq!(t["wait"]["mean_s"], 1035.0);
    assert_eq!(t["wait"]["median_s"], 1050.0);
    assert_eq!(t["wait"]["p90_s"], 1800);
    assert_eq!(t["wait"]["max_s"], 1800);
    // Services: T1 15 min, T3 40 min (the benefits step, transferred, has none).
    assert_eq!(t["service"]["count"], 2);
    assert_eq!(t["service"]["mean_s"], 1650.0);
    assert_eq!(t["service"]["max_s"], 2400);
    // Targets: benefits 20 min (10 and 4 within, 25 not), psychosocial 30 (30 within).
    assert_eq!(t["within_target"], 0.75);

    let benefits = group(&f["by_service"], "benefits");
    assert_eq!(
        (&benefits["arrivals"], &benefits["transferred"]),
        (&4.into(), &1.into())
    );
    let psychosocial = group(&f["by_service"], "psychosocial");
    assert_eq!(
        (&psychosocial["issued"], &psychosocial["arrivals"]),
        (&0.into(), &1.into())
    );
    assert_eq!(psychosocial["wait"]["max_s"], 1800);
    assert_eq!(group(&f["by_desk"], "chania-1")["arrivals"], 3);
    assert_eq!(group(&f["by_desk"], "chania-3")["served"], 1);
    assert_eq!(group(&f["by_staff"], "test staff1")["wait"]["count"], 3);
    assert_eq!(group(&f["by_staff"], "test staff3")["served"], 1);
    assert_eq!(group(&f["by_hour"], "09")["arrivals"], 2);
    assert_eq!(group(&f["by_hour"], "10")["arrivals"], 2);
    assert_eq!(group(&f["by_hour"], "11")["open"], 1);
    assert_eq!(group(&f["by_weekday"], "1")["arrivals"], 5);
    assert_eq!(f["heatmap"][0][9], 2);
    assert_eq!(f["by_day"].as_array().unwrap().len(), 1);
    let bars: Vec<u64> = f["wait_histogram"]
        .as_array()
        .unwrap()
        .iter()
        .map(|b| b["count"].as_u64().unwrap())
        .collect();
    // 4 min; 10 min; 25 min; 30 min.
    assert_eq!(bars, [1, 0, 1, 0, 1, 1, 0, 0, 0]);

    // Today, now (11:26): T4 has waited 26 minutes; desks 1 and 3 are open, neither serving.
    let (status, live) = app.get("/api/v1/stats/live?site=chania", "manager").await;
    assert_eq!(status, StatusCode::OK, "{live}");
    assert_eq!(live["queues"].as_array().unwrap().len(), 1);
    assert_eq!(live["queues"][0]["service"], "benefits");
    assert_eq!(live["queues"][0]["waiting"], 1);
    assert_eq!(live["queues"][0]["longest_wait_s"], 26 * 60);
    assert_eq!(
        (
            &live["desks_open"],
            &live["desks_paused"],
            &live["desks_serving"]
        ),
        (&2.into(), &0.into(), &0.into())
    );

    // The CSV: the same figures, in minutes, one row per slice.
    let csv = app
        .http
        .get(format!(
            "{}/api/v1/stats.csv?site=chania&from=2026-11-16&to=2026-11-16&lang=en",
            app.base
        ))
        .bearer_auth(app.token("manager"))
        .send()
        .await
        .unwrap();
    assert_eq!(csv.status(), StatusCode::OK);
    assert!(
        csv.headers()["content-disposition"]
            .to_str()
            .unwrap()
            .contains("seira-chania-2026-11-16-2026-11-16.csv")
    );
    let text = csv.text().await.unwrap();
    let mut reader = csv::Reader::from_reader(text.as_bytes());
    let headers = reader.headers().unwrap().clone();
    let column = |name: &str| headers.iter().position(|h| h == name).unwrap();
    let records: Vec<csv::StringRecord> = reader.records().map(Result::unwrap).collect();
    let total = records.iter().find(|r| &r[0] == "total").unwrap();
    assert_eq!(&total[column("issued")], "4");
    assert_eq!(&total[column("mean wait (min)")], "17.3");
    assert_eq!(&total[column("median wait (min)")], "17.5");
    assert_eq!(&total[column("within target (%)")], "75.0");
    let service = records
        .iter()
        .find(|r| &r[0] == "service" && &r[1] == "psychosocial")
        .unwrap();
    assert_eq!(&service[2], "Psychosocial support");
    assert_eq!(&service[column("longest wait (min)")], "30.0");
    let hour = records
        .iter()
        .find(|r| &r[0] == "hour" && &r[1] == "09")
        .unwrap();
    assert_eq!(&hour[2], "09:00–10:00");

    // The XLSX, in Greek: a sheet per breakdown, numbers as numbers.
    let xlsx = app
        .http
        .get(format!(
            "{}/api/v1/stats.xlsx?site=chania&from=2026-11-16&to=2026-11-16",
            app.base
        ))
        .bearer_auth(app.token("manager"))
        .send()
        .await
        .unwrap();
    assert_eq!(xlsx.status(), StatusCode::OK);
    let bytes = xlsx.bytes().await.unwrap();
    use calamine::{DataType, Reader};
    let mut book = calamine::open_workbook_from_rs::<calamine::Xlsx<_>, _>(std::io::Cursor::new(
        bytes.to_vec(),
    ))
    .unwrap();
    assert_eq!(
        book.sheet_names(),
        [
            "Σύνολο",
            "Υπηρεσίες",
            "Γραφεία",
            "Προσωπικό",
            "Κλειδιά γραφείων-συσκευών",
            "Ώρες",
            "Ημέρες εβδομάδας",
            "Ημέρες",
            "Με και χωρίς ραντεβού",
            "Ραντεβού",
        ]
    );
    let services = book.worksheet_range("Υπηρεσίες").unwrap();
    let row = services
        .rows()
        .find(|r| r[0] == "Ψυχοκοινωνική στήριξη")
        .unwrap();
    let heading = services.rows().nth(2).unwrap();
    let col = heading
        .iter()
        .position(|h| *h == "μέγιστη αναμονή (λεπτά)")
        .unwrap();
    assert_eq!(row[col].as_f64(), Some(30.0));
    let col = heading.iter().position(|h| *h == "αφίξεις").unwrap();
    assert_eq!(row[col].as_f64(), Some(1.0));
}

#[tokio::test]
async fn periods_are_checked() {
    let app = spawn_app().await;
    for (query, code) in [
        ("site=chania&from=2026-11-30&to=2026-11-01", "bad_period"),
        ("site=chania&from=2025-01-01&to=2026-06-01", "bad_period"),
        ("site=chania&from=16/11/2026", "bad_date"),
        ("site=chania&lang=fr", "invalid_lang"),
    ] {
        let (status, body) = app.get(&format!("/api/v1/stats?{query}"), "manager").await;
        assert_eq!(status, StatusCode::BAD_REQUEST, "{query}: {body}");
        assert_eq!(body["error"], code, "{query}");
    }
    let (status, body) = app.get("/api/v1/stats?site=atlantis", "admin").await;
    assert_eq!(status, StatusCode::NOT_FOUND, "{body}");
    let (status, body) = app.get("/api/v1/stats", "manager").await;
    assert_eq!(status, StatusCode::BAD_REQUEST, "{body}");
    // The default: the last 30 days, today included.
    let (status, body) = app.get("/api/v1/stats?site=chania", "manager").await;
    assert_eq!(status, StatusCode::OK, "{body}");
    assert_eq!(body["by_day"].as_array().unwrap().len(), 30);
}

/// The CSV as a Greek manager's Excel or LibreOffice opens it with a double click: a BOM,
/// `;` between fields and a decimal comma; no formula from a name; people apart from tokens.
#[tokio::test]
async fn the_csv_opens_right_in_greek_excel_and_runs_no_formula() {
    let app = spawn_app().await;
    a_day(&app).await;
    // An admin names a service like a formula.
    let (_, mut form) = app
        .get("/api/v1/admin/sites/chania/settings", "admin")
        .await;
    form["settings"]["services"][0]["names"]["el"] =
        "=HYPERLINK(\"http://evil.example\",\"x\")".into();
    let (status, body) = app
        .send(
            "PUT",
            "/api/v1/admin/sites/chania/settings",
            "admin",
            Some(form),
        )
        .await;
    assert_eq!(status, StatusCode::OK, "{body}");
    // A staff member who signs in calls too: a person, not a token.
    app.add_user(
        "maria",
        seira_server::auth::Role::Staff,
        Some("chania"),
        &[],
    );
    let maria = app.signed_in("maria").await;
    app.set_time(athens("2026-11-16 11:30"));
    let called = maria
        .post(format!("{}/api/v1/desks/chania-1/call-next", app.base))
        .header("origin", &app.base)
        .send()
        .await
        .unwrap();
    assert_eq!(called.status(), StatusCode::OK);

    let get = |query: &'static str| {
        let request = app
            .http
            .get(format!(
                "{}/api/v1/stats.csv?site=chania&from=2026-11-16&to=2026-11-16{query}",
                app.base
            ))
            .bearer_auth(app.token("manager"));
        async move { request.send().await.unwrap() }
    };
    let response = get("").await;
    assert_eq!(response.status(), StatusCode::OK);
    let bytes = response.bytes().await.unwrap();
    assert!(
        bytes.starts_with("\u{feff}".as_bytes()),
        "a byte-order mark first"
    );
    let text = std::str::from_utf8(&bytes[3..]).unwrap();
    let mut reader = csv::ReaderBuilder::new()
        .delimiter(b';')
        .from_reader(text.as_bytes());
    let headers = reader.headers().unwrap().clone();
    assert_eq!(&headers[0], "ενότητα");
    let column = |name: &str| headers.iter().position(|h| h == name).unwrap();
    let records: Vec<csv::StringRecord> = reader.records().map(Result::unwrap).collect();
    let total = records.iter().find(|r| &r[0] == "total").unwrap();
    // Maria called T4 at 11:30 after 30 minutes: (10 + 25 + 4 + 30 + 30) / 5 minutes.
    assert_eq!(&total[column("μέση αναμονή (λεπτά)")], "19,8");
    let benefits = records
        .iter()
        .find(|r| &r[0] == "service" && &r[1] == "benefits")
        .unwrap();
    assert!(benefits[2].starts_with("'=HYPERLINK"), "{:?}", &benefits[2]);
    assert!(
        records
            .iter()
            .all(|r| r.iter().all(|c| !c.starts_with(['=', '+', '@']))),
        "no cell starts a formula"
    );
    let kinds: Vec<(&str, &str)> = records
        .iter()
        .filter(|r| &r[0] == "staff" || &r[0] == "token")
        .map(|r| (&r[0], &r[1]))
        .collect();
    assert_eq!(
        kinds,
        [
            ("staff", "maria"),
            ("token", "test staff1"),
            ("token", "test staff3")
        ]
    );
    // English, and the options for another spreadsheet.
    let text = get("&lang=en").await.text().await.unwrap();
    assert!(text.contains(",19.8,"), "{text}");
    let text = get("&separator=tab&decimal=point")
        .await
        .text()
        .await
        .unwrap();
    assert!(text.contains("\t19.8\t"), "{text}");
    let (status, body) = app
        .get(
            "/api/v1/stats.csv?site=chania&separator=comma&decimal=comma",
            "manager",
        )
        .await;
    assert_eq!(
        (status, body["error"].as_str()),
        (StatusCode::BAD_REQUEST, Some("bad_decimal"))
    );
    let (status, body) = app
        .get("/api/v1/stats.csv?site=chania&separator=pipe", "manager")
        .await;
    assert_eq!(
        (status, body["error"].as_str()),
        (StatusCode::BAD_REQUEST, Some("bad_separator"))
    );
}
