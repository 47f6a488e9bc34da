//! The kiosk's words in its six languages (Fluent files in `kiosk/i18n/`).

use std::sync::OnceLock;

use seira_i18n::{Catalog, Messages};
use seira_protocol::IssuedTicket;

/// The kiosk's languages, Greek first.
pub const LANGUAGES: [&str; 6] = ["el", "en", "ar", "fa", "uk", "sq"];

fn catalog() -> &'static Catalog {
    static CATALOG: OnceLock<Catalog> = OnceLock::new();
    CATALOG.get_or_init(|| {
        Catalog::new(&[
            ("el", include_str!("../i18n/el.ftl")),
            ("en", include_str!("../i18n/en.ftl")),
            ("ar", include_str!("../i18n/ar.ftl")),
            ("fa", include_str!("../i18n/fa.ftl")),
            ("uk", include_str!("../i18n/uk.ftl")),
            ("sq", include_str!("../i18n/sq.ftl")),
        ])
    })
}

pub fn messages(lang: &str) -> &'static Messages {
    catalog().of(lang)
}

/// A name in `lang` (by the one fallback, [`seira_protocol::InLang`]).
pub fn name_in(names: &seira_protocol::Names, lang: &str) -> String {
    seira_protocol::InLang::in_lang(names, lang).to_owned()
}

/// Text in the order egui must draw it. egui 0.37 shapes Arabic and Farsi (letters join,
/// each word runs right to left) but lays words out left to right; so for a right-to-left
/// language the words of each right-to-left run are put in visual order here, by the Unicode
/// bidirectional algorithm with a right-to-left paragraph, and numbers and Latin stay as they
/// are.
pub fn visual(text: &str, lang: &str) -> String {
    if !is_rtl(lang) {
        return text.to_owned();
    }
    let bidi = unicode_bidi::BidiInfo::new(text, Some(unicode_bidi::Level::rtl()));
    let mut out = String::with_capacity(text.len());
    for para in &bidi.paragraphs {
        let (levels, runs) = bidi.visual_runs(para, para.range.clone());
        for run in runs {
            let piece = &text[run.clone()];
            if levels[run.start].is_rtl() {
                // Words (and the spaces between them) in reverse order, each word as written.
                let mut parts: Vec<&str> = piece.split_inclusive(' ').collect();
                parts.reverse();
                for part in parts {
                    let word = part.trim_end_matches(' ');
                    let spaces = &part[word.len()..];
                    out.push_str(spaces);
                    out.push_str(&punctuation_outside(word));
                }
            } else {
                out.push_str(piece);
            }
        }
    }
    out
}

/// A right-to-left word with its punctuation where a reader expects it. egui shapes the
/// word's letters right to left, but draws the punctuation around them (from another font)
/// in string order; so a colon after the word ("أمامك:") would show on its right, where a
/// right-to-left reader sees it before the word. Punctuation at the end goes to the left,
/// at the start to the right, and brackets are mirrored.
fn punctuation_outside(word: &str) -> String {
    let is_mark = |c: char| c.is_ascii_punctuation() || "،؛؟«»…".contains(c);
    let letters = word.trim_matches(is_mark);
    if letters.is_empty() {
        return word.to_owned();
    }
    let start = word.find(letters).unwrap_or(0);
    let (before, after) = (&word[..start], &word[start + letters.len()..]);
    let mirror = |c: char| match c {
        '(' => ')',
        ')' => '(',
        '[' => ']',
        ']' => '[',
        '«' => '»',
        '»' => '«',
        c => c,
    };
    let mut out = String::with_capacity(word.len());
    out.extend(after.chars().rev().map(mirror));
    out.push_str(letters);
    out.extend(before.chars().rev().map(mirror));
    out
}

/// The symbol drawn on a service's button for its configured icon name: pictures that need
/// no reading, from the bundled DejaVu Sans.
pub fn icon(name: &str) -> &'static str {
    match name {
        "benefits" => "€",
        "referrals" => "⇄",
        "psychosocial" => "♥",
        "children" => "☺",
        "mediation" => "⚖",
        "health" => "⚕",
        "learning" => "✎",
        "employment" => "⚒",
        // The "I have an appointment" button.
        "appointment" => "✔",
        _ => "●",
    }
}

/// Whether a language is written right to left.
pub fn is_rtl(lang: &str) -> bool {
    matches!(lang, "ar" | "fa")
}

/// Where the citizen stands: "you are next" with nobody ahead (never "about 0 minutes"),
/// else the people ahead and the estimated wait.
pub fn queue_words(m: &Messages, ticket: &IssuedTicket) -> Vec<String> {
    // A checked-in appointment is called at its time, whoever else waits.
    if let Some(at) = ticket.appointment_at {
        let athens = jiff::tz::TimeZone::get("Europe/Athens").unwrap_or(jiff::tz::TimeZone::UTC);
        let time = at.to_zoned_datetime(athens).strftime("%H:%M").to_string();
        return vec![m.get_with("appointment-at", &[("time", &time)])];
    }
    if ticket.position == 0 {
        return vec![m.get("you-are-next")];
    }
    let ahead = m.get_with("ahead", &[("count", &ticket.position.to_string())]);
    match ticket.estimated_wait_s.div_ceil(60) {
        0 => vec![ahead],
        minutes => vec![
            ahead,
            m.get_with("wait", &[("minutes", &minutes.to_string())]),
        ],
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn right_to_left_words_are_put_in_visual_order() {
        assert_eq!(visual("أهلاً وسهلاً", "ar"), "وسهلاً أهلاً");
        assert_eq!(visual("Καλώς ήρθατε", "el"), "Καλώς ήρθατε");
        // A Latin prefix and a number keep their reading order, placed right to left.
        assert_eq!(visual("A   الإعانات", "ar"), "الإعانات   A");
        // Each word's letters stay as written (egui shapes them right to left itself); the
        // colon after a word goes to its left, where a right-to-left reader meets it after
        // the word.
        assert_eq!(visual("أمامك: 3", "ar"), "3 :أمامك");
        assert_eq!(visual("خذ تذكرتك.", "ar"), ".تذكرتك خذ");
        assert_eq!(visual("(مجاني)", "fa"), "(مجاني)");
        assert_eq!(visual("پیش از شما: 12", "fa"), "12 :شما از پیش");
    }

    #[test]
    fn every_icon_is_in_the_bundled_font() {
        for name in [
            "benefits",
            "referrals",
            "psychosocial",
            "children",
            "mediation",
            "health",
            "learning",
            "employment",
            "other",
        ] {
            assert!(seira_hardware::raster::can_draw(icon(name)), "{name}");
        }
    }

    #[test]
    fn every_language_has_every_message() {
        assert_eq!(catalog().mismatches(), Vec::new());
        assert_eq!(catalog().languages().collect::<Vec<_>>(), LANGUAGES);
    }
}

#[cfg(test)]
mod queue_words_tests {
    use super::*;

    fn ticket(position: u32, estimated_wait_s: u32) -> IssuedTicket {
        IssuedTicket {
            id: "t".into(),
            number: "A001".into(),
            service: "benefits".into(),
            issued_at: jiff::Timestamp::UNIX_EPOCH,
            position,
            estimated_wait_s,
            track_url: "/t/t".into(),
            short_url: "/t/KX7PQ-4MN2A".into(),
            appointment_at: None,
        }
    }

    #[test]
    fn nobody_ahead_is_next_in_every_language() {
        for lang in ["el", "en", "ar", "fa", "uk", "sq"] {
            let m = messages(lang);
            let words = queue_words(m, &ticket(0, 0));
            assert_eq!(words, [m.get("you-are-next")], "{lang}");
            assert!(!words[0].contains('0'), "{lang}: {words:?}");
        }
        let m = messages("el");
        assert_eq!(
            queue_words(m, &ticket(3, 601)),
            ["Μπροστά σας: 3", "Αναμονή περίπου 11 λεπτά"]
        );
        // No estimate yet: the people ahead, no "about 0 minutes".
        assert_eq!(queue_words(m, &ticket(2, 0)), ["Μπροστά σας: 2"]);
    }
}
