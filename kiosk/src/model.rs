//! What the kiosk shows and does, as a state machine with no IO and no clock: events come in
//! (a touch, an answer from the server, the printer's state, the passing of time) and
//! commands go out (issue, print, void, speak). The UI draws [`Kiosk`]; the worker carries out
//! the commands. Everything a citizen can meet is tested here, table by table.

use std::time::{Duration, Instant};

use seira_hardware::PrinterState;
use seira_protocol::{CheckIn, IssueTicket, IssuedTicket, ServiceStatus, SiteServices};

pub use crate::focus::Nav;
pub use crate::voice::Volume;

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
    /// A screen of choices (a language chosen, the priority step, the code) untouched this
    /// long asks whether the person needs more time.
    pub idle_after: Duration,
    /// How long that question waits for a touch or a key before going back to the start.
    pub more_time_for: Duration,
    /// How long one touch keeps retrying an unreachable server before giving up.
    pub give_up_after: Duration,
    /// A key pressed again this soon after the same key counts once (EN 301 549 §5.8, for a
    /// hand that trembles or a finger that bounces); zero counts every press.
    pub double_strike: Duration,
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
            idle_after: Duration::from_secs(30),
            more_time_for: Duration::from_secs(15),
            give_up_after: Duration::from_secs(30),
            double_strike: Duration::ZERO,
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
    /// "Yes, I need more time", on the question before the timeout.
    MoreTime,
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
    /// A key of the keypad (or keyboard) that moves the spoken focus.
    Key(Nav),
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
    /// Say this aloud, in this language, this loud.
    Speak {
        text: String,
        lang: String,
        volume: Volume,
    },
}

#[derive(Debug, Clone, PartialEq)]
pub enum Screen {
    /// Languages and services.
    Home,
    Priority {
        service: String,
    },
    /// Typing an appointment's code; `problem` is a message key (an unknown code).
    Code {
        typed: String,
        problem: Option<&'static str>,
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
    },
    /// Something went wrong with this touch; the message key says what.
    Failed {
        message: &'static str,
    },
    /// "Do you need more time?", before the screen under it times out.
    MoreTime {
        resume: Box<Screen>,
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
    /// When the screen stops waiting for the person (`None`: it waits for something else).
    pub deadline: Option<Instant>,
    /// Spoken mode, started by a key: the place of the focus among the screen's items.
    pub focus: Option<usize>,
    pub volume: Volume,
    /// The last thing said, for the key that repeats it.
    pub last_spoken: Option<(String, String)>,
    /// The last key that counted, and when: a second strike of it within
    /// `settings.double_strike` does not.
    last_key: Option<(Nav, Instant)>,
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
            deadline: None,
            focus: None,
            volume: Volume::default(),
            last_spoken: None,
            last_key: None,
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

    pub(crate) fn service(&self, id: &str) -> Option<&ServiceStatus> {
        self.services.as_ref()?.services.iter().find(|s| s.id == id)
    }

    /// The start screen, as the next person should find it: the first language, no spoken
    /// mode, the usual volume.
    pub(crate) fn go_home(&mut self) {
        self.screen = Screen::Home;
        self.print_unconfirmed = false;
        if let Some(first) = self.settings.languages.first() {
            self.lang = first.clone();
        }
        self.focus = None;
        self.volume = Volume::default();
        self.deadline = None;
    }

    /// Shows `screen`, waiting for the person as long as it should.
    pub(crate) fn show(&mut self, screen: Screen, now: Instant) {
        self.screen = screen;
        self.deadline = self.deadline_for(now);
    }

    /// When the screen on show stops waiting, counted from `now`.
    fn deadline_for(&self, now: Instant) -> Option<Instant> {
        match &self.screen {
            // The start screen waits for ever, unless someone began there.
            Screen::Home if !self.began() => None,
            Screen::Home | Screen::Priority { .. } | Screen::Code { .. } => {
                Some(now + self.settings.idle_after)
            }
            Screen::Ticket { printed: true, .. } | Screen::Failed { .. } => {
                Some(now + self.settings.home_after)
            }
            Screen::MoreTime { .. } => Some(now + self.settings.more_time_for),
            // Waiting for the printer or the server: they have their own limits.
            Screen::Ticket { printed: false, .. } | Screen::Issuing { .. } => None,
        }
    }

    /// Whether someone began on the start screen (chose a language, or a key).
    fn began(&self) -> bool {
        self.focus.is_some() || self.settings.languages.first() != Some(&self.lang)
    }

    /// Whether the screen, as it times out, first asks whether more time is needed: every
    /// screen where the person is still reading or choosing. A printed ticket is in their
    /// hand, so that screen goes back to the start unasked.
    fn asks_more_time(&self) -> bool {
        match &self.screen {
            Screen::Home
            | Screen::Priority { .. }
            | Screen::Code { .. }
            | Screen::Failed { .. } => true,
            Screen::Ticket { .. } => !self.settings.printer_required,
            Screen::Issuing { .. } | Screen::MoreTime { .. } => false,
        }
    }

    /// Says `text` in `lang` at the kiosk's volume, and keeps it for the repeat key.
    pub(crate) fn say(&mut self, text: String, lang: String) -> Command {
        self.last_spoken = Some((text.clone(), lang.clone()));
        Command::Speak {
            text,
            lang,
            volume: self.volume,
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
        self.show(
            Screen::Issuing {
                request: request.clone(),
                since: now,
                sent: now,
            },
            now,
        );
        vec![Command::Issue(request)]
    }

    /// Handles one event; returns what must be done.
    pub fn handle(&mut self, event: Event, now: Instant) -> Vec<Command> {
        if let Event::Key(nav) = event {
            if self.last_key.is_some_and(|(last, at)| {
                last == nav && now.saturating_duration_since(at) < self.settings.double_strike
            }) {
                return Vec::new();
            }
            self.last_key = Some((nav, now));
        }
        let before = std::mem::discriminant(&self.screen);
        let by_person = matches!(event, Event::Touch(_) | Event::Key(_));
        let mut commands = self.event(event, now);
        // A touch or a key is the person still there: the screen waits for them anew.
        if by_person && !matches!(self.screen, Screen::MoreTime { .. }) {
            self.deadline = self.deadline_for(now);
        }
        // In spoken mode each new screen is said, with the item the focus starts on.
        if self.focus.is_some() && std::mem::discriminant(&self.screen) != before {
            self.focus = Some(0);
            let said = self.screen_words();
            commands.retain(|c| !matches!(c, Command::Speak { .. }));
            commands.push(self.say(said, self.lang.clone()));
        }
        commands
    }

    fn event(&mut self, event: Event, now: Instant) -> Vec<Command> {
        match event {
            Event::Touch(touch) => self.touch(touch, now),
            Event::Key(nav) => self.key(nav, now),
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
        self.show(Screen::Code { typed, problem }, now);
    }

    pub(crate) fn touch(&mut self, touch: Touch, now: Instant) -> Vec<Command> {
        match (touch, &self.screen) {
            // On the question, "start again" goes home; any other touch gives more time.
            (Touch::Finish, Screen::MoreTime { .. }) => {
                self.go_home();
                Vec::new()
            }
            (_, Screen::MoreTime { .. }) => {
                self.more_time(now);
                Vec::new()
            }
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
                self.show(Screen::Home, now);
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
                    self.show(Screen::Priority { service: id }, now);
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
                self.show(Screen::Home, now);
                Vec::new()
            }
            (Touch::Finish, Screen::Ticket { printed: true, .. } | Screen::Failed { .. }) => {
                self.go_home();
                Vec::new()
            }
            (Touch::Speak, _) => {
                let text = self.spoken_text();
                vec![self.say(text, self.lang.clone())]
            }
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
                let speak = self.say(
                    crate::texts::messages(&self.lang).get_with(
                        "spoken-ticket",
                        &[("number", &ticket.number), ("service", &service)],
                    ),
                    self.lang.clone(),
                );
                let print = Command::Print {
                    ticket: ticket.clone(),
                    lang: self.lang.clone(),
                };
                if self.settings.printer_required {
                    self.show(
                        Screen::Ticket {
                            ticket,
                            printed: false,
                        },
                        now,
                    );
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
                self.show(Screen::Failed { message }, now);
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
        self.show(
            Screen::Ticket {
                ticket,
                printed: true,
            },
            now,
        );
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
                self.show(
                    Screen::Failed {
                        message: "print-failed",
                    },
                    now,
                );
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

    /// The screen under the question comes back, waiting anew.
    fn more_time(&mut self, now: Instant) {
        if let Screen::MoreTime { resume } = &self.screen {
            let resume = (**resume).clone();
            self.show(resume, now);
        }
    }

    fn tick(&mut self, now: Instant) -> Vec<Command> {
        if let Some(deadline) = self.deadline
            && now >= deadline
        {
            if !self.asks_more_time() {
                self.go_home();
                return Vec::new();
            }
            // Asked on screen and aloud, in the language on screen.
            let resume = Box::new(self.screen.clone());
            self.show(Screen::MoreTime { resume }, now);
            let question = crate::texts::messages(&self.lang).get("more-time");
            return vec![self.say(question, self.lang.clone())];
        }
        match &self.screen {
            Screen::Issuing {
                request,
                since,
                sent,
            } => {
                if now.duration_since(*since) >= self.settings.give_up_after {
                    self.show(Screen::Failed { message: "offline" }, now);
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
                    m.get("no-priority"),
                    names.join(", "),
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
            Screen::MoreTime { .. } => m.get("more-time"),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::focus::Item;
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

    /// A kiosk without the priority step whose one touch for a ticket got `result` back.
    fn one_touch(result: Result<IssuedTicket, IssueError>) -> (Kiosk, Instant) {
        let (mut k, now) = ready(Settings {
            ask_priority: false,
            ..Settings::default()
        });
        let r = issue_request(&k.handle(Event::Touch(Touch::Service("benefits".into())), now));
        k.handle(
            Event::Issued {
                request_id: r.request_id,
                result,
            },
            now,
        );
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
        let idle = k.settings.idle_after;
        k.handle(Event::Touch(Touch::Appointment), now);
        k.handle(Event::Touch(Touch::CodeKey('K')), now + idle / 2);
        k.handle(Event::Tick, now + idle);
        assert!(
            matches!(k.screen, Screen::Code { .. }),
            "a key gave more time"
        );
        // Untouched, it asks first; unanswered, it goes home.
        k.handle(Event::Tick, now + idle / 2 + idle);
        assert!(matches!(k.screen, Screen::MoreTime { .. }));
        k.handle(
            Event::Tick,
            now + idle / 2 + idle + k.settings.more_time_for,
        );
        assert_eq!(k.screen, Screen::Home);
    }

    /// Before a screen of choices times out, the kiosk asks, on screen and aloud in the
    /// language on screen, whether more time is needed; one touch anywhere (or any key)
    /// gives it, with what was typed kept; "start again" goes home.
    #[test]
    fn a_slow_reader_is_asked_before_the_timeout_and_one_touch_gives_more_time() {
        let (mut k, now) = ready(Settings::default());
        let (idle, asked_for) = (k.settings.idle_after, k.settings.more_time_for);
        // The start screen, untouched, never times out; once a language is chosen, it does.
        assert!(k.handle(Event::Tick, now + idle * 10).is_empty());
        assert_eq!(k.screen, Screen::Home);
        k.handle(Event::Touch(Touch::Language("uk".into())), now);
        k.handle(Event::Touch(Touch::Appointment), now);
        k.handle(Event::Touch(Touch::CodeKey('K')), now);
        let out = k.handle(Event::Tick, now + idle);
        assert!(
            matches!(&k.screen, Screen::MoreTime { resume } if matches!(**resume, Screen::Code { .. }))
        );
        assert_eq!(
            out,
            [Command::Speak {
                text: "Вам потрібно більше часу? Торкніться екрана або натисніть будь-яку клавішу."
                    .into(),
                lang: "uk".into(),
                volume: Volume::default(),
            }]
        );
        // A touch anywhere, even on the language row, gives more time: nothing else.
        k.handle(Event::Touch(Touch::Language("el".into())), now + idle);
        assert!(matches!(&k.screen, Screen::Code { typed, .. } if typed == "K"));
        assert_eq!(k.lang, "uk");
        // A key does too.
        k.handle(Event::Tick, now + idle * 2);
        k.handle(Event::Key(Nav::Next), now + idle * 2);
        assert!(matches!(&k.screen, Screen::Code { typed, .. } if typed == "K"));
        // The priority step asks too; "start again" goes home, in Greek.
        let (mut k, now) = ready(Settings::default());
        k.handle(Event::Touch(Touch::Language("ar".into())), now);
        k.handle(Event::Touch(Touch::Service("benefits".into())), now);
        k.handle(Event::Tick, now + idle);
        assert!(matches!(k.screen, Screen::MoreTime { .. }));
        k.handle(Event::Touch(Touch::Finish), now + idle);
        assert_eq!((k.screen.clone(), k.lang.as_str()), (Screen::Home, "el"));
        // A failure message asks before it goes; unanswered, home.
        let (mut k, now) = one_touch(Err(IssueError::Refused("closed".into())));
        let after = now + k.settings.home_after;
        k.handle(Event::Tick, after);
        assert!(matches!(k.screen, Screen::MoreTime { .. }));
        k.handle(Event::Tick, after + asked_for);
        assert_eq!(k.screen, Screen::Home);
    }

    /// A second strike of the same key within the kiosk's `double_strike` counts once (a
    /// trembling hand); another key, or the same key after it, counts; zero counts all.
    #[test]
    fn a_double_strike_of_one_key_counts_once_where_the_kiosk_is_set_so() {
        let half = Duration::from_millis(500);
        let (mut k, now) = ready(Settings {
            double_strike: half,
            ..Settings::default()
        });
        k.handle(Event::Key(Nav::Next), now);
        assert_eq!(k.focus, Some(0), "the first key starts spoken mode");
        k.handle(Event::Key(Nav::Next), now + Duration::from_millis(600));
        assert_eq!(k.focus, Some(1));
        let bounce = now + Duration::from_millis(800);
        assert_eq!(k.handle(Event::Key(Nav::Next), bounce), Vec::new());
        assert_eq!(
            k.focus,
            Some(1),
            "a bounce 0.2 s after the same key is not a press"
        );
        k.handle(Event::Key(Nav::Previous), bounce);
        assert_eq!(k.focus, Some(0), "another key counts at once");
        k.handle(Event::Key(Nav::Previous), bounce + half);
        assert_eq!(
            k.focus.map(|f| f > 0),
            Some(true),
            "the same key, 0.5 s on, counts"
        );
        // Without the setting every press counts.
        let (mut k, now) = ready(Settings::default());
        for _ in 0..3 {
            k.handle(Event::Key(Nav::Next), now);
        }
        assert_eq!(k.focus, Some(2));
    }

    /// The kiosk without sight: the first key starts spoken mode and says how to use it; the
    /// focus moves over the language row (each name said in its own language), the
    /// services, "no priority" first, and the ticket; Enter chooses; 0 repeats; the volume
    /// moves by steps, each said; going home ends it.
    #[test]
    fn a_keypad_alone_gives_a_ticket_with_every_step_spoken() {
        let (mut k, now) = ready(Settings::default());
        let said = |out: &[Command]| match out {
            [.., Command::Speak { text, lang, .. }] => (text.clone(), lang.clone()),
            other => panic!("nothing said: {other:?}"),
        };
        let out = k.handle(Event::Key(Nav::Next), now);
        let (text, lang) = said(&out);
        assert!(text.starts_with("Φωνητική λειτουργία."), "{text}");
        assert!(text.ends_with("Ελληνικά"), "{text}");
        assert_eq!(lang, "el");
        assert_eq!(
            k.focused(),
            Some(Item::Button(Touch::Language("el".into())))
        );
        // Over the language row: each language's name in its own voice.
        let out = k.handle(Event::Key(Nav::Next), now);
        assert_eq!(said(&out), ("English".into(), "en".into()));
        let out = k.handle(Event::Key(Nav::Next), now);
        assert_eq!(said(&out), ("العربية".into(), "ar".into()));
        // Chosen: Arabic from here on.
        let out = k.handle(Event::Key(Nav::Choose), now);
        assert_eq!(k.lang, "ar");
        assert_eq!(said(&out), ("العربية".into(), "ar".into()));
        // The services follow the languages.
        for _ in 0..3 {
            k.handle(Event::Key(Nav::Next), now);
        }
        // The appointment button (the site takes appointments), then the first service.
        let out = k.handle(Event::Key(Nav::Next), now);
        assert_eq!(k.focused(), Some(Item::Button(Touch::Appointment)));
        assert_eq!(said(&out).1, "ar");
        let out = k.handle(Event::Key(Nav::Next), now);
        assert_eq!(
            said(&out),
            ("A. Benefits".into(), "ar".into()),
            "no Arabic name: English"
        );
        // The volume: a step up (the loudest), and down twice, each said.
        let out = k.handle(Event::Key(Nav::Louder), now);
        assert_eq!(said(&out).0, "مستوى الصوت 8 من 8");
        k.handle(Event::Key(Nav::Quieter), now);
        let out = k.handle(Event::Key(Nav::Quieter), now);
        assert!(matches!(&out[0], Command::Speak { volume, .. } if volume.step() == 6));
        // 0 repeats the last words.
        let out = k.handle(Event::Key(Nav::Repeat), now);
        assert_eq!(said(&out).0, "مستوى الصوت 6 من 8");
        // Enter on the service: the priority step, said with "no priority" first.
        k.handle(Event::Key(Nav::Previous), now);
        let out = k.handle(Event::Key(Nav::Next), now);
        assert_eq!(said(&out).0, "A. Benefits");
        let out = k.handle(Event::Key(Nav::Choose), now);
        assert!(matches!(k.screen, Screen::Priority { .. }));
        assert_eq!(said(&out).0, "هل تحتاج إلى أولوية؟ لا، متابعة");
        assert_eq!(k.focused(), Some(Item::Button(Touch::Priority(None))));
        let out = k.handle(Event::Key(Nav::Choose), now);
        // "One moment", said while the server answers.
        assert_eq!(said(&out).0, "لحظة من فضلك…");
        let request = issue_request(&out[..1]);
        assert_eq!(request.lang.as_deref(), Some("ar"));
        // The ticket is said whole, at the volume chosen, and its words are the focus.
        let out = k.handle(
            Event::Issued {
                request_id: request.request_id,
                result: Ok(ticket("t1")),
            },
            now,
        );
        let spoken: Vec<_> = out
            .iter()
            .filter_map(|c| match c {
                Command::Speak { text, volume, .. } => Some((text.clone(), *volume)),
                _ => None,
            })
            .collect();
        assert_eq!(spoken.len(), 1, "said once: {out:?}");
        assert!(spoken[0].0.starts_with("رقمك هو"), "{}", spoken[0].0);
        assert!(spoken[0].0.contains("A003"), "{}", spoken[0].0);
        assert_eq!(spoken[0].1.step(), 6);
        assert!(matches!(k.focused(), Some(Item::Words(_))));
        k.handle(
            Event::Printed {
                ticket_id: "t1".into(),
                result: Ok(PrinterState::Ready),
            },
            now,
        );
        // Down to "Done", and home: spoken mode ends there, the volume is the usual again.
        let out = k.handle(Event::Key(Nav::Next), now);
        assert_eq!(said(&out).0, "تم");
        k.handle(Event::Key(Nav::Choose), now);
        assert_eq!(k.screen, Screen::Home);
        assert_eq!(
            (k.focus, k.volume, k.lang.as_str()),
            (None, Volume::default(), "el")
        );
    }

    /// Every button a touch reaches on a screen is an item the keypad reaches.
    #[test]
    fn every_touch_target_is_a_keypad_item() {
        let (mut k, now) = ready(Settings::default());
        let has = |k: &Kiosk, touch: Touch| k.items().contains(&Item::Button(touch));
        for touch in [
            Touch::Language("sq".into()),
            Touch::Appointment,
            Touch::Service("benefits".into()),
            Touch::Service("children".into()),
            Touch::Speak,
            Touch::LargeText,
            Touch::Contrast,
        ] {
            assert!(has(&k, touch.clone()), "home: {touch:?}");
        }
        k.handle(Event::Touch(Touch::Service("benefits".into())), now);
        for touch in [
            Touch::Priority(None),
            Touch::Priority(Some("elderly".into())),
            Touch::Back,
            Touch::Language("fa".into()),
        ] {
            assert!(has(&k, touch.clone()), "priority: {touch:?}");
        }
        assert_eq!(k.items()[0], Item::Button(Touch::Priority(None)));
        // A toggle says whether it is on.
        k.focus = Some(k.items().len() - 2);
        k.handle(Event::Key(Nav::Choose), now);
        assert_eq!(
            k.last_spoken.clone().map(|(text, _)| text).as_deref(),
            Some("Μεγάλα γράμματα: ενεργό")
        );
        k.handle(Event::Touch(Touch::Back), now);
        k.handle(Event::Touch(Touch::Appointment), now);
        for c in CODE_CHARS.chars() {
            assert!(has(&k, Touch::CodeKey(c)), "code: {c}");
        }
        for touch in [Touch::CodeErase, Touch::CodeSubmit, Touch::Back] {
            assert!(has(&k, touch.clone()), "code: {touch:?}");
        }
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
        assert!(matches!(k.screen, Screen::Ticket { printed: true, .. }));
        assert_eq!(k.deadline, Some(now + k.settings.home_after));
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
        let (mut k, now) = one_touch(Err(IssueError::Unreachable));
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
        let (mut k, now) = one_touch(Ok(ticket("t9")));
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
                lang: "el".into(),
                volume: Volume::default(),
            }]
        );
        k.handle(Event::Touch(Touch::Language("en".into())), now);
        k.handle(Event::Touch(Touch::Service("benefits".into())), now);
        let out = k.handle(Event::Touch(Touch::Speak), now);
        assert!(
            matches!(&out[0], Command::Speak { text, .. } if text.starts_with("Do you need priority? No, continue. 65+"))
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
