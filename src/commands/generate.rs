//! `korpsmonitor generate`: writes a valid synthetic edition of any size
//! ([`crate::data::generate::editions`]) into a new folder; with `--previous`
//! also its previous edition into the sibling folder `<DIR>-previous`;
//! with `--chain`, a chain of editions ([`crate::data::generate::chain`]).

use std::path::{Path, PathBuf};

use crate::base::output::write_atomic;
use crate::cli::GenerateArgs;
use crate::commands::RunError;
use crate::data::generate::Options;

/// Files to write: paths relative to a folder, with their text.
type Files = Vec<(PathBuf, String)>;

/// Runs `generate`.
pub fn run(args: &GenerateArgs) -> Result<(), RunError> {
    if !(1..=crate::data::load::MAX_UNITS).contains(&args.units) {
        return Err(RunError::Usage(format!(
            "--units is {}, expected 1 to {}",
            args.units,
            crate::data::load::MAX_UNITS
        )));
    }
    let previous = if args.previous {
        Some(previous_folder(&args.dir)?)
    } else {
        None
    };
    // Each folder with the files to write below it.
    let sets: Vec<(PathBuf, Files)> = match args.chain {
        Some(n) => vec![(
            args.dir.clone(),
            crate::data::generate::chain(args.units, n, args.letters)?,
        )],
        None => {
            let editions = crate::data::generate::editions(&Options {
                units: args.units,
                previous: previous.as_ref().map(|(_, link)| link.clone()),
                letters: args.letters,
            })?;
            let mut sets = Vec::new();
            if let (Some((dir, _)), Some(files)) = (&previous, editions.previous) {
                sets.push((dir.clone(), files));
            }
            sets.push((args.dir.clone(), editions.edition));
            sets
        }
    };
    // Never over an edition already there (of the chain's folders and the
    // previous edition's too).
    for (dir, files) in &sets {
        refuse_editions(dir, files)?;
    }
    for (dir, files) in &sets {
        write(dir, files)?;
    }
    let shown = args.dir.display().to_string();
    let dir = crate::base::term::clean(&shown);
    match args.chain {
        Some(n) => println!(
            "wrote a synthetic chain of {n} editions with {} units each to {dir}; the newest is {}",
            args.units,
            crate::base::term::clean(
                &args
                    .dir
                    .join(crate::data::generate::LAST_YEAR.to_string())
                    .display()
                    .to_string()
            )
        ),
        None => println!(
            "wrote a synthetic edition with {} units to {dir}",
            args.units
        ),
    }
    if let Some((prev, _)) = &previous {
        println!(
            "wrote its previous edition to {}",
            crate::base::term::clean(&prev.display().to_string())
        );
    }
    Ok(())
}

/// The previous edition's folder, `<dir>-previous` beside `dir`, and the
/// path `previous:` names it by (`../<name>-previous`).
fn previous_folder(dir: &Path) -> Result<(PathBuf, String), RunError> {
    let name = dir
        .file_name()
        .and_then(|n| n.to_str())
        .filter(|n| *n != "." && *n != "..")
        .ok_or_else(|| {
            RunError::Usage(format!(
                "--previous needs a folder with a name in UTF-8 to put the previous edition beside, found {}",
                crate::base::term::clean(&dir.display().to_string())
            ))
        })?;
    let sibling = format!("{name}-previous");
    Ok((dir.with_file_name(&sibling), format!("../{sibling}")))
}

/// Refuses to write `files` into `dir` when a folder of theirs already
/// holds an edition.
fn refuse_editions(dir: &Path, files: &Files) -> Result<(), RunError> {
    let taken = files
        .iter()
        .filter(|(rel, _)| rel.ends_with("edition.yaml"))
        .map(|(rel, _)| dir.join(rel))
        .find(|p| std::fs::symlink_metadata(p).is_ok());
    match taken {
        Some(p) => Err(RunError::Usage(format!(
            "{} already holds an edition; choose an empty folder",
            p.parent().unwrap_or(dir).display()
        ))),
        None => Ok(()),
    }
}

/// Writes `files` (paths relative to `dir`) into `dir`, creating the
/// folder of each edition and its units folder.
fn write(dir: &Path, files: &Files) -> Result<(), RunError> {
    for (rel, _) in files
        .iter()
        .filter(|(rel, _)| rel.ends_with("edition.yaml"))
    {
        let folder = dir.join(rel.parent().unwrap_or(Path::new("")));
        // The units folder is written into, never through a link.
        crate::base::output::create_folder(dir, &folder.join("units"))
            .map_err(|e| RunError::Other(format!("cannot write the edition: {e}")))?;
    }
    for (rel, text) in files {
        let path = dir.join(rel);
        write_atomic(&path, text.as_bytes())
            .map_err(|e| RunError::Other(format!("cannot write {}: {e}", path.display())))?;
    }
    Ok(())
}
