//! The subcommands, one file each.

pub mod backup;
pub mod bench;
pub mod config;
pub mod demo_data;
#[cfg(feature = "devices")]
pub mod display;
#[cfg(feature = "devices")]
pub mod kiosk;
#[cfg(feature = "devices")]
pub mod print_test;
pub mod server;
pub mod status;
pub mod token;
#[cfg(feature = "devices")]
pub mod up;
pub mod user;

use std::path::Path;

use anyhow::Context;
use seira_server::config::Config;

/// How a device (kiosk, lobby display) reaches its server.
#[cfg(feature = "devices")]
#[derive(clap::Args)]
pub struct DeviceArgs {
    /// The server's address, e.g. http://10.0.0.2:8080.
    #[arg(long, env = "SEIRA_SERVER")]
    pub server: String,
    /// The site the device stands at.
    #[arg(long, env = "SEIRA_SITE", default_value = "chania")]
    pub site: String,
    /// The device's token (`seira token create --device chania-kiosk`, `chania-display`…).
    #[arg(long, env = "SEIRA_TOKEN")]
    pub token: String,
}

/// Logs to stderr; `RUST_LOG` chooses what (default: info).
pub fn init_logging() {
    // Without RUST_LOG: seira's own news, and from the window and graphics libraries only
    // errors. Their usual warnings on a mini-PC (software rendering, a TV that reports 0 mm,
    // no XSETTINGS) say nothing a centre can act on.
    let filter = tracing_subscriber::EnvFilter::try_from_default_env().unwrap_or_else(|_| {
        tracing_subscriber::EnvFilter::new(
            "info,winit=error,bevy_render=error,egui_wgpu=error,wgpu_hal=error,wgpu_core=error",
        )
    });
    let _ = tracing_subscriber::fmt()
        .with_env_filter(filter)
        .with_ansi(std::io::IsTerminal::is_terminal(&std::io::stderr()))
        .with_writer(std::io::stderr)
        .try_init();
}

/// A private runtime directory for the windows when the session has none (a kiosk started
/// outside a desktop session, a test under Xvfb): the window and keyboard libraries look for
/// one and complain on every start without it. Kept while the returned guard lives.
#[cfg(feature = "devices")]
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

pub fn open_store(path: &Path) -> anyhow::Result<seira_server::store::Store> {
    seira_server::store::Store::open(path)
        .with_context(|| format!("cannot open the database {}", path.display()))
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
#[cfg(feature = "devices")]
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
