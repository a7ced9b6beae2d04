//! `check`: clean editions pass; every kind of mistake is reported with its
//! exact message and location.

use crate::support::{mini, root, run};

#[test]
fn the_repository_editions_pass() {
    for edition in ["data/2008", "data/2010", "data/2012"] {
        let r = run(&root(), &["check", edition]);
        assert_eq!(r.code, 0, "{edition}: {}", r.stderr);
        assert!(r.stdout.contains("no errors"), "{}", r.stdout);
    }
}

#[test]
fn the_mini_fixture_passes() {
    let dir = mini(None);
    let r = run(dir.path(), &["check", "mini"]);
    assert_eq!(r.code, 0, "{}", r.stderr);
    assert_eq!(
        r.stdout,
        "mini: 3 units, 2 dimensions: no errors (previous edition mini/../mini-prev: 2 units)\n"
    );
}

/// (case, [(location, message)]) in the order they are reported.
const CASES: &[(&str, &[(&str, &str)])] = &[
    (
        "yaml-syntax",
        &[(
            "mini/units/alfa.yaml:4:6",
            "mapping values are not allowed in this context",
        )],
    ),
    (
        "unknown-field",
        &[(
            "mini/units/alfa.yaml:2:1",
            "unknown field `nmae`, expected one of `id`, `name`",
        )],
    ),
    (
        "wrong-type",
        &[(
            "mini/edition.yaml:23:21",
            "invalid type: string \"vier\", expected u32",
        )],
    ),
    (
        "number-as-string",
        &[(
            "mini/units/alfa.yaml:13:17",
            "found string \"4\", expected a whole number of points or `nvt`",
        )],
    ),
    (
        "nan-weight",
        &[(
            "mini/edition.yaml:30:13",
            "found NaN, expected a finite number with at most two decimals",
        )],
    ),
    (
        "duplicate-key",
        &[(
            "mini/units/alfa.yaml:14:7",
            "duplicate key `controle` (first at line 13)",
        )],
    ),
    (
        "points-above-max",
        &[(
            "mini/units/alfa.yaml:13:17",
            "found 9 points, expected at most 4 (the indicator's maximum)",
        )],
    ),
    (
        "points-below-zero",
        &[(
            "mini/units/alfa.yaml:18:18",
            "-1 points is below zero, expected a whole number of at least 0 or `nvt`",
        )],
    ),
    (
        "missing-indicator",
        &[(
            "mini/units/alfa.yaml:12:5",
            "missing indicator `vergunning` in dimension `toezicht`",
        )],
    ),
    (
        "missing-dimension",
        &[(
            "mini/units/gamma.yaml:10:1",
            "missing dimension `opsporing`",
        )],
    ),
    (
        "unknown-dimension",
        &[
            ("mini/units/alfa.yaml:16:3", "unknown dimension `opsporen`"),
            ("mini/units/alfa.yaml:10:1", "missing dimension `opsporing`"),
        ],
    ),
    (
        "unknown-indicator",
        &[(
            "mini/units/alfa.yaml:19:7",
            "unknown indicator `onderzoeken` in dimension `opsporing`",
        )],
    ),
    (
        "unknown-unit",
        &[("mini/edition.yaml:51:5", "unknown unit id `delta`")],
    ),
    (
        "unknown-group",
        &[("mini/units/alfa.yaml:3:8", "unknown group `korps`")],
    ),
    (
        "unknown-partner",
        &[("mini/units/alfa.yaml:27:3", "unknown partner `ommm`")],
    ),
    // The second dimension's id is now a duplicate, so its data is unknown.
    (
        "duplicate-id",
        &[
            (
                "mini/edition.yaml:27:9",
                "duplicate dimension id `toezicht`",
            ),
            ("mini/units/alfa.yaml:16:3", "unknown dimension `opsporing`"),
            ("mini/units/beta.yaml:17:3", "unknown dimension `opsporing`"),
            (
                "mini/units/gamma.yaml:15:3",
                "unknown dimension `opsporing`",
            ),
        ],
    ),
    (
        "id-mismatch",
        &[(
            "mini/units/alfa.yaml:1:5",
            "found id `alpha` in file `alfa.yaml`",
        )],
    ),
    (
        "manual-without-justification",
        &[(
            "mini/units/beta.yaml:20:5",
            "a manual verdict needs a justification",
        )],
    ),
    (
        "thresholds-out-of-order",
        &[(
            "mini/edition.yaml:18:21",
            "thresholds out of order: conform_norm 40 is below aandacht 50",
        )],
    ),
    (
        "weight-zero",
        &[(
            "mini/edition.yaml:30:13",
            "found weight 0, expected a weight above zero",
        )],
    ),
    (
        "weight-negative",
        &[(
            "mini/edition.yaml:30:13",
            "found weight -2, expected a weight above zero",
        )],
    ),
    (
        "previous-missing",
        &[(
            "mini/edition.yaml:7:11",
            "the previous edition cannot be loaded: mini/../mini-2000 has no edition.yaml",
        )],
    ),
    (
        "chapter-outside",
        &[(
            "mini/edition.yaml:61:11",
            "found \"../../../etc/passwd\", expected a path inside the edition folder",
        )],
    ),
    (
        "several-problems",
        &[
            (
                "mini/units/alfa.yaml:13:17",
                "found 9 points, expected at most 4 (the indicator's maximum)",
            ),
            ("mini/units/beta.yaml:3:8", "unknown group `onbekend`"),
        ],
    ),
];

/// The (location, message) pairs of a rendered report, in order.
fn reported(stderr: &str) -> Vec<(String, String)> {
    let mut out = Vec::new();
    let mut message = None;
    for line in stderr.lines() {
        if let Some(m) = line.strip_prefix("error: ") {
            message = Some(m.to_string());
        } else if let Some(loc) = line.trim_start().strip_prefix("┌─ ")
            && let Some(m) = message.take()
        {
            out.push((loc.to_string(), m));
        }
    }
    out
}

#[test]
fn every_kind_of_mistake_is_reported_exactly() {
    let cases = std::fs::read_dir(root().join("tests/fixtures/invalid"))
        .unwrap()
        .count();
    assert_eq!(
        cases,
        CASES.len(),
        "every fixture under tests/fixtures/invalid has a case here"
    );
    for (case, expected) in CASES {
        let dir = mini(Some(case));
        let r = run(dir.path(), &["check", "mini"]);
        assert_eq!(r.code, 1, "{case}: exit code\n{}", r.stderr);
        let got = reported(&r.stderr);
        assert_eq!(got.len(), expected.len(), "{case}: reported\n{}", r.stderr);
        for ((loc, msg), (want_loc, want_msg)) in got.iter().zip(expected.iter()) {
            assert_eq!(loc, want_loc, "{case}\n{}", r.stderr);
            assert!(
                msg.starts_with(want_msg),
                "{case}: {msg:?} does not start with {want_msg:?}"
            );
        }
        let errors = expected.len();
        let tail = format!(
            "{errors} error{}, 0 warnings",
            if errors == 1 { "" } else { "s" }
        );
        assert!(r.stderr.trim_end().ends_with(&tail), "{case}\n{}", r.stderr);
    }
}

#[test]
fn the_report_snapshot_shows_snippet_field_and_hint() {
    let dir = mini(Some("several-problems"));
    let r = run(dir.path(), &["check", "mini"]);
    insta::assert_snapshot!(r.stderr);
}

#[test]
fn usage_errors_exit_2() {
    let dir = tempfile::tempdir().unwrap();
    let r = run(dir.path(), &["check", "nowhere"]);
    assert_eq!(r.code, 2);
    assert!(r.stderr.contains("nowhere is not a folder"), "{}", r.stderr);
    let r = run(dir.path(), &["check"]);
    assert_eq!(r.code, 2);
    let r = run(dir.path(), &["frobnicate"]);
    assert_eq!(r.code, 2);
}

#[test]
fn hostile_bytes_give_errors_not_panics() {
    let dir = mini(None);
    let unit = dir.path().join("mini/units/alfa.yaml");
    let original = std::fs::read(&unit).unwrap();
    let cases: Vec<(&str, Vec<u8>)> = vec![
        ("invalid utf-8", b"id: \xff\xfe\n".to_vec()),
        ("alias bomb", {
            let mut s = String::from("a: &a [x, x, x, x, x, x, x, x, x]\n");
            for i in 0..9 {
                let prev = if i == 0 {
                    "a".to_string()
                } else {
                    format!("a{}", i - 1)
                };
                s.push_str(&format!("a{i}: &a{i} [*{prev}, *{prev}, *{prev}, *{prev}, *{prev}, *{prev}, *{prev}, *{prev}, *{prev}]\n"));
            }
            s.into_bytes()
        }),
        (
            "deep nesting",
            format!("id: {}{}", "[".repeat(10_000), "]".repeat(10_000)).into_bytes(),
        ),
        ("empty file", Vec::new()),
        ("tabs", b"id:\talfa\n\tname: x\n".to_vec()),
    ];
    for (what, bytes) in cases {
        std::fs::write(&unit, &bytes).unwrap();
        let r = run(dir.path(), &["check", "mini"]);
        assert_eq!(r.code, 1, "{what}: {}", r.stderr);
        assert!(
            r.stderr.contains("mini/units/alfa.yaml"),
            "{what}: {}",
            r.stderr
        );
        assert!(!r.stderr.contains("panicked"), "{what}: {}", r.stderr);
    }
    // A byte-order mark and CRLF line ends are accepted.
    let mut bom = b"\xef\xbb\xbf".to_vec();
    bom.extend(
        String::from_utf8(original)
            .unwrap()
            .replace('\n', "\r\n")
            .into_bytes(),
    );
    std::fs::write(&unit, bom).unwrap();
    let r = run(dir.path(), &["check", "mini"]);
    assert_eq!(r.code, 0, "{}", r.stderr);
}
