//! The web edition: its pages read as a browser reads them (an HTML5
//! parser), their structure for assistive technology, links that resolve
//! from the file system, downloads that agree with the tables, text from
//! YAML shown literally, reproducible and all-or-none output.

use std::collections::BTreeMap;
use std::fs;
use std::path::{Path, PathBuf};

use html5ever::tendril::TendrilSink;
use markup5ever_rcdom::{Handle, NodeData, RcDom};
use proptest::prelude::*;

use crate::support::{cases, copy_dir, mini, root, run};

/// An element of a parsed page.
#[derive(Clone)]
struct El(Handle);

/// Parses a page as a browser does; returns its document node, which
/// keeps the tree alive (a node dropped last empties its subtree).
fn parse(html: &str) -> El {
    let dom = html5ever::parse_document(RcDom::default(), Default::default()).one(html);
    El(dom.document.clone())
}

impl El {
    fn name(&self) -> String {
        match &self.0.data {
            NodeData::Element { name, .. } => name.local.to_string(),
            _ => String::new(),
        }
    }

    fn attr(&self, attr: &str) -> Option<String> {
        match &self.0.data {
            NodeData::Element { attrs, .. } => attrs
                .borrow()
                .iter()
                .find(|a| &*a.name.local == attr)
                .map(|a| a.value.to_string()),
            _ => None,
        }
    }

    fn has_class(&self, class: &str) -> bool {
        self.attr("class")
            .is_some_and(|c| c.split_whitespace().any(|x| x == class))
    }

    /// The element children, in order.
    fn children(&self) -> Vec<El> {
        self.0
            .children
            .borrow()
            .iter()
            .filter(|c| matches!(c.data, NodeData::Element { .. }))
            .map(|c| El(c.clone()))
            .collect()
    }

    /// Every element below this one, in document order.
    fn all(&self) -> Vec<El> {
        let mut out = Vec::new();
        for c in self.children() {
            out.push(c.clone());
            out.extend(c.all());
        }
        out
    }

    /// The elements below this one named one of `names`, in document order.
    fn find(&self, names: &[&str]) -> Vec<El> {
        self.all()
            .into_iter()
            .filter(|e| names.contains(&e.name().as_str()))
            .collect()
    }

    fn first(&self, name: &str) -> Option<El> {
        self.find(&[name]).into_iter().next()
    }

    /// The text of the element, as the DOM's textContent.
    fn text(&self) -> String {
        fn walk(h: &Handle, out: &mut String) {
            for c in h.children.borrow().iter() {
                match &c.data {
                    NodeData::Text { contents } => out.push_str(&contents.borrow()),
                    NodeData::Element { .. } => walk(c, out),
                    _ => {}
                }
            }
        }
        let mut s = String::new();
        walk(&self.0, &mut s);
        s
    }
}

/// Whether the page's scripts are only the site's own, loaded from the
/// site and empty: no text of the data ever became a script.
fn only_site_script(doc: &El) -> bool {
    doc.find(&["script"]).iter().all(|s| {
        s.attr("src").is_some_and(|x| x.ends_with("site.js")) && s.text().trim().is_empty()
    })
}

/// What assistive technology gets of the chart in `figure`: the name of
/// its drawing (`aria-label`) and, for a long text, the description it
/// names (`aria-describedby`), joined by a space.
fn chart_text(figure: &El) -> String {
    let svg = figure.first("svg").expect("a chart drawing");
    let mut text = svg.attr("aria-label").expect("a named chart");
    if let Some(id) = svg.attr("aria-describedby") {
        let described = figure
            .all()
            .into_iter()
            .find(|e| e.attr("id").as_deref() == Some(id.as_str()))
            .expect("the chart's description");
        text.push(' ');
        text.push_str(&described.text());
    }
    text
}

/// Every file below `dir`, by path relative to it.
fn files(dir: &Path) -> BTreeMap<String, Vec<u8>> {
    let mut out = BTreeMap::new();
    let mut stack = vec![dir.to_path_buf()];
    while let Some(d) = stack.pop() {
        for e in fs::read_dir(&d).unwrap().flatten() {
            let p = e.path();
            if p.is_dir() {
                stack.push(p);
            } else {
                let rel = p.strip_prefix(dir).unwrap().to_string_lossy().into_owned();
                out.insert(rel, fs::read(&p).unwrap());
            }
        }
    }
    out
}

/// Builds `edition` (a path relative to `cwd`) with `--only web` into
/// `cwd/out`; returns the site folder.
fn build_site(cwd: &Path, edition: &str, year: u16) -> PathBuf {
    let r = run(cwd, &["build", edition, "--only", "web", "--output", "out"]);
    assert_eq!(r.code, 0, "{}{}", r.stdout, r.stderr);
    cwd.join("out").join(year.to_string()).join("web")
}

/// The page's text with white space folded.
fn folded(s: &str) -> String {
    s.split_whitespace().collect::<Vec<_>>().join(" ")
}

/// Resolves a relative link of the page at `page` (relative to `site`)
/// to a path, without its fragment.
fn resolve(site: &Path, page: &str, href: &str) -> PathBuf {
    let target = href.split('#').next().unwrap();
    let mut p = site.join(page);
    p.pop();
    for part in target.split('/') {
        match part {
            ".." => {
                p.pop();
            }
            "." | "" => {}
            x => p.push(x),
        }
    }
    p
}

/// The year of a link to another edition's site beside this one
/// (`../../../2008/web/eenheden/x.html` from a unit's page).
fn other_edition(url: &str) -> Option<&str> {
    let rest = url.strip_prefix("../../../")?;
    let (year, rest) = rest.split_once('/')?;
    (year.len() == 4
        && year.bytes().all(|b| b.is_ascii_digit())
        && rest.starts_with("web/eenheden/"))
    .then_some(year)
}

/// The structure checks of one page; returns the problems found.
fn page_problems(site: &Path, page: &str, html: &str, pdf: &Path) -> Vec<String> {
    let doc = parse(html);
    let mut problems = Vec::new();
    let mut fail = |s: String| problems.push(format!("{page}: {s}"));
    if doc.first("html").and_then(|h| h.attr("lang")).as_deref() != Some("nl") {
        fail("html has no lang=\"nl\"".into());
    }
    // A page is not a chapter: the site points to pages, not to "het
    // volgende hoofdstuk" of a printed report.
    for paper in ["volgende hoofdstuk", "het hoofdstuk ", "vorige hoofdstuk"] {
        if html.contains(paper) {
            fail(format!("refers to \"{paper}\" as if on paper"));
        }
    }
    if doc
        .first("title")
        .is_none_or(|t| t.text().trim().is_empty())
    {
        fail("no title".into());
    }
    let h1 = doc.find(&["h1"]).len();
    if h1 != 1 {
        fail(format!("{h1} h1 elements, expected one"));
    }
    let mut level = 0;
    for h in doc.find(&["h1", "h2", "h3", "h4", "h5", "h6"]) {
        let l: usize = h.name()[1..].parse().unwrap();
        if l > level + 1 {
            fail(format!(
                "heading h{l} {:?} follows h{level}",
                folded(&h.text())
            ));
        }
        level = l;
    }
    let body = doc.first("body").unwrap();
    let landmarks = |name: &str| body.children().iter().filter(|e| e.name() == name).count();
    for (what, n) in [
        ("header", landmarks("header")),
        ("footer", landmarks("footer")),
        ("main", doc.find(&["main"]).len()),
        (
            "nav[aria-label]",
            doc.find(&["nav"])
                .iter()
                .filter(|n| n.attr("aria-label").is_some())
                .count(),
        ),
    ] {
        if n == 0 || (what == "main" && n != 1) {
            fail(format!("{n} {what} landmarks"));
        }
    }
    let skip = body
        .first("a")
        .and_then(|a| a.attr("href"))
        .unwrap_or_default();
    let main_id = doc
        .first("main")
        .and_then(|m| m.attr("id"))
        .unwrap_or_default();
    if skip != format!("#{main_id}") || main_id.is_empty() {
        fail(format!("the first link is no skip link to main: {skip}"));
    }
    // The one script is the site's own, loaded from the site (the page
    // works without it).
    for script in doc.find(&["script"]) {
        let src = script.attr("src").unwrap_or_default();
        if !src.ends_with("site.js") || !script.text().trim().is_empty() {
            fail(format!("a script other than site.js: {src:?}"));
        }
    }
    for t in doc.find(&["table"]) {
        if t.first("caption")
            .is_none_or(|c| c.text().trim().is_empty())
        {
            fail("a table without caption".into());
        }
        for th in t.find(&["th"]) {
            if !matches!(th.attr("scope").as_deref(), Some("col" | "row")) {
                fail(format!("th {:?} without scope", folded(&th.text())));
            }
        }
    }
    for img in doc.find(&["img"]) {
        if img.attr("alt").is_none_or(|a| a.trim().is_empty()) {
            fail("an image without alternative text".into());
        }
    }
    let ids: Vec<String> = doc.all().iter().filter_map(|e| e.attr("id")).collect();
    let mut seen = std::collections::HashSet::new();
    for id in &ids {
        if !seen.insert(id) {
            fail(format!("duplicate id {id}"));
        }
    }
    let mut links_pdf = false;
    for e in doc.find(&["a", "img", "link", "script"]) {
        let Some(url) = e.attr("href").or_else(|| e.attr("src")) else {
            continue;
        };
        // The open data's licence text, the one link out of the site.
        if e.attr("rel").as_deref() == Some("license") && url.starts_with("https://") {
            continue;
        }
        // The same unit in another edition of the chain, whose site stands
        // beside this one (checked by
        // the_site_is_self_contained_and_links_the_other_editions).
        if other_edition(&url).is_some() {
            continue;
        }
        if url.contains("://") || url.starts_with('/') || url.starts_with("mailto:") {
            fail(format!("link {url} is not relative"));
            continue;
        }
        if let Some(frag) = url.strip_prefix('#') {
            if !ids.iter().any(|i| i == frag) {
                fail(format!("link to missing #{frag}"));
            }
            continue;
        }
        let target = resolve(site, page, &url);
        let letter = pdf.with_file_name(
            pdf.file_name()
                .unwrap()
                .to_string_lossy()
                .replace("korpsmonitor-", "aanbiedingsbrief-"),
        );
        if target == letter {
            continue;
        }
        if target == pdf {
            links_pdf = true;
            continue;
        }
        if !target.is_file() {
            fail(format!("link {url} resolves to no file"));
        }
    }
    if !links_pdf {
        fail("no link to the PDF report".into());
    }
    problems
}

#[test]
fn every_page_is_structured_for_assistive_technology_and_its_links_resolve() {
    for (edition, year) in [("data/2012", 2012u16), ("data/2010", 2010)] {
        let dir = tempfile::tempdir().unwrap();
        copy_dir(&root().join("data"), &dir.path().join("data"));
        let site = build_site(dir.path(), edition, year);
        // Built alone, the site has no copy of the PDF yet; its link is
        // into the site all the same.
        let pdf = site.join(format!("korpsmonitor-{year}.pdf"));
        let all = files(&site);
        let pages: Vec<&String> = all.keys().filter(|p| p.ends_with(".html")).collect();
        assert!(pages.len() > 30, "{edition}: {pages:?}");
        // The pages the report has.
        for page in [
            "index.html",
            "werkwijze.html",
            "eenheden/index.html",
            "ketenpartners.html",
            "aanbevelingen.html",
            "bijlagen.html",
            "aanbiedingsbrief.html",
            "vergelijken.html",
            "toegankelijkheid.html",
            "over.html",
            "site.css",
            "site.js",
            "fonts/NotoSans-Regular.woff2",
            "fonts/NotoSans-Bold.woff2",
            "fonts/NotoSans-Italic.woff2",
            "fonts/NotoSans-BoldItalic.woff2",
            "fonts/OFL.txt",
        ] {
            assert!(all.contains_key(page), "{edition}: no {page}");
        }
        let mut problems = Vec::new();
        let mut titles: BTreeMap<String, &str> = BTreeMap::new();
        for page in pages {
            let html = String::from_utf8(all[page].clone()).unwrap();
            problems.extend(page_problems(&site, page, &html, &pdf));
            // Each page has a title of its own (a reader tells tabs and
            // history entries apart by it).
            let title = parse(&html)
                .first("title")
                .map(|t| t.text())
                .unwrap_or_default();
            if let Some(other) = titles.insert(title.clone(), page) {
                problems.push(format!("{page}: the title \"{title}\" of {other} too"));
            }
        }
        assert!(problems.is_empty(), "{edition}:\n{}", problems.join("\n"));
    }
    // Every unit has its page; 2012's new police units too.
    let dir = tempfile::tempdir().unwrap();
    copy_dir(&root().join("data"), &dir.path().join("data"));
    let site = build_site(dir.path(), "data/2012", 2012);
    for unit in fs::read_dir(root().join("data/2012/units"))
        .unwrap()
        .flatten()
    {
        let id = unit
            .path()
            .file_stem()
            .unwrap()
            .to_string_lossy()
            .into_owned();
        assert!(site.join(format!("eenheden/{id}.html")).is_file(), "{id}");
    }
    assert!(site.join("nieuwe-eenheden/noord-nederland.html").is_file());
    // A unit's name breaks at its spaces only, never at its own hyphen, as
    // in the report: every hyphenated word of a name in a table is kept
    // whole.
    let index = parse(&fs::read_to_string(site.join("index.html")).unwrap());
    let mut hyphenated = 0;
    for th in index.find(&["th"]) {
        for word in th.text().split(' ').filter(|w| w.contains('-')) {
            let kept = th
                .find(&["span"])
                .iter()
                .any(|s| s.has_class("nobr") && s.text() == word);
            assert!(kept, "{word:?} may break at its hyphen");
            hyphenated += 1;
        }
    }
    assert!(hyphenated > 3, "{hyphenated}");
}

/// A Dutch figure as the CSV writes it: "1.234" -> "1234", "61,5%" ->
/// "61.5", "–" -> "".
fn plain(shown: &str) -> String {
    let s = shown.trim();
    if s == "–" {
        return String::new();
    }
    let number = s.trim_end_matches('%');
    if number
        .chars()
        .all(|c| c.is_ascii_digit() || c == '.' || c == ',' || c == '-')
        && number.chars().any(|c| c.is_ascii_digit())
    {
        number.replace('.', "").replace(',', ".")
    } else {
        s.to_string()
    }
}

/// The body rows of a table, each cell's text folded.
fn rows(table: &El) -> Vec<Vec<String>> {
    table
        .first("tbody")
        .unwrap()
        .find(&["tr"])
        .iter()
        .map(|tr| {
            tr.find(&["th", "td"])
                .iter()
                .map(|c| folded(&c.text()))
                .collect()
        })
        .collect()
}

fn read_csv(bytes: &[u8]) -> Vec<Vec<String>> {
    let bytes = bytes
        .strip_prefix("\u{feff}".as_bytes())
        .expect("every CSV starts with a byte-order mark");
    csv::ReaderBuilder::new()
        .has_headers(false)
        .from_reader(bytes)
        .records()
        .map(|r| r.unwrap().iter().map(str::to_string).collect())
        .collect()
}

#[test]
fn the_csv_downloads_and_the_json_agree_with_the_tables_and_charts() {
    let dir = tempfile::tempdir().unwrap();
    copy_dir(&root().join("data"), &dir.path().join("data"));
    let site = build_site(dir.path(), "data/2010", 2010);
    let all = files(&site);
    let mut checked = 0;
    for (page, bytes) in all.iter().filter(|(p, _)| p.ends_with(".html")) {
        let doc = parse(std::str::from_utf8(bytes).unwrap());
        // Every chart: the image's accessible name states each number of its
        // table, and the table is the CSV.
        for parent in doc.all() {
            let mut figure = None;
            for child in parent.children() {
                if child.name() == "figure" {
                    figure = Some(child.clone());
                }
                if !(child.name() == "details" && child.has_class("chart-data")) {
                    continue;
                }
                let alt = chart_text(figure.as_ref().unwrap());
                let table = child.first("table").unwrap();
                let link = child
                    .find(&["p"])
                    .into_iter()
                    .find(|p| p.has_class("download"))
                    .and_then(|p| p.first("a"))
                    .unwrap();
                let csv_path = resolve(&site, page, &link.attr("href").unwrap());
                let csv = read_csv(&fs::read(&csv_path).unwrap());
                let head: Vec<String> = table
                    .first("thead")
                    .unwrap()
                    .find(&["th"])
                    .iter()
                    .map(|t| folded(&t.text()))
                    .collect();
                assert_eq!(csv[0], head, "{page}: {}", csv_path.display());
                let rows = rows(&table);
                assert_eq!(csv.len() - 1, rows.len(), "{page}: {}", csv_path.display());
                for (row, line) in rows.iter().zip(&csv[1..]) {
                    assert_eq!(row[0], line[0], "{page}");
                    for (shown, raw) in row.iter().zip(line).skip(1) {
                        assert_eq!(plain(shown), *raw, "{page}: {row:?}");
                        if !raw.is_empty() {
                            assert!(
                                alt.replace('.', "").contains(&shown.replace('.', "")),
                                "{page}: the chart's name lacks {shown}: {alt}"
                            );
                        }
                    }
                    assert!(
                        alt.contains(row[0].as_str()),
                        "{page}: {alt} lacks {}",
                        row[0]
                    );
                }
                checked += 1;
            }
        }
    }
    // The verdict chart, the key figures, the partners and 27 units.
    assert!(checked >= 30, "{checked} charts checked");

    // Every table that says it is a CSV download (`data-csv`, the charts'
    // tables and the others alike) is that CSV, cell for cell.
    let mut tables = 0;
    for (page, bytes) in all.iter().filter(|(p, _)| p.ends_with(".html")) {
        let doc = parse(std::str::from_utf8(bytes).unwrap());
        for table in doc.find(&["table"]) {
            let Some(csv_path) = table.attr("data-csv") else {
                continue;
            };
            let csv = read_csv(&all[&csv_path]);
            let head: Vec<String> = table
                .first("thead")
                .unwrap()
                .find(&["th"])
                .iter()
                .map(|t| folded(&t.text()))
                .collect();
            assert_eq!(csv[0], head, "{page}: {csv_path}");
            let body: Vec<Vec<String>> = rows(&table)
                .iter()
                .map(|r| {
                    r.iter()
                        .enumerate()
                        .map(|(i, c)| if i == 0 { c.clone() } else { plain(c) })
                        .collect()
                })
                .collect();
            // White space folded on both sides, as the page's text is (a
            // no-break space binding a numeral reads as a space).
            let csv_body: Vec<Vec<String>> = csv[1..]
                .iter()
                .map(|r| r.iter().map(|c| folded(c)).collect())
                .collect();
            assert_eq!(csv_body, body, "{page}: {csv_path}");
            tables += 1;
        }
    }
    // The charts' tables, the start page's verdicts and dimensions, and
    // every unit's scores.
    assert!(tables >= checked + 2 + 27, "{tables} tables checked");

    // The start page's verdict table against its CSV and the JSON.
    let index = parse(std::str::from_utf8(&all["index.html"]).unwrap());
    let table = index
        .find(&["table"])
        .into_iter()
        .find(|t| {
            t.first("caption")
                .is_some_and(|c| c.text().contains("Oordeel per eenheid"))
        })
        .unwrap();
    let csv = read_csv(&all["data/oordelen-per-eenheid.csv"]);
    let json: serde_json::Value =
        serde_json::from_slice(&all["data/korpsmonitor-2010.json"]).unwrap();
    let units = json["units"].as_array().unwrap();
    let rows = rows(&table);
    assert_eq!(rows.len(), 27);
    assert_eq!(csv.len() - 1, rows.len());
    assert_eq!(units.len(), rows.len());
    for ((row, line), unit) in rows.iter().zip(&csv[1..]).zip(units) {
        assert_eq!(row[0], line[0]);
        assert_eq!(unit["name"], line[0].as_str());
        assert_eq!(plain(&row[1]), line[2], "score of {}", row[0]);
        assert!(
            row[2].starts_with(&line[3]),
            "verdict of {}: {row:?} {line:?}",
            row[0]
        );
        let score = unit["score"]
            .as_f64()
            .map(|s| format!("{s:.1}"))
            .unwrap_or_default();
        assert_eq!(score, line[2], "JSON score of {}", row[0]);
        assert_eq!(
            unit["verdict"].as_str().unwrap().replace('_', " "),
            line[3],
            "JSON verdict of {}",
            row[0]
        );
    }
    // The published 2010 headline (12 conform norm, 9 aandacht, 4
    // onvoldoende of 25 regional forces) reaches the open data.
    assert_eq!(json["headline"]["units"], 25);
    assert_eq!(json["headline"]["conform_norm"], 12);
    assert_eq!(json["headline"]["aandacht"], 9);
    assert_eq!(json["headline"]["onvoldoende"], 4);
}

const HOSTILE: &str = "<script>alert(1)</script> {{ 7*7 }} &amp; \"q\" <b>vet</b> {% raw %}";

#[test]
fn text_from_yaml_shows_literally_never_as_html() {
    let dir = mini(None);
    let unit = dir.path().join("mini/units/alfa.yaml");
    let yaml = fs::read_to_string(&unit).unwrap();
    // Single-quoted YAML: every character as written.
    let yaml = yaml
        .replace(
            "findings: Goed toezicht.",
            &format!("findings: '{HOSTILE}'"),
        )
        .replace("- Houd dit vast.", &format!("- '{HOSTILE}'"));
    fs::write(&unit, yaml).unwrap();
    let site = build_site(dir.path(), "mini", 2030);
    let html = fs::read_to_string(site.join("eenheden/alfa.html")).unwrap();
    let doc = parse(&html);
    assert!(doc.find(&["b"]).is_empty(), "{html}");
    assert!(only_site_script(&doc), "{html}");
    let findings = doc
        .all()
        .into_iter()
        .find(|e| e.has_class("findings"))
        .unwrap()
        .text();
    // Straight quotes become typographic, as in the PDF.
    let want = "<script>alert(1)</script> {{ 7*7 }} &amp; \u{201c}q\u{201d} <b>vet</b> {% raw %}";
    assert_eq!(folded(&findings), want);
    let main = doc.first("main").unwrap();
    let recs = main
        .children()
        .into_iter()
        .find(|e| e.name() == "ol")
        .unwrap()
        .text();
    assert_eq!(folded(&recs), want);
}

#[test]
fn the_same_input_gives_the_same_site_byte_for_byte() {
    let dir = tempfile::tempdir().unwrap();
    copy_dir(&root().join("data"), &dir.path().join("data"));
    let a = files(&build_site(dir.path(), "data/2012", 2012));
    fs::rename(dir.path().join("out"), dir.path().join("first")).unwrap();
    let b = files(&build_site(dir.path(), "data/2012", 2012));
    assert_eq!(a.keys().collect::<Vec<_>>(), b.keys().collect::<Vec<_>>());
    for (k, v) in &a {
        assert!(b[k] == *v, "{k} differs between two builds");
    }
}

#[test]
fn a_failed_build_leaves_the_previous_site_whole() {
    let dir = mini(None);
    let site = build_site(dir.path(), "mini", 2030);
    let before = files(&site);
    // A template error: nothing is written.
    let templates = dir.path().join("t/web");
    fs::create_dir_all(&templates).unwrap();
    fs::write(templates.join("unit.html.j2"), "{{ no_such_value }}").unwrap();
    let r = run(
        dir.path(),
        &[
            "build",
            "mini",
            "--only",
            "web",
            "--output",
            "out",
            "--templates",
            "t",
        ],
    );
    assert_eq!(r.code, 1, "{}{}", r.stdout, r.stderr);
    assert!(r.stderr.contains("unit.html.j2"), "{}", r.stderr);
    assert_eq!(files(&site), before);
    // A page that cannot be written (a folder stands in its place), after
    // the data changed: no page of the new site is put in place.
    fs::remove_dir_all(dir.path().join("t")).unwrap();
    let unit = dir.path().join("mini/units/alfa.yaml");
    let yaml = fs::read_to_string(&unit).unwrap();
    fs::write(&unit, yaml.replace("Goed toezicht.", "Ander toezicht.")).unwrap();
    fs::remove_file(site.join("werkwijze.html")).unwrap();
    fs::create_dir(site.join("werkwijze.html")).unwrap();
    let r = run(
        dir.path(),
        &["build", "mini", "--only", "web", "--output", "out"],
    );
    assert_ne!(r.code, 0, "{}{}", r.stdout, r.stderr);
    let mut after = files(&site);
    let mut expected = before.clone();
    expected.remove("werkwijze.html");
    after.retain(|k, _| k != "werkwijze.html");
    assert_eq!(after, expected);
    assert!(!fs::read_dir(&site).unwrap().flatten().any(|e| {
        e.file_name()
            .to_string_lossy()
            .starts_with(".korpsmonitor-tmp")
    }));
}

#[test]
fn a_full_build_writes_the_site_beside_the_pdfs_and_templates_override_it() {
    let dir = mini(None);
    // The default templates include the web edition's.
    let r = run(dir.path(), &["templates", "t"]);
    assert_eq!(r.code, 0, "{}", r.stderr);
    for f in ["t/web/base.html.j2", "t/web/unit.html.j2", "t/web/site.css"] {
        assert!(dir.path().join(f).is_file(), "{f}");
    }
    // A folder with only a style sheet changes only the style sheet.
    let only = dir.path().join("only/web");
    fs::create_dir_all(&only).unwrap();
    fs::write(only.join("site.css"), "body { color: #000; }\n").unwrap();
    let r = run(
        dir.path(),
        &["build", "mini", "--output", "out", "--templates", "only"],
    );
    assert_eq!(r.code, 0, "{}{}", r.stdout, r.stderr);
    let out = dir.path().join("out/2030");
    assert!(out.join("korpsmonitor-2030.pdf").is_file());
    assert!(r.stdout.contains("web/index.html"), "{}", r.stdout);
    // The edited style sheet, then the house style's colours.
    // The site's fonts, the edited style sheet, then the house style's
    // colours.
    let css = fs::read_to_string(out.join("web/site.css")).unwrap();
    let (fonts, rest) = css.split_once("body { color: #000; }").unwrap();
    assert_eq!(fonts.matches("@font-face").count(), 4, "{css}");
    assert!(
        rest.starts_with(
            "\n\n/* The house style's colours (house-style.yaml). */\n:root {\n  --blue: #154273;"
        ),
        "{css}"
    );
    let index = fs::read_to_string(out.join("web/index.html")).unwrap();
    let links: Vec<String> = parse(&index)
        .find(&["a"])
        .iter()
        .filter_map(|a| a.attr("href"))
        .collect();
    assert!(
        links.iter().any(|l| l == "korpsmonitor-2030.pdf"),
        "{index}"
    );
    // The site holds its copy of the report.
    assert_eq!(
        fs::read(out.join("web/korpsmonitor-2030.pdf")).unwrap(),
        fs::read(out.join("korpsmonitor-2030.pdf")).unwrap()
    );
    // The manifest records the site's files, so a later build removes the
    // page of a unit that is gone, and only that.
    let manifest = fs::read_to_string(out.join(".korpsmonitor-manifest")).unwrap();
    assert!(manifest.contains("web/eenheden/alfa.html\t"), "{manifest}");
}

#[test]
fn pages_of_a_unit_that_left_the_edition_are_removed_and_only_those() {
    let dir = mini(None);
    let site = build_site(dir.path(), "mini", 2030);
    assert!(site.join("eenheden/gamma.html").is_file());
    fs::write(site.join("eenheden/notes.html"), "mine").unwrap();
    fs::remove_file(dir.path().join("mini/units/gamma.yaml")).unwrap();
    let edition = dir.path().join("mini/edition.yaml");
    let text = fs::read_to_string(&edition).unwrap();
    fs::write(&edition, text.replace("  - gamma\n", "")).unwrap();
    let r = run(
        dir.path(),
        &["build", "mini", "--only", "web", "--output", "out"],
    );
    assert_eq!(r.code, 0, "{}{}", r.stdout, r.stderr);
    assert!(
        r.stdout
            .contains("eenheden/gamma.html (no longer in the web edition)"),
        "{}",
        r.stdout
    );
    assert!(!site.join("eenheden/gamma.html").exists());
    assert!(!site.join("data/scores-gamma.csv").exists());
    assert!(site.join("eenheden/alfa.html").is_file());
    assert_eq!(
        fs::read_to_string(site.join("eenheden/notes.html")).unwrap(),
        "mine"
    );
}

/// Characters that HTML, minijinja and the inline subset treat specially,
/// and some from across Unicode.
fn interesting_char() -> impl Strategy<Value = char> {
    prop_oneof![
        6 => prop::sample::select("<>&\"'/=`{}%#*_[]\\;:!?-".chars().collect::<Vec<_>>()),
        4 => prop::char::range('a', 'z'),
        1 => prop::char::range('\u{00c0}', '\u{017f}'),
        1 => prop::char::range('\u{05d0}', '\u{05ea}'),
        1 => prop::sample::select("€–—…→\u{a0}".chars().collect::<Vec<_>>()),
        1 => prop::char::range('\u{1f600}', '\u{1f64f}'),
        3 => Just(' '),
        1 => Just('\n'),
    ]
}

proptest! {
    #![proptest_config(ProptestConfig { cases: cases(64), failure_persistence: None, ..ProptestConfig::default() })]

    /// Arbitrary findings go through the real path (inline subset -> the
    /// report context -> the HTML templates) and the unit page's DOM text
    /// holds the same characters in the same order.
    #[test]
    fn findings_reach_the_dom_text_unchanged(chars in prop::collection::vec(interesting_char(), 1..100)) {
        thread_local! {
            static BASE: (korpsmonitor::data::load::LoadedEdition, korpsmonitor::typeset::FontSet) = {
                let dir = root().join("tests/fixtures/valid/mini");
                let loaded = korpsmonitor::data::load::load(&dir).edition.unwrap();
                (loaded, korpsmonitor::typeset::FontSet::embedded())
            };
        }
        let finding: String = chars.into_iter().collect();
        BASE.with(|(base, fonts)| {
            let mut loaded = base.clone();
            loaded.units[0].value.dimensions.get_mut("toezicht").unwrap().findings = finding.clone();
            let id = loaded.units[0].value.id.clone();
            let scored = korpsmonitor::figures::score::score(loaded);
            let templates = korpsmonitor::render::Templates::embedded();
            let house = korpsmonitor::render::house_style::HouseStyle::of(&templates).unwrap();
            let charts = korpsmonitor::render::charts::all(&scored, fonts, &house.colours);
            let date = korpsmonitor::data::model::Date { year: 2031, month: 7, day: 6 };
            let ctx = korpsmonitor::render::report::context(&scored, &[], &charts, date, "Font");
            let input = korpsmonitor::render::html::SiteInput {
                report: &ctx,
                covering: None,
                charts: &charts,
                narrow: &[],
                base_url: None,
                editions: &[],
                scored: &scored,
                colours: &house.colours,
                licence: korpsmonitor::render::open_data::DEFAULT_LICENCE,
            };
            let site = korpsmonitor::render::html::site(
                &korpsmonitor::render::Templates::embedded(),
                &input,
            )
            .unwrap();
            let page = format!("eenheden/{id}.html");
            let html = site.iter().find(|(p, _)| *p == page).map(|(_, b)| String::from_utf8(b.clone()).unwrap()).unwrap();
            let doc = parse(&html);
            let findings = doc.all().into_iter().find(|e| e.has_class("findings")).unwrap();
            let got = findings
                .find(&["p", "li"])
                .iter()
                .map(El::text)
                .collect::<Vec<_>>()
                .join(" ");
            let want: String = korpsmonitor::render::prose(&finding)
                .iter()
                .map(|b| match b {
                    korpsmonitor::render::Block::Paragraph { runs } => runs.iter().map(|r| r.text.as_str()).collect::<String>(),
                    korpsmonitor::render::Block::List { items } => items
                        .iter()
                        .map(|i| i.iter().map(|r| r.text.as_str()).collect::<String>())
                        .collect::<Vec<_>>()
                        .join(" "),
                })
                .collect::<Vec<_>>()
                .join(" ");
            let squash = |s: &str| s.chars().filter(|c| !c.is_whitespace()).collect::<String>();
            prop_assert_eq!(squash(&want), squash(&got), "finding {:?}", finding);
            prop_assert!(only_site_script(&doc));
            prop_assert!(findings.find(&["b", "i", "script", "a"]).is_empty());
            Ok(())
        })?;
    }
}

/// The table of `page` whose CSV is `csv`, checked against that CSV cell
/// for cell; its body rows as shown.
fn csv_table(site: &Path, page: &str, csv: &str) -> Vec<Vec<String>> {
    let doc = parse(&fs::read_to_string(site.join(page)).unwrap());
    let table = doc
        .find(&["table"])
        .into_iter()
        .find(|t| t.attr("data-csv").as_deref() == Some(csv))
        .unwrap_or_else(|| panic!("{page} has no table of {csv}"));
    let lines = read_csv(&fs::read(site.join(csv)).unwrap());
    let body = rows(&table);
    assert_eq!(lines.len() - 1, body.len(), "{page}: {csv}");
    for (row, line) in body.iter().zip(&lines[1..]) {
        let shown: Vec<String> = row
            .iter()
            .enumerate()
            .map(|(i, c)| if i == 0 { c.clone() } else { plain(c) })
            .collect();
        let line: Vec<String> = line.iter().map(|c| folded(c)).collect();
        assert_eq!(shown, line, "{page}: {csv}");
    }
    body
}

#[test]
fn the_site_shows_the_trends_and_peers_of_the_report() {
    let dir = tempfile::tempdir().unwrap();
    copy_dir(&root().join("data"), &dir.path().join("data"));
    let site = build_site(dir.path(), "data/2012", 2012);
    let r = run(dir.path(), &["summary", "data/2012", "--format", "json"]);
    assert_eq!(r.code, 0, "{}", r.stderr);
    let v: serde_json::Value = serde_json::from_str(&r.stdout).unwrap();
    let t = &v["trends"];
    let label = |x: &serde_json::Value| {
        x.as_str()
            .map_or("niet beoordeeld".to_string(), |s| s.replace('_', " "))
    };

    // The national picture: every edition's verdicts and the moves since
    // the edition before, as the trends give them.
    let index = folded(&parse(&fs::read_to_string(site.join("index.html")).unwrap()).text());
    let body = csv_table(&site, "index.html", "data/oordelen-per-monitor.csv");
    let editions = t["editions"].as_array().unwrap();
    assert_eq!(body.len(), editions.len());
    for (row, e) in body.iter().zip(editions) {
        let h = &e["headline"];
        let mut want = vec![
            e["year"].to_string(),
            e["headline_units"].to_string(),
            h["conform_norm"].to_string(),
            h["aandacht"].to_string(),
            h["onvoldoende"].to_string(),
        ];
        match t["pairs"]
            .as_array()
            .unwrap()
            .iter()
            .find(|p| p["to"] == e["year"])
        {
            Some(p) => want.extend(["better", "same", "worse"].map(|k| p[k].to_string())),
            None => want.extend(["–", "–", "–"].map(String::from)),
        }
        assert_eq!(row, &want);
    }
    // Each pair in the later edition's words for its units.
    for p in t["pairs"].as_array().unwrap() {
        let to = editions.iter().find(|e| e["year"] == p["to"]).unwrap();
        let sentence = format!(
            "{} die in {} en in {} zijn beoordeeld",
            to["headline_groups"].as_str().unwrap(),
            p["from"],
            p["to"]
        );
        assert!(index.contains(&sentence), "{sentence}");
    }
    assert!(index.contains("Van de 25 regiokorpsen die in 2008 en in 2010"));
    // The summary's lists name the units the trends list.
    let name = |id: &serde_json::Value| -> String {
        v["units"]
            .as_array()
            .unwrap()
            .iter()
            .find(|u| u["id"] == *id)
            .unwrap()["name"]
            .as_str()
            .unwrap()
            .to_string()
    };
    for key in [
        "improved_every_time",
        "fell_back_twice",
        "onvoldoende_running",
    ] {
        for id in t[key].as_array().unwrap() {
            assert!(index.contains(&name(id)), "{key}: {id}");
        }
    }
    assert!(index.contains("Voor de derde keer op rij onvoldoende: Limburg-Zuid."));

    // Every unit's page: its series in words and as a table equal to its
    // CSV, and its peer chart whose name states the unit's scores.
    for u in v["units"].as_array().unwrap() {
        let id = u["id"].as_str().unwrap();
        let page = format!("eenheden/{id}.html");
        let series = t["units"]
            .as_array()
            .unwrap()
            .iter()
            .find(|s| s["id"] == id)
            .unwrap();
        let points = series["points"].as_array().unwrap();
        let body = csv_table(&site, &page, &format!("data/verloop-{id}.csv"));
        assert_eq!(body.len(), points.len(), "{id}");
        let text = folded(&parse(&fs::read_to_string(site.join(&page)).unwrap()).text());
        for (row, p) in body.iter().zip(points) {
            assert_eq!(row[0], p["year"].to_string(), "{id}");
            assert_eq!(row[1], label(&p["verdict"]), "{id} {}", p["year"]);
            assert!(
                text.contains(&format!("{} {}", p["year"], label(&p["verdict"]))),
                "{id}: the series in words lacks {}",
                p["year"]
            );
        }
        let Some(score) = u["score"]["tenths"].as_i64() else {
            continue;
        };
        let shown = format!("{},{}%", score / 10, score % 10);
        let html = fs::read_to_string(site.join(&page)).unwrap();
        // A unit of a group of fewer than three units with a score is not
        // compared with its group, and its page says why.
        let group_size = v["units"]
            .as_array()
            .unwrap()
            .iter()
            .filter(|o| o["group"] == u["group"] && o["score"].is_object())
            .count();
        if group_size < 3 {
            assert!(!html.contains(&format!("grafieken/peers-{id}.svg")), "{id}");
            assert!(html.contains("wordt daarom niet met"), "{id}: no note");
            continue;
        }
        let doc = parse(&html);
        let figure = doc
            .find(&["figure"])
            .into_iter()
            .find(|f| f.attr("id") == Some(format!("grafiek-peers-{id}")))
            .unwrap_or_else(|| panic!("{page} has no peer chart"));
        let file = figure
            .find(&["a"])
            .into_iter()
            .filter_map(|a| a.attr("href"))
            .find(|h| h.ends_with(&format!("grafieken/peers-{id}.svg")))
            .unwrap_or_else(|| panic!("{page}: no link to the peer chart's file"));
        assert!(resolve(&site, &page, &file).is_file());
        let alt = chart_text(&figure);
        assert!(alt.contains(&format!("Totaal {shown}")), "{id}: {alt}");
        assert!(alt.contains("mediaan"), "{id}: {alt}");
        assert!(
            text.contains(&format!("De totaalscore ({shown})"))
                || text.contains("valt de score daarom niet te vergelijken"),
            "{id}: no peer sentence"
        );
        csv_table(&site, &page, &format!("data/peers-{id}.csv"));
    }

    // A new police unit of several former units: their verdicts per
    // edition and their mean.
    let new = t["new_units"].as_array().unwrap();
    let mut seen = 0;
    for n in new
        .iter()
        .filter(|n| n["former"].as_array().unwrap().len() >= 2)
    {
        let id = n["id"].as_str().unwrap();
        let page = format!("nieuwe-eenheden/{id}.html");
        let body = csv_table(
            &site,
            &page,
            &format!("data/verloop-nieuwe-eenheid-{id}.csv"),
        );
        let former = n["former"].as_array().unwrap();
        for (row, p) in body.iter().zip(n["points"].as_array().unwrap()) {
            assert_eq!(row[0], p["year"].to_string());
            assert_eq!(row.len(), former.len() + 2);
            let mean = p["mean"]["tenths"]
                .as_i64()
                .map_or("–".to_string(), |m| format!("{},{}%", m / 10, m % 10));
            assert_eq!(row[former.len() + 1], mean, "{id} {}", p["year"]);
        }
        seen += 1;
    }
    assert!(seen > 0);
}

/// A program on PATH, or `None`.
fn program(name: &str) -> Option<PathBuf> {
    std::env::var_os("PATH").and_then(|paths| {
        std::env::split_paths(&paths)
            .map(|d| d.join(name))
            .find(|p| p.is_file())
    })
}

/// Printing shows the figures of every chart, though their `<details>`
/// stays closed on paper in most browsers: each is followed by a copy of
/// its table that only print shows, the same rows. Printed to PDF by
/// headless Chromium when it and pdftotext are present, each row of the
/// start page's chart tables is on paper.
#[test]
fn printing_shows_the_figures_of_every_chart() {
    let dir = tempfile::tempdir().unwrap();
    copy_dir(&root().join("data"), &dir.path().join("data"));
    let site = build_site(dir.path(), "data/2010", 2010);
    let css = String::from_utf8(fs::read(site.join("site.css")).unwrap()).unwrap();
    let print = &css[css.find("@media print").expect("a print stylesheet")..];
    assert!(
        print.contains(".print-only {\n    display: block;"),
        "{print}"
    );
    assert!(css.contains(".print-only {\n  display: none;"), "{css}");
    let mut copies = 0;
    let mut start_rows = Vec::new();
    for (page, bytes) in files(&site).iter().filter(|(p, _)| p.ends_with(".html")) {
        let doc = parse(std::str::from_utf8(bytes).unwrap());
        for parent in doc.all() {
            let children = parent.children();
            for (i, child) in children.iter().enumerate() {
                if !(child.name() == "details" && child.has_class("chart-data")) {
                    continue;
                }
                let copy = children
                    .get(i + 1)
                    .filter(|c| c.has_class("print-only"))
                    .unwrap_or_else(|| panic!("{page}: a chart's figures without print copy"));
                assert_eq!(copy.attr("aria-hidden").as_deref(), Some("true"), "{page}");
                let shown = rows(&child.first("table").unwrap());
                let printed = rows(&copy.first("table").unwrap());
                assert_eq!(shown, printed, "{page}");
                if page == "index.html" {
                    start_rows.extend(printed);
                }
                copies += 1;
            }
        }
    }
    assert!(copies > 0 && !start_rows.is_empty(), "no chart found");
    let (Some(chromium), Some(pdftotext)) = (program("chromium"), program("pdftotext")) else {
        assert!(
            std::env::var("KORPSMONITOR_REQUIRE_TOOLS").as_deref() != Ok("1"),
            "KORPSMONITOR_REQUIRE_TOOLS=1 but chromium or pdftotext is not on PATH"
        );
        eprintln!("SKIPPED: printing the start page with Chromium (chromium or pdftotext missing)");
        return;
    };
    let pdf = dir.path().join("printed.pdf");
    let status = std::process::Command::new(chromium)
        .args([
            "--headless",
            "--no-sandbox",
            "--disable-gpu",
            "--no-pdf-header-footer",
        ])
        .arg(format!("--print-to-pdf={}", pdf.display()))
        .arg(format!("file://{}", site.join("index.html").display()))
        .stderr(std::process::Stdio::null())
        .status()
        .unwrap();
    assert!(status.success() && pdf.is_file(), "chromium did not print");
    let out = std::process::Command::new(pdftotext)
        .arg(&pdf)
        .arg("-")
        .output()
        .unwrap();
    let text = folded(&String::from_utf8_lossy(&out.stdout));
    for row in &start_rows {
        for cell in row {
            assert!(
                text.contains(cell.as_str()),
                "not on paper: {cell} of {row:?}"
            );
        }
    }
}

#[test]
fn the_site_is_self_contained_and_links_the_other_editions() {
    let dir = tempfile::tempdir().unwrap();
    copy_dir(&root().join("data"), &dir.path().join("data"));
    build_site(dir.path(), "data/2008", 2008);
    let r = run(
        dir.path(),
        &[
            "build",
            "data/2010",
            "--output",
            "out",
            "--base-url",
            "https://example.nl/korpsmonitor/2010",
        ],
    );
    assert_eq!(r.code, 0, "{}{}", r.stdout, r.stderr);
    let edition = dir.path().join("out/2010");
    let site = edition.join("web");
    // The output names the folder to publish.
    assert!(
        r.stdout
            .contains("publish out/2010/web/ as the web edition"),
        "{}",
        r.stdout
    );
    // The manager letters were built, beside the site and never in it; the
    // site holds a copy of the report and the covering letter.
    assert!(edition.join("brieven").read_dir().unwrap().count() > 0);
    let all = files(&site);
    let pdfs: Vec<&String> = all.keys().filter(|p| p.ends_with(".pdf")).collect();
    assert_eq!(
        pdfs,
        ["aanbiedingsbrief-2010.pdf", "korpsmonitor-2010.pdf"],
        "{pdfs:?}"
    );
    for pdf in pdfs {
        assert_eq!(all[pdf], fs::read(edition.join(pdf)).unwrap(), "{pdf}");
    }
    assert!(!all.keys().any(|p| p.contains("brieven")));
    // Every link of every page resolves to a file inside the site, but the
    // links to the same unit in the 2008 edition, whose site stands beside,
    // and the licence of the open data.
    let site_root = site.canonicalize().unwrap();
    let mut problems = Vec::new();
    let mut to_2008 = 0;
    let pages: Vec<&String> = all.keys().filter(|p| p.ends_with(".html")).collect();
    for page in &pages {
        let doc = parse(std::str::from_utf8(&all[*page]).unwrap());
        let canonical: Vec<String> = doc
            .find(&["link"])
            .iter()
            .filter(|l| l.attr("rel").as_deref() == Some("canonical"))
            .filter_map(|l| l.attr("href"))
            .collect();
        if canonical != [format!("https://example.nl/korpsmonitor/2010/{page}")] {
            problems.push(format!("{page}: canonical {canonical:?}"));
        }
        for e in doc.find(&["a", "img", "link", "script"]) {
            let Some(url) = e.attr("href").or_else(|| e.attr("src")) else {
                continue;
            };
            if url.starts_with('#') || url.starts_with("https://example.nl/") {
                continue;
            }
            // The open data's licence text, the one link out of the site.
            if e.attr("rel").as_deref() == Some("license") && page.as_str() == "open-data.html" {
                continue;
            }
            let target = resolve(&site, page, &url);
            if let Some(year) = other_edition(&url) {
                assert_eq!(year, "2008", "{page}: {url}");
                to_2008 += 1;
                if !target.is_file() {
                    problems.push(format!("{page}: {url} is not in the 2008 site"));
                }
                continue;
            }
            let inside = target
                .canonicalize()
                .is_ok_and(|t| t.starts_with(&site_root) && t.is_file());
            if !inside {
                problems.push(format!("{page}: {url} resolves to no file inside the site"));
            }
        }
    }
    assert!(problems.is_empty(), "{}", problems.join("\n"));
    assert!(to_2008 > 10, "{to_2008} links to the 2008 edition");
    // The sitemap lists every page at the base URL.
    let sitemap = String::from_utf8(all["sitemap.xml"].clone()).unwrap();
    for page in &pages {
        assert!(
            sitemap.contains(&format!(
                "<loc>https://example.nl/korpsmonitor/2010/{page}</loc>"
            )),
            "{page} not in the sitemap"
        );
    }
    // A base URL that is no web address is refused with its reason.
    let r = run(
        dir.path(),
        &[
            "build",
            "data/2010",
            "--only",
            "web",
            "--base-url",
            "ftp://x/",
        ],
    );
    assert_eq!(r.code, 2, "{}", r.stderr);
    assert!(r.stderr.contains("https://"), "{}", r.stderr);
}
