//! `seira up`: the demo. The server on a local SQLite file with the embedded configuration,
//! open around the clock, and a token for every device and desk, printed with the addresses.

use std::net::SocketAddr;
use std::path::PathBuf;
use std::process::ExitCode;

use anyhow::Context;
use seira_server::App;
use seira_server::auth::{Role, token_scope};
use seira_server::config::Config;

#[derive(clap::Args)]
pub struct Args {
    /// SQLite database file of the demo; created if missing.
    #[arg(long, default_value = "seira-demo.db")]
    pub db: PathBuf,
    /// Address to listen on.
    #[arg(long, default_value = "127.0.0.1:8080")]
    pub listen: SocketAddr,
    /// The kiosk's printer (see `seira print-test`); by default tickets "print" to
    /// seira-demo-tickets.bin.
    #[arg(long, default_value = "file:seira-demo-tickets.bin")]
    pub printer: String,
    /// Do not open the kiosk window (it opens only where there is a display).
    #[arg(long)]
    pub no_kiosk: bool,
    /// Do not open the lobby display window (it opens only where there is a display).
    #[arg(long)]
    pub no_display: bool,
}

/// A child process that ends with the demo.
struct Child(std::process::Child);

impl Drop for Child {
    fn drop(&mut self) {
        let _ = self.0.kill();
        let _ = self.0.wait();
    }
}

/// Opens a window (`seira kiosk …` or `seira display …`) as its own process, when there is
/// a display to open it on.
fn open_window(what: &str, args: &[&str], addr: SocketAddr, token: &str) -> Option<Child> {
    let display =
        std::env::var_os("DISPLAY").is_some() || std::env::var_os("WAYLAND_DISPLAY").is_some();
    if !display {
        println!("  (no display: the {what} window is not opened)");
        return None;
    }
    let exe = std::env::current_exe().ok()?;
    match std::process::Command::new(exe)
        .args(args)
        .arg("--server")
        .arg(format!("http://{addr}"))
        .env("SEIRA_TOKEN", token)
        .spawn()
    {
        Ok(child) => Some(Child(child)),
        Err(e) => {
            eprintln!("seira: the {what} window did not open: {e}");
            None
        }
    }
}

pub fn run(args: Args) -> anyhow::Result<ExitCode> {
    let config = Config::embedded();
    let _lock = seira_server::store::backup::ServerLock::acquire(&args.db)
        .with_context(|| format!("cannot open the database {}", args.db.display()))?;
    let store = super::open_store(&args.db)?;
    let tokens_file = args.db.with_extension("tokens");
    let mut tokens = DemoTokens::load(&tokens_file);
    let mut lines = Vec::new();
    let mut kiosk_token = None;
    let mut display_token = None;
    let mut add = |role: Role, site: Option<&str>, desk: Option<&str>, label: String| {
        let caller = token_scope(
            &config,
            role,
            site.map(str::to_owned),
            desk.map(str::to_owned).into_iter().collect(),
            format!("demo {label}"),
        )?;
        let token = tokens.get_or_create(&store, &config, &caller)?;
        if role == Role::Kiosk && site == Some("chania") {
            kiosk_token = Some(token.clone());
        }
        if role == Role::Display && site == Some("chania") {
            display_token = Some(token.clone());
        }
        lines.push(format!("  {label:<22} {token}"));
        anyhow::Ok(())
    };
    add(Role::Admin, None, None, "admin".into())?;
    for site in &config.sites {
        add(
            Role::Kiosk,
            Some(&site.id),
            None,
            format!("{} kiosk", site.id),
        )?;
        add(
            Role::Display,
            Some(&site.id),
            None,
            format!("{} display", site.id),
        )?;
        add(
            Role::Manager,
            Some(&site.id),
            None,
            format!("{} manager", site.id),
        )?;
        for desk in &site.desks {
            add(
                Role::Staff,
                Some(&site.id),
                Some(&desk.id),
                format!("staff {}", desk.id),
            )?;
        }
    }
    tokens
        .save(&store, &config, &tokens_file)
        .with_context(|| format!("cannot keep the demo tokens in {}", tokens_file.display()))?;
    let mut people = Vec::new();
    for (name, role, site) in [
        ("demo-staff", Role::Staff, Some("chania")),
        ("demo-manager", Role::Manager, Some("chania")),
        ("demo-admin", Role::Admin, None),
        ("demo-souda", Role::Staff, Some("souda")),
    ] {
        let user = token_scope(
            &config,
            role,
            site.map(str::to_owned),
            Vec::new(),
            name.into(),
        )?;
        let password = demo_password();
        set_demo_user(&store, &config, &user, &password)?;
        people.push(format!("  {name:<22} {password}"));
    }
    let app = App::new(config, store)
        .context("cannot prepare the database")?
        .always_open();
    let mut windows = Vec::new();
    super::server::serve(app, args.listen, |addr| {
        println!(
            "seira demo — every site open around the clock, database {}",
            args.db.display()
        );
        println!();
        println!("  staff sign-in       http://{addr}/login");
        println!("  lobby board         http://{addr}/board/chania");
        println!("  statistics          http://{addr}/stats   (sign in as demo-manager)");
        println!("  API documentation   http://{addr}/api/v1/docs");
        println!("  health              http://{addr}/healthz");
        println!();
        println!("People (sign in at /login; new passwords at every start):");
        for line in &people {
            println!("{line}");
        }
        println!();
        println!("Device tokens (send as `Authorization: Bearer <token>`):");
        for line in &lines {
            println!("{line}");
        }
        println!();
        println!("Try it:");
        println!("  curl -s -X POST http://{addr}/api/v1/sites/chania/tickets \\");
        println!(
            "       -H 'Authorization: Bearer {}' -H 'Content-Type: application/json' \\",
            kiosk_token.as_deref().unwrap_or("<chania kiosk token>")
        );
        println!(
            "       -d '{{\"service\":\"benefits\",\"request_id\":\"try-{}\"}}'",
            &seira_server::auth::new_ticket_id()[..8]
        );
        println!();
        if !args.no_kiosk
            && let Some(token) = &kiosk_token
        {
            println!(
                "The kiosk window (Chania) opens; tickets print to {}.",
                args.printer
            );
            let kiosk = ["kiosk", "--windowed", "--site", "chania", "--printer"];
            let kiosk = [&kiosk[..], &[args.printer.as_str()]].concat();
            windows.extend(open_window("kiosk", &kiosk, addr, token));
        }
        if !args.no_display
            && let Some(token) = &display_token
        {
            println!("The lobby display window (Chania) opens; it speaks each call.");
            let display = [
                "display",
                "--windowed",
                "--size",
                "1280x720",
                "--site",
                "chania",
            ];
            windows.extend(open_window("display", &display, addr, token));
        }
        println!("Stop with Ctrl-C.");
    })?;
    drop(windows);
    Ok(ExitCode::SUCCESS)
}

/// The demo's device tokens, kept beside its database (only hashes are in the database), so
/// that a restart reuses them instead of adding a new set each time.
struct DemoTokens {
    known: std::collections::BTreeMap<String, String>,
    kept: Vec<(String, String)>,
}

impl DemoTokens {
    fn load(path: &std::path::Path) -> DemoTokens {
        let known = std::fs::read_to_string(path)
            .unwrap_or_default()
            .lines()
            .filter_map(|line| line.split_once('\t'))
            .map(|(label, token)| (label.to_owned(), token.to_owned()))
            .collect();
        DemoTokens {
            known,
            kept: Vec::new(),
        }
    }

    /// The token kept for this caller's label, if the database still honours it for the
    /// same scope; else a new one.
    fn get_or_create(
        &mut self,
        store: &seira_server::store::Store,
        config: &Config,
        caller: &seira_server::auth::Caller,
    ) -> anyhow::Result<String> {
        use seira_server::store::{self, StoreError};
        let reusable = match self.known.get(&caller.label) {
            Some(token) => {
                let hash = seira_server::auth::hash_token(token);
                let found =
                    store.read(|tx| store::find_token(tx, &hash).map_err(StoreError::from))?;
                found.is_some_and(|c| c == *caller)
            }
            None => false,
        };
        let token = match reusable {
            true => self.known[&caller.label].clone(),
            false => super::token::create_token(store, config, caller)?,
        };
        self.kept.push((caller.label.clone(), token.clone()));
        Ok(token)
    }

    /// Writes the kept tokens (readable by this user only) and revokes every other demo
    /// token, such as the sets that earlier versions added at each start.
    fn save(
        &self,
        store: &seira_server::store::Store,
        config: &Config,
        path: &std::path::Path,
    ) -> anyhow::Result<()> {
        let text: String = self
            .kept
            .iter()
            .map(|(label, token)| format!("{label}\t{token}\n"))
            .collect();
        let mut options = std::fs::OpenOptions::new();
        options.write(true).create(true).truncate(true);
        #[cfg(unix)]
        std::os::unix::fs::OpenOptionsExt::mode(&mut options, 0o600);
        std::io::Write::write_all(&mut options.open(path)?, text.as_bytes())?;
        let kept: std::collections::BTreeSet<Vec<u8>> = self
            .kept
            .iter()
            .map(|(_, token)| seira_server::auth::hash_token(token))
            .collect();
        let kept: Vec<Vec<u8>> = kept.into_iter().collect();
        super::as_operator(store, config, |ctx| {
            ctx.revoke_tokens_labelled("demo ", &kept)
        })?;
        Ok(())
    }
}

/// A random password for a demo user (new at every start).
fn demo_password() -> String {
    seira_server::auth::new_ticket_id()[..16].to_owned()
}

/// Adds the demo user, or gives it a new password when it exists from an earlier start.
fn set_demo_user(
    store: &seira_server::store::Store,
    config: &Config,
    user: &seira_server::auth::Caller,
    password: &str,
) -> anyhow::Result<()> {
    let hash = seira_server::auth::hash_password(password)?;
    if !super::user::add_user(store, config, user, &hash)? {
        super::as_operator(store, config, |ctx| ctx.set_password(&user.label, &hash))
            .context("cannot set the demo password")?;
    }
    Ok(())
}
