//! The web edition: the report as a static, accessible HTML site, rendered
//! from the same template context as the PDF (no figure is computed here),
//! with the charts as SVG beside their numbers as tables, every table of
//! figures as CSV and the whole scored edition as JSON (docs/web.md,
//! docs/open-data.md).
//!
//! Text from YAML never becomes HTML: the templates run with minijinja's
//! HTML auto-escaping, so every `{{ value }}` is written with `<`, `>`,
//! `&`, `"` and `'` escaped, and prose blocks become elements built by the
//! templates around escaped runs. Links between pages are relative, so the
//! site works from the file system as well as from a web server.

use std::collections::BTreeMap;

use minijinja::AutoEscape;
use minijinja::value::Value;
use serde::Serialize;

use crate::data::model::Verdict;
use crate::data::values::Trend;
use crate::figures::scored::{ScoredEdition, ScoredUnit};
use crate::render::charts::Chart;
use crate::render::context::report::ReportContext;
use crate::render::house_style::Colours;
use crate::render::letter::CoveringCtx;
use crate::render::open_data;
use crate::render::table::{Cell, DataTable};
use crate::render::{RenderError, Templates, template_environment, template_error, template_fuel};

/// The folder of the site inside an edition's output folder.
pub const SITE_DIR: &str = "web";

/// Everything the site is rendered from.
pub struct SiteInput<'a> {
    /// The report's template context, as the PDF gets it.
    pub report: &'a ReportContext,
    /// The covering letter's context, when the edition has a letter.
    pub covering: Option<&'a CoveringCtx>,
    /// The charts, as drawn for the PDF.
    pub charts: &'a [Chart],
    /// The same charts drawn for narrow screens
    /// ([`crate::render::charts::all_narrow`]), by file name; a chart
    /// without one shows its wide drawing everywhere.
    pub narrow: &'a [Chart],
    /// The address the site is published at, ending in `/`: pages get a
    /// canonical link and the site a `sitemap.xml`.
    pub base_url: Option<&'a str>,
    /// The other editions of the chain, oldest first: the year and the ids
    /// of its units, for the links from a unit's page to the same unit
    /// there.
    pub editions: &'a [(u16, Vec<String>)],
    /// The scored edition, for the open-data downloads.
    pub scored: &'a ScoredEdition,
    /// The house style's colours, which the style sheet takes.
    pub colours: &'a Colours,
    /// The licence of the open data: (name, address).
    pub licence: (&'a str, &'a str),
}

/// One file of the site: its path below the site folder (`/`-separated)
/// and its bytes.
pub type SiteFile = (String, Vec<u8>);

/// A table as the templates show it: cells already formatted, with the
/// path of its CSV download.
#[derive(Debug, Serialize)]
struct TableView {
    caption: String,
    columns: Vec<String>,
    /// Per column, whether it holds numbers (right-aligned): every cell
    /// of it below the head is a number or missing.
    numeric: Vec<bool>,
    rows: Vec<Vec<CellView>>,
    /// Path of the CSV below the site folder.
    csv: String,
}

#[derive(Debug, Serialize)]
struct CellView {
    text: String,
    numeric: bool,
    /// The verdict's id (for its colour), when the cell is a verdict.
    verdict: Option<&'static str>,
}

impl TableView {
    fn new(t: &DataTable, csv: String) -> TableView {
        let numeric = (0..t.columns.len())
            .map(|i| {
                i > 0
                    && t.rows.iter().any(|r| r.get(i).is_some_and(Cell::numeric))
                    && t.rows.iter().all(|r| {
                        r.get(i)
                            .is_none_or(|c| c.numeric() || matches!(c, Cell::Missing))
                    })
            })
            .collect();
        TableView {
            caption: t.caption.clone(),
            columns: t.columns.clone(),
            numeric,
            rows: t
                .rows
                .iter()
                .map(|r| {
                    r.iter()
                        .map(|c| CellView {
                            text: c.display(),
                            numeric: c.numeric(),
                            verdict: match c {
                                Cell::Verdict(v) => Some(v.id()),
                                _ => None,
                            },
                        })
                        .collect()
                })
                .collect(),
            csv,
        }
    }
}

/// A chart as the templates show it.
#[derive(Debug, Serialize)]
struct ChartView {
    /// Path of the SVG below the site folder.
    src: String,
    /// The anchor of the chart on its page (`grafiek-oordelen`).
    id: String,
    /// The accessible name: what the chart shows, in a sentence or two;
    /// its numbers are in the table that describes it.
    alt: String,
    /// The full alternative text, stating every number.
    long_alt: String,
    /// The SVG to put in the page (no XML prolog), wide.
    svg: String,
    /// The narrow drawing, when there is one.
    narrow_svg: Option<String>,
    /// Width and height in CSS pixels at full size.
    width: u32,
    height: u32,
    /// The numbers as a table.
    table: TableView,
}

/// A link in the site's navigation.
#[derive(Debug, Serialize)]
struct NavItem {
    href: String,
    label: String,
}

/// The base name of a chart's file: `charts/oordelen.svg` -> `oordelen`.
fn chart_stem(file: &str) -> &str {
    let name = file.rsplit('/').next().unwrap_or(file);
    name.strip_suffix(".svg").unwrap_or(name)
}

/// The chart's SVG with an accessible name of its own (`role="img"` and a
/// `<title>`), for a reader who opens the file by itself.
fn titled_svg(svg: &str, alt: &str) -> String {
    let Some(start) = svg.find("<svg") else {
        return svg.to_string();
    };
    let Some(end) = svg[start..].find('>').map(|e| start + e) else {
        return svg.to_string();
    };
    let title = escape_xml(alt);
    format!(
        "{} role=\"img\" aria-label=\"{title}\"><title>{title}</title>{}",
        &svg[..end],
        &svg[end + 1..]
    )
}

/// Text escaped for XML and HTML content and attribute values.
pub(crate) fn escape_xml(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    for c in s.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&#39;"),
            c => out.push(c),
        }
    }
    out
}

/// The verdict of every unit, with scores per dimension: the start page's
/// table of scores as a download.
fn overview_table(scored: &ScoredEdition) -> DataTable {
    let previous = scored.previous.as_ref().map(|p| p.year);
    let mut columns = vec![
        "Eenheid".to_string(),
        "Groep".to_string(),
        "Score (%)".to_string(),
        format!("Oordeel {}", scored.year),
        "Handmatig oordeel".to_string(),
    ];
    if let Some(year) = previous {
        columns.push(format!("Oordeel {year}"));
        columns.push("Verandering".to_string());
    }
    for d in &scored.dimensions {
        columns.push(format!("{} score (%)", d.short_name));
        columns.push(format!("{} oordeel", d.short_name));
    }
    let group = |id: &str| {
        scored
            .groups
            .iter()
            .find(|g| g.id == id)
            .map_or(id.to_string(), |g| g.name.clone())
    };
    let verdict = |v: Option<Verdict>| v.map_or(Cell::Missing, Cell::Verdict);
    let rows = scored
        .units
        .iter()
        .map(|u| {
            let mut row = vec![
                Cell::Text(u.name.clone()),
                Cell::Text(group(&u.group)),
                u.score.map_or(Cell::Missing, |s| Cell::Percent(s.tenths)),
                Cell::Verdict(u.verdict),
                Cell::Text(if u.manual.is_some() { "ja" } else { "nee" }.into()),
            ];
            if previous.is_some() {
                row.push(verdict(u.previous_verdict));
                row.push(change_cell(u));
            }
            for d in &u.dimensions {
                row.push(d.score.map_or(Cell::Missing, |s| Cell::Percent(s.tenths)));
                row.push(verdict(d.verdict));
            }
            row
        })
        .collect();
    DataTable {
        caption: format!("Oordeel per eenheid in {}", scored.year),
        columns,
        rows,
    }
}

/// The headline groups' verdicts per dimension, as the report counts them.
fn dimensions_table(report: &ReportContext) -> DataTable {
    DataTable {
        caption: format!(
            "Aantal {} per oordeel, per dimensie",
            report.headline.groups
        ),
        columns: [
            "Dimensie",
            "conform norm",
            "aandacht",
            "onvoldoende",
            "n.v.t.",
        ]
        .map(String::from)
        .to_vec(),
        rows: report
            .dimensions
            .iter()
            .map(|d| {
                vec![
                    Cell::Text(d.name.clone()),
                    Cell::Count(u64::from(d.counts.conform_norm)),
                    Cell::Count(u64::from(d.counts.aandacht)),
                    Cell::Count(u64::from(d.counts.onvoldoende)),
                    Cell::Count(u64::from(d.counts.nvt)),
                ]
            })
            .collect(),
    }
}

/// The headline verdicts of every edition of the chain side by side, with
/// the units that improved, stayed or fell back since the edition before,
/// as the report's national picture gives them.
fn national_trends_table(t: &crate::render::context::trends::TrendsCtx) -> DataTable {
    let count = |n: u32| Cell::Count(u64::from(n));
    DataTable {
        caption: "Totaaloordelen per monitor en de veranderingen sinds de monitor ervoor".into(),
        columns: [
            "Monitor",
            "Eenheden",
            "conform norm",
            "aandacht",
            "onvoldoende",
            "verbeterd",
            "gelijk gebleven",
            "verslechterd",
        ]
        .map(String::from)
        .to_vec(),
        rows: t
            .editions
            .iter()
            .map(|e| {
                let mut row = vec![
                    Cell::Text(e.year.to_string()),
                    count(e.units),
                    count(e.counts.conform_norm),
                    count(e.counts.aandacht),
                    count(e.counts.onvoldoende),
                ];
                match e.moves {
                    Some((b, s, w)) => row.extend([count(b), count(s), count(w)]),
                    None => row.extend([Cell::Missing, Cell::Missing, Cell::Missing]),
                }
                row
            })
            .collect(),
    }
}

fn change_cell(u: &ScoredUnit) -> Cell {
    match (&u.change, u.trend) {
        (Some(c), _) => Cell::Text(c.clone()),
        (None, Some(t)) => Cell::Text(t.label().into()),
        _ => Cell::Missing,
    }
}

/// One unit's table of scores as a download.
fn unit_table(scored: &ScoredEdition, u: &ScoredUnit) -> DataTable {
    let previous = scored.previous.as_ref().map(|p| p.year);
    let mut columns = vec![
        "Dimensie".to_string(),
        "Score (%)".to_string(),
        "Punten toegekend".to_string(),
        "Punten mogelijk".to_string(),
        "Oordeel".to_string(),
        "Handmatig oordeel".to_string(),
    ];
    if let Some(year) = previous {
        columns.push(format!("Oordeel {year}"));
        columns.push("Verandering".to_string());
    }
    let name = |id: &str| {
        scored
            .dimensions
            .iter()
            .find(|d| d.id == id)
            .map_or(id.to_string(), |d| d.name.clone())
    };
    let rows = u
        .dimensions
        .iter()
        .map(|d| {
            let scored_points = d.possible > 0 && d.score.is_some();
            let mut row = vec![
                Cell::Text(name(&d.id)),
                d.score.map_or(Cell::Missing, |s| Cell::Percent(s.tenths)),
                if scored_points {
                    Cell::Count(u64::from(d.awarded))
                } else {
                    Cell::Missing
                },
                if scored_points {
                    Cell::Count(u64::from(d.possible))
                } else {
                    Cell::Missing
                },
                d.verdict.map_or(Cell::Text("n.v.t.".into()), Cell::Verdict),
                Cell::Text(if d.manual.is_some() { "ja" } else { "nee" }.into()),
            ];
            if previous.is_some() {
                row.push(d.previous_verdict.map_or(
                    if d.comparable {
                        Cell::Missing
                    } else {
                        Cell::Text("niet vergelijkbaar".into())
                    },
                    Cell::Verdict,
                ));
                row.push(
                    d.change
                        .map_or(Cell::Missing, |t: Trend| Cell::Text(t.label().into())),
                );
            }
            row
        })
        .collect();
    DataTable {
        caption: format!("Scores van {} per dimensie", u.name),
        columns,
        rows,
    }
}

/// One page to render: its path, template and title.
struct Page {
    path: String,
    template: &'static str,
    title: String,
    /// Page-specific values (`page.unit`, ...).
    extra: BTreeMap<&'static str, Value>,
}

impl Page {
    fn new(path: impl Into<String>, template: &'static str, title: impl Into<String>) -> Page {
        Page {
            path: path.into(),
            template,
            title: title.into(),
            extra: BTreeMap::new(),
        }
    }

    /// The way from this page back to the site folder: "" or "../".
    fn root(&self) -> String {
        "../".repeat(self.path.matches('/').count())
    }
}

/// The file name of the report PDF of `year`, beside the site folder and
/// (copied by the build) in it.
pub fn report_pdf(year: u16) -> String {
    format!("korpsmonitor-{year}.pdf")
}

/// The file name of the covering letter's PDF of `year`, beside the site
/// folder and (copied by the build) in it.
pub fn letter_pdf(year: u16) -> String {
    format!("aanbiedingsbrief-{year}.pdf")
}

/// The PDFs of `year` the site links to and holds a copy of: the report,
/// and the covering letter when the edition has one; never a manager
/// letter.
pub fn site_pdfs(year: u16, has_letter: bool) -> Vec<String> {
    let mut pdfs = vec![report_pdf(year)];
    if has_letter {
        pdfs.push(letter_pdf(year));
    }
    pdfs
}

/// Renders the whole site: every page, the style sheet, the script, the
/// fonts, the charts, the CSV tables and the JSON, as files below the site
/// folder, in a fixed order (same input, same bytes); with a base URL also
/// `sitemap.xml`. The PDFs are added by the build. Errors: a template
/// error, with the template and line.
pub fn site(templates: &Templates, input: &SiteInput) -> Result<Vec<SiteFile>, RenderError> {
    let report = input.report;
    let year = report.meta.year;
    let mut files: Vec<SiteFile> = Vec::new();
    let charts = chart_views(input.charts, input.narrow, &mut files);
    let tables = data_tables(report, input.scored, &mut files);
    let json_path = open_data::json_file(report, input.scored, &mut files)?;
    let open = open_data::page(report, &mut files, &json_path, input.licence)?;
    font_files(&mut files);
    let has_letter = input.covering.is_some();
    let nav = navigation(report, has_letter);
    let mut pages = pages(report, input.covering, &nav, input.editions);
    let mut p = Page::new("open-data.html", "web/open-data.html.j2", "Open data");
    p.extra
        .insert("open_data", Value::from(minijinja::value::Serde(&open)));
    pages.push(p);
    let env = web_environment(templates, report)?;
    let css = templates.get("web/site.css").unwrap_or_default();
    let css = format!(
        "{}{css}{}",
        font_faces(""),
        house_colours_css(input.colours)
    );
    files.push(("site.css".into(), css.into_bytes()));
    // The script (sortable and filterable tables, which tables scroll, the
    // comparison of two units); every page works without it.
    let script = templates.get("web/site.js").unwrap_or_default();
    files.push(("site.js".into(), script.as_bytes().to_vec()));
    if let Some(base) = input.base_url {
        files.push(("sitemap.xml".into(), sitemap(base, &pages).into_bytes()));
    }

    let report_value = Value::from(minijinja::value::Serde(report));
    let charts_value = Value::from(minijinja::value::Serde(&charts));
    let tables_value = Value::from(minijinja::value::Serde(&tables));
    let nav_value = Value::from(minijinja::value::Serde(&nav));
    let checks_value = Value::from(minijinja::value::Serde(&CHECKS));
    for page in pages {
        let root = page.root();
        let mut ctx: BTreeMap<&str, Value> = BTreeMap::new();
        ctx.insert("report", report_value.clone());
        ctx.insert("charts", charts_value.clone());
        ctx.insert("tables", tables_value.clone());
        ctx.insert("nav", nav_value.clone());
        ctx.insert("checks", checks_value.clone());
        ctx.insert("root", Value::from(root.clone()));
        ctx.insert("path", Value::from(page.path.clone()));
        ctx.insert("title", Value::from(page.title.clone()));
        ctx.insert("pdf", Value::from(format!("{root}{}", report_pdf(year))));
        if has_letter {
            ctx.insert(
                "letter_pdf",
                Value::from(format!("{root}{}", letter_pdf(year))),
            );
        }
        ctx.insert("json", Value::from(format!("{root}{json_path}")));
        ctx.insert("has_letter", Value::from(has_letter));
        if let Some(base) = input.base_url {
            ctx.insert("canonical", Value::from(format!("{base}{}", page.path)));
        }
        for (k, v) in page.extra {
            ctx.insert(k, v);
        }
        let template = env
            .get_template(page.template)
            .map_err(|e| template_error(templates, &e))?;
        let html = template
            .render(Value::from(ctx))
            .map_err(|e| template_error(templates, &e))?;
        files.push((page.path, html.into_bytes()));
    }
    files.sort_by(|a, b| a.0.cmp(&b.0));
    Ok(files)
}

/// What the accessibility statement says was checked: each check the
/// build's browser test runs (tests/browser/check-site.js), as the
/// statement names it.
#[derive(Debug, Serialize)]
struct Check {
    what: &'static str,
    how: &'static str,
}

const CHECKS: [Check; 6] = [
    Check {
        what: "Alle succescriteria van WCAG 2.1 niveau A en AA die automatisch te toetsen zijn",
        how: "axe-core in Chromium, op elke pagina, bij 1280 en 320 CSS-pixels breed, met ingeklapte en uitgeklapte onderdelen",
    },
    Check {
        what: "Reflow (succescriterium 1.4.10)",
        how: "Chromium bij 320 CSS-pixels breed: de pagina schuift niet zijwaarts, alleen een brede tabel in een eigen benoemd gebied",
    },
    Check {
        what: "Tekstafstand (succescriterium 1.4.12)",
        how: "Chromium met de tekstafstand van het criterium: geen tekst valt weg",
    },
    Check {
        what: "Leesbaarheid op een telefoon",
        how: "Chromium bij 375 CSS-pixels breed: geen tekst in grafieken en tabellen kleiner dan 12 pixels",
    },
    Check {
        what: "Niet-tekstuele content (succescriterium 1.1.1)",
        how: "elke grafiek heeft een naam en een beschrijving met alle getallen van de tabel ernaast",
    },
    Check {
        what: "Gebruik van kleur (succescriterium 1.4.1) en afdrukken",
        how: "elk oordeel staat in woorden; gekleurde oordelen houden hun kleur op papier",
    },
];

/// The sitemap (sitemaps.org 0.9) of `pages` at `base` (ending in `/`),
/// in the pages' order, without dates (same input, same bytes).
fn sitemap(base: &str, pages: &[Page]) -> String {
    let mut out = String::from(
        "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<urlset xmlns=\"http://www.sitemaps.org/schemas/sitemap/0.9\">\n",
    );
    for p in pages {
        out.push_str(&format!(
            "  <url><loc>{}</loc></url>\n",
            escape_xml(&format!("{base}{}", p.path))
        ));
    }
    out.push_str("</urlset>\n");
    out
}

/// The house style's colours as the style sheet's custom properties,
/// after its own definitions, which they replace.
fn house_colours_css(c: &Colours) -> String {
    format!(
        "\n/* The house style's colours (house-style.yaml). */\n:root {{\n  --blue: {};\n  --muted: {};\n  --rule: {};\n  --conform-norm: {};\n  --aandacht: {};\n  --onvoldoende: {};\n}}\n",
        c.accent.hex(),
        c.muted.hex(),
        c.rule.hex(),
        c.conform_norm.hex(),
        c.aandacht.hex(),
        c.onvoldoende.hex()
    )
}

/// Each chart as the pages show it, by its file name in the report, with
/// its narrow drawing from `narrow` when there is one; its SVG (with a
/// title stating its numbers and the site's fonts) and its table's CSV go
/// to `files`.
fn chart_views(
    charts: &[Chart],
    narrow: &[Chart],
    files: &mut Vec<SiteFile>,
) -> BTreeMap<String, ChartView> {
    let narrow: BTreeMap<&str, &Chart> = narrow.iter().map(|c| (c.file.as_str(), c)).collect();
    let mut views: BTreeMap<String, ChartView> = BTreeMap::new();
    for c in charts {
        let stem = chart_stem(&c.file);
        let src = format!("grafieken/{stem}.svg");
        files.push((
            src.clone(),
            with_fonts(&titled_svg(&c.svg, &c.alt), "../").into_bytes(),
        ));
        let csv = open_data::push_csv(stem, &c.table, files);
        let alt = short_alt(&c.alt);
        let description = format!("grafiek-{stem}-beschrijving");
        let described_by = (alt != c.alt).then_some(description.as_str());
        views.insert(
            c.file.clone(),
            ChartView {
                src,
                id: format!("grafiek-{stem}"),
                svg: inline_svg(&c.svg, &alt, described_by),
                narrow_svg: narrow
                    .get(c.file.as_str())
                    .map(|n| inline_svg(&n.svg, &alt, described_by)),
                alt,
                long_alt: c.alt.clone(),
                width: (c.width_cm * crate::render::charts::PX_PER_CM).round() as u32,
                height: (c.height_cm * crate::render::charts::PX_PER_CM).round() as u32,
                table: TableView::new(&c.table, csv),
            },
        );
    }
    views
}

/// The longest accessible name a chart gets, in characters: a longer
/// alternative text becomes the chart's description, and its name says
/// what the chart shows.
const SHORT_ALT_MAX: usize = 300;

/// A chart's accessible name: its alternative text when short; else what
/// the chart shows (the text before its first ": ", "Staafdiagram van de
/// kerncijfers per eenheid in 2010") and where its numbers are, or, without
/// such a head, its first [`SHORT_ALT_MAX`] characters at a space and "…".
fn short_alt(alt: &str) -> String {
    if alt.chars().count() <= SHORT_ALT_MAX {
        return alt.to_string();
    }
    if let Some(head) = alt
        .split_once(": ")
        .map(|(h, _)| h)
        .filter(|h| h.chars().count() < SHORT_ALT_MAX)
    {
        return format!("{head}. De cijfers staan in de beschrijving en de tabel bij de grafiek.");
    }
    let cut: String = alt.chars().take(SHORT_ALT_MAX).collect();
    let cut = cut.rsplit_once(' ').map_or(cut.as_str(), |(a, _)| a);
    format!("{cut}…")
}

/// A chart's SVG as it goes inside a page: no XML prolog, a `viewBox` so
/// that it scales with its box, exposed as an image named `label` and
/// described by the element with id `described_by` (its full text with
/// every number), when there is one.
fn inline_svg(svg: &str, label: &str, described_by: Option<&str>) -> String {
    let Some(start) = svg.find("<svg") else {
        return String::new();
    };
    let svg = &svg[start..];
    let head = &svg[..svg.find('>').unwrap_or(svg.len())];
    let attr = |name: &str| -> Option<&str> {
        let at = head.find(&format!(" {name}=\""))? + name.len() + 3;
        head[at..].split('"').next()
    };
    let view_box = match (attr("width"), attr("height"), attr("viewBox")) {
        (Some(w), Some(h), None) => format!(" viewBox=\"0 0 {w} {h}\""),
        _ => String::new(),
    };
    let described = described_by
        .map(|d| format!(" aria-describedby=\"{}\"", escape_xml(d)))
        .unwrap_or_default();
    format!(
        "<svg{view_box} class=\"chart-svg\" role=\"img\" focusable=\"false\" aria-label=\"{}\"{described}{}",
        escape_xml(label),
        &svg[4..]
    )
}

/// The site's fonts, as `@font-face` rules with URLs relative to a file
/// `root` below the site folder ("../" from a chart in `grafieken/`).
pub fn font_faces(root: &str) -> String {
    FONTS
        .iter()
        .map(|(file, weight, style, _)| {
            format!(
                "@font-face {{ font-family: \"Noto Sans\"; font-weight: {weight}; font-style: {style}; font-display: swap; src: url(\"{root}fonts/{file}\") format(\"woff2\"); }}\n"
            )
        })
        .collect()
}

/// A chart file for a reader who opens it by itself: its text in the
/// site's fonts (`root` leads back to the site folder), with a fallback.
fn with_fonts(svg: &str, root: &str) -> String {
    let Some(end) = svg
        .find("<svg")
        .and_then(|s| svg[s..].find('>').map(|e| s + e))
    else {
        return svg.to_string();
    };
    format!(
        "{}<style>\n{}text {{ font-family: {FONT_STACK}; }}\n</style>{}",
        &svg[..=end],
        font_faces(root),
        &svg[end + 1..]
    )
}

/// The font stack of the pages and the charts: the report's font from the
/// site, then the systems' own sans-serif faces.
pub const FONT_STACK: &str = "\"Noto Sans\", system-ui, -apple-system, \"Segoe UI\", Roboto, \"Helvetica Neue\", Arial, sans-serif";

/// The report's text face as WOFF2, for the site (`fonts/web/README.md`
/// says how the files were made from `fonts/`): file name, weight, style
/// and bytes.
const FONTS: [(&str, u16, &str, &[u8]); 4] = [
    (
        "NotoSans-Regular.woff2",
        400,
        "normal",
        include_bytes!("../../fonts/web/NotoSans-Regular.woff2"),
    ),
    (
        "NotoSans-Italic.woff2",
        400,
        "italic",
        include_bytes!("../../fonts/web/NotoSans-Italic.woff2"),
    ),
    (
        "NotoSans-Bold.woff2",
        700,
        "normal",
        include_bytes!("../../fonts/web/NotoSans-Bold.woff2"),
    ),
    (
        "NotoSans-BoldItalic.woff2",
        700,
        "italic",
        include_bytes!("../../fonts/web/NotoSans-BoldItalic.woff2"),
    ),
];

/// The fonts' licence, shipped beside them.
const FONT_LICENCE: &[u8] = include_bytes!("../../fonts/OFL.txt");

/// The site's fonts and their licence, below `fonts/`.
fn font_files(files: &mut Vec<SiteFile>) {
    for (file, _, _, bytes) in FONTS {
        files.push((format!("fonts/{file}"), bytes.to_vec()));
    }
    files.push(("fonts/OFL.txt".into(), FONT_LICENCE.to_vec()));
}

/// The tables the pages show besides the charts' (the verdicts per unit
/// and per dimension, each unit's scores, the trends), by name; each
/// table's CSV goes to `files`.
fn data_tables(
    report: &ReportContext,
    scored: &ScoredEdition,
    files: &mut Vec<SiteFile>,
) -> BTreeMap<String, TableView> {
    let mut tables: BTreeMap<String, TableView> = BTreeMap::new();
    let mut add = |name: String, table: &DataTable, stem: String| {
        let csv = open_data::push_csv(&stem, table, files);
        tables.insert(name, TableView::new(table, csv));
    };
    add(
        "overview".into(),
        &overview_table(scored),
        "oordelen-per-eenheid".into(),
    );
    add(
        "dimensions".into(),
        &dimensions_table(report),
        "oordelen-per-dimensie".into(),
    );
    for u in &scored.units {
        let t = unit_table(scored, u);
        add(format!("unit-{}", u.id), &t, format!("scores-{}", u.id));
    }
    // The trends over the chain, as the report's context has them.
    if report.trends.any {
        let t = national_trends_table(&report.trends);
        add("trends".into(), &t, "oordelen-per-monitor".into());
    }
    for u in &report.units {
        if let Some(series) = &u.series {
            add(
                format!("series-{}", u.id),
                &series.table,
                format!("verloop-{}", u.id),
            );
        }
    }
    for n in &report.new_units {
        if let Some(series) = &n.series {
            add(
                format!("new-series-{}", n.id),
                &series.table,
                format!("verloop-nieuwe-eenheid-{}", n.id),
            );
        }
    }
    tables
}

/// The main menu: the fixed pages, the recommendations when there are
/// any, and the covering letter when the edition has one.
fn navigation(report: &ReportContext, has_letter: bool) -> Vec<NavItem> {
    let item = |href: &str, label: &str| NavItem {
        href: href.into(),
        label: label.into(),
    };
    let mut nav = vec![
        item("index.html", "Samenvatting"),
        item("werkwijze.html", "Werkwijze"),
        item("eenheden/index.html", "Eenheden"),
        item("ketenpartners.html", "Ketenpartners"),
    ];
    if report.themes.iter().any(|t| !t.recommendations.is_empty()) {
        nav.push(item("aanbevelingen.html", "Aanbevelingen"));
    }
    nav.push(item("bijlagen.html", "Bijlagen"));
    if has_letter {
        nav.push(item("aanbiedingsbrief.html", "Aanbiedingsbrief"));
    }
    nav
}

/// Every page of the site: the fixed pages, the recommendations and the
/// covering letter when `nav` has them, a page per unit and per new unit.
fn pages(
    report: &ReportContext,
    covering: Option<&CoveringCtx>,
    nav: &[NavItem],
    editions: &[(u16, Vec<String>)],
) -> Vec<Page> {
    let mut pages = vec![
        Page::new("index.html", "web/index.html.j2", report.meta.title.clone()),
        Page::new(
            "vergelijken.html",
            "web/compare.html.j2",
            "Twee eenheden vergelijken",
        ),
        Page::new(
            "toegankelijkheid.html",
            "web/accessibility.html.j2",
            "Toegankelijkheidsverklaring",
        ),
        Page::new("over.html", "web/about.html.j2", "Over deze uitgave"),
        Page::new("werkwijze.html", "web/method.html.j2", "Werkwijze"),
        Page::new(
            "eenheden/index.html",
            "web/units.html.j2",
            "Beoordeling per eenheid",
        ),
        Page::new(
            "ketenpartners.html",
            "web/partners.html.j2",
            "Oordeel over de ketenpartners",
        ),
        Page::new("bijlagen.html", "web/annexes.html.j2", "Bijlagen"),
    ];
    if nav.iter().any(|n| n.href == "aanbevelingen.html") {
        pages.push(Page::new(
            "aanbevelingen.html",
            "web/recommendations.html.j2",
            "Aanbevelingen",
        ));
    }
    if let Some(c) = covering {
        let mut p = Page::new(
            "aanbiedingsbrief.html",
            "web/letter.html.j2",
            format!("Aanbiedingsbrief: {}", c.head.subject),
        );
        p.extra
            .insert("letter", Value::from(minijinja::value::Serde(c)));
        pages.push(p);
    }
    for (i, u) in report.units.iter().enumerate() {
        let mut p = Page::new(
            format!("eenheden/{}.html", u.id),
            "web/unit.html.j2",
            u.name.clone(),
        );
        p.extra.insert("unit", Value::from(i));
        p.extra.insert(
            "other_editions",
            Value::from(minijinja::value::Serde(other_editions(editions, &u.id))),
        );
        pages.push(p);
    }
    for (i, n) in report.new_units.iter().enumerate() {
        let mut p = Page::new(
            format!("nieuwe-eenheden/{}.html", n.id),
            "web/new-unit.html.j2",
            n.name.clone(),
        );
        p.extra.insert("new_unit", Value::from(i));
        pages.push(p);
    }
    pages
}

/// The same unit in the other editions of the chain, oldest first: year
/// and link from a unit's page, where the editions' sites stand side by
/// side as the build writes them (`OUTPUT/<year>/web/`).
#[derive(Debug, Serialize)]
struct EditionLink {
    year: u16,
    href: String,
}

fn other_editions(editions: &[(u16, Vec<String>)], unit: &str) -> Vec<EditionLink> {
    editions
        .iter()
        .filter(|(_, ids)| ids.iter().any(|i| i == unit))
        .map(|(year, _)| EditionLink {
            year: *year,
            href: format!("../../../{year}/{SITE_DIR}/eenheden/{unit}.html"),
        })
        .collect()
}

/// The web templates' environment: HTML escaping for `.html.j2`, the work
/// bounded by the size of the report's context.
///
/// Errors: a template that does not parse, at its file and line.
fn web_environment<'t>(
    templates: &'t Templates,
    report: &ReportContext,
) -> Result<minijinja::Environment<'t>, RenderError> {
    let mut env = template_environment().map_err(|e| template_error(templates, &e))?;
    env.set_auto_escape_callback(|name| {
        if name.ends_with(".html.j2") {
            AutoEscape::Html
        } else {
            AutoEscape::None
        }
    });
    env.set_fuel(Some(template_fuel(report)));
    for (name, text) in templates.web_files() {
        if name.ends_with(".j2") {
            env.add_template_owned(name.to_string(), text.to_string())
                .map_err(|e| template_error(templates, &e))?;
        }
    }
    Ok(env)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn chart_files_get_a_title_with_their_numbers() {
        let svg = "<?xml version=\"1.0\"?>\n<svg width=\"10\" height=\"5\" xmlns=\"http://www.w3.org/2000/svg\">\n<rect/></svg>";
        let out = titled_svg(svg, "3 < 4 & \"ja\"");
        assert_eq!(
            out,
            "<?xml version=\"1.0\"?>\n<svg width=\"10\" height=\"5\" xmlns=\"http://www.w3.org/2000/svg\" role=\"img\" aria-label=\"3 &lt; 4 &amp; &quot;ja&quot;\"><title>3 &lt; 4 &amp; &quot;ja&quot;</title>\n<rect/></svg>"
        );
    }

    #[test]
    fn pages_find_their_way_back_to_the_site_folder() {
        assert_eq!(Page::new("index.html", "t", "x").root(), "");
        assert_eq!(Page::new("eenheden/a.html", "t", "x").root(), "../");
        assert_eq!(chart_stem("charts/eenheid-a.svg"), "eenheid-a");
    }
}
