//! Web Push (RFC 8030), with its message encryption (RFC 8291, `aes128gcm`) and the server's
//! identity (VAPID, RFC 8292), through `web-push-native`: a notification to the browser that
//! subscribed on the phone page, near the holder's turn, even with the page closed.
//!
//! - [`Vapid`]: the server's key pair, made once and kept in the database (`server_keys`);
//!   its public half is the page's `applicationServerKey`.
//! - [`Subscription`]: what the browser gave, checked: an address at a known push service
//!   (an arbitrary address would let anyone make the server post to it) and keys that are
//!   a P-256 point and a 16-byte secret.
//! - [`request`]: the encrypted, signed request to the push service.

use base64::Engine as _;
use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use serde::{Deserialize, Serialize};
use web_push_native::jwt_simple::algorithms::{ECDSAP256PublicKeyLike, ES256KeyPair};
use web_push_native::{Auth, WebPushBuilder, p256};

use crate::gateway::Filled;

/// The name of the VAPID key pair in `server_keys`.
pub const VAPID_KEY: &str = "vapid-es256";

/// The push services of the browsers people use (Chrome and Android, Firefox, Edge, Safari).
const PUSH_SERVICES: &[&str] = &[
    "fcm.googleapis.com",
    "android.googleapis.com",
    ".push.services.mozilla.com",
    ".notify.windows.com",
    ".push.apple.com",
];

/// How long a push service keeps a message for a phone that is off: a turn is minutes away.
const TTL_SECS: u64 = 15 * 60;

/// The server's VAPID key pair.
pub struct Vapid(ES256KeyPair);

impl Vapid {
    /// A new key pair, as bytes to keep.
    pub fn generate() -> Vec<u8> {
        ES256KeyPair::generate().to_bytes()
    }

    pub fn from_bytes(bytes: &[u8]) -> Option<Vapid> {
        ES256KeyPair::from_bytes(bytes).ok().map(Vapid)
    }

    /// The public key as the browser's `applicationServerKey` wants it: the uncompressed
    /// point, base64url.
    pub fn public_key(&self) -> String {
        URL_SAFE_NO_PAD.encode(self.0.public_key().public_key().to_bytes_uncompressed())
    }
}

/// A browser's push subscription, as kept (JSON) until the message is sent.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Subscription {
    pub endpoint: String,
    /// The browser's P-256 public key, base64url.
    pub p256dh: String,
    /// Its authentication secret, base64url.
    pub auth: String,
}

/// Why a subscription is refused.
#[derive(Debug, Clone, Copy, PartialEq, Eq, thiserror::Error)]
pub enum BadSubscription {
    #[error("the address is not one of a browser's push service")]
    Endpoint,
    #[error("the keys are not a P-256 public key and a 16-byte secret")]
    Keys,
}

impl Subscription {
    /// Checks what a browser sent. `also` are address prefixes allowed besides the known
    /// push services (tests: a local push service).
    pub fn parse(
        endpoint: &str,
        p256dh: &str,
        auth: &str,
        also: &[String],
    ) -> Result<Subscription, BadSubscription> {
        let known = url::Url::parse(endpoint).ok().is_some_and(|url| {
            url.scheme() == "https"
                && url.port().is_none()
                && url.host_str().is_some_and(|host| {
                    PUSH_SERVICES
                        .iter()
                        .any(|service| match service.strip_prefix('.') {
                            Some(domain) => host.ends_with(service) || host == domain,
                            None => host == *service,
                        })
                })
        });
        if endpoint.len() > 1024 || !(known || also.iter().any(|a| endpoint.starts_with(a))) {
            return Err(BadSubscription::Endpoint);
        }
        let subscription = Subscription {
            endpoint: endpoint.to_owned(),
            p256dh: p256dh.to_owned(),
            auth: auth.to_owned(),
        };
        subscription.keys()?;
        Ok(subscription)
    }

    fn keys(&self) -> Result<(p256::PublicKey, Auth), BadSubscription> {
        let public = URL_SAFE_NO_PAD
            .decode(self.p256dh.trim_end_matches('='))
            .ok()
            .and_then(|b| p256::PublicKey::from_sec1_bytes(&b).ok())
            .ok_or(BadSubscription::Keys)?;
        let auth = URL_SAFE_NO_PAD
            .decode(self.auth.trim_end_matches('='))
            .ok()
            .filter(|b| b.len() == 16)
            .ok_or(BadSubscription::Keys)?;
        Ok((public, *Auth::from_slice(&auth)))
    }
}

/// What the notification says, in the ticket's language; the service worker shows it and
/// opens `url` when it is touched.
#[derive(Debug, Clone, Serialize)]
pub struct Notice<'a> {
    pub title: &'a str,
    pub body: &'a str,
    pub url: &'a str,
}

/// The push service's request for `notice` to `subscription`: encrypted for the browser,
/// signed by the server (`contact` is the VAPID subject, `mailto:` or `https:`).
pub fn request(
    vapid: &Vapid,
    contact: &str,
    subscription: &Subscription,
    notice: &Notice<'_>,
) -> Option<Filled> {
    let (public, auth) = subscription.keys().ok()?;
    let endpoint = subscription.endpoint.parse().ok()?;
    let payload = serde_json::to_vec(notice).ok()?;
    let built = WebPushBuilder::new(endpoint, public, auth)
        .with_valid_duration(std::time::Duration::from_secs(TTL_SECS))
        .with_vapid(&vapid.0, contact)
        .build(payload)
        .ok()?;
    let (parts, body) = built.into_parts();
    let mut headers: Vec<(String, String)> = parts
        .headers
        .iter()
        .filter(|(name, _)| *name != axum::http::header::CONTENT_LENGTH)
        .filter_map(|(name, value)| Some((name.to_string(), value.to_str().ok()?.to_owned())))
        .collect();
    // Delivered at once, even to a phone saving its battery.
    headers.push(("urgency".to_owned(), "high".to_owned()));
    Some(Filled {
        method: "POST".to_owned(),
        url: subscription.endpoint.clone(),
        headers,
        body: Some(body),
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn browser_keys() -> (p256::SecretKey, String, String) {
        let secret =
            p256::SecretKey::random(&mut web_push_native::p256::elliptic_curve::rand_core::OsRng);
        let public = p256::elliptic_curve::sec1::ToEncodedPoint::to_encoded_point(
            &secret.public_key(),
            false,
        );
        let auth = [7u8; 16];
        (
            secret,
            URL_SAFE_NO_PAD.encode(public.as_bytes()),
            URL_SAFE_NO_PAD.encode(auth),
        )
    }

    #[test]
    fn only_the_browsers_push_services_and_real_keys_are_taken() {
        let (_, p256dh, auth) = browser_keys();
        let none: &[String] = &[];
        for endpoint in [
            "https://fcm.googleapis.com/fcm/send/abc",
            "https://updates.push.services.mozilla.com/wpush/v2/abc",
            "https://wns2-db5p.notify.windows.com/w/?token=abc",
            "https://web.push.apple.com/QGuQ",
        ] {
            assert!(
                Subscription::parse(endpoint, &p256dh, &auth, none).is_ok(),
                "{endpoint}"
            );
        }
        for endpoint in [
            "http://fcm.googleapis.com/fcm/send/abc",
            "https://fcm.googleapis.com:8443/x",
            "https://10.0.0.2/admin",
            "https://evil.example/fcm.googleapis.com",
            "https://fcm.googleapis.com.evil.example/x",
        ] {
            assert_eq!(
                Subscription::parse(endpoint, &p256dh, &auth, none),
                Err(BadSubscription::Endpoint),
                "{endpoint}"
            );
        }
        let local = ["http://127.0.0.1:9/".to_owned()];
        assert!(Subscription::parse("http://127.0.0.1:9/push", &p256dh, &auth, &local).is_ok());
        let endpoint = "https://fcm.googleapis.com/fcm/send/abc";
        assert_eq!(
            Subscription::parse(endpoint, "AAAA", &auth, none),
            Err(BadSubscription::Keys)
        );
        assert_eq!(
            Subscription::parse(endpoint, &p256dh, "c2hvcnQ", none),
            Err(BadSubscription::Keys)
        );
    }

    #[test]
    fn the_browser_reads_what_the_server_signed_and_sealed() {
        let (secret, p256dh, auth) = browser_keys();
        let subscription = Subscription::parse(
            "https://fcm.googleapis.com/fcm/send/abc",
            &p256dh,
            &auth,
            &[],
        )
        .unwrap();
        let vapid = Vapid::from_bytes(&Vapid::generate()).unwrap();
        let notice = Notice {
            title: "Πλησιάζει η σειρά σας",
            body: "A012: 2 μπροστά σας",
            url: "/t/abc",
        };
        let request = request(&vapid, "mailto:it@chania.gr", &subscription, &notice).unwrap();
        assert_eq!(request.header("content-encoding"), Some("aes128gcm"));
        assert_eq!(request.header("ttl"), Some("900"));
        let authorization = request.header("authorization").unwrap();
        assert!(
            authorization.starts_with("vapid t=")
                && authorization.ends_with(&format!("k={}", vapid.public_key())),
            "{authorization}"
        );
        let plain = web_push_native::decrypt(
            request.body.clone().unwrap(),
            &secret,
            Auth::from_slice(&[7u8; 16]),
        )
        .unwrap();
        let read: serde_json::Value = serde_json::from_slice(&plain).unwrap();
        assert_eq!(read["title"], "Πλησιάζει η σειρά σας");
        assert_eq!(read["url"], "/t/abc");
    }
}
