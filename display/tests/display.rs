//! The display's board in a headless bevy `App` (no window, no GPU): fed by hand, and fed by
//! a real server that stops and restarts in the middle of the calls. The real window is
//! tested from the `seira` binary (tests/system.rs), under Xvfb.

use std::net::SocketAddr;
use std::path::{Path, PathBuf};
use std::sync::Mutex;
use std::sync::mpsc::{Sender, channel};
use std::time::{Duration, Instant};

use bevy::prelude::*;
use seira_display::board::Announcement;
use seira_display::feed::{self, Update};
use seira_display::screen::{BoardPlugin, Languages, Live, Shown, Updates};
use seira_protocol::client::Client;
use seira_protocol::{Board, BoardCall, BoardQueue, Event, Names};
use seira_server::auth::{Role, new_token, token_scope};
use seira_server::config::Config;
use seira_server::store::{self, Store, StoreError};

/// The board's app as the window runs it, minus the window.
fn headless() -> (App, Sender<Update>) {
    let (updates, received) = channel();
    let mut app = App::new();
    app.add_plugins(MinimalPlugins)
        .add_plugins(BoardPlugin)
        .insert_resource(Updates(Mutex::new(received)))
        .insert_resource(Languages(vec!["el".into(), "en".into()]));
    app.update();
    (app, updates)
}

/// Every text on screen.
fn texts(app: &mut App) -> Vec<String> {
    let world = app.world_mut();
    let mut query = world.query::<&Text>();
    query.iter(world).map(|t| t.0.clone()).collect()
}

fn live(app: &App) -> &Live {
    app.world().resource::<Live>()
}

fn announced(app: &App) -> Vec<String> {
    live(app)
        .state
        .as_ref()
        .map(|s| {
            s.to_announce
                .iter()
                .map(|a: &Announcement| a.number.clone())
                .collect()
        })
        .unwrap_or_default()
}

fn names(el: &str, en: &str) -> Names {
    [
        ("el".to_owned(), el.to_owned()),
        ("en".to_owned(), en.to_owned()),
    ]
    .into_iter()
    .collect()
}

fn board() -> Board {
    Board {
        site: "chania".into(),
        site_names: names("Κέντρο Κοινότητας Χανίων", "Chania Community Centre"),
        calls: vec![BoardCall {
            number: "A001".into(),
            step: 1,
            service: "benefits".into(),
            desk: "chania-1".into(),
            desk_names: names("Γραφείο 1", "Office 1"),
            called_at: jiff::Timestamp::now(),
            recalls: 0,
            lang: None,
        }],
        queues: vec![BoardQueue {
            service: "benefits".into(),
            prefix: "A".into(),
            names: names("Επιδόματα", "Benefits"),
            waiting: 2,
        }],
        news: vec![],
        desks: [
            ("chania-1".to_owned(), names("Γραφείο 1", "Office 1")),
            ("chania-3".to_owned(), names("Γραφείο 3", "Office 3")),
        ]
        .into_iter()
        .collect(),
        last_event_id: 5,
        generated_at: jiff::Timestamp::now(),
    }
}

fn called(id: i64, ticket: &str, number: &str, desk: &str, waiting: u32) -> Event {
    serde_json::from_value(serde_json::json!({
        "id": id,
        "at": jiff::Timestamp::now().to_string(),
        "site": "chania",
        "kind": "ticket_called",
        "ticket": {
            "id": ticket, "number": number, "site": "chania", "service": "benefits",
            "state": "called", "priority": null, "channel": "kiosk", "lang": null,
            "desk": desk, "recalls": 0, "step": 1,
            "issued_at": "2026-11-23T08:00:00Z", "queued_at": "2026-11-23T08:00:00Z",
            "called_at": null, "started_at": null, "finished_at": null,
            "inaccurate_time": false
        },
        "desk": desk,
        "waiting": {"benefits": waiting},
        "detail": null
    }))
    .unwrap()
}

#[test]
fn the_headless_board_shows_each_call_once_and_keeps_it_while_offline() {
    let (mut app, updates) = headless();
    // Before the board: a connecting mark, no calls.
    assert!(texts(&mut app).iter().any(|t| t.starts_with("Σύνδεση")));

    updates.send(Update::Board(Box::new(board()))).unwrap();
    updates.send(Update::Online).unwrap();
    app.update();
    let shown = texts(&mut app);
    for expected in [
        "A001",
        "Γραφείο 1",
        "Office 1",
        "Καλείται",
        "Κέντρο Κοινότητας Χανίων",
    ] {
        assert!(
            shown.iter().any(|t| t == expected),
            "{expected} in {shown:?}"
        );
    }
    assert!(announced(&app).is_empty(), "the board's calls are old news");

    updates
        .send(Update::Event(Box::new(called(
            6, "t2", "A002", "chania-3", 1,
        ))))
        .unwrap();
    // The same event again (a reconnect that overlaps) changes nothing.
    updates
        .send(Update::Event(Box::new(called(
            6, "t2", "A002", "chania-3", 1,
        ))))
        .unwrap();
    app.update();
    let view = app.world().resource::<Shown>().view.clone().unwrap();
    let headline = view.headline.unwrap();
    assert_eq!(
        (headline.number.as_str(), headline.desk.main.as_str()),
        ("A002", "Γραφείο 3")
    );
    assert_eq!(view.previous[0].number, "A001");
    assert_eq!(view.queues[0].waiting, 1);
    assert_eq!(announced(&app), ["A002"]);

    // The server goes away: the board stays, under an offline mark.
    updates
        .send(Update::Offline("connection refused".into()))
        .unwrap();
    app.update();
    let shown = texts(&mut app);
    assert!(
        shown.iter().any(|t| t.starts_with("Εκτός σύνδεσης")),
        "{shown:?}"
    );
    assert!(shown.iter().any(|t| t == "A002"));
    updates.send(Update::Online).unwrap();
    app.update();
    assert!(
        !texts(&mut app)
            .iter()
            .any(|t| t.starts_with("Εκτός σύνδεσης"))
    );

    // Nothing changes, nothing is built again.
    let builds = app.world().resource::<Shown>().builds;
    app.update();
    app.update();
    assert_eq!(app.world().resource::<Shown>().builds, builds);
}

/// A real server on a given port (127.0.0.1:0 the first time), with the database at `db`;
/// it can be stopped gently (open streams are ended) or cut off (its runtime dropped).
struct Server {
    addr: SocketAddr,
    stop: Option<tokio::sync::oneshot::Sender<bool>>,
    thread: Option<std::thread::JoinHandle<()>>,
}

impl Server {
    fn start(db: &Path, port: u16) -> Server {
        let store = Store::open(db).unwrap();
        let app = seira_server::App::new(Config::embedded(), store)
            .unwrap()
            .always_open();
        let (stop, stopped) = tokio::sync::oneshot::channel::<bool>();
        let (addr_tx, addr_rx) = std::sync::mpsc::channel();
        let thread = std::thread::spawn(move || {
            let runtime = tokio::runtime::Runtime::new().unwrap();
            runtime.block_on(async move {
                let listener = tokio::net::TcpListener::bind(("127.0.0.1", port))
                    .await
                    .unwrap();
                addr_tx.send(listener.local_addr().unwrap()).unwrap();
                let (gentle_tx, gentle_rx) = tokio::sync::oneshot::channel::<()>();
                let serve = seira_server::run(listener, app, async {
                    let _ = gentle_rx.await;
                });
                tokio::pin!(serve);
                tokio::select! {
                    result = &mut serve => result.unwrap(),
                    gentle = stopped => {
                        if gentle.unwrap_or(true) {
                            let _ = gentle_tx.send(());
                            serve.await.unwrap();
                        }
                        // Otherwise the runtime is dropped with every connection open.
                    }
                }
            });
        });
        Server {
            addr: addr_rx.recv().unwrap(),
            stop: Some(stop),
            thread: Some(thread),
        }
    }

    fn stop(mut self, gently: bool) {
        if let Some(stop) = self.stop.take() {
            let _ = stop.send(gently);
        }
        if let Some(thread) = self.thread.take() {
            thread.join().unwrap();
        }
    }

    fn base(&self) -> String {
        format!("http://{}", self.addr)
    }
}

impl Drop for Server {
    fn drop(&mut self) {
        if let Some(stop) = self.stop.take() {
            let _ = stop.send(false);
        }
    }
}

fn add_token(db: &Path, role: Role, desks: Vec<String>) -> String {
    let store = Store::open(db).unwrap();
    let caller = token_scope(
        &Config::embedded(),
        role,
        Some("chania".into()),
        desks,
        "test".into(),
    )
    .unwrap();
    let (token, hash) = new_token();
    store
        .write(|tx| {
            store::insert_token(tx, &hash, &caller, jiff::Timestamp::now())
                .map_err(StoreError::from)
        })
        .unwrap();
    token
}

/// Staff at desk chania-1: calls the next ticket and marks it a no-show, so the desk is free
/// for the next call. Returns the number called.
fn call_one(http: &reqwest::blocking::Client, base: &str, staff: &str) -> String {
    let called: serde_json::Value = http
        .post(format!("{base}/api/v1/desks/chania-1/call-next"))
        .bearer_auth(staff)
        .send()
        .unwrap()
        .error_for_status()
        .unwrap()
        .json()
        .unwrap();
    let id = called["id"].as_str().unwrap();
    http.post(format!("{base}/api/v1/tickets/{id}/no-show"))
        .bearer_auth(staff)
        .send()
        .unwrap()
        .error_for_status()
        .unwrap();
    called["number"].as_str().unwrap().to_owned()
}

/// Runs the app until `done` holds (20 s at most).
fn run_until(app: &mut App, what: &str, done: impl Fn(&App) -> bool) {
    let started = Instant::now();
    while !done(app) {
        assert!(
            started.elapsed() < Duration::from_secs(20),
            "waited for {what}; announced {:?}",
            announced(app)
        );
        std::thread::sleep(Duration::from_millis(20));
        app.update();
    }
}

#[test]
fn a_server_that_restarts_during_the_calls_makes_the_display_miss_none() {
    let dir = tempfile::tempdir().unwrap();
    let db: PathBuf = dir.path().join("seira.db");
    drop(Store::open(&db).unwrap());
    let display = add_token(&db, Role::Display, vec![]);
    let kiosk = add_token(&db, Role::Kiosk, vec![]);
    let staff = add_token(&db, Role::Staff, vec!["chania-1".into()]);

    let server = Server::start(&db, 0);
    let port = server.addr.port();
    let base = server.base();
    seira_protocol::tls::install_crypto();
    let http = reqwest::blocking::Client::new();
    for i in 0..12 {
        http.post(format!("{base}/api/v1/sites/chania/tickets"))
            .bearer_auth(&kiosk)
            .json(&serde_json::json!({"service": "benefits", "request_id": format!("r{i}")}))
            .send()
            .unwrap()
            .error_for_status()
            .unwrap();
    }
    http.post(format!("{base}/api/v1/desks/chania-1/open"))
        .bearer_auth(&staff)
        .send()
        .unwrap()
        .error_for_status()
        .unwrap();

    let (mut app, updates) = headless();
    feed::spawn(
        Client::new(&base, Some(display)).unwrap(),
        "chania".into(),
        updates,
        || {},
    )
    .unwrap();
    run_until(&mut app, "the board", |app| live(app).online == Some(true));

    let mut numbers = Vec::new();
    for _ in 0..3 {
        numbers.push(call_one(&http, &base, &staff));
    }
    // A gentle restart: the server ends the stream; calls are made at once after it is back,
    // before the display has reconnected.
    server.stop(true);
    run_until(&mut app, "the offline mark", |app| {
        live(app).online == Some(false)
    });
    let server = Server::start(&db, port);
    for _ in 0..3 {
        numbers.push(call_one(&http, &base, &staff));
    }
    run_until(&mut app, "six calls", |app| announced(app).len() >= 6);

    // A hard stop: every connection cut, no goodbye.
    server.stop(false);
    run_until(&mut app, "the offline mark", |app| {
        live(app).online == Some(false)
    });
    let _server = Server::start(&db, port);
    for _ in 0..3 {
        numbers.push(call_one(&http, &base, &staff));
    }
    run_until(&mut app, "nine calls", |app| announced(app).len() >= 9);
    run_until(&mut app, "back online", |app| {
        live(app).online == Some(true)
    });

    // Every call announced once, in the order made; the newest on top of the screen.
    assert_eq!(announced(&app), numbers);
    assert_eq!(numbers.first().map(String::as_str), Some("A001"));
    let shown = texts(&mut app);
    assert!(shown.contains(&numbers[8]), "{shown:?}");
    assert!(!shown.iter().any(|t| t.starts_with("Εκτός σύνδεσης")));
}
