//! A desk's working day beyond single steps: finishing and calling in one go, undoing a
//! mistaken no-show, and the desk's list of who comes next, in the order it would call them.

use jiff::Timestamp;
use rusqlite::Transaction;
use seira_protocol::ErrorCode;
use seira_protocol::{DeskQueue, EventKind, OtherQueue, QueueEntry, Ticket, TicketState};

use super::{Ctx, EngineError, Result, candidates, conflict, not_found};
use crate::queue::calling;
use crate::queue::lifecycle::{self, Action};
use crate::store;

/// The most rows the desk's list holds; the page shows what fits.
pub const QUEUE_ROWS: usize = 100;

impl Ctx<'_, '_> {
    /// Finishes the ticket the desk is serving and calls the next, in one transaction: either
    /// both happen or neither. With nothing in hand it only calls. `None`: nothing waits (the
    /// ticket in hand is finished all the same).
    pub fn done_and_next(&mut self, desk_id: &str) -> Result<Option<Ticket>> {
        let (site, _) = self
            .config
            .desk(desk_id)
            .ok_or_else(|| not_found("desk", desk_id))?;
        self.forbid_unless(|c| c.may_act_at_desk(&site.id, desk_id))?;
        if let Some(held) = store::ticket_in_hand(self.tx, desk_id)? {
            if held.state != TicketState::Serving {
                return Err(conflict(
                    ErrorCode::NotServing,
                    format!(
                        "{} was called but not started: start it, or mark it a no-show",
                        held.number
                    ),
                ));
            }
            self.act(&held.id, Action::Done)?;
        }
        self.call_next(desk_id)
    }

    /// Undoes a no-show marked by mistake, within the site's undo window: the ticket goes
    /// back to its place in line, or straight back to its desk when that desk is open and
    /// free. After the window it is a conflict: the citizen takes a new ticket.
    pub fn undo_no_show(&mut self, ticket_id: &str) -> Result<Ticket> {
        let mut ticket = store::load_ticket(self.tx, ticket_id)?
            .ok_or_else(|| not_found("ticket", ticket_id))?;
        let site = self
            .config
            .site(&ticket.site)
            .ok_or_else(|| not_found("site", &ticket.site))?;
        match ticket.desk.as_deref() {
            Some(desk) => self.forbid_unless(|c| c.may_act_at_desk(&site.id, desk))?,
            None => self.forbid_unless(|c| c.may_manage_queue(&site.id))?,
        }
        ticket.state = lifecycle::transition(ticket.state, Action::UndoNoShow)?;
        let marked = ticket.finished_at.unwrap_or(self.now);
        if self.now.duration_since(marked) > site.undo_window {
            return Err(conflict(
                ErrorCode::UndoTooLate,
                format!(
                    "{} was marked a no-show more than {} minutes ago: issue a new ticket",
                    ticket.number,
                    site.undo_window.as_mins()
                ),
            ));
        }
        ticket.finished_at = None;
        let desk = ticket.desk.take();
        let desk_free = match desk.as_deref() {
            Some(desk) => {
                store::load_desk(self.tx, desk)?
                    .is_some_and(|d| d.state == seira_protocol::DeskState::Open)
                    && store::ticket_in_hand(self.tx, desk)?.is_none()
            }
            None => false,
        };
        if desk_free {
            // Back in the hand of the desk that let it go: the citizen is there.
            ticket.state = lifecycle::transition(ticket.state, Action::Call)?;
            ticket.desk = desk.clone();
        }
        self.save_state(&ticket)?;
        let site_id = site.id.clone();
        self.record(
            &site_id,
            EventKind::TicketNoShowUndone,
            Some(&ticket),
            desk.as_deref(),
        )?;
        Ok(ticket)
    }
}

/// The desk's services' waiting tickets in the order call-next would take them (the first
/// is the next), and how many wait for the site's other services.
pub fn desk_queue(
    tx: &Transaction<'_>,
    config: &crate::config::Config,
    desk_id: &str,
    now: Timestamp,
) -> std::result::Result<DeskQueue, EngineError> {
    let (site, desk) = config
        .desk(desk_id)
        .ok_or_else(|| not_found("desk", desk_id))?;
    let row = store::load_desk(tx, desk_id)?.ok_or_else(|| not_found("desk", desk_id))?;
    // Each lane's first rows are enough: the list never takes more than that from one lane.
    let waiting = store::waiting_lanes(tx, &site.id, desk_id, &desk.services, QUEUE_ROWS)?;
    let candidates = candidates(site, desk, &waiting);
    let order = calling::call_order(&candidates, &site.policy(desk), row.run, now, QUEUE_ROWS);
    let counts = store::waiting_counts(tx, &site.id)?;
    let entries = order
        .into_iter()
        .map(|i| {
            let w = &waiting[i];
            let c = &candidates[i];
            QueueEntry {
                overdue: c.due_at.is_none() && now.duration_since(c.queued_at) > c.target_wait,
                appointment_at: c.due_at,
                only_this_desk: w.only_desk.is_some(),
                note: w.note.clone(),
                ticket: w.ticket.clone(),
            }
        })
        .collect();
    Ok(DeskQueue {
        desk: desk_id.to_owned(),
        entries,
        waiting: desk
            .services
            .iter()
            .map(|s| counts.get(s).copied().unwrap_or(0))
            .sum(),
        others: site
            .services
            .iter()
            .filter(|s| !desk.services.contains(&s.id))
            .filter_map(|s| {
                let waiting = counts.get(&s.id).copied().unwrap_or(0);
                (waiting > 0).then(|| OtherQueue {
                    service: s.id.clone(),
                    waiting,
                })
            })
            .collect(),
    })
}
