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
    let mut child = Command::new(SEIRA)
        .args(["server", "--always-open", "--listen", "127.0.0.1:0", "--db"])
        .arg(db)
        .env("RUST_LOG", "info")
        .stdout(Stdio::null())
        .stderr(Stdio::piped())
        .spawn()
        .expect("seira server starts");
    let mut lines = BufReader::new(child.stderr.take().unwrap()).lines();
    let addr = loop {
        let line = lines
            .next()
            .expect("the server logs its address before stopping")
            .unwrap();
        if let Some(rest) = line.split("addr=").nth(1) {
            break rest.split_whitespace().next().unwrap().to_owned();
        }
    };
    std::thread::spawn(move || for _ in lines {});
    ServerProcess {
        child,
        base: format!("http://{addr}"),
    }
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
    let http = reqwest::Client::new();

    // Eight kiosks issue as fast as they can; the server is killed in the middle.
    let stop = Arc::new(AtomicBool::new(false));
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
    assert!(String::from_utf8_lossy(&ok.stdout).contains("1 site(s), 7 service(s), 8 desk(s)"));

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
