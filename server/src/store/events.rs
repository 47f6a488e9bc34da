//! The append-only event log. Rows are written in the same transaction as the change they
//! record, so the log and the tickets never disagree.

use std::collections::BTreeMap;

use jiff::Timestamp;
use rusqlite::{Transaction, params};
use seira_protocol::{Event, EventKind, Ticket};
use serde::{Deserialize, Serialize};

use super::{from_ms, to_ms};

/// What an event row's `data` column holds.
#[derive(Debug, Clone, Serialize, Deserialize)]
struct Data {
    ticket: Option<Ticket>,
    waiting: BTreeMap<String, u32>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    detail: Option<String>,
}

/// An event to append.
#[derive(Debug, Clone)]
pub struct EventRow<'a> {
    pub at: Timestamp,
    pub site: &'a str,
    pub kind: EventKind,
    pub ticket: Option<&'a Ticket>,
    pub desk: Option<&'a str>,
    /// The token label of who did it, for the audit trail.
    pub actor: Option<&'a str>,
    pub waiting: BTreeMap<String, u32>,
    /// For admin changes: what changed.
    pub detail: Option<String>,
}

/// Appends an event and returns it with its id.
pub fn append_event(tx: &Transaction<'_>, row: EventRow<'_>) -> rusqlite::Result<Event> {
    let data = Data {
        ticket: row.ticket.cloned(),
        waiting: row.waiting,
        detail: row.detail,
    };
    let json = serde_json::to_string(&data)
        .map_err(|e| rusqlite::Error::ToSqlConversionFailure(e.into()))?;
    tx.prepare_cached(
        "INSERT INTO events (at, site, kind, ticket_id, desk, actor, data) \
         VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7)",
    )?
    .execute(params![
        to_ms(row.at),
        row.site,
        row.kind.as_str(),
        row.ticket.map(|t| t.id.as_str()),
        row.desk,
        row.actor,
        json,
    ])?;
    Ok(Event {
        id: tx.last_insert_rowid(),
        at: row.at,
        site: row.site.to_owned(),
        kind: row.kind,
        ticket: data.ticket,
        desk: row.desk.map(str::to_owned),
        waiting: data.waiting,
        detail: data.detail,
    })
}

/// A site's events with ids above `after`, oldest first, at most `limit`.
pub fn events_after(
    tx: &Transaction<'_>,
    site: &str,
    after: i64,
    limit: usize,
) -> rusqlite::Result<Vec<Event>> {
    let mut stmt = tx.prepare_cached(
        "SELECT id, at, kind, desk, data FROM events WHERE site = ?1 AND id > ?2 \
         ORDER BY id LIMIT ?3",
    )?;
    let rows = stmt.query_map(params![site, after, limit as i64], |r| {
        let kind: String = r.get(2)?;
        let data: String = r.get(4)?;
        let bad = |i, e: Box<dyn std::error::Error + Send + Sync>| {
            rusqlite::Error::FromSqlConversionFailure(i, rusqlite::types::Type::Text, e)
        };
        let data: Data = serde_json::from_str(&data).map_err(|e| bad(4, e.into()))?;
        Ok(Event {
            id: r.get(0)?,
            at: from_ms(r.get(1)?),
            site: site.to_owned(),
            kind: EventKind::parse(&kind).ok_or_else(|| bad(2, "unknown event kind".into()))?,
            ticket: data.ticket,
            desk: r.get(3)?,
            waiting: data.waiting,
            detail: data.detail,
        })
    })?;
    rows.collect()
}

/// The newest event id (0 when the log is empty).
pub fn last_event_id(tx: &Transaction<'_>) -> rusqlite::Result<i64> {
    tx.query_row("SELECT COALESCE(MAX(id), 0) FROM events", [], |r| r.get(0))
}

/// A site's desks' openings, pauses and closings in `[from, to)`, oldest first (the replay
/// of the estimates rebuilds which desks were open from them).
pub fn desk_changes(
    tx: &Transaction<'_>,
    site: &str,
    from: Timestamp,
    to: Timestamp,
) -> rusqlite::Result<Vec<crate::stats::estimates::DeskChange>> {
    let mut stmt = tx.prepare_cached(
        "SELECT at, desk, kind FROM events WHERE site = ?1 AND at >= ?2 AND at < ?3 \
         AND kind IN ('desk_opened', 'desk_paused', 'desk_closed') AND desk IS NOT NULL \
         ORDER BY id",
    )?;
    let rows = stmt.query_map(params![site, to_ms(from), to_ms(to)], |r| {
        let kind: String = r.get(2)?;
        Ok(crate::stats::estimates::DeskChange {
            at: from_ms(r.get(0)?),
            desk: r.get(1)?,
            state: match kind.as_str() {
                "desk_opened" => seira_protocol::DeskState::Open,
                "desk_paused" => seira_protocol::DeskState::Paused,
                _ => seira_protocol::DeskState::Closed,
            },
        })
    })?;
    rows.collect()
}

/// The tickets a site's events `from..=to` cancelled with the detail `detail`, and when.
pub fn cancelled_with(
    tx: &Transaction<'_>,
    site: &str,
    from: i64,
    to: i64,
    detail: &str,
) -> rusqlite::Result<Vec<(String, Timestamp)>> {
    let mut stmt = tx.prepare_cached(
        "SELECT ticket_id, at FROM events WHERE site = ?1 AND id BETWEEN ?2 AND ?3 \
         AND kind = ?4 AND ticket_id IS NOT NULL AND json_extract(data, '$.detail') = ?5 \
         ORDER BY id",
    )?;
    let rows = stmt.query_map(
        params![site, from, to, EventKind::TicketCancelled.as_str(), detail],
        |r| Ok((r.get(0)?, from_ms(r.get(1)?))),
    )?;
    rows.collect()
}
