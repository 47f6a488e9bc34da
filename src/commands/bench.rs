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
}

const DESKS: usize = 16;

fn bench_config() -> String {
    let mut toml = String::from(
        r#"[[sites]]
id = "bench"
names = { el = "Δοκιμή", en = "Bench" }
hours = { mon = ["00:00-24:00"] }

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
        let pid = self.child.id()?;
        let status = std::fs::read_to_string(format!("/proc/{pid}/status")).ok()?;
        status
            .lines()
            .find(|l| l.starts_with("VmRSS:"))?
            .split_whitespace()
            .nth(1)?
            .parse()
            .ok()
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
        .env("RUST_LOG", "info")
        .stderr(Stdio::piped())
        .stdout(Stdio::null())
        .kill_on_drop(true)
        .spawn()
        .context("cannot start the server")?;
    let stderr = child.stderr.take().context("no stderr")?;
    let mut lines = BufReader::new(stderr).lines();
    let addr = loop {
        let Some(line) = lines.next_line().await? else {
            bail!("the server stopped before listening");
        };
        if let Some(rest) = line.split("addr=").nth(1) {
            break rest
                .split_whitespace()
                .next()
                .unwrap_or_default()
                .to_owned();
        }
    };
    // Keep draining its log so that it never blocks on a full pipe.
    tokio::spawn(async move { while let Ok(Some(_)) = lines.next_line().await {} });
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
        let pct = |p: f64| {
            let i = ((self.latencies.len() as f64 * p).ceil() as usize).saturating_sub(1);
            self.latencies.get(i).copied().unwrap_or_default()
        };
        format!(
            "| {what} | {clients} | {} | {:.0}/s | {:.2} ms | {:.2} ms |",
            self.count,
            self.count as f64 / self.elapsed.as_secs_f64(),
            pct(0.50).as_secs_f64() * 1000.0,
            pct(0.99).as_secs_f64() * 1000.0,
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
