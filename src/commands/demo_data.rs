//! `seira demo-data`: past working days in a database, so that the statistics show something
//! real: arrivals with a morning peak, the seed centres' service mix and service times,
//! no-shows and transfers, each through the queue engine with a simulated clock.

use std::path::PathBuf;
use std::process::ExitCode;

use seira_server::demo::{Plan, fill};

#[derive(clap::Args)]
pub struct Args {
    /// The database to fill (created if missing).
    #[arg(long, default_value = "seira-demo.db")]
    pub db: PathBuf,
    /// Working days to make, ending yesterday (weekends are skipped).
    #[arg(long, default_value_t = 90, value_parser = clap::value_parser!(u32).range(1..=3660))]
    pub days: u32,
    /// The configuration whose sites, services and desks to use (default: the embedded one).
    #[arg(long)]
    pub config: Option<PathBuf>,
    /// The same seed makes the same days.
    #[arg(long, default_value_t = 2026)]
    pub seed: u64,
}

pub fn run(args: Args) -> anyhow::Result<ExitCode> {
    let config = super::load_config(args.config.as_deref())?;
    let store = super::open_store(&args.db)?;
    let made = fill_days(&store, &config, args.days, args.seed)?;
    println!(
        "{} working days, {} tickets, written to {}",
        made.days,
        made.tickets,
        args.db.display()
    );
    Ok(ExitCode::SUCCESS)
}

/// `days` working days ending yesterday (Athens time).
pub fn fill_days(
    store: &seira_server::store::Store,
    config: &seira_server::config::Config,
    days: u32,
    seed: u64,
) -> anyhow::Result<seira_server::demo::Made> {
    let yesterday = jiff::Timestamp::now()
        .in_tz("Europe/Athens")?
        .date()
        .yesterday()?;
    Ok(fill(
        store,
        config,
        &Plan {
            last_day: yesterday,
            days,
            seed,
        },
    )?)
}
