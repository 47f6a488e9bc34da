//! The whole `seira` binary, as an operator meets it: real processes, a real database file,
//! kill -9 in the middle of the load.

use std::collections::{HashMap, HashSet};
use std::io::{BufRead, BufReader};
use std::path::Path;
use std::process::{Child, Command, Stdio};
use std::sync::Arc;
use std::sync::atomic::{AtomicBool, Ordering};

use serde_json::{Value, json};

const SEIRA: &str = env!("CARGO_BIN_EXE_seira");

/// A `seira server` process; killed when dropped.
struct ServerProcess {
    child: Child,
    base: String,
}

impl Drop for ServerProcess {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

fn start_server(db: &Path) -> ServerProcess {
    start_server_with(db, None)
}

/// A `seira server` on `db`, open around the clock, with the configuration file `config`
/// (else the embedded one).
fn start_server_with(db: &Path, config: Option<&Path>) -> ServerProcess {
    let config: Vec<&std::ffi::OsStr> = match config {
        Some(config) => vec!["--config".as_ref(), config.as_os_str()],
        None => Vec::new(),
    };
    launch(Command::new(SEIRA), db, &config)
}

/// Runs `command` (`seira`, or a wrapper with `seira` as its last argument so far) as
/// `server` on `db`, open around the clock, with `extra` arguments; waits for its address.
fn launch(mut command: Command, db: &Path, extra: &[&std::ffi::OsStr]) -> ServerProcess {
    // This process's own HTTP clients come after a server starts (see seira_protocol::tls).
    seira_protocol::tls::install_crypto();
    command
        .args(["server", "--always-open", "--listen", "127.0.0.1:0", "--db"])
        .arg(db)
        .args(extra)
        .env("RUST_LOG", "warn")
        .stdout(Stdio::piped())
        .stderr(Stdio::inherit());
    let mut child = command.spawn().expect("seira server starts");
    // `seira server` says where it listens on stdout, in one line.
    let mut line = String::new();
    BufReader::new(child.stdout.take().unwrap())
        .read_line(&mut line)
        .unwrap();
    let base = line
        .trim()
        .strip_prefix("listening on ")
        .unwrap_or_else(|| panic!("the server said `{line}`"))
        .to_owned();
    ServerProcess { child, base }
}

fn seira(args: &[&str]) -> std::process::Output {
    Command::new(SEIRA)
        .args(args)
        .env("RUST_LOG", "warn")
        .output()
        .unwrap()
}

fn token(db: &Path, args: &[&str]) -> String {
    let mut all = vec!["token", "create", "--db", db.to_str().unwrap()];
    all.extend_from_slice(args);
    let out = seira(&all);
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let stdout = String::from_utf8(out.stdout).unwrap();
    assert_eq!(
        stdout.lines().count(),
        1,
        "only the token on stdout: {stdout}"
    );
    stdout.trim().to_owned()
}

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn kill_9_under_load_loses_no_confirmed_ticket() {
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("seira.db");
    let server = start_server(&db);
    // Created by another process while the server runs on the same file.
    let kiosk = token(&db, &["--device", "chania-kiosk"]);
    let admin = token(&db, &["--role", "admin"]);
    let http = reqwest::Client::new();

    // Meanwhile at Souda, desks work through a morning queue with the operations of a real
    // day: done-and-next, a no-show undone, a transfer that keeps its place.
    for i in 0..240 {
        let service = if i % 3 == 0 { "mediation" } else { "benefits" };
        let (status, body) = send(
            &http,
            reqwest::Method::POST,
            format!("{}/api/v1/sites/souda/tickets", server.base),
            &admin,
            Some(json!({"service": service, "request_id": format!("souda-{i}")})),
        )
        .await;
        assert_eq!(status, 201, "{body}");
    }
    for desk in ["souda-1", "souda-2", "souda-3"] {
        let (status, _) = send(
            &http,
            reqwest::Method::POST,
            format!("{}/api/v1/desks/{desk}/open", server.base),
            &admin,
            None,
        )
        .await;
        assert_eq!(status, 200);
    }
    let done_at_desks = Arc::new(std::sync::Mutex::new(Vec::<DeskAck>::new()));
    let mut desks = Vec::new();
    for desk in ["souda-1", "souda-2", "souda-3"] {
        let (http, admin, base) = (http.clone(), admin.clone(), server.base.clone());
        let acks = done_at_desks.clone();
        desks.push(tokio::spawn(desk_worker(http, base, admin, desk, acks)));
    }

    // Eight kiosks issue as fast as they can; the server is killed in the middle.
    let stop = Arc::new(AtomicBool::new(false));
    // Meanwhile two receptionists book the psychologists' times, both asking for the same
    // times at any free desk: each time can go to two desks, never to one desk twice.
    let bookings = Arc::new(std::sync::Mutex::new(Vec::<Value>::new()));
    let mut bookers = Vec::new();
    for b in 0..2 {
        let (http, admin, base) = (http.clone(), admin.clone(), server.base.clone());
        let (stop, bookings) = (stop.clone(), bookings.clone());
        bookers.push(tokio::spawn(async move {
            let first: jiff::Timestamp = "2099-01-05T07:00:00Z".parse().unwrap();
            let mut pending = Vec::new();
            for i in 0..1000 {
                if stop.load(Ordering::SeqCst) {
                    break;
                }
                let request_id = format!("book-{b}-{i}");
                let start = first + jiff::SignedDuration::from_mins(5 * (i / 2));
                let body = json!({"service": "psychosocial", "start": start.to_string(),
                    "minutes": 5, "request_id": request_id});
                let sent = http
                    .post(format!("{base}/api/v1/sites/chania/appointments"))
                    .bearer_auth(&admin)
                    .json(&body)
                    .send()
                    .await;
                match sent {
                    Ok(r) if r.status() == 201 => match r.json::<Value>().await {
                        Ok(booked) => bookings.lock().unwrap().push(booked),
                        Err(_) => pending.push(body),
                    },
                    Ok(r) if r.status() == 409 => {}
                    Ok(r) => panic!("booking answered {}", r.status()),
                    Err(_) => {
                        pending.push(body);
                        break;
                    }
                }
            }
            pending
        }));
    }
    let confirmed = Arc::new(std::sync::Mutex::new(HashMap::<String, String>::new()));
    let mut kiosks = Vec::new();
    for k in 0..8 {
        let (http, kiosk, base) = (http.clone(), kiosk.clone(), server.base.clone());
        let (stop, confirmed) = (stop.clone(), confirmed.clone());
        kiosks.push(tokio::spawn(async move {
            let mut i = 0;
            let mut pending = Vec::new();
            while !stop.load(Ordering::SeqCst) {
                let request_id = format!("k{k}-{i}");
                i += 1;
                let sent = http
                    .post(format!("{base}/api/v1/sites/chania/tickets"))
                    .bearer_auth(&kiosk)
                    .json(&json!({"service": "benefits", "request_id": request_id}))
                    .send()
                    .await;
                match sent {
                    Ok(r) if r.status() == 201 => {
                        if let Ok(body) = r.json::<Value>().await {
                            let id = body["id"].as_str().unwrap().to_owned();
                            confirmed.lock().unwrap().insert(request_id, id);
                        } else {
                            pending.push(request_id);
                        }
                    }
                    // The server died mid-request: the kiosk will retry this request_id.
                    _ => {
                        pending.push(request_id);
                        break;
                    }
                }
            }
            pending
        }));
    }
    while confirmed.lock().unwrap().len() < 200 {
        tokio::time::sleep(std::time::Duration::from_millis(20)).await;
    }
    let pid = server.child.id();
    assert!(
        Command::new("kill")
            .args(["-9", &pid.to_string()])
            .status()
            .unwrap()
            .success()
    );
    stop.store(true, Ordering::SeqCst);
    let mut pending = Vec::new();
    for k in kiosks {
        pending.extend(k.await.unwrap());
    }
    for d in desks {
        d.await.unwrap();
    }
    let mut unanswered = Vec::new();
    for b in bookers {
        unanswered.extend(b.await.unwrap());
    }
    drop(server);

    // Started again on the same file: every confirmed ticket is there, with its own number.
    let server = start_server(&db);
    let confirmed = confirmed.lock().unwrap().clone();
    let mut numbers = HashSet::new();
    for id in confirmed.values() {
        let r = http
            .get(format!("{}/api/v1/tickets/{id}/track", server.base))
            .send()
            .await
            .unwrap();
        assert_eq!(r.status(), 200, "confirmed ticket {id} survived");
        let body: Value = r.json().await.unwrap();
        assert_eq!(body["state"], "waiting");
        assert!(
            numbers.insert(body["number"].as_str().unwrap().to_owned()),
            "numbers are unique"
        );
    }
    // The kiosks retry what was in flight: each request gives exactly one ticket, and a
    // confirmed request_id answers its first ticket.
    for request_id in pending.iter().chain(confirmed.keys().take(5)) {
        let r = http
            .post(format!("{}/api/v1/sites/chania/tickets", server.base))
            .bearer_auth(&kiosk)
            .json(&json!({"service": "benefits", "request_id": request_id}))
            .send()
            .await
            .unwrap();
        assert!(r.status() == 200 || r.status() == 201, "{}", r.status());
        let body: Value = r.json().await.unwrap();
        if let Some(first) = confirmed.get(request_id) {
            assert_eq!(body["id"].as_str().unwrap(), first);
        }
        numbers.insert(body["number"].as_str().unwrap().to_owned());
    }
    let services: Value = http
        .get(format!("{}/api/v1/sites/chania/services", server.base))
        .bearer_auth(&kiosk)
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    let waiting = services["services"][0]["waiting"].as_u64().unwrap() as usize;
    assert_eq!(
        waiting,
        numbers.len(),
        "one waiting ticket per number, no more, no less"
    );

    // Every acknowledged booking is in the book, with its code, time and desk; no desk holds
    // one time twice; a booking in flight at the crash, asked again, is booked once.
    let acked = bookings.lock().unwrap().clone();
    assert!(
        acked.len() > 10,
        "the receptionists booked: {}",
        acked.len()
    );
    for body in &unanswered {
        let r = http
            .post(format!("{}/api/v1/sites/chania/appointments", server.base))
            .bearer_auth(&admin)
            .json(body)
            .send()
            .await
            .unwrap();
        assert!(
            matches!(r.status().as_u16(), 200 | 201 | 409),
            "{}",
            r.status()
        );
    }
    let mut book = Vec::new();
    for day in ["2099-01-05", "2099-01-06"] {
        let (status, list) = send(
            &http,
            reqwest::Method::GET,
            format!(
                "{}/api/v1/sites/chania/appointments?date={day}",
                server.base
            ),
            &admin,
            None,
        )
        .await;
        assert_eq!(status, 200, "{list}");
        book.extend(list.as_array().unwrap().clone());
    }
    for booked in &acked {
        let found = book
            .iter()
            .find(|a| a["id"] == booked["id"])
            .unwrap_or_else(|| panic!("acknowledged booking {} survived", booked["id"]));
        for field in ["code", "start", "held_desk", "state"] {
            assert_eq!(found[field], booked[field], "{field} of {}", booked["id"]);
        }
    }
    let mut held = HashSet::new();
    for a in &book {
        assert!(
            held.insert((a["held_desk"].to_string(), a["start"].to_string())),
            "one desk's time given twice: {a}"
        );
    }

    // Souda: every acknowledged change is there, and no ticket was called by two desks.
    let acks = done_at_desks.lock().unwrap().clone();
    assert!(acks.len() > 20, "the desks worked: {} changes", acks.len());
    let mut callers: HashMap<String, HashSet<String>> = HashMap::new();
    for ack in &acks {
        if let DeskAck::Called { ticket, desk } = ack {
            callers
                .entry(ticket.clone())
                .or_default()
                .insert(desk.clone());
        }
    }
    for (ticket, desks) in &callers {
        assert_eq!(desks.len(), 1, "{ticket} was called by {desks:?}");
    }
    for ack in &acks {
        let (ticket, allowed): (&str, &[&str]) = match ack {
            DeskAck::Done(t) => (t, &["done"]),
            // The visit moved on to the health visitor: waiting there, or further.
            DeskAck::Transferred(t) => (t, &["waiting", "called", "serving", "done"]),
            DeskAck::Undone(t) => (t, &["called", "serving", "done", "waiting"]),
            DeskAck::Called { .. } => continue,
        };
        let (status, track) = send(
            &http,
            reqwest::Method::GET,
            format!("{}/api/v1/tickets/{ticket}/track", server.base),
            &admin,
            None,
        )
        .await;
        assert_eq!(status, 200, "{ack:?} survived");
        let state = track["state"].as_str().unwrap();
        assert!(allowed.contains(&state), "{ack:?}: now {state}");
        if matches!(ack, DeskAck::Transferred(_)) {
            assert_eq!(track["service"], "health", "{ack:?}");
        }
    }
    let (_, souda) = send(
        &http,
        reqwest::Method::GET,
        format!("{}/api/v1/sites/souda/desks", server.base),
        &admin,
        None,
    )
    .await;
    for desk in souda.as_array().unwrap() {
        if let Some(held) = desk["ticket"]["id"].as_str() {
            assert!(
                callers
                    .get(held)
                    .is_none_or(|d| d.contains(desk["id"].as_str().unwrap())),
                "{held} in hand at {} was called by another desk",
                desk["id"]
            );
        }
    }
}

/// What a desk was told had happened (a 200), for checking after the crash.
#[derive(Debug, Clone)]
enum DeskAck {
    Called { ticket: String, desk: String },
    Done(String),
    Transferred(String),
    Undone(String),
}

/// One desk at Souda working as fast as it can until the server dies: it calls, and in turn
/// finishes with done-and-next, marks a no-show and undoes it, or transfers to the health
/// visitor keeping the place (the health desk only calls and finishes).
async fn desk_worker(
    http: reqwest::Client,
    base: String,
    token: String,
    desk: &'static str,
    acks: Arc<std::sync::Mutex<Vec<DeskAck>>>,
) {
    let ack = |a: DeskAck| acks.lock().unwrap().push(a);
    let post = |path: String, body: Option<Value>| {
        let (http, token, base) = (http.clone(), token.clone(), base.clone());
        async move {
            let mut request = http.post(format!("{base}{path}")).bearer_auth(&token);
            if let Some(body) = body {
                request = request.json(&body);
            }
            match request.send().await {
                Ok(r) => {
                    let status = r.status().as_u16();
                    let body: Value = r.json().await.unwrap_or(Value::Null);
                    Some((status, body))
                }
                Err(_) => None,
            }
        }
    };
    let mut held: Option<String> = None;
    let mut i = 0u32;
    loop {
        i += 1;
        let ticket = match held.take() {
            Some(t) => t,
            None => match post(format!("/api/v1/desks/{desk}/call-next"), None).await {
                Some((200, t)) => {
                    let id = t["id"].as_str().unwrap().to_owned();
                    ack(DeskAck::Called {
                        ticket: id.clone(),
                        desk: desk.into(),
                    });
                    id
                }
                Some((204, _)) => {
                    tokio::time::sleep(std::time::Duration::from_millis(5)).await;
                    continue;
                }
                _ => return,
            },
        };
        let act = |verb: &str| post(format!("/api/v1/tickets/{ticket}/{verb}"), None);
        if desk == "souda-3" {
            let (Some((200, _)), Some((200, _))) = (act("start").await, act("done").await) else {
                return;
            };
            ack(DeskAck::Done(ticket));
            continue;
        }
        match i % 4 {
            0 => {
                let Some((200, _)) = act("no-show").await else {
                    return;
                };
                match act("undo-no-show").await {
                    Some((200, back)) => {
                        assert_eq!(back["state"], "called", "the desk was free");
                        ack(DeskAck::Undone(ticket.clone()));
                        held = Some(ticket);
                    }
                    _ => return,
                }
            }
            1 => {
                let Some((200, _)) = act("start").await else {
                    return;
                };
                match post(
                    format!("/api/v1/tickets/{ticket}/transfer"),
                    Some(json!({"service": "health", "place": "keep"})),
                )
                .await
                {
                    Some((200, _)) => ack(DeskAck::Transferred(ticket)),
                    _ => return,
                }
            }
            _ => {
                let Some((200, _)) = act("start").await else {
                    return;
                };
                match post(format!("/api/v1/desks/{desk}/done-and-next"), None).await {
                    Some((200, next)) => {
                        ack(DeskAck::Done(ticket));
                        let id = next["id"].as_str().unwrap().to_owned();
                        ack(DeskAck::Called {
                            ticket: id.clone(),
                            desk: desk.into(),
                        });
                        held = Some(id);
                    }
                    Some((204, _)) => ack(DeskAck::Done(ticket)),
                    _ => return,
                }
            }
        }
    }
}

#[test]
fn tokens_are_scoped_checked_and_revocable() {
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("seira.db");
    let db_arg = db.to_str().unwrap();
    token(&db, &["--role", "staff", "--desk", "chania-2"]);
    token(&db, &["--role", "admin"]);
    for (args, message) in [
        (vec!["--role", "kiosk"], "needs --site"),
        (
            vec!["--role", "staff", "--desk", "nowhere"],
            "no desk `nowhere`",
        ),
        (vec!["--role", "kiosk", "--desk", "chania-1"], "only staff"),
        (vec!["--role", "wizard", "--site", "chania"], "not a role"),
        (
            vec!["--role", "staff", "--site", "souda", "--desk", "chania-1"],
            "not at site",
        ),
    ] {
        let mut all = vec!["token", "create", "--db", db_arg];
        all.extend(args.iter());
        let out = seira(&all);
        assert!(!out.status.success(), "{args:?}");
        assert!(out.stdout.is_empty(), "no token printed for {args:?}");
        let stderr = String::from_utf8_lossy(&out.stderr);
        assert!(stderr.contains(message), "{args:?}: {stderr}");
    }
    let list = seira(&["token", "list", "--db", db_arg]);
    let list = String::from_utf8_lossy(&list.stdout);
    assert!(
        list.contains("staff@chania-2") && list.contains("active"),
        "{list}"
    );
    assert!(
        !list.contains("seira_"),
        "tokens themselves are never listed"
    );
    assert!(
        seira(&["token", "revoke", "--db", db_arg, "1"])
            .status
            .success()
    );
    assert!(
        !seira(&["token", "revoke", "--db", db_arg, "1"])
            .status
            .success()
    );
    let list = seira(&["token", "list", "--db", db_arg]);
    assert!(String::from_utf8_lossy(&list.stdout).contains("revoked"));
    // The command line goes through the engine like the admin page: each change is recorded.
    let store = seira_server::store::Store::open(&db).unwrap();
    let recorded: Vec<String> = ["chania", "*"]
        .iter()
        .flat_map(|site| {
            store
                .read(|tx| {
                    seira_server::store::events_after(tx, site, 0, 100)
                        .map_err(seira_server::store::StoreError::from)
                })
                .unwrap()
        })
        .filter(|e| e.kind == seira_protocol::EventKind::TokenChanged)
        .filter_map(|e| e.detail)
        .collect();
    assert!(
        recorded.iter().any(|d| d.contains("staff@chania-2"))
            && recorded.iter().any(|d| d.starts_with("token 1 revoked")),
        "{recorded:?}"
    );
}

#[test]
fn config_check_names_file_line_and_cause() {
    let dir = tempfile::tempdir().unwrap();
    let ok = seira(&[
        "config",
        "check",
        concat!(env!("CARGO_MANIFEST_DIR"), "/examples/chios.toml"),
    ]);
    assert!(
        ok.status.success(),
        "{}",
        String::from_utf8_lossy(&ok.stderr)
    );
    assert!(String::from_utf8_lossy(&ok.stdout).contains("2 site(s), 11 service(s), 10 desk(s)"));

    let shown = seira(&["config", "show"]);
    let text = String::from_utf8(shown.stdout).unwrap();
    let broken = text.replace("prefix = \"B\"", "prefix = \"A\"").replace(
        "services = [\"children\", \"psychosocial\"]",
        "services = [\"children\", \"yoga\"]",
    );
    let file = dir.path().join("centre.toml");
    std::fs::write(&file, &broken).unwrap();
    let out = seira(&["config", "check", file.to_str().unwrap()]);
    assert!(!out.status.success());
    let stderr = String::from_utf8_lossy(&out.stderr);
    let line_of = |needle: &str| broken.lines().position(|l| l.contains(needle)).unwrap() + 1;
    let prefix_line = broken
        .lines()
        .enumerate()
        .filter(|(_, l)| l.contains("prefix = \"A\""))
        .nth(1)
        .unwrap()
        .0
        + 1;
    assert!(
        stderr.contains(&format!("centre.toml:{prefix_line}:"))
            && stderr.contains("prefix `A` is defined twice"),
        "{stderr}"
    );
    assert!(
        stderr.contains(&format!("centre.toml:{}:", line_of("\"yoga\"")))
            && stderr.contains("serves `yoga`"),
        "{stderr}"
    );
    assert!(stderr.contains("2 error(s)"), "{stderr}");

    let missing = seira(&["config", "check", "/nonexistent/centre.toml"]);
    assert!(!missing.status.success());
    assert!(String::from_utf8_lossy(&missing.stderr).contains("cannot read it"));
}

#[test]
fn help_is_everywhere() {
    let out = seira(&["--help"]);
    let text = String::from_utf8_lossy(&out.stdout);
    for command in ["up", "server", "token", "config", "bench"] {
        assert!(text.contains(command), "{text}");
    }
    for args in [
        &["server", "--help"][..],
        &["token", "create", "--help"],
        &["config", "check", "--help"],
        &["up", "--help"],
    ] {
        let out = seira(args);
        assert!(out.status.success(), "{args:?}");
        assert!(
            String::from_utf8_lossy(&out.stdout).contains("Usage"),
            "{args:?}"
        );
    }
}

/// `seira --version` names the commit it was built from, for a centre's IT to report.
#[test]
fn the_version_names_the_commit() {
    let out = seira(&["--version"]);
    assert!(out.status.success());
    let said = String::from_utf8_lossy(&out.stdout);
    assert!(
        said.starts_with(&format!("seira {} (commit ", env!("CARGO_PKG_VERSION"))),
        "{said}"
    );
}

#[test]
fn the_server_names_the_cause_when_it_cannot_start() {
    let out = seira(&["server", "--db", "/nonexistent/dir/seira.db"]);
    assert!(!out.status.success());
    assert!(
        String::from_utf8_lossy(&out.stderr)
            .contains("cannot open the database /nonexistent/dir/seira.db")
    );
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("x.db");
    let busy = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
    let addr = busy.local_addr().unwrap().to_string();
    let out = seira(&["server", "--db", db.to_str().unwrap(), "--listen", &addr]);
    assert!(!out.status.success());
    assert!(String::from_utf8_lossy(&out.stderr).contains(&format!("cannot listen on {addr}")));
}

#[test]
fn users_are_added_with_a_password_from_stdin() {
    use std::io::Write;
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("seira.db");
    let add = |name: &str, password: &str, extra: &[&str]| {
        let mut child = Command::new(SEIRA)
            .args(["user", "add", name, "--db", db.to_str().unwrap()])
            .args(extra)
            .stdin(Stdio::piped())
            .stdout(Stdio::piped())
            .stderr(Stdio::piped())
            .spawn()
            .unwrap();
        writeln!(child.stdin.take().unwrap(), "{password}").unwrap();
        child.wait_with_output().unwrap()
    };
    let ok = add(
        "maria",
        "ένας μακρύς κωδικός",
        &["--role", "staff", "--desk", "chania-1"],
    );
    assert!(
        ok.status.success(),
        "{}",
        String::from_utf8_lossy(&ok.stderr)
    );
    let short = add("nikos", "short", &["--role", "staff", "--site", "chania"]);
    assert!(!short.status.success());
    assert!(String::from_utf8_lossy(&short.stderr).contains("at least 12 characters"));
    let twice = add(
        "maria",
        "ένας μακρύς κωδικός",
        &["--role", "staff", "--site", "chania"],
    );
    assert!(String::from_utf8_lossy(&twice.stderr).contains("there is a user `maria` already"));
    let kiosk = add(
        "box",
        "ένας μακρύς κωδικός",
        &["--role", "kiosk", "--site", "chania"],
    );
    assert!(String::from_utf8_lossy(&kiosk.stderr).contains("not a role of people"));
    let list = seira(&["user", "list", "--db", db.to_str().unwrap()]);
    let list = String::from_utf8_lossy(&list.stdout);
    assert!(
        list.contains("maria") && list.contains("chania-1") && list.contains("active"),
        "{list}"
    );
    assert!(!list.contains("nikos"));
}

#[test]
fn print_test_prints_and_previews_greek_arabic_and_farsi_tickets() {
    use seira_hardware::reader::{self, Element};
    let dir = tempfile::tempdir().unwrap();
    let docs = std::env::var_os("SEIRA_UPDATE_SCREENSHOTS")
        .map(|_| std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("docs/tickets"));
    for lang in ["el", "ar", "fa"] {
        let png = dir.path().join(format!("ticket-{lang}.png"));
        let bin = dir.path().join(format!("ticket-{lang}.bin"));
        let out = seira(&[
            "print-test",
            "--lang",
            lang,
            "--profile",
            "generic-58",
            "--preview",
            png.to_str().unwrap(),
            "--printer",
            &format!("file:{}", bin.display()),
        ]);
        assert!(
            out.status.success(),
            "{}",
            String::from_utf8_lossy(&out.stderr)
        );
        assert!(
            std::fs::read(&png).unwrap().starts_with(b"\x89PNG"),
            "{lang}: a PNG"
        );
        let bytes = std::fs::read(&bin).unwrap();
        let profile = seira_hardware::Profile::named("generic-58").unwrap();
        let elements = reader::read(&bytes, profile.greek_pages).unwrap();
        assert!(
            elements.iter().any(|e| *e == Element::Text("A012".into())),
            "{lang}"
        );
        let images = elements
            .iter()
            .filter(|e| matches!(e, Element::Raster { .. }))
            .count();
        assert_eq!(
            images > 0,
            lang != "el",
            "{lang}: only scripts without a code page are images"
        );
        if let Some(docs) = &docs {
            std::fs::create_dir_all(docs).unwrap();
            std::fs::copy(&png, docs.join(format!("ticket-{lang}.png"))).unwrap();
        }
    }
    let bad = seira(&["print-test", "--printer", "lpt1"]);
    assert!(!bad.status.success());
    assert!(String::from_utf8_lossy(&bad.stderr).contains("say serial:, usb:, tcp: or file:"));
    let nothing = seira(&["print-test"]);
    assert!(String::from_utf8_lossy(&nothing.stderr).contains("say --printer, --preview, or both"));
}

#[test]
fn the_kiosk_refuses_languages_it_has_no_texts_for() {
    let out = seira(&[
        "kiosk",
        "--server",
        "http://127.0.0.1:9",
        "--token",
        "t",
        "--languages",
        "el,ro",
    ]);
    assert!(!out.status.success());
    assert!(String::from_utf8_lossy(&out.stderr).contains("no texts in `ro`"));
}

/// An X server of its own for a test (Xvfb, no GPU: the display draws through Mesa's
/// software Vulkan); stopped when dropped.
struct Xvfb {
    child: Child,
    display: String,
}

impl Drop for Xvfb {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

fn xvfb(width: u32, height: u32) -> Xvfb {
    let mut child = Command::new("Xvfb")
        .args(["-displayfd", "1", "-nolisten", "tcp", "-screen", "0"])
        .arg(format!("{width}x{height}x24"))
        .stdout(Stdio::piped())
        .stderr(Stdio::null())
        .spawn()
        .expect("Xvfb runs (apt: xvfb)");
    let mut number = String::new();
    BufReader::new(child.stdout.take().unwrap())
        .read_line(&mut number)
        .unwrap();
    Xvfb {
        child,
        display: format!(":{}", number.trim()),
    }
}

/// Calls the next ticket at `desk` over the API.
async fn call_next(http: &reqwest::Client, base: &str, token: &str, desk: &str) -> Value {
    let response = http
        .post(format!("{base}/api/v1/desks/{desk}/call-next"))
        .bearer_auth(token)
        .send()
        .await
        .unwrap();
    let status = response.status();
    let body: Value = response.json().await.unwrap();
    assert_eq!(status, 200, "{body}");
    body
}

/// `seira display` in a 1280×720 window on `x`, for Chania, its calls spoken to WAV files in
/// `sound`; returns once it follows the site's events.
fn start_display(x: &Xvfb, server: &ServerProcess, token: &str, sound: &Path) -> Child {
    let mut display = Command::new(SEIRA)
        .args(["display", "--windowed", "--size", "1280x720", "--server"])
        .arg(&server.base)
        .args(["--token", token, "--sound"])
        .arg(format!("files:{}", sound.display()))
        .env("DISPLAY", &x.display)
        .env("RUST_LOG", "info")
        .stdout(Stdio::null())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    let mut lines = BufReader::new(display.stderr.take().unwrap()).lines();
    for line in lines.by_ref() {
        let line = line.expect("the display logs that it follows the site");
        if line.contains("display feed: following chania") {
            break;
        }
    }
    std::thread::spawn(move || for _ in lines {});
    display
}

/// The words of the display's `n`th announcement in its `--sound files:` directory, once
/// it is there (the display writes each file whole).
fn announcement(sound: &Path, n: usize) -> String {
    let words = sound.join(format!("{n:04}.txt"));
    let started = std::time::Instant::now();
    while !words.exists() {
        assert!(
            started.elapsed() < std::time::Duration::from_secs(60),
            "announcement {n} was not made"
        );
        std::thread::sleep(std::time::Duration::from_millis(100));
    }
    std::fs::read_to_string(&words).unwrap()
}

/// `seira display --screenshot` of the board at `size` (with `extra` arguments) into
/// target/screenshots/{name}.png, and into docs/screenshots with SEIRA_UPDATE_SCREENSHOTS;
/// returns the picture.
fn display_screenshot(
    x: &Xvfb,
    base: &str,
    token: &str,
    name: &str,
    size: &str,
    extra: &[&str],
) -> std::path::PathBuf {
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    let picture = root.join(format!("target/screenshots/{name}.png"));
    std::fs::create_dir_all(picture.parent().unwrap()).unwrap();
    let out = Command::new(SEIRA)
        .args(["display", "--size", size, "--sound", "none"])
        .args(extra)
        .args(["--server", base, "--token", token, "--screenshot"])
        .arg(&picture)
        .env("DISPLAY", &x.display)
        .env("RUST_LOG", "warn")
        .output()
        .unwrap();
    assert!(
        out.status.success(),
        "{name}: {}",
        String::from_utf8_lossy(&out.stderr)
    );
    if std::env::var_os("SEIRA_UPDATE_SCREENSHOTS").is_some() {
        std::fs::copy(&picture, root.join(format!("docs/screenshots/{name}.png"))).unwrap();
    }
    picture
}

/// Fraction of pixels that differ clearly between two screenshots of the same size.
fn pixels_differing(a: &Path, b: &Path) -> f64 {
    let read = |path: &Path| {
        let decoder = png::Decoder::new(BufReader::new(std::fs::File::open(path).unwrap()));
        let mut reader = decoder.read_info().unwrap();
        let mut buffer = vec![0; reader.output_buffer_size().unwrap()];
        let info = reader.next_frame(&mut buffer).unwrap();
        buffer.truncate(info.buffer_size());
        (info.width, info.height, info.color_type.samples(), buffer)
    };
    let (wa, ha, sa, a) = read(a);
    let (wb, hb, sb, b) = read(b);
    assert_eq!((wa, ha, sa), (wb, hb, sb), "screenshots of one size");
    let differing = a
        .chunks(sa)
        .zip(b.chunks(sb))
        .filter(|(p, q)| p.iter().zip(q.iter()).any(|(x, y)| x.abs_diff(*y) > 48))
        .count();
    differing as f64 / f64::from(wa * ha)
}

/// The lobby display as it runs in a centre: a real window (Xvfb), fed by a real server,
/// speaking each call (to WAV files here: there is no sound card), and pictured in
/// landscape and portrait. The pictures are compared with the kept ones in
/// docs/screenshots (only the clock, date and ticker may differ), and looked at.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_lobby_display_shows_and_speaks_every_call_in_a_real_window() {
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("seira.db");
    let server = start_server(&db);
    let kiosk = token(&db, &["--device", "chania-kiosk"]);
    let display = token(&db, &["--device", "chania-display"]);
    let staff = token(&db, &["--role", "staff", "--desk", "chania-1"]);
    let http = reqwest::Client::new();
    for (i, service) in ["benefits", "benefits", "psychosocial", "benefits"]
        .iter()
        .enumerate()
    {
        let response = http
            .post(format!("{}/api/v1/sites/chania/tickets", server.base))
            .bearer_auth(&kiosk)
            .json(&json!({"service": service, "request_id": format!("display-{i}")}))
            .send()
            .await
            .unwrap();
        assert_eq!(response.status(), 201);
    }
    let opened = http
        .post(format!("{}/api/v1/desks/chania-1/open", server.base))
        .bearer_auth(&staff)
        .send()
        .await
        .unwrap();
    assert!(opened.status().is_success());
    let first = call_next(&http, &server.base, &staff, "chania-1").await;

    let x = xvfb(1920, 1920);
    let sound = dir.path().join("sound");
    let mut running = start_display(&x, &server, &display, &sound);

    // A call made while the display runs is spoken, after the chime, in Greek then English.
    // (The call made before it started is on the board, not announced: it is old news.)
    for step in ["start", "done"] {
        let response = http
            .post(format!(
                "{}/api/v1/tickets/{}/{step}",
                server.base,
                first["id"].as_str().unwrap()
            ))
            .bearer_auth(&staff)
            .send()
            .await
            .unwrap();
        assert_eq!(response.status(), 200);
    }
    let second = call_next(&http, &server.base, &staff, "chania-1").await;
    assert_eq!(second["number"], "A002");
    assert_eq!(
        announcement(&sound, 1),
        "Ο αριθμός άλφα δύο, στο Γραφείο ένα.\nNumber A two, please go to Office one.\n"
    );
    let wav = std::fs::metadata(sound.join("0001.wav")).unwrap().len();
    assert!(wav > 100_000, "chime and speech, {wav} bytes");
    assert!(
        !sound.join("0002.txt").exists(),
        "one call, one announcement"
    );
    let _ = running.kill();
    let _ = running.wait();

    // Pictures of the board, landscape and portrait.
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    for (name, size) in [
        ("display-landscape", "1920x1080"),
        ("display-portrait", "1080x1920"),
    ] {
        let picture = display_screenshot(&x, &server.base, &display, name, size, &[]);
        let kept = root.join(format!("docs/screenshots/{name}.png"));
        let differing = pixels_differing(&picture, &kept);
        eprintln!("{name}: {:.2} % of the pixels differ", differing * 100.0);
        assert!(
            differing < 0.03,
            "{name}: {:.1} % of the pixels differ from docs/screenshots",
            differing * 100.0
        );
    }
}

/// One request with a token; the status and the JSON answer (null when none).
async fn send(
    http: &reqwest::Client,
    method: reqwest::Method,
    url: String,
    token: &str,
    body: Option<Value>,
) -> (u16, Value) {
    let mut request = http.request(method, url).bearer_auth(token);
    if let Some(body) = body {
        request = request.json(&body);
    }
    let response = request.send().await.unwrap();
    let status = response.status().as_u16();
    let text = response.text().await.unwrap();
    (status, serde_json::from_str(&text).unwrap_or(Value::Null))
}

/// The share of a screenshot's pixels near `colour`, in the band of rows `rows`.
fn colour_share(path: &Path, rows: std::ops::Range<f64>, colour: [u8; 3]) -> f64 {
    let decoder = png::Decoder::new(BufReader::new(std::fs::File::open(path).unwrap()));
    let mut reader = decoder.read_info().unwrap();
    let mut buffer = vec![0; reader.output_buffer_size().unwrap()];
    let info = reader.next_frame(&mut buffer).unwrap();
    let samples = info.color_type.samples();
    let (width, height) = (info.width as usize, info.height as usize);
    let (first, last) = (
        (rows.start * height as f64) as usize,
        (rows.end * height as f64) as usize,
    );
    let mut near = 0;
    for y in first..last {
        for x in 0..width {
            let p = &buffer[(y * width + x) * samples..][..3];
            if p.iter().zip(colour).all(|(a, b)| a.abs_diff(b) <= 12) {
                near += 1;
            }
        }
    }
    near as f64 / ((last - first) * width).max(1) as f64
}

/// The worst hour at the biggest centre, scripted: Chios with its Roma branch, tickets for
/// every service of both sites, ten calls in a row, a transfer that keeps its place, a
/// no-show undone, done-and-next, an admin adding a service in six languages; and the lobby
/// screen, filled with it, pictured at 720p, 1080p, 4K and portrait (each looked at).
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_real_day_at_the_biggest_centre() {
    use reqwest::Method;
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    let config = root.join("examples/chios.toml");
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("seira.db");
    let server = start_server_with(&db, Some(&config));
    let base = server.base.clone();
    let cfg = ["--config", config.to_str().unwrap()];
    fn with<'a>(cfg: &[&'a str], args: &[&'a str]) -> Vec<&'a str> {
        [cfg, args].concat()
    }
    let kiosk = token(&db, &with(&cfg, &["--device", "chios-kiosk"]));
    let roma_kiosk = token(&db, &with(&cfg, &["--device", "chios-roma-kiosk"]));
    let display = token(&db, &with(&cfg, &["--device", "chios-display"]));
    let admin = token(&db, &with(&cfg, &["--role", "admin"]));
    let http = reqwest::Client::new();

    // The morning queue: three tickets for each of the seven services, one for each of the
    // branch's four, one in five with a priority.
    let services = [
        "benefits",
        "referrals",
        "employment",
        "psychosocial",
        "learning",
        "health",
        "mediation",
    ];
    let mut issued = Vec::new();
    for round in 0..3 {
        for (i, service) in services.iter().enumerate() {
            let priority = ((round * 7 + i) % 5 == 0).then_some("elderly");
            let (status, ticket) = send(
                &http,
                Method::POST,
                format!("{base}/api/v1/sites/chios/tickets"),
                &kiosk,
                Some(
                    json!({"service": service, "priority": priority, "lang": "el",
                    "request_id": format!("chios-{round}-{i}")}),
                ),
            )
            .await;
            assert_eq!(status, 201, "{ticket}");
            issued.push(ticket);
        }
    }
    for service in ["mediation", "benefits", "employment", "learning"] {
        let (status, ticket) = send(
            &http,
            Method::POST,
            format!("{base}/api/v1/sites/chios-roma/tickets"),
            &roma_kiosk,
            Some(
                json!({"service": service, "lang": "ar", "request_id": format!("roma-{service}")}),
            ),
        )
        .await;
        assert_eq!(status, 201, "{ticket}");
    }
    // The first ticket of a service with nobody ahead says so: no "about 0 minutes".
    assert_eq!(issued[0]["position"], 0);

    // Every desk opens; ten calls in a row, with done-and-next once a citizen is served.
    let desks = [
        "chios-1", "chios-2", "chios-3", "chios-4", "chios-5", "chios-6", "chios-7", "chios-8",
    ];
    for desk in desks {
        let (status, body) = send(
            &http,
            Method::POST,
            format!("{base}/api/v1/desks/{desk}/open"),
            &admin,
            None,
        )
        .await;
        assert_eq!(status, 200, "{body}");
    }
    let mut called = Vec::new();
    for desk in desks {
        let (status, ticket) = send(
            &http,
            Method::POST,
            format!("{base}/api/v1/desks/{desk}/call-next"),
            &admin,
            None,
        )
        .await;
        assert_eq!(status, 200, "{desk}: {ticket}");
        called.push(ticket);
    }
    // A transfer that keeps the citizen's place: from Office 1 to the psychologist.
    let first = called[0].clone();
    let id = first["id"].as_str().unwrap();
    send(
        &http,
        Method::POST,
        format!("{base}/api/v1/tickets/{id}/start"),
        &admin,
        None,
    )
    .await;
    let (status, step) = send(
        &http,
        Method::POST,
        format!("{base}/api/v1/tickets/{id}/transfer"),
        &admin,
        Some(json!({"service": "psychosocial", "note": "πρώτη επίσκεψη"})),
    )
    .await;
    assert_eq!(status, 200, "{step}");
    // Issued first of the morning, it keeps the first place in the psychologist's line
    // (the desk's list still mixes priority and ordinary tickets by the calling order).
    let paper = first["id"].as_str().unwrap();
    let (_, track) = send(
        &http,
        Method::GET,
        format!("{base}/api/v1/tickets/{paper}/track"),
        &kiosk,
        None,
    )
    .await;
    assert_eq!(
        (track["service"].as_str(), track["position"].as_u64()),
        (Some("psychosocial"), Some(0)),
        "{track}"
    );
    let (_, queue) = send(
        &http,
        Method::GET,
        format!("{base}/api/v1/desks/chios-4/queue"),
        &admin,
        None,
    )
    .await;
    let entry = queue["entries"]
        .as_array()
        .unwrap()
        .iter()
        .find(|e| e["ticket"]["id"] == step["id"])
        .unwrap();
    assert_eq!(entry["note"], "πρώτη επίσκεψη");
    // A no-show by mistake at Office 2, undone: back at the desk.
    let second = called[1]["id"].as_str().unwrap();
    let (status, _) = send(
        &http,
        Method::POST,
        format!("{base}/api/v1/tickets/{second}/no-show"),
        &admin,
        None,
    )
    .await;
    assert_eq!(status, 200);
    let (status, back) = send(
        &http,
        Method::POST,
        format!("{base}/api/v1/tickets/{second}/undo-no-show"),
        &admin,
        None,
    )
    .await;
    assert_eq!(
        (status, back["state"].as_str()),
        (200, Some("called")),
        "{back}"
    );
    // Done and next at Office 2, twice: ten calls in all.
    for _ in 0..2 {
        let (_, desk) = send(
            &http,
            Method::GET,
            format!("{base}/api/v1/sites/chios/desks"),
            &admin,
            None,
        )
        .await;
        let held = desk
            .as_array()
            .unwrap()
            .iter()
            .find(|d| d["id"] == "chios-2")
            .unwrap()["ticket"]["id"]
            .as_str()
            .unwrap()
            .to_owned();
        send(
            &http,
            Method::POST,
            format!("{base}/api/v1/tickets/{held}/start"),
            &admin,
            None,
        )
        .await;
        let (status, next) = send(
            &http,
            Method::POST,
            format!("{base}/api/v1/desks/chios-2/done-and-next"),
            &admin,
            None,
        )
        .await;
        assert_eq!(status, 200, "{next}");
        called.push(next);
    }
    let (_, board) = send(
        &http,
        Method::GET,
        format!("{base}/api/v1/sites/chios/board"),
        &display,
        None,
    )
    .await;
    assert_eq!(board["calls"].as_array().unwrap().len(), 10, "{board}");
    let numbers: HashSet<_> = board["calls"]
        .as_array()
        .unwrap()
        .iter()
        .map(|c| (c["number"].clone(), c["step"].clone()))
        .collect();
    assert_eq!(numbers.len(), 10, "no ticket called twice");

    // The admin adds a service with its name in all six kiosk languages.
    let (status, mut form) = send(
        &http,
        Method::GET,
        format!("{base}/api/v1/admin/sites/chios/settings"),
        &admin,
        None,
    )
    .await;
    assert_eq!(status, 200);
    form["settings"]["services"].as_array_mut().unwrap().push(json!({
        "id": "legal", "prefix": "N", "icon": "referrals", "target_wait_min": 30,
        "names": {"el": "Νομική συμβουλευτική", "en": "Legal advice", "ar": "الاستشارة القانونية",
                  "fa": "مشاوره حقوقی", "uk": "Юридична консультація", "sq": "Këshillim ligjor"}
    }));
    let (status, saved) = send(
        &http,
        Method::PUT,
        format!("{base}/api/v1/admin/sites/chios/settings"),
        &admin,
        Some(form),
    )
    .await;
    assert_eq!(status, 200, "{saved}");
    let (_, offered) = send(
        &http,
        Method::GET,
        format!("{base}/api/v1/sites/chios/services"),
        &kiosk,
        None,
    )
    .await;
    let legal = offered["services"]
        .as_array()
        .unwrap()
        .iter()
        .find(|s| s["id"] == "legal")
        .unwrap();
    assert_eq!(legal["names"]["ar"], "الاستشارة القانونية");

    // The lobby screen, filled, at every size: the newest call and the ticker always whole.
    let x = xvfb(3840, 3840);
    for (name, size) in [
        ("display-chios-720p", "1280x720"),
        ("display-chios-1080p", "1920x1080"),
        ("display-chios-4k", "3840x2160"),
        ("display-chios-portrait", "1080x1920"),
    ] {
        let picture = display_screenshot(&x, &base, &display, name, size, &["--site", "chios"]);
        // The ticker's band is the bottom of the screen: its dark navy fills the last rows.
        let ticker = colour_share(&picture, 0.985..1.0, [5, 18, 38]);
        assert!(
            ticker > 0.5,
            "{name}: the ticker is not at the bottom ({ticker:.2})"
        );
        // The newest call's amber card is on screen.
        let amber = colour_share(&picture, 0.0..1.0, [255, 204, 51]);
        assert!(amber > 0.03, "{name}: no headline card ({amber:.3})");
    }
}

/// Raises this process's open-file limit to at least `wanted` where the hard limit allows.
fn allow_open_files(wanted: u64) {
    let limits = std::fs::read_to_string("/proc/self/limits").unwrap_or_default();
    let line = limits.lines().find(|l| l.starts_with("Max open files"));
    let numbers: Vec<u64> = line
        .map(|l| {
            l.split_whitespace()
                .filter_map(|w| w.parse().ok())
                .collect()
        })
        .unwrap_or_default();
    if let [soft, hard, ..] = numbers[..]
        && soft < wanted
        && hard >= wanted
    {
        let pid = std::process::id().to_string();
        let value = format!("--nofile={wanted}:{hard}");
        let _ = Command::new("prlimit")
            .args(["--pid", &pid, &value])
            .status();
    }
}

/// 1,100 connections that send nothing (or half a request) from one address, against a
/// server limited to 1,024 descriptors: the centre's own devices are still answered.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn idle_connections_do_not_starve_the_devices() {
    allow_open_files(4096);
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("seira.db");
    let mut limited = Command::new("prlimit");
    limited.args(["--nofile=1024:1024", "--", SEIRA]);
    let server = launch(limited, &db, &[]);
    let kiosk = token(&db, &["--device", "chania-kiosk"]);
    let addr: std::net::SocketAddr = server.base.trim_start_matches("http://").parse().unwrap();
    let mut idle = Vec::new();
    for i in 0..1100 {
        let socket = tokio::net::TcpSocket::new_v4().unwrap();
        socket.bind("127.0.0.2:0".parse().unwrap()).unwrap();
        let Ok(mut stream) = socket.connect(addr).await else {
            continue;
        };
        if i % 2 == 0 {
            use tokio::io::AsyncWriteExt;
            // Half a request, never finished.
            let _ = stream
                .write_all(b"GET /healthz HTTP/1.1\r\nHost: x\r\n")
                .await;
        }
        idle.push(stream);
    }
    assert!(
        idle.len() > 1000,
        "the attacker holds {} connections",
        idle.len()
    );
    let http = reqwest::Client::builder()
        .timeout(std::time::Duration::from_secs(20))
        .build()
        .unwrap();
    for i in 0..5 {
        let response = http
            .post(format!("{}/api/v1/sites/chania/tickets", server.base))
            .bearer_auth(&kiosk)
            .json(&json!({"service": "benefits", "request_id": format!("during-attack-{i}")}))
            .send()
            .await
            .expect("the kiosk is answered during the attack");
        assert_eq!(response.status(), 201);
        let board = http
            .get(format!("{}/api/v1/sites/chania/board", server.base))
            .send()
            .await
            .expect("the lobby screen is answered during the attack");
        assert_eq!(board.status(), 200);
    }
    drop(idle);
}

/// What one attacking socket does after it connects.
#[derive(Clone, Copy)]
enum Hold {
    /// Nothing at all.
    Silent,
    /// A request head, a byte every few seconds, never finished.
    Drip,
    /// Half a request head, then nothing.
    HalfHead,
    /// The HTTP/2 preface, then nothing.
    Http2Preface,
}

/// Holds `count` connections from `from` to `to` until `stop`, each behaving as `kinds` says
/// in turn, and opens each again a second after the server closes it (as an attacker would).
async fn hold_connections(
    from: std::net::IpAddr,
    to: std::net::SocketAddr,
    count: usize,
    stop: Arc<AtomicBool>,
    held: Arc<std::sync::atomic::AtomicUsize>,
) {
    use tokio::io::{AsyncReadExt, AsyncWriteExt};
    let kinds = [Hold::Silent, Hold::Drip, Hold::HalfHead, Hold::Http2Preface];
    let mut sockets = Vec::new();
    for i in 0..count {
        let kind = kinds[i % kinds.len()];
        let (stop, held) = (stop.clone(), held.clone());
        sockets.push(tokio::spawn(async move {
            while !stop.load(Ordering::SeqCst) {
                let socket = tokio::net::TcpSocket::new_v4().unwrap();
                socket.bind(std::net::SocketAddr::new(from, 0)).unwrap();
                let Ok(mut stream) = socket.connect(to).await else {
                    tokio::time::sleep(std::time::Duration::from_secs(1)).await;
                    continue;
                };
                held.fetch_add(1, Ordering::SeqCst);
                let _ = match kind {
                    Hold::Silent => Ok(()),
                    Hold::Drip => stream.write_all(b"GET /healthz HTTP/1.1\r\nX-Slow: ").await,
                    Hold::HalfHead => stream.write_all(b"GET /healthz HTTP/1.1\r\nHost: x\r\n").await,
                    Hold::Http2Preface => stream.write_all(b"PRI * HTTP/2.0\r\n\r\nSM\r\n\r\n").await,
                };
                // Held until the server closes it (or it is dropped at the end).
                let mut buf = [0u8; 256];
                loop {
                    if stop.load(Ordering::SeqCst) {
                        break;
                    }
                    let tick = tokio::time::sleep(std::time::Duration::from_secs(3));
                    tokio::select! {
                        read = stream.read(&mut buf) => match read {
                            Ok(0) | Err(_) => break,
                            Ok(_) => {}
                        },
                        () = tick => if matches!(kind, Hold::Drip) && stream.write_all(b"a").await.is_err() {
                            break;
                        },
                    }
                }
                held.fetch_sub(1, Ordering::SeqCst);
                tokio::time::sleep(std::time::Duration::from_secs(1)).await;
            }
        }));
    }
    for socket in sockets {
        let _ = socket.await;
    }
}

/// Three hosts on the LAN hold 300 connections each — silent, dripping a header, half a
/// head, an HTTP/2 preface — for a minute, more than the server's 768 places, opening each
/// again as soon as it is closed; a kiosk on a fourth address takes a ticket every 100 ms,
/// each over a new connection. Every one is answered.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_minute_of_silent_connections_from_three_hosts_leaves_every_kiosk_ticket_answered() {
    allow_open_files(8192);
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("seira.db");
    let server = start_server(&db);
    let kiosk = token(&db, &["--device", "chania-kiosk"]);
    let addr: std::net::SocketAddr = server.base.trim_start_matches("http://").parse().unwrap();
    let stop = Arc::new(AtomicBool::new(false));
    let held = Arc::new(std::sync::atomic::AtomicUsize::new(0));
    let attackers: Vec<_> = ["127.0.0.2", "127.0.0.3", "127.0.0.4"]
        .into_iter()
        .map(|from| {
            tokio::spawn(hold_connections(
                from.parse().unwrap(),
                addr,
                300,
                stop.clone(),
                held.clone(),
            ))
        })
        .collect();
    // The room holds 768; the attackers' 900 keep it full, each place they lose taken again
    // a second later (so a few are always between a close and a reconnect).
    while held.load(Ordering::SeqCst) < 700 {
        tokio::time::sleep(std::time::Duration::from_millis(50)).await;
    }
    // A kiosk that opens a new connection for every ticket: each must find a place.
    let http = reqwest::Client::builder()
        .local_address("127.0.0.5".parse::<std::net::IpAddr>().unwrap())
        .pool_max_idle_per_host(0)
        .timeout(std::time::Duration::from_secs(20))
        .build()
        .unwrap();
    let began = std::time::Instant::now();
    let mut issued = 0;
    let mut numbers = HashSet::new();
    let mut most_held = 0;
    while began.elapsed() < std::time::Duration::from_secs(60) {
        let response = http
            .post(format!("{}/api/v1/sites/chania/tickets", server.base))
            .bearer_auth(&kiosk)
            .json(&json!({"service": "benefits", "request_id": format!("attack-{issued}")}))
            .send()
            .await
            .unwrap_or_else(|e| panic!("ticket {issued} unanswered during the attack: {e}"));
        assert_eq!(response.status(), 201, "ticket {issued}");
        let ticket: Value = response.json().await.unwrap();
        numbers.insert(ticket["number"].as_str().unwrap().to_owned());
        issued += 1;
        most_held = most_held.max(held.load(Ordering::SeqCst));
        tokio::time::sleep(std::time::Duration::from_millis(100)).await;
    }
    stop.store(true, Ordering::SeqCst);
    for attacker in attackers {
        attacker.await.unwrap();
    }
    // How many depends on the machine's load; that each was answered is what counts.
    eprintln!("{issued} tickets issued during the attack");
    assert!(
        most_held >= 700,
        "the attackers held {most_held} connections at most: the room was not full"
    );
    assert_eq!(numbers.len(), issued, "every ticket numbered once");
}

/// A backup taken while kiosks issue as fast as they can holds every ticket acknowledged
/// before it began; a restore is refused while the server runs, and after a kill -9 it puts
/// the backup back (the replaced file kept aside) and the server starts on it.
#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn a_backup_under_load_restores_every_ticket_acknowledged_before_it() {
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("seira.db");
    let server = start_server(&db);
    let kiosk = token(&db, &["--device", "chania-kiosk"]);
    let http = reqwest::Client::new();
    let stop = Arc::new(AtomicBool::new(false));
    // (request id, ticket id, acknowledged at)
    let acked = Arc::new(std::sync::Mutex::new(
        Vec::<(String, std::time::Instant)>::new(),
    ));
    let mut kiosks = Vec::new();
    for k in 0..4 {
        let (http, kiosk, base) = (http.clone(), kiosk.clone(), server.base.clone());
        let (stop, acked) = (stop.clone(), acked.clone());
        kiosks.push(tokio::spawn(async move {
            let mut i = 0;
            while !stop.load(Ordering::SeqCst) {
                i += 1;
                let r = http
                    .post(format!("{base}/api/v1/sites/chania/tickets"))
                    .bearer_auth(&kiosk)
                    .json(&json!({"service": "benefits", "request_id": format!("b{k}-{i}")}))
                    .send()
                    .await;
                match r {
                    Ok(r) if r.status() == 201 => {
                        let body: Value = r.json().await.unwrap();
                        let id = body["id"].as_str().unwrap().to_owned();
                        acked.lock().unwrap().push((id, std::time::Instant::now()));
                    }
                    _ => break,
                }
            }
        }));
    }
    while acked.lock().unwrap().len() < 200 {
        tokio::time::sleep(std::time::Duration::from_millis(20)).await;
    }
    let began = std::time::Instant::now();
    let backups = dir.path().join("backups");
    let out = seira(&[
        "backup",
        "--db",
        db.to_str().unwrap(),
        "--to",
        backups.to_str().unwrap(),
    ]);
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let file = String::from_utf8(out.stdout).unwrap().trim().to_owned();
    assert!(std::path::Path::new(&file).exists(), "{file}");
    tokio::time::sleep(std::time::Duration::from_millis(300)).await;
    stop.store(true, Ordering::SeqCst);
    for k in kiosks {
        k.await.unwrap();
    }
    let before: Vec<String> = acked
        .lock()
        .unwrap()
        .iter()
        .filter(|(_, at)| *at < began)
        .map(|(id, _)| id.clone())
        .collect();
    let after = acked.lock().unwrap().len() - before.len();
    assert!(after > 0, "the kiosks went on issuing during the backup");

    // What IT sees: the server up, the kiosk that reported, the disk, this backup.
    let heartbeat = http
        .post(format!(
            "{}/api/v1/sites/chania/devices/heartbeat",
            server.base
        ))
        .bearer_auth(&kiosk)
        .json(&json!({"printer": "paper_out"}))
        .send()
        .await
        .unwrap();
    assert!(heartbeat.status().is_success());
    let out = seira(&[
        "status",
        "--db",
        db.to_str().unwrap(),
        "--backups",
        backups.to_str().unwrap(),
    ]);
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let status = String::from_utf8_lossy(&out.stdout);
    for expected in [
        "server:    running on this database",
        "disk:      ",
        &format!("backup:    {file}"),
        "device:    chania-kiosk at chania: online",
        "printer paper_out",
    ] {
        assert!(status.contains(expected), "`{expected}` in\n{status}");
    }

    // While the server runs, no restore.
    let out = seira(&["restore", &file, "--db", db.to_str().unwrap()]);
    assert!(!out.status.success());
    let said = String::from_utf8_lossy(&out.stderr);
    assert!(said.contains("a seira server runs on"), "{said}");

    // It dies; the backup goes back; the server starts on it with every ticket of before.
    assert!(
        Command::new("kill")
            .args(["-9", &server.child.id().to_string()])
            .status()
            .unwrap()
            .success()
    );
    drop(server);
    let out = seira(&["status", "--db", db.to_str().unwrap()]);
    assert!(String::from_utf8_lossy(&out.stdout).contains("server:    NOT running"));
    let out = seira(&["restore", &file, "--db", db.to_str().unwrap()]);
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let kept_aside = std::fs::read_dir(dir.path())
        .unwrap()
        .filter_map(|e| e.ok())
        .any(|e| e.file_name().to_string_lossy().contains("before-restore"));
    assert!(kept_aside, "the replaced database is kept");
    let server = start_server(&db);
    for id in &before {
        let r = http
            .get(format!("{}/api/v1/tickets/{id}/track", server.base))
            .send()
            .await
            .unwrap();
        assert_eq!(
            r.status(),
            200,
            "ticket {id}, acknowledged before the backup, is in it"
        );
    }
}

/// `seira setup` without a terminal: flags and the password on stdin. The centre is renamed
/// through the engine, the admin signs in, and the printed device tokens are accepted by a
/// server on the same database; a kiosk's file with them passes `seira kiosk --check`.
#[test]
fn setup_names_the_centre_adds_the_admin_and_prints_working_device_settings() {
    use std::io::Write;
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("seira.db");
    let mut child = Command::new(SEIRA)
        .args(["setup", "--db", db.to_str().unwrap()])
        .args([
            "--name",
            "Κέντρο Κοινότητας Δήμου Δοκιμής",
            "--admin",
            "eleni",
        ])
        .args(["--address", "http://10.0.0.2:8080/"])
        .env("RUST_LOG", "warn")
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    writeln!(child.stdin.take().unwrap(), "a long enough password").unwrap();
    let out = child.wait_with_output().unwrap();
    let stdout = String::from_utf8_lossy(&out.stdout).to_string();
    assert!(
        out.status.success(),
        "{stdout}{}",
        String::from_utf8_lossy(&out.stderr)
    );
    assert!(stdout.contains("admin `eleni` added"), "{stdout}");
    assert!(stdout.contains("http://10.0.0.2:8080/desk"), "{stdout}");
    // A block per site and device: Chania and Souda, kiosk and display.
    let tokens: Vec<&str> = stdout
        .lines()
        .filter_map(|l| l.trim().strip_prefix("token = \""))
        .map(|t| t.trim_end_matches('"'))
        .collect();
    assert_eq!(tokens.len(), 4, "{stdout}");
    let kiosk_block = stdout
        .split("The kiosk of chania")
        .nth(1)
        .expect("a block for Chania's kiosk");
    let kiosk_token = kiosk_block
        .lines()
        .find_map(|l| l.trim().strip_prefix("token = \""))
        .unwrap()
        .trim_end_matches('"');

    let server = start_server(&db);
    let http = reqwest::blocking::Client::builder()
        .redirect(reqwest::redirect::Policy::none())
        .build()
        .unwrap();
    let services: serde_json::Value = http
        .get(format!("{}/api/v1/sites/chania/services", server.base))
        .bearer_auth(kiosk_token)
        .send()
        .unwrap()
        .json()
        .unwrap();
    assert_eq!(
        services["site_names"]["el"], "Κέντρο Κοινότητας Δήμου Δοκιμής",
        "{services}"
    );
    let signed_in = http
        .post(format!("{}/login", server.base))
        .header("Content-Type", "application/x-www-form-urlencoded")
        .body("username=eleni&password=a+long+enough+password")
        .send()
        .unwrap();
    assert_eq!(signed_in.status(), reqwest::StatusCode::SEE_OTHER);
    // Signed in: a session, and the way to the pages (which send an admin to /admin).
    assert!(signed_in.headers().contains_key("set-cookie"));
    assert_eq!(signed_in.headers()["location"], "/");

    // The kiosk's file, as the package installs it with the printed lines filled in.
    let file = dir.path().join("kiosk.toml");
    let installed = std::fs::read_to_string(
        std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("packaging/kiosk.toml"),
    )
    .unwrap();
    std::fs::write(
        &file,
        installed
            .replace("token = \"\"", &format!("token = \"{kiosk_token}\""))
            .replace("http://10.0.0.2:8080", &server.base),
    )
    .unwrap();
    let check = seira(&["kiosk", "--config", file.to_str().unwrap(), "--check"]);
    let said = String::from_utf8_lossy(&check.stdout);
    assert!(
        check.status.success(),
        "{}",
        String::from_utf8_lossy(&check.stderr)
    );
    assert!(
        said.contains(&server.base)
            && said.contains("site      chania")
            && said.contains("keys      every press counts"),
        "{said}"
    );
    // Without a token the kiosk says where to put one, before any window opens.
    std::fs::write(&file, installed).unwrap();
    let refused = seira(&["kiosk", "--config", file.to_str().unwrap(), "--check"]);
    assert!(!refused.status.success());
    assert!(
        String::from_utf8_lossy(&refused.stderr).contains("no token"),
        "{}",
        String::from_utf8_lossy(&refused.stderr)
    );
    // A flag wins over the file.
    let flagged = seira(&[
        "kiosk",
        "--config",
        file.to_str().unwrap(),
        "--token",
        "x",
        "--site",
        "souda",
        "--double-strike-ms",
        "500",
        "--check",
    ]);
    let said = String::from_utf8_lossy(&flagged.stdout);
    assert!(
        said.contains("site      souda") && said.contains("within 500 ms counts once"),
        "{said}"
    );
    let out_of_range = seira(&[
        "kiosk",
        "--config",
        file.to_str().unwrap(),
        "--token",
        "x",
        "--double-strike-ms",
        "5000",
        "--check",
    ]);
    assert!(
        String::from_utf8_lossy(&out_of_range.stderr).contains("between 0 and 2000"),
        "{}",
        String::from_utf8_lossy(&out_of_range.stderr)
    );
}

/// A token's scope is checked against the configuration the database holds (here Chios,
/// seeded by its server), not the embedded Chania one.
#[test]
fn tokens_are_scoped_by_the_databases_configuration() {
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("seira.db");
    let chios = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("examples/chios.toml");
    drop(start_server_with(&db, Some(&chios)));
    let site = seira_server::config::Config::load(&chios).unwrap().sites[0]
        .id
        .clone();
    token(&db, &["--role", "kiosk", "--site", &site]);
    let chania = seira(&[
        "token",
        "create",
        "--db",
        db.to_str().unwrap(),
        "--role",
        "kiosk",
        "--site",
        "chania",
    ]);
    assert!(
        !chania.status.success(),
        "chania is not a site of this database"
    );
}

/// `seira server --tls-lan` makes its certificate beside the database and speaks https;
/// `seira setup` gives each device the fingerprint, and a device that pins it is served.
#[tokio::test]
async fn a_server_with_its_lan_certificate_gives_the_devices_its_fingerprint() {
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("seira.db");
    let server = launch(Command::new(SEIRA), &db, &["--tls-lan".as_ref()]);
    assert!(server.base.starts_with("https://"), "{}", server.base);
    assert!(dir.path().join("tls/seira.crt").exists());
    let setup = seira(&[
        "setup",
        "--db",
        db.to_str().unwrap(),
        "--address",
        &server.base,
    ]);
    let said = String::from_utf8_lossy(&setup.stdout).to_string();
    assert!(
        setup.status.success(),
        "{}",
        String::from_utf8_lossy(&setup.stderr)
    );
    let block = said.split("The kiosk of chania").nth(1).unwrap();
    let line = |key: &str| {
        block
            .lines()
            .find_map(|l| l.trim().strip_prefix(&format!("{key} = \"")))
            .map(|v| v.trim_end_matches('"').to_owned())
            .unwrap_or_else(|| panic!("no {key} in {said}"))
    };
    let (token, fingerprint) = (line("token"), line("fingerprint"));
    let pin = seira_protocol::fingerprint::Fingerprint::parse(&fingerprint).unwrap();
    let kiosk =
        seira_protocol::client::Client::pinned(&server.base, Some(token.clone()), Some(pin))
            .unwrap();
    assert_eq!(kiosk.services("chania").await.unwrap().site, "chania");
    let check = seira(&[
        "kiosk",
        "--server",
        &server.base,
        "--token",
        &token,
        "--fingerprint",
        &fingerprint,
        "--check",
    ]);
    assert!(
        check.status.success(),
        "{}",
        String::from_utf8_lossy(&check.stderr)
    );
    let plain = server.base.replace("https://", "http://");
    let refused = seira(&[
        "kiosk",
        "--server",
        &plain,
        "--token",
        &token,
        "--fingerprint",
        &fingerprint,
        "--check",
    ]);
    assert!(String::from_utf8_lossy(&refused.stderr).contains("for an https:// server"));
    // The status names the certificate IT compares with the browsers' warning.
    let status = seira(&["status", "--db", db.to_str().unwrap()]);
    assert!(String::from_utf8_lossy(&status.stdout).contains(&fingerprint));
}

/// The last thing a kiosk or display said into its `files:` directory: (language, words) of
/// the newest `NNNN.txt`, once there are at least `count`.
fn said_in(dir: &Path, count: usize) -> Option<Vec<String>> {
    let mut names: Vec<_> = std::fs::read_dir(dir)
        .ok()?
        .filter_map(|e| e.ok())
        .map(|e| e.file_name().to_string_lossy().into_owned())
        .filter(|n| n.ends_with(".txt"))
        .collect();
    names.sort();
    if names.len() < count {
        return None;
    }
    let text = std::fs::read_to_string(dir.join(names.last()?)).ok()?;
    Some(text.lines().map(str::to_owned).collect())
}

/// Presses `key` in `window` on the X display (xdotool, as a USB keypad would).
fn key_press(x: &Xvfb, window: &str, key: &str) {
    let out = Command::new("xdotool")
        .args(["key", "--window", window, key])
        .env("DISPLAY", &x.display)
        .output()
        .expect("xdotool runs (apt: xdotool)");
    assert!(out.status.success(), "xdotool key {key}");
}

/// Presses `key` on the X display (xdotool, as a USB keypad would) and waits until the kiosk
/// has said something new; what it said, as (language, words).
fn press(x: &Xvfb, window: &str, said: &Path, key: &str) -> (String, String) {
    let before = std::fs::read_dir(said).map_or(0, |d| {
        d.filter(|e| {
            e.as_ref()
                .is_ok_and(|e| e.file_name().to_string_lossy().ends_with(".txt"))
        })
        .count()
    });
    key_press(x, window, key);
    let started = std::time::Instant::now();
    loop {
        if let Some(lines) = said_in(said, before + 1) {
            return (lines[0].clone(), lines[1..].join("\n"));
        }
        assert!(
            started.elapsed() < std::time::Duration::from_secs(20),
            "the kiosk said nothing after {key}"
        );
        std::thread::sleep(std::time::Duration::from_millis(50));
    }
}

/// A citizen who reads only Arabic and cannot see the screen, at a real kiosk window (Xvfb)
/// with a serial printer: a USB keypad alone (keys pressed by xdotool: arrows, the keypad's
/// 5, Enter), each step said aloud (to WAV files here), to a printed ticket taken in Arabic.
/// A desk calls it, and the lobby display says the call in Greek, then Arabic, then English.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_blind_arabic_speaker_takes_a_ticket_by_keypad_and_hears_it_called_in_arabic() {
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("seira.db");
    let server = start_server(&db);
    let kiosk_token = token(&db, &["--device", "chania-kiosk"]);
    let display = token(&db, &["--device", "chania-display"]);
    let staff = token(&db, &["--role", "staff", "--desk", "chania-1"]);
    let pty = seira_hardware::testing::Pty::new().expect("socat runs (apt: socat)");
    let paper = pty.printer(seira_hardware::testing::READY);
    let x = xvfb(1280, 1024);
    let said = dir.path().join("kiosk-said");
    let mut kiosk = Command::new(SEIRA)
        .args(["kiosk", "--windowed", "--server"])
        .arg(&server.base)
        .args(["--token", &kiosk_token, "--printer"])
        .arg(pty.spec())
        .arg("--sound")
        .arg(format!("files:{}", said.display()))
        .env("DISPLAY", &x.display)
        .env("RUST_LOG", "warn")
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .spawn()
        .unwrap();
    // The window, given the keyboard's focus (a kiosk has no other window).
    let started = std::time::Instant::now();
    let window = loop {
        let out = Command::new("xdotool")
            .args(["search", "--onlyvisible", "--name", "seira kiosk"])
            .env("DISPLAY", &x.display)
            .output()
            .expect("xdotool runs (apt: xdotool)");
        let found = String::from_utf8_lossy(&out.stdout).trim().to_owned();
        if let Some(id) = found.lines().next() {
            break id.to_owned();
        }
        assert!(
            started.elapsed() < std::time::Duration::from_secs(60),
            "no kiosk window"
        );
        std::thread::sleep(std::time::Duration::from_millis(200));
    };
    let focused = Command::new("xdotool")
        .args(["windowfocus", &window])
        .env("DISPLAY", &x.display)
        .output()
        .unwrap();
    assert!(
        focused.status.success(),
        "{}",
        String::from_utf8_lossy(&focused.stderr)
    );
    // Ready when the printer has answered and the server knows it.
    let store = seira_server::store::Store::open(&db).unwrap();
    let started = std::time::Instant::now();
    loop {
        let printer: String = store
            .read(|tx| {
                tx.query_row(
                    "SELECT COALESCE((SELECT printer FROM devices LIMIT 1), '')",
                    [],
                    |r| r.get(0),
                )
                .map_err(seira_server::store::StoreError::from)
            })
            .unwrap();
        if printer == "ready" {
            break;
        }
        assert!(
            started.elapsed() < std::time::Duration::from_secs(60),
            "the kiosk's printer never came ready"
        );
        std::thread::sleep(std::time::Duration::from_millis(200));
    }

    // The first key: spoken mode, how to use it, and the first language.
    let (lang, words) = press(&x, &window, &said, "Down");
    assert_eq!(lang, "el");
    assert!(words.starts_with("Φωνητική λειτουργία."), "{words}");
    assert!(words.ends_with("Ελληνικά"), "{words}");
    assert_eq!(
        press(&x, &window, &said, "Down"),
        ("en".into(), "English".into())
    );
    // The keypad's own 2 (Num Lock off: it sends "down").
    assert_eq!(
        press(&x, &window, &said, "KP_Down"),
        ("ar".into(), "العربية".into())
    );
    assert_eq!(press(&x, &window, &said, "Return").0, "ar");
    // Down past the other languages (each said in its own voice) to the first service,
    // said in Arabic.
    let mut service = (String::new(), String::new());
    for _ in 0..12 {
        service = press(&x, &window, &said, "Down");
        if service.1.starts_with("A. ") {
            break;
        }
    }
    assert_eq!(service.0, "ar");
    let service = service.1;
    assert_eq!(service, "A. الإعانات ودخل التضامن الاجتماعي: معلومات وطلبات");
    let (_, words) = press(&x, &window, &said, "Return");
    assert_eq!(words, "هل تحتاج إلى أولوية؟ لا، متابعة");
    press(&x, &window, &said, "Return");
    // "One moment", then the ticket, said whole.
    let started = std::time::Instant::now();
    let ticket = loop {
        if let Some(lines) = said_in(&said, 1)
            && lines[1].starts_with("رقمك هو")
        {
            break lines;
        }
        assert!(
            started.elapsed() < std::time::Duration::from_secs(30),
            "the ticket was not said: {:?}",
            said_in(&said, 1)
        );
        std::thread::sleep(std::time::Duration::from_millis(100));
    };
    assert_eq!(ticket[0], "ar");
    assert!(ticket[1].starts_with("رقمك هو A001"), "{ticket:?}");
    // "Done" is there once the paper is out: down from the ticket's words reaches it then.
    let started = std::time::Instant::now();
    while press(&x, &window, &said, "Down").1 != "تم" {
        assert!(
            started.elapsed() < std::time::Duration::from_secs(30),
            "the ticket never printed"
        );
        std::thread::sleep(std::time::Duration::from_millis(300));
    }
    // Chosen: back to the start, where spoken mode ends, for the next person.
    key_press(&x, &window, "Return");
    let _ = kiosk.kill();
    let _ = kiosk.wait();
    drop(pty);
    let bytes = paper
        .recv_timeout(std::time::Duration::from_secs(10))
        .unwrap();
    assert!(bytes.len() > 1000, "printed: {} bytes", bytes.len());

    // The lobby display, then the desk's call.
    let heard = dir.path().join("lobby");
    let mut lobby = start_display(&x, &server, &display, &heard);
    let http = reqwest::Client::new();
    let opened = http
        .post(format!("{}/api/v1/desks/chania-1/open", server.base))
        .bearer_auth(&staff)
        .send()
        .await
        .unwrap();
    assert!(opened.status().is_success());
    let called = call_next(&http, &server.base, &staff, "chania-1").await;
    assert_eq!(
        (&called["number"], &called["lang"]),
        (&json!("A001"), &json!("ar"))
    );
    assert_eq!(
        announcement(&heard, 1),
        "Ο αριθμός άλφα ένα, στο Γραφείο ένα.\n\
         الرقم إيه واحد، يرجى التوجه إلى المكتب واحد.\n\
         Number A one, please go to Office one.\n"
    );
    // One announcement, the three languages in one sound, longer than each alone.
    let wav = std::fs::metadata(heard.join("0001.wav")).unwrap().len();
    assert!(wav > 300_000, "chime and three languages: {wav} bytes");
    let _ = lobby.kill();
    let _ = lobby.wait();

    // A screen set to follow the newest call shows its second line in Arabic now (pictured,
    // and looked at: the Arabic shaped and right to left).
    display_screenshot(
        &x,
        &server.base,
        &display,
        "display-newest-call-ar",
        "1280x720",
        &["--second-line", "newest-call"],
    );
}
