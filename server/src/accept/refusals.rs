//! hyper's own refusals, answered as the API answers: a request hyper cannot even parse (a
//! raw 0xFF in the path, a path past its 64 KiB, a head past its buffer) never reaches
//! seira's layers, and hyper answers it itself — a bare status with an empty body. This
//! wrapper of the connection's writes recognises exactly that answer (a 400, 414 or 431 with
//! `content-length: 0` and no type, written while no request of ours is in flight) and writes
//! the JSON `{error, message}` every other refusal has instead. hyper closes such a
//! connection right after, so nothing follows it.

use std::io;
use std::pin::Pin;
use std::sync::Arc;
use std::task::{Context, Poll};

use seira_protocol::ErrorCode;
use tokio::io::{AsyncRead, AsyncWrite, ReadBuf};

use super::watched::Conn;

/// The connection's stream, its writes watched for hyper's refusals.
pub(super) struct JsonRefusals<S> {
    inner: S,
    conn: Arc<Conn>,
    /// A replacement being written: its bytes, how many are written, and how many bytes of
    /// hyper's it stands for.
    pending: Option<(Vec<u8>, usize, usize)>,
}

impl<S> JsonRefusals<S> {
    pub fn new(inner: S, conn: Arc<Conn>) -> Self {
        JsonRefusals {
            inner,
            conn,
            pending: None,
        }
    }
}

/// The answer in place of hyper's, if `written` is one of hyper's own refusals.
fn replacement(written: &[u8]) -> Option<Vec<u8>> {
    let head_end = written.windows(4).position(|w| w == b"\r\n\r\n")?;
    // hyper's refusal is a head alone.
    if head_end + 4 != written.len() {
        return None;
    }
    let head = std::str::from_utf8(&written[..head_end]).ok()?;
    let mut lines = head.split("\r\n");
    let status = lines.next()?.strip_prefix("HTTP/1.1 ")?.get(..3)?;
    let (code, message) = match status {
        "400" => (
            ErrorCode::MalformedRequest,
            "the request could not be read as HTTP (a character not allowed in the address or a header?)",
        ),
        "414" => (ErrorCode::UriTooLong, "the address is far too long"),
        "431" => (ErrorCode::HeadersTooLarge, "the headers are far too large"),
        _ => return None,
    };
    let headers: Vec<String> = lines.map(str::to_ascii_lowercase).collect();
    let empty = headers.iter().any(|h| h == "content-length: 0");
    let typed = headers.iter().any(|h| h.starts_with("content-type:"));
    if !empty || typed {
        return None;
    }
    let body = serde_json::to_vec(&seira_protocol::ApiError {
        error: code.as_str().to_owned(),
        message: message.to_owned(),
        message_el: None,
    })
    .ok()?;
    let reason = match status {
        "400" => "Bad Request",
        "414" => "URI Too Long",
        _ => "Request Header Fields Too Large",
    };
    let mut answer = format!(
        "HTTP/1.1 {status} {reason}\r\ncontent-type: application/json\r\n\
         x-content-type-options: nosniff\r\nconnection: close\r\ncontent-length: {}\r\n\r\n",
        body.len()
    )
    .into_bytes();
    answer.extend_from_slice(&body);
    Some(answer)
}

impl<S: AsyncWrite + Unpin> JsonRefusals<S> {
    /// Writes out a replacement begun earlier; the bytes of hyper's it stands for once done.
    fn drain(&mut self, cx: &mut Context<'_>) -> Poll<io::Result<usize>> {
        let Some((answer, done, stands_for)) = &mut self.pending else {
            return Poll::Ready(Ok(0));
        };
        while *done < answer.len() {
            match Pin::new(&mut self.inner).poll_write(cx, &answer[*done..]) {
                Poll::Ready(Ok(0)) => return Poll::Ready(Err(io::ErrorKind::WriteZero.into())),
                Poll::Ready(Ok(n)) => *done += n,
                Poll::Ready(Err(e)) => return Poll::Ready(Err(e)),
                Poll::Pending => return Poll::Pending,
            }
        }
        let stands_for = *stands_for;
        self.pending = None;
        Poll::Ready(Ok(stands_for))
    }
}

impl<S: AsyncWrite + Unpin> AsyncWrite for JsonRefusals<S> {
    fn poll_write(
        mut self: Pin<&mut Self>,
        cx: &mut Context<'_>,
        buf: &[u8],
    ) -> Poll<io::Result<usize>> {
        if self.pending.is_none()
            && self.conn.is_idle()
            && let Some(answer) = replacement(buf)
        {
            self.pending = Some((answer, 0, buf.len()));
        }
        if self.pending.is_some() {
            return self.drain(cx);
        }
        Pin::new(&mut self.inner).poll_write(cx, buf)
    }

    fn poll_write_vectored(
        mut self: Pin<&mut Self>,
        cx: &mut Context<'_>,
        bufs: &[io::IoSlice<'_>],
    ) -> Poll<io::Result<usize>> {
        // hyper's refusal is one slice: its head.
        if let [only] = bufs
            && self.pending.is_none()
            && self.conn.is_idle()
            && let Some(answer) = replacement(only)
        {
            self.pending = Some((answer, 0, only.len()));
        }
        if self.pending.is_some() {
            return self.drain(cx);
        }
        Pin::new(&mut self.inner).poll_write_vectored(cx, bufs)
    }

    fn is_write_vectored(&self) -> bool {
        self.inner.is_write_vectored()
    }

    fn poll_flush(mut self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<io::Result<()>> {
        Pin::new(&mut self.inner).poll_flush(cx)
    }

    fn poll_shutdown(mut self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<io::Result<()>> {
        Pin::new(&mut self.inner).poll_shutdown(cx)
    }
}

impl<S: AsyncRead + Unpin> AsyncRead for JsonRefusals<S> {
    fn poll_read(
        mut self: Pin<&mut Self>,
        cx: &mut Context<'_>,
        buf: &mut ReadBuf<'_>,
    ) -> Poll<io::Result<()>> {
        Pin::new(&mut self.inner).poll_read(cx, buf)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn only_hypers_bare_refusals_are_replaced() {
        let bare = b"HTTP/1.1 400 Bad Request\r\nconnection: close\r\ncontent-length: 0\r\ndate: Mon, 07 Dec 2026 10:00:00 GMT\r\n\r\n";
        let answer = String::from_utf8(replacement(bare).unwrap()).unwrap();
        assert!(
            answer.starts_with("HTTP/1.1 400 Bad Request\r\n"),
            "{answer}"
        );
        let body = answer.split("\r\n\r\n").nth(1).unwrap();
        let error: serde_json::Value = serde_json::from_str(body).unwrap();
        assert_eq!(error["error"], "malformed_request");
        assert!(answer.contains(&format!("content-length: {}\r\n", body.len())));
        let long = b"HTTP/1.1 414 URI Too Long\r\ncontent-length: 0\r\n\r\n";
        assert!(
            String::from_utf8(replacement(long).unwrap())
                .unwrap()
                .contains("uri_too_long")
        );
        // Our own answers are left as they are: typed, with a body, or another status.
        let ours = b"HTTP/1.1 400 Bad Request\r\ncontent-type: application/json\r\ncontent-length: 0\r\n\r\n";
        assert_eq!(replacement(ours), None);
        let with_body = b"HTTP/1.1 400 Bad Request\r\ncontent-length: 2\r\n\r\n{}";
        assert_eq!(replacement(with_body), None);
        let no_content = b"HTTP/1.1 204 No Content\r\ncontent-length: 0\r\n\r\n";
        assert_eq!(replacement(no_content), None);
    }
}
