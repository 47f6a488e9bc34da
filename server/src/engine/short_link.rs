//! A ticket's short link, printed under its QR code for a phone that cannot read one:
//! `oura.chania.gr/t/KX7PQ-4MN2A`. Ten characters of the booking codes' alphabet (no 0/O,
//! 1/I/L, 2/Z, 5/S, 8/B): 95 trillion codes, so a link is not found by guessing, though it is
//! typed in a few seconds. Every page and API that takes a ticket's id takes its code too.

use rusqlite::Transaction;
use seira_protocol::Ticket;

use super::{Ctx, Result, not_found};
use crate::store;

/// Characters in a short link's code.
pub const SHORT_LEN: usize = 10;

/// A new random code.
pub fn new_code() -> String {
    super::appointments::random_code(SHORT_LEN)
}

/// The code as printed: two groups of five.
pub fn printed(code: &str) -> String {
    let (first, second) = code.split_at(code.len().min(5));
    format!("{first}-{second}")
}

/// The ticket id `key` names: itself, or the ticket whose short link code it is (typed in
/// any case, with or without the dash).
pub(super) fn ticket_id(tx: &Transaction<'_>, key: &str) -> Result<String> {
    let code: String = key
        .chars()
        .filter(|c| !matches!(c, '-' | ' '))
        .map(|c| c.to_ascii_uppercase())
        .collect();
    if code.len() == SHORT_LEN
        && code
            .bytes()
            .all(|b| super::appointments::CODE_ALPHABET.contains(&b))
        && let Some(id) = store::ticket_by_short_code(tx, &code)?
    {
        return Ok(id);
    }
    Ok(key.to_owned())
}

impl Ctx<'_, '_> {
    /// The ticket named by its holder's key — its id or its printed short link code, never
    /// anything a screen shows — as its id and its visit's newest step, for what only the
    /// holder does: rate the visit, ask for or drop an alert. A token of another site is
    /// refused: one centre's devices and staff have no business with another's visits.
    pub(super) fn holders_ticket(&self, key: &str) -> Result<(String, Ticket)> {
        let id = ticket_id(self.tx, key)?;
        let t = store::latest_step(self.tx, &id)?.ok_or_else(|| not_found("ticket", &id))?;
        self.forbid_unless(|c| c.may_read_site(&t.site))?;
        Ok((id, t))
    }
}

#[cfg(test)]
mod tests {
    #[test]
    fn a_code_prints_in_two_groups() {
        assert_eq!(super::printed("KX7PQ4MN2A"), "KX7PQ-4MN2A");
        let code = super::new_code();
        assert_eq!(code.len(), super::SHORT_LEN);
    }
}
