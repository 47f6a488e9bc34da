//! Staff against a flood from the phone pages: the waiting tickets phones took in the last
//! minutes, of one service or all, taken out at once — and put back at their places by the
//! undo, within the site's undo window, if that was a mistake. Each ticket's cancellation is
//! its own event, with the actor; the batch is named by the range of those events' ids, so
//! the undo reads them by the log's own index and touches nothing else.

use jiff::SignedDuration;
use seira_protocol::{ErrorCode, EventKind, PhoneBatch, TicketState};

use super::{Ctx, Result, conflict, invalid, not_found};
use crate::queue::lifecycle::{self, Action};
use crate::store;

/// The events' detail that marks a ticket cancelled with a batch.
const DETAIL: &str = "phone batch";

impl Ctx<'_, '_> {
    /// Cancels the waiting tickets phones took at `site_id` in the last `minutes`, of
    /// `service` or of all; the batch names them for [`Ctx::restore_phone_batch`].
    pub fn remove_phone_batch(
        &mut self,
        site_id: &str,
        service: Option<&str>,
        minutes: u32,
    ) -> Result<PhoneBatch> {
        let site = self.site(site_id)?;
        self.forbid_unless(|c| c.may_manage_queue(&site.id))?;
        if !(1..=240).contains(&minutes) {
            return Err(invalid(ErrorCode::InvalidBody, "minutes is from 1 to 240"));
        }
        if let Some(service) = service
            && site.service(service).is_none()
        {
            return Err(not_found("service", service));
        }
        let since = self.now - SignedDuration::from_mins(i64::from(minutes));
        let tickets = store::waiting_phone_tickets(self.tx, site_id, service, since)?;
        let mut numbers = Vec::new();
        let mut ids = Vec::new();
        for mut ticket in tickets {
            ticket.state = lifecycle::transition(ticket.state, Action::Cancel)?;
            ticket.finished_at = Some(self.now);
            self.save_state(&ticket)?;
            self.record_detail(
                site_id,
                EventKind::TicketCancelled,
                Some(&ticket),
                None,
                Some(DETAIL.to_owned()),
            )?;
            ids.extend(self.events.last().map(|e| e.id));
            numbers.push(ticket.number);
        }
        let batch = match (ids.first(), ids.last()) {
            (Some(first), Some(last)) => format!("{first}-{last}"),
            _ => String::new(),
        };
        Ok(PhoneBatch { batch, numbers })
    }

    /// Puts the tickets of a removed batch back at their places, within the site's undo
    /// window; a ticket of it that staff dealt with since stays as it is.
    pub fn restore_phone_batch(&mut self, site_id: &str, batch: &str) -> Result<PhoneBatch> {
        let site = self.site(site_id)?;
        self.forbid_unless(|c| c.may_manage_queue(&site.id))?;
        let undo_window = site.undo_window;
        let range = batch
            .split_once('-')
            .and_then(|(a, b)| Some((a.parse::<i64>().ok()?, b.parse::<i64>().ok()?)))
            .filter(|(a, b)| a <= b);
        let Some((from, to)) = range else {
            return Err(not_found("batch", batch));
        };
        let cancelled = store::cancelled_with(self.tx, site_id, from, to, DETAIL)?;
        let Some((_, when)) = cancelled.first() else {
            return Err(not_found("batch", batch));
        };
        if self.now.duration_since(*when) > undo_window {
            return Err(conflict(
                ErrorCode::UndoTooLate,
                format!(
                    "the batch was removed more than {} minutes ago: the citizens take new tickets",
                    undo_window.as_mins()
                ),
            ));
        }
        let mut numbers = Vec::new();
        for (id, _) in cancelled {
            let Some(mut ticket) = store::load_ticket(self.tx, &id)? else {
                continue;
            };
            if ticket.state != TicketState::Cancelled {
                continue;
            }
            ticket.state = lifecycle::transition(ticket.state, Action::UndoCancel)?;
            ticket.finished_at = None;
            self.save_state(&ticket)?;
            self.record(site_id, EventKind::TicketCancelUndone, Some(&ticket), None)?;
            numbers.push(ticket.number);
        }
        Ok(PhoneBatch {
            batch: batch.to_owned(),
            numbers,
        })
    }
}
