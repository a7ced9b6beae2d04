//! Diagnostics: data errors with file, line, column and field, printed
//! with source snippets the same way for YAML files and Typst sources.

use std::fmt;
use std::path::{Path, PathBuf};

use codespan_reporting::diagnostic::{Diagnostic as CsDiagnostic, Label, Severity as CsSeverity};
use codespan_reporting::files::SimpleFiles;
use codespan_reporting::term::{self, Config, termcolor};
use serde::Serialize;

use crate::base::locate::Pos;

/// How serious a diagnostic is.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub enum Severity {
    /// Worth knowing; the build goes on.
    Warning,
    /// The input is wrong; nothing is written.
    Error,
}

/// One problem found in the input.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Diagnostic {
    /// Error or warning.
    pub severity: Severity,
    /// The file, as the user named it (e.g. `data/2010/units/groningen.yaml`).
    pub file: PathBuf,
    /// Where in the file, when the file has a position for it.
    pub pos: Option<Pos>,
    /// The field's path inside the file, e.g. `dimensions.vergund.points.controle`.
    pub field: Option<String>,
    /// What was found and what was expected.
    pub message: String,
    /// How to fix it, when there is more to say (one hint a line).
    pub hint: Option<String>,
    /// Where the problem was reached from, innermost first: for a Typst
    /// error inside a house-style function, the template line that called
    /// it (typst-cli shows these as `help:` notes).
    pub trace: Vec<TracePoint>,
    /// How many characters from the position the problem spans, when
    /// known (else the token at the position).
    pub width: Option<usize>,
}

/// One step of a [`Diagnostic`]'s trace: a place and what happened there.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct TracePoint {
    /// The file, as the user would open it; empty when the step is not in
    /// a file (e.g. "in output/2010/korpsmonitor-2010.pdf").
    pub file: PathBuf,
    /// Where in the file, when known.
    pub pos: Option<Pos>,
    /// What happened there, e.g. "while calling `contents`".
    pub message: String,
}

impl Diagnostic {
    /// An error in `file`.
    pub fn error(file: impl Into<PathBuf>, message: impl Into<String>) -> Diagnostic {
        Diagnostic {
            severity: Severity::Error,
            file: file.into(),
            pos: None,
            field: None,
            message: message.into(),
            hint: None,
            trace: Vec::new(),
            width: None,
        }
    }

    /// A warning in `file`.
    pub fn warning(file: impl Into<PathBuf>, message: impl Into<String>) -> Diagnostic {
        Diagnostic {
            severity: Severity::Warning,
            ..Diagnostic::error(file, message)
        }
    }

    /// Sets the position.
    pub fn at(mut self, pos: Option<Pos>) -> Diagnostic {
        self.pos = pos;
        self
    }

    /// Sets the field path.
    pub fn field(mut self, field: impl Into<String>) -> Diagnostic {
        let field = field.into();
        self.field = (!field.is_empty()).then_some(field);
        self
    }

    /// Sets how many characters from the position the problem spans.
    pub fn width(mut self, width: usize) -> Diagnostic {
        self.width = Some(width);
        self
    }

    /// Adds a hint.
    pub fn hint(mut self, hint: impl Into<String>) -> Diagnostic {
        self.hint = Some(hint.into());
        self
    }

    /// Adds a step to the trace (after those already there).
    pub fn traced(mut self, point: TracePoint) -> Diagnostic {
        self.trace.push(point);
        self
    }

    /// Whether this is an error.
    pub fn is_error(&self) -> bool {
        self.severity == Severity::Error
    }

    /// The location as `file:line:column` (or `file` without a position).
    pub fn location(&self) -> String {
        match self.pos {
            Some(p) => format!("{}:{}:{}", self.file.display(), p.line, p.column),
            None => self.file.display().to_string(),
        }
    }
}

impl fmt::Display for Diagnostic {
    /// One line: `file:line:column: field: message`.
    fn fmt(&self, f: &mut fmt::Formatter) -> fmt::Result {
        let kind = match self.severity {
            Severity::Error => "error",
            Severity::Warning => "warning",
        };
        write!(f, "{kind}: {}: ", self.location())?;
        if let Some(field) = &self.field {
            write!(f, "{field}: ")?;
        }
        f.write_str(&self.message)
    }
}

/// Source texts kept for rendering snippets.
#[derive(Default)]
pub struct SourceCache {
    // A map, not a list: an edition of thousands of unit files inserts
    // thousands of texts, and a list made that quadratic.
    files: std::collections::BTreeMap<PathBuf, String>,
}

impl SourceCache {
    /// Keeps the text of `path` (the first text kept for a path stays).
    pub fn insert(&mut self, path: &Path, text: &str) {
        if !self.files.contains_key(path) {
            self.files.insert(path.to_path_buf(), text.to_string());
        }
    }

    /// The same texts, each under the path `rename` gives for its path.
    pub fn renamed(self, rename: impl Fn(&Path) -> PathBuf) -> SourceCache {
        SourceCache {
            files: self
                .files
                .into_iter()
                .map(|(path, text)| (rename(&path), text))
                .collect(),
        }
    }

    fn get(&self, path: &Path) -> Option<&str> {
        self.files.get(path).map(String::as_str)
    }
}

/// The longest source line shown in a snippet, in bytes.
pub const MAX_SNIPPET_LINE: usize = 1000;

/// Renders diagnostics with snippets (plain text, no colour), then a count.
pub fn render(diagnostics: &[Diagnostic], sources: &SourceCache) -> String {
    render_styled(diagnostics, sources, false)
}

/// Renders diagnostics with snippets, then a count; with `colour`, in ANSI
/// colours as typst-cli and rustc print them. Every character that comes
/// from the input (messages, file names, source lines) passes through
/// [`crate::base::term::clean`]: the only escape sequences in the result are
/// the colours.
pub fn render_styled(diagnostics: &[Diagnostic], sources: &SourceCache, colour: bool) -> String {
    let mut out = Styled::new(colour);
    let config = Config::default();
    for d in diagnostics {
        let mut files = SimpleFiles::new();
        let mut cs = CsDiagnostic::new(match d.severity {
            Severity::Error => CsSeverity::Error,
            Severity::Warning => CsSeverity::Warning,
        })
        .with_message(&d.message);
        // A long line (a hostile file on one line, a long text) is shown
        // as a window around the column.
        if d.trace.is_empty()
            && let (Some(pos), Some(text)) = (d.pos, sources.get(&d.file))
            && let Some(window) = long_line(d, pos, text)
        {
            out.text(&window);
            continue;
        }
        let mut notes = Vec::new();
        let label = match &d.field {
            Some(field) => format!("field `{field}`"),
            None => String::new(),
        };
        match snippet_label(&mut files, sources, &d.file, d.pos, d.width) {
            Some(at) => cs = cs.with_labels(vec![at.with_message(label)]),
            None => {
                notes.push(format!("in {}", d.location()));
                if let Some(field) = &d.field {
                    notes.push(format!("field `{field}`"));
                }
            }
        }
        if let Some(hint) = &d.hint {
            notes.extend(hint.lines().map(|h| format!("hint: {h}")));
        }
        cs = cs.with_notes(notes);
        emit(&mut out, &config, &files, &cs, || d.to_string());
        // Each step of the trace as its own note with its snippet, the way
        // typst-cli prints a trace.
        for point in &d.trace {
            let mut files = SimpleFiles::new();
            let mut help = CsDiagnostic::help().with_message(&point.message);
            match snippet_label(&mut files, sources, &point.file, point.pos, None) {
                Some(at) => help = help.with_labels(vec![at]),
                None if point.file.as_os_str().is_empty() => {}
                None => {
                    let at = match point.pos {
                        Some(p) => format!("{}:{}:{}", point.file.display(), p.line, p.column),
                        None => point.file.display().to_string(),
                    };
                    help = help.with_notes(vec![format!("in {at}")]);
                }
            }
            emit(&mut out, &config, &files, &help, || {
                format!("help: {}", point.message)
            });
        }
    }
    let errors = diagnostics.iter().filter(|d| d.is_error()).count();
    let warnings = diagnostics.len() - errors;
    if errors > 0 || warnings > 0 {
        out.text(&format!(
            "{} error{}, {} warning{}\n",
            errors,
            if errors == 1 { "" } else { "s" },
            warnings,
            if warnings == 1 { "" } else { "s" }
        ));
    }
    out.finish()
}

/// A primary label at `pos` in `file`, when its text is kept and the line
/// is short enough to show (a hostile file on one line is named, not
/// printed).
fn snippet_label(
    files: &mut SimpleFiles<String, String>,
    sources: &SourceCache,
    file: &Path,
    pos: Option<Pos>,
    width: Option<usize>,
) -> Option<Label<usize>> {
    let pos = pos?;
    let text = sources.get(file).filter(|text| {
        text.lines()
            .nth(pos.line.saturating_sub(1))
            .is_none_or(|l| l.len() <= MAX_SNIPPET_LINE)
    })?;
    let id = files.add(file.display().to_string(), text.to_string());
    let start = byte_offset(text, pos);
    let end = match width {
        Some(w) => text[start..]
            .char_indices()
            .nth(w.max(1))
            .map_or(text.len(), |(i, _)| start + i),
        None => token_end(text, start),
    };
    Some(Label::primary(id, start..end))
}

/// Writes one codespan diagnostic into `out`, or `fallback` when it
/// cannot be laid out.
fn emit(
    out: &mut Styled,
    config: &Config,
    files: &SimpleFiles<String, String>,
    cs: &CsDiagnostic<usize>,
    fallback: impl FnOnce() -> String,
) {
    let mut buffer = Styled::new(out.colour);
    if term::emit_to_write_style(&mut buffer, config, files, cs).is_ok() {
        out.bytes.extend(buffer.bytes);
    } else {
        out.text(&fallback());
        out.text("\n");
    }
}

/// A writer for codespan: text goes through [`crate::base::term::clean`],
/// colours become ANSI escapes when `colour` is set and vanish otherwise.
struct Styled {
    bytes: Vec<u8>,
    colour: bool,
}

impl Styled {
    fn new(colour: bool) -> Styled {
        Styled {
            bytes: Vec::new(),
            colour,
        }
    }

    fn text(&mut self, text: &str) {
        self.bytes
            .extend_from_slice(crate::base::term::clean(text).as_bytes());
    }

    fn finish(self) -> String {
        String::from_utf8_lossy(&self.bytes).into_owned()
    }
}

impl std::io::Write for Styled {
    fn write(&mut self, buf: &[u8]) -> std::io::Result<usize> {
        // codespan writes formatted pieces of `str`, so whole characters.
        match std::str::from_utf8(buf) {
            Ok(text) => self.text(text),
            Err(_) => self.text(&String::from_utf8_lossy(buf)),
        }
        Ok(buf.len())
    }

    fn flush(&mut self) -> std::io::Result<()> {
        Ok(())
    }
}

impl termcolor::WriteColor for Styled {
    fn supports_color(&self) -> bool {
        self.colour
    }

    fn set_color(&mut self, spec: &termcolor::ColorSpec) -> std::io::Result<()> {
        if self.colour {
            termcolor::Ansi::new(&mut self.bytes).set_color(spec)?;
        }
        Ok(())
    }

    fn reset(&mut self) -> std::io::Result<()> {
        if self.colour {
            termcolor::Ansi::new(&mut self.bytes).reset()?;
        }
        Ok(())
    }
}

/// One problem as data, for `check --format json` and editors' tools:
/// the file as named on the command line, 1-based line and column (in
/// characters) when known, the field path, the message and the hint.
#[derive(Debug, Clone, Serialize)]
pub struct Problem<'a> {
    /// `"error"` or `"warning"`.
    pub severity: &'static str,
    /// The file.
    pub file: String,
    /// 1-based line, when known.
    pub line: Option<usize>,
    /// 1-based column in characters, when known.
    pub column: Option<usize>,
    /// The field path inside the file, when the problem is in a field.
    pub field: Option<&'a str>,
    /// What was found and what was expected.
    pub message: &'a str,
    /// How to fix it (lines separated by `\n`), when there is more to say.
    pub hint: Option<&'a str>,
}

impl<'a> From<&'a Diagnostic> for Problem<'a> {
    fn from(d: &'a Diagnostic) -> Problem<'a> {
        Problem {
            severity: match d.severity {
                Severity::Error => "error",
                Severity::Warning => "warning",
            },
            file: d.file.display().to_string(),
            line: d.pos.map(|p| p.line),
            column: d.pos.map(|p| p.column),
            field: d.field.as_deref(),
            message: &d.message,
            hint: d.hint.as_deref(),
        }
    }
}

/// Every diagnostic as data: `{"errors": n, "warnings": n, "problems":
/// [Problem, ...]}`, pretty-printed, ending in a newline.
pub fn to_json(diagnostics: &[Diagnostic]) -> String {
    #[derive(Serialize)]
    struct All<'a> {
        errors: usize,
        warnings: usize,
        problems: Vec<Problem<'a>>,
    }
    let errors = diagnostics.iter().filter(|d| d.is_error()).count();
    let all = All {
        errors,
        warnings: diagnostics.len() - errors,
        problems: diagnostics.iter().map(Problem::from).collect(),
    };
    // Serialising plain strings and numbers cannot fail.
    serde_json::to_string_pretty(&all).unwrap_or_default() + "\n"
}

/// Lines longer than this many characters are shown as a window around
/// the column instead of whole.
const MAX_SNIPPET_CHARS: usize = 200;
/// The characters shown either side of the column of a long line.
const WINDOW_CHARS: usize = 60;

/// The diagnostic rendered like a codespan snippet, with only a window of
/// its line around the column, when the line is too long to show whole.
fn long_line(d: &Diagnostic, pos: Pos, text: &str) -> Option<String> {
    let line = text.split('\n').nth(pos.line.checked_sub(1)?)?;
    let chars: Vec<char> = line.chars().collect();
    if chars.len() <= MAX_SNIPPET_CHARS {
        return None;
    }
    let col = pos.column.saturating_sub(1).min(chars.len());
    let start = col.saturating_sub(WINDOW_CHARS);
    let end = (col + WINDOW_CHARS).min(chars.len());
    let mut shown = String::new();
    if start > 0 {
        shown.push('…');
    }
    shown.extend(&chars[start..end]);
    if end < chars.len() {
        shown.push('…');
    }
    let token: usize = match d.width {
        Some(w) => w.min(end - col),
        None => chars[col..end]
            .iter()
            .take_while(|c| !c.is_whitespace())
            .count(),
    }
    .max(1);
    let offset = col - start + usize::from(start > 0);
    let number = pos.line.to_string();
    let pad = " ".repeat(number.len());
    let kind = match d.severity {
        Severity::Error => "error",
        Severity::Warning => "warning",
    };
    let mut out = format!("{kind}: {}\n", d.message);
    out.push_str(&format!("{pad} ┌─ {}\n", d.location()));
    out.push_str(&format!("{pad} │\n"));
    out.push_str(&format!("{number} │ {shown}\n"));
    let label = d
        .field
        .as_ref()
        .map(|f| format!(" field `{f}`"))
        .unwrap_or_default();
    out.push_str(&format!(
        "{pad} │ {}{}{label}\n",
        " ".repeat(offset),
        "^".repeat(token)
    ));
    if let Some(hint) = &d.hint {
        out.push_str(&format!("{pad} │\n{pad} = hint: {hint}\n"));
    }
    out.push('\n');
    Some(out)
}

/// The byte offset of a 1-based line and character column.
fn byte_offset(text: &str, pos: Pos) -> usize {
    let mut offset = 0;
    for (i, line) in text.split_inclusive('\n').enumerate() {
        if i + 1 == pos.line {
            let col = line
                .char_indices()
                .nth(pos.column.saturating_sub(1))
                .map(|(b, _)| b)
                .unwrap_or(line.len());
            return offset + col;
        }
        offset += line.len();
    }
    text.len()
}

/// The end of the token starting at `start`: up to the end of the line,
/// at most the scalar's first word run.
fn token_end(text: &str, start: usize) -> usize {
    let rest = &text[start..];
    let line_end = rest.find(['\n', '\r']).unwrap_or(rest.len());
    let line = &rest[..line_end];
    let token = line.trim_end();
    let token = match token.find(": ") {
        Some(i) => &token[..i],
        None => token.strip_suffix(':').unwrap_or(token),
    };
    start + token.len().max(1).min(line_end.max(1)).min(rest.len())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn one_line_form_names_file_line_field_and_message() {
        let d = Diagnostic::error("data/x.yaml", "found 7, expected at most 4")
            .at(Some(Pos { line: 3, column: 5 }))
            .field("points.a");
        assert_eq!(
            d.to_string(),
            "error: data/x.yaml:3:5: points.a: found 7, expected at most 4"
        );
    }

    #[test]
    fn snippet_shows_the_line() {
        let mut cache = SourceCache::default();
        let path = Path::new("u.yaml");
        cache.insert(path, "a: 1\nb: 7\n");
        let d = Diagnostic::error(path, "found 7, expected at most 4")
            .at(Some(Pos { line: 2, column: 4 }))
            .field("b")
            .hint("lower it");
        let out = render(&[d], &cache);
        assert!(out.contains("u.yaml:2:4"), "{out}");
        assert!(out.contains("b: 7"), "{out}");
        assert!(out.contains("hint: lower it"), "{out}");
        assert!(out.ends_with("1 error, 0 warnings\n"), "{out}");
    }

    #[test]
    fn a_trace_point_is_shown_as_help_with_its_snippet() {
        let mut cache = SourceCache::default();
        cache.insert(Path::new("style.typ"), "#let f() = {\n  oops()\n}\n");
        cache.insert(Path::new("report.typ.j2"), "= Kop\n#f()\n");
        let d = Diagnostic::error("style.typ", "unknown variable: oops")
            .at(Some(Pos { line: 2, column: 3 }))
            .traced(TracePoint {
                file: "report.typ.j2".into(),
                pos: Some(Pos { line: 2, column: 1 }),
                message: "while calling `f`".into(),
            })
            .traced(TracePoint {
                file: PathBuf::new(),
                pos: None,
                message: "in out/x.pdf".into(),
            });
        let out = render(&[d], &cache);
        assert_eq!(
            out,
            "error: unknown variable: oops\n  ┌─ style.typ:2:3\n  │\n2 │   oops()\n  │   ^^^^^^\n\n\
             help: while calling `f`\n  ┌─ report.typ.j2:2:1\n  │\n2 │ #f()\n  │ ^^^^\n\n\
             help: in out/x.pdf\n\n\
             1 error, 0 warnings\n"
        );
    }

    #[test]
    fn colour_is_only_colour_and_input_stays_escaped() {
        let mut cache = SourceCache::default();
        let path = Path::new("u.yaml");
        cache.insert(path, "group: \"x\x1b[2J\"\n");
        let d = Diagnostic::warning(path, "unknown group `x\x1b[2J`")
            .at(Some(Pos { line: 1, column: 8 }))
            .hint("one\ntwo");
        let plain = render_styled(std::slice::from_ref(&d), &cache, false);
        assert!(!plain.contains('\x1b'), "{plain:?}");
        assert!(plain.contains("unknown group `x\\x1b[2J`"), "{plain}");
        assert!(plain.contains("= hint: one\n"), "{plain}");
        assert!(plain.contains("= hint: two\n"), "{plain}");
        let coloured = render_styled(&[d], &cache, true);
        assert!(coloured.contains("\x1b["), "{coloured:?}");
        assert!(!coloured.contains("\x1b[2J"), "{coloured:?}");
    }

    #[test]
    fn json_gives_every_field() {
        let d = Diagnostic::error("u.yaml", "found 7, expected at most 4")
            .at(Some(Pos { line: 2, column: 4 }))
            .field("b")
            .hint("lower it");
        let w = Diagnostic::warning("e.yaml", "no date");
        let v: serde_json::Value = serde_json::from_str(&to_json(&[d, w])).unwrap();
        assert_eq!(
            v,
            serde_json::json!({
                "errors": 1,
                "warnings": 1,
                "problems": [
                    {"severity": "error", "file": "u.yaml", "line": 2, "column": 4,
                     "field": "b", "message": "found 7, expected at most 4", "hint": "lower it"},
                    {"severity": "warning", "file": "e.yaml", "line": null, "column": null,
                     "field": null, "message": "no date", "hint": null}
                ]
            })
        );
    }

    #[test]
    fn a_long_line_shows_a_window_around_the_column() {
        let mut cache = SourceCache::default();
        let path = Path::new("u.yaml");
        let line = format!(
            "a: {}XYZ{}\n",
            "x ".repeat(1_000_000),
            " y".repeat(1_000_000)
        );
        cache.insert(path, &line);
        let d = Diagnostic::error(path, "bad")
            .at(Some(Pos {
                line: 1,
                column: 2_000_004,
            }))
            .field("a");
        let out = render(&[d], &cache);
        assert!(out.len() < 1_000, "{}", out.len());
        let window: String = line.chars().skip(2_000_003 - 60).take(120).collect();
        let expected = format!(
            "error: bad\n  ┌─ u.yaml:1:2000004\n  │\n1 │ …{window}…\n  │ {}^^^ field `a`\n\n1 error, 0 warnings\n",
            " ".repeat(61)
        );
        assert_eq!(out, expected);
    }

    #[test]
    fn offsets_survive_positions_past_the_end() {
        assert_eq!(byte_offset("ab\n", Pos { line: 9, column: 1 }), 3);
        assert_eq!(byte_offset("ab\ncd", Pos { line: 2, column: 9 }), 5);
        assert_eq!(token_end("ab", 2), 2);
    }
}
