//! Admins change services, desks, hours, users and tokens without a restart.

use reqwest::StatusCode;
use seira_protocol::admin::VersionedSettings;
use seira_server::auth::Role;
use seira_server::config::Config;
use serde_json::json;

use crate::helpers::{PASSWORD, spawn_app, spawn_with};

#[tokio::test]
async fn a_new_service_and_desk_work_at_once_and_survive_a_restart() {
    let mut app = spawn_app().await;
    let dir = app.take_dir();
    let (status, body) = app
        .get("/api/v1/admin/sites/chania/settings", "admin")
        .await;
    assert_eq!(status, StatusCode::OK);
    let mut form: VersionedSettings = serde_json::from_value(body).unwrap();
    let loaded = form.clone();
    // A new service for employment counselling, and a desk for it.
    let mut service = form.settings.services[0].clone();
    service.id = "employment".into();
    service.prefix = "E".into();
    service.names = [
        ("el", "Συμβουλευτική απασχόλησης"),
        ("en", "Employment counselling"),
    ]
    .into_iter()
    .map(|(k, v)| (k.to_owned(), v.to_owned()))
    .collect();
    form.settings.services.push(service);
    let mut desk = form.settings.desks[0].clone();
    desk.id = "chania-5".into();
    desk.names = [("el", "Γραφείο 5"), ("en", "Office 5")]
        .into_iter()
        .map(|(k, v)| (k.to_owned(), v.to_owned()))
        .collect();
    desk.services = vec!["employment".into()];
    form.settings.desks.push(desk);
    let (status, body) = app
        .send(
            "PUT",
            "/api/v1/admin/sites/chania/settings",
            "admin",
            Some(serde_json::to_value(&form).unwrap()),
        )
        .await;
    assert_eq!(status, StatusCode::OK, "{body}");
    assert!(body["version"].as_i64().unwrap() > form.version);

    // The kiosk offers it, and the new desk calls it, without a restart.
    let services = app.client(Some("kiosk")).services("chania").await.unwrap();
    assert!(services.services.iter().any(|s| s.id == "employment"));
    let ticket = app.issue("employment", None).await;
    assert_eq!(ticket.number, "E001");
    app.open_desk("chania-5").await;
    assert_eq!(
        app.call_next("chania-5", "admin").await.unwrap().id,
        ticket.id
    );

    // Who changed what is in the event log.
    let store = seira_server::store::Store::open(&app.db_path).unwrap();
    let actor: String = store
        .read(|tx| {
            tx.query_row(
                "SELECT actor FROM events WHERE kind = 'settings_changed'",
                [],
                |r| r.get(0),
            )
            .map_err(seira_server::store::StoreError::from)
        })
        .unwrap();
    assert_eq!(actor, "test admin");

    // A form loaded before the change is stale now.
    let (status, body) = app
        .send(
            "PUT",
            "/api/v1/admin/sites/chania/settings",
            "admin",
            Some(serde_json::to_value(&loaded).unwrap()),
        )
        .await;
    assert_eq!(
        (status, body["error"].as_str()),
        (StatusCode::CONFLICT, Some("stale_settings"))
    );

    // After a restart on the same database the change is still in force.
    app.stop().await;
    let app = spawn_with(Config::embedded().always_open(), Some(&app.db_path)).await;
    let services = app.client(Some("kiosk")).services("chania").await.unwrap();
    assert!(services.services.iter().any(|s| s.id == "employment"));
    drop(dir);
}

#[tokio::test]
async fn settings_are_checked_and_desks_in_use_cannot_go() {
    let app = spawn_app().await;
    let (_, body) = app
        .get("/api/v1/admin/sites/chania/settings", "admin")
        .await;
    let form: VersionedSettings = serde_json::from_value(body).unwrap();

    let mut wrong = form.clone();
    wrong.settings.desks[0].services.push("astrology".into());
    wrong
        .settings
        .hours
        .insert("mon".into(), vec!["15:30-07:30".into()]);
    let (status, body) = app
        .send(
            "PUT",
            "/api/v1/admin/sites/chania/settings",
            "admin",
            Some(serde_json::to_value(&wrong).unwrap()),
        )
        .await;
    assert_eq!(
        (status, body["error"].as_str()),
        (StatusCode::UNPROCESSABLE_ENTITY, Some("invalid_settings"))
    );
    let message = body["message"].as_str().unwrap();
    assert!(
        message.contains("astrology") && message.contains("closes before it opens"),
        "{message}"
    );

    // Desk chania-1 holds a ticket: it cannot be removed.
    app.issue("benefits", None).await;
    app.open_desk("chania-1").await;
    app.call_next("chania-1", "admin").await.unwrap();
    let mut fewer = form.clone();
    fewer.settings.desks.retain(|d| d.id != "chania-1");
    let (status, body) = app
        .send(
            "PUT",
            "/api/v1/admin/sites/chania/settings",
            "admin",
            Some(serde_json::to_value(&fewer).unwrap()),
        )
        .await;
    assert_eq!(
        (status, body["error"].as_str()),
        (StatusCode::CONFLICT, Some("desk_in_use")),
        "{body}"
    );
}

#[tokio::test]
async fn admins_manage_users_and_tokens() {
    let app = spawn_app().await;
    let (status, body) = app
        .post(
            "/api/v1/admin/users",
            "admin",
            Some(json!({"name": "sofia", "role": "staff", "site": "chania", "desks": ["chania-3"], "password": PASSWORD})),
        )
        .await;
    assert_eq!(status, StatusCode::CREATED, "{body}");
    assert_eq!(body["desks"], json!(["chania-3"]));
    let sofia = app.signed_in("sofia").await;
    let desks = format!("{}/api/v1/sites/chania/desks", app.base);
    assert_eq!(
        sofia.get(&desks).send().await.unwrap().status(),
        StatusCode::OK
    );
    // Short passwords, taken names and unknown desks are refused.
    for (body, code) in [
        (
            json!({"name": "x", "role": "staff", "site": "chania", "password": "short"}),
            "weak_password",
        ),
        (
            json!({"name": "sofia", "role": "staff", "site": "chania", "password": PASSWORD}),
            "name_taken",
        ),
        (
            json!({"name": "y", "role": "staff", "desks": ["nowhere"], "password": PASSWORD}),
            "invalid_scope",
        ),
        (
            json!({"name": "z", "role": "kiosk", "site": "chania", "password": PASSWORD}),
            "invalid_role",
        ),
    ] {
        let (_, answer) = app.post("/api/v1/admin/users", "admin", Some(body)).await;
        assert_eq!(answer["error"], code);
    }
    // Disabling ends her session at once.
    let (status, _) = app
        .post("/api/v1/admin/users/sofia/disable", "admin", None)
        .await;
    assert_eq!(status, StatusCode::OK);
    assert_eq!(
        sofia.get(&desks).send().await.unwrap().status(),
        StatusCode::UNAUTHORIZED
    );

    // A token for a new hall display: shown once, works, then revoked.
    let (status, created) = app
        .post(
            "/api/v1/admin/tokens",
            "admin",
            Some(json!({"role": "display", "site": "chania", "label": "hall tv"})),
        )
        .await;
    assert_eq!(status, StatusCode::CREATED);
    let token = created["token"].as_str().unwrap().to_owned();
    let services = || {
        app.http
            .get(format!("{}/api/v1/sites/chania/services", app.base))
            .bearer_auth(&token)
            .send()
    };
    assert_eq!(services().await.unwrap().status(), StatusCode::OK);
    let (_, list) = app.get("/api/v1/admin/tokens", "admin").await;
    assert!(
        list.as_array()
            .unwrap()
            .iter()
            .any(|t| t["label"] == "hall tv" && t.get("token").is_none())
    );
    let (status, _) = app
        .post(
            &format!("/api/v1/admin/tokens/{}/revoke", created["id"]),
            "admin",
            None,
        )
        .await;
    assert_eq!(status, StatusCode::OK);
    assert_eq!(services().await.unwrap().status(), StatusCode::UNAUTHORIZED);
    let _ = Role::Admin;
}
