//! The server through real HTTP on 127.0.0.1:0 with a temporary SQLite file: one test binary,
//! one module per concern.

mod access;
mod admin;
mod appointments;
mod bad_input;
mod browser;
mod citizens;
mod concurrency;
mod desk_day;
mod disk_full;
mod estimates;
mod events;
mod fake_gateway;
mod fake_push;
mod flow;
mod fuzz;
mod helpers;
mod phone_pages;
mod phones;
mod reminders;
mod restart;
mod signin;
mod stats;
mod strangers;
mod tls;
