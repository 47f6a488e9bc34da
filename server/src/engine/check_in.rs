//! Check-in: a citizen with an appointment gets a ticket of its service (the same numbering,
//! printed, called and spoken like any other), placed by the grace window
//! ([`crate::queue::check_in`]); appointments nobody checked in become no-shows and free
//! their desk time; a checked-in appointment follows its visit to the end.

use jiff::{SignedDuration, Timestamp};
use seira_protocol::{
    AppointmentState, Channel, CheckIn, ErrorCode, EventKind, IssuedTicket, Lang, LateCheckIn,
    RequestId, Ticket, TicketState,
};

use super::tickets::Arrival;
use super::{CODE_LEN, Ctx, EngineError, Result, conflict, invalid};
use crate::config::Site;
use crate::queue::check_in::{self, Refusal};
use crate::store;

/// A code as a person types it, in the form it is stored: capitals, without the spaces and
/// dashes a confirmation may print between its halves. `None` when it cannot be one.
pub fn normalise_code(typed: &str) -> Option<String> {
    let code: String = typed
        .chars()
        .filter(|c| !matches!(c, ' ' | '-'))
        .map(|c| c.to_ascii_uppercase())
        .collect();
    (code.len() == CODE_LEN && code.chars().all(|c| c.is_ascii_alphanumeric())).then_some(code)
}

fn unknown_code() -> EngineError {
    EngineError::Missing {
        code: ErrorCode::UnknownCode,
        message: "no appointment has this code here: check it, or see reception".to_owned(),
    }
}

impl Ctx<'_, '_> {
    /// Checks a citizen in by their booking code; the same `request_id` again returns the
    /// same ticket (`false`).
    pub fn check_in(
        &mut self,
        site_id: &str,
        code: &str,
        request: &CheckIn,
    ) -> Result<(IssuedTicket, bool)> {
        let site = self.site(site_id)?;
        self.forbid_unless(|c| c.may_issue(site_id))?;
        RequestId::parse(&request.request_id)
            .map_err(|rule| invalid(ErrorCode::InvalidRequestId, rule))?;
        if let Some(lang) = &request.lang {
            Lang::parse(lang).map_err(|rule| invalid(ErrorCode::InvalidLang, rule))?;
        }
        let code = normalise_code(code).ok_or_else(unknown_code)?;
        let appointment =
            store::appointment_by_code(self.tx, site_id, &code)?.ok_or_else(unknown_code)?;
        if let Some(existing) = store::find_by_request(self.tx, site_id, &request.request_id)? {
            if existing.channel != Channel::Appointment || existing.service != appointment.service {
                return Err(conflict(
                    ErrorCode::RequestIdReused,
                    "this request_id was used for another ticket",
                ));
            }
            let issued = self.checked_in_view(site, &existing)?;
            return Ok((issued, false));
        }
        let service = site.service(&appointment.service).ok_or_else(|| {
            conflict(
                ErrorCode::Closed,
                "this appointment's service is no longer offered here: see reception",
            )
        })?;
        let window = site.check_in_window();
        let local = |t: Timestamp| {
            t.to_zoned_datetime(site.time_zone.clone())
                .strftime("%H:%M")
        };
        let arrival = match appointment.state {
            AppointmentState::Booked => check_in::arrive(appointment.start, self.now, &window),
            // Its window passed unchecked; a site that queues late arrivals still takes them
            // the same day, as walk-ins.
            AppointmentState::NoShow
                if window.late_check_in == LateCheckIn::Queue
                    && same_day(site, appointment.start, self.now) =>
            {
                Ok(check_in::Arrival::Late)
            }
            AppointmentState::NoShow => Err(Refusal::TooLate),
            AppointmentState::CheckedIn => {
                return Err(conflict(
                    ErrorCode::InvalidTransition,
                    format!(
                        "this appointment is already checked in{}",
                        appointment
                            .ticket_number
                            .map(|n| format!(": ticket {n}"))
                            .unwrap_or_default()
                    ),
                ));
            }
            AppointmentState::Served | AppointmentState::Cancelled => {
                return Err(conflict(
                    ErrorCode::InvalidTransition,
                    format!(
                        "this appointment is {}: see reception",
                        appointment.state.as_str().replace('_', " ")
                    ),
                ));
            }
        };
        let (due_at, only_desk, on_time) = match arrival {
            Ok(check_in::Arrival::OnTime { due_at }) => {
                (Some(due_at), appointment.desk.clone(), true)
            }
            Ok(check_in::Arrival::Late) => (None, None, false),
            Err(Refusal::TooEarly { opens_at }) => {
                return Err(conflict(
                    ErrorCode::TooEarly,
                    format!(
                        "check-in for the appointment at {} opens at {}",
                        local(appointment.start),
                        local(opens_at)
                    ),
                ));
            }
            Err(Refusal::TooLate) => {
                return Err(conflict(
                    ErrorCode::TooLate,
                    format!(
                        "the appointment at {} has passed: please see reception",
                        local(appointment.start)
                    ),
                ));
            }
        };
        if !on_time {
            // A late arrival queues as a walk-in: the booked time is free for others.
            store::release_desk_time(self.tx, &appointment.id)?;
        }
        let ticket = self.open_ticket(
            site,
            service,
            Arrival {
                priority: None,
                lang: request.lang.clone(),
                channel: Channel::Appointment,
                request_id: request.request_id.clone(),
                line_at: due_at.unwrap_or(self.now),
                only_desk,
                due_at,
            },
        )?;
        store::check_in_appointment(self.tx, &appointment.id, &ticket.id, self.now)?;
        let detail = format!(
            "{} {} at {}",
            if on_time { "on time" } else { "late" },
            appointment.service,
            appointment.start
        );
        self.record_detail(
            site_id,
            EventKind::AppointmentCheckedIn,
            Some(&ticket),
            Some(&appointment.held_desk),
            Some(detail),
        )?;
        let issued = self.checked_in_view(site, &ticket)?;
        Ok((issued, true))
    }

    /// A checked-in ticket as the kiosk shows it: one on time waits for its start (the
    /// appointments before it at its service are ahead), a late one stands in the walk-in
    /// line.
    fn checked_in_view(&self, site: &Site, ticket: &Ticket) -> Result<IssuedTicket> {
        let service = site
            .service(&ticket.service)
            .ok_or_else(|| super::not_found("service", &ticket.service))?;
        let place = store::place_of(self.tx, &ticket.id)?;
        match place.as_ref().and_then(|p| p.due_at) {
            Some(due_at) => Ok(IssuedTicket {
                id: ticket.id.clone(),
                number: ticket.number.clone(),
                service: ticket.service.clone(),
                issued_at: ticket.issued_at,
                position: store::booked_ahead(self.tx, &site.id, &service.id, due_at)?,
                estimated_wait_s: due_at
                    .duration_since(self.now)
                    .max(SignedDuration::ZERO)
                    .as_secs() as u32,
                track_url: super::tickets::track_url(site, &ticket.id),
                short_url: super::tickets::short_url(self.tx, site, &ticket.id)?,
                appointment_at: Some(due_at),
            }),
            None => {
                let line_at = place.map_or(ticket.queued_at, |p| p.line_at);
                self.issued_view(site, service, ticket, line_at)
            }
        }
    }

    /// Appointments not checked in by the end of their window become no-shows; their desk
    /// time is free and their contact forgotten. Returns how many.
    pub fn expire_appointments(&mut self) -> Result<usize> {
        let mut expired = 0;
        for site in &self.config.sites {
            let before = self.now - site.check_in_late;
            for mut appointment in store::booked_before(self.tx, &site.id, before)? {
                appointment.state = AppointmentState::NoShow;
                store::release_desk_time(self.tx, &appointment.id)?;
                store::save_appointment(self.tx, &appointment, self.now)?;
                let detail = format!("{} at {}", appointment.service, appointment.start);
                self.record_detail(
                    &site.id,
                    EventKind::AppointmentNoShow,
                    None,
                    Some(&appointment.held_desk),
                    Some(detail),
                )?;
                expired += 1;
            }
        }
        Ok(expired)
    }

    /// Writes a ticket's new state, and the appointment its visit began with follows it:
    /// every change of a ticket's state goes through here, so none forgets the book.
    pub(super) fn save_state(&mut self, ticket: &Ticket) -> Result<()> {
        store::set_state(self.tx, ticket)?;
        self.follow_appointment(ticket)
    }

    /// A step of an appointment's visit changed state: the appointment follows (served,
    /// no-show, cancelled; checked in again after an undone no-show). Walk-ins cost nothing.
    fn follow_appointment(&mut self, ticket: &Ticket) -> Result<()> {
        if ticket.channel != Channel::Appointment {
            return Ok(());
        }
        let state = match ticket.state {
            TicketState::Done => AppointmentState::Served,
            TicketState::NoShow => AppointmentState::NoShow,
            TicketState::Cancelled | TicketState::Voided => AppointmentState::Cancelled,
            TicketState::Waiting | TicketState::Called => AppointmentState::CheckedIn,
            // Still in the visit: serving, parked, or moved on to its next step.
            _ => return Ok(()),
        };
        if let Some((visit_id, _, _)) = store::visit_of(self.tx, &ticket.id)? {
            store::follow_visit(self.tx, &visit_id, state, self.now)?;
        }
        Ok(())
    }
}

fn same_day(site: &Site, a: Timestamp, b: Timestamp) -> bool {
    let day = |t: Timestamp| t.to_zoned_datetime(site.time_zone.clone()).date();
    day(a) == day(b)
}

#[cfg(test)]
mod tests {
    use super::normalise_code;

    #[test]
    fn codes_are_read_as_people_type_them() {
        assert_eq!(normalise_code("kx7-pq4").as_deref(), Some("KX7PQ4"));
        assert_eq!(normalise_code(" KX7 PQ4 ").as_deref(), Some("KX7PQ4"));
        for wrong in ["", "KX7PQ", "KX7PQ44", "KX7PQ;", "ΚΧ7PQ4"] {
            assert_eq!(normalise_code(wrong), None, "{wrong}");
        }
    }
}
