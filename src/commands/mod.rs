//! The subcommands, one file each.

pub mod backup;
pub mod bench;
pub mod config;
pub mod demo_data;
#[cfg(any(feature = "kiosk", feature = "display"))]
pub mod device_file;
#[cfg(feature = "display")]
pub mod display;
#[cfg(feature = "kiosk")]
pub mod kiosk;
#[cfg(feature = "kiosk")]
pub mod print_test;
pub mod server;
pub mod setup;
pub mod status;
pub mod token;
#[cfg(feature = "devices")]
pub mod up;
pub mod user;

use std::path::Path;

use anyhow::Context;
use seira_server::config::Config;

/// How a device (kiosk, lobby display) reaches its server. Each may also come from the
/// device's file (`--config`, see [`device_file`]); a flag or variable wins over the file.
#[cfg(any(feature = "kiosk", feature = "display"))]
#[derive(clap::Args)]
pub struct DeviceArgs {
    /// The device's file (the packages' /etc/seira/kiosk.toml or display.toml), with any of
    /// the settings below.
    #[arg(long, env = "SEIRA_DEVICE_CONFIG")]
    pub config: Option<std::path::PathBuf>,
    /// The server's address, e.g. http://10.0.0.2:8080.
    #[arg(long, env = "SEIRA_SERVER")]
    pub server: Option<String>,
    /// The site the device stands at (default: chania).
    #[arg(long, env = "SEIRA_SITE")]
    pub site: Option<String>,
    /// The device's token (`seira token create --device chania-kiosk`, `chania-display`…).
    #[arg(long, env = "SEIRA_TOKEN")]
    pub token: Option<String>,
    /// For an https server with its own LAN certificate: that certificate's fingerprint
    /// (SHA256:AB:CD:…, printed by the server and by `seira setup`); only it is trusted.
    #[arg(long, env = "SEIRA_FINGERPRINT")]
    pub fingerprint: Option<String>,
}

/// The process's exit: the subcommand's code, or its error on stderr and failure.
pub fn exit(result: anyhow::Result<std::process::ExitCode>) -> std::process::ExitCode {
    match result {
        Ok(code) => code,
        Err(e) => {
            eprintln!("seira: {e:#}");
            std::process::ExitCode::FAILURE
        }
    }
}

/// Logs to stderr, or to the journal with every field its own journal field when systemd
/// started the process (`journalctl -u seira-server F_ADDR=…`); `RUST_LOG` chooses what
/// (default: info).
pub fn init_logging() {
    // Every process of seira may make an HTTP client (see `seira_protocol::tls`).
    seira_protocol::tls::install_crypto();
    use tracing_subscriber::prelude::*;
    // Without RUST_LOG: seira's own news, and from the window and graphics libraries only
    // errors. Their usual warnings on a mini-PC (software rendering, a TV that reports 0 mm,
    // no XSETTINGS) say nothing a centre can act on.
    let filter = || {
        tracing_subscriber::EnvFilter::try_from_default_env().unwrap_or_else(|_| {
            tracing_subscriber::EnvFilter::new(
                "info,winit=error,bevy_render=error,egui_wgpu=error,wgpu_hal=error,wgpu_core=error",
            )
        })
    };
    // systemd sets JOURNAL_STREAM when stderr goes to the journal: then the journal's own
    // protocol keeps the fields apart instead of one line of text.
    if std::env::var_os("JOURNAL_STREAM").is_some()
        && let Ok(journal) = tracing_journald::layer()
    {
        let _ = tracing_subscriber::registry()
            .with(filter())
            .with(journal.with_syslog_identifier("seira".to_owned()))
            .try_init();
        return;
    }
    let _ = tracing_subscriber::fmt()
        .with_env_filter(filter())
        .with_ansi(std::io::IsTerminal::is_terminal(&std::io::stderr()))
        .with_writer(std::io::stderr)
        .try_init();
}

/// A private runtime directory for the windows when the session has none (a kiosk started
/// outside a desktop session, a test under Xvfb): the window and keyboard libraries look for
/// one and complain on every start without it. Kept while the returned guard lives.
#[cfg(any(feature = "kiosk", feature = "display"))]
pub fn ensure_runtime_dir() -> Option<tempfile::TempDir> {
    if std::env::var_os("XDG_RUNTIME_DIR").is_some_and(|d| std::path::Path::new(&d).is_dir()) {
        return None;
    }
    let dir = tempfile::Builder::new()
        .prefix("seira-runtime-")
        .tempdir()
        .ok()?;
    // SAFETY: called at the start of `main`, before any thread is spawned.
    unsafe { std::env::set_var("XDG_RUNTIME_DIR", dir.path()) };
    Some(dir)
}

/// Runs an engine operation on `store` as the operator at the command line, in one
/// transaction: it is decided and recorded like any other change (the one door).
pub fn as_operator<T>(
    store: &seira_server::store::Store,
    config: &Config,
    op: impl FnOnce(
        &mut seira_server::engine::Ctx<'_, '_>,
    ) -> Result<T, seira_server::engine::EngineError>,
) -> Result<T, seira_server::engine::EngineError> {
    let operator = seira_server::auth::Caller::operator();
    store.write(|tx| {
        let mut ctx =
            seira_server::engine::Ctx::new(tx, config, jiff::Timestamp::now(), Some(&operator));
        op(&mut ctx)
    })
}

/// The configuration file's, or the embedded default.
pub fn load_config(path: Option<&Path>) -> anyhow::Result<Config> {
    match path {
        Some(path) => Config::load(path)
            .map_err(|errors| anyhow::anyhow!("the configuration has errors:\n{errors}")),
        None => Ok(Config::embedded()),
    }
}

/// Where the installed server keeps its database (the seira-server package's unit).
pub const INSTALLED_DB: &str = "/var/lib/seira/seira.db";

/// The database the tools work on when `--db` is not given: `seira.db` here, or the
/// installed server's when there is none here, so that `sudo -u seira seira status` needs
/// no flags on a centre's server.
pub fn default_db() -> std::path::PathBuf {
    let here = Path::new("seira.db");
    if !here.exists() && Path::new(INSTALLED_DB).exists() {
        return INSTALLED_DB.into();
    }
    here.into()
}

/// The configuration the database holds (the server stores its first one, and the /admin
/// page its changes), or the file's or the embedded one for a database without any yet:
/// what a token's or a user's scope is checked against.
pub fn stored_config(
    store: &seira_server::store::Store,
    file: Option<&Path>,
) -> anyhow::Result<Config> {
    use seira_server::store::StoreError;
    let stored = store
        .read(|tx| seira_server::store::latest_config(tx).map_err(StoreError::from))
        .context("cannot read the configuration from the database")?;
    match stored {
        Some((_, text)) => Config::parse(&text, "<database>")
            .map_err(|e| anyhow::anyhow!("the database's configuration has errors:\n{e}")),
        None => load_config(file),
    }
}

pub fn open_store(path: &Path) -> anyhow::Result<seira_server::store::Store> {
    refuse_foreign_owner(path)?;
    seira_server::store::Store::open(path)
        .with_context(|| format!("cannot open the database {}", path.display()))
}

/// Where `seira server --tls-lan` keeps the certificate it made: `tls/` beside the database.
pub fn tls_dir(db: &Path) -> std::path::PathBuf {
    db.parent()
        .filter(|p| !p.as_os_str().is_empty())
        .unwrap_or(Path::new("."))
        .join("tls")
}

/// The fingerprint of the certificate `seira server --tls-lan` made for `db`, if it did.
pub fn lan_fingerprint(db: &Path) -> Option<seira_protocol::fingerprint::Fingerprint> {
    let cert = tls_dir(db).join(seira_server::tls::LAN_CERT);
    seira_server::tls::fingerprint_of(&cert).ok()
}

/// This machine's address on the LAN, from the route to a private network: no packet is
/// sent (connecting a UDP socket only picks the interface). `None` without such a route.
pub fn lan_ip() -> Option<std::net::IpAddr> {
    let socket = std::net::UdpSocket::bind("0.0.0.0:0").ok()?;
    socket.connect("10.255.255.255:9").ok()?;
    let ip = socket.local_addr().ok()?.ip();
    (!ip.is_unspecified() && !ip.is_loopback()).then_some(ip)
}

/// The names a browser on the LAN may use for this machine: its host name, `localhost`, the
/// loopback and its LAN address.
pub fn this_machine_names() -> Vec<String> {
    let mut names = vec!["localhost".to_owned(), "127.0.0.1".to_owned()];
    if let Ok(host) = std::fs::read_to_string("/proc/sys/kernel/hostname") {
        let host = host.trim();
        if !host.is_empty() && host != "localhost" {
            names.push(host.to_owned());
        }
    }
    if let Some(ip) = lan_ip() {
        names.push(ip.to_string());
    }
    names
}

/// Lets a closed stdout end the process by SIGPIPE, as Unix tools end, instead of a panic in
/// `println!` (Rust ignores SIGPIPE). Only for tools: a server must survive a closed socket.
pub fn end_quietly_on_a_closed_pipe() {
    #[cfg(unix)]
    // SAFETY: called at the start of `main`, before any thread; SIG_DFL is a valid action.
    unsafe {
        libc::signal(libc::SIGPIPE, libc::SIG_DFL);
    }
}

/// Refuses root on a database another user owns: SQLite would make its journal files as
/// root, and the server (running as its own user) could no longer write.
fn refuse_foreign_owner(path: &Path) -> anyhow::Result<()> {
    #[cfg(unix)]
    {
        use std::os::unix::fs::MetadataExt;
        // SAFETY: geteuid has no preconditions and cannot fail.
        let root = unsafe { libc::geteuid() } == 0;
        if let Ok(meta) = std::fs::metadata(path)
            && root
            && meta.uid() != 0
        {
            anyhow::bail!(
                "{} belongs to another user: run this as that user, e.g. `sudo -u seira seira …`",
                path.display()
            );
        }
    }
    Ok(())
}

/// Completes on Ctrl-C or SIGTERM.
pub async fn shutdown_signal() {
    let ctrl_c = async {
        let _ = tokio::signal::ctrl_c().await;
    };
    #[cfg(unix)]
    let term = async {
        match tokio::signal::unix::signal(tokio::signal::unix::SignalKind::terminate()) {
            Ok(mut s) => {
                s.recv().await;
            }
            Err(_) => std::future::pending::<()>().await,
        }
    };
    #[cfg(not(unix))]
    let term = std::future::pending::<()>();
    tokio::select! {
        _ = ctrl_c => {},
        _ = term => {},
    }
    tracing::info!("shutting down");
}

/// A printer profile by name, with `--codepage NAME[:N]` applied.
#[cfg(feature = "kiosk")]
pub fn printer_profile(
    name: &str,
    codepage: Option<&str>,
) -> anyhow::Result<seira_hardware::Profile> {
    use seira_hardware::{CodePage, Profile};
    let profile = Profile::named(name).with_context(|| {
        format!(
            "no profile `{name}`: use one of {}",
            Profile::ALL.join(", ")
        )
    })?;
    let Some(choice) = codepage else {
        return Ok(profile);
    };
    let (page, number) = match choice.split_once(':') {
        Some((page, n)) => (
            page,
            Some(n.parse::<u8>().context("the code page number is 0–255")?),
        ),
        None => (choice, None),
    };
    let page = CodePage::parse(page)
        .with_context(|| format!("no code page `{page}`: use cp737, cp1253 or iso8859-7"))?;
    profile
        .with_codepage(page, number)
        .map_err(anyhow::Error::msg)
}
