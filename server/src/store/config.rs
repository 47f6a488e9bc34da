//! The config_versions table: every version of the live configuration, as TOML text — without
//! its secrets. A message gateway's `authorization` (a provider's API key) is kept apart, in
//! `server_keys`, once: the history of who changed what keeps no copy of it, and an export
//! of the settings shows only that one is set. [`save_config`] takes a version apart and
//! [`latest_config`] puts it back together, so every caller sees whole configurations.

use jiff::Timestamp;
use rusqlite::{OptionalExtension, Transaction, params};

use super::to_ms;

/// The `server_keys` names of the gateways' secrets begin with this.
const SECRET: &str = "gateway-authorization:";

/// The newest version: its number and text, its secrets in place.
pub fn latest_config(tx: &Transaction<'_>) -> rusqlite::Result<Option<(i64, String)>> {
    let Some((id, text)) = tx
        .prepare_cached("SELECT id, toml FROM config_versions ORDER BY id DESC LIMIT 1")?
        .query_row([], |r| Ok((r.get::<_, i64>(0)?, r.get::<_, String>(1)?)))
        .optional()?
    else {
        return Ok(None);
    };
    let secrets = secrets(tx)?;
    Ok(Some((id, merged(&text, &secrets))))
}

/// Stores a new version (its secrets apart, replacing the ones kept); returns its number.
pub fn save_config(
    tx: &Transaction<'_>,
    toml: &str,
    actor: &str,
    now: Timestamp,
) -> rusqlite::Result<i64> {
    let (kept, secrets) = split(toml);
    tx.prepare_cached("DELETE FROM server_keys WHERE name LIKE ?1")?
        .execute(params![format!("{SECRET}%")])?;
    for (place, secret) in &secrets {
        tx.prepare_cached("INSERT INTO server_keys (name, value) VALUES (?1, ?2)")?
            .execute(params![format!("{SECRET}{place}"), secret.as_bytes()])?;
    }
    tx.prepare_cached("INSERT INTO config_versions (at, actor, toml) VALUES (?1, ?2, ?3)")?
        .execute(params![to_ms(now), actor, kept])?;
    Ok(tx.last_insert_rowid())
}

/// Takes the secrets out of versions stored before they were kept apart (an upgrade): the
/// newest version's are kept in `server_keys` first. Returns how many versions changed.
pub fn scrub_config_history(tx: &Transaction<'_>) -> rusqlite::Result<usize> {
    let rows: Vec<(i64, String)> = tx
        .prepare(
            "SELECT id, toml FROM config_versions WHERE toml LIKE '%authorization%' ORDER BY id",
        )?
        .query_map([], |r| Ok((r.get(0)?, r.get(1)?)))?
        .collect::<rusqlite::Result<_>>()?;
    let newest: Option<i64> = tx
        .query_row("SELECT max(id) FROM config_versions", [], |r| r.get(0))
        .optional()?
        .flatten();
    let mut changed = 0;
    for (id, text) in rows {
        let (kept, secrets) = split(&text);
        if secrets.is_empty() {
            continue;
        }
        if Some(id) == newest {
            for (place, secret) in &secrets {
                tx.prepare_cached(
                    "INSERT OR REPLACE INTO server_keys (name, value) VALUES (?1, ?2)",
                )?
                .execute(params![format!("{SECRET}{place}"), secret.as_bytes()])?;
            }
        }
        tx.prepare_cached("UPDATE config_versions SET toml = ?2 WHERE id = ?1")?
            .execute(params![id, kept])?;
        changed += 1;
    }
    Ok(changed)
}

/// The secrets kept, by place (`chania/reminders`, `chania/near_turn`).
fn secrets(tx: &Transaction<'_>) -> rusqlite::Result<Vec<(String, String)>> {
    tx.prepare_cached("SELECT name, value FROM server_keys WHERE name LIKE ?1")?
        .query_map(params![format!("{SECRET}%")], |r| {
            let name: String = r.get(0)?;
            let value: Vec<u8> = r.get(1)?;
            Ok((
                name.trim_start_matches(SECRET).to_owned(),
                String::from_utf8_lossy(&value).into_owned(),
            ))
        })?
        .collect()
}

/// A site's gateway tables, which keep their `authorization`, by place.
fn gateways(site: &mut toml::Table) -> Vec<(&'static str, &mut toml::Table)> {
    let mut found = Vec::new();
    for (key, value) in site.iter_mut() {
        let gateway = match key.as_str() {
            "reminders" => value.as_table_mut().map(|t| ("reminders", t)),
            "near_turn" => value
                .as_table_mut()
                .and_then(|n| n.get_mut("gateway"))
                .and_then(|g| g.as_table_mut())
                .map(|t| ("near_turn", t)),
            _ => None,
        };
        found.extend(gateway);
    }
    found
}

/// Applies `each` to every site's gateways in `text`, with the site's id; the text again, or
/// as it was when it is not a configuration.
fn each_gateway(text: &str, mut each: impl FnMut(&str, &str, &mut toml::Table)) -> String {
    let Ok(mut file) = text.parse::<toml::Table>() else {
        return text.to_owned();
    };
    if let Some(sites) = file.get_mut("sites").and_then(|s| s.as_array_mut()) {
        for site in sites.iter_mut().filter_map(|s| s.as_table_mut()) {
            let id = site
                .get("id")
                .and_then(|v| v.as_str())
                .unwrap_or_default()
                .to_owned();
            for (place, gateway) in gateways(site) {
                each(&id, place, gateway);
            }
        }
    }
    toml::to_string(&file).unwrap_or_else(|_| text.to_owned())
}

/// The text without its secrets, and the secrets by place.
fn split(text: &str) -> (String, Vec<(String, String)>) {
    let mut secrets = Vec::new();
    let kept = each_gateway(text, |site, place, gateway| {
        if let Some(toml::Value::String(secret)) = gateway.remove("authorization") {
            secrets.push((format!("{site}/{place}"), secret));
        }
    });
    if secrets.is_empty() {
        // Nothing to take out: the text as it was, byte for byte.
        return (text.to_owned(), secrets);
    }
    (kept, secrets)
}

/// The text with the secrets kept for its gateways put back.
fn merged(text: &str, secrets: &[(String, String)]) -> String {
    if secrets.is_empty() {
        return text.to_owned();
    }
    each_gateway(text, |site, place, gateway| {
        let here = format!("{site}/{place}");
        if let Some((_, secret)) = secrets.iter().find(|(p, _)| *p == here) {
            gateway
                .entry("authorization")
                .or_insert_with(|| toml::Value::String(secret.clone()));
        }
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    const WITH_SECRETS: &str = r#"
[[sites]]
id = "chania"
[sites.reminders]
url = "https://sms.example.gr/send"
authorization = "Bearer reminder-key"
[sites.near_turn]
ahead = 3
[sites.near_turn.gateway]
url = "https://sms.example.gr/send"
authorization = "Bearer near-key"

[[sites]]
id = "souda"
"#;

    #[test]
    fn secrets_are_taken_out_and_put_back_by_place() {
        let (kept, secrets) = split(WITH_SECRETS);
        assert!(
            !kept.contains("reminder-key") && !kept.contains("near-key"),
            "{kept}"
        );
        let mut places = secrets.clone();
        places.sort();
        assert_eq!(
            places,
            [
                ("chania/near_turn".to_owned(), "Bearer near-key".to_owned()),
                (
                    "chania/reminders".to_owned(),
                    "Bearer reminder-key".to_owned()
                ),
            ]
        );
        let whole = merged(&kept, &secrets);
        assert_eq!(
            whole.parse::<toml::Table>().unwrap(),
            WITH_SECRETS.parse::<toml::Table>().unwrap()
        );
        // Without secrets, nothing is rewritten.
        let plain = "[[sites]]\nid = \"souda\"\n";
        assert_eq!(split(plain), (plain.to_owned(), Vec::new()));
    }
}
