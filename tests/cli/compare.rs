//! `korpsmonitor compare`: the pages a change alters, matched by content
//! (pages that only moved are not changed), drawn as PNG pictures and
//! listed in an HTML page.

use std::fs;
use std::path::Path;

use crate::pdf;
use crate::support::{copy_dir, git, mini, run};

/// The fixture `mini` copied to `name` beside it, with `from` replaced by
/// `to` in its unit file `unit`.
fn changed_copy(dir: &Path, name: &str, unit: &str, from: &str, to: &str) {
    copy_dir(&dir.join("mini"), &dir.join(name));
    let path = dir.join(name).join("units").join(unit);
    let text = fs::read_to_string(&path).unwrap();
    assert!(text.contains(from), "{from:?} is not in {unit}");
    fs::write(&path, text.replacen(from, to, 1)).unwrap();
}

/// The pictures in `out`, by file name, sorted.
fn pictures(out: &Path) -> Vec<String> {
    let mut names: Vec<String> = fs::read_dir(out)
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .filter(|n| n.ends_with(".png"))
        .collect();
    names.sort();
    names
}

/// The width and height of a PNG, after checking its signature and that
/// its first chunk is the header.
fn png_size(path: &Path) -> (u32, u32) {
    let bytes = fs::read(path).unwrap();
    assert_eq!(&bytes[..8], b"\x89PNG\r\n\x1a\n", "{}", path.display());
    assert_eq!(&bytes[12..16], b"IHDR");
    let be = |at: usize| u32::from_be_bytes(bytes[at..at + 4].try_into().unwrap());
    (be(16), be(20))
}

/// The 1-based numbers of the pages of the report built from `edition`
/// whose text holds `needle`.
fn pages_holding(cwd: &Path, edition: &str, needle: &str) -> Vec<usize> {
    let r = run(
        cwd,
        &["build", edition, "--only", "report", "--output", "built"],
    );
    assert_eq!(r.code, 0, "{}", r.stderr);
    let pdf = cwd.join("built/2030/korpsmonitor-2030.pdf");
    pdf::pages(&pdf)
        .iter()
        .enumerate()
        .filter(|(_, text)| pdf::fold(text).contains(needle))
        .map(|(i, _)| i + 1)
        .collect()
}

#[test]
fn a_one_word_change_finds_exactly_the_page_that_holds_it() {
    let dir = mini(None);
    changed_copy(
        dir.path(),
        "new",
        "alfa.yaml",
        "Goed toezicht.",
        "Matig toezicht.",
    );
    let r = run(dir.path(), &["compare", "mini", "new", "--output", "out"]);
    assert_eq!(r.code, 0, "{}", r.stderr);
    assert_eq!(r.stdout.trim(), "1 page changed: out/index.html");
    let page = pages_holding(dir.path(), "mini", "Goed toezicht.");
    assert_eq!(page.len(), 1, "{page:?}");
    let expected = format!("changed-p{:03}-p{:03}.png", page[0], page[0]);
    assert_eq!(pictures(&dir.path().join("out")), vec![expected.clone()]);
    let html = fs::read_to_string(dir.path().join("out/index.html")).unwrap();
    assert!(
        html.contains(&format!(
            "<img src=\"{expected}\" alt=\"Page {} changed.",
            page[0]
        )),
        "{html}"
    );
    assert!(
        html.contains("Removed: Goed.") && html.contains("Added: Matig."),
        "{html}"
    );
    // Side by side: two A4 pages (595 x 842 pt) at 1.5 pixels per point,
    // with 16 pixels around and between them.
    let (w, h) = png_size(&dir.path().join("out").join(&expected));
    assert_eq!((w, h), (16 * 3 + 2 * 893, 16 * 2 + 1263));
}

#[test]
fn text_added_early_moves_later_pages_without_changing_them() {
    let dir = mini(None);
    let long =
        "Het toezicht op de vergunde sector is uitgebreid beschreven in deze lange bevinding. "
            .repeat(90);
    changed_copy(
        dir.path(),
        "new",
        "alfa.yaml",
        "Goed toezicht.",
        &format!("Goed toezicht. {}", long.trim()),
    );
    let r = run(dir.path(), &["compare", "mini", "new", "--output", "out"]);
    assert_eq!(r.code, 0, "{}", r.stderr);
    assert!(r.stdout.contains("1 added"), "{}", r.stdout);
    assert!(r.stdout.contains("moved unchanged"), "{}", r.stdout);
    let html = fs::read_to_string(dir.path().join("out/index.html")).unwrap();
    let moved = html
        .split("<h2>Pages that moved without changing</h2>\n<p>")
        .nth(1)
        .and_then(|rest| rest.split("</p>").next())
        .unwrap_or_else(|| panic!("no moved pages listed: {html}"));
    let moved: Vec<(usize, usize)> = moved
        .split(", ")
        .map(|m| {
            let (a, b) = m.split_once(" → ").unwrap();
            (a.parse().unwrap(), b.parse().unwrap())
        })
        .collect();
    // The chapters of Beta and Gamma and what follows moved one page on.
    // (The contents name the chapter too; the chapter comes after it.)
    let beta = *pages_holding(dir.path(), "mini", "5.2 Beta")
        .last()
        .unwrap();
    assert!(moved.contains(&(beta, beta + 1)), "{moved:?}");
    assert!(
        moved.len() >= 3 && moved.iter().all(|(a, b)| b == &(a + 1)),
        "{moved:?}"
    );
    // Only the pages of Alfa (and the contents, whose page numbers
    // changed) are drawn: nothing from Beta on.
    for name in pictures(&dir.path().join("out")) {
        let first: usize = name
            .trim_end_matches(".png")
            .rsplit("-p")
            .next()
            .unwrap()
            .parse()
            .unwrap();
        assert!(first <= beta, "{name} drawn, Beta starts on page {beta}");
        assert!(
            html.contains(&format!("src=\"{name}\"")),
            "{name} not in the page"
        );
        png_size(&dir.path().join("out").join(&name));
    }
}

#[test]
fn identical_editions_have_no_changed_page_and_old_pictures_go() {
    let dir = mini(None);
    changed_copy(
        dir.path(),
        "new",
        "alfa.yaml",
        "Goed toezicht.",
        "Matig toezicht.",
    );
    let r = run(dir.path(), &["compare", "mini", "new", "-o", "out"]);
    assert_eq!(r.code, 0, "{}", r.stderr);
    assert_eq!(pictures(&dir.path().join("out")).len(), 1);
    // A file of someone else's in the folder stays.
    fs::write(dir.path().join("out/notes.png"), "mine").unwrap();
    let r = run(dir.path(), &["compare", "mini", "mini", "-o", "out"]);
    assert_eq!(r.code, 0, "{}", r.stderr);
    assert_eq!(r.stdout.trim(), "0 pages changed: out/index.html");
    assert_eq!(pictures(&dir.path().join("out")), vec!["notes.png"]);
    let html = fs::read_to_string(dir.path().join("out/index.html")).unwrap();
    assert!(html.contains("No page changed."), "{html}");
    assert!(!html.contains("<img"), "{html}");
}

#[test]
fn the_same_inputs_give_the_same_bytes() {
    let dir = mini(None);
    changed_copy(
        dir.path(),
        "new2",
        "alfa.yaml",
        "Veel onderzoeken.",
        "Weinig onderzoeken.",
    );
    for out in ["a", "b"] {
        let r = run(dir.path(), &["compare", "mini", "new2", "-o", out]);
        assert_eq!(r.code, 0, "{}", r.stderr);
    }
    let names = pictures(&dir.path().join("a"));
    assert_eq!(names.len(), 1);
    for name in names.iter().map(String::as_str).chain(["index.html"]) {
        let a = fs::read(dir.path().join("a").join(name)).unwrap();
        let b = fs::read(dir.path().join("b").join(name)).unwrap();
        assert!(a == b, "{name} differs between two runs");
    }
}

#[test]
fn a_revision_is_compared_with_the_working_tree() {
    let dir = mini(None);
    git(dir.path(), &["init", "-q"]);
    git(dir.path(), &["add", "."]);
    git(dir.path(), &["commit", "-q", "-m", "mini"]);
    let unit = dir.path().join("mini/units/alfa.yaml");
    let text = fs::read_to_string(&unit).unwrap();
    fs::write(
        &unit,
        text.replace("Veel onderzoeken.", "Weinig onderzoeken."),
    )
    .unwrap();
    let r = run(
        dir.path(),
        &["compare", "mini", "--rev", "HEAD", "-o", "out"],
    );
    assert_eq!(r.code, 0, "{}", r.stderr);
    assert!(r.stdout.starts_with("1 page changed"), "{}", r.stdout);
    let html = fs::read_to_string(dir.path().join("out/index.html")).unwrap();
    assert!(
        html.contains("mini at HEAD") && html.contains("mini (working tree)"),
        "{html}"
    );
    assert!(
        html.contains("Removed: Veel.") && html.contains("Added: Weinig."),
        "{html}"
    );
}

#[test]
fn bad_input_is_refused_with_nothing_written() {
    let dir = mini(None);
    fs::write(dir.path().join("bad.pdf"), "%PDF-1.7 not really").unwrap();
    let cases: [(&[&str], &str); 6] = [
        (
            &["compare", "old.pdf", "new.pdf", "-o", "out"],
            "no file old.pdf",
        ),
        (
            &["compare", "mini", "new.pdf", "-o", "out"],
            "not one of each",
        ),
        (
            &["compare", "mini", "mini", "--rev", "HEAD", "-o", "out"],
            "not both",
        ),
        (&["compare", "mini", "-o", "out"], "two edition folders"),
        (&["compare", "mini", "missing", "-o", "out"], "missing"),
        (
            &[
                "compare",
                "mini/edition.yaml.pdf",
                "mini/letter.yaml.pdf",
                "-o",
                "out",
            ],
            "edition.yaml.pdf",
        ),
    ];
    for (args, says) in cases {
        let r = run(dir.path(), args);
        assert_ne!(r.code, 0, "{args:?}");
        assert!(r.stderr.contains(says), "{args:?}: {}", r.stderr);
        assert!(!r.stderr.contains("panicked"), "{}", r.stderr);
        assert!(!dir.path().join("out").exists(), "{args:?} wrote output");
    }
    // The output folder is a link: refused, nothing written through it.
    fs::create_dir(dir.path().join("elsewhere")).unwrap();
    std::os::unix::fs::symlink("elsewhere", dir.path().join("out")).unwrap();
    let r = run(dir.path(), &["compare", "mini", "mini", "-o", "out"]);
    assert_eq!(r.code, 1, "{}", r.stderr);
    assert!(r.stderr.contains("symbolic link"), "{}", r.stderr);
    assert_eq!(
        fs::read_dir(dir.path().join("elsewhere")).unwrap().count(),
        0
    );
}

#[test]
fn two_pdf_files_are_compared_page_by_page() {
    let dir = mini(None);
    let long =
        "Het toezicht op de vergunde sector is uitgebreid beschreven in deze lange bevinding. "
            .repeat(90);
    changed_copy(
        dir.path(),
        "new",
        "alfa.yaml",
        "Goed toezicht.",
        &format!("Matig toezicht. {}", long.trim()),
    );
    for (edition, out) in [("mini", "old-pdf"), ("new", "new-pdf")] {
        let r = run(
            dir.path(),
            &["build", edition, "--only", "report", "--output", out],
        );
        assert_eq!(r.code, 0, "{}", r.stderr);
    }
    let (old, new) = (
        "old-pdf/2030/korpsmonitor-2030.pdf",
        "new-pdf/2030/korpsmonitor-2030.pdf",
    );
    let r = run(dir.path(), &["compare", old, new, "-o", "out"]);
    assert_eq!(r.code, 0, "{}", r.stderr);
    // The same pages as the comparison of the editions.
    let r2 = run(dir.path(), &["compare", "mini", "new", "-o", "out2"]);
    assert_eq!(r2.code, 0, "{}", r2.stderr);
    assert_eq!(r.stdout.replace("out/", ""), r2.stdout.replace("out2/", ""));
    assert!(r.stdout.contains("moved unchanged"), "{}", r.stdout);
    let names = pictures(&dir.path().join("out"));
    assert_eq!(names, pictures(&dir.path().join("out2")));
    let html = fs::read_to_string(dir.path().join("out/index.html")).unwrap();
    assert!(
        html.contains("Removed: Goed.") || html.contains("Removed: Goed "),
        "{html}"
    );
    for name in &names {
        assert!(html.contains(&format!("src=\"{name}\"")), "{name}");
        let (w, h) = png_size(&dir.path().join("out").join(name));
        assert!(w > h && h > 1000, "{name}: {w} x {h}");
    }
}

#[test]
fn the_covering_letter_is_compared_with_only_letter() {
    let dir = mini(None);
    copy_dir(&dir.path().join("mini"), &dir.path().join("new"));
    let letter = dir.path().join("new/letter.yaml");
    let text = fs::read_to_string(&letter).unwrap();
    assert!(text.contains("  Ik schrijf"));
    fs::write(&letter, text.replacen("  Ik schrijf", "  Wij schrijven", 1)).unwrap();
    let r = run(
        dir.path(),
        &["compare", "mini", "new", "--only", "letter", "-o", "out"],
    );
    assert_eq!(r.code, 0, "{}", r.stderr);
    assert_eq!(r.stdout.trim(), "1 page changed: out/index.html");
    let html = fs::read_to_string(dir.path().join("out/index.html")).unwrap();
    assert!(
        html.contains("Page comparison of the covering letter"),
        "{html}"
    );
    assert!(
        html.contains("Removed: Ik schrijf.") && html.contains("Added: Wij schrijven."),
        "{html}"
    );
    // The report holds no letter text: nothing changed there.
    let r = run(dir.path(), &["compare", "mini", "new", "-o", "report"]);
    assert_eq!(
        r.stdout.trim(),
        "0 pages changed: report/index.html",
        "{}",
        r.stderr
    );
}

#[test]
fn a_changed_chart_counts_as_a_change() {
    let dir = mini(None);
    changed_copy(dir.path(), "new", "alfa.yaml", "controle: 4", "controle: 2");
    let r = run(dir.path(), &["compare", "mini", "new", "-o", "out"]);
    assert_eq!(r.code, 0, "{}", r.stderr);
    let html = fs::read_to_string(dir.path().join("out/index.html")).unwrap();
    // Alfa's scores change in its table, and the bars of its chart with
    // them: one figure names both.
    let alfa = html
        .split("<figure")
        .find(|f| f.contains("Removed: 81,3%"))
        .unwrap_or_else(|| panic!("no page with Alfa's old score: {html}"));
    assert!(alfa.contains("Added: 68,0%"), "{alfa}");
    assert!(alfa.contains("1 chart(s) or image(s) changed."), "{alfa}");
    assert!(!pictures(&dir.path().join("out")).is_empty());
}
