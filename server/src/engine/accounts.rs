//! Accounts: the people who sign in on the pages and the tokens of devices and staff. Every
//! change is an admin's (an admin account, or the operator at the command line), and is
//! recorded with who made it and what it concerned — never a password or a token.

use seira_protocol::{ErrorCode, EventKind};

use super::{Ctx, EngineError, Result, conflict, not_found};
use crate::auth::{Caller, Role};
use crate::store::{self, TokenRow, UserRow};

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

    fn admins_only(&self) -> Result<()> {
        self.forbid_unless(|c| c.role == Role::Admin)
    }

    /// Adds a person who signs in (`user` is their scope and name). The password's hash is
    /// made before the transaction: argon2 is slow on purpose.
    pub fn add_user(&mut self, user: &Caller, password_hash: &str) -> Result<()> {
        self.admins_only()?;
        if store::insert_user(self.tx, user, password_hash, self.now)?.is_none() {
            return Err(conflict(
                ErrorCode::NameTaken,
                format!("there is a user `{}` already", user.label),
            ));
        }
        self.record_account_change(
            EventKind::UserChanged,
            user.site.as_deref(),
            user.label.clone(),
        )
    }

    /// Gives a user a new password; their sessions end.
    pub fn set_password(&mut self, name: &str, password_hash: &str) -> Result<UserRow> {
        self.change_user(name, |ctx, user| {
            Ok(store::set_password(ctx.tx, user.id, password_hash)?)
        })
    }

    /// Disables a user (they cannot sign in, their sessions end) or enables them again. An
    /// admin cannot disable their own account.
    pub fn set_user_disabled(&mut self, name: &str, disabled: bool) -> Result<UserRow> {
        if disabled && self.actor.is_some_and(|c| c.label == name) {
            return Err(conflict(
                ErrorCode::OwnAccount,
                "you cannot disable your own account",
            ));
        }
        self.change_user(name, |ctx, user| {
            Ok(store::set_user_disabled(
                ctx.tx, user.id, disabled, ctx.now,
            )?)
        })
    }

    fn change_user(
        &mut self,
        name: &str,
        change: impl FnOnce(&Self, &UserRow) -> Result<()>,
    ) -> Result<UserRow> {
        self.admins_only()?;
        let user = store::find_user(self.tx, name)?.ok_or_else(|| not_found("user", name))?;
        change(self, &user)?;
        self.record_account_change(
            EventKind::UserChanged,
            user.site.as_deref(),
            name.to_owned(),
        )?;
        Ok(store::find_user(self.tx, name)?.unwrap_or(user))
    }

    /// Stores a new token for `scope` (only its hash, `hash`); returns its number.
    pub fn create_token(&mut self, scope: &Caller, hash: &[u8]) -> Result<i64> {
        self.admins_only()?;
        let id = store::insert_token(self.tx, hash, scope, self.now)?;
        let what = format!("token {id} ({}, {})", scope.role.as_str(), scope.label);
        self.record_account_change(EventKind::TokenChanged, scope.site.as_deref(), what)?;
        Ok(id)
    }

    /// Revokes a token: it stops working at once.
    pub fn revoke_token(&mut self, id: i64) -> Result<TokenRow> {
        self.admins_only()?;
        if !store::revoke_token(self.tx, id, self.now)? {
            return Err(EngineError::NotFound {
                what: "active token",
                id: id.to_string(),
            });
        }
        let row = store::list_tokens(self.tx)?
            .into_iter()
            .find(|t| t.id == id)
            .ok_or_else(|| not_found("token", &id.to_string()))?;
        let what = format!("token {id} revoked ({})", row.label);
        self.record_account_change(EventKind::TokenChanged, row.site.as_deref(), what)?;
        Ok(row)
    }

    /// Revokes every active token whose label starts with `prefix` but those in `keep` (the
    /// demo's own set, kept across its starts); returns how many.
    pub fn revoke_tokens_labelled(&mut self, prefix: &str, keep: &[Vec<u8>]) -> Result<usize> {
        self.admins_only()?;
        let revoked = store::revoke_labelled_except(self.tx, prefix, keep, self.now)?;
        if revoked > 0 {
            let what = format!("{revoked} `{prefix}…` token(s) revoked");
            self.record_account_change(EventKind::TokenChanged, None, what)?;
        }
        Ok(revoked)
    }
}
