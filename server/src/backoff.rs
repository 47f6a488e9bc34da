//! A growing delay after failed guesses, in memory: a few mistakes are free, then each one
//! more waits twice as long as the last, up to a cap. Booking codes typed at a kiosk use it:
//! a prankster who types random codes slows only that kiosk, and only for as long as the
//! cap, so the next citizen with a real code waits a minute at most — never a ten-minute wall.
//! A check-in that succeeds, or a quiet spell, forgets the mistakes.

use std::collections::HashMap;
use std::sync::Mutex;
use std::time::{Duration, Instant};

/// Mistakes counted per key (a kiosk, a person, an address).
pub struct Backoff {
    strikes: Mutex<HashMap<String, Strikes>>,
    /// Mistakes allowed before any delay.
    free: u32,
    /// The first delay; each later one doubles it.
    first: Duration,
    /// The longest delay.
    cap: Duration,
    /// Mistakes older than this are forgotten.
    forget: Duration,
}

#[derive(Debug, Clone, Copy)]
struct Strikes {
    count: u32,
    last: Instant,
    until: Instant,
}

/// The most keys kept; past it the quiet ones are dropped, so an attacker's keys cannot grow
/// the server's memory.
const MAX_KEYS: usize = 10_000;

impl Backoff {
    /// For booking codes: 3 mistakes free (a citizen mistypes), then 2 s, 4 s, 8 s … up to
    /// 60 s between guesses, forgotten after 10 quiet minutes. At the cap a kiosk tries 60
    /// codes an hour; with 244 million codes and a hundred appointments a day, guessing all
    /// day and night finds one with a chance of 1 in 1,700.
    pub fn codes() -> Self {
        Backoff {
            strikes: Mutex::default(),
            free: 3,
            first: Duration::from_secs(2),
            cap: Duration::from_secs(60),
            forget: Duration::from_secs(10 * 60),
        }
    }

    /// The same with `free` mistakes before any delay (reception types many codes a day).
    pub fn with_free(self, free: u32) -> Self {
        Backoff { free, ..self }
    }

    fn lock(&self) -> std::sync::MutexGuard<'_, HashMap<String, Strikes>> {
        self.strikes.lock().unwrap_or_else(|e| e.into_inner())
    }

    /// How long `key` must still wait before its next try, if at all.
    pub fn wait(&self, key: &str, now: Instant) -> Option<Duration> {
        let strikes = self.lock().get(key).copied()?;
        (strikes.until > now).then(|| strikes.until - now)
    }

    /// A wrong guess from `key`: the delay before its next one.
    pub fn failed(&self, key: &str, now: Instant) -> Duration {
        let mut all = self.lock();
        if all.len() >= MAX_KEYS && !all.contains_key(key) {
            let forget = self.forget;
            all.retain(|_, s| now.saturating_duration_since(s.last) < forget);
        }
        let strikes = all.entry(key.to_owned()).or_insert(Strikes {
            count: 0,
            last: now,
            until: now,
        });
        if now.saturating_duration_since(strikes.last) >= self.forget {
            strikes.count = 0;
        }
        strikes.count += 1;
        strikes.last = now;
        let delay = self.delay(strikes.count);
        strikes.until = now + delay;
        delay
    }

    /// A right guess from `key`: its mistakes are forgotten.
    pub fn succeeded(&self, key: &str) {
        self.lock().remove(key);
    }

    /// The delay after the `count`th mistake in a row.
    fn delay(&self, count: u32) -> Duration {
        match count.checked_sub(self.free + 1) {
            None => Duration::ZERO,
            Some(doublings) => self
                .first
                .checked_mul(1u32 << doublings.min(16))
                .unwrap_or(self.cap)
                .min(self.cap),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn mistakes_are_free_then_each_doubles_the_wait_up_to_the_cap() {
        let backoff = Backoff::codes();
        let t0 = Instant::now();
        let delays: Vec<u64> = (0..10)
            .map(|_| backoff.failed("kiosk 1", t0).as_secs())
            .collect();
        assert_eq!(delays, [0, 0, 0, 2, 4, 8, 16, 32, 60, 60]);
        assert_eq!(backoff.wait("kiosk 1", t0), Some(Duration::from_secs(60)));
        assert_eq!(
            backoff.wait("kiosk 1", t0 + Duration::from_secs(60)),
            None,
            "the next citizen waits a minute at most"
        );
        assert_eq!(backoff.wait("reception", t0), None, "another key is free");
    }

    #[test]
    fn a_success_or_a_quiet_spell_forgets_the_mistakes() {
        let backoff = Backoff::codes();
        let t0 = Instant::now();
        for _ in 0..6 {
            backoff.failed("kiosk 1", t0);
        }
        backoff.succeeded("kiosk 1");
        assert_eq!(backoff.wait("kiosk 1", t0), None);
        for _ in 0..6 {
            backoff.failed("kiosk 2", t0);
        }
        let later = t0 + Duration::from_secs(11 * 60);
        assert_eq!(backoff.failed("kiosk 2", later), Duration::ZERO);
    }

    #[test]
    fn reception_has_more_free_mistakes() {
        let backoff = Backoff::codes().with_free(20);
        let t0 = Instant::now();
        assert!((0..20).all(|_| backoff.failed("maria", t0).is_zero()));
        assert_eq!(backoff.failed("maria", t0), Duration::from_secs(2));
    }
}
