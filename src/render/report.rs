//! The report's template context: every value the report template can
//! reach, computed from the loaded and scored edition. Figures are
//! formatted the Dutch way here, so templates only place them.

use crate::data::model::{Assessment, Date, Rating, Section, Status, Verdict};
use crate::data::values::Trend;
use crate::data::values::VerdictCounts;
use crate::figures::scored::{Counts, ScoredEdition, ScoredUnit};
use crate::render::chapters::FilledChapter;
use crate::render::charts::Chart;
use crate::render::context::report::*;
use crate::render::context::{ChartCtx, CountsCtx, TrendCtx, VerdictCtx};
use crate::render::prose;
use crate::words::dutch;

/// Marks each abbreviation that a text of the report context uses (every
/// string in it, names, findings, chapters and generated sentences alike),
/// as a whole word, case sensitive; Bijlage B lists only those and the
/// ones the house style's own words use (`house-abbreviations`).
pub fn mark_used_abbreviations(ctx: &mut ReportContext) {
    let mut abbreviations = std::mem::take(&mut ctx.abbreviations);
    let mut words = std::collections::HashSet::new();
    if let Ok(value) = serde_json::to_value(&*ctx) {
        let mut stack = vec![&value];
        while let Some(v) = stack.pop() {
            match v {
                serde_json::Value::String(s) => {
                    for w in s.split(|c: char| !c.is_alphanumeric()) {
                        if !w.is_empty() {
                            words.insert(w.to_string());
                        }
                    }
                }
                serde_json::Value::Array(a) => stack.extend(a.iter()),
                serde_json::Value::Object(o) => stack.extend(o.values()),
                _ => {}
            }
        }
    }
    for a in &mut abbreviations {
        a.used = words.contains(&a.short);
    }
    ctx.abbreviations = abbreviations;
}

fn rating_id(r: Rating) -> &'static str {
    r.label()
}

fn section_id(s: Section) -> &'static str {
    match s {
        Section::Samenvatting => "samenvatting",
        Section::Werkwijze => "werkwijze",
        Section::LandelijkBeeld => "landelijk_beeld",
        Section::Eenheden => "eenheden",
        Section::Ketenpartners => "ketenpartners",
        Section::Aanbevelingen => "aanbevelingen",
        Section::Bijlagen => "bijlagen",
    }
}

fn percent(tenths: i64) -> String {
    dutch::percent_tenths(tenths)
}

fn threshold(h: i64) -> String {
    format!("{}%", dutch::decimal_hundredths(h))
}

fn counts_ctx(c: &Counts) -> CountsCtx {
    CountsCtx::from(&c.overall)
}

fn names(scored: &ScoredEdition, ids: &[String]) -> Vec<String> {
    ids.iter()
        .map(|id| {
            scored
                .unit(id)
                .map(|u| u.name.clone())
                .unwrap_or_else(|| id.clone())
        })
        .collect()
}

/// Builds the report context from the scored edition, its filled free
/// chapters (see [`crate::render::chapters::fill_all`]) and its charts.
pub fn context(
    scored: &ScoredEdition,
    chapters: &[FilledChapter],
    charts: &[Chart],
    date: Date,
    font: &str,
) -> ReportContext {
    let e = scored.edition_file();
    // Looked up once per unit: maps, so that large editions stay linear.
    let charts_by_file: std::collections::HashMap<&str, &Chart> =
        charts.iter().map(|c| (c.file.as_str(), c)).collect();
    let chart = |file: &str| charts_by_file.get(file).map(|c| ChartCtx::from(*c));
    let partner_names: std::collections::HashMap<&str, &str> = e
        .partners
        .iter()
        .map(|p| (p.id.as_str(), p.name.as_str()))
        .collect();
    let headline_groups = scored.headline_group_names();
    let peers: std::collections::HashMap<&str, &crate::figures::series::UnitPeers> =
        scored.peers.iter().map(|p| (p.id.as_str(), p)).collect();
    let units = scored
        .units_with_files()
        .map(|(u, file)| {
            unit_ctx(
                scored,
                u,
                peers.get(u.id.as_str()).copied(),
                file,
                scored.group_name(&u.group),
                &partner_names,
                &chart,
            )
        })
        .collect();
    let c = &scored.comparison;
    let mut ctx = ReportContext {
        meta: meta(scored, date, font),
        assessment: match e.assessment {
            Assessment::Points => "points",
            Assessment::PublishedVerdicts => "published_verdicts",
        },
        dimensions: dimensions_ctx(scored),
        overall_thresholds: e.overall_thresholds.map(|t| ThresholdsCtx {
            conform_norm: threshold(t.conform_norm.hundredths()),
            aandacht: threshold(t.aandacht.hundredths()),
        }),
        sentences: sentences(e, scored, &headline_groups),
        trends: crate::render::trends::report(scored, &headline_groups),
        headline: headline_ctx(scored, headline_groups),
        other_groups: other_groups(scored),
        units,
        comparison: ComparisonCtx {
            better: names(scored, &c.better),
            worse: names(scored, &c.worse),
            same: names(scored, &c.same),
            new: names(scored, &c.new),
            departed: c.departed.clone(),
        },
        totals: totals_ctx(scored),
        chapters: chapters_ctx(e, chapters),
        partners: partners_ctx(scored),
        themes: themes_ctx(scored),
        abbreviations: e
            .abbreviations
            .iter()
            .map(|a| AbbreviationCtx {
                short: a.short.clone(),
                long: a.long.clone(),
                used: false,
            })
            .collect(),
        charts: ChartsCtx {
            verdicts: chart("charts/oordelen.svg"),
            key_figures: charts
                .iter()
                .filter(|c| crate::render::charts::is_key_figures(&c.file))
                .map(ChartCtx::from)
                .collect(),
            partners: chart("charts/ketenpartners.svg"),
        },
        manual_verdicts: scored
            .units
            .iter()
            .map(|u| {
                usize::from(u.manual.is_some())
                    + u.dimensions.iter().filter(|d| d.manual.is_some()).count()
            })
            .sum(),
        changes: None,
        new_units: new_units_ctx(scored),
    };
    mark_used_abbreviations(&mut ctx);
    ctx
}

/// The edition's facts for the title page and the PDF metadata.
fn meta(scored: &ScoredEdition, date: Date, font: &str) -> Meta {
    let e = scored.edition_file();
    Meta {
        title: e.title.clone(),
        year: e.year,
        period: e.period.clone(),
        status: match e.status {
            Status::Concept => "concept",
            Status::Definitief => "definitief",
        },
        concept: e.status == Status::Concept,
        publisher: e.publisher.clone(),
        date: dutch::date(date),
        date_parts: (date.year, date.month, date.day),
        illustrative: e.illustrative,
        illustrative_notice: e
            .illustrative_notice
            .clone()
            .unwrap_or_else(|| DEFAULT_ILLUSTRATIVE_NOTICE.to_string()),
        keywords: e.keywords.clone(),
        previous_year: scored.previous.as_ref().map(|p| p.year),
        font: font.to_string(),
    }
}

/// The dimensions with their method, numbered indicators and headline
/// counts.
fn dimensions_ctx(scored: &ScoredEdition) -> Vec<DimensionCtx> {
    let headline = &scored.figures.headline;
    scored
        .edition_file()
        .dimensions
        .iter()
        .enumerate()
        .map(|(di, d)| DimensionCtx {
            id: d.id.clone(),
            name: d.name.clone(),
            short_name: d.short_name.clone(),
            description: prose(&d.description),
            weight: dutch::decimal_hundredths(d.weight.hundredths()),
            thresholds: d.thresholds.map(|t| ThresholdsCtx {
                conform_norm: threshold(t.conform_norm.hundredths()),
                aandacht: threshold(t.aandacht.hundredths()),
            }),
            indicators: d
                .indicators
                .iter()
                .enumerate()
                .map(|(ii, i)| IndicatorCtx {
                    id: i.id.clone(),
                    number: format!("{}.{}", di + 1, ii + 1),
                    question: i.question.clone(),
                    max_points: i.max_points,
                })
                .collect(),
            counts: headline
                .dimension(&d.id)
                .map(CountsCtx::from)
                .unwrap_or(CountsCtx::from(&VerdictCounts::default())),
        })
        .collect()
}

/// The headline figures, with the previous edition's.
fn headline_ctx(scored: &ScoredEdition, groups: String) -> HeadlineCtx {
    let headline = &scored.figures.headline;
    HeadlineCtx {
        groups,
        units: headline.units,
        counts: counts_ctx(headline),
        not_conform: headline.overall.aandacht + headline.overall.onvoldoende,
        previous: scored.previous.as_ref().map(|p| PreviousCountsCtx {
            year: p.year,
            counts: counts_ctx(&p.figures.headline),
            units: p.figures.headline.units,
        }),
    }
}

/// The groups outside the headline that have units.
fn other_groups(scored: &ScoredEdition) -> Vec<GroupCtx> {
    scored
        .edition_file()
        .groups
        .iter()
        .filter(|g| !g.headline)
        .filter_map(|g| {
            let c = scored.figures.group(&g.id)?;
            (c.units > 0).then(|| GroupCtx {
                name: g.name.clone(),
                units: c.units,
                counts: counts_ctx(c),
                sentence: dutch::verdicts_sentence(
                    &g.name,
                    only_unit(scored, &g.id).as_deref(),
                    &c.overall,
                ),
            })
        })
        .collect()
}

/// The national key figures, with the previous edition's.
fn totals_ctx(scored: &ScoredEdition) -> TotalsCtx {
    let totals = |t: &crate::figures::scored::Totals| TotalsCtx {
        suspects: dutch::number(t.suspects as i64),
        case_files: dutch::number(t.case_files as i64),
        victims: dutch::number(t.victims as i64),
        units_reporting: t.units_reporting,
        previous: None,
    };
    let mut totals_ctx = totals(&scored.figures.totals);
    totals_ctx.previous = scored
        .previous
        .as_ref()
        .map(|p| Box::new(totals(&p.figures.totals)));
    totals_ctx
}

/// The free chapters in the edition's order. Placeholders are filled and
/// checked once, before rendering (`chapters::fill_all`); a chapter whose
/// placeholders fail is left out, never printed raw.
fn chapters_ctx(
    e: &crate::data::model::EditionFile,
    chapters: &[FilledChapter],
) -> Vec<ChapterCtx> {
    let filled: std::collections::HashMap<&str, &str> = chapters
        .iter()
        .map(|c| (c.id.as_str(), c.text.as_str()))
        .collect();
    e.chapters
        .iter()
        .filter_map(|c| {
            let text = filled.get(c.id.as_str())?;
            Some(ChapterCtx {
                before: section_id(c.before),
                title: c.title.clone(),
                blocks: prose(text),
            })
        })
        .collect()
}

/// The key figures' totals in words: this edition's, and the comparison
/// with the previous edition over the same units
/// ([`crate::figures::totals::like_for_like`]), naming the units left out.
/// "The eenheden", not "de politie": the KMar is no part of the police.
fn totals_sentence(scored: &ScoredEdition, year: u16) -> String {
    let t = &scored.figures.totals;
    use crate::words::dutch::{agree, count};
    let verdachten = |n: u64| count(n, "verdachte", "verdachten");
    let zaken = |n: u64| count(n, "zaak", "zaken");
    let mut s = format!(
        "In {year} hebben de eenheden samen {} van mensenhandel in beeld gebracht en {} bij het Openbaar Ministerie aangeleverd",
        verdachten(t.suspects),
        zaken(t.case_files),
    );
    let names = |ids: &[String], edition: Option<&crate::figures::scored::PreviousEdition>| {
        let names: Vec<String> = ids
            .iter()
            .map(|id| match edition {
                Some(p) => p.unit(id).map_or(id.clone(), ScoredUnit::name_in_text),
                None => scored.unit(id).map_or(id.clone(), ScoredUnit::name_in_text),
            })
            .collect();
        dutch::list(&names)
    };
    match scored.like_for_like.clone() {
        Some(l) if l.is_whole() => s.push_str(&format!(
            " (in {}: {} en {})",
            l.year,
            verdachten(l.before.suspects),
            zaken(l.before.case_files)
        )),
        // Every unit compared, some of the previous edition's gone: the
        // previous totals without them.
        // Every unit compared, some of the previous edition's gone: the
        // previous totals without them.
        Some(l) if l.new.is_empty() && l.unreported.is_empty() => s.push_str(&format!(
            " (in {}: {} en {}, zonder {}, in {year} niet meer beoordeeld)",
            l.year,
            verdachten(l.before.suspects),
            zaken(l.before.case_files),
            names(&l.gone, scored.previous.as_ref()),
        )),
        Some(l) => {
            s.push_str(&format!(
                ". Over dezelfde eenheden als in {y} zijn dat {} en {}, tegen {} en {} in {y}",
                verdachten(l.now.suspects),
                zaken(l.now.case_files),
                verdachten(l.before.suspects),
                zaken(l.before.case_files),
                y = l.year,
            ));
            let are = |n: usize| dutch::agree(n as u64, "is", "zijn");
            let mut why = Vec::new();
            if !l.new.is_empty() {
                why.push(format!(
                    "{} {} in {} niet beoordeeld",
                    names(&l.new, None),
                    are(l.new.len()),
                    l.year
                ));
            }
            if !l.unreported.is_empty() {
                why.push(format!(
                    "van {} zijn over {} geen kerncijfers gemeld",
                    names(&l.unreported, None),
                    l.year
                ));
            }
            if !l.gone.is_empty() {
                why.push(format!(
                    "{} {} in {year} niet meer beoordeeld",
                    names(&l.gone, scored.previous.as_ref()),
                    are(l.gone.len())
                ));
            }
            s.push_str(&format!("; {}", dutch::list(&why)));
        }
        None => {}
    }
    s.push_str(&format!(
        ". Er {} {} gemeld.",
        agree(t.victims, "is", "zijn"),
        count(t.victims, "slachtoffer", "slachtoffers")
    ));
    s
}

/// Each chain partner with the units' ratings of it, in report order.
fn partners_ctx(scored: &ScoredEdition) -> Vec<PartnerCtx> {
    let mut partners = Vec::new();
    for p in &scored.edition_file().partners {
        let mut counts = RatingCounts::default();
        let mut ratings = Vec::new();
        for (su, unit) in scored.units_with_files() {
            if let Some(r) = unit.partners.get(&p.id) {
                match r.rating {
                    Rating::Goed => counts.goed += 1,
                    Rating::Voldoende => counts.voldoende += 1,
                    Rating::Matig => counts.matig += 1,
                    Rating::Onvoldoende => counts.onvoldoende += 1,
                }
                ratings.push(RatingCtx {
                    name: su.name.clone(),
                    rating: rating_id(r.rating),
                    remark: r.remark.clone(),
                });
            }
        }
        partners.push(PartnerCtx {
            name: p.name.clone(),
            abbreviation: p.abbreviation.clone(),
            counts,
            ratings,
        });
    }
    partners
}

/// The national recommendations by theme, numbered through, each with the
/// names of those it is addressed to.
fn themes_ctx(scored: &ScoredEdition) -> Vec<ThemeCtx> {
    let e = scored.edition_file();
    let addressee_name = |id: &str| -> String {
        e.partners
            .iter()
            .find(|p| p.id == id)
            .map(|p| p.name.clone())
            .or_else(|| {
                e.addressees
                    .iter()
                    .find(|a| a.id == id)
                    .map(|a| a.name.clone())
            })
            .unwrap_or_else(|| id.to_string())
    };
    let mut number = 0;
    let Some(r) = &scored.source().recommendations else {
        return Vec::new();
    };
    r.value
        .themes
        .iter()
        .map(|t| ThemeCtx {
            title: t.title.clone(),
            recommendations: t
                .recommendations
                .iter()
                .map(|rec| {
                    number += 1;
                    let to: Vec<String> =
                        rec.addressed_to.iter().map(|a| addressee_name(a)).collect();
                    RecommendationCtx {
                        number,
                        id: rec.id.clone(),
                        text: prose(&rec.text),
                        addressed_to: dutch::list(&to),
                    }
                })
                .collect(),
        })
        .collect()
}

/// The units new since earlier editions, with the former units they hold.
fn new_units_ctx(scored: &ScoredEdition) -> Vec<NewUnitCtx> {
    scored
        .edition_file()
        .new_units
        .iter()
        .map(|n| NewUnitCtx {
            id: n.id.clone(),
            name: n.name.clone(),
            units: former_units(scored, &n.former)
                .iter()
                .map(|u| u.id.clone())
                .collect(),
            recommendations: n.recommendations.iter().map(|r| prose(r)).collect(),
            sentence: former_sentence(scored, &n.former),
            series: crate::render::trends::new_unit(scored, &n.id).filter(|s| s.years.len() > 1),
        })
        .collect()
}

/// The one unit of a group, with its article, when the group has exactly one.
fn only_unit(scored: &ScoredEdition, group: &str) -> Option<String> {
    let mut units = scored.units.iter().filter(|u| u.group == group);
    match (units.next(), units.next()) {
        (Some(u), None) => Some(u.name_in_text()),
        _ => None,
    }
}

/// "Deze eenheid omvat de voormalige politieregio's Groningen, Friesland en
/// Drenthe.": the former units named with the plural name of their group
/// (the data gives groups a plural name only, so one former unit is named
/// after it: "Van de voormalige politieregio's valt alleen Utrecht onder
/// deze eenheid.").
fn former_sentence(scored: &ScoredEdition, former: &[String]) -> Option<String> {
    let units = former_units(scored, former);
    let first = units.first()?;
    let same_group = units.iter().all(|u| u.group == first.group);
    let group = scored
        .group(&first.group)
        .map(|g| g.name.as_str())
        .filter(|_| same_group)
        .unwrap_or("eenheden");
    Some(match units.as_slice() {
        [one] => format!(
            "Van de {group} valt alleen {} onder deze eenheid.",
            one.name_in_text()
        ),
        many => format!(
            "Deze eenheid omvat de {group} {}.",
            dutch::list(&many.iter().map(|u| u.name.clone()).collect::<Vec<_>>())
        ),
    })
}

/// The units of this edition among `ids`, each once, in report order.
fn former_units<'a>(scored: &'a ScoredEdition, ids: &[String]) -> Vec<&'a ScoredUnit> {
    let mut at: Vec<usize> = ids.iter().filter_map(|id| scored.position(id)).collect();
    at.sort_unstable();
    at.dedup();
    at.into_iter().map(|i| &scored.units[i]).collect()
}

/// Names with their articles, joined the Dutch way.
fn names_in_text(scored: &ScoredEdition, ids: &[String]) -> String {
    dutch::list(
        &ids.iter()
            .filter_map(|id| scored.unit(id).map(ScoredUnit::name_in_text))
            .collect::<Vec<_>>(),
    )
}

/// The units of `ids` (of an unchanged overall verdict) whose dimensions
/// moved on balance the way `sign` says: more of them better (1) or worse
/// (-1) than the previous edition.
fn moved_on_balance(scored: &ScoredEdition, ids: &[String], sign: i32) -> Vec<String> {
    ids.iter()
        .filter(|id| {
            scored.unit(id).is_some_and(|u| {
                let net: i32 = u
                    .dimensions
                    .iter()
                    .map(|d| match d.change {
                        Some(Trend::Better) => 1,
                        Some(Trend::Worse) => -1,
                        _ => 0,
                    })
                    .sum();
                net.signum() == sign
            })
        })
        .cloned()
        .collect()
}

/// What changed in the method since the previous edition, and the units
/// whose overall verdict moved because of it: with the previous edition's
/// method, their points would have kept their previous verdict (a manual
/// verdict stands under either method). Both none without a previous
/// edition scored with points, or when the method is the same.
fn method_sentences(scored: &ScoredEdition) -> (Option<MethodCtx>, Option<String>) {
    let Some(prev) = scored.source().previous.as_deref() else {
        return (None, None);
    };
    let year = prev.edition.value.year;
    let changes = crate::figures::method::changes(&prev.edition.value, scored.edition_file());
    let points = |e: &crate::data::model::EditionFile| {
        e.assessment == crate::data::model::Assessment::Points
    };
    if changes.is_empty() || !points(&prev.edition.value) || !points(scored.edition_file()) {
        return (None, None);
    }
    let method = Some(MethodCtx {
        since: year,
        changes: changes.iter().map(|m| m.phrase.clone()).collect(),
    });
    let Some(under) = crate::figures::method::verdicts_under(scored.source(), &prev.edition.value)
    else {
        return (method, None);
    };
    let moved: Vec<String> = scored
        .units
        .iter()
        .filter(|u| {
            let before = scored
                .previous
                .as_ref()
                .and_then(|p| p.unit(&u.id))
                .map(|p| p.verdict);
            before.is_some_and(|b| b != u.verdict)
                && under.get(&u.id).map(|(v, _)| Some(*v)) == Some(before)
        })
        .map(|u| u.id.clone())
        .collect();
    let moved = (!moved.is_empty()).then(|| {
        format!(
            "Door de wijziging van de methode, niet door hun punten, kregen een ander totaaloordeel dan in {year}: {}; met de methode van {year} hadden dezelfde punten hun oordeel van toen gegeven.",
            names_in_text(scored, &moved)
        )
    });
    (method, moved)
}

/// The report's generated sentences.
fn sentences(
    e: &crate::data::model::EditionFile,
    scored: &ScoredEdition,
    headline_groups: &str,
) -> SentencesCtx {
    use crate::words::dutch::{NBSP, agree, count};
    let h = &scored.figures.headline;
    let only = (h.units == 1)
        .then(|| scored.headline_units().next().map(ScoredUnit::name_in_text))
        .flatten();
    let not_conform = u64::from(h.overall.aandacht + h.overall.onvoldoende);
    let not_conform = match not_conform {
        0 => format!("Alle {headline_groups} presteren conform norm."),
        n => format!(
            "Van de {headline_groups} {} er {}{NBSP}niet conform norm.",
            agree(n, "presteert", "presteren"),
            dutch::number(n as i64)
        ),
    };
    let t = &scored.figures.totals;
    let year = e.year;
    let totals = (t.units_reporting > 0).then(|| totals_sentence(scored, year));
    let c = &scored.comparison;
    // Units whose overall verdict moved, and those whose trend comes from
    // the dimensions alone: said apart, so no sentence contradicts the table.
    let (overall_better, dims_better) = (c.better.clone(), moved_on_balance(scored, &c.same, 1));
    let (overall_worse, dims_worse) = (c.worse.clone(), moved_on_balance(scored, &c.same, -1));
    let previous = scored.previous.as_ref();
    let nonempty = |ids: &[String], f: &dyn Fn(String) -> String| {
        (!ids.is_empty()).then(|| f(names_in_text(scored, ids)))
    };
    let (method, method_moved) = method_sentences(scored);
    SentencesCtx {
        method,
        method_moved,
        headline: dutch::verdicts_sentence(headline_groups, only.as_deref(), &h.overall),
        previous: previous.map(|p| {
            // The previous edition's own headline groups: after a
            // reorganisation they are other units.
            let groups = scored
                .trends
                .editions
                .iter()
                .find(|e| e.year == p.year)
                .map_or(headline_groups, |e| e.headline_groups.as_str());
            dutch::previous_verdicts_sentence(
                p.year,
                p.figures.headline.units,
                groups,
                &p.figures.headline.overall,
            )
        }),
        not_conform,
        totals,
        better_overall: previous.and_then(|p| {
            nonempty(&overall_better, &|names| {
                format!("Een beter totaaloordeel dan in {} kregen: {names}.", p.year)
            })
        }),
        better_dimensions: previous.and_then(|p| {
            nonempty(&dims_better, &|names| {
                format!(
                    "Hetzelfde totaaloordeel als in {}, maar op meer dimensies beter dan slechter: {names}.",
                    p.year
                )
            })
        }),
        worse_overall: previous.and_then(|p| {
            nonempty(&overall_worse, &|names| {
                format!("Een slechter totaaloordeel dan in {} kregen: {names}.", p.year)
            })
        }),
        worse_dimensions: previous.and_then(|p| {
            nonempty(&dims_worse, &|names| {
                format!(
                    "Hetzelfde totaaloordeel als in {}, maar op meer dimensies slechter dan beter: {names}.",
                    p.year
                )
            })
        }),
        new: nonempty(&c.new, &|names| format!("Voor het eerst beoordeeld: {names}.")),
        dimensions: count(e.dimensions.len() as u64, "dimensie", "dimensies"),
    }
}

fn manual_ctx(
    m: &Option<crate::data::model::ManualVerdict>,
    computed: Option<Verdict>,
) -> Option<ManualCtx> {
    m.as_ref().map(|m| ManualCtx {
        computed: computed.map(VerdictCtx::from),
        justification: prose(&m.justification),
    })
}

fn unit_ctx(
    scored: &ScoredEdition,
    u: &ScoredUnit,
    peers: Option<&crate::figures::series::UnitPeers>,
    file: &crate::data::model::UnitFile,
    group: &str,
    partner_names: &std::collections::HashMap<&str, &str>,
    chart: &dyn Fn(&str) -> Option<ChartCtx>,
) -> UnitCtx {
    let e = scored.edition_file();
    // A unit's dimensions are scored in the edition's order.
    let dimensions = u
        .dimensions
        .iter()
        .zip(&e.dimensions)
        .map(|(d, def)| {
            let findings = file
                .dimensions
                .get(&d.id)
                .map(|x| prose(&x.findings))
                .unwrap_or_default();
            UnitDimensionCtx {
                id: d.id.clone(),
                name: def.name.clone(),
                short_name: def.short_name.clone(),
                score: d.score.map(|s| percent(s.tenths)),
                points: (d.possible > 0 && d.score.is_some()).then(|| {
                    format!(
                        "{} van {}{}{}",
                        d.awarded,
                        d.possible,
                        dutch::NBSP,
                        dutch::agree(u64::from(d.possible), "punt", "punten")
                    )
                }),
                points_short: (d.possible > 0 && d.score.is_some())
                    .then(|| format!("{} van {}", d.awarded, d.possible)),
                verdict: d.verdict.map(VerdictCtx::from),
                manual: manual_ctx(&d.manual, d.computed_verdict),
                previous: d.previous_verdict.map(VerdictCtx::from),
                change: d.change.map(TrendCtx::from),
                comparable: d.comparable,
                findings,
            }
        })
        .collect();
    let partners = file
        .partners
        .iter()
        .map(|(id, r)| RatingCtx {
            name: partner_names.get(id).unwrap_or(&id).to_string(),
            rating: rating_id(r.rating),
            remark: r.remark.clone(),
        })
        .collect();
    UnitCtx {
        id: u.id.clone(),
        label: format!("eenheid-{}", u.id),
        name: u.name.clone(),
        group: group.to_string(),
        verdict: u.verdict.into(),
        score: u.score.map(|s| percent(s.tenths)),
        manual: manual_ctx(&u.manual, u.computed_verdict),
        previous: u.previous_verdict.map(VerdictCtx::from),
        compared_with: u.compared_with.clone(),
        trend: u.trend.map(|t| TrendCtx {
            label: u.change.clone().unwrap_or_else(|| t.label().to_string()),
            ..TrendCtx::from(t)
        }),
        dimensions,
        recommendations: file.recommendations.iter().map(|r| prose(r)).collect(),
        key_figures: u.key_figures.map(|k| KeyFiguresCtx {
            suspects: dutch::number(i64::from(k.suspects)),
            case_files: dutch::number(i64::from(k.case_files)),
            victims: dutch::number(i64::from(k.victims)),
        }),
        chart: chart(&format!("charts/eenheid-{}.svg", u.id)),
        partners,
        series: scored
            .trends
            .unit(&u.id)
            .filter(|s| s.points.len() > 1)
            .map(|s| crate::render::trends::unit(scored, s)),
        peers_note: (u.score.is_some() && peers.is_none()).then(|| peers_note(scored, u)),
        peers: peers.and_then(|p| {
            crate::render::trends::peers(
                scored,
                u,
                p,
                chart(&crate::render::charts::peer_file(&u.id)),
            )
        }),
    }
}

/// Why `u`, which has scores, is not compared with its group's spread: the
/// group has fewer than [`crate::figures::trends::MIN_PEER_GROUP`] units
/// with a score.
fn peers_note(scored: &ScoredEdition, u: &ScoredUnit) -> String {
    let others: Vec<String> = scored
        .units
        .iter()
        .filter(|o| o.group == u.group && o.id != u.id && o.score.is_some())
        .map(ScoredUnit::name_in_text)
        .collect();
    let name = dutch::capitalise(&u.name_in_text());
    let group = scored.group_name(&u.group);
    if others.is_empty() {
        format!(
            "{name} is de enige eenheid van de groep {group} met een score en wordt daarom niet met andere eenheden vergeleken."
        )
    } else {
        format!(
            "{name} vormt met {} de groep {group}; bij zo weinig eenheden zegt de spreiding van de groep niets, en {} wordt daarom niet met de groep vergeleken.",
            dutch::list(&others),
            u.name_in_text()
        )
    }
}

/// The annex items of one unit's changes.
fn unit_changes(u: &crate::figures::diff::UnitDiff, scored: &ScoredEdition) -> UnitChangesCtx {
    let numbers = IndicatorNumbers::of(scored.edition_file());
    let dim_name = |id: &str| {
        scored
            .dimensions
            .iter()
            .find(|x| x.id == id)
            .map(|x| x.name.clone())
            .unwrap_or_else(|| id.to_string())
    };
    let rated = |r: &crate::figures::diff::Rated| match &r.score {
        Some(s) => format!("{} ({s})", r.verdict),
        None => r.verdict.clone(),
    };
    let opt = |v: &Option<String>| v.clone().unwrap_or_else(|| "geen".into());
    let item = |label: String, text: String| ChangeItemCtx {
        label,
        text,
        words: Vec::new(),
    };
    let mut items = Vec::new();
    if let Some((o, n)) = &u.verdict {
        let mut method = old_method(u.old_method_verdict.as_deref(), &o.verdict);
        if u.score_moved_by_method {
            method.push_str(
                "; de score veranderde door de wijziging van de methode, de punten zijn gelijk",
            );
        }
        items.push(item(
            "Totaaloordeel".into(),
            format!("{} → {}{method}", rated(o), rated(n)),
        ));
    }
    if let Some((o, n)) = &u.manual {
        items.push(item(
            "Handmatig totaaloordeel".into(),
            format!("{} → {}", opt(o), opt(n)),
        ));
    }
    for dd in &u.dimensions {
        let name = dim_name(&dd.id);
        if let Some(side) = dd.only_in {
            let text = match side {
                crate::figures::diff::Side::New => "nieuw",
                crate::figures::diff::Side::Old => "vervallen",
            };
            items.push(item(name, text.into()));
            continue;
        }
        if let Some((o, n)) = &dd.verdict {
            let method = old_method(dd.old_method_verdict.as_deref(), &o.verdict);
            items.push(item(
                name.clone(),
                format!("{} → {}{method}", rated(o), rated(n)),
            ));
        }
        for (ind, o, n) in &dd.points {
            let ind = numbers.get(&dd.id, ind);
            items.push(item(
                format!("Punten {name}, indicator {ind}"),
                format!("{o} → {n}"),
            ));
        }
        if let Some((o, n)) = &dd.manual {
            items.push(item(
                format!("Handmatig oordeel {name}"),
                format!("{} → {}", opt(o), opt(n)),
            ));
        }
        if !dd.findings.is_empty() {
            items.push(ChangeItemCtx {
                label: format!("Bevindingen {name}"),
                text: String::new(),
                words: crate::figures::diff::changed_sentences(&dd.findings),
            });
        }
    }
    for r in &u.recommendations_added {
        items.push(item("Aanbeveling toegevoegd".into(), r.clone()));
    }
    for r in &u.recommendations_removed {
        items.push(item("Aanbeveling vervallen".into(), r.clone()));
    }
    items.extend(u.fields.iter().map(field_item));
    UnitChangesCtx {
        name: u.name.clone(),
        items,
    }
}

/// The annex context from a semantic diff.
pub fn changes(d: &crate::figures::diff::EditionDiff, scored: &ScoredEdition) -> ChangesCtx {
    let item = |label: String, text: String| ChangeItemCtx {
        label,
        text,
        words: Vec::new(),
    };
    let units = d.units.iter().map(|u| unit_changes(u, scored)).collect();
    ChangesCtx {
        since: d.old.clone(),
        method: d
            .method
            .iter()
            .map(|m| {
                item(
                    m.dutch.clone(),
                    format!("{} → {}", dutch_value(&m.old), dutch_value(&m.new)),
                )
            })
            .collect(),
        units,
        files: file_changes(
            &d.fields,
            scored.edition_file(),
            scored.source().recommendations.as_ref().map(|r| &r.value),
        ),
        added: d.added_units.clone(),
        removed: d.removed_units.clone(),
        figures: d
            .figures
            .iter()
            .map(|f| {
                format!(
                    "{}: {} → {}",
                    crate::words::dutch::capitalise(&f.figure.dutch_label()),
                    f.old,
                    f.new
                )
            })
            .collect(),
    }
}

/// What the annex adds to a changed verdict when the old method would
/// have given the new points verdict `v` (the old verdict being `old`).
fn old_method(v: Option<&str>, old: &str) -> String {
    match v {
        Some(v) if v == old => format!(
            "; met de oude methode gaven dezelfde punten {v}: het oordeel is veranderd door de wijziging van de methode, niet door de punten"
        ),
        Some(v) => format!("; met de oude methode gaven dezelfde punten {v}"),
        None => String::new(),
    }
}

/// A value of a change as the annex shows it: `none` as "geen".
fn dutch_value(v: &str) -> String {
    // A decimal number with the Dutch comma ("1,5"), as the report writes it.
    if let Some((a, b)) = v.split_once('.')
        && !a.is_empty()
        && a.trim_start_matches('-')
            .bytes()
            .all(|c| c.is_ascii_digit())
        && b.trim_end_matches('%').bytes().all(|c| c.is_ascii_digit())
        && !b.is_empty()
    {
        return format!("{a},{b}");
    }
    match v {
        "none" => "geen".into(),
        "added" => "toegevoegd".into(),
        "present" => "aanwezig".into(),
        "true" => "ja".into(),
        "false" => "nee".into(),
        other => other.to_string(),
    }
}

/// The Dutch words for the fields of the data files, as the annex names
/// them (`thresholds` "drempels"); a field not listed keeps its own name.
const FIELD_WORDS: &[(&str, &str)] = &[
    ("title", "titel"),
    ("period", "periode"),
    ("status", "status"),
    ("publisher", "uitgever"),
    ("date", "datum"),
    ("dimensions", "dimensie"),
    ("name", "naam"),
    ("short_name", "korte naam"),
    ("description", "omschrijving"),
    ("weight", "gewicht"),
    ("thresholds", "drempels"),
    ("overall_thresholds", "drempels totaaloordeel"),
    ("conform_norm", "conform norm"),
    ("aandacht", "aandacht"),
    ("indicators", "indicator"),
    ("question", "vraag"),
    ("max_points", "maximum punten"),
    ("groups", "groep"),
    ("units", "eenheden"),
    ("partners", "ketenpartner"),
    ("abbreviation", "afkorting"),
    ("abbreviations", "afkorting"),
    ("addressees", "geadresseerde"),
    ("themes", "thema"),
    ("recommendations", "aanbeveling"),
    ("text", "tekst"),
    ("addressed_to", "gericht aan"),
    ("key_figures", "kerncijfers"),
    ("suspects", "verdachten"),
    ("case_files", "zaken"),
    ("victims", "slachtoffers"),
    ("manager", "korpsbeheerder"),
    ("address", "adres"),
    ("salutation", "aanhef"),
    ("rating", "oordeel"),
    ("remark", "opmerking"),
    ("justification", "motivering"),
    ("manual_verdict", "handmatig oordeel"),
    ("notes", "interne notities"),
    ("keywords", "trefwoorden"),
    ("subject", "onderwerp"),
    ("body", "tekst"),
    ("footnotes", "voetnoten"),
    ("covering", "aanbiedingsbrief"),
    ("manager_letters", "brieven aan de korpsbeheerders"),
    ("illustrative_notice", "toelichting illustratieve gegevens"),
];

/// A field path of the data (`dimensions[toezicht].thresholds.aandacht`)
/// in the annex's words ("dimensie toezicht, drempels, aandacht").
fn field_label(path: &str) -> String {
    path.split('.')
        .map(|segment| {
            let (name, key) = match segment.split_once('[') {
                Some((n, k)) => (n, Some(k.trim_end_matches(']'))),
                None => (segment, None),
            };
            let word = FIELD_WORDS
                .iter()
                .find(|(k, _)| *k == name)
                .map_or(name.replace('_', " "), |(_, w)| (*w).to_string());
            match key {
                Some(k) => format!("{word} {k}"),
                None => word,
            }
        })
        .collect::<Vec<_>>()
        .join(", ")
}

/// One changed field as an annex item: its label in words, and its word
/// diff or its old and new values.
fn field_item(f: &crate::figures::diff::FieldChange) -> ChangeItemCtx {
    let label = field_label(&f.field);
    let label = crate::words::dutch::capitalise(&label);
    ChangeItemCtx {
        label,
        text: if f.words.is_empty() {
            format!("{} → {}", dutch_value(&f.old), dutch_value(&f.new))
        } else {
            String::new()
        },
        words: crate::figures::diff::changed_sentences(&f.words),
    }
}

/// The changed fields of the edition's other files, grouped by file under
/// the names a reader knows.
fn file_changes(
    fields: &[crate::figures::diff::FieldChange],
    edition: &crate::data::model::EditionFile,
    recommendations: Option<&crate::data::model::RecommendationsFile>,
) -> Vec<UnitChangesCtx> {
    let mut out: Vec<UnitChangesCtx> = Vec::new();
    for f in fields {
        let (group, rest) = if let Some(rest) = f.field.strip_prefix("edition.yaml: ") {
            (
                "Uitgave en methode (edition.yaml)".to_string(),
                rest.to_string(),
            )
        } else if let Some(rest) = f.field.strip_prefix("recommendations.yaml: ") {
            (
                "Algemene aanbevelingen (recommendations.yaml)".to_string(),
                rest.to_string(),
            )
        } else if let Some(rest) = f.field.strip_prefix("letter.yaml: ") {
            let which = if rest.starts_with("manager_letters") {
                "Brieven aan de korpsbeheerders"
            } else {
                "Aanbiedingsbrief"
            };
            (which.to_string(), rest.to_string())
        } else if let Some(rest) = f.field.strip_prefix("chapter ") {
            let (id, line) = rest.split_once(", line ").unwrap_or((rest, ""));
            let label = if line.is_empty() {
                "hoofdstuk".to_string()
            } else {
                "gewijzigde passage".to_string()
            };
            // The chapter by its title, as the reader knows it.
            let title = edition
                .chapters
                .iter()
                .find(|c| c.id == id)
                .map_or(id, |c| c.title.as_str());
            (format!("Hoofdstuk {title}"), label)
        } else {
            ("Overige".to_string(), f.field.clone())
        };
        // A theme by its title, as the report heads it.
        let mut rest = rest;
        if let Some(recs) = recommendations {
            for t in &recs.themes {
                rest = rest.replace(
                    &format!("themes[{}]", t.id),
                    &format!("themes[{}]", t.title),
                );
            }
        }
        let mut item = field_item(&crate::figures::diff::FieldChange {
            field: rest.clone(),
            ..f.clone()
        });
        if group.starts_with("Hoofdstuk") {
            item.label = crate::words::dutch::capitalise(&rest);
        }
        match out.iter_mut().find(|g| g.name == group) {
            Some(g) => g.items.push(item),
            None => out.push(UnitChangesCtx {
                name: group,
                items: vec![item],
            }),
        }
    }
    out
}

/// The numbers a reader sees for the indicators ("2.3", as in bijlage A),
/// by dimension and indicator id.
struct IndicatorNumbers<'a>(std::collections::HashMap<(&'a str, &'a str), String>);

impl<'a> IndicatorNumbers<'a> {
    fn of(e: &'a crate::data::model::EditionFile) -> IndicatorNumbers<'a> {
        let mut numbers = std::collections::HashMap::new();
        for (di, d) in e.dimensions.iter().enumerate() {
            for (ii, i) in d.indicators.iter().enumerate() {
                numbers.insert(
                    (d.id.as_str(), i.id.as_str()),
                    format!("{}.{}", di + 1, ii + 1),
                );
            }
        }
        IndicatorNumbers(numbers)
    }

    /// The number of an indicator, or its key when the edition no longer
    /// has it.
    fn get(&self, dimension: &str, indicator: &str) -> String {
        self.0
            .get(&(dimension, indicator))
            .cloned()
            .unwrap_or_else(|| indicator.to_string())
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

    fn date() -> Date {
        Date::parse("2031-07-06").unwrap()
    }

    #[test]
    fn indicators_are_numbered_as_in_bijlage_a() {
        let s = mini();
        let n = IndicatorNumbers::of(s.edition_file());
        assert_eq!(n.get("toezicht", "controle"), "1.1");
        assert_eq!(n.get("toezicht", "vergunning"), "1.2");
        assert_eq!(n.get("opsporing", "onderzoek"), "2.1");
        assert_eq!(n.get("opsporing", "vervallen"), "vervallen");
    }

    #[test]
    fn former_units_are_listed_once_in_report_order() {
        let s = mini();
        let ids = |ids: &[&str]| -> Vec<String> {
            let ids: Vec<String> = ids.iter().map(|i| i.to_string()).collect();
            former_units(&s, &ids)
                .iter()
                .map(|u| u.id.clone())
                .collect()
        };
        assert_eq!(ids(&["gamma", "alfa", "alfa", "weg"]), ["alfa", "gamma"]);
        assert!(ids(&["weg"]).is_empty());
    }

    #[test]
    fn each_unit_chapter_is_made_from_its_own_file() {
        let s = mini();
        let ctx = context(&s, &[], &[], date(), "Noto Sans");
        assert_eq!(ctx.units.len(), s.units.len());
        for (u, c) in s.units.iter().zip(&ctx.units) {
            let file = &s.file(u).value;
            assert_eq!(c.id, u.id);
            assert_eq!(c.recommendations.len(), file.recommendations.len());
            assert_eq!(c.partners.len(), file.partners.0.len());
            let names: Vec<&str> = c.dimensions.iter().map(|d| d.name.as_str()).collect();
            assert_eq!(names, ["Toezicht", "Opsporing"]);
            assert_eq!(c.group, s.group_name(&u.group));
        }
        assert_eq!(ctx.headline.groups, "korpsen");
    }

    #[test]
    fn a_free_chapter_is_printed_only_when_filled() {
        let s = mini();
        assert!(context(&s, &[], &[], date(), "F").chapters.is_empty());
        let filled = [FilledChapter {
            id: "inleiding".into(),
            path: "chapters/inleiding.txt".into(),
            text: "Tekst met *nadruk*.".into(),
        }];
        let ctx = context(&s, &filled, &[], date(), "F");
        assert_eq!(ctx.chapters.len(), 1);
        assert_eq!(ctx.chapters[0].title, "Inleiding");
        assert_eq!(ctx.chapters[0].before, "samenvatting");
        assert_eq!(ctx.chapters[0].blocks, prose("Tekst met *nadruk*."));
    }
}
