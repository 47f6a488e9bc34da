//! The desks table: each configured desk's state and its recent calling run.

use jiff::Timestamp;
use rusqlite::{OptionalExtension, Transaction, params};
use seira_protocol::DeskState;

use super::to_ms;
use crate::queue::calling::{Class, Run};

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct DeskRow {
    pub state: DeskState,
    pub pause_reason: Option<String>,
    pub run: Option<Run>,
}

/// Adds a row, closed, for every configured desk that has none.
pub fn sync_desks<'a>(
    tx: &Transaction<'_>,
    desks: impl IntoIterator<Item = (&'a str, &'a str)>,
) -> rusqlite::Result<()> {
    let mut stmt = tx.prepare_cached(
        "INSERT OR IGNORE INTO desks (id, site, state) VALUES (?1, ?2, 'closed')",
    )?;
    for (site, desk) in desks {
        stmt.execute(params![desk, site])?;
    }
    Ok(())
}

pub fn load_desk(tx: &Transaction<'_>, id: &str) -> rusqlite::Result<Option<DeskRow>> {
    tx.prepare_cached("SELECT state, pause_reason, last_class, run_len FROM desks WHERE id = ?1")?
        .query_row(params![id], |r| {
            let state: String = r.get(0)?;
            let class: Option<String> = r.get(2)?;
            let len: u32 = r.get(3)?;
            Ok(DeskRow {
                state: DeskState::parse(&state).unwrap_or(DeskState::Closed),
                pause_reason: r.get(1)?,
                run: class
                    .as_deref()
                    .and_then(Class::parse)
                    .map(|class| Run { class, len }),
            })
        })
        .optional()
}

/// The desks open now, in one read (a centre has tens of desks).
pub fn open_desks(tx: &Transaction<'_>) -> rusqlite::Result<std::collections::HashSet<String>> {
    let mut stmt = tx.prepare_cached("SELECT id FROM desks WHERE state = 'open'")?;
    let rows = stmt.query_map([], |r| r.get(0))?;
    rows.collect()
}

pub fn save_desk_state(
    tx: &Transaction<'_>,
    id: &str,
    state: DeskState,
    pause_reason: Option<&str>,
    run: Option<Run>,
    now: Timestamp,
) -> rusqlite::Result<()> {
    tx.prepare_cached(
        "UPDATE desks SET state = ?2, pause_reason = ?3, last_class = ?4, run_len = ?5, \
         changed_at = ?6 WHERE id = ?1",
    )?
    .execute(params![
        id,
        state.as_str(),
        pause_reason,
        run.map(|r| r.class.as_str()),
        run.map_or(0, |r| r.len),
        to_ms(now),
    ])?;
    Ok(())
}

/// Every desk's state and when it last changed (the estimate's view of the desks).
pub fn desk_states(
    tx: &Transaction<'_>,
) -> rusqlite::Result<std::collections::HashMap<String, (DeskState, Option<jiff::Timestamp>)>> {
    let mut stmt = tx.prepare_cached("SELECT id, state, changed_at FROM desks")?;
    let rows = stmt.query_map([], |r| {
        let state: String = r.get(1)?;
        Ok((
            r.get::<_, String>(0)?,
            (
                DeskState::parse(&state).unwrap_or(DeskState::Closed),
                r.get::<_, Option<i64>>(2)?.map(super::from_ms),
            ),
        ))
    })?;
    rows.collect()
}
