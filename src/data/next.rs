//! The next edition, started from the previous one (`korpsmonitor new`).
//!
//! The monitor appears every two years ([`YEARS_BETWEEN`]). What changes
//! by rule is moved on: the year (in the title and keywords too), every
//! year of the period, the dates (the edition's, the letter's, the
//! managers' deadline) and the parliamentary year, by two years; the
//! status becomes `concept` and `previous:` names the edition it came
//! from. What carries over is kept as it is: the units and their managers,
//! the dimensions and method, the groups, partners and abbreviations, the
//! free chapters (as drafts). What must be written again (findings,
//! points, recommendations, key figures, the kamerstuk number, the
//! chapters' years) is kept too, as the previous edition wrote it: `check`
//! names each such value as stale until it is rewritten
//! ([`crate::render::stale`]), so its warnings are the editor's to-do
//! list. The files are written in the canonical form (`fmt`); comments of
//! the previous edition's files are not carried over.

use std::path::PathBuf;

use crate::data::load::LoadedEdition;
use crate::data::model::{Date, Status};

/// Years between two editions of the monitor.
pub const YEARS_BETWEEN: u16 = 2;

/// The files of the next edition, in memory.
#[derive(Debug)]
pub struct NextEdition {
    /// The new edition's year.
    pub year: u16,
    /// Each file's path below the new edition's folder and its text:
    /// `edition.yaml`, the unit files, `recommendations.yaml`,
    /// `letter.yaml` and the free chapters, as the previous edition has
    /// them.
    pub files: Vec<(PathBuf, String)>,
    /// How many unit files were carried over.
    pub units: usize,
}

/// `date` two years on (29 February becomes 28 February).
pub fn moved_on(date: Date) -> Date {
    let year = date.year + i32::from(YEARS_BETWEEN);
    let day = if date.month == 2 && date.day == 29 && !leap(year) {
        28
    } else {
        date.day
    };
    Date {
        year,
        month: date.month,
        day,
    }
}

fn leap(year: i32) -> bool {
    (year % 4 == 0 && year % 100 != 0) || year % 400 == 0
}

/// `text` with every four-digit year (1900 to 2199) moved on by
/// [`YEARS_BETWEEN`]: "1 januari 2011 tot en met 31 december 2012" gives
/// "1 januari 2013 tot en met 31 december 2014", "2013–2014" gives
/// "2015–2016".
pub fn years_moved_on(text: &str) -> String {
    let chars: Vec<char> = text.chars().collect();
    let mut out = String::with_capacity(text.len());
    let mut i = 0;
    while i < chars.len() {
        if !chars[i].is_ascii_digit() {
            out.push(chars[i]);
            i += 1;
            continue;
        }
        let start = i;
        while i < chars.len() && chars[i].is_ascii_digit() {
            i += 1;
        }
        let digits: String = chars[start..i].iter().collect();
        match digits.parse::<u32>() {
            Ok(y) if digits.len() == 4 && (1900..2200).contains(&y) => {
                out.push_str(&(y + u32::from(YEARS_BETWEEN)).to_string());
            }
            _ => out.push_str(&digits),
        }
    }
    out
}

/// The next edition after `previous`, whose folder the new edition names
/// as `link` (relative to the new folder, e.g. `../2012`).
///
/// Errors: a file cannot be written as YAML (serde_yaml's message).
pub fn next_edition(previous: &LoadedEdition, link: &str) -> Result<NextEdition, String> {
    let mut edition = previous.edition.value.clone();
    let old_year = edition.year.to_string();
    edition.year += YEARS_BETWEEN;
    let new_year = edition.year.to_string();
    edition.title = edition.title.replace(&old_year, &new_year);
    edition.period = years_moved_on(&edition.period);
    edition.status = Status::Concept;
    edition.date = edition.date.map(moved_on);
    edition.previous = Some(link.to_string());
    // The dimensions carry over: they correspond by their ids.
    edition.previous_dimensions = Default::default();
    for k in &mut edition.keywords {
        if *k == old_year {
            *k = new_year.clone();
        }
    }
    let mut files = vec![(PathBuf::from("edition.yaml"), yaml(&edition)?)];
    for unit in &previous.units {
        let name = unit
            .path
            .file_name()
            .map(PathBuf::from)
            .unwrap_or_else(|| PathBuf::from(format!("{}.yaml", unit.value.id)));
        // A unit of the next edition continues the unit of its own id: the
        // previous edition's `continues` looked further back.
        let mut unit_file = unit.value.clone();
        unit_file.continues.clear();
        files.push((PathBuf::from("units").join(name), yaml(&unit_file)?));
    }
    if let Some(r) = &previous.recommendations {
        files.push((PathBuf::from("recommendations.yaml"), yaml(&r.value)?));
    }
    if let Some(l) = &previous.letter {
        let mut letter = l.value.clone();
        letter.date = moved_on(letter.date);
        if let Some(k) = &mut letter.kamerstuk {
            k.session = years_moved_on(&k.session);
        }
        if let Some(m) = &mut letter.manager_letters {
            m.deadline = moved_on(m.deadline);
        }
        files.push((PathBuf::from("letter.yaml"), yaml(&letter)?));
    }
    for text in &previous.chapters {
        if let Some(chapter) = edition.chapters.iter().find(|c| c.id == text.id) {
            files.push((PathBuf::from(&chapter.file), text.text.clone()));
        }
    }
    Ok(NextEdition {
        year: edition.year,
        files,
        units: previous.units.len(),
    })
}

/// `value` as serde_yaml writes it (the canonical form).
fn yaml<T: serde::Serialize>(value: &T) -> Result<String, String> {
    serde_yaml::to_string(value).map_err(|e| e.to_string())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn years_and_dates_move_on_two_years() {
        assert_eq!(
            years_moved_on("1 januari 2011 tot en met 31 december 2012"),
            "1 januari 2013 tot en met 31 december 2014"
        );
        assert_eq!(years_moved_on("2013–2014"), "2015–2016");
        assert_eq!(years_moved_on("nr. 12345 en 103"), "nr. 12345 en 103");
        let d = |year, month, day| Date { year, month, day };
        assert_eq!(moved_on(d(2013, 10, 24)), d(2015, 10, 24));
        assert_eq!(moved_on(d(2012, 2, 29)), d(2014, 2, 28));
        assert_eq!(moved_on(d(2014, 2, 29)), d(2016, 2, 29));
    }
}
