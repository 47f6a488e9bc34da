//! Everything the lobby screen shows, as plain text, from the board and the clock: the screen
//! only lays it out. Kept free of bevy so that every word on the screen is checked by plain
//! tests.

use std::sync::OnceLock;

use jiff::ZonedDateTime;
use seira_i18n::{Catalog, Messages};
use seira_protocol::{BoardCall, Names};

use crate::board::BoardState;

/// How long each news line stays on the ticker. The ticker pages instead of scrolling: a
/// scrolling line would redraw the screen without end, and the display idles otherwise.
pub const TICKER_SECONDS: i64 = 10;

fn catalog() -> &'static Catalog {
    static CATALOG: OnceLock<Catalog> = OnceLock::new();
    CATALOG.get_or_init(|| {
        Catalog::new(&[
            ("el", include_str!("../i18n/el.ftl")),
            ("en", include_str!("../i18n/en.ftl")),
            ("ar", include_str!("../i18n/ar.ftl")),
            ("fa", include_str!("../i18n/fa.ftl")),
            ("uk", include_str!("../i18n/uk.ftl")),
            ("sq", include_str!("../i18n/sq.ftl")),
        ])
    })
}

/// The screen's words in `lang` (Greek when the language is unknown).
pub fn messages(lang: &str) -> &'static Messages {
    catalog().of(lang)
}

/// The languages the screen can show.
pub fn languages() -> Vec<String> {
    catalog().languages().map(str::to_owned).collect()
}

/// Which language the screen's second line is in.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum SecondLine {
    /// Always the second of the screen's languages.
    #[default]
    Fixed,
    /// The screen's languages after the first, in turn, [`TICKER_SECONDS`] each: a lobby
    /// where many languages wait sees its own now and then.
    Rotate,
    /// The language the newest call's ticket was taken in (else the second language): the
    /// Arabic speaker just called reads "now calling" in Arabic.
    NewestCall,
}

impl std::str::FromStr for SecondLine {
    type Err = String;
    fn from_str(s: &str) -> Result<Self, String> {
        match s {
            "fixed" => Ok(SecondLine::Fixed),
            "rotate" => Ok(SecondLine::Rotate),
            "newest-call" => Ok(SecondLine::NewestCall),
            _ => Err(format!(
                "unknown second line {s:?}: use fixed, rotate or newest-call"
            )),
        }
    }
}

/// The main language and the second line's language now.
pub fn on_screen(
    languages: &[String],
    second: SecondLine,
    state: Option<&BoardState>,
    now: &ZonedDateTime,
) -> (String, Option<String>) {
    let main = languages
        .first()
        .cloned()
        .unwrap_or_else(|| "el".to_owned());
    let others = &languages[languages.len().min(1)..];
    let fixed = others.first().cloned();
    let second = match second {
        SecondLine::Fixed => fixed,
        SecondLine::Rotate if others.is_empty() => None,
        SecondLine::Rotate => {
            let step = now.timestamp().as_second().div_euclid(TICKER_SECONDS);
            Some(others[step.rem_euclid(others.len() as i64) as usize].clone())
        }
        SecondLine::NewestCall => state
            .and_then(|s| s.board.calls.first())
            .and_then(|call| call.lang.clone())
            .filter(|lang| *lang != main && catalog().languages().any(|l| l == lang))
            .or(fixed),
    };
    (main, second)
}

/// A text in the screen's main language, and in its second language under it (if any).
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct Words {
    pub main: String,
    pub second: Option<String>,
}

/// One call: the number and the desk to go to.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CallLine {
    /// Tells calls apart: number, visit step, recalls (a recall of the same ticket, or its
    /// next step after a transfer, is a new call).
    pub key: (String, u32, u32),
    pub number: String,
    pub desk: Words,
    /// The citizen was called before and did not come yet.
    pub recalled: bool,
}

/// One service and how many wait for it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct QueueLine {
    pub prefix: String,
    pub service: Words,
    pub waiting: u32,
}

/// The connection, as the screen tells it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Link {
    /// No board yet.
    Connecting,
    Online,
    /// The server is away; the last board stays on screen under an offline mark.
    Offline,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct View {
    pub site: Words,
    pub clock: String,
    pub date: Words,
    pub link: Link,
    /// Said across the top while the link is not online.
    pub banner: Option<Words>,
    pub now_calling: Words,
    pub headline: Option<CallLine>,
    pub previous_label: Words,
    pub previous: Vec<CallLine>,
    pub waiting_label: Words,
    pub queues: Vec<QueueLine>,
    /// Shown where the calls go while there are none.
    pub no_calls: Words,
    pub ticker: Option<String>,
}

/// What to show. `languages` are the screen's languages, main first, and `second` which of
/// them the second line is in; the ticker takes its lines in all of them. `online` is `None`
/// until the feed has said anything.
pub fn view(
    state: Option<&BoardState>,
    online: Option<bool>,
    (languages, second): (&[String], SecondLine),
    now: &ZonedDateTime,
) -> View {
    let (main, second) = on_screen(languages, second, state, now);
    let (main, second) = (main.as_str(), second.as_deref());
    let label = |key: &str| Words {
        main: messages(main).get(key),
        second: second.map(|lang| messages(lang).get(key)),
    };
    let link = match (state, online) {
        (_, Some(false)) => Link::Offline,
        (None, _) => Link::Connecting,
        (Some(_), _) => Link::Online,
    };
    let banner = match link {
        Link::Online => None,
        Link::Connecting => Some(label("connecting")),
        Link::Offline => Some(label("offline")),
    };
    let date = Words {
        main: date_in(main, now),
        second: second.map(|lang| date_in(lang, now)),
    };
    let named = |names: &Names| Words {
        main: name_in(names, main),
        second: second
            .map(|lang| name_in(names, lang))
            .filter(|text| *text != name_in(names, main)),
    };
    let call_line = |call: &BoardCall| CallLine {
        key: (call.number.clone(), call.step, call.recalls),
        number: call.number.clone(),
        desk: named(&call.desk_names),
        recalled: call.recalls > 0,
    };
    let board = state.map(|s| &s.board);
    let calls: Vec<CallLine> = board
        .map(|b| b.calls.iter().map(call_line).collect())
        .unwrap_or_default();
    let mut calls = calls.into_iter();
    let headline = calls.next();
    View {
        site: board.map(|b| named(&b.site_names)).unwrap_or_default(),
        clock: now.strftime("%H:%M").to_string(),
        date,
        link,
        banner,
        now_calling: label("now-calling"),
        headline,
        previous_label: label("previous-calls"),
        previous: calls.collect(),
        waiting_label: label("waiting"),
        queues: board
            .map(|b| {
                b.queues
                    .iter()
                    .map(|q| QueueLine {
                        prefix: q.prefix.clone(),
                        service: named(&q.names),
                        waiting: q.waiting,
                    })
                    .collect()
            })
            .unwrap_or_default(),
        no_calls: label("no-calls"),
        ticker: board.and_then(|b| ticker_line(&b.news, languages, now)),
    }
}

/// A name in `lang` (by the one fallback, [`seira_protocol::InLang`]).
fn name_in(names: &Names, lang: &str) -> String {
    seira_protocol::InLang::in_lang(names, lang).to_owned()
}

/// `Δευτέρα 23 Νοεμβρίου 2026`.
fn date_in(lang: &str, now: &ZonedDateTime) -> String {
    let messages = messages(lang);
    let weekday = messages.get(&format!("weekday-{}", now.weekday().to_monday_one_offset()));
    let month = messages.get(&format!("month-{}", now.month()));
    messages.get_with(
        "date",
        &[
            ("weekday", &weekday),
            ("day", &now.day().to_string()),
            ("month", &month),
            ("year", &now.year().to_string()),
        ],
    )
}

/// The news line on the ticker now: each line in each of the screen's languages in turn,
/// [`TICKER_SECONDS`] each.
fn ticker_line(news: &[Names], languages: &[String], now: &ZonedDateTime) -> Option<String> {
    let lines: Vec<&String> = news
        .iter()
        .flat_map(|names| {
            let mut seen: Vec<&String> = Vec::new();
            for lang in languages {
                if let Some(text) = names.get(lang)
                    && !seen.contains(&text)
                {
                    seen.push(text);
                }
            }
            if seen.is_empty() {
                seen.extend(names.values().next());
            }
            seen
        })
        .collect();
    if lines.is_empty() {
        return None;
    }
    let step = now.timestamp().as_second().div_euclid(TICKER_SECONDS);
    let index = step.rem_euclid(lines.len() as i64) as usize;
    Some(lines[index].clone())
}

/// Landscape for the usual TV, portrait for a screen turned on its side.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Orientation {
    Landscape,
    Portrait,
}

impl Orientation {
    pub fn of(width: f32, height: f32) -> Orientation {
        if height > width {
            Orientation::Portrait
        } else {
            Orientation::Landscape
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use seira_protocol::{Board, BoardQueue};

    fn names(el: &str, en: &str) -> Names {
        [
            ("el".to_owned(), el.to_owned()),
            ("en".to_owned(), en.to_owned()),
        ]
        .into_iter()
        .collect()
    }

    fn state() -> BoardState {
        let call = |step: u32, number: &str, desk: &str, recalls| BoardCall {
            number: number.into(),
            step,
            service: "benefits".into(),
            desk: "chania-1".into(),
            desk_names: names(&format!("Γραφείο {desk}"), &format!("Office {desk}")),
            called_at: "2026-11-23T08:00:00Z".parse().unwrap(),
            recalls,
            lang: None,
        };
        BoardState::new(Board {
            site: "chania".into(),
            site_names: names("Κέντρο Κοινότητας Χανίων", "Chania Community Centre"),
            calls: vec![call(2, "A012", "3", 1), call(1, "B004", "1", 0)],
            queues: vec![BoardQueue {
                service: "benefits".into(),
                prefix: "A".into(),
                names: names("Επιδόματα", "Benefits"),
                waiting: 4,
            }],
            news: vec![
                names("Κλειστά την Παρασκευή", "Closed on Friday"),
                [("el".to_owned(), "Μόνο ελληνικά".to_owned())]
                    .into_iter()
                    .collect(),
            ],
            desks: Default::default(),
            last_event_id: 3,
            generated_at: "2026-11-23T08:00:00Z".parse().unwrap(),
        })
    }

    fn at(time: &str) -> ZonedDateTime {
        time.parse().unwrap()
    }

    fn langs(list: &[&str]) -> Vec<String> {
        list.iter().map(|l| l.to_string()).collect()
    }

    #[test]
    fn the_board_in_greek_with_english_beneath() {
        let state = state();
        let now = at("2026-11-23T10:05:09+02:00[Europe/Athens]");
        let view = view(
            Some(&state),
            Some(true),
            (&langs(&["el", "en"]), SecondLine::Fixed),
            &now,
        );
        assert_eq!(view.site.main, "Κέντρο Κοινότητας Χανίων");
        assert_eq!(view.site.second.as_deref(), Some("Chania Community Centre"));
        assert_eq!(view.clock, "10:05");
        assert_eq!(view.date.main, "Δευτέρα 23 Νοεμβρίου 2026");
        assert_eq!(view.date.second.as_deref(), Some("Monday 23 November 2026"));
        assert_eq!(view.link, Link::Online);
        assert_eq!(view.banner, None);
        assert_eq!(view.now_calling.main, "Καλείται");
        let headline = view.headline.unwrap();
        assert_eq!(
            (headline.number.as_str(), headline.desk.main.as_str()),
            ("A012", "Γραφείο 3")
        );
        assert!(headline.recalled);
        assert_eq!(view.previous.len(), 1);
        assert_eq!(view.previous[0].desk.second.as_deref(), Some("Office 1"));
        assert_eq!(view.queues[0].waiting, 4);
        assert_eq!(view.queues[0].service.main, "Επιδόματα");
    }

    #[test]
    fn offline_keeps_the_last_board_under_a_mark() {
        let state = state();
        let now = at("2026-11-23T10:05:00+02:00[Europe/Athens]");
        let view = view(
            Some(&state),
            Some(false),
            (&langs(&["el"]), SecondLine::Fixed),
            &now,
        );
        assert_eq!(view.link, Link::Offline);
        assert!(view.banner.unwrap().main.starts_with("Εκτός σύνδεσης"));
        assert_eq!(view.headline.unwrap().number, "A012");
        let view = super::view(None, None, (&langs(&["el"]), SecondLine::Fixed), &now);
        assert_eq!(view.link, Link::Connecting);
        assert!(view.headline.is_none());
    }

    #[test]
    fn the_ticker_pages_through_each_line_in_each_language() {
        let state = state();
        let seen: Vec<String> = (0..4)
            .map(|step| {
                let now = at("2026-11-23T10:00:00+02:00[Europe/Athens]")
                    .checked_add(jiff::SignedDuration::from_secs(step * TICKER_SECONDS))
                    .unwrap();
                view(
                    Some(&state),
                    Some(true),
                    (&langs(&["el", "en"]), SecondLine::Fixed),
                    &now,
                )
                .ticker
                .unwrap()
            })
            .collect();
        // Three lines: the first in Greek and English, the second only in Greek.
        assert_eq!(seen[0], seen[3]);
        let mut distinct = seen[..3].to_vec();
        distinct.sort();
        assert_eq!(
            distinct,
            ["Closed on Friday", "Κλειστά την Παρασκευή", "Μόνο ελληνικά"]
        );
    }

    #[test]
    fn dates_follow_athens_across_the_change_of_hour() {
        // 00:30 in Athens on the last Sunday of March is still Saturday night in UTC.
        let now = jiff::Timestamp::from_second(1_774_737_000)
            .unwrap()
            .in_tz("Europe/Athens")
            .unwrap();
        let view = view(None, None, (&langs(&["el"]), SecondLine::Fixed), &now);
        assert_eq!(view.date.main, "Κυριακή 29 Μαρτίου 2026");
        assert_eq!(view.clock, "00:30");
    }

    #[test]
    fn both_languages_have_every_word() {
        assert!(
            catalog().mismatches().is_empty(),
            "{:?}",
            catalog().mismatches()
        );
    }

    #[test]
    fn orientation_follows_the_screen() {
        assert_eq!(Orientation::of(1920.0, 1080.0), Orientation::Landscape);
        assert_eq!(Orientation::of(1080.0, 1920.0), Orientation::Portrait);
    }

    /// The second line in turn through the screen's languages, or in the language of the
    /// newest call; the ticker through every language its lines have.
    #[test]
    fn the_second_line_rotates_or_follows_the_newest_call() {
        let all = langs(&["el", "en", "ar", "fa", "uk", "sq"]);
        let at = |second: i64| {
            jiff::Timestamp::from_second(1_795_000_000 + second)
                .unwrap()
                .to_zoned_datetime(jiff::tz::TimeZone::UTC)
        };
        let seconds: Vec<String> = (0..5)
            .map(|i| {
                on_screen(&all, SecondLine::Rotate, None, &at(i * TICKER_SECONDS))
                    .1
                    .unwrap()
            })
            .collect();
        let mut sorted = seconds.clone();
        sorted.sort();
        assert_eq!(
            sorted[..],
            ["ar", "en", "fa", "sq", "uk"][..],
            "{seconds:?}"
        );
        // Greek only: no second line to rotate.
        assert_eq!(
            on_screen(&langs(&["el"]), SecondLine::Rotate, None, &at(0)).1,
            None
        );
        // The newest call was taken in Arabic: the second line is Arabic, even on a screen
        // set to Greek and English.
        let mut state = state();
        state.board.calls[0].lang = Some("ar".into());
        let view = view(
            Some(&state),
            Some(true),
            (&langs(&["el", "en"]), SecondLine::NewestCall),
            &at(0),
        );
        assert_eq!(view.now_calling.second.as_deref(), Some("يُنادى الآن"));
        assert_eq!(view.now_calling.main, "Καλείται");
        // A Greek ticket, or none: the screen's own second language.
        for lang in [Some("el"), None, Some("pt-BR")] {
            state.board.calls[0].lang = lang.map(str::to_owned);
            let (_, second) = on_screen(
                &langs(&["el", "en"]),
                SecondLine::NewestCall,
                Some(&state),
                &at(0),
            );
            assert_eq!(second.as_deref(), Some("en"), "{lang:?}");
        }
        assert_eq!("newest-call".parse(), Ok(SecondLine::NewestCall));
        assert!("sometimes".parse::<SecondLine>().is_err());
    }

    #[test]
    fn every_language_has_every_word_of_the_screen() {
        assert_eq!(catalog().mismatches(), Vec::new());
        assert_eq!(languages(), ["el", "en", "ar", "fa", "uk", "sq"]);
    }
}
