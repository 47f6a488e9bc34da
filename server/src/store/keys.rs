//! The server_keys table: the server's own keys (the VAPID key pair of its Web Push
//! messages), made once and kept with the database, so a restore keeps the browsers'
//! subscriptions valid.

use rusqlite::{OptionalExtension, Transaction, params};

pub fn server_key(tx: &Transaction<'_>, name: &str) -> rusqlite::Result<Option<Vec<u8>>> {
    tx.prepare_cached("SELECT value FROM server_keys WHERE name = ?1")?
        .query_row(params![name], |r| r.get(0))
        .optional()
}

/// Keeps `value` as the key `name` unless there is one already; the one kept.
pub fn keep_server_key(
    tx: &Transaction<'_>,
    name: &str,
    value: &[u8],
) -> rusqlite::Result<Vec<u8>> {
    tx.prepare_cached("INSERT OR IGNORE INTO server_keys (name, value) VALUES (?1, ?2)")?
        .execute(params![name, value])?;
    tx.prepare_cached("SELECT value FROM server_keys WHERE name = ?1")?
        .query_row(params![name], |r| r.get(0))
}
