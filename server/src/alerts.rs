//! Telling a waiting citizen that their turn is near; pure. The site's rule ([`is_near`]),
//! the number a citizen gives for a text message ([`PhoneNumber`]), and when a failed message
//! is tried again ([`backoff`]). The loop that sends them is [`crate::alert_sender`], through
//! [`crate::gateway`]; the door is `engine/alerts.rs`. A number lives only until its message
//! is sent or given up, and at most until the visit ends; it is in no log and no event.

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

/// A mobile number as the gateway gets it: `+` and 8 to 15 digits (E.164).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PhoneNumber(String);

impl PhoneNumber {
    /// Reads a number as people type it: spaces, dots, dashes and brackets are dropped; `00`
    /// becomes `+`; a Greek mobile (`69…`, ten digits) gets `+30`.
    pub fn parse(text: &str) -> Option<PhoneNumber> {
        let text = text.trim();
        if text.chars().count() > 32 {
            return None;
        }
        let (plus, rest) = match text.strip_prefix('+') {
            Some(rest) => (true, rest),
            None => (false, text),
        };
        let mut digits = String::new();
        for c in rest.chars() {
            match c {
                '0'..='9' => digits.push(c),
                ' ' | '.' | '-' | '(' | ')' => {}
                _ => return None,
            }
        }
        let international = if plus {
            digits
        } else if let Some(rest) = digits.strip_prefix("00") {
            rest.to_owned()
        } else if digits.len() == 10 && digits.starts_with("69") {
            format!("30{digits}")
        } else {
            return None;
        };
        let ok = (8..=15).contains(&international.len()) && !international.starts_with('0');
        ok.then(|| PhoneNumber(format!("+{international}")))
    }

    pub fn as_str(&self) -> &str {
        &self.0
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn numbers_as_people_type_them() {
        let table = [
            ("6912345678", Some("+306912345678")),
            ("691 234 5678", Some("+306912345678")),
            ("+30 691-234-5678", Some("+306912345678")),
            ("0030 6912345678", Some("+306912345678")),
            ("+44 (20) 7946 0958", Some("+442079460958")),
            ("+963 944 123 456", Some("+963944123456")),
            ("2821012345", None), // a landline, no country code: not a mobile
            ("12345", None),      // too short
            ("+1234567890123456", None), // too long
            ("+30 691 234 5678 ext 2", None),
            ("", None),
            ("+0030 691", None),
            ("٦٩١٢٣٤٥٦٧٨", None), // Arabic-Indic digits: asked again, in digits
        ];
        for (typed, expected) in table {
            assert_eq!(
                PhoneNumber::parse(typed).as_ref().map(PhoneNumber::as_str),
                expected,
                "{typed:?}"
            );
        }
    }

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
