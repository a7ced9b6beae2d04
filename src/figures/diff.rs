//! The semantic diff of two editions (or two revisions of one): what
//! changed in verdicts, points, findings, manual verdicts, recommendations
//! and headline figures, rather than in lines of YAML.

use serde::Serialize;
use similar::{ChangeTag, TextDiff};

use crate::words::dutch;
use std::collections::{HashMap, HashSet};

use crate::data::load::LoadedEdition;
use crate::data::model::{Points, UnitDimension, UnitFile, Verdict};
use crate::data::values::Trend;
use crate::figures::scored::{Counts, ScoredDimension, ScoredEdition, ScoredUnit};

/// Everything that changed between two editions.
#[derive(Debug, Clone, Serialize, Default)]
pub struct EditionDiff {
    /// Label of the old side (e.g. `data/2008` or `HEAD~1`).
    pub old: String,
    /// Label of the new side.
    pub new: String,
    /// Per unit, in the new edition's order; only units with changes.
    pub units: Vec<UnitDiff>,
    /// Names of units only in the new edition.
    pub added_units: Vec<String>,
    /// Names of units only in the old edition.
    pub removed_units: Vec<String>,
    /// Units whose overall position improved, by the trend rule.
    pub improved: Vec<String>,
    /// Units whose overall position fell back, by the trend rule.
    pub fell_back: Vec<String>,
    /// Units whose overall verdict moved because of the method alone: the
    /// old method gives their new points their old verdict. They are not
    /// in `improved` or `fell_back`.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub moved_by_method: Vec<String>,
    /// Headline figures that changed.
    pub figures: Vec<FigureChange>,
    /// Changes of the method: thresholds, weights, dimensions, indicators
    /// and their maximum points.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub method: Vec<crate::figures::method::MethodChange>,
    /// Other fields that changed (the git diff driver on `edition.yaml`,
    /// `recommendations.yaml` and `letter.yaml`).
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub fields: Vec<FieldChange>,
}

impl EditionDiff {
    /// Whether nothing changed.
    pub fn is_empty(&self) -> bool {
        self.units.is_empty()
            && self.added_units.is_empty()
            && self.removed_units.is_empty()
            && self.figures.is_empty()
            && self.fields.is_empty()
            && self.method.is_empty()
    }
}

/// One changed field of a file, by its path (`manager.address[1]`).
#[derive(Debug, Clone, Serialize, PartialEq, Eq)]
pub struct FieldChange {
    /// The field's path.
    pub field: String,
    /// The old value (`none` when absent), as compact JSON for collections.
    pub old: String,
    /// The new value.
    pub new: String,
    /// For a changed text of some length, its words: what was kept,
    /// removed and added (see [`words`]); empty otherwise.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub words: Vec<WordChange>,
}

impl FieldChange {
    /// A change of `field` from `old` to `new`, with its words when both
    /// are texts of more than a few words.
    pub fn new(field: String, old: String, new: String) -> FieldChange {
        let long = |t: &str| t.split_whitespace().nth(5).is_some();
        let words = if long(&old) && long(&new) {
            words(&old, &new)
        } else {
            Vec::new()
        };
        FieldChange {
            field,
            old,
            new,
            words,
        }
    }
}

fn value_text(v: Option<&serde_json::Value>) -> String {
    match v {
        None | Some(serde_json::Value::Null) => "none".into(),
        Some(serde_json::Value::String(s)) => s.clone(),
        Some(other) => other.to_string(),
    }
}

/// Every field that differs between two data values (as serialised by the
/// model), by path: mappings key by key, sequences item by item, down to
/// the scalars. Fields for which `skip(path)` holds are left out (with all
/// below them). Complete: two values with no field change are equal.
pub fn fields<T: Serialize>(old: &T, new: &T, skip: &dyn Fn(&str) -> bool) -> Vec<FieldChange> {
    let (Ok(o), Ok(n)) = (serde_json::to_value(old), serde_json::to_value(new)) else {
        return vec![FieldChange::new(String::new(), "?".into(), "?".into())];
    };
    let mut out = Vec::new();
    walk_fields(String::new(), Some(&o), Some(&n), skip, &mut out);
    out
}

/// The key that names the items of two lists: the first of `id`,
/// `short` (an abbreviation) and `unit` that every item of both lists
/// has as a string, unique within each list; `None` otherwise.
fn item_key(a: &[serde_json::Value], b: &[serde_json::Value]) -> Option<&'static str> {
    ["id", "short", "unit"].into_iter().find(|key| {
        [a, b].iter().all(|xs| {
            let names: Vec<&str> = xs
                .iter()
                .filter_map(|v| v.get(key).and_then(serde_json::Value::as_str))
                .collect();
            let mut unique = names.clone();
            unique.sort_unstable();
            unique.dedup();
            names.len() == xs.len() && unique.len() == names.len()
        }) && !(a.is_empty() && b.is_empty())
    })
}

fn walk_fields(
    path: String,
    o: Option<&serde_json::Value>,
    n: Option<&serde_json::Value>,
    skip: &dyn Fn(&str) -> bool,
    out: &mut Vec<FieldChange>,
) {
    use serde_json::Value;
    if !path.is_empty() && skip(&path) {
        return;
    }
    if o == n {
        return;
    }
    let join = |k: &str| {
        if path.is_empty() {
            k.to_string()
        } else {
            format!("{path}.{k}")
        }
    };
    match (o, n) {
        (Some(Value::Object(a)), Some(Value::Object(b))) => {
            let mut keys: Vec<&String> = b.keys().collect();
            keys.extend(a.keys().filter(|k| !b.contains_key(*k)));
            for k in keys {
                walk_fields(join(k), a.get(k), b.get(k), skip, out);
            }
        }
        (Some(Value::Array(a)), Some(Value::Array(b))) => {
            if let Some(key) = item_key(a, b) {
                // Items named by their key (`dimensions[toezicht]`),
                // matched across the sides however they moved.
                let name = |v: &Value| v.get(key).and_then(Value::as_str).unwrap_or("").to_string();
                let mut names: Vec<String> = b.iter().map(name).collect();
                let gone: Vec<String> = a.iter().map(name).filter(|k| !names.contains(k)).collect();
                names.extend(gone);
                for k in names {
                    let (o, n) = (
                        a.iter().find(|v| name(v) == k),
                        b.iter().find(|v| name(v) == k),
                    );
                    walk_fields(format!("{path}[{k}]"), o, n, skip, out);
                }
            } else if a.iter().chain(b).all(Value::is_string) {
                // A list of words (units, keywords, address lines): shown
                // whole, never item by item by position.
                let list = |xs: &Vec<Value>| {
                    xs.iter()
                        .filter_map(Value::as_str)
                        .collect::<Vec<_>>()
                        .join(", ")
                };
                out.push(FieldChange::new(path, list(a), list(b)));
            } else {
                for i in 0..a.len().max(b.len()) {
                    walk_fields(format!("{path}[{}]", i + 1), a.get(i), b.get(i), skip, out);
                }
            }
        }
        _ => {
            // The model leaves out flags that are false, and nothing else
            // that is a flag: an absent flag reads as false.
            let flag = |x: Option<&Value>, other: Option<&Value>| match (x, other) {
                (None, Some(Value::Bool(_))) => "false".to_string(),
                _ => value_text(x),
            };
            out.push(FieldChange::new(path, flag(o, n), flag(n, o)))
        }
    }
}

/// A headline figure the diff compares.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Figure {
    /// Units in the headline groups (`groups`: their names, joined).
    Units {
        /// The headline groups' names, joined.
        groups: String,
    },
    /// Headline units with one overall verdict.
    Verdict {
        /// The verdict counted.
        verdict: Verdict,
        /// The headline groups' names, joined.
        groups: String,
    },
    /// Headline units not conform norm.
    NotConform {
        /// The headline groups' names, joined.
        groups: String,
    },
    /// Headline units with one verdict on a dimension.
    DimensionVerdict {
        /// The dimension's Dutch name.
        dimension: String,
        /// The verdict counted.
        verdict: Verdict,
    },
    /// All units not conform norm.
    NotConformAll,
    /// Suspects identified, nationally.
    Suspects,
    /// Case files delivered to the Openbaar Ministerie, nationally.
    CaseFiles,
    /// Victims reported, nationally.
    Victims,
}

impl Figure {
    /// The label for people reading a diff: "units (regiokorpsen)",
    /// "conform norm (regiokorpsen)", "Opsporing: aandacht".
    pub fn label(&self) -> String {
        match self {
            Figure::Units { groups } => format!("units ({groups})"),
            Figure::Verdict { verdict, groups } => format!("{} ({groups})", verdict.label()),
            Figure::NotConform { groups } => format!("not conform norm ({groups})"),
            Figure::DimensionVerdict { dimension, verdict } => {
                format!("{dimension}: {}", verdict.label())
            }
            Figure::NotConformAll => "not conform norm (all units)".into(),
            Figure::Suspects => "suspects identified".into(),
            Figure::CaseFiles => "case files delivered to the OM".into(),
            Figure::Victims => "victims reported".into(),
        }
    }

    /// The label in Dutch, for the report's changes annex.
    pub fn dutch_label(&self) -> String {
        match self {
            Figure::Units { groups } => format!("eenheden ({groups})"),
            Figure::NotConform { groups } => format!("niet conform norm ({groups})"),
            Figure::NotConformAll => "niet conform norm (alle eenheden)".into(),
            Figure::Suspects => "verdachten in beeld".into(),
            Figure::CaseFiles => "zaken aangeleverd bij het OM".into(),
            Figure::Victims => "gemelde slachtoffers".into(),
            // Verdicts and dimension names are Dutch already.
            Figure::Verdict { .. } | Figure::DimensionVerdict { .. } => self.label(),
        }
    }
}

/// A figure serialises as its label.
fn figure_label<S: serde::Serializer>(f: &Figure, s: S) -> Result<S::Ok, S::Error> {
    s.serialize_str(&f.label())
}

/// One changed figure.
#[derive(Debug, Clone, Serialize, PartialEq, Eq)]
pub struct FigureChange {
    /// What it counts, written as its label, e.g. "conform norm
    /// (regiokorpsen)".
    #[serde(rename = "label", serialize_with = "figure_label")]
    pub figure: Figure,
    /// Old value.
    pub old: u64,
    /// New value.
    pub new: u64,
}

/// A verdict with its score, as shown in a diff.
#[derive(Debug, Clone, Serialize, PartialEq, Eq)]
pub struct Rated {
    /// The verdict (`n.v.t.` when none).
    pub verdict: String,
    /// The score ("61,5%"), when there is one.
    pub score: Option<String>,
}

/// What changed in one unit.
#[derive(Debug, Clone, Serialize, Default)]
pub struct UnitDiff {
    /// Unit id.
    pub id: String,
    /// Unit name.
    pub name: String,
    /// The overall verdict, when it changed.
    pub verdict: Option<(Rated, Rated)>,
    /// Per dimension.
    pub dimensions: Vec<DimensionDiff>,
    /// The manual overall verdict, when added, removed or changed.
    pub manual: Option<(Option<String>, Option<String>)>,
    /// When the overall verdict changed and the old method would have
    /// given the new points another verdict than the new method: that
    /// verdict. Equal to the old verdict, the change is the method's alone.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub old_method_verdict: Option<String>,
    /// The overall verdict is the same and only its score moved, with the
    /// points unchanged: the method's doing (a weight, a maximum).
    #[serde(skip_serializing_if = "std::ops::Not::not")]
    pub score_moved_by_method: bool,
    /// Recommendations only in the new side.
    pub recommendations_added: Vec<String>,
    /// Recommendations only in the old side.
    pub recommendations_removed: Vec<String>,
    /// Every other changed field of the unit file (name, manager, key
    /// figures, partners, justifications ...), by path.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub fields: Vec<FieldChange>,
}

impl UnitDiff {
    /// Whether nothing changed.
    pub fn is_empty(&self) -> bool {
        self.verdict.is_none()
            && self.dimensions.is_empty()
            && self.manual.is_none()
            && self.recommendations_added.is_empty()
            && self.recommendations_removed.is_empty()
            && self.fields.is_empty()
    }
}

/// What changed in one dimension of one unit.
#[derive(Debug, Clone, Serialize, Default)]
pub struct DimensionDiff {
    /// Dimension id.
    pub id: String,
    /// The verdict (with score), when it or the score changed.
    pub verdict: Option<(Rated, Rated)>,
    /// Changed points: (indicator, old, new).
    pub points: Vec<(String, String, String)>,
    /// The findings' word-level diff, when they changed.
    pub findings: Vec<WordChange>,
    /// The manual verdict, when added, removed or changed.
    pub manual: Option<(Option<String>, Option<String>)>,
    /// The dimension exists on one side only.
    pub only_in: Option<Side>,
    /// When the verdict changed and the old method would have given the
    /// new points another verdict than the new method: that verdict
    /// (`n.v.t.` for none).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub old_method_verdict: Option<String>,
}

/// One side of a comparison.
#[derive(Debug, Clone, Copy, Serialize, PartialEq, Eq)]
#[serde(rename_all = "lowercase")]
pub enum Side {
    /// The old edition (or revision).
    Old,
    /// The new edition (or the working tree).
    New,
}

impl Side {
    /// "old" or "new".
    pub fn word(self) -> &'static str {
        match self {
            Side::Old => "old",
            Side::New => "new",
        }
    }
}

/// What happened to a run of words.
#[derive(Debug, Clone, Copy, Serialize, PartialEq, Eq)]
#[serde(rename_all = "lowercase")]
pub enum WordKind {
    /// In both texts.
    Same,
    /// Only in the old text.
    Removed,
    /// Only in the new text.
    Added,
}

/// A run of words: kept, removed or added.
#[derive(Debug, Clone, Serialize, PartialEq, Eq)]
pub struct WordChange {
    /// `same`, `removed` or `added`.
    pub kind: WordKind,
    /// The words, with their spacing.
    pub text: String,
}

/// Whether a verdict really changed: a different verdict, or a different
/// score where both sides have one (a verdicts-only edition has none).
fn changed(o: &Rated, n: &Rated) -> bool {
    o.verdict != n.verdict || (o.score.is_some() && n.score.is_some() && o.score != n.score)
}

fn rated(v: Option<Verdict>, score: Option<crate::data::values::Percent>) -> Rated {
    Rated {
        verdict: v.map(Verdict::label).unwrap_or("n.v.t.").to_string(),
        score: score.map(|s| dutch::percent_tenths(s.tenths)),
    }
}

fn points_text(p: Option<&Points>) -> String {
    match p {
        Some(Points::Awarded(n)) => n.to_string(),
        Some(Points::NotApplicable) => "nvt".into(),
        None => "-".into(),
    }
}

/// The word-level diff of two texts (empty when equal).
pub fn words(old: &str, new: &str) -> Vec<WordChange> {
    if old == new {
        return Vec::new();
    }
    let diff = TextDiff::from_words(old, new);
    // Most of the words changed: the text was rewritten, and is shown as
    // the old text replaced by the new, not as interleaved words.
    let (mut kept, mut all) = (0usize, 0usize);
    for change in diff.iter_all_changes() {
        if change.value().trim().is_empty() {
            continue;
        }
        all += 1;
        if change.tag() == ChangeTag::Equal {
            kept += 2;
            all += 1;
        }
    }
    if kept * 2 < all {
        return vec![
            WordChange {
                kind: WordKind::Removed,
                text: old.to_string(),
            },
            WordChange {
                kind: WordKind::Same,
                text: " ".into(),
            },
            WordChange {
                kind: WordKind::Added,
                text: new.to_string(),
            },
        ];
    }
    let mut out: Vec<WordChange> = Vec::new();
    for change in diff.iter_all_changes() {
        let kind = match change.tag() {
            ChangeTag::Equal => WordKind::Same,
            ChangeTag::Delete => WordKind::Removed,
            ChangeTag::Insert => WordKind::Added,
        };
        match out.last_mut() {
            Some(last) if last.kind == kind => last.text.push_str(change.value()),
            _ => out.push(WordChange {
                kind,
                text: change.value().to_string(),
            }),
        }
    }
    out
}

/// The strings only in `new`, and those only in `old`.
fn added_removed(old: &[String], new: &[String]) -> (Vec<String>, Vec<String>) {
    let only = |a: &[String], b: &[String]| a.iter().filter(|x| !b.contains(x)).cloned().collect();
    (only(new, old), only(old, new))
}

/// Points, findings and manual verdict of one dimension in two unit files.
/// Across editions (`across`), points and findings are compared only where
/// both sides have them.
fn dimension_data(o: &UnitDimension, n: &UnitDimension, across: bool, d: &mut DimensionDiff) {
    if !across || (!o.points.is_empty() && !n.points.is_empty()) {
        let mut ids: Vec<&str> = n.points.iter().map(|(k, _)| k).collect();
        for (k, _) in o.points.iter() {
            if !ids.contains(&k) {
                ids.push(k);
            }
        }
        for id in ids {
            let (a, b) = (o.points.get(id), n.points.get(id));
            if a != b {
                d.points
                    .push((id.to_string(), points_text(a), points_text(b)));
            }
        }
    }
    if !across || (!o.findings.is_empty() && !n.findings.is_empty()) {
        d.findings = words(&o.findings, &n.findings);
    }
    let (om, nm) = (
        manual_label(o.manual_verdict.as_ref()),
        manual_label(n.manual_verdict.as_ref()),
    );
    if om != nm {
        d.manual = Some((om, nm));
    }
}

impl DimensionDiff {
    fn is_empty(&self) -> bool {
        self.only_in.is_none()
            && self.verdict.is_none()
            && self.points.is_empty()
            && self.findings.is_empty()
            && self.manual.is_none()
    }
}

fn manual_label(m: Option<&crate::data::model::ManualVerdict>) -> Option<String> {
    m.map(|m| m.verdict.label().to_string())
}

/// Compares two scored editions.
pub fn diff(old_s: &ScoredEdition, new_s: &ScoredEdition, labels: (&str, &str)) -> EditionDiff {
    let mut out = EditionDiff {
        old: labels.0.to_string(),
        new: labels.1.to_string(),
        ..EditionDiff::default()
    };
    out.method = crate::figures::method::changes(old_s.edition_file(), new_s.edition_file());
    // The verdicts the old method would give the new points.
    let under_old = if out.method.is_empty() {
        None
    } else {
        crate::figures::method::verdicts_under(new_s.source(), old_s.edition_file())
    };
    // Where each new dimension is among the old edition's, by position.
    let old_dims = DimensionPositions::of(old_s);
    for nu in &new_s.units {
        let Some(ou) = old_s.unit(&nu.id) else {
            out.added_units.push(nu.name.clone());
            continue;
        };
        let files = (&old_s.file(ou).value, &new_s.file(nu).value);
        let mut u = unit_diff(ou, nu, files, &old_dims);
        if let Some((overall, dims)) = under_old.as_ref().and_then(|m| m.get(&nu.id)) {
            mark_method_verdicts(&mut u, nu, *overall, dims);
        }
        if !out.method.is_empty()
            && let Some((o, n)) = &u.verdict
            && o.verdict == n.verdict
            && u.dimensions.iter().all(|d| d.points.is_empty())
        {
            u.score_moved_by_method = true;
        }
        let by_method = u
            .old_method_verdict
            .as_ref()
            .is_some_and(|v| *v == ou.verdict.label());
        match crate::data::values::step(nu.verdict, ou.verdict) {
            _ if by_method => out.moved_by_method.push(nu.name.clone()),
            Trend::Better => out.improved.push(nu.name.clone()),
            Trend::Worse => out.fell_back.push(nu.name.clone()),
            _ => {}
        }
        if !u.is_empty() {
            out.units.push(u);
        }
    }
    out.removed_units = old_s
        .units
        .iter()
        .filter(|u| new_s.position(&u.id).is_none())
        .map(|u| u.name.clone())
        .collect();
    out.figures = figures(old_s, new_s);
    out
}

/// Notes, on each verdict of `u` that changed, the verdict the old method
/// would give the new points (`overall`, `dims`) where it differs from the
/// new method's.
fn mark_method_verdicts(
    u: &mut UnitDiff,
    nu: &ScoredUnit,
    overall: Verdict,
    dims: &HashMap<String, Option<Verdict>>,
) {
    if u.verdict.is_some() && overall != nu.verdict {
        u.old_method_verdict = Some(overall.label().to_string());
    }
    for dd in u.dimensions.iter_mut().filter(|dd| dd.verdict.is_some()) {
        let now = nu
            .dimensions
            .iter()
            .find(|d| d.id == dd.id)
            .and_then(|d| d.verdict);
        if let Some(old) = dims.get(&dd.id)
            && *old != now
        {
            dd.old_method_verdict = Some(old.map_or("n.v.t.", Verdict::label).to_string());
        }
    }
}

/// Adds to `d` every other field that changed between two revisions of one
/// edition: per unit file the fields the semantic diff does not show (as
/// the git diff driver does), and every changed field of `edition.yaml`,
/// `recommendations.yaml` and `letter.yaml` (prefixed by the file name).
/// Used by `diff --rev` and by a diff of two copies of one year, where
/// nothing may change unseen.
pub fn add_fields(d: &mut EditionDiff, old_s: &ScoredEdition, new_s: &ScoredEdition) {
    let (old, new) = (old_s.source(), new_s.source());
    let mut listed: HashMap<String, usize> = d
        .units
        .iter()
        .enumerate()
        .map(|(i, u)| (u.id.clone(), i))
        .collect();
    // Unit files in file order, as the git diff driver lists them.
    for nu in &new.units {
        let Some(ou) = old_s.unit(&nu.value.id).map(|u| old_s.file(u)) else {
            continue;
        };
        let f = unit_files(&ou.value, &nu.value).fields;
        if f.is_empty() {
            continue;
        }
        match listed.get(&nu.value.id) {
            Some(&i) => d.units[i].fields = f,
            None => {
                listed.insert(nu.value.id.clone(), d.units.len());
                d.units.push(UnitDiff {
                    id: nu.value.id.clone(),
                    name: nu.value.name.clone(),
                    fields: f,
                    ..UnitDiff::default()
                });
            }
        }
    }
    let never = |_: &str| false;
    fn prefixed(file: &str, changes: Vec<FieldChange>) -> Vec<FieldChange> {
        changes
            .into_iter()
            .map(|mut c| {
                c.field = format!("{file}: {}", c.field);
                c
            })
            .collect()
    }
    // The method's fields are listed once, as its changes (`d.method`).
    let method = |p: &str| crate::figures::method::is_method_field(p);
    d.fields.extend(prefixed(
        "edition.yaml",
        fields(&old.edition.value, &new.edition.value, &method),
    ));
    let (orec, nrec) = (
        old.recommendations.as_ref().map(|r| &r.value),
        new.recommendations.as_ref().map(|r| &r.value),
    );
    d.fields.extend(prefixed(
        "recommendations.yaml",
        fields(&orec, &nrec, &never),
    ));
    let (olet, nlet) = (
        old.letter.as_ref().map(|r| &r.value),
        new.letter.as_ref().map(|r| &r.value),
    );
    d.fields
        .extend(prefixed("letter.yaml", fields(&olet, &nlet, &never)));
    d.fields.extend(chapter_changes(old, new));
}

/// The changed passages of the free chapters' text files, by chapter id:
/// per changed run of lines, its first line number on the new side and the
/// old and new lines (`none` for a chapter or passage only on one side).
fn chapter_changes(old: &LoadedEdition, new: &LoadedEdition) -> Vec<FieldChange> {
    let mut ids: Vec<&str> = new.chapters.iter().map(|c| c.id.as_str()).collect();
    for c in &old.chapters {
        if !ids.contains(&c.id.as_str()) {
            ids.push(&c.id);
        }
    }
    let text = |e: &LoadedEdition, id: &str| {
        e.chapters
            .iter()
            .find(|c| c.id == id)
            .map(|c| c.text.clone())
    };
    let mut out = Vec::new();
    for id in ids {
        let (o, n) = (text(old, id), text(new, id));
        let (Some(o), Some(n)) = (&o, &n) else {
            out.push(FieldChange::new(
                format!("chapter {id}"),
                o.as_deref().map_or("none".into(), |_| "present".into()),
                n.as_deref().map_or("none".into(), |_| "present".into()),
            ));
            continue;
        };
        if o == n {
            continue;
        }
        let lines = TextDiff::from_lines(o.as_str(), n.as_str());
        for group in lines.grouped_ops(0) {
            let (mut removed, mut added) = (String::new(), String::new());
            let mut first = None;
            for op in &group {
                for change in lines.iter_changes(op) {
                    let line = change.value().trim_end_matches('\n');
                    match change.tag() {
                        ChangeTag::Delete => push_line(&mut removed, line),
                        ChangeTag::Insert => push_line(&mut added, line),
                        ChangeTag::Equal => {}
                    }
                }
                first = first.or(Some(op.new_range().start + 1));
            }
            let none = |s: String| if s.is_empty() { "none".into() } else { s };
            // A chapter's passage is prose: by word whenever it was edited.
            let mut change = FieldChange::new(
                format!("chapter {id}, line {}", first.unwrap_or(1)),
                none(removed),
                none(added),
            );
            if change.words.is_empty() && change.old != "none" && change.new != "none" {
                change.words = words(&change.old, &change.new);
            }
            out.push(change);
        }
    }
    out
}

fn push_line(to: &mut String, line: &str) {
    if !to.is_empty() {
        to.push_str(" / ");
    }
    to.push_str(line);
}

/// The position of each dimension id among an edition's dimensions, the
/// order in which every unit of it has them scored.
struct DimensionPositions(HashMap<String, usize>);

impl DimensionPositions {
    fn of(scored: &ScoredEdition) -> DimensionPositions {
        DimensionPositions(
            scored
                .dimensions
                .iter()
                .enumerate()
                .map(|(i, d)| (d.id.clone(), i))
                .collect(),
        )
    }

    /// The dimension `id` of `unit`, a unit of this edition.
    fn find<'a>(&self, unit: &'a ScoredUnit, id: &str) -> Option<&'a ScoredDimension> {
        self.0.get(id).and_then(|&i| unit.dimensions.get(i))
    }
}

fn unit_diff(
    ou: &ScoredUnit,
    nu: &ScoredUnit,
    files: (&UnitFile, &UnitFile),
    old_dims: &DimensionPositions,
) -> UnitDiff {
    let (of, nf) = (Some(files.0), Some(files.1));
    let mut u = UnitDiff {
        id: nu.id.clone(),
        name: nu.name.clone(),
        ..UnitDiff::default()
    };
    let (o, n) = (
        rated(Some(ou.verdict), ou.score),
        rated(Some(nu.verdict), nu.score),
    );
    if changed(&o, &n) {
        u.verdict = Some((o, n));
    }
    let (om, nm) = (
        manual_label(of.and_then(|f| f.manual_verdict.as_ref())),
        manual_label(nf.and_then(|f| f.manual_verdict.as_ref())),
    );
    if om != nm {
        u.manual = Some((om, nm));
    }
    for nd in &nu.dimensions {
        let mut d = DimensionDiff {
            id: nd.id.clone(),
            ..DimensionDiff::default()
        };
        let Some(od) = old_dims.find(ou, &nd.id) else {
            d.only_in = Some(Side::New);
            u.dimensions.push(d);
            continue;
        };
        let (o, n) = (rated(od.verdict, od.score), rated(nd.verdict, nd.score));
        if changed(&o, &n) {
            d.verdict = Some((o, n));
        }
        let odata = of.and_then(|f| f.dimensions.get(&nd.id));
        let ndata = nf.and_then(|f| f.dimensions.get(&nd.id));
        if let (Some(odata), Some(ndata)) = (odata, ndata) {
            dimension_data(odata, ndata, true, &mut d);
        }
        if !d.is_empty() {
            u.dimensions.push(d);
        }
    }
    let new_ids: HashSet<&str> = nu.dimensions.iter().map(|d| d.id.as_str()).collect();
    for od in &ou.dimensions {
        if !new_ids.contains(od.id.as_str()) {
            u.dimensions.push(DimensionDiff {
                id: od.id.clone(),
                only_in: Some(Side::Old),
                ..DimensionDiff::default()
            });
        }
    }
    // Across editions, a unit's recommendations are compared only when the
    // old edition had any for it (historical editions often have none).
    if let (Some(of), Some(nf)) = (of, nf)
        && !of.recommendations.is_empty()
    {
        (u.recommendations_added, u.recommendations_removed) =
            added_removed(&of.recommendations, &nf.recommendations);
    }
    u
}

fn figures(old: &ScoredEdition, new: &ScoredEdition) -> Vec<FigureChange> {
    let mut out = Vec::new();
    let mut push = |figure: Figure, o: u64, n: u64| {
        if o != n {
            out.push(FigureChange {
                figure,
                old: o,
                new: n,
            });
        }
    };
    let groups = new.headline_group_names();
    let (oh, nh): (&Counts, &Counts) = (&old.figures.headline, &new.figures.headline);
    push(
        Figure::Units {
            groups: groups.clone(),
        },
        oh.units.into(),
        nh.units.into(),
    );
    for verdict in Verdict::ALL {
        push(
            Figure::Verdict {
                verdict,
                groups: groups.clone(),
            },
            oh.overall.get(verdict).into(),
            nh.overall.get(verdict).into(),
        );
    }
    push(
        Figure::NotConform { groups },
        (oh.overall.aandacht + oh.overall.onvoldoende).into(),
        (nh.overall.aandacht + nh.overall.onvoldoende).into(),
    );
    for d in &new.dimensions {
        if let (Some(o), Some(n)) = (oh.dimension(&d.id), nh.dimension(&d.id)) {
            for verdict in Verdict::ALL {
                push(
                    Figure::DimensionVerdict {
                        dimension: d.name.clone(),
                        verdict,
                    },
                    o.get(verdict).into(),
                    n.get(verdict).into(),
                );
            }
        }
    }
    push(
        Figure::NotConformAll,
        old.figures.not_conform.len() as u64,
        new.figures.not_conform.len() as u64,
    );
    let (ot, nt) = (old.figures.totals, new.figures.totals);
    push(Figure::Suspects, ot.suspects, nt.suspects);
    push(Figure::CaseFiles, ot.case_files, nt.case_files);
    push(Figure::Victims, ot.victims, nt.victims);
    out
}

/// How a diff is printed.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Style {
    /// Plain text.
    Plain,
    /// Text with ANSI colours.
    Colour,
    /// Markdown for a review.
    Markdown,
}

/// Data as it may reach a terminal (see [`crate::base::term::clean`]).
fn c(text: &str) -> std::borrow::Cow<'_, str> {
    crate::base::term::clean(text)
}

/// The sentences of a word diff that hold a change, with `…` for the
/// unchanged ones between them: a long text is shown "within sentences",
/// its unchanged sentences once, as `…`. A text of a few sentences is
/// returned whole.
pub fn changed_sentences(changes: &[WordChange]) -> Vec<WordChange> {
    // Split the runs at sentence ends inside unchanged text.
    let mut sentences: Vec<Vec<WordChange>> = vec![Vec::new()];
    for w in changes {
        if w.kind != WordKind::Same {
            sentences.last_mut().unwrap().push(w.clone());
            continue;
        }
        let mut rest = w.text.as_str();
        // A change that ended its sentence ("{+beter.+}"): what follows
        // begins the next one.
        let ended = sentences
            .last()
            .and_then(|s| s.last())
            .is_some_and(|l| l.kind != WordKind::Same && l.text.trim_end().ends_with('.'));
        if ended && rest.starts_with(char::is_whitespace) {
            sentences.push(Vec::new());
        }
        while let Some(i) = rest.find(". ").or_else(|| rest.find(".\n")) {
            let (head, tail) = rest.split_at(i + 2);
            sentences.last_mut().unwrap().push(WordChange {
                kind: WordKind::Same,
                text: head.to_string(),
            });
            sentences.push(Vec::new());
            rest = tail;
        }
        if !rest.is_empty() {
            sentences.last_mut().unwrap().push(WordChange {
                kind: WordKind::Same,
                text: rest.to_string(),
            });
        }
    }
    sentences.retain(|s| !s.is_empty());
    if sentences.len() <= 3 {
        return changes.to_vec();
    }
    let mut out = Vec::new();
    let mut skipped = false;
    for s in sentences {
        if s.iter().any(|w| w.kind != WordKind::Same) {
            if skipped {
                out.push(WordChange {
                    kind: WordKind::Same,
                    text: "… ".into(),
                });
            }
            out.extend(s);
            skipped = false;
        } else {
            skipped = true;
        }
    }
    if skipped {
        out.push(WordChange {
            kind: WordKind::Same,
            text: " …".into(),
        });
    }
    out
}

/// A word diff as text: the changed sentences ([`changed_sentences`]),
/// removed words as `[-...-]` and added as `{+...+}` (red and green in
/// colour, struck through and bold in Markdown).
pub fn words_text(changes: &[WordChange], style: Style) -> String {
    changed_sentences(changes)
        .iter()
        .map(|w| {
            let text = c(&w.text);
            let space = if text.ends_with(' ') { " " } else { "" };
            match (w.kind, style) {
                (WordKind::Same, _) => text.into_owned(),
                (WordKind::Removed, Style::Colour) => format!("\x1b[31m[-{text}-]\x1b[0m"),
                (WordKind::Added, Style::Colour) => format!("\x1b[32m{{+{text}+}}\x1b[0m"),
                (WordKind::Removed, Style::Markdown) => format!("~~{}~~{space}", text.trim()),
                (WordKind::Added, Style::Markdown) => format!("**{}**{space}", text.trim()),
                (WordKind::Removed, Style::Plain) => format!("[-{text}-]"),
                (WordKind::Added, Style::Plain) => format!("{{+{text}+}}"),
            }
        })
        .collect()
}

/// Whose a verdict's change is, given the verdict `v` the old method
/// would give the new points and the old verdict `o`.
fn method_whose(v: &str, o: &Rated) -> &'static str {
    if v == o.verdict {
        "the change is the method's, not the points'"
    } else {
        "the method changed it too"
    }
}

fn rated_text(r: &Rated) -> String {
    match &r.score {
        Some(s) => format!("{} ({})", c(&r.verdict), c(s)),
        None => c(&r.verdict).into_owned(),
    }
}

fn opt(v: &Option<String>) -> std::borrow::Cow<'_, str> {
    c(v.as_deref().unwrap_or("none"))
}

/// Renders a diff for people.
pub fn render(d: &EditionDiff, style: Style) -> String {
    let md = style == Style::Markdown;
    let mut out = String::new();
    if d.is_empty() {
        out.push_str("no semantic changes\n");
        return out;
    }
    if md {
        out.push_str(&format!(
            "## Changes from `{}` to `{}`\n\n",
            c(&d.old),
            c(&d.new)
        ));
    } else {
        out.push_str(&format!("Changes from {} to {}\n\n", c(&d.old), c(&d.new)));
    }
    let bullet = if md { "- " } else { "  " };
    if !d.method.is_empty() {
        out.push_str(if md { "### Method\n\n" } else { "Method\n" });
        for m in &d.method {
            out.push_str(&format!(
                "{bullet}{}: {} -> {}\n",
                c(&m.what),
                c(&m.old),
                c(&m.new)
            ));
        }
        out.push('\n');
    }
    for u in &d.units {
        unit_lines(u, md, bullet, style, &mut out);
    }
    if !d.fields.is_empty() {
        out.push_str(if md { "### Fields\n\n" } else { "Fields\n" });
        field_lines(&d.fields, bullet, style, &mut out);
        out.push('\n');
    }
    summary_lines(d, md, bullet, &mut out);
    out
}

/// The lines of one unit in [`render`]: its name as a heading, then a
/// line (after `bullet`) per change.
fn unit_lines(u: &UnitDiff, md: bool, bullet: &str, style: Style, out: &mut String) {
    if md {
        out.push_str(&format!("### {}\n\n", c(&u.name)));
    } else {
        out.push_str(&format!("{}\n", c(&u.name)));
    }
    if let Some((o, n)) = &u.verdict {
        out.push_str(&format!(
            "{bullet}verdict: {} -> {}\n",
            rated_text(o),
            rated_text(n)
        ));
        if let Some(v) = &u.old_method_verdict {
            out.push_str(&format!(
                "{bullet}  the old method would give these points: {v} ({})\n",
                method_whose(v, o)
            ));
        }
        if u.score_moved_by_method {
            out.push_str(&format!(
                "{bullet}  the score moved with the method; the points are the same\n"
            ));
        }
    }
    if let Some((o, n)) = &u.manual {
        out.push_str(&format!(
            "{bullet}manual verdict: {} -> {}\n",
            opt(o),
            opt(n)
        ));
    }
    for dd in &u.dimensions {
        dimension_lines(dd, bullet, style, out);
    }
    for r in &u.recommendations_added {
        out.push_str(&format!("{bullet}recommendation added: {}\n", c(r)));
    }
    for r in &u.recommendations_removed {
        out.push_str(&format!("{bullet}recommendation removed: {}\n", c(r)));
    }
    field_lines(&u.fields, bullet, style, out);
    out.push('\n');
}

/// The lines of one dimension of a unit in [`render`], each after `bullet`.
fn dimension_lines(dd: &DimensionDiff, bullet: &str, style: Style, out: &mut String) {
    if let Some(side) = dd.only_in {
        out.push_str(&format!(
            "{bullet}{}: only in the {} edition\n",
            c(&dd.id),
            side.word()
        ));
        return;
    }
    if let Some((o, n)) = &dd.verdict {
        out.push_str(&format!(
            "{bullet}{}: {} -> {}\n",
            c(&dd.id),
            rated_text(o),
            rated_text(n)
        ));
        if let Some(v) = &dd.old_method_verdict {
            out.push_str(&format!(
                "{bullet}  the old method would give these points: {v} ({})\n",
                method_whose(v, o)
            ));
        }
    }
    for (ind, o, n) in &dd.points {
        out.push_str(&format!(
            "{bullet}points {}.{}: {} -> {}\n",
            c(&dd.id),
            c(ind),
            c(o),
            c(n)
        ));
    }
    if let Some((o, n)) = &dd.manual {
        out.push_str(&format!(
            "{bullet}manual verdict on {}: {} -> {}\n",
            c(&dd.id),
            opt(o),
            opt(n)
        ));
    }
    if !dd.findings.is_empty() {
        out.push_str(&format!(
            "{bullet}findings {}: {}\n",
            c(&dd.id),
            words_text(&dd.findings, style).trim_end()
        ));
    }
}

/// The end of [`render`]: the units new, gone, improved and fallen back,
/// and the headline figures that changed.
fn summary_lines(d: &EditionDiff, md: bool, bullet: &str, out: &mut String) {
    let list = |title: &str, names: &[String], out: &mut String| {
        if !names.is_empty() {
            let names: Vec<_> = names.iter().map(|n| c(n)).collect();
            out.push_str(&format!("{title}: {}\n", names.join(", ")));
        }
    };
    list("New units", &d.added_units, out);
    list("Units no longer assessed", &d.removed_units, out);
    list("Improved", &d.improved, out);
    list("Fell back", &d.fell_back, out);
    list(
        "Another verdict because of the method alone",
        &d.moved_by_method,
        out,
    );
    if !d.figures.is_empty() {
        out.push_str(if md {
            "\n### Headline figures\n\n"
        } else {
            "\nHeadline figures\n"
        });
        for f in &d.figures {
            out.push_str(&format!(
                "{bullet}{}: {} -> {}\n",
                c(&f.figure.label()),
                f.old,
                f.new
            ));
        }
    }
}

fn field_lines(fields: &[FieldChange], bullet: &str, style: Style, out: &mut String) {
    for f in fields {
        if f.words.is_empty() {
            out.push_str(&format!(
                "{bullet}{}: {} -> {}\n",
                c(&f.field),
                c(&f.old),
                c(&f.new)
            ));
        } else {
            out.push_str(&format!(
                "{bullet}{}: {}\n",
                c(&f.field),
                words_text(&f.words, style).trim_end()
            ));
        }
    }
}

/// What changed between two versions of one unit file, without the rest of
/// the edition (so without scores): points, findings, manual verdicts and
/// recommendations. Used by the git diff driver.
pub fn unit_files(old: &UnitFile, new: &UnitFile) -> UnitDiff {
    let mut u = UnitDiff {
        id: new.id.clone(),
        name: new.name.clone(),
        ..UnitDiff::default()
    };
    let (om, nm) = (
        manual_label(old.manual_verdict.as_ref()),
        manual_label(new.manual_verdict.as_ref()),
    );
    if om != nm {
        u.manual = Some((om, nm));
    }
    let mut ids: Vec<&str> = new.dimensions.iter().map(|(k, _)| k).collect();
    for (k, _) in old.dimensions.iter() {
        if !ids.contains(&k) {
            ids.push(k);
        }
    }
    for id in ids {
        let mut d = DimensionDiff {
            id: id.to_string(),
            ..DimensionDiff::default()
        };
        match (old.dimensions.get(id), new.dimensions.get(id)) {
            (Some(o), Some(n)) => dimension_data(o, n, false, &mut d),
            (None, Some(_)) => d.only_in = Some(Side::New),
            (Some(_), None) => d.only_in = Some(Side::Old),
            (None, None) => {}
        }
        if !d.is_empty() {
            u.dimensions.push(d);
        }
    }
    (u.recommendations_added, u.recommendations_removed) =
        added_removed(&old.recommendations, &new.recommendations);
    // Every other field, so that no change goes unseen: what is shown above
    // (points, findings, manual verdicts, dimensions on one side,
    // recommendations) is left out.
    let shown = |path: &str| {
        path == "manual_verdict.verdict"
            || path.starts_with("recommendations")
            || path
                .strip_prefix("dimensions.")
                .is_some_and(|rest| match rest.split_once('.') {
                    None => {
                        !(old.dimensions.get(rest).is_some() && new.dimensions.get(rest).is_some())
                    }
                    Some((_, field)) => {
                        field.starts_with("points")
                            || field == "findings"
                            || field == "manual_verdict.verdict"
                    }
                })
    };
    u.fields = fields(old, new, &shown);
    u
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn word_diff_marks_only_the_changed_word() {
        let w = words(
            "Goed toezicht op de branche.",
            "Matig toezicht op de branche.",
        );
        assert_eq!(
            words_text(&w, Style::Plain),
            "[-Goed-]{+Matig+} toezicht op de branche."
        );
        assert!(words("a b", "a b").is_empty());
    }

    #[test]
    fn word_runs_print_in_every_style() {
        let w = words("a b c", "a x c");
        let kinds: Vec<WordKind> = w.iter().map(|r| r.kind).collect();
        assert_eq!(
            kinds,
            [
                WordKind::Same,
                WordKind::Removed,
                WordKind::Added,
                WordKind::Same
            ]
        );
        assert_eq!(words_text(&w, Style::Plain), "a [-b-]{+x+} c");
        assert_eq!(words_text(&w, Style::Markdown), "a ~~b~~**x** c");
        assert_eq!(
            words_text(&w, Style::Colour),
            "a \x1b[31m[-b-]\x1b[0m\x1b[32m{+x+}\x1b[0m c"
        );
    }

    #[test]
    fn figures_have_english_and_dutch_labels() {
        let f = Figure::NotConform {
            groups: "regiokorpsen".into(),
        };
        assert_eq!(f.label(), "not conform norm (regiokorpsen)");
        assert_eq!(f.dutch_label(), "niet conform norm (regiokorpsen)");
        assert_eq!(
            Figure::NotConformAll.dutch_label(),
            "niet conform norm (alle eenheden)"
        );
        // A dimension named like an English label keeps its name.
        let d = Figure::DimensionVerdict {
            dimension: "units (x)".into(),
            verdict: Verdict::Aandacht,
        };
        assert_eq!(d.dutch_label(), "units (x): aandacht");
        let v = Figure::Verdict {
            verdict: Verdict::ConformNorm,
            groups: "korpsen".into(),
        };
        assert_eq!(v.dutch_label(), "conform norm (korpsen)");
    }

    #[test]
    fn the_change_model_serialises_as_before() {
        let change = FigureChange {
            figure: Figure::Victims,
            old: 1,
            new: 2,
        };
        assert_eq!(
            serde_json::to_value(&change).unwrap(),
            serde_json::json!({"label": "victims reported", "old": 1, "new": 2})
        );
        let d = DimensionDiff {
            id: "x".into(),
            only_in: Some(Side::Old),
            findings: words("a", "b"),
            ..DimensionDiff::default()
        };
        let v = serde_json::to_value(&d).unwrap();
        assert_eq!(v["only_in"], "old");
        assert_eq!(v["findings"][0]["kind"], "removed");
        assert_eq!(v["findings"][1]["kind"], "same");
        assert_eq!(v["findings"][2]["kind"], "added");
    }

    #[test]
    fn only_the_changed_sentences_of_a_long_text_are_shown() {
        let old = "Een. Twee is goed. Drie. Vier. Vijf is slecht. Zes.";
        let new = "Een. Twee is beter. Drie. Vier. Vijf is slecht. Zes.";
        let shown: String = changed_sentences(&words(old, new))
            .iter()
            .map(|w| match w.kind {
                WordKind::Same => w.text.clone(),
                WordKind::Removed => format!("[-{}-]", w.text),
                WordKind::Added => format!("{{+{}+}}", w.text),
            })
            .collect();
        assert_eq!(shown, "… Twee is [-goed.-]{+beter.+} …");
    }

    fn scored(name: &str) -> ScoredEdition {
        let dir = std::path::Path::new(env!("CARGO_MANIFEST_DIR"))
            .join("tests/fixtures/valid")
            .join(name);
        crate::figures::score::score(
            crate::data::load::load(&dir)
                .edition
                .expect("the fixture loads"),
        )
    }

    #[test]
    fn editions_are_compared_unit_by_unit() {
        let (old, new) = (scored("mini-prev"), scored("mini"));
        let d = diff(&old, &new, ("oud", "nieuw"));
        assert_eq!(d.added_units, ["Gamma"]);
        assert!(d.removed_units.is_empty());
        assert!(d.units.iter().all(|u| old.unit(&u.id).is_some()));
        // An edition against itself: nothing changed.
        assert!(diff(&new, &new, ("a", "b")).is_empty());
        let mut same = diff(&new, &new, ("a", "b"));
        add_fields(&mut same, &new, &new);
        assert!(same.is_empty());
    }
}
