//! A small HTTP/1.1 server for the local preview, on the standard
//! library's sockets, with every resource a client can take bounded
//! (docs/robustness.md, "Serving only what it should"):
//!
//! - at most [`Limits::connections`] connections at once, each on its own
//!   thread. When all are taken, a new connection takes the place of the
//!   one that has waited longest for a request to begin (idle clients
//!   cannot crowd out one that asks); when none is waiting (all are being
//!   answered), it is answered `503` and closed at once. The process never
//!   runs out of file handles, and recovers by itself;
//! - a request head (request line and headers) of at most
//!   [`Limits::head_bytes`] bytes and [`Limits::headers`] header lines,
//!   else `431`; it must arrive whole within [`Limits::head_time`] of the
//!   connection being ready for it (else `408`), so that a client sending
//!   a byte a second cannot hold a connection;
//! - a client that does not read its answers holds only its own
//!   connection, which is closed when a write has waited
//!   [`Limits::write_time`]; a connection serves at most
//!   [`Limits::requests`] requests, and is closed after
//!   [`Limits::idle_time`] without a new one;
//! - a request with a body (`Content-Length` other than 0, any
//!   `Transfer-Encoding`), two `Host` or `Content-Length` headers, a header
//!   line folded onto the next or a malformed line is refused with `400`
//!   and the connection closed, so that no request can be smuggled
//!   behind another.
//!
//! Accept errors (`EMFILE` when other programs took the handles) are
//! waited out, never fatal.

use std::collections::BTreeMap;
use std::io::{self, BufRead, BufReader, Read, Write};
use std::net::{TcpListener, TcpStream};
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

/// The bounds of the server. [`Limits::default`] gives the preview's.
#[derive(Debug, Clone, Copy)]
pub struct Limits {
    /// Connections open at once (default 128; the usual limit of open
    /// files is 1,024).
    pub connections: usize,
    /// Bytes of a request head (default 16 KiB).
    pub head_bytes: usize,
    /// Header lines of a request (default 64).
    pub headers: usize,
    /// Time for a request head to arrive whole (default 5 s).
    pub head_time: Duration,
    /// Time a write may wait for the client to read (default 10 s).
    pub write_time: Duration,
    /// Time a kept-alive connection waits for its next request (default 5 s).
    pub idle_time: Duration,
    /// Requests on one connection (default 100).
    pub requests: usize,
}

impl Default for Limits {
    fn default() -> Limits {
        Limits {
            connections: 128,
            head_bytes: 16 * 1024,
            headers: 64,
            head_time: Duration::from_secs(5),
            write_time: Duration::from_secs(10),
            idle_time: Duration::from_secs(5),
            requests: 100,
        }
    }
}

/// A request head: method, target and headers (names as sent).
#[derive(Debug, Clone)]
pub struct Request {
    /// `GET`, `HEAD`, ...
    pub method: String,
    /// The request target as sent (`/web/index.html?x=1`).
    pub target: String,
    /// The header lines, name and value (trimmed), in order.
    pub headers: Vec<(String, String)>,
    /// Whether the client asked to close the connection after the answer
    /// (HTTP/1.0 without keep-alive, or `Connection: close`).
    pub close: bool,
}

impl Request {
    /// The values of the headers named `name` (any letter case).
    pub fn header_values(&self, name: &str) -> Vec<&str> {
        self.headers
            .iter()
            .filter(|(n, _)| n.eq_ignore_ascii_case(name))
            .map(|(_, v)| v.as_str())
            .collect()
    }
}

/// An answer: status, headers (besides `Content-Length` and
/// `Connection`, which are added) and body.
#[derive(Debug, Clone)]
pub struct Response {
    /// The status code.
    pub status: u16,
    /// Header lines, ASCII.
    pub headers: Vec<(&'static str, String)>,
    /// The body (shared with the served set).
    pub body: Arc<[u8]>,
}

impl Response {
    /// A plain-text answer.
    pub fn text(status: u16, text: &str) -> Response {
        Response {
            status,
            headers: vec![("Content-Type", "text/plain; charset=utf-8".into())],
            body: Arc::from(text.as_bytes()),
        }
    }
}

/// A connection, as the handler sees it while it prepares an answer: it
/// can ask whether the client has gone (a long poll gives its slot back
/// then).
pub struct Connection<'a> {
    stream: &'a TcpStream,
}

impl Connection<'_> {
    /// Whether the client closed its side: a read would return end of
    /// file. Data the client sent ahead (a pipelined request) counts as
    /// still there.
    pub fn closed(&self) -> bool {
        if self.stream.set_nonblocking(true).is_err() {
            return false;
        }
        let mut byte = [0u8; 1];
        let gone = matches!(self.stream.peek(&mut byte), Ok(0))
            || matches!(self.stream.peek(&mut byte), Err(ref e) if e.kind() != io::ErrorKind::WouldBlock);
        let _ = self.stream.set_nonblocking(false);
        gone
    }
}

/// The reason phrase of the statuses this server sends.
fn reason(status: u16) -> &'static str {
    match status {
        200 => "OK",
        302 => "Found",
        400 => "Bad Request",
        404 => "Not Found",
        405 => "Method Not Allowed",
        408 => "Request Timeout",
        421 => "Misdirected Request",
        431 => "Request Header Fields Too Large",
        500 => "Internal Server Error",
        503 => "Service Unavailable",
        _ => "",
    }
}

/// Writes `r` (its body left out for `HEAD`), saying whether the
/// connection stays open.
fn write_response(
    mut out: &TcpStream,
    r: &Response,
    head_only: bool,
    close: bool,
) -> io::Result<()> {
    let mut head = format!("HTTP/1.1 {} {}\r\n", r.status, reason(r.status));
    for (name, value) in &r.headers {
        head.push_str(&format!("{name}: {value}\r\n"));
    }
    head.push_str(&format!("Content-Length: {}\r\n", r.body.len()));
    head.push_str(if close {
        "Connection: close\r\n\r\n"
    } else {
        "Connection: keep-alive\r\n\r\n"
    });
    out.write_all(head.as_bytes())?;
    if !head_only {
        out.write_all(&r.body)?;
    }
    out.flush()
}

/// Why a request head was not read.
#[derive(Debug, PartialEq, Eq)]
enum HeadError {
    /// The client closed the connection before a request began.
    Closed,
    /// No request began within the idle time (nothing is answered).
    Idle,
    /// The answer to send before closing: 400, 408 or 431.
    Answer(u16, &'static str),
}

/// Reads one line of the head (up to and including `\n`) within the bytes
/// and time left.
fn read_line(
    reader: &mut BufReader<&TcpStream>,
    left: &mut usize,
    deadline: Instant,
    line: &mut Vec<u8>,
) -> Result<(), HeadError> {
    line.clear();
    loop {
        let now = Instant::now();
        if now >= deadline {
            return Err(HeadError::Answer(408, "the request head took too long\n"));
        }
        let _ = reader.get_ref().set_read_timeout(Some(deadline - now));
        let available = match reader.fill_buf() {
            Ok([]) => return Err(HeadError::Closed),
            Ok(b) => b,
            Err(e)
                if matches!(
                    e.kind(),
                    io::ErrorKind::WouldBlock | io::ErrorKind::TimedOut
                ) =>
            {
                return Err(HeadError::Answer(408, "the request head took too long\n"));
            }
            Err(e) if e.kind() == io::ErrorKind::Interrupted => continue,
            Err(_) => return Err(HeadError::Closed),
        };
        let (take, done) = match available.iter().position(|&b| b == b'\n') {
            Some(i) => (i + 1, true),
            None => (available.len(), false),
        };
        if take > *left {
            return Err(HeadError::Answer(431, "the request head is too large\n"));
        }
        *left -= take;
        line.extend_from_slice(&available[..take]);
        reader.consume(take);
        if done {
            return Ok(());
        }
    }
}

/// Reads a request head within `limits`: the first byte within the idle
/// time, then the whole head within the head time.
fn read_head(reader: &mut BufReader<&TcpStream>, limits: &Limits) -> Result<Request, HeadError> {
    // Wait for the first byte of a request: a kept-alive connection may
    // idle; then the head must arrive whole within its time.
    let _ = reader.get_ref().set_read_timeout(Some(limits.idle_time));
    match reader.fill_buf() {
        Ok([]) => return Err(HeadError::Closed),
        Ok(_) => {}
        Err(e)
            if matches!(
                e.kind(),
                io::ErrorKind::WouldBlock | io::ErrorKind::TimedOut
            ) =>
        {
            return Err(HeadError::Idle);
        }
        Err(_) => return Err(HeadError::Closed),
    }
    let deadline = Instant::now() + limits.head_time;
    let mut left = limits.head_bytes;
    let mut line = Vec::new();
    read_line(reader, &mut left, deadline, &mut line)?;
    let bad = |why: &'static str| HeadError::Answer(400, why);
    let text =
        String::from_utf8(line.clone()).map_err(|_| bad("the request line is not text\n"))?;
    let mut parts = text.trim_end_matches(['\r', '\n']).split(' ');
    let (Some(method), Some(target), Some(version), None) =
        (parts.next(), parts.next(), parts.next(), parts.next())
    else {
        return Err(bad("malformed request line\n"));
    };
    let http11 = match version {
        "HTTP/1.1" => true,
        "HTTP/1.0" => false,
        _ => return Err(bad("expected HTTP/1.0 or HTTP/1.1\n")),
    };
    if method.is_empty() || !method.bytes().all(|b| b.is_ascii_uppercase()) || target.is_empty() {
        return Err(bad("malformed request line\n"));
    }
    let mut headers = Vec::new();
    loop {
        read_line(reader, &mut left, deadline, &mut line)?;
        if line == b"\r\n" || line == b"\n" {
            break;
        }
        if headers.len() == limits.headers {
            return Err(HeadError::Answer(431, "too many header lines\n"));
        }
        if line.first().is_some_and(|b| *b == b' ' || *b == b'\t') {
            return Err(bad("a folded header line\n"));
        }
        let text = std::str::from_utf8(&line).map_err(|_| bad("a header line is not text\n"))?;
        let text = text.trim_end_matches(['\r', '\n']);
        let Some((name, value)) = text.split_once(':') else {
            return Err(bad("a header line without `:`\n"));
        };
        if name.is_empty() || !name.bytes().all(|b| b.is_ascii_graphic()) {
            return Err(bad("a malformed header name\n"));
        }
        headers.push((name.to_string(), value.trim().to_string()));
    }
    let request = Request {
        method: method.to_string(),
        target: target.to_string(),
        close: false,
        headers,
    };
    if request.header_values("Host").len() > 1 || request.header_values("Content-Length").len() > 1
    {
        return Err(bad("a repeated Host or Content-Length header\n"));
    }
    if !request.header_values("Transfer-Encoding").is_empty()
        || request
            .header_values("Content-Length")
            .first()
            .is_some_and(|v| v.trim() != "0")
    {
        return Err(bad("a request with a body\n"));
    }
    let connection = request
        .header_values("Connection")
        .iter()
        .flat_map(|v| v.split(','))
        .map(|t| t.trim().to_ascii_lowercase())
        .collect::<Vec<_>>();
    let close = if http11 {
        connection.iter().any(|t| t == "close")
    } else {
        !connection.iter().any(|t| t == "keep-alive")
    };
    Ok(Request { close, ..request })
}

/// The connections waiting for a request to begin, by the order they
/// began to wait, with a handle to close each.
#[derive(Default)]
struct Waiting {
    next: u64,
    streams: BTreeMap<u64, TcpStream>,
}

impl Waiting {
    fn lock(this: &Mutex<Waiting>) -> std::sync::MutexGuard<'_, Waiting> {
        this.lock().unwrap_or_else(|e| e.into_inner())
    }

    /// Registers `stream` as waiting; returns its key.
    fn enter(this: &Mutex<Waiting>, stream: &TcpStream) -> Option<u64> {
        let copy = stream.try_clone().ok()?;
        let mut w = Waiting::lock(this);
        let key = w.next;
        w.next += 1;
        w.streams.insert(key, copy);
        Some(key)
    }

    fn leave(this: &Mutex<Waiting>, key: Option<u64>) {
        if let Some(k) = key {
            Waiting::lock(this).streams.remove(&k);
        }
    }

    /// Closes the connection that has waited longest; whether there was one.
    fn evict(this: &Mutex<Waiting>) -> bool {
        let oldest = Waiting::lock(this).streams.pop_first();
        match oldest {
            Some((_, s)) => {
                let _ = s.shutdown(std::net::Shutdown::Both);
                true
            }
            None => false,
        }
    }
}

/// Serves one connection: its requests in turn, each answered by
/// `handle`, within `limits`; while it waits for a request to begin it is
/// in `waiting`.
fn serve_connection<H>(stream: &TcpStream, limits: &Limits, handle: &H, waiting: &Mutex<Waiting>)
where
    H: Fn(&Request, &Connection) -> Response,
{
    let _ = stream.set_write_timeout(Some(limits.write_time));
    let _ = stream.set_nodelay(true);
    let mut reader = BufReader::new(stream);
    for served in 1..=limits.requests {
        let key = Waiting::enter(waiting, stream);
        let head = read_head(&mut reader, limits);
        Waiting::leave(waiting, key);
        let request = match head {
            Ok(r) => r,
            Err(HeadError::Answer(status, why)) => {
                let _ = write_response(stream, &Response::text(status, why), false, true);
                close_gently(stream);
                return;
            }
            Err(HeadError::Closed | HeadError::Idle) => return,
        };
        let response = handle(&request, &Connection { stream });
        let close = request.close || served == limits.requests;
        if write_response(stream, &response, request.method == "HEAD", close).is_err() || close {
            return;
        }
    }
}

/// Gives a connection slot back when dropped (also when its thread
/// panics).
struct Slot(Arc<AtomicUsize>);

impl Drop for Slot {
    fn drop(&mut self) {
        self.0.fetch_sub(1, Ordering::SeqCst);
    }
}

/// Accepts connections on `listener` until it fails for good, each served
/// on its own thread by `handle` within `limits`. Never returns while the
/// listener works; accept errors are waited out.
pub fn serve<H>(listener: TcpListener, limits: Limits, handle: H)
where
    H: Fn(&Request, &Connection) -> Response + Send + Sync + 'static,
{
    let handle = Arc::new(handle);
    let open = Arc::new(AtomicUsize::new(0));
    let waiting = Arc::new(Mutex::new(Waiting::default()));
    loop {
        let stream = match listener.accept() {
            Ok((s, _)) => s,
            Err(e) if e.kind() == io::ErrorKind::Interrupted => continue,
            Err(_) => {
                // Out of file handles or a connection reset before accept:
                // wait and go on; the server recovers when handles free up.
                std::thread::sleep(Duration::from_millis(50));
                continue;
            }
        };
        // Full: the connection waiting longest gives way (its thread ends
        // and gives its slot back), else the new one is refused.
        if open.fetch_add(1, Ordering::SeqCst) >= limits.connections && !Waiting::evict(&waiting) {
            open.fetch_sub(1, Ordering::SeqCst);
            refuse(&stream);
            continue;
        }
        let slot = Slot(Arc::clone(&open));
        let handle = Arc::clone(&handle);
        let waiting = Arc::clone(&waiting);
        let spawned = std::thread::Builder::new()
            .name("serve-connection".into())
            .spawn(move || {
                let _slot = slot;
                serve_connection(&stream, &limits, &*handle, &waiting);
            });
        // A thread that cannot start drops its slot and its connection.
        drop(spawned);
    }
}

/// Answers a connection beyond the limit with 503 and closes it, without
/// waiting on the client.
fn refuse(stream: &TcpStream) {
    let _ = stream.set_write_timeout(Some(Duration::from_millis(200)));
    let mut r = Response::text(503, "the preview is busy; try again\n");
    r.headers.push(("Retry-After", "1".into()));
    let _ = write_response(stream, &r, false, true);
    close_gently(stream);
}

/// Ends a connection after an answer the client may still be sending
/// into: the sending side is shut, and what the client sent is read and
/// dropped for a moment (at most 64 KiB, 100 ms), so that closing does not
/// reset the connection before the client has read the answer.
fn close_gently(stream: &TcpStream) {
    let _ = stream.shutdown(std::net::Shutdown::Write);
    let _ = stream.set_read_timeout(Some(Duration::from_millis(100)));
    let end = Instant::now() + Duration::from_millis(100);
    let mut left: usize = 64 * 1024;
    let mut buf = [0u8; 4096];
    while left > 0 && Instant::now() < end {
        match (&*stream).read(&mut buf) {
            Ok(0) | Err(_) => break,
            Ok(n) => left = left.saturating_sub(n),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::net::SocketAddr;

    fn start(limits: Limits) -> SocketAddr {
        let listener = TcpListener::bind("127.0.0.1:0").unwrap();
        let address = listener.local_addr().unwrap();
        std::thread::spawn(move || {
            serve(listener, limits, |r: &Request, _: &Connection| {
                Response::text(200, &format!("{} {}\n", r.method, r.target))
            })
        });
        address
    }

    fn exchange(address: SocketAddr, bytes: &[u8]) -> String {
        let mut s = TcpStream::connect(address).unwrap();
        s.set_read_timeout(Some(Duration::from_secs(10))).unwrap();
        s.write_all(bytes).unwrap();
        let mut out = Vec::new();
        let _ = s.read_to_end(&mut out);
        String::from_utf8_lossy(&out).into_owned()
    }

    #[test]
    fn requests_are_answered_in_turn_on_one_connection() {
        let a = start(Limits::default());
        let out = exchange(
            a,
            b"GET /a HTTP/1.1\r\nHost: x\r\n\r\nHEAD /b HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n",
        );
        assert!(out.starts_with("HTTP/1.1 200 OK\r\n"), "{out}");
        assert!(out.contains("GET /a\n"), "{out}");
        assert_eq!(out.matches("HTTP/1.1 200").count(), 2, "{out}");
        assert!(
            !out.contains("HEAD /b\n"),
            "a HEAD answer has no body: {out}"
        );
    }

    #[test]
    fn heads_beyond_the_bounds_and_smuggling_are_refused() {
        let limits = Limits {
            head_bytes: 200,
            headers: 3,
            ..Limits::default()
        };
        let a = start(limits);
        let big = format!("GET / HTTP/1.1\r\nX: {}\r\n\r\n", "a".repeat(300));
        assert!(exchange(a, big.as_bytes()).starts_with("HTTP/1.1 431"));
        let many = "GET / HTTP/1.1\r\nA: 1\r\nB: 2\r\nC: 3\r\nD: 4\r\n\r\n";
        assert!(exchange(a, many.as_bytes()).starts_with("HTTP/1.1 431"));
        for bad in [
            "GET / HTTP/1.1\r\nHost: a\r\nHost: b\r\n\r\n",
            "GET / HTTP/1.1\r\nContent-Length: 5\r\n\r\nhello",
            "GET / HTTP/1.1\r\nTransfer-Encoding: chunked\r\n\r\n0\r\n\r\n",
            "GET / HTTP/1.1\r\nX: a\r\n folded\r\n\r\n",
            "GET /\r\n\r\n",
            "GET / HTTP/2\r\n\r\n",
        ] {
            let out = exchange(a, bad.as_bytes());
            assert!(out.starts_with("HTTP/1.1 400"), "{bad:?}: {out}");
            assert_eq!(out.matches("HTTP/1.1 ").count(), 1, "{bad:?}: {out}");
        }
    }

    #[test]
    fn a_slow_head_gets_408_and_idle_connections_give_way() {
        let limits = Limits {
            connections: 2,
            head_time: Duration::from_millis(300),
            idle_time: Duration::from_secs(30),
            ..Limits::default()
        };
        let a = start(limits);
        let mut slow = TcpStream::connect(a).unwrap();
        slow.write_all(b"GET / HT").unwrap();
        let mut out = String::new();
        slow.set_read_timeout(Some(Duration::from_secs(5))).unwrap();
        let _ = slow.read_to_string(&mut out);
        assert!(out.starts_with("HTTP/1.1 408"), "{out}");
        // Two idle connections fill the server: a third that asks takes
        // the place of the one that waited longest.
        let idle: Vec<TcpStream> = (0..2).map(|_| TcpStream::connect(a).unwrap()).collect();
        std::thread::sleep(Duration::from_millis(100));
        let out = exchange(a, b"GET /x HTTP/1.1\r\nConnection: close\r\n\r\n");
        assert!(out.starts_with("HTTP/1.1 200"), "{out}");
        drop(idle);
    }

    #[test]
    fn connections_beyond_the_limit_being_answered_get_503_and_the_server_recovers() {
        let limits = Limits {
            connections: 2,
            ..Limits::default()
        };
        let listener = TcpListener::bind("127.0.0.1:0").unwrap();
        let a = listener.local_addr().unwrap();
        let release = Arc::new(Mutex::new(()));
        let held = release.lock().unwrap();
        let gate = Arc::clone(&release);
        std::thread::spawn(move || {
            serve(listener, limits, move |r: &Request, _: &Connection| {
                if r.target == "/slow" {
                    drop(gate.lock());
                }
                Response::text(200, "ok\n")
            })
        });
        // Two requests being answered (held) fill the server.
        let busy: Vec<TcpStream> = (0..2)
            .map(|_| {
                let mut s = TcpStream::connect(a).unwrap();
                s.write_all(b"GET /slow HTTP/1.1\r\n\r\n").unwrap();
                s
            })
            .collect();
        std::thread::sleep(Duration::from_millis(200));
        let out = exchange(a, b"GET / HTTP/1.1\r\n\r\n");
        assert!(out.starts_with("HTTP/1.1 503"), "{out}");
        drop(held);
        drop(busy);
        std::thread::sleep(Duration::from_millis(200));
        let out = exchange(a, b"GET / HTTP/1.1\r\nConnection: close\r\n\r\n");
        assert!(out.starts_with("HTTP/1.1 200"), "{out}");
    }
}
