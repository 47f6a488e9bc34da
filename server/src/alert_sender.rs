//! The loop that sends near-turn text messages ([`crate::alerts`]), on its own task so that
//! no request ever waits for a gateway. A pass that finds nobody near reads and writes
//! nothing more.

use std::time::Duration;

use crate::gateway::Gateways;
use crate::state::AppState;

/// Looks for holders near their turn every `every`, until the server stops (the task is
/// aborted).
pub async fn run(state: AppState, every: Duration) {
    let allowed = state.config().internal_gateway_hosts.clone();
    let client = match Gateways::new("near-turn message", allowed) {
        Ok(client) => client,
        Err(e) => {
            tracing::error!(error = %e, "near-turn messages cannot be sent: no trusted certificates");
            return;
        }
    };
    let mut tick = tokio::time::interval(every);
    tick.set_missed_tick_behavior(tokio::time::MissedTickBehavior::Delay);
    loop {
        tick.tick().await;
        let now = state.now();
        match state
            .read(move |tx, config| crate::engine::alerts_due(tx, config, now))
            .await
        {
            Ok(true) => {}
            Ok(false) => continue,
            Err(e) => {
                tracing::warn!(error = %e, "near-turn messages: the due ones could not be read");
                continue;
            }
        }
        let due = match state.write(None, |ctx| ctx.claim_alerts(20)).await {
            Ok(due) => due,
            Err(e) => {
                tracing::warn!(error = %e, "near-turn messages could not be claimed");
                continue;
            }
        };
        // Each message on its own task: a slow gateway does not hold up the next holder.
        for alert in due {
            let (state, client) = (state.clone(), client.clone());
            tokio::spawn(async move {
                let sent = client.send(&alert.request).await;
                let (visit, channel) = (alert.visit_id, alert.channel);
                if let Err(e) = state
                    .write(None, move |ctx| ctx.alert_result(&visit, channel, sent))
                    .await
                {
                    tracing::warn!(error = %e, "near-turn messages: the result could not be kept");
                }
            });
        }
    }
}
