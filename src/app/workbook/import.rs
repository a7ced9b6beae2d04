//! Reading a workbook back into the edition: every cell checked and mapped
//! through the data model, the edition validated as `check` does, then
//! either every changed unit file written in canonical form (as `fmt`
//! writes it) or nothing at all.

use std::collections::{BTreeMap, HashMap, HashSet};
use std::path::{Path, PathBuf};

use crate::app::check::{Checks, load_check_score};
use crate::app::workbook::read::{self, Book, Grid};
use crate::base::diagnostics::{Diagnostic, SourceCache};
use crate::base::error::RunError;
use crate::base::input;
use crate::data::canonical;
use crate::data::load::{self, LoadedEdition};
use crate::data::model::UnitFile;
use crate::data::validate;
use crate::data::workbook::{self, Cell, Sheet, reference};
use crate::figures::diff::{self, Style};
use crate::figures::score;

/// Empty rows a sheet may have besides its header and a row per unit.
pub const SPARE_ROWS: usize = 50;
/// Columns a sheet may have besides its own (empty ones only).
const SPARE_COLUMNS: usize = 50;

/// What `import` asks for.
#[derive(Debug, Clone)]
pub struct ImportOptions {
    /// The workbook, `.xlsx` or `.ods`.
    pub file: PathBuf,
    /// The edition folder.
    pub edition: PathBuf,
    /// Only show the changes; write nothing.
    pub dry_run: bool,
    /// How to render the diff.
    pub style: Style,
}

/// What an import did.
#[derive(Debug)]
pub struct Imported {
    /// The semantic diff, rendered (empty when nothing changed).
    pub diff: String,
    /// The unit files changed (written unless a dry run), in edition order.
    pub changed: Vec<PathBuf>,
}

/// Where each unit field came from: `(unit id, field path)` -> cell reference.
type Origins = HashMap<(String, String), String>;

/// Imports the workbook `options.file` into the edition `options.edition`.
///
/// Errors: [`RunError::Usage`] when the edition folder is none;
/// [`RunError::Data`] with every problem found, each naming the sheet and
/// cell and the unit file and field it maps to (the file is not a
/// workbook or too large, a sheet or column moved, renamed or deleted, a
/// workbook of another edition or unit, a cell that holds a formula, an
/// error, a date or a value out of range, a check of `check` that fails);
/// then nothing is written.
pub fn import(options: &ImportOptions) -> Result<Imported, RunError> {
    let old = load_check_score(&options.edition, Checks::Data)?.edition;
    let file = &options.file;
    let fail = |m: String| RunError::diagnostic(Diagnostic::error(file, m));
    let mut book = read::open(file).map_err(fail)?;
    let source = old.source();
    let scope = scope(&mut book, source, file)?;
    let mut problems = Vec::new();
    let sheets = check_sheets(&mut book, source, file, &scope, &mut problems)?;
    let mut units: BTreeMap<String, UnitFile> = BTreeMap::new();
    let mut origins = Origins::new();
    for (sheet, grid) in &sheets {
        read_sheet(
            sheet,
            grid,
            source,
            &scope,
            file,
            &mut units,
            &mut origins,
            &mut problems,
        );
    }
    if !problems.is_empty() {
        return Err(RunError::data(problems, SourceCache::default()));
    }
    let mut new = source.clone();
    for located in &mut new.units {
        if let Some(u) = units.remove(&located.value.id) {
            located.value = u;
        }
    }
    check_edition(&new, file, &origins)?;
    let changed = changed_files(source, &new)?;
    if changed.is_empty() {
        return Ok(Imported {
            diff: String::new(),
            changed: Vec::new(),
        });
    }
    let new_scored = score::score(new);
    let labels = (
        options.edition.display().to_string(),
        file.display().to_string(),
    );
    let mut d = diff::diff(&old, &new_scored, (&labels.0, &labels.1));
    diff::add_fields(&mut d, &old, &new_scored);
    let text = diff::render(&d, options.style);
    if !options.dry_run {
        let set: Vec<(PathBuf, &[u8])> = changed
            .iter()
            .map(|(p, t)| (p.clone(), t.as_bytes()))
            .collect();
        crate::base::output::write_set(&set, None).map_err(|e| {
            RunError::Other(format!(
                "cannot write the unit files: {e}; nothing was changed"
            ))
        })?;
    }
    Ok(Imported {
        diff: text,
        changed: changed.into_iter().map(|(p, _)| p).collect(),
    })
}

/// The units the workbook holds, in report order, after checking that it
/// is a workbook of this edition.
fn scope(book: &mut Book, source: &LoadedEdition, file: &Path) -> Result<Vec<String>, RunError> {
    let fail = |m: String| RunError::diagnostic(Diagnostic::error(file, m));
    if !book.sheets.iter().any(|s| s.name == workbook::META) {
        return Err(fail(format!(
            "not a workbook of korpsmonitor: it has no sheet {:?} (hidden) that names the edition; expected a workbook written by `korpsmonitor export`",
            workbook::META
        )));
    }
    let grid = book
        .grid(workbook::META, 20, 5)
        .map_err(|m| fail(format!("sheet {}: {m}", workbook::META)))?;
    let (year, unit) = workbook::read_meta(&grid).map_err(|m| {
        fail(format!(
            "not a workbook of korpsmonitor: its sheet {:?} is changed ({m})",
            workbook::META
        ))
    })?;
    let e = &source.edition.value;
    if year != e.year {
        return Err(RunError::diagnostic(
            Diagnostic::error(
                file,
                format!(
                    "this workbook belongs to the {year} edition, not to the {} edition in {}",
                    e.year,
                    source.dir.display()
                ),
            )
            .hint(format!(
                "import it into the {year} edition's folder, or export a workbook of {} with `korpsmonitor export`",
                e.year
            )),
        ));
    }
    let all: Vec<String> = order(source);
    match unit {
        None => Ok(all),
        Some(id) if all.contains(&id) => Ok(vec![id]),
        Some(id) => Err(fail(format!(
            "this workbook holds the unit `{id}`, which the {} edition does not have",
            e.year
        ))),
    }
}

/// The unit ids in the edition's order (`units:` in edition.yaml, else by file name).
pub fn order(source: &LoadedEdition) -> Vec<String> {
    match &source.edition.value.units {
        Some(ids) => ids.clone(),
        None => source.units.iter().map(|u| u.value.id.clone()).collect(),
    }
}

/// Checks the workbook's sheets against the layout (none missing, added,
/// renamed or moved) and reads each unit sheet's cells.
fn check_sheets(
    book: &mut Book,
    source: &LoadedEdition,
    file: &Path,
    scope: &[String],
    problems: &mut Vec<Diagnostic>,
) -> Result<Vec<(Sheet, Grid)>, RunError> {
    let max_rows = scope.len() + 1 + SPARE_ROWS;
    let names: Vec<String> = book.sheets.iter().map(|s| s.name.clone()).collect();
    // The number of recommendation columns is the workbook's own.
    let recs = if names.iter().any(|n| n == workbook::RECOMMENDATIONS) {
        let grid = book
            .grid(workbook::RECOMMENDATIONS, max_rows, 2 + 1000)
            .map_err(|m| {
                RunError::diagnostic(Diagnostic::error(
                    file,
                    format!("sheet {}: {m}", workbook::RECOMMENDATIONS),
                ))
            })?;
        grid.first().map_or(0, |h| {
            h.iter()
                .skip(2)
                .take_while(|c| matches!(c, Cell::Text(t) if t.starts_with("Aanbeveling")))
                .count()
        })
    } else {
        0
    };
    let layout = workbook::layout(&source.edition.value, recs);
    let mut expected: Vec<String> = layout.iter().map(|s| s.name.clone()).collect();
    expected.push(workbook::COMPUTED.into());
    expected.push(workbook::META.into());
    let listed = expected
        .iter()
        .map(|n| format!("{n:?}"))
        .collect::<Vec<_>>()
        .join(", ");
    for n in &expected {
        if !names.contains(n) {
            problems.push(
                Diagnostic::error(
                    file,
                    format!("sheet {n:?} is missing: it was renamed or deleted"),
                )
                .hint(format!("expected the sheets {listed}")),
            );
        }
    }
    for n in &names {
        if !expected.contains(n) {
            problems.push(
                Diagnostic::error(
                    file,
                    format!("unknown sheet {n:?}: sheets may not be added or renamed"),
                )
                .hint(format!("expected the sheets {listed}")),
            );
        }
    }
    if problems.is_empty() && names != expected {
        let moved = names
            .iter()
            .zip(&expected)
            .find(|(a, b)| a != b)
            .map_or(String::new(), |(a, _)| a.clone());
        problems.push(
            Diagnostic::error(
                file,
                format!("sheet {moved:?} was moved: the sheets are read in their order"),
            )
            .hint(format!("put them back in the order {listed}")),
        );
    }
    if !problems.is_empty() {
        return Err(RunError::data(
            std::mem::take(problems),
            SourceCache::default(),
        ));
    }
    let mut out = Vec::new();
    for sheet in layout {
        match book.grid(&sheet.name, max_rows, sheet.columns.len() + SPARE_COLUMNS) {
            Ok(grid) => out.push((sheet, grid)),
            Err(m) => problems.push(Diagnostic::error(
                file,
                format!("sheet {:?} {m}", sheet.name),
            )),
        }
    }
    Ok(out)
}

/// Reads one unit sheet: checks its headers, finds each unit's row by its
/// id and maps the row's cells onto the unit (in `units`, taken from the
/// edition when first met).
#[allow(clippy::too_many_arguments)]
fn read_sheet(
    sheet: &Sheet,
    grid: &Grid,
    source: &LoadedEdition,
    scope: &[String],
    file: &Path,
    units: &mut BTreeMap<String, UnitFile>,
    origins: &mut Origins,
    problems: &mut Vec<Diagnostic>,
) {
    let name = &sheet.name;
    let empty = Vec::new();
    let header = grid.first().unwrap_or(&empty);
    let before = problems.len();
    for (c, col) in sheet.columns.iter().enumerate() {
        let found = header.get(c).unwrap_or(&Cell::Empty);
        if *found != Cell::Text(col.header.clone()) {
            problems.push(
                Diagnostic::error(
                    file,
                    format!(
                        "{}: expected the column {:?}, found {}: columns may not be moved, renamed or deleted",
                        reference(name, 0, c),
                        col.header,
                        workbook::shown(found)
                    ),
                )
                .field(col.field.path()),
            );
        }
    }
    for (r, row) in grid.iter().enumerate() {
        if let Some(c) = (sheet.columns.len()..row.len()).find(|&c| row[c] != Cell::Empty) {
            problems.push(Diagnostic::error(
                file,
                format!(
                    "{}: a value outside the sheet's columns: columns may not be added",
                    reference(name, r, c)
                ),
            ));
        }
    }
    if problems.len() > before {
        return;
    }
    let mut seen: HashSet<String> = HashSet::new();
    for (r, row) in grid.iter().enumerate().skip(1) {
        if row.iter().all(|c| *c == Cell::Empty) {
            continue;
        }
        let id = match row.first() {
            Some(Cell::Text(t)) => t.clone(),
            other => {
                problems.push(Diagnostic::error(
                    file,
                    format!(
                        "{}: found {}, expected a unit id: the first column names the row's unit",
                        reference(name, r, 0),
                        workbook::shown(other.unwrap_or(&Cell::Empty))
                    ),
                ));
                continue;
            }
        };
        let Some(located) = source
            .units
            .iter()
            .find(|u| u.value.id == id)
            .filter(|_| scope.contains(&id))
        else {
            problems.push(
                Diagnostic::error(
                    file,
                    format!("{}: unknown unit `{id}`", reference(name, r, 0)),
                )
                .hint("rows may be sorted, but a unit's id may not be changed; units are added in the YAML"),
            );
            continue;
        };
        if !seen.insert(id.clone()) {
            problems.push(Diagnostic::error(
                file,
                format!("{}: unit `{id}` has a second row", reference(name, r, 0)),
            ));
            continue;
        }
        let unit = units
            .entry(id.clone())
            .or_insert_with(|| located.value.clone());
        let path = located.path.display().to_string();
        for (c, col) in sheet.columns.iter().enumerate() {
            origins.insert((id.clone(), col.field.path()), reference(name, r, c));
        }
        for p in workbook::apply_row(sheet, row, unit) {
            let field = &sheet.columns[p.column].field;
            problems.push(
                Diagnostic::error(
                    file,
                    format!("{}: {}", reference(name, r, p.column), p.message),
                )
                .field(format!("{path}: {}", field.path())),
            );
        }
    }
    for id in scope.iter().filter(|id| !seen.contains(*id)) {
        problems.push(Diagnostic::error(
            file,
            format!("sheet {name:?} has no row for unit `{id}`: rows may not be deleted"),
        ));
    }
}

/// Validates the edition with the workbook's values, as `check` does;
/// an error at a field that came from a cell names the cell.
fn check_edition(new: &LoadedEdition, file: &Path, origins: &Origins) -> Result<(), RunError> {
    let by_path: HashMap<&Path, &str> = new
        .units
        .iter()
        .map(|u| (u.path.as_path(), u.value.id.as_str()))
        .collect();
    let errors: Vec<Diagnostic> = validate::validate(new)
        .into_iter()
        .filter(Diagnostic::is_error)
        .map(|d| {
            let id = by_path.get(d.file.as_path());
            let field = d.field.clone().unwrap_or_default();
            let origin = id.and_then(|id| origins.get(&(id.to_string(), field.clone())));
            match origin {
                Some(cell) => {
                    let mut m = Diagnostic::error(file, format!("{cell}: {}", d.message))
                        .field(format!("{}: {field}", d.file.display()));
                    m.hint = d.hint;
                    m
                }
                // A field the workbook does not hold (a unit's points
                // missing altogether): at the unit file, without a position
                // (the file's text is not what was checked).
                None => Diagnostic { pos: None, ..d },
            }
        })
        .collect();
    if errors.is_empty() {
        Ok(())
    } else {
        Err(RunError::data(errors, SourceCache::default()))
    }
}

/// The unit files whose data the import changes, each with its new text in
/// canonical form. A changed file with comments is refused (serde_yaml
/// cannot keep them), as `fmt` refuses it.
fn changed_files(
    old: &LoadedEdition,
    new: &LoadedEdition,
) -> Result<Vec<(PathBuf, String)>, RunError> {
    let mut out = Vec::new();
    let mut problems = Vec::new();
    let mut sources = SourceCache::default();
    for (a, b) in old.units.iter().zip(&new.units) {
        let same = match (
            serde_json::to_value(&a.value),
            serde_json::to_value(&b.value),
        ) {
            (Ok(x), Ok(y)) => x == y,
            _ => false,
        };
        if same {
            continue;
        }
        let text = serde_yaml::to_string(&b.value)
            .map_err(|e| RunError::Other(format!("cannot write {}: {e}", b.path.display())))?;
        let original = input::read(&old.dir, &a.path, load::MAX_FILE_BYTES)
            .ok()
            .and_then(|bytes| String::from_utf8(bytes).ok())
            .unwrap_or_default();
        if canonical::has_comments(&original) {
            sources.insert(&a.path, &original);
            problems.push(
                Diagnostic::error(
                    &a.path,
                    "the workbook changes this file, but it has comments, which the canonical form cannot keep; nothing was written",
                )
                .at(canonical::first_comment(&original))
                .hint("move the comment's content into `notes:` (the assessment team's, never printed), then import again"),
            );
            continue;
        }
        match canonical::canonicalise::<UnitFile>(&a.path, &text) {
            Ok(canonical::Outcome::Canonical) => out.push((a.path.clone(), text)),
            Ok(canonical::Outcome::Changed(_)) | Err(_) => problems.push(Diagnostic::error(
                &a.path,
                "the workbook's values do not make a canonical file; nothing was written",
            )),
        }
    }
    if problems.is_empty() {
        Ok(out)
    } else {
        Err(RunError::data(problems, sources))
    }
}
