//! The appointments' own figures, from the book: pure arithmetic, no IO.
//!
//! Definitions (the page, the CSV and the XLSX say the same):
//! - An appointment belongs to the local day of its start. *booked* counts those not
//!   cancelled; *cancelled* those cancelled.
//! - *attended*: checked in (on time or late); *late*: checked in after the site's window
//!   (`check_in_late_min` past the start), so they waited with the walk-ins; *no-show*: not
//!   checked in by then (and not later either), or checked in and then not there when called;
//!   *served*: the visit was done.
//! - *Arrival*: check-in time minus the start (negative: early), of those who checked in.
//! - *Wait from the start*: from the start (or the check-in, if later) to the first call,
//!   of those on time: what an appointment promises.
//! - *No-show rate*: no-shows ÷ (attended + no-shows). *Capacity used*: minutes of the
//!   appointments attended ÷ minutes booked.

use std::collections::BTreeMap;

use jiff::{SignedDuration, Timestamp};
use seira_protocol::AppointmentState;
use serde::Serialize;
use utoipa::ToSchema;

use super::Times;

/// One appointment, as the statistics need it.
#[derive(Debug, Clone, PartialEq)]
pub struct AppointmentRow {
    pub service: String,
    pub minutes: u32,
    pub state: AppointmentState,
    pub start: Timestamp,
    pub checked_in_at: Option<Timestamp>,
    /// The first call of its ticket.
    pub called_at: Option<Timestamp>,
}

/// The appointment figures of one slice (the total, or a service).
#[derive(Debug, Clone, PartialEq, Serialize, ToSchema, Default)]
pub struct AppointmentGroup {
    /// `total`, or the service id.
    pub key: String,
    pub booked: u64,
    pub cancelled: u64,
    pub attended: u64,
    pub late: u64,
    pub no_show: u64,
    pub served: u64,
    pub booked_minutes: u64,
    /// Check-in minus start, in seconds (negative: early).
    pub arrival: Times,
    /// Start (or check-in, if later) to the first call, in seconds, of those on time.
    pub wait_from_start: Times,
    /// Share (0–1) of the appointments whose time came that were missed.
    pub no_show_rate: Option<f64>,
    /// Share (0–1) of the booked minutes whose citizen came.
    pub capacity_used: Option<f64>,
}

#[derive(Default)]
struct Tally {
    group: AppointmentGroup,
    arrivals: Vec<i64>,
    waits: Vec<i64>,
    attended_minutes: u64,
}

impl Tally {
    fn add(&mut self, row: &AppointmentRow, late_window: SignedDuration) {
        let g = &mut self.group;
        if row.state == AppointmentState::Cancelled {
            g.cancelled += 1;
            return;
        }
        g.booked += 1;
        g.booked_minutes += u64::from(row.minutes);
        match row.state {
            AppointmentState::Served => g.served += 1,
            AppointmentState::NoShow => g.no_show += 1,
            _ => {}
        }
        // A no-show after checking in still arrived: the desk called and nobody came.
        let Some(checked) = row.checked_in_at else {
            return;
        };
        if row.state != AppointmentState::NoShow {
            g.attended += 1;
            self.attended_minutes += u64::from(row.minutes);
        }
        self.arrivals
            .push(checked.duration_since(row.start).as_secs());
        if checked > row.start + late_window {
            g.late += 1;
        } else if let Some(called) = row.called_at {
            let from = checked.max(row.start);
            self.waits
                .push(called.duration_since(from).as_secs().max(0));
        }
    }

    fn finish(self, key: String) -> AppointmentGroup {
        let g = self.group;
        let came_or_missed = g.attended + g.no_show;
        AppointmentGroup {
            key,
            arrival: Times::of(self.arrivals),
            wait_from_start: Times::of(self.waits),
            no_show_rate: (came_or_missed > 0).then(|| g.no_show as f64 / came_or_missed as f64),
            capacity_used: (g.booked_minutes > 0)
                .then(|| self.attended_minutes as f64 / g.booked_minutes as f64),
            ..g
        }
    }
}

/// The total first, then each service with appointments, by id.
pub fn compute(rows: &[AppointmentRow], late_window: SignedDuration) -> Vec<AppointmentGroup> {
    let mut total = Tally::default();
    let mut services: BTreeMap<&str, Tally> = BTreeMap::new();
    for row in rows {
        total.add(row, late_window);
        services
            .entry(row.service.as_str())
            .or_default()
            .add(row, late_window);
    }
    std::iter::once(total.finish("total".into()))
        .chain(services.into_iter().map(|(k, t)| t.finish(k.to_owned())))
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;
    use AppointmentState::*;

    fn at(min: i64) -> Timestamp {
        "2026-12-07T08:00:00Z".parse::<Timestamp>().unwrap() + SignedDuration::from_mins(min)
    }

    fn row(
        service: &str,
        state: AppointmentState,
        start: i64,
        checked: Option<i64>,
        called: Option<i64>,
    ) -> AppointmentRow {
        AppointmentRow {
            service: service.into(),
            minutes: 30,
            state,
            start: at(start),
            checked_in_at: checked.map(at),
            called_at: called.map(at),
        }
    }

    /// A morning worked by hand: five appointments of the psychologist, one of the nurse.
    #[test]
    fn a_known_morning() {
        let rows = [
            // Early by 8 min, called 2 min after its start.
            row("psychosocial", Served, 0, Some(-8), Some(2)),
            // 5 min late but within the window, called at once.
            row("psychosocial", Served, 30, Some(35), Some(35)),
            // 20 min late: past the window, queued with the walk-ins.
            row("psychosocial", Served, 60, Some(80), Some(95)),
            // Never came.
            row("psychosocial", NoShow, 90, None, None),
            // Cancelled: out of the counts but its own.
            row("psychosocial", Cancelled, 120, None, None),
            row("health", CheckedIn, 0, Some(-3), None),
        ];
        let groups = compute(&rows, SignedDuration::from_mins(15));
        let total = &groups[0];
        assert_eq!(total.key, "total");
        assert_eq!(
            (
                total.booked,
                total.cancelled,
                total.attended,
                total.late,
                total.no_show,
                total.served
            ),
            (5, 1, 4, 1, 1, 3)
        );
        assert_eq!(total.booked_minutes, 150);
        assert_eq!(total.capacity_used, Some(120.0 / 150.0));
        assert_eq!(total.no_show_rate, Some(0.2));
        // Arrivals −8, +5, +20, −3 minutes: median (−3 + 5) / 2 = 1 minute.
        assert_eq!(total.arrival.count, 4);
        assert_eq!(total.arrival.median_s, Some(60.0));
        // Waits from the start of those on time and called: 2 and 0 minutes.
        assert_eq!(total.wait_from_start.count, 2);
        assert_eq!(total.wait_from_start.mean_s, Some(60.0));
        let keys: Vec<&str> = groups.iter().map(|g| g.key.as_str()).collect();
        assert_eq!(keys, ["total", "health", "psychosocial"]);
        assert_eq!(groups[2].no_show, 1);
    }

    #[test]
    fn nothing_booked_measures_nothing() {
        let groups = compute(&[], SignedDuration::from_mins(15));
        assert_eq!(groups.len(), 1);
        assert_eq!(
            (groups[0].no_show_rate, groups[0].capacity_used),
            (None, None)
        );
    }
}
