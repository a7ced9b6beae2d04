//! Tables of figures shared by the web edition's HTML tables and their CSV
//! downloads: one value per cell, shown the Dutch way on the page
//! ("61,5%", "1.234") and written plainly in the CSV ("61.5", "1234"), so
//! the two always agree.
//!
//! CSV follows RFC 4180: UTF-8 with a byte-order mark (so that Excel reads
//! it as UTF-8), comma-separated, CRLF line ends, a header row, a field
//! quoted (with inner quotes doubled) when it holds the separator, a quote
//! or a line break (docs/open-data.md). A second variant for spreadsheets
//! set to Dutch ([`DataTable::csv_dutch`]) separates with semicolons and
//! writes a decimal comma, as Excel in a Dutch locale reads and writes CSV.
//!
//! Formula guard (the OWASP "CSV injection" rule): a text field that
//! starts with `=`, `+`, `-`, `@`, a tab or a carriage return gets a single
//! quote (`'`) before it, so that no spreadsheet runs it as a formula. Only
//! text is guarded (names, heads, verdicts); numbers are written plainly,
//! a negative one with its minus. Everywhere else (PDF, web pages) the text
//! stays exactly as written.

use serde::Serialize;

/// One cell of a [`DataTable`].
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(tag = "kind", content = "value", rename_all = "snake_case")]
pub enum Cell {
    /// Text, exactly as written (a name, a verdict).
    Text(String),
    /// A count.
    Count(u64),
    /// A percentage in tenths of a percent (615 is 61.5%).
    Percent(i64),
    /// A threshold in hundredths of a percent (7000 is 70%), shown
    /// without trailing zeros as the edition gives it.
    Threshold(i64),
    /// A verdict, shown and written as its Dutch words.
    Verdict(crate::data::model::Verdict),
    /// No value: not applicable or not reported.
    Missing,
}

impl Cell {
    /// The cell as the page shows it: Dutch number formatting, "–" when
    /// missing.
    pub fn display(&self) -> String {
        match self {
            Cell::Text(s) => s.clone(),
            Cell::Count(n) => crate::words::dutch::number(i64::try_from(*n).unwrap_or(i64::MAX)),
            Cell::Percent(t) => crate::words::dutch::percent_tenths(*t),
            Cell::Threshold(h) => format!("{}%", crate::words::dutch::decimal_hundredths(*h)),
            Cell::Verdict(v) => v.label().to_string(),
            Cell::Missing => "–".to_string(),
        }
    }

    /// The cell as the CSV holds it: plain digits with a decimal point and
    /// no unit, empty when missing.
    pub fn plain(&self) -> String {
        match self {
            Cell::Text(s) => s.clone(),
            Cell::Count(n) => n.to_string(),
            Cell::Percent(t) => {
                let sign = if *t < 0 { "-" } else { "" };
                let a = t.unsigned_abs();
                format!("{sign}{}.{}", a / 10, a % 10)
            }
            Cell::Threshold(h) => crate::words::dutch::decimal_hundredths(*h)
                .replace('.', "")
                .replace(',', "."),
            Cell::Verdict(v) => v.label().to_string(),
            Cell::Missing => String::new(),
        }
    }

    /// Whether the cell holds a number (set right-aligned).
    pub fn numeric(&self) -> bool {
        matches!(self, Cell::Count(_) | Cell::Percent(_) | Cell::Threshold(_))
    }
}

/// A table of figures: a caption, column heads and rows whose first cell
/// names the row.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct DataTable {
    /// What the table shows, in Dutch (the HTML caption).
    pub caption: String,
    /// The column heads, in Dutch; a percentage column says "(%)".
    pub columns: Vec<String>,
    /// The rows; each as long as `columns`.
    pub rows: Vec<Vec<Cell>>,
}

/// The UTF-8 byte-order mark every CSV starts with: without it, Excel
/// reads the file as Windows-1252 ("politieregioâ€™s").
const BOM: char = '\u{feff}';

impl DataTable {
    /// The table as RFC 4180 CSV: a byte-order mark, a header row, then one
    /// line per row; numbers with a decimal point.
    pub fn csv(&self) -> String {
        self.delimited(',', |c| c.plain())
    }

    /// The table as a spreadsheet set to Dutch reads CSV: as [`Self::csv`],
    /// but separated by semicolons, with a decimal comma ("61,5"); counts
    /// stay plain digits, with no thousands separator.
    pub fn csv_dutch(&self) -> String {
        self.delimited(';', |c| match c {
            Cell::Percent(_) | Cell::Threshold(_) => c.plain().replace('.', ","),
            other => other.plain(),
        })
    }

    /// The table with `separator` between fields and `number` writing the
    /// cells that are not text; text is guarded and quoted as needed.
    fn delimited(&self, separator: char, number: impl Fn(&Cell) -> String) -> String {
        let mut out = String::from(BOM);
        let sep = separator.to_string();
        let mut line = |cells: &mut dyn Iterator<Item = String>| {
            let fields: Vec<String> = cells.map(|c| csv_field(&c, separator)).collect();
            out.push_str(&fields.join(&sep));
            out.push_str("\r\n");
        };
        line(&mut self.columns.iter().map(|c| guard(c)));
        for row in &self.rows {
            line(&mut row.iter().map(|c| match c {
                Cell::Text(s) => guard(s),
                other => number(other),
            }));
        }
        out
    }
}

/// A text field as a spreadsheet may take it: with a single quote before
/// a leading `=`, `+`, `-`, `@`, tab or carriage return (see the module
/// documentation), else unchanged.
pub fn guard(s: &str) -> String {
    if s.starts_with(['=', '+', '-', '@', '\t', '\r']) {
        format!("'{s}")
    } else {
        s.to_string()
    }
}

/// One CSV field: quoted when it holds `separator`, a quote or a line
/// break.
fn csv_field(s: &str, separator: char) -> String {
    if s.contains([separator, '"', '\n', '\r']) {
        format!("\"{}\"", s.replace('"', "\"\""))
    } else {
        s.to_string()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn cells_show_dutch_and_write_plain() {
        let cases = [
            (Cell::Count(1234), "1.234", "1234"),
            (Cell::Percent(615), "61,5%", "61.5"),
            (Cell::Percent(1000), "100,0%", "100.0"),
            (Cell::Percent(5), "0,5%", "0.5"),
            (Cell::Threshold(7000), "70%", "70"),
            (Cell::Threshold(6255), "62,55%", "62.55"),
            (
                Cell::Verdict(crate::data::model::Verdict::ConformNorm),
                "conform norm",
                "conform norm",
            ),
            (Cell::Missing, "–", ""),
            (Cell::Text("a, \"b\"".into()), "a, \"b\"", "a, \"b\""),
        ];
        for (cell, shown, plain) in cases {
            assert_eq!(cell.display(), shown, "{cell:?}");
            assert_eq!(cell.plain(), plain, "{cell:?}");
        }
    }

    #[test]
    fn text_that_a_spreadsheet_would_run_is_guarded_and_numbers_are_not() {
        let t = DataTable {
            caption: "x".into(),
            columns: vec!["=Eenheid".into(), "Score (%)".into()],
            rows: vec![
                vec![Cell::Text("=HYPERLINK(\"x\")".into()), Cell::Percent(-5)],
                vec![Cell::Text("+31".into()), Cell::Count(3)],
                vec![Cell::Text("-a".into()), Cell::Missing],
                vec![Cell::Text("@b".into()), Cell::Missing],
                vec![Cell::Text("\tc".into()), Cell::Missing],
                vec![Cell::Text("a=b".into()), Cell::Missing],
            ],
        };
        assert_eq!(
            t.csv(),
            "\u{feff}'=Eenheid,Score (%)\r\n\"'=HYPERLINK(\"\"x\"\")\",-0.5\r\n'+31,3\r\n'-a,\r\n'@b,\r\n'\tc,\r\na=b,\r\n"
        );
    }

    #[test]
    fn csv_quotes_only_what_needs_it() {
        let t = DataTable {
            caption: "x".into(),
            columns: vec!["Eenheid".into(), "Score (%)".into()],
            rows: vec![
                vec![Cell::Text("Gelderland-Zuid".into()), Cell::Percent(615)],
                vec![Cell::Text("a,b \"c\"\nd".into()), Cell::Missing],
            ],
        };
        assert_eq!(
            t.csv(),
            "\u{feff}Eenheid,Score (%)\r\nGelderland-Zuid,61.5\r\n\"a,b \"\"c\"\"\nd\",\r\n"
        );
    }

    #[test]
    fn the_dutch_variant_separates_with_semicolons_and_a_decimal_comma() {
        let t = DataTable {
            caption: "x".into(),
            columns: vec![
                "Eenheid".into(),
                "Score (%)".into(),
                "Norm (%)".into(),
                "Zaken".into(),
            ],
            rows: vec![
                vec![
                    Cell::Text("a;b, c".into()),
                    Cell::Percent(-615),
                    Cell::Threshold(6255),
                    Cell::Count(1234),
                ],
                vec![
                    Cell::Text("=1+1".into()),
                    Cell::Missing,
                    Cell::Threshold(7000),
                    Cell::Count(0),
                ],
            ],
        };
        assert_eq!(
            t.csv_dutch(),
            "\u{feff}Eenheid;Score (%);Norm (%);Zaken\r\n\"a;b, c\";-61,5;62,55;1234\r\n'=1+1;;70;0\r\n"
        );
    }
}
