//! The live configuration: the version in force, swapped whole when an admin changes it.
//!
//! The database keeps every version (`config_versions`); the file, or the embedded default,
//! only seeds the first. Running around the clock (`--always-open`, the demo), push
//! services taken besides the browsers' (tests), and the hosts inside that gateways may be at
//! (the file's `internal_gateway_hosts`) are ways of running, not settings: they are applied
//! on top and never stored.

use std::sync::{Arc, RwLock};

use crate::config::Config;

pub struct LiveConfig {
    always_open: bool,
    push_also: Vec<String>,
    gateway_hosts: Vec<String>,
    state: RwLock<State>,
}

struct State {
    version: i64,
    /// As stored: what admins edit.
    stored: Arc<Config>,
    /// As served: `stored`, open around the clock when asked.
    served: Arc<Config>,
}

impl LiveConfig {
    /// `seed` says how the server runs: whether around the clock, and which push services
    /// it takes besides the browsers'.
    pub fn new(version: i64, stored: Config, seed: &Config) -> Self {
        let (always_open, push_also, gateway_hosts) = (
            seed.open_around_the_clock,
            seed.push_services_also.clone(),
            seed.internal_gateway_hosts.clone(),
        );
        let state = State::of(version, stored, always_open, &push_also, &gateway_hosts);
        LiveConfig {
            state: RwLock::new(state),
            always_open,
            push_also,
            gateway_hosts,
        }
    }

    /// The configuration requests are served with.
    pub fn current(&self) -> Arc<Config> {
        self.read().served.clone()
    }

    /// The stored configuration and its version, for admins to change.
    pub fn stored(&self) -> (i64, Arc<Config>) {
        let state = self.read();
        (state.version, state.stored.clone())
    }

    /// Puts a newly stored version in force.
    pub fn replace(&self, version: i64, stored: Config) {
        let mut state = self.state.write().unwrap_or_else(|e| e.into_inner());
        if version > state.version {
            *state = State::of(
                version,
                stored,
                self.always_open,
                &self.push_also,
                &self.gateway_hosts,
            );
        }
    }

    fn read(&self) -> std::sync::RwLockReadGuard<'_, State> {
        self.state.read().unwrap_or_else(|e| e.into_inner())
    }
}

impl State {
    fn of(
        version: i64,
        stored: Config,
        always_open: bool,
        push_also: &[String],
        gateway_hosts: &[String],
    ) -> State {
        let mut served = if always_open {
            stored.clone().always_open()
        } else {
            stored.clone()
        };
        served.push_services_also = push_also.to_vec();
        served.internal_gateway_hosts = gateway_hosts.to_vec();
        State {
            version,
            stored: Arc::new(stored),
            served: Arc::new(served),
        }
    }
}
