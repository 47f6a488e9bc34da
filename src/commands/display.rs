//! `seira display` (and the `seira-display` binary of its package): the lobby screen that
//! shows and speaks the calls.

use std::path::PathBuf;
use std::process::ExitCode;

use seira_display::Settings;
use seira_display::speech::{self, Output};
use seira_display::view::SecondLine;

use super::device_file::{self, DisplayFile};

#[derive(clap::Args)]
pub struct Args {
    #[command(flatten)]
    device: super::DeviceArgs,
    /// The screen's languages, the main one first; the second is shown smaller under it
    /// (default: el,en): any of el, en, ar, fa, uk, sq.
    #[arg(long, value_delimiter = ',')]
    languages: Option<Vec<String>>,
    /// Which language the second line is in: fixed (the second of --languages), rotate
    /// (those after the first, in turn, 10 s each), or newest-call (the language the newest
    /// call's ticket was taken in).
    #[arg(long)]
    second_line: Option<SecondLine>,
    /// The languages each call is spoken in, in order (default: el,en); the language the
    /// citizen took the ticket in is said after the first: any of el, en, ar, fa, uk, sq.
    #[arg(long, value_delimiter = ',')]
    speak: Option<Vec<String>>,
    /// Where the sound goes: device (the default sound card), none, or files:DIR (each call
    /// as a WAV file with its words beside it, to check a setup without speakers).
    #[arg(long)]
    sound: Option<Output>,
    /// The clock's time zone (default: Europe/Athens).
    #[arg(long)]
    time_zone: Option<String>,
    /// A normal window instead of full screen (development).
    #[arg(long)]
    windowed: bool,
    /// The window's size when windowed, e.g. 1920x1080 (or 1080x1920 for a portrait screen).
    #[arg(long, default_value = "1920x1080", value_parser = parse_size)]
    size: (u32, u32),
    /// Save a picture of the screen to this PNG file once the board is shown, then quit.
    #[arg(long)]
    screenshot: Option<PathBuf>,
    /// Check the settings, say what the display would use, and quit without a window.
    #[arg(long)]
    check: bool,
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
    let file: DisplayFile = device_file::load(args.device.file())?;
    let connection =
        args.device
            .connection(file.server, file.site, file.token, file.fingerprint)?;
    let two = || vec!["el".to_owned(), "en".to_owned()];
    let languages = args.languages.or(file.languages).unwrap_or_else(two);
    let speak = args.speak.or(file.speak).unwrap_or_else(two);
    let second_line = match (args.second_line, file.second_line) {
        (Some(second), _) => second,
        (None, Some(second)) => second.parse().map_err(anyhow::Error::msg)?,
        (None, None) => SecondLine::Fixed,
    };
    let sound = match (args.sound, file.sound) {
        (Some(sound), _) => sound,
        (None, Some(sound)) => sound.parse().map_err(anyhow::Error::msg)?,
        (None, None) => Output::Device,
    };
    let time_zone = args
        .time_zone
        .or(file.time_zone)
        .unwrap_or_else(|| "Europe/Athens".to_owned());
    let shown = seira_display::view::languages();
    if let Some(unknown) = languages.iter().find(|l| !shown.contains(l)) {
        anyhow::bail!(
            "the display has no texts in `{unknown}`: use {}",
            shown.join(", ")
        );
    }
    if let Some(unknown) = speak
        .iter()
        .find(|l| !speech::LANGUAGES.contains(&l.as_str()))
    {
        anyhow::bail!(
            "the display cannot speak `{unknown}`: use {}",
            speech::LANGUAGES.join(", ")
        );
    }
    if languages.is_empty() {
        anyhow::bail!("give at least one language");
    }
    let zone = jiff::tz::TimeZone::get(&time_zone)
        .map_err(|e| anyhow::anyhow!("unknown time zone {time_zone:?}: {e}"))?;
    if args.check {
        println!("server    {}", connection.server);
        println!("site      {}", connection.site);
        println!("languages {}", languages.join(", "));
        println!("second    {second_line:?}");
        println!(
            "speaks    {}, with the ticket's own language after the first",
            speak.join(", ")
        );
        println!("sound     {sound:?}");
        println!("time zone {time_zone}");
        return Ok(ExitCode::SUCCESS);
    }
    seira_display::run(Settings {
        pin: connection.pin,
        server: connection.server,
        site: connection.site,
        token: connection.token,
        languages,
        second_line,
        speak,
        sound,
        windowed: args.windowed,
        size: args.size,
        screenshot: args.screenshot,
        zone,
    })?;
    Ok(ExitCode::SUCCESS)
}
