//! The devices table: kiosks reporting that they are alive, and their printers.

use jiff::Timestamp;
use rusqlite::{OptionalExtension, Transaction, params};
use seira_protocol::PrinterStatus;

use super::{from_ms, to_ms};

/// What a device was before a heartbeat.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Before {
    /// `None`: never heard from.
    pub printer: Option<PrinterStatus>,
    /// It had been marked silent.
    pub silent: bool,
}

/// Records a heartbeat (and that the device is not silent).
pub fn record_heartbeat(
    tx: &Transaction<'_>,
    site: &str,
    name: &str,
    printer: PrinterStatus,
    now: Timestamp,
) -> rusqlite::Result<Before> {
    let before: Option<(String, bool)> = tx
        .prepare_cached("SELECT printer, silent FROM devices WHERE site = ?1 AND name = ?2")?
        .query_row(params![site, name], |r| Ok((r.get(0)?, r.get(1)?)))
        .optional()?;
    tx.prepare_cached(
        "INSERT INTO devices (site, name, last_seen, printer) VALUES (?1, ?2, ?3, ?4) \
         ON CONFLICT (site, name) DO UPDATE SET last_seen = ?3, printer = ?4, silent = 0",
    )?
    .execute(params![site, name, to_ms(now), printer.as_str()])?;
    Ok(Before {
        printer: before.as_ref().and_then(|(p, _)| PrinterStatus::parse(p)),
        silent: before.is_some_and(|(_, silent)| silent),
    })
}

/// Marks the site's devices last heard before `heard_before` as silent; returns the names of
/// those that were not marked yet.
pub fn mark_silent(
    tx: &Transaction<'_>,
    site: &str,
    heard_before: Timestamp,
) -> rusqlite::Result<Vec<String>> {
    let mut stmt = tx.prepare_cached(
        "UPDATE devices SET silent = 1 WHERE site = ?1 AND silent = 0 AND last_seen < ?2 \
         RETURNING name",
    )?;
    let rows = stmt.query_map(params![site, to_ms(heard_before)], |r| r.get(0))?;
    let mut names: Vec<String> = rows.collect::<rusqlite::Result<_>>()?;
    names.sort();
    Ok(names)
}

/// A site's devices: name, last heard, printer.
pub fn list_devices(
    tx: &Transaction<'_>,
    site: &str,
) -> rusqlite::Result<Vec<(String, Timestamp, PrinterStatus)>> {
    let mut stmt = tx.prepare_cached(
        "SELECT name, last_seen, printer FROM devices WHERE site = ?1 ORDER BY name",
    )?;
    let rows = stmt.query_map(params![site], |r| {
        let printer: String = r.get(2)?;
        Ok((
            r.get(0)?,
            from_ms(r.get(1)?),
            PrinterStatus::parse(&printer).unwrap_or(PrinterStatus::Error),
        ))
    })?;
    rows.collect()
}
