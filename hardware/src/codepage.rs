//! The printers' single-byte code pages, and Greek text in them.
//!
//! Our own encoder rather than the `escpos` crate's: its WPC1253 and PC869 tables turn ASCII
//! `-` into another byte, and it sends characters it cannot map as raw UTF-8, which a printer
//! prints as garbage. Here every byte is decided from the code page's own table (`oem_cp` for
//! the DOS pages, `encoding_rs` for the Windows and ISO ones), ASCII is always ASCII, and a
//! character no page holds is an error the layout must handle (print it as an image), never
//! bytes sent blind.

use unicode_normalization::UnicodeNormalization;

/// A code page a printer can switch to with `ESC t n`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum CodePage {
    /// DOS Greek (CP737): on nearly every printer, the safe choice.
    Pc737,
    /// Windows Greek (CP1253).
    Wpc1253,
    /// ISO-8859-7.
    Iso8859_7,
}

impl CodePage {
    pub const ALL: [CodePage; 3] = [CodePage::Pc737, CodePage::Wpc1253, CodePage::Iso8859_7];

    pub fn name(self) -> &'static str {
        match self {
            CodePage::Pc737 => "cp737",
            CodePage::Wpc1253 => "cp1253",
            CodePage::Iso8859_7 => "iso8859-7",
        }
    }

    pub fn parse(name: &str) -> Option<CodePage> {
        CodePage::ALL.into_iter().find(|c| c.name() == name)
    }

    /// The byte for `c`, if this page has it.
    pub fn encode_char(self, c: char) -> Option<u8> {
        if (' '..='~').contains(&c) {
            return Some(c as u8);
        }
        match self {
            CodePage::Pc737 => oem_cp::code_table::ENCODING_TABLE_CP737.get(&c).copied(),
            CodePage::Wpc1253 => encode_with(encoding_rs::WINDOWS_1253, c),
            CodePage::Iso8859_7 => encode_with(encoding_rs::ISO_8859_7, c),
        }
    }

    /// The character a byte prints as (for checking what was sent, and previews).
    pub fn decode_byte(self, b: u8) -> Option<char> {
        if (0x20..0x7f).contains(&b) {
            return Some(b as char);
        }
        match self {
            CodePage::Pc737 => {
                (b >= 0x80).then(|| oem_cp::code_table::DECODING_TABLE_CP737[(b - 0x80) as usize])
            }
            CodePage::Wpc1253 => decode_with(encoding_rs::WINDOWS_1253, b),
            CodePage::Iso8859_7 => decode_with(encoding_rs::ISO_8859_7, b),
        }
    }

    /// `text` in this page's bytes. A character the page lacks is tried without its accents
    /// (`ΐ` → `ϊ` → `ι`), as a careful typist would; one that is still missing is returned as
    /// the error.
    pub fn encode(self, text: &str) -> Result<Vec<u8>, char> {
        text.chars()
            .map(|c| {
                self.encode_char(c)
                    .or_else(|| self.encode_without_accents(c))
                    .ok_or(c)
            })
            .collect()
    }

    fn encode_without_accents(self, c: char) -> Option<u8> {
        // Drop one combining mark at a time: keep the diaeresis if the page has it.
        let decomposed: Vec<char> = c.nfd().collect();
        (1..decomposed.len()).rev().find_map(|keep| {
            let shorter: String = decomposed[..keep]
                .iter()
                .collect::<String>()
                .nfc()
                .collect();
            let mut chars = shorter.chars();
            match (chars.next(), chars.next()) {
                (Some(one), None) => self.encode_char(one),
                _ => None,
            }
        })
    }

    /// Whether every character of `text` can be printed as text in this page.
    pub fn holds(self, text: &str) -> bool {
        self.encode(text).is_ok()
    }

    /// The bytes decoded back (what the printer will show).
    pub fn decode(self, bytes: &[u8]) -> String {
        bytes
            .iter()
            .map(|&b| self.decode_byte(b).unwrap_or('\u{fffd}'))
            .collect()
    }
}

fn encode_with(encoding: &'static encoding_rs::Encoding, c: char) -> Option<u8> {
    let mut buf = [0u8; 4];
    let (bytes, _, unmappable) = encoding.encode(c.encode_utf8(&mut buf));
    (!unmappable && bytes.len() == 1).then(|| bytes[0])
}

fn decode_with(encoding: &'static encoding_rs::Encoding, b: u8) -> Option<char> {
    let byte = [b];
    let (text, malformed) = encoding.decode_without_bom_handling(&byte);
    let mut chars = text.chars();
    match (malformed, chars.next(), chars.next()) {
        (false, Some(c), None) => Some(c),
        _ => None,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const GREEK: &str =
        "Κέντρο Κοινότητας Δήμου Χανίων — Αριθμός Α012: ΐ ΰ ϊ ϋ Ά Έ Ή Ί Ό Ύ Ώ άέήίόύώ";

    #[test]
    fn ascii_is_ascii_in_every_page_including_the_hyphen() {
        for page in CodePage::ALL {
            assert_eq!(
                page.encode("A-012 / 10:45 - ok").unwrap(),
                b"A-012 / 10:45 - ok",
                "{page:?}"
            );
        }
    }

    #[test]
    fn the_known_greek_bytes() {
        // (page, text, bytes) from the code page charts.
        let table: &[(CodePage, &str, &[u8])] = &[
            (CodePage::Pc737, "Αα", &[0x80, 0x98]),
            (CodePage::Pc737, "Ωω", &[0x97, 0xe0]),
            (CodePage::Pc737, "ά", &[0xe1]),
            (CodePage::Wpc1253, "Αα", &[0xc1, 0xe1]),
            (CodePage::Wpc1253, "Ά", &[0xa2]),
            (CodePage::Iso8859_7, "Αα", &[0xc1, 0xe1]),
            (CodePage::Iso8859_7, "Ά", &[0xb6]),
        ];
        for (page, text, bytes) in table {
            assert_eq!(page.encode(text).unwrap(), *bytes, "{page:?} {text}");
        }
    }

    #[test]
    fn greek_round_trips_in_every_page() {
        let plain =
            "Κέντρο Κοινότητας Δήμου Χανίων: Επιδόματα και ΚΕΑ, Οι υπηρεσίες παρέχονται δωρεάν.";
        for page in CodePage::ALL {
            let bytes = page.encode(plain).unwrap();
            assert_eq!(page.decode(&bytes), plain, "{page:?}");
            assert!(
                bytes.iter().all(|&b| b != 0x1b && b != 0x1d && b != 0x10),
                "no control bytes"
            );
        }
    }

    #[test]
    fn missing_accented_letters_lose_only_their_accent() {
        // The em dash is in none of the pages' text sets except 1253.
        let encoded = CodePage::Pc737.encode("ΐ").unwrap();
        assert_eq!(CodePage::Pc737.decode(&encoded), "ϊ");
        assert!(CodePage::Pc737.holds(&GREEK.replace('—', "-")));
    }

    #[test]
    fn scripts_without_a_page_are_refused_not_sent_as_utf8() {
        for page in CodePage::ALL {
            assert_eq!(page.encode("رقم"), Err('ر'), "{page:?}");
            assert_eq!(page.encode("Номер"), Err('Н'));
        }
    }
}
