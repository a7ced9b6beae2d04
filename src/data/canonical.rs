//! The canonical form of an edition's YAML files, which `korpsmonitor fmt`
//! writes so that reviewers' diffs show only real changes.
//!
//! The canonical form is what serde_yaml writes for the data model: keys in
//! the order of the model's fields (as documented in docs/data-format.md),
//! optional fields left out when empty, prose with line breaks as literal
//! block scalars, strings quoted only where YAML needs it. serde_yaml cannot
//! keep comments, so a file with comments is never rewritten: it is named
//! with its first comment's line instead. A file may be rewritten only when
//! its canonical form reads back to the same data.

use std::path::{Path, PathBuf};

use saphyr_parser::{Event, Parser};
use serde::Serialize;
use serde::de::DeserializeOwned;

use crate::base::diagnostics::{Diagnostic, SourceCache};
use crate::base::input;
use crate::base::locate::Pos;
use crate::data::load;
use crate::data::model::{EditionFile, LetterFile, RecommendationsFile, UnitFile};

/// What happened to one file.
#[derive(Debug, PartialEq, Eq)]
pub enum Outcome {
    /// Already canonical.
    Canonical,
    /// Not canonical; holds the canonical text.
    Changed(String),
}

/// The canonical forms of an edition's files, read but not yet written.
#[derive(Default)]
pub struct Edition {
    /// How many files are already canonical.
    pub canonical: usize,
    /// Files not canonical, each with its canonical text, in the order of
    /// reading: edition.yaml, recommendations.yaml, letter.yaml, units.
    pub changed: Vec<(PathBuf, String)>,
    /// Files that cannot be read or rewritten (comments, YAML errors, a
    /// canonical form that does not round-trip), and an unreadable units
    /// folder.
    pub problems: Vec<Diagnostic>,
    /// The text of every file read, for showing the problems' lines.
    pub sources: SourceCache,
}

/// Reads every YAML file of the edition in `dir` and works out its
/// canonical form; writes nothing.
pub fn edition(dir: &Path) -> Edition {
    let mut out = Edition::default();
    let (paths, listing_problem) = files(dir);
    out.problems.extend(listing_problem);
    for (path, kind) in paths {
        let text = match input::read(dir, &path, load::MAX_FILE_BYTES)
            .map_err(|e| e.to_string())
            .and_then(|b| {
                String::from_utf8(b).map_err(|e| {
                    format!("{} is {}", path.display(), load::not_utf8(e.as_bytes(), &e))
                })
            }) {
            Ok(t) => t,
            Err(message) => {
                out.problems.push(Diagnostic::error(&path, message));
                continue;
            }
        };
        out.sources.insert(&path, &text);
        let result = match kind {
            Kind::Edition => canonicalise::<EditionFile>(&path, &text),
            Kind::Unit => canonicalise::<UnitFile>(&path, &text),
            Kind::Recommendations => canonicalise::<RecommendationsFile>(&path, &text),
            Kind::Letter => canonicalise::<LetterFile>(&path, &text),
        };
        match result {
            Ok(Outcome::Canonical) => out.canonical += 1,
            Ok(Outcome::Changed(new)) => out.changed.push((path, new)),
            Err(d) => out.problems.push(*d),
        }
    }
    out
}

/// Removes temporary files an earlier, killed rewrite of the edition in
/// `dir` left behind (in the folder and in its units folder).
pub fn remove_stale_temps(dir: &Path) {
    crate::base::output::remove_stale_temps(dir);
    crate::base::output::remove_stale_temps(&dir.join("units"));
}

enum Kind {
    Edition,
    Unit,
    Recommendations,
    Letter,
}

/// The YAML files of the edition in `dir` (unit files with any letter case
/// of `.yaml`/`.yml`), and a problem when the units folder cannot be listed.
fn files(dir: &Path) -> (Vec<(PathBuf, Kind)>, Option<Diagnostic>) {
    let mut out = vec![(dir.join("edition.yaml"), Kind::Edition)];
    for (name, kind) in [
        ("recommendations.yaml", Kind::Recommendations),
        ("letter.yaml", Kind::Letter),
    ] {
        if input::exists(dir, &dir.join(name)) {
            out.push((dir.join(name), kind));
        }
    }
    let units = dir.join("units");
    let mut problem = None;
    match input::list(dir, &units) {
        Ok(entries) => out.extend(
            entries
                .into_iter()
                .filter(|e| load::is_unit_file(&e.path))
                .map(|e| (e.path, Kind::Unit)),
        ),
        Err(e) => {
            problem = Some(Diagnostic::error(
                &units,
                format!("cannot read the units folder: {e}"),
            ))
        }
    }
    (out, problem)
}

/// The canonical form of one file, or why it cannot be rewritten.
///
/// A byte-order mark and CRLF line ends are dropped (as when loading).
/// Never loses a comment: a file is refused when it has more `#` outside
/// its scalars' values than the canonical form keeps, which holds whatever
/// the comments' places (after a byte-order mark, with CR line ends, after
/// multi-line quoted scalars). Never changes a value: the canonical form
/// must read back to data equal to the original's.
pub fn canonicalise<T: DeserializeOwned + Serialize>(
    path: &Path,
    text: &str,
) -> Result<Outcome, Box<Diagnostic>> {
    let normal = text.strip_prefix('\u{feff}').unwrap_or(text);
    let normal = if normal.contains('\r') {
        std::borrow::Cow::Owned(normal.replace("\r\n", "\n"))
    } else {
        std::borrow::Cow::Borrowed(normal)
    };
    let value: T = load::parse_yaml(path, &normal)?;
    let canonical = serde_yaml::to_string(&value)
        .map_err(|e| Box::new(Diagnostic::error(path, format!("cannot write YAML: {e}"))))?;
    if canonical == text {
        return Ok(Outcome::Canonical);
    }
    if has_comments(&normal) {
        let pos = first_comment(&normal).or_else(|| first_hash(&normal));
        return Err(Box::new(
            Diagnostic::error(
                path,
                "this file has comments, which the canonical form cannot keep; it is left unchanged",
            )
            .at(pos)
            .hint("move the comment's content into `notes:` (the assessment team's, never printed) or another field, or delete it, then run fmt again"),
        ));
    }
    // Nothing may be lost: the canonical text must read back to the same data.
    let back: T = load::parse_yaml(path, &canonical).map_err(|e| {
        Box::new(Diagnostic::error(
            path,
            format!(
                "the canonical form does not read back ({}); the file is left unchanged",
                e.message
            ),
        ))
    })?;
    let same = match (serde_json::to_value(&value), serde_json::to_value(&back)) {
        (Ok(a), Ok(b)) => a == b,
        _ => false,
    };
    let again = serde_yaml::to_string(&back).unwrap_or_default();
    if !same || again != canonical {
        return Err(Box::new(Diagnostic::error(
            path,
            "the canonical form does not round-trip; the file is left unchanged",
        )));
    }
    Ok(Outcome::Changed(canonical))
}

/// Whether `text` may hold a comment: more `#` in the text than in the
/// values of its scalars (keys included). A `#` from an escape (`\x23`,
/// `\u0023`, `\U00000023`) is not counted as one from the text, so the
/// answer errs towards yes; a text that does not parse counts as commented.
pub fn has_comments(text: &str) -> bool {
    let in_text = text.matches('#').count();
    if in_text == 0 {
        return false;
    }
    let mut in_values = 0usize;
    for item in Parser::new_from_str(text) {
        match item {
            Ok((Event::Scalar(v, ..), _)) => in_values += v.matches('#').count(),
            Ok(_) => {}
            Err(_) => return true,
        }
    }
    let lower = text.to_ascii_lowercase();
    let escapes = lower.matches("\\x23").count()
        + lower.matches("\\u0023").count()
        + lower.matches("\\u00000023").count();
    in_text > in_values.saturating_sub(escapes)
}

/// The position of the first `#` in `text`.
fn first_hash(text: &str) -> Option<Pos> {
    let (before, _) = text.split_once('#')?;
    let line = before.matches('\n').count() + 1;
    let column = before.rsplit('\n').next().unwrap_or("").chars().count() + 1;
    Some(Pos { line, column })
}

/// The position of the first comment: a `#` at the start of a line or after
/// white space, outside every scalar.
pub fn first_comment(text: &str) -> Option<Pos> {
    let mut scalars: Vec<(usize, usize)> = Vec::new();
    for item in Parser::new_from_str(text) {
        let Ok((event, span)) = item else { break };
        if matches!(event, Event::Scalar(..)) {
            scalars.push((span.start.index(), span.end.index()));
        }
    }
    let mut prev = '\n';
    let (mut line, mut column) = (1, 0);
    for (i, c) in text.chars().enumerate() {
        column += 1;
        if c == '#'
            && (prev == '\n' || prev == ' ' || prev == '\t')
            && !scalars.iter().any(|(s, e)| (*s..*e).contains(&i))
        {
            return Some(Pos { line, column });
        }
        if c == '\n' {
            line += 1;
            column = 0;
        }
        prev = c;
    }
    None
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn comments_are_found_outside_scalars_only() {
        assert_eq!(
            first_comment("a: 1 # note\n"),
            Some(Pos { line: 1, column: 6 })
        );
        assert_eq!(
            first_comment("# top\na: 1\n"),
            Some(Pos { line: 1, column: 1 })
        );
        assert_eq!(first_comment("a: 'x # y'\nb: \"#z\"\nc: a#b\n"), None);
        assert_eq!(first_comment("a: |\n  regel # geen commentaar\n"), None);
    }

    #[test]
    fn canonical_form_is_stable_and_lossless() {
        let messy = "{name: Beta, id: beta, group: korpsen, dimensions: {t: {points: {a: 1, b: n.v.t.}, findings: \"Een\\ntwee\"}}}";
        let path = Path::new("beta.yaml");
        let Outcome::Changed(canonical) = canonicalise::<UnitFile>(path, messy).unwrap() else {
            panic!("messy input is not canonical");
        };
        assert!(
            canonical.starts_with("id: beta\nname: Beta\ngroup: korpsen\n"),
            "{canonical}"
        );
        assert!(canonical.contains("b: nvt"), "{canonical}");
        assert!(canonical.contains("findings: |-\n"), "{canonical}");
        assert_eq!(
            canonicalise::<UnitFile>(path, &canonical).unwrap(),
            Outcome::Canonical
        );
    }

    #[test]
    fn files_with_comments_are_refused() {
        let err = canonicalise::<UnitFile>(
            Path::new("u.yaml"),
            "id: u  # de eenheid\nname: U\ngroup: g\n",
        )
        .unwrap_err();
        assert_eq!(err.pos, Some(Pos { line: 1, column: 8 }));
    }
}
