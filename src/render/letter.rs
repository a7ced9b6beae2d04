//! The letters' template contexts and their placeholders.
//!
//! A letter body in `letter.yaml` is prose with `{{ placeholders }}` for
//! computed figures. Placeholders are filled by a separate minijinja
//! environment that can reach only the figures below, with strict
//! undefined values: an unknown placeholder or filter is an error that
//! points to its line in `letter.yaml`. The result is plain prose, parsed
//! into the inline subset and passed to Typst as data like every other text.
//!
//! Filled text follows the Dutch rules of [`crate::dutch`]: every numeral is
//! bound to the word after it by a non-breaking space, and the `count`,
//! `agree` and `capitalise` filters give a text the right form for every
//! count. A footnote mark (`{{ footnote(1) }}`) becomes a real footnote, set
//! at the foot of the page that holds the mark.

use std::collections::{BTreeMap, HashMap};
use std::sync::Arc;
use std::sync::atomic::{AtomicUsize, Ordering};

use minijinja::value::{Value, ValueKind};
use minijinja::{Environment, UndefinedBehavior};
use serde::Serialize;

use crate::diagnostics::Diagnostic;
use crate::dutch;
use crate::load::{LoadedEdition, Located};
use crate::locate::Pos;
use crate::model::{LetterFile, LetterLayout, ManagerLetters, ReferenceScheme, Verdict};
use crate::render::report::{ChartCtx, Meta, UnitCtx};
use crate::render::{Block, prose};
use crate::score::{Counts, ScoredEdition, ScoredUnit};

/// Counts per verdict for placeholders.
#[derive(Debug, Clone, Serialize)]
pub struct CountFigures {
    /// Number of units.
    pub units: u32,
    /// Conform norm.
    pub conform_norm: u32,
    /// Aandacht.
    pub aandacht: u32,
    /// Onvoldoende.
    pub onvoldoende: u32,
    /// Aandacht plus onvoldoende.
    pub not_conform: u32,
    /// Names of the units not conform norm.
    pub not_conform_names: Vec<String>,
    /// Names of the units onvoldoende.
    pub onvoldoende_names: Vec<String>,
}

/// The figures a letter's placeholders can reach.
#[derive(Debug, Clone, Serialize)]
pub struct LetterFigures {
    /// `year` and `title` of this edition.
    pub edition: BTreeMap<&'static str, Value>,
    /// The headline groups' counts; `headline.groups` names them.
    pub headline: CountFigures,
    /// The headline groups' names, joined.
    pub headline_groups: String,
    /// Counts per group id.
    pub groups: BTreeMap<String, CountFigures>,
    /// Counts over the headline groups per dimension id, with `name`.
    pub dimensions: BTreeMap<String, CountFigures>,
    /// The previous edition's `year`, `headline` and `totals`, or none.
    pub previous: Option<PreviousFigures>,
    /// The manager letters: `count` and `names`.
    pub letters: LettersFigures,
    /// National totals.
    pub totals: TotalsFigures,
    /// The themes of the general recommendations, in order.
    pub themes: Vec<String>,
    /// The names of the dimensions, in order, in lower case.
    pub dimension_names: Vec<String>,
    /// Names of units that improved, fell back, or are new.
    pub better: Vec<String>,
    /// Names of units that fell back.
    pub worse: Vec<String>,
    /// Names of units new in this edition.
    pub new: Vec<String>,
    /// The trends over the whole chain of editions.
    pub trends: TrendFigures,
}

/// The trends over the chain of editions, for placeholders.
#[derive(Debug, Clone, Serialize)]
pub struct TrendFigures {
    /// The years of the chain, oldest first (text, so they print without
    /// a thousands point).
    pub years: Vec<String>,
    /// The first year of the chain.
    pub since: String,
    /// Names of the units that improved in every edition (a chain of three
    /// or more).
    pub improved_every_time: Vec<String>,
    /// Names of the units that fell back at least twice.
    pub fell_back_twice: Vec<String>,
    /// Names of the units onvoldoende in this edition and the one before.
    pub onvoldoende_running: Vec<String>,
}

/// One edition of a unit's series, for placeholders.
#[derive(Debug, Clone, Serialize)]
pub struct SeriesFigures {
    /// The year (text).
    pub year: String,
    /// The overall verdict's label, or none when the unit was not assessed.
    pub verdict: Option<&'static str>,
    /// The score ("61,5%"), where the edition has points.
    pub score: Option<String>,
}

/// The previous edition's figures.
#[derive(Debug, Clone, Serialize)]
pub struct PreviousFigures {
    /// Its year (text, so it prints without a thousands point).
    pub year: String,
    /// Its headline counts.
    pub headline: CountFigures,
    /// Its totals.
    pub totals: TotalsFigures,
}

/// Who receives a manager letter.
#[derive(Debug, Clone, Serialize)]
pub struct LettersFigures {
    /// How many letters.
    pub count: usize,
    /// The units' names.
    pub names: Vec<String>,
}

/// National totals.
#[derive(Debug, Clone, Serialize)]
pub struct TotalsFigures {
    /// Suspects identified.
    pub suspects: u64,
    /// Case files delivered to the OM.
    pub case_files: u64,
    /// Victims reported.
    pub victims: u64,
}

/// One unit as a manager letter's placeholders see it.
#[derive(Debug, Clone, Serialize)]
pub struct UnitFigures {
    /// Name, bare, as in a heading: "KLPD".
    pub name: String,
    /// Name with its article, for running text: "het KLPD", "Drenthe".
    pub with_article: String,
    /// What changed since the previous edition ("verbeterd op 2
    /// dimensies"), as the report's change column says it; none without one.
    pub change: Option<String>,
    /// Overall verdict label.
    pub verdict: &'static str,
    /// Overall score ("61,5%") or none.
    pub score: Option<String>,
    /// Names of the dimensions not conform norm.
    pub shortfalls: Vec<String>,
    /// The unit's recommendations.
    pub recommendations: Vec<String>,
    /// The previous edition's verdict label, or none.
    pub previous_verdict: Option<&'static str>,
    /// Its overall verdict in every edition of the chain, oldest first.
    pub series: Vec<SeriesFigures>,
    /// How many editions running, this one included, its verdict has been
    /// what it is now (1 when it changed).
    pub verdict_running: usize,
    /// The same as a Dutch ordinal: "tweede" (for "voor de tweede keer op rij").
    pub verdict_running_ordinal: String,
    /// How many editions running, this one included, it has not been
    /// conform norm (0 when it is conform norm).
    pub not_conform_running: usize,
    /// The same as a Dutch ordinal ("tweede"); "nulde" never occurs in a
    /// manager letter, which goes only to units not conform norm.
    pub not_conform_running_ordinal: String,
}

fn count_figures<'a>(
    c: &Counts,
    units: impl Iterator<Item = &'a ScoredUnit> + Clone,
    verdict_of: impl Fn(&ScoredUnit) -> Option<Verdict>,
) -> CountFigures {
    let names = |keep: &dyn Fn(Verdict) -> bool| -> Vec<String> {
        units
            .clone()
            .filter(|u| verdict_of(u).is_some_and(keep))
            .map(ScoredUnit::name_in_text)
            .collect()
    };
    CountFigures {
        units: c.units,
        conform_norm: c.overall.conform_norm,
        aandacht: c.overall.aandacht,
        onvoldoende: c.overall.onvoldoende,
        not_conform: c.overall.aandacht + c.overall.onvoldoende,
        not_conform_names: names(&|v| v != Verdict::ConformNorm),
        onvoldoende_names: names(&|v| v == Verdict::Onvoldoende),
    }
}

fn totals(t: &crate::score::Totals) -> TotalsFigures {
    TotalsFigures {
        suspects: t.suspects,
        case_files: t.case_files,
        victims: t.victims,
    }
}

/// The figures of an edition for letter placeholders.
pub fn figures(scored: &ScoredEdition) -> LetterFigures {
    let loaded = scored.source();
    let e = &loaded.edition.value;
    let headline = count_figures(&scored.figures.headline, scored.headline_units(), |u| {
        Some(u.verdict)
    });
    // The units of each group, sorted out in one pass.
    let mut members: Vec<Vec<&ScoredUnit>> = vec![Vec::new(); scored.groups.len()];
    for u in &scored.units {
        if let Some(i) = scored.group_position(&u.group) {
            members[i].push(u);
        }
    }
    let groups = e
        .groups
        .iter()
        .zip(&members)
        .filter_map(|(g, units)| {
            let c = scored.figures.group(&g.id)?;
            let f = count_figures(c, units.iter().copied(), |u| Some(u.verdict));
            Some((g.id.clone(), f))
        })
        .collect();
    // A unit's dimensions are in the edition's order: found by position.
    let dimensions = e
        .dimensions
        .iter()
        .enumerate()
        .filter_map(|(i, d)| {
            let vc = scored.figures.headline.dimension(&d.id)?;
            let c = Counts {
                units: scored.figures.headline.units,
                overall: *vc,
                dimensions: Vec::new(),
            };
            let f = count_figures(&c, scored.headline_units(), move |u| {
                u.dimensions.get(i).and_then(|x| x.verdict)
            });
            Some((d.id.clone(), f))
        })
        .collect();
    let previous = scored.previous.as_ref().map(|p| PreviousFigures {
        year: p.year.to_string(),
        headline: count_figures(&p.figures.headline, p.units.iter(), |u| Some(u.verdict)),
        totals: totals(&p.figures.totals),
    });
    let names = |ids: &[String]| -> Vec<String> {
        ids.iter()
            .filter_map(|id| scored.unit(id).map(ScoredUnit::name_in_text))
            .collect()
    };
    let letter_names = if wants_manager_letters(loaded) {
        names(&scored.figures.not_conform)
    } else {
        Vec::new()
    };
    LetterFigures {
        edition: BTreeMap::from([
            ("year", Value::from(e.year.to_string())),
            ("title", Value::from(e.title.clone())),
        ]),
        headline,
        headline_groups: scored.headline_group_names(),
        groups,
        dimensions,
        previous,
        letters: LettersFigures {
            count: letter_names.len(),
            names: letter_names,
        },
        totals: totals(&scored.figures.totals),
        themes: loaded
            .recommendations
            .as_ref()
            .map(|r| r.value.themes.iter().map(|t| t.title.clone()).collect())
            .unwrap_or_default(),
        dimension_names: e.dimensions.iter().map(|d| d.name.to_lowercase()).collect(),
        better: names(&scored.comparison.better),
        worse: names(&scored.comparison.worse),
        new: names(&scored.comparison.new),
        trends: TrendFigures {
            years: scored.trends.years().iter().map(u16::to_string).collect(),
            since: scored
                .trends
                .years()
                .first()
                .copied()
                .unwrap_or(e.year)
                .to_string(),
            improved_every_time: names(&scored.trends.improved_every_time),
            fell_back_twice: names(&scored.trends.fell_back_twice),
            onvoldoende_running: names(&scored.trends.onvoldoende_running),
        },
    }
}

/// Whether the edition asks for letters to unit managers.
pub fn wants_manager_letters(loaded: &LoadedEdition) -> bool {
    loaded
        .letter
        .as_ref()
        .is_some_and(|l| l.value.manager_letters.is_some())
}

/// The placeholder figures of one unit of `scored`.
pub fn unit_figures(scored: &ScoredEdition, u: &ScoredUnit) -> UnitFigures {
    let e = scored.edition_file();
    let file = scored.file(u);
    let series = scored.trends.unit(&u.id);
    let verdict_running = series.map_or(1, |s| s.running(u.verdict));
    let not_conform_running = series.map_or(usize::from(u.not_conform()), |s| {
        s.points
            .iter()
            .rev()
            .take_while(|p| p.verdict.is_some_and(|v| v != Verdict::ConformNorm))
            .count()
    });
    UnitFigures {
        name: u.name.clone(),
        with_article: u.name_in_text(),
        change: u.change.clone(),
        verdict: u.verdict.label(),
        score: u.score.map(|s| dutch::percent_tenths(s.tenths)),
        // A unit's dimensions are in the edition's order.
        shortfalls: u
            .dimensions
            .iter()
            .zip(&e.dimensions)
            .filter(|(d, _)| d.verdict.is_some_and(|v| v != Verdict::ConformNorm))
            .map(|(_, def)| def.name.to_lowercase())
            .collect(),
        recommendations: file.value.recommendations.clone(),
        previous_verdict: u.previous_verdict.map(Verdict::label),
        series: series
            .map(|s| {
                s.points
                    .iter()
                    .map(|p| SeriesFigures {
                        year: p.year.to_string(),
                        verdict: p.verdict.map(Verdict::label),
                        score: p.score.map(|s| dutch::percent_tenths(s.tenths)),
                    })
                    .collect()
            })
            .unwrap_or_default(),
        verdict_running,
        verdict_running_ordinal: crate::render::trends::ordinal(verdict_running),
        not_conform_running,
        not_conform_running_ordinal: crate::render::trends::ordinal(not_conform_running),
    }
}

/// The most minijinja instructions filling one field's placeholders may
/// take (docs/robustness.md): ample for loops over every unit.
pub const PLACEHOLDER_FUEL: u64 = 2_000_000;

/// The first character of the private-use range that marks footnote `n`
/// in filled text (`FOOTNOTE_MARK + n`); [`letter_prose`] turns each mark
/// into a footnote.
const FOOTNOTE_MARK: u32 = 0xF0000;

/// The footnote number a character marks, if it is a footnote mark.
fn footnote_mark(c: char) -> Option<usize> {
    let n = (c as u32).checked_sub(FOOTNOTE_MARK)?;
    (1..=0xFFFF).contains(&n).then_some(n as usize)
}

/// The environment that fills placeholders in data (letter fields and free
/// chapters): undefined values are errors and never reach a filter or the
/// output, the work and depth of each evaluation are bounded
/// ([`PLACEHOLDER_FUEL`], 32 levels), and the filters and the `footnote`
/// function of docs/letters.md are defined; `footnotes` is the number of
/// footnotes `footnote(n)` may mark, read when it is called.
fn placeholder_environment(footnotes: Arc<AtomicUsize>) -> Environment<'static> {
    let mut env = Environment::new();
    env.set_undefined_behavior(UndefinedBehavior::Strict);
    // A field's text is data: its loops and macros are bounded in work and depth.
    env.set_fuel(Some(PLACEHOLDER_FUEL));
    env.set_recursion_limit(32);
    env.set_formatter(|out, _state, value| {
        defined(value)?;
        out.write_str(&plain(value))
            .map_err(|_| minijinja::Error::new(minijinja::ErrorKind::WriteFailure, "write"))
    });
    env.add_filter("list", |v: Value| -> Result<String, minijinja::Error> {
        defined(&v)?;
        let items: Vec<String> = v.try_iter()?.map(|x| plain(&x)).collect();
        Ok(dutch::list(&items))
    });
    env.add_filter("word", |n: i64| dutch::count_word(n.max(0) as u64));
    env.add_filter("number", |n: i64| dutch::number(n));
    env.add_filter("count", |n: i64, one: String, many: String| {
        dutch::count(n.max(0) as u64, &one, &many)
    });
    env.add_filter("agree", |n: i64, one: String, many: String| {
        dutch::agree(n.max(0) as u64, &one, &many).to_string()
    });
    env.add_filter("capitalise", |s: String| dutch::capitalise(&s));
    env.add_filter("quote", |v: Value| -> Result<Value, minijinja::Error> {
        defined(&v)?;
        let q = |s: &str| format!("\u{2018}{s}\u{2019}");
        Ok(match v.kind() {
            ValueKind::Seq | ValueKind::Iterable => {
                Value::from(v.try_iter()?.map(|x| q(&plain(&x))).collect::<Vec<_>>())
            }
            _ => Value::from(q(&plain(&v))),
        })
    });
    env.add_function(
        "footnote",
        move |n: u32| -> Result<String, minijinja::Error> {
            let n = n as usize;
            let footnotes = footnotes.load(Ordering::Relaxed);
            if n == 0 || n > footnotes {
                return Err(minijinja::Error::new(
                    minijinja::ErrorKind::InvalidOperation,
                    match footnotes {
                        0 => format!("footnote({n}) marks a footnote, but `footnotes` is empty"),
                        f => format!("footnote({n}) marks a footnote that does not exist: `footnotes` has {f}"),
                    },
                ));
            }
            Ok(char::from_u32(FOOTNOTE_MARK + n as u32)
                .map(String::from)
                .unwrap_or_default())
        },
    );
    env
}

/// The environment that fills the placeholders in data, built once and
/// used for every letter field and free chapter of a build.
pub struct Placeholders {
    env: Environment<'static>,
    /// How many footnotes the field being filled has.
    footnotes: Arc<AtomicUsize>,
}

impl Default for Placeholders {
    fn default() -> Self {
        Placeholders::new()
    }
}

impl Placeholders {
    /// The environment with the filters and functions of docs/letters.md.
    pub fn new() -> Placeholders {
        let footnotes = Arc::new(AtomicUsize::new(0));
        Placeholders {
            env: placeholder_environment(Arc::clone(&footnotes)),
            footnotes,
        }
    }

    /// `text` as a template named `name`, in which `footnote(n)` may mark
    /// `footnotes` footnotes.
    pub(crate) fn template<'s>(
        &'s self,
        name: &'s str,
        text: &'s str,
        footnotes: usize,
    ) -> Result<minijinja::Template<'s, 's>, minijinja::Error> {
        self.footnotes.store(footnotes, Ordering::Relaxed);
        self.env.template_from_named_str(name, text)
    }

    /// Fills the placeholders of `text`, the value of `field` in `letter`,
    /// and binds every numeral to the word after it
    /// ([`dutch::bind_numerals`]). `footnotes` is the number of footnotes
    /// `{{ footnote(n) }}` may mark.
    ///
    /// Errors: an unknown placeholder or filter, a syntax error or too much
    /// work, at the place in `letter.yaml`.
    pub fn fill<C: Serialize>(
        &self,
        letter: &Located<LetterFile>,
        field: &str,
        text: &str,
        context: &C,
        footnotes: usize,
    ) -> Result<String, Box<Diagnostic>> {
        fill(self, letter, field, text, context, footnotes)
    }
}

fn fill<C: Serialize>(
    placeholders: &Placeholders,
    letter: &Located<LetterFile>,
    field: &str,
    text: &str,
    context: &C,
    footnotes: usize,
) -> Result<String, Box<Diagnostic>> {
    let env = &placeholders.env;
    // The value's position is where its text starts (for a block scalar,
    // the line after `|`, at its indentation); the template's lines and
    // columns count from there.
    let at = |offset: usize| -> Option<Pos> {
        let b = letter.locations.value(field)?;
        let before = text.get(..offset)?;
        let line = before.matches('\n').count();
        let column = before[before.rfind('\n').map_or(0, |i| i + 1)..]
            .chars()
            .count();
        Some(Pos {
            line: b.line + line,
            column: b.column + column,
        })
    };
    let error = |e: minijinja::Error| -> Box<Diagnostic> {
        let range = e.range().filter(|r| text.get(r.clone()).is_some());
        let pos = match (&range, e.line()) {
            (Some(r), _) => at(r.start),
            (None, Some(l)) => letter.locations.value(field).map(|b| Pos {
                line: b.line + l - 1,
                column: b.column,
            }),
            (None, None) => letter.locations.value(field),
        };
        let mut message = e
            .detail()
            .map(str::to_string)
            .unwrap_or_else(|| e.kind().to_string());
        let undefined = matches!(e.kind(), minijinja::ErrorKind::UndefinedError)
            || message.contains("undefined");
        if undefined {
            // Name the placeholder: the expression minijinja names as
            // undefined, and the filter or text the error points at.
            let expr = message
                .split_once(" is undefined")
                .and_then(|(before, _)| before.rsplit('`').nth(1))
                .map(str::to_string);
            let code = range.clone().and_then(|r| text.get(r)).map(str::trim);
            message = match (expr, code) {
                (Some(expr), Some(code)) if code != expr => {
                    format!("unknown placeholder `{expr}` (passed to `{code}`)")
                }
                (Some(expr), _) => format!("unknown placeholder `{expr}`"),
                (None, Some(code)) => format!("a placeholder passed to `{code}` has no value"),
                (None, None) => format!("unknown placeholder: {message}"),
            };
        }
        if matches!(e.kind(), minijinja::ErrorKind::OutOfFuel) {
            message = format!(
                "the placeholders take more than {PLACEHOLDER_FUEL} steps to fill, expected a text with simple placeholders and short loops"
            );
        }
        // A placeholder written wrongly (not closed, a block without its
        // end) is a matter of writing, not of which figures exist.
        let hint = if matches!(e.kind(), minijinja::ErrorKind::SyntaxError) {
            "write a placeholder as `{{ name }}` and close each `{% if %}` or `{% for %}` with `{% endif %}` or `{% endfor %}`; see docs/letters.md"
        } else {
            "placeholders can use the figures listed in docs/letters.md"
        };
        let mut d = Diagnostic::error(&letter.path, message)
            .at(pos)
            .field(field)
            .hint(hint);
        if let Some(r) = range {
            d = d.width(text[r].chars().count());
        }
        Box::new(d)
    };
    let tmpl = placeholders
        .template("text", text, footnotes)
        .map_err(error)?;
    let context = Value::from(minijinja::value::Serde(context));
    // Every placeholder's path must lead to a figure before anything is
    // filled: an undefined value never reaches a filter or the output,
    // whatever the filter.
    let mut used: Vec<String> = tmpl.undeclared_variables(true).into_iter().collect();
    used.sort();
    for name in used {
        if env
            .globals()
            .any(|(g, _)| g == name.split('.').next().unwrap_or(""))
        {
            continue;
        }
        if let Some(problem) = unknown_path(&context, &name) {
            let pos = match placeholder_offset(text, &name) {
                Some(i) => at(i),
                None => letter.locations.value(field),
            };
            return Err(Box::new(
                Diagnostic::error(&letter.path, problem)
                    .at(pos)
                    .field(field)
                    .width(name.chars().count())
                    .hint("placeholders can use the figures listed in docs/letters.md"),
            ));
        }
    }
    tmpl.render(context)
        .map(|t| dutch::bind_numerals(&t))
        .map_err(error)
}

/// Where the variable path `name` is first used inside a `{{ }}` or
/// `{% %}` of `text`.
fn placeholder_offset(text: &str, name: &str) -> Option<usize> {
    let mut from = 0;
    while let Some(i) = text[from..].find(name) {
        let at = from + i;
        let before = &text[..at];
        let open = before.rfind("{{").max(before.rfind("{%"));
        let close = before.rfind("}}").max(before.rfind("%}"));
        let word_start = !before.ends_with(|c: char| c.is_alphanumeric() || c == '_' || c == '.');
        if open.is_some() && open > close && word_start {
            return Some(at);
        }
        from = at + name.len();
    }
    None
}

/// An error for an undefined value, which must not reach a filter or the
/// output.
fn defined(value: &Value) -> Result<(), minijinja::Error> {
    if value.is_undefined() {
        return Err(minijinja::Error::new(
            minijinja::ErrorKind::UndefinedError,
            "a placeholder has no value",
        ));
    }
    Ok(())
}

/// Why the placeholder `path` (e.g. `headline.onvoldoende_names`) does not
/// lead to a figure of `context`, or `None` when it does.
fn unknown_path(context: &Value, path: &str) -> Option<String> {
    let mut value = context.clone();
    let mut walked = String::new();
    for part in path.split('.') {
        if value.is_none() {
            // An absent figure (e.g. no previous edition) prints as nothing.
            return None;
        }
        let next = value.get_attr(part).unwrap_or(Value::UNDEFINED);
        if next.is_undefined() {
            let mut known: Vec<String> = value
                .try_iter()
                .map(|it| it.map(|k| k.to_string()).collect())
                .unwrap_or_default();
            if value.kind() != ValueKind::Map {
                known.clear();
            }
            known.sort();
            let what = if walked.is_empty() {
                String::new()
            } else {
                format!(" (`{walked}` has {})", known.join(", "))
            };
            return Some(format!("unknown placeholder `{path}`{what}"));
        }
        if !walked.is_empty() {
            walked.push('.');
        }
        walked.push_str(part);
        value = next;
    }
    None
}

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

fn kamerstuk_head(k: &crate::model::Kamerstuk, date: &str) -> KamerstukHead {
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

/// A value as Dutch text: numbers with thousands points, lists joined with
/// "en".
pub(crate) fn plain(value: &Value) -> String {
    match value.kind() {
        ValueKind::Number => match value.as_i64() {
            Some(i) => dutch::number(i),
            None => value.to_string().replace('.', ","),
        },
        ValueKind::Seq | ValueKind::Iterable => {
            let items: Vec<String> = value
                .try_iter()
                .map(|it| it.map(|x| plain(&x)).collect())
                .unwrap_or_default();
            dutch::list(&items)
        }
        ValueKind::None | ValueKind::Undefined => String::new(),
        _ => value.to_string(),
    }
}

/// The sender block and letter facts shared by both letter kinds.
#[derive(Debug, Serialize)]
pub struct LetterHead {
    /// `ministry` or `kamerstuk`.
    pub layout: &'static str,
    /// The sender.
    pub sender: crate::model::Sender,
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
    pub signatory: crate::model::Signatory,
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
}

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

fn head(
    letter: &LetterFile,
    concept: bool,
    names: &[String],
    addressee: Vec<String>,
    subject: String,
    reference: Option<String>,
    font: &str,
) -> LetterHead {
    let date = dutch::date(letter.date);
    LetterHead {
        layout: match letter.layout {
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
    }
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
/// and `deadline`.
#[derive(Debug, Serialize)]
pub struct ManagerFigures<'a> {
    /// All edition figures.
    #[serde(flatten)]
    pub figures: &'a LetterFigures,
    /// The addressed unit.
    pub unit: UnitFigures,
    /// The deadline in words.
    pub deadline: String,
}

/// The letters of one build: `letter.yaml` with everything its letters
/// share, worked out once (the figures, each manager letter's kenmerk, the
/// names no line breaks inside), so that each letter costs only its own
/// placeholders.
pub struct Letters<'a> {
    letter: &'a Located<LetterFile>,
    scored: &'a ScoredEdition,
    figures: LetterFigures,
    /// Each manager letter's kenmerk, by unit id.
    references: HashMap<String, String>,
    /// The units' names that hold a hyphen, in file order.
    names: Vec<String>,
    font: String,
    placeholders: Placeholders,
}

impl<'a> Letters<'a> {
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
            figures: figures(scored),
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

    /// The edition's figures, as the placeholders see them.
    pub fn figures(&self) -> &LetterFigures {
        &self.figures
    }

    fn concept(&self) -> bool {
        self.scored.status == crate::model::Status::Concept
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
            head: head(
                l,
                self.concept(),
                &self.names,
                l.addressee.clone(),
                subject,
                l.reference.clone(),
                &self.font,
            ),
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
        let ctx = ManagerFigures {
            figures: &self.figures,
            unit: unit_figures(self.scored, unit),
            deadline: dutch::date(m.deadline),
        };
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
            head: head(
                l,
                self.concept(),
                &self.names,
                addressee,
                subject,
                reference,
                &self.font,
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
    figures: &LetterFigures,
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
        let ctx = ManagerFigures {
            figures,
            unit: unit_figures(scored, u),
            deadline: dutch::date(m.deadline),
        };
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
    let figures = figures(scored);
    let p = Placeholders::new();
    if l.layout == LetterLayout::Kamerstuk && l.kamerstuk.is_none() {
        out.push(
            letter
                .error_at("layout", "the kamerstuk layout needs a `kamerstuk` section")
                .hint("add `kamerstuk:` with number, from and place"),
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

/// Checks the texts of `letter.yaml` that are not filled in: each holds
/// visible text and no placeholder; and that the templates are not blank.
pub fn check_letter_fields(letter: &Located<LetterFile>, out: &mut Vec<Diagnostic>) {
    use crate::validate::{check_label, check_no_placeholder, check_visible};
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
        crate::score::score(
            crate::load::load(&dir)
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
        let date = crate::model::Date::parse("2031-07-06").unwrap();
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
