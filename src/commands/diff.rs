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
            check_revision(rev)?;
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
    let old = match (&_keep, &args.rev) {
        (Some(tmp), Some(rev)) => load_revision(tmp, &old_dir, rev)?,
        _ => load_checked(&old_dir)?,
    };
    let new = load_checked(&new_dir)?;
    let (old_s, new_s) = (score::score(&old.edition), score::score(&new.edition));
    let mut d = diff::diff(
        (&old.edition, &old_s),
        (&new.edition, &new_s),
        (&labels.0, &labels.1),
    );
    // Two versions of one edition (a revision, or a copy of the same year):
    // every changed field counts. Across years only the semantic changes.
    if args.rev.is_some() || old.edition.edition.value.year == new.edition.edition.value.year {
        diff::add_fields(&mut d, &old.edition, &new.edition);
    }
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

/// Loads and checks the copy of an edition at `rev` (made by [`checkout`]
/// in `tmp`). Problems in the revision's files are named as git names them
/// (`HEAD~1:data/2010/edition.yaml`), not by the temporary copy, which is
/// gone when the message is read.
pub fn load_revision(
    tmp: &tempfile::TempDir,
    dir: &Path,
    rev: &str,
) -> Result<crate::commands::Checked, RunError> {
    load_checked(dir).map_err(|e| match e {
        RunError::Data(text) => {
            RunError::Data(text.replace(&format!("{}/", tmp.path().display()), &format!("{rev}:")))
        }
        e => e,
    })
}

/// `p` normalised, when it is relative and stays inside its starting
/// folder (not empty, no `..` above it).
fn inside(p: &Path) -> Option<PathBuf> {
    if p.is_absolute() {
        return None;
    }
    let mut depth = 0usize;
    for c in p.components() {
        match c {
            Component::ParentDir => depth = depth.checked_sub(1)?,
            Component::Normal(_) => depth += 1,
            Component::CurDir => {}
            _ => return None,
        }
    }
    (depth > 0).then(|| normalise(p))
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

/// Checks a revision given on the command line before git sees it: never
/// an option (a leading `-`, as in `--output=FILE`), never a `rev:path`
/// spec, no control characters, at most 256 bytes.
pub fn check_revision(rev: &str) -> Result<(), RunError> {
    let problem = if rev.is_empty() {
        Some("is empty")
    } else if rev.starts_with('-') {
        Some("starts with `-`, which git would read as an option")
    } else if rev.contains(':') {
        Some("contains `:`")
    } else if rev.chars().any(char::is_control) {
        Some("contains control characters")
    } else if rev.len() > 256 {
        Some("is longer than 256 bytes")
    } else {
        None
    };
    match problem {
        Some(p) => Err(RunError::Usage(format!(
            "the revision {:?} {p}; expected a commit, branch or tag such as HEAD~1 or v2010",
            crate::term::clean(rev)
        ))),
        None => Ok(()),
    }
}

/// Writes the edition folder (and its previous edition) as they were at
/// `rev` into a temporary folder; returns it and the edition's path in it.
/// `rev` is checked ([`check_revision`]), resolved to a commit id once and
/// always passed after `--end-of-options`.
pub(crate) fn checkout(
    edition: &Path,
    rev: &str,
) -> Result<(tempfile::TempDir, PathBuf), RunError> {
    check_revision(rev)?;
    let dir = std::fs::canonicalize(edition)
        .map_err(|e| RunError::Usage(format!("{}: {e}", edition.display())))?;
    let top = String::from_utf8_lossy(&git(&dir, &["rev-parse", "--show-toplevel"])?)
        .trim()
        .to_string();
    // `--verify --quiet` fails without a word for a name that resolves to
    // no commit: that is the user's revision, not a git failure.
    let commit = git(
        &dir,
        &[
            "rev-parse",
            "--verify",
            "--quiet",
            "--end-of-options",
            &format!("{rev}^{{commit}}"),
        ],
    )
    .map(|out| String::from_utf8_lossy(&out).trim().to_string())
    .unwrap_or_default();
    if commit.is_empty() || !commit.chars().all(|c| c.is_ascii_hexdigit()) {
        return Err(RunError::Usage(format!(
            "the revision {rev:?} names no commit of the repository at {}; expected a commit, branch or tag such as HEAD~1 or v2010",
            top
        )));
    }
    let asked = rev;
    let rev = commit.as_str();
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
    let text = git(&top, &["show", "--end-of-options", &spec])?;
    if let Ok(v) = crate::load::parse_yaml::<serde_yaml::Value>(
        Path::new(&spec),
        &String::from_utf8_lossy(&text),
    ) && let Some(prev) = v.get("previous").and_then(|p| p.as_str())
    {
        // The copy lies in the shared temporary folder: a previous edition
        // outside the repository (an absolute path, or `..` above its top)
        // would be looked for there, where anyone can put one.
        let Some(folder) = inside(&rel.join(prev)) else {
            return Err(RunError::Usage(format!(
                "{asked}:{} names the previous edition {prev:?}, outside the repository; expected a folder of the repository, e.g. `../2008`",
                edition_yaml.display()
            )));
        };
        folders.push(folder);
    }
    for folder in folders {
        let listing = git(
            &top,
            &[
                "ls-tree",
                "-r",
                "-z",
                "--name-only",
                "--end-of-options",
                rev,
                "--",
                &format!("{}/", folder.display()),
            ],
        )?;
        let listing = String::from_utf8_lossy(&listing);
        for file in listing.split('\0').filter(|f| !f.is_empty()) {
            let bytes = git(
                &top,
                &["show", "--end-of-options", &format!("{rev}:{file}")],
            )?;
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
