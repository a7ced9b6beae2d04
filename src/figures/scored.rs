//! A scored edition: every verdict and figure of one edition, as
//! [`crate::figures::score`] computes them, with the trends over its chain
//! of editions and its units' peers; and how the dimensions of two
//! editions correspond.

use std::collections::HashMap;

use serde::Serialize;

use crate::data::load::{LoadedEdition, Located};
use crate::data::model::{EditionFile, KeyFigures, ManualVerdict, Status, UnitFile, Verdict};
use crate::data::values::{Percent, Trend, VerdictCounts};
use crate::figures::series::{Trends, UnitPeers};

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
    pub article: Option<crate::data::model::Article>,
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
    /// [`crate::words::dutch::change`]. Absent without a previous edition.
    pub change: Option<String>,
    /// Key figures, when reported.
    pub key_figures: Option<KeyFigures>,
    /// The units of the previous edition it continues (`continues:`);
    /// empty: the unit of its own id, if any.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub continues: Vec<String>,
    /// What it was compared with, in words, when it continues other units:
    /// "het gemiddelde van Groningen, Friesland en Drenthe in 2012".
    #[serde(skip_serializing_if = "Option::is_none")]
    pub compared_with: Option<String>,
    /// The index of the unit's file in its edition's `LoadedEdition::units`.
    #[serde(skip)]
    pub(in crate::figures) file: usize,
}

impl ScoredUnit {
    /// The name with its article, for running text: "het KLPD", "Drenthe".
    pub fn name_in_text(&self) -> String {
        crate::words::dutch::with_article(self.article, &self.name)
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
    pub(in crate::figures) fn of<'a>(
        dimension_ids: &[String],
        units: impl Iterator<Item = &'a ScoredUnit>,
    ) -> Counts {
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

/// Totals over the units of this edition whose predecessors all reported
/// key figures in the previous edition, and over those predecessors
/// (computed by [`crate::figures::totals::like_for_like`]).
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct LikeForLike {
    /// The previous edition's year.
    pub year: u16,
    /// This edition's totals over the compared units (`units_reporting`
    /// counts them).
    pub now: Totals,
    /// The previous edition's totals over their predecessors.
    pub before: Totals,
    /// Ids of this edition's reporting units left out because the previous
    /// edition did not assess them (new units, such as the KLPD and the
    /// KMar in 2010).
    pub new: Vec<String>,
    /// Ids of this edition's reporting units left out because a
    /// predecessor, assessed, reported no key figures.
    pub unreported: Vec<String>,
    /// Ids of the previous edition's reporting units no unit of this
    /// edition continues (units no longer assessed).
    pub gone: Vec<String>,
}

impl LikeForLike {
    /// Whether both totals are over every reporting unit of their edition:
    /// the plain totals compare like with like.
    #[must_use]
    pub fn is_whole(&self) -> bool {
        self.new.is_empty() && self.unreported.is_empty() && self.gone.is_empty()
    }
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
    pub(in crate::figures) index: HashMap<String, usize>,
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
    pub trends: Trends,
    /// Every scored unit against the spread of its group.
    pub peers: Vec<UnitPeers>,
    /// The key figures' totals over the same units in this and the previous
    /// edition ([`crate::figures::totals::like_for_like`]).
    pub like_for_like: Option<LikeForLike>,
    /// The files it was scored from (with the previous edition's).
    #[serde(skip)]
    pub(in crate::figures) source: LoadedEdition,
    /// Position in `units` by unit id.
    #[serde(skip)]
    pub(in crate::figures) index: HashMap<String, usize>,
    /// Position in `groups` by group id.
    #[serde(skip)]
    pub(in crate::figures) group_index: HashMap<String, usize>,
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
        crate::words::dutch::list(
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

/// The previous dimension that corresponds to dimension `id`: the single
/// previous dimension mapped onto it (by `map`, else by equal id), or
/// `None` when none or several are.
pub fn previous_dimension<'a>(
    id: &str,
    map: &crate::data::model::IdMap<String>,
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
