//! PDF files read back for `korpsmonitor compare`: the words of each page
//! with their boxes, from the glyphs the page draws (their Unicode from
//! the fonts' `ToUnicode` maps), and a page rasterised, both with hayro,
//! the pure-Rust PDF renderer typst already uses for PDF images.
//!
//! Coordinates are in points from the page's top left corner, y
//! downwards, as for laid-out pages ([`crate::typeset::pages`]). Fonts a
//! PDF does not embed (the standard 14) are not available: their text is
//! neither read nor drawn. Every PDF this program writes embeds its fonts.

use hayro::hayro_interpret::font::Glyph;
use hayro::hayro_interpret::hayro_cmap::BfString;
use hayro::hayro_interpret::util::TransformExt;
use hayro::hayro_interpret::{
    BlendMode, ClipPath, Context, Device, GlyphDrawMode, Image, InterpreterCache,
    InterpreterSettings, Paint, PathDrawMode, SoftMask, interpret_page,
};
use hayro::hayro_syntax::Pdf;
use kurbo::{Affine, BezPath, Point, Shape};

use crate::typeset::boxes::{Rect, Word};

/// Reads the PDF in `bytes`. Errors: not a PDF, encrypted, or damaged
/// beyond reading, as a message.
fn open(bytes: &[u8]) -> Result<Pdf, String> {
    Pdf::new(bytes.to_vec()).map_err(|e| match e {
        hayro::hayro_syntax::LoadPdfError::Decryption(_) => {
            "the PDF is encrypted and cannot be read".to_string()
        }
        _ => "not a PDF that can be read".to_string(),
    })
}

/// How many pages the PDF in `bytes` has. Errors as [`words`].
pub fn page_count(bytes: &[u8]) -> Result<usize, String> {
    Ok(open(bytes)?.pages().len())
}

/// The words of every page of the PDF in `bytes`, page by page, in the
/// order the page draws them.
///
/// Errors: not a PDF, encrypted, or damaged beyond reading, as a message.
pub fn words(bytes: &[u8]) -> Result<Vec<Vec<Word>>, String> {
    let pdf = open(bytes)?;
    let cache = InterpreterCache::new();
    let mut all = Vec::new();
    for page in pdf.pages().iter() {
        let (w, h) = page.render_dimensions();
        let mut context = Context::new(
            page.initial_transform(true).to_kurbo(),
            kurbo::Rect::new(0.0, 0.0, f64::from(w), f64::from(h)),
            &cache,
            page.xref(),
            InterpreterSettings::default(),
        );
        let mut reader = Reader::default();
        interpret_page(page, &mut context, &mut reader);
        reader.end_word();
        all.push(reader.words);
    }
    Ok(all)
}

/// Page `index` (0-based) of the PDF in `bytes`, rasterised on white at
/// `pixel_per_pt` pixels per point.
///
/// Errors: a PDF that cannot be read, no such page, or a page too large
/// to draw, as a message.
pub fn render(bytes: &[u8], index: usize, pixel_per_pt: f32) -> Result<tiny_skia::Pixmap, String> {
    let pdf = open(bytes)?;
    let page = pdf
        .pages()
        .get(index)
        .ok_or_else(|| format!("the PDF has no page {}", index + 1))?;
    let settings = hayro::RenderSettings {
        x_scale: pixel_per_pt,
        y_scale: pixel_per_pt,
        bg_color: hayro::vello_cpu::color::palette::css::WHITE,
        ..hayro::RenderSettings::default()
    };
    let pixmap = hayro::render(
        page,
        &hayro::RenderCache::new(),
        &InterpreterSettings::default(),
        &settings,
    );
    let (w, h) = (u32::from(pixmap.width()), u32::from(pixmap.height()));
    let size = tiny_skia::IntSize::from_wh(w, h).ok_or("a page too small to draw")?;
    // Both hold premultiplied RGBA, row by row.
    tiny_skia::Pixmap::from_vec(pixmap.data_as_u8_slice().to_vec(), size)
        .ok_or_else(|| "a page too large to draw".to_string())
}

/// Collects the glyphs a page draws into words.
#[derive(Default)]
struct Reader {
    words: Vec<Word>,
    /// The word being read: its text, box and font size.
    current: Option<(String, Rect, f64)>,
}

impl Reader {
    fn end_word(&mut self) {
        if let Some((text, rect, _)) = self.current.take() {
            self.words.push(Word { text, rect });
        }
    }

    /// One glyph: `text` from its origin `(x, y)` (the baseline) to
    /// `right`, at font size `size`, all in points.
    fn glyph(&mut self, text: &str, (x, y): (f64, f64), right: f64, size: f64) {
        if text.chars().all(char::is_whitespace) {
            self.end_word();
            return;
        }
        let rect = Rect {
            x0: x,
            y0: y - size * 0.8,
            x1: right.max(x),
            y1: y + size * 0.25,
        };
        if let Some((word, at, s)) = &mut self.current {
            let baseline = at.y0 + *s * 0.8;
            // On the same line, just after the last glyph: the same word.
            if (baseline - y).abs() < *s * 0.3 && x >= at.x1 - *s * 0.3 && x <= at.x1 + *s * 0.25 {
                word.push_str(text);
                at.x1 = at.x1.max(rect.x1);
                return;
            }
        }
        self.end_word();
        self.current = Some((text.to_string(), rect, size));
    }
}

impl<'a> Device<'a> for Reader {
    fn set_soft_mask(&mut self, _: Option<SoftMask<'a>>) {}
    fn set_blend_mode(&mut self, _: BlendMode) {}
    fn draw_path(&mut self, _: &BezPath, _: Affine, _: &Paint<'a>, _: &PathDrawMode) {}
    fn push_clip_path(&mut self, _: &ClipPath) {}
    fn push_transparency_group(&mut self, _: f32, _: Option<SoftMask<'a>>, _: BlendMode) {}
    fn draw_image(&mut self, _: Image<'a, '_>, _: Affine) {}
    fn pop_clip_path(&mut self) {}
    fn pop_transparency_group(&mut self) {}

    fn draw_glyph(
        &mut self,
        glyph: &Glyph<'a>,
        transform: Affine,
        glyph_transform: Affine,
        _: &Paint<'a>,
        _: &GlyphDrawMode,
    ) {
        let text = match glyph.as_unicode() {
            Some(BfString::Char(c)) => c.to_string(),
            Some(BfString::String(s)) => s,
            None => "\u{fffd}".to_string(),
        };
        // Glyph space has 1,000 units to the em.
        let full = transform * glyph_transform;
        let origin = full * Point::ZERO;
        let size = (full * Point::new(0.0, 1000.0) - origin).hypot();
        let right = match glyph {
            Glyph::Outline(g) => {
                let ink = full.transform_rect_bbox(g.outline().bounding_box());
                if ink.width() > 0.0 {
                    ink.x1
                } else {
                    origin.x + size * 0.25
                }
            }
            Glyph::Type3(_) => origin.x + size * 0.5,
        };
        self.glyph(&text, (origin.x, origin.y), right, size);
    }
}
