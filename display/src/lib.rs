//! The lobby display: the board of called tickets, shown large and spoken aloud.
//!
//! - [`board`]: the board kept live from the event stream, nothing missed or repeated.
//! - [`feed`]: the line to the server (board, then events; reconnects with `Last-Event-ID`).
//! - [`view`]: every word on the screen, from the board and the clock (no bevy).
//! - [`fit`]: what of it fits the screen, and at which sizes (no bevy).
//! - [`screen`]: the bevy systems that lay the view out and sleep between changes.
//! - [`announce`]: what is said for a call in each of the six languages ("Ο αριθμός άλφα
//!   δώδεκα, στο Γραφείο ένα"; "الرقم إيه اثنا عشر…").
//! - [`speech`]: the chime and espeak-ng, one call after another, on a thread of its own.

pub mod announce;
pub mod board;
pub mod feed;
pub mod fit;
pub mod screen;
pub mod speech;
pub mod view;

use std::path::PathBuf;
use std::sync::Mutex;

use bevy::log::LogPlugin;
use bevy::prelude::*;
use bevy::render::view::screenshot::{Screenshot, ScreenshotCaptured, save_to_disk};
use bevy::window::{PrimaryWindow, RequestRedraw, WindowMode, WindowResolution};
use bevy::winit::{EventLoopProxyWrapper, WinitSettings, WinitUserEvent};
use seira_protocol::client::Client;

use screen::{BoardPlugin, Fonts, Languages, Live, Second, Shown, Updates, Voice, Zone};
use view::Link;

/// How the display runs.
#[derive(Debug, Clone)]
pub struct Settings {
    pub server: String,
    pub site: String,
    pub token: String,
    /// Over https: trust only the server certificate with this fingerprint.
    pub pin: Option<seira_protocol::fingerprint::Fingerprint>,
    /// The screen's languages, main first (Greek, then English under it).
    pub languages: Vec<String>,
    /// Which of them the second line is in: fixed, in turn, or the newest call's.
    pub second_line: view::SecondLine,
    /// The languages each call is spoken in, in order.
    pub speak: Vec<String>,
    pub sound: speech::Output,
    /// A normal window (for development) instead of full screen.
    pub windowed: bool,
    /// The window's size when windowed.
    pub size: (u32, u32),
    /// Save a screenshot here once the board is on screen, then quit: for checking a setup,
    /// and for the tests.
    pub screenshot: Option<PathBuf>,
    pub zone: jiff::tz::TimeZone,
}

#[derive(Debug, thiserror::Error)]
pub enum DisplayError {
    #[error("cannot reach the server: {0}")]
    Client(#[from] seira_protocol::client::ClientError),
    #[error("cannot start the display: {0}")]
    Io(#[from] std::io::Error),
    #[error("the display stopped with an error ({0})")]
    Exit(u8),
}

const FONT: &[u8] = include_bytes!("../../assets/fonts/DejaVuSans.ttf");
const FONT_BOLD: &[u8] = include_bytes!("../../assets/fonts/DejaVuSans-Bold.ttf");

/// Opens the display's window and runs until it is closed.
pub fn run(settings: Settings) -> Result<(), DisplayError> {
    let client = Client::pinned(&settings.server, Some(settings.token.clone()), settings.pin)?;
    let (updates, received) = std::sync::mpsc::channel();
    let voice = speech::Speaker::spawn(settings.sound.clone(), settings.speak.clone())?;

    let window = if settings.windowed || settings.screenshot.is_some() {
        Window {
            title: "Σειρά σας".into(),
            resolution: WindowResolution::new(settings.size.0, settings.size.1),
            ..default()
        }
    } else {
        Window {
            title: "Σειρά σας".into(),
            mode: WindowMode::BorderlessFullscreen(MonitorSelection::Primary),
            decorations: false,
            ..default()
        }
    };
    let mut app = App::new();
    app.add_plugins(
        DefaultPlugins
            .set(WindowPlugin {
                primary_window: Some(window),
                ..default()
            })
            // seira's own logging is set up already.
            .disable::<LogPlugin>(),
    )
    .insert_resource(WinitSettings::desktop_app())
    .insert_resource(ClearColor(Color::BLACK))
    .insert_resource(Updates(Mutex::new(received)))
    .insert_resource(Voice(voice))
    .insert_resource(Languages(settings.languages.clone()))
    .insert_resource(Second(settings.second_line))
    .insert_resource(Zone(settings.zone.clone()))
    .add_plugins(BoardPlugin)
    .add_systems(PreStartup, load_fonts);

    // The feed wakes the sleeping app when something arrives.
    let proxy = app
        .world()
        .get_resource::<EventLoopProxyWrapper>()
        .map(|proxy| (**proxy).clone());
    feed::spawn(client, settings.site.clone(), updates, move || {
        if let Some(proxy) = &proxy {
            let _ = proxy.send_event(WinitUserEvent::WakeUp);
        }
    })?;

    if let Some(path) = settings.screenshot {
        app.insert_resource(ScreenshotPlan {
            path,
            frames: 0,
            taken: false,
        })
        .add_systems(Update, take_screenshot.after(screen::ShowSet));
    }
    match app.run() {
        AppExit::Success => Ok(()),
        AppExit::Error(code) => Err(DisplayError::Exit(code.get())),
    }
}

fn load_fonts(mut fonts: ResMut<Fonts>, mut assets: ResMut<Assets<Font>>) {
    fonts.regular = assets.add(Font::from_bytes(FONT.to_vec()));
    fonts.bold = assets.add(Font::from_bytes(FONT_BOLD.to_vec()));
}

#[derive(Resource)]
struct ScreenshotPlan {
    path: PathBuf,
    /// Frames drawn since the board came: text is laid out a frame or two after it is built.
    frames: u32,
    taken: bool,
}

fn take_screenshot(
    mut commands: Commands,
    mut plan: ResMut<ScreenshotPlan>,
    shown: Res<Shown>,
    live: Res<Live>,
    window: Option<Single<Entity, With<PrimaryWindow>>>,
    mut redraw: MessageWriter<RequestRedraw>,
) {
    if window.is_none() {
        return;
    }
    // Keep drawing until the picture is saved: the capture is read back a frame or more later.
    redraw.write(RequestRedraw);
    if plan.taken {
        return;
    }
    let ready = live.state.is_some() && shown.view.as_ref().is_some_and(|v| v.link == Link::Online);
    if !ready {
        plan.frames = 0;
        return;
    }
    plan.frames += 1;
    if plan.frames < 8 {
        return;
    }
    plan.taken = true;
    commands
        .spawn(Screenshot::primary_window())
        .observe(save_to_disk(plan.path.clone()))
        .observe(
            |_: On<ScreenshotCaptured>, mut exit: MessageWriter<AppExit>| {
                exit.write(AppExit::Success);
            },
        );
}
