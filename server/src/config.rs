//! The configuration file: sites, services, desks, opening hours, the calling policy and the
//! device and user accounts. It is read once into [`Config`], a validated form in which every
//! reference (a desk's services, a user's desks) is known to exist.
//!
//! Parsing goes through a raw form whose fields keep their place in the file, so that every
//! error names the file, the line and what is wrong (`seira config check`).

use std::collections::{BTreeMap, HashSet};
use std::ops::Range;

use jiff::{SignedDuration, civil::Weekday, tz::TimeZone};
use seira_protocol::admin::{Calling, DeskSettings, Hours, ServiceSettings, SiteSettings};
use seira_protocol::{DeskOrder, Names};
use serde::{Deserialize, Serialize};
use toml::Spanned;

use crate::queue::calling::{Policy, Ratio};
use crate::queue::hours::{Span, WeeklyHours};
use seira_protocol::Role;

/// The embedded default: the Community Centre of Chania and its Roma branch in Souda.
pub const DEFAULT_TOML: &str = include_str!("../config/default.toml");
pub const DEFAULT_NAME: &str = "<embedded default>";

/// Languages every name must have.
pub const REQUIRED_LANGUAGES: [&str; 2] = ["el", "en"];

#[derive(Debug, Clone)]
pub struct Config {
    pub priorities: Vec<PriorityCategory>,
    pub sites: Vec<Site>,
    pub devices: Vec<Account>,
    pub users: Vec<Account>,
    /// Set by [`Config::always_open`]: every site's hours are ignored.
    pub open_around_the_clock: bool,
}

#[derive(Debug, Clone)]
pub struct PriorityCategory {
    pub id: String,
    pub names: Names,
}

#[derive(Debug, Clone)]
pub struct Site {
    pub id: String,
    pub names: Names,
    pub address: String,
    pub time_zone: TimeZone,
    pub hours: WeeklyHours,
    /// Days the site is closed whatever its weekly hours (public holidays, its own days off).
    pub closed_days: Vec<jiff::civil::Date>,
    pub ratio: Ratio,
    pub aging: bool,
    /// How long a no-show can be undone.
    pub undo_window: SignedDuration,
    pub news: Vec<Names>,
    /// Printed at the foot of every ticket.
    pub ticket_footer: Names,
    pub services: Vec<Service>,
    pub desks: Vec<Desk>,
}

#[derive(Debug, Clone)]
pub struct Service {
    pub id: String,
    pub prefix: String,
    pub names: Names,
    pub icon: String,
    pub target_wait: SignedDuration,
    /// The service time assumed until there are real ones to go by.
    pub typical_service: SignedDuration,
    /// Own hours within the site's, if the service is offered at fewer times.
    pub hours: Option<WeeklyHours>,
}

#[derive(Debug, Clone)]
pub struct Desk {
    pub id: String,
    pub names: Names,
    pub services: Vec<String>,
    pub order: DeskOrder,
}

/// A device or a user the configuration knows, for `seira token create --device/--user`.
#[derive(Debug, Clone)]
pub struct Account {
    pub name: String,
    pub role: Role,
    pub site: Option<String>,
    pub desk: Option<String>,
}

impl Config {
    /// The embedded default configuration.
    pub fn embedded() -> Config {
        Config::parse(DEFAULT_TOML, DEFAULT_NAME).expect("the embedded configuration is valid")
    }

    /// Reads and validates a configuration file.
    pub fn load(path: &std::path::Path) -> Result<Config, ConfigErrors> {
        let name = path.display().to_string();
        let text = std::fs::read_to_string(path).map_err(|e| ConfigErrors {
            errors: vec![ConfigError {
                file: name.clone(),
                line: 0,
                column: 0,
                message: format!("cannot read it: {e}"),
                message_el: format!("δεν διαβάζεται: {e}"),
            }],
        })?;
        Config::parse(&text, &name)
    }

    /// Parses and validates configuration text; `file` names it in errors.
    pub fn parse(text: &str, file: &str) -> Result<Config, ConfigErrors> {
        let raw: RawConfig = toml::from_str(text).map_err(|e| ConfigErrors {
            errors: vec![ConfigError::at(
                file,
                text,
                e.span(),
                msg(
                    e.message().trim(),
                    format!("το αρχείο δεν διαβάζεται: {}", e.message().trim()),
                ),
            )],
        })?;
        let mut v = Validator {
            file,
            text,
            errors: Vec::new(),
        };
        let config = v.config(raw);
        if v.errors.is_empty() {
            Ok(config)
        } else {
            Err(ConfigErrors { errors: v.errors })
        }
    }

    pub fn site(&self, id: &str) -> Option<&Site> {
        self.sites.iter().find(|s| s.id == id)
    }

    /// The desk with this id and the site it belongs to.
    pub fn desk(&self, id: &str) -> Option<(&Site, &Desk)> {
        self.sites
            .iter()
            .find_map(|s| s.desks.iter().find(|d| d.id == id).map(|d| (s, d)))
    }

    pub fn priority(&self, id: &str) -> Option<&PriorityCategory> {
        self.priorities.iter().find(|p| p.id == id)
    }

    /// One site as its admin form (and its `[[sites]]` table) says it.
    pub fn site_settings(&self, site: &Site) -> SiteSettings {
        SiteSettings {
            id: site.id.clone(),
            names: site.names.clone(),
            address: site.address.clone(),
            time_zone: site
                .time_zone
                .iana_name()
                .unwrap_or("Europe/Athens")
                .to_owned(),
            hours: hours_table(&site.hours),
            closed_days: site.closed_days.iter().map(|d| d.to_string()).collect(),
            calling: Calling {
                priority_ratio: [site.ratio.priority, site.ratio.ordinary],
                aging: site.aging,
                undo_window_min: (site.undo_window.as_secs() / 60) as u32,
            },
            news: site.news.clone(),
            ticket_footer: Some(site.ticket_footer.clone()),
            services: site
                .services
                .iter()
                .map(|s| ServiceSettings {
                    id: s.id.clone(),
                    prefix: s.prefix.clone(),
                    names: s.names.clone(),
                    icon: s.icon.clone(),
                    target_wait_min: (s.target_wait.as_secs() / 60) as u32,
                    typical_service_min: (s.typical_service.as_secs() / 60) as u32,
                    hours: s.hours.as_ref().map(hours_table),
                })
                .collect(),
            desks: site
                .desks
                .iter()
                .map(|d| DeskSettings {
                    id: d.id.clone(),
                    names: d.names.clone(),
                    services: d.services.clone(),
                    order: d.order,
                })
                .collect(),
        }
    }

    /// The configuration as a file: `Config::parse(&c.to_toml())` gives it back.
    pub fn to_toml(&self) -> String {
        let account = |a: &Account| FileAccount {
            name: a.name.clone(),
            role: a.role.as_str(),
            site: a.site.clone(),
            desk: a.desk.clone(),
        };
        let file = FileConfig {
            priorities: self
                .priorities
                .iter()
                .map(|p| FilePriority {
                    id: p.id.clone(),
                    names: p.names.clone(),
                })
                .collect(),
            sites: self.sites.iter().map(|s| self.site_settings(s)).collect(),
            devices: self.devices.iter().map(account).collect(),
            users: self.users.iter().map(account).collect(),
        };
        toml::to_string(&file).unwrap_or_default()
    }

    /// A copy with one site's settings replaced (or the site added), validated as a whole
    /// file would be.
    pub fn with_site(&self, settings: SiteSettings) -> Result<Config, ConfigErrors> {
        let text = {
            let mut file: toml::Table = toml::from_str(&self.to_toml()).unwrap_or_default();
            let mut sites: Vec<SiteSettings> =
                self.sites.iter().map(|s| self.site_settings(s)).collect();
            match sites.iter_mut().find(|s| s.id == settings.id) {
                Some(site) => *site = settings,
                None => sites.push(settings),
            }
            let sites = toml::Value::try_from(sites).unwrap_or(toml::Value::Array(Vec::new()));
            file.insert("sites".into(), sites);
            toml::to_string(&file).unwrap_or_default()
        };
        Config::parse(&text, "the new settings")
    }

    /// A copy with other priority categories, validated as a whole file would be.
    pub fn with_priorities(
        &self,
        priorities: &[seira_protocol::PriorityCategory],
    ) -> Result<Config, ConfigErrors> {
        let mut file: toml::Table = toml::from_str(&self.to_toml()).unwrap_or_default();
        let list = priorities
            .iter()
            .map(|p| FilePriority {
                id: p.id.clone(),
                names: p.names.clone(),
            })
            .collect::<Vec<_>>();
        file.insert(
            "priorities".into(),
            toml::Value::try_from(list).unwrap_or(toml::Value::Array(Vec::new())),
        );
        Config::parse(
            &toml::to_string(&file).unwrap_or_default(),
            "the new priorities",
        )
    }

    /// Every site opens around the clock (demo and `--always-open`).
    pub fn always_open(mut self) -> Config {
        self.open_around_the_clock = true;
        for site in &mut self.sites {
            site.hours = WeeklyHours::always();
            site.closed_days.clear();
            for service in &mut site.services {
                service.hours = None;
            }
        }
        self
    }
}

impl Site {
    pub fn service(&self, id: &str) -> Option<&Service> {
        self.services.iter().find(|s| s.id == id)
    }

    pub fn is_open(&self, now: jiff::Timestamp) -> bool {
        self.hours.is_open(now, &self.time_zone) && !self.closed_on(now)
    }

    /// Whether `now` falls on one of the site's closure days (in the site's zone).
    pub fn closed_on(&self, now: jiff::Timestamp) -> bool {
        let today = self.time_zone.to_datetime(now).date();
        self.closed_days.contains(&today)
    }

    /// Whether tickets for `service` can be taken at `now`.
    pub fn service_open(&self, service: &Service, now: jiff::Timestamp) -> bool {
        self.is_open(now)
            && service
                .hours
                .as_ref()
                .is_none_or(|h| h.is_open(now, &self.time_zone))
    }

    /// The calling policy of one of this site's desks.
    pub fn policy(&self, desk: &Desk) -> Policy {
        Policy {
            order: desk.order,
            ratio: self.ratio,
            aging: self.aging,
        }
    }
}

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
    en: String,
    el: String,
}

fn msg(en: impl Into<String>, el: impl Into<String>) -> Msg {
    Msg {
        en: en.into(),
        el: el.into(),
    }
}

/// What a message is about, named in both languages.
#[derive(Clone, Copy)]
struct What {
    en: &'static str,
    el: &'static str,
}

const PRIORITY: What = What {
    en: "priority category",
    el: "κατηγορία προτεραιότητας",
};
const SITE: What = What {
    en: "site",
    el: "δομή",
};
const SERVICE: What = What {
    en: "service",
    el: "υπηρεσία",
};
const PREFIX: What = What {
    en: "prefix",
    el: "γράμμα",
};
const DESK: What = What {
    en: "desk",
    el: "γραφείο",
};
const DESK_SERVICE: What = What {
    en: "service of the desk",
    el: "υπηρεσία του γραφείου",
};
const DEVICE: What = What {
    en: "device",
    el: "συσκευή",
};
const USER: What = What {
    en: "user",
    el: "χρήστης",
};
const NEWS: What = What {
    en: "news line",
    el: "γραμμή ειδήσεων",
};
const FOOTER: What = What {
    en: "ticket_footer",
    el: "υποσέλιδο εισιτηρίου",
};

impl ConfigError {
    fn at(file: &str, text: &str, span: Option<Range<usize>>, message: Msg) -> ConfigError {
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

fn line_and_column(text: &str, offset: usize) -> (usize, usize) {
    let before = &text[..offset.min(text.len())];
    let line = before.matches('\n').count() + 1;
    let column = before
        .rfind('\n')
        .map_or(before.len(), |n| before.len() - n - 1)
        + 1;
    (line, column)
}

// ---- the file form, as written by `to_toml` ---------------------------------------------

#[derive(Serialize)]
struct FileConfig {
    priorities: Vec<FilePriority>,
    sites: Vec<SiteSettings>,
    devices: Vec<FileAccount>,
    users: Vec<FileAccount>,
}

#[derive(Serialize)]
struct FilePriority {
    id: String,
    names: Names,
}

#[derive(Serialize)]
struct FileAccount {
    name: String,
    role: &'static str,
    #[serde(skip_serializing_if = "Option::is_none")]
    site: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    desk: Option<String>,
}

/// "The services are free of charge", in the kiosk's languages: what the seed centres' pages
/// say of themselves.
fn default_footer() -> Names {
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

fn hours_table(hours: &WeeklyHours) -> Hours {
    WEEKDAYS
        .iter()
        .filter(|(_, day)| !hours.spans(*day).is_empty())
        .map(|(name, day)| {
            let spans = hours.spans(*day).iter().map(|s| s.to_string()).collect();
            ((*name).to_owned(), spans)
        })
        .collect()
}

// ---- the raw form, as written ------------------------------------------------------------

type S<T> = Spanned<T>;

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawConfig {
    #[serde(default)]
    priorities: Vec<RawPriority>,
    sites: S<Vec<RawSite>>,
    #[serde(default)]
    devices: Vec<RawAccount>,
    #[serde(default)]
    users: Vec<RawAccount>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawPriority {
    id: S<String>,
    names: S<Names>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawSite {
    id: S<String>,
    names: S<Names>,
    #[serde(default)]
    address: String,
    #[serde(default = "default_time_zone")]
    time_zone: S<String>,
    hours: S<BTreeMap<String, Vec<S<String>>>>,
    #[serde(default)]
    closed_days: Vec<S<String>>,
    #[serde(default)]
    calling: RawCalling,
    #[serde(default)]
    news: Vec<S<Names>>,
    #[serde(default)]
    ticket_footer: Option<S<Names>>,
    services: S<Vec<RawService>>,
    #[serde(default)]
    desks: Vec<RawDesk>,
}

fn default_time_zone() -> S<String> {
    Spanned::new(0..0, "Europe/Athens".to_owned())
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawCalling {
    #[serde(default = "default_ratio")]
    priority_ratio: S<[u32; 2]>,
    #[serde(default = "default_true")]
    aging: bool,
    #[serde(default = "default_undo_window")]
    undo_window_min: S<u32>,
}

impl Default for RawCalling {
    fn default() -> Self {
        RawCalling {
            priority_ratio: default_ratio(),
            aging: true,
            undo_window_min: default_undo_window(),
        }
    }
}

fn default_undo_window() -> S<u32> {
    Spanned::new(0..0, 15)
}

fn default_ratio() -> S<[u32; 2]> {
    Spanned::new(0..0, [1, 2])
}

fn default_true() -> bool {
    true
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawService {
    id: S<String>,
    prefix: S<String>,
    names: S<Names>,
    #[serde(default)]
    icon: String,
    target_wait_min: S<u32>,
    #[serde(default = "default_service_min")]
    typical_service_min: S<u32>,
    #[serde(default)]
    hours: Option<S<BTreeMap<String, Vec<S<String>>>>>,
}

fn default_service_min() -> S<u32> {
    Spanned::new(0..0, 15)
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawDesk {
    id: S<String>,
    names: S<Names>,
    services: S<Vec<S<String>>>,
    #[serde(default = "default_order")]
    order: DeskOrder,
}

fn default_order() -> DeskOrder {
    DeskOrder::DeskOrder
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawAccount {
    name: S<String>,
    role: S<String>,
    #[serde(default)]
    site: Option<S<String>>,
    #[serde(default)]
    desk: Option<S<String>>,
}

// ---- validation --------------------------------------------------------------------------

struct Validator<'a> {
    file: &'a str,
    text: &'a str,
    errors: Vec<ConfigError>,
}

const WEEKDAYS: [(&str, Weekday); 7] = [
    ("mon", Weekday::Monday),
    ("tue", Weekday::Tuesday),
    ("wed", Weekday::Wednesday),
    ("thu", Weekday::Thursday),
    ("fri", Weekday::Friday),
    ("sat", Weekday::Saturday),
    ("sun", Weekday::Sunday),
];

impl Validator<'_> {
    fn error(&mut self, span: Range<usize>, message: Msg) {
        let span = (span != (0..0)).then_some(span);
        self.errors
            .push(ConfigError::at(self.file, self.text, span, message));
    }

    /// An identifier: lower-case letters, digits and `-`, used in URLs.
    fn id(&mut self, id: &S<String>, what: What) -> String {
        let ok = !id.get_ref().is_empty()
            && id.get_ref().len() <= 40
            && id
                .get_ref()
                .chars()
                .all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == '-');
        if !ok {
            let raw_span = id.span();
            let id = id.get_ref();
            let (en, el) = (what.en, what.el);
            self.error(
                raw_span,
                msg(
                    format!("{en} id `{id}` must be 1–40 characters of a–z, 0–9 and -"),
                    format!("ο κωδικός `{id}` ({el}) θέλει 1–40 χαρακτήρες από a–z, 0–9 και -"),
                ),
            );
        }
        id.get_ref().clone()
    }

    fn unique(&mut self, id: &S<String>, seen: &mut HashSet<String>, what: What) {
        if !seen.insert(id.get_ref().clone()) {
            let (value, en, el) = (id.get_ref(), what.en, what.el);
            self.error(
                id.span(),
                msg(
                    format!("{en} `{value}` is defined twice"),
                    format!("{el} `{value}`: ορίζεται δύο φορές"),
                ),
            );
        }
    }

    /// The names of a thing (`what`, `id`): Greek and English are required.
    fn names(&mut self, names: &S<Names>, what: What, id: &str) -> Names {
        self.names_in(names, what, id, &REQUIRED_LANGUAGES)
    }

    /// Names of which only `required` must be there (a news line: Greek, the rest as given).
    fn names_in(&mut self, names: &S<Names>, what: What, id: &str, required: &[&str]) -> Names {
        for &lang in required {
            if names
                .get_ref()
                .get(lang)
                .is_none_or(|n| n.trim().is_empty())
            {
                let (en, el) = (what.en, what.el);
                let lang_el = if lang == "el" {
                    "ελληνικά"
                } else {
                    "αγγλικά"
                };
                self.error(
                    names.span(),
                    msg(
                        format!("{en} `{id}` has no name in `{lang}`"),
                        format!("{el} `{id}`: λείπει το όνομα στα {lang_el}"),
                    ),
                );
            }
        }
        names.get_ref().clone()
    }

    fn hours(&mut self, raw: &S<BTreeMap<String, Vec<S<String>>>>) -> WeeklyHours {
        let mut hours = WeeklyHours::default();
        for (day, spans) in raw.get_ref() {
            let Some(&(_, weekday)) = WEEKDAYS.iter().find(|(name, _)| name == day) else {
                self.error(
                    raw.span(),
                    msg(
                        format!("`{day}` is not a weekday: use mon, tue, wed, thu, fri, sat, sun"),
                        format!("το `{day}` δεν είναι ημέρα: mon, tue, wed, thu, fri, sat, sun"),
                    ),
                );
                continue;
            };
            let mut parsed = Vec::new();
            for span in spans {
                match Span::parse(span.get_ref()) {
                    Ok(s) => parsed.push(s),
                    Err(e) => self.error(span.span(), msg(e.to_string(), e.greek())),
                }
            }
            if let Err(e) = hours.set(weekday, parsed) {
                self.error(
                    raw.span(),
                    msg(format!("{day}: {e}"), format!("{day}: {}", e.greek())),
                );
            }
        }
        hours
    }

    fn config(&mut self, raw: RawConfig) -> Config {
        let mut seen = HashSet::new();
        let priorities = raw
            .priorities
            .iter()
            .map(|p| {
                self.unique(&p.id, &mut seen, PRIORITY);
                PriorityCategory {
                    id: self.id(&p.id, PRIORITY),
                    names: self.names(&p.names, PRIORITY, p.id.get_ref()),
                }
            })
            .collect();
        if raw.sites.get_ref().is_empty() {
            self.error(
                raw.sites.span(),
                msg(
                    "there must be at least one site",
                    "χρειάζεται τουλάχιστον μία δομή",
                ),
            );
        }
        let mut site_ids = HashSet::new();
        let mut desk_ids = HashSet::new();
        let sites: Vec<Site> = raw
            .sites
            .get_ref()
            .iter()
            .map(|s| {
                self.unique(&s.id, &mut site_ids, SITE);
                self.site(s, &mut desk_ids)
            })
            .collect();
        let devices = raw
            .devices
            .iter()
            .map(|a| self.account(a, &sites, DEVICE))
            .collect();
        let users = raw
            .users
            .iter()
            .map(|a| self.account(a, &sites, USER))
            .collect();
        Config {
            priorities,
            sites,
            devices,
            users,
            open_around_the_clock: false,
        }
    }

    fn site(&mut self, raw: &RawSite, desk_ids: &mut HashSet<String>) -> Site {
        let id = self.id(&raw.id, SITE);
        let names = self.names(&raw.names, SITE, &id);
        let time_zone = match TimeZone::get(raw.time_zone.get_ref()) {
            Ok(tz) => tz,
            Err(_) => {
                self.error(
                    raw.time_zone.span(),
                    msg(
                        format!("`{}` is not a known time zone", raw.time_zone.get_ref()),
                        format!("η ζώνη ώρας `{}` δεν είναι γνωστή", raw.time_zone.get_ref()),
                    ),
                );
                TimeZone::UTC
            }
        };
        let hours = self.hours(&raw.hours);
        let mut closed_days: Vec<jiff::civil::Date> = raw
            .closed_days
            .iter()
            .filter_map(|day| match day.get_ref().parse::<jiff::civil::Date>() {
                Ok(date) => Some(date),
                Err(_) => {
                    self.error(
                        day.span(),
                        msg(
                            format!("closed day `{}` is not a date as YYYY-MM-DD", day.get_ref()),
                            format!(
                                "η ημέρα `{}` δεν είναι ημερομηνία ΕΕΕΕ-ΜΜ-ΗΗ",
                                day.get_ref()
                            ),
                        ),
                    );
                    None
                }
            })
            .collect();
        closed_days.sort();
        closed_days.dedup();
        let [priority, ordinary] = *raw.calling.priority_ratio.get_ref();
        if priority == 0 || ordinary == 0 || priority > 20 || ordinary > 20 {
            self.error(
                raw.calling.priority_ratio.span(),
                msg(
                    "priority_ratio is [priority, ordinary], each from 1 to 20",
                    "οι αριθμοί προτεραιότητας και οι απλοί στη σειρά είναι από 1 έως 20",
                ),
            );
        }
        let undo_window = *raw.calling.undo_window_min.get_ref();
        if !(1..=240).contains(&undo_window) {
            self.error(
                raw.calling.undo_window_min.span(),
                msg(
                    "undo_window_min is from 1 to 240 minutes",
                    "η αναίρεση «δεν προσήλθε» είναι για 1 έως 240 λεπτά",
                ),
            );
        }
        let mut service_ids = HashSet::new();
        let mut prefixes = HashSet::new();
        if raw.services.get_ref().is_empty() {
            self.error(
                raw.services.span(),
                msg(
                    format!("site `{id}` must have at least one service"),
                    format!("η δομή `{id}` χρειάζεται τουλάχιστον μία υπηρεσία"),
                ),
            );
        }
        let services: Vec<Service> = raw
            .services
            .get_ref()
            .iter()
            .map(|s| {
                self.unique(&s.id, &mut service_ids, SERVICE);
                self.unique(&s.prefix, &mut prefixes, PREFIX);
                self.service(s)
            })
            .collect();
        let desks = raw
            .desks
            .iter()
            .map(|d| {
                self.unique(&d.id, desk_ids, DESK);
                self.desk(d, &services)
            })
            .collect();
        let news = raw
            .news
            .iter()
            .map(|n| self.names_in(n, NEWS, &id, &["el"]))
            .collect();
        let ticket_footer = match &raw.ticket_footer {
            Some(footer) => self.names(footer, FOOTER, &id),
            None => default_footer(),
        };
        Site {
            id,
            names,
            address: raw.address.clone(),
            time_zone,
            hours,
            closed_days,
            ratio: Ratio { priority, ordinary },
            aging: raw.calling.aging,
            undo_window: SignedDuration::from_mins(undo_window as i64),
            news,
            ticket_footer,
            services,
            desks,
        }
    }

    fn service(&mut self, raw: &RawService) -> Service {
        let id = self.id(&raw.id, SERVICE);
        let prefix = raw.prefix.get_ref().clone();
        if prefix.len() != 1 || !prefix.chars().all(|c| c.is_ascii_uppercase()) {
            self.error(
                raw.prefix.span(),
                msg(
                    format!(
                        "prefix `{prefix}` must be one capital letter A–Z (it prints and reads on every printer and screen)"
                    ),
                    format!(
                        "το γράμμα `{prefix}` πρέπει να είναι ένα κεφαλαίο λατινικό A–Z (τυπώνεται και διαβάζεται παντού)"
                    ),
                ),
            );
        }
        let target = *raw.target_wait_min.get_ref();
        if !(1..=480).contains(&target) {
            self.error(
                raw.target_wait_min.span(),
                msg(
                    "target_wait_min must be from 1 to 480 minutes",
                    "ο στόχος αναμονής είναι από 1 έως 480 λεπτά",
                ),
            );
        }
        let typical = *raw.typical_service_min.get_ref();
        if !(1..=240).contains(&typical) {
            self.error(
                raw.typical_service_min.span(),
                msg(
                    "typical_service_min must be from 1 to 240 minutes",
                    "η συνήθης διάρκεια είναι από 1 έως 240 λεπτά",
                ),
            );
        }
        Service {
            names: self.names(&raw.names, SERVICE, &id),
            id,
            prefix,
            icon: raw.icon.clone(),
            target_wait: SignedDuration::from_mins(target as i64),
            typical_service: SignedDuration::from_mins(typical as i64),
            hours: raw.hours.as_ref().map(|h| self.hours(h)),
        }
    }

    fn desk(&mut self, raw: &RawDesk, services: &[Service]) -> Desk {
        let id = self.id(&raw.id, DESK);
        if raw.services.get_ref().is_empty() {
            self.error(
                raw.services.span(),
                msg(
                    format!("desk `{id}` serves no service"),
                    format!("το γραφείο `{id}` δεν εξυπηρετεί καμία υπηρεσία"),
                ),
            );
        }
        let mut seen = HashSet::new();
        for service in raw.services.get_ref() {
            if !services.iter().any(|s| s.id == *service.get_ref()) {
                self.error(
                    service.span(),
                    msg(
                        format!(
                            "desk `{id}` serves `{}`, which is not a service of its site",
                            service.get_ref()
                        ),
                        format!(
                            "το γραφείο `{id}` εξυπηρετεί `{}`, που δεν είναι υπηρεσία της δομής",
                            service.get_ref()
                        ),
                    ),
                );
            }
            self.unique(service, &mut seen, DESK_SERVICE);
        }
        Desk {
            names: self.names(&raw.names, DESK, &id),
            id,
            services: raw
                .services
                .get_ref()
                .iter()
                .map(|s| s.get_ref().clone())
                .collect(),
            order: raw.order,
        }
    }

    fn account(&mut self, raw: &RawAccount, sites: &[Site], what: What) -> Account {
        let name = self.id(&raw.name, what);
        let role = match Role::parse(raw.role.get_ref()) {
            Some(role) => role,
            None => {
                self.error(
                    raw.role.span(),
                    msg(
                        format!(
                            "`{}` is not a role: use kiosk, display, staff, manager or admin",
                            raw.role.get_ref()
                        ),
                        format!(
                            "το `{}` δεν είναι ρόλος: kiosk, display, staff, manager ή admin",
                            raw.role.get_ref()
                        ),
                    ),
                );
                Role::Display
            }
        };
        let site = raw.site.as_ref().map(|s| {
            if !sites.iter().any(|site| site.id == *s.get_ref()) {
                self.error(
                    s.span(),
                    msg(
                        format!("there is no site `{}`", s.get_ref()),
                        format!("δεν υπάρχει δομή `{}`", s.get_ref()),
                    ),
                );
            }
            s.get_ref().clone()
        });
        let desk = raw.desk.as_ref().map(|d| {
            let found = sites
                .iter()
                .find(|site| site.desks.iter().any(|x| x.id == *d.get_ref()));
            match (found, &site) {
                (None, _) => self.error(
                    d.span(),
                    msg(
                        format!("there is no desk `{}`", d.get_ref()),
                        format!("δεν υπάρχει γραφείο `{}`", d.get_ref()),
                    ),
                ),
                (Some(s), Some(site)) if s.id != *site => self.error(
                    d.span(),
                    msg(
                        format!("desk `{}` is not at site `{site}`", d.get_ref()),
                        format!("το γραφείο `{}` δεν είναι στη δομή `{site}`", d.get_ref()),
                    ),
                ),
                _ => {}
            }
            d.get_ref().clone()
        });
        if role != Role::Admin && site.is_none() {
            let (en, el) = (what.en, what.el);
            self.error(
                raw.name.span(),
                msg(
                    format!("{en} `{name}` needs a site"),
                    format!("{el} `{name}`: χρειάζεται δομή"),
                ),
            );
        }
        if desk.is_some() && role != Role::Staff {
            self.error(
                raw.name.span(),
                msg(
                    "only staff accounts have a desk",
                    "μόνο οι λογαριασμοί προσωπικού έχουν γραφείο",
                ),
            );
        }
        Account {
            name,
            role,
            site,
            desk,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_embedded_default_models_chania_and_souda() {
        let config = Config::embedded();
        let ids: Vec<_> = config.sites.iter().map(|s| s.id.as_str()).collect();
        assert_eq!(ids, ["chania", "souda"]);
        let chania = config.site("chania").unwrap();
        assert!(chania.address.contains("Κυδωνίας 29"));
        assert!(!chania.desks.is_empty());
        for site in &config.sites {
            for service in &site.services {
                for lang in ["el", "en", "ar", "fa", "uk", "sq"] {
                    assert!(
                        service.names.contains_key(lang),
                        "{} lacks {lang}",
                        service.id
                    );
                }
            }
        }
    }

    #[test]
    fn a_configuration_written_out_reads_back_the_same() {
        for text in [DEFAULT_TOML, include_str!("../../examples/chios.toml")] {
            let config = Config::parse(text, "original").unwrap();
            let again = Config::parse(&config.to_toml(), "written").unwrap();
            assert_eq!(again.to_toml(), config.to_toml());
            for (a, b) in config.sites.iter().zip(&again.sites) {
                assert_eq!(config.site_settings(a), again.site_settings(b));
                assert_eq!(a.hours, b.hours);
            }
        }
    }

    #[test]
    fn site_settings_are_changed_only_when_valid() {
        let config = Config::embedded();
        let mut settings = config.site_settings(config.site("chania").unwrap());
        settings.services[0].target_wait_min = 25;
        settings.desks[0].services.reverse();
        let changed = config.with_site(settings.clone()).unwrap();
        let chania = changed.site("chania").unwrap();
        assert_eq!(
            chania.services[0].target_wait,
            SignedDuration::from_mins(25)
        );
        assert_eq!(chania.desks[0].services, ["referrals", "benefits"]);
        settings.desks[0].services.push("astrology".into());
        let errors = config.with_site(settings).unwrap_err();
        assert!(
            errors.to_string().contains("serves `astrology`"),
            "{errors}"
        );
    }

    #[test]
    fn the_chios_example_is_valid() {
        let text = include_str!("../../examples/chios.toml");
        let config = Config::parse(text, "chios.toml").unwrap();
        assert_eq!(config.sites[0].id, "chios");
    }

    const MINIMAL: &str = r#"
[[sites]]
id = "x"
names = { el = "Χ", en = "X" }
hours = { mon = ["08:00-14:00"] }

[[sites.services]]
id = "benefits"
prefix = "A"
names = { el = "Επιδόματα", en = "Benefits" }
target_wait_min = 20

[[sites.desks]]
id = "d1"
names = { el = "Γραφείο 1", en = "Office 1" }
services = ["benefits"]
"#;

    #[test]
    fn a_minimal_file_is_valid() {
        Config::parse(MINIMAL, "min.toml").unwrap();
    }

    #[test]
    fn errors_name_the_file_line_and_cause() {
        let table = [
            (
                MINIMAL.replace(r#"services = ["benefits"]"#, r#"services = ["nope"]"#),
                16,
                "desk `d1` serves `nope`, which is not a service of its site",
            ),
            (
                MINIMAL.replace(r#"prefix = "A""#, r#"prefix = "AB""#),
                9,
                "prefix `AB` must be one capital letter",
            ),
            (
                MINIMAL.replace("08:00-14:00", "14:00-08:00"),
                5,
                "closes before it opens",
            ),
            (
                MINIMAL.replace("target_wait_min = 20", "target_wait_min = 0"),
                11,
                "target_wait_min must be from 1 to 480",
            ),
            (
                MINIMAL.replace(
                    r#"names = { el = "Χ", en = "X" }"#,
                    r#"names = { en = "X" }"#,
                ),
                4,
                "has no name in `el`",
            ),
            (
                MINIMAL.replace("target_wait_min = 20", "target_wait_min = \"x\""),
                11,
                "invalid type",
            ),
            (
                MINIMAL.replace("id = \"d1\"", "id = \"D 1\""),
                14,
                "must be 1–40 characters",
            ),
            (
                format!("{MINIMAL}\ncolour = 1\n"),
                18,
                "unknown field `colour`",
            ),
        ];
        for (text, line, message) in table {
            let errors = Config::parse(&text, "centre.toml").unwrap_err();
            let e = &errors.errors[0];
            assert_eq!(e.file, "centre.toml");
            assert!(e.message.contains(message), "{e} should say {message}");
            assert_eq!(e.line, line, "{e}");
        }
    }

    #[test]
    fn accounts_refer_to_real_sites_and_desks() {
        let text = format!(
            "{MINIMAL}\n[[users]]\nname = \"maria\"\nrole = \"staff\"\nsite = \"x\"\ndesk = \"d9\"\n"
        );
        let errors = Config::parse(&text, "c.toml").unwrap_err();
        assert!(
            errors.to_string().contains("there is no desk `d9`"),
            "{errors}"
        );
    }
}
