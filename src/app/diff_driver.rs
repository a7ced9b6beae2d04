//! The external diff command git calls for an edition's YAML files
//! (`korpsmonitor git-diff-driver`, docs/reviewing.md): what git's
//! arguments mean ([`DriverCall`]) and what to show for them
//! ([`driver_output`]).
//!
//! The argument forms are git's. `git help git`, GIT_EXTERNAL_DIFF,
//! documents two: 7 arguments `path old-file old-hex old-mode new-file
//! new-hex new-mode` for a path added, removed or modified (`/dev/null` as
//! the file, and `.` as hex and mode, for the side where it does not
//! exist), and 1 argument `path` for a path that is unmerged. For a rename
//! or copy git appends two more (its diff.c, `run_external_diff`): the new
//! path and the extended header lines it would print itself
//! (`similarity index 94%`, `rename from a`, `rename to b`, `index ...`).
//!
//! git stops the whole diff, and leaves every later file unshown, when the
//! command exits non-zero (git-config, `diff.<driver>.trustExitCode`
//! unset), so nothing here fails: a file without a semantic diff gets a
//! plain line diff and a note saying why, a file that cannot be read gets
//! a note.

use std::ffi::OsString;
use std::path::{Path, PathBuf};
use std::time::Duration;

use serde::Serialize;
use serde::de::DeserializeOwned;

use crate::base::term::clean;
use crate::data::model::{EditionFile, LetterFile, RecommendationsFile, UnitFile};
use crate::figures::diff::{self, EditionDiff, FieldChange};

/// The longest a plain line diff may search for the shortest edit before
/// it settles for a longer one (similar's deadline).
const LINE_DIFF_TIMEOUT: Duration = Duration::from_secs(2);

/// One side of a changed path as git passes it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Version {
    /// A file holding the content: a temporary file, the working file, or
    /// `/dev/null` when the path does not exist on this side.
    pub file: PathBuf,
    /// The blob id, `.` when the path does not exist on this side.
    pub hex: String,
    /// The octal mode (`100644`), `.` when the path does not exist here.
    pub mode: String,
}

impl Version {
    /// Whether the path does not exist on this side (git passes
    /// `/dev/null`).
    pub fn is_absent(&self) -> bool {
        self.file == Path::new("/dev/null")
    }
}

/// One call of the driver, by the number of arguments git passed (see the
/// module documentation for the forms and their source).
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum DriverCall {
    /// 1 argument: a path that is unmerged (a merge conflict).
    Unmerged {
        /// The path in the repository.
        path: String,
    },
    /// 7 arguments, or 8 or 9 for a rename or copy.
    Pair {
        /// The path in the repository (the old path of a rename or copy).
        path: String,
        /// The old side.
        old: Version,
        /// The new side.
        new: Version,
        /// The new path of a rename or copy (8th argument).
        new_path: Option<String>,
        /// git's extended header lines for a rename or copy (9th argument).
        metadata: Option<String>,
    },
    /// Any other number of arguments: none of git's forms.
    Unknown {
        /// How many arguments there were.
        count: usize,
    },
}

impl DriverCall {
    /// The call that `args` (the arguments after the subcommand) make.
    /// Paths that are not UTF-8 are shown with replacement characters;
    /// the files are opened by their exact names.
    pub fn from_args(args: &[OsString]) -> DriverCall {
        let text = |i: usize| args[i].to_string_lossy().into_owned();
        let version = |i: usize| Version {
            file: PathBuf::from(&args[i]),
            hex: text(i + 1),
            mode: text(i + 2),
        };
        match args.len() {
            1 => DriverCall::Unmerged { path: text(0) },
            7..=9 => DriverCall::Pair {
                path: text(0),
                old: version(1),
                new: version(4),
                new_path: (args.len() > 7).then(|| text(7)),
                metadata: (args.len() > 8).then(|| text(8)),
            },
            count => DriverCall::Unknown { count },
        }
    }
}

/// What the driver shows after its notes.
#[derive(Debug, Clone)]
pub enum DriverBody {
    /// Nothing more (the notes say why).
    Nothing,
    /// The semantic diff, rendered by [`crate::figures::diff::render`].
    Semantic(Box<EditionDiff>),
    /// Text to print as it is: a unified line diff or git's line for
    /// binary files; unsafe characters already escaped
    /// ([`crate::base::term::clean`]).
    Text(String),
}

/// What the driver prints for one call: one-line notes (a rename or copy,
/// a mode change, a file added or deleted, why there is no semantic diff),
/// each escaped for a terminal, then the body.
#[derive(Debug, Clone)]
pub struct DriverOutput {
    /// The notes, in order, without line breaks.
    pub notes: Vec<String>,
    /// The diff itself.
    pub body: DriverBody,
}

/// What to show for `call`. Never fails: when the semantic diff is not
/// possible (a version that does not parse, has conflict markers, is not
/// UTF-8 or is binary, or a file kind other than `edition.yaml`,
/// `recommendations.yaml`, `letter.yaml` and `units/*.yaml`) it is a note
/// saying why and a plain line diff (for binary content, git's one line);
/// when a version cannot be read (not a regular file, too large) it is a
/// note alone.
pub fn driver_output(call: &DriverCall) -> DriverOutput {
    match call {
        DriverCall::Unmerged { path } => DriverOutput {
            notes: vec![format!(
                "note: {} is unmerged (a merge conflict): the index holds no single version \
                 of it to compare; `git diff` shows the conflict in the working tree",
                clean(path)
            )],
            body: DriverBody::Nothing,
        },
        DriverCall::Unknown { count } => DriverOutput {
            notes: vec![format!(
                "note: git-diff-driver takes 1, 7 or 9 arguments (git help git, \
                 GIT_EXTERNAL_DIFF), got {count}: nothing to show"
            )],
            body: DriverBody::Nothing,
        },
        DriverCall::Pair {
            path,
            old,
            new,
            new_path,
            metadata,
        } => {
            let new_path = new_path.as_deref().unwrap_or(path);
            let mut notes = header_notes(path, new_path, old, new, metadata.as_deref());
            let body = pair_body(path, new_path, old, new, &mut notes);
            DriverOutput { notes, body }
        }
    }
}

/// The notes that describe the change of path and mode, as git's extended
/// header would: renamed or copied (with git's similarity index), mode
/// changed, new file, deleted file.
fn header_notes(
    path: &str,
    new_path: &str,
    old: &Version,
    new: &Version,
    metadata: Option<&str>,
) -> Vec<String> {
    let mut notes = Vec::new();
    let meta_lines: Vec<&str> = metadata.map(|m| m.lines().collect()).unwrap_or_default();
    let has = |prefix: &str| meta_lines.iter().any(|l| l.starts_with(prefix));
    if new_path != path {
        let how = if has("copy from") {
            "copied"
        } else if has("rename from") {
            "renamed"
        } else {
            "renamed or copied"
        };
        let similarity = meta_lines
            .iter()
            .find(|l| l.starts_with("similarity index") || l.starts_with("dissimilarity index"))
            .map(|l| format!(" ({})", clean(l.trim())))
            .unwrap_or_default();
        notes.push(format!(
            "{how} from {} to {}{similarity}",
            clean(path),
            clean(new_path)
        ));
    }
    if old.is_absent() && !new.is_absent() {
        notes.push(format!(
            "new file {} (mode {})",
            clean(new_path),
            clean(&new.mode)
        ));
    } else if new.is_absent() && !old.is_absent() {
        notes.push(format!(
            "deleted file {} (mode {})",
            clean(path),
            clean(&old.mode)
        ));
    } else if !old.is_absent() && old.mode != new.mode {
        notes.push(format!(
            "mode of {} changed from {} to {}",
            clean(new_path),
            clean(&old.mode),
            clean(&new.mode)
        ));
    }
    notes
}

/// The body for two versions: the semantic diff, or a note on `notes` and
/// the fallback.
fn pair_body(
    path: &str,
    new_path: &str,
    old: &Version,
    new: &Version,
    notes: &mut Vec<String>,
) -> DriverBody {
    let (old_bytes, new_bytes) = match (read_side(old), read_side(new)) {
        (Ok(o), Ok(n)) => (o, n),
        (Err(e), _) | (_, Err(e)) => {
            notes.push(format!(
                "note: no diff of {}: {}",
                clean(new_path),
                clean(&e)
            ));
            return DriverBody::Nothing;
        }
    };
    if old_bytes.is_some() && old_bytes == new_bytes {
        // A rename, copy or mode change alone.
        return DriverBody::Text(format!("{}: content unchanged\n", clean(new_path)));
    }
    let labels = (label(old, "a/", path), label(new, "b/", new_path));
    let binary = |b: &Option<Vec<u8>>| b.as_ref().is_some_and(|b| b.contains(&0));
    if binary(&old_bytes) || binary(&new_bytes) {
        notes.push(format!(
            "note: no semantic diff of {}: binary content (a NUL byte)",
            clean(new_path)
        ));
        return DriverBody::Text(format!(
            "Binary files {} and {} differ\n",
            clean(&labels.0),
            clean(&labels.1)
        ));
    }
    let old_text = Side::decode("old", old_bytes);
    let new_text = Side::decode("new", new_bytes);
    match semantic(new_path, &old_text, &new_text) {
        Ok(mut d) => {
            d.old = labels.0;
            d.new = labels.1;
            DriverBody::Semantic(Box::new(d))
        }
        Err(why) => {
            notes.push(format!(
                "note: no semantic diff of {}: {}; the lines that changed follow",
                clean(new_path),
                clean(&why)
            ));
            DriverBody::Text(line_diff(&old_text, &new_text, &labels))
        }
    }
}

/// How a side is named in a diff's header: `a/<path>`, or `/dev/null`.
fn label(v: &Version, prefix: &str, path: &str) -> String {
    if v.is_absent() {
        "/dev/null".into()
    } else {
        format!("{prefix}{path}")
    }
}

/// The bytes of one side (`None` where the path does not exist), read as
/// every input is ([`crate::base::input::read_file`]: a regular file, not
/// a link, at most [`crate::data::load::MAX_FILE_BYTES`]); the error's
/// text names the file.
fn read_side(v: &Version) -> Result<Option<Vec<u8>>, String> {
    if v.is_absent() {
        return Ok(None);
    }
    crate::base::input::read_file(&v.file, crate::data::load::MAX_FILE_BYTES)
        .map(Some)
        .map_err(|e| e.to_string())
}

/// One side's text, decoded.
struct Side {
    /// `old` or `new`, for notes.
    which: &'static str,
    /// The text (`None` where the path does not exist); a text that is not
    /// UTF-8 is decoded with replacement characters.
    text: Option<String>,
    /// Why the text is not UTF-8, when it is not.
    not_utf8: Option<String>,
}

impl Side {
    fn decode(which: &'static str, bytes: Option<Vec<u8>>) -> Side {
        match bytes.map(String::from_utf8) {
            None => Side {
                which,
                text: None,
                not_utf8: None,
            },
            Some(Ok(text)) => Side {
                which,
                text: Some(text),
                not_utf8: None,
            },
            Some(Err(e)) => {
                let why = crate::data::load::not_utf8(e.as_bytes(), &e);
                let text = String::from_utf8_lossy(e.as_bytes()).into_owned();
                Side {
                    which,
                    text: Some(text),
                    not_utf8: Some(why),
                }
            }
        }
    }

    /// The text as the loader reads it (without a byte-order mark, with
    /// `\n` line ends), or why it has no semantic reading: not UTF-8, or
    /// conflict markers.
    fn yaml(&self) -> Result<Option<String>, String> {
        if let Some(why) = &self.not_utf8 {
            return Err(format!("the {} version is {why}", self.which));
        }
        let Some(text) = &self.text else {
            return Ok(None);
        };
        let text = text.strip_prefix('\u{feff}').unwrap_or(text);
        if let Some(line) = conflict_marker(text) {
            return Err(format!(
                "the {} version has a merge conflict marker on line {line}",
                self.which
            ));
        }
        Ok(Some(text.replace("\r\n", "\n")))
    }
}

/// The 1-based line of the first merge conflict marker in `text`: a line
/// starting with seven `<`, `|`, `=` or `>` and then a space or the line's
/// end (git-merge-file's markers).
fn conflict_marker(text: &str) -> Option<usize> {
    text.lines()
        .position(|l| {
            ["<<<<<<<", "|||||||", "=======", ">>>>>>>"]
                .iter()
                .any(|m| {
                    l.strip_prefix(m)
                        .is_some_and(|rest| rest.is_empty() || rest.starts_with([' ', '\r']))
                })
        })
        .map(|i| i + 1)
}

/// The kinds of file the driver reads semantically, by path.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Kind {
    Edition,
    Recommendations,
    Letter,
    Unit,
    /// A free chapter's text (`chapters/*.txt`).
    Chapter,
}

/// The kind of the file at `path` in the repository: `edition.yaml`,
/// `recommendations.yaml`, `letter.yaml`, or a unit file in a `units`
/// folder ([`crate::data::load::is_unit_file`]); `None` for any other.
fn kind_of(path: &str) -> Option<Kind> {
    let p = Path::new(path);
    match p.file_name().and_then(|n| n.to_str()) {
        Some("edition.yaml") => Some(Kind::Edition),
        Some("recommendations.yaml") => Some(Kind::Recommendations),
        Some("letter.yaml") => Some(Kind::Letter),
        _ => {
            let in_units = p
                .parent()
                .and_then(|d| d.file_name())
                .is_some_and(|d| d == "units");
            let folder = |name: &str| {
                p.parent()
                    .and_then(|d| d.file_name())
                    .is_some_and(|d| d == name)
            };
            if folder("chapters") && p.extension().is_some_and(|x| x == "txt") {
                return Some(Kind::Chapter);
            }
            (in_units && crate::data::load::is_unit_file(p)).then_some(Kind::Unit)
        }
    }
}

/// The semantic diff of two versions of the file at `path`, or why there
/// is none. Every field of every file kind takes part: a unit file gives
/// its points, findings, verdicts and recommendations as `korpsmonitor
/// diff` does and every other changed field by path; `edition.yaml`,
/// `recommendations.yaml` and `letter.yaml` give every changed field.
fn semantic(path: &str, old: &Side, new: &Side) -> Result<EditionDiff, String> {
    let Some(kind) = kind_of(path) else {
        return Err(
            "not a file kind korpsmonitor reads (edition.yaml, recommendations.yaml, \
             letter.yaml, units/*.yaml or chapters/*.txt)"
                .into(),
        );
    };
    let (old_text, new_text) = (old.yaml()?, new.yaml()?);
    let mut d = EditionDiff::default();
    match kind {
        Kind::Edition => {
            d.fields = fields_of::<EditionFile>(path, old, &old_text, new, &new_text)?;
            // The method's changes first, by what they change.
            if let (Some(o), Some(n)) = (
                parse::<EditionFile>(old, &old_text)?,
                parse::<EditionFile>(new, &new_text)?,
            ) {
                d.method = crate::figures::method::changes(&o, &n);
                d.fields
                    .retain(|f| !crate::figures::method::is_method_field(&f.field));
            }
        }
        Kind::Recommendations => {
            d.fields = fields_of::<RecommendationsFile>(path, old, &old_text, new, &new_text)?
        }
        Kind::Letter => d.fields = fields_of::<LetterFile>(path, old, &old_text, new, &new_text)?,
        Kind::Chapter => {
            // Prose: by word, the changed sentences shown.
            let (o, n) = (
                old_text.clone().unwrap_or_default(),
                new_text.clone().unwrap_or_default(),
            );
            if o != n {
                let mut change = FieldChange::new(
                    format!(
                        "chapter {}",
                        Path::new(path)
                            .file_stem()
                            .and_then(|s| s.to_str())
                            .unwrap_or("")
                    ),
                    if old_text.is_some() {
                        o.clone()
                    } else {
                        "none".into()
                    },
                    if new_text.is_some() {
                        n.clone()
                    } else {
                        "none".into()
                    },
                );
                if old_text.is_some() && new_text.is_some() {
                    change.words = diff::words(&o, &n);
                }
                d.fields.push(change);
            }
        }
        Kind::Unit => {
            let o = parse::<UnitFile>(old, &old_text)?;
            let n = parse::<UnitFile>(new, &new_text)?;
            match (o, n) {
                (Some(o), Some(n)) => {
                    let u = diff::unit_files(&o, &n);
                    if !u.is_empty() {
                        d.units.push(u);
                    }
                }
                (None, Some(n)) => d.added_units.push(n.name),
                (Some(o), None) => d.removed_units.push(o.name),
                (None, None) => {}
            }
        }
    }
    Ok(d)
}

/// One side parsed (`None` where the path does not exist), or why it does
/// not parse: the loader's message, with its line and column.
fn parse<T: DeserializeOwned>(side: &Side, text: &Option<String>) -> Result<Option<T>, String> {
    let Some(text) = text else {
        return Ok(None);
    };
    crate::data::load::parse_yaml(Path::new("-"), text)
        .map(Some)
        .map_err(|d| {
            let at = d
                .pos
                .map(|p| format!("line {}, column {}: ", p.line, p.column))
                .unwrap_or_default();
            let message = d.message.lines().next().unwrap_or_default();
            format!("the {} version does not parse: {at}{message}", side.which)
        })
}

/// The diff of a file kind without units: every changed field.
fn fields_of<T: DeserializeOwned + Serialize>(
    path: &str,
    old: &Side,
    old_text: &Option<String>,
    new: &Side,
    new_text: &Option<String>,
) -> Result<Vec<FieldChange>, String> {
    let (o, n) = (parse::<T>(old, old_text)?, parse::<T>(new, new_text)?);
    let change =
        |old: &str, new: &str| vec![FieldChange::new(path.to_string(), old.into(), new.into())];
    Ok(match (&o, &n) {
        (Some(o), Some(n)) => diff::fields(o, n, &|_: &str| false),
        (None, Some(_)) => change("none", "added"),
        (Some(_), None) => change("present", "removed"),
        (None, None) => Vec::new(),
    })
}

/// A unified diff of the two texts (three lines of context) under the
/// headers `labels`, with unsafe characters escaped; empty when the texts
/// are equal.
fn line_diff(old: &Side, new: &Side, labels: &(String, String)) -> String {
    let (o, n) = (
        old.text.as_deref().unwrap_or_default(),
        new.text.as_deref().unwrap_or_default(),
    );
    let d = similar::TextDiff::configure()
        .timeout(LINE_DIFF_TIMEOUT)
        .diff_lines(o, n);
    let text = d
        .unified_diff()
        .context_radius(3)
        .header(&labels.0, &labels.1)
        .to_string();
    clean(&text).into_owned()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn args(list: &[&str]) -> Vec<OsString> {
        list.iter().map(OsString::from).collect()
    }

    #[test]
    fn the_argument_forms_of_git() {
        assert_eq!(
            DriverCall::from_args(&args(&["a.yaml"])),
            DriverCall::Unmerged {
                path: "a.yaml".into()
            }
        );
        let nine = args(&[
            "u/b.yaml",
            "/tmp/x/b.yaml",
            "0ff3",
            "100644",
            "/tmp/y/c.yaml",
            "d4de",
            "100755",
            "u/c.yaml",
            "similarity index 94%\nrename from u/b.yaml\nrename to u/c.yaml\n",
        ]);
        let DriverCall::Pair {
            new_path,
            metadata,
            new,
            ..
        } = DriverCall::from_args(&nine)
        else {
            panic!("not a pair");
        };
        assert_eq!(new_path.as_deref(), Some("u/c.yaml"));
        assert!(metadata.unwrap().contains("rename from"));
        assert_eq!(new.mode, "100755");
        assert_eq!(
            DriverCall::from_args(&args(&["a", "b"])),
            DriverCall::Unknown { count: 2 }
        );
    }

    #[test]
    fn conflict_markers_are_found_by_line() {
        assert_eq!(conflict_marker("a: 1\n<<<<<<< HEAD\nb\n"), Some(2));
        assert_eq!(conflict_marker("a: 1\n=======\n"), Some(2));
        assert_eq!(conflict_marker("a: '<<<<<<< no'\n========== x\n"), None);
    }

    #[test]
    fn file_kinds_by_path() {
        assert_eq!(kind_of("data/2010/units/a.yaml"), Some(Kind::Unit));
        assert_eq!(kind_of("data/2010/units/a.YML"), Some(Kind::Unit));
        assert_eq!(kind_of("data/2010/edition.yaml"), Some(Kind::Edition));
        assert_eq!(kind_of("data/2010/notes.yaml"), None);
        assert_eq!(kind_of("data/2010/units/a.txt"), None);
        assert_eq!(
            kind_of("data/2010/chapters/inleiding.txt"),
            Some(Kind::Chapter)
        );
    }
}
