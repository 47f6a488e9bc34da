//! Ticket printing for seira: the ticket's layout in ESC/POS, Greek through the printer's own
//! code page, printer profiles, drivers (serial, USB, network, file) and the printer's
//! real-time status.
//!
//! - [`codepage`]: Greek text as exactly the right bytes; nothing sent as raw UTF-8.
//! - [`commands`]: an ESC/POS byte stream, command by command.
//! - [`profile`]: what a printer model needs (width, code page numbers).
//! - [`layout`]: the ticket, from its content.
//! - [`status`]: `DLE EOT n` answers as typed states.
//! - [`printer`]: opening a printer from a spec like `serial:/dev/ttyUSB0@9600`, printing and
//!   asking its status, every read and write with a timeout.

pub mod codepage;
pub mod commands;
pub mod layout;
pub mod preview;
pub mod printer;
pub mod profile;
pub mod raster;
pub mod reader;
pub mod status;
pub mod testing;

pub use codepage::CodePage;
pub use layout::{TicketContent, ticket};
pub use printer::{PrintError, Printer, PrinterSpec};
pub use profile::Profile;
pub use status::PrinterState;
