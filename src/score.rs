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

use std::cmp::Ordering;
use std::collections::HashMap;

use serde::Serialize;

use crate::load::{LoadedEdition, Located};
use crate::model::{
    Assessment, Decimal, EditionFile, KeyFigures, ManualVerdict, Points, Status, Thresholds,
    UnitFile, Verdict,
};

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
    (weights.num > 0).then(|| sum / weights)
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

/// The trend of a unit: overall verdicts first; when equal, the net steps of
/// the dimension verdicts present in both editions.
pub fn trend(now: Verdict, before: Verdict, dimensions: &[(Verdict, Verdict)]) -> Trend {
    let by_steps = |steps: i32| match steps.cmp(&0) {
        Ordering::Greater => Trend::Better,
        Ordering::Less => Trend::Worse,
        Ordering::Equal => Trend::Same,
    };
    match now.cmp(&before) {
        Ordering::Greater => Trend::Better,
        Ordering::Less => Trend::Worse,
        Ordering::Equal => by_steps(dimensions.iter().map(|(n, b)| n.rank() - b.rank()).sum()),
    }
}

/// The change of one verdict.
pub fn step(now: Verdict, before: Verdict) -> Trend {
    trend(now, before, &[])
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

/// One dimension of one unit, scored.
#[derive(Debug, Clone, Serialize)]
pub struct ScoredDimension {
    /// The dimension id.
    pub id: String,
    /// Points awarded over the applicable indicators.
    pub awarded: u32,
    /// Points possible over the applicable indicators.
    pub possible: u32,
    /// The score, absent when the dimension does not apply (or verdicts only).
    pub score: Option<Percent>,
    /// The verdict from the score (or the published verdict).
    pub computed_verdict: Option<Verdict>,
    /// The verdict that counts: the manual one if set, else the computed one.
    pub verdict: Option<Verdict>,
    /// The manual override, shown wherever the verdict is.
    pub manual: Option<ManualVerdict>,
    /// The verdict in the previous edition.
    pub previous_verdict: Option<Verdict>,
    /// The change since the previous edition.
    pub change: Option<Trend>,
    /// Whether the previous edition has a dimension this one compares with.
    pub comparable: bool,
}

/// One unit, scored.
#[derive(Debug, Clone, Serialize)]
pub struct ScoredUnit {
    /// Unit id.
    pub id: String,
    /// Name as printed.
    pub name: String,
    /// The article of the name in running text, if it takes one.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub article: Option<crate::model::Article>,
    /// Group id.
    pub group: String,
    /// Per dimension, in the edition's order.
    pub dimensions: Vec<ScoredDimension>,
    /// The overall score (absent in verdicts-only editions).
    pub score: Option<Percent>,
    /// The overall verdict from the score (or the published verdict).
    pub computed_verdict: Option<Verdict>,
    /// The overall verdict that counts.
    pub verdict: Verdict,
    /// The manual override of the overall verdict.
    pub manual: Option<ManualVerdict>,
    /// The overall verdict in the previous edition.
    pub previous_verdict: Option<Verdict>,
    /// The trend against the previous edition (absent without one).
    pub trend: Option<Trend>,
    /// What changed since the previous edition, in Dutch words that agree
    /// with the verdicts ("verbeterd op 2 dimensies"); see
    /// [`crate::dutch::change`]. Absent without a previous edition.
    pub change: Option<String>,
    /// Key figures, when reported.
    pub key_figures: Option<KeyFigures>,
    /// The index of the unit's file in its edition's `LoadedEdition::units`.
    #[serde(skip)]
    file: usize,
}

impl ScoredUnit {
    /// The name with its article, for running text: "het KLPD", "Drenthe".
    pub fn name_in_text(&self) -> String {
        crate::dutch::with_article(self.article, &self.name)
    }

    /// Whether the unit receives a letter: its verdict is not conform norm.
    pub fn not_conform(&self) -> bool {
        self.verdict != Verdict::ConformNorm
    }

    /// The dimensions whose verdict is not conform norm.
    pub fn shortfalls(&self) -> impl Iterator<Item = &ScoredDimension> {
        self.dimensions
            .iter()
            .filter(|d| d.verdict.is_some_and(|v| v != Verdict::ConformNorm))
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
    fn add(&mut self, v: Option<Verdict>) {
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

/// The verdict counts of a set of units, overall and per dimension.
#[derive(Debug, Clone, Default, Serialize)]
pub struct Counts {
    /// Number of units.
    pub units: u32,
    /// Overall verdicts.
    pub overall: VerdictCounts,
    /// Per dimension id, in the edition's order.
    pub dimensions: Vec<(String, VerdictCounts)>,
}

impl Counts {
    fn of<'a>(dimension_ids: &[String], units: impl Iterator<Item = &'a ScoredUnit>) -> Counts {
        let mut c = Counts {
            dimensions: dimension_ids
                .iter()
                .map(|id| (id.clone(), VerdictCounts::default()))
                .collect(),
            ..Counts::default()
        };
        for u in units {
            c.units += 1;
            c.overall.add(Some(u.verdict));
            // A unit's dimensions are scored in the edition's order, the
            // order of `dimension_ids`: joined by position, not by id.
            for ((id, counts), d) in c.dimensions.iter_mut().zip(&u.dimensions) {
                debug_assert_eq!(*id, d.id);
                counts.add(d.verdict);
            }
        }
        c
    }

    /// The counts of one dimension.
    pub fn dimension(&self, id: &str) -> Option<&VerdictCounts> {
        self.dimensions
            .iter()
            .find(|(d, _)| d == id)
            .map(|(_, c)| c)
    }
}

/// National totals of the key figures.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize)]
pub struct Totals {
    /// Suspects identified.
    pub suspects: u64,
    /// Case files delivered to the Openbaar Ministerie.
    pub case_files: u64,
    /// Victims reported.
    pub victims: u64,
    /// Units that reported key figures.
    pub units_reporting: u32,
}

/// The figures of one edition.
#[derive(Debug, Clone, Serialize)]
pub struct Figures {
    /// Counts over the groups marked `headline`.
    pub headline: Counts,
    /// Counts per group id, in the edition's order.
    pub groups: Vec<(String, Counts)>,
    /// Counts over all units.
    pub all: Counts,
    /// Ids of the units not conform norm, in report order.
    pub not_conform: Vec<String>,
    /// National totals of the key figures.
    pub totals: Totals,
}

impl Figures {
    /// The counts of one group.
    pub fn group(&self, id: &str) -> Option<&Counts> {
        self.groups.iter().find(|(g, _)| g == id).map(|(_, c)| c)
    }
}

/// Units by their trend against the previous edition.
#[derive(Debug, Clone, Default, Serialize)]
pub struct Comparison {
    /// Ids of units that improved.
    pub better: Vec<String>,
    /// Ids of units that stayed the same.
    pub same: Vec<String>,
    /// Ids of units that fell back.
    pub worse: Vec<String>,
    /// Ids of units new in this edition.
    pub new: Vec<String>,
    /// Names of units in the previous edition but not in this one.
    pub departed: Vec<String>,
}

/// A dimension as listed in the results.
#[derive(Debug, Clone, Serialize)]
pub struct DimensionInfo {
    /// Id.
    pub id: String,
    /// Dutch name.
    pub name: String,
    /// Short label.
    pub short_name: String,
}

/// A group as listed in the results.
#[derive(Debug, Clone, Serialize)]
pub struct GroupInfo {
    /// Id.
    pub id: String,
    /// Dutch plural name.
    pub name: String,
    /// Whether it counts in the headline figures.
    pub headline: bool,
}

/// The previous edition's figures, for comparison.
#[derive(Debug, Clone, Serialize)]
pub struct PreviousEdition {
    /// Its year.
    pub year: u16,
    /// Its title.
    pub title: String,
    /// Its figures.
    pub figures: Figures,
    /// Its units, scored.
    pub units: Vec<ScoredUnit>,
    /// Position in `units` by unit id.
    #[serde(skip)]
    index: HashMap<String, usize>,
}

impl PreviousEdition {
    /// The unit with `id`, found through a map.
    pub fn unit(&self, id: &str) -> Option<&ScoredUnit> {
        self.index.get(id).map(|&i| &self.units[i])
    }
}

/// An edition with every verdict and figure computed.
#[derive(Debug, Clone, Serialize)]
pub struct ScoredEdition {
    /// The year.
    pub year: u16,
    /// The title.
    pub title: String,
    /// Concept or definitief.
    pub status: Status,
    /// Whether the data is partly illustrative.
    pub illustrative: bool,
    /// The dimensions, in order.
    pub dimensions: Vec<DimensionInfo>,
    /// The groups, in order.
    pub groups: Vec<GroupInfo>,
    /// The units, in report order.
    pub units: Vec<ScoredUnit>,
    /// This edition's figures.
    pub figures: Figures,
    /// The previous edition, when there is one.
    pub previous: Option<PreviousEdition>,
    /// Units by trend (empty without a previous edition).
    pub comparison: Comparison,
    /// Every unit's verdicts over the whole chain of previous editions.
    pub trends: crate::trends::Trends,
    /// Every scored unit against the spread of its group.
    pub peers: Vec<crate::trends::UnitPeers>,
    /// The files it was scored from (with the previous edition's).
    #[serde(skip)]
    source: LoadedEdition,
    /// Position in `units` by unit id.
    #[serde(skip)]
    index: HashMap<String, usize>,
    /// Position in `groups` by group id.
    #[serde(skip)]
    group_index: HashMap<String, usize>,
}

impl ScoredEdition {
    /// The unit with `id`, found through a map.
    pub fn unit(&self, id: &str) -> Option<&ScoredUnit> {
        self.index.get(id).map(|&i| &self.units[i])
    }

    /// The position of the unit with `id` in [`ScoredEdition::units`]
    /// (report order).
    pub fn position(&self, id: &str) -> Option<usize> {
        self.index.get(id).copied()
    }

    /// Everything read from the edition folder: the files this edition was
    /// scored from, and the previous edition's.
    pub fn source(&self) -> &LoadedEdition {
        &self.source
    }

    /// `edition.yaml` as read.
    pub fn edition_file(&self) -> &EditionFile {
        &self.source.edition.value
    }

    /// The unit file a unit of this edition was scored from.
    pub fn file(&self, unit: &ScoredUnit) -> &Located<UnitFile> {
        &self.source.units[unit.file]
    }

    /// Each unit with the file it was scored from, in report order.
    pub fn units_with_files(&self) -> impl Iterator<Item = (&ScoredUnit, &UnitFile)> {
        self.units.iter().map(|u| (u, &self.file(u).value))
    }

    /// The group with `id`, found through a map.
    pub fn group(&self, id: &str) -> Option<&GroupInfo> {
        self.group_index.get(id).map(|&i| &self.groups[i])
    }

    /// The position of the group with `id` in [`ScoredEdition::groups`].
    pub fn group_position(&self, id: &str) -> Option<usize> {
        self.group_index.get(id).copied()
    }

    /// The Dutch name of a group, or its id when the edition has none.
    pub fn group_name<'a>(&'a self, id: &'a str) -> &'a str {
        self.group(id).map_or(id, |g| g.name.as_str())
    }

    /// The groups that count in the headline figures, in order.
    pub fn headline_groups(&self) -> impl Iterator<Item = &GroupInfo> {
        self.groups.iter().filter(|g| g.headline)
    }

    /// The headline groups' names joined the Dutch way ("regiokorpsen en
    /// het KLPD").
    pub fn headline_group_names(&self) -> String {
        crate::dutch::list(
            &self
                .headline_groups()
                .map(|g| g.name.clone())
                .collect::<Vec<_>>(),
        )
    }

    /// Whether a unit's group counts in the headline figures.
    pub fn in_headline(&self, unit: &ScoredUnit) -> bool {
        self.group(&unit.group).is_some_and(|g| g.headline)
    }

    /// The units of the headline groups, in report order.
    pub fn headline_units(&self) -> impl Iterator<Item = &ScoredUnit> + Clone {
        self.units.iter().filter(|u| self.in_headline(u))
    }
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
    // holds a few editions (at most `load::MAX_CHAIN`).
    let earlier: Vec<ScoredEdition> = edition
        .chain()
        .skip(1)
        .map(|e| score_with_previous(e.clone()))
        .collect();
    let mut scored = score_with_previous(edition);
    let chain: Vec<&ScoredEdition> = std::iter::once(&scored).chain(&earlier).collect();
    let trends = crate::trends::compute(&chain);
    let peers = crate::trends::peers(&scored);
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
    };
    if let Some(prev) = &previous {
        compare(&mut scored, prev);
    }
    scored.previous = previous;
    scored
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
        file,
    }
}

/// The previous dimension that corresponds to dimension `id`: the single
/// previous dimension mapped onto it (by `map`, else by equal id), or
/// `None` when none or several are.
pub fn previous_dimension<'a>(
    id: &str,
    map: &crate::model::IdMap<String>,
    previous_ids: &'a [String],
) -> Option<&'a str> {
    let sources: Vec<&'a str> = if map.is_empty() {
        previous_ids
            .iter()
            .filter(|p| *p == id)
            .map(String::as_str)
            .collect()
    } else {
        previous_ids
            .iter()
            .filter(|p| map.get(p).is_some_and(|to| to == id))
            .map(String::as_str)
            .collect()
    };
    match sources.as_slice() {
        [one] => Some(one),
        _ => None,
    }
}

fn compare(scored: &mut ScoredEdition, prev: &PreviousEdition) {
    let map = &scored.source.edition.value.previous_dimensions;
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
    let mut c = Comparison::default();
    for unit in &mut scored.units {
        let Some(before) = prev.unit(&unit.id) else {
            unit.trend = Some(Trend::New);
            unit.change = Some(crate::dutch::change(Trend::New, unit.verdict, None, &[]));
            c.new.push(unit.id.clone());
            continue;
        };
        let mut pairs = Vec::new();
        for (d, from) in unit.dimensions.iter_mut().zip(&sources) {
            let Some(from) = *from else {
                d.comparable = false;
                continue;
            };
            let Some(b) = before.dimensions.get(from) else {
                continue;
            };
            d.previous_verdict = b.verdict;
            if let (Some(now), Some(then)) = (d.verdict, b.verdict) {
                d.change = Some(step(now, then));
                pairs.push((now, then));
            }
        }
        unit.previous_verdict = Some(before.verdict);
        let t = trend(unit.verdict, before.verdict, &pairs);
        unit.trend = Some(t);
        let steps: Vec<Trend> = unit.dimensions.iter().filter_map(|d| d.change).collect();
        unit.change = Some(crate::dutch::change(
            t,
            unit.verdict,
            Some(before.verdict),
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
        .filter(|p| !scored.index.contains_key(&p.id))
        .map(|p| p.name.clone())
        .collect();
    scored.comparison = c;
}

#[cfg(test)]
mod tests {
    use super::*;
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
        assert_eq!(trend(C, A, &[]), Trend::Better);
        assert_eq!(trend(O, C, &[(C, O)]), Trend::Worse);
        assert_eq!(trend(A, A, &[(C, A), (A, A)]), Trend::Better);
        assert_eq!(trend(A, A, &[(O, A), (A, A)]), Trend::Worse);
        assert_eq!(trend(A, A, &[(C, A), (O, A)]), Trend::Same);
        assert_eq!(trend(A, A, &[(C, O), (O, A)]), Trend::Better);
        assert_eq!(trend(C, C, &[]), Trend::Same);
        assert_eq!(step(O, A), Trend::Worse);
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
        let none = crate::model::IdMap::default();
        assert_eq!(
            previous_dimension("informatie", &none, &prev),
            Some("informatie")
        );
        assert_eq!(previous_dimension("toezicht", &none, &prev), None);
        let map = crate::model::IdMap(vec![
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
            crate::load::load(&dir)
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
