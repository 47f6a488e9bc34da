//! The loop that sends the due appointment reminders ([`crate::reminders`]), on its own task
//! so that no request ever waits for a gateway.

use std::time::Duration;

use crate::reminders::Filled;
use crate::state::AppState;

/// How long one attempt may take.
const TIMEOUT: Duration = Duration::from_secs(10);

type Https = hyper_util::client::legacy::Client<
    hyper_rustls::HttpsConnector<hyper_util::client::legacy::connect::HttpConnector>,
    http_body_util::Full<axum::body::Bytes>,
>;

/// The client of the gateways: HTTPS through rustls with ring (its own provider: nothing
/// global that other clients of the process would meet) and the system's trusted
/// certificates, or plain HTTP on the centre's own network.
fn client() -> Result<Https, std::io::Error> {
    // ring has no post-quantum key exchange (hence the deprecation); aws-lc-rs, which has,
    // needs cmake and a far longer build, for a message that says a time and a code.
    #[allow(deprecated)]
    let provider = rustls::crypto::ring::default_provider();
    let connector = hyper_rustls::HttpsConnectorBuilder::new()
        .with_provider_and_native_roots(provider)?
        .https_or_http()
        .enable_http1()
        .build();
    Ok(
        hyper_util::client::legacy::Client::builder(hyper_util::rt::TokioExecutor::new())
            .build(connector),
    )
}

/// Sends the due reminders every `every`, until the server stops (the task is aborted).
pub async fn run(state: AppState, every: Duration) {
    let client = match client() {
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
            let delivered = send(&client, &reminder.request).await;
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

/// One attempt; whether the gateway took it (a 2xx answer). Only the status is logged: the
/// address and the body hold the contact.
async fn send(client: &Https, request: &Filled) -> bool {
    let method = if request.method == "GET" {
        axum::http::Method::GET
    } else {
        axum::http::Method::POST
    };
    let mut builder = axum::http::Request::builder()
        .method(method)
        .uri(&request.url)
        .header(axum::http::header::USER_AGENT, "seira reminders");
    if request.body.is_some() {
        builder = builder.header(axum::http::header::CONTENT_TYPE, &request.content_type);
    }
    if let Some(authorization) = &request.authorization {
        builder = builder.header(axum::http::header::AUTHORIZATION, authorization);
    }
    let body = request.body.clone().unwrap_or_default();
    let Ok(http_request) = builder.body(http_body_util::Full::new(axum::body::Bytes::from(body)))
    else {
        tracing::warn!("reminder gateway: the site's address is not a valid URL");
        return false;
    };
    match tokio::time::timeout(TIMEOUT, client.request(http_request)).await {
        Ok(Ok(response)) if response.status().is_success() => true,
        Ok(Ok(response)) => {
            tracing::warn!(
                status = response.status().as_u16(),
                "reminder gateway refused"
            );
            false
        }
        Ok(Err(_)) => {
            tracing::warn!("reminder gateway not reached");
            false
        }
        Err(_) => {
            tracing::warn!("reminder gateway did not answer in time");
            false
        }
    }
}
