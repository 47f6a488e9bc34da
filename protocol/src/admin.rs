//! The documents of the admin API (`/api/v1/admin/…`): a site's settings as one form, users,
//! and device tokens.
//!
//! [`SiteSettings`] has the shape of a `[[sites]]` table of the configuration file, so what an
//! admin edits in the browser and what a file says are the same thing.

use std::collections::BTreeMap;

use serde::{Deserialize, Serialize};
use utoipa::ToSchema;

use crate::types::{DeskOrder, Names, Role};

/// Opening hours: weekday (`mon` … `sun`) → spans like `07:30-15:30`. A day not listed is
/// closed.
pub type Hours = BTreeMap<String, Vec<String>>;

/// Everything about one site that an admin can change.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct SiteSettings {
    pub id: String,
    pub names: Names,
    #[serde(default)]
    pub address: String,
    #[serde(default = "athens")]
    pub time_zone: String,
    #[schema(value_type = BTreeMap<String, Vec<String>>)]
    pub hours: Hours,
    /// Days closed whatever the hours, `YYYY-MM-DD` (public holidays, the centre's own days
    /// off): no tickets are issued and the kiosk says the centre is closed.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub closed_days: Vec<String>,
    #[serde(default)]
    pub calling: Calling,
    #[serde(default)]
    pub news: Vec<Names>,
    /// The line at the foot of every ticket; by default that the services are free.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub ticket_footer: Option<Names>,
    /// The address phones reach the site's phone pages at from anywhere (a municipal reverse
    /// proxy or a tunnel that passes on only `/t/`, `/assets/` and the ticket API), e.g.
    /// `https://oura.chania.gr`. Tickets' QR codes and `track_url` use it; without it they
    /// use the server's own address, which only the centre's LAN reaches.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub public_url: Option<String>,
    /// An HTTP gateway (an SMS provider's API, a mail relay) for appointment reminders to
    /// citizens who gave a contact; none when absent.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub reminders: Option<ReminderGateway>,
    /// When a waiting citizen is told that their turn is near, and how.
    #[serde(default)]
    pub near_turn: NearTurn,
    /// How much phones may add to the queues (the services open to them say
    /// `phone_join`).
    #[serde(default)]
    pub phone_joining: PhoneJoining,
    pub services: Vec<ServiceSettings>,
    #[serde(default)]
    pub desks: Vec<DeskSettings>,
}

/// What the settings say in place of a gateway's `authorization` that is set: the secret
/// itself never leaves the server. Sent back unchanged, it keeps the secret.
pub const SECRET_KEPT: &str = "(kept)";

impl SiteSettings {
    /// The same, each gateway's `authorization` shown as set ([`SECRET_KEPT`]) or absent.
    pub fn without_secrets(mut self) -> Self {
        let hide = |secret: &mut Option<String>| {
            if secret.is_some() {
                *secret = Some(SECRET_KEPT.to_owned());
            }
        };
        if let Some(g) = &mut self.reminders {
            hide(&mut g.authorization);
        }
        if let Some(g) = &mut self.near_turn.gateway {
            hide(&mut g.authorization);
        }
        self
    }

    /// The same, each [`SECRET_KEPT`] replaced by the secret `kept` holds at that place.
    pub fn keeping_secrets_of(mut self, kept: &SiteSettings) -> Self {
        let keep = |secret: &mut Option<String>, old: Option<&String>| {
            if secret.as_deref() == Some(SECRET_KEPT) {
                *secret = old.cloned();
            }
        };
        if let Some(g) = &mut self.reminders {
            let old = kept
                .reminders
                .as_ref()
                .and_then(|o| o.authorization.as_ref());
            keep(&mut g.authorization, old);
        }
        if let Some(g) = &mut self.near_turn.gateway {
            let old = kept
                .near_turn
                .gateway
                .as_ref()
                .and_then(|o| o.authorization.as_ref());
            keep(&mut g.authorization, old);
        }
        self
    }
}

fn athens() -> String {
    "Europe/Athens".to_owned()
}

/// The calling policy of a site.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct Calling {
    /// `[priority, ordinary]`: how many of each kind are called in turn, each 1–20.
    pub priority_ratio: [u32; 2],
    /// Whether tickets past their target wait go first.
    pub aging: bool,
    /// How long after a no-show staff can still undo it (1–240 minutes).
    #[serde(default = "undo_window")]
    pub undo_window_min: u32,
    /// How early before its start an appointment may check in (0–120 minutes).
    #[serde(default = "ten")]
    pub check_in_early_min: u32,
    /// How late after its start an appointment keeps its place (0–120 minutes); past that
    /// it is late (`late_check_in`), and not checked in by then it is a no-show.
    #[serde(default = "undo_window")]
    pub check_in_late_min: u32,
    #[serde(default)]
    pub late_check_in: crate::LateCheckIn,
}

fn undo_window() -> u32 {
    15
}

fn ten() -> u32 {
    10
}

impl Default for Calling {
    fn default() -> Self {
        Calling {
            priority_ratio: [1, 2],
            aging: true,
            undo_window_min: undo_window(),
            check_in_early_min: ten(),
            check_in_late_min: undo_window(),
            late_check_in: crate::LateCheckIn::Queue,
        }
    }
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct ServiceSettings {
    pub id: String,
    /// One capital letter A–Z, unique at the site.
    pub prefix: String,
    pub names: Names,
    #[serde(default)]
    pub icon: String,
    pub target_wait_min: u32,
    #[serde(default = "fifteen")]
    pub typical_service_min: u32,
    /// Own hours, when the service is offered at fewer times than the site is open.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[schema(value_type = Option<BTreeMap<String, Vec<String>>>)]
    pub hours: Option<Hours>,
    /// The service takes appointments, booked in steps of this many minutes (5 to 240, in
    /// fives); walk-ins only when absent.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub appointment_slot_min: Option<u32>,
    /// Citizens may take a ticket for it on their phones, from the QR poster at the door
    /// (`/join/{site}`), while it is open. Off unless chosen.
    #[serde(default, skip_serializing_if = "std::ops::Not::not")]
    pub phone_join: bool,
}

fn fifteen() -> u32 {
    15
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct DeskSettings {
    pub id: String,
    pub names: Names,
    /// Service ids in the desk's order.
    pub services: Vec<String>,
    #[serde(default = "desk_order")]
    pub order: DeskOrder,
    /// When appointments may be booked at this desk (weekday → spans), within the site's and
    /// the service's hours; whenever the service is open when absent.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[schema(value_type = Option<BTreeMap<String, Vec<String>>>)]
    pub appointment_hours: Option<Hours>,
}

fn desk_order() -> DeskOrder {
    DeskOrder::DeskOrder
}

/// The priority categories the kiosks offer (every site shares them), with the configuration
/// version they belong to.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct VersionedPriorities {
    pub version: i64,
    pub priorities: Vec<crate::types::PriorityCategory>,
}

/// A site's settings with the configuration version they belong to.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, ToSchema)]
pub struct VersionedSettings {
    /// Send it back with a change: a change made meanwhile by someone else is not overwritten
    /// (409).
    pub version: i64,
    pub settings: SiteSettings,
}

/// A person who signs in on the pages.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, ToSchema)]
pub struct User {
    pub name: String,
    /// `staff`, `manager` or `admin`.
    pub role: Role,
    pub site: Option<String>,
    /// The desks a staff member may work at; empty for every desk of the site.
    pub desks: Vec<String>,
    pub disabled: bool,
}

/// Body of `POST /api/v1/admin/users`.
#[derive(Debug, Clone, Serialize, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct NewUser {
    pub name: String,
    /// `staff`, `manager` or `admin` (a device's role is for tokens).
    pub role: Role,
    #[serde(default)]
    pub site: Option<String>,
    #[serde(default)]
    pub desks: Vec<String>,
    /// At least 12 characters.
    pub password: String,
}

/// Body of `POST /api/v1/admin/users/{name}/password`.
#[derive(Debug, Clone, Serialize, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct NewPassword {
    pub password: String,
}

/// A device's or staff member's bearer token, without the token itself (never stored).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, ToSchema)]
pub struct TokenInfo {
    pub id: i64,
    pub role: Role,
    pub site: Option<String>,
    pub desk: Option<String>,
    pub label: String,
    pub revoked: bool,
}

/// Body of `POST /api/v1/admin/tokens`.
#[derive(Debug, Clone, Serialize, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct NewToken {
    pub role: Role,
    #[serde(default)]
    pub site: Option<String>,
    #[serde(default)]
    pub desk: Option<String>,
    /// What it is for, e.g. `entrance kiosk`.
    pub label: String,
}

/// The answer to creating a token: the only time the token is shown.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, ToSchema)]
pub struct CreatedToken {
    pub id: i64,
    pub token: String,
}

/// How a site sends a reminder: an HTTP request made from templates. In `url` and `body`,
/// `{contact}`, `{code}`, `{date}`, `{time}`, `{service}` and `{place}` are replaced (in the
/// address percent-encoded; in a JSON body as JSON string content; in a form body
/// form-encoded). No provider is built in: the site writes its provider's API here.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct ReminderGateway {
    /// `https://…` (or `http://` on the centre's own network).
    pub url: String,
    /// `POST` (the default) or `GET`.
    #[serde(default = "post")]
    pub method: String,
    /// The request body for `POST`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub body: Option<String>,
    #[serde(default = "json_type")]
    pub content_type: String,
    /// A header `Authorization: <this>` (e.g. `Bearer …` or `Basic …`), if the provider
    /// wants one.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub authorization: Option<String>,
    /// How long before the appointment (1–168 hours; 24 by default).
    #[serde(default = "day")]
    pub hours_before: u32,
}

/// When the phone page, and a text message if the holder asked for one, say that a waiting
/// citizen's turn is near: at most `ahead` people before them, or an estimated wait of at
/// most `minutes`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct NearTurn {
    /// 1–20 people ahead (3 by default).
    #[serde(default = "three")]
    pub ahead: u32,
    /// 0–120 minutes (10 by default; 0: by the people ahead only).
    #[serde(default = "ten")]
    pub minutes: u32,
    /// Where the text message goes: the site's provider, as for reminders. In `url` and
    /// `body`, `{contact}` (the number), `{text}` (the message, in the ticket's language),
    /// `{number}`, `{ahead}`, `{service}` and `{place}` are replaced. None: no messages, the
    /// page alone alerts.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub gateway: Option<MessageGateway>,
}

fn three() -> u32 {
    3
}

impl Default for NearTurn {
    fn default() -> Self {
        NearTurn {
            ahead: three(),
            minutes: ten(),
            gateway: None,
        }
    }
}

/// What phones may add to a site's queues, from the QR poster at the door: bounded per
/// service, whoever asks, so that a flood of requests (fresh cookies, many addresses) cannot
/// fill a queue nobody is standing in.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct PhoneJoining {
    /// Tickets from phones waiting at once for one service, 1–500 (15 by default); past
    /// it, phones are sent to the kiosk.
    #[serde(default = "fifteen")]
    pub max_waiting: u32,
    /// Tickets taken on phones for one service in any quarter of an hour, 1–500 (20 by
    /// default).
    #[serde(default = "twenty")]
    pub per_quarter_hour: u32,
    /// The reverse proxies in front of the phone pages, as addresses or networks
    /// (`10.0.0.5`, `10.0.0.0/24`): only a request from one of these is believed when its
    /// `X-Forwarded-For` names the phone's own address, so that each phone's address has its
    /// budget rather than all of them sharing the proxy's.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub trusted_proxies: Vec<String>,
    /// Joining needs the day's door code, which the poster at the door carries in its QR code
    /// (`/join/{site}/poster`, printed by staff each morning): only someone who was at the
    /// door can take a number, not anyone who once saw the address.
    #[serde(default)]
    pub door_code: bool,
}

fn twenty() -> u32 {
    20
}

impl Default for PhoneJoining {
    fn default() -> Self {
        PhoneJoining {
            max_waiting: fifteen(),
            per_quarter_hour: twenty(),
            trusted_proxies: Vec::new(),
            door_code: false,
        }
    }
}

/// An HTTP request to a message provider, made from templates (see [`NearTurn::gateway`]).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct MessageGateway {
    /// `https://…` (or `http://` on the centre's own network).
    pub url: String,
    /// `POST` (the default) or `GET`.
    #[serde(default = "post")]
    pub method: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub body: Option<String>,
    #[serde(default = "json_type")]
    pub content_type: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub authorization: Option<String>,
}

fn post() -> String {
    "POST".to_owned()
}

fn json_type() -> String {
    "application/json".to_owned()
}

fn day() -> u32 {
    24
}
