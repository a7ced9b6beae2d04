//! `korpsmonitor fmt`: rewrite an edition's YAML files into the canonical
//! form of [`crate::data::canonical`], or with `--check` only name the files not
//! in it. A file is rewritten only when its canonical form reads back to
//! the same data, and keeps its mode; links are never followed or replaced.

use crate::base::input;
use crate::base::output::replace_keeping_mode;
use crate::cli::FmtArgs;
use crate::commands::RunError;
use crate::data::canonical;

/// Runs `fmt`.
pub fn run(args: &FmtArgs) -> Result<(), RunError> {
    if !args.edition.is_dir() || !input::exists(&args.edition, &args.edition.join("edition.yaml")) {
        return Err(RunError::Usage(format!(
            "{} has no edition.yaml; expected an edition folder such as data/2010",
            args.edition.display()
        )));
    }
    // Temporary files of an earlier fmt that was killed.
    if !args.check {
        canonical::remove_stale_temps(&args.edition);
    }
    let canonical::Edition {
        canonical,
        changed,
        problems,
        sources,
    } = canonical::edition(&args.edition);
    if args.check {
        for (path, _) in &changed {
            println!(
                "not canonical: {}",
                crate::base::term::clean(&path.display().to_string())
            );
        }
    } else {
        for (path, new) in &changed {
            replace_keeping_mode(path, new.as_bytes())
                .map_err(|e| RunError::Other(format!("cannot write {}: {e}", path.display())))?;
            println!(
                "formatted {}",
                crate::base::term::clean(&path.display().to_string())
            );
        }
    }
    println!(
        "{canonical} file{} already canonical",
        if canonical == 1 { "" } else { "s" }
    );
    if !problems.is_empty() {
        return Err(RunError::data(problems, sources));
    }
    if args.check && !changed.is_empty() {
        return Err(RunError::Other(format!(
            "{} file{} not canonical; run `korpsmonitor fmt {}`",
            changed.len(),
            if changed.len() == 1 { " is" } else { "s are" },
            args.edition.display()
        )));
    }
    Ok(())
}
