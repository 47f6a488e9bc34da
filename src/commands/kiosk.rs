//! `seira kiosk`: the touch kiosk at the entrance.

use std::process::ExitCode;
use std::time::Duration;

use seira_hardware::PrinterSpec;
use seira_kiosk::{Settings, Setup};

#[derive(clap::Args)]
pub struct Args {
    #[command(flatten)]
    device: super::DeviceArgs,
    /// The ticket printer: serial:/dev/ttyUSB0[@baud], usb:VID:PID, tcp:HOST:PORT or file:PATH.
    /// Without one the kiosk only shows (and speaks) the number.
    #[arg(long, env = "SEIRA_PRINTER")]
    printer: Option<String>,
    /// Printer profile: epson-tm, epson-tm-58, generic-80, generic-58, star.
    #[arg(long, default_value = "generic-80")]
    profile: String,
    /// Greek code page, with `:N` when the model numbers it differently (see print-test).
    #[arg(long)]
    codepage: Option<String>,
    /// The language row, in order, the first the default: any of el, en, ar, fa, uk, sq.
    #[arg(long, value_delimiter = ',', default_value = "el,en,ar,fa,uk,sq")]
    languages: Vec<String>,
    /// Skip the priority step (disability, pregnancy, 65+).
    #[arg(long)]
    no_priority_step: bool,
    /// Hide closed services instead of greying them.
    #[arg(long)]
    hide_closed: bool,
    /// Do not speak.
    #[arg(long)]
    silent: bool,
    /// A normal window instead of full screen (development).
    #[arg(long)]
    windowed: bool,
}

pub fn run(args: Args) -> anyhow::Result<ExitCode> {
    let profile = super::printer_profile(&args.profile, args.codepage.as_deref())?;
    let printer = match &args.printer {
        Some(spec) => Some(spec.parse::<PrinterSpec>().map_err(anyhow::Error::msg)?),
        None => None,
    };
    if let Some(unknown) = args
        .languages
        .iter()
        .find(|l| !seira_kiosk::texts::LANGUAGES.contains(&l.as_str()))
    {
        anyhow::bail!(
            "the kiosk has no texts in `{unknown}`: use {}",
            seira_kiosk::texts::LANGUAGES.join(", ")
        );
    }
    if args.languages.is_empty() {
        anyhow::bail!("give at least one language");
    }
    let settings = Settings {
        site: args.device.site.clone(),
        languages: args.languages.clone(),
        ask_priority: !args.no_priority_step,
        show_closed: !args.hide_closed,
        ..Settings::default()
    };
    let setup = Setup {
        server: args.device.server,
        token: args.device.token,
        site: args.device.site,
        printer,
        profile,
        printer_timeout: Duration::from_secs(2),
        speech: !args.silent,
    };
    seira_kiosk::run(settings, setup, args.windowed)
        .map_err(|e| anyhow::anyhow!("the kiosk window failed: {e}"))?;
    Ok(ExitCode::SUCCESS)
}
