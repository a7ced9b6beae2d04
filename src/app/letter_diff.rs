//! `korpsmonitor diff EDITION LETTER.docx`: what the minister's office
//! changed in a letter amended in Word, word by word, against the same
//! letter as the edition builds it now, so that the changes can be
//! carried into `letter.yaml`.
//!
//! The letter is found by the document property every built `.docx`
//! carries ([`crate::render::docx::IDENT_PROPERTY`]), else by the kenmerk
//! of one of the edition's letters in its text. Both letters are read by
//! the same reader ([`crate::render::docx_read`]), paragraph by paragraph;
//! paragraphs are matched with a Myers diff, and a changed paragraph is
//! shown with its words changed ([`crate::figures::diff::words`]). A
//! number changed, added or removed by hand is flagged: it no longer
//! matches the data the letter is computed from.

use std::path::Path;

use serde::Serialize;

use crate::app::build::{self, Observer, Timings};
use crate::app::options::BuildOptions;
use crate::base::diagnostics::Diagnostic;
use crate::base::error::RunError;
use crate::figures::diff::{Style, WordChange, WordKind, words, words_text};
use crate::render::docx_read::{self, LetterText};
use crate::typeset::Typesetter;

/// The largest `.docx` file read (64 MiB).
pub const MAX_FILE: u64 = 64 << 20;

/// What the office changed in one letter.
#[derive(Debug, Serialize)]
pub struct LetterDiff {
    /// The letter as the build names it, e.g. `brieven/groningen.docx`.
    pub letter: String,
    /// Its identifier, e.g. `brief-2010-groningen`.
    pub ident: String,
    /// Its kenmerk, when it has one.
    pub reference: Option<String>,
    /// How it was found: `property` or `kenmerk`.
    pub found_by: &'static str,
    /// The edition it was built from, as given.
    pub edition: String,
    /// The changed paragraphs, in order.
    pub changes: Vec<ParagraphChange>,
    /// The numbers changed by hand.
    pub figures: Vec<FigureChange>,
}

/// One paragraph changed, removed or added.
#[derive(Debug, Serialize)]
pub struct ParagraphChange {
    /// The paragraph's number in the letter as built (1-based); for an
    /// added paragraph, the one it follows (0 at the start).
    pub paragraph: usize,
    /// `changed`, `removed` or `added`.
    pub kind: &'static str,
    /// The words.
    pub words: Vec<WordChange>,
}

/// A number in the letter that no longer matches the data.
#[derive(Debug, Serialize)]
pub struct FigureChange {
    /// The paragraph's number in the letter as built.
    pub paragraph: usize,
    /// The number as built (empty when added).
    pub built: String,
    /// The number as amended (empty when removed).
    pub amended: String,
}

struct Quiet;

impl Observer for Quiet {}

/// Compares the amended letter at `amended` with the letter the edition
/// in `edition` builds.
///
/// Errors: the file cannot be read or is refused (not a Word document, a
/// zip bomb, macros, external links: [`docx_read`]); no letter of the
/// edition matches it; the edition's own errors, as `build` gives them.
pub fn letter_diff(edition: &Path, amended: &Path) -> Result<LetterDiff, RunError> {
    let refused = |msg: String| RunError::diagnostic(Diagnostic::error(amended, msg));
    let bytes = crate::base::input::read_file(amended, MAX_FILE)
        .map_err(|e| RunError::Other(e.to_string()))?;
    let name = amended.display().to_string();
    let theirs = docx_read::read(&name, &bytes).map_err(refused)?;
    let options = BuildOptions::preview(edition.to_path_buf(), None, None);
    let typesetter = Typesetter::new(build::font_set(&options)?);
    let prepared = build::prepare(&options, &typesetter, &mut Timings::default(), &Quiet)?;
    let plan = prepared.plan;
    if plan.docx.is_empty() {
        return Err(RunError::Usage(format!(
            "{} has no letter.yaml, so it has no letters to compare {name} with",
            edition.display()
        )));
    }
    let by_property = theirs
        .ident
        .as_ref()
        .map(|id| plan.docx.iter().find(|d| &d.ident == id).ok_or(id));
    let (ours, found_by) = match by_property {
        Some(Ok(d)) => (d, "property"),
        Some(Err(id)) => {
            return Err(refused(format!(
                "this is the letter {id}, which is not a letter of {} (its letters are {}); compare it with the edition it was built from",
                edition.display(),
                plan.docx
                    .iter()
                    .map(|d| d.ident.as_str())
                    .collect::<Vec<_>>()
                    .join(", ")
            )));
        }
        None => {
            let found: Vec<_> = plan
                .docx
                .iter()
                .filter(|d| d.reference.as_ref().is_some_and(|r| holds_word(&theirs, r)))
                .collect();
            match found.as_slice() {
                [one] => (*one, "kenmerk"),
                _ => {
                    return Err(refused(format!(
                        "cannot tell which letter of {} this is: it has no document property {} and {} the kenmerk of one of its letters",
                        edition.display(),
                        crate::render::docx::IDENT_PROPERTY,
                        if found.is_empty() { "not" } else { "more than" }
                    )));
                }
            }
        }
    };
    let built = docx_read::read(&ours.ident, &ours.bytes).map_err(RunError::Other)?;
    let (changes, figures) = compare(&built, &theirs);
    Ok(LetterDiff {
        letter: ours
            .path
            .strip_prefix(&plan.out_dir)
            .unwrap_or(&ours.path)
            .display()
            .to_string(),
        ident: ours.ident.clone(),
        reference: ours.reference.clone(),
        found_by,
        edition: edition.display().to_string(),
        changes,
        figures,
    })
}

/// Whether `word` stands as a whole word in the letter.
fn holds_word(text: &LetterText, word: &str) -> bool {
    text.paragraphs.iter().any(|p| {
        p.split(|c: char| c.is_whitespace() || matches!(c, ',' | ';' | ':' | '(' | ')'))
            .any(|w| w.trim_end_matches('.') == word)
    })
}

/// The paragraphs that changed from `built` to `amended`, and the numbers
/// among their changed words.
fn compare(built: &LetterText, amended: &LetterText) -> (Vec<ParagraphChange>, Vec<FigureChange>) {
    let (old, new) = (&built.paragraphs, &amended.paragraphs);
    let ops = similar::capture_diff_slices(similar::Algorithm::Myers, old, new);
    let mut changes = Vec::new();
    for op in ops {
        match op {
            similar::DiffOp::Equal { .. } => {}
            similar::DiffOp::Delete {
                old_index, old_len, ..
            } => removed(&mut changes, old, old_index, old_len),
            similar::DiffOp::Insert {
                old_index,
                new_index,
                new_len,
            } => added(&mut changes, new, old_index, new_index, new_len),
            similar::DiffOp::Replace {
                old_index,
                old_len,
                new_index,
                new_len,
            } => {
                let pairs = old_len.min(new_len);
                let olds = old[old_index..old_index + pairs].iter();
                let news = new[new_index..new_index + pairs].iter();
                for (k, (o, n)) in olds.zip(news).enumerate() {
                    changes.push(ParagraphChange {
                        paragraph: old_index + k + 1,
                        kind: "changed",
                        words: words(o, n),
                    });
                }
                removed(&mut changes, old, old_index + pairs, old_len - pairs);
                let after = old_index + old_len;
                added(&mut changes, new, after, new_index + pairs, new_len - pairs);
            }
        }
    }
    let figures = changes.iter().flat_map(figures_of).collect();
    (changes, figures)
}

/// The paragraphs `old[at..at + len]`, removed.
fn removed(changes: &mut Vec<ParagraphChange>, old: &[String], at: usize, len: usize) {
    for (i, p) in old.iter().enumerate().skip(at).take(len) {
        changes.push(ParagraphChange {
            paragraph: i + 1,
            kind: "removed",
            words: vec![WordChange {
                kind: WordKind::Removed,
                text: p.clone(),
            }],
        });
    }
}

/// The paragraphs `new[at..at + len]`, added after paragraph `after` of
/// the letter as built.
fn added(changes: &mut Vec<ParagraphChange>, new: &[String], after: usize, at: usize, len: usize) {
    for p in new.iter().skip(at).take(len) {
        changes.push(ParagraphChange {
            paragraph: after,
            kind: "added",
            words: vec![WordChange {
                kind: WordKind::Added,
                text: p.clone(),
            }],
        });
    }
}

/// The numbers among a paragraph's changed words: a removed run followed
/// by an added one is one change; a footnote mark (`[1]`) is no figure.
fn figures_of(c: &ParagraphChange) -> Vec<FigureChange> {
    let numbers = |text: &str| -> String {
        text.split_whitespace()
            .filter(|w| w.chars().any(|c| c.is_ascii_digit()))
            .filter(|w| !(w.starts_with('[') && w.ends_with(']')))
            .collect::<Vec<_>>()
            .join(" ")
    };
    let mut out: Vec<FigureChange> = Vec::new();
    let mut pending: Option<String> = None;
    let push = |built: String, amended: String, out: &mut Vec<FigureChange>| {
        if !built.is_empty() || !amended.is_empty() {
            out.push(FigureChange {
                paragraph: c.paragraph,
                built,
                amended,
            });
        }
    };
    for w in &c.words {
        match w.kind {
            WordKind::Removed => {
                if let Some(p) = pending.take() {
                    push(p, String::new(), &mut out);
                }
                pending = Some(numbers(&w.text));
            }
            WordKind::Added => push(
                pending.take().unwrap_or_default(),
                numbers(&w.text),
                &mut out,
            ),
            WordKind::Same => {
                if let Some(p) = pending.take() {
                    push(p, String::new(), &mut out);
                }
            }
        }
    }
    if let Some(p) = pending {
        push(p, String::new(), &mut out);
    }
    // A rewritten paragraph keeps the numbers it kept: only the changed.
    out.retain(|f| f.built != f.amended);
    out
}

/// The diff as text (plain, coloured or Markdown).
pub fn render(d: &LetterDiff, style: Style) -> String {
    let md = style == Style::Markdown;
    let mut out = String::new();
    let kenmerk = d
        .reference
        .as_ref()
        .map(|r| format!(", kenmerk {r}"))
        .unwrap_or_default();
    let found = match d.found_by {
        "property" => "found by its document property",
        _ => "found by its kenmerk",
    };
    let h = if md { "## " } else { "" };
    out.push_str(&format!(
        "{h}Letter {}{kenmerk} ({}, {found}), amended against {} as built\n",
        d.letter, d.ident, d.edition
    ));
    if d.changes.is_empty() {
        out.push_str("\nNo changes: the letter is as built.\n");
        return out;
    }
    for c in &d.changes {
        let what = match c.kind {
            "added" if c.paragraph == 0 => "New paragraph at the start".to_string(),
            "added" => format!("New paragraph after paragraph {}", c.paragraph),
            "removed" => format!("Paragraph {} removed", c.paragraph),
            _ => format!("Paragraph {}", c.paragraph),
        };
        out.push_str(&format!("\n{}{what}:\n", if md { "- " } else { "" }));
        out.push_str(&format!("  {}\n", words_text(&c.words, style).trim()));
    }
    if !d.figures.is_empty() {
        out.push_str(&format!(
            "\n{h}Figures changed by hand, no longer matching the data:\n"
        ));
        for f in &d.figures {
            let line = match (f.built.is_empty(), f.amended.is_empty()) {
                (false, false) => format!("{} → {}", f.built, f.amended),
                (true, _) => format!("{} added", f.amended),
                (_, true) => format!("{} removed", f.built),
            };
            out.push_str(&format!(
                "{}paragraph {}: {line}\n",
                if md { "- " } else { "  " },
                f.paragraph
            ));
        }
        out.push_str(&format!(
            "The letter's figures are computed from the data: change the data in {} (or the wording in letter.yaml) and build again, rather than a figure in the letter.\n",
            d.edition
        ));
    }
    let n = d.changes.len();
    out.push_str(&format!(
        "\n{n} paragraph{} changed{}.\n",
        if n == 1 { "" } else { "s" },
        match d.figures.len() {
            0 => String::new(),
            1 => ", 1 figure no longer matches the data".into(),
            k => format!(", {k} figures no longer match the data"),
        }
    ));
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    fn text(ps: &[&str]) -> LetterText {
        LetterText {
            ident: None,
            paragraphs: ps.iter().map(|p| p.to_string()).collect(),
        }
    }

    #[test]
    fn a_changed_word_and_a_changed_figure_are_found() {
        let built = text(&[
            "Aan de Voorzitter",
            "Er presteren 12 korpsen goed.",
            "Slot.",
        ]);
        let amended = text(&[
            "Aan de Voorzitter",
            "Er presteren 13 korpsen prima.",
            "Slot.",
            "Nieuw.",
        ]);
        let (changes, figures) = compare(&built, &amended);
        assert_eq!(changes.len(), 2, "{changes:?}");
        assert_eq!(changes[0].paragraph, 2);
        assert_eq!(changes[1].kind, "added");
        assert_eq!(figures.len(), 1, "{figures:?}");
        assert_eq!(
            (figures[0].built.as_str(), figures[0].amended.as_str()),
            ("12", "13")
        );
    }

    #[test]
    fn the_same_letter_has_no_changes() {
        let t = text(&["Een.", "Twee 2."]);
        let (changes, figures) = compare(&t, &t.clone());
        assert!(changes.is_empty() && figures.is_empty());
    }
}
