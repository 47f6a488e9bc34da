//! Ticket numbers: a prefix letter per service and a sequence per site, service and day.
//!
//! The sequence never repeats within a day (a voided ticket keeps its place), which the store
//! enforces with a unique index. What is printed is the sequence folded into three digits, so a
//! very busy day wraps from `A999` to `A001` instead of growing a fourth digit that the lobby
//! screen and the printer layout have no room for.

use jiff::{Timestamp, civil::Date, tz::TimeZone};

/// The largest number printed before wrapping to 1.
pub const MAX_PRINTED: u32 = 999;

/// The day a ticket belongs to: the calendar date at the site at `now`.
pub fn service_day(now: Timestamp, tz: &TimeZone) -> Date {
    tz.to_datetime(now).date()
}

/// The number printed on the ticket with sequence `seq` (1-based): `A` + 3 digits.
pub fn display_number(prefix: &str, seq: u32) -> String {
    let folded = (seq.max(1) - 1) % MAX_PRINTED + 1;
    format!("{prefix}{folded:03}")
}

/// The digits of a number, as a value: `A012` → 12. Used to speak numbers.
pub fn number_value(number: &str) -> Option<u32> {
    let digits: String = number.chars().filter(|c| c.is_ascii_digit()).collect();
    digits.parse().ok()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn numbers_are_three_digits_and_wrap() {
        let table = [
            (1, "A001"),
            (12, "A012"),
            (999, "A999"),
            (1000, "A001"),
            (1998, "A999"),
            (1999, "A001"),
        ];
        for (seq, expected) in table {
            assert_eq!(display_number("A", seq), expected, "seq {seq}");
        }
    }

    #[test]
    fn the_day_is_the_athens_date_not_the_utc_date() {
        let athens = TimeZone::get("Europe/Athens").unwrap();
        // 22:30 UTC on 31 March is already 1 April in Athens (UTC+3 in summer).
        let late: Timestamp = "2026-03-31T22:30:00Z".parse().unwrap();
        assert_eq!(service_day(late, &athens), jiff::civil::date(2026, 4, 1));
        // 21:59 UTC on a winter day is 23:59 in Athens (UTC+2): still the same day.
        let winter: Timestamp = "2026-01-15T21:59:00Z".parse().unwrap();
        assert_eq!(service_day(winter, &athens), jiff::civil::date(2026, 1, 15));
    }

    #[test]
    fn number_values() {
        assert_eq!(number_value("A012"), Some(12));
        assert_eq!(number_value("M100"), Some(100));
        assert_eq!(number_value("A"), None);
    }
}
