//! One module per subcommand, and what they share: loading, checking and
//! scoring an edition, and the errors that end a run.

pub mod build;
pub mod check;
pub mod diff;
pub mod fmt;
pub mod generate;
pub mod git_diff;
pub mod progress;
pub mod summary;
pub mod templates;
pub mod watch;

use std::path::Path;
use std::process::ExitCode;

use crate::diagnostics::{self, Diagnostic, SourceCache};
use crate::load::{self, LoadedEdition};
use crate::validate;

/// Why a run failed, and so its exit code.
#[derive(Debug)]
pub enum RunError {
    /// The input data is wrong (exit 1); the report is already rendered.
    Data(String),
    /// The command was used wrongly (exit 2).
    Usage(String),
    /// Something else went wrong, e.g. writing output (exit 1).
    Other(String),
}

impl RunError {
    /// The process exit code.
    pub fn exit_code(&self) -> ExitCode {
        match self {
            RunError::Data(_) | RunError::Other(_) => ExitCode::from(1),
            RunError::Usage(_) => ExitCode::from(2),
        }
    }
}

impl std::fmt::Display for RunError {
    fn fmt(&self, f: &mut std::fmt::Formatter) -> std::fmt::Result {
        match self {
            RunError::Data(report) => f.write_str(report.trim_end()),
            RunError::Usage(msg) | RunError::Other(msg) => write!(f, "error: {msg}"),
        }
    }
}

impl std::error::Error for RunError {}

/// A loaded edition that passed every check, with its warnings.
pub struct Checked {
    /// The edition.
    pub edition: LoadedEdition,
    /// Warnings to show.
    pub warnings: Vec<Diagnostic>,
    /// The source texts, for rendering later diagnostics.
    pub sources: SourceCache,
}

/// Loads and checks the edition in `dir`; any error ends the run with all
/// problems rendered.
pub fn load_checked(dir: &Path) -> Result<Checked, RunError> {
    if !dir.is_dir() {
        return Err(RunError::Usage(format!(
            "{} is not a folder; expected an edition folder such as data/2010",
            dir.display()
        )));
    }
    // Present (a link or FIFO is then refused with its kind when read).
    if !crate::input::exists(dir, &dir.join("edition.yaml")) {
        return Err(RunError::Usage(format!(
            "{} has no edition.yaml; expected an edition folder such as data/2010",
            dir.display()
        )));
    }
    let loaded = load::load(dir);
    let mut all = loaded.diagnostics;
    if let Some(edition) = &loaded.edition {
        all.extend(validate::validate(edition));
    }
    match loaded.edition {
        Some(edition) if !all.iter().any(Diagnostic::is_error) => Ok(Checked {
            edition,
            warnings: all,
            sources: loaded.sources,
        }),
        _ => Err(RunError::Data(diagnostics::render(&all, &loaded.sources))),
    }
}
