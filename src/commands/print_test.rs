//! `seira print-test`: prints a sample ticket on a printer, and/or previews it as a PNG drawn
//! from the very bytes a printer would get.

use std::path::PathBuf;
use std::process::ExitCode;
use std::time::Duration;

use anyhow::{Context, bail};
use seira_hardware::{Printer, PrinterSpec, TicketContent, preview, ticket};
use seira_server::config::Config;

#[derive(clap::Args)]
pub struct Args {
    /// The printer: serial:/dev/ttyUSB0[@baud], usb:VID:PID (hex), tcp:HOST:PORT or file:PATH.
    #[arg(long)]
    printer: Option<String>,
    /// Printer profile: epson-tm, epson-tm-58, generic-80, generic-58, star.
    #[arg(long, default_value = "generic-80")]
    profile: String,
    /// Greek code page: cp737, cp1253 or iso8859-7, with `:N` for the model's `ESC t` number
    /// when it differs from the profile's.
    #[arg(long)]
    codepage: Option<String>,
    /// Language of the sample: el, en, ar, fa, uk or sq.
    #[arg(long, default_value = "el")]
    lang: String,
    /// A logo image (PNG, JPEG…) to print above the centre's name.
    #[arg(long)]
    logo: Option<PathBuf>,
    /// Also draw the ticket into this PNG file.
    #[arg(long)]
    preview: Option<PathBuf>,
    /// How long to wait for the printer, in milliseconds.
    #[arg(long, default_value_t = 2000)]
    timeout_ms: u64,
}

/// The sample's fixed words, per language: (people ahead and wait, footer).
fn words(lang: &str) -> Option<(&'static str, &'static str)> {
    Some(match lang {
        "el" => (
            "Μπροστά σας: 3 · Αναμονή περίπου 15 λεπτά",
            "Οι υπηρεσίες παρέχονται δωρεάν",
        ),
        "en" => (
            "Ahead of you: 3 · Wait about 15 minutes",
            "All services are free of charge",
        ),
        "ar" => ("أمامك: 3 · الانتظار نحو 15 دقيقة", "جميع الخدمات مجانية"),
        "fa" => (
            "پیش از شما: ۳ · انتظار حدود ۱۵ دقیقه",
            "همه خدمات رایگان است",
        ),
        "uk" => (
            "Перед вами: 3 · Очікування близько 15 хвилин",
            "Усі послуги безкоштовні",
        ),
        "sq" => (
            "Para jush: 3 · Pritje rreth 15 minuta",
            "Të gjitha shërbimet janë falas",
        ),
        _ => return None,
    })
}

pub fn run(args: Args) -> anyhow::Result<ExitCode> {
    if args.printer.is_none() && args.preview.is_none() {
        bail!("say --printer, --preview, or both");
    }
    let profile = super::printer_profile(&args.profile, args.codepage.as_deref())?;
    let (queue_line, footer) = words(&args.lang)
        .with_context(|| format!("no sample in `{}`: use el, en, ar, fa, uk or sq", args.lang))?;
    let config = Config::embedded();
    let site = &config.sites[0];
    let service = &site.services[0];
    let name_in = |names: &seira_protocol::Names| {
        seira_protocol::InLang::in_lang(names, &args.lang).to_owned()
    };
    let now = jiff::Timestamp::now().to_zoned_datetime(site.time_zone.clone());
    let content = TicketContent {
        centre: name_in(&site.names),
        number: format!("{}012", service.prefix),
        service: name_in(&service.names),
        issued: now.strftime("%d/%m/%Y %H:%M").to_string(),
        queue_line: queue_line.into(),
        track_url: "http://seira.local:8080/t/0123456789abcdef0123456789abcdef".into(),
        short_link: "seira.local:8080/t/KX7PQ-4MN2A".into(),
        footer: footer.into(),
        logo: match &args.logo {
            Some(path) => Some(
                seira_hardware::raster::logo(
                    path,
                    profile.width_dots as u32,
                    profile.width_dots as u32 * 2 / 3,
                )
                .with_context(|| format!("cannot read the logo {}", path.display()))?,
            ),
            None => None,
        },
    };
    let job = ticket(&content, &profile).context("the sample cannot be laid out")?;
    if let Some(path) = &args.preview {
        let image = preview::preview(&job, &profile).context("the job does not read back")?;
        image
            .save(path)
            .with_context(|| format!("cannot write {}", path.display()))?;
        eprintln!("preview: {}", path.display());
    }
    if let Some(spec) = &args.printer {
        let spec: PrinterSpec = spec.parse().map_err(anyhow::Error::msg)?;
        let mut printer = Printer::open(&spec, Duration::from_millis(args.timeout_ms))?;
        let state = printer.print(&job)?;
        eprintln!("printed on {spec}; the printer is now {state:?}");
    }
    Ok(ExitCode::SUCCESS)
}
