//! The day's door code of a site whose phone joining asks for one: four characters of the
//! booking codes' alphabet, the same all day, another the next. It is derived from a key the
//! server makes once and keeps with the database (`server_keys`), the site and the service
//! day, so nothing needs storing and nobody can work out tomorrow's from today's. The poster
//! at the door carries it in its QR code; a phone that joins without it was not at the door.

use jiff::civil::Date;
use rusqlite::Transaction;
use sha2::{Digest, Sha256};

use super::Result;
use super::appointments::CODE_ALPHABET;
use crate::store;

/// The `server_keys` name of the key the codes are derived from.
pub const DOOR_KEY: &str = "door-code";

/// Characters in a door code: 25⁴ = 390,625 codes, a new one each day.
const LEN: usize = 4;

/// The code of `site` on `day` (its service day).
pub fn door_code(tx: &Transaction<'_>, site: &str, day: Date) -> Result<String> {
    let key = match store::server_key(tx, DOOR_KEY)? {
        Some(key) => key,
        // Made at the server's start; a store without it (an older file) gets it now.
        None => store::keep_server_key(tx, DOOR_KEY, &new_key())?,
    };
    Ok(derive(&key, site, day))
}

/// A new random key.
pub fn new_key() -> Vec<u8> {
    let mut key = vec![0u8; 32];
    rand::fill(&mut key[..]);
    key
}

/// The key, the site and the day, hashed with the key around them (an HMAC's shape:
/// nothing can be appended to a known code's input to forge another's).
fn derive(key: &[u8], site: &str, day: Date) -> String {
    let inner = Sha256::new()
        .chain_update(key)
        .chain_update(site.as_bytes())
        .chain_update([0])
        .chain_update(day.to_string().as_bytes())
        .finalize();
    let outer = Sha256::new()
        .chain_update(key)
        .chain_update(inner)
        .finalize();
    outer
        .iter()
        .take(LEN)
        .map(|b| CODE_ALPHABET[usize::from(*b) % CODE_ALPHABET.len()] as char)
        .collect()
}

/// Whether `typed` is `code`, as people type it (any case, spaces around).
pub fn matches(typed: Option<&str>, code: &str) -> bool {
    typed.is_some_and(|t| t.trim().eq_ignore_ascii_case(code))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_code_a_day_a_site() {
        let key = [7u8; 32];
        let day: Date = "2026-12-07".parse().unwrap();
        let today = derive(&key, "chania", day);
        assert_eq!(today.len(), LEN);
        assert_eq!(today, derive(&key, "chania", day), "the same all day");
        assert_ne!(today, derive(&key, "chania", day.tomorrow().unwrap()));
        assert_ne!(today, derive(&key, "souda", day));
        assert_ne!(
            today,
            derive(&[8u8; 32], "chania", day),
            "another server, another code"
        );
        assert!(matches(
            Some(&format!(" {} ", today.to_lowercase())),
            &today
        ));
        assert!(!matches(None, &today));
    }
}
