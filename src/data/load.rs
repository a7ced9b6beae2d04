//! Loading: reads one edition folder into typed values, keeping each file's
//! text and field positions for the checks that follow.
//!
//! Loading never stops at the first broken file: every file is read and
//! every parse error is collected.

use std::any::{Any, TypeId};
use std::collections::HashMap;
use std::fs;
use std::path::{Component, Path, PathBuf};
use std::sync::Mutex;

use serde::de::DeserializeOwned;

use crate::base::diagnostics::{Diagnostic, SourceCache};
use crate::base::input;
use crate::base::locate::{Locations, Pos};
use crate::data::chain::{Broken, Chain, MAX_CHAIN};
use crate::data::model::{EditionFile, LetterFile, RecommendationsFile, UnitFile};

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
    /// An error at the value of `field`; when the file does not write
    /// `field`, at the mapping that lacks it ([`Locations::enclosing`]).
    pub fn error_at(&self, field: &str, message: impl Into<String>) -> Diagnostic {
        Diagnostic::error(&self.path, message)
            .at(self.value_pos(field))
            .field(field)
    }

    /// Where the value of `field` is; when the file does not write
    /// `field`, the mapping that lacks it.
    fn value_pos(&self, field: &str) -> Option<Pos> {
        self.locations
            .value(field)
            .or_else(|| self.locations.enclosing(field))
    }

    /// A warning at the value of `field`, placed as [`Located::error_at`]
    /// places an error.
    pub fn warning_at(&self, field: &str, message: impl Into<String>) -> Diagnostic {
        Diagnostic::warning(&self.path, message)
            .at(self.value_pos(field))
            .field(field)
    }

    /// An error at the key of `field`; when the file does not write
    /// `field`, at the mapping that lacks it ([`Locations::enclosing`]).
    pub fn error_at_key(&self, field: &str, message: impl Into<String>) -> Diagnostic {
        Diagnostic::error(&self.path, message)
            .at(self
                .locations
                .key(field)
                .or_else(|| self.locations.enclosing(field)))
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
    /// The previous edition, with its own previous editions: the whole
    /// chain that `previous:` links, at most [`MAX_CHAIN`] editions deep.
    pub previous: Option<Box<LoadedEdition>>,
}

impl LoadedEdition {
    /// This edition and every earlier one its `previous:` links reach, the
    /// newest first.
    pub fn chain(&self) -> impl Iterator<Item = &LoadedEdition> {
        std::iter::successors(Some(self), |e| e.previous.as_deref())
    }
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

/// Loads the edition in `dir` and the whole chain of editions before it
/// that `previous:` links. A chain that comes back to an edition already in
/// it, or is longer than [`MAX_CHAIN`], is an error at the `previous` field
/// that closes the loop or passes the limit; the chain stops there.
pub fn load(dir: &Path) -> Loaded {
    load_with(dir, None)
}

/// [`load`], taking each file whose text is unchanged since the last load
/// with `parsed` from it (its value and its problems) instead of parsing
/// it again; `parsed` then holds the files of this load.
pub fn load_with(dir: &Path, parsed: Option<&ParseCache>) -> Loaded {
    let earlier = parsed.map(ParseCache::take).unwrap_or_default();
    let mut loader = Loader {
        diagnostics: Vec::new(),
        sources: SourceCache::default(),
        root: dir.to_path_buf(),
        folders: Vec::new(),
        chain: None,
        earlier,
        parsed: parsed.map(|_| HashMap::new()),
        parses: 0,
    };
    let edition = loader.edition(dir);
    if let (Some(cache), Some(files)) = (parsed, loader.parsed) {
        cache.keep(files, loader.parses);
    }
    Loaded {
        edition,
        diagnostics: loader.diagnostics,
        sources: loader.sources,
    }
}

/// The files a session that loads the same edition again and again
/// (`watch`, `serve`) parsed in its last load, by path and type, with
/// their text: a file read again with the same text is not parsed again.
/// In `watch data/2010`, a rebuild after one changed finding loaded and
/// validated in a median of 9 to 14 ms instead of 19 to 21 ms (three
/// interleaved rounds of ten saves, 2 cores, 2026-12-07).
#[derive(Default)]
pub struct ParseCache {
    files: Mutex<ParsedFiles>,
    /// How many files the last load parsed (the others it took from here).
    parsed_last: std::sync::atomic::AtomicUsize,
}

type ParsedFiles = HashMap<(PathBuf, TypeId), Parsed>;

/// One file as [`Loader::yaml`] left it.
struct Parsed {
    text: String,
    /// The `Option<Located<T>>` parsed, for the type of the key.
    value: Box<dyn Any + Send>,
    /// Its problems.
    diagnostics: Vec<Diagnostic>,
}

impl ParseCache {
    fn take(&self) -> ParsedFiles {
        std::mem::take(&mut *self.files.lock().unwrap_or_else(|e| e.into_inner()))
    }

    fn keep(&self, files: ParsedFiles, parsed: usize) {
        *self.files.lock().unwrap_or_else(|e| e.into_inner()) = files;
        self.parsed_last
            .store(parsed, std::sync::atomic::Ordering::Relaxed);
    }

    /// How many files the last load parsed; the others were unchanged.
    pub fn parsed_last(&self) -> usize {
        self.parsed_last.load(std::sync::atomic::Ordering::Relaxed)
    }
}

impl std::fmt::Debug for ParseCache {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        let n = self.files.lock().map_or(0, |m| m.len());
        write!(f, "ParseCache({n} files)")
    }
}

struct Loader {
    diagnostics: Vec<Diagnostic>,
    sources: SourceCache,
    /// The edition folder being read: nothing below it is read through a
    /// symbolic link.
    root: PathBuf,
    /// The folders of the editions being read, the newest first, as given.
    folders: Vec<PathBuf>,
    /// The same folders resolved, to find a loop whatever way a path is
    /// written.
    chain: Option<Chain<PathBuf>>,
    /// The files parsed by the last load of a session, and those of this
    /// load (when there is a session).
    earlier: ParsedFiles,
    parsed: Option<ParsedFiles>,
    /// How many files this load parsed.
    parses: usize,
}

impl Loader {
    fn edition(&mut self, dir: &Path) -> Option<LoadedEdition> {
        self.root = dir.to_path_buf();
        let key = resolved(dir);
        match &mut self.chain {
            Some(chain) => chain.push(key),
            None => self.chain = Some(Chain::new(key)),
        }
        self.folders.push(dir.to_path_buf());
        let loaded = self.edition_in_chain(dir);
        self.folders.pop();
        if let Some(chain) = &mut self.chain {
            chain.pop();
        }
        loaded
    }

    fn edition_in_chain(&mut self, dir: &Path) -> Option<LoadedEdition> {
        // Every file is read even when edition.yaml is broken, so that all
        // their problems are reported at once.
        let edition: Option<Located<EditionFile>> = self.yaml(&dir.join("edition.yaml"));

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
        let edition = edition?;

        let mut chapters = Vec::new();
        for (i, chapter) in edition.value.chapters.iter().enumerate() {
            let field = format!("chapters[{i}].file");
            let Some(rel) = input::safe_relative(&chapter.file) else {
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
                Ok(text) => {
                    self.diagnostics
                        .extend(crate::data::invisible::directions(&path, &text));
                    chapters.push(ChapterText {
                        id: chapter.id.clone(),
                        text,
                        path,
                    });
                }
                Err(message) => self.diagnostics.push(edition.error_at(&field, message)),
            }
        }

        let previous = match &edition.value.previous {
            Some(prev) => self.previous(dir, prev, &edition),
            None => None,
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
        } else if prev_dir.join("edition.yaml").is_dir() {
            Some(format!(
                "the previous edition cannot be loaded: {} is a folder, not a file",
                prev_dir.join("edition.yaml").display()
            ))
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
        if let Some(d) = self.chain_problem(&prev_dir, edition) {
            self.diagnostics.push(d);
            return None;
        }
        let before = self.diagnostics.len();
        let root = std::mem::replace(&mut self.root, prev_dir.clone());
        let loaded = self.edition(&prev_dir);
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

    /// A loop back to an edition of the chain being read, or a chain longer
    /// than [`MAX_CHAIN`], as an error at `previous` of `edition`.
    fn chain_problem(&self, prev_dir: &Path, edition: &Located<EditionFile>) -> Option<Diagnostic> {
        let broken = self.chain.as_ref()?.check(&resolved(prev_dir)).err()?;
        Some(match broken {
            Broken::Loop(at) => {
                let names: Vec<String> = self.folders[at..]
                    .iter()
                    .chain([&prev_dir.to_path_buf()])
                    .map(|d| d.display().to_string())
                    .collect();
                edition
                    .error_at(
                        "previous",
                        format!(
                            "the chain of previous editions loops: {}; expected a chain that ends at the first edition",
                            names.join(" -> ")
                        ),
                    )
                    .hint("the first edition has no `previous:`; each other one names the edition just before it")
            }
            Broken::TooLong => edition
                .error_at(
                    "previous",
                    format!(
                        "the chain of previous editions is longer than {MAX_CHAIN} editions, expected at most {MAX_CHAIN}"
                    ),
                )
                .hint("leave `previous:` out of the oldest edition the monitor needs"),
        })
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

    /// Reads and parses one YAML file; problems become diagnostics. In a
    /// session, a file with the text it had in the last load is taken as
    /// it was parsed then.
    fn yaml<T>(&mut self, path: &Path) -> Option<Located<T>>
    where
        T: DeserializeOwned + Clone + Send + 'static,
    {
        let text = match self.text(path) {
            Ok(text) => text,
            Err(message) => {
                self.diagnostics.push(Diagnostic::error(path, message));
                return None;
            }
        };
        let Some(parsed) = &mut self.parsed else {
            let (value, problems) = parse_located(path, &text);
            self.diagnostics.extend(problems);
            return value;
        };
        let key = (path.to_path_buf(), TypeId::of::<T>());
        let same = self.earlier.remove(&key).filter(|p| p.text == text);
        let file = match same {
            Some(file) => file,
            None => {
                self.parses += 1;
                let (value, diagnostics) = parse_located::<T>(path, &text);
                Parsed {
                    text,
                    value: Box::new(value),
                    diagnostics,
                }
            }
        };
        self.diagnostics.extend(file.diagnostics.iter().cloned());
        let value = file
            .value
            .downcast_ref::<Option<Located<T>>>()
            .and_then(Clone::clone);
        parsed.insert(key, file);
        value
    }
}

/// The file at `path` with `text` parsed, and its problems.
fn parse_located<T: DeserializeOwned>(
    path: &Path,
    text: &str,
) -> (Option<Located<T>>, Vec<Diagnostic>) {
    // Invisible characters that break the YAML are named at their place;
    // the parser's own error would fall elsewhere and never name them.
    let mut problems = crate::data::invisible::check(path, text);
    if problems.iter().any(Diagnostic::is_error) {
        return (None, problems);
    }
    let locations = Locations::index(text);
    match parse_file::<T>(path, text, &locations) {
        Ok(value) => (
            Some(Located {
                value,
                path: path.to_path_buf(),
                locations,
            }),
            problems,
        ),
        Err(found) => {
            problems.extend(found);
            (None, problems)
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
            .is_some_and(|n| n.starts_with(crate::base::output::TMP_PREFIX))
}

/// Parses one YAML document of `path` (as named in messages): first within
/// the resource limits of [`crate::data::yaml_limits`] (expanded size, depth,
/// duplicate keys), then with serde_yaml. Every YAML text the program reads
/// goes through here.
pub fn parse_yaml<T: DeserializeOwned>(path: &Path, text: &str) -> Result<T, Box<Diagnostic>> {
    if let Err(e) = crate::data::yaml_limits::check(text) {
        return Err(Box::new(
            Diagnostic::error(path, e.message)
                .at(Some(e.pos))
                .hint(e.hint),
        ));
    }
    serde_yaml::from_str(text).map_err(|e| {
        let mut d = yaml_error(path, &e);
        if d.message.contains("more than one document") {
            return Box::new(syntax_error(path, text, &e));
        }
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
pub(crate) fn pos_of_offset(text: &str, offset: usize) -> Pos {
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

/// What follows the first YAML document of `text`, which serde_yaml
/// reports as "more than one document".
enum AfterDocument {
    /// A second document starts here: its `---` line, or, after a
    /// document closed with `...`, its first value. Every document counts,
    /// an empty one too (`---` twice at the top).
    Document(Pos),
    /// The first document ended where a line is indented less than the
    /// file's first line (`at`), which starts at `first`.
    Unaligned { at: Pos, first: Pos },
}

fn after_document(text: &str) -> Option<AfterDocument> {
    use saphyr_parser::{Event, Parser};
    let mut documents = 0;
    let mut first: Option<Pos> = None;
    for item in Parser::new_from_str(text) {
        let (event, span) = match item {
            Ok(ok) => ok,
            Err(e) => {
                let at = Pos {
                    line: e.marker().line(),
                    column: e.marker().col() + 1,
                };
                return Some(match first {
                    Some(first) if documents == 1 && at.column < first.column => {
                        AfterDocument::Unaligned { at, first }
                    }
                    _ => AfterDocument::Document(at),
                });
            }
        };
        let pos = Pos {
            line: span.start.line(),
            column: span.start.col() + 1,
        };
        match event {
            Event::DocumentStart(_) => {
                documents += 1;
                if documents == 2 {
                    return Some(AfterDocument::Document(pos));
                }
            }
            Event::MappingStart(..) | Event::SequenceStart(..) | Event::Scalar(..) => {
                first.get_or_insert(pos);
            }
            _ => {}
        }
    }
    None
}

/// A YAML syntax error in `text`, in the editor's terms: a tab that indents
/// a line is named as such (YAML allows only spaces there).
pub fn syntax_error(path: &Path, text: &str, e: &serde_yaml::Error) -> Diagnostic {
    let mut d = yaml_error(path, e);
    // libyaml's reader errors (a raw control character, a byte-order mark
    // inside the text) give a byte offset, "at position N", and no line.
    if let Some(at) = reader_offset(&d.message) {
        d.pos = Some(pos_of_offset(text, at));
        d.message = d.message.replace(&format!(" at position {at}"), "");
    }
    if d.message.contains("more than one document") {
        match after_document(text) {
            Some(AfterDocument::Unaligned { at, first }) => {
                d.message = format!(
                    "found a line indented less than the file's first line, expected the keys of the top level in one column (the first at line {}, column {})",
                    first.line, first.column
                );
                d.pos = Some(at);
                d.hint = Some(
                    "start every key of the top level in the same column, usually the first".into(),
                );
            }
            found => {
                d.message = "found a second YAML document, expected one per file".into();
                if let Some(AfterDocument::Document(at)) = found {
                    d.pos = Some(at);
                }
                d.hint = Some(
                    "remove the `---` line and what follows, or move it to its own file".into(),
                );
            }
        }
        return d;
    }
    let Some(pos) = d.pos else { return d };
    // The parser stops at the tab itself or at the token after it, on the
    // tab's line or (for a tab before a key) on the next.
    for line in [pos.line, pos.line.saturating_sub(1)] {
        let Some(t) = line.checked_sub(1).and_then(|i| text.lines().nth(i)) else {
            continue;
        };
        let indent = &t[..t.len() - t.trim_start_matches([' ', '\t']).len()];
        if let Some(i) = indent.find('\t') {
            d.message = "a tab indents this line; YAML indents with spaces only".to_string();
            d.pos = Some(Pos {
                line,
                column: i + 1,
            });
            d.hint = Some("replace the tab with spaces".to_string());
            return d;
        }
    }
    // A plain value that YAML reads as something other than text: the
    // nearest such line at or before the error, which the parser often
    // reports only lines later.
    let lines: Vec<&str> = text.lines().collect();
    // Lines of a block of text (after `|` or `>`) are text, whatever they hold.
    let mut in_block = vec![false; lines.len()];
    let mut block: Option<usize> = None;
    for (i, l) in lines.iter().enumerate() {
        let indent = l.len() - l.trim_start_matches(' ').len();
        if let Some(b) = block {
            if l.trim().is_empty() || indent > b {
                in_block[i] = true;
                continue;
            }
            block = None;
        }
        let v = l.trim_end();
        let head = v.trim_end_matches(['-', '+', '0', '1', '2', '3', '4', '5', '6', '7', '8', '9']);
        if head.ends_with(" |")
            || head.ends_with(" >")
            || head.ends_with("-|")
            || head.ends_with("->")
        {
            block = Some(indent);
        }
    }
    for line in (1..=pos.line.min(lines.len())).rev() {
        if in_block[line - 1] {
            continue;
        }
        if let Some((column, key, value, reason)) = misread_value(lines[line - 1])
            && (line == pos.line || value.starts_with(['[', '{', '"', '\'']))
        {
            let key = key.trim_start();
            d.message = format!("found {value}, {reason}");
            d.pos = Some(Pos { line, column });
            d.width = Some(value.chars().count());
            d.hint = Some(match value.chars().next() {
                Some(q @ ('"' | '\'')) => format!("close the quote: {key}{value}{q}"),
                _ => format!(
                    "put the whole value in quotes: {key}'{}'",
                    value.replace('\'', "''")
                ),
            });
            return d;
        }
    }
    d
}

/// The value on a YAML `line` (after `key: ` or `- `) when YAML would not
/// read it as the text it looks like: its column, the text before it, the
/// value, and why, in the editor's terms.
fn misread_value(line: &str) -> Option<(usize, &str, &str, &'static str)> {
    let mut start = line.len() - line.trim_start_matches(' ').len();
    while line[start..].starts_with("- ") {
        start += 2 + line[start + 2..].len() - line[start + 2..].trim_start_matches(' ').len();
    }
    let rest = &line[start..];
    if rest.starts_with('#') {
        return None;
    }
    if let Some(i) = rest.find(": ").filter(|_| !rest.starts_with(['"', '\''])) {
        start += i + 2 + rest[i + 2..].len() - rest[i + 2..].trim_start_matches(' ').len();
    }
    let value = line[start..].trim_end();
    let before = &line[..start];
    let first = value.chars().next()?;
    let reason = match first {
        '[' | '{' => {
            let close = if first == '[' { ']' } else { '}' };
            if value.ends_with(close)
                && value.matches(first).count() == value.matches(close).count()
            {
                return None;
            }
            if first == '[' {
                "expected text: a value that starts with `[` is read as a list"
            } else {
                "expected text: a value that starts with `{` is read as a mapping"
            }
        }
        '"' | '\'' => {
            if value.len() > 1 && value.ends_with(first) {
                return None;
            }
            "expected text: the quote that opens this value is not closed on its line"
        }
        '*' => {
            "expected text: a value that starts with `*` is read as a reference to another value"
        }
        '&' => "expected text: a value that starts with `&` is read as a label for this value",
        '!' => "expected text: a value that starts with `!` is read as a type",
        '%' | '@' | '`' => "expected text: YAML reserves this first character",
        '|' | '>'
            if value.len() > 1
                && !value[1..].starts_with(['-', '+', ' ', '#'])
                && !value[1..].bytes().all(|b| b.is_ascii_digit()) =>
        {
            "expected text: a value that starts with `|` or `>` is read as the start of a block of lines"
        }
        _ if value.contains(": ") => {
            "expected text: `: ` inside a value is read as a field and its value"
        }
        _ => return None,
    };
    Some((start + 1, before, value, reason))
}

/// The most rounds of typed parsing per file: each round finds one more
/// problem (or steps around one already reported).
const MAX_ROUNDS: usize = 300;

/// One step of a field path: a mapping key or a list index.
#[derive(Debug, Clone, PartialEq, Eq)]
enum Step {
    Key(String),
    Index(usize),
}

/// The steps of serde's path to an error.
fn steps_of(path: &serde_path_to_error::Path) -> Vec<Step> {
    let mut steps = Vec::new();
    for seg in path.iter() {
        match seg {
            serde_path_to_error::Segment::Seq { index } => steps.push(Step::Index(*index)),
            serde_path_to_error::Segment::Map { key } => steps.push(Step::Key(key.clone())),
            serde_path_to_error::Segment::Enum { .. } => {}
            serde_path_to_error::Segment::Unknown => steps.push(Step::Key("?".into())),
        }
    }
    steps
}

fn field_path(steps: &[Step]) -> String {
    let mut out = String::new();
    for s in steps {
        match s {
            Step::Key(k) => {
                if !out.is_empty() {
                    out.push('.');
                }
                out.push_str(k);
            }
            Step::Index(i) => out.push_str(&format!("[{i}]")),
        }
    }
    out
}

/// Parses `text` (the contents of `path`) into `T`, reporting every problem
/// of the file: a syntax error ends the file (nothing after it can be
/// read), but every value of the wrong type, unknown field and missing
/// field is reported, each at its value or key with its field path.
///
/// The YAML is first read into a tree; typed parsing of the tree stops at
/// the first problem, which is then reported and stepped around (the value
/// removed, or replaced by a stand-in of another type), and parsing starts
/// again, at most [`MAX_ROUNDS`] times. Problems caused only by a stand-in
/// are not reported.
pub fn parse_file<T: DeserializeOwned>(
    path: &Path,
    text: &str,
    locations: &Locations,
) -> Result<T, Vec<Diagnostic>> {
    let mut tree = read_tree(path, text)?;
    let mut problems: Vec<Diagnostic> = Vec::new();
    // Values replaced by stand-ins, with the index of the stand-in in use.
    let mut replaced: Vec<(Vec<Step>, usize)> = Vec::new();
    // Fields reported as misspelt, so not also as missing.
    let mut misspelt: Vec<Vec<Step>> = Vec::new();
    for _ in 0..MAX_ROUNDS {
        let error = match serde_path_to_error::deserialize::<_, T>(&tree) {
            Ok(value) if problems.is_empty() => return Ok(value),
            Ok(_) => return Err(problems),
            Err(e) => e,
        };
        let mut steps = steps_of(error.path());
        let message = error.inner().to_string();
        if let Some(name) = between_backticks(&message, "unknown field `") {
            if steps.last() != Some(&Step::Key(name.to_string())) {
                steps.push(Step::Key(name.to_string()));
            }
            let (d, meant) = unknown_field(path, locations, &message, &steps, name);
            // A misspelt field is not reported as missing as well.
            misspelt.extend(meant);
            problems.push(d);
            if !remove(&mut tree, &steps) {
                return Err(problems);
            }
            continue;
        }
        // A missing field is the parent's problem, reported at the child.
        let missing = between_backticks(&message, "missing field `");
        let target = match missing {
            Some(name) => {
                let mut child = steps.clone();
                child.push(Step::Key(name.to_string()));
                child
            }
            None => steps.clone(),
        };
        // Inside a stand-in (or the stand-in itself): a consequence of a
        // problem already reported, so try the next stand-in.
        let inside = replaced
            .iter()
            .map(|(p, _)| p)
            .filter(|p| target.starts_with(p))
            .max_by_key(|p| p.len())
            .cloned();
        if let Some(outer) = inside {
            if !stand_in(&mut tree, &mut replaced, outer, &message) {
                return Err(problems);
            }
            continue;
        }
        let field = field_path(&target);
        if missing.is_some() && misspelt.contains(&target) {
            if !stand_in(&mut tree, &mut replaced, target, &message) {
                return Err(problems);
            }
            continue;
        }
        let diagnostic = match missing {
            Some(name) => missing_field::<T>(path, locations, &tree, &steps, &target, name),
            None => {
                let written = locations.written(text, &field, 60);
                let d = Diagnostic::error(path, editor_message(&message, written.as_deref()))
                    .at(locations.value(&field));
                match value_hint(&message, written.as_deref()) {
                    Some(hint) => d.hint(hint),
                    None => d,
                }
            }
        };
        problems.push(diagnostic.field(&field));
        if !stand_in(&mut tree, &mut replaced, target, &message) {
            return Err(problems);
        }
    }
    Err(problems)
}

/// The YAML tree of `text` (the contents of `path`), or the one problem
/// that stops it being read: a limit of [`crate::data::yaml_limits`] passed, a
/// syntax error, or a file with no value at all.
fn read_tree(path: &Path, text: &str) -> Result<serde_yaml::Value, Vec<Diagnostic>> {
    if let Err(e) = crate::data::yaml_limits::check(text) {
        return Err(vec![
            Diagnostic::error(path, e.message)
                .at(Some(e.pos))
                .hint(e.hint),
        ]);
    }
    let tree: serde_yaml::Value = match serde_yaml::from_str(text) {
        Ok(tree) => tree,
        Err(e) => return Err(vec![syntax_error(path, text, &e)]),
    };
    if tree.is_null() {
        // Nothing but comments, blank lines, `null` or `~`: the problem is
        // the whole file, shown from its first line.
        let first_line = text.lines().next().map_or(0, |l| l.chars().count());
        return Err(vec![
            Diagnostic::error(path, "the file is empty, expected `key: value` lines")
                .at(Some(Pos { line: 1, column: 1 }))
                .width(first_line.max(1)),
        ]);
    }
    Ok(tree)
}

/// The problem of the unknown field `name` at `steps` (which ends in it),
/// placed at its key; with the path of the field meant when `name` is a
/// misspelling of one that serde's `message` lists.
fn unknown_field(
    path: &Path,
    locations: &Locations,
    message: &str,
    steps: &[Step],
    name: &str,
) -> (Diagnostic, Option<Vec<Step>>) {
    let field = field_path(steps);
    let d = Diagnostic::error(path, message.to_string())
        .at(locations.key(&field))
        .field(&field);
    // A misspelt field: name the field meant.
    let meant = message
        .split_once("expected one of ")
        .map(|(_, list)| list.split(", ").map(|f| f.trim_matches('`')))
        .and_then(|mut fields| fields.find(|f| near(f, name)));
    match meant {
        Some(meant) => {
            let mut meant_path = steps[..steps.len() - 1].to_vec();
            meant_path.push(Step::Key(meant.to_string()));
            (d.hint(format!("did you mean `{meant}`?")), Some(meant_path))
        }
        None => (d, None),
    }
}

/// The problem of the field `name` missing from the mapping at `steps`
/// (`target` is `steps` and `name`), placed at the mapping that lacks it
/// (its key, or the file's first key for a field of the top level), with
/// what it expects when that can be told.
fn missing_field<T: DeserializeOwned>(
    path: &Path,
    locations: &Locations,
    tree: &serde_yaml::Value,
    steps: &[Step],
    target: &[Step],
    name: &str,
) -> Diagnostic {
    let expected = expected_of::<T>(tree, target)
        .map(|e| format!(", expected {e}"))
        .unwrap_or_default();
    let hint = match steps.last() {
        None => format!("add `{name}:` at the top level of the file"),
        Some(Step::Key(k)) => format!("add `{name}:` under `{k}:`"),
        Some(Step::Index(_)) => format!("add `{name}:` to this list item"),
    };
    Diagnostic::error(path, format!("missing field `{name}`{expected}"))
        .at(locations.enclosing(&field_path(target)))
        .hint(hint)
}

/// How to write a value serde refused with `message`, as `written` (its
/// text in the file), when it looks like a common slip: a choice written
/// with capitals, spaces or hyphens; a decimal comma; a percent sign; a
/// number in quotes; a point between groups of three digits; a leading
/// zero. YAML reads all of these as text.
fn value_hint(message: &str, written: Option<&str>) -> Option<String> {
    let w = written?;
    // A choice written with capitals, spaces or hyphens (`Conform norm`):
    // name the choice meant.
    let norm = |t: &str| t.trim().to_lowercase().replace([' ', '-'], "_");
    let choice = message
        .strip_prefix("unknown variant ")
        .and_then(|m| m.split_once("expected "))
        .and_then(|(_, list)| {
            list.split('`')
                .skip(1)
                .step_by(2)
                .find(|c| *c != w && norm(c) == norm(w))
        });
    if let Some(meant) = choice {
        return Some(format!("did you mean `{meant}`?"));
    }
    let digits = |s: &str| !s.is_empty() && s.bytes().all(|b| b.is_ascii_digit());
    if let Some((int, frac)) = w.split_once(',')
        && digits(int)
        && digits(frac)
    {
        return Some(format!("write decimals with a point: {int}.{frac}"));
    }
    if let Some(n) = w.strip_suffix('%')
        && n.trim().parse::<f64>().is_ok()
    {
        return Some(format!("write the percentage without `%`: {}", n.trim()));
    }
    let quoted = w
        .strip_prefix('"')
        .and_then(|r| r.strip_suffix('"'))
        .or_else(|| w.strip_prefix('\'').and_then(|r| r.strip_suffix('\'')))
        .map(str::trim)
        .filter(|n| !n.is_empty() && n.parse::<f64>().is_ok_and(f64::is_finite));
    if let Some(n) = quoted {
        return Some(format!(
            "a number in quotes is read as text: write {n} without quotes"
        ));
    }
    // A point between groups of three digits, as in Dutch thousands
    // (`1.019`), where a whole number is expected.
    let mut groups = w.split('.');
    let first = groups.next().unwrap_or("");
    if message.contains("expected u")
        && w.contains('.')
        && (1..=3).contains(&first.len())
        && first.bytes().all(|b| b.is_ascii_digit())
        && groups.all(|g| g.len() == 3 && g.bytes().all(|b| b.is_ascii_digit()))
    {
        return Some(format!(
            "a point marks decimals, not thousands: write {}",
            w.replace('.', "")
        ));
    }
    (w.len() > 1 && w.starts_with('0') && w.bytes().all(|b| b.is_ascii_digit())).then(|| {
        format!(
            "a number with a leading zero is read as text: write {}",
            w.trim_start_matches('0').max("0")
        )
    })
}

/// What the field at `steps`, which `tree` lacks, expects, in the editor's
/// terms (`text`, `a whole number from 0 to 65,535`, `one of `a`, `b``):
/// the field is given a value it does not accept, `true` tagged with a
/// tag that is no choice (serde_yaml reads the tag of a choice as the
/// choice, and drops it elsewhere), and serde's complaint names the type
/// or the choices it wanted. `None` when the complaint names neither (a
/// field that takes `true`, or a value of several forms).
fn expected_of<T: DeserializeOwned>(tree: &serde_yaml::Value, steps: &[Step]) -> Option<String> {
    use serde_yaml::value::{Tag, TaggedValue};
    let mut probe = tree.clone();
    let tagged = serde_yaml::Value::Tagged(Box::new(TaggedValue {
        tag: Tag::new(PROBE_TAG),
        value: serde_yaml::Value::Bool(true),
    }));
    if !set(&mut probe, steps, tagged) {
        return None;
    }
    let error = serde_path_to_error::deserialize::<_, T>(&probe).err()?;
    // Only a complaint about the probe itself says what the field expects.
    if steps_of(error.path()) != steps {
        return None;
    }
    let message = error.inner().to_string();
    if let Some(rest) = message.strip_prefix("invalid type: ") {
        return rest
            .split_once(", expected ")
            .map(|(_, expected)| expected_in_words(expected));
    }
    message
        .strip_prefix(&format!("unknown variant `{PROBE_TAG}`, expected "))
        .map(str::to_string)
}

/// The tag of the value [`expected_of`] tries.
const PROBE_TAG: &str = "korpsmonitor-probe";

/// Whether `a` and `b` differ by at most two edits (a likely misspelling).
fn near(a: &str, b: &str) -> bool {
    let (a, b): (Vec<char>, Vec<char>) = (a.chars().collect(), b.chars().collect());
    if a.len().abs_diff(b.len()) > 2 {
        return false;
    }
    let mut row: Vec<usize> = (0..=b.len()).collect();
    for (i, ca) in a.iter().enumerate() {
        let mut prev = row[0];
        row[0] = i + 1;
        for (j, cb) in b.iter().enumerate() {
            let cost = usize::from(ca != cb);
            let next = (row[j + 1] + 1).min(row[j] + 1).min(prev + cost);
            prev = row[j + 1];
            row[j + 1] = next;
        }
    }
    row[b.len()] <= 2 && a.len().min(b.len()) > 2
}

/// The text after `prefix` up to the next backtick, when `message` starts so.
fn between_backticks<'a>(message: &'a str, prefix: &str) -> Option<&'a str> {
    message.strip_prefix(prefix)?.split('`').next()
}

/// A serde message in the editor's terms, quoting the value as written.
fn editor_message(message: &str, written: Option<&str>) -> String {
    let found = |unexpected: &str| -> String {
        let kind = unexpected.split(' ').next().unwrap_or("");
        match (kind, written) {
            ("map", _) => "a mapping".to_string(),
            ("sequence", _) => "a list".to_string(),
            ("unit", _) => "an empty value".to_string(),
            (_, Some(w)) => w.to_string(),
            _ => unexpected.to_string(),
        }
    };
    if let Some(rest) = message.strip_prefix("expected ") {
        return match written {
            Some(w) => format!("found {w}, expected {rest}"),
            None => message.to_string(),
        };
    }
    for prefix in ["invalid type: ", "invalid value: "] {
        if let Some(rest) = message.strip_prefix(prefix)
            && let Some((unexpected, expected)) = rest.split_once(", expected ")
        {
            return format!(
                "found {}, expected {}",
                found(unexpected),
                expected_in_words(expected)
            );
        }
    }
    if let Some(rest) = message.strip_prefix("unknown variant ")
        && let Some((variant, expected)) = rest.split_once(", expected ")
    {
        let variant = written
            .map(str::to_string)
            .unwrap_or_else(|| variant.to_string());
        return format!("found {variant}, expected {expected}");
    }
    message.to_string()
}

/// serde's name of an expected type in the editor's terms.
fn expected_in_words(expected: &str) -> String {
    let range = |max: u64| {
        let digits = max.to_string();
        let mut grouped = String::new();
        for (i, c) in digits.chars().enumerate() {
            if i > 0 && (digits.len() - i).is_multiple_of(3) {
                grouped.push(',');
            }
            grouped.push(c);
        }
        format!("a whole number from 0 to {grouped}")
    };
    match expected {
        "u8" => range(u8::MAX.into()),
        "u16" => range(u16::MAX.into()),
        "u32" => range(u32::MAX.into()),
        "u64" | "usize" => range(u64::MAX),
        "i8" | "i16" | "i32" | "i64" | "isize" => "a whole number".to_string(),
        "a string" | "a borrowed string" => "text".to_string(),
        "a boolean" => "true or false".to_string(),
        "a sequence" => "a list".to_string(),
        e if e.starts_with("struct ") => "a mapping of fields".to_string(),
        e => e.to_string(),
    }
}

/// Replaces the value at `steps` by its next stand-in (first: nothing at
/// all), or, when every stand-in has been tried, its parent; `false` when
/// the whole document would have to go.
fn stand_in(
    tree: &mut serde_yaml::Value,
    replaced: &mut Vec<(Vec<Step>, usize)>,
    mut steps: Vec<Step>,
    message: &str,
) -> bool {
    use serde_yaml::Value;
    loop {
        if steps.is_empty() {
            return false;
        }
        let next = match replaced.iter_mut().find(|(p, _)| *p == steps) {
            Some((_, i)) => {
                *i += 1;
                *i
            }
            None => {
                replaced.push((steps.clone(), 0));
                0
            }
        };
        // The first choice the message names (`expected one of `a`, ...`),
        // then values of each kind; YYYY-MM-DD stands in for dates.
        let named = message
            .split_once("expected one of `")
            .and_then(|(_, rest)| rest.split('`').next())
            .map(|v| Value::String(v.to_string()));
        let candidates: Vec<Option<Value>> = [
            None,
            named,
            Some(Value::Number(0.into())),
            Some(Value::String(String::from("2000-01-01"))),
            Some(Value::Sequence(Vec::new())),
            Some(Value::Mapping(Default::default())),
            Some(Value::Bool(false)),
        ]
        .into_iter()
        .enumerate()
        .filter(|(i, c)| *i == 0 || c.is_some())
        .map(|(_, c)| c)
        .collect();
        match candidates.get(next) {
            Some(None) => return remove(tree, &steps),
            Some(Some(v)) if set(tree, &steps, v.clone()) => return true,
            Some(Some(_)) | None => {}
        }
        steps.pop();
    }
}

fn key_matches(key: &serde_yaml::Value, name: &str) -> bool {
    match key {
        serde_yaml::Value::String(s) => s == name,
        serde_yaml::Value::Number(n) => n.to_string() == name,
        serde_yaml::Value::Bool(b) => b.to_string() == name,
        _ => false,
    }
}

fn child_mut<'a>(v: &'a mut serde_yaml::Value, step: &Step) -> Option<&'a mut serde_yaml::Value> {
    match (v, step) {
        (serde_yaml::Value::Mapping(m), Step::Key(k)) => m
            .iter_mut()
            .find(|(key, _)| key_matches(key, k))
            .map(|(_, v)| v),
        (serde_yaml::Value::Sequence(s), Step::Index(i)) => s.get_mut(*i),
        (serde_yaml::Value::Tagged(t), _) => child_mut(&mut t.value, step),
        _ => None,
    }
}

fn parent_mut<'a>(
    tree: &'a mut serde_yaml::Value,
    steps: &[Step],
) -> Option<&'a mut serde_yaml::Value> {
    let mut v = tree;
    for s in &steps[..steps.len().saturating_sub(1)] {
        v = child_mut(v, s)?;
    }
    Some(v)
}

/// Removes the value at `steps` (a list item becomes empty, so the later
/// items keep their index); `false` for the whole document.
fn remove(tree: &mut serde_yaml::Value, steps: &[Step]) -> bool {
    let Some(last) = steps.last() else {
        return false;
    };
    match (parent_mut(tree, steps), last) {
        (Some(serde_yaml::Value::Mapping(m)), Step::Key(k)) => {
            m.retain(|key, _| !key_matches(key, k));
            true
        }
        (Some(serde_yaml::Value::Sequence(s)), Step::Index(i)) => {
            if let Some(item) = s.get_mut(*i) {
                *item = serde_yaml::Value::Null;
            }
            true
        }
        _ => true,
    }
}

/// Sets the value at `steps`, adding a mapping key when needed.
fn set(tree: &mut serde_yaml::Value, steps: &[Step], value: serde_yaml::Value) -> bool {
    let Some(last) = steps.last() else {
        return false;
    };
    match (parent_mut(tree, steps), last) {
        (Some(serde_yaml::Value::Mapping(m)), Step::Key(k)) => {
            m.retain(|key, _| !key_matches(key, k));
            m.insert(serde_yaml::Value::String(k.clone()), value);
            true
        }
        (Some(serde_yaml::Value::Sequence(s)), Step::Index(i)) => match s.get_mut(*i) {
            Some(item) => {
                *item = value;
                true
            }
            None => false,
        },
        _ => false,
    }
}

/// A folder as resolved (links and `..` followed), or as given when it
/// cannot be resolved: the key that finds a loop in a chain.
pub fn resolved(dir: &Path) -> PathBuf {
    fs::canonicalize(dir).unwrap_or_else(|_| dir.to_path_buf())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[derive(serde::Deserialize, Debug)]
    #[serde(deny_unknown_fields)]
    #[allow(dead_code)]
    struct Figures {
        suspects: u32,
        victims: u32,
    }

    #[derive(serde::Deserialize, Debug)]
    #[serde(deny_unknown_fields)]
    #[allow(dead_code)]
    struct File {
        name: String,
        figures: Figures,
        #[serde(default)]
        dates: Vec<crate::data::model::Date>,
    }

    /// (line, column, field, message) of every problem of `text`.
    fn problems(text: &str) -> Vec<(usize, usize, String, String)> {
        let locations = Locations::index(text);
        match parse_file::<File>(Path::new("f.yaml"), text, &locations) {
            Ok(_) => Vec::new(),
            Err(ds) => ds
                .into_iter()
                .map(|d| {
                    let p = d.pos.unwrap_or(Pos { line: 0, column: 0 });
                    (p.line, p.column, d.field.unwrap_or_default(), d.message)
                })
                .collect(),
        }
    }

    #[test]
    fn every_problem_of_a_file_is_reported_once_at_its_value() {
        let got = problems(
            "name: x\nfigures:\n  suspects: 4.0\n  victims: -3\ndates: [2011-02-30, 2011-01-01, 31-01-2011]\n",
        );
        let want = [
            (
                3,
                13,
                "figures.suspects",
                "found 4.0, expected a whole number from 0 to 4,294,967,295",
            ),
            (
                4,
                12,
                "figures.victims",
                "found -3, expected a whole number from 0 to 4,294,967,295",
            ),
            (5, 9, "dates[0]", "30 February 2011 is not a calendar date"),
            (
                5,
                33,
                "dates[2]",
                "found 31-01-2011, expected a date written as YYYY-MM-DD",
            ),
        ];
        let want: Vec<_> = want
            .iter()
            .map(|(l, c, f, m)| (*l, *c, f.to_string(), m.to_string()))
            .collect();
        assert_eq!(got, want);
    }

    #[test]
    fn a_missing_or_misspelt_field_is_reported_once() {
        let got = problems("nmae: x\nfigures:\n  suspects: 1\n");
        assert_eq!(got.len(), 2, "{got:?}");
        assert_eq!((got[0].0, got[0].2.as_str()), (1, "nmae"));
        assert!(got[0].3.starts_with("unknown field `nmae`"), "{got:?}");
        assert_eq!(
            got[1],
            (
                2,
                1,
                "figures.victims".to_string(),
                "missing field `victims`, expected a whole number from 0 to 4,294,967,295"
                    .to_string()
            )
        );
        // A value of the wrong kind in a required field: the stand-ins that
        // step around it are never reported.
        let got = problems("name: [a]\nfigures: 3\n");
        assert_eq!(
            got,
            [
                (
                    1,
                    7,
                    "name".to_string(),
                    "found a list, expected text".to_string()
                ),
                (
                    2,
                    10,
                    "figures".to_string(),
                    "found 3, expected a mapping of fields".to_string()
                ),
            ]
        );
        assert_eq!(
            problems("name: x\nfigures: {suspects: 1, victims: 2}\n"),
            []
        );
    }

    #[test]
    fn a_missing_field_is_placed_at_the_mapping_that_lacks_it() {
        #[derive(serde::Deserialize, Debug)]
        #[serde(rename_all = "snake_case")]
        #[allow(dead_code)]
        enum Verdict {
            ConformNorm,
            Aandacht,
        }
        #[derive(serde::Deserialize, Debug)]
        #[serde(deny_unknown_fields)]
        #[allow(dead_code)]
        struct Item {
            id: String,
            verdict: Verdict,
        }
        #[derive(serde::Deserialize, Debug)]
        #[serde(deny_unknown_fields)]
        #[allow(dead_code)]
        struct Top {
            id: String,
            figures: Figures,
            items: Vec<Item>,
            tags: Vec<String>,
        }
        let text = "# kop\n\nfigures: {suspects: 1, victims: 2}\nitems:\n  - id: a\n";
        let ds = parse_file::<Top>(Path::new("t.yaml"), text, &Locations::index(text)).unwrap_err();
        let got: Vec<_> = ds
            .iter()
            .map(|d| {
                (
                    d.pos.map(|p| (p.line, p.column)),
                    d.field.as_deref().unwrap_or(""),
                    d.message.as_str(),
                    d.hint.as_deref().unwrap_or(""),
                )
            })
            .collect();
        assert_eq!(
            got,
            [
                (
                    Some((5, 5)),
                    "items[0].verdict",
                    "missing field `verdict`, expected `conform_norm` or `aandacht`",
                    "add `verdict:` to this list item"
                ),
                (
                    Some((3, 1)),
                    "id",
                    "missing field `id`, expected text",
                    "add `id:` at the top level of the file"
                ),
                (
                    Some((3, 1)),
                    "tags",
                    "missing field `tags`, expected a list",
                    "add `tags:` at the top level of the file"
                ),
            ]
        );
        let text = "id: a\nitems: []\ntags: []\n";
        let ds = parse_file::<Top>(Path::new("t.yaml"), text, &Locations::index(text)).unwrap_err();
        assert_eq!(ds.len(), 1);
        assert_eq!(
            ds[0].message,
            "missing field `figures`, expected a mapping of fields"
        );
    }

    #[test]
    fn an_empty_file_is_placed_at_its_first_line() {
        for text in ["", "\n", "# niets\n", "null\n", "~\n", "---\n"] {
            let ds =
                parse_file::<File>(Path::new("f.yaml"), text, &Locations::index(text)).unwrap_err();
            assert_eq!(ds.len(), 1, "{text:?}");
            assert_eq!(ds[0].pos, Some(Pos { line: 1, column: 1 }), "{text:?}");
            assert!(ds[0].message.starts_with("the file is empty"), "{text:?}");
        }
    }

    #[test]
    fn tabs_that_indent_are_named() {
        let text = "name: x\nfigures:\n\tsuspects: 1\n";
        let locations = Locations::index(text);
        let ds = parse_file::<File>(Path::new("f.yaml"), text, &locations).unwrap_err();
        assert_eq!(ds.len(), 1);
        assert_eq!(
            ds[0].message,
            "a tab indents this line; YAML indents with spaces only"
        );
        assert_eq!(ds[0].pos, Some(Pos { line: 3, column: 1 }));
    }

    #[test]
    fn a_second_document_is_named_at_its_start() {
        let text = "---\nname: x\n---\nname: y\n";
        let ds =
            parse_file::<File>(Path::new("f.yaml"), text, &Locations::index(text)).unwrap_err();
        assert_eq!(
            ds[0].message,
            "found a second YAML document, expected one per file"
        );
        assert_eq!(ds[0].pos, Some(Pos { line: 3, column: 1 }));
        // An empty first document, a document closed with `...` and one
        // started with `--- |`: the second document wherever it starts.
        for (text, line, column) in [
            ("---\n---\nname: y\n", 2, 1),
            ("# kop\n---\n\n--- # tweede\nname: y\n", 4, 1),
            ("name: x\n...\nname: y\n", 3, 1),
            ("name: x\n--- |\n  tekst\n", 2, 1),
        ] {
            let ds =
                parse_file::<File>(Path::new("f.yaml"), text, &Locations::index(text)).unwrap_err();
            assert_eq!(ds.len(), 1, "{text:?}");
            assert_eq!(
                ds[0].message,
                "found a second YAML document, expected one per file"
            );
            assert_eq!(ds[0].pos, Some(Pos { line, column }), "{text:?}");
        }
        // The first line indented, the next not: the first document ends
        // there, and the line is named.
        for (text, line, first) in [
            (" id: a\nname: b\n", 2, (1, 2)),
            ("  a: 1\n  b: 2\nc: 3\n", 3, (1, 3)),
        ] {
            let ds =
                parse_file::<File>(Path::new("f.yaml"), text, &Locations::index(text)).unwrap_err();
            assert_eq!(ds.len(), 1, "{text:?}");
            assert_eq!(ds[0].pos, Some(Pos { line, column: 1 }), "{text:?}");
            assert_eq!(
                ds[0].message,
                format!(
                    "found a line indented less than the file's first line, expected the keys of the top level in one column (the first at line {}, column {})",
                    first.0, first.1
                )
            );
        }
        // Read outside an edition (`fmt`, the diff driver): the same.
        let d =
            parse_yaml::<serde_yaml::Value>(Path::new("f.yaml"), "---\n---\na: 1\n").unwrap_err();
        assert_eq!(d.pos, Some(Pos { line: 2, column: 1 }));
    }

    #[test]
    fn near_names_are_likely_misspellings() {
        assert!(near("name", "nmae"));
        assert!(near("suspects", "suspect"));
        assert!(!near("id", "ik"));
        assert!(!near("victims", "names"));
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

#[cfg(test)]
mod misread_tests {
    use super::*;

    fn syntax(text: &str) -> Diagnostic {
        let e = serde_yaml::from_str::<serde_yaml::Value>(text).unwrap_err();
        syntax_error(Path::new("f.yaml"), text, &e)
    }

    #[test]
    fn a_value_yaml_misreads_is_named_at_the_value() {
        let d = syntax("id: a\nitems:\n- name: [Alfa\n  x: 1\n");
        assert_eq!(d.pos, Some(Pos { line: 3, column: 9 }));
        assert_eq!(
            d.hint.as_deref(),
            Some("put the whole value in quotes: - name: '[Alfa'")
        );
    }

    #[test]
    fn text_in_a_block_is_not_taken_for_the_mistake() {
        let text = "body: |\n  Let op: [dit is tekst\nid: a\n  b: c\n";
        let d = syntax(text);
        assert!(!d.message.contains("Let op"), "{}", d.message);
        assert_eq!(d.pos.map(|p| p.line), Some(4));
    }

    #[test]
    fn well_formed_values_are_left_alone() {
        for line in [
            "name: Alfa",
            "keywords: [a, b]",
            "title: \"x: y\"",
            "body: |-",
            "- id: a",
        ] {
            assert_eq!(misread_value(line), None, "{line}");
        }
    }
}

#[cfg(test)]
mod chain_tests {
    use super::*;

    /// Writes an edition of `year` in `root/name` whose `previous:` is `prev`.
    fn edition(root: &Path, name: &str, year: u16, prev: Option<&str>) {
        let dir = root.join(name);
        fs::create_dir_all(dir.join("units")).unwrap();
        let mut text =
            format!("year: {year}\ntitle: T {year}\nperiod: p\nstatus: definitief\npublisher: P\n");
        if let Some(prev) = prev {
            text.push_str(&format!("previous: {prev}\n"));
        }
        text.push_str(
            "assessment: published_verdicts\ndimensions:\n- id: d\n  name: D\n  short_name: D\n  weight: 1\ngroups:\n- id: g\n  name: g\n  headline: true\n",
        );
        fs::write(dir.join("edition.yaml"), text).unwrap();
    }

    /// What a load gives, to compare: the values, each file's path and
    /// the problems (positions are the same for the same text).
    fn seen(loaded: &Loaded) -> String {
        let mut out = format!("{:?}\n", loaded.diagnostics);
        for e in loaded.edition.iter().flat_map(LoadedEdition::chain) {
            out += &format!("{:?} {:?}\n", e.edition.path, e.edition.value);
            for u in &e.units {
                out += &format!("{:?} {:?}\n", u.path, u.value);
            }
            out += &format!(
                "{:?}\n{:?}\n{:?}\n",
                e.recommendations.as_ref().map(|r| &r.value),
                e.letter.as_ref().map(|l| &l.value),
                e.chapters.iter().map(|c| &c.text).collect::<Vec<_>>()
            );
        }
        out
    }

    /// The YAML files of the editions in the chain from `dir`.
    fn fresh_files(dir: &Path) -> usize {
        let yaml = |d: &Path| {
            fs::read_dir(d)
                .unwrap()
                .filter(|e| {
                    e.as_ref()
                        .unwrap()
                        .path()
                        .extension()
                        .is_some_and(|x| x == "yaml")
                })
                .count()
        };
        let prev = dir.with_file_name("mini-prev");
        yaml(dir) + yaml(&dir.join("units")) + yaml(&prev) + yaml(&prev.join("units"))
    }

    #[test]
    fn a_session_gives_what_a_fresh_load_gives_and_parses_only_changed_files() {
        let tmp = tempfile::tempdir().unwrap();
        let fixtures = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/valid");
        for edition in ["mini", "mini-prev"] {
            for sub in ["", "units", "chapters"] {
                let from = fixtures.join(edition).join(sub);
                let to = tmp.path().join(edition).join(sub);
                fs::create_dir_all(&to).unwrap();
                for entry in fs::read_dir(&from).into_iter().flatten() {
                    let path = entry.unwrap().path();
                    if path.is_file() {
                        fs::copy(&path, to.join(path.file_name().unwrap())).unwrap();
                    }
                }
            }
        }
        let dir = tmp.path().join("mini");
        let cache = ParseCache::default();
        let alfa = dir.join("units/alfa.yaml");
        let good = fs::read_to_string(&alfa).unwrap();
        let steps = [
            good.clone(),
            // A changed value, then a broken file and a file with an unknown
            // field: each as a fresh load sees it, problems included.
            good.replacen("name: ", "name: Nieuw ", 1),
            format!("{good}\n  - [niet: af\n"),
            format!("{good}onbekend: 1\n"),
            good.clone(),
        ];
        for (i, text) in steps.iter().enumerate() {
            fs::write(&alfa, text).unwrap();
            let fresh = load(&dir);
            let session = load_with(&dir, Some(&cache));
            assert_eq!(seen(&session), seen(&fresh), "step {i}");
            // The first load parses every file (mini's edition, letter and
            // three units, mini-prev's edition and units), later ones only
            // the changed unit.
            let files = if i == 0 { fresh_files(&dir) } else { 1 };
            assert_eq!(cache.parsed_last(), files, "step {i}");
            assert!(seen(&session).contains("mini-prev"), "the chain is loaded");
            // Loaded again unchanged: taken from the cache, the same again.
            let again = load_with(&dir, Some(&cache));
            assert_eq!(seen(&again), seen(&fresh), "step {i}, again");
            assert_eq!(cache.parsed_last(), 0, "step {i}, again");
        }
        // The cache holds the files of the last load only: a removed unit
        // is gone from it.
        fs::remove_file(dir.join("units/beta.yaml")).unwrap();
        let session = load_with(&dir, Some(&cache));
        assert_eq!(seen(&session), seen(&load(&dir)));
        let held = cache.files.lock().unwrap();
        assert!(
            held.keys()
                .all(|(p, _)| !p.ends_with("mini/units/beta.yaml"))
        );
        assert!(
            held.keys()
                .any(|(p, _)| p.ends_with("mini/units/alfa.yaml"))
        );
    }

    #[test]
    fn the_whole_chain_is_loaded() {
        let tmp = tempfile::tempdir().unwrap();
        edition(tmp.path(), "e2012", 2012, Some("../e2010"));
        edition(tmp.path(), "e2010", 2010, Some("../e2008"));
        edition(tmp.path(), "e2008", 2008, None);
        let loaded = load(&tmp.path().join("e2012"));
        assert!(loaded.diagnostics.is_empty(), "{:?}", loaded.diagnostics);
        let years: Vec<u16> = loaded
            .edition
            .unwrap()
            .chain()
            .map(|e| e.edition.value.year)
            .collect();
        assert_eq!(years, [2012, 2010, 2008]);
    }

    #[test]
    fn a_loop_is_an_error_at_the_field_that_closes_it() {
        let tmp = tempfile::tempdir().unwrap();
        edition(tmp.path(), "e2012", 2012, Some("../e2010"));
        edition(tmp.path(), "e2010", 2010, Some("../e2012"));
        let loaded = load(&tmp.path().join("e2012"));
        let first = &loaded.diagnostics[0];
        assert!(first.file.ends_with("e2010/edition.yaml"), "{first:?}");
        assert_eq!(first.field.as_deref(), Some("previous"));
        assert_eq!(first.pos.map(|p| p.line), Some(6));
        assert!(
            first
                .message
                .starts_with("the chain of previous editions loops: "),
            "{}",
            first.message
        );
        assert!(first.message.contains("e2012 -> "), "{}", first.message);
        // The edition whose previous edition is broken says so too.
        assert!(loaded.diagnostics[1].file.ends_with("e2012/edition.yaml"));
        // An edition naming itself loops at once.
        let tmp = tempfile::tempdir().unwrap();
        edition(tmp.path(), "e", 2012, Some("."));
        let loaded = load(&tmp.path().join("e"));
        assert!(loaded.diagnostics[0].message.contains("loops"));
    }

    #[test]
    fn a_chain_deeper_than_the_limit_is_an_error() {
        let tmp = tempfile::tempdir().unwrap();
        let n = MAX_CHAIN + 3;
        for i in 0..n {
            let prev = format!("../e{}", i + 1);
            edition(
                tmp.path(),
                &format!("e{i}"),
                3000 - i as u16,
                (i + 1 < n).then_some(prev.as_str()),
            );
        }
        let loaded = load(&tmp.path().join("e0"));
        let first = &loaded.diagnostics[0];
        assert!(
            first
                .file
                .ends_with(format!("e{}/edition.yaml", MAX_CHAIN - 1)),
            "{first:?}"
        );
        assert_eq!(first.field.as_deref(), Some("previous"));
        assert!(first.message.contains("longer than 32 editions"), "{first}");
        assert_eq!(loaded.edition.unwrap().chain().count(), MAX_CHAIN);
    }
}
