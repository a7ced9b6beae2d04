//! Reading a workbook file (`.xlsx` or `.ods`) into plain [`Cell`] grids,
//! within bounds of memory and time.
//!
//! Before calamine sees the file, the zip archive is measured: at most
//! [`MAX_FILE_BYTES`] on disk, [`MAX_ENTRIES`] entries, each inflating to
//! at most [`MAX_ENTRY_BYTES`] and all together to [`MAX_TOTAL_BYTES`],
//! counted while inflating (a zip bomb's declared sizes may lie). A sheet
//! is read cell by cell and refused at its first row past the limit the
//! caller gives, before the rest of it is read (for `.xlsx`; calamine reads
//! an `.ods` whole, inside the bounds above and its own row cap).

use std::io::{Cursor, Read};
use std::path::Path;

use calamine::{Data, DataRef, Ods, Reader, SheetVisible, Xlsx};

use crate::base::input;
use crate::data::workbook::Cell;

/// The largest workbook file read, in bytes.
pub const MAX_FILE_BYTES: u64 = 32 * 1024 * 1024;
/// The most entries (files) in the workbook's zip archive.
pub const MAX_ENTRIES: usize = 1000;
/// The most bytes one entry of the archive may inflate to.
pub const MAX_ENTRY_BYTES: u64 = 64 * 1024 * 1024;
/// The most bytes all entries together may inflate to.
pub const MAX_TOTAL_BYTES: u64 = 128 * 1024 * 1024;

/// The file formats read.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Format {
    /// Office Open XML (Excel, LibreOffice, openpyxl).
    Xlsx,
    /// OpenDocument spreadsheet (LibreOffice).
    Ods,
}

/// One sheet's name and whether it is shown.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SheetInfo {
    /// The name on its tab.
    pub name: String,
    /// Whether the sheet is visible (not hidden).
    pub visible: bool,
}

enum Inner {
    Xlsx(Box<Xlsx<Cursor<Vec<u8>>>>),
    Ods(Box<Ods<Cursor<Vec<u8>>>>),
}

/// An opened workbook.
pub struct Book {
    /// Its format.
    pub format: Format,
    /// Its sheets, in tab order.
    pub sheets: Vec<SheetInfo>,
    inner: Inner,
}

/// A sheet's cells: rows from row 1, each row's cells from column A.
pub type Grid = Vec<Vec<Cell>>;

/// Opens the workbook at `path` after measuring its archive. Errors say
/// what the file is and what was expected (not a workbook, an old `.xls`,
/// a zip bomb, macros).
pub fn open(path: &Path) -> Result<Book, String> {
    let bytes = input::read_file(path, MAX_FILE_BYTES).map_err(|e| e.to_string())?;
    let format = measure(&bytes)?;
    let cursor = Cursor::new(bytes);
    let inner = match format {
        Format::Xlsx => Inner::Xlsx(Box::new(
            Xlsx::new(cursor).map_err(|e| format!("cannot read the workbook: {e}"))?,
        )),
        Format::Ods => Inner::Ods(Box::new(
            Ods::new(cursor).map_err(|e| format!("cannot read the workbook: {e}"))?,
        )),
    };
    let metadata = match &inner {
        Inner::Xlsx(x) => x.sheets_metadata().to_vec(),
        Inner::Ods(o) => o.sheets_metadata().to_vec(),
    };
    let sheets = metadata
        .into_iter()
        .map(|s| SheetInfo {
            name: s.name,
            visible: s.visible == SheetVisible::Visible,
        })
        .collect();
    Ok(Book {
        format,
        sheets,
        inner,
    })
}

/// Checks that `bytes` is a zip archive within the bounds and finds its
/// format.
fn measure(bytes: &[u8]) -> Result<Format, String> {
    if !bytes.starts_with(b"PK\x03\x04") {
        let what = if bytes.starts_with(&[0xd0, 0xcf, 0x11, 0xe0]) {
            "an old Excel file (.xls) or an encrypted workbook"
        } else if bytes.is_empty() {
            "empty"
        } else {
            "not a zip archive"
        };
        return Err(format!(
            "not a workbook: the file is {what}; expected an .xlsx or .ods file (save it as one)"
        ));
    }
    let mut zip = zip::ZipArchive::new(Cursor::new(bytes))
        .map_err(|e| format!("not a workbook: the zip archive cannot be read ({e})"))?;
    if zip.len() > MAX_ENTRIES {
        return Err(format!(
            "the workbook's archive has {} entries, expected at most {MAX_ENTRIES}",
            zip.len()
        ));
    }
    let (mut xlsx, mut ods, mut macros) = (false, false, false);
    let mut total: u64 = 0;
    let mut buf = vec![0u8; 64 * 1024];
    for i in 0..zip.len() {
        let mut entry = zip.by_index(i).map_err(|e| {
            format!("not a workbook: entry {i} of the archive cannot be read ({e})")
        })?;
        let name = entry.name().to_string();
        if entry.size() > MAX_ENTRY_BYTES {
            return Err(bomb(&name, entry.size()));
        }
        // Count what the entry really inflates to, and stop at the bound.
        let mut size: u64 = 0;
        loop {
            let n = entry
                .read(&mut buf)
                .map_err(|e| format!("the workbook's entry {name} cannot be read ({e})"))?;
            if n == 0 {
                break;
            }
            size += n as u64;
            if size > MAX_ENTRY_BYTES {
                return Err(bomb(&name, size));
            }
            if total + size > MAX_TOTAL_BYTES {
                return Err(format!(
                    "the workbook's archive inflates to more than {} MiB, expected at most that; it may be a zip bomb",
                    MAX_TOTAL_BYTES / 1024 / 1024
                ));
            }
        }
        total += size;
        xlsx |= name == "xl/workbook.xml";
        ods |= name == "content.xml";
        macros |= name.ends_with("vbaProject.bin") || name.starts_with("Basic/");
    }
    if macros {
        return Err("the workbook holds macros; expected a workbook without (save it as .xlsx or .ods, not .xlsm)".into());
    }
    match (xlsx, ods) {
        (true, _) => Ok(Format::Xlsx),
        (false, true) => Ok(Format::Ods),
        _ => Err(
            "not a workbook: the zip archive holds no spreadsheet (no xl/workbook.xml or content.xml); expected an .xlsx or .ods file".into(),
        ),
    }
}

fn bomb(name: &str, size: u64) -> String {
    format!(
        "the workbook's entry {name} inflates to more than {} MiB ({} bytes or more), expected at most that; it may be a zip bomb",
        MAX_ENTRY_BYTES / 1024 / 1024,
        size
    )
}

impl Book {
    /// The cells of sheet `name`, at most `max_rows` rows and `max_columns`
    /// columns: a cell beyond them is an error naming the row or column,
    /// found before the rest of the sheet is read. Formulas come as
    /// [`Cell::Formula`], whatever value they last had.
    pub fn grid(
        &mut self,
        name: &str,
        max_rows: usize,
        max_columns: usize,
    ) -> Result<Grid, String> {
        let mut grid: Grid = Vec::new();
        let mut put = |row: usize, col: usize, cell: Cell| -> Result<(), String> {
            if cell == Cell::Empty {
                return Ok(());
            }
            if row >= max_rows {
                return Err(format!(
                    "has a value in row {}, expected at most {max_rows} rows (a header and a row per unit); the rest of the sheet was not read",
                    row + 1
                ));
            }
            if col >= max_columns {
                return Err(format!(
                    "has a value in column {}, expected at most {max_columns} columns",
                    crate::data::workbook::cell_name(row, col)
                        .trim_end_matches(|c: char| c.is_ascii_digit())
                ));
            }
            if grid.len() <= row {
                grid.resize(row + 1, Vec::new());
            }
            let r = &mut grid[row];
            if r.len() <= col {
                r.resize(col + 1, Cell::Empty);
            }
            r[col] = cell;
            Ok(())
        };
        match &mut self.inner {
            Inner::Xlsx(x) => {
                let mut reader = x
                    .worksheet_cells_reader(name)
                    .map_err(|e| format!("cannot be read: {e}"))?;
                let end = reader.dimensions().end;
                // Styled empty cells count in the declared size: a loose
                // bound here, the exact one cell by cell below.
                if end.0 as usize >= max_rows.saturating_mul(2).max(max_rows + 1000) {
                    return Err(format!(
                        "spans {} rows, expected at most {max_rows} (a header and a row per unit); the sheet was not read",
                        u64::from(end.0) + 1
                    ));
                }
                while let Some(c) = reader
                    .next_cell_with_formula()
                    .map_err(|e| format!("cannot be read: {e}"))?
                {
                    let (row, col) = (c.pos.0 as usize, c.pos.1 as usize);
                    let cell = match c.formula {
                        Some(f) if !f.is_empty() => Cell::Formula(f),
                        _ => from_ref(c.value),
                    };
                    put(row, col, cell)?;
                }
            }
            Inner::Ods(o) => {
                let values = o
                    .worksheet_range(name)
                    .map_err(|e| format!("cannot be read: {e}"))?;
                let formulas = o
                    .worksheet_formula(name)
                    .map_err(|e| format!("cannot be read: {e}"))?;
                for (row, col, f) in formulas.used_cells() {
                    if !f.is_empty() {
                        let (r0, c0) = formulas.start().unwrap_or((0, 0));
                        put(
                            row + r0 as usize,
                            col + c0 as usize,
                            Cell::Formula(f.clone()),
                        )?;
                    }
                }
                let (r0, c0) = values.start().unwrap_or((0, 0));
                for (row, col, v) in values.used_cells() {
                    let (row, col) = (row + r0 as usize, col + c0 as usize);
                    let is_formula = formulas
                        .get_value((row as u32, col as u32))
                        .is_some_and(|f| !f.is_empty());
                    if !is_formula {
                        put(row, col, from_data(v))?;
                    }
                }
            }
        }
        Ok(grid)
    }
}

/// A date cell as `YYYY-MM-DD` (a duration or time as its serial number).
fn date(d: &calamine::ExcelDateTime) -> String {
    let serial = d.as_f64();
    if d.is_duration() || !(1.0..=2_958_465.0).contains(&serial) {
        return format!("{serial}");
    }
    // Serial 25569 is 1970-01-01 in the 1900 date system.
    let secs = ((serial.floor() - 25569.0) * 86400.0) as i64;
    crate::data::model::Date::from_unix(secs).to_string()
}

fn from_ref(v: DataRef<'_>) -> Cell {
    match v {
        DataRef::Int(i) => Cell::Number(i as f64),
        DataRef::Float(f) => Cell::Number(f),
        DataRef::String(s) => Cell::Text(s),
        DataRef::SharedString(s) => Cell::Text(s.to_string()),
        DataRef::Bool(b) => Cell::Bool(b),
        DataRef::DateTime(d) => Cell::Date(date(&d)),
        DataRef::DateTimeIso(s) | DataRef::DurationIso(s) => Cell::Date(s),
        DataRef::Error(e) => Cell::Error(e.to_string()),
        DataRef::Empty => Cell::Empty,
    }
}

fn from_data(v: &Data) -> Cell {
    match v {
        Data::Int(i) => Cell::Number(*i as f64),
        Data::Float(f) => Cell::Number(*f),
        Data::String(s) => Cell::Text(s.clone()),
        Data::Bool(b) => Cell::Bool(*b),
        Data::DateTime(d) => Cell::Date(date(d)),
        Data::DateTimeIso(s) | Data::DurationIso(s) => Cell::Date(s.clone()),
        Data::Error(e) => Cell::Error(e.to_string()),
        Data::Empty => Cell::Empty,
    }
}
