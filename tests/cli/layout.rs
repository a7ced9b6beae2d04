//! The layout check (`build --check-layout`) on every document: the
//! editions in `data/`, a synthetic edition of 150 units and an edition of
//! deliberately long text; and a defect that makes it fail.

use std::fs;
use std::path::Path;

use crate::support::{copy_dir, mini, root, run};

/// Builds `edition` (a path relative to `cwd`) into `out` with the layout
/// check and asserts that every document passes it.
fn passes(cwd: &Path, edition: &str, out: &Path) {
    passes_with(cwd, edition, out, &[]);
}

/// Like [`passes`], with further arguments for `build`.
fn passes_with(cwd: &Path, edition: &str, out: &Path, more: &[&str]) {
    let mut args = vec![
        "build",
        edition,
        "--output",
        out.to_str().unwrap(),
        "--check-layout",
    ];
    args.extend(more);
    let r = run(cwd, &args);
    assert_eq!(r.code, 0, "{edition}:\n{}", r.stderr);
    assert!(!r.stderr.contains("layout:"), "{}", r.stderr);
    assert!(r.stdout.contains("wrote"), "{}", r.stdout);
}

#[test]
fn every_document_of_2008_passes_the_layout_check() {
    let out = tempfile::tempdir().unwrap();
    passes(&root(), "data/2008", out.path());
}

#[test]
fn every_document_of_2010_passes_the_layout_check() {
    let out = tempfile::tempdir().unwrap();
    passes(&root(), "data/2010", out.path());
}

#[test]
fn every_document_of_2012_passes_the_layout_check() {
    let out = tempfile::tempdir().unwrap();
    passes(&root(), "data/2012", out.path());
}

#[test]
fn every_document_of_2014_passes_the_layout_check() {
    let out = tempfile::tempdir().unwrap();
    passes(&root(), "data/2014", out.path());
}

#[test]
fn a_synthetic_edition_of_150_units_passes_the_layout_check() {
    let dir = tempfile::tempdir().unwrap();
    let r = run(dir.path(), &["generate", "syn", "--units", "150"]);
    assert_eq!(r.code, 0, "{}", r.stderr);
    passes(dir.path(), "syn", &dir.path().join("out"));
}

#[test]
fn an_edition_of_long_names_and_unbreakable_tokens_passes_the_layout_check() {
    let dir = tempfile::tempdir().unwrap();
    copy_dir(
        &root().join("tests/fixtures/valid/long-text"),
        &dir.path().join("long-text"),
    );
    passes(dir.path(), "long-text", &dir.path().join("out"));
    let text = crate::pdf::text(&dir.path().join("out/2040/korpsmonitor-2040.pdf"));
    // Every token prints whole, however it was broken over lines.
    let flat: String = text.split_whitespace().collect();
    for token in [
        "KMPM-2040-000000000000000000000000000000000000000000000042",
        "meldpunt.mensenhandel.noordoost-nederland@politie-regionale-eenheid.example.nl",
        "204000000000000000000000000000000000000000000000000002",
    ] {
        assert!(flat.contains(token), "{token} missing");
    }
}

#[test]
fn a_layout_defect_fails_the_build_naming_document_page_and_element() {
    let dir = mini(None);
    // A house style whose verdict badges are set at 6 pt.
    let templates = dir.path().join("tpl");
    fs::create_dir_all(&templates).unwrap();
    let style = fs::read_to_string(root().join("templates/style.typ")).unwrap();
    let small = style.replace(
        "weight: \"bold\", size: 8.5pt, v.label",
        "weight: \"bold\", size: 6pt, v.label",
    );
    assert_ne!(
        small, style,
        "the badge's size is no longer where this test expects it"
    );
    fs::write(templates.join("style.typ"), small).unwrap();
    let r = run(
        dir.path(),
        &[
            "build",
            "mini",
            "--only",
            "report",
            "--templates",
            "tpl",
            "--check-layout",
        ],
    );
    assert_eq!(r.code, 1, "{}", r.stderr);
    assert!(
        r.stderr.lines().any(
            |l| l.starts_with("error: layout: korpsmonitor-2030.pdf p. ")
                && l.contains("table text at 6.0 pt, below 8 pt: \"conform norm\"")
        ),
        "{}",
        r.stderr
    );
    assert!(
        r.stderr.contains("korpsmonitor-2030.pdf") && r.stderr.contains("error"),
        "{}",
        r.stderr
    );
    // The documents are written all the same, for the editors to look at.
    assert!(
        dir.path()
            .join("output/2030/korpsmonitor-2030.pdf")
            .is_file()
    );
    // Without the flag the same build succeeds.
    let r = run(
        dir.path(),
        &["build", "mini", "--only", "report", "--templates", "tpl"],
    );
    assert_eq!(r.code, 0, "{}", r.stderr);
}

#[test]
fn names_never_break_at_their_own_hyphen_in_the_summary() {
    // The 2012 summary table's name column is narrow enough that
    // "Noord- en Oost-Gelderland" and "Midden- en West-Brabant" must break:
    // at a space, never after "Oost-" or "West-"; the same names in the
    // summary's sentences stay whole too.
    let out = tempfile::tempdir().unwrap();
    let r = run(
        &root(),
        &[
            "build",
            "data/2012",
            "--only",
            "report",
            "--output",
            out.path().to_str().unwrap(),
        ],
    );
    assert_eq!(r.code, 0, "{}", r.stderr);
    let glyphs = crate::pdf::glyphs(&out.path().join("2012/korpsmonitor-2012.pdf"));
    for word in ["Oost-Gelderland", "West-Brabant"] {
        let chars: Vec<String> = word.chars().map(String::from).collect();
        let mut seen = 0;
        for i in 0..glyphs.len().saturating_sub(chars.len()) {
            let run = &glyphs[i..i + chars.len()];
            if run.iter().zip(&chars).all(|(g, c)| g.text == *c) {
                seen += 1;
                let (first, last) = (&run[0], &run[chars.len() - 1]);
                assert!(
                    first.page == last.page && (first.y - last.y).abs() < 1.0,
                    "{word} breaks across lines on page {}",
                    first.page
                );
            }
        }
        assert!(seen > 0, "{word} is not in the report");
    }
}

#[test]
fn an_edition_without_findings_has_no_empty_dimension_headings() {
    // 2008 published verdicts without findings: a unit's chapter has its
    // verdict table and key figures side by side, no numbered heading with
    // nothing under it, and the chapters follow one another (three or four
    // to a page, not one unit on each of 25 half-empty pages).
    let out = tempfile::tempdir().unwrap();
    let r = run(
        &root(),
        &[
            "build",
            "data/2008",
            "--only",
            "report",
            "--output",
            out.path().to_str().unwrap(),
        ],
    );
    assert_eq!(r.code, 0, "{}", r.stderr);
    let text = crate::pdf::fold(&crate::pdf::text(
        &out.path().join("2008/korpsmonitor-2008.pdf"),
    ));
    assert!(text.contains("4.1 Groningen"), "{text}");
    assert!(!text.contains("4.1.1"), "an empty numbered heading: {text}");
    let pages = crate::pdf::pages(&out.path().join("2008/korpsmonitor-2008.pdf"));
    let units = pages
        .iter()
        .filter(|p| p.contains("Groep regiokorpsen"))
        .count();
    assert!(units <= 9, "the 25 units take {units} pages");
}

/// The layout iterations `build --timings --iterations` reports for each document of
/// `edition`: (file name, count).
fn layout_iterations(edition: &str) -> Vec<(String, usize)> {
    let out = tempfile::tempdir().unwrap();
    let r = run(
        &root(),
        &[
            "build",
            edition,
            "--output",
            out.path().to_str().unwrap(),
            "--timings",
            "--iterations",
        ],
    );
    assert_eq!(r.code, 0, "{}", r.stderr);
    let counts: Vec<(String, usize)> = r
        .stderr
        .lines()
        .filter_map(|l| {
            let (_, tail) = l.rsplit_once(", ")?;
            let n = tail
                .strip_suffix(" layout iterations")
                .or_else(|| tail.strip_suffix(" layout iteration"))?;
            let name = l.split_whitespace().next()?;
            Some((name.to_string(), n.parse().ok()?))
        })
        .collect();
    assert!(
        counts.iter().any(|(n, _)| n.starts_with("korpsmonitor-")),
        "no report among {counts:?}:\n{}",
        r.stderr
    );
    counts
}

/// Typst lays a document out again until its page numbers settle. The
/// house style numbers its headings as it makes them and lets the contents
/// take its pages in the first pass, so that the second pass settles: every
/// document of 2008 and 2010 in two passes (a report whose headings Typst
/// numbered took three). In 2012 and 2014 a long table is split where it
/// falls on the page (its last page keeps three rows), which the first pass
/// cannot know: three passes, never more.
#[test]
fn the_documents_settle_in_two_layout_passes() {
    for edition in ["data/2008", "data/2010"] {
        for (name, n) in layout_iterations(edition) {
            assert_eq!(n, 2, "{edition}: {name} took {n} layout iterations");
        }
    }
    for edition in ["data/2012", "data/2014"] {
        for (name, n) in layout_iterations(edition) {
            let most = if name.starts_with("korpsmonitor-") {
                3
            } else {
                2
            };
            assert!(n <= most, "{edition}: {name} took {n} layout iterations");
        }
    }
}
