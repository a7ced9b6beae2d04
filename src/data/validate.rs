//! Validation: every check across the files of an edition, all problems
//! collected in one run, each pointing at its file, line, column and field.

use std::collections::{HashMap, HashSet};

use crate::base::diagnostics::Diagnostic;
use crate::data::load::{LoadedEdition, Located};
use crate::data::model::{
    Assessment, Dimension, EditionFile, Indicator, LetterFile, Manager, Points,
    RecommendationsFile, Thresholds, UnitDimension, UnitFile,
};

/// Checks a loaded edition (and its previous edition); returns every problem.
pub fn validate(edition: &LoadedEdition) -> Vec<Diagnostic> {
    let mut out = Vec::new();
    check_printable(&edition.edition, &mut out);
    for unit in &edition.units {
        check_printable(unit, &mut out);
    }
    if let Some(recs) = &edition.recommendations {
        check_printable(recs, &mut out);
    }
    if let Some(letter) = &edition.letter {
        check_printable(letter, &mut out);
    }
    check_edition_file(&edition.edition, &mut out);
    check_units(edition, &mut out);
    let e = &edition.edition.value;
    // Every unit file's name, parsed or not, looked up in a set.
    let files: HashSet<&str> = edition.unit_files.iter().map(String::as_str).collect();
    if edition.unit_files.is_empty() {
        out.push(Diagnostic::error(
            edition.dir.join("units"),
            "found no unit files, expected at least one units/<unit-id>.yaml",
        ));
    }
    check_new_units(edition, &files, &mut out);
    check_chapter_texts(edition, &mut out);
    if let Some(recs) = &edition.recommendations {
        check_recommendations(recs, e, &mut out);
    }
    if let Some(letter) = &edition.letter {
        check_letter_fields(letter, &mut out);
    }
    check_order(edition, &files, &mut out);
    check_previous(edition, &mut out);
    check_continues(edition, &mut out);
    out
}

/// Checks each unit's `continues`: the edition has a previous edition,
/// every id names a unit of it, none twice, and every unit of the
/// previous edition continues in at most one unit (a unit without
/// `continues` continues the unit of its own id).
fn check_continues(edition: &LoadedEdition, out: &mut Vec<Diagnostic>) {
    let Some(prev) = edition.previous.as_deref() else {
        // A `previous:` that could not be loaded is reported where it is.
        if edition.edition.value.previous.is_some() {
            return;
        }
        for unit in edition
            .units
            .iter()
            .filter(|u| !u.value.continues.is_empty())
        {
            out.push(
                unit.error_at_key(
                    "continues",
                    "the unit continues units of the previous edition, but edition.yaml names no `previous:`",
                )
                .hint("link the previous edition with `previous:` in edition.yaml, or leave `continues` out"),
            );
        }
        return;
    };
    let year = prev.edition.value.year;
    let known: HashSet<&str> = prev.units.iter().map(|u| u.value.id.as_str()).collect();
    // Which unit of this edition continues each unit of the previous one:
    // a unit without `continues` the unit of its own id; then each
    // `continues` entry, where a clash is reported.
    let mut claimed: HashMap<&str, &str> = edition
        .units
        .iter()
        .filter(|u| u.value.continues.is_empty() && known.contains(u.value.id.as_str()))
        .map(|u| (u.value.id.as_str(), u.value.id.as_str()))
        .collect();
    for unit in &edition.units {
        let u = &unit.value;
        let mut seen = HashSet::new();
        for (i, id) in u.continues.iter().enumerate() {
            let field = format!("continues[{i}]");
            if !known.contains(id.as_str()) {
                let mut ids: Vec<&str> = known.iter().copied().collect();
                ids.sort_unstable();
                out.push(
                    unit.error_at(&field, format!("unknown unit `{id}` of the {year} edition"))
                        .hint(format!("expected one of: {}", ids.join(", "))),
                );
            } else if !seen.insert(id.as_str()) {
                out.push(unit.error_at(&field, format!("`{id}` is named twice")));
            } else if let Some(other) = claimed.insert(id.as_str(), u.id.as_str()) {
                let by = if other == id {
                    format!("`{other}` of this edition, the unit of its own id,")
                } else {
                    format!("`{other}`")
                };
                out.push(
                    unit.error_at(
                        &field,
                        format!("`{id}` of the {year} edition is continued by {by} too"),
                    )
                    .hint("a unit of the previous edition continues in one unit: name it in one `continues` list (a unit without `continues` continues the unit of its own id)"),
                );
            }
        }
    }
}
/// Each unit file's own checks, and ids unique also when letter case is
/// ignored.
fn check_units(edition: &LoadedEdition, out: &mut Vec<Diagnostic>) {
    let e = &edition.edition.value;
    let mut ids = HashSet::new();
    // File names equal but for letter case name one file on Windows and
    // macOS: the second unit's letter would overwrite the first's.
    let mut folded: std::collections::HashMap<String, &std::path::Path> =
        std::collections::HashMap::new();
    let known = Known::of(e);
    for unit in &edition.units {
        check_unit(unit, e, &known, out);
        if !ids.insert(unit.value.id.as_str()) {
            out.push(unit.error_at("id", format!("duplicate unit id `{}`", unit.value.id)));
        }
        let stem = unit.path.file_stem().and_then(|s| s.to_str()).unwrap_or("");
        match folded.get(&stem.to_lowercase()) {
            Some(first) if unit.path.as_path() != *first => out.push(
                unit.error_at(
                    "id",
                    format!(
                        "the file name equals {} but for letter case; both would be one file on Windows and macOS",
                        first.display()
                    ),
                )
                .hint("give each unit a distinct id in lowercase, and its file the same name"),
            ),
            _ => {
                folded.insert(stem.to_lowercase(), unit.path.as_path());
            }
        }
    }
}

/// The new units' ids, and the former units they hold: known, each in one.
fn check_new_units(edition: &LoadedEdition, files: &HashSet<&str>, out: &mut Vec<Diagnostic>) {
    let e = &edition.edition.value;
    let mut placed = HashSet::new();
    for (i, n) in e.new_units.iter().enumerate() {
        check_id(&edition.edition, &format!("new_units[{i}].id"), &n.id, out);
        for (j, id) in n.former.iter().enumerate() {
            let field = format!("new_units[{i}].former[{j}]");
            if !files.contains(id.as_str()) {
                out.push(
                    edition
                        .edition
                        .error_at(&field, format!("unknown unit id `{id}`")),
                );
            } else if !placed.insert(id.as_str()) {
                out.push(
                    edition
                        .edition
                        .error_at(&field, format!("unit `{id}` is placed in two new units")),
                );
            }
        }
    }
}

/// The free chapters' texts: printable, and broken into words.
fn check_chapter_texts(edition: &LoadedEdition, out: &mut Vec<Diagnostic>) {
    for chapter in &edition.chapters {
        if let Some((i, c)) = chapter
            .text
            .char_indices()
            .find(|(_, c)| crate::base::locate::is_unprintable(*c))
        {
            let before = &chapter.text[..i];
            let line = before.matches('\n').count() + 1;
            let column = before[before.rfind('\n').map_or(0, |n| n + 1)..]
                .chars()
                .count()
                + 1;
            out.push(
                Diagnostic::error(
                    &chapter.path,
                    format!(
                        "found the unprintable character U+{:04X} (a control character or noncharacter) in a text, expected printable characters only",
                        u32::from(c)
                    ),
                )
                .at(Some(crate::base::locate::Pos { line, column }))
                .hint("remove it; it often comes along when text is copied from another program"),
            );
        }
        if let Some(problem) = word_problem(&chapter.text) {
            // At the start of the word.
            let (at, _) = longest_word(&chapter.text);
            out.push(
                Diagnostic::error(&chapter.path, problem)
                    .at(Some(crate::data::load::pos_of_offset(&chapter.text, at)))
                    .hint(
                        "break the text with spaces; a PDF holds at most 32,767 characters in one piece",
                    ),
            );
        }
    }
}

/// The report order `units:`: each unit once, every unit listed.
fn check_order(edition: &LoadedEdition, files: &HashSet<&str>, out: &mut Vec<Diagnostic>) {
    let e = &edition.edition.value;
    if let Some(order) = &e.units {
        let mut seen = HashSet::new();
        for (i, id) in order.iter().enumerate() {
            let field = format!("units[{i}]");
            if !seen.insert(id.as_str()) {
                out.push(
                    edition
                        .edition
                        .error_at(&field, format!("duplicate unit id `{id}`")),
                );
            } else if !files.contains(id.as_str()) {
                out.push(
                    edition
                        .edition
                        .error_at(&field, format!("unknown unit id `{id}`"))
                        .hint(format!("no file units/{id}.yaml in this edition")),
                );
            }
        }
        for unit in &edition.units {
            if !seen.contains(unit.value.id.as_str()) && unit_file_matches(unit) {
                out.push(
                    edition
                        .edition
                        .error_at_key(
                            "units",
                            format!("unit `{}` has a file but is not listed", unit.value.id),
                        )
                        .hint("list every unit once, in report order"),
                );
            }
        }
    }
}

/// The previous edition: earlier, its mapped dimensions known, and valid
/// itself.
fn check_previous(edition: &LoadedEdition, out: &mut Vec<Diagnostic>) {
    let e = &edition.edition.value;
    if let Some(prev) = &edition.previous {
        // `previous: .` or a path back to this edition (or a later one)
        // would compare the edition with itself and call it a trend.
        if prev.edition.value.year >= e.year {
            out.push(
                edition
                    .edition
                    .error_at(
                        "previous",
                        format!(
                            "the previous edition {} is of {}, expected an edition of a year before {}",
                            prev.dir.display(),
                            prev.edition.value.year,
                            e.year
                        ),
                    )
                    .hint("name the folder of the edition before this one, e.g. `../2008`"),
            );
        }
        let prev_dims = &prev.edition.value.dimensions;
        for (from, to) in e.previous_dimensions.iter() {
            let field = format!("previous_dimensions.{from}");
            if !prev_dims.iter().any(|d| d.id == from) {
                out.push(edition.edition.error_at_key(
                    &field,
                    format!("unknown dimension `{from}` in the previous edition"),
                ));
            }
            if !e.dimensions.iter().any(|d| d.id == *to) {
                out.push(
                    edition
                        .edition
                        .error_at(&field, format!("unknown dimension `{to}` in this edition")),
                );
            }
        }
        out.extend(validate(prev));
    }
}

/// The most dimensions an edition may have.
pub const MAX_DIMENSIONS: usize = 8;
/// The most points one indicator may be worth.
pub const MAX_INDICATOR_POINTS: u32 = 100;
/// The most points possible in one dimension (the sum of its indicators'
/// maxima).
pub const MAX_DIMENSION_POINTS: u64 = 1_000;
/// The largest weight of a dimension, in hundredths (100).
pub const MAX_WEIGHT_HUNDREDTHS: i64 = 10_000;
/// The most characters of one name, title or label: these end up whole in
/// one PDF string (bookmarks, metadata, alternative texts), and PDF
/// strings hold at most 32,767 characters.
pub const MAX_LABEL_CHARS: usize = 500;
/// The most chain partners of an edition: the chart of their ratings is
/// one figure on one page (760 px of chart).
pub const MAX_PARTNERS: usize = 15;
/// The most characters of a chain partner's name: with [`MAX_PARTNERS`]
/// of them, the chart of their ratings still fits one page.
pub const MAX_PARTNER_NAME_CHARS: usize = 120;
/// The most characters of the keywords together (joined with `, `): the
/// PDF's metadata holds them as one string, written in UTF-16 (two bytes
/// a character), and PDF/A allows 32,767 bytes; a generous bound well
/// inside it.
pub const MAX_KEYWORDS_CHARS: usize = 4_000;
/// The most characters of one word (a run without spaces) in any text:
/// a word is set as one PDF string, which holds at most 32,767 characters.
pub const MAX_WORD_CHARS: usize = 1_000;

// Why the limits on points and weights keep the exact scores within 128
// bits: a dimension score is 100·a/p with p ≤ 1,000 (denominator ≤ 1,000
// once reduced); times a weight of h/100 its denominator is ≤ 10^5 and the
// sum over at most 8 dimensions has a denominator ≤ 100·1,000^8 = 10^26.
// The weighted sum is at most 100·Σw ≤ 100·800 = 8·10^4, so numerators
// stay ≤ 8·10^30; dividing by Σw (denominator 100) and rounding multiply
// by at most 2,000: far below i128's 1.7·10^38.

/// Whether `c` cannot be seen: white space, a control character, or an
/// invisible (format) character such as a zero-width space or a
/// direction mark.
pub fn is_invisible(c: char) -> bool {
    c.is_whitespace()
        || c.is_control()
        || matches!(
            c,
            '\u{00ad}'
                | '\u{034f}'
                | '\u{061c}'
                | '\u{115f}'
                | '\u{1160}'
                | '\u{17b4}'
                | '\u{17b5}'
                | '\u{180b}'..='\u{180f}'
                | '\u{200b}'..='\u{200f}'
                | '\u{202a}'..='\u{202e}'
                | '\u{2060}'..='\u{206f}'
                | '\u{2800}'
                | '\u{3164}'
                | '\u{fe00}'..='\u{fe0f}'
                | '\u{feff}'
                | '\u{ffa0}'
                | '\u{fff9}'..='\u{fffb}'
                | '\u{1bca0}'..='\u{1bca3}'
                | '\u{1d173}'..='\u{1d17a}'
                | '\u{e0000}'..='\u{e0fff}'
        )
}

/// Whether `text` holds nothing visible: white space, zero-width and other
/// invisible (format) characters alone are blank.
pub fn is_blank(text: &str) -> bool {
    text.chars().all(is_invisible)
}

/// `text` for a message: every invisible character but the plain space
/// written as its code point (`alfa<U+200B>`), so that a message about an
/// id or a file name shows what differs.
pub fn shown(text: &str) -> String {
    text.chars()
        .map(|c| {
            if c != ' ' && is_invisible(c) {
                format!("<U+{:04X}>", c as u32)
            } else {
                c.to_string()
            }
        })
        .collect()
}

/// The characters of a blank `text` other than plain spaces and line ends,
/// named by code point (` (U+00A0, U+200B)`), since an editor cannot see
/// them in the file; empty when there are none.
fn unseen(text: &str) -> String {
    let mut seen: Vec<char> = Vec::new();
    for c in text.chars() {
        if !matches!(c, ' ' | '\n' | '\r') && !seen.contains(&c) {
            seen.push(c);
        }
    }
    if seen.is_empty() {
        return String::new();
    }
    let shown: Vec<String> = seen
        .iter()
        .take(4)
        .map(|c| format!("U+{:04X}", *c as u32))
        .collect();
    let more = if seen.len() > 4 { ", …" } else { "" };
    format!(" ({}{more})", shown.join(", "))
}

/// The problem of a name, title or label `text`, if any: blank, or too
/// long for one PDF string.
fn label_problem(text: &str) -> Option<String> {
    if is_blank(text) {
        return Some(format!(
            "found {}, expected visible text",
            if text.is_empty() {
                "an empty text".to_string()
            } else {
                format!("only spaces or invisible characters{}", unseen(text))
            }
        ));
    }
    let n = text.chars().count();
    (n > MAX_LABEL_CHARS).then(|| {
        format!("found {n} characters, expected at most {MAX_LABEL_CHARS} for a name or title")
    })
}

/// The problem of any text `text`: a word longer than one PDF string can
/// carry.
fn word_problem(text: &str) -> Option<String> {
    let (_, longest) = longest_word(text);
    (longest > MAX_WORD_CHARS).then(|| {
        format!(
            "found a word of {longest} characters without a space, expected at most {MAX_WORD_CHARS}"
        )
    })
}

/// The byte offset and length in characters of the first longest word of
/// `text` (a run without white space); `(0, 0)` for a text without one.
fn longest_word(text: &str) -> (usize, usize) {
    let mut best = (0, 0);
    let mut offset = 0;
    for word in text.split(char::is_whitespace) {
        let chars = word.chars().count();
        if chars > best.1 {
            best = (offset, chars);
        }
        // The separator is one white-space character.
        offset += word.len()
            + text[offset + word.len()..]
                .chars()
                .next()
                .map_or(0, char::len_utf8);
    }
    best
}

/// Checks a name, title or label at `field`.
pub fn check_label(file: &Located<impl Sized>, field: &str, text: &str, out: &mut Vec<Diagnostic>) {
    if let Some(problem) = label_problem(text) {
        out.push(file.error_at(field, problem));
    }
}

/// Checks a text that must hold something visible (a justification, a
/// recommendation, a letter's body) at `field`.
pub fn check_visible(
    file: &Located<impl Sized>,
    field: &str,
    text: &str,
    out: &mut Vec<Diagnostic>,
) {
    if is_blank(text) {
        out.push(file.error_at(
            field,
            format!(
                "found no visible text{}, expected a text (spaces and invisible characters alone are blank)",
                unseen(text)
            ),
        ));
    } else {
        check_words(file, field, text, out);
    }
}

/// Checks that no word of the text at `field` is too long for one PDF string.
pub fn check_words(file: &Located<impl Sized>, field: &str, text: &str, out: &mut Vec<Diagnostic>) {
    if let Some(problem) = word_problem(text) {
        out.push(file.error_at(field, problem).hint(
            "break the text with spaces; a PDF holds at most 32,767 characters in one piece",
        ));
    }
}

/// Refuses `{{`, `{%` and `{#` in a field that is not a letter template
/// (an addressee, a salutation): there they would print as written.
pub fn check_no_placeholder(
    file: &Located<impl Sized>,
    field: &str,
    text: &str,
    out: &mut Vec<Diagnostic>,
) {
    if ["{{", "{%", "{#"].iter().any(|m| text.contains(m)) {
        out.push(
            file.error_at(
                field,
                "found a placeholder in a field that is not a template; it would print as written",
            )
            .hint("write the text itself: placeholders are filled only in the body, the subject and the footnotes of letter.yaml"),
        );
    }
}

fn unit_file_matches(unit: &Located<UnitFile>) -> bool {
    unit.path.file_stem().and_then(|s| s.to_str()) == Some(unit.value.id.as_str())
}

/// Whether `name` (before any extension) is a reserved device name on
/// Windows (`con`, `prn`, `aux`, `nul`, `com0`-`com9`, `lpt0`-`lpt9`, in any
/// case; Microsoft, "Naming Files, Paths, and Namespaces"): such a file
/// cannot be created there.
pub fn is_device_name(name: &str) -> bool {
    let base = name
        .split('.')
        .next()
        .unwrap_or("")
        .trim_end()
        .to_ascii_lowercase();
    matches!(base.as_str(), "con" | "prn" | "aux" | "nul")
        || (base.len() == 4
            && (base.starts_with("com") || base.starts_with("lpt"))
            && base.as_bytes()[3].is_ascii_digit())
}

/// Whether `id` is a usable id: lowercase ASCII letters, digits and hyphens.
pub fn valid_id(id: &str) -> bool {
    !id.is_empty()
        && id.len() <= 64
        && id.starts_with(|c: char| c.is_ascii_lowercase() || c.is_ascii_digit())
        && id
            .chars()
            .all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == '-' || c == '_')
}

/// Refuses the first text of `file` holding a character no document can
/// carry (`locate::is_unprintable`): it would break the charts' SVG and the
/// PDF's XMP metadata, or print as nothing.
fn check_printable<T>(file: &Located<T>, out: &mut Vec<Diagnostic>) {
    if let Some((field, pos, c)) = file.locations.unprintable() {
        out.push(
            Diagnostic::error(
                &file.path,
                format!(
                    "found the unprintable character U+{:04X} (a control character or noncharacter) in a text, expected printable characters only",
                    u32::from(c)
                ),
            )
            .at(Some(pos))
            .field(field)
            .hint("remove it; in double quotes, escapes such as `\\e` or `\\x01` write characters no document can show"),
        );
    }
    if let Some((field, pos, c)) = file.locations.unbalanced_direction() {
        out.push(
            Diagnostic::error(
                &file.path,
                format!(
                    "found a direction control (U+{:04X}) out of balance in a text; it would reverse the text printed after it",
                    u32::from(c)
                ),
            )
            .at(Some(pos))
            .field(field)
            .hint("close each of U+202A, U+202B, U+202D, U+202E with U+202C and each of U+2066 to U+2068 with U+2069 within the same text, or remove them: the documents set Arabic and Hebrew right to left by themselves"),
        );
    }
}

fn check_id(file: &Located<impl Sized>, field: &str, id: &str, out: &mut Vec<Diagnostic>) {
    if !valid_id(id) {
        out.push(file.error_at(
            field,
            format!(
                "found id `{}`, expected lowercase letters a-z, digits, `-` and `_`, starting with a letter or digit (at most 64)",
                shown(id)
            ),
        ));
    }
}

/// Reports duplicates among `ids` (field paths built by `field`).
fn check_unique<'a>(
    file: &Located<impl Sized>,
    what: &str,
    ids: impl Iterator<Item = &'a str>,
    field: impl Fn(usize) -> String,
    out: &mut Vec<Diagnostic>,
) {
    let mut seen = HashSet::new();
    for (i, id) in ids.enumerate() {
        check_id(file, &field(i), id, out);
        if !seen.insert(id) {
            out.push(file.error_at(&field(i), format!("duplicate {what} id `{id}`")));
        }
    }
}

fn check_thresholds(
    file: &Located<EditionFile>,
    field: &str,
    t: &Thresholds,
    out: &mut Vec<Diagnostic>,
) {
    for (name, v) in [("conform_norm", t.conform_norm), ("aandacht", t.aandacht)] {
        if !(0..=10_000).contains(&v.hundredths()) {
            out.push(file.error_at(
                &format!("{field}.{name}"),
                format!("found {v}, expected a percentage from 0 to 100"),
            ));
        }
    }
    if t.conform_norm < t.aandacht {
        out.push(
            file.error_at(
                &format!("{field}.conform_norm"),
                format!(
                    "thresholds out of order: conform_norm {} is below aandacht {}",
                    t.conform_norm, t.aandacht
                ),
            )
            .hint("conform_norm must be at least aandacht"),
        );
    }
}

/// One dimension of `edition.yaml`, the `i`th: its labels, weight,
/// thresholds (required when `points`) and indicators.
fn check_dimension(
    file: &Located<EditionFile>,
    i: usize,
    d: &Dimension,
    points: bool,
    out: &mut Vec<Diagnostic>,
) {
    check_label(file, &format!("dimensions[{i}].name"), &d.name, out);
    check_label(
        file,
        &format!("dimensions[{i}].short_name"),
        &d.short_name,
        out,
    );
    check_words(
        file,
        &format!("dimensions[{i}].description"),
        &d.description,
        out,
    );
    if d.weight.hundredths() <= 0 {
        out.push(file.error_at(
            &format!("dimensions[{i}].weight"),
            format!("found weight {}, expected a weight above zero", d.weight),
        ));
    } else if d.weight.hundredths() > MAX_WEIGHT_HUNDREDTHS {
        out.push(file.error_at(
            &format!("dimensions[{i}].weight"),
            format!(
                "found weight {}, expected a weight of at most 100",
                d.weight
            ),
        ));
    }
    let possible: u64 = d.indicators.iter().map(|x| u64::from(x.max_points)).sum();
    if possible > MAX_DIMENSION_POINTS
        && d.indicators
            .iter()
            .all(|x| x.max_points <= MAX_INDICATOR_POINTS)
    {
        out.push(file.error_at_key(
            &format!("dimensions[{i}].indicators"),
            format!(
                "the indicators of dimension `{}` add up to {possible} points, expected at most {MAX_DIMENSION_POINTS}",
                d.id
            ),
        ));
    }
    match (&d.thresholds, points) {
        (Some(t), _) => check_thresholds(file, &format!("dimensions[{i}].thresholds"), t, out),
        (None, true) => out.push(file.error_at_key(
            &format!("dimensions[{i}]"),
            format!("dimension `{}` has no thresholds, expected `thresholds` with conform_norm and aandacht", d.id),
        )),
        (None, false) => {}
    }
    if points && d.indicators.is_empty() {
        out.push(file.error_at_key(
            &format!("dimensions[{i}]"),
            format!(
                "dimension `{}` has no indicators, expected at least one",
                d.id
            ),
        ));
    }
    check_unique(
        file,
        "indicator",
        d.indicators.iter().map(|x| x.id.as_str()),
        |j| format!("dimensions[{i}].indicators[{j}].id"),
        out,
    );
    for (j, ind) in d.indicators.iter().enumerate() {
        check_label(
            file,
            &format!("dimensions[{i}].indicators[{j}].question"),
            &ind.question,
            out,
        );
        if ind.max_points == 0 {
            out.push(file.error_at(
                &format!("dimensions[{i}].indicators[{j}].max_points"),
                "found 0, expected a maximum of at least 1 point",
            ));
        } else if ind.max_points > MAX_INDICATOR_POINTS {
            out.push(file.error_at(
                &format!("dimensions[{i}].indicators[{j}].max_points"),
                format!(
                    "found {}, expected a maximum of at most {MAX_INDICATOR_POINTS} points",
                    ind.max_points
                ),
            ));
        }
    }
}

/// Checks the texts of `edition.yaml` that the documents print as they
/// are: titles and names are labels, notices and recommendations visible
/// text.
fn check_edition_texts(file: &Located<EditionFile>, out: &mut Vec<Diagnostic>) {
    let e = &file.value;
    for (field, text) in [
        ("title", &e.title),
        ("period", &e.period),
        ("publisher", &e.publisher),
    ] {
        check_label(file, field, text, out);
    }
    if let Some(notice) = &e.illustrative_notice {
        check_visible(file, "illustrative_notice", notice, out);
    }
    for (i, k) in e.keywords.iter().enumerate() {
        check_label(file, &format!("keywords[{i}]"), k, out);
    }
    if let Some(l) = &e.open_data_licence {
        check_label(file, "open_data_licence.name", &l.name, out);
        let host = l.url.strip_prefix("https://").unwrap_or("");
        if host.is_empty() || host.contains(char::is_whitespace) || host.starts_with('/') {
            out.push(
                file.error_at(
                    "open_data_licence.url",
                    format!(
                        "found \"{}\", expected the https:// address of the licence's text",
                        crate::data::validate::shown(&l.url)
                    ),
                )
                .hint("e.g. https://creativecommons.org/licenses/by/4.0/deed.nl"),
            );
        }
    }
    let keywords: usize = e.keywords.iter().map(|k| k.chars().count() + 2).sum();
    if keywords > MAX_KEYWORDS_CHARS + 2 {
        out.push(
            file.error_at(
                "keywords",
                format!(
                    "found keywords of {} characters together, expected at most {MAX_KEYWORDS_CHARS}",
                    keywords - 2
                ),
            )
            .hint("the PDF's metadata holds the keywords as one string; keep a few that a search would use"),
        );
    }
    if e.partners.len() > MAX_PARTNERS {
        out.push(
            file.error_at(
                &format!("partners[{MAX_PARTNERS}]"),
                format!(
                    "found {} chain partners, expected at most {MAX_PARTNERS}",
                    e.partners.len()
                ),
            )
            .hint("the chart of their ratings must fit one page; name the main partners and mention the others in a free chapter"),
        );
    }
    for (i, p) in e.partners.iter().enumerate() {
        let n = p.name.chars().count();
        if n > MAX_PARTNER_NAME_CHARS {
            out.push(
                file.error_at(
                    &format!("partners[{i}].name"),
                    format!(
                        "found a chain partner's name of {n} characters, expected at most {MAX_PARTNER_NAME_CHARS}"
                    ),
                )
                .hint("give the short name a reader knows; an abbreviation goes in `abbreviation`"),
            );
        }
    }
    for (i, g) in e.groups.iter().enumerate() {
        check_label(file, &format!("groups[{i}].name"), &g.name, out);
    }
    for (i, n) in e.new_units.iter().enumerate() {
        check_label(file, &format!("new_units[{i}].name"), &n.name, out);
        for (j, r) in n.recommendations.iter().enumerate() {
            check_visible(
                file,
                &format!("new_units[{i}].recommendations[{j}]"),
                r,
                out,
            );
        }
    }
    for (i, p) in e.partners.iter().enumerate() {
        check_label(file, &format!("partners[{i}].name"), &p.name, out);
        if let Some(a) = &p.abbreviation {
            check_label(file, &format!("partners[{i}].abbreviation"), a, out);
        }
    }
    for (i, a) in e.addressees.iter().enumerate() {
        check_label(file, &format!("addressees[{i}].name"), &a.name, out);
    }
    for (i, c) in e.chapters.iter().enumerate() {
        check_label(file, &format!("chapters[{i}].title"), &c.title, out);
    }
    for (i, a) in e.abbreviations.iter().enumerate() {
        check_label(file, &format!("abbreviations[{i}].short"), &a.short, out);
        check_label(file, &format!("abbreviations[{i}].long"), &a.long, out);
    }
}

fn check_edition_file(file: &Located<EditionFile>, out: &mut Vec<Diagnostic>) {
    let e = &file.value;
    let points = e.assessment == Assessment::Points;
    if e.dimensions.is_empty() {
        out.push(file.error_at_key("dimensions", "found no dimensions, expected at least one"));
    }
    check_unique(
        file,
        "dimension",
        e.dimensions.iter().map(|d| d.id.as_str()),
        |i| format!("dimensions[{i}].id"),
        out,
    );
    if e.dimensions.len() > MAX_DIMENSIONS {
        out.push(file.error_at_key(
            "dimensions",
            format!(
                "found {} dimensions, expected at most {MAX_DIMENSIONS}",
                e.dimensions.len()
            ),
        ));
    }
    if !(1..=9999).contains(&e.year) {
        out.push(file.error_at(
            "year",
            format!("found {}, expected a year from 1 to 9999", e.year),
        ));
    }
    check_edition_texts(file, out);
    for (i, d) in e.dimensions.iter().enumerate() {
        check_dimension(file, i, d, points, out);
    }
    match (&e.overall_thresholds, points) {
        (Some(t), _) => check_thresholds(file, "overall_thresholds", t, out),
        (None, true) => out.push(required(
            file,
            "overall_thresholds",
            "the thresholds for the overall verdict",
        )),
        (None, false) => {}
    }
    if e.groups.is_empty() {
        out.push(file.error_at_key("groups", "found no groups, expected at least one"));
    }
    check_unique(
        file,
        "group",
        e.groups.iter().map(|g| g.id.as_str()),
        |i| format!("groups[{i}].id"),
        out,
    );
    check_unique(
        file,
        "partner or addressee",
        e.partners
            .iter()
            .map(|p| p.id.as_str())
            .chain(e.addressees.iter().map(|a| a.id.as_str())),
        |i| {
            if i < e.partners.len() {
                format!("partners[{i}].id")
            } else {
                format!("addressees[{}].id", i - e.partners.len())
            }
        },
        out,
    );
    check_unique(
        file,
        "chapter",
        e.chapters.iter().map(|c| c.id.as_str()),
        |i| format!("chapters[{i}].id"),
        out,
    );
    if e.illustrative_notice.is_some() && !e.illustrative {
        out.push(file.error_at_key(
            "illustrative_notice",
            "an illustrative_notice is set but `illustrative` is false",
        ));
    }
}

/// The ids `edition.yaml` defines, in sets built once, so that checking
/// each unit's references costs no search of the edition's lists.
struct Known<'a> {
    groups: HashSet<&'a str>,
    dimensions: HashMap<&'a str, &'a Dimension>,
    /// Each indicator by dimension and indicator id.
    indicators: HashMap<(&'a str, &'a str), &'a Indicator>,
    partners: HashSet<&'a str>,
}

impl<'a> Known<'a> {
    fn of(e: &'a EditionFile) -> Known<'a> {
        Known {
            groups: e.groups.iter().map(|g| g.id.as_str()).collect(),
            // Reversed, so that of two equal ids the first counts, as a
            // search of the list would find it (`check` reports the second).
            dimensions: e
                .dimensions
                .iter()
                .rev()
                .map(|d| (d.id.as_str(), d))
                .collect(),
            indicators: e
                .dimensions
                .iter()
                .rev()
                .flat_map(|d| {
                    d.indicators
                        .iter()
                        .rev()
                        .map(move |i| ((d.id.as_str(), i.id.as_str()), i))
                })
                .collect(),
            partners: e.partners.iter().map(|p| p.id.as_str()).collect(),
        }
    }
}

/// The problem of a required field of the top level that `file` leaves
/// out (placed at the file's first key) or leaves empty (`field:`, `null`,
/// `~`; placed at the value), expecting `expected`.
fn required<T>(file: &Located<T>, field: &str, expected: &str) -> Diagnostic {
    if file.locations.key(field).is_some() {
        file.error_at(field, format!("found an empty value, expected {expected}"))
    } else {
        file.error_at_key(
            field,
            format!("missing field `{field}`, expected {expected}"),
        )
        .hint(format!("add `{field}:` at the top level of the file"))
    }
}

/// One dimension of a unit file, under `key`: known, with known
/// indicators within their maxima (all of them given when `points`), and
/// a justified manual verdict.
fn check_unit_dimension(
    unit: &Located<UnitFile>,
    key: &str,
    dim: &UnitDimension,
    e: &EditionFile,
    known: &Known,
    points: bool,
    out: &mut Vec<Diagnostic>,
) {
    let base = format!("dimensions.{key}");
    let Some(def) = known.dimensions.get(key).copied() else {
        let known: Vec<&str> = e.dimensions.iter().map(|d| d.id.as_str()).collect();
        out.push(
            unit.error_at_key(&base, format!("unknown dimension `{key}`"))
                .hint(format!("expected one of: {}", known.join(", "))),
        );
        return;
    };
    check_words(unit, &format!("{base}.findings"), &dim.findings, out);
    if let Some(m) = &dim.manual_verdict {
        if is_blank(&m.justification) {
            out.push(
                unit.error_at_key(
                    &format!("{base}.manual_verdict"),
                    "a manual verdict needs a justification",
                )
                .hint("add `justification:` explaining why the computed verdict is overridden"),
            );
        } else {
            check_words(
                unit,
                &format!("{base}.manual_verdict.justification"),
                &m.justification,
                out,
            );
        }
    }
    if points && dim.verdict.is_some() {
        out.push(
            unit.error_at_key(
                &format!("{base}.verdict"),
                "a published `verdict` is only allowed in a published_verdicts edition",
            )
            .hint("to override the computed verdict, use `manual_verdict` with a justification"),
        );
    }
    for (ind_id, p) in dim.points.iter() {
        let field = format!("{base}.points.{ind_id}");
        match known.indicators.get(&(key, ind_id)).copied() {
            None => {
                let known: Vec<&str> = def.indicators.iter().map(|i| i.id.as_str()).collect();
                out.push(
                    unit.error_at_key(
                        &field,
                        format!("unknown indicator `{ind_id}` in dimension `{key}`"),
                    )
                    .hint(format!("expected one of: {}", known.join(", "))),
                );
            }
            Some(ind) => {
                if let Points::Awarded(p) = p
                    && *p > ind.max_points
                {
                    out.push(unit.error_at(
                        &field,
                        format!(
                            "found {p} points, expected at most {} (the indicator's maximum)",
                            ind.max_points
                        ),
                    ));
                }
            }
        }
    }
    if points && dim.points.is_empty() && unit.locations.key(&format!("{base}.points")).is_none() {
        // No `points` at all: one problem, at the dimension.
        let ids: Vec<String> = def
            .indicators
            .iter()
            .map(|i| format!("`{}`", i.id))
            .collect();
        out.push(
            unit.error_at_key(
                &format!("{base}.points"),
                format!(
                    "missing field `points`, expected the points of each indicator of dimension `{key}` ({})",
                    ids.join(", ")
                ),
            )
            .hint("add `points:` with the points of each indicator, or `nvt` when it does not apply"),
        );
    } else if points {
        for ind in &def.indicators {
            if dim.points.get(&ind.id).is_none() {
                out.push(
                    unit.error_at_key(
                        &format!("{base}.points"),
                        format!("missing indicator `{}` in dimension `{key}`", ind.id),
                    )
                    .hint("give its points, or `nvt` when it does not apply"),
                );
            }
        }
    }
}

/// Checks the texts of a unit's manager (name, title, salutation,
/// address): each a label without placeholders.
fn check_manager(unit: &Located<UnitFile>, m: &Manager, out: &mut Vec<Diagnostic>) {
    let mut fields = vec![
        ("manager.name".to_string(), &m.name),
        ("manager.title".to_string(), &m.title),
    ];
    if let Some(s) = &m.salutation {
        fields.push(("manager.salutation".to_string(), s));
    }
    for (i, line) in m.address.iter().enumerate() {
        fields.push((format!("manager.address[{i}]"), line));
    }
    for (field, text) in fields {
        check_label(unit, &field, text, out);
        check_no_placeholder(unit, &field, text, out);
    }
}

/// Checks a unit's own verdict: a published verdict only in a
/// published_verdicts edition (and there required), a manual verdict only
/// with a justification.
fn check_unit_verdict(unit: &Located<UnitFile>, points: bool, out: &mut Vec<Diagnostic>) {
    let u = &unit.value;
    if points && u.verdict.is_some() {
        out.push(
            unit.error_at_key(
                "verdict",
                "a published `verdict` is only allowed in a published_verdicts edition",
            )
            .hint("to override the computed verdict, use `manual_verdict` with a justification"),
        );
    }
    if !points && u.verdict.is_none() {
        out.push(required(
            unit,
            "verdict",
            "the published overall verdict of this unit",
        ));
    }
    if let Some(m) = &u.manual_verdict {
        if is_blank(&m.justification) {
            out.push(
                unit.error_at_key("manual_verdict", "a manual verdict needs a justification")
                    .hint("add `justification:` explaining why the computed verdict is overridden"),
            );
        } else {
            check_words(unit, "manual_verdict.justification", &m.justification, out);
        }
    }
}

/// Checks a unit of a points edition: not every indicator `nvt` without a
/// manual verdict, and every dimension given.
fn check_unit_points(unit: &Located<UnitFile>, e: &EditionFile, out: &mut Vec<Diagnostic>) {
    let u = &unit.value;
    // A unit whose every indicator is `nvt` has no score, so no verdict:
    // the method gives no verdict without a score, and a verdict decides
    // the unit's place in the report, the headline figures and its letter.
    let all_nvt = e.dimensions.iter().all(|d| {
        u.dimensions.get(&d.id).is_some_and(|dim| {
            d.indicators
                .iter()
                .all(|ind| dim.points.get(&ind.id) == Some(&Points::NotApplicable))
        })
    });
    if all_nvt && u.manual_verdict.is_none() {
        out.push(
            unit.error_at_key(
                "dimensions",
                "every indicator of this unit is `nvt`: it has no score, so no verdict",
            )
            .hint("give the points of at least one indicator, or set `manual_verdict` with a justification"),
        );
    }
    for def in &e.dimensions {
        if u.dimensions.get(&def.id).is_none() {
            out.push(
                unit.error_at_key("dimensions", format!("missing dimension `{}`", def.id))
                    .hint("give the points of each of its indicators, or `nvt`"),
            );
        }
    }
}

fn check_unit(unit: &Located<UnitFile>, e: &EditionFile, known: &Known, out: &mut Vec<Diagnostic>) {
    let u = &unit.value;
    let stem = unit.path.file_stem().and_then(|s| s.to_str()).unwrap_or("");
    check_id(unit, "id", &u.id, out);
    if is_device_name(&u.id) {
        out.push(
            unit.error_at(
                "id",
                format!(
                    "found id `{}`, a device name on Windows, where its letter `{}.pdf` could not be written",
                    u.id, u.id
                ),
            )
            .hint("choose another id (e.g. add the place name) and rename the file to match"),
        );
    }
    check_label(unit, "name", &u.name, out);
    if let Some(m) = &u.manager {
        check_manager(unit, m, out);
    }
    for (i, r) in u.recommendations.iter().enumerate() {
        check_visible(unit, &format!("recommendations[{i}]"), r, out);
    }
    for (key, p) in u.partners.iter() {
        check_words(unit, &format!("partners.{key}.remark"), &p.remark, out);
    }
    if u.id != stem {
        out.push(
            unit.error_at(
                "id",
                format!("found id `{}` in file `{}.yaml`", shown(&u.id), shown(stem)),
            )
            .hint(format!(
                "the id must equal the file name: `{}`",
                shown(stem)
            )),
        );
    }
    if !known.groups.contains(u.group.as_str()) {
        let known: Vec<&str> = e.groups.iter().map(|g| g.id.as_str()).collect();
        out.push(
            unit.error_at("group", format!("unknown group `{}`", u.group))
                .hint(format!("expected one of: {}", known.join(", "))),
        );
    }
    let points = e.assessment == Assessment::Points;
    check_unit_verdict(unit, points, out);
    for (key, dim) in u.dimensions.iter() {
        check_unit_dimension(unit, key, dim, e, known, points, out);
    }
    if points {
        check_unit_points(unit, e, out);
    }
    for (key, _) in u.partners.iter() {
        if !known.partners.contains(key) {
            let known: Vec<&str> = e.partners.iter().map(|p| p.id.as_str()).collect();
            out.push(
                unit.error_at_key(
                    &format!("partners.{key}"),
                    format!("unknown partner `{key}`"),
                )
                .hint(format!("expected one of: {}", known.join(", "))),
            );
        }
    }
}

fn check_recommendations(
    recs: &Located<RecommendationsFile>,
    e: &EditionFile,
    out: &mut Vec<Diagnostic>,
) {
    let r = &recs.value;
    check_unique(
        recs,
        "theme",
        r.themes.iter().map(|t| t.id.as_str()),
        |i| format!("themes[{i}].id"),
        out,
    );
    let mut fields = Vec::new();
    let mut ids = Vec::new();
    for (i, t) in r.themes.iter().enumerate() {
        check_label(recs, &format!("themes[{i}].title"), &t.title, out);
        for (j, rec) in t.recommendations.iter().enumerate() {
            check_visible(
                recs,
                &format!("themes[{i}].recommendations[{j}].text"),
                &rec.text,
                out,
            );
            fields.push(format!("themes[{i}].recommendations[{j}]"));
            ids.push(rec.id.to_ascii_lowercase());
            for (k, to) in rec.addressed_to.iter().enumerate() {
                let known = e.partners.iter().any(|p| p.id == *to)
                    || e.addressees.iter().any(|a| a.id == *to);
                if !known {
                    out.push(
                        recs.error_at(
                            &format!("themes[{i}].recommendations[{j}].addressed_to[{k}]"),
                            format!("unknown partner or addressee `{to}`"),
                        )
                        .hint("list it under `partners` or `addressees` in edition.yaml"),
                    );
                }
            }
            if rec.addressed_to.is_empty() {
                out.push(recs.error_at_key(
                    &format!("themes[{i}].recommendations[{j}].addressed_to"),
                    "found no addressee, expected at least one partner or addressee id",
                ));
            }
        }
    }
    check_unique(
        recs,
        "recommendation",
        ids.iter().map(String::as_str),
        |i| format!("{}.id", fields[i]),
        out,
    );
}

/// Checks the texts of `letter.yaml` that are not filled in: each holds
/// visible text and no placeholder; and that the templates are not blank.
pub fn check_letter_fields(letter: &Located<LetterFile>, out: &mut Vec<Diagnostic>) {
    let l = &letter.value;
    let mut labels: Vec<(String, &String)> = vec![
        ("signatory.title".into(), &l.signatory.title),
        ("signatory.name".into(), &l.signatory.name),
        ("sender.ministry".into(), &l.sender.ministry),
    ];
    labels.extend(
        l.addressee
            .iter()
            .enumerate()
            .map(|(i, a)| (format!("addressee[{i}]"), a)),
    );
    let s = &l.sender;
    for (name, v) in [
        ("return_address", &l.return_address),
        ("reference", &l.reference),
        ("sender.directorate_general", &s.directorate_general),
        ("sender.directorate", &s.directorate),
        ("sender.department", &s.department),
        ("sender.website", &s.website),
    ] {
        if let Some(v) = v {
            labels.push((name.into(), v));
        }
    }
    for (name, lines) in [
        ("sender.visiting_address", &s.visiting_address),
        ("sender.postal_address", &s.postal_address),
    ] {
        labels.extend(
            lines
                .iter()
                .enumerate()
                .map(|(i, a)| (format!("{name}[{i}]"), a)),
        );
    }
    if let Some(k) = &l.kamerstuk {
        labels.push(("kamerstuk.number".into(), &k.number));
        labels.push(("kamerstuk.from".into(), &k.from));
        labels.push(("kamerstuk.place".into(), &k.place));
        labels.push(("kamerstuk.session".into(), &k.session));
        labels.push(("kamerstuk.dossier".into(), &k.dossier));
        if let Some(d) = &k.dossier_title {
            labels.push(("kamerstuk.dossier_title".into(), d));
        }
    }
    if let Some(m) = &l.manager_letters
        && let Some(r) = &m.reference
    {
        if let Some(first) = &r.first {
            labels.push(("manager_letters.reference.first".into(), first));
        }
        if let Some(pattern) = &r.pattern {
            labels.push(("manager_letters.reference.pattern".into(), pattern));
        }
    }
    for (field, text) in labels {
        check_label(letter, &field, text, out);
        check_no_placeholder(letter, &field, text, out);
    }
    if l.addressee.is_empty() {
        out.push(letter.error_at_key(
            "addressee",
            "found no addressee, expected at least one line",
        ));
    }
    let mut templates = vec![
        ("subject".to_string(), &l.subject),
        ("body".to_string(), &l.body),
    ];
    templates.extend(
        l.footnotes
            .iter()
            .enumerate()
            .map(|(i, f)| (format!("footnotes[{i}]"), f)),
    );
    if let Some(m) = &l.manager_letters {
        templates.push(("manager_letters.subject".into(), &m.subject));
        templates.push(("manager_letters.body".into(), &m.body));
    }
    for (field, text) in templates {
        check_visible(letter, &field, text, out);
    }
}

#[cfg(test)]
mod unseen_tests {
    use super::{longest_word, unseen};

    #[test]
    fn finds_the_longest_word_and_where_it_starts() {
        assert_eq!(longest_word(""), (0, 0));
        assert_eq!(longest_word("een  twee\nvijftien"), (10, 8));
        // The first of equally long words; offsets in bytes, lengths in
        // characters.
        assert_eq!(longest_word("één\u{a0}abc abcd"), (11, 4));
        assert_eq!(longest_word("abc\u{2003}één"), (0, 3));
    }

    #[test]
    fn names_the_invisible_characters_of_a_blank_text() {
        assert_eq!(unseen("   "), "");
        assert_eq!(unseen("\u{a0}\u{a0}"), " (U+00A0)");
        assert_eq!(unseen(" \u{200b}\t\u{200b}"), " (U+200B, U+0009)");
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn mini() -> LoadedEdition {
        let dir =
            std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/valid/mini");
        crate::data::load::load(&dir)
            .edition
            .expect("the mini edition loads")
    }

    fn errors(e: &LoadedEdition) -> Vec<(Option<String>, String)> {
        validate(e)
            .into_iter()
            .filter(Diagnostic::is_error)
            .map(|d| (d.field, d.message))
            .collect()
    }

    #[test]
    fn the_mini_edition_is_valid() {
        assert_eq!(errors(&mini()), []);
    }

    #[test]
    fn a_unit_must_name_a_known_group_dimension_indicator_and_partner() {
        let mut e = mini();
        let u = &mut e.units[0].value;
        u.group = "elders".into();
        u.partners.0[0].0 = "niemand".into();
        let (_, dim) = &mut u.dimensions.0[0];
        dim.points.0.push(("extra".into(), Points::Awarded(1)));
        let found = errors(&e);
        let has = |field: &str, text: &str| {
            found
                .iter()
                .any(|(f, m)| f.as_deref() == Some(field) && m.contains(text))
        };
        assert!(has("group", "unknown group `elders`"), "{found:?}");
        assert!(has("partners.niemand", "unknown partner"), "{found:?}");
        assert!(
            has(
                "dimensions.toezicht.points.extra",
                "unknown indicator `extra`"
            ),
            "{found:?}"
        );
    }

    #[test]
    fn points_above_the_indicators_maximum_are_refused() {
        let mut e = mini();
        let (key, dim) = &mut e.units[0].value.dimensions.0[0];
        assert_eq!(key, "toezicht");
        let (ind, p) = &mut dim.points.0[0];
        assert_eq!(ind, "controle");
        *p = Points::Awarded(5);
        let found = errors(&e);
        assert!(
            found.iter().any(
                |(f, m)| f.as_deref() == Some("dimensions.toezicht.points.controle")
                    && m.contains("expected at most 4")
            ),
            "{found:?}"
        );
    }

    #[test]
    fn of_two_equal_dimension_ids_the_first_is_known() {
        let e = mini();
        let mut file = e.edition.value.clone();
        let mut second = file.dimensions[0].clone();
        second.indicators[0].max_points = 99;
        file.dimensions.push(second);
        let known = Known::of(&file);
        assert_eq!(known.indicators[&("toezicht", "controle")].max_points, 4);
        assert_eq!(known.dimensions["toezicht"].indicators[0].max_points, 4);
    }
}
