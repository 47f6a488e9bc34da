//! The accept loop, with limits a LAN server needs: a client that opens connections and sends
//! nothing (or half a request) must not use up the server's places or the process's file
//! descriptors, or the kiosks, lobby screens and desks would all time out until it went away.
//!
//! - Every connection is watched from its accept ([`watched`]): one that keeps its client's
//!   turn — no whole request yet, idle between requests, or a request body still arriving —
//!   for [`Limits::header_read`] is closed, whatever its protocol, TLS handshake included. A
//!   long response (the event stream) is not idle.
//! - At most [`Limits::per_address`] connections from one address and [`Limits::total`] in
//!   all ([`room`]); at a limit, the connection that has waited on its client the longest
//!   (one that never sent a request first) is closed to make room, and a new one is refused
//!   only when every open one is busy.
//! - A request too broken for hyper to parse is answered in JSON like any other refusal
//!   ([`refusals`]), not with hyper's empty body.
//! - When descriptors run out all the same, accepting pauses briefly instead of spinning.
//! - With TLS, one port speaks both: a connection that opens with a TLS handshake is served
//!   over TLS, and one that opens in plain HTTP is sent to the same address in https (308),
//!   so that `http://10.0.0.2:8080` typed in a browser still arrives.

mod refusals;
mod room;
mod watched;

use std::future::Future;
use std::net::SocketAddr;
use std::sync::Arc;
use std::time::Duration;

use axum::Router;
use hyper_util::rt::{TokioExecutor, TokioIo};
use hyper_util::server::conn::auto::Builder;
use tokio::net::TcpListener;
use tokio::sync::watch;

use room::{Full, Place, Room};
use watched::{Ended, Watched};

/// How many connections, and for how long one may keep its client's turn.
#[derive(Debug, Clone, Copy)]
pub struct Limits {
    pub total: usize,
    pub per_address: usize,
    /// How long a connection may keep its client's turn: to send a whole request head (from
    /// the accept), a request's body (from its head), or the next request (idle).
    pub header_read: Duration,
}

impl Default for Limits {
    /// Well under the usual 1,024 descriptors of a process; generous per address, since a
    /// reverse proxy brings every phone and page from one address.
    fn default() -> Self {
        Limits {
            total: 768,
            per_address: 256,
            header_read: Duration::from_secs(30),
        }
    }
}

/// Serves `router` on `listener` until `shutdown` completes; then stops accepting, asks every
/// connection to finish its request in flight, and waits for them (10 s at most).
pub async fn serve(
    listener: TcpListener,
    router: Router,
    limits: Limits,
    tls: Option<Arc<rustls::ServerConfig>>,
    shutdown: impl Future<Output = ()> + Send + 'static,
) -> std::io::Result<()> {
    let tls = tls.map(|config| Tls {
        acceptor: tokio_rustls::TlsAcceptor::from(config),
        // What reaches the app over TLS says so, as a proxy's would: the session cookie is
        // then Secure. A client's own header is overwritten.
        router: router
            .clone()
            .layer(axum::middleware::map_request(over_tls)),
    });
    let room = Arc::new(Room::default());
    // Dropped at shutdown: every connection's task sees it closed and finishes gracefully.
    let (closing, closed) = watch::channel(());
    let mut shutdown = std::pin::pin!(shutdown);
    let mut refused_logged = false;
    loop {
        let (stream, remote) = tokio::select! {
            accepted = listener.accept() => match accepted {
                Ok(accepted) => accepted,
                Err(e) => {
                    accept_failed(e).await;
                    continue;
                }
            },
            () = &mut shutdown => break,
        };
        let place = match room.admit(remote.ip(), &limits) {
            Ok(place) => place,
            Err(full) => {
                if !refused_logged {
                    tracing::warn!(
                        address = %remote.ip(),
                        open = room.len(),
                        "too many busy connections ({}): closing new ones until some end",
                        match full {
                            Full::Address => "from this address",
                            Full::Total => "in all",
                        }
                    );
                    refused_logged = true;
                }
                continue;
            }
        };
        refused_logged = false;
        let _ = stream.set_nodelay(true);
        spawn_connection(
            stream,
            remote,
            router.clone(),
            tls.clone(),
            limits,
            closed.clone(),
            place,
        );
    }
    drop(closed);
    drop(listener);
    closing.send_replace(());
    // Every task holds a receiver until its connection ends.
    let all_done = closing.closed();
    if tokio::time::timeout(Duration::from_secs(10), all_done)
        .await
        .is_err()
    {
        tracing::warn!("some connections were still open 10 s after shutdown");
    }
    Ok(())
}

/// The accept loop's TLS: the handshakes, and the app as it is served over them.
#[derive(Clone)]
struct Tls {
    acceptor: tokio_rustls::TlsAcceptor,
    router: Router,
}

/// The first byte of a TLS connection: a handshake record.
const TLS_HANDSHAKE: u8 = 0x16;

fn spawn_connection(
    stream: tokio::net::TcpStream,
    remote: SocketAddr,
    router: Router,
    tls: Option<Tls>,
    limits: Limits,
    closed: watch::Receiver<()>,
    place: Place,
) {
    tokio::spawn(async move {
        let conn = place.conn.clone();
        let app = |router: Router| Watched {
            router,
            conn: conn.clone(),
            remote,
        };
        let serve = async {
            match tls {
                None => drive(stream, app(router), closed).await,
                Some(tls) => {
                    let mut first = [0u8; 1];
                    match stream.peek(&mut first).await {
                        Ok(1) if first[0] == TLS_HANDSHAKE => {
                            match tls.acceptor.accept(stream).await {
                                Ok(stream) => drive(stream, app(tls.router), closed).await,
                                Err(e) => tracing::debug!(error = %e, "TLS handshake failed"),
                            }
                        }
                        Ok(1) => {
                            let redirect = Router::new().fallback(to_https);
                            drive(stream, app(redirect), closed).await;
                        }
                        // Closed before a byte.
                        _ => {}
                    }
                }
            }
        };
        // The deadline runs from the accept, over the TLS handshake and every request.
        tokio::select! {
            () = serve => {}
            ended = place.conn.watch(limits.header_read) => match ended {
                Ended::TimedOut => tracing::debug!(address = %remote.ip(), "connection closed: its client kept silent"),
                Ended::MadeRoom => tracing::debug!(address = %remote.ip(), "connection closed to make room"),
            },
        }
        drop(place);
    });
}

/// Serves one connection until it ends, or finishes its request in flight once the server
/// shuts down.
async fn drive<S>(stream: S, app: Watched, mut closed: watch::Receiver<()>)
where
    S: tokio::io::AsyncRead + tokio::io::AsyncWrite + Unpin + Send + 'static,
{
    let mut builder = Builder::new(TokioExecutor::new());
    // No timer of hyper's own: the connection's watch (`watched.rs`) is its one deadline,
    // from the accept on, where hyper's header timer would start only at the first byte.
    builder
        .http1()
        // Larger than our own limits (`HEADERS_LIMIT`, `URI_LIMIT`), so that it is our
        // middleware that refuses; past hyper's own, its bodiless refusals are rewritten as
        // JSON (`refusals.rs`).
        .max_buf_size(256 * 1024)
        .keep_alive(true);
    let stream = refusals::JsonRefusals::new(stream, app.conn.clone());
    let connection = builder.serve_connection_with_upgrades(TokioIo::new(stream), app);
    let mut connection = std::pin::pin!(connection);
    // Mark the value seen, so that only the shutdown's change wakes us.
    closed.borrow_and_update();
    loop {
        tokio::select! {
            result = connection.as_mut() => {
                if let Err(e) = result {
                    tracing::debug!(error = %e, "connection ended with an error");
                }
                break;
            }
            changed = closed.changed() => {
                connection.as_mut().graceful_shutdown();
                if changed.is_err() {
                    // The server is gone: finish this request, then stop.
                    let _ = connection.as_mut().await;
                    break;
                }
            }
        }
    }
}

/// Marks a request that came over TLS.
async fn over_tls(mut request: axum::extract::Request) -> axum::extract::Request {
    request.headers_mut().insert(
        "x-forwarded-proto",
        axum::http::HeaderValue::from_static("https"),
    );
    request
}

/// A plain-HTTP request to a TLS server: the same address in https, method and body kept
/// (308). Without a Host header there is no address to send it to.
async fn to_https(
    headers: axum::http::HeaderMap,
    uri: axum::http::Uri,
) -> axum::response::Response {
    use axum::response::IntoResponse;
    let host = headers
        .get(axum::http::header::HOST)
        .and_then(|h| h.to_str().ok())
        .filter(|h| !h.is_empty() && !h.contains(['/', '\\', '@']));
    let Some(host) = host else {
        // The wire's error body itself: this loop sits below the API's modules.
        let body = seira_protocol::ApiError {
            error: seira_protocol::ErrorCode::HttpsRequired.as_str().to_owned(),
            message: "this server speaks https only: use https:// and its address".to_owned(),
            message_el: Some(
                "ο διακομιστής μιλά μόνο https: χρησιμοποιήστε https:// και τη διεύθυνσή του"
                    .to_owned(),
            ),
        };
        return (axum::http::StatusCode::BAD_REQUEST, axum::Json(body)).into_response();
    };
    let path = uri.path_and_query().map_or("/", |p| p.as_str());
    axum::response::Redirect::permanent(&format!("https://{host}{path}")).into_response()
}

/// Waits a little after a failed accept: with descriptors used up, at once again would spin.
async fn accept_failed(e: std::io::Error) {
    match e.kind() {
        std::io::ErrorKind::ConnectionAborted | std::io::ErrorKind::ConnectionReset => {}
        _ => {
            tracing::warn!(error = %e, "cannot accept a connection");
            tokio::time::sleep(Duration::from_millis(100)).await;
        }
    }
}
