//! Schemathesis (PyPI, pinned in tests/api-fuzz) against a real server: generated requests
//! for every operation of the OpenAPI document, as an admin. It fails on any server error
//! (5xx) and on any status the document does not list. Bounded: a few examples per operation.
//!
//! Generated path values alone would meet "no such ticket" at almost every operation, and
//! the fuzzer would never pass the first lookup. So the test first makes what operations
//! need — tickets in each state, an appointment, a user — and hands their ids to the fuzzer
//! as dictionaries it draws from most of the time (`schemathesis.toml`). Afterwards the
//! server's own request counts (`/metrics`) must show that every operation was reached with
//! something that exists: at least one answer other than 404.

use std::collections::{BTreeMap, BTreeSet};
use std::path::PathBuf;

use serde_json::json;

use crate::helpers::{TestApp, spawn_app};

/// Operations left out: they would take the fuzzer's own access away halfway.
const EXCLUDED: &str = "revoke|disable|enable|password";

/// What the fuzzer draws path values from, made on the server first.
struct Fixtures {
    tickets: Vec<String>,
    appointments: Vec<String>,
    codes: Vec<String>,
}

async fn fixtures(app: &TestApp) -> Fixtures {
    app.set_time(TestApp::this_morning());
    app.open_desk("chania-1").await;
    let mut tickets = Vec::new();
    for service in ["benefits", "benefits", "psychosocial", "children"] {
        tickets.push(app.issue(service, None).await.id);
    }
    // One called at desk 1 (recall, start, no-show…), one done (its rating).
    let done = app.call_next("chania-1", "staff1").await.unwrap();
    app.act(&done.id, "start", "staff1").await;
    app.act(&done.id, "done", "staff1").await;
    tickets.push(done.id);
    let called = app.call_next("chania-1", "staff1").await.unwrap();
    tickets.push(called.id);
    let mut appointments = Vec::new();
    let mut codes = Vec::new();
    for (i, desk) in ["chania-3", "chania-4"].into_iter().enumerate() {
        let (status, booked) = app
            .post(
                "/api/v1/sites/chania/appointments",
                "admin",
                Some(json!({"service": "psychosocial", "desk": desk,
                    "start": (TestApp::this_morning() + jiff::SignedDuration::from_mins(5)).to_string(),
                    "minutes": 30, "request_id": format!("fuzz-{i}")})),
            )
            .await;
        assert_eq!(status, reqwest::StatusCode::CREATED, "{booked}");
        appointments.push(booked["id"].as_str().unwrap().to_owned());
        codes.push(booked["code"].as_str().unwrap().to_owned());
    }
    Fixtures {
        tickets,
        appointments,
        codes,
    }
}

/// `schemathesis.toml`: the fixtures as dictionaries the path parameters draw from nine
/// times in ten (the tenth is generated, to keep fuzzing the lookups themselves).
fn config(f: &Fixtures) -> String {
    let list = |values: &[String]| {
        let quoted: Vec<String> = values.iter().map(|v| format!("{v:?}")).collect();
        format!("[{}]", quoted.join(", "))
    };
    let strings = |values: &[&str]| list(&values.iter().map(|v| v.to_string()).collect::<Vec<_>>());
    format!(
        r#"[dictionaries.sites]
values = {sites}
[dictionaries.desks]
values = {desks}
[dictionaries.tickets]
values = {tickets}
[dictionaries.appointments]
values = {appointments}
[dictionaries.codes]
values = {codes}
[dictionaries.names]
values = {names}

[parameters]
"path.site" = {{ dictionary = "sites", probability = 0.9 }}
"path.desk" = {{ dictionary = "desks", probability = 0.9 }}
"path.code" = {{ dictionary = "codes", probability = 0.9 }}
"path.name" = {{ dictionary = "names", probability = 0.9 }}

[[operations]]
include-path-regex = "^/api/v1/tickets/"
parameters = {{ "path.id" = {{ dictionary = "tickets", probability = 0.9 }} }}

[[operations]]
include-path-regex = "^/api/v1/appointments/"
parameters = {{ "path.id" = {{ dictionary = "appointments", probability = 0.9 }} }}
"#,
        sites = strings(&["chania", "souda"]),
        desks = strings(&["chania-1", "chania-2", "chania-3", "chania-4"]),
        tickets = list(&f.tickets),
        appointments = list(&f.appointments),
        codes = list(&f.codes),
        names = strings(&["maria"]),
    )
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn generated_requests_get_only_documented_answers_and_no_server_error() {
    let app = spawn_app().await;
    app.add_user(
        "maria",
        seira_server::auth::Role::Staff,
        Some("chania"),
        &["chania-1"],
    );
    let fixtures = fixtures(&app).await;
    let root = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("..");
    let tool = root.join("tests/api-fuzz/.venv/bin/schemathesis");
    assert!(
        tool.exists(),
        "schemathesis is installed (scripts/setup makes tests/api-fuzz/.venv)"
    );
    let schema = format!("{}/api/v1/openapi.json", app.base);
    let header = format!("Authorization: Bearer {}", app.token("admin"));
    // Its configuration, cache and reports go to a folder of their own, not the repository.
    let scratch = tempfile::tempdir().unwrap();
    let settings = scratch.path().join("schemathesis.toml");
    std::fs::write(&settings, config(&fixtures)).unwrap();
    let out = tokio::process::Command::new(tool)
        .current_dir(scratch.path())
        .arg("--config-file")
        .arg(&settings)
        .args(["run", &schema])
        .args(["--checks", "not_a_server_error,status_code_conformance"])
        .args([
            "--max-examples",
            "5",
            "--seed",
            "20261201",
            "--workers",
            "2",
        ])
        .args(["--header", &header])
        .args(["--exclude-path-regex", EXCLUDED])
        .env("NO_COLOR", "1")
        .output()
        .await
        .unwrap();
    let report = format!(
        "{}\n{}",
        String::from_utf8_lossy(&out.stdout),
        String::from_utf8_lossy(&out.stderr)
    );
    assert!(
        out.status.success(),
        "schemathesis found problems:\n{report}"
    );
    assert!(report.contains(" passed"), "{report}");

    // Every operation was reached with something that exists at least once.
    let (_, doc) = app.get("/api/v1/openapi.json", "").await;
    let excluded = regex_free_match(EXCLUDED);
    let mut operations = BTreeSet::new();
    for (path, item) in doc["paths"].as_object().unwrap() {
        if excluded(path) {
            continue;
        }
        for method in item.as_object().unwrap().keys() {
            operations.insert((method.to_uppercase(), path.clone()));
        }
    }
    let metrics = app
        .http
        .get(format!("{}/metrics", app.base))
        .bearer_auth(app.token("admin"))
        .send()
        .await
        .unwrap()
        .text()
        .await
        .unwrap();
    let reached = reached_past_not_found(&metrics);
    let missed: Vec<_> = operations
        .iter()
        .filter(|op| !reached.contains(*op))
        .collect();
    assert!(
        missed.is_empty(),
        "operations the fuzzer never reached past 404: {missed:?}\n{report}"
    );
}

/// Whether a path matches one of `alternatives` (`a|b|c`, each a plain substring).
fn regex_free_match(alternatives: &'static str) -> impl Fn(&str) -> bool {
    move |path| alternatives.split('|').any(|word| path.contains(word))
}

/// The (method, route) pairs `/metrics` counts an answer other than 404 for.
fn reached_past_not_found(metrics: &str) -> BTreeSet<(String, String)> {
    let mut reached = BTreeSet::new();
    for line in metrics
        .lines()
        .filter(|l| l.starts_with("seira_http_requests_total{"))
    {
        let labels: BTreeMap<&str, &str> = line
            .split_once('{')
            // The route holds braces of its own: the labels end at the last one.
            .and_then(|(_, rest)| rest.rsplit_once('}'))
            .map(|(labels, _)| {
                labels
                    .split("\",")
                    .filter_map(|pair| pair.split_once("=\""))
                    .map(|(k, v)| (k, v.trim_end_matches('"')))
                    .collect()
            })
            .unwrap_or_default();
        if let (Some(route), Some(method), Some(status)) = (
            labels.get("route"),
            labels.get("method"),
            labels.get("status"),
        ) && *status != "404"
        {
            reached.insert((method.to_string(), route.to_string()));
        }
    }
    reached
}

#[test]
fn the_metrics_lines_are_read_by_route_method_and_status() {
    let metrics = "# HELP x\n\
        seira_http_requests_total{route=\"/api/v1/tickets/{id}/start\",method=\"POST\",status=\"409\"} 2\n\
        seira_http_requests_total{route=\"/api/v1/tickets/{id}/done\",method=\"POST\",status=\"404\"} 5\n";
    let reached = reached_past_not_found(metrics);
    assert_eq!(
        reached.into_iter().collect::<Vec<_>>(),
        [("POST".to_owned(), "/api/v1/tickets/{id}/start".to_owned())]
    );
}
