//! The summary of a scored edition as plain text: the verdict table, the
//! headline figures, the comparison with the previous edition, the trends
//! over the chain of editions, the units that receive a letter, the national totals and the manual verdicts.
//! Labels are English (the terminal's language); verdicts and changes use
//! the Dutch words of the report, so that the two never disagree.

use std::fmt::Write as _;

use crate::data::model::{Status, Verdict};
use crate::figures::scored::{ScoredEdition, ScoredUnit};

/// The summary as plain text, each line ending in a newline: the parts
/// below, separated by empty lines.
pub fn text(s: &ScoredEdition) -> String {
    let mut out = title(s);
    out.push_str(&verdict_table(s));
    out.push_str(&headline_figures(s));
    out.push_str(&comparison(s));
    out.push_str(&chain_trends(s));
    out.push_str(&not_conform(s));
    out.push_str(&totals(s));
    out.push_str(&manual_verdicts(s));
    out
}

/// The title and status, with a note on illustrative data.
fn title(s: &ScoredEdition) -> String {
    let mut out = String::new();
    let status = match s.status {
        Status::Concept => "concept",
        Status::Definitief => "definitief",
    };
    let _ = writeln!(out, "{} ({status})", s.title);
    if s.illustrative {
        let _ = writeln!(out, "Note: this edition contains illustrative data.");
    }
    let _ = writeln!(out);
    out
}

/// One row per unit: its group, the verdict per dimension, score and
/// verdict (`(m)` for a manual one), and the previous verdict and change
/// when there is a previous edition; columns padded to their widest cell.
fn verdict_table(s: &ScoredEdition) -> String {
    let mut out = String::new();
    let prev_year = s.previous.as_ref().map(|p| p.year.to_string());
    let mut header: Vec<String> = vec!["Unit".into(), "Group".into()];
    header.extend(s.dimensions.iter().map(|d| d.short_name.clone()));
    header.extend(["Score".into(), "Verdict".into()]);
    if let Some(y) = &prev_year {
        header.extend([y.clone(), "Change".into()]);
    }
    let rows: Vec<Vec<String>> = s
        .units
        .iter()
        .map(|u| unit_row(s, u, prev_year.is_some()))
        .collect();
    let widths: Vec<usize> = (0..header.len())
        .map(|i| {
            rows.iter()
                .map(|r| shown(&r[i]))
                .chain([shown(&header[i])])
                .max()
                .unwrap_or(0)
        })
        .collect();
    let line = |cells: &[String]| -> String {
        let padded: Vec<String> = cells.iter().zip(&widths).map(|(c, w)| pad(c, *w)).collect();
        padded.join("  ").trim_end().to_string()
    };
    let _ = writeln!(out, "{}", line(&header));
    let _ = writeln!(
        out,
        "{}",
        widths
            .iter()
            .map(|w| "-".repeat(*w))
            .collect::<Vec<_>>()
            .join("  ")
    );
    for r in &rows {
        let _ = writeln!(out, "{}", line(r));
    }
    if s.units
        .iter()
        .any(|u| u.manual.is_some() || u.dimensions.iter().any(|d| d.manual.is_some()))
    {
        let _ = writeln!(out, "(m) manual verdict, see below");
    }
    let _ = writeln!(out);
    out
}

/// The cells of `u`'s row of the verdict table.
fn unit_row(s: &ScoredEdition, u: &ScoredUnit, previous: bool) -> Vec<String> {
    let group = s
        .groups
        .iter()
        .find(|g| g.id == u.group)
        .map(|g| g.name.clone())
        .unwrap_or_else(|| u.group.clone());
    let mut row = vec![u.name.clone(), group];
    for d in &u.dimensions {
        let mut cell = verdict_label(d.verdict).to_string();
        if d.manual.is_some() {
            cell.push_str(" (m)");
        }
        row.push(cell);
    }
    row.push(score_text(u));
    let mut verdict = u.verdict.label().to_string();
    if u.manual.is_some() {
        verdict.push_str(" (m)");
    }
    row.push(verdict);
    if previous {
        row.push(u.previous_verdict.map(Verdict::label).unwrap_or("-").into());
        // The same Dutch words as the report and the letters, so the
        // column never contradicts the verdict columns beside it.
        row.push(
            u.change
                .as_deref()
                .map(|c| c.replace(crate::words::dutch::NBSP, " "))
                .unwrap_or_else(|| "-".into()),
        );
    }
    row
}

/// The headline groups' verdict counts (beside the previous edition's),
/// per dimension, and the overall counts of every other group.
fn headline_figures(s: &ScoredEdition) -> String {
    let mut out = String::new();
    let headline_groups: Vec<&str> = s
        .groups
        .iter()
        .filter(|g| g.headline)
        .map(|g| g.name.as_str())
        .collect();
    let h = &s.figures.headline;
    let _ = writeln!(
        out,
        "Headline figures ({}, {})",
        headline_groups.join(", "),
        units(h.units)
    );
    let prev_h = s.previous.as_ref().map(|p| (p.year, &p.figures.headline));
    for v in Verdict::ALL {
        let mut l = format!("  {:<14}{:>4}", v.label(), h.overall.get(v));
        if let Some((y, ph)) = prev_h {
            let _ = write!(l, "   ({y}: {})", ph.overall.get(v));
        }
        let _ = writeln!(out, "{l}");
    }
    let _ = writeln!(
        out,
        "  {:<14}{:>4}",
        "not conform",
        h.overall.aandacht + h.overall.onvoldoende
    );
    let _ = writeln!(out);
    let _ = writeln!(out, "Per dimension ({}):", headline_groups.join(", "));
    for d in &s.dimensions {
        if let Some(c) = h.dimension(&d.id) {
            let mut l = format!(
                "  {:<48} {:>3} conform norm, {:>3} aandacht, {:>3} onvoldoende",
                d.name, c.conform_norm, c.aandacht, c.onvoldoende
            );
            if c.not_applicable > 0 {
                let _ = write!(l, ", {} n.v.t.", c.not_applicable);
            }
            let _ = writeln!(out, "{l}");
        }
    }
    for g in s.groups.iter().filter(|g| !g.headline) {
        if let Some(c) = s.figures.group(&g.id) {
            let _ = writeln!(
                out,
                "\nOther group: {} ({}): {} conform norm, {} aandacht, {} onvoldoende",
                g.name,
                units(c.units),
                c.overall.conform_norm,
                c.overall.aandacht,
                c.overall.onvoldoende
            );
        }
    }
    let _ = writeln!(out);
    out
}

/// The units better, worse, the same, new and gone since the previous
/// edition; empty without one.
fn comparison(s: &ScoredEdition) -> String {
    let mut out = String::new();
    let Some(p) = &s.previous else {
        return out;
    };
    let c = &s.comparison;
    let _ = writeln!(out, "Compared with {}:", p.year);
    for (label, ids) in [
        ("better", &c.better),
        ("worse", &c.worse),
        ("same", &c.same),
        ("new", &c.new),
    ] {
        if ids.is_empty() {
            let _ = writeln!(out, "  {label:<8}{:>3}", 0);
        } else {
            let _ = writeln!(out, "  {label:<8}{:>3}: {}", ids.len(), unit_names(s, ids));
        }
    }
    if !c.departed.is_empty() {
        let _ = writeln!(
            out,
            "  {:<8}{:>3}: {}",
            "gone",
            c.departed.len(),
            c.departed.join(", ")
        );
    }
    let _ = writeln!(out);
    out
}

/// The trends over the whole chain of editions, as the report's summary
/// lists them ([`crate::figures::trends`]): the units that improved in every
/// edition, those that fell back twice or more, and those onvoldoende for
/// the second (third, ...) time running with the count; empty for a chain
/// of one edition.
fn chain_trends(s: &ScoredEdition) -> String {
    let mut out = String::new();
    let t = &s.trends;
    if t.editions.len() < 2 {
        return out;
    }
    let years: Vec<String> = t.years().iter().map(u16::to_string).collect();
    let _ = writeln!(out, "Trends over {}:", years.join(", "));
    let running: Vec<String> = t
        .onvoldoende_running
        .iter()
        .map(|id| {
            let n = t.unit(id).map_or(0, |u| u.running(Verdict::Onvoldoende));
            format!(
                "{} ({n} editions running)",
                unit_names(s, std::slice::from_ref(id))
            )
        })
        .collect();
    for (label, count, names) in [
        (
            "improved every time",
            t.improved_every_time.len(),
            unit_names(s, &t.improved_every_time),
        ),
        (
            "fell back twice",
            t.fell_back_twice.len(),
            unit_names(s, &t.fell_back_twice),
        ),
        ("onvoldoende again", running.len(), running.join(", ")),
    ] {
        if count == 0 {
            let _ = writeln!(out, "  {label:<20}{:>3}", 0);
        } else {
            let _ = writeln!(out, "  {label:<20}{count:>3}: {names}");
        }
    }
    let _ = writeln!(out);
    out
}

/// The units below conform norm, which receive a letter.
fn not_conform(s: &ScoredEdition) -> String {
    let nc = &s.figures.not_conform;
    format!(
        "Not conform norm ({}, each receives a letter): {}\n\n",
        units(nc.len() as u64),
        unit_names(s, nc)
    )
}

/// The national key figures, beside the previous edition's.
fn totals(s: &ScoredEdition) -> String {
    let mut out = String::new();
    let t = &s.figures.totals;
    // The previous edition's totals beside this one's only when both are
    // over the same units; else a second block compares like with like.
    let l = s.like_for_like.as_ref();
    let pt = l.filter(|l| l.is_whole()).map(|l| (l.year, l.before));
    let _ = writeln!(
        out,
        "National totals ({} reporting):",
        units(t.units_reporting)
    );
    for (label, now, before) in [
        (
            "suspects identified",
            t.suspects,
            pt.map(|(_, p)| p.suspects),
        ),
        (
            "case files to the OM",
            t.case_files,
            pt.map(|(_, p)| p.case_files),
        ),
        ("victims reported", t.victims, pt.map(|(_, p)| p.victims)),
    ] {
        let mut l = format!("  {label:<22}{now:>6}");
        if let (Some(b), Some((y, _))) = (before, pt) {
            let _ = write!(l, "   ({y}: {b})");
        }
        let _ = writeln!(out, "{l}");
    }
    if let Some(l) = l.filter(|l| !l.is_whole()) {
        let _ = writeln!(
            out,
            "Over the same units as {} ({} of {}):",
            l.year, l.now.units_reporting, t.units_reporting
        );
        for (label, now, before) in [
            ("suspects identified", l.now.suspects, l.before.suspects),
            (
                "case files to the OM",
                l.now.case_files,
                l.before.case_files,
            ),
            ("victims reported", l.now.victims, l.before.victims),
        ] {
            let _ = writeln!(out, "  {label:<22}{now:>6}   ({}: {before})", l.year);
        }
        if !l.new.is_empty() {
            let _ = writeln!(
                out,
                "  left out, not assessed in {}: {}",
                l.year,
                unit_names(s, &l.new)
            );
        }
        if !l.unreported.is_empty() {
            let _ = writeln!(
                out,
                "  left out, no key figures for {}: {}",
                l.year,
                unit_names(s, &l.unreported)
            );
        }
        if !l.gone.is_empty() {
            let names: Vec<String> = l
                .gone
                .iter()
                .map(|id| {
                    s.previous
                        .as_ref()
                        .and_then(|p| p.unit(id))
                        .map_or(id.clone(), |u| u.name.clone())
                })
                .collect();
            let _ = writeln!(
                out,
                "  left out of {}, no longer assessed: {}",
                l.year,
                names.join(", ")
            );
        }
    }
    out
}

/// Every manual verdict (overall and per dimension) with the computed one
/// it replaces and its justification; empty when there are none.
fn manual_verdicts(s: &ScoredEdition) -> String {
    let manual: Vec<String> = s
        .units
        .iter()
        .flat_map(|u| {
            let overall = u.manual.iter().map(move |m| {
                format!(
                    "  {} overall: {} (computed: {}): {}",
                    u.name,
                    m.verdict.label(),
                    verdict_label(u.computed_verdict),
                    m.justification.trim()
                )
            });
            let dims = u.dimensions.iter().filter_map(move |d| {
                d.manual.as_ref().map(|m| {
                    format!(
                        "  {} {}: {} (computed: {}): {}",
                        u.name,
                        d.id,
                        m.verdict.label(),
                        verdict_label(d.computed_verdict),
                        m.justification.trim()
                    )
                })
            });
            overall.chain(dims)
        })
        .collect();
    let mut out = String::new();
    if !manual.is_empty() {
        let _ = writeln!(out, "\nManual verdicts:");
        for m in manual {
            let _ = writeln!(out, "{m}");
        }
    }
    out
}

fn verdict_label(v: Option<Verdict>) -> &'static str {
    v.map(Verdict::label).unwrap_or("n.v.t.")
}

fn unit_names(scored: &ScoredEdition, ids: &[String]) -> String {
    ids.iter()
        .map(|id| scored.unit(id).map(|u| u.name.as_str()).unwrap_or(id))
        .collect::<Vec<_>>()
        .join(", ")
}

/// The width of `s` as printed: escaped as the terminal gets it.
fn shown(s: &str) -> usize {
    crate::base::term::clean(s).chars().count()
}

/// "1 unit", "2 units".
fn units(n: impl Into<u64>) -> String {
    match n.into() {
        1 => "1 unit".into(),
        n => format!("{n} units"),
    }
}

fn pad(s: &str, width: usize) -> String {
    let n = shown(s);
    format!("{s}{}", " ".repeat(width.saturating_sub(n)))
}

fn score_text(u: &ScoredUnit) -> String {
    u.score
        .map(|s| format!("{:.1}", s.tenths as f64 / 10.0))
        .unwrap_or_else(|| "-".into())
}
