//! TLS on the server's own port: a device that pins the LAN certificate's fingerprint talks
//! to it, one with another pin or none does not; plain HTTP on the same port is sent to
//! https; the session cookie over TLS is Secure.

use reqwest::StatusCode;
use seira_protocol::client::Client;
use seira_protocol::fingerprint::Fingerprint;
use seira_server::auth::Role;
use seira_server::config::Config;
use seira_server::tls::Tls;

use crate::helpers::{PASSWORD, TestApp, spawn_tweaked};

async fn spawn_tls() -> (TestApp, Fingerprint, tempfile::TempDir) {
    let dir = tempfile::tempdir().unwrap();
    let names = vec!["localhost".to_owned(), "127.0.0.1".to_owned()];
    let tls = Tls::for_the_lan(dir.path(), &names).unwrap();
    let pin = tls.fingerprint;
    let app = spawn_tweaked(Config::embedded().always_open(), None, |app| {
        app.with_tls(tls)
    })
    .await;
    (app, pin, dir)
}

fn https(app: &TestApp) -> String {
    app.base.replace("http://", "https://")
}

#[tokio::test]
async fn a_device_that_pins_the_certificate_is_served_and_others_are_not() {
    let (app, pin, _dir) = spawn_tls().await;
    let kiosk =
        Client::pinned(&https(&app), Some(app.token("kiosk").to_owned()), Some(pin)).unwrap();
    let services = kiosk.services("chania").await.unwrap();
    assert_eq!(services.site, "chania");

    let other = Fingerprint::of(b"another certificate");
    let wrong = Client::pinned(
        &https(&app),
        Some(app.token("kiosk").to_owned()),
        Some(other),
    )
    .unwrap();
    let refused = wrong.services("chania").await.unwrap_err();
    assert!(
        format!("{refused:?}").contains("pinned"),
        "says why: {refused:?}"
    );
    // Without a pin the system's authorities decide, and none signed the LAN certificate.
    let unpinned = Client::new(&https(&app), Some(app.token("kiosk").to_owned())).unwrap();
    assert!(unpinned.services("chania").await.is_err());
}

#[tokio::test]
async fn plain_http_on_the_same_port_is_sent_to_https() {
    let (app, _pin, _dir) = spawn_tls().await;
    let http = reqwest::Client::builder()
        .redirect(reqwest::redirect::Policy::none())
        .build()
        .unwrap();
    for (method, path) in [
        (reqwest::Method::GET, "/desk?x=1"),
        (reqwest::Method::POST, "/api/v1/sites/chania/tickets"),
    ] {
        let response = http
            .request(method, format!("{}{path}", app.base))
            .send()
            .await
            .unwrap();
        assert_eq!(response.status(), StatusCode::PERMANENT_REDIRECT, "{path}");
        assert_eq!(
            response.headers()["location"],
            format!("{}{path}", https(&app)).as_str()
        );
    }
}

#[tokio::test]
async fn the_session_cookie_over_tls_is_secure() {
    let (app, pin, _dir) = spawn_tls().await;
    app.add_user("maria", Role::Staff, Some("chania"), &["chania-1"]);
    let client = reqwest::Client::builder()
        .redirect(reqwest::redirect::Policy::none())
        .tls_backend_preconfigured(seira_protocol::tls::client_config(pin).unwrap())
        .build()
        .unwrap();
    let response = client
        .post(format!("{}/login", https(&app)))
        // A client's own claim is overwritten, not believed (here it agrees anyway).
        .header("x-forwarded-proto", "http")
        .form(&[("username", "maria"), ("password", PASSWORD)])
        .send()
        .await
        .unwrap();
    assert_eq!(response.status(), StatusCode::SEE_OTHER);
    let cookie = response.headers()["set-cookie"].to_str().unwrap();
    assert!(cookie.contains("Secure"), "{cookie}");
}
