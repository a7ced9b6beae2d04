//! The assessment team's internal notes: never in a document, the web
//! edition or the open data; shown by `diff`.

use std::fs;
use std::path::Path;

use crate::pdf;
use crate::support::{copy_dir, mini, run};

const UNIT_NOTE: &str = "Navragen bij team, score onzeker";
const DIMENSION_NOTE: &str = "Interne twijfel over vergunning";

/// Every file below `dir`.
fn files(dir: &Path) -> Vec<std::path::PathBuf> {
    let mut out = Vec::new();
    for entry in fs::read_dir(dir).unwrap() {
        let path = entry.unwrap().path();
        if path.is_dir() {
            out.extend(files(&path));
        } else {
            out.push(path);
        }
    }
    out
}

/// The mini edition with a note on unit alfa and on its dimension toezicht.
fn with_notes(dir: &Path) {
    let unit = dir.join("mini/units/alfa.yaml");
    let text = fs::read_to_string(&unit).unwrap();
    let text = text.replace(
        "    findings: Goed toezicht.\n",
        &format!("    findings: Goed toezicht.\n    notes: {DIMENSION_NOTE}\n"),
    );
    fs::write(&unit, format!("{text}notes: {UNIT_NOTE}\n")).unwrap();
}

#[test]
fn notes_are_never_printed() {
    let dir = mini(None);
    with_notes(dir.path());
    let r = run(dir.path(), &["check", "mini"]);
    assert_eq!(r.code, 0, "{}", r.stderr);
    let r = run(dir.path(), &["build", "mini", "--output", "out"]);
    assert_eq!(r.code, 0, "{}", r.stderr);
    let written = files(&dir.path().join("out"));
    assert!(written.iter().any(|p| p.ends_with("web/index.html")));
    assert!(
        written
            .iter()
            .any(|p| p.extension().is_some_and(|e| e == "json"))
    );
    // The text is read: the finding beside the note is there.
    let report = dir.path().join("out/2030/korpsmonitor-2030.pdf");
    assert!(pdf::fold(&pdf::text(&report)).contains("Goed toezicht"));
    for path in &written {
        let text = if path.extension().is_some_and(|e| e == "pdf") {
            pdf::fold(&pdf::text(path))
        } else {
            String::from_utf8_lossy(&fs::read(path).unwrap()).into_owned()
        };
        for note in [UNIT_NOTE, DIMENSION_NOTE] {
            assert!(
                !text.contains(note),
                "{} prints the note {note:?}",
                path.display()
            );
        }
    }
}

#[test]
fn diff_and_fmt_show_and_keep_the_notes() {
    let dir = mini(None);
    copy_dir(&dir.path().join("mini"), &dir.path().join("before"));
    with_notes(dir.path());
    let r = run(dir.path(), &["diff", "before", "mini"]);
    assert_eq!(r.code, 0, "{}", r.stderr);
    assert!(r.stdout.contains(UNIT_NOTE), "{}", r.stdout);
    assert!(r.stdout.contains(DIMENSION_NOTE), "{}", r.stdout);
    assert!(r.stdout.contains("notes"), "{}", r.stdout);
    // The canonical form keeps them.
    let r = run(dir.path(), &["fmt", "mini"]);
    assert_eq!(r.code, 0, "{}", r.stderr);
    let text = fs::read_to_string(dir.path().join("mini/units/alfa.yaml")).unwrap();
    assert!(text.contains(&format!("notes: {UNIT_NOTE}")), "{text}");
    assert!(
        text.contains(&format!("    notes: {DIMENSION_NOTE}")),
        "{text}"
    );
}
