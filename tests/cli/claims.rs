//! Every sentence of the report that names a set of units (better, worse,
//! new, improved in every edition, fell back twice, onvoldoende again) or
//! counts one (the headline distribution, all or none conform norm) is
//! checked against the verdicts it rests on, over every edition: 2008,
//! 2010, 2012, 2014 and synthetic ones. The sets are recomputed here from
//! each unit's verdict per edition as `summary --format json` gives them,
//! by the rules in docs/data-format.md, not read from the program's lists.

use std::collections::BTreeSet;
use std::path::Path;

use serde_json::Value;

use crate::support::{root, run};

/// The rank of a verdict: higher is better.
fn rank(v: &Value) -> Option<u8> {
    match v.as_str()? {
        "conform_norm" => Some(3),
        "aandacht" => Some(2),
        "onvoldoende" => Some(1),
        _ => None,
    }
}

/// The names of the units, as the text gives them: with their article.
struct Units {
    /// (id, name in text) of every unit of the edition.
    all: Vec<(String, String)>,
}

impl Units {
    fn of(v: &Value) -> Units {
        let all = v["units"]
            .as_array()
            .unwrap()
            .iter()
            .map(|u| {
                let id = u["id"].as_str().unwrap().to_string();
                let name = u["name"].as_str().unwrap().to_string();
                let with_article = match u["article"].as_str() {
                    Some(a) => format!("{a} {name}"),
                    None => name,
                };
                (id, with_article)
            })
            .collect();
        Units { all }
    }

    /// The ids whose names the list `names` ("A, B en C") holds, each as a
    /// whole item.
    fn named_in(&self, names: &str) -> BTreeSet<String> {
        self.all
            .iter()
            .filter(|(_, name)| {
                names.match_indices(name.as_str()).any(|(at, _)| {
                    let before = &names[..at];
                    let after = &names[at + name.len()..];
                    (before.is_empty() || before.ends_with(", ") || before.ends_with(" en "))
                        && (after.is_empty()
                            || after.starts_with(", ")
                            || after.starts_with(" en "))
                })
            })
            .map(|(id, _)| id.clone())
            .collect()
    }
}

/// The list of names in the sentence of `text` that starts with `lead`,
/// up to its full stop; none when no such sentence.
fn list_after<'a>(text: &'a str, lead: &str) -> Option<&'a str> {
    let at = text.find(lead)? + lead.len();
    let rest = &text[at..];
    // The full stop that ends the sentence (no unit's name holds one).
    let end = rest.find('.').unwrap_or(rest.len());
    Some(&rest[..end])
}

/// Each unit's verdict per year, oldest first, from the trends.
fn series(v: &Value) -> Vec<(String, Vec<Option<u8>>)> {
    v["trends"]["units"]
        .as_array()
        .map(|units| {
            units
                .iter()
                .map(|u| {
                    let verdicts = u["points"]
                        .as_array()
                        .unwrap()
                        .iter()
                        .map(|p| rank(&p["verdict"]))
                        .collect();
                    (u["id"].as_str().unwrap().to_string(), verdicts)
                })
                .collect()
        })
        .unwrap_or_default()
}

/// Checks every set claim of the report of `edition` (under `cwd`);
/// returns how many claims named at least one unit.
fn check_claims(cwd: &Path, edition: &str, out: &Path) -> usize {
    let mut named = 0;
    let r = run(cwd, &["summary", edition, "--format", "json"]);
    assert_eq!(r.code, 0, "{edition}: {}", r.stderr);
    let v: Value = serde_json::from_str(&r.stdout).unwrap();
    let year = v["year"].as_u64().unwrap();
    let r = run(
        cwd,
        &[
            "build",
            edition,
            "--only",
            "report",
            "--output",
            out.to_str().unwrap(),
        ],
    );
    assert_eq!(r.code, 0, "{edition}: {}", r.stderr);
    // The extraction sets a space before a comma or full stop that follows
    // a name kept whole on its line: taken out.
    let text = crate::pdf::text(&out.join(format!("{year}/korpsmonitor-{year}.pdf")))
        .replace(" ,", ",")
        .replace(" .", ".");
    let units = Units::of(&v);
    let ids = |f: &dyn Fn(&Value) -> bool| -> BTreeSet<String> {
        v["units"]
            .as_array()
            .unwrap()
            .iter()
            .filter(|u| f(u))
            .map(|u| u["id"].as_str().unwrap().to_string())
            .collect()
    };

    // Better and worse: the overall verdict against the previous one.
    if let Some(prev) = v["previous"]["year"].as_u64() {
        let moved = |sign: i8| {
            ids(
                &|u| match (rank(&u["verdict"]), rank(&u["previous_verdict"])) {
                    (Some(a), Some(b)) => (a as i8 - b as i8).signum() == sign,
                    _ => false,
                },
            )
        };
        for (lead, sign) in [
            (format!("Een beter totaaloordeel dan in {prev} kregen: "), 1),
            (
                format!("Een slechter totaaloordeel dan in {prev} kregen: "),
                -1,
            ),
        ] {
            let expected = moved(sign);
            match list_after(&text, &lead) {
                Some(names) => {
                    assert_eq!(units.named_in(names), expected, "{edition}: {lead}{names}");
                    named += 1;
                }
                None => assert!(
                    expected.is_empty(),
                    "{edition}: no sentence {lead:?} for {expected:?}"
                ),
            }
        }
    }

    // The headline distribution: recounted over the headline groups.
    let headline: BTreeSet<String> = v["groups"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|g| g["headline"].as_bool() == Some(true))
        .map(|g| g["id"].as_str().unwrap().to_string())
        .collect();
    let count = |r: u8| {
        ids(&|u| headline.contains(u["group"].as_str().unwrap()) && rank(&u["verdict"]) == Some(r))
            .len()
    };
    let (c, a, o) = (count(3), count(2), count(1));
    if a + o == 0 {
        assert!(
            text.contains("presteren conform norm."),
            "{edition}: all conform norm"
        );
    } else {
        assert!(
            text.contains(&format!("er {} niet conform norm", a + o)),
            "{edition}: {} not conform norm",
            a + o
        );
    }
    assert!(
        text.contains(&format!("er {c} conform norm")) || c == 0 || a + o == 0,
        "{edition}: {c} conform norm"
    );

    // Over the chain: improved in every edition, fell back twice or more,
    // onvoldoende again.
    let chain = series(&v);
    let steps = |s: &[Option<u8>]| -> Vec<i8> {
        s.windows(2)
            .filter_map(|w| Some((w[1]? as i8 - w[0]? as i8).signum()))
            .collect()
    };
    let every = |f: &dyn Fn(&[Option<u8>]) -> bool| -> BTreeSet<String> {
        chain
            .iter()
            .filter(|(_, s)| f(s))
            .map(|(id, _)| id.clone())
            .collect()
    };
    let improved = every(&|s| {
        let st = steps(s);
        s.len() >= 3 && st.len() == s.len() - 1 && st.iter().all(|d| *d == 1)
    });
    let fell = every(&|s| steps(s).iter().filter(|d| **d == -1).count() >= 2);
    let again = every(&|s| s.len() >= 2 && s[s.len() - 1] == Some(1) && s[s.len() - 2] == Some(1));
    for (lead, expected) in [
        ("In elke monitor sinds ", &improved),
        ("Twee keer of vaker verslechterd sinds ", &fell),
    ] {
        let found = text
            .find(lead)
            .and_then(|_| list_after(&text, lead))
            .map(|s| s.split_once(": ").map_or(s, |(_, names)| names));
        match found {
            Some(names) => {
                assert_eq!(&units.named_in(names), expected, "{edition}: {lead}{names}");
                named += 1;
            }
            None => assert!(
                expected.is_empty(),
                "{edition}: no sentence {lead:?} for {expected:?}"
            ),
        }
    }
    let mut named_again = BTreeSet::new();
    let mut rest = text.as_str();
    while let Some(at) = rest.find("keer op rij onvoldoende: ") {
        let names = list_after(rest, "keer op rij onvoldoende: ").unwrap();
        named_again.extend(units.named_in(names));
        rest = &rest[at + 1..];
    }
    assert_eq!(&named_again, &again, "{edition}: onvoldoende again");
    named + usize::from(!again.is_empty())
}

#[test]
fn the_set_claims_of_every_edition_agree_with_the_verdicts() {
    let out = tempfile::tempdir().unwrap();
    let named: usize = ["data/2008", "data/2010", "data/2012", "data/2014"]
        .iter()
        .map(|e| check_claims(&root(), e, out.path()))
        .sum();
    // The claims checked name units: 2010's better and worse, 2012's
    // onvoldoende again, among others.
    assert!(named >= 3, "{named} claims naming units");
}

#[test]
fn the_set_claims_of_synthetic_editions_agree_with_the_verdicts() {
    let dir = tempfile::tempdir().unwrap();
    let r = run(
        dir.path(),
        &["generate", "chain", "--units", "40", "--chain", "4"],
    );
    assert_eq!(r.code, 0, "{}", r.stderr);
    let r = run(
        dir.path(),
        &["generate", "syn", "--units", "60", "--previous"],
    );
    assert_eq!(r.code, 0, "{}", r.stderr);
    let years: Vec<String> = std::fs::read_dir(dir.path().join("chain"))
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .collect();
    let out = dir.path().join("out");
    let mut named = 0;
    for y in &years {
        named += check_claims(dir.path(), &format!("chain/{y}"), &out);
    }
    named += check_claims(dir.path(), "syn", &out);
    assert!(named >= 4, "{named} claims naming units");
}
