//! `serve`: the documents served from memory, a saved change served, an
//! error shown as a page and recovered from, paths outside the site refused.

use std::io::{BufRead, BufReader, Read, Write};
use std::net::{SocketAddr, TcpStream};
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::sync::mpsc;
use std::time::{Duration, Instant};

use crate::support::mini;

/// How long a change may take to be served in these tests (a debug build
/// on a shared machine; the target is far lower, see docs/PERFORMANCE.md).
const PATIENCE: Duration = Duration::from_secs(60);

/// A running `korpsmonitor serve`, killed when dropped (also when a test
/// fails).
struct Serve {
    child: Child,
    address: SocketAddr,
    stderr: mpsc::Receiver<String>,
}

impl Serve {
    /// Starts `serve EDITION --port 0` in `dir` and reads the address it
    /// prints.
    fn start(dir: &Path, edition: &str) -> Serve {
        Serve::start_with(dir, &[edition])
    }

    /// Starts `serve ARGS --port 0` in `dir` and reads the address it
    /// prints.
    fn start_with(dir: &Path, args: &[&str]) -> Serve {
        let mut child = Command::new(env!("CARGO_BIN_EXE_korpsmonitor"))
            .arg("serve")
            .args(args)
            .args(["--port", "0"])
            .current_dir(dir)
            .env_remove("SOURCE_DATE_EPOCH")
            .stdout(Stdio::piped())
            .stderr(Stdio::piped())
            .spawn()
            .unwrap();
        let (tx, stderr) = mpsc::channel();
        let err = child.stderr.take().unwrap();
        std::thread::spawn(move || {
            for line in BufReader::new(err).lines().map_while(Result::ok) {
                let _ = tx.send(line);
            }
        });
        let (tx, stdout) = mpsc::channel();
        let out = child.stdout.take().unwrap();
        std::thread::spawn(move || {
            for line in BufReader::new(out).lines().map_while(Result::ok) {
                let _ = tx.send(line);
            }
        });
        let mut serve = Serve {
            child,
            address: SocketAddr::from(([0, 0, 0, 0], 0)),
            stderr,
        };
        let line = stdout
            .recv_timeout(PATIENCE)
            .unwrap_or_else(|_| panic!("no address printed; stderr:\n{}", serve.stderr_so_far()));
        let url = line
            .split_whitespace()
            .find(|w| w.starts_with("http://"))
            .unwrap_or_else(|| panic!("no address in {line:?}"));
        serve.address = url
            .trim_start_matches("http://")
            .trim_end_matches('/')
            .parse()
            .unwrap_or_else(|e| panic!("{url}: {e}"));
        assert_eq!(url, format!("http://{}/", serve.address));
        serve
    }

    fn stderr_so_far(&self) -> String {
        self.stderr.try_iter().collect::<Vec<_>>().join("\n")
    }

    /// GET `target` with the host header a browser sends.
    fn get(&self, target: &str) -> Reply {
        let host = format!("127.0.0.1:{}", self.address.port());
        request(self.address, target, &host)
    }

    /// GETs `target` until `good` holds for the reply; panics after
    /// [`PATIENCE`] with the last reply and the server's output.
    fn get_until(&self, target: &str, good: impl Fn(&Reply) -> bool) -> Reply {
        let end = Instant::now() + PATIENCE;
        loop {
            let reply = self.get(target);
            if good(&reply) {
                return reply;
            }
            if Instant::now() > end {
                panic!(
                    "{target} never as expected; last: {} {}\nstderr:\n{}",
                    reply.status,
                    String::from_utf8_lossy(&reply.body),
                    self.stderr_so_far()
                );
            }
            std::thread::sleep(Duration::from_millis(50));
        }
    }
}

impl Drop for Serve {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

/// One HTTP answer.
struct Reply {
    status: u16,
    head: String,
    body: Vec<u8>,
}

impl Reply {
    fn text(&self) -> String {
        String::from_utf8_lossy(&self.body).into_owned()
    }
}

/// Sends one request with the target exactly as given (no normalising
/// client in between) and reads the answer; the connection is closed after
/// it. Every step has a timeout.
fn request(address: SocketAddr, target: &str, host: &str) -> Reply {
    let mut stream = TcpStream::connect_timeout(&address, Duration::from_secs(10)).unwrap();
    stream.set_read_timeout(Some(PATIENCE)).unwrap();
    stream.set_write_timeout(Some(PATIENCE)).unwrap();
    write!(
        stream,
        "GET {target} HTTP/1.1\r\nHost: {host}\r\nConnection: close\r\n\r\n"
    )
    .unwrap();
    let mut raw = Vec::new();
    stream.read_to_end(&mut raw).unwrap();
    let split = raw
        .windows(4)
        .position(|w| w == b"\r\n\r\n")
        .unwrap_or_else(|| panic!("no header end in {:?}", String::from_utf8_lossy(&raw)));
    let head = String::from_utf8_lossy(&raw[..split]).into_owned();
    let status = head
        .split_whitespace()
        .nth(1)
        .and_then(|s| s.parse().ok())
        .unwrap_or_else(|| panic!("no status in {head:?}"));
    Reply {
        status,
        head,
        body: raw[split + 4..].to_vec(),
    }
}

/// The reload script the server added to a served page.
fn reload_script(page: &str) -> String {
    let start = page
        .find("<script>/* korpsmonitor serve")
        .expect("no reload script");
    let end = start + page[start..].find("</script>\n").unwrap() + "</script>\n".len();
    page[start..end].to_string()
}

/// The text of a served PDF.
fn pdf_text(reply: &Reply, scratch: &Path) -> String {
    assert_eq!(reply.status, 200, "{}", reply.head);
    assert!(
        reply.head.contains("Content-Type: application/pdf"),
        "{}",
        reply.head
    );
    let file = scratch.join("served.pdf");
    std::fs::write(&file, &reply.body).unwrap();
    crate::pdf::text(&file)
}

/// Every file below `dir` with its length and modification time.
fn listing(dir: &Path) -> Vec<(PathBuf, u64, std::time::SystemTime)> {
    let mut out = Vec::new();
    for entry in std::fs::read_dir(dir).unwrap() {
        let entry = entry.unwrap();
        let meta = entry.metadata().unwrap();
        if meta.is_dir() {
            out.extend(listing(&entry.path()));
        } else {
            out.push((entry.path(), meta.len(), meta.modified().unwrap()));
        }
    }
    out.sort();
    out
}

#[test]
fn serves_the_documents_and_a_saved_change_from_memory() {
    let dir = mini(None);
    let scratch = tempfile::tempdir().unwrap();
    let unit = dir.path().join("mini/units/alfa.yaml");
    let text = std::fs::read_to_string(&unit).unwrap();
    let before = listing(dir.path());
    let serve = Serve::start(dir.path(), "mini");
    assert!(serve.address.ip().is_loopback(), "{}", serve.address);

    // The root goes to the web edition, whose pages carry the reload
    // script (the built pages do not) and link to the PDFs beside them.
    let root = serve.get("/");
    assert_eq!(root.status, 302, "{}", root.head);
    assert!(root.head.contains("Location: /web/"), "{}", root.head);
    let start = serve.get("/web/");
    assert_eq!(start.status, 200, "{}", start.head);
    assert!(
        start.head.contains("Content-Type: text/html"),
        "{}",
        start.head
    );
    let page = start.text();
    assert!(page.contains("korpsmonitor-2030.pdf\""), "{page}");
    assert!(page.contains("/.korpsmonitor/wait?after="), "{page}");
    let out = scratch.path().join("built");
    let out_arg = out.display().to_string();
    let built = crate::support::run(dir.path(), &["build", "mini", "--output", &out_arg]);
    assert_eq!(built.code, 0, "{}", built.stderr);
    let on_disk = std::fs::read_to_string(out.join("2030/web/index.html")).unwrap();
    assert!(!on_disk.contains("korpsmonitor/wait"), "{on_disk}");
    assert_eq!(
        page.replace(&reload_script(&page), ""),
        on_disk,
        "the served page is the built page plus the script"
    );
    let css = serve.get("/web/site.css");
    assert_eq!(css.status, 200);
    assert!(css.head.contains("Content-Type: text/css"), "{}", css.head);
    assert!(!css.text().contains("korpsmonitor/wait"));
    for letter in ["brieven/beta.pdf", "aanbiedingsbrief-2030.pdf"] {
        let r = serve.get(&format!("/{letter}"));
        assert!(r.body.starts_with(b"%PDF-"), "{letter}: {}", r.head);
    }
    let pdf = serve.get("/korpsmonitor-2030.pdf");
    assert!(pdf.body.starts_with(b"%PDF-"));
    assert!(!pdf.text().contains("korpsmonitor/wait"));
    assert!(pdf_text(&pdf, scratch.path()).contains("Goed toezicht."));
    let generation = serve.get("/.korpsmonitor/wait?after=0").text();

    // A saved change is served; a page waiting for the next build hears of it.
    let address = serve.address;
    let port = address.port();
    let target = format!("/.korpsmonitor/wait?after={generation}");
    let waiting =
        std::thread::spawn(move || request(address, &target, &format!("localhost:{port}")));
    std::fs::write(
        &unit,
        text.replace("Goed toezicht.", "Uitstekend toezicht."),
    )
    .unwrap();
    let heard = waiting.join().unwrap();
    assert_eq!(heard.status, 200);
    assert_ne!(
        heard.text(),
        generation,
        "the wait ended without a new build"
    );
    // The first build after the save is the web edition alone, published
    // before the documents are typeset: the site has the change already.
    let first = serve.get("/web/eenheden/alfa.html");
    assert!(
        first.text().contains("Uitstekend toezicht."),
        "{}",
        first.text()
    );
    let pdf = serve.get_until("/korpsmonitor-2030.pdf", |r| {
        r.status == 200 && pdf_text(r, scratch.path()).contains("Uitstekend toezicht.")
    });
    assert!(pdf.head.contains("Cache-Control: no-store"), "{}", pdf.head);
    let unit_page = serve.get("/web/eenheden/alfa.html");
    assert!(
        unit_page.text().contains("Uitstekend toezicht."),
        "{}",
        unit_page.text()
    );
    drop(serve);

    // Nothing was written: the folder holds what it held, plus the save.
    let after = listing(dir.path());
    let names = |l: &[(PathBuf, u64, std::time::SystemTime)]| {
        l.iter().map(|(p, _, _)| p.clone()).collect::<Vec<_>>()
    };
    assert_eq!(names(&before), names(&after));
    for (b, a) in before.iter().zip(&after) {
        if b.0 != unit {
            assert_eq!(b, a, "changed by serve");
        }
    }
}

#[test]
fn a_broken_file_shows_as_an_error_page_and_the_preview_goes_on() {
    let dir = mini(None);
    let scratch = tempfile::tempdir().unwrap();
    let unit = dir.path().join("mini/units/alfa.yaml");
    let text = std::fs::read_to_string(&unit).unwrap();
    let serve = Serve::start(dir.path(), "mini");
    assert_eq!(serve.get("/web/").status, 200);

    std::fs::write(&unit, text.replace("name: Alfa", "nme: Alfa")).unwrap();
    let error = serve.get_until("/web/", |r| r.status == 500);
    let page = error.text();
    assert!(
        error.head.contains("Content-Type: text/html"),
        "{}",
        error.head
    );
    assert!(page.contains("mini/units/alfa.yaml:2:1"), "{page}");
    assert!(page.contains("unknown field `nme`"), "{page}");
    assert!(page.contains("did you mean `name`?"), "{page}");
    // The page reloads itself when the edition builds again.
    assert!(page.contains("/.korpsmonitor/wait?after="), "{page}");
    // The last good PDF is still served.
    assert!(
        pdf_text(&serve.get("/korpsmonitor-2030.pdf"), scratch.path()).contains("Goed toezicht.")
    );

    std::fs::write(&unit, text.replace("Goed toezicht.", "Hersteld toezicht.")).unwrap();
    let start = serve.get_until("/web/", |r| r.status == 200);
    assert!(start.text().contains("korpsmonitor-2030.pdf"));
    let unit_page = serve.get("/web/eenheden/alfa.html");
    assert!(unit_page.text().contains("Hersteld toezicht."));
    // The site is published first, the report with the full build after it.
    serve.get_until("/korpsmonitor-2030.pdf", |r| {
        r.status == 200 && pdf_text(r, scratch.path()).contains("Hersteld toezicht.")
    });
}

#[test]
fn a_template_error_shows_as_a_page_with_the_template_line() {
    let dir = mini(None);
    let tpl = dir.path().join("tpl");
    std::fs::create_dir(&tpl).unwrap();
    let style =
        std::fs::read_to_string(crate::support::root().join("templates/style.typ")).unwrap();
    std::fs::write(tpl.join("style.typ"), &style).unwrap();
    let serve = Serve::start_with(dir.path(), &["mini", "--templates", "tpl"]);
    assert_eq!(serve.get("/web/").status, 200);

    let from = "#let contents(entries: none) = {";
    assert!(style.contains(from));
    let broken = style.replacen(
        from,
        "#let contents(entries: none) = {\n  undefined-function()",
        1,
    );
    let line = broken
        .lines()
        .position(|l| l.contains("undefined-function()"))
        .unwrap()
        + 1;
    std::fs::write(tpl.join("style.typ"), &broken).unwrap();
    let error = serve.get_until("/web/", |r| r.status == 500);
    let page = error.text();
    assert!(page.contains(&format!("tpl/style.typ:{line}:3")), "{page}");
    assert!(
        page.contains("unknown variable: undefined-function"),
        "{page}"
    );

    std::fs::write(tpl.join("style.typ"), &style).unwrap();
    serve.get_until("/web/", |r| r.status == 200);
}

#[test]
fn only_paths_inside_the_site_are_answered() {
    let dir = mini(None);
    let secret = dir.path().join("secret.pdf");
    std::fs::write(&secret, "SECRET").unwrap();
    // Links to outside the site, in the edition and beside it.
    #[cfg(unix)]
    {
        std::os::unix::fs::symlink(&secret, dir.path().join("mini/link.pdf")).unwrap();
        std::os::unix::fs::symlink("/etc/passwd", dir.path().join("mini/passwd.pdf")).unwrap();
    }
    let serve = Serve::start(dir.path(), "mini");
    assert_eq!(serve.get("/korpsmonitor-2030.pdf").status, 200);
    let refused = [
        "/../secret.pdf",
        "/brieven/../../secret.pdf",
        "/%2e%2e/secret.pdf",
        "/%2E%2E/secret.pdf",
        "/.%2e/secret.pdf",
        "/..%2fsecret.pdf",
        "/brieven%2f..%2f..%2fsecret.pdf",
        "/%252e%252e/secret.pdf",
        "/..%5csecret.pdf",
        "/..\\secret.pdf",
        "//etc/passwd",
        "/./korpsmonitor-2030.pdf",
        "etc/passwd",
        "http://127.0.0.1/../secret.pdf",
        "/korpsmonitor-2030.pdf%00",
    ];
    for target in refused {
        let r = serve.get(target);
        assert_eq!(r.status, 400, "{target}: {}", r.head);
    }
    let not_found = [
        "/secret.pdf",
        "/link.pdf",
        "/passwd.pdf",
        "/mini/link.pdf",
        "/etc/passwd",
        "/units/alfa.yaml",
        "/edition.yaml",
        "/.korpsmonitor-manifest",
    ];
    for target in not_found {
        let r = serve.get(target);
        assert_eq!(r.status, 404, "{target}: {}", r.head);
    }
    for target in refused.iter().chain(&not_found) {
        let r = serve.get(target);
        assert!(
            !r.text().contains("SECRET") && !r.text().contains("root:"),
            "{target}"
        );
    }
    // A request naming another host (DNS rebinding) is not answered.
    let r = request(serve.address, "/korpsmonitor-2030.pdf", "evil.example");
    assert_eq!(r.status, 421, "{}", r.head);
    // Only GET and HEAD.
    let mut stream = TcpStream::connect(serve.address).unwrap();
    stream.set_read_timeout(Some(PATIENCE)).unwrap();
    write!(
        stream,
        "DELETE /korpsmonitor-2030.pdf HTTP/1.1\r\nHost: 127.0.0.1:{}\r\nConnection: close\r\n\r\n",
        serve.address.port()
    )
    .unwrap();
    let mut answer = String::new();
    let _ = stream.read_to_string(&mut answer);
    assert!(answer.starts_with("HTTP/1.1 405"), "{answer}");
}

#[test]
fn it_listens_on_127_0_0_1_only() {
    let dir = mini(None);
    let serve = Serve::start(dir.path(), "mini");
    assert_eq!(serve.address.ip().to_string(), "127.0.0.1");
    assert_eq!(serve.get("/web/").status, 200);
    // Another loopback address of this machine reaches a server listening
    // on every address, but not this one.
    let other = SocketAddr::from(([127, 0, 0, 2], serve.address.port()));
    assert!(
        TcpStream::connect_timeout(&other, Duration::from_secs(5)).is_err(),
        "reachable on {other}"
    );
}

#[test]
fn a_port_in_use_is_a_clear_error() {
    let dir = mini(None);
    let taken = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
    let port = taken.local_addr().unwrap().port().to_string();
    let run = crate::support::run(dir.path(), &["serve", "mini", "--port", &port]);
    assert_eq!(run.code, 2, "{}", run.stderr);
    assert!(
        run.stderr
            .contains(&format!("error: cannot listen on 127.0.0.1:{port}")),
        "{}",
        run.stderr
    );
    assert!(run.stderr.contains("--port"), "{}", run.stderr);
}

/// Sends `raw` on a new connection and reads the answer until the server
/// closes; the time it took.
fn exchange(address: SocketAddr, raw: &[u8]) -> (String, Duration) {
    let start = Instant::now();
    let mut stream = TcpStream::connect_timeout(&address, Duration::from_secs(10)).unwrap();
    stream.set_read_timeout(Some(PATIENCE)).unwrap();
    // The server may answer (431) before all is sent.
    let _ = stream.write_all(raw);
    let mut out = Vec::new();
    let _ = stream.read_to_end(&mut out);
    (String::from_utf8_lossy(&out).into_owned(), start.elapsed())
}

#[test]
fn other_clients_cannot_starve_the_preview() {
    let dir = mini(None);
    let serve = Serve::start(dir.path(), "mini");
    serve.get_until("/korpsmonitor-2030.pdf", |r| r.status == 200);
    let a = serve.address;
    let host = format!("Host: 127.0.0.1:{}\r\n", a.port());
    let normal = format!("GET /korpsmonitor-2030.pdf HTTP/1.1\r\n{host}Connection: close\r\n\r\n");
    let answered = |what: &str| {
        let (out, took) = exchange(a, normal.as_bytes());
        assert!(
            out.starts_with("HTTP/1.1 200"),
            "{what}: {}",
            &out[..out.len().min(200)]
        );
        assert!(took < Duration::from_secs(1), "{what}: {took:?}");
    };
    // 600 idle connections (under the usual limit of 1,024 open files).
    let idle: Vec<TcpStream> = (0..600)
        .filter_map(|_| TcpStream::connect(a).ok())
        .collect();
    assert!(idle.len() > 550, "{}", idle.len());
    answered("beside 600 idle connections");
    drop(idle);
    // One connection pipelines 500 requests for the report and never reads.
    let mut greedy = TcpStream::connect(a).unwrap();
    greedy
        .set_write_timeout(Some(Duration::from_secs(2)))
        .unwrap();
    let mut pipelined = Vec::new();
    for _ in 0..500 {
        pipelined.extend_from_slice(
            format!("GET /korpsmonitor-2030.pdf HTTP/1.1\r\n{host}\r\n").as_bytes(),
        );
    }
    let _ = greedy.write_all(&pipelined);
    answered("beside a client that pipelines and never reads");
    drop(greedy);
    // Long polls filling every connection, then closed, give their
    // connections back at once.
    let polls: Vec<TcpStream> = (0..128)
        .filter_map(|_| {
            let mut s = TcpStream::connect(a).ok()?;
            write!(s, "GET /.korpsmonitor/wait?after=1 HTTP/1.1\r\n{host}\r\n").ok()?;
            Some(s)
        })
        .collect();
    std::thread::sleep(Duration::from_millis(300));
    let (full, _) = exchange(a, normal.as_bytes());
    assert!(
        full.starts_with("HTTP/1.1 503"),
        "all connections in long polls: {full}"
    );
    drop(polls);
    std::thread::sleep(Duration::from_millis(500));
    answered("after the long polls closed");
    // Heads beyond the bounds, and a second Host.
    let many: String = (0..100).map(|i| format!("X-{i}: a\r\n")).collect();
    let (out, _) = exchange(a, format!("GET / HTTP/1.1\r\n{host}{many}\r\n").as_bytes());
    assert!(out.starts_with("HTTP/1.1 431"), "{out}");
    let long = format!("GET / HTTP/1.1\r\n{host}X: {}\r\n\r\n", "a".repeat(20_000));
    let (out, _) = exchange(a, long.as_bytes());
    assert!(out.starts_with("HTTP/1.1 431"), "{out}");
    let (out, _) = exchange(
        a,
        format!("GET / HTTP/1.1\r\n{host}Host: evil.example\r\n\r\n").as_bytes(),
    );
    assert!(out.starts_with("HTTP/1.1 400"), "{out}");
    answered("at the end");
}
