//! The appointment book: booking, moving and cancelling, each holding or freeing the time of
//! a desk. The database refuses the same desk's same 5 minutes twice (migration 8); the
//! engine looks first, to say which desk is free or why none is.

use jiff::Timestamp;
use rusqlite::Transaction;
use seira_protocol::{
    Appointment, AppointmentState, EventKind, MoveAppointment, NewAppointment, RequestId,
};

use super::{Ctx, EngineError, ErrorCode, Result, conflict, invalid, not_found};
use crate::auth::new_ticket_id;
use crate::config::{Config, Service, Site};
use crate::store;

/// The characters of a booking code: capital letters and digits that are not taken for one
/// another when read aloud or typed (no 0/O, 1/I/L, 2/Z, 5/S, 8/B).
pub(super) const CODE_ALPHABET: &[u8; 25] = b"ACDEFGHJKMNPQRTUVWXY34679";
/// Six of them: 244 million codes.
pub const CODE_LEN: usize = 6;
const MAX_CONTACT_CHARS: usize = 100;
/// The longest appointment.
const MAX_MINUTES: u32 = 480;

/// A random booking code.
pub fn new_code() -> String {
    random_code(CODE_LEN)
}

/// `len` random characters of [`CODE_ALPHABET`].
pub(super) fn random_code(len: usize) -> String {
    let mut code = String::with_capacity(len);
    while code.len() < len {
        let mut byte = [0u8; 1];
        rand::fill(&mut byte);
        // 250 is ten times the alphabet: taking only bytes below it keeps every character
        // equally likely.
        if byte[0] < 250 {
            code.push(CODE_ALPHABET[usize::from(byte[0]) % CODE_ALPHABET.len()] as char);
        }
    }
    code
}

impl Ctx<'_, '_> {
    /// Books an appointment; the same `request_id` again returns the same one (`false`).
    pub fn book(&mut self, site_id: &str, request: &NewAppointment) -> Result<(Appointment, bool)> {
        let site = self.site(site_id)?;
        self.forbid_unless(|c| c.may_manage_queue(site_id))?;
        RequestId::parse(&request.request_id)
            .map_err(|rule| invalid(ErrorCode::InvalidRequestId, rule))?;
        let service = site
            .service(&request.service)
            .ok_or_else(|| not_found("service", &request.service))?;
        if service.appointment_slot.is_none() {
            return Err(invalid(
                ErrorCode::NotBookable,
                format!(
                    "`{}` takes no appointments (its settings: appointment_slot_min)",
                    service.id
                ),
            ));
        }
        if let Some(existing) =
            store::appointment_by_request(self.tx, site_id, &request.request_id)?
        {
            if existing.service != request.service || existing.start != request.start {
                return Err(conflict(
                    ErrorCode::RequestIdReused,
                    "this request_id was used for another appointment",
                ));
            }
            return Ok((existing, false));
        }
        let contact = match request.contact.as_deref().map(str::trim) {
            Some(c) if c.chars().count() > MAX_CONTACT_CHARS => {
                return Err(invalid(
                    ErrorCode::InvalidBody,
                    format!("the contact is at most {MAX_CONTACT_CHARS} characters"),
                ));
            }
            Some(c) if !c.is_empty() => Some(c.to_owned()),
            _ => None,
        };
        let note = super::tickets::validate_note(request.note.as_deref())?;
        self.check_time(site, service, request.start, request.minutes)?;
        let held_desk = free_desk(
            self.tx,
            site,
            service,
            request.desk.as_deref(),
            request.start,
            request.minutes,
        )?;
        let code = loop {
            let code = new_code();
            if !store::code_taken(self.tx, &code)? {
                break code;
            }
        };
        let appointment = Appointment {
            id: new_ticket_id(),
            code,
            site: site_id.to_owned(),
            service: service.id.clone(),
            desk: request.desk.clone(),
            held_desk,
            start: request.start,
            minutes: request.minutes,
            state: AppointmentState::Booked,
            checked_in_at: None,
            ticket_number: None,
            note,
        };
        store::insert_appointment(
            self.tx,
            &appointment,
            &request.request_id,
            contact.as_deref(),
            self.now,
        )?;
        store::hold_desk_time(self.tx, &appointment)?;
        self.schedule_reminder(site, &appointment)?;
        self.record_appointment(EventKind::AppointmentBooked, &appointment)?;
        Ok((appointment, true))
    }

    /// Moves a booked appointment to another time, and if asked another length or desk.
    pub fn move_appointment(&mut self, id: &str, to: &MoveAppointment) -> Result<Appointment> {
        let (site, service, mut appointment) = self.booked(id)?;
        let minutes = to.minutes.unwrap_or(appointment.minutes);
        let desk = to.desk.clone().or(appointment.desk.clone());
        self.check_time(site, service, to.start, minutes)?;
        // Its own time is free for it.
        store::release_desk_time(self.tx, id)?;
        appointment.held_desk =
            free_desk(self.tx, site, service, desk.as_deref(), to.start, minutes)?;
        appointment.desk = desk;
        appointment.start = to.start;
        appointment.minutes = minutes;
        store::save_appointment(self.tx, &appointment, self.now)?;
        store::hold_desk_time(self.tx, &appointment)?;
        // A new time, a new reminder (if the citizen left a contact).
        self.schedule_reminder(site, &appointment)?;
        self.record_appointment(EventKind::AppointmentMoved, &appointment)?;
        Ok(appointment)
    }

    /// Cancels a booked appointment: its desk time is free again and its contact forgotten.
    pub fn cancel_appointment(&mut self, id: &str) -> Result<Appointment> {
        let (_, _, mut appointment) = self.booked(id)?;
        appointment.state = AppointmentState::Cancelled;
        store::release_desk_time(self.tx, id)?;
        store::save_appointment(self.tx, &appointment, self.now)?;
        self.record_appointment(EventKind::AppointmentCancelled, &appointment)?;
        Ok(appointment)
    }

    /// The reminder of an appointment whose citizen left a contact, at a site that sends them.
    fn schedule_reminder(&self, site: &Site, a: &Appointment) -> Result<()> {
        let at = site
            .reminders
            .as_ref()
            .map(|g| crate::reminders::due_at(g, a.start, self.now));
        store::schedule_reminder(self.tx, &a.id, at)?;
        Ok(())
    }

    /// A booked appointment, its site and service, if the caller may change it.
    fn booked(&self, id: &str) -> Result<(&Site, &Service, Appointment)> {
        let appointment =
            store::load_appointment(self.tx, id)?.ok_or_else(|| not_found("appointment", id))?;
        let site = self.site(&appointment.site)?;
        self.forbid_unless(|c| c.may_manage_queue(&site.id))?;
        let service = site
            .service(&appointment.service)
            .ok_or_else(|| not_found("service", &appointment.service))?;
        if appointment.state != AppointmentState::Booked {
            return Err(conflict(
                ErrorCode::InvalidTransition,
                format!(
                    "the appointment is {}: only a booked one can be changed",
                    appointment.state.as_str()
                ),
            ));
        }
        Ok((site, service, appointment))
    }

    /// The length is whole steps of 5 minutes, the start on one, in the future, and the
    /// service open for all of it.
    fn check_time(
        &self,
        site: &Site,
        service: &Service,
        start: Timestamp,
        minutes: u32,
    ) -> Result<()> {
        let step_min = (store::SLOT_MS / 60_000) as u32;
        if minutes == 0 || minutes > MAX_MINUTES || !minutes.is_multiple_of(step_min) {
            return Err(invalid(
                ErrorCode::InvalidTime,
                format!("an appointment lasts 5 to {MAX_MINUTES} minutes, in steps of 5"),
            ));
        }
        if start.as_millisecond() % store::SLOT_MS != 0 {
            return Err(invalid(
                ErrorCode::InvalidTime,
                "an appointment starts on a 5-minute mark (09:00, 09:05…)",
            ));
        }
        if start < self.now {
            return Err(invalid(ErrorCode::InvalidTime, "that time has passed"));
        }
        if start
            .checked_add(jiff::SignedDuration::from_mins(i64::from(minutes)))
            .is_err()
        {
            return Err(invalid(
                ErrorCode::InvalidTime,
                "that time is beyond the calendar",
            ));
        }
        let steps = i64::from(minutes / step_min);
        let all_open = (0..steps).all(|i| {
            let at = start + jiff::SignedDuration::from_millis(i * store::SLOT_MS);
            site.service_open(service, at)
        });
        if !all_open {
            return Err(invalid(
                ErrorCode::Closed,
                "the service is not open for all of that time (its hours, the centre's hours \
                 or a closure day)",
            ));
        }
        Ok(())
    }

    fn record_appointment(&mut self, kind: EventKind, a: &Appointment) -> Result<()> {
        // Neither the code (it checks the citizen in) nor the contact goes in the log.
        let detail = format!("{} {} min at {}", a.service, a.minutes, a.start);
        self.record_detail(
            &a.site.clone(),
            kind,
            None,
            Some(&a.held_desk.clone()),
            Some(detail),
        )
    }
}

/// The desk whose time `[start, start + minutes)` is free: `wanted`, or the first free desk
/// of the service in the site's order.
fn free_desk(
    tx: &Transaction<'_>,
    site: &Site,
    service: &Service,
    wanted: Option<&str>,
    start: Timestamp,
    minutes: u32,
) -> Result<String> {
    let serving: Vec<&str> = site
        .desks
        .iter()
        .filter(|d| d.services.contains(&service.id))
        .map(|d| d.id.as_str())
        .collect();
    let bookable = |desk: &str| {
        site.desks
            .iter()
            .find(|d| d.id == desk)
            .is_some_and(|d| desk_bookable(site, d, start, minutes))
    };
    if let Some(desk) = wanted {
        if !site.desks.iter().any(|d| d.id == desk) {
            return Err(not_found("desk", desk));
        }
        if !serving.contains(&desk) {
            return Err(invalid(
                ErrorCode::DeskNotForService,
                format!("desk `{desk}` does not serve `{}`", service.id),
            ));
        }
        if !bookable(desk) {
            return Err(invalid(
                ErrorCode::Closed,
                format!(
                    "desk `{desk}` takes no appointments for all of that time (its appointment_hours)"
                ),
            ));
        }
        if store::desk_time_taken(tx, desk, start, minutes)? {
            return Err(conflict(
                ErrorCode::SlotTaken,
                format!("desk `{desk}` is booked for some of that time"),
            ));
        }
        return Ok(desk.to_owned());
    }
    if serving.is_empty() {
        return Err(invalid(
            ErrorCode::DeskNotForService,
            format!("no desk serves `{}`", service.id),
        ));
    }
    let open: Vec<&str> = serving.into_iter().filter(|d| bookable(d)).collect();
    if open.is_empty() {
        return Err(invalid(
            ErrorCode::Closed,
            format!(
                "no desk of `{}` takes appointments for all of that time",
                service.id
            ),
        ));
    }
    for desk in open {
        if !store::desk_time_taken(tx, desk, start, minutes)? {
            return Ok(desk.to_owned());
        }
    }
    Err(conflict(
        ErrorCode::SlotTaken,
        format!(
            "every desk of `{}` is booked for some of that time",
            service.id
        ),
    ))
}

/// Whether every 5 minutes of `[start, start + minutes)` fall in the desk's appointment
/// hours (any time, when it has none).
fn desk_bookable(site: &Site, desk: &crate::config::Desk, start: Timestamp, minutes: u32) -> bool {
    let Some(hours) = &desk.appointment_hours else {
        return true;
    };
    let steps = i64::from(minutes) * 60_000 / store::SLOT_MS;
    (0..steps).all(|i| {
        hours.is_open(
            start + jiff::SignedDuration::from_millis(i * store::SLOT_MS),
            &site.time_zone,
        )
    })
}

/// A site's appointments on a local day, by start time.
pub fn appointments_of_day(
    tx: &Transaction<'_>,
    config: &Config,
    site_id: &str,
    day: jiff::civil::Date,
) -> std::result::Result<Vec<Appointment>, EngineError> {
    appointments_of_days(tx, config, site_id, day, day)
}

/// A site's appointments from the local day `from` to `to` (both included), by start time.
pub fn appointments_of_days(
    tx: &Transaction<'_>,
    config: &Config,
    site_id: &str,
    from: jiff::civil::Date,
    to: jiff::civil::Date,
) -> std::result::Result<Vec<Appointment>, EngineError> {
    let site = config
        .site(site_id)
        .ok_or_else(|| not_found("site", site_id))?;
    let (from, to) = crate::stats::period_bounds(from, to, &site.time_zone)
        .ok_or_else(|| invalid(ErrorCode::BadDate, "the day is outside the calendar"))?;
    Ok(store::appointments_between(tx, site_id, from, to)?)
}
