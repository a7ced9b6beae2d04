//! The data model: the YAML files of one edition as typed Rust values.
//!
//! Every struct denies unknown fields, so a typo in a key is an error and
//! never silently ignored. Field names are English; values that are Dutch
//! terms of the report (verdicts, ratings, status) stay Dutch.
//! The format is documented in `docs/data-format.md`.

use std::fmt;

use serde::de::{self, Deserializer, MapAccess, Visitor};
use serde::{Deserialize, Serialize, Serializer};

/// `edition.yaml`: one edition of the Korpsmonitor and its methodology.
#[derive(Debug, Clone, Deserialize, Serialize)]
#[serde(deny_unknown_fields)]
pub struct EditionFile {
    /// The year the edition reports on, e.g. 2010.
    pub year: u16,
    /// The full title printed on the cover.
    pub title: String,
    /// The reporting period in words, e.g. "1 januari 2009 tot en met 31 december 2010".
    pub period: String,
    /// `concept` or `definitief`.
    pub status: Status,
    /// The publishing organisation, printed in the colophon and the PDF metadata.
    pub publisher: String,
    /// The document date (YYYY-MM-DD); without it, SOURCE_DATE_EPOCH is used.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub date: Option<Date>,
    /// The previous edition, as a folder path relative to this edition's folder.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub previous: Option<String>,
    /// Whether the data beyond the public record is invented for illustration.
    #[serde(default, skip_serializing_if = "is_false")]
    pub illustrative: bool,
    /// The notice printed when `illustrative` is true (a default text is used otherwise).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub illustrative_notice: Option<String>,
    /// How the previous edition's dimensions map onto this edition's: previous
    /// dimension id -> this dimension id. Without it, dimensions with the
    /// same id correspond. A dimension is compared only when exactly one
    /// previous dimension maps onto it.
    #[serde(default, skip_serializing_if = "IdMap::is_empty")]
    pub previous_dimensions: IdMap<String>,
    /// `points` (scored from indicator points) or `published_verdicts` (verdicts only).
    #[serde(default)]
    pub assessment: Assessment,
    /// Keywords for the PDF metadata.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub keywords: Vec<String>,
    /// The licence of the web edition's open data; without it, CC0 1.0.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub open_data_licence: Option<Licence>,
    /// The dimensions the units are scored on, in report order.
    pub dimensions: Vec<Dimension>,
    /// Thresholds for the overall verdict (required when assessment is `points`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub overall_thresholds: Option<Thresholds>,
    /// Unit groups, e.g. regiokorpsen and landelijke diensten.
    pub groups: Vec<Group>,
    /// The units in report order (ids); when given, every unit file is listed once.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub units: Option<Vec<String>>,
    /// The police units the assessed units now belong to (after a
    /// reorganisation): the report then has a section per new unit with
    /// its recommendations and the chapters of its former units.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub new_units: Vec<NewUnit>,
    /// The chain partners the units rate.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub partners: Vec<Partner>,
    /// Further addressees of recommendations that are not rated partners (e.g. the police).
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub addressees: Vec<Addressee>,
    /// The editors' free chapters and where they go in the report.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub chapters: Vec<Chapter>,
    /// Abbreviations listed in the appendix.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub abbreviations: Vec<Abbreviation>,
}

/// A licence: its name as readers know it and the address of its text.
#[derive(Debug, Clone, Deserialize, Serialize)]
#[serde(deny_unknown_fields)]
pub struct Licence {
    /// The licence's name, e.g. "CC BY 4.0".
    pub name: String,
    /// The address of the licence's text (an `https://` URL).
    pub url: String,
}

fn is_false(b: &bool) -> bool {
    !*b
}

/// Whether an edition is still a draft.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Status {
    /// A draft: every page carries a CONCEPT marking.
    Concept,
    /// The final, published edition.
    Definitief,
}

/// How the units of an edition were assessed.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Deserialize, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Assessment {
    /// Verdicts are computed from indicator points.
    #[default]
    Points,
    /// Only the published verdicts are known (historical editions).
    PublishedVerdicts,
}

/// One dimension of the assessment.
#[derive(Debug, Clone, Deserialize, Serialize)]
#[serde(deny_unknown_fields)]
pub struct Dimension {
    /// Stable id, used as key in unit files.
    pub id: String,
    /// The Dutch name, e.g. "Toezicht op de vergunde prostitutiebranche".
    pub name: String,
    /// A short label for charts and tables, e.g. "Vergund".
    pub short_name: String,
    /// What the dimension covers.
    #[serde(default)]
    pub description: String,
    /// Weight in the overall score (positive).
    pub weight: Decimal,
    /// Verdict thresholds on the dimension score (required when assessment is `points`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub thresholds: Option<Thresholds>,
    /// The indicators scored under this dimension.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub indicators: Vec<Indicator>,
}

/// One indicator: a question scored with points.
#[derive(Debug, Clone, Deserialize, Serialize)]
#[serde(deny_unknown_fields)]
pub struct Indicator {
    /// Id, unique within its dimension.
    pub id: String,
    /// The question the assessors answered.
    pub question: String,
    /// The maximum number of points (at least 1).
    pub max_points: u32,
}

/// Minimum scores (percentages) for the two better verdicts; below `aandacht` is onvoldoende.
#[derive(Debug, Clone, Copy, Deserialize, Serialize)]
#[serde(deny_unknown_fields)]
pub struct Thresholds {
    /// A score at or above this is conform norm.
    pub conform_norm: Decimal,
    /// A score at or above this (and below conform_norm) is aandacht.
    pub aandacht: Decimal,
}

/// A group of units, e.g. the regional forces.
#[derive(Debug, Clone, Deserialize, Serialize)]
#[serde(deny_unknown_fields)]
pub struct Group {
    /// Stable id, used in unit files.
    pub id: String,
    /// The plural Dutch name, e.g. "regiokorpsen".
    pub name: String,
    /// Whether the group counts in the headline figures.
    #[serde(default)]
    pub headline: bool,
}

/// A police unit that takes over assessed (former) units.
#[derive(Debug, Clone, Deserialize, Serialize)]
#[serde(deny_unknown_fields)]
pub struct NewUnit {
    /// Stable id.
    pub id: String,
    /// Name, e.g. "Noord-Nederland".
    pub name: String,
    /// Ids of the assessed units it comprises.
    pub former: Vec<String>,
    /// Recommendations for the new unit (inline subset).
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub recommendations: Vec<String>,
}

/// A chain partner that units rate.
#[derive(Debug, Clone, Deserialize, Serialize)]
#[serde(deny_unknown_fields)]
pub struct Partner {
    /// Stable id, used in unit files and recommendations.
    pub id: String,
    /// Full name, e.g. "Openbaar Ministerie".
    pub name: String,
    /// Abbreviation, e.g. "OM".
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub abbreviation: Option<String>,
}

/// An addressee of recommendations that units do not rate.
#[derive(Debug, Clone, Deserialize, Serialize)]
#[serde(deny_unknown_fields)]
pub struct Addressee {
    /// Stable id, used in recommendations.
    pub id: String,
    /// Full name.
    pub name: String,
}

/// A free chapter written by the editors.
#[derive(Debug, Clone, Deserialize, Serialize)]
#[serde(deny_unknown_fields)]
pub struct Chapter {
    /// Stable id.
    pub id: String,
    /// Chapter title.
    pub title: String,
    /// Text file, relative to the edition folder, inside it.
    pub file: String,
    /// The generated section this chapter is placed before.
    pub before: Section,
}

/// The generated sections of the report, in their order.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Deserialize, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Section {
    /// Summary of the verdicts.
    Samenvatting,
    /// The methodology.
    Werkwijze,
    /// The national picture with charts.
    LandelijkBeeld,
    /// One chapter per unit.
    Eenheden,
    /// How the units rate their chain partners.
    Ketenpartners,
    /// The general recommendations.
    Aanbevelingen,
    /// The appendices.
    Bijlagen,
}

/// An abbreviation for the appendix.
#[derive(Debug, Clone, Deserialize, Serialize)]
#[serde(deny_unknown_fields)]
pub struct Abbreviation {
    /// The abbreviation, e.g. "OM".
    pub short: String,
    /// What it stands for.
    pub long: String,
}

/// `units/<id>.yaml`: one assessed unit.
#[derive(Debug, Clone, Deserialize, Serialize)]
#[serde(deny_unknown_fields)]
pub struct UnitFile {
    /// Must equal the file name without `.yaml`.
    pub id: String,
    /// Name as printed, e.g. "Gelderland-Midden".
    pub name: String,
    /// The article the name takes in running text ("het KLPD", "de KMar");
    /// absent for names without one, such as place names.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub article: Option<Article>,
    /// Group id from `edition.yaml`.
    pub group: String,
    /// The units of the previous edition this unit continues, after a
    /// reorganisation (`continues: [groningen, friesland, drenthe]`): it is
    /// compared with what they scored, each counting once (the mean of
    /// their scores, given the verdict that edition's thresholds give it;
    /// see docs/data-format.md). Without it a unit continues the unit of
    /// the same id, if there is one.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub continues: Vec<String>,
    /// Whether this file's points, findings and figures are invented for illustration.
    #[serde(default, skip_serializing_if = "is_false")]
    pub illustrative: bool,
    /// The manager (korpsbeheerder) letters are addressed to.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub manager: Option<Manager>,
    /// The published overall verdict (only in `published_verdicts` editions).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub verdict: Option<Verdict>,
    /// A manual overall verdict that overrides the computed one.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub manual_verdict: Option<ManualVerdict>,
    /// Per dimension id: points, findings, verdicts.
    #[serde(default)]
    pub dimensions: IdMap<UnitDimension>,
    /// The unit's own recommendations.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub recommendations: Vec<String>,
    /// Key figures of the reporting year.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub key_figures: Option<KeyFigures>,
    /// Per partner id: the unit's rating of the partner.
    #[serde(default, skip_serializing_if = "IdMap::is_empty")]
    pub partners: IdMap<PartnerRating>,
    /// The assessment team's internal notes ("navragen bij team, score
    /// onzeker"): never printed, not in the web edition or the open data;
    /// `diff` and the git diff driver show them.
    #[serde(default, skip_serializing_if = "String::is_empty")]
    pub notes: String,
}

/// The definite article of a name in running text. Dutch gives an
/// abbreviation the article of its head noun: het KLPD (Korps), de KMar
/// (Marechaussee), het OM (Ministerie).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Article {
    /// "de".
    De,
    /// "het".
    Het,
}

impl Article {
    /// The word, in lower case.
    pub fn word(self) -> &'static str {
        match self {
            Article::De => "de",
            Article::Het => "het",
        }
    }
}

/// A unit's manager (korpsbeheerder).
#[derive(Debug, Clone, Deserialize, Serialize)]
#[serde(deny_unknown_fields)]
pub struct Manager {
    /// Name, e.g. "mr. J. de Vries".
    pub name: String,
    /// Title, e.g. "Burgemeester van Groningen, korpsbeheerder regiopolitie Groningen".
    pub title: String,
    /// Salutation for letters, e.g. "Geachte heer De Vries,".
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub salutation: Option<String>,
    /// Postal address, one line per entry.
    pub address: Vec<String>,
}

/// One dimension of one unit.
#[derive(Debug, Clone, Default, Deserialize, Serialize)]
#[serde(deny_unknown_fields)]
pub struct UnitDimension {
    /// Per indicator id: the points awarded, or `nvt` (niet van toepassing).
    #[serde(default, skip_serializing_if = "IdMap::is_empty")]
    pub points: IdMap<Points>,
    /// The published verdict (only in `published_verdicts` editions).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub verdict: Option<Verdict>,
    /// A manual verdict that overrides the computed one.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub manual_verdict: Option<ManualVerdict>,
    /// The findings, in the inline subset (paragraphs, emphasis, bullet lists).
    #[serde(default, skip_serializing_if = "String::is_empty")]
    pub findings: String,
    /// The assessment team's internal notes on this dimension: never
    /// printed, as the unit's `notes`.
    #[serde(default, skip_serializing_if = "String::is_empty")]
    pub notes: String,
}

/// A verdict set by hand, with the reason.
#[derive(Debug, Clone, Deserialize, Serialize)]
#[serde(deny_unknown_fields)]
pub struct ManualVerdict {
    /// The verdict that replaces the computed one.
    pub verdict: Verdict,
    /// Why the computed verdict is overridden (required, not empty).
    #[serde(default)]
    pub justification: String,
}

/// Key figures of one unit.
#[derive(Debug, Clone, Copy, Default, Deserialize, Serialize)]
#[serde(deny_unknown_fields)]
pub struct KeyFigures {
    /// Suspects of human trafficking identified.
    pub suspects: u32,
    /// Case files delivered to the Openbaar Ministerie.
    pub case_files: u32,
    /// Victims reported (to CoMensha).
    pub victims: u32,
}

/// A unit's rating of one chain partner.
#[derive(Debug, Clone, Deserialize, Serialize)]
#[serde(deny_unknown_fields)]
pub struct PartnerRating {
    /// How the cooperation is rated.
    pub rating: Rating,
    /// The unit's remark.
    #[serde(default, skip_serializing_if = "String::is_empty")]
    pub remark: String,
}

/// `recommendations.yaml`: the general recommendations by theme.
#[derive(Debug, Clone, Deserialize, Serialize)]
#[serde(deny_unknown_fields)]
pub struct RecommendationsFile {
    /// Whether the texts are invented for illustration.
    #[serde(default, skip_serializing_if = "is_false")]
    pub illustrative: bool,
    /// The themes, in report order.
    pub themes: Vec<Theme>,
}

/// A theme of recommendations.
#[derive(Debug, Clone, Deserialize, Serialize)]
#[serde(deny_unknown_fields)]
pub struct Theme {
    /// Stable id.
    pub id: String,
    /// Dutch title, e.g. "Regulering van de prostitutiesector".
    pub title: String,
    /// The recommendations under this theme.
    pub recommendations: Vec<Recommendation>,
}

/// One general recommendation.
#[derive(Debug, Clone, Deserialize, Serialize)]
#[serde(deny_unknown_fields)]
pub struct Recommendation {
    /// Stable id, unique in the edition.
    pub id: String,
    /// The recommendation.
    pub text: String,
    /// Partner or addressee ids.
    pub addressed_to: Vec<String>,
}

/// `letter.yaml`: the minister's covering letter and the letters to the
/// managers of units not conform norm.
#[derive(Debug, Clone, Deserialize, Serialize)]
#[serde(deny_unknown_fields)]
pub struct LetterFile {
    /// Whether the letter texts are written for illustration.
    #[serde(default, skip_serializing_if = "is_false")]
    pub illustrative: bool,
    /// `ministry` (letterhead and side column) or `kamerstuk` (parliamentary paper).
    pub layout: LetterLayout,
    /// The sending ministry and its details.
    pub sender: Sender,
    /// The return-address line above the addressee (ministry layout).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub return_address: Option<String>,
    /// The addressee, one line per entry.
    pub addressee: Vec<String>,
    /// The date of the letter.
    pub date: Date,
    /// Onderwerp.
    pub subject: String,
    /// Ons kenmerk.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub reference: Option<String>,
    /// The body: prose in the inline subset with `{{ placeholders }}` for figures.
    pub body: String,
    /// Footnotes, numbered in the order of their marks: the body marks
    /// footnote `n` once with `{{ footnote(n) }}` (docs/letters.md).
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub footnotes: Vec<String>,
    /// Who signs.
    pub signatory: Signatory,
    /// The parliamentary paper's details (kamerstuk layout).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub kamerstuk: Option<Kamerstuk>,
    /// The letters to the managers of units not conform norm; absent: none are written.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub manager_letters: Option<ManagerLetters>,
}

impl LetterLayout {
    /// Whether this is the ministry letter (the default, left out of the
    /// canonical form).
    pub fn is_ministry(&self) -> bool {
        *self == LetterLayout::Ministry
    }
}

/// The two letter layouts.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Deserialize, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum LetterLayout {
    /// The ministry's letter: letterhead, return address, side column.
    #[default]
    Ministry,
    /// The parliamentary paper: number, title, addressee, place and date.
    Kamerstuk,
}

/// The sending ministry.
#[derive(Debug, Clone, Deserialize, Serialize)]
#[serde(deny_unknown_fields)]
pub struct Sender {
    /// E.g. "Ministerie van Veiligheid en Justitie".
    pub ministry: String,
    /// Directoraat-generaal.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub directorate_general: Option<String>,
    /// Directie.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub directorate: Option<String>,
    /// Afdeling.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub department: Option<String>,
    /// Visiting address lines.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub visiting_address: Vec<String>,
    /// Postal address lines.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub postal_address: Vec<String>,
    /// Website.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub website: Option<String>,
}

/// The signatory of a letter.
#[derive(Debug, Clone, Deserialize, Serialize)]
#[serde(deny_unknown_fields)]
pub struct Signatory {
    /// E.g. "De Minister van Veiligheid en Justitie,".
    pub title: String,
    /// The name.
    pub name: String,
}

/// A parliamentary paper's details, printed in its head ("Tweede Kamer der
/// Staten-Generaal", "Vergaderjaar 2013–2014", "28 638 Mensenhandel",
/// "Nr. 103", "BRIEF VAN ...") and running footer ("Tweede Kamer,
/// vergaderjaar 2013–2014, 28 638, nr. 103"), as parliament prints them.
#[derive(Debug, Clone, Deserialize, Serialize)]
#[serde(deny_unknown_fields)]
pub struct Kamerstuk {
    /// The chamber; default the Tweede Kamer.
    #[serde(default, skip_serializing_if = "Chamber::is_tweede_kamer")]
    pub chamber: Chamber,
    /// The parliamentary year, "2013–2014" (en dash or hyphen), two
    /// consecutive years.
    pub session: String,
    /// The dossier number, e.g. "28 638".
    pub dossier: String,
    /// The dossier's title, e.g. "Mensenhandel".
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub dossier_title: Option<String>,
    /// The paper's number, e.g. "103".
    pub number: String,
    /// The sender in the title, e.g. "DE MINISTER VAN VEILIGHEID EN JUSTITIE".
    pub from: String,
    /// Place of the date line, e.g. "Den Haag".
    pub place: String,
}

/// A chamber of the States General.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Deserialize, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Chamber {
    /// Tweede Kamer der Staten-Generaal.
    #[default]
    TweedeKamer,
    /// Eerste Kamer der Staten-Generaal.
    EersteKamer,
}

impl Chamber {
    /// Whether this is the default chamber, the Tweede Kamer.
    pub fn is_tweede_kamer(&self) -> bool {
        *self == Chamber::TweedeKamer
    }

    /// The full name, as in a paper's head.
    pub fn full_name(self) -> &'static str {
        match self {
            Chamber::TweedeKamer => "Tweede Kamer der Staten-Generaal",
            Chamber::EersteKamer => "Eerste Kamer der Staten-Generaal",
        }
    }

    /// The short name, as in a paper's running footer.
    pub fn short_name(self) -> &'static str {
        match self {
            Chamber::TweedeKamer => "Tweede Kamer",
            Chamber::EersteKamer => "Eerste Kamer",
        }
    }
}

/// How the manager letters get their own kenmerk (Ons kenmerk), one
/// per letter, unique within the edition. Set exactly one of `first` and
/// `pattern`; letters are numbered in report order, from 1.
#[derive(Debug, Clone, Deserialize, Serialize)]
#[serde(deny_unknown_fields)]
pub struct ReferenceScheme {
    /// The first letter's kenmerk, digits only ('5700788'); each next letter's
    /// is one higher, with as many digits.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub first: Option<String>,
    /// A pattern with `{n}` (the letter's number, from 1) and/or `{unit}`
    /// (the unit's id), e.g. 'VenJ-2011-{n}'.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub pattern: Option<String>,
}

/// The letters to the managers of units not conform norm.
#[derive(Debug, Clone, Deserialize, Serialize)]
#[serde(deny_unknown_fields)]
pub struct ManagerLetters {
    /// The manager letters' own layout, whatever the covering letter's:
    /// `ministry` (the default) or `kamerstuk` (which then uses the
    /// letter's `kamerstuk` section).
    #[serde(default, skip_serializing_if = "LetterLayout::is_ministry")]
    pub layout: LetterLayout,
    /// Onderwerp, with placeholders.
    pub subject: String,
    /// How each letter gets its own kenmerk.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub reference: Option<ReferenceScheme>,
    /// The date by which improvement measures are expected.
    pub deadline: Date,
    /// The body, with placeholders for the unit's figures.
    pub body: String,
}

/// A verdict, from worst to best.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Deserialize, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Verdict {
    /// Onvoldoende.
    Onvoldoende,
    /// Aandacht.
    Aandacht,
    /// Conform norm.
    ConformNorm,
}

impl Verdict {
    /// All verdicts, best first, as tables list them.
    pub const ALL: [Verdict; 3] = [
        Verdict::ConformNorm,
        Verdict::Aandacht,
        Verdict::Onvoldoende,
    ];

    /// The Dutch label, e.g. "conform norm".
    pub fn label(self) -> &'static str {
        match self {
            Verdict::ConformNorm => "conform norm",
            Verdict::Aandacht => "aandacht",
            Verdict::Onvoldoende => "onvoldoende",
        }
    }

    /// The id used in YAML and JSON.
    pub fn id(self) -> &'static str {
        match self {
            Verdict::ConformNorm => "conform_norm",
            Verdict::Aandacht => "aandacht",
            Verdict::Onvoldoende => "onvoldoende",
        }
    }

    /// The position on the scale: 0 onvoldoende, 1 aandacht, 2 conform norm.
    pub fn rank(self) -> i32 {
        self as i32
    }
}

/// A rating of a chain partner, from best to worst.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Deserialize, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Rating {
    /// Goed.
    Goed,
    /// Voldoende.
    Voldoende,
    /// Matig.
    Matig,
    /// Onvoldoende.
    Onvoldoende,
}

impl Rating {
    /// All ratings, best first.
    pub const ALL: [Rating; 4] = [
        Rating::Goed,
        Rating::Voldoende,
        Rating::Matig,
        Rating::Onvoldoende,
    ];

    /// The Dutch label.
    pub fn label(self) -> &'static str {
        match self {
            Rating::Goed => "goed",
            Rating::Voldoende => "voldoende",
            Rating::Matig => "matig",
            Rating::Onvoldoende => "onvoldoende",
        }
    }
}

/// Points awarded for one indicator, or "niet van toepassing".
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Points {
    /// Points awarded.
    Awarded(u32),
    /// The indicator does not apply to this unit (`nvt`).
    NotApplicable,
}

impl<'de> Deserialize<'de> for Points {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        struct PointsVisitor;
        impl Visitor<'_> for PointsVisitor {
            type Value = Points;
            fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
                f.write_str("a whole number of points or `nvt`")
            }
            fn visit_u64<E: de::Error>(self, v: u64) -> Result<Points, E> {
                u32::try_from(v).map(Points::Awarded).map_err(|_| {
                    E::custom("expected a whole number of points (at most the indicator's maximum) or `nvt`")
                })
            }
            fn visit_i64<E: de::Error>(self, v: i64) -> Result<Points, E> {
                if v < 0 {
                    Err(E::custom(
                        "expected a whole number of points of at least 0, or `nvt`",
                    ))
                } else {
                    self.visit_u64(v as u64)
                }
            }
            fn visit_f64<E: de::Error>(self, _: f64) -> Result<Points, E> {
                Err(E::custom("expected a whole number of points or `nvt`"))
            }
            fn visit_str<E: de::Error>(self, v: &str) -> Result<Points, E> {
                match v {
                    "nvt" | "n.v.t." => Ok(Points::NotApplicable),
                    _ => Err(E::custom("expected a whole number of points or `nvt`")),
                }
            }
        }
        d.deserialize_any(PointsVisitor)
    }
}

impl Serialize for Points {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        match self {
            Points::Awarded(p) => s.serialize_u32(*p),
            Points::NotApplicable => s.serialize_str("nvt"),
        }
    }
}

/// An exact decimal with at most two decimals, stored in hundredths.
///
/// Weights and thresholds use it, so a score exactly on a threshold gets the
/// same verdict on every machine.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct Decimal(pub i64);

impl Decimal {
    /// The value in hundredths.
    pub fn hundredths(self) -> i64 {
        self.0
    }

    /// Parses "62.5", "70", "-1.25"; at most two decimals.
    pub fn parse(s: &str) -> Option<Decimal> {
        let (neg, digits) = match s.strip_prefix('-') {
            Some(rest) => (true, rest),
            None => (false, s),
        };
        let (int, frac) = digits.split_once('.').unwrap_or((digits, ""));
        if int.is_empty()
            || int.len() > 12
            || frac.len() > 2
            || !int.bytes().all(|b| b.is_ascii_digit())
            || !frac.bytes().all(|b| b.is_ascii_digit())
        {
            return None;
        }
        let int: i64 = int.parse().ok()?;
        let mut frac_val: i64 = if frac.is_empty() {
            0
        } else {
            frac.parse().ok()?
        };
        if frac.len() == 1 {
            frac_val *= 10;
        }
        let v = int * 100 + frac_val;
        Some(Decimal(if neg { -v } else { v }))
    }
}

impl fmt::Display for Decimal {
    fn fmt(&self, f: &mut fmt::Formatter) -> fmt::Result {
        let sign = if self.0 < 0 { "-" } else { "" };
        let abs = self.0.unsigned_abs();
        let (int, frac) = (abs / 100, abs % 100);
        match frac {
            0 => write!(f, "{sign}{int}"),
            f2 if f2 % 10 == 0 => write!(f, "{sign}{int}.{}", f2 / 10),
            f2 => write!(f, "{sign}{int}.{f2:02}"),
        }
    }
}

impl<'de> Deserialize<'de> for Decimal {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        struct DecimalVisitor;
        impl Visitor<'_> for DecimalVisitor {
            type Value = Decimal;
            fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
                f.write_str("a number with at most two decimals")
            }
            fn visit_u64<E: de::Error>(self, v: u64) -> Result<Decimal, E> {
                Decimal::parse(&v.to_string())
                    .ok_or_else(|| E::custom("expected a number below 1,000,000,000,000"))
            }
            fn visit_i64<E: de::Error>(self, v: i64) -> Result<Decimal, E> {
                Decimal::parse(&v.to_string())
                    .ok_or_else(|| E::custom("expected a number above -1,000,000,000,000"))
            }
            fn visit_f64<E: de::Error>(self, v: f64) -> Result<Decimal, E> {
                if !v.is_finite() {
                    return Err(E::custom(
                        "expected a finite number with at most two decimals",
                    ));
                }
                if v.abs() >= 1e12 {
                    return Err(E::custom("expected a number below 1,000,000,000,000"));
                }
                // `{}` prints the shortest text that reads back as the same
                // f64, which is the decimal the YAML file holds.
                Decimal::parse(&format!("{v}"))
                    .ok_or_else(|| E::custom("expected a number with at most two decimals"))
            }
            fn visit_str<E: de::Error>(self, _: &str) -> Result<Decimal, E> {
                Err(E::custom("expected a number with at most two decimals"))
            }
        }
        d.deserialize_any(DecimalVisitor)
    }
}

impl Serialize for Decimal {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        if self.0 % 100 == 0 {
            s.serialize_i64(self.0 / 100)
        } else {
            s.serialize_f64(self.0 as f64 / 100.0)
        }
    }
}

/// A calendar date, written YYYY-MM-DD.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub struct Date {
    /// Year.
    pub year: i32,
    /// Month, 1-12.
    pub month: u8,
    /// Day, 1-31.
    pub day: u8,
}

impl Date {
    /// Parses YYYY-MM-DD and checks that the day exists.
    pub fn parse(s: &str) -> Option<Date> {
        Date::parse_checked(s).ok()
    }

    /// Parses YYYY-MM-DD (year 1 to 9999, the range of a PDF date); the
    /// error says in words what is wrong, e.g. "30 February 2011 is not a
    /// calendar date".
    pub fn parse_checked(s: &str) -> Result<Date, String> {
        let b = s.as_bytes();
        let shape = b.len() == 10
            && b[4] == b'-'
            && b[7] == b'-'
            && b.iter()
                .enumerate()
                .all(|(i, c)| i == 4 || i == 7 || c.is_ascii_digit());
        if !shape {
            return Err("expected a date written as YYYY-MM-DD".to_string());
        }
        let num = |r: std::ops::Range<usize>| s[r].parse::<u16>().unwrap_or(0);
        let (year, month, day) = (i32::from(num(0..4)), num(5..7) as u8, num(8..10) as u8);
        if year == 0 {
            return Err("the year 0000 does not exist; expected a year from 0001 to 9999".into());
        }
        if !(1..=12).contains(&month) {
            return Err(format!(
                "month {month} does not exist; expected a date written as YYYY-MM-DD"
            ));
        }
        if day == 0 || day > days_in_month(year, month) {
            const MONTHS: [&str; 12] = [
                "January",
                "February",
                "March",
                "April",
                "May",
                "June",
                "July",
                "August",
                "September",
                "October",
                "November",
                "December",
            ];
            return Err(format!(
                "{day} {} {year} is not a calendar date",
                MONTHS[usize::from(month) - 1]
            ));
        }
        Ok(Date { year, month, day })
    }

    /// The date of a Unix timestamp (UTC).
    pub fn from_unix(secs: i64) -> Date {
        // Howard Hinnant's days-from-civil algorithm, inverted.
        let z = secs.div_euclid(86_400) + 719_468;
        let era = z.div_euclid(146_097);
        let doe = z - era * 146_097;
        let yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365;
        let y = yoe + era * 400;
        let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
        let mp = (5 * doy + 2) / 153;
        let d = (doy - (153 * mp + 2) / 5 + 1) as u8;
        let m = if mp < 10 { mp + 3 } else { mp - 9 } as u8;
        Date {
            year: (if m <= 2 { y + 1 } else { y }) as i32,
            month: m,
            day: d,
        }
    }
}

fn days_in_month(year: i32, month: u8) -> u8 {
    match month {
        2 if (year % 4 == 0 && year % 100 != 0) || year % 400 == 0 => 29,
        2 => 28,
        4 | 6 | 9 | 11 => 30,
        _ => 31,
    }
}

impl fmt::Display for Date {
    fn fmt(&self, f: &mut fmt::Formatter) -> fmt::Result {
        write!(f, "{:04}-{:02}-{:02}", self.year, self.month, self.day)
    }
}

impl<'de> Deserialize<'de> for Date {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        struct DateVisitor;
        impl Visitor<'_> for DateVisitor {
            type Value = Date;
            fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
                f.write_str("a date written as YYYY-MM-DD")
            }
            fn visit_str<E: de::Error>(self, v: &str) -> Result<Date, E> {
                Date::parse_checked(v).map_err(E::custom)
            }
            fn visit_u64<E: de::Error>(self, _: u64) -> Result<Date, E> {
                Err(E::custom("expected a date written as YYYY-MM-DD"))
            }
            fn visit_i64<E: de::Error>(self, _: i64) -> Result<Date, E> {
                Err(E::custom("expected a date written as YYYY-MM-DD"))
            }
            fn visit_f64<E: de::Error>(self, _: f64) -> Result<Date, E> {
                Err(E::custom("expected a date written as YYYY-MM-DD"))
            }
        }
        d.deserialize_any(DateVisitor)
    }
}

impl Serialize for Date {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.collect_str(self)
    }
}

/// A YAML mapping from ids to values that keeps the file's order and
/// rejects duplicate keys.
#[derive(Debug, Clone, PartialEq)]
pub struct IdMap<T>(pub Vec<(String, T)>);

impl<T> Default for IdMap<T> {
    fn default() -> Self {
        IdMap(Vec::new())
    }
}

impl<T> IdMap<T> {
    /// The value for `id`.
    pub fn get(&self, id: &str) -> Option<&T> {
        self.0.iter().find(|(k, _)| k == id).map(|(_, v)| v)
    }

    /// The value for `id`, mutable.
    pub fn get_mut(&mut self, id: &str) -> Option<&mut T> {
        self.0.iter_mut().find(|(k, _)| k == id).map(|(_, v)| v)
    }

    /// Whether the map is empty.
    pub fn is_empty(&self) -> bool {
        self.0.is_empty()
    }

    /// The entries in file order.
    pub fn iter(&self) -> impl Iterator<Item = (&str, &T)> {
        self.0.iter().map(|(k, v)| (k.as_str(), v))
    }
}

impl<'de, T: Deserialize<'de>> Deserialize<'de> for IdMap<T> {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        struct MapVisitor<T>(std::marker::PhantomData<T>);
        impl<'de, T: Deserialize<'de>> Visitor<'de> for MapVisitor<T> {
            type Value = IdMap<T>;
            fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
                f.write_str("a mapping from ids to values")
            }
            fn visit_unit<E: de::Error>(self) -> Result<IdMap<T>, E> {
                Ok(IdMap::default())
            }
            fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<IdMap<T>, A::Error> {
                let mut entries: Vec<(String, T)> = Vec::new();
                while let Some(key) = map.next_key::<String>()? {
                    if entries.iter().any(|(k, _)| *k == key) {
                        return Err(de::Error::custom(format!("duplicate key `{key}`")));
                    }
                    let value = map.next_value()?;
                    entries.push((key, value));
                }
                Ok(IdMap(entries))
            }
        }
        d.deserialize_map(MapVisitor(std::marker::PhantomData))
    }
}

impl<T: Serialize> Serialize for IdMap<T> {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.collect_map(self.0.iter().map(|(k, v)| (k, v)))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn decimal_parses_exactly() {
        assert_eq!(Decimal::parse("62.5"), Some(Decimal(6250)));
        assert_eq!(Decimal::parse("70"), Some(Decimal(7000)));
        assert_eq!(Decimal::parse("0.05"), Some(Decimal(5)));
        assert_eq!(Decimal::parse("-1.25"), Some(Decimal(-125)));
        assert_eq!(Decimal::parse("1.234"), None);
        assert_eq!(Decimal::parse("abc"), None);
        assert_eq!(Decimal::parse(".5"), None);
        assert_eq!(Decimal(6250).to_string(), "62.5");
        assert_eq!(Decimal(5).to_string(), "0.05");
        assert_eq!(Decimal(-125).to_string(), "-1.25");
    }

    #[test]
    fn decimal_from_yaml_float_is_the_written_value() {
        let d: Decimal = serde_yaml::from_str("57.35").unwrap();
        assert_eq!(d, Decimal(5735));
        let err = serde_yaml::from_str::<Decimal>(".nan").unwrap_err();
        assert!(err.to_string().contains("finite"), "{err}");
        let err = serde_yaml::from_str::<Decimal>("\"70\"").unwrap_err();
        assert!(err.to_string().contains("two decimals"), "{err}");
    }

    #[test]
    fn points_accept_numbers_and_nvt() {
        assert_eq!(
            serde_yaml::from_str::<Points>("3").unwrap(),
            Points::Awarded(3)
        );
        assert_eq!(
            serde_yaml::from_str::<Points>("nvt").unwrap(),
            Points::NotApplicable
        );
        assert!(serde_yaml::from_str::<Points>("-1").is_err());
        assert!(serde_yaml::from_str::<Points>("1.5").is_err());
        assert!(serde_yaml::from_str::<Points>("\"3\"").is_err());
    }

    #[test]
    fn dates_are_checked() {
        assert_eq!(
            Date::parse("2011-07-06"),
            Some(Date {
                year: 2011,
                month: 7,
                day: 6
            })
        );
        assert_eq!(Date::parse("2011-02-29"), None);
        assert_eq!(Date::parse("2012-02-29").map(|d| d.day), Some(29));
        assert_eq!(Date::parse("2011-13-01"), None);
        assert_eq!(Date::parse("-011-01-01"), None);
        assert_eq!(Date::parse("0000-01-01"), None);
        assert_eq!(
            Date::parse_checked("2011-02-30").unwrap_err(),
            "30 February 2011 is not a calendar date"
        );
        assert_eq!(
            Date::parse_checked("31-05-2011").unwrap_err(),
            "expected a date written as YYYY-MM-DD"
        );
        assert_eq!(
            Date::from_unix(0),
            Date {
                year: 1970,
                month: 1,
                day: 1
            }
        );
        // The bounds SOURCE_DATE_EPOCH may take: the first and last PDF date.
        assert_eq!(Date::from_unix(-62_135_596_800).to_string(), "0001-01-01");
        assert_eq!(Date::from_unix(253_402_300_799).to_string(), "9999-12-31");
        assert_eq!(
            Date::from_unix(1_309_910_400),
            Date {
                year: 2011,
                month: 7,
                day: 6
            }
        );
    }

    #[test]
    fn id_map_rejects_duplicates_and_keeps_order() {
        let m: IdMap<u32> = serde_yaml::from_str("b: 1\na: 2\n").unwrap();
        assert_eq!(m.0, vec![("b".into(), 1), ("a".into(), 2)]);
        let err = serde_yaml::from_str::<IdMap<u32>>("a: 1\na: 2\n").unwrap_err();
        assert!(err.to_string().contains("duplicate key `a`"), "{err}");
    }
}
