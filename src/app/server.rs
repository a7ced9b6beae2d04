//! The HTTP side of `korpsmonitor serve`: serves the files of the last
//! build from memory, answers only paths of files in that set, shows a
//! failed build as a page with every problem's file, line and message, and
//! makes open pages reload when a new build is published.
//!
//! Pages learn of a new build by long polling: the script added to every
//! HTML response (never to the built files themselves) asks
//! `/.korpsmonitor/wait?after=N`, which is answered as soon as the build
//! number differs from `N` (or after 25 s, and the page asks again), and
//! the page reloads when the number changed. A long poll is a complete
//! response and arrives at once; one whose client has gone gives its
//! connection back within a quarter of a second.
//!
//! Connections are served by [`crate::app::http`], which bounds what any
//! client can take (connections, head size, time; more get 503, 408 or
//! 431). When the server listens on a loopback address only requests
//! naming a loopback host (`127.0.0.1`, `localhost`, `[::1]`) with its port
//! are answered, so a web page elsewhere cannot read the preview through
//! DNS rebinding.

use std::collections::BTreeMap;
use std::net::{SocketAddr, TcpListener};
use std::sync::{Arc, Condvar, Mutex, MutexGuard};
use std::time::{Duration, Instant};

use crate::app::http::{self, Connection, Limits, Request, Response};
use crate::base::error::RunError;

/// The path (below the root) of the long poll that tells pages of a new
/// build. It starts with a dot, which no built file does.
pub const WAIT_PATH: &str = ".korpsmonitor/wait";

/// How long a long poll is held before it is answered unchanged.
const WAIT_LIMIT: Duration = Duration::from_secs(25);

/// How long a request made before the first build is done waits for it.
const FIRST_BUILD_LIMIT: Duration = Duration::from_secs(300);

/// The files of one build: path below the site root (`/`-separated, no
/// leading `/`, e.g. `brieven/utrecht.pdf`) to content.
pub type Files = BTreeMap<String, Arc<[u8]>>;

/// What the server shows: the last good files, the last build's error (if
/// it failed) and the build number, which changes with every build.
#[derive(Default)]
struct State {
    /// 0 until the first build is published, then 1, 2, ...
    generation: u64,
    files: Arc<Files>,
    /// The body of the error page when the last build failed.
    error: Option<Arc<str>>,
}

struct Shared {
    state: Mutex<State>,
    changed: Condvar,
    /// A title for the generated pages (the edition folder).
    name: String,
}

impl Shared {
    fn state(&self) -> MutexGuard<'_, State> {
        // A panic while holding the lock leaves a consistent state (every
        // change is one assignment): keep serving.
        self.state.lock().unwrap_or_else(|e| e.into_inner())
    }
}

/// Publishes builds to the [`Server`] it came with; cheap to clone and to
/// send to another thread.
#[derive(Clone)]
pub struct Preview {
    shared: Arc<Shared>,
}

impl Preview {
    /// A good build: `files` replace the served set and clear the error;
    /// open pages reload.
    pub fn publish(&self, files: Files) {
        self.replace(|_| files);
    }

    /// Serves what `next` makes of the served set as the new set, clears
    /// the error and lets open pages reload.
    fn replace(&self, next: impl FnOnce(&Files) -> Files) {
        let mut state = self.shared.state();
        let files = next(&state.files);
        state.generation += 1;
        state.files = Arc::new(files);
        state.error = None;
        drop(state);
        self.shared.changed.notify_all();
    }

    /// A good build of the web edition alone (`site`: paths below the
    /// root, `web/...`), published before the other documents are typeset:
    /// it replaces the site's pages and files of the served set, keeps the
    /// rest (the PDFs, also the site's copies of them) and clears the
    /// error; open pages reload.
    pub fn publish_site(&self, site: Files) {
        let prefix = format!("{WEB_FOLDER}/");
        self.replace(|served| {
            let mut files: Files = served
                .iter()
                .filter(|(k, _)| !k.starts_with(&prefix) || k.ends_with(".pdf"))
                .map(|(k, v)| (k.clone(), Arc::clone(v)))
                .collect();
            files.extend(
                site.into_iter()
                    .filter(|(k, _)| k.starts_with(&prefix) && !k.ends_with(".pdf")),
            );
            files
        });
    }

    /// A good build of documents alone (`documents`: the PDFs of a build
    /// with `--only`, paths below the root), published before the full
    /// build: each replaces the file of the same path, and the site's copy
    /// (`web/<name>`) of a document at the root when the site holds one;
    /// the rest stays. Clears the error; open pages reload.
    pub fn publish_documents(&self, documents: Files) {
        self.replace(|served| {
            let mut files = served.clone();
            for (path, bytes) in documents {
                let copy = format!("{WEB_FOLDER}/{path}");
                if !path.contains('/') && files.contains_key(&copy) {
                    files.insert(copy, Arc::clone(&bytes));
                }
                files.insert(path, bytes);
            }
            files
        });
    }

    /// A failed build: HTML pages show `error` (every problem with file,
    /// line and message) until a build succeeds; the other files of the
    /// last good build stay served; open pages reload.
    pub fn fail(&self, error: &RunError) {
        let page = error_page(&self.shared.name, error);
        let mut state = self.shared.state();
        state.generation += 1;
        state.error = Some(page.into());
        drop(state);
        self.shared.changed.notify_all();
    }

    /// The number of builds published so far.
    pub fn generation(&self) -> u64 {
        self.shared.state().generation
    }
}

/// The HTTP server of a preview.
pub struct Server {
    listener: TcpListener,
    address: SocketAddr,
    shared: Arc<Shared>,
}

impl Server {
    /// Listens on `address` (port 0: a free port) and returns the server
    /// and the handle to publish builds through; `name` titles the pages
    /// the server makes itself. Fails when the address cannot be bound
    /// (taken, not this machine's, or a port that needs privileges).
    pub fn bind(address: SocketAddr, name: &str) -> std::io::Result<(Server, Preview)> {
        let listener = TcpListener::bind(address)?;
        let address = listener.local_addr()?;
        let shared = Arc::new(Shared {
            state: Mutex::new(State::default()),
            changed: Condvar::new(),
            name: name.to_string(),
        });
        let preview = Preview {
            shared: Arc::clone(&shared),
        };
        Ok((
            Server {
                listener,
                address,
                shared,
            },
            preview,
        ))
    }

    /// The address listened on (with the port chosen when 0 was asked).
    pub fn address(&self) -> SocketAddr {
        self.address
    }

    /// Answers requests until the listener fails, each connection on its
    /// own thread, within the bounds of [`Limits::default`].
    pub fn run(self) {
        let local = self.address.ip().is_loopback();
        let port = self.address.port();
        let shared = self.shared;
        http::serve(
            self.listener,
            Limits::default(),
            move |request, connection| answer(&shared, request, connection, local.then_some(port)),
        );
    }
}

/// A response with the headers every answer gets: not to be cached (the
/// next build changes it), not to be sniffed, no referrer sent on.
fn reply(status: u16, content_type: &str, body: Arc<[u8]>) -> Response {
    Response {
        status,
        headers: vec![
            ("Content-Type", content_type.to_string()),
            ("Cache-Control", "no-store".into()),
            ("X-Content-Type-Options", "nosniff".into()),
            ("Referrer-Policy", "no-referrer".into()),
        ],
        body,
    }
}

fn plain(status: u16, text: &str) -> Response {
    reply(
        status,
        "text/plain; charset=utf-8",
        Arc::from(text.as_bytes()),
    )
}

/// Why a request target is refused (400).
#[derive(Debug, PartialEq, Eq)]
pub enum Refused {
    /// Not a path starting with `/` (absolute URLs, `*`, relative paths).
    NotAPath,
    /// A `.` or `..` segment, or an empty one (`//`).
    Segment,
    /// A percent escape of `.`, `/`, `\`, `%` or a control character, a broken
    /// escape, or an escape that is not UTF-8.
    Escape,
    /// A backslash or a control character.
    Character,
}

/// The file a request target names: its path below the site root,
/// decoded, with the query left off; `""` for the root, and a trailing
/// `/` kept (a folder). Every target that could leave the site is refused
/// rather than resolved: `..` and `.` segments, empty segments, escaped
/// dots, slashes, backslashes and percent signs (`%2e`, `%2f`, `%5c`,
/// `%25`), backslashes and
/// control characters, and targets not starting with `/`.
pub fn site_path(target: &str) -> Result<String, Refused> {
    let path = target.split_once('?').map_or(target, |(p, _)| p);
    let path = path.strip_prefix('/').ok_or(Refused::NotAPath)?;
    if path.is_empty() {
        return Ok(String::new());
    }
    let segments: Vec<&str> = path.split('/').collect();
    let last = segments.len() - 1;
    let mut out = Vec::with_capacity(segments.len());
    for (i, segment) in segments.into_iter().enumerate() {
        if segment.is_empty() {
            if i == last {
                out.push(String::new());
                continue;
            }
            return Err(Refused::Segment);
        }
        let decoded = percent_decode(segment)?;
        if decoded == "." || decoded == ".." {
            return Err(Refused::Segment);
        }
        if decoded.chars().any(|c| c == '\\' || c.is_control()) {
            return Err(Refused::Character);
        }
        out.push(decoded);
    }
    Ok(out.join("/"))
}

/// `segment` with its percent escapes decoded; escapes of `.`, `/`, `\`,
/// `%` (a second escape hidden in the first) and control characters are
/// refused, as are broken escapes and bytes that are not UTF-8.
fn percent_decode(segment: &str) -> Result<String, Refused> {
    let bytes = segment.as_bytes();
    let mut out = Vec::with_capacity(bytes.len());
    let mut i = 0;
    while i < bytes.len() {
        if bytes[i] == b'%' {
            let hex = segment.get(i + 1..i + 3).ok_or(Refused::Escape)?;
            if !hex.bytes().all(|b| b.is_ascii_hexdigit()) {
                return Err(Refused::Escape);
            }
            let b = u8::from_str_radix(hex, 16).map_err(|_| Refused::Escape)?;
            if matches!(b, b'.' | b'/' | b'\\' | b'%') || b < 0x20 || b == 0x7f {
                return Err(Refused::Escape);
            }
            out.push(b);
            i += 3;
        } else {
            out.push(bytes[i]);
            i += 1;
        }
    }
    String::from_utf8(out).map_err(|_| Refused::Escape)
}

/// Whether the `Host` header `host` names this machine's loopback on
/// `port` (browsers leave out port 80).
fn loopback_host(host: &str, port: u16) -> bool {
    let (name, given) = match host.rsplit_once(':') {
        Some((n, p)) if !n.is_empty() && !p.contains(']') => (n, p.parse::<u16>().ok()),
        _ => (host, Some(80)),
    };
    given == Some(port)
        && (name.eq_ignore_ascii_case("localhost")
            || name == "[::1]"
            || name
                .parse::<std::net::Ipv4Addr>()
                .is_ok_and(|ip| ip.is_loopback()))
}

/// The media type of a served file, by its extension.
pub fn content_type(path: &str) -> &'static str {
    let ext = path.rsplit_once('.').map_or("", |(_, e)| e);
    match ext.to_ascii_lowercase().as_str() {
        "html" | "htm" => "text/html; charset=utf-8",
        "pdf" => "application/pdf",
        "css" => "text/css; charset=utf-8",
        "js" | "mjs" => "text/javascript; charset=utf-8",
        "json" => "application/json",
        "zip" => "application/zip",
        "csv" => "text/csv; charset=utf-8",
        "txt" => "text/plain; charset=utf-8",
        "svg" => "image/svg+xml",
        "png" => "image/png",
        "jpg" | "jpeg" => "image/jpeg",
        "woff2" => "font/woff2",
        "xml" => "application/xml",
        _ => "application/octet-stream",
    }
}

/// The script that makes a served page reload after the next build;
/// `generation` is the build the page shows.
fn reload_script(generation: u64) -> String {
    format!(
        r#"<script>/* korpsmonitor serve: reloads this page after each rebuild */
(function () {{
  var shown = "{generation}";
  function wait() {{
    fetch("/{WAIT_PATH}?after=" + shown, {{ cache: "no-store" }})
      .then(function (r) {{ if (!r.ok) throw new Error(r.status); return r.text(); }})
      .then(function (now) {{ if (now !== shown) location.reload(); else wait(); }})
      .catch(function () {{ setTimeout(wait, 1000); }});
  }}
  wait();
}})();
</script>
"#
    )
}

/// `html` with the reload script for `generation` before its last
/// `</body>` (in any letter case), or at its end when it has none.
pub fn inject(html: &[u8], generation: u64) -> Vec<u8> {
    let script = reload_script(generation);
    let at = html
        .windows(7)
        .rposition(|w| w.eq_ignore_ascii_case(b"</body>"))
        .unwrap_or(html.len());
    let mut out = Vec::with_capacity(html.len() + script.len());
    out.extend_from_slice(&html[..at]);
    out.extend_from_slice(script.as_bytes());
    out.extend_from_slice(&html[at..]);
    out
}

/// `text` escaped for HTML text and attribute values, with the characters
/// the terminal does not get as they are escaped as there.
fn escape(text: &str) -> String {
    crate::render::html::escape_xml(&crate::base::term::clean(text))
}

/// A page the server makes itself (the file list, the error page).
fn page(title: &str, body: &str) -> String {
    format!(
        "<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n\
         <meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n\
         <title>{}</title>\n<style>\n\
         body {{ font-family: system-ui, sans-serif; max-width: 60rem; margin: 2rem auto; padding: 0 1rem; line-height: 1.5; color: #1a1a1a; }}\n\
         pre {{ background: #f4f4f4; padding: 1rem; overflow-x: auto; white-space: pre-wrap; }}\n\
         code {{ background: #f4f4f4; padding: 0 .2em; }}\n\
         .error {{ color: #a00; font-weight: bold; }} .warning {{ color: #7a5200; font-weight: bold; }}\n\
         </style>\n</head>\n<body>\n{body}</body>\n</html>\n",
        escape(title)
    )
}

/// The page shown while the last build failed: each problem with its
/// file, line, column, field, message and hint, then the problems as the
/// terminal shows them (with the lines they point at).
pub fn error_page(name: &str, error: &RunError) -> String {
    let mut body = format!(
        "<h1>The build of {} failed</h1>\n<p>This page reloads by itself when the edition \
         builds again. The PDFs of the last good build are still served.</p>\n",
        escape(name)
    );
    if let RunError::Data(problems) = error {
        body.push_str("<ol>\n");
        for d in &problems.diagnostics {
            let (class, kind) = if d.is_error() {
                ("error", "error")
            } else {
                ("warning", "warning")
            };
            body.push_str(&format!(
                "<li><span class=\"{class}\">{kind}</span> <code>{}</code>",
                escape(&d.location())
            ));
            if let Some(field) = &d.field {
                body.push_str(&format!(" field <code>{}</code>", escape(field)));
            }
            body.push_str(&format!(": {}", escape(&d.message)));
            if let Some(hint) = &d.hint {
                body.push_str(&format!("<br>hint: {}", escape(hint)));
            }
            body.push_str("</li>\n");
        }
        body.push_str("</ol>\n<h2>As on the terminal</h2>\n");
    }
    body.push_str(&format!("<pre>{}</pre>\n", escape(&error.render(false))));
    page(&format!("Build failed: {name}"), &body)
}

/// The start page while the site has no `index.html`: every file, linked.
fn file_list(name: &str, files: &Files) -> String {
    let mut body = format!(
        "<h1>{}</h1>\n<p>The documents of the last build, served from memory; \
         this page reloads after each rebuild.</p>\n<ul>\n",
        escape(name)
    );
    for (path, bytes) in files {
        let href: String = path
            .split('/')
            .map(href_segment)
            .collect::<Vec<_>>()
            .join("/");
        body.push_str(&format!(
            "<li><a href=\"/{}\">{}</a> ({} KiB)</li>\n",
            escape(&href),
            escape(path),
            bytes.len().div_ceil(1024)
        ));
    }
    body.push_str("</ul>\n");
    page(name, &body)
}

/// A path segment percent-escaped for a link: everything but unreserved
/// ASCII (RFC 3986, section 2.3).
fn href_segment(segment: &str) -> String {
    let mut out = String::new();
    for b in segment.bytes() {
        if b.is_ascii_alphanumeric() || matches!(b, b'-' | b'_' | b'.' | b'~') {
            out.push(b as char);
        } else {
            out.push_str(&format!("%{b:02X}"));
        }
    }
    out
}

/// What a request gets, decided from the state alone (no waiting): the
/// status, media type and body.
pub(crate) fn respond(
    files: &Files,
    error: Option<&str>,
    generation: u64,
    name: &str,
    path: &str,
) -> (u16, &'static str, Arc<[u8]>) {
    const HTML: &str = "text/html; charset=utf-8";
    let html = |status: u16, text: &[u8]| (status, HTML, Arc::from(inject(text, generation)));
    let key = if path.is_empty() || path.ends_with('/') {
        format!("{path}index.html")
    } else {
        path.to_string()
    };
    let is_page = content_type(&key).starts_with("text/html");
    if let Some(page) = error
        && is_page
    {
        return html(500, page.as_bytes());
    }
    match files.get(&key) {
        Some(bytes) if is_page => html(200, bytes),
        Some(bytes) => (200, content_type(&key), Arc::clone(bytes)),
        None if path.is_empty() => html(200, file_list(name, files).as_bytes()),
        None => (
            404,
            "text/plain; charset=utf-8",
            Arc::from(format!("not found: /{path}\n").as_bytes()),
        ),
    }
}

/// The folder of the web edition below the edition's output folder, whose
/// start page is the site's when the site has no `index.html` of its own.
pub const WEB_FOLDER: &str = "web";

/// Where a request is sent on, so that relative links resolve as they do
/// on disk: the root to the web edition (`/web/`) when the site has no
/// `index.html` but the web edition's; a folder asked for without its
/// final `/` (`/web`) to the folder, when the site has its `index.html`
/// and no file of that name.
fn redirect(files: &Files, path: &str) -> Option<String> {
    if path.is_empty() {
        let start = format!("{WEB_FOLDER}/index.html");
        return (!files.contains_key("index.html") && files.contains_key(&start))
            .then(|| format!("/{WEB_FOLDER}/"));
    }
    if path.ends_with('/') || files.contains_key(path) {
        return None;
    }
    files.contains_key(&format!("{path}/index.html")).then(|| {
        let href: Vec<String> = path.split('/').map(href_segment).collect();
        format!("/{}/", href.join("/"))
    })
}

/// Answers one request.
fn answer(
    shared: &Shared,
    request: &Request,
    connection: &Connection,
    loopback_port: Option<u16>,
) -> Response {
    if !matches!(request.method.as_str(), "GET" | "HEAD") {
        let mut r = plain(405, "only GET and HEAD\n");
        r.headers.push(("Allow", "GET, HEAD".into()));
        return r;
    }
    if let Some(port) = loopback_port
        && request
            .header_values("Host")
            .first()
            .is_some_and(|h| !loopback_host(h, port))
    {
        return plain(
            421,
            "this preview answers only requests to a loopback host (127.0.0.1, localhost)\n",
        );
    }
    let target = request.target.as_str();
    let path = match site_path(target) {
        Ok(p) => p,
        Err(why) => return plain(400, &format!("bad path ({why:?})\n")),
    };
    if path == WAIT_PATH {
        let after = target
            .split_once('?')
            .and_then(|(_, q)| q.split('&').find_map(|kv| kv.strip_prefix("after=")))
            .and_then(|v| v.parse::<u64>().ok());
        let Some(after) = after else {
            return plain(400, "expected ?after=N\n");
        };
        let now = wait_for_change(shared, after, WAIT_LIMIT, connection);
        return plain(200, &now.to_string());
    }
    // Before the first build there is nothing to show: wait for it.
    wait_for_change(shared, 0, FIRST_BUILD_LIMIT, connection);
    let (files, error, generation) = {
        let state = shared.state();
        (
            Arc::clone(&state.files),
            state.error.clone(),
            state.generation,
        )
    };
    if let Some(to) = redirect(&files, &path) {
        // Temporary: the next build may have a start page of its own.
        let mut r = plain(302, &format!("see {to}\n"));
        r.headers.push(("Location", to));
        return r;
    }
    let (status, content_type, body) =
        respond(&files, error.as_deref(), generation, &shared.name, &path);
    reply(status, content_type, body)
}

/// Waits until the build number is not `after` (or `limit` has passed, or
/// the client has gone); returns the build number then. The client is
/// looked at every quarter of a second, so that a closed long poll gives
/// its connection back at once.
fn wait_for_change(shared: &Shared, after: u64, limit: Duration, connection: &Connection) -> u64 {
    const LOOK: Duration = Duration::from_millis(250);
    let end = Instant::now() + limit;
    let mut state = shared.state();
    while state.generation == after {
        let left = end.saturating_duration_since(Instant::now());
        if left.is_zero() {
            break;
        }
        state = match shared.changed.wait_timeout(state, left.min(LOOK)) {
            Ok((s, _)) => s,
            Err(e) => e.into_inner().0,
        };
        if state.generation == after && connection.closed() {
            break;
        }
    }
    state.generation
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The files `preview` serves, by path, with their content as text.
    fn served(preview: &Preview) -> Vec<(String, String)> {
        let state = preview.shared.state();
        state
            .files
            .iter()
            .map(|(k, v)| (k.clone(), String::from_utf8_lossy(v).into_owned()))
            .collect()
    }

    #[test]
    fn a_site_published_alone_replaces_the_site_and_keeps_the_pdfs() {
        let (_server, preview) = Server::bind("127.0.0.1:0".parse().unwrap(), "d").unwrap();
        let file = |s: &str| Arc::from(s.as_bytes());
        let mut all = Files::new();
        all.insert("korpsmonitor-2010.pdf".into(), file("report"));
        all.insert("web/korpsmonitor-2010.pdf".into(), file("report"));
        all.insert("web/index.html".into(), file("old"));
        all.insert("web/eenheden/gone.html".into(), file("gone"));
        preview.publish(all);
        let mut site = Files::new();
        site.insert("web/index.html".into(), file("new"));
        // A PDF of a web-only build is a stale copy from disk: never served.
        site.insert("web/korpsmonitor-2010.pdf".into(), file("stale"));
        site.insert("brieven/x.pdf".into(), file("letter"));
        preview.publish_site(site);
        assert_eq!(preview.generation(), 2);
        assert_eq!(
            served(&preview),
            [
                ("korpsmonitor-2010.pdf".to_string(), "report".to_string()),
                ("web/index.html".to_string(), "new".to_string()),
                (
                    "web/korpsmonitor-2010.pdf".to_string(),
                    "report".to_string()
                ),
            ]
        );
    }

    #[test]
    fn documents_published_alone_replace_their_files_and_the_sites_copy() {
        let (_server, preview) = Server::bind("127.0.0.1:0".parse().unwrap(), "d").unwrap();
        let file = |s: &str| Arc::from(s.as_bytes());
        let mut all = Files::new();
        all.insert("korpsmonitor-2010.pdf".into(), file("old"));
        all.insert("web/korpsmonitor-2010.pdf".into(), file("old"));
        all.insert("brieven/a.pdf".into(), file("a"));
        all.insert("web/index.html".into(), file("page"));
        preview.publish(all);
        let mut report = Files::new();
        report.insert("korpsmonitor-2010.pdf".into(), file("new"));
        // No copy in the site: none is made.
        report.insert("aanbiedingsbrief-2010.pdf".into(), file("letter"));
        preview.publish_documents(report);
        assert_eq!(preview.generation(), 2);
        assert_eq!(
            served(&preview),
            [
                (
                    "aanbiedingsbrief-2010.pdf".to_string(),
                    "letter".to_string()
                ),
                ("brieven/a.pdf".to_string(), "a".to_string()),
                ("korpsmonitor-2010.pdf".to_string(), "new".to_string()),
                ("web/index.html".to_string(), "page".to_string()),
                ("web/korpsmonitor-2010.pdf".to_string(), "new".to_string()),
            ]
        );
    }

    #[test]
    fn paths_inside_the_site_are_decoded() {
        let cases = [
            ("/", ""),
            ("/?x=1", ""),
            ("/korpsmonitor-2010.pdf", "korpsmonitor-2010.pdf"),
            ("/brieven/utrecht.pdf?v=2", "brieven/utrecht.pdf"),
            ("/eenheden/", "eenheden/"),
            ("/a%20b.pdf", "a b.pdf"),
            ("/caf%C3%A9.html", "café.html"),
            ("/.korpsmonitor/wait?after=3", ".korpsmonitor/wait"),
            ("/a..b.pdf", "a..b.pdf"),
        ];
        for (target, path) in cases {
            assert_eq!(site_path(target), Ok(path.to_string()), "{target}");
        }
    }

    #[test]
    fn paths_that_could_leave_the_site_are_refused() {
        let cases = [
            ("/../etc/passwd", Refused::Segment),
            ("/brieven/../../x", Refused::Segment),
            ("/./x", Refused::Segment),
            ("/x/..", Refused::Segment),
            ("//etc/passwd", Refused::Segment),
            ("/a//b", Refused::Segment),
            ("/%2e%2e/etc/passwd", Refused::Escape),
            ("/%2E%2E/x", Refused::Escape),
            ("/.%2e/x", Refused::Escape),
            ("/brieven%2f..%2f..%2fx", Refused::Escape),
            ("/brieven%2Fx.pdf", Refused::Escape),
            ("/%5c..%5cx", Refused::Escape),
            ("/x%00.pdf", Refused::Escape),
            ("/x%2", Refused::Escape),
            ("/x%zz", Refused::Escape),
            ("/%ff", Refused::Escape),
            ("/%252e%252e/x", Refused::Escape),
            ("/..\\x", Refused::Character),
            ("/a\\b", Refused::Character),
            ("etc/passwd", Refused::NotAPath),
            ("http://127.0.0.1/etc/passwd", Refused::NotAPath),
            ("*", Refused::NotAPath),
            ("", Refused::NotAPath),
        ];
        for (target, why) in cases {
            assert_eq!(site_path(target), Err(why), "{target}");
        }
    }

    #[test]
    fn only_loopback_hosts_on_our_port_are_answered() {
        assert!(loopback_host("127.0.0.1:8000", 8000));
        assert!(loopback_host("localhost:8000", 8000));
        assert!(loopback_host("LOCALHOST:8000", 8000));
        assert!(loopback_host("[::1]:8000", 8000));
        assert!(loopback_host("127.0.0.1", 80));
        assert!(!loopback_host("127.0.0.1", 8000));
        assert!(!loopback_host("127.0.0.1:8001", 8000));
        assert!(!loopback_host("evil.example:8000", 8000));
        assert!(!loopback_host("localhost.evil.example:8000", 8000));
        assert!(!loopback_host("10.0.0.1:8000", 8000));
        assert!(!loopback_host(":8000", 8000));
    }

    #[test]
    fn the_script_goes_before_the_last_body_end() {
        let out = inject(b"<html><body><p>x</p></BODY></html>", 7);
        let out = String::from_utf8(out).unwrap();
        let script = out.find("<script>").unwrap();
        assert!(script > out.find("<p>x</p>").unwrap(), "{out}");
        assert!(out[script..].contains("</script>\n</BODY></html>"), "{out}");
        assert!(out.contains(r#"var shown = "7";"#), "{out}");
        assert!(out.contains("/.korpsmonitor/wait?after="), "{out}");
        // No body end: at the end.
        let out = String::from_utf8(inject(b"<p>x</p>", 1)).unwrap();
        assert!(out.starts_with("<p>x</p><script>"), "{out}");
    }

    fn files() -> Files {
        let mut f = Files::new();
        f.insert("korpsmonitor-2010.pdf".into(), Arc::from(&b"%PDF-1.7"[..]));
        f.insert(
            "brieven/utrecht & co.pdf".into(),
            Arc::from(&b"%PDF-1.7"[..]),
        );
        f
    }

    #[test]
    fn a_site_without_start_page_gets_a_list_of_its_files() {
        let (status, kind, body) = respond(&files(), None, 3, "data/2010", "");
        assert_eq!((status, kind), (200, "text/html; charset=utf-8"));
        let body = std::str::from_utf8(&body).unwrap();
        assert!(
            body.contains(r#"<a href="/korpsmonitor-2010.pdf">"#),
            "{body}"
        );
        assert!(
            body.contains(
                r#"<a href="/brieven/utrecht%20%26%20co.pdf">brieven/utrecht &amp; co.pdf</a>"#
            ),
            "{body}"
        );
        assert!(body.contains(r#"var shown = "3";"#), "{body}");
    }

    #[test]
    fn html_gets_the_script_and_other_files_are_served_as_built() {
        let mut f = files();
        f.insert("index.html".into(), Arc::from(&b"<body>start</body>"[..]));
        f.insert("x/index.html".into(), Arc::from(&b"<body>x</body>"[..]));
        let (status, _, body) = respond(&f, None, 2, "d", "");
        assert_eq!(status, 200);
        assert!(body.starts_with(b"<body>start<script>"));
        let (_, _, body) = respond(&f, None, 2, "d", "x/");
        assert!(body.starts_with(b"<body>x<script>"));
        let (status, kind, body) = respond(&f, None, 2, "d", "korpsmonitor-2010.pdf");
        assert_eq!(
            (status, kind, &*body),
            (200, "application/pdf", &b"%PDF-1.7"[..])
        );
        let (status, _, _) = respond(&f, None, 2, "d", "nothing.pdf");
        assert_eq!(status, 404);
        assert_eq!(redirect(&f, "x"), Some("/x/".into()));
        assert_eq!(redirect(&f, "x/"), None);
        assert_eq!(redirect(&f, "brieven"), None);
        assert_eq!(redirect(&f, ""), None);
    }

    #[test]
    fn the_root_goes_to_the_web_edition_when_the_site_has_no_start_page() {
        let mut f = files();
        assert_eq!(redirect(&f, ""), None);
        f.insert("web/index.html".into(), Arc::from(&b"<body>web</body>"[..]));
        assert_eq!(redirect(&f, ""), Some("/web/".into()));
        assert_eq!(redirect(&f, "web"), Some("/web/".into()));
        let (status, _, body) = respond(&f, None, 1, "d", "web/");
        assert_eq!(status, 200);
        assert!(body.starts_with(b"<body>web<script>"));
        f.insert("index.html".into(), Arc::from(&b"<body>start</body>"[..]));
        assert_eq!(redirect(&f, ""), None);
        // The built file itself never holds the script.
        assert_eq!(&*f["index.html"], b"<body>start</body>");
    }

    #[test]
    fn a_failed_build_shows_on_pages_and_keeps_the_pdfs() {
        let mut f = files();
        f.insert("index.html".into(), Arc::from(&b"<body>start</body>"[..]));
        let error = RunError::diagnostic(
            crate::base::diagnostics::Diagnostic::error("data/2010/units/a.yaml", "found <x>")
                .at(Some(crate::base::locate::Pos { line: 3, column: 5 }))
                .field("name"),
        );
        let page = error_page("data/2010", &error);
        assert!(
            page.contains("<code>data/2010/units/a.yaml:3:5</code>"),
            "{page}"
        );
        assert!(
            page.contains("field <code>name</code>: found &lt;x&gt;"),
            "{page}"
        );
        let (status, _, body) = respond(&f, Some(&page), 4, "d", "");
        assert_eq!(status, 500);
        let body = std::str::from_utf8(&body).unwrap();
        assert!(body.contains("a.yaml:3:5") && body.contains(r#"var shown = "4";"#));
        let (status, _, _) = respond(&f, Some(&page), 4, "d", "korpsmonitor-2010.pdf");
        assert_eq!(status, 200);
    }

    #[test]
    fn media_types_follow_the_extension() {
        assert_eq!(content_type("a/b.PDF"), "application/pdf");
        assert_eq!(content_type("index.html"), "text/html; charset=utf-8");
        assert_eq!(content_type("data.csv"), "text/csv; charset=utf-8");
        assert_eq!(content_type("noext"), "application/octet-stream");
    }
}
