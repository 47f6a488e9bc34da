//! What the server does by itself every 30 s: closing time, forgetting the notes of ended
//! visits (appointments whose window passed: `check_in.rs`).

use seira_protocol::{EventKind, TicketState};

use super::{Ctx, Result};
use crate::queue::hours;
use crate::store;

impl Ctx<'_, '_> {
    /// Deletes the transfer notes of visits that have ended (a no-show's once it can no longer
    /// be undone).
    pub fn forget_notes(&mut self) -> Result<usize> {
        let mut forgotten = 0;
        for site in &self.config.sites {
            forgotten += store::forget_notes(self.tx, &site.id, self.now - site.undo_window)?;
        }
        Ok(forgotten)
    }

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
                self.save_state(&ticket)?;
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
