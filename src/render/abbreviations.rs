//! Abbreviations the report's text uses against the list in Bijlage B.
//!
//! Bijlage B lists exactly the abbreviations the report names: every
//! listed abbreviation that no text of the report uses is left out
//! (`report::mark_used_abbreviations` and `house-abbreviations` in
//! `style.typ`). The other direction is checked
//! here: an abbreviation that the edition's texts use but
//! `abbreviations` in `edition.yaml` lacks is a warning at its first use,
//! with file, line and field. The texts are every text of the edition that
//! the report prints: names, descriptions, questions, findings,
//! justifications, remarks, recommendations and the free chapters with
//! their placeholders filled. The house style's own words are not seen.

use std::collections::BTreeMap;
use std::path::PathBuf;

use crate::base::diagnostics::Diagnostic;
use crate::base::locate::Pos;
use crate::data::load::{LoadedEdition, Located};
use crate::figures::scored::ScoredEdition;
use crate::render::chapters::FilledChapter;

/// Whether `word` (a run of letters and digits) reads as an abbreviation:
/// two or more capitals (KLPD, KMar, CoMensha; not the Dutch IJ of
/// IJsselland), or a capital with a digit (B9). Roman numerals (II, XIV)
/// are not abbreviations.
pub fn is_abbreviation(word: &str) -> bool {
    let upper = word.chars().filter(|c| c.is_uppercase()).count();
    let digits = word.chars().any(|c| c.is_ascii_digit());
    let starts_upper = word.chars().next().is_some_and(char::is_uppercase);
    if word.chars().all(|c| "IVXLC".contains(c)) {
        return false;
    }
    // The Dutch digraph IJ is one capital letter: IJsselland, IJmuiden.
    let ij = word.starts_with("IJ") && upper == 2;
    (upper >= 2 && !ij) || (starts_upper && digits)
}

/// The abbreviations in `text`, each with the byte offset of its first use.
pub fn used(text: &str) -> Vec<(&str, usize)> {
    let mut out: Vec<(&str, usize)> = Vec::new();
    let mut start = None;
    for (i, c) in text
        .char_indices()
        .chain(std::iter::once((text.len(), ' ')))
    {
        if c.is_alphanumeric() {
            start.get_or_insert(i);
        } else if let Some(s) = start.take() {
            let word = &text[s..i];
            if is_abbreviation(word) && !out.iter().any(|(w, _)| *w == word) {
                out.push((word, s));
            }
        }
    }
    out
}

/// Where a text sits: file, field and the position of its start.
struct Place {
    file: PathBuf,
    field: String,
    pos: Option<Pos>,
    /// Whether `pos` is the text's first line (a free chapter), so that
    /// the line of a use inside it can be counted.
    whole_file: bool,
}

impl Place {
    /// The value of `field` in a located file.
    fn of<T>(file: &Located<T>, field: String) -> Place {
        Place {
            file: file.path.clone(),
            pos: file.locations.value(&field),
            field,
            whole_file: false,
        }
    }
}

/// Every text of the edition that the report prints, each with its
/// place: `edition.yaml`'s names and questions, the free chapters, the
/// unit files' names, findings, justifications, recommendations and
/// remarks, and the general recommendations; in the order the report
/// prints them.
fn texts(loaded: &LoadedEdition, chapters: &[FilledChapter]) -> Vec<(Place, String)> {
    let e = &loaded.edition.value;
    let mut texts: Vec<(Place, String)> = Vec::new();
    let in_edition =
        |field: String, text: &str| (Place::of(&loaded.edition, field), text.to_string());
    texts.push(in_edition("title".into(), &e.title));
    for (i, d) in e.dimensions.iter().enumerate() {
        texts.push(in_edition(format!("dimensions[{i}].name"), &d.name));
        texts.push(in_edition(
            format!("dimensions[{i}].short_name"),
            &d.short_name,
        ));
        texts.push(in_edition(
            format!("dimensions[{i}].description"),
            &d.description,
        ));
        for (j, q) in d.indicators.iter().enumerate() {
            texts.push(in_edition(
                format!("dimensions[{i}].indicators[{j}].question"),
                &q.question,
            ));
        }
    }
    for (i, g) in e.groups.iter().enumerate() {
        texts.push(in_edition(format!("groups[{i}].name"), &g.name));
    }
    for (i, n) in e.new_units.iter().enumerate() {
        texts.push(in_edition(format!("new_units[{i}].name"), &n.name));
        for (j, r) in n.recommendations.iter().enumerate() {
            texts.push(in_edition(
                format!("new_units[{i}].recommendations[{j}]"),
                r,
            ));
        }
    }
    for (i, p) in e.partners.iter().enumerate() {
        texts.push(in_edition(format!("partners[{i}].name"), &p.name));
    }
    for (i, a) in e.addressees.iter().enumerate() {
        texts.push(in_edition(format!("addressees[{i}].name"), &a.name));
    }
    for (i, c) in e.chapters.iter().enumerate() {
        texts.push(in_edition(format!("chapters[{i}].title"), &c.title));
    }
    for c in chapters {
        texts.push((
            Place {
                file: c.path.clone(),
                field: String::new(),
                pos: Some(Pos { line: 1, column: 1 }),
                whole_file: true,
            },
            c.text.clone(),
        ));
    }
    for u in &loaded.units {
        let mut unit_text =
            |field: String, text: &str| texts.push((Place::of(u, field), text.to_string()));
        unit_text("name".into(), &u.value.name);
        if let Some(m) = &u.value.manual_verdict {
            unit_text("manual_verdict.justification".into(), &m.justification);
        }
        for (id, d) in u.value.dimensions.iter() {
            unit_text(format!("dimensions.{id}.findings"), &d.findings);
            if let Some(m) = &d.manual_verdict {
                unit_text(
                    format!("dimensions.{id}.manual_verdict.justification"),
                    &m.justification,
                );
            }
        }
        for (i, r) in u.value.recommendations.iter().enumerate() {
            unit_text(format!("recommendations[{i}]"), r);
        }
        for (id, r) in u.value.partners.iter() {
            unit_text(format!("partners.{id}.remark"), &r.remark);
        }
    }
    if let Some(r) = &loaded.recommendations {
        for (i, t) in r.value.themes.iter().enumerate() {
            texts.push((Place::of(r, format!("themes[{i}].title")), t.title.clone()));
            for (j, rec) in t.recommendations.iter().enumerate() {
                let field = format!("themes[{i}].recommendations[{j}].text");
                texts.push((Place::of(r, field), rec.text.clone()));
            }
        }
    }

    texts
}

/// Warns on every abbreviation the edition's report texts use that
/// `abbreviations` in `edition.yaml` does not list, once per
/// abbreviation, at its first use.
pub fn check(scored: &ScoredEdition, chapters: &[FilledChapter]) -> Vec<Diagnostic> {
    let loaded = scored.source();
    let listed: Vec<&str> = loaded
        .edition
        .value
        .abbreviations
        .iter()
        .map(|a| a.short.as_str())
        .collect();
    let texts = texts(loaded, chapters);

    // The first use of each unlisted abbreviation, and how often it recurs.
    let mut missing: BTreeMap<&str, (usize, &Place, usize, usize)> = BTreeMap::new();
    for (order, (place, text)) in texts.iter().enumerate() {
        for (word, offset) in used(text) {
            if listed.contains(&word) {
                continue;
            }
            missing
                .entry(word)
                .and_modify(|m| m.3 += 1)
                .or_insert((order, place, offset, 0));
        }
    }
    let mut found: Vec<_> = missing.into_iter().collect();
    found.sort_by_key(|(_, (order, ..))| *order);
    found
        .into_iter()
        .map(|(word, (order, place, offset, more))| {
            let pos = match (place.pos, place.whole_file) {
                (Some(p), true) => Some(Pos {
                    line: p.line + texts[order].1[..offset].matches('\n').count(),
                    column: 1,
                }),
                (p, _) => p,
            };
            let elsewhere = match more {
                0 => String::new(),
                1 => " (and in 1 other text)".to_string(),
                n => format!(" (and in {n} other texts)"),
            };
            Diagnostic::warning(
                &place.file,
                format!(
                    "the text uses the abbreviation `{word}`{elsewhere}, which `abbreviations` in edition.yaml does not list"
                ),
            )
            .at(pos)
            .field(place.field.clone())
            .hint(format!(
                "add `- short: {word}` with its meaning (`long:`) to `abbreviations`: Bijlage B lists the abbreviations the report uses"
            ))
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn abbreviations_are_told_from_words() {
        for word in ["KLPD", "OM", "KMar", "CoMensha", "RIEC", "B9", "EMM"] {
            assert!(is_abbreviation(word), "{word}");
        }
        for word in [
            "IJsselland",
            "Groningen",
            "II",
            "XIV",
            "politie",
            "2012",
            "A",
            "Mensenhandel",
        ] {
            assert!(!is_abbreviation(word), "{word}");
        }
    }

    #[test]
    fn uses_are_found_once_with_their_offset() {
        let text = "Het OM en de RIEC’s; het OM.\nAan de KMar en CoMensha (B9-regeling).";
        let words: Vec<&str> = used(text).into_iter().map(|(w, _)| w).collect();
        assert_eq!(words, ["OM", "RIEC", "KMar", "CoMensha", "B9"]);
        let (_, offset) = used(text)[2];
        assert_eq!(&text[offset..offset + 4], "KMar");
    }
}
