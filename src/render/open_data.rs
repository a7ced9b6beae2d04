//! The web edition's open data (docs/open-data.md): the whole scored
//! edition as JSON, the catalogue of every download for the open-data
//! page (what each file holds, one row per what, the meaning of each
//! column, its size), and one zip of everything with a reading guide.
//!
//! Every figure is taken from the scored edition or from the tables the
//! pages show; nothing is computed here. The zip is the same bytes for the
//! same input: its entries are sorted and dated with the edition's date.

use std::io::Write;

use serde::Serialize;

use crate::data::model::Verdict;
use crate::data::values::Trend;
use crate::figures::scored::ScoredEdition;
use crate::render::RenderError;
use crate::render::context::report::ReportContext;

/// One file of the site: its path below the site folder and its bytes (the
/// same shape as `render::html::SiteFile`, which this module feeds).
type SiteFile = (String, Vec<u8>);

/// The folder below `data/` holding the CSV variant for spreadsheets set
/// to Dutch (semicolons, decimal comma).
pub const DUTCH_DIR: &str = "excel-nl";

/// The licence of the open data when the edition names none: CC0 1.0
/// (public domain dedication), as the Dutch government's open-data
/// policy (data.overheid.nl) recommends for open government data.
pub const DEFAULT_LICENCE: (&str, &str) = (
    "CC0 1.0 Universeel (publiek domein)",
    "https://creativecommons.org/publicdomain/zero/1.0/deed.nl",
);

/// The licence of `edition`'s open data as (name, address): the one it
/// names in `open_data_licence`, else [`DEFAULT_LICENCE`].
pub fn licence(edition: &crate::data::model::EditionFile) -> (&str, &str) {
    edition
        .open_data_licence
        .as_ref()
        .map_or(DEFAULT_LICENCE, |l| (l.name.as_str(), l.url.as_str()))
}

/// The scored edition as open data: every verdict, score and figure as
/// numbers and ids, in the shape docs/open-data.md describes.
#[derive(Debug, Serialize)]
struct OpenData<'a> {
    format: &'static str,
    version: u32,
    year: u16,
    title: &'a str,
    status: &'static str,
    illustrative: bool,
    date: &'a str,
    dimensions: &'a [crate::figures::scored::DimensionInfo],
    groups: &'a [crate::figures::scored::GroupInfo],
    units: Vec<OpenUnit<'a>>,
    headline: OpenCounts,
    all_units: OpenCounts,
    totals: crate::figures::scored::Totals,
    previous: Option<OpenPrevious>,
}

#[derive(Debug, Serialize)]
struct OpenPrevious {
    year: u16,
    headline: OpenCounts,
    totals: crate::figures::scored::Totals,
}

#[derive(Debug, Serialize)]
struct OpenCounts {
    units: u32,
    conform_norm: u32,
    aandacht: u32,
    onvoldoende: u32,
}

impl From<&crate::figures::scored::Counts> for OpenCounts {
    fn from(c: &crate::figures::scored::Counts) -> OpenCounts {
        OpenCounts {
            units: c.units,
            conform_norm: c.overall.conform_norm,
            aandacht: c.overall.aandacht,
            onvoldoende: c.overall.onvoldoende,
        }
    }
}

#[derive(Debug, Serialize)]
struct OpenUnit<'a> {
    id: &'a str,
    name: &'a str,
    group: &'a str,
    score: Option<f64>,
    verdict: &'static str,
    computed_verdict: Option<&'static str>,
    manual: bool,
    previous_verdict: Option<&'static str>,
    trend: Option<Trend>,
    change: Option<&'a str>,
    dimensions: Vec<OpenDimension<'a>>,
    key_figures: Option<crate::data::model::KeyFigures>,
}

#[derive(Debug, Serialize)]
struct OpenDimension<'a> {
    id: &'a str,
    awarded: u32,
    possible: u32,
    score: Option<f64>,
    verdict: Option<&'static str>,
    computed_verdict: Option<&'static str>,
    manual: bool,
    previous_verdict: Option<&'static str>,
    change: Option<Trend>,
    comparable: bool,
}

/// A percentage in tenths as a JSON number: 615 -> 61.5.
fn tenths(t: i64) -> f64 {
    t as f64 / 10.0
}

fn open_data<'a>(scored: &'a ScoredEdition, date: &'a str) -> OpenData<'a> {
    let id = |v: Option<Verdict>| v.map(Verdict::id);
    OpenData {
        format: "korpsmonitor-open-data",
        version: 1,
        year: scored.year,
        title: &scored.title,
        status: match scored.status {
            crate::data::model::Status::Concept => "concept",
            crate::data::model::Status::Definitief => "definitief",
        },
        illustrative: scored.illustrative,
        date,
        dimensions: &scored.dimensions,
        groups: &scored.groups,
        units: scored
            .units
            .iter()
            .map(|u| OpenUnit {
                id: &u.id,
                name: &u.name,
                group: &u.group,
                score: u.score.map(|s| tenths(s.tenths)),
                verdict: u.verdict.id(),
                computed_verdict: id(u.computed_verdict),
                manual: u.manual.is_some(),
                previous_verdict: id(u.previous_verdict),
                trend: u.trend,
                change: u.change.as_deref(),
                dimensions: u
                    .dimensions
                    .iter()
                    .map(|d| OpenDimension {
                        id: &d.id,
                        awarded: d.awarded,
                        possible: d.possible,
                        score: d.score.map(|s| tenths(s.tenths)),
                        verdict: id(d.verdict),
                        computed_verdict: id(d.computed_verdict),
                        manual: d.manual.is_some(),
                        previous_verdict: id(d.previous_verdict),
                        change: d.change,
                        comparable: d.comparable,
                    })
                    .collect(),
                key_figures: u.key_figures,
            })
            .collect(),
        headline: (&scored.figures.headline).into(),
        all_units: (&scored.figures.all).into(),
        totals: scored.figures.totals,
        previous: scored.previous.as_ref().map(|p| OpenPrevious {
            year: p.year,
            headline: (&p.figures.headline).into(),
            totals: p.figures.totals,
        }),
    }
}

/// The edition's date as `YYYY-MM-DD`.
fn iso_date(report: &ReportContext) -> String {
    let (y, mo, d) = report.meta.date_parts;
    format!("{y:04}-{mo:02}-{d:02}")
}

/// Writes the open data (every verdict and figure as JSON) to `files`;
/// returns its path below the site folder.
///
/// Errors: the JSON cannot be made, at that path.
pub(crate) fn json_file(
    report: &ReportContext,
    scored: &ScoredEdition,
    files: &mut Vec<SiteFile>,
) -> Result<String, RenderError> {
    let json_path = format!("data/korpsmonitor-{}.json", report.meta.year);
    let date = iso_date(report);
    let mut json = serde_json::to_vec_pretty(&open_data(scored, &date))
        .map_err(|e| error(&json_path, e.to_string()))?;
    json.push(b'\n');
    files.push((json_path.clone(), json));
    Ok(json_path)
}

fn error(path: &str, message: String) -> RenderError {
    RenderError(Box::new(crate::base::diagnostics::Diagnostic::error(
        path, message,
    )))
}

/// Pushes a table's two CSV downloads to `files`: `data/<stem>.csv` (RFC
/// 4180) and `data/excel-nl/<stem>.csv` (semicolons, decimal comma);
/// returns the first path.
pub(crate) fn push_csv(
    stem: &str,
    table: &crate::render::table::DataTable,
    files: &mut Vec<SiteFile>,
) -> String {
    let csv = format!("data/{stem}.csv");
    files.push((csv.clone(), table.csv().into_bytes()));
    files.push((
        format!("data/{DUTCH_DIR}/{stem}.csv"),
        table.csv_dutch().into_bytes(),
    ));
    csv
}

/// One kind of download: the files whose stem is `stem` or starts with
/// `stem-` followed by a unit id or a part number.
struct Kind {
    stem: &'static str,
    /// Whether the files are one per unit (or part) after the stem.
    per: bool,
    title: &'static str,
    /// One row per what.
    row: &'static str,
}

/// Every kind of CSV the site offers, in the order the page lists them.
/// Longer stems first where one stem begins another.
const KINDS: &[Kind] = &[
    Kind {
        stem: "oordelen-per-eenheid",
        per: false,
        title: "Oordelen per eenheid",
        row: "eenheid, in de volgorde van het rapport",
    },
    Kind {
        stem: "oordelen-per-dimensie",
        per: false,
        title: "Oordelen per dimensie",
        row: "dimensie",
    },
    Kind {
        stem: "oordelen-per-monitor",
        per: false,
        title: "Oordelen per monitor",
        row: "monitor van de reeks, de oudste eerst",
    },
    Kind {
        stem: "oordelen",
        per: false,
        title: "Aantal eenheden per oordeel",
        row: "oordeel",
    },
    Kind {
        stem: "kerncijfers",
        per: true,
        title: "Kerncijfers per eenheid",
        row: "eenheid die kerncijfers aanleverde",
    },
    Kind {
        stem: "ketenpartners",
        per: false,
        title: "Oordelen over de ketenpartners",
        row: "beoordeelde ketenpartner",
    },
    Kind {
        stem: "scores",
        per: true,
        title: "Scores per dimensie van één eenheid",
        row: "dimensie van de eenheid",
    },
    Kind {
        stem: "eenheid",
        per: true,
        title: "Scores en normen van één eenheid (grafiek)",
        row: "dimensie",
    },
    Kind {
        stem: "peers",
        per: true,
        title: "Eén eenheid naast haar groep",
        row: "de totaalscore, dan elke dimensie met een score",
    },
    Kind {
        stem: "verloop-nieuwe-eenheid",
        per: true,
        title: "Verloop van de voormalige eenheden van een nieuwe eenheid",
        row: "monitor van de reeks, de oudste eerst",
    },
    Kind {
        stem: "verloop",
        per: true,
        title: "Verloop van één eenheid over de monitoren",
        row: "monitor van de reeks, de oudste eerst",
    },
];

/// The kind of the CSV with file stem `stem`, and the part after the
/// kind's stem (a unit id or part number; empty for a single file).
fn kind_of(stem: &str) -> Option<(&'static Kind, &str)> {
    KINDS.iter().find_map(|k| {
        if stem == k.stem {
            Some((k, ""))
        } else if k.per {
            stem.strip_prefix(k.stem)
                .and_then(|r| r.strip_prefix('-'))
                .map(|rest| (k, rest))
        } else {
            None
        }
    })
}

/// The meaning of column `name` of a CSV of kind `kind`, in Dutch; `None`
/// for a column this catalogue does not know (a test keeps every column of
/// every edition known).
fn meaning(kind: &str, name: &str) -> Option<String> {
    let fixed = match name {
        "Eenheid" => "de naam van de eenheid",
        "Groep" => "de groep waartoe de eenheid behoort (bijvoorbeeld regiokorpsen)",
        "Score (%)" if kind == "oordelen-per-eenheid" || kind == "verloop" => {
            "de totaalscore: de gewogen score over de dimensies, in procenten"
        }
        "Score (%)" => "de score: toegekende punten als percentage van de mogelijke punten",
        "Handmatig oordeel" => {
            "ja als het oordeel is vastgesteld in plaats van berekend uit de punten"
        }
        "Verandering" => {
            "de verandering van het oordeel ten opzichte van de vorige monitor, in woorden"
        }
        "Dimensie" => "de dimensie (het onderdeel van de beoordeling)",
        "Onderdeel" => "de totaalscore of een dimensie",
        "Punten toegekend" => "de toegekende punten over de indicatoren die van toepassing zijn",
        "Punten mogelijk" => "de mogelijke punten over de indicatoren die van toepassing zijn",
        "Oordeel" => {
            "conform norm, aandacht of onvoldoende (n.v.t. als geen indicator van toepassing is)"
        }
        "conform norm" | "aandacht" | "onvoldoende" | "n.v.t." => {
            "het aantal eenheden met dit oordeel"
        }
        "Verdachten in beeld" => {
            "het aantal verdachten van mensenhandel dat de eenheid in de verslagperiode in beeld had"
        }
        "Zaken aangeleverd bij het OM" => {
            "het aantal zaken dat de eenheid in de verslagperiode bij het Openbaar Ministerie aanleverde"
        }
        "Ketenpartner" => "de naam van de ketenpartner",
        "Aantal goed" | "Aantal voldoende" | "Aantal matig" | "Aantal onvoldoende" => {
            "het aantal eenheden dat de ketenpartner zo beoordeelde"
        }
        "Conform norm vanaf (%)" => "de score vanaf welke de dimensie conform norm is",
        "Aandacht vanaf (%)" => {
            "de score vanaf welke de dimensie aandacht krijgt (daaronder onvoldoende)"
        }
        "Monitor" => "het jaar van de monitor",
        "Eenheden" => "het aantal eenheden in de hoofdgroepen van die monitor",
        "verbeterd" | "gelijk gebleven" | "verslechterd" => {
            "het aantal eenheden waarvan het totaaloordeel zo veranderde sinds de monitor ervoor (leeg bij de eerste)"
        }
        "Totaaloordeel" => {
            "het totaaloordeel (niet beoordeeld als de eenheid niet in die monitor voorkwam)"
        }
        "Laagste (%)" => "de laagste score in de groep van de eenheid",
        "Eerste kwartiel (%)" => {
            "het eerste kwartiel van de scores in de groep (leeg bij minder dan drie scores)"
        }
        "Mediaan (%)" => "de mediaan van de scores in de groep (leeg bij minder dan drie scores)",
        "Derde kwartiel (%)" => {
            "het derde kwartiel van de scores in de groep (leeg bij minder dan drie scores)"
        }
        "Hoogste (%)" => "de hoogste score in de groep van de eenheid",
        "Gemiddelde score (%)" => "de gemiddelde score van de voormalige eenheden met een score",
        _ => "",
    };
    if !fixed.is_empty() {
        return Some(fixed.to_string());
    }
    if let Some(year) = name.strip_prefix("Oordeel ") {
        return Some(format!(
            "het oordeel van {year}: conform norm, aandacht of onvoldoende"
        ));
    }
    if let Some(year) = name.strip_prefix("Aantal ") {
        return Some(format!("het aantal eenheden met dit oordeel in {year}"));
    }
    if let Some(dim) = name.strip_suffix(" score (%)") {
        return Some(format!("de score op de dimensie {dim}, in procenten"));
    }
    if let Some(dim) = name.strip_suffix(" oordeel") {
        return Some(format!("het oordeel op de dimensie {dim}"));
    }
    if let Some(unit) = name
        .strip_prefix("Gemiddelde ")
        .and_then(|r| r.strip_suffix(" (%)"))
    {
        return Some(format!("de gemiddelde score van de eenheden van {unit}"));
    }
    if kind == "verloop-nieuwe-eenheid" {
        return Some(format!(
            "het totaaloordeel van de voormalige eenheid {name}"
        ));
    }
    None
}

/// One column of a kind of download, as the page lists it.
#[derive(Debug, Serialize)]
pub(crate) struct ColumnView {
    pub name: String,
    pub meaning: String,
}

/// One file of a kind: what it covers (a unit's name, a part) and its
/// two variants with their sizes.
#[derive(Debug, Serialize)]
pub(crate) struct FileView {
    /// The unit or part the file covers; empty for a single file.
    pub label: String,
    pub csv: String,
    pub csv_size: String,
    pub dutch: String,
    pub dutch_size: String,
}

/// One kind of download: title, rows, the union of its files' columns.
#[derive(Debug, Serialize)]
pub(crate) struct KindView {
    pub id: String,
    pub title: String,
    pub row: String,
    pub columns: Vec<ColumnView>,
    pub files: Vec<FileView>,
}

/// The open-data page's context: every download, the zip, the licence
/// and the date.
#[derive(Debug, Serialize)]
pub(crate) struct OpenDataView {
    pub kinds: Vec<KindView>,
    pub json: String,
    /// The JSON's file name, as the page shows it.
    pub json_name: String,
    pub json_size: String,
    pub zip: String,
    pub zip_size: String,
    pub files: usize,
    pub licence: String,
    pub licence_url: String,
    pub date: String,
}

/// A file size the Dutch way: "812 bytes", "4,3 kB", "1,2 MB" (powers of
/// 1000, one decimal, rounded down).
pub(crate) fn size(bytes: usize) -> String {
    let tenths = |unit: usize| {
        let t = bytes * 10 / unit;
        format!("{},{}", t / 10, t % 10)
    };
    match bytes {
        0..1000 => format!("{bytes} bytes"),
        1000..1_000_000 => format!("{} kB", tenths(1000)),
        _ => format!("{} MB", tenths(1_000_000)),
    }
}

/// The label of a per-unit file: the unit's name when `rest` is a unit id
/// of the report, "deel n" for a numbered part.
fn label(report: &ReportContext, rest: &str) -> String {
    if rest.is_empty() {
        return String::new();
    }
    if let Some(u) = report.units.iter().find(|u| u.id == rest) {
        return u.name.clone();
    }
    if let Some(n) = report.new_units.iter().find(|n| n.id == rest) {
        return n.name.clone();
    }
    if rest.bytes().all(|b| b.is_ascii_digit()) {
        return format!("deel {rest}");
    }
    rest.to_string()
}

/// The catalogue of the CSV downloads among `files` (paths below the site
/// folder), by kind in catalogue order, files in report order of their
/// units. Errors: a CSV no kind describes, or a column no meaning is known
/// for (both are faults of this module, reported rather than published
/// without a definition).
fn catalogue(report: &ReportContext, files: &[SiteFile]) -> Result<Vec<KindView>, RenderError> {
    let order = |label: &str| {
        report
            .units
            .iter()
            .position(|u| u.name == label)
            .unwrap_or(usize::MAX)
    };
    let mut kinds: Vec<KindView> = Vec::new();
    for (path, bytes) in files {
        let Some(stem) = path
            .strip_prefix("data/")
            .and_then(|p| p.strip_suffix(".csv"))
            .filter(|s| !s.contains('/'))
        else {
            continue;
        };
        let (kind, rest) =
            kind_of(stem).ok_or_else(|| error(path, "no description of this download".into()))?;
        let dutch = format!("data/{DUTCH_DIR}/{stem}.csv");
        let dutch_size = files
            .iter()
            .find(|(p, _)| *p == dutch)
            .map(|(_, b)| size(b.len()))
            .ok_or_else(|| error(&dutch, "the Dutch variant is missing".into()))?;
        let header = String::from_utf8_lossy(bytes);
        let header = header
            .trim_start_matches('\u{feff}')
            .lines()
            .next()
            .unwrap_or("");
        let at = match kinds.iter().position(|k| k.id == kind.stem) {
            Some(i) => i,
            None => {
                kinds.push(KindView {
                    id: kind.stem.to_string(),
                    title: kind.title.to_string(),
                    row: kind.row.to_string(),
                    columns: Vec::new(),
                    files: Vec::new(),
                });
                kinds.len() - 1
            }
        };
        let k = &mut kinds[at];
        for name in split_header(header) {
            if k.columns.iter().any(|c| c.name == name) {
                continue;
            }
            let meaning = meaning(kind.stem, &name).ok_or_else(|| {
                error(path, format!("no meaning known for the column \"{name}\""))
            })?;
            k.columns.push(ColumnView { name, meaning });
        }
        k.files.push(FileView {
            label: label(report, rest),
            csv: path.clone(),
            csv_size: size(bytes.len()),
            dutch,
            dutch_size,
        });
    }
    for k in &mut kinds {
        k.files.sort_by_key(|f| (order(&f.label), f.csv.clone()));
    }
    kinds.sort_by_key(|k| KINDS.iter().position(|c| c.stem == k.id));
    Ok(kinds)
}

/// The fields of a CSV header line (comma-separated, quoted as RFC 4180),
/// with the formula guard's quote taken off.
fn split_header(line: &str) -> Vec<String> {
    let mut fields = Vec::new();
    let mut field = String::new();
    let mut quoted = false;
    let mut chars = line.chars().peekable();
    while let Some(c) = chars.next() {
        match (c, quoted) {
            ('"', true) if chars.peek() == Some(&'"') => {
                chars.next();
                field.push('"');
            }
            ('"', _) => quoted = !quoted,
            (',', false) => fields.push(std::mem::take(&mut field)),
            (c, _) => field.push(c),
        }
    }
    fields.push(field);
    fields
        .into_iter()
        .map(|f| match f.strip_prefix('\'') {
            Some(rest) if rest.starts_with(['=', '+', '-', '@', '\t', '\r']) => rest.to_string(),
            _ => f,
        })
        .collect()
}

/// The reading guide in the zip (LEESMIJ.txt): title, date, licence, the
/// illustrative notice, the two CSV variants and the formula guard.
fn reading_guide(report: &ReportContext, licence: (&str, &str)) -> String {
    let m = &report.meta;
    let mut s = format!(
        "{}\r\n{}, {}\r\n\r\nOpen data: alle oordelen, scores en kerncijfers van deze monitor, dezelfde waarden als in het rapport en op de website.\r\n\r\nLicentie: {} ({})\r\n",
        m.title, m.publisher, m.date, licence.0, licence.1
    );
    if m.illustrative {
        s.push_str(&format!("\r\n{}\r\n", m.illustrative_notice));
    }
    s.push_str(
        "\r\nBestanden\r\n\
         - korpsmonitor-<jaar>.json: de hele beoordeelde monitor als JSON.\r\n\
         - <naam>.csv: CSV volgens RFC 4180 (UTF-8 met byte-order mark, komma's, decimale punt).\r\n\
         - excel-nl/<naam>.csv: dezelfde tabel voor een spreadsheet in het Nederlands (puntkomma's, decimale komma).\r\n\
         \r\nEen leeg veld betekent: geen waarde (niet van toepassing of niet aangeleverd).\r\n\
         Tekst die begint met =, +, -, @, een tab of een regeleinde krijgt een apostrof (') ervoor,\r\n\
         zodat een spreadsheet hem nooit als formule uitvoert. Getallen krijgen die nooit.\r\n\
         De kolommen staan beschreven op de pagina Open data van de website.\r\n",
    );
    s
}

/// Makes the open-data page's context and pushes the zip of every file
/// below `data/` (with a reading guide) to `files`. `licence` is the
/// edition's (name, address), else [`DEFAULT_LICENCE`].
///
/// Errors: a download without a description (see [`catalogue`]), or the
/// zip cannot be written.
pub(crate) fn page(
    report: &ReportContext,
    files: &mut Vec<SiteFile>,
    json: &str,
    licence: (&str, &str),
) -> Result<OpenDataView, RenderError> {
    let kinds = catalogue(report, files)?;
    let year = report.meta.year;
    let zip_path = format!("data/korpsmonitor-{year}-open-data.zip");
    let mut entries: Vec<(String, &[u8])> = files
        .iter()
        .filter_map(|(p, b)| {
            p.strip_prefix("data/")
                .map(|n| (n.to_string(), b.as_slice()))
        })
        .collect();
    let guide = reading_guide(report, licence);
    entries.push(("LEESMIJ.txt".into(), guide.as_bytes()));
    entries.sort_by(|a, b| a.0.cmp(&b.0));
    let count = entries.len();
    let zip = zip_bytes(&entries, report.meta.date_parts).map_err(|e| error(&zip_path, e))?;
    let zip_size = size(zip.len());
    let json_size = files
        .iter()
        .find(|(p, _)| p == json)
        .map(|(_, b)| size(b.len()))
        .unwrap_or_default();
    files.push((zip_path.clone(), zip));
    Ok(OpenDataView {
        kinds,
        json: json.to_string(),
        json_name: json.rsplit('/').next().unwrap_or(json).to_string(),
        json_size,
        zip: zip_path,
        zip_size,
        files: count,
        licence: licence.0.to_string(),
        licence_url: licence.1.to_string(),
        date: report.meta.date.clone(),
    })
}

/// A zip (deflated) of `entries` (name, bytes) in the given order, every
/// entry dated `date` at midnight, so the same entries give the same bytes.
fn zip_bytes(entries: &[(String, &[u8])], date: (i32, u8, u8)) -> Result<Vec<u8>, String> {
    let year = u16::try_from(date.0).map_err(|e| e.to_string())?;
    let when = zip::DateTime::from_date_and_time(year, date.1, date.2, 0, 0, 0).unwrap_or_default();
    let options = zip::write::SimpleFileOptions::default()
        .compression_method(zip::CompressionMethod::Deflated)
        .last_modified_time(when)
        .unix_permissions(0o644);
    let mut w = zip::ZipWriter::new(std::io::Cursor::new(Vec::new()));
    for (name, bytes) in entries {
        w.start_file(name.as_str(), options)
            .map_err(|e| e.to_string())?;
        w.write_all(bytes).map_err(|e| e.to_string())?;
    }
    let out = w.finish().map_err(|e| e.to_string())?;
    Ok(out.into_inner())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn sizes_read_the_dutch_way() {
        assert_eq!(size(0), "0 bytes");
        assert_eq!(size(999), "999 bytes");
        assert_eq!(size(1000), "1,0 kB");
        assert_eq!(size(4399), "4,3 kB");
        assert_eq!(size(1_250_000), "1,2 MB");
    }

    #[test]
    fn each_stem_finds_its_kind() {
        let k = |s| kind_of(s).map(|(k, rest)| (k.stem, rest));
        assert_eq!(k("oordelen"), Some(("oordelen", "")));
        assert_eq!(
            k("oordelen-per-eenheid"),
            Some(("oordelen-per-eenheid", ""))
        );
        assert_eq!(k("kerncijfers-2"), Some(("kerncijfers", "2")));
        assert_eq!(
            k("verloop-nieuwe-eenheid-oost"),
            Some(("verloop-nieuwe-eenheid", "oost"))
        );
        assert_eq!(k("verloop-twente"), Some(("verloop", "twente")));
        assert_eq!(k("scores-klpd"), Some(("scores", "klpd")));
        assert_eq!(k("oordelen-x"), None);
        assert_eq!(k("iets"), None);
    }

    #[test]
    fn headers_split_as_rfc_4180_and_lose_the_guard() {
        assert_eq!(
            split_header("Eenheid,\"a, \"\"b\"\"\",'=x,'a"),
            vec!["Eenheid", "a, \"b\"", "=x", "'a"]
        );
    }

    #[test]
    fn patterned_columns_have_a_meaning_and_unknown_ones_none() {
        assert!(
            meaning("oordelen-per-eenheid", "Oordeel 2008")
                .unwrap()
                .contains("2008")
        );
        assert!(
            meaning("scores", "Opsporing score (%)")
                .unwrap()
                .contains("Opsporing")
        );
        assert!(
            meaning("verloop-nieuwe-eenheid", "Twente")
                .unwrap()
                .contains("Twente")
        );
        assert_eq!(meaning("scores", "Iets anders"), None);
    }

    #[test]
    fn the_zip_is_the_same_for_the_same_entries_and_reads_back() {
        let entries = vec![
            ("a.csv".to_string(), b"x,y\r\n".as_slice()),
            ("excel-nl/a.csv".to_string(), b"x;y\r\n".as_slice()),
        ];
        let one = zip_bytes(&entries, (2011, 5, 31)).unwrap();
        let two = zip_bytes(&entries, (2011, 5, 31)).unwrap();
        assert_eq!(one, two);
        let mut archive = zip::ZipArchive::new(std::io::Cursor::new(one)).unwrap();
        assert_eq!(archive.len(), 2);
        let mut text = String::new();
        std::io::Read::read_to_string(&mut archive.by_name("excel-nl/a.csv").unwrap(), &mut text)
            .unwrap();
        assert_eq!(text, "x;y\r\n");
    }
}
