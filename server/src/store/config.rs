//! The config_versions table: every version of the live configuration, as TOML text.

use jiff::Timestamp;
use rusqlite::{OptionalExtension, Transaction, params};

use super::to_ms;

/// The newest version: its number and text.
pub fn latest_config(tx: &Transaction<'_>) -> rusqlite::Result<Option<(i64, String)>> {
    tx.prepare_cached("SELECT id, toml FROM config_versions ORDER BY id DESC LIMIT 1")?
        .query_row([], |r| Ok((r.get(0)?, r.get(1)?)))
        .optional()
}

/// Stores a new version; returns its number.
pub fn save_config(
    tx: &Transaction<'_>,
    toml: &str,
    actor: &str,
    now: Timestamp,
) -> rusqlite::Result<i64> {
    tx.prepare_cached("INSERT INTO config_versions (at, actor, toml) VALUES (?1, ?2, ?3)")?
        .execute(params![to_ms(now), actor, toml])?;
    Ok(tx.last_insert_rowid())
}
