//! `seira bench`: issuing, calling and board reads over loopback HTTP, with an empty queue and
//! a long one; the event stream's delay to 500 subscribers; the server's memory and threads;
//! and the disk's own commit limit, measured in the same run.

use std::path::Path;
use std::process::ExitCode;
use std::time::{Duration, Instant};

use anyhow::{Context, bail};

use super::*;

/// The figures of one phase.
struct Figures {
    count: usize,
    elapsed: Duration,
    latencies: Vec<Duration>,
}

impl Figures {
    fn of(start: Instant, latencies: Vec<Vec<Duration>>) -> Figures {
        let latencies: Vec<Duration> = latencies.into_iter().flatten().collect();
        Figures {
            count: latencies.len(),
            elapsed: start.elapsed(),
            latencies,
        }
    }

    /// The figures of client tasks that each return their latencies.
    async fn gather(
        start: Instant,
        tasks: Vec<tokio::task::JoinHandle<anyhow::Result<Vec<Duration>>>>,
    ) -> anyhow::Result<Figures> {
        let mut latencies = Vec::new();
        for t in tasks {
            latencies.push(t.await??);
        }
        Ok(Figures::of(start, latencies))
    }

    fn line(&mut self, waiting: &str, what: &str, clients: usize) -> String {
        self.latencies.sort();
        let pct = |p: f64| percentile(&self.latencies, p);
        format!(
            "| {waiting} | {what} | {clients} | {} | {:.0}/s | {:.2} ms | {:.2} ms |",
            self.count,
            self.count as f64 / self.elapsed.as_secs_f64(),
            pct(0.50),
            pct(0.99),
        )
    }
}

/// What the API bench measures.
pub struct ApiArgs {
    pub tickets: usize,
    pub clients: Vec<usize>,
    pub backlogs: Vec<usize>,
    pub board_reads: usize,
    pub subscribers: usize,
    pub stream_calls: usize,
}

/// The bench's server and its tokens.
struct Bench {
    http: reqwest::Client,
    base: String,
    kiosk: String,
    display: String,
    staff: Vec<String>,
}

impl Bench {
    /// Issues `total` tickets split among `clients`, each with its own request id.
    async fn issue(&self, clients: usize, total: usize, run: &str) -> anyhow::Result<Figures> {
        let per_client = total / clients;
        let start = Instant::now();
        let mut tasks = Vec::new();
        for c in 0..clients {
            let http = self.http.clone();
            let url = format!("{}/api/v1/sites/bench/tickets", self.base);
            let token = self.kiosk.clone();
            let run = run.to_owned();
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
        Figures::gather(start, tasks).await
    }

    /// Each of `clients` desks runs `call-next`, `start`, `done` until `total` cycles are
    /// done between them (or nothing waits); the latency is the whole cycle's.
    async fn call(&self, clients: usize, total: usize) -> anyhow::Result<Figures> {
        let per_client = total / clients;
        let start = Instant::now();
        let mut tasks = Vec::new();
        for (d, token) in self.staff.iter().enumerate().take(clients) {
            let http = self.http.clone();
            let base = self.base.clone();
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
                let mut latencies = Vec::with_capacity(per_client);
                for _ in 0..per_client {
                    let t = Instant::now();
                    let r = post(format!("/api/v1/desks/{desk}/call-next")).await?;
                    let status = r.status();
                    let body = r.bytes().await?;
                    if status == 204 {
                        break;
                    }
                    if status != 200 {
                        bail!("call-next answered {status}");
                    }
                    let ticket: serde_json::Value = serde_json::from_slice(&body)?;
                    let id = ticket["id"].as_str().context("no id")?.to_owned();
                    for step in ["start", "done"] {
                        let r = post(format!("/api/v1/tickets/{id}/{step}")).await?;
                        if !r.status().is_success() {
                            bail!("{step} answered {}", r.status());
                        }
                        r.bytes().await?;
                    }
                    latencies.push(t.elapsed());
                }
                post(format!("/api/v1/desks/{desk}/close"))
                    .await?
                    .bytes()
                    .await?;
                anyhow::Ok(latencies)
            }));
        }
        Figures::gather(start, tasks).await
    }

    /// `total` board reads split among `clients`, as a display reads it (with its token).
    async fn board(&self, clients: usize, total: usize) -> anyhow::Result<Figures> {
        let per_client = total / clients;
        let start = Instant::now();
        let mut tasks = Vec::new();
        for _ in 0..clients {
            let http = self.http.clone();
            let url = format!("{}/api/v1/sites/bench/board", self.base);
            let token = self.display.clone();
            tasks.push(tokio::spawn(async move {
                let mut latencies = Vec::with_capacity(per_client);
                for _ in 0..per_client {
                    let t = Instant::now();
                    let r = http.get(&url).bearer_auth(&token).send().await?;
                    if r.status() != 200 {
                        bail!("board answered {}", r.status());
                    }
                    r.bytes().await?;
                    latencies.push(t.elapsed());
                }
                anyhow::Ok(latencies)
            }));
        }
        Figures::gather(start, tasks).await
    }
}

/// The most threads a process had while `until` ran, sampled every 5 ms.
async fn max_threads_while<T>(pid: u32, until: impl Future<Output = T>) -> (T, u64) {
    let mut most = threads(pid).unwrap_or(0);
    let mut tick = tokio::time::interval(Duration::from_millis(5));
    tokio::pin!(until);
    loop {
        tokio::select! {
            value = &mut until => return (value, most),
            _ = tick.tick() => most = most.max(threads(pid).unwrap_or(0)),
        }
    }
}

fn threads(pid: u32) -> Option<u64> {
    status_field(pid, "Threads:")
}

/// One event stream: the ticket ids of the first `calls` `ticket_called` events, with when
/// each arrived.
async fn subscribe(
    http: reqwest::Client,
    url: String,
    token: String,
    calls: usize,
) -> anyhow::Result<Vec<(String, Instant)>> {
    let mut r = http.get(&url).bearer_auth(&token).send().await?;
    if r.status() != 200 {
        bail!("events answered {}", r.status());
    }
    // 500 of these share the bench's two cores with the server: each event is looked at as
    // little as possible (its kind, then the ticket id after `"ticket":{"id":"`), so that
    // the figure is the server's delay rather than the bench's parsing.
    const TICKET: &str = "\"ticket\":{\"id\":\"";
    let mut seen = Vec::with_capacity(calls);
    let mut buffer = String::new();
    while seen.len() < calls {
        let Some(chunk) = r.chunk().await? else {
            bail!("the event stream ended");
        };
        let at = Instant::now();
        buffer.push_str(std::str::from_utf8(&chunk)?);
        // Whole events end with an empty line.
        while let Some(end) = buffer.find("\n\n") {
            let event = &buffer[..end];
            if event.contains("\nevent: ticket_called\n")
                && let Some(start) = event.find(TICKET).map(|i| i + TICKET.len())
                && let Some(len) = event[start..].find('"')
            {
                seen.push((event[start..start + len].to_owned(), at));
            }
            buffer.drain(..end + 2);
        }
    }
    Ok(seen)
}

/// `subscribers` event streams, from four loopback addresses (the server allows 256
/// connections per address), see `calls` calls one desk makes 20 ms apart, each followed
/// 10 ms later by its no-show. Returns the
/// delays from sending each call to each stream's event, the server's threads before, and
/// the most while the calls went out.
async fn stream_phase(
    bench: &Bench,
    server: &Server,
    subscribers: usize,
    calls: usize,
) -> anyhow::Result<(Figures, u64, u64)> {
    let pid = server.child.id().context("the server has no pid")?;
    let before = threads(pid).unwrap_or(0);
    let url = format!("{}/api/v1/sites/bench/events", bench.base);
    let mut streams = Vec::new();
    for i in 0..subscribers {
        let local = std::net::IpAddr::from([127, 0, 0, 2 + (i % 4) as u8]);
        let http = reqwest::Client::builder().local_address(local).build()?;
        streams.push(tokio::spawn(subscribe(
            http,
            url.clone(),
            bench.display.clone(),
            calls,
        )));
    }
    // Every stream is open once the server has its connection and has answered its headers;
    // give the last ones a moment.
    tokio::time::sleep(Duration::from_secs(2)).await;
    let desk = "desk-1";
    let post = |path: String| {
        bench
            .http
            .post(format!("{}{path}", bench.base))
            .bearer_auth(&bench.staff[0])
            .send()
    };
    post(format!("/api/v1/desks/{desk}/open"))
        .await?
        .bytes()
        .await?;
    let caller = async {
        let mut sent = std::collections::HashMap::new();
        for _ in 0..calls {
            let t = Instant::now();
            let r = post(format!("/api/v1/desks/{desk}/call-next")).await?;
            if r.status() != 200 {
                bail!("call-next answered {}", r.status());
            }
            let ticket: serde_json::Value = r.json().await?;
            let id = ticket["id"].as_str().context("no id")?.to_owned();
            sent.insert(id.clone(), t);
            // The call's event reaches every stream before the no-show that frees the desk
            // sends its own (untimed), so each timed event goes out alone, as a call does in
            // a lobby.
            tokio::time::sleep(Duration::from_millis(10)).await;
            post(format!("/api/v1/tickets/{id}/no-show"))
                .await?
                .bytes()
                .await?;
            tokio::time::sleep(Duration::from_millis(10)).await;
        }
        anyhow::Ok(sent)
    };
    let start = Instant::now();
    let (sent, most) = max_threads_while(pid, caller).await;
    let sent = sent?;
    let mut latencies = Vec::new();
    for stream in streams {
        for (id, at) in stream.await?? {
            let t = sent.get(&id).context("an event of a call not made")?;
            latencies.push(vec![at.duration_since(*t)]);
        }
    }
    post(format!("/api/v1/desks/{desk}/close"))
        .await?
        .bytes()
        .await?;
    Ok((Figures::of(start, latencies), before, most))
}

/// What wrk measured: requests a second, its 99th percentile as it prints it, and how many
/// answers were not 2xx.
struct Wrk {
    rate: String,
    p99: String,
    failed: u64,
}

/// Runs wrk (Debian's `wrk`) with 2 threads and 16 keep-alive connections for 5 s; `None`
/// when it is not installed.
async fn wrk(token: &str, url: &str, script: Option<(&Path, &str)>) -> anyhow::Result<Option<Wrk>> {
    let mut command = tokio::process::Command::new("wrk");
    command
        .args(["-t2", "-c16", "-d5s", "--latency", "-H"])
        .arg(format!("Authorization: Bearer {token}"));
    if let Some((path, _)) = script {
        command.arg("-s").arg(path);
    }
    command.arg(url);
    if let Some((_, run)) = script {
        command.args(["--", run]);
    }
    let out = match command.output().await {
        Ok(out) => out,
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => return Ok(None),
        Err(e) => return Err(e.into()),
    };
    let text = String::from_utf8_lossy(&out.stdout);
    let field = |prefix: &str| {
        text.lines()
            .map(str::trim)
            .find_map(|l| l.strip_prefix(prefix))
            .map(|v| v.trim().to_owned())
    };
    Ok(Some(Wrk {
        rate: field("Requests/sec:").with_context(|| format!("wrk said: {text}"))?,
        p99: field("99%").unwrap_or_default(),
        failed: field("Non-2xx or 3xx responses:").map_or(Ok(0), |n| n.parse())?,
    }))
}

/// The figures of `seira bench`, as Markdown tables.
pub fn api_bench(args: &ApiArgs) -> anyhow::Result<ExitCode> {
    let runtime = tokio::runtime::Runtime::new()?;
    runtime.block_on(async {
        let dir = tempfile::tempdir()?;
        let limit = {
            let path = dir.path().join("fsync.db");
            tokio::task::spawn_blocking(move || {
                seira_server::store::commit_rate(&path, Duration::from_secs(3))
            })
            .await??
        };
        let config = dir.path().join("bench.toml");
        std::fs::write(&config, bench_config())?;
        let server = start_server(dir.path(), &config).await?;
        let db = dir.path().join("bench.db");
        let config = config.to_str().context("temporary path is not UTF-8")?;
        let site = ["--site", "bench", "--config", config];
        let kiosk = token(&db, &[&["--role", "kiosk"][..], &site].concat())?;
        let display = token(&db, &[&["--role", "display"][..], &site].concat())?;
        let staff: Vec<String> = (1..=DESKS)
            .map(|d| {
                let desk = format!("desk-{d}");
                token(
                    &db,
                    &["--role", "staff", "--desk", &desk, "--config", config],
                )
            })
            .collect::<Result<_, _>>()?;
        let bench = Bench {
            http: reqwest::Client::builder()
                .pool_max_idle_per_host(64)
                .build()?,
            base: format!("http://{}", server.addr),
            kiosk,
            display,
            staff,
        };
        let memory_at_start = server.memory();
        println!(
            "seira {} bench: one server process, loopback HTTP, keep-alive",
            env!("CARGO_PKG_VERSION")
        );
        println!();
        println!(
            "The disk's limit: {limit:.0} one-row SQLite commits/s (WAL, synchronous=FULL, \
             one connection, the same folder as the server's database)."
        );
        println!();
        println!("| waiting | operation | clients | requests | throughput | p50 | p99 |");
        println!("| --- | --- | --- | --- | --- | --- | --- |");
        let mut waiting = 0;
        let mut wrk_lines = Vec::new();
        for &backlog in &args.backlogs {
            if backlog > waiting {
                bench
                    .issue(DESKS, backlog - waiting, &format!("backlog-{backlog}"))
                    .await?;
                waiting = backlog;
            }
            let label = waiting.to_string();
            for &clients in &args.clients {
                let clients = clients.clamp(1, DESKS);
                let run = format!("{backlog}-{clients}");
                let mut issued = bench.issue(clients, args.tickets, &run).await?;
                println!("{}", issued.line(&label, "issue ticket", clients));
                let mut called = bench.call(clients, args.tickets).await?;
                println!(
                    "{}",
                    called.line(&label, "call cycle (call-next, start, done)", clients)
                );
                let mut read = bench.board(clients, args.board_reads).await?;
                println!("{}", read.line(&label, "board read", clients));
            }
            let board = format!("{}/api/v1/sites/bench/board", bench.base);
            if let Some(w) = wrk(&bench.display, &board, None).await? {
                wrk_lines.push(format!(
                    "| {label} | board read | {} | {} | {} |",
                    w.rate, w.p99, w.failed
                ));
            }
        }
        let script = dir.path().join("issue.lua");
        std::fs::write(&script, include_str!("../../../scripts/wrk/issue.lua"))?;
        let tickets = format!("{}/api/v1/sites/bench/tickets", bench.base);
        if let Some(w) = wrk(&bench.kiosk, &tickets, Some((&script, "wrk"))).await? {
            wrk_lines.push(format!(
                "| from {waiting} | issue ticket | {} | {} | {} |",
                w.rate, w.p99, w.failed
            ));
        }
        println!();
        if wrk_lines.is_empty() {
            println!("wrk is not installed (`apt install wrk`): no independent figures.");
        } else {
            println!("wrk -t2 -c16 -d5s --latency (2 threads, 16 keep-alive connections, 5 s):");
            println!();
            println!("| waiting | operation | requests/s | p99 | not 2xx |");
            println!("| --- | --- | --- | --- | --- |");
            for line in &wrk_lines {
                println!("{line}");
            }
        }
        if args.subscribers > 0 {
            let (mut delays, before, most) =
                stream_phase(&bench, &server, args.subscribers, args.stream_calls).await?;
            delays.latencies.sort();
            println!();
            println!(
                "Event stream: {} subscribers, {} calls 20 ms apart: call-next sent → \
                 `ticket_called` at each subscriber: p50 {:.2} ms, p99 {:.2} ms, max {:.2} ms \
                 ({} deliveries). Server threads: {before} before the streams opened, at most \
                 {most} while the calls went out.",
                args.subscribers,
                args.stream_calls,
                percentile(&delays.latencies, 0.50),
                percentile(&delays.latencies, 0.99),
                percentile(&delays.latencies, 1.0),
                delays.count,
            );
        }
        // At rest: the streams are closed, nothing is in flight, and the housekeeping (every
        // 30 s) has given freed memory back.
        tokio::time::sleep(Duration::from_secs(31)).await;
        println!();
        println!("Server memory (VmRSS): {memory_at_start} at start;");
        println!("{} at rest after the runs.", server.memory());
        anyhow::Ok(ExitCode::SUCCESS)
    })
}
