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

use std::path::{Path, PathBuf};
use std::process::ExitCode;

use crate::diagnostics::{self, Diagnostic, SourceCache};
use crate::load::{self, LoadedEdition};
use crate::validate;

/// Why a run failed, and so its exit code. The error carries what went
/// wrong, not its rendering: [`RunError::render`] lays it out once, at the
/// edge, in colour or plain; `check --format json` gives the same problems
/// as data.
#[derive(Debug)]
pub enum RunError {
    /// The input data, a template or a document is wrong (exit 1): every
    /// problem found, with the texts to show them in.
    Data(Problems),
    /// The command was used wrongly (exit 2).
    Usage(String),
    /// Something else went wrong, e.g. writing output (exit 1).
    Other(String),
}

/// Problems that end a run, and the source texts their snippets show.
pub struct Problems {
    /// Errors (at least one) and the warnings found with them.
    pub diagnostics: Vec<Diagnostic>,
    /// The texts of the files they point into.
    pub sources: SourceCache,
}

impl Problems {
    /// The problems with every occurrence of `from` in their file names,
    /// messages, hints and traces (and in the names of the kept texts)
    /// written as `to`: a temporary copy named as the user knows it.
    pub fn replace(self, from: &str, to: &str) -> Problems {
        let path = |p: &Path| PathBuf::from(p.display().to_string().replace(from, to));
        let diagnostics = self
            .diagnostics
            .into_iter()
            .map(|mut d| {
                d.file = path(&d.file);
                d.message = d.message.replace(from, to);
                d.hint = d.hint.map(|h| h.replace(from, to));
                for t in &mut d.trace {
                    t.file = path(&t.file);
                    t.message = t.message.replace(from, to);
                }
                d
            })
            .collect();
        Problems {
            diagnostics,
            sources: self.sources.renamed(path),
        }
    }
}

impl std::fmt::Debug for Problems {
    fn fmt(&self, f: &mut std::fmt::Formatter) -> std::fmt::Result {
        f.debug_list().entries(&self.diagnostics).finish()
    }
}

impl RunError {
    /// An input error: `diagnostics` shown with snippets from `sources`.
    pub fn data(diagnostics: Vec<Diagnostic>, sources: SourceCache) -> RunError {
        RunError::Data(Problems {
            diagnostics,
            sources,
        })
    }

    /// One input error without a snippet.
    pub fn diagnostic(d: Diagnostic) -> RunError {
        RunError::data(vec![d], SourceCache::default())
    }

    /// The process exit code.
    pub fn exit_code(&self) -> ExitCode {
        match self {
            RunError::Data(_) | RunError::Other(_) => ExitCode::from(1),
            RunError::Usage(_) => ExitCode::from(2),
        }
    }

    /// The error for the terminal, without a final newline: problems with
    /// snippets and a count, or `error: message`; in ANSI colours with
    /// `colour`. Text from the input is escaped ([`crate::term::clean`]).
    pub fn render(&self, colour: bool) -> String {
        match self {
            RunError::Data(p) => {
                let text = diagnostics::render_styled(&p.diagnostics, &p.sources, colour);
                text.trim_end().to_string()
            }
            RunError::Usage(msg) | RunError::Other(msg) => {
                let msg = crate::term::clean(msg);
                if colour {
                    format!("\x1b[1;31merror\x1b[0m: {msg}")
                } else {
                    format!("error: {msg}")
                }
            }
        }
    }
}

impl std::fmt::Display for RunError {
    /// The plain rendering ([`RunError::render`] without colour).
    fn fmt(&self, f: &mut std::fmt::Formatter) -> std::fmt::Result {
        f.write_str(&self.render(false))
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
