//! The JSON documents of HTTP API v1. Every part of seira that talks to another part uses these
//! types and no others, so a change to the wire is a change here.
//!
//! Timestamps are RFC 3339 strings in UTC (`jiff::Timestamp`); clients show them in the site's
//! time zone (Europe/Athens).

use std::collections::BTreeMap;

use jiff::Timestamp;
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;

/// Names in several languages, keyed by language code (`el`, `en`, `ar`, …). Greek is always there.
pub type Names = BTreeMap<String, String>;

/// The one way a name is chosen for a reader of a language, everywhere (kiosk, screen, pages,
/// paper, speech, exports): their language, else English (a foreign reader is likelier to read
/// it than Greek), else Greek, else any; empty only when there is no name at all.
pub trait InLang {
    fn in_lang(&self, lang: &str) -> &str;
}

impl InLang for Names {
    fn in_lang(&self, lang: &str) -> &str {
        [lang, "en", "el"]
            .iter()
            .find_map(|l| self.get(*l).filter(|n| !n.trim().is_empty()))
            .or_else(|| self.values().next())
            .map_or("", String::as_str)
    }
}

/// Where a ticket is in its life.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize, ToSchema)]
#[serde(rename_all = "snake_case")]
pub enum TicketState {
    /// In the queue.
    Waiting,
    /// Called to a desk; the citizen is on the way.
    Called,
    /// Being served at a desk.
    Serving,
    /// Served.
    Done,
    /// Called but did not come.
    NoShow,
    /// Taken out of the queue by staff (or closed at closing time).
    Cancelled,
    /// Sent on to another service; the next step is a new ticket with the same number.
    Transferred,
    /// Put aside by a desk (e.g. the citizen went to fetch a document); can return to the queue.
    Parked,
    /// Its paper ticket never printed; the number is never reused.
    Voided,
}

impl TicketState {
    pub const ALL: [TicketState; 9] = [
        Self::Waiting,
        Self::Called,
        Self::Serving,
        Self::Done,
        Self::NoShow,
        Self::Cancelled,
        Self::Transferred,
        Self::Parked,
        Self::Voided,
    ];

    pub fn as_str(self) -> &'static str {
        match self {
            Self::Waiting => "waiting",
            Self::Called => "called",
            Self::Serving => "serving",
            Self::Done => "done",
            Self::NoShow => "no_show",
            Self::Cancelled => "cancelled",
            Self::Transferred => "transferred",
            Self::Parked => "parked",
            Self::Voided => "voided",
        }
    }

    pub fn parse(s: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|state| state.as_str() == s)
    }

    /// A ticket in one of these states is finished and never changes again.
    pub fn is_final(self) -> bool {
        matches!(
            self,
            Self::Done | Self::NoShow | Self::Cancelled | Self::Transferred | Self::Voided
        )
    }
}

/// How a ticket came to be.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
#[serde(rename_all = "snake_case")]
pub enum Channel {
    Kiosk,
    Staff,
    Appointment,
    /// Taken on the citizen's own phone, from the QR poster at the door.
    Phone,
}

impl Channel {
    pub fn as_str(self) -> &'static str {
        match self {
            Self::Kiosk => "kiosk",
            Self::Staff => "staff",
            Self::Appointment => "appointment",
            Self::Phone => "phone",
        }
    }

    pub fn parse(s: &str) -> Option<Self> {
        [Self::Kiosk, Self::Staff, Self::Appointment, Self::Phone]
            .into_iter()
            .find(|c| c.as_str() == s)
    }
}

/// A desk's id (`chania-1`), where a desk and a ticket could be mixed up.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub struct DeskId<'a>(pub &'a str);

/// A ticket's id (128 random bits in hex), where a desk and a ticket could be mixed up.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub struct TicketId<'a>(pub &'a str);

/// A client's own id for one request, so that a retry is the same request: 1–64 characters
/// of `A–Z a–z 0–9 - _`.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct RequestId(String);

impl RequestId {
    pub const RULE: &str = "request_id must be 1–64 characters of A–Z, a–z, 0–9, - and _";

    pub fn parse(text: &str) -> Result<RequestId, &'static str> {
        let ok = (1..=64).contains(&text.len())
            && text
                .chars()
                .all(|c| c.is_ascii_alphanumeric() || c == '-' || c == '_');
        if ok {
            Ok(RequestId(text.to_owned()))
        } else {
            Err(Self::RULE)
        }
    }

    pub fn as_str(&self) -> &str {
        &self.0
    }
}

/// A language code as the citizen chose it (`el`, `en`, `ar`, `pt-BR`…): 2–12 letters and `-`.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct Lang(String);

impl Lang {
    pub const RULE: &str = "lang must be a language code such as el, en or ar";

    pub fn parse(text: &str) -> Result<Lang, &'static str> {
        let ok = (2..=12).contains(&text.len())
            && text.chars().all(|c| c.is_ascii_alphabetic() || c == '-');
        if ok {
            Ok(Lang(text.to_owned()))
        } else {
            Err(Self::RULE)
        }
    }

    pub fn as_str(&self) -> &str {
        &self.0
    }
}

/// Body of `POST /api/v1/sites/{site}/tickets`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct IssueTicket {
    /// Service id, e.g. `benefits`.
    pub service: String,
    /// Priority category id from the site's configuration (e.g. `disability`), or none.
    #[serde(default)]
    pub priority: Option<String>,
    /// Language the citizen chose at the kiosk (`el`, `en`, `ar`, …).
    #[serde(default)]
    pub lang: Option<String>,
    /// Chosen by the client, 1–64 characters of `A–Z a–z 0–9 - _`. Sending the same id again
    /// returns the same ticket, so a retry never makes a second ticket.
    pub request_id: String,
}

/// The answer to issuing a ticket: what the kiosk shows and prints.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, ToSchema)]
pub struct IssuedTicket {
    /// Unguessable id; also the key of the ticket holder's tracking page.
    pub id: String,
    /// What is printed and called, e.g. `A012`.
    pub number: String,
    pub service: String,
    #[schema(value_type = String, format = DateTime)]
    pub issued_at: Timestamp,
    /// Tickets of the same service waiting ahead of this one.
    pub position: u32,
    /// Estimated wait in seconds, from recent service times and the desks open now.
    pub estimated_wait_s: u32,
    /// The page where the holder can follow the queue (for the QR code): the full address
    /// under the site's `public_url` when it has one, else a path on this server.
    pub track_url: String,
    /// The same page's short link, printed under the QR code for a phone that cannot read
    /// it: `…/t/KX7PQ-4MN2A`, under the same address as `track_url`.
    #[serde(default)]
    pub short_url: String,
    /// A checked-in appointment's start: the desk calls its holder first from then.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[schema(value_type = Option<String>, format = DateTime)]
    pub appointment_at: Option<Timestamp>,
}

#[cfg(test)]
mod track_link_tests {
    use super::*;

    #[test]
    fn a_public_address_is_kept_and_a_path_goes_after_the_server() {
        let mut t = IssuedTicket {
            id: "t1".into(),
            number: "A001".into(),
            service: "benefits".into(),
            issued_at: Timestamp::UNIX_EPOCH,
            position: 0,
            estimated_wait_s: 0,
            track_url: "/t/t1".into(),
            short_url: "/t/KX7PQ-4MN2A".into(),
            appointment_at: None,
        };
        assert_eq!(
            t.track_link("http://10.0.0.2:8080/"),
            "http://10.0.0.2:8080/t/t1"
        );
        t.track_url = "https://oura.chania.gr/t/t1".into();
        assert_eq!(
            t.track_link("http://10.0.0.2:8080"),
            "https://oura.chania.gr/t/t1"
        );
        assert_eq!(
            t.printed_link("http://10.0.0.2:8080"),
            "10.0.0.2:8080/t/KX7PQ-4MN2A"
        );
    }
}

impl IssuedTicket {
    /// The tracking page's full address: `track_url` itself when it is one (the site's
    /// public address), else after `server`, the address the device reaches the server at.
    pub fn track_link(&self, server: &str) -> String {
        full_link(&self.track_url, server)
    }

    /// The short link as printed: its full address without the scheme
    /// (`oura.chania.gr/t/KX7PQ-4MN2A`); the tracking page's, without the scheme, when the
    /// server sent none (an older one).
    pub fn printed_link(&self, server: &str) -> String {
        let url = if self.short_url.is_empty() {
            &self.track_url
        } else {
            &self.short_url
        };
        let link = full_link(url, server);
        link.trim_start_matches("https://")
            .trim_start_matches("http://")
            .to_owned()
    }
}

/// `url` itself when it is a full address, else after `server`.
fn full_link(url: &str, server: &str) -> String {
    if url.starts_with("https://") || url.starts_with("http://") {
        url.to_owned()
    } else {
        format!("{}{}", server.trim_end_matches('/'), url)
    }
}

/// Everything about one ticket that staff may see. It holds no personal data.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, ToSchema)]
pub struct Ticket {
    pub id: String,
    pub number: String,
    pub site: String,
    pub service: String,
    pub state: TicketState,
    pub priority: Option<String>,
    pub channel: Channel,
    pub lang: Option<String>,
    /// The desk that called it (called, serving, and after).
    pub desk: Option<String>,
    /// How many times it was called again.
    pub recalls: u32,
    /// 1 for the first visit step, 2 after a transfer, …
    pub step: u32,
    /// When the citizen took the ticket (kept across transfers).
    #[schema(value_type = String, format = DateTime)]
    pub issued_at: Timestamp,
    /// When it (re)entered the queue it is waiting in.
    #[schema(value_type = String, format = DateTime)]
    pub queued_at: Timestamp,
    #[schema(value_type = Option<String>, format = DateTime)]
    pub called_at: Option<Timestamp>,
    #[schema(value_type = Option<String>, format = DateTime)]
    pub started_at: Option<Timestamp>,
    #[schema(value_type = Option<String>, format = DateTime)]
    pub finished_at: Option<Timestamp>,
    /// Closed automatically at closing time: its times are not real and stay out of the
    /// statistics.
    pub inaccurate_time: bool,
}

/// A service as the kiosk and the staff pages see it now.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, ToSchema)]
pub struct ServiceStatus {
    pub id: String,
    /// Ticket prefix letter.
    pub prefix: String,
    pub names: Names,
    /// Icon name, for the kiosk's buttons.
    pub icon: String,
    pub target_wait_min: u32,
    /// Whether tickets can be taken now (opening hours).
    pub open_now: bool,
    pub waiting: u32,
    /// Estimated wait for a ticket taken now, in seconds.
    pub estimated_wait_s: u32,
    /// The service takes appointments: the kiosk offers check-in by code.
    #[serde(default)]
    pub takes_appointments: bool,
    /// Citizens may take its tickets on their phones (`/join/{site}`).
    #[serde(default)]
    pub phone_join: bool,
}

/// The services of a site, and the priority categories a kiosk offers.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, ToSchema)]
pub struct SiteServices {
    pub site: String,
    pub site_names: Names,
    /// Whether the site is open now.
    pub open_now: bool,
    pub services: Vec<ServiceStatus>,
    pub priorities: Vec<PriorityCategory>,
    /// The line the kiosk prints at the foot of each ticket, per language.
    pub ticket_footer: Names,
}

/// A priority category (person with disability, pregnancy, 65+, …).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, ToSchema)]
pub struct PriorityCategory {
    pub id: String,
    pub names: Names,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
#[serde(rename_all = "snake_case")]
pub enum DeskState {
    Open,
    Paused,
    Closed,
}

impl DeskState {
    pub fn as_str(self) -> &'static str {
        match self {
            Self::Open => "open",
            Self::Paused => "paused",
            Self::Closed => "closed",
        }
    }

    pub fn parse(s: &str) -> Option<Self> {
        [Self::Open, Self::Paused, Self::Closed]
            .into_iter()
            .find(|d| d.as_str() == s)
    }
}

/// How a desk picks among its services.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
#[serde(rename_all = "snake_case")]
pub enum DeskOrder {
    /// The first of its services (in the desk's order) that has someone waiting.
    DeskOrder,
    /// The ticket that has waited longest, whatever its service.
    OldestFirst,
}

/// A desk, its services and what it is doing.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, ToSchema)]
pub struct Desk {
    pub id: String,
    pub site: String,
    pub names: Names,
    /// Service ids, in the desk's order.
    pub services: Vec<String>,
    pub order: DeskOrder,
    pub state: DeskState,
    pub pause_reason: Option<String>,
    /// The ticket called to or served at this desk now.
    pub ticket: Option<Ticket>,
    /// The note a colleague left with the ticket in hand when transferring it (staff only).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub note: Option<String>,
}

/// Body of `POST /api/v1/desks/{desk}/pause`.
#[derive(Debug, Clone, Serialize, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct PauseDesk {
    /// Why (break, phone call, paperwork…), 1–200 characters. Shown to colleagues only.
    pub reason: String,
}

/// Body of `POST /api/v1/tickets/{id}/transfer`.
#[derive(Debug, Clone, Serialize, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct Transfer {
    /// The service the citizen goes on to.
    pub service: String,
    /// Only this desk may call the next step (a named colleague); any desk of the service
    /// when absent.
    #[serde(default)]
    pub desk: Option<String>,
    /// Where the citizen joins the next queue; `keep` by default.
    #[serde(default)]
    pub place: TransferPlace,
    /// A short word for the next colleague (at most 200 characters). Staff see it on the
    /// desk page; it is never on a public screen or in the event log, and it is deleted when
    /// the visit ends.
    #[serde(default)]
    pub note: Option<String>,
}

/// Where a transferred citizen joins the next service's queue.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
#[serde(rename_all = "snake_case")]
pub enum TransferPlace {
    /// By the time the citizen first took the ticket: nobody waits twice.
    #[default]
    Keep,
    /// Ahead of everyone waiting for that service.
    Front,
    /// Behind everyone, as if the ticket were new.
    Back,
}

/// One waiting ticket on a desk's list, in the order the desk would call it.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, ToSchema)]
pub struct QueueEntry {
    pub ticket: Ticket,
    /// Waiting past its service's target wait.
    pub overdue: bool,
    /// Sent to this desk only by a colleague's transfer.
    pub only_this_desk: bool,
    /// The colleague's note of a transfer (staff only).
    pub note: Option<String>,
    /// A checked-in appointment's start: called first from then.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[schema(value_type = Option<String>, format = DateTime)]
    pub appointment_at: Option<Timestamp>,
}

/// How many wait for a service the desk does not serve (the list's collapsed part).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, ToSchema)]
pub struct OtherQueue {
    pub service: String,
    pub waiting: u32,
}

/// Answer of `GET /api/v1/desks/{desk}/queue`: what the desk would call, in order.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, ToSchema)]
pub struct DeskQueue {
    pub desk: String,
    /// This desk's services' waiting tickets in the order call-next would take them; the
    /// first is the next. At most 100.
    pub entries: Vec<QueueEntry>,
    /// How many wait for this desk's services in all (may exceed the entries listed).
    pub waiting: u32,
    /// The site's other services with someone waiting.
    pub others: Vec<OtherQueue>,
}

/// Body of `POST /api/v1/desks/{desk}/call`: call one waiting ticket out of order.
#[derive(Debug, Clone, Serialize, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct CallTicket {
    /// The ticket's id.
    pub ticket: String,
}

/// A call as the lobby screen shows it. Public: the number and the desk, never the ticket's
/// id or short code (those are the holder's key to the visit's page, rating and alerts).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, ToSchema)]
pub struct BoardCall {
    pub number: String,
    /// The step of the visit the call is for (1, then 2 after a transfer…): with the number,
    /// it tells one call from another within the day.
    pub step: u32,
    pub service: String,
    pub desk: String,
    pub desk_names: Names,
    #[schema(value_type = String, format = DateTime)]
    pub called_at: Timestamp,
    pub recalls: u32,
    /// The language the ticket was taken in (a lobby screen may show its second line in it).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub lang: Option<String>,
}

/// How many wait for one service.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, ToSchema)]
pub struct BoardQueue {
    pub service: String,
    pub prefix: String,
    pub names: Names,
    pub waiting: u32,
}

/// How many of the day's latest calls the board lists (the newest first). A lobby screen
/// shows as many of them as fit.
pub const BOARD_CALLS: usize = 10;

/// What the lobby screen shows now.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, ToSchema)]
pub struct Board {
    pub site: String,
    pub site_names: Names,
    /// Newest first; the first is the one shown large.
    pub calls: Vec<BoardCall>,
    pub queues: Vec<BoardQueue>,
    /// Ticker lines from the configuration, per language.
    pub news: Vec<Names>,
    /// Every desk of the site by id, for naming the desks of calls to come.
    #[serde(default)]
    pub desks: BTreeMap<String, Names>,
    /// The newest event this board includes: open the event stream with it as
    /// `Last-Event-ID` and nothing is missed or seen twice.
    pub last_event_id: i64,
    #[schema(value_type = String, format = DateTime)]
    pub generated_at: Timestamp,
}

/// What happened. Every change is one event, in the order it happened.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
#[serde(rename_all = "snake_case")]
pub enum EventKind {
    TicketIssued,
    TicketCalled,
    TicketRecalled,
    TicketStarted,
    TicketDone,
    TicketNoShow,
    TicketCancelled,
    TicketTransferred,
    TicketParked,
    TicketReturned,
    TicketVoided,
    /// A no-show marked by mistake went back to the queue (or straight to the desk).
    TicketNoShowUndone,
    /// Closed at closing time; its times are flagged inaccurate.
    TicketAutoClosed,
    DeskOpened,
    DeskPaused,
    DeskClosed,
    /// An admin changed the site's settings: services, desks, hours or calling policy.
    SettingsChanged,
    /// An admin added or changed a user (`detail` names them).
    UserChanged,
    /// An admin created or revoked a token (`detail` says which).
    TokenChanged,
    /// A kiosk's printer changed state (`detail`: the kiosk and the state).
    DeviceChanged,
    /// Staff booked an appointment (`detail`: its code, service, desk and time).
    AppointmentBooked,
    /// Staff moved an appointment to another time or desk (`detail`: its code and new time).
    AppointmentMoved,
    /// Staff cancelled an appointment (`detail`: its code).
    AppointmentCancelled,
    /// A citizen checked in for an appointment at the kiosk or at reception (`detail`: on
    /// time or late), right after its ticket's `ticket_issued`.
    AppointmentCheckedIn,
    /// An appointment was not checked in by the end of its window: its desk time is free.
    AppointmentNoShow,
    /// A reminder went to the site's gateway, or was given up (`detail` says which; never
    /// the contact).
    AppointmentReminded,
    /// A ticket cancelled with a batch of phone tickets went back to its place (the batch's
    /// undo).
    TicketCancelUndone,
    /// A citizen rated a finished visit (`detail`: the score; nothing else is known of them).
    TicketRated,
    /// A near-turn text message went to the site's gateway, or was given up (`detail` says
    /// which; never the number).
    TicketAlerted,
}

impl EventKind {
    pub const ALL: [EventKind; 29] = [
        Self::TicketIssued,
        Self::TicketCalled,
        Self::TicketRecalled,
        Self::TicketStarted,
        Self::TicketDone,
        Self::TicketNoShow,
        Self::TicketCancelled,
        Self::TicketTransferred,
        Self::TicketParked,
        Self::TicketReturned,
        Self::TicketVoided,
        Self::TicketNoShowUndone,
        Self::TicketAutoClosed,
        Self::DeskOpened,
        Self::DeskPaused,
        Self::DeskClosed,
        Self::SettingsChanged,
        Self::UserChanged,
        Self::TokenChanged,
        Self::DeviceChanged,
        Self::AppointmentBooked,
        Self::AppointmentMoved,
        Self::AppointmentCancelled,
        Self::AppointmentCheckedIn,
        Self::AppointmentNoShow,
        Self::AppointmentReminded,
        Self::TicketCancelUndone,
        Self::TicketRated,
        Self::TicketAlerted,
    ];

    pub fn as_str(self) -> &'static str {
        match self {
            Self::TicketIssued => "ticket_issued",
            Self::TicketCalled => "ticket_called",
            Self::TicketRecalled => "ticket_recalled",
            Self::TicketStarted => "ticket_started",
            Self::TicketDone => "ticket_done",
            Self::TicketNoShow => "ticket_no_show",
            Self::TicketCancelled => "ticket_cancelled",
            Self::TicketTransferred => "ticket_transferred",
            Self::TicketParked => "ticket_parked",
            Self::TicketReturned => "ticket_returned",
            Self::TicketVoided => "ticket_voided",
            Self::TicketNoShowUndone => "ticket_no_show_undone",
            Self::TicketAutoClosed => "ticket_auto_closed",
            Self::DeskOpened => "desk_opened",
            Self::DeskPaused => "desk_paused",
            Self::DeskClosed => "desk_closed",
            Self::SettingsChanged => "settings_changed",
            Self::UserChanged => "user_changed",
            Self::TokenChanged => "token_changed",
            Self::DeviceChanged => "device_changed",
            Self::AppointmentBooked => "appointment_booked",
            Self::AppointmentMoved => "appointment_moved",
            Self::AppointmentCancelled => "appointment_cancelled",
            Self::AppointmentCheckedIn => "appointment_checked_in",
            Self::AppointmentNoShow => "appointment_no_show",
            Self::AppointmentReminded => "appointment_reminded",
            Self::TicketCancelUndone => "ticket_cancel_undone",
            Self::TicketRated => "ticket_rated",
            Self::TicketAlerted => "ticket_alerted",
        }
    }

    pub fn parse(s: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|k| k.as_str() == s)
    }
}

/// One entry of the append-only event log, as the event stream sends it (`data:` of an SSE
/// message whose `event:` is the kind and whose `id:` is `id`).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, ToSchema)]
pub struct Event {
    /// Monotonic: a later event always has a larger id.
    pub id: i64,
    #[schema(value_type = String, format = DateTime)]
    pub at: Timestamp,
    pub site: String,
    pub kind: EventKind,
    /// The ticket as it is after the change.
    pub ticket: Option<Ticket>,
    pub desk: Option<String>,
    /// Waiting tickets per service id after the change.
    pub waiting: BTreeMap<String, u32>,
    /// For admin changes: what changed (a user's name, a token's number).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub detail: Option<String>,
}

/// What the ticket holder's phone shows.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, ToSchema)]
pub struct TrackView {
    pub number: String,
    pub site: String,
    pub service: String,
    pub service_names: Names,
    pub state: TicketState,
    /// Tickets of the same service waiting ahead (while waiting).
    pub position: u32,
    pub estimated_wait_s: u32,
    /// The desk it is called to (when called or serving).
    pub desk: Option<String>,
    pub desk_names: Option<Names>,
    /// A checked-in appointment's time: called first from then (`position` counts the
    /// appointments before it; the estimate is the time until then).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[schema(value_type = Option<String>, format = DateTime)]
    pub appointment_at: Option<Timestamp>,
    /// The language the ticket was taken in (the phone page opens in it).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub lang: Option<String>,
    /// Where the estimate is uncertain, the range it likely falls in, `[low, high]` seconds.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub wait_range_s: Option<[u32; 2]>,
    /// The holder's turn is near, by the site's rule (so many ahead, or so few minutes).
    #[serde(default)]
    pub near_turn: bool,
    /// The visit is done and not rated yet: the page asks for a 1–5 rating.
    #[serde(default)]
    pub can_rate: bool,
    /// The site sends a text message near the turn to a number the holder gives.
    #[serde(default)]
    pub text_offered: bool,
    /// The holder gave a number for it (the number itself is never shown again).
    #[serde(default)]
    pub text_requested: bool,
    /// The holder's browser asked for a push notification near the turn.
    #[serde(default)]
    pub push_requested: bool,
}

/// What an account or a token may do.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize, ToSchema)]
#[serde(rename_all = "snake_case")]
pub enum Role {
    /// Issues tickets at one site.
    Kiosk,
    /// Reads one site's board and events.
    Display,
    /// Calls and serves at a desk of one site (one desk, when the token names it).
    Staff,
    /// Reads everything of one site: desks, queues, statistics.
    Manager,
    /// Everything, everywhere.
    Admin,
}

impl Role {
    pub const ALL: [Role; 5] = [
        Role::Kiosk,
        Role::Display,
        Role::Staff,
        Role::Manager,
        Role::Admin,
    ];

    pub fn as_str(self) -> &'static str {
        match self {
            Role::Kiosk => "kiosk",
            Role::Display => "display",
            Role::Staff => "staff",
            Role::Manager => "manager",
            Role::Admin => "admin",
        }
    }

    pub fn parse(s: &str) -> Option<Role> {
        Role::ALL.into_iter().find(|r| r.as_str() == s)
    }

    /// A kiosk or a lobby screen, not a person.
    pub fn is_device(self) -> bool {
        matches!(self, Role::Kiosk | Role::Display)
    }
}

/// Every error code the API answers with, in `ApiError::error`: one name per cause, the same
/// wherever it is raised.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize, ToSchema)]
#[serde(rename_all = "snake_case")]
pub enum ErrorCode {
    BadBody,
    BadDate,
    BadDecimal,
    BadPeriod,
    BadSeparator,
    Closed,
    DeskClosed,
    DeskInUse,
    DeskNotForService,
    DeskPaused,
    DiskFull,
    DoorCode,
    Forbidden,
    HeadersTooLarge,
    /// Plain HTTP to a server that speaks https, without a Host to send it to.
    HttpsRequired,
    Internal,
    InvalidBody,
    InvalidImport,
    InvalidLang,
    InvalidLastEventId,
    InvalidName,
    InvalidNote,
    InvalidPath,
    InvalidQuery,
    InvalidReason,
    InvalidRequestId,
    InvalidRole,
    InvalidScope,
    InvalidSettings,
    InvalidState,
    InvalidSubscription,
    InvalidTime,
    InvalidTransition,
    MalformedJson,
    MalformedRequest,
    MethodNotAllowed,
    NameTaken,
    NotBookable,
    NotFound,
    NotServing,
    OwnAccount,
    PayloadTooLarge,
    RequestIdReused,
    SameService,
    SentToAnotherDesk,
    ServiceInUse,
    ServiceNotAtDesk,
    SiteMismatch,
    SlotTaken,
    StaleSettings,
    TicketInHand,
    TooEarly,
    TooLate,
    TooManyGuesses,
    Unauthorized,
    UndoTooLate,
    UnknownCode,
    UnknownPriority,
    UnsupportedAction,
    UnsupportedMediaType,
    UriTooLong,
    AlreadyRated,
    InvalidPhone,
    InvalidScore,
    NotDone,
    NotOffered,
    PhoneQueueFull,
    TooManyJoins,
    WeakPassword,
}

impl ErrorCode {
    pub fn as_str(self) -> &'static str {
        match self {
            Self::BadBody => "bad_body",
            Self::BadDate => "bad_date",
            Self::BadDecimal => "bad_decimal",
            Self::BadPeriod => "bad_period",
            Self::BadSeparator => "bad_separator",
            Self::Closed => "closed",
            Self::DeskClosed => "desk_closed",
            Self::DeskInUse => "desk_in_use",
            Self::DeskNotForService => "desk_not_for_service",
            Self::DeskPaused => "desk_paused",
            Self::DiskFull => "disk_full",
            Self::DoorCode => "door_code",
            Self::Forbidden => "forbidden",
            Self::HeadersTooLarge => "headers_too_large",
            Self::HttpsRequired => "https_required",
            Self::Internal => "internal",
            Self::InvalidBody => "invalid_body",
            Self::InvalidImport => "invalid_import",
            Self::InvalidLang => "invalid_lang",
            Self::InvalidLastEventId => "invalid_last_event_id",
            Self::InvalidName => "invalid_name",
            Self::InvalidNote => "invalid_note",
            Self::InvalidPath => "invalid_path",
            Self::InvalidQuery => "invalid_query",
            Self::InvalidReason => "invalid_reason",
            Self::InvalidRequestId => "invalid_request_id",
            Self::InvalidRole => "invalid_role",
            Self::InvalidScope => "invalid_scope",
            Self::InvalidSettings => "invalid_settings",
            Self::InvalidState => "invalid_state",
            Self::InvalidSubscription => "invalid_subscription",
            Self::InvalidTime => "invalid_time",
            Self::InvalidTransition => "invalid_transition",
            Self::MalformedJson => "malformed_json",
            Self::MalformedRequest => "malformed_request",
            Self::MethodNotAllowed => "method_not_allowed",
            Self::NameTaken => "name_taken",
            Self::NotBookable => "not_bookable",
            Self::NotFound => "not_found",
            Self::NotServing => "not_serving",
            Self::OwnAccount => "own_account",
            Self::PayloadTooLarge => "payload_too_large",
            Self::RequestIdReused => "request_id_reused",
            Self::SameService => "same_service",
            Self::SentToAnotherDesk => "sent_to_another_desk",
            Self::ServiceInUse => "service_in_use",
            Self::ServiceNotAtDesk => "service_not_at_desk",
            Self::SiteMismatch => "site_mismatch",
            Self::SlotTaken => "slot_taken",
            Self::StaleSettings => "stale_settings",
            Self::TicketInHand => "ticket_in_hand",
            Self::TooEarly => "too_early",
            Self::TooLate => "too_late",
            Self::TooManyGuesses => "too_many_guesses",
            Self::Unauthorized => "unauthorized",
            Self::UndoTooLate => "undo_too_late",
            Self::UnknownCode => "unknown_code",
            Self::UnknownPriority => "unknown_priority",
            Self::UnsupportedAction => "unsupported_action",
            Self::UnsupportedMediaType => "unsupported_media_type",
            Self::UriTooLong => "uri_too_long",
            Self::AlreadyRated => "already_rated",
            Self::InvalidPhone => "invalid_phone",
            Self::InvalidScore => "invalid_score",
            Self::NotDone => "not_done",
            Self::NotOffered => "not_offered",
            Self::PhoneQueueFull => "phone_queue_full",
            Self::TooManyJoins => "too_many_joins",
            Self::WeakPassword => "weak_password",
        }
    }
}

impl std::fmt::Display for ErrorCode {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(self.as_str())
    }
}

/// Every error answer of the API.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, ToSchema)]
pub struct ApiError {
    /// Stable machine-readable code: one of [`ErrorCode`], e.g. `not_found`,
    /// `invalid_transition`. Kept a string on the wire, so that an older client reads a newer
    /// server's codes.
    #[schema(value_type = ErrorCode)]
    pub error: String,
    /// What went wrong, for a person.
    pub message: String,
    /// The same in Greek, where the server has it (a configuration refused on the admin
    /// page); absent otherwise.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub message_el: Option<String>,
}

/// Answer of `GET /healthz`.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, ToSchema)]
pub struct Health {
    /// `ok` or `degraded`.
    pub status: String,
    /// `ok`, or what went wrong with the database.
    pub database: String,
    pub version: String,
}

/// A kiosk's printer, as the kiosk reports it.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
#[serde(rename_all = "snake_case")]
pub enum PrinterStatus {
    Ready,
    PaperNearEnd,
    PaperOut,
    CoverOpen,
    /// It does not answer (unplugged, switched off).
    Offline,
    Error,
    /// The kiosk has no printer.
    None,
}

impl PrinterStatus {
    pub const ALL: [PrinterStatus; 7] = [
        Self::Ready,
        Self::PaperNearEnd,
        Self::PaperOut,
        Self::CoverOpen,
        Self::Offline,
        Self::Error,
        Self::None,
    ];

    pub fn as_str(self) -> &'static str {
        match self {
            Self::Ready => "ready",
            Self::PaperNearEnd => "paper_near_end",
            Self::PaperOut => "paper_out",
            Self::CoverOpen => "cover_open",
            Self::Offline => "offline",
            Self::Error => "error",
            Self::None => "none",
        }
    }

    pub fn parse(s: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|p| p.as_str() == s)
    }

    /// Whether staff should go and look.
    pub fn needs_attention(self) -> bool {
        !matches!(self, Self::Ready | Self::None)
    }
}

/// How often kiosks and displays report in. The server counts a device silent after three
/// missed reports and tells staff.
pub const HEARTBEAT_EVERY: std::time::Duration = std::time::Duration::from_secs(20);

/// Body of `POST /api/v1/sites/{site}/devices/heartbeat`: a kiosk or a display saying it is
/// alive (a display reports no printer: `none`).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct Heartbeat {
    pub printer: PrinterStatus,
}

/// A device as staff see it.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, ToSchema)]
pub struct Device {
    /// The device's token label, e.g. `chania-kiosk`.
    pub name: String,
    pub site: String,
    /// Heard from within the last minute.
    pub online: bool,
    #[schema(value_type = String, format = DateTime)]
    pub last_seen: Timestamp,
    pub printer: PrinterStatus,
}

#[cfg(test)]
mod names_tests {
    use super::*;

    #[test]
    fn a_name_falls_back_to_english_then_greek() {
        let names: Names = [
            ("el", "Επιδόματα"),
            ("en", "Benefits"),
            ("ar", "الإعانات"),
            ("uk", " "),
        ]
        .into_iter()
        .map(|(l, n)| (l.to_owned(), n.to_owned()))
        .collect();
        assert_eq!(names.in_lang("ar"), "الإعانات");
        assert_eq!(names.in_lang("fa"), "Benefits");
        assert_eq!(names.in_lang("uk"), "Benefits", "a blank name is no name");
        assert_eq!(names.in_lang("el"), "Επιδόματα");
        let greek_only: Names = [("el".to_owned(), "Μόνο".to_owned())].into_iter().collect();
        assert_eq!(greek_only.in_lang("sq"), "Μόνο");
        assert_eq!(Names::new().in_lang("el"), "");
    }

    #[test]
    fn request_ids_and_languages_are_checked_when_parsed() {
        assert_eq!(RequestId::parse("kiosk-1_a").unwrap().as_str(), "kiosk-1_a");
        for bad in ["", "with space", "ü", &"x".repeat(65)] {
            assert!(RequestId::parse(bad).is_err(), "{bad:?}");
        }
        assert_eq!(Lang::parse("pt-BR").unwrap().as_str(), "pt-BR");
        for bad in ["e", "el1", "<script>", "abcdefghijklm"] {
            assert!(Lang::parse(bad).is_err(), "{bad:?}");
        }
    }

    #[test]
    fn error_codes_are_the_same_on_the_wire_and_in_the_code() {
        for code in [
            ErrorCode::InvalidLang,
            ErrorCode::NotServing,
            ErrorCode::UriTooLong,
        ] {
            assert_eq!(
                serde_json::to_value(code).unwrap(),
                serde_json::Value::String(code.as_str().to_owned())
            );
        }
    }
}
