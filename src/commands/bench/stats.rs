//! `seira bench --stats`: the statistics over a busy centre's years.

use std::process::ExitCode;
use std::time::{Duration, Instant};

/// The statistics over databases of a busy centre's years: each size is a fresh database with
/// that many served tickets over 250 working days ending yesterday; the figures for the last
/// month (30 days) and for the last year (365 days) are computed five times each, as the page
/// and the API compute them (read, then arithmetic), and the median is reported.
pub(super) fn stats_bench(sizes: &[u64]) -> anyhow::Result<ExitCode> {
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
