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
use crate::queue::calling::{Class, Policy, Run};
use crate::queue::estimate::{self, CALL_WINDOW, Situation};
use crate::queue::forecast;

/// A desk's change of state, from the event log.
#[derive(Debug, Clone, PartialEq)]
pub struct DeskChange {
    pub at: Timestamp,
    pub desk: String,
    pub state: DeskState,
}

/// The estimators compared, in the report's order.
pub const ESTIMATORS: [&str; 4] = ["baseline", "by_desks", "estimate", "forecast"];
const N: usize = ESTIMATORS.len();

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
    abs: [f64; N],
    signed: [f64; N],
    within: [u64; N],
}

impl Sums {
    fn add(&mut self, real: f64, predicted: [f64; N]) {
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
            errors: (0..N)
                .map(|i| Error {
                    mae_min: self.abs[i] / n,
                    within_5_min: self.within[i] as f64 / n,
                    bias_min: self.signed[i] / n,
                })
                .collect(),
        }
    }
}

/// A step as the replay reads it: its statistics' row, and whether it was a priority ticket.
#[derive(Debug, Clone, PartialEq)]
pub struct ReplayRow {
    pub step: StepRow,
    pub priority: bool,
}

/// What the replay needs of the site's configuration.
pub struct SiteShape {
    /// Each desk's services, in its order, and its calling policy, in the configuration's
    /// order of desks (the forecast breaks ties by it, as the engine does).
    pub desks: Vec<(String, (Vec<String>, Policy))>,
    /// Each service's configured typical time and target wait.
    pub configured: HashMap<String, SignedDuration>,
    pub target_wait: HashMap<String, SignedDuration>,
}

/// A booked appointment: its desk's time it held, and when its citizen checked in and was
/// called (from its ticket).
#[derive(Debug, Clone, PartialEq)]
pub struct Booking {
    pub desk: String,
    pub service: String,
    pub from: Timestamp,
    pub to: Timestamp,
    /// Until when it held the desk's time (a no-show's time is freed when its window closes).
    pub held_until: Timestamp,
    pub checked_in_at: Option<Timestamp>,
    pub called_at: Option<Timestamp>,
}

/// The errors of every estimator over `rows` (a site's steps, any order) with its desks'
/// changes and its book: one row per service, then `total`.
pub fn replay(
    shape: &SiteShape,
    rows: &[ReplayRow],
    changes: &[DeskChange],
    bookings: &[Booking],
) -> Vec<ErrorRow> {
    let mut rows: Vec<&ReplayRow> = rows
        .iter()
        .filter(|r| r.step.state != TicketState::Voided)
        .collect();
    rows.sort_by_key(|r| r.step.queued_at);
    let mut changes = changes.to_vec();
    changes.sort_by_key(|c| c.at);
    // Services done, by service, in the order they finished.
    let mut done: HashMap<&str, Vec<(Timestamp, SignedDuration)>> = HashMap::new();
    for r in &rows {
        let r = &r.step;
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
    let recent_of = |service: &str, t: Timestamp| -> Vec<SignedDuration> {
        done.get(service)
            .map(|list| {
                let before = list.partition_point(|(end, _)| *end < t);
                list[..before]
                    .iter()
                    .rev()
                    .take(estimate::RECENT_SERVICES)
                    .map(|(_, d)| *d)
                    .collect()
            })
            .unwrap_or_default()
    };
    let configured = |service: &str| {
        shape
            .configured
            .get(service)
            .copied()
            .unwrap_or(SignedDuration::from_mins(15))
    };
    let waiting_at = |r: &StepRow, t: Timestamp| {
        r.queued_at < t
            && !r.appointment
            && r.called_at.is_none_or(|c| c > t)
            && r.finished_at.is_none_or(|f| f > t)
    };
    let mut by_service: BTreeMap<String, Sums> = BTreeMap::new();
    let mut total = Sums::default();
    for (i, this) in rows.iter().enumerate() {
        let step = &this.step;
        let (Some(called), false, false) = (step.called_at, step.appointment, step.inaccurate_time)
        else {
            continue;
        };
        let t = step.queued_at;
        // Only the day's steps matter for who waits; they are the ones around this one.
        let day_start = t - SignedDuration::from_hours(16);
        let near: Vec<&ReplayRow> = rows[..i]
            .iter()
            .rev()
            .take_while(|r| r.step.queued_at >= day_start)
            .chain(
                rows[i + 1..]
                    .iter()
                    .take_while(|r| r.step.queued_at < t + SignedDuration::from_hours(16)),
            )
            .copied()
            .collect();
        let ahead = near
            .iter()
            .filter(|r| r.step.service == step.service && waiting_at(&r.step, t))
            .count() as u32;
        let waiting_services: std::collections::HashSet<&str> = near
            .iter()
            .filter(|r| waiting_at(&r.step, t))
            .map(|r| &*r.step.service)
            .collect();
        let recent = recent_of(&step.service, t);
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
        // Each desk's citizen in hand at t: their service and when called.
        let in_hand: HashMap<&str, (&str, Timestamp)> = near
            .iter()
            .map(|r| &r.step)
            .filter(|r| r.called_at.is_some_and(|c| c <= t) && r.finished_at.is_none_or(|f| f > t))
            .filter_map(|r| Some((r.desk.as_deref()?, (&*r.service, r.called_at?))))
            .collect();
        let mut shares = Vec::new();
        let mut paused = 0;
        let mut idle = 0;
        for (desk, (services, _)) in &shape.desks {
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
                    if !in_hand.contains_key(desk.as_str()) {
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
            .filter(|r| r.step.service == step.service)
            .filter_map(|r| r.step.called_at.filter(|c| *c >= since && *c < t))
            .map(|c| t.duration_since(c))
            .collect();
        calls_ago.sort();
        let situation = Situation {
            ahead,
            configured: configured(&step.service),
            recent: &recent,
            desk_shares: &shares,
            paused_desks: paused,
            calls_ago: &calls_ago,
            open_for: t.duration_since(opened),
            idle_desks: idle,
        };

        // The forecast: the desks played forward from t.
        let past: Vec<forecast::PastCall<'_>> = near
            .iter()
            .map(|r| &r.step)
            .filter_map(|r| {
                let called_at = r
                    .called_at
                    .filter(|c| *c < t && *c >= t - forecast::OVERHEAD_WINDOW)?;
                Some(forecast::PastCall {
                    desk: r.desk.as_deref()?,
                    called_at,
                    served: r
                        .started_at
                        .zip(r.finished_at)
                        .filter(|(_, end)| *end <= t && r.state == TicketState::Done),
                })
            })
            .collect();
        let overhead = forecast::overhead(&past);
        let times: HashMap<&str, Vec<SignedDuration>> = shape
            .configured
            .keys()
            .map(|service| {
                let recent = recent_of(service, t);
                let times = forecast::desk_times(&recent, configured(service), overhead);
                (service.as_str(), times)
            })
            .collect();
        let desk_times = |service: &str| -> &[SignedDuration] {
            times.get(service).map_or(&[], |t| t.as_slice())
        };
        let target_wait = |service: &str| {
            shape
                .target_wait
                .get(service)
                .copied()
                .unwrap_or(SignedDuration::from_mins(30))
        };
        let mut desks = Vec::new();
        for (desk, (services, policy)) in &shape.desks {
            let doing = match states.get(desk.as_str()).map(|(state, _)| state) {
                Some(DeskState::Open) => match in_hand.get(desk.as_str()) {
                    Some((service, called)) => forecast::Doing::Serving {
                        service,
                        for_: t.duration_since(*called),
                    },
                    None => forecast::Doing::Free,
                },
                Some(DeskState::Paused) => forecast::Doing::Paused,
                _ => continue,
            };
            // The run of kinds the desk's walk-in calls of the day left.
            let mut calls: Vec<(Timestamp, bool)> = near
                .iter()
                .filter(|r| r.step.desk.as_deref() == Some(desk.as_str()) && !r.step.appointment)
                .filter_map(|r| Some((r.step.called_at.filter(|c| *c <= t)?, r.priority)))
                .collect();
            calls.sort();
            let run = calls.iter().fold(None, |run, (_, priority)| {
                Some(Run::after(run, Class::of(*priority)))
            });
            desks.push(forecast::Desk {
                id: desk,
                services,
                policy: *policy,
                run,
                doing,
            });
        }
        let mut tickets: Vec<forecast::Ticket<'_>> = vec![forecast::Ticket {
            service: &step.service,
            class: Class::of(this.priority),
            queued_at: t,
            due_at: None,
            only_desk: None,
            from: t,
        }];
        tickets.extend(
            near.iter()
                .filter(|r| waiting_at(&r.step, t))
                .map(|r| forecast::Ticket {
                    service: &r.step.service,
                    class: Class::of(r.priority),
                    queued_at: r.step.queued_at,
                    due_at: None,
                    only_desk: None,
                    from: t,
                }),
        );
        tickets.extend(
            bookings
                .iter()
                // Checked in and not called yet, or still to come; one whose start has
                // passed without a check-in is late, and counted as not coming.
                .filter(|b| b.held_until > t && b.called_at.is_none_or(|c| c > t))
                .filter(|b| b.checked_in_at.is_some_and(|c| c <= t) || b.from >= t)
                .filter(|b| b.from < t + forecast::HORIZON)
                .map(|b| forecast::Ticket {
                    service: &b.service,
                    class: Class::Ordinary,
                    queued_at: b.checked_in_at.unwrap_or(b.from),
                    due_at: Some(b.from),
                    only_desk: Some(&b.desk),
                    from: b
                        .checked_in_at
                        .filter(|c| *c <= t)
                        .map_or(b.from.max(t), |_| t),
                }),
        );
        let moment = forecast::Moment {
            now: t,
            desks,
            tickets,
            desk_times: &desk_times,
            target_wait: &target_wait,
        };
        let forecast = forecast::called_at(&moment, 0)
            .map(|o| o.median)
            .unwrap_or_else(|| estimate::estimate(&situation));

        let minutes = |d: SignedDuration| d.as_secs_f64() / 60.0;
        let predicted = [
            minutes(estimate::baseline(&situation)),
            minutes(estimate::by_desks(&situation)),
            minutes(estimate::estimate(&situation)),
            minutes(forecast),
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
