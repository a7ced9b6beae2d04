//! Output: files are written atomically, a build's documents as one set,
//! and only what the program wrote itself is ever deleted.
//!
//! Rules (docs/robustness.md, "Writing"):
//! - every file is first written to a temporary file beside its target,
//!   named `.korpsmonitor-tmp-<pid>-<n>-<name>`, flushed to disk and then
//!   renamed into place, so the target is never half-written and a rename
//!   never crosses file systems; a later run removes temporary files whose
//!   process is gone (e.g. after `kill -9`);
//! - new files get the mode a plain file gets under the umask (0644 under
//!   022), new folders likewise; [`replace_keeping_mode`] keeps a file's mode;
//! - a symbolic link is never written through or replaced, and folders the
//!   program creates below an output root must not be links;
//! - [`write_set`] writes several files all or none: every temporary file is
//!   written before the first rename, and a failing rename puts the previous
//!   files back;
//! - [`Manifest`] records what a build wrote, so that it deletes only its
//!   own files;
//! - a build's renames are journaled ([`SWITCH`]): a build killed between
//!   its first and its last rename leaves the journal, and the next build
//!   into that folder first completes the switch ([`complete_switch`]).

use std::collections::{BTreeMap, BTreeSet, HashMap};
use std::fs::{self, OpenOptions};
use std::io::{self, Write};
use std::path::{Component, Path, PathBuf};
use std::sync::atomic::{AtomicU64, AtomicUsize, Ordering};

/// The name prefix of every temporary file the program writes.
pub const TMP_PREFIX: &str = ".korpsmonitor-tmp-";
/// The file in `output/<year>/` that lists what builds wrote there.
pub const MANIFEST: &str = ".korpsmonitor-manifest";

/// The journal of a build's renames in `output/<year>/`, present only
/// while a set of documents is being switched: its first line is
/// `pid <n>`, then a line `<temporary file>\t<target>` per file (paths as
/// written). While it exists, the folder may hold new documents beside old
/// ones; [`complete_switch`] finishes what a killed build began.
pub const SWITCH: &str = ".korpsmonitor-switch";

static COUNTER: AtomicU64 = AtomicU64::new(0);

fn parent(path: &Path) -> &Path {
    match path.parent() {
        Some(p) if !p.as_os_str().is_empty() => p,
        _ => Path::new("."),
    }
}

/// A new temporary path beside `target`.
fn temp_path(target: &Path, tag: &str) -> PathBuf {
    let name = target
        .file_name()
        .map(|n| n.to_string_lossy().into_owned())
        .unwrap_or_default();
    let n = COUNTER.fetch_add(1, Ordering::Relaxed);
    parent(target).join(format!(
        "{TMP_PREFIX}{}-{n}-{tag}{name}",
        std::process::id()
    ))
}

/// Refuses a symbolic link (or folder) at `path`: output never goes through
/// a link, and never replaces one.
fn check_target(path: &Path) -> io::Result<Option<fs::Metadata>> {
    match fs::symlink_metadata(path) {
        Ok(m) if m.file_type().is_symlink() => Err(io::Error::other(format!(
            "{} is a symbolic link; it is not replaced",
            path.display()
        ))),
        Ok(m) if m.is_dir() => Err(io::Error::other(format!(
            "{} is a folder, expected a file",
            path.display()
        ))),
        Ok(m) => Ok(Some(m)),
        Err(e) if e.kind() == io::ErrorKind::NotFound => Ok(None),
        Err(e) => Err(e),
    }
}

/// Creates `dir` and its missing parents (modes from the umask), refusing
/// an existing component that is a symbolic link below `root`.
pub fn create_folder(root: &Path, dir: &Path) -> io::Result<()> {
    if let Ok(rel) = dir.strip_prefix(root) {
        let mut at = root.to_path_buf();
        for c in rel.components() {
            if let Component::Normal(n) = c {
                at.push(n);
                if fs::symlink_metadata(&at).is_ok_and(|m| m.file_type().is_symlink()) {
                    return Err(io::Error::other(format!(
                        "{} is a symbolic link; output folders must be real folders",
                        at.display()
                    )));
                }
            }
        }
    }
    fs::create_dir_all(dir).map_err(|e| folder_error(dir, e))
}

/// The error of creating `dir`, naming the path at fault: an existing
/// component that is no folder, or `dir` itself with the system's reason.
pub fn folder_error(dir: &Path, e: io::Error) -> io::Error {
    let mut ancestors: Vec<&Path> = dir
        .ancestors()
        .filter(|a| !a.as_os_str().is_empty())
        .collect();
    ancestors.reverse();
    for a in ancestors {
        match fs::metadata(a) {
            Ok(m) if !m.is_dir() => {
                return io::Error::new(
                    e.kind(),
                    format!("{} is a file; expected a folder", a.display()),
                );
            }
            Ok(_) => {}
            Err(_) => break,
        }
    }
    io::Error::new(
        e.kind(),
        format!("cannot create the folder {}: {e}", dir.display()),
    )
}

/// Writes `bytes` to a new temporary file beside `target`; returns its path.
/// The file is created with mode 0666 less the umask and flushed to disk;
/// on failure nothing is left behind.
fn write_temp(target: &Path, bytes: &[u8], tag: &str) -> io::Result<PathBuf> {
    write_temp_maybe_synced(target, bytes, tag, true)
}

/// [`write_temp`], flushing to disk only when `sync` is set (a set of
/// files flushes its temporary files together, see [`sync_all`]).
fn write_temp_maybe_synced(
    target: &Path,
    bytes: &[u8],
    tag: &str,
    sync: bool,
) -> io::Result<PathBuf> {
    let tmp = temp_path(target, tag);
    let result = (|| {
        let mut file = OpenOptions::new().write(true).create_new(true).open(&tmp)?;
        file.write_all(bytes)?;
        if sync { file.sync_all() } else { Ok(()) }
    })();
    match result {
        Ok(()) => Ok(tmp),
        Err(e) => {
            let _ = fs::remove_file(&tmp);
            Err(e)
        }
    }
}

/// Writes `bytes` to `path` through a temporary file in the same folder,
/// flushed to disk and then renamed over the target; the new file gets the
/// umask's mode. Two writers to the same path each rename a complete file;
/// the last one wins. Errors: `path` is a link or folder, or any I/O error
/// (the previous file then stays and no temporary file is left).
pub fn write_atomic(path: &Path, bytes: &[u8]) -> io::Result<()> {
    fs::create_dir_all(parent(path))?;
    check_target(path)?;
    let tmp = write_temp(path, bytes, "")?;
    fs::rename(&tmp, path).inspect_err(|_| {
        let _ = fs::remove_file(&tmp);
    })
}

/// Writes a new folder `dir` holding `files` (paths below it, with their
/// text), all or nothing: into a temporary folder beside it, flushed to
/// disk, then renamed into place. Creates `dir`'s parent when missing.
///
/// Errors: [`io::ErrorKind::AlreadyExists`] when `dir` exists (a folder, a
/// file or a link: it is never overwritten), a path that leaves the
/// folder, or any I/O error; nothing is then left at `dir`.
pub fn write_new_folder(dir: &Path, files: &[(PathBuf, Vec<u8>)]) -> io::Result<()> {
    if fs::symlink_metadata(dir).is_ok() {
        return Err(io::Error::new(
            io::ErrorKind::AlreadyExists,
            format!("{} exists", dir.display()),
        ));
    }
    let parent = parent(dir);
    fs::create_dir_all(parent)?;
    let tmp = tempfile::Builder::new()
        .prefix(TMP_PREFIX)
        .tempdir_in(parent)?;
    let mut paths = Vec::new();
    for (rel, bytes) in files {
        let Some(rel) =
            crate::base::input::safe_relative(&rel.to_string_lossy()).map(Path::to_path_buf)
        else {
            return Err(io::Error::new(
                io::ErrorKind::InvalidInput,
                format!("{} leaves the folder", rel.display()),
            ));
        };
        let path = tmp.path().join(rel);
        fs::create_dir_all(self::parent(&path))?;
        fs::write(&path, bytes)?;
        paths.push(path);
    }
    sync_all(&paths).map_err(|(_, e)| e)?;
    if fs::symlink_metadata(dir).is_ok() {
        return Err(io::Error::new(
            io::ErrorKind::AlreadyExists,
            format!("{} exists", dir.display()),
        ));
    }
    fs::rename(tmp.path(), dir)?;
    // Renamed: nothing is left to remove.
    let _ = tmp.keep();
    Ok(())
}

/// Replaces the existing file `path` with `bytes` atomically, keeping its
/// permissions (as `fmt` does). Errors as [`write_atomic`].
pub fn replace_keeping_mode(path: &Path, bytes: &[u8]) -> io::Result<()> {
    let meta = check_target(path)?;
    // The rename would replace a file its user may not write (mode 0444,
    // or another's file in a shared folder) and take it over: refuse, as
    // an editor does.
    if meta.is_some() && !writable(path) {
        return Err(io::Error::new(
            io::ErrorKind::PermissionDenied,
            format!(
                "{} is read-only for you; it is not replaced",
                path.display()
            ),
        ));
    }
    let tmp = write_temp(path, bytes, "")?;
    let result = (|| {
        if let Some(m) = &meta {
            fs::set_permissions(&tmp, m.permissions())?;
        }
        fs::rename(&tmp, path)
    })();
    result.inspect_err(|_| {
        let _ = fs::remove_file(&tmp);
    })
}

/// Whether this process may write `path` (access(2) with W_OK).
#[cfg(unix)]
fn writable(path: &Path) -> bool {
    use std::os::unix::ffi::OsStrExt;
    let Ok(c) = std::ffi::CString::new(path.as_os_str().as_bytes()) else {
        return false;
    };
    // SAFETY: `c` is a valid NUL-terminated path for the call's duration.
    unsafe { libc::access(c.as_ptr(), libc::W_OK) == 0 }
}

#[cfg(not(unix))]
fn writable(path: &Path) -> bool {
    fs::metadata(path).is_ok_and(|m| !m.permissions().readonly())
}

/// Flushes every file of `paths` to disk, several at a time: the file
/// system commits concurrent flushes together, which one flush after the
/// other never lets it do (a 1,000-unit build writes some 4,000 files).
/// Fails with the first file that could not be flushed.
fn sync_all(paths: &[PathBuf]) -> Result<(), (PathBuf, io::Error)> {
    const THREADS: usize = 8;
    let next = AtomicUsize::new(0);
    let failed = std::sync::Mutex::new(None);
    std::thread::scope(|s| {
        for _ in 0..THREADS.min(paths.len()) {
            s.spawn(|| {
                while let Some(p) = paths.get(next.fetch_add(1, Ordering::Relaxed)) {
                    if let Err(e) = fs::File::open(p).and_then(|f| f.sync_all()) {
                        let mut first = failed.lock().unwrap_or_else(|e| e.into_inner());
                        first.get_or_insert((p.clone(), e));
                        return;
                    }
                }
            });
        }
    });
    match failed.into_inner().unwrap_or_else(|e| e.into_inner()) {
        Some(f) => Err(f),
        None => Ok(()),
    }
}

/// Completes the switch of a build that was killed between its first and
/// its last rename into `dir` (the journal [`SWITCH`] is there and its
/// process is gone): renames every temporary file the journal lists that
/// is still there onto its target, then removes the journal. The folder
/// then holds the killed build's set whole. Returns the targets completed;
/// nothing when there is no journal, or its build is still running.
///
/// Errors: a rename that fails (the journal then stays, for the next run).
pub fn complete_switch(dir: &Path) -> io::Result<Vec<PathBuf>> {
    let journal = dir.join(SWITCH);
    let Ok(text) = fs::read_to_string(&journal) else {
        return Ok(Vec::new());
    };
    let mut lines = text.lines();
    let pid = lines
        .next()
        .and_then(|l| l.strip_prefix("pid "))
        .and_then(|p| p.parse::<u32>().ok());
    if pid.is_some_and(|p| p != std::process::id() && alive(p)) {
        return Ok(Vec::new());
    }
    let mut done = Vec::new();
    for line in lines {
        let Some((tmp, target)) = line.split_once('\t') else {
            continue;
        };
        let (tmp, target) = (PathBuf::from(tmp), PathBuf::from(target));
        // Only our own temporary files, beside their targets, are renamed.
        let ours = tmp.parent() == target.parent()
            && tmp
                .file_name()
                .and_then(|n| n.to_str())
                .is_some_and(|n| n.starts_with(TMP_PREFIX));
        if ours && fs::symlink_metadata(&tmp).is_ok_and(|m| m.is_file()) {
            check_target(&target)?;
            fs::rename(&tmp, &target)?;
            done.push(target);
        }
    }
    fs::remove_file(&journal)?;
    Ok(done)
}

/// Stops the process after `n` renames of a set when the environment
/// variable `KORPSMONITOR_FAULT_AFTER_RENAMES` says `n` (debug builds only:
/// the tests kill a build at each step of a switch this way).
fn fault_after(renames: usize) {
    #[cfg(debug_assertions)]
    if std::env::var("KORPSMONITOR_FAULT_AFTER_RENAMES")
        .ok()
        .and_then(|v| v.parse::<usize>().ok())
        == Some(renames)
    {
        std::process::abort();
    }
    #[cfg(not(debug_assertions))]
    let _ = renames;
}

/// Writes every `(path, bytes)` or none: all temporary files are written
/// and flushed to disk first (a full disk fails here, with the previous
/// files untouched and the temporary files removed), then renamed into
/// place; when a rename fails, the files already renamed are put back to
/// their previous content. With `journal` (a folder), the renames are
/// journaled there: the journal [`SWITCH`] is written before the first
/// rename and removed after the last (or after a failed set is put back).
pub fn write_set(files: &[(PathBuf, &[u8])], journal: Option<&Path>) -> io::Result<()> {
    write_set_with(files, journal, None)
}

/// Writes every file of `files` to a temporary file beside it and flushes
/// them all to disk; returns the temporary files, in order. On failure
/// none is left, and the error names the file.
fn stage_files(files: &[(PathBuf, &[u8])]) -> io::Result<Vec<PathBuf>> {
    let mut temps: Vec<PathBuf> = Vec::new();
    for (path, bytes) in files {
        let step = fs::create_dir_all(parent(path))
            .and_then(|()| check_target(path).map(|_| ()))
            .and_then(|()| write_temp_maybe_synced(path, bytes, "", false));
        match step {
            Ok(t) => temps.push(t),
            Err(e) => {
                remove_all(&temps);
                return Err(io::Error::new(e.kind(), format!("{}: {e}", path.display())));
            }
        }
    }
    if let Err((tmp, e)) = sync_all(&temps) {
        remove_all(&temps);
        let path = files
            .iter()
            .zip(&temps)
            .find(|(_, t)| **t == tmp)
            .map_or(tmp.clone(), |((p, _), _)| p.clone());
        return Err(io::Error::new(e.kind(), format!("{}: {e}", path.display())));
    }
    Ok(temps)
}

fn remove_all(paths: &[PathBuf]) {
    for p in paths {
        let _ = fs::remove_file(p);
    }
}

/// Files of a set written ahead, to temporary files beside their targets,
/// and flushed to disk ([`stage`]): while the rest of the set is still
/// being made (the web edition and the Word letters while the PDFs are
/// typeset), so that writing the set then only renames them into place.
/// Dropped unused, its temporary files are removed.
#[derive(Debug, Default)]
pub struct Staged {
    /// By target: the temporary file and the fingerprint of its content.
    temps: HashMap<PathBuf, (PathBuf, String)>,
}

impl Staged {
    /// The temporary file holding `bytes` for `target`, taken out of the
    /// staged set; `None` when none was staged with that content.
    fn take(&mut self, target: &Path, bytes: &[u8]) -> Option<PathBuf> {
        let (tmp, print) = self.temps.remove(target)?;
        if print == fingerprint(bytes) {
            Some(tmp)
        } else {
            let _ = fs::remove_file(&tmp);
            None
        }
    }
}

impl Drop for Staged {
    fn drop(&mut self) {
        for (tmp, _) in self.temps.values() {
            let _ = fs::remove_file(tmp);
        }
    }
}

/// `first`, then the folder of each of `paths` not yet among them, in order.
fn folders_of<'a>(first: Vec<PathBuf>, paths: impl Iterator<Item = &'a Path>) -> Vec<PathBuf> {
    let mut folders = first;
    for path in paths {
        let dir = parent(path);
        if !folders.iter().any(|f| f == dir) {
            folders.push(dir.to_path_buf());
        }
    }
    folders
}

/// Writes `files` (paths below the output root `root`) ahead of their set,
/// each to a temporary file beside its target, and flushes them to disk;
/// their folders are created as [`write_build`] creates them, never
/// through a link. [`write_build`] then renames them into place with
/// the rest of the set. Errors: a folder or file cannot be written
/// (nothing is then left).
pub fn stage(root: &Path, files: &[(PathBuf, &[u8])]) -> io::Result<Staged> {
    let files: Vec<(PathBuf, &[u8])> = files.iter().map(|(p, b)| (root.join(p), *b)).collect();
    for dir in folders_of(Vec::new(), files.iter().map(|(p, _)| p.as_path())) {
        create_folder(root, &dir)?;
    }
    let temps = stage_files(&files)?;
    Ok(Staged {
        temps: files
            .iter()
            .zip(temps)
            .map(|((path, bytes), tmp)| (path.clone(), (tmp, fingerprint(bytes))))
            .collect(),
    })
}

/// [`write_set`], taking the temporary files of `early` for the files
/// staged ahead (with the same content) instead of writing them again.
fn write_set_with(
    files: &[(PathBuf, &[u8])],
    journal: Option<&Path>,
    mut early: Option<&mut Staged>,
) -> io::Result<()> {
    let mut ahead: Vec<Option<PathBuf>> = files
        .iter()
        .map(|(path, bytes)| early.as_mut().and_then(|e| e.take(path, bytes)))
        .collect();
    let rest: Vec<(PathBuf, &[u8])> = files
        .iter()
        .zip(&ahead)
        .filter(|(_, a)| a.is_none())
        .map(|((p, b), _)| (p.clone(), *b))
        .collect();
    let written = match stage_files(&rest) {
        Ok(t) => t,
        Err(e) => {
            remove_all(&ahead.into_iter().flatten().collect::<Vec<_>>());
            return Err(e);
        }
    };
    let mut written = written.into_iter();
    let temps: Vec<PathBuf> = ahead
        .iter_mut()
        .map(|a| a.take().or_else(|| written.next()).unwrap_or_default())
        .collect();
    // Keep the previous version of each target (a hard link, no copy) until
    // the whole set is in place.
    let mut backups: Vec<Option<PathBuf>> = Vec::new();
    for (path, _) in files {
        let backup = if path.is_file() {
            let b = temp_path(path, "old-");
            match fs::hard_link(path, &b) {
                Ok(()) => Some(b),
                Err(_) => None,
            }
        } else {
            None
        };
        backups.push(backup);
    }
    let journal = match journal {
        Some(dir) => {
            let mut text = format!("pid {}\n", std::process::id());
            for ((path, _), tmp) in files.iter().zip(&temps) {
                text.push_str(&format!("{}\t{}\n", tmp.display(), path.display()));
            }
            let j = dir.join(SWITCH);
            if let Err(e) = write_atomic(&j, text.as_bytes()) {
                remove_all(&temps);
                for b in backups.iter().flatten() {
                    let _ = fs::remove_file(b);
                }
                return Err(e);
            }
            Some(j)
        }
        None => None,
    };
    fault_after(0);
    let mut done = 0;
    let mut failure = None;
    for ((path, _), tmp) in files.iter().zip(&temps) {
        if let Err(e) = fs::rename(tmp, path) {
            failure = Some(io::Error::new(e.kind(), format!("{}: {e}", path.display())));
            break;
        }
        done += 1;
        fault_after(done);
    }
    if failure.is_some() {
        for ((path, _), backup) in files.iter().zip(&backups).take(done) {
            let _ = match backup {
                Some(b) => fs::rename(b, path),
                None => fs::remove_file(path),
            };
        }
    }
    remove_all(&temps[done..]);
    for b in backups.iter().flatten() {
        let _ = fs::remove_file(b);
    }
    if let Some(j) = journal {
        let _ = fs::remove_file(j);
    }
    match failure {
        Some(e) => Err(e),
        None => Ok(()),
    }
}

/// Whether the process `pid` is running (on other systems than Unix: assumed).
fn alive(pid: u32) -> bool {
    #[cfg(unix)]
    {
        let Ok(pid) = libc::pid_t::try_from(pid) else {
            return false;
        };
        // SAFETY: signal 0 only checks that the process exists.
        let r = unsafe { libc::kill(pid, 0) };
        r == 0 || io::Error::last_os_error().raw_os_error() != Some(libc::ESRCH)
    }
    #[cfg(not(unix))]
    {
        let _ = pid;
        true
    }
}

/// Removes the temporary files in `dir` left by runs that no longer exist
/// (killed mid-write); returns what was removed. Only regular files named
/// `.korpsmonitor-tmp-<pid>-...` are touched, never links.
pub fn remove_stale_temps(dir: &Path) -> Vec<PathBuf> {
    let mut removed = Vec::new();
    // Never through a link to another folder.
    if !fs::symlink_metadata(dir).is_ok_and(|m| m.is_dir()) {
        return removed;
    }
    let Ok(entries) = fs::read_dir(dir) else {
        return removed;
    };
    for entry in entries.flatten() {
        let name = entry.file_name();
        let Some(rest) = name.to_str().and_then(|n| n.strip_prefix(TMP_PREFIX)) else {
            continue;
        };
        let Some(pid) = rest.split('-').next().and_then(|p| p.parse::<u32>().ok()) else {
            continue;
        };
        let is_file = entry.file_type().is_ok_and(|t| t.is_file());
        if is_file && pid != std::process::id() && !alive(pid) {
            let path = entry.path();
            if fs::remove_file(&path).is_ok() {
                removed.push(path);
            }
        }
    }
    removed
}

/// The files a build wrote into one output folder, relative to it: the
/// only files a later build may delete there.
#[derive(Debug, Default, Clone, PartialEq, Eq)]
pub struct Manifest {
    /// Relative paths, `/`-separated.
    pub files: BTreeSet<String>,
    /// The [`fingerprint`] of what was written, by path: a file that no
    /// longer matches was changed or replaced by someone (a signed copy
    /// saved over a letter) and is theirs now.
    pub prints: BTreeMap<String, String>,
}

/// The fingerprint of a file's content as the manifest records it: its
/// length and its 64-bit FNV-1a hash (`173603-9f1c...`). Not a security
/// measure: it tells a file a build wrote from one someone changed since.
pub fn fingerprint(bytes: &[u8]) -> String {
    let mut h: u64 = 0xcbf2_9ce4_8422_2325;
    for b in bytes {
        h ^= u64::from(*b);
        h = h.wrapping_mul(0x0100_0000_01b3);
    }
    format!("{}-{h:016x}", bytes.len())
}

impl Manifest {
    /// Reads `dir/.korpsmonitor-manifest` (empty when absent or unreadable,
    /// which makes a build delete nothing).
    pub fn read(dir: &Path) -> Manifest {
        let path = dir.join(MANIFEST);
        let files = crate::base::input::read_file(&path, 4 * 1024 * 1024)
            .ok()
            .and_then(|b| String::from_utf8(b).ok())
            .unwrap_or_default();
        let mut m = Manifest::default();
        for line in files.lines().filter(|l| !l.starts_with('#')) {
            let (path, print) = match line.split_once('\t') {
                Some((p, f)) => (p, Some(f)),
                None => (line, None),
            };
            if crate::base::input::safe_relative(path).is_none() {
                continue;
            }
            m.files.insert(path.to_string());
            if let Some(f) = print {
                m.prints.insert(path.to_string(), f.to_string());
            }
        }
        m
    }

    /// Writes the manifest into `dir` atomically.
    pub fn write(&self, dir: &Path) -> io::Result<()> {
        let mut text = String::from(
            "# Files written by korpsmonitor; only these are removed when no longer due.\n",
        );
        for f in &self.files {
            text.push_str(f);
            if let Some(p) = self.prints.get(f) {
                text.push('\t');
                text.push_str(p);
            }
            text.push('\n');
        }
        write_atomic(&dir.join(MANIFEST), text.as_bytes())
    }

    /// `path` relative to `dir` as a manifest entry, when it is inside it.
    pub fn entry(dir: &Path, path: &Path) -> Option<String> {
        let rel = path.strip_prefix(dir).ok()?;
        let parts: Option<Vec<&str>> = rel
            .components()
            .map(|c| match c {
                Component::Normal(n) => n.to_str(),
                _ => None,
            })
            .collect();
        parts.map(|p| p.join("/"))
    }
}

/// One file a build makes.
#[derive(Debug, Clone)]
pub struct OutputFile {
    /// Its path below the output root, e.g. `2010/korpsmonitor-2010.pdf`.
    pub path: PathBuf,
    /// Its content.
    pub bytes: Vec<u8>,
}

/// The files of one build and the folders they go to, written as one set
/// by [`write_build`].
#[derive(Debug, Clone)]
pub struct FileSet {
    /// The files, with paths below the output root: the report first.
    pub files: Vec<OutputFile>,
    /// The edition's folder below the output root, e.g. `2010`.
    pub edition_dir: PathBuf,
    /// The folder of manager letters below the output root, when they were
    /// built (letters no longer due are removed from it on writing).
    pub letters_dir: Option<PathBuf>,
    /// The web edition's folder below the output root, when the site was
    /// built (pages an earlier build wrote and this one did not are
    /// removed from it on writing).
    pub site_dir: Option<PathBuf>,
}

/// What writing a build did, for the terminal.
#[derive(Debug, Default)]
pub struct Written {
    /// The files written (below the output root), in the build's order.
    pub files: Vec<PathBuf>,
    /// Letters an earlier build wrote that are no longer due, removed.
    pub removed: Vec<PathBuf>,
    /// Notes and warnings, one line each: a letter kept because someone
    /// changed it, one that could not be removed, a manifest not written.
    pub notes: Vec<String>,
}

/// Writes the files of `built` as one set (all or none) below the output
/// root `root`, creating their folders, which must not be links; removes temporary files
/// of killed runs, and letters no longer due and pages of the web edition
/// no longer in it that an earlier build wrote (by the manifest, only when
/// unchanged since); records what was written
/// in the manifest of the edition's folder. The files of `early`, staged
/// ahead ([`stage`]), are taken from their temporary files when their
/// content is the same; the rest are written now. Fails when a folder or
/// file cannot be written; nothing of the set is then left in place.
pub fn write_build(root: &Path, built: &FileSet, mut early: Option<Staged>) -> io::Result<Written> {
    let out_dir = root.join(&built.edition_dir);
    let letters_dir = built.letters_dir.as_ref().map(|d| root.join(d));
    let paths: Vec<PathBuf> = built.files.iter().map(|f| root.join(&f.path)).collect();
    // The edition's folder and the letters' (even without letters: stale
    // ones are removed from it), then the folder of every other file.
    let first = std::iter::once(out_dir.clone())
        .chain(letters_dir.clone())
        .collect();
    let folders = folders_of(first, paths.iter().map(PathBuf::as_path));
    create_folder(root, &out_dir)?;
    // A build killed mid-switch left its set half in place: complete it
    // before its temporary files count as stale.
    complete_switch(&out_dir)?;
    for dir in &folders {
        create_folder(root, dir)?;
        remove_stale_temps(dir);
    }
    let files: Vec<(PathBuf, &[u8])> = paths
        .iter()
        .zip(&built.files)
        .map(|(path, f)| (path.clone(), f.bytes.as_slice()))
        .collect();
    write_set_with(&files, Some(&out_dir), early.as_mut())?;
    drop(early);
    let mut written = Written::default();
    let mut manifest = Manifest::read(&out_dir);
    if let Some(dir) = &letters_dir {
        remove_stale(&out_dir, dir, false, &paths, &mut manifest, &mut written);
    }
    if let Some(dir) = &built.site_dir {
        remove_stale(
            &out_dir,
            &root.join(dir),
            true,
            &paths,
            &mut manifest,
            &mut written,
        );
    }
    for (path, f) in paths.iter().zip(&built.files) {
        if let Some(entry) = Manifest::entry(&out_dir, path) {
            manifest.prints.insert(entry.clone(), fingerprint(&f.bytes));
            manifest.files.insert(entry);
        }
    }
    if let Err(e) = manifest.write(&out_dir) {
        written.notes.push(format!(
            "warning: cannot record the files written in {}: {e}",
            shown(&out_dir.join(MANIFEST))
        ));
    }
    written.files = paths;
    Ok(written)
}

/// A path as the terminal gets it, control characters escaped.
fn shown(path: &Path) -> String {
    crate::base::term::clean(&path.display().to_string()).into_owned()
}

/// Deletes the files in `dir` (with `nested`, also in its subfolders) that
/// an earlier build wrote and this one did not (not in `current`): letters
/// of units that no longer receive one, pages of the web edition no longer
/// in it. Only files listed in `manifest`, unchanged since, never a file
/// put there by someone else, never through a link.
fn remove_stale(
    out_dir: &Path,
    dir: &Path,
    nested: bool,
    current: &[PathBuf],
    manifest: &mut Manifest,
    written: &mut Written,
) {
    let current: BTreeSet<String> = current
        .iter()
        .filter_map(|p| Manifest::entry(out_dir, p))
        .collect();
    let Some(prefix) = Manifest::entry(out_dir, dir) else {
        return;
    };
    let stale: Vec<String> = manifest
        .files
        .iter()
        .filter(|f| {
            f.strip_prefix(&prefix)
                .and_then(|r| r.strip_prefix('/'))
                .is_some_and(|r| nested || !r.contains('/'))
                && !current.contains(*f)
        })
        .cloned()
        .collect();
    for entry in stale {
        let path = out_dir.join(&entry);
        // Still the file a build wrote, byte for byte: a letter someone
        // changed or saved over (a signed copy) is theirs now.
        let unchanged = |m: &fs::Metadata| {
            manifest.prints.get(&entry).is_some_and(|p| {
                p.split_once('-')
                    .is_some_and(|(len, _)| len == m.len().to_string())
                    && crate::base::input::read_file(&path, m.len())
                        .is_ok_and(|b| fingerprint(&b) == *p)
            })
        };
        match fs::symlink_metadata(&path) {
            Ok(m) if m.is_file() && !unchanged(&m) => {
                written.notes.push(format!(
                    "note: kept {}: no longer due, but changed since it was written",
                    shown(&path)
                ));
                manifest.files.remove(&entry);
                manifest.prints.remove(&entry);
            }
            Ok(m) if m.is_file() => match fs::remove_file(&path) {
                Ok(()) => {
                    written.removed.push(path);
                    manifest.files.remove(&entry);
                    manifest.prints.remove(&entry);
                }
                Err(e) => written.notes.push(format!(
                    "warning: cannot remove the outdated letter {}: {e}",
                    shown(&path)
                )),
            },
            // Gone, or replaced by something that is not ours: forget it.
            _ => {
                manifest.files.remove(&entry);
                manifest.prints.remove(&entry);
            }
        }
    }
}

/// Writes `files` (named by relative `/`-separated paths; a name that
/// would leave the folder is skipped) into `dir` below the output root
/// `root`, each atomically, creating folders as needed and removing
/// temporary files of killed runs from `dir`. Fails with the path that
/// could not be written.
pub fn write_folder<'a>(
    root: &Path,
    dir: &Path,
    files: impl IntoIterator<Item = (&'a str, &'a [u8])>,
) -> Result<(), (PathBuf, io::Error)> {
    create_folder(root, dir).map_err(|e| (dir.to_path_buf(), e))?;
    remove_stale_temps(dir);
    for (name, bytes) in files {
        let Some(rel) = crate::base::input::safe_relative(name.trim_start_matches('/')) else {
            continue;
        };
        let path = dir.join(rel);
        create_folder(root, path.parent().unwrap_or(dir))
            .and_then(|()| write_atomic(&path, bytes))
            .map_err(|e| (path.clone(), e))?;
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn names(dir: &Path) -> Vec<String> {
        let mut v: Vec<String> = fs::read_dir(dir)
            .unwrap()
            .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
            .collect();
        v.sort();
        v
    }

    #[test]
    fn writes_and_replaces_without_leftovers() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("sub").join("a.pdf");
        write_atomic(&path, b"one").unwrap();
        write_atomic(&path, b"two").unwrap();
        assert_eq!(fs::read(&path).unwrap(), b"two");
        assert_eq!(names(path.parent().unwrap()), vec!["a.pdf"]);
    }

    /// The process's umask, from /proc (Linux), without changing it.
    #[cfg(target_os = "linux")]
    fn umask() -> u32 {
        let status = fs::read_to_string("/proc/self/status").unwrap();
        let line = status.lines().find(|l| l.starts_with("Umask:")).unwrap();
        u32::from_str_radix(line["Umask:".len()..].trim(), 8).unwrap()
    }

    #[cfg(target_os = "linux")]
    #[test]
    fn modes_follow_the_umask_and_fmt_keeps_a_files_mode() {
        use std::os::unix::fs::PermissionsExt;
        let dir = tempfile::tempdir().unwrap();
        let mask = umask();
        let path = dir.path().join("new/a.pdf");
        write_atomic(&path, b"x").unwrap();
        let mode = fs::metadata(&path).unwrap().permissions().mode() & 0o777;
        let dir_mode = fs::metadata(path.parent().unwrap())
            .unwrap()
            .permissions()
            .mode()
            & 0o777;
        assert_eq!(mode, 0o666 & !mask);
        assert_eq!(dir_mode, 0o777 & !mask);
        fs::set_permissions(&path, fs::Permissions::from_mode(0o640)).unwrap();
        replace_keeping_mode(&path, b"y").unwrap();
        assert_eq!(
            fs::metadata(&path).unwrap().permissions().mode() & 0o777,
            0o640
        );
    }

    #[test]
    fn a_folder_below_a_file_is_refused_naming_the_file() {
        let dir = tempfile::tempdir().unwrap();
        fs::write(dir.path().join("out"), "x").unwrap();
        let e = create_folder(dir.path(), &dir.path().join("out/2030/brieven")).unwrap_err();
        assert_eq!(
            e.to_string(),
            format!(
                "{} is a file; expected a folder",
                dir.path().join("out").display()
            )
        );
        assert_eq!(fs::read_to_string(dir.path().join("out")).unwrap(), "x");
    }

    #[cfg(unix)]
    #[test]
    fn links_are_never_replaced() {
        let dir = tempfile::tempdir().unwrap();
        let target = dir.path().join("elsewhere.txt");
        fs::write(&target, "keep").unwrap();
        let link = dir.path().join("link.yaml");
        std::os::unix::fs::symlink(&target, &link).unwrap();
        assert!(write_atomic(&link, b"x").is_err());
        assert!(replace_keeping_mode(&link, b"x").is_err());
        assert!(
            fs::symlink_metadata(&link)
                .unwrap()
                .file_type()
                .is_symlink()
        );
        assert_eq!(fs::read_to_string(&target).unwrap(), "keep");
        let out = dir.path().join("out");
        fs::create_dir(&out).unwrap();
        std::os::unix::fs::symlink(dir.path(), out.join("2010")).unwrap();
        assert!(create_folder(&out, &out.join("2010/brieven")).is_err());
    }

    #[test]
    fn a_set_is_written_all_or_none() {
        let dir = tempfile::tempdir().unwrap();
        let a = dir.path().join("a.pdf");
        let b = dir.path().join("b.pdf");
        write_set(&[(a.clone(), b"a1"), (b.clone(), b"b1")], None).unwrap();
        // The second target is a folder: nothing changes.
        let c = dir.path().join("c");
        fs::create_dir(&c).unwrap();
        assert!(write_set(&[(a.clone(), b"a2"), (c, b"c2")], None).is_err());
        assert_eq!(fs::read(&a).unwrap(), b"a1");
        assert_eq!(fs::read(&b).unwrap(), b"b1");
        assert_eq!(names(dir.path()), vec!["a.pdf", "b.pdf", "c"]);
    }

    #[test]
    fn a_switch_whose_build_died_is_completed_and_a_running_ones_left() {
        let dir = tempfile::tempdir().unwrap();
        let (a, b) = (dir.path().join("a.pdf"), dir.path().join("b.pdf"));
        fs::write(&a, b"a2").unwrap();
        fs::write(&b, b"b1").unwrap();
        // Killed after renaming a: b's temporary file is still there.
        let tmp = dir.path().join(format!("{TMP_PREFIX}4294967294-1-b.pdf"));
        fs::write(&tmp, b"b2").unwrap();
        let gone = dir.path().join(format!("{TMP_PREFIX}4294967294-0-a.pdf"));
        let journal = format!(
            "pid 4294967294\n{}\t{}\n{}\t{}\n",
            gone.display(),
            a.display(),
            tmp.display(),
            b.display()
        );
        fs::write(dir.path().join(SWITCH), &journal).unwrap();
        assert_eq!(complete_switch(dir.path()).unwrap(), vec![b.clone()]);
        assert_eq!(fs::read(&a).unwrap(), b"a2");
        assert_eq!(fs::read(&b).unwrap(), b"b2");
        assert!(!dir.path().join(SWITCH).exists());
        assert!(!tmp.exists());
        // A journal whose build still runs is left alone.
        fs::write(&tmp, b"b3").unwrap();
        let mut child = std::process::Command::new("sleep")
            .arg("5")
            .spawn()
            .unwrap();
        let other = journal.replace("4294967294\n", &format!("{}\n", child.id()));
        fs::write(dir.path().join(SWITCH), other).unwrap();
        assert!(complete_switch(dir.path()).unwrap().is_empty());
        assert!(dir.path().join(SWITCH).exists());
        assert_eq!(fs::read(&b).unwrap(), b"b2");
        let _ = child.kill();
        let _ = child.wait();
    }

    #[test]
    fn stale_temporary_files_of_dead_processes_are_removed() {
        let dir = tempfile::tempdir().unwrap();
        // No process has a pid this large.
        let stale = dir.path().join(format!("{TMP_PREFIX}4294967294-0-a.pdf"));
        let ours = dir
            .path()
            .join(format!("{TMP_PREFIX}{}-0-a.pdf", std::process::id()));
        let user = dir.path().join(".korpsmonitor-notes");
        for p in [&stale, &ours, &user] {
            fs::write(p, "x").unwrap();
        }
        assert_eq!(remove_stale_temps(dir.path()), vec![stale]);
        assert_eq!(names(dir.path()).len(), 2);
    }

    #[test]
    fn fingerprints_tell_content_apart() {
        assert_eq!(fingerprint(b""), "0-cbf29ce484222325");
        assert_eq!(fingerprint(b"a"), "1-af63dc4c8601ec8c");
        assert_ne!(fingerprint(b"ab"), fingerprint(b"ba"));
    }

    #[test]
    fn manifest_round_trips_and_ignores_unsafe_entries() {
        let dir = tempfile::tempdir().unwrap();
        fs::write(
            dir.path().join(MANIFEST),
            "# c\nbrieven/a.pdf\t3-af63bd4c8601b7df\n../x.pdf\n/etc/passwd\t1-0\nr.pdf\n",
        )
        .unwrap();
        let m = Manifest::read(dir.path());
        let files: Vec<&str> = m.files.iter().map(String::as_str).collect();
        assert_eq!(files, vec!["brieven/a.pdf", "r.pdf"]);
        assert_eq!(m.prints.len(), 1);
        assert_eq!(m.prints["brieven/a.pdf"], "3-af63bd4c8601b7df");
        m.write(dir.path()).unwrap();
        assert_eq!(Manifest::read(dir.path()), m);
        assert_eq!(
            Manifest::entry(dir.path(), &dir.path().join("brieven/x.pdf")).as_deref(),
            Some("brieven/x.pdf")
        );
    }

    fn built(letters: &[&str]) -> FileSet {
        let mut files = vec![OutputFile {
            path: PathBuf::from("2010/r.pdf"),
            bytes: b"report".to_vec(),
        }];
        files.extend(letters.iter().map(|u| OutputFile {
            path: PathBuf::from(format!("2010/brieven/{u}.pdf")),
            bytes: format!("letter {u}").into_bytes(),
        }));
        files.push(OutputFile {
            path: PathBuf::from("2010/extra/deeper/x.txt"),
            bytes: b"x".to_vec(),
        });
        FileSet {
            files,
            edition_dir: PathBuf::from("2010"),
            letters_dir: Some(PathBuf::from("2010/brieven")),
            site_dir: None,
        }
    }

    #[test]
    fn a_build_is_written_below_the_root_and_its_letters_no_longer_due_removed() {
        let root = tempfile::tempdir().unwrap();
        let r = root.path();
        let first = write_build(r, &built(&["a", "b", "c"]), None).unwrap();
        assert_eq!(first.files.len(), 5);
        assert_eq!(first.files[1], r.join("2010/brieven/a.pdf"));
        assert_eq!(fs::read(r.join("2010/r.pdf")).unwrap(), b"report");
        assert_eq!(fs::read(r.join("2010/extra/deeper/x.txt")).unwrap(), b"x");
        // `b` changed by someone since: theirs now, kept with a note.
        fs::write(r.join("2010/brieven/b.pdf"), "signed").unwrap();
        let second = write_build(r, &built(&["a"]), None).unwrap();
        assert_eq!(second.removed, vec![r.join("2010/brieven/c.pdf")]);
        assert_eq!(second.notes.len(), 1, "{:?}", second.notes);
        assert!(second.notes[0].starts_with("note: kept "));
        assert_eq!(names(&r.join("2010/brieven")), vec!["a.pdf", "b.pdf"]);
        let m = Manifest::read(&r.join("2010"));
        let listed: Vec<&str> = m.files.iter().map(String::as_str).collect();
        assert_eq!(listed, vec!["brieven/a.pdf", "extra/deeper/x.txt", "r.pdf"]);
    }

    /// Every temporary file of ours below `dir`.
    fn temps_below(dir: &Path) -> Vec<PathBuf> {
        let mut found = Vec::new();
        for entry in fs::read_dir(dir).unwrap().flatten() {
            let path = entry.path();
            if path.is_dir() {
                found.extend(temps_below(&path));
            } else if entry.file_name().to_string_lossy().starts_with(TMP_PREFIX) {
                found.push(path);
            }
        }
        found
    }

    #[test]
    fn files_staged_ahead_are_renamed_into_place_with_the_set() {
        let root = tempfile::tempdir().unwrap();
        let r = root.path();
        let set = built(&["a", "b"]);
        // The extra file and letter `a` staged ahead; `b` staged with
        // other content than the set's, so written again.
        let early = stage(
            r,
            &[
                (PathBuf::from("2010/extra/deeper/x.txt"), b"x".as_slice()),
                (PathBuf::from("2010/brieven/a.pdf"), b"letter a".as_slice()),
                (PathBuf::from("2010/brieven/b.pdf"), b"outdated".as_slice()),
            ],
        )
        .unwrap();
        assert_eq!(temps_below(r).len(), 3);
        // Nothing is in place before the set is written.
        assert!(!r.join("2010/brieven/a.pdf").exists());
        let written = write_build(r, &set, Some(early)).unwrap();
        assert_eq!(written.files.len(), 4);
        for f in &set.files {
            assert_eq!(fs::read(r.join(&f.path)).unwrap(), f.bytes, "{:?}", f.path);
        }
        assert_eq!(temps_below(r), Vec::<PathBuf>::new());
    }

    #[test]
    fn files_staged_ahead_of_a_build_that_fails_leave_nothing() {
        let root = tempfile::tempdir().unwrap();
        let r = root.path();
        let early = stage(
            r,
            &[(PathBuf::from("2010/web/index.html"), b"<p>".as_slice())],
        )
        .unwrap();
        assert_eq!(temps_below(r).len(), 1);
        drop(early);
        assert_eq!(temps_below(r), Vec::<PathBuf>::new());
        assert!(!r.join("2010/web/index.html").exists());
    }

    #[cfg(unix)]
    #[test]
    fn files_are_never_staged_through_a_linked_folder() {
        let root = tempfile::tempdir().unwrap();
        let elsewhere = tempfile::tempdir().unwrap();
        let r = root.path();
        fs::create_dir(r.join("2010")).unwrap();
        std::os::unix::fs::symlink(elsewhere.path(), r.join("2010/web")).unwrap();
        let e = stage(
            r,
            &[(PathBuf::from("2010/web/index.html"), b"<p>".as_slice())],
        )
        .unwrap_err();
        assert!(e.to_string().contains("symbolic link"), "{e}");
        assert_eq!(names(elsewhere.path()), Vec::<String>::new());
    }
}
