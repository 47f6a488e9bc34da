//! The configuration as a file, as `Config::to_toml` writes it (the same shape a file is read
//! in, so that the two round-trip).

use seira_protocol::Names;
use seira_protocol::admin::{Hours, SiteSettings};
use serde::Serialize;

use super::validate::WEEKDAYS;
use crate::queue::hours::WeeklyHours;

#[derive(Serialize)]
pub(super) struct FileConfig {
    pub(super) priorities: Vec<FilePriority>,
    pub(super) sites: Vec<SiteSettings>,
    pub(super) devices: Vec<FileAccount>,
    pub(super) users: Vec<FileAccount>,
}

#[derive(Serialize)]
pub(super) struct FilePriority {
    pub(super) id: String,
    pub(super) names: Names,
}

#[derive(Serialize)]
pub(super) struct FileAccount {
    pub(super) name: String,
    pub(super) role: &'static str,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub(super) site: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub(super) desk: Option<String>,
}

/// "The services are free of charge", in the kiosk's languages: what the seed centres' pages
/// say of themselves.
pub(super) fn default_footer() -> Names {
    [
        ("el", "Οι υπηρεσίες παρέχονται δωρεάν"),
        ("en", "All services are free of charge"),
        ("ar", "جميع الخدمات مجانية"),
        ("fa", "همه خدمات رایگان است"),
        ("uk", "Усі послуги безкоштовні"),
        ("sq", "Të gjitha shërbimet janë falas"),
    ]
    .into_iter()
    .map(|(lang, text)| (lang.to_owned(), text.to_owned()))
    .collect()
}

pub(super) fn hours_table(hours: &WeeklyHours) -> Hours {
    WEEKDAYS
        .iter()
        .filter(|(_, day)| !hours.spans(*day).is_empty())
        .map(|(name, day)| {
            let spans = hours.spans(*day).iter().map(|s| s.to_string()).collect();
            ((*name).to_owned(), spans)
        })
        .collect()
}
