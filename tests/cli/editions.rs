//! The public record of the 2008 and 2010 editions, asserted from the
//! computed results (never typed in as results).

use serde_json::Value;

use crate::support::{root, run};

fn summary(edition: &str) -> Value {
    let r = run(&root(), &["summary", edition, "--format", "json"]);
    assert_eq!(r.code, 0, "{}", r.stderr);
    serde_json::from_str(&r.stdout).unwrap()
}

fn names(v: &Value, ids: &Value) -> Vec<String> {
    ids.as_array()
        .unwrap()
        .iter()
        .map(|id| {
            v["units"]
                .as_array()
                .unwrap()
                .iter()
                .find(|u| u["id"] == *id)
                .map(|u| u["name"].as_str().unwrap().to_string())
                .unwrap()
        })
        .collect()
}

#[test]
fn edition_2010_matches_the_public_record() {
    let v = summary("data/2010");
    let units = v["units"].as_array().unwrap();
    assert_eq!(units.len(), 27);
    let regional: Vec<&Value> = units
        .iter()
        .filter(|u| u["group"] == "regiokorpsen")
        .collect();
    assert_eq!(regional.len(), 25);
    let h = &v["figures"]["headline"];
    assert_eq!(h["units"], 25);
    assert_eq!(h["overall"]["conform_norm"], 12);
    assert_eq!(h["overall"]["aandacht"], 9);
    assert_eq!(h["overall"]["onvoldoende"], 4);
    let mut onvoldoende: Vec<&str> = regional
        .iter()
        .filter(|u| u["verdict"] == "onvoldoende")
        .map(|u| u["name"].as_str().unwrap())
        .collect();
    onvoldoende.sort();
    assert_eq!(
        onvoldoende,
        [
            "Gelderland-Midden",
            "Gelderland-Zuid",
            "IJsselland",
            "Limburg-Zuid"
        ]
    );
    let dim = |id: &str| {
        h["dimensions"]
            .as_array()
            .unwrap()
            .iter()
            .find(|d| d[0] == id)
            .map(|d| d[1].clone())
            .unwrap()
    };
    assert_eq!(dim("niet-vergund")["onvoldoende"], 7);
    assert_eq!(dim("vergund")["onvoldoende"], 3);
    // 13 regional forces not conform norm; KLPD and KMar neither.
    let not_conform = v["figures"]["not_conform"].as_array().unwrap();
    assert_eq!(not_conform.len(), 15);
    assert!(
        not_conform.contains(&Value::from("klpd")) && not_conform.contains(&Value::from("kmar"))
    );
    for id in ["klpd", "kmar"] {
        let u = units.iter().find(|u| u["id"] == id).unwrap();
        assert_ne!(u["verdict"], "conform_norm", "{id}");
        assert_eq!(u["trend"], "new", "{id}");
        assert_eq!(u["group"], "landelijke-diensten");
    }
    assert_eq!(
        regional
            .iter()
            .filter(|u| u["verdict"] != "conform_norm")
            .count(),
        13
    );
    // Compared with 2008.
    let mut better = names(&v, &v["comparison"]["better"]);
    better.sort();
    // A better overall verdict; Gooi en Vechtstreek and Limburg-Noord kept
    // theirs and are better on dimensions only.
    let mut expected = vec![
        "Friesland",
        "Utrecht",
        "Zaanstreek-Waterland",
        "Kennemerland",
        "Haaglanden",
        "Zuid-Holland-Zuid",
        "Zeeland",
        "Midden- en West-Brabant",
        "Flevoland",
    ];
    expected.sort();
    assert_eq!(better, expected);
    assert_eq!(names(&v, &v["comparison"]["worse"]), ["IJsselland"]);
    let ijsselland = units.iter().find(|u| u["id"] == "ijsselland").unwrap();
    assert_eq!(ijsselland["previous_verdict"], "conform_norm");
    assert_eq!(ijsselland["verdict"], "onvoldoende");
    assert_eq!(v["comparison"]["same"].as_array().unwrap().len(), 15);
    let p = &v["previous"]["figures"]["headline"]["overall"];
    assert_eq!(
        (
            p["conform_norm"].clone(),
            p["aandacht"].clone(),
            p["onvoldoende"].clone()
        ),
        (6.into(), 14.into(), 5.into())
    );
    // National totals.
    assert_eq!(v["figures"]["totals"]["suspects"], 337);
    assert_eq!(v["figures"]["totals"]["case_files"], 207);
    assert_eq!(v["previous"]["figures"]["totals"]["suspects"], 239);
    assert_eq!(v["previous"]["figures"]["totals"]["case_files"], 133);
    // At most two manual verdicts, each justified.
    let mut manual = 0;
    for u in units {
        for m in std::iter::once(&u["manual"]).chain(
            u["dimensions"]
                .as_array()
                .unwrap()
                .iter()
                .map(|d| &d["manual"]),
        ) {
            if !m.is_null() {
                manual += 1;
                assert!(
                    m["justification"]
                        .as_str()
                        .unwrap()
                        .split_whitespace()
                        .count()
                        >= 8,
                    "{m}"
                );
            }
        }
    }
    assert!(manual <= 2, "{manual} manual verdicts");
    // The 2010 dimensions.
    let dims: Vec<&str> = v["dimensions"]
        .as_array()
        .unwrap()
        .iter()
        .map(|d| d["name"].as_str().unwrap())
        .collect();
    assert_eq!(
        dims,
        [
            "Toezicht op de vergunde prostitutiebranche",
            "Toezicht op de niet-vergunde prostitutiebranche",
            "Informatievoorziening",
            "Organisatie",
            "Opsporing",
        ]
    );
    assert_eq!(v["illustrative"], true);
}

#[test]
fn edition_2008_matches_the_public_record() {
    let v = summary("data/2008");
    let o = &v["figures"]["headline"]["overall"];
    assert_eq!(o["conform_norm"], 6);
    assert_eq!(o["aandacht"], 14);
    assert_eq!(o["onvoldoende"], 5);
    assert_eq!(v["figures"]["totals"]["suspects"], 239);
    assert_eq!(v["figures"]["totals"]["case_files"], 133);
}

#[test]
fn the_text_summary_shows_every_figure() {
    let r = run(&root(), &["summary", "data/2010"]);
    assert_eq!(r.code, 0, "{}", r.stderr);
    let s = &r.stdout;
    for needle in [
        "conform norm    12   (2008: 6)",
        "aandacht         9   (2008: 14)",
        "onvoldoende      4   (2008: 5)",
        "not conform     13",
        "suspects identified      337\n",
        "Over the same units as 2008 (25 of 27):\n  suspects identified      300   (2008: 239)",
        "case files to the OM     187   (2008: 133)",
        "left out, not assessed in 2008: KLPD, KMar",
        "worse     1: IJsselland",
        "better    9:",
    ] {
        assert!(s.contains(needle), "missing {needle:?} in\n{s}");
    }
    insta::assert_snapshot!(s);
}

#[test]
fn edition_2012_has_new_units_a_kamerstuk_and_compares_across_dimensions() {
    let dir = tempfile::tempdir().unwrap();
    let data = root().join("data/2012");
    let r = run(
        dir.path(),
        &["build", data.to_str().unwrap(), "--output", "out"],
    );
    assert_eq!(r.code, 0, "{}", r.stderr);
    let out = dir.path().join("out/2012");
    assert!(out.join("korpsmonitor-2012.pdf").is_file());
    assert!(
        !out.join("brieven").exists(),
        "no manager letters after the reorganisation"
    );
    let letter = crate::pdf::text(&out.join("aanbiedingsbrief-2012.pdf"));
    for needle in [
        "BRIEF VAN DE MINISTER VAN VEILIGHEID EN JUSTITIE",
        "Den Haag, 24 oktober 2013",
        "weegt vier hoofdaandachtsvelden: organisatie, toezicht, informatie en opsporing",
        "is verbeterd ten opzichte van de monitor over 2010",
    ] {
        let squash = |s: &str| {
            s.replace(['-', '\u{ad}'], "")
                .split_whitespace()
                .collect::<String>()
        };
        assert!(
            squash(&letter).contains(&squash(needle)),
            "missing {needle:?} in {letter}"
        );
    }
    let outline = crate::pdf::outline(&out.join("korpsmonitor-2012.pdf"));
    for new_unit in ["Noord-Nederland", "Oost-Nederland", "Landelijke Eenheid"] {
        assert!(
            outline
                .iter()
                .any(|(l, t)| *l == 2 && t.ends_with(new_unit)),
            "{outline:?}"
        );
    }
    // Overall verdicts compare; of the dimensions only those with one
    // corresponding 2010 dimension (not toezicht, made of two).
    let v = summary("data/2012");
    let u = &v["units"][0];
    assert!(!u["trend"].is_null());
    let dims = u["dimensions"].as_array().unwrap();
    let toezicht = dims.iter().find(|d| d["id"] == "toezicht").unwrap();
    assert_eq!(toezicht["comparable"], false);
    let opsporing = dims.iter().find(|d| d["id"] == "opsporing").unwrap();
    assert_eq!(opsporing["comparable"], true);
    assert!(
        v["figures"]["headline"]["overall"]["conform_norm"].as_u64()
            > v["previous"]["figures"]["headline"]["overall"]["conform_norm"].as_u64()
    );
    let r = run(&root(), &["diff", "data/2010", "data/2012"]);
    assert_eq!(r.code, 0, "{}", r.stderr);
    assert!(
        r.stdout.contains("vergund: only in the old edition"),
        "{}",
        r.stdout
    );
    assert!(
        r.stdout.contains("toezicht: only in the new edition"),
        "{}",
        r.stdout
    );
    let r = run(&root(), &["fmt", "--check", "data/2012"]);
    assert_eq!(r.code, 0, "{}", r.stdout);
}
