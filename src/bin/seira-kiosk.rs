//! `seira-kiosk`: the kiosk's package's program, the same as `seira kiosk` without the rest
//! of seira. Its unit runs `seira-kiosk --config /etc/seira/kiosk.toml` in a cage session.

use std::process::ExitCode;

use clap::Parser;
use seira::commands;

/// Σειρά σας — the touch kiosk that issues and prints tickets.
#[derive(Parser)]
#[command(name = "seira-kiosk", version = env!("SEIRA_VERSION"), about, long_about = None)]
struct Cli {
    #[command(flatten)]
    args: commands::kiosk::Args,
}

fn main() -> ExitCode {
    let cli = Cli::parse();
    let _runtime_dir = commands::ensure_runtime_dir();
    commands::init_logging();
    commands::exit(commands::kiosk::run(cli.args))
}
