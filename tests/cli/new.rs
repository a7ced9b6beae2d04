//! `new`: the next edition from the previous one, and `check`'s warnings
//! on what is stale in it (its to-do list).

use std::fs;
use std::path::Path;

use crate::support::{copy_dir, root, run};

/// A work folder with `data/2012` and `data/2010` copied in, and the 2014
/// edition made from 2012 with `new`.
fn started() -> tempfile::TempDir {
    let dir = tempfile::tempdir().unwrap();
    for y in ["2008", "2010", "2012"] {
        copy_dir(
            &root().join("data").join(y),
            &dir.path().join("data").join(y),
        );
    }
    let r = run(dir.path(), &["new", "data/2014", "--from", "data/2012"]);
    assert_eq!(r.code, 0, "{}", r.stderr);
    assert!(
        r.stdout.starts_with(
            "wrote data/2014: the 2014 edition after data/2012 (26 units, letter, recommendations, 2 chapters)\n"
        ),
        "{}",
        r.stdout
    );
    assert!(
        r.stdout.contains(
            "- the findings, points, recommendations and key figures of the 26 units: they are 2012's\n"
        ),
        "{}",
        r.stdout
    );
    dir
}

fn read(dir: &Path, file: &str) -> String {
    fs::read_to_string(dir.join(file)).unwrap()
}

#[test]
fn new_moves_on_what_changes_by_rule_and_keeps_the_rest() {
    let dir = started();
    let e = read(dir.path(), "data/2014/edition.yaml");
    for line in [
        "year: 2014\n",
        "title: Korpsmonitor Mensenhandel en Prostitutie 2014\n",
        "period: 1 januari 2013 tot en met 31 december 2014\n",
        "status: concept\n",
        "date: 2015-09-03\n",
        "previous: ../2012\n",
        "- '2014'\n",
    ] {
        assert!(e.contains(line), "{line:?} in\n{e}");
    }
    assert!(!e.contains("previous_dimensions"), "{e}");
    let l = read(dir.path(), "data/2014/letter.yaml");
    assert!(l.contains("date: 2015-10-24\n"), "{l}");
    assert!(l.contains("session: 2015–2016\n"), "{l}");
    // Carried over as they are, for `check` to list.
    assert_eq!(
        read(dir.path(), "data/2014/chapters/inleiding.txt"),
        read(&root(), "data/2012/chapters/inleiding.txt")
    );
    let units = fs::read_dir(dir.path().join("data/2014/units"))
        .unwrap()
        .count();
    assert_eq!(units, 26);
    // The new edition builds.
    let r = run(
        dir.path(),
        &["build", "data/2014", "--only", "report", "--output", "out"],
    );
    assert_eq!(r.code, 0, "{}", r.stderr);
    assert!(dir.path().join("out/2014/korpsmonitor-2014.pdf").is_file());
}

#[test]
fn check_lists_what_is_stale_with_file_and_line() {
    let dir = started();
    let r = run(dir.path(), &["check", "data/2014", "--format", "json"]);
    assert_eq!(r.code, 0, "{}", r.stderr);
    let json: serde_json::Value = serde_json::from_str(&r.stdout).unwrap();
    let problems = json["problems"].as_array().unwrap();
    let find = |file: &str, field: Option<&str>, message: &str| {
        problems
            .iter()
            .find(|p| {
                p["file"].as_str().is_some_and(|f| f.ends_with(file))
                    && (field.is_none() || p["field"].as_str() == field)
                    && p["message"]
                        .as_str()
                        .is_some_and(|m| m.starts_with(message))
            })
            .unwrap_or_else(|| {
                panic!("no warning {message:?} at {file} {field:?} in {problems:#?}")
            })
    };
    let w = find(
        "units/groningen.yaml",
        Some("dimensions.organisatie.findings"),
        "the findings are those of the 2012 edition",
    );
    assert_eq!(w["severity"], "warning");
    assert!(w["line"].as_u64().is_some());
    find(
        "units/groningen.yaml",
        Some("dimensions"),
        "every indicator has the points it had in the 2012 edition",
    );
    find(
        "units/groningen.yaml",
        Some("key_figures"),
        "the key figures are those of the 2012 edition",
    );
    find(
        "recommendations.yaml",
        None,
        "the recommendation stands in the 2012 edition too",
    );
    find(
        "letter.yaml",
        Some("kamerstuk.number"),
        "the kamerstuk number 103 is that of the 2012 edition's letter",
    );
    let years = find(
        "chapters/inleiding.txt",
        None,
        "the text names 2011, a year of the previous edition's period",
    );
    assert_eq!(
        (years["line"].as_u64(), years["column"].as_u64()),
        (Some(1), Some(48))
    );
    let count = find(
        "chapters/inleiding.txt",
        None,
        "the text says “vijf dimensies” beside a placeholder, but the 2012 edition has 4",
    );
    assert_eq!(count["line"].as_u64(), Some(5));
    // The chapters and the letter's text, copied as they were.
    find(
        "chapters/conclusies.txt",
        None,
        "the chapter's text is that of the 2012 edition",
    );
    find(
        "letter.yaml",
        Some("body"),
        "the text is that of the 2012 edition's letter",
    );
    // A year in the letter's body is shown at its own line.
    let body_year = find(
        "letter.yaml",
        Some("body"),
        "the text names 2011, a year of the previous edition's period",
    );
    let letter = fs::read_to_string(dir.path().join("data/2014/letter.yaml")).unwrap();
    let line = letter
        .lines()
        .position(|l| l.contains("in 2011 en 2012"))
        .unwrap()
        + 1;
    assert_eq!(body_year["line"].as_u64(), Some(line as u64));
    // A parliamentary year left at the previous one's.
    let letter = dir.path().join("data/2014/letter.yaml");
    let text = fs::read_to_string(&letter).unwrap();
    fs::write(
        &letter,
        text.replace("session: 2015–2016", "session: 2013–2014"),
    )
    .unwrap();
    let r = run(dir.path(), &["check", "data/2014"]);
    assert!(
        r.stderr
            .contains("warning: the parliamentary year 2013–2014 does not hold the letter's date 24 oktober 2015"),
        "{}",
        r.stderr
    );
    // The 2012 edition itself is not stale against 2010.
    let r = run(dir.path(), &["check", "data/2012", "--format", "json"]);
    let json: serde_json::Value = serde_json::from_str(&r.stdout).unwrap();
    assert_eq!(json["warnings"], 0, "{}", r.stdout);
}

#[test]
fn check_warns_on_dates_before_the_period_the_edition_or_the_letter() {
    let dir = tempfile::tempdir().unwrap();
    copy_dir(&root().join("data/2008"), &dir.path().join("data/2008"));
    copy_dir(&root().join("data/2010"), &dir.path().join("data/2010"));
    let r = run(dir.path(), &["new", "data/2012", "--from", "data/2010"]);
    assert_eq!(r.code, 0, "{}", r.stderr);
    let letter = dir.path().join("data/2012/letter.yaml");
    let text = fs::read_to_string(&letter).unwrap();
    let date = text
        .lines()
        .find(|l| l.starts_with("date: "))
        .unwrap()
        .to_string();
    // The letter left at the previous edition's date; the deadline too.
    let deadline = text
        .lines()
        .find(|l| l.trim_start().starts_with("deadline: "))
        .unwrap()
        .to_string();
    let text = text
        .replace(&date, "date: 2011-04-19")
        .replace(&deadline, "  deadline: 2011-01-01");
    fs::write(&letter, text).unwrap();
    let r = run(dir.path(), &["check", "data/2012"]);
    assert_eq!(r.code, 0, "{}", r.stderr);
    for message in [
        "warning: the date 19 april 2011 lies before 2012, the last year of the period",
        "warning: the letter is dated 19 april 2011, before the edition's date",
        "warning: the deadline 1 januari 2011 lies before the letter's date 19 april 2011",
    ] {
        assert!(r.stderr.contains(message), "{message:?} in\n{}", r.stderr);
    }
    assert!(r.stderr.contains("data/2012/letter.yaml:"), "{}", r.stderr);
}

#[test]
fn new_never_overwrites_and_refuses_a_broken_previous_edition() {
    let dir = started();
    let before = read(dir.path(), "data/2014/edition.yaml");
    let r = run(dir.path(), &["new", "data/2014", "--from", "data/2012"]);
    assert_eq!(r.code, 2, "{}", r.stderr);
    assert!(r.stderr.contains("data/2014 exists"), "{}", r.stderr);
    assert_eq!(read(dir.path(), "data/2014/edition.yaml"), before);
    // A file in the way is not overwritten either.
    fs::write(dir.path().join("data/file"), "keep").unwrap();
    let r = run(dir.path(), &["new", "data/file", "--from", "data/2012"]);
    assert_eq!(r.code, 2, "{}", r.stderr);
    assert_eq!(read(dir.path(), "data/file"), "keep");
    // A previous edition with errors: they are named, nothing is written.
    let units = dir.path().join("data/2012/units/groningen.yaml");
    let text = fs::read_to_string(&units).unwrap();
    fs::write(&units, text.replace("sturing: ", "sturing: 99 #")).unwrap();
    let r = run(dir.path(), &["new", "data/2016", "--from", "data/2012"]);
    assert_eq!(r.code, 1, "{}", r.stderr);
    assert!(r.stderr.contains("groningen.yaml"), "{}", r.stderr);
    assert!(!dir.path().join("data/2016").exists());
    let leftovers: Vec<_> = fs::read_dir(dir.path().join("data"))
        .unwrap()
        .filter_map(|e| e.ok())
        .filter(|e| e.file_name().to_string_lossy().starts_with('.'))
        .collect();
    assert!(leftovers.is_empty(), "{leftovers:?}");
}
