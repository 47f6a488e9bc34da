//! A device's own file: `/etc/seira/kiosk.toml` or `/etc/seira/display.toml`, which the
//! packages install and their units pass with `--config`. It holds what the flags hold, so
//! that IT edits one file instead of a unit; a flag or environment variable given as well
//! wins over the file.

use std::path::Path;

use anyhow::Context;
use seira_protocol::fingerprint::Fingerprint;
use serde::Deserialize;
use serde::de::DeserializeOwned;

use super::DeviceArgs;

/// The kiosk's file. Every key is optional; the comments of `packaging/kiosk.toml` say what
/// each does.
#[derive(Debug, Default, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct KioskFile {
    pub server: Option<String>,
    pub site: Option<String>,
    pub token: Option<String>,
    pub fingerprint: Option<String>,
    pub printer: Option<String>,
    pub profile: Option<String>,
    pub codepage: Option<String>,
    pub languages: Option<Vec<String>>,
    pub priority_step: Option<bool>,
    pub hide_closed: Option<bool>,
    pub speech: Option<bool>,
    pub idle_seconds: Option<u64>,
    pub more_time_seconds: Option<u64>,
    pub ticket_seconds: Option<u64>,
    pub double_strike_ms: Option<u64>,
}

/// The lobby display's file.
#[derive(Debug, Default, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct DisplayFile {
    pub server: Option<String>,
    pub site: Option<String>,
    pub token: Option<String>,
    pub fingerprint: Option<String>,
    pub languages: Option<Vec<String>>,
    pub second_line: Option<String>,
    pub speak: Option<Vec<String>>,
    pub sound: Option<String>,
    pub time_zone: Option<String>,
}

/// The file at `path`, or every key unset without one.
pub fn load<T: DeserializeOwned + Default>(path: Option<&Path>) -> anyhow::Result<T> {
    let Some(path) = path else {
        return Ok(T::default());
    };
    let text = std::fs::read_to_string(path)
        .with_context(|| format!("cannot read the device's file {}", path.display()))?;
    toml::from_str(&text).map_err(|e| anyhow::anyhow!("{}: {e}", path.display()))
}

/// Where and as whom a device connects, once flags, variables and file are put together.
pub struct Connection {
    pub server: String,
    pub site: String,
    pub token: String,
    /// The server certificate's fingerprint, for a server with its own LAN certificate.
    pub pin: Option<Fingerprint>,
}

impl DeviceArgs {
    /// The connection: each part from the flag (or its variable), else from the file; the
    /// site defaults to the demo's `chania`. A missing server or token is an error that says
    /// where to put it.
    pub fn connection(
        &self,
        server: Option<String>,
        site: Option<String>,
        token: Option<String>,
        fingerprint: Option<String>,
    ) -> anyhow::Result<Connection> {
        let file = self.config.as_deref().map_or_else(
            || "the device's file".to_owned(),
            |p| p.display().to_string(),
        );
        let given = |flag: &Option<String>, from_file: Option<String>| {
            flag.clone()
                .or(from_file)
                .map(|v| v.trim().to_owned())
                .filter(|v| !v.is_empty())
        };
        let server = given(&self.server, server).with_context(|| {
            format!(
                "no server address: give --server http://10.0.0.2:8080, or `server =` in {file}"
            )
        })?;
        if !(server.starts_with("http://") || server.starts_with("https://")) {
            anyhow::bail!("the server address {server:?} must start with http:// or https://");
        }
        let token = given(&self.token, token).with_context(|| {
            format!(
                "no token: make one on the server (`seira token create --device …`) and give \
                 it with --token, or `token =` in {file}"
            )
        })?;
        let site = given(&self.site, site).unwrap_or_else(|| "chania".to_owned());
        let pin = given(&self.fingerprint, fingerprint)
            .map(|f| Fingerprint::parse(&f))
            .transpose()
            .map_err(anyhow::Error::msg)?;
        if pin.is_some() && !server.starts_with("https://") {
            anyhow::bail!("a fingerprint is for an https:// server; {server} is http");
        }
        Ok(Connection {
            server: server.trim_end_matches('/').to_owned(),
            site,
            token,
            pin,
        })
    }

    /// The file the flags name.
    pub fn file(&self) -> Option<&Path> {
        self.config.as_deref()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn args(server: Option<&str>, token: Option<&str>) -> DeviceArgs {
        DeviceArgs {
            config: None,
            server: server.map(str::to_owned),
            site: None,
            token: token.map(str::to_owned),
            fingerprint: None,
        }
    }

    #[test]
    fn a_flag_wins_over_the_file() {
        let c = args(Some("http://a:1/"), None)
            .connection(
                Some("http://b:2".into()),
                Some("souda".into()),
                Some("t".into()),
                None,
            )
            .unwrap();
        assert_eq!(c.server, "http://a:1");
        assert_eq!(c.site, "souda");
        assert_eq!(c.token, "t");
    }

    #[test]
    fn an_empty_token_in_the_file_is_missing() {
        let e = args(Some("http://a:1"), None)
            .connection(None, None, Some("  ".into()), None)
            .err()
            .unwrap();
        assert!(e.to_string().contains("no token"), "{e}");
    }

    #[test]
    fn the_installed_files_parse() {
        let kiosk: KioskFile = toml::from_str(include_str!("../../packaging/kiosk.toml")).unwrap();
        assert_eq!(kiosk.site.as_deref(), Some("chania"));
        let display: DisplayFile =
            toml::from_str(include_str!("../../packaging/display.toml")).unwrap();
        assert_eq!(display.site.as_deref(), Some("chania"));
    }

    #[test]
    fn an_unknown_key_is_an_error() {
        assert!(toml::from_str::<KioskFile>("printr = \"usb:1:2\"").is_err());
    }
}
