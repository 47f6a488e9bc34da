//! The seira server: the queue engine, the SQLite store and the HTTP API v1.
//!
//! - [`queue`]: the rules, pure functions with no IO and no clock.
//! - [`store`]: SQLite, the only module with SQL.
//! - [`engine`]: each API operation as one transaction over the store, using the rules.
//! - [`http`]: axum routes, errors, authentication and sessions, the event stream.
//! - [`pages`]: the browser pages (sign-in, desk, phone, board), with [`i18n`] their texts.
//! - [`config`]: the configuration file, validated.
//! - [`auth`]: roles, tokens and who may do what.

pub mod auth;
pub mod config;
pub mod demo;
pub mod engine;
pub mod http;
pub mod i18n;
pub mod live;
pub mod pages;
pub mod queue;
pub mod stats;
pub mod store;

pub use http::{App, run};
