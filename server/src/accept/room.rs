//! Who is connected, and making room: at most [`Limits::total`] connections in all and
//! [`Limits::per_address`] from one address. When a limit is reached, a connection that is
//! waiting on its client — one that never sent a whole request (silent, a header dripped byte
//! by byte, an HTTP/2 preface alone) first, then an idle keep-alive — is closed to make room,
//! the oldest first; only when every connection is busy (an event stream, a request in
//! flight) is the new one refused. So sockets that say nothing can never keep a kiosk out.

use std::collections::HashMap;
use std::net::IpAddr;
use std::sync::{Arc, Mutex};

use super::Limits;
use super::watched::Conn;

/// The connections open now.
#[derive(Default)]
pub(super) struct Room {
    inner: Mutex<Inner>,
}

#[derive(Default)]
struct Inner {
    next_id: u64,
    open: HashMap<u64, Arc<Conn>>,
    by_address: HashMap<IpAddr, usize>,
}

/// A connection's place in the room, given back when its task ends.
pub(super) struct Place {
    room: Arc<Room>,
    pub conn: Arc<Conn>,
}

impl Drop for Place {
    fn drop(&mut self) {
        self.room.lock().remove(self.conn.id);
    }
}

/// Why a connection was not let in.
#[derive(Debug, PartialEq, Eq)]
pub(super) enum Full {
    /// Its address holds its limit, every one of them busy.
    Address,
    /// The server holds its limit, every connection busy.
    Total,
}

impl Room {
    fn lock(&self) -> std::sync::MutexGuard<'_, Inner> {
        self.inner.lock().unwrap_or_else(|e| e.into_inner())
    }

    /// How many connections are open now (for the log and the tests).
    pub fn len(&self) -> usize {
        self.lock().open.len()
    }

    /// Lets a connection from `address` in, making room first where a limit is reached.
    pub fn admit(self: &Arc<Self>, address: IpAddr, limits: &Limits) -> Result<Place, Full> {
        let mut inner = self.lock();
        if inner.by_address.get(&address).copied().unwrap_or(0) >= limits.per_address {
            // An address at its limit makes room among its own connections only.
            let victim = inner.longest_waiting(|c| c.address == address);
            inner.evict(victim).ok_or(Full::Address)?;
        }
        if inner.open.len() >= limits.total {
            let victim = inner.longest_waiting(|_| true);
            inner.evict(victim).ok_or(Full::Total)?;
        }
        inner.next_id += 1;
        let conn = Arc::new(Conn::new(inner.next_id, address));
        inner.open.insert(conn.id, conn.clone());
        *inner.by_address.entry(address).or_default() += 1;
        Ok(Place {
            room: self.clone(),
            conn,
        })
    }
}

impl Inner {
    /// The connection among `which` that has waited on its client the longest: one that
    /// never sent a whole request before any that did, then the one waiting since earliest.
    fn longest_waiting(&self, which: impl Fn(&Conn) -> bool) -> Option<u64> {
        self.open
            .values()
            .filter(|c| which(c))
            .filter_map(|c| c.room_order().map(|order| (order, c.id)))
            .min()
            .map(|(_, id)| id)
    }

    /// Closes connection `id` (its task sees the word and ends) and frees its place now.
    fn evict(&mut self, id: Option<u64>) -> Option<()> {
        let conn = self.remove(id?)?;
        conn.close();
        Some(())
    }

    fn remove(&mut self, id: u64) -> Option<Arc<Conn>> {
        let conn = self.open.remove(&id)?;
        if let Some(n) = self.by_address.get_mut(&conn.address) {
            *n -= 1;
            if *n == 0 {
                self.by_address.remove(&conn.address);
            }
        }
        Some(conn)
    }
}

#[cfg(test)]
mod tests {
    use std::time::Duration;

    use super::*;

    fn limits(total: usize, per_address: usize) -> Limits {
        Limits {
            total,
            per_address,
            header_read: Duration::from_secs(1),
        }
    }

    #[test]
    fn places_are_counted_per_address_and_in_all_and_given_back() {
        let room = Arc::new(Room::default());
        let limits = limits(3, 2);
        let a: IpAddr = "10.0.0.1".parse().unwrap();
        let b: IpAddr = "10.0.0.2".parse().unwrap();
        let first = room.admit(a, &limits).unwrap();
        let second = room.admit(a, &limits).unwrap();
        // Both busy: the third from `a` cannot make room.
        let _busy = (first.conn.begin(), second.conn.begin());
        assert_eq!(room.admit(a, &limits).err(), Some(Full::Address));
        let third = room.admit(b, &limits).unwrap();
        let _busy_too = third.conn.begin();
        assert_eq!(room.admit(b, &limits).err(), Some(Full::Total));
        drop(first);
        assert!(room.admit(a, &limits).is_ok(), "a place was given back");
    }

    #[test]
    fn a_full_room_closes_the_oldest_silent_connection_before_a_busy_or_served_one() {
        let room = Arc::new(Room::default());
        let limits = limits(3, 3);
        let attacker: IpAddr = "10.0.0.9".parse().unwrap();
        let kiosk: IpAddr = "10.0.0.1".parse().unwrap();
        // A kiosk's keep-alive connection that has been served and now idles.
        let served = room.admit(kiosk, &limits).unwrap();
        drop(served.conn.begin());
        // A lobby screen's event stream: busy for as long as it lives.
        let stream = room.admit(kiosk, &limits).unwrap();
        let _streaming = stream.conn.begin();
        let silent = room.admit(attacker, &limits).unwrap();
        // Full: the silent one goes, though the served one is older.
        let newcomer = room.admit(kiosk, &limits).unwrap();
        assert!(silent.conn.is_closed());
        assert!(!served.conn.is_closed() && !stream.conn.is_closed());
        assert_eq!(room.len(), 3);
        // Full again, nobody silent: the idle keep-alive makes room, the stream stays.
        drop(newcomer.conn.begin());
        let _another = room.admit(attacker, &limits).unwrap();
        assert!(
            served.conn.is_closed(),
            "the longest idle served connection"
        );
        assert!(!stream.conn.is_closed());
        drop(silent);
        assert_eq!(
            room.len(),
            3,
            "an evicted connection's end frees nothing twice"
        );
    }

    #[test]
    fn an_address_at_its_limit_makes_room_among_its_own_only() {
        let room = Arc::new(Room::default());
        let limits = limits(10, 2);
        let a: IpAddr = "10.0.0.1".parse().unwrap();
        let b: IpAddr = "10.0.0.2".parse().unwrap();
        let other = room.admit(b, &limits).unwrap();
        let own = room.admit(a, &limits).unwrap();
        let _own2 = room.admit(a, &limits).unwrap();
        let _third = room.admit(a, &limits).unwrap();
        assert!(
            own.conn.is_closed(),
            "its own oldest silent connection made room"
        );
        assert!(
            !other.conn.is_closed(),
            "another address's connection is never touched"
        );
    }
}
