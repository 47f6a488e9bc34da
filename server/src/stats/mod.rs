//! Statistics for managers: waiting and service times, volumes and their breakdowns.
//!
//! They read the tickets table: one row per visit step with its four times, written by the
//! engine in the same transaction as each event of the log, so the figures and the log
//! never disagree, and a year of a busy centre is one indexed range scan.
//!
//! - [`figures`]: the arithmetic, pure (tested with known answers).
//! - [`export`]: the figures as CSV and XLSX.

pub mod charts;
pub mod export;
pub mod figures;

pub use figures::{Figures, Group, StepRow, Times, compute, period_bounds};

/// Today at a site, now: who waits, for how long, and what the desks do.
#[derive(Debug, Clone, PartialEq, serde::Serialize)]
pub struct LiveToday {
    /// Per service with someone waiting: its id, how many wait, and the longest wait so far.
    pub waiting: Vec<(String, u32, jiff::SignedDuration)>,
    pub desks_open: u32,
    pub desks_paused: u32,
    /// Open desks with a citizen called or in service.
    pub desks_serving: u32,
}
