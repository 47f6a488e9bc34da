//! The tickets table.

use std::collections::BTreeMap;

use jiff::{SignedDuration, Timestamp, civil::Date};
use rusqlite::{OptionalExtension, Row, Transaction, params};
use seira_protocol::{Channel, Ticket, TicketState};

use super::{from_ms, to_ms};

const COLUMNS: &str = "id, number, site, service, state, priority, channel, lang, desk, recalls, \
     step, issued_at, queued_at, called_at, started_at, finished_at, inaccurate_time";

fn ticket(row: &Row<'_>) -> rusqlite::Result<Ticket> {
    let bad = |i, what: &str| {
        rusqlite::Error::FromSqlConversionFailure(
            i,
            rusqlite::types::Type::Text,
            format!("unknown {what}").into(),
        )
    };
    let state: String = row.get(4)?;
    let channel: String = row.get(6)?;
    Ok(Ticket {
        id: row.get(0)?,
        number: row.get(1)?,
        site: row.get(2)?,
        service: row.get(3)?,
        state: TicketState::parse(&state).ok_or_else(|| bad(4, "state"))?,
        priority: row.get(5)?,
        channel: Channel::parse(&channel).ok_or_else(|| bad(6, "channel"))?,
        lang: row.get(7)?,
        desk: row.get(8)?,
        recalls: row.get(9)?,
        step: row.get(10)?,
        issued_at: from_ms(row.get(11)?),
        queued_at: from_ms(row.get(12)?),
        called_at: row.get::<_, Option<i64>>(13)?.map(from_ms),
        started_at: row.get::<_, Option<i64>>(14)?.map(from_ms),
        finished_at: row.get::<_, Option<i64>>(15)?.map(from_ms),
        inaccurate_time: row.get(16)?,
    })
}

/// A service day column (`YYYY-MM-DD`).
fn day(row: &Row<'_>, index: usize) -> rusqlite::Result<Date> {
    let text: String = row.get(index)?;
    text.parse().map_err(|e: jiff::Error| {
        rusqlite::Error::FromSqlConversionFailure(index, rusqlite::types::Type::Text, e.into())
    })
}

/// A ticket to insert, with what only the store keeps.
#[derive(Debug, Clone)]
pub struct NewTicket {
    pub ticket: Ticket,
    pub visit_id: String,
    pub day: Date,
    pub seq: u32,
    pub request_id: Option<String>,
    /// Its place in the queue (usually `queued_at`; see migration 6).
    pub line_at: Timestamp,
    /// Only this desk may call it.
    pub only_desk: Option<String>,
    /// A colleague's note (staff only).
    pub note: Option<String>,
    /// A checked-in appointment's start: called first from then (migration 9).
    pub due_at: Option<Timestamp>,
    /// The printed short link's code (a visit's first step; migration 10).
    pub short_code: Option<String>,
}

/// A waiting ticket with what only the store keeps about its place.
#[derive(Debug, Clone)]
pub struct Waiting {
    pub ticket: Ticket,
    pub line_at: Timestamp,
    pub only_desk: Option<String>,
    pub note: Option<String>,
    pub due_at: Option<Timestamp>,
}

fn waiting(row: &Row<'_>) -> rusqlite::Result<Waiting> {
    Ok(Waiting {
        ticket: ticket(row)?,
        line_at: from_ms(row.get(17)?),
        only_desk: row.get(18)?,
        note: row.get(19)?,
        due_at: row.get::<_, Option<i64>>(20)?.map(from_ms),
    })
}

pub fn insert_ticket(tx: &Transaction<'_>, new: &NewTicket) -> rusqlite::Result<()> {
    let t = &new.ticket;
    tx.prepare_cached(
        "INSERT INTO tickets (id, visit_id, step, site, service, day, seq, number, priority, \
         channel, lang, request_id, state, desk, recalls, issued_at, queued_at, line_at, \
         only_desk, note, due_at, short_code) \
         VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?13, ?14, ?15, ?16, ?17, \
         ?18, ?19, ?20, ?21, ?22)",
    )?
    .execute(params![
        t.id,
        new.visit_id,
        t.step,
        t.site,
        t.service,
        new.day.to_string(),
        new.seq,
        t.number,
        t.priority,
        t.channel.as_str(),
        t.lang,
        new.request_id,
        t.state.as_str(),
        t.desk,
        t.recalls,
        to_ms(t.issued_at),
        to_ms(t.queued_at),
        to_ms(new.line_at),
        new.only_desk,
        new.note,
        new.due_at.map(to_ms),
        new.short_code,
    ])?;
    Ok(())
}

/// The ticket a short link's code names.
pub fn ticket_by_short_code(tx: &Transaction<'_>, code: &str) -> rusqlite::Result<Option<String>> {
    tx.prepare_cached("SELECT id FROM tickets WHERE short_code = ?1")?
        .query_row(params![code], |r| r.get(0))
        .optional()
}

/// A ticket's short link code (its visit's first step has it).
pub fn short_code_of(tx: &Transaction<'_>, id: &str) -> rusqlite::Result<Option<String>> {
    tx.prepare_cached(
        "SELECT short_code FROM tickets WHERE id = (SELECT visit_id FROM tickets WHERE id = ?1)",
    )?
    .query_row(params![id], |r| r.get(0))
    .optional()
    .map(Option::flatten)
}

/// The next sequence number of a service's day (voided numbers count: never reused).
pub fn next_seq(
    tx: &Transaction<'_>,
    site: &str,
    service: &str,
    day: Date,
) -> rusqlite::Result<u32> {
    tx.prepare_cached(
        "SELECT COALESCE(MAX(seq), 0) + 1 FROM tickets \
         WHERE site = ?1 AND service = ?2 AND day = ?3 AND step = 1",
    )?
    .query_row(params![site, service, day.to_string()], |r| r.get(0))
}

pub fn find_by_request(
    tx: &Transaction<'_>,
    site: &str,
    request_id: &str,
) -> rusqlite::Result<Option<Ticket>> {
    tx.prepare_cached(&format!(
        "SELECT {COLUMNS} FROM tickets WHERE site = ?1 AND request_id = ?2"
    ))?
    .query_row(params![site, request_id], ticket)
    .optional()
}

/// The request ids of tickets taken on phones begin with this (the engine's `join`): a
/// phone's ids live apart from the kiosks'.
pub const PHONE_REQUEST: &str = "phone-";

/// Of a service's tickets taken on phones: how many wait now, and when the `nth` newest of
/// those taken from `since` on was issued (none when fewer were).
pub fn phone_tickets(
    tx: &Transaction<'_>,
    site: &str,
    service: &str,
    since: Timestamp,
    nth: u32,
) -> rusqlite::Result<(u32, Option<Timestamp>)> {
    let phone = Channel::Phone.as_str();
    let waiting = tx
        .prepare_cached(
            "SELECT count(*) FROM tickets WHERE site = ?1 AND state = 'waiting' \
             AND service = ?2 AND step = 1 AND channel = ?3",
        )?
        .query_row(params![site, service, phone], |r| r.get(0))?;
    let mut stmt = tx.prepare_cached(
        "SELECT issued_at FROM tickets WHERE site = ?1 AND service = ?2 AND day >= ?4 \
         AND step = 1 AND channel = ?3 AND issued_at >= ?5 \
         ORDER BY issued_at DESC LIMIT 1 OFFSET ?6",
    )?;
    // The window never reaches back further than yesterday's service day.
    let yesterday = jiff::tz::TimeZone::UTC
        .to_datetime(since)
        .date()
        .yesterday()
        .map(|d| d.to_string())
        .unwrap_or_default();
    let nth_newest = stmt
        .query_row(
            params![
                site,
                service,
                phone,
                yesterday,
                to_ms(since),
                i64::from(nth.max(1) - 1)
            ],
            |r| Ok(from_ms(r.get(0)?)),
        )
        .optional()?;
    Ok((waiting, nth_newest))
}

/// The waiting tickets phones took at `site` from `since` on, of `service` or of all.
pub fn waiting_phone_tickets(
    tx: &Transaction<'_>,
    site: &str,
    service: Option<&str>,
    since: Timestamp,
) -> rusqlite::Result<Vec<Ticket>> {
    let mut stmt = tx.prepare_cached(&format!(
        "SELECT {COLUMNS} FROM tickets WHERE site = ?1 AND state = 'waiting' \
         AND channel = ?2 AND issued_at >= ?3 AND (?4 IS NULL OR service = ?4) \
         ORDER BY issued_at"
    ))?;
    let rows = stmt.query_map(
        params![site, Channel::Phone.as_str(), to_ms(since), service],
        ticket,
    )?;
    rows.collect()
}

pub fn load_ticket(tx: &Transaction<'_>, id: &str) -> rusqlite::Result<Option<Ticket>> {
    tx.prepare_cached(&format!("SELECT {COLUMNS} FROM tickets WHERE id = ?1"))?
        .query_row(params![id], ticket)
        .optional()
}

/// The ticket called to or served at a desk now.
pub fn ticket_in_hand(tx: &Transaction<'_>, desk: &str) -> rusqlite::Result<Option<Ticket>> {
    tx.prepare_cached(&format!(
        "SELECT {COLUMNS} FROM tickets WHERE desk = ?1 AND state IN ('called', 'serving')"
    ))?
    .query_row(params![desk], ticket)
    .optional()
}

/// The tickets a desk could call next: for each of its services, the first `per_lane`
/// ordinary and priority walk-ins in line and checked-in appointments by start, leaving out
/// those sent to another desk only. The
/// calling rules only ever pick the first of a lane (within a service and kind, the first in
/// line is also the most overdue); the desk's list shows more of each.
pub fn waiting_lanes(
    tx: &Transaction<'_>,
    site: &str,
    desk: &str,
    services: &[String],
    per_lane: usize,
) -> rusqlite::Result<Vec<Waiting>> {
    let mut ordinary = tx.prepare_cached(&lane_sql(Lane::Ordinary))?;
    let mut priority = tx.prepare_cached(&lane_sql(Lane::Priority))?;
    let mut booked = tx.prepare_cached(&lane_sql(Lane::Booked))?;
    let mut found = Vec::new();
    for service in services {
        let args = params![site, service, desk, per_lane as i64];
        for rows in [
            ordinary.query_map(args, waiting)?,
            priority.query_map(args, waiting)?,
            booked.query_map(args, waiting)?,
        ] {
            for row in rows {
                found.push(row?);
            }
        }
    }
    Ok(found)
}

#[derive(Clone, Copy)]
enum Lane {
    Ordinary,
    Priority,
    /// Checked-in appointments, by start.
    Booked,
}

/// The first tickets of one lane. Each lane has its own index (migrations 7 and 9), so an
/// empty lane costs nothing however long the other is. The index is named: left to itself,
/// SQLite takes the whole queue's index, which has more equal columns, and walks every
/// ordinary ticket looking for a priority one.
fn lane_sql(lane: Lane) -> String {
    let (index, kind, order) = match lane {
        Lane::Ordinary => (
            "tickets_lane_ordinary",
            "priority IS NULL AND due_at IS NULL",
            "line_at",
        ),
        Lane::Priority => (
            "tickets_lane_priority",
            "priority IS NOT NULL AND due_at IS NULL",
            "line_at",
        ),
        Lane::Booked => ("tickets_lane_booked", "due_at IS NOT NULL", "due_at"),
    };
    format!(
        "SELECT {COLUMNS}, line_at, only_desk, note, due_at FROM tickets INDEXED BY {index} \
         WHERE site = ?1 AND state = 'waiting' AND service = ?2 AND {kind} \
         AND (only_desk IS NULL OR only_desk = ?3) ORDER BY {order}, rowid LIMIT ?4"
    )
}

/// Where a ticket stands in its queue, where it is sent, and its colleague's note.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Place {
    pub line_at: Timestamp,
    pub only_desk: Option<String>,
    pub note: Option<String>,
    /// A checked-in appointment's start.
    pub due_at: Option<Timestamp>,
}

pub fn place_of(tx: &Transaction<'_>, id: &str) -> rusqlite::Result<Option<Place>> {
    tx.prepare_cached("SELECT line_at, only_desk, note, due_at FROM tickets WHERE id = ?1")?
        .query_row(params![id], |r| {
            Ok(Place {
                line_at: from_ms(r.get(0)?),
                only_desk: r.get(1)?,
                note: r.get(2)?,
                due_at: r.get::<_, Option<i64>>(3)?.map(from_ms),
            })
        })
        .optional()
}

/// The first place in a service's line, if anyone waits.
pub fn first_in_line(
    tx: &Transaction<'_>,
    site: &str,
    service: &str,
) -> rusqlite::Result<Option<Timestamp>> {
    tx.prepare_cached(
        "SELECT MIN(line_at) FROM tickets WHERE site = ?1 AND state = 'waiting' AND service = ?2",
    )?
    .query_row(params![site, service], |r| {
        Ok(r.get::<_, Option<i64>>(0)?.map(from_ms))
    })
}

/// Forgets the notes of visits that have ended: done, cancelled, voided or moved on; a
/// no-show's note stays while it can still be undone (until `no_show_before`).
pub fn forget_notes(
    tx: &Transaction<'_>,
    site: &str,
    no_show_before: Timestamp,
) -> rusqlite::Result<usize> {
    tx.prepare_cached(
        "UPDATE tickets SET note = NULL WHERE site = ?1 AND note IS NOT NULL \
         AND (state IN ('done', 'cancelled', 'voided', 'transferred') \
              OR (state = 'no_show' AND finished_at < ?2))",
    )?
    .execute(params![site, to_ms(no_show_before)])
}

/// Writes back a ticket's changeable fields.
pub fn set_state(tx: &Transaction<'_>, t: &Ticket) -> rusqlite::Result<()> {
    tx.prepare_cached(
        "UPDATE tickets SET state = ?2, desk = ?3, recalls = ?4, queued_at = ?5, called_at = ?6, \
         started_at = ?7, finished_at = ?8, inaccurate_time = ?9, \
         note = CASE WHEN ?2 IN ('done', 'cancelled', 'voided', 'transferred') THEN NULL \
                ELSE note END \
         WHERE id = ?1",
    )?
    .execute(params![
        t.id,
        t.state.as_str(),
        t.desk,
        t.recalls,
        to_ms(t.queued_at),
        t.called_at.map(to_ms),
        t.started_at.map(to_ms),
        t.finished_at.map(to_ms),
        t.inaccurate_time,
    ])?;
    Ok(())
}

/// Marks a ticket as announced (called or recalled) at `at`, and whether it was called out of
/// the calling order.
pub fn call_ticket(
    tx: &Transaction<'_>,
    id: &str,
    at: Timestamp,
    out_of_order: bool,
    by: Option<&str>,
) -> rusqlite::Result<()> {
    tx.prepare_cached(
        "UPDATE tickets SET announced_at = ?2, out_of_order = out_of_order OR ?3, \
         served_by = COALESCE(?4, served_by) WHERE id = ?1",
    )?
    .execute(params![id, to_ms(at), out_of_order, by])?;
    Ok(())
}

/// For each service of a site with someone waiting: how many, and since when the longest.
pub fn waiting_now(
    tx: &Transaction<'_>,
    site: &str,
) -> rusqlite::Result<Vec<(String, u32, Timestamp)>> {
    let mut stmt = tx.prepare_cached(
        "SELECT service, COUNT(*), MIN(queued_at) FROM tickets \
         WHERE site = ?1 AND state = 'waiting' GROUP BY service",
    )?;
    let rows = stmt.query_map(params![site], |r| {
        Ok((r.get(0)?, r.get(1)?, from_ms(r.get(2)?)))
    })?;
    rows.collect()
}

/// The statistics' columns of a step, in [`read_steps`]'s order.
const STEP_COLUMNS: &str = "service, state, step, desk, served_by, queued_at, called_at, \
     started_at, finished_at, inaccurate_time, channel, rating";

/// A site's visit steps that joined a queue in `[from, to)`, for the statistics. (Read
/// through the covering index: no table lookup per row.)
pub fn stat_rows(
    tx: &Transaction<'_>,
    site: &str,
    from: Timestamp,
    to: Timestamp,
) -> rusqlite::Result<Vec<crate::stats::StepRow>> {
    let mut stmt = tx.prepare_cached(&format!(
        "SELECT {STEP_COLUMNS} FROM tickets WHERE site = ?1 AND queued_at >= ?2 AND queued_at < ?3"
    ))?;
    let rows = read_steps(stmt.query(params![site, to_ms(from), to_ms(to)])?, |_| {
        Ok(())
    })?;
    Ok(rows.into_iter().map(|(row, ())| row).collect())
}

/// Like [`stat_rows`], with what the estimates' replay also needs of each step: whether it
/// is a priority ticket. (Beside the covering index: the replay is a benchmark, not a page.)
pub fn replay_rows(
    tx: &Transaction<'_>,
    site: &str,
    from: Timestamp,
    to: Timestamp,
) -> rusqlite::Result<Vec<crate::stats::estimates::ReplayRow>> {
    let mut stmt = tx.prepare_cached(&format!(
        "SELECT {STEP_COLUMNS}, priority IS NOT NULL FROM tickets \
         WHERE site = ?1 AND queued_at >= ?2 AND queued_at < ?3"
    ))?;
    let rows = read_steps(stmt.query(params![site, to_ms(from), to_ms(to)])?, |r| {
        r.get::<_, bool>(12)
    })?;
    Ok(rows
        .into_iter()
        .map(|(step, priority)| crate::stats::estimates::ReplayRow { step, priority })
        .collect())
}

/// Reads rows of [`STEP_COLUMNS`] (and whatever `extra` reads after them).
fn read_steps<T>(
    mut rows: rusqlite::Rows<'_>,
    extra: impl Fn(&Row<'_>) -> rusqlite::Result<T>,
) -> rusqlite::Result<Vec<(crate::stats::StepRow, T)>> {
    // Service ids, desks and staff repeat on every row: one shared copy of each. They are
    // few (a site's services, desks and staff), so a list beats a hash map here.
    let mut names: Vec<std::sync::Arc<str>> = Vec::new();
    let mut name =
        |value: rusqlite::types::ValueRef<'_>| -> rusqlite::Result<Option<std::sync::Arc<str>>> {
            let text = match value {
                rusqlite::types::ValueRef::Null => return Ok(None),
                other => other.as_str().map_err(|e| {
                    rusqlite::Error::FromSqlConversionFailure(
                        0,
                        rusqlite::types::Type::Text,
                        e.into(),
                    )
                })?,
            };
            if let Some(shared) = names.iter().find(|n| ***n == *text) {
                return Ok(Some(shared.clone()));
            }
            let shared: std::sync::Arc<str> = text.into();
            names.push(shared.clone());
            Ok(Some(shared))
        };
    let mut out = Vec::new();
    while let Some(row) = rows.next()? {
        let state = row.get_ref(1)?.as_str().map_err(|e| {
            rusqlite::Error::FromSqlConversionFailure(1, rusqlite::types::Type::Text, e.into())
        })?;
        let state = TicketState::parse(state).ok_or_else(|| {
            rusqlite::Error::FromSqlConversionFailure(
                1,
                rusqlite::types::Type::Text,
                "unknown state".into(),
            )
        })?;
        let step = crate::stats::StepRow {
            service: name(row.get_ref(0)?)?.unwrap_or_else(|| "".into()),
            state,
            step: row.get(2)?,
            desk: name(row.get_ref(3)?)?,
            staff: name(row.get_ref(4)?)?,
            queued_at: from_ms(row.get(5)?),
            called_at: row.get::<_, Option<i64>>(6)?.map(from_ms),
            started_at: row.get::<_, Option<i64>>(7)?.map(from_ms),
            finished_at: row.get::<_, Option<i64>>(8)?.map(from_ms),
            inaccurate_time: row.get(9)?,
            appointment: row.get_ref(10)?.as_str().is_ok_and(|c| c == "appointment"),
            rating: row.get(11)?,
        };
        out.push((step, extra(row)?));
    }
    Ok(out)
}

/// Waiting tickets per service of a site.
pub fn waiting_counts(tx: &Transaction<'_>, site: &str) -> rusqlite::Result<BTreeMap<String, u32>> {
    // Kept by triggers as tickets join and leave (migration 7): as cheap for a long queue as
    // for an empty one.
    let mut stmt = tx.prepare_cached(
        "SELECT service, waiting FROM queue_counts WHERE site = ?1 AND waiting > 0",
    )?;
    let rows = stmt.query_map(params![site], |r| Ok((r.get(0)?, r.get(1)?)))?;
    rows.collect()
}

/// Tickets of a service waiting ahead of the place `line_at`.
pub fn waiting_ahead(
    tx: &Transaction<'_>,
    site: &str,
    service: &str,
    line_at: Timestamp,
) -> rusqlite::Result<u32> {
    tx.prepare_cached(
        "SELECT COUNT(*) FROM tickets WHERE site = ?1 AND state = 'waiting' AND service = ?2 \
         AND line_at < ?3",
    )?
    .query_row(params![site, service, to_ms(line_at)], |r| r.get(0))
}

/// Like [`waiting_ahead`], counted from the back of the line: what waits in all, less what
/// waits at or after the place. Cheap for a ticket near the back, as one just issued is,
/// however long the queue.
pub fn waiting_ahead_from_back(
    tx: &Transaction<'_>,
    site: &str,
    service: &str,
    line_at: Timestamp,
) -> rusqlite::Result<u32> {
    let all: u32 = tx
        .prepare_cached("SELECT waiting FROM queue_counts WHERE site = ?1 AND service = ?2")?
        .query_row(params![site, service], |r| r.get(0))
        .optional()?
        .unwrap_or(0);
    let behind: u32 = tx
        .prepare_cached(
            "SELECT COUNT(*) FROM tickets WHERE site = ?1 AND state = 'waiting' \
             AND service = ?2 AND line_at >= ?3",
        )?
        .query_row(params![site, service, to_ms(line_at)], |r| r.get(0))?;
    Ok(all.saturating_sub(behind))
}

/// How many checked-in appointments of a service wait with an earlier start than `due_at`.
pub fn booked_ahead(
    tx: &Transaction<'_>,
    site: &str,
    service: &str,
    due_at: Timestamp,
) -> rusqlite::Result<u32> {
    tx.prepare_cached(
        "SELECT COUNT(*) FROM tickets INDEXED BY tickets_lane_booked WHERE site = ?1 \
         AND service = ?2 AND state = 'waiting' AND due_at IS NOT NULL AND due_at < ?3",
    )?
    .query_row(params![site, service, to_ms(due_at)], |r| r.get(0))
}

/// How long the latest services of a service took (accurate ones only).
pub fn recent_service_times(
    tx: &Transaction<'_>,
    site: &str,
    service: &str,
    limit: usize,
) -> rusqlite::Result<Vec<SignedDuration>> {
    let mut stmt = tx.prepare_cached(
        "SELECT finished_at - started_at FROM tickets WHERE site = ?1 AND service = ?2 \
         AND state = 'done' AND started_at IS NOT NULL AND inaccurate_time = 0 \
         ORDER BY finished_at DESC LIMIT ?3",
    )?;
    let rows = stmt.query_map(params![site, service, limit as i64], |r| {
        Ok(SignedDuration::from_millis(r.get(0)?))
    })?;
    rows.collect()
}

/// The desks with a citizen called or in service now: the citizen's service, and when the
/// desk called them.
pub fn desks_in_hand(
    tx: &Transaction<'_>,
) -> rusqlite::Result<std::collections::HashMap<String, (String, Timestamp)>> {
    let mut stmt = tx.prepare_cached(
        "SELECT desk, service, called_at FROM tickets \
         WHERE state IN ('called', 'serving') AND desk IS NOT NULL",
    )?;
    let rows = stmt.query_map([], |r| {
        Ok((
            r.get(0)?,
            (
                r.get(1)?,
                r.get::<_, Option<i64>>(2)?
                    .map_or(Timestamp::UNIX_EPOCH, from_ms),
            ),
        ))
    })?;
    rows.collect()
}

/// A ticket waiting at a site, as the forecast plays it.
#[derive(Debug, Clone, PartialEq)]
pub struct Queued {
    pub id: String,
    pub service: String,
    pub priority: bool,
    pub line_at: Timestamp,
    pub only_desk: Option<String>,
    pub due_at: Option<Timestamp>,
}

/// Every ticket waiting at a site.
pub fn waiting_at_site(tx: &Transaction<'_>, site: &str) -> rusqlite::Result<Vec<Queued>> {
    let mut stmt = tx.prepare_cached(
        "SELECT id, service, priority IS NOT NULL, line_at, only_desk, due_at FROM tickets \
         WHERE site = ?1 AND state = 'waiting'",
    )?;
    let rows = stmt.query_map(params![site], |r| {
        Ok(Queued {
            id: r.get(0)?,
            service: r.get(1)?,
            priority: r.get(2)?,
            line_at: from_ms(r.get(3)?),
            only_desk: r.get(4)?,
            due_at: r.get::<_, Option<i64>>(5)?.map(from_ms),
        })
    })?;
    rows.collect()
}

/// A call at a desk: the desk, when, and the service's start and end for one served.
pub type DeskCall = (String, Timestamp, Option<(Timestamp, Timestamp)>);

/// A site's first calls since `since`.
pub fn site_calls_since(
    tx: &Transaction<'_>,
    site: &str,
    since: Timestamp,
) -> rusqlite::Result<Vec<DeskCall>> {
    let mut stmt = tx.prepare_cached(
        "SELECT desk, called_at, started_at, finished_at, state FROM tickets \
         WHERE site = ?1 AND announced_at >= ?2 AND called_at >= ?2 AND desk IS NOT NULL",
    )?;
    let rows = stmt.query_map(params![site, to_ms(since)], |r| {
        let started: Option<i64> = r.get(2)?;
        let finished: Option<i64> = r.get(3)?;
        let done = r.get_ref(4)?.as_str().is_ok_and(|s| s == "done");
        Ok((
            r.get(0)?,
            from_ms(r.get(1)?),
            started
                .zip(finished)
                .filter(|_| done)
                .map(|(s, f)| (from_ms(s), from_ms(f))),
        ))
    })?;
    rows.collect()
}

/// When a service's tickets were first called since `since` (its pace of calls). A first
/// call is never after the latest (`announced_at`), so the calls index finds them.
pub fn calls_since(
    tx: &Transaction<'_>,
    site: &str,
    service: &str,
    since: Timestamp,
) -> rusqlite::Result<Vec<Timestamp>> {
    let mut stmt = tx.prepare_cached(
        "SELECT called_at FROM tickets WHERE site = ?1 AND announced_at >= ?3 \
         AND service = ?2 AND called_at >= ?3",
    )?;
    let rows = stmt.query_map(params![site, service, to_ms(since)], |r| {
        Ok(from_ms(r.get(0)?))
    })?;
    rows.collect()
}

/// The latest calls of a service day, newest first.
pub fn last_calls(
    tx: &Transaction<'_>,
    site: &str,
    day: Date,
    limit: usize,
) -> rusqlite::Result<Vec<(Ticket, Timestamp)>> {
    let mut stmt = tx.prepare_cached(&format!(
        "SELECT {COLUMNS}, announced_at FROM tickets WHERE site = ?1 AND day = ?2 \
         AND announced_at IS NOT NULL ORDER BY announced_at DESC, rowid DESC LIMIT ?3"
    ))?;
    let rows = stmt.query_map(params![site, day.to_string(), limit as i64], |r| {
        Ok((ticket(r)?, from_ms(r.get(17)?)))
    })?;
    rows.collect()
}

/// Tickets of a site that are not finished, with their service day.
pub fn open_tickets_before(
    tx: &Transaction<'_>,
    site: &str,
) -> rusqlite::Result<Vec<(Ticket, Date)>> {
    let mut stmt = tx.prepare_cached(&format!(
        "SELECT {COLUMNS}, day FROM tickets WHERE site = ?1 \
         AND state IN ('waiting', 'called', 'serving', 'parked') ORDER BY rowid"
    ))?;
    let rows = stmt.query_map(params![site], |r| Ok((ticket(r)?, day(r, 17)?)))?;
    rows.collect()
}

/// What a transfer's next step copies from the ticket: its visit, service day and sequence.
pub fn visit_of(tx: &Transaction<'_>, id: &str) -> rusqlite::Result<Option<(String, Date, u32)>> {
    tx.prepare_cached("SELECT visit_id, day, seq FROM tickets WHERE id = ?1")?
        .query_row(params![id], |r| Ok((r.get(0)?, day(r, 1)?, r.get(2)?)))
        .optional()
}

/// The newest step of the visit a ticket belongs to (itself, when it was never transferred).
pub fn latest_step(tx: &Transaction<'_>, id: &str) -> rusqlite::Result<Option<Ticket>> {
    tx.prepare_cached(&format!(
        "SELECT {COLUMNS} FROM tickets WHERE visit_id = \
         (SELECT visit_id FROM tickets WHERE id = ?1) ORDER BY step DESC LIMIT 1"
    ))?
    .query_row(params![id], ticket)
    .optional()
}

/// Whether any step of a ticket's visit has been rated.
pub fn visit_rated(tx: &Transaction<'_>, id: &str) -> rusqlite::Result<bool> {
    tx.prepare_cached(
        "SELECT EXISTS (SELECT 1 FROM tickets WHERE rating IS NOT NULL AND visit_id = \
         (SELECT visit_id FROM tickets WHERE id = ?1))",
    )?
    .query_row(params![id], |r| r.get(0))
}

/// Keeps a visit's rating on the step that ended it (`step_id`).
pub fn rate_step(
    tx: &Transaction<'_>,
    step_id: &str,
    score: u8,
    at: Timestamp,
) -> rusqlite::Result<()> {
    tx.prepare_cached("UPDATE tickets SET rating = ?2, rated_at = ?3 WHERE id = ?1")?
        .execute(params![step_id, score, to_ms(at)])?;
    Ok(())
}

/// The id of a ticket's visit (its first step's id, the one on the paper).
pub fn visit_id_of(tx: &Transaction<'_>, id: &str) -> rusqlite::Result<Option<String>> {
    tx.prepare_cached("SELECT visit_id FROM tickets WHERE id = ?1")?
        .query_row(params![id], |r| r.get(0))
        .optional()
}

/// A site's tickets in one state, in queue order (at most `limit`).
pub fn tickets_in_state(
    tx: &Transaction<'_>,
    site: &str,
    state: TicketState,
    limit: usize,
) -> rusqlite::Result<Vec<Ticket>> {
    let mut stmt = tx.prepare_cached(&format!(
        "SELECT {COLUMNS} FROM tickets WHERE site = ?1 AND state = ?2 \
         ORDER BY line_at, rowid LIMIT ?3"
    ))?;
    let rows = stmt.query_map(params![site, state.as_str(), limit as i64], ticket)?;
    rows.collect()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::store::{Store, StoreError};

    /// How SQLite runs `sql`, in the words of `EXPLAIN QUERY PLAN`.
    fn plan(store: &Store, sql: &str) -> String {
        store
            .read(|tx| {
                let mut stmt = tx.prepare(&format!("EXPLAIN QUERY PLAN {sql}"))?;
                let rows = stmt.query_map([], |r| r.get::<_, String>(3))?;
                rows.collect::<rusqlite::Result<Vec<_>>>()
                    .map(|steps| steps.join("; "))
                    .map_err(StoreError::from)
            })
            .unwrap()
    }

    /// The queries every call and every issue make read only what they return: none of them
    /// scans the queue, so their cost does not grow with it.
    #[test]
    fn the_hot_queries_use_their_indexes() {
        let dir = tempfile::tempdir().unwrap();
        let store = Store::open(&dir.path().join("plan.db")).unwrap();
        let bind = |sql: String| {
            sql.replace("?1", "'s'")
                .replace("?2", "'b'")
                .replace("?3", "'d'")
                .replace("?4", "1")
        };
        for (lane, index) in [
            (Lane::Ordinary, "tickets_lane_ordinary"),
            (Lane::Priority, "tickets_lane_priority"),
            (Lane::Booked, "tickets_lane_booked"),
        ] {
            let plan = plan(&store, &bind(lane_sql(lane)));
            assert!(
                plan.contains(&format!("USING INDEX {index}")) && !plan.contains("TEMP B-TREE"),
                "{index}: {plan}"
            );
        }
        let counts = plan(
            &store,
            "SELECT service, waiting FROM queue_counts WHERE site = 's' AND waiting > 0",
        );
        assert!(counts.contains("USING PRIMARY KEY"), "{counts}");
    }
}
