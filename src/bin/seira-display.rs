//! `seira-display`: the lobby display's package's program, the same as `seira display`
//! without the rest of seira. Its unit runs `seira-display --config /etc/seira/display.toml`
//! in a cage session.

use std::process::ExitCode;

use clap::Parser;
use seira::commands;

/// Σειρά σας — the lobby screen that shows and speaks the calls.
#[derive(Parser)]
#[command(name = "seira-display", version = env!("SEIRA_VERSION"), about, long_about = None)]
struct Cli {
    #[command(flatten)]
    args: commands::display::Args,
}

fn main() -> ExitCode {
    let cli = Cli::parse();
    let _runtime_dir = commands::ensure_runtime_dir();
    commands::init_logging();
    commands::exit(commands::display::run(cli.args))
}
