//! The number a citizen gives for a near-turn text message: a mobile, checked against the
//! numbering plans of every country (libphonenumber's metadata, through the `phonenumber`
//! crate), so that a landline, a short code or a number that cannot exist is refused when it
//! is typed — not found out when the message fails.

use phonenumber::{Mode, Type, country};

/// A mobile number as the gateway gets it, in E.164 (`+306912345678`).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PhoneNumber(String);

/// The longest text read as a number; past it nothing is parsed.
const MAX_TYPED: usize = 32;

impl PhoneNumber {
    /// Reads a number as people type it — spaces, dots, dashes and brackets, `00` or `+` and
    /// the country code; without one, a Greek number — and keeps it only if it is a valid
    /// mobile of its country (or, where the plan cannot tell, a number that may be one).
    pub fn parse(text: &str) -> Option<PhoneNumber> {
        let text = text.trim();
        if text.is_empty() || text.chars().count() > MAX_TYPED {
            return None;
        }
        // Letters are an extension or a typo, never part of a number a text can reach.
        if text.chars().any(char::is_alphabetic) {
            return None;
        }
        let number = phonenumber::parse(Some(country::Id::GR), text).ok()?;
        if !number.is_valid() {
            return None;
        }
        let can_take_texts = matches!(
            number.number_type(&phonenumber::metadata::DATABASE),
            Type::Mobile | Type::FixedLineOrMobile
        );
        can_take_texts.then(|| PhoneNumber(number.format().mode(Mode::E164).to_string()))
    }

    pub fn as_str(&self) -> &str {
        &self.0
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn mobiles_as_people_type_them_and_nothing_else() {
        let table = [
            ("6912345678", Some("+306912345678")),
            ("691 234 5678", Some("+306912345678")),
            ("+30 691-234-5678", Some("+306912345678")),
            ("0030 6912345678", Some("+306912345678")),
            ("+963 944 123 456", Some("+963944123456")), // Syria, a mobile
            ("+380 67 123 4567", Some("+380671234567")), // Ukraine
            ("+355 69 212 3456", Some("+355692123456")), // Albania
            ("+44 7911 123456", Some("+447911123456")),  // a British mobile
            ("+30 2810 123456", None),                   // a landline in Heraklion
            ("2821012345", None),                        // a landline in Chania
            ("+44 (20) 7946 0958", None),                // a London landline
            ("+30 800 11 12345", None),                  // a free phone line
            ("12345", None),                             // too short
            ("+1234567890123456", None),                 // too long
            ("+30 691 234 5678 ext 2", None),
            ("", None),
            ("+0030 691", None),
            ("not a number", None),
        ];
        for (typed, expected) in table {
            assert_eq!(
                PhoneNumber::parse(typed).as_ref().map(PhoneNumber::as_str),
                expected,
                "{typed:?}"
            );
        }
    }
}
