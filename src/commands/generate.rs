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
    if std::fs::symlink_metadata(args.dir.join("edition.yaml")).is_ok() {
        return Err(RunError::Usage(format!(
            "{} already holds an edition; choose an empty folder",
            args.dir.display()
        )));
    }
    let files = crate::generate::edition(args.units)?;
    // The units folder is written into, never through a link.
    crate::output::create_folder(&args.dir, &args.dir.join("units"))
        .map_err(|e| RunError::Other(format!("cannot write the edition: {e}")))?;
    for (rel, text) in files {
        let path = args.dir.join(rel);
        write_atomic(&path, text.as_bytes())
            .map_err(|e| RunError::Other(format!("cannot write {}: {e}", path.display())))?;
    }
    println!(
        "wrote a synthetic edition with {} units to {}",
        args.units,
        crate::term::clean(&args.dir.display().to_string())
    );
    Ok(())
}
