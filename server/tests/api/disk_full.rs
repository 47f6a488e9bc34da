//! The database's disk fills up (a real 8 MiB tmpfs, mounted for the test: it runs as root,
//! as CI does): changes answer 503 `disk_full` with nothing half-saved, reads go on, and once
//! there is room again the server carries on with nothing lost.

use std::io::Write;
use std::process::Command;

use reqwest::StatusCode;
use serde_json::json;

use crate::helpers::{TestApp, spawn_with};

/// A small tmpfs, unmounted when dropped.
struct SmallDisk {
    dir: tempfile::TempDir,
}

impl SmallDisk {
    /// `None` when this user may not mount (a developer's own account: CI runs as root).
    fn mount() -> Option<SmallDisk> {
        let root = Command::new("id")
            .arg("-u")
            .output()
            .is_ok_and(|o| String::from_utf8_lossy(&o.stdout).trim() == "0");
        if !root {
            eprintln!("disk_full: not run: mounting a tmpfs needs root (CI runs as root)");
            return None;
        }
        let dir = tempfile::tempdir().unwrap();
        let status = Command::new("mount")
            .args(["-t", "tmpfs", "-o", "size=8m", "tmpfs"])
            .arg(dir.path())
            .status()
            .expect("mount runs");
        assert!(status.success(), "root could not mount a tmpfs");
        Some(SmallDisk { dir })
    }
}

impl Drop for SmallDisk {
    fn drop(&mut self) {
        let _ = Command::new("umount")
            .arg("-l")
            .arg(self.dir.path())
            .status();
    }
}

async fn issue(app: &TestApp, request: &str) -> (StatusCode, serde_json::Value) {
    app.post(
        "/api/v1/sites/chania/tickets",
        "kiosk",
        Some(json!({"service": "benefits", "request_id": request})),
    )
    .await
}

#[tokio::test]
async fn a_full_disk_refuses_changes_keeps_reads_and_loses_nothing() {
    let Some(disk) = SmallDisk::mount() else {
        return;
    };
    let db = disk.dir.path().join("seira.db");
    let app = spawn_with(
        seira_server::config::Config::embedded().always_open(),
        Some(&db),
    )
    .await;
    app.add_user(
        "maria",
        seira_server::auth::Role::Staff,
        Some("chania"),
        &["chania-1"],
    );
    let mut acknowledged = Vec::new();
    for i in 0..5 {
        let (status, body) = issue(&app, &format!("before-{i}")).await;
        assert_eq!(status, StatusCode::CREATED, "{body}");
        acknowledged.push(body["id"].as_str().unwrap().to_owned());
    }
    // Something else fills the disk to the last byte.
    let filler = disk.dir.path().join("filler");
    {
        let mut file = std::fs::File::create(&filler).unwrap();
        let block = vec![0u8; 64 * 1024];
        while file.write_all(&block).is_ok() {}
        let small = vec![0u8; 512];
        while file.write_all(&small).is_ok() {}
        let _ = file.sync_all();
    }
    // Changes are refused with a clear error (a few may still fit in free pages).
    let mut refused = None;
    for i in 0..400 {
        let (status, body) = issue(&app, &format!("full-{i}")).await;
        match status {
            StatusCode::CREATED => acknowledged.push(body["id"].as_str().unwrap().to_owned()),
            StatusCode::SERVICE_UNAVAILABLE => {
                refused = Some(body);
                break;
            }
            other => panic!("a full disk answered {other}: {body}"),
        }
    }
    let refused = refused.expect("the full disk refuses a change");
    assert_eq!(refused["error"], "disk_full", "{refused}");
    assert!(
        refused["message"]
            .as_str()
            .unwrap()
            .contains("disk is full")
    );
    // The sign-in page says so, as a page (a session is a write).
    let signing_in = reqwest::Client::new()
        .post(format!("{}/login", app.base))
        .form(&[
            ("username", "maria"),
            ("password", crate::helpers::PASSWORD),
        ])
        .send()
        .await
        .unwrap();
    assert_eq!(signing_in.status(), StatusCode::SERVICE_UNAVAILABLE);
    assert!(
        signing_in.headers()["content-type"]
            .to_str()
            .unwrap()
            .starts_with("text/html")
    );
    let page = signing_in.text().await.unwrap();
    assert!(page.contains("ο δίσκος του είναι γεμάτος"), "{page}");
    // Reads go on: the board, the queues, a citizen's phone.
    let (status, _) = app.get("/api/v1/sites/chania/board", "").await;
    assert_eq!(status, StatusCode::OK);
    let (status, services) = app.get("/api/v1/sites/chania/services", "kiosk").await;
    assert_eq!(status, StatusCode::OK, "{services}");
    let (status, _) = app
        .get(&format!("/api/v1/tickets/{}/track", acknowledged[0]), "")
        .await;
    assert_eq!(status, StatusCode::OK);
    let (status, health) = app.get("/healthz", "").await;
    assert_eq!(status, StatusCode::OK, "{health}");

    // Room again: the server carries on by itself.
    std::fs::remove_file(&filler).unwrap();
    let mut after = None;
    for i in 0..20 {
        let (status, body) = issue(&app, &format!("after-{i}")).await;
        if status == StatusCode::CREATED {
            after = Some(body);
            break;
        }
        tokio::time::sleep(std::time::Duration::from_millis(100)).await;
    }
    let after = after.expect("issuing works again once there is room");
    acknowledged.push(after["id"].as_str().unwrap().to_owned());
    for id in &acknowledged {
        let (status, track) = app.get(&format!("/api/v1/tickets/{id}/track"), "").await;
        assert_eq!(
            status,
            StatusCode::OK,
            "{id} acknowledged, and there: {track}"
        );
    }
    // Every number once.
    let (_, waiting) = app.get("/api/v1/sites/chania/services", "kiosk").await;
    let benefits = waiting["services"]
        .as_array()
        .unwrap()
        .iter()
        .find(|s| s["id"] == "benefits")
        .unwrap()["waiting"]
        .as_u64()
        .unwrap();
    assert_eq!(benefits as usize, acknowledged.len());
    drop(app);
}
