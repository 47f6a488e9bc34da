//! Real links to fake printers: a serial line through a `socat` pseudo-terminal pair, and a
//! network printer on a local TCP port. The printer's end records every byte and answers
//! status queries as a real one would; the bytes are read back and checked.

use std::sync::mpsc;
use std::thread;
use std::time::Duration;

use seira_hardware::reader::{self, Element};
use seira_hardware::testing::{
    COVER_OPEN, PAPER_OUT, Pty, READY, SILENT, fake_printer, sample_ticket,
};
use seira_hardware::{
    PrintError, Printer, PrinterSpec, PrinterState, Profile, TicketContent, ticket,
};

const TIMEOUT: Duration = Duration::from_millis(500);

fn content() -> TicketContent {
    sample_ticket()
}

/// Checks a captured job: the status queries around it, and the ticket's text, QR and cut.
fn check_job(bytes: &[u8], profile: &Profile) {
    let elements =
        reader::read(bytes, profile.greek_pages).expect("the printer got only valid ESC/POS");
    let queries: Vec<u8> = elements
        .iter()
        .filter_map(|e| match e {
            Element::StatusQuery(n) => Some(*n),
            _ => None,
        })
        .collect();
    assert_eq!(
        queries,
        [1, 2, 3, 4, 1, 2, 3, 4],
        "status asked before and after"
    );
    let lines = reader::lines(&elements);
    for expected in [
        "Κέντρο Κοινότητας Δήμου Χανίων",
        "A012",
        "23/11/2026 10:42",
        "Οι υπηρεσίες παρέχονται δωρεάν",
        "seira.local/t/KX7PQ-4MN2A",
    ] {
        assert!(
            lines.iter().any(|l| l == expected),
            "`{expected}` in {lines:?}"
        );
    }
    assert!(elements.contains(&Element::Qr(
        "http://10.0.0.2:8080/t/0123456789abcdef".into()
    )));
    assert!(elements.contains(&Element::CodePage(profile.codepage_number)));
    let cut = elements
        .iter()
        .position(|e| *e == Element::Cut)
        .expect("a cut");
    let last_text = elements
        .iter()
        .rposition(|e| matches!(e, Element::Text(_)))
        .unwrap();
    assert!(cut > last_text, "the cut comes after the text");
}

// ---- serial, through a pseudo-terminal pair ------------------------------------------------

fn serial_spec(pty: &Pty) -> PrinterSpec {
    pty.spec().parse().unwrap()
}

#[test]
fn a_ticket_prints_in_greek_over_a_serial_line_on_every_profile() {
    for name in Profile::ALL {
        let profile = Profile::named(name).unwrap();
        let pty = Pty::new().expect("socat is installed (scripts/setup installs it)");
        let received = pty.printer(READY);
        let mut printer = Printer::open(&serial_spec(&pty), TIMEOUT).unwrap();
        let job = ticket(&content(), &profile).unwrap();
        assert_eq!(printer.print(&job).unwrap(), PrinterState::Ready);
        drop(printer);
        drop(pty);
        let bytes = received.recv_timeout(Duration::from_secs(10)).unwrap();
        check_job(&bytes, &profile);
    }
}

#[test]
fn faults_come_back_as_states_and_nothing_is_printed() {
    for (answers, state) in [
        (PAPER_OUT, PrinterState::PaperOut),
        (COVER_OPEN, PrinterState::CoverOpen),
    ] {
        let pty = Pty::new().expect("socat is installed (scripts/setup installs it)");
        let received = pty.printer(answers);
        let mut printer = Printer::open(&serial_spec(&pty), TIMEOUT).unwrap();
        assert_eq!(printer.status().unwrap(), state);
        let job = ticket(&content(), &Profile::named("generic-80").unwrap()).unwrap();
        match printer.print(&job) {
            Err(PrintError::NotReady { state: s, .. }) => assert_eq!(s, state),
            other => panic!("expected NotReady, got {other:?}"),
        }
        drop(printer);
        drop(pty);
        let bytes = received.recv_timeout(Duration::from_secs(10)).unwrap();
        assert!(
            !bytes.windows(4).any(|w| w == b"A012"),
            "no ticket printed on a faulty printer"
        );
    }
}

#[test]
fn a_silent_printer_is_an_error_within_the_timeout_not_a_hang() {
    let pty = Pty::new().expect("socat is installed (scripts/setup installs it)");
    let _received = pty.printer(SILENT);
    let mut printer = Printer::open(&serial_spec(&pty), TIMEOUT).unwrap();
    match printer.status() {
        Err(PrintError::NoAnswer { timeout, .. }) => assert_eq!(timeout, TIMEOUT),
        other => panic!("expected NoAnswer, got {other:?}"),
    }
}

#[test]
fn a_printer_silent_after_the_ticket_went_out_is_told_apart_from_nothing_sent() {
    let pty = Pty::new().expect("socat is installed (scripts/setup installs it)");
    let received = pty.printer(seira_hardware::testing::SILENT_AFTER_JOB);
    let mut printer = Printer::open(&serial_spec(&pty), TIMEOUT).unwrap();
    let job = ticket(&content(), &Profile::named("generic-80").unwrap()).unwrap();
    match printer.print(&job) {
        Err(e @ PrintError::SentNoAnswer { .. }) => assert!(e.may_have_printed(), "{e}"),
        other => panic!("expected SentNoAnswer, got {other:?}"),
    }
    drop(printer);
    drop(pty);
    let bytes = received.recv_timeout(Duration::from_secs(10)).unwrap();
    assert!(bytes.len() > 64, "the ticket went out");
    // Nothing sent: not the same.
    let silent = PrintError::NoAnswer {
        spec: "serial:x".into(),
        timeout: TIMEOUT,
    };
    assert!(!silent.may_have_printed());
}

#[test]
fn an_unplugged_serial_printer_is_an_error() {
    let spec: PrinterSpec = "serial:/dev/seira-no-such-printer".parse().unwrap();
    assert!(matches!(
        Printer::open(&spec, TIMEOUT),
        Err(PrintError::Open { .. })
    ));
}

// ---- network, raw TCP ----------------------------------------------------------------------

#[test]
fn a_ticket_prints_over_the_network() {
    let listener = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
    let port = listener.local_addr().unwrap().port();
    let (accepted, connection) = mpsc::channel();
    thread::spawn(move || {
        let (stream, _) = listener.accept().unwrap();
        let _ = accepted.send(fake_printer(stream, READY));
    });
    let spec: PrinterSpec = format!("tcp:127.0.0.1:{port}").parse().unwrap();
    let mut printer = Printer::open(&spec, TIMEOUT).unwrap();
    let profile = Profile::named("epson-tm").unwrap();
    assert_eq!(
        printer
            .print(&ticket(&content(), &profile).unwrap())
            .unwrap(),
        PrinterState::Ready
    );
    drop(printer);
    let received = connection.recv_timeout(Duration::from_secs(10)).unwrap();
    let bytes = received.recv_timeout(Duration::from_secs(10)).unwrap();
    check_job(&bytes, &profile);
}
