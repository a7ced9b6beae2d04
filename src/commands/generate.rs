//! `korpsmonitor generate`: writes a valid synthetic edition of any size
//! ([`crate::generate::edition`]) into a new folder.

use crate::cli::GenerateArgs;
use crate::commands::RunError;
use crate::output::write_atomic;

/// Runs `generate`.
pub fn run(args: &GenerateArgs) -> Result<(), RunError> {
    if !(1..=crate::load::MAX_UNITS).contains(&args.units) {
        return Err(RunError::Usage(format!(
            "--units is {}, expected 1 to {}",
            args.units,
            crate::load::MAX_UNITS
        )));
    }
    let (files, newest) = match args.chain {
        Some(n) => (
            crate::generate::chain(args.units, n)?,
            args.dir.join(crate::generate::LAST_YEAR.to_string()),
        ),
        None => (crate::generate::edition(args.units)?, args.dir.clone()),
    };
    // Never over an edition already there (of the chain's folders too).
    let taken = files
        .iter()
        .filter(|(rel, _)| rel.ends_with("edition.yaml"))
        .map(|(rel, _)| args.dir.join(rel))
        .find(|p| std::fs::symlink_metadata(p).is_ok());
    if let Some(p) = taken {
        return Err(RunError::Usage(format!(
            "{} already holds an edition; choose an empty folder",
            p.parent().unwrap_or(&args.dir).display()
        )));
    }
    for (rel, _) in files
        .iter()
        .filter(|(rel, _)| rel.ends_with("edition.yaml"))
    {
        let folder = args
            .dir
            .join(rel.parent().unwrap_or(std::path::Path::new("")));
        // The units folder is written into, never through a link.
        crate::output::create_folder(&args.dir, &folder.join("units"))
            .map_err(|e| RunError::Other(format!("cannot write the edition: {e}")))?;
    }
    for (rel, text) in files {
        let path = args.dir.join(rel);
        write_atomic(&path, text.as_bytes())
            .map_err(|e| RunError::Other(format!("cannot write {}: {e}", path.display())))?;
    }
    match args.chain {
        Some(n) => println!(
            "wrote a synthetic chain of {n} editions with {} units each to {}; the newest is {}",
            args.units,
            crate::term::clean(&args.dir.display().to_string()),
            crate::term::clean(&newest.display().to_string())
        ),
        None => println!(
            "wrote a synthetic edition with {} units to {}",
            args.units,
            crate::term::clean(&args.dir.display().to_string())
        ),
    }
    Ok(())
}
