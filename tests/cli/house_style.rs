//! The house style's settings (`house-style.yaml`): one file read by the
//! PDF documents, the charts and the web edition alike.

use std::fs;
use std::path::Path;

use crate::support::{font_folder, mini, root, run};

/// A templates folder `tpl` in `dir` holding only the default
/// `house-style.yaml` with `edit` applied.
fn house_style(dir: &Path, edit: impl Fn(String) -> String) {
    let tpl = dir.join("tpl");
    fs::create_dir_all(&tpl).unwrap();
    let text = fs::read_to_string(root().join("templates/house-style.yaml")).unwrap();
    fs::write(tpl.join("house-style.yaml"), edit(text)).unwrap();
}

/// The width and height of the first page of `pdf`, in points.
fn page_size(pdf: &Path) -> (f64, f64) {
    let doc = lopdf::Document::load(pdf).unwrap();
    let (_, page) = doc.get_pages().into_iter().next().unwrap();
    let dict = doc.get_dictionary(page).unwrap();
    let b = dict.get(b"MediaBox").unwrap().as_array().unwrap();
    let n = |o: &lopdf::Object| {
        o.as_float()
            .or_else(|_| o.as_i64().map(|i| i as f32))
            .unwrap() as f64
    };
    (n(&b[2]) - n(&b[0]), n(&b[3]) - n(&b[1]))
}

#[test]
fn a_colour_and_the_paper_reach_the_documents_the_charts_and_the_web_edition() {
    let dir = mini(None);
    house_style(dir.path(), |t| {
        t.replace("accent: \"#154273\"", "accent: \"#8b0a50\"")
            .replace("paper: a4", "paper: us-letter")
    });
    let r = run(
        dir.path(),
        &[
            "build",
            "mini",
            "--templates",
            "tpl",
            "--emit-typst",
            "emitted",
        ],
    );
    assert_eq!(r.code, 0, "{}", r.stderr);
    let out = dir.path().join("output/2030");
    // The documents: style.typ and letter.typ read the paper from it.
    for pdf in ["korpsmonitor-2030.pdf", "aanbiedingsbrief-2030.pdf"] {
        let (w, h) = page_size(&out.join(pdf));
        assert!(
            (w - 612.0).abs() < 1.0 && (h - 792.0).abs() < 1.0,
            "{pdf}: {w} x {h}"
        );
    }
    // The charts draw their bars in the accent colour.
    let charts: Vec<String> = fs::read_dir(dir.path().join("emitted/charts"))
        .unwrap()
        .map(|e| fs::read_to_string(e.unwrap().path()).unwrap())
        .collect();
    assert!(
        charts
            .iter()
            .any(|svg| svg.to_ascii_lowercase().contains("#8b0a50")),
        "no chart in the accent colour"
    );
    assert!(
        !charts
            .iter()
            .any(|svg| svg.to_ascii_lowercase().contains("#154273"))
    );
    // The web edition's style sheet takes it.
    let css = fs::read_to_string(out.join("web/site.css")).unwrap();
    assert!(css.contains("--blue: #8b0a50;"), "{css}");
}

#[test]
fn a_paper_the_layout_is_not_made_for_is_refused_at_its_line() {
    let dir = mini(None);
    house_style(dir.path(), |t| t.replace("paper: a4", "paper: a5"));
    let r = run(dir.path(), &["build", "mini", "--templates", "tpl"]);
    assert_eq!(r.code, 1, "{}", r.stderr);
    assert_eq!(r.stderr.matches("error:").count(), 1, "{}", r.stderr);
    assert!(
        r.stderr
            .contains("found paper \"a5\", expected a4 or us-letter")
            && r.stderr.contains("field `paper`"),
        "{}",
        r.stderr
    );
}

#[test]
fn unit_chapters_may_follow_each_other() {
    let dir = mini(None);
    // Whether a unit's chapter (after the first) starts below the end of
    // the one before it, on the same page: more than the running header
    // stands above its heading.
    let shares_a_page = |dir: &Path| {
        crate::pdf::pages(&dir.join("output/2030/korpsmonitor-2030.pdf"))
            .iter()
            .any(|p| {
                let p = crate::pdf::fold(p);
                ["5.2 Beta", "5.3 Gamma"].iter().any(|h| {
                    p.find(h)
                        .is_some_and(|at| !p.contains("Inhoud") && p[..at].split(' ').count() > 12)
                })
            })
    };
    let r = run(dir.path(), &["build", "mini", "--only", "report"]);
    assert_eq!(r.code, 0, "{}", r.stderr);
    assert!(!shares_a_page(dir.path()));
    house_style(dir.path(), |t| {
        t.replace(
            "unit_chapter_new_page: true",
            "unit_chapter_new_page: false",
        )
    });
    let r = run(
        dir.path(),
        &["build", "mini", "--only", "report", "--templates", "tpl"],
    );
    assert_eq!(r.code, 0, "{}", r.stderr);
    assert!(shares_a_page(dir.path()));
}

#[test]
fn a_font_named_there_is_found_in_the_edition_and_a_missing_one_is_refused() {
    let dir = mini(None);
    font_folder(
        &dir.path().join("mini"),
        "fonts",
        "DejaVuSans.ttf",
        "DejaVuSans.ttf",
    );
    house_style(dir.path(), |t| {
        t.replace("# font: Noto Sans", "font: DejaVu Sans")
    });
    let r = run(
        dir.path(),
        &["build", "mini", "--only", "report", "--templates", "tpl"],
    );
    assert_eq!(r.code, 0, "{}", r.stderr);
    let names = crate::pdf::font_names(&dir.path().join("output/2030/korpsmonitor-2030.pdf"));
    assert!(
        names.iter().any(|n| n.starts_with("DejaVuSans")),
        "{names:?}"
    );
    assert!(!names.iter().any(|n| n == "NotoSans-Regular"), "{names:?}");

    house_style(dir.path(), |t| {
        t.replace("# font: Noto Sans", "font: Rijksoverheid Sans")
    });
    let r = run(
        dir.path(),
        &["build", "mini", "--only", "report", "--templates", "tpl"],
    );
    assert_eq!(r.code, 1, "{}", r.stderr);
    assert!(
        r.stderr.contains(
            "error: the font family \"Rijksoverheid Sans\" is the family of no font (looked in mini/fonts, the embedded fonts)"
        ),
        "{}",
        r.stderr
    );
    // At its line in the house style.
    let line = fs::read_to_string(dir.path().join("tpl/house-style.yaml"))
        .unwrap()
        .lines()
        .position(|l| l.starts_with("font: "))
        .unwrap()
        + 1;
    assert!(
        r.stderr.contains(&format!("tpl/house-style.yaml:{line}:7")),
        "{}",
        r.stderr
    );
}

#[test]
fn the_letterhead_logo_is_read_once_and_a_missing_one_named_once() {
    let dir = mini(None);
    fs::write(
        dir.path().join("mini/logo.svg"),
        r##"<svg xmlns="http://www.w3.org/2000/svg" width="40" height="100"><rect width="40" height="100" fill="#00ff00"/></svg>"##,
    )
    .unwrap();
    let letter = dir.path().join("output/2030/aanbiedingsbrief-2030.pdf");
    // The logo is the only green of the letter.
    let drawn = |pdf: &Path| {
        let doc = lopdf::Document::load(pdf).unwrap();
        doc.objects
            .values()
            .filter_map(|o| o.as_stream().ok())
            .filter_map(|s| {
                s.decompressed_content()
                    .ok()
                    .or_else(|| Some(s.content.clone()))
            })
            .filter(|c| {
                let text = String::from_utf8_lossy(c);
                text.contains("0 1 0 rg") || text.contains("0 1 0 sc")
            })
            .count()
    };
    let r = run(dir.path(), &["build", "mini", "--only", "letter"]);
    assert_eq!(r.code, 0, "{}", r.stderr);
    let without = drawn(&letter);
    house_style(dir.path(), |t| {
        t.replace("# logo: logo.svg", "logo: logo.svg")
    });
    let r = run(
        dir.path(),
        &["build", "mini", "--only", "letter", "--templates", "tpl"],
    );
    assert_eq!(r.code, 0, "{}", r.stderr);
    assert!(drawn(&letter) > without, "the letter holds no logo");

    house_style(dir.path(), |t| {
        t.replace("# logo: logo.svg", "logo: ontbreekt.svg")
    });
    let r = run(dir.path(), &["build", "mini", "--templates", "tpl"]);
    assert_eq!(r.code, 1, "{}", r.stderr);
    assert_eq!(
        r.stderr
            .matches("the logo \"ontbreekt.svg\" is not there")
            .count(),
        1,
        "{}",
        r.stderr
    );
    assert!(
        r.stderr
            .contains("mini/ontbreekt.svg and tpl/ontbreekt.svg"),
        "{}",
        r.stderr
    );
    // A file that is no SVG: named once, not once per letter.
    fs::write(dir.path().join("mini/logo.svg"), "geen plaatje").unwrap();
    house_style(dir.path(), |t| {
        t.replace("# logo: logo.svg", "logo: logo.svg")
    });
    let r = run(dir.path(), &["build", "mini", "--templates", "tpl"]);
    assert_eq!(r.code, 1, "{}", r.stderr);
    assert_eq!(r.stderr.matches("error:").count(), 1, "{}", r.stderr);
    assert!(
        r.stderr.contains("the logo is no SVG image"),
        "{}",
        r.stderr
    );
}
