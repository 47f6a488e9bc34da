//! The ticket: what a citizen takes from the kiosk. The number is the largest thing on it;
//! everything is centred; the QR code leads to the phone page. No personal data.

use crate::commands::{Align, Commands, Unprintable};
use crate::profile::Profile;
use crate::raster::{can_draw, render_line};

/// Font A is 24 dots high: a raster line of "size 1" text is drawn that high.
const LINE_DOTS: f32 = 24.0;

/// A line as text when the printer's code page holds it, else as an image of the text (Arabic,
/// Farsi, Ukrainian…), so that nothing is ever sent as raw UTF-8.
fn put_line(
    c: &mut Commands,
    text: &str,
    profile: &Profile,
    bold: bool,
) -> Result<(), Unprintable> {
    if profile.codepage.holds(text) {
        c.line(text)?;
        return Ok(());
    }
    if let Some(character) = text.chars().find(|ch| !can_draw(&ch.to_string())) {
        return Err(Unprintable {
            character,
            page: profile.codepage,
        });
    }
    let image = render_line(
        text,
        LINE_DOTS,
        bold,
        profile.width_dots as u32,
        Align::Center,
    );
    c.raster(image.width_bytes(), &image.rows);
    Ok(())
}

/// What a ticket says, already in the citizen's language.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct TicketContent {
    /// The centre's name.
    pub centre: String,
    /// `A012`.
    pub number: String,
    pub service: String,
    /// Date and time of issue, as printed (`23/11/2026 10:42`, Europe/Athens).
    pub issued: String,
    /// e.g. `Μπροστά σας: 3 · Αναμονή περίπου 15 λεπτά`.
    pub queue_line: String,
    /// The phone page's full address, for the QR code.
    pub track_url: String,
    /// The same page's short link, printed under the QR code for a phone that cannot read
    /// it (`oura.chania.gr/t/KX7PQ-4MN2A`); empty: none printed.
    pub short_link: String,
    /// e.g. `Οι υπηρεσίες παρέχονται δωρεάν`.
    pub footer: String,
    /// The centre's logo, printed above its name (see [`crate::raster::logo`]).
    pub logo: Option<crate::raster::Bitmap>,
}

/// The ESC/POS bytes of a ticket for `profile`.
pub fn ticket(content: &TicketContent, profile: &Profile) -> Result<Vec<u8>, Unprintable> {
    let wide = profile.width_dots >= 576;
    let mut c = Commands::new(profile.codepage, profile.codepage_number);
    if let Some(logo) = &content.logo {
        c.raster(logo.width_bytes(), &logo.rows).feed(1);
    }
    c.align(Align::Center).bold(true);
    for line in wrap(&content.centre, profile.chars_per_line) {
        put_line(&mut c, &line, profile, true)?;
    }
    c.bold(false).feed(1);
    // Font A is 12 dots wide: 4 characters × 12 × 8 fill 384 dots, so 58 mm paper takes 6×.
    let big = if wide { 8 } else { 6 };
    c.size(big, big).line(&content.number)?;
    c.size(1, 1).feed(1).bold(true);
    for line in wrap(&content.service, profile.chars_per_line) {
        put_line(&mut c, &line, profile, true)?;
    }
    c.bold(false).feed(1);
    put_line(&mut c, &content.issued, profile, false)?;
    for line in wrap(&content.queue_line, profile.chars_per_line) {
        put_line(&mut c, &line, profile, false)?;
    }
    c.feed(1).qr(&content.track_url, if wide { 6 } else { 5 });
    for line in wrap(&content.short_link, profile.chars_per_line) {
        put_line(&mut c, &line, profile, false)?;
    }
    c.feed(1);
    for line in wrap(&content.footer, profile.chars_per_line) {
        put_line(&mut c, &line, profile, false)?;
    }
    c.feed(3).cut();
    Ok(c.into_bytes())
}

/// Breaks text into lines of at most `width` characters, at spaces where it can.
pub fn wrap(text: &str, width: usize) -> Vec<String> {
    let width = width.max(1);
    let mut lines = Vec::new();
    let mut current = String::new();
    for word in text.split_whitespace() {
        let mut word: Vec<char> = word.chars().collect();
        while word.len() > width {
            if !current.is_empty() {
                lines.push(std::mem::take(&mut current));
            }
            lines.push(word.drain(..width).collect());
        }
        let word: String = word.into_iter().collect();
        let needed =
            current.chars().count() + usize::from(!current.is_empty()) + word.chars().count();
        if needed > width && !current.is_empty() {
            lines.push(std::mem::take(&mut current));
        }
        if !current.is_empty() {
            current.push(' ');
        }
        current.push_str(&word);
    }
    if !current.is_empty() {
        lines.push(current);
    }
    lines
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::codepage::CodePage;

    use crate::testing::sample_ticket as sample;

    #[test]
    fn lines_wrap_at_spaces_and_split_long_words() {
        assert_eq!(
            wrap("Επιδόματα και ΚΕΑ: ενημέρωση", 12),
            ["Επιδόματα", "και ΚΕΑ:", "ενημέρωση"]
        );
        assert_eq!(wrap("abcdefghij", 4), ["abcd", "efgh", "ij"]);
        assert_eq!(wrap("", 10), Vec::<String>::new());
    }

    #[test]
    fn a_ticket_has_every_part_in_greek_bytes() {
        for name in Profile::ALL {
            let profile = Profile::named(name).unwrap();
            let bytes = ticket(&sample(), &profile).unwrap();
            assert!(bytes.starts_with(&[0x1b, b'@', 0x1b, b't', profile.codepage_number]));
            assert!(bytes.ends_with(&[0x1d, b'V', 66, 0]), "cut at the end");
            let page = profile.codepage;
            for text in [
                "Κέντρο Κοινότητας Δήμου Χανίων",
                "A012",
                "23/11/2026 10:42",
                "seira.local/t/KX7PQ-4MN2A",
            ] {
                let encoded = page.encode(text).unwrap();
                assert!(
                    bytes
                        .windows(encoded.len())
                        .any(|w| w == encoded.as_slice()),
                    "{name}: {text}"
                );
            }
            let url = b"http://10.0.0.2:8080/t/0123456789abcdef";
            assert!(bytes.windows(url.len()).any(|w| w == url), "the QR payload");
            assert!(
                !String::from_utf8_lossy(&bytes).contains("Κ"),
                "no UTF-8 Greek"
            );
        }
    }

    #[test]
    fn text_no_code_page_holds_prints_as_an_image_never_as_utf8() {
        let mut content = sample();
        content.service = "الإعانات ودخل التضامن الاجتماعي".into();
        content.queue_line = "Попереду вас: 3".into();
        let profile = Profile::named("generic-80").unwrap();
        let bytes = ticket(&content, &profile).unwrap();
        let images = bytes
            .windows(4)
            .filter(|w| *w == [0x1d, b'v', b'0', 0])
            .count();
        assert_eq!(images, 2, "the Arabic and the Ukrainian lines are images");
        assert!(
            !bytes.windows(2).any(|w| w == "ا".as_bytes()),
            "no UTF-8 Arabic"
        );
        // Greek stays text.
        let greek = CodePage::Pc737.encode("Κέντρο").unwrap();
        assert!(bytes.windows(greek.len()).any(|w| w == greek.as_slice()));
    }

    #[test]
    fn text_no_font_draws_is_refused() {
        let mut content = sample();
        content.service = "福利".into();
        let profile = Profile::named("generic-80").unwrap();
        assert_eq!(ticket(&content, &profile).unwrap_err().character, '福');
    }
}
