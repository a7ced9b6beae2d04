//! `korpsmonitor git-diff-driver`: the external diff command git calls for
//! an edition's YAML files (see docs/reviewing.md), showing their semantic
//! diff ([`crate::app::git::driver_diff`]). Every field of every file kind takes part: a unit file shows its
//! points, findings, verdicts and recommendations as in `korpsmonitor diff`
//! and every other changed field by path; `edition.yaml`,
//! `recommendations.yaml` and `letter.yaml` show every changed field.

use std::io::IsTerminal;

use crate::cli::GitDiffArgs;
use crate::commands::RunError;
use crate::figures::diff::{self, Style};

/// Runs the driver: `PATH OLD-FILE OLD-HEX OLD-MODE NEW-FILE NEW-HEX NEW-MODE`.
pub fn run(args: &GitDiffArgs) -> Result<(), RunError> {
    let style = if std::io::stdout().is_terminal() {
        Style::Colour
    } else {
        Style::Plain
    };
    let d = crate::app::git::driver_diff(&args.path, &args.old_file, &args.new_file)?;
    print!("{}", diff::render(&d, style));
    Ok(())
}
