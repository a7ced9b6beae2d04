//! The letters' template contexts and their placeholders.
//!
//! A letter body in `letter.yaml` is prose with `{{ placeholders }}` for
//! computed figures. Placeholders are filled by a separate minijinja
//! environment that can reach only the figures below, with strict
//! undefined values: an unknown placeholder or filter is an error that
//! points to its line in `letter.yaml`. The result is plain prose, parsed
//! into the inline subset and passed to Typst as data like every other text.
//!
//! Filled text follows the Dutch rules of [`crate::words::dutch`]: every numeral is
//! bound to the word after it by a non-breaking space, and the `count`,
//! `agree` and `capitalise` filters give a text the right form for every
//! count. A footnote mark (`{{ footnote(1) }}`) becomes a real footnote, set
//! at the foot of the page that holds the mark.

use std::collections::{BTreeMap, HashMap};

use minijinja::Value;
use minijinja::value::merge_maps;
use serde::Serialize;

use crate::base::diagnostics::Diagnostic;
use crate::data::load::Located;
use crate::data::model::{LetterFile, LetterLayout, ManagerLetters, ReferenceScheme};
use crate::figures::scored::{ScoredEdition, ScoredUnit};
use crate::render::context::ChartCtx;
use crate::render::context::report::{Meta, UnitCtx};
use crate::render::placeholders::{
    Placeholders, UnitFigures, figures, footnote_mark, unit_figures,
};
use crate::render::{Block, prose};
use crate::words::dutch;

/// A run of letter text: plain or emphasised, or a footnote at its mark.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct LetterRun {
    /// The characters, exactly as written.
    pub text: String,
    /// Whether the run is emphasised.
    pub emph: bool,
    /// The footnote's text, when this run is a footnote mark.
    pub note: Option<String>,
}

/// A block of letter prose: a paragraph or a bullet list, like
/// [`Block`], with footnotes at their marks.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(tag = "kind", rename_all = "snake_case")]
pub enum LetterBlock {
    /// A paragraph of runs.
    Paragraph {
        /// The runs.
        runs: Vec<LetterRun>,
    },
    /// A bullet list; each item a sequence of runs.
    List {
        /// The items.
        items: Vec<Vec<LetterRun>>,
    },
}

/// Filled letter text as prose blocks, each footnote mark replaced by a
/// run that carries its note (`notes[n - 1]`).
pub fn letter_prose(text: &str, notes: &[String]) -> Vec<LetterBlock> {
    let runs = |rs: Vec<crate::render::Run>| -> Vec<LetterRun> {
        let mut out = Vec::new();
        for r in rs {
            let mut plain = String::new();
            for c in r.text.chars() {
                match footnote_mark(c) {
                    Some(n) => {
                        if !plain.is_empty() {
                            out.push(LetterRun {
                                text: std::mem::take(&mut plain),
                                emph: r.emph,
                                note: None,
                            });
                        }
                        out.push(LetterRun {
                            text: String::new(),
                            emph: false,
                            note: Some(notes.get(n - 1).cloned().unwrap_or_default()),
                        });
                    }
                    None => plain.push(c),
                }
            }
            if !plain.is_empty() {
                out.push(LetterRun {
                    text: plain,
                    emph: r.emph,
                    note: None,
                });
            }
        }
        out
    };
    prose(text)
        .into_iter()
        .map(|b| match b {
            Block::Paragraph { runs: rs } => LetterBlock::Paragraph { runs: runs(rs) },
            Block::List { items } => LetterBlock::List {
                items: items.into_iter().map(runs).collect(),
            },
        })
        .collect()
}

/// The footnote numbers marked in filled text, in order.
fn marks(text: &str) -> Vec<usize> {
    text.chars().filter_map(footnote_mark).collect()
}

/// Each manager letter's kenmerk, by unit id, in report order: from the
/// scheme in `letter.yaml` (a first number counted up, or a pattern).
/// `None` without a scheme; an error message when the scheme is unusable.
pub fn manager_references(
    scheme: Option<&ReferenceScheme>,
    units: &[&ScoredUnit],
) -> Result<Vec<(String, String)>, String> {
    let Some(scheme) = scheme else {
        return Ok(Vec::new());
    };
    match (&scheme.first, &scheme.pattern) {
        (Some(first), None) => {
            if first.is_empty() || !first.chars().all(|c| c.is_ascii_digit()) {
                return Err(format!(
                    "`first` must be digits only, so that it can be counted up; found '{first}'"
                ));
            }
            let width = first.len();
            let start: u128 = first
                .parse()
                .map_err(|_| format!("`first` is too long: '{first}'"))?;
            Ok(units
                .iter()
                .enumerate()
                .map(|(i, u)| (u.id.clone(), format!("{:0width$}", start + i as u128)))
                .collect())
        }
        (None, Some(pattern)) => {
            if !pattern.contains("{n}") && !pattern.contains("{unit}") {
                return Err(format!(
                    "the pattern '{pattern}' has neither {{n}} nor {{unit}}: every letter would get the same kenmerk"
                ));
            }
            Ok(units
                .iter()
                .enumerate()
                .map(|(i, u)| {
                    let r = pattern
                        .replace("{n}", &(i + 1).to_string())
                        .replace("{unit}", &u.id);
                    (u.id.clone(), r)
                })
                .collect())
        }
        (Some(_), Some(_)) => Err("set either `first` or `pattern`, not both".into()),
        (None, None) => Err("set `first` (a number counted up) or `pattern`".into()),
    }
}

/// The units that receive a manager letter, in report order.
fn letter_units(scored: &ScoredEdition) -> Vec<&ScoredUnit> {
    scored.units.iter().filter(|u| u.not_conform()).collect()
}

/// The parliamentary year with an en dash, "2013–2014", when `session` gives
/// two consecutive years (with an en dash or a hyphen).
pub fn session(session: &str) -> Option<String> {
    let (a, b) = session.trim().split_once(['–', '-'])?;
    let (a, b) = (a.trim(), b.trim());
    let ok = |s: &str| s.len() == 4 && s.chars().all(|c| c.is_ascii_digit());
    if !ok(a) || !ok(b) {
        return None;
    }
    let (ya, yb): (u32, u32) = (a.parse().ok()?, b.parse().ok()?);
    (yb == ya + 1).then(|| format!("{a}\u{2013}{b}"))
}

/// A kamerstuk's head and footer, ready to print.
#[derive(Debug, Clone, Serialize)]
pub struct KamerstukHead {
    /// "Tweede Kamer der Staten-Generaal".
    pub chamber: String,
    /// "Vergaderjaar 2013–2014".
    pub session: String,
    /// "28 638", with a non-breaking space.
    pub dossier: String,
    /// "Mensenhandel", or none.
    pub dossier_title: Option<String>,
    /// "Nr. 103".
    pub number: String,
    /// "BRIEF VAN DE MINISTER VAN VEILIGHEID EN JUSTITIE".
    pub document: String,
    /// "Den Haag, 24 oktober 2013".
    pub place_date: String,
    /// "Tweede Kamer, vergaderjaar 2013–2014, 28 638, nr. 103".
    pub footer: String,
}

fn kamerstuk_head(k: &crate::data::model::Kamerstuk, date: &str) -> KamerstukHead {
    let nb = |s: &str| s.trim().replace(' ', "\u{a0}");
    let session = self::session(&k.session).unwrap_or_else(|| k.session.clone());
    let dossier = nb(&k.dossier);
    let number = nb(&k.number);
    KamerstukHead {
        chamber: k.chamber.full_name().into(),
        session: format!("Vergaderjaar {session}"),
        dossier: dossier.clone(),
        dossier_title: k.dossier_title.clone(),
        number: format!("Nr.\u{a0}{number}"),
        document: format!("BRIEF VAN {}", k.from),
        place_date: format!("{}, {date}", k.place),
        footer: format!(
            "{}, vergaderjaar {session}, {dossier}, nr.\u{a0}{number}",
            k.chamber.short_name()
        ),
    }
}

/// The sender block and letter facts shared by both letter kinds.
#[derive(Debug, Serialize)]
pub struct LetterHead {
    /// `ministry` or `kamerstuk`.
    pub layout: &'static str,
    /// The sender.
    pub sender: crate::data::model::Sender,
    /// The return-address line.
    pub return_address: Option<String>,
    /// Addressee lines.
    pub addressee: Vec<String>,
    /// The date in words.
    pub date: String,
    /// The date parts for the PDF metadata.
    pub date_parts: (i32, u8, u8),
    /// Onderwerp.
    pub subject: String,
    /// Ons kenmerk.
    pub reference: Option<String>,
    /// The signatory.
    pub signatory: crate::data::model::Signatory,
    /// Kamerstuk head and footer.
    pub kamerstuk: Option<KamerstukHead>,
    /// The document title for the PDF metadata.
    pub title: String,
    /// Names that a line never breaks inside, not even at their own hyphen:
    /// the units' names that hold one ("Gelderland-Zuid").
    pub names: Vec<String>,
    /// The main font.
    pub font: String,
    /// Whether the letter text is illustrative.
    pub illustrative: bool,
    /// Whether the edition is a concept.
    pub concept: bool,
    /// The letterhead's logo, as the document's file name (`logo.svg`),
    /// when the house style names one.
    pub logo: Option<String>,
    /// The side column's request to quote the date and kenmerk
    /// ([`ANSWER_NOTE`]).
    pub answer_note: &'static str,
    /// The notice under an illustrative letter ([`ILLUSTRATIVE_NOTE`]),
    /// when its text is illustrative.
    pub illustrative_note: Option<&'static str>,
}

/// The side column's request under the kenmerk of a ministry letter, as
/// the 2011 letter prints it (shared/reference, house-style facts §1).
pub const ANSWER_NOTE: &str = "Bij beantwoording de datum en ons kenmerk vermelden. Wilt u slechts één zaak in uw brief behandelen.";

/// The notice under a letter whose text is illustrative.
pub const ILLUSTRATIVE_NOTE: &str = "Illustratieve tekst: deze brief is opgesteld bij de illustratieve gegevens van deze editie; de cijfers zijn berekend uit de gegevens van het rapport.";

/// The covering letter's context.
#[derive(Debug, Serialize)]
pub struct CoveringCtx {
    /// Head and sender.
    pub head: LetterHead,
    /// The body with figures filled in and footnotes at their marks.
    pub body: Vec<LetterBlock>,
}

/// A manager letter's context.
#[derive(Debug, Serialize)]
pub struct ManagerCtx<'a> {
    /// Head and sender.
    pub head: LetterHead,
    /// The body with figures filled in.
    pub body: Vec<LetterBlock>,
    /// The enclosure's heading: "Bijlage bij de brief van 6 juli 2011,
    /// kenmerk 5700790".
    pub enclosure: String,
    /// The report's meta, for the enclosure.
    pub meta: SortedKeys<'a, Meta>,
    /// The unit's chapter data, for the enclosure.
    pub unit: SortedKeys<'a, UnitCtx>,
    /// The unit's chart, if any.
    pub chart: Option<ChartCtx>,
}

/// A report context part as a manager letter's enclosure sees it: the same
/// fields with the keys of every map in sorted order, the order the
/// enclosure's data has always had (user templates may print it whole).
#[derive(Debug)]
pub struct SortedKeys<'a, T>(pub &'a T);

impl<T: Serialize> Serialize for SortedKeys<'_, T> {
    fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        // serde_json's maps keep their keys sorted.
        serde_json::to_value(self.0)
            .map_err(serde::ser::Error::custom)?
            .serialize(s)
    }
}

/// The placeholder context of a manager letter: all figures plus `unit`
/// and `deadline`. `figures` is the edition's figures as one value, made
/// once per build ([`Letters`]): each letter adds only its own two
/// figures, so that filling n letters costs n, not n times the number of
/// units (the figures name every unit that gets a letter).
fn manager_figures(figures: &Value, unit: &UnitFigures, deadline: String) -> Value {
    merge_maps([
        figures.clone(),
        minijinja::context! { unit => Value::from(minijinja::value::Serde(unit)), deadline => deadline },
    ])
}

/// The edition's figures as the placeholders see them, as one value: made
/// once per build or check, for every placeholder filled.
fn figures_value(scored: &ScoredEdition) -> Value {
    Value::from(minijinja::value::Serde(&figures(scored)))
}

/// The letters of one build: `letter.yaml` with everything its letters
/// share, worked out once (the figures, each manager letter's kenmerk, the
/// names no line breaks inside), so that each letter costs only its own
/// placeholders.
pub struct Letters<'a> {
    letter: &'a Located<LetterFile>,
    scored: &'a ScoredEdition,
    /// The edition's figures as the placeholders see them, converted once.
    figures: Value,
    /// Each manager letter's kenmerk, by unit id.
    references: HashMap<String, String>,
    /// The units' names that hold a hyphen, in file order.
    names: Vec<String>,
    font: String,
    placeholders: Placeholders,
}

impl<'a> Letters<'a> {
    /// The head of one letter of the edition in `layout`.
    fn head(
        &self,
        layout: LetterLayout,
        addressee: Vec<String>,
        subject: String,
        reference: Option<String>,
    ) -> LetterHead {
        let letter = &self.letter.value;
        let (concept, names, font) = (self.concept(), &self.names, &self.font);
        let date = dutch::date(letter.date);
        LetterHead {
            layout: match layout {
                LetterLayout::Ministry => "ministry",
                LetterLayout::Kamerstuk => "kamerstuk",
            },
            sender: letter.sender.clone(),
            return_address: letter.return_address.clone(),
            addressee,
            kamerstuk: letter.kamerstuk.as_ref().map(|k| kamerstuk_head(k, &date)),
            date,
            date_parts: (letter.date.year, letter.date.month, letter.date.day),
            title: subject.clone(),
            subject,
            reference,
            signatory: letter.signatory.clone(),
            names: names.to_vec(),
            font: font.to_string(),
            illustrative: letter.illustrative,
            concept,
            logo: None,
            answer_note: ANSWER_NOTE,
            illustrative_note: letter.illustrative.then_some(ILLUSTRATIVE_NOTE),
        }
    }

    /// The letters of `scored` from `letter`, set in `font`.
    ///
    /// Errors: an unusable kenmerk scheme, at `manager_letters.reference`
    /// (`check` reports it first).
    pub fn new(
        letter: &'a Located<LetterFile>,
        scored: &'a ScoredEdition,
        font: &str,
    ) -> Result<Letters<'a>, Box<Diagnostic>> {
        let references = match &letter.value.manager_letters {
            Some(m) => manager_references(m.reference.as_ref(), &letter_units(scored))
                .map_err(|msg| Box::new(letter.error_at("manager_letters.reference", msg)))?
                .into_iter()
                .collect(),
            None => HashMap::new(),
        };
        Ok(Letters {
            letter,
            scored,
            figures: figures_value(scored),
            references,
            names: scored
                .source()
                .units
                .iter()
                .map(|u| u.value.name.clone())
                .filter(|n| n.contains('-'))
                .collect(),
            font: font.to_string(),
            placeholders: Placeholders::new(),
        })
    }

    fn concept(&self) -> bool {
        self.scored.status == crate::data::model::Status::Concept
    }

    /// The covering letter's context, placeholders filled.
    pub fn covering(&self) -> Result<CoveringCtx, Box<Diagnostic>> {
        let (letter, figures, p) = (self.letter, &self.figures, &self.placeholders);
        let l = &letter.value;
        let body = p.fill(letter, "body", &l.body, figures, l.footnotes.len())?;
        let subject = p.fill(letter, "subject", &l.subject, figures, 0)?;
        let mut footnotes = Vec::new();
        for (i, f) in l.footnotes.iter().enumerate() {
            footnotes.push(p.fill(letter, &format!("footnotes[{i}]"), f, figures, 0)?);
        }
        Ok(CoveringCtx {
            head: self.head(l.layout, l.addressee.clone(), subject, l.reference.clone()),
            body: letter_prose(&body, &footnotes),
        })
    }

    /// The context of the letter to the manager of `unit`, placeholders
    /// filled; `meta` and `unit_chapter` are the report's, for the
    /// enclosure.
    ///
    /// Errors: no `manager_letters` section; a placeholder that cannot be
    /// filled.
    pub fn manager<'c>(
        &self,
        unit: &ScoredUnit,
        meta: &'c Meta,
        unit_chapter: &'c UnitCtx,
        chart: Option<ChartCtx>,
    ) -> Result<ManagerCtx<'c>, Box<Diagnostic>> {
        let letter = self.letter;
        let l = &letter.value;
        let Some(m) = &l.manager_letters else {
            return Err(Box::new(Diagnostic::error(
                &letter.path,
                "no `manager_letters` section",
            )));
        };
        let ctx = manager_figures(
            &self.figures,
            &unit_figures(self.scored, unit),
            dutch::date(m.deadline),
        );
        let p = &self.placeholders;
        let body = p.fill(letter, "manager_letters.body", &m.body, &ctx, 0)?;
        let subject = p.fill(letter, "manager_letters.subject", &m.subject, &ctx, 0)?;
        let reference = self.references.get(&unit.id).cloned();
        let enclosure = match &reference {
            Some(r) => format!(
                "Bijlage bij de brief van {}, kenmerk {r}",
                dutch::date(l.date)
            ),
            None => format!("Bijlage bij de brief van {}", dutch::date(l.date)),
        };
        let manager = self.scored.file(unit).value.manager.as_ref();
        let addressee = match manager {
            Some(manager) => {
                let mut lines = vec![manager.name.clone(), manager.title.clone()];
                lines.extend(manager.address.iter().cloned());
                lines
            }
            None => vec![format!("De beheerder van {}", unit.name)],
        };
        let mut body_blocks = Vec::new();
        if let Some(s) = manager.and_then(|m| m.salutation.as_ref()) {
            body_blocks.extend(letter_prose(s, &[]));
        }
        body_blocks.extend(letter_prose(&body, &[]));
        Ok(ManagerCtx {
            head: self.head(
                // The manager letters' own layout, not the covering letter's.
                l.manager_letters
                    .as_ref()
                    .map_or(LetterLayout::Ministry, |m| m.layout),
                addressee,
                subject,
                reference,
            ),
            body: body_blocks,
            enclosure,
            meta: SortedKeys(meta),
            unit: SortedKeys(unit_chapter),
            chart,
        })
    }
}

/// The numerals of filled text that stand where a reader may misread them,
/// as warnings at `field` of `letter`.
fn numeral_warnings(
    letter: &Located<LetterFile>,
    field: &str,
    text: &str,
    out: &mut Vec<Diagnostic>,
) {
    for problem in dutch::numeral_problems(text) {
        out.push(
            Diagnostic::warning(&letter.path, problem)
                .at(letter.locations.value(field))
                .field(field)
                .hint("rephrase so that the sentence starts with a word and a word stands between two numbers"),
        );
    }
}

/// The manager letters' section `m` of `letter`: its placeholders filled
/// for one unit, each letter's kenmerk its own, every addressed unit with a
/// manager.
fn check_manager_letters(
    letter: &Located<LetterFile>,
    m: &ManagerLetters,
    scored: &ScoredEdition,
    figures: &Value,
    p: &Placeholders,
    out: &mut Vec<Diagnostic>,
) {
    let l = &letter.value;
    // One unit is enough to find unknown placeholders; use the unit
    // with the longest name that gets a letter (its subject is the
    // longest), else any.
    let unit = scored
        .units
        .iter()
        .filter(|u| u.not_conform())
        .max_by_key(|u| u.name.chars().count())
        .or(scored.units.first());
    if let Some(u) = unit {
        let ctx = manager_figures(figures, &unit_figures(scored, u), dutch::date(m.deadline));
        for (field, text) in [
            ("manager_letters.body", &m.body),
            ("manager_letters.subject", &m.subject),
        ] {
            match p.fill(letter, field, text, &ctx, 0) {
                Err(d) => out.push(*d),
                Ok(filled) => {
                    if field.ends_with("subject") {
                        check_filled_subject(letter, field, &filled, out);
                    }
                    numeral_warnings(letter, field, &filled, out);
                }
            }
        }
    }
    match manager_references(m.reference.as_ref(), &letter_units(scored)) {
        Err(msg) => out.push(letter.error_at("manager_letters.reference", msg).hint(
            "e.g. `reference: {first: '5700788'}` numbers the letters 5700788, 5700789, ...",
        )),
        Ok(refs) => {
            let mut seen: BTreeMap<&str, String> = BTreeMap::new();
            if let Some(r) = &l.reference {
                seen.insert(r.as_str(), "the covering letter".into());
            }
            for (id, r) in &refs {
                if let Some(other) = seen.get(r.as_str()) {
                    out.push(
                        letter
                            .error_at(
                                "manager_letters.reference",
                                format!(
                                    "kenmerk {r} of the letter to `{id}` is also the kenmerk of {other}; each letter needs its own"
                                ),
                            )
                            .hint("choose a `first` number or `pattern` that no other letter of this edition uses"),
                    );
                } else {
                    seen.insert(r.as_str(), format!("the letter to `{id}`"));
                }
            }
        }
    }
    for u in scored.units.iter().filter(|u| u.not_conform()) {
        let f = scored.file(u);
        if f.value.manager.is_none() {
            out.push(
                f.error_at_key(
                    "manager",
                    format!(
                        "unit `{}` is not conform norm and receives a letter, but has no `manager`",
                        u.id
                    ),
                )
                .hint("add `manager:` with name, title and address"),
            );
        }
    }
}

/// Checks every placeholder of `letter.yaml` by filling them once with the
/// edition's figures (and, for manager letters, with each unit's).
pub fn check(scored: &ScoredEdition) -> Vec<Diagnostic> {
    let Some(letter) = &scored.source().letter else {
        return Vec::new();
    };
    let mut out = Vec::new();
    let l = &letter.value;
    // Converted once for every placeholder filled below.
    let figures = figures_value(scored);
    let p = Placeholders::new();
    if l.layout == LetterLayout::Kamerstuk && l.kamerstuk.is_none() {
        out.push(
            letter
                .error_at("layout", "the kamerstuk layout needs a `kamerstuk` section")
                .hint("add `kamerstuk:` with number, from and place"),
        );
    }
    if l.kamerstuk.is_none()
        && l.manager_letters
            .as_ref()
            .is_some_and(|m| m.layout == LetterLayout::Kamerstuk)
    {
        out.push(
            letter
                .error_at(
                    "manager_letters.layout",
                    "the kamerstuk layout needs a `kamerstuk` section",
                )
                .hint("add `kamerstuk:` with number, from and place, or leave `layout` out for the ministry letter"),
        );
    }
    if let Some(k) = &l.kamerstuk
        && session(&k.session).is_none()
    {
        out.push(
            letter
                .error_at(
                    "kamerstuk.session",
                    format!(
                        "the parliamentary year must be two consecutive years, found '{}'",
                        k.session
                    ),
                )
                .hint("write it as parliament prints it, e.g. '2013–2014'"),
        );
    }
    let numerals = |field: &str, text: &str, out: &mut Vec<Diagnostic>| {
        numeral_warnings(letter, field, text, out)
    };
    match p.fill(letter, "body", &l.body, &figures, l.footnotes.len()) {
        Ok(body) => {
            numerals("body", &body, &mut out);
            let marked = marks(&body);
            // Typst numbers footnotes in the order of their marks.
            if let Some(w) = marked.windows(2).find(|w| w[0] > w[1]) {
                out.push(
                    letter
                        .error_at(
                            "body",
                            format!(
                                "footnote({}) is marked before footnote({}); footnotes are numbered in the order of their marks",
                                w[0], w[1]
                            ),
                        )
                        .hint("order `footnotes` as their marks appear in the body"),
                );
            }
            for n in 1..=l.footnotes.len() {
                let times = marked.iter().filter(|m| **m == n).count();
                if times != 1 {
                    out.push(
                        letter
                            .error_at(
                                &format!("footnotes[{}]", n - 1),
                                format!(
                                    "footnote {n} is marked {times} times in `body`; a footnote needs exactly one mark"
                                ),
                            )
                            .hint(format!("put {{{{ footnote({n}) }}}} once in the body, where the note belongs")),
                    );
                }
            }
        }
        Err(d) => out.push(*d),
    }
    match p.fill(letter, "subject", &l.subject, &figures, 0) {
        Err(d) => out.push(*d),
        Ok(filled) => check_filled_subject(letter, "subject", &filled, &mut out),
    }
    for (i, f) in l.footnotes.iter().enumerate() {
        if let Err(d) = p.fill(letter, &format!("footnotes[{i}]"), f, &figures, 0) {
            out.push(*d);
        }
    }
    if let Some(m) = &l.manager_letters {
        check_manager_letters(letter, m, scored, &figures, &p, &mut out);
    }
    out
}

/// The most characters of a letter's subject once filled in: it is also the
/// PDF's title, one PDF string.
pub const MAX_SUBJECT_CHARS: usize = 2_000;

fn check_filled_subject(
    letter: &Located<LetterFile>,
    field: &str,
    filled: &str,
    out: &mut Vec<Diagnostic>,
) {
    let n = filled.chars().count();
    if n > MAX_SUBJECT_CHARS {
        out.push(
            letter
                .error_at(
                    field,
                    format!(
                        "the subject, filled in, has {n} characters, expected at most {MAX_SUBJECT_CHARS}"
                    ),
                )
                .hint("the subject is also the PDF's title; shorten it or leave lists of names to the body"),
        );
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn mini() -> ScoredEdition {
        let dir =
            std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/valid/mini");
        crate::figures::score::score(
            crate::data::load::load(&dir)
                .edition
                .expect("the mini edition loads"),
        )
    }

    fn letter(s: &ScoredEdition) -> &Located<LetterFile> {
        s.source()
            .letter
            .as_ref()
            .expect("the mini edition has a letter")
    }

    #[test]
    fn placeholders_are_filled_with_the_figures() {
        let s = mini();
        let out = Placeholders::new()
            .fill(
                letter(&s),
                "subject",
                "{{ edition.year }}: {{ headline.units | word }} {{ headline_groups }}",
                &figures(&s),
                0,
            )
            .unwrap();
        assert_eq!(out, "2030: twee korpsen");
    }

    #[test]
    fn an_unknown_placeholder_is_an_error_at_its_field() {
        let s = mini();
        let d = Placeholders::new()
            .fill(
                letter(&s),
                "body",
                "Tekst {{ nergens.iets }}",
                &figures(&s),
                0,
            )
            .unwrap_err();
        assert!(d.message.contains("nergens"), "{}", d.message);
        assert_eq!(d.field.as_deref(), Some("body"));
        assert_eq!(d.file, letter(&s).path);
    }

    #[test]
    fn one_environment_keeps_each_fields_footnotes_apart() {
        let s = mini();
        let (l, f, p) = (letter(&s), figures(&s), Placeholders::new());
        let with = p.fill(l, "body", "Zie{{ footnote(1) }}.", &f, 1).unwrap();
        assert_eq!(marks(&with), [1]);
        // The same environment for a field without footnotes refuses one.
        let d = p
            .fill(l, "subject", "Zie{{ footnote(1) }}.", &f, 0)
            .unwrap_err();
        assert!(d.message.contains("`footnotes` is empty"), "{}", d.message);
        assert!(p.fill(l, "body", "{{ footnote(2) }}", &f, 2).is_ok());
        assert!(p.fill(l, "body", "{{ footnote(3) }}", &f, 2).is_err());
    }

    #[test]
    fn kenmerken_count_up_or_follow_the_pattern() {
        let s = mini();
        let units: Vec<&ScoredUnit> = s.units.iter().collect();
        let scheme = |first: Option<&str>, pattern: Option<&str>| ReferenceScheme {
            first: first.map(str::to_string),
            pattern: pattern.map(str::to_string),
        };
        let pairs = |v: Vec<(String, String)>| -> Vec<String> {
            v.into_iter().map(|(id, r)| format!("{id}={r}")).collect()
        };
        let counted = manager_references(Some(&scheme(Some("0099"), None)), &units).unwrap();
        assert_eq!(pairs(counted), ["alfa=0099", "beta=0100", "gamma=0101"]);
        let patterned =
            manager_references(Some(&scheme(None, Some("K-{n}/{unit}"))), &units).unwrap();
        assert_eq!(
            pairs(patterned),
            ["alfa=K-1/alfa", "beta=K-2/beta", "gamma=K-3/gamma"]
        );
        assert!(manager_references(None, &units).unwrap().is_empty());
        for bad in [
            scheme(Some("12a"), None),
            scheme(None, Some("vast")),
            scheme(Some("1"), Some("{n}")),
            scheme(None, None),
        ] {
            assert!(manager_references(Some(&bad), &units).is_err(), "{bad:?}");
        }
    }

    #[test]
    fn each_manager_letter_gets_its_units_kenmerk_and_manager() {
        let s = mini();
        let l = letter(&s);
        let letters = Letters::new(l, &s, "Noto Sans").unwrap();
        let covering = letters.covering().unwrap();
        assert_eq!(
            covering.head.reference.as_deref(),
            l.value.reference.as_deref()
        );
        let date = crate::data::model::Date::parse("2031-07-06").unwrap();
        let report = crate::render::report::context(&s, &[], &[], date, "Noto Sans");
        let due: Vec<usize> = (0..s.units.len())
            .filter(|&i| s.units[i].not_conform())
            .collect();
        assert!(
            !due.is_empty(),
            "the mini edition has a unit below conform norm"
        );
        let first: u64 = "124".parse().unwrap();
        for (n, &i) in due.iter().enumerate() {
            let u = &s.units[i];
            let m = letters
                .manager(u, &report.meta, &report.units[i], None)
                .unwrap();
            assert_eq!(m.head.reference, Some((first + n as u64).to_string()));
            let manager = s.file(u).value.manager.as_ref().unwrap();
            assert_eq!(m.head.addressee[0], manager.name);
            assert!(m.head.subject.contains(&u.name), "{}", m.head.subject);
            let unit = serde_json::to_value(&m.unit).unwrap();
            assert_eq!(unit["id"], u.id.as_str());
        }
    }
}
