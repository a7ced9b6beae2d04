//! Hostile input: every case gets a clear error or is printed literally;
//! nothing panics, hangs, or reads outside the edition.

use std::fs;

use crate::pdf;
use crate::support::{mini, run};

#[test]
fn oversized_files_and_strings_are_refused_with_the_limit() {
    let dir = mini(None);
    let unit = dir.path().join("mini/units/alfa.yaml");
    let mut text = fs::read_to_string(&unit).unwrap();
    // A 10 MB finding.
    text = text.replace(
        "findings: Goed toezicht.",
        &format!("findings: {}", "a".repeat(10 * 1024 * 1024)),
    );
    fs::write(&unit, text).unwrap();
    let r = run(dir.path(), &["check", "mini"]);
    assert_eq!(r.code, 1, "{}", r.stderr);
    assert!(
        r.stderr.contains("expected at most 4194304"),
        "{}",
        r.stderr
    );
    assert!(!r.stderr.contains("panicked"));
}

#[test]
fn symbolic_links_and_absolute_paths_are_not_followed() {
    let dir = mini(None);
    let units = dir.path().join("mini/units");
    std::os::unix::fs::symlink("/etc/hostname", units.join("delta.yaml")).unwrap();
    let r = run(dir.path(), &["check", "mini"]);
    assert_eq!(r.code, 1);
    assert!(
        r.stderr.contains("delta.yaml is a symbolic link"),
        "{}",
        r.stderr
    );
    fs::remove_file(units.join("delta.yaml")).unwrap();

    let edition = dir.path().join("mini/edition.yaml");
    let text = fs::read_to_string(&edition)
        .unwrap()
        .replace("previous: ../mini-prev", "previous: /etc");
    fs::write(&edition, text).unwrap();
    let r = run(dir.path(), &["check", "mini"]);
    assert_eq!(r.code, 1);
    assert!(
        r.stderr.contains("found the absolute path \"/etc\""),
        "{}",
        r.stderr
    );
}

#[test]
fn typst_injection_in_findings_is_printed_literally() {
    let dir = mini(None);
    let unit = dir.path().join("mini/units/alfa.yaml");
    let attacks = [
        "#read(\"/etc/passwd\")",
        "#import \"/etc/passwd\"",
        "#include \"style.typ\"",
        "```raw``` `x`",
        "<label> @label",
        "#show: it => [gone]",
        "#set page(width: 1cm)",
        "$x^2$",
        "\\u{0041} // comment",
        "]) #panic(\"x\") #([",
    ];
    let finding = attacks.join(" ");
    let text = fs::read_to_string(&unit).unwrap().replace(
        "findings: Goed toezicht.",
        &format!("findings: '{}'", finding.replace('\'', "''")),
    );
    fs::write(&unit, text).unwrap();
    let r = run(dir.path(), &["build", "mini", "--only", "report"]);
    assert_eq!(r.code, 0, "{}", r.stderr);
    let text = pdf::text(&dir.path().join("output/2030/korpsmonitor-2030.pdf"));
    let squash = |s: &str| {
        s.split_whitespace()
            .collect::<String>()
            .replace(['"', '“', '”'], "")
    };
    for a in attacks {
        assert!(
            squash(&text).contains(&squash(a)),
            "{a:?} not printed literally"
        );
    }
    assert!(
        !text.contains("root:x:0:0"),
        "a file outside the edition was read"
    );
}

#[test]
fn two_builds_at_once_leave_one_complete_pdf() {
    let dir = mini(None);
    let exe = env!("CARGO_BIN_EXE_korpsmonitor");
    let spawn = || {
        std::process::Command::new(exe)
            .args(["build", "mini", "--only", "report"])
            .current_dir(dir.path())
            .stdout(std::process::Stdio::null())
            .stderr(std::process::Stdio::null())
            .spawn()
            .unwrap()
    };
    let (mut a, mut b) = (spawn(), spawn());
    assert!(a.wait().unwrap().success());
    assert!(b.wait().unwrap().success());
    let path = dir.path().join("output/2030/korpsmonitor-2030.pdf");
    lopdf::Document::load(&path).expect("a complete, readable PDF");
    // The PDF and the record of what was written; no temporary file.
    let mut names: Vec<_> = fs::read_dir(path.parent().unwrap())
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .collect();
    names.sort();
    assert_eq!(
        names,
        vec![".korpsmonitor-manifest", "korpsmonitor-2030.pdf"],
        "{names:?}"
    );
}

#[test]
fn the_document_date_falls_back_to_source_date_epoch() {
    let dir = mini(None);
    let edition = dir.path().join("mini/edition.yaml");
    let text = fs::read_to_string(&edition)
        .unwrap()
        .replace("date: 2031-07-06\n", "");
    fs::write(&edition, text).unwrap();
    let r = run(dir.path(), &["build", "mini", "--only", "report"]);
    assert_eq!(
        r.code, 2,
        "without a date or SOURCE_DATE_EPOCH: {}",
        r.stderr
    );
    assert!(r.stderr.contains("SOURCE_DATE_EPOCH"), "{}", r.stderr);
    let exe = env!("CARGO_BIN_EXE_korpsmonitor");
    let build = || {
        let out = std::process::Command::new(exe)
            .args(["build", "mini", "--only", "report"])
            .current_dir(dir.path())
            .env("SOURCE_DATE_EPOCH", "1309910400")
            .output()
            .unwrap();
        assert!(
            out.status.success(),
            "{}",
            String::from_utf8_lossy(&out.stderr)
        );
        fs::read(dir.path().join("output/2030/korpsmonitor-2030.pdf")).unwrap()
    };
    let first = build();
    let second = build();
    assert!(first == second, "not reproducible");
    let text = pdf::text(&dir.path().join("output/2030/korpsmonitor-2030.pdf"));
    assert!(text.contains("6 juli 2011"), "{text}");
}

#[test]
fn output_into_a_closed_pipe_ends_quietly() {
    use std::io::{BufRead, BufReader};
    let dir = tempfile::tempdir().unwrap();
    let r = run(dir.path(), &["generate", "big", "--units", "1500"]);
    assert_eq!(r.code, 0, "{}", r.stderr);
    // As `korpsmonitor summary big | head -1`.
    let mut child = std::process::Command::new(env!("CARGO_BIN_EXE_korpsmonitor"))
        .args(["summary", "big"])
        .current_dir(dir.path())
        .stdout(std::process::Stdio::piped())
        .stderr(std::process::Stdio::piped())
        .spawn()
        .unwrap();
    let mut first = String::new();
    BufReader::new(child.stdout.take().unwrap())
        .read_line(&mut first)
        .unwrap();
    assert!(!first.is_empty());
    let out = child.wait_with_output().unwrap();
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(!stderr.contains("panicked"), "{stderr}");
    assert_ne!(out.status.code(), Some(101), "{stderr}");
}
