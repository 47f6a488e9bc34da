//! The pages' texts, from the Fluent files in `server/i18n/`, read once at start-up (see
//! `seira-i18n`): staff's and managers' pages in Greek (the default) and English; the
//! citizens' phone pages and their text message (`server/i18n/public/`) in the six languages
//! of the kiosk.

use std::sync::OnceLock;

use seira_i18n::Catalog;
pub use seira_i18n::Messages;

/// The languages of the pages, the default first.
pub const LANGUAGES: [&str; 2] = ["el", "en"];

fn catalog() -> &'static Catalog {
    static CATALOG: OnceLock<Catalog> = OnceLock::new();
    CATALOG.get_or_init(|| {
        Catalog::new(&[
            ("el", include_str!("../i18n/el.ftl")),
            ("en", include_str!("../i18n/en.ftl")),
        ])
    })
}

/// The messages of `lang`, or of Greek when it is not one of [`LANGUAGES`].
pub fn messages(lang: &str) -> &'static Messages {
    catalog().of(lang)
}

/// The languages of the citizens' phone pages: the kiosk's, Greek first.
pub const PUBLIC_LANGUAGES: [&str; 6] = ["el", "en", "ar", "fa", "uk", "sq"];

/// The languages written right to left.
pub fn right_to_left(lang: &str) -> bool {
    matches!(lang, "ar" | "fa")
}

fn public_catalog() -> &'static Catalog {
    static CATALOG: OnceLock<Catalog> = OnceLock::new();
    CATALOG.get_or_init(|| {
        Catalog::new(&[
            ("el", include_str!("../i18n/public/el.ftl")),
            ("en", include_str!("../i18n/public/en.ftl")),
            ("ar", include_str!("../i18n/public/ar.ftl")),
            ("fa", include_str!("../i18n/public/fa.ftl")),
            ("uk", include_str!("../i18n/public/uk.ftl")),
            ("sq", include_str!("../i18n/public/sq.ftl")),
        ])
    })
}

/// The phone pages' messages of `lang`, or of Greek when it is not one of
/// [`PUBLIC_LANGUAGES`].
pub fn public_messages(lang: &str) -> &'static Messages {
    public_catalog().of(lang)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_language_has_every_message() {
        assert!(messages("el").table.len() > 50);
        assert_eq!(catalog().mismatches(), Vec::new());
        assert_eq!(public_catalog().mismatches(), Vec::new());
        assert_eq!(
            public_catalog().languages().collect::<Vec<_>>(),
            PUBLIC_LANGUAGES
        );
    }

    #[test]
    fn the_phone_pages_keep_their_placeholders_in_every_language() {
        let el = public_messages("el");
        for lang in PUBLIC_LANGUAGES {
            let m = public_messages(lang);
            for (key, text) in &el.table {
                let wanted: Vec<&str> = text.match_indices("{$").map(|(i, _)| &text[i..]).collect();
                for placeholder in wanted {
                    let name = &placeholder[..placeholder.find('}').unwrap() + 1];
                    assert!(m.get(key).contains(name), "{lang}: {key} lacks {name}");
                }
            }
        }
    }

    #[test]
    fn variables_stay_placeholders_until_filled() {
        let m = messages("el");
        assert_eq!(m.get("app-name"), "Σειρά σας");
        let m = public_messages("el");
        assert_eq!(m.get("track-position"), "Μπροστά σας: {$position}");
        assert_eq!(
            m.get_with("track-position", &[("position", "3")]),
            "Μπροστά σας: 3"
        );
        assert_eq!(
            messages("xx").lang,
            "el",
            "unknown languages fall back to Greek"
        );
    }
}
