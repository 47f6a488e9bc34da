//! Online backups and restores of the database file, and the lock that tells them whether a
//! server runs on it.
//!
//! A backup is `VACUUM INTO` a new file from its own connection: SQLite copies one consistent
//! snapshot while the server goes on writing (WAL readers do not block the writer). The copy
//! is written under a `.partial` name, synced, checked (`PRAGMA integrity_check`, the schema
//! this seira knows) and only then renamed, so a file with a backup's name is a good backup.

use std::fs::File;
use std::path::{Path, PathBuf};

use rusqlite::{Connection, OpenFlags};

use super::{StoreError, migrations};

/// What a checked database file holds.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Checked {
    pub path: PathBuf,
    pub schema: i64,
    pub tickets: i64,
    pub appointments: i64,
    pub bytes: u64,
}

/// Copies the database `db` into `to` (which must not exist) while it may be in use, and
/// checks the copy.
pub fn backup(db: &Path, to: &Path) -> Result<Checked, StoreError> {
    if to.exists() {
        return Err(StoreError::Corrupt(format!(
            "{} exists already",
            to.display()
        )));
    }
    let partial = to.with_extension("partial");
    let _ = std::fs::remove_file(&partial);
    let conn = super::connect(db, OpenFlags::SQLITE_OPEN_READ_WRITE)?;
    conn.execute("VACUUM INTO ?1", [partial.to_string_lossy()])?;
    drop(conn);
    File::open(&partial)
        .and_then(|f| f.sync_all())
        .map_err(|e| StoreError::Corrupt(format!("{}: {e}", partial.display())))?;
    if let Err(e) = check(&partial) {
        let _ = std::fs::remove_file(&partial);
        return Err(e);
    }
    std::fs::rename(&partial, to)
        .map_err(|e| StoreError::Corrupt(format!("{}: {e}", to.display())))?;
    check(to)
}

/// Checks a database file: SQLite finds it whole, and its schema is one this seira knows.
pub fn check(file: &Path) -> Result<Checked, StoreError> {
    let conn =
        Connection::open_with_flags(file, OpenFlags::SQLITE_OPEN_READ_ONLY).map_err(|source| {
            StoreError::Open {
                path: file.to_owned(),
                source,
            }
        })?;
    let verdict: String = conn.query_row("PRAGMA integrity_check", [], |r| r.get(0))?;
    if verdict != "ok" {
        return Err(StoreError::Corrupt(format!(
            "{}: {verdict}",
            file.display()
        )));
    }
    let schema: i64 = conn.query_row("PRAGMA user_version", [], |r| r.get(0))?;
    let known = migrations::known();
    if schema > known {
        return Err(StoreError::TooNew {
            found: schema,
            known,
        });
    }
    if schema == 0 {
        return Err(StoreError::Corrupt(format!(
            "{} is not a seira database",
            file.display()
        )));
    }
    let count = |table: &str| -> Result<i64, StoreError> {
        Ok(conn.query_row(&format!("SELECT COUNT(*) FROM {table}"), [], |r| r.get(0))?)
    };
    let appointments = if schema >= 8 {
        count("appointments")?
    } else {
        0
    };
    Ok(Checked {
        path: file.to_owned(),
        schema,
        tickets: count("tickets")?,
        appointments,
        bytes: std::fs::metadata(file).map(|m| m.len()).unwrap_or(0),
    })
}

/// Keeps the newest `keep` files of `dir` whose names start with `prefix` and end `.db`;
/// returns the ones removed.
pub fn keep_newest(dir: &Path, prefix: &str, keep: usize) -> std::io::Result<Vec<PathBuf>> {
    let mut found: Vec<PathBuf> = std::fs::read_dir(dir)?
        .filter_map(|e| e.ok().map(|e| e.path()))
        .filter(|p| {
            p.file_name()
                .and_then(|n| n.to_str())
                .is_some_and(|n| n.starts_with(prefix) && n.ends_with(".db"))
        })
        .collect();
    // The names carry the time, so their order is the time's.
    found.sort();
    let remove = found.len().saturating_sub(keep);
    let removed: Vec<PathBuf> = found.drain(..remove).collect();
    for path in &removed {
        std::fs::remove_file(path)?;
    }
    Ok(removed)
}

/// Puts the checked backup `from` in place of the database `db`; the database it replaces
/// (with its WAL) is kept aside as `<db>.before-restore-<stamp>`. Only while no server runs
/// on it: the caller holds [`ServerLock`].
pub fn restore(
    from: &Path,
    db: &Path,
    stamp: &str,
) -> Result<(Checked, Option<PathBuf>), StoreError> {
    check(from)?;
    let io = |e: std::io::Error| StoreError::Corrupt(format!("{}: {e}", db.display()));
    let aside = if db.exists() {
        // The old file as one piece: its WAL folded in, so that it opens on its own.
        let kept = PathBuf::from(format!("{}.before-restore-{stamp}", db.display()));
        backup(db, &kept)?;
        Some(kept)
    } else {
        None
    };
    for suffix in ["-wal", "-shm"] {
        let side = PathBuf::from(format!("{}{suffix}", db.display()));
        if side.exists() {
            std::fs::remove_file(&side).map_err(io)?;
        }
    }
    let partial = db.with_extension("restoring");
    std::fs::copy(from, &partial).map_err(io)?;
    File::open(&partial)
        .and_then(|f| f.sync_all())
        .map_err(io)?;
    std::fs::rename(&partial, db).map_err(io)?;
    Ok((check(db)?, aside))
}

/// Held by a running server: `<db>.lock`, locked for the process's life (the system lets go
/// of it when the process ends, even by kill -9). A restore takes it too, so it never runs
/// under a server, and two servers never share a file.
pub struct ServerLock {
    _file: File,
    pub path: PathBuf,
}

impl ServerLock {
    /// The lock, or an error naming who holds it.
    pub fn acquire(db: &Path) -> Result<ServerLock, StoreError> {
        let path = PathBuf::from(format!("{}.lock", db.display()));
        let file = std::fs::OpenOptions::new()
            .create(true)
            .truncate(false)
            .write(true)
            .open(&path)
            .map_err(|e| StoreError::Corrupt(format!("{}: {e}", path.display())))?;
        match file.try_lock() {
            Ok(()) => Ok(ServerLock { _file: file, path }),
            Err(std::fs::TryLockError::WouldBlock) => Err(StoreError::InUse(db.to_owned())),
            Err(std::fs::TryLockError::Error(e)) => {
                Err(StoreError::Corrupt(format!("{}: {e}", path.display())))
            }
        }
    }
}

/// The bytes free for this user on the file system that holds `path`.
pub fn free_bytes(path: &Path) -> Option<u64> {
    use std::os::unix::ffi::OsStrExt;
    let dir = if path.is_dir() {
        path
    } else {
        path.parent().filter(|p| !p.as_os_str().is_empty())?
    };
    let c_path = std::ffi::CString::new(dir.as_os_str().as_bytes()).ok()?;
    let mut stats = std::mem::MaybeUninit::<libc::statvfs>::uninit();
    // SAFETY: `c_path` is a valid NUL-terminated string and `stats` is written by statvfs
    // before it is read (only when it returns 0).
    let stats = unsafe {
        if libc::statvfs(c_path.as_ptr(), stats.as_mut_ptr()) != 0 {
            return None;
        }
        stats.assume_init()
    };
    Some(stats.f_bavail as u64 * stats.f_frsize as u64)
}

/// The database file's size with its WAL, in bytes.
pub fn database_bytes(db: &Path) -> u64 {
    let size = |p: &Path| std::fs::metadata(p).map_or(0, |m| m.len());
    size(db) + size(&PathBuf::from(format!("{}-wal", db.display())))
}

/// Where a database's backups go unless told: `backups` beside it.
pub fn default_dir(db: &Path) -> PathBuf {
    db.parent()
        .map_or_else(|| PathBuf::from("backups"), |p| p.join("backups"))
}

/// The prefix of every backup's name, then the time (so the names sort as the times do).
pub const PREFIX: &str = "seira-";

/// The newest backup in `dir` (by name, which carries its time), if any.
pub fn newest(dir: &Path, prefix: &str) -> Option<PathBuf> {
    std::fs::read_dir(dir)
        .ok()?
        .filter_map(|e| e.ok().map(|e| e.path()))
        .filter(|p| {
            p.file_name()
                .and_then(|n| n.to_str())
                .is_some_and(|n| n.starts_with(prefix) && n.ends_with(".db"))
        })
        .max()
}

/// Whether a server holds the database now.
pub fn server_running(db: &Path) -> bool {
    matches!(ServerLock::acquire(db), Err(StoreError::InUse(_)))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::store::Store;

    #[test]
    fn a_backup_is_whole_and_a_restore_keeps_the_old_file_aside() {
        let dir = tempfile::tempdir().unwrap();
        let db = dir.path().join("seira.db");
        let store = Store::open(&db).unwrap();
        store
            .write(|tx| {
                tx.execute_batch(
                    "INSERT INTO tickets (id, visit_id, site, service, day, seq, number, channel, \
                     state, issued_at, queued_at, line_at) VALUES ('t1', 't1', 'chania', \
                     'benefits', '2026-12-07', 1, 'A001', 'kiosk', 'waiting', 0, 0, 0);",
                )
                .map_err(StoreError::from)
            })
            .unwrap();
        let copy = dir.path().join("backups/seira-1.db");
        std::fs::create_dir_all(copy.parent().unwrap()).unwrap();
        let checked = backup(&db, &copy).unwrap();
        assert_eq!((checked.tickets, checked.schema), (1, migrations::known()));
        assert!(backup(&db, &copy).is_err(), "never over another backup");
        // A damaged file is refused.
        let bad = dir.path().join("bad.db");
        std::fs::write(&bad, b"SQLite format 3\0 and then nothing").unwrap();
        assert!(check(&bad).is_err());
        // The server runs: no restore. It stops: the restore keeps the old file aside.
        let lock = ServerLock::acquire(&db).unwrap();
        assert!(matches!(
            ServerLock::acquire(&db),
            Err(StoreError::InUse(_))
        ));
        drop(lock);
        drop(store);
        let _lock = ServerLock::acquire(&db).unwrap();
        let (restored, aside) = restore(&copy, &db, "x").unwrap();
        assert_eq!(restored.tickets, 1);
        assert!(aside.unwrap().exists());
        // Keeping the newest.
        for i in 2..=5 {
            backup(&db, &dir.path().join(format!("backups/seira-{i}.db"))).unwrap();
        }
        let removed = keep_newest(&dir.path().join("backups"), "seira-", 2).unwrap();
        assert_eq!(removed.len(), 3);
    }
}
