//! Words with their boxes on a page: what `korpsmonitor compare` reads
//! from laid-out pages ([`crate::typeset::pages`]) and from PDF files
//! ([`crate::typeset::pdf_pages`]) alike, and the rectangles the layout
//! check measures ([`crate::typeset::layout_check`]).

use typst::layout::{Abs, Point, Transform};

/// One word of a page: a run of glyphs between white space within one
/// text run, or a picture (an image or chart), whose text is a
/// fingerprint of its content (`[image 1f3a...]`), so that a changed
/// chart is a changed "word".
#[derive(Debug, Clone, PartialEq)]
pub struct Word {
    /// The word as printed (a picture's fingerprint for a picture).
    pub text: String,
    /// The box around it, in points from the page's top left corner.
    pub rect: Rect,
}

/// An axis-aligned rectangle in points, `x0 <= x1`, `y0 <= y1`.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Rect {
    /// Left edge.
    pub x0: f64,
    /// Top edge.
    pub y0: f64,
    /// Right edge.
    pub x1: f64,
    /// Bottom edge.
    pub y1: f64,
}

impl Rect {
    /// The smallest rectangle around `points`.
    pub fn around(points: &[Point]) -> Rect {
        let xs = points.iter().map(|p| p.x.to_pt());
        let ys = points.iter().map(|p| p.y.to_pt());
        Rect {
            x0: xs.clone().fold(f64::INFINITY, f64::min),
            x1: xs.fold(f64::NEG_INFINITY, f64::max),
            y0: ys.clone().fold(f64::INFINITY, f64::min),
            y1: ys.fold(f64::NEG_INFINITY, f64::max),
        }
    }

    /// The rectangle around the `w` x `h` box at `(x, y)` (points) once
    /// `ts` is applied to its corners.
    pub fn transformed(ts: Transform, x: Abs, y: Abs, w: Abs, h: Abs) -> Rect {
        let corners = [
            Point::new(x, y),
            Point::new(x + w, y),
            Point::new(x, y + h),
            Point::new(x + w, y + h),
        ]
        .map(|p| p.transform(ts));
        Rect::around(&corners)
    }
}
