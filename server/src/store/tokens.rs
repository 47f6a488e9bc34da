//! The tokens table: devices' and staff's bearer tokens, stored as hashes.

use jiff::Timestamp;
use rusqlite::{OptionalExtension, Transaction, params};

use super::{from_ms, to_ms};
use crate::auth::{Caller, Role};

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct TokenRow {
    pub id: i64,
    pub role: Role,
    pub site: Option<String>,
    pub desk: Option<String>,
    pub label: String,
    pub created_at: Timestamp,
    pub revoked_at: Option<Timestamp>,
}

pub fn insert_token(
    tx: &Transaction<'_>,
    hash: &[u8],
    caller: &Caller,
    now: Timestamp,
) -> rusqlite::Result<i64> {
    tx.prepare_cached(
        "INSERT INTO tokens (hash, role, site, desk, label, created_at) \
         VALUES (?1, ?2, ?3, ?4, ?5, ?6)",
    )?
    .execute(params![
        hash,
        caller.role.as_str(),
        caller.site,
        caller.desks.first(),
        caller.label,
        to_ms(now)
    ])?;
    Ok(tx.last_insert_rowid())
}

/// The caller a token stands for, if it exists and is not revoked.
pub fn find_token(tx: &Transaction<'_>, hash: &[u8]) -> rusqlite::Result<Option<Caller>> {
    tx.prepare_cached(
        "SELECT id, role, site, desk, label FROM tokens WHERE hash = ?1 AND revoked_at IS NULL",
    )?
    .query_row(params![hash], |r| {
        let role: String = r.get(1)?;
        let desk: Option<String> = r.get(3)?;
        Ok(Caller {
            role: Role::parse(&role).unwrap_or(Role::Display),
            site: r.get(2)?,
            desks: desk.into_iter().collect(),
            label: r.get(4)?,
        })
    })
    .optional()
}

/// Revokes a token; `false` when there is no such token or it was revoked already.
pub fn revoke_token(tx: &Transaction<'_>, id: i64, now: Timestamp) -> rusqlite::Result<bool> {
    let n = tx
        .prepare_cached("UPDATE tokens SET revoked_at = ?2 WHERE id = ?1 AND revoked_at IS NULL")?
        .execute(params![id, to_ms(now)])?;
    Ok(n == 1)
}

pub fn list_tokens(tx: &Transaction<'_>) -> rusqlite::Result<Vec<TokenRow>> {
    let mut stmt = tx.prepare_cached(
        "SELECT id, role, site, desk, label, created_at, revoked_at FROM tokens ORDER BY id",
    )?;
    let rows = stmt.query_map([], |r| {
        let role: String = r.get(1)?;
        Ok(TokenRow {
            id: r.get(0)?,
            role: Role::parse(&role).unwrap_or(Role::Display),
            site: r.get(2)?,
            desk: r.get(3)?,
            label: r.get(4)?,
            created_at: from_ms(r.get(5)?),
            revoked_at: r.get::<_, Option<i64>>(6)?.map(from_ms),
        })
    })?;
    rows.collect()
}

/// Revokes the active tokens whose label starts with `prefix`, but those whose hash is in
/// `keep` (the demo's own set); returns how many.
pub fn revoke_labelled_except(
    tx: &Transaction<'_>,
    prefix: &str,
    keep: &[Vec<u8>],
    now: Timestamp,
) -> rusqlite::Result<usize> {
    let mut stmt = tx.prepare_cached(
        "SELECT id, hash FROM tokens WHERE revoked_at IS NULL AND substr(label, 1, ?2) = ?1",
    )?;
    let rows: Vec<(i64, Vec<u8>)> = stmt
        .query_map(params![prefix, prefix.chars().count() as i64], |r| {
            Ok((r.get(0)?, r.get(1)?))
        })?
        .collect::<rusqlite::Result<_>>()?;
    let mut revoked = 0;
    for (id, hash) in rows {
        if !keep.contains(&hash) && revoke_token(tx, id, now)? {
            revoked += 1;
        }
    }
    Ok(revoked)
}
