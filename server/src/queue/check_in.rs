//! When an appointment may check in, and where its citizen then stands: the grace window of
//! DESIGN.md ("Appointments") as one function.
//!
//! - Before `start − early`: too early (the kiosk says from when).
//! - From then until `start + late`: on time; the desk calls them first from `start`.
//! - After that: late. The site either queues them as a walk-in by the time they checked in,
//!   or refuses with a word to see reception.
//!
//! Not checked in by `start + late`, an appointment is a no-show and its desk time is free
//! ([`no_show_from`]).

use jiff::{SignedDuration, Timestamp};
use seira_protocol::LateCheckIn;

/// A site's grace window.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Window {
    pub early: SignedDuration,
    pub late: SignedDuration,
    pub late_check_in: LateCheckIn,
}

/// Where a citizen who checks in stands.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Arrival {
    /// Called first by the desk from `due_at` (the appointment's start).
    OnTime { due_at: Timestamp },
    /// Joins the walk-in queue by the time of check-in.
    Late,
}

/// Why a check-in is refused.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Refusal {
    /// Check-in opens at `opens_at`.
    TooEarly { opens_at: Timestamp },
    /// The site does not queue late arrivals: see reception.
    TooLate,
}

/// Where a citizen with an appointment at `start` stands when checking in at `now`.
pub fn arrive(start: Timestamp, now: Timestamp, window: &Window) -> Result<Arrival, Refusal> {
    let opens_at = start - window.early;
    if now < opens_at {
        return Err(Refusal::TooEarly { opens_at });
    }
    if now <= no_show_from(start, window) {
        return Ok(Arrival::OnTime { due_at: start });
    }
    match window.late_check_in {
        LateCheckIn::Queue => Ok(Arrival::Late),
        LateCheckIn::Refuse => Err(Refusal::TooLate),
    }
}

/// The end of an appointment's window: not checked in by then, it is a no-show.
pub fn no_show_from(start: Timestamp, window: &Window) -> Timestamp {
    start + window.late
}

#[cfg(test)]
mod tests {
    use super::*;

    fn at(min: i64) -> Timestamp {
        "2026-12-07T08:00:00Z".parse::<Timestamp>().unwrap() + SignedDuration::from_mins(min)
    }

    #[test]
    fn the_grace_window_decides_the_place() {
        let window = |late_check_in| Window {
            early: SignedDuration::from_mins(10),
            late: SignedDuration::from_mins(15),
            late_check_in,
        };
        let on_time = Ok(Arrival::OnTime { due_at: at(0) });
        let too_early = Err(Refusal::TooEarly { opens_at: at(-10) });
        // (checked in at minute, what the site does with late ones, the answer)
        let table = [
            (-30, LateCheckIn::Queue, too_early),
            (-11, LateCheckIn::Queue, too_early),
            (-10, LateCheckIn::Queue, on_time),
            (0, LateCheckIn::Queue, on_time),
            (15, LateCheckIn::Queue, on_time),
            (16, LateCheckIn::Queue, Ok(Arrival::Late)),
            (240, LateCheckIn::Queue, Ok(Arrival::Late)),
            (15, LateCheckIn::Refuse, on_time),
            (16, LateCheckIn::Refuse, Err(Refusal::TooLate)),
        ];
        for (minute, late, expected) in table {
            assert_eq!(
                arrive(at(0), at(minute), &window(late)),
                expected,
                "{minute} {late:?}"
            );
        }
        assert_eq!(no_show_from(at(0), &window(LateCheckIn::Queue)), at(15));
    }

    #[test]
    fn a_window_of_nothing_is_exactly_on_time() {
        let window = Window {
            early: SignedDuration::ZERO,
            late: SignedDuration::ZERO,
            late_check_in: LateCheckIn::Refuse,
        };
        assert!(arrive(at(0), at(0), &window).is_ok());
        assert!(arrive(at(0), at(-1), &window).is_err());
        assert_eq!(arrive(at(0), at(1), &window), Err(Refusal::TooLate));
    }
}
