//! The newest events this server committed, kept in memory for the event streams.
//!
//! Every open stream (displays, desk pages, the tests' 500 subscribers) needs each new event.
//! Reading it from the database once per stream would cost one blocking read per subscriber
//! per event; instead the writer thread puts each committed event here once, serialized once,
//! and the streams copy it from memory.
//!
//! The writer publishes right after each commit and in commit order, so the ids here only
//! grow. The log holds every event with an id above its `floor`; a stream further behind
//! than that (after a reconnect, or when it fell far behind) reads the database instead. An
//! event written by another process (`seira token create` on the same file) leaves a hole in
//! the ids: the log then starts again above it, and the streams read the hole from the
//! database.

use std::collections::VecDeque;
use std::sync::{Arc, RwLock};

use seira_protocol::{Event, EventKind};
use tokio::sync::watch;

/// How many events the log keeps: a few minutes of the busiest lobby.
const CAPACITY: usize = 1024;

/// One committed event, as a stream sends it.
#[derive(Debug)]
pub struct Published {
    pub id: i64,
    pub site: String,
    pub kind: EventKind,
    /// The [`Event`] as JSON, made once for every stream.
    pub json: String,
}

impl Published {
    pub fn new(event: &Event) -> Published {
        Published {
            id: event.id,
            site: event.site.clone(),
            kind: event.kind,
            json: serde_json::to_string(event).unwrap_or_else(|_| "{}".to_owned()),
        }
    }
}

struct Ring {
    /// Every event with an id above this is in `events`.
    floor: i64,
    events: VecDeque<Arc<Published>>,
}

impl Ring {
    fn newest(&self) -> i64 {
        self.events.back().map_or(self.floor, |e| e.id)
    }
}

/// What [`EventLog::after`] found.
pub enum After {
    /// The site's events after the cursor, and the id the log has reached: the stream's next
    /// cursor, even when none of the events was the site's.
    Events(Vec<Arc<Published>>, i64),
    /// Some of them are older than the log: read the database.
    TooOld,
}

pub struct EventLog {
    /// Read by every stream at once after each event; written by the writer thread only.
    ring: RwLock<Ring>,
    /// The id of the newest published event: streams wait for it to change.
    newest: watch::Sender<i64>,
}

impl EventLog {
    /// A log that starts after the event `last_id`, the newest in the database.
    pub fn new(last_id: i64) -> EventLog {
        EventLog {
            ring: RwLock::new(Ring {
                floor: last_id,
                events: VecDeque::with_capacity(CAPACITY),
            }),
            newest: watch::channel(last_id).0,
        }
    }

    /// Adds the events of one commit, oldest first, and wakes the streams. Returns `false`
    /// when another process wrote events since the last commit here (the log has a hole).
    pub fn publish(&self, events: &[Event]) -> bool {
        let Some(first) = events.first() else {
            return true;
        };
        let mut ring = self.ring.write().unwrap_or_else(|e| e.into_inner());
        let whole = first.id == ring.newest() + 1;
        if !whole {
            ring.events.clear();
            ring.floor = first.id - 1;
        }
        for event in events {
            if ring.events.len() == CAPACITY
                && let Some(oldest) = ring.events.pop_front()
            {
                ring.floor = oldest.id;
            }
            ring.events.push_back(Arc::new(Published::new(event)));
        }
        let newest = ring.newest();
        drop(ring);
        self.newest.send_if_modified(|n| {
            let newer = newest > *n;
            if newer {
                *n = newest;
            }
            newer
        });
        whole
    }

    /// The id of the newest event published.
    pub fn newest(&self) -> i64 {
        *self.newest.borrow()
    }

    /// A receiver that wakes when a newer event is published.
    pub fn subscribe(&self) -> watch::Receiver<i64> {
        self.newest.subscribe()
    }

    /// The site's events with ids above `cursor`, at most `limit`.
    pub fn after(&self, site: &str, cursor: i64, limit: usize) -> After {
        let ring = self.ring.read().unwrap_or_else(|e| e.into_inner());
        if cursor < ring.floor {
            return After::TooOld;
        }
        let start = ring.events.partition_point(|e| e.id <= cursor);
        let mut found = Vec::new();
        let mut reached = cursor.max(ring.floor);
        for event in ring.events.range(start..) {
            if found.len() == limit {
                break;
            }
            reached = event.id;
            if event.site == site {
                found.push(event.clone());
            }
        }
        After::Events(found, reached)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn event(id: i64, site: &str) -> Event {
        Event {
            id,
            at: jiff::Timestamp::UNIX_EPOCH,
            site: site.to_owned(),
            kind: EventKind::TicketIssued,
            ticket: None,
            desk: None,
            waiting: Default::default(),
            detail: None,
        }
    }

    fn ids(after: After) -> (Vec<i64>, i64) {
        match after {
            After::Events(events, reached) => (events.iter().map(|e| e.id).collect(), reached),
            After::TooOld => panic!("too old"),
        }
    }

    #[test]
    fn streams_read_the_newest_events_of_their_site_from_memory() {
        let log = EventLog::new(10);
        assert_eq!(ids(log.after("a", 10, 100)), (vec![], 10));
        assert!(log.publish(&[event(11, "a"), event(12, "b")]));
        assert!(log.publish(&[event(13, "a")]));
        assert_eq!(log.newest(), 13);
        assert_eq!(ids(log.after("a", 10, 100)), (vec![11, 13], 13));
        assert_eq!(ids(log.after("b", 11, 100)), (vec![12], 13));
        // A quiet site's stream still moves its cursor on.
        assert_eq!(ids(log.after("c", 10, 100)), (vec![], 13));
        // At most `limit`, and the cursor stops where they stop.
        assert_eq!(ids(log.after("a", 10, 1)), (vec![11], 11));
        // Before the log began: the database has them.
        assert!(matches!(log.after("a", 9, 100), After::TooOld));
    }

    #[test]
    fn a_hole_left_by_another_process_sends_streams_to_the_database() {
        let log = EventLog::new(0);
        log.publish(&[event(1, "a")]);
        // Event 2 was written by `seira token create`.
        assert!(!log.publish(&[event(3, "a")]));
        assert!(matches!(log.after("a", 1, 100), After::TooOld));
        assert_eq!(ids(log.after("a", 2, 100)), (vec![3], 3));
    }

    #[test]
    fn the_oldest_events_leave_when_the_log_is_full() {
        let log = EventLog::new(0);
        for id in 1..=(CAPACITY as i64 + 5) {
            log.publish(&[event(id, "a")]);
        }
        assert!(matches!(log.after("a", 4, 100), After::TooOld));
        let (found, _) = ids(log.after("a", 5, 2));
        assert_eq!(found, vec![6, 7]);
    }
}
