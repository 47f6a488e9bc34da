//! Fitting the board to the screen, whatever the day brings: 1 to 12 services with names as
//! long as the seeds' longest, 0 to 10 calls, a 720p, 1080p or 4K TV, landscape or portrait.
//!
//! The layout's sizes live here, in hundredths of the screen's shorter side (vmin), and the
//! screen ([`crate::screen`]) uses these and no others. [`fit`] measures the words with the
//! bundled font's own advance widths, wraps them as the screen will, and decides what is
//! shown: how large the calls are and how many previous calls fit, which page of the waiting
//! panel is shown now (the pages turn with the ticker), and where a long name is cut with
//! "…". The newest call and the ticker are always whole; nothing is pushed off the screen.
//! It is plain arithmetic, so the worst cases are tested without a window.

use std::sync::OnceLock;

use crate::view::{Orientation, View, Words};

/// A line's height as a multiple of its text size (bevy's default line height).
pub const LINE: f32 = 1.2;

// The layout, in vmin. Sizes of text are font sizes; the rest are paddings and gaps.
pub const BANNER: f32 = 3.2;
pub const BANNER_SECOND: f32 = 2.2;
pub const BANNER_PAD: (f32, f32) = (2.0, 1.0);
pub const HEADER_PAD: (f32, f32) = (2.5, 1.5);
pub const HEADER_GAP: f32 = 3.0;
pub const SITE: f32 = 4.4;
pub const SITE_SECOND: f32 = 2.6;
pub const DATE: f32 = 2.8;
pub const DATE_SECOND: f32 = 2.2;
pub const CLOCK: f32 = 7.5;
pub const CLOCK_GAP: f32 = 2.5;
pub const BODY_PAD: f32 = 2.0;
pub const BODY_GAP: f32 = 3.0;
/// The calls' share of the body's width in landscape.
pub const CALLS_SHARE: f32 = 0.62;
/// The most of the body's height the waiting panel takes in portrait.
pub const PORTRAIT_QUEUES_SHARE: f32 = 0.42;
pub const LABEL: f32 = 3.4;
pub const LABEL_SECOND: f32 = 2.6;
pub const CALLS_GAP: f32 = 1.5;
pub const CARD_PAD: (f32, f32) = (3.0, 2.0);
pub const NUMBER: f32 = 22.0;
pub const DESK: f32 = 9.0;
pub const DESK_GAP: f32 = 2.0;
pub const DESK_SECOND: f32 = 4.0;
pub const NO_CALLS: f32 = 4.0;
pub const PREVIOUS_MARGIN: f32 = 1.5;
pub const PREVIOUS_PAD: (f32, f32) = (2.0, 0.6);
pub const PREVIOUS_NUMBER: f32 = 6.0;
/// The width of a previous call's number, so the desks line up.
pub const PREVIOUS_NUMBER_BOX: f32 = 22.0;
pub const PREVIOUS_DESK: f32 = 5.0;
pub const PREVIOUS_GAP: f32 = 2.5;
pub const QUEUES_PAD: f32 = 2.0;
pub const QUEUES_GAP: f32 = 1.2;
pub const BADGE: f32 = 6.0;
pub const BADGE_TEXT: f32 = 3.8;
pub const QUEUE_GAP: f32 = 1.5;
pub const NAME: f32 = 3.0;
pub const NAME_SECOND: f32 = 2.1;
pub const COUNT: f32 = 4.6;
pub const TICKER: f32 = 3.2;
pub const TICKER_PAD: (f32, f32) = (2.0, 1.2);

/// The scales the calls may shrink to, largest first: the newest call stays large, but a
/// busy hour shows more of the previous ones.
const CALL_SCALES: [f32; 6] = [1.0, 0.9, 0.8, 0.72, 0.64, 0.56];
/// How many previous calls are worth shrinking the calls for.
const PREVIOUS_WANTED: usize = 4;
/// Lines a service's name may take (its second language: one).
const NAME_LINES: usize = 2;
/// Lines of the ticker and of the centre's name.
const TICKER_LINES: usize = 2;
const SITE_LINES: usize = 2;

const FONT: &[u8] = include_bytes!("../../assets/fonts/DejaVuSans.ttf");
const FONT_BOLD: &[u8] = include_bytes!("../../assets/fonts/DejaVuSans-Bold.ttf");

/// The advance widths of the bundled faces, for measuring words as the screen draws them.
pub struct Metrics {
    regular: ttf_parser::Face<'static>,
    bold: ttf_parser::Face<'static>,
}

impl Metrics {
    pub fn get() -> &'static Metrics {
        static METRICS: OnceLock<Metrics> = OnceLock::new();
        METRICS.get_or_init(|| Metrics {
            regular: ttf_parser::Face::parse(FONT, 0).expect("the bundled font parses"),
            bold: ttf_parser::Face::parse(FONT_BOLD, 0).expect("the bundled font parses"),
        })
    }

    /// The width of `text` at `size`, a little generous (no kerning is taken off), so that
    /// what is measured to fit does fit.
    pub fn width(&self, text: &str, bold: bool, size: f32) -> f32 {
        let face = if bold { &self.bold } else { &self.regular };
        let per_em = f32::from(face.units_per_em());
        let units: f32 = text
            .chars()
            .map(|c| {
                face.glyph_index(c)
                    .and_then(|g| face.glyph_hor_advance(g))
                    .map_or(per_em * 0.6, f32::from)
            })
            .sum();
        units / per_em * size * 1.03
    }

    /// `text` broken into lines of at most `width`, at spaces, as the screen wraps it.
    pub fn wrap(&self, text: &str, bold: bool, size: f32, width: f32) -> Vec<String> {
        let mut lines: Vec<String> = Vec::new();
        let mut line = String::new();
        for word in text.split_whitespace() {
            let candidate = if line.is_empty() {
                word.to_owned()
            } else {
                format!("{line} {word}")
            };
            if line.is_empty() || self.width(&candidate, bold, size) <= width {
                line = candidate;
            } else {
                lines.push(std::mem::replace(&mut line, word.to_owned()));
            }
        }
        if !line.is_empty() {
            lines.push(line);
        }
        lines
    }

    /// `text` cut with "…" so that it wraps into at most `max_lines` lines of `width`; and
    /// the number of lines it then takes.
    pub fn fit_lines(
        &self,
        text: &str,
        bold: bool,
        size: f32,
        width: f32,
        max_lines: usize,
    ) -> (String, usize) {
        let lines = self.wrap(text, bold, size, width);
        if lines.len() <= max_lines {
            return (text.to_owned(), lines.len().max(1));
        }
        let mut kept: Vec<String> = lines[..max_lines].to_vec();
        let last = kept.last_mut().expect("at least one line");
        // Take words (then characters) off the last line until it holds the ellipsis.
        loop {
            let with = format!("{last}…");
            if self.width(&with, bold, size) <= width || last.is_empty() {
                *last = with;
                break;
            }
            match last.rfind(' ') {
                Some(space) => last.truncate(space),
                None => {
                    last.pop();
                }
            }
        }
        (kept.join(" "), max_lines)
    }
}

/// What the screen shows, fitted: the view with its lists cut and long names shortened, and
/// the sizes chosen.
#[derive(Debug, Clone, PartialEq)]
pub struct Fitted {
    pub view: View,
    /// The calls' sizes are the constants times this.
    pub calls_scale: f32,
    /// The newest call's desk, as large as fits on one line.
    pub desk_size: f32,
    /// The waiting panel's height in portrait (vmin); in landscape it is the body's.
    pub queues_height: Option<f32>,
    /// The waiting panel's page shown now, and how many there are, when it has more than one.
    pub page: Option<(usize, usize)>,
    /// The screen's height (vmin) and the height the fitted board needs: never more.
    pub screen_height: f32,
    pub needed_height: f32,
}

/// Fits `view` to a screen of `width` × `height` pixels. `step` counts the ticker's periods
/// (the waiting panel turns its pages with them).
pub fn fit(view: &View, width: f32, height: f32, step: i64) -> Fitted {
    let m = Metrics::get();
    let unit = width.min(height).max(1.0) / 100.0;
    let (w, h) = (width / unit, height / unit);
    let orientation = Orientation::of(width, height);
    let mut view = view.clone();

    let banner = view.banner.as_ref().map_or(0.0, |b| {
        2.0 * BANNER_PAD.1 + LINE * BANNER + b.second.as_ref().map_or(0.0, |_| LINE * BANNER_SECOND)
    });

    // The header: the centre's name beside (landscape) or above (portrait) date and clock.
    let date_width = m.width(&view.date.main, false, DATE).max(
        view.date
            .second
            .as_ref()
            .map_or(0.0, |s| m.width(s, false, DATE_SECOND)),
    );
    let clock_block = date_width + CLOCK_GAP + m.width(&view.clock, true, CLOCK);
    let clock_height = (LINE * CLOCK).max(
        LINE * DATE
            + view
                .date
                .second
                .as_ref()
                .map_or(0.0, |_| LINE * DATE_SECOND),
    );
    let site_width = match orientation {
        Orientation::Landscape => w - 2.0 * HEADER_PAD.0 - HEADER_GAP - clock_block,
        Orientation::Portrait => w - 2.0 * HEADER_PAD.0,
    };
    let site_height = fit_words(
        m,
        &mut view.site,
        true,
        SITE,
        SITE_SECOND,
        site_width,
        SITE_LINES,
    );
    let header = 2.0 * HEADER_PAD.1
        + match orientation {
            Orientation::Landscape => site_height.max(clock_height),
            Orientation::Portrait => site_height + 1.0 + clock_height,
        };

    let ticker = match &mut view.ticker {
        Some(line) => {
            let (cut, lines) =
                m.fit_lines(line, false, TICKER, w - 2.0 * TICKER_PAD.0, TICKER_LINES);
            *line = cut;
            2.0 * TICKER_PAD.1 + lines as f32 * LINE * TICKER
        }
        None => 0.0,
    };

    let body_width = w - 2.0 * BODY_PAD;
    let body_height = h - banner - header - ticker - 2.0 * BODY_PAD;
    let (calls_width, queues_width) = match orientation {
        Orientation::Landscape => {
            let calls = (body_width - BODY_GAP) * CALLS_SHARE;
            (calls, body_width - BODY_GAP - calls)
        }
        Orientation::Portrait => (body_width, body_width),
    };

    // The waiting panel: each service's name on at most two lines, then pages.
    let count_width = m.width("999", true, COUNT);
    let name_width = queues_width - 2.0 * QUEUES_PAD - BADGE - 2.0 * QUEUE_GAP - count_width;
    let rows: Vec<f32> = view
        .queues
        .iter_mut()
        .map(|q| {
            let name = fit_words(
                m,
                &mut q.service,
                false,
                NAME,
                NAME_SECOND,
                name_width,
                NAME_LINES,
            );
            BADGE.max(LINE * COUNT).max(name)
        })
        .collect();
    let queues_fixed = 2.0 * QUEUES_PAD + LINE * LABEL;
    let all_rows: f32 = rows.iter().map(|r| QUEUES_GAP + r).sum();
    let queues_height = match orientation {
        Orientation::Landscape => body_height,
        Orientation::Portrait => (queues_fixed + all_rows).min(body_height * PORTRAIT_QUEUES_SHARE),
    };
    let pages = paginate(&rows, queues_height - queues_fixed);
    let page_index = step.rem_euclid(pages.len() as i64) as usize;
    let page_range = pages[page_index].clone();
    let queues_needed = queues_fixed
        + rows[page_range.clone()]
            .iter()
            .map(|r| QUEUES_GAP + r)
            .sum::<f32>();
    view.queues = view.queues[page_range].to_vec();

    // The calls: the newest whole and large, then as many previous ones as fit, shrinking
    // the calls a little when that shows more of them.
    let calls_height = match orientation {
        Orientation::Landscape => body_height,
        Orientation::Portrait => body_height - BODY_GAP - queues_height,
    };
    let wanted = view.previous.len().min(PREVIOUS_WANTED);
    let mut best: Option<(f32, usize, f32, f32)> = None;
    for scale in CALL_SCALES {
        let (card, desk_size) = headline_height(m, &view, calls_width, scale);
        let fixed = LINE * LABEL + CALLS_GAP + card;
        let row = 2.0 * PREVIOUS_PAD.1 * scale
            + (LINE * PREVIOUS_NUMBER * scale).max(LINE * PREVIOUS_DESK * scale);
        let label = CALLS_GAP + PREVIOUS_MARGIN + LINE * LABEL;
        let mut shown = 0;
        while shown < view.previous.len()
            && fixed + label + (shown + 1) as f32 * (CALLS_GAP + row) <= calls_height
        {
            shown += 1;
        }
        let needed = fixed
            + if shown > 0 {
                label + shown as f32 * (CALLS_GAP + row)
            } else {
                0.0
            };
        let better = match best {
            None => true,
            Some((_, best_shown, ..)) => shown > best_shown && best_shown < wanted,
        };
        if better {
            best = Some((scale, shown, desk_size, needed));
        }
        if shown >= wanted && fixed <= calls_height {
            break;
        }
    }
    let (calls_scale, shown, desk_size, calls_needed) =
        best.unwrap_or((1.0, 0, DESK, LINE * LABEL));
    view.previous.truncate(shown);
    let previous_desk_width = calls_width
        - 2.0 * PREVIOUS_PAD.0 * calls_scale
        - PREVIOUS_NUMBER_BOX * calls_scale
        - 2.0 * PREVIOUS_GAP * calls_scale
        - m.width("→", false, PREVIOUS_DESK * calls_scale);
    for call in &mut view.previous {
        call.desk.main = m
            .fit_lines(
                &call.desk.main,
                true,
                PREVIOUS_DESK * calls_scale,
                previous_desk_width,
                1,
            )
            .0;
    }

    let body_needed = match orientation {
        Orientation::Landscape => calls_needed.max(queues_needed),
        Orientation::Portrait => calls_needed + BODY_GAP + queues_height,
    };
    Fitted {
        view,
        calls_scale,
        desk_size,
        queues_height: (orientation == Orientation::Portrait).then_some(queues_height),
        page: (pages.len() > 1).then_some((page_index + 1, pages.len())),
        screen_height: h,
        needed_height: banner + header + ticker + 2.0 * BODY_PAD + body_needed,
    }
}

/// Cuts a text and its second-language line to fit; returns the height they take.
fn fit_words(
    m: &Metrics,
    words: &mut Words,
    bold: bool,
    size: f32,
    second_size: f32,
    width: f32,
    lines: usize,
) -> f32 {
    let (main, main_lines) = m.fit_lines(&words.main, bold, size, width, lines);
    words.main = main;
    let mut height = main_lines as f32 * LINE * size;
    if let Some(second) = &mut words.second {
        let (cut, second_lines) = m.fit_lines(second, false, second_size, width, 1);
        *second = cut;
        height += second_lines as f32 * LINE * second_size;
    }
    height
}

/// The newest call's card: its height at `scale`, and the size its desk's name gets (as
/// large as fits on one line, down to a readable least; cut beyond that).
fn headline_height(m: &Metrics, view: &View, width: f32, scale: f32) -> (f32, f32) {
    let Some(call) = &view.headline else {
        return (LINE * NO_CALLS, DESK * scale);
    };
    let inner = width - 2.0 * CARD_PAD.0 * scale;
    let arrow = m.width("→", true, DESK * scale) + DESK_GAP * scale;
    let wanted = m.width(&call.desk.main, true, DESK * scale);
    let room = inner - arrow;
    let desk_size = if wanted <= room {
        DESK * scale
    } else {
        (DESK * scale * room / wanted).max(DESK * 0.5)
    };
    let second = call
        .desk
        .second
        .as_ref()
        .map_or(0.0, |_| LINE * DESK_SECOND * scale);
    (
        2.0 * CARD_PAD.1 * scale + LINE * NUMBER * scale + LINE * desk_size + second,
        desk_size,
    )
}

/// The rows in as few pages as fit `room`, as even as they can be (eight services in two
/// pages are four and four, not six and two).
fn paginate(rows: &[f32], room: f32) -> Vec<std::ops::Range<usize>> {
    let greedy = fill_pages(rows, room);
    let pages = greedy.len();
    if pages < 2 {
        return greedy;
    }
    let per_page = rows.len().div_ceil(pages);
    let even: Vec<_> = (0..rows.len())
        .step_by(per_page)
        .map(|start| start..(start + per_page).min(rows.len()))
        .collect();
    let fits = |r: &std::ops::Range<usize>| {
        r.len() == 1 || rows[r.clone()].iter().map(|h| QUEUES_GAP + h).sum::<f32>() <= room
    };
    if even.len() == pages && even.iter().all(fits) {
        even
    } else {
        greedy
    }
}

/// The rows in pages filled in turn (a row too tall for any page gets one alone).
fn fill_pages(rows: &[f32], room: f32) -> Vec<std::ops::Range<usize>> {
    let mut pages = Vec::new();
    let mut start = 0;
    let mut used = 0.0;
    for (i, row) in rows.iter().enumerate() {
        let cost = QUEUES_GAP + row;
        if i > start && used + cost > room {
            pages.push(start..i);
            start = i;
            used = 0.0;
        }
        used += cost;
    }
    pages.push(start..rows.len());
    pages
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::view::{CallLine, Link, QueueLine};

    fn words(main: &str, second: &str) -> Words {
        Words {
            main: main.into(),
            second: Some(second.into()),
        }
    }

    /// The worst the seeds give: Chios's seven services with their long names, ten calls to
    /// desks with long names, the news, in Greek with English beneath.
    fn worst(calls: usize, services: usize) -> View {
        let names = [
            (
                "Επιδόματα: Ελάχιστο Εγγυημένο Εισόδημα, στέγαση, γέννηση, ΟΠΕΚΑ",
                "Benefits: Minimum Guaranteed Income, housing, birth, disability (OPEKA)",
            ),
            (
                "Παραπομπές σε δομές και υπηρεσίες",
                "Referral to shelters, care and support services",
            ),
            ("Συμβουλευτική απασχόλησης", "Employment counselling"),
            (
                "Ψυχοκοινωνική στήριξη παιδιών, ενηλίκων και οικογενειών",
                "Psychosocial support for children, adults and families",
            ),
            ("Μαθησιακή στήριξη παιδιών", "Learning support for children"),
            (
                "Νοσηλευτής και επισκέπτης υγείας",
                "Nurse and health visitor",
            ),
            (
                "Διαμεσολάβηση για Ρομά και ευπαθείς ομάδες",
                "Mediation for Roma and vulnerable groups",
            ),
        ];
        let desks = [
            ("Γραφείο διαμεσολαβητή", "Mediator's office"),
            ("Αίθουσα παιδιών", "Children's room"),
            ("Γραφείο 3", "Office 3"),
        ];
        let call = |i: usize| CallLine {
            key: (format!("A{i:03}"), 1, 0),
            number: format!(
                "{}{:03}",
                ["A", "B", "E", "P", "L", "H", "R"][i % 7],
                100 + i
            ),
            desk: words(desks[i % 3].0, desks[i % 3].1),
            recalled: false,
        };
        let mut all: Vec<CallLine> = (0..calls).map(call).collect();
        let headline = (!all.is_empty()).then(|| all.remove(0));
        View {
            site: words(
                "Κέντρο Κοινότητας Χίου — Παράρτημα Ρομά",
                "Chios Community Centre — Roma branch",
            ),
            clock: "10:05".into(),
            date: words("Τετάρτη 23 Σεπτεμβρίου 2026", "Wednesday 23 September 2026"),
            link: Link::Online,
            banner: None,
            now_calling: words("Καλείται", "Now calling"),
            headline,
            previous_label: words("Προηγούμενες κλήσεις", "Previous calls"),
            previous: all,
            waiting_label: words("Σε αναμονή", "Waiting"),
            queues: (0..services)
                .map(|i| QueueLine {
                    prefix: ["A", "B", "E", "P", "L", "H", "R"][i % 7].into(),
                    service: words(names[i % 7].0, names[i % 7].1),
                    waiting: 100 + i as u32,
                })
                .collect(),
            no_calls: words("Καμία κλήση ακόμη", "No calls yet"),
            ticker: Some(
                "Οι υπηρεσίες του Κέντρου Κοινότητας παρέχονται δωρεάν. Την Παρασκευή 25 \
                 Σεπτεμβρίου το Κέντρο θα είναι κλειστό λόγω απεργίας· οι ραντεβού της \
                 ημέρας μεταφέρονται στη Δευτέρα."
                    .into(),
            ),
        }
    }

    const SCREENS: [(f32, f32); 6] = [
        (1280.0, 720.0),
        (1366.0, 768.0),
        (1920.0, 1080.0),
        (3840.0, 2160.0),
        (1080.0, 1920.0),
        (720.0, 1280.0),
    ];

    #[test]
    fn every_screen_holds_the_worst_hour() {
        for (width, height) in SCREENS {
            for services in [1, 4, 7, 12] {
                for calls in [0, 1, 3, 10] {
                    let view = worst(calls, services);
                    let fitted = fit(&view, width, height, 0);
                    let at = format!("{width}×{height}, {services} services, {calls} calls");
                    assert!(
                        fitted.needed_height <= fitted.screen_height + 0.01,
                        "{at}: needs {:.1} of {:.1} vmin",
                        fitted.needed_height,
                        fitted.screen_height
                    );
                    assert_eq!(fitted.view.headline.is_some(), calls > 0, "{at}");
                    assert!(fitted.view.ticker.is_some(), "{at}: the ticker stays");
                    assert!(fitted.calls_scale >= 0.56, "{at}");
                    // Every service is on some page.
                    let pages = fitted.page.map_or(1, |(_, n)| n);
                    let seen: usize = (0..pages as i64)
                        .map(|step| fit(&view, width, height, step).view.queues.len())
                        .sum();
                    assert_eq!(seen, services, "{at}: every service on a page");
                }
            }
        }
    }

    #[test]
    fn a_busy_hour_shows_several_previous_calls() {
        for (width, height) in SCREENS {
            let fitted = fit(&worst(10, 7), width, height, 0);
            assert!(
                fitted.view.previous.len() >= 3,
                "{width}×{height}: only {} previous calls",
                fitted.view.previous.len()
            );
        }
        // A quiet moment keeps the largest type.
        assert_eq!(fit(&worst(2, 4), 1920.0, 1080.0, 0).calls_scale, 1.0);
    }

    #[test]
    fn long_names_are_cut_with_an_ellipsis_and_the_pages_turn_with_the_ticker() {
        let fitted = fit(&worst(3, 7), 1920.0, 1080.0, 0);
        let first = &fitted.view.queues[0].service;
        assert!(first.main.ends_with('…'), "{}", first.main);
        assert!(
            first.main.starts_with("Επιδόματα: Ελάχιστο"),
            "{}",
            first.main
        );
        if let Some((page, pages)) = fitted.page {
            assert_eq!(page, 1);
            let next = fit(&worst(3, 7), 1920.0, 1080.0, 1);
            assert_eq!(next.page, Some((2, pages)));
            assert_ne!(next.view.queues[0].prefix, fitted.view.queues[0].prefix);
        }
    }

    #[test]
    fn pages_are_even() {
        assert_eq!(paginate(&[5.0; 8], 40.0), [0..4, 4..8]);
        assert_eq!(
            paginate(&[5.0; 3], 40.0),
            vec![std::ops::Range { start: 0, end: 3 }]
        );
        assert_eq!(paginate(&[5.0; 7], 20.0), [0..3, 3..6, 6..7]);
        assert_eq!(paginate(&[], 20.0).len(), 1);
    }

    #[test]
    fn measuring_and_cutting() {
        let m = Metrics::get();
        assert!(m.width("ΩΩΩ", true, 10.0) > m.width("iii", true, 10.0));
        let lines = m.wrap("ένα δύο τρία τέσσερα πέντε", false, 10.0, 80.0);
        assert!(lines.len() > 1 && lines.iter().all(|l| m.width(l, false, 10.0) <= 80.0));
        let (cut, n) = m.fit_lines("ένα δύο τρία τέσσερα πέντε έξι", false, 10.0, 80.0, 1);
        assert_eq!(n, 1);
        assert!(
            cut.ends_with('…') && m.width(&cut, false, 10.0) <= 80.0,
            "{cut}"
        );
        assert_eq!(
            m.fit_lines("σύντομο", false, 10.0, 400.0, 1),
            ("σύντομο".into(), 1)
        );
    }
}
