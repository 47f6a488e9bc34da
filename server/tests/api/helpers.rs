//! `spawn_app()`: a real server on a free loopback port with its own database file.

use std::collections::HashMap;
use std::path::{Path, PathBuf};
use std::sync::Arc;
use std::sync::atomic::{AtomicI64, Ordering};

use jiff::Timestamp;
use reqwest::StatusCode;
use seira_protocol::{IssuedTicket, Ticket};
use seira_server::auth::{Role, new_token, token_scope};
use seira_server::config::Config;
use seira_server::store::{self, Store, StoreError};
use serde_json::{Value, json};

pub struct TestApp {
    pub base: String,
    pub http: reqwest::Client,
    pub db_path: PathBuf,
    pub tokens: HashMap<&'static str, String>,
    pub clock: Arc<AtomicI64>,
    /// The configuration it was started with (users are added against it).
    pub config: Config,
    stop: Option<tokio::sync::oneshot::Sender<()>>,
    server: Option<tokio::task::JoinHandle<std::io::Result<()>>>,
    _dir: Option<tempfile::TempDir>,
}

/// The password of every test user.
pub const PASSWORD: &str = "σωστός-κωδικός-2026";

/// The tokens every test app has, by name.
pub const TOKENS: &[(&str, Role, Option<&str>, Option<&str>)] = &[
    ("admin", Role::Admin, None, None),
    ("kiosk", Role::Kiosk, Some("chania"), None),
    ("display", Role::Display, Some("chania"), None),
    ("staff1", Role::Staff, Some("chania"), Some("chania-1")),
    ("staff2", Role::Staff, Some("chania"), Some("chania-2")),
    ("staff3", Role::Staff, Some("chania"), Some("chania-3")),
    ("manager", Role::Manager, Some("chania"), None),
    ("souda_kiosk", Role::Kiosk, Some("souda"), None),
];

/// The embedded configuration, open around the clock.
pub async fn spawn_app() -> TestApp {
    spawn_with(Config::embedded().always_open(), None).await
}

/// A server for `config`; on `db` when given (restarts), else on a new temporary file.
pub async fn spawn_with(config: Config, db: Option<&Path>) -> TestApp {
    spawn_tweaked(config, db, |app| app).await
}

/// The same, with the app changed before it runs (e.g. reminders looked for often).
pub async fn spawn_tweaked(
    config: Config,
    db: Option<&Path>,
    tweak: impl FnOnce(seira_server::App) -> seira_server::App,
) -> TestApp {
    seira_protocol::tls::install_crypto();
    let (dir, db_path) = match db {
        Some(p) => (None, p.to_owned()),
        None => {
            let dir = tempfile::tempdir().unwrap();
            let path = dir.path().join("seira.db");
            (Some(dir), path)
        }
    };
    let store = Store::open(&db_path).unwrap();
    let mut tokens = HashMap::new();
    for &(name, role, site, desk) in TOKENS {
        let site_known = site.is_none_or(|s| config.site(s).is_some());
        let desk_known = desk.is_none_or(|d| config.desk(d).is_some());
        if !site_known || !desk_known {
            continue;
        }
        let caller = token_scope(
            &config,
            role,
            site.map(str::to_owned),
            desk.map(str::to_owned).into_iter().collect(),
            format!("test {name}"),
        )
        .unwrap();
        let (token, hash) = new_token();
        store
            .write(|tx| {
                store::insert_token(tx, &hash, &caller, Timestamp::now()).map_err(StoreError::from)
            })
            .unwrap();
        tokens.insert(name, token);
    }
    let clock = Arc::new(AtomicI64::new(0));
    let clock_read = clock.clone();
    let started_with = config.clone();
    let app =
        tweak(seira_server::App::new(config, store).unwrap()).with_clock(move || match clock_read
            .load(Ordering::SeqCst)
        {
            0 => Timestamp::now(),
            ms => Timestamp::from_millisecond(ms).unwrap(),
        });
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let addr = listener.local_addr().unwrap();
    let (stop, stopped) = tokio::sync::oneshot::channel::<()>();
    let server = tokio::spawn(seira_server::run(listener, app, async {
        let _ = stopped.await;
    }));
    TestApp {
        base: format!("http://{addr}"),
        http: reqwest::Client::new(),
        db_path,
        tokens,
        clock,
        config: started_with,
        stop: Some(stop),
        server: Some(server),
        _dir: dir,
    }
}

impl TestApp {
    /// Stops the server and waits until it has let go of everything.
    pub async fn stop(&mut self) {
        if let Some(stop) = self.stop.take() {
            let _ = stop.send(());
        }
        if let Some(server) = self.server.take() {
            server.await.unwrap().unwrap();
        }
    }

    /// Keeps the database folder alive past this app (for a restart on the same file).
    pub fn take_dir(&mut self) -> tempfile::TempDir {
        self._dir.take().unwrap()
    }

    /// Adds a user who signs in with [`PASSWORD`], as `seira user add` would.
    pub fn add_user(&self, name: &str, role: Role, site: Option<&str>, desks: &[&str]) {
        let user = token_scope(
            &self.config,
            role,
            site.map(str::to_owned),
            desks.iter().map(|d| d.to_string()).collect(),
            name.to_owned(),
        )
        .unwrap();
        let hash = seira_server::auth::hash_password(PASSWORD).unwrap();
        let store = Store::open(&self.db_path).unwrap();
        let id = store
            .write(|tx| {
                store::insert_user(tx, &user, &hash, Timestamp::now()).map_err(StoreError::from)
            })
            .unwrap();
        assert!(id.is_some(), "user {name} added");
    }

    /// A client with a cookie jar, signed in as `name`.
    pub async fn signed_in(&self, name: &str) -> reqwest::Client {
        let client = reqwest::Client::builder()
            .cookie_store(true)
            .redirect(reqwest::redirect::Policy::none())
            .build()
            .unwrap();
        let response = client
            .post(format!("{}/login", self.base))
            .form(&[("username", name), ("password", PASSWORD)])
            .send()
            .await
            .unwrap();
        assert_eq!(response.status(), StatusCode::SEE_OTHER, "{name} signs in");
        client
    }

    /// Ten in the morning of today in Athens: a test that moves the server's clock on from
    /// here stays within one service day, whenever it runs (a start at `now` crossed midnight
    /// when the suite ran at 23:58).
    pub fn this_morning() -> Timestamp {
        let athens = jiff::tz::TimeZone::get("Europe/Athens").unwrap();
        athens
            .to_datetime(Timestamp::now())
            .date()
            .at(10, 0, 0, 0)
            .to_zoned_datetime(athens)
            .unwrap()
            .timestamp()
    }

    pub fn set_time(&self, t: Timestamp) {
        self.clock.store(t.as_millisecond(), Ordering::SeqCst);
    }

    pub fn token(&self, name: &str) -> &str {
        &self.tokens[name]
    }

    pub fn client(&self, token: Option<&str>) -> seira_protocol::Client {
        seira_protocol::Client::new(&self.base, token.map(|t| self.token(t).to_owned())).unwrap()
    }

    /// Sends a request as `who` (a token name, or "" for none); returns status and JSON body.
    pub async fn send(
        &self,
        method: &str,
        path: &str,
        who: &str,
        body: Option<Value>,
    ) -> (StatusCode, Value) {
        let method = reqwest::Method::from_bytes(method.to_uppercase().as_bytes()).unwrap();
        let mut request = self.http.request(method, format!("{}{}", self.base, path));
        if !who.is_empty() {
            request = request.bearer_auth(self.token(who));
        }
        if let Some(body) = body {
            request = request.json(&body);
        }
        let response = request.send().await.unwrap();
        let status = response.status();
        let bytes = response.bytes().await.unwrap();
        let value = if bytes.is_empty() {
            Value::Null
        } else {
            serde_json::from_slice(&bytes)
                .unwrap_or_else(|_| panic!("{path}: not JSON: {}", String::from_utf8_lossy(&bytes)))
        };
        (status, value)
    }

    pub async fn post(&self, path: &str, who: &str, body: Option<Value>) -> (StatusCode, Value) {
        self.send("POST", path, who, body).await
    }

    pub async fn get(&self, path: &str, who: &str) -> (StatusCode, Value) {
        self.send("GET", path, who, None).await
    }

    /// Issues a ticket at Chania through the kiosk.
    pub async fn issue(&self, service: &str, priority: Option<&str>) -> IssuedTicket {
        self.issue_at("chania", "kiosk", service, priority).await
    }

    pub async fn issue_at(
        &self,
        site: &str,
        who: &str,
        service: &str,
        priority: Option<&str>,
    ) -> IssuedTicket {
        let request_id = seira_server::auth::new_ticket_id();
        let (status, body) = self
            .post(
                &format!("/api/v1/sites/{site}/tickets"),
                who,
                Some(json!({"service": service, "priority": priority, "request_id": request_id})),
            )
            .await;
        assert_eq!(status, StatusCode::CREATED, "{body}");
        serde_json::from_value(body).unwrap()
    }

    pub async fn open_desk(&self, desk: &str) {
        let (status, body) = self
            .post(&format!("/api/v1/desks/{desk}/open"), "admin", None)
            .await;
        assert_eq!(status, StatusCode::OK, "{body}");
    }

    /// Call-next at a desk as `who`; `None` on 204.
    pub async fn call_next(&self, desk: &str, who: &str) -> Option<Ticket> {
        let (status, body) = self
            .post(&format!("/api/v1/desks/{desk}/call-next"), who, None)
            .await;
        match status {
            StatusCode::OK => Some(serde_json::from_value(body).unwrap()),
            StatusCode::NO_CONTENT => None,
            other => panic!("call-next at {desk}: {other} {body}"),
        }
    }

    /// A state change as `who`, expecting 200.
    pub async fn act(&self, ticket: &str, action: &str, who: &str) -> Ticket {
        let (status, body) = self
            .post(&format!("/api/v1/tickets/{ticket}/{action}"), who, None)
            .await;
        assert_eq!(status, StatusCode::OK, "{action}: {body}");
        serde_json::from_value(body).unwrap()
    }
}

impl Drop for TestApp {
    fn drop(&mut self) {
        if let Some(stop) = self.stop.take() {
            let _ = stop.send(());
        }
    }
}

/// Athens local time (`2026-11-23 10:00`) as a timestamp.
pub fn athens(text: &str) -> Timestamp {
    let civil = jiff::civil::DateTime::strptime("%Y-%m-%d %H:%M", text).unwrap();
    jiff::tz::TimeZone::get("Europe/Athens")
        .unwrap()
        .to_timestamp(civil)
        .unwrap()
}
