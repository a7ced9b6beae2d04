//! Load, check and score: the one way every command gets from an edition
//! folder to a [`ScoredEdition`], with the warnings found on the way and
//! the texts to show them in.
//!
//! The stages run one way: load -> validate -> score; with
//! [`Checks::Documents`] the checks that need the scored edition follow
//! (the letters' placeholders, the free chapters, the abbreviations,
//! repeated text and what is stale, in that order), and the free chapters filled for them
//! are kept for the report.

use std::path::Path;
use std::time::{Duration, Instant};

use crate::base::diagnostics::{Diagnostic, SourceCache};
use crate::base::error::RunError;
use crate::figures::score;
use crate::figures::scored::ScoredEdition;
use crate::render::chapters::FilledChapter;
use crate::render::{abbreviations, chapters, letter, repetition, stale};
use crate::{data::load, data::validate};

/// How far to check.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Checks {
    /// The data: every file read, parsed and validated (`summary`, `diff`).
    Data,
    /// The data and everything the documents print from it: letter and
    /// chapter placeholders, abbreviations, repeated sentences (`check`,
    /// `build`, `watch`).
    Documents,
}

/// A scored edition that passed every check asked for, with its warnings.
pub struct Checked {
    /// The edition, scored, owning its files.
    pub edition: ScoredEdition,
    /// The free chapters with their placeholders filled, in the edition's
    /// order (empty with [`Checks::Data`]).
    pub chapters: Vec<FilledChapter>,
    /// Warnings to show.
    pub warnings: Vec<Diagnostic>,
    /// The source texts, for rendering these and later diagnostics.
    pub sources: SourceCache,
    /// Time spent reading and validating.
    pub load_time: Duration,
    /// Time spent scoring and on the checks that need the scores.
    pub score_time: Duration,
}

/// Refuses a path that is not an edition folder, before anything is read.
fn edition_folder(dir: &Path) -> Result<(), RunError> {
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
    if !crate::base::input::exists(dir, &edition) {
        return Err(RunError::Usage(format!(
            "{} has no edition.yaml; expected an edition folder such as data/2010",
            dir.display()
        )));
    }
    Ok(())
}

/// Loads the edition in `dir` (with its previous edition), validates it,
/// scores it and runs `checks`.
///
/// Errors: [`RunError::Usage`] when `dir` is no edition folder;
/// [`RunError::Data`] with every problem found (errors and warnings) when
/// any is an error.
pub fn load_check_score(dir: &Path, checks: Checks) -> Result<Checked, RunError> {
    load_check_score_with(dir, checks, None)
}

/// [`load_check_score`], taking the files unchanged since the last load of
/// a session from `parsed` ([`load::load_with`]).
pub fn load_check_score_with(
    dir: &Path,
    checks: Checks,
    parsed: Option<&load::ParseCache>,
) -> Result<Checked, RunError> {
    edition_folder(dir)?;
    let t = Instant::now();
    let loaded = load::load_with(dir, parsed);
    let mut all = loaded.diagnostics;
    if let Some(edition) = &loaded.edition {
        all.extend(validate::validate(edition));
    }
    let sources = loaded.sources;
    let edition = match loaded.edition {
        Some(edition) if !all.iter().any(Diagnostic::is_error) => edition,
        _ => return Err(RunError::data(all, sources)),
    };
    let load_time = t.elapsed();
    let t = Instant::now();
    let edition = score::score(edition);
    let mut filled = Vec::new();
    if checks == Checks::Documents {
        all.extend(letter::check(&edition));
        let (texts, problems) = chapters::fill_all(&edition);
        all.extend(problems);
        all.extend(abbreviations::check(&edition, &texts));
        all.extend(repetition::check(edition.source()));
        all.extend(stale::check(edition.source()));
        if all.iter().any(Diagnostic::is_error) {
            return Err(RunError::data(all, sources));
        }
        filled = texts;
    }
    Ok(Checked {
        edition,
        chapters: filled,
        warnings: all,
        sources,
        load_time,
        score_time: t.elapsed(),
    })
}
