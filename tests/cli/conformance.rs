//! An independent check of the archival and accessibility claims: each PDF
//! is read back and its metadata, structure tree, fonts, alternative texts,
//! language and title are verified.

use std::path::Path;

use crate::pdf;
use crate::support::{mini, run};

/// Whether a structure element's `K` reaches marked content: an MCID, an
/// array holding one, a marked-content reference, or a kid that does.
fn marks_content(doc: &lopdf::Document, k: &lopdf::Object, depth: usize) -> bool {
    use lopdf::Object;
    let k = match k {
        Object::Reference(id) => match doc.get_object(*id) {
            Ok(o) => o,
            Err(_) => return false,
        },
        o => o,
    };
    match k {
        Object::Integer(_) => true,
        Object::Array(items) => items.iter().any(|i| marks_content(doc, i, depth)),
        Object::Dictionary(d) => {
            d.get(b"Type").and_then(|t| t.as_name()).ok() == Some(&b"MCR"[..])
                || (depth < 64 && d.get(b"K").is_ok_and(|k| marks_content(doc, k, depth + 1)))
        }
        _ => false,
    }
}

/// The headings (H, H1 to H6) in the structure tree, and how many of them
/// mark no content (PDF/UA-1 7.4: a heading is not empty).
fn headings(path: &Path) -> (usize, usize) {
    use lopdf::Object;
    let doc = lopdf::Document::load(path).unwrap();
    let root = doc
        .catalog()
        .unwrap()
        .get(b"StructTreeRoot")
        .unwrap()
        .clone();
    let (mut all, mut empty) = (0, 0);
    let mut stack = vec![root];
    while let Some(obj) = stack.pop() {
        let obj = match obj {
            Object::Reference(id) => doc.get_object(id).unwrap().clone(),
            o => o,
        };
        match obj {
            Object::Array(items) => stack.extend(items),
            Object::Dictionary(d) => {
                let s = d.get(b"S").and_then(|s| s.as_name()).unwrap_or(b"");
                if s == b"H" || (s.len() == 2 && s[0] == b'H' && (b'1'..=b'6').contains(&s[1])) {
                    all += 1;
                    if !d.get(b"K").is_ok_and(|k| marks_content(&doc, k, 0)) {
                        empty += 1;
                    }
                }
                if let Ok(k) = d.get(b"K") {
                    stack.push(k.clone());
                }
            }
            _ => {}
        }
    }
    (all, empty)
}

/// The charts a document's Typst source (as written by `--emit-typst`)
/// places: the distinct `charts/….svg` files its main source names.
fn charts_in(source: &Path) -> usize {
    let text =
        std::fs::read_to_string(source).unwrap_or_else(|e| panic!("{}: {e}", source.display()));
    let mut names: Vec<&str> = text
        .match_indices("\"charts/")
        .filter_map(|(i, _)| {
            let rest = &text[i + 1..];
            rest.find('"').map(|end| &rest[..end])
        })
        .filter(|name| name.ends_with(".svg"))
        .collect();
    names.sort();
    names.dedup();
    names.len()
}

/// What is wrong with the figures of a PDF that places `charts` charts:
/// every chart is a Figure structure element (PDF/UA-1 7.3), so there are
/// exactly as many, and each has an alternative text that gives the
/// chart's numbers (a digit at least). Empty when all is well.
fn figure_problems(path: &Path, charts: usize) -> Vec<String> {
    let (_, alts) = pdf::structure(path);
    let mut problems = Vec::new();
    if alts.len() != charts {
        problems.push(format!(
            "{} Figure elements for {charts} charts",
            alts.len()
        ));
    }
    for (i, alt) in alts.iter().enumerate() {
        match alt.as_deref() {
            None => problems.push(format!("figure {i} has no /Alt")),
            Some(a) if !a.chars().any(|c| c.is_ascii_digit()) => {
                problems.push(format!("figure {i}: alt {a:?} gives no figures"))
            }
            Some(_) => {}
        }
    }
    problems
}

fn check_pdf(path: &Path, title: &str, charts: usize) {
    let (_, empty) = headings(path);
    assert_eq!(empty, 0, "{}: empty headings", path.display());
    let xmp = pdf::xmp(path);
    assert!(
        xmp.contains("<pdfaid:part>2</pdfaid:part>") || xmp.contains("pdfaid:part=\"2\""),
        "{}: PDF/A-2 not declared\n{xmp}",
        path.display()
    );
    assert!(
        xmp.contains("<pdfuaid:part>1</pdfuaid:part>") || xmp.contains("pdfuaid:part=\"1\""),
        "{}: PDF/UA-1 not declared\n{xmp}",
        path.display()
    );
    assert!(
        pdf::has_structure_tree(path),
        "{}: not tagged",
        path.display()
    );
    let (types, _) = pdf::structure(path);
    assert!(
        types.iter().any(|t| t == "P"),
        "{}: {types:?}",
        path.display()
    );
    assert_eq!(
        figure_problems(path, charts),
        Vec::<String>::new(),
        "{}",
        path.display()
    );
    assert_eq!(
        pdf::unembedded_fonts(path),
        Vec::<String>::new(),
        "{}",
        path.display()
    );
    assert_eq!(
        pdf::lang(path).as_deref().map(|l| &l[..2]),
        Some("nl"),
        "{}",
        path.display()
    );
    assert_eq!(
        pdf::title(path).as_deref(),
        Some(title),
        "{}",
        path.display()
    );
}

#[test]
fn report_and_letters_declare_and_meet_pdf_a_and_ua() {
    let dir = mini(None);
    let r = run(dir.path(), &["build", "mini", "--emit-typst", "typ"]);
    assert_eq!(r.code, 0, "{}", r.stderr);
    let out = dir.path().join("output/2030");
    let typ = dir.path().join("typ");
    let report = out.join("korpsmonitor-2030.pdf");
    let charts = charts_in(&typ.join("report.typ"));
    assert!(charts >= 3, "the mini report places {charts} charts");
    check_pdf(&report, "Korpsmonitor testuitgave 2030", charts);
    assert!(headings(&report).0 > 5, "the report's headings are tagged");
    let (types, alts) = pdf::structure(&report);
    for t in ["H1", "H2", "Table", "TH", "TD", "L", "LI", "Figure"] {
        assert!(types.iter().any(|x| x == t), "report lacks {t}: {types:?}");
    }
    assert!(
        alts.len() >= 3,
        "charts are figures with alt text: {alts:?}"
    );
    check_pdf(
        &out.join("aanbiedingsbrief-2030.pdf"),
        "Testmonitor 2030",
        charts_in(&typ.join("aanbiedingsbrief.typ")),
    );
    let charts = charts_in(&typ.join("brieven/beta/brief-korpsbeheerder.typ"));
    // The enclosure's scores chart; Beta's group of two korpsen has no
    // spread to draw a peer chart of.
    assert_eq!(charts, 1, "a unit's letter places its charts");
    check_pdf(
        &out.join("brieven/beta.pdf"),
        "Testmonitor 2030, Beta",
        charts,
    );
}

#[test]
fn every_2010_document_passes_the_independent_check() {
    let dir = tempfile::tempdir().unwrap();
    let data = crate::support::root().join("data/2010");
    let r = run(
        dir.path(),
        &[
            "build",
            data.to_str().unwrap(),
            "--output",
            "out",
            "--emit-typst",
            "typ",
        ],
    );
    assert_eq!(r.code, 0, "{}", r.stderr);
    let out = dir.path().join("out/2010");
    let typ = dir.path().join("typ");
    // A unit chart for each of the 27 units and the overviews.
    let charts = charts_in(&typ.join("report.typ"));
    assert!(charts > 27, "the 2010 report places {charts} charts");
    check_pdf(
        &out.join("korpsmonitor-2010.pdf"),
        "Korpsmonitor prostitutie en mensenhandel 2010",
        charts,
    );
    check_pdf(
        &out.join("aanbiedingsbrief-2010.pdf"),
        "Korpsmonitor prostitutie en mensenhandel 2010",
        charts_in(&typ.join("aanbiedingsbrief.typ")),
    );
    let letters: Vec<_> = std::fs::read_dir(out.join("brieven"))
        .unwrap()
        .map(|e| e.unwrap().path())
        .filter(|p| p.extension().is_some_and(|e| e == "pdf"))
        .collect();
    assert_eq!(letters.len(), 15);
    for l in letters {
        let title = pdf::title(&l).unwrap_or_default();
        assert!(
            title.starts_with("Korpsmonitor prostitutie en mensenhandel 2010, "),
            "{title}"
        );
        let stem = l.file_stem().unwrap().to_str().unwrap();
        let charts = charts_in(
            &typ.join("brieven")
                .join(stem)
                .join("brief-korpsbeheerder.typ"),
        );
        // The enclosure's one chart: against the peers, or for the two
        // landelijke diensten, too few for a peer chart, against the
        // thresholds.
        assert_eq!(charts, 1, "{stem}: a unit's letter places its charts");
        check_pdf(&l, &title, charts);
    }
}

#[test]
fn two_builds_of_2010_give_identical_bytes() {
    let data = crate::support::root().join("data/2010");
    let a = tempfile::tempdir().unwrap();
    let b = tempfile::tempdir().unwrap();
    // The second build reads a copy of the editions in another folder.
    crate::support::copy_dir(&crate::support::root().join("data"), &b.path().join("copy"));
    let r = run(
        a.path(),
        &["build", data.to_str().unwrap(), "--output", "out"],
    );
    assert_eq!(r.code, 0, "{}", r.stderr);
    let r = run(b.path(), &["build", "copy/2010", "--output", "out"]);
    assert_eq!(r.code, 0, "{}", r.stderr);
    for f in [
        "korpsmonitor-2010.pdf",
        "aanbiedingsbrief-2010.pdf",
        "brieven/ijsselland.pdf",
    ] {
        let x = std::fs::read(a.path().join("out/2010").join(f)).unwrap();
        let y = std::fs::read(b.path().join("out/2010").join(f)).unwrap();
        assert!(x == y, "{f} differs between two builds");
    }
}

/// Rewrites the PDF at `from` into `to`, changing every Figure structure
/// element with `edit`.
fn doctor(from: &Path, to: &Path, edit: impl Fn(&mut lopdf::Dictionary)) {
    let mut doc = lopdf::Document::load(from).unwrap();
    let mut changed = 0;
    for obj in doc.objects.values_mut() {
        if let lopdf::Object::Dictionary(d) = obj
            && d.get(b"S").and_then(|s| s.as_name()).ok() == Some(&b"Figure"[..])
        {
            edit(d);
            changed += 1;
        }
    }
    assert!(
        changed > 0,
        "{}: no Figure element to change",
        from.display()
    );
    doc.save(to).unwrap();
}

#[test]
fn the_figure_check_fails_on_a_missing_alt_and_on_missing_figures() {
    let dir = mini(None);
    let r = run(
        dir.path(),
        &["build", "mini", "--only", "report", "--emit-typst", "typ"],
    );
    assert_eq!(r.code, 0, "{}", r.stderr);
    let report = dir.path().join("output/2030/korpsmonitor-2030.pdf");
    let charts = charts_in(&dir.path().join("typ/report.typ"));
    assert!(charts > 0);
    assert_eq!(figure_problems(&report, charts), Vec::<String>::new());
    // A figure without its alternative text.
    let no_alt = dir.path().join("no-alt.pdf");
    doctor(&report, &no_alt, |d| {
        d.remove(b"Alt");
    });
    let problems = figure_problems(&no_alt, charts);
    assert!(
        problems.iter().any(|p| p.contains("no /Alt")),
        "{problems:?}"
    );
    // An alternative text without the chart's numbers.
    let vague = dir.path().join("vague.pdf");
    doctor(&report, &vague, |d| {
        d.set("Alt", lopdf::Object::string_literal("Een grafiek"));
    });
    let problems = figure_problems(&vague, charts);
    assert!(
        problems.iter().any(|p| p.contains("gives no figures")),
        "{problems:?}"
    );
    // Charts that are not tagged as figures at all: nothing to check the
    // alternative text of, which must not pass.
    let untagged = dir.path().join("untagged.pdf");
    doctor(&report, &untagged, |d| {
        d.set("S", lopdf::Object::Name(b"Div".to_vec()));
        d.remove(b"Alt");
    });
    assert_eq!(
        figure_problems(&untagged, charts),
        [format!("0 Figure elements for {charts} charts")]
    );
}
