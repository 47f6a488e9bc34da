//! Each connection watched from its accept: whether it is waiting on its client (no request
//! yet, between requests, or a request whose body is still coming) and since when. A
//! connection that keeps its client's turn past [`Limits::header_read`] is closed, whatever
//! its protocol and whether it sent a byte — hyper's own header timer starts only at the
//! first byte, and its protocol sniffing before that has no timer at all.
//!
//! [`Watched`] wraps the app for one connection: it counts each request from its head to the
//! end of its response (an event stream is busy for as long as it streams), and the request's
//! body until it has all arrived.

use std::convert::Infallible;
use std::future::Future;
use std::net::{IpAddr, SocketAddr};
use std::pin::Pin;
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::{Arc, Mutex};
use std::task::{Context, Poll};
use std::time::Duration;

use axum::Router;
use axum::body::Body;
use axum::extract::ConnectInfo;
use axum::http::{Request, Response};
use bytes::Bytes;
use http_body::{Body as HttpBody, Frame, SizeHint};
use hyper::body::Incoming;
use tokio::sync::Notify;
use tokio::time::Instant;

/// One open connection.
pub(super) struct Conn {
    pub id: u64,
    pub address: IpAddr,
    turn: Mutex<Turn>,
    closed: AtomicBool,
    close: Notify,
}

/// Whose turn it is on a connection.
struct Turn {
    /// Requests whose head arrived and whose response has not ended.
    in_flight: usize,
    /// Of those, the ones whose body is still arriving.
    receiving: usize,
    /// Whether a whole request head ever arrived.
    served: bool,
    /// When the current wait began: the accept, a request's head, or the end of the last
    /// response.
    since: Instant,
}

impl Turn {
    fn waiting_on_client(&self) -> bool {
        self.in_flight == 0 || self.receiving > 0
    }
}

/// Why a connection's watch ended it.
#[derive(Debug, PartialEq, Eq)]
pub(super) enum Ended {
    /// Its client kept its turn past the deadline.
    TimedOut,
    /// It was closed to make room for another.
    MadeRoom,
}

impl Conn {
    pub fn new(id: u64, address: IpAddr) -> Self {
        Conn {
            id,
            address,
            turn: Mutex::new(Turn {
                in_flight: 0,
                receiving: 0,
                served: false,
                since: Instant::now(),
            }),
            closed: AtomicBool::new(false),
            close: Notify::new(),
        }
    }

    fn turn(&self) -> std::sync::MutexGuard<'_, Turn> {
        self.turn.lock().unwrap_or_else(|e| e.into_inner())
    }

    /// Since when the connection has waited on its client; `None` while it is busy.
    pub fn waiting_since(&self) -> Option<Instant> {
        let turn = self.turn();
        turn.waiting_on_client().then_some(turn.since)
    }

    /// While it waits on its client, what decides which connection makes room first: one
    /// never served before one that was (`false` sorts first), then the longest waiting.
    pub fn room_order(&self) -> Option<(bool, Instant)> {
        let turn = self.turn();
        turn.waiting_on_client()
            .then_some((turn.served, turn.since))
    }

    /// Whether no request of ours is in flight on it (what hyper writes then is its own).
    pub fn is_idle(&self) -> bool {
        self.turn().in_flight == 0
    }

    /// Whether a whole request head ever arrived on it.
    #[cfg(test)]
    fn served(&self) -> bool {
        self.turn().served
    }

    /// A request's head arrived: busy until the guard (kept by its response) drops.
    pub fn begin(self: &Arc<Self>) -> InFlight {
        let mut turn = self.turn();
        turn.in_flight += 1;
        turn.served = true;
        // Its body, if any, has the whole deadline from here.
        turn.since = Instant::now();
        InFlight(self.clone())
    }

    /// A request's body is arriving: the client's turn until the guard drops.
    fn receiving(self: &Arc<Self>) -> Receiving {
        self.turn().receiving += 1;
        Receiving(self.clone())
    }

    /// Tells the connection's task to close it.
    pub fn close(&self) {
        self.closed.store(true, Ordering::SeqCst);
        // Kept as a permit if the task is not waiting yet.
        self.close.notify_one();
    }

    pub fn is_closed(&self) -> bool {
        self.closed.load(Ordering::SeqCst)
    }

    /// Returns when the connection must end: its client kept its turn for `limit`, or it was
    /// closed to make room. The caller drops the connection then.
    pub async fn watch(&self, limit: Duration) -> Ended {
        loop {
            if self.is_closed() {
                return Ended::MadeRoom;
            }
            let now = Instant::now();
            let deadline = match self.waiting_since() {
                Some(since) if since + limit <= now => return Ended::TimedOut,
                Some(since) => since + limit,
                // Busy: look again later (a wait that begins meanwhile starts its own clock).
                None => now + limit,
            };
            tokio::select! {
                () = self.close.notified() => return Ended::MadeRoom,
                () = tokio::time::sleep_until(deadline) => {}
            }
        }
    }
}

/// A request in flight, from its head to the end of its response.
pub(super) struct InFlight(Arc<Conn>);

impl Drop for InFlight {
    fn drop(&mut self) {
        let mut turn = self.0.turn();
        turn.in_flight = turn.in_flight.saturating_sub(1);
        if turn.in_flight == 0 {
            turn.since = Instant::now();
        }
    }
}

/// A request body still arriving.
struct Receiving(Arc<Conn>);

impl Drop for Receiving {
    fn drop(&mut self) {
        let mut turn = self.0.turn();
        turn.receiving = turn.receiving.saturating_sub(1);
    }
}

/// The app as one connection serves it: each request counted, and told who is calling
/// (sign-in throttling and the phone pages' budgets read the address).
#[derive(Clone)]
pub(super) struct Watched {
    pub router: Router,
    pub conn: Arc<Conn>,
    pub remote: SocketAddr,
}

impl hyper::service::Service<Request<Incoming>> for Watched {
    type Response = Response<ResponseBody>;
    type Error = Infallible;
    type Future = Pin<Box<dyn Future<Output = Result<Self::Response, Infallible>> + Send>>;

    fn call(&self, request: Request<Incoming>) -> Self::Future {
        let in_flight = self.conn.begin();
        let receiving = (!request.body().is_end_stream()).then(|| self.conn.receiving());
        let (mut parts, body) = request.into_parts();
        parts.extensions.insert(ConnectInfo(self.remote));
        let body = Body::new(RequestBody { body, receiving });
        let request = Request::from_parts(parts, body);
        let mut router = self.router.clone();
        Box::pin(async move {
            // The router is always ready, and its error is Infallible.
            let response = tower_service::Service::call(&mut router, request).await?;
            Ok(response.map(|body| ResponseBody {
                body,
                _in_flight: in_flight,
            }))
        })
    }
}

/// A request's body, counted as the client's turn until it has all arrived (or is dropped).
struct RequestBody {
    body: Incoming,
    receiving: Option<Receiving>,
}

impl HttpBody for RequestBody {
    type Data = Bytes;
    type Error = hyper::Error;

    fn poll_frame(
        mut self: Pin<&mut Self>,
        cx: &mut Context<'_>,
    ) -> Poll<Option<Result<Frame<Bytes>, hyper::Error>>> {
        let polled = Pin::new(&mut self.body).poll_frame(cx);
        match &polled {
            Poll::Ready(None | Some(Err(_))) => self.receiving = None,
            Poll::Ready(Some(Ok(_))) if self.body.is_end_stream() => self.receiving = None,
            _ => {}
        }
        polled
    }

    fn is_end_stream(&self) -> bool {
        self.body.is_end_stream()
    }

    fn size_hint(&self) -> SizeHint {
        self.body.size_hint()
    }
}

/// A response's body, keeping its request in flight until it ends.
pub(super) struct ResponseBody {
    body: Body,
    _in_flight: InFlight,
}

impl HttpBody for ResponseBody {
    type Data = Bytes;
    type Error = axum::Error;

    fn poll_frame(
        mut self: Pin<&mut Self>,
        cx: &mut Context<'_>,
    ) -> Poll<Option<Result<Frame<Bytes>, axum::Error>>> {
        Pin::new(&mut self.body).poll_frame(cx)
    }

    fn is_end_stream(&self) -> bool {
        self.body.is_end_stream()
    }

    fn size_hint(&self) -> SizeHint {
        self.body.size_hint()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[tokio::test]
    async fn a_silent_connection_times_out_counted_from_its_accept() {
        let limit = Duration::from_millis(50);
        let silent = Arc::new(Conn::new(1, "10.0.0.1".parse().unwrap()));
        let accepted = silent
            .waiting_since()
            .expect("waiting on its client from the start");
        assert_eq!(silent.watch(limit).await, Ended::TimedOut);
        assert!(Instant::now() >= accepted + limit);
    }

    #[test]
    fn a_connection_is_busy_from_a_request_head_to_the_end_of_its_response() {
        let conn = Arc::new(Conn::new(1, "10.0.0.1".parse().unwrap()));
        assert!(!conn.served());
        let stream = conn.begin();
        assert!(conn.served());
        assert_eq!(conn.waiting_since(), None, "an event stream is not idle");
        let second = conn.begin();
        drop(stream);
        assert_eq!(conn.waiting_since(), None, "one request is still in flight");
        let before = Instant::now();
        drop(second);
        let idle = conn.waiting_since().expect("idle between requests");
        assert!(
            idle >= before,
            "the idle clock starts when the last response ends"
        );
    }

    #[tokio::test]
    async fn a_body_that_never_ends_keeps_the_clients_turn() {
        let conn = Arc::new(Conn::new(1, "10.0.0.1".parse().unwrap()));
        let _request = conn.begin();
        let body = conn.receiving();
        assert!(conn.waiting_since().is_some());
        drop(body);
        assert_eq!(conn.waiting_since(), None);
        let _slow = conn.receiving();
        assert_eq!(conn.watch(Duration::from_millis(50)).await, Ended::TimedOut);
    }

    #[tokio::test]
    async fn a_connection_closed_to_make_room_ends_at_once() {
        let conn = Arc::new(Conn::new(1, "10.0.0.1".parse().unwrap()));
        conn.close();
        assert_eq!(conn.watch(Duration::from_secs(3600)).await, Ended::MadeRoom);
    }
}
