//! Reviewers: canonical YAML (`fmt`) and the semantic diff (`diff`).

use std::fs;

use crate::support::{copy_dir, mini, root, run};

#[test]
fn the_repository_data_is_canonical() {
    for edition in ["data/2008", "data/2010", "data/2012"] {
        let r = run(&root(), &["fmt", "--check", edition]);
        assert_eq!(r.code, 0, "{edition}: {}{}", r.stdout, r.stderr);
    }
}

#[test]
fn fmt_round_trips_without_loss_and_is_idempotent() {
    let dir = mini(None);
    let before = run(dir.path(), &["summary", "mini", "--format", "json"]).stdout;
    // A messy but equivalent unit file: flow style, other key order.
    fs::write(
        dir.path().join("mini/units/gamma.yaml"),
        "{key_figures: {victims: 1, suspects: 5, case_files: 2}, name: Gamma, id: gamma, group: diensten,\n manager: {name: De chef van Gamma, title: Dienst Gamma, address: [Postbus 3, 3000 CC Gamma]},\n dimensions: {opsporing: {points: {onderzoek: 3}}, toezicht: {points: {controle: n.v.t., vergunning: nvt}}}}\n",
    )
    .unwrap();
    let r = run(dir.path(), &["fmt", "--check", "mini"]);
    assert_eq!(r.code, 1);
    assert!(
        r.stdout.contains("not canonical: mini/units/gamma.yaml"),
        "{}",
        r.stdout
    );
    let r = run(dir.path(), &["fmt", "mini"]);
    assert_eq!(r.code, 0, "{}", r.stderr);
    let r = run(dir.path(), &["fmt", "--check", "mini"]);
    assert_eq!(r.code, 0, "{}{}", r.stdout, r.stderr);
    let once: Vec<Vec<u8>> = ["edition.yaml", "units/gamma.yaml", "letter.yaml"]
        .iter()
        .map(|f| fs::read(dir.path().join("mini").join(f)).unwrap())
        .collect();
    let r = run(dir.path(), &["fmt", "mini"]);
    assert_eq!(r.code, 0);
    assert!(
        !r.stdout.contains("formatted"),
        "second run changed files: {}",
        r.stdout
    );
    let twice: Vec<Vec<u8>> = ["edition.yaml", "units/gamma.yaml", "letter.yaml"]
        .iter()
        .map(|f| fs::read(dir.path().join("mini").join(f)).unwrap())
        .collect();
    assert_eq!(once, twice);
    let after = run(dir.path(), &["summary", "mini", "--format", "json"]).stdout;
    assert_eq!(before, after, "the loaded data changed");
    let gamma = fs::read_to_string(dir.path().join("mini/units/gamma.yaml")).unwrap();
    assert!(
        gamma.starts_with("id: gamma\nname: Gamma\ngroup: diensten\n"),
        "{gamma}"
    );
}

#[test]
fn fmt_refuses_files_with_comments() {
    let dir = mini(None);
    let path = dir.path().join("mini/units/alfa.yaml");
    let text = fs::read_to_string(&path)
        .unwrap()
        .replace("name: Alfa", "name: Alfa # de eerste");
    fs::write(&path, &text).unwrap();
    let r = run(dir.path(), &["fmt", "mini"]);
    assert_eq!(r.code, 1);
    assert!(
        r.stderr.contains("mini/units/alfa.yaml:2:12"),
        "{}",
        r.stderr
    );
    assert!(r.stderr.contains("has comments"), "{}", r.stderr);
    assert_eq!(fs::read_to_string(&path).unwrap(), text, "left unchanged");
}

#[test]
fn diff_2008_2010_lists_the_improved_units_and_ijsselland() {
    let r = run(&root(), &["diff", "data/2008", "data/2010"]);
    assert_eq!(r.code, 0, "{}", r.stderr);
    let units: Vec<&str> = r
        .stdout
        .lines()
        .skip(2)
        .take_while(|l| !l.starts_with("New units"))
        .filter(|l| !l.is_empty() && !l.starts_with(' ') && *l != "Method")
        .collect();
    // 2008 published verdicts; 2010 scores points: the method section
    // says so once, not indicator by indicator.
    assert!(
        r.stdout
            .contains("Method\n  assessment: publishedverdicts -> points\n\n"),
        "{}",
        r.stdout
    );
    let mut expected = vec![
        "Friesland",
        "IJsselland",
        "Utrecht",
        "Zaanstreek-Waterland",
        "Kennemerland",
        "Gooi en Vechtstreek",
        "Haaglanden",
        "Zuid-Holland-Zuid",
        "Zeeland",
        "Midden- en West-Brabant",
        "Limburg-Noord",
        "Flevoland",
    ];
    let mut got = units.clone();
    got.sort();
    expected.sort();
    assert_eq!(got, expected, "{}", r.stdout);
    assert!(
        r.stdout
            .contains("  verdict: conform norm -> onvoldoende (50,5%)"),
        "{}",
        r.stdout
    );
    assert!(r.stdout.contains("Fell back: IJsselland\n"));
    assert!(r.stdout.contains("New units: KLPD, KMar\n"));
    for f in [
        "conform norm (regiokorpsen): 6 -> 12",
        "aandacht (regiokorpsen): 14 -> 9",
        "onvoldoende (regiokorpsen): 5 -> 4",
        "suspects identified: 239 -> 337",
        "case files delivered to the OM: 133 -> 207",
    ] {
        assert!(r.stdout.contains(f), "missing {f:?}");
    }
}

#[test]
fn one_edited_word_is_the_only_change() {
    let dir = mini(None);
    copy_dir(&dir.path().join("mini"), &dir.path().join("mini2"));
    let path = dir.path().join("mini2/units/alfa.yaml");
    let text = fs::read_to_string(&path)
        .unwrap()
        .replace("Veel onderzoeken.", "Weinig onderzoeken.");
    fs::write(&path, text).unwrap();
    let r = run(dir.path(), &["diff", "mini", "mini2"]);
    assert_eq!(r.code, 0, "{}", r.stderr);
    insta::assert_snapshot!(r.stdout);
    assert_eq!(
        r.stdout,
        "Changes from mini to mini2\n\nAlfa\n  findings opsporing: [-Veel-]{+Weinig+} onderzoeken.\n\n"
    );
    let r = run(dir.path(), &["diff", "mini", "mini2", "--format", "json"]);
    let v: serde_json::Value = serde_json::from_str(&r.stdout).unwrap();
    assert_eq!(v["units"].as_array().unwrap().len(), 1);
    assert_eq!(v["figures"].as_array().unwrap().len(), 0);
    let r = run(
        dir.path(),
        &["diff", "mini", "mini2", "--format", "markdown"],
    );
    assert!(r.stdout.contains("### Alfa"), "{}", r.stdout);
    assert!(r.stdout.contains("~~Veel~~**Weinig**"), "{}", r.stdout);
    let r = run(dir.path(), &["diff", "mini", "mini"]);
    assert_eq!(r.stdout, "no semantic changes\n");
}

#[test]
fn a_flipped_verdict_shows_points_verdicts_and_figures() {
    let dir = mini(None);
    copy_dir(&dir.path().join("mini"), &dir.path().join("mini2"));
    let path = dir.path().join("mini2/units/beta.yaml");
    let text = fs::read_to_string(&path)
        .unwrap()
        .replace("onderzoek: 1", "onderzoek: 5");
    fs::write(&path, text).unwrap();
    let r = run(dir.path(), &["diff", "mini", "mini2"]);
    assert_eq!(r.code, 0, "{}", r.stderr);
    for needle in [
        "  verdict: onvoldoende (32,0%) -> conform norm (80,0%)",
        "  opsporing: aandacht (20,0%) -> aandacht (100,0%)",
        "  points opsporing.onderzoek: 1 -> 5",
        "  conform norm (korpsen): 1 -> 2",
        "  onvoldoende (korpsen): 1 -> 0",
    ] {
        assert!(
            r.stdout.contains(needle),
            "missing {needle:?} in\n{}",
            r.stdout
        );
    }
}

#[test]
fn diff_against_a_git_revision() {
    let dir = mini(None);
    let git = |args: &[&str]| crate::support::git(dir.path(), args);
    git(&["init", "-q"]);
    git(&["add", "."]);
    git(&[
        "-c",
        "user.name=t",
        "-c",
        "user.email=t@t",
        "commit",
        "-qm",
        "start",
    ]);
    let path = dir.path().join("mini/units/alfa.yaml");
    let text = fs::read_to_string(&path)
        .unwrap()
        .replace("Goed toezicht.", "Goed en streng toezicht.");
    fs::write(&path, text).unwrap();
    let r = run(dir.path(), &["diff", "mini", "--rev", "HEAD"]);
    assert_eq!(r.code, 0, "{}", r.stderr);
    assert!(
        r.stdout
            .contains("findings toezicht: Goed {+en streng +}toezicht."),
        "{}",
        r.stdout
    );
    let r = run(dir.path(), &["diff", "mini", "mini", "--rev", "HEAD"]);
    assert_eq!(r.code, 2);
}

#[test]
fn git_diff_shows_the_semantic_diff_of_a_unit_file() {
    let dir = mini(None);
    let git = |args: &[&str]| crate::support::git(dir.path(), args);
    git(&["init", "-q"]);
    fs::write(
        dir.path().join(".gitattributes"),
        "*/units/*.yaml diff=korpsmonitor\n",
    )
    .unwrap();
    let driver = format!("{} git-diff-driver", env!("CARGO_BIN_EXE_korpsmonitor"));
    git(&["config", "diff.korpsmonitor.command", &driver]);
    git(&["add", "."]);
    git(&["commit", "-qm", "start"]);
    let path = dir.path().join("mini/units/alfa.yaml");
    let text = fs::read_to_string(&path)
        .unwrap()
        .replace("controle: 4", "controle: 3")
        .replace("Goed toezicht.", "Redelijk toezicht.");
    fs::write(&path, text).unwrap();
    let out = git(&["diff"]);
    assert!(out.contains("points toezicht.controle: 4 -> 3"), "{out}");
    assert!(
        out.contains("findings toezicht: [-Goed-]{+Redelijk+} toezicht."),
        "{out}"
    );
}

#[test]
fn the_changes_annex_shows_the_changes_in_the_pdf() {
    let dir = mini(None);
    let git = |args: &[&str]| crate::support::git(dir.path(), args);
    git(&["init", "-q"]);
    git(&["add", "."]);
    git(&["commit", "-qm", "start"]);
    let path = dir.path().join("mini/units/beta.yaml");
    let text = fs::read_to_string(&path)
        .unwrap()
        .replace("Matig toezicht.", "Wisselend toezicht.")
        .replace("onderzoek: 1", "onderzoek: 5");
    fs::write(&path, text).unwrap();
    let r = run(
        dir.path(),
        &[
            "build",
            "mini",
            "--only",
            "report",
            "--changes-since",
            "HEAD",
        ],
    );
    assert_eq!(r.code, 0, "{}", r.stderr);
    let text = crate::pdf::text(&dir.path().join("output/2030/korpsmonitor-2030.pdf"));
    for needle in [
        "Wijzigingen ten opzichte van de versie van",
        "Totaaloordeel: onvoldoende (32,0%) → conform norm (80,0%)",
        "Punten Opsporing, indicator 2.1: 1 → 5",
        "[−Matig][+Wisselend] toezicht.",
        "Conform norm (korpsen): 1 → 2",
    ] {
        // Runs of different weight are extracted with a space between.
        let squash = |s: &str| s.split_whitespace().collect::<String>();
        assert!(
            squash(&text).contains(&squash(needle)),
            "missing {needle:?} in\n{text}"
        );
    }
}
