//! The estimated wait of a ticket, and the estimators it was chosen from.
//!
//! [`estimate`] is what citizens see: the pace at which the service's tickets were called in
//! the last half hour, when there is one to go by (it already holds the desks open now, the
//! other services they share their time with, priorities and breaks); before that, the
//! recent service times shared among the desks open now, each desk counted for its share of
//! the services it serves that have someone waiting, less what its appointments hold of its
//! next two hours, a paused desk for half. [`baseline`]
//! (people ahead × the configured typical service time) and [`by_desks`] (the estimator
//! before: the median of the recent service times ÷ the open desks) stay for the replay that
//! measures them all (`seira bench --estimates`, figures in BENCHMARKS.md).

use jiff::{SignedDuration, Timestamp};

/// How many recent services the typical service time is taken from.
pub const RECENT_SERVICES: usize = 20;

/// The typical service time: the median of the recent ones, or the configured default when
/// there are none yet (a new day, a new service).
pub fn typical_service(recent: &[SignedDuration], default: SignedDuration) -> SignedDuration {
    if recent.is_empty() {
        return default;
    }
    let mut sorted = recent.to_vec();
    sorted.sort();
    let mid = sorted.len() / 2;
    if sorted.len() % 2 == 1 {
        sorted[mid]
    } else {
        (sorted[mid - 1] + sorted[mid]) / 2
    }
}

/// The wait of someone with `ahead` people before them, when `open_desks` desks serve the
/// service. With no desk open the estimate is made as if one were (it will open).
pub fn estimate_wait(ahead: u32, typical: SignedDuration, open_desks: u32) -> SignedDuration {
    let desks = open_desks.max(1) as i64;
    let total = typical.as_secs() * ahead as i64;
    SignedDuration::from_secs((total + desks - 1) / desks)
}

/// How far back the pace of calls is measured. (Longer windows, and two hours for services
/// seldom called, measured worse in the replay: the pace of a morning is not the noon's.)
pub const CALL_WINDOW: SignedDuration = SignedDuration::from_mins(30);
/// Calls before the pace is trusted alone; below it, blended with the desks' capacity.
const TRUSTED_CALLS: f64 = 4.0;
/// A window shorter than this (the day has just begun) says nothing of the pace.
const SHORTEST_WINDOW: SignedDuration = SignedDuration::from_mins(10);

/// What an estimate knows of the moment: the queue, the desks and the recent past.
#[derive(Debug, Clone, Default)]
pub struct Situation<'a> {
    /// People ahead in the same service.
    pub ahead: u32,
    /// The service's configured typical service time.
    pub configured: SignedDuration,
    /// Its recent service times (at most [`RECENT_SERVICES`]).
    pub recent: &'a [SignedDuration],
    /// Each open desk that serves the service, as the share of its time the service may
    /// expect: 1 ÷ the services it serves that have someone waiting (this one included),
    /// less the share its appointments hold ([`booked_share`]).
    pub desk_shares: &'a [f64],
    /// Desks that serve the service and are paused now (they will be back).
    pub paused_desks: u32,
    /// How long ago the service's calls of the last [`CALL_WINDOW`] of the day were.
    pub calls_ago: &'a [SignedDuration],
    /// How long the site's first desk of the day has been open.
    pub open_for: SignedDuration,
    /// Open desks that serve the service with nobody in hand now.
    pub idle_desks: u32,
}

/// How far ahead a desk's booked appointments take from its time for walk-ins.
pub const BOOK_WINDOW: SignedDuration = SignedDuration::from_hours(2);

/// The share of a desk's next [`BOOK_WINDOW`] that its appointments hold (0–1): what a
/// walk-in cannot have of it. `booked` are the appointments' `[start, end)`.
pub fn booked_share(booked: &[(Timestamp, Timestamp)], now: Timestamp) -> f64 {
    let end = now + BOOK_WINDOW;
    let held: f64 = booked
        .iter()
        .map(|(from, to)| {
            let (from, to) = ((*from).max(now), (*to).min(end));
            if to > from {
                to.duration_since(from).as_secs_f64()
            } else {
                0.0
            }
        })
        .sum();
    (held / BOOK_WINDOW.as_secs_f64()).min(1.0)
}

/// The share of an open desk's time that `service` may expect, before its appointments:
/// 1 ÷ the desk's `services` for which `waiting` says someone waits (this one included).
/// (Counting a desk that calls in its own order for all or little of its time, by whether a
/// service before this one has someone waiting, measured worse in the replay.)
pub fn desk_share(services: &[String], service: &str, waiting: impl Fn(&str) -> bool) -> f64 {
    let busy = services
        .iter()
        .filter(|s| *s == service || waiting(s))
        .count()
        .max(1);
    1.0 / busy as f64
}

/// People ahead × the configured typical service time: what a queue-length display says.
pub fn baseline(s: &Situation<'_>) -> SignedDuration {
    s.configured * s.ahead as i32
}

/// The estimator before: people ahead × the median recent service ÷ the desks open.
pub fn by_desks(s: &Situation<'_>) -> SignedDuration {
    estimate_wait(
        s.ahead,
        typical_service(s.recent, s.configured),
        s.desk_shares.len() as u32,
    )
}

/// The estimate: `ahead + ½` tickets (the first in line waits, on average, half an
/// interval) at the service's pace of calls today, blended towards the desks' capacity
/// while the calls are few.
pub fn estimate(s: &Situation<'_>) -> SignedDuration {
    let typical = typical_service(s.recent, s.configured)
        .as_secs_f64()
        .max(60.0);
    let shares: f64 = s.desk_shares.iter().sum::<f64>() + 0.5 * f64::from(s.paused_desks);
    // Nobody serves it now: as if one desk did (one will open).
    let capacity = shares.max(0.5) / typical;
    // A desk free now calls the first ones at once.
    if s.ahead < s.idle_desks {
        return SignedDuration::ZERO;
    }
    let ahead = f64::from(s.ahead - s.idle_desks);
    let window = s.open_for.min(CALL_WINDOW);
    let calls = s.calls_ago.len() as f64;
    let rate = if window >= SHORTEST_WINDOW && calls > 0.0 {
        let pace = calls / window.as_secs_f64();
        let trust = (calls / TRUSTED_CALLS).min(1.0);
        trust * pace + (1.0 - trust) * capacity
    } else {
        capacity
    };
    let seconds = (ahead + 0.5) / rate;
    SignedDuration::from_secs(seconds.min(24.0 * 3600.0).round() as i64)
}

/// How wide an estimate may be before it is shown as a range: five minutes.
pub const RANGE_FROM: SignedDuration = SignedDuration::from_mins(5);

/// The likely range of an estimate: scaled by the quicker and the slower quarter of the
/// recent services against their median (their quartiles). With fewer than four recent
/// services there is nothing to measure a spread by, and the range is half to one and a half
/// of the estimate. `None` when the range is narrower than five minutes (then one figure
/// says it).
pub fn wait_range(
    recent: &[SignedDuration],
    estimate: SignedDuration,
) -> Option<(SignedDuration, SignedDuration)> {
    let (quick, slow) = if recent.len() < 4 {
        (0.5, 1.5)
    } else {
        let mut sorted = recent.to_vec();
        sorted.sort();
        let median = typical_service(&sorted, SignedDuration::ZERO)
            .as_secs_f64()
            .max(1.0);
        (
            sorted[sorted.len() / 4].as_secs_f64() / median,
            sorted[(sorted.len() * 3) / 4].as_secs_f64() / median,
        )
    };
    let low = SignedDuration::from_secs_f64(estimate.as_secs_f64() * quick);
    let high = SignedDuration::from_secs_f64(estimate.as_secs_f64() * slow);
    (high - low >= RANGE_FROM).then_some((low, high))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn mins(m: i64) -> SignedDuration {
        SignedDuration::from_mins(m)
    }

    #[test]
    fn typical_service_is_the_median_or_the_default() {
        let table: &[(&[i64], i64)] = &[
            (&[], 12),
            (&[5], 5),
            (&[5, 50, 7], 7),
            (&[4, 8], 6),
            (&[1, 2, 4, 100], 3),
        ];
        for (recent, expected) in table {
            let recent: Vec<_> = recent.iter().map(|&m| mins(m)).collect();
            assert_eq!(
                typical_service(&recent, mins(12)),
                mins(*expected),
                "{recent:?}"
            );
        }
    }

    #[test]
    fn a_wide_estimate_is_a_range_and_a_narrow_one_is_not() {
        let steady: Vec<_> = [10, 10, 11, 10, 9, 10].iter().map(|&m| mins(m)).collect();
        assert_eq!(wait_range(&steady, mins(20)), None, "20 ± 1 minutes");
        let spread: Vec<_> = [4, 6, 8, 10, 12, 20, 30, 9]
            .iter()
            .map(|&m| mins(m))
            .collect();
        // Quartiles 8 and 20 minutes about a median of 9.5.
        let (low, high) = wait_range(&spread, mins(38)).unwrap();
        assert_eq!((low.as_mins(), high.as_mins()), (32, 80));
        assert_eq!(
            wait_range(&[], mins(24)),
            Some((mins(12), mins(36))),
            "no history: half to one and a half"
        );
        assert_eq!(wait_range(&spread, SignedDuration::ZERO), None, "no wait");
    }

    #[test]
    fn a_desks_appointments_take_their_share_of_its_next_two_hours() {
        let at = |m: i64| Timestamp::UNIX_EPOCH + mins(m);
        let now = at(0);
        assert_eq!(booked_share(&[], now), 0.0);
        // 09:00–09:45 and 10:30–11:15 from 09:00: 45 + 30 of 120 minutes.
        let book = [(at(0), at(45)), (at(90), at(135)), (at(-60), at(-15))];
        assert_eq!(booked_share(&book, now), 75.0 / 120.0);
        assert_eq!(booked_share(&[(at(-30), at(300))], now), 1.0);
        let services = ["children".to_owned(), "psychosocial".to_owned()];
        assert_eq!(
            desk_share(&services, "psychosocial", |s| s == "children"),
            0.5
        );
        assert_eq!(desk_share(&services, "psychosocial", |_| false), 1.0);
    }

    #[test]
    fn the_estimate_follows_the_pace_of_calls_once_there_is_one() {
        let recent = [mins(10); 6];
        let base = Situation {
            ahead: 3,
            configured: mins(15),
            recent: &recent,
            desk_shares: &[1.0, 0.5],
            paused_desks: 0,
            calls_ago: &[],
            open_for: mins(120),
            idle_desks: 0,
        };
        // No calls yet: the desks' capacity, 1.5 desks of 10-minute services.
        assert_eq!(estimate(&base).as_mins(), 23, "3.5 × 10 ÷ 1.5");
        // Six calls in the last half hour: one every five minutes.
        let calls: Vec<_> = (0..6).map(|i| mins(2 + 5 * i)).collect();
        let paced = Situation {
            calls_ago: &calls,
            ..base.clone()
        };
        assert_eq!(estimate(&paced).as_mins(), 17, "3.5 × 5");
        // A free desk takes the first at once.
        let free = Situation {
            ahead: 0,
            idle_desks: 1,
            ..base.clone()
        };
        assert_eq!(estimate(&free), SignedDuration::ZERO);
        // Nobody serves it: as if half a desk did, until one opens.
        let none = Situation {
            desk_shares: &[],
            ..base.clone()
        };
        assert_eq!(estimate(&none).as_mins(), 70);
        assert_eq!(baseline(&base), mins(45));
        assert_eq!(by_desks(&base), mins(15));
    }

    #[test]
    fn wait_is_shared_among_open_desks() {
        let table = [
            (0, 10, 1, 0),
            (1, 10, 1, 10),
            (3, 10, 1, 30),
            (3, 10, 2, 15),
            (3, 10, 0, 30),
            (5, 10, 3, 17), // 50/3 = 16.67, rounded up to whole seconds: 16m40s ≤ 17m
        ];
        for (ahead, typical, desks, expected_min) in table {
            let wait = estimate_wait(ahead, mins(typical), desks);
            assert!(
                wait <= mins(expected_min) && wait > mins(expected_min) - mins(1)
                    || wait == mins(expected_min),
                "{ahead} ahead, {desks} desks: {wait:?}"
            );
        }
    }
}
