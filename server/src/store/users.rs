//! The users and sessions tables: people who sign in on the browser pages.

use jiff::Timestamp;
use rusqlite::{OptionalExtension, Row, Transaction, params};

use super::{from_ms, to_ms};
use crate::auth::{Caller, Role};

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct UserRow {
    pub id: i64,
    pub name: String,
    pub role: Role,
    pub site: Option<String>,
    /// Empty: every desk of the site.
    pub desks: Vec<String>,
    pub password_hash: String,
    pub disabled: bool,
}

impl UserRow {
    /// What the user may do, as a caller of the API.
    pub fn caller(&self) -> Caller {
        Caller {
            role: self.role,
            site: self.site.clone(),
            desks: self.desks.clone(),
            label: self.name.clone(),
        }
    }
}

const USER_COLUMNS: &str = "users.id, users.name, users.role, users.site, users.desks, \
    users.password_hash, users.disabled_at IS NOT NULL";

fn user(row: &Row<'_>) -> rusqlite::Result<UserRow> {
    let role: String = row.get(2)?;
    let desks: String = row.get(4)?;
    Ok(UserRow {
        id: row.get(0)?,
        name: row.get(1)?,
        role: Role::parse(&role).unwrap_or(Role::Staff),
        site: row.get(3)?,
        desks: desks
            .split(',')
            .filter(|d| !d.is_empty())
            .map(str::to_owned)
            .collect(),
        password_hash: row.get(5)?,
        disabled: row.get(6)?,
    })
}

/// Adds a user; `Ok(None)` when the name is taken.
pub fn insert_user(
    tx: &Transaction<'_>,
    caller: &Caller,
    password_hash: &str,
    now: Timestamp,
) -> rusqlite::Result<Option<i64>> {
    let inserted = tx
        .prepare_cached(
            "INSERT INTO users (name, role, site, desks, password_hash, created_at) \
             VALUES (?1, ?2, ?3, ?4, ?5, ?6) ON CONFLICT (name) DO NOTHING",
        )?
        .execute(params![
            caller.label,
            caller.role.as_str(),
            caller.site,
            caller.desks.join(","),
            password_hash,
            to_ms(now),
        ])?;
    Ok((inserted == 1).then(|| tx.last_insert_rowid()))
}

pub fn find_user(tx: &Transaction<'_>, name: &str) -> rusqlite::Result<Option<UserRow>> {
    tx.prepare_cached(&format!("SELECT {USER_COLUMNS} FROM users WHERE name = ?1"))?
        .query_row(params![name], user)
        .optional()
}

pub fn list_users(tx: &Transaction<'_>) -> rusqlite::Result<Vec<UserRow>> {
    let mut stmt = tx.prepare_cached(&format!("SELECT {USER_COLUMNS} FROM users ORDER BY name"))?;
    let rows = stmt.query_map([], user)?;
    rows.collect()
}

/// Sets a user's password and ends their sessions.
pub fn set_password(
    tx: &Transaction<'_>,
    user_id: i64,
    password_hash: &str,
) -> rusqlite::Result<()> {
    tx.prepare_cached("UPDATE users SET password_hash = ?2 WHERE id = ?1")?
        .execute(params![user_id, password_hash])?;
    tx.prepare_cached("DELETE FROM sessions WHERE user_id = ?1")?
        .execute(params![user_id])?;
    Ok(())
}

/// A signed-in session, with when it began and was last used.
#[derive(Debug, Clone)]
pub struct SessionRow {
    pub user: UserRow,
    pub created_at: Timestamp,
    pub last_seen: Timestamp,
}

pub fn create_session(
    tx: &Transaction<'_>,
    hash: &[u8],
    user_id: i64,
    now: Timestamp,
) -> rusqlite::Result<()> {
    tx.prepare_cached(
        "INSERT INTO sessions (hash, user_id, created_at, last_seen) VALUES (?1, ?2, ?3, ?3)",
    )?
    .execute(params![hash, user_id, to_ms(now)])?;
    Ok(())
}

pub fn find_session(tx: &Transaction<'_>, hash: &[u8]) -> rusqlite::Result<Option<SessionRow>> {
    tx.prepare_cached(&format!(
        "SELECT {USER_COLUMNS}, sessions.created_at, sessions.last_seen FROM sessions \
         JOIN users ON users.id = sessions.user_id WHERE sessions.hash = ?1"
    ))?
    .query_row(params![hash], |r| {
        Ok(SessionRow {
            user: user(r)?,
            created_at: from_ms(r.get(7)?),
            last_seen: from_ms(r.get(8)?),
        })
    })
    .optional()
}

pub fn touch_session(tx: &Transaction<'_>, hash: &[u8], now: Timestamp) -> rusqlite::Result<()> {
    tx.prepare_cached("UPDATE sessions SET last_seen = ?2 WHERE hash = ?1")?
        .execute(params![hash, to_ms(now)])?;
    Ok(())
}

pub fn delete_session(tx: &Transaction<'_>, hash: &[u8]) -> rusqlite::Result<()> {
    tx.prepare_cached("DELETE FROM sessions WHERE hash = ?1")?
        .execute(params![hash])?;
    Ok(())
}

/// Deletes sessions idle since before `idle_before` or begun before `begun_before`.
pub fn delete_expired_sessions(
    tx: &Transaction<'_>,
    idle_before: Timestamp,
    begun_before: Timestamp,
) -> rusqlite::Result<usize> {
    tx.prepare_cached("DELETE FROM sessions WHERE last_seen < ?1 OR created_at < ?2")?
        .execute(params![to_ms(idle_before), to_ms(begun_before)])
}

/// Disables or enables a user; disabling ends their sessions.
pub fn set_user_disabled(
    tx: &Transaction<'_>,
    user_id: i64,
    disabled: bool,
    now: Timestamp,
) -> rusqlite::Result<()> {
    tx.prepare_cached("UPDATE users SET disabled_at = ?2 WHERE id = ?1")?
        .execute(params![user_id, disabled.then(|| to_ms(now))])?;
    if disabled {
        tx.prepare_cached("DELETE FROM sessions WHERE user_id = ?1")?
            .execute(params![user_id])?;
    }
    Ok(())
}
