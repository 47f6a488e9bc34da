//! `seira bench --display`: from a call to the display's board, and the idle window.

use std::process::ExitCode;
use std::time::{Duration, Instant};

use anyhow::Context;

use super::*;

/// From `call-next` sent to the call on the display's board: the server commits and
/// publishes the event, the display's feed receives it over the event stream and the board
/// takes it (the same code the window runs, which the feed wakes at once). Then, with an X
/// display, the real window's idle CPU and memory.
pub(super) fn display_bench(calls: usize, idle_seconds: u64) -> anyhow::Result<ExitCode> {
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
