//! Validation: every check across the files of an edition, all problems
//! collected in one run, each pointing at its file, line, column and field.

use std::collections::HashSet;

use crate::diagnostics::Diagnostic;
use crate::load::{LoadedEdition, Located};
use crate::model::{Assessment, EditionFile, Points, RecommendationsFile, Thresholds, UnitFile};

/// Checks a loaded edition (and its previous edition); returns every problem.
pub fn validate(edition: &LoadedEdition) -> Vec<Diagnostic> {
    let mut out = Vec::new();
    check_printable(&edition.edition, &mut out);
    for unit in &edition.units {
        check_printable(unit, &mut out);
    }
    if let Some(recs) = &edition.recommendations {
        check_printable(recs, &mut out);
    }
    if let Some(letter) = &edition.letter {
        check_printable(letter, &mut out);
    }
    check_edition_file(&edition.edition, &mut out);
    let e = &edition.edition.value;
    let mut ids = HashSet::new();
    // File names equal but for letter case name one file on Windows and
    // macOS: the second unit's letter would overwrite the first's.
    let mut folded: std::collections::HashMap<String, &std::path::Path> =
        std::collections::HashMap::new();
    for unit in &edition.units {
        check_unit(unit, e, &mut out);
        if !ids.insert(unit.value.id.as_str()) {
            out.push(unit.error_at("id", format!("duplicate unit id `{}`", unit.value.id)));
        }
        let stem = unit.path.file_stem().and_then(|s| s.to_str()).unwrap_or("");
        match folded.get(&stem.to_lowercase()) {
            Some(first) if unit.path.as_path() != *first => out.push(
                unit.error_at(
                    "id",
                    format!(
                        "the file name equals {} but for letter case; both would be one file on Windows and macOS",
                        first.display()
                    ),
                )
                .hint("give each unit a distinct id in lowercase, and its file the same name"),
            ),
            _ => {
                folded.insert(stem.to_lowercase(), unit.path.as_path());
            }
        }
    }
    if edition.units.is_empty() {
        out.push(Diagnostic::error(
            edition.dir.join("units"),
            "found no unit files, expected at least one units/<unit-id>.yaml",
        ));
    }
    let mut placed = HashSet::new();
    for (i, n) in e.new_units.iter().enumerate() {
        check_id(
            &edition.edition,
            &format!("new_units[{i}].id"),
            &n.id,
            &mut out,
        );
        for (j, id) in n.former.iter().enumerate() {
            let field = format!("new_units[{i}].former[{j}]");
            if !edition.unit_files.contains(id) {
                out.push(
                    edition
                        .edition
                        .error_at(&field, format!("unknown unit id `{id}`")),
                );
            } else if !placed.insert(id.as_str()) {
                out.push(
                    edition
                        .edition
                        .error_at(&field, format!("unit `{id}` is placed in two new units")),
                );
            }
        }
    }
    if let Some(recs) = &edition.recommendations {
        check_recommendations(recs, e, &mut out);
    }
    if let Some(order) = &e.units {
        let mut seen = HashSet::new();
        for (i, id) in order.iter().enumerate() {
            let field = format!("units[{i}]");
            if !seen.insert(id.as_str()) {
                out.push(
                    edition
                        .edition
                        .error_at(&field, format!("duplicate unit id `{id}`")),
                );
            } else if !edition.unit_files.contains(id) {
                out.push(
                    edition
                        .edition
                        .error_at(&field, format!("unknown unit id `{id}`"))
                        .hint(format!("no file units/{id}.yaml in this edition")),
                );
            }
        }
        for unit in &edition.units {
            if !seen.contains(unit.value.id.as_str()) && unit_file_matches(unit) {
                out.push(
                    edition
                        .edition
                        .error_at_key(
                            "units",
                            format!("unit `{}` has a file but is not listed", unit.value.id),
                        )
                        .hint("list every unit once, in report order"),
                );
            }
        }
    }
    if let Some(prev) = &edition.previous {
        // `previous: .` or a path back to this edition (or a later one)
        // would compare the edition with itself and call it a trend.
        if prev.edition.value.year >= e.year {
            out.push(
                edition
                    .edition
                    .error_at(
                        "previous",
                        format!(
                            "the previous edition {} is of {}, expected an edition of a year before {}",
                            prev.dir.display(),
                            prev.edition.value.year,
                            e.year
                        ),
                    )
                    .hint("name the folder of the edition before this one, e.g. `../2008`"),
            );
        }
        let prev_dims = &prev.edition.value.dimensions;
        for (from, to) in e.previous_dimensions.iter() {
            let field = format!("previous_dimensions.{from}");
            if !prev_dims.iter().any(|d| d.id == from) {
                out.push(edition.edition.error_at_key(
                    &field,
                    format!("unknown dimension `{from}` in the previous edition"),
                ));
            }
            if !e.dimensions.iter().any(|d| d.id == *to) {
                out.push(
                    edition
                        .edition
                        .error_at(&field, format!("unknown dimension `{to}` in this edition")),
                );
            }
        }
        out.extend(validate(prev));
    }
    out
}

fn unit_file_matches(unit: &Located<UnitFile>) -> bool {
    unit.path.file_stem().and_then(|s| s.to_str()) == Some(unit.value.id.as_str())
}

/// Whether `name` (before any extension) is a reserved device name on
/// Windows (`con`, `prn`, `aux`, `nul`, `com0`-`com9`, `lpt0`-`lpt9`, in any
/// case; Microsoft, "Naming Files, Paths, and Namespaces"): such a file
/// cannot be created there.
pub fn is_device_name(name: &str) -> bool {
    let base = name
        .split('.')
        .next()
        .unwrap_or("")
        .trim_end()
        .to_ascii_lowercase();
    matches!(base.as_str(), "con" | "prn" | "aux" | "nul")
        || (base.len() == 4
            && (base.starts_with("com") || base.starts_with("lpt"))
            && base.as_bytes()[3].is_ascii_digit())
}

/// Whether `id` is a usable id: lowercase ASCII letters, digits and hyphens.
pub fn valid_id(id: &str) -> bool {
    !id.is_empty()
        && id.len() <= 64
        && id.starts_with(|c: char| c.is_ascii_lowercase() || c.is_ascii_digit())
        && id
            .chars()
            .all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == '-' || c == '_')
}

/// Refuses the first text of `file` holding a character no document can
/// carry (`locate::is_unprintable`): it would break the charts' SVG and the
/// PDF's XMP metadata, or print as nothing.
fn check_printable<T>(file: &Located<T>, out: &mut Vec<Diagnostic>) {
    if let Some((field, pos, c)) = file.locations.unprintable() {
        out.push(
            Diagnostic::error(
                &file.path,
                format!(
                    "found the unprintable character U+{:04X} (a control character or noncharacter) in a text, expected printable characters only",
                    u32::from(c)
                ),
            )
            .at(Some(pos))
            .field(field)
            .hint("remove it; in double quotes, escapes such as `\\e` or `\\x01` write characters no document can show"),
        );
    }
}

fn check_id(file: &Located<impl Sized>, field: &str, id: &str, out: &mut Vec<Diagnostic>) {
    if !valid_id(id) {
        out.push(file.error_at(
            field,
            format!(
                "found id {id:?}, expected lowercase letters a-z, digits, `-` and `_`, starting with a letter or digit (at most 64)"
            ),
        ));
    }
}

/// Reports duplicates among `ids` (field paths built by `field`).
fn check_unique<'a>(
    file: &Located<impl Sized>,
    what: &str,
    ids: impl Iterator<Item = &'a str>,
    field: impl Fn(usize) -> String,
    out: &mut Vec<Diagnostic>,
) {
    let mut seen = HashSet::new();
    for (i, id) in ids.enumerate() {
        check_id(file, &field(i), id, out);
        if !seen.insert(id) {
            out.push(file.error_at(&field(i), format!("duplicate {what} id `{id}`")));
        }
    }
}

fn check_thresholds(
    file: &Located<EditionFile>,
    field: &str,
    t: &Thresholds,
    out: &mut Vec<Diagnostic>,
) {
    for (name, v) in [("conform_norm", t.conform_norm), ("aandacht", t.aandacht)] {
        if !(0..=10_000).contains(&v.hundredths()) {
            out.push(file.error_at(
                &format!("{field}.{name}"),
                format!("found {v}, expected a percentage from 0 to 100"),
            ));
        }
    }
    if t.conform_norm < t.aandacht {
        out.push(
            file.error_at(
                &format!("{field}.conform_norm"),
                format!(
                    "thresholds out of order: conform_norm {} is below aandacht {}",
                    t.conform_norm, t.aandacht
                ),
            )
            .hint("conform_norm must be at least aandacht"),
        );
    }
}

fn check_edition_file(file: &Located<EditionFile>, out: &mut Vec<Diagnostic>) {
    let e = &file.value;
    let points = e.assessment == Assessment::Points;
    if e.dimensions.is_empty() {
        out.push(file.error_at_key("dimensions", "found no dimensions, expected at least one"));
    }
    check_unique(
        file,
        "dimension",
        e.dimensions.iter().map(|d| d.id.as_str()),
        |i| format!("dimensions[{i}].id"),
        out,
    );
    for (i, d) in e.dimensions.iter().enumerate() {
        if d.weight.hundredths() <= 0 {
            out.push(file.error_at(
                &format!("dimensions[{i}].weight"),
                format!("found weight {}, expected a weight above zero", d.weight),
            ));
        }
        match (&d.thresholds, points) {
            (Some(t), _) => check_thresholds(file, &format!("dimensions[{i}].thresholds"), t, out),
            (None, true) => out.push(file.error_at_key(
                &format!("dimensions[{i}]"),
                format!("dimension `{}` has no thresholds, expected `thresholds` with conform_norm and aandacht", d.id),
            )),
            (None, false) => {}
        }
        if points && d.indicators.is_empty() {
            out.push(file.error_at_key(
                &format!("dimensions[{i}]"),
                format!(
                    "dimension `{}` has no indicators, expected at least one",
                    d.id
                ),
            ));
        }
        check_unique(
            file,
            "indicator",
            d.indicators.iter().map(|x| x.id.as_str()),
            |j| format!("dimensions[{i}].indicators[{j}].id"),
            out,
        );
        for (j, ind) in d.indicators.iter().enumerate() {
            if ind.max_points == 0 {
                out.push(file.error_at(
                    &format!("dimensions[{i}].indicators[{j}].max_points"),
                    "found 0, expected a maximum of at least 1 point",
                ));
            }
        }
    }
    match (&e.overall_thresholds, points) {
        (Some(t), _) => check_thresholds(file, "overall_thresholds", t, out),
        (None, true) => out.push(Diagnostic::error(
            &file.path,
            "missing field `overall_thresholds`, expected the thresholds for the overall verdict",
        )),
        (None, false) => {}
    }
    if e.groups.is_empty() {
        out.push(file.error_at_key("groups", "found no groups, expected at least one"));
    }
    check_unique(
        file,
        "group",
        e.groups.iter().map(|g| g.id.as_str()),
        |i| format!("groups[{i}].id"),
        out,
    );
    check_unique(
        file,
        "partner or addressee",
        e.partners
            .iter()
            .map(|p| p.id.as_str())
            .chain(e.addressees.iter().map(|a| a.id.as_str())),
        |i| {
            if i < e.partners.len() {
                format!("partners[{i}].id")
            } else {
                format!("addressees[{}].id", i - e.partners.len())
            }
        },
        out,
    );
    check_unique(
        file,
        "chapter",
        e.chapters.iter().map(|c| c.id.as_str()),
        |i| format!("chapters[{i}].id"),
        out,
    );
    if e.illustrative_notice.is_some() && !e.illustrative {
        out.push(file.error_at_key(
            "illustrative_notice",
            "an illustrative_notice is set but `illustrative` is false",
        ));
    }
}

fn check_unit(unit: &Located<UnitFile>, e: &EditionFile, out: &mut Vec<Diagnostic>) {
    let u = &unit.value;
    let stem = unit.path.file_stem().and_then(|s| s.to_str()).unwrap_or("");
    check_id(unit, "id", &u.id, out);
    if is_device_name(&u.id) {
        out.push(
            unit.error_at(
                "id",
                format!(
                    "found id `{}`, a device name on Windows, where its letter `{}.pdf` could not be written",
                    u.id, u.id
                ),
            )
            .hint("choose another id (e.g. add the place name) and rename the file to match"),
        );
    }
    if u.id != stem {
        out.push(
            unit.error_at("id", format!("found id `{}` in file `{stem}.yaml`", u.id))
                .hint(format!("the id must equal the file name: `{stem}`")),
        );
    }
    if !e.groups.iter().any(|g| g.id == u.group) {
        let known: Vec<&str> = e.groups.iter().map(|g| g.id.as_str()).collect();
        out.push(
            unit.error_at("group", format!("unknown group `{}`", u.group))
                .hint(format!("expected one of: {}", known.join(", "))),
        );
    }
    let points = e.assessment == Assessment::Points;
    if points && u.verdict.is_some() {
        out.push(
            unit.error_at_key(
                "verdict",
                "a published `verdict` is only allowed in a published_verdicts edition",
            )
            .hint("to override the computed verdict, use `manual_verdict` with a justification"),
        );
    }
    if !points && u.verdict.is_none() {
        out.push(Diagnostic::error(
            &unit.path,
            "missing field `verdict`, expected the published overall verdict of this unit",
        ));
    }
    if let Some(m) = &u.manual_verdict
        && m.justification.trim().is_empty()
    {
        out.push(
            unit.error_at_key("manual_verdict", "a manual verdict needs a justification")
                .hint("add `justification:` explaining why the computed verdict is overridden"),
        );
    }
    for (key, dim) in u.dimensions.iter() {
        let base = format!("dimensions.{key}");
        let Some(def) = e.dimensions.iter().find(|d| d.id == key) else {
            let known: Vec<&str> = e.dimensions.iter().map(|d| d.id.as_str()).collect();
            out.push(
                unit.error_at_key(&base, format!("unknown dimension `{key}`"))
                    .hint(format!("expected one of: {}", known.join(", "))),
            );
            continue;
        };
        if let Some(m) = &dim.manual_verdict
            && m.justification.trim().is_empty()
        {
            out.push(
                unit.error_at_key(
                    &format!("{base}.manual_verdict"),
                    "a manual verdict needs a justification",
                )
                .hint("add `justification:` explaining why the computed verdict is overridden"),
            );
        }
        if points && dim.verdict.is_some() {
            out.push(
                unit.error_at_key(
                    &format!("{base}.verdict"),
                    "a published `verdict` is only allowed in a published_verdicts edition",
                )
                .hint(
                    "to override the computed verdict, use `manual_verdict` with a justification",
                ),
            );
        }
        for (ind_id, p) in dim.points.iter() {
            let field = format!("{base}.points.{ind_id}");
            match def.indicators.iter().find(|i| i.id == ind_id) {
                None => {
                    let known: Vec<&str> = def.indicators.iter().map(|i| i.id.as_str()).collect();
                    out.push(
                        unit.error_at_key(
                            &field,
                            format!("unknown indicator `{ind_id}` in dimension `{key}`"),
                        )
                        .hint(format!("expected one of: {}", known.join(", "))),
                    );
                }
                Some(ind) => {
                    if let Points::Awarded(p) = p
                        && *p > ind.max_points
                    {
                        out.push(unit.error_at(
                            &field,
                            format!(
                                "found {p} points, expected at most {} (the indicator's maximum)",
                                ind.max_points
                            ),
                        ));
                    }
                }
            }
        }
        if points {
            for ind in &def.indicators {
                if dim.points.get(&ind.id).is_none() {
                    out.push(
                        unit.error_at_key(
                            &format!("{base}.points"),
                            format!("missing indicator `{}` in dimension `{key}`", ind.id),
                        )
                        .hint("give its points, or `nvt` when it does not apply"),
                    );
                }
            }
        }
    }
    if points {
        for def in &e.dimensions {
            if u.dimensions.get(&def.id).is_none() {
                out.push(
                    unit.error_at_key("dimensions", format!("missing dimension `{}`", def.id))
                        .hint("give the points of each of its indicators, or `nvt`"),
                );
            }
        }
    }
    for (key, _) in u.partners.iter() {
        if !e.partners.iter().any(|p| p.id == key) {
            let known: Vec<&str> = e.partners.iter().map(|p| p.id.as_str()).collect();
            out.push(
                unit.error_at_key(
                    &format!("partners.{key}"),
                    format!("unknown partner `{key}`"),
                )
                .hint(format!("expected one of: {}", known.join(", "))),
            );
        }
    }
}

fn check_recommendations(
    recs: &Located<RecommendationsFile>,
    e: &EditionFile,
    out: &mut Vec<Diagnostic>,
) {
    let r = &recs.value;
    check_unique(
        recs,
        "theme",
        r.themes.iter().map(|t| t.id.as_str()),
        |i| format!("themes[{i}].id"),
        out,
    );
    let mut fields = Vec::new();
    let mut ids = Vec::new();
    for (i, t) in r.themes.iter().enumerate() {
        for (j, rec) in t.recommendations.iter().enumerate() {
            fields.push(format!("themes[{i}].recommendations[{j}]"));
            ids.push(rec.id.to_ascii_lowercase());
            for (k, to) in rec.addressed_to.iter().enumerate() {
                let known = e.partners.iter().any(|p| p.id == *to)
                    || e.addressees.iter().any(|a| a.id == *to);
                if !known {
                    out.push(
                        recs.error_at(
                            &format!("themes[{i}].recommendations[{j}].addressed_to[{k}]"),
                            format!("unknown partner or addressee `{to}`"),
                        )
                        .hint("list it under `partners` or `addressees` in edition.yaml"),
                    );
                }
            }
            if rec.addressed_to.is_empty() {
                out.push(recs.error_at_key(
                    &format!("themes[{i}].recommendations[{j}].addressed_to"),
                    "found no addressee, expected at least one partner or addressee id",
                ));
            }
        }
    }
    check_unique(
        recs,
        "recommendation",
        ids.iter().map(String::as_str),
        |i| format!("{}.id", fields[i]),
        out,
    );
}
