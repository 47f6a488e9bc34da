//! When a waiting ticket will be called: the site's desks played forward from now, each
//! calling by the rules of [`super::calling`] (its appointments at their start, aging, the
//! priority ratio from its own run, its order of services). What no pace of calls can see
//! coming is then in the figure: the services a desk calls before this one, the gaps its book
//! leaves, the priority tickets that go ahead.
//!
//! One play is one possible morning, so the day is played [`RUNS`] times, each ticket taking
//! a desk time drawn from its service's recent ones and each booked citizen coming or not;
//! the median of the calls is the estimate, their quartiles its range. The draws are seeded:
//! the same moment gives the same estimate, so a phone page does not flicker.
//!
//! Pure: the moment comes in as an argument. No future walk-in is invented (the replay
//! measured that: see BENCHMARKS.md); booked appointments arrive at their start.

use jiff::{SignedDuration, Timestamp};
use rand::rngs::StdRng;
use rand::{RngExt, SeedableRng};

use super::calling::{self, Candidate, Class, Policy, Run};

/// A ticket in the forecast: one waiting now, or a booked appointment still to come.
#[derive(Debug, Clone, PartialEq)]
pub struct Ticket<'a> {
    pub service: &'a str,
    pub class: Class,
    /// Its place in line.
    pub queued_at: Timestamp,
    /// A booked appointment's start.
    pub due_at: Option<Timestamp>,
    /// The one desk that may call it (sent there, or an appointment's desk).
    pub only_desk: Option<&'a str>,
    /// When it can first be called: now for those waiting, the start for an appointment
    /// not yet checked in (which may not come: [`SHOW_UP`]).
    pub from: Timestamp,
}

/// What a desk is doing now.
#[derive(Debug, Clone, Copy, PartialEq)]
pub enum Doing<'a> {
    /// Free: it calls now.
    Free,
    /// A citizen of `service` in hand for `for_` already.
    Serving {
        service: &'a str,
        for_: SignedDuration,
    },
    /// Paused: taken to be back in [`PAUSE_BACK`].
    Paused,
}

/// A desk in the forecast (closed desks are left out).
#[derive(Debug, Clone, PartialEq)]
pub struct Desk<'a> {
    pub id: &'a str,
    /// Its services, in its order.
    pub services: &'a [String],
    pub policy: Policy,
    /// Its latest calls' run of kinds.
    pub run: Option<Run>,
    pub doing: Doing<'a>,
}

/// Everything the forecast plays forward.
pub struct Moment<'a> {
    pub now: Timestamp,
    pub desks: Vec<Desk<'a>>,
    pub tickets: Vec<Ticket<'a>>,
    /// A service's recent desk times (call to next call), to draw from; never empty.
    pub desk_times: &'a dyn Fn(&str) -> &'a [SignedDuration],
    /// A service's target wait (for aging).
    pub target_wait: &'a dyn Fn(&str) -> SignedDuration,
}

/// How far ahead the forecast looks: a ticket not called within it is "not today".
pub const HORIZON: SignedDuration = SignedDuration::from_hours(10);
/// Plays of the day per forecast.
pub const RUNS: usize = 40;
/// The share of booked citizens who come (a tenth of appointments are missed).
pub const SHOW_UP: f64 = 0.9;
/// What a paused desk is taken to need before it calls again.
pub const PAUSE_BACK: SignedDuration = SignedDuration::from_mins(10);

/// When `tickets[target]` will likely be called: the median of the plays, and the first and
/// third quartiles. `None` when no open desk serves it, or most plays do not call it within
/// the [`HORIZON`].
pub fn called_at(moment: &Moment<'_>, target: usize) -> Option<Outlook> {
    let ticket = moment.tickets.get(target)?;
    if !moment.desks.iter().any(|d| serves(d, ticket)) {
        return None;
    }
    let mut rng = StdRng::seed_from_u64(0x5e1a);
    let mut calls: Vec<SignedDuration> = (0..RUNS)
        .map(|_| play(moment, target, &mut rng).map_or(HORIZON, |at| at.duration_since(moment.now)))
        .collect();
    calls.sort();
    let median = calls[RUNS / 2];
    (median < HORIZON).then(|| Outlook {
        median,
        low: calls[RUNS / 4],
        high: calls[RUNS * 3 / 4],
    })
}

/// A forecast: the likely wait until the call, and its likely range.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Outlook {
    pub median: SignedDuration,
    /// A quarter of the plays call sooner than this…
    pub low: SignedDuration,
    /// … and a quarter later than this.
    pub high: SignedDuration,
}

fn serves(desk: &Desk<'_>, t: &Ticket<'_>) -> bool {
    desk.services.iter().any(|s| s == t.service) && t.only_desk.is_none_or(|d| d == desk.id)
}

/// One play of the day: when the target is called in it.
fn play(moment: &Moment<'_>, target: usize, rng: &mut StdRng) -> Option<Timestamp> {
    let end = moment.now + HORIZON;
    let draw = |service: &str, rng: &mut StdRng| -> SignedDuration {
        let times = (moment.desk_times)(service);
        match times.len() {
            0 => SignedDuration::from_mins(15),
            n => times[rng.random_range(0..n)].max(SignedDuration::from_mins(1)),
        }
    };
    // Each desk's next call and run; each ticket left (a booked citizen who will not come is
    // gone from the start).
    let mut desks: Vec<(Timestamp, Option<Run>)> = moment
        .desks
        .iter()
        .map(|d| {
            let free_at = match d.doing {
                Doing::Free => moment.now,
                Doing::Paused => moment.now + PAUSE_BACK,
                Doing::Serving { service, for_ } => {
                    // What is left of a desk time drawn longer than what has passed.
                    let times = (moment.desk_times)(service);
                    let longer: Vec<&SignedDuration> =
                        times.iter().filter(|t| **t > for_).collect();
                    let left = if longer.is_empty() {
                        draw(service, rng) / 4
                    } else {
                        *longer[rng.random_range(0..longer.len())] - for_
                    };
                    moment.now + left
                }
            };
            (free_at, d.run)
        })
        .collect();
    let mut left: Vec<bool> = moment
        .tickets
        .iter()
        .enumerate()
        .map(|(i, t)| i == target || t.from <= moment.now || rng.random::<f64>() < SHOW_UP)
        .collect();
    let mut candidates = Vec::new();
    let mut which = Vec::new();
    loop {
        let (index, &(now, run)) = desks
            .iter()
            .enumerate()
            .filter(|(_, (free_at, _))| *free_at < end)
            .min_by_key(|(i, (free_at, _))| (*free_at, *i))?;
        let desk = &moment.desks[index];
        candidates.clear();
        which.clear();
        let mut next_arrival: Option<Timestamp> = None;
        for (i, t) in moment.tickets.iter().enumerate() {
            if !left[i] || !serves(desk, t) {
                continue;
            }
            if t.from > now {
                next_arrival = Some(next_arrival.map_or(t.from, |n| n.min(t.from)));
                continue;
            }
            candidates.push(Candidate {
                service_rank: desk
                    .services
                    .iter()
                    .position(|s| s == t.service)
                    .unwrap_or(0),
                class: t.class,
                queued_at: t.queued_at,
                target_wait: (moment.target_wait)(t.service),
                due_at: t.due_at,
            });
            which.push(i);
        }
        let Some(pick) = calling::choose(&candidates, &desk.policy, run, now) else {
            // Nothing for it now: it waits for its next appointment, or is done.
            desks[index].0 = next_arrival.unwrap_or(end);
            continue;
        };
        let chosen = which[pick];
        if chosen == target {
            return Some(now);
        }
        left[chosen] = false;
        let ticket = &moment.tickets[chosen];
        let run = if ticket.due_at.is_none() {
            Some(Run::after(run, ticket.class))
        } else {
            run
        };
        desks[index] = (now + draw(ticket.service, rng), run);
    }
}

/// A service's desk times to draw from: its recent service times (its configured time
/// before there are any), each with the site's `overhead` around it.
pub fn desk_times(
    recent: &[SignedDuration],
    configured: SignedDuration,
    overhead: SignedDuration,
) -> Vec<SignedDuration> {
    let times = if recent.is_empty() {
        std::slice::from_ref(&configured)
    } else {
        recent
    };
    times.iter().map(|d| *d + overhead).collect()
}

/// A call of the last hours at a site, for [`overhead`].
#[derive(Debug, Clone, PartialEq)]
pub struct PastCall<'a> {
    pub desk: &'a str,
    pub called_at: Timestamp,
    /// Its service's start and end, for one that was served.
    pub served: Option<(Timestamp, Timestamp)>,
}

/// How far back [`overhead`] looks.
pub const OVERHEAD_WINDOW: SignedDuration = SignedDuration::from_hours(3);
/// What a desk takes around each citizen before there is a measure: the walk to the desk,
/// the notes after.
const DEFAULT_OVERHEAD: SignedDuration = SignedDuration::from_mins(2);

/// The desk time a ticket takes beyond its service: the median, over a desk's calls one
/// after another, of the time from a call to the next less the service between. A next call
/// 10 minutes or more after the service ended means the desk had nobody to call, not that it
/// took that long. Fewer than three such pairs: two minutes.
pub fn overhead(calls: &[PastCall<'_>]) -> SignedDuration {
    let mut calls: Vec<&PastCall<'_>> = calls.iter().collect();
    calls.sort_by_key(|c| (c.desk, c.called_at));
    let mut gaps: Vec<SignedDuration> = calls
        .windows(2)
        .filter(|pair| pair[0].desk == pair[1].desk)
        .filter_map(|pair| {
            let (start, end) = pair[0].served?;
            let idle = pair[1].called_at.duration_since(end);
            (idle >= SignedDuration::ZERO && idle < SignedDuration::from_mins(10)).then(|| {
                pair[1].called_at.duration_since(pair[0].called_at) - end.duration_since(start)
            })
        })
        .collect();
    if gaps.len() < 3 {
        return DEFAULT_OVERHEAD;
    }
    gaps.sort();
    gaps[gaps.len() / 2].max(SignedDuration::ZERO)
}

#[cfg(test)]
mod tests {
    use super::*;
    use seira_protocol::DeskOrder;

    fn at(minutes: i64) -> Timestamp {
        "2026-11-23T08:00:00Z".parse::<Timestamp>().unwrap() + SignedDuration::from_mins(minutes)
    }

    fn walk_in(service: &str, queued: i64) -> Ticket<'_> {
        Ticket {
            service,
            class: Class::Ordinary,
            queued_at: at(queued),
            due_at: None,
            only_desk: None,
            from: at(0),
        }
    }

    fn desk<'a>(id: &'a str, services: &'a [String], doing: Doing<'a>) -> Desk<'a> {
        Desk {
            id,
            services,
            policy: Policy {
                order: DeskOrder::DeskOrder,
                ratio: calling::Ratio::default(),
                aging: false,
            },
            run: None,
            doing,
        }
    }

    /// The wait of `tickets[0]` in minutes, every ticket taking 10 minutes of a desk.
    fn wait(desks: Vec<Desk<'_>>, tickets: Vec<Ticket<'_>>) -> Option<i64> {
        let ten = [SignedDuration::from_mins(10)];
        let moment = Moment {
            now: at(0),
            desks,
            tickets,
            desk_times: &|_| &ten,
            target_wait: &|_| SignedDuration::from_mins(30),
        };
        called_at(&moment, 0).map(|o| o.median.as_mins())
    }

    #[test]
    fn the_desks_are_played_forward_by_the_calling_rules() {
        let benefits = ["benefits".to_owned()];
        let both = ["mediation".to_owned(), "benefits".to_owned()];
        let me = |service| walk_in(service, 5);
        // Three ahead, two free desks: two called now, the third and me at 10 minutes.
        let two = || {
            vec![
                desk("a", &benefits, Doing::Free),
                desk("b", &benefits, Doing::Free),
            ]
        };
        let ahead = |n: i64| (0..n).map(|i| walk_in("benefits", i - 10));
        let tickets: Vec<_> = [me("benefits")].into_iter().chain(ahead(3)).collect();
        assert_eq!(wait(two(), tickets), Some(10));
        // One desk with someone in hand for 4 of their 10 minutes: 6 minutes.
        let serving = Doing::Serving {
            service: "benefits",
            for_: SignedDuration::from_mins(4),
        };
        assert_eq!(
            wait(vec![desk("a", &benefits, serving)], vec![me("benefits")]),
            Some(6)
        );
        // A desk that calls mediation first: the two mediation tickets go before me, though
        // they came after.
        let tickets = vec![
            me("benefits"),
            walk_in("mediation", 7),
            walk_in("mediation", 8),
        ];
        assert_eq!(wait(vec![desk("a", &both, Doing::Free)], tickets), Some(20));
        // A paused desk is taken to be back in ten minutes.
        assert_eq!(
            wait(
                vec![desk("a", &benefits, Doing::Paused)],
                vec![me("benefits")]
            ),
            Some(10)
        );
        // Nobody serves it.
        assert_eq!(
            wait(
                vec![desk("a", &benefits, Doing::Free)],
                vec![me("mediation")]
            ),
            None
        );
    }

    #[test]
    fn a_booked_citizen_is_called_at_their_start_before_the_walk_ins() {
        let psychosocial = ["psychosocial".to_owned()];
        let booked = |start: i64| Ticket {
            due_at: Some(at(start)),
            only_desk: Some("a"),
            queued_at: at(start),
            from: at(start),
            ..walk_in("psychosocial", 0)
        };
        let one = || vec![desk("a", &psychosocial, Doing::Free)];
        // Alone: called now, before the appointment at 5 minutes has come.
        assert_eq!(
            wait(one(), vec![walk_in("psychosocial", 0), booked(5)]),
            Some(0)
        );
        // Behind one walk-in: the appointment due at 5 is called when the desk is free at 10
        // (in most plays: a tenth of booked citizens do not come).
        let tickets = vec![
            walk_in("psychosocial", 0),
            walk_in("psychosocial", -5),
            booked(5),
        ];
        assert_eq!(wait(one(), tickets), Some(20));
    }

    #[test]
    fn the_overhead_is_the_desks_time_between_services() {
        let call = |desk, called: i64, served: Option<(i64, i64)>| PastCall {
            desk,
            called_at: at(called),
            served: served.map(|(s, e)| (at(s), at(e))),
        };
        assert_eq!(overhead(&[]), DEFAULT_OVERHEAD);
        // Calls every 12 minutes of 9-minute services: 3 minutes around each; a next call
        // an hour after the last service is the desk idle, not slow.
        let calls = [
            call("a", 0, Some((1, 10))),
            call("a", 12, Some((13, 22))),
            call("a", 24, Some((25, 34))),
            call("a", 36, Some((37, 46))),
            call("a", 106, None),
            call("b", 5, None),
        ];
        assert_eq!(overhead(&calls), SignedDuration::from_mins(3));
    }
}
