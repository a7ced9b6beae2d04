//! The 2010 and 2008 headline figures (verdicts of the 25 regional forces)
//! as the program computes them, checked against the public record without
//! reading back a typed-in result: the 2010 figures are recomputed here from
//! the points in the unit files under the rule in `docs/data-format.md`
//! (exact arithmetic), the data is shown to hold no overall verdicts, and a
//! change to one unit's points in a copy moves the program's figures.
//!
//! Sources of the record: the minister's letter of 6 July 2011 (2010:
//! 12 conform norm, 9 aandacht, 4 onvoldoende; 2008: 6, 14, 5).

use std::fs;
use std::path::Path;

use serde_yaml::Value;

use crate::support::{copy_dir, root, run};

/// Units conform norm, aandacht and onvoldoende.
type Counts = (u64, u64, u64);

/// The headline counts (conform norm, aandacht, onvoldoende) that
/// `korpsmonitor summary --format json` prints for the edition in `dir`,
/// and the same for its previous edition.
fn headline(cwd: &Path, edition: &str) -> (Counts, Option<Counts>) {
    let r = run(cwd, &["summary", edition, "--format", "json"]);
    assert_eq!(r.code, 0, "{}", r.stderr);
    let v: serde_json::Value = serde_json::from_str(&r.stdout).unwrap();
    let counts = |o: &serde_json::Value| {
        (
            o["conform_norm"].as_u64().unwrap(),
            o["aandacht"].as_u64().unwrap(),
            o["onvoldoende"].as_u64().unwrap(),
        )
    };
    let now = counts(&v["figures"]["headline"]["overall"]);
    let prev = v["previous"]["figures"]["headline"]["overall"]
        .is_object()
        .then(|| counts(&v["previous"]["figures"]["headline"]["overall"]));
    (now, prev)
}

fn yaml(path: &Path) -> Value {
    serde_yaml::from_str(&fs::read_to_string(path).unwrap())
        .unwrap_or_else(|e| panic!("{}: {e}", path.display()))
}

/// A decimal number from the data (at most two decimals) in hundredths.
fn hundredths(v: &Value) -> i128 {
    let x = v.as_f64().unwrap_or_else(|| panic!("not a number: {v:?}"));
    let h = (x * 100.0).round();
    assert!(
        (x * 100.0 - h).abs() < 1e-9,
        "{x} has more than two decimals"
    );
    h as i128
}

/// The overall verdict of every unit of the headline group, recomputed
/// from the points: each dimension's score is its awarded points over the
/// points possible (`nvt` left out), the overall score the weighted mean of
/// the dimension scores that exist, compared with `overall_thresholds`.
/// Exact: every comparison is made on integers.
fn recompute(dir: &Path) -> Counts {
    let edition = yaml(&dir.join("edition.yaml"));
    assert_eq!(edition["assessment"], "points");
    let dims = edition["dimensions"].as_sequence().unwrap();
    let thresholds = &edition["overall_thresholds"];
    let (conform, aandacht) = (
        hundredths(&thresholds["conform_norm"]),
        hundredths(&thresholds["aandacht"]),
    );
    let mut counts = (0, 0, 0);
    let mut files: Vec<_> = fs::read_dir(dir.join("units"))
        .unwrap()
        .map(|e| e.unwrap().path())
        .collect();
    files.sort();
    for file in files {
        let unit = yaml(&file);
        if unit["group"] != "regiokorpsen" {
            continue;
        }
        // The overall verdict is not typed in: it can only come from points.
        for key in ["verdict", "manual_verdict"] {
            assert!(
                unit.get(key).is_none(),
                "{}: holds an overall `{key}`",
                file.display()
            );
        }
        // score_i = 100 * a_i / p_i; overall = Σ w_i score_i / Σ w_i.
        // With L = Π p_i: overall >= t  ⇔  Σ w_i 100 a_i (L / p_i) >= t Σ w_i L.
        let mut parts = Vec::new();
        for d in dims {
            let points = &unit["dimensions"][d["id"].as_str().unwrap()]["points"];
            let (mut a, mut p) = (0i128, 0i128);
            for ind in d["indicators"].as_sequence().unwrap() {
                let got = &points[ind["id"].as_str().unwrap()];
                if got == "nvt" {
                    continue;
                }
                a += i128::from(got.as_u64().unwrap_or(0) as u32);
                p += i128::from(ind["max_points"].as_u64().unwrap() as u32);
            }
            if p > 0 {
                parts.push((hundredths(&d["weight"]), a, p));
            }
        }
        assert!(!parts.is_empty(), "{}: no score", file.display());
        let l: i128 = parts.iter().map(|(_, _, p)| p).product();
        let sum: i128 = parts.iter().map(|(w, a, p)| w * 100 * a * (l / p)).sum();
        let weights: i128 = parts.iter().map(|(w, _, _)| w).sum();
        // Thresholds are in hundredths too: compare sum * 100 with t * Σw * L.
        let at_least = |t: i128| sum * 100 >= t * weights * l;
        if at_least(conform) {
            counts.0 += 1;
        } else if at_least(aandacht) {
            counts.1 += 1;
        } else {
            counts.2 += 1;
        }
    }
    counts
}

#[test]
fn the_2010_headline_is_computed_from_the_points() {
    let data = root().join("data/2010");
    let recomputed = recompute(&data);
    assert_eq!(recomputed, (12, 9, 4), "the points give the public record");
    let (now, prev) = headline(&root(), "data/2010");
    assert_eq!(now, recomputed, "the program agrees with the points");
    assert_eq!(prev, Some((6, 14, 5)), "2008, as the previous edition");
}

/// Sets every indicator of every dimension of `unit` (a unit file in the
/// edition `dir`) to its maximum when `full`, else to 0.
fn set_points(dir: &Path, unit: &str, full: bool) {
    let edition = yaml(&dir.join("edition.yaml"));
    let path = dir.join("units").join(format!("{unit}.yaml"));
    let mut u = yaml(&path);
    for d in edition["dimensions"].as_sequence().unwrap() {
        let points = u["dimensions"][d["id"].as_str().unwrap()]["points"]
            .as_mapping_mut()
            .unwrap();
        for ind in d["indicators"].as_sequence().unwrap() {
            let max = if full {
                ind["max_points"].clone()
            } else {
                Value::from(0)
            };
            points.insert(ind["id"].clone(), max);
        }
    }
    fs::write(&path, serde_yaml::to_string(&u).unwrap()).unwrap();
}

#[test]
fn changing_one_units_points_moves_the_2010_headline() {
    let dir = tempfile::tempdir().unwrap();
    copy_dir(&root().join("data"), &dir.path().join("data"));
    let data = dir.path().join("data/2010");
    // Utrecht is conform norm in 2010, IJsselland onvoldoende.
    set_points(&data, "utrecht", false);
    assert_eq!(recompute(&data), (11, 9, 5));
    assert_eq!(headline(dir.path(), "data/2010").0, (11, 9, 5));
    set_points(&data, "ijsselland", true);
    assert_eq!(recompute(&data), (12, 9, 4));
    assert_eq!(headline(dir.path(), "data/2010").0, (12, 9, 4));
    set_points(&data, "utrecht", true);
    assert_eq!(headline(dir.path(), "data/2010").0, (13, 9, 3));
}

/// The 2008 edition was entered with its published verdicts only (there
/// are no points for it): its figures are counts of the verdicts in the
/// unit files, and a changed verdict changes them.
#[test]
fn the_2008_headline_counts_the_published_verdicts() {
    let data = root().join("data/2008");
    assert_eq!(
        yaml(&data.join("edition.yaml"))["assessment"],
        "published_verdicts"
    );
    assert_eq!(headline(&root(), "data/2008").0, (6, 14, 5));
    let dir = tempfile::tempdir().unwrap();
    copy_dir(&data, &dir.path().join("2008"));
    let path = dir.path().join("2008/units/brabant-noord.yaml");
    let mut u = yaml(&path);
    assert_eq!(u["verdict"], "aandacht");
    u["verdict"] = Value::from("onvoldoende");
    fs::write(&path, serde_yaml::to_string(&u).unwrap()).unwrap();
    assert_eq!(headline(dir.path(), "2008").0, (6, 13, 6));
}
