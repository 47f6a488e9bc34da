//! The calls spoken aloud: a chime, then the call in Greek, then in the language the citizen
//! took the ticket in, then in the site's other languages (English, where it asks for it),
//! as one announcement. One thread plays them strictly one after another, so two calls never
//! talk over each other, and a burst of calls is simply a queue.
//!
//! Speech is espeak-ng, offline. Without a sound device (or without espeak-ng) the display goes
//! on silently: a warning in the log, never a crash. A language whose voice is missing is
//! said so once in the log, and the call is said in the others.

use std::path::{Path, PathBuf};
use std::process::Command;
use std::sync::mpsc::{Receiver, Sender};
use std::thread::JoinHandle;

use crate::announce;
use crate::board::Announcement;

/// espeak-ng speaks at 22,050 samples a second; the chime is made at the same rate.
const RATE: u32 = 22_050;
/// Words a minute: a little slower than espeak-ng's 175, for a noisy lobby.
const WORDS_PER_MINUTE: &str = "145";

pub use seira_voice::Output;

/// Speaks announcements in order, on its own thread.
pub struct Speaker {
    queue: Sender<Announcement>,
    _thread: JoinHandle<()>,
}

impl Speaker {
    /// `languages` are the site's, spoken in order for each call, with the ticket's own
    /// language after the first; see [`words`].
    pub fn spawn(output: Output, languages: Vec<String>) -> std::io::Result<Speaker> {
        let (queue, calls) = std::sync::mpsc::channel();
        let thread = std::thread::Builder::new()
            .name("display-speech".into())
            .spawn(move || speak_all(output, &languages, calls))?;
        Ok(Speaker {
            queue,
            _thread: thread,
        })
    }

    /// Queues one call; it is spoken when those before it are done.
    pub fn say(&self, call: Announcement) {
        let _ = self.queue.send(call);
    }
}

fn speak_all(output: Output, languages: &[String], calls: Receiver<Announcement>) {
    let mut sink = Sink::open(output);
    // The languages said to be silent, so that each is logged once: those without a voice
    // are found at the start, where IT looks, not at the first call in them.
    let mut unheard = voiceless(&LANGUAGES);
    for (n, call) in calls.iter().enumerate() {
        let mut words = words(&call, languages);
        let mut clip = chime();
        clip.extend(silence(0.3));
        words.retain(|(lang, _)| !unheard.contains(lang));
        words.retain(|(lang, text)| match synthesize(lang, text) {
            Ok(samples) => {
                clip.extend(samples);
                clip.extend(silence(0.5));
                true
            }
            Err(e) => {
                if !unheard.contains(lang) {
                    unheard.push(lang.clone());
                    tracing::warn!(
                        "no voice for `{lang}` ({e}): the calls are said without it \
                         (install espeak-ng-data, or leave `{lang}` out of --speak)"
                    );
                }
                false
            }
        });
        let texts: Vec<&str> = words.iter().map(|(_, text)| text.as_str()).collect();
        sink.play(n + 1, &clip, &texts);
    }
}

/// What is said for a call, per language: the site's first language (Greek), then the
/// language the ticket was taken in, then the site's others, each once.
fn words(call: &Announcement, languages: &[String]) -> Vec<(String, String)> {
    let desk = |lang: &str| seira_protocol::InLang::in_lang(&call.desk_names, lang).to_owned();
    let mut order: Vec<&str> = Vec::new();
    let citizen = call
        .lang
        .as_deref()
        .filter(|l| announce::LANGUAGES.contains(l));
    for lang in languages
        .iter()
        .map(String::as_str)
        .take(1)
        .chain(citizen)
        .chain(languages.iter().skip(1).map(String::as_str))
    {
        if !order.contains(&lang) {
            order.push(lang);
        }
    }
    order
        .into_iter()
        .filter_map(|lang| {
            let text = announce::call(lang, &call.number, &desk(lang))?;
            Some((lang.to_owned(), text))
        })
        .collect()
}

/// The languages the announcements can be spoken in.
pub const LANGUAGES: [&str; 6] = announce::LANGUAGES;

/// Those of `languages` espeak-ng has no voice for, each said in the log (all of them, said
/// once, when espeak-ng cannot run at all).
fn voiceless(languages: &[&str]) -> Vec<String> {
    match seira_voice::voiceless(languages) {
        Ok(missing) => {
            for lang in &missing {
                tracing::warn!(
                    "espeak-ng has no voice for `{lang}`: calls are said without it \
                     (install espeak-ng-data)"
                );
            }
            missing
        }
        Err(e) => {
            tracing::warn!("speech unavailable (espeak-ng: {e}); the calls get the chime only");
            languages.iter().map(|l| (*l).to_owned()).collect()
        }
    }
}

/// Two bell-like notes, falling: heard over a busy room, and unlike any phone.
fn chime() -> Vec<f32> {
    let note = |hz: f32, seconds: f32| {
        let n = (seconds * RATE as f32) as usize;
        (0..n).map(move |i| {
            let t = i as f32 / RATE as f32;
            let tone = (std::f32::consts::TAU * hz * t).sin() * 0.7
                + (std::f32::consts::TAU * hz * 2.0 * t).sin() * 0.2
                + (std::f32::consts::TAU * hz * 3.0 * t).sin() * 0.1;
            // A quick start (no click) and a bell's decay.
            let attack = (t / 0.01).min(1.0);
            tone * attack * (-3.5 * t).exp() * 0.45
        })
    };
    note(784.0, 0.55).chain(note(622.0, 0.9)).collect()
}

fn silence(seconds: f32) -> impl Iterator<Item = f32> {
    std::iter::repeat_n(0.0, (seconds * RATE as f32) as usize)
}

/// The words as samples at [`RATE`], through espeak-ng.
fn synthesize(lang: &str, text: &str) -> Result<Vec<f32>, String> {
    let file = tempfile::Builder::new()
        .suffix(".wav")
        .tempfile()
        .map_err(|e| e.to_string())?;
    let status = Command::new("espeak-ng")
        .args(["-v", lang, "-s", WORDS_PER_MINUTE, "-w"])
        .arg(file.path())
        .arg(text)
        .output()
        .map_err(|e| format!("espeak-ng: {e}"))?;
    if !status.status.success() {
        return Err(format!(
            "espeak-ng: {}",
            String::from_utf8_lossy(&status.stderr).trim()
        ));
    }
    let mut reader = hound::WavReader::open(file.path()).map_err(|e| e.to_string())?;
    let spec = reader.spec();
    let samples: Vec<f32> = reader
        .samples::<i16>()
        .step_by(usize::from(spec.channels.max(1)))
        // espeak-ng speaks at full scale; a little below leaves room for the mixer.
        .map(|s| s.map(|s| f32::from(s) / f32::from(i16::MAX) * 0.85))
        .collect::<Result<_, _>>()
        .map_err(|e| e.to_string())?;
    Ok(resample(&samples, spec.sample_rate, RATE))
}

/// Linear resampling; espeak-ng already speaks at [`RATE`], so this is a safety net.
fn resample(samples: &[f32], from: u32, to: u32) -> Vec<f32> {
    if from == to || samples.is_empty() || from == 0 {
        return samples.to_vec();
    }
    let n = (samples.len() as u64 * u64::from(to) / u64::from(from)) as usize;
    (0..n)
        .map(|i| {
            let x = i as f64 * f64::from(from) / f64::from(to);
            let j = x as usize;
            let f = (x - j as f64) as f32;
            let a = samples[j.min(samples.len() - 1)];
            let b = samples[(j + 1).min(samples.len() - 1)];
            a + (b - a) * f
        })
        .collect()
}

/// Whether the system knows a sound card. Asked before opening the device, because ALSA
/// otherwise fills the log with a dozen lines of configuration errors when there is none.
/// Where it cannot be told (another system), the device is simply tried.
fn sound_card_present() -> bool {
    match std::fs::read_to_string("/proc/asound/cards") {
        Ok(cards) => !cards.contains("no soundcards") && !cards.trim().is_empty(),
        Err(_) => cfg!(not(target_os = "linux")),
    }
}

/// Where the clips go.
enum Sink {
    Device {
        player: rodio::Player,
        _device: rodio::MixerDeviceSink,
    },
    Files(PathBuf),
    Silent,
}

impl Sink {
    fn open(output: Output) -> Sink {
        match output {
            Output::Device if !sound_card_present() => {
                tracing::warn!(
                    "this computer has no sound card: the calls are shown but not heard \
                     (connect speakers or the TV's sound; `--sound none` silences this note)"
                );
                Sink::Silent
            }
            Output::Device => match rodio::DeviceSinkBuilder::open_default_sink() {
                Ok(mut device) => {
                    device.log_on_drop(false);
                    let player = rodio::Player::connect_new(device.mixer());
                    Sink::Device {
                        player,
                        _device: device,
                    }
                }
                Err(e) => {
                    tracing::warn!("no sound device ({e}); the calls are shown but not heard");
                    Sink::Silent
                }
            },
            Output::Files(dir) => match std::fs::create_dir_all(&dir) {
                Ok(()) => Sink::Files(dir),
                Err(e) => {
                    tracing::warn!("cannot write sound to {}: {e}", dir.display());
                    Sink::Silent
                }
            },
            Output::Silent => Sink::Silent,
        }
    }

    /// Plays one clip to its end before returning.
    fn play(&mut self, n: usize, clip: &[f32], texts: &[&str]) {
        match self {
            Sink::Device { player, .. } => {
                let (Some(channels), Some(rate)) =
                    (std::num::NonZero::new(1), std::num::NonZero::new(RATE))
                else {
                    return;
                };
                player.append(rodio::buffer::SamplesBuffer::new(
                    channels,
                    rate,
                    clip.to_vec(),
                ));
                player.sleep_until_end();
            }
            Sink::Files(dir) => {
                if let Err(e) = write_clip(dir, n, clip, texts) {
                    tracing::warn!("cannot write announcement {n}: {e}");
                }
            }
            Sink::Silent => {}
        }
    }
}

fn write_clip(dir: &Path, n: usize, clip: &[f32], texts: &[&str]) -> Result<(), String> {
    let spec = hound::WavSpec {
        channels: 1,
        sample_rate: RATE,
        bits_per_sample: 16,
        sample_format: hound::SampleFormat::Int,
    };
    let wav = dir.join(format!("{n:04}.wav"));
    let mut writer = hound::WavWriter::create(&wav, spec).map_err(|e| e.to_string())?;
    for &sample in clip {
        let value = (sample.clamp(-1.0, 1.0) * f32::from(i16::MAX)) as i16;
        writer.write_sample(value).map_err(|e| e.to_string())?;
    }
    writer.finalize().map_err(|e| e.to_string())?;
    // The words last, so that a reader that sees the text also finds the sound complete;
    // written aside and renamed, so that it is never seen half written.
    let part = dir.join(format!("{n:04}.txt.part"));
    std::fs::write(&part, texts.join("\n") + "\n")
        .and_then(|()| std::fs::rename(&part, dir.join(format!("{n:04}.txt"))))
        .map_err(|e| e.to_string())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn call() -> Announcement {
        Announcement {
            number: "A012".into(),
            desk_names: [
                ("el".to_owned(), "Γραφείο 3".to_owned()),
                ("en".to_owned(), "Office 3".to_owned()),
            ]
            .into_iter()
            .collect(),
            called_at: jiff::Timestamp::UNIX_EPOCH,
            lang: None,
        }
    }

    #[test]
    fn a_call_is_said_in_each_language_in_order() {
        let words = words(&call(), &["el".into(), "en".into(), "xx".into()]);
        assert_eq!(
            words,
            [
                (
                    "el".to_owned(),
                    "Ο αριθμός άλφα δώδεκα, στο Γραφείο τρία.".to_owned()
                ),
                (
                    "en".to_owned(),
                    "Number A twelve, please go to Office three.".to_owned()
                ),
            ]
        );
    }

    /// A ticket taken in Arabic is called in Greek, then Arabic, then English; one taken in
    /// English or Greek is not said twice; the desk is named in each language.
    #[test]
    fn a_call_is_said_in_the_citizens_language_after_greek() {
        let site = ["el".to_owned(), "en".to_owned()];
        let mut arabic = call();
        arabic.lang = Some("ar".into());
        arabic.desk_names.insert("ar".into(), "المكتب ٣".into());
        let said: Vec<String> = words(&arabic, &site).into_iter().map(|(l, _)| l).collect();
        assert_eq!(said, ["el", "ar", "en"]);
        assert_eq!(
            words(&arabic, &site)[1].1,
            "الرقم إيه اثنا عشر، يرجى التوجه إلى المكتب ثلاثة."
        );
        // A site that speaks Greek only still says the citizen's language.
        let said: Vec<String> = words(&arabic, &site[..1])
            .into_iter()
            .map(|(l, _)| l)
            .collect();
        assert_eq!(said, ["el", "ar"]);
        for lang in ["el", "en"] {
            let mut same = call();
            same.lang = Some(lang.into());
            let said: Vec<String> = words(&same, &site).into_iter().map(|(l, _)| l).collect();
            assert_eq!(said, ["el", "en"], "{lang}");
        }
        // A language the lobby has no words for is left out.
        let mut other = call();
        other.lang = Some("pt-BR".into());
        assert_eq!(words(&other, &site).len(), 2);
    }

    /// Every language's voice says its words: a clip comes back from espeak-ng for each.
    #[test]
    fn espeak_ng_has_a_voice_for_every_language() {
        for lang in LANGUAGES {
            let text = announce::call(lang, "A012", "3").unwrap();
            let samples = synthesize(lang, &text).unwrap_or_else(|e| panic!("{lang}: {e}"));
            assert!(samples.len() > RATE as usize, "{lang}: under a second");
        }
        assert!(
            synthesize("zz", "x").is_err(),
            "a missing voice is an error"
        );
        assert_eq!(voiceless(&LANGUAGES), Vec::<String>::new());
    }

    #[test]
    fn the_chime_is_short_and_never_clips() {
        let chime = chime();
        let seconds = chime.len() as f32 / RATE as f32;
        assert!((1.0..2.0).contains(&seconds), "{seconds} s");
        assert!(chime.iter().all(|s| s.abs() <= 1.0));
    }

    #[test]
    fn without_a_sound_card_the_calls_go_on_silently() {
        // On a machine without a sound card (CI, this one) the device output falls back to
        // silence; with one, the chime plays. Either way nothing panics and play returns.
        let mut sink = Sink::open(Output::Device);
        sink.play(1, &chime()[..2205], &["test"]);
        let speaker = Speaker::spawn(Output::Device, vec!["el".into()]).unwrap();
        speaker.say(call());
        speaker.say(call());
        drop(speaker);
    }

    #[test]
    fn resampling_keeps_the_length_in_time() {
        let samples = vec![0.5; 44_100];
        assert_eq!(resample(&samples, 44_100, RATE).len(), RATE as usize);
        assert_eq!(resample(&samples, RATE, RATE).len(), samples.len());
    }
}
