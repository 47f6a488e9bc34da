//! The kiosk's words in its six languages (Fluent files in `kiosk/i18n/`).

use std::sync::OnceLock;

use seira_i18n::{Catalog, Messages};

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

/// A name in `lang`, else English, else Greek.
pub fn name_in(names: &seira_protocol::Names, lang: &str) -> String {
    names
        .get(lang)
        .or_else(|| names.get("en"))
        .or_else(|| names.get("el"))
        .cloned()
        .unwrap_or_default()
}

/// Whether a language is written right to left.
pub fn is_rtl(lang: &str) -> bool {
    matches!(lang, "ar" | "fa")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_language_has_every_message() {
        assert_eq!(catalog().mismatches(), Vec::new());
        assert_eq!(catalog().languages().collect::<Vec<_>>(), LANGUAGES);
    }
}
