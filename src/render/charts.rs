//! Charts: plotters draws each chart of the report as SVG, set in the
//! report's font, with a Dutch alternative text that states its numbers.
//!
//! Every chart reads in greyscale too: each bar or segment carries its
//! number as text, series differ in lightness and outline or hatching, and
//! categories are labelled in words.
//!
//! Print rules: a chart is [`WIDTH`] pixels wide and set at its
//! `width_cm` (40 pixels to the centimetre), so every text is at least
//! [`MIN_TEXT_PT`](crate::typeset::print::MIN_TEXT_PT) points at print size. Labels are measured in the font
//! they are drawn in and placed where no text overlaps another or crosses
//! a line; a long name wraps onto more lines, it is never cut.

use plotters::coord::Shift;
use plotters::prelude::*;
use plotters::style::text_anchor::{HPos, Pos, VPos};
use typst::layout::Abs;
use typst::text::{Font, FontInstance, FontVariant, FontVariations};

use crate::data::model::{Dimension, Rating, Verdict};
use crate::figures::scored::{ScoredEdition, ScoredUnit};
use crate::figures::series::UnitPeers;
use crate::render::house_style::{Colour, Colours};
use crate::render::table::{Cell, DataTable};
use crate::typeset::FontSet;
use crate::words::dutch;

/// One chart: an SVG file for the Typst World and its alternative text.
#[derive(Debug, Clone, PartialEq)]
pub struct Chart {
    /// Virtual path, e.g. `charts/oordelen.svg`.
    pub file: String,
    /// The SVG document, shared with the documents that show it.
    pub svg: std::sync::Arc<str>,
    /// What the chart shows, with its numbers, in Dutch.
    pub alt: String,
    /// Width on the page in centimetres: the house style sets the chart
    /// at exactly this width, never scaled.
    pub width_cm: f64,
    /// Height on the page in centimetres.
    pub height_cm: f64,
    /// The numbers the chart draws, as a table (the web edition shows it
    /// beside the chart and offers it as CSV).
    pub table: DataTable,
}

/// Pixels per centimetre of the drawings.
pub const PX_PER_CM: f64 = 40.0;
/// Width of every chart in pixels (16 cm).
pub const WIDTH: u32 = 640;
/// Width of the web edition's narrow variant of each chart, in pixels
/// (CSS pixels as shown): it fits a phone of 320 CSS pixels.
pub const NARROW_WIDTH: u32 = 300;
/// Text in the narrow variant, as a multiple of its print size: the
/// smallest text (ticks of 7.5 pt, 10.6 px) becomes 12.7 px.
pub const NARROW_TEXT_SCALE: f64 = 1.2;
/// Pixels per typographic point at print size.
const PX_PER_PT: f64 = PX_PER_CM * 2.54 / 72.0;
/// plotters' SVG backend writes a text's size divided by this factor.
const PLOTTERS_FONT_SCALE: f64 = 1.24;
/// Labels, names and legends, in points at print size.
const LABEL_PT: f64 = 8.0;
/// Axis ticks and the stacked numbers of the key-figures chart, in points
/// at print size.
const TICK_PT: f64 = 7.5;
/// The category names under the verdict chart, in points at print size.
const AXIS_PT: f64 = 9.0;
/// Lines of a wrapped label, as a multiple of its size.
const LINE_HEIGHT: f64 = 1.2;
/// The tallest chart part, in pixels (19 cm): it fits on a page with its
/// heading and caption.
const MAX_PART_HEIGHT: i32 = 760;

/// The text of the charts.
const INK: RGBColor = RGBColor(0x22, 0x22, 0x22);

/// The house style's colours as the charts draw them
/// (`house-style.yaml`, [`Colours`]).
#[derive(Debug, Clone, Copy)]
pub struct Palette {
    /// Bars and marks.
    accent: RGBColor,
    /// Light bars and bands.
    light: RGBColor,
    /// Axes, ranges and threshold lines.
    muted: RGBColor,
    /// The partners' ratings goed, voldoende, matig and onvoldoende.
    ratings: [RGBColor; 4],
}

impl Palette {
    /// The charts' palette of the house style's `colours`.
    pub fn of(colours: &Colours) -> Palette {
        let rgb = |c: Colour| RGBColor(c.0, c.1, c.2);
        Palette {
            accent: rgb(colours.accent),
            light: rgb(colours.accent_light),
            muted: rgb(colours.muted),
            ratings: [
                rgb(colours.conform_norm),
                rgb(colours.voldoende),
                rgb(colours.aandacht),
                rgb(colours.onvoldoende),
            ],
        }
    }

    fn rating(&self, r: Rating) -> RGBColor {
        match r {
            Rating::Goed => self.ratings[0],
            Rating::Voldoende => self.ratings[1],
            Rating::Matig => self.ratings[2],
            Rating::Onvoldoende => self.ratings[3],
        }
    }
}

/// Ratings drawn with a hatch on top of their colour, so that neighbours of
/// similar lightness differ in greyscale.
fn rating_hatched(r: Rating) -> bool {
    matches!(r, Rating::Voldoende | Rating::Onvoldoende)
}

/// Text widths in the fonts the charts are drawn in: the main family's
/// regular face first, then every other font for the characters it lacks,
/// as Typst falls back when it draws the SVG.
pub struct Metrics {
    family: String,
    faces: Vec<FontInstance>,
    /// The colours the charts are drawn in.
    palette: Palette,
    /// The width of the drawings in pixels: [`WIDTH`], or [`NARROW_WIDTH`]
    /// for the web edition's narrow screens.
    canvas: i32,
    /// Every text's size as a multiple of its print size: 1, or
    /// [`NARROW_TEXT_SCALE`] on narrow screens.
    scale: f64,
    /// The tallest part of a chart in parts, in pixels.
    max_part: i32,
}

impl Metrics {
    /// The metrics of `fonts`, drawn in its main family in the colours of
    /// `palette`.
    pub fn new(fonts: &FontSet, palette: Palette) -> Metrics {
        let family = fonts.family().to_string();
        let mut all: Vec<Font> = fonts.fonts().collect();
        let main = all
            .iter()
            .position(|f| f.info().family == family && f.info().variant == FontVariant::default())
            .or_else(|| all.iter().position(|f| f.info().family == family));
        if let Some(i) = main {
            let f = all.remove(i);
            all.insert(0, f);
        }
        let faces = all
            .into_iter()
            .map(|f| {
                f.instantiate(
                    FontVariant::default(),
                    Abs::pt(10.0),
                    &FontVariations::default(),
                )
            })
            .collect();
        Metrics {
            family,
            faces,
            palette,
            canvas: WIDTH as i32,
            scale: 1.0,
            max_part: MAX_PART_HEIGHT,
        }
    }

    /// The same metrics for the web edition's narrow variant of each
    /// chart: [`NARROW_WIDTH`] pixels wide with every text
    /// [`NARROW_TEXT_SCALE`] times its print size, so that shown at its own
    /// width on a phone no text is under 12 CSS pixels.
    pub fn narrow(mut self) -> Metrics {
        self.canvas = NARROW_WIDTH as i32;
        self.scale = NARROW_TEXT_SCALE;
        self.max_part = i32::MAX;
        self
    }

    /// The size in pixels of text of `pt` points at print size.
    fn px(&self, pt: f64) -> f64 {
        pt * PX_PER_PT * self.scale
    }

    /// The height of one line of wrapped text of `pt` points, in pixels.
    fn line_px(&self, pt: f64) -> i32 {
        (self.px(pt) * LINE_HEIGHT).ceil() as i32
    }

    /// The font family the charts name.
    pub fn family(&self) -> &str {
        &self.family
    }

    /// The advance of `c` in em; a character no font has counts as 1 em.
    fn advance(&self, c: char) -> f64 {
        self.faces
            .iter()
            .find_map(|f| {
                let g = f.ttf().glyph_index(c)?;
                f.x_advance(g.0)
            })
            .map(|em| em.get())
            .unwrap_or(1.0)
    }

    /// The width of `text` at `size` pixels, in pixels.
    pub fn width(&self, text: &str, size: f64) -> f64 {
        text.chars().map(|c| self.advance(c)).sum::<f64>() * size
    }

    /// The width of `text` at `pt` points, in whole pixels (rounded up).
    fn px_width(&self, text: &str, pt: f64) -> i32 {
        self.width(text, self.px(pt)).ceil() as i32
    }
}

/// `text` broken into lines no wider than `max` pixels at `pt` points: at
/// spaces, after hyphens, and inside a word only where the word alone is
/// wider than `max`. Every character but runs of white space is kept.
pub fn wrap(m: &Metrics, text: &str, pt: f64, max: f64) -> Vec<String> {
    let size = m.px(pt);
    let mut pieces = Vec::new();
    for word in text.split_whitespace() {
        let mut rest = word;
        while let Some(i) = rest.find('-').filter(|i| i + 1 < rest.len()) {
            pieces.push((rest[..=i].to_string(), false));
            rest = &rest[i + 1..];
        }
        pieces.push((rest.to_string(), true));
    }
    let mut lines: Vec<String> = Vec::new();
    let mut line = String::new();
    for (piece, space_after) in pieces {
        let joined = format!("{line}{piece}");
        if line.is_empty() || m.width(joined.trim_end(), size) <= max {
            line = joined;
        } else {
            lines.push(line.trim_end().to_string());
            line = piece;
        }
        // A piece wider than a line on its own is broken between characters.
        while m.width(line.trim_end(), size) > max && line.trim_end().chars().count() > 1 {
            let mut head = String::new();
            for c in line.chars() {
                let next = format!("{head}{c}");
                if !head.is_empty() && m.width(&next, size) > max {
                    break;
                }
                head = next;
            }
            line = line[head.len()..].to_string();
            lines.push(head);
        }
        if space_after {
            line.push(' ');
        }
    }
    if !line.trim_end().is_empty() || lines.is_empty() {
        lines.push(line.trim_end().to_string());
    }
    lines
}

/// Every chart of the report, drawn on both cores in the house style's
/// `colours`: the national charts, then one chart per unit (see below).
pub fn all(scored: &ScoredEdition, fonts: &FontSet, colours: &Colours) -> Vec<Chart> {
    drawn(scored, &Metrics::new(fonts, Palette::of(colours)))
}

/// Every chart of [`all`] again, drawn for narrow screens
/// ([`Metrics::narrow`]), by the same file names: the web edition shows
/// these on a phone. A chart in parts may come in fewer parts.
pub fn all_narrow(scored: &ScoredEdition, fonts: &FontSet, colours: &Colours) -> Vec<Chart> {
    drawn(scored, &Metrics::new(fonts, Palette::of(colours)).narrow())
}

/// Every chart of the report, drawn with `m`.
fn drawn(scored: &ScoredEdition, m: &Metrics) -> Vec<Chart> {
    let e = scored.edition_file();
    let (national, units) = std::thread::scope(|s| {
        let units = s.spawn(|| {
            let peers: std::collections::HashMap<&str, &UnitPeers> =
                scored.peers.iter().map(|p| (p.id.as_str(), p)).collect();
            scored
                .units
                .iter()
                // One chart per unit: its scores against its peers' spread
                // and the thresholds, or, without peers, against the
                // thresholds alone; never both, which would repeat the
                // scores.
                .filter_map(|u| {
                    peers
                        .get(u.id.as_str())
                        .and_then(|p| unit_peers(e, u, p, m))
                        .or_else(|| unit_scores(u, &e.dimensions, m))
                })
                .collect::<Vec<_>>()
        });
        let mut national = vec![verdict_distribution(scored, m)];
        national.extend(key_figures(scored, m));
        national.extend(partner_ratings(scored, m));
        (national, units.join().unwrap_or_default())
    });
    national.into_iter().chain(units).collect()
}

fn finish(
    m: &Metrics,
    file: String,
    svg: String,
    alt: String,
    height: i32,
    table: DataTable,
) -> Chart {
    Chart {
        file,
        svg: svg.into(),
        alt,
        table,
        width_cm: f64::from(m.canvas) / PX_PER_CM,
        height_cm: f64::from(height) / PX_PER_CM,
    }
}

/// Draws into an SVG string of WIDTH x `height` pixels, on no background:
/// a chart set wider than its column must not paint over what is beside it.
fn draw(m: &Metrics, height: i32, f: impl FnOnce(&Pen)) -> String {
    let mut svg = String::new();
    {
        let root = SVGBackend::with_string(&mut svg, (m.canvas as u32, height.max(1) as u32))
            .into_drawing_area();
        f(&Pen { area: &root });
        let _ = root.present();
    }
    svg
}

/// The drawing primitives of the charts.
struct Pen<'a, 'b> {
    area: &'a DrawingArea<SVGBackend<'b>, Shift>,
}

impl Pen<'_, '_> {
    /// A text of `pt` points anchored at `at`: `h` says which end or the
    /// middle is at `at.0`; `v` is the top, the middle or the bottom of
    /// the text.
    #[allow(clippy::too_many_arguments)]
    fn text(
        &self,
        m: &Metrics,
        s: &str,
        at: (i32, i32),
        pt: f64,
        color: RGBColor,
        h: HPos,
        v: VPos,
    ) {
        let style = TextStyle {
            font: (m.family(), m.px(pt) * PLOTTERS_FONT_SCALE).into_font(),
            color: color.to_backend_color(),
            pos: Pos::new(h, v),
        };
        let _ = self.area.draw(&Text::new(s.to_string(), at, style));
    }

    /// Lines of text centred on `y` as a block, each anchored at `x` by `h`.
    #[allow(clippy::too_many_arguments)]
    fn lines(
        &self,
        m: &Metrics,
        lines: &[String],
        x: i32,
        y: i32,
        pt: f64,
        color: RGBColor,
        h: HPos,
    ) {
        let lh = m.line_px(pt);
        let first = y - lh * (lines.len() as i32 - 1) / 2;
        for (k, l) in lines.iter().enumerate() {
            self.text(m, l, (x, first + lh * k as i32), pt, color, h, VPos::Center);
        }
    }

    fn line(&self, points: Vec<(i32, i32)>, color: RGBColor, width: u32) {
        let _ = self
            .area
            .draw(&PathElement::new(points, color.stroke_width(width)));
    }

    /// A vertical dashed line from `y0` to `y1`.
    fn dashed(&self, x: i32, y0: i32, y1: i32, color: RGBColor, width: u32) {
        let mut y = y0;
        while y < y1 {
            self.line(vec![(x, y), (x, (y + 4).min(y1))], color, width);
            y += 7;
        }
    }

    fn fill(&self, a: (i32, i32), b: (i32, i32), color: RGBColor) {
        let _ = self.area.draw(&Rectangle::new([a, b], color.filled()));
    }

    /// Diagonal hatching inside a rectangle.
    fn hatch(&self, (x0, y0): (i32, i32), (x1, y1): (i32, i32), color: RGBColor) {
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
                self.line(
                    vec![(x0 + k + t0, y1 - t0), (x0 + k + t1, y1 - t1)],
                    color,
                    1,
                );
            }
            k += step;
        }
    }

    /// A filled, outlined bar, hatched when `hatched`.
    fn bar(&self, a: (i32, i32), b: (i32, i32), fill: RGBColor, hatched: bool) {
        self.fill(a, b, fill);
        if hatched {
            self.hatch(a, b, INK);
        }
        let _ = self.area.draw(&Rectangle::new([a, b], INK.stroke_width(1)));
    }
}

/// A legend key, drawn by the chart at a point.
type LegendKey<'a> = dyn Fn(&Pen, i32, i32) + 'a;

/// One legend entry: a key drawn by the chart and its words.
struct LegendItem<'a> {
    key: &'a LegendKey<'a>,
    text: String,
}

/// Width of a legend key in pixels, and the gap after it and after a text.
const KEY_W: i32 = 18;
const KEY_GAP: i32 = 6;
const ITEM_GAP: i32 = 24;

/// Lays the legend out in rows from `x` to `max_x`, the first row centred
/// on `y`; returns the y below the legend.
fn legend(pen: &Pen, m: &Metrics, items: &[LegendItem], x: i32, max_x: i32, y: i32) -> i32 {
    let lh = m.line_px(LABEL_PT) + 4;
    let (mut cx, mut cy) = (x, y);
    for item in items {
        let w = KEY_W + KEY_GAP + m.px_width(&item.text, LABEL_PT);
        if cx > x && cx + w > max_x {
            cx = x;
            cy += lh;
        }
        (item.key)(pen, cx, cy);
        pen.text(
            m,
            &item.text,
            (cx + KEY_W + KEY_GAP, cy),
            LABEL_PT,
            INK,
            HPos::Left,
            VPos::Center,
        );
        cx += w + ITEM_GAP;
    }
    cy + lh / 2
}

/// The height of the legend [`legend`] draws, in pixels.
fn legend_height(m: &Metrics, texts: &[&str], x: i32, max_x: i32) -> i32 {
    let lh = m.line_px(LABEL_PT) + 4;
    let mut rows = 1;
    let mut cx = x;
    for t in texts {
        let w = KEY_W + KEY_GAP + m.px_width(t, LABEL_PT);
        if cx > x && cx + w > max_x {
            cx = x;
            rows += 1;
        }
        cx += w + ITEM_GAP;
    }
    rows * lh
}

/// A legend key: a small bar.
fn bar_key(fill: RGBColor, hatched: bool) -> impl Fn(&Pen, i32, i32) {
    move |pen: &Pen, x: i32, y: i32| pen.bar((x, y - 7), (x + KEY_W, y + 7), fill, hatched)
}

/// The most editions the verdict chart sets side by side: the newest
/// ones (the national table lists every edition of the chain).
pub const MAX_CHART_EDITIONS: usize = 4;

/// The fill and hatching of the bars of each edition, the newest last:
/// neighbours differ in lightness and hatching, so they read in greyscale.
fn edition_fills(p: &Palette) -> [(RGBColor, bool); MAX_CHART_EDITIONS] {
    [
        (WHITE, true),
        (RGBColor(0x7a, 0x92, 0xab), false),
        (p.light, true),
        (p.accent, false),
    ]
}

/// The headline groups' verdicts in the newest editions of the chain (at
/// most [`MAX_CHART_EDITIONS`]), side by side.
pub fn verdict_distribution(scored: &ScoredEdition, m: &Metrics) -> Chart {
    let height = 300i32;
    let all: Vec<(u16, &crate::data::values::VerdictCounts)> = if scored.trends.editions.is_empty()
    {
        vec![(scored.year, &scored.figures.headline.overall)]
    } else {
        scored
            .trends
            .editions
            .iter()
            .map(|e| (e.year, &e.headline))
            .collect()
    };
    let shown = &all[all.len().saturating_sub(MAX_CHART_EDITIONS)..];
    let all_fills = edition_fills(&m.palette);
    let fills = &all_fills[MAX_CHART_EDITIONS - shown.len()..];
    let groups = scored
        .groups
        .iter()
        .filter(|g| g.headline)
        .map(|g| g.name.clone())
        .collect::<Vec<_>>();
    let units = scored.figures.headline.units;
    let max = Verdict::ALL
        .iter()
        .flat_map(|v| shown.iter().map(|(_, c)| c.get(*v)))
        .max()
        .unwrap_or(0)
        .max(1);
    let svg = draw(m, height, |pen| {
        let count_h = m.line_px(LABEL_PT);
        let (top, bottom, left, right) = (36 + count_h, height - 40, 40, m.canvas - 20);
        pen.line(vec![(left, bottom), (right, bottom)], INK, 1);
        let slot = (right - left) / 3;
        let n = shown.len() as i32;
        let gap = 6;
        let bar_w = (slot * 3 / 4 - (n - 1) * gap) / n.max(2);
        for (i, v) in Verdict::ALL.iter().enumerate() {
            let cx = left + slot * i as i32 + slot / 2;
            let group_w = n * bar_w + (n - 1) * gap;
            for (j, (_, counts)) in shown.iter().enumerate() {
                let count = counts.get(*v);
                let x0 = cx - group_w / 2 + j as i32 * (bar_w + gap);
                let h = ((bottom - top) as f64 * f64::from(count) / f64::from(max)).round() as i32;
                let (fill, hatched) = fills[j];
                pen.bar((x0, bottom - h), (x0 + bar_w, bottom), fill, hatched);
                pen.text(
                    m,
                    &count.to_string(),
                    (x0 + bar_w / 2, bottom - h - 4),
                    LABEL_PT,
                    INK,
                    HPos::Center,
                    VPos::Bottom,
                );
            }
            pen.text(
                m,
                v.label(),
                (cx, bottom + 10),
                AXIS_PT,
                INK,
                HPos::Center,
                VPos::Top,
            );
        }
        let keys: Vec<_> = fills.iter().map(|(f, h)| bar_key(*f, *h)).collect();
        let items: Vec<LegendItem> = shown
            .iter()
            .zip(&keys)
            .map(|((year, _), key)| LegendItem {
                key,
                text: year.to_string(),
            })
            .collect();
        legend(pen, m, &items, left, right, 16);
    });
    let counts = |c: &crate::data::values::VerdictCounts| {
        format!(
            "{} conform norm, {} aandacht en {} onvoldoende",
            c.conform_norm, c.aandacht, c.onvoldoende
        )
    };
    let years: Vec<String> = shown
        .iter()
        .rev()
        .map(|(year, c)| format!("in {year} {}", counts(c)))
        .collect();
    let alt = format!(
        "Staafdiagram van de oordelen over de {units} {}: {}.",
        dutch::list(&groups),
        years.join("; ")
    );
    let mut columns = vec!["Oordeel".to_string()];
    columns.extend(shown.iter().map(|(year, _)| format!("Aantal {year}")));
    let rows = Verdict::ALL
        .iter()
        .map(|v| {
            let mut row = vec![Cell::Text(v.label().to_string())];
            row.extend(shown.iter().map(|(_, c)| Cell::Count(u64::from(c.get(*v)))));
            row
        })
        .collect();
    let table = DataTable {
        caption: format!("Oordelen over de {units} {}", dutch::list(&groups)),
        columns,
        rows,
    };
    finish(m, "charts/oordelen.svg".into(), svg, alt, height, table)
}

/// The widest a column of names may be, in pixels; longer names wrap.
const NAME_COLUMN_MAX: i32 = 230;

/// The columns of a chart with a row per name and its value printed at the
/// right (a unit's scores, its peers): the names wrapped to fit the name
/// column, and the x of the scale's 0% and 100% between the names and the
/// widest value.
fn bar_columns(m: &Metrics, names: &[&str], values: &[String]) -> (Vec<Vec<String>>, i32, i32) {
    let (wrapped, name_w) = name_column(m, names);
    let value_w = values
        .iter()
        .map(|v| m.px_width(v, LABEL_PT))
        .max()
        .unwrap_or(0);
    (wrapped, 10 + name_w + 10, m.canvas - 10 - value_w - 16)
}

/// The names of a chart's rows wrapped to one column width, and that width.
fn name_column(m: &Metrics, names: &[&str]) -> (Vec<Vec<String>>, i32) {
    let widest = names
        .iter()
        .map(|n| m.px_width(n, LABEL_PT))
        .max()
        .unwrap_or(0)
        .clamp(
            1,
            (f64::from(NAME_COLUMN_MAX * m.canvas) / f64::from(WIDTH) * m.scale).round() as i32,
        );
    let wrapped = names
        .iter()
        .map(|n| wrap(m, n, LABEL_PT, f64::from(widest)))
        .collect();
    (wrapped, widest)
}

/// Whether `file` is the key-figures chart or one of its parts.
pub fn is_key_figures(file: &str) -> bool {
    file == "charts/kerncijfers.svg" || file.starts_with("charts/kerncijfers-")
}

/// One row of the key-figures chart: a unit, its two numbers and its
/// wrapped name.
struct KeyRow<'a> {
    unit: &'a ScoredUnit,
    suspects: u32,
    cases: u32,
    name: Vec<String>,
}

/// Height of one bar of the key-figures chart, and the gap between the two.
const KEY_BAR: i32 = 8;
const KEY_BAR_GAP: i32 = 2;

impl KeyRow<'_> {
    fn height(&self, m: &Metrics) -> i32 {
        let bars = 2 * KEY_BAR + KEY_BAR_GAP + 6;
        bars.max(m.line_px(LABEL_PT) * self.name.len() as i32 + 8)
    }
}

/// Suspects and case files per unit, as horizontal grouped bars drawn to
/// one scale: one chart (`charts/kerncijfers.svg`) when every unit fits in
/// [`MAX_PART_HEIGHT`] pixels, else parts of as many units as fit
/// (`charts/kerncijfers-1.svg`, ...); none without figures.
pub fn key_figures(scored: &ScoredEdition, m: &Metrics) -> Vec<Chart> {
    let units: Vec<(&ScoredUnit, u32, u32)> = scored
        .units
        .iter()
        .filter_map(|u| u.key_figures.map(|k| (u, k.suspects, k.case_files)))
        .collect();
    let names: Vec<&str> = units.iter().map(|(u, _, _)| u.name.as_str()).collect();
    let (wrapped, name_w) = name_column(m, &names);
    let rows: Vec<KeyRow> = units
        .iter()
        .zip(wrapped)
        .map(|(&(unit, suspects, cases), name)| KeyRow {
            unit,
            suspects,
            cases,
            name,
        })
        .collect();
    let max = rows
        .iter()
        .map(|r| r.suspects.max(r.cases))
        .max()
        .unwrap_or(0)
        .max(1);
    let value_w = rows
        .iter()
        .flat_map(|r| [r.suspects, r.cases])
        .map(|n| m.px_width(&dutch::number(i64::from(n)), TICK_PT))
        .max()
        .unwrap_or(0);
    let layout = KeyLayout {
        left: 10 + name_w + 8,
        right: m.canvas - 10 - value_w - 4,
        top: 12 + legend_height(m, &KEY_LEGEND, 10 + name_w + 8, m.canvas - 10),
        max,
    };
    // Parts of as many rows as fit in the tallest part, at least one each.
    let mut parts: Vec<&[KeyRow]> = Vec::new();
    let mut start = 0;
    let mut h = layout.top;
    for (i, r) in rows.iter().enumerate() {
        if i > start && h + r.height(m) + 10 > m.max_part {
            parts.push(&rows[start..i]);
            start = i;
            h = layout.top;
        }
        h += r.height(m);
    }
    if start < rows.len() {
        parts.push(&rows[start..]);
    }
    let count = parts.len();
    parts
        .into_iter()
        .enumerate()
        .map(|(i, part)| {
            let (file, of) = if count == 1 {
                ("charts/kerncijfers.svg".to_string(), String::new())
            } else {
                (
                    format!("charts/kerncijfers-{}.svg", i + 1),
                    format!(", deel {} van {count}", i + 1),
                )
            };
            let (svg, height) = key_figures_part(part, &layout, m);
            let figures: Vec<String> = part
                .iter()
                .map(|r| {
                    format!(
                        "{} {} verdachten en {} zaken",
                        r.unit.name, r.suspects, r.cases
                    )
                })
                .collect();
            let alt = format!(
                "Staafdiagram van de kerncijfers per eenheid in {}{of}: {}.",
                scored.year,
                figures.join("; ")
            );
            let table = DataTable {
                caption: format!("Kerncijfers per eenheid in {}{of}", scored.year),
                columns: vec![
                    "Eenheid".into(),
                    "Verdachten in beeld".into(),
                    "Zaken aangeleverd bij het OM".into(),
                ],
                rows: part
                    .iter()
                    .map(|r| {
                        vec![
                            Cell::Text(r.unit.name.clone()),
                            Cell::Count(u64::from(r.suspects)),
                            Cell::Count(u64::from(r.cases)),
                        ]
                    })
                    .collect(),
            };
            finish(m, file, svg, alt, height, table)
        })
        .collect()
}

/// The legend texts of the key-figures chart.
const KEY_LEGEND: [&str; 2] = ["verdachten in beeld", "zaken aangeleverd bij het OM"];

/// Where the parts of the key-figures chart put their bars: from `left`
/// to `right` for `max`, below `top`.
struct KeyLayout {
    left: i32,
    right: i32,
    top: i32,
    max: u32,
}

/// One part of the key-figures chart.
fn key_figures_part(rows: &[KeyRow], l: &KeyLayout, m: &Metrics) -> (String, i32) {
    let height = l.top + rows.iter().map(|r| r.height(m)).sum::<i32>() + 10;
    let svg = draw(m, height, |pen| {
        let suspects_key = bar_key(m.palette.accent, false);
        let cases_key = bar_key(m.palette.light, true);
        legend(
            pen,
            m,
            &[
                LegendItem {
                    key: &suspects_key,
                    text: KEY_LEGEND[0].into(),
                },
                LegendItem {
                    key: &cases_key,
                    text: KEY_LEGEND[1].into(),
                },
            ],
            l.left,
            m.canvas - 10,
            16,
        );
        let mut y = l.top;
        for r in rows {
            let rh = r.height(m);
            let cy = y + rh / 2;
            pen.lines(m, &r.name, l.left - 8, cy, LABEL_PT, INK, HPos::Right);
            let y0 = cy - KEY_BAR - KEY_BAR_GAP / 2;
            for (j, (count, light)) in [(r.suspects, false), (r.cases, true)]
                .into_iter()
                .enumerate()
            {
                let b0 = y0 + j as i32 * (KEY_BAR + KEY_BAR_GAP);
                let w = ((l.right - l.left) as f64 * f64::from(count) / f64::from(l.max)).round()
                    as i32;
                let fill = if light {
                    m.palette.light
                } else {
                    m.palette.accent
                };
                pen.bar((l.left, b0), (l.left + w.max(1), b0 + KEY_BAR), fill, light);
                pen.text(
                    m,
                    &dutch::number(i64::from(count)),
                    (l.left + w.max(1) + 4, b0 + KEY_BAR / 2),
                    TICK_PT,
                    INK,
                    HPos::Left,
                    VPos::Center,
                );
            }
            y += rh;
        }
    });
    (svg, height)
}

/// One unit's dimension scores against the thresholds; `None` without scores.
///
/// Each dimension is a row: its short name (wrapped when long), a bar for
/// the score, the two thresholds as a solid (conform norm) and a dashed
/// (aandacht) line across the row, and the score in a column of its own at
/// the right, where no threshold line can reach it.
pub fn unit_scores(unit: &ScoredUnit, dimensions: &[Dimension], m: &Metrics) -> Option<Chart> {
    if unit.dimensions.iter().all(|d| d.score.is_none()) {
        return None;
    }
    let def = |id: &str| dimensions.iter().find(|x| x.id == id);
    let shorts: Vec<&str> = unit
        .dimensions
        .iter()
        .map(|d| {
            def(&d.id)
                .map(|x| x.short_name.as_str())
                .unwrap_or(d.id.as_str())
        })
        .collect();
    let values: Vec<String> = unit
        .dimensions
        .iter()
        .map(|d| match d.score {
            Some(s) => dutch::percent_tenths(s.tenths),
            None => "n.v.t.".to_string(),
        })
        .collect();
    let (names, left, right) = bar_columns(m, &shorts, &values);
    let legend_texts = ["drempel conform norm", "drempel aandacht"];
    let top = 10 + legend_height(m, &legend_texts, left, m.canvas - 10);
    let row_h: Vec<i32> = names
        .iter()
        .map(|n| 32.max(m.line_px(LABEL_PT) * n.len() as i32 + 10))
        .collect();
    let bottom = top + row_h.iter().sum::<i32>();
    let height = bottom + 8 + m.line_px(TICK_PT) + 6;
    let x_of =
        |pct: f64| left + ((right - left) as f64 * pct.clamp(0.0, 100.0) / 100.0).round() as i32;
    let mut parts = Vec::new();
    let svg = draw(m, height, |pen| {
        threshold_legend(pen, m, legend_texts, left);
        pen.line(vec![(left, top), (left, bottom)], INK, 1);
        percent_axis(pen, m, bottom, &x_of);
        let mut y = top;
        for (i, d) in unit.dimensions.iter().enumerate() {
            let rh = row_h[i];
            let cy = y + rh / 2;
            let short = shorts[i];
            pen.lines(m, &names[i], left - 10, cy, LABEL_PT, INK, HPos::Right);
            pen.text(
                m,
                &values[i],
                (m.canvas - 10, cy),
                LABEL_PT,
                INK,
                HPos::Right,
                VPos::Center,
            );
            match d.score {
                Some(s) => {
                    let x = x_of(s.as_f64());
                    pen.bar(
                        (left, cy - 7),
                        (x.max(left + 1), cy + 7),
                        m.palette.accent,
                        false,
                    );
                    let mut part = format!("{short} {}", values[i]);
                    if let Some(t) = def(&d.id).and_then(|x| x.thresholds) {
                        threshold_lines(pen, &t, &x_of, y, y + rh);
                        part.push_str(&format!(
                            " (conform norm vanaf {}%, aandacht vanaf {}%)",
                            dutch::decimal_hundredths(t.conform_norm.hundredths()),
                            dutch::decimal_hundredths(t.aandacht.hundredths())
                        ));
                    }
                    parts.push(part);
                }
                None => parts.push(format!("{short} niet van toepassing")),
            }
            y += rh;
        }
    });
    let alt = format!(
        "Staafdiagram van de scores van {} per dimensie tegen de norm: {}.",
        unit.name,
        parts.join("; ")
    );
    Some(finish(
        m,
        format!("charts/eenheid-{}.svg", unit.id),
        svg,
        alt,
        height,
        unit_scores_table(unit, &shorts, def),
    ))
}

/// The legend of [`unit_scores`]: a solid line for the conform-norm
/// threshold and a dashed one for the aandacht threshold, from `left`.
fn threshold_legend(pen: &Pen, m: &Metrics, texts: [&str; 2], left: i32) {
    let norm_key = |pen: &Pen, x: i32, y: i32| {
        pen.line(vec![(x + KEY_W / 2, y - 8), (x + KEY_W / 2, y + 8)], INK, 2)
    };
    let aandacht_key = |pen: &Pen, x: i32, y: i32| pen.dashed(x + KEY_W / 2, y - 8, y + 8, INK, 2);
    legend(
        pen,
        m,
        &[
            LegendItem {
                key: &norm_key,
                text: texts[0].into(),
            },
            LegendItem {
                key: &aandacht_key,
                text: texts[1].into(),
            },
        ],
        left,
        m.canvas - 10,
        14,
    );
}

/// Ticks and labels at 0, 25, 50, 75 and 100 % below a chart whose rows
/// end at `bottom`, placed by `x_of` (percent to pixels).
fn percent_axis(pen: &Pen, m: &Metrics, bottom: i32, x_of: &impl Fn(f64) -> i32) {
    for pct in [0, 25, 50, 75, 100] {
        let x = x_of(f64::from(pct));
        pen.line(vec![(x, bottom), (x, bottom + 4)], m.palette.muted, 1);
        pen.text(
            m,
            &format!("{pct}%"),
            (x, bottom + 7),
            TICK_PT,
            m.palette.muted,
            HPos::Center,
            VPos::Top,
        );
    }
}

/// A dimension's two thresholds across its row (pixels `top` to `bottom`):
/// conform norm solid, aandacht dashed, each on a white edge that keeps it
/// visible on the bar.
fn threshold_lines(
    pen: &Pen,
    t: &crate::data::model::Thresholds,
    x_of: &impl Fn(f64) -> i32,
    top: i32,
    bottom: i32,
) {
    let norm = x_of(t.conform_norm.hundredths() as f64 / 100.0);
    let aandacht = x_of(t.aandacht.hundredths() as f64 / 100.0);
    pen.line(vec![(norm, top + 3), (norm, bottom - 3)], WHITE, 4);
    pen.dashed(aandacht, top + 3, bottom - 3, WHITE, 4);
    pen.line(vec![(norm, top + 3), (norm, bottom - 3)], INK, 2);
    pen.dashed(aandacht, top + 3, bottom - 3, INK, 2);
}

/// The table of [`unit_scores`]: per dimension (by its short name) the
/// unit's score and the two thresholds, in percent.
fn unit_scores_table<'a>(
    unit: &ScoredUnit,
    shorts: &[&str],
    def: impl Fn(&str) -> Option<&'a Dimension>,
) -> DataTable {
    let threshold = |d: &crate::figures::scored::ScoredDimension,
                     f: fn(&crate::data::model::Thresholds) -> i64| {
        def(&d.id)
            .and_then(|x| x.thresholds)
            .map_or(Cell::Missing, |t| Cell::Threshold(f(&t)))
    };
    DataTable {
        caption: format!("Scores van {} per dimensie tegen de drempels", unit.name),
        columns: vec![
            "Dimensie".into(),
            "Score (%)".into(),
            "Conform norm vanaf (%)".into(),
            "Aandacht vanaf (%)".into(),
        ],
        rows: unit
            .dimensions
            .iter()
            .zip(shorts)
            .map(|(d, short)| {
                vec![
                    Cell::Text(short.to_string()),
                    d.score.map_or(Cell::Missing, |s| Cell::Percent(s.tenths)),
                    threshold(d, |t| t.conform_norm.hundredths()),
                    threshold(d, |t| t.aandacht.hundredths()),
                ]
            })
            .collect(),
    }
}

/// The peer chart of `unit` in edition `e` from its `peers`.
fn unit_peers(
    e: &crate::data::model::EditionFile,
    unit: &ScoredUnit,
    peers: &UnitPeers,
    m: &Metrics,
) -> Option<Chart> {
    let group = e.groups.iter().find(|g| g.id == peers.group)?;
    let new_unit = peers
        .new_unit
        .as_deref()
        .and_then(|id| e.new_units.iter().find(|n| n.id == id))
        .map(|n| n.name.as_str());
    let names = |dim: Option<&str>| match dim {
        None => "Totaal".to_string(),
        Some(id) => e
            .dimensions
            .iter()
            .find(|d| d.id == id)
            .map_or_else(|| id.to_string(), |d| d.short_name.clone()),
    };
    peer_chart(unit, peers, &names, &group.name, new_unit, m)
}

/// The file of a unit's peer chart.
pub fn peer_file(unit_id: &str) -> String {
    format!("charts/peers-{unit_id}.svg")
}

/// A unit's scores against its peers, as a spine chart: per row (the
/// total, then each dimension with a score) the range of its group's
/// scores as a line from the lowest to the highest, the middle half
/// (first to third quartile) as a box, the median as a thick stroke, the
/// thresholds as thin lines, the unit's score as a diamond and, when the
/// edition has new police units, the mean of its new unit as a triangle.
/// A group of fewer than three scores gets no box, and the chart says so
/// under the scale. `names` gives the row names (`None` for the total),
/// `group` the group's plural name, `new_unit` the new unit's name.
pub fn peer_chart(
    unit: &ScoredUnit,
    peers: &UnitPeers,
    names: &dyn Fn(Option<&str>) -> String,
    group: &str,
    new_unit: Option<&str>,
    m: &Metrics,
) -> Option<Chart> {
    if peers.rows.is_empty() {
        return None;
    }
    let shorts: Vec<String> = peers
        .rows
        .iter()
        .map(|r| names(r.dimension.as_deref()))
        .collect();
    let has_mean = peers.rows.iter().any(|r| r.new_unit_mean.is_some());
    // The column and legend entry of the new unit's mean, when it has one.
    let mean_text = new_unit
        .map(|n| format!("gemiddelde {n}"))
        .filter(|_| has_mean);
    let layout = PeerLayout::new(peers, &shorts, group, mean_text.as_deref(), m);
    let svg = draw(m, layout.height, |pen| layout.draw(pen, peers, m));
    let alt = peer_alt(
        unit,
        peers,
        &shorts,
        group,
        new_unit,
        layout.note.as_deref(),
    );
    let table = peer_table(unit, peers, &shorts, group, mean_text.as_deref());
    Some(finish(
        m,
        peer_file(&unit.id),
        svg,
        alt,
        layout.height,
        table,
    ))
}

/// Where everything of a peer chart goes, in pixels.
struct PeerLayout {
    /// Each row's name, wrapped.
    wrapped: Vec<Vec<String>>,
    /// Each row's score, as printed at the right.
    values: Vec<String>,
    /// The x of 0% and of 100%.
    left: i32,
    right: i32,
    /// The top and bottom of the rows.
    top: i32,
    bottom: i32,
    /// Each row's height.
    row_h: Vec<i32>,
    /// Whether any row has quartiles.
    quartiles: bool,
    /// Whether the new unit's mean is drawn.
    mean: bool,
    /// The legend's texts, in order.
    legend_texts: Vec<String>,
    /// The note under the chart (no quartiles) and its lines.
    note: Option<String>,
    note_lines: Vec<String>,
    /// The bottom of the axis' tick labels.
    ticks_bottom: i32,
    /// The whole chart's height.
    height: i32,
}

impl PeerLayout {
    fn new(
        peers: &UnitPeers,
        shorts: &[String],
        group: &str,
        mean_text: Option<&str>,
        m: &Metrics,
    ) -> PeerLayout {
        let short_refs: Vec<&str> = shorts.iter().map(String::as_str).collect();
        let values: Vec<String> = peers
            .rows
            .iter()
            .map(|r| dutch::percent_tenths(r.score.tenths))
            .collect();
        let (wrapped, left, right) = bar_columns(m, &short_refs, &values);
        let quartiles = peers.rows.iter().any(|r| r.group.q1.is_some());
        let mut legend_texts: Vec<String> = vec!["score van de eenheid".into(), "mediaan".into()];
        if quartiles {
            legend_texts.push("middelste helft".into());
        }
        legend_texts.push("laagste tot hoogste".into());
        legend_texts.extend(mean_text.map(String::from));
        legend_texts.push("drempel conform norm".into());
        legend_texts.push("drempel aandacht".into());
        let legend_refs: Vec<&str> = legend_texts.iter().map(String::as_str).collect();
        let top = 10 + legend_height(m, &legend_refs, 10, m.canvas - 10);
        let row_h: Vec<i32> = wrapped
            .iter()
            .map(|n| 30.max(m.line_px(LABEL_PT) * n.len() as i32 + 10))
            .collect();
        let bottom = top + row_h.iter().sum::<i32>();
        let note = (!quartiles)
            .then(|| format!("Geen kwartielen: minder dan drie {group} met een score."));
        let note_lines = note
            .as_deref()
            .map(|n| wrap(m, n, LABEL_PT, f64::from(m.canvas - 20)))
            .unwrap_or_default();
        let ticks_bottom = bottom + 7 + m.line_px(TICK_PT);
        let height = ticks_bottom + 6 + m.line_px(LABEL_PT) * note_lines.len() as i32 + 4;
        PeerLayout {
            wrapped,
            values,
            left,
            right,
            top,
            bottom,
            row_h,
            quartiles,
            mean: mean_text.is_some(),
            legend_texts,
            note,
            note_lines,
            ticks_bottom,
            height,
        }
    }

    /// The x of a percentage.
    fn x_of(&self, pct: f64) -> i32 {
        self.left + ((self.right - self.left) as f64 * pct.clamp(0.0, 100.0) / 100.0).round() as i32
    }

    /// Draws the legend, the axes, each row and the note.
    fn draw(&self, pen: &Pen, peers: &UnitPeers, m: &Metrics) {
        let x_of = |pct: f64| self.x_of(pct);
        self.draw_legend(pen, m);
        pen.line(
            vec![(self.left, self.top), (self.left, self.bottom)],
            INK,
            1,
        );
        percent_axis(pen, m, self.bottom, &x_of);
        let mut y = self.top;
        for (i, r) in peers.rows.iter().enumerate() {
            let rh = self.row_h[i];
            let cy = y + rh / 2;
            pen.lines(
                m,
                &self.wrapped[i],
                self.left - 10,
                cy,
                LABEL_PT,
                INK,
                HPos::Right,
            );
            pen.text(
                m,
                &self.values[i],
                (m.canvas - 10, cy),
                LABEL_PT,
                INK,
                HPos::Right,
                VPos::Center,
            );
            if let Some((norm, aandacht)) = r.thresholds {
                pen.line(
                    vec![
                        (x_of(norm.as_f64()), y + 2),
                        (x_of(norm.as_f64()), y + rh - 2),
                    ],
                    m.palette.muted,
                    1,
                );
                pen.dashed(
                    x_of(aandacht.as_f64()),
                    y + 2,
                    y + rh - 2,
                    m.palette.muted,
                    1,
                );
            }
            let g = &r.group;
            let (lo, hi) = (x_of(g.min.as_f64()), x_of(g.max.as_f64()));
            pen.line(vec![(lo, cy), (hi, cy)], m.palette.muted, 2);
            pen.line(vec![(lo, cy - 5), (lo, cy + 5)], m.palette.muted, 2);
            pen.line(vec![(hi, cy - 5), (hi, cy + 5)], m.palette.muted, 2);
            if let (Some(q1), Some(q3)) = (g.q1, g.q3) {
                let (a, b) = (x_of(q1.as_f64()), x_of(q3.as_f64()));
                pen.bar((a, cy - 7), (b.max(a + 1), cy + 7), m.palette.light, false);
            }
            let med = x_of(g.median.as_f64());
            pen.line(vec![(med, cy - 10), (med, cy + 10)], INK, 3);
            if let Some(mean) = r.new_unit_mean {
                peer_triangle(pen, x_of(mean.as_f64()), cy);
            }
            peer_diamond(pen, m.palette.accent, x_of(r.score.as_f64()), cy);
            y += rh;
        }
        for (k, l) in self.note_lines.iter().enumerate() {
            pen.text(
                m,
                l,
                (10, self.ticks_bottom + 6 + m.line_px(LABEL_PT) * k as i32),
                LABEL_PT,
                INK,
                HPos::Left,
                VPos::Top,
            );
        }
    }

    /// Draws the legend: a key for each of [`PeerLayout::legend_texts`].
    fn draw_legend(&self, pen: &Pen, m: &Metrics) {
        let unit_key =
            |pen: &Pen, x: i32, y: i32| peer_diamond(pen, m.palette.accent, x + KEY_W / 2, y);
        let median_key = |pen: &Pen, x: i32, y: i32| {
            pen.line(vec![(x + KEY_W / 2, y - 8), (x + KEY_W / 2, y + 8)], INK, 3)
        };
        let box_key = |pen: &Pen, x: i32, y: i32| {
            pen.bar((x, y - 6), (x + KEY_W, y + 6), m.palette.light, false)
        };
        let range_key =
            |pen: &Pen, x: i32, y: i32| pen.line(vec![(x, y), (x + KEY_W, y)], m.palette.muted, 2);
        let mean_key = |pen: &Pen, x: i32, y: i32| peer_triangle(pen, x + KEY_W / 2, y);
        let norm_key = |pen: &Pen, x: i32, y: i32| {
            pen.line(
                vec![(x + KEY_W / 2, y - 8), (x + KEY_W / 2, y + 8)],
                m.palette.muted,
                1,
            )
        };
        let aandacht_key =
            |pen: &Pen, x: i32, y: i32| pen.dashed(x + KEY_W / 2, y - 8, y + 8, m.palette.muted, 1);
        let mut keys: Vec<&LegendKey<'_>> = vec![&unit_key, &median_key];
        if self.quartiles {
            keys.push(&box_key);
        }
        keys.push(&range_key);
        if self.mean {
            keys.push(&mean_key);
        }
        keys.push(&norm_key);
        keys.push(&aandacht_key);
        let items: Vec<LegendItem> = keys
            .into_iter()
            .zip(&self.legend_texts)
            .map(|(key, text)| LegendItem {
                key,
                text: text.clone(),
            })
            .collect();
        legend(pen, m, &items, 10, m.canvas - 10, 14);
    }
}

/// The unit's score: a diamond filled with `fill` at (`x`, `y`).
fn peer_diamond(pen: &Pen, fill: RGBColor, x: i32, y: i32) {
    let _ = pen.area.draw(&Polygon::new(
        vec![(x, y - 8), (x + 7, y), (x, y + 8), (x - 7, y)],
        fill.filled(),
    ));
}

/// The new unit's mean: an open triangle at (`x`, `y`).
fn peer_triangle(pen: &Pen, x: i32, y: i32) {
    pen.line(
        vec![(x, y - 7), (x + 7, y + 6), (x - 7, y + 6), (x, y - 7)],
        INK,
        2,
    );
}

/// The alternative text of a peer chart: each row's score and the spread
/// of the group, with the thresholds, and the note under the chart.
fn peer_alt(
    unit: &ScoredUnit,
    peers: &UnitPeers,
    shorts: &[String],
    group: &str,
    new_unit: Option<&str>,
    note: Option<&str>,
) -> String {
    let pct = |p: crate::data::values::Percent| dutch::percent_tenths(p.tenths);
    let count = peers.rows.first().map_or(0, |r| r.group.count);
    let parts: Vec<String> = peers
        .rows
        .iter()
        .zip(shorts)
        .map(|(r, name)| {
            let g = &r.group;
            let mut spread = format!("laagste {}", pct(g.min));
            if let (Some(q1), Some(q3)) = (g.q1, g.q3) {
                spread.push_str(&format!(
                    ", eerste kwartiel {}, mediaan {}, derde kwartiel {}",
                    pct(q1),
                    pct(g.median),
                    pct(q3)
                ));
            } else {
                spread.push_str(&format!(", mediaan {}", pct(g.median)));
            }
            spread.push_str(&format!(", hoogste {}", pct(g.max)));
            if let (Some(mean), Some(n)) = (r.new_unit_mean, new_unit) {
                spread.push_str(&format!("; gemiddelde {n} {}", pct(mean)));
            }
            let mut part = format!("{name} {} ({spread})", pct(r.score));
            if let Some((norm, aandacht)) = r.thresholds {
                part.push_str(&format!(
                    ", conform norm vanaf {}, aandacht vanaf {}",
                    pct(norm),
                    pct(aandacht)
                ));
            }
            part
        })
        .collect();
    let mut alt = format!(
        "Spreidingsdiagram van de scores van {} tegen die van de {count} {group}: {}.",
        unit.name,
        parts.join("; ")
    );
    if let Some(n) = note {
        alt.push(' ');
        alt.push_str(n);
    }
    alt
}

/// The numbers of a peer chart as a table; with `mean_text`, a column of
/// the new unit's mean.
fn peer_table(
    unit: &ScoredUnit,
    peers: &UnitPeers,
    shorts: &[String],
    group: &str,
    mean_text: Option<&str>,
) -> DataTable {
    let count = peers.rows.first().map_or(0, |r| r.group.count);
    let cell = |p: Option<crate::data::values::Percent>| {
        p.map_or(Cell::Missing, |p| Cell::Percent(p.tenths))
    };
    let mut columns: Vec<String> = [
        "Onderdeel",
        "Score (%)",
        "Laagste (%)",
        "Eerste kwartiel (%)",
        "Mediaan (%)",
        "Derde kwartiel (%)",
        "Hoogste (%)",
    ]
    .map(String::from)
    .to_vec();
    if let Some(t) = mean_text {
        columns.push(format!("{} (%)", dutch::capitalise(t)));
    }
    let rows = peers
        .rows
        .iter()
        .zip(shorts)
        .map(|(r, name)| {
            let g = &r.group;
            let mut row = vec![
                Cell::Text(name.clone()),
                cell(Some(r.score)),
                cell(Some(g.min)),
                cell(g.q1),
                cell(Some(g.median)),
                cell(g.q3),
                cell(Some(g.max)),
            ];
            if mean_text.is_some() {
                row.push(cell(r.new_unit_mean));
            }
            row
        })
        .collect();
    DataTable {
        caption: format!("Scores van {} tegen die van de {count} {group}", unit.name),
        columns,
        rows,
    }
}

/// How many units rate each chain partner goed, voldoende, matig or
/// onvoldoende, as stacked bars; `None` when no unit rated a partner.
/// A segment shows its number when the number fits inside it.
pub fn partner_ratings(scored: &ScoredEdition, m: &Metrics) -> Option<Chart> {
    let rows = partner_counts(scored);
    if rows.is_empty() {
        return None;
    }
    let partner_names: Vec<&str> = rows.iter().map(|(p, _)| *p).collect();
    let (names, name_w) = name_column(m, &partner_names);
    let (left, right) = (10 + name_w + 8, m.canvas - 20);
    let labels: Vec<&str> = Rating::ALL.iter().map(|r| r.label()).collect();
    let top = 12 + legend_height(m, &labels, 10, m.canvas - 10);
    let row_h: Vec<i32> = names
        .iter()
        .map(|n| 26.max(m.line_px(LABEL_PT) * n.len() as i32 + 8))
        .collect();
    let height = top + row_h.iter().sum::<i32>() + 10;
    let max = rows
        .iter()
        .map(|(_, c)| c.iter().sum::<u32>())
        .max()
        .unwrap_or(0)
        .max(1);
    let svg = draw(m, height, |pen| {
        let keys: Vec<_> = Rating::ALL
            .iter()
            .map(|r| bar_key(m.palette.rating(*r), rating_hatched(*r)))
            .collect();
        let items: Vec<LegendItem> = keys
            .iter()
            .zip(&labels)
            .map(|(k, l)| LegendItem {
                key: k,
                text: l.to_string(),
            })
            .collect();
        legend(pen, m, &items, 10, m.canvas - 10, 16);
        let mut y = top;
        for (i, (_, counts)) in rows.iter().enumerate() {
            let rh = row_h[i];
            let cy = y + rh / 2;
            pen.lines(m, &names[i], left - 8, cy, LABEL_PT, INK, HPos::Right);
            let mut x = left;
            for (k, r) in Rating::ALL.iter().enumerate() {
                let n = counts[k];
                if n == 0 {
                    continue;
                }
                let w = ((right - left) as f64 * f64::from(n) / f64::from(max)).round() as i32;
                rating_segment(pen, m, *r, n, (x, w), cy);
                x += w;
            }
            y += rh;
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
    let mut columns = vec!["Ketenpartner".to_string()];
    columns.extend(labels.iter().map(|l| format!("Aantal {l}")));
    let table = DataTable {
        caption: "Oordeel van de eenheden over de ketenpartners".into(),
        columns,
        rows: rows
            .iter()
            .map(|(p, c)| {
                let mut row = vec![Cell::Text(p.to_string())];
                row.extend(c.iter().map(|n| Cell::Count(u64::from(*n))));
                row
            })
            .collect(),
    };
    Some(finish(
        m,
        "charts/ketenpartners.svg".into(),
        svg,
        alt,
        height,
        table,
    ))
}

/// Per chain partner of the edition (in its order), its name and how many
/// units rate it goed, voldoende, matig and onvoldoende (in the order of
/// [`Rating::ALL`]). A partner no unit rated is left out: it gets no empty
/// bar, and the table leaves it out too and names it in words.
fn partner_counts(scored: &ScoredEdition) -> Vec<(&str, [u32; 4])> {
    scored
        .edition_file()
        .partners
        .iter()
        .map(|p| {
            let mut counts = [0u32; 4];
            for (_, u) in scored.units_with_files() {
                if let Some(r) = u.partners.get(&p.id) {
                    counts[Rating::ALL.iter().position(|x| *x == r.rating).unwrap_or(0)] += 1;
                }
            }
            (p.name.as_str(), counts)
        })
        .filter(|(_, c)| c.iter().sum::<u32>() > 0)
        .collect()
}

/// One segment of a partner's stacked bar: `n` units rating `r`, from
/// pixel `x` and `w` wide (`(x, w)`), centred on row middle `cy`; with the
/// number inside when it fits.
fn rating_segment(pen: &Pen, m: &Metrics, r: Rating, n: u32, (x, w): (i32, i32), cy: i32) {
    let (b0, b1) = (cy - 9, cy + 9);
    pen.bar(
        (x, b0),
        (x + w.max(1), b1),
        m.palette.rating(r),
        rating_hatched(r),
    );
    let text = n.to_string();
    let tw = m.px_width(&text, LABEL_PT);
    if w >= tw + 8 {
        let cx = x + w / 2;
        // A white box behind the number keeps it legible over hatching; on
        // a plain colour the number takes the ink that reads on it.
        let ink = if rating_hatched(r) {
            pen.fill((cx - tw / 2 - 3, b0 + 3), (cx + tw / 2 + 3, b1 - 3), WHITE);
            INK
        } else if matches!(r, Rating::Goed | Rating::Onvoldoende) {
            WHITE
        } else {
            INK
        };
        pen.text(
            m,
            &text,
            (cx, cy),
            LABEL_PT,
            ink,
            HPos::Center,
            VPos::Center,
        );
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::path::Path;

    fn mini() -> ScoredEdition {
        let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/valid/mini");
        crate::figures::score::score(crate::data::load::load(&dir).edition.unwrap())
    }

    /// The default house style's colours.
    fn colours() -> Colours {
        crate::render::house_style::HouseStyle::of(&crate::render::Templates::embedded())
            .expect("the default house style")
            .colours
    }

    fn metrics() -> Metrics {
        Metrics::new(&FontSet::embedded(), Palette::of(&colours()))
    }

    /// The texts of an SVG, unescaped.
    fn texts(svg: &str) -> Vec<String> {
        svg.split("<text ")
            .skip(1)
            .filter_map(|t| {
                let body = t.split_once('>')?.1.split_once("</text>")?.0;
                let body = body.trim_matches('\n');
                Some(
                    body.replace("&lt;", "<")
                        .replace("&gt;", ">")
                        .replace("&quot;", "\"")
                        .replace("&amp;", "&"),
                )
            })
            .collect()
    }

    #[test]
    fn a_peer_chart_without_quartiles_says_so() {
        let scored = mini();
        let alfa = scored.unit("alfa").unwrap();
        use crate::data::values::{Fraction, Percent};
        let pct = |n: i128| Percent::of(Fraction::whole(n));
        let peers = UnitPeers {
            id: "alfa".into(),
            group: "korpsen".into(),
            new_unit: None,
            rows: vec![crate::figures::series::PeerRow {
                dimension: None,
                score: pct(80),
                group: crate::figures::series::PeerSpread {
                    count: 2,
                    min: pct(60),
                    q1: None,
                    median: pct(70),
                    q3: None,
                    max: pct(80),
                    mean: pct(70),
                },
                position: crate::figures::series::Position::Above,
                new_unit_mean: None,
                thresholds: None,
            }],
        };
        let names = |d: Option<&str>| d.map_or("Totaal".to_string(), str::to_string);
        let chart = peer_chart(alfa, &peers, &names, "korpsen", None, &metrics()).unwrap();
        let note = "Geen kwartielen: minder dan drie korpsen met een score.";
        assert!(
            texts(&chart.svg).contains(&note.to_string()),
            "{}",
            chart.svg
        );
        assert!(
            chart.alt.starts_with(
                "Spreidingsdiagram van de scores van Alfa tegen die van de 2 korpsen: Totaal 80,0% (laagste 60,0%, mediaan 70,0%, hoogste 80,0%)"
            ),
            "{}",
            chart.alt
        );
        assert!(!chart.alt.contains("kwartiel "), "{}", chart.alt);
        assert!(chart.alt.ends_with(note), "{}", chart.alt);
    }

    #[test]
    fn every_chart_is_drawn_with_its_numbers_and_font() {
        let scored = mini();
        let charts = all(&scored, &FontSet::embedded(), &colours());
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
        // Two korpsen and one dienst: groups too small for a peer chart.
        assert!(scored.peers.is_empty());
        let by_file = |f: &str| charts.iter().find(|c| c.file == f).unwrap();
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
        let alfa = by_file("charts/eenheid-alfa.svg");
        assert!(
            texts(&alfa.svg).contains(&"83,3%".to_string()),
            "{}",
            alfa.svg
        );
        assert!(
            alfa.alt
                .contains("Toezicht 83,3% (conform norm vanaf 70%, aandacht vanaf 50%)"),
            "{}",
            alfa.alt
        );
        // The thresholds are named once, in the legend, not under every bar.
        let words = texts(&alfa.svg);
        assert_eq!(
            words.iter().filter(|t| t.contains("aandacht")).count(),
            1,
            "{words:?}"
        );
        let gamma = by_file("charts/eenheid-gamma.svg");
        assert!(texts(&gamma.svg).contains(&"n.v.t.".to_string()));
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
        let scored = mini();
        let fonts = FontSet::embedded();
        assert_eq!(
            all(&scored, &fonts, &colours()),
            all(&scored, &fonts, &colours())
        );
    }

    #[test]
    fn names_are_escaped_and_long_ones_wrapped_whole() {
        let mut scored = mini();
        let name = "A&B <\"x\"> een heel erg lange naam van een eenheid die niet past";
        scored.units[0].name = name.into();
        let charts = key_figures(&scored, &metrics());
        let [c] = charts.as_slice() else {
            panic!("one chart for three units: {charts:?}")
        };
        assert!(c.svg.contains("A&amp;B &lt;"), "{}", c.svg);
        assert!(!c.svg.contains("<\"x\">"));
        assert!(!c.svg.contains('…'));
        // Every word of the name is printed, over more than one line.
        let lines: Vec<String> = texts(&c.svg)
            .into_iter()
            .skip_while(|t| !t.starts_with("A&B"))
            .take_while(|t| !t.chars().all(|c| c.is_ascii_digit()))
            .collect();
        assert!(lines.len() > 1, "{lines:?}");
        assert_eq!(lines.join(" "), name);
    }

    #[test]
    fn wrapping_keeps_every_character_and_breaks_where_it_must() {
        let m = metrics();
        let w = |s: &str| m.width(s, m.px(LABEL_PT));
        assert_eq!(wrap(&m, "Groningen", LABEL_PT, 200.0), ["Groningen"]);
        assert_eq!(
            wrap(
                &m,
                "Expertisecentrum Mensenhandel en Mensensmokkel",
                LABEL_PT,
                w("Expertisecentrum Mensenhandel") + 1.0
            ),
            ["Expertisecentrum Mensenhandel", "en Mensensmokkel"]
        );
        assert_eq!(
            wrap(
                &m,
                "Noord- en Oost-Gelderland",
                LABEL_PT,
                w("Noord- en Oost-") + 1.0
            ),
            ["Noord- en Oost-", "Gelderland"]
        );
        let token = "x".repeat(80);
        let lines = wrap(&m, &token, LABEL_PT, 100.0);
        assert!(lines.len() > 3, "{lines:?}");
        assert_eq!(lines.concat(), token);
        assert!(lines.iter().all(|l| w(l) <= 100.0), "{lines:?}");
        assert_eq!(wrap(&m, "", LABEL_PT, 100.0), [""]);
    }

    #[test]
    fn edge_cases_do_not_panic() {
        let mut scored = mini();
        let m = metrics();
        // No units at all.
        let mut empty = scored.clone();
        empty.units.clear();
        assert!(key_figures(&empty, &m).is_empty());
        let _ = verdict_distribution(&empty, &m);
        assert!(partner_ratings(&empty, &m).is_none());
        // A unit without any score.
        for d in &mut scored.units[0].dimensions {
            d.score = None;
        }
        assert!(
            unit_scores(
                &scored.units[0],
                &scored.edition_file().dimensions.clone(),
                &m
            )
            .is_none()
        );
    }

    /// Widths of the bars in the rows of a key-figures chart (not the legend).
    fn bar_widths(svg: &str) -> Vec<i32> {
        svg.lines()
            .filter(|l| l.starts_with("<rect ") && l.contains(&format!("height=\"{KEY_BAR}\"")))
            .filter_map(|l| l.split(" width=\"").nth(1)?.split('"').next()?.parse().ok())
            .collect()
    }

    #[test]
    fn many_units_get_key_figures_in_page_sized_parts() {
        let mut scored = mini();
        let template = scored.units[1].clone();
        scored.units = (0..5000)
            .map(|i| {
                let mut u = template.clone();
                u.id = format!("u{i}");
                u.name = format!("Eenheid nummer {i} met een lange naam, {}", "x".repeat(60));
                u.key_figures = Some(crate::data::model::KeyFigures {
                    suspects: (i % 7) as u32,
                    case_files: 3,
                    victims: 0,
                });
                u
            })
            .collect();
        scored.units[4999].key_figures.as_mut().unwrap().suspects = 70;
        let charts = key_figures(&scored, &metrics());
        let count = charts.len();
        assert!(count > 100, "{count} parts");
        assert_eq!(charts[0].file, "charts/kerncijfers-1.svg");
        assert_eq!(
            charts[count - 1].file,
            format!("charts/kerncijfers-{count}.svg")
        );
        for c in &charts {
            // PDF/A allows at most 32,767 characters in one string.
            assert!(c.alt.chars().count() < 32_767, "{}", c.alt.len());
            assert!(c.height_cm <= 19.0, "{}: {} cm", c.file, c.height_cm);
        }
        let per_part = charts[0].alt.matches(" verdachten en ").count();
        assert!(
            charts[1].alt.starts_with(&format!(
                "Staafdiagram van de kerncijfers per eenheid in 2030, deel 2 van {count}: Eenheid nummer {per_part} "
            )),
            "{}",
            charts[1].alt
        );
        assert!(charts[count - 1].alt.contains("Eenheid nummer 4999 met"));
        // One scale for every part: the largest number (70, in the last
        // part) sets it, so the first part's bars (at most 6) stay short.
        let widest = |svg: &str| bar_widths(svg).into_iter().max().unwrap_or(0);
        let full = widest(&charts[count - 1].svg);
        assert!(full > 300, "{full}");
        assert_eq!(
            widest(&charts[0].svg),
            (f64::from(full) * 6.0 / 70.0).round() as i32
        );
    }
}
