//! Scoring: every verdict and figure the documents print, computed from a
//! validated edition with exact rational arithmetic.
//!
//! Rules (also in docs/data-format.md):
//! - dimension score = points awarded / points possible over the applicable
//!   indicators, as a percentage; a dimension whose indicators are all `nvt`
//!   has no score and no verdict;
//! - a score at or above `conform_norm` is conform norm, else at or above
//!   `aandacht` is aandacht, else onvoldoende;
//! - overall score = the weighted mean of the dimension scores that exist;
//! - a manual verdict replaces the computed verdict, never the score;
//! - trend against the previous edition: the overall verdicts decide; when
//!   they are equal, the net number of steps the dimension verdicts moved;
//!   its wording says which changed ("verbeterd op 2 dimensies"), so that
//!   it never contradicts equal overall verdicts.
//!
//! Scores are printed rounded half up to one decimal; verdicts are always
//! decided on the exact value.

use std::collections::HashMap;

use crate::data::load::LoadedEdition;
use crate::data::model::{
    Assessment, Decimal, EditionFile, ManualVerdict, Points, Status, UnitFile, Verdict,
};
use crate::data::values::{Fraction, Percent, Trend, step, verdict_for};
use crate::figures::continuity;
use crate::figures::scored::{
    Comparison, Counts, DimensionInfo, Figures, GroupInfo, PreviousEdition, ScoredDimension,
    ScoredEdition, ScoredUnit, Totals, previous_dimension,
};

/// The score of one dimension from its indicators' points and maxima, as a
/// percentage; `None` when every indicator is `nvt` (or there are none).
pub fn dimension_score(points: &[(Points, u32)]) -> Option<Fraction> {
    let (mut awarded, mut possible) = (0i128, 0i128);
    for (p, max) in points {
        if let Points::Awarded(p) = p {
            awarded += i128::from(*p);
            possible += i128::from(*max);
        }
    }
    (possible > 0).then(|| Fraction::new(awarded * 100, possible))
}

/// The weighted mean of the scores that exist; `None` when none do.
pub fn overall_score(parts: &[(Option<Fraction>, Decimal)]) -> Option<Fraction> {
    let mut sum = Fraction::whole(0);
    let mut weights = Fraction::whole(0);
    for (score, weight) in parts {
        if let Some(score) = score {
            let w = Fraction::from_decimal(*weight);
            sum = sum + *score * w;
            weights = weights + w;
        }
    }
    (weights > Fraction::whole(0)).then(|| sum / weights)
}

fn positions<'a>(ids: impl Iterator<Item = &'a str>) -> HashMap<String, usize> {
    ids.enumerate().map(|(i, id)| (id.to_string(), i)).collect()
}

/// Scores a validated edition against its previous edition, and computes
/// its trends over the whole chain of editions before it and its peers;
/// the result owns the edition and reaches each unit's file. Every edition
/// of the chain is scored once against its own previous edition, so a
/// unit's series agrees with each edition read on its own.
pub fn score(edition: LoadedEdition) -> ScoredEdition {
    // The earlier editions are scored from copies of their files: a chain
    // holds a few editions (at most `chain::MAX_CHAIN`).
    let earlier: Vec<ScoredEdition> = edition
        .chain()
        .skip(1)
        .map(|e| score_with_previous(e.clone()))
        .collect();
    let mut scored = score_with_previous(edition);
    let chain: Vec<&ScoredEdition> = std::iter::once(&scored).chain(&earlier).collect();
    let trends = crate::figures::trends::compute(&chain);
    let peers = crate::figures::trends::peers(&scored);
    scored.trends = trends;
    scored.peers = peers;
    scored
}

/// Scores an edition and, when present, its previous edition (without
/// trends or peers).
fn score_with_previous(edition: LoadedEdition) -> ScoredEdition {
    let previous = edition.previous.as_deref().map(|p| {
        let scored = score_alone(p);
        PreviousEdition {
            year: scored.year,
            title: scored.title,
            figures: scored.figures,
            index: scored.index,
            units: scored.units,
        }
    });
    let alone = score_alone(&edition);
    let mut scored = ScoredEdition {
        year: alone.year,
        title: alone.title,
        status: alone.status,
        illustrative: alone.illustrative,
        dimensions: alone.dimensions,
        groups: alone.groups,
        units: alone.units,
        figures: alone.figures,
        previous: None,
        comparison: Comparison::default(),
        source: edition,
        index: alone.index,
        group_index: alone.group_index,
        trends: Default::default(),
        peers: Vec::new(),
        like_for_like: None,
    };
    if let Some(prev) = &previous {
        compare(&mut scored, prev);
    }
    scored.previous = previous;
    scored.like_for_like = crate::figures::totals::like_for_like(&scored);
    scored
}

/// The verdicts of one unit under another method: overall, and per
/// dimension id (`None`: no indicator applies).
pub type UnitVerdicts = (Verdict, HashMap<String, Option<Verdict>>);

/// The verdicts of each unit of `edition` (by id), scored with its own
/// files but the method of `method` (its dimensions, thresholds and
/// weights); manual verdicts stand. Used to tell a verdict that moved
/// because of the method ([`crate::figures::method::verdicts_under`]).
pub fn verdicts(edition: &LoadedEdition, method: &EditionFile) -> HashMap<String, UnitVerdicts> {
    edition
        .units
        .iter()
        .enumerate()
        .map(|(i, u)| {
            let s = score_unit(&u.value, method, i);
            let dims = s
                .dimensions
                .into_iter()
                .map(|d| (d.id, d.verdict))
                .collect();
            (s.id, (s.verdict, dims))
        })
        .collect()
}

/// One edition scored without its previous one.
struct Alone {
    year: u16,
    title: String,
    status: Status,
    illustrative: bool,
    dimensions: Vec<DimensionInfo>,
    groups: Vec<GroupInfo>,
    units: Vec<ScoredUnit>,
    figures: Figures,
    index: HashMap<String, usize>,
    group_index: HashMap<String, usize>,
}

fn score_alone(edition: &LoadedEdition) -> Alone {
    let e = &edition.edition.value;
    let mut units: Vec<ScoredUnit> = edition
        .units
        .iter()
        .enumerate()
        .map(|(i, u)| score_unit(&u.value, e, i))
        .collect();
    if let Some(order) = &e.units {
        // Positions looked up in a map: a search of the list for every
        // comparison made sorting thousands of units quadratic.
        let position: std::collections::HashMap<&str, usize> = order
            .iter()
            .enumerate()
            .map(|(i, id)| (id.as_str(), i))
            .collect();
        units.sort_by_key(|u| position.get(u.id.as_str()).copied().unwrap_or(usize::MAX));
    } else {
        let position = positions(e.groups.iter().map(|g| g.id.as_str()));
        units.sort_by_key(|u| position.get(&u.group).copied().unwrap_or(usize::MAX));
    }
    let dimension_ids: Vec<String> = e.dimensions.iter().map(|d| d.id.clone()).collect();
    let headline_groups: std::collections::HashSet<&str> = e
        .groups
        .iter()
        .filter(|g| g.headline)
        .map(|g| g.id.as_str())
        .collect();
    let mut totals = Totals::default();
    for k in units.iter().filter_map(|u| u.key_figures) {
        totals.suspects += u64::from(k.suspects);
        totals.case_files += u64::from(k.case_files);
        totals.victims += u64::from(k.victims);
        totals.units_reporting += 1;
    }
    let figures = Figures {
        headline: Counts::of(
            &dimension_ids,
            units
                .iter()
                .filter(|u| headline_groups.contains(&u.group.as_str())),
        ),
        groups: {
            // One pass sorts the units into their groups.
            let mut by_group: HashMap<&str, Vec<&ScoredUnit>> = HashMap::new();
            for u in &units {
                by_group.entry(u.group.as_str()).or_default().push(u);
            }
            e.groups
                .iter()
                .map(|g| {
                    let members = by_group.get(g.id.as_str()).map_or(&[][..], Vec::as_slice);
                    (
                        g.id.clone(),
                        Counts::of(&dimension_ids, members.iter().copied()),
                    )
                })
                .collect()
        },
        all: Counts::of(&dimension_ids, units.iter()),
        not_conform: units
            .iter()
            .filter(|u| u.not_conform())
            .map(|u| u.id.clone())
            .collect(),
        totals,
    };
    Alone {
        year: e.year,
        title: e.title.clone(),
        status: e.status,
        illustrative: e.illustrative,
        dimensions: e
            .dimensions
            .iter()
            .map(|d| DimensionInfo {
                id: d.id.clone(),
                name: d.name.clone(),
                short_name: d.short_name.clone(),
            })
            .collect(),
        groups: e
            .groups
            .iter()
            .map(|g| GroupInfo {
                id: g.id.clone(),
                name: g.name.clone(),
                headline: g.headline,
            })
            .collect(),
        index: positions(units.iter().map(|u| u.id.as_str())),
        group_index: positions(e.groups.iter().map(|g| g.id.as_str())),
        units,
        figures,
    }
}

fn apply_manual(computed: Option<Verdict>, manual: &Option<ManualVerdict>) -> Option<Verdict> {
    manual.as_ref().map(|m| m.verdict).or(computed)
}

fn score_unit(u: &UnitFile, e: &EditionFile, file: usize) -> ScoredUnit {
    let by_points = e.assessment == Assessment::Points;
    let mut dimensions = Vec::new();
    let mut parts = Vec::new();
    for def in &e.dimensions {
        let data = u.dimensions.get(&def.id).cloned().unwrap_or_default();
        let points: Vec<(Points, u32)> = def
            .indicators
            .iter()
            .map(|ind| {
                let p = data
                    .points
                    .get(&ind.id)
                    .copied()
                    .unwrap_or(Points::Awarded(0));
                (p, ind.max_points)
            })
            .collect();
        let (awarded, possible) = points.iter().fold((0, 0), |(a, m), (p, max)| match p {
            Points::Awarded(p) => (a + p, m + max),
            Points::NotApplicable => (a, m),
        });
        let (score, computed) = if by_points {
            let score = dimension_score(&points);
            let verdict = match (score, &def.thresholds) {
                (Some(s), Some(t)) => Some(verdict_for(s, t)),
                _ => None,
            };
            (score, verdict)
        } else {
            (None, data.verdict)
        };
        parts.push((score, def.weight));
        dimensions.push(ScoredDimension {
            id: def.id.clone(),
            awarded,
            possible,
            score: score.map(Percent::of),
            computed_verdict: computed,
            verdict: apply_manual(computed, &data.manual_verdict),
            manual: data.manual_verdict.clone(),
            previous_verdict: None,
            change: None,
            comparable: true,
        });
    }
    let (score, computed) = if by_points {
        let score = overall_score(&parts);
        let verdict = match (score, &e.overall_thresholds) {
            (Some(s), Some(t)) => Some(verdict_for(s, t)),
            _ => None,
        };
        (score, verdict)
    } else {
        (None, u.verdict)
    };
    ScoredUnit {
        id: u.id.clone(),
        name: u.name.clone(),
        article: u.article,
        group: u.group.clone(),
        dimensions,
        score: score.map(Percent::of),
        computed_verdict: computed,
        // `check` refuses a unit without any score unless it has a manual
        // verdict; should one get here, it cannot be conform norm.
        verdict: apply_manual(computed, &u.manual_verdict).unwrap_or(Verdict::Onvoldoende),
        manual: u.manual_verdict.clone(),
        previous_verdict: None,
        trend: None,
        change: None,
        key_figures: u.key_figures,
        continues: u.continues.clone(),
        compared_with: None,
        file,
    }
}

/// What a unit of this edition is compared with in the previous one.
struct Before {
    /// The overall verdict; `None`: not comparable.
    verdict: Option<Verdict>,
    /// The verdict of each dimension of the previous edition, by position.
    dimensions: Vec<Option<Verdict>>,
    /// The predecessors' names in words, when the unit continues others.
    compared_with: Option<String>,
}

/// What `unit` (continuing the units of `continues`, or its own id's) is
/// compared with in `prev`, of the edition `prev_file` whose dimensions are
/// `previous_ids`; `None` when it is new.
fn before_of(
    unit: &ScoredUnit,
    prev: &PreviousEdition,
    prev_file: Option<&EditionFile>,
    previous_ids: &[String],
) -> Option<Before> {
    if unit.continues.is_empty() {
        let before = prev.unit(&unit.id)?;
        return Some(Before {
            verdict: Some(before.verdict),
            dimensions: before.dimensions.iter().map(|d| d.verdict).collect(),
            compared_with: None,
        });
    }
    let preds: Vec<&ScoredUnit> = unit
        .continues
        .iter()
        .filter_map(|id| prev.unit(id))
        .collect();
    let e = prev_file?;
    if preds.is_empty() {
        return None;
    }
    let names: Vec<String> = preds.iter().map(|u| u.name_in_text()).collect();
    Some(Before {
        verdict: continuity::overall(&preds, e).verdict,
        dimensions: previous_ids
            .iter()
            .map(|id| continuity::dimension(&preds, e, id).verdict)
            .collect(),
        compared_with: Some(crate::words::dutch::compared_with(&names, prev.year)),
    })
}

fn compare(scored: &mut ScoredEdition, prev: &PreviousEdition) {
    let map = &scored.source.edition.value.previous_dimensions;
    let prev_file = scored.source.previous.as_deref().map(|p| &p.edition.value);
    let previous_ids: Vec<String> = prev
        .units
        .first()
        .map(|u| u.dimensions.iter().map(|d| d.id.clone()).collect())
        .unwrap_or_default();
    // Which previous dimension (by position) each dimension compares with,
    // decided once for the edition; `None` when it has none.
    let sources: Vec<Option<usize>> = scored
        .dimensions
        .iter()
        .map(|d| {
            previous_dimension(&d.id, map, &previous_ids)
                .and_then(|from| previous_ids.iter().position(|p| p == from))
        })
        .collect();
    // The units of the previous edition that go on in one of this one.
    let mut continued: std::collections::HashSet<String> = scored.index.keys().cloned().collect();
    let befores: Vec<Option<Before>> = scored
        .units
        .iter()
        .map(|u| {
            continued.extend(u.continues.iter().cloned());
            before_of(u, prev, prev_file, &previous_ids)
        })
        .collect();
    let mut c = Comparison::default();
    for (unit, before) in scored.units.iter_mut().zip(befores) {
        let Some(before) = before else {
            unit.trend = Some(Trend::New);
            unit.change = Some(crate::words::dutch::change(
                Trend::New,
                unit.verdict,
                None,
                &[],
            ));
            c.new.push(unit.id.clone());
            continue;
        };
        unit.compared_with = before.compared_with;
        for (d, from) in unit.dimensions.iter_mut().zip(&sources) {
            let Some(from) = *from else {
                d.comparable = false;
                continue;
            };
            let Some(b) = before.dimensions.get(from).copied() else {
                continue;
            };
            d.previous_verdict = b;
            if let (Some(now), Some(then)) = (d.verdict, b) {
                d.change = Some(step(now, then));
            }
        }
        let Some(before_verdict) = before.verdict else {
            // The predecessors' verdicts differ and have no scores to
            // average: not comparable, and said so.
            unit.change = Some("niet vergelijkbaar".to_string());
            continue;
        };
        unit.previous_verdict = Some(before_verdict);
        let t = step(unit.verdict, before_verdict);
        unit.trend = Some(t);
        let steps: Vec<Trend> = unit.dimensions.iter().filter_map(|d| d.change).collect();
        unit.change = Some(crate::words::dutch::change(
            t,
            unit.verdict,
            Some(before_verdict),
            &steps,
        ));
        match t {
            Trend::Better => c.better.push(unit.id.clone()),
            Trend::Same => c.same.push(unit.id.clone()),
            Trend::Worse => c.worse.push(unit.id.clone()),
            Trend::New => c.new.push(unit.id.clone()),
        }
    }
    c.departed = prev
        .units
        .iter()
        .filter(|p| !continued.contains(&p.id))
        .map(|p| p.name.clone())
        .collect();
    scored.comparison = c;
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::data::model::Thresholds;
    use Verdict::{Aandacht as A, ConformNorm as C, Onvoldoende as O};

    fn t(conform: i64, aandacht: i64) -> Thresholds {
        Thresholds {
            conform_norm: Decimal(conform * 100),
            aandacht: Decimal(aandacht * 100),
        }
    }

    fn pct(num: i128, den: i128) -> Fraction {
        Fraction::new(num, den)
    }

    #[test]
    fn dimension_score_is_awarded_over_possible() {
        let s = dimension_score(&[(Points::Awarded(3), 4), (Points::Awarded(1), 4)]).unwrap();
        assert_eq!(s, Fraction::whole(50));
        let s = dimension_score(&[(Points::Awarded(2), 3)]).unwrap();
        assert_eq!(s, pct(200, 3));
    }

    #[test]
    fn nvt_indicators_are_left_out() {
        let s = dimension_score(&[(Points::Awarded(3), 4), (Points::NotApplicable, 6)]).unwrap();
        assert_eq!(s, Fraction::whole(75));
        assert_eq!(dimension_score(&[(Points::NotApplicable, 4)]), None);
        assert_eq!(dimension_score(&[]), None);
        // Zero points is a score, not "not applicable".
        assert_eq!(
            dimension_score(&[(Points::Awarded(0), 4)]),
            Some(Fraction::whole(0))
        );
    }

    #[test]
    fn verdict_boundaries_are_exact() {
        // (score as num/den, expected) around thresholds 70 / 55.
        let cases = [
            (pct(70, 1), C),
            (pct(6999, 100), A),
            (pct(7001, 100), C),
            (pct(55, 1), A),
            (pct(5499, 100), O),
            (pct(0, 1), O),
            (pct(100, 1), C),
            // 7/10 of 100 computed from points equals 70 exactly.
            (pct(700, 10), C),
            // 2/3 = 66.666... is below 66.67 and above 66.66.
            (pct(200, 3), A),
        ];
        for (score, expected) in cases {
            assert_eq!(verdict_for(score, &t(70, 55)), expected, "{score:?}");
        }
        let fine = Thresholds {
            conform_norm: Decimal(6667),
            aandacht: Decimal(6666),
        };
        assert_eq!(verdict_for(pct(200, 3), &fine), A);
        assert_eq!(verdict_for(pct(6667, 100), &fine), C);
        assert_eq!(verdict_for(pct(6665, 100), &fine), O);
    }

    #[test]
    fn equal_thresholds_leave_no_aandacht() {
        assert_eq!(verdict_for(Fraction::whole(60), &t(60, 60)), C);
        assert_eq!(verdict_for(pct(5999, 100), &t(60, 60)), O);
    }

    #[test]
    fn overall_is_the_weighted_mean_of_existing_scores() {
        let w = |h| Decimal(h);
        let s = overall_score(&[
            (Some(Fraction::whole(80)), w(100)),
            (Some(Fraction::whole(50)), w(200)),
        ])
        .unwrap();
        assert_eq!(s, Fraction::whole(60));
        // A dimension without a score is left out, weights renormalised.
        let s = overall_score(&[(Some(Fraction::whole(80)), w(100)), (None, w(900))]).unwrap();
        assert_eq!(s, Fraction::whole(80));
        assert_eq!(overall_score(&[(None, w(100))]), None);
        // Fractional weights are exact: (90*1.5 + 60*0.5) / 2 = 82.5.
        let s = overall_score(&[
            (Some(Fraction::whole(90)), w(150)),
            (Some(Fraction::whole(60)), w(50)),
        ])
        .unwrap();
        assert_eq!(s, pct(165, 2));
    }

    #[test]
    fn manual_verdict_overrides_but_keeps_the_score() {
        let manual = Some(ManualVerdict {
            verdict: A,
            justification: "reden".into(),
        });
        assert_eq!(apply_manual(Some(C), &manual), Some(A));
        assert_eq!(apply_manual(None, &manual), Some(A));
        assert_eq!(apply_manual(Some(O), &None), Some(O));
    }

    #[test]
    fn dimensions_compare_through_the_mapping() {
        let prev: Vec<String> = ["vergund", "niet-vergund", "informatie"]
            .iter()
            .map(|s| s.to_string())
            .collect();
        let none = crate::data::model::IdMap::default();
        assert_eq!(
            previous_dimension("informatie", &none, &prev),
            Some("informatie")
        );
        assert_eq!(previous_dimension("toezicht", &none, &prev), None);
        let map = crate::data::model::IdMap(vec![
            ("vergund".to_string(), "toezicht".to_string()),
            ("niet-vergund".to_string(), "toezicht".to_string()),
            ("informatie".to_string(), "informatie".to_string()),
        ]);
        // Two previous dimensions onto one: not comparable.
        assert_eq!(previous_dimension("toezicht", &map, &prev), None);
        assert_eq!(
            previous_dimension("informatie", &map, &prev),
            Some("informatie")
        );
    }

    fn mini() -> ScoredEdition {
        let dir =
            std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/valid/mini");
        score(
            crate::data::load::load(&dir)
                .edition
                .expect("the mini edition loads"),
        )
    }

    #[test]
    fn each_scored_unit_reaches_its_own_file_and_position() {
        let s = mini();
        assert_eq!(s.units.len(), 3);
        for (i, u) in s.units.iter().enumerate() {
            assert_eq!(s.file(u).value.id, u.id);
            assert_eq!(s.position(&u.id), Some(i));
            assert_eq!(s.unit(&u.id).map(|x| &x.name), Some(&u.name));
        }
        assert!(s.unit("onbekend").is_none());
        assert_eq!(s.units_with_files().count(), 3);
    }

    #[test]
    fn headline_helpers_follow_the_groups() {
        let s = mini();
        assert_eq!(s.headline_group_names(), "korpsen");
        let ids: Vec<&str> = s.headline_units().map(|u| u.id.as_str()).collect();
        assert_eq!(ids, ["alfa", "beta"]);
        assert_eq!(s.figures.headline.units, 2);
        assert_eq!(s.group_name("diensten"), "diensten");
        assert_eq!(s.group_name("nergens"), "nergens");
        assert_eq!(s.group_position("diensten"), Some(1));
    }

    #[test]
    fn previous_units_are_found_by_id() {
        let s = mini();
        let p = s
            .previous
            .as_ref()
            .expect("the mini edition has a previous one");
        assert_eq!(p.unit("alfa").map(|u| u.id.as_str()), Some("alfa"));
        assert!(p.unit("gamma").is_none());
        assert_eq!(s.comparison.new, ["gamma"]);
        assert!(s.comparison.departed.is_empty());
        let alfa = s.unit("alfa").unwrap();
        assert_eq!(alfa.previous_verdict, Some(p.unit("alfa").unwrap().verdict));
    }

    #[test]
    fn per_dimension_counts_follow_the_dimension_order() {
        let s = mini();
        let all = &s.figures.all;
        for (i, (id, counts)) in all.dimensions.iter().enumerate() {
            assert_eq!(*id, s.dimensions[i].id);
            let expected = s
                .units
                .iter()
                .filter(|u| u.dimensions[i].verdict.is_some())
                .count();
            assert_eq!(counts.total() as usize, expected);
        }
    }

    #[test]
    fn fraction_arithmetic_stays_exact() {
        let third = pct(1, 3);
        assert_eq!(third + third + third, Fraction::whole(1));
        assert_eq!(third * Fraction::whole(3), Fraction::whole(1));
        assert_eq!(Fraction::whole(1) / third, Fraction::whole(3));
        assert!(pct(2, 3) > pct(66, 100));
        assert_eq!(pct(2, -4), pct(-1, 2));
    }
}
