//! The kiosk without sight (EN 301 549 §5.1.2.2 closed functionality, ADA 707.6): a USB
//! keypad moves a spoken focus over what the screen offers, and each item is said, in the
//! language chosen, as it is reached.
//!
//! The first key starts spoken mode; going back to the start ends it. Every item a touch
//! reaches is an item here, in the order the screen reads: the language row, the
//! appointment button and the services on the start screen; "no priority" first on the
//! priority step; the ticket's words, then "Done".

use std::time::Instant;

use crate::model::{CODE_CHARS, Command, Kiosk, Screen, Touch};
use crate::texts::{messages, name_in, queue_words};

/// What a key of the keypad asks for. On a 12-key pad: 8 and 2 (or the arrows) move, the
/// tactile 5 (or Enter) chooses, 0 repeats, `#` and `*` (or `+` and `-`) set the volume;
/// none of them is a character of a booking code, so a scanner typing a code is never
/// mistaken for the keypad.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Nav {
    Previous,
    Next,
    Choose,
    Repeat,
    Louder,
    Quieter,
    Back,
}

/// One place the focus can be.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Item {
    /// A button: choosing it is touching it.
    Button(Touch),
    /// Words on the screen (the ticket, a message): choosing it says them again.
    Words(String),
}

impl Item {
    /// The touch the item stands for, if it is a button.
    pub fn touch(&self) -> Option<&Touch> {
        match self {
            Item::Button(touch) => Some(touch),
            Item::Words(_) => None,
        }
    }
}

impl Kiosk {
    /// What the focus moves over on the screen now, in order.
    pub fn items(&self) -> Vec<Item> {
        let m = messages(&self.lang);
        let languages = || {
            self.settings
                .languages
                .iter()
                .map(|l| Item::Button(Touch::Language(l.clone())))
        };
        let toggles = [Touch::Speak, Touch::LargeText, Touch::Contrast].map(Item::Button);
        let mut items: Vec<Item> = Vec::new();
        match &self.screen {
            Screen::Home => {
                items.extend(languages());
                if self.takes_appointments() {
                    items.push(Item::Button(Touch::Appointment));
                }
                items.extend(
                    self.visible_services()
                        .iter()
                        .map(|s| Item::Button(Touch::Service(s.id.clone()))),
                );
                items.extend(toggles);
            }
            Screen::Priority { .. } => {
                items.push(Item::Button(Touch::Priority(None)));
                items.extend(
                    self.services
                        .iter()
                        .flat_map(|s| s.priorities.iter())
                        .map(|p| Item::Button(Touch::Priority(Some(p.id.clone())))),
                );
                items.push(Item::Button(Touch::Back));
                items.extend(languages());
                items.extend(toggles);
            }
            Screen::Code { .. } => {
                items.extend(CODE_CHARS.chars().map(|c| Item::Button(Touch::CodeKey(c))));
                items.extend([Touch::CodeErase, Touch::CodeSubmit, Touch::Back].map(Item::Button));
                items.extend(languages());
                items.extend(toggles);
            }
            Screen::Issuing { .. } => items.push(Item::Words(m.get("issuing"))),
            Screen::Ticket { printed, .. } => {
                items.push(Item::Words(self.screen_words()));
                if *printed {
                    items.push(Item::Button(Touch::Finish));
                }
            }
            Screen::Failed { message } => {
                items.push(Item::Words(m.get(message)));
                items.push(Item::Button(Touch::Finish));
            }
            Screen::MoreTime { .. } => {
                items.push(Item::Button(Touch::MoreTime));
                items.push(Item::Button(Touch::Finish));
            }
        }
        items
    }

    /// The item the focus is on, in spoken mode.
    pub fn focused(&self) -> Option<Item> {
        let items = self.items();
        let at = self.focus?;
        items.get(at.min(items.len().saturating_sub(1))).cloned()
    }

    /// Handles a key of the keypad.
    pub(crate) fn key(&mut self, nav: Nav, now: Instant) -> Vec<Command> {
        // On the question, any key is "yes, more time" (in spoken mode, choosing "start
        // again" is the one that is not).
        if matches!(self.screen, Screen::MoreTime { .. })
            && (nav != Nav::Choose || self.focus.is_none())
        {
            return self.touch(Touch::MoreTime, now);
        }
        let m = messages(&self.lang);
        let Some(at) = self.focus else {
            // The first key: spoken mode begins, with how to use it and the first item.
            self.focus = Some(0);
            let words = format!("{} {}", m.get("keypad-help"), self.screen_words());
            return vec![self.say(words, self.lang.clone())];
        };
        let items = self.items();
        let count = items.len().max(1);
        let at = at.min(count - 1);
        match nav {
            Nav::Previous | Nav::Next => {
                let next = if nav == Nav::Next {
                    (at + 1) % count
                } else {
                    (at + count - 1) % count
                };
                self.focus = Some(next);
                self.say_item(next)
            }
            Nav::Choose => match items.get(at) {
                Some(Item::Button(touch)) => {
                    let before = std::mem::discriminant(&self.screen);
                    let mut commands = self.touch(touch.clone(), now);
                    // Still on the same screen (a language, a key of the code, a toggle):
                    // the item is said again, as it now is.
                    if std::mem::discriminant(&self.screen) == before
                        && !commands.iter().any(|c| matches!(c, Command::Speak { .. }))
                    {
                        commands.extend(self.say_item(at));
                    }
                    commands
                }
                Some(Item::Words(_)) | None => self.say_item(at),
            },
            Nav::Repeat => match self.last_spoken.clone() {
                Some((text, lang)) => vec![self.say(text, lang)],
                None => self.say_item(at),
            },
            Nav::Louder | Nav::Quieter => {
                self.volume = if nav == Nav::Louder {
                    self.volume.louder()
                } else {
                    self.volume.quieter()
                };
                let words = m.get_with(
                    "volume",
                    &[
                        ("level", &self.volume.step().to_string()),
                        ("levels", &crate::voice::Volume::STEPS.to_string()),
                    ],
                );
                vec![self.say(words, self.lang.clone())]
            }
            Nav::Back => {
                let touch = match self.screen {
                    Screen::Ticket { .. } | Screen::Failed { .. } => Touch::Finish,
                    _ => Touch::Back,
                };
                self.touch(touch, now)
            }
        }
    }

    /// Says the item at `at`: a language's name is said in that language, so each person
    /// hears their own.
    fn say_item(&mut self, at: usize) -> Vec<Command> {
        let Some(item) = self.items().get(at).cloned() else {
            return Vec::new();
        };
        let (words, lang) = self.item_words(&item);
        vec![self.say(words, lang)]
    }

    /// What is said for an item, and in which language.
    pub fn item_words(&self, item: &Item) -> (String, String) {
        let lang = self.lang.clone();
        let m = messages(&lang);
        let words = match item {
            Item::Words(words) => words.clone(),
            Item::Button(touch) => match touch {
                Touch::Language(l) => return (messages(l).get("language"), l.clone()),
                Touch::Appointment => m.get("have-appointment"),
                Touch::Service(id) => match self.service(id) {
                    Some(s) if s.open_now => format!("{}. {}", s.prefix, name_in(&s.names, &lang)),
                    Some(s) => format!(
                        "{}. {}. {}",
                        s.prefix,
                        name_in(&s.names, &lang),
                        m.get("closed-now")
                    ),
                    None => id.clone(),
                },
                Touch::Priority(None) => m.get("no-priority"),
                Touch::Priority(Some(id)) => self
                    .services
                    .iter()
                    .flat_map(|s| s.priorities.iter())
                    .find(|p| &p.id == id)
                    .map(|p| name_in(&p.names, &lang))
                    .unwrap_or_else(|| id.clone()),
                Touch::Back => m.get("back"),
                Touch::Finish if matches!(self.screen, Screen::MoreTime { .. }) => {
                    m.get("start-again")
                }
                Touch::Finish => m.get("finish"),
                Touch::CodeKey(c) => c.to_string(),
                Touch::CodeErase => m.get("erase"),
                Touch::CodeSubmit => match &self.screen {
                    Screen::Code { typed, .. } if !typed.is_empty() => {
                        let spelled: Vec<String> = typed.chars().map(String::from).collect();
                        format!("{}: {}", m.get("check-in"), spelled.join(" "))
                    }
                    _ => m.get("check-in"),
                },
                Touch::Speak => m.get("speak"),
                // A toggle says its state too (EN 301 549 §5.6.1).
                Touch::LargeText | Touch::Contrast => {
                    let (label, on) = if *touch == Touch::LargeText {
                        ("large-text", self.large_text)
                    } else {
                        ("contrast", self.high_contrast)
                    };
                    format!("{}: {}", m.get(label), m.get(if on { "on" } else { "off" }))
                }
                Touch::MoreTime => m.get("more-time-yes"),
            },
        };
        (words, lang)
    }

    /// The words of the screen, then of the item the focus is on: what spoken mode says
    /// when a screen appears.
    pub(crate) fn screen_words(&self) -> String {
        let m = messages(&self.lang);
        let heading = match &self.screen {
            Screen::Home => {
                let blocked = self.blocker().map(|b| m.get(b.message()));
                let choose = format!("{}. {}.", m.get("welcome"), m.get("choose-service"));
                blocked.map_or(choose.clone(), |b| format!("{b} {choose}"))
            }
            Screen::Priority { .. } => m.get("priority-question"),
            Screen::Code { problem, .. } => match problem {
                Some(problem) => m.get(problem),
                None => format!("{} {}", m.get("type-code"), m.get("code-hint")),
            },
            Screen::Issuing { .. } => return m.get("issuing"),
            Screen::Ticket { ticket, .. } => {
                let service = self
                    .service(&ticket.service)
                    .map(|s| name_in(&s.names, &self.lang))
                    .unwrap_or_default();
                let mut words = vec![m.get_with(
                    "spoken-ticket",
                    &[("number", &ticket.number), ("service", &service)],
                )];
                words.extend(queue_words(m, ticket).into_iter().map(|w| format!("{w}.")));
                words.push(m.get(if self.print_unconfirmed {
                    "print-unconfirmed"
                } else {
                    "take-ticket"
                }));
                return words.join(" ");
            }
            Screen::Failed { message } => return m.get(message),
            Screen::MoreTime { .. } => m.get("more-time"),
        };
        match self.focused() {
            Some(item) if self.focus.is_some() => {
                let (words, _) = self.item_words(&item);
                format!("{heading} {words}")
            }
            _ => heading,
        }
    }
}
