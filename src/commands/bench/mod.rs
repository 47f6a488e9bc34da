//! `seira bench`: throughput and latency of issuing, calling and reading the board, the event
//! stream's delay, and the server's memory and threads; `--kiosk`, `--display`, `--stats` and
//! `--estimates` measure the other parts.
//!
//! It starts a real `seira server` child process on a fresh database in a temporary folder,
//! with a configuration of one site and 16 desks, and drives it over loopback HTTP with
//! 1 and 16 concurrent clients, with an empty queue and with 10,000 tickets waiting, beside
//! the disk's own commit limit measured in the same folder. Figures go to BENCHMARKS.md.

mod api;
#[cfg(feature = "devices")]
mod display;
mod estimates;
#[cfg(feature = "devices")]
mod kiosk;
mod stats;

use std::path::Path;
use std::process::{ExitCode, Stdio};
use std::time::Duration;

use anyhow::{Context, bail};
use tokio::io::{AsyncBufReadExt, BufReader};

#[derive(clap::Args)]
pub struct Args {
    /// Tickets issued per client count in the issue phase.
    #[arg(long, default_value_t = 2000)]
    pub tickets: usize,
    /// Client counts to measure with.
    #[arg(long, value_delimiter = ',', default_value = "1,16")]
    pub clients: Vec<usize>,
    /// Tickets left waiting while each round of phases runs: the cost of an operation must
    /// not grow with the queue.
    #[arg(long, value_delimiter = ',', default_value = "0,10000")]
    pub backlogs: Vec<usize>,
    /// Board reads per client count.
    #[arg(long, default_value_t = 20000)]
    pub board_reads: usize,
    /// Event streams open while calls go out (0: no stream phase).
    #[arg(long, default_value_t = 500)]
    pub subscribers: usize,
    /// Calls made while the event streams are open.
    #[arg(long, default_value_t = 200)]
    pub stream_calls: usize,
    /// Measure the kiosk instead: from a touch to the first byte of the ticket at the printer.
    #[arg(long)]
    pub kiosk: bool,
    /// Touches measured with --kiosk.
    #[arg(long, default_value_t = 100)]
    pub touches: usize,
    /// Measure the lobby display instead: from a call on the server to the display's board,
    /// and (where there is an X display, e.g. under xvfb-run) the window's idle CPU and memory.
    #[arg(long)]
    pub display: bool,
    /// Calls measured with --display.
    #[arg(long, default_value_t = 200)]
    pub calls: usize,
    /// Seconds of idle window measured with --display.
    #[arg(long, default_value_t = 60)]
    pub idle_seconds: u64,
    /// Measure the statistics instead: a month and a year of figures over databases of
    /// these many tickets.
    #[arg(long)]
    pub stats: bool,
    /// Database sizes measured with --stats.
    #[arg(
        long,
        value_delimiter = ',',
        default_value = "10000,100000,500000,1000000"
    )]
    pub sizes: Vec<u64>,
    /// Measure the estimated waits instead: their error against the real waits, replayed at
    /// every ticket of simulated working days (or of `--db`'s history).
    #[arg(long)]
    pub estimates: bool,
    /// Working days replayed with --estimates.
    #[arg(long, default_value_t = 20)]
    pub days: u32,
    /// The configuration whose sites --estimates simulates (default: the embedded one).
    #[arg(long)]
    pub config: Option<std::path::PathBuf>,
    /// A real centre's database to replay with --estimates instead of simulated days (a
    /// copy is taken and replayed; with the configuration it runs with, `--config`).
    #[arg(long)]
    pub db: Option<std::path::PathBuf>,
    /// The seed of the simulated days.
    #[arg(long, default_value_t = 2026)]
    pub seed: u64,
}

const DESKS: usize = 16;

fn bench_config() -> String {
    let mut toml = String::from(
        r#"[[sites]]
id = "bench"
names = { el = "Δοκιμή", en = "Bench" }
hours = { mon = ["00:00-24:00"] }
news = [{ el = "Οι υπηρεσίες παρέχονται δωρεάν.", en = "All services are free of charge." }]

[[sites.services]]
id = "benefits"
prefix = "A"
names = { el = "Επιδόματα", en = "Benefits" }
target_wait_min = 30
"#,
    );
    for d in 1..=DESKS {
        toml.push_str(&format!(
            "\n[[sites.desks]]\nid = \"desk-{d}\"\nnames = {{ el = \"Γραφείο {d}\", en = \"Office {d}\" }}\nservices = [\"benefits\"]\n"
        ));
    }
    toml
}

pub fn run(args: Args) -> anyhow::Result<ExitCode> {
    if args.kiosk || args.display {
        #[cfg(feature = "devices")]
        return match args.kiosk {
            true => kiosk::kiosk_bench(args.touches),
            false => display::display_bench(args.calls, args.idle_seconds),
        };
        #[cfg(not(feature = "devices"))]
        bail!("this seira is the server only (built without the `devices` feature)");
    }
    if args.estimates {
        let config = super::load_config(args.config.as_deref())?;
        return estimates::estimates_bench(&config, args.days, args.seed, args.db.as_deref());
    }
    if args.stats {
        return stats::stats_bench(&args.sizes);
    }
    api::api_bench(&api::ApiArgs {
        tickets: args.tickets,
        clients: args.clients,
        backlogs: args.backlogs,
        board_reads: args.board_reads,
        subscribers: args.subscribers,
        stream_calls: args.stream_calls,
    })
}

/// The server child process; killed when dropped.
struct Server {
    child: tokio::process::Child,
    addr: String,
}

impl Server {
    fn memory(&self) -> String {
        memory(self.child.id())
    }
}

async fn start_server(dir: &Path, config: &Path) -> anyhow::Result<Server> {
    let mut child = tokio::process::Command::new(std::env::current_exe()?)
        .args([
            "server",
            "--always-open",
            "--listen",
            "127.0.0.1:0",
            "--config",
        ])
        .arg(config)
        .arg("--db")
        .arg(dir.join("bench.db"))
        .env("RUST_LOG", "warn")
        .stderr(Stdio::inherit())
        .stdout(Stdio::piped())
        .kill_on_drop(true)
        .spawn()
        .context("cannot start the server")?;
    let stdout = child.stdout.take().context("no stdout")?;
    let mut lines = BufReader::new(stdout).lines();
    // `seira server` says where it listens on stdout, in one line.
    let addr = match lines.next_line().await? {
        Some(line) => line
            .strip_prefix("listening on http://")
            .with_context(|| format!("the server said `{line}`"))?
            .to_owned(),
        None => bail!("the server stopped before listening"),
    };
    Ok(Server { child, addr })
}

fn token(db: &Path, args: &[&str]) -> anyhow::Result<String> {
    let out = std::process::Command::new(std::env::current_exe()?)
        .args(["token", "create", "--db"])
        .arg(db)
        .args(args)
        .env("RUST_LOG", "warn")
        .output()?;
    if !out.status.success() {
        bail!(
            "token create failed: {}",
            String::from_utf8_lossy(&out.stderr)
        );
    }
    Ok(String::from_utf8(out.stdout)?.trim().to_owned())
}

/// The `p` quantile (0–1) of sorted latencies by nearest rank, in milliseconds.
fn percentile(sorted: &[Duration], p: f64) -> f64 {
    let i = ((sorted.len() as f64 * p).ceil() as usize).saturating_sub(1);
    sorted.get(i).copied().unwrap_or_default().as_secs_f64() * 1000.0
}

#[cfg(feature = "devices")]
/// CPU seconds (user + system) a process has used, from /proc.
fn cpu_seconds(pid: u32) -> Option<f64> {
    let stat = std::fs::read_to_string(format!("/proc/{pid}/stat")).ok()?;
    // The fields after the command name, which is in parentheses and may hold spaces.
    let fields: Vec<&str> = stat.rsplit_once(')')?.1.split_whitespace().collect();
    let ticks: u64 = fields.get(11)?.parse::<u64>().ok()? + fields.get(12)?.parse::<u64>().ok()?;
    // The kernel counts in USER_HZ, 100 on every Linux seira runs on.
    Some(ticks as f64 / 100.0)
}

#[cfg(feature = "devices")]
fn rss_kib(pid: u32) -> Option<u64> {
    status_field(pid, "VmRSS:")
}

/// A number from /proc/{pid}/status, e.g. `VmRSS:` in KiB or `Threads:`.
fn status_field(pid: u32, name: &str) -> Option<u64> {
    let status = std::fs::read_to_string(format!("/proc/{pid}/status")).ok()?;
    status
        .lines()
        .find(|l| l.starts_with(name))?
        .split_whitespace()
        .nth(1)?
        .parse()
        .ok()
}

/// A process's memory: all of it, its own (anonymous) and its program's pages (file).
fn memory(pid: Option<u32>) -> String {
    let field = |name| pid.and_then(|p| status_field(p, name)).unwrap_or(0);
    format!(
        "{} KiB ({} KiB its own, {} KiB of the program's file)",
        field("VmRSS:"),
        field("RssAnon:"),
        field("RssFile:")
    )
}

#[cfg(feature = "devices")]
/// A `seira server` on the bench configuration in a temporary folder, with its runtime.
pub(super) struct BenchSite {
    server: Server,
    dir: tempfile::TempDir,
    _runtime: tokio::runtime::Runtime,
}

#[cfg(feature = "devices")]
impl BenchSite {
    fn start() -> anyhow::Result<BenchSite> {
        let runtime = tokio::runtime::Runtime::new()?;
        let dir = tempfile::tempdir()?;
        let config = dir.path().join("bench.toml");
        std::fs::write(&config, bench_config())?;
        let server = runtime.block_on(start_server(dir.path(), &config))?;
        Ok(BenchSite {
            server,
            dir,
            _runtime: runtime,
        })
    }

    /// A new token on the bench database (`seira token create` with `args`).
    fn token(&self, args: &[&str]) -> anyhow::Result<String> {
        let config = self.dir.path().join("bench.toml");
        let config = config.to_str().context("temporary path is not UTF-8")?;
        let mut all = args.to_vec();
        all.extend(["--config", config]);
        token(&self.dir.path().join("bench.db"), &all)
    }
}
