//! The live configuration: a site's settings and the priority categories, changed by admins,
//! validated as a file would be, versioned, and recorded.

use seira_protocol::admin::SiteSettings;
use seira_protocol::{ErrorCode, EventKind, PriorityCategory};

use super::{Ctx, EngineError, Result, conflict, not_found};
use crate::auth::Role;
use crate::config::Config;
use crate::store;

impl Ctx<'_, '_> {
    /// Replaces one site's settings in the stored configuration `stored` (version
    /// `expected`, as the admin's form was loaded). Returns the new version and configuration.
    pub fn update_site_settings(
        &mut self,
        stored: &Config,
        expected: i64,
        settings: SiteSettings,
    ) -> Result<(i64, Config)> {
        self.forbid_unless(|c| c.role == Role::Admin)?;
        let site_id = settings.id.clone();
        let old = stored
            .site(&site_id)
            .ok_or_else(|| not_found("site", &site_id))?;
        let latest = store::latest_config(self.tx)?.map_or(0, |(v, _)| v);
        if latest != expected {
            return Err(conflict(
                ErrorCode::StaleSettings,
                "someone changed the settings meanwhile: load them again",
            ));
        }
        // A secret the admin's form shows only as kept stays as it was.
        let settings = settings.keeping_secrets_of(&stored.site_settings(old));
        let changed = stored.with_site(settings).map_err(invalid_settings)?;
        let new = changed
            .site(&site_id)
            .ok_or_else(|| not_found("site", &site_id))?;
        let gateways = new
            .reminders
            .iter()
            .map(|g| g.url.as_str())
            .chain(new.near_turn.gateway.iter().map(|g| g.url.as_str()));
        for url in gateways {
            if let Err(refused) =
                crate::destination::check_url(url, &self.config.internal_gateway_hosts)
            {
                return Err(EngineError::InvalidSettings {
                    message: format!("a message gateway's address: {refused}"),
                    message_el: "η διεύθυνση μιας πύλης μηνυμάτων δείχνει σε αυτόν τον υπολογιστή, στο τοπικό του δίκτυο ή σε υπηρεσία μεταδεδομένων: ορίστε τη στο internal_gateway_hosts του αρχείου του διακομιστή, αν πράγματι βρίσκεται εκεί".to_owned(),
                });
            }
        }
        for desk in old
            .desks
            .iter()
            .filter(|d| !new.desks.iter().any(|n| n.id == d.id))
        {
            if let Some(held) = store::ticket_in_hand(self.tx, &desk.id)? {
                return Err(conflict(
                    ErrorCode::DeskInUse,
                    format!("desk `{}` holds {}: finish it first", desk.id, held.number),
                ));
            }
        }
        for service in old.services.iter().filter(|s| new.service(&s.id).is_none()) {
            let open = store::open_tickets_before(self.tx, &site_id)?
                .into_iter()
                .filter(|(t, _)| t.service == service.id)
                .count();
            if open > 0 {
                return Err(conflict(
                    ErrorCode::ServiceInUse,
                    format!("{open} ticket(s) of `{}` are still open", service.id),
                ));
            }
        }
        let actor = self.actor.map_or("system", |c| c.label.as_str());
        let version = store::save_config(self.tx, &changed.to_toml(), actor, self.now)?;
        store::sync_desks(
            self.tx,
            new.desks.iter().map(|d| (site_id.as_str(), d.id.as_str())),
        )?;
        self.record(&site_id, EventKind::SettingsChanged, None, None)?;
        Ok((version, changed))
    }

    /// Replaces the priority categories in the stored configuration `stored` (version
    /// `expected`). Returns the new version and configuration.
    pub fn update_priorities(
        &mut self,
        stored: &Config,
        expected: i64,
        priorities: &[PriorityCategory],
    ) -> Result<(i64, Config)> {
        self.forbid_unless(|c| c.role == Role::Admin)?;
        let latest = store::latest_config(self.tx)?.map_or(0, |(v, _)| v);
        if latest != expected {
            return Err(conflict(
                ErrorCode::StaleSettings,
                "someone changed the settings meanwhile: load them again",
            ));
        }
        let changed = stored
            .with_priorities(priorities)
            .map_err(invalid_settings)?;
        let actor = self.actor.map_or("system", |c| c.label.as_str());
        let version = store::save_config(self.tx, &changed.to_toml(), actor, self.now)?;
        for site in &changed.sites {
            self.record(&site.id, EventKind::SettingsChanged, None, None)?;
        }
        Ok((version, changed))
    }
}

/// Every reason a configuration was refused, in both languages.
fn invalid_settings(errors: crate::config::ConfigErrors) -> EngineError {
    let join = |f: fn(&crate::config::ConfigError) -> &str| {
        errors.errors.iter().map(f).collect::<Vec<_>>().join("; ")
    };
    EngineError::InvalidSettings {
        message: join(|e| &e.message),
        message_el: join(|e| &e.message_el),
    }
}
