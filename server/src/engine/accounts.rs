//! Accounts (users and tokens): the record of an admin's change.

use seira_protocol::EventKind;

use super::{Ctx, Result};

impl Ctx<'_, '_> {
    /// Records an admin's change to an account (`what` names it, never a secret).
    pub fn record_account_change(
        &mut self,
        kind: EventKind,
        site: Option<&str>,
        what: String,
    ) -> Result<()> {
        self.record_detail(site.unwrap_or("*"), kind, None, None, Some(what))
    }
}
