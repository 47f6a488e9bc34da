//! The queue engine: each operation of the API as one function over one database transaction.
//!
//! It glues the pure rules of [`crate::queue`] to the SQL of [`crate::store`]: load what the
//! rule needs, ask the rule, write the result, and append the events that record it. The
//! events are returned to the caller, which publishes them only after the commit.
//!
//! The operations of a real day at the desk (done-and-next, the undo of a no-show) and the
//! desk's list in calling order live in [`desk_day`].

mod desk_day;

pub use desk_day::desk_queue;

use seira_protocol::ErrorCode;
use std::collections::BTreeMap;

use jiff::{SignedDuration, Timestamp};
use rusqlite::Transaction;
use seira_protocol::admin::SiteSettings;
use seira_protocol::{
    Board, BoardCall, BoardQueue, Channel, Desk, DeskState, Device, Event, EventKind, IssueTicket,
    IssuedTicket, PrinterStatus, PriorityCategory, ServiceStatus, SiteServices, Ticket,
    TicketState, TrackView, Transfer, TransferPlace,
};

use crate::auth::{Caller, Role, new_ticket_id};
use crate::config::{Config, Service, Site};
use crate::queue::calling::{self, Candidate, Class, Run};
use crate::queue::lifecycle::{self, Action, TransitionError};
use crate::queue::{estimate, hours, numbering};
use crate::store::{self, EventRow, NewTicket, StoreError};

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

    // ---- tickets ---------------------------------------------------------------------

    /// Issues a ticket; the same `request_id` again returns the first one (`false`).
    pub fn issue(
        &mut self,
        site_id: &str,
        request: &IssueTicket,
        channel: Channel,
    ) -> Result<(IssuedTicket, bool)> {
        let site = self.site(site_id)?;
        validate_request_id(&request.request_id)?;
        let service = site
            .service(&request.service)
            .ok_or_else(|| not_found("service", &request.service))?;
        if let Some(priority) = &request.priority
            && self.config.priority(priority).is_none()
        {
            return Err(invalid(
                ErrorCode::UnknownPriority,
                format!("`{priority}` is not a priority category"),
            ));
        }
        if let Some(lang) = &request.lang {
            validate_lang(lang)?;
        }
        if let Some(existing) = store::find_by_request(self.tx, site_id, &request.request_id)? {
            if existing.service != request.service || existing.priority != request.priority {
                return Err(conflict(
                    ErrorCode::RequestIdReused,
                    "this request_id was used for another ticket",
                ));
            }
            let issued = self.issued_view(site, service, &existing)?;
            return Ok((issued, false));
        }
        if !site.service_open(service, self.now) {
            return Err(conflict(
                ErrorCode::Closed,
                format!(
                    "{} is closed now",
                    seira_protocol::InLang::in_lang(&service.names, "en")
                ),
            ));
        }
        let day = numbering::service_day(self.now, &site.time_zone);
        let seq = store::next_seq(self.tx, site_id, &service.id, day)?;
        let id = new_ticket_id();
        let ticket = Ticket {
            id: id.clone(),
            number: numbering::display_number(&service.prefix, seq),
            site: site_id.to_owned(),
            service: service.id.clone(),
            state: TicketState::Waiting,
            priority: request.priority.clone(),
            channel,
            lang: request.lang.clone(),
            desk: None,
            recalls: 0,
            step: 1,
            issued_at: self.now,
            queued_at: self.now,
            called_at: None,
            started_at: None,
            finished_at: None,
            inaccurate_time: false,
        };
        store::insert_ticket(
            self.tx,
            &NewTicket {
                ticket: ticket.clone(),
                visit_id: id,
                day,
                seq,
                request_id: Some(request.request_id.clone()),
                line_at: self.now,
                only_desk: None,
                note: None,
            },
        )?;
        self.record(site_id, EventKind::TicketIssued, Some(&ticket), None)?;
        let issued = self.issued_view(site, service, &ticket)?;
        Ok((issued, true))
    }

    fn issued_view(&self, site: &Site, service: &Service, t: &Ticket) -> Result<IssuedTicket> {
        let line_at = store::place_of(self.tx, &t.id)?.map_or(t.queued_at, |p| p.line_at);
        let ahead = store::waiting_ahead(self.tx, &site.id, &service.id, line_at)?;
        Ok(IssuedTicket {
            id: t.id.clone(),
            number: t.number.clone(),
            service: t.service.clone(),
            issued_at: t.issued_at,
            position: ahead,
            estimated_wait_s: estimate_wait(self.tx, site, service, ahead)?,
            track_url: format!("/t/{}", t.id),
        })
    }

    /// The desk calls the next ticket by the calling rules; `None` when nothing waits.
    pub fn call_next(&mut self, desk_id: &str) -> Result<Option<Ticket>> {
        let (site, desk) = self
            .config
            .desk(desk_id)
            .ok_or_else(|| not_found("desk", desk_id))?;
        self.forbid_unless(|c| c.may_act_at_desk(&site.id, desk_id))?;
        let row = self.ready_to_call(desk_id)?;
        let waiting = store::waiting_lanes(self.tx, &site.id, desk_id, &desk.services, 1)?;
        let candidates = candidates(site, desk, &waiting);
        let Some(index) = calling::choose(&candidates, &site.policy(desk), row.run, self.now)
        else {
            return Ok(None);
        };
        let ticket = waiting[index].ticket.clone();
        self.call(site, desk_id, ticket, row, false).map(Some)
    }

    /// The desk calls one waiting ticket out of order (logged as such).
    pub fn call_specific(&mut self, desk_id: &str, ticket_id: &str) -> Result<Ticket> {
        let (site, desk) = self
            .config
            .desk(desk_id)
            .ok_or_else(|| not_found("desk", desk_id))?;
        self.forbid_unless(|c| c.may_act_at_desk(&site.id, desk_id))?;
        let ticket = store::load_ticket(self.tx, ticket_id)?
            .filter(|t| t.site == site.id)
            .ok_or_else(|| not_found("ticket", ticket_id))?;
        if !desk.services.contains(&ticket.service) {
            return Err(conflict(
                ErrorCode::ServiceNotAtDesk,
                format!(
                    "{} is for a service this desk does not serve",
                    ticket.number
                ),
            ));
        }
        if let Some(only) = store::place_of(self.tx, &ticket.id)?.and_then(|p| p.only_desk)
            && only != desk_id
        {
            return Err(conflict(
                ErrorCode::SentToAnotherDesk,
                format!("{} was sent to desk `{only}` only", ticket.number),
            ));
        }
        let row = self.ready_to_call(desk_id)?;
        self.call(site, desk_id, ticket, row, true)
    }

    /// The desk is open and has nothing in hand.
    fn ready_to_call(&self, desk_id: &str) -> Result<store::DeskRow> {
        let row = store::load_desk(self.tx, desk_id)?.ok_or_else(|| not_found("desk", desk_id))?;
        match row.state {
            DeskState::Open => {}
            DeskState::Paused => {
                return Err(conflict(
                    ErrorCode::DeskPaused,
                    "the desk is paused: open it to call",
                ));
            }
            DeskState::Closed => {
                return Err(conflict(
                    ErrorCode::DeskClosed,
                    "the desk is closed: open it to call",
                ));
            }
        }
        if let Some(held) = store::ticket_in_hand(self.tx, desk_id)? {
            return Err(conflict(
                ErrorCode::TicketInHand,
                format!("finish {} before calling another", held.number),
            ));
        }
        Ok(row)
    }

    fn call(
        &mut self,
        site: &Site,
        desk_id: &str,
        mut ticket: Ticket,
        row: store::DeskRow,
        out_of_order: bool,
    ) -> Result<Ticket> {
        ticket.state = lifecycle::transition(ticket.state, Action::Call)?;
        ticket.desk = Some(desk_id.to_owned());
        ticket.called_at.get_or_insert(self.now);
        store::set_state(self.tx, &ticket)?;
        let by = self.actor.map(|c| c.label.as_str());
        store::call_ticket(self.tx, &ticket.id, self.now, out_of_order, by)?;
        let run = Run::after(row.run, class_of(&ticket));
        store::save_desk_state(
            self.tx,
            desk_id,
            row.state,
            row.pause_reason.as_deref(),
            Some(run),
            self.now,
        )?;
        self.record(
            &site.id,
            EventKind::TicketCalled,
            Some(&ticket),
            Some(desk_id),
        )?;
        Ok(ticket)
    }

    /// Recall, start, done, no-show, cancel, park, return or void.
    pub fn act(&mut self, ticket_id: &str, action: Action) -> Result<Ticket> {
        let mut ticket = store::load_ticket(self.tx, ticket_id)?
            .ok_or_else(|| not_found("ticket", ticket_id))?;
        self.check_ticket_permission(&ticket, action)?;
        ticket.state = lifecycle::transition(ticket.state, action)?;
        let kind = match action {
            Action::Recall => {
                ticket.recalls += 1;
                store::call_ticket(self.tx, &ticket.id, self.now, false, None)?;
                EventKind::TicketRecalled
            }
            Action::Start => {
                ticket.started_at.get_or_insert(self.now);
                EventKind::TicketStarted
            }
            Action::Done => {
                ticket.finished_at = Some(self.now);
                EventKind::TicketDone
            }
            Action::NoShow => {
                ticket.finished_at = Some(self.now);
                EventKind::TicketNoShow
            }
            Action::Cancel => {
                ticket.finished_at = Some(self.now);
                EventKind::TicketCancelled
            }
            Action::Park => EventKind::TicketParked,
            Action::Return => {
                // Back to its old place in the queue: `queued_at` is kept.
                ticket.desk = None;
                EventKind::TicketReturned
            }
            Action::Void => {
                ticket.finished_at = Some(self.now);
                EventKind::TicketVoided
            }
            Action::Call | Action::Transfer | Action::UndoNoShow => {
                return Err(invalid(
                    ErrorCode::UnsupportedAction,
                    "calls and transfers have their own operations",
                ));
            }
        };
        store::set_state(self.tx, &ticket)?;
        let desk = ticket.desk.clone();
        self.record(&ticket.site, kind, Some(&ticket), desk.as_deref())?;
        Ok(ticket)
    }

    fn check_ticket_permission(&self, ticket: &Ticket, action: Action) -> Result<()> {
        let site = ticket.site.as_str();
        let held_by = ticket
            .desk
            .as_deref()
            .filter(|_| lifecycle::holds_desk(ticket.state));
        match (action, held_by) {
            (Action::Void, _) => self.forbid_unless(|c| c.may_void(site)),
            (_, Some(desk)) => self.forbid_unless(|c| c.may_act_at_desk(site, desk)),
            (_, None) => self.forbid_unless(|c| c.may_manage_queue(site)),
        }
    }

    /// Ends this step and queues the next one for another service, with the same number and
    /// the original issue time: at the citizen's old place in line (`keep`, by the first issue
    /// time), at the front, or at the back; for one desk only, or any desk of the service; with
    /// a note for the next colleague. Returns both steps.
    pub fn transfer(&mut self, ticket_id: &str, request: &Transfer) -> Result<(Ticket, Ticket)> {
        let mut ticket = store::load_ticket(self.tx, ticket_id)?
            .ok_or_else(|| not_found("ticket", ticket_id))?;
        self.check_ticket_permission(&ticket, Action::Transfer)?;
        let site = self.site(&ticket.site)?;
        let service = site
            .service(&request.service)
            .ok_or_else(|| not_found("service", &request.service))?;
        if service.id == ticket.service {
            return Err(invalid(
                ErrorCode::SameService,
                "a ticket is transferred to another service",
            ));
        }
        if let Some(desk) = &request.desk {
            let target = site
                .desks
                .iter()
                .find(|d| d.id == *desk)
                .ok_or_else(|| not_found("desk", desk))?;
            if !target.services.contains(&service.id) {
                return Err(invalid(
                    ErrorCode::DeskNotForService,
                    format!("desk `{desk}` does not serve `{}`", service.id),
                ));
            }
        }
        let note = validate_note(request.note.as_deref())?;
        ticket.state = lifecycle::transition(ticket.state, Action::Transfer)?;
        ticket.finished_at = Some(self.now);
        store::set_state(self.tx, &ticket)?;
        let (visit_id, day, seq) =
            store::visit_of(self.tx, &ticket.id)?.ok_or_else(|| not_found("ticket", ticket_id))?;
        let line_at = match request.place {
            TransferPlace::Keep => ticket.issued_at,
            TransferPlace::Back => self.now,
            TransferPlace::Front => match store::first_in_line(self.tx, &site.id, &service.id)? {
                Some(first) => first
                    .checked_sub(SignedDuration::from_millis(1))
                    .unwrap_or(first)
                    .min(ticket.issued_at),
                None => ticket.issued_at,
            },
        };
        let next = Ticket {
            id: new_ticket_id(),
            service: service.id.clone(),
            state: TicketState::Waiting,
            desk: None,
            recalls: 0,
            step: ticket.step + 1,
            // The statistics measure this step's wait from now, whatever its place in line.
            queued_at: self.now,
            called_at: None,
            started_at: None,
            finished_at: None,
            inaccurate_time: false,
            ..ticket.clone()
        };
        store::insert_ticket(
            self.tx,
            &NewTicket {
                ticket: next.clone(),
                visit_id,
                day,
                seq,
                request_id: None,
                line_at,
                only_desk: request.desk.clone(),
                note,
            },
        )?;
        let desk = ticket.desk.clone();
        self.record(
            &site.id,
            EventKind::TicketTransferred,
            Some(&ticket),
            desk.as_deref(),
        )?;
        self.record(&site.id, EventKind::TicketIssued, Some(&next), None)?;
        Ok((ticket, next))
    }

    // ---- desks -----------------------------------------------------------------------

    /// Opens, pauses (with a reason) or closes a desk.
    pub fn set_desk_state(
        &mut self,
        desk_id: &str,
        state: DeskState,
        reason: Option<&str>,
    ) -> Result<Desk> {
        let (site, _) = self
            .config
            .desk(desk_id)
            .ok_or_else(|| not_found("desk", desk_id))?;
        self.forbid_unless(|c| c.may_act_at_desk(&site.id, desk_id))?;
        let row = store::load_desk(self.tx, desk_id)?.ok_or_else(|| not_found("desk", desk_id))?;
        let reason = match (state, reason.map(str::trim)) {
            (DeskState::Paused, Some(r)) if !r.is_empty() && r.chars().count() <= 200 => Some(r),
            (DeskState::Paused, _) => {
                return Err(invalid(
                    ErrorCode::InvalidReason,
                    "a pause needs a reason of 1 to 200 characters",
                ));
            }
            _ => None,
        };
        if state == DeskState::Closed
            && let Some(held) = store::ticket_in_hand(self.tx, desk_id)?
        {
            return Err(conflict(
                ErrorCode::TicketInHand,
                format!("finish {} before closing the desk", held.number),
            ));
        }
        if row.state != state || row.pause_reason.as_deref() != reason {
            store::save_desk_state(self.tx, desk_id, state, reason, row.run, self.now)?;
            let kind = match state {
                DeskState::Open => EventKind::DeskOpened,
                DeskState::Paused => EventKind::DeskPaused,
                DeskState::Closed => EventKind::DeskClosed,
            };
            self.record(&site.id, kind, None, Some(desk_id))?;
        }
        desk_view(self.tx, site, desk_id)
    }

    // ---- administration --------------------------------------------------------------

    /// Replaces one site's settings in the stored configuration `stored` (version
    /// `expected`, as the admin's form was loaded). Returns the new version and configuration.
    pub fn update_site_settings(
        &mut self,
        stored: &Config,
        expected: i64,
        settings: SiteSettings,
    ) -> Result<(i64, Config)> {
        self.forbid_unless(|c| c.role == Role::Admin)?;
        let site_id = settings.id.clone();
        let old = stored
            .site(&site_id)
            .ok_or_else(|| not_found("site", &site_id))?;
        let latest = store::latest_config(self.tx)?.map_or(0, |(v, _)| v);
        if latest != expected {
            return Err(conflict(
                ErrorCode::StaleSettings,
                "someone changed the settings meanwhile: load them again",
            ));
        }
        let changed = stored.with_site(settings).map_err(invalid_settings)?;
        let new = changed
            .site(&site_id)
            .ok_or_else(|| not_found("site", &site_id))?;
        for desk in old
            .desks
            .iter()
            .filter(|d| !new.desks.iter().any(|n| n.id == d.id))
        {
            if let Some(held) = store::ticket_in_hand(self.tx, &desk.id)? {
                return Err(conflict(
                    ErrorCode::DeskInUse,
                    format!("desk `{}` holds {}: finish it first", desk.id, held.number),
                ));
            }
        }
        for service in old.services.iter().filter(|s| new.service(&s.id).is_none()) {
            let open = store::open_tickets_before(self.tx, &site_id)?
                .into_iter()
                .filter(|(t, _)| t.service == service.id)
                .count();
            if open > 0 {
                return Err(conflict(
                    ErrorCode::ServiceInUse,
                    format!("{open} ticket(s) of `{}` are still open", service.id),
                ));
            }
        }
        let actor = self.actor.map_or("system", |c| c.label.as_str());
        let version = store::save_config(self.tx, &changed.to_toml(), actor, self.now)?;
        store::sync_desks(
            self.tx,
            new.desks.iter().map(|d| (site_id.as_str(), d.id.as_str())),
        )?;
        self.record(&site_id, EventKind::SettingsChanged, None, None)?;
        Ok((version, changed))
    }

    /// Replaces the priority categories in the stored configuration `stored` (version
    /// `expected`). Returns the new version and configuration.
    pub fn update_priorities(
        &mut self,
        stored: &Config,
        expected: i64,
        priorities: &[PriorityCategory],
    ) -> Result<(i64, Config)> {
        self.forbid_unless(|c| c.role == Role::Admin)?;
        let latest = store::latest_config(self.tx)?.map_or(0, |(v, _)| v);
        if latest != expected {
            return Err(conflict(
                ErrorCode::StaleSettings,
                "someone changed the settings meanwhile: load them again",
            ));
        }
        let changed = stored
            .with_priorities(priorities)
            .map_err(invalid_settings)?;
        let actor = self.actor.map_or("system", |c| c.label.as_str());
        let version = store::save_config(self.tx, &changed.to_toml(), actor, self.now)?;
        for site in &changed.sites {
            self.record(&site.id, EventKind::SettingsChanged, None, None)?;
        }
        Ok((version, changed))
    }

    /// Records an admin's change to an account (`what` names it, never a secret).
    pub fn record_account_change(
        &mut self,
        kind: EventKind,
        site: Option<&str>,
        what: String,
    ) -> Result<()> {
        self.record_detail(site.unwrap_or("*"), kind, None, None, Some(what))
    }

    // ---- devices -------------------------------------------------------------------------

    /// A kiosk says it is alive; a change of its printer's state is an event for staff.
    pub fn heartbeat(&mut self, site_id: &str, printer: PrinterStatus) -> Result<()> {
        self.site(site_id)?;
        let name = self
            .actor
            .map(|c| c.label.clone())
            .ok_or_else(|| EngineError::Forbidden("a heartbeat comes from a device".into()))?;
        let before = store::record_heartbeat(self.tx, site_id, &name, printer, self.now)?;
        if before.printer != Some(printer) || before.silent {
            let detail = format!("{name}: {}", printer.as_str());
            self.record_detail(site_id, EventKind::DeviceChanged, None, None, Some(detail))?;
        }
        Ok(())
    }

    /// Tells staff, once, of each device that stopped reporting (`detail`: "name: silent").
    pub fn mark_silent_devices(&mut self) -> Result<usize> {
        let mut marked = 0;
        for site in &self.config.sites {
            let before = self.now - DEVICE_ONLINE;
            for name in store::mark_silent(self.tx, &site.id, before)? {
                let detail = format!("{name}: silent");
                self.record_detail(&site.id, EventKind::DeviceChanged, None, None, Some(detail))?;
                marked += 1;
            }
        }
        Ok(marked)
    }

    /// Deletes the transfer notes of visits that have ended (a no-show's once it can no longer
    /// be undone).
    pub fn forget_notes(&mut self) -> Result<usize> {
        let mut forgotten = 0;
        for site in &self.config.sites {
            forgotten += store::forget_notes(self.tx, &site.id, self.now - site.undo_window)?;
        }
        Ok(forgotten)
    }

    // ---- closing time ----------------------------------------------------------------

    /// Closes every ticket left open after closing time, flagged `inaccurate_time`; returns
    /// how many.
    pub fn auto_close(&mut self) -> Result<usize> {
        let mut closed = 0;
        for site in &self.config.sites {
            for (mut ticket, day) in store::open_tickets_before(self.tx, &site.id)? {
                if !hours::must_auto_close(day, &site.hours, self.now, &site.time_zone) {
                    continue;
                }
                ticket.state = match ticket.state {
                    TicketState::Serving => TicketState::Done,
                    _ => TicketState::Cancelled,
                };
                ticket.finished_at = Some(self.now);
                ticket.inaccurate_time = true;
                store::set_state(self.tx, &ticket)?;
                let desk = ticket.desk.clone();
                self.record(
                    &site.id,
                    EventKind::TicketAutoClosed,
                    Some(&ticket),
                    desk.as_deref(),
                )?;
                closed += 1;
            }
        }
        Ok(closed)
    }
}

/// Every reason a configuration was refused, in both languages.
fn invalid_settings(errors: crate::config::ConfigErrors) -> EngineError {
    let join = |f: fn(&crate::config::ConfigError) -> &str| {
        errors.errors.iter().map(f).collect::<Vec<_>>().join("; ")
    };
    EngineError::InvalidSettings {
        message: join(|e| &e.message),
        message_el: join(|e| &e.message_el),
    }
}

/// What the calling rule needs of each waiting ticket a desk could call.
fn candidates(
    site: &Site,
    desk: &crate::config::Desk,
    waiting: &[store::Waiting],
) -> Vec<Candidate> {
    waiting
        .iter()
        .map(|w| Candidate {
            service_rank: desk
                .services
                .iter()
                .position(|s| *s == w.ticket.service)
                .unwrap_or(0),
            class: class_of(&w.ticket),
            // Its place in line: a transfer that kept the citizen's place ages from the
            // first issue time too.
            queued_at: w.line_at,
            target_wait: site
                .service(&w.ticket.service)
                .map_or(SignedDuration::from_mins(30), |s| s.target_wait),
        })
        .collect()
}

/// A transfer's note: trimmed, at most 200 characters; empty is none.
fn validate_note(note: Option<&str>) -> Result<Option<String>> {
    match note.map(str::trim) {
        None | Some("") => Ok(None),
        Some(n) if n.chars().count() <= 200 && !n.chars().any(char::is_control) => {
            Ok(Some(n.to_owned()))
        }
        Some(_) => Err(invalid(
            ErrorCode::InvalidNote,
            "a note is at most 200 characters on one line",
        )),
    }
}

fn class_of(ticket: &Ticket) -> Class {
    if ticket.priority.is_some() {
        Class::Priority
    } else {
        Class::Ordinary
    }
}

fn validate_request_id(id: &str) -> Result<()> {
    let ok = (1..=64).contains(&id.len())
        && id
            .chars()
            .all(|c| c.is_ascii_alphanumeric() || c == '-' || c == '_');
    if ok {
        Ok(())
    } else {
        Err(invalid(
            ErrorCode::InvalidRequestId,
            "request_id must be 1–64 characters of A–Z, a–z, 0–9, - and _",
        ))
    }
}

fn validate_lang(lang: &str) -> Result<()> {
    let ok =
        (2..=12).contains(&lang.len()) && lang.chars().all(|c| c.is_ascii_alphabetic() || c == '-');
    if ok {
        Ok(())
    } else {
        Err(invalid(
            ErrorCode::InvalidLang,
            "lang must be a language code such as el, en or ar",
        ))
    }
}

/// The estimated wait of someone with `ahead` people before them.
fn estimate_wait(tx: &Transaction<'_>, site: &Site, service: &Service, ahead: u32) -> Result<u32> {
    let recent = store::recent_service_times(tx, &site.id, &service.id, estimate::RECENT_SERVICES)?;
    let typical = estimate::typical_service(&recent, service.typical_service);
    let mut open = 0;
    for desk in site
        .desks
        .iter()
        .filter(|d| d.services.contains(&service.id))
    {
        if store::load_desk(tx, &desk.id)?.is_some_and(|d| d.state == DeskState::Open) {
            open += 1;
        }
    }
    let wait = estimate::estimate_wait(ahead, typical, open);
    Ok(wait.as_secs().clamp(0, u32::MAX as i64) as u32)
}

// ---- reads ---------------------------------------------------------------------------------

/// The services of a site, with what waits and the estimated wait of a ticket taken now.
pub fn services(
    tx: &Transaction<'_>,
    config: &Config,
    site_id: &str,
    now: Timestamp,
) -> Result<SiteServices> {
    let site = config
        .site(site_id)
        .ok_or_else(|| not_found("site", site_id))?;
    let waiting = store::waiting_counts(tx, site_id)?;
    let services = site
        .services
        .iter()
        .map(|s| {
            let count = waiting.get(&s.id).copied().unwrap_or(0);
            Ok(ServiceStatus {
                id: s.id.clone(),
                prefix: s.prefix.clone(),
                names: s.names.clone(),
                icon: s.icon.clone(),
                target_wait_min: (s.target_wait.as_secs() / 60) as u32,
                open_now: site.service_open(s, now),
                waiting: count,
                estimated_wait_s: estimate_wait(tx, site, s, count)?,
            })
        })
        .collect::<Result<_>>()?;
    Ok(SiteServices {
        site: site.id.clone(),
        site_names: site.names.clone(),
        open_now: site.is_open(now),
        services,
        priorities: config
            .priorities
            .iter()
            .map(|p| PriorityCategory {
                id: p.id.clone(),
                names: p.names.clone(),
            })
            .collect(),
        ticket_footer: site.ticket_footer.clone(),
    })
}

fn desk_view(tx: &Transaction<'_>, site: &Site, desk_id: &str) -> Result<Desk> {
    let desk = site
        .desks
        .iter()
        .find(|d| d.id == desk_id)
        .ok_or_else(|| not_found("desk", desk_id))?;
    let row = store::load_desk(tx, desk_id)?.ok_or_else(|| not_found("desk", desk_id))?;
    let ticket = store::ticket_in_hand(tx, desk_id)?;
    let note = match &ticket {
        Some(t) => store::place_of(tx, &t.id)?.and_then(|p| p.note),
        None => None,
    };
    Ok(Desk {
        id: desk.id.clone(),
        site: site.id.clone(),
        names: desk.names.clone(),
        services: desk.services.clone(),
        order: desk.order,
        state: row.state,
        pause_reason: row.pause_reason,
        ticket,
        note,
    })
}

/// The desks of a site with their state and ticket in hand.
pub fn desks(tx: &Transaction<'_>, config: &Config, site_id: &str) -> Result<Vec<Desk>> {
    let site = config
        .site(site_id)
        .ok_or_else(|| not_found("site", site_id))?;
    site.desks
        .iter()
        .map(|d| desk_view(tx, site, &d.id))
        .collect()
}

/// The statistics of a site for the local days `from` to `to`, inclusive.
pub fn figures(
    tx: &Transaction<'_>,
    config: &Config,
    site_id: &str,
    from: jiff::civil::Date,
    to: jiff::civil::Date,
) -> Result<crate::stats::Figures> {
    let site = config
        .site(site_id)
        .ok_or_else(|| not_found("site", site_id))?;
    let (start, end) = crate::stats::period_bounds(from, to, &site.time_zone)
        .ok_or_else(|| invalid(ErrorCode::BadPeriod, "the period is outside the calendar"))?;
    let rows = store::stat_rows(tx, site_id, start, end)?;
    let targets = site
        .services
        .iter()
        .map(|s| (s.id.clone(), s.target_wait))
        .collect();
    let mut figures = crate::stats::compute(site_id, from, to, &site.time_zone, &targets, &rows);
    // Who called is an account's name or a token's label: the accounts are the people.
    let people: std::collections::BTreeSet<String> =
        store::list_users(tx)?.into_iter().map(|u| u.name).collect();
    figures.staff_tokens = figures
        .by_staff
        .iter()
        .filter(|g| !people.contains(&g.key))
        .map(|g| g.key.clone())
        .collect();
    Ok(figures)
}

/// Today at a site, now: the queues and the desks.
pub fn live_today(
    tx: &Transaction<'_>,
    config: &Config,
    site_id: &str,
    now: Timestamp,
) -> Result<crate::stats::LiveToday> {
    let site = config
        .site(site_id)
        .ok_or_else(|| not_found("site", site_id))?;
    let desks = desks(tx, config, site_id)?;
    let count = |state: DeskState| desks.iter().filter(|d| d.state == state).count() as u32;
    Ok(crate::stats::LiveToday {
        site: site.id.clone(),
        at: now,
        queues: store::waiting_now(tx, site_id)?
            .into_iter()
            .map(|(service, waiting, since)| crate::stats::LiveQueue {
                names: site
                    .service(&service)
                    .map(|s| s.names.clone())
                    .unwrap_or_default(),
                service,
                waiting,
                longest_wait_s: now.duration_since(since).as_secs().max(0),
            })
            .collect(),
        desks_open: count(DeskState::Open),
        desks_paused: count(DeskState::Paused),
        desks_serving: desks.iter().filter(|d| d.ticket.is_some()).count() as u32,
    })
}

/// What the lobby screen shows now.
pub fn board(
    tx: &Transaction<'_>,
    config: &Config,
    site_id: &str,
    now: Timestamp,
) -> Result<Board> {
    let site = config
        .site(site_id)
        .ok_or_else(|| not_found("site", site_id))?;
    // Read the last event id first: the board may then include later changes too, which the
    // stream repeats harmlessly, but never misses one.
    let last_event_id = store::last_event_id(tx)?;
    let day = numbering::service_day(now, &site.time_zone);
    let calls = store::last_calls(tx, site_id, day, BOARD_CALLS)?
        .into_iter()
        .filter_map(|(t, announced)| {
            let desk_id = t.desk.clone()?;
            let desk = site.desks.iter().find(|d| d.id == desk_id)?;
            Some(BoardCall {
                ticket_id: t.id,
                number: t.number,
                service: t.service,
                desk: desk_id,
                desk_names: desk.names.clone(),
                called_at: announced,
                recalls: t.recalls,
            })
        })
        .collect();
    let waiting = store::waiting_counts(tx, site_id)?;
    Ok(Board {
        site: site.id.clone(),
        site_names: site.names.clone(),
        calls,
        queues: site
            .services
            .iter()
            .map(|s| BoardQueue {
                service: s.id.clone(),
                prefix: s.prefix.clone(),
                names: s.names.clone(),
                waiting: waiting.get(&s.id).copied().unwrap_or(0),
            })
            .collect(),
        news: site.news.clone(),
        desks: site
            .desks
            .iter()
            .map(|d| (d.id.clone(), d.names.clone()))
            .collect(),
        last_event_id,
        generated_at: now,
    })
}

/// Where a ticket's visit is now, for its holder.
pub fn track(tx: &Transaction<'_>, config: &Config, ticket_id: &str) -> Result<TrackView> {
    // The holder's paper names the first step; a transfer moves the visit on.
    let t = store::latest_step(tx, ticket_id)?.ok_or_else(|| not_found("ticket", ticket_id))?;
    let site = config
        .site(&t.site)
        .ok_or_else(|| not_found("site", &t.site))?;
    let service = site
        .service(&t.service)
        .ok_or_else(|| not_found("service", &t.service))?;
    let (position, estimated_wait_s) = if t.state == TicketState::Waiting {
        let line_at = store::place_of(tx, &t.id)?.map_or(t.queued_at, |p| p.line_at);
        let ahead = store::waiting_ahead(tx, &site.id, &service.id, line_at)?;
        (ahead, estimate_wait(tx, site, service, ahead)?)
    } else {
        (0, 0)
    };
    let desk = t.desk.clone().filter(|_| lifecycle::holds_desk(t.state));
    Ok(TrackView {
        number: t.number,
        site: t.site,
        service: t.service,
        service_names: service.names.clone(),
        state: t.state,
        position,
        estimated_wait_s,
        desk_names: desk
            .as_ref()
            .and_then(|d| site.desks.iter().find(|x| x.id == *d))
            .map(|d| d.names.clone()),
        desk,
    })
}

/// A site's waiting counts (for tests and the live view).
pub fn waiting(tx: &Transaction<'_>, site_id: &str) -> Result<BTreeMap<String, u32>> {
    Ok(store::waiting_counts(tx, site_id)?)
}

/// A device is online when heard from within this long: kiosks and displays report every
/// 20 s, so three missed reports. The server looks every 30 s, so staff hear of a device that
/// went silent within about 95 s.
pub const DEVICE_ONLINE: SignedDuration = SignedDuration::from_secs(65);

/// The site's devices, with whether they are online now.
pub fn devices(
    tx: &Transaction<'_>,
    config: &Config,
    site_id: &str,
    now: Timestamp,
) -> Result<Vec<Device>> {
    config
        .site(site_id)
        .ok_or_else(|| not_found("site", site_id))?;
    Ok(store::list_devices(tx, site_id)?
        .into_iter()
        .map(|(name, last_seen, printer)| Device {
            online: now.duration_since(last_seen) <= DEVICE_ONLINE,
            name,
            site: site_id.to_owned(),
            last_seen,
            printer,
        })
        .collect())
}

/// The most tickets one listing returns.
pub const LIST_LIMIT: usize = 500;

/// A site's tickets in one state (waiting or parked), in queue order.
pub fn tickets(
    tx: &Transaction<'_>,
    config: &Config,
    site_id: &str,
    state: TicketState,
) -> Result<Vec<Ticket>> {
    config
        .site(site_id)
        .ok_or_else(|| not_found("site", site_id))?;
    Ok(store::tickets_in_state(tx, site_id, state, LIST_LIMIT)?)
}
