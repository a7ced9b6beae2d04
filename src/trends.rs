//! Trends and peers: every unit's verdicts over the whole chain of editions
//! that `previous:` links, and its scores against the spread of its group.
//!
//! Rules (also in docs/data-format.md):
//! - a unit's series has one point per edition of the chain, oldest first:
//!   its overall verdict (and score, where the edition has points) and its
//!   trend against the edition before, exactly as that edition's own
//!   scoring gives them; a unit is followed by its id;
//! - a dimension of this edition is followed back edition by edition
//!   through each edition's `previous_dimensions` (or equal ids without
//!   one), see [`crate::score::previous_dimension`]; from the first edition
//!   where it has no single predecessor, its verdicts are "niet
//!   vergelijkbaar", never a guess;
//! - between each pair of consecutive editions, the headline units that
//!   improved, stayed or fell back are counted by their trend;
//! - peers: for the total and each dimension with a score, the spread of
//!   the scores of the units of the unit's group in this edition
//!   ([`crate::stats`]), and the mean of its new police unit's former
//!   units where the edition has new units.

use serde::Serialize;

use crate::load::LoadedEdition;
use crate::model::{Assessment, Thresholds, Verdict};
use crate::score::{Fraction, Percent, ScoredEdition, ScoredUnit, Trend, VerdictCounts};
use crate::stats::{self, Spread};

/// A dimension's verdict in one edition of a unit's series.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(tag = "kind", content = "verdict", rename_all = "snake_case")]
pub enum DimensionMark {
    /// The verdict of the dimension it corresponds to.
    Verdict(Verdict),
    /// The dimension did not apply to the unit (no verdict).
    NotApplicable,
    /// The edition has no single dimension this one compares with.
    NotComparable,
}

impl DimensionMark {
    /// Dutch words for the mark: the verdict's label, "n.v.t." or "niet
    /// vergelijkbaar".
    pub fn label(self) -> &'static str {
        match self {
            DimensionMark::Verdict(v) => v.label(),
            DimensionMark::NotApplicable => "n.v.t.",
            DimensionMark::NotComparable => "niet vergelijkbaar",
        }
    }
}

/// One dimension of this edition in one edition of the series.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct DimensionPoint {
    /// The dimension's id in this (the newest) edition.
    pub id: String,
    /// The id of the dimension it corresponds to in that edition, when one does.
    pub source: Option<String>,
    /// The verdict there.
    pub mark: DimensionMark,
}

/// A unit in one edition of the chain.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct SeriesPoint {
    /// The edition's year.
    pub year: u16,
    /// The overall verdict; `None` when the unit is not in that edition.
    pub verdict: Option<Verdict>,
    /// The overall score, where the edition has points.
    pub score: Option<Percent>,
    /// The trend against the edition before it, as that edition gives it
    /// (`None` for the first edition of the chain, or when not in it).
    pub trend: Option<Trend>,
    /// What changed since the edition before, in the words of the report's
    /// change column ("verbeterd op 2 dimensies"), so that it never
    /// contradicts equal overall verdicts.
    pub change: Option<String>,
    /// This edition's dimensions, followed back to that edition (empty
    /// when the unit is not in it).
    pub dimensions: Vec<DimensionPoint>,
}

/// One unit's series, oldest edition first.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct UnitSeries {
    /// The unit id.
    pub id: String,
    /// One point per edition of the chain, oldest first.
    pub points: Vec<SeriesPoint>,
}

impl UnitSeries {
    /// The point of `year`.
    pub fn at(&self, year: u16) -> Option<&SeriesPoint> {
        self.points.iter().find(|p| p.year == year)
    }

    /// How many editions running, up to and including the newest, the
    /// unit's overall verdict was `v` (0 when it is not `v` now).
    pub fn running(&self, v: Verdict) -> usize {
        self.points
            .iter()
            .rev()
            .take_while(|p| p.verdict == Some(v))
            .count()
    }

    /// How many times the unit fell back (or improved: `t`) over the chain.
    pub fn times(&self, t: Trend) -> usize {
        self.points.iter().filter(|p| p.trend == Some(t)).count()
    }
}

/// An edition of the chain and its headline figures.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct ChainEdition {
    /// The year.
    pub year: u16,
    /// Whether the edition scored points (else it holds published verdicts).
    pub points: bool,
    /// The number of units in its headline groups.
    pub headline_units: u32,
    /// The overall verdicts of its headline groups.
    pub headline: VerdictCounts,
    /// Its headline groups' names as that edition gives them, joined
    /// ("regiokorpsen"): a pair of editions is named in the later one's words.
    pub headline_groups: String,
}

/// How the headline units moved between two consecutive editions.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
pub struct PairCounts {
    /// The earlier edition's year.
    pub from: u16,
    /// The later edition's year.
    pub to: u16,
    /// Headline units that improved.
    pub better: u32,
    /// Headline units whose verdict (and dimensions, on balance) stayed.
    pub same: u32,
    /// Headline units that fell back.
    pub worse: u32,
}

/// A new police unit's mean score in one edition.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct AggregatePoint {
    /// The edition's year.
    pub year: u16,
    /// The mean overall score of its former units that have one; `None`
    /// where the edition has no points or none of them is in it.
    pub mean: Option<Percent>,
    /// How many former units the mean is over.
    pub units: u32,
}

/// A new police unit: its former units' series are in [`Trends::units`];
/// its own aggregate is the mean of their scores.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct NewUnitSeries {
    /// The new unit's id.
    pub id: String,
    /// Its former units' ids.
    pub former: Vec<String>,
    /// Its mean per edition, oldest first.
    pub points: Vec<AggregatePoint>,
}

/// The trends of an edition over its whole chain.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize)]
pub struct Trends {
    /// The editions of the chain, oldest first (this edition last).
    pub editions: Vec<ChainEdition>,
    /// Headline moves between each pair of consecutive editions, oldest first.
    pub pairs: Vec<PairCounts>,
    /// Every unit of this edition, in report order.
    pub units: Vec<UnitSeries>,
    /// The new police units, when this edition has them.
    pub new_units: Vec<NewUnitSeries>,
    /// Units that improved between every pair of editions of a chain of
    /// three or more, being in all of them.
    pub improved_every_time: Vec<String>,
    /// Units that fell back at least twice over the chain.
    pub fell_back_twice: Vec<String>,
    /// Units onvoldoende in this edition and in the one before.
    pub onvoldoende_running: Vec<String>,
    /// Position in `units` by unit id.
    #[serde(skip)]
    index: std::collections::HashMap<String, usize>,
}

impl Trends {
    /// The series of unit `id`, found through a map.
    pub fn unit(&self, id: &str) -> Option<&UnitSeries> {
        self.index.get(id).map(|&i| &self.units[i])
    }

    /// The years of the chain, oldest first.
    pub fn years(&self) -> Vec<u16> {
        self.editions.iter().map(|e| e.year).collect()
    }
}

/// The trends of `chain[0]` over the whole chain: `chain` holds every
/// edition scored against its own previous edition, the newest first, as
/// [`LoadedEdition::chain`] gives them.
pub fn compute(chain: &[&ScoredEdition]) -> Trends {
    let Some(now) = chain.first().copied() else {
        return Trends::default();
    };
    let loaded: Vec<&LoadedEdition> = chain.iter().map(|s| s.source()).collect();
    // Each dimension of this edition, followed back: its id in every
    // edition of the chain (newest first), `None` from the first edition
    // where it has no single predecessor.
    let dims: Vec<Vec<Option<String>>> = now
        .dimensions
        .iter()
        .map(|d| {
            let mut ids = vec![Some(d.id.clone())];
            for k in 1..chain.len() {
                let prev_ids: Vec<String> =
                    chain[k].dimensions.iter().map(|x| x.id.clone()).collect();
                let next = ids[k - 1].as_deref().and_then(|id| {
                    crate::score::previous_dimension(
                        id,
                        &loaded[k - 1].edition.value.previous_dimensions,
                        &prev_ids,
                    )
                    .map(str::to_string)
                });
                ids.push(next);
            }
            ids
        })
        .collect();
    // Each edition's units by id, looked up once per unit and edition.
    let by_id: Vec<std::collections::HashMap<&str, &ScoredUnit>> = chain
        .iter()
        .map(|s| s.units.iter().map(|u| (u.id.as_str(), u)).collect())
        .collect();
    let units: Vec<UnitSeries> = now
        .units
        .iter()
        .map(|u| UnitSeries {
            id: u.id.clone(),
            points: chain
                .iter()
                .enumerate()
                .rev()
                .map(|(k, scored)| {
                    point(scored, by_id[k].get(u.id.as_str()).copied(), now, &dims, k)
                })
                .collect(),
        })
        .collect();
    let editions = chain
        .iter()
        .rev()
        .zip(loaded.iter().rev())
        .map(|(s, l)| ChainEdition {
            year: s.year,
            points: l.edition.value.assessment == Assessment::Points,
            headline_units: s.figures.headline.units,
            headline: s.figures.headline.overall,
            headline_groups: s.headline_group_names(),
        })
        .collect();
    let pairs = chain
        .iter()
        .rev()
        .filter_map(|s| {
            let prev = s.previous.as_ref()?;
            let headline: Vec<&ScoredUnit> = headline_units(s).collect();
            let count = |t: Trend| headline.iter().filter(|u| u.trend == Some(t)).count() as u32;
            Some(PairCounts {
                from: prev.year,
                to: s.year,
                better: count(Trend::Better),
                same: count(Trend::Same),
                worse: count(Trend::Worse),
            })
        })
        .collect();
    let new_units = now
        .edition_file()
        .new_units
        .iter()
        .map(|n| NewUnitSeries {
            id: n.id.clone(),
            former: n.former.clone(),
            points: chain
                .iter()
                .rev()
                .zip(by_id.iter().rev())
                .map(|(s, by_id)| {
                    let scores: Vec<Fraction> = n
                        .former
                        .iter()
                        .filter_map(|id| by_id.get(id.as_str())?.score.map(|p| p.exact()))
                        .collect();
                    AggregatePoint {
                        year: s.year,
                        mean: (!scores.is_empty()).then(|| Percent::of(stats::mean(&scores))),
                        units: scores.len() as u32,
                    }
                })
                .collect(),
        })
        .collect();
    let improved_every_time = units
        .iter()
        .filter(|s| {
            chain.len() >= 3
                && s.points.iter().all(|p| p.verdict.is_some())
                && s.points
                    .iter()
                    .skip(1)
                    .all(|p| p.trend == Some(Trend::Better))
        })
        .map(|s| s.id.clone())
        .collect();
    let fell_back_twice = units
        .iter()
        .filter(|s| s.times(Trend::Worse) >= 2)
        .map(|s| s.id.clone())
        .collect();
    let onvoldoende_running = units
        .iter()
        .filter(|s| s.running(Verdict::Onvoldoende) >= 2)
        .map(|s| s.id.clone())
        .collect();
    Trends {
        index: units
            .iter()
            .enumerate()
            .map(|(i, u)| (u.id.clone(), i))
            .collect(),
        editions,
        pairs,
        units,
        new_units,
        improved_every_time,
        fell_back_twice,
        onvoldoende_running,
    }
}

/// The units of `scored`'s headline groups.
fn headline_units(scored: &ScoredEdition) -> impl Iterator<Item = &ScoredUnit> {
    scored
        .units
        .iter()
        .filter(|u| scored.groups.iter().any(|g| g.headline && g.id == u.group))
}

/// A unit in edition `k` of the chain (`scored`; `unit` is `None` when it
/// is not in it), with the dimensions of `now` followed back by `dims`.
fn point(
    scored: &ScoredEdition,
    unit: Option<&ScoredUnit>,
    now: &ScoredEdition,
    dims: &[Vec<Option<String>>],
    k: usize,
) -> SeriesPoint {
    // A unit not in that edition has no dimension marks at all.
    let dimensions = now
        .dimensions
        .iter()
        .filter(|_| unit.is_some())
        .zip(dims)
        .map(|(d, ids)| {
            let source = ids[k].clone();
            let mark = match &source {
                None => DimensionMark::NotComparable,
                Some(src) => match unit
                    .and_then(|u| u.dimensions.iter().find(|x| x.id == *src))
                    .and_then(|x| x.verdict)
                {
                    Some(v) => DimensionMark::Verdict(v),
                    None => DimensionMark::NotApplicable,
                },
            };
            DimensionPoint {
                id: d.id.clone(),
                source,
                mark,
            }
        })
        .collect();
    SeriesPoint {
        year: scored.year,
        verdict: unit.map(|u| u.verdict),
        score: unit.and_then(|u| u.score),
        // The first edition of the chain is compared with nothing.
        trend: unit
            .and_then(|u| u.trend)
            .filter(|_| scored.previous.is_some()),
        change: unit
            .and_then(|u| u.change.clone())
            .filter(|_| scored.previous.is_some()),
        dimensions,
    }
}

/// Where a score lies against the median of its peers.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Position {
    /// Above the median.
    Above,
    /// Exactly at the median.
    At,
    /// Below the median.
    Below,
}

/// The spread of a group's scores, rounded for printing.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
pub struct PeerSpread {
    /// How many units of the group have a score.
    pub count: u32,
    /// The lowest score.
    pub min: Percent,
    /// The first quartile (none under [`stats::MIN_FOR_QUARTILES`] units).
    pub q1: Option<Percent>,
    /// The median.
    pub median: Percent,
    /// The third quartile (none under [`stats::MIN_FOR_QUARTILES`] units).
    pub q3: Option<Percent>,
    /// The highest score.
    pub max: Percent,
    /// The mean.
    pub mean: Percent,
}

impl From<Spread> for PeerSpread {
    fn from(s: Spread) -> PeerSpread {
        PeerSpread {
            count: s.count as u32,
            min: Percent::of(s.min),
            q1: s.quartiles.map(|q| Percent::of(q.0)),
            median: Percent::of(s.median),
            q3: s.quartiles.map(|q| Percent::of(q.1)),
            max: Percent::of(s.max),
            mean: Percent::of(s.mean),
        }
    }
}

/// One row of a unit's peer comparison: the total or one dimension.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct PeerRow {
    /// The dimension id; `None` for the total score.
    pub dimension: Option<String>,
    /// The unit's score.
    pub score: Percent,
    /// The spread of its group.
    pub group: PeerSpread,
    /// Where the score lies against the group's median (decided exactly).
    pub position: Position,
    /// The mean of its new police unit's former units, when it has two or
    /// more with a score.
    pub new_unit_mean: Option<Percent>,
    /// The thresholds of the row's verdicts, when it has them: conform
    /// norm from the first, aandacht from the second.
    pub thresholds: Option<(Percent, Percent)>,
}

/// A unit's scores against its peers.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct UnitPeers {
    /// The unit id.
    pub id: String,
    /// The group the unit is compared within.
    pub group: String,
    /// The new police unit it belongs to, when the edition has them.
    pub new_unit: Option<String>,
    /// The total first, then each dimension with a score, in order.
    pub rows: Vec<PeerRow>,
}

/// Every unit's scores against its peers; units without any score get no
/// entry (verdicts-only editions have none).
pub fn peers(scored: &ScoredEdition) -> Vec<UnitPeers> {
    use std::collections::HashMap;
    let e = scored.edition_file();
    // Every statistic is computed once per group (or new unit) and row,
    // so that an edition of thousands of units stays linear.
    let rows: Vec<(Option<&str>, Option<Thresholds>)> =
        std::iter::once((None, e.overall_thresholds))
            .chain(
                e.dimensions
                    .iter()
                    .map(|d| (Some(d.id.as_str()), d.thresholds)),
            )
            .collect();
    let by_id: HashMap<&str, &ScoredUnit> =
        scored.units.iter().map(|u| (u.id.as_str(), u)).collect();
    let new_unit_of: HashMap<&str, &crate::model::NewUnit> = e
        .new_units
        .iter()
        .flat_map(|n| n.former.iter().map(move |f| (f.as_str(), n)))
        .collect();
    let mut members: HashMap<&str, Vec<&ScoredUnit>> = HashMap::new();
    for u in &scored.units {
        members.entry(u.group.as_str()).or_default().push(u);
    }
    let spreads: HashMap<(&str, Option<&str>), Spread> = members
        .iter()
        .flat_map(|(group, units)| {
            rows.iter().filter_map(move |(dim, _)| {
                let spread = stats::spread(units.iter().map(|u| score_of(u, *dim)))?;
                Some(((*group, *dim), spread))
            })
        })
        .collect();
    let means: HashMap<(&str, Option<&str>), Percent> = e
        .new_units
        .iter()
        .flat_map(|n| {
            let by_id = &by_id;
            rows.iter().filter_map(move |(dim, _)| {
                let scores: Vec<Fraction> = n
                    .former
                    .iter()
                    .filter_map(|id| score_of(by_id.get(id.as_str())?, *dim))
                    .collect();
                // A new unit of one former unit has only the unit's own
                // score: no mean to compare with.
                (scores.len() >= 2)
                    .then(|| ((n.id.as_str(), *dim), Percent::of(stats::mean(&scores))))
            })
        })
        .collect();
    scored
        .units
        .iter()
        .filter(|u| u.score.is_some())
        .map(|u| {
            let new_unit = new_unit_of.get(u.id.as_str()).copied();
            let rows = rows
                .iter()
                .filter_map(|(dim, thresholds)| {
                    let score = score_of(u, *dim)?;
                    let spread = spreads.get(&(u.group.as_str(), *dim))?;
                    Some(PeerRow {
                        dimension: dim.map(str::to_string),
                        score: Percent::of(score),
                        position: match score.cmp(&spread.median) {
                            std::cmp::Ordering::Greater => Position::Above,
                            std::cmp::Ordering::Equal => Position::At,
                            std::cmp::Ordering::Less => Position::Below,
                        },
                        group: (*spread).into(),
                        new_unit_mean: new_unit
                            .and_then(|n| means.get(&(n.id.as_str(), *dim)).copied()),
                        thresholds: thresholds.map(|t: Thresholds| {
                            (
                                Percent::of(Fraction::from_decimal(t.conform_norm)),
                                Percent::of(Fraction::from_decimal(t.aandacht)),
                            )
                        }),
                    })
                })
                .collect();
            UnitPeers {
                id: u.id.clone(),
                group: u.group.clone(),
                new_unit: new_unit.map(|n| n.id.clone()),
                rows,
            }
        })
        .collect()
}

/// The exact score of `unit` in dimension `dim` (the total for `None`).
fn score_of(unit: &ScoredUnit, dim: Option<&str>) -> Option<Fraction> {
    match dim {
        None => unit.score.map(|s| s.exact()),
        Some(id) => unit
            .dimensions
            .iter()
            .find(|d| d.id == id)
            .and_then(|d| d.score)
            .map(|s| s.exact()),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Writes a synthetic chain of `editions` editions of `units` units
    /// into `dir` and returns the folder of each, oldest first.
    fn chain(dir: &std::path::Path, units: usize, editions: usize) -> Vec<std::path::PathBuf> {
        let files = crate::generate::chain(units, editions, false).unwrap();
        let mut folders = Vec::new();
        for (rel, text) in files {
            let path = dir.join(&rel);
            std::fs::create_dir_all(path.parent().unwrap()).unwrap();
            std::fs::write(&path, text).unwrap();
            if rel.ends_with("edition.yaml") {
                folders.push(path.parent().unwrap().to_path_buf());
            }
        }
        folders
    }

    fn scored(dir: &std::path::Path) -> ScoredEdition {
        let loaded = crate::load::load(dir);
        assert!(loaded.diagnostics.is_empty(), "{:?}", loaded.diagnostics);
        crate::score::score(loaded.edition.unwrap())
    }

    /// The overall part of a point, as every edition gives it.
    fn overall(p: &SeriesPoint) -> (u16, Option<Verdict>, Option<Percent>, Option<Trend>) {
        (p.year, p.verdict, p.score, p.trend)
    }

    proptest::proptest! {
        #![proptest_config(proptest::prelude::ProptestConfig::with_cases(12))]

        /// A unit's series computed from the newest edition is, edition by
        /// edition, what each edition of the chain gives on its own, and
        /// what each earlier edition's own series says.
        #[test]
        fn a_series_is_the_same_from_the_newest_edition_or_edition_by_edition(
            units in 1usize..12,
            editions in 2usize..6,
        ) {
            let tmp = tempfile::tempdir().unwrap();
            let folders = chain(tmp.path(), units, editions);
            let each: Vec<ScoredEdition> = folders.iter().map(|f| scored(f)).collect();
            let newest = each.last().unwrap();
            proptest::prop_assert_eq!(newest.trends.editions.len(), editions);
            proptest::prop_assert_eq!(newest.trends.pairs.len(), editions - 1);
            for series in &newest.trends.units {
                proptest::prop_assert_eq!(series.points.len(), editions);
                for (k, (p, own)) in series.points.iter().zip(&each).enumerate() {
                    let unit = own.unit(&series.id).unwrap();
                    proptest::prop_assert_eq!(p.year, own.year);
                    proptest::prop_assert_eq!(p.verdict, Some(unit.verdict));
                    proptest::prop_assert_eq!(p.score, unit.score);
                    proptest::prop_assert_eq!(p.trend, unit.trend.filter(|_| k > 0));
                    let theirs: Vec<_> = own.trends.unit(&series.id).unwrap().points.iter().map(overall).collect();
                    let ours: Vec<_> = series.points[..=k].iter().map(overall).collect();
                    proptest::prop_assert_eq!(ours, theirs);
                }
            }
            // The moves between each pair are the later edition's trends
            // of its headline units.
            for (pair, own) in newest.trends.pairs.iter().zip(&each[1..]) {
                let count = |t: Trend| {
                    own.units
                        .iter()
                        .filter(|u| u.group == "districten" && u.trend == Some(t))
                        .count() as u32
                };
                proptest::prop_assert_eq!((pair.from, pair.to), (own.year - 2, own.year));
                proptest::prop_assert_eq!(
                    (pair.better, pair.same, pair.worse),
                    (count(Trend::Better), count(Trend::Same), count(Trend::Worse))
                );
            }
        }
    }

    #[test]
    fn peers_compare_within_the_group_and_say_where_the_median_is() {
        let tmp = tempfile::tempdir().unwrap();
        let folders = chain(tmp.path(), 12, 2);
        let s = scored(folders.last().unwrap());
        // Units 10 of the twelve is a service: alone in its group, it gets
        // no quartiles; the eleven districts do.
        let service = s.peers.iter().find(|p| p.id == "e00010").unwrap();
        assert_eq!(service.group, "diensten");
        let total = &service.rows[0];
        assert_eq!(total.dimension, None);
        assert_eq!(total.group.count, 1);
        assert_eq!((total.group.q1, total.group.q3), (None, None));
        assert_eq!(total.position, Position::At);
        let district = s.peers.iter().find(|p| p.id == "e00001").unwrap();
        let total = &district.rows[0];
        assert_eq!(total.group.count, 11);
        let scores: Vec<Fraction> = s
            .units
            .iter()
            .filter(|u| u.group == "districten")
            .filter_map(|u| u.score.map(|p| p.exact()))
            .collect();
        let spread = stats::spread(scores.iter().copied().map(Some)).unwrap();
        assert_eq!(total.group, PeerSpread::from(spread));
        let own = s.unit("e00001").unwrap().score.unwrap().exact();
        let want = match own.cmp(&spread.median) {
            std::cmp::Ordering::Greater => Position::Above,
            std::cmp::Ordering::Equal => Position::At,
            std::cmp::Ordering::Less => Position::Below,
        };
        assert_eq!(total.position, want);
        // No new police units in this edition: no means.
        assert!(
            s.peers
                .iter()
                .all(|p| p.rows.iter().all(|r| r.new_unit_mean.is_none()))
        );
    }
}
