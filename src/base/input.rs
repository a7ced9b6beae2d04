//! Reading inputs: the one way every command opens a file it reads (edition
//! files, templates, fonts, the git diff driver's files).
//!
//! Rules (docs/robustness.md, "Reading"):
//! - below a root the user named (an edition folder, `--templates`,
//!   `--fonts`), no path component may be a symbolic link: each folder and
//!   the file itself are opened with `O_NOFOLLOW`, one component at a time,
//!   so a linked `units/` or `chapters/` folder is refused like a linked file;
//! - only regular files are read: a file is opened with `O_NONBLOCK` and
//!   checked with `fstat` before any read, so a FIFO or a device never blocks;
//! - at most `max` bytes are read, checked before and during the read.

use std::fs::{self, File};
use std::io::{self, Read};
use std::path::{Component, Path, PathBuf};

/// Why an input could not be read; its `Display` names the path.
#[derive(Debug)]
pub enum InputError {
    /// The path, or a folder on the way to it below the root, is a link.
    Link(PathBuf),
    /// The path is not a regular file (a FIFO, device, socket or folder).
    NotFile(PathBuf, &'static str),
    /// A folder was expected.
    NotFolder(PathBuf),
    /// Larger than the limit: (path, size, limit).
    TooLarge(PathBuf, u64, u64),
    /// The path is not below the root, or leaves it with `..`.
    Outside(PathBuf),
    /// Any other I/O error.
    Io(PathBuf, io::Error),
}

impl std::fmt::Display for InputError {
    fn fmt(&self, f: &mut std::fmt::Formatter) -> std::fmt::Result {
        match self {
            InputError::Link(p) => write!(
                f,
                "{} is a symbolic link; expected a regular file or folder (links are never followed)",
                p.display()
            ),
            InputError::NotFile(p, kind) => {
                write!(f, "{} is {kind}; expected a regular file", p.display())
            }
            InputError::NotFolder(p) => write!(f, "{} is not a folder", p.display()),
            InputError::TooLarge(p, size, max) => write!(
                f,
                "{} has {size} bytes, expected at most {max}",
                p.display()
            ),
            InputError::Outside(p) => write!(
                f,
                "{} is outside the folder it must be read from",
                p.display()
            ),
            // The editor's words for the common cases, not the system's
            // ("entity not found").
            InputError::Io(p, e) => match e.kind() {
                std::io::ErrorKind::NotFound => {
                    write!(f, "there is no file {}", p.display())
                }
                std::io::ErrorKind::PermissionDenied => write!(
                    f,
                    "cannot read {}: this account may not open it",
                    p.display()
                ),
                _ => write!(f, "cannot read {}: {e}", p.display()),
            },
        }
    }
}

impl std::error::Error for InputError {}

/// What a file's type is called in messages.
fn kind_name(ft: &fs::FileType) -> &'static str {
    #[cfg(unix)]
    {
        use std::os::unix::fs::FileTypeExt;
        if ft.is_fifo() {
            return "a FIFO (named pipe)";
        }
        if ft.is_char_device() || ft.is_block_device() {
            return "a device";
        }
        if ft.is_socket() {
            return "a socket";
        }
    }
    if ft.is_dir() {
        "a folder"
    } else if ft.is_symlink() {
        "a symbolic link"
    } else {
        "not a regular file"
    }
}

/// The components of `path` below `root`: `path` must be `root` joined with
/// plain names (no `..`, no absolute part).
fn below(root: &Path, path: &Path) -> Result<Vec<PathBuf>, InputError> {
    let rel = path
        .strip_prefix(root)
        .map_err(|_| InputError::Outside(path.to_path_buf()))?;
    let mut out = Vec::new();
    let mut at = root.to_path_buf();
    for c in rel.components() {
        match c {
            Component::Normal(n) => {
                at.push(n);
                out.push(at.clone());
            }
            Component::CurDir => {}
            _ => return Err(InputError::Outside(path.to_path_buf())),
        }
    }
    Ok(out)
}

/// Checks every component of `path` below `root` without following links:
/// folders on the way must be real folders; returns the last component's
/// type (`None` when it does not exist).
fn walk(root: &Path, path: &Path) -> Result<Option<fs::FileType>, InputError> {
    let parts = below(root, path)?;
    let n = parts.len();
    for (i, p) in parts.into_iter().enumerate() {
        let meta = match fs::symlink_metadata(&p) {
            Ok(m) => m,
            Err(e) if e.kind() == io::ErrorKind::NotFound => return Ok(None),
            Err(e) => return Err(InputError::Io(p, e)),
        };
        let ft = meta.file_type();
        if ft.is_symlink() {
            return Err(InputError::Link(p));
        }
        if i + 1 == n {
            return Ok(Some(ft));
        }
        if !ft.is_dir() {
            return Err(InputError::NotFolder(p));
        }
    }
    // `path` is the root itself.
    fs::metadata(root)
        .map(|m| Some(m.file_type()))
        .map_err(|e| InputError::Io(root.to_path_buf(), e))
}

/// Whether `path` (below `root`) exists, without following links: a link
/// exists (and is refused when read).
pub fn exists(root: &Path, path: &Path) -> bool {
    match below(root, path) {
        Ok(_) => fs::symlink_metadata(path).is_ok(),
        Err(_) => false,
    }
}

/// Opens `path` for reading: never follows a link in its last component,
/// never blocks, and refuses anything but a regular file.
fn open_regular(path: &Path) -> Result<(File, u64), InputError> {
    let mut options = fs::OpenOptions::new();
    options.read(true);
    #[cfg(unix)]
    {
        use std::os::unix::fs::OpenOptionsExt;
        options.custom_flags(libc::O_NOFOLLOW | libc::O_NONBLOCK | libc::O_NOCTTY);
    }
    let file = match options.open(path) {
        Ok(f) => f,
        Err(e) => {
            // ELOOP: the last component is a link.
            if fs::symlink_metadata(path).is_ok_and(|m| m.file_type().is_symlink()) {
                return Err(InputError::Link(path.to_path_buf()));
            }
            return Err(InputError::Io(path.to_path_buf(), e));
        }
    };
    let meta = file
        .metadata()
        .map_err(|e| InputError::Io(path.to_path_buf(), e))?;
    if !meta.file_type().is_file() {
        return Err(InputError::NotFile(
            path.to_path_buf(),
            kind_name(&meta.file_type()),
        ));
    }
    Ok((file, meta.len()))
}

fn read_open(path: &Path, file: File, len: u64, max: u64) -> Result<Vec<u8>, InputError> {
    if len > max {
        return Err(InputError::TooLarge(path.to_path_buf(), len, max));
    }
    let mut bytes = Vec::with_capacity(len as usize);
    // A file that grows while it is read is still cut at the limit.
    file.take(max + 1)
        .read_to_end(&mut bytes)
        .map_err(|e| InputError::Io(path.to_path_buf(), e))?;
    if bytes.len() as u64 > max {
        return Err(InputError::TooLarge(
            path.to_path_buf(),
            bytes.len() as u64,
            max,
        ));
    }
    Ok(bytes)
}

/// Reads the regular file `path`, which lies below `root` (joined from plain
/// names), at most `max` bytes. No component below `root` may be a link.
pub fn read(root: &Path, path: &Path, max: u64) -> Result<Vec<u8>, InputError> {
    match walk(root, path)? {
        None => {
            return Err(InputError::Io(
                path.to_path_buf(),
                io::Error::from(io::ErrorKind::NotFound),
            ));
        }
        Some(ft) if !ft.is_file() => {
            return Err(InputError::NotFile(path.to_path_buf(), kind_name(&ft)));
        }
        Some(_) => {}
    }
    let (file, len) = open_regular(path)?;
    read_open(path, file, len, max)
}

/// Reads one file named on its own (e.g. a file git hands to the diff
/// driver): a regular file, not a link, at most `max` bytes.
pub fn read_file(path: &Path, max: u64) -> Result<Vec<u8>, InputError> {
    let (file, len) = open_regular(path)?;
    read_open(path, file, len, max)
}

/// One entry of a folder listing.
#[derive(Debug, Clone)]
pub struct Entry {
    /// The entry's path (the folder joined with its name).
    pub path: PathBuf,
    /// Its type, links not followed.
    pub file_type: fs::FileType,
}

/// Lists the folder `dir` below `root` (which may be `root` itself), sorted
/// by name; no component below `root` may be a link.
pub fn list(root: &Path, dir: &Path) -> Result<Vec<Entry>, InputError> {
    match walk(root, dir)? {
        None => {
            return Err(InputError::Io(
                dir.to_path_buf(),
                io::Error::from(io::ErrorKind::NotFound),
            ));
        }
        Some(ft) if !ft.is_dir() => return Err(InputError::NotFolder(dir.to_path_buf())),
        Some(_) => {}
    }
    let mut out = Vec::new();
    for entry in fs::read_dir(dir).map_err(|e| InputError::Io(dir.to_path_buf(), e))? {
        let entry = entry.map_err(|e| InputError::Io(dir.to_path_buf(), e))?;
        let file_type = entry
            .file_type()
            .map_err(|e| InputError::Io(entry.path(), e))?;
        out.push(Entry {
            path: entry.path(),
            file_type,
        });
    }
    out.sort_by(|a, b| a.path.cmp(&b.path));
    Ok(out)
}

/// Whether `path`'s extension is `ext` in any letter case (`x.YAML`).
pub fn has_extension(path: &Path, exts: &[&str]) -> bool {
    path.extension()
        .and_then(|x| x.to_str())
        .is_some_and(|x| exts.iter().any(|e| x.eq_ignore_ascii_case(e)))
}

/// `rel` as a relative path that stays inside its folder, or `None`.
pub fn safe_relative(rel: &str) -> Option<&Path> {
    let path = Path::new(rel);
    let ok = !rel.is_empty()
        && !rel.contains('\0')
        && path
            .components()
            .all(|c| matches!(c, Component::Normal(_) | Component::CurDir));
    ok.then_some(path)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn relative_paths_stay_inside() {
        assert!(safe_relative("chapters/inleiding.txt").is_some());
        assert!(safe_relative("./a.txt").is_some());
        assert!(safe_relative("../2008/x.txt").is_none());
        assert!(safe_relative("/etc/passwd").is_none());
        assert!(safe_relative("a/../../b").is_none());
        assert!(safe_relative("").is_none());
    }

    #[test]
    fn links_below_the_root_are_refused_at_any_depth() {
        let dir = tempfile::tempdir().unwrap();
        let root = dir.path().join("ed");
        fs::create_dir_all(root.join("real")).unwrap();
        fs::write(root.join("real/a.txt"), "a").unwrap();
        fs::write(dir.path().join("secret"), "s").unwrap();
        #[cfg(unix)]
        {
            std::os::unix::fs::symlink(root.join("real"), root.join("linked")).unwrap();
            std::os::unix::fs::symlink(dir.path().join("secret"), root.join("s.txt")).unwrap();
            assert!(matches!(
                read(&root, &root.join("linked/a.txt"), 10),
                Err(InputError::Link(p)) if p.ends_with("linked")
            ));
            assert!(matches!(
                read(&root, &root.join("s.txt"), 10),
                Err(InputError::Link(_))
            ));
            assert!(matches!(
                list(&root, &root.join("linked")),
                Err(InputError::Link(_))
            ));
        }
        assert_eq!(read(&root, &root.join("real/a.txt"), 10).unwrap(), b"a");
        assert!(matches!(
            read(&root, &root.join("real/a.txt"), 0),
            Err(InputError::TooLarge(_, 1, 0))
        ));
        assert!(matches!(
            read(&root, &root.join("real/../real/a.txt"), 10),
            Err(InputError::Outside(_))
        ));
    }

    #[cfg(unix)]
    #[test]
    fn a_fifo_is_refused_without_blocking() {
        let dir = tempfile::tempdir().unwrap();
        let fifo = dir.path().join("f.yaml");
        let c = std::ffi::CString::new(fifo.to_str().unwrap()).unwrap();
        // SAFETY: a valid NUL-terminated path.
        assert_eq!(unsafe { libc::mkfifo(c.as_ptr(), 0o644) }, 0);
        let e = read(dir.path(), &fifo, 10).unwrap_err();
        assert!(e.to_string().contains("FIFO"), "{e}");
        let e = read_file(&fifo, 10).unwrap_err();
        assert!(e.to_string().contains("FIFO"), "{e}");
        let e = read_file(Path::new("/dev/zero"), 10).unwrap_err();
        assert!(e.to_string().contains("device"), "{e}");
    }
}
