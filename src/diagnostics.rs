//! Diagnostics: data errors with file, line, column and field, printed
//! with source snippets the same way for YAML files and Typst sources.

use std::fmt;
use std::path::{Path, PathBuf};

use codespan_reporting::diagnostic::{Diagnostic as CsDiagnostic, Label, Severity as CsSeverity};
use codespan_reporting::files::SimpleFiles;
use codespan_reporting::term::{self, Config};

use crate::locate::Pos;

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
    /// How to fix it, when there is more to say.
    pub hint: Option<String>,
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

    /// Adds a hint.
    pub fn hint(mut self, hint: impl Into<String>) -> Diagnostic {
        self.hint = Some(hint.into());
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

    fn get(&self, path: &Path) -> Option<&str> {
        self.files.get(path).map(String::as_str)
    }
}

/// The longest source line shown in a snippet, in bytes.
pub const MAX_SNIPPET_LINE: usize = 1000;

/// Renders diagnostics with snippets (plain text, no colour), then a count.
pub fn render(diagnostics: &[Diagnostic], sources: &SourceCache) -> String {
    let mut out = String::new();
    let config = Config::default();
    for d in diagnostics {
        let mut files = SimpleFiles::new();
        let mut cs = CsDiagnostic::new(match d.severity {
            Severity::Error => CsSeverity::Error,
            Severity::Warning => CsSeverity::Warning,
        })
        .with_message(&d.message);
        let mut notes = Vec::new();
        // A line too long to show (a hostile file on one line) is named,
        // not printed.
        let source = sources.get(&d.file).filter(|text| {
            d.pos.is_none_or(|pos| {
                text.lines()
                    .nth(pos.line.saturating_sub(1))
                    .is_none_or(|l| l.len() <= MAX_SNIPPET_LINE)
            })
        });
        match (d.pos, source) {
            (Some(pos), Some(text)) => {
                let id = files.add(d.file.display().to_string(), text.to_string());
                let start = byte_offset(text, pos);
                let end = token_end(text, start);
                let label = match &d.field {
                    Some(field) => format!("field `{field}`"),
                    None => String::new(),
                };
                cs = cs.with_labels(vec![Label::primary(id, start..end).with_message(label)]);
            }
            _ => {
                notes.push(format!("in {}", d.location()));
                if let Some(field) = &d.field {
                    notes.push(format!("field `{field}`"));
                }
            }
        }
        if let Some(hint) = &d.hint {
            notes.push(format!("hint: {hint}"));
        }
        cs = cs.with_notes(notes);
        match term::emit_into_string(&config, &files, &cs) {
            Ok(s) => out.push_str(&s),
            Err(_) => {
                out.push_str(&d.to_string());
                out.push('\n');
            }
        }
    }
    let errors = diagnostics.iter().filter(|d| d.is_error()).count();
    let warnings = diagnostics.len() - errors;
    if errors > 0 || warnings > 0 {
        out.push_str(&format!(
            "{} error{}, {} warning{}\n",
            errors,
            if errors == 1 { "" } else { "s" },
            warnings,
            if warnings == 1 { "" } else { "s" }
        ));
    }
    out
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
    fn offsets_survive_positions_past_the_end() {
        assert_eq!(byte_offset("ab\n", Pos { line: 9, column: 1 }), 3);
        assert_eq!(byte_offset("ab\ncd", Pos { line: 2, column: 9 }), 5);
        assert_eq!(token_end("ab", 2), 2);
    }
}
