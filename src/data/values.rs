//! The value types the figures are made of and the words describe: exact
//! fractions, percentages, the trend of a verdict and counts of verdicts.
//! Shared by scoring, trends and statistics (`figures`) and by the Dutch
//! wording (`words`), which sit above this layer.

use std::cmp::Ordering;

use serde::Serialize;

use crate::data::model::{Decimal, Thresholds, Verdict};

/// An exact non-negative fraction in lowest terms.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Fraction {
    num: i128,
    den: i128,
}

fn gcd(mut a: i128, mut b: i128) -> i128 {
    a = a.abs();
    b = b.abs();
    while b != 0 {
        (a, b) = (b, a % b);
    }
    a.max(1)
}

impl Fraction {
    /// `num / den`; `den` must not be zero.
    pub fn new(num: i128, den: i128) -> Fraction {
        debug_assert!(den != 0);
        let (num, den) = if den < 0 { (-num, -den) } else { (num, den) };
        let g = gcd(num, den);
        Fraction {
            num: num / g,
            den: den / g,
        }
    }

    /// A whole number.
    pub fn whole(n: i128) -> Fraction {
        Fraction { num: n, den: 1 }
    }

    /// A decimal with two places as a fraction.
    pub fn from_decimal(d: Decimal) -> Fraction {
        Fraction::new(d.hundredths() as i128, 100)
    }

    /// Rounded half up to tenths (e.g. 61.25 -> 613 tenths).
    pub fn tenths(self) -> i64 {
        let scaled = self.num * 10;
        let q = (2 * scaled + self.den).div_euclid(2 * self.den);
        q as i64
    }
}

impl std::ops::Add for Fraction {
    type Output = Fraction;
    fn add(self, other: Fraction) -> Fraction {
        let g = gcd(self.den, other.den);
        let den = self.den / g * other.den;
        Fraction::new(
            self.num * (den / self.den) + other.num * (den / other.den),
            den,
        )
    }
}

impl std::ops::Mul for Fraction {
    type Output = Fraction;
    fn mul(self, other: Fraction) -> Fraction {
        let g1 = gcd(self.num, other.den);
        let g2 = gcd(other.num, self.den);
        Fraction::new(
            (self.num / g1) * (other.num / g2),
            (self.den / g2) * (other.den / g1),
        )
    }
}

impl std::ops::Div for Fraction {
    type Output = Fraction;
    /// The quotient; `other` must not be zero.
    fn div(self, other: Fraction) -> Fraction {
        let inverse = Fraction::new(other.den, other.num);
        std::ops::Mul::mul(self, inverse)
    }
}

impl PartialOrd for Fraction {
    fn partial_cmp(&self, other: &Self) -> Option<Ordering> {
        Some(self.cmp(other))
    }
}

impl Ord for Fraction {
    fn cmp(&self, other: &Self) -> Ordering {
        (self.num * other.den).cmp(&(other.num * self.den))
    }
}

/// The verdict for a percentage score under `thresholds`.
pub fn verdict_for(score: Fraction, thresholds: &Thresholds) -> Verdict {
    if score >= Fraction::from_decimal(thresholds.conform_norm) {
        Verdict::ConformNorm
    } else if score >= Fraction::from_decimal(thresholds.aandacht) {
        Verdict::Aandacht
    } else {
        Verdict::Onvoldoende
    }
}

/// How a unit's verdict moved since the previous edition.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Trend {
    /// A better verdict.
    Better,
    /// The same verdict.
    Same,
    /// A worse verdict.
    Worse,
    /// Not in the previous edition.
    New,
}

impl Trend {
    /// The Dutch word for the direction of change.
    pub fn label(self) -> &'static str {
        match self {
            Trend::Better => "verbeterd",
            Trend::Same => "ongewijzigd",
            Trend::Worse => "verslechterd",
            Trend::New => "nieuw",
        }
    }
}

/// The change of one verdict: better, the same or worse. A unit's trend is
/// the change of its overall verdict alone ("verbeterd" means a better
/// overall verdict, everywhere); how its dimensions moved is told apart
/// ("beter op 2 dimensies", [`crate::words::dutch::change`]).
pub fn step(now: Verdict, before: Verdict) -> Trend {
    match now.cmp(&before) {
        Ordering::Greater => Trend::Better,
        Ordering::Less => Trend::Worse,
        Ordering::Equal => Trend::Same,
    }
}

/// A percentage rounded to tenths, kept with its exact value.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
pub struct Percent {
    /// Rounded half up to tenths of a percent (615 is 61.5%).
    pub tenths: i64,
    #[serde(skip)]
    exact: Fraction,
}

impl Percent {
    /// The percentage `exact`, rounded half up to tenths for printing.
    pub fn of(exact: Fraction) -> Percent {
        Percent {
            tenths: exact.tenths(),
            exact,
        }
    }

    /// The exact value.
    pub fn exact(&self) -> Fraction {
        self.exact
    }

    /// As a float, for drawing charts only.
    pub fn as_f64(&self) -> f64 {
        self.tenths as f64 / 10.0
    }
}

/// Counts of units per verdict.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize)]
pub struct VerdictCounts {
    /// Conform norm.
    pub conform_norm: u32,
    /// Aandacht.
    pub aandacht: u32,
    /// Onvoldoende.
    pub onvoldoende: u32,
    /// Dimension not applicable (only in per-dimension counts).
    pub not_applicable: u32,
}

impl VerdictCounts {
    /// Counts one more unit with verdict `v` (`None`: not applicable).
    pub fn add(&mut self, v: Option<Verdict>) {
        match v {
            Some(Verdict::ConformNorm) => self.conform_norm += 1,
            Some(Verdict::Aandacht) => self.aandacht += 1,
            Some(Verdict::Onvoldoende) => self.onvoldoende += 1,
            None => self.not_applicable += 1,
        }
    }

    /// The count for one verdict.
    pub fn get(&self, v: Verdict) -> u32 {
        match v {
            Verdict::ConformNorm => self.conform_norm,
            Verdict::Aandacht => self.aandacht,
            Verdict::Onvoldoende => self.onvoldoende,
        }
    }

    /// Units with a verdict.
    pub fn total(&self) -> u32 {
        self.conform_norm + self.aandacht + self.onvoldoende
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use Verdict::{Aandacht as A, ConformNorm as C, Onvoldoende as O};

    fn pct(num: i128, den: i128) -> Fraction {
        Fraction::new(num, den)
    }

    #[test]
    fn rounding_is_half_up_to_tenths() {
        assert_eq!(pct(12_325, 200).tenths(), 616); // 61.625
        assert_eq!(pct(1_225, 20).tenths(), 613); // 61.25 -> 61.3
        assert_eq!(pct(200, 3).tenths(), 667);
        assert_eq!(pct(100, 3).tenths(), 333);
        assert_eq!(Fraction::whole(0).tenths(), 0);
        assert_eq!(Fraction::whole(100).tenths(), 1000);
    }

    #[test]
    fn trend_uses_overall_then_dimension_steps() {
        // The overall verdict alone: dimensions never make a unit "verbeterd".
        assert_eq!(step(C, A), Trend::Better);
        assert_eq!(step(O, C), Trend::Worse);
        assert_eq!(step(A, A), Trend::Same);
        assert_eq!(step(C, C), Trend::Same);
        assert_eq!(step(O, A), Trend::Worse);
    }
}
