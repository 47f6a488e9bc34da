//! `seira setup`: a centre's first start without a file editor. It asks (at a terminal) or
//! takes flags for the centre's name, the first admin and the server's address on the LAN,
//! then prints what to type into each kiosk and lobby screen: the address, the site and a new
//! token. Every change goes through the engine as the command-line operator (the one door).

use std::io::{BufRead, IsTerminal, Write};
use std::net::{IpAddr, SocketAddr};
use std::path::PathBuf;
use std::process::ExitCode;

use anyhow::Context;
use seira_server::App;
use seira_server::auth::{Role, hash_password, token_scope};
use seira_server::store::backup;

#[derive(clap::Args)]
pub struct Args {
    #[arg(long, env = "SEIRA_DB", default_value_os_t = super::default_db())]
    db: PathBuf,
    /// The configuration a new database starts from (default: the packages'
    /// /etc/seira/seira.toml, else the embedded one). An existing database keeps its own.
    #[arg(long, env = "SEIRA_CONFIG")]
    config: Option<PathBuf>,
    /// The centre's name in Greek, as the kiosk, the board and the tickets show it (the first
    /// site's; the other sites are named on the /admin page).
    #[arg(long)]
    name: Option<String>,
    /// The first admin's sign-in name; the password is asked for, or read from the first line
    /// of standard input.
    #[arg(long)]
    admin: Option<String>,
    /// The server's address as the devices and the staff's browsers reach it, e.g.
    /// http://10.0.0.2:8080 (default: this machine's LAN address and port 8080).
    #[arg(long)]
    address: Option<String>,
    /// Make no device tokens (they are made anew at every setup; old ones stay valid until
    /// revoked with `seira token revoke`).
    #[arg(long)]
    no_tokens: bool,
}

/// The packages' configuration file, used for a new database when no other is given.
const INSTALLED_CONFIG: &str = "/etc/seira/seira.toml";

pub fn run(args: Args) -> anyhow::Result<ExitCode> {
    let asking = std::io::stdin().is_terminal();
    let config_file = args.config.clone().or_else(|| {
        let installed = PathBuf::from(INSTALLED_CONFIG);
        installed.exists().then_some(installed)
    });
    let seed = super::load_config(config_file.as_deref())?;
    let running = backup::server_running(&args.db);
    let store = super::open_store(&args.db)?;
    let seeded = store
        .read(|tx| {
            seira_server::store::latest_config(tx).map_err(seira_server::store::StoreError::from)
        })?
        .is_some();
    // A new database gets the seed as its first configuration and every desk its row, as at
    // the server's first start; one that has a configuration keeps it.
    let store = if seeded {
        std::sync::Arc::new(store)
    } else {
        App::new(seed, store)
            .context("cannot prepare the database")?
            .store
    };
    let store = &*store;
    let mut config = super::stored_config(store, None)?;
    println!("seira setup: the database {}", args.db.display());

    // 1. The centre's name.
    let first = config
        .sites
        .first()
        .context("the configuration has no site")?
        .clone();
    let current = first.names.get("el").cloned().unwrap_or_default();
    let name = match args.name {
        Some(name) => Some(name),
        None if asking => ask(&format!("The centre's name [{current}]: "))?,
        None => None,
    }
    .map(|n| n.trim().to_owned())
    .filter(|n| !n.is_empty() && *n != current);
    let mut restart = false;
    if let Some(name) = name {
        let mut settings = config.site_settings(&first);
        settings.names.insert("el".to_owned(), name.clone());
        let version = store
            .read(|tx| {
                seira_server::store::latest_config(tx)
                    .map_err(seira_server::store::StoreError::from)
            })?
            .map_or(0, |(v, _)| v);
        let (_, changed) = super::as_operator(store, &config, |ctx| {
            ctx.update_site_settings(&config, version, settings)
        })
        .context("cannot rename the centre")?;
        config = changed;
        restart = running;
        println!("  the centre is now named «{name}»");
    }

    // 2. The first admin.
    let admin = match args.admin {
        Some(admin) => Some(admin),
        None if asking => ask("The first admin's sign-in name (empty: none now): ")?,
        None => None,
    }
    .map(|n| n.trim().to_owned())
    .filter(|n| !n.is_empty());
    if let Some(admin) = admin {
        let user = token_scope(&config, Role::Admin, None, Vec::new(), admin.clone())?;
        let hash = hash_password(&super::user::read_password()?)?;
        if super::user::add_user(store, &config, &user, &hash)? {
            println!("  admin `{admin}` added: they sign in on /admin");
        } else {
            println!(
                "  there is a user `{admin}` already: unchanged (`seira user password {admin}`)"
            );
        }
    }

    // 3. The address, and what each device needs.
    let fingerprint = super::lan_fingerprint(&args.db);
    let address = match args.address {
        Some(a) => a,
        None => {
            let guess = lan_address(fingerprint.is_some());
            if asking {
                ask(&format!("The server's address for the devices [{guess}]: "))?
                    .filter(|a| !a.trim().is_empty())
                    .unwrap_or(guess)
            } else {
                guess
            }
        }
    };
    let address = address.trim().trim_end_matches('/').to_owned();
    if !(address.starts_with("http://") || address.starts_with("https://")) {
        anyhow::bail!("the address {address:?} must start with http:// or https://");
    }
    println!();
    println!(
        "Staff sign in at {address}/desk, managers at {address}/stats, admins at {address}/admin."
    );
    if !args.no_tokens {
        for site in &config.sites {
            for (role, what, file) in [
                (Role::Kiosk, "kiosk", "/etc/seira/kiosk.toml"),
                (Role::Display, "display", "/etc/seira/display.toml"),
            ] {
                let scope = token_scope(
                    &config,
                    role,
                    Some(site.id.clone()),
                    Vec::new(),
                    format!("{} {what} (setup)", site.id),
                )?;
                let token = super::token::create_token(store, &config, &scope)?;
                println!();
                println!("The {what} of {} — in {file} on that PC:", site.id);
                println!("  server = \"{address}\"");
                println!("  site = \"{}\"", site.id);
                println!("  token = \"{token}\"");
                if let Some(f) = fingerprint.filter(|_| address.starts_with("https://")) {
                    println!("  fingerprint = \"{f}\"");
                }
            }
        }
        println!();
        println!("Keep these tokens out of sight: each lets a device act for its site.");
    }
    if restart {
        println!();
        println!(
            "The server runs: restart it to show the new name (sudo systemctl restart seira-server)."
        );
    }
    Ok(ExitCode::SUCCESS)
}

/// One answer from the terminal; `None` for an empty line.
fn ask(question: &str) -> anyhow::Result<Option<String>> {
    print!("{question}");
    std::io::stdout().flush()?;
    let mut line = String::new();
    std::io::stdin().lock().read_line(&mut line)?;
    let line = line.trim().to_owned();
    Ok((!line.is_empty()).then_some(line))
}

/// The server's address on the LAN: this machine's LAN address (the loopback without one),
/// the port it listens on, and https when it has made its LAN certificate.
fn lan_address(tls: bool) -> String {
    let port = std::env::var("SEIRA_LISTEN")
        .ok()
        .and_then(|l| l.parse::<SocketAddr>().ok())
        .map_or(8080, |a| a.port());
    let ip = super::lan_ip().unwrap_or(IpAddr::from([127, 0, 0, 1]));
    let scheme = if tls { "https" } else { "http" };
    format!("{scheme}://{ip}:{port}")
}
