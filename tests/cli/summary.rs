//! `summary`: the verdict table and headline figures.

use crate::support::{mini, run};

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
