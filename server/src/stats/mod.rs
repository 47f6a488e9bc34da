//! Statistics for managers: waiting and service times, volumes and their breakdowns.
//!
//! They read the tickets table: one row per visit step with its four times, written by the
//! engine in the same transaction as each event of the log, so the figures and the log
//! never disagree, and a year of a busy centre is one indexed range scan.
//!
//! - [`figures`]: the arithmetic, pure (tested with known answers).
//! - [`appointments`]: the appointments' own figures (punctuality, no-shows, capacity used).
//! - [`export`]: the figures as CSV and XLSX.
//! - [`estimates`]: how far the estimated waits were from the real ones (a replay).

pub mod appointments;
pub mod charts;
pub mod estimates;
pub mod export;
pub mod figures;

pub use appointments::{AppointmentGroup, AppointmentRow};
pub use figures::{Figures, Group, StepRow, Times, compute, period_bounds};

/// Today at a site, now: who waits, for how long, and what the desks do.
#[derive(Debug, Clone, PartialEq, serde::Serialize, utoipa::ToSchema)]
pub struct LiveToday {
    pub site: String,
    #[schema(value_type = String, format = DateTime)]
    pub at: jiff::Timestamp,
    /// The services with someone waiting.
    pub queues: Vec<LiveQueue>,
    pub desks_open: u32,
    pub desks_paused: u32,
    /// Desks with a citizen called or in service.
    pub desks_serving: u32,
}

/// One service's queue now.
#[derive(Debug, Clone, PartialEq, serde::Serialize, utoipa::ToSchema)]
pub struct LiveQueue {
    pub service: String,
    pub names: seira_protocol::Names,
    pub waiting: u32,
    /// How long the first in line has waited, in seconds.
    pub longest_wait_s: i64,
}
