//! A desk's state: open, paused (with a reason) or closed.

use seira_protocol::{Desk, DeskState, ErrorCode, EventKind};

use super::views::desk_view;
use super::{Ctx, Result, conflict, invalid, not_found};
use crate::store;

impl Ctx<'_, '_> {
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
}
