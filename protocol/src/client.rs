//! A small async client for the parts of the API that devices use: HTTP, or HTTPS to the
//! server's own TLS (its LAN certificate pinned by fingerprint) or to a proxy's.

use std::time::Duration;

use futures_util::{Stream, StreamExt};

use crate::fingerprint::Fingerprint;

use crate::types::{
    ApiError, Board, Event, EventKind, IssueTicket, IssuedTicket, SiteServices, TrackView,
};

/// How long a response may stay silent before the connection counts as broken.
pub const READ_TIMEOUT: Duration = Duration::from_secs(40);

/// Why a request failed.
#[derive(Debug, thiserror::Error)]
pub enum ClientError {
    /// The server could not be reached or the connection broke.
    #[error("server unreachable: {0}")]
    Unreachable(#[source] reqwest::Error),
    /// The server answered with an API error.
    #[error("{status}: {} ({})", .error.message, .error.error)]
    Api { status: u16, error: ApiError },
    /// The device's TLS could not be set up.
    #[error("TLS: {0}")]
    Tls(String),
    /// The server answered something that is not the API's JSON.
    #[error("unexpected answer from the server: {0}")]
    Protocol(String),
}

/// Talks to one seira server on behalf of one device.
#[derive(Clone, Debug)]
pub struct Client {
    http: reqwest::Client,
    base: String,
    token: Option<String>,
}

impl Client {
    /// `base` is the server's address, e.g. `http://10.0.0.2:8080`; `token` the device's bearer
    /// token.
    pub fn new(base: &str, token: Option<String>) -> Result<Self, ClientError> {
        Self::pinned(base, token, None)
    }

    /// The same; over https, trusting only the certificate with fingerprint `pin` when one
    /// is given (a certificate seira made for the LAN), else the system's authorities.
    pub fn pinned(
        base: &str,
        token: Option<String>,
        pin: Option<Fingerprint>,
    ) -> Result<Self, ClientError> {
        let builder = reqwest::Client::builder()
            .connect_timeout(Duration::from_secs(3))
            // The event stream sends a keep-alive every 15 s: a connection silent for longer
            // than this is dead (a server that lost power closes nothing), so give it up.
            .read_timeout(READ_TIMEOUT);
        crate::tls::install_crypto();
        let builder = match pin {
            Some(pin) => builder.tls_backend_preconfigured(
                crate::tls::client_config(pin).map_err(|e| ClientError::Tls(e.to_string()))?,
            ),
            None => builder,
        };
        let http = builder.build().map_err(ClientError::Unreachable)?;
        Ok(Self {
            http,
            base: base.trim_end_matches('/').to_owned(),
            token,
        })
    }

    fn url(&self, path: &str) -> String {
        format!("{}{}", self.base, path)
    }

    fn authorize(&self, request: reqwest::RequestBuilder) -> reqwest::RequestBuilder {
        match &self.token {
            Some(token) => request.bearer_auth(token),
            None => request,
        }
    }

    async fn send<T: serde::de::DeserializeOwned>(
        &self,
        request: reqwest::RequestBuilder,
    ) -> Result<T, ClientError> {
        let response = self
            .authorize(request)
            .timeout(Duration::from_secs(10))
            .send()
            .await
            .map_err(ClientError::Unreachable)?;
        let status = response.status();
        let body = response.bytes().await.map_err(ClientError::Unreachable)?;
        if status.is_success() {
            serde_json::from_slice(&body).map_err(|e| ClientError::Protocol(e.to_string()))
        } else {
            let error = serde_json::from_slice(&body).map_err(|_| {
                ClientError::Protocol(format!(
                    "{status}: {}",
                    String::from_utf8_lossy(&body)
                        .chars()
                        .take(200)
                        .collect::<String>()
                ))
            })?;
            Err(ClientError::Api {
                status: status.as_u16(),
                error,
            })
        }
    }

    /// The services of a site, with waiting counts and estimated waits.
    pub async fn services(&self, site: &str) -> Result<SiteServices, ClientError> {
        self.send(
            self.http
                .get(self.url(&format!("/api/v1/sites/{site}/services"))),
        )
        .await
    }

    /// Issues a ticket. Retrying with the same `request_id` returns the same ticket.
    pub async fn issue(&self, site: &str, body: &IssueTicket) -> Result<IssuedTicket, ClientError> {
        self.send(
            self.http
                .post(self.url(&format!("/api/v1/sites/{site}/tickets")))
                .json(body),
        )
        .await
    }

    /// Checks a citizen in by their appointment's code: the ticket, like [`Client::issue`].
    pub async fn check_in(
        &self,
        site: &str,
        code: &str,
        body: &crate::CheckIn,
    ) -> Result<IssuedTicket, ClientError> {
        // The code travels in the path: only the characters a code can have.
        let code: String = code.chars().filter(char::is_ascii_alphanumeric).collect();
        self.send(
            self.http
                .post(self.url(&format!(
                    "/api/v1/sites/{site}/appointments/{code}/check-in"
                )))
                .json(body),
        )
        .await
    }

    /// Voids a ticket whose paper never printed, so its number is never called.
    pub async fn void(&self, ticket_id: &str) -> Result<crate::Ticket, ClientError> {
        self.send(
            self.http
                .post(self.url(&format!("/api/v1/tickets/{ticket_id}/void"))),
        )
        .await
    }

    /// Says the device is alive, and how its printer is.
    pub async fn heartbeat(
        &self,
        site: &str,
        printer: crate::PrinterStatus,
    ) -> Result<(), ClientError> {
        let response = self
            .authorize(
                self.http
                    .post(self.url(&format!("/api/v1/sites/{site}/devices/heartbeat")))
                    .json(&crate::Heartbeat { printer }),
            )
            .timeout(Duration::from_secs(10))
            .send()
            .await
            .map_err(ClientError::Unreachable)?;
        let status = response.status();
        if status.is_success() {
            return Ok(());
        }
        let body = response.bytes().await.map_err(ClientError::Unreachable)?;
        Err(match serde_json::from_slice(&body) {
            Ok(error) => ClientError::Api {
                status: status.as_u16(),
                error,
            },
            Err(_) => ClientError::Protocol(status.to_string()),
        })
    }

    /// What the lobby screen shows now.
    pub async fn board(&self, site: &str) -> Result<Board, ClientError> {
        self.send(
            self.http
                .get(self.url(&format!("/api/v1/sites/{site}/board"))),
        )
        .await
    }

    /// Where a ticket is in the queue.
    pub async fn track(&self, ticket_id: &str) -> Result<TrackView, ClientError> {
        self.send(
            self.http
                .get(self.url(&format!("/api/v1/tickets/{ticket_id}/track"))),
        )
        .await
    }

    /// The site's events after `last_event_id` (all new ones when `None`), as they happen.
    /// The stream ends when the connection breaks; open it again with the last id seen and
    /// nothing is missed.
    pub async fn events(
        &self,
        site: &str,
        last_event_id: Option<i64>,
    ) -> Result<impl Stream<Item = Result<Event, ClientError>> + use<>, ClientError> {
        let mut request = self
            .http
            .get(self.url(&format!("/api/v1/sites/{site}/events")));
        if let Some(id) = last_event_id {
            request = request.header("Last-Event-ID", id.to_string());
        }
        let response = self
            .authorize(request)
            .send()
            .await
            .map_err(ClientError::Unreachable)?;
        let status = response.status();
        if !status.is_success() {
            let body = response.bytes().await.map_err(ClientError::Unreachable)?;
            return Err(match serde_json::from_slice(&body) {
                Ok(error) => ClientError::Api {
                    status: status.as_u16(),
                    error,
                },
                Err(_) => ClientError::Protocol(status.to_string()),
            });
        }
        use eventsource_stream::Eventsource;
        Ok(response
            .bytes_stream()
            .eventsource()
            .filter_map(|message| async move {
                match message {
                    Ok(message) if message.data.is_empty() => None,
                    Ok(message) => match serde_json::from_str::<Event>(&message.data) {
                        Ok(event) => Some(Ok(event)),
                        // A kind this client does not know comes from a newer server: it
                        // is not for this client, and stopping on it would stop the screen
                        // at every reconnection.
                        Err(_) if EventKind::parse(&message.event).is_none() => None,
                        Err(e) => Some(Err(ClientError::Protocol(e.to_string()))),
                    },
                    Err(eventsource_stream::EventStreamError::Transport(e)) => {
                        Some(Err(ClientError::Unreachable(e)))
                    }
                    Err(e) => Some(Err(ClientError::Protocol(e.to_string()))),
                }
            }))
    }
}

#[cfg(test)]
mod tests {
    use futures_util::StreamExt;
    use tokio::io::{AsyncReadExt, AsyncWriteExt};

    use super::*;

    /// An older display or kiosk keeps working when a newer server sends kinds of event it
    /// does not know: it passes over them and gets the ones it knows, in order.
    #[tokio::test]
    async fn events_of_kinds_from_a_newer_server_are_passed_over() {
        let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
        let addr = listener.local_addr().unwrap();
        tokio::spawn(async move {
            let (mut socket, _) = listener.accept().await.unwrap();
            let mut request = [0u8; 4096];
            let _ = socket.read(&mut request).await;
            let event = |id: i64, kind: &str| {
                format!(
                    "id: {id}\nevent: {kind}\ndata: {{\"id\":{id},\"at\":\"2026-12-01T08:00:00Z\",\
                     \"site\":\"chania\",\"kind\":\"{kind}\",\"ticket\":null,\"desk\":null,\
                     \"waiting\":{{}}}}\n\n"
                )
            };
            let body = [
                event(1, "ticket_issued"),
                event(2, "visit_rated_in_a_later_version"),
                event(3, "desk_opened"),
            ]
            .concat();
            let head = format!(
                "HTTP/1.1 200 OK\r\ncontent-type: text/event-stream\r\ncontent-length: {}\r\n\r\n",
                body.len()
            );
            socket.write_all(head.as_bytes()).await.unwrap();
            socket.write_all(body.as_bytes()).await.unwrap();
        });
        let client = Client::new(&format!("http://{addr}"), None).unwrap();
        let events: Vec<Result<Event, ClientError>> =
            client.events("chania", None).await.unwrap().collect().await;
        let kinds: Vec<(i64, EventKind)> = events
            .into_iter()
            .map(|e| e.map(|e| (e.id, e.kind)).unwrap())
            .collect();
        assert_eq!(
            kinds,
            [(1, EventKind::TicketIssued), (3, EventKind::DeskOpened)]
        );
    }
}
