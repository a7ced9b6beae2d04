//! The letters as Word documents: written beside their PDFs, opened by
//! python-docx and LibreOffice, amended and compared with `diff`, and bad
//! `.docx` files refused.

use std::fs;
use std::io::{Read, Write};
use std::path::{Path, PathBuf};
use std::process::Command;

use crate::support::{self, build_2010, on_path, python_with, root, run, skipped, soffice};

/// The letters' PDFs of a build in `out/2010` (not the report).
fn letter_pdfs(out: &Path) -> Vec<PathBuf> {
    let mut pdfs = vec![out.join("aanbiedingsbrief-2010.pdf")];
    let mut letters: Vec<PathBuf> = fs::read_dir(out.join("brieven"))
        .unwrap()
        .map(|e| e.unwrap().path())
        .filter(|p| p.extension().is_some_and(|e| e == "pdf"))
        .collect();
    letters.sort();
    pdfs.extend(letters);
    pdfs
}

/// Every `.docx` below `dir`.
fn docx_files(dir: &Path) -> Vec<PathBuf> {
    let mut out = Vec::new();
    for e in fs::read_dir(dir).unwrap() {
        let p = e.unwrap().path();
        if p.is_dir() {
            out.extend(docx_files(&p));
        } else if p.extension().is_some_and(|e| e == "docx") {
            out.push(p);
        }
    }
    out.sort();
    out
}

#[test]
fn every_letter_is_written_as_docx_beside_its_pdf_the_same_every_time() {
    let tmp = tempfile::tempdir().unwrap();
    build_2010(tmp.path(), &[]);
    let out = tmp.path().join("out/2010");
    let pdfs = letter_pdfs(&out);
    assert_eq!(pdfs.len(), 16, "the covering letter and 15 manager letters");
    for pdf in &pdfs {
        assert!(pdf.with_extension("docx").is_file(), "{}", pdf.display());
    }
    assert_eq!(docx_files(tmp.path()).len(), pdfs.len(), "no other .docx");
    let data = root().join("data/2010");
    let again = run(
        tmp.path(),
        &["build", data.to_str().unwrap(), "--output", "again"],
    );
    assert_eq!(again.code, 0, "{}", again.stderr);
    for pdf in &pdfs {
        let a = fs::read(pdf.with_extension("docx")).unwrap();
        let rel = pdf.strip_prefix(tmp.path().join("out")).unwrap();
        let b = fs::read(tmp.path().join("again").join(rel).with_extension("docx")).unwrap();
        assert!(a == b, "{} differs between two builds", rel.display());
    }
}

#[test]
fn no_docx_writes_none_and_only_keeps_to_its_kind() {
    let tmp = tempfile::tempdir().unwrap();
    build_2010(tmp.path(), &["--no-docx", "--only", "letters"]);
    assert!(tmp.path().join("out/2010/brieven").is_dir());
    assert!(docx_files(tmp.path()).is_empty());
    let tmp = tempfile::tempdir().unwrap();
    build_2010(tmp.path(), &["--only", "letter"]);
    let files = docx_files(tmp.path());
    assert_eq!(
        files,
        [tmp.path().join("out/2010/aanbiedingsbrief-2010.docx")]
    );
    let tmp = tempfile::tempdir().unwrap();
    build_2010(tmp.path(), &["--only", "report"]);
    assert!(docx_files(tmp.path()).is_empty());
}

#[test]
fn python_docx_opens_each_letter() {
    let Some(python) = python_with(&["docx"]) else {
        skipped(
            "python-docx opens each letter",
            "no python3 with python-docx",
        );
        return;
    };
    let tmp = tempfile::tempdir().unwrap();
    build_2010(tmp.path(), &["--only", "letters"]);
    build_2010(tmp.path(), &["--only", "letter"]);
    let files = docx_files(tmp.path());
    assert_eq!(files.len(), 16);
    let script = "import sys, docx\nfor p in sys.argv[1:]:\n    d = docx.Document(p)\n    text = '\\n'.join(x.text for x in d.paragraphs)\n    cells = sum(len(t.rows) for t in d.tables)\n    print(p, len(d.paragraphs), cells, len(text), d.core_properties.title)\n";
    let out = Command::new(python)
        .arg("-c")
        .arg(script)
        .args(&files)
        .output()
        .unwrap();
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let stdout = String::from_utf8_lossy(&out.stdout);
    for (file, line) in files.iter().zip(stdout.lines()) {
        let parts: Vec<&str> = line.split(' ').collect();
        let paragraphs: usize = parts[1].parse().unwrap();
        assert!(paragraphs > 8, "{}: {line}", file.display());
        assert!(
            line.contains("Korpsmonitor prostitutie en mensenhandel 2010"),
            "{line}"
        );
    }
}

/// The words of a text for comparison: no page furniture, ligatures
/// and non-breaking spaces undone, punctuation at a word's ends cut.
fn words(text: &str) -> Vec<String> {
    text.replace(['\u{a0}', '\u{202f}', '\u{2009}'], " ")
        .replace('ﬁ', "fi")
        .replace('ﬂ', "fl")
        .lines()
        .filter(|l| {
            !l.trim_start().starts_with("Pagina ") && !l.trim_start().starts_with("Bijlage, pagina")
        })
        .flat_map(|l| l.split_whitespace().map(str::to_string).collect::<Vec<_>>())
        .map(|w| {
            w.trim_matches(|c: char| !c.is_alphanumeric() && c != '%')
                .to_string()
        })
        .filter(|w| !w.is_empty())
        .collect()
}

fn pdftotext(pdf: &Path) -> String {
    let out = Command::new("pdftotext")
        .arg(pdf)
        .arg("-")
        .output()
        .unwrap();
    assert!(out.status.success());
    String::from_utf8_lossy(&out.stdout).into_owned()
}

#[test]
fn libreoffice_prints_every_paragraph_and_figure_of_the_pdf_letter() {
    let Some(soffice) = soffice() else {
        skipped("LibreOffice converts each letter", "no soffice");
        return;
    };
    if on_path("pdftotext").is_none() {
        skipped(
            "LibreOffice converts each letter",
            "no pdftotext (poppler-utils)",
        );
        return;
    }
    let tmp = tempfile::tempdir().unwrap();
    build_2010(tmp.path(), &[]);
    let out = tmp.path().join("out/2010");
    let converted = tmp.path().join("converted");
    fs::create_dir_all(&converted).unwrap();
    for pdf in letter_pdfs(&out) {
        let ours = pdftotext(&pdf);
        let docx = pdf.with_extension("docx");
        let mut theirs = words(&pdftotext(&support::soffice_convert(
            &soffice, &docx, "pdf", &converted,
        )));
        // pdftotext joins a word broken at its hyphen at a line's end.
        let joined: Vec<String> = theirs
            .iter()
            .filter(|w| w.contains('-'))
            .map(|w| w.replace('-', ""))
            .collect();
        theirs.extend(joined);
        let name = pdf.file_name().unwrap().to_string_lossy().into_owned();
        // The letter proper, word for word; the enclosure's figures.
        let (letter, enclosure) = match ours.find("Bijlage bij de brief van") {
            Some(at) if name != "aanbiedingsbrief-2010.pdf" => ours.split_at(at),
            _ => (ours.as_str(), ""),
        };
        // A footnote's number stands against its text in our PDF's text.
        let missing: Vec<String> = words(letter)
            .into_iter()
            .filter(|w| !theirs.contains(w))
            .filter(|w| {
                !theirs
                    .iter()
                    .any(|t| t == w.trim_start_matches(|c: char| c.is_ascii_digit()))
            })
            .collect();
        assert!(missing.is_empty(), "{name}: the docx lacks {missing:?}");
        let figures: Vec<String> = words(enclosure)
            .into_iter()
            .filter(|w| w.chars().any(|c| c.is_ascii_digit()))
            // The charts' scale (their only text in the PDF): no figure
            // of the data.
            .filter(|w| !["0%", "25%", "50%", "75%", "100%"].contains(&w.as_str()))
            .filter(|w| !theirs.contains(w))
            .collect();
        assert!(
            figures.is_empty(),
            "{name}: the docx's enclosure lacks {figures:?}"
        );
    }
}

/// The 2010 letters built into `dir/out`.
fn built(dir: &Path) -> PathBuf {
    build_2010(dir, &["--only", "letters"]);
    build_2010(dir, &["--only", "letter"]);
    dir.join("out/2010")
}

#[test]
fn diff_shows_what_the_office_changed_and_flags_a_figure() {
    let Some(python) = python_with(&["docx"]) else {
        skipped(
            "diff of a letter amended with python-docx",
            "no python3 with python-docx",
        );
        return;
    };
    let tmp = tempfile::tempdir().unwrap();
    let out = built(tmp.path());
    let amended = tmp.path().join("amended.docx");
    // A word and a figure changed, as an editor in Word would.
    let script = r#"
import re, sys, docx
d = docx.Document(sys.argv[1])
word = figure = False
for p in d.paragraphs:
    for r in p.runs:
        if not word and 'Tevreden ben ik nog niet' in r.text:
            r.text = r.text.replace('Tevreden ben ik nog niet', 'Tevreden ben ik allerminst')
            word = True
        if not figure and r.text.startswith('In 2010'):
            m = re.search(r'samen\s(\d[\d.]*)', r.text)
            n = int(m.group(1).replace('.', '')) + 1
            r.text = r.text[:m.start(1)] + str(n) + r.text[m.end(1):]
            figure = True
assert word and figure
d.save(sys.argv[2])
"#;
    let py = Command::new(&python)
        .arg("-c")
        .arg(script)
        .arg(out.join("aanbiedingsbrief-2010.docx"))
        .arg(&amended)
        .output()
        .unwrap();
    assert!(
        py.status.success(),
        "{}",
        String::from_utf8_lossy(&py.stderr)
    );
    let r = run(&root(), &["diff", "data/2010", amended.to_str().unwrap()]);
    assert_eq!(r.code, 0, "{}", r.stderr);
    assert!(
        r.stdout.contains("[-nog niet.-]{+allerminst.+}"),
        "{}",
        r.stdout
    );
    assert!(r.stdout.contains("{+allerminst"), "{}", r.stdout);
    assert!(r.stdout.contains("Figures changed by hand"), "{}", r.stdout);
    insta::assert_snapshot!("office_letter_diff", r.stdout);
    // The letter as built has no changes.
    let same = run(
        &root(),
        &[
            "diff",
            "data/2010",
            out.join("brieven/drenthe.docx").to_str().unwrap(),
        ],
    );
    assert_eq!(same.code, 0, "{}", same.stderr);
    assert!(same.stdout.contains("No changes"), "{}", same.stdout);
}

/// What becomes of a part of a zip: `Some` new bytes (empty drops it).
type Change = dyn Fn(&str, &[u8]) -> Option<Vec<u8>>;

/// A copy of the zip `from` with the parts for which `change` returns
/// `Some` replaced (`None` keeps a part; an empty name drops it), and
/// `extra` parts added.
fn rezip(from: &Path, to: &Path, change: &Change, extra: &[(&str, &[u8])]) {
    let mut archive = zip::ZipArchive::new(fs::File::open(from).unwrap()).unwrap();
    let mut w = zip::ZipWriter::new(fs::File::create(to).unwrap());
    let o = zip::write::SimpleFileOptions::default()
        .compression_method(zip::CompressionMethod::Deflated);
    for i in 0..archive.len() {
        let mut f = archive.by_index(i).unwrap();
        let name = f.name().to_string();
        let mut bytes = Vec::new();
        f.read_to_end(&mut bytes).unwrap();
        let bytes = change(&name, &bytes).unwrap_or(bytes);
        if bytes.is_empty() {
            continue;
        }
        w.start_file(name, o).unwrap();
        w.write_all(&bytes).unwrap();
    }
    for (name, bytes) in extra {
        w.start_file(*name, o).unwrap();
        w.write_all(bytes).unwrap();
    }
    w.finish().unwrap();
}

#[test]
fn a_letter_without_its_property_is_found_by_its_kenmerk() {
    let tmp = tempfile::tempdir().unwrap();
    let out = built(tmp.path());
    let copy = tmp.path().join("zonder.docx");
    rezip(
        &out.join("brieven/drenthe.docx"),
        &copy,
        &|name, _| (name == "docProps/custom.xml").then(Vec::new),
        &[],
    );
    let r = run(&root(), &["diff", "data/2010", copy.to_str().unwrap()]);
    assert_eq!(r.code, 0, "{}", r.stderr);
    assert!(r.stdout.contains("found by its kenmerk"), "{}", r.stdout);
    assert!(r.stdout.contains("brieven/drenthe.docx"), "{}", r.stdout);
}

#[test]
fn bad_docx_files_are_refused_with_a_reason() {
    let tmp = tempfile::tempdir().unwrap();
    let out = built(tmp.path());
    let letter = out.join("aanbiedingsbrief-2010.docx");
    let p = |n: &str| tmp.path().join(n);
    fs::write(p("tekst.docx"), "Dit is geen Word-bestand.\n").unwrap();
    // A part that unpacks to 200 MiB of zeros: a zip bomb of a few hundred KiB.
    {
        let mut w = zip::ZipWriter::new(fs::File::create(p("bom.docx")).unwrap());
        let o = zip::write::SimpleFileOptions::default()
            .compression_method(zip::CompressionMethod::Deflated);
        w.start_file("[Content_Types].xml", o).unwrap();
        w.write_all(b"<Types/>").unwrap();
        w.start_file("word/document.xml", o).unwrap();
        let zeros = vec![0u8; 1 << 20];
        for _ in 0..200 {
            w.write_all(&zeros).unwrap();
        }
        w.finish().unwrap();
    }
    rezip(
        &letter,
        &p("macro.docx"),
        &|_, _| None,
        &[("word/vbaProject.bin", b"\xd0\xcf\x11\xe0")],
    );
    fs::copy(&letter, p("macro.docm")).unwrap();
    let template = b"<?xml version=\"1.0\"?><Relationships xmlns=\"http://schemas.openxmlformats.org/package/2006/relationships\"><Relationship Id=\"rId1\" Type=\"http://schemas.openxmlformats.org/officeDocument/2006/relationships/attachedTemplate\" Target=\"file:///C:/sjablonen/brief.dotm\" TargetMode=\"External\"/></Relationships>";
    rezip(
        &letter,
        &p("sjabloon.docx"),
        &|_, _| None,
        &[("word/_rels/settings.xml.rels", template)],
    );
    rezip(
        &letter,
        &p("veld.docx"),
        &|name, bytes| {
            (name == "word/document.xml").then(|| {
                String::from_utf8_lossy(bytes)
                    .replacen("<w:body>", "<w:body><w:p><w:r><w:fldChar w:fldCharType=\"begin\"/></w:r><w:r><w:instrText xml:space=\"preserve\"> INCLUDETEXT \"C:\\\\geheim.docx\" </w:instrText></w:r><w:r><w:fldChar w:fldCharType=\"end\"/></w:r></w:p>", 1)
                    .into_bytes()
            })
        },
        &[],
    );
    let cases = [
        ("tekst.docx", "not a zip archive"),
        ("bom.docx", "zip bomb"),
        ("macro.docx", "macros"),
        ("macro.docm", "macro-enabled"),
        ("sjabloon.docx", "template"),
        ("veld.docx", "INCLUDETEXT"),
    ];
    for (file, expected) in cases {
        let r = run(&root(), &["diff", "data/2010", p(file).to_str().unwrap()]);
        assert_ne!(r.code, 0, "{file}: {}", r.stdout);
        assert!(r.stderr.contains(expected), "{file}: {}", r.stderr);
        assert!(!r.stderr.contains("panicked"), "{file}: {}", r.stderr);
        assert!(r.stdout.is_empty(), "{file}: {}", r.stdout);
    }
    // A letter of another edition.
    let r = run(&root(), &["diff", "data/2012", letter.to_str().unwrap()]);
    assert_ne!(r.code, 0);
    assert!(
        r.stderr.contains("not a letter of data/2012"),
        "{}",
        r.stderr
    );
}
