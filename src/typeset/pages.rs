//! Laid-out pages as words and as pictures, for `korpsmonitor compare`:
//! the words of a page with their boxes, read from the frames Typst laid
//! out (the same [`PagedDocument`] the PDF export reads), and a pair of
//! pages rasterised side by side with chosen words highlighted, as PNG.
//!
//! Coordinates are in typographic points (1/72 inch) from the page's top
//! left corner, y downwards, as Typst lays pages out.

use typst::layout::{Abs, Frame, FrameItem, Point, Transform};
use typst::text::TextItem;
use typst_layout::{Page, PagedDocument};

pub use crate::typeset::boxes::{Rect, Word};

/// The words of `page` in layout order (the order Typst placed them,
/// which is reading order for running text), each with its box.
pub fn words(page: &Page) -> Vec<Word> {
    let mut out = Vec::new();
    walk(&page.frame, Transform::identity(), &mut out);
    out
}

/// The words of every page of `doc`, page by page.
pub fn document_words(doc: &PagedDocument) -> Vec<Vec<Word>> {
    doc.pages().iter().map(words).collect()
}

fn walk(frame: &Frame, ts: Transform, out: &mut Vec<Word>) {
    for (pos, item) in frame.items() {
        match item {
            FrameItem::Group(g) => {
                let inner = ts
                    .pre_concat(Transform::translate(pos.x, pos.y))
                    .pre_concat(g.transform);
                walk(&g.frame, inner, out);
            }
            FrameItem::Text(t) => text_words(t, *pos, ts, out),
            FrameItem::Image(image, size, _) => out.push(Word {
                text: format!("[image {:032x}]", typst::utils::hash128(image)),
                rect: Rect::transformed(ts, pos.x, pos.y, size.x, size.y),
            }),
            _ => {}
        }
    }
}

/// Splits one text run at its white space into words, each boxed from
/// the left of its first glyph to the right of its last, and from the
/// ascender to the descender of the run's size.
fn text_words(t: &TextItem, pos: Point, ts: Transform, out: &mut Vec<Word>) {
    let size = t.size;
    let (top, height) = (pos.y - size * 0.8, size * 1.05);
    let mut x = pos.x;
    // The word being read: its text and its left and right edges.
    let mut current: Option<(String, Abs, Abs)> = None;
    let mut last_range = None;
    let flush = |current: &mut Option<(String, Abs, Abs)>, out: &mut Vec<Word>| {
        if let Some((text, left, right)) = current.take() {
            out.push(Word {
                text,
                rect: Rect::transformed(ts, left, top, right - left, height),
            });
        }
    };
    for g in &t.glyphs {
        let advance = g.x_advance.at(size);
        let left = x + g.x_offset.at(size);
        x += advance;
        let range = g.range();
        // Glyphs of one cluster (a ligature's parts) share their text.
        let repeated = last_range.as_ref() == Some(&range);
        let cluster = t.text.get(range.clone()).unwrap_or_default();
        last_range = Some(range);
        if cluster.chars().all(char::is_whitespace) {
            flush(&mut current, out);
            continue;
        }
        match &mut current {
            Some((text, _, right)) => {
                if !repeated {
                    text.push_str(cluster);
                }
                *right = left + advance;
            }
            None => current = Some((cluster.to_string(), left, left + advance)),
        }
    }
    flush(&mut current, out);
}

/// How a side of a comparison picture marks its words.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Mark {
    /// Words that were removed: red.
    Removed,
    /// Words that were added: green.
    Added,
}

/// A page to draw: laid out by Typst, or a page of a PDF file.
#[derive(Clone, Copy)]
pub enum Sheet<'a> {
    /// A laid-out page.
    Laid(&'a Page),
    /// Page `.1` (0-based) of the PDF file in `.0`.
    Pdf(&'a [u8], usize),
}

/// One side of a comparison picture: a page and the words to mark on it.
pub struct Side<'a> {
    /// The page.
    pub page: Sheet<'a>,
    /// The boxes to highlight, in points.
    pub marks: &'a [Rect],
    /// Their colour.
    pub mark: Mark,
}

/// The space around and between the pages of a comparison picture, in
/// pixels.
const GAP: u32 = 16;

/// The old page (left) and the new page (right) rasterised at
/// `pixel_per_pt` pixels per point, their marked words highlighted, side
/// by side on a grey ground, as PNG bytes (laid-out pages drawn by
/// typst-render, PDF pages by hayro). A missing side (a page only in
/// one version) is drawn as an empty outline the size of the other page.
/// The same pages and marks always give the same bytes.
///
/// Errors: both sides missing, a scale outside 0.25 to 8 pixels per
/// point, a PDF page that cannot be drawn, or the PNG encoder's error, as
/// a message.
pub fn side_by_side(
    old: Option<Side>,
    new: Option<Side>,
    pixel_per_pt: f32,
) -> Result<Vec<u8>, String> {
    if !(0.25..=8.0).contains(&pixel_per_pt) {
        return Err(format!(
            "a scale of {pixel_per_pt} pixels per point; expected 0.25 to 8"
        ));
    }
    let render = |side: &Option<Side>| side.as_ref().map(|s| draw(s, pixel_per_pt)).transpose();
    let (left, right) = (render(&old)?, render(&new)?);
    let size = |p: &Option<tiny_skia::Pixmap>| p.as_ref().map(|p| (p.width(), p.height()));
    let (lw, lh) = size(&left).or(size(&right)).ok_or("no page to draw")?;
    let (rw, rh) = size(&right).unwrap_or((lw, lh));
    let width = GAP * 3 + lw + rw;
    let height = GAP * 2 + lh.max(rh);
    let mut canvas = tiny_skia::Pixmap::new(width, height).ok_or("a picture too large to draw")?;
    canvas.fill(tiny_skia::Color::from_rgba8(0xd4, 0xd4, 0xd4, 0xff));
    for (pixmap, x, (w, h)) in [(left, GAP, (lw, lh)), (right, GAP * 2 + lw, (rw, rh))] {
        match pixmap {
            Some(p) => canvas.draw_pixmap(
                x as i32,
                GAP as i32,
                p.as_ref(),
                &tiny_skia::PixmapPaint::default(),
                tiny_skia::Transform::identity(),
                None,
            ),
            None => empty_page(&mut canvas, x, w, h),
        }
    }
    canvas.encode_png().map_err(|e| e.to_string())
}

/// A page rasterised with its marks painted over it. Errors: a PDF page
/// that cannot be drawn, as a message.
fn draw(side: &Side, pixel_per_pt: f32) -> Result<tiny_skia::Pixmap, String> {
    let mut pixmap = match side.page {
        Sheet::Laid(page) => {
            let options = typst_render::RenderOptions {
                pixel_per_pt: typst::utils::Scalar::new(pixel_per_pt.into()),
                render_bleed: false,
            };
            typst_render::render(page, &options)
        }
        Sheet::Pdf(bytes, index) => crate::typeset::pdf_pages::render(bytes, index, pixel_per_pt)?,
    };
    let (fill, edge) = match side.mark {
        Mark::Removed => ((0xe0, 0x30, 0x30, 0x55), (0xc0, 0x10, 0x10, 0xff)),
        Mark::Added => ((0x20, 0xb0, 0x40, 0x55), (0x10, 0x80, 0x20, 0xff)),
    };
    let paint = |(r, g, b, a)| {
        let mut p = tiny_skia::Paint::default();
        p.set_color_rgba8(r, g, b, a);
        p
    };
    let (fill, edge) = (paint(fill), paint(edge));
    let stroke = tiny_skia::Stroke {
        width: 1.0,
        ..tiny_skia::Stroke::default()
    };
    let scale = f64::from(pixel_per_pt);
    for m in &merge_lines(side.marks) {
        let pad = 1.0;
        let Some(rect) = tiny_skia::Rect::from_ltrb(
            (m.x0 * scale - pad) as f32,
            (m.y0 * scale - pad) as f32,
            (m.x1 * scale + pad) as f32,
            (m.y1 * scale + pad) as f32,
        ) else {
            continue;
        };
        pixmap.fill_rect(rect, &fill, tiny_skia::Transform::identity(), None);
        let path = tiny_skia::PathBuilder::from_rect(rect);
        pixmap.stroke_path(
            &path,
            &edge,
            &stroke,
            tiny_skia::Transform::identity(),
            None,
        );
    }
    Ok(pixmap)
}

/// `marks` with neighbours on one line joined: a mark that starts just
/// after the previous one ends (within half the line's height), on the
/// same line, extends it, so that a changed phrase is one box.
pub fn merge_lines(marks: &[Rect]) -> Vec<Rect> {
    let mut out: Vec<Rect> = Vec::new();
    for m in marks {
        if let Some(last) = out.last_mut() {
            let height = (last.y1 - last.y0).min(m.y1 - m.y0);
            let overlap = last.y1.min(m.y1) - last.y0.max(m.y0);
            let gap = m.x0 - last.x1;
            if overlap > height * 0.5 && gap > -1.0 && gap < height * 0.6 {
                *last = Rect {
                    x0: last.x0.min(m.x0),
                    y0: last.y0.min(m.y0),
                    x1: last.x1.max(m.x1),
                    y1: last.y1.max(m.y1),
                };
                continue;
            }
        }
        out.push(*m);
    }
    out
}

/// The place of a page that one version does not have: a pale page with
/// a dashed outline.
fn empty_page(canvas: &mut tiny_skia::Pixmap, x: u32, w: u32, h: u32) {
    let Some(rect) = tiny_skia::Rect::from_xywh(x as f32, GAP as f32, w as f32, h as f32) else {
        return;
    };
    let mut pale = tiny_skia::Paint::default();
    pale.set_color_rgba8(0xee, 0xee, 0xee, 0xff);
    canvas.fill_rect(rect, &pale, tiny_skia::Transform::identity(), None);
    let mut line = tiny_skia::Paint::default();
    line.set_color_rgba8(0x88, 0x88, 0x88, 0xff);
    let stroke = tiny_skia::Stroke {
        width: 2.0,
        dash: tiny_skia::StrokeDash::new(vec![8.0, 6.0], 0.0),
        ..tiny_skia::Stroke::default()
    };
    let path = tiny_skia::PathBuilder::from_rect(rect);
    canvas.stroke_path(
        &path,
        &line,
        &stroke,
        tiny_skia::Transform::identity(),
        None,
    );
}

#[cfg(test)]
mod tests {
    use super::*;

    fn r(x0: f64, x1: f64, y0: f64) -> Rect {
        Rect {
            x0,
            y0,
            x1,
            y1: y0 + 10.0,
        }
    }

    #[test]
    fn neighbours_on_a_line_are_joined_and_other_lines_kept() {
        let marks = [r(0.0, 20.0, 0.0), r(23.0, 40.0, 0.0), r(0.0, 10.0, 14.0)];
        assert_eq!(
            merge_lines(&marks),
            vec![r(0.0, 40.0, 0.0), r(0.0, 10.0, 14.0)]
        );
        // Far apart on one line: two boxes.
        assert_eq!(
            merge_lines(&[r(0.0, 10.0, 0.0), r(50.0, 60.0, 0.0)]).len(),
            2
        );
    }
}
