//! The queue engine: each operation of the API as one function over one database transaction.
//!
//! It glues the pure rules of [`crate::queue`] to the SQL of [`crate::store`]: load what the
//! rule needs, ask the rule, write the result, and append the events that record it. The
//! events are returned to the caller, which publishes them only after the commit.
//!
//! It is the one door for every change of state, whatever the entry (API, pages, CLI): it
//! decides who may, and records the event with its actor. One file per concept:
//! [`tickets`] (issue, call, state changes, transfer), [`desk_day`] (done-and-next, undo of a
//! no-show, the desk's list in calling order), [`desks`] (open, pause, close),
//! [`appointments`] (the book: book, move, cancel), [`settings`]
//! (the live configuration), [`accounts`] (users and tokens), [`devices`] (reporting in),
//! [`housekeeping`] (closing time, notes of ended visits) and [`views`] (the reads).

mod accounts;
mod alerts;
mod appointments;
mod check_in;
mod desk_day;
mod desks;
mod devices;
mod door_code;
mod feedback;
mod housekeeping;
mod import;
mod join;
mod phone_batch;
mod reminders;
mod settings;
mod short_link;
mod tickets;
mod views;

pub use alerts::{ClaimedAlert, alerts_due};
pub use appointments::{CODE_LEN, appointments_of_day, appointments_of_days, new_code};
pub use check_in::normalise_code;
pub use desk_day::desk_queue;
pub use door_code::{DOOR_KEY, door_code, new_key as new_door_key};
pub use reminders::reminders_due;
use tickets::candidates;
pub use views::{
    DEVICE_ONLINE, LIST_LIMIT, board, desks, devices, estimate_errors, figures, live_today,
    services, tickets, track, waiting,
};

use jiff::Timestamp;
use rusqlite::Transaction;
use seira_protocol::{ErrorCode, Event, EventKind, Ticket};

use crate::auth::Caller;
use crate::config::{Config, Site};
use crate::queue::lifecycle::TransitionError;
use crate::store::{self, EventRow, StoreError};

pub use seira_protocol::BOARD_CALLS;

/// Why an operation did not happen.
#[derive(Debug, thiserror::Error)]
pub enum EngineError {
    #[error("there is no {what} `{id}`")]
    NotFound { what: &'static str, id: String },
    /// Not found, with its own code (a booking code nobody was given: `unknown_code`).
    #[error("{message}")]
    Missing { code: ErrorCode, message: String },
    #[error(transparent)]
    Transition(#[from] TransitionError),
    /// The request is well formed but the queue's state forbids it now.
    #[error("{message}")]
    Conflict { code: ErrorCode, message: String },
    /// A value is not acceptable.
    #[error("{message}")]
    Invalid { code: ErrorCode, message: String },
    /// Settings that are not valid, said in English and in Greek (the admin page's language).
    #[error("{message}")]
    InvalidSettings { message: String, message_el: String },
    #[error("{0}")]
    Forbidden(String),
    /// Too many just now: allowed again after `retry_after`.
    #[error("{message}")]
    TooMany {
        code: ErrorCode,
        message: String,
        retry_after: std::time::Duration,
    },
    #[error(transparent)]
    Store(#[from] StoreError),
}

impl From<rusqlite::Error> for EngineError {
    fn from(e: rusqlite::Error) -> Self {
        EngineError::Store(StoreError::Sql(e))
    }
}

fn not_found(what: &'static str, id: &str) -> EngineError {
    EngineError::NotFound {
        what,
        id: id.to_owned(),
    }
}

fn conflict(code: ErrorCode, message: impl Into<String>) -> EngineError {
    EngineError::Conflict {
        code,
        message: message.into(),
    }
}

fn invalid(code: ErrorCode, message: impl Into<String>) -> EngineError {
    EngineError::Invalid {
        code,
        message: message.into(),
    }
}

/// One operation's context: its transaction, the configuration, the time, who acts, and the
/// events it has appended.
pub struct Ctx<'a, 'c> {
    pub tx: &'a Transaction<'c>,
    pub config: &'a Config,
    pub now: Timestamp,
    pub actor: Option<&'a Caller>,
    pub events: Vec<Event>,
}

type Result<T> = std::result::Result<T, EngineError>;

impl<'a, 'c> Ctx<'a, 'c> {
    pub fn new(
        tx: &'a Transaction<'c>,
        config: &'a Config,
        now: Timestamp,
        actor: Option<&'a Caller>,
    ) -> Self {
        // The store keeps milliseconds: answer with the time as it will be read back.
        let now = Timestamp::from_millisecond(now.as_millisecond()).unwrap_or(now);
        Ctx {
            tx,
            config,
            now,
            actor,
            events: Vec::new(),
        }
    }

    fn site(&self, id: &str) -> Result<&'a Site> {
        self.config.site(id).ok_or_else(|| not_found("site", id))
    }

    fn forbid_unless(&self, allowed: impl FnOnce(&Caller) -> bool) -> Result<()> {
        match self.actor {
            Some(caller) if !allowed(caller) => Err(EngineError::Forbidden(format!(
                "`{}` ({}) may not do this",
                caller.label,
                caller.role.as_str()
            ))),
            _ => Ok(()),
        }
    }

    fn record(
        &mut self,
        site: &str,
        kind: EventKind,
        ticket: Option<&Ticket>,
        desk: Option<&str>,
    ) -> Result<()> {
        self.record_detail(site, kind, ticket, desk, None)
    }

    fn record_detail(
        &mut self,
        site: &str,
        kind: EventKind,
        ticket: Option<&Ticket>,
        desk: Option<&str>,
        detail: Option<String>,
    ) -> Result<()> {
        let waiting = store::waiting_counts(self.tx, site)?;
        let event = store::append_event(
            self.tx,
            EventRow {
                at: self.now,
                site,
                kind,
                ticket,
                desk,
                actor: self.actor.map(|c| c.label.as_str()),
                waiting,
                detail,
            },
        )?;
        self.events.push(event);
        Ok(())
    }
}

/// The engine against a temporary store: the door decides who may, and records who did.
#[cfg(test)]
mod tests {
    use jiff::{SignedDuration, Timestamp};
    use seira_protocol::{
        Appointment, Channel, DeskState, EventKind, IssueTicket, NewAppointment, TicketState,
    };

    use super::*;
    use crate::auth::Role;
    use crate::queue::lifecycle::Action;
    use crate::store::Store;

    struct Fixture {
        store: Store,
        config: Config,
        _dir: tempfile::TempDir,
    }

    fn fixture() -> Fixture {
        let dir = tempfile::tempdir().unwrap();
        let store = Store::open(&dir.path().join("engine.db")).unwrap();
        let config = Config::embedded().always_open();
        store
            .write(|tx| store::sync_desks(tx, config.desk_ids()).map_err(StoreError::from))
            .unwrap();
        Fixture {
            store,
            config,
            _dir: dir,
        }
    }

    fn who(role: Role, site: Option<&str>, desk: Option<&str>) -> Caller {
        Caller {
            role,
            site: site.map(str::to_owned),
            desks: desk.map(str::to_owned).into_iter().collect(),
            label: format!("{} at {}", role.as_str(), desk.or(site).unwrap_or("*")),
        }
    }

    impl Fixture {
        /// One operation as `actor` at `now`, in its own transaction.
        fn run<T>(
            &self,
            actor: &Caller,
            now: Timestamp,
            op: impl FnOnce(&mut Ctx<'_, '_>) -> Result<T>,
        ) -> Result<(T, Vec<Event>)> {
            self.store.write(|tx| {
                let mut ctx = Ctx::new(tx, &self.config, now, Some(actor));
                let value = op(&mut ctx)?;
                Ok((value, ctx.events))
            })
        }
    }

    fn request(service: &str, id: &str) -> IssueTicket {
        IssueTicket {
            service: service.into(),
            priority: None,
            lang: Some("ar".into()),
            request_id: id.into(),
        }
    }

    #[test]
    fn a_ticket_is_issued_called_and_finished_through_the_door_with_its_actors() {
        let f = fixture();
        let now = Timestamp::now();
        let kiosk = who(Role::Kiosk, Some("chania"), None);
        let staff = who(Role::Staff, Some("chania"), Some("chania-1"));
        let ((issued, created), events) = f
            .run(&kiosk, now, |ctx| {
                ctx.issue("chania", &request("benefits", "r1"), Channel::Kiosk)
            })
            .unwrap();
        assert!(created);
        assert_eq!((issued.number.as_str(), issued.position), ("A001", 0));
        assert_eq!(events[0].kind, EventKind::TicketIssued);
        f.run(&staff, now, |ctx| {
            ctx.set_desk_state("chania-1", DeskState::Open, None)
        })
        .unwrap();
        let (called, events) = f.run(&staff, now, |ctx| ctx.call_next("chania-1")).unwrap();
        let called = called.unwrap();
        assert_eq!(
            (called.id.as_str(), called.state),
            (issued.id.as_str(), TicketState::Called)
        );
        assert_eq!(events[0].kind, EventKind::TicketCalled);
        let later = now + SignedDuration::from_mins(5);
        f.run(&staff, later, |ctx| ctx.act(&called.id, Action::Start))
            .unwrap();
        let (next, events) = f
            .run(&staff, later, |ctx| ctx.done_and_next("chania-1"))
            .unwrap();
        assert!(next.is_none(), "nothing else waits");
        assert_eq!(events[0].kind, EventKind::TicketDone);
        // The same request again is the same ticket, and no event.
        let ((again, created), events) = f
            .run(&kiosk, later, |ctx| {
                ctx.issue("chania", &request("benefits", "r1"), Channel::Kiosk)
            })
            .unwrap();
        assert!(!created && events.is_empty());
        assert_eq!(again.id, issued.id);
    }

    #[test]
    fn the_door_refuses_those_who_may_not() {
        let f = fixture();
        let now = Timestamp::now();
        fn forbidden<T>(r: Result<T>) -> bool {
            matches!(r, Err(EngineError::Forbidden(_)))
        }
        let souda_kiosk = who(Role::Kiosk, Some("souda"), None);
        assert!(forbidden(f.run(&souda_kiosk, now, |ctx| {
            ctx.issue("chania", &request("benefits", "x"), Channel::Kiosk)
        })));
        let display = who(Role::Display, Some("chania"), None);
        assert!(forbidden(f.run(&display, now, |ctx| {
            ctx.set_desk_state("chania-1", DeskState::Open, None)
        })));
        let other_desk = who(Role::Staff, Some("chania"), Some("chania-2"));
        assert!(forbidden(
            f.run(&other_desk, now, |ctx| ctx.call_next("chania-1"))
        ));
        let staff = who(Role::Staff, Some("chania"), None);
        assert!(forbidden(f.run(&staff, now, |ctx| {
            ctx.create_token(&who(Role::Kiosk, Some("chania"), None), &[0u8; 32])
        })));
        let manager = who(Role::Manager, Some("chania"), None);
        assert!(forbidden(f.run(&manager, now, |ctx| {
            ctx.heartbeat("chania", seira_protocol::PrinterStatus::Ready)
        })));
        // And nothing was written.
        let waiting = f.store.read(|tx| waiting(tx, "chania")).unwrap();
        assert!(waiting.is_empty());
    }

    #[test]
    fn a_token_made_at_the_door_is_recorded_without_its_secret() {
        let f = fixture();
        let operator = Caller::operator();
        let scope = who(Role::Kiosk, Some("chania"), None);
        let (id, events) = f
            .run(&operator, Timestamp::now(), |ctx| {
                ctx.create_token(&scope, &[7u8; 32])
            })
            .unwrap();
        assert_eq!(events[0].kind, EventKind::TokenChanged);
        let detail = events[0].detail.clone().unwrap();
        assert!(
            detail.contains(&format!("token {id}")) && detail.contains("kiosk"),
            "{detail}"
        );
        let (row, _) = f
            .run(&operator, Timestamp::now(), |ctx| ctx.revoke_token(id))
            .unwrap();
        assert!(row.revoked_at.is_some());
        assert!(matches!(
            f.run(&operator, Timestamp::now(), |ctx| ctx.revoke_token(id)),
            Err(EngineError::NotFound { .. })
        ));
    }

    /// The waiting counts the triggers keep (events, boards and estimates read them) are the
    /// queue's, whatever happens to its tickets.
    #[test]
    fn the_kept_waiting_counts_follow_every_change() {
        let f = fixture();
        let now = Timestamp::now();
        let kiosk = who(Role::Kiosk, Some("chania"), None);
        let staff = who(Role::Staff, Some("chania"), None);
        let site = f.config.site("chania").unwrap();
        let services: Vec<String> = site.services.iter().map(|s| s.id.clone()).collect();
        let counted = || {
            f.store
                .read(|tx| {
                    let mut stmt = tx.prepare(
                        "SELECT service, COUNT(*) FROM tickets WHERE site = 'chania' \
                         AND state = 'waiting' GROUP BY service",
                    )?;
                    let rows = stmt.query_map([], |r| Ok((r.get(0)?, r.get(1)?)))?;
                    rows.collect::<rusqlite::Result<std::collections::BTreeMap<String, u32>>>()
                        .map_err(StoreError::from)
                })
                .unwrap()
        };
        let kept = || f.store.read(|tx| waiting(tx, "chania")).unwrap();
        let mut ids = Vec::new();
        for i in 0..12 {
            let service = &services[i % services.len().min(3)];
            let ((issued, _), _) = f
                .run(&kiosk, now, |ctx| {
                    ctx.issue(
                        "chania",
                        &request(service, &format!("r{i}")),
                        Channel::Kiosk,
                    )
                })
                .unwrap();
            ids.push(issued.id);
        }
        assert_eq!(kept(), counted());
        assert_eq!(kept().values().sum::<u32>(), 12);
        for desk in site.desks.iter().take(3) {
            f.run(&staff, now, |ctx| {
                ctx.set_desk_state(&desk.id, DeskState::Open, None)
            })
            .unwrap();
            let (called, _) = f.run(&staff, now, |ctx| ctx.call_next(&desk.id)).unwrap();
            assert_eq!(kept(), counted());
            if let Some(t) = called {
                f.run(&staff, now, |ctx| ctx.act(&t.id, Action::NoShow))
                    .unwrap();
                assert_eq!(kept(), counted());
                let (back, _) = f.run(&staff, now, |ctx| ctx.undo_no_show(&t.id)).unwrap();
                assert_eq!(kept(), counted());
                if back.state == TicketState::Called {
                    f.run(&staff, now, |ctx| {
                        ctx.transfer(
                            &back.id,
                            &seira_protocol::Transfer {
                                service: services[services.len() - 1].clone(),
                                desk: None,
                                place: Default::default(),
                                note: None,
                            },
                        )
                    })
                    .unwrap();
                    assert_eq!(kept(), counted());
                }
            }
        }
        for id in &ids[6..9] {
            let _ = f.run(&staff, now, |ctx| ctx.act(id, Action::Cancel));
            assert_eq!(kept(), counted());
        }
        assert!(kept().values().sum::<u32>() < 12);
    }

    fn booking(service: &str, desk: Option<&str>, start: Timestamp, id: &str) -> NewAppointment {
        NewAppointment {
            service: service.into(),
            desk: desk.map(str::to_owned),
            start,
            minutes: 30,
            request_id: id.into(),
            contact: Some("6900000000".into()),
            note: None,
        }
    }

    /// Tomorrow at 10:00 in Athens: on a 5-minute mark, in the future.
    fn tomorrow_at_ten(now: Timestamp) -> Timestamp {
        let tz = jiff::tz::TimeZone::get("Europe/Athens").unwrap();
        tz.to_datetime(now)
            .date()
            .tomorrow()
            .unwrap()
            .at(10, 0, 0, 0)
            .to_zoned_datetime(tz)
            .unwrap()
            .timestamp()
    }

    #[test]
    fn a_desk_time_is_never_given_twice_and_any_desk_takes_the_next_free_one() {
        let f = fixture();
        let now = Timestamp::now();
        let staff = who(Role::Staff, Some("chania"), None);
        let ten = tomorrow_at_ten(now);
        let ((first, created), events) = f
            .run(&staff, now, |ctx| {
                ctx.book(
                    "chania",
                    &booking("psychosocial", Some("chania-3"), ten, "b1"),
                )
            })
            .unwrap();
        assert!(created);
        assert_eq!(events[0].kind, EventKind::AppointmentBooked);
        assert_eq!(first.code.len(), CODE_LEN);
        assert!(
            first
                .code
                .bytes()
                .all(|b| b"ACDEFGHJKMNPQRTUVWXY34679".contains(&b))
        );
        assert!(
            !events[0].detail.as_deref().unwrap().contains(&first.code),
            "the code checks the citizen in: it stays out of the log"
        );
        // The same request again is the same appointment.
        let ((again, created), _) = f
            .run(&staff, now, |ctx| {
                ctx.book(
                    "chania",
                    &booking("psychosocial", Some("chania-3"), ten, "b1"),
                )
            })
            .unwrap();
        assert!(!created && again.id == first.id);
        // Overlapping time at the same desk: refused.
        let overlapping = ten + SignedDuration::from_mins(15);
        let taken = f.run(&staff, now, |ctx| {
            ctx.book(
                "chania",
                &booking("psychosocial", Some("chania-3"), overlapping, "b2"),
            )
        });
        assert!(
            matches!(
                taken,
                Err(EngineError::Conflict {
                    code: ErrorCode::SlotTaken,
                    ..
                })
            ),
            "{taken:?}"
        );
        // Any desk: the other psychosocial desk (chania-4) is free then.
        let ((other, _), _) = f
            .run(&staff, now, |ctx| {
                ctx.book("chania", &booking("psychosocial", None, overlapping, "b3"))
            })
            .unwrap();
        assert_eq!(
            (other.desk.as_deref(), other.held_desk.as_str()),
            (None, "chania-4")
        );
        // And with both held, none is free.
        let none = f.run(&staff, now, |ctx| {
            ctx.book("chania", &booking("psychosocial", None, ten, "b4"))
        });
        assert!(matches!(
            none,
            Err(EngineError::Conflict {
                code: ErrorCode::SlotTaken,
                ..
            })
        ));
        // Even a write behind the engine's back cannot hold the same 5 minutes twice.
        let twice = f.store.write(|tx| {
            tx.execute(
                "INSERT INTO appointment_slots (desk, at, appointment) VALUES ('chania-3', ?1, ?2)",
                rusqlite::params![ten.as_millisecond(), other.id],
            )
            .map_err(StoreError::from)
        });
        let refused = format!("{:?}", twice.unwrap_err());
        assert!(
            refused.contains("UNIQUE") || refused.contains("PRIMARY"),
            "{refused}"
        );
    }

    #[test]
    fn moving_and_cancelling_free_the_time_and_cancelling_forgets_the_contact() {
        let f = fixture();
        let now = Timestamp::now();
        let staff = who(Role::Staff, Some("chania"), None);
        let ten = tomorrow_at_ten(now);
        let ((a, _), _) = f
            .run(&staff, now, |ctx| {
                ctx.book(
                    "chania",
                    &booking("psychosocial", Some("chania-3"), ten, "m1"),
                )
            })
            .unwrap();
        let eleven = ten + SignedDuration::from_hours(1);
        let (moved, events) = f
            .run(&staff, now, |ctx| {
                ctx.move_appointment(
                    &a.id,
                    &seira_protocol::MoveAppointment {
                        start: eleven,
                        minutes: Some(45),
                        desk: None,
                    },
                )
            })
            .unwrap();
        assert_eq!((moved.start, moved.minutes), (eleven, 45));
        assert_eq!(events[0].kind, EventKind::AppointmentMoved);
        // Ten o'clock is free again; eleven is held.
        f.run(&staff, now, |ctx| {
            ctx.book(
                "chania",
                &booking("psychosocial", Some("chania-3"), ten, "m2"),
            )
        })
        .unwrap();
        let held = f.run(&staff, now, |ctx| {
            ctx.book(
                "chania",
                &booking("psychosocial", Some("chania-3"), eleven, "m3"),
            )
        });
        assert!(matches!(
            held,
            Err(EngineError::Conflict {
                code: ErrorCode::SlotTaken,
                ..
            })
        ));
        let (cancelled, events) = f
            .run(&staff, now, |ctx| ctx.cancel_appointment(&a.id))
            .unwrap();
        assert_eq!(cancelled.state, seira_protocol::AppointmentState::Cancelled);
        assert_eq!(events[0].kind, EventKind::AppointmentCancelled);
        assert!(
            !f.store
                .read(|tx| Ok::<_, StoreError>(store::has_contact(tx, &a.id)?))
                .unwrap()
        );
        f.run(&staff, now, |ctx| {
            ctx.book(
                "chania",
                &booking("psychosocial", Some("chania-3"), eleven, "m4"),
            )
        })
        .unwrap();
        // A cancelled appointment stays cancelled.
        let again = f.run(&staff, now, |ctx| ctx.cancel_appointment(&a.id));
        assert!(matches!(again, Err(EngineError::Conflict { .. })));
        let day = jiff::tz::TimeZone::get("Europe/Athens")
            .unwrap()
            .to_datetime(now)
            .date()
            .tomorrow()
            .unwrap();
        let book = f
            .store
            .read(|tx| appointments_of_day(tx, &f.config, "chania", day))
            .unwrap();
        assert_eq!(book.len(), 3);
        assert!(book.windows(2).all(|w| w[0].start <= w[1].start));
    }

    #[test]
    fn bad_times_and_strangers_are_refused() {
        let f = fixture();
        let now = Timestamp::now();
        let staff = who(Role::Staff, Some("chania"), None);
        let ten = tomorrow_at_ten(now);
        let bad_time = |r: Result<(Appointment, bool)>| {
            matches!(
                r,
                Err(EngineError::Invalid {
                    code: ErrorCode::InvalidTime,
                    ..
                })
            )
        };
        let odd = ten + SignedDuration::from_mins(2);
        assert!(bad_time(
            f.run(&staff, now, |ctx| {
                ctx.book("chania", &booking("psychosocial", None, odd, "t1"))
            })
            .map(|(v, _)| v)
        ));
        let past = ten - SignedDuration::from_hours(72);
        assert!(bad_time(
            f.run(&staff, now, |ctx| {
                ctx.book("chania", &booking("psychosocial", None, past, "t2"))
            })
            .map(|(v, _)| v)
        ));
        let mut long = booking("psychosocial", None, ten, "t3");
        long.minutes = 7;
        assert!(bad_time(
            f.run(&staff, now, |ctx| ctx.book("chania", &long))
                .map(|(v, _)| v)
        ));
        let walk_in = f.run(&staff, now, |ctx| {
            ctx.book("chania", &booking("benefits", None, ten, "t6"))
        });
        assert!(matches!(
            walk_in,
            Err(EngineError::Invalid {
                code: ErrorCode::NotBookable,
                ..
            })
        ));
        let wrong_desk = f.run(&staff, now, |ctx| {
            ctx.book(
                "chania",
                &booking("psychosocial", Some("chania-1"), ten, "t4"),
            )
        });
        assert!(matches!(
            wrong_desk,
            Err(EngineError::Invalid {
                code: ErrorCode::DeskNotForService,
                ..
            })
        ));
        for stranger in [
            who(Role::Kiosk, Some("chania"), None),
            who(Role::Staff, Some("souda"), None),
        ] {
            let r = f.run(&stranger, now, |ctx| {
                ctx.book("chania", &booking("psychosocial", None, ten, "t5"))
            });
            assert!(matches!(r, Err(EngineError::Forbidden(_))), "{r:?}");
        }
    }
    /// Check-in through the door: too early is refused with the hour it opens, on time waits
    /// for its start and goes first then, an unchecked one becomes a no-show that frees its
    /// time, a late one queues as a walk-in, and a served one forgets its contact.
    #[test]
    fn check_in_places_by_the_window_and_the_book_follows_the_visit() {
        use seira_protocol::{AppointmentState, CheckIn};
        let f = fixture();
        let staff = who(Role::Staff, Some("chania"), None);
        let kiosk = who(Role::Kiosk, Some("chania"), None);
        let ten = tomorrow_at_ten(Timestamp::now());
        let min = |m: i64| ten + SignedDuration::from_mins(m);
        let book = |desk, start, id| {
            f.run(&staff, Timestamp::now(), |ctx| {
                ctx.book("chania", &booking("psychosocial", desk, start, id))
            })
            .unwrap()
            .0
            .0
        };
        let a = book(Some("chania-3"), ten, "c1");
        let b = book(Some("chania-3"), min(30), "c2");
        let check_in = |code: &str, at: Timestamp, id: &str| {
            f.run(&kiosk, at, |ctx| {
                ctx.check_in(
                    "chania",
                    code,
                    &CheckIn {
                        request_id: id.into(),
                        lang: Some("ar".into()),
                    },
                )
            })
        };
        let early = check_in(&a.code, min(-11), "k0");
        assert!(
            matches!(&early, Err(EngineError::Conflict { code: ErrorCode::TooEarly, message })
                if message.contains("09:50")),
            "{early:?}"
        );
        let unknown = check_in("QQQQQQ", min(-5), "k1");
        assert!(matches!(
            unknown,
            Err(EngineError::Missing {
                code: ErrorCode::UnknownCode,
                ..
            })
        ));
        let typed = a.code.to_lowercase();
        let ((ticket, created), events) = check_in(&typed, min(-5), "k2").unwrap();
        assert!(created);
        assert_eq!(ticket.appointment_at, Some(ten));
        assert_eq!(ticket.estimated_wait_s, 300);
        assert_eq!(
            events.iter().map(|e| e.kind).collect::<Vec<_>>(),
            [EventKind::TicketIssued, EventKind::AppointmentCheckedIn]
        );
        assert!(!events[1].detail.as_deref().unwrap().contains(&a.code));
        // The same touch again: the same ticket; checking in twice: refused.
        let ((again, created), _) = check_in(&a.code, min(-4), "k2").unwrap();
        assert!(!created && again.id == ticket.id);
        assert!(matches!(
            check_in(&a.code, min(-4), "k3"),
            Err(EngineError::Conflict { .. })
        ));
        // A walk-in came first, but from ten the appointment goes first.
        let ((walk_in, _), _) = f
            .run(&kiosk, min(-20), |ctx| {
                ctx.issue("chania", &request("psychosocial", "w1"), Channel::Kiosk)
            })
            .unwrap();
        f.run(&staff, min(-3), |ctx| {
            ctx.set_desk_state("chania-3", DeskState::Open, None)
        })
        .unwrap();
        let (first, _) = f
            .run(&staff, min(-3), |ctx| ctx.call_next("chania-3"))
            .unwrap();
        assert_eq!(first.unwrap().id, walk_in.id, "before ten, the walk-in");
        f.run(&staff, min(-3), |ctx| ctx.act(&walk_in.id, Action::Start))
            .unwrap();
        let (next, _) = f
            .run(&staff, min(1), |ctx| ctx.done_and_next("chania-3"))
            .unwrap();
        let next = next.unwrap();
        assert_eq!(next.id, ticket.id);
        assert_eq!(next.channel, Channel::Appointment);
        // B was not checked in by 10:45: a no-show, its time free.
        let (expired, events) = f
            .run(&staff, min(46), |ctx| ctx.expire_appointments())
            .unwrap();
        assert_eq!(expired, 1);
        assert_eq!(events[0].kind, EventKind::AppointmentNoShow);
        let free = f
            .store
            .read(|tx| Ok::<_, StoreError>(!store::desk_time_taken(tx, "chania-3", min(30), 30)?))
            .unwrap();
        assert!(free, "the no-show's time is free");
        // A is served: the book says so and the contact is gone.
        f.run(&staff, min(47), |ctx| ctx.act(&next.id, Action::Start))
            .unwrap();
        f.run(&staff, min(70), |ctx| ctx.act(&next.id, Action::Done))
            .unwrap();
        let state = |id: &str| {
            f.store
                .read(|tx| Ok::<_, StoreError>(store::load_appointment(tx, id)?.unwrap()))
                .unwrap()
        };
        assert_eq!(state(&a.id).state, AppointmentState::Served);
        assert_eq!(
            state(&a.id).ticket_number.as_deref(),
            Some(ticket.number.as_str())
        );
        assert_eq!(state(&a.id).checked_in_at, Some(min(-5)));
        assert!(
            !f.store
                .read(|tx| Ok::<_, StoreError>(store::has_contact(tx, &a.id)?))
                .unwrap()
        );
        // B comes at 10:50, late: a walk-in by the time it checked in.
        assert_eq!(state(&b.id).state, AppointmentState::NoShow);
        let ((late, _), events) = check_in(&b.code, min(50), "k4").unwrap();
        assert_eq!(late.appointment_at, None);
        assert!(events[1].detail.as_deref().unwrap().starts_with("late"));
        assert_eq!(state(&b.id).state, AppointmentState::CheckedIn);
    }
}
