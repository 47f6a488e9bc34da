//! `seira kiosk` (and the `seira-kiosk` binary of its package): the touch kiosk at the
//! entrance.

use std::process::ExitCode;
use std::time::Duration;

use seira_hardware::PrinterSpec;
use seira_kiosk::{Settings, Setup};

use super::device_file::{self, KioskFile};

#[derive(clap::Args)]
pub struct Args {
    #[command(flatten)]
    device: super::DeviceArgs,
    /// The ticket printer: serial:/dev/ttyUSB0[@baud], usb:VID:PID, tcp:HOST:PORT or file:PATH
    /// (file:/dev/usb/lp0 for a printer the kernel's usblp driver holds). Without one the
    /// kiosk only shows (and speaks) the number.
    #[arg(long, env = "SEIRA_PRINTER")]
    printer: Option<String>,
    /// Printer profile: epson-tm, epson-tm-58, generic-80 (the default), generic-58, star.
    #[arg(long)]
    profile: Option<String>,
    /// Greek code page, with `:N` when the model numbers it differently (see print-test).
    #[arg(long)]
    codepage: Option<String>,
    /// The language row, in order, the first the default: any of el, en, ar, fa, uk, sq
    /// (default: all six).
    #[arg(long, value_delimiter = ',')]
    languages: Option<Vec<String>>,
    /// Skip the priority step (disability, pregnancy, 65+).
    #[arg(long)]
    no_priority_step: bool,
    /// Hide closed services instead of greying them.
    #[arg(long)]
    hide_closed: bool,
    /// Do not speak.
    #[arg(long)]
    silent: bool,
    /// Where the voice goes: device (the sound card, the default), none, or files:DIR (each
    /// thing said as a WAV file with its language and words beside it, to check a kiosk
    /// without speakers).
    #[arg(long)]
    sound: Option<seira_kiosk::SpeechOutput>,
    /// Seconds a screen of choices waits untouched before asking "Do you need more time?"
    /// (default 30).
    #[arg(long)]
    idle_seconds: Option<u64>,
    /// Seconds that question waits for a touch or a key before going back to the start
    /// (default 15).
    #[arg(long)]
    more_time_seconds: Option<u64>,
    /// Seconds the printed ticket stays on screen (default 10).
    #[arg(long)]
    ticket_seconds: Option<u64>,
    /// Milliseconds after a keypad key during which the same key again does not count, for a
    /// hand that trembles (0, the default: every press counts; at most 2000).
    #[arg(long)]
    double_strike_ms: Option<u64>,
    /// A normal window instead of full screen (development).
    #[arg(long)]
    windowed: bool,
    /// Check the settings and the printer's address, say what the kiosk would use, and quit
    /// without opening a window.
    #[arg(long)]
    check: bool,
}

pub fn run(args: Args) -> anyhow::Result<ExitCode> {
    let file: KioskFile = device_file::load(args.device.file())?;
    let connection =
        args.device
            .connection(file.server, file.site, file.token, file.fingerprint)?;
    let profile_name = args
        .profile
        .or(file.profile)
        .unwrap_or_else(|| "generic-80".to_owned());
    let profile =
        super::printer_profile(&profile_name, args.codepage.or(file.codepage).as_deref())?;
    let printer = match args
        .printer
        .or(file.printer)
        .filter(|p| !p.trim().is_empty())
    {
        Some(spec) => Some(spec.parse::<PrinterSpec>().map_err(anyhow::Error::msg)?),
        None => None,
    };
    let languages = args.languages.or(file.languages).unwrap_or_else(|| {
        seira_kiosk::texts::LANGUAGES
            .iter()
            .map(|l| (*l).to_owned())
            .collect()
    });
    if let Some(unknown) = languages
        .iter()
        .find(|l| !seira_kiosk::texts::LANGUAGES.contains(&l.as_str()))
    {
        anyhow::bail!(
            "the kiosk has no texts in `{unknown}`: use {}",
            seira_kiosk::texts::LANGUAGES.join(", ")
        );
    }
    if languages.is_empty() {
        anyhow::bail!("give at least one language");
    }
    let usual = Settings::default();
    let seconds =
        |flag: Option<u64>, file: Option<u64>, name: &str, usual: Duration| match flag.or(file) {
            Some(s) if !(3..=600).contains(&s) => {
                anyhow::bail!("{name} must be between 3 and 600 seconds, not {s}")
            }
            Some(s) => Ok(Duration::from_secs(s)),
            None => Ok(usual),
        };
    let settings = Settings {
        site: connection.site.clone(),
        languages: languages.clone(),
        ask_priority: !args.no_priority_step && file.priority_step.unwrap_or(true),
        show_closed: !args.hide_closed && !file.hide_closed.unwrap_or(false),
        idle_after: seconds(
            args.idle_seconds,
            file.idle_seconds,
            "idle_seconds",
            usual.idle_after,
        )?,
        more_time_for: seconds(
            args.more_time_seconds,
            file.more_time_seconds,
            "more_time_seconds",
            usual.more_time_for,
        )?,
        home_after: seconds(
            args.ticket_seconds,
            file.ticket_seconds,
            "ticket_seconds",
            usual.home_after,
        )?,
        double_strike: match args.double_strike_ms.or(file.double_strike_ms) {
            Some(ms) if ms > 2000 => {
                anyhow::bail!("double_strike_ms must be between 0 and 2000, not {ms}")
            }
            Some(ms) => Duration::from_millis(ms),
            None => usual.double_strike,
        },
        ..usual
    };
    let speech = match (args.sound, args.silent || !file.speech.unwrap_or(true)) {
        (_, true) => seira_kiosk::SpeechOutput::Silent,
        (Some(sound), false) => sound,
        (None, false) => seira_kiosk::SpeechOutput::Device,
    };
    if args.check {
        println!("server    {}", connection.server);
        println!("site      {}", connection.site);
        println!("languages {}", languages.join(", "));
        match &printer {
            Some(p) => println!("printer   {p} ({profile_name})"),
            None => println!("printer   none: the kiosk shows the number only"),
        }
        println!("speech    {speech:?}");
        println!(
            "timeouts  asks for more time after {} s untouched, waits {} s for an answer; \
             a ticket stays {} s",
            settings.idle_after.as_secs(),
            settings.more_time_for.as_secs(),
            settings.home_after.as_secs()
        );
        match settings.double_strike.as_millis() {
            0 => println!("keys      every press counts"),
            ms => println!("keys      the same key again within {ms} ms counts once"),
        }
        return Ok(ExitCode::SUCCESS);
    }
    let setup = Setup {
        pin: connection.pin,
        server: connection.server,
        token: connection.token,
        site: connection.site,
        printer,
        profile,
        printer_timeout: Duration::from_secs(2),
        speech,
    };
    seira_kiosk::run(settings, setup, args.windowed)
        .map_err(|e| anyhow::anyhow!("the kiosk window failed: {e}"))?;
    Ok(ExitCode::SUCCESS)
}
