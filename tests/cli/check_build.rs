//! What `check` passes, `build` builds: generated editions with careless
//! values (blank, invisible or very long texts, impossible dates, absurd
//! numbers) either fail `check` or build every document; and a build that
//! has nothing to do says so.

use std::fs;
use std::path::Path;

use proptest::prelude::*;
use proptest::test_runner::{Config, TestRunner};

use crate::support::{cases, mini, run};

/// A YAML double-quoted string holding exactly `text`.
fn quoted(text: &str) -> String {
    serde_json::to_string(text).unwrap()
}

/// Texts an editor might type: words, blanks and invisible characters,
/// names and words around the longest check allows, and words longer than
/// a PDF string can carry.
fn careless_text() -> impl Strategy<Value = String> {
    prop_oneof![
        60 => "[A-Za-zÀ-ÿ][A-Za-zÀ-ÿ ,.'-]{0,40}",
        1 => Just(String::new()),
        1 => prop::sample::select(vec!["Al\u{7}fa", "x\u{0}", "\u{1b}[0m", "a\u{85}b", "\u{ffff}"])
            .prop_map(str::to_string),
        1 => prop::sample::select(vec![" ", "\u{200b}", "\u{00a0}\u{2060}", "\t", "\u{feff}"])
            .prop_map(str::to_string),
        2 => (490usize..=510).prop_map(|n| "woordje ".repeat(n / 8 + 1)[..n].to_string()),
        2 => (990usize..=1010).prop_map(|n| "x".repeat(n)),
        1 => (20_000usize..40_000).prop_map(|n| "x".repeat(n)),
    ]
}

/// A date as an editor might write it: sometimes impossible.
fn careless_date() -> impl Strategy<Value = String> {
    prop_oneof![
        40 => (1u32..=9999, 1u32..=12, 1u32..=28)
            .prop_map(|(y, m, d)| format!("{y:04}-{m:02}-{d:02}")),
        1 => (0u32..100_000, 0u32..14, 0u32..33)
            .prop_map(|(y, m, d)| format!("{y:04}-{m:02}-{d:02}")),
        1 => (1u32..=28, 1u32..=12, 1990u32..2040)
            .prop_map(|(d, m, y)| format!("{d:02}-{m:02}-{y}")),
    ]
}

/// A number as an editor might write it: mostly from `valid`, sometimes
/// absurd.
fn careless_number(valid: std::ops::RangeInclusive<u64>) -> impl Strategy<Value = String> {
    prop_oneof![
        40 => valid.prop_map(|n| n.to_string()),
        1 => (95u64..=105).prop_map(|n| n.to_string()),
        1 => (0u64..u64::MAX).prop_map(|n| n.to_string()),
        1 => Just("nvt".to_string()),
        1 => Just("4.0".to_string()),
        1 => Just("-1".to_string()),
    ]
}

#[derive(Debug, Clone)]
struct Edition {
    title: String,
    chapter_title: String,
    unit_name: String,
    findings: String,
    date: String,
    deadline: String,
    max_points: String,
    points: String,
    gamma_points: String,
    weight: String,
    /// Chain partners besides the OM, each rated by alfa, and the length
    /// of their names.
    partners: (usize, usize),
    /// Extra keywords.
    keywords: usize,
}

fn edition() -> impl Strategy<Value = Edition> {
    (
        (
            careless_text(),
            careless_text(),
            careless_text(),
            careless_text(),
        ),
        (careless_date(), careless_date()),
        (
            careless_number(4..=8),
            careless_number(0..=4),
            careless_number(0..=5),
        ),
        prop_oneof![
            10 => Just("1".to_string()),
            10 => Just("2.5".to_string()),
            1 => Just("100".to_string()),
            1 => (0u64..u64::MAX).prop_map(|n| n.to_string()),
        ],
        // Sizes around the limits of the PDF export: the chart of the
        // partners' ratings on one page, the keywords in one PDF string.
        (
            prop_oneof![
                10 => (0usize..=3, 5usize..=30),
                2 => (13usize..=16, 110usize..=130),
                1 => (400usize..=700, 5usize..=40),
            ],
            prop_oneof![10 => 0usize..=3, 1 => 100usize..=2_000],
        ),
    )
        .prop_map(
            |(
                (title, chapter_title, unit_name, findings),
                (date, deadline),
                (max_points, points, gamma_points),
                weight,
                (partners, keywords),
            )| Edition {
                title,
                chapter_title,
                unit_name,
                findings,
                date,
                deadline,
                max_points,
                points,
                gamma_points,
                weight,
                partners,
                keywords,
            },
        )
}

fn replace(path: &Path, from: &str, to: &str) {
    let text = fs::read_to_string(path).unwrap();
    assert!(text.contains(from), "{from:?} in {}", path.display());
    fs::write(path, text.replacen(from, to, 1)).unwrap();
}

fn write(root: &Path, e: &Edition) {
    let mini = root.join("mini");
    let edition = mini.join("edition.yaml");
    replace(
        &edition,
        "title: Korpsmonitor testuitgave 2030",
        &format!("title: {}", quoted(&e.title)),
    );
    replace(
        &edition,
        "    title: Inleiding",
        &format!("    title: {}", quoted(&e.chapter_title)),
    );
    replace(&edition, "date: 2031-07-06", &format!("date: {}", e.date));
    replace(
        &edition,
        "max_points: 4",
        &format!("max_points: {}", e.max_points),
    );
    replace(&edition, "weight: 1.5", &format!("weight: {}", e.weight));
    let (partners, name_chars) = e.partners;
    let name = |i: usize| {
        let base = format!("Ketenpartner {i} ");
        base.clone() + &"x".repeat(name_chars.saturating_sub(base.len()))
    };
    let listed: String = (0..partners)
        .map(|i| format!("  - id: p{i}\n    name: {}\n", name(i)))
        .collect();
    replace(
        &edition,
        "    abbreviation: OM\n",
        &format!("    abbreviation: OM\n{listed}"),
    );
    let keywords: String = (0..e.keywords)
        .map(|i| format!("  - trefwoord {i} over mensenhandel\n"))
        .collect();
    replace(
        &edition,
        "keywords:\n  - test\n",
        &format!("keywords:\n  - test\n{keywords}"),
    );
    let alfa = mini.join("units/alfa.yaml");
    replace(
        &alfa,
        "name: Alfa",
        &format!("name: {}", quoted(&e.unit_name)),
    );
    replace(
        &alfa,
        "findings: Goed toezicht.",
        &format!("findings: {}", quoted(&e.findings)),
    );
    replace(&alfa, "controle: 4", &format!("controle: {}", e.points));
    let rated: String = (0..partners)
        .map(|i| format!("  p{i}:\n    rating: matig\n    remark: Redelijk.\n"))
        .collect();
    replace(&alfa, "partners:\n", &format!("partners:\n{rated}"));
    replace(
        &mini.join("units/gamma.yaml"),
        "onderzoek: 3",
        &format!("onderzoek: {}", e.gamma_points),
    );
    replace(
        &mini.join("letter.yaml"),
        "deadline: 2031-10-01",
        &format!("deadline: {}", e.deadline),
    );
}

#[test]
fn what_check_passes_build_builds() {
    let mut runner = TestRunner::new(Config {
        cases: cases(6),
        failure_persistence: None,
        ..Config::default()
    });
    let (passed, refused) = (std::cell::Cell::new(0), std::cell::Cell::new(0));
    runner
        .run(&edition(), |e| {
            let dir = mini(None);
            write(dir.path(), &e);
            let c = run(dir.path(), &["check", "mini"]);
            prop_assert!(c.code == 0 || c.code == 1, "check: {}", c.stderr);
            prop_assert!(!c.stderr.contains("panicked"), "{}", c.stderr);
            if c.code == 1 {
                refused.set(refused.get() + 1);
                if std::env::var_os("SHOW_REFUSALS").is_some() {
                    eprintln!("{e:?}\n{}", c.stderr);
                }
                prop_assert!(c.stderr.contains("error: "), "{}", c.stderr);
                return Ok(());
            }
            passed.set(passed.get() + 1);
            let b = run(dir.path(), &["build", "mini"]);
            prop_assert_eq!(b.code, 0, "check passed, build failed:\n{}", b.stderr);
            Ok(())
        })
        .unwrap();
    eprintln!(
        "check passed {} editions (all built), refused {}",
        passed.get(),
        refused.get()
    );
}

#[test]
fn a_build_that_has_nothing_to_do_says_so() {
    let dir = mini(None);
    fs::remove_file(dir.path().join("mini/letter.yaml")).unwrap();
    let r = run(dir.path(), &["build", "mini", "--only", "letter"]);
    assert_eq!(r.code, 2, "{}", r.stderr);
    assert_eq!(
        r.stderr,
        "error: mini has no letter.yaml, so `--only letter` has nothing to build\n"
    );
    let r = run(dir.path(), &["build", "mini", "--only", "letters"]);
    assert_eq!(r.code, 2, "{}", r.stderr);
    assert_eq!(
        r.stderr,
        "error: mini has no letter.yaml, so `--only letters` has nothing to build\n"
    );
    assert!(!dir.path().join("output").exists());

    let dir = mini(None);
    let letter = dir.path().join("mini/letter.yaml");
    let text = fs::read_to_string(&letter).unwrap();
    let cut = text.find("manager_letters:").unwrap();
    fs::write(&letter, &text[..cut]).unwrap();
    let r = run(dir.path(), &["build", "mini", "--only", "letters"]);
    assert_eq!(r.code, 2, "{}", r.stderr);
    assert_eq!(
        r.stderr,
        "error: mini has no `manager_letters` in letter.yaml, so `--only letters` has nothing to build\n"
    );
}

#[test]
fn every_limit_at_its_edge_passes_check_and_builds() {
    let dir = mini(None);
    let name = |n: usize| "Naamdeel ".repeat(n / 9 + 1)[..n].trim_end().to_string() + "x";
    let e = Edition {
        title: name(499),
        chapter_title: name(499),
        unit_name: name(499),
        findings: format!("Bevinding {} einde.", "x".repeat(1_000)),
        date: "9999-12-31".into(),
        deadline: "0001-01-01".into(),
        max_points: "100".into(),
        points: "100".into(),
        gamma_points: "0".into(),
        weight: "100".into(),
        // The OM and 14 more: 15 partners, names of 120 characters.
        partners: (14, 120),
        keywords: 120,
    };
    write(dir.path(), &e);
    replace(
        &dir.path().join("mini/edition.yaml"),
        "year: 2030",
        "year: 9999",
    );
    let c = run(dir.path(), &["check", "mini"]);
    assert_eq!(c.code, 0, "{}", c.stderr);
    let b = run(dir.path(), &["build", "mini"]);
    assert_eq!(b.code, 0, "{}", b.stderr);
    assert!(
        dir.path()
            .join("output/9999/korpsmonitor-9999.pdf")
            .is_file()
    );
}

#[test]
fn a_source_date_epoch_beyond_the_year_9999_is_refused() {
    let dir = mini(None);
    let edition = dir.path().join("mini/edition.yaml");
    replace(&edition, "date: 2031-07-06\n", "");
    for (epoch, ok) in [
        ("253402300799", true),
        ("253402300800", false),
        ("-62135596801", false),
    ] {
        let out = std::process::Command::new(env!("CARGO_BIN_EXE_korpsmonitor"))
            .args(["build", "mini", "--only", "letter"])
            .current_dir(dir.path())
            .env("SOURCE_DATE_EPOCH", epoch)
            .output()
            .unwrap();
        let stderr = String::from_utf8_lossy(&out.stderr);
        if ok {
            assert!(out.status.success(), "{epoch}: {stderr}");
        } else {
            assert_eq!(out.status.code(), Some(2), "{epoch}: {stderr}");
            assert_eq!(
                stderr,
                format!(
                    "error: SOURCE_DATE_EPOCH is \"{epoch}\", expected a Unix timestamp in seconds between the years 1 and 9999\n"
                )
            );
        }
    }
}
