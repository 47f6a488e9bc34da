//! `seira backup` and `seira restore`: an online copy of the database, checked, kept N deep;
//! and putting one back while no server runs, keeping the replaced file aside.

use std::path::PathBuf;
use std::process::ExitCode;

use anyhow::Context;
use seira_server::store::backup::{self, PREFIX, ServerLock};

#[derive(clap::Args)]
pub struct BackupArgs {
    #[arg(long, env = "SEIRA_DB", default_value_os_t = super::default_db())]
    pub db: PathBuf,
    /// The folder of the backups (default: `backups` beside the database).
    #[arg(long, env = "SEIRA_BACKUPS")]
    pub to: Option<PathBuf>,
    /// How many backups to keep (the oldest go).
    #[arg(long, env = "SEIRA_BACKUP_KEEP", default_value_t = 14)]
    pub keep: usize,
}

#[derive(clap::Args)]
pub struct RestoreArgs {
    /// The backup to put back (checked first).
    pub file: PathBuf,
    #[arg(long, env = "SEIRA_DB", default_value_os_t = super::default_db())]
    pub db: PathBuf,
}

pub fn run_backup(args: BackupArgs) -> anyhow::Result<ExitCode> {
    if !args.db.exists() {
        anyhow::bail!("there is no database at {}", args.db.display());
    }
    let dir = args.to.unwrap_or_else(|| backup::default_dir(&args.db));
    std::fs::create_dir_all(&dir).with_context(|| format!("cannot make {}", dir.display()))?;
    let stamp = jiff::Timestamp::now()
        .strftime("%Y%m%d-%H%M%S%.3fZ")
        .to_string();
    let to = dir.join(format!("{PREFIX}{stamp}.db"));
    let checked = backup::backup(&args.db, &to)
        .with_context(|| format!("the backup of {} failed", args.db.display()))?;
    let removed = backup::keep_newest(&dir, PREFIX, args.keep.max(1))
        .with_context(|| format!("cannot tidy {}", dir.display()))?;
    println!("{}", checked.path.display());
    eprintln!(
        "seira: backup checked: {} tickets, {} appointments, {} KiB{}",
        checked.tickets,
        checked.appointments,
        checked.bytes / 1024,
        if removed.is_empty() {
            String::new()
        } else {
            format!("; {} older backups removed", removed.len())
        }
    );
    Ok(ExitCode::SUCCESS)
}

pub fn run_restore(args: RestoreArgs) -> anyhow::Result<ExitCode> {
    // No server may run on the file while it is replaced.
    let _lock = ServerLock::acquire(&args.db)?;
    let stamp = jiff::Timestamp::now().strftime("%Y%m%d-%H%M%S").to_string();
    let (checked, aside) = backup::restore(&args.file, &args.db, &stamp)
        .with_context(|| format!("cannot restore {}", args.file.display()))?;
    eprintln!(
        "seira: restored {} ({} tickets, {} appointments){}",
        args.db.display(),
        checked.tickets,
        checked.appointments,
        aside
            .map(|p| format!("; the database it replaced is kept as {}", p.display()))
            .unwrap_or_default()
    );
    Ok(ExitCode::SUCCESS)
}
