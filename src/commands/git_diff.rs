//! `korpsmonitor git-diff-driver`: the external diff command git calls for
//! an edition's YAML files (see docs/reviewing.md). The arguments are read
//! by [`crate::app::diff_driver::DriverCall`] (git's forms: `git help git`,
//! GIT_EXTERNAL_DIFF); this prints what
//! [`crate::app::diff_driver::driver_output`] gives for them.
//!
//! git stops the whole diff when the command exits non-zero, so this
//! always exits 0: even a panic is caught and becomes a note.

use std::io::{IsTerminal, Write};

use crate::app::diff_driver::{self, DriverBody, DriverCall, DriverOutput};
use crate::cli::GitDiffArgs;
use crate::commands::RunError;
use crate::figures::diff::{self, Style};

/// Runs the driver on git's arguments and prints the notes and the diff.
/// Never returns an error.
pub fn run(args: &GitDiffArgs) -> Result<(), RunError> {
    let style = if std::io::stdout().is_terminal() {
        Style::Colour
    } else {
        Style::Plain
    };
    let call = DriverCall::from_args(&args.args);
    let text =
        std::panic::catch_unwind(|| render(&call, &diff_driver::driver_output(&call), style))
            .unwrap_or_else(|_| {
                "note: korpsmonitor git-diff-driver failed on this file; \
             `git diff --no-ext-diff` shows its lines\n"
                    .to_string()
            });
    // A closed pipe or a full disk is no reason to stop git either.
    let _ = std::io::stdout().lock().write_all(text.as_bytes());
    Ok(())
}

/// The notes, one a line, then the body; a semantic diff without changes
/// names its file.
fn render(call: &DriverCall, out: &DriverOutput, style: Style) -> String {
    let mut text = String::new();
    for note in &out.notes {
        text.push_str(note);
        text.push('\n');
    }
    match &out.body {
        DriverBody::Nothing => {}
        DriverBody::Text(t) => text.push_str(t),
        DriverBody::Semantic(d) if d.is_empty() => {
            let path = match call {
                DriverCall::Pair { path, new_path, .. } => new_path.as_deref().unwrap_or(path),
                _ => "",
            };
            text.push_str(&format!(
                "{}: no semantic changes\n",
                crate::base::term::clean(path)
            ));
        }
        DriverBody::Semantic(d) => text.push_str(&diff::render(d, style)),
    }
    text
}
