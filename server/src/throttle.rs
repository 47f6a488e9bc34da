//! Throttling of attempts, in memory: per account from one address, and per address.
//! Sign-ins use it ([`Throttle::default`]), and so do tickets taken on phones
//! ([`Throttle::joins`]). Booking codes have a growing delay instead ([`crate::backoff`]).

use std::collections::HashMap;
use std::net::IpAddr;
use std::sync::Mutex;
use std::time::{Duration, Instant};

/// Failed sign-ins counted over this window.
const WINDOW: Duration = Duration::from_secs(15 * 60);
/// Failures allowed for one account from one address.
const MAX_PER_ACCOUNT: usize = 5;
const MAX_PER_ADDRESS: usize = 20;

/// Failed sign-in attempts per account name *from one address*, and per client address, in
/// memory (a restart forgets them, which only helps the legitimate user). Counting an
/// account's failures per address means a stranger's wrong guesses block the stranger, not
/// the staff member signing in at their own desk (ASVS 2.2.1: throttling must not become a
/// way to lock people out).
pub struct Throttle {
    failures: Mutex<Failures>,
    window: Duration,
    per_account: usize,
    per_address: usize,
}

impl Default for Throttle {
    fn default() -> Self {
        Throttle {
            failures: Mutex::default(),
            window: WINDOW,
            per_account: MAX_PER_ACCOUNT,
            per_address: MAX_PER_ADDRESS,
        }
    }
}

#[derive(Default)]
struct Failures {
    by_account: HashMap<(String, IpAddr), Vec<Instant>>,
    by_address: HashMap<IpAddr, Vec<Instant>>,
}

impl Throttle {
    /// For tickets taken on phones (each one counts, not only failures): 3 an hour from one
    /// phone (its cookie) on one address, 60 from one address. A centre's Wi-Fi, or the
    /// municipal proxy in front of the phone pages, is one address for many phones: hence
    /// the larger figure there.
    pub fn joins() -> Self {
        Throttle {
            window: Duration::from_secs(60 * 60),
            per_account: 3,
            per_address: 60,
            ..Throttle::default()
        }
    }

    /// How long until another attempt is allowed, if it is not now.
    pub fn wait(&self, account: &str, address: IpAddr, now: Instant) -> Option<Duration> {
        let mut f = self.failures.lock().unwrap_or_else(|e| e.into_inner());
        let by_account = f
            .by_account
            .entry((account.to_lowercase(), address))
            .or_default();
        let account_wait = blocked_for(by_account, self.per_account, self.window, now);
        let by_address = f.by_address.entry(address).or_default();
        let address_wait = blocked_for(by_address, self.per_address, self.window, now);
        account_wait.max(address_wait)
    }

    pub fn failed(&self, account: &str, address: IpAddr, now: Instant) {
        let mut f = self.failures.lock().unwrap_or_else(|e| e.into_inner());
        f.by_account
            .entry((account.to_lowercase(), address))
            .or_default()
            .push(now);
        f.by_address.entry(address).or_default().push(now);
        // Keep memory bounded whatever an attacker sends.
        let window = self.window;
        if f.by_account.len() > 10_000 {
            f.by_account
                .retain(|_, v| v.iter().any(|t| now - *t < window));
        }
        if f.by_address.len() > 10_000 {
            f.by_address
                .retain(|_, v| v.iter().any(|t| now - *t < window));
        }
    }

    pub fn succeeded(&self, account: &str, address: IpAddr) {
        let mut f = self.failures.lock().unwrap_or_else(|e| e.into_inner());
        f.by_account.remove(&(account.to_lowercase(), address));
    }
}

/// Drops attempts older than the window; with `limit` or more left, how long until the
/// oldest of the last `limit` leaves it.
fn blocked_for(
    attempts: &mut Vec<Instant>,
    limit: usize,
    window: Duration,
    now: Instant,
) -> Option<Duration> {
    attempts.retain(|t| now - *t < window);
    let oldest = *attempts.get(attempts.len().checked_sub(limit)?)?;
    Some(window.saturating_sub(now - oldest))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn five_failures_block_an_account_for_the_rest_of_the_window() {
        let throttle = Throttle::default();
        let address: IpAddr = "10.0.0.5".parse().unwrap();
        let t0 = Instant::now();
        for i in 0..MAX_PER_ACCOUNT {
            assert_eq!(throttle.wait("maria", address, t0), None, "attempt {i}");
            throttle.failed("maria", address, t0);
        }
        let wait = throttle
            .wait("Maria", address, t0 + Duration::from_secs(60))
            .unwrap();
        assert_eq!(wait, WINDOW - Duration::from_secs(60));
        assert_eq!(
            throttle.wait("maria", address, t0 + WINDOW),
            None,
            "the window passed"
        );
        // Another account from another address is not affected.
        assert_eq!(
            throttle.wait("nikos", "10.0.0.6".parse().unwrap(), t0),
            None
        );
        // Nor is Maria at her own desk: a stranger's failures do not lock her out.
        assert_eq!(
            throttle.wait("maria", "10.0.0.21".parse().unwrap(), t0),
            None
        );
    }

    #[test]
    fn one_address_trying_many_accounts_is_blocked_too() {
        let throttle = Throttle::default();
        let address: IpAddr = "10.0.0.9".parse().unwrap();
        let t0 = Instant::now();
        for i in 0..MAX_PER_ADDRESS {
            throttle.failed(&format!("user{i}"), address, t0);
        }
        assert!(throttle.wait("someone-else", address, t0).is_some());
        throttle.succeeded("user0", address);
        assert!(
            throttle.wait("someone-else", address, t0).is_some(),
            "per address stays"
        );
    }
}
