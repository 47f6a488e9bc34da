//! `seira bench`: throughput and latency of issuing and calling, and the server's memory.
//!
//! It starts a real `seira server` child process on a fresh database in a temporary folder,
//! with a configuration of one site and 16 desks, and drives it over loopback HTTP with
//! 1 and 16 concurrent clients. Figures go to BENCHMARKS.md.

use std::path::Path;
use std::process::{ExitCode, Stdio};
use std::time::{Duration, Instant};

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

/// The server child process; killed when dropped.
struct Server {
    child: tokio::process::Child,
    addr: String,
}

impl Server {
    fn rss_kib(&self) -> Option<u64> {
        rss_kib(self.child.id()?)
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

struct Figures {
    count: usize,
    elapsed: Duration,
    latencies: Vec<Duration>,
}

impl Figures {
    fn line(&mut self, what: &str, clients: usize) -> String {
        self.latencies.sort();
        let pct = |p: f64| percentile(&self.latencies, p);
        format!(
            "| {what} | {clients} | {} | {:.0}/s | {:.2} ms | {:.2} ms |",
            self.count,
            self.count as f64 / self.elapsed.as_secs_f64(),
            pct(0.50),
            pct(0.99),
        )
    }
}

async fn issue_phase(
    http: &reqwest::Client,
    base: &str,
    token: &str,
    clients: usize,
    total: usize,
    run: usize,
) -> anyhow::Result<Figures> {
    let per_client = total / clients;
    let start = Instant::now();
    let mut tasks = Vec::new();
    for c in 0..clients {
        let http = http.clone();
        let url = format!("{base}/api/v1/sites/bench/tickets");
        let token = token.to_owned();
        tasks.push(tokio::spawn(async move {
            let mut latencies = Vec::with_capacity(per_client);
            for i in 0..per_client {
                let body = serde_json::json!({
                    "service": "benefits",
                    "request_id": format!("bench-{run}-{c}-{i}"),
                });
                let t = Instant::now();
                let r = http
                    .post(&url)
                    .bearer_auth(&token)
                    .json(&body)
                    .send()
                    .await?;
                if r.status() != 201 {
                    bail!("issue answered {}", r.status());
                }
                r.bytes().await?;
                latencies.push(t.elapsed());
            }
            anyhow::Ok(latencies)
        }));
    }
    let mut latencies = Vec::new();
    for t in tasks {
        latencies.extend(t.await??);
    }
    Ok(Figures {
        count: latencies.len(),
        elapsed: start.elapsed(),
        latencies,
    })
}

async fn call_phase(
    http: &reqwest::Client,
    base: &str,
    tokens: &[String],
    clients: usize,
) -> anyhow::Result<Figures> {
    let start = Instant::now();
    let mut tasks = Vec::new();
    for (d, token) in tokens.iter().enumerate().take(clients) {
        let http = http.clone();
        let base = base.to_owned();
        let token = token.clone();
        let desk = format!("desk-{}", d + 1);
        tasks.push(tokio::spawn(async move {
            let post = |path: String| {
                http.post(format!("{base}{path}"))
                    .bearer_auth(&token)
                    .send()
            };
            post(format!("/api/v1/desks/{desk}/open"))
                .await?
                .bytes()
                .await?;
            let mut latencies = Vec::new();
            loop {
                let t = Instant::now();
                let r = post(format!("/api/v1/desks/{desk}/call-next")).await?;
                let status = r.status();
                let body = r.bytes().await?;
                latencies.push(t.elapsed());
                if status == 204 {
                    break;
                }
                if status != 200 {
                    bail!("call-next answered {status}");
                }
                let ticket: serde_json::Value = serde_json::from_slice(&body)?;
                let id = ticket["id"].as_str().context("no id")?.to_owned();
                post(format!("/api/v1/tickets/{id}/start"))
                    .await?
                    .bytes()
                    .await?;
                post(format!("/api/v1/tickets/{id}/done"))
                    .await?
                    .bytes()
                    .await?;
            }
            post(format!("/api/v1/desks/{desk}/close"))
                .await?
                .bytes()
                .await?;
            anyhow::Ok(latencies)
        }));
    }
    let mut latencies = Vec::new();
    for t in tasks {
        latencies.extend(t.await??);
    }
    Ok(Figures {
        count: latencies.len(),
        elapsed: start.elapsed(),
        latencies,
    })
}

pub fn run(args: Args) -> anyhow::Result<ExitCode> {
    if args.kiosk {
        return kiosk_bench(args.touches);
    }
    if args.display {
        return display_bench(args.calls, args.idle_seconds);
    }
    if args.stats {
        return stats_bench(&args.sizes);
    }
    let runtime = tokio::runtime::Runtime::new()?;
    runtime.block_on(async {
        let dir = tempfile::tempdir()?;
        let config = dir.path().join("bench.toml");
        std::fs::write(&config, bench_config())?;
        let server = start_server(dir.path(), &config).await?;
        let base = format!("http://{}", server.addr);
        let db = dir.path().join("bench.db");
        let config = config.to_str().context("temporary path is not UTF-8")?;
        let kiosk = token(
            &db,
            &["--role", "kiosk", "--site", "bench", "--config", config],
        )?;
        let staff: Vec<String> = (1..=DESKS)
            .map(|d| {
                let desk = format!("desk-{d}");
                token(
                    &db,
                    &["--role", "staff", "--desk", &desk, "--config", config],
                )
            })
            .collect::<Result<_, _>>()?;
        let http = reqwest::Client::builder()
            .pool_max_idle_per_host(64)
            .build()?;
        let rss_start = server.rss_kib();
        println!(
            "seira {} bench: one server process, loopback HTTP",
            env!("CARGO_PKG_VERSION")
        );
        println!();
        println!("| operation | clients | requests | throughput | p50 | p99 |");
        println!("| --- | --- | --- | --- | --- | --- |");
        for (run, &clients) in args.clients.iter().enumerate() {
            let clients = clients.clamp(1, DESKS);
            let mut issued = issue_phase(&http, &base, &kiosk, clients, args.tickets, run).await?;
            println!("{}", issued.line("issue ticket", clients));
            let mut called = call_phase(&http, &base, &staff, clients).await?;
            println!(
                "{}",
                called.line("call-next (each followed by start, done)", clients)
            );
        }
        println!();
        println!(
            "server memory (VmRSS): {} KiB at start, {} KiB after the runs",
            rss_start.unwrap_or(0),
            server.rss_kib().unwrap_or(0)
        );
        anyhow::Ok(ExitCode::SUCCESS)
    })
}

/// A network printer on loopback that answers status queries at once and notes when each
/// job's first byte (`ESC @`) arrives.
fn timing_printer() -> anyhow::Result<(u16, std::sync::mpsc::Receiver<Instant>)> {
    use std::io::{Read, Write};
    let listener = std::net::TcpListener::bind("127.0.0.1:0")?;
    let port = listener.local_addr()?.port();
    let (tx, rx) = std::sync::mpsc::channel();
    std::thread::spawn(move || {
        while let Ok((mut stream, _)) = listener.accept() {
            let _ = stream.set_nodelay(true);
            let mut buf = [0u8; 8192];
            let mut tail: Vec<u8> = Vec::new();
            loop {
                let n = match stream.read(&mut buf) {
                    Ok(0) | Err(_) => break,
                    Ok(n) => n,
                };
                let now = Instant::now();
                tail.extend_from_slice(&buf[..n]);
                for w in tail.windows(3) {
                    if w[0] == 0x10 && w[1] == 0x04 {
                        let _ = stream.write_all(&[0x12]);
                    }
                }
                if tail.windows(2).any(|w| w == [0x1b, b'@']) {
                    let _ = tx.send(now);
                }
                let keep = tail.len().saturating_sub(2);
                tail.drain(..keep);
            }
        }
    });
    Ok((port, rx))
}

/// Touch to first printer byte, through the real kiosk (model, worker threads, protocol
/// client, printer driver) against a real server process; no window is drawn.
/// A `seira server` on the bench configuration in a temporary folder, with its runtime.
struct BenchSite {
    server: Server,
    dir: tempfile::TempDir,
    _runtime: tokio::runtime::Runtime,
}

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

fn kiosk_bench(touches: usize) -> anyhow::Result<ExitCode> {
    use seira_kiosk::model::{Event, Screen, Touch};
    let site = BenchSite::start()?;
    let server = &site.server;
    let token = site.token(&["--role", "kiosk", "--site", "bench"])?;
    let (port, first_bytes) = timing_printer()?;
    let settings = seira_kiosk::Settings {
        site: "bench".into(),
        ask_priority: false,
        ..seira_kiosk::Settings::default()
    };
    let setup = seira_kiosk::Setup {
        server: format!("http://{}", server.addr),
        token,
        site: "bench".into(),
        printer: Some(
            format!("tcp:127.0.0.1:{port}")
                .parse()
                .map_err(anyhow::Error::msg)?,
        ),
        profile: seira_hardware::Profile::named("generic-80").context("profile")?,
        printer_timeout: Duration::from_secs(2),
        speech: false,
    };
    let ctx = egui::Context::default();
    let mut app = seira_kiosk::KioskApp::new(&ctx, settings, setup);
    let wait = |app: &mut seira_kiosk::KioskApp,
                what: &str,
                done: &dyn Fn(&seira_kiosk::KioskApp) -> bool| {
        let started = Instant::now();
        while !done(app) {
            app.pump();
            if started.elapsed() > Duration::from_secs(30) {
                bail!("the kiosk never got {what}");
            }
            std::thread::sleep(Duration::from_micros(200));
        }
        anyhow::Ok(())
    };
    wait(&mut app, "ready", &|a| {
        a.kiosk.services.is_some() && a.kiosk.blocker().is_none()
    })?;
    while first_bytes.try_recv().is_ok() {}
    let mut latencies = Vec::with_capacity(touches);
    for _ in 0..touches {
        let touched = Instant::now();
        app.handle(Event::Touch(Touch::Service("benefits".into())));
        wait(&mut app, "its ticket printed", &|a| {
            matches!(a.kiosk.screen, Screen::Ticket { printed: true, .. })
        })?;
        let first = first_bytes.recv_timeout(Duration::from_secs(10))?;
        latencies.push(first.duration_since(touched));
        app.handle(Event::Touch(Touch::Finish));
    }
    latencies.sort();
    let pct = |p: f64| percentile(&latencies, p);
    println!("| operation | touches | p50 | p99 | max |");
    println!("| --- | --- | --- | --- | --- |");
    println!(
        "| kiosk: touch → first ticket byte at the printer | {} | {:.2} ms | {:.2} ms | {:.2} ms |",
        latencies.len(),
        pct(0.50),
        pct(0.99),
        pct(1.0)
    );
    drop(site);
    Ok(ExitCode::SUCCESS)
}

/// The `p` quantile (0–1) of sorted latencies by nearest rank, in milliseconds.
fn percentile(sorted: &[Duration], p: f64) -> f64 {
    let i = ((sorted.len() as f64 * p).ceil() as usize).saturating_sub(1);
    sorted.get(i).copied().unwrap_or_default().as_secs_f64() * 1000.0
}

/// CPU seconds (user + system) a process has used, from /proc.
fn cpu_seconds(pid: u32) -> Option<f64> {
    let stat = std::fs::read_to_string(format!("/proc/{pid}/stat")).ok()?;
    // The fields after the command name, which is in parentheses and may hold spaces.
    let fields: Vec<&str> = stat.rsplit_once(')')?.1.split_whitespace().collect();
    let ticks: u64 = fields.get(11)?.parse::<u64>().ok()? + fields.get(12)?.parse::<u64>().ok()?;
    // The kernel counts in USER_HZ, 100 on every Linux seira runs on.
    Some(ticks as f64 / 100.0)
}

fn rss_kib(pid: u32) -> Option<u64> {
    let status = std::fs::read_to_string(format!("/proc/{pid}/status")).ok()?;
    status
        .lines()
        .find(|l| l.starts_with("VmRSS:"))?
        .split_whitespace()
        .nth(1)?
        .parse()
        .ok()
}

/// From `call-next` sent to the call on the display's board: the server commits and
/// publishes the event, the display's feed receives it over the event stream and the board
/// takes it (the same code the window runs, which the feed wakes at once). Then, with an X
/// display, the real window's idle CPU and memory.
fn display_bench(calls: usize, idle_seconds: u64) -> anyhow::Result<ExitCode> {
    use seira_display::feed::{self, Update};
    use seira_display::screen::Live;
    let site = BenchSite::start()?;
    let base = format!("http://{}", site.server.addr);
    let kiosk = site.token(&["--role", "kiosk", "--site", "bench"])?;
    let display = site.token(&["--role", "display", "--site", "bench"])?;
    let staff = site.token(&["--role", "staff", "--desk", "desk-1"])?;
    let http = reqwest::blocking::Client::new();
    for i in 0..calls {
        http.post(format!("{base}/api/v1/sites/bench/tickets"))
            .bearer_auth(&kiosk)
            .json(&serde_json::json!({"service": "benefits", "request_id": format!("d{i}")}))
            .send()?
            .error_for_status()?;
    }
    http.post(format!("{base}/api/v1/desks/desk-1/open"))
        .bearer_auth(&staff)
        .send()?
        .error_for_status()?;

    let (updates, received) = std::sync::mpsc::channel();
    feed::spawn(
        seira_protocol::client::Client::new(&base, Some(display.clone()))?,
        "bench".into(),
        updates,
        || {},
    )?;
    let mut live = Live::default();
    let newest = |live: &Live| {
        live.state
            .as_ref()
            .and_then(|s| s.board.calls.first())
            .map(|c| c.number.clone())
    };
    let receive = |live: &mut Live, until: &dyn Fn(&Live) -> bool| {
        while !until(live) {
            let update = received.recv_timeout(Duration::from_secs(10))?;
            live.receive(update);
        }
        anyhow::Ok(())
    };
    receive(&mut live, &|l| l.online == Some(true))?;
    let mut latencies = Vec::with_capacity(calls);
    for _ in 0..calls {
        let sent = Instant::now();
        let called: serde_json::Value = http
            .post(format!("{base}/api/v1/desks/desk-1/call-next"))
            .bearer_auth(&staff)
            .send()?
            .error_for_status()?
            .json()?;
        let number = called["number"].as_str().context("no number")?.to_owned();
        receive(&mut live, &|l| {
            newest(l).as_deref() == Some(number.as_str())
        })?;
        latencies.push(sent.elapsed());
        let id = called["id"].as_str().context("no id")?;
        http.post(format!("{base}/api/v1/tickets/{id}/no-show"))
            .bearer_auth(&staff)
            .send()?
            .error_for_status()?;
    }
    while let Ok(update) = received.try_recv() {
        let _: Update = update;
    }
    latencies.sort();
    println!("| operation | calls | p50 | p99 | max |");
    println!("| --- | --- | --- | --- | --- |");
    println!(
        "| display: call-next sent → call on the display's board | {} | {:.2} ms | {:.2} ms | {:.2} ms |",
        latencies.len(),
        percentile(&latencies, 0.50),
        percentile(&latencies, 0.99),
        percentile(&latencies, 1.0)
    );
    println!();

    if std::env::var_os("DISPLAY").is_none() {
        println!("idle window: not measured (no X display; run under xvfb-run)");
        return Ok(ExitCode::SUCCESS);
    }
    let mut window = std::process::Command::new(std::env::current_exe()?)
        .args([
            "display",
            "--windowed",
            "--sound",
            "none",
            "--site",
            "bench",
        ])
        .args(["--server", &base, "--token", &display])
        .env("RUST_LOG", "warn")
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .spawn()?;
    // Let it start, load the board and draw it.
    std::thread::sleep(Duration::from_secs(10));
    let pid = window.id();
    let cpu_start = cpu_seconds(pid).context("the display window stopped")?;
    std::thread::sleep(Duration::from_secs(idle_seconds));
    let cpu_end = cpu_seconds(pid).context("the display window stopped")?;
    let rss = rss_kib(pid).unwrap_or(0);
    let _ = window.kill();
    let _ = window.wait();
    println!(
        "idle window (1920x1080, reactive): {:.2} % of one core over {idle_seconds} s, VmRSS {} MiB",
        (cpu_end - cpu_start) / idle_seconds as f64 * 100.0,
        rss / 1024
    );
    drop(site);
    Ok(ExitCode::SUCCESS)
}

/// The statistics over databases of a busy centre's years: each size is a fresh database with
/// that many served tickets over 250 working days ending yesterday; the figures for the last
/// month (30 days) and for the last year (365 days) are computed five times each, as the page
/// and the API compute them (read, then arithmetic), and the median is reported.
fn stats_bench(sizes: &[u64]) -> anyhow::Result<ExitCode> {
    let config = seira_server::config::Config::embedded();
    let today = jiff::Timestamp::now().in_tz("Europe/Athens")?.date();
    let yesterday = today.yesterday()?;
    println!(
        "| tickets in the database | fill | month (30 days) | year (365 days) | rows in the year |"
    );
    println!("| --- | --- | --- | --- | --- |");
    for &size in sizes {
        let dir = tempfile::tempdir()?;
        let store = seira_server::store::Store::open(&dir.path().join("stats.db"))?;
        let filled = Instant::now();
        let made = seira_server::demo::bulk_history(&store, &config, "chania", size, yesterday, 1)?;
        let fill = filled.elapsed();
        let time = |days: i64| -> anyhow::Result<(Duration, u64)> {
            let from = today.checked_sub(jiff::SignedDuration::from_hours(24 * (days - 1)))?;
            let mut runs = Vec::new();
            let mut rows = 0;
            for _ in 0..5 {
                let started = Instant::now();
                let figures = store
                    .read(|tx| seira_server::engine::figures(tx, &config, "chania", from, today))?;
                runs.push(started.elapsed());
                rows = figures.totals.arrivals;
            }
            runs.sort();
            Ok((runs[runs.len() / 2], rows))
        };
        let (month, _) = time(30)?;
        let (year, rows) = time(365)?;
        println!(
            "| {made} | {:.1} s | {:.0} ms | {:.0} ms | {rows} |",
            fill.as_secs_f64(),
            month.as_secs_f64() * 1000.0,
            year.as_secs_f64() * 1000.0
        );
    }
    Ok(ExitCode::SUCCESS)
}
