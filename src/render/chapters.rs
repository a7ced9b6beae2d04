//! The editors' free chapters and their placeholders.
//!
//! A free chapter (`chapters/*.txt`) is prose in the inline subset that may
//! hold `{{ placeholders }}` for computed figures, the same figures and
//! filters as the letters (docs/letters.md, without `footnote`), so that an
//! introduction or a conclusion states the figures the program computed
//! and never a typed copy that can go stale. Placeholders are filled before
//! the text is parsed into prose; the result is data, passed to Typst as
//! strings like every other text.

use minijinja::value::Value;
use serde::Serialize;

use crate::base::diagnostics::Diagnostic;
use std::path::PathBuf;

use crate::base::locate::Pos;
use crate::data::load::ChapterText;
use crate::figures::scored::ScoredEdition;
use crate::render::placeholders::{self, Placeholders};

/// Fills the placeholders of one chapter's text with `figures`.
///
/// Errors: an unknown placeholder or filter, or a syntax error, as a
/// diagnostic at the chapter file's line.
pub fn fill<C: Serialize>(
    placeholders: &Placeholders,
    chapter: &ChapterText,
    figures: &C,
) -> Result<String, Box<Diagnostic>> {
    let error = |e: minijinja::Error| -> Box<Diagnostic> {
        let mut message = e
            .detail()
            .map(str::to_string)
            .unwrap_or_else(|| e.kind().to_string());
        if matches!(e.kind(), minijinja::ErrorKind::UndefinedError) {
            message = format!("unknown placeholder: {message}");
        }
        if matches!(e.kind(), minijinja::ErrorKind::OutOfFuel) {
            message = format!(
                "the placeholders take more than {} steps to fill, expected a text with simple placeholders and short loops",
                placeholders::PLACEHOLDER_FUEL
            );
        }
        Box::new(
            Diagnostic::error(&chapter.path, message)
                .at(e.line().map(|line| Pos { line, column: 1 }))
                .hint("a chapter's placeholders can use the figures listed in docs/letters.md (without footnote); write `{{ \"{{\" }}` for a literal `{{`"),
        )
    };
    // The letters' environment, bounded in work and depth; a chapter has
    // no footnotes.
    let tmpl = placeholders
        .template("chapter", &chapter.text, 0)
        .map_err(error)?;
    tmpl.render(Value::from(minijinja::value::Serde(figures)))
        .map_err(error)
}

/// A free chapter with its placeholders filled.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct FilledChapter {
    /// The chapter's id in `edition.yaml`.
    pub id: String,
    /// The chapter's text file, as shown in messages.
    pub path: PathBuf,
    /// The text with its placeholders filled, still in the inline subset.
    pub text: String,
}

/// Fills every free chapter of `scored` once: the chapters whose
/// placeholders could be filled, in the edition's order, and a problem for
/// each that could not (that chapter is left out, never printed raw).
pub fn fill_all(scored: &ScoredEdition) -> (Vec<FilledChapter>, Vec<Diagnostic>) {
    let chapters = &scored.source().chapters;
    let (mut filled, mut problems) = (Vec::new(), Vec::new());
    if chapters.is_empty() {
        return (filled, problems);
    }
    let figures = placeholders::figures(scored);
    let placeholders = Placeholders::new();
    for c in chapters {
        match fill(&placeholders, c, &figures) {
            Ok(text) => filled.push(FilledChapter {
                id: c.id.clone(),
                path: c.path.clone(),
                text,
            }),
            Err(d) => problems.push(*d),
        }
    }
    (filled, problems)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn chapter(text: &str) -> ChapterText {
        ChapterText {
            id: "c".into(),
            text: text.into(),
            path: PathBuf::from("chapters/c.txt"),
        }
    }

    #[derive(Serialize)]
    struct Figures {
        n: u32,
        big: u32,
        names: Vec<&'static str>,
    }

    const FIGURES: Figures = Figures {
        n: 3,
        big: 1234,
        names: Vec::new(),
    };

    #[test]
    fn figures_print_the_dutch_way() {
        let f = Figures {
            names: vec!["Groningen", "Friesland", "Drenthe"],
            ..FIGURES
        };
        let out = fill(
            &Placeholders::new(),
            &chapter("{{ n | word }} van {{ big }}: {{ names | list }}.\n"),
            &f,
        )
        .unwrap();
        assert_eq!(
            out.trim_end(),
            "drie van 1.234: Groningen, Friesland en Drenthe."
        );
    }

    #[test]
    fn text_without_placeholders_is_unchanged() {
        let text = "Tekst met # $ _ < @ [ \\ // en *nadruk*.\n\n- een punt\n";
        assert_eq!(
            fill(&Placeholders::new(), &chapter(text), &FIGURES)
                .unwrap()
                .trim_end(),
            text.trim_end()
        );
    }

    #[test]
    fn a_literal_opening_brace_pair_is_written_as_a_string() {
        let out = fill(&Placeholders::new(), &chapter("a {{ \"{{\" }} b"), &FIGURES).unwrap();
        assert_eq!(out, "a {{ b");
    }

    #[test]
    fn an_unknown_placeholder_names_its_line() {
        let d = fill(
            &Placeholders::new(),
            &chapter("Eerste regel.\n\n{{ nergens }}\n"),
            &FIGURES,
        )
        .unwrap_err();
        assert!(d.message.contains("unknown placeholder"), "{}", d.message);
        assert_eq!(d.pos.map(|p| p.line), Some(3));
    }

    #[test]
    fn loops_without_end_run_out_of_fuel_at_the_chapter() {
        let text = "Tekst.\n{% for a in range(10000) %}{% for b in range(10000) %}x{% endfor %}{% endfor %}\n";
        let d = fill(&Placeholders::new(), &chapter(text), &FIGURES).unwrap_err();
        assert!(d.message.contains("steps to fill"), "{}", d.message);
        assert_eq!(d.file, PathBuf::from("chapters/c.txt"));
    }

    #[test]
    fn an_undefined_value_never_reaches_a_filter() {
        let d = fill(
            &Placeholders::new(),
            &chapter("{{ nergens | list }}"),
            &FIGURES,
        )
        .unwrap_err();
        assert!(d.message.contains("unknown placeholder"), "{}", d.message);
    }
}
