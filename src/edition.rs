//! Loading and checking an edition: every problem found in its files, or
//! the edition with its warnings.

use std::path::Path;

use crate::diagnostics::{Diagnostic, SourceCache};
use crate::error::RunError;
use crate::load::{self, LoadedEdition};
use crate::score::ScoredEdition;
use crate::validate;

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
    let edition = dir.join("edition.yaml");
    if std::fs::symlink_metadata(&edition).is_ok_and(|m| m.is_dir()) {
        return Err(RunError::Usage(format!(
            "{} is a folder; expected the edition's file edition.yaml",
            edition.display()
        )));
    }
    // Present (a link or FIFO is then refused with its kind when read).
    if !crate::input::exists(dir, &edition) {
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
        _ => Err(RunError::data(all, loaded.sources)),
    }
}

/// The checks that need the scored edition, beyond [`load_checked`]: the
/// letters' placeholders, the free chapters, the abbreviations and repeated
/// text; their errors and warnings, in that order.
pub fn document_checks(loaded: &LoadedEdition, scored: &ScoredEdition) -> Vec<Diagnostic> {
    let mut found = crate::render::letter::check(loaded, scored);
    found.extend(crate::render::chapters::check(loaded, scored));
    found.extend(crate::render::abbreviations::check(loaded, scored));
    found.extend(crate::render::repetition::check(loaded));
    found
}
