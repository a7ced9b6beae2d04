//! `korpsmonitor new`: starts the next edition from the previous one
//! ([`crate::data::next`]), writes it as one new folder (all or nothing,
//! never over an existing one) and prints what is left to do.

use std::path::{Component, Path, PathBuf};

use crate::app::check::{Checks, load_check_score};
use crate::base::output::write_new_folder;
use crate::base::term::clean;
use crate::cli::NewArgs;
use crate::commands::RunError;
use crate::data::next::{YEARS_BETWEEN, next_edition};

/// Runs `new`.
pub fn run(args: &NewArgs) -> Result<(), RunError> {
    let shown = |p: &Path| clean(&p.display().to_string()).into_owned();
    if std::fs::symlink_metadata(&args.dir).is_ok() {
        return Err(RunError::Usage(format!(
            "{} exists; `new` writes a new edition folder and never overwrites one: choose a folder that does not exist yet",
            shown(&args.dir)
        )));
    }
    // The previous edition must load cleanly: its errors are named now,
    // not in the new edition.
    let checked = load_check_score(&args.from, Checks::Data)?;
    let previous = checked.edition.source();
    let link = relative_link(&args.dir, &args.from)?;
    let next = next_edition(previous, &link).map_err(RunError::Other)?;
    let files: Vec<(PathBuf, Vec<u8>)> = next
        .files
        .iter()
        .map(|(path, text)| (path.clone(), text.clone().into_bytes()))
        .collect();
    write_new_folder(&args.dir, &files)
        .map_err(|e| RunError::Other(format!("cannot write {}: {e}", shown(&args.dir))))?;
    let before = previous.edition.value.year;
    let dir = shown(&args.dir);
    println!(
        "wrote {dir}: the {} edition after {} ({} units{}{}{})",
        next.year,
        shown(&args.from),
        next.units,
        if previous.letter.is_some() {
            ", letter"
        } else {
            ""
        },
        if previous.recommendations.is_some() {
            ", recommendations"
        } else {
            ""
        },
        match previous.chapters.len() {
            0 => String::new(),
            1 => ", 1 chapter".into(),
            n => format!(", {n} chapters"),
        }
    );
    println!(
        "moved on {YEARS_BETWEEN} years: the year, title, period and keywords, the dates and the parliamentary year; status: concept"
    );
    println!("to do (`korpsmonitor check {dir}` lists each one until it is done):");
    println!(
        "- the findings, points, recommendations and key figures of the {} units: they are {before}'s",
        next.units
    );
    if previous.recommendations.is_some() {
        println!("- the general recommendations: they are {before}'s");
    }
    if previous.letter.is_some() {
        println!(
            "- letter.yaml: its text, kenmerk and kamerstuk number are {before}'s; check its dates"
        );
    }
    for c in &previous.chapters {
        if let Some(ch) = previous
            .edition
            .value
            .chapters
            .iter()
            .find(|ch| ch.id == c.id)
        {
            println!("- {}: a draft, {before}'s text", clean(&ch.file));
        }
    }
    println!("- edition.yaml: check the date, and set `status: definitief` when it is done");
    Ok(())
}

/// The folder `from` as `dir` (a folder still to be made) names it:
/// relative, with `/` between the parts, e.g. `../2012`.
///
/// Errors: `from` cannot be resolved.
fn relative_link(dir: &Path, from: &Path) -> Result<String, RunError> {
    let from = std::fs::canonicalize(from)
        .map_err(|e| RunError::Usage(format!("{}: {e}", from.display())))?;
    let parent = match dir.parent() {
        Some(p) if !p.as_os_str().is_empty() => p.to_path_buf(),
        _ => PathBuf::from("."),
    };
    let parent = std::fs::canonicalize(&parent).unwrap_or_else(|_| {
        std::env::current_dir()
            .map(|cwd| lexical(&cwd.join(&parent)))
            .unwrap_or(parent)
    });
    let name = dir.file_name().map(PathBuf::from).unwrap_or_default();
    let new_dir = parent.join(name);
    let here: Vec<Component> = new_dir.components().collect();
    let there: Vec<Component> = from.components().collect();
    let common = here.iter().zip(&there).take_while(|(a, b)| a == b).count();
    let mut parts: Vec<String> = vec!["..".into(); here.len() - common];
    parts.extend(
        there[common..]
            .iter()
            .map(|c| c.as_os_str().to_string_lossy().into_owned()),
    );
    Ok(parts.join("/"))
}

/// `path` with `.` and `..` resolved without the file system.
fn lexical(path: &Path) -> PathBuf {
    let mut out = PathBuf::new();
    for c in path.components() {
        match c {
            Component::CurDir => {}
            Component::ParentDir => {
                out.pop();
            }
            other => out.push(other),
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_link_is_relative_to_the_new_folder() {
        let root = tempfile::tempdir().unwrap();
        let data = root.path().join("data");
        std::fs::create_dir_all(data.join("2012")).unwrap();
        let link = relative_link(&data.join("2014"), &data.join("2012")).unwrap();
        assert_eq!(link, "../2012");
        let link = relative_link(&root.path().join("werk/2014"), &data.join("2012")).unwrap();
        assert_eq!(link, "../../data/2012");
        assert_eq!(lexical(Path::new("/a/b/../c/./d")), PathBuf::from("/a/c/d"));
    }
}
