//! `korpsmonitor summary`: the verdict table and headline figures, for
//! people (a table) or machines (JSON).

use std::fmt::Write as _;

use crate::cli::{Format, SummaryArgs};
use crate::commands::{RunError, load_checked};
use crate::model::Verdict;
use crate::score::{self, ScoredEdition, ScoredUnit};

/// Runs `summary`.
pub fn run(args: &SummaryArgs) -> Result<(), RunError> {
    let checked = load_checked(&args.edition.edition)?;
    let scored = score::score(&checked.edition);
    let out = match args.format {
        Format::Text => text(&scored),
        Format::Json => {
            let mut s = serde_json::to_string_pretty(&scored)
                .map_err(|e| RunError::Other(format!("cannot write JSON: {e}")))?;
            s.push('\n');
            s
        }
    };
    // Names from the data reach the terminal escaped (JSON escapes them itself).
    print!("{}", crate::term::clean(&out));
    Ok(())
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
    crate::term::clean(s).chars().count()
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

/// The summary as a plain-text table.
pub fn text(s: &ScoredEdition) -> String {
    let mut out = String::new();
    let status = match s.status {
        crate::model::Status::Concept => "concept",
        crate::model::Status::Definitief => "definitief",
    };
    let _ = writeln!(out, "{} ({status})", s.title);
    if s.illustrative {
        let _ = writeln!(out, "Note: this edition contains illustrative data.");
    }
    let _ = writeln!(out);

    // The verdict table.
    let prev_year = s.previous.as_ref().map(|p| p.year.to_string());
    let mut header: Vec<String> = vec!["Unit".into(), "Group".into()];
    header.extend(s.dimensions.iter().map(|d| d.short_name.clone()));
    header.extend(["Score".into(), "Verdict".into()]);
    if let Some(y) = &prev_year {
        header.extend([y.clone(), "Change".into()]);
    }
    let mut rows: Vec<Vec<String>> = Vec::new();
    for u in &s.units {
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
        if prev_year.is_some() {
            row.push(u.previous_verdict.map(Verdict::label).unwrap_or("-").into());
            // The same Dutch words as the report and the letters, so the
            // column never contradicts the verdict columns beside it.
            row.push(
                u.change
                    .as_deref()
                    .map(|c| c.replace(crate::dutch::NBSP, " "))
                    .unwrap_or_else(|| "-".into()),
            );
        }
        rows.push(row);
    }
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

    // Headline figures.
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

    if let Some(p) = &s.previous {
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
    }

    let nc = &s.figures.not_conform;
    let _ = writeln!(
        out,
        "Not conform norm ({}, each receives a letter): {}",
        units(nc.len() as u64),
        unit_names(s, nc)
    );
    let _ = writeln!(out);

    let t = &s.figures.totals;
    let pt = s.previous.as_ref().map(|p| (p.year, p.figures.totals));
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
    if !manual.is_empty() {
        let _ = writeln!(out, "\nManual verdicts:");
        for m in manual {
            let _ = writeln!(out, "{m}");
        }
    }
    out
}
