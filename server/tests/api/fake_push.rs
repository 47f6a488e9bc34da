//! A browser's side of Web Push, for tests: its P-256 keys and authentication secret, and a
//! push service on 127.0.0.1:0 that keeps what it is sent. What arrives is decrypted with the
//! browser's keys, as the browser would, and its VAPID signature checked.

use std::sync::{Arc, Mutex};

use axum::http::{HeaderMap, StatusCode};
use base64::Engine as _;
use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use web_push_native::jwt_simple::algorithms::{ECDSAP256PublicKeyLike, ES256PublicKey};
use web_push_native::p256;

/// One message as the push service got it: its headers and its (encrypted) body.
pub type Pushed = Arc<Mutex<Vec<(HeaderMap, Vec<u8>)>>>;

/// A browser's subscription keys.
pub struct BrowserKeys {
    secret: p256::SecretKey,
    auth: [u8; 16],
}

impl BrowserKeys {
    pub fn new() -> BrowserKeys {
        let mut auth = [0u8; 16];
        rand::fill(&mut auth);
        BrowserKeys {
            secret: p256::SecretKey::random(&mut p256::elliptic_curve::rand_core::OsRng),
            auth,
        }
    }

    /// `keys` as `PushSubscription.toJSON()` has them.
    pub fn json(&self) -> serde_json::Value {
        let public = p256::elliptic_curve::sec1::ToEncodedPoint::to_encoded_point(
            &self.secret.public_key(),
            false,
        );
        serde_json::json!({
            "p256dh": URL_SAFE_NO_PAD.encode(public.as_bytes()),
            "auth": URL_SAFE_NO_PAD.encode(self.auth),
        })
    }

    /// Reads a message as the browser does; checks that `server_key` (base64url) signed it.
    pub fn read(&self, headers: &HeaderMap, body: &[u8], server_key: &str) -> serde_json::Value {
        assert_eq!(headers["content-encoding"], "aes128gcm");
        let authorization = headers["authorization"].to_str().unwrap();
        let (token, key) = authorization
            .strip_prefix("vapid t=")
            .and_then(|rest| rest.split_once(", k="))
            .unwrap_or_else(|| panic!("not a VAPID authorization: {authorization}"));
        assert_eq!(key, server_key, "signed by the server's published key");
        let public = ES256PublicKey::from_bytes(&URL_SAFE_NO_PAD.decode(key).unwrap()).unwrap();
        public
            .verify_token::<web_push_native::jwt_simple::claims::NoCustomClaims>(token, None)
            .expect("a valid VAPID signature");
        let plain = web_push_native::decrypt(
            body.to_vec(),
            &self.secret,
            web_push_native::Auth::from_slice(&self.auth),
        )
        .expect("encrypted for this browser");
        serde_json::from_slice(&plain).unwrap()
    }
}

/// A push service at `http://…/push/…` that takes everything (201).
pub async fn start() -> (String, Pushed) {
    let pushed: Pushed = Arc::default();
    let log = pushed.clone();
    let app = axum::Router::new().route(
        "/push/{id}",
        axum::routing::post(move |headers: HeaderMap, body: axum::body::Bytes| {
            let log = log.clone();
            async move {
                log.lock().unwrap().push((headers, body.to_vec()));
                StatusCode::CREATED
            }
        }),
    );
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let addr = listener.local_addr().unwrap();
    tokio::spawn(async move { axum::serve(listener, app).await.unwrap() });
    (format!("http://{addr}/push/"), pushed)
}

/// Waits (up to 10 s) until the push service has had `count` messages.
pub async fn wait_for(pushed: &Pushed, count: usize) {
    for _ in 0..200 {
        if pushed.lock().unwrap().len() >= count {
            return;
        }
        tokio::time::sleep(std::time::Duration::from_millis(50)).await;
    }
    panic!(
        "the push service got {} messages, not {count}",
        pushed.lock().unwrap().len()
    );
}
