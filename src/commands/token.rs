//! `seira token create | list | revoke`. They work while the server runs on the same file:
//! the store's transactions wait their turn.

use std::path::PathBuf;
use std::process::ExitCode;

use anyhow::{Context, bail};
use seira_server::auth::{Role, new_token, token_scope};
use seira_server::store::{self, Store, StoreError};

#[derive(clap::Subcommand)]
pub enum Command {
    /// Creates a token and prints it (and only it) on stdout. Keep it: it is not stored.
    Create(CreateArgs),
    /// Lists the tokens (never the tokens themselves: only their scope).
    List {
        #[arg(long, env = "SEIRA_DB", default_value_os_t = super::default_db())]
        db: PathBuf,
    },
    /// Revokes a token by its number from `seira token list`; it stops working at once.
    Revoke {
        #[arg(long, env = "SEIRA_DB", default_value_os_t = super::default_db())]
        db: PathBuf,
        /// The token's number.
        id: i64,
    },
}

#[derive(clap::Args)]
pub struct CreateArgs {
    #[arg(long, env = "SEIRA_DB", default_value_os_t = super::default_db())]
    db: PathBuf,
    /// Configuration file the scope is checked against when the database holds none yet
    /// (default: the embedded one); otherwise the database's is.
    #[arg(long, env = "SEIRA_CONFIG")]
    config: Option<PathBuf>,
    /// kiosk, display, staff, manager or admin.
    #[arg(long)]
    role: Option<String>,
    /// The site it is limited to.
    #[arg(long)]
    site: Option<String>,
    /// For staff: the one desk it may act at.
    #[arg(long)]
    desk: Option<String>,
    /// A user of the configuration (its role, site and desk are used), or a label.
    #[arg(long, conflicts_with = "device")]
    user: Option<String>,
    /// A device of the configuration (its role and site are used).
    #[arg(long)]
    device: Option<String>,
}

pub fn run(command: Command) -> anyhow::Result<ExitCode> {
    match command {
        Command::Create(args) => create(args),
        Command::List { db } => {
            let store = super::open_store(&db)?;
            let rows = store.read(|tx| store::list_tokens(tx).map_err(StoreError::from))?;
            println!(
                "{:>4}  {:<8} {:<10} {:<14} {:<24} {:<10}",
                "id", "role", "site", "desk", "label", "state"
            );
            for t in rows {
                println!(
                    "{:>4}  {:<8} {:<10} {:<14} {:<24} {}",
                    t.id,
                    t.role.as_str(),
                    t.site.as_deref().unwrap_or("*"),
                    t.desk.as_deref().unwrap_or("*"),
                    t.label,
                    match t.revoked_at {
                        Some(at) => format!("revoked {at}"),
                        None => "active".to_owned(),
                    }
                );
            }
            Ok(ExitCode::SUCCESS)
        }
        Command::Revoke { db, id } => {
            let store = super::open_store(&db)?;
            let config = super::stored_config(&store, None)?;
            match super::as_operator(&store, &config, |ctx| ctx.revoke_token(id)) {
                Ok(_) => {}
                Err(seira_server::engine::EngineError::NotFound { .. }) => {
                    bail!("there is no active token {id}")
                }
                Err(e) => return Err(e).context("cannot revoke the token"),
            }
            eprintln!("token {id} revoked");
            Ok(ExitCode::SUCCESS)
        }
    }
}

fn create(args: CreateArgs) -> anyhow::Result<ExitCode> {
    let store = super::open_store(&args.db)?;
    let config = super::stored_config(&store, args.config.as_deref())?;
    let account = match (&args.user, &args.device) {
        (Some(name), _) => config.users.iter().find(|u| u.name == *name),
        (_, Some(name)) => Some(
            config
                .devices
                .iter()
                .find(|d| d.name == *name)
                .with_context(|| format!("the configuration has no device `{name}`"))?,
        ),
        _ => None,
    };
    let role = match (&args.role, account) {
        (Some(r), _) => Role::parse(r).with_context(|| {
            format!("`{r}` is not a role: use kiosk, display, staff, manager or admin")
        })?,
        (None, Some(a)) => a.role,
        (None, None) => bail!("say --role, or name a --user or --device of the configuration"),
    };
    let site = args.site.or_else(|| account.and_then(|a| a.site.clone()));
    let desk = args.desk.or_else(|| account.and_then(|a| a.desk.clone()));
    let label = args
        .user
        .or(args.device)
        .unwrap_or_else(|| default_label(role, site.as_deref(), desk.as_deref()));
    let caller = token_scope(&config, role, site, desk.into_iter().collect(), label)?;
    let token = create_token(&store, &config, &caller)?;
    println!("{token}");
    Ok(ExitCode::SUCCESS)
}

fn default_label(role: Role, site: Option<&str>, desk: Option<&str>) -> String {
    match (site, desk) {
        (_, Some(desk)) => format!("{}@{desk}", role.as_str()),
        (Some(site), None) => format!("{}@{site}", role.as_str()),
        (None, None) => role.as_str().to_owned(),
    }
}

/// Stores a new token for `scope` (through the engine, recorded) and returns it.
pub fn create_token(
    store: &Store,
    config: &seira_server::config::Config,
    scope: &seira_server::auth::Caller,
) -> anyhow::Result<String> {
    let (token, hash) = new_token();
    super::as_operator(store, config, |ctx| ctx.create_token(scope, &hash))
        .context("cannot store the token")?;
    Ok(token)
}
