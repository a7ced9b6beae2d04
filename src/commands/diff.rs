//! `korpsmonitor diff`: the semantic diff of two editions, or of one
//! edition at a git revision against the working tree.

use std::io::IsTerminal;
use std::path::{Component, Path, PathBuf};
use std::process::Command;

use crate::cli::{DiffArgs, DiffFormat};
use crate::commands::{RunError, load_checked};
use crate::diff::{self, Style};
use crate::output::write_atomic;
use crate::score;

/// Runs `diff`.
pub fn run(args: &DiffArgs) -> Result<(), RunError> {
    let (old_dir, new_dir, labels, _keep) = match (&args.new, &args.rev) {
        (Some(_), Some(_)) => {
            return Err(RunError::Usage("give either NEW or --rev, not both".into()));
        }
        (Some(new), None) => (
            args.old.clone(),
            new.clone(),
            (args.old.display().to_string(), new.display().to_string()),
            None,
        ),
        (None, Some(rev)) => {
            let (tmp, dir) = checkout(&args.old, rev)?;
            (
                dir,
                args.old.clone(),
                (
                    format!("{} at {rev}", args.old.display()),
                    format!("{} (working tree)", args.old.display()),
                ),
                Some(tmp),
            )
        }
        (None, None) => {
            return Err(RunError::Usage(
                "give two edition folders, or one with --rev REV".into(),
            ));
        }
    };
    let old = load_checked(&old_dir)?;
    let new = load_checked(&new_dir)?;
    let (old_s, new_s) = (score::score(&old.edition), score::score(&new.edition));
    let d = diff::diff(
        (&old.edition, &old_s),
        (&new.edition, &new_s),
        (&labels.0, &labels.1),
    );
    let out = match args.format {
        DiffFormat::Json => {
            serde_json::to_string_pretty(&d).map_err(|e| RunError::Other(e.to_string()))? + "\n"
        }
        DiffFormat::Markdown => diff::render(&d, Style::Markdown),
        DiffFormat::Text => diff::render(
            &d,
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

fn git(dir: &Path, args: &[&str]) -> Result<Vec<u8>, RunError> {
    let out = Command::new("git")
        .arg("-C")
        .arg(dir)
        .args(args)
        .output()
        .map_err(|e| RunError::Usage(format!("cannot run git: {e}")))?;
    if !out.status.success() {
        return Err(RunError::Usage(format!(
            "git {} failed: {}",
            args.join(" "),
            String::from_utf8_lossy(&out.stderr).trim()
        )));
    }
    Ok(out.stdout)
}

/// `a/b/../c` as `a/c`, without touching the file system.
fn normalise(p: &Path) -> PathBuf {
    let mut out = PathBuf::new();
    for c in p.components() {
        match c {
            Component::ParentDir => {
                out.pop();
            }
            Component::CurDir => {}
            other => out.push(other),
        }
    }
    out
}

/// Writes the edition folder (and its previous edition) as they were at
/// `rev` into a temporary folder; returns it and the edition's path in it.
pub(crate) fn checkout(
    edition: &Path,
    rev: &str,
) -> Result<(tempfile::TempDir, PathBuf), RunError> {
    let dir = std::fs::canonicalize(edition)
        .map_err(|e| RunError::Usage(format!("{}: {e}", edition.display())))?;
    let top = String::from_utf8_lossy(&git(&dir, &["rev-parse", "--show-toplevel"])?)
        .trim()
        .to_string();
    let top = PathBuf::from(top);
    let rel = dir
        .strip_prefix(&top)
        .map_err(|_| {
            RunError::Usage(format!(
                "{} is not inside the git repository",
                edition.display()
            ))
        })?
        .to_path_buf();
    let tmp = tempfile::tempdir().map_err(|e| RunError::Other(e.to_string()))?;
    let mut folders = vec![rel.clone()];
    let edition_yaml = rel.join("edition.yaml");
    let spec = format!("{rev}:{}", edition_yaml.display());
    let text = git(&top, &["show", &spec])?;
    if let Ok(v) = serde_yaml::from_slice::<serde_yaml::Value>(&text)
        && let Some(prev) = v.get("previous").and_then(|p| p.as_str())
    {
        folders.push(normalise(&rel.join(prev)));
    }
    for folder in folders {
        let listing = git(
            &top,
            &[
                "ls-tree",
                "-r",
                "--name-only",
                rev,
                "--",
                &format!("{}/", folder.display()),
            ],
        )?;
        for file in String::from_utf8_lossy(&listing).lines() {
            let bytes = git(&top, &["show", &format!("{rev}:{file}")])?;
            let Some(safe) = crate::load::safe_relative(file) else {
                continue;
            };
            write_atomic(&tmp.path().join(safe), &bytes)
                .map_err(|e| RunError::Other(format!("cannot write {file}: {e}")))?;
        }
    }
    let edition_dir = tmp.path().join(&rel);
    Ok((tmp, edition_dir))
}
