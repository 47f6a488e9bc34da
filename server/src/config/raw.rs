//! The configuration as written: every field keeps its place in the file, for the errors.

use std::collections::BTreeMap;

use seira_protocol::{DeskOrder, Names};
use serde::Deserialize;
use toml::Spanned;

pub(super) type S<T> = Spanned<T>;

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
pub(super) struct RawConfig {
    #[serde(default)]
    pub(super) priorities: Vec<RawPriority>,
    pub(super) sites: S<Vec<RawSite>>,
    #[serde(default)]
    pub(super) devices: Vec<RawAccount>,
    #[serde(default)]
    pub(super) users: Vec<RawAccount>,
    #[serde(default)]
    pub(super) internal_gateway_hosts: Vec<String>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
pub(super) struct RawPriority {
    pub(super) id: S<String>,
    pub(super) names: S<Names>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
pub(super) struct RawSite {
    pub(super) id: S<String>,
    pub(super) names: S<Names>,
    #[serde(default)]
    pub(super) address: String,
    #[serde(default = "default_time_zone")]
    pub(super) time_zone: S<String>,
    pub(super) hours: S<BTreeMap<String, Vec<S<String>>>>,
    #[serde(default)]
    pub(super) closed_days: Vec<S<String>>,
    #[serde(default)]
    pub(super) calling: RawCalling,
    #[serde(default)]
    pub(super) news: Vec<S<Names>>,
    #[serde(default)]
    pub(super) ticket_footer: Option<S<Names>>,
    #[serde(default)]
    pub(super) reminders: Option<S<seira_protocol::admin::ReminderGateway>>,
    #[serde(default)]
    pub(super) public_url: Option<S<String>>,
    #[serde(default)]
    pub(super) near_turn: Option<S<seira_protocol::admin::NearTurn>>,
    #[serde(default)]
    pub(super) phone_joining: Option<S<seira_protocol::admin::PhoneJoining>>,
    pub(super) services: S<Vec<RawService>>,
    #[serde(default)]
    pub(super) desks: Vec<RawDesk>,
}

fn default_time_zone() -> S<String> {
    Spanned::new(0..0, "Europe/Athens".to_owned())
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
pub(super) struct RawCalling {
    #[serde(default = "default_ratio")]
    pub(super) priority_ratio: S<[u32; 2]>,
    #[serde(default = "default_true")]
    pub(super) aging: bool,
    #[serde(default = "default_undo_window")]
    pub(super) undo_window_min: S<u32>,
    #[serde(default = "default_check_in_early")]
    pub(super) check_in_early_min: S<u32>,
    #[serde(default = "default_undo_window")]
    pub(super) check_in_late_min: S<u32>,
    #[serde(default)]
    pub(super) late_check_in: seira_protocol::LateCheckIn,
}

impl Default for RawCalling {
    fn default() -> Self {
        RawCalling {
            priority_ratio: default_ratio(),
            aging: true,
            undo_window_min: default_undo_window(),
            check_in_early_min: default_check_in_early(),
            check_in_late_min: default_undo_window(),
            late_check_in: seira_protocol::LateCheckIn::Queue,
        }
    }
}

fn default_check_in_early() -> S<u32> {
    Spanned::new(0..0, 10)
}

fn default_undo_window() -> S<u32> {
    Spanned::new(0..0, 15)
}

fn default_ratio() -> S<[u32; 2]> {
    Spanned::new(0..0, [1, 2])
}

fn default_true() -> bool {
    true
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
pub(super) struct RawService {
    pub(super) id: S<String>,
    pub(super) prefix: S<String>,
    pub(super) names: S<Names>,
    #[serde(default)]
    pub(super) icon: String,
    pub(super) target_wait_min: S<u32>,
    #[serde(default = "default_service_min")]
    pub(super) typical_service_min: S<u32>,
    #[serde(default)]
    pub(super) hours: Option<S<BTreeMap<String, Vec<S<String>>>>>,
    #[serde(default)]
    pub(super) appointment_slot_min: Option<S<u32>>,
    #[serde(default)]
    pub(super) phone_join: bool,
}

fn default_service_min() -> S<u32> {
    Spanned::new(0..0, 15)
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
pub(super) struct RawDesk {
    pub(super) id: S<String>,
    pub(super) names: S<Names>,
    pub(super) services: S<Vec<S<String>>>,
    #[serde(default = "default_order")]
    pub(super) order: DeskOrder,
    #[serde(default)]
    pub(super) appointment_hours: Option<S<BTreeMap<String, Vec<S<String>>>>>,
}

fn default_order() -> DeskOrder {
    DeskOrder::DeskOrder
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
pub(super) struct RawAccount {
    pub(super) name: S<String>,
    pub(super) role: S<String>,
    #[serde(default)]
    pub(super) site: Option<S<String>>,
    #[serde(default)]
    pub(super) desk: Option<S<String>>,
}
