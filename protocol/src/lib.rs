//! seira's wire protocol: the JSON types of HTTP API v1 ([`types`]) and the HTTP client that the
//! kiosk and the lobby display use to talk to the server ([`client`]).

pub mod admin;
pub mod appointments;
pub mod citizens;
pub mod client;
pub mod fingerprint;
pub mod tls;
pub mod types;

pub use appointments::*;
pub use citizens::*;
pub use client::{Client, ClientError};
pub use types::*;
