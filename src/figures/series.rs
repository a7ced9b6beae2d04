//! The series of an edition's units over its chain of editions and their
//! scores against their peers, as [`crate::figures::trends`] computes them.

use serde::Serialize;

use crate::data::model::Verdict;
use crate::data::values::{Percent, Trend, VerdictCounts};
use crate::figures::stats::Spread;

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
    /// False where the unit continues units of that edition whose verdicts
    /// cannot be put together (no scores to average, verdicts that differ):
    /// its verdict there is "niet vergelijkbaar", not "niet beoordeeld".
    pub comparable: bool,
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
    /// Whether headline units of the later edition continue other units,
    /// and so were compared with what those scored.
    pub continued: bool,
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
    pub(in crate::figures) index: std::collections::HashMap<String, usize>,
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
