//! The covering letter and the manager letters, bound to the same data as
//! the report.

use std::fs;

use crate::pdf;
use crate::support::{build_2010, mini, root, run};

fn letters(dir: &std::path::Path) -> Vec<String> {
    let mut names: Vec<String> = fs::read_dir(dir)
        .map(|d| {
            // The PDF letters (each has its .docx beside it, docs/office.md).
            d.map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
                .filter(|n| !n.ends_with(".docx"))
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
        covering.contains("Ik schrijf 1 brief, aan Gamma."),
        "{covering}"
    );
    assert_eq!(letters(&out.join("brieven")), ["gamma.pdf"]);
    let report = pdf::text(&out.join("korpsmonitor-2030.pdf"));
    assert!(
        report.contains("Beide korpsen presteren conform norm."),
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
            r.stderr.contains("mini/letter.yaml:17:108"),
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
    assert!(r.stderr.contains("mini/letter.yaml:17:126"), "{}", r.stderr);
    assert!(r.stderr.contains("filter shout is unknown"), "{}", r.stderr);
}

#[test]
fn the_2010_letters_carry_the_public_figures() {
    let dir = tempfile::tempdir().unwrap();
    let data = root().join("data/2010");
    build_2010(dir.path(), &["--only", "letter"]);
    let text = pdf::text(&dir.path().join("out/2010/aanbiedingsbrief-2010.pdf"));
    for needle in [
        "Van de 25 regiokorpsen presteren er 12 conform de norm en moeten er 9 aandacht besteden",
        "presteren er 4 onvoldoende: IJsselland, Gelderland-Midden, Gelderland-Zuid",
        "en Limburg-Zuid.",
        "waren die aantallen 6, 14 en 5",
        "Dat 7 van de 25 korpsen onvoldoende presteren",
        "en 3 op het toezicht op de vergunde branche",
        "de korpsbeheerders van de 13 korpsen",
        "het KLPD en de KMar presteren niet conform de norm",
        "In totaal schrijf ik dus 15 brieven",
        "brachten de beoordeelde eenheden samen 337 verdachten van mensenhandel in beeld",
        "De 25 regiokorpsen, die ook in 2008 zijn beoordeeld, brachten 300 verdachten in beeld, tegen 239 in 2008, en leverden 187 zaken aan, tegen 133 in 2008.",
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
    let brieven = dir.path().join("out/2010/brieven");
    assert_eq!(letters(&brieven).len(), 15);
    // Unit names carry their article in running text.
    let klpd = pdf::text(&brieven.join("klpd.pdf"));
    assert!(
        klpd.contains("Het totaaloordeel over het KLPD is"),
        "{klpd}"
    );
    assert!(klpd.contains("ertoe leiden dat het KLPD alsnog"), "{klpd}");
    let kmar = pdf::text(&brieven.join("kmar.pdf"));
    assert!(kmar.contains("ertoe leiden dat de KMar alsnog"), "{kmar}");
    assert!(
        kmar.contains("Niet conform de norm zijn de oordelen over de dimensie"),
        "{kmar}"
    );
    // The change since 2008 in the words of the report's change column.
    // Runs of different style are extracted with a space between.
    let squash = |s: &str| s.split_whitespace().collect::<String>();
    let gooi = pdf::text(&brieven.join("gooi-en-vechtstreek.pdf"));
    assert!(
        squash(&gooi).contains(&squash("Het totaaloordeel over Gooi en Vechtstreek is aandacht; ten opzichte van de monitor over 2008 is het oordeel ongewijzigd, beter op 2 dimensies.")),
        "{gooi}"
    );
    // Each letter has its own kenmerk, counted up from the scheme's first.
    let mut kenmerken: Vec<String> = letters(&brieven)
        .iter()
        .map(|f| {
            // The enclosure's heading repeats the letter's kenmerk.
            let text = pdf::text(&brieven.join(f));
            let at = text.find("2011, kenmerk ").expect("a kenmerk") + "2011, kenmerk ".len();
            text[at..].split_whitespace().next().unwrap().to_string()
        })
        .collect();
    kenmerken.sort();
    kenmerken.dedup();
    assert_eq!(kenmerken.len(), 15, "{kenmerken:?}");
    assert!(!kenmerken.contains(&"5700787".to_string()), "{kenmerken:?}");
}

#[test]
fn a_footnote_stands_on_the_page_of_its_mark() {
    let dir = tempfile::tempdir().unwrap();
    let data = root().join("data/2010");
    build_2010(dir.path(), &["--only", "letter"]);
    let pages = pdf::pages(&dir.path().join("out/2010/aanbiedingsbrief-2010.pdf"));
    let page_of = |needle: &str| {
        pages
            .iter()
            .position(|p| pdf::fold(p).contains(needle))
            .unwrap_or_else(|| panic!("{needle:?} is on no page: {pages:#?}"))
    };
    // The mark belongs to the committee's written request, and the note
    // stands on the page of the mark.
    let mark = page_of("schriftelijk verzoek");
    let note = page_of("Kenmerk 2011Z11647/2011D30583");
    assert_eq!(mark, note, "{pages:#?}");
    assert!(
        pdf::fold(&pages[mark]).contains("schriftelijk verzoek1 van 9 juni")
            || pdf::fold(&pages[mark]).contains("schriftelijk verzoek 1 van 9 juni"),
        "{}",
        pages[mark]
    );
    // Ragged right without hyphenation: a line ends in a hyphen only where
    // the written text has one ("niet-vergunde", "Gelderland-Midden").
    // A unit's name is never broken, not even at its own hyphen.
    let mut source = fs::read_to_string(data.join("letter.yaml")).unwrap();
    let mut names = Vec::new();
    for unit in fs::read_dir(data.join("units")).unwrap() {
        let text = fs::read_to_string(unit.unwrap().path()).unwrap();
        names.extend(
            text.lines()
                .filter_map(|l| l.strip_prefix("name: "))
                .map(str::to_string),
        );
        source.push_str(&text);
    }
    for (i, p) in pages.iter().enumerate() {
        let lines: Vec<&str> = p.lines().map(str::trim).filter(|l| !l.is_empty()).collect();
        for (l, next) in lines.iter().zip(lines.iter().skip(1)) {
            assert!(!l.ends_with('\u{ad}'), "page {}: {l:?}", i + 1);
            if let Some(head) = l.strip_suffix('-') {
                let last = head.rsplit(' ').next().unwrap_or_default();
                let first = next.split(' ').next().unwrap_or_default();
                let word = format!("{last}-{first}");
                let word = word.trim_end_matches(['.', ',', ';', ':']);
                assert!(
                    source.contains(word),
                    "page {}: hyphenated at a line end: {word:?}",
                    i + 1
                );
                assert!(
                    !names.iter().any(|n| n.contains(word)),
                    "page {}: a unit's name broken at a line end: {word:?}",
                    i + 1
                );
            }
        }
    }
}

#[test]
fn each_manager_letter_has_its_own_kenmerk_and_check_finds_a_shared_one() {
    let dir = mini(None);
    let r = run(dir.path(), &["build", "mini", "--only", "letters"]);
    assert_eq!(r.code, 0, "{}", r.stderr);
    let out = dir.path().join("output/2030/brieven");
    let beta = pdf::text(&out.join("beta.pdf"));
    let gamma = pdf::text(&out.join("gamma.pdf"));
    // The side column's label and value may come out without a space.
    let flat = |s: &str| s.split_whitespace().collect::<String>();
    assert!(flat(&beta).contains("Onskenmerk124"), "{beta}");
    assert!(flat(&gamma).contains("Onskenmerk125"), "{gamma}");
    assert!(
        beta.contains("Bijlage bij de brief van 6 juli 2031, kenmerk 124"),
        "{beta}"
    );

    // A first number equal to the covering letter's kenmerk: refused, with
    // the line of the scheme.
    let path = dir.path().join("mini/letter.yaml");
    let text = fs::read_to_string(&path).unwrap();
    let line = text
        .lines()
        .position(|l| l.contains("first: '124'"))
        .unwrap()
        + 1;
    fs::write(&path, text.replace("first: '124'", "first: '122'")).unwrap();
    for cmd in ["check", "build"] {
        let r = run(dir.path(), &[cmd, "mini"]);
        assert_eq!(r.code, 1, "{cmd}: {}", r.stderr);
        assert!(
            r.stderr.contains(
                "kenmerk 123 of the letter to `gamma` is also the kenmerk of the covering letter"
            ),
            "{cmd}: {}",
            r.stderr
        );
        assert!(
            r.stderr.contains(&format!("mini/letter.yaml:{line}:")),
            "{cmd}: {}",
            r.stderr
        );
    }
    // A pattern that gives every letter the same kenmerk: refused.
    let text = fs::read_to_string(&path).unwrap();
    fs::write(&path, text.replace("first: '122'", "pattern: 'VenJ-1'")).unwrap();
    let r = run(dir.path(), &["check", "mini"]);
    assert_eq!(r.code, 1, "{}", r.stderr);
    assert!(
        r.stderr.contains("every letter would get the same kenmerk"),
        "{}",
        r.stderr
    );
    // A pattern with the unit's id: accepted.
    let text = fs::read_to_string(&path).unwrap();
    fs::write(&path, text.replace("'VenJ-1'", "'VenJ-{unit}'")).unwrap();
    let r = run(dir.path(), &["build", "mini", "--only", "letters"]);
    assert_eq!(r.code, 0, "{}", r.stderr);
    let gamma = pdf::text(&out.join("gamma.pdf"));
    assert!(flat(&gamma).contains("OnskenmerkVenJ-gamma"), "{gamma}");
}

#[test]
fn the_enclosure_is_set_at_full_width_on_pages_of_its_own() {
    let dir = mini(None);
    let r = run(dir.path(), &["build", "mini", "--only", "letters"]);
    assert_eq!(r.code, 0, "{}", r.stderr);
    let path = dir.path().join("output/2030/brieven/beta.pdf");
    let pages = pdf::pages(&path);
    let first = pages
        .iter()
        .position(|p| pdf::fold(p).contains("Bijlage bij de brief van"))
        .expect("an enclosure page");
    assert!(first > 0, "the enclosure starts on a page of its own");
    assert!(
        !pdf::fold(&pages[first - 1]).contains("Bijlage bij de brief van"),
        "{pages:#?}"
    );
    let glyphs = pdf::glyphs(&path);
    let a4_width = 595.3;
    // The letter's text column ends where the side column begins: 2.3 cm
    // margin + 4.6 cm column + 1 cm gap from the right edge.
    let column_end = a4_width - (2.3 + 4.6 + 1.0) * 72.0 / 2.54;
    for (p, text) in pages.iter().enumerate().skip(first) {
        let page = p as u32 + 1;
        let on_page: Vec<&pdf::Glyph> = glyphs.iter().filter(|g| g.page == page).collect();
        // No side column: nothing right of the text area's right margin,
        // and none of the side column's labels.
        assert!(
            on_page
                .iter()
                .all(|g| g.x < a4_width - 2.3 * 72.0 / 2.54 + 1.0),
            "page {page}: text in the right margin"
        );
        let text = pdf::fold(text);
        for label in [
            "Ons kenmerk",
            "Directoraat-Generaal Test",
            "Ministerie van Testzaken",
        ] {
            assert!(!text.contains(label), "page {page} has {label:?}: {text}");
        }
    }
    // The chapter is set at the full width: on the enclosure's first page
    // text (the table's last column, the chart's figures) runs beyond the
    // letter's column.
    let right = glyphs
        .iter()
        .filter(|g| g.page as usize == first + 1)
        .map(|g| g.x)
        .fold(f64::NEG_INFINITY, f64::max);
    assert!(
        right > column_end + 20.0,
        "text ends at {right:.1} pt, within the letter's column ({column_end:.1} pt)"
    );
}

#[test]
fn generated_count_sentences_name_a_single_unit() {
    let dir = mini(None);
    let r = run(dir.path(), &["build", "mini", "--only", "report"]);
    assert_eq!(r.code, 0, "{}", r.stderr);
    let report = pdf::text(&dir.path().join("output/2030/korpsmonitor-2030.pdf"));
    for needle in [
        "Van de 2 korpsen presteert er 1 conform norm en presteert er 1 onvoldoende.",
        "In 2028 was de verdeling over de 2 korpsen: 0 conform norm, 2 aandacht en 0 onvoldoende.",
        "Van de korpsen presteert er 1 niet conform norm.",
        "Gamma is als enige van de diensten beoordeeld en moet aandacht besteden aan een of meer dimensies.",
        "Voor het eerst beoordeeld: Gamma.",
    ] {
        assert!(report.contains(needle), "missing {needle:?} in {report}");
    }
    assert!(!report.contains("Van de 1 "), "{report}");
}

#[test]
fn the_kamerstuk_layout() {
    let dir = mini(None);
    let path = dir.path().join("mini/letter.yaml");
    let text = fs::read_to_string(&path)
        .unwrap()
        .replace("layout: ministry", "layout: kamerstuk")
        + "kamerstuk:\n  session: 2013-2014\n  dossier: '28 638'\n  dossier_title: Mensenhandel\n  number: '103'\n  from: DE MINISTER VAN TESTZAKEN\n  place: Den Haag\n";
    fs::write(&path, text).unwrap();
    let r = run(dir.path(), &["build", "mini", "--only", "letter"]);
    assert_eq!(r.code, 0, "{}", r.stderr);
    let text = pdf::text(&dir.path().join("output/2030/aanbiedingsbrief-2030.pdf"));
    for needle in [
        "Tweede Kamer der Staten-Generaal",
        "Vergaderjaar 2013\u{2013}2014",
        "28 638 Mensenhandel",
        "Nr. 103",
        "BRIEF VAN DE MINISTER VAN TESTZAKEN",
        "Den Haag, 6 juli 2031",
        "De Minister van Testzaken,",
        "Tweede Kamer, vergaderjaar 2013\u{2013}2014, 28 638, nr. 103",
    ] {
        assert!(text.contains(needle), "missing {needle:?} in {text}");
    }
    // A parliamentary year that is not two consecutive years: refused.
    let text = fs::read_to_string(&path).unwrap();
    fs::write(
        &path,
        text.replace("session: 2013-2014", "session: 2013-2015"),
    )
    .unwrap();
    let r = run(dir.path(), &["check", "mini"]);
    assert_eq!(r.code, 1, "{}", r.stderr);
    assert!(
        r.stderr
            .contains("two consecutive years, found '2013-2015'"),
        "{}",
        r.stderr
    );
    fs::write(&path, text).unwrap();
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

#[test]
fn manager_letters_have_a_layout_of_their_own() {
    let dir = mini(None);
    let path = dir.path().join("mini/letter.yaml");
    let text = fs::read_to_string(&path)
        .unwrap()
        .replace("layout: ministry", "layout: kamerstuk")
        + "kamerstuk:\n  session: 2030-2031\n  dossier: '28 638'\n  number: '103'\n  from: DE MINISTER VAN TESTZAKEN\n  place: Den Haag\n";
    fs::write(&path, &text).unwrap();
    // The covering letter is a parliamentary paper; the letters to the
    // managers stay ministry letters.
    let r = run(dir.path(), &["build", "mini", "--only", "letters"]);
    assert_eq!(r.code, 0, "{}", r.stderr);
    let written = letters(&dir.path().join("output/2030/brieven"));
    assert!(!written.is_empty());
    for name in &written {
        let t = pdf::text(&dir.path().join("output/2030/brieven").join(name));
        assert!(!t.contains("Tweede Kamer"), "{name} is a kamerstuk:\n{t}");
        assert!(!t.contains("Nr. 103"), "{name}:\n{t}");
        assert!(t.contains("Pagina 1 van"), "{name}:\n{t}");
    }
    // Asked for, they are parliamentary papers too.
    fs::write(
        &path,
        text.replace(
            "manager_letters:\n",
            "manager_letters:\n  layout: kamerstuk\n",
        ),
    )
    .unwrap();
    let r = run(dir.path(), &["build", "mini", "--only", "letters"]);
    assert_eq!(r.code, 0, "{}", r.stderr);
    let t = pdf::text(&dir.path().join("output/2030/brieven").join(&written[0]));
    assert!(t.contains("Tweede Kamer der Staten-Generaal"), "{t}");
    // Without a kamerstuk section that layout is refused at its line.
    let cut = text.find("kamerstuk:\n").unwrap();
    fs::write(
        &path,
        text[..cut]
            .replace("layout: kamerstuk", "layout: ministry")
            .replace(
                "manager_letters:\n",
                "manager_letters:\n  layout: kamerstuk\n",
            ),
    )
    .unwrap();
    let r = run(dir.path(), &["check", "mini"]);
    assert_eq!(r.code, 1, "{}", r.stderr);
    assert!(
        r.stderr
            .contains("the kamerstuk layout needs a `kamerstuk` section")
            && r.stderr.contains("field `manager_letters.layout`"),
        "{}",
        r.stderr
    );
}

#[test]
fn a_unit_article_is_used_in_running_text_and_checked() {
    let dir = mini(None);
    let path = dir.path().join("mini/units/gamma.yaml");
    let text = fs::read_to_string(&path).unwrap();
    fs::write(
        &path,
        text.replacen("name: Gamma\n", "name: Gamma\narticle: de\n", 1),
    )
    .unwrap();
    let r = run(dir.path(), &["build", "mini"]);
    assert_eq!(r.code, 0, "{}", r.stderr);
    let out = dir.path().join("output/2030");
    let covering = pdf::text(&out.join("aanbiedingsbrief-2030.pdf"));
    assert!(covering.contains("aan Beta en de Gamma."), "{covering}");
    let gamma = pdf::text(&out.join("brieven/gamma.pdf"));
    // The subject line has the bare name, running text the article.
    assert!(gamma.contains("Testmonitor 2030, Gamma"), "{gamma}");
    let report = pdf::text(&out.join("korpsmonitor-2030.pdf"));
    assert!(
        report.contains("De Gamma is als enige van de diensten beoordeeld"),
        "{report}"
    );
    assert!(
        report.contains("Voor het eerst beoordeeld: de Gamma."),
        "{report}"
    );

    // Only "de" and "het" are articles.
    fs::write(
        &path,
        text.replacen("name: Gamma\n", "name: Gamma\narticle: den\n", 1),
    )
    .unwrap();
    let r = run(dir.path(), &["check", "mini"]);
    assert_eq!(r.code, 1, "{}", r.stderr);
    assert!(
        r.stderr.contains("mini/units/gamma.yaml:3:"),
        "{}",
        r.stderr
    );
    assert!(r.stderr.contains("den"), "{}", r.stderr);
}

#[test]
fn footnote_marks_and_numeral_rules_are_checked() {
    let dir = mini(None);
    let path = dir.path().join("mini/letter.yaml");
    let text = fs::read_to_string(&path).unwrap();
    // A mark for a footnote that does not exist.
    fs::write(
        &path,
        text.replace("{{ footnote(1) }}", "{{ footnote(2) }}"),
    )
    .unwrap();
    let r = run(dir.path(), &["check", "mini"]);
    assert_eq!(r.code, 1, "{}", r.stderr);
    assert!(
        r.stderr
            .contains("footnote(2) marks a footnote that does not exist: `footnotes` has 1"),
        "{}",
        r.stderr
    );
    // A footnote without a mark: it would never be printed.
    fs::write(&path, text.replace("{{ footnote(1) }}", "")).unwrap();
    let r = run(dir.path(), &["check", "mini"]);
    assert_eq!(r.code, 1, "{}", r.stderr);
    assert!(
        r.stderr.contains("footnote 1 is marked 0 times in `body`"),
        "{}",
        r.stderr
    );
    // Marks out of the order of `footnotes`.
    fs::write(
        &path,
        text.replace("{{ footnote(1) }}", "{{ footnote(2) }}")
            .replace("verdachten.", "verdachten.{{ footnote(1) }}")
            .replace(
                "  - Kenmerk 2031Z1\n",
                "  - Kenmerk 2031Z1\n  - Kenmerk 2031Z2\n",
            ),
    )
    .unwrap();
    let r = run(dir.path(), &["check", "mini"]);
    assert_eq!(r.code, 1, "{}", r.stderr);
    assert!(
        r.stderr
            .contains("footnote(2) is marked before footnote(1)"),
        "{}",
        r.stderr
    );
    // A sentence that starts with a number: a warning, the letter is built.
    fs::write(
        &path,
        text.replace(
            "Landelijk {{ totals.suspects }} verdachten.",
            "{{ totals.suspects }} verdachten.",
        ),
    )
    .unwrap();
    let r = run(dir.path(), &["check", "mini"]);
    assert_eq!(r.code, 0, "{}", r.stderr);
    assert!(
        r.stderr
            .contains("a sentence starts with the numeral in \"18 verdachten.\""),
        "{}",
        r.stderr
    );
}

#[test]
fn a_manager_letter_says_when_a_unit_is_not_conform_norm_again() {
    let dir = tempfile::tempdir().unwrap();
    let data = root().join("data/2010");
    build_2010(dir.path(), &["--only", "letters"]);
    let r = run(
        dir.path(),
        &["summary", data.to_str().unwrap(), "--format", "json"],
    );
    let v: serde_json::Value = serde_json::from_str(&r.stdout).unwrap();
    let mut again = 0;
    for id in v["figures"]["not_conform"].as_array().unwrap() {
        let id = id.as_str().unwrap();
        let unit = v["units"]
            .as_array()
            .unwrap()
            .iter()
            .find(|u| u["id"] == id)
            .unwrap();
        let points = v["trends"]["units"]
            .as_array()
            .unwrap()
            .iter()
            .find(|s| s["id"] == id)
            .unwrap()["points"]
            .as_array()
            .unwrap();
        // The 2008 and 2010 verdicts, both given and neither conform norm.
        let twice = points
            .iter()
            .all(|p| !p["verdict"].is_null() && p["verdict"] != "conform_norm");
        let text = pdf::text(&dir.path().join(format!("out/2010/brieven/{id}.pdf")));
        let text = text.split_whitespace().collect::<Vec<_>>().join(" ");
        let name = unit["name"].as_str().unwrap();
        let has = text.contains("Dit is de tweede monitor op rij waarin")
            && text.contains(&format!("{name} niet conform de norm presteert"));
        assert_eq!(has, twice, "{id}");
        again += usize::from(twice);
    }
    // Drenthe, Twente, Gelderland-Midden, ...: aandacht or onvoldoende in
    // 2008 and in 2010.
    assert!(again >= 5, "{again}");
}
