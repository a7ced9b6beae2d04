//! `summary`: the verdict table and headline figures.

use crate::support::{copy_dir, mini, root, run};

#[test]
fn text_summary_of_the_mini_edition() {
    let dir = mini(None);
    let r = run(dir.path(), &["summary", "mini"]);
    assert_eq!(r.code, 0, "{}", r.stderr);
    insta::assert_snapshot!(r.stdout);
}

#[test]
fn json_summary_carries_verdicts_trends_and_manual_marks() {
    let dir = mini(None);
    let r = run(dir.path(), &["summary", "mini", "--format", "json"]);
    assert_eq!(r.code, 0, "{}", r.stderr);
    let v: serde_json::Value = serde_json::from_str(&r.stdout).unwrap();
    let units = v["units"].as_array().unwrap();
    let ids: Vec<&str> = units.iter().map(|u| u["id"].as_str().unwrap()).collect();
    assert_eq!(ids, ["alfa", "beta", "gamma"]);
    assert_eq!(units[0]["verdict"], "conform_norm");
    assert_eq!(units[0]["score"]["tenths"], 813);
    assert_eq!(units[0]["trend"], "better");
    assert_eq!(units[1]["verdict"], "onvoldoende");
    assert_eq!(units[1]["dimensions"][1]["computed_verdict"], "onvoldoende");
    assert_eq!(units[1]["dimensions"][1]["verdict"], "aandacht");
    assert!(units[1]["dimensions"][1]["manual"]["justification"].is_string());
    assert_eq!(units[2]["trend"], "new");
    assert_eq!(
        units[2]["dimensions"][0]["verdict"],
        serde_json::Value::Null
    );
    assert_eq!(v["figures"]["headline"]["overall"]["conform_norm"], 1);
    assert_eq!(v["figures"]["totals"]["suspects"], 18);
    assert_eq!(v["previous"]["figures"]["totals"]["suspects"], 8);
    assert_eq!(
        v["figures"]["not_conform"],
        serde_json::json!(["beta", "gamma"])
    );
}

#[test]
fn dimensions_compare_only_where_the_mapping_allows() {
    let dir = mini(None);
    let edition = dir.path().join("mini/edition.yaml");
    let text = std::fs::read_to_string(&edition).unwrap().replace(
        "illustrative: true\n",
        "illustrative: true\nprevious_dimensions:\n  toezicht: toezicht\n  opsporing: toezicht\n",
    );
    std::fs::write(&edition, text).unwrap();
    let r = run(dir.path(), &["summary", "mini", "--format", "json"]);
    assert_eq!(r.code, 0, "{}", r.stderr);
    let v: serde_json::Value = serde_json::from_str(&r.stdout).unwrap();
    let alfa = &v["units"][0];
    for d in alfa["dimensions"].as_array().unwrap() {
        assert_eq!(d["comparable"], false, "{d}");
        assert!(d["previous_verdict"].is_null());
    }
    // The overall verdicts are still compared.
    assert_eq!(alfa["trend"], "better");
    let r = run(dir.path(), &["build", "mini", "--only", "report"]);
    assert_eq!(r.code, 0, "{}", r.stderr);
    let text = crate::pdf::text(&dir.path().join("output/2030/korpsmonitor-2030.pdf"));
    assert!(text.contains("niet vergelijkbaar"));
    // Unknown ids in the mapping are errors with their place.
    let text = std::fs::read_to_string(&edition)
        .unwrap()
        .replace("  opsporing: toezicht\n", "  opsporen: toezicht\n");
    std::fs::write(&edition, text).unwrap();
    let r = run(dir.path(), &["check", "mini"]);
    assert_eq!(r.code, 1);
    assert!(
        r.stderr
            .contains("unknown dimension `opsporen` in the previous edition"),
        "{}",
        r.stderr
    );
}

#[test]
fn text_summary_lists_the_trends_over_the_chain() {
    let dir = tempfile::tempdir().unwrap();
    copy_dir(&root().join("data"), &dir.path().join("data"));
    let r = run(dir.path(), &["summary", "data/2012"]);
    assert_eq!(r.code, 0, "{}", r.stderr);
    let block: String = r
        .stdout
        .split("\n\n")
        .find(|b| b.starts_with("Trends over "))
        .unwrap()
        .to_string();
    insta::assert_snapshot!(block);
    // The lines name the units the JSON's trends list, in its order.
    let r = run(dir.path(), &["summary", "data/2012", "--format", "json"]);
    let v: serde_json::Value = serde_json::from_str(&r.stdout).unwrap();
    let name = |id: &serde_json::Value| {
        v["units"]
            .as_array()
            .unwrap()
            .iter()
            .find(|u| u["id"] == *id)
            .unwrap()["name"]
            .as_str()
            .unwrap()
            .to_string()
    };
    for (label, key) in [
        ("improved every time", "improved_every_time"),
        ("fell back twice", "fell_back_twice"),
        ("onvoldoende again", "onvoldoende_running"),
    ] {
        let ids = v["trends"][key].as_array().unwrap();
        let line = block
            .lines()
            .find(|l| l.trim_start().starts_with(label))
            .unwrap();
        assert!(
            line.contains(&format!("{:>3}", ids.len())),
            "{line}: {} units",
            ids.len()
        );
        let mut at = 0;
        for id in ids {
            let n = name(id);
            let found = line[at..]
                .find(&n)
                .unwrap_or_else(|| panic!("{line} lacks {n}"));
            at += found + n.len();
        }
    }
    // Limburg-Zuid was onvoldoende in 2008, 2010 and 2012.
    assert!(
        block.contains("Limburg-Zuid (3 editions running)"),
        "{block}"
    );
}
