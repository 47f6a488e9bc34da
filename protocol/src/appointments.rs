//! Appointments: booked by staff for a service (and, if it matters, a desk) at a time. The
//! citizen keeps a short code to check in with; nothing personal is needed.

use jiff::Timestamp;
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;

/// Where an appointment is in its life.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize, ToSchema)]
#[serde(rename_all = "snake_case")]
pub enum AppointmentState {
    /// In the book; its desk's time is held.
    Booked,
    /// The citizen has checked in: a ticket waits for the desk.
    CheckedIn,
    Served,
    /// Not checked in by the end of its window: its time was freed.
    NoShow,
    /// Cancelled by staff: its time was freed.
    Cancelled,
}

impl AppointmentState {
    pub const ALL: [AppointmentState; 5] = [
        Self::Booked,
        Self::CheckedIn,
        Self::Served,
        Self::NoShow,
        Self::Cancelled,
    ];

    pub fn as_str(self) -> &'static str {
        match self {
            Self::Booked => "booked",
            Self::CheckedIn => "checked_in",
            Self::Served => "served",
            Self::NoShow => "no_show",
            Self::Cancelled => "cancelled",
        }
    }

    pub fn parse(s: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|state| state.as_str() == s)
    }
}

/// Body of `POST /api/v1/sites/{site}/appointments`.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct NewAppointment {
    pub service: String,
    /// The desk (a named specialist's room); any free desk of the service when absent.
    #[serde(default)]
    pub desk: Option<String>,
    /// On a 5-minute boundary.
    #[schema(value_type = String, format = DateTime)]
    pub start: Timestamp,
    /// 5 to 480, in steps of 5.
    #[schema(minimum = 5, maximum = 480, multiple_of = 5)]
    pub minutes: u32,
    /// The same request again returns the same appointment.
    pub request_id: String,
    /// A phone number or address for a reminder, if the citizen wants one (at most 100
    /// characters). It is never shown on a screen, a ticket or in the log, and it is deleted
    /// when the appointment ends.
    #[serde(default)]
    pub contact: Option<String>,
    /// A short word for the colleague who sees the citizen (at most 200 characters, one
    /// line): staff only, never on a public screen or in the log, deleted when it ends.
    #[serde(default)]
    pub note: Option<String>,
}

/// Body of `PATCH /api/v1/appointments/{id}`: a new time, and if given a new length or desk.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct MoveAppointment {
    #[schema(value_type = String, format = DateTime)]
    pub start: Timestamp,
    #[serde(default)]
    #[schema(minimum = 5, maximum = 480, multiple_of = 5)]
    pub minutes: Option<u32>,
    #[serde(default)]
    pub desk: Option<String>,
}

/// An appointment in the book.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, ToSchema)]
pub struct Appointment {
    pub id: String,
    /// Six characters a citizen types at the kiosk or reads out on the phone: capital letters
    /// and digits that cannot be taken for one another.
    pub code: String,
    pub site: String,
    pub service: String,
    /// The desk asked for; `None` when any desk of the service may see the citizen.
    pub desk: Option<String>,
    /// The desk whose time is held: the one asked for, or the one found free.
    pub held_desk: String,
    #[schema(value_type = String, format = DateTime)]
    pub start: Timestamp,
    pub minutes: u32,
    pub state: AppointmentState,
    /// When the citizen checked in, once they have.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[schema(value_type = Option<String>, format = DateTime)]
    pub checked_in_at: Option<Timestamp>,
    /// The ticket check-in made (its number is what the board calls).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub ticket_number: Option<String>,
    /// Staff's note on the booking (staff only).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub note: Option<String>,
}

/// Body of `POST /api/v1/sites/{site}/appointments/{code}/check-in`.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct CheckIn {
    /// The same request again returns the same ticket.
    pub request_id: String,
    /// The language the citizen chose (the call is also spoken in it).
    #[serde(default)]
    pub lang: Option<String>,
}

/// What a site does with a citizen who checks in after the end of the grace window.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Serialize, Deserialize, ToSchema)]
#[serde(rename_all = "snake_case")]
pub enum LateCheckIn {
    /// Joins the walk-in queue by the time of check-in.
    #[default]
    Queue,
    /// Refused at the kiosk (`too_late`), with a word to see reception.
    Refuse,
}

impl LateCheckIn {
    pub fn as_str(self) -> &'static str {
        match self {
            Self::Queue => "queue",
            Self::Refuse => "refuse",
        }
    }
}

/// Body of `POST /api/v1/sites/{site}/appointments/import`.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct ImportAppointments {
    /// The file: a header line naming `date`, `time`, `service`, `reference` (and if wanted
    /// `desk`, `minutes`), then one booking a line; commas or semicolons.
    pub csv: String,
    /// Check every line and book nothing.
    #[serde(default)]
    pub dry_run: bool,
}

/// What an import did, or with `dry_run` would do.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, ToSchema)]
pub struct ImportReport {
    pub dry_run: bool,
    /// Each good line's appointment (its code for the citizen).
    pub appointments: Vec<ImportedAppointment>,
    /// Each bad line, with its number: nothing is booked while there is one.
    pub errors: Vec<ImportLineError>,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, ToSchema)]
pub struct ImportedAppointment {
    pub line: u32,
    pub reference: String,
    /// Booked by an earlier import of the same reference.
    pub existing: bool,
    pub appointment: Appointment,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, ToSchema)]
pub struct ImportLineError {
    pub line: u32,
    /// An error code of the API, as for a booking (`slot_taken`, `invalid_time`…), or
    /// `invalid_import` for a line that cannot be read.
    pub error: String,
    pub message: String,
}
