//! Realistic past days for a demo database: citizens arriving with a morning peak, a service
//! mix and service times after the seed centres' services, desks calling, serving, now and
//! then a no-show (after a recall) or a transfer. The specialists' services that take
//! appointments have half their time booked the day before; most citizens check in at the
//! kiosk a little early or on time, some late, a few never come. Every change goes through the engine with a
//! simulated clock, so the tickets and the event log are exactly what a real day leaves.

use std::cmp::Reverse;
use std::collections::{BinaryHeap, HashMap};

use jiff::civil::{Date, Time};
use jiff::{SignedDuration, Timestamp};
use rand::rngs::StdRng;
use rand::{RngExt, SeedableRng};
use seira_protocol::{Channel, CheckIn, DeskState, IssueTicket, NewAppointment};

use crate::auth::{Caller, Role};
use crate::config::{Config, Site};
use crate::engine::{Ctx, EngineError};
use crate::queue::lifecycle::Action;
use crate::store::{Store, StoreError};

/// How the simulated days go.
#[derive(Debug, Clone)]
pub struct Plan {
    /// The last simulated day; the days before it are filled, weekends skipped.
    pub last_day: Date,
    pub days: u32,
    pub seed: u64,
}

/// Why the demo days could not be made.
#[derive(Debug, thiserror::Error)]
pub enum DemoError {
    #[error(transparent)]
    Engine(#[from] EngineError),
    #[error(transparent)]
    Store(#[from] StoreError),
    #[error("database: {0}")]
    Sql(#[from] rusqlite::Error),
    #[error("the calendar: {0}")]
    Calendar(#[from] jiff::Error),
}

/// What was made.
#[derive(Debug, Default, Clone, Copy, PartialEq, Eq)]
pub struct Made {
    pub days: u32,
    pub tickets: u64,
}

/// Arrivals per half hour from 08:30, relative: the morning peak of a walk-in service.
const ARRIVAL_SHAPE: [f64; 12] = [0.8, 1.6, 2.0, 1.8, 1.4, 1.2, 1.0, 0.9, 0.7, 0.6, 0.5, 0.3];
const OPENS: (i8, i8) = (8, 30);
const CLOSES: (i8, i8) = (15, 0);

/// The share of visits per service: benefits dominate at a Community Centre.
fn service_weight(id: &str) -> f64 {
    match id {
        "benefits" => 0.45,
        "referrals" => 0.2,
        "psychosocial" => 0.15,
        "children" => 0.1,
        "mediation" => 0.3,
        _ => 0.1,
    }
}

#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord)]
enum Happening {
    /// A citizen takes a ticket for a service.
    Arrives(usize),
    /// A desk is free and calls the next.
    DeskFree(usize),
    /// A citizen with an appointment checks in at the kiosk with this code.
    ChecksIn(String),
}

/// Fills `store` with `plan.days` working days at every site of `config`.
pub fn fill(store: &Store, config: &Config, plan: &Plan) -> Result<Made, DemoError> {
    let mut rng = StdRng::seed_from_u64(plan.seed);
    let config = config.clone().always_open();
    let mut made = Made::default();
    let mut day = plan.last_day;
    let mut days = Vec::new();
    while days.len() < plan.days as usize {
        if day.weekday().to_monday_one_offset() <= 5 {
            days.push(day);
        }
        day = day.yesterday()?;
    }
    days.reverse();
    store.write(|tx| crate::store::sync_desks(tx, config.desk_ids()).map_err(StoreError::from))?;
    for day in days {
        for site in &config.sites {
            made.tickets += store.write(|tx| simulate_day(tx, &config, site, day, &mut rng))?;
        }
        made.days += 1;
    }
    Ok(made)
}

fn at(site: &Site, day: Date, (h, m): (i8, i8)) -> Result<Timestamp, DemoError> {
    Ok(day
        .to_datetime(Time::constant(h, m, 0, 0))
        .to_zoned_datetime(site.time_zone.clone())?
        .timestamp())
}

/// Minutes drawn around `typical`, skewed long as service times are (half to about double).
fn duration_around(rng: &mut StdRng, typical: SignedDuration) -> SignedDuration {
    let factor = 0.5 + rng.random::<f64>() * 0.7 + rng.random::<f64>().powi(3) * 1.0;
    SignedDuration::from_secs((typical.as_secs() as f64 * factor).max(60.0) as i64)
}

fn simulate_day(
    tx: &rusqlite::Transaction<'_>,
    config: &Config,
    site: &Site,
    day: Date,
    rng: &mut StdRng,
) -> Result<u64, DemoError> {
    let kiosk = Caller {
        role: Role::Kiosk,
        site: Some(site.id.clone()),
        desks: Vec::new(),
        label: format!("{} kiosk", site.id),
    };
    let labels = staff_labels(site);
    let staff: Vec<Caller> = site
        .desks
        .iter()
        .map(|d| Caller {
            role: Role::Staff,
            site: Some(site.id.clone()),
            desks: vec![d.id.clone()],
            label: labels[&d.id].clone(),
        })
        .collect();
    let opens = at(site, day, OPENS)?;
    let closes = at(site, day, CLOSES)?;
    let mut happenings: BinaryHeap<Reverse<(Timestamp, Happening)>> = BinaryHeap::new();

    // Arrivals: a busier Monday, a quieter Friday, the morning peak.
    let weekday = day.weekday().to_monday_one_offset();
    let day_factor = match weekday {
        1 => 1.25,
        5 => 0.8,
        _ => 1.0,
    } * (0.85 + rng.random::<f64>() * 0.3);
    let per_day = 9.0 * site.desks.len() as f64 * day_factor;
    let total_shape: f64 = ARRIVAL_SHAPE.iter().sum();
    let weights: Vec<f64> = site
        .services
        .iter()
        .map(|s| service_weight(&s.id))
        .collect();
    let total_weight: f64 = weights.iter().sum();
    let mut tickets = 0;
    for (slot, shape) in ARRIVAL_SHAPE.iter().enumerate() {
        let expected = per_day * shape / total_shape;
        let count = (expected + rng.random::<f64>() - 0.5).round().max(0.0) as u32;
        for _ in 0..count {
            let offset = SignedDuration::from_secs(slot as i64 * 1800 + rng.random_range(0..1800));
            let mut pick = rng.random::<f64>() * total_weight;
            let service = weights
                .iter()
                .position(|w| {
                    pick -= w;
                    pick <= 0.0
                })
                .unwrap_or(0);
            happenings.push(Reverse((opens + offset, Happening::Arrives(service))));
        }
    }
    // The specialists' books, kept the day before: about half of each desk's time.
    let booked_at = opens - SignedDuration::from_hours(24);
    for (i, desk) in site.desks.iter().enumerate() {
        for service in site
            .services
            .iter()
            .filter(|s| desk.services.contains(&s.id))
        {
            let Some(slot) = service.appointment_slot else {
                continue;
            };
            let mut start = at(site, day, (9, 0))?;
            while start + slot <= at(site, day, (14, 30))? {
                if rng.random::<f64>() < 0.5 {
                    let mut ctx = Ctx::new(tx, config, booked_at, Some(&staff[i]));
                    let request = NewAppointment {
                        service: service.id.clone(),
                        desk: Some(desk.id.clone()),
                        start,
                        minutes: slot.as_mins() as u32,
                        request_id: format!(
                            "demo-{}-{day}-{}-{}",
                            site.id,
                            desk.id,
                            start.as_second()
                        ),
                        contact: None,
                        note: None,
                    };
                    match ctx.book(&site.id, &request) {
                        Ok((booked, _)) => {
                            let roll = rng.random::<f64>();
                            let arrives = if roll < 0.08 {
                                None
                            } else if roll < 0.16 {
                                Some(start + SignedDuration::from_mins(rng.random_range(17..40)))
                            } else {
                                Some(start + SignedDuration::from_mins(rng.random_range(-10..12)))
                            };
                            if let Some(when) = arrives {
                                happenings.push(Reverse((when, Happening::ChecksIn(booked.code))));
                            }
                        }
                        // Another desk of the service may hold it already: that time stays free.
                        Err(EngineError::Conflict { .. } | EngineError::Invalid { .. }) => {}
                        Err(e) => return Err(e.into()),
                    }
                }
                start += slot;
            }
        }
    }
    for (i, desk) in site.desks.iter().enumerate() {
        let mut ctx = Ctx::new(tx, config, opens, Some(&staff[i]));
        ctx.set_desk_state(&desk.id, DeskState::Open, None)?;
        // Desks open a few minutes apart.
        let start = opens + SignedDuration::from_mins(rng.random_range(0..10));
        happenings.push(Reverse((start, Happening::DeskFree(i))));
    }

    let mut serial = 0u32;
    while let Some(Reverse((now, happening))) = happenings.pop() {
        match happening {
            Happening::Arrives(service) => {
                serial += 1;
                let mut ctx = Ctx::new(tx, config, now, Some(&kiosk));
                let request = IssueTicket {
                    service: site.services[service].id.clone(),
                    priority: (rng.random::<f64>() < 0.08)
                        .then(|| {
                            config
                                .priorities
                                .first()
                                .map(|p| p.id.clone())
                                .unwrap_or_default()
                        })
                        .filter(|p| !p.is_empty()),
                    lang: None,
                    request_id: format!("demo-{}-{}-{serial}", site.id, day),
                };
                ctx.issue(&site.id, &request, Channel::Kiosk)?;
                tickets += 1;
            }
            Happening::ChecksIn(code) => {
                serial += 1;
                let mut ctx = Ctx::new(tx, config, now, Some(&kiosk));
                ctx.expire_appointments()?;
                let request = CheckIn {
                    request_id: format!("demo-{}-{}-{serial}", site.id, day),
                    lang: None,
                };
                if ctx.check_in(&site.id, &code, &request).is_ok() {
                    tickets += 1;
                }
            }
            Happening::DeskFree(i) => {
                if now >= closes + SignedDuration::from_mins(30) {
                    continue;
                }
                let desk = &site.desks[i];
                let mut ctx = Ctx::new(tx, config, now, Some(&staff[i]));
                let Some(ticket) = ctx.call_next(&desk.id)? else {
                    // Nobody waits for this desk: look again in a few minutes.
                    if now < closes {
                        happenings.push(Reverse((
                            now + SignedDuration::from_mins(rng.random_range(2..6)),
                            Happening::DeskFree(i),
                        )));
                    }
                    continue;
                };
                let roll = rng.random::<f64>();
                let mut t = now + SignedDuration::from_secs(rng.random_range(30..120));
                if roll < 0.05 {
                    // Nobody comes: a recall, then a no-show.
                    t = now + SignedDuration::from_secs(90);
                    Ctx::new(tx, config, t, Some(&staff[i])).act(&ticket.id, Action::Recall)?;
                    t += SignedDuration::from_secs(120);
                    Ctx::new(tx, config, t, Some(&staff[i])).act(&ticket.id, Action::NoShow)?;
                } else {
                    Ctx::new(tx, config, t, Some(&staff[i])).act(&ticket.id, Action::Start)?;
                    let typical = site
                        .service(&ticket.service)
                        .map_or(SignedDuration::from_mins(15), |s| s.typical_service);
                    let other = site.services.iter().find(|s| s.id != ticket.service);
                    match other {
                        Some(other) if roll < 0.08 => {
                            // Another service is needed: a short talk, then a transfer.
                            t += SignedDuration::from_mins(rng.random_range(3..8));
                            Ctx::new(tx, config, t, Some(&staff[i])).transfer(
                                &ticket.id,
                                &seira_protocol::Transfer {
                                    service: other.id.clone(),
                                    desk: None,
                                    place: Default::default(),
                                    note: None,
                                },
                            )?;
                        }
                        _ => {
                            t += duration_around(rng, typical);
                            Ctx::new(tx, config, t, Some(&staff[i]))
                                .act(&ticket.id, Action::Done)?;
                        }
                    }
                }
                // A short pause between citizens.
                let next = t + SignedDuration::from_secs(rng.random_range(20..180));
                happenings.push(Reverse((next, Happening::DeskFree(i))));
            }
        }
    }
    // Whoever still waits at closing is called no more: the day ends, the desks close.
    let end = closes + SignedDuration::from_mins(45);
    for (i, desk) in site.desks.iter().enumerate() {
        Ctx::new(tx, config, end, Some(&staff[i])).set_desk_state(
            &desk.id,
            DeskState::Closed,
            None,
        )?;
    }
    Ctx::new(tx, config, end, None).expire_appointments()?;
    Ctx::new(tx, config, end + SignedDuration::from_hours(10), None).auto_close()?;
    Ok(tickets)
}

/// The staff account at each desk, by desk id: named as a centre would name accounts, after
/// no real person.
pub fn staff_labels(site: &Site) -> HashMap<String, String> {
    site.desks
        .iter()
        .enumerate()
        .map(|(i, d)| (d.id.clone(), format!("staff-{}", i + 1)))
        .collect()
}

/// Fills `store` with `tickets` served tickets at `site`, spread over the 250 working days
/// ending `last_day`, written straight into the tickets table in one transaction: the
/// statistics benchmark's years of a busy centre, made in seconds (no events: the statistics
/// do not read them). Waits of 0–60 minutes, services of 5–45 minutes, desks in turn.
pub fn bulk_history(
    store: &Store,
    config: &Config,
    site_id: &str,
    tickets: u64,
    last_day: Date,
    seed: u64,
) -> Result<u64, DemoError> {
    use seira_protocol::{Ticket, TicketState};
    let site = config
        .site(site_id)
        .ok_or_else(|| EngineError::NotFound {
            what: "site",
            id: site_id.to_owned(),
        })?
        .clone();
    let mut rng = StdRng::seed_from_u64(seed);
    let mut days = Vec::new();
    let mut day = last_day;
    while days.len() < 250 {
        if day.weekday().to_monday_one_offset() <= 5 {
            days.push(day);
        }
        day = day.yesterday()?;
    }
    let per_day = tickets.div_ceil(days.len() as u64).max(1);
    let staff = staff_labels(&site);
    store.write(|tx| {
        let mut made = 0u64;
        'days: for day in &days {
            let opens = at(&site, *day, OPENS)?;
            for seq in 1..=per_day {
                if made == tickets {
                    break 'days;
                }
                let service = &site.services[rng.random_range(0..site.services.len())];
                let desk = &site.desks[rng.random_range(0..site.desks.len())];
                let queued_at = opens + SignedDuration::from_secs(rng.random_range(0..6 * 3600));
                let called_at = queued_at + SignedDuration::from_secs(rng.random_range(0..3600));
                let started_at = called_at + SignedDuration::from_secs(rng.random_range(20..120));
                let finished_at =
                    started_at + SignedDuration::from_secs(rng.random_range(300..2700));
                let id = format!("bulk{made:012}");
                let mut ticket = Ticket {
                    id: id.clone(),
                    number: format!("{}{seq:03}", service.prefix),
                    site: site.id.clone(),
                    service: service.id.clone(),
                    state: TicketState::Waiting,
                    priority: None,
                    channel: Channel::Kiosk,
                    lang: None,
                    desk: None,
                    recalls: 0,
                    step: 1,
                    issued_at: queued_at,
                    queued_at,
                    called_at: None,
                    started_at: None,
                    finished_at: None,
                    inaccurate_time: false,
                };
                crate::store::insert_ticket(
                    tx,
                    &crate::store::NewTicket {
                        ticket: ticket.clone(),
                        visit_id: id.clone(),
                        day: *day,
                        // Unique per service and day whatever the draw: the running count.
                        seq: made as u32 + 1,
                        request_id: None,
                        line_at: queued_at,
                        only_desk: None,
                        note: None,
                        due_at: None,
                        short_code: None,
                    },
                )?;
                ticket.state = if rng.random::<f64>() < 0.06 {
                    TicketState::NoShow
                } else {
                    TicketState::Done
                };
                ticket.desk = Some(desk.id.clone());
                ticket.called_at = Some(called_at);
                ticket.started_at = (ticket.state == TicketState::Done).then_some(started_at);
                ticket.finished_at = Some(finished_at);
                crate::store::set_state(tx, &ticket)?;
                crate::store::call_ticket(
                    tx,
                    &id,
                    called_at,
                    false,
                    staff.get(&desk.id).map(String::as_str),
                )?;
                made += 1;
            }
        }
        Ok::<_, DemoError>(made)
    })
}
