//! Never losing or hiding data: `fmt` keeps every comment and value (or
//! refuses), and the git diff driver shows a change of any field of any
//! file kind.

use std::fs;
use std::path::Path;

use korpsmonitor::data::canonical::{Outcome, canonicalise};
use korpsmonitor::data::model::{EditionFile, LetterFile, UnitFile};
use proptest::prelude::*;
use serde::Serialize;
use serde::de::DeserializeOwned;

use crate::support::{cases, mini, root, run};

fn fixture(rel: &str) -> String {
    fs::read_to_string(root().join("tests/fixtures/valid").join(rel)).unwrap()
}

/// The unit file with multi-line quoted scalars in it.
fn with_quoted(text: &str) -> String {
    text.replace(
        "findings: Goed toezicht.",
        "findings: \"Goed\n      toezicht, # geen commentaar\n      echt.\"",
    )
    .replace(
        "findings: Veel onderzoeken.",
        "findings: 'Veel\n\n      onderzoeken.'",
    )
}

fn value_of<T: DeserializeOwned + Serialize>(text: &str) -> Option<serde_json::Value> {
    let text = text
        .strip_prefix('\u{feff}')
        .unwrap_or(text)
        .replace("\r\n", "\n");
    let v: T = korpsmonitor::data::load::parse_yaml(Path::new("x.yaml"), &text).ok()?;
    serde_json::to_value(v).ok()
}

/// Checks the promise of `fmt` on one text: refused, or canonical with the
/// same data and every marker still there.
fn fmt_keeps<T: DeserializeOwned + Serialize>(
    text: &str,
    markers: &[String],
) -> Result<(), String> {
    match canonicalise::<T>(Path::new("x.yaml"), text) {
        Err(_) | Ok(Outcome::Canonical) => Ok(()),
        Ok(Outcome::Changed(new)) => {
            if value_of::<T>(text) != value_of::<T>(&new) {
                return Err(format!("a value changed:\n{text}\n---\n{new}"));
            }
            for m in markers {
                if text.contains(m.as_str()) && !new.contains(m.as_str()) {
                    return Err(format!("{m} was dropped:\n{text:?}\n---\n{new}"));
                }
            }
            Ok(())
        }
    }
}

#[test]
fn fmt_refuses_the_files_it_used_to_strip_of_comments() {
    let unit = fixture("mini/units/alfa.yaml");
    let cases = [
        ("after a byte-order mark", format!("\u{feff}# kop\n{unit}")),
        (
            "with CR line ends",
            format!("# kop\n{unit}").replace('\n', "\r\n"),
        ),
        (
            "after a multi-line quoted scalar",
            with_quoted(&unit).replace("recommendations:", "# let op\nrecommendations:"),
        ),
        (
            "at the end of a multi-line quoted scalar",
            with_quoted(&unit).replace("echt.\"", "echt.\" # let op"),
        ),
        (
            "BOM and CRLF together",
            format!("\u{feff}{unit}# slot\n").replace('\n', "\r\n"),
        ),
    ];
    for (what, text) in cases {
        let dir = mini(None);
        let path = dir.path().join("mini/units/alfa.yaml");
        fs::write(&path, &text).unwrap();
        let r = run(dir.path(), &["fmt", "mini"]);
        assert_eq!(r.code, 1, "{what}: {}{}", r.stdout, r.stderr);
        assert!(
            r.stderr.contains("this file has comments"),
            "{what}: {}",
            r.stderr
        );
        assert_eq!(
            fs::read_to_string(&path).unwrap(),
            text,
            "{what}: the file changed"
        );
    }
}

#[test]
fn fmt_rewrites_a_bom_and_crlf_file_without_comments_to_the_same_data() {
    let unit = fixture("mini/units/alfa.yaml");
    let text = format!("\u{feff}{}", with_quoted(&unit)).replace('\n', "\r\n");
    let Ok(Outcome::Changed(new)) = canonicalise::<UnitFile>(Path::new("a.yaml"), &text) else {
        panic!("not rewritten");
    };
    assert_eq!(value_of::<UnitFile>(&text), value_of::<UnitFile>(&new));
    assert!(new.contains("# geen commentaar"), "{new}");
}

/// A file kind's text with `# cN` comments put at the chosen places: on
/// their own line (indented 0 to 6 spaces) before line `i`, or after the
/// content of line `i`.
fn commented(text: &str, places: &[(usize, bool, usize)]) -> (String, Vec<String>) {
    let mut lines: Vec<String> = text.lines().map(str::to_string).collect();
    let mut markers = Vec::new();
    let mut places = places.to_vec();
    places.sort_by_key(|p| std::cmp::Reverse(p.0));
    places.dedup_by_key(|p| p.0);
    for (n, (i, own_line, indent)) in places.into_iter().enumerate() {
        let i = i % (lines.len() + 1);
        let marker = format!("c{n}q");
        if own_line || i == lines.len() {
            lines.insert(i, format!("{}# {marker}", " ".repeat(indent % 7)));
        } else {
            lines[i].push_str(&format!(" # {marker}"));
        }
        markers.push(marker);
    }
    (lines.join("\n") + "\n", markers)
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(cases(128)))]

    #[test]
    fn fmt_never_drops_a_comment_or_changes_a_value(
        kind in 0usize..3,
        places in proptest::collection::vec((0usize..200, any::<bool>(), 0usize..7), 1..6),
        bom in any::<bool>(),
        crlf in any::<bool>(),
        quoted in any::<bool>(),
    ) {
        let base = match kind {
            0 => fixture("mini/units/alfa.yaml"),
            1 => fixture("mini/edition.yaml"),
            _ => fixture("mini/letter.yaml"),
        };
        let base = if quoted { with_quoted(&base) } else { base };
        let (mut text, markers) = commented(&base, &places);
        if crlf {
            text = text.replace('\n', "\r\n");
        }
        if bom {
            text.insert(0, '\u{feff}');
        }
        let r = match kind {
            0 => fmt_keeps::<UnitFile>(&text, &markers),
            1 => fmt_keeps::<EditionFile>(&text, &markers),
            _ => fmt_keeps::<LetterFile>(&text, &markers),
        };
        prop_assert!(r.is_ok(), "{}", r.unwrap_err());
    }
}

// ----- the git diff driver -----

/// Every scalar's path in a YAML value, as a list of keys and indices.
fn leaves(
    v: &serde_yaml::Value,
    at: Vec<serde_yaml::Value>,
    out: &mut Vec<Vec<serde_yaml::Value>>,
) {
    match v {
        serde_yaml::Value::Mapping(m) => {
            for (k, x) in m {
                let mut p = at.clone();
                p.push(k.clone());
                leaves(x, p, out);
            }
        }
        serde_yaml::Value::Sequence(s) => {
            for (i, x) in s.iter().enumerate() {
                let mut p = at.clone();
                p.push(serde_yaml::Value::from(i as u64));
                leaves(x, p, out);
            }
        }
        _ => out.push(at),
    }
}

fn get_mut<'a>(
    v: &'a mut serde_yaml::Value,
    path: &[serde_yaml::Value],
) -> &'a mut serde_yaml::Value {
    let mut v = v;
    for k in path {
        v = match (v, k) {
            (serde_yaml::Value::Sequence(s), serde_yaml::Value::Number(n)) => {
                &mut s[n.as_u64().unwrap() as usize]
            }
            (serde_yaml::Value::Mapping(m), k) => m.get_mut(k).unwrap(),
            _ => unreachable!(),
        };
    }
    v
}

/// The mutated scalar and the text the diff must then show.
fn mutate(v: &mut serde_yaml::Value) -> String {
    match v.clone() {
        serde_yaml::Value::String(s) => {
            *v = serde_yaml::Value::String(format!("{s} ZQX"));
            "ZQX".into()
        }
        serde_yaml::Value::Number(_) => {
            *v = serde_yaml::Value::from(987u64);
            "987".into()
        }
        serde_yaml::Value::Bool(b) => {
            *v = serde_yaml::Value::Bool(!b);
            (!b).to_string()
        }
        _ => {
            *v = serde_yaml::Value::String("ZQX".into());
            "ZQX".into()
        }
    }
}

fn parses_as(kind: &str, text: &str) -> bool {
    let p = Path::new("x.yaml");
    match kind {
        "edition.yaml" => korpsmonitor::data::load::parse_yaml::<EditionFile>(p, text).is_ok(),
        "letter.yaml" => korpsmonitor::data::load::parse_yaml::<LetterFile>(p, text).is_ok(),
        _ => korpsmonitor::data::load::parse_yaml::<UnitFile>(p, text).is_ok(),
    }
}

fn driver(dir: &Path, repo_path: &str, old: &Path, new: &Path) -> crate::support::Run {
    run(
        dir,
        &[
            "git-diff-driver",
            repo_path,
            old.to_str().unwrap(),
            "0",
            "100644",
            new.to_str().unwrap(),
            "0",
            "100644",
        ],
    )
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(cases(64)))]

    #[test]
    fn the_git_diff_driver_shows_a_change_of_any_field(
        file in 0usize..5,
        pick in any::<prop::sample::Index>(),
    ) {
        let (rel, repo_path) = [
            ("mini/units/alfa.yaml", "data/2030/units/alfa.yaml"),
            ("mini/units/beta.yaml", "data/2030/units/beta.yaml"),
            ("mini/edition.yaml", "data/2030/edition.yaml"),
            ("mini/letter.yaml", "data/2030/letter.yaml"),
            ("mini-prev/units/alfa.yaml", "data/2028/units/alfa.yaml"),
        ][file];
        let text = fixture(rel);
        let mut value: serde_yaml::Value = serde_yaml::from_str(&text).unwrap();
        let mut paths = Vec::new();
        leaves(&value, Vec::new(), &mut paths);
        let path = pick.get(&paths).clone();
        let shown = mutate(get_mut(&mut value, &path));
        let new_text = serde_yaml::to_string(&value).unwrap();
        let kind = Path::new(repo_path).file_name().unwrap().to_str().unwrap().to_string();
        // A mutation the model cannot read (a verdict that is no verdict)
        // is not a change a reviewer could approve.
        prop_assume!(parses_as(&kind, &new_text));
        let dir = tempfile::tempdir().unwrap();
        let (old, new) = (dir.path().join("old.yaml"), dir.path().join("new.yaml"));
        fs::write(&old, &text).unwrap();
        fs::write(&new, &new_text).unwrap();
        let r = driver(dir.path(), repo_path, &old, &new);
        prop_assert_eq!(r.code, 0, "{}", r.stderr);
        prop_assert!(!r.stdout.contains("no semantic changes"), "{:?} changed, but:\n{}", path, r.stdout);
        prop_assert!(r.stdout.contains(&shown), "{:?} changed to {}, but:\n{}", path, shown, r.stdout);
    }
}

#[test]
fn the_git_diff_driver_shows_name_address_and_key_figures() {
    let dir = tempfile::tempdir().unwrap();
    let text = fixture("mini/units/alfa.yaml");
    let old = dir.path().join("old.yaml");
    let new = dir.path().join("new.yaml");
    fs::write(&old, &text).unwrap();
    fs::write(
        &new,
        text.replace("name: Alfa", "name: Alfa-Noord")
            .replace("    - Postbus 1\n", "    - Postbus 99\n")
            .replace("suspects: 10", "suspects: 11"),
    )
    .unwrap();
    let r = driver(dir.path(), "data/2030/units/alfa.yaml", &old, &new);
    assert_eq!(r.code, 0, "{}", r.stderr);
    for needle in [
        "name: Alfa -> Alfa-Noord",
        "manager.address: Postbus 1, 1000 AA Alfa -> Postbus 99, 1000 AA Alfa",
        "key_figures.suspects: 10 -> 11",
    ] {
        assert!(r.stdout.contains(needle), "no {needle:?} in\n{}", r.stdout);
    }
    let e = fixture("mini/edition.yaml");
    fs::write(&old, &e).unwrap();
    fs::write(&new, e.replace("max_points: 5", "max_points: 6")).unwrap();
    let r = driver(dir.path(), "data/2030/edition.yaml", &old, &new);
    assert!(
        r.stdout
            .contains("opsporing: indicator onderzoek maximum points: 5 -> 6"),
        "{}",
        r.stdout
    );
}

#[test]
fn diff_of_two_versions_of_an_edition_shows_every_changed_field() {
    let dir = mini(None);
    let git = |args: &[&str]| crate::support::git(dir.path(), args);
    git(&["init", "-q"]);
    git(&["add", "."]);
    git(&["commit", "-qm", "start"]);
    let unit = dir.path().join("mini/units/gamma.yaml");
    let text = fs::read_to_string(&unit).unwrap();
    fs::write(&unit, text.replace("name: Gamma", "name: Gamma-Zuid")).unwrap();
    let edition = dir.path().join("mini/edition.yaml");
    let text = fs::read_to_string(&edition).unwrap();
    fs::write(
        &edition,
        text.replace("publisher: Testdienst", "publisher: Andere dienst"),
    )
    .unwrap();
    let r = run(dir.path(), &["diff", "mini", "--rev", "HEAD"]);
    assert_eq!(r.code, 0, "{}", r.stderr);
    assert!(!r.stdout.contains("no semantic changes"), "{}", r.stdout);
    assert!(
        r.stdout.contains("name: Gamma -> Gamma-Zuid"),
        "{}",
        r.stdout
    );
    assert!(
        r.stdout
            .contains("edition.yaml: publisher: Testdienst -> Andere dienst"),
        "{}",
        r.stdout
    );
    // A copy of the same edition compares the same way.
    crate::support::copy_dir(&dir.path().join("mini"), &dir.path().join("kopie"));
    let unit = dir.path().join("kopie/units/alfa.yaml");
    let text = fs::read_to_string(&unit).unwrap();
    fs::write(&unit, text.replace("victims: 12", "victims: 13")).unwrap();
    let r = run(dir.path(), &["diff", "mini", "kopie"]);
    assert!(
        r.stdout.contains("key_figures.victims: 12 -> 13"),
        "{}",
        r.stdout
    );
}

#[test]
fn diff_rev_shows_a_chapter_change_and_names_a_revision_that_is_no_commit() {
    let dir = mini(None);
    let git = |args: &[&str]| crate::support::git(dir.path(), args);
    git(&["init", "-q"]);
    git(&["add", "."]);
    git(&["commit", "-qm", "start"]);
    let chapter = dir.path().join("mini/chapters/inleiding.txt");
    let text = fs::read_to_string(&chapter).unwrap();
    fs::write(&chapter, text.replace("testuitgave", "proefuitgave")).unwrap();
    let r = run(dir.path(), &["diff", "mini", "--rev", "HEAD"]);
    assert_eq!(r.code, 0, "{}", r.stderr);
    assert!(
        r.stdout.contains(
            "chapter inleiding, line 1: Dit is een [-*testuitgave*.-]{+*proefuitgave*.+}"
        ),
        "{}",
        r.stdout
    );
    for rev in ["HEAD~1000", "HEAD^{tree}", "nope"] {
        let r = run(dir.path(), &["diff", "mini", "--rev", rev]);
        assert_eq!(r.code, 2, "{rev}: {}", r.stderr);
        assert!(
            r.stderr
                .contains(&format!("the revision {rev:?} names no commit")),
            "{rev}: {}",
            r.stderr
        );
    }
}

#[test]
fn diff_rev_names_files_of_the_revision_and_refuses_a_previous_edition_outside_the_repository() {
    let dir = mini(None);
    let git = |args: &[&str]| crate::support::git(dir.path(), args);
    git(&["init", "-q"]);
    let edition = dir.path().join("mini/edition.yaml");
    let good = fs::read_to_string(&edition).unwrap();
    let unit = dir.path().join("mini/units/alfa.yaml");
    let unit_text = fs::read_to_string(&unit).unwrap();
    // A broken unit file at the revision is named as git names it, not by
    // the temporary copy.
    fs::write(&unit, unit_text.replace("suspects: 10", "suspects: tien")).unwrap();
    git(&["add", "."]);
    git(&["commit", "-qm", "broken"]);
    fs::write(&unit, &unit_text).unwrap();
    let r = run(dir.path(), &["diff", "mini", "--rev", "HEAD"]);
    assert_eq!(r.code, 1, "{}", r.stderr);
    assert!(
        r.stderr.contains("HEAD:mini/units/alfa.yaml:"),
        "{}",
        r.stderr
    );
    assert!(!r.stderr.contains("/tmp"), "{}", r.stderr);
    // The copy of a revision lies in the shared temporary folder: a
    // previous edition above the repository would be looked for there.
    for prev in ["../..", "../../elders", "/etc"] {
        fs::write(
            &edition,
            good.replace("previous: ../mini-prev", &format!("previous: {prev}")),
        )
        .unwrap();
        git(&["commit", "-qam", prev]);
        fs::write(&edition, &good).unwrap();
        let r = run(dir.path(), &["diff", "mini", "--rev", "HEAD"]);
        assert_eq!(r.code, 2, "{prev}: {}", r.stderr);
        assert!(
            r.stderr.contains(&format!(
                "HEAD:mini/edition.yaml names the previous edition {prev:?}, outside the repository"
            )),
            "{prev}: {}",
            r.stderr
        );
    }
}
