//! Statistics for managers: waiting and service times, volumes and their breakdowns.
//!
//! They read the tickets table: one row per visit step with its four times, written by the
//! engine in the same transaction as each event of the log, so the figures and the log
//! never disagree, and a year of a busy centre is one indexed range scan.
//!
//! - [`figures`]: the arithmetic, pure (tested with known answers).
//! - [`export`]: the figures as CSV and XLSX.

pub mod export;
pub mod figures;

pub use figures::{Figures, Group, StepRow, Times, compute, period_bounds};
