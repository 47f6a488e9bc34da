//! The appointment book and the desk time each appointment holds.

use jiff::Timestamp;
use rusqlite::{OptionalExtension, Row, Transaction, params};
use seira_protocol::{Appointment, AppointmentState};

use super::{from_ms, to_ms};

/// The step of the book: an appointment starts on it and lasts a whole number of them.
pub const SLOT_MS: i64 = 5 * 60 * 1000;

/// Each appointment with the number of the ticket its check-in made.
const SELECT: &str = "SELECT a.id, a.code, a.site, a.service, a.desk, a.held_desk, a.start_at, \
     a.minutes, a.state, a.checked_in_at, t.number, a.note \
     FROM appointments a LEFT JOIN tickets t ON t.id = a.ticket_id";

/// The appointment state in column `i`.
fn state_at(r: &Row<'_>, i: usize) -> rusqlite::Result<AppointmentState> {
    let state: String = r.get(i)?;
    AppointmentState::parse(&state).ok_or_else(|| {
        rusqlite::Error::FromSqlConversionFailure(
            i,
            rusqlite::types::Type::Text,
            format!("unknown appointment state `{state}`").into(),
        )
    })
}

fn appointment(r: &Row<'_>) -> rusqlite::Result<Appointment> {
    Ok(Appointment {
        id: r.get(0)?,
        code: r.get(1)?,
        site: r.get(2)?,
        service: r.get(3)?,
        desk: r.get(4)?,
        held_desk: r.get(5)?,
        start: from_ms(r.get(6)?),
        minutes: r.get(7)?,
        state: state_at(r, 8)?,
        checked_in_at: r.get::<_, Option<i64>>(9)?.map(from_ms),
        ticket_number: r.get(10)?,
        note: r.get(11)?,
    })
}

/// A new appointment, with its request id and the citizen's contact (if any).
pub fn insert_appointment(
    tx: &Transaction<'_>,
    a: &Appointment,
    request_id: &str,
    contact: Option<&str>,
    now: Timestamp,
) -> rusqlite::Result<()> {
    tx.prepare_cached(
        "INSERT INTO appointments (id, code, site, service, desk, held_desk, start_at, minutes, \
         state, request_id, contact, booked_at, changed_at, note) \
         VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?12, ?13)",
    )?
    .execute(params![
        a.id,
        a.code,
        a.site,
        a.service,
        a.desk,
        a.held_desk,
        to_ms(a.start),
        a.minutes,
        a.state.as_str(),
        request_id,
        contact,
        to_ms(now),
        a.note,
    ])?;
    Ok(())
}

pub fn load_appointment(tx: &Transaction<'_>, id: &str) -> rusqlite::Result<Option<Appointment>> {
    tx.prepare_cached(&format!("{SELECT} WHERE a.id = ?1"))?
        .query_row(params![id], appointment)
        .optional()
}

pub fn appointment_by_request(
    tx: &Transaction<'_>,
    site: &str,
    request_id: &str,
) -> rusqlite::Result<Option<Appointment>> {
    tx.prepare_cached(&format!("{SELECT} WHERE a.site = ?1 AND a.request_id = ?2"))?
        .query_row(params![site, request_id], appointment)
        .optional()
}

pub fn code_taken(tx: &Transaction<'_>, code: &str) -> rusqlite::Result<bool> {
    tx.prepare_cached("SELECT 1 FROM appointments WHERE code = ?1")?
        .query_row(params![code], |_| Ok(()))
        .optional()
        .map(|found| found.is_some())
}

/// A site's appointments starting in `[from, to)`, by start time.
pub fn appointments_between(
    tx: &Transaction<'_>,
    site: &str,
    from: Timestamp,
    to: Timestamp,
) -> rusqlite::Result<Vec<Appointment>> {
    let mut stmt = tx.prepare_cached(&format!(
        "{SELECT} WHERE a.site = ?1 AND a.start_at >= ?2 AND a.start_at < ?3 \
         ORDER BY a.start_at, a.held_desk"
    ))?;
    let rows = stmt.query_map(params![site, to_ms(from), to_ms(to)], appointment)?;
    rows.collect()
}

/// Whether any of the desk's time in `[start, start + minutes)` is held.
pub fn desk_time_taken(
    tx: &Transaction<'_>,
    desk: &str,
    start: Timestamp,
    minutes: u32,
) -> rusqlite::Result<bool> {
    let from = to_ms(start);
    let to = from + i64::from(minutes) * 60_000;
    tx.prepare_cached(
        "SELECT 1 FROM appointment_slots WHERE desk = ?1 AND at >= ?2 AND at < ?3 LIMIT 1",
    )?
    .query_row(params![desk, from, to], |_| Ok(()))
    .optional()
    .map(|found| found.is_some())
}

/// Holds the appointment's desk time, 5 minutes a row. A row already held makes the insert
/// fail on the primary key: the same time is never given twice.
pub fn hold_desk_time(tx: &Transaction<'_>, a: &Appointment) -> rusqlite::Result<()> {
    let mut stmt = tx.prepare_cached(
        "INSERT INTO appointment_slots (desk, at, appointment) VALUES (?1, ?2, ?3)",
    )?;
    let start = to_ms(a.start);
    for step in 0..i64::from(a.minutes) * 60_000 / SLOT_MS {
        stmt.execute(params![a.held_desk, start + step * SLOT_MS, a.id])?;
    }
    Ok(())
}

/// Frees the desk time an appointment holds.
pub fn release_desk_time(tx: &Transaction<'_>, id: &str) -> rusqlite::Result<()> {
    tx.prepare_cached("DELETE FROM appointment_slots WHERE appointment = ?1")?
        .execute(params![id])?;
    Ok(())
}

/// Writes an appointment's time, desk and state; an ended one forgets its contact.
pub fn save_appointment(
    tx: &Transaction<'_>,
    a: &Appointment,
    now: Timestamp,
) -> rusqlite::Result<()> {
    let ended = matches!(
        a.state,
        AppointmentState::Served | AppointmentState::NoShow | AppointmentState::Cancelled
    );
    tx.prepare_cached(
        "UPDATE appointments SET desk = ?2, held_desk = ?3, start_at = ?4, minutes = ?5, \
         state = ?6, changed_at = ?7, contact = CASE WHEN ?8 THEN NULL ELSE contact END, \
         note = CASE WHEN ?8 THEN NULL ELSE note END, \
         reminder_at = CASE WHEN ?8 THEN NULL ELSE reminder_at END WHERE id = ?1",
    )?
    .execute(params![
        a.id,
        a.desk,
        a.held_desk,
        to_ms(a.start),
        a.minutes,
        a.state.as_str(),
        to_ms(now),
        ended,
    ])?;
    Ok(())
}

/// A site's appointment by its code (as typed: the caller normalises it).
pub fn appointment_by_code(
    tx: &Transaction<'_>,
    site: &str,
    code: &str,
) -> rusqlite::Result<Option<Appointment>> {
    tx.prepare_cached(&format!("{SELECT} WHERE a.code = ?1 AND a.site = ?2"))?
        .query_row(params![code, site], appointment)
        .optional()
}

/// Records the check-in and the ticket it made.
pub fn check_in_appointment(
    tx: &Transaction<'_>,
    id: &str,
    ticket_id: &str,
    now: Timestamp,
) -> rusqlite::Result<()> {
    tx.prepare_cached(
        "UPDATE appointments SET state = 'checked_in', checked_in_at = ?3, ticket_id = ?2, \
         changed_at = ?3 WHERE id = ?1",
    )?
    .execute(params![id, ticket_id, to_ms(now)])?;
    Ok(())
}

/// A site's appointments still booked (not checked in) that started before `before`.
pub fn booked_before(
    tx: &Transaction<'_>,
    site: &str,
    before: Timestamp,
) -> rusqlite::Result<Vec<Appointment>> {
    let mut stmt = tx.prepare_cached(&format!(
        "{SELECT} WHERE a.state = 'booked' AND a.start_at < ?2 \
         AND a.site = ?1 ORDER BY a.start_at"
    ))?;
    let rows = stmt.query_map(params![site, to_ms(before)], appointment)?;
    rows.collect()
}

/// The checked-in appointment that began a visit follows its end: served, a no-show or
/// cancelled (its contact forgotten), or checked in again when a no-show is undone. Only an
/// appointment that was checked in (or a no-show after it) changes; returns whether one did.
pub fn follow_visit(
    tx: &Transaction<'_>,
    visit_id: &str,
    state: AppointmentState,
    now: Timestamp,
) -> rusqlite::Result<bool> {
    let ended = state != AppointmentState::CheckedIn;
    tx.prepare_cached(
        "UPDATE appointments SET state = ?2, changed_at = ?3, \
         contact = CASE WHEN ?4 THEN NULL ELSE contact END, \
         note = CASE WHEN ?4 THEN NULL ELSE note END, \
         reminder_at = CASE WHEN ?4 THEN NULL ELSE reminder_at END \
         WHERE ticket_id = ?1 AND state <> ?2 AND state IN ('checked_in', 'no_show')",
    )?
    .execute(params![visit_id, state.as_str(), to_ms(now), ended])
    .map(|changed| changed > 0)
}

/// Whether the appointment still keeps a contact (tests of forgetting it).
pub fn has_contact(tx: &Transaction<'_>, id: &str) -> rusqlite::Result<bool> {
    tx.prepare_cached("SELECT contact IS NOT NULL FROM appointments WHERE id = ?1")?
        .query_row(params![id], |r| r.get(0))
}

/// A site's appointments starting in `[from, to)`, as the statistics need them.
pub fn appointment_stat_rows(
    tx: &Transaction<'_>,
    site: &str,
    from: Timestamp,
    to: Timestamp,
) -> rusqlite::Result<Vec<crate::stats::AppointmentRow>> {
    let mut stmt = tx.prepare_cached(
        "SELECT a.service, a.minutes, a.state, a.start_at, a.checked_in_at, t.called_at \
         FROM appointments a LEFT JOIN tickets t ON t.id = a.ticket_id \
         WHERE a.site = ?1 AND a.start_at >= ?2 AND a.start_at < ?3",
    )?;
    let rows = stmt.query_map(params![site, to_ms(from), to_ms(to)], |r| {
        Ok(crate::stats::AppointmentRow {
            service: r.get(0)?,
            minutes: r.get(1)?,
            state: state_at(r, 2)?,
            start: from_ms(r.get(3)?),
            checked_in_at: r.get::<_, Option<i64>>(4)?.map(from_ms),
            called_at: r.get::<_, Option<i64>>(5)?.map(from_ms),
        })
    })?;
    rows.collect()
}

/// When the appointment's reminder is due (`None`: no reminder), counting attempts anew.
pub fn schedule_reminder(
    tx: &Transaction<'_>,
    id: &str,
    at: Option<Timestamp>,
) -> rusqlite::Result<()> {
    tx.prepare_cached(
        "UPDATE appointments SET reminder_at = ?2, reminder_attempts = 0 WHERE id = ?1 \
         AND contact IS NOT NULL",
    )?
    .execute(params![id, at.map(to_ms)])?;
    Ok(())
}

/// A reminder to send: the appointment, and the contact (read only to be sent).
#[derive(Debug, Clone)]
pub struct DueReminder {
    pub appointment: Appointment,
    pub contact: String,
    pub attempts: u32,
}

/// Booked appointments whose reminder is due by `now`, the oldest first.
pub fn due_reminders(
    tx: &Transaction<'_>,
    now: Timestamp,
    limit: usize,
) -> rusqlite::Result<Vec<DueReminder>> {
    let select = SELECT.replacen(
        " FROM appointments a",
        ", a.contact, a.reminder_attempts FROM appointments a",
        1,
    );
    let mut stmt = tx.prepare_cached(&format!(
        "{select} WHERE a.reminder_at IS NOT NULL AND a.reminder_at <= ?1 \
         AND a.state = 'booked' AND a.contact IS NOT NULL ORDER BY a.reminder_at LIMIT ?2"
    ))?;
    let rows = stmt.query_map(params![to_ms(now), limit as i64], |r| {
        Ok(DueReminder {
            appointment: appointment(r)?,
            contact: r.get(12)?,
            attempts: r.get(13)?,
        })
    })?;
    rows.collect()
}

/// Moves the reminder to `next` (a claim while it is sent, or the next try after a failure,
/// `attempts` counted), or clears it (`None`), marking it sent when `sent`.
pub fn reminder_done_or_next(
    tx: &Transaction<'_>,
    id: &str,
    next: Option<Timestamp>,
    attempts: u32,
    sent: Option<Timestamp>,
) -> rusqlite::Result<()> {
    tx.prepare_cached(
        "UPDATE appointments SET reminder_at = ?2, reminder_attempts = ?3, \
         reminder_sent_at = COALESCE(?4, reminder_sent_at) WHERE id = ?1",
    )?
    .execute(params![id, next.map(to_ms), attempts, sent.map(to_ms)])?;
    Ok(())
}

pub fn reminder_attempts(tx: &Transaction<'_>, id: &str) -> rusqlite::Result<u32> {
    tx.prepare_cached("SELECT reminder_attempts FROM appointments WHERE id = ?1")?
        .query_row(params![id], |r| r.get(0))
}
