//! The placeholders of data: the figures a letter field or a free chapter
//! can name (`{{ headline.onvoldoende }}`), and the minijinja environment
//! that fills them.
//!
//! Placeholders are filled by a minijinja environment of their own that can
//! reach only these figures, with strict undefined values: an unknown
//! placeholder or filter is an error that points to its line in the file.
//! Filled text follows the Dutch rules of [`crate::words::dutch`]: every
//! numeral is bound to the word after it by a non-breaking space, and the
//! `count`, `agree` and `capitalise` filters give a text the right form for
//! every count.

use std::collections::BTreeMap;
use std::sync::Arc;
use std::sync::atomic::{AtomicUsize, Ordering};

use minijinja::Environment;
use minijinja::value::{Value, ValueKind};
use serde::Serialize;

use crate::base::diagnostics::Diagnostic;
use crate::base::locate::Pos;
use crate::data::load::{LoadedEdition, Located};
use crate::data::model::{LetterFile, Verdict};
use crate::figures::scored::{Counts, ScoredEdition, ScoredUnit};
use crate::words::dutch;

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
    /// The totals compared like with like: over the units assessed in
    /// both editions ([`crate::figures::totals::like_for_like`]); none
    /// without a previous edition.
    pub like_for_like: Option<LikeForLikeFigures>,
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

/// The key figures' totals over the same units in this and the previous
/// edition.
#[derive(Debug, Clone, Serialize)]
pub struct LikeForLikeFigures {
    /// How many of this edition's units are compared.
    pub units: u32,
    /// Their suspects identified, case files to the OM and victims.
    pub suspects: u64,
    /// See `suspects`.
    pub case_files: u64,
    /// See `suspects`.
    pub victims: u64,
    /// The same over their predecessors in the previous edition.
    pub previous: TotalsFigures,
    /// Names of units left out because the previous edition did not
    /// assess them ("het KLPD", "de KMar").
    pub new: Vec<String>,
    /// Names of units left out because their predecessors reported no key
    /// figures.
    pub unreported: Vec<String>,
    /// Names of the previous edition's units no longer assessed.
    pub gone: Vec<String>,
    /// Whether both totals are over every unit that reported: then they
    /// equal `totals` and `previous.totals`.
    pub whole: bool,
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
    /// What that verdict is of, when the unit continues other units: "het
    /// gemiddelde van Groningen, Friesland en Drenthe in 2012"; none
    /// otherwise.
    pub compared_with: Option<String>,
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

fn totals(t: &crate::figures::scored::Totals) -> TotalsFigures {
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
        like_for_like: scored.like_for_like.as_ref().map(|l| {
            let previous = scored.previous.as_ref();
            LikeForLikeFigures {
                units: l.now.units_reporting,
                suspects: l.now.suspects,
                case_files: l.now.case_files,
                victims: l.now.victims,
                previous: totals(&l.before),
                new: names(&l.new),
                unreported: names(&l.unreported),
                gone: l
                    .gone
                    .iter()
                    .filter_map(|id| previous?.unit(id).map(ScoredUnit::name_in_text))
                    .collect(),
                whole: l.is_whole(),
            }
        }),
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
        compared_with: u.compared_with.clone(),
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
        verdict_running_ordinal: dutch::ordinal(verdict_running),
        not_conform_running,
        not_conform_running_ordinal: dutch::ordinal(not_conform_running),
    }
}

/// The most minijinja instructions filling one field's placeholders may
/// take (docs/robustness.md): ample for loops over every unit.
pub const PLACEHOLDER_FUEL: u64 = 2_000_000;

/// The first character of the private-use range that marks footnote `n`
/// in filled text (`FOOTNOTE_MARK + n`); [`crate::render::letter::letter_prose`] turns each mark
/// into a footnote.
pub(crate) const FOOTNOTE_MARK: u32 = 0xF0000;

/// The footnote number a character marks, if it is a footnote mark.
pub(crate) fn footnote_mark(c: char) -> Option<usize> {
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
    // A field's text is data: its loops and macros are bounded in work and depth.
    let mut env = crate::render::environment(32);
    env.set_fuel(Some(PLACEHOLDER_FUEL));
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
