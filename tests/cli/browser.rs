//! The browser checks of `tests/browser/check-site.js`: every page opened
//! in headless Chromium, axe-core's WCAG 2.1 A and AA rules, reflow at
//! 320 CSS px, text spacing (SC 1.4.12), each chart's accessible name
//! (with its description) holding the numbers of its data table, no table
//! or chart text under 12 CSS px at 375 px, and the text drawn in the
//! site's own font.
//!
//! Two fixture pages check the checker itself: one without faults, on which
//! it must find nothing, and one with a known fault of each kind, each of
//! which it must report.
//!
//! The checks need Node.js, Chromium (`KORPSMONITOR_CHROMIUM`, else
//! `chromium` on PATH) and the node packages pinned in
//! `tests/browser/package-lock.json` (`npm ci --prefix tests/browser`).
//! Without them the tests say that they were skipped, unless
//! `KORPSMONITOR_REQUIRE_TOOLS=1` (as in CI): then they fail.

use std::collections::BTreeSet;
use std::path::{Path, PathBuf};
use std::process::Command;

use serde_json::Value;

use crate::support::{on_path, root, run, skipped};

/// What the browser checks need.
struct Tools {
    node: PathBuf,
    chromium: PathBuf,
}

/// The folder of the browser checks.
fn browser_dir() -> PathBuf {
    root().join("tests/browser")
}

/// Node, Chromium and the node packages, or `None` (with a notice on the
/// terminal) when one is missing and tools are not required.
fn tools() -> Option<Tools> {
    let node = on_path("node");
    let chromium = match std::env::var_os("KORPSMONITOR_CHROMIUM") {
        Some(p) => Some(PathBuf::from(p)).filter(|p| p.is_file()),
        None => on_path("chromium"),
    };
    let modules = ["axe-core", "playwright-core"].iter().all(|m| {
        browser_dir()
            .join("node_modules")
            .join(m)
            .join("package.json")
            .is_file()
    });
    let mut missing = Vec::new();
    if node.is_none() {
        missing.push("node (Node.js 20 or newer) is not on PATH");
    }
    if chromium.is_none() {
        missing
            .push("chromium is not in KORPSMONITOR_CHROMIUM or on PATH (apt-get install chromium)");
    }
    if !modules {
        missing.push("tests/browser/node_modules is missing (npm ci --prefix tests/browser)");
    }
    if let (Some(node), Some(chromium), true) = (node, chromium, modules) {
        return Some(Tools { node, chromium });
    }
    skipped(
        "the browser checks (axe-core, reflow, charts, fonts)",
        &missing.join("; "),
    );
    None
}

/// The outcome of one run of the checker.
struct Checked {
    code: i32,
    report: Value,
    stderr: String,
}

impl Checked {
    /// Every violation as (page file name, rule, selectors).
    fn violations(&self) -> Vec<(String, String, String)> {
        let mut found = Vec::new();
        for page in self.report["pages"].as_array().expect("pages") {
            let name = page["page"].as_str().unwrap_or("?").to_owned();
            for v in page["violations"].as_array().expect("violations") {
                found.push((
                    name.clone(),
                    v["rule"].as_str().unwrap_or("?").to_owned(),
                    v["selectors"].to_string(),
                ));
            }
        }
        found
    }

    /// The pages checked, as the checker names them.
    fn pages(&self) -> Vec<String> {
        self.report["pages"]
            .as_array()
            .expect("pages")
            .iter()
            .map(|p| p["page"].as_str().unwrap_or("?").to_owned())
            .collect()
    }
}

/// Runs the checker on the folders `dirs`, asking for the web font
/// "Noto Sans" (`--font`).
fn check(tools: &Tools, dirs: &[&Path]) -> Checked {
    let out_dir = tempfile::tempdir().unwrap();
    let json = out_dir.path().join("result.json");
    let out = Command::new(&tools.node)
        .arg(browser_dir().join("check-site.js"))
        .arg("--chromium")
        .arg(&tools.chromium)
        .arg("--json")
        .arg(&json)
        .args(["--font", "Noto Sans"])
        .args(dirs)
        .output()
        .unwrap();
    let stderr = String::from_utf8_lossy(&out.stderr).into_owned();
    let code = out.status.code().unwrap_or(-1);
    assert!(
        code == 0 || code == 1,
        "the checker could not run ({code}):\n{stderr}"
    );
    let text = std::fs::read_to_string(&json)
        .unwrap_or_else(|e| panic!("no result from the checker ({e}):\n{stderr}"));
    let report = serde_json::from_str(&text).unwrap();
    Checked {
        code,
        report,
        stderr,
    }
}

#[test]
fn the_checker_finds_nothing_on_a_page_without_faults() {
    let Some(tools) = tools() else {
        return;
    };
    let clean = browser_dir().join("fixtures/clean");
    let r = check(&tools, &[&clean]);
    assert_eq!(r.code, 0, "{}", r.stderr);
    assert!(r.violations().is_empty(), "{:?}", r.violations());
    assert_eq!(r.pages().len(), 1, "{}", r.stderr);
    // Its chart was found and read: the name holds all three numbers.
    let charts = &r.report["pages"][0]["charts"];
    assert_eq!(charts.as_array().map(Vec::len), Some(1), "{charts}");
    assert_eq!(charts[0]["axRole"], "image", "{charts}");
    assert_eq!(
        charts[0]["tableNumbers"],
        serde_json::json!(["12", "1234", "12.5"]),
        "{charts}"
    );
    assert_eq!(charts[0]["missing"], serde_json::json!([]), "{charts}");
}

#[test]
fn the_checker_reports_each_known_fault_of_a_faulty_page() {
    let Some(tools) = tools() else {
        return;
    };
    let faulty = browser_dir().join("fixtures/faulty");
    let r = check(&tools, &[&faulty]);
    assert_eq!(r.code, 1, "{}", r.stderr);
    let found: BTreeSet<(String, String)> = r
        .violations()
        .into_iter()
        .map(|(_, rule, selectors)| (rule, selectors))
        .collect();
    let expected: BTreeSet<(String, String)> = [
        // axe-core: the image without alt text, the grey paragraph, and the
        // table wrapper that scrolls without keyboard access.
        ("image-alt", r#"["img"]"#),
        ("color-contrast", r#"[".faint"]"#),
        ("scrollable-region-focusable", r#"[".scroll"]"#),
        // Reflow at 320 px.
        ("reflow-page-width", r#"["html"]"#),
        (
            "reflow-out-of-view",
            r#"["body > main > div:nth-of-type(1)"]"#,
        ),
        ("reflow-clipped", r#"["body > main > div:nth-of-type(2)"]"#),
        ("reflow-scroll-region", r#"["body > main > figure > div"]"#),
        // The box of fixed height, with the text spacing of SC 1.4.12.
        (
            "text-spacing-clipped",
            r#"["body > main > p:nth-of-type(2)"]"#,
        ),
        // The chart whose name lacks 7, and the bare SVG.
        ("chart-name-numbers", r#"["body > main > figure > svg"]"#),
        ("chart-role", r#"["body > main > svg"]"#),
        ("chart-name-numbers", r#"["body > main > svg"]"#),
        // The chart's label of 6 px at 375 px, and the text drawn in a
        // system font.
        ("small-text", r#"["body > main > figure > svg"]"#),
        ("web-font", r#"["h1"]"#),
        ("web-font", r#"["svg text"]"#),
        // The missing style sheet and the one from elsewhere.
        ("missing-resource", "[]"),
        ("external-request", "[]"),
    ]
    .into_iter()
    .map(|(a, b)| (a.to_owned(), b.to_owned()))
    .collect();
    assert_eq!(found, expected, "{}", r.stderr);
    // The summary line names page, rule and selector of each.
    assert!(
        r.stderr.contains("faulty/index.html: chart-name-numbers (chart): the chart's accessible name lacks 7 from its data table"),
        "{}",
        r.stderr
    );
}

/// The HTML pages under `dir`, recursively.
fn html_pages(dir: &Path) -> Vec<PathBuf> {
    let mut pages = Vec::new();
    for entry in std::fs::read_dir(dir).unwrap() {
        let path = entry.unwrap().path();
        if path.is_dir() {
            pages.extend(html_pages(&path));
        } else if path.extension().is_some_and(|x| x == "html") {
            pages.push(path);
        }
    }
    pages
}

#[test]
fn every_page_of_the_2010_and_2012_web_editions_passes_in_chromium() {
    let Some(tools) = tools() else {
        return;
    };
    let dir = tempfile::tempdir().unwrap();
    let mut sites = Vec::new();
    for year in ["2010", "2012"] {
        let data = root().join("data").join(year);
        let r = run(
            dir.path(),
            &["build", data.to_str().unwrap(), "--output", "out"],
        );
        assert_eq!(r.code, 0, "{}", r.stderr);
        let web = dir.path().join("out").join(year).join("web");
        assert!(
            web.join("index.html").is_file(),
            "no web edition in {web:?}"
        );
        sites.push(web);
    }
    let dirs: Vec<&Path> = sites.iter().map(PathBuf::as_path).collect();
    let r = check(&tools, &dirs);
    let violations: Vec<String> = r
        .violations()
        .into_iter()
        .map(|(page, rule, selectors)| format!("{page}: {rule} {selectors}"))
        .collect();
    assert!(
        violations.is_empty(),
        "{}\n{}",
        violations.join("\n"),
        r.stderr
    );
    assert_eq!(r.code, 0, "{}", r.stderr);
    // Every page of both editions was opened, and the charts were found.
    let expected: usize = sites.iter().map(|s| html_pages(s).len()).sum();
    assert_eq!(r.pages().len(), expected, "{}", r.stderr);
    let charts: usize = r.report["pages"]
        .as_array()
        .unwrap()
        .iter()
        .map(|p| p["charts"].as_array().map_or(0, Vec::len))
        .sum();
    assert!(charts > 0, "no chart found on any page:\n{}", r.stderr);
}
