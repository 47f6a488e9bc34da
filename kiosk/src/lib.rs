//! The touch kiosk at a Community Centre's entrance: a ticket in two touches, in the citizen's
//! language, printed and spoken.
//!
//! - [`model`]: what the kiosk shows and does, a state machine with no IO (tested here).
//! - [`focus`]: the kiosk without sight: a keypad moves a spoken focus over the screen.
//! - [`voice`]: how loud it speaks, in steps a keypad sets.
//! - [`texts`]: its words in Greek, English, Arabic, Farsi, Ukrainian and Albanian.
//! - [`worker`]: the server, the printer and the speaker, on threads of their own.
//! - [`app`]: the egui screen.

pub mod app;
pub mod focus;
pub mod model;
pub mod texts;
pub mod voice;
pub mod worker;

pub use app::KioskApp;
pub use model::Settings;
pub use seira_voice::Output as SpeechOutput;
pub use worker::Setup;

/// Opens the kiosk window: full screen without decorations (no way out by touch), or a
/// normal window for development.
pub fn run(settings: Settings, setup: Setup, windowed: bool) -> Result<(), eframe::Error> {
    let viewport = if windowed {
        egui::ViewportBuilder::default()
            .with_title("seira kiosk")
            .with_inner_size([1080.0, 1600.0 * 0.6])
    } else {
        egui::ViewportBuilder::default()
            .with_title("seira kiosk")
            .with_fullscreen(true)
            .with_decorations(false)
    };
    let options = eframe::NativeOptions {
        viewport,
        ..Default::default()
    };
    eframe::run_native(
        "seira kiosk",
        options,
        Box::new(move |cc| Ok(Box::new(KioskApp::new(&cc.egui_ctx, settings, setup)))),
    )
}
