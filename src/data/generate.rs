//! A valid synthetic edition of any size, for benchmarks and for testing
//! that nothing about 2010 is hard-coded (`korpsmonitor generate`).
//! Deterministic: the same number of units gives the same files.

use std::path::{Path, PathBuf};

use crate::base::error::RunError;
use crate::data::model::{
    Assessment, Date, Decimal, Dimension, EditionFile, Group, IdMap, Indicator, KeyFigures,
    LetterFile, LetterLayout, Manager, ManagerLetters, Partner, PartnerRating, Points, Rating,
    Recommendation, RecommendationsFile, ReferenceScheme, Sender, Signatory, Status, Theme,
    Thresholds, UnitDimension, UnitFile,
};

/// A small deterministic pseudo-random generator (xorshift64*).
struct Rng(u64);

impl Rng {
    fn next(&mut self) -> u64 {
        self.0 ^= self.0 >> 12;
        self.0 ^= self.0 << 25;
        self.0 ^= self.0 >> 27;
        self.0.wrapping_mul(0x2545_f491_4f6c_dd1d)
    }

    fn below(&mut self, n: u64) -> u64 {
        self.next() % n.max(1)
    }
}

const DIMENSIONS: [(&str, &str, &str); 3] = [
    ("toezicht", "Toezicht op de branche", "Toezicht"),
    ("informatie", "Informatiepositie", "Informatie"),
    ("opsporing", "Opsporing en vervolging", "Opsporing"),
];

const SENTENCES: [&str; 6] = [
    "De eenheid heeft een actueel beeld van de branche in haar gebied.",
    "Signalen worden eenduidig vastgelegd en met de partners gedeeld.",
    "Controles vinden plaats volgens plan, samen met de gemeente.",
    "Financieel rechercheren is nog geen vaste werkwijze.",
    "De capaciteit voor het toezicht staat onder druk.",
    "Slachtoffers worden gewezen op hun rechten en aangemeld bij de opvang.",
];

/// What `korpsmonitor generate` writes besides a synthetic edition.
#[derive(Debug, Clone, Default)]
pub struct Options {
    /// How many units, 1 to [`crate::data::load::MAX_UNITS`].
    pub units: usize,
    /// When set, a previous edition is generated too and the edition's
    /// `previous:` is this path (relative to the edition's folder, e.g.
    /// `../syn-previous`).
    pub previous: Option<String>,
    /// Whether to write `letter.yaml` (a covering letter and letters to the
    /// managers of units not conform norm) and a manager in every unit file.
    pub letters: bool,
}

/// A synthetic edition and, when asked for, its previous edition: each a
/// list of files as paths relative to the edition's folder, with their
/// YAML text.
#[derive(Debug, Clone)]
pub struct Editions {
    /// The edition of [`LAST_YEAR`].
    pub edition: Vec<(PathBuf, String)>,
    /// The edition of [`PREVIOUS_YEAR`], the previous one.
    pub previous: Option<Vec<(PathBuf, String)>>,
}

/// The year of the newest synthetic edition.
pub const LAST_YEAR: u16 = 2099;
/// The year of the previous edition that [`editions`] writes (the monitor
/// is biennial).
pub const PREVIOUS_YEAR: u16 = LAST_YEAR - 2;

/// A synthetic edition (and its previous edition) as `options` asks:
/// `edition.yaml`, `units/<id>.yaml` per unit, `recommendations.yaml`
/// and, with `letters`, `letter.yaml` and a manager in
/// every unit file. Deterministic: the same options give the same files;
/// the edition's points do not depend on the other options.
///
/// The previous edition has four dimensions where this one has three, as
/// the 2012 edition has four where 2010 had five: its `vergund` and
/// `niet-vergund` together map onto `toezicht` (which is then not
/// compared), `informatie` and `opsporing` onto themselves
/// (`previous_dimensions`). Its points are this edition's, except for
/// about one unit in six whose points differ (so that its verdict
/// changes); one unit in 25 is new, and one previous unit in 50 is gone.
///
/// Errors: only if the YAML cannot be written ([`RunError::Other`]).
pub fn editions(options: &Options) -> Result<Editions, RunError> {
    let (mut edition, unit_files) = edition_of(
        options.units,
        LAST_YEAR,
        options.previous.as_deref(),
        0,
        options.letters,
    );
    if options.previous.is_some() {
        edition.previous_dimensions = previous_dimension_map();
    }
    let letter = options
        .letters
        .then(|| letter_file(options.previous.is_some()));
    let files = files_of(&edition, &unit_files, letter.as_ref())?;
    let previous = match options.previous {
        Some(_) => Some(previous_edition(&unit_files, &partners())?),
        None => None,
    };
    Ok(Editions {
        edition: files,
        previous,
    })
}

/// A synthetic chain of `editions` editions (1 to
/// [`crate::data::chain::MAX_CHAIN`]) of `units` units each, two years apart and
/// ending in [`LAST_YEAR`]: the files of each under a folder named after
/// its year (`2093/edition.yaml`, ...), each edition linked to the one
/// before by `previous: ../<year>`. The units are the same in every
/// edition, their points drawn anew for each, so that verdicts move
/// between editions. With `letters`, the newest edition gets a
/// `letter.yaml` and its units a manager. Deterministic.
pub fn chain(
    units: usize,
    editions: usize,
    letters: bool,
) -> Result<Vec<(PathBuf, String)>, RunError> {
    let mut files = Vec::new();
    for k in 0..editions {
        let year = LAST_YEAR - 2 * (editions - 1 - k) as u16;
        let previous = (k > 0).then(|| format!("../{}", year - 2));
        let newest = letters && k + 1 == editions;
        let (edition, unit_files) = edition_of(units, year, previous.as_deref(), k as u64, newest);
        let letter = newest.then(|| letter_file(previous.is_some()));
        for (rel, text) in files_of(&edition, &unit_files, letter.as_ref())? {
            files.push((Path::new(&year.to_string()).join(rel), text));
        }
    }
    Ok(files)
}

/// A synthetic edition of `year` whose `previous:` is `previous`, and its
/// units; `round` varies the points drawn (0 gives the single edition's);
/// `managers` gives every unit a manager (for the letters).
fn edition_of(
    units: usize,
    year: u16,
    previous: Option<&str>,
    round: u64,
    managers: bool,
) -> (EditionFile, Vec<UnitFile>) {
    let mut rng = Rng(0x9e37_79b9_7f4a_7c15 ^ units as u64 ^ round.wrapping_mul(0x1000_0000_01b3));
    let dimensions = dimensions();
    let partners = partners();
    let ids: Vec<String> = (1..=units).map(|i| format!("e{i:05}")).collect();
    let mut edition = edition_file(units, &ids, &dimensions, &partners);
    edition.year = year;
    edition.previous = previous.map(str::to_string);
    edition.date = Some(Date {
        year: i32::from(year),
        month: 12,
        day: 31,
    });
    let unit_files = ids
        .iter()
        .enumerate()
        .map(|(n, id)| {
            let mut unit = unit_file(n, id, &dimensions, &partners, &mut rng);
            if managers {
                unit.manager = Some(manager(n));
            }
            unit
        })
        .collect();
    (edition, unit_files)
}

/// The files of one edition: `edition.yaml`, a file per unit,
/// `recommendations.yaml` and, when given, `letter.yaml`.
fn files_of(
    edition: &EditionFile,
    units: &[UnitFile],
    letter: Option<&LetterFile>,
) -> Result<Vec<(PathBuf, String)>, RunError> {
    let mut files = vec![(PathBuf::from("edition.yaml"), yaml(edition)?)];
    for unit in units {
        files.push((
            Path::new("units").join(format!("{}.yaml", unit.id)),
            yaml(unit)?,
        ));
    }
    files.push((
        PathBuf::from("recommendations.yaml"),
        yaml(&recommendations(edition.year))?,
    ));
    if let Some(letter) = letter {
        files.push((PathBuf::from("letter.yaml"), yaml(letter)?));
    }
    Ok(files)
}

fn yaml<T: serde::Serialize>(value: &T) -> Result<String, RunError> {
    serde_yaml::to_string(value).map_err(|e| RunError::Other(format!("cannot write YAML: {e}")))
}

/// Three dimensions of four indicators each, with weights 1, 1.5 and 2.
fn dimensions() -> Vec<Dimension> {
    DIMENSIONS
        .iter()
        .enumerate()
        .map(|(i, (id, name, short))| Dimension {
            id: id.to_string(),
            name: name.to_string(),
            short_name: short.to_string(),
            description: format!("Synthetische dimensie {}.", i + 1),
            weight: Decimal(100 + 50 * i as i64),
            thresholds: Some(Thresholds {
                conform_norm: Decimal(7000),
                aandacht: Decimal(5500),
            }),
            indicators: (1..=4)
                .map(|k| Indicator {
                    id: format!("i{k}"),
                    question: format!("Synthetische vraag {k} over {}?", name.to_lowercase()),
                    max_points: 2 + k,
                })
                .collect(),
        })
        .collect()
}

fn partners() -> Vec<Partner> {
    vec![
        Partner {
            id: "om".into(),
            name: "Openbaar Ministerie".into(),
            abbreviation: Some("OM".into()),
        },
        Partner {
            id: "gemeenten".into(),
            name: "Gemeenten".into(),
            abbreviation: None,
        },
    ]
}

/// The two groups: `districten` (the headline) and `diensten`.
fn groups() -> Vec<Group> {
    vec![
        Group {
            id: "districten".into(),
            name: "districten".into(),
            headline: true,
        },
        Group {
            id: "diensten".into(),
            name: "diensten".into(),
            headline: false,
        },
    ]
}

/// `edition.yaml`: the year [`LAST_YEAR`], a concept, with the units `ids`.
fn edition_file(
    units: usize,
    ids: &[String],
    dimensions: &[Dimension],
    partners: &[Partner],
) -> EditionFile {
    EditionFile {
        year: LAST_YEAR,
        title: format!("Synthetische Korpsmonitor met {units} eenheden"),
        period: "een synthetisch jaar".into(),
        status: Status::Concept,
        publisher: "korpsmonitor generate".into(),
        date: crate::data::model::Date::parse("2099-12-31"),
        previous: None,
        illustrative: true,
        previous_dimensions: IdMap::default(),
        illustrative_notice: Some(
            "Deze uitgave is synthetisch: alle gegevens zijn gegenereerd voor metingen en tests."
                .into(),
        ),
        assessment: Assessment::Points,
        keywords: vec!["synthetisch".into()],
        open_data_licence: None,
        dimensions: dimensions.to_vec(),
        overall_thresholds: Some(Thresholds {
            conform_norm: Decimal(7000),
            aandacht: Decimal(5500),
        }),
        groups: groups(),
        units: Some(ids.to_vec()),
        new_units: Vec::new(),
        partners: partners.to_vec(),
        addressees: Vec::new(),
        chapters: Vec::new(),
        abbreviations: Vec::new(),
    }
}

/// The `n`th unit (from 0), `id`: points drawn from `rng` (one in twenty
/// not applicable), two findings sentences per dimension, key figures and
/// partner ratings; every tenth unit is a service (`diensten`).
fn unit_file(
    n: usize,
    id: &str,
    dimensions: &[Dimension],
    partners: &[Partner],
    rng: &mut Rng,
) -> UnitFile {
    let dims = IdMap(
        dimensions
            .iter()
            .map(|d| {
                let points = IdMap(
                    d.indicators
                        .iter()
                        .map(|ind| {
                            let p = if rng.below(20) == 0 {
                                Points::NotApplicable
                            } else {
                                Points::Awarded(rng.below(u64::from(ind.max_points) + 1) as u32)
                            };
                            (ind.id.clone(), p)
                        })
                        .collect(),
                );
                (d.id.clone(), unit_dimension(points, rng))
            })
            .collect(),
    );
    UnitFile {
        id: id.to_string(),
        name: format!("Eenheid {}", n + 1),
        article: None,
        group: if n % 10 == 9 {
            "diensten"
        } else {
            "districten"
        }
        .into(),
        continues: Vec::new(),
        illustrative: true,
        manager: None,
        verdict: None,
        manual_verdict: None,
        dimensions: dims,
        recommendations: vec![format!("Synthetische aanbeveling voor eenheid {}.", n + 1)],
        key_figures: Some(KeyFigures {
            suspects: rng.below(40) as u32,
            case_files: rng.below(25) as u32,
            victims: rng.below(50) as u32,
        }),
        partners: IdMap(
            partners
                .iter()
                .map(|p| {
                    (
                        p.id.clone(),
                        PartnerRating {
                            rating: Rating::ALL[rng.below(4) as usize],
                            remark: "Synthetische opmerking.".into(),
                        },
                    )
                })
                .collect(),
        ),
        notes: String::new(),
    }
}

/// `previous_dimensions` of the edition: the previous edition's four
/// dimensions onto this edition's three.
/// A unit's dimension with `points` and two findings sentences drawn from
/// `rng` (two draws, in this order, so an edition stays the same).
fn unit_dimension(points: IdMap<Points>, rng: &mut Rng) -> UnitDimension {
    // Two different sentences: a finding never says the same thing twice.
    let i = rng.below(6) as usize;
    let j = (i + 1 + rng.below(5) as usize) % 6;
    let (a, b) = (SENTENCES[i], SENTENCES[j]);
    UnitDimension {
        points,
        verdict: None,
        manual_verdict: None,
        findings: format!("{a} {b}"),
        notes: String::new(),
    }
}

fn previous_dimension_map() -> IdMap<String> {
    IdMap(
        [
            ("vergund", "toezicht"),
            ("niet-vergund", "toezicht"),
            ("informatie", "informatie"),
            ("opsporing", "opsporing"),
        ]
        .iter()
        .map(|(from, to)| (from.to_string(), to.to_string()))
        .collect(),
    )
}

/// The previous edition's dimensions: `toezicht`'s indicators split over
/// `vergund` (`i1`, `i2`) and `niet-vergund` (`i3`, `i4` as `i1`, `i2`),
/// then `informatie` and `opsporing` as in this edition.
fn previous_dimensions() -> Vec<Dimension> {
    let current = dimensions();
    let toezicht = &current[0];
    let split = |id: &str, name: &str, short: &str, from: usize| Dimension {
        id: id.to_string(),
        name: name.to_string(),
        short_name: short.to_string(),
        description: format!("Synthetische dimensie: {}.", name.to_lowercase()),
        weight: Decimal(100),
        thresholds: toezicht.thresholds,
        indicators: toezicht.indicators[from..from + 2]
            .iter()
            .enumerate()
            .map(|(k, ind)| Indicator {
                id: format!("i{}", k + 1),
                question: format!("Synthetische vraag {} over {}?", k + 1, name.to_lowercase()),
                max_points: ind.max_points,
            })
            .collect(),
    };
    let mut out = vec![
        split("vergund", "Toezicht op de vergunde branche", "Vergund", 0),
        split(
            "niet-vergund",
            "Toezicht op de niet-vergunde branche",
            "Niet-vergund",
            2,
        ),
    ];
    out.extend(current.into_iter().skip(1));
    out
}

/// The previous edition's files (see [`editions`]) from this edition's
/// units `current`.
fn previous_edition(
    current: &[UnitFile],
    partners: &[Partner],
) -> Result<Vec<(PathBuf, String)>, RunError> {
    let mut rng = Rng(0x2545_f491_4f6c_dd1d ^ current.len() as u64);
    let dimensions = previous_dimensions();
    let mut units: Vec<UnitFile> = current
        .iter()
        .enumerate()
        .filter(|(n, _)| n % 25 != 24)
        .map(|(_, unit)| previous_unit(unit, &dimensions, &mut rng))
        .collect();
    let gone = units.len().div_ceil(50);
    for k in 0..gone {
        let id = format!("v{:05}", k + 1);
        let mut unit = unit_file(k, &id, &dimensions, partners, &mut rng);
        unit.name = format!("Voormalige eenheid {}", k + 1);
        unit.group = "districten".into();
        unit.recommendations = vec![format!(
            "Synthetische aanbeveling voor voormalige eenheid {}.",
            k + 1
        )];
        units.push(unit);
    }
    let ids: Vec<String> = units.iter().map(|u| u.id.clone()).collect();
    let mut edition = edition_file(units.len(), &ids, &dimensions, partners);
    edition.year = PREVIOUS_YEAR;
    edition.status = Status::Definitief;
    edition.date = Some(Date {
        year: i32::from(PREVIOUS_YEAR),
        month: 12,
        day: 31,
    });
    files_of(&edition, &units, None)
}

/// One unit of the previous edition: `unit`'s points on the previous
/// edition's `dimensions` (see [`previous_dimensions`]), or, for about one
/// unit in six, points about half the way to none or to the maximum, so
/// that its verdict differs; its own findings, recommendations and key
/// figures; no manager.
fn previous_unit(unit: &UnitFile, dimensions: &[Dimension], rng: &mut Rng) -> UnitFile {
    let shift = match rng.below(12) {
        0 => Some(false),
        1 => Some(true),
        _ => None,
    };
    let dims = IdMap(
        dimensions
            .iter()
            .map(|d| {
                let points = IdMap(
                    d.indicators
                        .iter()
                        .enumerate()
                        .map(|(k, ind)| {
                            let (dim, indicator) = current_indicator(&d.id, k + 1);
                            let now = unit
                                .dimensions
                                .get(dim)
                                .and_then(|u| u.points.get(&indicator))
                                .copied()
                                .unwrap_or(Points::NotApplicable);
                            let p = match (now, shift) {
                                (Points::Awarded(p), Some(false)) => Points::Awarded(p / 2),
                                (Points::Awarded(p), Some(true)) => {
                                    Points::Awarded(p + (ind.max_points - p).div_ceil(2))
                                }
                                (p, _) => p,
                            };
                            (ind.id.clone(), p)
                        })
                        .collect(),
                );
                (d.id.clone(), unit_dimension(points, rng))
            })
            .collect(),
    );
    // Its own findings and recommendations: an edition's texts are written
    // for its period, never copied from the next.
    let mut dims = dims;
    for (_, d) in dims.0.iter_mut() {
        d.findings = format!("{} Zo was het in de vorige periode.", d.findings);
    }
    UnitFile {
        manager: None,
        dimensions: dims,
        recommendations: unit
            .recommendations
            .iter()
            .map(|r| format!("{r} (vorige periode)"))
            .collect(),
        key_figures: Some(KeyFigures {
            suspects: rng.below(40) as u32,
            case_files: rng.below(25) as u32,
            victims: rng.below(50) as u32,
        }),
        ..unit.clone()
    }
}

/// This edition's dimension and indicator that the previous edition's
/// indicator `i<k>` of dimension `dimension` takes its points from, as
/// [`previous_dimensions`] splits `toezicht`.
fn current_indicator(dimension: &str, k: usize) -> (&str, String) {
    match dimension {
        "vergund" => ("toezicht", format!("i{k}")),
        "niet-vergund" => ("toezicht", format!("i{}", k + 2)),
        other => (other, format!("i{k}")),
    }
}

/// The manager of the `n`th unit (from 0), to whom its letter is addressed.
fn manager(n: usize) -> Manager {
    Manager {
        name: format!("Beheerder {}", n + 1),
        title: format!("Korpsbeheerder van Eenheid {}", n + 1),
        salutation: Some("Geachte korpsbeheerder,".into()),
        address: vec![format!("Postbus {}", n + 1), "9999 ZZ Synthetisch".into()],
    }
}

/// `letter.yaml`: a covering letter in the ministry layout and a letter to
/// the manager of every unit not conform norm, each with its own kenmerk.
/// With `previous`, both compare with the previous edition.
fn letter_file(previous: bool) -> LetterFile {
    let mut body = String::from(
        "Hierbij bied ik u de {{ edition.title }} aan. Deze uitgave is synthetisch: \
         alle gegevens zijn gegenereerd voor metingen en tests.\n\n\
         Van de {{ headline.units }} {{ headline_groups }} \
         {{ headline.conform_norm | agree(\"presteert\", \"presteren\") }} er \
         {{ headline.conform_norm }} conform de norm, \
         {{ headline.aandacht | agree(\"vraagt\", \"vragen\") }} er {{ headline.aandacht }} \
         *aandacht* en {{ headline.onvoldoende | agree(\"presteert\", \"presteren\") }} er \
         {{ headline.onvoldoende }} onvoldoende.",
    );
    if previous {
        body.push_str(
            " In de monitor over {{ previous.year }} waren die aantallen \
             {{ previous.headline.conform_norm }}, {{ previous.headline.aandacht }} en \
             {{ previous.headline.onvoldoende }}.",
        );
    }
    body.push_str(
        "\n\nIk vraag de beheerders van de {{ letters.count | count(\"eenheid\", \"eenheden\") }} \
         die niet conform de norm presteren schriftelijk om verbetermaatregelen.\n\n\
         Landelijk bracht de politie {{ totals.suspects | count(\"verdachte\", \"verdachten\") }} \
         van mensenhandel in beeld en leverde zij \
         {{ totals.case_files | count(\"zaak\", \"zaken\") }} aan bij het Openbaar Ministerie.\n",
    );
    let mut manager_body = String::from(
        "Het totaaloordeel over {{ unit.with_article }} in de {{ edition.title }} is \
         *{{ unit.verdict }}*",
    );
    if previous {
        manager_body.push_str(
            "{% if unit.previous_verdict %}; ten opzichte van de monitor over \
             {{ previous.year }} is het oordeel {{ unit.change }}{% endif %}",
        );
    }
    manager_body.push_str(
        ".{% if unit.shortfalls %} Niet conform de norm zijn de oordelen over \
         {{ unit.shortfalls | length | agree(\"de dimensie\", \"de dimensies\") }} \
         {{ unit.shortfalls | quote | list }}.{% endif %}\n\n\
         Ik verzoek u verbetermaatregelen vast te stellen en mij die uiterlijk \
         {{ deadline }} toe te zenden.\n",
    );
    LetterFile {
        illustrative: true,
        layout: LetterLayout::Ministry,
        sender: Sender {
            ministry: "Ministerie van Synthetische Zaken".into(),
            directorate_general: None,
            directorate: None,
            department: None,
            visiting_address: Vec::new(),
            postal_address: vec!["Postbus 1".into(), "9999 ZZ Synthetisch".into()],
            website: None,
        },
        return_address: Some("Postbus 1 9999 ZZ Synthetisch".into()),
        addressee: vec!["Aan de Voorzitter van de Tweede Kamer der Staten-Generaal".into()],
        date: Date {
            year: i32::from(LAST_YEAR) + 1,
            month: 1,
            day: 15,
        },
        subject: "{{ edition.title }}".into(),
        reference: Some("SYN-0".into()),
        body,
        footnotes: Vec::new(),
        signatory: Signatory {
            title: "De Minister van Synthetische Zaken,".into(),
            name: "A. Synthetisch".into(),
        },
        kamerstuk: None,
        manager_letters: Some(ManagerLetters {
            layout: LetterLayout::Ministry,
            subject: "{{ edition.title }}, {{ unit.name }}".into(),
            reference: Some(ReferenceScheme {
                first: None,
                pattern: Some("SYN-{n}".into()),
            }),
            deadline: Date {
                year: i32::from(LAST_YEAR) + 1,
                month: 4,
                day: 1,
            },
            body: manager_body,
        }),
    }
}

/// One general recommendation to the OM.
/// The general recommendations of the edition of `year`: each edition's
/// its own, as an editor writes them.
fn recommendations(year: u16) -> RecommendationsFile {
    RecommendationsFile {
        illustrative: true,
        themes: vec![Theme {
            id: "algemeen".into(),
            title: "Algemeen".into(),
            recommendations: vec![Recommendation {
                id: "R1".into(),
                text: format!("Synthetische algemene aanbeveling voor {year}."),
                addressed_to: vec!["om".into()],
            }],
        }],
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn options(previous: bool, letters: bool) -> Options {
        Options {
            units: 60,
            previous: previous.then(|| "../syn-previous".to_string()),
            letters,
        }
    }

    #[test]
    fn the_map_covers_every_previous_dimension_and_names_current_ones() {
        let previous: Vec<String> = previous_dimensions().into_iter().map(|d| d.id).collect();
        let current: Vec<String> = dimensions().into_iter().map(|d| d.id).collect();
        let map = previous_dimension_map();
        let from: Vec<String> = map.0.iter().map(|(k, _)| k.clone()).collect();
        assert_eq!(from, previous);
        assert!(map.0.iter().all(|(_, to)| current.contains(to)));
        // Every previous indicator takes its points from an existing one.
        for d in previous_dimensions() {
            for k in 1..=d.indicators.len() {
                let (dim, ind) = current_indicator(&d.id, k);
                let def = dimensions().into_iter().find(|x| x.id == dim).unwrap();
                assert!(def.indicators.iter().any(|i| i.id == ind), "{dim}.{ind}");
            }
        }
    }

    #[test]
    fn no_finding_says_the_same_sentence_twice() {
        let files = editions(&options(true, false)).unwrap();
        let all = files.edition.iter().chain(files.previous.iter().flatten());
        let mut findings = 0;
        for (path, text) in all.filter(|(p, _)| p.starts_with("units")) {
            let unit: UnitFile = serde_yaml::from_str(text).unwrap();
            for (_, d) in unit.dimensions.iter() {
                findings += 1;
                let sentences: Vec<&str> = SENTENCES
                    .iter()
                    .copied()
                    .filter(|s| d.findings.contains(s))
                    .collect();
                for s in &sentences {
                    assert_eq!(
                        d.findings.matches(s).count(),
                        1,
                        "{}: {}",
                        path.display(),
                        d.findings
                    );
                }
            }
        }
        assert!(findings > 100, "{findings} findings");
    }

    #[test]
    fn the_options_add_files_without_changing_the_units_points() {
        let plain = editions(&options(false, false)).unwrap();
        let all = editions(&options(true, true)).unwrap();
        assert!(plain.previous.is_none());
        let names = |files: &[(PathBuf, String)]| -> Vec<PathBuf> {
            files.iter().map(|(p, _)| p.clone()).collect()
        };
        assert!(!names(&plain.edition).contains(&PathBuf::from("letter.yaml")));
        assert!(names(&all.edition).contains(&PathBuf::from("letter.yaml")));
        for ((p, a), (_, b)) in plain.edition.iter().zip(&all.edition) {
            if p.starts_with("units") {
                let a: UnitFile = serde_yaml::from_str(a).unwrap();
                let b: UnitFile = serde_yaml::from_str(b).unwrap();
                assert!(a.manager.is_none() && b.manager.is_some());
                let points = |u: &UnitFile| -> Vec<IdMap<Points>> {
                    u.dimensions
                        .0
                        .iter()
                        .map(|(_, d)| d.points.clone())
                        .collect()
                };
                assert_eq!(points(&a), points(&b));
            }
        }
        let previous = all.previous.unwrap();
        // 60 units, of which e00025 and e00050 are new; 58 / 50 rounded up gone.
        assert_eq!(previous.len(), 2 + 58 + 2);
        assert!(!names(&previous).contains(&PathBuf::from("units/e00025.yaml")));
        assert!(names(&previous).contains(&PathBuf::from("units/v00002.yaml")));
        let again = editions(&options(true, true)).unwrap();
        assert_eq!(again.edition, all.edition);
        assert_eq!(again.previous.unwrap(), previous);
    }
}
