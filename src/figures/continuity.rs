//! Continuity across a reorganisation: a unit that continues units of an
//! earlier edition (`continues:` in its file) is compared with what those
//! units scored there.
//!
//! Rule (also in docs/data-format.md): each predecessor counts once. Their
//! aggregate score is the mean of their scores (overall, or of one
//! dimension), and its verdict the one that edition's own thresholds give
//! that mean, so that the comparison uses the method of the edition it
//! looks back on. Where a predecessor has no score (a verdicts-only
//! edition, a dimension whose indicators are all `nvt`), the aggregate has
//! no score, and its verdict is the predecessors' common verdict when they
//! all have the same one; otherwise there is none: niet vergelijkbaar.
//! A single predecessor is compared with its own verdict, a manual one
//! included: the mean of one score is that score, but the verdict the
//! assessors gave it is the one its own report printed.

use crate::data::model::{EditionFile, Thresholds, Verdict};
use crate::data::values::{Fraction, Percent, verdict_for};
use crate::figures::scored::ScoredUnit;
use crate::figures::stats;

/// What a set of predecessors scored together in one edition.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Aggregate {
    /// The mean of their scores, when every one has a score.
    pub score: Option<Percent>,
    /// The verdict of that mean under the edition's thresholds, or their
    /// common verdict; `None`: not comparable.
    pub verdict: Option<Verdict>,
    /// Whether none of them has a verdict (the dimension did not apply).
    pub not_applicable: bool,
}

/// The aggregate of `scores` and `verdicts` (one per predecessor) under
/// `thresholds`.
fn aggregate(
    scores: &[Option<Percent>],
    verdicts: &[Option<Verdict>],
    thresholds: Option<&Thresholds>,
) -> Aggregate {
    let exact: Option<Vec<Fraction>> = scores.iter().map(|s| s.map(|p| p.exact())).collect();
    let mean = exact.filter(|e| !e.is_empty()).map(|e| stats::mean(&e));
    let common = match verdicts.first().copied().flatten() {
        Some(v) if verdicts.iter().all(|x| *x == Some(v)) => Some(v),
        _ => None,
    };
    let verdict = match (mean, thresholds) {
        _ if verdicts.len() == 1 => common,
        (Some(m), Some(t)) => Some(verdict_for(m, t)),
        _ => common,
    };
    Aggregate {
        score: mean.map(Percent::of),
        verdict,
        not_applicable: !verdicts.is_empty() && verdicts.iter().all(Option::is_none),
    }
}

/// The overall aggregate of `units` (of the edition `e`).
pub fn overall(units: &[&ScoredUnit], e: &EditionFile) -> Aggregate {
    let scores: Vec<Option<Percent>> = units.iter().map(|u| u.score).collect();
    let verdicts: Vec<Option<Verdict>> = units.iter().map(|u| Some(u.verdict)).collect();
    aggregate(&scores, &verdicts, e.overall_thresholds.as_ref())
}

/// The aggregate of `units` (of the edition `e`) on its dimension `id`.
pub fn dimension(units: &[&ScoredUnit], e: &EditionFile, id: &str) -> Aggregate {
    fn of<'u>(u: &'u ScoredUnit, id: &str) -> Option<&'u crate::figures::scored::ScoredDimension> {
        u.dimensions.iter().find(|d| d.id == id)
    }
    let scores: Vec<Option<Percent>> = units
        .iter()
        .map(|u| of(u, id).and_then(|d| d.score))
        .collect();
    let verdicts: Vec<Option<Verdict>> = units
        .iter()
        .map(|u| of(u, id).and_then(|d| d.verdict))
        .collect();
    let thresholds = e
        .dimensions
        .iter()
        .find(|d| d.id == id)
        .and_then(|d| d.thresholds.as_ref());
    aggregate(&scores, &verdicts, thresholds)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::data::model::Decimal;
    use Verdict::{Aandacht as A, ConformNorm as C, Onvoldoende as O};

    fn pct(n: i128) -> Option<Percent> {
        Some(Percent::of(Fraction::whole(n)))
    }

    fn t() -> Thresholds {
        Thresholds {
            conform_norm: Decimal(7000),
            aandacht: Decimal(5500),
        }
    }

    #[test]
    fn the_mean_score_gets_the_thresholds_verdict() {
        // 80, 60 and 52: mean 64, aandacht, whatever each one's verdict.
        let a = aggregate(
            &[pct(80), pct(60), pct(52)],
            &[Some(C), Some(A), Some(O)],
            Some(&t()),
        );
        assert_eq!(a.score.map(|p| p.tenths), Some(640));
        assert_eq!(a.verdict, Some(A));
        assert!(!a.not_applicable);
    }

    #[test]
    fn a_single_predecessor_keeps_its_own_verdict_a_manual_one_included() {
        // 40% would be onvoldoende under the thresholds; the assessors gave
        // aandacht by hand, and its report printed aandacht.
        let one = aggregate(&[pct(40)], &[Some(A)], Some(&t()));
        assert_eq!(
            (one.score.map(|p| p.tenths), one.verdict),
            (Some(400), Some(A))
        );
    }

    #[test]
    fn without_scores_only_a_common_verdict_compares() {
        let same = aggregate(&[None, None], &[Some(A), Some(A)], Some(&t()));
        assert_eq!((same.score, same.verdict), (None, Some(A)));
        let differ = aggregate(&[None, pct(80)], &[Some(A), Some(C)], Some(&t()));
        assert_eq!((differ.score, differ.verdict), (None, None));
        let nvt = aggregate(&[None, None], &[None, None], Some(&t()));
        assert!(nvt.not_applicable && nvt.verdict.is_none());
    }
}
