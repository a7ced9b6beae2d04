//! The report template's context.

use serde::Serialize;

use crate::render::Block;
use crate::render::context::trends::{NewUnitTrendCtx, PeersCtx, TrendsCtx, UnitTrendCtx};
use crate::render::context::{ChartCtx, CountsCtx, TrendCtx, VerdictCtx};

/// The default notice for illustrative editions.
pub const DEFAULT_ILLUSTRATIVE_NOTICE: &str = "Deze uitgave bevat illustratieve gegevens: de oordelen en landelijke cijfers volgen de openbare bronnen, de punten per indicator, bevindingen, cijfers per eenheid en opmerkingen zijn ter illustratie opgesteld.";

/// Everything the report template sees.
#[derive(Debug, Serialize)]
pub struct ReportContext {
    /// Title, year, status, date and other facts of the edition.
    pub meta: Meta,
    /// `points` or `published_verdicts`.
    pub assessment: &'static str,
    /// The dimensions with their method and headline counts.
    pub dimensions: Vec<DimensionCtx>,
    /// The overall thresholds, formatted ("70%").
    pub overall_thresholds: Option<ThresholdsCtx>,
    /// The headline figures.
    pub headline: HeadlineCtx,
    /// The groups that do not count in the headline.
    pub other_groups: Vec<GroupCtx>,
    /// The units in report order.
    pub units: Vec<UnitCtx>,
    /// Units by trend, as names.
    pub comparison: ComparisonCtx,
    /// National totals of the key figures.
    pub totals: TotalsCtx,
    /// The editors' free chapters, by the section they precede.
    pub chapters: Vec<ChapterCtx>,
    /// The chain partners with their ratings.
    pub partners: Vec<PartnerCtx>,
    /// The general recommendations by theme.
    pub themes: Vec<ThemeCtx>,
    /// Abbreviations for the appendix.
    pub abbreviations: Vec<AbbreviationCtx>,
    /// The national charts.
    pub charts: ChartsCtx,
    /// The number of manual verdicts in the edition.
    pub manual_verdicts: usize,
    /// The changes annex, when the build asks for one.
    pub changes: Option<ChangesCtx>,
    /// The new police units with their former units, when the edition has them.
    pub new_units: Vec<NewUnitCtx>,
    /// Generated sentences, correct Dutch for every count.
    pub sentences: SentencesCtx,
    /// The trends over the whole chain of editions.
    pub trends: TrendsCtx,
}

/// Sentences the report generates from the figures, each correct Dutch for
/// every count (see [`crate::words::dutch`]), numerals bound to their nouns.
#[derive(Debug, Serialize)]
pub struct SentencesCtx {
    /// The headline groups' verdicts: "Van de 25 regiokorpsen presteren er
    /// 12 conform norm, ...".
    pub headline: String,
    /// The previous edition's distribution, or none.
    pub previous: Option<String>,
    /// How many headline units are not conform norm.
    pub not_conform: String,
    /// National totals of the key figures, or none when no unit reported.
    pub totals: Option<String>,
    /// The units with a better overall verdict than before, or none.
    pub better_overall: Option<String>,
    /// The units with the same overall verdict but better dimensions, or none.
    pub better_dimensions: Option<String>,
    /// The units with a worse overall verdict than before, or none.
    pub worse_overall: Option<String>,
    /// The units with the same overall verdict but worse dimensions, or none.
    pub worse_dimensions: Option<String>,
    /// The units assessed for the first time, or none.
    pub new: Option<String>,
    /// How many dimensions each unit is assessed on: "4 dimensies".
    pub dimensions: String,
    /// What changed in the method since the previous edition (thresholds,
    /// weights, dimensions, indicators), or none.
    pub method: Option<MethodCtx>,
    /// The units whose overall verdict moved since the previous edition
    /// because of the method, not their points, or none.
    pub method_moved: Option<String>,
}

/// The changes of the method since the previous edition.
#[derive(Debug, Serialize)]
pub struct MethodCtx {
    /// The previous edition's year.
    pub since: u16,
    /// Each change as a Dutch phrase ("nieuwe indicator riec bij
    /// Informatie (5 punten)").
    pub changes: Vec<String>,
}

/// A new police unit in the report.
#[derive(Debug, Serialize)]
pub struct NewUnitCtx {
    /// Id (lowercase letters, digits, `-` and `_`; names its web page).
    pub id: String,
    /// Name.
    pub name: String,
    /// Ids of its former units, in report order.
    pub units: Vec<String>,
    /// Its recommendations, as prose.
    pub recommendations: Vec<Vec<Block>>,
    /// What it comprises: "Deze eenheid omvat de voormalige politieregio's
    /// Groningen, Friesland en Drenthe."; none without former units.
    pub sentence: Option<String>,
    /// Its former units' verdicts and its mean score over the chain.
    pub series: Option<NewUnitTrendCtx>,
}

/// Facts about the edition.
#[derive(Debug, Serialize)]
pub struct Meta {
    /// Full title.
    pub title: String,
    /// The year reported on.
    pub year: u16,
    /// The reporting period in words.
    pub period: String,
    /// `concept` or `definitief`.
    pub status: &'static str,
    /// Whether every page is marked CONCEPT.
    pub concept: bool,
    /// The publisher.
    pub publisher: String,
    /// The document date in words ("6 juli 2011").
    pub date: String,
    /// The document date as (year, month, day) for the PDF metadata.
    pub date_parts: (i32, u8, u8),
    /// Whether the data is partly illustrative.
    pub illustrative: bool,
    /// The notice printed in the colophon when illustrative.
    pub illustrative_notice: String,
    /// PDF keywords.
    pub keywords: Vec<String>,
    /// The previous edition's year.
    pub previous_year: Option<u16>,
    /// The main font family.
    pub font: String,
}

/// Thresholds formatted for print.
#[derive(Debug, Serialize)]
pub struct ThresholdsCtx {
    /// "70%".
    pub conform_norm: String,
    /// "55%".
    pub aandacht: String,
}

/// A dimension with its method.
#[derive(Debug, Serialize)]
pub struct DimensionCtx {
    /// Id.
    pub id: String,
    /// Name.
    pub name: String,
    /// Short label.
    pub short_name: String,
    /// Description, as prose blocks.
    pub description: Vec<Block>,
    /// Weight formatted ("1,5").
    pub weight: String,
    /// Thresholds formatted.
    pub thresholds: Option<ThresholdsCtx>,
    /// Indicators.
    pub indicators: Vec<IndicatorCtx>,
    /// Counts over the headline groups.
    pub counts: CountsCtx,
}

/// An indicator.
#[derive(Debug, Serialize)]
pub struct IndicatorCtx {
    /// Id (a data key, not for print).
    pub id: String,
    /// The number a reader sees: the dimension's position and the
    /// indicator's position within it, from 1 ("2.3").
    pub number: String,
    /// The question.
    pub question: String,
    /// Maximum points.
    pub max_points: u32,
}

/// The headline figures.
#[derive(Debug, Serialize)]
pub struct HeadlineCtx {
    /// The headline groups' names joined ("regiokorpsen").
    pub groups: String,
    /// Number of units in them.
    pub units: u32,
    /// Their overall verdict counts.
    pub counts: CountsCtx,
    /// How many are not conform norm.
    pub not_conform: u32,
    /// The previous edition's counts.
    pub previous: Option<PreviousCountsCtx>,
}

/// Counts of the previous edition.
#[derive(Debug, Serialize)]
pub struct PreviousCountsCtx {
    /// Its year.
    pub year: u16,
    /// Its counts.
    pub counts: CountsCtx,
    /// Its number of units.
    pub units: u32,
}

/// A group outside the headline.
#[derive(Debug, Serialize)]
pub struct GroupCtx {
    /// Name.
    pub name: String,
    /// Number of units.
    pub units: u32,
    /// Counts.
    pub counts: CountsCtx,
    /// Its verdicts as a sentence, correct for every count.
    pub sentence: String,
}

/// A manual verdict as printed.
#[derive(Debug, Serialize)]
pub struct ManualCtx {
    /// The computed verdict it overrides.
    pub computed: Option<VerdictCtx>,
    /// The justification, as prose.
    pub justification: Vec<Block>,
}

/// One unit's chapter.
#[derive(Debug, Serialize)]
pub struct UnitCtx {
    /// Id.
    pub id: String,
    /// The Typst label of its chapter, for links.
    pub label: String,
    /// Name.
    pub name: String,
    /// Group name.
    pub group: String,
    /// Overall verdict.
    pub verdict: VerdictCtx,
    /// Overall score ("61,5%").
    pub score: Option<String>,
    /// Manual override of the overall verdict.
    pub manual: Option<ManualCtx>,
    /// The previous edition's overall verdict.
    pub previous: Option<VerdictCtx>,
    /// What the previous verdict is of, when the unit continues other
    /// units: "het gemiddelde van Groningen, Friesland en Drenthe in 2012".
    pub compared_with: Option<String>,
    /// The change since then.
    pub trend: Option<TrendCtx>,
    /// Per dimension.
    pub dimensions: Vec<UnitDimensionCtx>,
    /// The unit's recommendations, each as prose.
    pub recommendations: Vec<Vec<Block>>,
    /// Key figures.
    pub key_figures: Option<KeyFiguresCtx>,
    /// The chart of its dimension scores.
    pub chart: Option<ChartCtx>,
    /// Its ratings of chain partners.
    pub partners: Vec<RatingCtx>,
    /// Its verdicts in every edition of the chain.
    pub series: Option<UnitTrendCtx>,
    /// Its scores against its peers, when it has scores.
    pub peers: Option<PeersCtx>,
    /// Why it has no comparison with its peers although it has scores: its
    /// group is too small.
    pub peers_note: Option<String>,
}

/// One dimension of one unit.
#[derive(Debug, Serialize)]
pub struct UnitDimensionCtx {
    /// Dimension id.
    pub id: String,
    /// Dimension name.
    pub name: String,
    /// Short label.
    pub short_name: String,
    /// Score ("61,5%"), absent when not applicable.
    pub score: Option<String>,
    /// Points with their noun: "12 van 16 punten", "1 van 1 punt".
    pub points: Option<String>,
    /// Points without their noun, for a table column headed "Punten":
    /// "12 van 16".
    pub points_short: Option<String>,
    /// Verdict, absent when not applicable.
    pub verdict: Option<VerdictCtx>,
    /// Manual override.
    pub manual: Option<ManualCtx>,
    /// Previous verdict.
    pub previous: Option<VerdictCtx>,
    /// Change.
    pub change: Option<TrendCtx>,
    /// Whether a previous dimension corresponds to this one.
    pub comparable: bool,
    /// Findings, as prose.
    pub findings: Vec<Block>,
}

/// Key figures formatted.
#[derive(Debug, Serialize)]
pub struct KeyFiguresCtx {
    /// Suspects identified.
    pub suspects: String,
    /// Case files to the OM.
    pub case_files: String,
    /// Victims reported.
    pub victims: String,
}

/// A unit's rating of a partner.
#[derive(Debug, Serialize)]
pub struct RatingCtx {
    /// Partner name (in a unit chapter) or unit name (in a partner section).
    pub name: String,
    /// `goed`, `voldoende`, `matig`, `onvoldoende`.
    pub rating: &'static str,
    /// The remark.
    pub remark: String,
}

/// Units by trend.
#[derive(Debug, Serialize)]
pub struct ComparisonCtx {
    /// Names of units that improved.
    pub better: Vec<String>,
    /// Names of units that fell back.
    pub worse: Vec<String>,
    /// Names of units that stayed the same.
    pub same: Vec<String>,
    /// Names of new units.
    pub new: Vec<String>,
    /// Names of units no longer assessed.
    pub departed: Vec<String>,
}

/// National totals formatted.
#[derive(Debug, Serialize)]
pub struct TotalsCtx {
    /// Suspects.
    pub suspects: String,
    /// Case files.
    pub case_files: String,
    /// Victims.
    pub victims: String,
    /// Units reporting.
    pub units_reporting: u32,
    /// The previous edition's totals.
    pub previous: Option<Box<TotalsCtx>>,
}

/// A free chapter.
#[derive(Debug, Serialize)]
pub struct ChapterCtx {
    /// The section it precedes.
    pub before: &'static str,
    /// Title.
    pub title: String,
    /// Text as prose.
    pub blocks: Vec<Block>,
}

/// A chain partner with the units' ratings.
#[derive(Debug, Serialize)]
pub struct PartnerCtx {
    /// Name.
    pub name: String,
    /// Abbreviation.
    pub abbreviation: Option<String>,
    /// Number of units per rating.
    pub counts: RatingCounts,
    /// Every unit's rating with its remark.
    pub ratings: Vec<RatingCtx>,
}

/// Ratings counted.
#[derive(Debug, Serialize, Default)]
pub struct RatingCounts {
    /// Goed.
    pub goed: u32,
    /// Voldoende.
    pub voldoende: u32,
    /// Matig.
    pub matig: u32,
    /// Onvoldoende.
    pub onvoldoende: u32,
}

/// A theme of recommendations.
#[derive(Debug, Serialize)]
pub struct ThemeCtx {
    /// Title.
    pub title: String,
    /// The recommendations, numbered through the whole report.
    pub recommendations: Vec<RecommendationCtx>,
}

/// One general recommendation.
#[derive(Debug, Serialize)]
pub struct RecommendationCtx {
    /// Number through the report, from 1.
    pub number: usize,
    /// Id.
    pub id: String,
    /// Text as prose.
    pub text: Vec<Block>,
    /// Addressees' names joined ("Openbaar Ministerie en gemeenten").
    pub addressed_to: String,
}

/// An abbreviation.
#[derive(Debug, Serialize)]
pub struct AbbreviationCtx {
    /// The abbreviation.
    pub short: String,
    /// Its meaning.
    pub long: String,
    /// Whether a text of the report uses it as a whole word (see
    /// [`mark_used_abbreviations`]); the house style adds its own words.
    pub used: bool,
}

/// The national charts.
#[derive(Debug, Serialize)]
pub struct ChartsCtx {
    /// Verdict distribution against the previous edition.
    pub verdicts: Option<ChartCtx>,
    /// Key figures per unit: one chart, or its parts for many units.
    pub key_figures: Vec<ChartCtx>,
    /// Partner ratings.
    pub partners: Option<ChartCtx>,
}

/// The changes annex: what changed since an earlier version of the edition.
#[derive(Debug, Serialize)]
pub struct ChangesCtx {
    /// The earlier version, as a reader outside the team knows it ("de
    /// versie van 12 september 2014").
    pub since: String,
    /// Changes of the method (thresholds, weights, dimensions, indicators).
    pub method: Vec<ChangeItemCtx>,
    /// Per unit with changes.
    pub units: Vec<UnitChangesCtx>,
    /// The other files with changes, each named as a reader knows it
    /// ("Uitgave", "Algemene aanbevelingen", "Aanbiedingsbrief",
    /// "Hoofdstuk inleiding"), with their changed fields.
    pub files: Vec<UnitChangesCtx>,
    /// Units added since.
    pub added: Vec<String>,
    /// Units removed since.
    pub removed: Vec<String>,
    /// Headline figures that changed, as Dutch lines.
    pub figures: Vec<String>,
}

/// The changes of one unit.
#[derive(Debug, Serialize)]
pub struct UnitChangesCtx {
    /// Unit name.
    pub name: String,
    /// The changes, each a label and a text or word diff.
    pub items: Vec<ChangeItemCtx>,
}

/// One change.
#[derive(Debug, Serialize)]
pub struct ChangeItemCtx {
    /// What changed, e.g. "Totaaloordeel" or "Bevindingen Opsporing".
    pub label: String,
    /// The change as text ("aandacht (65,0%) → conform norm (72,1%)").
    pub text: String,
    /// For findings: the word-level diff.
    pub words: Vec<crate::figures::diff::WordChange>,
}
