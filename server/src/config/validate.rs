//! The raw form checked into a [`Config`]: every value in range, every reference known, every
//! error with its place and cause.

use std::collections::{BTreeMap, HashSet};
use std::ops::Range;

use jiff::{SignedDuration, civil::Weekday, tz::TimeZone};
use seira_protocol::{Names, Role};

use super::errors::*;
use super::file::default_footer;
use super::raw::*;
use super::{
    Account, Config, Desk, PhoneJoining, PriorityCategory, REQUIRED_LANGUAGES, Service, Site,
};
use crate::queue::calling::Ratio;
use crate::queue::hours::{Span, WeeklyHours};

pub(super) struct Validator<'a> {
    pub(super) file: &'a str,
    pub(super) text: &'a str,
    pub(super) errors: Vec<ConfigError>,
}

pub(super) const WEEKDAYS: [(&str, Weekday); 7] = [
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

    pub(super) fn config(&mut self, raw: RawConfig) -> Config {
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
            push_services_also: Vec::new(),
            internal_gateway_hosts: raw.internal_gateway_hosts.clone(),
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
        for (field, name_el) in [
            (&raw.calling.check_in_early_min, "νωρίτερα"),
            (&raw.calling.check_in_late_min, "αργότερα"),
        ] {
            if *field.get_ref() > 120 {
                self.error(
                    field.span(),
                    msg(
                        "check_in_early_min and check_in_late_min are from 0 to 120 minutes",
                        format!("η προσέλευση σε ραντεβού {name_el} από την ώρα του είναι 0 έως 120 λεπτά"),
                    ),
                );
            }
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
        if let Some(gateway) = &raw.reminders {
            let g = gateway.get_ref();
            let scheme_ok = g.url.starts_with("https://") || g.url.starts_with("http://");
            let method_ok = matches!(g.method.as_str(), "GET" | "POST");
            if !scheme_ok || !method_ok || !(1..=168).contains(&g.hours_before) {
                self.error(
                    gateway.span(),
                    msg(
                        "reminders: url is http:// or https://, method GET or POST, hours_before 1 to 168",
                        "υπενθυμίσεις: η διεύθυνση είναι http:// ή https://, η μέθοδος GET ή POST, οι ώρες πριν 1 έως 168",
                    ),
                );
            }
        }
        let public_url = raw.public_url.as_ref().and_then(|url| {
            let checked = checked_public_url(url.get_ref());
            if checked.is_none() {
                self.error(
                    url.span(),
                    msg(
                        "public_url is an address such as https://oura.chania.gr (http:// or https://, a host, an optional path; no query)",
                        "το public_url είναι διεύθυνση όπως https://oura.chania.gr (http:// ή https://, όνομα, προαιρετική διαδρομή· χωρίς ερώτημα)",
                    ),
                );
            }
            checked
        });
        let near_turn = match &raw.near_turn {
            Some(near) => {
                let n = near.get_ref();
                let gateway_ok = n.gateway.as_ref().is_none_or(|g| {
                    (g.url.starts_with("https://") || g.url.starts_with("http://"))
                        && matches!(g.method.as_str(), "GET" | "POST")
                });
                if !(1..=20).contains(&n.ahead) || n.minutes > 120 || !gateway_ok {
                    self.error(
                        near.span(),
                        msg(
                            "near_turn: ahead 1 to 20, minutes 0 to 120, and a gateway's url http:// or https://, method GET or POST",
                            "κοντά στη σειρά: μπροστά 1 έως 20, λεπτά 0 έως 120, και η πύλη μηνυμάτων με διεύθυνση http:// ή https://, μέθοδο GET ή POST",
                        ),
                    );
                }
                n.clone()
            }
            None => seira_protocol::admin::NearTurn::default(),
        };
        let joining = raw
            .phone_joining
            .as_ref()
            .map(|j| j.get_ref().clone())
            .unwrap_or_default();
        let proxies: Option<Vec<ipnet::IpNet>> = joining
            .trusted_proxies
            .iter()
            .map(|p| {
                p.parse::<ipnet::IpNet>()
                    .ok()
                    .or_else(|| p.parse::<std::net::IpAddr>().ok().map(Into::into))
            })
            .collect();
        if let Some(given) = &raw.phone_joining
            && (!(1..=500).contains(&joining.max_waiting)
                || !(1..=500).contains(&joining.per_quarter_hour)
                || proxies.is_none())
        {
            self.error(
                given.span(),
                msg(
                    "phone_joining: max_waiting and per_quarter_hour 1 to 500, trusted_proxies addresses or networks such as 10.0.0.5 or 10.0.0.0/24",
                    "λήψη από κινητό: max_waiting και per_quarter_hour 1 έως 500, trusted_proxies διευθύνσεις ή δίκτυα όπως 10.0.0.5 ή 10.0.0.0/24",
                ),
            );
        }
        let phone_joining = PhoneJoining {
            max_waiting: joining.max_waiting,
            per_quarter_hour: joining.per_quarter_hour,
            trusted_proxies: proxies.unwrap_or_default(),
            door_code: joining.door_code,
        };
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
            check_in_early: SignedDuration::from_mins(i64::from(
                *raw.calling.check_in_early_min.get_ref(),
            )),
            check_in_late: SignedDuration::from_mins(i64::from(
                *raw.calling.check_in_late_min.get_ref(),
            )),
            late_check_in: raw.calling.late_check_in,
            news,
            ticket_footer,
            reminders: raw.reminders.as_ref().map(|g| g.get_ref().clone()),
            public_url,
            near_turn,
            phone_joining,
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
        let appointment_slot = raw.appointment_slot_min.as_ref().map(|slot| {
            let minutes = *slot.get_ref();
            if !(5..=240).contains(&minutes) || !minutes.is_multiple_of(5) {
                self.error(
                    slot.span(),
                    msg(
                        "appointment_slot_min must be from 5 to 240 minutes, in fives",
                        "η διάρκεια ραντεβού είναι από 5 έως 240 λεπτά, ανά πέντε",
                    ),
                );
            }
            SignedDuration::from_mins(minutes as i64)
        });
        Service {
            appointment_slot,
            phone_join: raw.phone_join,
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
            appointment_hours: raw.appointment_hours.as_ref().map(|h| self.hours(h)),
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

/// A site's public address, without its trailing `/`: http or https, a host of letters,
/// digits, dots, dashes (and a port), an optional path; nothing a link could be bent with.
fn checked_public_url(url: &str) -> Option<String> {
    let url = url.trim().trim_end_matches('/');
    let rest = url
        .strip_prefix("https://")
        .or_else(|| url.strip_prefix("http://"))?;
    let (host, path) = rest.split_once('/').unwrap_or((rest, ""));
    let host_ok = !host.is_empty()
        && host
            .chars()
            .all(|c| c.is_ascii_alphanumeric() || matches!(c, '.' | '-' | ':' | '[' | ']'));
    let path_ok = path
        .chars()
        .all(|c| c.is_ascii_alphanumeric() || matches!(c, '/' | '-' | '_' | '.' | '~'));
    (host_ok && path_ok).then(|| url.to_owned())
}

#[cfg(test)]
mod public_url_tests {
    use super::checked_public_url;

    #[test]
    fn a_public_address_is_a_plain_http_or_https_address() {
        for (given, kept) in [
            ("https://oura.chania.gr", Some("https://oura.chania.gr")),
            ("https://oura.chania.gr/", Some("https://oura.chania.gr")),
            (
                "https://www.chania.gr/seira/",
                Some("https://www.chania.gr/seira"),
            ),
            ("http://10.0.0.2:8080", Some("http://10.0.0.2:8080")),
            ("oura.chania.gr", None),
            ("https://", None),
            ("https://a.gr/t?x=1", None),
            ("https://a.gr/#x", None),
            ("https://user@a.gr", None),
            ("javascript:alert(1)", None),
            ("https://a gr", None),
        ] {
            assert_eq!(checked_public_url(given).as_deref(), kept, "{given}");
        }
    }
}
