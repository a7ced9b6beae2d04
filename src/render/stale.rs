//! What a new edition still holds of the previous one without meaning to.
//!
//! An edition is started from the previous one (`korpsmonitor new`), so
//! anything not written again is the previous period's text, and nothing
//! in the data says so. `check` and `build` warn, at the value, on:
//! - dates that lie before the edition's period (the publication date, the
//!   letter's date), a letter dated before the edition, a deadline before
//!   the letter that announces it, and a parliamentary year that does not
//!   hold the letter's date;
//! - findings, points, recommendations and key figures of a unit, general
//!   recommendations and a kamerstuk number or kenmerk that are the same as
//!   in the previous edition;
//! - years of the previous edition's period in the free chapters and the
//!   letter's text that this edition's period does not cover (the previous
//!   edition's own year may be named: it is what the monitor compares
//!   with);
//! - a count of all dimensions or units, written as a word or numeral after
//!   a verb such as "woog" or "telt" in a sentence with a placeholder ("De
//!   monitor over {{ previous.year }} woog vijf dimensies"), that the data
//!   contradicts: the count of the edition the sentence speaks of (the
//!   previous one when it names `previous`).

use std::collections::BTreeSet;

use crate::base::diagnostics::Diagnostic;
use crate::base::locate::Pos;
use crate::data::load::{LoadedEdition, Located};
use crate::data::model::{Date, EditionFile};
use crate::render::repetition::sentences;
use crate::words::dutch;

/// Every stale date, copied text and contradicted count of `loaded`, as
/// warnings at the values.
pub fn check(loaded: &LoadedEdition) -> Vec<Diagnostic> {
    let mut out = Vec::new();
    dates(loaded, &mut out);
    if let Some(prev) = loaded.previous.as_deref() {
        copied_units(loaded, prev, &mut out);
        copied_recommendations(loaded, prev, &mut out);
        copied_letter(loaded, prev, &mut out);
        copied_chapters(loaded, prev, &mut out);
        old_years(loaded, prev, &mut out);
    }
    counts(loaded, &mut out);
    out
}

/// The years a period names ("1 januari 2011 tot en met 31 december
/// 2012": 2011 and 2012), every year between the first and the last.
pub fn period_years(period: &str) -> BTreeSet<i32> {
    let years: Vec<i32> = years_in(period).into_iter().map(|(y, _)| y).collect();
    match (years.iter().min(), years.iter().max()) {
        (Some(&a), Some(&b)) => (a..=b).collect(),
        _ => BTreeSet::new(),
    }
}

/// The four-digit years (1900 to 2199) written in `text`, each with its
/// byte offset; digits that are part of a longer number are none.
fn years_in(text: &str) -> Vec<(i32, usize)> {
    let bytes = text.as_bytes();
    let mut out = Vec::new();
    let mut i = 0;
    while i < bytes.len() {
        if !bytes[i].is_ascii_digit() {
            i += 1;
            continue;
        }
        let start = i;
        while i < bytes.len() && bytes[i].is_ascii_digit() {
            i += 1;
        }
        // "1.234" and "12,5" are numbers, not years.
        let joined = |k: usize| {
            k < bytes.len()
                && matches!(bytes[k], b'.' | b',')
                && bytes.get(k + 1).is_some_and(u8::is_ascii_digit)
        };
        let after_joined = start >= 2
            && matches!(bytes[start - 1], b'.' | b',')
            && bytes[start - 2].is_ascii_digit();
        if i - start == 4
            && !joined(i)
            && !after_joined
            && let Ok(y) = text[start..i].parse::<i32>()
            && (1900..2200).contains(&y)
        {
            out.push((y, start));
        }
    }
    out
}

/// The years of a text that speak of a period: [`years_in`] but for those
/// that end a full date ("1 januari 2013").
fn period_years_in(text: &str) -> Vec<(i32, usize)> {
    years_in(text)
        .into_iter()
        .filter(|(_, at)| !in_date(&text[..*at]))
        .collect()
}

/// Whether a year ends a full date: "1 januari 2013" names a day, a fact
/// that stays true, not the period a text describes.
fn in_date(before: &str) -> bool {
    let mut words = before.split_whitespace().rev();
    let month = words.next().unwrap_or_default().to_lowercase();
    let day = words.next().unwrap_or_default();
    dutch::MONTHS.contains(&month.as_str())
        && !day.is_empty()
        && day.chars().all(|c| c.is_ascii_digit())
}

/// The warning for a date of `file` that lies before the last year of the
/// period `period` names.
fn before_period<T>(
    file: &Located<T>,
    field: &str,
    date: Date,
    e: &EditionFile,
) -> Option<Diagnostic> {
    let last = *period_years(&e.period).last()?;
    (date.year < last).then(|| {
        file.warning_at(
            field,
            format!(
                "the date {} lies before {last}, the last year of the period ({}); a date of the previous edition?",
                dutch::date(date),
                e.period
            ),
        )
        .hint("give this edition's date")
    })
}

/// Dates before the period, a letter before the edition, a deadline
/// before the letter, a parliamentary year that does not hold the letter.
fn dates(loaded: &LoadedEdition, out: &mut Vec<Diagnostic>) {
    let edition = &loaded.edition;
    let e = &edition.value;
    if let Some(d) = e.date {
        out.extend(before_period(edition, "date", d, e));
    }
    let Some(letter) = &loaded.letter else { return };
    let l = &letter.value;
    out.extend(before_period(letter, "date", l.date, e));
    if let Some(d) = e.date
        && l.date < d
    {
        out.push(
            letter
                .warning_at(
                    "date",
                    format!(
                        "the letter is dated {}, before the edition's date {} in edition.yaml",
                        dutch::date(l.date),
                        dutch::date(d)
                    ),
                )
                .hint(
                    "the covering letter presents the finished monitor: date it after the edition",
                ),
        );
    }
    if let Some(m) = &l.manager_letters
        && m.deadline < l.date
    {
        out.push(
            letter
                .warning_at(
                    "manager_letters.deadline",
                    format!(
                        "the deadline {} lies before the letter's date {}",
                        dutch::date(m.deadline),
                        dutch::date(l.date)
                    ),
                )
                .hint("give a deadline after the letter, for the measures it asks for"),
        );
    }
    if let Some(k) = &l.kamerstuk {
        let years: Vec<i32> = years_in(&k.session).into_iter().map(|(y, _)| y).collect();
        if !years.is_empty() && !years.contains(&l.date.year) {
            out.push(
                letter
                    .warning_at(
                        "kamerstuk.session",
                        format!(
                            "the parliamentary year {} does not hold the letter's date {}",
                            k.session,
                            dutch::date(l.date)
                        ),
                    )
                    .hint("a parliamentary year runs from September to September, e.g. 2015–2016 for a letter of October 2015"),
            );
        }
    }
}

/// The hint of every copied text.
fn copied_hint(year: u16) -> String {
    format!("write this edition's text: a copy describes the period of the {year} edition")
}

/// Findings, points, recommendations and key figures of a unit that are
/// those of the same unit in the previous edition.
fn copied_units(loaded: &LoadedEdition, prev: &LoadedEdition, out: &mut Vec<Diagnostic>) {
    let year = prev.edition.value.year;
    for unit in &loaded.units {
        let u = &unit.value;
        let Some(before) = prev.units.iter().find(|p| p.value.id == u.id) else {
            continue;
        };
        let b = &before.value;
        let mut same_points = !u.dimensions.is_empty();
        for (id, d) in u.dimensions.iter() {
            let Some(p) = b.dimensions.get(id) else {
                same_points = false;
                continue;
            };
            same_points &= !d.points.is_empty() && d.points == p.points;
            if !d.findings.trim().is_empty() && d.findings == p.findings {
                out.push(
                    unit.warning_at(
                        &format!("dimensions.{id}.findings"),
                        format!("the findings are those of the {year} edition"),
                    )
                    .hint(copied_hint(year)),
                );
            }
        }
        if same_points {
            out.push(
                unit.warning_at(
                    "dimensions",
                    format!("every indicator has the points it had in the {year} edition"),
                )
                .hint("score this edition's assessment; points copied from the previous edition give its verdicts again"),
            );
        }
        if !u.recommendations.is_empty() && u.recommendations == b.recommendations {
            out.push(
                unit.warning_at(
                    "recommendations",
                    format!("the recommendations are those of the {year} edition"),
                )
                .hint(copied_hint(year)),
            );
        }
        if let (Some(k), Some(p)) = (u.key_figures, b.key_figures)
            && (k.suspects, k.case_files, k.victims) == (p.suspects, p.case_files, p.victims)
        {
            out.push(
                unit.warning_at(
                    "key_figures",
                    format!("the key figures are those of the {year} edition"),
                )
                .hint("give this period's figures"),
            );
        }
    }
}

/// General recommendations that stand in the previous edition too.
fn copied_recommendations(loaded: &LoadedEdition, prev: &LoadedEdition, out: &mut Vec<Diagnostic>) {
    let (Some(now), Some(before)) = (&loaded.recommendations, &prev.recommendations) else {
        return;
    };
    let year = prev.edition.value.year;
    let old: BTreeSet<&str> = before
        .value
        .themes
        .iter()
        .flat_map(|t| t.recommendations.iter().map(|r| r.text.trim()))
        .collect();
    for (i, t) in now.value.themes.iter().enumerate() {
        for (j, r) in t.recommendations.iter().enumerate() {
            if !r.text.trim().is_empty() && old.contains(r.text.trim()) {
                out.push(
                    now.warning_at(
                        &format!("themes[{i}].recommendations[{j}].text"),
                        format!("the recommendation stands in the {year} edition too"),
                    )
                    .hint(copied_hint(year)),
                );
            }
        }
    }
}

/// A kamerstuk number or kenmerk that the previous edition's letter has.
fn copied_letter(loaded: &LoadedEdition, prev: &LoadedEdition, out: &mut Vec<Diagnostic>) {
    let (Some(now), Some(before)) = (&loaded.letter, &prev.letter) else {
        return;
    };
    let (l, b) = (&now.value, &before.value);
    let year = prev.edition.value.year;
    if let (Some(k), Some(p)) = (&l.kamerstuk, &b.kamerstuk)
        && k.number == p.number
        && k.dossier == p.dossier
    {
        out.push(
            now.warning_at(
                "kamerstuk.number",
                format!(
                    "the kamerstuk number {} is that of the {year} edition's letter",
                    k.number
                ),
            )
            .hint("give the number the Kamer gives this letter"),
        );
    }
    // Footnotes stay out: a standard one ("Ter inzage gelegd ...") is the
    // same in every edition.
    let mut texts: Vec<(String, &String, &String)> = vec![("body".into(), &l.body, &b.body)];
    if let (Some(m), Some(p)) = (&l.manager_letters, &b.manager_letters) {
        texts.push(("manager_letters.body".into(), &m.body, &p.body));
        if let (Some(r), Some(q)) = (&m.reference, &p.reference) {
            if let (Some(a), Some(c)) = (&r.first, &q.first) {
                texts.push(("manager_letters.reference.first".into(), a, c));
            }
            if let (Some(a), Some(c)) = (&r.pattern, &q.pattern) {
                texts.push(("manager_letters.reference.pattern".into(), a, c));
            }
        }
    }
    for (field, now_text, before) in texts {
        if !now_text.trim().is_empty() && now_text == before {
            out.push(
                now.warning_at(
                    &field,
                    format!("the text is that of the {year} edition's letter"),
                )
                .hint(copied_hint(year)),
            );
        }
    }
    if let (Some(r), Some(p)) = (&l.reference, &b.reference)
        && r == p
    {
        out.push(
            now.warning_at(
                "reference",
                format!("the kenmerk {r} is that of the {year} edition's letter"),
            )
            .hint("give this letter's kenmerk"),
        );
    }
}

/// Free chapters whose text is that of the previous edition's chapter of
/// the same id.
fn copied_chapters(loaded: &LoadedEdition, prev: &LoadedEdition, out: &mut Vec<Diagnostic>) {
    let year = prev.edition.value.year;
    for chapter in &loaded.chapters {
        let before = prev.chapters.iter().find(|c| c.id == chapter.id);
        if before.is_some_and(|b| b.text == chapter.text) && !chapter.text.trim().is_empty() {
            out.push(
                Diagnostic::warning(
                    &chapter.path,
                    format!("the chapter's text is that of the {year} edition"),
                )
                .at(Some(Pos { line: 1, column: 1 }))
                .hint(copied_hint(year)),
            );
        }
    }
}

/// The place of byte `offset` of a block scalar's `text` (`body: |`) whose
/// first character is at `start`: its lines are the file's lines, each
/// indented as the first.
fn in_block(start: Pos, text: &str, offset: usize) -> Pos {
    let p = pos_of(text, offset);
    Pos {
        line: start.line + p.line - 1,
        column: start.column + p.column - 1,
    }
}

/// The line and column of byte `offset` in `text`.
fn pos_of(text: &str, offset: usize) -> Pos {
    let before = &text[..offset];
    let line = before.matches('\n').count() + 1;
    let column = before[before.rfind('\n').map_or(0, |i| i + 1)..]
        .chars()
        .count()
        + 1;
    Pos { line, column }
}

/// Years of the previous edition's period, other than its own year, in the
/// free chapters and the letter's body, where this edition's period does
/// not cover them.
fn old_years(loaded: &LoadedEdition, prev: &LoadedEdition, out: &mut Vec<Diagnostic>) {
    let now = period_years(&loaded.edition.value.period);
    let p = &prev.edition.value;
    let stale: BTreeSet<i32> = period_years(&p.period)
        .into_iter()
        .filter(|y| !now.contains(y) && *y != i32::from(p.year))
        .collect();
    if stale.is_empty() || now.is_empty() {
        return;
    }
    let message = |y: i32| {
        format!(
            "the text names {y}, a year of the previous edition's period ({}) that this edition's period ({}) does not cover",
            p.period, loaded.edition.value.period
        )
    };
    let hint = "a text copied from the previous edition? Name this period's years, or the previous edition by its year";
    for chapter in &loaded.chapters {
        for (y, offset) in period_years_in(&chapter.text) {
            if stale.contains(&y) {
                out.push(
                    Diagnostic::warning(&chapter.path, message(y))
                        .at(Some(pos_of(&chapter.text, offset)))
                        .hint(hint),
                );
            }
        }
    }
    if let Some(letter) = &loaded.letter {
        let body = &letter.value.body;
        for (y, offset) in period_years_in(body) {
            if stale.contains(&y) {
                out.push(
                    letter
                        .warning_at("body", message(y))
                        .at(letter
                            .locations
                            .value("body")
                            .map(|start| in_block(start, body, offset)))
                        .hint(hint),
                );
            }
        }
    }
}

/// What a count next to these words counts.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Counted {
    Dimensions,
    Units,
}

/// The verbs that make a count the whole of an edition's dimensions or
/// units ("woog vijf dimensies", "telt tien eenheden"); a count after
/// other words may be a part ("twee dimensies zijn samengevoegd").
const TOTAL_VERBS: &[&str] = &[
    "weegt",
    "woog",
    "wegen",
    "wogen",
    "telt",
    "telde",
    "tellen",
    "telden",
    "kent",
    "kende",
    "heeft",
    "had",
    "hebben",
    "hadden",
    "omvat",
    "omvatte",
    "beoordeelt",
    "beoordeelde",
    "uit",
];

/// The thing a word counts, for the words the documents use.
fn counted(word: &str) -> Option<Counted> {
    match word {
        "dimensie" | "dimensies" | "hoofdaandachtsveld" | "hoofdaandachtsvelden" => {
            Some(Counted::Dimensions)
        }
        "eenheid" | "eenheden" | "politie-eenheden" | "politie-eenheid" => Some(Counted::Units),
        _ => None,
    }
}

/// The byte offset in `text` of `first` followed, after white space, by
/// `second`.
fn find_pair(text: &str, first: &str, second: &str) -> Option<usize> {
    text.match_indices(first).map(|(i, _)| i).find(|&i| {
        let rest = &text[i + first.len()..];
        let after = rest.trim_start();
        after.len() < rest.len() && after.starts_with(second)
    })
}

/// Counts written beside a placeholder that the data contradicts, in the
/// free chapters and the letter's texts.
fn counts(loaded: &LoadedEdition, out: &mut Vec<Diagnostic>) {
    let of = |e: &LoadedEdition, c: Counted| match c {
        Counted::Dimensions => e.edition.value.dimensions.len(),
        Counted::Units => e.units.len(),
    };
    let check = |text: &str| -> Vec<(String, usize)> {
        let mut found = Vec::new();
        for sentence in sentences(text) {
            if !sentence.contains("{{") {
                continue;
            }
            let about = match (sentence.contains("previous."), loaded.previous.as_deref()) {
                (true, Some(p)) => p,
                (true, None) => continue,
                (false, _) => loaded,
            };
            let words: Vec<&str> = sentence
                .split(|c: char| c.is_whitespace() || ",;:()".contains(c))
                .map(|w| {
                    w.trim_matches(|c: char| ".!?\"'\u{2018}\u{2019}\u{201c}\u{201d}".contains(c))
                })
                .filter(|w| !w.is_empty())
                .collect();
            for triple in words.windows(3) {
                let pair = &triple[1..];
                if !TOTAL_VERBS.contains(&triple[0].to_lowercase().as_str()) {
                    continue;
                }
                let (Some(n), Some(c)) = (dutch::count_value(pair[0]), counted(pair[1])) else {
                    continue;
                };
                let actual = of(about, c);
                if n as usize != actual {
                    found.push((
                        format!(
                            "the text says \u{201c}{} {}\u{201d} beside a placeholder, but the {} edition has {actual}",
                            pair[0], pair[1], about.edition.value.year
                        ),
                        find_pair(text, pair[0], pair[1]).unwrap_or(0),
                    ));
                }
            }
        }
        found
    };
    let hint = "a placeholder changes with the edition, the words beside it do not: write the count as a placeholder (e.g. {{ dimension_names | length | word }}) or leave it out";
    for chapter in &loaded.chapters {
        for (message, offset) in check(&chapter.text) {
            out.push(
                Diagnostic::warning(&chapter.path, message)
                    .at(Some(pos_of(&chapter.text, offset)))
                    .hint(hint),
            );
        }
    }
    if let Some(letter) = &loaded.letter {
        let l = &letter.value;
        let mut fields = vec![("body".to_string(), &l.body)];
        if let Some(m) = &l.manager_letters {
            fields.push(("manager_letters.body".to_string(), &m.body));
        }
        for (field, text) in fields {
            for (message, _) in check(text) {
                out.push(letter.warning_at(&field, message).hint(hint));
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn years_are_four_digits_alone() {
        assert_eq!(
            years_in("in 2011 en 2012, niet 12.2011 of 2011,5 of 20111"),
            [(2011, 3), (2012, 11)]
        );
        assert_eq!(
            period_years("1 januari 2011 tot en met 31 december 2013"),
            [2011, 2012, 2013].into()
        );
        assert!(period_years("het hele jaar").is_empty());
    }

    #[test]
    fn a_year_in_a_full_date_is_a_fact_not_a_period() {
        let text = "Sinds 1 januari 2013 bestaat het korps; in 2013 en 2014 werkte het.";
        let years: Vec<i32> = period_years_in(text).into_iter().map(|(y, _)| y).collect();
        assert_eq!(years, [2013, 2014]);
        assert_eq!(
            period_years_in(text)[0].1,
            text.find("in 2013").unwrap() + 3
        );
        // A period is still read from its dates.
        assert_eq!(
            period_years("1 januari 2013 tot en met 31 december 2014"),
            [2013, 2014].into()
        );
    }

    #[test]
    fn a_place_in_a_block_scalar_is_its_line_in_the_file() {
        let start = Pos {
            line: 10,
            column: 3,
        };
        let body = "Eerste regel.\n\nIn 2011 gebeurde het.";
        let at = body.find("2011").unwrap();
        assert_eq!(
            in_block(start, body, at),
            Pos {
                line: 12,
                column: 6
            }
        );
    }

    #[test]
    fn positions_count_lines_and_characters() {
        let text = "één\nin 2011";
        let at = text.find("2011").unwrap();
        assert_eq!(pos_of(text, at), Pos { line: 2, column: 4 });
    }
}
