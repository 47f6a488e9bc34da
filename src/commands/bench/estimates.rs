//! `seira bench --estimates`: how far the estimated waits are from the real ones. Simulated
//! working days (`seira demo-data`, the same engine and clock) at every site of a
//! configuration, or a real centre's database with `--db`, replayed through each estimator
//! at every ticket's arrival (`seira_server::stats::estimates`).

use std::path::Path;
use std::process::ExitCode;

use seira_server::config::Config;
use seira_server::stats::estimates::{ESTIMATORS, ErrorRow};

/// Replays `days` working days ending yesterday: simulated ones for every site of `config`
/// (with `seed`), or those of a copy of the database at `db`.
pub(super) fn estimates_bench(
    config: &Config,
    days: u32,
    seed: u64,
    db: Option<&Path>,
) -> anyhow::Result<ExitCode> {
    let dir = tempfile::tempdir()?;
    let store = match db {
        // A copy, taken online: the centre's own file is only read, even by a migration.
        Some(path) => {
            let copy = dir.path().join("copy.db");
            seira_server::store::backup::backup(path, &copy)?;
            seira_server::store::Store::open(&copy)?
        }
        None => {
            let store = seira_server::store::Store::open(&dir.path().join("estimates.db"))?;
            let made = crate::commands::demo_data::fill_days(&store, config, days, seed)?;
            println!(
                "{} simulated working days, {} tickets (seed {seed})\n",
                made.days, made.tickets
            );
            store
        }
    };
    let to = jiff::Timestamp::now()
        .in_tz("Europe/Athens")?
        .date()
        .yesterday()?;
    let from = to.checked_sub(jiff::Span::new().days(i64::from(days) * 7 / 5 + 3))?;
    for site in &config.sites {
        let rows = store
            .read(|tx| seira_server::engine::estimate_errors(tx, config, &site.id, from, to))?;
        print_table(&site.id, &rows);
    }
    Ok(ExitCode::SUCCESS)
}

fn print_table(site: &str, rows: &[ErrorRow]) {
    println!("{site}:\n");
    let names: Vec<String> = ESTIMATORS
        .iter()
        .map(|e| format!("{e} MAE · ±5 min"))
        .collect();
    println!("| service | waits | mean wait | {} |", names.join(" | "));
    println!(
        "| --- | ---: | ---: |{}",
        " ---: |".repeat(ESTIMATORS.len())
    );
    for row in rows {
        let errors: Vec<String> = row
            .errors
            .iter()
            .map(|e| {
                format!(
                    "{:.1} min · {:.0} % · {:+.1}",
                    e.mae_min,
                    e.within_5_min * 100.0,
                    e.bias_min
                )
            })
            .collect();
        let key = if row.key == "total" {
            "**all**".to_owned()
        } else {
            row.key.clone()
        };
        println!(
            "| {key} | {} | {:.1} min | {} |",
            row.steps,
            row.mean_wait_min,
            errors.join(" | ")
        );
    }
    println!();
}
