//! Appointment reminders through a site's HTTP gateway (an SMS provider's API, a mail relay):
//! the request made from the site's templates ([`fill`]), when it is due ([`due_at`]) and
//! when a failed one is tried again ([`backoff`]); pure. The loop that sends them is
//! [`crate::reminder_sender`], through [`crate::gateway`]. Each is claimed before it is sent (so two passes never send it
//! twice), retried with a growing pause when the gateway fails, and given up after
//! [`MAX_ATTEMPTS`]. The contact appears in the request to the gateway and nowhere else: not
//! in the log, not in an event.

use jiff::{SignedDuration, Timestamp};
use seira_protocol::admin::ReminderGateway;

use crate::gateway::{self, Filled};

/// Tries before a reminder is given up.
pub const MAX_ATTEMPTS: u32 = 6;

/// What a reminder says, filled into the templates.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Words {
    pub contact: String,
    pub code: String,
    /// `07/12/2026`, local.
    pub date: String,
    /// `10:30`, local.
    pub time: String,
    pub service: String,
    /// The centre, its address and the desk.
    pub place: String,
}

impl Words {
    /// The placeholders of a reminder's templates and their values.
    pub fn pairs(&self) -> [(&'static str, &str); 6] {
        [
            ("contact", &self.contact),
            ("code", &self.code),
            ("date", &self.date),
            ("time", &self.time),
            ("service", &self.service),
            ("place", &self.place),
        ]
    }
}

/// The request to the site's gateway for these words.
pub fn fill(gateway: &ReminderGateway, words: &Words) -> Filled {
    gateway::fill(gateway.into(), &words.pairs())
}

/// The pause before attempt `attempts + 1`: a minute, doubling, at most an hour.
pub fn backoff(attempts: u32) -> SignedDuration {
    SignedDuration::from_mins((1i64 << attempts.min(6)).min(60))
}

/// When a reminder for an appointment at `start` is due: `hours_before` ahead, or now if
/// that has passed (a booking made at short notice is reminded at once).
pub fn due_at(gateway: &ReminderGateway, start: Timestamp, now: Timestamp) -> Timestamp {
    (start - SignedDuration::from_hours(i64::from(gateway.hours_before))).max(now)
}

/// A reminder claimed for sending.
#[derive(Debug, Clone)]
pub struct Claimed {
    pub appointment: String,
    pub request: Filled,
}

#[cfg(test)]
mod tests {
    use super::*;

    fn words() -> Words {
        Words {
            contact: "+30 6912 345678".into(),
            code: "KX7PQ4".into(),
            date: "07/12/2026".into(),
            time: "10:30".into(),
            service: "Ψυχοκοινωνική \"στήριξη\"".into(),
            place: "Κυδωνίας 29 & Γραφείο 3".into(),
        }
    }

    fn gateway(content_type: &str, body: &str) -> ReminderGateway {
        ReminderGateway {
            url: "https://sms.example/send?to={contact}&ref={code}".into(),
            method: "POST".into(),
            body: Some(body.into()),
            content_type: content_type.into(),
            authorization: Some("Bearer k".into()),
            hours_before: 24,
        }
    }

    #[test]
    fn a_reminder_fills_every_placeholder() {
        let filled = fill(
            &gateway(
                "application/json",
                r#"{"to":"{contact}","text":"{service} {date} {time}, {place}. {code}"}"#,
            ),
            &words(),
        );
        assert_eq!(
            filled.url,
            "https://sms.example/send?to=%2B30+6912+345678&ref=KX7PQ4"
        );
        let body: serde_json::Value = serde_json::from_str(filled.body_text().unwrap()).unwrap();
        assert_eq!(
            body["text"],
            "Ψυχοκοινωνική \"στήριξη\" 07/12/2026 10:30, Κυδωνίας 29 & Γραφείο 3. KX7PQ4"
        );
    }

    #[test]
    fn retries_wait_longer_each_time_and_short_notice_is_reminded_at_once() {
        let pauses: Vec<i64> = (0..8).map(|a| backoff(a).as_mins()).collect();
        assert_eq!(pauses, [1, 2, 4, 8, 16, 32, 60, 60]);
        let g = gateway("text/plain", "");
        let now: Timestamp = "2026-12-07T08:00:00Z".parse().unwrap();
        let in_two_days = now + SignedDuration::from_hours(48);
        assert_eq!(
            due_at(&g, in_two_days, now),
            now + SignedDuration::from_hours(24)
        );
        let in_an_hour = now + SignedDuration::from_hours(1);
        assert_eq!(due_at(&g, in_an_hour, now), now);
    }
}
