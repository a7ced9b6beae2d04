//! Charts: plotters draws each chart of the report as SVG, set in the
//! report's font, with a Dutch alternative text that states its numbers.
//!
//! Every chart reads in greyscale too: each bar or segment carries its
//! number as text, series differ in lightness and outline or hatching, and
//! categories are labelled in words.

use plotters::coord::Shift;
use plotters::prelude::*;
use plotters::style::text_anchor::{HPos, Pos, VPos};

use crate::dutch;
use crate::load::LoadedEdition;
use crate::model::{Dimension, Rating, Verdict};
use crate::score::{ScoredEdition, ScoredUnit};

/// One chart: an SVG file for the Typst World and its alternative text.
#[derive(Debug, Clone, PartialEq)]
pub struct Chart {
    /// Virtual path, e.g. `charts/oordelen.svg`.
    pub file: String,
    /// The SVG document, shared with the documents that show it.
    pub svg: std::sync::Arc<str>,
    /// What the chart shows, with its numbers, in Dutch.
    pub alt: String,
    /// Width on the page in centimetres.
    pub width_cm: f64,
    /// Height on the page in centimetres.
    pub height_cm: f64,
}

/// Pixels per centimetre of the drawings.
const PX_PER_CM: f64 = 40.0;
/// Width of every chart in pixels (16 cm).
const WIDTH: u32 = 640;
const BLUE: RGBColor = RGBColor(0x15, 0x42, 0x73);
const LIGHT: RGBColor = RGBColor(0xdc, 0xe3, 0xea);
const INK: RGBColor = RGBColor(0x22, 0x22, 0x22);
const GREY: RGBColor = RGBColor(0x76, 0x76, 0x76);

fn rating_color(r: Rating) -> RGBColor {
    match r {
        Rating::Goed => RGBColor(0x39, 0x87, 0x0c),
        Rating::Voldoende => RGBColor(0xa2, 0xc5, 0x8c),
        Rating::Matig => RGBColor(0xf9, 0xe1, 0x1e),
        Rating::Onvoldoende => RGBColor(0xd5, 0x2b, 0x1e),
    }
}

/// Ratings drawn with a hatch on top of their colour, so that neighbours of
/// similar lightness differ in greyscale.
fn rating_hatched(r: Rating) -> bool {
    matches!(r, Rating::Voldoende | Rating::Onvoldoende)
}

/// Every chart of the report, drawn on both cores.
pub fn all(loaded: &LoadedEdition, scored: &ScoredEdition, font_family: &str) -> Vec<Chart> {
    let e = &loaded.edition.value;
    let (national, units) = std::thread::scope(|s| {
        let units = s.spawn(|| {
            scored
                .units
                .iter()
                .filter_map(|u| unit_scores(u, &e.dimensions, font_family))
                .collect::<Vec<_>>()
        });
        let mut national = vec![verdict_distribution(scored, font_family)];
        national.extend(key_figures(scored, font_family));
        national.extend(partner_ratings(loaded, scored, font_family));
        (national, units.join().unwrap_or_default())
    });
    national.into_iter().chain(units).collect()
}

/// Shortens `s` to `max` characters with an ellipsis.
fn truncate(s: &str, max: usize) -> String {
    if s.chars().count() <= max {
        s.to_string()
    } else {
        let mut t: String = s.chars().take(max.saturating_sub(1)).collect();
        t.push('…');
        t
    }
}

fn finish(file: String, svg: String, alt: String, height: u32) -> Chart {
    Chart {
        file,
        svg: svg.into(),
        alt,
        width_cm: f64::from(WIDTH) / PX_PER_CM,
        height_cm: f64::from(height) / PX_PER_CM,
    }
}

/// Draws into an SVG string of WIDTH x `height` pixels.
fn draw(height: u32, f: impl FnOnce(&DrawingArea<SVGBackend, Shift>)) -> String {
    let mut svg = String::new();
    {
        let root = SVGBackend::with_string(&mut svg, (WIDTH, height)).into_drawing_area();
        let _ = root.fill(&WHITE);
        f(&root);
        let _ = root.present();
    }
    svg
}

fn text_style<'a>(font: &'a str, size: f64, color: RGBColor, h: HPos, v: VPos) -> TextStyle<'a> {
    TextStyle {
        font: (font, size).into_font(),
        color: color.to_backend_color(),
        pos: Pos::new(h, v),
    }
}

fn label(area: &DrawingArea<SVGBackend, Shift>, text: &str, at: (i32, i32), style: &TextStyle) {
    let _ = area.draw(&Text::new(text.to_string(), at, style.clone()));
}

/// Diagonal hatching inside a rectangle.
fn hatch(
    area: &DrawingArea<SVGBackend, Shift>,
    (x0, y0): (i32, i32),
    (x1, y1): (i32, i32),
    color: RGBColor,
) {
    let (w, h) = (x1 - x0, y1 - y0);
    if w <= 0 || h <= 0 {
        return;
    }
    let step = 6;
    let mut k = -h;
    while k < w {
        // The line x = x0 + k + t, y = y1 - t for t in [0, h], clipped to the box.
        let t0 = (-k).max(0);
        let t1 = h.min(w - k);
        if t0 < t1 {
            let _ = area.draw(&PathElement::new(
                vec![(x0 + k + t0, y1 - t0), (x0 + k + t1, y1 - t1)],
                color.stroke_width(1),
            ));
        }
        k += step;
    }
}

fn bar(
    area: &DrawingArea<SVGBackend, Shift>,
    a: (i32, i32),
    b: (i32, i32),
    fill: RGBColor,
    hatched: bool,
) {
    let _ = area.draw(&Rectangle::new([a, b], fill.filled()));
    if hatched {
        hatch(area, a, b, INK);
    }
    let _ = area.draw(&Rectangle::new([a, b], INK.stroke_width(1)));
}

/// The headline groups' verdicts in this edition against the previous one.
pub fn verdict_distribution(scored: &ScoredEdition, font: &str) -> Chart {
    let height = 300u32;
    let now = &scored.figures.headline.overall;
    let prev = scored
        .previous
        .as_ref()
        .map(|p| (p.year, &p.figures.headline.overall));
    let groups = scored
        .groups
        .iter()
        .filter(|g| g.headline)
        .map(|g| g.name.clone())
        .collect::<Vec<_>>();
    let units = scored.figures.headline.units;
    let max = Verdict::ALL
        .iter()
        .map(|v| now.get(*v).max(prev.map(|(_, p)| p.get(*v)).unwrap_or(0)))
        .max()
        .unwrap_or(0)
        .max(1);
    let svg = draw(height, |area| {
        let small = text_style(font, 13.0, INK, HPos::Center, VPos::Bottom);
        let axis = text_style(font, 14.0, INK, HPos::Center, VPos::Top);
        let (top, bottom, left, right) = (40, height as i32 - 40, 40, WIDTH as i32 - 20);
        let _ = area.draw(&PathElement::new(
            vec![(left, bottom), (right, bottom)],
            INK.stroke_width(1),
        ));
        let slot = (right - left) / 3;
        let bar_w = slot / 4;
        for (i, v) in Verdict::ALL.iter().enumerate() {
            let cx = left + slot * i as i32 + slot / 2;
            let mut bars = Vec::new();
            if let Some((_, p)) = prev {
                bars.push((p.get(*v), true));
            }
            bars.push((now.get(*v), false));
            let n = bars.len() as i32;
            for (j, (count, is_prev)) in bars.into_iter().enumerate() {
                let x0 = cx - n * bar_w / 2 - (n - 1) * 3 + j as i32 * (bar_w + 6);
                let h = ((bottom - top) as f64 * f64::from(count) / f64::from(max)).round() as i32;
                let fill = if is_prev { LIGHT } else { BLUE };
                bar(area, (x0, bottom - h), (x0 + bar_w, bottom), fill, is_prev);
                label(
                    area,
                    &count.to_string(),
                    (x0 + bar_w / 2, bottom - h - 3),
                    &small,
                );
            }
            label(area, v.label(), (cx, bottom + 8), &axis);
        }
        // Legend.
        let legend = text_style(font, 13.0, INK, HPos::Left, VPos::Center);
        let mut x = left;
        if let Some((year, _)) = prev {
            bar(area, (x, 10), (x + 18, 24), LIGHT, true);
            label(area, &year.to_string(), (x + 24, 17), &legend);
            x += 90;
        }
        bar(area, (x, 10), (x + 18, 24), BLUE, false);
        label(area, &scored.year.to_string(), (x + 24, 17), &legend);
    });
    let counts = |c: &crate::score::VerdictCounts| {
        format!(
            "{} conform norm, {} aandacht en {} onvoldoende",
            c.conform_norm, c.aandacht, c.onvoldoende
        )
    };
    let mut alt = format!(
        "Staafdiagram van de oordelen over de {units} {}: in {} {}",
        dutch::list(&groups),
        scored.year,
        counts(now)
    );
    if let Some((year, p)) = prev {
        alt.push_str(&format!("; in {year} {}", counts(p)));
    }
    alt.push('.');
    finish("charts/oordelen.svg".into(), svg, alt, height)
}

/// Units per key-figures chart: one part fits on a page with its caption,
/// and its alternative text stays far below the 32,767 characters that
/// PDF/A allows in one string.
pub const KEY_FIGURES_ROWS: usize = 30;

/// Whether `file` is the key-figures chart or one of its parts.
pub fn is_key_figures(file: &str) -> bool {
    file == "charts/kerncijfers.svg" || file.starts_with("charts/kerncijfers-")
}

/// Suspects and case files per unit, as horizontal grouped bars: one chart
/// for up to [`KEY_FIGURES_ROWS`] units, else parts of that many units drawn
/// to one scale (`charts/kerncijfers-1.svg`, ...); none without figures.
pub fn key_figures(scored: &ScoredEdition, font: &str) -> Vec<Chart> {
    let rows: Vec<(&ScoredUnit, u32, u32)> = scored
        .units
        .iter()
        .filter_map(|u| u.key_figures.map(|k| (u, k.suspects, k.case_files)))
        .collect();
    let max = rows
        .iter()
        .map(|(_, s, c)| (*s).max(*c))
        .max()
        .unwrap_or(0)
        .max(1);
    let parts = rows.len().div_ceil(KEY_FIGURES_ROWS);
    rows.chunks(KEY_FIGURES_ROWS)
        .enumerate()
        .map(|(i, part)| {
            let (file, of) = if parts == 1 {
                ("charts/kerncijfers.svg".to_string(), String::new())
            } else {
                (
                    format!("charts/kerncijfers-{}.svg", i + 1),
                    format!(", deel {} van {parts}", i + 1),
                )
            };
            let (svg, height) = key_figures_part(part, max, font);
            let figures: Vec<String> = part
                .iter()
                .map(|(u, s, c)| format!("{} {s} verdachten en {c} zaken", u.name))
                .collect();
            let alt = format!(
                "Staafdiagram van de kerncijfers per eenheid in {}{of}: {}.",
                scored.year,
                figures.join("; ")
            );
            finish(file, svg, alt, height)
        })
        .collect()
}

/// One part of the key-figures chart, with bars scaled to `max`.
fn key_figures_part(rows: &[(&ScoredUnit, u32, u32)], max: u32, font: &str) -> (String, u32) {
    let row_h = 22i32;
    let top = 36i32;
    let height = (top + row_h * rows.len() as i32 + 10) as u32;
    let svg = draw(height, |area| {
        let name = text_style(font, 11.0, INK, HPos::Right, VPos::Center);
        let value = text_style(font, 10.0, INK, HPos::Left, VPos::Center);
        let legend = text_style(font, 12.0, INK, HPos::Left, VPos::Center);
        let (left, right) = (180i32, WIDTH as i32 - 40);
        bar(area, (left, 8), (left + 18, 22), BLUE, false);
        label(area, "verdachten in beeld", (left + 24, 15), &legend);
        bar(area, (left + 190, 8), (left + 208, 22), LIGHT, true);
        label(
            area,
            "zaken aangeleverd bij het OM",
            (left + 214, 15),
            &legend,
        );
        for (i, (u, suspects, cases)) in rows.iter().enumerate() {
            let y = top + row_h * i as i32;
            label(
                area,
                &truncate(&u.name, 28),
                (left - 6, y + row_h / 2),
                &name,
            );
            for (j, (count, light)) in [(*suspects, false), (*cases, true)].into_iter().enumerate()
            {
                let y0 = y + 2 + j as i32 * 9;
                let w = ((right - left) as f64 * f64::from(count) / f64::from(max)).round() as i32;
                let fill = if light { LIGHT } else { BLUE };
                bar(area, (left, y0), (left + w.max(1), y0 + 8), fill, light);
                label(
                    area,
                    &dutch::number(i64::from(count)),
                    (left + w + 4, y0 + 4),
                    &value,
                );
            }
        }
    });
    (svg, height)
}

/// One unit's dimension scores against the thresholds; `None` without scores.
pub fn unit_scores(unit: &ScoredUnit, dimensions: &[Dimension], font: &str) -> Option<Chart> {
    if unit.dimensions.iter().all(|d| d.score.is_none()) {
        return None;
    }
    let row_h = 34i32;
    let top = 14i32;
    let height = (top + row_h * unit.dimensions.len() as i32 + 24) as u32;
    let (left, right) = (150i32, WIDTH as i32 - 60);
    let x_of =
        |pct: f64| left + ((right - left) as f64 * pct.clamp(0.0, 100.0) / 100.0).round() as i32;
    let mut parts = Vec::new();
    let svg = draw(height, |area| {
        let name = text_style(font, 12.0, INK, HPos::Right, VPos::Center);
        let value = text_style(font, 11.0, INK, HPos::Left, VPos::Center);
        let mark = text_style(font, 9.0, GREY, HPos::Center, VPos::Top);
        let axis = text_style(font, 10.0, GREY, HPos::Center, VPos::Top);
        let bottom = top + row_h * unit.dimensions.len() as i32;
        let _ = area.draw(&PathElement::new(
            vec![(left, top), (left, bottom)],
            INK.stroke_width(1),
        ));
        for pct in [0, 25, 50, 75, 100] {
            let x = x_of(f64::from(pct));
            let _ = area.draw(&PathElement::new(
                vec![(x, bottom), (x, bottom + 4)],
                GREY.stroke_width(1),
            ));
            label(area, &format!("{pct}%"), (x, bottom + 6), &axis);
        }
        for (i, d) in unit.dimensions.iter().enumerate() {
            let def = dimensions.iter().find(|x| x.id == d.id);
            let short = def.map(|x| x.short_name.as_str()).unwrap_or(d.id.as_str());
            let y = top + row_h * i as i32;
            label(
                area,
                &truncate(short, 22),
                (left - 8, y + row_h / 2 - 4),
                &name,
            );
            match d.score {
                Some(s) => {
                    let x = x_of(s.as_f64());
                    bar(area, (left, y + 6), (x.max(left + 1), y + 20), BLUE, false);
                    label(
                        area,
                        &dutch::percent_tenths(s.tenths),
                        (x + 4, y + 13),
                        &value,
                    );
                    let mut part = format!("{short} {}", dutch::percent_tenths(s.tenths));
                    if let Some(t) = def.and_then(|x| x.thresholds) {
                        for (h, word) in [(t.conform_norm, "norm"), (t.aandacht, "aandacht")] {
                            let xt = x_of(h.hundredths() as f64 / 100.0);
                            let _ = area.draw(&PathElement::new(
                                vec![(xt, y + 2), (xt, y + 24)],
                                INK.stroke_width(2),
                            ));
                            label(area, word, (xt, y + 24), &mark);
                        }
                        part.push_str(&format!(
                            " (conform norm vanaf {}%, aandacht vanaf {}%)",
                            dutch::decimal_hundredths(t.conform_norm.hundredths()),
                            dutch::decimal_hundredths(t.aandacht.hundredths())
                        ));
                    }
                    parts.push(part);
                }
                None => {
                    label(area, "n.v.t.", (left + 6, y + 13), &value);
                    parts.push(format!("{short} niet van toepassing"));
                }
            }
        }
    });
    let alt = format!(
        "Staafdiagram van de scores van {} per dimensie tegen de norm: {}.",
        unit.name,
        parts.join("; ")
    );
    Some(finish(
        format!("charts/eenheid-{}.svg", unit.id),
        svg,
        alt,
        height,
    ))
}

/// How many units rate each chain partner goed, voldoende, matig or
/// onvoldoende, as stacked bars; `None` when no unit rated a partner.
pub fn partner_ratings(
    loaded: &LoadedEdition,
    scored: &ScoredEdition,
    font: &str,
) -> Option<Chart> {
    let e = &loaded.edition.value;
    let in_edition = |id: &str| scored.unit(id).is_some();
    let rows: Vec<(&str, [u32; 4])> = e
        .partners
        .iter()
        .map(|p| {
            let mut counts = [0u32; 4];
            for u in loaded.units.iter().filter(|u| in_edition(&u.value.id)) {
                if let Some(r) = u.value.partners.get(&p.id) {
                    counts[Rating::ALL.iter().position(|x| *x == r.rating).unwrap_or(0)] += 1;
                }
            }
            (p.name.as_str(), counts)
        })
        .collect();
    if rows.iter().all(|(_, c)| c.iter().sum::<u32>() == 0) {
        return None;
    }
    let row_h = 26i32;
    let top = 36i32;
    let height = (top + row_h * rows.len() as i32 + 10) as u32;
    let max = rows
        .iter()
        .map(|(_, c)| c.iter().sum::<u32>())
        .max()
        .unwrap_or(0)
        .max(1);
    let svg = draw(height, |area| {
        let name = text_style(font, 11.0, INK, HPos::Right, VPos::Center);
        let legend = text_style(font, 12.0, INK, HPos::Left, VPos::Center);
        let (left, right) = (230i32, WIDTH as i32 - 20);
        let mut lx = 20;
        for r in Rating::ALL {
            bar(
                area,
                (lx, 8),
                (lx + 18, 22),
                rating_color(r),
                rating_hatched(r),
            );
            label(area, r.label(), (lx + 24, 15), &legend);
            lx += 110;
        }
        for (i, (partner, counts)) in rows.iter().enumerate() {
            let y = top + row_h * i as i32;
            label(
                area,
                &truncate(partner, 38),
                (left - 6, y + row_h / 2),
                &name,
            );
            let mut x = left;
            for (k, r) in Rating::ALL.iter().enumerate() {
                let n = counts[k];
                if n == 0 {
                    continue;
                }
                let w = ((right - left) as f64 * f64::from(n) / f64::from(max)).round() as i32;
                bar(
                    area,
                    (x, y + 4),
                    (x + w.max(1), y + row_h - 4),
                    rating_color(*r),
                    rating_hatched(*r),
                );
                if w >= 16 {
                    let ink = if matches!(r, Rating::Goed | Rating::Onvoldoende) {
                        WHITE
                    } else {
                        INK
                    };
                    let style = text_style(font, 11.0, ink, HPos::Center, VPos::Center);
                    // A white box behind the number keeps it legible over hatching.
                    if rating_hatched(*r) {
                        let cx = x + w / 2;
                        let _ = area.draw(&Rectangle::new(
                            [(cx - 8, y + 7), (cx + 8, y + row_h - 7)],
                            WHITE.filled(),
                        ));
                        label(
                            area,
                            &n.to_string(),
                            (cx, y + row_h / 2),
                            &text_style(font, 11.0, INK, HPos::Center, VPos::Center),
                        );
                    } else {
                        label(area, &n.to_string(), (x + w / 2, y + row_h / 2), &style);
                    }
                }
                x += w;
            }
        }
    });
    let parts: Vec<String> = rows
        .iter()
        .map(|(p, c)| {
            format!(
                "{p}: {} goed, {} voldoende, {} matig en {} onvoldoende",
                c[0], c[1], c[2], c[3]
            )
        })
        .collect();
    let alt = format!(
        "Gestapeld staafdiagram van het oordeel van de eenheden over de ketenpartners: {}.",
        parts.join("; ")
    );
    Some(finish("charts/ketenpartners.svg".into(), svg, alt, height))
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::path::Path;

    fn mini() -> (LoadedEdition, ScoredEdition) {
        let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/valid/mini");
        let loaded = crate::load::load(&dir).edition.unwrap();
        let scored = crate::score::score(&loaded);
        (loaded, scored)
    }

    #[test]
    fn every_chart_is_drawn_with_its_numbers_and_font() {
        let (loaded, scored) = mini();
        let charts = all(&loaded, &scored, "Noto Sans");
        let files: Vec<&str> = charts.iter().map(|c| c.file.as_str()).collect();
        assert_eq!(
            files,
            [
                "charts/oordelen.svg",
                "charts/kerncijfers.svg",
                "charts/ketenpartners.svg",
                "charts/eenheid-alfa.svg",
                "charts/eenheid-beta.svg",
                "charts/eenheid-gamma.svg",
            ]
        );
        for c in &charts {
            assert!(c.svg.starts_with("<svg"), "{}", c.file);
            assert!(c.svg.contains("Noto Sans"), "{}", c.file);
            assert!(c.alt.chars().any(|ch| ch.is_ascii_digit()), "{}", c.alt);
        }
        let v = &charts[0];
        assert_eq!(
            v.alt,
            "Staafdiagram van de oordelen over de 2 korpsen: in 2030 1 conform norm, 0 aandacht en 1 onvoldoende; in 2028 0 conform norm, 2 aandacht en 0 onvoldoende."
        );
        let alfa = &charts[3];
        assert!(alfa.svg.contains("83,3%"), "{}", alfa.svg);
        assert!(
            alfa.alt
                .contains("Toezicht 83,3% (conform norm vanaf 70%, aandacht vanaf 50%)"),
            "{}",
            alfa.alt
        );
        let gamma = &charts[5];
        assert!(gamma.svg.contains("n.v.t."));
        assert!(
            gamma.alt.contains("Toezicht niet van toepassing"),
            "{}",
            gamma.alt
        );
        assert!(
            charts[2]
                .alt
                .contains("Openbaar Ministerie: 1 goed, 0 voldoende, 0 matig en 0 onvoldoende")
        );
    }

    #[test]
    fn drawing_is_deterministic() {
        let (loaded, scored) = mini();
        assert_eq!(
            all(&loaded, &scored, "Noto Sans"),
            all(&loaded, &scored, "Noto Sans")
        );
    }

    #[test]
    fn names_are_escaped_and_long_ones_shortened() {
        let (loaded, mut scored) = mini();
        scored.units[0].name =
            "A&B <\"x\"> een heel erg lange naam van een eenheid die niet past".into();
        let charts = key_figures(&scored, "Noto Sans");
        let [c] = charts.as_slice() else {
            panic!("one chart for three units: {charts:?}")
        };
        assert!(c.svg.contains("A&amp;B &lt;"), "{}", c.svg);
        assert!(c.svg.contains('…'));
        assert!(!c.svg.contains("<\"x\">"));
        let _ = loaded;
    }

    #[test]
    fn edge_cases_do_not_panic() {
        let (loaded, mut scored) = mini();
        // No units at all.
        let mut empty = scored.clone();
        empty.units.clear();
        assert!(key_figures(&empty, "F").is_empty());
        let _ = verdict_distribution(&empty, "F");
        assert!(partner_ratings(&loaded, &empty, "F").is_none());
        // A unit without any score.
        for d in &mut scored.units[0].dimensions {
            d.score = None;
        }
        assert!(unit_scores(&scored.units[0], &loaded.edition.value.dimensions, "F").is_none());
    }

    /// Widths of the bars in the rows of a key-figures chart (not the legend).
    fn bar_widths(svg: &str) -> Vec<i32> {
        svg.lines()
            .filter_map(|l| {
                let rest = l.strip_prefix("<rect x=\"180\" y=\"")?;
                let (y, rest) = rest.split_once('"')?;
                let w = rest.strip_prefix(" width=\"")?.split('"').next()?;
                (y.parse::<i32>().ok()? >= 36).then(|| w.parse().ok())?
            })
            .collect()
    }

    #[test]
    fn many_units_get_key_figures_in_page_sized_parts() {
        let (_, mut scored) = mini();
        let template = scored.units[1].clone();
        scored.units = (0..5000)
            .map(|i| {
                let mut u = template.clone();
                u.id = format!("u{i}");
                u.name = format!("Eenheid nummer {i} met een lange naam, {}", "x".repeat(60));
                u.key_figures = Some(crate::model::KeyFigures {
                    suspects: (i % 7) as u32,
                    case_files: 3,
                    victims: 0,
                });
                u
            })
            .collect();
        scored.units[4999].key_figures.as_mut().unwrap().suspects = 70;
        let charts = key_figures(&scored, "F");
        assert_eq!(charts.len(), 5000usize.div_ceil(KEY_FIGURES_ROWS));
        assert_eq!(charts[0].file, "charts/kerncijfers-1.svg");
        assert_eq!(charts[166].file, "charts/kerncijfers-167.svg");
        for c in &charts {
            // PDF/A allows at most 32,767 characters in one string.
            assert!(c.alt.chars().count() < 32_767, "{}", c.alt.len());
            assert!(c.height_cm <= 18.0, "{}: {} cm", c.file, c.height_cm);
        }
        assert!(
            charts[1]
                .alt
                .starts_with("Staafdiagram van de kerncijfers per eenheid in 2030, deel 2 van 167: Eenheid nummer 30 "),
            "{}",
            charts[1].alt
        );
        assert!(charts[166].alt.contains("Eenheid nummer 4999 met"));
        // One scale for every part: the largest number (70, in the last
        // part) sets it, so the first part's bars (at most 6) stay short.
        let widest = |svg: &str| bar_widths(svg).into_iter().max().unwrap_or(0);
        assert_eq!(widest(&charts[166].svg), 420);
        assert_eq!(widest(&charts[0].svg), 36);
    }
}
