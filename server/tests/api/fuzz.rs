//! Schemathesis (PyPI, pinned in tests/api-fuzz) against a real server: generated requests
//! for every operation of the OpenAPI document, as an admin. It fails on any server error
//! (5xx) and on any status the document does not list. Bounded: a few examples per operation.

use std::path::PathBuf;

use crate::helpers::spawn_app;

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn generated_requests_get_only_documented_answers_and_no_server_error() {
    let app = spawn_app().await;
    let root = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("..");
    let tool = root.join("tests/api-fuzz/.venv/bin/schemathesis");
    assert!(
        tool.exists(),
        "schemathesis is installed (scripts/setup makes tests/api-fuzz/.venv)"
    );
    let schema = format!("{}/api/v1/openapi.json", app.base);
    let header = format!("Authorization: Bearer {}", app.token("admin"));
    // Its cache and reports go to a folder of their own, not into the repository.
    let scratch = tempfile::tempdir().unwrap();
    let out = tokio::process::Command::new(tool)
        .current_dir(scratch.path())
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
        // Operations that would take the fuzzer's own access away halfway.
        .args(["--exclude-path-regex", "revoke|disable|enable|password"])
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
}
