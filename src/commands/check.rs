//! `korpsmonitor check`: validate an edition and report every problem.

use crate::cli::EditionArgs;
use crate::commands::{RunError, load_checked};
use crate::diagnostics;

/// Runs `check`; prints a one-line summary when the edition is clean.
pub fn run(args: &EditionArgs) -> Result<(), RunError> {
    let mut checked = load_checked(&args.edition)?;
    let scored = crate::score::score(&checked.edition);
    checked
        .warnings
        .extend(crate::render::letter::check(&checked.edition, &scored));
    if checked.warnings.iter().any(|d| d.is_error()) {
        return Err(RunError::Data(diagnostics::render(
            &checked.warnings,
            &checked.sources,
        )));
    }
    if !checked.warnings.is_empty() {
        eprint!(
            "{}",
            crate::term::clean(&diagnostics::render(&checked.warnings, &checked.sources))
        );
    }
    let e = &checked.edition;
    let mut line = format!(
        "{}: {} units, {} dimensions: no errors",
        args.edition.display(),
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
    println!("{}", crate::term::clean(&line));
    Ok(())
}
