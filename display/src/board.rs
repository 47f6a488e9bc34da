//! What the lobby screen shows, kept up to date from the event stream: it starts from the
//! server's `/board` and applies each event after it, so a call is never missed and never
//! shown (or announced) twice, however the connection comes and goes.

use std::collections::VecDeque;

use seira_protocol::{Board, BoardCall, Event, EventKind, Names};

/// How many calls the screen keeps (the newest is the big one); it shows as many as fit.
pub const SHOWN_CALLS: usize = seira_protocol::BOARD_CALLS;

/// A call to announce aloud.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Announcement {
    pub number: String,
    pub desk_names: Names,
    /// When the desk called: a call that reaches the screen long after (the screen was cut
    /// off for minutes) is shown but not spoken.
    pub called_at: jiff::Timestamp,
    /// The language the ticket was taken in: the call is said in it too.
    pub lang: Option<String>,
}

#[derive(Debug, Clone, PartialEq)]
pub struct BoardState {
    pub board: Board,
    /// Calls waiting to be spoken, oldest first.
    pub to_announce: VecDeque<Announcement>,
}

impl BoardState {
    pub fn new(board: Board) -> BoardState {
        BoardState {
            board,
            to_announce: VecDeque::new(),
        }
    }

    /// Takes the configuration from a board loaded anew (after the site's settings changed):
    /// names, services, news and desks. The calls and the place in the event stream stay, so
    /// the events since are still applied, and announced, one by one.
    pub fn reload(&mut self, board: Board) {
        let old = std::mem::replace(&mut self.board, board);
        let waiting: std::collections::HashMap<_, _> = old
            .queues
            .iter()
            .map(|q| (q.service.clone(), q.waiting))
            .collect();
        for queue in &mut self.board.queues {
            if let Some(&count) = waiting.get(&queue.service) {
                queue.waiting = count;
            }
        }
        self.board.calls = old.calls;
        self.board.last_event_id = old.last_event_id;
        for call in &mut self.board.calls {
            if let Some(names) = self.board.desks.get(&call.desk) {
                call.desk_names = names.clone();
            }
        }
    }

    /// The id to resume the event stream after.
    pub fn last_event_id(&self) -> i64 {
        self.board.last_event_id
    }

    /// Applies one event from the stream; an event already applied is ignored.
    pub fn apply(&mut self, event: &Event) {
        if event.id <= self.board.last_event_id {
            return;
        }
        self.board.last_event_id = event.id;
        for queue in &mut self.board.queues {
            queue.waiting = event.waiting.get(&queue.service).copied().unwrap_or(0);
        }
        if !matches!(
            event.kind,
            EventKind::TicketCalled | EventKind::TicketRecalled
        ) {
            return;
        }
        let (Some(ticket), Some(desk)) = (&event.ticket, &event.desk) else {
            return;
        };
        let desk_names = self
            .board
            .desks
            .get(desk)
            .cloned()
            .unwrap_or_else(|| desk_names_from(desk));
        self.board
            .calls
            .retain(|c| (c.number.as_str(), c.step) != (ticket.number.as_str(), ticket.step));
        self.board.calls.insert(
            0,
            BoardCall {
                number: ticket.number.clone(),
                step: ticket.step,
                service: ticket.service.clone(),
                desk: desk.clone(),
                desk_names: desk_names.clone(),
                called_at: event.at,
                recalls: ticket.recalls,
                lang: ticket.lang.clone(),
            },
        );
        self.board.calls.truncate(SHOWN_CALLS);
        self.to_announce.push_back(Announcement {
            number: ticket.number.clone(),
            desk_names,
            called_at: event.at,
            lang: ticket.lang.clone(),
        });
    }
}

/// Events carry the desk's id; its names come from the board's desks. A desk added after the
/// board was loaded is named by its id until the board is loaded again.
fn desk_names_from(desk: &str) -> Names {
    [
        ("el".to_owned(), desk.to_owned()),
        ("en".to_owned(), desk.to_owned()),
    ]
    .into_iter()
    .collect()
}

#[cfg(test)]
mod tests {
    use super::*;
    use seira_protocol::{BoardQueue, Channel, Ticket, TicketState};

    fn names(el: &str) -> Names {
        [("el".to_owned(), el.to_owned())].into_iter().collect()
    }

    fn board() -> Board {
        Board {
            site: "chania".into(),
            site_names: names("Κέντρο"),
            calls: vec![BoardCall {
                number: "A001".into(),
                step: 1,
                service: "benefits".into(),
                desk: "chania-1".into(),
                desk_names: names("Γραφείο 1"),
                called_at: "2026-11-23T08:00:00Z".parse().unwrap(),
                recalls: 0,
                lang: None,
            }],
            queues: vec![BoardQueue {
                service: "benefits".into(),
                prefix: "A".into(),
                names: names("Επιδόματα"),
                waiting: 3,
            }],
            news: vec![],
            desks: [
                ("chania-1".to_owned(), names("Γραφείο 1")),
                ("chania-2".to_owned(), names("Γραφείο 2")),
            ]
            .into_iter()
            .collect(),
            last_event_id: 10,
            generated_at: "2026-11-23T08:00:00Z".parse().unwrap(),
        }
    }

    fn call(
        id: i64,
        kind: EventKind,
        ticket: &str,
        number: &str,
        desk: &str,
        recalls: u32,
        waiting: u32,
    ) -> Event {
        Event {
            id,
            at: "2026-11-23T08:05:00Z".parse().unwrap(),
            site: "chania".into(),
            kind,
            ticket: Some(Ticket {
                id: ticket.into(),
                number: number.into(),
                site: "chania".into(),
                service: "benefits".into(),
                state: TicketState::Called,
                priority: None,
                channel: Channel::Kiosk,
                lang: None,
                desk: Some(desk.into()),
                recalls,
                step: 1,
                issued_at: "2026-11-23T07:50:00Z".parse().unwrap(),
                queued_at: "2026-11-23T07:50:00Z".parse().unwrap(),
                called_at: None,
                started_at: None,
                finished_at: None,
                inaccurate_time: false,
            }),
            desk: Some(desk.into()),
            waiting: [("benefits".to_owned(), waiting)].into_iter().collect(),
            detail: None,
        }
    }

    #[test]
    fn a_call_goes_on_top_updates_the_counts_and_is_announced_once() {
        let mut state = BoardState::new(board());
        let event = call(11, EventKind::TicketCalled, "t1", "A002", "chania-1", 0, 2);
        state.apply(&event);
        state.apply(&event); // the same event again after a reconnect
        assert_eq!(state.board.calls[0].number, "A002");
        assert_eq!(state.board.calls[0].desk_names, names("Γραφείο 1"));
        assert_eq!(state.board.queues[0].waiting, 2);
        assert_eq!(state.to_announce.len(), 1);
        assert_eq!(state.last_event_id(), 11);
        // Events from before the board are ignored.
        state.apply(&call(
            9,
            EventKind::TicketCalled,
            "t9",
            "A099",
            "chania-1",
            0,
            7,
        ));
        assert_eq!(state.board.calls[0].number, "A002");
    }

    #[test]
    fn a_recall_is_announced_again_and_not_listed_twice() {
        let mut state = BoardState::new(board());
        state.apply(&call(
            11,
            EventKind::TicketCalled,
            "t1",
            "A002",
            "chania-1",
            0,
            2,
        ));
        state.apply(&call(
            12,
            EventKind::TicketCalled,
            "t2",
            "A003",
            "chania-2",
            0,
            1,
        ));
        state.apply(&call(
            13,
            EventKind::TicketRecalled,
            "t1",
            "A002",
            "chania-1",
            1,
            1,
        ));
        let numbers: Vec<_> = state
            .board
            .calls
            .iter()
            .map(|c| c.number.as_str())
            .collect();
        assert_eq!(numbers, ["A002", "A003", "A001"]);
        assert_eq!(state.to_announce.len(), 3);
    }

    #[test]
    fn the_board_keeps_the_last_ten_calls() {
        let mut state = BoardState::new(board());
        for i in 0..14 {
            state.apply(&call(
                11 + i,
                EventKind::TicketCalled,
                &format!("t{i}"),
                &format!("A{i:03}"),
                "chania-1",
                0,
                0,
            ));
        }
        assert_eq!(state.board.calls.len(), SHOWN_CALLS);
        assert_eq!(state.board.calls[0].number, "A013");
    }

    #[test]
    fn a_reloaded_board_renames_but_keeps_the_calls_and_the_place_in_the_stream() {
        let mut state = BoardState::new(board());
        state.apply(&call(
            11,
            EventKind::TicketCalled,
            "t1",
            "A002",
            "chania-1",
            0,
            2,
        ));
        let mut newer = board();
        newer.calls.clear();
        newer.last_event_id = 15;
        newer.desks.insert("chania-1".into(), names("Θυρίδα Α"));
        newer.news = vec![names("Νέα")];
        state.reload(newer);
        assert_eq!(state.last_event_id(), 11);
        assert_eq!(state.board.calls.len(), 2);
        assert_eq!(state.board.calls[0].desk_names, names("Θυρίδα Α"));
        assert_eq!(state.board.queues[0].waiting, 2);
        assert_eq!(state.board.news.len(), 1);
        // The calls between the two boards still come, and are announced.
        state.apply(&call(
            12,
            EventKind::TicketCalled,
            "t2",
            "A003",
            "chania-1",
            0,
            1,
        ));
        assert_eq!(state.to_announce.len(), 2);
        assert_eq!(state.to_announce[1].desk_names, names("Θυρίδα Α"));
    }

    #[test]
    fn other_events_only_move_the_counts() {
        let mut state = BoardState::new(board());
        let mut issued = call(11, EventKind::TicketIssued, "t5", "A005", "chania-1", 0, 4);
        issued.desk = None;
        state.apply(&issued);
        assert_eq!(
            (state.board.calls.len(), state.board.queues[0].waiting),
            (1, 4)
        );
        assert!(state.to_announce.is_empty());
    }
}
