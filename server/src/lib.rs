//! The seira server: the queue engine, the SQLite store and the HTTP API v1.
//!
//! - [`queue`]: the rules, pure functions with no IO and no clock.
//! - [`store`]: SQLite, the only module with SQL.
//! - [`engine`]: each API operation as one transaction over the store, using the rules.
//! - [`http`]: axum routes, errors, authentication and sessions, the event stream.
//! - [`state`]: what the handlers share, with what it keeps in memory so that requests need
//!   not ask the database ([`event_log`], [`board_cache`], [`token_cache`]); [`server`]: the
//!   API and the pages put together and served ([`accept`]: the accept loop with its limits).
//! - [`pages`]: the browser pages (sign-in, desk, phone, board), with [`i18n`] their texts.
//! - [`config`]: the configuration file, validated.
//! - [`calendar`]: the appointment book as iCalendar; [`import`]: bookings from CSV;
//!   [`reminders`]: reminders through a site's gateway ([`gateway`]), sent by
//!   [`reminder_sender`]; [`alerts`]: near-turn messages (text, or Web Push: [`push`]), sent by
//!   [`alert_sender`].
//! - [`auth`]: roles, tokens and who may do what; [`tls`]: the server's certificate.

pub mod accept;
pub mod alert_sender;
pub mod alerts;
pub mod auth;
pub mod backoff;
pub mod board_cache;
pub mod calendar;
pub mod config;
pub mod demo;
pub mod destination;
pub mod engine;
pub mod event_log;
pub mod gateway;
pub mod http;
pub mod i18n;
pub mod import;
pub mod live;
pub mod memory;
pub mod metrics;
pub mod pages;
pub mod phone;
pub mod push;
pub mod queue;
pub mod reminder_sender;
pub mod reminders;
pub mod server;
pub mod state;
pub mod stats;
pub mod store;
pub mod throttle;
pub mod tls;
pub mod token_cache;

pub use server::run;
pub use state::App;

#[cfg(test)]
mod structure {
    use std::collections::{BTreeMap, BTreeSet};
    use std::path::Path;

    /// The top-level modules each module uses (`crate::x` outside comments).
    fn uses() -> BTreeMap<String, BTreeSet<String>> {
        fn walk(dir: &Path, root: &Path, out: &mut BTreeMap<String, BTreeSet<String>>) {
            for entry in std::fs::read_dir(dir).unwrap() {
                let path = entry.unwrap().path();
                if path.is_dir() {
                    walk(&path, root, out);
                    continue;
                }
                let rel = path
                    .strip_prefix(root)
                    .unwrap()
                    .to_string_lossy()
                    .to_string();
                let top = rel
                    .split('/')
                    .next()
                    .unwrap()
                    .trim_end_matches(".rs")
                    .to_owned();
                let text = std::fs::read_to_string(&path).unwrap();
                for line in text.lines().filter(|l| !l.trim_start().starts_with("//")) {
                    for (i, _) in line.match_indices("crate::") {
                        let name: String = line[i + 7..]
                            .chars()
                            .take_while(|c| c.is_ascii_alphanumeric() || *c == '_')
                            .collect();
                        if !name.is_empty() && name != top {
                            out.entry(top.clone()).or_default().insert(name);
                        }
                    }
                }
            }
        }
        let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("src");
        let mut out = BTreeMap::new();
        walk(&root, &root, &mut out);
        out
    }

    /// The modules form layers: none reaches back to one that uses it (e.g. the API does not
    /// know the pages; what both need lives in `state`).
    #[test]
    fn modules_have_no_import_cycles() {
        let uses = uses();
        let reaches = |from: &str, to: &str| {
            let mut seen = BTreeSet::new();
            let mut todo = vec![from.to_owned()];
            while let Some(m) = todo.pop() {
                for next in uses.get(&m).into_iter().flatten() {
                    if next == to {
                        return true;
                    }
                    if seen.insert(next.clone()) {
                        todo.push(next.clone());
                    }
                }
            }
            false
        };
        for (module, used) in &uses {
            for other in used {
                assert!(
                    !reaches(other, module),
                    "`{module}` uses `{other}`, which leads back to `{module}`"
                );
            }
        }
        assert!(uses["pages"].contains("http") && !uses["http"].contains("pages"));
    }
}
