//! A ticket taken on a citizen's own phone, from the QR poster at the door: the same ticket as
//! the kiosk's (numbered in the same day, on the board, called the same), for the services
//! the site's admin opened to it, while they are open. How often one phone or address may do
//! it is the HTTP layer's throttle; whether it may at all, and how many phones may add to a
//! service whoever they are (its `phone_joining` caps), is decided here.

use jiff::SignedDuration;
use seira_protocol::{Channel, ErrorCode, IssueTicket, IssuedTicket, JoinRequest};

use super::{Ctx, EngineError, Result, conflict, not_found};
use crate::store;

/// The window of the per-service cap on joins.
const QUARTER_HOUR: SignedDuration = SignedDuration::from_mins(15);

impl Ctx<'_, '_> {
    /// Issues a ticket for `request.service` at `site_id` to a phone; the same `request_id`
    /// again returns the first ticket (`false`).
    pub fn join_by_phone(
        &mut self,
        site_id: &str,
        request: &JoinRequest,
    ) -> Result<(IssuedTicket, bool)> {
        let site = self.site(site_id)?;
        let service = site
            .service(&request.service)
            .ok_or_else(|| not_found("service", &request.service))?;
        if !service.phone_join {
            return Err(conflict(
                ErrorCode::NotOffered,
                "this service's tickets are taken at the kiosk, not on a phone",
            ));
        }
        // A phone's ids live apart from the kiosks': a guessed kiosk id gives nothing away.
        let request_id = format!("{}{}", store::PHONE_REQUEST, request.request_id);
        if request.request_id.len() > 58 {
            return Err(super::invalid(
                ErrorCode::InvalidRequestId,
                "a request_id is 1 to 58 characters here",
            ));
        }
        // A repeat of a request that was served is answered whatever the caps say now.
        if store::find_by_request(self.tx, site_id, &request_id)?.is_none() {
            if site.phone_joining.door_code {
                let day = crate::queue::numbering::service_day(self.now, &site.time_zone);
                let today = super::door_code::door_code(self.tx, site_id, day)?;
                if !super::door_code::matches(request.door.as_deref(), &today) {
                    return Err(conflict(
                        ErrorCode::DoorCode,
                        "numbers are taken here with today's QR code at the entrance: scan it there",
                    ));
                }
            }
            let caps = &site.phone_joining;
            let since = self.now - QUARTER_HOUR;
            let (waiting, nth_newest) =
                store::phone_tickets(self.tx, site_id, &service.id, since, caps.per_quarter_hour)?;
            if waiting >= caps.max_waiting {
                return Err(conflict(
                    ErrorCode::PhoneQueueFull,
                    "many who took a ticket on a phone are waiting for this service already: take a ticket at the kiosk inside",
                ));
            }
            // As many as allowed in the window: a place frees when the oldest of them leaves it.
            if let Some(oldest) = nth_newest {
                let wait = (oldest + QUARTER_HOUR).duration_since(self.now);
                return Err(EngineError::TooMany {
                    code: ErrorCode::TooManyJoins,
                    message: "many tickets were taken on phones for this service just now: try again in a few minutes, or take one at the kiosk inside".into(),
                    retry_after: std::time::Duration::from_secs(wait.as_secs().max(1) as u64),
                });
            }
        }
        let lang = request
            .lang
            .clone()
            .filter(|l| crate::i18n::PUBLIC_LANGUAGES.contains(&l.as_str()));
        self.issue_unchecked(
            site_id,
            &IssueTicket {
                service: request.service.clone(),
                priority: None,
                lang,
                request_id,
            },
            Channel::Phone,
        )
    }
}
