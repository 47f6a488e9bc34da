//! What every handler shares ([`AppState`]), and a server ready to run ([`App`]). Both the
//! API ([`crate::http`]) and the pages ([`crate::pages`]) depend on it; it depends on neither.

use std::sync::Arc;

use jiff::Timestamp;
use seira_protocol::{Event, EventKind};
use tokio::sync::watch;

use crate::config::Config;
use crate::engine::{Ctx, EngineError};
use crate::store::{Db, Store, StoreError};

/// What every handler shares.
#[derive(Clone)]
pub struct AppState {
    pub db: Db,
    pub live: Arc<crate::live::LiveConfig>,
    /// The newest committed events, for the event streams.
    pub(crate) events: Arc<crate::event_log::EventLog>,
    /// Tokens looked up within the last few seconds.
    pub(crate) tokens: Arc<crate::token_cache::TokenCache>,
    /// Each site's lobby board as of its newest event.
    pub(crate) boards: Arc<crate::board_cache::BoardCache>,
    /// Becomes `true` when the server shuts down, so open event streams end.
    pub(crate) stopping: watch::Receiver<bool>,
    pub(crate) clock: Arc<dyn Fn() -> Timestamp + Send + Sync>,
    pub throttle: Arc<crate::throttle::Throttle>,
    /// Unknown booking codes typed at check-in.
    /// Unknown booking codes: per kiosk and per address for devices, per person at reception.
    pub code_guesses: Arc<crate::backoff::Backoff>,
    pub reception_guesses: Arc<crate::backoff::Backoff>,
    /// Tickets taken on phones, per phone and per address.
    pub phone_joins: Arc<crate::throttle::Throttle>,
    /// What `/metrics` reports.
    pub metrics: Arc<crate::metrics::Metrics>,
}

impl AppState {
    pub fn now(&self) -> Timestamp {
        (self.clock)()
    }

    /// The configuration in force now.
    pub fn config(&self) -> Arc<Config> {
        self.live.current()
    }

    /// Runs an engine operation in a write transaction and publishes its events right after
    /// the commit, in commit order, before answering.
    pub async fn write<T: Send + 'static>(
        &self,
        actor: Option<crate::auth::Caller>,
        op: impl FnOnce(&mut Ctx<'_, '_>) -> Result<T, EngineError> + Send + 'static,
    ) -> Result<T, EngineError> {
        let config = self.config();
        let now = self.now();
        // Only what publishing needs goes to the writer thread.
        let (log, tokens, metrics) = (
            self.events.clone(),
            self.tokens.clone(),
            self.metrics.clone(),
        );
        let (value, _) = self
            .db
            .write_then(
                move |tx| {
                    let mut ctx = Ctx::new(tx, &config, now, actor.as_ref());
                    let value = op(&mut ctx)?;
                    Ok::<_, EngineError>((value, ctx.events))
                },
                move |(_, events)| {
                    for event in events.iter() {
                        metrics.event(event.kind.as_str());
                    }
                    publish(&log, &tokens, events)
                },
            )
            .await?;
        Ok(value)
    }

    /// Runs a read in one snapshot.
    pub async fn read<T: Send + 'static>(
        &self,
        op: impl FnOnce(&rusqlite::Transaction<'_>, &Config) -> Result<T, EngineError> + Send + 'static,
    ) -> Result<T, EngineError> {
        let config = self.config();
        self.db.read(move |tx| op(tx, &config)).await
    }
}

/// Puts a commit's events in the log for the streams. A changed token or user, or another
/// process's write (it may have revoked a token): the next requests look their tokens up
/// again.
fn publish(
    log: &crate::event_log::EventLog,
    tokens: &crate::token_cache::TokenCache,
    events: &[Event],
) {
    let whole = log.publish(events);
    if !whole
        || events
            .iter()
            .any(|e| matches!(e.kind, EventKind::TokenChanged | EventKind::UserChanged))
    {
        tokens.clear();
    }
}

/// A server ready to run: its configuration and its open database.
pub struct App {
    pub live: Arc<crate::live::LiveConfig>,
    pub store: Arc<Store>,
    pub clock: Arc<dyn Fn() -> Timestamp + Send + Sync>,
    /// How many connections, and how long one may stay without a request.
    pub limits: crate::accept::Limits,
    /// How often the due appointment reminders are looked for.
    pub reminders_every: std::time::Duration,
    /// How often holders waiting for a near-turn message are looked at.
    pub alerts_every: std::time::Duration,
    /// TLS on the server's own port, when it has a certificate.
    pub tls: Option<crate::tls::Tls>,
}

impl App {
    /// Opens the server on `store` with the configuration stored there, or with `seed` stored
    /// as its first version when there is none. Every configured desk gets its row.
    pub fn new(seed: Config, store: Store) -> Result<App, StoreError> {
        // How it runs (around the clock, extra push services) is the seed's, whatever is stored.
        let running = seed.clone();
        let seed_text = seed.to_toml();
        let (version, stored) = store.write(|tx| {
            // Versions stored before secrets were kept apart give them up now.
            let scrubbed = crate::store::scrub_config_history(tx)?;
            if scrubbed > 0 {
                tracing::info!(
                    versions = scrubbed,
                    "the gateways' secrets moved out of the settings' history"
                );
            }
            let (version, stored) = match crate::store::latest_config(tx)? {
                Some((version, text)) => {
                    let stored = Config::parse(&text, "<database>").map_err(|e| {
                        StoreError::Corrupt(format!("the stored configuration: {e}"))
                    })?;
                    if stored.to_toml() != seed_text {
                        tracing::warn!(
                            version,
                            "the database holds a configuration changed on the admin pages: \
                             it is used, not the file"
                        );
                    }
                    (version, stored)
                }
                None => {
                    let now = Timestamp::now();
                    let version = crate::store::save_config(tx, &seed_text, "seed", now)?;
                    (version, seed)
                }
            };
            crate::store::sync_desks(tx, stored.desk_ids())?;
            // The door codes' key, made once (a site that asks for door codes needs it).
            crate::store::keep_server_key(
                tx,
                crate::engine::DOOR_KEY,
                &crate::engine::new_door_key(),
            )?;
            // The Web Push identity, made once: browsers' subscriptions are bound to it.
            crate::store::keep_server_key(
                tx,
                crate::push::VAPID_KEY,
                &crate::push::Vapid::generate(),
            )?;
            Ok::<_, StoreError>((version, stored))
        })?;
        Ok(App {
            live: Arc::new(crate::live::LiveConfig::new(version, stored, &running)),
            store: Arc::new(store),
            clock: Arc::new(Timestamp::now),
            limits: crate::accept::Limits::default(),
            reminders_every: std::time::Duration::from_secs(15),
            alerts_every: std::time::Duration::from_secs(5),
            tls: None,
        })
    }

    /// The same, speaking TLS with `tls` (and sending plain HTTP to https).
    pub fn with_tls(mut self, tls: crate::tls::Tls) -> App {
        self.tls = Some(tls);
        self
    }

    /// The same, looking for due reminders this often (tests, which move the clock).
    pub fn with_reminders_every(mut self, every: std::time::Duration) -> App {
        self.reminders_every = every;
        self
    }

    /// The same, looking for holders near their turn this often (tests).
    pub fn with_alerts_every(mut self, every: std::time::Duration) -> App {
        self.alerts_every = every;
        self
    }

    /// Keeps every site open around the clock, whatever its stored hours (demo, training).
    pub fn always_open(mut self) -> App {
        let (version, stored) = self.live.stored();
        let running = (*self.config()).clone().always_open();
        self.live = Arc::new(crate::live::LiveConfig::new(
            version,
            (*stored).clone(),
            &running,
        ));
        self
    }

    /// The configuration in force.
    pub fn config(&self) -> Arc<Config> {
        self.live.current()
    }

    /// The same, with another clock (tests of closing time).
    pub fn with_clock(mut self, clock: impl Fn() -> Timestamp + Send + Sync + 'static) -> App {
        self.clock = Arc::new(clock);
        self
    }
}
