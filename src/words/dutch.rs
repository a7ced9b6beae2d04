//! Dutch formatting of numbers, percentages, dates and lists, and the
//! grammar of every generated sentence: counts with their nouns (singular
//! and plural, zero as "geen"), verbs that agree, articles of unit names,
//! and numerals bound to their nouns by a non-breaking space.
//!
//! Rules (house-style-facts, section 3): numbers in figures with a point
//! between thousands; a numeral stays on the line of its noun; no generated
//! sentence starts with a numeral; an abbreviation takes the article of its
//! head noun ("het KLPD", "de KMar").

use crate::data::model::{Article, Date, Verdict};
use crate::data::values::{Trend, VerdictCounts};

/// The months' names, January first, as dates are written.
pub const MONTHS: [&str; 12] = [
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

/// The non-breaking space that keeps a numeral on the line of its noun.
pub const NBSP: char = '\u{a0}';

/// A count with its noun, the numeral bound to the noun by a non-breaking
/// space: `0` -> "geen korps", `1` -> "1 korps", `9` -> "9 korpsen".
/// "geen" takes the singular, as in "geen korps presteert".
pub fn count(n: u64, singular: &str, plural: &str) -> String {
    match n {
        0 => format!("geen{NBSP}{singular}"),
        1 => format!("1{NBSP}{singular}"),
        _ => format!("{}{NBSP}{plural}", number(n as i64)),
    }
}

/// The form that agrees with a count: `singular` for 0 and 1 (Dutch "geen"
/// and "1" take the singular), else `plural`.
pub fn agree<'a>(n: u64, singular: &'a str, plural: &'a str) -> &'a str {
    if n <= 1 { singular } else { plural }
}

/// The first letter in upper case, for a phrase that starts a sentence:
/// "het KLPD" -> "Het KLPD". Other letters are kept as written.
pub fn capitalise(s: &str) -> String {
    let mut chars = s.chars();
    match chars.next() {
        Some(c) => c.to_uppercase().chain(chars).collect(),
        None => String::new(),
    }
}

/// A name with its article, as running text needs it: (`Some(Het)`,
/// "KLPD") -> "het KLPD"; without an article the name alone.
pub fn with_article(article: Option<Article>, name: &str) -> String {
    match article {
        Some(a) => format!("{} {name}", a.word()),
        None => name.to_string(),
    }
}

/// Binds every numeral in `text` to the word after it with a non-breaking
/// space, so that a line never ends between "9" and "korpsen". A numeral is
/// a run of digits, possibly with thousands points or a decimal comma
/// inside ("1.234", "61,5"); it binds only to a following letter or `%`.
pub fn bind_numerals(text: &str) -> String {
    let chars: Vec<char> = text.chars().collect();
    let mut out = String::with_capacity(text.len());
    for (i, &c) in chars.iter().enumerate() {
        let after_numeral = i > 0 && chars[i - 1].is_ascii_digit();
        let before_word = chars
            .get(i + 1)
            .is_some_and(|n| n.is_alphabetic() || *n == '%');
        if c == ' ' && after_numeral && before_word {
            out.push(NBSP);
        } else {
            out.push(c);
        }
    }
    out
}

/// A verdict clause for `n` units, in the present tense, for a sentence
/// that names the group first: (conform norm, 1) -> "presteert er 1
/// conform norm".
fn verdict_clause(v: Verdict, n: u64) -> String {
    let num = number(n as i64);
    match v {
        Verdict::ConformNorm => format!(
            "{} er {num}{NBSP}conform norm",
            agree(n, "presteert", "presteren")
        ),
        Verdict::Aandacht => format!(
            "{} er {num}{NBSP}aandacht besteden aan een of meer dimensies",
            agree(n, "moet", "moeten")
        ),
        Verdict::Onvoldoende => format!(
            "{} er {num}{NBSP}onvoldoende",
            agree(n, "presteert", "presteren")
        ),
    }
}

/// What a unit, or all units of a group, do under a verdict, without a
/// subject: (aandacht, plural) -> "moeten aandacht besteden aan een of meer
/// dimensies".
fn verdict_predicate(v: Verdict, plural: bool) -> String {
    let p = |s: &'static str, pl: &'static str| if plural { pl } else { s };
    match v {
        Verdict::ConformNorm => format!("{} conform norm", p("presteert", "presteren")),
        Verdict::Aandacht => format!(
            "{} aandacht besteden aan een of meer dimensies",
            p("moet", "moeten")
        ),
        Verdict::Onvoldoende => format!("{} onvoldoende", p("presteert", "presteren")),
    }
}

/// The sentence on a group's overall verdicts, correct for every count.
///
/// `group` is the group's plural name ("regiokorpsen"); `only` the one
/// unit's name with its article, used when the group has exactly one unit
/// (a group name has no singular in the data). Counts of zero are left out
/// of the list of clauses; the table beside the sentence shows them.
/// Examples: "Van de 25 regiokorpsen presteren er 12 conform norm, moeten er
/// 9 aandacht besteden aan een of meer dimensies en presteren er 4
/// onvoldoende."; "Beide landelijke diensten moeten aandacht besteden aan
/// een of meer dimensies."; "Het KLPD is als enige van de landelijke
/// diensten beoordeeld en moet aandacht besteden aan een of meer dimensies."
pub fn verdicts_sentence(group: &str, only: Option<&str>, counts: &VerdictCounts) -> String {
    let total = u64::from(counts.conform_norm + counts.aandacht + counts.onvoldoende);
    let present: Vec<(Verdict, u64)> = Verdict::ALL
        .iter()
        .map(|&v| (v, u64::from(counts.get(v))))
        .filter(|(_, n)| *n > 0)
        .collect();
    match (total, present.as_slice(), only) {
        (0, _, _) => format!("Er zijn geen {group} beoordeeld."),
        // A group named as its one unit ("de Landelijke Eenheid"): the unit
        // alone, not "als enige van de Landelijke Eenheid".
        (1, [(v, _)], Some(name))
            if name
                .trim_start_matches("de ")
                .trim_start_matches("het ")
                .eq_ignore_ascii_case(group) =>
        {
            format!("{} {}.", capitalise(name), verdict_predicate(*v, false))
        }
        (1, [(v, _)], Some(name)) => format!(
            "{} is als enige van de {group} beoordeeld en {}.",
            capitalise(name),
            verdict_predicate(*v, false)
        ),
        (2, [(v, _)], _) => format!("Beide {group} {}.", verdict_predicate(*v, true)),
        (_, [(v, _)], _) if total > 2 => format!(
            "Alle {}{NBSP}{group} {}.",
            number(total as i64),
            verdict_predicate(*v, true)
        ),
        _ => {
            let clauses: Vec<String> = present
                .iter()
                .map(|(v, n)| verdict_clause(*v, *n))
                .collect();
            format!(
                "Van de {}{NBSP}{group} {}.",
                number(total as i64),
                list(&clauses)
            )
        }
    }
}

/// The verdict counts of an earlier year as a sentence, naming the units
/// they count (`units` of the `groups` of that edition, which need not be
/// this edition's): "In 2008 was de verdeling over de 25 regiokorpsen:
/// 6 conform norm, 14 aandacht en 5 onvoldoende."
pub fn previous_verdicts_sentence(
    year: u16,
    units: u32,
    groups: &str,
    counts: &VerdictCounts,
) -> String {
    let parts: Vec<String> = Verdict::ALL
        .iter()
        .map(|&v| format!("{}{NBSP}{}", number(i64::from(counts.get(v))), v.label()))
        .collect();
    format!(
        "In {year} was de verdeling over de {}{NBSP}{groups}: {}.",
        number(i64::from(units)),
        list(&parts)
    )
}

/// How a unit's verdicts changed since the previous edition, in words that
/// never contradict the verdicts printed beside them: a changed overall
/// verdict is "verbeterd" or "verslechterd"; with the same overall verdict
/// the dimensions that moved are counted ("verbeterd op 2 dimensies",
/// "verbeterd op 2 dimensies, verslechterd op 1 dimensie"), else
/// "ongewijzigd".
/// `dimensions` gives, per comparable dimension, its change.
pub fn change(trend: Trend, now: Verdict, before: Option<Verdict>, dimensions: &[Trend]) -> String {
    if trend == Trend::New || before.is_none() {
        return "nieuw".into();
    }
    match before.map(|b| now.cmp(&b)) {
        Some(std::cmp::Ordering::Greater) => return "verbeterd".into(),
        Some(std::cmp::Ordering::Less) => return "verslechterd".into(),
        _ => {}
    }
    let up = dimensions.iter().filter(|t| **t == Trend::Better).count() as u64;
    let down = dimensions.iter().filter(|t| **t == Trend::Worse).count() as u64;
    // "Verbeterd" is said of the overall verdict alone; moves of the
    // dimensions under an unchanged one are named as such.
    let dims = |n: u64| format!("{n}{NBSP}{}", agree(n, "dimensie", "dimensies"));
    match (up, down) {
        (0, 0) => "ongewijzigd".into(),
        (u, 0) => format!("ongewijzigd, beter op {}", dims(u)),
        (0, d) => format!("ongewijzigd, slechter op {}", dims(d)),
        (u, d) => format!("ongewijzigd, beter op {}, slechter op {}", dims(u), dims(d)),
    }
}

/// Whether a word is a numeral: digits, possibly with points or commas
/// inside ("337", "1.234", "61,5").
fn is_numeral(word: &str) -> bool {
    word.starts_with(|c: char| c.is_ascii_digit())
        && word.ends_with(|c: char| c.is_ascii_digit())
        && word
            .chars()
            .all(|c| c.is_ascii_digit() || c == '.' || c == ',')
}

/// Abbreviations after which a point does not end a sentence.
const ABBREVIATIONS: [&str; 12] = [
    "nr", "art", "blz", "p", "pag", "jl", "vgl", "bijv", "ca", "resp", "o.a", "m.b.t",
];

/// The places where running text breaks the numeral rules of the house
/// style: a sentence that starts with a numeral ("9 korpsen moeten ..."),
/// and two numerals side by side ("in 2010 337 verdachten"). Each finding
/// is a message quoting the words; none for clean text.
pub fn numeral_problems(text: &str) -> Vec<String> {
    let mut out = Vec::new();
    let words: Vec<&str> = text
        .split(|c: char| c.is_whitespace())
        .filter(|w| !w.is_empty())
        .collect();
    let paragraph_starts: Vec<usize> = {
        // Word indices that open a paragraph (after a blank line).
        let mut starts = vec![0];
        let mut count = 0;
        for (i, para) in text.split("\n\n").enumerate() {
            if i > 0 {
                starts.push(count);
            }
            count += para
                .split(|c: char| c.is_whitespace())
                .filter(|w| !w.is_empty())
                .count();
        }
        starts
    };
    for (i, w) in words.iter().enumerate() {
        let bare = w.trim_matches(|c: char| "(\u{2018}\u{201c}'\"".contains(c));
        let lead = bare.split(['\u{a0}']).next().unwrap_or_default();
        let starts_sentence = paragraph_starts.contains(&i)
            || i.checked_sub(1).is_some_and(|j| {
                let prev = words[j];
                let ends = prev.ends_with(['.', '?', '!']);
                let abbreviation = ABBREVIATIONS
                    .iter()
                    .any(|a| prev.trim_end_matches('.').eq_ignore_ascii_case(a));
                ends && !abbreviation
            });
        let numeral = is_numeral(lead.trim_end_matches([',', ';', ':', '.']));
        if starts_sentence && numeral {
            out.push(format!(
                "a sentence starts with the numeral in \"{}\"",
                words[i..(i + 3).min(words.len())]
                    .join(" ")
                    .replace(NBSP, " ")
            ));
        }
        if let Some(next) = words.get(i + 1)
            && is_numeral(w)
            && is_numeral(
                next.split(NBSP)
                    .next()
                    .unwrap_or_default()
                    .trim_end_matches([',', ';', ':', '.']),
            )
        {
            out.push(format!(
                "two numbers side by side in \"{} {}\"",
                w,
                next.replace(NBSP, " ")
            ));
        }
    }
    out
}

/// The count a word or numeral writes: "vijf", "één", "Twee", "12",
/// "1.234"; `None` for any other word. Words up to twenty, as
/// [`count_word`] writes them; "een" is the article, only "één" counts.
pub fn count_value(word: &str) -> Option<u64> {
    let lower = word.to_lowercase();
    let lower = match lower.as_str() {
        "een" => return None,
        "één" => "een".to_string(),
        _ => lower,
    };
    if let Some(n) = (0..=20).find(|&n| count_word(n) == lower) {
        return Some(n);
    }
    let digits = lower.replace('.', "");
    if digits.is_empty() || !digits.chars().all(|c| c.is_ascii_digit()) || lower.starts_with('.') {
        return None;
    }
    digits.parse().ok()
}

/// What a unit that continues the units `names` of the edition of `year`
/// is compared with: "Groningen in 2012", or for several "het gemiddelde
/// van Groningen, Friesland en Drenthe in 2012".
pub fn compared_with<S: AsRef<str>>(names: &[S], year: u16) -> String {
    match names {
        [one] => format!("{} in {year}", one.as_ref()),
        _ => format!("het gemiddelde van {} in {year}", list(names)),
    }
}

/// The Dutch ordinal of `n` in words up to ten ("tweede"), else in
/// figures ("11e"), for "voor de tweede keer op rij".
pub fn ordinal(n: usize) -> String {
    match n {
        0 => "nulde".into(),
        1 => "eerste".into(),
        2 => "tweede".into(),
        3 => "derde".into(),
        4 => "vierde".into(),
        5 => "vijfde".into(),
        6 => "zesde".into(),
        7 => "zevende".into(),
        8 => "achtste".into(),
        9 => "negende".into(),
        10 => "tiende".into(),
        n => format!("{n}e"),
    }
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

    fn counts(c: u32, a: u32, o: u32) -> VerdictCounts {
        VerdictCounts {
            conform_norm: c,
            aandacht: a,
            onvoldoende: o,
            not_applicable: 0,
        }
    }

    /// The sentence with non-breaking spaces shown as `~`.
    fn shown(s: String) -> String {
        s.replace(NBSP, "~")
    }

    #[test]
    fn counts_take_singular_or_plural() {
        assert_eq!(shown(count(0, "korps", "korpsen")), "geen~korps");
        assert_eq!(shown(count(1, "korps", "korpsen")), "1~korps");
        assert_eq!(shown(count(2, "korps", "korpsen")), "2~korpsen");
        assert_eq!(shown(count(1234, "zaak", "zaken")), "1.234~zaken");
        assert_eq!(agree(0, "moet", "moeten"), "moet");
        assert_eq!(agree(1, "moet", "moeten"), "moet");
        assert_eq!(agree(2, "moet", "moeten"), "moeten");
        assert_eq!(agree(25, "moet", "moeten"), "moeten");
    }

    #[test]
    fn articles_and_capitals() {
        assert_eq!(with_article(Some(Article::Het), "KLPD"), "het KLPD");
        assert_eq!(with_article(Some(Article::De), "KMar"), "de KMar");
        assert_eq!(with_article(None, "Drenthe"), "Drenthe");
        assert_eq!(capitalise("het KLPD en de KMar"), "Het KLPD en de KMar");
        assert_eq!(capitalise("IJsselland"), "IJsselland");
        assert_eq!(capitalise(""), "");
    }

    #[test]
    fn numerals_bind_to_the_next_word() {
        assert_eq!(
            shown(bind_numerals("norm. 9 korpsen moeten, 1.234 zaken, 61,5 %")),
            "norm. 9~korpsen moeten, 1.234~zaken, 61,5~%"
        );
        // Numbers before numbers or punctuation are left alone.
        assert_eq!(shown(bind_numerals("6, 14 en 5")), "6, 14~en 5");
        assert_eq!(bind_numerals("geen getal"), "geen getal");
    }

    #[test]
    fn verdict_sentences_are_dutch_for_every_count() {
        let s = |g: &str, only: Option<&str>, c, a, o| {
            shown(verdicts_sentence(g, only, &counts(c, a, o)))
        };
        assert_eq!(
            s("regiokorpsen", None, 12, 9, 4),
            "Van de 25~regiokorpsen presteren er 12~conform norm, moeten er 9~aandacht \
             besteden aan een of meer dimensies en presteren er 4~onvoldoende."
        );
        assert_eq!(
            s("landelijke diensten", None, 1, 1, 0),
            "Van de 2~landelijke diensten presteert er 1~conform norm en moet er 1~aandacht \
             besteden aan een of meer dimensies."
        );
        assert_eq!(
            s("landelijke diensten", None, 0, 2, 0),
            "Beide landelijke diensten moeten aandacht besteden aan een of meer dimensies."
        );
        assert_eq!(
            s("regiokorpsen", None, 0, 0, 3),
            "Alle 3~regiokorpsen presteren onvoldoende."
        );
        assert_eq!(
            s("landelijke diensten", Some("het KLPD"), 0, 1, 0),
            "Het KLPD is als enige van de landelijke diensten beoordeeld en moet aandacht \
             besteden aan een of meer dimensies."
        );
        assert_eq!(
            s("landelijke diensten", Some("de KMar"), 1, 0, 0),
            "De KMar is als enige van de landelijke diensten beoordeeld en presteert conform norm."
        );
        assert_eq!(
            s("regiokorpsen", None, 0, 0, 0),
            "Er zijn geen regiokorpsen beoordeeld."
        );
        for (c, a, o) in [
            (0, 0, 1),
            (1, 0, 0),
            (2, 0, 0),
            (0, 1, 1),
            (5, 0, 7),
            (30, 40, 50),
        ] {
            let text = verdicts_sentence("korpsen", Some("Alfa"), &counts(c, a, o));
            assert!(!text.starts_with(|ch: char| ch.is_ascii_digit()), "{text}");
            assert!(
                !text.contains(" 1 korpsen") && !text.contains("er 1 conform"),
                "{text}"
            );
            for w in text.split(' ') {
                assert!(
                    !w.chars().all(|ch| ch.is_ascii_digit()),
                    "a lone numeral in {text}"
                );
            }
        }
        assert_eq!(
            shown(previous_verdicts_sentence(
                2008,
                20,
                "regiokorpsen",
                &counts(6, 14, 0)
            )),
            "In 2008 was de verdeling over de 20~regiokorpsen: 6~conform norm, 14~aandacht en 0~onvoldoende."
        );
    }

    #[test]
    fn change_words_agree_with_the_verdicts() {
        use Trend::{Better, New, Same, Worse};
        use Verdict::{Aandacht as A, ConformNorm as C, Onvoldoende as O};
        assert_eq!(change(Better, C, Some(A), &[Better, Worse]), "verbeterd");
        assert_eq!(change(Worse, O, Some(A), &[Better]), "verslechterd");
        // An unchanged overall verdict is "ongewijzigd"; its dimensions'
        // moves are named as such, never as "verbeterd".
        assert_eq!(
            shown(change(Same, A, Some(A), &[Better, Better, Same])),
            "ongewijzigd, beter op 2~dimensies"
        );
        assert_eq!(
            shown(change(Same, A, Some(A), &[Worse, Same])),
            "ongewijzigd, slechter op 1~dimensie"
        );
        assert_eq!(
            shown(change(Same, A, Some(A), &[Better, Better, Worse])),
            "ongewijzigd, beter op 2~dimensies, slechter op 1~dimensie"
        );
        assert_eq!(change(Same, A, Some(A), &[Same, Same]), "ongewijzigd");
        assert_eq!(change(New, A, None, &[]), "nieuw");
    }

    #[test]
    fn numeral_rules_are_checked_in_running_text() {
        assert_eq!(
            numeral_problems(
                "Van de 25 korpsen presteren er 12 conform de norm. 9 korpsen moeten meer doen."
            ),
            ["a sentence starts with the numeral in \"9 korpsen moeten\""]
        );
        assert_eq!(
            numeral_problems("Landelijk bracht de politie in 2010 337 verdachten in beeld."),
            ["two numbers side by side in \"2010 337\""]
        );
        assert_eq!(
            numeral_problems("12 korpsen.\n\nDaarna."),
            ["a sentence starts with the numeral in \"12 korpsen. Daarna.\""]
        );
        // Lists, dates, abbreviations and numbers bound to nouns are fine.
        assert!(
            numeral_problems("Die aantallen waren 6, 14 en 5 op 6 juli 2011, zie nr. 103.")
                .is_empty()
        );
        assert!(
            numeral_problems("Van de 25\u{a0}korpsen presteren er 12\u{a0}conform norm.")
                .is_empty()
        );
    }
}
