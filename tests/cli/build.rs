//! `build`: the report PDF, read back and checked on its laid-out content.

use std::fs;

use crate::pdf;
use crate::support::{build_2010, font_folder, mini, root, run};

#[test]
fn the_mini_report_has_every_part() {
    let dir = mini(None);
    let r = run(dir.path(), &["build", "mini", "--only", "report"]);
    assert_eq!(r.code, 0, "{}", r.stderr);
    let path = dir.path().join("output/2030/korpsmonitor-2030.pdf");
    let text = pdf::text(&path);
    for needle in [
        "Korpsmonitor testuitgave 2030",
        "CONCEPT",
        "Inhoud",
        "Samenvatting",
        "Werkwijze",
        "Landelijk beeld",
        "Beoordeling per eenheid",
        "Oordeel over de ketenpartners",
        "Aanbevelingen",
        "Bijlagen",
        "Alfa",
        "Beta",
        "Gamma",
        "conform norm",
        "onvoldoende",
        "81,3%",
        "Het grote onderzoek liep door na de peildatum.",
        "Illustratieve gegevens",
        "6 juli 2031",
        "Dit is een testuitgave",
    ] {
        assert!(text.contains(needle), "missing {needle:?} in\n{text}");
    }
    // CONCEPT on every page while the edition is a concept.
    for (i, page) in pdf::pages(&path).iter().enumerate() {
        assert!(
            page.contains("CONCEPT"),
            "page {} has no CONCEPT marking",
            i + 1
        );
    }
    let outline = pdf::outline(&path);
    for unit in ["Alfa", "Beta", "Gamma"] {
        assert_eq!(
            outline
                .iter()
                .filter(
                    |(level, t)| *level == 2 && t.split_once(' ').is_some_and(|(_, n)| n == unit)
                )
                .count(),
            1,
            "one outline entry for {unit}: {outline:?}"
        );
    }
    assert_eq!(pdf::unembedded_fonts(&path), Vec::<String>::new());
}

#[test]
fn a_definitive_edition_has_no_concept_marking() {
    let dir = mini(None);
    let edition = dir.path().join("mini/edition.yaml");
    let text = fs::read_to_string(&edition)
        .unwrap()
        .replace("status: concept", "status: definitief");
    fs::write(&edition, text).unwrap();
    let r = run(dir.path(), &["build", "mini", "--only", "report"]);
    assert_eq!(r.code, 0, "{}", r.stderr);
    let text = pdf::text(&dir.path().join("output/2030/korpsmonitor-2030.pdf"));
    assert!(!text.contains("CONCEPT"));
}

#[test]
fn a_failing_build_keeps_the_previous_pdf() {
    let dir = mini(None);
    let r = run(dir.path(), &["build", "mini", "--only", "report"]);
    assert_eq!(r.code, 0, "{}", r.stderr);
    let path = dir.path().join("output/2030/korpsmonitor-2030.pdf");
    let before = fs::read(&path).unwrap();
    // A house style with a Typst error, given as an override.
    let templates = dir.path().join("tpl");
    fs::create_dir_all(&templates).unwrap();
    let style = fs::read_to_string(root().join("templates/style.typ")).unwrap();
    let broken = style.replace(
        "#let contents(entries: none) = {",
        "#let contents(entries: none) = {\n  undefined-function()",
    );
    fs::write(templates.join("style.typ"), broken).unwrap();
    let r = run(
        dir.path(),
        &["build", "mini", "--only", "report", "--templates", "tpl"],
    );
    assert_eq!(r.code, 1, "{}", r.stderr);
    assert!(
        r.stderr.contains("unknown variable: undefined-function"),
        "{}",
        r.stderr
    );
    assert!(r.stderr.contains("tpl/style.typ:"), "{}", r.stderr);
    assert_eq!(fs::read(&path).unwrap(), before);
    let leftovers: Vec<_> = fs::read_dir(path.parent().unwrap())
        .unwrap()
        .map(|e| e.unwrap().file_name())
        .filter(|n| n != ".korpsmonitor-manifest")
        .collect();
    assert_eq!(leftovers.len(), 1, "no temporary files are left behind");
}

#[test]
fn same_input_gives_identical_bytes() {
    let a = mini(None);
    let b = mini(None);
    for d in [&a, &b] {
        let r = run(d.path(), &["build", "mini", "--only", "report"]);
        assert_eq!(r.code, 0, "{}", r.stderr);
    }
    let pa = fs::read(a.path().join("output/2030/korpsmonitor-2030.pdf")).unwrap();
    let pb = fs::read(b.path().join("output/2030/korpsmonitor-2030.pdf")).unwrap();
    assert!(pa == pb, "two builds from two folders differ");
}

#[test]
fn emitted_typst_is_complete() {
    let dir = mini(None);
    let r = run(
        dir.path(),
        &["build", "mini", "--only", "report", "--emit-typst", "typ"],
    );
    assert_eq!(r.code, 0, "{}", r.stderr);
    for f in [
        "report.typ",
        "style.typ",
        "charts/oordelen.svg",
        "charts/eenheid-alfa.svg",
    ] {
        assert!(dir.path().join("typ").join(f).is_file(), "{f} not emitted");
    }
}

#[test]
fn default_templates_can_be_written_out() {
    let dir = tempfile::tempdir().unwrap();
    let r = run(dir.path(), &["templates", "tpl"]);
    assert_eq!(r.code, 0, "{}", r.stderr);
    let written = fs::read_to_string(dir.path().join("tpl/style.typ")).unwrap();
    assert_eq!(
        written,
        fs::read_to_string(root().join("templates/style.typ")).unwrap()
    );
    let r = run(dir.path(), &["templates", "tpl"]);
    assert_eq!(r.code, 2, "refuses to overwrite");
}

#[test]
fn the_2010_report_shows_every_unit_its_verdict_and_the_headline_figures() {
    let dir = tempfile::tempdir().unwrap();
    build_2010(dir.path(), &["--only", "report"]);
    let path = dir.path().join("out/2010/korpsmonitor-2010.pdf");
    let text = pdf::text(&path);
    let summary = run(&root(), &["summary", "data/2010", "--format", "json"]);
    let v: serde_json::Value = serde_json::from_str(&summary.stdout).unwrap();
    let outline = pdf::outline(&path);
    for u in v["units"].as_array().unwrap() {
        let name = u["name"].as_str().unwrap();
        let verdict = u["verdict"].as_str().unwrap().replace('_', " ");
        // The summary table row: name, score, verdict.
        let score = format!(
            "{:.1}%",
            u["score"]["tenths"].as_i64().unwrap() as f64 / 10.0
        )
        .replace('.', ",");
        let row = format!("{name} {score} {verdict}");
        // Long names wrap in their cell: compare without spaces and hyphens.
        let flat = |s: &str| {
            s.replace(['-', '\u{ad}'], "")
                .split_whitespace()
                .collect::<String>()
        };
        assert!(
            flat(&text).contains(&flat(&row)),
            "summary row {row:?} missing"
        );
        assert_eq!(
            outline
                .iter()
                .filter(
                    |(level, t)| *level == 2 && t.split_once(' ').is_some_and(|(_, n)| n == name)
                )
                .count(),
            1,
            "one outline entry for {name}"
        );
    }
    for needle in [
        "Van de 25 regiokorpsen presteren er 12 conform norm, moeten er 9 aandacht besteden",
        "en presteren er 4 onvoldoende. In 2008 was de verdeling over de 25 regiokorpsen: 6 conform norm, 14 aandacht en 5 onvoldoende.",
        "Van de regiokorpsen presteren er 13 niet conform norm.",
        "Beide landelijke diensten moeten aandacht besteden aan een of meer dimensies.",
        // The totals over 27 units, compared with 2008 over the same 25:
        // the KMar is not "de politie", and 2008 had no KLPD or KMar.
        "In 2010 hebben de eenheden samen 337 verdachten van mensenhandel in beeld gebracht en 207 zaken",
        "Over dezelfde eenheden als in 2008 zijn dat 300 verdachten en 187 zaken, tegen 239 verdachten en 133 zaken in 2008; het KLPD en de KMar zijn in 2008 niet beoordeeld.",
        // "Verbeterd" is said of the overall verdict alone.
        "Gooi en Vechtstreek 69,1% aandacht aandacht ± ongewijzigd, beter op 2 dimensies",
        "Voor het eerst beoordeeld: het KLPD en de KMar.",
        "Illustratieve gegevens",
    ] {
        assert!(text.contains(needle), "missing {needle:?}");
    }
    assert!(!text.contains("CONCEPT"), "a definitive edition");
    assert_eq!(pdf::unembedded_fonts(&path), Vec::<String>::new());
}

#[test]
fn a_typst_error_in_a_template_points_to_the_template_line() {
    let dir = mini(None);
    let templates = dir.path().join("tpl");
    fs::create_dir_all(&templates).unwrap();
    let report = fs::read_to_string(root().join("templates/report.typ.j2")).unwrap();
    let broken = report.replace(
        "#contents(entries: outlined-headings(body))",
        "#contents(entries: outlined-headings(body))\n#no-such-function({{ meta.year }})",
    );
    let line = broken
        .lines()
        .position(|l| l.contains("no-such-function"))
        .unwrap()
        + 1;
    fs::write(templates.join("report.typ.j2"), broken).unwrap();
    let r = run(
        dir.path(),
        &["build", "mini", "--only", "report", "--templates", "tpl"],
    );
    assert_eq!(r.code, 1, "{}", r.stderr);
    assert!(
        r.stderr.contains(&format!("tpl/report.typ.j2:{line}:")),
        "{}",
        r.stderr
    );
    assert!(
        r.stderr.contains("unknown variable: no-such-function"),
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
fn a_reorganised_police_groups_former_units_under_new_units() {
    let dir = mini(None);
    let edition = dir.path().join("mini/edition.yaml");
    let text = fs::read_to_string(&edition).unwrap().replace(
        "partners:\n",
        "new_units:\n- id: noord\n  name: Eenheid Noord\n  former:\n  - alfa\n  - beta\n  recommendations:\n  - Breng de werkwijzen van Alfa en Beta samen.\npartners:\n",
    );
    fs::write(&edition, text).unwrap();
    let r = run(dir.path(), &["build", "mini", "--only", "report"]);
    assert_eq!(r.code, 0, "{}", r.stderr);
    let path = dir.path().join("output/2030/korpsmonitor-2030.pdf");
    let text = pdf::text(&path);
    assert!(
        text.contains("Deze eenheid omvat de korpsen Alfa en Beta."),
        "{text}"
    );
    assert!(text.contains("Breng de werkwijzen van Alfa en Beta samen."));
    assert!(text.contains("Overige eenheden"));
    let outline = pdf::outline(&path);
    let level = |name: &str| {
        outline
            .iter()
            .find(|(_, t)| t.ends_with(name))
            .map(|(l, _)| *l)
    };
    assert_eq!(level("Eenheid Noord"), Some(2), "{outline:?}");
    assert_eq!(level("Alfa"), Some(3), "{outline:?}");
    assert_eq!(level("Gamma"), Some(3), "{outline:?}");
    // A unit placed twice is an error.
    let text = fs::read_to_string(&edition)
        .unwrap()
        .replace("  - beta\n", "  - beta\n  - alfa\n");
    fs::write(&edition, text).unwrap();
    let r = run(dir.path(), &["check", "mini"]);
    assert_eq!(r.code, 1);
    assert!(
        r.stderr.contains("unit `alfa` is placed in two new units"),
        "{}",
        r.stderr
    );
}

#[test]
fn a_font_folder_sets_the_documents_font_and_a_bad_one_is_refused() {
    let dir = mini(None);
    font_folder(dir.path(), "huisstijl", "DejaVuSans.ttf", "DejaVuSans.ttf");
    let r = run(
        dir.path(),
        &["build", "mini", "--only", "report", "--fonts", "huisstijl"],
    );
    assert_eq!(r.code, 0, "{}", r.stderr);
    let names = crate::pdf::font_names(&dir.path().join("output/2030/korpsmonitor-2030.pdf"));
    assert!(
        names.iter().any(|n| n.starts_with("DejaVuSans")),
        "{names:?}"
    );
    assert!(!names.iter().any(|n| n == "NotoSans-Regular"), "{names:?}");

    let empty = dir.path().join("leeg");
    std::fs::create_dir(&empty).unwrap();
    std::fs::write(empty.join("niet-een-font.ttf"), b"no font").unwrap();
    let r = run(dir.path(), &["build", "mini", "--fonts", "leeg"]);
    assert_eq!(r.code, 2, "{}", r.stderr);
    assert!(
        r.stderr.contains("leeg holds no usable font"),
        "{}",
        r.stderr
    );
}
