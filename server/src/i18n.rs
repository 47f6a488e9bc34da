//! The pages' texts in Greek (the default) and English, from Fluent files in `server/i18n/`.
//!
//! Every message is formatted once at start-up. A message's variables stay in it as
//! `{$name}` placeholders, filled by [`Messages::get_with`] on the server or by the pages'
//! script in the browser, which receives the same table.

use std::collections::BTreeMap;
use std::sync::OnceLock;

use fluent_bundle::{FluentBundle, FluentResource};

/// The languages of the pages, the default first.
pub const LANGUAGES: [&str; 2] = ["el", "en"];

const SOURCES: [(&str, &str); 2] = [
    ("el", include_str!("../i18n/el.ftl")),
    ("en", include_str!("../i18n/en.ftl")),
];

/// All messages of one language.
#[derive(Debug, Clone, Default)]
pub struct Messages {
    pub lang: &'static str,
    pub table: BTreeMap<String, String>,
}

impl Messages {
    /// The messages of `lang`, or of Greek when `lang` is not one of [`LANGUAGES`].
    pub fn of(lang: &str) -> &'static Messages {
        static ALL: OnceLock<Vec<Messages>> = OnceLock::new();
        let all = ALL.get_or_init(|| SOURCES.iter().map(|(l, s)| load(l, s)).collect());
        all.iter().find(|m| m.lang == lang).unwrap_or(&all[0])
    }

    /// A message; its key when missing (which a test forbids).
    pub fn get(&self, key: &str) -> String {
        self.table
            .get(key)
            .cloned()
            .unwrap_or_else(|| key.to_owned())
    }

    /// A message with its variables filled.
    pub fn get_with(&self, key: &str, args: &[(&str, &str)]) -> String {
        args.iter().fold(self.get(key), |text, (name, value)| {
            text.replace(&format!("{{${name}}}"), value)
        })
    }
}

fn load(lang: &'static str, source: &str) -> Messages {
    let resource = FluentResource::try_new(source.to_owned())
        .unwrap_or_else(|(_, errors)| panic!("{lang}.ftl does not parse: {errors:?}"));
    let id: unic_langid::LanguageIdentifier = lang.parse().expect("a language id");
    let mut bundle = FluentBundle::new(vec![id]);
    // No Unicode isolation marks around variables: they would reach the HTML and the script.
    bundle.set_use_isolating(false);
    bundle
        .add_resource(resource)
        .unwrap_or_else(|errors| panic!("{lang}.ftl has duplicate messages: {errors:?}"));
    let mut table = BTreeMap::new();
    let ids: Vec<String> = FluentResource::try_new(source.to_owned())
        .map(|r| {
            r.entries()
                .filter_map(|e| match e {
                    fluent_syntax::ast::Entry::Message(m) => Some(m.id.name.to_owned()),
                    _ => None,
                })
                .collect()
        })
        .unwrap_or_default();
    for id in ids {
        let Some(pattern) = bundle.get_message(&id).and_then(|m| m.value()) else {
            continue;
        };
        let mut errors = Vec::new();
        // Missing variables come out as `{$name}`: exactly the placeholder we want.
        let text = bundle.format_pattern(pattern, None, &mut errors);
        table.insert(id, text.into_owned());
    }
    Messages { lang, table }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_language_has_every_message() {
        let greek = Messages::of("el");
        assert!(greek.table.len() > 50);
        for lang in LANGUAGES {
            let m = Messages::of(lang);
            let keys: Vec<_> = m.table.keys().collect();
            let greek_keys: Vec<_> = greek.table.keys().collect();
            assert_eq!(keys, greek_keys, "{lang} has the same messages as el");
        }
    }

    #[test]
    fn variables_stay_placeholders_until_filled() {
        let m = Messages::of("el");
        assert_eq!(m.get("track-position"), "Μπροστά σας: {$position}");
        assert_eq!(
            m.get_with("track-position", &[("position", "3")]),
            "Μπροστά σας: 3"
        );
        assert_eq!(
            Messages::of("xx").lang,
            "el",
            "unknown languages fall back to Greek"
        );
    }
}
