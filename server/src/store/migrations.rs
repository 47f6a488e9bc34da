//! Numbered schema migrations, applied in order inside one transaction; the database's
//! `user_version` is the number of the last one applied.

use rusqlite::Connection;

use super::StoreError;

/// One migration: SQL, or a change SQL alone cannot say.
enum Step {
    Sql(&'static str),
    Rust(fn(&Connection) -> rusqlite::Result<()>),
}

impl Step {
    fn apply(&self, conn: &Connection) -> rusqlite::Result<()> {
        match self {
            Step::Sql(sql) => conn.execute_batch(sql),
            Step::Rust(change) => change(conn),
        }
    }
}

/// The tickets' channel as migration 1 allowed it, and with `phone`.
const CHANNELS_BEFORE: &str = "CHECK (channel IN ('kiosk', 'staff', 'appointment'))";
const CHANNELS_AFTER: &str = "CHECK (channel IN ('kiosk', 'staff', 'appointment', 'phone'))";

/// Widens the tickets' channel CHECK to take `phone`. SQLite cannot alter a constraint, and
/// rebuilding the table would mean recreating its every index and trigger; widening a CHECK
/// to a value no row holds yet changes neither the rows nor the indexes, so the table's text
/// is changed in place, as SQLite's own ALTER TABLE documentation describes ("making other
/// kinds of table schema changes"), and the schema version is moved on so that every
/// connection reads it again.
fn phone_channel(conn: &Connection) -> rusqlite::Result<()> {
    let version: i64 = conn.query_row("PRAGMA schema_version", [], |r| r.get(0))?;
    conn.pragma_update(None, "writable_schema", true)?;
    let changed = conn.execute(
        "UPDATE sqlite_schema SET sql = replace(sql, ?1, ?2) \
         WHERE type = 'table' AND name = 'tickets' AND instr(sql, ?1) > 0",
        [CHANNELS_BEFORE, CHANNELS_AFTER],
    )?;
    conn.pragma_update(None, "schema_version", version + 1)?;
    conn.pragma_update(None, "writable_schema", false)?;
    // Not the table migration 1 made: stop rather than guess.
    if changed != 1 {
        return Err(rusqlite::Error::InvalidQuery);
    }
    Ok(())
}

/// Append only: a released migration is never edited.
const MIGRATIONS: &[Step] = &[
    // 1: tickets, desks, the event log, tokens.
    Step::Sql(
        r#"
    CREATE TABLE tickets (
        id          TEXT PRIMARY KEY,          -- random, unguessable
        visit_id    TEXT NOT NULL,             -- the id of the visit's first step
        step        INTEGER NOT NULL DEFAULT 1 CHECK (step >= 1),
        site        TEXT NOT NULL,
        service     TEXT NOT NULL,
        day         TEXT NOT NULL,             -- service day at the site, YYYY-MM-DD
        seq         INTEGER NOT NULL CHECK (seq >= 1),
        number      TEXT NOT NULL,
        priority    TEXT,
        channel     TEXT NOT NULL CHECK (channel IN ('kiosk', 'staff', 'appointment')),
        lang        TEXT,
        request_id  TEXT,
        state       TEXT NOT NULL CHECK (state IN ('waiting', 'called', 'serving', 'done',
                        'no_show', 'cancelled', 'transferred', 'parked', 'voided')),
        desk        TEXT,
        recalls     INTEGER NOT NULL DEFAULT 0,
        out_of_order INTEGER NOT NULL DEFAULT 0,
        issued_at   INTEGER NOT NULL,          -- ms since the epoch; kept across transfers
        queued_at   INTEGER NOT NULL,
        called_at   INTEGER,                   -- first call
        announced_at INTEGER,                  -- latest call or recall (the lobby board's order)
        started_at  INTEGER,
        finished_at INTEGER,
        inaccurate_time INTEGER NOT NULL DEFAULT 0,
        CHECK (state NOT IN ('called', 'serving') OR desk IS NOT NULL)
    );
    -- One number per site, service and day (a transfer's later steps keep the first's number).
    CREATE UNIQUE INDEX tickets_number ON tickets (site, service, day, seq) WHERE step = 1;
    -- The same request twice is the same ticket.
    CREATE UNIQUE INDEX tickets_request ON tickets (site, request_id) WHERE request_id IS NOT NULL;
    -- At most one ticket in hand per desk.
    CREATE UNIQUE INDEX tickets_in_hand ON tickets (desk) WHERE state IN ('called', 'serving');
    CREATE INDEX tickets_queue ON tickets (site, state, service, queued_at);
    CREATE INDEX tickets_finished ON tickets (site, service, finished_at) WHERE state = 'done';
    CREATE INDEX tickets_calls ON tickets (site, announced_at) WHERE announced_at IS NOT NULL;

    CREATE TABLE desks (
        id           TEXT PRIMARY KEY,
        site         TEXT NOT NULL,
        state        TEXT NOT NULL DEFAULT 'closed' CHECK (state IN ('open', 'paused', 'closed')),
        pause_reason TEXT,
        last_class   TEXT CHECK (last_class IN ('priority', 'ordinary')),
        run_len      INTEGER NOT NULL DEFAULT 0,
        changed_at   INTEGER
    );

    -- Append only: the live stream, the audit trail and the statistics read it.
    CREATE TABLE events (
        id        INTEGER PRIMARY KEY AUTOINCREMENT,
        at        INTEGER NOT NULL,
        site      TEXT NOT NULL,
        kind      TEXT NOT NULL,
        ticket_id TEXT,
        desk      TEXT,
        actor     TEXT,
        data      TEXT NOT NULL
    );
    CREATE INDEX events_site ON events (site, id);
    CREATE INDEX events_ticket ON events (ticket_id);
    CREATE TRIGGER events_no_update BEFORE UPDATE ON events
        BEGIN SELECT RAISE(ABORT, 'the event log is append-only'); END;
    CREATE TRIGGER events_no_delete BEFORE DELETE ON events
        BEGIN SELECT RAISE(ABORT, 'the event log is append-only'); END;

    CREATE TABLE tokens (
        id         INTEGER PRIMARY KEY,
        hash       BLOB NOT NULL UNIQUE,       -- SHA-256 of the token; the token is never stored
        role       TEXT NOT NULL CHECK (role IN ('kiosk', 'display', 'staff', 'manager', 'admin')),
        site       TEXT,
        desk       TEXT,
        label      TEXT NOT NULL,
        created_at INTEGER NOT NULL,
        revoked_at INTEGER
    );
    "#,
    ),
    // 2: people who sign in on the browser pages, and their sessions.
    Step::Sql(
        r#"
    CREATE TABLE users (
        id            INTEGER PRIMARY KEY,
        name          TEXT NOT NULL UNIQUE,
        role          TEXT NOT NULL CHECK (role IN ('staff', 'manager', 'admin')),
        site          TEXT,
        desks         TEXT NOT NULL DEFAULT '',  -- desk ids, comma-separated; '' = every desk
        password_hash TEXT NOT NULL,             -- argon2id PHC string
        created_at    INTEGER NOT NULL,
        disabled_at   INTEGER,
        CHECK (role = 'admin' OR site IS NOT NULL)
    );
    CREATE TABLE sessions (
        hash       BLOB PRIMARY KEY,             -- SHA-256 of the cookie; the cookie is never stored
        user_id    INTEGER NOT NULL REFERENCES users (id) ON DELETE CASCADE,
        created_at INTEGER NOT NULL,
        last_seen  INTEGER NOT NULL
    );
    CREATE INDEX sessions_user ON sessions (user_id);
    "#,
    ),
    // 3: the live configuration, one row per version (admins change it on the pages).
    Step::Sql(
        r#"
    CREATE TABLE config_versions (
        id    INTEGER PRIMARY KEY AUTOINCREMENT,
        at    INTEGER NOT NULL,
        actor TEXT NOT NULL,
        toml  TEXT NOT NULL
    );
    "#,
    ),
    // 4: devices that report in (kiosks), and their printers.
    Step::Sql(
        r#"
    CREATE TABLE devices (
        site      TEXT NOT NULL,
        name      TEXT NOT NULL,
        last_seen INTEGER NOT NULL,
        printer   TEXT NOT NULL,
        PRIMARY KEY (site, name)
    );
    "#,
    ),
    // 5: statistics: who called each ticket (a staff account, or a desk token's label), and
    // the steps of a site by the time they joined a queue, with every column the figures read
    // (a covering index: a year is one range scan, without a lookup per row).
    Step::Sql(
        r#"
    ALTER TABLE tickets ADD COLUMN served_by TEXT;
    UPDATE tickets SET served_by = (
        SELECT actor FROM events
        WHERE events.ticket_id = tickets.id AND events.kind = 'ticket_called'
        ORDER BY events.id DESC LIMIT 1
    ) WHERE called_at IS NOT NULL;
    CREATE INDEX tickets_stats ON tickets (site, queued_at, service, state, step, desk,
        served_by, called_at, started_at, finished_at, inaccurate_time);
    "#,
    ),
    // 6: a real day. `line_at` is a ticket's place in its queue, apart from `queued_at` (when
    // the step joined it, which the statistics measure): a transfer that keeps the citizen's
    // place lines up by the first issue time. `only_desk` sends a transferred step to one
    // colleague; `note` is that colleague's word (staff only, deleted when the visit ends).
    // Devices that stop reporting are marked `silent` once, so staff hear of it once.
    Step::Sql(
        r#"
    ALTER TABLE tickets ADD COLUMN line_at INTEGER;
    UPDATE tickets SET line_at = queued_at;
    ALTER TABLE tickets ADD COLUMN only_desk TEXT;
    ALTER TABLE tickets ADD COLUMN note TEXT;
    DROP INDEX tickets_queue;
    CREATE INDEX tickets_queue ON tickets (site, state, service, line_at);
    ALTER TABLE devices ADD COLUMN silent INTEGER NOT NULL DEFAULT 0;
    "#,
    ),
    // 7: costs that do not grow with the queue. Every event, board and estimate needs the
    // number waiting in each queue: triggers keep it in `queue_counts` as tickets join and
    // leave, in the same transaction, instead of counting the queue on every read. The two
    // lanes the calling rules look at (ordinary and priority tickets of a service) get an
    // index each, so finding the first of an empty lane does not scan the other.
    Step::Sql(
        r#"
    CREATE TABLE queue_counts (
        site    TEXT NOT NULL,
        service TEXT NOT NULL,
        waiting INTEGER NOT NULL CHECK (waiting >= 0),
        PRIMARY KEY (site, service)
    ) WITHOUT ROWID;
    INSERT INTO queue_counts (site, service, waiting)
        SELECT site, service, COUNT(*) FROM tickets WHERE state = 'waiting'
        GROUP BY site, service;
    CREATE TRIGGER queue_counts_issued AFTER INSERT ON tickets WHEN NEW.state = 'waiting'
    BEGIN
        INSERT OR IGNORE INTO queue_counts (site, service, waiting)
            VALUES (NEW.site, NEW.service, 0);
        UPDATE queue_counts SET waiting = waiting + 1
            WHERE site = NEW.site AND service = NEW.service;
    END;
    CREATE TRIGGER queue_counts_joined AFTER UPDATE OF state, site, service ON tickets
        WHEN NEW.state = 'waiting'
    BEGIN
        INSERT OR IGNORE INTO queue_counts (site, service, waiting)
            VALUES (NEW.site, NEW.service, 0);
        UPDATE queue_counts SET waiting = waiting + 1
            WHERE site = NEW.site AND service = NEW.service;
    END;
    CREATE TRIGGER queue_counts_left AFTER UPDATE OF state, site, service ON tickets
        WHEN OLD.state = 'waiting'
    BEGIN
        UPDATE queue_counts SET waiting = waiting - 1
            WHERE site = OLD.site AND service = OLD.service;
    END;
    CREATE TRIGGER queue_counts_deleted AFTER DELETE ON tickets WHEN OLD.state = 'waiting'
    BEGIN
        UPDATE queue_counts SET waiting = waiting - 1
            WHERE site = OLD.site AND service = OLD.service;
    END;
    CREATE INDEX tickets_lane_ordinary ON tickets (site, service, line_at)
        WHERE state = 'waiting' AND priority IS NULL;
    CREATE INDEX tickets_lane_priority ON tickets (site, service, line_at)
        WHERE state = 'waiting' AND priority IS NOT NULL;
    "#,
    ),
    // 8: the appointment book. An appointment holds its desk's time as one row per 5 minutes
    // in `appointment_slots`, whose primary key makes the same desk's same 5 minutes
    // impossible to give twice, whatever checks the code makes or misses. `desk` is the desk
    // asked for (NULL: any desk of the service); `held_desk` the one whose time is held.
    // `contact` (for a reminder) is deleted when the appointment ends.
    Step::Sql(
        r#"
    CREATE TABLE appointments (
        id         TEXT PRIMARY KEY,
        code       TEXT NOT NULL UNIQUE,
        site       TEXT NOT NULL,
        service    TEXT NOT NULL,
        desk       TEXT,
        held_desk  TEXT NOT NULL,
        start_at   INTEGER NOT NULL,
        minutes    INTEGER NOT NULL CHECK (minutes BETWEEN 5 AND 480 AND minutes % 5 = 0),
        state      TEXT NOT NULL CHECK (state IN ('booked', 'checked_in', 'served', 'no_show',
                       'cancelled')),
        request_id TEXT,
        contact    TEXT,
        ticket_id  TEXT,
        booked_at  INTEGER NOT NULL,
        changed_at INTEGER NOT NULL
    );
    CREATE UNIQUE INDEX appointments_request ON appointments (site, request_id)
        WHERE request_id IS NOT NULL;
    CREATE INDEX appointments_day ON appointments (site, start_at);
    CREATE TABLE appointment_slots (
        desk        TEXT NOT NULL,
        at          INTEGER NOT NULL CHECK (at % 300000 = 0),
        appointment TEXT NOT NULL REFERENCES appointments (id),
        PRIMARY KEY (desk, at)
    ) WITHOUT ROWID;
    CREATE INDEX appointment_slots_of ON appointment_slots (appointment);
    "#,
    ),
    // 9: check-in. A checked-in appointment's ticket carries `due_at` (its start): the desk
    // calls it first from then, through its own lane (`tickets_lane_booked`); the walk-in
    // lanes leave it out. An appointment keeps when it checked in (punctuality) and the
    // visit its ticket began; the housekeeping finds the ones whose window ended unchecked
    // through `appointments_booked`. The statistics' covering index gains the channel
    // (walk-ins and appointments apart). A reminder is due at `reminder_at` (cleared once
    // sent, given up, or the appointment ends). `note` is staff's word on the booking (staff only,
    // deleted with the contact when the appointment ends).
    Step::Sql(
        r#"
    ALTER TABLE tickets ADD COLUMN due_at INTEGER;
    ALTER TABLE appointments ADD COLUMN note TEXT;
    ALTER TABLE appointments ADD COLUMN reminder_at INTEGER;
    ALTER TABLE appointments ADD COLUMN reminder_attempts INTEGER NOT NULL DEFAULT 0;
    ALTER TABLE appointments ADD COLUMN reminder_sent_at INTEGER;
    CREATE INDEX appointments_reminders ON appointments (reminder_at)
        WHERE reminder_at IS NOT NULL;
    CREATE INDEX tickets_lane_booked ON tickets (site, service, due_at)
        WHERE state = 'waiting' AND due_at IS NOT NULL;
    ALTER TABLE appointments ADD COLUMN checked_in_at INTEGER;
    CREATE INDEX appointments_booked ON appointments (start_at) WHERE state = 'booked';
    CREATE INDEX appointments_ticket ON appointments (ticket_id) WHERE ticket_id IS NOT NULL;
    DROP INDEX tickets_stats;
    CREATE INDEX tickets_stats ON tickets (site, queued_at, service, state, step, desk,
        served_by, called_at, started_at, finished_at, inaccurate_time, channel);
    "#,
    ),
    // 10: reaching citizens. A visit's first step has a `short_code`, the printed short link
    // for a phone that cannot read the QR code. A finished visit's anonymous rating sits on
    // its last step (`rating`, once). A near-turn text message or Web Push notification waits
    // in `ticket_alerts` with the number or the subscription the holder gave; that is
    // cleared once the message is sent or given up, and the
    // row goes when the visit ends (the trigger, whatever ended it). The statistics'
    // covering index gains the rating.
    Step::Sql(
        r#"
    ALTER TABLE tickets ADD COLUMN rating INTEGER CHECK (rating BETWEEN 1 AND 5);
    ALTER TABLE tickets ADD COLUMN rated_at INTEGER;
    ALTER TABLE tickets ADD COLUMN short_code TEXT;
    CREATE UNIQUE INDEX tickets_short ON tickets (short_code) WHERE short_code IS NOT NULL;
    DROP INDEX tickets_stats;
    CREATE INDEX tickets_stats ON tickets (site, queued_at, service, state, step, desk,
        served_by, called_at, started_at, finished_at, inaccurate_time, channel, rating);
    CREATE TABLE ticket_alerts (
        visit_id  TEXT NOT NULL,
        channel   TEXT NOT NULL CHECK (channel IN ('text', 'push')),
        site      TEXT NOT NULL,
        contact   TEXT,                    -- a phone number, or a push subscription (JSON)
        state     TEXT NOT NULL CHECK (state IN ('waiting', 'sent', 'failed')),
        attempts  INTEGER NOT NULL DEFAULT 0,
        next_at   INTEGER NOT NULL,
        PRIMARY KEY (visit_id, channel),
        CHECK (state = 'waiting' OR contact IS NULL)
    );
    -- The server's own keys: the VAPID key pair that signs its Web Push messages.
    CREATE TABLE server_keys (
        name  TEXT PRIMARY KEY,
        value BLOB NOT NULL
    );
    CREATE INDEX ticket_alerts_due ON ticket_alerts (next_at) WHERE state = 'waiting';
    CREATE TRIGGER ticket_alerts_visit_ended AFTER UPDATE OF state ON tickets
        WHEN NEW.state IN ('done', 'no_show', 'cancelled', 'voided')
        BEGIN DELETE FROM ticket_alerts WHERE visit_id = NEW.visit_id; END;
    "#,
    ),
    // 11: tickets taken on phones (the QR poster at the door) are their own channel, so that
    // staff see them marked, a site's caps count them, and the statistics can tell them.
    Step::Rust(phone_channel),
];

/// The schema this seira writes.
pub fn known() -> i64 {
    MIGRATIONS.len() as i64
}

pub fn migrate(conn: &mut Connection) -> Result<(), StoreError> {
    let known = MIGRATIONS.len() as i64;
    // A database of an older seira is copied whole before it changes: an upgrade that goes
    // wrong is undone with `seira restore`.
    let found: i64 = conn.query_row("PRAGMA user_version", [], |r| r.get(0))?;
    if found > 0
        && found < known
        && let Some(path) = conn
            .path()
            .filter(|p| !p.is_empty())
            .map(std::path::PathBuf::from)
    {
        let stamp = jiff::Timestamp::now().strftime("%Y%m%d-%H%M%S");
        let to = std::path::PathBuf::from(format!(
            "{}.before-schema-{known}-{stamp}.db",
            path.display()
        ));
        let checked = super::backup::backup(&path, &to)?;
        tracing::info!(from = found, to = known, backup = %checked.path.display(), "database upgraded; the old one kept");
    }
    let tx = conn.transaction_with_behavior(rusqlite::TransactionBehavior::Immediate)?;
    let found: i64 = tx.query_row("PRAGMA user_version", [], |r| r.get(0))?;
    if found > known {
        return Err(StoreError::TooNew { found, known });
    }
    for (i, step) in MIGRATIONS.iter().enumerate().skip(found as usize) {
        step.apply(&tx)?;
        tx.pragma_update(None, "user_version", i as i64 + 1)?;
    }
    tx.commit()?;
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    /// A centre that upgrades in the middle of a day: the tickets already waiting are
    /// counted when the counts start being kept, and kept right from then on.
    #[test]
    fn the_waiting_counts_start_from_the_queue_of_the_day_of_the_upgrade() {
        let mut conn = Connection::open_in_memory().unwrap();
        for (i, step) in MIGRATIONS.iter().enumerate().take(6) {
            step.apply(&conn).unwrap();
            conn.pragma_update(None, "user_version", i as i64 + 1)
                .unwrap();
        }
        let ticket = |id: &str, service: &str, state: &str| {
            format!(
                "INSERT INTO tickets (id, visit_id, site, service, day, seq, number, channel, \
                 state, desk, issued_at, queued_at, line_at) VALUES ('{id}', '{id}', 'chania', \
                 '{service}', '2026-12-01', {seq}, 'A{seq:03}', 'kiosk', '{state}', {desk}, 0, \
                 0, 0);",
                seq = id.len() + service.len() * 10,
                desk = if state == "called" { "'d1'" } else { "NULL" },
            )
        };
        conn.execute_batch(
            &[
                ticket("a", "benefits", "waiting"),
                ticket("bb", "benefits", "waiting"),
                ticket("ccc", "benefits", "done"),
                ticket("d", "children", "waiting"),
                ticket("ee", "children", "called"),
            ]
            .concat(),
        )
        .unwrap();
        migrate(&mut conn).unwrap();
        let counts = |conn: &Connection| -> Vec<(String, i64)> {
            let mut stmt = conn
                .prepare("SELECT service, waiting FROM queue_counts ORDER BY service")
                .unwrap();
            stmt.query_map([], |r| Ok((r.get(0)?, r.get(1)?)))
                .unwrap()
                .collect::<rusqlite::Result<_>>()
                .unwrap()
        };
        assert_eq!(
            counts(&conn),
            [("benefits".to_owned(), 2), ("children".to_owned(), 1)]
        );
        conn.execute_batch(
            "UPDATE tickets SET state = 'called', desk = 'd2' WHERE id = 'a';
             UPDATE tickets SET state = 'waiting', desk = NULL WHERE id = 'ee';",
        )
        .unwrap();
        assert_eq!(
            counts(&conn),
            [("benefits".to_owned(), 1), ("children".to_owned(), 2)]
        );
    }

    /// A database from before phone tickets takes them after the upgrade, on the connection
    /// that migrated it and on a new one, with its tickets, indexes and triggers intact.
    #[test]
    fn an_upgraded_database_takes_tickets_from_phones() {
        let dir = tempfile::tempdir().unwrap();
        let db = dir.path().join("seira.db");
        let insert = |conn: &Connection, id: &str, channel: &str| {
            conn.execute(
                &format!(
                    "INSERT INTO tickets (id, visit_id, site, service, day, seq, number, channel, \
                     state, issued_at, queued_at, line_at) VALUES ('{id}', '{id}', 'chania', \
                     'benefits', '2026-12-07', {seq}, 'A00{seq}', '{channel}', 'waiting', 0, 0, 0)",
                    seq = id.len()
                ),
                [],
            )
        };
        {
            let conn = Connection::open(&db).unwrap();
            for (i, step) in MIGRATIONS.iter().enumerate().take(10) {
                step.apply(&conn).unwrap();
                conn.pragma_update(None, "user_version", i as i64 + 1)
                    .unwrap();
            }
            insert(&conn, "k", "kiosk").unwrap();
            assert!(
                insert(&conn, "pp", "phone").is_err(),
                "not before the upgrade"
            );
        }
        let mut conn = Connection::open(&db).unwrap();
        migrate(&mut conn).unwrap();
        insert(&conn, "pp", "phone").unwrap();
        assert!(
            insert(&conn, "qqq", "fax").is_err(),
            "the check still holds"
        );
        let other = Connection::open(&db).unwrap();
        insert(&other, "rrrr", "phone").unwrap();
        let verdict: String = other
            .query_row("PRAGMA integrity_check", [], |r| r.get(0))
            .unwrap();
        assert_eq!(verdict, "ok");
        let waiting: i64 = other
            .query_row("SELECT sum(waiting) FROM queue_counts", [], |r| r.get(0))
            .unwrap();
        assert_eq!(waiting, 3, "the waiting counts' triggers still count");
    }

    /// An upgrade keeps the database as it was, whole, beside it, before changing it.
    #[test]
    fn an_older_database_is_kept_whole_before_it_is_upgraded() {
        let dir = tempfile::tempdir().unwrap();
        let db = dir.path().join("seira.db");
        {
            let conn = Connection::open(&db).unwrap();
            for (i, step) in MIGRATIONS.iter().enumerate().take(8) {
                step.apply(&conn).unwrap();
                conn.pragma_update(None, "user_version", i as i64 + 1)
                    .unwrap();
            }
        }
        crate::store::Store::open(&db).unwrap();
        let kept: Vec<_> = std::fs::read_dir(dir.path())
            .unwrap()
            .filter_map(|e| e.ok())
            .map(|e| e.file_name().to_string_lossy().into_owned())
            .filter(|n| n.starts_with(&format!("seira.db.before-schema-{}-", known())))
            .collect();
        assert_eq!(kept.len(), 1, "{kept:?}");
        let checked = crate::store::backup::check(&dir.path().join(&kept[0])).unwrap();
        assert_eq!(checked.schema, 8);
        // Opening it again, now current, keeps nothing more.
        crate::store::Store::open(&db).unwrap();
        assert_eq!(
            std::fs::read_dir(dir.path())
                .unwrap()
                .filter_map(|e| e.ok())
                .filter(|e| e.file_name().to_string_lossy().contains("before-schema"))
                .count(),
            1
        );
    }
}
