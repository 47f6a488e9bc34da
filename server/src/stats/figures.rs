//! The managers' figures for a site and a period, from its visit steps: pure arithmetic, no IO.
//!
//! Definitions (the page, the CSV and the XLSX all say the same):
//! - A *step* is one queue a citizen joined: the ticket as issued, and again after each
//!   transfer (the engine keeps one row per step, written with each event). A step belongs to
//!   the local day and hour (the site's time zone, Europe/Athens) at which it joined its queue.
//! - *issued* counts first steps (tickets); *arrivals* counts every step, transfers included.
//!   *served*, *no-show*, *cancelled* and *transferred* count steps by how they ended; *open*
//!   those not ended yet. Voided tickets (their print failed; nobody held them) are left out.
//! - *Waiting time*: from joining the queue to the first call. *Service time*: from start to
//!   done. Steps flagged `inaccurate_time` (closed by the system at closing time) give no times
//!   and are counted apart.
//! - Mean; median (the middle value, or the mean of the two middle ones); 90th percentile by
//!   nearest rank (the smallest time that at least 90 % of the times do not exceed); maximum.
//! - *Within target*: the share of measured waits no longer than the service's target wait.
//! - *Rating*: citizens' anonymous 1–5 rating of a finished visit (on the phone page), kept on
//!   the step that ended it; *rated* counts them, the *mean rating* averages them, and the
//!   *response rate* is rated ÷ served. Not shown per staff member: the rating is of the
//!   visit, and a person's own figures are not a league table.

use std::collections::{BTreeMap, HashMap};
use std::sync::Arc;

use jiff::civil::Date;
use jiff::tz::TimeZone;
use jiff::{SignedDuration, Timestamp};
use seira_protocol::TicketState;
use serde::Serialize;
use utoipa::ToSchema;

/// One visit step, as the statistics need it.
#[derive(Debug, Clone, PartialEq)]
pub struct StepRow {
    // Shared strings: a year holds a million rows naming a handful of services and desks.
    pub service: Arc<str>,
    pub state: TicketState,
    pub step: u32,
    pub desk: Option<Arc<str>>,
    /// Who called it (the staff member's account or the desk token's label).
    pub staff: Option<Arc<str>>,
    pub queued_at: Timestamp,
    pub called_at: Option<Timestamp>,
    pub started_at: Option<Timestamp>,
    pub finished_at: Option<Timestamp>,
    pub inaccurate_time: bool,
    /// A checked-in appointment's visit (else a walk-in: kiosk, phone or staff).
    pub appointment: bool,
    /// The citizen's rating of the visit this step ended (1–5).
    pub rating: Option<u8>,
}

/// A time distribution, in seconds.
#[derive(Debug, Clone, PartialEq, Serialize, ToSchema, Default)]
pub struct Times {
    /// How many times were measured.
    pub count: u64,
    pub mean_s: Option<f64>,
    pub median_s: Option<f64>,
    pub p90_s: Option<i64>,
    pub max_s: Option<i64>,
}

impl Times {
    pub(crate) fn of(mut seconds: Vec<i64>) -> Times {
        if seconds.is_empty() {
            return Times::default();
        }
        let n = seconds.len();
        let sum: i64 = seconds.iter().sum();
        let max = seconds.iter().copied().max();
        // Order statistics by selection, not by sorting: a year holds a million waits, and
        // the figures are a dozen such lists.
        let mut nth = |k: usize| -> (i64, i64) {
            let (below, &mut value, _) = seconds.select_nth_unstable(k);
            let before = below.iter().copied().max().unwrap_or(value);
            (before, value)
        };
        let median = if n % 2 == 1 {
            nth(n / 2).1 as f64
        } else {
            let (before, value) = nth(n / 2);
            (before + value) as f64 / 2.0
        };
        // Nearest rank: the ⌈0.9·n⌉-th smallest.
        let rank = (n * 9).div_ceil(10).max(1);
        let p90 = nth(rank - 1).1;
        Times {
            count: n as u64,
            mean_s: Some(sum as f64 / n as f64),
            median_s: Some(median),
            p90_s: Some(p90),
            max_s: max,
        }
    }
}

/// The figures of one slice of the period (a service, a desk, an hour…).
#[derive(Debug, Clone, PartialEq, Serialize, ToSchema, Default)]
pub struct Group {
    /// The service or desk id, staff label, hour (`08`), weekday (`1` = Monday) or date.
    pub key: String,
    pub issued: u64,
    pub arrivals: u64,
    pub served: u64,
    pub no_show: u64,
    pub cancelled: u64,
    pub transferred: u64,
    pub open: u64,
    /// Steps closed by the system, left out of the times.
    pub inaccurate: u64,
    pub wait: Times,
    pub service: Times,
    /// Share (0–1) of the measured waits within the service's target.
    pub within_target: Option<f64>,
    /// Visits rated by their citizens.
    #[serde(default)]
    pub rated: u64,
    /// The mean of those ratings (1–5).
    pub rating_mean: Option<f64>,
    /// Share (0–1) of the served visits that were rated.
    pub rating_response: Option<f64>,
}

/// A bar of the waiting-time distribution: waits of at least `from_min` and under `to_min`.
#[derive(Debug, Clone, PartialEq, Serialize, ToSchema)]
pub struct Bucket {
    pub from_min: u32,
    /// `None` for the last, open bar.
    pub to_min: Option<u32>,
    pub count: u64,
}

/// Everything a manager sees for a site and a period.
#[derive(Debug, Clone, PartialEq, Serialize, ToSchema)]
pub struct Figures {
    pub site: String,
    /// The first and last day of the period, inclusive.
    #[schema(value_type = String, format = Date)]
    pub from: Date,
    #[schema(value_type = String, format = Date)]
    pub to: Date,
    pub time_zone: String,
    pub totals: Group,
    pub by_service: Vec<Group>,
    pub by_desk: Vec<Group>,
    /// Who called: staff members' accounts and the desks' or devices' tokens.
    pub by_staff: Vec<Group>,
    /// The keys of `by_staff` that are tokens (a desk's or a device's), not people.
    #[serde(default)]
    pub staff_tokens: Vec<String>,
    /// 24 groups, `00` to `23`, by the hour citizens joined the queue.
    pub by_hour: Vec<Group>,
    /// 7 groups, `1` (Monday) to `7` (Sunday).
    pub by_weekday: Vec<Group>,
    /// One group per day of the period.
    pub by_day: Vec<Group>,
    /// Walk-ins (`walk_in`: kiosk, phone, staff) and appointments (`appointment`) apart.
    #[serde(default)]
    pub by_channel: Vec<Group>,
    /// The appointments' own figures: the total, then each service (see
    /// [`super::appointments`]).
    #[serde(default)]
    pub appointments: Vec<super::appointments::AppointmentGroup>,
    pub wait_histogram: Vec<Bucket>,
    /// Arrivals by weekday (rows, Monday first) and hour (columns, 0–23).
    pub heatmap: Vec<Vec<u64>>,
}

/// The bars of the waiting-time distribution, in minutes.
const BUCKETS: [u32; 9] = [0, 5, 10, 15, 20, 30, 45, 60, 90];

/// The period's first instant and the instant after its last day, in `tz`.
pub fn period_bounds(from: Date, to: Date, tz: &TimeZone) -> Option<(Timestamp, Timestamp)> {
    let start = from.to_zoned_datetime(tz.clone()).ok()?.timestamp();
    let end = to
        .tomorrow()
        .ok()?
        .to_zoned_datetime(tz.clone())
        .ok()?
        .timestamp();
    Some((start, end))
}

/// Accumulates one group.
#[derive(Default)]
struct Tally {
    group: Group,
    waits: Vec<i64>,
    services: Vec<i64>,
    within: u64,
    rating_sum: u64,
}

impl Tally {
    fn add(&mut self, row: &StepRow, wait: Option<i64>, service: Option<i64>, target: Option<i64>) {
        let g = &mut self.group;
        g.arrivals += 1;
        if row.step == 1 {
            g.issued += 1;
        }
        match row.state {
            TicketState::Done => g.served += 1,
            TicketState::NoShow => g.no_show += 1,
            TicketState::Cancelled => g.cancelled += 1,
            TicketState::Transferred => g.transferred += 1,
            TicketState::Voided => {}
            TicketState::Waiting
            | TicketState::Called
            | TicketState::Serving
            | TicketState::Parked => g.open += 1,
        }
        if row.inaccurate_time {
            g.inaccurate += 1;
        }
        if let Some(wait) = wait {
            self.waits.push(wait);
            if target.is_some_and(|t| wait <= t) {
                self.within += 1;
            }
        }
        if let Some(service) = service {
            self.services.push(service);
        }
        if let Some(score) = row.rating {
            g.rated += 1;
            self.rating_sum += u64::from(score);
        }
    }

    fn finish(self, key: String) -> Group {
        let measured = self.waits.len();
        let (rated, served) = (self.group.rated, self.group.served);
        Group {
            key,
            within_target: (measured > 0).then(|| self.within as f64 / measured as f64),
            rating_mean: (rated > 0).then(|| self.rating_sum as f64 / rated as f64),
            rating_response: (served > 0).then(|| rated as f64 / served as f64),
            wait: Times::of(self.waits),
            service: Times::of(self.services),
            ..self.group
        }
    }
}

fn seconds(from: Timestamp, to: Timestamp) -> i64 {
    to.duration_since(from).as_secs().max(0)
}

/// The figures of `rows` (the site's steps that joined a queue in the period), with each
/// service's target wait.
pub fn compute(
    site: &str,
    from: Date,
    to: Date,
    tz: &TimeZone,
    targets: &HashMap<String, SignedDuration>,
    rows: &[StepRow],
) -> Figures {
    let mut totals = Tally::default();
    let mut services: BTreeMap<Arc<str>, Tally> = BTreeMap::new();
    let mut desks: BTreeMap<Arc<str>, Tally> = BTreeMap::new();
    let mut staff: BTreeMap<Arc<str>, Tally> = BTreeMap::new();
    let mut hours: Vec<Tally> = (0..24).map(|_| Tally::default()).collect();
    let mut weekdays: Vec<Tally> = (0..7).map(|_| Tally::default()).collect();
    let mut days: BTreeMap<Date, Tally> = BTreeMap::new();
    let (mut walk_ins, mut appointments) = (Tally::default(), Tally::default());
    let mut histogram = vec![0u64; BUCKETS.len()];
    let mut heatmap = vec![vec![0u64; 24]; 7];
    let mut day = from;
    while day <= to {
        days.insert(day, Tally::default());
        match day.tomorrow() {
            Ok(next) => day = next,
            Err(_) => break,
        }
    }

    for row in rows {
        if row.state == TicketState::Voided {
            continue;
        }
        let local = row.queued_at.to_zoned_datetime(tz.clone());
        let (hour, weekday) = (
            local.hour() as usize,
            local.weekday().to_monday_zero_offset() as usize,
        );
        let measured = !row.inaccurate_time;
        let wait = row
            .called_at
            .filter(|_| measured)
            .map(|called| seconds(row.queued_at, called));
        let service = match (row.state, row.started_at, row.finished_at) {
            (TicketState::Done, Some(start), Some(end)) if measured => Some(seconds(start, end)),
            _ => None,
        };
        let target = targets.get(&*row.service).map(|t| t.as_secs());
        if let Some(wait) = wait {
            let minutes = (wait / 60) as u32;
            let bar = BUCKETS
                .iter()
                .rposition(|&from| minutes >= from)
                .unwrap_or(0);
            histogram[bar] += 1;
        }
        heatmap[weekday][hour] += 1;
        totals.add(row, wait, service, target);
        services
            .entry(row.service.clone())
            .or_default()
            .add(row, wait, service, target);
        if let Some(desk) = &row.desk {
            desks
                .entry(desk.clone())
                .or_default()
                .add(row, wait, service, target);
        }
        if let Some(who) = &row.staff {
            staff
                .entry(who.clone())
                .or_default()
                .add(row, wait, service, target);
        }
        if row.appointment {
            appointments.add(row, wait, service, target);
        } else {
            walk_ins.add(row, wait, service, target);
        }
        hours[hour].add(row, wait, service, target);
        weekdays[weekday].add(row, wait, service, target);
        days.entry(local.date())
            .or_default()
            .add(row, wait, service, target);
    }

    let groups = |map: BTreeMap<Arc<str>, Tally>| -> Vec<Group> {
        map.into_iter()
            .map(|(key, t)| t.finish(key.to_string()))
            .collect()
    };
    Figures {
        site: site.to_owned(),
        from,
        to,
        time_zone: tz.iana_name().unwrap_or("UTC").to_owned(),
        totals: totals.finish("total".into()),
        by_service: groups(services),
        by_desk: groups(desks),
        by_staff: groups(staff)
            .into_iter()
            .map(|g| Group {
                rated: 0,
                rating_mean: None,
                rating_response: None,
                ..g
            })
            .collect(),
        staff_tokens: Vec::new(),
        by_hour: hours
            .into_iter()
            .enumerate()
            .map(|(h, t)| t.finish(format!("{h:02}")))
            .collect(),
        by_weekday: weekdays
            .into_iter()
            .enumerate()
            .map(|(d, t)| t.finish((d + 1).to_string()))
            .collect(),
        by_day: days
            .into_iter()
            .map(|(d, t)| t.finish(d.to_string()))
            .collect(),
        by_channel: vec![
            walk_ins.finish("walk_in".into()),
            appointments.finish("appointment".into()),
        ],
        appointments: Vec::new(),
        wait_histogram: BUCKETS
            .iter()
            .enumerate()
            .map(|(i, &from)| Bucket {
                from_min: from,
                to_min: BUCKETS.get(i + 1).copied(),
                count: histogram[i],
            })
            .collect(),
        heatmap,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn athens() -> TimeZone {
        TimeZone::get("Europe/Athens").unwrap()
    }

    fn at(s: &str) -> Timestamp {
        s.parse::<jiff::ZonedDateTime>().unwrap().timestamp()
    }

    #[test]
    fn medians_and_the_90th_percentile_by_nearest_rank() {
        let t = Times::of(vec![60, 10, 30, 20, 50, 40, 70, 80, 90, 100]);
        assert_eq!(t.count, 10);
        assert_eq!(t.mean_s, Some(55.0));
        assert_eq!(t.median_s, Some(55.0));
        assert_eq!(t.p90_s, Some(90));
        assert_eq!(t.max_s, Some(100));
        let odd = Times::of(vec![5, 1, 3]);
        assert_eq!((odd.median_s, odd.p90_s), (Some(3.0), Some(5)));
        assert_eq!(Times::of(vec![]), Times::default());
    }

    /// A step that joined its queue at `queued` (Athens time), called after `wait` minutes,
    /// served for `service` minutes when given.
    fn step(service: &str, queued: &str, wait: i64, served: Option<i64>) -> StepRow {
        let queued_at = at(queued);
        let called_at = queued_at + SignedDuration::from_mins(wait);
        let started_at = called_at + SignedDuration::from_mins(1);
        StepRow {
            service: service.into(),
            state: if served.is_some() {
                TicketState::Done
            } else {
                TicketState::NoShow
            },
            step: 1,
            desk: Some("chania-1".into()),
            staff: Some("maria".into()),
            queued_at,
            called_at: Some(called_at),
            started_at: served.map(|_| started_at),
            finished_at: Some(started_at + SignedDuration::from_mins(served.unwrap_or(2))),
            inaccurate_time: false,
            appointment: false,
            rating: None,
        }
    }

    fn targets() -> HashMap<String, SignedDuration> {
        [("benefits".to_owned(), SignedDuration::from_mins(20))]
            .into_iter()
            .collect()
    }

    #[test]
    fn the_day_the_clocks_go_back_has_two_three_oclocks_and_one_date() {
        // 25 October 2026, 03:30 happens twice in Athens: once at +03:00, once at +02:00.
        let rows = vec![
            step(
                "benefits",
                "2026-10-25T03:30:00+03:00[Europe/Athens]",
                10,
                Some(5),
            ),
            step(
                "benefits",
                "2026-10-25T03:30:00+02:00[Europe/Athens]",
                30,
                Some(5),
            ),
            step(
                "benefits",
                "2026-10-25T23:50:00+02:00[Europe/Athens]",
                4,
                None,
            ),
            // 00:10 on the 26th belongs to the next day, though it is the 25th in UTC.
            step(
                "benefits",
                "2026-10-26T00:10:00+02:00[Europe/Athens]",
                1,
                None,
            ),
        ];
        let day: Date = "2026-10-25".parse().unwrap();
        let next: Date = "2026-10-26".parse().unwrap();
        let f = compute("chania", day, next, &athens(), &targets(), &rows);
        assert_eq!(f.by_day.len(), 2);
        assert_eq!(
            (f.by_day[0].key.as_str(), f.by_day[0].arrivals),
            ("2026-10-25", 3)
        );
        assert_eq!(
            (f.by_day[1].key.as_str(), f.by_day[1].arrivals),
            ("2026-10-26", 1)
        );
        assert_eq!(f.by_hour[3].arrivals, 2);
        assert_eq!(f.by_hour[3].wait.mean_s, Some(1200.0));
        assert_eq!(f.by_hour[23].arrivals, 1);
        assert_eq!(f.by_hour[0].arrivals, 1);
        // Sunday is weekday 7; Monday 1.
        assert_eq!(f.by_weekday[6].arrivals, 3);
        assert_eq!(f.by_weekday[0].arrivals, 1);
        assert_eq!(f.heatmap[6][3], 2);
        // Waits 10, 30, 4, 1 minutes: three within the 20-minute target.
        assert_eq!(f.totals.within_target, Some(0.75));
        assert_eq!(f.totals.served, 2);
        assert_eq!(f.totals.no_show, 2);
    }

    #[test]
    fn inaccurate_times_are_counted_apart_and_left_out_of_the_times() {
        let mut closed = step(
            "benefits",
            "2026-11-16T14:00:00+02:00[Europe/Athens]",
            90,
            Some(200),
        );
        closed.inaccurate_time = true;
        let rows = vec![
            step(
                "benefits",
                "2026-11-16T09:00:00+02:00[Europe/Athens]",
                10,
                Some(15),
            ),
            closed,
        ];
        let day: Date = "2026-11-16".parse().unwrap();
        let f = compute("chania", day, day, &athens(), &targets(), &rows);
        assert_eq!(f.totals.arrivals, 2);
        assert_eq!(f.totals.served, 2);
        assert_eq!(f.totals.inaccurate, 1);
        assert_eq!(f.totals.wait.count, 1);
        assert_eq!(f.totals.wait.max_s, Some(600));
        assert_eq!(f.totals.service.max_s, Some(900));
        assert_eq!(f.totals.within_target, Some(1.0));
        // The distribution: one wait of 10 minutes, in the 10–15 bar.
        let bars: Vec<u64> = f.wait_histogram.iter().map(|b| b.count).collect();
        assert_eq!(bars, [0, 0, 1, 0, 0, 0, 0, 0, 0]);
        assert_eq!(f.wait_histogram.last().unwrap().to_min, None);
    }

    #[test]
    fn voided_tickets_are_left_out_and_an_empty_period_has_no_times() {
        let mut voided = step(
            "benefits",
            "2026-11-16T09:00:00+02:00[Europe/Athens]",
            1,
            None,
        );
        voided.state = TicketState::Voided;
        let day: Date = "2026-11-16".parse().unwrap();
        let f = compute("chania", day, day, &athens(), &targets(), &[voided]);
        assert_eq!(f.totals.arrivals, 0);
        assert_eq!(f.totals.wait, Times::default());
        assert_eq!(f.totals.within_target, None);
        assert_eq!(f.by_day.len(), 1);
    }

    #[test]
    fn selection_gives_what_sorting_gives() {
        // A fixed pseudo-random list, with repeats, of every length up to 60.
        let mut x: i64 = 7;
        for n in 1..60usize {
            let list: Vec<i64> = (0..n)
                .map(|_| {
                    x = (x * 1_103_515_245 + 12_345) % 2_147_483_648;
                    x % 50
                })
                .collect();
            let mut sorted = list.clone();
            sorted.sort_unstable();
            let median = if n % 2 == 1 {
                sorted[n / 2] as f64
            } else {
                (sorted[n / 2 - 1] + sorted[n / 2]) as f64 / 2.0
            };
            let t = Times::of(list);
            assert_eq!(t.median_s, Some(median), "{sorted:?}");
            assert_eq!(
                t.p90_s,
                Some(sorted[(n * 9).div_ceil(10) - 1]),
                "{sorted:?}"
            );
            assert_eq!(t.max_s, sorted.last().copied());
        }
    }

    #[test]
    fn a_period_is_whole_local_days_even_across_the_change_of_hour() {
        // 25 October 2026: clocks go back an hour in Athens; the day lasts 25 hours.
        let day: Date = "2026-10-25".parse().unwrap();
        let (start, end) = period_bounds(day, day, &athens()).unwrap();
        assert_eq!(start, "2026-10-24T21:00:00Z".parse().unwrap());
        assert_eq!(end, "2026-10-25T22:00:00Z".parse().unwrap());
        assert_eq!(end.duration_since(start).as_hours(), 25);
    }
}
