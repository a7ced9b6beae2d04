//! Every kind of change a reviewer must see shows in all three places:
//! `diff --rev`, `git diff` through the driver (set up by `git-setup`, in
//! a repository that holds only data) and the report's changes annex.

use std::fs;
use std::path::Path;

use proptest::prelude::*;
use proptest::test_runner::{Config, TestRunner};

use crate::support::{cases, copy_dir, git, root, run};

/// A data-only repository holding `mini` and `mini-prev`, committed, with
/// the driver set up; `None` when git is missing.
fn repository() -> Option<tempfile::TempDir> {
    if std::process::Command::new("git")
        .arg("--version")
        .output()
        .is_err()
    {
        eprintln!("skipped: git not found");
        return None;
    }
    let dir = tempfile::tempdir().unwrap();
    let fixtures = root().join("tests/fixtures/valid");
    copy_dir(&fixtures.join("mini"), &dir.path().join("mini"));
    copy_dir(&fixtures.join("mini-prev"), &dir.path().join("mini-prev"));
    git(dir.path(), &["init", "-q"]);
    git(dir.path(), &["add", "-A"]);
    git(dir.path(), &["commit", "-qm", "eerste versie"]);
    let r = run(dir.path(), &["git-setup"]);
    assert_eq!(r.code, 0, "{}", r.stderr);
    Some(dir)
}

fn edit(dir: &Path, rel: &str, from: &str, to: &str) {
    let p = dir.join(rel);
    let text = fs::read_to_string(&p).unwrap();
    assert!(text.contains(from), "{rel} has no {from:?}");
    fs::write(&p, text.replacen(from, to, 1)).unwrap();
}

/// The text (folded) of the report built with the changes annex since
/// HEAD, with `extra` arguments.
fn report_with_annex(dir: &Path, extra: &[&str]) -> String {
    let mut args = vec![
        "build",
        "mini",
        "--only",
        "report",
        "--changes-since",
        "HEAD",
    ];
    args.extend_from_slice(extra);
    let b = run(dir, &args);
    assert_eq!(b.code, 0, "{}", b.stderr);
    // A bold label and its colon may come out of the PDF apart.
    crate::pdf::fold(&crate::pdf::text(
        &dir.join("output/2030/korpsmonitor-2030.pdf"),
    ))
    .replace(" :", ":")
}

/// What the three places show of the working tree against HEAD: the
/// `diff --rev` text, the `git diff` text and the annex's text (folded).
fn shown(dir: &Path) -> (String, String, String) {
    let d = run(dir, &["diff", "mini", "--rev", "HEAD"]);
    assert_eq!(d.code, 0, "{}", d.stderr);
    let driver = git(dir, &["diff"]);
    let text = report_with_annex(dir, &["--changes-label", "de versie van de proef"]);
    let annex = text
        .rsplit_once("Wijzigingen ten opzichte van de versie van de proef")
        .map(|(_, a)| a.to_string())
        .unwrap_or_else(|| panic!("no annex in {text}"));
    (d.stdout, driver, annex)
}

#[test]
fn each_kind_of_change_shows_in_diff_driver_and_annex() {
    let Some(repo) = repository() else { return };
    let dir = repo.path();
    // (file, from, to, in diff and driver, in the annex)
    let kinds: &[(&str, &str, &str, &str, &str)] = &[
        (
            "mini/edition.yaml",
            "conform_norm: 70",
            "conform_norm: 85",
            "toezicht: threshold conform norm: 70% -> 85%",
            "Toezicht: drempel conform norm: 70% → 85%",
        ),
        (
            "mini/edition.yaml",
            "weight: 1.5",
            "weight: 2",
            "opsporing: weight: 1.5 -> 2",
            "Opsporing: gewicht: 1,5 → 2",
        ),
        (
            "mini/edition.yaml",
            "max_points: 5",
            "max_points: 6",
            "opsporing: indicator onderzoek maximum points: 5 -> 6",
            "Opsporing: maximum punten van indicator onderzoek: 5 → 6",
        ),
        (
            "mini/edition.yaml",
            "    name: Opsporing\n",
            "    name: Opsporing en vervolging\n",
            "opsporing: name: Opsporing -> Opsporing en vervolging",
            "Opsporing en vervolging: naam: Opsporing → Opsporing en vervolging",
        ),
        (
            "mini/units/alfa.yaml",
            "  - Houd dit vast.",
            "  - Houd dit goed vast.",
            "recommendation added: Houd dit goed vast.",
            "Aanbeveling toegevoegd: Houd dit goed vast.",
        ),
        (
            "mini/chapters/inleiding.txt",
            "Dit is een *testuitgave*.",
            "Dit is een *proefuitgave*.",
            "chapter inleiding, line 1",
            "Hoofdstuk Inleiding Gewijzigde passage: Dit is een [",
        ),
        (
            "mini/units/alfa.yaml",
            "suspects: 10",
            "suspects: 11",
            "key_figures.suspects: 10 -> 11",
            "Kerncijfers, verdachten: 10 → 11",
        ),
        (
            "mini/units/beta.yaml",
            "  name: De burgemeester van Beta",
            "  name: De waarnemend burgemeester van Beta",
            "manager.name: De burgemeester van Beta -> De waarnemend burgemeester van Beta",
            "Korpsbeheerder, naam: De burgemeester van Beta → De waarnemend burgemeester van Beta",
        ),
    ];
    for (file, from, to, needle, dutch) in kinds {
        edit(dir, file, from, to);
        let (d, driver, annex) = shown(dir);
        assert!(d.contains(needle), "diff lacks {needle:?}:\n{d}");
        // The driver shows a chapter's text file as git does (it is not
        // YAML); every YAML change by its meaning.
        let in_driver = if file.ends_with(".txt") {
            "proefuitgave"
        } else {
            needle
        };
        assert!(
            driver.contains(in_driver),
            "driver lacks {in_driver:?}:\n{driver}"
        );
        assert!(annex.contains(dutch), "annex lacks {dutch:?}:\n{annex}");
        git(dir, &["checkout", "--", "."]);
    }
}

#[test]
fn a_verdict_moved_by_the_method_says_so_with_the_old_verdict() {
    let Some(repo) = repository() else { return };
    let dir = repo.path();
    // Alfa's toezicht scores 83.3%: conform norm at 70%, aandacht at 85%.
    edit(
        dir,
        "mini/edition.yaml",
        "conform_norm: 70",
        "conform_norm: 85",
    );
    let (d, _, annex) = shown(dir);
    assert!(
        d.contains("toezicht: conform norm (83,3%) -> aandacht (83,3%)")
            && d.contains("the old method would give these points: conform norm (the change is the method's, not the points')"),
        "{d}"
    );
    assert!(
        annex.contains("met de oude methode gaven dezelfde punten conform norm: het oordeel is veranderd door de wijziging van de methode, niet door de punten"),
        "{annex}"
    );
    let json = run(dir, &["diff", "mini", "--rev", "HEAD", "--format", "json"]);
    let v: serde_json::Value = serde_json::from_str(&json.stdout).unwrap();
    assert_eq!(v["method"][0]["what"], "toezicht: threshold conform norm");
    assert_eq!(
        v["units"][0]["dimensions"][0]["old_method_verdict"],
        "conform norm"
    );
}

#[test]
fn an_annex_without_changes_says_so_and_names_the_version_by_its_date() {
    let Some(repo) = repository() else { return };
    let dir = repo.path();
    let text = report_with_annex(dir, &[]);
    assert!(text.contains("Er zijn geen wijzigingen."), "{text}");
    assert!(!text.contains("HEAD"), "{text}");
    let date = git(dir, &["log", "-1", "--format=%cs"]);
    let (y, rest) = date.trim().split_once('-').unwrap();
    let day: u32 = rest.split('-').nth(1).unwrap().parse().unwrap();
    assert!(
        text.contains(&format!("ten opzichte van de versie van {day} ")) && text.contains(y),
        "{text}"
    );
}

#[test]
fn long_texts_are_diffed_by_word_and_rewritten_ones_replaced_whole() {
    let Some(repo) = repository() else { return };
    let dir = repo.path();
    let long = "Het korps heeft het toezicht op de vergunde branche goed geregeld en controleert volgens plan.";
    edit(
        dir,
        "mini/units/alfa.yaml",
        "findings: Goed toezicht.",
        &format!("findings: {long}"),
    );
    git(dir, &["commit", "-qam", "lang"]);
    // One word changed: only that word is marked.
    edit(
        dir,
        "mini/units/alfa.yaml",
        "volgens plan",
        "volgens het jaarplan",
    );
    let d = run(dir, &["diff", "mini", "--rev", "HEAD"]);
    assert!(
        d.stdout
            .contains("goed geregeld en controleert volgens [-plan.-]{+het jaarplan.+}"),
        "{}",
        d.stdout
    );
    // Rewritten: the old text out, the new text in, no word soup.
    git(dir, &["checkout", "--", "."]);
    edit(
        dir,
        "mini/units/alfa.yaml",
        long,
        "Er is geen zicht op illegale prostitutie in hotels en via internet.",
    );
    let d = run(dir, &["diff", "mini", "--rev", "HEAD"]);
    assert!(
        d.stdout
            .contains(&format!("[-{long}-] {{+Er is geen zicht")),
        "{}",
        d.stdout
    );
}

/// The text fields of a YAML value that a mutation may change without
/// making the edition invalid, by path.
fn text_fields(v: &serde_yaml::Value, path: String, out: &mut Vec<String>) {
    const FIXED: &[&str] = &[
        "id",
        "group",
        "status",
        "assessment",
        "rating",
        "previous",
        "file",
        "units",
        "date",
        "deadline",
        "abbreviation",
        "short",
        "addressed_to",
        "partners",
        "year",
        "illustrative",
        "headline",
        "kenmerk",
        "signatory",
    ];
    match v {
        serde_yaml::Value::Mapping(m) => {
            for (k, v) in m {
                let Some(k) = k.as_str() else { continue };
                if FIXED.contains(&k) {
                    continue;
                }
                text_fields(v, format!("{path}/{k}"), out);
            }
        }
        serde_yaml::Value::Sequence(s) => {
            for (i, v) in s.iter().enumerate() {
                text_fields(v, format!("{path}/{i}"), out);
            }
        }
        serde_yaml::Value::String(s) if s.split_whitespace().count() >= 2 => out.push(path),
        _ => {}
    }
}

fn mutate(v: &mut serde_yaml::Value, path: &str) {
    let mut at = v;
    for seg in path.split('/').filter(|s| !s.is_empty()) {
        at = match at {
            serde_yaml::Value::Mapping(m) => m.get_mut(seg).unwrap(),
            serde_yaml::Value::Sequence(s) => &mut s[seg.parse::<usize>().unwrap()],
            _ => unreachable!(),
        };
    }
    if let serde_yaml::Value::String(s) = at {
        s.push_str(" Zorgvuldig");
    }
}

#[test]
fn any_text_changed_in_any_file_shows_in_all_three() {
    let Some(repo) = repository() else { return };
    let dir = repo.path().to_path_buf();
    let files = [
        "mini/edition.yaml",
        "mini/letter.yaml",
        "mini/units/alfa.yaml",
        "mini/units/beta.yaml",
    ];
    let mut targets = Vec::new();
    for f in files {
        let v: serde_yaml::Value =
            serde_yaml::from_str(&fs::read_to_string(dir.join(f)).unwrap()).unwrap();
        let mut paths = Vec::new();
        text_fields(&v, String::new(), &mut paths);
        targets.extend(paths.into_iter().map(|p| (f, p)));
    }
    let checked = std::cell::Cell::new(0);
    let mut runner = TestRunner::new(Config {
        cases: cases(4),
        failure_persistence: None,
        ..Config::default()
    });
    runner
        .run(&prop::sample::select(targets), |(file, path)| {
            let p = dir.join(file);
            let mut v: serde_yaml::Value =
                serde_yaml::from_str(&fs::read_to_string(&p).unwrap()).unwrap();
            mutate(&mut v, &path);
            fs::write(&p, serde_yaml::to_string(&v).unwrap()).unwrap();
            if run(&dir, &["check", "mini"]).code != 0 {
                git(&dir, &["checkout", "--", "."]);
                return Ok(());
            }
            checked.set(checked.get() + 1);
            let (d, driver, annex) = shown(&dir);
            git(&dir, &["checkout", "--", "."]);
            prop_assert!(d.contains("Zorgvuldig"), "{file} {path}: diff\n{d}");
            prop_assert!(
                driver.contains("Zorgvuldig"),
                "{file} {path}: driver\n{driver}"
            );
            prop_assert!(
                annex.contains("Zorgvuldig"),
                "{file} {path}: annex\n{annex}"
            );
            Ok(())
        })
        .unwrap();
    assert!(checked.get() > 0, "no mutated edition passed check");
}
