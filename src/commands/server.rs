//! `seira server`.

use std::net::SocketAddr;
use std::path::PathBuf;
use std::process::ExitCode;

use anyhow::Context;
use seira_server::App;

#[derive(clap::Args)]
pub struct Args {
    /// Configuration file that seeds a new database (default: the embedded Chania
    /// configuration). Once the database holds a configuration, that one is used, and admins
    /// change it on the /admin page (every version is kept).
    #[arg(long, env = "SEIRA_CONFIG")]
    pub config: Option<PathBuf>,
    /// SQLite database file; created if missing.
    #[arg(long, env = "SEIRA_DB", default_value = "seira.db")]
    pub db: PathBuf,
    /// Address to listen on.
    #[arg(long, env = "SEIRA_LISTEN", default_value = "0.0.0.0:8080")]
    pub listen: SocketAddr,
    /// Keep every site open around the clock, whatever its hours (for trials and training).
    #[arg(long)]
    pub always_open: bool,
    /// Speak https with this certificate chain (PEM), with --tls-key.
    #[arg(
        long,
        env = "SEIRA_TLS_CERT",
        requires = "tls_key",
        conflicts_with = "tls_lan"
    )]
    pub tls_cert: Option<PathBuf>,
    /// The private key of --tls-cert (PEM).
    #[arg(long, env = "SEIRA_TLS_KEY", requires = "tls_cert")]
    pub tls_key: Option<PathBuf>,
    /// Speak https with a certificate made for the LAN on the first start and kept in `tls/`
    /// beside the database; its fingerprint is printed for staff and devices to trust.
    #[arg(long, env = "SEIRA_TLS_LAN", value_parser = clap::builder::BoolishValueParser::new(), default_value = "false", num_args = 0..=1, default_missing_value = "true")]
    pub tls_lan: bool,
    /// More names for the LAN certificate (a DNS name the centre gave the server), besides
    /// the host name and this machine's addresses.
    #[arg(long, value_delimiter = ',')]
    pub tls_name: Vec<String>,
}

pub fn run(args: Args) -> anyhow::Result<ExitCode> {
    let config = super::load_config(args.config.as_deref())?;
    // Held while the server runs: a restore waits for it, a second server is refused.
    let _lock = seira_server::store::backup::ServerLock::acquire(&args.db)
        .with_context(|| format!("cannot open the database {}", args.db.display()))?;
    let store = super::open_store(&args.db)?;
    let mut app = App::new(config, store).context("cannot prepare the database")?;
    if args.always_open {
        app = app.always_open();
    }
    let tls = match (&args.tls_cert, &args.tls_key) {
        (Some(cert), Some(key)) => Some(seira_server::tls::Tls::from_files(cert, key)?),
        _ if args.tls_lan => {
            let mut names = super::this_machine_names();
            names.extend(args.tls_name.iter().cloned());
            Some(seira_server::tls::Tls::for_the_lan(
                &super::tls_dir(&args.db),
                &names,
            )?)
        }
        _ => None,
    };
    let scheme = if tls.is_some() { "https" } else { "http" };
    if let Some(tls) = tls {
        tracing::info!(fingerprint = %tls.fingerprint, cert = %tls.cert.display(), "TLS");
        eprintln!(
            "TLS certificate {} ({}): trust it in the browsers, and pin it in the devices' \
             files as fingerprint = \"{}\"",
            tls.cert.display(),
            tls.fingerprint,
            tls.fingerprint
        );
        app = app.with_tls(tls);
    }
    serve(app, args.listen, |addr| {
        tracing::info!(%addr, "listening");
        // The one line on stdout: scripts, tests and benches read the bound address here
        // (with `--listen 127.0.0.1:0` the port is the system's choice).
        println!("listening on {scheme}://{addr}");
        let _ = std::io::Write::flush(&mut std::io::stdout());
    })?;
    Ok(ExitCode::SUCCESS)
}

/// Serves `app` on `listen` until Ctrl-C or SIGTERM; `ready` learns the bound address.
pub fn serve(app: App, listen: SocketAddr, ready: impl FnOnce(SocketAddr)) -> anyhow::Result<()> {
    let runtime = tokio::runtime::Runtime::new().context("cannot start the async runtime")?;
    runtime.block_on(async {
        let listener = tokio::net::TcpListener::bind(listen)
            .await
            .with_context(|| format!("cannot listen on {listen}"))?;
        ready(listener.local_addr()?);
        seira_server::run(listener, app, super::shutdown_signal())
            .await
            .context("the server stopped")
    })
}
