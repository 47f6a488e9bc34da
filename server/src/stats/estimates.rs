//! How good the estimated waits are: a replay of a site's history through each estimator of
//! [`crate::queue::estimate`] at every ticket's arrival, against the wait it really had;
//! pure. At the moment a step joined its queue, the replay rebuilds what the server knew
//! then (who waited ahead, the desks open and paused and the services they shared, the
//! recent service times, the calls of the last half hour) and asks each estimator.
//!
//! Steps measured: walk-ins (not appointments) that were called, with real times (not closed
//! by the system). The error of one estimate is |predicted − real| in minutes; the report
//! gives, per service and in all, the mean absolute error and the share within ±5 minutes.

use std::collections::{BTreeMap, HashMap};

use jiff::{SignedDuration, Timestamp};
use seira_protocol::{DeskState, TicketState};
use serde::Serialize;

use super::StepRow;
use crate::queue::estimate::{self, CALL_WINDOW, Situation};

/// A desk's change of state, from the event log.
#[derive(Debug, Clone, PartialEq)]
pub struct DeskChange {
    pub at: Timestamp,
    pub desk: String,
    pub state: DeskState,
}

/// The estimators compared, in the report's order.
pub const ESTIMATORS: [&str; 3] = ["baseline", "by_desks", "estimate"];

/// One estimator's error over a group of steps.
#[derive(Debug, Clone, Default, PartialEq, Serialize)]
pub struct Error {
    /// Mean absolute error, minutes.
    pub mae_min: f64,
    /// Share (0–1) of estimates within ±5 minutes of the real wait.
    pub within_5_min: f64,
    /// Mean of predicted − real, minutes: above 0 the estimator says too long.
    pub bias_min: f64,
}

/// The errors of a service (or `total`).
#[derive(Debug, Clone, Default, PartialEq, Serialize)]
pub struct ErrorRow {
    pub key: String,
    pub steps: u64,
    /// The mean real wait, minutes.
    pub mean_wait_min: f64,
    /// By estimator, in the order of [`ESTIMATORS`].
    pub errors: Vec<Error>,
}

#[derive(Default)]
struct Sums {
    steps: u64,
    wait: f64,
    abs: [f64; 3],
    signed: [f64; 3],
    within: [u64; 3],
}

impl Sums {
    fn add(&mut self, real: f64, predicted: [f64; 3]) {
        self.steps += 1;
        self.wait += real;
        for (i, p) in predicted.iter().enumerate() {
            let error = (p - real).abs();
            self.abs[i] += error;
            self.signed[i] += p - real;
            if error <= 5.0 {
                self.within[i] += 1;
            }
        }
    }

    fn row(&self, key: String) -> ErrorRow {
        let n = self.steps.max(1) as f64;
        ErrorRow {
            key,
            steps: self.steps,
            mean_wait_min: self.wait / n,
            errors: (0..3)
                .map(|i| Error {
                    mae_min: self.abs[i] / n,
                    within_5_min: self.within[i] as f64 / n,
                    bias_min: self.signed[i] / n,
                })
                .collect(),
        }
    }
}

/// Which services each desk serves, and each service's configured typical time: what the
/// replay needs of the site's configuration.
pub struct SiteShape {
    /// Each desk's services.
    pub desks: HashMap<String, Vec<String>>,
    pub configured: HashMap<String, SignedDuration>,
}

/// A desk's time an appointment held: its desk, from, to, and until when it held it (a
/// no-show's time is freed when its window closes).
#[derive(Debug, Clone, PartialEq)]
pub struct Booking {
    pub desk: String,
    pub from: Timestamp,
    pub to: Timestamp,
    pub held_until: Timestamp,
}

/// The errors of every estimator over `rows` (a site's steps, any order) with its desks'
/// changes: one row per service, then `total`.
pub fn replay(
    shape: &SiteShape,
    rows: &[StepRow],
    changes: &[DeskChange],
    bookings: &[Booking],
) -> Vec<ErrorRow> {
    let mut rows: Vec<&StepRow> = rows
        .iter()
        .filter(|r| r.state != TicketState::Voided)
        .collect();
    rows.sort_by_key(|r| r.queued_at);
    let mut changes = changes.to_vec();
    changes.sort_by_key(|c| c.at);
    // Services done, by service, in the order they finished.
    let mut done: HashMap<&str, Vec<(Timestamp, SignedDuration)>> = HashMap::new();
    for r in &rows {
        if let (TicketState::Done, Some(start), Some(end), false) =
            (r.state, r.started_at, r.finished_at, r.inaccurate_time)
        {
            done.entry(&r.service)
                .or_default()
                .push((end, end.duration_since(start)));
        }
    }
    for list in done.values_mut() {
        list.sort_by_key(|(end, _)| *end);
    }
    let waiting_at = |r: &StepRow, t: Timestamp| {
        r.queued_at < t
            && !r.appointment
            && r.called_at.is_none_or(|c| c > t)
            && r.finished_at.is_none_or(|f| f > t)
    };
    let mut by_service: BTreeMap<String, Sums> = BTreeMap::new();
    let mut total = Sums::default();
    for (i, step) in rows.iter().enumerate() {
        let (Some(called), false, false) = (step.called_at, step.appointment, step.inaccurate_time)
        else {
            continue;
        };
        let t = step.queued_at;
        // Only the day's steps matter for who waits; they are the ones around this one.
        let day_start = t - SignedDuration::from_hours(16);
        let near: Vec<&&StepRow> = rows[..i]
            .iter()
            .rev()
            .take_while(|r| r.queued_at >= day_start)
            .chain(
                rows[i + 1..]
                    .iter()
                    .take_while(|r| r.queued_at < t + SignedDuration::from_hours(16)),
            )
            .collect();
        let ahead = near
            .iter()
            .filter(|r| r.service == step.service && waiting_at(r, t))
            .count() as u32;
        let waiting_services: std::collections::HashSet<&str> = near
            .iter()
            .filter(|r| waiting_at(r, t))
            .map(|r| &*r.service)
            .collect();
        let recent: Vec<SignedDuration> = done
            .get(&*step.service)
            .map(|list| {
                let before = list.partition_point(|(end, _)| *end < t);
                list[..before]
                    .iter()
                    .rev()
                    .take(estimate::RECENT_SERVICES)
                    .map(|(_, d)| *d)
                    .collect()
            })
            .unwrap_or_default();
        // The desks' states at t; the earliest opening of those open starts the pace's
        // window (as the engine sees it: each desk's last change).
        let mut states: HashMap<&str, (DeskState, Timestamp)> = HashMap::new();
        for c in changes.iter().take_while(|c| c.at <= t) {
            states.insert(&c.desk, (c.state, c.at));
        }
        let first_open = states
            .values()
            .filter(|(state, _)| *state == DeskState::Open)
            .map(|(_, at)| *at)
            .min();
        let in_hand: std::collections::HashSet<&str> = near
            .iter()
            .filter(|r| r.called_at.is_some_and(|c| c <= t) && r.finished_at.is_none_or(|f| f > t))
            .filter_map(|r| r.desk.as_deref())
            .collect();
        let mut shares = Vec::new();
        let mut paused = 0;
        let mut idle = 0;
        for (desk, services) in &shape.desks {
            if !services.iter().any(|s| *s == *step.service) {
                continue;
            }
            match states.get(desk.as_str()).map(|(state, _)| state) {
                Some(DeskState::Open) => {
                    let share = estimate::desk_share(services, &step.service, |s| {
                        waiting_services.contains(s)
                    });
                    let booked: Vec<(Timestamp, Timestamp)> = bookings
                        .iter()
                        .filter(|b| b.desk == *desk && b.held_until > t)
                        .map(|b| (b.from, b.to))
                        .collect();
                    let free = 1.0 - estimate::booked_share(&booked, t);
                    shares.push(free * share);
                    if !in_hand.contains(desk.as_str()) {
                        idle += 1;
                    }
                }
                Some(DeskState::Paused) => paused += 1,
                _ => {}
            }
        }
        let opened = first_open.unwrap_or(t);
        let since = (t - CALL_WINDOW).max(opened);
        let mut calls_ago: Vec<SignedDuration> = near
            .iter()
            .filter(|r| r.service == step.service)
            .filter_map(|r| r.called_at.filter(|c| *c >= since && *c < t))
            .map(|c| t.duration_since(c))
            .collect();
        calls_ago.sort();
        let situation = Situation {
            ahead,
            configured: shape
                .configured
                .get(&*step.service)
                .copied()
                .unwrap_or(SignedDuration::from_mins(15)),
            recent: &recent,
            desk_shares: &shares,
            paused_desks: paused,
            calls_ago: &calls_ago,
            open_for: t.duration_since(opened),
            idle_desks: idle,
        };
        let minutes = |d: SignedDuration| d.as_secs_f64() / 60.0;
        let predicted = [
            minutes(estimate::baseline(&situation)),
            minutes(estimate::by_desks(&situation)),
            minutes(estimate::estimate(&situation)),
        ];
        let real = minutes(called.duration_since(t));
        total.add(real, predicted);
        by_service
            .entry(step.service.to_string())
            .or_default()
            .add(real, predicted);
    }
    by_service
        .into_iter()
        .map(|(key, sums)| sums.row(key))
        .chain([total.row("total".into())])
        .collect()
}
