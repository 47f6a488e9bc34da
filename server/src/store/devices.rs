//! The devices table: kiosks reporting that they are alive, and their printers.

use jiff::Timestamp;
use rusqlite::{OptionalExtension, Transaction, params};
use seira_protocol::PrinterStatus;

use super::{from_ms, to_ms};

/// Records a heartbeat; returns the printer state it had before (`None`: first heard).
pub fn record_heartbeat(
    tx: &Transaction<'_>,
    site: &str,
    name: &str,
    printer: PrinterStatus,
    now: Timestamp,
) -> rusqlite::Result<Option<PrinterStatus>> {
    let before: Option<String> = tx
        .prepare_cached("SELECT printer FROM devices WHERE site = ?1 AND name = ?2")?
        .query_row(params![site, name], |r| r.get(0))
        .optional()?;
    tx.prepare_cached(
        "INSERT INTO devices (site, name, last_seen, printer) VALUES (?1, ?2, ?3, ?4) \
         ON CONFLICT (site, name) DO UPDATE SET last_seen = ?3, printer = ?4",
    )?
    .execute(params![site, name, to_ms(now), printer.as_str()])?;
    Ok(before.as_deref().and_then(PrinterStatus::parse))
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
