//! The ticket_alerts table: a near-turn text message waiting for its moment, with the number
//! the holder gave (migration 10).

use jiff::Timestamp;
use rusqlite::{OptionalExtension, Transaction, params};

use super::{from_ms, to_ms};

/// Where a visit's text message stands.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum AlertState {
    Waiting,
    Sent,
    Failed,
}

/// A message that may be due: the visit, its site, the number and the attempts so far.
#[derive(Debug, Clone)]
pub struct PendingAlert {
    pub visit_id: String,
    pub site: String,
    pub contact: String,
    pub attempts: u32,
}

/// Asks for a message to `contact` (replacing an earlier number of the same visit).
pub fn set_alert(
    tx: &Transaction<'_>,
    visit_id: &str,
    site: &str,
    contact: &str,
    now: Timestamp,
) -> rusqlite::Result<()> {
    tx.prepare_cached(
        "INSERT INTO ticket_alerts (visit_id, site, contact, state, attempts, next_at) \
         VALUES (?1, ?2, ?3, 'waiting', 0, ?4) \
         ON CONFLICT (visit_id) DO UPDATE SET contact = ?3, state = 'waiting', attempts = 0, \
         next_at = ?4",
    )?
    .execute(params![visit_id, site, contact, to_ms(now)])?;
    Ok(())
}

/// Forgets a visit's message and its number; whether there was one.
pub fn remove_alert(tx: &Transaction<'_>, visit_id: &str) -> rusqlite::Result<bool> {
    Ok(tx
        .prepare_cached("DELETE FROM ticket_alerts WHERE visit_id = ?1")?
        .execute(params![visit_id])?
        > 0)
}

pub fn alert_state(tx: &Transaction<'_>, visit_id: &str) -> rusqlite::Result<Option<AlertState>> {
    tx.prepare_cached("SELECT state FROM ticket_alerts WHERE visit_id = ?1")?
        .query_row(params![visit_id], |r| r.get::<_, String>(0))
        .optional()
        .map(|state| {
            state.map(|s| match s.as_str() {
                "waiting" => AlertState::Waiting,
                "sent" => AlertState::Sent,
                _ => AlertState::Failed,
            })
        })
}

/// The messages whose time to look at has come (at most `limit`, the oldest first).
pub fn pending_alerts(
    tx: &Transaction<'_>,
    now: Timestamp,
    limit: usize,
) -> rusqlite::Result<Vec<PendingAlert>> {
    let mut stmt = tx.prepare_cached(
        "SELECT visit_id, site, contact, attempts FROM ticket_alerts \
         WHERE state = 'waiting' AND next_at <= ?1 AND contact IS NOT NULL \
         ORDER BY next_at LIMIT ?2",
    )?;
    let rows = stmt.query_map(params![to_ms(now), limit as i64], |r| {
        Ok(PendingAlert {
            visit_id: r.get(0)?,
            site: r.get(1)?,
            contact: r.get(2)?,
            attempts: r.get(3)?,
        })
    })?;
    rows.collect()
}

/// The attempts made at a visit's message.
pub fn alert_attempts(tx: &Transaction<'_>, visit_id: &str) -> rusqlite::Result<u32> {
    tx.prepare_cached("SELECT attempts FROM ticket_alerts WHERE visit_id = ?1")?
        .query_row(params![visit_id], |r| r.get(0))
        .optional()
        .map(Option::unwrap_or_default)
}

/// Looks at a message again at `next_at`, after `attempts` tries.
pub fn alert_later(
    tx: &Transaction<'_>,
    visit_id: &str,
    next_at: Timestamp,
    attempts: u32,
) -> rusqlite::Result<()> {
    tx.prepare_cached("UPDATE ticket_alerts SET next_at = ?2, attempts = ?3 WHERE visit_id = ?1")?
        .execute(params![visit_id, to_ms(next_at), attempts])?;
    Ok(())
}

/// The message went, or was given up: the number is forgotten at once.
pub fn alert_finished(
    tx: &Transaction<'_>,
    visit_id: &str,
    sent: bool,
    attempts: u32,
) -> rusqlite::Result<()> {
    tx.prepare_cached(
        "UPDATE ticket_alerts SET contact = NULL, state = ?2, attempts = ?3 WHERE visit_id = ?1",
    )?
    .execute(params![
        visit_id,
        if sent { "sent" } else { "failed" },
        attempts
    ])?;
    Ok(())
}

/// When the next message is to be looked at, if any waits (the sender sleeps until then).
pub fn next_alert_at(tx: &Transaction<'_>) -> rusqlite::Result<Option<Timestamp>> {
    tx.prepare_cached("SELECT MIN(next_at) FROM ticket_alerts WHERE state = 'waiting'")?
        .query_row([], |r| Ok(r.get::<_, Option<i64>>(0)?.map(from_ms)))
}

/// Whether the table still holds a number for the visit (tests of forgetting it).
pub fn alert_has_contact(tx: &Transaction<'_>, visit_id: &str) -> rusqlite::Result<bool> {
    tx.prepare_cached(
        "SELECT EXISTS (SELECT 1 FROM ticket_alerts WHERE visit_id = ?1 AND contact IS NOT NULL)",
    )?
    .query_row(params![visit_id], |r| r.get(0))
}
