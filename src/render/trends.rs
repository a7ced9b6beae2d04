//! The trends and peers as the report prints them: each unit's verdicts in
//! every edition of the chain, the national distribution per edition with
//! the moves between editions, the summary's lists, and each unit's place
//! among its peers in Dutch words. Everything is read from
//! [`crate::figures::trends`]; nothing is computed again here.

use crate::data::model::Verdict;
use crate::data::values::{Percent, Trend};
use crate::figures::scored::{ScoredEdition, ScoredUnit};
use crate::figures::series::{DimensionMark, Position, UnitPeers, UnitSeries};
use crate::render::context::trends::*;
use crate::render::context::{ChartCtx, CountsCtx, TrendCtx, VerdictCtx};
use crate::render::table::{Cell, DataTable};
use crate::words::dutch;

/// The most editions a unit's trend table shows: the newest ones. A chain
/// can be longer ([`crate::data::chain::MAX_CHAIN`]); the table says how many it
/// leaves out.
pub const MAX_TABLE_EDITIONS: usize = 8;

/// How the headline units (`groups`) moved between the editions of `p`,
/// in one sentence; units that continue others were compared with their
/// predecessors, not assessed in the earlier edition, and it says so.
fn pair_sentence(p: &crate::figures::series::PairCounts, groups: &str) -> String {
    let total = p.better + p.same + p.worse;
    let n = |k: u32| dutch::number(i64::from(k));
    if total == 1 {
        let how = if p.better == 1 {
            "verbeterd"
        } else if p.worse == 1 {
            "verslechterd"
        } else {
            "gelijk gebleven"
        };
        return if p.continued {
            format!(
                "De enige eenheid van de {groups}, vergeleken met de voorgangers in {}, is {how}.",
                p.from
            )
        } else {
            format!(
                "De enige eenheid van de {groups} die in {} en in {} is beoordeeld, is {how}.",
                p.from, p.to
            )
        };
    }
    // Units that continue others were not assessed in the earlier edition:
    // they were compared with their predecessors there.
    let assessed = if p.continued {
        format!(", elk vergeleken met de voorgangers in {},", p.from)
    } else {
        format!(" die in {} en in {} zijn beoordeeld,", p.from, p.to)
    };
    format!(
        "Van de {} {groups}{assessed} {} er {} verbeterd, {} gelijk gebleven en {} verslechterd.",
        n(total),
        dutch::agree(u64::from(p.better), "is", "zijn"),
        n(p.better),
        n(p.same),
        n(p.worse),
    )
}

/// The words for a year of a series without a verdict.
fn missing(p: &crate::figures::series::SeriesPoint) -> &'static str {
    if p.comparable {
        "niet beoordeeld"
    } else {
        "niet vergelijkbaar"
    }
}

fn pct(p: Percent) -> String {
    dutch::percent_tenths(p.tenths)
}

/// The report's trends.
pub fn report(scored: &ScoredEdition, groups: &str) -> TrendsCtx {
    let t = &scored.trends;
    let name_list = |ids: &[String]| {
        dutch::list(
            &ids.iter()
                .filter_map(|id| scored.unit(id).map(ScoredUnit::name_in_text))
                .collect::<Vec<_>>(),
        )
    };
    let first = t.editions.first().map(|e| e.year);
    let editions = t
        .editions
        .iter()
        .map(|e| EditionRowCtx {
            year: e.year,
            units: e.headline_units,
            groups: e.headline_groups.clone(),
            counts: CountsCtx::from(&e.headline),
            moves: t
                .pairs
                .iter()
                .find(|p| p.to == e.year)
                .map(|p| (p.better, p.same, p.worse)),
        })
        .collect();
    let pairs = t
        .pairs
        .iter()
        .map(|p| {
            // The units of a pair are named as the later edition of the pair
            // named its headline groups: 2010's "regiokorpsen" in a 2012
            // report whose own groups are "voormalige politieregio's".
            let groups = t
                .editions
                .iter()
                .find(|e| e.year == p.to)
                .map_or(groups, |e| e.headline_groups.as_str());
            pair_sentence(p, groups)
        })
        .map(|s| dutch::bind_numerals(&s))
        .collect();
    let improved_every_time = (!t.improved_every_time.is_empty()).then(|| {
        format!(
            "In elke monitor sinds {} verbeterd: {}.",
            first.unwrap_or(scored.year),
            name_list(&t.improved_every_time)
        )
    });
    let fell_back_twice = (!t.fell_back_twice.is_empty()).then(|| {
        format!(
            "Twee keer of vaker verslechterd sinds {}: {}.",
            first.unwrap_or(scored.year),
            name_list(&t.fell_back_twice)
        )
    });
    // Grouped by how many editions running: "voor de tweede keer op rij",
    // then "voor de derde keer op rij".
    let mut running: Vec<(usize, Vec<String>)> = Vec::new();
    for id in &t.onvoldoende_running {
        let n = t.unit(id).map_or(0, |s| s.running(Verdict::Onvoldoende));
        match running.iter_mut().find(|(k, _)| *k == n) {
            Some((_, ids)) => ids.push(id.clone()),
            None => running.push((n, vec![id.clone()])),
        }
    }
    running.sort_by_key(|(n, _)| *n);
    let onvoldoende_running = running
        .iter()
        .map(|(n, ids)| {
            format!(
                "Voor de {} keer op rij onvoldoende: {}.",
                dutch::ordinal(*n),
                name_list(ids)
            )
        })
        .collect();
    TrendsCtx {
        any: t.editions.len() > 1,
        years: t.years(),
        editions,
        pairs,
        improved_every_time,
        fell_back_twice,
        onvoldoende_running,
    }
}

/// The chapter's trend table of unit `series`.
pub fn unit(scored: &ScoredEdition, series: &UnitSeries) -> UnitTrendCtx {
    let e = scored.edition_file();
    let left_out = series.points.len().saturating_sub(MAX_TABLE_EDITIONS);
    let shown = &series.points[left_out..];
    let dimensions = e
        .dimensions
        .iter()
        .map(|d| DimensionSeriesCtx {
            id: d.id.clone(),
            short_name: d.short_name.clone(),
            marks: shown
                .iter()
                .map(|p| match p.dimensions.iter().find(|x| x.id == d.id) {
                    None => MarkCtx {
                        kind: "absent",
                        verdict: None,
                    },
                    Some(x) => match x.mark {
                        DimensionMark::Verdict(v) => MarkCtx {
                            kind: "verdict",
                            verdict: Some(v.into()),
                        },
                        DimensionMark::NotApplicable => MarkCtx {
                            kind: "not_applicable",
                            verdict: None,
                        },
                        DimensionMark::NotComparable => MarkCtx {
                            kind: "not_comparable",
                            verdict: None,
                        },
                    },
                })
                .collect(),
        })
        .collect::<Vec<_>>();
    let any_not_comparable = dimensions
        .iter()
        .any(|d| d.marks.iter().any(|m| m.kind == "not_comparable"));
    let words: Vec<String> = series
        .points
        .iter()
        .map(|p| match (p.verdict, p.score) {
            (Some(v), Some(s)) => format!("{} {} ({})", p.year, v.label(), pct(s)),
            (Some(v), None) => format!("{} {}", p.year, v.label()),
            (None, _) => format!("{} {}", p.year, missing(p)),
        })
        .collect();
    let trends: Vec<Option<TrendCtx>> = shown
        .iter()
        .map(|p| {
            p.trend.filter(|t| *t != Trend::New).map(|t| TrendCtx {
                label: p.change.clone().unwrap_or_else(|| t.label().to_string()),
                ..TrendCtx::from(t)
            })
        })
        .collect();
    let mut columns = vec![
        "Monitor".to_string(),
        "Totaaloordeel".to_string(),
        "Score (%)".to_string(),
        "Verandering".to_string(),
    ];
    columns.extend(
        dimensions
            .iter()
            .map(|d| format!("{} oordeel", d.short_name)),
    );
    let table = DataTable {
        caption: format!(
            "Totaaloordeel van {} per monitor{}",
            series_name(scored, &series.id),
            if left_out > 0 {
                format!(" (de laatste {} monitors)", shown.len())
            } else {
                String::new()
            }
        ),
        columns,
        rows: shown
            .iter()
            .zip(&trends)
            .enumerate()
            .map(|(i, (p, t))| {
                let mut row = vec![
                    Cell::Text(p.year.to_string()),
                    p.verdict
                        .map_or(Cell::Text(missing(p).into()), Cell::Verdict),
                    p.score.map_or(Cell::Missing, |s| Cell::Percent(s.tenths)),
                    t.as_ref()
                        .map_or(Cell::Missing, |t| Cell::Text(t.label.clone())),
                ];
                row.extend(dimensions.iter().map(|d| {
                    let m = &d.marks[i];
                    match (m.kind, &m.verdict) {
                        (_, Some(v)) => Cell::Text(v.label.to_string()),
                        ("not_applicable", None) => Cell::Text("n.v.t.".into()),
                        ("not_comparable", None) => Cell::Text("niet vergelijkbaar".into()),
                        _ => Cell::Missing,
                    }
                }));
                row
            })
            .collect(),
    };
    UnitTrendCtx {
        years: shown.iter().map(|p| p.year).collect(),
        left_out,
        missing: shown.iter().map(|p| missing(p).to_string()).collect(),
        verdicts: shown
            .iter()
            .map(|p| p.verdict.map(VerdictCtx::from))
            .collect(),
        scores: shown.iter().map(|p| p.score.map(pct)).collect(),
        trends,
        dimensions,
        any_not_comparable,
        sentence: format!("Totaaloordeel per monitor: {}.", words.join("; ")),
        table,
    }
}

/// The series of a new police unit's former units and its mean.
pub fn new_unit(scored: &ScoredEdition, id: &str) -> Option<NewUnitTrendCtx> {
    let t = &scored.trends;
    let n = t.new_units.iter().find(|n| n.id == id)?;
    let left_out = n.points.len().saturating_sub(MAX_TABLE_EDITIONS);
    let years: Vec<u16> = n.points[left_out..].iter().map(|p| p.year).collect();
    let former: Vec<(String, Vec<Option<VerdictCtx>>)> = n
        .former
        .iter()
        .filter_map(|f| {
            let unit = scored.unit(f)?;
            let series = t.unit(f)?;
            Some((
                unit.name.clone(),
                years
                    .iter()
                    .map(|y| series.at(*y).and_then(|p| p.verdict).map(VerdictCtx::from))
                    .collect(),
            ))
        })
        .collect();
    // The mean of a single former unit is that unit's score: left out.
    let means: Vec<Option<Percent>> = n.points[left_out..]
        .iter()
        .map(|p| p.mean.filter(|_| p.units >= 2))
        .collect();
    let mut columns = vec!["Monitor".to_string()];
    columns.extend(former.iter().map(|(name, _)| name.clone()));
    columns.push("Gemiddelde score (%)".to_string());
    let name = new_unit_name(scored, id);
    let table = DataTable {
        caption: format!("Totaaloordeel van de voormalige eenheden van {name} per monitor"),
        columns,
        rows: years
            .iter()
            .enumerate()
            .map(|(i, y)| {
                let mut row = vec![Cell::Text(y.to_string())];
                row.extend(former.iter().map(|(_, vs)| {
                    vs[i]
                        .as_ref()
                        .map_or(Cell::Text("niet beoordeeld".into()), |v| {
                            Cell::Text(v.label.to_string())
                        })
                }));
                row.push(means[i].map_or(Cell::Missing, |m| Cell::Percent(m.tenths)));
                row
            })
            .collect(),
    };
    Some(NewUnitTrendCtx {
        years,
        former,
        means: means.into_iter().map(|m| m.map(pct)).collect(),
        table,
    })
}

/// The name of unit `id` as a table caption gives it.
fn series_name(scored: &ScoredEdition, id: &str) -> String {
    scored.unit(id).map_or(id.to_string(), |u| u.name.clone())
}

/// The name of new police unit `id`.
fn new_unit_name(scored: &ScoredEdition, id: &str) -> String {
    scored
        .edition_file()
        .new_units
        .iter()
        .find(|n| n.id == id)
        .map_or(id.to_string(), |n| n.name.clone())
}

/// The words for a position against the median.
fn position(p: Position) -> &'static str {
    match p {
        Position::Above => "boven",
        Position::At => "op",
        Position::Below => "onder",
    }
}

/// Where a unit's dimension scores lie against their medians, counted:
/// "Van de 5 dimensies ligt de score op 4 boven de mediaan en op 1 onder
/// de mediaan." Empty without dimensions; "Op alle 3 dimensies …" when
/// they all lie on one side.
fn dimension_positions(positions: &[Position]) -> String {
    let n = positions.len();
    if n == 0 {
        return String::new();
    }
    let parts: Vec<String> = [Position::Above, Position::At, Position::Below]
        .into_iter()
        .filter_map(|p| {
            let k = positions.iter().filter(|x| **x == p).count();
            (k > 0).then_some((p, k))
        })
        .map(|(p, k)| {
            if k == n {
                format!("{} de mediaan", position(p))
            } else {
                format!("op {k} {} de mediaan", position(p))
            }
        })
        .collect();
    match (n, parts.len()) {
        (1, _) => format!(" Op de enige dimensie ligt de score {}.", parts[0]),
        (_, 1) => format!(" Op alle {n} dimensies ligt de score {}.", parts[0]),
        _ => format!(
            " Van de {n} dimensies ligt de score {}.",
            dutch::list(&parts)
        ),
    }
}

/// A unit's place among its peers, in words, with its chart.
pub fn peers(
    scored: &ScoredEdition,
    unit: &ScoredUnit,
    peers: &UnitPeers,
    chart: Option<ChartCtx>,
) -> Option<PeersCtx> {
    let e = scored.edition_file();
    let total = peers.rows.iter().find(|r| r.dimension.is_none())?;
    let group = e
        .groups
        .iter()
        .find(|g| g.id == peers.group)
        .map_or(peers.group.as_str(), |g| g.name.as_str());
    let count = total.group.count;
    let mut s = if count < 2 {
        format!(
            "Van de {group} heeft alleen {} een score; met de andere eenheden valt de score daarom niet te vergelijken.",
            unit.name_in_text()
        )
    } else {
        let mut s = format!(
            "De totaalscore ({}) ligt {} de mediaan van de {count} {group} ({}; laagste {}, hoogste {}).",
            pct(total.score),
            position(total.position),
            pct(total.group.median),
            pct(total.group.min),
            pct(total.group.max),
        );
        // Which dimension lies where is read from the chart beside the
        // sentence; the sentence counts them, so no figure is said twice.
        let positions: Vec<Position> = peers
            .rows
            .iter()
            .filter(|r| r.dimension.is_some())
            .map(|r| r.position)
            .collect();
        s.push_str(&dimension_positions(&positions));
        if count < crate::figures::stats::MIN_FOR_QUARTILES as u32 {
            s.push_str(&format!(
                " Met minder dan drie {group} met een score zijn er geen kwartielen."
            ));
        }
        s
    };
    if let (Some(id), Some(mean)) = (&peers.new_unit, total.new_unit_mean)
        && let Some(n) = e.new_units.iter().find(|n| n.id == *id)
    {
        s.push_str(&format!(
            " Het gemiddelde van de voormalige eenheden van {} is {}.",
            n.name,
            pct(mean)
        ));
    }
    Some(PeersCtx { chart, sentence: s })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ordinals_are_words_up_to_ten() {
        assert_eq!(dutch::ordinal(2), "tweede");
        assert_eq!(dutch::ordinal(3), "derde");
        assert_eq!(dutch::ordinal(8), "achtste");
        assert_eq!(dutch::ordinal(10), "tiende");
        assert_eq!(dutch::ordinal(11), "11e");
    }

    #[test]
    fn dimension_positions_are_counted_not_listed() {
        use Position::*;
        assert_eq!(
            dimension_positions(&[Above, Above, Below, Above, At]),
            " Van de 5 dimensies ligt de score op 3 boven de mediaan, op 1 op de mediaan en op 1 onder de mediaan."
        );
        assert_eq!(
            dimension_positions(&[Below, Below, Below]),
            " Op alle 3 dimensies ligt de score onder de mediaan."
        );
        assert_eq!(
            dimension_positions(&[At]),
            " Op de enige dimensie ligt de score op de mediaan."
        );
        assert_eq!(dimension_positions(&[]), "");
    }

    #[test]
    fn positions_read_as_dutch_prepositions() {
        assert_eq!(position(Position::Above), "boven");
        assert_eq!(position(Position::At), "op");
        assert_eq!(position(Position::Below), "onder");
    }
}
