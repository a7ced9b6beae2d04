//! Writing an edition's workbook (`.xlsx`) with rust_xlsxwriter, in the
//! layout of [`crate::data::workbook`].
//!
//! Every value is written as what it is: text with `write_string`, which
//! writes a string cell and never a formula (a finding that starts with
//! `=` stays text), numbers with `write_number`. The same edition gives
//! the same bytes: the document's creation date is the edition's date
//! (or 1 January of its year) and rust_xlsxwriter dates the archive's
//! entries at a fixed time.

use rust_xlsxwriter::{
    Color, DataValidation, DataValidationRule, DocProperties, ExcelDateTime, Format, FormatAlign,
    FormatBorder, Note, ProtectionOptions, Workbook, Worksheet, XlsxError,
};

use crate::data::model::UnitFile;
use crate::data::workbook::{self, Cell, Column, Field, Sheet};
use crate::figures::scored::{ScoredEdition, ScoredUnit};

/// The longest list a drop-down may hold, in characters (Excel's limit).
const MAX_LIST_CHARS: usize = 255;

struct Formats {
    header: Format,
    locked: Format,
    prose: Format,
    value: Format,
    computed: Format,
}

fn formats() -> Formats {
    let base = Format::new().set_align(FormatAlign::Top);
    Formats {
        header: base
            .clone()
            .set_bold()
            .set_text_wrap()
            .set_background_color(Color::RGB(0xdde4ee))
            .set_border_bottom(FormatBorder::Thin),
        locked: base.clone().set_background_color(Color::RGB(0xf2f2f2)),
        prose: base.clone().set_text_wrap().set_unlocked(),
        value: base.clone().set_unlocked().set_align(FormatAlign::Center),
        computed: base.set_background_color(Color::RGB(0xf2f2f2)),
    }
}

/// The workbook of `units` (all of the edition's, or the one unit of a
/// per-unit workbook, `single`), as the bytes of an `.xlsx` file.
pub fn workbook(
    edition: &ScoredEdition,
    units: &[(&ScoredUnit, &UnitFile)],
    single: Option<&str>,
) -> Result<Vec<u8>, XlsxError> {
    let e = edition.edition_file();
    let mut book = Workbook::new();
    let date = e.date.unwrap_or(crate::data::model::Date {
        year: i32::from(e.year),
        month: 1,
        day: 1,
    });
    let created = ExcelDateTime::from_ymd(
        u16::try_from(date.year).unwrap_or(e.year),
        date.month,
        date.day,
    )?;
    book.set_properties(
        &DocProperties::new()
            .set_title(format!("{}: werkbestand", e.title))
            .set_author("korpsmonitor")
            .set_creation_datetime(&created),
    );
    let f = formats();
    let recommendations = workbook::recommendation_columns(units.iter().map(|(_, u)| *u));
    for sheet in workbook::layout(e, recommendations) {
        let ws = book.add_worksheet();
        data_sheet(ws, &sheet, units, &f)?;
    }
    let ws = book.add_worksheet();
    computed_sheet(ws, edition, units, &f)?;
    let ws = book.add_worksheet();
    ws.set_name(workbook::META)?;
    for (i, (key, value)) in workbook::meta(e.year, single).into_iter().enumerate() {
        let row = i as u32;
        ws.write_string(row, 0, key)?;
        match value {
            Cell::Number(n) => {
                ws.write_number(row, 1, n)?;
            }
            Cell::Text(t) => {
                ws.write_string(row, 1, t)?;
            }
            _ => {}
        }
    }
    ws.set_column_width(0, 28)?;
    ws.set_column_width(1, 40)?;
    ws.protect();
    ws.set_hidden(true);
    book.save_to_buffer()
}

/// One sheet of unit fields: headers with notes, a row per unit, the
/// editable cells unlocked and the rest protected.
fn data_sheet(
    ws: &mut Worksheet,
    sheet: &Sheet,
    units: &[(&ScoredUnit, &UnitFile)],
    f: &Formats,
) -> Result<(), XlsxError> {
    ws.set_name(&sheet.name)?;
    for (c, col) in sheet.columns.iter().enumerate() {
        let c = c as u16;
        ws.write_string_with_format(0, c, &col.header, &f.header)?;
        ws.set_column_width(c, col.width)?;
        if !col.note.is_empty() {
            let note = Note::new(&col.note)
                .add_author_prefix(false)
                .set_width(320)
                .set_height(140);
            ws.insert_note(0, c, &note)?;
        }
        if let Some(v) = validation(col)?
            && !units.is_empty()
        {
            ws.add_data_validation(1, c, units.len() as u32, c, &v)?;
        }
    }
    for (r, (_, unit)) in units.iter().enumerate() {
        let row = (r + 1) as u32;
        let mut lines = 1usize;
        for (c, col) in sheet.columns.iter().enumerate() {
            let format = match &col.field {
                Field::UnitId | Field::UnitName => &f.locked,
                field if field.is_prose() => &f.prose,
                _ => &f.value,
            };
            let value = workbook::value(&col.field, unit);
            if let Cell::Text(t) = &value
                && col.field.is_prose()
            {
                lines = lines.max(lines_needed(t, col.width));
            }
            write(ws, row, c as u16, &value, format)?;
        }
        if lines > 1 {
            ws.set_row_height(row, 15.0 * lines.min(12) as f64)?;
        }
    }
    // Bold headers wrap at spaces, about one character per unit of width.
    let header_lines = sheet
        .columns
        .iter()
        .map(|c| wrapped_lines(&c.header, (c.width * 0.95) as usize))
        .max()
        .unwrap_or(1);
    ws.set_row_height(0, 15.0 * header_lines.clamp(2, 10) as f64)?;
    ws.set_freeze_panes(1, 2)?;
    // Printed: A4 landscape, as wide as one page, the headers on each page.
    ws.set_paper_size(9);
    ws.set_landscape();
    ws.set_print_fit_to_pages(1, 0);
    ws.set_repeat_rows(0, 0)?;
    ws.protect_with_options(&ProtectionOptions {
        format_columns: true,
        format_rows: true,
        ..ProtectionOptions::default()
    });
    Ok(())
}

/// How many lines `text` takes in a column `width` characters wide.
fn lines_needed(text: &str, width: f64) -> usize {
    wrapped_lines(text, (width * 1.1).max(1.0) as usize)
}

/// The lines `text` takes when wrapped at spaces into lines of at most
/// `per_line` characters (a longer word takes lines of its own), as a
/// spreadsheet wraps a cell; a line break starts a new line.
fn wrapped_lines(text: &str, per_line: usize) -> usize {
    let per_line = per_line.max(1);
    text.split('\n')
        .map(|paragraph| {
            let (mut lines, mut used) = (1usize, 0usize);
            for word in paragraph.split(' ').map(|w| w.chars().count()) {
                let need = if used == 0 { word } else { used + 1 + word };
                if need <= per_line {
                    used = need;
                } else {
                    lines += usize::from(used > 0) + (word.saturating_sub(1)) / per_line;
                    used = match word % per_line {
                        0 if word > 0 => per_line,
                        r => r,
                    };
                }
            }
            lines
        })
        .sum()
}

/// Writes one cell; empty cells get the format only (so that an editable
/// cell stays unlocked).
fn write(
    ws: &mut Worksheet,
    row: u32,
    col: u16,
    value: &Cell,
    format: &Format,
) -> Result<(), XlsxError> {
    match value {
        Cell::Text(t) => ws.write_string_with_format(row, col, t, format)?,
        Cell::Number(n) => ws.write_number_with_format(row, col, *n, format)?,
        _ => ws.write_blank(row, col, format)?,
    };
    Ok(())
}

/// The drop-down of a points or rating column.
fn validation(col: &Column) -> Result<Option<DataValidation>, XlsxError> {
    let Some(choices) = col.field.choices() else {
        return Ok(None);
    };
    let listed = choices.join(",").chars().count() <= MAX_LIST_CHARS;
    let v = match (&col.field, listed) {
        (_, true) => DataValidation::new().allow_list_strings(choices.as_slice())?,
        (Field::Points { max, .. }, false) => DataValidation::new().allow_whole_number(
            DataValidationRule::Between(0, i32::try_from(*max).unwrap_or(i32::MAX)),
        ),
        (_, false) => return Ok(None),
    };
    let message = match &col.field {
        Field::Points { max, .. } => format!("Kies 0 tot en met {max} punten, of nvt."),
        _ => format!("Kies een van: {}.", choices.join(", ")),
    };
    Ok(Some(
        v.set_error_title("Ongeldige waarde")?
            .set_error_message(message)?,
    ))
}

/// The read-only sheet of computed scores and verdicts.
fn computed_sheet(
    ws: &mut Worksheet,
    edition: &ScoredEdition,
    units: &[(&ScoredUnit, &UnitFile)],
    f: &Formats,
) -> Result<(), XlsxError> {
    ws.set_name(workbook::COMPUTED)?;
    ws.set_tab_color(Color::RGB(0x999999));
    let mut headers = vec![
        workbook::ID_HEADER.to_string(),
        workbook::NAME_HEADER.to_string(),
    ];
    for d in &edition.edition_file().dimensions {
        headers.push(format!("{}: score (%)", d.short_name));
        headers.push(format!("{}: oordeel", d.short_name));
    }
    headers.push("Totaal: score (%)".into());
    headers.push("Totaal: oordeel".into());
    for (c, h) in headers.iter().enumerate() {
        ws.write_string_with_format(0, c as u16, h, &f.header)?;
        ws.set_column_width(c as u16, if c < 2 { 24 } else { 16 })?;
    }
    ws.insert_note(
        0,
        0,
        &Note::new("Berekend door korpsmonitor bij het exporteren, uit de punten in de YAML. Alleen lezen: wijzigingen op dit blad worden niet ingelezen.")
            .add_author_prefix(false)
            .set_width(320),
    )?;
    for (r, (scored, _)) in units.iter().enumerate() {
        let row = (r + 1) as u32;
        ws.write_string_with_format(row, 0, &scored.id, &f.computed)?;
        ws.write_string_with_format(row, 1, &scored.name, &f.computed)?;
        let mut c = 2u16;
        for d in &edition.edition_file().dimensions {
            let sd = scored.dimensions.iter().find(|x| x.id == d.id);
            match sd.and_then(|x| x.score) {
                Some(p) => ws.write_number_with_format(row, c, p.as_f64(), &f.computed)?,
                None => ws.write_blank(row, c, &f.computed)?,
            };
            match sd.and_then(|x| x.verdict) {
                Some(v) => ws.write_string_with_format(row, c + 1, v.label(), &f.computed)?,
                None => ws.write_blank(row, c + 1, &f.computed)?,
            };
            c += 2;
        }
        match scored.score {
            Some(p) => ws.write_number_with_format(row, c, p.as_f64(), &f.computed)?,
            None => ws.write_blank(row, c, &f.computed)?,
        };
        ws.write_string_with_format(row, c + 1, scored.verdict.label(), &f.computed)?;
    }
    ws.set_row_height(0, 45)?;
    ws.set_freeze_panes(1, 2)?;
    ws.protect();
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn wrapped_lines_wrap_at_spaces_like_a_spreadsheet() {
        assert_eq!(wrapped_lines("", 10), 1);
        assert_eq!(wrapped_lines("abc def", 10), 1);
        assert_eq!(wrapped_lines("abcde fghij", 10), 2);
        assert_eq!(wrapped_lines("a\nb", 10), 2);
        // A word longer than a line takes lines of its own.
        assert_eq!(wrapped_lines("ab abcdefghijklmnopqrstu", 10), 4);
        assert_eq!(
            wrapped_lines("Worden signalen omgezet in opsporingsonderzoeken?", 14),
            5
        );
    }
}
