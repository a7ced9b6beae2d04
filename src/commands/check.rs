//! `korpsmonitor check`: validate an edition and report every problem, for
//! people (snippets on stderr) or as JSON for editors' tools (stdout).

use crate::base::diagnostics::{self, Diagnostic, SourceCache};
use crate::cli::{CheckArgs, Format};
use crate::commands::{Checks, RunError, load_check_score};

/// Runs `check`: with `--format text`, prints a one-line summary when the
/// edition is clean and its warnings on stderr; with `--format json`,
/// prints the warnings as data on stdout ([`diagnostics::to_json`]). Errors
/// end the run as [`RunError::Data`], which the caller renders in the same
/// format (see `main.rs`).
pub fn run(args: &CheckArgs) -> Result<(), RunError> {
    let (line, warnings, sources) = problems(args)?;
    if args.format == Format::Json {
        print!("{}", diagnostics::to_json(&warnings));
        return Ok(());
    }
    if !warnings.is_empty() {
        eprint!(
            "{}",
            diagnostics::render_styled(&warnings, &sources, crate::base::term::colour_stderr())
        );
    }
    println!("{}", crate::base::term::clean(&line));
    Ok(())
}

/// Loads, checks and scores the edition, and runs the letters' checks: the
/// summary line and the warnings, or every problem.
fn problems(args: &CheckArgs) -> Result<(String, Vec<Diagnostic>, SourceCache), RunError> {
    let dir = &args.edition.edition;
    let checked = load_check_score(dir, Checks::Documents)?;
    let e = checked.edition.source();
    let mut line = format!(
        "{}: {} units, {} dimensions: no errors",
        dir.display(),
        e.units.len(),
        e.edition.value.dimensions.len()
    );
    if let Some(prev) = &e.previous {
        line.push_str(&format!(
            " (previous edition {}: {} units)",
            prev.dir.display(),
            prev.units.len()
        ));
    }
    Ok((line, checked.warnings, checked.sources))
}
