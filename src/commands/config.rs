//! `seira config check FILE`, `seira config show`.

use std::path::PathBuf;
use std::process::ExitCode;

use seira_server::config::{Config, DEFAULT_TOML};

#[derive(clap::Subcommand)]
pub enum Command {
    /// Checks a configuration file; prints each error with its file and line.
    Check {
        /// The file to check.
        file: PathBuf,
    },
    /// Prints the embedded default configuration, to start your own from.
    Show,
}

pub fn run(command: Command) -> anyhow::Result<ExitCode> {
    match command {
        Command::Check { file } => match Config::load(&file) {
            Ok(config) => {
                let desks: usize = config.sites.iter().map(|s| s.desks.len()).sum();
                let services: usize = config.sites.iter().map(|s| s.services.len()).sum();
                println!(
                    "{}: ok — {} site(s), {} service(s), {} desk(s)",
                    file.display(),
                    config.sites.len(),
                    services,
                    desks
                );
                Ok(ExitCode::SUCCESS)
            }
            Err(errors) => {
                for e in &errors.errors {
                    eprintln!("{e}");
                }
                eprintln!("{} error(s)", errors.errors.len());
                Ok(ExitCode::FAILURE)
            }
        },
        Command::Show => {
            print!("{DEFAULT_TOML}");
            Ok(ExitCode::SUCCESS)
        }
    }
}
