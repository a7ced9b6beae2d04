//! The assessment team's workbooks: `export` and `import` with real office
//! software (openpyxl edits cells, LibreOffice re-saves as .xlsx and .ods),
//! the round trip over generated editions, and bad input (a zip bomb, a
//! sheet of a million rows, formulas, error cells, dates, a workbook of
//! another edition, a file that is not a workbook).

use std::collections::BTreeMap;
use std::fs;
use std::io::{Cursor, Read, Write};
use std::path::{Path, PathBuf};
use std::process::Command;
use std::time::{Duration, Instant};

use korpsmonitor::data::model::UnitFile;
use proptest::prelude::*;

use crate::support::{self, Run, copy_dir, root, run};

/// A temporary folder holding a copy of data/ (so that 2010 finds 2008).
fn data() -> tempfile::TempDir {
    let dir = tempfile::tempdir().unwrap();
    copy_dir(&root().join("data"), &dir.path().join("data"));
    dir
}

/// Every file below `dir` with its bytes.
fn snapshot(dir: &Path) -> BTreeMap<PathBuf, Vec<u8>> {
    let mut out = BTreeMap::new();
    for entry in fs::read_dir(dir).unwrap() {
        let path = entry.unwrap().path();
        if path.is_dir() {
            out.extend(snapshot(&path));
        } else {
            out.insert(path.clone(), fs::read(&path).unwrap());
        }
    }
    out
}

fn ok(r: &Run) {
    assert_eq!(r.code, 0, "stdout:\n{}\nstderr:\n{}", r.stdout, r.stderr);
}

fn export(cwd: &Path, edition: &str, file: &str) {
    ok(&run(cwd, &["export", edition, "--xlsx", file]));
}

/// Runs `script` (Python with openpyxl) with the arguments; None when
/// openpyxl is missing (the test is then skipped).
fn openpyxl(what: &str, script: &str, args: &[&Path]) -> Option<()> {
    let Some(python) = support::python_with(&["openpyxl"]) else {
        support::skipped(what, "no python3 with openpyxl (set KORPSMONITOR_PYTHON)");
        return None;
    };
    let out = Command::new(python)
        .arg("-c")
        .arg(script)
        .args(args)
        .output()
        .unwrap();
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    Some(())
}

/// Python that sets cells by unit and header: `python -c EDIT in.xlsx out.xlsx JSON`,
/// JSON a list of [sheet, unit id, header, value]; a value {"date": "Y-M-D"}
/// is a date, text starting with `=` a formula (as openpyxl takes it).
const EDIT: &str = r#"
import sys, json, datetime, openpyxl
wb = openpyxl.load_workbook(sys.argv[1])
for sheet, unit, header, value in json.loads(open(sys.argv[3]).read()):
    ws = wb[sheet]
    col = next(c.column for c in ws[1] if c.value == header)
    row = next(c.row for c in ws['A'] if c.value == unit)
    if isinstance(value, dict):
        value = datetime.date.fromisoformat(value["date"])
    ws.cell(row=row, column=col).value = value
wb.save(sys.argv[2])
"#;

/// Edits `input` into `output` with openpyxl; false when skipped.
fn edit(dir: &Path, input: &str, output: &str, cells: serde_json::Value) -> bool {
    let ops = dir.join("ops.json");
    fs::write(&ops, cells.to_string()).unwrap();
    openpyxl(
        "workbook edited by openpyxl",
        EDIT,
        &[&dir.join(input), &dir.join(output), &ops],
    )
    .is_some()
}

#[test]
fn export_then_import_changes_no_byte_and_export_is_reproducible() {
    let dir = data();
    let before = snapshot(&dir.path().join("data"));
    export(dir.path(), "data/2010", "a.xlsx");
    export(dir.path(), "data/2010", "b.xlsx");
    assert_eq!(
        fs::read(dir.path().join("a.xlsx")).unwrap(),
        fs::read(dir.path().join("b.xlsx")).unwrap(),
        "the same edition gives the same bytes"
    );
    let r = run(dir.path(), &["import", "a.xlsx", "data/2010"]);
    ok(&r);
    assert!(r.stdout.contains("no changes"), "{}", r.stdout);
    assert_eq!(snapshot(&dir.path().join("data")), before);
}

#[test]
fn per_unit_workbooks_hold_one_unit_and_import_alone() {
    let dir = data();
    ok(&run(
        dir.path(),
        &["export", "data/2010", "--per-unit", "units"],
    ));
    let written: Vec<_> = fs::read_dir(dir.path().join("units")).unwrap().collect();
    assert_eq!(written.len(), 27);
    if !edit(
        dir.path(),
        "units/groningen.xlsx",
        "g.xlsx",
        serde_json::json!([[
            "Opsporing",
            "groningen",
            "Worden zaken binnen redelijke termijn aan het OM aangeleverd?",
            2
        ]]),
    ) {
        return;
    }
    let r = run(dir.path(), &["import", "g.xlsx", "data/2010"]);
    ok(&r);
    let text = fs::read_to_string(dir.path().join("data/2010/units/groningen.yaml")).unwrap();
    assert!(text.contains("doorlooptijd: 2\n"), "{text}");
    // Another unit's workbook does not hold groningen's row.
    let r = run(dir.path(), &["import", "units/drenthe.xlsx", "data/2010"]);
    ok(&r);
    assert!(r.stdout.contains("no changes"), "{}", r.stdout);
}

#[test]
fn a_finding_that_looks_like_a_formula_stays_text() {
    let dir = data();
    let unit = dir.path().join("data/2010/units/groningen.yaml");
    let text = fs::read_to_string(&unit).unwrap();
    let tricky = "=HYPERLINK(\"http://example.org\";\"klik\") en +1; @som # {{ jaar }} *nadruk*\n\nТекст עברית 中文";
    let mut u: UnitFile = serde_yaml::from_str(&text).unwrap();
    u.dimensions.get_mut("opsporing").unwrap().findings = tricky.to_string();
    fs::write(&unit, serde_yaml::to_string(&u).unwrap()).unwrap();
    let before = snapshot(&dir.path().join("data"));
    export(dir.path(), "data/2010", "w.xlsx");
    // No cell of any sheet is a formula.
    let mut zip = zip::ZipArchive::new(fs::File::open(dir.path().join("w.xlsx")).unwrap()).unwrap();
    for i in 0..zip.len() {
        let mut f = zip.by_index(i).unwrap();
        if f.name().starts_with("xl/worksheets/") {
            let mut s = String::new();
            f.read_to_string(&mut s).unwrap();
            assert!(!s.contains("<f>") && !s.contains("<f "), "{}", f.name());
        }
    }
    let r = run(dir.path(), &["import", "w.xlsx", "data/2010"]);
    ok(&r);
    assert!(r.stdout.contains("no changes"), "{}", r.stdout);
    assert_eq!(snapshot(&dir.path().join("data")), before);
}

#[test]
fn points_and_findings_edited_by_openpyxl_come_back_with_the_diff() {
    let dir = data();
    export(dir.path(), "data/2010", "w.xlsx");
    let finding = "Nieuw; met \"aanhalingstekens\", # geen commentaar, {{ geen plek }}\nen een *tweede* regel.";
    if !edit(
        dir.path(),
        "w.xlsx",
        "edited.xlsx",
        serde_json::json!([
            [
                "Opsporing",
                "groningen",
                "Worden zaken binnen redelijke termijn aan het OM aangeleverd?",
                2
            ],
            ["Opsporing", "groningen", "Bevindingen", finding],
            ["Kerncijfers", "drenthe", "Slachtoffers", 12],
            ["Ketenpartners", "drenthe", "OM: oordeel", "goed"],
        ]),
    ) {
        return;
    }
    let before = snapshot(&dir.path().join("data"));
    let r = run(
        dir.path(),
        &["import", "edited.xlsx", "data/2010", "--dry-run"],
    );
    ok(&r);
    assert!(r.stdout.contains("dry run"), "{}", r.stdout);
    assert_eq!(
        snapshot(&dir.path().join("data")),
        before,
        "a dry run writes nothing"
    );
    let r = run(dir.path(), &["import", "edited.xlsx", "data/2010"]);
    ok(&r);
    insta::assert_snapshot!("import_diff", r.stdout);
    let g: UnitFile = serde_yaml::from_str(
        &fs::read_to_string(dir.path().join("data/2010/units/groningen.yaml")).unwrap(),
    )
    .unwrap();
    let opsporing = g.dimensions.get("opsporing").unwrap();
    assert_eq!(opsporing.findings, finding);
    assert_eq!(
        serde_json::to_value(opsporing.points.get("doorlooptijd")).unwrap(),
        serde_json::json!(2)
    );
    let after = snapshot(&dir.path().join("data"));
    let changed: Vec<_> = after
        .iter()
        .filter(|(p, b)| before.get(*p) != Some(b))
        .map(|(p, _)| p.file_name().unwrap().to_string_lossy().into_owned())
        .collect();
    assert_eq!(changed, ["drenthe.yaml", "groningen.yaml"]);
    // The files are canonical and the edition checks.
    ok(&run(dir.path(), &["fmt", "--check", "data/2010"]));
    ok(&run(dir.path(), &["check", "data/2010"]));
}

#[test]
fn a_workbook_resaved_by_libreoffice_as_xlsx_and_ods_imports_with_no_change() {
    let Some(soffice) = support::soffice() else {
        support::skipped(
            "workbook re-saved by LibreOffice",
            "no soffice (LibreOffice)",
        );
        return;
    };
    let dir = data();
    export(dir.path(), "data/2010", "w.xlsx");
    let before = snapshot(&dir.path().join("data"));
    for format in ["xlsx", "ods"] {
        let out = dir.path().join(format!("lo-{format}"));
        fs::create_dir_all(&out).unwrap();
        let converted =
            support::soffice_convert(&soffice, &dir.path().join("w.xlsx"), format, &out);
        let r = run(
            dir.path(),
            &["import", converted.to_str().unwrap(), "data/2010"],
        );
        ok(&r);
        assert!(r.stdout.contains("no changes"), "{format}: {}", r.stdout);
        assert_eq!(snapshot(&dir.path().join("data")), before, "{format}");
    }
}

/// Runs an import that must fail; returns stderr, after checking that no
/// file of the edition changed.
fn refused(dir: &Path, file: &str) -> String {
    let before = snapshot(&dir.join("data"));
    let r = run(dir, &["import", file, "data/2010"]);
    assert_eq!(r.code, 1, "stdout:\n{}\nstderr:\n{}", r.stdout, r.stderr);
    assert_eq!(snapshot(&dir.join("data")), before, "nothing is written");
    r.stderr
}

#[test]
fn every_bad_cell_is_named_with_sheet_cell_unit_and_field() {
    let dir = data();
    export(dir.path(), "data/2010", "w.xlsx");
    if !edit(
        dir.path(),
        "w.xlsx",
        "bad.xlsx",
        serde_json::json!([
            ["Opsporing", "groningen", "Worden zaken binnen redelijke termijn aan het OM aangeleverd?", 7],
            ["Opsporing", "drenthe", "Worden zaken binnen redelijke termijn aan het OM aangeleverd?", "=1/0"],
            ["Opsporing", "drenthe", "Bevindingen", "=HYPERLINK(\"http://example.org\",\"klik\")"],
            ["Informatie", "twente", "Bevindingen", "#DIV/0!"],
            ["Kerncijfers", "friesland", "Verdachten", {"date": "2010-03-05"}],
            ["Ketenpartners", "zeeland", "OM: oordeel", "uitstekend"],
        ]),
    ) {
        return;
    }
    let stderr = refused(dir.path(), "bad.xlsx");
    insta::assert_snapshot!("import_errors", stderr);
}

#[test]
fn moved_renamed_and_deleted_sheets_and_columns_are_errors() {
    let dir = data();
    export(dir.path(), "data/2010", "w.xlsx");
    let cases = [
        (
            "rename",
            "wb['Opsporing'].title = 'Opsporing en vervolging'",
            "sheet \"Opsporing\" is missing",
        ),
        (
            "delete",
            "del wb['Kerncijfers']",
            "sheet \"Kerncijfers\" is missing",
        ),
        ("move", "wb.move_sheet('Opsporing', offset=-2)", "was moved"),
        (
            "delcol",
            "wb['Vergund'].delete_cols(4)",
            "Vergund!D1: expected the column",
        ),
        (
            "movecol",
            "ws = wb['Vergund']; ws.move_range('C1:C40', cols=30)",
            "Vergund!C1: expected the column",
        ),
        (
            "hidemeta",
            "del wb['korpsmonitor']",
            "not a workbook of korpsmonitor",
        ),
    ];
    for (name, change, expected) in cases {
        let script = format!(
            "import sys, openpyxl\nwb = openpyxl.load_workbook(sys.argv[1])\n{change}\nwb.save(sys.argv[2])\n"
        );
        let out = dir.path().join(format!("{name}.xlsx"));
        if openpyxl(
            "sheets changed by openpyxl",
            &script,
            &[&dir.path().join("w.xlsx"), &out],
        )
        .is_none()
        {
            return;
        }
        let stderr = refused(dir.path(), &format!("{name}.xlsx"));
        assert!(stderr.contains(expected), "{name}: {stderr}");
    }
}

#[test]
fn a_workbook_of_another_edition_is_refused() {
    let dir = data();
    export(dir.path(), "data/2012", "w2012.xlsx");
    let stderr = refused(dir.path(), "w2012.xlsx");
    assert!(
        stderr.contains("belongs to the 2012 edition, not to the 2010 edition"),
        "{stderr}"
    );
}

#[test]
fn a_file_that_is_not_a_workbook_is_refused() {
    let dir = data();
    fs::write(
        dir.path().join("text.xlsx"),
        "id;naam\ngroningen;Groningen\n",
    )
    .unwrap();
    let stderr = refused(dir.path(), "text.xlsx");
    assert!(stderr.contains("not a workbook"), "{stderr}");
    // A zip archive that holds no spreadsheet.
    let mut zip = zip::ZipWriter::new(Cursor::new(Vec::new()));
    zip.start_file(
        "word/document.xml",
        zip::write::SimpleFileOptions::default(),
    )
    .unwrap();
    zip.write_all(b"<w:document/>").unwrap();
    fs::write(
        dir.path().join("letter.xlsx"),
        zip.finish().unwrap().into_inner(),
    )
    .unwrap();
    let stderr = refused(dir.path(), "letter.xlsx");
    assert!(stderr.contains("holds no spreadsheet"), "{stderr}");
}

#[test]
fn a_zip_bomb_is_refused_quickly() {
    let dir = data();
    let mut zip = zip::ZipWriter::new(Cursor::new(Vec::new()));
    let options = zip::write::SimpleFileOptions::default()
        .compression_method(zip::CompressionMethod::Deflated)
        .large_file(true);
    zip.start_file("xl/workbook.xml", zip::write::SimpleFileOptions::default())
        .unwrap();
    zip.write_all(b"<workbook/>").unwrap();
    zip.start_file("xl/worksheets/sheet1.xml", options).unwrap();
    let zeros = vec![b' '; 1024 * 1024];
    for _ in 0..200 {
        zip.write_all(&zeros).unwrap();
    }
    let bytes = zip.finish().unwrap().into_inner();
    assert!(bytes.len() < 2 * 1024 * 1024, "{}", bytes.len());
    fs::write(dir.path().join("bomb.xlsx"), bytes).unwrap();
    let t = Instant::now();
    let stderr = refused(dir.path(), "bomb.xlsx");
    assert!(stderr.contains("zip bomb"), "{stderr}");
    assert!(t.elapsed() < Duration::from_secs(20), "{:?}", t.elapsed());
}

/// The exported workbook with one sheet's rows replaced by `rows`
/// (the XML of `<row>` elements), written by hand as an independent writer.
fn with_rows(xlsx: &Path, sheet_xml: &str, rows: &dyn Fn(&mut dyn Write)) -> Vec<u8> {
    let mut input = zip::ZipArchive::new(fs::File::open(xlsx).unwrap()).unwrap();
    let mut out = zip::ZipWriter::new(Cursor::new(Vec::new()));
    let options = zip::write::SimpleFileOptions::default()
        .compression_method(zip::CompressionMethod::Deflated);
    for i in 0..input.len() {
        let mut f = input.by_index(i).unwrap();
        let name = f.name().to_string();
        let mut data = Vec::new();
        f.read_to_end(&mut data).unwrap();
        out.start_file(name.as_str(), options).unwrap();
        if name == sheet_xml {
            let text = String::from_utf8(data).unwrap();
            let (head, tail) = text.split_once("</sheetData>").unwrap();
            out.write_all(head.as_bytes()).unwrap();
            rows(&mut out);
            out.write_all(b"</sheetData>").unwrap();
            out.write_all(tail.as_bytes()).unwrap();
        } else {
            out.write_all(&data).unwrap();
        }
    }
    out.finish().unwrap().into_inner()
}

#[test]
fn a_sheet_of_a_million_rows_is_refused_without_reading_it_all() {
    let dir = data();
    export(dir.path(), "data/2010", "w.xlsx");
    let bytes = with_rows(
        &dir.path().join("w.xlsx"),
        "xl/worksheets/sheet1.xml",
        &|w| {
            for r in 100..1_000_100u32 {
                write!(w, "<row r=\"{r}\"><c r=\"C{r}\"><v>1</v></c></row>").unwrap();
            }
        },
    );
    fs::write(dir.path().join("rows.xlsx"), bytes).unwrap();
    let t = Instant::now();
    let stderr = refused(dir.path(), "rows.xlsx");
    assert!(
        stderr.contains("has a value in row 100, expected at most"),
        "{stderr}"
    );
    assert!(t.elapsed() < Duration::from_secs(20), "{:?}", t.elapsed());
}

/// Characters a finding may hold: the spreadsheet's and YAML's special
/// ones, quotes, line breaks, emphasis markers and other scripts.
fn finding_char() -> impl Strategy<Value = char> {
    prop_oneof![
        4 => prop::sample::select("=+-@;#{}*_\"'<>&%|\\/:,.!?()[]".chars().collect::<Vec<_>>()),
        6 => prop::char::range('a', 'z'),
        1 => prop::char::range('A', 'Z'),
        1 => prop::char::range('0', '9'),
        1 => prop::sample::select("éëïçßøåÉ€–—…".chars().collect::<Vec<_>>()),
        1 => prop::char::range('\u{0410}', '\u{044f}'),
        1 => prop::char::range('\u{05d0}', '\u{05ea}'),
        1 => prop::char::range('\u{4e00}', '\u{4e40}'),
        3 => Just(' '),
        1 => Just('\n'),
    ]
}

fn finding() -> impl Strategy<Value = String> {
    prop::collection::vec(finding_char(), 1..80).prop_map(|v| {
        let s: String = v.into_iter().collect();
        // The checks refuse text with no letter or with spaces at the ends
        // of a line: make it a finding `check` accepts.
        let lines: Vec<&str> = s.split('\n').map(str::trim).collect();
        format!("Bevinding {}.", lines.join("\n").trim())
    })
}

proptest! {
    #![proptest_config(ProptestConfig { cases: support::cases(6), ..ProptestConfig::default() })]

    /// Export then import with no edits changes no byte of a generated
    /// edition whose findings, notes and remarks hold arbitrary text.
    #[test]
    fn round_trip_of_generated_editions_changes_no_byte(
        texts in prop::collection::vec(finding(), 6),
        units in 1usize..6,
    ) {
        let dir = tempfile::tempdir().unwrap();
        ok(&run(dir.path(), &["generate", "gen", "--units", &units.to_string()]));
        let folder = dir.path().join("gen/units");
        let mut paths: Vec<_> = fs::read_dir(&folder).unwrap().map(|e| e.unwrap().path()).collect();
        paths.sort();
        for (i, path) in paths.iter().enumerate() {
            let mut u: UnitFile = serde_yaml::from_str(&fs::read_to_string(path).unwrap()).unwrap();
            let pick = |k: usize| texts[(i + k) % texts.len()].clone();
            for (k, (_, d)) in u.dimensions.0.iter_mut().enumerate() {
                d.findings = pick(k);
                if k == 0 {
                    d.notes = pick(5);
                }
            }
            u.notes = pick(3);
            u.recommendations.push(pick(4));
            if let Some((_, p)) = u.partners.0.first_mut() {
                p.remark = pick(2);
            }
            fs::write(path, serde_yaml::to_string(&u).unwrap()).unwrap();
        }
        let check = run(dir.path(), &["check", "gen"]);
        prop_assume!(check.code == 0, "generated text not accepted by check: {}", check.stderr);
        let before = snapshot(&dir.path().join("gen"));
        export(dir.path(), "gen", "w.xlsx");
        let r = run(dir.path(), &["import", "w.xlsx", "gen"]);
        ok(&r);
        prop_assert!(r.stdout.contains("no changes"), "{}", r.stdout);
        prop_assert_eq!(snapshot(&dir.path().join("gen")), before);
    }
}
