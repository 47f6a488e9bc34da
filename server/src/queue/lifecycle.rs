//! Which state changes a ticket can make. Everything else is refused with
//! [`TransitionError`], which the API answers with 409.
//!
//! ```text
//!  waiting ──call──▶ called ──start──▶ serving ──done──▶ done
//!     │  ▲             │ ▲ recall         │
//!     │  └──return── parked ◀──park───────┤ (also from called)
//!     │                │                  └──transfer──▶ transferred (+ a new waiting step)
//!     ├──cancel ──▶ cancelled ──undo_cancel──▶ waiting (a batch of phone tickets)
//!     │                ├──no_show──▶ no_show ──undo_no_show──▶ waiting
//!     └──void (print failed)
//! ```
//!
//! A no-show is final but for one thing: staff may undo a mistaken one within the site's
//! undo window (the engine checks the time; this table only allows the change). So is a
//! cancellation, for the tickets of a batch of phone tickets removed at once.

use seira_protocol::TicketState;

/// What someone asks to happen to a ticket.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Action {
    Call,
    Recall,
    Start,
    Done,
    NoShow,
    Cancel,
    Transfer,
    Park,
    Return,
    Void,
    UndoNoShow,
    UndoCancel,
}

impl Action {
    pub fn verb(self) -> &'static str {
        match self {
            Self::Call => "call",
            Self::Recall => "recall",
            Self::Start => "start",
            Self::Done => "finish",
            Self::NoShow => "mark as no-show",
            Self::Cancel => "cancel",
            Self::Transfer => "transfer",
            Self::Park => "park",
            Self::Return => "return to the queue",
            Self::Void => "void",
            Self::UndoNoShow => "undo a no-show",
            Self::UndoCancel => "undo a cancellation",
        }
    }
}

#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("a ticket that is {} cannot be asked to {}", .from.as_str(), .action.verb())]
pub struct TransitionError {
    pub from: TicketState,
    pub action: Action,
}

/// The state after `action`, or why it cannot happen.
pub fn transition(from: TicketState, action: Action) -> Result<TicketState, TransitionError> {
    use Action as A;
    use TicketState as S;
    let to = match (from, action) {
        (S::Waiting, A::Call) => S::Called,
        (S::Called, A::Recall) => S::Called,
        (S::Called, A::Start) => S::Serving,
        (S::Serving, A::Done) => S::Done,
        (S::Called, A::NoShow) => S::NoShow,
        (S::Waiting | S::Called | S::Parked, A::Cancel) => S::Cancelled,
        (S::Called | S::Serving, A::Transfer) => S::Transferred,
        (S::Called | S::Serving, A::Park) => S::Parked,
        (S::Parked, A::Return) => S::Waiting,
        (S::Waiting, A::Void) => S::Voided,
        (S::NoShow, A::UndoNoShow) => S::Waiting,
        (S::Cancelled, A::UndoCancel) => S::Waiting,
        _ => return Err(TransitionError { from, action }),
    };
    Ok(to)
}

/// Whether a ticket in this state occupies its desk.
pub fn holds_desk(state: TicketState) -> bool {
    matches!(state, TicketState::Called | TicketState::Serving)
}

#[cfg(test)]
mod tests {
    use super::*;
    use Action as A;
    use TicketState as S;

    const ACTIONS: [Action; 12] = [
        A::Call,
        A::Recall,
        A::Start,
        A::Done,
        A::NoShow,
        A::Cancel,
        A::Transfer,
        A::Park,
        A::Return,
        A::Void,
        A::UndoNoShow,
        A::UndoCancel,
    ];

    /// Every legal change. Every pair not in this table must be refused.
    const LEGAL: &[(TicketState, Action, TicketState)] = &[
        (S::Waiting, A::Call, S::Called),
        (S::Waiting, A::Cancel, S::Cancelled),
        (S::Waiting, A::Void, S::Voided),
        (S::Called, A::Recall, S::Called),
        (S::Called, A::Start, S::Serving),
        (S::Called, A::NoShow, S::NoShow),
        (S::Called, A::Cancel, S::Cancelled),
        (S::Called, A::Transfer, S::Transferred),
        (S::Called, A::Park, S::Parked),
        (S::Serving, A::Done, S::Done),
        (S::Serving, A::Transfer, S::Transferred),
        (S::Serving, A::Park, S::Parked),
        (S::Parked, A::Return, S::Waiting),
        (S::Parked, A::Cancel, S::Cancelled),
        (S::NoShow, A::UndoNoShow, S::Waiting),
        (S::Cancelled, A::UndoCancel, S::Waiting),
    ];

    #[test]
    fn legal_changes_reach_their_state() {
        for &(from, action, to) in LEGAL {
            assert_eq!(transition(from, action), Ok(to), "{from:?} {action:?}");
        }
    }

    #[test]
    fn every_other_change_is_refused_with_its_error() {
        for from in TicketState::ALL {
            for action in ACTIONS {
                if LEGAL.iter().any(|&(f, a, _)| f == from && a == action) {
                    continue;
                }
                assert_eq!(
                    transition(from, action),
                    Err(TransitionError { from, action }),
                    "{from:?} {action:?} must be refused"
                );
            }
        }
    }

    #[test]
    fn final_states_accept_nothing_but_their_undo() {
        for from in TicketState::ALL.into_iter().filter(|s| s.is_final()) {
            for action in ACTIONS {
                if matches!(
                    (from, action),
                    (S::NoShow, A::UndoNoShow) | (S::Cancelled, A::UndoCancel)
                ) {
                    continue;
                }
                assert!(transition(from, action).is_err(), "{from:?} {action:?}");
            }
        }
    }

    #[test]
    fn the_error_reads_well() {
        let e = transition(S::Done, A::Start).unwrap_err();
        assert_eq!(
            e.to_string(),
            "a ticket that is done cannot be asked to start"
        );
    }
}
