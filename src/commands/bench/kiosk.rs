//! `seira bench --kiosk`: from a touch to the ticket's first byte at the printer.

use std::process::ExitCode;
use std::time::{Duration, Instant};

use anyhow::{Context, bail};

use super::*;

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
pub(super) fn kiosk_bench(touches: usize) -> anyhow::Result<ExitCode> {
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
        pin: None,
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
        speech: seira_kiosk::SpeechOutput::Silent,
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
