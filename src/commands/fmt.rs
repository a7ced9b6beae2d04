//! `korpsmonitor fmt`: rewrite an edition's YAML files into one canonical
//! form, so that reviewers' diffs show only real changes.
//!
//! The canonical form is what serde_yaml writes for the data model: keys in
//! the order of the model's fields (as documented in docs/data-format.md),
//! optional fields left out when empty, prose with line breaks as literal
//! block scalars, strings quoted only where YAML needs it. serde_yaml cannot
//! keep comments, so a file with comments is never rewritten: `fmt` names it
//! and its first comment's line instead.

use std::fs;
use std::path::{Path, PathBuf};

use saphyr_parser::{Event, Parser};
use serde::Serialize;
use serde::de::DeserializeOwned;

use crate::cli::FmtArgs;
use crate::commands::RunError;
use crate::diagnostics::{self, Diagnostic, SourceCache};
use crate::load;
use crate::locate::Pos;
use crate::model::{EditionFile, LetterFile, RecommendationsFile, UnitFile};
use crate::output::write_atomic;

/// What happened to one file.
#[derive(Debug, PartialEq, Eq)]
pub enum Outcome {
    /// Already canonical.
    Canonical,
    /// Not canonical; holds the canonical text.
    Changed(String),
}

/// Runs `fmt`.
pub fn run(args: &FmtArgs) -> Result<(), RunError> {
    if !args.edition.join("edition.yaml").is_file() {
        return Err(RunError::Usage(format!(
            "{} has no edition.yaml; expected an edition folder such as data/2010",
            args.edition.display()
        )));
    }
    let mut problems = Vec::new();
    let mut sources = SourceCache::default();
    let mut changed = Vec::new();
    let mut canonical = 0usize;
    for (path, kind) in files(&args.edition) {
        let text = match fs::read_to_string(&path) {
            Ok(t) => t,
            Err(e) => {
                problems.push(Diagnostic::error(&path, format!("cannot read: {e}")));
                continue;
            }
        };
        sources.insert(&path, &text);
        let result = match kind {
            Kind::Edition => canonicalise::<EditionFile>(&path, &text),
            Kind::Unit => canonicalise::<UnitFile>(&path, &text),
            Kind::Recommendations => canonicalise::<RecommendationsFile>(&path, &text),
            Kind::Letter => canonicalise::<LetterFile>(&path, &text),
        };
        match result {
            Ok(Outcome::Canonical) => canonical += 1,
            Ok(Outcome::Changed(new)) => changed.push((path, new)),
            Err(d) => problems.push(*d),
        }
    }
    if args.check {
        for (path, _) in &changed {
            println!("not canonical: {}", path.display());
        }
    } else {
        for (path, new) in &changed {
            write_atomic(path, new.as_bytes())
                .map_err(|e| RunError::Other(format!("cannot write {}: {e}", path.display())))?;
            println!("formatted {}", path.display());
        }
    }
    println!(
        "{canonical} file{} already canonical",
        if canonical == 1 { "" } else { "s" }
    );
    if !problems.is_empty() {
        return Err(RunError::Data(diagnostics::render(&problems, &sources)));
    }
    if args.check && !changed.is_empty() {
        return Err(RunError::Data(format!(
            "{} file{} not canonical; run `korpsmonitor fmt {}`",
            changed.len(),
            if changed.len() == 1 { " is" } else { "s are" },
            args.edition.display()
        )));
    }
    Ok(())
}

enum Kind {
    Edition,
    Unit,
    Recommendations,
    Letter,
}

fn files(dir: &Path) -> Vec<(PathBuf, Kind)> {
    let mut out = vec![(dir.join("edition.yaml"), Kind::Edition)];
    for (name, kind) in [
        ("recommendations.yaml", Kind::Recommendations),
        ("letter.yaml", Kind::Letter),
    ] {
        if dir.join(name).is_file() {
            out.push((dir.join(name), kind));
        }
    }
    let mut units: Vec<PathBuf> = fs::read_dir(dir.join("units"))
        .map(|d| {
            d.filter_map(|e| e.ok().map(|e| e.path()))
                .filter(|p| p.extension().is_some_and(|x| x == "yaml" || x == "yml"))
                .collect()
        })
        .unwrap_or_default();
    units.sort();
    out.extend(units.into_iter().map(|p| (p, Kind::Unit)));
    out
}

/// The canonical form of one file, or why it cannot be rewritten.
pub fn canonicalise<T: DeserializeOwned + Serialize>(
    path: &Path,
    text: &str,
) -> Result<Outcome, Box<Diagnostic>> {
    let value: T = load::parse_yaml(text).map_err(|e| Box::new(load::yaml_error(path, &e)))?;
    let canonical = serde_yaml::to_string(&value)
        .map_err(|e| Box::new(Diagnostic::error(path, format!("cannot write YAML: {e}"))))?;
    if canonical == text {
        return Ok(Outcome::Canonical);
    }
    if let Some(pos) = first_comment(text) {
        return Err(Box::new(
            Diagnostic::error(
                path,
                "this file has comments, which the canonical form cannot keep; it is left unchanged",
            )
            .at(Some(pos))
            .hint("move the comment's content into a field (e.g. a finding) or delete it, then run fmt again"),
        ));
    }
    // Nothing may be lost: the canonical text must read back to the same data.
    let back: T = load::parse_yaml(&canonical).map_err(|e| {
        Box::new(Diagnostic::error(
            path,
            format!("the canonical form does not read back ({e}); the file is left unchanged"),
        ))
    })?;
    let again = serde_yaml::to_string(&back).unwrap_or_default();
    if again != canonical {
        return Err(Box::new(Diagnostic::error(
            path,
            "the canonical form does not round-trip; the file is left unchanged",
        )));
    }
    Ok(Outcome::Changed(canonical))
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
