//! The errors that end a run, and the exit codes they give.

use std::path::{Path, PathBuf};
use std::process::ExitCode;

use crate::base::diagnostics::{self, Diagnostic, SourceCache};

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
    /// `colour`. Text from the input is escaped ([`crate::base::term::clean`]).
    pub fn render(&self, colour: bool) -> String {
        match self {
            RunError::Data(p) => {
                let text = diagnostics::render_styled(&p.diagnostics, &p.sources, colour);
                text.trim_end().to_string()
            }
            RunError::Usage(msg) | RunError::Other(msg) => {
                let msg = crate::base::term::clean(msg);
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
