//! Changes of the method between two editions, or two revisions of one:
//! thresholds, weights, dimensions, indicators and their maximum points.
//! A verdict can move because the method changed while the points stayed;
//! [`verdicts_under`] gives the verdicts the old method would have given,
//! so that a diff, the changes annex and the report can say which verdicts
//! moved because of the method.

use std::collections::HashMap;

use serde::Serialize;

use crate::data::load::LoadedEdition;
use crate::data::model::{Assessment, Decimal, Dimension, EditionFile, Thresholds};

/// The dimension of `old` that the dimension `id` of `new` continues: the
/// one with the same id, else the only one `new`'s `previous_dimensions`
/// maps onto it.
fn counterpart<'a>(old: &'a EditionFile, new: &EditionFile, id: &str) -> Option<&'a Dimension> {
    if let Some(d) = old.dimensions.iter().find(|d| d.id == id) {
        return Some(d);
    }
    let mapped: Vec<&str> = new
        .previous_dimensions
        .iter()
        .filter(|(_, to)| to.as_str() == id)
        .map(|(from, _)| from)
        .collect();
    match mapped.as_slice() {
        [one] => old.dimensions.iter().find(|d| d.id == *one),
        _ => None,
    }
}

/// One change of the method.
#[derive(Debug, Clone, Serialize, PartialEq, Eq)]
pub struct MethodChange {
    /// What changed, in English, for `diff` (`toezicht: threshold conform
    /// norm`).
    pub what: String,
    /// The same in Dutch, for the documents (`Toezicht: drempel conform
    /// norm`).
    pub dutch: String,
    /// The old value (`none` when absent).
    pub old: String,
    /// The new value.
    pub new: String,
    /// The whole change as a Dutch phrase, values included ("drempel
    /// conform norm van Toezicht van 70% naar 85%").
    pub phrase: String,
}

fn decimal(d: Decimal) -> String {
    match serde_json::to_value(d) {
        Ok(serde_json::Value::Number(n)) => n.to_string(),
        Ok(other) => other.to_string(),
        Err(_) => "?".into(),
    }
}

fn percent(d: Option<Decimal>) -> String {
    d.map_or("none".into(), |d| format!("{}%", decimal(d)))
}

/// `s` with its first letter in lower case ("Totaaloordeel" in a phrase).
fn lower_first(s: &str) -> String {
    if s == "Totaaloordeel" {
        "het totaaloordeel".into()
    } else {
        s.to_string()
    }
}

/// A value as the Dutch phrase gives it: a decimal comma, "geen" for none.
fn nl(v: &str) -> String {
    if v == "none" {
        "geen".into()
    } else {
        v.replace('.', ",")
    }
}

/// Pushes the changes of a pair of thresholds, `what`/`dutch` naming the
/// dimension (or the overall verdict).
fn thresholds(
    o: Option<&Thresholds>,
    n: Option<&Thresholds>,
    (what, dutch): (&str, &str),
    out: &mut Vec<MethodChange>,
) {
    type Level = (&'static str, &'static str, fn(&Thresholds) -> Decimal);
    let levels: [Level; 2] = [
        ("conform norm", "conform norm", |t| t.conform_norm),
        ("aandacht", "aandacht", |t| t.aandacht),
    ];
    for (en, level, get) in levels {
        let (a, b) = (o.map(get), n.map(get));
        if a != b {
            let (old, new) = (percent(a), percent(b));
            out.push(MethodChange {
                what: format!("{what}: threshold {en}"),
                dutch: format!("{dutch}: drempel {level}"),
                phrase: format!(
                    "drempel {level} van {} van {} naar {}",
                    lower_first(dutch),
                    nl(&old),
                    nl(&new)
                ),
                old,
                new,
            });
        }
    }
}

/// Every change of the method from `old` to `new`, dimensions matched by
/// id (else by `new`'s `previous_dimensions`, see [`counterpart`]): the assessment, the overall thresholds, and
/// per dimension its presence, name, weight, thresholds and indicators
/// with their maximum points. Empty when the method is the same.
pub fn changes(old: &EditionFile, new: &EditionFile) -> Vec<MethodChange> {
    let mut out = Vec::new();
    if old.assessment != new.assessment {
        let word = |a: Assessment| match a {
            Assessment::Points => "met punten",
            _ => "met gepubliceerde oordelen",
        };
        out.push(MethodChange {
            what: "assessment".into(),
            dutch: "Wijze van beoordelen".into(),
            old: format!("{:?}", old.assessment).to_lowercase(),
            new: format!("{:?}", new.assessment).to_lowercase(),
            phrase: format!(
                "beoordeeld {} in plaats van {}",
                word(new.assessment),
                word(old.assessment)
            ),
        });
    }
    // Between an edition of published verdicts and one scored with points
    // the change is the assessment itself (and the dimensions), not each
    // threshold and indicator the points brought.
    let points = old.assessment == Assessment::Points && new.assessment == Assessment::Points;
    if points {
        thresholds(
            old.overall_thresholds.as_ref(),
            new.overall_thresholds.as_ref(),
            ("overall verdict", "Totaaloordeel"),
            &mut out,
        );
    }
    for n in &new.dimensions {
        let Some(o) = counterpart(old, new, &n.id) else {
            out.push(MethodChange {
                what: format!("dimension {}", n.id),
                dutch: format!("Dimensie {}", n.name),
                old: "none".into(),
                new: "added".into(),
                phrase: format!("nieuwe dimensie {}", n.name),
            });
            continue;
        };
        let (what, dutch) = (n.id.as_str(), n.name.as_str());
        if o.name != n.name {
            out.push(MethodChange {
                what: format!("{what}: name"),
                dutch: format!("{dutch}: naam"),
                old: o.name.clone(),
                new: n.name.clone(),
                phrase: format!("dimensie {} heet nu {}", o.name, n.name),
            });
        }
        if !points {
            continue;
        }
        if o.weight != n.weight {
            out.push(MethodChange {
                what: format!("{what}: weight"),
                dutch: format!("{dutch}: gewicht"),
                old: decimal(o.weight),
                new: decimal(n.weight),
                phrase: format!(
                    "gewicht van {} van {} naar {}",
                    n.name,
                    nl(&decimal(o.weight)),
                    nl(&decimal(n.weight))
                ),
            });
        }
        thresholds(
            o.thresholds.as_ref(),
            n.thresholds.as_ref(),
            (what, dutch),
            &mut out,
        );
        indicators(o, n, &mut out);
    }
    for o in &old.dimensions {
        let kept = new
            .dimensions
            .iter()
            .any(|n| counterpart(old, new, &n.id).is_some_and(|c| c.id == o.id));
        if !kept {
            out.push(MethodChange {
                what: format!("dimension {}", o.id),
                dutch: format!("Dimensie {}", o.name),
                old: "present".into(),
                new: "none".into(),
                phrase: format!("dimensie {} vervallen", o.name),
            });
        }
    }
    out
}

/// The verdicts (overall and per dimension) each unit of `edition` would
/// get, with its own points and manual verdicts, under the thresholds and weights of
/// `method` (dimensions matched by id; a dimension `method` lacks keeps
/// its own). `None` when either edition is not scored with points.
pub fn verdicts_under(
    edition: &LoadedEdition,
    method: &EditionFile,
) -> Option<HashMap<String, crate::figures::score::UnitVerdicts>> {
    let own = &edition.edition.value;
    if own.assessment != Assessment::Points || method.assessment != Assessment::Points {
        return None;
    }
    let mut e = own.clone();
    if method.overall_thresholds.is_some() {
        e.overall_thresholds = method.overall_thresholds;
    }
    for d in &mut e.dimensions {
        if let Some(m) = counterpart(method, own, &d.id) {
            d.weight = m.weight;
            if m.thresholds.is_some() {
                d.thresholds = m.thresholds;
            }
        }
    }
    Some(crate::figures::score::verdicts(edition, &e))
}

/// Pushes the changes of the indicators of dimension `o` (old) to `n`:
/// maximum points changed, indicators added or removed.
fn indicators(o: &Dimension, n: &Dimension, out: &mut Vec<MethodChange>) {
    let (what, dutch) = (n.id.as_str(), n.name.as_str());
    for ni in &n.indicators {
        let oi = o.indicators.iter().find(|i| i.id == ni.id);
        if oi.map(|i| i.max_points) != Some(ni.max_points) {
            out.push(MethodChange {
                what: format!("{what}: indicator {} maximum points", ni.id),
                dutch: format!("{dutch}: maximum punten van indicator {}", ni.id),
                old: oi.map_or("none".into(), |i| i.max_points.to_string()),
                new: ni.max_points.to_string(),
                phrase: match oi {
                    Some(i) => format!(
                        "maximum van indicator {} bij {} van {} naar {} punten",
                        ni.id, n.name, i.max_points, ni.max_points
                    ),
                    None => format!(
                        "nieuwe indicator {} bij {} ({} punten)",
                        ni.id, n.name, ni.max_points
                    ),
                },
            });
        }
    }
    for oi in o
        .indicators
        .iter()
        .filter(|oi| !n.indicators.iter().any(|i| i.id == oi.id))
    {
        out.push(MethodChange {
            what: format!("{what}: indicator {} maximum points", oi.id),
            dutch: format!("{dutch}: maximum punten van indicator {}", oi.id),
            old: oi.max_points.to_string(),
            new: "none".into(),
            phrase: format!("indicator {} bij {} vervallen", oi.id, n.name),
        });
    }
}

/// Whether the field path of `edition.yaml` (`dimensions[toezicht].weight`)
/// is one that [`changes`] reports as a method change, so that a diff lists
/// it once, as the method's.
pub fn is_method_field(path: &str) -> bool {
    if path == "assessment" || path.starts_with("overall_thresholds") {
        return true;
    }
    let Some(rest) = path.strip_prefix("dimensions[") else {
        return false;
    };
    let Some((_, field)) = rest.split_once("]") else {
        return false;
    };
    // Only the method's own values: a dimension or indicator added or
    // removed whole is listed with all its fields too.
    field == ".name"
        || field == ".weight"
        || field.starts_with(".thresholds")
        || (field.starts_with(".indicators[") && field.ends_with(".max_points"))
}
