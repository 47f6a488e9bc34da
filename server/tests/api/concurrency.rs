//! Many at once: one request_id gives one ticket; many desks never share a ticket.

use std::collections::HashSet;

use reqwest::StatusCode;
use seira_server::config::Config;
use serde_json::json;

use crate::helpers::{spawn_app, spawn_with};

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn fifty_concurrent_issues_with_one_request_id_make_one_ticket() {
    let app = std::sync::Arc::new(spawn_app().await);
    let tasks: Vec<_> = (0..50)
        .map(|_| {
            let app = app.clone();
            tokio::spawn(async move {
                app.post(
                    "/api/v1/sites/chania/tickets",
                    "kiosk",
                    Some(json!({"service": "benefits", "request_id": "touch-7f3a"})),
                )
                .await
            })
        })
        .collect();
    let mut created = 0;
    let mut ids = HashSet::new();
    for task in tasks {
        let (status, body) = task.await.unwrap();
        match status {
            StatusCode::CREATED => created += 1,
            StatusCode::OK => {}
            other => panic!("{other}: {body}"),
        }
        ids.insert(body["id"].as_str().unwrap().to_owned());
    }
    assert_eq!((created, ids.len()), (1, 1));
    let services = app.client(Some("kiosk")).services("chania").await.unwrap();
    assert_eq!(services.services[0].waiting, 1);
    // The same id for another service is refused, not silently answered.
    let (status, body) = app
        .post(
            "/api/v1/sites/chania/tickets",
            "kiosk",
            Some(json!({"service": "referrals", "request_id": "touch-7f3a"})),
        )
        .await;
    assert_eq!(
        (status, body["error"].as_str()),
        (StatusCode::CONFLICT, Some("request_id_reused"))
    );
}

const DESKS: usize = 20;
const TICKETS: usize = 2000;

fn twenty_desks() -> Config {
    let mut toml = String::from(
        "[[priorities]]\nid = \"disability\"\nnames = { el = \"ΑμεΑ\", en = \"Disability\" }\n\n[[sites]]\nid = \"busy\"\nnames = { el = \"Πολύ\", en = \"Busy\" }\nhours = { mon = [\"07:30-15:30\"] }\n\n\
         [[sites.services]]\nid = \"benefits\"\nprefix = \"A\"\nnames = { el = \"Επιδόματα\", en = \"Benefits\" }\ntarget_wait_min = 20\n\n\
         [[sites.services]]\nid = \"health\"\nprefix = \"H\"\nnames = { el = \"Υγεία\", en = \"Health\" }\ntarget_wait_min = 20\n",
    );
    for d in 1..=DESKS {
        let services = if d % 2 == 0 {
            "\"benefits\", \"health\""
        } else {
            "\"health\", \"benefits\""
        };
        toml.push_str(&format!(
            "\n[[sites.desks]]\nid = \"d{d}\"\nnames = {{ el = \"Γραφείο {d}\", en = \"Office {d}\" }}\nservices = [{services}]\n"
        ));
    }
    Config::parse(&toml, "busy.toml").unwrap().always_open()
}

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn twenty_desks_calling_at_once_call_each_ticket_exactly_once() {
    let app = std::sync::Arc::new(spawn_with(twenty_desks(), None).await);
    // 2,000 tickets, issued by 16 clients at once, some of them priority.
    let issuers: Vec<_> = (0..16)
        .map(|c| {
            let app = app.clone();
            tokio::spawn(async move {
                let mut ids = Vec::new();
                for i in 0..TICKETS / 16 {
                    let service = if i % 3 == 0 { "health" } else { "benefits" };
                    let priority = (i % 5 == 0).then_some("disability");
                    ids.push(app.issue_at("busy", "admin", service, priority).await.id);
                }
                let _ = c;
                ids
            })
        })
        .collect();
    let mut issued = HashSet::new();
    for task in issuers {
        issued.extend(task.await.unwrap());
    }
    assert_eq!(issued.len(), TICKETS);
    // 20 desks call, serve and finish until nothing waits.
    let desks: Vec<_> = (1..=DESKS)
        .map(|d| {
            let app = app.clone();
            tokio::spawn(async move {
                let desk = format!("d{d}");
                app.open_desk(&desk).await;
                let mut called = Vec::new();
                while let Some(t) = app.call_next(&desk, "admin").await {
                    assert_eq!(t.desk.as_deref(), Some(desk.as_str()));
                    app.act(&t.id, "start", "admin").await;
                    app.act(&t.id, "done", "admin").await;
                    called.push(t.id);
                }
                called
            })
        })
        .collect();
    let mut called = Vec::new();
    for task in desks {
        called.extend(task.await.unwrap());
    }
    assert_eq!(called.len(), TICKETS, "every ticket called");
    let unique: HashSet<_> = called.iter().cloned().collect();
    assert_eq!(unique.len(), TICKETS, "no ticket called twice");
    assert_eq!(unique, issued);
    // The numbers: 2,000 distinct per service day, none repeated.
    let store = seira_server::store::Store::open(&app.db_path).unwrap();
    let (numbers, distinct): (i64, i64) = store
        .read(|tx| {
            tx.query_row(
                "SELECT COUNT(*), COUNT(DISTINCT service || seq) FROM tickets",
                [],
                |r| Ok((r.get(0)?, r.get(1)?)),
            )
            .map_err(seira_server::store::StoreError::from)
        })
        .unwrap();
    assert_eq!((numbers, distinct), (TICKETS as i64, TICKETS as i64));
}
