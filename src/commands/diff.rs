//! `korpsmonitor diff`: the semantic diff of two editions, or of one
//! edition at a git revision against the working tree.

use std::io::IsTerminal;

use crate::app::git;
use crate::cli::{DiffArgs, DiffFormat};
use crate::commands::{Checks, RunError, load_check_score};
use crate::figures::diff::{self, Style};

/// Runs `diff`.
pub fn run(args: &DiffArgs) -> Result<(), RunError> {
    if let (Some(new), None) = (&args.new, &args.rev)
        && is_word_file(new)
    {
        return letter(args, new);
    }
    // The copy of a revision lives until the diff is made.
    let (old, new_dir, labels, _copy) = match (&args.new, &args.rev) {
        (Some(_), Some(_)) => {
            return Err(RunError::Usage("give either NEW or --rev, not both".into()));
        }
        (Some(new), None) => (
            load_check_score(&args.old, Checks::Data)?.edition,
            new.clone(),
            (args.old.display().to_string(), new.display().to_string()),
            None,
        ),
        (None, Some(rev)) => {
            let (old, copy) = git::load_at_revision(&args.old, rev)?;
            (
                old,
                args.old.clone(),
                (
                    format!("{} at {rev}", args.old.display()),
                    format!("{} (working tree)", args.old.display()),
                ),
                Some(copy),
            )
        }
        (None, None) => {
            return Err(RunError::Usage(
                "give two edition folders, or one with --rev REV".into(),
            ));
        }
    };
    let new = load_check_score(&new_dir, Checks::Data)?.edition;
    let mut d = diff::diff(&old, &new, (&labels.0, &labels.1));
    // Two versions of one edition (a revision, or a copy of the same year):
    // every changed field counts. Across years only the semantic changes.
    if args.rev.is_some() || old.year == new.year {
        diff::add_fields(&mut d, &old, &new);
    }
    print(args.format, &d, diff::render)
}

/// Prints `d` in `format`: JSON, or what `render` makes of it in Markdown
/// or as text (coloured on a terminal, plain otherwise).
fn print<T: serde::Serialize>(
    format: DiffFormat,
    d: &T,
    render: impl Fn(&T, Style) -> String,
) -> Result<(), RunError> {
    let out = match format {
        DiffFormat::Json => {
            serde_json::to_string_pretty(d).map_err(|e| RunError::Other(e.to_string()))? + "\n"
        }
        DiffFormat::Markdown => render(d, Style::Markdown),
        DiffFormat::Text => render(
            d,
            if std::io::stdout().is_terminal() {
                Style::Colour
            } else {
                Style::Plain
            },
        ),
    };
    print!("{out}");
    Ok(())
}

/// Whether `path` names a Word document (`.docx`, or `.docm`, which is
/// refused for its macros).
fn is_word_file(path: &std::path::Path) -> bool {
    path.extension().and_then(|e| e.to_str()).is_some_and(|e| {
        ["docx", "docm", "dotx", "dotm"].contains(&e.to_ascii_lowercase().as_str())
    })
}

/// `diff EDITION LETTER.docx`: what was changed in an amended letter.
fn letter(args: &DiffArgs, amended: &std::path::Path) -> Result<(), RunError> {
    let d = crate::app::letter_diff::letter_diff(&args.old, amended)?;
    print(args.format, &d, crate::app::letter_diff::render)
}
