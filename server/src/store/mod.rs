//! The SQLite store: the only place with SQL.
//!
//! - One writer connection behind a mutex, every write in a `BEGIN IMMEDIATE` transaction: the
//!   queue's invariants (one number per ticket, one desk per call) are decided inside one
//!   transaction at a time, and another process on the same file (`seira token create`) waits
//!   its turn instead of failing.
//! - A few reader connections; WAL lets them read while the writer writes.
//! - `synchronous=FULL`: a ticket the API confirmed survives a power cut.
//! - Database calls are blocking: async code reaches them through [`Db`]. Its writes go to one
//!   writer thread, which commits the requests that queued during the previous fsync together
//!   (group commit, [`writer`]); its reads run on tokio's blocking threads.

mod alerts;
mod appointments;
pub mod backup;
mod config;
mod desks;
mod devices;
mod events;
mod keys;
mod migrations;
mod tickets;
mod tokens;
mod users;
mod writer;

use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::{Arc, Mutex};
use std::time::Duration;

use rusqlite::config::DbConfig;
use rusqlite::{Connection, OpenFlags, TransactionBehavior};

pub use alerts::{
    AlertChannel, AlertState, PendingAlert, alert_attempts, alert_finished, alert_later,
    alert_state, pending_alerts, remove_alert, set_alert,
};
pub use appointments::{
    DueReminder, SLOT_MS, appointment_by_code, appointment_by_request, appointment_stat_rows,
    appointments_between, booked_before, check_in_appointment, code_taken, desk_time_taken,
    due_reminders, follow_visit, has_contact, hold_desk_time, insert_appointment, load_appointment,
    release_desk_time, reminder_attempts, reminder_done_or_next, save_appointment,
    schedule_reminder,
};
pub use config::{latest_config, save_config, scrub_config_history};
pub use desks::{DeskRow, desk_states, load_desk, open_desks, save_desk_state, sync_desks};
pub use devices::{list_devices, mark_silent, record_heartbeat};
pub use events::{
    EventRow, append_event, cancelled_with, desk_changes, events_after, last_event_id,
};
pub use keys::{keep_server_key, server_key};
pub use tickets::{
    NewTicket, PHONE_REQUEST, Place, Queued, Waiting, booked_ahead, call_ticket, calls_since,
    desks_in_hand, find_by_request, first_in_line, forget_notes, insert_ticket, last_calls,
    latest_step, load_ticket, next_seq, open_tickets_before, phone_tickets, place_of, rate_step,
    recent_service_times, replay_rows, set_state, short_code_of, site_calls_since, stat_rows,
    ticket_by_short_code, ticket_in_hand, tickets_in_state, visit_id_of, visit_of, visit_rated,
    waiting_ahead, waiting_ahead_from_back, waiting_at_site, waiting_counts, waiting_lanes,
    waiting_now, waiting_phone_tickets,
};
pub use tokens::{
    TokenRow, find_token, insert_token, list_tokens, revoke_labelled_except, revoke_token,
};
pub use users::{
    SessionRow, UserRow, create_session, delete_expired_sessions, delete_session, find_session,
    find_user, insert_user, list_users, set_password, set_user_disabled, touch_session,
};

/// How long a write waits for another process's write to finish.
const BUSY_TIMEOUT: Duration = Duration::from_secs(10);
const READERS: usize = 4;
/// The page cache of each reader, in KiB (SQLite's `cache_size` takes it negative).
const READER_CACHE_KIB: i64 = -512;
/// Prepared statements kept per connection.
const STATEMENTS: usize = 256;

#[derive(Debug, thiserror::Error)]
pub enum StoreError {
    #[error("database {path}: {source}")]
    Open {
        path: PathBuf,
        #[source]
        source: rusqlite::Error,
    },
    #[error("database: {0}")]
    Sql(#[from] rusqlite::Error),
    #[error("the database was written by a newer seira (schema {found}, this one knows {known})")]
    TooNew { found: i64, known: i64 },
    #[error("the database is damaged: {0}")]
    Corrupt(String),
    #[error("a seira server runs on {0}: stop it first (systemctl stop seira-server)")]
    InUse(PathBuf),
    #[error("the database task stopped: {0}")]
    Task(String),
    /// The transaction that held the change did not commit: nothing of it happened.
    #[error("the database did not commit: {0}")]
    Commit(String),
    /// The disk holding the database is full: the change did not happen. Reads go on.
    #[error("the database's disk is full")]
    DiskFull,
}

impl StoreError {
    /// Whether SQLite found no room on the disk (`SQLITE_FULL`).
    pub fn is_disk_full(&self) -> bool {
        match self {
            StoreError::DiskFull => true,
            StoreError::Sql(rusqlite::Error::SqliteFailure(e, _))
            | StoreError::Open {
                source: rusqlite::Error::SqliteFailure(e, _),
                ..
            } => e.code == rusqlite::ErrorCode::DiskFull,
            _ => false,
        }
    }
}

/// The database file and its connections.
pub struct Store {
    path: PathBuf,
    writer: Mutex<Connection>,
    readers: Vec<Mutex<Connection>>,
    next_reader: AtomicUsize,
}

impl std::fmt::Debug for Store {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Store").field("path", &self.path).finish()
    }
}

fn connect(path: &Path, flags: OpenFlags) -> Result<Connection, StoreError> {
    let open = |source| StoreError::Open {
        path: path.to_owned(),
        source,
    };
    let conn = Connection::open_with_flags(path, flags).map_err(open)?;
    conn.busy_timeout(BUSY_TIMEOUT).map_err(open)?;
    conn.pragma_update(None, "journal_mode", "WAL")
        .map_err(open)?;
    conn.pragma_update(None, "synchronous", "FULL")
        .map_err(open)?;
    conn.pragma_update(None, "foreign_keys", "ON")
        .map_err(open)?;
    // A deleted phone number or note is overwritten with zeros, not left readable in the
    // file's free pages until something happens to reuse them.
    conn.pragma_update(None, "secure_delete", "ON")
        .map_err(open)?;
    // Each write runs in a savepoint (group commit): its undo pages go to a statement journal,
    // which would otherwise be a temporary file opened and deleted for every request.
    conn.pragma_update(None, "temp_store", "MEMORY")
        .map_err(open)?;
    // Every statement the engine runs stays prepared: the default of 16 is fewer than one
    // request uses, and parsing SQL again cost more than running it.
    conn.set_prepared_statement_cache_capacity(STATEMENTS);
    // The plan of a prepared statement does not depend on the values bound to it. Without
    // this, a partial index with `IS NOT NULL` in its condition makes SQLite look at the bound
    // values to decide whether the index applies, and then compile the statement again
    // every time it runs with new values (a fifth of the writer's time on each call).
    conn.set_db_config(DbConfig::SQLITE_DBCONFIG_ENABLE_QPSG, true)
        .map_err(open)?;
    Ok(conn)
}

impl Store {
    /// Opens (creating if needed) the database and brings its schema up to date.
    pub fn open(path: &Path) -> Result<Store, StoreError> {
        let mut writer = connect(path, OpenFlags::default())?;
        migrations::migrate(&mut writer)?;
        let readers = (0..READERS)
            .map(|_| {
                let reader = connect(
                    path,
                    OpenFlags::SQLITE_OPEN_READ_ONLY | OpenFlags::SQLITE_OPEN_NO_MUTEX,
                )?;
                // The hot reads are served from memory (boards, tokens, events); what reaches
                // a reader touches a few pages, which the system's file cache holds anyway.
                // SQLite's default of 2 MiB each would keep 8 MiB of copies.
                reader
                    .pragma_update(None, "cache_size", READER_CACHE_KIB)
                    .map_err(|source| StoreError::Open {
                        path: path.to_owned(),
                        source,
                    })?;
                Ok::<_, StoreError>(Mutex::new(reader))
            })
            .collect::<Result<_, _>>()?;
        Ok(Store {
            path: path.to_owned(),
            writer: Mutex::new(writer),
            readers,
            next_reader: AtomicUsize::new(0),
        })
    }

    pub fn path(&self) -> &Path {
        &self.path
    }

    /// Runs `f` in one `BEGIN IMMEDIATE` transaction; commits when it returns `Ok`.
    pub fn write<T, E: From<StoreError>>(
        &self,
        f: impl FnOnce(&rusqlite::Transaction<'_>) -> Result<T, E>,
    ) -> Result<T, E> {
        in_transaction(&self.writer, TransactionBehavior::Immediate, f)
    }

    /// Runs `f` on a reader connection, in one snapshot.
    pub fn read<T, E: From<StoreError>>(
        &self,
        f: impl FnOnce(&rusqlite::Transaction<'_>) -> Result<T, E>,
    ) -> Result<T, E> {
        let i = self.next_reader.fetch_add(1, Ordering::Relaxed) % self.readers.len();
        in_transaction(&self.readers[i], TransactionBehavior::Deferred, f)
    }

    /// Copies everything in the write-ahead log into the database file and empties the log
    /// (at a clean stop): no page of the log, deleted contacts' included, stays behind.
    pub fn checkpoint(&self) -> Result<(), StoreError> {
        let conn = self.writer.lock().unwrap_or_else(|e| e.into_inner());
        let busy: i64 = conn.query_row("PRAGMA wal_checkpoint(TRUNCATE)", [], |r| r.get(0))?;
        if busy != 0 {
            return Err(StoreError::Task(
                "a reader kept the write-ahead log from being emptied".to_owned(),
            ));
        }
        Ok(())
    }

    /// Whether the database answers (for `/healthz`).
    pub fn check(&self) -> Result<(), StoreError> {
        self.read(|tx| {
            tx.query_row("SELECT count(*) FROM events", [], |_| Ok(()))
                .map_err(StoreError::from)
        })
    }
}

/// How many one-row transactions a second a fresh database at `path` commits, with the
/// store's own settings (WAL, `synchronous=FULL`), for `duration`: the disk's limit, which
/// `seira bench` reports beside the server's figures.
pub fn commit_rate(path: &Path, duration: Duration) -> Result<f64, StoreError> {
    let conn = connect(path, OpenFlags::default())?;
    conn.execute_batch("CREATE TABLE IF NOT EXISTS t (x INTEGER)")?;
    let start = std::time::Instant::now();
    let mut commits = 0u64;
    while start.elapsed() < duration {
        conn.execute("INSERT INTO t (x) VALUES (?1)", [commits as i64])?;
        commits += 1;
    }
    Ok(commits as f64 / start.elapsed().as_secs_f64())
}

/// Runs `f` in a transaction on `conn`, committing when it returns `Ok`; on `Err` the
/// transaction rolls back as it is dropped.
fn in_transaction<T, E: From<StoreError>>(
    conn: &Mutex<Connection>,
    behavior: TransactionBehavior,
    f: impl FnOnce(&rusqlite::Transaction<'_>) -> Result<T, E>,
) -> Result<T, E> {
    // A panic while holding the lock leaves no half transaction (it rolled back on unwinding),
    // so the connection is still good.
    let mut conn = conn.lock().unwrap_or_else(|e| e.into_inner());
    let tx = conn
        .transaction_with_behavior(behavior)
        .map_err(StoreError::from)?;
    let value = f(&tx)?;
    tx.commit().map_err(StoreError::from)?;
    Ok(value)
}

/// The store as async code uses it: writes go to the writer thread, which commits them in
/// groups ([`writer`]); reads run on tokio's blocking threads, never on an async worker.
#[derive(Clone, Debug)]
pub struct Db {
    store: Arc<Store>,
    writer: Arc<writer::Writer>,
}

impl Db {
    /// Starts the writer thread of `store`; it ends with the last clone of this `Db`.
    pub fn new(store: Arc<Store>) -> std::io::Result<Db> {
        let writer = Arc::new(writer::Writer::start(store.clone())?);
        Ok(Db { store, writer })
    }

    pub fn store(&self) -> &Arc<Store> {
        &self.store
    }

    /// Runs `f` in a write transaction, answering once it has committed.
    pub async fn write<T, E>(
        &self,
        f: impl FnOnce(&rusqlite::Transaction<'_>) -> Result<T, E> + Send + 'static,
    ) -> Result<T, E>
    where
        T: Send + 'static,
        E: From<StoreError> + Send + 'static,
    {
        self.write_then(f, |_| {}).await
    }

    /// Like [`Db::write`], and runs `on_commit` with the result right after the commit, in
    /// the order of the commits, before answering.
    pub async fn write_then<T, E>(
        &self,
        f: impl FnOnce(&rusqlite::Transaction<'_>) -> Result<T, E> + Send + 'static,
        on_commit: impl FnOnce(&T) + Send + 'static,
    ) -> Result<T, E>
    where
        T: Send + 'static,
        E: From<StoreError> + Send + 'static,
    {
        let (reply, answer) = tokio::sync::oneshot::channel();
        let job = Box::new(writer::WriteJob {
            op: Some(f),
            outcome: None,
            on_commit: Some(on_commit),
            reply,
        });
        if !self.writer.send(job) {
            return Err(E::from(StoreError::Task(
                "the writer has stopped".to_owned(),
            )));
        }
        answer
            .await
            .map_err(|_| StoreError::Task("the writer has stopped".to_owned()))?
    }

    pub async fn read<T, E>(
        &self,
        f: impl FnOnce(&rusqlite::Transaction<'_>) -> Result<T, E> + Send + 'static,
    ) -> Result<T, E>
    where
        T: Send + 'static,
        E: From<StoreError> + Send + 'static,
    {
        let store = self.store.clone();
        tokio::task::spawn_blocking(move || store.read(f))
            .await
            .map_err(|e| StoreError::Task(e.to_string()))?
    }
}

/// Milliseconds since the epoch, as stored.
pub(crate) fn to_ms(t: jiff::Timestamp) -> i64 {
    t.as_millisecond()
}

pub(crate) fn from_ms(ms: i64) -> jiff::Timestamp {
    jiff::Timestamp::from_millisecond(ms).unwrap_or(jiff::Timestamp::UNIX_EPOCH)
}
