//! Near-turn messages through the door: a holder asks for one (a text message to a number,
//! or a Web Push notification to the browser) or takes it back on the phone page; the sender
//! claims those whose turn has come near and records what came of each attempt, as an event
//! without the contact.

use jiff::SignedDuration;
use seira_protocol::{ErrorCode, EventKind, InLang, PushSubscription, TicketState, TrackView};

use super::{Ctx, EngineError, Result, conflict, invalid, not_found, views};
use crate::alerts;
use crate::gateway::{self, Filled, Sent};
use crate::phone::PhoneNumber;
use crate::push::{self, Subscription, Vapid};
use crate::store::{self, AlertChannel};

/// How long a claimed message is left to its attempt before another pass may try it.
const CLAIM: SignedDuration = SignedDuration::from_mins(2);

/// A message claimed for sending.
#[derive(Debug, Clone)]
pub struct ClaimedAlert {
    pub visit_id: String,
    pub channel: AlertChannel,
    pub request: Filled,
}

impl Ctx<'_, '_> {
    /// A text message near the turn of the visit of ticket `id`, to `phone`.
    pub fn ask_text_alert(&mut self, id: &str, phone: &str) -> Result<()> {
        let (visit, site) = self.waiting_visit(id)?;
        if self.site(&site)?.near_turn.gateway.is_none() {
            return Err(conflict(
                ErrorCode::NotOffered,
                "this centre sends no text messages",
            ));
        }
        let number = PhoneNumber::parse(phone).ok_or_else(|| {
            invalid(
                ErrorCode::InvalidPhone,
                "not a mobile number: digits with the country code, e.g. +30 69…",
            )
        })?;
        store::set_alert(
            self.tx,
            &visit,
            AlertChannel::Text,
            &site,
            number.as_str(),
            self.now,
        )?;
        Ok(())
    }

    /// A Web Push notification near the turn of the visit of ticket `id`, to the browser's
    /// `subscription`.
    pub fn ask_push_alert(&mut self, id: &str, subscription: &PushSubscription) -> Result<()> {
        let (visit, site) = self.waiting_visit(id)?;
        let checked = Subscription::parse(
            &subscription.endpoint,
            &subscription.keys.p256dh,
            &subscription.keys.auth,
            &self.config.push_services_also,
        )
        .map_err(|e| invalid(ErrorCode::InvalidSubscription, e.to_string()))?;
        let kept = serde_json::to_string(&checked).map_err(|e| {
            EngineError::Store(store::StoreError::Corrupt(format!("a subscription: {e}")))
        })?;
        store::set_alert(self.tx, &visit, AlertChannel::Push, &site, &kept, self.now)?;
        Ok(())
    }

    /// Takes a request back: the number or the subscription is deleted.
    pub fn drop_alert(&mut self, id: &str, channel: AlertChannel) -> Result<()> {
        let (id, _) = self.holders_ticket(id)?;
        let visit = store::visit_id_of(self.tx, &id)?.ok_or_else(|| not_found("ticket", &id))?;
        store::remove_alert(self.tx, &visit, channel)?;
        Ok(())
    }

    /// The visit and site of ticket `id` (or its short link), which must still be waiting.
    fn waiting_visit(&self, id: &str) -> Result<(String, String)> {
        let (id, t) = self.holders_ticket(id)?;
        if t.state != TicketState::Waiting {
            return Err(conflict(
                ErrorCode::InvalidState,
                "the ticket is no longer waiting",
            ));
        }
        let visit = store::visit_id_of(self.tx, &id)?.unwrap_or(id);
        Ok((visit, t.site))
    }

    /// The messages whose holders' turn is near or has come (at most `limit`), each moved on
    /// by [`CLAIM`] while it is sent.
    pub fn claim_alerts(&mut self, limit: usize) -> Result<Vec<ClaimedAlert>> {
        let mut claimed = Vec::new();
        for pending in store::pending_alerts(self.tx, self.now, limit)? {
            let Some(request) = message(self, &pending)? else {
                continue;
            };
            store::alert_later(
                self.tx,
                &pending.visit_id,
                pending.channel,
                self.now + CLAIM,
                pending.attempts,
            )?;
            claimed.push(ClaimedAlert {
                visit_id: pending.visit_id,
                channel: pending.channel,
                request,
            });
        }
        Ok(claimed)
    }

    /// An attempt's outcome: sent (the contact forgotten), tried again after a short pause,
    /// or given up after [`alerts::MAX_ATTEMPTS`] or at once when the address is gone (the
    /// contact forgotten too).
    pub fn alert_result(
        &mut self,
        visit_id: &str,
        channel: AlertChannel,
        sent: Sent,
    ) -> Result<()> {
        let Some(t) = store::latest_step(self.tx, visit_id)? else {
            return Ok(());
        };
        if store::alert_state(self.tx, visit_id, channel)? != Some(store::AlertState::Waiting) {
            // The visit ended meanwhile, or the holder took the request back.
            return Ok(());
        }
        let attempts = store::alert_attempts(self.tx, visit_id, channel)? + 1;
        let what = match channel {
            AlertChannel::Text => "near-turn text message",
            AlertChannel::Push => "near-turn notification",
        };
        let detail = match sent {
            Sent::Yes => {
                store::alert_finished(self.tx, visit_id, channel, true, attempts)?;
                format!("{what} sent (attempt {attempts})")
            }
            Sent::Never => {
                store::alert_finished(self.tx, visit_id, channel, false, attempts)?;
                format!("{what} not delivered: the address is gone or refused")
            }
            Sent::Later if attempts >= alerts::MAX_ATTEMPTS => {
                store::alert_finished(self.tx, visit_id, channel, false, attempts)?;
                format!("{what} not delivered after {attempts} attempts")
            }
            Sent::Later => {
                let next = self.now + alerts::backoff(attempts - 1);
                store::alert_later(self.tx, visit_id, channel, next, attempts)?;
                return Ok(());
            }
        };
        let (site, desk) = (t.site.clone(), t.desk.clone());
        self.record_detail(
            &site,
            EventKind::TicketAlerted,
            Some(&t),
            desk.as_deref(),
            Some(detail),
        )
    }
}

/// Where the holder of a pending message is, when their turn is near or has come.
fn due_view(
    tx: &rusqlite::Transaction<'_>,
    config: &crate::config::Config,
    pending: &store::PendingAlert,
    now: jiff::Timestamp,
) -> Result<Option<TrackView>> {
    let view = match views::track(tx, config, &pending.visit_id, now) {
        Ok(view) => view,
        Err(EngineError::NotFound { .. }) => return Ok(None),
        Err(e) => return Err(e),
    };
    let called = matches!(view.state, TicketState::Called | TicketState::Serving);
    Ok((view.near_turn || called).then_some(view))
}

/// The request for a pending message, when its holder's turn is near or has come.
fn message(ctx: &Ctx<'_, '_>, pending: &store::PendingAlert) -> Result<Option<Filled>> {
    let Some(view) = due_view(ctx.tx, ctx.config, pending, ctx.now)? else {
        return Ok(None);
    };
    let called = matches!(view.state, TicketState::Called | TicketState::Serving);
    let Some(site) = ctx.config.site(&view.site) else {
        return Ok(None);
    };
    let lang = view.lang.as_deref().unwrap_or("el");
    let m = crate::i18n::public_messages(lang);
    let service = view.service_names.in_lang(lang).to_owned();
    let place = site.names.in_lang(lang).to_owned();
    let desk = view
        .desk_names
        .as_ref()
        .map(|n| n.in_lang(lang).to_owned())
        .unwrap_or_default();
    let ahead = view.position.to_string();
    let text = if called {
        m.get_with(
            "text-called",
            &[("number", &view.number), ("desk", &desk), ("place", &place)],
        )
    } else {
        m.get_with(
            "text-near",
            &[
                ("number", &view.number),
                ("ahead", &ahead),
                ("place", &place),
            ],
        )
    };
    match pending.channel {
        AlertChannel::Text => {
            let Some(gateway) = &site.near_turn.gateway else {
                return Ok(None);
            };
            Ok(Some(gateway::fill(
                gateway.into(),
                &[
                    ("contact", &pending.contact),
                    ("text", &text),
                    ("number", &view.number),
                    ("ahead", &ahead),
                    ("service", &service),
                    ("place", &place),
                ],
            )))
        }
        AlertChannel::Push => {
            let Ok(subscription) = serde_json::from_str::<Subscription>(&pending.contact) else {
                return Ok(None);
            };
            let Some(vapid) =
                store::server_key(ctx.tx, push::VAPID_KEY)?.and_then(|k| Vapid::from_bytes(&k))
            else {
                return Ok(None);
            };
            let title = m.get(if called {
                "track-called-title"
            } else {
                "track-near-title"
            });
            let url = format!("/t/{}?lang={lang}", pending.visit_id);
            // The VAPID subject says who sends: the site's public address where it has one.
            let contact = site
                .public_url
                .clone()
                .filter(|u| u.starts_with("https://"))
                .unwrap_or_else(|| "mailto:noreply@seira.invalid".to_owned());
            let notice = push::Notice {
                title: &format!("{title} · {}", view.number),
                body: &text,
                url: &url,
            };
            Ok(push::request(&vapid, &contact, &subscription, &notice))
        }
    }
}

/// Whether any message's holder is near their turn now (the sender looks before it writes).
pub fn alerts_due(
    tx: &rusqlite::Transaction<'_>,
    config: &crate::config::Config,
    now: jiff::Timestamp,
) -> Result<bool> {
    for pending in store::pending_alerts(tx, now, 50)? {
        if due_view(tx, config, &pending, now)?.is_some() {
            return Ok(true);
        }
    }
    Ok(false)
}
