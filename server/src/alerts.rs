//! Telling a waiting citizen that their turn is near; pure. The site's rule ([`is_near`]) and
//! when a failed message is tried again ([`backoff`]); the number is [`crate::phone`]. The
//! loop that sends them is [`crate::alert_sender`], through [`crate::gateway`]; the door is
//! `engine/alerts.rs`. A number lives only until its message is sent or given up, and at
//! most until the visit ends; it is in no log and no event.

use jiff::SignedDuration;
use seira_protocol::admin::NearTurn;

/// Tries before a message is given up: a message about a turn minutes away is useless late.
pub const MAX_ATTEMPTS: u32 = 5;

/// Whether a citizen with `ahead` people before them and an estimated wait of `wait_s` is
/// near their turn by the site's rule.
pub fn is_near(rule: &NearTurn, ahead: u32, wait_s: u32) -> bool {
    ahead <= rule.ahead || (rule.minutes > 0 && wait_s <= rule.minutes * 60)
}

/// The pause before attempt `attempts + 1`: 10 s, doubling, at most 2 minutes.
pub fn backoff(attempts: u32) -> SignedDuration {
    SignedDuration::from_secs((10i64 << attempts.min(4)).min(120))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn near_by_people_or_by_minutes() {
        let rule = NearTurn {
            ahead: 3,
            minutes: 10,
            gateway: None,
        };
        assert!(is_near(&rule, 3, 3600));
        assert!(!is_near(&rule, 4, 601));
        assert!(is_near(&rule, 9, 600));
        let people_only = NearTurn { minutes: 0, ..rule };
        assert!(!is_near(&people_only, 4, 0));
        assert!(is_near(&people_only, 0, 0));
    }

    #[test]
    fn retries_come_soon_and_stop_growing() {
        let pauses: Vec<i64> = (0..7).map(|a| backoff(a).as_secs()).collect();
        assert_eq!(pauses, [10, 20, 40, 80, 120, 120, 120]);
    }
}
