//! Who is calling, and what each role may do.
//!
//! Devices and staff send `Authorization: Bearer <token>`. A token is 256 random bits; the
//! database keeps only its SHA-256, so a copy of the database does not give anyone a working
//! token, and revoking one takes effect on the next request.

use base64::Engine as _;
use sha2::{Digest, Sha256};

pub use seira_protocol::Role;

/// The holder of a valid token.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Caller {
    pub role: Role,
    /// The site it is limited to; `None` only for admins.
    pub site: Option<String>,
    /// For staff: the desks it may act at; empty for every desk of its site.
    pub desks: Vec<String>,
    /// Who or what it is, for the audit trail (a device or account name, never a citizen).
    pub label: String,
}

impl Caller {
    /// The operator at the server's command line (`seira token`, `seira user`, `seira up`):
    /// whoever holds the database file is its administrator. The audit trail names their
    /// login.
    pub fn operator() -> Caller {
        let login = std::env::var("SUDO_USER")
            .or_else(|_| std::env::var("USER"))
            .unwrap_or_else(|_| "unknown".to_owned());
        Caller {
            role: Role::Admin,
            site: None,
            desks: Vec::new(),
            label: format!("command line ({login})"),
        }
    }

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
            Role::Staff => {
                self.at_site(site)
                    && (self.desks.is_empty() || self.desks.iter().any(|d| d == desk))
            }
            _ => false,
        }
    }

    /// Act on waiting or parked tickets of the site (cancel, return to the queue).
    /// The statistics of a site: its managers, and admins.
    pub fn may_read_stats(&self, site: &str) -> bool {
        self.at_site(site) && matches!(self.role, Role::Manager | Role::Admin)
    }

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
            role,
            site: site.map(str::to_owned),
            desks: desk.into_iter().map(str::to_owned).collect(),
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

/// Checks and completes the scope of a new token or user against the configuration: the
/// site and desks exist, the desks are at the site (the site is taken from them when not
/// given), and every role but admin is limited to a site.
pub fn token_scope(
    config: &crate::config::Config,
    role: Role,
    site: Option<String>,
    desks: Vec<String>,
    label: String,
) -> Result<Caller, ScopeError> {
    let err = |m: String| Err(ScopeError(m));
    if let Some(s) = &site
        && config.site(s).is_none()
    {
        return err(format!("there is no site `{s}`"));
    }
    let mut site = site;
    for d in &desks {
        match config.desk(d) {
            None => return err(format!("there is no desk `{d}`")),
            Some((desk_site, _)) => match &site {
                Some(s) if *s != desk_site.id => {
                    return err(format!("desk `{d}` is not at site `{s}`"));
                }
                _ => site = Some(desk_site.id.clone()),
            },
        }
    }
    if !desks.is_empty() && role != Role::Staff {
        return err("only staff are limited to desks".into());
    }
    if role != Role::Admin && site.is_none() {
        return err(format!("a {} needs --site (or --desk)", role.as_str()));
    }
    if label.trim().is_empty() || label.len() > 80 {
        return err("the name must be 1 to 80 characters".into());
    }
    Ok(Caller {
        role,
        site,
        desks,
        label,
    })
}

/// The shortest password accepted.
pub const MIN_PASSWORD_CHARS: usize = 12;

/// Why a password cannot be set.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum PasswordError {
    #[error("the password must have at least {MIN_PASSWORD_CHARS} characters")]
    TooShort,
    #[error("the password could not be hashed: {0}")]
    Hash(String),
}

/// An argon2id hash (the crate's default cost) of a new password, as a PHC string. Slow on
/// purpose: call it off the async threads.
pub fn hash_password(password: &str) -> Result<String, PasswordError> {
    use argon2::password_hash::PasswordHasher;
    if password.chars().count() < MIN_PASSWORD_CHARS {
        return Err(PasswordError::TooShort);
    }
    argon2::Argon2::default()
        .hash_password(password.as_bytes())
        .map(|h| h.to_string())
        .map_err(|e| PasswordError::Hash(e.to_string()))
}

/// Whether `password` matches the PHC string `hash`. Slow on purpose, like hashing.
pub fn verify_password(password: &str, hash: &str) -> bool {
    use argon2::password_hash::PasswordVerifier;
    let Ok(parsed) = argon2::password_hash::phc::PasswordHash::new(hash) else {
        return false;
    };
    argon2::Argon2::default()
        .verify_password(password.as_bytes(), &parsed)
        .is_ok()
}

/// A hash no password matches, checked when the user does not exist so that a wrong name
/// takes as long as a wrong password.
pub fn decoy_hash() -> &'static str {
    static DECOY: std::sync::OnceLock<String> = std::sync::OnceLock::new();
    DECOY.get_or_init(|| {
        let mut bytes = [0u8; 24];
        rand::fill(&mut bytes);
        hash_password(&hex::encode(bytes)).unwrap_or_default()
    })
}

#[cfg(test)]
mod password_tests {
    use super::*;

    #[test]
    fn passwords_hash_with_argon2id_and_verify() {
        let hash = hash_password("σωστός κωδικός 1").unwrap();
        assert!(hash.starts_with("$argon2id$"), "{hash}");
        assert!(verify_password("σωστός κωδικός 1", &hash));
        assert!(!verify_password("λάθος κωδικός 12", &hash));
        assert!(!verify_password("anything at all", decoy_hash()));
        assert!(!verify_password("x", "not a hash"));
        assert_eq!(hash_password("short"), Err(PasswordError::TooShort));
    }
}
