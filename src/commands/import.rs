//! `korpsmonitor import`: a workbook back into the edition's YAML.

use std::io::IsTerminal;

use crate::app::workbook::import::{self, ImportOptions};
use crate::base::term::clean;
use crate::cli::ImportArgs;
use crate::commands::RunError;
use crate::figures::diff::Style;

/// Runs `import`.
pub fn run(args: &ImportArgs) -> Result<(), RunError> {
    let style = if std::io::stdout().is_terminal() {
        Style::Colour
    } else {
        Style::Plain
    };
    let done = import::import(&ImportOptions {
        file: args.file.clone(),
        edition: args.edition.clone(),
        dry_run: args.dry_run,
        style,
    })?;
    print!("{}", done.diff);
    let n = done.changed.len();
    let files = if n == 1 { "file" } else { "files" };
    if n == 0 {
        println!("no changes: the workbook holds what the edition holds");
    } else if args.dry_run {
        println!("dry run: {n} unit {files} would change; nothing was written");
    } else {
        for path in &done.changed {
            println!("updated {}", clean(&path.display().to_string()));
        }
    }
    Ok(())
}
