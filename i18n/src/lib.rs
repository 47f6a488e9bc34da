//! Translations: a part's Fluent files (`.ftl`, one per language) read once into message
//! tables. Every message is formatted at start-up; a message's variables stay in it as
//! `{$name}` placeholders, filled by [`Messages::get_with`] (or by a page's script, which gets
//! the same table). No Unicode isolation marks are added around variables: they would show up
//! in HTML, on tickets and in speech.

use std::collections::BTreeMap;

use fluent_bundle::{FluentBundle, FluentResource};

/// All messages of one language.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Messages {
    pub lang: String,
    pub table: BTreeMap<String, String>,
}

impl Messages {
    /// A message; its key when missing (which each part's tests forbid).
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

/// The messages of several languages; the first is the default.
#[derive(Debug, Clone)]
pub struct Catalog {
    languages: Vec<Messages>,
}

impl Catalog {
    /// Reads `(language, Fluent source)` pairs. A source that does not parse is a programming
    /// error caught by the part's tests, so it panics with the reason.
    pub fn new(sources: &[(&str, &str)]) -> Catalog {
        Catalog {
            languages: sources.iter().map(|(lang, src)| load(lang, src)).collect(),
        }
    }

    /// The messages of `lang`, or of the default language.
    pub fn of(&self, lang: &str) -> &Messages {
        self.languages
            .iter()
            .find(|m| m.lang == lang)
            .unwrap_or(&self.languages[0])
    }

    pub fn languages(&self) -> impl Iterator<Item = &str> {
        self.languages.iter().map(|m| m.lang.as_str())
    }

    /// Languages whose message keys differ from the default's: `(language, missing, extra)`.
    pub fn mismatches(&self) -> Vec<(String, Vec<String>, Vec<String>)> {
        let default = &self.languages[0].table;
        self.languages
            .iter()
            .filter_map(|m| {
                let missing: Vec<_> = default
                    .keys()
                    .filter(|k| !m.table.contains_key(*k))
                    .cloned()
                    .collect();
                let extra: Vec<_> = m
                    .table
                    .keys()
                    .filter(|k| !default.contains_key(*k))
                    .cloned()
                    .collect();
                (!missing.is_empty() || !extra.is_empty()).then(|| (m.lang.clone(), missing, extra))
            })
            .collect()
    }
}

fn load(lang: &str, source: &str) -> Messages {
    let resource = FluentResource::try_new(source.to_owned())
        .unwrap_or_else(|(_, errors)| panic!("{lang}.ftl does not parse: {errors:?}"));
    let ids: Vec<String> = resource
        .entries()
        .filter_map(|e| match e {
            fluent_syntax::ast::Entry::Message(m) => Some(m.id.name.to_owned()),
            _ => None,
        })
        .collect();
    let id: unic_langid::LanguageIdentifier = lang.parse().expect("a language id");
    let mut bundle = FluentBundle::new(vec![id]);
    bundle.set_use_isolating(false);
    bundle
        .add_resource(resource)
        .unwrap_or_else(|errors| panic!("{lang}.ftl has duplicate messages: {errors:?}"));
    let mut table = BTreeMap::new();
    for id in ids {
        let Some(pattern) = bundle.get_message(&id).and_then(|m| m.value()) else {
            continue;
        };
        let mut errors = Vec::new();
        // Missing variables come out as `{$name}`: exactly the placeholder we want.
        let text = bundle.format_pattern(pattern, None, &mut errors);
        table.insert(id, text.into_owned());
    }
    Messages {
        lang: lang.to_owned(),
        table,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn messages_keep_placeholders_until_filled() {
        let catalog = Catalog::new(&[
            ("el", "hello = Γεια σας, { $name }!\nbye = Αντίο"),
            ("en", "hello = Hello, { $name }!"),
        ]);
        let el = catalog.of("el");
        assert_eq!(el.get("hello"), "Γεια σας, {$name}!");
        assert_eq!(
            el.get_with("hello", &[("name", "Μαρία")]),
            "Γεια σας, Μαρία!"
        );
        assert_eq!(
            catalog.of("xx").lang,
            "el",
            "unknown languages fall back to the default"
        );
        assert_eq!(
            catalog.mismatches(),
            [(
                "en".to_owned(),
                vec!["bye".to_owned()],
                Vec::<String>::new()
            )]
        );
    }
}
