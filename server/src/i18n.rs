//! The pages' texts in Greek (the default) and English, from the Fluent files in
//! `server/i18n/`, read once at start-up (see `seira-i18n`).

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

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_language_has_every_message() {
        assert!(messages("el").table.len() > 50);
        assert_eq!(catalog().mismatches(), Vec::new());
    }

    #[test]
    fn variables_stay_placeholders_until_filled() {
        let m = messages("el");
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
