//! Findings written once and copied to every unit.
//!
//! A finding describes what the assessors saw in one unit. A sentence that
//! names its unit and recurs in the findings of several units (three or
//! more) with only the name changed ("Dit geldt voor Groningen in 2011 en
//! 2012.") was written once and filled in: it tells the reader nothing
//! about that unit and repeats on page after page. `check` and `build` warn on every such
//! sentence, once, at its first use.

use std::collections::BTreeMap;

use crate::base::diagnostics::Diagnostic;
use crate::data::load::LoadedEdition;

/// The fewest units whose findings share a sentence before it is reported.
pub const MIN_UNITS: usize = 3;

/// The sentences of `text`: split after `.`, `!` or `?` followed by white
/// space or the end, white space folded, empty ones left out.
pub fn sentences(text: &str) -> Vec<String> {
    let folded = text.split_whitespace().collect::<Vec<_>>().join(" ");
    let mut out = Vec::new();
    let mut start = 0;
    let chars: Vec<(usize, char)> = folded.char_indices().collect();
    for (k, (i, c)) in chars.iter().enumerate() {
        let end_of_sentence =
            matches!(c, '.' | '!' | '?') && chars.get(k + 1).is_none_or(|(_, next)| *next == ' ');
        if end_of_sentence {
            let end = i + c.len_utf8();
            let s = folded[start..end].trim();
            if !s.is_empty() {
                out.push(s.to_string());
            }
            start = end;
        }
    }
    let rest = folded[start..].trim();
    if !rest.is_empty() {
        out.push(rest.to_string());
    }
    out
}

/// Warns on each sentence naming its unit that the findings of at least
/// [`MIN_UNITS`] units share with only the name changed. Two units may
/// happen to be described alike; a sentence that names its unit and fits
/// three was filled in, not observed. (A sentence that names no unit may
/// be a plain common observation and is left alone.)
pub fn check(loaded: &LoadedEdition) -> Vec<Diagnostic> {
    let units = loaded.units.len();
    let threshold = MIN_UNITS;
    if units < threshold {
        return Vec::new();
    }
    // sentence (name masked) -> (units using it, first unit index, field)
    let mut seen: BTreeMap<String, (Vec<usize>, usize, String)> = BTreeMap::new();
    let mut order: Vec<String> = Vec::new();
    for (ui, u) in loaded.units.iter().enumerate() {
        let name = u.value.name.as_str();
        for (id, d) in u.value.dimensions.iter() {
            for s in sentences(&d.findings) {
                // Only a sentence that names its unit: one that is the same
                // everywhere may be a plain common observation (or a
                // synthetic edition's stock phrase), but one whose only
                // difference is the name was written once and filled in.
                if name.is_empty() || !s.contains(name) {
                    continue;
                }
                let key = s.replace(name, "…");
                let entry = seen.entry(key.clone()).or_insert_with(|| {
                    order.push(key.clone());
                    (Vec::new(), ui, format!("dimensions.{id}.findings"))
                });
                // Units come in order: a repeat within one unit is the last.
                if entry.0.last() != Some(&ui) {
                    entry.0.push(ui);
                }
            }
        }
    }
    order
        .iter()
        .filter_map(|key| {
            let (users, first, field) = &seen[key];
            (users.len() >= threshold).then(|| {
                let u = &loaded.units[*first];
                Diagnostic::warning(
                    &u.path,
                    format!(
                        "the sentence {key:?} recurs in the findings of {} of the {units} units",
                        users.len()
                    ),
                )
                .at(u.locations.value(field))
                .field(field.clone())
                .hint("write each unit's findings for that unit: what its points show, in its own words")
            })
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn text_splits_into_sentences() {
        assert_eq!(
            sentences("Eén. Twee,  drie!\nVier? Vijf (n.v.t.) zes"),
            ["Eén.", "Twee, drie!", "Vier?", "Vijf (n.v.t.) zes"]
        );
        assert_eq!(sentences("  "), Vec::<String>::new());
        assert_eq!(sentences("1.234 zaken."), ["1.234 zaken."]);
    }
}
