//! The display's line to the server, on a thread of its own: the board once, then the event
//! stream for ever. When the connection breaks it says so (the screen shows an offline mark)
//! and opens the stream again with the last event id it saw, so no call is ever missed.

use std::sync::mpsc::Sender;
use std::thread::JoinHandle;
use std::time::Duration;

use futures_util::StreamExt;
use seira_protocol::client::{Client, ClientError};
use seira_protocol::{Board, Event, EventKind, PrinterStatus};

/// What the feed tells the screen.
#[derive(Debug, Clone, PartialEq)]
pub enum Update {
    /// The whole board: at start, and again after the site's settings change (boxed: it is
    /// big and rare, events are small and many).
    Board(Box<Board>),
    /// One event, in order, each once.
    Event(Box<Event>),
    /// The server is reachable again (the stream is open).
    Online,
    /// The server cannot be reached; the feed keeps trying.
    Offline(String),
}

/// The first wait after a failure; it doubles up to [`RETRY_MAX`].
const RETRY_MIN: Duration = Duration::from_millis(500);
const RETRY_MAX: Duration = Duration::from_secs(5);

/// Follows `site` on the server until the receiving end of `updates` is dropped. `wake` is
/// called after each update so that a screen asleep in reactive mode looks at it at once.
pub fn spawn(
    client: Client,
    site: String,
    updates: Sender<Update>,
    wake: impl Fn() + Send + 'static,
) -> std::io::Result<JoinHandle<()>> {
    std::thread::Builder::new()
        .name("display-feed".into())
        .spawn(move || {
            let runtime = match tokio::runtime::Builder::new_current_thread()
                .enable_all()
                .build()
            {
                Ok(runtime) => runtime,
                Err(e) => {
                    tracing::error!("display feed: no runtime: {e}");
                    return;
                }
            };
            let send = |update: Update| {
                let sent = updates.send(update).is_ok();
                wake();
                sent
            };
            runtime.block_on(async {
                tokio::select! {
                    () = follow(&client, &site, send) => {}
                    () = report_in(&client, &site) => {}
                }
            });
        })
}

/// Tells the server the display is alive, so that staff see a lobby screen that went dark.
async fn report_in(client: &Client, site: &str) {
    let mut every = tokio::time::interval(seira_protocol::HEARTBEAT_EVERY);
    loop {
        every.tick().await;
        if let Err(e) = client.heartbeat(site, PrinterStatus::None).await {
            tracing::debug!("display heartbeat not heard: {e}");
        }
    }
}

/// The feed's loop; returns when `send` reports that nobody listens any more.
async fn follow(client: &Client, site: &str, send: impl Fn(Update) -> bool) {
    let mut last_event_id: Option<i64> = None;
    let mut need_board = true;
    let mut online: Option<bool> = None;
    let mut retry = RETRY_MIN;
    loop {
        let outcome = async {
            if need_board {
                let board = client.board(site).await?;
                // At the start the stream follows the board; later (a settings change) the
                // stream goes on from the last event seen, so the calls in between are still
                // applied one by one and announced.
                last_event_id.get_or_insert(board.last_event_id);
                need_board = false;
                if !send(Update::Board(Box::new(board))) {
                    return Ok(Flow::Stop);
                }
            }
            let events = client.events(site, last_event_id).await?;
            let mut events = std::pin::pin!(events);
            if online != Some(true) {
                online = Some(true);
                tracing::info!(
                    "display feed: following {site} after event {}",
                    last_event_id.unwrap_or(0)
                );
                if !send(Update::Online) {
                    return Ok(Flow::Stop);
                }
            }
            retry = RETRY_MIN;
            while let Some(event) = events.next().await {
                let event = event?;
                last_event_id = Some(event.id);
                let reload = event.kind == EventKind::SettingsChanged;
                if !send(Update::Event(Box::new(event))) {
                    return Ok(Flow::Stop);
                }
                if reload {
                    need_board = true;
                    return Ok(Flow::Again);
                }
            }
            Ok::<_, ClientError>(Flow::Again)
        }
        .await;
        match outcome {
            Ok(Flow::Stop) => return,
            Ok(Flow::Again) if need_board => continue,
            Ok(Flow::Again) => {
                // The server closed the stream (a restart): it is away until it answers again.
                if online != Some(false) {
                    online = Some(false);
                    if !send(Update::Offline("the event stream ended".into())) {
                        return;
                    }
                }
            }
            Err(e) => {
                tracing::warn!("display feed: {e}");
                if online != Some(false) {
                    online = Some(false);
                    if !send(Update::Offline(e.to_string())) {
                        return;
                    }
                }
            }
        }
        tokio::time::sleep(retry).await;
        retry = (retry * 2).min(RETRY_MAX);
    }
}

enum Flow {
    /// Connect again (after a break, or to load the board anew).
    Again,
    /// Nobody listens any more.
    Stop,
}
