//! Opening a printer and talking to it: printing, and asking its real-time status before and
//! after. Every read and write has a deadline, so an unplugged or silent printer is an error
//! within the timeout, never a hung kiosk.
//!
//! Serial and network links are `serialport` and `std::net` used directly, with our own
//! timeouts (the `escpos` crate's serial driver always waits 5 s for a status answer). USB goes
//! through `escpos`'s native USB driver (nusb: no libusb, no udev).

use std::io::{self, Read, Write};
use std::net::{TcpStream, ToSocketAddrs};
use std::path::PathBuf;
use std::str::FromStr;
use std::time::{Duration, Instant};

use crate::status::{self, PrinterState};

/// Where a printer is, as written on the command line or in the configuration:
/// `serial:/dev/ttyUSB0[@baud]`, `usb:VID:PID` (hex), `tcp:HOST:PORT`, `file:PATH`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum PrinterSpec {
    Serial { path: String, baud: u32 },
    Usb { vendor: u16, product: u16 },
    Tcp { host: String, port: u16 },
    File { path: PathBuf },
}

impl FromStr for PrinterSpec {
    type Err = String;

    fn from_str(spec: &str) -> Result<Self, Self::Err> {
        let bad = |why: &str| format!("`{spec}`: {why}");
        let (kind, rest) = spec
            .split_once(':')
            .ok_or_else(|| bad("say serial:, usb:, tcp: or file:"))?;
        match kind {
            "serial" => {
                let (path, baud) = match rest.rsplit_once('@') {
                    Some((path, baud)) => (
                        path,
                        baud.parse().map_err(|_| bad("the baud rate is a number"))?,
                    ),
                    None => (rest, 9600),
                };
                if path.is_empty() {
                    return Err(bad("no device path"));
                }
                Ok(PrinterSpec::Serial {
                    path: path.into(),
                    baud,
                })
            }
            "usb" => {
                let (v, p) = rest
                    .split_once(':')
                    .ok_or_else(|| bad("usb:VID:PID, in hex"))?;
                let hex = |s: &str| u16::from_str_radix(s.trim_start_matches("0x"), 16);
                Ok(PrinterSpec::Usb {
                    vendor: hex(v).map_err(|_| bad("the vendor id is 4 hex digits"))?,
                    product: hex(p).map_err(|_| bad("the product id is 4 hex digits"))?,
                })
            }
            "tcp" => {
                let (host, port) = rest.rsplit_once(':').ok_or_else(|| bad("tcp:HOST:PORT"))?;
                let port = port.parse().map_err(|_| bad("the port is a number"))?;
                if host.is_empty() {
                    return Err(bad("no host"));
                }
                Ok(PrinterSpec::Tcp {
                    host: host.into(),
                    port,
                })
            }
            "file" if !rest.is_empty() => Ok(PrinterSpec::File { path: rest.into() }),
            _ => Err(bad("say serial:, usb:, tcp: or file:")),
        }
    }
}

impl std::fmt::Display for PrinterSpec {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            PrinterSpec::Serial { path, baud } => write!(f, "serial:{path}@{baud}"),
            PrinterSpec::Usb { vendor, product } => write!(f, "usb:{vendor:04x}:{product:04x}"),
            PrinterSpec::Tcp { host, port } => write!(f, "tcp:{host}:{port}"),
            PrinterSpec::File { path } => write!(f, "file:{}", path.display()),
        }
    }
}

#[derive(Debug, thiserror::Error)]
pub enum PrintError {
    #[error("cannot open the printer {spec}: {reason}")]
    Open { spec: String, reason: String },
    #[error("the printer {spec} failed: {source}")]
    Io {
        spec: String,
        #[source]
        source: io::Error,
    },
    #[error("the printer {spec} did not answer within {timeout:?}")]
    NoAnswer { spec: String, timeout: Duration },
    /// The ticket was sent, then the printer said nothing: it may well have printed.
    #[error("the ticket went to the printer {spec}, which then did not answer within {timeout:?}")]
    SentNoAnswer { spec: String, timeout: Duration },
    #[error("the printer {spec} cannot print: {state:?}")]
    NotReady { spec: String, state: PrinterState },
}

impl PrintError {
    /// Whether the paper may have come out all the same: the ticket then stands (voiding a
    /// number the citizen holds would be worse than a number nobody holds).
    pub fn may_have_printed(&self) -> bool {
        matches!(self, PrintError::SentNoAnswer { .. })
    }
}

/// The byte link to a printer.
trait Link: Send {
    fn write_all(&mut self, bytes: &[u8]) -> io::Result<()>;
    /// One byte, or `None` when none came before the link's timeout.
    fn read_byte(&mut self) -> io::Result<Option<u8>>;
    /// Whether the other end can answer status queries (a file cannot).
    fn answers(&self) -> bool {
        true
    }
}

struct SerialLink(Box<dyn serialport::SerialPort>);

impl Link for SerialLink {
    fn write_all(&mut self, bytes: &[u8]) -> io::Result<()> {
        self.0.write_all(bytes)?;
        self.0.flush()
    }

    fn read_byte(&mut self) -> io::Result<Option<u8>> {
        let mut b = [0u8; 1];
        match self.0.read(&mut b) {
            Ok(1) => Ok(Some(b[0])),
            Ok(_) => Ok(None),
            Err(e) if e.kind() == io::ErrorKind::TimedOut => Ok(None),
            Err(e) => Err(e),
        }
    }
}

struct TcpLink(TcpStream);

impl Link for TcpLink {
    fn write_all(&mut self, bytes: &[u8]) -> io::Result<()> {
        self.0.write_all(bytes)?;
        self.0.flush()
    }

    fn read_byte(&mut self) -> io::Result<Option<u8>> {
        let mut b = [0u8; 1];
        match self.0.read(&mut b) {
            Ok(1) => Ok(Some(b[0])),
            Ok(_) => Err(io::Error::new(
                io::ErrorKind::UnexpectedEof,
                "the printer closed the connection",
            )),
            Err(e)
                if matches!(
                    e.kind(),
                    io::ErrorKind::TimedOut | io::ErrorKind::WouldBlock
                ) =>
            {
                Ok(None)
            }
            Err(e) => Err(e),
        }
    }
}

struct FileLink(std::fs::File);

impl Link for FileLink {
    fn write_all(&mut self, bytes: &[u8]) -> io::Result<()> {
        self.0.write_all(bytes)?;
        self.0.flush()
    }

    fn read_byte(&mut self) -> io::Result<Option<u8>> {
        Ok(None)
    }

    fn answers(&self) -> bool {
        false
    }
}

struct UsbLink(escpos::driver::NativeUsbDriver);

impl Link for UsbLink {
    fn write_all(&mut self, bytes: &[u8]) -> io::Result<()> {
        use escpos::driver::Driver;
        self.0.write(bytes).map_err(io::Error::other)?;
        self.0.flush().map_err(io::Error::other)
    }

    fn read_byte(&mut self) -> io::Result<Option<u8>> {
        use escpos::driver::Driver;
        let mut b = [0u8; 1];
        match self.0.read(&mut b) {
            Ok(1) => Ok(Some(b[0])),
            Ok(_) => Ok(None),
            Err(e) if e.to_string().to_lowercase().contains("timed out") => Ok(None),
            Err(e) => Err(io::Error::other(e)),
        }
    }
}

/// An open printer.
pub struct Printer {
    spec: PrinterSpec,
    link: Box<dyn Link>,
    timeout: Duration,
}

impl Printer {
    /// Opens the printer; `timeout` bounds every read and write (and the connection).
    pub fn open(spec: &PrinterSpec, timeout: Duration) -> Result<Printer, PrintError> {
        let open_error = |reason: String| PrintError::Open {
            spec: spec.to_string(),
            reason,
        };
        let link: Box<dyn Link> = match spec {
            PrinterSpec::Serial { path, baud } => Box::new(SerialLink(
                serialport::new(path, *baud)
                    .timeout(timeout)
                    .open()
                    .map_err(|e| open_error(e.to_string()))?,
            )),
            PrinterSpec::Tcp { host, port } => {
                let addr = (host.as_str(), *port)
                    .to_socket_addrs()
                    .map_err(|e| open_error(e.to_string()))?
                    .next()
                    .ok_or_else(|| open_error("the host has no address".into()))?;
                let stream = TcpStream::connect_timeout(&addr, timeout)
                    .map_err(|e| open_error(e.to_string()))?;
                stream
                    .set_read_timeout(Some(timeout))
                    .map_err(|e| open_error(e.to_string()))?;
                stream
                    .set_write_timeout(Some(timeout))
                    .map_err(|e| open_error(e.to_string()))?;
                stream
                    .set_nodelay(true)
                    .map_err(|e| open_error(e.to_string()))?;
                Box::new(TcpLink(stream))
            }
            PrinterSpec::File { path } => Box::new(FileLink(
                std::fs::OpenOptions::new()
                    .create(true)
                    .append(true)
                    .open(path)
                    .map_err(|e| open_error(e.to_string()))?,
            )),
            PrinterSpec::Usb { vendor, product } => Box::new(UsbLink(
                escpos::driver::NativeUsbDriver::open(*vendor, *product)
                    .map_err(|e| open_error(e.to_string()))?,
            )),
        };
        Ok(Printer {
            spec: spec.clone(),
            link,
            timeout,
        })
    }

    pub fn spec(&self) -> &PrinterSpec {
        &self.spec
    }

    fn io_error(&self, source: io::Error) -> PrintError {
        PrintError::Io {
            spec: self.spec.to_string(),
            source,
        }
    }

    /// Asks one `DLE EOT n` and waits for its status byte (other bytes are skipped).
    fn ask(&mut self, n: u8) -> Result<u8, PrintError> {
        self.link
            .write_all(&status::query(n))
            .map_err(|e| self.io_error(e))?;
        let deadline = Instant::now() + self.timeout;
        while Instant::now() < deadline {
            match self.link.read_byte().map_err(|e| self.io_error(e))? {
                Some(b) if status::is_status_byte(b) => return Ok(b),
                _ => continue,
            }
        }
        Err(PrintError::NoAnswer {
            spec: self.spec.to_string(),
            timeout: self.timeout,
        })
    }

    /// The printer's state now. A file "printer" is always ready.
    pub fn status(&mut self) -> Result<PrinterState, PrintError> {
        if !self.link.answers() {
            return Ok(PrinterState::Ready);
        }
        let printer = self.ask(1)?;
        let offline = self.ask(2)?;
        let error = self.ask(3)?;
        let paper = self.ask(4)?;
        Ok(status::interpret(printer, offline, error, paper))
    }

    /// Prints a job: refused when the printer cannot print now; answers the state after.
    pub fn print(&mut self, job: &[u8]) -> Result<PrinterState, PrintError> {
        let before = self.status()?;
        if !before.can_print() {
            return Err(PrintError::NotReady {
                spec: self.spec.to_string(),
                state: before,
            });
        }
        self.link.write_all(job).map_err(|e| self.io_error(e))?;
        self.status().map_err(|e| match e {
            PrintError::NoAnswer { spec, timeout } => PrintError::SentNoAnswer { spec, timeout },
            other => other,
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn specs_parse_and_print_back() {
        let table = [
            (
                "serial:/dev/ttyUSB0",
                PrinterSpec::Serial {
                    path: "/dev/ttyUSB0".into(),
                    baud: 9600,
                },
            ),
            (
                "serial:/dev/ttyS1@115200",
                PrinterSpec::Serial {
                    path: "/dev/ttyS1".into(),
                    baud: 115_200,
                },
            ),
            (
                "usb:04b8:0202",
                PrinterSpec::Usb {
                    vendor: 0x04b8,
                    product: 0x0202,
                },
            ),
            (
                "tcp:10.0.0.9:9100",
                PrinterSpec::Tcp {
                    host: "10.0.0.9".into(),
                    port: 9100,
                },
            ),
            (
                "file:/tmp/ticket.bin",
                PrinterSpec::File {
                    path: "/tmp/ticket.bin".into(),
                },
            ),
        ];
        for (text, spec) in table {
            assert_eq!(text.parse::<PrinterSpec>().unwrap(), spec, "{text}");
        }
        assert_eq!(
            "serial:/dev/ttyS1@115200"
                .parse::<PrinterSpec>()
                .unwrap()
                .to_string(),
            "serial:/dev/ttyS1@115200"
        );
        for bad in [
            "printer",
            "lpt:1",
            "serial:",
            "serial:/dev/x@fast",
            "usb:zz:01",
            "tcp:host",
            "tcp::9100",
            "file:",
        ] {
            assert!(bad.parse::<PrinterSpec>().is_err(), "{bad}");
        }
    }

    #[test]
    fn a_file_printer_is_always_ready_and_gets_the_bytes() {
        let dir = std::env::temp_dir().join(format!("seira-file-printer-{}", std::process::id()));
        let spec = PrinterSpec::File { path: dir.clone() };
        let mut printer = Printer::open(&spec, Duration::from_millis(200)).unwrap();
        assert_eq!(printer.print(b"\x1b@hello").unwrap(), PrinterState::Ready);
        assert_eq!(std::fs::read(&dir).unwrap(), b"\x1b@hello");
        let _ = std::fs::remove_file(dir);
    }

    #[test]
    fn a_closed_port_is_an_error() {
        let listener = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
        let port = listener.local_addr().unwrap().port();
        drop(listener);
        let spec = PrinterSpec::Tcp {
            host: "127.0.0.1".into(),
            port,
        };
        assert!(matches!(
            Printer::open(&spec, Duration::from_millis(300)),
            Err(PrintError::Open { .. })
        ));
    }
}
