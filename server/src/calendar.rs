//! A site's appointments as iCalendar (RFC 5545), for staff's calendar apps: one event per
//! appointment, in UTC (every app places it in its own zone), with the service, the desk, the
//! code and the state. Nothing personal: the contact never leaves the database.

use chrono::{DateTime, Utc};
use icalendar::{Calendar, Component, EventLike, EventStatus};
use jiff::{SignedDuration, Timestamp};
use seira_protocol::{Appointment, AppointmentState, InLang};

use crate::config::Site;

fn utc(t: Timestamp) -> DateTime<Utc> {
    DateTime::from_timestamp_millis(t.as_millisecond()).unwrap_or_default()
}

/// The appointments as one calendar named `name`, in `lang` (names fall back as everywhere).
pub fn ics(
    site: &Site,
    name: &str,
    appointments: &[Appointment],
    lang: &str,
    now: Timestamp,
) -> String {
    let mut calendar = Calendar::new();
    calendar.name(name);
    calendar.append_property(("PRODID", "-//seira//appointments//EL"));
    calendar.append_property(("METHOD", "PUBLISH"));
    for a in appointments {
        let service = site
            .service(&a.service)
            .map_or(a.service.as_str(), |s| s.names.in_lang(lang));
        let desk = site
            .desks
            .iter()
            .find(|d| d.id == a.held_desk)
            .map_or(a.held_desk.as_str(), |d| d.names.in_lang(lang));
        let mut description = format!(
            "{}: {}",
            if lang == "el" {
                "Κωδικός"
            } else {
                "Code"
            },
            a.code
        );
        if let Some(number) = &a.ticket_number {
            description.push_str(&format!(" · {number}"));
        }
        if let Some(note) = &a.note {
            description.push_str(&format!("\n{note}"));
        }
        let status = match a.state {
            AppointmentState::Cancelled => EventStatus::Cancelled,
            _ => EventStatus::Confirmed,
        };
        let end = a.start + SignedDuration::from_mins(i64::from(a.minutes));
        calendar.push(
            icalendar::Event::new()
                .uid(&format!("{}@seira", a.id))
                .timestamp(utc(now))
                .starts(utc(a.start))
                .ends(utc(end))
                .summary(service)
                .location(&format!("{} · {}", site.names.in_lang(lang), desk))
                .description(&description)
                .status(status)
                .add_property("X-SEIRA-STATE", a.state.as_str())
                .done(),
        );
    }
    calendar.done().to_string()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::config::Config;

    fn appointment(state: AppointmentState, note: Option<&str>) -> Appointment {
        Appointment {
            id: "a1".into(),
            code: "KX7PQ4".into(),
            site: "chania".into(),
            service: "psychosocial".into(),
            desk: None,
            held_desk: "chania-3".into(),
            start: "2026-12-07T08:00:00Z".parse().unwrap(),
            minutes: 45,
            state,
            checked_in_at: None,
            ticket_number: None,
            note: note.map(str::to_owned),
        }
    }

    #[test]
    fn each_appointment_is_an_event_in_utc_with_its_text_escaped() {
        let config = Config::embedded();
        let site = config.site("chania").unwrap();
        let text = ics(
            site,
            "Γραφείο 3",
            &[
                appointment(
                    AppointmentState::Booked,
                    Some("first visit; bring the papers, please"),
                ),
                appointment(AppointmentState::Cancelled, None),
            ],
            "en",
            "2026-12-04T10:00:00Z".parse().unwrap(),
        );
        assert!(text.starts_with("BEGIN:VCALENDAR\r\n"), "{text}");
        assert!(text.contains("VERSION:2.0\r\n"));
        assert_eq!(text.matches("BEGIN:VEVENT").count(), 2);
        assert!(text.contains("DTSTART:20261207T080000Z\r\n"), "{text}");
        assert!(text.contains("DTEND:20261207T084500Z\r\n"), "{text}");
        assert!(text.contains("STATUS:CANCELLED"));
        // RFC 5545 §3.3.11: commas and semicolons in text are escaped.
        let unfolded = text.replace("\r\n ", "");
        assert!(
            unfolded.contains("bring the papers\\, please"),
            "{unfolded}"
        );
        assert!(unfolded.contains("first visit\\; bring"), "{unfolded}");
        // Lines are folded at 75 octets.
        assert!(text.split("\r\n").all(|line| line.len() <= 75), "{text}");
    }
}
