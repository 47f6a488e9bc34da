//! Printer profiles: paper width and the number each model gives its Greek code page in
//! `ESC t n`. The numbers differ between makers, which is why Greek comes out garbled when a
//! generic driver guesses.

use crate::codepage::CodePage;

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Profile {
    pub name: &'static str,
    /// Printable width in dots (203 dpi: 58 mm paper → 384, 80 mm → 576).
    pub width_dots: u16,
    /// Characters per line in font A (12 × 24 dots).
    pub chars_per_line: usize,
    /// The code page used for text, and its `ESC t n` number on this model.
    pub codepage: CodePage,
    pub codepage_number: u8,
    /// The model's other Greek pages, for `--codepage`.
    pub greek_pages: &'static [(CodePage, u8)],
}

const EPSON: &[(CodePage, u8)] = &[
    (CodePage::Pc737, 14),
    (CodePage::Iso8859_7, 15),
    (CodePage::Wpc1253, 47),
];
const GENERIC: &[(CodePage, u8)] = &[(CodePage::Pc737, 64), (CodePage::Wpc1253, 90)];
/// Star printers in ESC/POS emulation number their pages like Epson's (check the model's
/// manual: `--codepage` overrides).
const STAR: &[(CodePage, u8)] = &[(CodePage::Pc737, 14), (CodePage::Wpc1253, 47)];

impl Profile {
    pub const ALL: [&'static str; 5] = [
        "epson-tm",
        "epson-tm-58",
        "generic-80",
        "generic-58",
        "star",
    ];

    /// A profile by name.
    pub fn named(name: &str) -> Option<Profile> {
        let (width_dots, chars_per_line, pages) = match name {
            "epson-tm" => (576, 48, EPSON),
            "epson-tm-58" => (384, 32, EPSON),
            "generic-80" => (576, 48, GENERIC),
            "generic-58" => (384, 32, GENERIC),
            "star" => (576, 48, STAR),
            _ => return None,
        };
        let name = Profile::ALL.into_iter().find(|n| *n == name)?;
        // CP737 first: every model has it, and it holds all of monotonic Greek.
        let (codepage, codepage_number) = pages[0];
        Some(Profile {
            name,
            width_dots,
            chars_per_line,
            codepage,
            codepage_number,
            greek_pages: pages,
        })
    }

    /// The same profile printing through another of its Greek pages (or a number of your own
    /// for a model that numbers it differently).
    pub fn with_codepage(mut self, page: CodePage, number: Option<u8>) -> Result<Profile, String> {
        let number = match number {
            Some(n) => n,
            None => self
                .greek_pages
                .iter()
                .find(|(p, _)| *p == page)
                .map(|(_, n)| *n)
                .ok_or_else(|| {
                    format!("{} has no {} page: give its number", self.name, page.name())
                })?,
        };
        self.codepage = page;
        self.codepage_number = number;
        Ok(self)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn profiles_carry_their_makers_numbers() {
        let epson = Profile::named("epson-tm").unwrap();
        assert_eq!(
            (epson.codepage, epson.codepage_number, epson.width_dots),
            (CodePage::Pc737, 14, 576)
        );
        let iso = epson
            .clone()
            .with_codepage(CodePage::Iso8859_7, None)
            .unwrap();
        assert_eq!(iso.codepage_number, 15);
        assert_eq!(
            epson
                .with_codepage(CodePage::Wpc1253, None)
                .unwrap()
                .codepage_number,
            47
        );
        let generic = Profile::named("generic-58").unwrap();
        assert_eq!((generic.codepage_number, generic.chars_per_line), (64, 32));
        assert_eq!(
            generic
                .clone()
                .with_codepage(CodePage::Wpc1253, None)
                .unwrap()
                .codepage_number,
            90
        );
        assert!(
            generic
                .clone()
                .with_codepage(CodePage::Iso8859_7, None)
                .is_err()
        );
        assert_eq!(
            generic
                .with_codepage(CodePage::Iso8859_7, Some(17))
                .unwrap()
                .codepage_number,
            17
        );
        assert!(Profile::named("laser").is_none());
        for name in Profile::ALL {
            assert!(Profile::named(name).is_some());
        }
    }
}
