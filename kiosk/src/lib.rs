//! The touch kiosk at a Community Centre's entrance: a ticket in two touches, in the citizen's
//! language, printed and spoken.
//!
//! - [`model`]: what the kiosk shows and does, a state machine with no IO (tested here).
//! - [`texts`]: its words in Greek, English, Arabic, Farsi, Ukrainian and Albanian.

pub mod model;
pub mod texts;
