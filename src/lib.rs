//! The `seira` command's subcommands, as a library: `seira` (src/main.rs) offers all of them,
//! and the devices' packages ship `seira-kiosk` and `seira-display` (src/bin), which run one
//! each with the same code.

pub mod commands;
