//! `korpsmonitor compare`: the printed pages a change alters, as pictures
//! and an HTML page ([`crate::app::compare`]).

use std::path::Path;

use crate::app::compare::{self, CompareOptions, Versions};
use crate::app::options::DocumentKind;
use crate::cli::{CompareArgs, Compared};
use crate::commands::RunError;

fn is_pdf(path: &Path) -> bool {
    path.extension()
        .is_some_and(|x| x.eq_ignore_ascii_case("pdf"))
}

/// Runs `compare`.
pub fn run(args: &CompareArgs) -> Result<(), RunError> {
    let versions = match (&args.new, &args.rev) {
        (Some(_), Some(_)) => {
            return Err(RunError::Usage("give either NEW or --rev, not both".into()));
        }
        (Some(new), None) if is_pdf(&args.old) && is_pdf(new) => {
            Versions::Pdfs(args.old.clone(), new.clone())
        }
        (Some(new), None) if is_pdf(&args.old) || is_pdf(new) => {
            return Err(RunError::Usage(
                "give two PDF files or two edition folders, not one of each".into(),
            ));
        }
        (Some(new), None) => Versions::Editions(args.old.clone(), new.clone()),
        (None, Some(rev)) => Versions::Revision(args.old.clone(), rev.clone()),
        (None, None) => {
            return Err(RunError::Usage(
                "give two edition folders, or one with --rev REV".into(),
            ));
        }
    };
    if !(0.25..=8.0).contains(&args.scale) {
        return Err(RunError::Usage(format!(
            "--scale {}: expected 0.25 to 8 pixels per point",
            args.scale
        )));
    }
    let done = compare::compare(&CompareOptions {
        versions,
        output: args.output.clone(),
        document: match args.only {
            Compared::Report => DocumentKind::Report,
            Compared::Letter => DocumentKind::Letter,
        },
        pixel_per_pt: args.scale,
    })?;
    let mut parts = vec![format!(
        "{} page{} changed",
        done.changed,
        if done.changed == 1 { "" } else { "s" }
    )];
    if done.added > 0 {
        parts.push(format!("{} added", done.added));
    }
    if done.removed > 0 {
        parts.push(format!("{} removed", done.removed));
    }
    if done.moved > 0 {
        parts.push(format!("{} moved unchanged", done.moved));
    }
    println!(
        "{}: {}",
        parts.join(", "),
        crate::base::term::clean(&done.index.display().to_string())
    );
    Ok(())
}
