//! The queue engine: each operation of the API as one function over one database transaction.
//!
//! It glues the pure rules of [`crate::queue`] to the SQL of [`crate::store`]: load what the
//! rule needs, ask the rule, write the result, and append the events that record it. The
//! events are returned to the caller, which publishes them only after the commit.
//!
//! It is the one door for every change of state, whatever the entry (API, pages, CLI): it
//! decides who may, and records the event with its actor. One file per concept:
//! [`tickets`] (issue, call, state changes, transfer), [`desk_day`] (done-and-next, undo of a
//! no-show, the desk's list in calling order), [`desks`] (open, pause, close), [`settings`]
//! (the live configuration), [`accounts`] (users and tokens), [`devices`] (reporting in),
//! [`housekeeping`] (closing time, notes of ended visits) and [`views`] (the reads).

mod accounts;
mod desk_day;
mod desks;
mod devices;
mod housekeeping;
mod settings;
mod tickets;
mod views;

pub use desk_day::desk_queue;
use tickets::candidates;
pub use views::{
    DEVICE_ONLINE, LIST_LIMIT, board, desks, devices, figures, live_today, services, tickets,
    track, waiting,
};

use jiff::Timestamp;
use rusqlite::Transaction;
use seira_protocol::{ErrorCode, Event, EventKind, Ticket};

use crate::auth::Caller;
use crate::config::{Config, Site};
use crate::queue::lifecycle::TransitionError;
use crate::store::{self, EventRow, StoreError};

pub use seira_protocol::BOARD_CALLS;

/// Why an operation did not happen.
#[derive(Debug, thiserror::Error)]
pub enum EngineError {
    #[error("there is no {what} `{id}`")]
    NotFound { what: &'static str, id: String },
    #[error(transparent)]
    Transition(#[from] TransitionError),
    /// The request is well formed but the queue's state forbids it now.
    #[error("{message}")]
    Conflict { code: ErrorCode, message: String },
    /// A value is not acceptable.
    #[error("{message}")]
    Invalid { code: ErrorCode, message: String },
    /// Settings that are not valid, said in English and in Greek (the admin page's language).
    #[error("{message}")]
    InvalidSettings { message: String, message_el: String },
    #[error("{0}")]
    Forbidden(String),
    #[error(transparent)]
    Store(#[from] StoreError),
}

impl From<rusqlite::Error> for EngineError {
    fn from(e: rusqlite::Error) -> Self {
        EngineError::Store(StoreError::Sql(e))
    }
}

fn not_found(what: &'static str, id: &str) -> EngineError {
    EngineError::NotFound {
        what,
        id: id.to_owned(),
    }
}

fn conflict(code: ErrorCode, message: impl Into<String>) -> EngineError {
    EngineError::Conflict {
        code,
        message: message.into(),
    }
}

fn invalid(code: ErrorCode, message: impl Into<String>) -> EngineError {
    EngineError::Invalid {
        code,
        message: message.into(),
    }
}

/// One operation's context: its transaction, the configuration, the time, who acts, and the
/// events it has appended.
pub struct Ctx<'a, 'c> {
    pub tx: &'a Transaction<'c>,
    pub config: &'a Config,
    pub now: Timestamp,
    pub actor: Option<&'a Caller>,
    pub events: Vec<Event>,
}

type Result<T> = std::result::Result<T, EngineError>;

impl<'a, 'c> Ctx<'a, 'c> {
    pub fn new(
        tx: &'a Transaction<'c>,
        config: &'a Config,
        now: Timestamp,
        actor: Option<&'a Caller>,
    ) -> Self {
        // The store keeps milliseconds: answer with the time as it will be read back.
        let now = Timestamp::from_millisecond(now.as_millisecond()).unwrap_or(now);
        Ctx {
            tx,
            config,
            now,
            actor,
            events: Vec::new(),
        }
    }

    fn site(&self, id: &str) -> Result<&'a Site> {
        self.config.site(id).ok_or_else(|| not_found("site", id))
    }

    fn forbid_unless(&self, allowed: impl FnOnce(&Caller) -> bool) -> Result<()> {
        match self.actor {
            Some(caller) if !allowed(caller) => Err(EngineError::Forbidden(format!(
                "`{}` ({}) may not do this",
                caller.label,
                caller.role.as_str()
            ))),
            _ => Ok(()),
        }
    }

    fn record(
        &mut self,
        site: &str,
        kind: EventKind,
        ticket: Option<&Ticket>,
        desk: Option<&str>,
    ) -> Result<()> {
        self.record_detail(site, kind, ticket, desk, None)
    }

    fn record_detail(
        &mut self,
        site: &str,
        kind: EventKind,
        ticket: Option<&Ticket>,
        desk: Option<&str>,
        detail: Option<String>,
    ) -> Result<()> {
        let waiting = store::waiting_counts(self.tx, site)?;
        let event = store::append_event(
            self.tx,
            EventRow {
                at: self.now,
                site,
                kind,
                ticket,
                desk,
                actor: self.actor.map(|c| c.label.as_str()),
                waiting,
                detail,
            },
        )?;
        self.events.push(event);
        Ok(())
    }
}
