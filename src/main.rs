//! `seira`: one binary for every part of the system. Each subcommand is glue over a library
//! crate (see ARCHITECTURE.md).

mod commands;

use std::process::ExitCode;

use clap::{Parser, Subcommand};

/// Σειρά σας — queue management for Community Centres.
#[derive(Parser)]
#[command(name = "seira", version = env!("SEIRA_VERSION"), about, long_about = None)]
struct Cli {
    #[command(subcommand)]
    command: Command,
}

#[derive(Subcommand)]
enum Command {
    #[cfg(feature = "devices")]
    /// Runs the whole system on this machine for a demo: the server on a local SQLite file with
    /// the embedded configuration, open around the clock, with ready-made tokens.
    Up(commands::up::Args),
    /// Runs the server: the queue, the HTTP API and the pages.
    Server(commands::server::Args),
    #[cfg(feature = "devices")]
    /// Runs the touch kiosk that issues and prints tickets.
    Kiosk(commands::kiosk::Args),
    #[cfg(feature = "devices")]
    /// Runs the lobby screen that shows and speaks the calls.
    Display(commands::display::Args),
    /// Creates, lists and revokes the bearer tokens of devices and staff.
    #[command(subcommand)]
    Token(commands::token::Command),
    /// Adds and lists the people who sign in on the browser pages.
    #[command(subcommand)]
    User(commands::user::Command),
    /// Checks or shows a configuration file.
    #[command(subcommand)]
    Config(commands::config::Command),
    #[cfg(feature = "devices")]
    /// Prints a sample ticket on a printer, and/or draws it into a PNG.
    PrintTest(commands::print_test::Args),
    /// Fills a database with realistic past days, for the statistics (demo, training).
    DemoData(commands::demo_data::Args),
    /// Measures the server: throughput and latency of issuing and calling, and memory.
    Bench(commands::bench::Args),
    /// Copies the database while the server runs, checks the copy, keeps the newest N.
    Backup(commands::backup::BackupArgs),
    /// Puts a backup back in place of the database (only while no server runs on it).
    Restore(commands::backup::RestoreArgs),
    /// What runs: the server, the devices and their printers, the disk, the last backup.
    Status(commands::status::Args),
}

fn main() -> ExitCode {
    let cli = Cli::parse();
    #[cfg(feature = "devices")]
    let _runtime_dir = match cli.command {
        Command::Up(_) | Command::Kiosk(_) | Command::Display(_) => commands::ensure_runtime_dir(),
        _ => None,
    };
    commands::init_logging();
    let result = match cli.command {
        #[cfg(feature = "devices")]
        Command::Up(args) => commands::up::run(args),
        Command::DemoData(args) => commands::demo_data::run(args),
        Command::Server(args) => commands::server::run(args),
        #[cfg(feature = "devices")]
        Command::Kiosk(args) => commands::kiosk::run(args),
        #[cfg(feature = "devices")]
        Command::Display(args) => commands::display::run(args),
        Command::Token(command) => commands::token::run(command),
        Command::User(command) => commands::user::run(command),
        Command::Config(command) => commands::config::run(command),
        #[cfg(feature = "devices")]
        Command::PrintTest(args) => commands::print_test::run(args),
        Command::Bench(args) => commands::bench::run(args),
        Command::Backup(args) => commands::backup::run_backup(args),
        Command::Restore(args) => commands::backup::run_restore(args),
        Command::Status(args) => commands::status::run(args),
    };
    match result {
        Ok(code) => code,
        Err(e) => {
            eprintln!("seira: {e:#}");
            ExitCode::FAILURE
        }
    }
}
