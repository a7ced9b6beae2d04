//! The independent PDF/UA and WCAG checkers `outloud` and `pdfua` (both
//! from PyPI) read every document of the 2010 and 2012 editions: the
//! report, the covering letter and each manager letter. Neither may report
//! an error or a warning.
//!
//! The checkers are taken from the folder `KORPSMONITOR_CHECKERS_BIN`
//! names, else from PATH. Without them the test says that it was skipped,
//! unless `KORPSMONITOR_REQUIRE_TOOLS=1` (as in CI): then it fails.

use std::io::Write;
use std::path::{Path, PathBuf};
use std::process::Command;

use serde_json::Value;

use crate::support::{root, run};

/// pdfua rules that may be skipped, each a fault of the checker documented
/// in docs/robustness.md ("Independent checkers").
const KNOWN_SKIPS: &[(&str, &str)] = &[("UA-14-001", "/is_integer")];

/// The executable `name` in `KORPSMONITOR_CHECKERS_BIN`, else on PATH.
fn find(name: &str) -> Option<PathBuf> {
    let dirs: Vec<PathBuf> = match std::env::var_os("KORPSMONITOR_CHECKERS_BIN") {
        Some(dir) => vec![PathBuf::from(dir)],
        None => std::env::split_paths(&std::env::var_os("PATH").unwrap_or_default()).collect(),
    };
    dirs.into_iter().map(|d| d.join(name)).find(|p| p.is_file())
}

/// Both checkers, or `None` (with a notice on the terminal) when one is
/// missing and tools are not required.
fn checkers() -> Option<(PathBuf, PathBuf)> {
    match (find("outloud"), find("pdfua")) {
        (Some(o), Some(p)) => Some((o, p)),
        (o, p) => {
            let missing: Vec<&str> = [("outloud", o.is_none()), ("pdfua", p.is_none())]
                .into_iter()
                .filter_map(|(n, m)| m.then_some(n))
                .collect();
            let what = format!(
                "{} not found in KORPSMONITOR_CHECKERS_BIN or on PATH (pip install outloud pdfua)",
                missing.join(" and ")
            );
            assert!(
                std::env::var("KORPSMONITOR_REQUIRE_TOOLS").as_deref() != Ok("1"),
                "KORPSMONITOR_REQUIRE_TOOLS=1 but {what}"
            );
            // Written past the test harness's capture, so that it shows.
            let _ = writeln!(
                std::io::stderr(),
                "SKIPPED: the independent PDF/UA checks: {what}"
            );
            None
        }
    }
}

/// The PDFs a build of `edition` wrote to `out`, sorted.
fn documents(out: &Path) -> Vec<PathBuf> {
    let mut files = Vec::new();
    for dir in [out.to_path_buf(), out.join("brieven")] {
        if let Ok(entries) = std::fs::read_dir(&dir) {
            files.extend(
                entries
                    .map(|e| e.unwrap().path())
                    .filter(|p| p.extension().is_some_and(|x| x == "pdf")),
            );
        }
    }
    files.sort();
    files
}

/// Every error and warning outloud reports on `files`.
fn outloud(exe: &Path, files: &[PathBuf]) -> Vec<String> {
    let out = Command::new(exe)
        .args(["--no-info", "--json", "-"])
        .args(files)
        .output()
        .unwrap();
    let stdout = String::from_utf8_lossy(&out.stdout);
    let report: Value = serde_json::from_str(&stdout).unwrap_or_else(|e| {
        panic!(
            "outloud gave no JSON ({e}): {}\n{stdout}",
            String::from_utf8_lossy(&out.stderr)
        )
    });
    let results = report["results"].as_array().expect("outloud results");
    assert_eq!(results.len(), files.len(), "{stdout}");
    let mut found = Vec::new();
    for r in results {
        let path = r["path"].as_str().unwrap_or("?");
        if !r["error"].is_null() {
            found.push(format!("outloud: {path}: could not check: {}", r["error"]));
        }
        for f in r["findings"].as_array().into_iter().flatten() {
            let severity = f["severity"].as_str().unwrap_or("?");
            if severity != "info" {
                found.push(format!(
                    "outloud: {path}: {} {severity} (page {}): {} {}",
                    f["rule"].as_str().unwrap_or("?"),
                    f["page"],
                    f["message"].as_str().unwrap_or(""),
                    f["evidence"].as_str().unwrap_or("")
                ));
            }
        }
    }
    found
}

/// Every error and warning pdfua reports on `files`, and every rule it
/// skipped that is not a known fault of the checker.
fn pdfua(exe: &Path, files: &[PathBuf]) -> Vec<String> {
    let out = Command::new(exe)
        .args(["check", "--format", "json"])
        .args(files)
        .output()
        .unwrap();
    let stdout = String::from_utf8_lossy(&out.stdout);
    let reports: Vec<Value> = serde_json::Deserializer::from_str(&stdout)
        .into_iter::<Value>()
        .collect::<Result<_, _>>()
        .unwrap_or_else(|e| {
            panic!(
                "pdfua gave no JSON ({e}): {}\n{stdout}",
                String::from_utf8_lossy(&out.stderr)
            )
        });
    assert_eq!(reports.len(), files.len(), "{stdout}");
    let mut found = Vec::new();
    for r in &reports {
        let path = r["file"].as_str().unwrap_or("?");
        for f in r["findings"].as_array().into_iter().flatten() {
            found.push(format!(
                "pdfua: {path}: {} {}: {}",
                f["rule_id"].as_str().unwrap_or("?"),
                f["severity"].as_str().unwrap_or("?"),
                f["message"].as_str().unwrap_or(&f.to_string())
            ));
        }
        for s in r["skipped"].as_array().into_iter().flatten() {
            let (rule, reason) = (
                s["rule_id"].as_str().unwrap_or("?"),
                s["reason"].as_str().unwrap_or(""),
            );
            if !KNOWN_SKIPS
                .iter()
                .any(|(id, why)| *id == rule && reason.contains(why))
            {
                found.push(format!("pdfua: {path}: {rule} not checked: {reason}"));
            }
        }
    }
    found
}

#[test]
fn outloud_and_pdfua_find_nothing_in_any_2010_or_2012_document() {
    let Some((outloud_exe, pdfua_exe)) = checkers() else {
        return;
    };
    let dir = tempfile::tempdir().unwrap();
    let mut found = Vec::new();
    // 2010 has 15 manager letters; whatever 2012 has is checked too.
    for (year, letters) in [("2010", Some(15)), ("2012", None)] {
        let data = root().join("data").join(year);
        let r = run(
            dir.path(),
            &["build", data.to_str().unwrap(), "--output", "out"],
        );
        assert_eq!(r.code, 0, "{}", r.stderr);
        let out = dir.path().join("out").join(year);
        let files = documents(&out);
        // The report, the covering letter and the manager letters.
        for main in [
            format!("korpsmonitor-{year}.pdf"),
            format!("aanbiedingsbrief-{year}.pdf"),
        ] {
            assert!(files.contains(&out.join(&main)), "{main} in {files:?}");
        }
        if let Some(n) = letters {
            assert_eq!(files.len(), 2 + n, "{files:?}");
        }
        found.extend(outloud(&outloud_exe, &files));
        found.extend(pdfua(&pdfua_exe, &files));
    }
    assert!(found.is_empty(), "{}", found.join("\n"));
}
