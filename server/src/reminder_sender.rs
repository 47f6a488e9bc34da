//! The loop that sends the due appointment reminders ([`crate::reminders`]), on its own task
//! so that no request ever waits for a gateway.

use std::time::Duration;

use crate::gateway::Gateways;
use crate::state::AppState;

/// Sends the due reminders every `every`, until the server stops (the task is aborted).
pub async fn run(state: AppState, every: Duration) {
    let allowed = state.config().internal_gateway_hosts.clone();
    let client = match Gateways::new("reminder gateway", allowed) {
        Ok(client) => client,
        Err(e) => {
            tracing::error!(error = %e, "reminders cannot be sent: no trusted certificates");
            return;
        }
    };
    let mut tick = tokio::time::interval(every);
    tick.set_missed_tick_behavior(tokio::time::MissedTickBehavior::Delay);
    loop {
        tick.tick().await;
        // Most passes find nothing: a read, not a write (no fsync every 15 s).
        let now = state.now();
        match state
            .read(move |tx, _| crate::engine::reminders_due(tx, now))
            .await
        {
            Ok(true) => {}
            Ok(false) => continue,
            Err(e) => {
                tracing::warn!(error = %e, "reminders: the due ones could not be read");
                continue;
            }
        }
        let due = match state.write(None, |ctx| ctx.claim_reminders(20)).await {
            Ok(due) => due,
            Err(e) => {
                tracing::warn!(error = %e, "reminders: the due ones could not be claimed");
                continue;
            }
        };
        for reminder in due {
            let delivered = client.send(&reminder.request).await == crate::gateway::Sent::Yes;
            let id = reminder.appointment.clone();
            if let Err(e) = state
                .write(None, move |ctx| ctx.reminder_result(&id, delivered))
                .await
            {
                tracing::warn!(error = %e, "reminders: the result could not be kept");
            }
        }
    }
}
