//! An independent check of the archival and accessibility claims: each PDF
//! is read back and its metadata, structure tree, fonts, alternative texts,
//! language and title are verified.

use std::path::Path;

use crate::pdf;
use crate::support::{mini, run};

fn check_pdf(path: &Path, title: &str) {
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
    let (types, alts) = pdf::structure(path);
    assert!(
        types.iter().any(|t| t == "P"),
        "{}: {types:?}",
        path.display()
    );
    for alt in &alts {
        let alt = alt.as_deref().unwrap_or("");
        assert!(
            alt.chars().any(|c| c.is_ascii_digit()),
            "{}: figure alt {alt:?}",
            path.display()
        );
    }
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
    let r = run(dir.path(), &["build", "mini"]);
    assert_eq!(r.code, 0, "{}", r.stderr);
    let out = dir.path().join("output/2030");
    let report = out.join("korpsmonitor-2030.pdf");
    check_pdf(&report, "Korpsmonitor testuitgave 2030");
    let (types, alts) = pdf::structure(&report);
    for t in ["H1", "H2", "Table", "TH", "TD", "L", "LI", "Figure"] {
        assert!(types.iter().any(|x| x == t), "report lacks {t}: {types:?}");
    }
    assert!(
        alts.len() >= 3,
        "charts are figures with alt text: {alts:?}"
    );
    check_pdf(&out.join("aanbiedingsbrief-2030.pdf"), "Testmonitor 2030");
    check_pdf(&out.join("brieven/beta.pdf"), "Testmonitor 2030, Beta");
}
