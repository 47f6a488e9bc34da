//! `seira status`: what a centre's IT wants to know at a glance, read from the database file
//! without disturbing a running server: is the server up, the devices and their printers,
//! the disk, the last backup.

use std::path::PathBuf;
use std::process::ExitCode;

use anyhow::Context;
use seira_server::config::Config;
use seira_server::store::backup;
use seira_server::store::{self, Store, StoreError};

#[derive(clap::Args)]
pub struct Args {
    #[arg(long, env = "SEIRA_DB", default_value_os_t = super::default_db())]
    pub db: PathBuf,
    /// The folder of the backups (default: `backups` beside the database).
    #[arg(long, env = "SEIRA_BACKUPS")]
    pub backups: Option<PathBuf>,
}

fn ago(seconds: i64) -> String {
    match seconds {
        s if s < 120 => format!("{s} s ago"),
        s if s < 7200 => format!("{} min ago", s / 60),
        s if s < 172_800 => format!("{} h ago", s / 3600),
        s => format!("{} days ago", s / 86_400),
    }
}

fn mib(bytes: u64) -> String {
    format!("{:.1} MiB", bytes as f64 / 1_048_576.0)
}

pub fn run(args: Args) -> anyhow::Result<ExitCode> {
    if !args.db.exists() {
        anyhow::bail!("there is no database at {}", args.db.display());
    }
    let running = backup::server_running(&args.db);
    println!(
        "server:    {}",
        if running {
            "running on this database"
        } else {
            "NOT running"
        }
    );
    let store = Store::open(&args.db)
        .with_context(|| format!("cannot open the database {}", args.db.display()))?;
    let now = jiff::Timestamp::now();
    let (config, devices) = store
        .read(|tx| {
            let config = match store::latest_config(tx)? {
                Some((_, text)) => Config::parse(&text, "<database>")
                    .map_err(|e| StoreError::Corrupt(e.to_string()))?,
                None => Config::embedded(),
            };
            let mut devices = Vec::new();
            for site in &config.sites {
                for d in seira_server::engine::devices(tx, &config, &site.id, now)
                    .map_err(|e| StoreError::Corrupt(e.to_string()))?
                {
                    devices.push(d);
                }
            }
            Ok::<_, StoreError>((config, devices))
        })
        .context("cannot read the database")?;
    println!(
        "database:  {} ({}, {} site(s))",
        args.db.display(),
        mib(backup::database_bytes(&args.db)),
        config.sites.len()
    );
    if let Some(fingerprint) = super::lan_fingerprint(&args.db) {
        println!("tls:       the LAN certificate {fingerprint}");
    }
    match backup::free_bytes(&args.db) {
        Some(free) if free < 100 * 1_048_576 => println!("disk:      {} free — LOW", mib(free)),
        Some(free) => println!("disk:      {} free", mib(free)),
        None => println!("disk:      unknown"),
    }
    let dir = args
        .backups
        .clone()
        .unwrap_or_else(|| backup::default_dir(&args.db));
    match backup::newest(&dir, backup::PREFIX) {
        Some(last) => {
            let age = std::fs::metadata(&last)
                .and_then(|m| m.modified())
                .ok()
                .and_then(|t| t.elapsed().ok())
                .map_or_else(|| "age unknown".to_owned(), |d| ago(d.as_secs() as i64));
            println!("backup:    {} ({age})", last.display());
        }
        None => println!("backup:    NONE in {}", dir.display()),
    }
    if devices.is_empty() {
        println!("devices:   none has reported yet");
    }
    for d in &devices {
        println!(
            "device:    {} at {}: {}, last seen {}, printer {}",
            d.name,
            d.site,
            if d.online { "online" } else { "SILENT" },
            ago(now.duration_since(d.last_seen).as_secs()),
            d.printer.as_str(),
        );
    }
    Ok(ExitCode::SUCCESS)
}
