//! A message gateway on 127.0.0.1:0 that keeps what it receives and refuses the first
//! requests, for the reminders' and near-turn messages' tests.

use std::sync::{Arc, Mutex};

use axum::http::{HeaderMap, StatusCode};

/// Where it listens: inside, so a server must be told it may send there
/// (`Config::allowing_gateway_at`).
pub const HOST: &str = "127.0.0.1";

/// What the gateway received: the address, the authorization and the body.
pub type Received = Arc<Mutex<Vec<(String, Option<String>, String)>>>;

/// A gateway at `http://…/sms` that answers 503 to the first `refusals` requests, 200 after.
pub async fn start(refusals: usize) -> (String, Received) {
    let received: Received = Arc::default();
    let log = received.clone();
    let app = axum::Router::new().route(
        "/sms",
        axum::routing::post(
            move |uri: axum::http::Uri, headers: HeaderMap, body: String| {
                let log = log.clone();
                async move {
                    let mut log = log.lock().unwrap();
                    log.push((
                        uri.to_string(),
                        headers
                            .get("authorization")
                            .map(|v| v.to_str().unwrap().to_owned()),
                        body,
                    ));
                    if log.len() <= refusals {
                        StatusCode::SERVICE_UNAVAILABLE
                    } else {
                        StatusCode::OK
                    }
                }
            },
        ),
    );
    let listener = tokio::net::TcpListener::bind((HOST, 0)).await.unwrap();
    let addr = listener.local_addr().unwrap();
    tokio::spawn(async move { axum::serve(listener, app).await.unwrap() });
    (format!("http://{addr}/sms"), received)
}

/// Waits (up to 10 s) until the gateway has had `count` requests.
pub async fn wait_for(received: &Received, count: usize) {
    for _ in 0..200 {
        if received.lock().unwrap().len() >= count {
            return;
        }
        tokio::time::sleep(std::time::Duration::from_millis(50)).await;
    }
    panic!(
        "the gateway got {} requests, not {count}",
        received.lock().unwrap().len()
    );
}
