//! The printer's real-time status: the answers to `DLE EOT n` as typed states.
//!
//! Each answer is one byte whose bits 0, 1, 4 and 7 are fixed (0, 1, 1, 0), which tells a
//! status byte from anything else on the line.

/// What the kiosk needs to know about its printer.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum PrinterState {
    Ready,
    /// Printing still works; staff should change the roll soon.
    PaperNearEnd,
    PaperOut,
    CoverOpen,
    /// Off line for another reason (the feed button is held, it is recovering…).
    Offline,
    /// The cutter jammed, the head overheated, or another error.
    Error(String),
}

impl PrinterState {
    /// Whether a ticket can be printed now.
    pub fn can_print(&self) -> bool {
        matches!(self, PrinterState::Ready | PrinterState::PaperNearEnd)
    }
}

/// `DLE EOT n` for n = 1 (printer), 2 (off-line cause), 3 (error cause), 4 (paper sensor).
pub fn query(n: u8) -> [u8; 3] {
    [crate::commands::DLE, crate::commands::EOT, n]
}

/// Whether a byte has the fixed bits of a status answer.
pub fn is_status_byte(b: u8) -> bool {
    b & 0b1001_0011 == 0b0001_0010
}

/// The state from the four answers.
pub fn interpret(printer: u8, offline: u8, error: u8, paper: u8) -> PrinterState {
    let bit = |b: u8, n: u8| b & (1 << n) != 0;
    if bit(offline, 2) {
        return PrinterState::CoverOpen;
    }
    if bit(paper, 5) || bit(paper, 6) || bit(offline, 5) {
        return PrinterState::PaperOut;
    }
    if bit(error, 3) {
        return PrinterState::Error("unrecoverable error".into());
    }
    if bit(error, 2) {
        return PrinterState::Error("the cutter is jammed".into());
    }
    if bit(error, 5) || bit(offline, 6) {
        return PrinterState::Error("error, recovering by itself".into());
    }
    if bit(printer, 3) {
        return PrinterState::Offline;
    }
    if bit(paper, 2) || bit(paper, 3) {
        return PrinterState::PaperNearEnd;
    }
    PrinterState::Ready
}

#[cfg(test)]
mod tests {
    use super::*;

    const OK: u8 = 0x12;

    #[test]
    fn answers_to_states() {
        let table = [
            ((OK, OK, OK, OK), PrinterState::Ready),
            ((OK, OK, OK, OK | 0x0c), PrinterState::PaperNearEnd),
            (
                (OK | 0x08, OK | 0x20, OK, OK | 0x60),
                PrinterState::PaperOut,
            ),
            ((OK | 0x08, OK | 0x04, OK, OK), PrinterState::CoverOpen),
            ((OK | 0x08, OK | 0x08, OK, OK), PrinterState::Offline),
            (
                (OK | 0x08, OK | 0x40, OK | 0x04, OK),
                PrinterState::Error("the cutter is jammed".into()),
            ),
        ];
        for ((p, o, e, r), expected) in table {
            assert_eq!(
                interpret(p, o, e, r),
                expected,
                "{p:#x} {o:#x} {e:#x} {r:#x}"
            );
        }
        assert!(PrinterState::PaperNearEnd.can_print() && !PrinterState::PaperOut.can_print());
    }

    #[test]
    fn status_bytes_are_recognised() {
        assert!(is_status_byte(0x12) && is_status_byte(0x7e & !0x01 & !0x80 | 0x12));
        assert!(!is_status_byte(0x00) && !is_status_byte(b'A') && !is_status_byte(0xff));
    }
}
