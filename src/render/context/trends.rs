//! The trends' and peers' part of the report's context.

use serde::Serialize;

use crate::render::context::{ChartCtx, CountsCtx, TrendCtx, VerdictCtx};
use crate::render::table::DataTable;

/// The trends of the whole report.
#[derive(Debug, Serialize)]
pub struct TrendsCtx {
    /// Whether the chain has more than one edition.
    pub any: bool,
    /// The years of the chain, oldest first.
    pub years: Vec<u16>,
    /// The headline distribution of every edition, with the moves since
    /// the edition before it.
    pub editions: Vec<EditionRowCtx>,
    /// "Tussen 2008 en 2010 verbeterden 11 van de 25 ...", one per pair.
    pub pairs: Vec<String>,
    /// The units that improved in every edition, as a sentence, or none.
    pub improved_every_time: Option<String>,
    /// The units that fell back twice or more, as a sentence, or none.
    pub fell_back_twice: Option<String>,
    /// The units onvoldoende for the second (third, ...) time running, as
    /// sentences.
    pub onvoldoende_running: Vec<String>,
}

/// One edition in the national table.
#[derive(Debug, Serialize)]
pub struct EditionRowCtx {
    /// Year.
    pub year: u16,
    /// Headline units.
    pub units: u32,
    /// The names of its headline groups ("regiokorpsen"): after a
    /// reorganisation, other units than this edition's.
    pub groups: String,
    /// Their overall verdicts.
    pub counts: CountsCtx,
    /// Improved, same, fell back since the edition before (none for the first).
    pub moves: Option<(u32, u32, u32)>,
}

/// One unit's series as its chapter prints it.
#[derive(Debug, Serialize)]
pub struct UnitTrendCtx {
    /// The years shown, oldest first.
    pub years: Vec<u16>,
    /// How many earlier editions the table leaves out.
    pub left_out: usize,
    /// The overall verdict per year shown (none where the unit was not assessed).
    pub verdicts: Vec<Option<VerdictCtx>>,
    /// What stands where a year has no verdict: "niet beoordeeld", or "niet
    /// vergelijkbaar" for former units whose verdicts cannot be put
    /// together.
    pub missing: Vec<String>,
    /// The overall score per year shown ("61,5%"), where there is one.
    pub scores: Vec<Option<String>>,
    /// The change since the edition before, per year shown.
    pub trends: Vec<Option<TrendCtx>>,
    /// Per dimension of this edition: its short name and a mark per year.
    pub dimensions: Vec<DimensionSeriesCtx>,
    /// Whether any mark says "niet vergelijkbaar".
    pub any_not_comparable: bool,
    /// The series in words, for readers who do not see the table's colours.
    pub sentence: String,
    /// The same table as figures, one row per edition shown, for the web
    /// edition's table and its CSV download.
    #[serde(skip)]
    pub table: DataTable,
}

/// One dimension's marks over the years.
#[derive(Debug, Serialize)]
pub struct DimensionSeriesCtx {
    /// Dimension id.
    pub id: String,
    /// Short name.
    pub short_name: String,
    /// Per year shown.
    pub marks: Vec<MarkCtx>,
}

/// A dimension's mark in one edition.
#[derive(Debug, Serialize)]
pub struct MarkCtx {
    /// `verdict`, `not_applicable`, `not_comparable` or `absent`.
    pub kind: &'static str,
    /// The verdict, when there is one.
    pub verdict: Option<VerdictCtx>,
}

/// A new police unit's series: its former units and its mean score.
#[derive(Debug, Serialize)]
pub struct NewUnitTrendCtx {
    /// The years shown, oldest first.
    pub years: Vec<u16>,
    /// Each former unit: name and overall verdict per year.
    pub former: Vec<(String, Vec<Option<VerdictCtx>>)>,
    /// The mean score per year ("72,3%"), none where no former unit has a score.
    pub means: Vec<Option<String>>,
    /// The same as figures, one row per edition shown (each former unit's
    /// verdict and the mean score), for the web edition and its CSV.
    #[serde(skip)]
    pub table: DataTable,
}

/// A unit's place among its peers.
#[derive(Debug, Serialize)]
pub struct PeersCtx {
    /// The spine chart.
    pub chart: Option<ChartCtx>,
    /// The figures in words: "De totaalscore (80,5%) ligt boven de mediaan
    /// van de voormalige politieregio’s (77,5%). ...".
    pub sentence: String,
}
