//! The workbook of an edition for the assessment team: which sheets and
//! columns hold which fields of the unit files, and how a cell's value is
//! read back into the data model. No file format here: the application
//! writes and reads the `.xlsx` and `.ods` files (`app::workbook`) and
//! hands this module plain [`Cell`] values.
//!
//! The layout (docs/office.md, "Workbooks"): one sheet per dimension (a
//! row per unit; the unit's id and name, a column per indicator with its
//! points, the findings), then [`KEY_FIGURES`], [`PARTNERS`],
//! [`RECOMMENDATIONS`], [`NOTES`], the read-only [`COMPUTED`] and the
//! hidden [`META`] that names the edition. Every sheet's first row holds
//! the headers, its first column the unit ids.

use crate::data::model::{
    EditionFile, KeyFigures, PartnerRating, Points, Rating, UnitDimension, UnitFile,
};

/// The sheet of the key figures.
pub const KEY_FIGURES: &str = "Kerncijfers";
/// The sheet of the partners' ratings and remarks.
pub const PARTNERS: &str = "Ketenpartners";
/// The sheet of the units' own recommendations.
pub const RECOMMENDATIONS: &str = "Aanbevelingen";
/// The sheet of the assessment team's internal notes.
pub const NOTES: &str = "Notities";
/// The read-only sheet of computed scores and verdicts (never imported).
pub const COMPUTED: &str = "Berekend (alleen lezen)";
/// The hidden sheet that names the edition and the units the workbook holds.
pub const META: &str = "korpsmonitor";
/// The first cell of [`META`]: what the workbook is.
pub const META_TITLE: &str = "Korpsmonitor-werkbestand";
/// The header of the unit id column (column A of every sheet).
pub const ID_HEADER: &str = "Eenheid (id)";
/// The header of the unit name column (column B of every sheet).
pub const NAME_HEADER: &str = "Eenheid";
/// The most characters of a sheet name (Excel's limit).
pub const MAX_SHEET_NAME: usize = 31;
/// Spare recommendation columns after the most a unit has.
pub const SPARE_RECOMMENDATIONS: usize = 3;
/// The `nvt` of points: the indicator does not apply.
pub const NOT_APPLICABLE: &str = "nvt";

/// One cell as read from or written to a workbook.
#[derive(Debug, Clone, PartialEq)]
pub enum Cell {
    /// Nothing in the cell.
    Empty,
    /// Text, exactly as typed.
    Text(String),
    /// A number.
    Number(f64),
    /// A truth value.
    Bool(bool),
    /// A date or time, as the reader shows it.
    Date(String),
    /// An error value such as `#DIV/0!`.
    Error(String),
    /// A formula (without its leading `=`); never written.
    Formula(String),
}

impl Cell {
    /// Text, or [`Cell::Empty`] when `s` is empty.
    pub fn text(s: &str) -> Cell {
        if s.is_empty() {
            Cell::Empty
        } else {
            Cell::Text(s.to_string())
        }
    }
}

/// A key figure of a unit.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum KeyFigure {
    /// `key_figures.suspects`.
    Suspects,
    /// `key_figures.case_files`.
    CaseFiles,
    /// `key_figures.victims`.
    Victims,
}

impl KeyFigure {
    const ALL: [KeyFigure; 3] = [
        KeyFigure::Suspects,
        KeyFigure::CaseFiles,
        KeyFigure::Victims,
    ];

    fn id(self) -> &'static str {
        match self {
            KeyFigure::Suspects => "suspects",
            KeyFigure::CaseFiles => "case_files",
            KeyFigure::Victims => "victims",
        }
    }

    fn header(self) -> &'static str {
        match self {
            KeyFigure::Suspects => "Verdachten",
            KeyFigure::CaseFiles => "Processen-verbaal",
            KeyFigure::Victims => "Slachtoffers",
        }
    }

    fn get(self, k: &KeyFigures) -> u32 {
        match self {
            KeyFigure::Suspects => k.suspects,
            KeyFigure::CaseFiles => k.case_files,
            KeyFigure::Victims => k.victims,
        }
    }
}

/// The field of a unit file a column holds.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Field {
    /// `id` (locked; identifies the row).
    UnitId,
    /// `name` (locked; shown only).
    UnitName,
    /// `dimensions.<dimension>.points.<indicator>`: 0 to `max`, or `nvt`.
    Points {
        /// The dimension id.
        dimension: String,
        /// The indicator id.
        indicator: String,
        /// The indicator's maximum.
        max: u32,
    },
    /// `dimensions.<dimension>.findings`.
    Findings(String),
    /// `key_figures.<figure>`.
    KeyFigure(KeyFigure),
    /// `partners.<partner>.rating`: one of the rating words.
    Rating(String),
    /// `partners.<partner>.remark`.
    Remark(String),
    /// `recommendations[<i>]` (from 0).
    Recommendation(usize),
    /// `notes`.
    Notes,
    /// `dimensions.<dimension>.notes`.
    DimensionNotes(String),
}

impl Field {
    /// The field's path in the unit file, e.g. `dimensions.opsporing.points.doorlooptijd`.
    pub fn path(&self) -> String {
        match self {
            Field::UnitId => "id".into(),
            Field::UnitName => "name".into(),
            Field::Points {
                dimension,
                indicator,
                ..
            } => format!("dimensions.{dimension}.points.{indicator}"),
            Field::Findings(d) => format!("dimensions.{d}.findings"),
            Field::KeyFigure(k) => format!("key_figures.{}", k.id()),
            Field::Rating(p) => format!("partners.{p}.rating"),
            Field::Remark(p) => format!("partners.{p}.remark"),
            Field::Recommendation(i) => format!("recommendations[{i}]"),
            Field::Notes => "notes".into(),
            Field::DimensionNotes(d) => format!("dimensions.{d}.notes"),
        }
    }

    /// Whether the assessment team may edit the column (all but id and name).
    pub fn editable(&self) -> bool {
        !matches!(self, Field::UnitId | Field::UnitName)
    }

    /// Whether the column holds running text (wrapped, wide).
    pub fn is_prose(&self) -> bool {
        matches!(
            self,
            Field::Findings(_)
                | Field::Remark(_)
                | Field::Recommendation(_)
                | Field::Notes
                | Field::DimensionNotes(_)
        )
    }

    /// The values a drop-down offers, when the column has one: `0`..`max`
    /// and `nvt` for points, the rating words for ratings.
    pub fn choices(&self) -> Option<Vec<String>> {
        match self {
            Field::Points { max, .. } => Some(
                (0..=*max)
                    .map(|p| p.to_string())
                    .chain([NOT_APPLICABLE.to_string()])
                    .collect(),
            ),
            Field::Rating(_) => Some(Rating::ALL.iter().map(|r| r.label().to_string()).collect()),
            _ => None,
        }
    }
}

/// One column of a sheet.
#[derive(Debug, Clone, PartialEq)]
pub struct Column {
    /// The header in row 1, checked on import.
    pub header: String,
    /// The header cell's note (what to fill in), empty for none.
    pub note: String,
    /// The field it holds.
    pub field: Field,
    /// Its width in characters.
    pub width: f64,
}

/// One sheet that holds unit fields.
#[derive(Debug, Clone, PartialEq)]
pub struct Sheet {
    /// The sheet's name (at most [`MAX_SHEET_NAME`] characters, unique
    /// without regard to letter case).
    pub name: String,
    /// The columns from A on: unit id, unit name, then the fields.
    pub columns: Vec<Column>,
}

/// A column `width` characters wide, or wider where its header holds a
/// longer word, so that a spreadsheet wraps the header between words and
/// never inside one ("opsporingsonde-rzoeken").
fn column(header: impl Into<String>, note: impl Into<String>, field: Field, width: f64) -> Column {
    let header = header.into();
    let longest = header
        .split_whitespace()
        .map(|w| w.chars().count())
        .max()
        .unwrap_or(0);
    Column {
        width: width.max(longest as f64 * 1.1 + 1.0),
        header,
        note: note.into(),
        field,
    }
}

fn unit_columns() -> Vec<Column> {
    vec![
        column(ID_HEADER, "", Field::UnitId, 22.0),
        column(NAME_HEADER, "", Field::UnitName, 24.0),
    ]
}

/// A sheet name from a dimension's short name: the characters Excel
/// forbids (`[]:*?/\`) dropped, at most [`MAX_SHEET_NAME`] characters, and
/// unique (a number added) against `taken`, without regard to letter case.
fn sheet_name(short: &str, taken: &[String]) -> String {
    let clean: String = short
        .chars()
        .filter(|c| !"[]:*?/\\".contains(*c) && !c.is_control())
        .collect();
    let clean = clean.trim().trim_matches('\'').to_string();
    let base: String = if clean.is_empty() {
        "Dimensie".into()
    } else {
        clean.chars().take(MAX_SHEET_NAME).collect()
    };
    let free = |n: &str| !taken.iter().any(|t| t.to_lowercase() == n.to_lowercase());
    if free(&base) {
        return base;
    }
    (2..)
        .map(|i| {
            let suffix = format!(" {i}");
            let head: String = base
                .chars()
                .take(MAX_SHEET_NAME - suffix.chars().count())
                .collect();
            format!("{head}{suffix}")
        })
        .find(|n| free(n))
        .unwrap_or(base)
}

/// The sheets of an edition's workbook that hold unit fields, in order:
/// one per dimension, then key figures, partners, recommendations (with
/// `recommendations` columns) and notes. [`COMPUTED`] and [`META`] follow
/// them in the file; the application writes those.
pub fn layout(edition: &EditionFile, recommendations: usize) -> Vec<Sheet> {
    let mut taken: Vec<String> = [
        KEY_FIGURES,
        PARTNERS,
        RECOMMENDATIONS,
        NOTES,
        COMPUTED,
        META,
    ]
    .iter()
    .map(|s| s.to_string())
    .collect();
    let mut sheets = Vec::new();
    for d in &edition.dimensions {
        let name = sheet_name(&d.short_name, &taken);
        taken.push(name.clone());
        let mut columns = unit_columns();
        for ind in &d.indicators {
            columns.push(column(
                ind.question.clone(),
                format!(
                    "{} ({}): 0 tot en met {} punten, of nvt als de indicator niet van toepassing is.\n\n{}",
                    ind.id, d.name, ind.max_points, ind.question
                ),
                Field::Points {
                    dimension: d.id.clone(),
                    indicator: ind.id.clone(),
                    max: ind.max_points,
                },
                14.0,
            ));
        }
        columns.push(column(
            "Bevindingen",
            format!(
                "De bevindingen over {}. Een lege regel begint een nieuwe alinea; *nadruk* en opsommingen met - zoals in de YAML.",
                d.name
            ),
            Field::Findings(d.id.clone()),
            80.0,
        ));
        sheets.push(Sheet { name, columns });
    }
    let mut key = unit_columns();
    for k in KeyFigure::ALL {
        key.push(column(
            k.header(),
            "Een geheel getal; laat alle drie leeg als de eenheid geen kerncijfers heeft.",
            Field::KeyFigure(k),
            18.0,
        ));
    }
    sheets.push(Sheet {
        name: KEY_FIGURES.into(),
        columns: key,
    });
    let mut partners = unit_columns();
    let words: Vec<&str> = Rating::ALL.iter().map(|r| r.label()).collect();
    for p in &edition.partners {
        let label = p.abbreviation.clone().unwrap_or_else(|| p.name.clone());
        partners.push(column(
            format!("{label}: oordeel"),
            format!("Het oordeel over {}: {}.", p.name, words.join(", ")),
            Field::Rating(p.id.clone()),
            16.0,
        ));
        partners.push(column(
            format!("{label}: toelichting"),
            format!("De toelichting bij het oordeel over {}.", p.name),
            Field::Remark(p.id.clone()),
            40.0,
        ));
    }
    sheets.push(Sheet {
        name: PARTNERS.into(),
        columns: partners,
    });
    let mut recs = unit_columns();
    for i in 0..recommendations {
        recs.push(column(
            format!("Aanbeveling {}", i + 1),
            "Een aanbeveling aan de eenheid; lege cellen tellen niet mee.",
            Field::Recommendation(i),
            50.0,
        ));
    }
    sheets.push(Sheet {
        name: RECOMMENDATIONS.into(),
        columns: recs,
    });
    let mut notes = unit_columns();
    notes.push(column(
        "Algemeen",
        "Interne notities van het team: nooit gedrukt.",
        Field::Notes,
        40.0,
    ));
    for d in &edition.dimensions {
        notes.push(column(
            d.short_name.clone(),
            format!("Interne notities over {}: nooit gedrukt.", d.name),
            Field::DimensionNotes(d.id.clone()),
            40.0,
        ));
    }
    sheets.push(Sheet {
        name: NOTES.into(),
        columns: notes,
    });
    sheets
}

/// The recommendation columns a workbook of `units` gets: the most any of
/// them has, plus [`SPARE_RECOMMENDATIONS`].
pub fn recommendation_columns<'a>(units: impl IntoIterator<Item = &'a UnitFile>) -> usize {
    units
        .into_iter()
        .map(|u| u.recommendations.len())
        .max()
        .unwrap_or(0)
        + SPARE_RECOMMENDATIONS
}

/// The cell a unit's field is exported as.
pub fn value(field: &Field, unit: &UnitFile) -> Cell {
    let dim = |d: &str| unit.dimensions.get(d);
    match field {
        Field::UnitId => Cell::text(&unit.id),
        Field::UnitName => Cell::text(&unit.name),
        Field::Points {
            dimension,
            indicator,
            ..
        } => match dim(dimension).and_then(|d| d.points.get(indicator)) {
            Some(Points::Awarded(p)) => Cell::Number(f64::from(*p)),
            Some(Points::NotApplicable) => Cell::text(NOT_APPLICABLE),
            None => Cell::Empty,
        },
        Field::Findings(d) => dim(d).map_or(Cell::Empty, |d| Cell::text(&d.findings)),
        Field::KeyFigure(k) => unit
            .key_figures
            .map_or(Cell::Empty, |f| Cell::Number(f64::from(k.get(&f)))),
        Field::Rating(p) => unit
            .partners
            .get(p)
            .map_or(Cell::Empty, |r| Cell::text(r.rating.label())),
        Field::Remark(p) => unit
            .partners
            .get(p)
            .map_or(Cell::Empty, |r| Cell::text(&r.remark)),
        Field::Recommendation(i) => unit
            .recommendations
            .get(*i)
            .map_or(Cell::Empty, |r| Cell::text(r)),
        Field::Notes => Cell::text(&unit.notes),
        Field::DimensionNotes(d) => dim(d).map_or(Cell::Empty, |d| Cell::text(&d.notes)),
    }
}

/// A problem with one cell of a row: the column (from 0) and what is wrong.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CellProblem {
    /// The column, from 0.
    pub column: usize,
    /// What was found and what was expected.
    pub message: String,
}

/// What a cell shows, for messages: text quoted, numbers as numbers.
pub fn shown(cell: &Cell) -> String {
    match cell {
        Cell::Empty => "an empty cell".into(),
        Cell::Text(s) => {
            let short: String = s.chars().take(40).collect();
            let more = if s.chars().count() > 40 { "…" } else { "" };
            format!("the text {:?}", format!("{short}{more}"))
        }
        Cell::Number(n) => format_number(*n),
        Cell::Bool(b) => format!("the truth value {}", if *b { "TRUE" } else { "FALSE" }),
        Cell::Date(d) => format!("the date {d}"),
        Cell::Error(e) => format!("the error {e}"),
        Cell::Formula(f) => format!("the formula ={f}"),
    }
}

fn format_number(n: f64) -> String {
    if n.fract() == 0.0 && n.abs() < 1e15 {
        format!("{}", n as i64)
    } else {
        format!("{n}")
    }
}

/// The text of a text cell; numbers typed into a text column become their
/// digits. Dates, truth values, errors and formulas are refused.
fn text_of(cell: &Cell) -> Result<String, String> {
    match cell {
        Cell::Empty => Ok(String::new()),
        Cell::Text(s) => Ok(s.clone()),
        Cell::Number(n) => Ok(format_number(*n)),
        other => Err(refused(other, "text")),
    }
}

/// The message for a cell that holds a formula, an error, a date or a
/// truth value where `expected` belongs.
fn refused(cell: &Cell, expected: &str) -> String {
    match cell {
        Cell::Formula(f) => format!(
            "holds the formula ={f}, expected {expected}; formulas are never imported: type the value itself"
        ),
        Cell::Error(e) => format!("holds the error {e}, expected {expected}"),
        Cell::Date(d) => format!(
            "holds a date ({d}), expected {expected}; the spreadsheet may have turned what was typed into a date: format the cell as text or as a number and type it again"
        ),
        other => format!("found {}, expected {expected}", shown(other)),
    }
}

/// A whole number from a cell: a number, or text of digits.
fn whole(cell: &Cell, expected: &str) -> Result<Option<u32>, String> {
    let n = match cell {
        Cell::Empty => return Ok(None),
        Cell::Number(n) => *n,
        Cell::Text(s) if s.trim().is_empty() => return Ok(None),
        Cell::Text(s) if s.trim().bytes().all(|b| b.is_ascii_digit()) => {
            return s
                .trim()
                .parse()
                .map(Some)
                .map_err(|_| format!("{} is too large, expected {expected}", s.trim()));
        }
        other => return Err(refused(other, expected)),
    };
    if n.fract() != 0.0 || !n.is_finite() {
        return Err(format!(
            "{} is not a whole number, expected {expected}",
            format_number(n)
        ));
    }
    if n < 0.0 {
        return Err(format!(
            "{} is below 0, expected {expected}",
            format_number(n)
        ));
    }
    if n > f64::from(u32::MAX) {
        return Err(format!(
            "{} is too large, expected {expected}",
            format_number(n)
        ));
    }
    Ok(Some(n as u32))
}

/// Points from a cell: empty for none, a whole number from 0 to `max`, or `nvt`.
fn points(cell: &Cell, indicator: &str, max: u32) -> Result<Option<Points>, String> {
    let expected = format!("0 to {max} points or {NOT_APPLICABLE}");
    if let Cell::Text(s) = cell
        && matches!(s.trim(), "nvt" | "n.v.t." | "NVT")
    {
        return Ok(Some(Points::NotApplicable));
    }
    match whole(cell, &expected)? {
        None => Ok(None),
        Some(p) if p > max => Err(format!("{p} is above the maximum of {max} for {indicator}")),
        Some(p) => Ok(Some(Points::Awarded(p))),
    }
}

fn rating(cell: &Cell) -> Result<Option<Rating>, String> {
    let words: Vec<&str> = Rating::ALL.iter().map(|r| r.label()).collect();
    let expected = format!("one of {}", words.join(", "));
    match cell {
        Cell::Empty => Ok(None),
        Cell::Text(s) if s.trim().is_empty() => Ok(None),
        Cell::Text(s) => Rating::ALL
            .iter()
            .copied()
            .find(|r| r.label() == s.trim().to_lowercase())
            .map(Some)
            .ok_or_else(|| format!("found {}, expected {expected}", shown(cell))),
        other => Err(refused(other, &expected)),
    }
}

fn dimension_mut<'a>(unit: &'a mut UnitFile, id: &str) -> &'a mut UnitDimension {
    if unit.dimensions.get(id).is_none() {
        unit.dimensions
            .0
            .push((id.to_string(), UnitDimension::default()));
    }
    unit.dimensions.get_mut(id).expect("just added")
}

/// Sets `key` in an id map in place (or adds it at the end); `None` removes it.
fn set_entry<T>(map: &mut Vec<(String, T)>, key: &str, value: Option<T>) {
    let at = map.iter().position(|(k, _)| k == key);
    match (at, value) {
        (Some(i), Some(v)) => map[i].1 = v,
        (None, Some(v)) => map.push((key.to_string(), v)),
        (Some(i), None) => {
            map.remove(i);
        }
        (None, None) => {}
    }
}

/// Reads one row of `sheet` into `unit`: every cell of an editable column
/// (cells past the row's end are empty). Returns the problems, each with
/// its column; fields whose cells are wrong are left as they were.
pub fn apply_row(sheet: &Sheet, row: &[Cell], unit: &mut UnitFile) -> Vec<CellProblem> {
    let mut problems = Vec::new();
    let mut figures: [Option<u32>; 3] = [None; 3];
    let mut figure_columns = Vec::new();
    let mut recommendations: Option<Vec<String>> = None;
    let mut ratings: Vec<(String, Result<Option<Rating>, ()>, usize)> = Vec::new();
    let mut remarks: Vec<(String, String, usize)> = Vec::new();
    for (i, col) in sheet.columns.iter().enumerate() {
        let cell = row.get(i).unwrap_or(&Cell::Empty);
        let mut fail = |message: String| {
            problems.push(CellProblem { column: i, message });
        };
        match &col.field {
            Field::UnitId | Field::UnitName => {}
            Field::Points {
                dimension,
                indicator,
                max,
            } => match points(cell, indicator, *max) {
                Ok(p) => {
                    let current = unit
                        .dimensions
                        .get(dimension)
                        .and_then(|d| d.points.get(indicator));
                    if current.copied() != p {
                        set_entry(&mut dimension_mut(unit, dimension).points.0, indicator, p);
                    }
                }
                Err(m) => fail(m),
            },
            Field::Findings(d) | Field::DimensionNotes(d) => match text_of(cell) {
                Ok(t) => {
                    let findings = matches!(col.field, Field::Findings(_));
                    let current = unit.dimensions.get(d).map(|x| {
                        if findings {
                            x.findings.clone()
                        } else {
                            x.notes.clone()
                        }
                    });
                    if current.unwrap_or_default() != t {
                        let dim = dimension_mut(unit, d);
                        if findings {
                            dim.findings = t;
                        } else {
                            dim.notes = t;
                        }
                    }
                }
                Err(m) => fail(m),
            },
            Field::KeyFigure(k) => match whole(cell, "a whole number of at least 0") {
                Ok(v) => {
                    let at = KeyFigure::ALL.iter().position(|x| x == k).unwrap_or(0);
                    figures[at] = v;
                    figure_columns.push((i, v.is_some()));
                }
                Err(m) => fail(m),
            },
            Field::Rating(p) => ratings.push((p.clone(), rating(cell).map_err(&mut fail), i)),
            Field::Remark(p) => match text_of(cell) {
                Ok(t) => remarks.push((p.clone(), t, i)),
                Err(m) => fail(m),
            },
            Field::Recommendation(_) => match text_of(cell) {
                Ok(t) => {
                    let list = recommendations.get_or_insert_with(Vec::new);
                    if !t.is_empty() {
                        list.push(t);
                    }
                }
                Err(m) => fail(m),
            },
            Field::Notes => match text_of(cell) {
                Ok(t) => unit.notes = t,
                Err(m) => fail(m),
            },
        }
    }
    if let Some(list) = recommendations
        && !problems
            .iter()
            .any(|p| matches!(sheet.columns[p.column].field, Field::Recommendation(_)))
    {
        unit.recommendations = list;
    }
    apply_key_figures(unit, figures, &figure_columns, &mut problems);
    apply_partners(unit, ratings, remarks, &mut problems);
    problems
}

/// Sets the key figures: all three cells filled, or all empty for none.
fn apply_key_figures(
    unit: &mut UnitFile,
    figures: [Option<u32>; 3],
    columns: &[(usize, bool)],
    problems: &mut Vec<CellProblem>,
) {
    if columns.len() != 3 {
        return;
    }
    match figures {
        [Some(suspects), Some(case_files), Some(victims)] => {
            unit.key_figures = Some(KeyFigures {
                suspects,
                case_files,
                victims,
            });
        }
        [None, None, None] => unit.key_figures = None,
        _ => {
            for (column, filled) in columns {
                if !filled {
                    problems.push(CellProblem {
                        column: *column,
                        message: "is empty, expected a whole number: the key figures are given all three, or none".into(),
                    });
                }
            }
        }
    }
}

/// Sets the partners' ratings and remarks: a remark needs a rating; a
/// partner with neither is not rated.
fn apply_partners(
    unit: &mut UnitFile,
    ratings: Vec<(String, Result<Option<Rating>, ()>, usize)>,
    remarks: Vec<(String, String, usize)>,
    problems: &mut Vec<CellProblem>,
) {
    for (partner, rating, _) in ratings {
        let Ok(rating) = rating else { continue };
        let Some((_, remark, remark_column)) = remarks.iter().find(|(p, ..)| *p == partner) else {
            continue;
        };
        let value = match rating {
            Some(rating) => Some(PartnerRating {
                rating,
                remark: remark.clone(),
            }),
            None if remark.is_empty() => None,
            None => {
                problems.push(CellProblem {
                    column: *remark_column,
                    message: "a remark without a rating: give the rating in the column before, or clear the remark".into(),
                });
                continue;
            }
        };
        let same = match (unit.partners.get(&partner), &value) {
            (Some(a), Some(b)) => a.rating == b.rating && a.remark == b.remark,
            (None, None) => true,
            _ => false,
        };
        if !same {
            set_entry(&mut unit.partners.0, &partner, value);
        }
    }
}

/// The A1 name of a cell: column letters and row number, both from 0
/// (`cell_name(13, 3)` is `D14`).
pub fn cell_name(row: usize, column: usize) -> String {
    let mut letters = Vec::new();
    let mut c = column + 1;
    while c > 0 {
        let r = (c - 1) % 26;
        letters.push(char::from(b'A' + r as u8));
        c = (c - 1) / 26;
    }
    letters.reverse();
    format!("{}{}", letters.into_iter().collect::<String>(), row + 1)
}

/// A cell's reference with its sheet, as spreadsheets write it
/// (`Opsporing!D14`, `'Berekend (alleen lezen)'!A1`).
pub fn reference(sheet: &str, row: usize, column: usize) -> String {
    let plain = sheet.chars().all(|c| c.is_alphanumeric() || c == '_');
    if plain {
        format!("{sheet}!{}", cell_name(row, column))
    } else {
        format!("'{}'!{}", sheet.replace('\'', "''"), cell_name(row, column))
    }
}

/// The rows of [`META`]: what the workbook is, the edition's year, and the
/// units it holds (`alle`, or the one unit's id).
pub fn meta(year: u16, unit: Option<&str>) -> Vec<(String, Cell)> {
    vec![
        (
            META_TITLE.into(),
            Cell::text("Niet wijzigen: hiermee herkent korpsmonitor import het werkbestand."),
        ),
        ("editie".into(), Cell::Number(f64::from(year))),
        ("eenheden".into(), Cell::text(unit.unwrap_or("alle"))),
    ]
}

/// What [`META`] says: the edition's year and the one unit of a per-unit
/// workbook (`None` for all units). Errors name what is missing.
pub fn read_meta(rows: &[Vec<Cell>]) -> Result<(u16, Option<String>), String> {
    let get = |key: &str| {
        rows.iter()
            .find(|r| matches!(r.first(), Some(Cell::Text(k)) if k == key))
            .and_then(|r| r.get(1).cloned())
    };
    if !matches!(rows.first().and_then(|r| r.first()), Some(Cell::Text(t)) if t == META_TITLE) {
        return Err(format!("its first cell is not {META_TITLE:?}"));
    }
    let year = match get("editie") {
        Some(Cell::Number(n)) if n.fract() == 0.0 && (1.0..=65535.0).contains(&n) => n as u16,
        Some(Cell::Text(t)) if t.trim().parse::<u16>().is_ok() => t.trim().parse().unwrap_or(0),
        _ => return Err("it names no edition (`editie`)".into()),
    };
    let unit = match get("eenheden") {
        Some(Cell::Text(t)) if t == "alle" => None,
        Some(Cell::Text(t)) => Some(t),
        _ => return Err("it names no units (`eenheden`)".into()),
    };
    Ok((year, unit))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn unit() -> UnitFile {
        serde_yaml::from_str(
            "id: u\nname: U\ngroup: g\ndimensions:\n  d:\n    points:\n      a: 2\n      b: nvt\n    findings: Eén; twee # drie\npartners:\n  om:\n    rating: goed\n    remark: Prima.\n",
        )
        .unwrap()
    }

    fn edition() -> EditionFile {
        serde_yaml::from_str(
            "year: 2010\ntitle: T\nperiod: P\nstatus: concept\npublisher: X\ndimensions:\n- id: d\n  name: Opsporing en vervolging\n  short_name: Opsporing\n  weight: 1\n  indicators:\n  - id: a\n    question: Vraag a?\n    max_points: 5\n  - id: b\n    question: Vraag b?\n    max_points: 3\ngroups:\n- id: g\n  name: G\npartners:\n- id: om\n  name: Openbaar Ministerie\n  abbreviation: OM\n",
        )
        .unwrap()
    }

    #[test]
    fn a_column_is_at_least_as_wide_as_the_longest_word_of_its_header() {
        let c = column(
            "Worden opsporingsonderzoeken gedaan?",
            "",
            Field::UnitId,
            14.0,
        );
        assert!(c.width >= 23.0, "{}", c.width);
        assert_eq!(column("Kort", "", Field::UnitId, 14.0).width, 14.0);
    }

    #[test]
    fn cell_names_count_columns_as_spreadsheets_do() {
        assert_eq!(cell_name(13, 3), "D14");
        assert_eq!(cell_name(0, 25), "Z1");
        assert_eq!(cell_name(0, 26), "AA1");
        assert_eq!(cell_name(0, 701), "ZZ1");
        assert_eq!(cell_name(0, 702), "AAA1");
        assert_eq!(reference("Opsporing", 13, 3), "Opsporing!D14");
        assert_eq!(
            reference("Berekend (alleen lezen)", 0, 0),
            "'Berekend (alleen lezen)'!A1"
        );
    }

    #[test]
    fn sheet_names_are_cleaned_shortened_and_unique() {
        let taken = vec!["Kerncijfers".to_string()];
        assert_eq!(sheet_name("kerncijfers", &taken), "kerncijfers 2");
        assert_eq!(sheet_name("a/b[c]", &taken), "abc");
        assert_eq!(sheet_name(&"x".repeat(40), &taken).chars().count(), 31);
        assert_eq!(sheet_name("'?'", &taken), "Dimensie");
    }

    #[test]
    fn a_row_written_and_read_back_changes_nothing() {
        let e = edition();
        let u = unit();
        for sheet in layout(&e, 4) {
            let row: Vec<Cell> = sheet.columns.iter().map(|c| value(&c.field, &u)).collect();
            let mut back = u.clone();
            assert!(
                apply_row(&sheet, &row, &mut back).is_empty(),
                "{}",
                sheet.name
            );
            assert_eq!(
                serde_yaml::to_string(&back).unwrap(),
                serde_yaml::to_string(&u).unwrap(),
                "{}",
                sheet.name
            );
        }
    }

    #[test]
    fn cells_are_checked_and_named() {
        let e = edition();
        let sheets = layout(&e, 4);
        let dim = &sheets[0];
        let mut u = unit();
        let row = vec![
            Cell::text("u"),
            Cell::text("U"),
            Cell::Number(7.0),
            Cell::Formula("1/0".into()),
            Cell::Date("2010-03-05".into()),
        ];
        let problems = apply_row(dim, &row, &mut u);
        let messages: Vec<&str> = problems.iter().map(|p| p.message.as_str()).collect();
        assert_eq!(problems.len(), 3, "{messages:?}");
        assert_eq!(messages[0], "7 is above the maximum of 5 for a");
        assert!(messages[1].contains("formula =1/0"), "{}", messages[1]);
        assert!(messages[2].contains("a date"), "{}", messages[2]);
        // Nothing changed where the cell was wrong.
        assert_eq!(
            u.dimensions.get("d").unwrap().points.get("a"),
            Some(&Points::Awarded(2))
        );
    }

    #[test]
    fn points_accept_numbers_digits_and_nvt() {
        assert_eq!(
            points(&Cell::Number(3.0), "a", 5),
            Ok(Some(Points::Awarded(3)))
        );
        assert_eq!(
            points(&Cell::text(" 4 "), "a", 5),
            Ok(Some(Points::Awarded(4)))
        );
        assert_eq!(
            points(&Cell::text("nvt"), "a", 5),
            Ok(Some(Points::NotApplicable))
        );
        assert_eq!(points(&Cell::Empty, "a", 5), Ok(None));
        assert!(
            points(&Cell::Number(2.5), "a", 5)
                .unwrap_err()
                .contains("not a whole number")
        );
        assert!(
            points(&Cell::Number(-1.0), "a", 5)
                .unwrap_err()
                .contains("below 0")
        );
        assert!(points(&Cell::Bool(true), "a", 5).is_err());
        assert!(
            points(&Cell::Error("#DIV/0!".into()), "a", 5)
                .unwrap_err()
                .contains("#DIV/0!")
        );
    }

    #[test]
    fn key_figures_come_all_three_or_none() {
        let e = edition();
        let sheet = layout(&e, 1)
            .into_iter()
            .find(|s| s.name == KEY_FIGURES)
            .unwrap();
        let mut u = unit();
        let row = [
            Cell::text("u"),
            Cell::text("U"),
            Cell::Number(1.0),
            Cell::Empty,
            Cell::Number(3.0),
        ];
        let problems = apply_row(&sheet, &row, &mut u);
        assert_eq!(problems.len(), 1);
        assert_eq!(problems[0].column, 3);
        let row = [
            Cell::text("u"),
            Cell::text("U"),
            Cell::Number(1.0),
            Cell::Number(2.0),
            Cell::Number(3.0),
        ];
        assert!(apply_row(&sheet, &row, &mut u).is_empty());
        assert_eq!(u.key_figures.unwrap().case_files, 2);
    }

    #[test]
    fn a_remark_needs_a_rating_and_clearing_both_removes_the_partner() {
        let e = edition();
        let sheet = layout(&e, 1)
            .into_iter()
            .find(|s| s.name == PARTNERS)
            .unwrap();
        let mut u = unit();
        let row = [
            Cell::text("u"),
            Cell::text("U"),
            Cell::Empty,
            Cell::text("x"),
        ];
        assert_eq!(apply_row(&sheet, &row, &mut u)[0].column, 3);
        let row = [Cell::text("u"), Cell::text("U"), Cell::Empty, Cell::Empty];
        assert!(apply_row(&sheet, &row, &mut u).is_empty());
        assert!(u.partners.is_empty());
        let row = [
            Cell::text("u"),
            Cell::text("U"),
            Cell::text("Matig"),
            Cell::Empty,
        ];
        assert!(apply_row(&sheet, &row, &mut u).is_empty());
        assert_eq!(u.partners.get("om").unwrap().rating, Rating::Matig);
    }

    #[test]
    fn the_meta_sheet_names_edition_and_units() {
        let rows: Vec<Vec<Cell>> = meta(2010, Some("groningen"))
            .into_iter()
            .map(|(k, v)| vec![Cell::Text(k), v])
            .collect();
        assert_eq!(read_meta(&rows), Ok((2010, Some("groningen".to_string()))));
        assert!(read_meta(&rows[1..]).is_err());
    }
}
