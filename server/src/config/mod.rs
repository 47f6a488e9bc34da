//! The configuration file: sites, services, desks, opening hours, the calling policy and the
//! device and user accounts. It is read once into [`Config`], a validated form in which every
//! reference (a desk's services, a user's desks) is known to exist.
//!
//! Parsing goes through a raw form whose fields keep their place in the file, so that every
//! error names the file, the line and what is wrong (`seira config check`).
//!
//! One file per part: this one the model and what it answers; [`raw`] the form as written,
//! with places; [`validate`] the raw form checked into the model; [`file`] the model written
//! back as TOML; [`errors`] what is wrong, in English and Greek.

mod errors;
mod file;
mod raw;
mod validate;

use jiff::{SignedDuration, tz::TimeZone};
use seira_protocol::admin::{Calling, DeskSettings, ServiceSettings, SiteSettings};
use seira_protocol::{DeskOrder, Names, Role};

use errors::msg;
pub use errors::{ConfigError, ConfigErrors};
use file::{FileAccount, FileConfig, FilePriority, hours_table};
use raw::RawConfig;
use validate::Validator;

use crate::queue::calling::{Policy, Ratio};
use crate::queue::hours::WeeklyHours;

/// The embedded default: the Community Centre of Chania and its Roma branch in Souda.
pub const DEFAULT_TOML: &str = include_str!("../../config/default.toml");
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
    /// Push service addresses taken besides the browsers' own (set by
    /// [`Config::allowing_push_to`]: tests, with a local push service).
    pub push_services_also: Vec<String>,
    /// Hosts on this machine or its link-local network that a site's message gateway may be
    /// at all the same (the file's `internal_gateway_hosts`; see [`crate::destination`]). A
    /// way of running, IT's: never stored with the settings, so no admin can widen it.
    pub internal_gateway_hosts: Vec<String>,
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
    /// An appointment's grace window: check-in opens this long before its start…
    pub check_in_early: SignedDuration,
    /// …and it keeps its place until this long after; not checked in by then, a no-show.
    pub check_in_late: SignedDuration,
    /// What a check-in after the window gets.
    pub late_check_in: seira_protocol::LateCheckIn,
    pub news: Vec<Names>,
    /// Printed at the foot of every ticket.
    pub ticket_footer: Names,
    /// Where appointment reminders go, if anywhere.
    pub reminders: Option<seira_protocol::admin::ReminderGateway>,
    /// The address phones reach the phone pages at, without a trailing `/`; `None`: the
    /// server's own (tickets then carry a path, which the kiosk puts after its server).
    pub public_url: Option<String>,
    /// When a waiting citizen's turn is near, and the gateway of the text message, if any.
    pub near_turn: seira_protocol::admin::NearTurn,
    /// How much phones may add to the queues.
    pub phone_joining: PhoneJoining,
    pub services: Vec<Service>,
    pub desks: Vec<Desk>,
}

/// What phones may add to a site's queues (see [`seira_protocol::admin::PhoneJoining`]).
#[derive(Debug, Clone)]
pub struct PhoneJoining {
    pub max_waiting: u32,
    pub per_quarter_hour: u32,
    pub trusted_proxies: Vec<ipnet::IpNet>,
    pub door_code: bool,
}

impl PhoneJoining {
    /// The address a phone's request comes from: the connection's own, or — only when that
    /// is one of the site's trusted proxies — the last address in `X-Forwarded-For` that is
    /// not itself a trusted proxy (each proxy appends the address it heard from; whatever
    /// the phone itself wrote stands further left and is not believed).
    pub fn client_address(
        &self,
        peer: std::net::IpAddr,
        forwarded_for: Option<&str>,
    ) -> std::net::IpAddr {
        let trusted = |a: &std::net::IpAddr| self.trusted_proxies.iter().any(|n| n.contains(a));
        if !trusted(&peer) {
            return peer;
        }
        let Some(forwarded_for) = forwarded_for else {
            return peer;
        };
        let mut client = peer;
        for hop in forwarded_for.rsplit(',') {
            match hop.trim().parse::<std::net::IpAddr>() {
                Ok(address) => {
                    client = address;
                    if !trusted(&address) {
                        break;
                    }
                }
                // A hop that is not an address: nothing further left can be believed.
                Err(_) => break,
            }
        }
        client
    }
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
    /// Takes appointments, booked in steps of this long; walk-ins only when `None`.
    pub appointment_slot: Option<SignedDuration>,
    /// Citizens may take its tickets on their phones (`/join/{site}`).
    pub phone_join: bool,
}

#[derive(Debug, Clone)]
pub struct Desk {
    pub id: String,
    pub names: Names,
    pub services: Vec<String>,
    pub order: DeskOrder,
    /// When appointments may be booked here; whenever the service is open when `None`.
    pub appointment_hours: Option<WeeklyHours>,
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

    /// Every desk as (site id, desk id): what the desks table must have a row for.
    pub fn desk_ids(&self) -> impl Iterator<Item = (&str, &str)> {
        self.sites
            .iter()
            .flat_map(|s| s.desks.iter().map(move |d| (s.id.as_str(), d.id.as_str())))
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
                check_in_early_min: site.check_in_early.as_mins() as u32,
                check_in_late_min: site.check_in_late.as_mins() as u32,
                late_check_in: site.late_check_in,
            },
            news: site.news.clone(),
            ticket_footer: Some(site.ticket_footer.clone()),
            reminders: site.reminders.clone(),
            public_url: site.public_url.clone(),
            near_turn: site.near_turn.clone(),
            phone_joining: seira_protocol::admin::PhoneJoining {
                max_waiting: site.phone_joining.max_waiting,
                per_quarter_hour: site.phone_joining.per_quarter_hour,
                trusted_proxies: site
                    .phone_joining
                    .trusted_proxies
                    .iter()
                    .map(|n| n.to_string())
                    .collect(),
                door_code: site.phone_joining.door_code,
            },
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
                    appointment_slot_min: s
                        .appointment_slot
                        .map(|slot| (slot.as_secs() / 60) as u32),
                    phone_join: s.phone_join,
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
                    appointment_hours: d.appointment_hours.as_ref().map(hours_table),
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
    /// The same, taking push subscriptions at addresses starting with `prefix` too.
    pub fn allowing_push_to(mut self, prefix: &str) -> Config {
        self.push_services_also.push(prefix.to_owned());
        self
    }

    /// The same, sending to a message gateway at `host` though it is inside (tests, with a
    /// local gateway).
    pub fn allowing_gateway_at(mut self, host: &str) -> Config {
        self.internal_gateway_hosts.push(host.to_owned());
        self
    }

    pub fn always_open(mut self) -> Config {
        self.open_around_the_clock = true;
        for site in &mut self.sites {
            site.hours = WeeklyHours::always();
            site.closed_days.clear();
            for service in &mut site.services {
                service.hours = None;
            }
            for desk in &mut site.desks {
                desk.appointment_hours = None;
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

    /// The grace window of its appointments.
    pub fn check_in_window(&self) -> crate::queue::check_in::Window {
        crate::queue::check_in::Window {
            early: self.check_in_early,
            late: self.check_in_late,
            late_check_in: self.late_check_in,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn forwarded_for_is_believed_from_the_sites_proxies_only() {
        let joining = PhoneJoining {
            max_waiting: 1,
            per_quarter_hour: 1,
            trusted_proxies: vec![
                "10.0.0.0/24".parse().unwrap(),
                "192.0.2.7/32".parse().unwrap(),
            ],
            door_code: false,
        };
        let at = |peer: &str, header: Option<&str>| {
            joining
                .client_address(peer.parse().unwrap(), header)
                .to_string()
        };
        // From a stranger, the header is the stranger's own word: not believed.
        assert_eq!(at("203.0.113.9", Some("198.51.100.1")), "203.0.113.9");
        // From the proxy: the address it heard from, not what the phone wrote before it.
        assert_eq!(
            at("10.0.0.5", Some("1.2.3.4, 198.51.100.1")),
            "198.51.100.1"
        );
        // Through two trusted proxies.
        assert_eq!(
            at("10.0.0.5", Some("198.51.100.1, 192.0.2.7")),
            "198.51.100.1"
        );
        // A proxy that names nobody, or garbage: the proxy itself.
        assert_eq!(at("10.0.0.5", None), "10.0.0.5");
        assert_eq!(at("10.0.0.5", Some("not-an-address")), "10.0.0.5");
    }

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
        for text in [DEFAULT_TOML, include_str!("../../../examples/chios.toml")] {
            let config = Config::parse(text, "original").unwrap();
            let again = Config::parse(&config.to_toml(), "written").unwrap();
            assert_eq!(again.to_toml(), config.to_toml());
            for (a, b) in config.sites.iter().zip(&again.sites) {
                assert_eq!(config.site_settings(a), again.site_settings(b));
                assert_eq!(a.hours, b.hours);
            }
        }
    }

    /// The specialists of both seed centres see people by appointment; reception does not.
    #[test]
    fn the_specialists_take_appointments_and_the_admin_form_keeps_them() {
        let config = Config::embedded();
        let bookable = |site: &str| -> Vec<(String, i64)> {
            config
                .site(site)
                .unwrap()
                .services
                .iter()
                .filter_map(|s| s.appointment_slot.map(|d| (s.id.clone(), d.as_mins())))
                .collect()
        };
        assert_eq!(
            bookable("chania"),
            [("psychosocial".to_owned(), 45), ("children".to_owned(), 45)]
        );
        assert_eq!(bookable("souda"), [("health".to_owned(), 20)]);
        let mut settings = config.site_settings(config.site("chania").unwrap());
        assert_eq!(settings.services[2].appointment_slot_min, Some(45));
        settings.services[0].appointment_slot_min = Some(15);
        let changed = config.with_site(settings.clone()).unwrap();
        let benefits = &changed.site("chania").unwrap().services[0];
        assert_eq!(
            benefits.appointment_slot,
            Some(SignedDuration::from_mins(15))
        );
        settings.services[0].appointment_slot_min = Some(7);
        let errors = config.with_site(settings).unwrap_err();
        assert!(errors.to_string().contains("in fives"), "{errors}");
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
        let text = include_str!("../../../examples/chios.toml");
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
