//! Git: editions as they were at a revision, checked out into a temporary
//! folder, and the revisions the command line names. The diff driver git
//! calls for an edition's YAML files is [`crate::app::diff_driver`].
//!
//! Every revision from the command line is checked ([`check_revision`]),
//! resolved to a commit id once and passed after `--end-of-options`, so
//! that git never reads it as an option.

use std::path::{Component, Path, PathBuf};
use std::process::Command;

use crate::app::check::{Checks, load_check_score};
use crate::base::error::RunError;
use crate::data::chain;
use crate::figures::scored::ScoredEdition;

/// The edition in `edition` as it was at `rev`, loaded, checked and scored
/// ([`checkout`], [`load_revision`]), and the temporary folder holding the
/// copy, which is removed when it is dropped.
pub fn load_at_revision(
    edition: &Path,
    rev: &str,
) -> Result<(ScoredEdition, tempfile::TempDir), RunError> {
    let (tmp, dir) = checkout(edition, rev)?;
    let old = load_revision(&tmp, &dir, rev)?;
    Ok((old, tmp))
}

/// The folder `edition` made absolute, the top of its repository, and the
/// commit id `rev` names there, `rev` checked first ([`check_revision`]).
///
/// Errors: `edition` cannot be found, is in no repository, or `rev`
/// names no commit.
fn at_revision(edition: &Path, rev: &str) -> Result<(PathBuf, String, String), RunError> {
    check_revision(rev)?;
    let dir = std::fs::canonicalize(edition)
        .map_err(|e| RunError::Usage(format!("{}: {e}", edition.display())))?;
    let top = String::from_utf8_lossy(&git(&dir, &["rev-parse", "--show-toplevel"])?)
        .trim()
        .to_string();
    let commit = resolve_commit(&dir, rev, &top)?;
    Ok((dir, top, commit))
}

/// The date of the commit `rev` names, in the repository of `edition`,
/// as year, month and day (the committer's date).
///
/// Errors: git cannot run, or `rev` names no commit.
pub fn revision_date(edition: &Path, rev: &str) -> Result<(i32, u32, u32), RunError> {
    let (dir, _, commit) = at_revision(edition, rev)?;
    let out = git(&dir, &["log", "-1", "--format=%cs", &commit, "--"])?;
    let text = String::from_utf8_lossy(&out);
    let mut parts = text.trim().split('-').map(|p| p.parse::<u32>().ok());
    match (parts.next(), parts.next(), parts.next()) {
        (Some(Some(y)), Some(Some(m)), Some(Some(d))) => Ok((y as i32, m, d)),
        _ => Err(RunError::Other(format!(
            "git gave no date for {rev}: {:?}",
            text.trim()
        ))),
    }
}

/// The `.gitattributes` lines that send an edition's YAML files, at any
/// depth of a repository, to the semantic diff driver.
pub const ATTRIBUTES: &[&str] = &[
    "**/units/*.yaml diff=korpsmonitor",
    "**/units/*.yml diff=korpsmonitor",
    "**/edition.yaml diff=korpsmonitor",
    "**/recommendations.yaml diff=korpsmonitor",
    "**/letter.yaml diff=korpsmonitor",
    "**/chapters/*.txt diff=korpsmonitor",
];

/// Makes `git diff` (and `git log -p --ext-diff`, `git show --ext-diff`)
/// show the semantic diff of the editions in the repository holding `dir`:
/// adds the missing [`ATTRIBUTES`] to the `.gitattributes` at its top (a
/// data-only repository included) and sets `diff.korpsmonitor.command` in
/// its local config to this program's `git-diff-driver`. Running it again
/// changes nothing. Returns what it did, a line each.
///
/// Errors: `dir` is not in a git repository, git cannot run, or
/// `.gitattributes` is a link or cannot be written.
pub fn setup(dir: &Path) -> Result<Vec<String>, RunError> {
    let top = PathBuf::from(
        String::from_utf8_lossy(&git(dir, &["rev-parse", "--show-toplevel"])?)
            .trim()
            .to_string(),
    );
    let mut done = Vec::new();
    let path = top.join(".gitattributes");
    let text = match std::fs::symlink_metadata(&path) {
        Ok(m) if !m.is_file() => {
            return Err(RunError::Usage(format!(
                "{} is not a plain file; expected a file to add to",
                path.display()
            )));
        }
        Ok(_) => std::fs::read_to_string(&path)
            .map_err(|e| RunError::Usage(format!("{}: {e}", path.display())))?,
        Err(_) => String::new(),
    };
    let missing: Vec<&str> = ATTRIBUTES
        .iter()
        .copied()
        .filter(|l| !text.lines().any(|t| t.trim() == *l))
        .collect();
    if missing.is_empty() {
        done.push(format!(
            "{} already sends the editions' YAML files to the driver",
            path.display()
        ));
    } else {
        let mut new = text.clone();
        if !new.is_empty() && !new.ends_with('\n') {
            new.push('\n');
        }
        new.push_str("# The semantic diff of the editions' YAML files (korpsmonitor git-setup).\n");
        for l in &missing {
            new.push_str(l);
            new.push('\n');
        }
        crate::base::output::replace_keeping_mode(&path, new.as_bytes())
            .map_err(|e| RunError::Other(format!("cannot write {}: {e}", path.display())))?;
        done.push(format!(
            "added {} line(s) to {}",
            missing.len(),
            path.display()
        ));
    }
    let exe = std::env::current_exe()
        .map_err(|e| RunError::Other(format!("cannot find this program: {e}")))?;
    // Git runs the command through the shell: the path is quoted.
    let quoted = format!("'{}'", exe.display().to_string().replace('\'', "'\\''"));
    let command = format!("{quoted} git-diff-driver");
    git(
        &top,
        &["config", "--local", "diff.korpsmonitor.command", &command],
    )?;
    done.push(format!("set diff.korpsmonitor.command to {command}"));
    done.push(
        "`git diff` now shows the semantic diff; add --ext-diff to `git log -p` and `git show`"
            .into(),
    );
    Ok(done)
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

/// The contents of the objects `specs` name (object ids, or
/// `<commit>:<path>`), in order, read by one `git cat-file --batch` in
/// `dir`. Fails when git cannot run or an object is missing or not a file.
fn cat_files(dir: &Path, specs: &[String]) -> Result<Vec<Vec<u8>>, RunError> {
    use std::io::{Read, Write};
    use std::process::Stdio;
    let failed = |what: String| RunError::Usage(format!("git cat-file failed: {what}"));
    let mut child = Command::new("git")
        .arg("-C")
        .arg(dir)
        .args(["cat-file", "--batch"])
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        // Never read: a pipe could fill up and stop git. A missing
        // object is answered on standard output.
        .stderr(Stdio::null())
        .spawn()
        .map_err(|e| RunError::Usage(format!("cannot run git: {e}")))?;
    let mut stdin = child
        .stdin
        .take()
        .ok_or_else(|| failed("no input".into()))?;
    let input: String = specs.iter().map(|s| format!("{s}\n")).collect();
    // Written on a thread while the answers are read: git answers as it
    // reads, and both pipes would fill up otherwise.
    let writer = std::thread::spawn(move || stdin.write_all(input.as_bytes()));
    let mut out = Vec::new();
    child
        .stdout
        .take()
        .ok_or_else(|| failed("no output".into()))?
        .read_to_end(&mut out)
        .map_err(|e| failed(e.to_string()))?;
    let status = child.wait().map_err(|e| failed(e.to_string()))?;
    let written = writer
        .join()
        .map_err(|_| failed("writing the names".into()))?;
    written.map_err(|e| failed(e.to_string()))?;
    if !status.success() {
        return Err(failed(format!("exit status {status}")));
    }
    let mut rest = out.as_slice();
    let mut blobs = Vec::with_capacity(specs.len());
    for spec in specs {
        // "<object> blob <size>\n<contents>\n", or "<name> missing\n".
        let end = rest
            .iter()
            .position(|&b| b == b'\n')
            .ok_or_else(|| failed(format!("no answer for {spec}")))?;
        let header = String::from_utf8_lossy(&rest[..end]).to_string();
        let mut words = header.split(' ');
        let (kind, size) = (words.nth(1), words.next());
        let size: usize = match (kind, size) {
            (Some("blob"), Some(n)) => {
                n.parse().map_err(|_| failed(format!("{spec}: {header}")))?
            }
            _ => return Err(failed(format!("{spec}: {header}"))),
        };
        let body = rest
            .get(end + 1..end + 1 + size)
            .ok_or_else(|| failed(format!("{spec}: cut short")))?;
        blobs.push(body.to_vec());
        rest = rest.get(end + 2 + size..).unwrap_or_default();
    }
    Ok(blobs)
}

/// Loads, checks and scores the copy of an edition at `rev` (made by
/// [`checkout`] in `tmp`). Problems in the revision's files are named as git names them
/// (`HEAD~1:data/2010/edition.yaml`), not by the temporary copy, which is
/// gone when the message is read.
pub fn load_revision(
    tmp: &tempfile::TempDir,
    dir: &Path,
    rev: &str,
) -> Result<ScoredEdition, RunError> {
    let checked = load_check_score(dir, Checks::Data).map_err(|e| match e {
        RunError::Data(text) => {
            RunError::Data(text.replace(&format!("{}/", tmp.path().display()), &format!("{rev}:")))
        }
        e => e,
    })?;
    Ok(checked.edition)
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
            crate::base::term::clean(rev)
        ))),
        None => Ok(()),
    }
}

/// Writes the edition folder (and the earlier editions of its chain) as they were at
/// `rev` into a temporary folder; returns it and the edition's path in it.
/// `rev` is checked ([`check_revision`]), resolved to a commit id once and
/// always passed after `--end-of-options`.
pub fn checkout(edition: &Path, rev: &str) -> Result<(tempfile::TempDir, PathBuf), RunError> {
    let (dir, top, commit) = at_revision(edition, rev)?;
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
    let folders = chain_at(&top, rev, asked, &rel)?;
    let (files, specs) = list_files(&top, rev, &folders)?;
    // One git process reads every file (a process per file took seconds
    // for a 1,000-unit edition).
    let blobs = cat_files(&top, &specs)?;
    for (file, bytes) in files.iter().zip(blobs) {
        let Some(safe) = crate::base::input::safe_relative(file) else {
            continue;
        };
        // A private temporary folder, gone after the build: written
        // plainly, not synced like an output.
        let path = tmp.path().join(safe);
        path.parent()
            .map(std::fs::create_dir_all)
            .transpose()
            .and_then(|_| std::fs::write(&path, &bytes))
            .map_err(|e| RunError::Other(format!("cannot write {file}: {e}")))?;
    }
    let edition_dir = tmp.path().join(&rel);
    Ok((tmp, edition_dir))
}

/// The commit id `rev` names in the repository of `dir` (whose top is
/// `top`).
///
/// Errors: a usage error when `rev` names no commit.
fn resolve_commit(dir: &Path, rev: &str, top: &str) -> Result<String, RunError> {
    // `--verify --quiet` fails without a word for a name that resolves to
    // no commit: that is the user's revision, not a git failure.
    let commit = git(
        dir,
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
    Ok(commit)
}

/// The folders below `top` of the edition `rel` and every earlier one its
/// `previous:` links reach at commit `rev` (`asked` as the user wrote it).
///
/// Errors: the edition's own `edition.yaml` cannot be read at `rev`, or a
/// `previous:` leads outside the repository.
fn chain_at(top: &Path, rev: &str, asked: &str, rel: &Path) -> Result<Vec<PathBuf>, RunError> {
    // The edition and every earlier one its `previous:` links reach (the
    // loader reads the whole chain); a loop or an overlong chain stops here
    // and is reported by the loader, with its line, on the copy.
    chain::walk(
        rel.to_path_buf(),
        |folder| folder.clone(),
        |folder| -> Result<Option<PathBuf>, RunError> {
            let edition_yaml = folder.join("edition.yaml");
            let spec = format!("{rev}:{}", edition_yaml.display());
            let text = match git(top, &["show", "--end-of-options", &spec]) {
                Ok(text) => text,
                // The edition itself must be there at `rev`; a missing
                // earlier one is reported by the loader on the copy.
                Err(e) if folder == rel => return Err(e),
                Err(_) => return Ok(None),
            };
            let Ok(v) = crate::data::load::parse_yaml::<serde_yaml::Value>(
                Path::new(&spec),
                &String::from_utf8_lossy(&text),
            ) else {
                return Ok(None);
            };
            let Some(prev) = v.get("previous").and_then(|p| p.as_str()) else {
                return Ok(None);
            };
            // The copy lies in the shared temporary folder: a previous
            // edition outside the repository (an absolute path, or `..`
            // above its top) would be looked for there, where anyone can
            // put one.
            match inside(&folder.join(prev)) {
                Some(next) => Ok(Some(next)),
                None => Err(RunError::Usage(format!(
                    "{asked}:{} names the previous edition {prev:?}, outside the repository; expected a folder of the repository, e.g. `../2008`",
                    edition_yaml.display()
                ))),
            }
        },
    )
}

/// Every file of `folders` at commit `rev`, as paths below `top` and the
/// object ids to read them by.
fn list_files(
    top: &Path,
    rev: &str,
    folders: &[PathBuf],
) -> Result<(Vec<String>, Vec<String>), RunError> {
    // (path, object id) of every file: the blobs are then asked for by id;
    // asked for by `<rev>:<path>`, git read the folder's tree again for
    // each file, which grew with the square of the units.
    let mut files = Vec::new();
    let mut specs = Vec::new();
    for folder in folders {
        let listing = git(
            top,
            &[
                "ls-tree",
                "-r",
                "-z",
                "--end-of-options",
                rev,
                "--",
                &format!("{}/", folder.display()),
            ],
        )?;
        let listing = String::from_utf8_lossy(&listing);
        // "<mode> <type> <object>\t<path>"; submodules (type commit) are
        // no files of an edition.
        for entry in listing.split('\0').filter(|e| !e.is_empty()) {
            let Some((meta, path)) = entry.split_once('\t') else {
                continue;
            };
            let mut words = meta.split(' ');
            if let (Some(_), Some("blob"), Some(id)) = (words.next(), words.next(), words.next()) {
                files.push(path.to_string());
                specs.push(id.to_string());
            }
        }
    }
    Ok((files, specs))
}
