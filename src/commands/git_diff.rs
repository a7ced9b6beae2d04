//! `korpsmonitor git-diff-driver`: the external diff command git calls for
//! unit files (see docs/reviewing.md), showing their semantic diff.

use std::io::IsTerminal;
use std::path::Path;

use crate::cli::GitDiffArgs;
use crate::commands::RunError;
use crate::diff::{self, EditionDiff, Style};
use crate::model::UnitFile;

fn read_unit(path: &Path) -> Result<Option<UnitFile>, RunError> {
    // git passes /dev/null for a file that does not exist on one side.
    if path == Path::new("/dev/null") {
        return Ok(None);
    }
    let text = std::fs::read_to_string(path)
        .map_err(|e| RunError::Other(format!("cannot read {}: {e}", path.display())))?;
    crate::load::parse_yaml(&text)
        .map(Some)
        .map_err(|e| RunError::Data(crate::load::yaml_error(path, &e).to_string()))
}

/// Runs the driver: `PATH OLD-FILE OLD-HEX OLD-MODE NEW-FILE NEW-HEX NEW-MODE`.
pub fn run(args: &GitDiffArgs) -> Result<(), RunError> {
    let style = if std::io::stdout().is_terminal() {
        Style::Colour
    } else {
        Style::Plain
    };
    let (old, new) = (read_unit(&args.old_file)?, read_unit(&args.new_file)?);
    let mut d = EditionDiff {
        old: format!("a/{}", args.path),
        new: format!("b/{}", args.path),
        ..EditionDiff::default()
    };
    match (old, new) {
        (Some(o), Some(n)) => {
            let u = diff::unit_files(&o, &n);
            if !u.dimensions.is_empty()
                || u.manual.is_some()
                || !u.recommendations_added.is_empty()
                || !u.recommendations_removed.is_empty()
            {
                d.units.push(u);
            }
        }
        (None, Some(n)) => d.added_units.push(n.name),
        (Some(o), None) => d.removed_units.push(o.name),
        (None, None) => {}
    }
    print!("{}", diff::render(&d, style));
    Ok(())
}
