//! The ticket_alerts table: a near-turn message waiting for its moment, a row per visit and
//! channel (a text message to the number the holder gave, or a Web Push notification to
//! their browser's subscription; migration 10).

use jiff::Timestamp;
use rusqlite::{OptionalExtension, Transaction, params};

use super::to_ms;

/// How a near-turn message reaches its holder.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum AlertChannel {
    /// A text message through the site's gateway, to a phone number.
    Text,
    /// A Web Push notification, to a browser's push subscription.
    Push,
}

impl AlertChannel {
    pub const ALL: [AlertChannel; 2] = [AlertChannel::Text, AlertChannel::Push];

    pub fn as_str(self) -> &'static str {
        match self {
            AlertChannel::Text => "text",
            AlertChannel::Push => "push",
        }
    }

    fn parse(text: &str) -> AlertChannel {
        if text == "push" {
            AlertChannel::Push
        } else {
            AlertChannel::Text
        }
    }
}

/// Where a visit's message stands.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum AlertState {
    Waiting,
    Sent,
    Failed,
}

/// A message that may be due: the visit, its channel and site, the contact (a number or a
/// subscription) and the attempts so far.
#[derive(Debug, Clone)]
pub struct PendingAlert {
    pub visit_id: String,
    pub channel: AlertChannel,
    pub site: String,
    pub contact: String,
    pub attempts: u32,
}

/// Asks for a message to `contact` (replacing an earlier one of the same visit and channel).
pub fn set_alert(
    tx: &Transaction<'_>,
    visit_id: &str,
    channel: AlertChannel,
    site: &str,
    contact: &str,
    now: Timestamp,
) -> rusqlite::Result<()> {
    tx.prepare_cached(
        "INSERT INTO ticket_alerts (visit_id, channel, site, contact, state, attempts, next_at) \
         VALUES (?1, ?2, ?3, ?4, 'waiting', 0, ?5) \
         ON CONFLICT (visit_id, channel) DO UPDATE SET contact = ?4, state = 'waiting', \
         attempts = 0, next_at = ?5",
    )?
    .execute(params![
        visit_id,
        channel.as_str(),
        site,
        contact,
        to_ms(now)
    ])?;
    Ok(())
}

/// Forgets a visit's message of one channel and its contact; whether there was one.
pub fn remove_alert(
    tx: &Transaction<'_>,
    visit_id: &str,
    channel: AlertChannel,
) -> rusqlite::Result<bool> {
    Ok(tx
        .prepare_cached("DELETE FROM ticket_alerts WHERE visit_id = ?1 AND channel = ?2")?
        .execute(params![visit_id, channel.as_str()])?
        > 0)
}

pub fn alert_state(
    tx: &Transaction<'_>,
    visit_id: &str,
    channel: AlertChannel,
) -> rusqlite::Result<Option<AlertState>> {
    tx.prepare_cached("SELECT state FROM ticket_alerts WHERE visit_id = ?1 AND channel = ?2")?
        .query_row(params![visit_id, channel.as_str()], |r| {
            r.get::<_, String>(0)
        })
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
        "SELECT visit_id, channel, site, contact, attempts FROM ticket_alerts \
         WHERE state = 'waiting' AND next_at <= ?1 AND contact IS NOT NULL \
         ORDER BY next_at LIMIT ?2",
    )?;
    let rows = stmt.query_map(params![to_ms(now), limit as i64], |r| {
        Ok(PendingAlert {
            visit_id: r.get(0)?,
            channel: AlertChannel::parse(&r.get::<_, String>(1)?),
            site: r.get(2)?,
            contact: r.get(3)?,
            attempts: r.get(4)?,
        })
    })?;
    rows.collect()
}

/// The attempts made at a visit's message.
pub fn alert_attempts(
    tx: &Transaction<'_>,
    visit_id: &str,
    channel: AlertChannel,
) -> rusqlite::Result<u32> {
    tx.prepare_cached("SELECT attempts FROM ticket_alerts WHERE visit_id = ?1 AND channel = ?2")?
        .query_row(params![visit_id, channel.as_str()], |r| r.get(0))
        .optional()
        .map(Option::unwrap_or_default)
}

/// Looks at a message again at `next_at`, after `attempts` tries.
pub fn alert_later(
    tx: &Transaction<'_>,
    visit_id: &str,
    channel: AlertChannel,
    next_at: Timestamp,
    attempts: u32,
) -> rusqlite::Result<()> {
    tx.prepare_cached(
        "UPDATE ticket_alerts SET next_at = ?3, attempts = ?4 WHERE visit_id = ?1 AND channel = ?2",
    )?
    .execute(params![
        visit_id,
        channel.as_str(),
        to_ms(next_at),
        attempts
    ])?;
    Ok(())
}

/// The message went, or was given up: the contact is forgotten at once.
pub fn alert_finished(
    tx: &Transaction<'_>,
    visit_id: &str,
    channel: AlertChannel,
    sent: bool,
    attempts: u32,
) -> rusqlite::Result<()> {
    tx.prepare_cached(
        "UPDATE ticket_alerts SET contact = NULL, state = ?3, attempts = ?4 \
         WHERE visit_id = ?1 AND channel = ?2",
    )?
    .execute(params![
        visit_id,
        channel.as_str(),
        if sent { "sent" } else { "failed" },
        attempts
    ])?;
    Ok(())
}
