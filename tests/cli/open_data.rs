//! The web edition's open data, read by programs nobody here wrote:
//! Python's `csv`, `json` and `zipfile` modules read every CSV in both
//! variants, the JSON and the zip; LibreOffice opens the CSVs as a
//! spreadsheet in English and in Dutch would, and openpyxl reads what it
//! made. Every edition's open-data page lists every download and describes
//! every column.

use std::fs;
use std::path::{Path, PathBuf};
use std::process::Command;

use crate::support::{copy_dir, python_with, root, run, skipped, soffice};

/// Builds the web edition of `data/<year>` (a copy of all editions) in
/// `dir`; returns the site folder.
fn site(dir: &Path, year: u16) -> PathBuf {
    if !dir.join("data").exists() {
        copy_dir(&root().join("data"), &dir.join("data"));
    }
    let edition = format!("data/{year}");
    let r = run(
        dir,
        &["build", &edition, "--only", "web", "--output", "out"],
    );
    assert_eq!(r.code, 0, "{}{}", r.stdout, r.stderr);
    dir.join("out").join(year.to_string()).join("web")
}

/// The CSV files directly below `site/data`, by file name, sorted.
fn csv_names(site: &Path) -> Vec<String> {
    let mut names: Vec<String> = fs::read_dir(site.join("data"))
        .unwrap()
        .flatten()
        .map(|e| e.file_name().to_string_lossy().into_owned())
        .filter(|n| n.ends_with(".csv"))
        .collect();
    names.sort();
    names
}

#[test]
fn every_edition_lists_every_download_and_describes_every_column() {
    let dir = tempfile::tempdir().unwrap();
    for year in [2008, 2010, 2012, 2014] {
        let site = site(dir.path(), year);
        let page = fs::read_to_string(site.join("open-data.html"))
            .unwrap()
            .replace("&#x2f;", "/");
        let names = csv_names(&site);
        assert!(names.len() > 3, "{year}: {names:?}");
        for name in &names {
            let comma = fs::read_to_string(site.join("data").join(name)).unwrap();
            let dutch = fs::read_to_string(site.join("data/excel-nl").join(name)).unwrap();
            for (variant, text) in [("", &comma), ("excel-nl/", &dutch)] {
                assert!(
                    page.contains(&format!("href=\"data/{variant}{name}\"")),
                    "{year}: the open-data page does not link data/{variant}{name}"
                );
                assert!(
                    text.starts_with('\u{feff}'),
                    "{year}: {variant}{name} has no byte-order mark"
                );
            }
            // Each column of the header is named on the page with a meaning.
            let header = comma.trim_start_matches('\u{feff}').lines().next().unwrap();
            for column in header.split(',').filter(|c| !c.starts_with('"')) {
                let column = column.trim_start_matches('\'');
                let escaped = column.replace('&', "&amp;");
                assert!(
                    page.contains(&format!("<dt>{escaped}</dt><dd>")),
                    "{year}: column {column} of {name} is not described"
                );
            }
        }
        assert!(page.contains("CC0 1.0"), "{year}: no licence");
        assert!(
            page.contains(&format!("href=\"data/korpsmonitor-{year}-open-data.zip\"")),
            "{year}: no zip"
        );
    }
}

/// The Python script that checks a site's open data: the zip holds every
/// file below data/ with the same bytes and a reading guide; both CSV
/// variants hold the same cells (numbers with a decimal point or comma);
/// every score of the JSON is in the table of verdicts per unit.
const CHECK: &str = r#"
import csv, io, json, os, sys, zipfile
site, year = sys.argv[1], sys.argv[2]
data = os.path.join(site, "data")
on_disk = {}
for base, _, names in os.walk(data):
    for n in names:
        p = os.path.join(base, n)
        on_disk[os.path.relpath(p, data).replace(os.sep, "/")] = open(p, "rb").read()
zip_name = "korpsmonitor-%s-open-data.zip" % year
with zipfile.ZipFile(os.path.join(data, zip_name)) as z:
    assert z.testzip() is None
    names = set(z.namelist())
    expected = set(on_disk) - {zip_name}
    assert names == expected | {"LEESMIJ.txt"}, sorted(names ^ (expected | {"LEESMIJ.txt"}))
    for n in expected:
        assert z.read(n) == on_disk[n], n
    guide = z.read("LEESMIJ.txt").decode("utf-8")
    assert "Licentie" in guide and "excel-nl" in guide, guide
def rows(name, delimiter):
    text = on_disk[name].decode("utf-8-sig")
    return list(csv.reader(io.StringIO(text, newline=""), delimiter=delimiter))
cells = 0
for name in sorted(n for n in on_disk if n.endswith(".csv") and "/" not in n):
    comma, dutch = rows(name, ","), rows("excel-nl/" + name, ";")
    assert len(comma) == len(dutch) and len(comma) > 1, name
    for a, b in zip(comma, dutch):
        assert len(a) == len(b), (name, a, b)
        for x, y in zip(a, b):
            try:
                float(x)
                assert y == x.replace(".", ","), (name, x, y)
            except ValueError:
                assert x == y, (name, x, y)
            cells += 1
edition = json.loads(on_disk["korpsmonitor-%s.json" % year])
table = rows("oordelen-per-eenheid.csv", ",")
head = table[0]
by_name = {r[0]: r for r in table[1:]}
scores = 0
for u in edition["units"]:
    row = by_name[u["name"]]
    if u["score"] is not None:
        assert float(row[head.index("Score (%)")]) == u["score"], (u["name"], row)
        scores += 1
print("cells", cells, "scores", scores)
"#;

#[test]
fn python_reads_the_zip_both_csv_variants_and_the_json_alike() {
    let Some(python) = python_with(&["csv", "json", "zipfile"]) else {
        skipped("the open data read by Python", "python3 is not on PATH");
        return;
    };
    let dir = tempfile::tempdir().unwrap();
    for year in [2010, 2014] {
        let site = site(dir.path(), year);
        let out = Command::new(&python)
            .args(["-c", CHECK])
            .arg(&site)
            .arg(year.to_string())
            .output()
            .unwrap();
        let stdout = String::from_utf8_lossy(&out.stdout);
        assert!(
            out.status.success(),
            "{year}: {stdout}{}",
            String::from_utf8_lossy(&out.stderr)
        );
        let scores: u32 = stdout.split_whitespace().last().unwrap().parse().unwrap();
        assert!(scores >= 10, "{year}: {stdout}");
    }
}

/// Opens `csv` in LibreOffice headless as a spreadsheet with `separator`
/// (a character code) and `language` (a Windows language id: 1033 English,
/// 1043 Dutch) would, and saves it as xlsx in `out`; returns that file.
fn calc(soffice: &Path, csv: &Path, separator: u8, language: u16, out: &Path) -> PathBuf {
    fs::create_dir_all(out).unwrap();
    let filter = format!("Text - txt - csv (StarCalc):{separator},34,76,1,,{language}");
    let r = Command::new(soffice)
        .arg(format!(
            "-env:UserInstallation=file://{}",
            out.join(".profile").display()
        ))
        .args(["--headless", "--norestore"])
        .arg(format!("--infilter={filter}"))
        .args(["--convert-to", "xlsx", "--outdir"])
        .arg(out)
        .arg(csv)
        .output()
        .unwrap();
    let xlsx = out.join(csv.with_extension("xlsx").file_name().unwrap());
    assert!(
        r.status.success() && xlsx.is_file(),
        "soffice: {}{}",
        String::from_utf8_lossy(&r.stdout),
        String::from_utf8_lossy(&r.stderr)
    );
    xlsx
}

/// Reads both workbooks with openpyxl: the same values cell by cell, the
/// scores as numbers equal to the JSON's.
const COMPARE: &str = r#"
import json, sys, openpyxl
english, dutch, data = sys.argv[1], sys.argv[2], sys.argv[3]
a = [list(r) for r in openpyxl.load_workbook(english).active.iter_rows(values_only=True)]
b = [list(r) for r in openpyxl.load_workbook(dutch).active.iter_rows(values_only=True)]
assert a == b, (a[:3], b[:3])
head = a[0]
col = head.index("Score (%)")
units = {u["name"]: u for u in json.load(open(data, encoding="utf-8"))["units"]}
numbers = 0
for row in a[1:]:
    u = units[row[0]]
    if u["score"] is not None:
        assert isinstance(row[col], (int, float)), (row[0], row[col])
        assert abs(row[col] - u["score"]) < 1e-9, (row[0], row[col], u["score"])
        numbers += 1
assert numbers == sum(1 for u in units.values() if u["score"] is not None)
print(numbers)
"#;

#[test]
fn libreoffice_opens_both_variants_as_numbers_in_english_and_dutch() {
    let (Some(soffice), Some(python)) = (soffice(), python_with(&["openpyxl"])) else {
        skipped(
            "the CSV variants opened by LibreOffice",
            "soffice (libreoffice-calc-nogui) or a python3 with openpyxl is missing",
        );
        return;
    };
    let dir = tempfile::tempdir().unwrap();
    let site = site(dir.path(), 2010);
    let name = "oordelen-per-eenheid.csv";
    let english = calc(
        &soffice,
        &site.join("data").join(name),
        b',',
        1033,
        &dir.path().join("en"),
    );
    let dutch = calc(
        &soffice,
        &site.join("data/excel-nl").join(name),
        b';',
        1043,
        &dir.path().join("nl"),
    );
    let out = Command::new(&python)
        .args(["-c", COMPARE])
        .args([&english, &dutch, &site.join("data/korpsmonitor-2010.json")])
        .output()
        .unwrap();
    assert!(
        out.status.success(),
        "{}{}",
        String::from_utf8_lossy(&out.stdout),
        String::from_utf8_lossy(&out.stderr)
    );
}

#[test]
fn an_edition_may_name_its_own_licence_and_a_bad_address_is_refused() {
    let dir = tempfile::tempdir().unwrap();
    copy_dir(&root().join("data"), &dir.path().join("data"));
    let edition = dir.path().join("data/2010/edition.yaml");
    let text = fs::read_to_string(&edition).unwrap();
    let with = |url: &str| {
        text.replace(
            "assessment: points\n",
            &format!("assessment: points\nopen_data_licence:\n  name: CC BY 4.0\n  url: {url}\n"),
        )
    };
    fs::write(
        &edition,
        with("https://creativecommons.org/licenses/by/4.0/deed.nl"),
    )
    .unwrap();
    let page = fs::read_to_string(site(dir.path(), 2010).join("open-data.html"))
        .unwrap()
        .replace("&#x2f;", "/");
    let link = "<a rel=\"license\" href=\"https://creativecommons.org/licenses/by/4.0/deed.nl\">CC BY 4.0</a>";
    assert!(page.contains(link), "{page}");
    assert!(!page.contains("CC0"));

    fs::write(&edition, with("javascript:alert(1)")).unwrap();
    let r = run(dir.path(), &["check", "data/2010"]);
    assert_eq!(r.code, 1, "{}", r.stderr);
    assert!(
        r.stderr.contains("open_data_licence.url") && r.stderr.contains("edition.yaml"),
        "{}",
        r.stderr
    );
}
