//! Tickets: issuing, calling (in order or one named), their state changes, and transfers.

use jiff::SignedDuration;
use seira_protocol::{
    Channel, DeskId, DeskState, ErrorCode, EventKind, IssueTicket, IssuedTicket, Lang, RequestId,
    Ticket, TicketId, TicketState, Transfer, TransferPlace,
};

use super::views::estimate_wait;
use super::{Ctx, Result, conflict, invalid, not_found};
use crate::auth::new_ticket_id;
use crate::config::{Service, Site};
use crate::queue::calling::{self, Candidate, Class, Run};
use crate::queue::lifecycle::{self, Action};
use crate::queue::numbering;
use crate::store::{self, NewTicket};

impl Ctx<'_, '_> {
    /// Issues a ticket; the same `request_id` again returns the first one (`false`).
    pub fn issue(
        &mut self,
        site_id: &str,
        request: &IssueTicket,
        channel: Channel,
    ) -> Result<(IssuedTicket, bool)> {
        self.forbid_unless(|c| c.may_issue(site_id))?;
        self.issue_unchecked(site_id, request, channel)
    }

    /// [`Ctx::issue`] once the caller may: also a phone's ticket (`join.rs`).
    pub(super) fn issue_unchecked(
        &mut self,
        site_id: &str,
        request: &IssueTicket,
        channel: Channel,
    ) -> Result<(IssuedTicket, bool)> {
        let site = self.site(site_id)?;
        RequestId::parse(&request.request_id)
            .map_err(|rule| invalid(ErrorCode::InvalidRequestId, rule))?;
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
            Lang::parse(lang).map_err(|rule| invalid(ErrorCode::InvalidLang, rule))?;
        }
        if let Some(existing) = store::find_by_request(self.tx, site_id, &request.request_id)? {
            if existing.service != request.service || existing.priority != request.priority {
                return Err(conflict(
                    ErrorCode::RequestIdReused,
                    "this request_id was used for another ticket",
                ));
            }
            // A repeat: its place in line is in the store.
            let line_at =
                store::place_of(self.tx, &existing.id)?.map_or(existing.queued_at, |p| p.line_at);
            let issued = self.issued_view(site, service, &existing, line_at)?;
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
        let ticket = self.open_ticket(
            site,
            service,
            Arrival {
                priority: request.priority.clone(),
                lang: request.lang.clone(),
                channel,
                request_id: request.request_id.clone(),
                line_at: self.now,
                only_desk: None,
                due_at: None,
            },
        )?;
        // A new ticket's place in line is the time it joined.
        let issued = self.issued_view(site, service, &ticket, ticket.queued_at)?;
        Ok((issued, true))
    }

    /// A new visit's first ticket, numbered in its service's day, with its event.
    pub(super) fn open_ticket(
        &mut self,
        site: &Site,
        service: &Service,
        arrival: Arrival,
    ) -> Result<Ticket> {
        let day = numbering::service_day(self.now, &site.time_zone);
        let seq = store::next_seq(self.tx, &site.id, &service.id, day)?;
        let id = new_ticket_id();
        let ticket = Ticket {
            id: id.clone(),
            number: numbering::display_number(&service.prefix, seq),
            site: site.id.clone(),
            service: service.id.clone(),
            state: TicketState::Waiting,
            priority: arrival.priority,
            channel: arrival.channel,
            lang: arrival.lang,
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
                request_id: Some(arrival.request_id),
                line_at: arrival.line_at,
                only_desk: arrival.only_desk,
                note: None,
                due_at: arrival.due_at,
                short_code: Some(super::short_link::new_code()),
            },
        )?;
        self.record(&site.id, EventKind::TicketIssued, Some(&ticket), None)?;
        Ok(ticket)
    }

    pub(super) fn issued_view(
        &self,
        site: &Site,
        service: &Service,
        t: &Ticket,
        line_at: jiff::Timestamp,
    ) -> Result<IssuedTicket> {
        let ahead = store::waiting_ahead_from_back(self.tx, &site.id, &service.id, line_at)?;
        Ok(IssuedTicket {
            id: t.id.clone(),
            number: t.number.clone(),
            service: t.service.clone(),
            issued_at: t.issued_at,
            position: ahead,
            estimated_wait_s: estimate_wait(self.tx, site, service, ahead, &t.id, self.now)?,
            track_url: track_url(site, &t.id),
            short_url: short_url(self.tx, site, &t.id)?,
            appointment_at: None,
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
        let booked = waiting[index].due_at.is_some();
        self.call(site, desk_id, ticket, row, false, booked)
            .map(Some)
    }

    /// The desk calls one waiting ticket out of order (logged as such).
    pub fn call_specific(
        &mut self,
        DeskId(desk_id): DeskId<'_>,
        TicketId(ticket_id): TicketId<'_>,
    ) -> Result<Ticket> {
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
        let place = store::place_of(self.tx, &ticket.id)?;
        if let Some(only) = place.as_ref().and_then(|p| p.only_desk.as_deref())
            && only != desk_id
        {
            return Err(conflict(
                ErrorCode::SentToAnotherDesk,
                format!("{} was sent to desk `{only}` only", ticket.number),
            ));
        }
        let booked = place.is_some_and(|p| p.due_at.is_some());
        let row = self.ready_to_call(desk_id)?;
        self.call(site, desk_id, ticket, row, true, booked)
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
        booked: bool,
    ) -> Result<Ticket> {
        ticket.state = lifecycle::transition(ticket.state, Action::Call)?;
        ticket.desk = Some(desk_id.to_owned());
        ticket.called_at.get_or_insert(self.now);
        self.save_state(&ticket)?;
        let by = self.actor.map(|c| c.label.as_str());
        store::call_ticket(self.tx, &ticket.id, self.now, out_of_order, by)?;
        // An appointment's call is outside the walk-ins' ratio (calling.rs, rule 0).
        let run = if booked {
            row.run
        } else {
            Some(Run::after(row.run, class_of(&ticket)))
        };
        store::save_desk_state(
            self.tx,
            desk_id,
            row.state,
            row.pause_reason.as_deref(),
            run,
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
            Action::Call | Action::Transfer | Action::UndoNoShow | Action::UndoCancel => {
                return Err(invalid(
                    ErrorCode::UnsupportedAction,
                    "calls and transfers have their own operations",
                ));
            }
        };
        self.save_state(&ticket)?;
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
        self.save_state(&ticket)?;
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
                // A transfer's next step is a walk-in of its service.
                due_at: None,
                // The paper's link names the visit's first step.
                short_code: None,
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
}

/// How a new visit joins its queue.
pub(super) struct Arrival {
    pub priority: Option<String>,
    pub lang: Option<String>,
    pub channel: Channel,
    pub request_id: String,
    /// Its place in line.
    pub line_at: jiff::Timestamp,
    pub only_desk: Option<String>,
    /// A checked-in appointment's start.
    pub due_at: Option<jiff::Timestamp>,
}

/// What the calling rule needs of each waiting ticket a desk could call.
pub(super) fn candidates(
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
            due_at: w.due_at,
        })
        .collect()
}

/// A transfer's note: trimmed, at most 200 characters; empty is none.
pub(super) fn validate_note(note: Option<&str>) -> Result<Option<String>> {
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
    Class::of(ticket.priority.is_some())
}

/// Where a ticket's holder follows it: under the site's public address when it has one (a
/// phone on mobile data reaches that), else a path the device puts after its server.
/// The printed short link of a ticket (`…/t/KX7PQ-4MN2A`), under the site's public address
/// like [`track_url`]; the tracking page's own address for a visit that has no code.
pub(super) fn short_url(
    tx: &rusqlite::Transaction<'_>,
    site: &Site,
    ticket: &str,
) -> Result<String> {
    Ok(match store::short_code_of(tx, ticket)? {
        Some(code) => track_url(site, &super::short_link::printed(&code)),
        None => track_url(site, ticket),
    })
}

pub(super) fn track_url(site: &Site, ticket: &str) -> String {
    match &site.public_url {
        Some(public) => format!("{public}/t/{ticket}"),
        None => format!("/t/{ticket}"),
    }
}
