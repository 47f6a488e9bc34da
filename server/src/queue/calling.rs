//! Which waiting ticket a desk calls next: the calling order of DESIGN.md as one function.
//!
//! 0. **Appointments.** A checked-in appointment whose start has come goes before every
//!    walk-in (its desk's time was booked for it); among several, the earliest start. One
//!    checked in early waits for its start, unless no walk-in waits at all (a desk is not
//!    left idle beside a citizen who is there). Appointment calls do not count in the run of
//!    kinds below, so walk-ins keep their ratio around them.
//! 1. **Aging.** A ticket that has waited past its service's target wait goes first; among
//!    several, the one furthest past its target. Nobody waits forever, whatever the mix.
//! 2. **Priority interleaving.** Otherwise priority tickets (disability, pregnancy, 65+, …) and
//!    ordinary ones alternate at the site's ratio, by default 1 priority : 2 ordinary. The
//!    ratio is kept per desk from its own recent calls, so neither kind starves: after `p`
//!    priority calls in a row an ordinary ticket comes, after `o` ordinary ones a priority.
//!    When only one kind waits, it is called.
//! 3. **Within a kind** the desk's own order of services (the first service with someone
//!    waiting, oldest ticket in it), or the oldest ticket across its services, per desk.
//!
//! Calling one ticket out of order is not decided here: staff name it and the store logs it.

use jiff::{SignedDuration, Timestamp};
use seira_protocol::DeskOrder;

/// The two kinds of ticket the ratio mixes.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Class {
    Priority,
    Ordinary,
}

impl Class {
    pub fn as_str(self) -> &'static str {
        match self {
            Self::Priority => "priority",
            Self::Ordinary => "ordinary",
        }
    }

    /// The kind of a ticket with (or without) a priority category.
    pub fn of(priority: bool) -> Self {
        if priority {
            Self::Priority
        } else {
            Self::Ordinary
        }
    }

    pub fn parse(s: &str) -> Option<Self> {
        match s {
            "priority" => Some(Self::Priority),
            "ordinary" => Some(Self::Ordinary),
            _ => None,
        }
    }
}

/// Priority : ordinary calls.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Ratio {
    pub priority: u32,
    pub ordinary: u32,
}

impl Default for Ratio {
    fn default() -> Self {
        Self {
            priority: 1,
            ordinary: 2,
        }
    }
}

/// How one desk at one site calls.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Policy {
    pub order: DeskOrder,
    pub ratio: Ratio,
    /// Whether tickets past their target wait go first.
    pub aging: bool,
}

/// The desk's latest calls: the kind of the last one and how many of that kind in a row.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Run {
    pub class: Class,
    pub len: u32,
}

impl Run {
    /// The run after calling a ticket of `class`.
    pub fn after(previous: Option<Run>, class: Class) -> Run {
        match previous {
            Some(run) if run.class == class => Run {
                class,
                len: run.len.saturating_add(1),
            },
            _ => Run { class, len: 1 },
        }
    }
}

/// A waiting ticket the desk could call.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Candidate {
    /// Index of its service in the desk's list (0 = the desk's first service).
    pub service_rank: usize,
    pub class: Class,
    /// When it joined this queue.
    pub queued_at: Timestamp,
    /// Its service's target wait.
    pub target_wait: SignedDuration,
    /// A checked-in appointment's start; `None` for a walk-in (and an appointment checked in
    /// too late, which queues as one).
    pub due_at: Option<Timestamp>,
}

/// The index of the candidate to call, or `None` when there is none.
pub fn choose(
    candidates: &[Candidate],
    policy: &Policy,
    run: Option<Run>,
    now: Timestamp,
) -> Option<usize> {
    let earliest_booked = |due_by: Option<Timestamp>| {
        candidates
            .iter()
            .enumerate()
            .filter_map(|(i, c)| c.due_at.map(|due| (due, c.service_rank, i)))
            .filter(|&(due, _, _)| due_by.is_none_or(|by| due <= by))
            .min()
            .map(|(_, _, i)| i)
    };
    if let Some(index) = earliest_booked(Some(now)) {
        return Some(index);
    }
    let walk_in = |c: &&Candidate| c.due_at.is_none();
    if !candidates.iter().any(|c| walk_in(&c)) {
        // Only appointments before their time: the earliest rather than an idle desk.
        return earliest_booked(None);
    }
    if policy.aging
        && let Some(index) = most_overdue(candidates, now)
    {
        return Some(index);
    }
    let has = |class| candidates.iter().filter(walk_in).any(|c| c.class == class);
    let class = match (has(Class::Priority), has(Class::Ordinary)) {
        (true, true) => class_due(policy.ratio, run),
        (true, false) => Class::Priority,
        _ => Class::Ordinary,
    };
    candidates
        .iter()
        .enumerate()
        .filter(|(_, c)| c.due_at.is_none() && c.class == class)
        .min_by_key(|(i, c)| match policy.order {
            DeskOrder::DeskOrder => (c.service_rank, c.queued_at, *i),
            DeskOrder::OldestFirst => (0, c.queued_at, *i),
        })
        .map(|(i, _)| i)
}

/// The order in which a desk would call `candidates` if it called them one after another
/// now: [`choose`] over the first of each lane (one service, one kind) in turn, the run of
/// kinds carried on. At most `limit` indices. The desk page lists the queue this way, so the
/// row marked "next" is the one call-next takes.
pub fn call_order(
    candidates: &[Candidate],
    policy: &Policy,
    mut run: Option<Run>,
    now: Timestamp,
    limit: usize,
) -> Vec<usize> {
    let mut lanes: Vec<Vec<usize>> = Vec::new();
    let mut keys: Vec<(usize, Class, bool)> = Vec::new();
    for (i, c) in candidates.iter().enumerate() {
        let key = (c.service_rank, c.class, c.due_at.is_some());
        match keys.iter().position(|k| *k == key) {
            Some(lane) => lanes[lane].push(i),
            None => {
                keys.push(key);
                lanes.push(vec![i]);
            }
        }
    }
    for lane in &mut lanes {
        // Last first, so that the head is popped from the end.
        lane.sort_by_key(|&i| {
            let c = &candidates[i];
            std::cmp::Reverse((c.due_at.unwrap_or(c.queued_at), i))
        });
    }
    let mut order = Vec::new();
    while order.len() < limit {
        let live: Vec<usize> = (0..lanes.len()).filter(|&l| !lanes[l].is_empty()).collect();
        let heads: Vec<Candidate> = live
            .iter()
            .filter_map(|&l| lanes[l].last().map(|&i| candidates[i].clone()))
            .collect();
        let Some(pick) = choose(&heads, policy, run, now) else {
            break;
        };
        let Some(index) = lanes[live[pick]].pop() else {
            break;
        };
        if candidates[index].due_at.is_none() {
            run = Some(Run::after(run, candidates[index].class));
        }
        order.push(index);
    }
    order
}

/// The kind whose turn it is when both kinds wait.
fn class_due(ratio: Ratio, run: Option<Run>) -> Class {
    match run {
        None => Class::Priority,
        Some(Run {
            class: Class::Priority,
            len,
        }) if len < ratio.priority => Class::Priority,
        Some(Run {
            class: Class::Priority,
            ..
        }) => Class::Ordinary,
        Some(Run {
            class: Class::Ordinary,
            len,
        }) if len < ratio.ordinary => Class::Ordinary,
        Some(Run {
            class: Class::Ordinary,
            ..
        }) => Class::Priority,
    }
}

/// The walk-in furthest past its target wait, if any is past it.
fn most_overdue(candidates: &[Candidate], now: Timestamp) -> Option<usize> {
    candidates
        .iter()
        .enumerate()
        .filter(|(_, c)| c.due_at.is_none())
        .filter_map(|(i, c)| {
            let overdue = now.duration_since(c.queued_at) - c.target_wait;
            (overdue > SignedDuration::ZERO).then_some((overdue, std::cmp::Reverse(c.queued_at), i))
        })
        .max_by_key(|&(overdue, queued, i)| (overdue, queued, std::cmp::Reverse(i)))
        .map(|(_, _, i)| i)
}

#[cfg(test)]
mod tests {
    use super::*;

    const T0: &str = "2026-11-23T08:00:00Z";

    fn at(minutes: i64) -> Timestamp {
        T0.parse::<Timestamp>().unwrap() + SignedDuration::from_mins(minutes)
    }

    fn ticket(service_rank: usize, class: Class, queued_min: i64) -> Candidate {
        Candidate {
            service_rank,
            class,
            queued_at: at(queued_min),
            target_wait: SignedDuration::from_mins(30),
            due_at: None,
        }
    }

    /// An appointment of service 0 starting at `start_min`, checked in at `checked_min`.
    fn booked(start_min: i64, checked_min: i64) -> Candidate {
        Candidate {
            due_at: Some(at(start_min)),
            ..ticket(0, O, checked_min)
        }
    }

    fn policy(order: DeskOrder) -> Policy {
        Policy {
            order,
            ratio: Ratio::default(),
            aging: true,
        }
    }

    use Class::{Ordinary as O, Priority as P};

    /// The listed order is what calling again and again over the whole queue gives.
    #[test]
    fn the_call_order_is_what_repeated_calls_take() {
        let mixes: &[&[(usize, Class, i64)]] = &[
            &[
                (0, O, 0),
                (0, O, 1),
                (1, O, 2),
                (0, P, 3),
                (1, P, 4),
                (0, O, 5),
            ],
            &[(1, O, -90), (0, O, -10), (0, P, -5), (1, P, -1), (0, O, -2)],
            &[(0, P, 0), (0, P, 1), (0, P, 2), (0, O, 3)],
            &[],
        ];
        // With appointments among them: due (-5, 0), not yet (+20), checked in late at -3
        // after a start of -30 (a walk-in then, `due_at` none).
        let with_booked = |mut c: Vec<Candidate>, m: usize| {
            if m.is_multiple_of(2) {
                c.extend([booked(0, -8), booked(-5, -6), booked(20, -1)]);
            }
            c
        };
        for order in [DeskOrder::DeskOrder, DeskOrder::OldestFirst] {
            for (m, mix) in mixes.iter().enumerate() {
                let candidates: Vec<_> = mix.iter().map(|&(r, c, t)| ticket(r, c, t)).collect();
                let candidates = with_booked(candidates, m);
                let policy = policy(order);
                let start = Some(Run { class: O, len: 1 });
                let listed = call_order(&candidates, &policy, start, at(0), 100);
                let mut left: Vec<usize> = (0..candidates.len()).collect();
                let mut run = start;
                let mut called = Vec::new();
                while let Some(pick) = {
                    let pool: Vec<_> = left.iter().map(|&i| candidates[i].clone()).collect();
                    choose(&pool, &policy, run, at(0))
                } {
                    let index = left.remove(pick);
                    if candidates[index].due_at.is_none() {
                        run = Some(Run::after(run, candidates[index].class));
                    }
                    called.push(index);
                }
                assert_eq!(listed, called, "mix {m}, {order:?}");
                assert_eq!(
                    call_order(&candidates, &policy, start, at(0), 2).len(),
                    candidates.len().min(2)
                );
            }
        }
    }

    #[test]
    fn nothing_waiting_calls_nothing() {
        assert_eq!(
            choose(&[], &policy(DeskOrder::DeskOrder), None, at(0)),
            None
        );
    }

    #[test]
    fn order_within_a_kind() {
        // (desk order, candidates as (service rank, queued minute), the index called)
        type Case<'a> = (DeskOrder, &'a [(usize, i64)], usize);
        let table: &[Case] = &[
            // Desk order: service 0 first even though service 1 has an older ticket.
            (DeskOrder::DeskOrder, &[(1, 0), (0, 5), (0, 3)], 2),
            // Oldest first across services.
            (DeskOrder::OldestFirst, &[(1, 0), (0, 5), (0, 3)], 0),
            // Same time: the first listed (the store lists by time, then id).
            (DeskOrder::OldestFirst, &[(0, 2), (1, 2)], 0),
            // Desk order falls through to the next service when the first is empty.
            (DeskOrder::DeskOrder, &[(2, 1), (1, 4)], 1),
        ];
        for (order, tickets, expected) in table {
            let candidates: Vec<_> = tickets.iter().map(|&(r, m)| ticket(r, O, m)).collect();
            assert_eq!(
                choose(&candidates, &policy(*order), None, at(10)),
                Some(*expected),
                "{order:?} {tickets:?}"
            );
        }
    }

    #[test]
    fn kind_due_by_the_ratio() {
        let r12 = Ratio::default();
        let r23 = Ratio {
            priority: 2,
            ordinary: 3,
        };
        let run = |class, len| Some(Run { class, len });
        let table = [
            (r12, None, P),
            (r12, run(P, 1), O),
            (r12, run(O, 1), O),
            (r12, run(O, 2), P),
            (r12, run(O, 7), P),
            (r12, run(P, 4), O),
            (r23, run(P, 1), P),
            (r23, run(P, 2), O),
            (r23, run(O, 2), O),
            (r23, run(O, 3), P),
        ];
        for (ratio, run, expected) in table {
            assert_eq!(class_due(ratio, run), expected, "{ratio:?} {run:?}");
        }
    }

    /// Simulates a desk calling from a queue that always has both kinds: the sequence of kinds
    /// follows the ratio exactly, so neither starves.
    #[test]
    fn interleaving_sequence_follows_the_ratio() {
        for (ratio, expected) in [
            (Ratio::default(), "POOPOOPOO"),
            (
                Ratio {
                    priority: 1,
                    ordinary: 1,
                },
                "POPOPOPOP",
            ),
            (
                Ratio {
                    priority: 2,
                    ordinary: 3,
                },
                "PPOOOPPOO",
            ),
        ] {
            let mut candidates: Vec<Candidate> = (0..20)
                .flat_map(|m| [ticket(0, P, m), ticket(0, O, m)])
                .collect();
            let mut run = None;
            let mut seen = String::new();
            for _ in 0..9 {
                let p = Policy {
                    ratio,
                    ..policy(DeskOrder::DeskOrder)
                };
                let i = choose(&candidates, &p, run, at(20)).unwrap();
                let called = candidates.remove(i);
                seen.push(if called.class == P { 'P' } else { 'O' });
                run = Some(Run::after(run, called.class));
            }
            assert_eq!(seen, expected, "{ratio:?}");
        }
    }

    #[test]
    fn only_one_kind_waiting_is_called_whatever_the_ratio() {
        let p = policy(DeskOrder::DeskOrder);
        let only_ordinary = [ticket(0, O, 0), ticket(0, O, 1)];
        let long_ordinary_run = Some(Run { class: O, len: 9 });
        assert_eq!(
            choose(&only_ordinary, &p, long_ordinary_run, at(5)),
            Some(0)
        );
        let only_priority = [ticket(0, P, 3)];
        let long_priority_run = Some(Run { class: P, len: 9 });
        assert_eq!(
            choose(&only_priority, &p, long_priority_run, at(5)),
            Some(0)
        );
    }

    #[test]
    fn a_ticket_past_its_target_goes_first() {
        let p = policy(DeskOrder::DeskOrder);
        // A priority ticket is due, and service 0 is the desk's first, but the ordinary ticket
        // of service 1 has waited 40 minutes against a target of 30.
        let candidates = [ticket(0, P, 35), ticket(1, O, 0), ticket(0, O, 30)];
        assert_eq!(choose(&candidates, &p, None, at(40)), Some(1));
        // Without aging the priority ticket goes first.
        let no_aging = Policy { aging: false, ..p };
        assert_eq!(choose(&candidates, &no_aging, None, at(40)), Some(0));
    }

    #[test]
    fn the_most_overdue_goes_first_relative_to_each_target() {
        let p = policy(DeskOrder::DeskOrder);
        let mut short = ticket(1, O, 10); // target 5 min → 25 min over at minute 40
        short.target_wait = SignedDuration::from_mins(5);
        let long = ticket(0, O, 0); // target 30 → 10 min over
        assert_eq!(choose(&[long, short], &p, None, at(40)), Some(1));
    }

    #[test]
    fn exactly_at_the_target_is_not_yet_overdue() {
        let p = policy(DeskOrder::DeskOrder);
        let candidates = [ticket(0, P, 10), ticket(1, O, 0)];
        // The ordinary ticket has waited exactly 30 minutes: not past its target, so the
        // priority ticket whose turn it is goes first.
        assert_eq!(choose(&candidates, &p, None, at(30)), Some(0));
        assert_eq!(choose(&candidates, &p, None, at(31)), Some(1));
    }

    /// Appointments among walk-ins, at minute 0 (`now`): each case names the index called.
    #[test]
    fn appointments_go_first_from_their_start() {
        let p = policy(DeskOrder::DeskOrder);
        let long_walk_in_queue: Vec<Candidate> = (0..50).map(|m| ticket(0, O, m - 60)).collect();
        let mut overdue_and_long = long_walk_in_queue.clone();
        overdue_and_long.push(booked(-3, -12));
        let table: Vec<(&str, Vec<Candidate>, Option<usize>)> = vec![
            // Checked in 10 minutes early: the walk-ins go on until its start.
            ("early", vec![ticket(0, O, -5), booked(10, 0)], Some(0)),
            // Its start has come: before the walk-in who came earlier.
            ("on time", vec![ticket(0, O, -20), booked(0, -9)], Some(1)),
            // Checked in late (past the window it queues as a walk-in: no due time) and
            // the walk-in who came before it still goes first.
            ("late", vec![ticket(0, O, -20), ticket(0, O, -2)], Some(0)),
            // Two at once: the earlier start, then the desk's first service.
            (
                "two at once",
                vec![booked(-5, -6), booked(-10, -4), ticket(0, P, -30)],
                Some(1),
            ),
            (
                "same start",
                vec![
                    Candidate {
                        service_rank: 1,
                        ..booked(0, -9)
                    },
                    booked(0, -2),
                ],
                Some(1),
            ),
            // Fifty walk-ins waiting, every one past its target: the appointment still first.
            ("long walk-in queue", overdue_and_long, Some(50)),
            // Only appointments, none due yet: the earliest, rather than an idle desk.
            (
                "only early ones",
                vec![booked(25, 0), booked(15, -1)],
                Some(1),
            ),
            // A priority walk-in is due by the ratio but the appointment's time has come.
            (
                "before priority",
                vec![ticket(0, P, -1), booked(0, -3)],
                Some(1),
            ),
        ];
        for (name, candidates, expected) in table {
            assert_eq!(choose(&candidates, &p, None, at(0)), expected, "{name}");
        }
    }

    /// Aging still holds among walk-ins: an overdue walk-in goes before the priority ticket
    /// whose turn it is, and an appointment not yet due does not change that.
    #[test]
    fn aging_of_walk_ins_holds_beside_appointments() {
        let p = policy(DeskOrder::DeskOrder);
        let candidates = [ticket(0, P, -5), ticket(1, O, -45), booked(10, -2)];
        assert_eq!(choose(&candidates, &p, None, at(0)), Some(1));
        assert_eq!(call_order(&candidates, &p, None, at(0), 10), vec![1, 0, 2]);
    }

    /// An appointment called in the middle does not break the walk-ins' ratio.
    #[test]
    fn appointment_calls_leave_the_ratio_of_walk_ins_alone() {
        let p = policy(DeskOrder::DeskOrder);
        let mut candidates: Vec<Candidate> = (0..6)
            .flat_map(|m| [ticket(0, P, m - 10), ticket(0, O, m - 10)])
            .collect();
        candidates.push(booked(0, -1));
        let kinds: String = call_order(&candidates, &p, None, at(0), 7)
            .into_iter()
            .map(|i| match (candidates[i].due_at, candidates[i].class) {
                (Some(_), _) => 'B',
                (None, P) => 'P',
                (None, O) => 'O',
            })
            .collect();
        assert_eq!(kinds, "BPOOPOO");
    }

    #[test]
    fn runs_count_calls_of_the_same_kind() {
        let r = Run::after(None, P);
        assert_eq!(r, Run { class: P, len: 1 });
        let r = Run::after(Some(r), P);
        assert_eq!(r, Run { class: P, len: 2 });
        assert_eq!(Run::after(Some(r), O), Run { class: O, len: 1 });
    }
}
