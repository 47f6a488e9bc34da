//! `seira bench`: issuing and calling over loopback HTTP, and the server's memory.

use std::process::ExitCode;
use std::time::{Duration, Instant};

use anyhow::{Context, bail};

use super::*;

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

/// Issuing and calling over loopback HTTP at each client count, and the server's memory.
pub fn api_bench(tickets: usize, clients: &[usize]) -> anyhow::Result<ExitCode> {
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
        for (run, &clients) in clients.iter().enumerate() {
            let clients = clients.clamp(1, DESKS);
            let mut issued = issue_phase(&http, &base, &kiosk, clients, tickets, run).await?;
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
