//! The reads: services, desks, the board, tracking, statistics, devices and lists. Each reads
//! one snapshot and changes nothing.

use std::collections::BTreeMap;

use jiff::{SignedDuration, Timestamp};
use rusqlite::Transaction;
use seira_protocol::{
    Board, BoardCall, BoardQueue, Desk, DeskState, Device, PriorityCategory, ServiceStatus,
    SiteServices, Ticket, TicketState, TrackView,
};

use super::{BOARD_CALLS, ErrorCode, Result, invalid, not_found};
use crate::config::{Config, Service, Site};
use crate::queue::lifecycle;
use crate::queue::{calling, estimate, forecast, numbering};
use crate::store;

/// The estimated wait of a ticket just issued (`ticket`), with `ahead` people before it.
pub(super) fn estimate_wait(
    tx: &Transaction<'_>,
    site: &Site,
    service: &Service,
    ahead: u32,
    ticket: &str,
    now: Timestamp,
) -> Result<u32> {
    let moment = SiteNow::load(tx, site, now)?;
    Ok(estimate_with_range(tx, site, service, ahead, &moment, Some(ticket))?.0)
}

/// Above this many waiting at a site the forecast is not played (each play calls them all,
/// forty times): the estimate answers alone. A centre's worst hour is well below it.
const FORECAST_MOST_WAITING: u32 = 120;

/// A booked appointment still holding desk time.
struct Booked {
    desk: String,
    service: String,
    from: Timestamp,
    to: Timestamp,
    checked_in: bool,
}

/// What every estimate at a site reads of the moment, read once for all its services: the
/// desks' states, who they have in hand, who waits, the booked desk time and the recent
/// service times; and, where few enough wait to play the desks forward, each waiting
/// ticket, each desk's run and the site's overhead between services.
struct SiteNow {
    now: Timestamp,
    states: std::collections::HashMap<String, (DeskState, Option<Timestamp>)>,
    in_hand: std::collections::HashMap<String, (String, Timestamp)>,
    waiting: BTreeMap<String, u32>,
    book: Vec<Booked>,
    recent: std::collections::HashMap<String, Vec<SignedDuration>>,
    play: Option<Play>,
}

/// What the forecast needs beyond the estimate's reads.
struct Play {
    queue: Vec<store::Queued>,
    runs: std::collections::HashMap<String, Option<calling::Run>>,
    /// Each service's desk times to draw from ([`forecast::desk_times`]).
    desk_times: std::collections::HashMap<String, Vec<SignedDuration>>,
}

impl SiteNow {
    fn load(tx: &Transaction<'_>, site: &Site, now: Timestamp) -> Result<SiteNow> {
        // The appointments that still hold desk time within the next hours (one long enough
        // to reach into them may have started up to 8 hours ago); none to read at a site that
        // takes none.
        let takes_appointments = site.services.iter().any(|s| s.appointment_slot.is_some());
        let book = if takes_appointments {
            store::appointments_between(
                tx,
                &site.id,
                now - SignedDuration::from_hours(8),
                now + forecast::HORIZON,
            )?
        } else {
            Vec::new()
        }
        .into_iter()
        .filter(|a| {
            matches!(
                a.state,
                seira_protocol::AppointmentState::Booked
                    | seira_protocol::AppointmentState::CheckedIn
            )
        })
        .map(|a| Booked {
            to: a.start + SignedDuration::from_mins(i64::from(a.minutes)),
            checked_in: a.state == seira_protocol::AppointmentState::CheckedIn,
            desk: a.held_desk,
            service: a.service,
            from: a.start,
        })
        .collect();
        let waiting = store::waiting_counts(tx, &site.id)?;
        let recent: std::collections::HashMap<String, Vec<SignedDuration>> = site
            .services
            .iter()
            .map(|s| {
                let times =
                    store::recent_service_times(tx, &site.id, &s.id, estimate::RECENT_SERVICES)?;
                Ok((s.id.clone(), times))
            })
            .collect::<Result<_>>()?;
        let play = if waiting.values().sum::<u32>() <= FORECAST_MOST_WAITING {
            let mut runs = std::collections::HashMap::new();
            for desk in &site.desks {
                runs.insert(
                    desk.id.clone(),
                    store::load_desk(tx, &desk.id)?.and_then(|d| d.run),
                );
            }
            let calls = store::site_calls_since(tx, &site.id, now - forecast::OVERHEAD_WINDOW)?;
            let past: Vec<forecast::PastCall<'_>> = calls
                .iter()
                .filter(|(_, called_at, _)| *called_at <= now)
                .map(|(desk, called_at, served)| forecast::PastCall {
                    desk,
                    called_at: *called_at,
                    served: *served,
                })
                .collect();
            let overhead = forecast::overhead(&past);
            let desk_times = site
                .services
                .iter()
                .map(|s| {
                    let recent = recent.get(&s.id).map_or(&[][..], |r| r.as_slice());
                    let times = forecast::desk_times(recent, s.typical_service, overhead);
                    (s.id.clone(), times)
                })
                .collect();
            Some(Play {
                queue: store::waiting_at_site(tx, &site.id)?,
                runs,
                desk_times,
            })
        } else {
            None
        };
        Ok(SiteNow {
            now,
            states: store::desk_states(tx)?,
            in_hand: store::desks_in_hand(tx)?,
            waiting,
            book,
            recent,
            play,
        })
    }
}

/// The estimate in seconds, and its likely range where that is wide: the forecast where it
/// can be played, else the estimate. `ticket` is the waiting ticket whose wait it is; `None`
/// for one that would be taken now.
fn estimate_with_range(
    tx: &Transaction<'_>,
    site: &Site,
    service: &Service,
    ahead: u32,
    moment: &SiteNow,
    ticket: Option<&str>,
) -> Result<(u32, Option<[u32; 2]>)> {
    let secs = |d: SignedDuration| d.as_secs().clamp(0, u32::MAX as i64) as u32;
    if let Some(outlook) = forecast_wait(site, service, moment, ticket) {
        let range = (outlook.high - outlook.low >= estimate::RANGE_FROM)
            .then(|| [secs(outlook.low), secs(outlook.high)]);
        return Ok((secs(outlook.median), range));
    }
    let now = moment.now;
    let no_times = Vec::new();
    let recent = moment.recent.get(&service.id).unwrap_or(&no_times);
    let mut shares = Vec::new();
    let (mut paused, mut idle) = (0, 0);
    // The site's open desks: the earliest of their openings starts the pace's window.
    let mut opened: Option<Timestamp> = None;
    for desk in &site.desks {
        let Some((state, changed)) = moment.states.get(&desk.id) else {
            continue;
        };
        if *state == DeskState::Open {
            opened = opened.min(*changed).or(*changed);
        }
        if !desk.services.contains(&service.id) {
            continue;
        }
        match state {
            DeskState::Open => {
                let share = estimate::desk_share(&desk.services, &service.id, |s| {
                    moment.waiting.get(s).is_some_and(|n| *n > 0)
                });
                let booked: Vec<(Timestamp, Timestamp)> = moment
                    .book
                    .iter()
                    .filter(|b| b.desk == desk.id)
                    .map(|b| (b.from, b.to))
                    .collect();
                let free = 1.0 - estimate::booked_share(&booked, now);
                shares.push(free * share);
                if !moment.in_hand.contains_key(&desk.id) {
                    idle += 1;
                }
            }
            DeskState::Paused => paused += 1,
            DeskState::Closed => {}
        }
    }
    let opened = opened.unwrap_or(now).min(now);
    let since = (now - estimate::CALL_WINDOW).max(opened);
    let calls_ago: Vec<SignedDuration> = store::calls_since(tx, &site.id, &service.id, since)?
        .into_iter()
        .filter(|c| *c <= now)
        .map(|c| now.duration_since(c))
        .collect();
    let wait = estimate::estimate(&estimate::Situation {
        ahead,
        configured: service.typical_service,
        recent,
        desk_shares: &shares,
        paused_desks: paused,
        calls_ago: &calls_ago,
        open_for: now.duration_since(opened),
        idle_desks: idle,
    });
    let range = estimate::wait_range(recent, wait).map(|(low, high)| [secs(low), secs(high)]);
    Ok((secs(wait), range))
}

/// The forecast of `ticket`'s call (or of a ticket taken now), where the moment lets it be
/// played.
fn forecast_wait(
    site: &Site,
    service: &Service,
    moment: &SiteNow,
    ticket: Option<&str>,
) -> Option<forecast::Outlook> {
    let play = moment.play.as_ref()?;
    let now = moment.now;
    let desk_times =
        |s: &str| -> &[SignedDuration] { play.desk_times.get(s).map_or(&[], |t| t.as_slice()) };
    let target_wait = |s: &str| {
        site.service(s)
            .map_or(SignedDuration::from_mins(30), |s| s.target_wait)
    };
    let desks = site
        .desks
        .iter()
        .filter_map(|d| {
            let doing = match moment.states.get(&d.id)?.0 {
                DeskState::Open => match moment.in_hand.get(&d.id) {
                    Some((service, called)) => forecast::Doing::Serving {
                        service,
                        for_: now.duration_since(*called).max(SignedDuration::ZERO),
                    },
                    None => forecast::Doing::Free,
                },
                DeskState::Paused => forecast::Doing::Paused,
                DeskState::Closed => return None,
            };
            Some(forecast::Desk {
                id: &d.id,
                services: &d.services,
                policy: site.policy(d),
                run: play.runs.get(&d.id).copied().flatten(),
                doing,
            })
        })
        .collect();
    let mut tickets = Vec::new();
    let target = match ticket {
        Some(id) => play.queue.iter().position(|q| q.id == id)?,
        None => {
            // Behind everyone, even one who took a ticket this millisecond.
            tickets.push(forecast::Ticket {
                service: &service.id,
                class: calling::Class::Ordinary,
                queued_at: now + SignedDuration::from_millis(1),
                due_at: None,
                only_desk: None,
                from: now,
            });
            0
        }
    };
    tickets.extend(play.queue.iter().map(|q| forecast::Ticket {
        service: &q.service,
        class: calling::Class::of(q.priority),
        queued_at: q.line_at,
        due_at: q.due_at,
        only_desk: q.only_desk.as_deref(),
        from: now,
    }));
    // The booked citizens still to come, at their start.
    tickets.extend(
        moment
            .book
            .iter()
            .filter(|b| !b.checked_in && b.from >= now)
            .map(|b| forecast::Ticket {
                service: &b.service,
                class: calling::Class::Ordinary,
                queued_at: b.from,
                due_at: Some(b.from),
                only_desk: Some(&b.desk),
                from: b.from,
            }),
    );
    forecast::called_at(
        &forecast::Moment {
            now,
            desks,
            tickets,
            desk_times: &desk_times,
            target_wait: &target_wait,
        },
        target,
    )
}

// ---- reads ---------------------------------------------------------------------------------

/// The services of a site, with what waits and the estimated wait of a ticket taken now.
pub fn services(
    tx: &Transaction<'_>,
    config: &Config,
    site_id: &str,
    now: Timestamp,
) -> Result<SiteServices> {
    let site = config
        .site(site_id)
        .ok_or_else(|| not_found("site", site_id))?;
    let moment = SiteNow::load(tx, site, now)?;
    let services = site
        .services
        .iter()
        .map(|s| {
            let count = moment.waiting.get(&s.id).copied().unwrap_or(0);
            Ok(ServiceStatus {
                id: s.id.clone(),
                prefix: s.prefix.clone(),
                names: s.names.clone(),
                icon: s.icon.clone(),
                target_wait_min: (s.target_wait.as_secs() / 60) as u32,
                open_now: site.service_open(s, now),
                waiting: count,
                estimated_wait_s: estimate_with_range(tx, site, s, count, &moment, None)?.0,
                takes_appointments: s.appointment_slot.is_some(),
                phone_join: s.phone_join,
            })
        })
        .collect::<Result<_>>()?;
    Ok(SiteServices {
        site: site.id.clone(),
        site_names: site.names.clone(),
        open_now: site.is_open(now),
        services,
        priorities: config
            .priorities
            .iter()
            .map(|p| PriorityCategory {
                id: p.id.clone(),
                names: p.names.clone(),
            })
            .collect(),
        ticket_footer: site.ticket_footer.clone(),
    })
}

pub(super) fn desk_view(tx: &Transaction<'_>, site: &Site, desk_id: &str) -> Result<Desk> {
    let desk = site
        .desks
        .iter()
        .find(|d| d.id == desk_id)
        .ok_or_else(|| not_found("desk", desk_id))?;
    let row = store::load_desk(tx, desk_id)?.ok_or_else(|| not_found("desk", desk_id))?;
    let ticket = store::ticket_in_hand(tx, desk_id)?;
    let note = match &ticket {
        Some(t) => store::place_of(tx, &t.id)?.and_then(|p| p.note),
        None => None,
    };
    Ok(Desk {
        id: desk.id.clone(),
        site: site.id.clone(),
        names: desk.names.clone(),
        services: desk.services.clone(),
        order: desk.order,
        state: row.state,
        pause_reason: row.pause_reason,
        ticket,
        note,
    })
}

/// The desks of a site with their state and ticket in hand.
pub fn desks(tx: &Transaction<'_>, config: &Config, site_id: &str) -> Result<Vec<Desk>> {
    let site = config
        .site(site_id)
        .ok_or_else(|| not_found("site", site_id))?;
    site.desks
        .iter()
        .map(|d| desk_view(tx, site, &d.id))
        .collect()
}

/// The statistics of a site for the local days `from` to `to`, inclusive.
/// How far the estimated waits of `from`–`to` were from the real ones, by estimator (the
/// replay of `crate::stats::estimates`).
pub fn estimate_errors(
    tx: &Transaction<'_>,
    config: &Config,
    site_id: &str,
    from: jiff::civil::Date,
    to: jiff::civil::Date,
) -> Result<Vec<crate::stats::estimates::ErrorRow>> {
    let site = config
        .site(site_id)
        .ok_or_else(|| not_found("site", site_id))?;
    let (start, end) = crate::stats::period_bounds(from, to, &site.time_zone)
        .ok_or_else(|| invalid(ErrorCode::BadPeriod, "the period is outside the calendar"))?;
    let rows = store::replay_rows(tx, site_id, start, end)?;
    let changes = store::desk_changes(tx, site_id, start, end)?;
    // A checked-in appointment's ticket joined its queue at the check-in: its call is theirs.
    let calls: std::collections::HashMap<(&str, Timestamp), Timestamp> = rows
        .iter()
        .filter(|r| r.step.appointment && r.step.step == 1)
        .filter_map(|r| Some(((&*r.step.service, r.step.queued_at), r.step.called_at?)))
        .collect();
    let bookings =
        store::appointments_between(tx, site_id, start - SignedDuration::from_hours(24), end)?
            .into_iter()
            .filter(|a| a.state != seira_protocol::AppointmentState::Cancelled)
            .map(|a| {
                let to = a.start + SignedDuration::from_mins(i64::from(a.minutes));
                crate::stats::estimates::Booking {
                    held_until: if a.state == seira_protocol::AppointmentState::NoShow {
                        a.start + site.check_in_late
                    } else {
                        to
                    },
                    called_at: a
                        .checked_in_at
                        .and_then(|at| calls.get(&(&*a.service, at)).copied()),
                    checked_in_at: a.checked_in_at,
                    desk: a.held_desk,
                    service: a.service,
                    from: a.start,
                    to,
                }
            })
            .collect::<Vec<_>>();
    let shape = crate::stats::estimates::SiteShape {
        desks: site
            .desks
            .iter()
            .map(|d| (d.id.clone(), (d.services.clone(), site.policy(d))))
            .collect(),
        configured: site
            .services
            .iter()
            .map(|s| (s.id.clone(), s.typical_service))
            .collect(),
        target_wait: site
            .services
            .iter()
            .map(|s| (s.id.clone(), s.target_wait))
            .collect(),
    };
    Ok(crate::stats::estimates::replay(
        &shape, &rows, &changes, &bookings,
    ))
}

pub fn figures(
    tx: &Transaction<'_>,
    config: &Config,
    site_id: &str,
    from: jiff::civil::Date,
    to: jiff::civil::Date,
) -> Result<crate::stats::Figures> {
    let site = config
        .site(site_id)
        .ok_or_else(|| not_found("site", site_id))?;
    let (start, end) = crate::stats::period_bounds(from, to, &site.time_zone)
        .ok_or_else(|| invalid(ErrorCode::BadPeriod, "the period is outside the calendar"))?;
    let rows = store::stat_rows(tx, site_id, start, end)?;
    let targets = site
        .services
        .iter()
        .map(|s| (s.id.clone(), s.target_wait))
        .collect();
    let mut figures = crate::stats::compute(site_id, from, to, &site.time_zone, &targets, &rows);
    let booked = store::appointment_stat_rows(tx, site_id, start, end)?;
    figures.appointments = crate::stats::appointments::compute(&booked, site.check_in_late);
    // Who called is an account's name or a token's label: the accounts are the people.
    let people: std::collections::BTreeSet<String> =
        store::list_users(tx)?.into_iter().map(|u| u.name).collect();
    figures.staff_tokens = figures
        .by_staff
        .iter()
        .filter(|g| !people.contains(&g.key))
        .map(|g| g.key.clone())
        .collect();
    Ok(figures)
}

/// Today at a site, now: the queues and the desks.
pub fn live_today(
    tx: &Transaction<'_>,
    config: &Config,
    site_id: &str,
    now: Timestamp,
) -> Result<crate::stats::LiveToday> {
    let site = config
        .site(site_id)
        .ok_or_else(|| not_found("site", site_id))?;
    let desks = desks(tx, config, site_id)?;
    let count = |state: DeskState| desks.iter().filter(|d| d.state == state).count() as u32;
    Ok(crate::stats::LiveToday {
        site: site.id.clone(),
        at: now,
        queues: store::waiting_now(tx, site_id)?
            .into_iter()
            .map(|(service, waiting, since)| crate::stats::LiveQueue {
                names: site
                    .service(&service)
                    .map(|s| s.names.clone())
                    .unwrap_or_default(),
                service,
                waiting,
                longest_wait_s: now.duration_since(since).as_secs().max(0),
            })
            .collect(),
        desks_open: count(DeskState::Open),
        desks_paused: count(DeskState::Paused),
        desks_serving: desks.iter().filter(|d| d.ticket.is_some()).count() as u32,
    })
}

/// What the lobby screen shows now.
pub fn board(
    tx: &Transaction<'_>,
    config: &Config,
    site_id: &str,
    now: Timestamp,
) -> Result<Board> {
    let site = config
        .site(site_id)
        .ok_or_else(|| not_found("site", site_id))?;
    // Read the last event id first: the board may then include later changes too, which the
    // stream repeats harmlessly, but never misses one.
    let last_event_id = store::last_event_id(tx)?;
    let day = numbering::service_day(now, &site.time_zone);
    let calls = store::last_calls(tx, site_id, day, BOARD_CALLS)?
        .into_iter()
        .filter_map(|(t, announced)| {
            let desk_id = t.desk.clone()?;
            let desk = site.desks.iter().find(|d| d.id == desk_id)?;
            Some(BoardCall {
                number: t.number,
                step: t.step,
                service: t.service,
                desk: desk_id,
                desk_names: desk.names.clone(),
                called_at: announced,
                recalls: t.recalls,
                lang: t.lang,
            })
        })
        .collect();
    let waiting = store::waiting_counts(tx, site_id)?;
    Ok(Board {
        site: site.id.clone(),
        site_names: site.names.clone(),
        calls,
        queues: site
            .services
            .iter()
            .map(|s| BoardQueue {
                service: s.id.clone(),
                prefix: s.prefix.clone(),
                names: s.names.clone(),
                waiting: waiting.get(&s.id).copied().unwrap_or(0),
            })
            .collect(),
        news: site.news.clone(),
        desks: site
            .desks
            .iter()
            .map(|d| (d.id.clone(), d.names.clone()))
            .collect(),
        last_event_id,
        generated_at: now,
    })
}

/// Where a ticket's visit is now, for its holder.
pub fn track(
    tx: &Transaction<'_>,
    config: &Config,
    ticket_id: &str,
    now: Timestamp,
) -> Result<TrackView> {
    // The holder's paper names the first step (by its id or its short link); a transfer
    // moves the visit on.
    let ticket_id = &super::short_link::ticket_id(tx, ticket_id)?;
    let t = store::latest_step(tx, ticket_id)?.ok_or_else(|| not_found("ticket", ticket_id))?;
    let site = config
        .site(&t.site)
        .ok_or_else(|| not_found("site", &t.site))?;
    let service = site
        .service(&t.service)
        .ok_or_else(|| not_found("service", &t.service))?;
    let place = store::place_of(tx, &t.id)?;
    let appointment_at = place.as_ref().and_then(|p| p.due_at);
    let (position, estimated_wait_s, wait_range_s) = match (t.state, appointment_at) {
        // An appointment waits for its time, not for the walk-ins.
        (TicketState::Waiting, Some(due)) => (
            store::booked_ahead(tx, &site.id, &service.id, due)?,
            due.duration_since(now).max(SignedDuration::ZERO).as_secs() as u32,
            None,
        ),
        (TicketState::Waiting, None) => {
            let line_at = place.map_or(t.queued_at, |p| p.line_at);
            let ahead = store::waiting_ahead(tx, &site.id, &service.id, line_at)?;
            let moment = SiteNow::load(tx, site, now)?;
            let (wait, range) =
                estimate_with_range(tx, site, service, ahead, &moment, Some(&t.id))?;
            (ahead, wait, range)
        }
        _ => (0, 0, None),
    };
    let desk = t.desk.clone().filter(|_| lifecycle::holds_desk(t.state));
    let waiting = t.state == TicketState::Waiting;
    let visit = store::visit_id_of(tx, ticket_id)?.unwrap_or_else(|| ticket_id.to_owned());
    let text_requested = store::alert_state(tx, &visit, store::AlertChannel::Text)?.is_some();
    let push_requested = store::alert_state(tx, &visit, store::AlertChannel::Push)?.is_some();
    let can_rate = t.state == TicketState::Done && !store::visit_rated(tx, ticket_id)?;
    Ok(TrackView {
        lang: t.lang.clone(),
        wait_range_s,
        near_turn: waiting && crate::alerts::is_near(&site.near_turn, position, estimated_wait_s),
        can_rate,
        text_offered: waiting && site.near_turn.gateway.is_some(),
        text_requested,
        push_requested,
        number: t.number,
        site: t.site,
        service: t.service,
        service_names: service.names.clone(),
        state: t.state,
        position,
        estimated_wait_s,
        desk_names: desk
            .as_ref()
            .and_then(|d| site.desks.iter().find(|x| x.id == *d))
            .map(|d| d.names.clone()),
        desk,
        appointment_at,
    })
}

/// A site's waiting counts (for tests and the live view).
pub fn waiting(tx: &Transaction<'_>, site_id: &str) -> Result<BTreeMap<String, u32>> {
    Ok(store::waiting_counts(tx, site_id)?)
}

/// A device is online when heard from within this long: kiosks and displays report every
/// 20 s, so three missed reports. The server looks every 30 s, so staff hear of a device that
/// went silent within about 95 s.
pub const DEVICE_ONLINE: SignedDuration = SignedDuration::from_secs(65);

/// The site's devices, with whether they are online now.
pub fn devices(
    tx: &Transaction<'_>,
    config: &Config,
    site_id: &str,
    now: Timestamp,
) -> Result<Vec<Device>> {
    config
        .site(site_id)
        .ok_or_else(|| not_found("site", site_id))?;
    Ok(store::list_devices(tx, site_id)?
        .into_iter()
        .map(|(name, last_seen, printer)| Device {
            online: now.duration_since(last_seen) <= DEVICE_ONLINE,
            name,
            site: site_id.to_owned(),
            last_seen,
            printer,
        })
        .collect())
}

/// The most tickets one listing returns.
pub const LIST_LIMIT: usize = 500;

/// A site's tickets in one state (waiting or parked), in queue order.
pub fn tickets(
    tx: &Transaction<'_>,
    config: &Config,
    site_id: &str,
    state: TicketState,
) -> Result<Vec<Ticket>> {
    config
        .site(site_id)
        .ok_or_else(|| not_found("site", site_id))?;
    Ok(store::tickets_in_state(tx, site_id, state, LIST_LIMIT)?)
}
