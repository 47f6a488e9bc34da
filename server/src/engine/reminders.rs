//! Reminders through the door: which are due (claimed so that no second pass sends them),
//! and what came of each attempt, recorded as an event without the contact.

use jiff::SignedDuration;
use seira_protocol::EventKind;

use super::{Ctx, Result};
use crate::reminders::{self, Claimed, Words};
use crate::store;

/// How long a claimed reminder is left to its attempt before another pass may try it.
const CLAIM: SignedDuration = SignedDuration::from_mins(5);

impl Ctx<'_, '_> {
    /// The due reminders (at most `limit`), each moved on by [`CLAIM`] while it is sent.
    pub fn claim_reminders(&mut self, limit: usize) -> Result<Vec<Claimed>> {
        let mut claimed = Vec::new();
        for due in store::due_reminders(self.tx, self.now, limit)? {
            let a = &due.appointment;
            let Some(site) = self.config.site(&a.site) else {
                continue;
            };
            let Some(gateway) = &site.reminders else {
                // The site stopped sending reminders: nothing is due any more.
                store::reminder_done_or_next(self.tx, &a.id, None, due.attempts, None)?;
                continue;
            };
            let local = a.start.to_zoned_datetime(site.time_zone.clone());
            let service = site.service(&a.service).map_or(a.service.as_str(), |s| {
                seira_protocol::InLang::in_lang(&s.names, "el")
            });
            let desk = site
                .desks
                .iter()
                .find(|d| d.id == a.held_desk)
                .map_or(a.held_desk.as_str(), |d| {
                    seira_protocol::InLang::in_lang(&d.names, "el")
                });
            let words = Words {
                contact: due.contact.clone(),
                code: a.code.clone(),
                date: local.strftime("%d/%m/%Y").to_string(),
                time: local.strftime("%H:%M").to_string(),
                service: service.to_owned(),
                place: [
                    seira_protocol::InLang::in_lang(&site.names, "el"),
                    site.address.as_str(),
                    desk,
                ]
                .iter()
                .filter(|p| !p.is_empty())
                .copied()
                .collect::<Vec<_>>()
                .join(", "),
            };
            store::reminder_done_or_next(
                self.tx,
                &a.id,
                Some(self.now + CLAIM),
                due.attempts,
                None,
            )?;
            claimed.push(Claimed {
                appointment: a.id.clone(),
                request: reminders::fill(gateway, &words),
            });
        }
        Ok(claimed)
    }

    /// An attempt's outcome: sent (done), or tried again after a growing pause, or given up
    /// after [`reminders::MAX_ATTEMPTS`].
    pub fn reminder_result(&mut self, id: &str, delivered: bool) -> Result<()> {
        let Some(a) = store::load_appointment(self.tx, id)? else {
            return Ok(());
        };
        let attempts = store::reminder_attempts(self.tx, id)? + 1;
        let detail = if delivered {
            store::reminder_done_or_next(self.tx, id, None, attempts, Some(self.now))?;
            format!("sent for {} at {} (attempt {attempts})", a.service, a.start)
        } else if attempts >= reminders::MAX_ATTEMPTS {
            store::reminder_done_or_next(self.tx, id, None, attempts, None)?;
            format!(
                "not delivered after {attempts} attempts: {} at {}",
                a.service, a.start
            )
        } else {
            let next = self.now + reminders::backoff(attempts - 1);
            store::reminder_done_or_next(self.tx, id, Some(next), attempts, None)?;
            return Ok(());
        };
        let (site, desk) = (a.site.clone(), a.held_desk.clone());
        self.record_detail(
            &site,
            EventKind::AppointmentReminded,
            None,
            Some(&desk),
            Some(detail),
        )
    }
}

/// Whether any reminder is due by `now` (the sender looks before it writes anything).
pub fn reminders_due(
    tx: &rusqlite::Transaction<'_>,
    now: jiff::Timestamp,
) -> std::result::Result<bool, super::EngineError> {
    Ok(!store::due_reminders(tx, now, 1)?.is_empty())
}
