//! The proof that text from YAML is data: arbitrary findings go through the
//! real path (inline subset -> Typst literals -> house style -> Typst ->
//! PDF) and come back out of the PDF as the same characters.

use std::collections::BTreeMap;

use korpsmonitor::data::model::Date;
use korpsmonitor::render::{Block, Templates, prose, to_typst};
use korpsmonitor::typeset::{Document, FontSet, PdfSettings, Typesetter};
use proptest::prelude::*;

use crate::pdf::fold;

/// Characters from across Unicode: every Typst-special ASCII character,
/// Latin, Greek, Cyrillic, Hebrew and Arabic letters, combining-free marks,
/// digits, punctuation, symbols, arrows, currency and emoji.
fn interesting_char() -> impl Strategy<Value = char> {
    prop_oneof![
        4 => prop::sample::select("#$*_<>@[]\\/=-+~\"'`{}()^&%!?.,;:|".chars().collect::<Vec<_>>()),
        4 => prop::char::range('a', 'z'),
        2 => prop::char::range('A', 'Z'),
        2 => prop::char::range('0', '9'),
        2 => prop::char::range('\u{00c0}', '\u{017f}'),
        1 => prop::char::range('\u{0391}', '\u{03c9}'),
        1 => prop::char::range('\u{0410}', '\u{044f}'),
        1 => prop::char::range('\u{05d0}', '\u{05ea}'),
        1 => prop::char::range('\u{0627}', '\u{064a}'),
        1 => prop::sample::select("€£¥§©®°±×÷→←↑↓∑∞≠≤≥•–—…‰".chars().collect::<Vec<_>>()),
        1 => prop::char::range('\u{1f600}', '\u{1f64f}'),
        3 => Just(' '),
        1 => Just('\n'),
    ]
    .prop_filter("no lone surrogates", |c| !c.is_control() || *c == '\n')
}

fn finding() -> impl Strategy<Value = String> {
    prop_oneof![
        8 => prop::collection::vec(interesting_char(), 0..120).prop_map(|v| v.into_iter().collect()),
        1 => "[a-z]{60,90}".prop_map(|s| s),
        1 => Just(String::new()),
    ]
}

/// The characters the subset keeps: the text of every run.
fn runs_text(blocks: &[Block]) -> String {
    let mut s = String::new();
    for b in blocks {
        match b {
            Block::Paragraph { runs } => runs.iter().for_each(|r| s.push_str(&r.text)),
            Block::List { items } => {
                for item in items {
                    item.iter().for_each(|r| s.push_str(&r.text));
                    s.push(' ');
                }
            }
        }
        s.push(' ');
    }
    s
}

fn document(typesetter: &Typesetter, blocks: &[Block]) -> Document {
    let literal = to_typst(&blocks).unwrap();
    let source = format!(
        "#import \"style.typ\": prose\n#set document(title: \"t\")\n#set text(font: \"{}\", lang: \"nl\", hyphenate: false)\n#set page(width: 30cm, height: auto, margin: 1cm)\n#prose({literal})\n",
        typesetter.fonts().family()
    );
    let mut doc = Document::new(
        "main.typ",
        Date {
            year: 2030,
            month: 1,
            day: 1,
        },
    );
    let (source, _) = typesetter.fonts().printable(&source);
    doc.insert("main.typ", source.into_owned().into_bytes());
    // The house style: style.typ and the settings it reads.
    let templates = Templates::embedded();
    for (name, text) in templates.typst_files() {
        doc.insert(name, text.as_bytes().to_vec());
    }
    doc
}

fn typeset(typesetter: &Typesetter, blocks: &[Block]) -> Vec<u8> {
    typesetter
        .compile_pdf(&document(typesetter, blocks), &PdfSettings::new("property"))
        .unwrap_or_else(|e| panic!("{e}"))
}

fn multiset(s: &str) -> BTreeMap<char, usize> {
    let mut m = BTreeMap::new();
    for c in s.chars().filter(|c| !c.is_whitespace()) {
        *m.entry(c).or_insert(0) += 1;
    }
    m
}

fn is_rtl(c: char) -> bool {
    ('\u{0590}'..='\u{08ff}').contains(&c)
}

proptest! {
    #![proptest_config(ProptestConfig { cases: crate::support::cases(256), failure_persistence: None, ..ProptestConfig::default() })]

    #[test]
    fn typeset_findings_hold_the_same_characters(text in finding()) {
        thread_local! {
            static TYPESETTER: Typesetter = Typesetter::new(FontSet::embedded());
        }
        let blocks = prose(&text);
        let expected = runs_text(&blocks);
        TYPESETTER.with(|t| {
            // The PDF must export (PDF/A and PDF/UA hold for any text) ...
            let _pdf = typeset(t, &blocks);
            // ... and its laid-out glyph runs hold the text.
            let got = t.laid_out_text(&document(t, &blocks)).unwrap();
            // Characters no font has are printed as U+FFFD, never dropped.
            let (want, _) = t.fonts().printable(&expected);
            let have = got;
            // Same characters, each as often as written; a bullet list adds
            // one marker per item.
            let items: usize = blocks
                .iter()
                .map(|b| match b {
                    Block::List { items } => items.len(),
                    Block::Paragraph { .. } => 0,
                })
                .sum();
            let mut have_set = multiset(&have);
            if items > 0 {
                let n = have_set.get(&'•').copied().unwrap_or(0);
                prop_assert!(n >= items, "list markers missing: {:?}", text);
                if n == items {
                    have_set.remove(&'•');
                } else {
                    have_set.insert('•', n - items);
                }
            }
            prop_assert_eq!(multiset(&want), have_set, "text {:?}", text);
            // And in the same order, where no right-to-left script reorders
            // them and no list marker stands between.
            if items == 0 && !want.chars().any(is_rtl) {
                let squash = |s: &str| fold(s).replace(' ', "");
                prop_assert_eq!(squash(&want), squash(&have), "text {:?}", text);
            }
            Ok(())
        })?;
    }
}

#[test]
fn every_typst_special_character_prints_literally() {
    let typesetter = Typesetter::new(FontSet::embedded());
    let text = "#read(\"/etc/passwd\") #import \"x.typ\" #include \"y\" `raw` ```rust x``` <lbl> @lbl #show: none $x^2$ *a* _b_ [c] \\d // e = f - g + h ~ i";
    let blocks = prose(text);
    let pdf = typeset(&typesetter, &blocks);
    let got = fold(&pdf_extract::extract_text_from_mem(&pdf).unwrap());
    // `*a*` is the subset's emphasis; every other character stays.
    let want = fold(&runs_text(&blocks));
    assert_eq!(want.replace(' ', ""), got.replace(' ', ""));
    assert!(got.contains("#read(“/etc/passwd”)"), "{got}");
}
