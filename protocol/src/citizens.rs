//! What citizens send from their own phones, with no sign-in: a rating of a finished visit, a
//! number for a near-turn text message or a browser's push subscription, and a ticket taken
//! from a poster's QR code.

use serde::{Deserialize, Serialize};
use utoipa::ToSchema;

/// Body of `POST /api/v1/tickets/{id}/feedback`: an anonymous rating of a finished visit.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct Feedback {
    /// 1 (very bad) to 5 (very good).
    #[schema(minimum = 1, maximum = 5)]
    pub score: u8,
}

/// Body of `PUT /api/v1/tickets/{id}/text-alert`: where to send the near-turn message.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct TextAlert {
    /// A mobile number with its country code (`+30 69…`); a Greek mobile may omit it. It is
    /// used for this one message and deleted when the visit ends; it is never logged.
    pub phone: String,
}

/// Body of `POST /api/v1/sites/{site}/join`: a ticket taken on a phone.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct JoinRequest {
    pub service: String,
    /// The phone page's language (`el`, `en`, `ar`, `fa`, `uk`, `sq`).
    #[serde(default)]
    pub lang: Option<String>,
    /// A fresh id per tap: the same request twice is the same ticket.
    pub request_id: String,
    /// The day's door code, from the poster's QR code (`/join/{site}?door=…`), where the
    /// site asks for one.
    #[serde(default)]
    pub door: Option<String>,
}

/// Body of `POST /api/v1/sites/{site}/phone-tickets/remove`: staff take out, at once, the
/// waiting tickets phones took in the last `minutes` (a flood), of one service or all.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct RemovePhoneTickets {
    /// Only this service's; all services' when absent.
    #[serde(default)]
    pub service: Option<String>,
    /// Taken in the last 1 to 240 minutes.
    #[schema(minimum = 1, maximum = 240)]
    pub minutes: u32,
}

/// Body of `POST /api/v1/sites/{site}/phone-tickets/restore`: the undo of a removal, within
/// the site's undo window.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct RestorePhoneTickets {
    /// The removal's `batch`.
    pub batch: String,
}

/// A batch of phone tickets removed, or put back.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
pub struct PhoneBatch {
    /// What names the removal for its undo.
    pub batch: String,
    /// The tickets' numbers.
    pub numbers: Vec<String>,
}

/// Body of `PUT /api/v1/tickets/{id}/push`: the browser's push subscription, as
/// `PushSubscription.toJSON()` gives it. Kept only until the notification goes, and at most
/// until the visit ends.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct PushSubscription {
    /// The push service's address for this browser.
    pub endpoint: String,
    /// When the browser says it expires (ignored: the visit ends first).
    #[serde(default, rename = "expirationTime")]
    pub expiration_time: Option<f64>,
    pub keys: PushKeys,
}

/// The keys of a push subscription (RFC 8291), base64url.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct PushKeys {
    /// The browser's P-256 public key.
    pub p256dh: String,
    /// Its 16-byte authentication secret.
    pub auth: String,
}

/// Answer of `GET /api/v1/push/key`: the server's VAPID public key (RFC 8292), the
/// `applicationServerKey` a page subscribes with.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
pub struct PushKey {
    /// The uncompressed P-256 point, base64url.
    pub key: String,
}
