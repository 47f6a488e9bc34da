//! What is wrong in a configuration, said in English (files, logs, the API) and in Greek (the
//! administrators' page), with its place in the file.

use std::ops::Range;

/// One thing wrong in a configuration file.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ConfigError {
    pub file: String,
    /// 1-based; 0 when the error concerns the whole file.
    pub line: usize,
    pub column: usize,
    pub message: String,
    /// The same in Greek, for the administrators' page.
    pub message_el: String,
}

/// A validation message in English (files, logs, the API) and Greek (the admin page).
pub struct Msg {
    pub(super) en: String,
    pub(super) el: String,
}

pub(super) fn msg(en: impl Into<String>, el: impl Into<String>) -> Msg {
    Msg {
        en: en.into(),
        el: el.into(),
    }
}

/// What a message is about, named in both languages.
#[derive(Clone, Copy)]
pub(super) struct What {
    pub(super) en: &'static str,
    pub(super) el: &'static str,
}

impl What {
    const fn new(en: &'static str, el: &'static str) -> What {
        What { en, el }
    }
}

pub(super) const PRIORITY: What = What::new("priority category", "κατηγορία προτεραιότητας");
pub(super) const SITE: What = What::new("site", "δομή");
pub(super) const SERVICE: What = What::new("service", "υπηρεσία");
pub(super) const PREFIX: What = What::new("prefix", "γράμμα");
pub(super) const DESK: What = What::new("desk", "γραφείο");
pub(super) const DESK_SERVICE: What = What::new("service of the desk", "υπηρεσία του γραφείου");
pub(super) const DEVICE: What = What::new("device", "συσκευή");
pub(super) const USER: What = What::new("user", "χρήστης");
pub(super) const NEWS: What = What::new("news line", "γραμμή ειδήσεων");
pub(super) const FOOTER: What = What::new("ticket_footer", "υποσέλιδο εισιτηρίου");

impl ConfigError {
    pub(super) fn at(
        file: &str,
        text: &str,
        span: Option<Range<usize>>,
        message: Msg,
    ) -> ConfigError {
        let (line, column) = match span {
            Some(span) => line_and_column(text, span.start),
            None => (0, 0),
        };
        ConfigError {
            file: file.to_owned(),
            line,
            column,
            message: message.en,
            message_el: message.el,
        }
    }
}

impl std::fmt::Display for ConfigError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        if self.line == 0 {
            write!(f, "{}: {}", self.file, self.message)
        } else {
            write!(
                f,
                "{}:{}:{}: {}",
                self.file, self.line, self.column, self.message
            )
        }
    }
}

/// Everything wrong in a configuration file, in the order found.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub struct ConfigErrors {
    pub errors: Vec<ConfigError>,
}

impl std::fmt::Display for ConfigErrors {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        for (i, e) in self.errors.iter().enumerate() {
            if i > 0 {
                writeln!(f)?;
            }
            write!(f, "{e}")?;
        }
        Ok(())
    }
}

pub(super) fn line_and_column(text: &str, offset: usize) -> (usize, usize) {
    let before = &text[..offset.min(text.len())];
    let line = before.matches('\n').count() + 1;
    let column = before
        .rfind('\n')
        .map_or(before.len(), |n| before.len() - n - 1)
        + 1;
    (line, column)
}
