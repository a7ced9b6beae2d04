//! Statistics of a group of scores: the spread a unit is set against in
//! its peer chart (minimum, quartiles, median, maximum and mean), computed
//! exactly on the scores' fractions.
//!
//! Method (also in docs/data-format.md): the scores are sorted; the
//! median is the middle score, or the mean of the two middle scores of an
//! even count; the quartiles are found by linear interpolation between
//! the sorted scores, the method of R's default (type 7), Excel's
//! `QUARTILE.INC` and numpy's default: the quartile of fraction `p` lies at
//! the 0-based position `h = (n - 1) * p`, between the scores at `floor(h)`
//! and `floor(h) + 1`, in proportion to the fraction of `h`. A group of
//! fewer than [`MIN_FOR_QUARTILES`] scores has no quartiles: with one or two
//! scores they would only repeat the scores themselves.

use crate::data::values::Fraction;

/// The fewest scores for which quartiles are given.
pub const MIN_FOR_QUARTILES: usize = 3;

/// The spread of a group's scores (percentages, exact).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Spread {
    /// How many scores there are (missing ones are not counted).
    pub count: usize,
    /// The lowest score.
    pub min: Fraction,
    /// The first quartile and the third, when there are at least
    /// [`MIN_FOR_QUARTILES`] scores.
    pub quartiles: Option<(Fraction, Fraction)>,
    /// The median.
    pub median: Fraction,
    /// The highest score.
    pub max: Fraction,
    /// The arithmetic mean.
    pub mean: Fraction,
}

/// The spread of the scores that exist in `scores`; `None` when none do.
pub fn spread(scores: impl IntoIterator<Item = Option<Fraction>>) -> Option<Spread> {
    let mut sorted: Vec<Fraction> = scores.into_iter().flatten().collect();
    sorted.sort();
    let (&min, &max) = (sorted.first()?, sorted.last()?);
    let n = sorted.len();
    let quartiles =
        (n >= MIN_FOR_QUARTILES).then(|| (quantile(&sorted, 1, 4), quantile(&sorted, 3, 4)));
    Some(Spread {
        count: n,
        min,
        quartiles,
        median: quantile(&sorted, 1, 2),
        max,
        mean: mean(&sorted),
    })
}

/// The mean of `values`, which must not be empty.
pub fn mean(values: &[Fraction]) -> Fraction {
    let sum = values.iter().fold(Fraction::whole(0), |sum, v| sum + *v);
    sum / Fraction::whole(values.len() as i128)
}

/// The quantile `num / den` of the sorted, non-empty `sorted` by linear
/// interpolation (type 7): at position `(n - 1) * num / den`.
fn quantile(sorted: &[Fraction], num: usize, den: usize) -> Fraction {
    let scaled = (sorted.len() - 1) * num;
    let (below, rest) = (scaled / den, scaled % den);
    if rest == 0 {
        return sorted[below];
    }
    // x[below] * (1 - f) + x[below + 1] * f with f = rest / den: both
    // weights are positive, so no subtraction is needed.
    let f = Fraction::new(rest as i128, den as i128);
    let g = Fraction::new((den - rest) as i128, den as i128);
    sorted[below] * g + sorted[below + 1] * f
}

#[cfg(test)]
mod tests {
    use super::*;

    fn w(n: i128) -> Option<Fraction> {
        Some(Fraction::whole(n))
    }

    fn f(num: i128, den: i128) -> Fraction {
        Fraction::new(num, den)
    }

    #[test]
    fn an_odd_count_has_its_middle_score_as_median() {
        let s = spread([w(50), w(10), w(30), w(40), w(20)]).unwrap();
        assert_eq!(s.count, 5);
        assert_eq!(s.median, Fraction::whole(30));
        // Positions 1 and 3 of 0..4 exactly.
        assert_eq!(
            s.quartiles,
            Some((Fraction::whole(20), Fraction::whole(40)))
        );
        assert_eq!((s.min, s.max), (Fraction::whole(10), Fraction::whole(50)));
        assert_eq!(s.mean, Fraction::whole(30));
    }

    #[test]
    fn an_even_count_interpolates() {
        // 10 20 30 40: median between 20 and 30; Q1 at position 0.75
        // (10 + 0.75 * 10 = 17.5); Q3 at 2.25 (30 + 0.25 * 10 = 32.5).
        let s = spread([w(40), w(30), w(20), w(10)]).unwrap();
        assert_eq!(s.median, Fraction::whole(25));
        assert_eq!(s.quartiles, Some((f(35, 2), f(65, 2))));
        assert_eq!(s.mean, Fraction::whole(25));
        // Six scores: Q1 at 1.25, median at 2.5, Q3 at 3.75.
        let s = spread([w(0), w(10), w(20), w(30), w(40), w(100)]).unwrap();
        assert_eq!(s.quartiles, Some((f(25, 2), f(75, 2))));
        assert_eq!(s.median, Fraction::whole(25));
        assert_eq!(s.mean, f(200, 6));
    }

    #[test]
    fn ties_are_counted_each() {
        let s = spread([w(60), w(60), w(60), w(90)]).unwrap();
        assert_eq!(s.median, Fraction::whole(60));
        assert_eq!(s.quartiles, Some((Fraction::whole(60), f(135, 2))));
        assert_eq!(s.mean, f(135, 2));
    }

    #[test]
    fn exact_fractions_stay_exact() {
        let s = spread([Some(f(200, 3)), Some(f(100, 3)), Some(f(250, 3))]).unwrap();
        assert_eq!(s.median, f(200, 3));
        assert_eq!(
            s.quartiles,
            Some((Fraction::whole(50), Fraction::whole(75)))
        );
        assert_eq!(s.mean, f(550, 9));
    }

    #[test]
    fn missing_scores_are_left_out() {
        let s = spread([None, w(10), None, w(20), w(60)]).unwrap();
        assert_eq!(s.count, 3);
        assert_eq!(s.median, Fraction::whole(20));
        assert_eq!(s.mean, Fraction::whole(30));
        assert_eq!(spread([None, None]), None);
        assert_eq!(spread(std::iter::empty()), None);
    }

    #[test]
    fn small_groups_have_no_quartiles() {
        let one = spread([w(42)]).unwrap();
        assert_eq!(one.count, 1);
        assert_eq!(one.quartiles, None);
        assert_eq!(
            (one.min, one.median, one.max),
            (one.mean, one.mean, one.mean)
        );
        let two = spread([w(40), w(50)]).unwrap();
        assert_eq!(two.quartiles, None);
        assert_eq!(two.median, Fraction::whole(45));
        assert!(spread([w(1), w(2), w(3)]).unwrap().quartiles.is_some());
    }

    proptest::proptest! {
        #[test]
        fn the_spread_is_ordered_and_ignores_order(
            tenths in proptest::collection::vec(proptest::option::of(0i128..=1000), 0..40),
        ) {
            let scores: Vec<Option<Fraction>> =
                tenths.iter().map(|t| t.map(|t| f(t, 10))).collect();
            let mut reversed = scores.clone();
            reversed.reverse();
            let s = spread(scores.clone());
            proptest::prop_assert_eq!(s, spread(reversed));
            let present = scores.iter().flatten().count();
            match s {
                None => proptest::prop_assert_eq!(present, 0),
                Some(s) => {
                    proptest::prop_assert_eq!(s.count, present);
                    proptest::prop_assert!(s.min <= s.median && s.median <= s.max);
                    proptest::prop_assert!(s.min <= s.mean && s.mean <= s.max);
                    proptest::prop_assert_eq!(s.quartiles.is_some(), present >= MIN_FOR_QUARTILES);
                    if let Some((q1, q3)) = s.quartiles {
                        proptest::prop_assert!(s.min <= q1 && q1 <= s.median);
                        proptest::prop_assert!(s.median <= q3 && q3 <= s.max);
                    }
                }
            }
        }
    }
}
