//! `seira user add | list | password`: the people who sign in on the browser pages.

use std::io::{BufRead, IsTerminal};
use std::path::PathBuf;
use std::process::ExitCode;

use anyhow::{Context, bail};
use seira_server::auth::{Role, hash_password, token_scope};
use seira_server::store::{self, Store, StoreError};

#[derive(clap::Subcommand)]
pub enum Command {
    /// Adds a user. The password is asked for (at least 12 characters), or read from the first
    /// line of standard input when it is not a terminal.
    Add {
        /// The sign-in name.
        name: String,
        /// staff, manager or admin.
        #[arg(long)]
        role: String,
        /// The site (not for admins; taken from --desk when not given).
        #[arg(long)]
        site: Option<String>,
        /// For staff: a desk they may work at (repeat for several; none: every desk of the site).
        #[arg(long)]
        desk: Vec<String>,
        #[arg(long, env = "SEIRA_DB", default_value_os_t = super::default_db())]
        db: PathBuf,
        /// Configuration the site and desks are checked against (default: the embedded one).
        #[arg(long, env = "SEIRA_CONFIG")]
        config: Option<PathBuf>,
    },
    /// Lists the users and their scope.
    List {
        #[arg(long, env = "SEIRA_DB", default_value_os_t = super::default_db())]
        db: PathBuf,
    },
    /// Sets a new password for a user and signs them out everywhere.
    Password {
        name: String,
        #[arg(long, env = "SEIRA_DB", default_value_os_t = super::default_db())]
        db: PathBuf,
    },
}

pub fn run(command: Command) -> anyhow::Result<ExitCode> {
    match command {
        Command::Add {
            name,
            role,
            site,
            desk,
            db,
            config,
        } => {
            let store = super::open_store(&db)?;
            let config = super::stored_config(&store, config.as_deref())?;
            let role = match Role::parse(&role) {
                Some(r @ (Role::Staff | Role::Manager | Role::Admin)) => r,
                _ => bail!("`{role}` is not a role of people: use staff, manager or admin"),
            };
            let user = token_scope(&config, role, site, desk, name)?;
            let hash = hash_password(&read_password()?)?;
            let added = add_user(&store, &config, &user, &hash)?;
            if !added {
                bail!("there is a user `{}` already", user.label);
            }
            eprintln!("user `{}` added", user.label);
            Ok(ExitCode::SUCCESS)
        }
        Command::List { db } => {
            let store = super::open_store(&db)?;
            let users = store.read(|tx| store::list_users(tx).map_err(StoreError::from))?;
            println!(
                "{:<24} {:<8} {:<10} {:<24} state",
                "name", "role", "site", "desks"
            );
            for u in users {
                println!(
                    "{:<24} {:<8} {:<10} {:<24} {}",
                    u.name,
                    u.role.as_str(),
                    u.site.as_deref().unwrap_or("*"),
                    if u.desks.is_empty() {
                        "*".to_owned()
                    } else {
                        u.desks.join(",")
                    },
                    if u.disabled { "disabled" } else { "active" }
                );
            }
            Ok(ExitCode::SUCCESS)
        }
        Command::Password { name, db } => {
            let store = super::open_store(&db)?;
            let lookup = name.clone();
            store
                .read(|tx| store::find_user(tx, &lookup).map_err(StoreError::from))?
                .with_context(|| format!("there is no user `{name}`"))?;
            let hash = hash_password(&read_password()?)?;
            let config = super::stored_config(&store, None)?;
            super::as_operator(&store, &config, |ctx| ctx.set_password(&name, &hash))
                .context("cannot change the password")?;
            eprintln!("password of `{name}` changed; their sessions ended");
            Ok(ExitCode::SUCCESS)
        }
    }
}

/// Stores a user (through the engine, recorded); `false` when the name is taken.
pub fn add_user(
    store: &Store,
    config: &seira_server::config::Config,
    user: &seira_server::auth::Caller,
    password_hash: &str,
) -> anyhow::Result<bool> {
    match super::as_operator(store, config, |ctx| ctx.add_user(user, password_hash)) {
        Ok(()) => Ok(true),
        Err(seira_server::engine::EngineError::Conflict { .. }) => Ok(false),
        Err(e) => Err(e).context("cannot store the user"),
    }
}

pub fn read_password() -> anyhow::Result<String> {
    if std::io::stdin().is_terminal() {
        let first = rpassword::prompt_password("password (at least 12 characters): ")?;
        let again = rpassword::prompt_password("the same again: ")?;
        if first != again {
            bail!("the two passwords differ");
        }
        Ok(first)
    } else {
        let mut line = String::new();
        std::io::stdin().lock().read_line(&mut line)?;
        Ok(line.trim_end_matches(['\n', '\r']).to_owned())
    }
}
