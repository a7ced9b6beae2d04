//! Loading: reads one edition folder into typed values, keeping each file's
//! text and field positions for the checks that follow.
//!
//! Loading never stops at the first broken file: every file is read and
//! every parse error is collected.

use std::fs;
use std::path::{Component, Path, PathBuf};

use serde::de::DeserializeOwned;

use crate::diagnostics::{Diagnostic, SourceCache};
use crate::input;
use crate::locate::{Locations, Pos};
use crate::model::{EditionFile, LetterFile, RecommendationsFile, UnitFile};

/// The largest YAML or text file read, in bytes.
pub const MAX_FILE_BYTES: u64 = 4 * 1024 * 1024;
/// The most unit files an edition may have.
pub const MAX_UNITS: usize = 20_000;

/// One parsed file with what is needed to point into it.
#[derive(Debug, Clone)]
pub struct Located<T> {
    /// The parsed value.
    pub value: T,
    /// The path as shown in messages.
    pub path: PathBuf,
    /// Positions of keys and values.
    pub locations: Locations,
}

impl<T> Located<T> {
    /// An error at the value of `field` (or at the file when it has no position).
    pub fn error_at(&self, field: &str, message: impl Into<String>) -> Diagnostic {
        Diagnostic::error(&self.path, message)
            .at(self.locations.value(field))
            .field(field)
    }

    /// An error at the key of `field`.
    pub fn error_at_key(&self, field: &str, message: impl Into<String>) -> Diagnostic {
        Diagnostic::error(&self.path, message)
            .at(self.locations.key(field))
            .field(field)
    }
}

/// An editor's free chapter and its text.
#[derive(Debug, Clone)]
pub struct ChapterText {
    /// The chapter's id in `edition.yaml`.
    pub id: String,
    /// The text in the inline subset.
    pub text: String,
    /// The path as shown in messages.
    pub path: PathBuf,
}

/// Everything read from one edition folder.
#[derive(Debug, Clone)]
pub struct LoadedEdition {
    /// The edition folder as given.
    pub dir: PathBuf,
    /// `edition.yaml`.
    pub edition: Located<EditionFile>,
    /// The unit files that could be parsed, sorted by file name.
    pub units: Vec<Located<UnitFile>>,
    /// The names (without `.yaml`) of all unit files found, parsed or not.
    pub unit_files: Vec<String>,
    /// `recommendations.yaml`, when present.
    pub recommendations: Option<Located<RecommendationsFile>>,
    /// `letter.yaml`, when present.
    pub letter: Option<Located<LetterFile>>,
    /// The free chapters that could be read.
    pub chapters: Vec<ChapterText>,
    /// The previous edition, loaded without its own predecessor.
    pub previous: Option<Box<LoadedEdition>>,
}

/// The result of loading: the edition (if `edition.yaml` could be read) and
/// every problem met on the way.
pub struct Loaded {
    /// The edition, absent when `edition.yaml` itself is unusable.
    pub edition: Option<LoadedEdition>,
    /// Problems found while reading and parsing.
    pub diagnostics: Vec<Diagnostic>,
    /// The texts of all files read, for snippets.
    pub sources: SourceCache,
}

/// Loads the edition in `dir` and, one level deep, its previous edition.
pub fn load(dir: &Path) -> Loaded {
    let mut loader = Loader {
        diagnostics: Vec::new(),
        sources: SourceCache::default(),
        root: dir.to_path_buf(),
    };
    let edition = loader.edition(dir, true);
    Loaded {
        edition,
        diagnostics: loader.diagnostics,
        sources: loader.sources,
    }
}

struct Loader {
    diagnostics: Vec<Diagnostic>,
    sources: SourceCache,
    /// The edition folder being read: nothing below it is read through a
    /// symbolic link.
    root: PathBuf,
}

impl Loader {
    fn edition(&mut self, dir: &Path, with_previous: bool) -> Option<LoadedEdition> {
        self.root = dir.to_path_buf();
        let edition: Located<EditionFile> = self.yaml(&dir.join("edition.yaml"))?;

        let (units, unit_files) = self.units(&dir.join("units"));
        let rec_path = dir.join("recommendations.yaml");
        let recommendations = if input::exists(dir, &rec_path) {
            self.yaml(&rec_path)
        } else {
            None
        };

        let letter_path = dir.join("letter.yaml");
        let letter = if input::exists(dir, &letter_path) {
            self.yaml(&letter_path)
        } else {
            None
        };

        let mut chapters = Vec::new();
        for (i, chapter) in edition.value.chapters.iter().enumerate() {
            let field = format!("chapters[{i}].file");
            let Some(rel) = safe_relative(&chapter.file) else {
                self.diagnostics.push(
                    edition
                        .error_at(
                            &field,
                            format!(
                                "found {:?}, expected a path inside the edition folder",
                                chapter.file
                            ),
                        )
                        .hint("write the path relative to the edition folder, without `..`"),
                );
                continue;
            };
            let path = dir.join(rel);
            match self.text(&path) {
                Ok(text) => chapters.push(ChapterText {
                    id: chapter.id.clone(),
                    text,
                    path,
                }),
                Err(message) => self.diagnostics.push(edition.error_at(&field, message)),
            }
        }

        let previous = match (&edition.value.previous, with_previous) {
            (Some(prev), true) => self.previous(dir, prev, &edition),
            _ => None,
        };

        Some(LoadedEdition {
            dir: dir.to_path_buf(),
            edition,
            units,
            unit_files,
            recommendations,
            letter,
            chapters,
            previous,
        })
    }

    fn previous(
        &mut self,
        dir: &Path,
        prev: &str,
        edition: &Located<EditionFile>,
    ) -> Option<Box<LoadedEdition>> {
        let prev_dir = dir.join(prev);
        let problem = if prev.trim().is_empty() {
            Some("found an empty path, expected the previous edition's folder".to_string())
        } else if Path::new(prev).is_absolute() {
            Some(format!(
                "found the absolute path {prev:?}, expected a folder relative to this edition, e.g. `../2008`"
            ))
        } else if let Some(link) = linked_component(dir, prev) {
            Some(if link == prev_dir {
                format!(
                    "{} is a symbolic link; expected the previous edition's folder itself",
                    prev_dir.display()
                )
            } else {
                format!(
                    "{} is a symbolic link; expected real folders on the way to the previous edition",
                    link.display()
                )
            })
        } else if !prev_dir.join("edition.yaml").is_file() {
            Some(format!(
                "the previous edition cannot be loaded: {} has no edition.yaml",
                prev_dir.display()
            ))
        } else {
            None
        };
        if let Some(message) = problem {
            self.diagnostics.push(
                edition
                    .error_at("previous", message)
                    .hint("give the folder relative to this edition's folder, e.g. `../2008`"),
            );
            return None;
        }
        let before = self.diagnostics.len();
        let root = std::mem::replace(&mut self.root, prev_dir.clone());
        let loaded = self.edition(&prev_dir, false);
        self.root = root;
        if loaded.is_none() || self.diagnostics[before..].iter().any(Diagnostic::is_error) {
            self.diagnostics.push(edition.error_at(
                "previous",
                format!(
                    "the previous edition {} cannot be loaded (see the errors above)",
                    prev_dir.display()
                ),
            ));
        }
        loaded.map(Box::new)
    }

    fn units(&mut self, dir: &Path) -> (Vec<Located<UnitFile>>, Vec<String>) {
        let root = self.root.clone();
        let entries = match input::list(&root, dir) {
            Ok(entries) => entries,
            Err(e) => {
                self.diagnostics.push(Diagnostic::error(
                    dir,
                    format!("cannot read the units folder: {e}"),
                ));
                return (Vec::new(), Vec::new());
            }
        };
        // Every `.yaml`/`.yml` file in any letter case is a unit file (and
        // is read, so that a link or FIFO among them is reported).
        let mut paths: Vec<PathBuf> = entries
            .into_iter()
            .map(|e| e.path)
            .filter(|p| is_unit_file(p))
            .collect();
        if paths.len() > MAX_UNITS {
            self.diagnostics.push(Diagnostic::error(
                dir,
                format!(
                    "found {} unit files, expected at most {MAX_UNITS}",
                    paths.len()
                ),
            ));
            paths.truncate(MAX_UNITS);
        }
        let stems = paths
            .iter()
            .filter_map(|p| p.file_stem().and_then(|s| s.to_str()).map(str::to_string))
            .collect();
        (paths.iter().filter_map(|p| self.yaml(p)).collect(), stems)
    }

    /// Reads a text file within the size limit, keeping it for snippets.
    fn text(&mut self, path: &Path) -> Result<String, String> {
        // A symbolic link (to a file or a folder on the way) could point
        // anywhere on the machine, and a FIFO would block: editions are
        // read from their own regular files only.
        let bytes = input::read(&self.root, path, MAX_FILE_BYTES).map_err(|e| e.to_string())?;
        let mut text = String::from_utf8(bytes)
            .map_err(|e| format!("{} is {}", path.display(), not_utf8(e.as_bytes(), &e)))?;
        // A byte-order mark is allowed and dropped; CRLF line ends are read as LF.
        if let Some(stripped) = text.strip_prefix('\u{feff}') {
            text = stripped.to_string();
        }
        if text.contains('\r') {
            text = text.replace("\r\n", "\n");
        }
        self.sources.insert(path, &text);
        Ok(text)
    }

    /// Reads and parses one YAML file; problems become diagnostics.
    fn yaml<T: DeserializeOwned>(&mut self, path: &Path) -> Option<Located<T>> {
        let text = match self.text(path) {
            Ok(text) => text,
            Err(message) => {
                self.diagnostics.push(Diagnostic::error(path, message));
                return None;
            }
        };
        match parse_yaml::<T>(path, &text) {
            Ok(value) => Some(Located {
                value,
                path: path.to_path_buf(),
                locations: Locations::index(&text),
            }),
            Err(d) => {
                self.diagnostics.push(*d);
                None
            }
        }
    }
}

/// The extensions of unit files, in any letter case.
pub const UNIT_EXTENSIONS: &[&str] = &["yaml", "yml"];

/// Whether `path` in `units/` is a unit file: `.yaml` or `.yml` in any
/// letter case, and not a temporary file of this program (`fmt` killed
/// while writing leaves `.korpsmonitor-tmp-*`, removed by the next `fmt`).
pub fn is_unit_file(path: &Path) -> bool {
    input::has_extension(path, UNIT_EXTENSIONS)
        && !path
            .file_name()
            .and_then(|n| n.to_str())
            .is_some_and(|n| n.starts_with(crate::output::TMP_PREFIX))
}

/// Parses one YAML document of `path` (as named in messages): first within
/// the resource limits of [`crate::yaml_limits`] (expanded size, depth,
/// duplicate keys), then with serde_yaml. Every YAML text the program reads
/// goes through here.
pub fn parse_yaml<T: DeserializeOwned>(path: &Path, text: &str) -> Result<T, Box<Diagnostic>> {
    if let Err(e) = crate::yaml_limits::check(text) {
        return Err(Box::new(
            Diagnostic::error(path, e.message)
                .at(Some(e.pos))
                .hint(e.hint),
        ));
    }
    serde_yaml::from_str(text).map_err(|e| {
        let mut d = yaml_error(path, &e);
        // libyaml's reader errors (a raw control character, a byte-order
        // mark inside the text) give a byte offset, "at position N", and no
        // line: place them at that offset.
        if let Some(at) = reader_offset(&d.message) {
            d.pos = Some(pos_of_offset(text, at));
            d.message = d.message.replace(&format!(" at position {at}"), "");
        }
        Box::new(d)
    })
}

/// What is wrong with `bytes`, which are not UTF-8, for a message after
/// "<file> is": UTF-16 by its byte-order mark, else the first bad byte by
/// line and column (a file saved as Windows-1252 or Latin-1 has `é` as one
/// byte, 0xE9).
pub fn not_utf8(bytes: &[u8], e: &std::string::FromUtf8Error) -> String {
    if bytes.starts_with(&[0xff, 0xfe]) || bytes.starts_with(&[0xfe, 0xff]) {
        return "UTF-16 (it starts with a UTF-16 byte-order mark), expected UTF-8; save it as UTF-8".into();
    }
    let at = e.utf8_error().valid_up_to();
    // The valid part is UTF-8 by definition.
    let before = std::str::from_utf8(&bytes[..at]).unwrap_or_default();
    let pos = pos_of_offset(before, at);
    format!(
        "not valid UTF-8: byte 0x{:02X} at line {}, column {} (offset {at}), expected UTF-8; save it as UTF-8 (Windows-1252 and Latin-1 write `é` as the one byte 0xE9)",
        bytes[at], pos.line, pos.column
    )
}

/// The byte offset of a libyaml reader error ("... at position 19").
fn reader_offset(message: &str) -> Option<usize> {
    let (_, n) = message.rsplit_once(" at position ")?;
    n.parse().ok()
}

/// The line and column (in characters, both 1-based) of byte `offset` in
/// `text`; an offset past the end or inside a character counts from the
/// character boundary before it.
fn pos_of_offset(text: &str, offset: usize) -> Pos {
    let mut at = offset.min(text.len());
    while !text.is_char_boundary(at) {
        at -= 1;
    }
    let before = &text[..at];
    let line_start = before.rfind('\n').map_or(0, |i| i + 1);
    Pos {
        line: before.matches('\n').count() + 1,
        column: before[line_start..].chars().count() + 1,
    }
}

/// Turns a serde_yaml error into a diagnostic with position and field path.
pub fn yaml_error(path: &Path, e: &serde_yaml::Error) -> Diagnostic {
    let pos = e.location().map(|l| Pos {
        line: l.line(),
        column: l.column(),
    });
    // serde_yaml's text is "path: message at line L column C"; split it.
    let mut text = e.to_string();
    if let Some(i) = text.rfind(" at line ") {
        text.truncate(i);
    }
    let (field, message) = match text.split_once(": ") {
        Some((f, m)) if !f.contains(' ') && f != "unknown field" => (f.to_string(), m.to_string()),
        _ => (String::new(), text),
    };
    let message = message.replace(
        "did not find expected key",
        "found a key that is not aligned",
    );
    Diagnostic::error(path, message).at(pos).field(field)
}

/// The first component of `rel`, joined to `dir` one by one, that is a
/// symbolic link (`../links/2008` with `links` a link, not only `../2008`).
fn linked_component(dir: &Path, rel: &str) -> Option<PathBuf> {
    let mut at = dir.to_path_buf();
    for c in Path::new(rel).components() {
        at.push(c);
        if matches!(c, Component::Normal(_))
            && fs::symlink_metadata(&at).is_ok_and(|m| m.file_type().is_symlink())
        {
            return Some(at);
        }
    }
    None
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
    fn raw_control_characters_are_placed_at_their_offset() {
        #[derive(serde::Deserialize, Debug)]
        #[allow(dead_code)]
        struct Unit {
            id: String,
            name: String,
        }
        let d =
            parse_yaml::<Unit>(Path::new("u.yaml"), "id: alfa\nname: Älfa\u{1b}[2J\n").unwrap_err();
        assert_eq!(
            d.pos,
            Some(Pos {
                line: 2,
                column: 11
            })
        );
        assert_eq!(d.message, "control characters are not allowed");
    }

    #[test]
    fn yaml_errors_carry_field_and_position() {
        #[derive(serde::Deserialize, Debug)]
        #[serde(deny_unknown_fields)]
        #[allow(dead_code)]
        struct Inner {
            max_points: u32,
        }
        #[derive(serde::Deserialize, Debug)]
        #[serde(deny_unknown_fields)]
        #[allow(dead_code)]
        struct Outer {
            items: Vec<Inner>,
        }
        let d =
            parse_yaml::<Outer>(Path::new("e.yaml"), "items:\n  - max_points: vier\n").unwrap_err();
        assert_eq!(d.field.as_deref(), Some("items[0].max_points"));
        assert_eq!(
            d.pos,
            Some(Pos {
                line: 2,
                column: 17
            })
        );
        assert!(
            d.message.starts_with("invalid type: string \"vier\""),
            "{}",
            d.message
        );
        let d = parse_yaml::<Outer>(Path::new("e.yaml"), "items:\n  - max_point: 4\n").unwrap_err();
        assert!(d.message.starts_with("unknown field `max_point`"), "{d}");
        assert_eq!(d.pos.map(|p| p.line), Some(2));
    }
}
