//! The kiosk's hands: the server and the printer, off the UI thread. The UI sends
//! [`Job`]s and receives [`Event`]s; neither side ever waits for the other, so a slow server or
//! a jammed printer never freezes the screen.
//!
//! - The network thread runs a small tokio runtime with the protocol client: it issues and
//!   voids tickets and reloads the services every 30 s (and after each ticket).
//! - The printer thread owns the printer: it prints jobs and asks the printer's state at least
//!   every 2 s, re-opening it when it was unplugged.
//! - Speech runs `espeak-ng` (offline) as a child process; a new announcement stops the last.

use std::process::{Child, Command, Stdio};
use std::sync::mpsc;
use std::time::Duration;

use seira_hardware::{PrintError, Printer, PrinterSpec, Profile, TicketContent, ticket};
use seira_protocol::{Client, ClientError, PrinterStatus};
use seira_voice::Output;

use crate::model::{Event, IssueError, Request};
use crate::voice::Volume;

/// How often the printer is asked its state.
pub const PRINTER_POLL: Duration = Duration::from_secs(2);
/// How often the services (open now, waiting counts) are reloaded.
pub const SERVICES_EVERY: Duration = Duration::from_secs(30);

/// Where the kiosk's hands reach.
#[derive(Debug, Clone)]
pub struct Setup {
    /// The server's address, e.g. `http://10.0.0.2:8080`.
    pub server: String,
    pub token: String,
    pub site: String,
    /// Over https: trust only the server certificate with this fingerprint.
    pub pin: Option<seira_protocol::fingerprint::Fingerprint>,
    /// `None`: no printer (tickets are only shown).
    pub printer: Option<PrinterSpec>,
    pub profile: Profile,
    pub printer_timeout: Duration,
    /// Where the kiosk's voice goes.
    pub speech: Output,
}

/// Work for the hands.
#[derive(Debug, Clone)]
pub enum Job {
    /// A ticket, or a check-in by code.
    Issue(Request),
    Void {
        ticket_id: String,
    },
    Print {
        ticket_id: String,
        content: Box<TicketContent>,
    },
    Speak {
        text: String,
        lang: String,
        volume: Volume,
    },
    ReloadServices,
    /// Tell the server the kiosk is alive, and how its printer is.
    Heartbeat(PrinterStatus),
}

/// How often the kiosk tells the server it is alive.
pub const HEARTBEAT_EVERY: Duration = seira_protocol::HEARTBEAT_EVERY;

/// The UI's end of the worker.
pub struct Worker {
    network: tokio::sync::mpsc::UnboundedSender<Job>,
    printer: Option<mpsc::Sender<(String, Box<TicketContent>)>>,
    speaker: Option<mpsc::Sender<Speech>>,
    pub events: mpsc::Receiver<Event>,
}

impl Worker {
    /// Starts the threads; `wake` is called after each event (to repaint the UI).
    pub fn start(setup: Setup, wake: impl Fn() + Send + Sync + 'static) -> Worker {
        let (events_tx, events) = mpsc::channel();
        let wake = std::sync::Arc::new(wake);
        let send = {
            let wake = wake.clone();
            move |tx: &mpsc::Sender<Event>, event| {
                let _ = tx.send(event);
                wake();
            }
        };
        let (network, jobs) = tokio::sync::mpsc::unbounded_channel();
        {
            let (tx, setup, send) = (events_tx.clone(), setup.clone(), send.clone());
            std::thread::Builder::new()
                .name("kiosk-network".into())
                .spawn(move || network_thread(setup, jobs, move |e| send(&tx, e)))
                .expect("a thread starts");
        }
        let printer = setup.printer.clone().map(|spec| {
            let (jobs_tx, jobs_rx) = mpsc::channel();
            let (tx, setup, send) = (events_tx.clone(), setup.clone(), send.clone());
            std::thread::Builder::new()
                .name("kiosk-printer".into())
                .spawn(move || printer_thread(spec, setup, jobs_rx, move |e| send(&tx, e)))
                .expect("a thread starts");
            jobs_tx
        });
        let speaker = (setup.speech != Output::Silent).then(|| {
            let (tx, rx) = mpsc::channel::<Speech>();
            let output = setup.speech.clone();
            std::thread::Builder::new()
                .name("kiosk-speech".into())
                .spawn(move || speech_thread(rx, output))
                .expect("a thread starts");
            tx
        });
        if setup.printer.is_none() {
            let _ = events_tx.send(Event::Printer(Ok(seira_hardware::PrinterState::Ready)));
        }
        Worker {
            network,
            printer,
            speaker,
            events,
        }
    }

    /// Hands a job over; never blocks.
    pub fn submit(&self, job: Job) {
        match job {
            Job::Print { ticket_id, content } => {
                if let Some(printer) = &self.printer {
                    let _ = printer.send((ticket_id, content));
                }
            }
            Job::Speak { text, lang, volume } => {
                if let Some(speaker) = &self.speaker {
                    let _ = speaker.send(Speech { text, lang, volume });
                }
            }
            other => {
                let _ = self.network.send(other);
            }
        }
    }
}

fn network_thread(
    setup: Setup,
    mut jobs: tokio::sync::mpsc::UnboundedReceiver<Job>,
    emit: impl Fn(Event) + Send + 'static,
) {
    let runtime = match tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
    {
        Ok(r) => r,
        Err(e) => {
            tracing::error!(error = %e, "the kiosk's network thread cannot start");
            return;
        }
    };
    runtime.block_on(async move {
        let client = match Client::pinned(&setup.server, Some(setup.token.clone()), setup.pin) {
            Ok(c) => c,
            Err(e) => {
                emit(Event::Services(Err(e.to_string())));
                return;
            }
        };
        let load = |client: Client, site: String| async move {
            client.services(&site).await.map_err(|e| e.to_string())
        };
        emit(Event::Services(load(client.clone(), setup.site.clone()).await));
        let mut every = tokio::time::interval(SERVICES_EVERY);
        every.tick().await;
        let mut alive = tokio::time::interval(HEARTBEAT_EVERY);
        let mut printer = if setup.printer.is_some() { PrinterStatus::Offline } else { PrinterStatus::None };
        loop {
            tokio::select! {
                _ = every.tick() => emit(Event::Services(load(client.clone(), setup.site.clone()).await)),
                _ = alive.tick() => {
                    if let Err(e) = client.heartbeat(&setup.site, printer).await {
                        tracing::debug!(error = %e, "heartbeat not heard");
                    }
                }
                job = jobs.recv() => match job {
                    None => break,
                    Some(Job::Issue(request)) => {
                        let request_id = request.request_id().to_owned();
                        let answer = match &request {
                            Request::Ticket(body) => client.issue(&setup.site, body).await,
                            Request::CheckIn { code, body } => {
                                client.check_in(&setup.site, code, body).await
                            }
                        };
                        let result = match answer {
                            Ok(ticket) => Ok(ticket),
                            Err(ClientError::Unreachable(_)) => Err(IssueError::Unreachable),
                            Err(ClientError::Api { error, .. }) => Err(IssueError::Refused(error.error)),
                            Err(ClientError::Protocol(_) | ClientError::Tls(_)) => {
                                Err(IssueError::Unreachable)
                            }
                        };
                        let issued = result.is_ok();
                        emit(Event::Issued { request_id, result });
                        if issued {
                            emit(Event::Services(load(client.clone(), setup.site.clone()).await));
                        }
                    }
                    Some(Job::Void { ticket_id }) => {
                        // A voided number must never be called: keep trying while it fails.
                        for attempt in 0..30 {
                            match client.void(&ticket_id).await {
                                Ok(_) | Err(ClientError::Api { .. }) => break,
                                Err(e) => {
                                    tracing::warn!(attempt, error = %e, "voiding a ticket failed; retrying");
                                    tokio::time::sleep(Duration::from_secs(2)).await;
                                }
                            }
                        }
                    }
                    Some(Job::Heartbeat(status)) => {
                        printer = status;
                        if let Err(e) = client.heartbeat(&setup.site, printer).await {
                            tracing::debug!(error = %e, "heartbeat not heard");
                        }
                    }
                    Some(Job::ReloadServices) => {
                        emit(Event::Services(load(client.clone(), setup.site.clone()).await));
                    }
                    Some(Job::Print { .. } | Job::Speak { .. }) => {}
                },
            }
        }
    });
}

fn printer_thread(
    spec: PrinterSpec,
    setup: Setup,
    jobs: mpsc::Receiver<(String, Box<TicketContent>)>,
    emit: impl Fn(Event),
) {
    let mut printer: Option<Printer> = None;
    let mut last: Option<Result<seira_hardware::PrinterState, String>> = None;
    loop {
        let job = match jobs.recv_timeout(PRINTER_POLL) {
            Ok(job) => Some(job),
            Err(mpsc::RecvTimeoutError::Timeout) => None,
            Err(mpsc::RecvTimeoutError::Disconnected) => return,
        };
        if printer.is_none() {
            printer = Printer::open(&spec, setup.printer_timeout).ok();
        }
        match (job, printer.as_mut()) {
            (Some((ticket_id, content)), Some(p)) => {
                let printed = ticket(&content, &setup.profile)
                    .map_err(|e| e.to_string())
                    .map(|bytes| p.print(&bytes));
                match printed {
                    // Sent, then no word: the paper may be out; the number must stand.
                    Ok(Err(e)) if e.may_have_printed() => {
                        printer = None;
                        emit(Event::PrintUnconfirmed {
                            ticket_id,
                            error: describe(&e),
                        });
                    }
                    printed => {
                        let result = printed.and_then(|r| r.map_err(|e| describe(&e)));
                        if result.is_err() {
                            printer = None;
                        }
                        emit(Event::Printed { ticket_id, result });
                    }
                }
            }
            (Some((ticket_id, _)), None) => {
                emit(Event::Printed {
                    ticket_id,
                    result: Err(format!("cannot open the printer {spec}")),
                });
            }
            (None, Some(p)) => {
                let state = p.status().map_err(|e| describe(&e));
                if state.is_err() {
                    printer = None;
                }
                if last.as_ref() != Some(&state) {
                    last = Some(state.clone());
                    emit(Event::Printer(state));
                }
            }
            (None, None) => {
                let state = Err(format!("cannot open the printer {spec}"));
                if last.as_ref() != Some(&state) {
                    last = Some(state.clone());
                    emit(Event::Printer(state));
                }
            }
        }
    }
}

fn describe(e: &PrintError) -> String {
    e.to_string()
}

/// One thing to say.
#[derive(Debug, Clone)]
struct Speech {
    text: String,
    lang: String,
    volume: Volume,
}

/// espeak-ng's arguments for `speech`: the voice of its language, a little slower than
/// espeak-ng's usual pace, and its volume.
fn espeak_args(speech: &Speech) -> Vec<String> {
    vec![
        "-v".into(),
        speech.lang.clone(),
        "-s".into(),
        "140".into(),
        "-a".into(),
        speech.volume.amplitude().to_string(),
    ]
}

/// Says in the log, once at the start, each kiosk language espeak-ng has no voice for (that
/// language is then silent at the kiosk).
fn check_voices() {
    // When espeak-ng cannot run at all, that is said at the first words.
    if let Ok(missing) = seira_voice::voiceless(&crate::texts::LANGUAGES) {
        for lang in missing {
            tracing::warn!(
                "espeak-ng has no voice for `{lang}`: the kiosk is silent in it \
                 (install espeak-ng-data)"
            );
        }
    }
}

/// Says each request, a new one cutting the last short (the person moved on).
fn speech_thread(requests: mpsc::Receiver<Speech>, output: Output) {
    check_voices();
    let mut speaking: Option<Child> = None;
    let mut warned = false;
    for (n, speech) in requests.into_iter().enumerate() {
        if let Some(mut child) = speaking.take() {
            let _ = child.kill();
            let _ = child.wait();
        }
        let mut command = Command::new("espeak-ng");
        command.args(espeak_args(&speech));
        if let Output::Files(dir) = &output {
            // The words first, whole (written aside, then renamed): a reader that finds the
            // sound finds its words too.
            let name = format!("{:04}", n + 1);
            let part = dir.join(format!("{name}.part"));
            let written = std::fs::create_dir_all(dir)
                .and_then(|()| std::fs::write(&part, format!("{}\n{}\n", speech.lang, speech.text)))
                .and_then(|()| std::fs::rename(&part, dir.join(format!("{name}.txt"))));
            if let Err(e) = written {
                tracing::warn!(error = %e, "cannot write what the kiosk says");
            }
            command.arg("-w").arg(dir.join(format!("{name}.wav")));
        }
        match command
            .arg(&speech.text)
            .stdout(Stdio::null())
            .stderr(Stdio::null())
            .spawn()
        {
            Ok(child) => speaking = Some(child),
            Err(e) if !warned => {
                warned = true;
                tracing::warn!(error = %e, "no speech: espeak-ng cannot run");
            }
            Err(_) => {}
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The loudness of what espeak-ng says at `volume`, in decibels of its RMS.
    fn loudness(volume: Volume) -> f64 {
        let dir = tempfile::tempdir().unwrap();
        let wav = dir.path().join("said.wav");
        let speech = Speech {
            text: "Ο αριθμός σας είναι άλφα δώδεκα, για Επιδόματα.".into(),
            lang: "el".into(),
            volume,
        };
        let status = Command::new("espeak-ng")
            .args(espeak_args(&speech))
            .arg("-w")
            .arg(&wav)
            .arg(&speech.text)
            .status()
            .expect("espeak-ng is installed (scripts/setup installs it)");
        assert!(status.success());
        let bytes = std::fs::read(&wav).unwrap();
        // espeak-ng writes a plain 44-byte header, then 16-bit samples.
        let samples: Vec<f64> = bytes[44..]
            .chunks_exact(2)
            .map(|b| f64::from(i16::from_le_bytes([b[0], b[1]])))
            .collect();
        let peak = samples.iter().fold(0.0f64, |p, s| p.max(s.abs()));
        assert!(peak < f64::from(i16::MAX) - 1.0, "{volume:?} clips");
        let mean_square = samples.iter().map(|s| s * s).sum::<f64>() / samples.len() as f64;
        10.0 * mean_square.log10()
    }

    /// EN 301 549 §8.2.1: the keypad's volume reaches over at least 18 dB, measured on what
    /// espeak-ng really says, and the loudest does not clip.
    #[test]
    fn the_volume_spans_18_db_of_real_speech() {
        let span = loudness(Volume::loudest()) - loudness(Volume::quietest());
        assert!(span >= 18.0, "{span:.1} dB");
    }
}
