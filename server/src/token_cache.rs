//! Who holds which token, remembered for a few seconds.
//!
//! Every request of a kiosk, display or desk carries its bearer token. Looking it up costs a
//! hash (kept) and a database read on a blocking thread, which reads (the board, services,
//! the event stream, the desk's list) take from here instead. A change of state always asks
//! the database, so nothing is ever changed with a revoked token. The cache forgets
//! everything whenever this server changes a token or a user, so a revocation made on the
//! admin pages or the API stops reads at once too; one made by another process on the same
//! database (`seira token revoke` on the command line) stops them within [`KEEP`].

use std::collections::HashMap;
use std::sync::Mutex;
use std::time::{Duration, Instant};

use crate::auth::Caller;

/// How long a looked-up token is trusted without asking the database again.
pub const KEEP: Duration = Duration::from_secs(5);
/// More tokens than any centre has: past it the cache starts again, so it cannot grow.
const MAX_ENTRIES: usize = 1024;

#[derive(Default)]
pub struct TokenCache {
    inner: Mutex<Inner>,
}

#[derive(Default)]
struct Inner {
    /// By the token's SHA-256. Only valid tokens are kept: unknown ones are asked every time,
    /// so random guesses cannot fill the cache.
    entries: HashMap<Vec<u8>, (Caller, Instant)>,
    /// Counts the clearings: a lookup that began before one must not put back what it
    /// cleared.
    generation: u64,
}

impl TokenCache {
    /// The holder of the token with this hash, if it was looked up within [`KEEP`].
    /// The holder of the token with this hash, if it was looked up within [`KEEP`]; else the
    /// generation to [`TokenCache::put`] the database's answer with.
    pub fn get(&self, hash: &[u8], now: Instant) -> Result<Caller, u64> {
        let inner = self.lock();
        inner
            .entries
            .get(hash)
            .filter(|(_, at)| now.duration_since(*at) < KEEP)
            .map(|(caller, _)| caller.clone())
            .ok_or(inner.generation)
    }

    /// The generation to [`TokenCache::put`] a fresh lookup with.
    pub fn generation(&self) -> u64 {
        self.lock().generation
    }

    /// Keeps what the database said, unless the cache was cleared since `generation`.
    pub fn put(&self, hash: Vec<u8>, caller: Caller, now: Instant, generation: u64) {
        let mut inner = self.lock();
        if inner.generation != generation {
            return;
        }
        if inner.entries.len() >= MAX_ENTRIES {
            inner.entries.clear();
        }
        inner.entries.insert(hash, (caller, now));
    }

    /// Forgets every token: a token or user changed.
    pub fn clear(&self) {
        let mut inner = self.lock();
        inner.entries.clear();
        inner.generation += 1;
    }

    fn lock(&self) -> std::sync::MutexGuard<'_, Inner> {
        self.inner.lock().unwrap_or_else(|e| e.into_inner())
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::auth::Role;

    #[test]
    fn tokens_are_kept_for_a_few_seconds_until_something_changes() {
        let cache = TokenCache::default();
        let caller = Caller {
            role: Role::Kiosk,
            site: Some("chania".into()),
            desks: vec![],
            label: "kiosk".into(),
        };
        let t0 = Instant::now();
        let generation = cache.get(b"h", t0).unwrap_err();
        cache.put(b"h".to_vec(), caller.clone(), t0, generation);
        assert_eq!(
            cache.get(b"h", t0 + Duration::from_secs(1)),
            Ok(caller.clone())
        );
        assert!(cache.get(b"h", t0 + KEEP).is_err());
        cache.put(b"h".to_vec(), caller.clone(), t0, generation);
        cache.clear();
        assert!(cache.get(b"h", t0).is_err());
        // A lookup that began before the clearing does not put its answer back.
        cache.put(b"h".to_vec(), caller, t0, generation);
        assert!(cache.get(b"h", t0).is_err());
    }
}
