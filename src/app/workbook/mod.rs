//! The assessment team's workbooks: `korpsmonitor export` writes an
//! edition's fields into an `.xlsx` workbook (or one per unit),
//! `korpsmonitor import` reads an `.xlsx` or `.ods` workbook back into the
//! edition's YAML (docs/office.md, "Workbooks"). The layout, and how a
//! cell maps to a field, is [`crate::data::workbook`]'s.

pub mod export;
pub mod import;
pub mod read;

use std::path::PathBuf;

use crate::app::check::{Checks, load_check_score};
use crate::base::error::RunError;

/// What `export` asks for.
#[derive(Debug, Clone)]
pub struct ExportOptions {
    /// The edition folder.
    pub edition: PathBuf,
    /// The workbook of all units, when asked for.
    pub xlsx: Option<PathBuf>,
    /// A folder for one workbook per unit (`<unit id>.xlsx`), when asked for.
    pub per_unit: Option<PathBuf>,
}

/// Writes the workbooks `options` asks for, all or none; returns their paths.
///
/// Errors: [`RunError::Usage`] when neither is asked for or the edition
/// folder is none; [`RunError::Data`] when the edition does not pass the
/// data checks; [`RunError::Other`] when a file cannot be written.
pub fn export(options: &ExportOptions) -> Result<Vec<PathBuf>, RunError> {
    if options.xlsx.is_none() && options.per_unit.is_none() {
        return Err(RunError::Usage(
            "give --xlsx FILE, --per-unit DIR or both".into(),
        ));
    }
    let edition = load_check_score(&options.edition, Checks::Data)?.edition;
    let order = import::order(edition.source());
    let units: Vec<_> = order
        .iter()
        .filter_map(|id| {
            let scored = edition.unit(id)?;
            let file = edition.source().units.iter().find(|u| u.value.id == *id)?;
            Some((scored, &file.value))
        })
        .collect();
    let failed =
        |e: rust_xlsxwriter::XlsxError| RunError::Other(format!("cannot write the workbook: {e}"));
    let mut files: Vec<(PathBuf, Vec<u8>)> = Vec::new();
    if let Some(path) = &options.xlsx {
        files.push((
            path.clone(),
            export::workbook(&edition, &units, None).map_err(failed)?,
        ));
    }
    if let Some(dir) = &options.per_unit {
        for unit in &units {
            let bytes = export::workbook(
                &edition,
                std::slice::from_ref(unit),
                Some(unit.1.id.as_str()),
            )
            .map_err(failed)?;
            files.push((dir.join(format!("{}.xlsx", unit.1.id)), bytes));
        }
    }
    write_all(&files)?;
    Ok(files.into_iter().map(|(p, _)| p).collect())
}

fn write_all(files: &[(PathBuf, Vec<u8>)]) -> Result<(), RunError> {
    for (path, _) in files {
        if path.is_dir() {
            return Err(RunError::Usage(format!(
                "{} is a folder; expected a workbook file such as werkbestand.xlsx",
                path.display()
            )));
        }
    }
    let set: Vec<(PathBuf, &[u8])> = files
        .iter()
        .map(|(p, b)| (p.clone(), b.as_slice()))
        .collect();
    crate::base::output::write_set(&set, None)
        .map_err(|e| RunError::Other(format!("cannot write the workbooks: {e}; none was written")))
}
