//! `korpsmonitor export`: an edition's workbook for the assessment team.

use crate::app::workbook::{self, ExportOptions};
use crate::base::term::clean;
use crate::cli::ExportArgs;
use crate::commands::RunError;

/// Runs `export`.
pub fn run(args: &ExportArgs) -> Result<(), RunError> {
    let written = workbook::export(&ExportOptions {
        edition: args.edition.clone(),
        xlsx: args.xlsx.clone(),
        per_unit: args.per_unit.clone(),
    })?;
    for path in &written {
        println!("wrote {}", clean(&path.display().to_string()));
    }
    Ok(())
}
