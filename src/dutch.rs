//! Dutch formatting of numbers, percentages, dates and lists.

use crate::model::Date;

const MONTHS: [&str; 12] = [
    "januari",
    "februari",
    "maart",
    "april",
    "mei",
    "juni",
    "juli",
    "augustus",
    "september",
    "oktober",
    "november",
    "december",
];

/// A whole number with a point between thousands: `1234` -> "1.234".
pub fn number(n: i64) -> String {
    let digits = n.unsigned_abs().to_string();
    let mut out = String::new();
    for (i, c) in digits.chars().enumerate() {
        if i > 0 && (digits.len() - i).is_multiple_of(3) {
            out.push('.');
        }
        out.push(c);
    }
    if n < 0 { format!("-{out}") } else { out }
}

/// A percentage given in tenths with a decimal comma: `615` -> "61,5%".
pub fn percent_tenths(tenths: i64) -> String {
    format!("{}%", decimal_tenths(tenths))
}

/// A number given in tenths with a decimal comma: `615` -> "61,5", `600` -> "60,0".
pub fn decimal_tenths(tenths: i64) -> String {
    let sign = if tenths < 0 { "-" } else { "" };
    let abs = tenths.unsigned_abs();
    format!("{sign}{},{}", number((abs / 10) as i64), abs % 10)
}

/// A decimal in hundredths without trailing zeros: `6250` -> "62,5", `7000` -> "70".
pub fn decimal_hundredths(hundredths: i64) -> String {
    let sign = if hundredths < 0 { "-" } else { "" };
    let abs = hundredths.unsigned_abs();
    let int = number((abs / 100) as i64);
    match abs % 100 {
        0 => format!("{sign}{int}"),
        f if f % 10 == 0 => format!("{sign}{int},{}", f / 10),
        f => format!("{sign}{int},{f:02}"),
    }
}

/// A date in words: "6 juli 2011".
pub fn date(d: Date) -> String {
    format!("{} {} {}", d.day, MONTHS[usize::from(d.month - 1)], d.year)
}

/// A list joined the Dutch way: "a", "a en b", "a, b en c".
pub fn list<S: AsRef<str>>(items: &[S]) -> String {
    match items {
        [] => String::new(),
        [one] => one.as_ref().to_string(),
        [init @ .., last] => {
            let init: Vec<&str> = init.iter().map(AsRef::as_ref).collect();
            format!("{} en {}", init.join(", "), last.as_ref())
        }
    }
}

/// A number in words for small counts ("twee"), digits from 21 on; as
/// Dutch house style writes counts in running text.
pub fn count_word(n: u64) -> String {
    const WORDS: [&str; 21] = [
        "nul",
        "een",
        "twee",
        "drie",
        "vier",
        "vijf",
        "zes",
        "zeven",
        "acht",
        "negen",
        "tien",
        "elf",
        "twaalf",
        "dertien",
        "veertien",
        "vijftien",
        "zestien",
        "zeventien",
        "achttien",
        "negentien",
        "twintig",
    ];
    WORDS
        .get(n as usize)
        .map(|w| w.to_string())
        .unwrap_or_else(|| number(n as i64))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn numbers_use_points_and_commas() {
        assert_eq!(number(0), "0");
        assert_eq!(number(337), "337");
        assert_eq!(number(1234), "1.234");
        assert_eq!(number(1_234_567), "1.234.567");
        assert_eq!(number(-1234), "-1.234");
        assert_eq!(percent_tenths(615), "61,5%");
        assert_eq!(percent_tenths(1000), "100,0%");
        assert_eq!(percent_tenths(5), "0,5%");
        assert_eq!(decimal_hundredths(6250), "62,5");
        assert_eq!(decimal_hundredths(7000), "70");
        assert_eq!(decimal_hundredths(150), "1,5");
        assert_eq!(decimal_hundredths(5), "0,05");
    }

    #[test]
    fn dates_in_words() {
        assert_eq!(
            date(Date {
                year: 2011,
                month: 7,
                day: 6
            }),
            "6 juli 2011"
        );
        assert_eq!(
            date(Date {
                year: 2013,
                month: 10,
                day: 24
            }),
            "24 oktober 2013"
        );
    }

    #[test]
    fn lists_end_with_en() {
        assert_eq!(list::<&str>(&[]), "");
        assert_eq!(list(&["IJsselland"]), "IJsselland");
        assert_eq!(list(&["a", "b"]), "a en b");
        assert_eq!(
            list(&["IJsselland", "Gelderland-Midden", "Limburg-Zuid"]),
            "IJsselland, Gelderland-Midden en Limburg-Zuid"
        );
        assert_eq!(count_word(12), "twaalf");
        assert_eq!(count_word(25), "25");
    }
}
