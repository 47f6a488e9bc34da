//! `seira`: one binary for every part of the system. Each subcommand is glue over a library
//! crate (see ARCHITECTURE.md).

use std::process::ExitCode;

use clap::{Parser, Subcommand};
use seira::commands;

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
    #[cfg(feature = "kiosk")]
    /// Runs the touch kiosk that issues and prints tickets.
    Kiosk(commands::kiosk::Args),
    #[cfg(feature = "display")]
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
    #[cfg(feature = "kiosk")]
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
    /// The first start: the centre's name, the first admin, and each device's settings.
    Setup(commands::setup::Args),
    /// What runs: the server, the devices and their printers, the disk, the last backup.
    Status(commands::status::Args),
}

#[cfg(any(feature = "kiosk", feature = "display"))]
impl Command {
    /// Whether the subcommand opens a window, which needs a runtime directory.
    fn opens_a_window(&self) -> bool {
        match self {
            #[cfg(feature = "devices")]
            Command::Up(_) => true,
            #[cfg(feature = "kiosk")]
            Command::Kiosk(_) => true,
            #[cfg(feature = "display")]
            Command::Display(_) => true,
            _ => false,
        }
    }
}

impl Command {
    /// A tool that prints and ends (not a server or a window): piped into `head` or `grep -q`,
    /// it should end quietly when the reader has gone, as Unix tools do, not panic.
    fn prints_and_ends(&self) -> bool {
        matches!(
            self,
            Command::Token(_)
                | Command::User(_)
                | Command::Config(_)
                | Command::Status(_)
                | Command::Setup(_)
                | Command::Backup(_)
                | Command::Restore(_)
        )
    }
}

fn main() -> ExitCode {
    let cli = Cli::parse();
    if cli.command.prints_and_ends() {
        commands::end_quietly_on_a_closed_pipe();
    }
    #[cfg(any(feature = "kiosk", feature = "display"))]
    let _runtime_dir = cli
        .command
        .opens_a_window()
        .then(commands::ensure_runtime_dir)
        .flatten();
    commands::init_logging();
    let result = match cli.command {
        #[cfg(feature = "devices")]
        Command::Up(args) => commands::up::run(args),
        Command::DemoData(args) => commands::demo_data::run(args),
        Command::Server(args) => commands::server::run(args),
        #[cfg(feature = "kiosk")]
        Command::Kiosk(args) => commands::kiosk::run(args),
        #[cfg(feature = "display")]
        Command::Display(args) => commands::display::run(args),
        Command::Token(command) => commands::token::run(command),
        Command::User(command) => commands::user::run(command),
        Command::Config(command) => commands::config::run(command),
        #[cfg(feature = "kiosk")]
        Command::PrintTest(args) => commands::print_test::run(args),
        Command::Bench(args) => commands::bench::run(args),
        Command::Backup(args) => commands::backup::run_backup(args),
        Command::Restore(args) => commands::backup::run_restore(args),
        Command::Setup(args) => commands::setup::run(args),
        Command::Status(args) => commands::status::run(args),
    };
    commands::exit(result)
}

#[cfg(test)]
mod tests {
    use clap::{CommandFactory, Parser};

    use super::{Cli, Command};

    #[test]
    fn the_command_line_is_well_formed() {
        Cli::command().debug_assert();
    }

    #[test]
    fn tls_is_asked_for_by_a_flag_or_a_pair_of_files() {
        let lan = Cli::try_parse_from(["seira", "server", "--tls-lan"]).unwrap();
        let Command::Server(args) = lan.command else {
            panic!("not server")
        };
        assert!(args.tls_lan && args.tls_cert.is_none());
        let plain = Cli::try_parse_from(["seira", "server"]).unwrap();
        let Command::Server(args) = plain.command else {
            panic!("not server")
        };
        assert!(!args.tls_lan);
        assert!(Cli::try_parse_from(["seira", "server", "--tls-cert", "c.pem"]).is_err());
        assert!(
            Cli::try_parse_from([
                "seira",
                "server",
                "--tls-lan",
                "--tls-cert",
                "c",
                "--tls-key",
                "k"
            ])
            .is_err()
        );
    }
}
