//! The hostile-input corpus: each case prepares a work folder (the `mini`
//! and `mini-prev` editions, a secret file and a decoy edition outside
//! them), runs one command with a time limit (and, for the commands that
//! do not typeset, a memory limit), and requires a clear error (or the
//! right output), never a panic, never the secret in any output. Kinds and
//! limits: docs/robustness.md.

use std::fs;
use std::path::Path;
use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

use crate::support::mini;

/// What no command may ever print or write: the content of a file outside
/// every folder it may read.
pub const SECRET: &str = "GEHEIM-c0ffee-buiten-de-editie";

/// One case of the corpus.
pub struct Case {
    /// What it tries.
    pub name: &'static str,
    /// Prepares the work folder.
    pub setup: fn(&Path),
    /// The command line (run in the work folder).
    pub args: &'static [&'static str],
    /// The exit code expected.
    pub code: i32,
    /// Texts the output (stdout and stderr) must hold.
    pub expect: &'static [&'static str],
}

/// The result of a limited run.
pub struct Limited {
    pub code: i32,
    pub stdout: String,
    pub stderr: String,
    pub took: Duration,
}

/// Runs the binary in `cwd` with `args`, killed after `limit`; commands
/// that do not typeset run with at most 2 GiB of address space.
pub fn run_limited(cwd: &Path, args: &[&str], limit: Duration) -> Limited {
    let exe = env!("CARGO_BIN_EXE_korpsmonitor");
    let typesets = matches!(args.first(), Some(&"build") | Some(&"watch"));
    let mut cmd = if typesets || cfg!(not(target_os = "linux")) {
        let mut c = Command::new(exe);
        c.args(args);
        c
    } else {
        let mut c = Command::new("sh");
        c.arg("-c")
            .arg("ulimit -v 2097152; exec \"$0\" \"$@\"")
            .arg(exe)
            .args(args);
        c
    };
    let start = Instant::now();
    let mut child = cmd
        .current_dir(cwd)
        .env_remove("SOURCE_DATE_EPOCH")
        .stdin(Stdio::null())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    let (mut out, mut err) = (child.stdout.take().unwrap(), child.stderr.take().unwrap());
    let t_out = std::thread::spawn(move || {
        let mut s = Vec::new();
        std::io::Read::read_to_end(&mut out, &mut s).ok();
        s
    });
    let t_err = std::thread::spawn(move || {
        let mut s = Vec::new();
        std::io::Read::read_to_end(&mut err, &mut s).ok();
        s
    });
    let code = loop {
        if let Some(status) = child.try_wait().unwrap() {
            break status.code().unwrap_or(-1);
        }
        if start.elapsed() > limit {
            let _ = child.kill();
            let _ = child.wait();
            panic!("{args:?} did not finish within {limit:?}");
        }
        std::thread::sleep(Duration::from_millis(20));
    };
    let took = start.elapsed();
    Limited {
        code,
        stdout: String::from_utf8_lossy(&t_out.join().unwrap()).into_owned(),
        stderr: String::from_utf8_lossy(&t_err.join().unwrap()).into_owned(),
        took,
    }
}

// ----- helpers for the setups -----

fn edit(d: &Path, rel: &str, from: &str, to: &str) {
    let p = d.join(rel);
    let text = fs::read_to_string(&p).unwrap();
    assert!(text.contains(from), "{rel} has no {from:?}");
    fs::write(&p, text.replacen(from, to, 1)).unwrap();
}

fn write(d: &Path, rel: &str, text: &str) {
    let p = d.join(rel);
    fs::create_dir_all(p.parent().unwrap()).unwrap();
    fs::write(p, text).unwrap();
}

fn link(target: &Path, at: &Path) {
    let _ = fs::remove_file(at);
    let _ = fs::remove_dir_all(at);
    std::os::unix::fs::symlink(target, at).unwrap();
}

/// Replaces `rel` by a FIFO.
pub fn fifo(d: &Path, rel: &str) {
    let p = d.join(rel);
    let _ = fs::remove_file(&p);
    fs::create_dir_all(p.parent().unwrap()).unwrap();
    let ok = Command::new("mkfifo").arg(&p).status().unwrap().success();
    assert!(ok, "mkfifo {}", p.display());
}

/// A decoy edition folder and files outside the edition, all holding the
/// secret.
fn outside(d: &Path) {
    write(d, "secret/passwd", &format!("root:{SECRET}\n"));
    let unit = fs::read_to_string(d.join("mini/units/alfa.yaml"))
        .unwrap()
        .replace("name: Alfa", &format!("name: {SECRET}"));
    write(d, "elsewhere/units/alfa.yaml", &unit);
    write(
        d,
        "elsewhere/units/beta.yaml",
        &unit.replace("alfa", "beta"),
    );
    write(
        d,
        "elsewhere/units/gamma.yaml",
        &unit.replace("alfa", "gamma"),
    );
    write(d, "elsewhere/chapters/inleiding.txt", SECRET);
}

fn unit_with(d: &Path, extra: &str) {
    let p = d.join("mini/units/alfa.yaml");
    let mut text = fs::read_to_string(&p).unwrap();
    text.push_str(extra);
    fs::write(p, text).unwrap();
}

fn deep(open: &str, n: usize) -> String {
    open.repeat(n)
}

/// The corpus. Each entry is one case with its own generator.
pub fn corpus() -> Vec<Case> {
    vec![
        // ----- reading: links -----
        Case {
            name: "linked units folder",
            setup: |d| {
                outside(d);
                link(&d.join("elsewhere/units"), &d.join("mini/units"));
            },
            args: &["check", "mini"],
            code: 1,
            expect: &["mini/units is a symbolic link"],
        },
        Case {
            name: "linked chapters folder",
            setup: |d| {
                outside(d);
                link(&d.join("elsewhere/chapters"), &d.join("mini/chapters"));
            },
            args: &["check", "mini"],
            code: 1,
            expect: &["mini/chapters is a symbolic link"],
        },
        Case {
            name: "linked chapters folder, build",
            setup: |d| {
                outside(d);
                link(&d.join("elsewhere/chapters"), &d.join("mini/chapters"));
            },
            args: &["build", "mini", "--only", "report"],
            code: 1,
            expect: &["mini/chapters is a symbolic link"],
        },
        Case {
            name: "chapter file linked to a secret",
            setup: |d| {
                outside(d);
                link(
                    &d.join("secret/passwd"),
                    &d.join("mini/chapters/inleiding.txt"),
                );
            },
            args: &["check", "mini"],
            code: 1,
            expect: &["inleiding.txt is a symbolic link"],
        },
        Case {
            name: "linked edition.yaml",
            setup: |d| {
                outside(d);
                fs::copy(d.join("mini/edition.yaml"), d.join("secret/e.yaml")).unwrap();
                link(&d.join("secret/e.yaml"), &d.join("mini/edition.yaml"));
            },
            args: &["check", "mini"],
            code: 1,
            expect: &["edition.yaml is a symbolic link"],
        },
        Case {
            name: "linked letter.yaml",
            setup: |d| {
                outside(d);
                link(&d.join("secret/passwd"), &d.join("mini/letter.yaml"));
            },
            args: &["check", "mini"],
            code: 1,
            expect: &["letter.yaml is a symbolic link"],
        },
        Case {
            name: "dangling linked recommendations.yaml",
            setup: |d| {
                link(
                    &d.join("nowhere.yaml"),
                    &d.join("mini/recommendations.yaml"),
                )
            },
            args: &["check", "mini"],
            code: 1,
            expect: &["recommendations.yaml is a symbolic link"],
        },
        Case {
            name: "linked previous edition folder",
            setup: |d| {
                outside(d);
                fs::rename(d.join("mini-prev"), d.join("real-prev")).unwrap();
                link(&d.join("real-prev"), &d.join("mini-prev"));
            },
            args: &["check", "mini"],
            code: 1,
            expect: &["is a symbolic link; expected the previous edition's folder itself"],
        },
        Case {
            name: "linked units folder of the previous edition",
            setup: |d| {
                outside(d);
                fs::remove_dir_all(d.join("mini-prev/units")).unwrap();
                link(&d.join("elsewhere/units"), &d.join("mini-prev/units"));
            },
            args: &["check", "mini"],
            code: 1,
            expect: &["mini-prev/units is a symbolic link"],
        },
        Case {
            name: "fmt on a linked unit file",
            setup: |d| {
                outside(d);
                link(&d.join("secret/passwd"), &d.join("mini/units/delta.yaml"));
            },
            args: &["fmt", "mini"],
            code: 1,
            expect: &["delta.yaml is a symbolic link"],
        },
        Case {
            name: "fmt on a linked units folder",
            setup: |d| {
                outside(d);
                link(&d.join("elsewhere/units"), &d.join("mini/units"));
            },
            args: &["fmt", "mini", "--check"],
            code: 1,
            expect: &["units is a symbolic link"],
        },
        Case {
            name: "summary through a linked units folder",
            setup: |d| {
                outside(d);
                link(&d.join("elsewhere/units"), &d.join("mini/units"));
            },
            args: &["summary", "mini"],
            code: 1,
            expect: &["units is a symbolic link"],
        },
        Case {
            name: "diff through a linked units folder",
            setup: |d| {
                outside(d);
                link(&d.join("elsewhere/units"), &d.join("mini/units"));
            },
            args: &["diff", "mini-prev", "mini"],
            code: 1,
            expect: &["units is a symbolic link"],
        },
        Case {
            name: "templates written through a linked web folder",
            setup: |d| {
                outside(d);
                fs::create_dir_all(d.join("tpl")).unwrap();
                fs::create_dir_all(d.join("elsewhere/web")).unwrap();
                link(&d.join("elsewhere/web"), &d.join("tpl/web"));
            },
            args: &["templates", "tpl"],
            code: 2,
            expect: &["web is a symbolic link"],
        },
        Case {
            name: "linked template in --templates",
            setup: |d| {
                outside(d);
                fs::create_dir_all(d.join("tpl")).unwrap();
                link(&d.join("secret/passwd"), &d.join("tpl/style.typ"));
            },
            args: &["build", "mini", "--templates", "tpl", "--only", "report"],
            code: 1,
            expect: &["style.typ is a symbolic link"],
        },
        Case {
            name: "linked font in --fonts",
            setup: |d| {
                outside(d);
                fs::create_dir_all(d.join("fonts")).unwrap();
                link(&d.join("secret/passwd"), &d.join("fonts/a.ttf"));
            },
            args: &["build", "mini", "--fonts", "fonts", "--only", "report"],
            code: 2,
            expect: &["a.ttf is a symbolic link"],
        },
        // ----- reading: FIFOs and devices -----
        Case {
            name: "FIFO as a unit file",
            setup: |d| fifo(d, "mini/units/delta.yaml"),
            args: &["check", "mini"],
            code: 1,
            expect: &["delta.yaml is a FIFO"],
        },
        Case {
            name: "FIFO as edition.yaml",
            setup: |d| fifo(d, "mini/edition.yaml"),
            args: &["check", "mini"],
            code: 1,
            expect: &["edition.yaml is a FIFO"],
        },
        Case {
            name: "FIFO as letter.yaml",
            setup: |d| fifo(d, "mini/letter.yaml"),
            args: &["build", "mini"],
            code: 1,
            expect: &["letter.yaml is a FIFO"],
        },
        Case {
            name: "FIFO as a chapter",
            setup: |d| fifo(d, "mini/chapters/inleiding.txt"),
            args: &["check", "mini"],
            code: 1,
            expect: &["inleiding.txt is a FIFO"],
        },
        Case {
            name: "FIFO as a unit file, fmt",
            setup: |d| fifo(d, "mini/units/delta.yaml"),
            args: &["fmt", "mini"],
            code: 1,
            expect: &["delta.yaml is a FIFO"],
        },
        Case {
            name: "FIFO as edition.yaml, fmt",
            setup: |d| fifo(d, "mini/edition.yaml"),
            args: &["fmt", "mini", "--check"],
            code: 1,
            expect: &["edition.yaml is a FIFO"],
        },
        Case {
            name: "FIFO as a font",
            setup: |d| fifo(d, "fonts/a.ttf"),
            args: &["build", "mini", "--fonts", "fonts", "--only", "report"],
            code: 2,
            expect: &["a.ttf is a FIFO"],
        },
        Case {
            // 16 bytes claiming 4,294,967,295 faces: refused at once by its
            // header, not described face by face for minutes.
            name: "font collection claiming more faces than it holds",
            setup: |d| {
                fs::create_dir_all(d.join("fonts")).unwrap();
                let mut ttc = b"ttcf\x00\x01\x00\x00\xff\xff\xff\xff".to_vec();
                ttc.extend_from_slice(&[0, 0, 0, 12]);
                fs::write(d.join("fonts/a.ttc"), ttc).unwrap();
            },
            args: &["build", "mini", "--fonts", "fonts", "--only", "report"],
            code: 2,
            expect: &["a.ttc: a font collection that claims 4294967295 faces"],
        },
        Case {
            name: "FIFO as a template",
            setup: |d| fifo(d, "tpl/report.typ.j2"),
            args: &["build", "mini", "--templates", "tpl", "--only", "report"],
            code: 1,
            expect: &["report.typ.j2 is a FIFO"],
        },
        Case {
            name: "FIFO in the previous edition",
            setup: |d| fifo(d, "mini-prev/units/delta.yaml"),
            args: &["check", "mini"],
            code: 1,
            expect: &["delta.yaml is a FIFO"],
        },
        Case {
            name: "git diff driver given a FIFO",
            setup: |d| fifo(d, "pipe.yaml"),
            args: &[
                "git-diff-driver",
                "mini/units/alfa.yaml",
                "mini/units/alfa.yaml",
                "0",
                "100644",
                "pipe.yaml",
                "0",
                "100644",
            ],
            // A note and exit 0: git stops the whole diff on a failure.
            code: 0,
            expect: &["note: no diff of mini/units/alfa.yaml: pipe.yaml is a FIFO"],
        },
        Case {
            name: "git diff driver given a device",
            setup: |_| {},
            args: &[
                "git-diff-driver",
                "mini/units/alfa.yaml",
                "mini/units/alfa.yaml",
                "0",
                "100644",
                "/dev/zero",
                "0",
                "100644",
            ],
            code: 0,
            expect: &["/dev/zero is a device"],
        },
        Case {
            name: "units folder is a file",
            setup: |d| {
                fs::remove_dir_all(d.join("mini/units")).unwrap();
                write(d, "mini/units", "x");
            },
            args: &["check", "mini"],
            code: 1,
            expect: &["mini/units is not a folder"],
        },
        Case {
            name: "a folder named like a unit file",
            setup: |d| fs::create_dir_all(d.join("mini/units/delta.yaml")).unwrap(),
            args: &["check", "mini"],
            code: 1,
            expect: &["delta.yaml is a folder; expected a regular file"],
        },
        Case {
            name: "a killed fmt's temporary unit file is no unit and is removed",
            setup: |d| {
                let mut child = Command::new("true").spawn().unwrap();
                let pid = child.id();
                child.wait().unwrap();
                let text = fs::read_to_string(d.join("mini/units/alfa.yaml")).unwrap();
                write(
                    d,
                    &format!("mini/units/.korpsmonitor-tmp-{pid}-0-alfa.yaml"),
                    &text[..text.len() / 2],
                );
                // `check` reads only the real unit files; `fmt` then removes it.
                let r = run_limited(d, &["check", "mini"], Duration::from_secs(60));
                assert_eq!(r.code, 0, "{}", r.stderr);
            },
            args: &["fmt", "mini"],
            code: 0,
            expect: &["already canonical"],
        },
        // ----- arguments handed to git -----
        Case {
            name: "diff --rev as an option",
            setup: |_| {},
            args: &["diff", "mini", "--rev=--output=pwned"],
            code: 2,
            expect: &["starts with `-`, which git would read as an option"],
        },
        Case {
            name: "build --changes-since as an option",
            setup: |_| {},
            args: &["build", "mini", "--changes-since=--output=pwned"],
            code: 2,
            expect: &["starts with `-`"],
        },
        Case {
            name: "diff --rev with a path spec",
            setup: |_| {},
            args: &["diff", "mini", "--rev", "HEAD:../../secret"],
            code: 2,
            expect: &["contains `:`"],
        },
        Case {
            name: "diff --rev with control characters",
            setup: |_| {},
            args: &["diff", "mini", "--rev", "HEAD\x1b[2J"],
            code: 2,
            expect: &["contains control characters", "\\x1b[2J"],
        },
        Case {
            name: "diff --rev that is empty",
            setup: |_| {},
            args: &["diff", "mini", "--rev", ""],
            code: 2,
            expect: &["is empty"],
        },
        // ----- YAML resource limits -----
        Case {
            name: "3 MB of aliases to a long string",
            setup: |d| {
                // 1,000 bytes anchored, then 750,000 aliases to it (3 MB)
                // expanding to 750 MB.
                let mut text = fs::read_to_string(d.join("mini/units/alfa.yaml"))
                    .unwrap()
                    .replace(
                        "  - Houd dit vast.\n",
                        &format!("  - &s {}\n", "y".repeat(1000)),
                    );
                text.push_str("x_more: [");
                text.push_str(&"*s, ".repeat(750_000));
                text.push_str("*s]\n");
                write(d, "mini/units/alfa.yaml", &text);
            },
            args: &["check", "mini"],
            code: 1,
            expect: &["expands to more than", "alfa.yaml:"],
        },
        Case {
            name: "billion laughs",
            setup: |d| {
                let mut text =
                    String::from("a0: &a0 [lol, lol, lol, lol, lol, lol, lol, lol, lol]\n");
                for i in 1..10 {
                    let p = format!("*a{}", i - 1);
                    text.push_str(&format!("a{i}: &a{i} [{}]\n", vec![p; 9].join(", ")));
                }
                write(d, "mini/units/alfa.yaml", &text);
            },
            args: &["check", "mini"],
            code: 1,
            expect: &["expands to more than"],
        },
        Case {
            name: "100,000 nested flow sequences",
            setup: |d| {
                write(
                    d,
                    "mini/units/alfa.yaml",
                    &format!("id: {}", deep("[", 100_000)),
                )
            },
            args: &["check", "mini"],
            code: 1,
            expect: &["nested more than 64 levels", "alfa.yaml:1:"],
        },
        Case {
            name: "100,000 nested flow mappings",
            setup: |d| write(d, "mini/units/alfa.yaml", &deep("{a: ", 100_000)),
            args: &["check", "mini"],
            code: 1,
            expect: &["nested more than 64 levels"],
        },
        Case {
            name: "100,000 nested block sequences",
            setup: |d| write(d, "mini/units/alfa.yaml", &deep("- ", 100_000)),
            args: &["check", "mini"],
            code: 1,
            expect: &["nested more than 64 levels"],
        },
        Case {
            name: "deep nesting in edition.yaml, fmt",
            setup: |d| {
                write(
                    d,
                    "mini/edition.yaml",
                    &format!("year: {}", deep("[", 100_000)),
                )
            },
            args: &["fmt", "mini", "--check"],
            code: 1,
            expect: &["nested more than 64 levels"],
        },
        Case {
            name: "deep nesting in letter.yaml",
            setup: |d| {
                write(
                    d,
                    "mini/letter.yaml",
                    &format!("body: {}", deep("{a: ", 100_000)),
                )
            },
            args: &["check", "mini"],
            code: 1,
            expect: &["letter.yaml:1:", "nested more than 64 levels"],
        },
        Case {
            name: "duplicate key at the top",
            setup: |d| {
                edit(
                    d,
                    "mini/units/alfa.yaml",
                    "group: korpsen\n",
                    "group: korpsen\nname: Dubbel\n",
                )
            },
            args: &["check", "mini"],
            code: 1,
            expect: &["duplicate key `name` (first at line 2)", "alfa.yaml:4:1"],
        },
        Case {
            name: "duplicate key among points",
            setup: |d| {
                edit(
                    d,
                    "mini/units/alfa.yaml",
                    "      vergunning: 1\n",
                    "      vergunning: 1\n      controle: 2\n",
                )
            },
            args: &["check", "mini"],
            code: 1,
            expect: &[
                "duplicate key `controle` (first at line 13)",
                "alfa.yaml:15:7",
            ],
        },
        Case {
            name: "duplicate key in edition.yaml",
            setup: |d| {
                edit(
                    d,
                    "mini/edition.yaml",
                    "publisher: Testdienst\n",
                    "publisher: Testdienst\nyear: 2031\n",
                )
            },
            args: &["check", "mini"],
            code: 1,
            expect: &["duplicate key `year` (first at line 1)", "edition.yaml:6:1"],
        },
        Case {
            name: "duplicate key in a flow mapping",
            setup: |d| unit_with(d, "extra: {a: 1, b: 2, a: 3}\n"),
            args: &["check", "mini"],
            code: 1,
            expect: &["duplicate key `a`"],
        },
        Case {
            name: "duplicate key, git diff driver",
            setup: |d| {
                edit(
                    d,
                    "mini/units/beta.yaml",
                    "group: korpsen\n",
                    "group: korpsen\ngroup: diensten\n",
                );
            },
            args: &[
                "git-diff-driver",
                "mini/units/beta.yaml",
                "mini/units/alfa.yaml",
                "0",
                "100644",
                "mini/units/beta.yaml",
                "0",
                "100644",
            ],
            code: 0,
            expect: &[
                "note: no semantic diff of mini/units/beta.yaml: the new version does not parse: \
                 line 4, column 1: duplicate key `group`",
                "+group: diensten",
            ],
        },
        // ----- template work -----
        Case {
            name: "nested loops in the letter body",
            setup: |d| {
                edit(
                    d,
                    "mini/letter.yaml",
                    "body: |\n",
                    "body: |\n  {% for a in range(100000) %}{% for b in range(100000) %}x{% endfor %}{% endfor %}\n",
                )
            },
            args: &["check", "mini"],
            code: 1,
            expect: &["field `body`", "steps to fill"],
        },
        Case {
            name: "nested loops in the subject",
            setup: |d| {
                edit(
                    d,
                    "mini/letter.yaml",
                    "subject: Testmonitor {{ edition.year }}",
                    "subject: '{% for a in range(100000) %}{% for b in range(1000) %}{{ a }}{% endfor %}{% endfor %}'",
                )
            },
            args: &["build", "mini", "--only", "letter"],
            code: 1,
            expect: &["field `subject`", "steps to fill"],
        },
        Case {
            name: "nested loops in a manager letter",
            setup: |d| {
                edit(
                    d,
                    "mini/letter.yaml",
                    "    Het totaaloordeel",
                    "    {% for a in range(100000) %}{% for b in range(100000) %}{% endfor %}{% endfor %}Het totaaloordeel",
                )
            },
            args: &["build", "mini", "--only", "letters"],
            code: 1,
            expect: &["manager_letters.body", "steps to fill"],
        },
        Case {
            name: "recursive macro in the letter body",
            setup: |d| {
                edit(
                    d,
                    "mini/letter.yaml",
                    "body: |\n",
                    "body: |\n  {% macro f(n) %}{{ f(n + 1) }}{% endmacro %}{{ f(0) }}\n",
                )
            },
            args: &["check", "mini"],
            code: 1,
            expect: &["field `body`"],
        },
        Case {
            name: "endless loop in a report template",
            setup: |d| {
                write(
                    d,
                    "tpl/report.typ.j2",
                    "{% for a in range(100000) %}{% for b in range(100000) %}{% for c in range(100000) %}{% endfor %}{% endfor %}{% endfor %}",
                )
            },
            args: &["build", "mini", "--templates", "tpl", "--only", "report"],
            code: 1,
            expect: &["report.typ.j2"],
        },
        Case {
            name: "a string doubled forty times in the letter body",
            setup: |d| {
                edit(
                    d,
                    "mini/letter.yaml",
                    "body: |\n",
                    "body: |\n  {% set ns = namespace(s='x') %}{% for i in range(40) %}{% set ns.s = ns.s ~ ns.s %}{% endfor %}{{ ns.s|length }}\n",
                )
            },
            args: &["check", "mini"],
            code: 1,
            expect: &["field `body`", "steps to fill"],
        },
        Case {
            name: "a macro doubling its argument in the subject",
            setup: |d| {
                edit(
                    d,
                    "mini/letter.yaml",
                    "subject: Testmonitor {{ edition.year }}",
                    "subject: '{% macro f(s, n) %}{% if n %}{{ f(s ~ s, n - 1) }}{% else %}{{ s|length }}{% endif %}{% endmacro %}{{ f(\"x\", 30) }}'",
                )
            },
            args: &["check", "mini"],
            code: 1,
            expect: &["field `subject`"],
        },
        // ----- absurd arguments -----
        Case {
            name: "generate with a huge number of units",
            setup: |_| {},
            args: &["generate", "gen", "--units", "18446744073709551615"],
            code: 2,
            expect: &["--units"],
        },
        Case {
            name: "generate with one unit too many",
            setup: |_| {},
            args: &["generate", "gen", "--units", "20001"],
            code: 2,
            expect: &["20001"],
        },
        Case {
            name: "generate with no units",
            setup: |_| {},
            args: &["generate", "gen", "--units", "0"],
            code: 2,
            expect: &["--units"],
        },
        Case {
            name: "generate with a negative number",
            setup: |_| {},
            args: &["generate", "gen", "--units", "-5"],
            code: 2,
            expect: &["'-5'"],
        },
        Case {
            name: "generate into an edition",
            setup: |_| {},
            args: &["generate", "mini", "--units", "3"],
            code: 2,
            expect: &["already holds an edition"],
        },
        Case {
            name: "generate into a folder whose units folder is a link",
            setup: |d| {
                fs::create_dir_all(d.join("gen")).unwrap();
                fs::create_dir_all(d.join("elsewhere")).unwrap();
                link(&d.join("elsewhere"), &d.join("gen/units"));
            },
            args: &["generate", "gen", "--units", "3"],
            code: 1,
            expect: &["gen/units is a symbolic link"],
        },
        Case {
            name: "templates into a folder with a dangling link",
            setup: |d| {
                fs::create_dir_all(d.join("tpl")).unwrap();
                link(&d.join("secret-target"), &d.join("tpl/style.typ"));
            },
            args: &["templates", "tpl"],
            code: 2,
            expect: &["style.typ already exist"],
        },
        Case {
            name: "check of a file instead of a folder",
            setup: |_| {},
            args: &["check", "mini/edition.yaml"],
            code: 2,
            expect: &["is not a folder"],
        },
        Case {
            name: "fmt of a missing folder",
            setup: |_| {},
            args: &["fmt", "nowhere"],
            code: 2,
            expect: &["no edition.yaml"],
        },
        // ----- names that are files on other systems -----
        Case {
            name: "unit id con",
            setup: |d| rename_unit(d, "gamma", "con"),
            args: &["check", "mini"],
            code: 1,
            expect: &["found id `con`, a device name on Windows", "con.yaml:1:5"],
        },
        Case {
            name: "unit id nul",
            setup: |d| rename_unit(d, "gamma", "nul"),
            args: &["check", "mini"],
            code: 1,
            expect: &["found id `nul`, a device name on Windows"],
        },
        Case {
            name: "unit id aux",
            setup: |d| rename_unit(d, "gamma", "aux"),
            args: &["check", "mini"],
            code: 1,
            expect: &["found id `aux`, a device name"],
        },
        Case {
            name: "unit id com1",
            setup: |d| rename_unit(d, "gamma", "com1"),
            args: &["check", "mini"],
            code: 1,
            expect: &["found id `com1`, a device name"],
        },
        Case {
            name: "unit id lpt9",
            setup: |d| rename_unit(d, "gamma", "lpt9"),
            args: &["check", "mini"],
            code: 1,
            expect: &["found id `lpt9`, a device name"],
        },
        Case {
            name: "unit id prn",
            setup: |d| rename_unit(d, "gamma", "prn"),
            args: &["check", "mini"],
            code: 1,
            expect: &["found id `prn`, a device name"],
        },
        Case {
            name: "unit files equal but for case",
            setup: |d| {
                let text = fs::read_to_string(d.join("mini/units/alfa.yaml")).unwrap();
                write(d, "mini/units/Alfa.yaml", &text);
            },
            args: &["check", "mini"],
            code: 1,
            expect: &["equals", "but for letter case", "alfa.yaml:1:5"],
        },
        Case {
            name: "a unit file ending in .YAML is read",
            setup: |d| {
                let text = fs::read_to_string(d.join("mini/units/gamma.yaml")).unwrap();
                fs::remove_file(d.join("mini/units/gamma.yaml")).unwrap();
                write(
                    d,
                    "mini/units/gamma.YAML",
                    &text.replace("name: Gamma", "nme: Gamma"),
                );
            },
            args: &["check", "mini"],
            code: 1,
            expect: &["gamma.YAML:2:1"],
        },
        Case {
            name: "a unit file ending in .yml is read",
            setup: |d| {
                let text = fs::read_to_string(d.join("mini/units/gamma.yaml")).unwrap();
                fs::remove_file(d.join("mini/units/gamma.yaml")).unwrap();
                write(d, "mini/units/gamma.yml", &text);
            },
            args: &["check", "mini"],
            code: 0,
            expect: &["3 units"],
        },
        Case {
            name: "a .Yml unit file in fmt",
            setup: |d| {
                let text = fs::read_to_string(d.join("mini/units/gamma.yaml")).unwrap();
                fs::remove_file(d.join("mini/units/gamma.yaml")).unwrap();
                write(
                    d,
                    "mini/units/gamma.Yml",
                    &format!(
                        "{{{}}}",
                        text.lines().take(3).collect::<Vec<_>>().join(", ")
                    ),
                );
            },
            args: &["fmt", "mini", "--check"],
            code: 1,
            expect: &["not canonical: mini/units/gamma.Yml"],
        },
        // ----- control characters on the terminal -----
        Case {
            name: "escape sequences in a unit name, summary",
            setup: |d| {
                edit(
                    d,
                    "mini/units/alfa.yaml",
                    "name: Alfa",
                    "name: \"Alfa\\e[2J\\e]0;pwned\\a\"",
                )
            },
            args: &["summary", "mini"],
            code: 1,
            expect: &[
                "found the unprintable character U+001B",
                "mini/units/alfa.yaml:2:7",
                "field `name`",
            ],
        },
        Case {
            name: "escape sequences in a unit name, check error",
            setup: |d| {
                edit(
                    d,
                    "mini/units/alfa.yaml",
                    "name: Alfa",
                    "name: \"Alfa\\e[2J\"",
                );
                edit(
                    d,
                    "mini/units/alfa.yaml",
                    "group: korpsen",
                    "group: \"x\\e]0;t\\a\"",
                );
            },
            args: &["check", "mini"],
            code: 1,
            expect: &["\\x1b]0;t\\x07"],
        },
        Case {
            name: "bidi override in a unit name, diff",
            setup: |d| {
                edit(
                    d,
                    "mini/units/alfa.yaml",
                    "name: Alfa",
                    "name: \"Alfa \\u202Egnilaeb\\u202C\"",
                )
            },
            args: &["diff", "mini-prev", "mini"],
            code: 0,
            expect: &["\\u{202e}"],
        },
        Case {
            name: "escape sequences in a unit name, diff",
            setup: |d| {
                edit(
                    d,
                    "mini/units/beta.yaml",
                    "name: Beta",
                    "name: \"Beta\\e[31m\"",
                )
            },
            args: &["diff", "mini-prev", "mini"],
            code: 1,
            expect: &["found the unprintable character U+001B", "field `name`"],
        },
        Case {
            // Left open, it would reverse the page text after the name.
            name: "unbalanced direction control in a unit name",
            setup: |d| {
                edit(
                    d,
                    "mini/units/alfa.yaml",
                    "name: Alfa",
                    "name: \"Alfa\\u202E\"",
                )
            },
            args: &["check", "mini"],
            code: 1,
            expect: &[
                "found a direction control (U+202E) out of balance",
                "field `name`",
            ],
        },
        Case {
            name: "unbalanced direction control in a free chapter",
            setup: |d| edit(d, "mini/chapters/inleiding.txt", "", "\u{2067}"),
            args: &["check", "mini"],
            code: 1,
            expect: &["inleiding.txt:1:1", "direction control (U+2067)"],
        },
        Case {
            // An id that differs from its file name by an invisible
            // character shows it by its code point.
            name: "invisible character in an id",
            setup: |d| edit(d, "mini/units/alfa.yaml", "id: alfa", "id: \"alfa\\u200B\""),
            args: &["check", "mini"],
            code: 1,
            expect: &["found id `alfa<U+200B>`"],
        },
        Case {
            name: "escape sequences, git diff driver",
            setup: |d| {
                let text = fs::read_to_string(d.join("mini/units/alfa.yaml")).unwrap();
                write(
                    d,
                    "new.yaml",
                    &text.replace("name: Alfa", "name: \"Alfa\\e[2J\""),
                );
            },
            args: &[
                "git-diff-driver",
                "mini/units/alfa.yaml",
                "mini/units/alfa.yaml",
                "0",
                "100644",
                "new.yaml",
                "0",
                "100644",
            ],
            code: 0,
            expect: &["name: Alfa -> Alfa\\x1b[2J"],
        },
        Case {
            name: "escape sequences in a folder name",
            setup: |d| {
                fs::rename(d.join("mini"), d.join("mini\x1b[2J")).unwrap();
            },
            args: &["check", "mini\x1b[2J"],
            code: 0,
            expect: &["\\x1b[2J"],
        },
        // ----- templates -----
        Case {
            name: "a folder named like a template in --templates",
            setup: |d| fs::create_dir_all(d.join("tpl/style.typ")).unwrap(),
            args: &["build", "mini", "--templates", "tpl", "--only", "report"],
            code: 1,
            expect: &["tpl/style.typ is a folder; expected a template file"],
        },
        Case {
            name: "a linked folder inside --templates",
            setup: |d| {
                outside(d);
                fs::create_dir_all(d.join("tpl")).unwrap();
                link(&d.join("secret"), &d.join("tpl/report.typ.j2"));
            },
            args: &["build", "mini", "--templates", "tpl", "--only", "report"],
            code: 1,
            expect: &["tpl/report.typ.j2 is a symbolic link"],
        },
        Case {
            name: "a template reading outside the sandbox gets no hint about typst's own options",
            setup: |d| {
                outside(d);
                write(d, "tpl/style.typ", "#read(\"../secret/passwd\")\n");
            },
            args: &["build", "mini", "--templates", "tpl", "--only", "report"],
            code: 1,
            expect: &["would escape the project root", "tpl/style.typ:1:7"],
        },
        // ----- the previous edition -----
        Case {
            name: "previous edition through a linked folder on the way",
            setup: |d| {
                outside(d);
                fs::create_dir(d.join("real")).unwrap();
                fs::rename(d.join("mini-prev"), d.join("real/mini-prev")).unwrap();
                link(&d.join("real"), &d.join("links"));
                edit(
                    d,
                    "mini/edition.yaml",
                    "previous: ../mini-prev",
                    "previous: ../links/mini-prev",
                );
            },
            args: &["check", "mini"],
            code: 1,
            expect: &["mini/../links is a symbolic link; expected real folders on the way"],
        },
        Case {
            name: "linked previous edition two levels up",
            setup: |d| {
                fs::create_dir_all(d.join("a/b")).unwrap();
                fs::rename(d.join("mini"), d.join("a/b/mini")).unwrap();
                link(&d.join("mini-prev"), &d.join("a/mini-prev"));
                edit(
                    d,
                    "a/b/mini/edition.yaml",
                    "previous: ../mini-prev",
                    "previous: ../../mini-prev",
                );
            },
            args: &["check", "a/b/mini"],
            code: 1,
            expect: &["a/b/mini/../../mini-prev is a symbolic link"],
        },
        Case {
            name: "the edition is its own previous edition",
            setup: |d| {
                edit(
                    d,
                    "mini/edition.yaml",
                    "previous: ../mini-prev",
                    "previous: .",
                )
            },
            args: &["summary", "mini"],
            code: 1,
            expect: &[
                "the chain of previous editions loops: mini -> mini/.; expected a chain that ends at the first edition",
            ],
        },
        Case {
            name: "the previous edition is this edition by another path",
            setup: |d| {
                edit(
                    d,
                    "mini/edition.yaml",
                    "previous: ../mini-prev",
                    "previous: ../mini",
                )
            },
            args: &["check", "mini"],
            code: 1,
            expect: &[
                "the chain of previous editions loops: mini -> mini/../mini;",
                "field `previous`",
            ],
        },
        // ----- changes nobody would see -----
        Case {
            name: "a change only in a chapter's text file, diff of two copies",
            setup: |d| {
                crate::support::copy_dir(&d.join("mini"), &d.join("mini-copy"));
                edit(
                    d,
                    "mini-copy/chapters/inleiding.txt",
                    "testuitgave",
                    "proefuitgave",
                );
                let p = d.join("mini-copy/chapters/inleiding.txt");
                let mut text = fs::read_to_string(&p).unwrap();
                text.push_str("\nEen nieuwe alinea.\n");
                fs::write(p, text).unwrap();
            },
            args: &["diff", "mini", "mini-copy"],
            code: 0,
            expect: &[
                "chapter inleiding, line 1: Dit is een [-*testuitgave*.-]{+*proefuitgave*.+}",
                "-> Een nieuwe alinea.",
            ],
        },
        Case {
            name: "a chapter added, diff of two copies",
            setup: |d| {
                crate::support::copy_dir(&d.join("mini"), &d.join("mini-copy"));
                write(d, "mini-copy/chapters/slot.txt", "Slotwoord.\n");
                edit(
                    d,
                    "mini-copy/edition.yaml",
                    "abbreviations:",
                    "  - id: slot\n    title: Slot\n    file: chapters/slot.txt\n    before: samenvatting\nabbreviations:",
                );
            },
            args: &["diff", "mini", "mini-copy"],
            code: 0,
            expect: &["chapter slot: none -> present"],
        },
        // ----- output folders that are files -----
        Case {
            name: "output folder is a file",
            setup: |d| write(d, "output", "x"),
            args: &["build", "mini", "--output", "output"],
            code: 1,
            expect: &["output is a file; expected a folder"],
        },
        Case {
            name: "output year folder is a file",
            setup: |d| write(d, "output/2030", "x"),
            args: &["build", "mini", "--output", "output"],
            code: 1,
            expect: &["output/2030 is a file; expected a folder"],
        },
        Case {
            name: "templates below a file",
            setup: |d| write(d, "tpl", "x"),
            args: &["templates", "tpl/sub"],
            code: 2,
            expect: &["tpl is a file; expected a folder"],
        },
        Case {
            name: "bidi characters in a group and a dimension keep the summary table aligned",
            setup: |d| {
                edit(
                    d,
                    "mini/edition.yaml",
                    "    name: korpsen",
                    "    name: \"korp\\u2066sen\\u2069\"",
                );
                edit(
                    d,
                    "mini/edition.yaml",
                    "short_name: Toezicht",
                    "short_name: \"Toe\\u202Ezi\\u202Ccht\"",
                );
            },
            args: &["summary", "mini"],
            code: 0,
            expect: &[
                "Unit   Group                    Toe\\u{202e}zi\\u{202c}cht  Opsporing",
                "Alfa   korp\\u{2066}sen\\u{2069}  conform norm              conform norm",
                "Gamma  diensten                 n.v.t.                    aandacht",
            ],
        },
        Case {
            name: "unit id with a superscript digit, COM¹",
            setup: |d| rename_unit(d, "alfa", "com¹"),
            args: &["check", "mini"],
            code: 1,
            expect: &["found id `com¹`, expected lowercase letters a-z"],
        },
        Case {
            name: "unit id with a titlecase digraph and one in lower case",
            setup: |d| {
                rename_unit(d, "alfa", "aǅ");
                rename_unit(d, "beta", "aǆ");
            },
            args: &["check", "mini"],
            code: 1,
            expect: &[
                "found id `aǅ`",
                "found id `aǆ`, expected lowercase letters a-z",
            ],
        },
        Case {
            name: "unit ids with a Turkish dotless and dotted i",
            setup: |d| {
                rename_unit(d, "alfa", "ı");
                rename_unit(d, "beta", "İ");
            },
            args: &["check", "mini"],
            code: 1,
            expect: &["found id `ı`", "found id `İ`"],
        },
        // ----- encodings of Windows programs -----
        Case {
            name: "a unit file saved as UTF-16",
            setup: |d| {
                let text = fs::read_to_string(d.join("mini/units/alfa.yaml")).unwrap();
                let mut bytes = vec![0xff, 0xfe];
                bytes.extend(text.encode_utf16().flat_map(u16::to_le_bytes));
                fs::write(d.join("mini/units/alfa.yaml"), bytes).unwrap();
            },
            args: &["check", "mini"],
            code: 1,
            expect: &["mini/units/alfa.yaml is UTF-16", "save it as UTF-8"],
        },
        Case {
            name: "a unit file saved as Windows-1252, fmt",
            setup: |d| {
                let p = d.join("mini/units/alfa.yaml");
                let mut bytes = fs::read(&p).unwrap();
                bytes.extend(b"# caf\xe9\n");
                fs::write(&p, bytes).unwrap();
            },
            args: &["fmt", "mini"],
            code: 1,
            expect: &["not valid UTF-8: byte 0xE9 at line 30, column 6"],
        },
        Case {
            name: "escape sequences in folder names given to templates, generate and fmt",
            setup: |d| {
                let exe = env!("CARGO_BIN_EXE_korpsmonitor");
                let ok = Command::new(exe)
                    .args(["generate", "g\x1b[2J", "--units", "2"])
                    .current_dir(d)
                    .output()
                    .unwrap();
                assert!(!String::from_utf8_lossy(&ok.stdout).contains('\x1b'));
                let t = Command::new(exe)
                    .args(["templates", "t\x1b]0;x\x07"])
                    .current_dir(d)
                    .output()
                    .unwrap();
                assert!(!String::from_utf8_lossy(&t.stdout).contains('\x1b'));
                let p = d.join("g\x1b[2J/units/e00001.yaml");
                let text = fs::read_to_string(&p).unwrap();
                fs::write(&p, format!("# opmerking\n{text}")).unwrap();
                let p = d.join("g\x1b[2J/units/e00002.yaml");
                let text = fs::read_to_string(&p).unwrap();
                fs::write(&p, text.replacen("name: ", "name:   ", 1)).unwrap();
            },
            args: &["fmt", "g\x1b[2J"],
            code: 1,
            expect: &[
                "formatted g\\x1b[2J/units/e00002.yaml",
                "g\\x1b[2J/units/e00001.yaml",
            ],
        },
        // ----- characters no document can carry -----
        Case {
            name: "escape sequence in a unit name, build",
            setup: |d| {
                edit(
                    d,
                    "mini/units/alfa.yaml",
                    "name: Alfa",
                    "name: \"Alfa\\e[2J\"",
                )
            },
            args: &["build", "mini", "--output", "output"],
            code: 1,
            expect: &[
                "found the unprintable character U+001B",
                "mini/units/alfa.yaml:2:7",
                "field `name`",
            ],
        },
        Case {
            name: "control character in the edition title, build",
            setup: |d| {
                edit(
                    d,
                    "mini/edition.yaml",
                    "title: Korpsmonitor testuitgave 2030",
                    "title: \"Korpsmonitor\\x01 2030\"",
                )
            },
            args: &["build", "mini", "--output", "output"],
            code: 1,
            expect: &["U+0001", "mini/edition.yaml:2:8", "field `title`"],
        },
        Case {
            name: "C1 control in a letter addressee",
            setup: |d| {
                edit(
                    d,
                    "mini/letter.yaml",
                    "  - Aan de Voorzitter van de Tweede Kamer",
                    "  - \"Aan de Voorzitter\\x9b2J\"",
                )
            },
            args: &["check", "mini"],
            code: 1,
            expect: &["U+009B", "field `addressee[0]`"],
        },
        Case {
            name: "noncharacter U+FFFF in a unit name of the previous edition",
            setup: |d| {
                edit(
                    d,
                    "mini-prev/units/alfa.yaml",
                    "name: Alfa",
                    "name: \"Alfa\\uFFFF\"",
                )
            },
            args: &["summary", "mini"],
            code: 1,
            expect: &["U+FFFF", "mini-prev/units/alfa.yaml"],
        },
        Case {
            name: "raw escape byte in a unit file is placed at its line",
            setup: |d| edit(d, "mini/units/alfa.yaml", "name: Alfa", "name: Alfa\x1b[2J"),
            args: &["fmt", "mini"],
            code: 1,
            expect: &[
                "control characters are not allowed",
                "mini/units/alfa.yaml:2:11",
            ],
        },
    ]
}

fn rename_unit(d: &Path, from: &str, to: &str) {
    let text = fs::read_to_string(d.join(format!("mini/units/{from}.yaml")))
        .unwrap()
        .replace(&format!("id: {from}"), &format!("id: {to}"));
    fs::remove_file(d.join(format!("mini/units/{from}.yaml"))).unwrap();
    write(d, &format!("mini/units/{to}.yaml"), &text);
    edit(
        d,
        "mini/edition.yaml",
        &format!("  - {from}\n"),
        &format!("  - {to}\n"),
    );
}

/// Runs one case and checks the rules every case shares.
fn check_case(case: &Case) -> Result<(), String> {
    let dir = mini(None);
    (case.setup)(dir.path());
    let r = run_limited(dir.path(), case.args, Duration::from_secs(60));
    let all = format!("{}{}", r.stdout, r.stderr);
    let mut problems = Vec::new();
    if r.code != case.code {
        problems.push(format!("exit {} (expected {})", r.code, case.code));
    }
    for e in case.expect {
        if !all.contains(e) {
            problems.push(format!("no {e:?}"));
        }
    }
    if all.contains("panicked") {
        problems.push("a panic".into());
    }
    // Options of typst's own command line, which this program lacks.
    for option in ["`--root`", "`--font-path`", "`--package-path`"] {
        if all.contains(option) {
            problems.push(format!("a hint about {option}"));
        }
    }
    if all.contains(SECRET) {
        problems.push("the secret was printed".into());
    }
    if all
        .chars()
        .any(|c| c == '\x1b' || c == '\u{202e}' || c == '\x07')
    {
        problems.push("a control character reached the terminal".into());
    }
    if all.len() > 100_000 {
        problems.push(format!("{} bytes of output", all.len()));
    }
    if r.took > Duration::from_secs(30) {
        problems.push(format!("took {:?}", r.took));
    }
    if dir.path().join("pwned").exists() || dir.path().join("mini/pwned").exists() {
        problems.push("git wrote a file".into());
    }
    // The secret never reaches a document.
    for entry in walk(&dir.path().join("output")) {
        let bytes = fs::read(&entry).unwrap_or_default();
        if String::from_utf8_lossy(&bytes).contains(SECRET) {
            problems.push(format!("the secret is in {}", entry.display()));
        }
    }
    if problems.is_empty() {
        Ok(())
    } else {
        Err(format!(
            "{}: {}\n--- stdout\n{}\n--- stderr\n{}",
            case.name,
            problems.join("; "),
            truncate(&r.stdout),
            truncate(&r.stderr)
        ))
    }
}

fn truncate(s: &str) -> String {
    s.chars().take(3000).collect()
}

fn walk(dir: &Path) -> Vec<std::path::PathBuf> {
    let mut out = Vec::new();
    if let Ok(entries) = fs::read_dir(dir) {
        for e in entries.flatten() {
            let p = e.path();
            if e.file_type().is_ok_and(|t| t.is_dir()) {
                out.extend(walk(&p));
            } else {
                out.push(p);
            }
        }
    }
    out
}

#[test]
fn every_hostile_case_gets_a_clear_answer_in_bounded_time() {
    let cases = corpus();
    assert!(cases.len() >= 60, "{} cases", cases.len());
    let mut names = std::collections::HashSet::new();
    for c in &cases {
        assert!(names.insert(c.name), "two cases named {:?}", c.name);
    }
    let failures: Vec<String> = cases.iter().filter_map(|c| check_case(c).err()).collect();
    assert!(
        failures.is_empty(),
        "{} of {} cases failed:\n\n{}",
        failures.len(),
        cases.len(),
        failures.join("\n\n")
    );
}
