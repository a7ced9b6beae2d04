//! A valid synthetic edition of any size, for benchmarks and for testing
//! that nothing about 2010 is hard-coded (`korpsmonitor generate`).
//! Deterministic: the same number of units gives the same files.

use std::path::{Path, PathBuf};

use crate::error::RunError;
use crate::model::{
    Assessment, Decimal, Dimension, EditionFile, Group, IdMap, Indicator, KeyFigures, Partner,
    PartnerRating, Points, Rating, Recommendation, RecommendationsFile, Status, Theme, Thresholds,
    UnitDimension, UnitFile,
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

/// A synthetic edition of `units` units (1 to [`crate::load::MAX_UNITS`]):
/// its files as paths relative to the edition folder, with their YAML
/// text: `edition.yaml`, `units/<id>.yaml` per unit and
/// `recommendations.yaml`. Deterministic: the same number gives the same
/// files. Every file is marked illustrative.
pub fn edition(units: usize) -> Result<Vec<(PathBuf, String)>, RunError> {
    edition_of(units, LAST_YEAR, None, 0)
}

/// The year of the newest synthetic edition.
pub const LAST_YEAR: u16 = 2099;

/// A synthetic chain of `editions` editions (1 to
/// [`crate::load::MAX_CHAIN`]) of `units` units each, two years apart and
/// ending in [`LAST_YEAR`]: the files of each under a folder named after
/// its year (`2093/edition.yaml`, ...), each edition linked to the one
/// before by `previous: ../<year>`. The units are the same in every
/// edition, their points drawn anew for each, so that verdicts move
/// between editions. Deterministic.
pub fn chain(units: usize, editions: usize) -> Result<Vec<(PathBuf, String)>, RunError> {
    let mut files = Vec::new();
    for k in 0..editions {
        let year = LAST_YEAR - 2 * (editions - 1 - k) as u16;
        let previous = (k > 0).then(|| format!("../{}", year - 2));
        for (rel, text) in edition_of(units, year, previous.as_deref(), k as u64)? {
            files.push((Path::new(&year.to_string()).join(rel), text));
        }
    }
    Ok(files)
}

/// A synthetic edition of `year` whose `previous:` is `previous`; `round`
/// varies the points drawn (0 gives [`edition`]'s).
fn edition_of(
    units: usize,
    year: u16,
    previous: Option<&str>,
    round: u64,
) -> Result<Vec<(PathBuf, String)>, RunError> {
    let mut rng = Rng(0x9e37_79b9_7f4a_7c15 ^ units as u64 ^ round.wrapping_mul(0x1000_0000_01b3));
    let dimensions = dimensions();
    let partners = partners();
    let ids: Vec<String> = (1..=units).map(|i| format!("e{i:05}")).collect();
    let mut edition = edition_file(units, &ids, &dimensions, &partners);
    edition.year = year;
    edition.previous = previous.map(str::to_string);
    edition.date = crate::model::Date::parse(&format!("{year}-12-31"));
    let mut files = vec![(PathBuf::from("edition.yaml"), yaml(&edition)?)];
    for (n, id) in ids.iter().enumerate() {
        let unit = unit_file(n, id, &dimensions, &partners, &mut rng);
        files.push((Path::new("units").join(format!("{id}.yaml")), yaml(&unit)?));
    }
    files.push((
        PathBuf::from("recommendations.yaml"),
        yaml(&recommendations())?,
    ));
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

/// `edition.yaml`: the year 2099, a concept, with the units `ids`.
fn edition_file(
    units: usize,
    ids: &[String],
    dimensions: &[Dimension],
    partners: &[Partner],
) -> EditionFile {
    let groups = vec![
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
    ];
    EditionFile {
        year: 2099,
        title: format!("Synthetische Korpsmonitor met {units} eenheden"),
        period: "een synthetisch jaar".into(),
        status: Status::Concept,
        publisher: "korpsmonitor generate".into(),
        date: crate::model::Date::parse("2099-12-31"),
        previous: None,
        illustrative: true,
        previous_dimensions: IdMap::default(),
        illustrative_notice: Some(
            "Deze uitgave is synthetisch: alle gegevens zijn gegenereerd voor metingen en tests."
                .into(),
        ),
        assessment: Assessment::Points,
        keywords: vec!["synthetisch".into()],
        dimensions: dimensions.to_vec(),
        overall_thresholds: Some(Thresholds {
            conform_norm: Decimal(7000),
            aandacht: Decimal(5500),
        }),
        groups,
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
                let a = SENTENCES[rng.below(6) as usize];
                let b = SENTENCES[rng.below(6) as usize];
                (
                    d.id.clone(),
                    UnitDimension {
                        points,
                        verdict: None,
                        manual_verdict: None,
                        findings: format!("{a} {b}"),
                    },
                )
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
    }
}

/// One general recommendation to the OM.
fn recommendations() -> RecommendationsFile {
    RecommendationsFile {
        illustrative: true,
        themes: vec![Theme {
            id: "algemeen".into(),
            title: "Algemeen".into(),
            recommendations: vec![Recommendation {
                id: "R1".into(),
                text: "Synthetische algemene aanbeveling.".into(),
                addressed_to: vec!["om".into()],
            }],
        }],
    }
}
