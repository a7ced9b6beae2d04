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
//!   one), see [`crate::figures::scored::previous_dimension`]; from the first edition
//!   where it has no single predecessor, its verdicts are "niet
//!   vergelijkbaar", never a guess;
//! - between each pair of consecutive editions, the headline units that
//!   improved, stayed or fell back are counted by their trend;
//! - peers: for the total and each dimension with a score, the spread of
//!   the scores of the units of the unit's group in this edition
//!   ([`crate::figures::stats`]), and the mean of its new police unit's former
//!   units where the edition has new units.

use crate::data::load::LoadedEdition;
use crate::data::model::{Assessment, Thresholds, Verdict};
use crate::data::values::{Fraction, Percent, Trend};
use crate::figures::continuity;
use crate::figures::scored::{ScoredEdition, ScoredUnit, previous_dimension};
use crate::figures::series::{
    AggregatePoint, ChainEdition, DimensionMark, DimensionPoint, NewUnitSeries, PairCounts,
    PeerRow, Position, SeriesPoint, Trends, UnitPeers, UnitSeries,
};
use crate::figures::stats::{self, Spread};

/// The trends of `chain[0]` over the whole chain: `chain` holds every
/// edition scored against its own previous edition, the newest first, as
/// [`LoadedEdition::chain`] gives them.
pub fn compute(chain: &[&ScoredEdition]) -> Trends {
    let Some(now) = chain.first().copied() else {
        return Trends::default();
    };
    let loaded: Vec<&LoadedEdition> = chain.iter().map(|s| s.source()).collect();
    let dims = followed_dimensions(chain, &loaded);
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
            points: unit_points(chain, &by_id, u, &dims),
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
                continued: headline.iter().any(|u| !u.continues.is_empty()),
            })
        })
        .collect();
    let new_units = new_unit_series(chain, &by_id);
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

/// Each dimension of the newest edition (`chain[0]`), followed back: its
/// id in every edition of the chain (newest first), `None` from the first
/// edition where it has no single predecessor.
fn followed_dimensions(
    chain: &[&ScoredEdition],
    loaded: &[&LoadedEdition],
) -> Vec<Vec<Option<String>>> {
    chain[0]
        .dimensions
        .iter()
        .map(|d| {
            let mut ids = vec![Some(d.id.clone())];
            for k in 1..chain.len() {
                let prev_ids: Vec<String> =
                    chain[k].dimensions.iter().map(|x| x.id.clone()).collect();
                let next = ids[k - 1].as_deref().and_then(|id| {
                    previous_dimension(
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
        .collect()
}

/// The new police units of the newest edition (`chain[0]`), each with the
/// mean score of its former units in every edition of the chain, oldest
/// first; `by_id` holds each edition's units by id.
fn new_unit_series(
    chain: &[&ScoredEdition],
    by_id: &[std::collections::HashMap<&str, &ScoredUnit>],
) -> Vec<NewUnitSeries> {
    chain[0]
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
        .collect()
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
    let dimensions = match unit {
        None => Vec::new(),
        Some(u) => dimension_points(now, dims, k, |src| {
            match u
                .dimensions
                .iter()
                .find(|x| x.id == src)
                .and_then(|x| x.verdict)
            {
                Some(v) => DimensionMark::Verdict(v),
                None => DimensionMark::NotApplicable,
            }
        }),
    };
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
        comparable: true,
    }
}

/// The points of the newest edition's unit `u` in every edition of `chain`,
/// oldest first. The unit is followed back edition by edition: a unit
/// without `continues` by its id, one with `continues` through the units
/// it names (and those, further back, the same way). Once the way back
/// went through `continues`, a point is the aggregate of the units found
/// there ([`continued_point`]).
fn unit_points(
    chain: &[&ScoredEdition],
    by_id: &[std::collections::HashMap<&str, &ScoredUnit>],
    u: &ScoredUnit,
    dims: &[Vec<Option<String>>],
) -> Vec<SeriesPoint> {
    let now = chain[0];
    let mut current: Vec<&ScoredUnit> = vec![u];
    let mut continued = false;
    let mut points = Vec::with_capacity(chain.len());
    for (k, scored) in chain.iter().enumerate() {
        if k > 0 {
            let mut next = Vec::new();
            for p in &current {
                if p.continues.is_empty() {
                    next.extend(by_id[k].get(p.id.as_str()).copied());
                } else {
                    continued = true;
                    next.extend(
                        p.continues
                            .iter()
                            .filter_map(|id| by_id[k].get(id.as_str()).copied()),
                    );
                }
            }
            current = next;
        }
        points.push(if continued {
            continued_point(scored, &current, now, dims, k)
        } else {
            point(scored, current.first().copied(), now, dims, k)
        });
    }
    points.reverse();
    points
}

/// Each dimension of the newest edition `now` in the `k`-th edition of the
/// chain: the dimension it corresponds to there (`dims`), marked by `mark`
/// from that dimension's id, or "niet vergelijkbaar" where it has none.
fn dimension_points(
    now: &ScoredEdition,
    dims: &[Vec<Option<String>>],
    k: usize,
    mark: impl Fn(&str) -> DimensionMark,
) -> Vec<DimensionPoint> {
    now.dimensions
        .iter()
        .zip(dims)
        .map(|(d, ids)| {
            let source = ids[k].clone();
            DimensionPoint {
                id: d.id.clone(),
                mark: source
                    .as_deref()
                    .map_or(DimensionMark::NotComparable, &mark),
                source,
            }
        })
        .collect()
}

/// The point of a unit that continues the units `preds` of the earlier
/// edition `scored` (the `k`-th of the chain): their aggregate
/// ([`continuity`]), overall and per dimension; no trend of its own. With
/// no predecessor in that edition, the unit is not in it.
fn continued_point(
    scored: &ScoredEdition,
    preds: &[&ScoredUnit],
    now: &ScoredEdition,
    dims: &[Vec<Option<String>>],
    k: usize,
) -> SeriesPoint {
    if preds.is_empty() {
        return point(scored, None, now, dims, k);
    }
    let e = scored.edition_file();
    let overall = continuity::overall(preds, e);
    let dimensions = dimension_points(now, dims, k, |src| {
        let a = continuity::dimension(preds, e, src);
        match a.verdict {
            Some(v) => DimensionMark::Verdict(v),
            None if a.not_applicable => DimensionMark::NotApplicable,
            None => DimensionMark::NotComparable,
        }
    });
    SeriesPoint {
        year: scored.year,
        verdict: overall.verdict,
        score: overall.score,
        trend: None,
        change: None,
        dimensions,
        comparable: overall.verdict.is_some(),
    }
}

/// The fewest units with a score a group must have for its units to be
/// compared with its spread: in a group of two, the median lies halfway
/// between the unit and the one other unit, which says nothing.
pub const MIN_PEER_GROUP: usize = 3;

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
    let new_unit_of: HashMap<&str, &crate::data::model::NewUnit> = e
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
    // A group of fewer than MIN_PEER_GROUP units with a score has no
    // spread to compare with: its median is (nearly) the unit itself.
    let scored_members = |group: &str| {
        members
            .get(group)
            .map_or(0, |m| m.iter().filter(|u| u.score.is_some()).count())
    };
    scored
        .units
        .iter()
        .filter(|u| u.score.is_some() && scored_members(&u.group) >= MIN_PEER_GROUP)
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
    use crate::figures::series::PeerSpread;

    /// Writes a synthetic chain of `editions` editions of `units` units
    /// into `dir` and returns the folder of each, oldest first.
    fn chain(dir: &std::path::Path, units: usize, editions: usize) -> Vec<std::path::PathBuf> {
        let files = crate::data::generate::chain(units, editions, false).unwrap();
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
        let loaded = crate::data::load::load(dir);
        assert!(loaded.diagnostics.is_empty(), "{:?}", loaded.diagnostics);
        crate::figures::score::score(loaded.edition.unwrap())
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
        // Unit 10 of the twelve is a service: alone in its group, it has no
        // spread to be compared with; the eleven districts have.
        assert!(s.peers.iter().all(|p| p.id != "e00010"));
        assert_eq!(s.unit("e00010").unwrap().group, "diensten");
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
