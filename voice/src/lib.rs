//! The voice the kiosk and the lobby display share: espeak-ng. Each speaks its own way (the
//! kiosk cuts a sentence short when the person moves on; the display queues whole calls
//! after a chime), but both are told the same thing about where the sound goes
//! ([`Output`]), and both check at start which of their languages espeak-ng can say
//! ([`voiceless`]).

mod output;
mod voices;

pub use output::Output;
pub use voices::voiceless;
