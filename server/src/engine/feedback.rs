//! A citizen's anonymous rating of a finished visit: once per visit, kept on the step that
//! ended it so that the statistics read it by service, desk and day.

use seira_protocol::{ErrorCode, EventKind, TicketState};

use super::{Ctx, Result, conflict, invalid};
use crate::store;

impl Ctx<'_, '_> {
    /// Rates the visit of ticket `id` from 1 to 5.
    pub fn rate(&mut self, id: &str, score: u8) -> Result<()> {
        if !(1..=5).contains(&score) {
            return Err(invalid(ErrorCode::InvalidScore, "a rating is from 1 to 5"));
        }
        let (id, t) = self.holders_ticket(id)?;
        if store::visit_rated(self.tx, &id)? {
            return Err(conflict(
                ErrorCode::AlreadyRated,
                "this visit has been rated already",
            ));
        }
        if t.state != TicketState::Done {
            return Err(conflict(
                ErrorCode::NotDone,
                "a visit is rated once it is done",
            ));
        }
        store::rate_step(self.tx, &t.id, score, self.now)?;
        let desk = t.desk.clone();
        self.record_detail(
            &t.site.clone(),
            EventKind::TicketRated,
            Some(&t),
            desk.as_deref(),
            Some(format!("score {score}")),
        )
    }
}
