//! Continuity across a reorganisation: a unit that `continues` units of
//! the previous edition is compared with what they scored there; the
//! illustrative 2014 edition (ten regional units and the Landelijke
//! Eenheid) against 2012 (the former regions).

use std::fs;

use serde_json::Value;

use crate::support::{mini, root, run};

fn summary(edition: &str) -> Value {
    let r = run(&root(), &["summary", edition, "--format", "json"]);
    assert_eq!(r.code, 0, "{}", r.stderr);
    serde_json::from_str(&r.stdout).unwrap()
}

fn unit<'a>(v: &'a Value, id: &str) -> &'a Value {
    v["units"]
        .as_array()
        .unwrap()
        .iter()
        .find(|u| u["id"] == id)
        .unwrap_or_else(|| panic!("no unit {id}"))
}

/// The verdict of a score in tenths of a percent under the 2012 overall
/// thresholds (70 and 55), as edition.yaml of 2012 gives them.
fn verdict_2012(tenths: f64) -> &'static str {
    let e = fs::read_to_string(root().join("data/2012/edition.yaml")).unwrap();
    let block = &e[e.find("overall_thresholds:").unwrap()..];
    let number = |key: &str| -> f64 {
        let at = block.find(key).unwrap() + key.len();
        block[at..].lines().next().unwrap().trim().parse().unwrap()
    };
    let (norm, aandacht) = (number("conform_norm:"), number("aandacht:"));
    if tenths / 10.0 >= norm {
        "conform_norm"
    } else if tenths / 10.0 >= aandacht {
        "aandacht"
    } else {
        "onvoldoende"
    }
}

#[test]
fn a_unit_is_compared_with_the_mean_of_the_units_it_continues() {
    let now = summary("data/2014");
    let then = summary("data/2012");
    let e = fs::read_to_string(root().join("data/2014/units/noord-nederland.yaml")).unwrap();
    assert!(
        e.contains("continues:\n- groningen\n- friesland\n- drenthe\n"),
        "{e}"
    );
    // The 2012 scores of the three former regions, read from 2012's own
    // summary, each counting once.
    let scores: Vec<f64> = ["groningen", "friesland", "drenthe"]
        .iter()
        .map(|id| unit(&then, id)["score"]["tenths"].as_f64().unwrap())
        .collect();
    let mean = scores.iter().sum::<f64>() / scores.len() as f64;
    let u = unit(&now, "noord-nederland");
    assert_eq!(u["previous_verdict"], verdict_2012(mean), "{u:#}");
    assert!(u["trend"].is_string(), "{u:#}");
    // Every 2012 unit goes on in a 2014 unit: none is new, none is gone.
    assert_eq!(now["comparison"]["new"].as_array().unwrap().len(), 0);
    assert_eq!(now["comparison"]["departed"].as_array().unwrap().len(), 0);
    let moved = ["better", "same", "worse"]
        .iter()
        .map(|k| now["comparison"][k].as_array().unwrap().len())
        .sum::<usize>();
    assert_eq!(moved, 11);
}

#[test]
fn the_documents_say_how_the_comparison_was_made() {
    let out = tempfile::tempdir().unwrap();
    let r = run(
        &root(),
        &[
            "build",
            "data/2014",
            "--output",
            out.path().to_str().unwrap(),
        ],
    );
    assert_eq!(r.code, 0, "{}", r.stderr);
    let report = crate::pdf::fold(&crate::pdf::text(
        &out.path().join("2014/korpsmonitor-2014.pdf"),
    ));
    for needle in [
        "Vergeleken met het gemiddelde van Groningen, Friesland en Drenthe in 2012",
        "Vergeleken met Amsterdam-Amstelland in 2012",
        "Vergeleken met het KLPD in 2012",
        "Deze uitgave is geheel illustratief",
    ] {
        assert!(report.contains(needle), "missing {needle:?}");
    }
    let page =
        fs::read_to_string(out.path().join("2014/web/eenheden/noord-nederland.html")).unwrap();
    assert!(
        page.contains("<dt>Vergeleken met</dt>\n<dd>het gemiddelde van Groningen, Friesland en Drenthe in 2012</dd>"),
        "{page}"
    );
}

#[test]
fn continues_lists_are_checked_at_their_values() {
    let dir = mini(None);
    let gamma = dir.path().join("mini/units/gamma.yaml");
    let text = fs::read_to_string(&gamma).unwrap();
    fs::write(
        &gamma,
        text.replace(
            "group: diensten\n",
            "group: diensten\ncontinues: [alfa, onbekend, alfa]\n",
        ),
    )
    .unwrap();
    let r = run(dir.path(), &["check", "mini", "--format", "json"]);
    assert_eq!(r.code, 1, "{}", r.stderr);
    let v: Value = serde_json::from_str(&r.stdout).unwrap();
    let problems: Vec<(String, String)> = v["problems"]
        .as_array()
        .unwrap()
        .iter()
        .map(|p| {
            (
                p["field"].as_str().unwrap_or_default().to_string(),
                p["message"].as_str().unwrap().to_string(),
            )
        })
        .collect();
    for expected in [
        (
            "continues[1]",
            "unknown unit `onbekend` of the 2028 edition",
        ),
        ("continues[2]", "`alfa` is named twice"),
        (
            "continues[0]",
            "`alfa` of the 2028 edition is continued by `alfa` of this edition, the unit of its own id, too",
        ),
    ] {
        assert!(
            problems
                .iter()
                .any(|(f, m)| f == expected.0 && m == expected.1),
            "{expected:?} not in {problems:#?}"
        );
    }
    // Without a previous edition there is nothing to continue.
    let e = dir.path().join("mini/edition.yaml");
    let text = fs::read_to_string(&e).unwrap();
    let without: String = text
        .lines()
        .filter(|l| !l.starts_with("previous:"))
        .map(|l| format!("{l}\n"))
        .collect();
    fs::write(&e, without).unwrap();
    let r = run(dir.path(), &["check", "mini"]);
    assert_eq!(r.code, 1, "{}", r.stderr);
    assert!(
        r.stderr
            .contains("the unit continues units of the previous edition, but edition.yaml names no `previous:`"),
        "{}",
        r.stderr
    );
}
