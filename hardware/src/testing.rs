//! A scripted printer for tests: the far end of a real link (a `socat` pseudo-terminal pair,
//! or a TCP connection) that records every byte and answers status queries the way a real
//! printer does, or not at all. It stands in for the paper and the mechanism, not for any of
//! seira's code: the link, the driver and the bytes are the real ones.

use std::io::{Read, Write};
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::sync::mpsc;
use std::thread;
use std::time::Duration;

/// A Greek ticket as the kiosk would print it at Chania, for tests and samples.
pub fn sample_ticket() -> crate::TicketContent {
    crate::TicketContent {
        centre: "Κέντρο Κοινότητας Δήμου Χανίων".into(),
        number: "A012".into(),
        service: "Επιδόματα και ΚΕΑ: ενημέρωση και αιτήσεις".into(),
        issued: "23/11/2026 10:42".into(),
        queue_line: "Μπροστά σας: 3 · Αναμονή περίπου 15 λεπτά".into(),
        track_url: "http://10.0.0.2:8080/t/0123456789abcdef".into(),
        short_link: "seira.local/t/KX7PQ-4MN2A".into(),
        footer: "Οι υπηρεσίες παρέχονται δωρεάν".into(),
        logo: None,
    }
}

/// How the printer answers `DLE EOT 1..4`: `bytes`, or nothing when `None`; with
/// `silent_after_job`, nothing more once it has received a ticket (it hung while printing).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Answers {
    pub bytes: Option<[u8; 4]>,
    pub silent_after_job: bool,
}

const OK: u8 = 0x12;
const fn answers(bytes: Option<[u8; 4]>) -> Answers {
    Answers {
        bytes,
        silent_after_job: false,
    }
}
pub const READY: Answers = answers(Some([OK, OK, OK, OK]));
pub const PAPER_OUT: Answers = answers(Some([OK | 0x08, OK | 0x20, OK, OK | 0x60]));
pub const COVER_OPEN: Answers = answers(Some([OK | 0x08, OK | 0x04, OK, OK]));
pub const SILENT: Answers = answers(None);
/// Ready, then silent once a ticket has come (the job went out; no word after it).
pub const SILENT_AFTER_JOB: Answers = Answers {
    bytes: Some([OK, OK, OK, OK]),
    silent_after_job: true,
};

/// Plays the printer on `stream`; the receiver gets everything it was sent once the line
/// closes.
pub fn fake_printer<S: Read + Write + Send + 'static>(
    mut stream: S,
    answers: Answers,
) -> mpsc::Receiver<Vec<u8>> {
    let (done, received) = mpsc::channel();
    thread::spawn(move || {
        let mut all = Vec::new();
        let mut buf = [0u8; 4096];
        loop {
            let n = match stream.read(&mut buf) {
                Ok(0) | Err(_) => break,
                Ok(n) => n,
            };
            let start = all.len();
            all.extend_from_slice(&buf[..n]);
            let from = start.saturating_sub(2);
            let queries: Vec<u8> = all[from..]
                .windows(3)
                .filter(|w| w[0] == 0x10 && w[1] == 0x04 && (1..=4).contains(&w[2]))
                .map(|w| w[2])
                .collect();
            // A ticket is more than a status query: it has gone out to the paper.
            let job_seen = all.len() > 64;
            if let Some(bytes) = answers.bytes
                && !(answers.silent_after_job && job_seen)
            {
                for n in queries {
                    let _ = stream.write_all(&[bytes[n as usize - 1]]);
                    let _ = stream.flush();
                }
            }
        }
        let _ = done.send(all);
    });
    received
}

/// A serial line: a `socat` pseudo-terminal pair. The host opens [`Pty::host_end`] as a serial
/// port; the printer plays on [`Pty::printer_end`].
pub struct Pty {
    socat: Child,
    pub printer_end: PathBuf,
    pub host_end: PathBuf,
    _dir: PathBuf,
}

impl Drop for Pty {
    fn drop(&mut self) {
        let _ = self.socat.kill();
        let _ = self.socat.wait();
        let _ = std::fs::remove_dir_all(&self._dir);
    }
}

impl Pty {
    /// Starts `socat` (Debian package `socat`) and waits for both ends.
    pub fn new() -> std::io::Result<Pty> {
        let dir = std::env::temp_dir().join(format!(
            "seira-pty-{}-{}",
            std::process::id(),
            std::time::SystemTime::now()
                .duration_since(std::time::UNIX_EPOCH)
                .map(|d| d.as_nanos())
                .unwrap_or(0)
        ));
        std::fs::create_dir_all(&dir)?;
        let printer_end = dir.join("printer");
        let host_end = dir.join("host");
        let socat = Command::new("socat")
            .arg(format!("pty,raw,echo=0,link={}", printer_end.display()))
            .arg(format!("pty,raw,echo=0,link={}", host_end.display()))
            .stdout(Stdio::null())
            .stderr(Stdio::null())
            .spawn()?;
        for _ in 0..200 {
            if printer_end.exists() && host_end.exists() {
                break;
            }
            thread::sleep(Duration::from_millis(25));
        }
        Ok(Pty {
            socat,
            printer_end,
            host_end,
            _dir: dir,
        })
    }

    /// Plays the printer on the pty's far end.
    pub fn printer(&self, answers: Answers) -> mpsc::Receiver<Vec<u8>> {
        fake_printer(open_rw(&self.printer_end), answers)
    }

    /// The printer spec a host uses to reach it.
    pub fn spec(&self) -> String {
        format!("serial:{}@19200", self.host_end.display())
    }
}

fn open_rw(path: &Path) -> std::fs::File {
    std::fs::OpenOptions::new()
        .read(true)
        .write(true)
        .open(path)
        .expect("the pty end opens")
}
