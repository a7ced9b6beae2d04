//! The report's structure rules: free chapters with computed figures, a
//! partners' chapter without a table of zeros, headings at most four levels
//! deep, and a Bijlage B that lists exactly the abbreviations the text uses.

use std::fs;
use std::path::{Path, PathBuf};

use serde_json::Value;

use crate::pdf;
use crate::support::{mini, root, run};

/// Builds the report of `edition` (relative to `cwd`) into `cwd/out`;
/// returns its path.
fn build_report(cwd: &Path, edition: &str, year: &str) -> PathBuf {
    let r = run(
        cwd,
        &["build", edition, "--only", "report", "--output", "out"],
    );
    assert_eq!(r.code, 0, "{}", r.stderr);
    cwd.join("out")
        .join(year)
        .join(format!("korpsmonitor-{year}.pdf"))
}

/// The text of the pages from the last one holding `from` (past the table
/// of contents) up to (not including) the next one holding `to`, folded.
fn chapter(pages: &[String], from: &str, to: &str) -> String {
    let starts = |p: &String, h: &str| pdf::fold(p).contains(h);
    let first = pages
        .iter()
        .rposition(|p| starts(p, from))
        .unwrap_or_else(|| panic!("no page with {from:?}"));
    let end = pages[first + 1..]
        .iter()
        .position(|p| starts(p, to))
        .map_or(pages.len(), |i| first + 1 + i);
    pdf::fold(&pages[first..end].join(" "))
}

fn summary(edition: &str) -> Value {
    let r = run(&root(), &["summary", edition, "--format", "json"]);
    assert_eq!(r.code, 0, "{}", r.stderr);
    serde_json::from_str(&r.stdout).unwrap()
}

/// Words that hyphenation split at a line end, joined again.
fn squash(s: &str) -> String {
    s.replace(['-', '\u{ad}'], "")
        .split_whitespace()
        .collect::<String>()
}

#[test]
fn the_2012_report_explains_itself_with_the_computed_figures() {
    let dir = tempfile::tempdir().unwrap();
    let data = root().join("data/2012");
    let report = build_report(dir.path(), data.to_str().unwrap(), "2012");
    let pages = pdf::pages(&report);
    let intro = chapter(&pages, "1 Inleiding", "2 Samenvatting");
    for needle in [
        "Op 1 januari 2013 is de Nationale Politie ontstaan",
        "tien regionale eenheden, de Landelijke Eenheid en het Politiedienstencentrum",
        "‘niet vergelijkbaar’",
        "beoordeelt deze uitgave de KMar niet meer",
        "ter illustratie opgesteld",
    ] {
        assert!(
            squash(&intro).contains(&squash(needle)),
            "missing {needle:?} in {intro}"
        );
    }
    // The conclusions state the computed figures, not typed ones.
    let v = summary("data/2012");
    let h = &v["figures"]["headline"]["overall"];
    let p = &v["previous"]["figures"]["headline"]["overall"];
    let text = pdf::text(&report);
    let conclusions = &text[text.rfind("Conclusies").unwrap()..];
    let expected = format!(
        "Van de {} voormalige politieregio’s presteren er {} conform de norm, tegen {} in 2010.",
        v["figures"]["headline"]["units"], h["conform_norm"], p["conform_norm"]
    );
    assert!(
        squash(conclusions).contains(&squash(&expected)),
        "missing {expected:?} in {conclusions}"
    );
    assert!(!text.contains("{{") && !text.contains("{%"), "{text}");
}

#[test]
fn a_chapter_placeholder_takes_the_figures_and_an_unknown_one_is_an_error_at_its_line() {
    let dir = mini(None);
    let chapter = dir.path().join("mini/chapters/inleiding.txt");
    fs::write(
        &chapter,
        "Van de {{ headline.units }} {{ headline_groups }} presteren er {{ headline.conform_norm | word }} conform de norm.\n",
    )
    .unwrap();
    let v: Value = {
        let r = run(dir.path(), &["summary", "mini", "--format", "json"]);
        assert_eq!(r.code, 0, "{}", r.stderr);
        serde_json::from_str(&r.stdout).unwrap()
    };
    let report = build_report(dir.path(), "mini", "2030");
    let text = pdf::text(&report);
    let units = v["figures"]["headline"]["units"].as_u64().unwrap();
    assert!(
        text.contains(&format!("Van de {units} korpsen presteren er")),
        "{text}"
    );

    fs::write(
        &chapter,
        "Eerste alinea.\n\nDe {{ headline.nergens }} telt.\n",
    )
    .unwrap();
    for cmd in ["check", "build"] {
        let r = run(dir.path(), &[cmd, "mini"]);
        assert_eq!(r.code, 1, "{cmd}: {}", r.stderr);
        assert!(
            r.stderr.contains("mini/chapters/inleiding.txt:3:1")
                && r.stderr.contains("unknown placeholder"),
            "{cmd}: {}",
            r.stderr
        );
    }
}

#[test]
fn partners_nobody_rated_get_no_row_and_no_ratings_at_all_get_a_sentence() {
    // 2012: no unit rated a partner. The method says so once; there is no
    // chapter of two sentences.
    let dir = tempfile::tempdir().unwrap();
    let data = root().join("data/2012");
    let report = build_report(dir.path(), data.to_str().unwrap(), "2012");
    let pages = pdf::pages(&report);
    let all = pages.join("\n");
    assert!(!all.contains("Oordeel over de ketenpartners"), "{all}");
    let method = chapter(&pages, "Werkwijze", "Landelijk beeld");
    assert!(
        method.contains(
            "In deze monitor zijn geen oordelen van de eenheden over hun ketenpartners verzameld"
        ),
        "{method}"
    );

    // mini: alfa rates the OM; a second partner nobody rates is named in
    // words and has no row.
    let dir = mini(None);
    let edition = dir.path().join("mini/edition.yaml");
    let yaml = fs::read_to_string(&edition).unwrap().replace(
        "    abbreviation: OM\n",
        "    abbreviation: OM\n  - id: reclassering\n    name: Reclassering Nederland\n",
    );
    fs::write(&edition, yaml).unwrap();
    let report = build_report(dir.path(), "mini", "2030");
    let pages = pdf::pages(&report);
    let partners = chapter(&pages, "Oordeel over de ketenpartners", "Bijlagen");
    assert!(
        partners.contains("Over Reclassering Nederland is geen oordeel gegeven."),
        "{partners}"
    );
    assert_eq!(
        partners.matches("Reclassering Nederland").count(),
        1,
        "{partners}"
    );
    // The counts are drawn once, as a chart; the ratings themselves stand
    // in the units' chapters.
    assert!(
        partners.contains("Oordeel van de eenheden over de ketenpartners"),
        "{partners}"
    );
    assert!(
        partners.contains("staat, met de toelichting, bij die eenheid in hoofdstuk 5"),
        "{partners}"
    );
    let all = pdf::fold(&pages.join(" "));
    assert_eq!(
        all.matches("Ketenpartner Oordeel Opmerking Openbaar Ministerie")
            .count(),
        1,
        "{all}"
    );
}

/// The heading levels (1 for H1) of the structure tree.
fn heading_levels(path: &Path) -> Vec<usize> {
    let (types, _) = pdf::structure(path);
    types
        .iter()
        .filter_map(|t| t.strip_prefix('H').and_then(|n| n.parse().ok()))
        .collect()
}

/// Heading numbers of four parts or more ("4.11.2.5") in `text`.
fn deep_numbers(text: &str) -> Vec<String> {
    text.split_whitespace()
        .filter(|w| {
            let parts: Vec<&str> = w.split('.').collect();
            parts.len() >= 4
                && parts
                    .iter()
                    .all(|p| !p.is_empty() && p.chars().all(|c| c.is_ascii_digit()))
        })
        .map(str::to_string)
        .collect()
}

#[test]
fn headings_are_at_most_four_levels_deep_and_numbered_at_most_three() {
    let dir = tempfile::tempdir().unwrap();
    for (edition, year) in [("data/2012", "2012"), ("data/2010", "2010")] {
        let data = root().join(edition);
        let report = build_report(dir.path(), data.to_str().unwrap(), year);
        let levels = heading_levels(&report);
        assert!(!levels.is_empty(), "{edition}: no headings tagged");
        let deepest = levels.iter().max().copied().unwrap_or(0);
        assert!(deepest <= 4, "{edition}: a heading at level {deepest}");
        let text = pdf::text(&report);
        assert_eq!(deep_numbers(&text), Vec::<String>::new(), "{edition}");
        if edition == "data/2012" {
            // chapter > new unit > former region > dimension
            assert_eq!(deepest, 4, "{edition}: the grouped layout uses four levels");
            assert!(text.contains("5.1.2 Groningen"), "{text}");
        }
    }
}

#[test]
fn a_fifth_heading_level_fails_the_build_with_a_message() {
    let dir = mini(None);
    let tpl = dir.path().join("tpl");
    fs::create_dir_all(&tpl).unwrap();
    let report = fs::read_to_string(root().join("templates/report.typ.j2")).unwrap();
    fs::write(
        tpl.join("report.typ.j2"),
        format!("{report}\n#heading(level: 5)[Te diep]\n"),
    )
    .unwrap();
    let r = run(
        dir.path(),
        &["build", "mini", "--only", "report", "--templates", "tpl"],
    );
    assert_eq!(r.code, 1, "{}", r.stderr);
    assert!(
        r.stderr
            .contains("the house style allows headings at most four levels deep, found level 5"),
        "{}",
        r.stderr
    );
    assert!(
        !dir.path()
            .join("output/2030/korpsmonitor-2030.pdf")
            .exists()
    );
}

#[test]
fn bijlage_b_lists_exactly_the_abbreviations_the_text_uses() {
    let dir = mini(None);
    let edition = dir.path().join("mini/edition.yaml");
    // Listed but never used: RIEC. Used and listed: OM (the key figures).
    // Used in a finding but not listed: CoMensha.
    let yaml = fs::read_to_string(&edition).unwrap().replace(
        "abbreviations:\n  - short: OM\n    long: Openbaar Ministerie\n",
        "abbreviations:\n  - short: OM\n    long: Openbaar Ministerie\n  - short: RIEC\n    long: Regionaal Informatie- en Expertisecentrum\n",
    );
    fs::write(&edition, yaml).unwrap();
    let chapter = dir.path().join("mini/chapters/inleiding.txt");
    fs::write(
        &chapter,
        "Slachtoffers worden aangemeld bij CoMensha en zaken gaan naar het OM.\n",
    )
    .unwrap();
    let r = run(dir.path(), &["check", "mini"]);
    assert_eq!(r.code, 0, "{}", r.stderr);
    assert!(
        r.stderr.contains("mini/chapters/inleiding.txt:1:1")
            && r.stderr
                .contains("the text uses the abbreviation `CoMensha`")
            && r.stderr.contains("does not list"),
        "{}",
        r.stderr
    );
    assert!(!r.stderr.contains("`OM`"), "{}", r.stderr);

    let report = build_report(dir.path(), "mini", "2030");
    let text = pdf::text(&report);
    let appendix = &text[text.rfind("B. Afkortingen").expect("Bijlage B")..];
    assert!(appendix.contains("OM Openbaar Ministerie"), "{appendix}");
    assert!(!appendix.contains("RIEC"), "{appendix}");

    // No listed abbreviation used: no Bijlage B at all.
    fs::write(&chapter, "Een inleiding zonder afkortingen.\n").unwrap();
    let yaml = fs::read_to_string(&edition)
        .unwrap()
        .replace("  - short: OM\n    long: Openbaar Ministerie\n", "");
    fs::write(&edition, yaml).unwrap();
    let report = build_report(dir.path(), "mini", "2030");
    assert!(!pdf::text(&report).contains("Afkortingen"));
}

#[test]
fn bijlage_b_of_2012_names_the_organisations_of_its_text() {
    let dir = tempfile::tempdir().unwrap();
    let data = root().join("data/2012");
    let report = build_report(dir.path(), data.to_str().unwrap(), "2012");
    let text = pdf::text(&report);
    let appendix = &text[text.rfind("B. Afkortingen").expect("Bijlage B")..];
    let body = &text[..text.rfind("B. Afkortingen").unwrap()];
    for short in ["KLPD", "OM", "CoMensha", "KMar", "EMM", "RIEC", "ECVM"] {
        assert!(appendix.contains(short), "{short} missing in {appendix}");
        assert!(body.contains(short), "{short} not in the text");
    }
    let r = run(&root(), &["check", "data/2012"]);
    assert_eq!(r.code, 0, "{}", r.stderr);
    assert!(!r.stderr.contains("abbreviation"), "{}", r.stderr);
}

#[test]
fn a_finding_copied_to_several_units_with_only_the_name_changed_is_a_warning() {
    let dir = mini(None);
    for (id, name, own) in [
        ("alfa", "Alfa", "Veel onderzoeken."),
        ("beta", "Beta", "Weinig zaken bij het OM."),
        ("gamma", "Gamma", "Eén groot onderzoek."),
    ] {
        let path = dir.path().join(format!("mini/units/{id}.yaml"));
        let line = format!("    findings: {own} Dit geldt voor {name} in 2030.\n");
        let yaml = fs::read_to_string(&path)
            .unwrap()
            .replace("    findings: Veel onderzoeken.\n", "");
        let at = yaml
            .find("    points:\n      onderzoek")
            .expect("opsporing points");
        let yaml = format!("{}{line}{}", &yaml[..at], &yaml[at..]);
        fs::write(&path, yaml).unwrap();
    }
    for cmd in ["check", "build"] {
        let r = run(dir.path(), &[cmd, "mini"]);
        assert_eq!(r.code, 0, "{cmd}: {}", r.stderr);
        assert!(
            r.stderr.contains(
                "the sentence \"Dit geldt voor … in 2030.\" recurs in the findings of 3 of the 3 units"
            ) && r.stderr.contains("mini/units/alfa.yaml:"),
            "{cmd}: {}",
            r.stderr
        );
        assert_eq!(r.stderr.matches("recurs").count(), 1, "{cmd}: {}", r.stderr);
    }
    // The editions' findings are written per unit.
    for edition in ["data/2008", "data/2010", "data/2012", "data/2014"] {
        let r = run(&root(), &["check", edition]);
        assert_eq!(r.code, 0, "{}", r.stderr);
        assert!(!r.stderr.contains("recurs"), "{edition}: {}", r.stderr);
    }
}

#[test]
fn the_2012_kamerstuk_tells_how_the_monitor_was_received_and_followed_up() {
    let dir = tempfile::tempdir().unwrap();
    let data = root().join("data/2012");
    let r = run(
        dir.path(),
        &[
            "build",
            data.to_str().unwrap(),
            "--only",
            "letter",
            "--output",
            "out",
        ],
    );
    assert_eq!(r.code, 0, "{}", r.stderr);
    let letter = pdf::text(&dir.path().join("out/2012/aanbiedingsbrief-2012.pdf"));
    for needle in [
        "de monitor op 3 september 2013 aangeboden",
        "op 2 september 2013 besproken op een congres voor ketenpartners en politiemedewerkers",
        "Taskforce Mensenhandel heeft de monitor op 25 september 2013 besproken",
        "opgevolgd naar hun urgentie en in hun context",
        "maakt het Korps Nationale Politie afspraken met die partners",
        "Expertisecentrum Vreemdelingen en Mensenhandel (ECVM) voert de regie op de opvolging",
    ] {
        assert!(
            squash(&letter).contains(&squash(needle)),
            "missing {needle:?} in {letter}"
        );
    }
    // Its figures come from the computation.
    let v = summary("data/2012");
    let expected = format!(
        "{} van de {} voormalige regio’s presteren conform de norm, tegen {} in 2010",
        v["figures"]["headline"]["overall"]["conform_norm"],
        v["figures"]["headline"]["units"],
        v["previous"]["figures"]["headline"]["overall"]["conform_norm"]
    );
    assert!(
        squash(&letter).contains(&squash(&expected)),
        "missing {expected:?} in {letter}"
    );
}
