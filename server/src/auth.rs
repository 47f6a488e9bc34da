//! Who is calling, and what each role may do.
//!
//! Devices and staff send `Authorization: Bearer <token>`. A token is 256 random bits; the
//! database keeps only its SHA-256, so a copy of the database does not give anyone a working
//! token, and revoking one takes effect on the next request.

use base64::Engine as _;
use sha2::{Digest, Sha256};

/// What a token may do.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Role {
    /// Issues tickets at one site.
    Kiosk,
    /// Reads one site's board and events.
    Display,
    /// Calls and serves at a desk of one site (one desk, when the token names it).
    Staff,
    /// Reads everything of one site: desks, queues, statistics.
    Manager,
    /// Everything, everywhere.
    Admin,
}

impl Role {
    pub const ALL: [Role; 5] = [
        Role::Kiosk,
        Role::Display,
        Role::Staff,
        Role::Manager,
        Role::Admin,
    ];

    pub fn as_str(self) -> &'static str {
        match self {
            Role::Kiosk => "kiosk",
            Role::Display => "display",
            Role::Staff => "staff",
            Role::Manager => "manager",
            Role::Admin => "admin",
        }
    }

    pub fn parse(s: &str) -> Option<Role> {
        Role::ALL.into_iter().find(|r| r.as_str() == s)
    }
}

/// The holder of a valid token.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Caller {
    pub token_id: i64,
    pub role: Role,
    /// The site it is limited to; `None` only for admins.
    pub site: Option<String>,
    /// For staff: the one desk it may act at; `None` for any desk of its site.
    pub desk: Option<String>,
    /// Who or what it is, for the audit trail (a device or account name, never a citizen).
    pub label: String,
}

impl Caller {
    fn at_site(&self, site: &str) -> bool {
        self.role == Role::Admin || self.site.as_deref() == Some(site)
    }

    /// Services, board and events of the site.
    pub fn may_read_site(&self, site: &str) -> bool {
        self.at_site(site)
    }

    /// Desks and their tickets in hand.
    pub fn may_see_desks(&self, site: &str) -> bool {
        self.at_site(site) && matches!(self.role, Role::Staff | Role::Manager | Role::Admin)
    }

    pub fn may_issue(&self, site: &str) -> bool {
        self.at_site(site) && matches!(self.role, Role::Kiosk | Role::Staff | Role::Admin)
    }

    /// Void a ticket whose print failed.
    pub fn may_void(&self, site: &str) -> bool {
        self.may_issue(site)
    }

    /// Act at a desk: call, change its state, and act on the ticket it holds.
    pub fn may_act_at_desk(&self, site: &str, desk: &str) -> bool {
        match self.role {
            Role::Admin => true,
            Role::Staff => self.at_site(site) && self.desk.as_deref().is_none_or(|d| d == desk),
            _ => false,
        }
    }

    /// Act on waiting or parked tickets of the site (cancel, return to the queue).
    pub fn may_manage_queue(&self, site: &str) -> bool {
        self.at_site(site) && matches!(self.role, Role::Staff | Role::Admin)
    }
}

/// A new random token (`seira_` + 43 base64url characters) and the hash to store.
pub fn new_token() -> (String, Vec<u8>) {
    let mut bytes = [0u8; 32];
    rand::fill(&mut bytes);
    let token = format!(
        "seira_{}",
        base64::engine::general_purpose::URL_SAFE_NO_PAD.encode(bytes)
    );
    let hash = hash_token(&token);
    (token, hash)
}

pub fn hash_token(token: &str) -> Vec<u8> {
    Sha256::digest(token.as_bytes()).to_vec()
}

/// A new unguessable ticket id (128 random bits, hex).
pub fn new_ticket_id() -> String {
    let mut bytes = [0u8; 16];
    rand::fill(&mut bytes);
    hex::encode(bytes)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn tokens_are_long_random_and_stored_hashed() {
        let (a, hash_a) = new_token();
        let (b, _) = new_token();
        assert_ne!(a, b);
        assert!(a.starts_with("seira_") && a.len() == 6 + 43, "{a}");
        assert_eq!(hash_a, hash_token(&a));
        assert_eq!(hash_a.len(), 32);
        assert_eq!(new_ticket_id().len(), 32);
    }

    fn caller(role: Role, site: Option<&str>, desk: Option<&str>) -> Caller {
        Caller {
            token_id: 1,
            role,
            site: site.map(str::to_owned),
            desk: desk.map(str::to_owned),
            label: "test".into(),
        }
    }

    #[test]
    fn scopes() {
        let staff_d1 = caller(Role::Staff, Some("x"), Some("d1"));
        assert!(staff_d1.may_act_at_desk("x", "d1"));
        assert!(!staff_d1.may_act_at_desk("x", "d2"));
        assert!(!staff_d1.may_act_at_desk("y", "d1"));
        let staff_any = caller(Role::Staff, Some("x"), None);
        assert!(staff_any.may_act_at_desk("x", "d2"));
        let kiosk = caller(Role::Kiosk, Some("x"), None);
        assert!(kiosk.may_issue("x") && !kiosk.may_issue("y"));
        assert!(!kiosk.may_act_at_desk("x", "d1") && !kiosk.may_see_desks("x"));
        let display = caller(Role::Display, Some("x"), None);
        assert!(display.may_read_site("x") && !display.may_issue("x"));
        let manager = caller(Role::Manager, Some("x"), None);
        assert!(manager.may_see_desks("x") && !manager.may_act_at_desk("x", "d1"));
        let admin = caller(Role::Admin, None, None);
        assert!(admin.may_issue("y") && admin.may_act_at_desk("y", "d9"));
    }
}

/// Why a token's scope is not acceptable.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("{0}")]
pub struct ScopeError(pub String);

/// Checks and completes the scope of a new token against the configuration: the site and
/// desk exist, the desk is at the site (the site is taken from the desk when not given), and
/// every role but admin is limited to a site.
pub fn token_scope(
    config: &crate::config::Config,
    role: Role,
    site: Option<String>,
    desk: Option<String>,
    label: String,
) -> Result<Caller, ScopeError> {
    let err = |m: String| Err(ScopeError(m));
    let site = match (&site, &desk) {
        (Some(s), _) if config.site(s).is_none() => return err(format!("there is no site `{s}`")),
        (_, Some(d)) => match config.desk(d) {
            None => return err(format!("there is no desk `{d}`")),
            Some((desk_site, _)) if site.as_ref().is_some_and(|s| *s != desk_site.id) => {
                return err(format!(
                    "desk `{d}` is not at site `{}`",
                    site.unwrap_or_default()
                ));
            }
            Some((desk_site, _)) => Some(desk_site.id.clone()),
        },
        _ => site,
    };
    if desk.is_some() && role != Role::Staff {
        return err("only staff tokens are limited to a desk".into());
    }
    if role != Role::Admin && site.is_none() {
        return err(format!(
            "a {} token needs --site (or --desk)",
            role.as_str()
        ));
    }
    if label.trim().is_empty() || label.len() > 80 {
        return err("the label must be 1 to 80 characters".into());
    }
    Ok(Caller {
        token_id: 0,
        role,
        site,
        desk,
        label,
    })
}
