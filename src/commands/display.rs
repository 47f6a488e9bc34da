//! `seira display`: the lobby screen that shows and speaks the calls.

use std::path::PathBuf;
use std::process::ExitCode;

use seira_display::Settings;
use seira_display::speech::{self, Output};

#[derive(clap::Args)]
pub struct Args {
    #[command(flatten)]
    device: super::DeviceArgs,
    /// The screen's languages, the main one first; the second is shown smaller under it.
    #[arg(long, value_delimiter = ',', default_value = "el,en")]
    languages: Vec<String>,
    /// The languages each call is spoken in, in order (el, en).
    #[arg(long, value_delimiter = ',', default_value = "el,en")]
    speak: Vec<String>,
    /// Where the sound goes: device (the default sound card), none, or files:DIR (each call
    /// as a WAV file with its words beside it, to check a setup without speakers).
    #[arg(long, default_value = "device")]
    sound: Output,
    /// The clock's time zone.
    #[arg(long, default_value = "Europe/Athens")]
    time_zone: String,
    /// A normal window instead of full screen (development).
    #[arg(long)]
    windowed: bool,
    /// The window's size when windowed, e.g. 1920x1080 (or 1080x1920 for a portrait screen).
    #[arg(long, default_value = "1920x1080", value_parser = parse_size)]
    size: (u32, u32),
    /// Save a picture of the screen to this PNG file once the board is shown, then quit.
    #[arg(long)]
    screenshot: Option<PathBuf>,
}

fn parse_size(s: &str) -> Result<(u32, u32), String> {
    let (w, h) = s
        .split_once('x')
        .ok_or_else(|| format!("{s:?} is not WIDTHxHEIGHT"))?;
    let number = |n: &str| {
        n.parse::<u32>()
            .ok()
            .filter(|n| (200..=8192).contains(n))
            .ok_or_else(|| format!("{n:?} is not a size between 200 and 8192 pixels"))
    };
    Ok((number(w)?, number(h)?))
}

pub fn run(args: Args) -> anyhow::Result<ExitCode> {
    let shown = seira_display::view::languages();
    if let Some(unknown) = args.languages.iter().find(|l| !shown.contains(l)) {
        anyhow::bail!(
            "the display has no texts in `{unknown}`: use {}",
            shown.join(", ")
        );
    }
    if let Some(unknown) = args
        .speak
        .iter()
        .find(|l| !speech::LANGUAGES.contains(&l.as_str()))
    {
        anyhow::bail!(
            "the display cannot speak `{unknown}`: use {}",
            speech::LANGUAGES.join(", ")
        );
    }
    if args.languages.is_empty() {
        anyhow::bail!("give at least one language");
    }
    let zone = jiff::tz::TimeZone::get(&args.time_zone)
        .map_err(|e| anyhow::anyhow!("unknown time zone {:?}: {e}", args.time_zone))?;
    seira_display::run(Settings {
        server: args.device.server,
        site: args.device.site,
        token: args.device.token,
        languages: args.languages,
        speak: args.speak,
        sound: args.sound,
        windowed: args.windowed,
        size: args.size,
        screenshot: args.screenshot,
        zone,
    })?;
    Ok(ExitCode::SUCCESS)
}
