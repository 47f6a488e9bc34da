//! What the kiosk shows and does, as a state machine with no IO and no clock: events come in
//! (a touch, an answer from the server, the printer's state, the passing of time) and
//! commands go out (issue, print, void, speak). The UI draws [`Kiosk`]; the worker carries out
//! the commands. Everything a citizen can meet is tested here, table by table.

use std::time::{Duration, Instant};

use seira_hardware::PrinterState;
use seira_protocol::{CheckIn, IssueTicket, IssuedTicket, ServiceStatus, SiteServices};

/// How a kiosk is set up.
#[derive(Debug, Clone)]
pub struct Settings {
    pub site: String,
    /// The language row, the default first.
    pub languages: Vec<String>,
    /// Offer the priority step (disability, pregnancy, 65+) after the service.
    pub ask_priority: bool,
    /// Show closed services greyed (true) or hide them (false).
    pub show_closed: bool,
    /// Back to the start this long after the ticket is shown or a problem is reported.
    pub home_after: Duration,
    /// How long one touch keeps retrying an unreachable server before giving up.
    pub give_up_after: Duration,
    /// Whether tickets need a working printer (false: a kiosk that only shows the number).
    pub printer_required: bool,
}

impl Default for Settings {
    fn default() -> Self {
        Settings {
            site: "chania".into(),
            languages: ["el", "en", "ar", "fa", "uk", "sq"]
                .map(String::from)
                .to_vec(),
            ask_priority: true,
            show_closed: true,
            home_after: Duration::from_secs(10),
            give_up_after: Duration::from_secs(30),
            printer_required: true,
        }
    }
}

/// What a touch can ask for.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Touch {
    Language(String),
    Service(String),
    /// On the priority step: a category, or none.
    Priority(Option<String>),
    Back,
    Finish,
    /// "I have an appointment": the code screen.
    Appointment,
    /// A character of the code (on the screen's keypad, or typed by a keyboard or a scanner).
    CodeKey(char),
    CodeErase,
    /// The code is typed: check in.
    CodeSubmit,
    Speak,
    LargeText,
    Contrast,
}

/// Why the server did not issue a ticket.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum IssueError {
    /// No answer: retried with the same request id, so never two tickets.
    Unreachable,
    /// An answer that says no (closed now, unknown service…), with its code.
    Refused(String),
}

#[derive(Debug, Clone, PartialEq)]
pub enum Event {
    Touch(Touch),
    Services(Result<SiteServices, String>),
    Issued {
        request_id: String,
        result: Result<IssuedTicket, IssueError>,
    },
    Printed {
        ticket_id: String,
        result: Result<PrinterState, String>,
    },
    /// The ticket went to the printer, which then did not answer: it may have printed.
    PrintUnconfirmed {
        ticket_id: String,
        error: String,
    },
    Printer(Result<PrinterState, String>),
    Tick,
}

/// What the kiosk asks the server for: a ticket, or a check-in by code (which answers with a
/// ticket too). Either is retried with its request id while the server is away.
#[derive(Debug, Clone, PartialEq)]
pub enum Request {
    Ticket(IssueTicket),
    CheckIn { code: String, body: CheckIn },
}

impl Request {
    pub fn request_id(&self) -> &str {
        match self {
            Request::Ticket(t) => &t.request_id,
            Request::CheckIn { body, .. } => &body.request_id,
        }
    }
}

/// The characters a booking code is made of (the server's alphabet: nothing that reads as
/// another character); the keypad shows them and a keyboard types only them.
pub const CODE_CHARS: &str = "ACDEFGHJKMNPQRTUVWXY34679";
pub const CODE_LEN: usize = 6;
/// How long the code screen waits for a key before going back to the start.
pub const CODE_IDLE: Duration = Duration::from_secs(60);

/// What the kiosk asks its worker to do.
#[derive(Debug, Clone, PartialEq)]
pub enum Command {
    Issue(Request),
    /// Print this ticket, in this language.
    Print {
        ticket: IssuedTicket,
        lang: String,
    },
    /// The ticket's paper never printed: its number must not be called.
    Void {
        ticket_id: String,
    },
    /// Say this aloud, in this language.
    Speak {
        text: String,
        lang: String,
    },
}

#[derive(Debug, Clone, PartialEq)]
pub enum Screen {
    /// Languages and services.
    Home,
    Priority {
        service: String,
    },
    /// Typing an appointment's code; `problem` is a message key (an unknown code), `until`
    /// when it gives up waiting for a key.
    Code {
        typed: String,
        problem: Option<&'static str>,
        until: Instant,
    },
    /// Waiting for the server; `since` is the touch, `sent` the last attempt.
    Issuing {
        request: Request,
        since: Instant,
        sent: Instant,
    },
    /// The ticket, shown while it prints and for a while after.
    Ticket {
        ticket: IssuedTicket,
        printed: bool,
        until: Option<Instant>,
    },
    /// Something went wrong with this touch; the message key says what.
    Failed {
        message: &'static str,
        until: Instant,
    },
}

/// Why the kiosk cannot give tickets now, as a message key.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Blocker {
    Offline,
    PrinterProblem,
    ClosedSite,
}

impl Blocker {
    pub fn message(self) -> &'static str {
        match self {
            Blocker::Offline => "offline",
            Blocker::PrinterProblem => "printer-problem",
            Blocker::ClosedSite => "closed-site",
        }
    }
}

/// The kiosk's whole state.
#[derive(Debug, Clone)]
pub struct Kiosk {
    pub settings: Settings,
    pub screen: Screen,
    pub lang: String,
    pub services: Option<SiteServices>,
    /// Whether the last request reached the server.
    pub online: bool,
    /// The printer's last known state (`Err`: it did not answer).
    pub printer: Option<Result<PrinterState, String>>,
    pub large_text: bool,
    pub high_contrast: bool,
    /// The ticket on screen went to the printer, which did not confirm it: the screen says
    /// what to do if no paper came out.
    pub print_unconfirmed: bool,
    /// Makes request ids unique per kiosk run; with the start time, across runs too.
    counter: u64,
    run_id: String,
}

/// How often an issue is retried while the server does not answer.
pub const RETRY_EVERY: Duration = Duration::from_secs(2);

impl Kiosk {
    pub fn new(settings: Settings, run_id: String) -> Kiosk {
        let lang = settings
            .languages
            .first()
            .cloned()
            .unwrap_or_else(|| "el".into());
        Kiosk {
            settings,
            screen: Screen::Home,
            lang,
            services: None,
            online: true,
            printer: None,
            large_text: false,
            high_contrast: false,
            print_unconfirmed: false,
            counter: 0,
            run_id,
        }
    }

    /// Why no ticket can be taken now, if so.
    pub fn blocker(&self) -> Option<Blocker> {
        if self.services.is_none() || !self.online {
            return Some(Blocker::Offline);
        }
        if self.settings.printer_required
            && !matches!(&self.printer, Some(Ok(state)) if state.can_print())
        {
            return Some(Blocker::PrinterProblem);
        }
        if self.services.as_ref().is_some_and(|s| !s.open_now) {
            return Some(Blocker::ClosedSite);
        }
        None
    }

    /// The services to show on the start screen.
    pub fn visible_services(&self) -> Vec<&ServiceStatus> {
        self.services
            .iter()
            .flat_map(|s| s.services.iter())
            .filter(|s| s.open_now || self.settings.show_closed)
            .collect()
    }

    fn service(&self, id: &str) -> Option<&ServiceStatus> {
        self.services.as_ref()?.services.iter().find(|s| s.id == id)
    }

    fn go_home(&mut self) {
        self.screen = Screen::Home;
        self.print_unconfirmed = false;
        if let Some(first) = self.settings.languages.first() {
            self.lang = first.clone();
        }
    }

    fn start_issue(
        &mut self,
        service: String,
        priority: Option<String>,
        now: Instant,
    ) -> Vec<Command> {
        self.counter += 1;
        let request = Request::Ticket(IssueTicket {
            service,
            priority,
            lang: Some(self.lang.clone()),
            request_id: format!("{}-{}", self.run_id, self.counter),
        });
        self.send(request, now)
    }

    fn send(&mut self, request: Request, now: Instant) -> Vec<Command> {
        self.screen = Screen::Issuing {
            request: request.clone(),
            since: now,
            sent: now,
        };
        vec![Command::Issue(request)]
    }

    /// Handles one event; returns what must be done.
    pub fn handle(&mut self, event: Event, now: Instant) -> Vec<Command> {
        match event {
            Event::Touch(touch) => self.touch(touch, now),
            Event::Services(Ok(services)) => {
                self.services = Some(services);
                self.online = true;
                Vec::new()
            }
            Event::Services(Err(_)) => {
                self.online = false;
                Vec::new()
            }
            Event::Issued { request_id, result } => self.issued(request_id, result, now),
            Event::Printed { ticket_id, result } => self.printed(ticket_id, result, now),
            Event::PrintUnconfirmed { ticket_id, error } => {
                self.print_unconfirmed(ticket_id, error, now)
            }
            Event::Printer(state) => {
                self.printer = Some(state);
                Vec::new()
            }
            Event::Tick => self.tick(now),
        }
    }

    /// Whether any service of the site takes appointments (the kiosk then offers check-in).
    pub fn takes_appointments(&self) -> bool {
        self.visible_services().iter().any(|s| s.takes_appointments)
    }

    fn code_screen(&mut self, typed: String, problem: Option<&'static str>, now: Instant) {
        self.screen = Screen::Code {
            typed,
            problem,
            until: now + CODE_IDLE,
        };
    }

    fn touch(&mut self, touch: Touch, now: Instant) -> Vec<Command> {
        match (touch, &self.screen) {
            (Touch::Appointment, Screen::Home) => {
                if self.takes_appointments() && self.blocker().is_none() {
                    self.code_screen(String::new(), None, now);
                }
                Vec::new()
            }
            (Touch::CodeKey(c), Screen::Code { typed, .. }) => {
                let c = c.to_ascii_uppercase();
                let mut typed = typed.clone();
                if CODE_CHARS.contains(c) && typed.len() < CODE_LEN {
                    typed.push(c);
                }
                self.code_screen(typed, None, now);
                Vec::new()
            }
            (Touch::CodeErase, Screen::Code { typed, .. }) => {
                let mut typed = typed.clone();
                typed.pop();
                self.code_screen(typed, None, now);
                Vec::new()
            }
            (Touch::CodeSubmit, Screen::Code { typed, .. }) => {
                if typed.len() != CODE_LEN {
                    return Vec::new();
                }
                if self.blocker().is_some() {
                    self.go_home();
                    return Vec::new();
                }
                let code = typed.clone();
                self.counter += 1;
                let request = Request::CheckIn {
                    code,
                    body: CheckIn {
                        request_id: format!("{}-{}", self.run_id, self.counter),
                        lang: Some(self.lang.clone()),
                    },
                };
                self.send(request, now)
            }
            (Touch::Back, Screen::Code { .. }) => {
                self.screen = Screen::Home;
                Vec::new()
            }
            (
                Touch::Language(lang),
                Screen::Home | Screen::Priority { .. } | Screen::Code { .. },
            ) => {
                if self.settings.languages.contains(&lang) {
                    self.lang = lang;
                }
                Vec::new()
            }
            (Touch::Service(id), Screen::Home) => {
                let open = self.service(&id).is_some_and(|s| s.open_now);
                if !open || self.blocker().is_some() {
                    return Vec::new();
                }
                let has_priorities = self
                    .services
                    .as_ref()
                    .is_some_and(|s| !s.priorities.is_empty());
                if self.settings.ask_priority && has_priorities {
                    self.screen = Screen::Priority { service: id };
                    Vec::new()
                } else {
                    self.start_issue(id, None, now)
                }
            }
            (Touch::Priority(priority), Screen::Priority { service }) => {
                let service = service.clone();
                if self.blocker().is_some() {
                    self.go_home();
                    return Vec::new();
                }
                self.start_issue(service, priority, now)
            }
            (Touch::Back, Screen::Priority { .. }) => {
                self.screen = Screen::Home;
                Vec::new()
            }
            (Touch::Finish, Screen::Ticket { printed: true, .. } | Screen::Failed { .. }) => {
                self.go_home();
                Vec::new()
            }
            (Touch::Speak, _) => vec![Command::Speak {
                text: self.spoken_text(),
                lang: self.lang.clone(),
            }],
            (Touch::LargeText, _) => {
                self.large_text = !self.large_text;
                Vec::new()
            }
            (Touch::Contrast, _) => {
                self.high_contrast = !self.high_contrast;
                Vec::new()
            }
            // Any other touch (a second touch while a ticket is on its way…) does nothing.
            _ => Vec::new(),
        }
    }

    fn issued(
        &mut self,
        request_id: String,
        result: Result<IssuedTicket, IssueError>,
        now: Instant,
    ) -> Vec<Command> {
        let Screen::Issuing { request, .. } = &self.screen else {
            return Vec::new();
        };
        if request.request_id() != request_id {
            return Vec::new();
        }
        let checking_in = match request {
            Request::CheckIn { code, .. } => Some(code.clone()),
            Request::Ticket(_) => None,
        };
        match result {
            Ok(ticket) => {
                self.online = true;
                let service = self
                    .service(&ticket.service)
                    .map(|s| crate::texts::name_in(&s.names, &self.lang))
                    .unwrap_or_default();
                let speak = Command::Speak {
                    text: crate::texts::messages(&self.lang).get_with(
                        "spoken-ticket",
                        &[("number", &ticket.number), ("service", &service)],
                    ),
                    lang: self.lang.clone(),
                };
                let print = Command::Print {
                    ticket: ticket.clone(),
                    lang: self.lang.clone(),
                };
                if self.settings.printer_required {
                    self.screen = Screen::Ticket {
                        ticket,
                        printed: false,
                        until: None,
                    };
                    vec![print, speak]
                } else {
                    self.show_printed(ticket, now);
                    vec![speak]
                }
            }
            // The server is away: the tick retries the same request.
            Err(IssueError::Unreachable) => {
                self.online = false;
                Vec::new()
            }
            Err(IssueError::Refused(code)) => {
                let message = match (checking_in, code.as_str()) {
                    (None, _) => "closed-site",
                    // A mistyped code: back to the keypad with it, to correct.
                    (Some(typed), "unknown_code") => {
                        self.code_screen(typed, Some("code-unknown"), now);
                        return Vec::new();
                    }
                    (Some(_), "too_early") => "code-too-early",
                    (Some(_), "too_late") => "code-too-late",
                    (Some(_), "too_many_guesses") => "code-wait",
                    (Some(_), "invalid_transition") => "code-used",
                    (Some(_), "closed") => "closed-site",
                    // Anything else the server refuses: reception sorts it out.
                    (Some(_), _) => "code-problem",
                };
                self.screen = Screen::Failed {
                    message,
                    until: now + self.settings.home_after,
                };
                Vec::new()
            }
        }
    }

    /// The ticket on screen while it prints, if it is `ticket_id` (a late answer about an
    /// earlier ticket changes nothing).
    fn printing(&self, ticket_id: &str) -> Option<IssuedTicket> {
        match &self.screen {
            Screen::Ticket {
                ticket,
                printed: false,
                ..
            } if ticket.id == ticket_id => Some(ticket.clone()),
            _ => None,
        }
    }

    /// The ticket stays on screen as printed, for a while.
    fn show_printed(&mut self, ticket: IssuedTicket, now: Instant) {
        self.screen = Screen::Ticket {
            ticket,
            printed: true,
            until: Some(now + self.settings.home_after),
        };
    }

    fn printed(
        &mut self,
        ticket_id: String,
        result: Result<PrinterState, String>,
        now: Instant,
    ) -> Vec<Command> {
        let Some(ticket) = self.printing(&ticket_id) else {
            return Vec::new();
        };
        match result {
            Ok(state) => {
                self.printer = Some(Ok(state));
                self.show_printed(ticket, now);
                Vec::new()
            }
            Err(error) => {
                self.printer = Some(Err(error));
                self.screen = Screen::Failed {
                    message: "print-failed",
                    until: now + self.settings.home_after,
                };
                vec![Command::Void { ticket_id }]
            }
        }
    }

    /// The paper may be in the citizen's hand: the number stands (it is not voided), and the
    /// screen keeps it, with what to do if nothing came out.
    fn print_unconfirmed(
        &mut self,
        ticket_id: String,
        error: String,
        now: Instant,
    ) -> Vec<Command> {
        let Some(ticket) = self.printing(&ticket_id) else {
            return Vec::new();
        };
        self.printer = Some(Err(error));
        self.print_unconfirmed = true;
        self.show_printed(ticket, now);
        Vec::new()
    }

    fn tick(&mut self, now: Instant) -> Vec<Command> {
        match &self.screen {
            Screen::Ticket {
                until: Some(until), ..
            }
            | Screen::Failed { until, .. }
            | Screen::Code { until, .. }
                if now >= *until =>
            {
                self.go_home();
                Vec::new()
            }
            Screen::Issuing {
                request,
                since,
                sent,
            } => {
                if now.duration_since(*since) >= self.settings.give_up_after {
                    self.screen = Screen::Failed {
                        message: "offline",
                        until: now + self.settings.home_after,
                    };
                    Vec::new()
                } else if now.duration_since(*sent) >= RETRY_EVERY {
                    let request = request.clone();
                    let since = *since;
                    self.screen = Screen::Issuing {
                        request: request.clone(),
                        since,
                        sent: now,
                    };
                    vec![Command::Issue(request)]
                } else {
                    Vec::new()
                }
            }
            _ => Vec::new(),
        }
    }

    /// What the speaker button reads: the current screen's words and choices.
    pub fn spoken_text(&self) -> String {
        let m = crate::texts::messages(&self.lang);
        match &self.screen {
            Screen::Home => {
                let names: Vec<String> = self
                    .visible_services()
                    .iter()
                    .filter(|s| s.open_now)
                    .map(|s| crate::texts::name_in(&s.names, &self.lang))
                    .collect();
                m.get_with("spoken-home", &[("services", &names.join(", "))])
            }
            Screen::Priority { .. } => {
                let names: Vec<String> = self
                    .services
                    .iter()
                    .flat_map(|s| s.priorities.iter())
                    .map(|p| crate::texts::name_in(&p.names, &self.lang))
                    .collect();
                format!(
                    "{} {}. {}.",
                    m.get("priority-question"),
                    names.join(", "),
                    m.get("no-priority")
                )
            }
            Screen::Code { problem, .. } => match problem {
                Some(problem) => m.get(problem),
                None => format!("{} {}", m.get("type-code"), m.get("code-hint")),
            },
            Screen::Issuing { .. } => m.get("issuing"),
            Screen::Ticket { ticket, .. } => {
                let service = self
                    .service(&ticket.service)
                    .map(|s| crate::texts::name_in(&s.names, &self.lang))
                    .unwrap_or_default();
                m.get_with(
                    "spoken-ticket",
                    &[("number", &ticket.number), ("service", &service)],
                )
            }
            Screen::Failed { message, .. } => m.get(message),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use seira_protocol::PriorityCategory;

    fn names(el: &str, en: &str) -> seira_protocol::Names {
        [("el", el), ("en", en)]
            .into_iter()
            .map(|(k, v)| (k.to_owned(), v.to_owned()))
            .collect()
    }

    fn services(open: bool) -> SiteServices {
        SiteServices {
            site: "chania".into(),
            site_names: names("Κέντρο", "Centre"),
            open_now: open,
            services: vec![
                ServiceStatus {
                    id: "benefits".into(),
                    prefix: "A".into(),
                    names: names("Επιδόματα", "Benefits"),
                    icon: "benefits".into(),
                    target_wait_min: 20,
                    open_now: open,
                    waiting: 2,
                    estimated_wait_s: 600,
                    takes_appointments: false,
                    phone_join: false,
                },
                ServiceStatus {
                    id: "children".into(),
                    prefix: "D".into(),
                    names: names("Παιδιά", "Children"),
                    icon: "children".into(),
                    target_wait_min: 30,
                    open_now: false,
                    waiting: 0,
                    estimated_wait_s: 0,
                    takes_appointments: true,
                    phone_join: false,
                },
            ],
            priorities: vec![PriorityCategory {
                id: "elderly".into(),
                names: names("65+", "65+"),
            }],
            ticket_footer: names("Δωρεάν", "Free"),
        }
    }

    fn ticket(id: &str) -> IssuedTicket {
        IssuedTicket {
            id: id.into(),
            number: "A003".into(),
            service: "benefits".into(),
            issued_at: "2026-11-23T08:00:00Z".parse().unwrap(),
            position: 2,
            estimated_wait_s: 600,
            track_url: format!("/t/{id}"),
            short_url: String::new(),
            appointment_at: None,
        }
    }

    /// A kiosk ready to issue: services loaded, printer ready.
    fn ready(settings: Settings) -> (Kiosk, Instant) {
        let now = Instant::now();
        let mut k = Kiosk::new(settings, "k1".into());
        k.handle(Event::Services(Ok(services(true))), now);
        k.handle(Event::Printer(Ok(PrinterState::Ready)), now);
        (k, now)
    }

    fn issue_request(commands: &[Command]) -> IssueTicket {
        match commands {
            [Command::Issue(Request::Ticket(r))] => r.clone(),
            other => panic!("expected one Issue, got {other:?}"),
        }
    }

    fn checked_in(id: &str) -> IssuedTicket {
        IssuedTicket {
            number: "D004".into(),
            service: "children".into(),
            appointment_at: Some("2026-11-23T08:30:00Z".parse().unwrap()),
            ..ticket(id)
        }
    }

    /// Check-in by code: the keypad (or a scanner typing) fills six characters of the code's
    /// alphabet, a mistyped code comes back to be corrected, and a good one prints a ticket.
    #[test]
    fn an_appointment_is_checked_in_by_its_code() {
        let (mut k, now) = ready(Settings::default());
        assert!(k.takes_appointments());
        k.handle(Event::Touch(Touch::Language("ar".into())), now);
        k.handle(Event::Touch(Touch::Appointment), now);
        assert!(matches!(k.screen, Screen::Code { .. }));
        // Lower case is read as upper; characters no code has (O, 0, 1, -) are ignored.
        for c in "kx7O0-1pq4".chars() {
            k.handle(Event::Touch(Touch::CodeKey(c)), now);
        }
        let typed = |k: &Kiosk| match &k.screen {
            Screen::Code { typed, .. } => typed.clone(),
            other => panic!("{other:?}"),
        };
        assert_eq!(typed(&k), "KX7PQ4");
        k.handle(Event::Touch(Touch::CodeKey('A')), now);
        assert_eq!(typed(&k), "KX7PQ4", "six at most");
        k.handle(Event::Touch(Touch::CodeErase), now);
        assert!(
            k.handle(Event::Touch(Touch::CodeSubmit), now).is_empty(),
            "five are not a code"
        );
        k.handle(Event::Touch(Touch::CodeKey('3')), now);
        let out = k.handle(Event::Touch(Touch::CodeSubmit), now);
        let (code, body) = match out.as_slice() {
            [Command::Issue(Request::CheckIn { code, body })] => (code.clone(), body.clone()),
            other => panic!("{other:?}"),
        };
        assert_eq!(
            (code.as_str(), body.lang.as_deref()),
            ("KX7PQ3", Some("ar"))
        );
        // The server does not know it: back to the keypad, the code still there to correct.
        k.handle(
            Event::Issued {
                request_id: body.request_id.clone(),
                result: Err(IssueError::Refused("unknown_code".into())),
            },
            now,
        );
        assert!(matches!(
            &k.screen,
            Screen::Code { typed, problem: Some("code-unknown"), .. } if typed == "KX7PQ3"
        ));
        k.handle(Event::Touch(Touch::CodeErase), now);
        k.handle(Event::Touch(Touch::CodeKey('4')), now);
        let out = k.handle(Event::Touch(Touch::CodeSubmit), now);
        let Command::Issue(request) = &out[0] else {
            panic!("{out:?}")
        };
        let out = k.handle(
            Event::Issued {
                request_id: request.request_id().to_owned(),
                result: Ok(checked_in("t7")),
            },
            now,
        );
        assert!(matches!(&out[0], Command::Print { lang, .. } if lang == "ar"));
        assert!(matches!(&k.screen, Screen::Ticket { ticket, .. } if ticket.number == "D004"));
    }

    #[test]
    fn refused_check_ins_say_where_to_go_and_an_idle_keypad_goes_home() {
        for (code, message) in [
            ("too_early", "code-too-early"),
            ("too_late", "code-too-late"),
            ("too_many_guesses", "code-wait"),
            ("invalid_transition", "code-used"),
            ("forbidden", "code-problem"),
        ] {
            let (mut k, now) = ready(Settings::default());
            k.handle(Event::Touch(Touch::Appointment), now);
            for c in "KX7PQ4".chars() {
                k.handle(Event::Touch(Touch::CodeKey(c)), now);
            }
            let out = k.handle(Event::Touch(Touch::CodeSubmit), now);
            let Command::Issue(request) = &out[0] else {
                panic!("{out:?}")
            };
            k.handle(
                Event::Issued {
                    request_id: request.request_id().to_owned(),
                    result: Err(IssueError::Refused(code.into())),
                },
                now,
            );
            assert!(
                matches!(k.screen, Screen::Failed { message: m, .. } if m == message),
                "{code}: {:?}",
                k.screen
            );
        }
        let (mut k, now) = ready(Settings::default());
        k.handle(Event::Touch(Touch::Appointment), now);
        k.handle(Event::Touch(Touch::CodeKey('K')), now + CODE_IDLE / 2);
        k.handle(Event::Tick, now + CODE_IDLE);
        assert!(
            matches!(k.screen, Screen::Code { .. }),
            "a key gave more time"
        );
        k.handle(Event::Tick, now + CODE_IDLE / 2 + CODE_IDLE);
        assert_eq!(k.screen, Screen::Home);
    }

    #[test]
    fn a_ticket_that_may_have_printed_is_kept_not_voided() {
        let (mut k, now) = ready(Settings::default());
        k.handle(Event::Touch(Touch::Service("benefits".into())), now);
        let request = issue_request(&k.handle(Event::Touch(Touch::Priority(None)), now));
        k.handle(
            Event::Issued {
                request_id: request.request_id,
                result: Ok(ticket("t9")),
            },
            now,
        );
        let out = k.handle(
            Event::PrintUnconfirmed {
                ticket_id: "t9".into(),
                error: "no answer".into(),
            },
            now,
        );
        assert!(out.is_empty(), "not voided: {out:?}");
        assert!(k.print_unconfirmed);
        assert!(matches!(k.screen, Screen::Ticket { printed: true, .. }));
        // The printer did not answer: no more tickets until it does.
        assert_eq!(k.blocker(), Some(Blocker::PrinterProblem));
        k.handle(Event::Tick, now + k.settings.home_after);
        assert!(!k.print_unconfirmed);
    }

    #[test]
    fn two_touches_give_a_ticket_that_prints_and_is_spoken() {
        let (mut k, now) = ready(Settings::default());
        assert!(
            k.handle(Event::Touch(Touch::Service("benefits".into())), now)
                .is_empty()
        );
        assert_eq!(
            k.screen,
            Screen::Priority {
                service: "benefits".into()
            }
        );
        let request = issue_request(&k.handle(Event::Touch(Touch::Priority(None)), now));
        assert_eq!(
            (
                request.service.as_str(),
                request.priority.clone(),
                request.lang.as_deref()
            ),
            ("benefits", None, Some("el"))
        );
        let out = k.handle(
            Event::Issued {
                request_id: request.request_id.clone(),
                result: Ok(ticket("t1")),
            },
            now,
        );
        assert!(matches!(&out[0], Command::Print { lang, .. } if lang == "el"));
        assert!(
            matches!(&out[1], Command::Speak { text, .. } if text == "Ο αριθμός σας είναι A003, για Επιδόματα.")
        );
        assert!(matches!(k.screen, Screen::Ticket { printed: false, .. }));
        k.handle(
            Event::Printed {
                ticket_id: "t1".into(),
                result: Ok(PrinterState::Ready),
            },
            now,
        );
        assert!(matches!(
            k.screen,
            Screen::Ticket {
                printed: true,
                until: Some(_),
                ..
            }
        ));
        // Back to the start after a while, in Greek again.
        k.handle(Event::Touch(Touch::Language("en".into())), now);
        let later = now + k.settings.home_after;
        k.handle(Event::Tick, later);
        assert_eq!((k.screen.clone(), k.lang.as_str()), (Screen::Home, "el"));
    }

    #[test]
    fn without_the_priority_step_one_touch_issues() {
        let (mut k, now) = ready(Settings {
            ask_priority: false,
            ..Settings::default()
        });
        k.handle(Event::Touch(Touch::Language("ar".into())), now);
        let request =
            issue_request(&k.handle(Event::Touch(Touch::Service("benefits".into())), now));
        assert_eq!(request.lang.as_deref(), Some("ar"));
    }

    #[test]
    fn one_touch_is_at_most_one_ticket_however_often_it_is_retried() {
        let (mut k, now) = ready(Settings {
            ask_priority: false,
            ..Settings::default()
        });
        let first = issue_request(&k.handle(Event::Touch(Touch::Service("benefits".into())), now));
        // More touches while waiting do nothing.
        assert!(
            k.handle(Event::Touch(Touch::Service("benefits".into())), now)
                .is_empty()
        );
        k.handle(
            Event::Issued {
                request_id: first.request_id.clone(),
                result: Err(IssueError::Unreachable),
            },
            now,
        );
        assert!(!k.online);
        assert!(
            k.handle(Event::Tick, now + Duration::from_millis(500))
                .is_empty()
        );
        let retry = issue_request(&k.handle(Event::Tick, now + RETRY_EVERY));
        assert_eq!(retry.request_id, first.request_id, "the same request id");
        // An answer to an old request is ignored once another touch is in flight.
        k.handle(
            Event::Issued {
                request_id: first.request_id.clone(),
                result: Ok(ticket("t1")),
            },
            now + RETRY_EVERY,
        );
        assert!(k.online);
        // Given up after a while: a clear message, then home.
        let (mut k, now) = ready(Settings {
            ask_priority: false,
            ..Settings::default()
        });
        let r = issue_request(&k.handle(Event::Touch(Touch::Service("benefits".into())), now));
        k.handle(
            Event::Issued {
                request_id: r.request_id,
                result: Err(IssueError::Unreachable),
            },
            now,
        );
        k.handle(Event::Tick, now + k.settings.give_up_after);
        assert!(matches!(
            k.screen,
            Screen::Failed {
                message: "offline",
                ..
            }
        ));
    }

    #[test]
    fn a_failed_print_voids_the_ticket() {
        let (mut k, now) = ready(Settings {
            ask_priority: false,
            ..Settings::default()
        });
        let r = issue_request(&k.handle(Event::Touch(Touch::Service("benefits".into())), now));
        k.handle(
            Event::Issued {
                request_id: r.request_id,
                result: Ok(ticket("t9")),
            },
            now,
        );
        let out = k.handle(
            Event::Printed {
                ticket_id: "t9".into(),
                result: Err("paper out".into()),
            },
            now,
        );
        assert_eq!(
            out,
            [Command::Void {
                ticket_id: "t9".into()
            }]
        );
        assert!(matches!(
            k.screen,
            Screen::Failed {
                message: "print-failed",
                ..
            }
        ));
        assert_eq!(k.blocker(), Some(Blocker::PrinterProblem));
    }

    #[test]
    fn what_blocks_tickets() {
        let now = Instant::now();
        let mut k = Kiosk::new(Settings::default(), "k".into());
        assert_eq!(k.blocker(), Some(Blocker::Offline), "no services yet");
        k.handle(Event::Services(Ok(services(true))), now);
        assert_eq!(
            k.blocker(),
            Some(Blocker::PrinterProblem),
            "printer unknown"
        );
        for (state, blocked) in [
            (Ok(PrinterState::Ready), false),
            (Ok(PrinterState::PaperNearEnd), false),
            (Ok(PrinterState::PaperOut), true),
            (Ok(PrinterState::CoverOpen), true),
            (Err("no answer".to_owned()), true),
        ] {
            k.handle(Event::Printer(state.clone()), now);
            assert_eq!(k.blocker().is_some(), blocked, "{state:?}");
        }
        // A blocked kiosk ignores service touches.
        k.handle(Event::Printer(Ok(PrinterState::PaperOut)), now);
        assert!(
            k.handle(Event::Touch(Touch::Service("benefits".into())), now)
                .is_empty()
        );
        assert_eq!(k.screen, Screen::Home);
        k.handle(Event::Printer(Ok(PrinterState::Ready)), now);
        k.handle(Event::Services(Ok(services(false))), now);
        assert_eq!(k.blocker(), Some(Blocker::ClosedSite));
        k.handle(Event::Services(Err("down".into())), now);
        assert_eq!(k.blocker(), Some(Blocker::Offline));
    }

    #[test]
    fn closed_services_are_greyed_or_hidden_and_never_issued() {
        let (mut k, now) = ready(Settings::default());
        assert_eq!(k.visible_services().len(), 2);
        assert!(
            k.handle(Event::Touch(Touch::Service("children".into())), now)
                .is_empty()
        );
        assert_eq!(k.screen, Screen::Home);
        let (k, _) = ready(Settings {
            show_closed: false,
            ..Settings::default()
        });
        assert_eq!(k.visible_services().len(), 1);
    }

    #[test]
    fn the_speaker_reads_the_screen_in_its_language() {
        let (mut k, now) = ready(Settings::default());
        let out = k.handle(Event::Touch(Touch::Speak), now);
        assert_eq!(
            out,
            [Command::Speak {
                text: "Αγγίξτε την υπηρεσία που χρειάζεστε: Επιδόματα.".into(),
                lang: "el".into()
            }]
        );
        k.handle(Event::Touch(Touch::Language("en".into())), now);
        k.handle(Event::Touch(Touch::Service("benefits".into())), now);
        let out = k.handle(Event::Touch(Touch::Speak), now);
        assert!(
            matches!(&out[0], Command::Speak { text, .. } if text.starts_with("Do you need priority? 65+"))
        );
    }

    #[test]
    fn large_text_and_contrast_toggle() {
        let (mut k, now) = ready(Settings::default());
        k.handle(Event::Touch(Touch::LargeText), now);
        k.handle(Event::Touch(Touch::Contrast), now);
        assert!(k.large_text && k.high_contrast);
        k.handle(Event::Touch(Touch::LargeText), now);
        assert!(!k.large_text);
    }
}
