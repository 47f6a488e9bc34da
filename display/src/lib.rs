//! The lobby display: the board of called tickets, shown large and spoken aloud.
//!
//! - [`board`]: the board kept live from the event stream, nothing missed or repeated.
//! - [`announce`]: what is said for a call, in Greek first ("Ο αριθμός άλφα δώδεκα, στο
//!   Γραφείο ένα"), then optionally in English.
//!
//! The window (bevy), the board's live state from the event stream and the speech queue come
//! with the rest of issue #6.

pub mod announce;
pub mod board;
