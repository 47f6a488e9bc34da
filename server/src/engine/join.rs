//! A ticket taken on a citizen's own phone, from the QR poster at the door: the same ticket as
//! the kiosk's (numbered in the same day, on the board, called the same), for the services
//! the site's admin opened to it, while they are open. How often one phone may do it is the
//! HTTP layer's throttle; whether it may at all is decided here.

use seira_protocol::{Channel, ErrorCode, IssueTicket, IssuedTicket, JoinRequest};

use super::{Ctx, Result, conflict, not_found};

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
        let request_id = format!("phone-{}", request.request_id);
        if request.request_id.len() > 58 {
            return Err(super::invalid(
                ErrorCode::InvalidRequestId,
                "a request_id is 1 to 58 characters here",
            ));
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
            Channel::Kiosk,
        )
    }
}
