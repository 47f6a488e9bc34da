//! The board in bevy: the feed's updates applied to the [`Live`] board, the calls handed to
//! the speaker, and the [`View`] laid out on screen. The screen is built anew only when what
//! it shows changes; between changes the app sleeps (reactive mode) until the next minute of
//! the clock, the next ticker line, or an update from the feed, whichever comes first.

use std::sync::Mutex;
use std::sync::mpsc::Receiver;
use std::time::{Duration, Instant};

use bevy::prelude::*;
use bevy::text::FontSize;
use bevy::window::{PrimaryWindow, RequestRedraw};
use bevy::winit::{UpdateMode, WinitSettings};
use jiff::tz::TimeZone;

use crate::board::{Announcement, BoardState};
use crate::feed::Update;
use crate::fit::{self, Fitted};
use crate::speech::Speaker;
use crate::view::{self, CallLine, Link, Orientation, QueueLine, View, Words};

/// A call older than this when it reaches the screen (it was cut off for a while) is shown
/// but not spoken: people would go to a desk that has long moved on.
const SPEAK_WITHIN: jiff::SignedDuration = jiff::SignedDuration::from_secs(180);
/// The newest call blinks this long when it arrives...
const BLINK_FOR: Duration = Duration::from_secs(4);
/// ...switching this often.
const BLINK_STEP: Duration = Duration::from_millis(400);

/// The board as the feed keeps it.
#[derive(Resource, Default)]
pub struct Live {
    pub state: Option<BoardState>,
    /// `None` until the feed has said anything.
    pub online: Option<bool>,
}

impl Live {
    pub fn receive(&mut self, update: Update) {
        match update {
            Update::Board(board) => match &mut self.state {
                Some(state) => state.reload(*board),
                None => self.state = Some(BoardState::new(*board)),
            },
            Update::Event(event) => {
                if let Some(state) = &mut self.state {
                    state.apply(&event);
                }
            }
            Update::Online => self.online = Some(true),
            Update::Offline(_) => self.online = Some(false),
        }
    }
}

/// The feed's end of the line.
#[derive(Resource)]
pub struct Updates(pub Mutex<Receiver<Update>>);

/// Who says the calls aloud; without one, calls stay in the board's queue (headless tests).
#[derive(Resource)]
pub struct Voice(pub Speaker);

/// The screen's languages, main first.
#[derive(Resource, Clone)]
pub struct Languages(pub Vec<String>);

/// Which language the second line is in (fixed when not set).
#[derive(Resource, Debug, Clone, Copy, Default)]
pub struct Second(pub view::SecondLine);

/// The clock's time zone.
#[derive(Resource, Clone)]
pub struct Zone(pub TimeZone);

/// The bundled faces (DejaVu Sans: bevy's own font has no Greek).
#[derive(Resource, Default, Clone)]
pub struct Fonts {
    pub regular: Handle<Font>,
    pub bold: Handle<Font>,
}

/// What is on screen now.
#[derive(Resource, Default)]
pub struct Shown {
    /// Everything there is to show.
    pub view: Option<View>,
    /// What of it fits the screen, and how large.
    pub fitted: Option<Fitted>,
    orientation: Option<Orientation>,
    /// The newest call blinks until then.
    blink_until: Option<Instant>,
    /// Bumped each time the screen is built anew.
    pub builds: u64,
}

/// The board's systems, for ordering others after them.
#[derive(SystemSet, Debug, Clone, PartialEq, Eq, Hash)]
pub struct ShowSet;

#[derive(Component)]
struct BoardRoot;

#[derive(Component)]
struct Headline;

/// The board's logic and layout; the window, fonts and sound are set up by [`crate::run`].
pub struct BoardPlugin;

impl Plugin for BoardPlugin {
    fn build(&self, app: &mut App) {
        app.init_resource::<Live>()
            .init_resource::<Shown>()
            .init_resource::<Fonts>()
            .add_message::<RequestRedraw>()
            .add_systems(Startup, spawn_root)
            .add_systems(
                Update,
                (receive, announce, show, blink, schedule_next_update)
                    .chain()
                    .in_set(ShowSet),
            );
    }
}

fn spawn_root(mut commands: Commands) {
    commands.spawn(Camera2d);
    commands.spawn((
        BoardRoot,
        Node {
            width: percent(100),
            height: percent(100),
            flex_direction: FlexDirection::Column,
            ..default()
        },
        BackgroundColor(NAVY),
    ));
}

fn receive(updates: Option<Res<Updates>>, mut live: ResMut<Live>) {
    let Some(updates) = updates else { return };
    let Ok(updates) = updates.0.lock() else {
        return;
    };
    while let Ok(update) = updates.try_recv() {
        live.receive(update);
    }
}

fn announce(mut live: ResMut<Live>, voice: Option<Res<Voice>>) {
    let Some(voice) = voice else { return };
    let Some(state) = live.state.as_mut() else {
        return;
    };
    let now = jiff::Timestamp::now();
    while let Some(call) = state.to_announce.pop_front() {
        if fresh(&call, now) {
            voice.0.say(call);
        }
    }
}

fn fresh(call: &Announcement, now: jiff::Timestamp) -> bool {
    now.duration_since(call.called_at) <= SPEAK_WITHIN
}

/// The window's size in logical pixels (a 1080p screen when there is no window: the
/// headless tests).
fn screen_size(window: Option<Single<&Window, With<PrimaryWindow>>>) -> (f32, f32) {
    window.map_or((1920.0, 1080.0), |w| {
        (w.resolution.width(), w.resolution.height())
    })
}

#[allow(clippy::too_many_arguments)]
fn show(
    mut commands: Commands,
    live: Res<Live>,
    languages: Option<Res<Languages>>,
    second: Option<Res<Second>>,
    zone: Option<Res<Zone>>,
    fonts: Res<Fonts>,
    window: Option<Single<&Window, With<PrimaryWindow>>>,
    root: Single<Entity, With<BoardRoot>>,
    mut shown: ResMut<Shown>,
) {
    let languages = languages.map_or_else(|| vec!["el".to_owned()], |l| l.0.clone());
    let zone = zone.map_or_else(athens, |z| z.0.clone());
    let now = jiff::Timestamp::now().to_zoned_datetime(zone);
    let second = second.map_or_else(Default::default, |s| s.0);
    let view = view::view(live.state.as_ref(), live.online, (&languages, second), &now);
    let (width, height) = screen_size(window);
    let orientation = Orientation::of(width, height);
    let step = now.timestamp().as_second().div_euclid(view::TICKER_SECONDS);
    let fitted = fit::fit(&view, width, height, step);
    if shown.fitted.as_ref() == Some(&fitted) && shown.orientation == Some(orientation) {
        return;
    }
    // A new call on top (not the first board) blinks.
    let headline = |v: &View| v.headline.as_ref().map(|h| h.key.clone());
    if let (Some(new), Some(before)) = (headline(&view), &shown.view)
        && Some(new) != headline(before)
    {
        shown.blink_until = Some(Instant::now() + BLINK_FOR);
    }
    commands.entity(*root).despawn_children();
    commands
        .entity(*root)
        .with_children(|root| lay_out(root, &fitted, orientation, &fonts));
    shown.view = Some(view);
    shown.fitted = Some(fitted);
    shown.orientation = Some(orientation);
    shown.builds += 1;
}

/// The zone used when none is set.
pub fn athens() -> TimeZone {
    TimeZone::get("Europe/Athens").unwrap_or(TimeZone::UTC)
}

fn blink(
    mut shown: ResMut<Shown>,
    mut cards: Query<&mut BackgroundColor, With<Headline>>,
    mut redraw: MessageWriter<RequestRedraw>,
) {
    let Some(until) = shown.blink_until else {
        return;
    };
    let now = Instant::now();
    let lit = if now >= until {
        shown.blink_until = None;
        true
    } else {
        redraw.write(RequestRedraw);
        let left = until - now;
        (left.as_millis() / BLINK_STEP.as_millis()).is_multiple_of(2)
    };
    for mut colour in &mut cards {
        colour.0 = if lit { AMBER } else { AMBER_DIM };
    }
}

/// Sleeps until something on screen must change by itself: the blink's next step, the
/// clock's next minute or the ticker's next line. Updates from the feed wake it earlier.
///
/// bevy wakes every `wait` counted from the previous planned wake-up (so without drift), and
/// draws an extra frame whenever the update mode changes. So the mode is changed as seldom as
/// possible: once to reach the next minute (or ticker line), then to the steady period, which
/// then stays on the beat with one frame per period.
fn schedule_next_update(
    shown: Res<Shown>,
    zone: Option<Res<Zone>>,
    settings: Option<ResMut<WinitSettings>>,
    mut beat: Local<Beat>,
) {
    let Some(mut settings) = settings else { return };
    let mode = if shown.blink_until.is_some() {
        *beat = Beat::Off;
        UpdateMode::reactive_low_power(BLINK_STEP / 2)
    } else {
        // The ticker's lines and the waiting panel's pages turn every ticker period.
        let has_ticker = shown
            .fitted
            .as_ref()
            .is_some_and(|f| f.view.ticker.is_some() || f.page.is_some());
        let period = Duration::from_secs(if has_ticker {
            view::TICKER_SECONDS as u64
        } else {
            60
        });
        let now = jiff::Timestamp::now();
        match *beat {
            Beat::On(p) if p == period => return,
            Beat::Aligning(p, until) if p == period && now < until => return,
            Beat::Aligning(p, _) if p == period => {
                *beat = Beat::On(period);
                UpdateMode::reactive_low_power(period)
            }
            _ => {
                let zone = zone.map_or_else(athens, |z| z.0.clone());
                let next = next_change(&now.to_zoned_datetime(zone), has_ticker);
                *beat = Beat::Aligning(period, next);
                let wait = Duration::try_from(next.duration_since(now)).unwrap_or_default()
                    // Wake a hair late rather than early, so that the minute has turned.
                    + Duration::from_millis(30);
                UpdateMode::reactive_low_power(wait)
            }
        }
    };
    // Under a window manager that never focuses the lobby screen (or under Xvfb) the
    // unfocused mode is the one in force: both sleep alike.
    if settings.focused_mode != mode || settings.unfocused_mode != mode {
        settings.focused_mode = mode;
        settings.unfocused_mode = mode;
    }
}

/// Where the screen's wake-ups stand.
#[derive(Default, Clone, Copy, PartialEq, Eq, Debug)]
enum Beat {
    /// Blinking (or not started): the next quiet moment aligns anew.
    #[default]
    Off,
    /// Waiting for the first minute (or ticker line) of a period.
    Aligning(Duration, jiff::Timestamp),
    /// Waking once a period, on the beat.
    On(Duration),
}

/// When the screen next changes by itself: the clock's next minute, or the ticker's next
/// line when there is a ticker.
pub fn next_change(now: &jiff::ZonedDateTime, has_ticker: bool) -> jiff::Timestamp {
    let step = if has_ticker { view::TICKER_SECONDS } else { 60 };
    let second = now.timestamp().as_second();
    // Whole minutes of the zone's clock: offsets are whole minutes in every zone in use.
    let local = second + i64::from(now.offset().seconds());
    let next_local = (local.div_euclid(step) + 1) * step;
    jiff::Timestamp::from_second(next_local - i64::from(now.offset().seconds()))
        .unwrap_or(now.timestamp())
}

// Colours: white and amber on deep navy, all well above WCAG AA contrast.
const NAVY: Color = Color::srgb(0.04, 0.12, 0.23);
const NAVY_LIGHT: Color = Color::srgb(0.07, 0.18, 0.33);
const NAVY_DARK: Color = Color::srgb(0.02, 0.07, 0.15);
const AMBER: Color = Color::srgb(1.0, 0.80, 0.20);
const AMBER_DIM: Color = Color::srgb(0.55, 0.42, 0.10);
const INK: Color = Color::srgb(0.05, 0.05, 0.08);
const WHITE: Color = Color::WHITE;
const PALE: Color = Color::srgb(0.72, 0.80, 0.90);
const ALERT: Color = Color::srgb(0.70, 0.12, 0.10);

/// Text sizes are in hundredths of the screen's shorter side, so that a 1080p TV, a 4K TV
/// and a portrait screen all read alike.
fn text(
    fonts: &Fonts,
    bold: bool,
    size: f32,
    colour: Color,
    words: impl Into<String>,
) -> impl Bundle {
    (
        Text::new(words),
        TextFont {
            font: if bold {
                fonts.bold.clone()
            } else {
                fonts.regular.clone()
            }
            .into(),
            font_size: FontSize::VMin(size),
            ..default()
        },
        TextColor(colour),
    )
}

fn column() -> Node {
    Node {
        flex_direction: FlexDirection::Column,
        ..default()
    }
}

/// The board, top to bottom: banner, header, body, ticker. The header and the ticker keep
/// their height; the body takes the rest and clips (min height 0), so that whatever
/// happens the ticker is never pushed off the screen. [`fit`] has already chosen what fits.
fn lay_out(
    root: &mut ChildSpawnerCommands,
    fitted: &Fitted,
    orientation: Orientation,
    fonts: &Fonts,
) {
    let view = &fitted.view;
    if let Some(banner) = &view.banner {
        root.spawn((
            Node {
                padding: UiRect::axes(vmin(fit::BANNER_PAD.0), vmin(fit::BANNER_PAD.1)),
                flex_direction: FlexDirection::Column,
                flex_shrink: 0.0,
                ..default()
            },
            BackgroundColor(if view.link == Link::Offline {
                ALERT
            } else {
                NAVY_LIGHT
            }),
        ))
        .with_children(|b| {
            words(
                b,
                fonts,
                banner,
                fit::BANNER,
                fit::BANNER_SECOND,
                WHITE,
                true,
            )
        });
    }
    header(root, view, orientation, fonts);
    let portrait = orientation == Orientation::Portrait;
    root.spawn(Node {
        flex_grow: 1.0,
        flex_shrink: 1.0,
        min_height: px(0),
        flex_direction: if portrait {
            FlexDirection::Column
        } else {
            FlexDirection::Row
        },
        padding: UiRect::all(vmin(fit::BODY_PAD)),
        column_gap: vmin(fit::BODY_GAP),
        row_gap: vmin(fit::BODY_GAP),
        overflow: Overflow::clip(),
        ..default()
    })
    .with_children(|body| {
        body.spawn(Node {
            flex_direction: FlexDirection::Column,
            flex_basis: if portrait {
                auto()
            } else {
                percent(fit::CALLS_SHARE * 100.0)
            },
            flex_grow: 1.0,
            flex_shrink: 1.0,
            min_height: px(0),
            min_width: px(0),
            row_gap: vmin(fit::CALLS_GAP),
            overflow: Overflow::clip(),
            ..default()
        })
        .with_children(|calls| calls_panel(calls, fitted, fonts));
        body.spawn((
            Node {
                flex_direction: FlexDirection::Column,
                flex_basis: match fitted.queues_height {
                    Some(height) => vmin(height),
                    None => percent((1.0 - fit::CALLS_SHARE) * 100.0),
                },
                flex_grow: 0.0,
                flex_shrink: 0.0,
                min_width: px(0),
                padding: UiRect::all(vmin(fit::QUEUES_PAD)),
                row_gap: vmin(fit::QUEUES_GAP),
                border_radius: BorderRadius::all(vmin(1.5)),
                overflow: Overflow::clip(),
                ..default()
            },
            BackgroundColor(NAVY_LIGHT),
        ))
        .with_children(|queues| queues_panel(queues, fitted, fonts));
    });
    if let Some(line) = &view.ticker {
        root.spawn((
            Node {
                padding: UiRect::axes(vmin(fit::TICKER_PAD.0), vmin(fit::TICKER_PAD.1)),
                flex_shrink: 0.0,
                ..default()
            },
            BackgroundColor(NAVY_DARK),
        ))
        .with_children(|t| {
            t.spawn(text(fonts, false, fit::TICKER, WHITE, line.clone()));
        });
    }
}

/// A text with its second-language line under it, smaller and paler.
fn words(
    parent: &mut ChildSpawnerCommands,
    fonts: &Fonts,
    words: &Words,
    size: f32,
    second_size: f32,
    colour: Color,
    bold: bool,
) {
    parent.spawn(text(fonts, bold, size, colour, words.main.clone()));
    if let Some(second) = &words.second {
        let pale = if colour == INK { INK } else { PALE };
        parent.spawn(text(fonts, false, second_size, pale, second.clone()));
    }
}

fn header(root: &mut ChildSpawnerCommands, view: &View, orientation: Orientation, fonts: &Fonts) {
    // Landscape: the centre's name left, the date and clock right. Portrait has no room for
    // both side by side: the name goes above the date and clock.
    let portrait = orientation == Orientation::Portrait;
    root.spawn((
        Node {
            flex_direction: if portrait {
                FlexDirection::Column
            } else {
                FlexDirection::Row
            },
            justify_content: JustifyContent::SpaceBetween,
            align_items: if portrait {
                AlignItems::Stretch
            } else {
                AlignItems::Center
            },
            padding: UiRect::axes(vmin(fit::HEADER_PAD.0), vmin(fit::HEADER_PAD.1)),
            column_gap: vmin(fit::HEADER_GAP),
            row_gap: vmin(1),
            flex_shrink: 0.0,
            ..default()
        },
        BackgroundColor(NAVY_DARK),
    ))
    .with_children(|h| {
        h.spawn(Node {
            flex_shrink: 1.0,
            min_width: px(0),
            ..column()
        })
        .with_children(|site| {
            words(
                site,
                fonts,
                &view.site,
                fit::SITE,
                fit::SITE_SECOND,
                WHITE,
                true,
            )
        });
        // The clock and date keep their room; a long centre name wraps instead.
        h.spawn(Node {
            align_items: AlignItems::Center,
            justify_content: JustifyContent::SpaceBetween,
            column_gap: vmin(fit::CLOCK_GAP),
            flex_shrink: 0.0,
            ..default()
        })
        .with_children(|clock| {
            clock
                .spawn(Node {
                    align_items: if portrait {
                        AlignItems::Start
                    } else {
                        AlignItems::End
                    },
                    ..column()
                })
                .with_children(|date| {
                    words(
                        date,
                        fonts,
                        &view.date,
                        fit::DATE,
                        fit::DATE_SECOND,
                        WHITE,
                        false,
                    )
                });
            clock.spawn(text(fonts, true, fit::CLOCK, WHITE, view.clock.clone()));
        });
    });
}

fn calls_panel(calls: &mut ChildSpawnerCommands, fitted: &Fitted, fonts: &Fonts) {
    let view = &fitted.view;
    let s = fitted.calls_scale;
    label(calls, fonts, &view.now_calling, None);
    match &view.headline {
        Some(call) => {
            calls
                .spawn((
                    Headline,
                    Node {
                        flex_direction: FlexDirection::Column,
                        align_items: AlignItems::Center,
                        padding: UiRect::axes(vmin(fit::CARD_PAD.0 * s), vmin(fit::CARD_PAD.1 * s)),
                        border_radius: BorderRadius::all(vmin(2)),
                        flex_shrink: 0.0,
                        ..default()
                    },
                    BackgroundColor(AMBER),
                ))
                .with_children(|card| {
                    card.spawn(text(fonts, true, fit::NUMBER * s, INK, call.number.clone()));
                    card.spawn(Node {
                        column_gap: vmin(fit::DESK_GAP * s),
                        align_items: AlignItems::Center,
                        ..default()
                    })
                    .with_children(|desk| {
                        desk.spawn(text(fonts, true, fitted.desk_size, INK, "→"));
                        desk.spawn(text(
                            fonts,
                            true,
                            fitted.desk_size,
                            INK,
                            call.desk.main.clone(),
                        ));
                    });
                    if let Some(second) = &call.desk.second {
                        card.spawn(text(
                            fonts,
                            false,
                            fit::DESK_SECOND * s,
                            INK,
                            second.clone(),
                        ));
                    }
                });
        }
        None => {
            calls.spawn(text(
                fonts,
                false,
                fit::NO_CALLS,
                PALE,
                view.no_calls.main.clone(),
            ));
        }
    }
    if !view.previous.is_empty() {
        calls
            .spawn(Node {
                margin: UiRect::top(vmin(fit::PREVIOUS_MARGIN)),
                flex_shrink: 0.0,
                ..column()
            })
            .with_children(|l| label(l, fonts, &view.previous_label, None));
        for call in &view.previous {
            previous_call(calls, call, s, fonts);
        }
    }
}

fn previous_call(calls: &mut ChildSpawnerCommands, call: &CallLine, s: f32, fonts: &Fonts) {
    calls
        .spawn((
            Node {
                align_items: AlignItems::Center,
                column_gap: vmin(fit::PREVIOUS_GAP * s),
                padding: UiRect::axes(vmin(fit::PREVIOUS_PAD.0 * s), vmin(fit::PREVIOUS_PAD.1 * s)),
                border_radius: BorderRadius::all(vmin(1)),
                flex_shrink: 0.0,
                ..default()
            },
            BackgroundColor(NAVY_LIGHT),
        ))
        .with_children(|row| {
            row.spawn(Node {
                width: vmin(fit::PREVIOUS_NUMBER_BOX * s),
                flex_shrink: 0.0,
                ..default()
            })
            .with_children(|n| {
                n.spawn(text(
                    fonts,
                    true,
                    fit::PREVIOUS_NUMBER * s,
                    AMBER,
                    call.number.clone(),
                ));
            });
            row.spawn(text(fonts, false, fit::PREVIOUS_DESK * s, PALE, "→"));
            row.spawn(text(
                fonts,
                true,
                fit::PREVIOUS_DESK * s,
                WHITE,
                call.desk.main.clone(),
            ));
        });
}

fn queues_panel(queues: &mut ChildSpawnerCommands, fitted: &Fitted, fonts: &Fonts) {
    let page = fitted.page.map(|(page, pages)| format!("{page}/{pages}"));
    label(queues, fonts, &fitted.view.waiting_label, page);
    for queue in &fitted.view.queues {
        queue_line(queues, queue, fonts);
    }
}

fn queue_line(queues: &mut ChildSpawnerCommands, queue: &QueueLine, fonts: &Fonts) {
    queues
        .spawn(Node {
            align_items: AlignItems::Center,
            column_gap: vmin(fit::QUEUE_GAP),
            flex_shrink: 0.0,
            ..default()
        })
        .with_children(|row| {
            row.spawn((
                Node {
                    width: vmin(fit::BADGE),
                    height: vmin(fit::BADGE),
                    justify_content: JustifyContent::Center,
                    align_items: AlignItems::Center,
                    border_radius: BorderRadius::all(vmin(1)),
                    flex_shrink: 0.0,
                    ..default()
                },
                BackgroundColor(AMBER),
            ))
            .with_children(|badge| {
                badge.spawn(text(
                    fonts,
                    true,
                    fit::BADGE_TEXT,
                    INK,
                    queue.prefix.clone(),
                ));
            });
            row.spawn(Node {
                flex_grow: 1.0,
                flex_shrink: 1.0,
                min_width: px(0),
                ..column()
            })
            .with_children(|name| {
                words(
                    name,
                    fonts,
                    &queue.service,
                    fit::NAME,
                    fit::NAME_SECOND,
                    WHITE,
                    false,
                )
            });
            row.spawn(text(
                fonts,
                true,
                fit::COUNT,
                WHITE,
                queue.waiting.to_string(),
            ));
        });
}

/// A panel's heading, its second language beside it, and (when the panel pages) which page.
fn label(parent: &mut ChildSpawnerCommands, fonts: &Fonts, label: &Words, page: Option<String>) {
    parent
        .spawn(Node {
            column_gap: vmin(1.5),
            align_items: AlignItems::Baseline,
            flex_shrink: 0.0,
            ..default()
        })
        .with_children(|l| {
            l.spawn(text(fonts, true, fit::LABEL, PALE, label.main.clone()));
            if let Some(second) = &label.second {
                l.spawn(text(fonts, false, fit::LABEL_SECOND, PALE, second.clone()));
            }
            if let Some(page) = page {
                l.spawn(text(fonts, false, fit::LABEL_SECOND, PALE, page));
            }
        });
}

#[cfg(test)]
mod tests {
    use super::*;

    fn at(time: &str) -> jiff::ZonedDateTime {
        time.parse().unwrap()
    }

    #[test]
    fn the_screen_wakes_for_the_next_minute_or_ticker_line() {
        let now = at("2026-11-23T10:05:09.5+02:00[Europe/Athens]");
        assert_eq!(
            next_change(&now, false),
            "2026-11-23T08:06:00Z".parse::<jiff::Timestamp>().unwrap()
        );
        assert_eq!(
            next_change(&now, true),
            "2026-11-23T08:05:10Z".parse::<jiff::Timestamp>().unwrap()
        );
        // On the minute itself, the next minute.
        let now = at("2026-11-23T10:06:00+02:00[Europe/Athens]");
        assert_eq!(
            next_change(&now, false),
            "2026-11-23T08:07:00Z".parse::<jiff::Timestamp>().unwrap()
        );
    }
}
