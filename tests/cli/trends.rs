//! Trends across the chain of editions: the chain is read whole, and a
//! chain that loops is an error with file and line, never a hang.

use std::fs;

use crate::support::{mini, root, run};

#[test]
fn a_chain_that_loops_is_an_error_with_file_and_line() {
    let dir = mini(None);
    let prev = dir.path().join("mini-prev/edition.yaml");
    let text = fs::read_to_string(&prev).unwrap();
    fs::write(
        &prev,
        text.replace(
            "publisher: Testdienst\n",
            "publisher: Testdienst\nprevious: ../mini\n",
        ),
    )
    .unwrap();
    let r = run(dir.path(), &["check", "mini"]);
    assert_eq!(r.code, 1, "{}", r.stderr);
    assert!(
        r.stderr.starts_with(
            "error: the chain of previous editions loops: mini -> mini/../mini-prev -> mini/../mini-prev/../mini; expected a chain that ends at the first edition\n  ┌─ mini/../mini-prev/edition.yaml:6:11\n"
        ),
        "{}",
        r.stderr
    );
}

/// `summary --format json` of `edition` (a path under the repository root).
fn summary(edition: &str) -> serde_json::Value {
    summary_in(&root(), edition)
}

/// `summary --format json` of `edition`, a path under `cwd`.
fn summary_in(cwd: &std::path::Path, edition: &str) -> serde_json::Value {
    let r = run(cwd, &["summary", edition, "--format", "json"]);
    assert_eq!(r.code, 0, "{edition}: {}", r.stderr);
    serde_json::from_str(&r.stdout).unwrap()
}

/// The overall part of a series point: year, verdict, score, trend.
fn overall(p: &serde_json::Value) -> [serde_json::Value; 4] {
    [
        p["year"].clone(),
        p["verdict"].clone(),
        p["score"].clone(),
        p["trend"].clone(),
    ]
}

/// Asserts that every unit's series, in the summary of every edition of a
/// chain (`by_year`, oldest first), agrees with each edition of the chain
/// read on its own, and with each earlier edition's own series.
fn assert_series_agree(by_year: &[(u64, serde_json::Value)]) {
    let all: Vec<u64> = by_year.iter().map(|(y, _)| *y).collect();
    let edition = |year: u64| &by_year.iter().find(|(y, _)| *y == year).unwrap().1;
    for (year, s) in by_year {
        let years: Vec<u64> = s["trends"]["editions"]
            .as_array()
            .unwrap()
            .iter()
            .map(|e| e["year"].as_u64().unwrap())
            .collect();
        let want: Vec<u64> = all.iter().copied().filter(|y| y <= year).collect();
        assert_eq!(years, want, "{year}");
        for unit in s["trends"]["units"].as_array().unwrap() {
            let id = unit["id"].as_str().unwrap();
            let points = unit["points"].as_array().unwrap();
            assert_eq!(points.len(), want.len(), "{year} {id}");
            for p in points {
                // The point of each year is that edition's own verdict,
                // score and trend.
                let y = p["year"].as_u64().unwrap();
                let own = edition(y)["units"]
                    .as_array()
                    .unwrap()
                    .iter()
                    .find(|u| u["id"] == id);
                match own {
                    None => assert!(p["verdict"].is_null(), "{year} {id} {y}"),
                    Some(u) => {
                        assert_eq!(p["verdict"], u["verdict"], "{year} {id} {y}");
                        assert_eq!(p["score"], u["score"], "{year} {id} {y}");
                        let trend = if y == want[0] {
                            &serde_json::Value::Null
                        } else {
                            &u["trend"]
                        };
                        assert_eq!(&p["trend"], trend, "{year} {id} {y}");
                    }
                }
                // And the same as an earlier edition's own series says.
                let earlier = edition(y)["trends"]["units"]
                    .as_array()
                    .unwrap()
                    .iter()
                    .find(|u| u["id"] == id);
                if let Some(e) = earlier {
                    let theirs: Vec<_> = e["points"]
                        .as_array()
                        .unwrap()
                        .iter()
                        .map(overall)
                        .collect();
                    let ours: Vec<_> = points
                        .iter()
                        .filter(|q| q["year"].as_u64().unwrap() <= y)
                        .map(overall)
                        .collect();
                    assert_eq!(ours, theirs, "{year} {id} up to {y}");
                }
            }
        }
    }
}

#[test]
fn a_series_agrees_with_every_edition_read_on_its_own() {
    let by_year: Vec<(u64, serde_json::Value)> = ["2008", "2010", "2012"]
        .iter()
        .map(|y| (y.parse().unwrap(), summary(&format!("data/{y}"))))
        .collect();
    assert_series_agree(&by_year);
    let edition = |year: u64| &by_year.iter().find(|(y, _)| *y == year).unwrap().1;
    // Dimensions follow the mapping: 2012's toezicht comes from two 2010
    // dimensions and is not comparable before 2012; informatie is.
    let s = edition(2012);
    let groningen = s["trends"]["units"]
        .as_array()
        .unwrap()
        .iter()
        .find(|u| u["id"] == "groningen")
        .unwrap();
    let mark = |year: usize, dim: &str| {
        groningen["points"][year]["dimensions"]
            .as_array()
            .unwrap()
            .iter()
            .find(|d| d["id"] == dim)
            .unwrap()["mark"]["kind"]
            .clone()
    };
    assert_eq!(mark(0, "toezicht"), "not_comparable");
    assert_eq!(mark(1, "toezicht"), "not_comparable");
    assert_eq!(mark(2, "toezicht"), "verdict");
    assert_eq!(mark(0, "informatie"), "verdict");
}

#[test]
fn the_reports_show_every_edition_and_a_peer_chart_per_unit() {
    let dir = tempfile::tempdir().unwrap();
    for (year, years) in [("2010", "2008 2010"), ("2012", "2008 2010 2012")] {
        let r = run(
            &root(),
            &[
                "build",
                &format!("data/{year}"),
                "--only",
                "report",
                "--output",
                dir.path().to_str().unwrap(),
            ],
        );
        assert_eq!(r.code, 0, "{}", r.stderr);
        let pdf = dir.path().join(format!("{year}/korpsmonitor-{year}.pdf"));
        let text = crate::pdf::text(&pdf);
        let summary = summary(&format!("data/{year}"));
        let units = summary["units"].as_array().unwrap();
        // Every unit's chapter has one table with the verdicts of every
        // edition, and one chart; a unit new in this edition has only this
        // edition's column, and a note that says it is new.
        let new = units.iter().filter(|u| u["trend"] == "new").count();
        assert_eq!(
            text.matches(&format!(
                "Dimensie Punten Score {years} Verandering Totaaloordeel"
            ))
            .count(),
            units.len() - new,
            "{year}"
        );
        assert_eq!(
            text.matches(&format!("Dimensie Punten Score {year} Totaaloordeel"))
                .count(),
            new,
            "{year}"
        );
        assert_eq!(
            text.matches("Nieuw in deze monitor: in").count(),
            new,
            "{year}"
        );
        // A unit of a group of fewer than three units with a score is not
        // compared with its group, and its chapter says why.
        let in_group = |g: &serde_json::Value| {
            units
                .iter()
                .filter(|u| u["group"] == *g && u["score"].is_object())
                .count()
        };
        let compared = units
            .iter()
            .filter(|u| u["score"].is_object() && in_group(&u["group"]) >= 3)
            .count();
        assert_eq!(
            text.matches(": scores tegen de spreiding van de groep")
                .count(),
            compared,
            "{year}"
        );
        let noted = units
            .iter()
            .filter(|u| u["score"].is_object() && in_group(&u["group"]) < 3)
            .count();
        assert_eq!(
            crate::pdf::fold(&text)
                .matches("wordt daarom niet met")
                .count(),
            noted,
            "{year}"
        );
        // The national picture lists the distribution of every edition.
        // After a reorganisation each row also says over how many units
        // its edition counted: "2008 (25) 6 14 5".
        let editions = summary["trends"]["editions"].as_array().unwrap();
        let same = editions
            .iter()
            .all(|e| e["headline_units"] == editions.last().unwrap()["headline_units"]);
        let counts = |e: &serde_json::Value| {
            let h = &e["headline"];
            let year = if same {
                e["year"].to_string()
            } else {
                format!("{} ({})", e["year"], e["headline_units"])
            };
            format!(
                "{year} {} {} {}",
                h["conform_norm"], h["aandacht"], h["onvoldoende"]
            )
        };
        for e in editions {
            assert!(text.contains(&counts(e)), "{year}: {}", counts(e));
        }
        // Each pair names its units as the later edition of the pair named
        // its headline groups: 2012's report calls the units of 2008 and
        // 2010 "regiokorpsen", as 2010 did.
        let folded = text.split_whitespace().collect::<Vec<_>>().join(" ");
        let editions = summary["trends"]["editions"].as_array().unwrap();
        for p in summary["trends"]["pairs"].as_array().unwrap() {
            let to = editions.iter().find(|e| e["year"] == p["to"]).unwrap();
            let total = ["better", "same", "worse"]
                .iter()
                .map(|k| p[*k].as_u64().unwrap())
                .sum::<u64>();
            let sentence = format!(
                "Van de {total} {} die in {} en in {} zijn beoordeeld",
                to["headline_groups"].as_str().unwrap(),
                p["from"],
                p["to"]
            );
            assert!(folded.contains(&sentence), "{year}: {sentence}");
        }
        if year == "2012" {
            assert!(folded.contains("Van de 25 regiokorpsen die in 2008 en in 2010"));
            assert!(folded.contains("Van de 25 voormalige politieregio’s die in 2010 en in 2012"));
        }
    }
}

#[test]
fn diff_against_a_revision_reads_the_whole_chain_as_it_was() {
    let dir = tempfile::tempdir().unwrap();
    for year in ["2008", "2010", "2012"] {
        crate::support::copy_dir(
            &root().join("data").join(year),
            &dir.path().join("data").join(year),
        );
    }
    let git = |args: &[&str]| crate::support::git(dir.path(), args);
    git(&["init", "-q"]);
    git(&["add", "."]);
    git(&["commit", "-qm", "start"]);
    let r = run(dir.path(), &["diff", "data/2012", "--rev", "HEAD"]);
    assert_eq!(r.code, 0, "{}", r.stderr);
    assert_eq!(r.stdout.to_lowercase(), "no semantic changes\n");
}

#[test]
fn a_synthetic_chain_of_four_editions_goes_through_every_command() {
    let dir = tempfile::tempdir().unwrap();
    let r = run(
        dir.path(),
        &["generate", "syn", "--units", "12", "--chain", "4"],
    );
    assert_eq!(r.code, 0, "{}", r.stderr);
    assert_eq!(
        r.stdout,
        "wrote a synthetic chain of 4 editions with 12 units each to syn; the newest is syn/2099\n"
    );
    let r = run(dir.path(), &["check", "syn/2099"]);
    assert_eq!(r.code, 0, "{}", r.stderr);
    let by_year: Vec<(u64, serde_json::Value)> = [2093u64, 2095, 2097, 2099]
        .iter()
        .map(|y| (*y, summary_in(dir.path(), &format!("syn/{y}"))))
        .collect();
    assert_series_agree(&by_year);
    let newest = &by_year[3].1;
    assert_eq!(newest["trends"]["pairs"].as_array().unwrap().len(), 3);
    let r = run(dir.path(), &["summary", "syn/2099"]);
    assert_eq!(r.code, 0, "{}", r.stderr);
    let r = run(
        dir.path(),
        &["build", "syn/2099", "--only", "report", "--check-layout"],
    );
    assert_eq!(r.code, 0, "{}", r.stderr);
    let text = crate::pdf::text(&dir.path().join("output/2099/korpsmonitor-2099.pdf"));
    assert_eq!(
        text.matches("Dimensie Punten Score 2095 2097 2099 Verandering")
            .count(),
        12
    );
    // The oldest edition does not fit beside the others: the chapter says
    // so once, at its head.
    assert_eq!(
        text.matches("het oordeel in de laatste drie monitors")
            .count(),
        1
    );
    assert_eq!(
        text.matches("Oudere monitors staan in de eerdere rapporten.")
            .count(),
        1
    );
    let r = run(dir.path(), &["diff", "syn/2097", "syn/2099"]);
    assert_eq!(r.code, 0, "{}", r.stderr);
    assert!(
        r.stdout.starts_with("Changes from syn/2097 to syn/2099"),
        "{}",
        r.stdout
    );
    // A second run never writes over the chain.
    let r = run(dir.path(), &["generate", "syn", "--chain", "4"]);
    assert_eq!(r.code, 2, "{}", r.stderr);
}

/// A unit's series table says every verdict in words (no bare letters that
/// need the matrix's key), and each edition's score starts where its
/// column's year does, so 2010's score never reads as 2012's.
#[test]
fn a_series_table_gives_verdicts_in_words_and_scores_under_their_year() {
    let dir = tempfile::tempdir().unwrap();
    let r = run(
        &root(),
        &[
            "build",
            "data/2012",
            "--only",
            "report",
            "--output",
            dir.path().to_str().unwrap(),
        ],
    );
    assert_eq!(r.code, 0, "{}", r.stderr);
    let pdf = dir.path().join("2012/korpsmonitor-2012.pdf");
    let text = crate::pdf::text(&pdf);
    // Groningen: its points, scores, verdicts of three editions and change,
    // in words, in one table.
    let groningen = "Dimensie Punten Score 2008 2010 2012 Verandering \
                     Totaaloordeel 80,5% conform norm conform norm 77,7% conform norm = ongewijzigd \
                     Organisatie 15 van 20 75,0% aandacht aandacht conform norm + verbeterd \
                     Toezicht 16 van 20 80,0% niet vergelijkbaar niet vergelijkbaar conform norm – \
                     Informatie 16 van 20 80,0% conform norm conform norm conform norm = ongewijzigd";
    assert!(text.contains(groningen), "{groningen}");
    let glyphs = crate::pdf::glyphs(&pdf);
    let score = crate::pdf::find_word(&glyphs, "77,7%");
    let (page, x, _) = *score
        .iter()
        .find(|(p, _, _)| {
            crate::pdf::find_word(&glyphs, "Verandering")
                .iter()
                .any(|(q, _, _)| q == p)
        })
        .expect("Groningen's 2010 score in its verdict table");
    let (_, _, header_y) = *crate::pdf::find_word(&glyphs, "Punten")
        .iter()
        .find(|(p, _, _)| *p == page)
        .unwrap();
    let year = crate::pdf::find_word(&glyphs, "2010")
        .into_iter()
        .find(|(p, _, y)| *p == page && (y - header_y).abs() < 0.5)
        .expect("the 2010 column's header");
    assert!(
        (year.1 - x).abs() < 0.5,
        "2010's score starts at {x:.1} pt, its column at {:.1} pt",
        year.1
    );
}
