//! Opening hours, and the tickets that must be closed at closing time.
//!
//! Hours are kept as minutes after local midnight (0–1440) per weekday, so "until midnight" is
//! 1440 and the rules need no special case for the end of the day.

use jiff::{Timestamp, civil::Date, civil::Weekday, tz::TimeZone};

/// One opening span of a day, in minutes after local midnight: `open <= t < close`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Span {
    pub open: u16,
    pub close: u16,
}

/// Why opening hours cannot be read.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum HoursError {
    NotASpan(String),
    NotATime(String),
    ClosesBeforeOpens(String),
    Overlap,
}

impl HoursError {
    /// In Greek, for the administrators' page.
    pub fn greek(&self) -> String {
        match self {
            Self::NotASpan(t) => format!("το `{t}` δεν είναι διάστημα ωρών όπως 07:30-15:30"),
            Self::NotATime(t) => format!("το `{t}` δεν είναι ώρα όπως 07:30"),
            Self::ClosesBeforeOpens(t) => format!("το `{t}` κλείνει πριν ανοίξει"),
            Self::Overlap => "τα διαστήματα μιας ημέρας επικαλύπτονται".to_owned(),
        }
    }
}

impl std::fmt::Display for HoursError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            Self::NotASpan(t) => write!(f, "`{t}` is not a time span like 07:30-15:30"),
            Self::NotATime(t) => write!(f, "`{t}` is not a time like 07:30"),
            Self::ClosesBeforeOpens(t) => write!(f, "`{t}` closes before it opens"),
            Self::Overlap => write!(f, "the opening spans of a day overlap"),
        }
    }
}

impl Span {
    /// Parses `HH:MM-HH:MM`, e.g. `07:30-15:30`; `24:00` is the end of the day.
    pub fn parse(text: &str) -> Result<Span, HoursError> {
        let (open, close) = text
            .split_once('-')
            .ok_or_else(|| HoursError::NotASpan(text.to_owned()))?;
        let open = parse_minutes(open.trim())?;
        let close = parse_minutes(close.trim())?;
        if open >= close {
            return Err(HoursError::ClosesBeforeOpens(text.to_owned()));
        }
        Ok(Span { open, close })
    }
}

impl std::fmt::Display for Span {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        let hm = |m: u16| format!("{:02}:{:02}", m / 60, m % 60);
        write!(f, "{}-{}", hm(self.open), hm(self.close))
    }
}

fn parse_minutes(text: &str) -> Result<u16, HoursError> {
    let bad = || HoursError::NotATime(text.to_owned());
    let (h, m) = text.split_once(':').ok_or_else(bad)?;
    if h.len() != 2 || m.len() != 2 {
        return Err(bad());
    }
    let h: u16 = h.parse().map_err(|_| bad())?;
    let m: u16 = m.parse().map_err(|_| bad())?;
    if m >= 60 || h > 24 || (h == 24 && m != 0) {
        return Err(bad());
    }
    Ok(h * 60 + m)
}

/// The opening hours of a week, Monday first.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct WeeklyHours {
    days: [Vec<Span>; 7],
}

impl WeeklyHours {
    /// Open around the clock, every day (the demo, and `--always-open`).
    pub fn always() -> Self {
        let all_day = vec![Span {
            open: 0,
            close: 1440,
        }];
        Self {
            days: std::array::from_fn(|_| all_day.clone()),
        }
    }

    /// Sets the spans of one weekday; they must not overlap.
    pub fn set(&mut self, day: Weekday, mut spans: Vec<Span>) -> Result<(), HoursError> {
        spans.sort_by_key(|s| s.open);
        if spans.windows(2).any(|w| w[0].close > w[1].open) {
            return Err(HoursError::Overlap);
        }
        self.days[day.to_monday_zero_offset() as usize] = spans;
        Ok(())
    }

    pub fn spans(&self, day: Weekday) -> &[Span] {
        &self.days[day.to_monday_zero_offset() as usize]
    }

    /// Whether it is open at `now` in `tz`.
    pub fn is_open(&self, now: Timestamp, tz: &TimeZone) -> bool {
        let local = tz.to_datetime(now);
        let minute = local.hour() as u16 * 60 + local.minute() as u16;
        self.spans(local.weekday())
            .iter()
            .any(|s| s.open <= minute && minute < s.close)
    }

    /// The last closing of `day` in minutes after midnight, or `None` when closed that day.
    pub fn closing(&self, day: Date) -> Option<u16> {
        self.spans(day.weekday()).iter().map(|s| s.close).max()
    }
}

/// Whether a ticket of service day `ticket_day` that is still open must be closed now: its day
/// is over, or it is that day and the site has closed for the day.
pub fn must_auto_close(
    ticket_day: Date,
    hours: &WeeklyHours,
    now: Timestamp,
    tz: &TimeZone,
) -> bool {
    let local = tz.to_datetime(now);
    let today = local.date();
    if ticket_day < today {
        return true;
    }
    if ticket_day > today {
        return false;
    }
    let minute = local.hour() as u16 * 60 + local.minute() as u16;
    match hours.closing(today) {
        Some(closing) => minute >= closing,
        None => !hours.is_open(now, tz),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use jiff::civil::date;

    fn athens() -> TimeZone {
        TimeZone::get("Europe/Athens").unwrap()
    }

    fn weekdays_0730_1530() -> WeeklyHours {
        let mut h = WeeklyHours::default();
        for day in [
            Weekday::Monday,
            Weekday::Tuesday,
            Weekday::Wednesday,
            Weekday::Thursday,
            Weekday::Friday,
        ] {
            h.set(day, vec![Span::parse("07:30-15:30").unwrap()])
                .unwrap();
        }
        h
    }

    /// Athens local time to a timestamp.
    fn local(text: &str) -> Timestamp {
        let civil = jiff::civil::DateTime::strptime("%Y-%m-%d %H:%M", text).unwrap();
        athens().to_timestamp(civil).unwrap()
    }

    #[test]
    fn spans_parse_or_say_why_not() {
        assert_eq!(
            Span::parse("07:30-15:30"),
            Ok(Span {
                open: 450,
                close: 930
            })
        );
        assert_eq!(
            Span::parse("07:30-15:30").unwrap().to_string(),
            "07:30-15:30"
        );
        assert_eq!(
            Span::parse("00:00-24:00"),
            Ok(Span {
                open: 0,
                close: 1440
            })
        );
        for bad in [
            "7:30-15:30",
            "07:30",
            "15:30-07:30",
            "07:60-08:00",
            "24:30-25:00",
            "ab:cd-ef:gh",
        ] {
            assert!(Span::parse(bad).is_err(), "{bad}");
        }
    }

    #[test]
    fn overlapping_spans_are_refused() {
        let mut h = WeeklyHours::default();
        let spans = vec![
            Span::parse("08:00-12:00").unwrap(),
            Span::parse("11:00-14:00").unwrap(),
        ];
        assert!(h.set(Weekday::Monday, spans).is_err());
    }

    #[test]
    fn open_and_closed_times() {
        let h = weekdays_0730_1530();
        // 2026-11-23 is a Monday.
        let table = [
            ("2026-11-23 07:29", false),
            ("2026-11-23 07:30", true),
            ("2026-11-23 12:00", true),
            ("2026-11-23 15:29", true),
            ("2026-11-23 15:30", false),
            ("2026-11-28 10:00", false), // Saturday
            ("2026-03-30 07:30", true),  // the Monday after the spring DST change
        ];
        for (when, open) in table {
            assert_eq!(h.is_open(local(when), &athens()), open, "{when}");
        }
        let always = WeeklyHours::always();
        assert!(always.is_open(local("2026-11-28 03:00"), &athens()));
    }

    #[test]
    fn open_tickets_close_at_closing_time_or_on_a_later_day() {
        let h = weekdays_0730_1530();
        let monday = date(2026, 11, 23);
        let table = [
            (monday, "2026-11-23 15:29", false),
            (monday, "2026-11-23 15:30", true),
            (monday, "2026-11-24 08:00", true),
            (date(2026, 11, 28), "2026-11-28 10:00", true), // a ticket on a closed day
        ];
        for (day, now, expected) in table {
            assert_eq!(
                must_auto_close(day, &h, local(now), &athens()),
                expected,
                "{day} at {now}"
            );
        }
        // Around the clock: only the change of day closes.
        let always = WeeklyHours::always();
        assert!(!must_auto_close(
            monday,
            &always,
            local("2026-11-23 23:59"),
            &athens()
        ));
        assert!(must_auto_close(
            monday,
            &always,
            local("2026-11-24 00:00"),
            &athens()
        ));
    }
}
