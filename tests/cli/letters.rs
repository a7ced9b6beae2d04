//! The covering letter and the manager letters, bound to the same data as
//! the report.

use std::fs;

use crate::pdf;
use crate::support::{mini, root, run};

fn letters(dir: &std::path::Path) -> Vec<String> {
    let mut names: Vec<String> = fs::read_dir(dir)
        .map(|d| {
            d.map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
                .collect()
        })
        .unwrap_or_default();
    names.sort();
    names
}

#[test]
fn a_flipped_verdict_changes_letter_letters_and_report_together() {
    let dir = mini(None);
    let r = run(dir.path(), &["build", "mini"]);
    assert_eq!(r.code, 0, "{}", r.stderr);
    let out = dir.path().join("output/2030");
    let covering = pdf::text(&out.join("aanbiedingsbrief-2030.pdf"));
    assert!(
        covering
            .contains("Van de 2 korpsen presteren er 1 conform de norm en 1 onvoldoende (Beta)."),
        "{covering}"
    );
    assert!(
        covering.contains("Ik schrijf 2 brieven, aan Beta en Gamma."),
        "{covering}"
    );
    assert_eq!(letters(&out.join("brieven")), ["beta.pdf", "gamma.pdf"]);
    let beta = pdf::text(&out.join("brieven/beta.pdf"));
    assert!(
        beta.contains("Het totaaloordeel over Beta is onvoldoende"),
        "{beta}"
    );
    assert!(beta.contains("1 oktober 2031"), "{beta}");
    assert!(
        beta.contains("Bijlage"),
        "the unit's chapter is enclosed: {beta}"
    );
    assert!(
        beta.contains("Het grote onderzoek liep door na de peildatum."),
        "{beta}"
    );

    // Beta now scores full points: conform norm.
    let unit = dir.path().join("mini/units/beta.yaml");
    let text = fs::read_to_string(&unit)
        .unwrap()
        .replace("controle: 2", "controle: 4")
        .replace("vergunning: 1", "vergunning: 2")
        .replace("onderzoek: 1", "onderzoek: 5");
    fs::write(&unit, text).unwrap();
    let r = run(dir.path(), &["build", "mini"]);
    assert_eq!(r.code, 0, "{}", r.stderr);
    let covering = pdf::text(&out.join("aanbiedingsbrief-2030.pdf"));
    assert!(
        covering.contains("Van de 2 korpsen presteren er 2 conform de norm en 0 onvoldoende"),
        "{covering}"
    );
    assert!(
        covering.contains("Ik schrijf 1 brieven, aan Gamma."),
        "{covering}"
    );
    assert_eq!(letters(&out.join("brieven")), ["gamma.pdf"]);
    let report = pdf::text(&out.join("korpsmonitor-2030.pdf"));
    assert!(
        report.contains("Van de 2 korpsen presteren er 2 conform norm"),
        "{report}"
    );
}

#[test]
fn an_unknown_placeholder_is_an_error_with_its_line() {
    let dir = mini(None);
    let path = dir.path().join("mini/letter.yaml");
    let text = fs::read_to_string(&path).unwrap().replace(
        "Landelijk {{ totals.suspects }}",
        "Landelijk {{ totals.verdachten }}",
    );
    fs::write(&path, text).unwrap();
    for cmd in ["check", "build"] {
        let r = run(dir.path(), &[cmd, "mini"]);
        assert_eq!(r.code, 1, "{cmd}: {}", r.stderr);
        assert!(
            r.stderr.contains("mini/letter.yaml:17:88"),
            "{cmd}: {}",
            r.stderr
        );
        assert!(
            r.stderr.contains("unknown placeholder `totals.verdachten`"),
            "{cmd}: {}",
            r.stderr
        );
    }
    let text = fs::read_to_string(&path)
        .unwrap()
        .replace("{{ totals.verdachten }}", "{{ totals.suspects | shout }}");
    fs::write(&path, text).unwrap();
    let r = run(dir.path(), &["check", "mini"]);
    assert_eq!(r.code, 1, "{}", r.stderr);
    assert!(r.stderr.contains("mini/letter.yaml:17:106"), "{}", r.stderr);
    assert!(r.stderr.contains("filter shout is unknown"), "{}", r.stderr);
}

#[test]
fn the_2010_letters_carry_the_public_figures() {
    let dir = tempfile::tempdir().unwrap();
    let data = root().join("data/2010");
    let r = run(
        dir.path(),
        &[
            "build",
            data.to_str().unwrap(),
            "--output",
            "out",
            "--only",
            "letter",
        ],
    );
    assert_eq!(r.code, 0, "{}", r.stderr);
    let text = pdf::text(&dir.path().join("out/2010/aanbiedingsbrief-2010.pdf"));
    for needle in [
        "presteren er 12 conform de norm",
        "9 korpsen moeten aandacht besteden",
        "4 korpsen presteren",
        "IJsselland, Gelderland-Midden, Gelderland-Zuid",
        "en Limburg-Zuid.",
        "waren die aantallen 6, 14 en 5",
        "Dat 7 van de 25 korpsen onvoldoende presteren",
        "en 3 op het toezicht op de vergunde branche",
        "de korpsbeheerders van de 13 korpsen",
        "In totaal schrijf ik dus 15 brieven",
        "regulering van de prostitutiesector, opvang van slachtoffers, organisatie van de politie en ketenpartners",
        "6 juli 2011",
        "5700787",
        "I.W. Opstelten",
    ] {
        // Hyphenation at line ends shows up in the extracted text as "-",
        // " - " or nothing: compare without hyphens and white space.
        let flat = |s: &str| {
            s.replace(['-', '\u{ad}'], "")
                .split_whitespace()
                .collect::<String>()
        };
        assert!(
            flat(&text).contains(&flat(needle)),
            "missing {needle:?} in\n{text}"
        );
    }
    let r = run(
        dir.path(),
        &[
            "build",
            data.to_str().unwrap(),
            "--output",
            "out",
            "--only",
            "letters",
        ],
    );
    assert_eq!(r.code, 0, "{}", r.stderr);
    assert_eq!(letters(&dir.path().join("out/2010/brieven")).len(), 15);
}

#[test]
fn the_kamerstuk_layout() {
    let dir = mini(None);
    let path = dir.path().join("mini/letter.yaml");
    let text = fs::read_to_string(&path)
        .unwrap()
        .replace("layout: ministry", "layout: kamerstuk")
        + "kamerstuk:\n  dossier: 28 638 Mensenhandel\n  number: '103'\n  from: DE MINISTER VAN TESTZAKEN\n  place: Den Haag\n";
    fs::write(&path, text).unwrap();
    let r = run(dir.path(), &["build", "mini", "--only", "letter"]);
    assert_eq!(r.code, 0, "{}", r.stderr);
    let text = pdf::text(&dir.path().join("output/2030/aanbiedingsbrief-2030.pdf"));
    for needle in [
        "28 638 Mensenhandel",
        "Nr. 103",
        "BRIEF VAN DE MINISTER VAN TESTZAKEN",
        "Den Haag, 6 juli 2031",
        "De Minister van Testzaken,",
    ] {
        assert!(text.contains(needle), "missing {needle:?} in {text}");
    }
    // Without the kamerstuk section the layout is refused with its line.
    let text = fs::read_to_string(&path).unwrap();
    let cut = text.find("kamerstuk:\n").unwrap();
    fs::write(&path, &text[..cut]).unwrap();
    let r = run(dir.path(), &["check", "mini"]);
    assert_eq!(r.code, 1);
    assert!(
        r.stderr
            .contains("the kamerstuk layout needs a `kamerstuk` section"),
        "{}",
        r.stderr
    );
}
