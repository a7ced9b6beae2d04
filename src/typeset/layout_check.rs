//! The layout check: reads a laid-out document (Typst's pages after layout,
//! before PDF export) and finds the print defects a machine can see.
//!
//! The rules are the house style's (see `templates/style.typ` and the
//! README): a heading keeps at least two lines of what follows on its page;
//! no page holds three lines or fewer (a page where a chapter opens aside: a
//! short chapter is whole); a table that breaks never leaves its
//! header with one row, and a small table never breaks; proper names are
//! never hyphenated; text in tables is at least 8 pt, any other text at
//! least 7 pt (small print; running text is 10 pt), superscripts, running
//! heads and marginal notes wholly outside the text area aside; no text
//! overlaps other text, crosses a rule or lies under an image; no text
//! leaves its table cell, the text area or the paper; figure numbers run
//! without gaps.
//!
//! Positions are in points from the top left corner of the page. Text is
//! measured by its ink box: from 0.75 em above the baseline to 0.2 em below,
//! which covers capitals and descenders but not the line's leading, so two
//! lines of one paragraph never count as overlapping.

use std::collections::{BTreeMap, BTreeSet, HashSet};
use std::fmt;

use typst::foundations::{Content, Smart};
use typst::introspection::{Location, Tag};
use typst::layout::{Abs, Frame, FrameItem, GridCell, Point, Transform};
use typst::model::{FigureCaption, HeadingElem, TableCell, TableElem};
use typst::pdf::{ArtifactElem, TableCellKind};
use typst::text::{OverlineElem, StrikeElem, SubElem, SuperElem, TextItem, UnderlineElem};
use typst::visualize::{Geometry, Shape};
use typst_layout::PagedDocument;

use crate::typeset::boxes::Rect;
use crate::typeset::print::{MIN_TABLE_TEXT_PT, MIN_TEXT_PT};

/// The limits the check applies; [`Rules::default`] holds the house style's.
#[derive(Debug, Clone)]
pub struct Rules {
    /// The smallest size of text in tables, in points (house style: 8 pt).
    pub min_table_text_size: f64,
    /// The smallest size of any other text in the text area (small print
    /// such as a return address or a footnote), in points (7 pt).
    pub min_text_size: f64,
    /// A page must hold more body lines than this (house style: 4).
    pub max_short_page_lines: usize,
    /// A page that ends a chapter or a unit's chapter must be at least this
    /// full, as a share of the text area's height, unless the chapter
    /// needs all its pages (house style: a third).
    pub min_ending_fill: f64,
    /// Lines of what follows a heading that must share its page (2).
    pub lines_after_heading: usize,
    /// A table with at most this many body rows never breaks (8).
    pub small_table_rows: usize,
}

impl Default for Rules {
    fn default() -> Rules {
        Rules {
            min_table_text_size: MIN_TABLE_TEXT_PT,
            min_text_size: MIN_TEXT_PT,
            max_short_page_lines: 4,
            min_ending_fill: 1.0 / 3.0,
            lines_after_heading: 2,
            small_table_rows: 8,
        }
    }
}

/// The proper names of an edition (units, places, organisations), whose
/// words must never be hyphenated.
#[derive(Debug, Clone, Default)]
pub struct ProperNames {
    words: HashSet<String>,
}

impl ProperNames {
    /// The words of `names`: each name split at spaces, slashes, brackets
    /// and commas, and its hyphenated parts ("Limburg-Noord" gives
    /// "Limburg-Noord", "Limburg" and "Noord").
    pub fn new<'a>(names: impl IntoIterator<Item = &'a str>) -> ProperNames {
        let mut words = HashSet::new();
        for name in names {
            for word in name.split(|c: char| c.is_whitespace() || "/(),;:".contains(c)) {
                let word = trim_punctuation(word);
                if word.chars().count() < 2 {
                    continue;
                }
                words.insert(word.to_string());
                for part in word.split('-') {
                    if part.chars().count() >= 2 {
                        words.insert(part.to_string());
                    }
                }
            }
        }
        ProperNames { words }
    }

    fn contains(&self, word: &str) -> bool {
        self.words.contains(word)
    }
}

/// What kind of defect a finding is.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Defect {
    /// A heading in the last lines of a page, its text overleaf.
    HeadingAtFoot,
    /// A page with four lines of body or fewer.
    ShortPage,
    /// A page that ends a chapter (or a unit's chapter) less than a third
    /// full, while the chapter's content would have fitted a page less.
    ThinEnding,
    /// A page that holds nothing but a heading.
    HeadingAlone,
    /// A page that holds nothing but a table, whole.
    TableAlone,
    /// A heading with nothing under it before the next heading of its
    /// level or higher.
    EmptyHeading,
    /// A table breaking with one row (or none) beside its header.
    TableRowAlone,
    /// A small table broken across pages.
    SmallTableBroken,
    /// A proper name hyphenated at a line end.
    HyphenatedName,
    /// Text below the minimum size.
    SmallText,
    /// Two text runs overlapping.
    Overlap,
    /// Text crossing a rule.
    CrossesRule,
    /// Text under an image.
    UnderImage,
    /// Text leaving its table cell.
    OutsideCell,
    /// Text crossing the edge of the text area or the paper.
    OutsideTextArea,
    /// Figure (or table) numbers with a gap or out of order.
    NumberGap,
}

/// One defect: the document, the page (1-based, physical) and the element.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord)]
pub struct Finding {
    /// The document's name, e.g. `korpsmonitor-2010.pdf`.
    pub document: String,
    /// The page, counted from 1 (the cover is page 1).
    pub page: usize,
    /// The kind of defect.
    pub defect: Defect,
    /// What is wrong and where, naming the element by its text.
    pub message: String,
}

impl fmt::Display for Finding {
    fn fmt(&self, f: &mut fmt::Formatter) -> fmt::Result {
        write!(f, "{} p. {}: {}", self.document, self.page, self.message)
    }
}

/// Checks every page of `document` (named `name` in the findings) against
/// `rules`; `names` are the proper names that must not be hyphenated.
/// Returns the findings in page order.
pub fn check(
    document: &PagedDocument,
    name: &str,
    names: &ProperNames,
    rules: &Rules,
) -> Vec<Finding> {
    let scan = Scan::of(document);
    let mut out = Vec::new();
    let mut find = |page: usize, defect: Defect, message: String| {
        out.push(Finding {
            document: name.to_string(),
            page: page + 1,
            defect,
            message,
        })
    };
    scan.headings_at_foot(rules, &mut find);
    scan.short_pages(rules, &mut find);
    scan.thin_endings(rules, &mut find);
    scan.alone(&mut find);
    scan.empty_headings(&mut find);
    scan.tables(rules, &mut find);
    scan.hyphenated_names(names, &mut find);
    scan.small_text(rules, &mut find);
    scan.overlaps(&mut find);
    scan.crossings(&mut find);
    scan.outside(&mut find);
    scan.numbers(&mut find);
    out.sort();
    out.dedup();
    out
}

/// Tolerance for positions, in points.
const EPS: f64 = 0.5;

/// The height of a line of body text (10 pt type), in points: a page whose
/// text ends more than three of these above its foot was not full.
const FOOT_LINE: f64 = 14.0;

impl Rect {
    /// How far the two overlap along x and along y (negative: apart).
    fn overlap(&self, other: &Rect) -> (f64, f64) {
        (
            self.x1.min(other.x1) - self.x0.max(other.x0),
            self.y1.min(other.y1) - self.y0.max(other.y0),
        )
    }
}

/// One run of laid-out text.
#[derive(Debug, Clone)]
struct Run {
    page: usize,
    text: String,
    ink: Rect,
    baseline: f64,
    size: f64,
    artifact: bool,
    shifted: bool,
    heading: Option<usize>,
    caption: Option<usize>,
    cell: Option<usize>,
    soft_hyphen: bool,
}

/// A table or grid cell, by the position of its start.
#[derive(Debug, Clone)]
struct Cell {
    page: usize,
    origin: Point,
    /// The table it belongs to (grid cells: none).
    table: Option<Location>,
    /// The table or grid it belongs to: odd numbers count tables, even
    /// numbers grids.
    container: usize,
    row: usize,
    header: bool,
}

/// A heading, with its laid-out text.
#[derive(Debug, Clone, Default)]
struct Heading {
    text: String,
    level: usize,
}

/// A straight rule: a horizontal or vertical line.
#[derive(Debug, Clone, Copy)]
struct Rule {
    page: usize,
    rect: Rect,
}

/// What a page is made of.
#[derive(Debug, Clone, Default)]
struct PageInfo {
    width: f64,
    height: f64,
    body: Option<Rect>,
    images: Vec<Rect>,
    /// Per image, the number of text runs laid out before it: its place in
    /// reading order among the runs.
    image_after: Vec<usize>,
}

/// An open element while walking the frames.
#[derive(Debug, Clone, Copy)]
enum Open {
    Artifact,
    Shift,
    Deco,
    Heading(usize),
    Caption(usize),
    Cell(usize),
    Table(Location),
}

/// Everything the rules look at, gathered in one walk over the pages.
#[derive(Debug, Default)]
struct Scan {
    pages: Vec<PageInfo>,
    runs: Vec<Run>,
    cells: Vec<Cell>,
    headings: Vec<Heading>,
    captions: Vec<String>,
    rules: Vec<Rule>,
    /// Tables by location, in order of appearance.
    tables: Vec<Location>,
    open: Vec<(Location, Open)>,
    grids: usize,
}

impl Scan {
    fn of(document: &PagedDocument) -> Scan {
        let mut scan = Scan::default();
        for (i, page) in document.pages().iter().enumerate() {
            let size = page.frame.size();
            let mut info = PageInfo {
                width: size.x.to_pt(),
                height: size.y.to_pt(),
                ..PageInfo::default()
            };
            // The page frame holds the marginals (header, footer,
            // background), each an artifact, and the text area: the one
            // group that is not an artifact.
            for (pos, item) in page.frame.items() {
                if let FrameItem::Group(g) = item
                    && !starts_artifact(&g.frame)
                {
                    let ts = Transform::translate(pos.x, pos.y).pre_concat(g.transform);
                    let s = g.frame.size();
                    info.body = Some(Rect::transformed(ts, Abs::zero(), Abs::zero(), s.x, s.y));
                }
            }
            scan.pages.push(info);
            scan.walk(i, &page.frame, Transform::identity());
        }
        scan
    }

    fn inside(&self, f: impl Fn(&Open) -> bool) -> bool {
        self.open.iter().any(|(_, o)| f(o))
    }

    fn innermost<T>(&self, f: impl Fn(&Open) -> Option<T>) -> Option<T> {
        self.open.iter().rev().find_map(|(_, o)| f(o))
    }

    fn walk(&mut self, page: usize, frame: &Frame, ts: Transform) {
        for (pos, item) in frame.items() {
            match item {
                FrameItem::Group(g) => {
                    let ts = ts
                        .pre_concat(Transform::translate(pos.x, pos.y))
                        .pre_concat(g.transform);
                    self.walk(page, &g.frame, ts);
                }
                FrameItem::Text(t) => self.text(page, t, *pos, ts),
                FrameItem::Shape(shape, _) => self.shape(page, shape, *pos, ts),
                FrameItem::Image(_, size, _) => {
                    if !self.inside(|o| matches!(o, Open::Artifact)) {
                        let rect = Rect::transformed(ts, pos.x, pos.y, size.x, size.y);
                        self.pages[page].images.push(rect);
                        self.pages[page].image_after.push(self.runs.len());
                    }
                }
                FrameItem::Link(..) => {}
                FrameItem::Tag(Tag::Start(elem, _)) => {
                    let Some(loc) = elem.location() else { continue };
                    if let Some(open) = self.opened(page, elem, loc, *pos, ts) {
                        self.open.push((loc, open));
                    }
                }
                FrameItem::Tag(Tag::End(loc, ..)) => {
                    if let Some(i) = self.open.iter().rposition(|(l, _)| l == loc) {
                        self.open.remove(i);
                    }
                }
            }
        }
    }

    /// Records the straight edges of a stroked shape as rules, unless it
    /// is decoration or an artifact.
    fn shape(&mut self, page: usize, shape: &Shape, pos: Point, ts: Transform) {
        if shape.stroke.is_none() || self.inside(|o| matches!(o, Open::Deco | Open::Artifact)) {
            return;
        }
        let at = |dx: Abs, dy: Abs| Point::new(pos.x + dx, pos.y + dy).transform(ts);
        let z = Abs::zero();
        let mut edges = Vec::new();
        match &shape.geometry {
            Geometry::Line(to) => edges.push((at(z, z), at(to.x, to.y))),
            Geometry::Rect(s) => {
                edges.push((at(z, z), at(s.x, z)));
                edges.push((at(z, s.y), at(s.x, s.y)));
                edges.push((at(z, z), at(z, s.y)));
                edges.push((at(s.x, z), at(s.x, s.y)));
            }
            Geometry::Curve(_) => {}
        }
        for (a, b) in edges {
            let rect = Rect::around(&[a, b]);
            let straight = (rect.x1 - rect.x0).abs() < EPS || (rect.y1 - rect.y0).abs() < EPS;
            if straight {
                self.rules.push(Rule { page, rect });
            }
        }
    }

    /// What the start of `elem` at `pos` opens, recording a heading,
    /// caption, table or cell it starts; `None` for an element the check
    /// does not follow.
    fn opened(
        &mut self,
        page: usize,
        elem: &Content,
        loc: Location,
        pos: Point,
        ts: Transform,
    ) -> Option<Open> {
        let open = if elem.is::<ArtifactElem>() {
            Open::Artifact
        } else if elem.is::<SuperElem>() || elem.is::<SubElem>() {
            Open::Shift
        } else if elem.is::<UnderlineElem>() || elem.is::<StrikeElem>() || elem.is::<OverlineElem>()
        {
            Open::Deco
        } else if let Some(h) = elem.to_packed::<HeadingElem>() {
            let level = h.level.as_option().and_then(|l| match l {
                Smart::Custom(n) => Some(n.get()),
                Smart::Auto => None,
            });
            let depth = h.depth.as_option().map(|d| d.get());
            self.headings.push(Heading {
                text: String::new(),
                level: level.or(depth).unwrap_or(1),
            });
            Open::Heading(self.headings.len() - 1)
        } else if elem.is::<FigureCaption>() {
            self.captions.push(String::new());
            Open::Caption(self.captions.len() - 1)
        } else if elem.is::<TableElem>() {
            self.tables.push(loc);
            Open::Table(loc)
        } else if let Some(cell) = elem.to_packed::<TableCell>() {
            let row = match cell.y.as_option() {
                Some(Smart::Custom(y)) => *y,
                _ => 0,
            };
            let header = matches!(
                cell.kind.as_option(),
                Some(Smart::Custom(TableCellKind::Header(..)))
            );
            let table = self.innermost(|o| match o {
                Open::Table(l) => Some(*l),
                _ => None,
            });
            let container = table
                .and_then(|l| self.tables.iter().position(|t| *t == l))
                .map(|i| i * 2 + 1)
                .unwrap_or(0);
            self.cells.push(Cell {
                page,
                origin: pos.transform(ts),
                table,
                container,
                row,
                header,
            });
            Open::Cell(self.cells.len() - 1)
        } else if let Some(cell) = elem.to_packed::<GridCell>() {
            let row = match cell.y.as_option() {
                Some(Smart::Custom(y)) => *y,
                _ => 0,
            };
            // Grid cells of one grid are consecutive: a cell in
            // column 0 of row 0 opens a new grid.
            let first = matches!(cell.x.as_option(), Some(Smart::Custom(0))) && row == 0;
            if first {
                self.grids += 1;
            }
            let container = self.grids * 2;
            self.cells.push(Cell {
                page,
                origin: pos.transform(ts),
                table: None,
                container,
                row,
                header: false,
            });
            Open::Cell(self.cells.len() - 1)
        } else {
            return None;
        };
        Some(open)
    }

    fn text(&mut self, page: usize, t: &TextItem, pos: Point, ts: Transform) {
        let mut text = String::new();
        let mut last = None;
        for g in &t.glyphs {
            let r = g.range();
            if last.as_ref() == Some(&r) {
                continue;
            }
            if let Some(s) = t.text.get(r.clone()) {
                text.push_str(s);
            }
            last = Some(r);
        }
        let soft_hyphen = t.text.as_str() == "\u{ad}";
        let size = t.size;
        let width = t.width();
        let top = pos.y - size * 0.75;
        let ink = Rect::transformed(ts, pos.x, top, width, size * 0.95);
        let scale = (ts.sx.get() * ts.sy.get() - ts.kx.get() * ts.ky.get())
            .abs()
            .sqrt();
        let baseline = pos.transform(ts).y.to_pt();
        let heading = self.innermost(|o| match o {
            Open::Heading(i) => Some(*i),
            _ => None,
        });
        let caption = self.innermost(|o| match o {
            Open::Caption(i) => Some(*i),
            _ => None,
        });
        let cell = self.innermost(|o| match o {
            Open::Cell(i) => Some(*i),
            _ => None,
        });
        if let Some(h) = heading {
            push_word(&mut self.headings[h].text, &text);
        }
        if let Some(c) = caption {
            push_word(&mut self.captions[c], &text);
        }
        let artifact = self.inside(|o| matches!(o, Open::Artifact));
        let shifted = self.inside(|o| matches!(o, Open::Shift));
        self.runs.push(Run {
            page,
            text,
            ink,
            baseline,
            size: size.to_pt() * scale,
            artifact,
            shifted,
            heading,
            caption,
            cell,
            soft_hyphen,
        });
    }

    /// Body runs (not header, footer or background) of `page`.
    fn body(&self, page: usize) -> impl Iterator<Item = &Run> {
        self.runs
            .iter()
            .filter(move |r| r.page == page && !r.artifact && !r.text.trim().is_empty())
    }

    /// The distinct baselines of `runs`, top to bottom.
    fn lines<'a>(runs: impl Iterator<Item = &'a Run>) -> Vec<f64> {
        let mut ys: Vec<f64> = runs.map(|r| r.baseline).collect();
        ys.sort_by(f64::total_cmp);
        ys.dedup_by(|a, b| (*a - *b).abs() < 2.0);
        ys
    }

    fn last_body_page(&self) -> Option<usize> {
        (0..self.pages.len())
            .rev()
            .find(|p| self.body(*p).next().is_some() || !self.pages[*p].images.is_empty())
    }

    fn headings_at_foot(&self, rules: &Rules, find: &mut impl FnMut(usize, Defect, String)) {
        let last = self.last_body_page();
        for (h, heading) in self.headings.iter().enumerate() {
            let runs: Vec<&Run> = self.runs.iter().filter(|r| r.heading == Some(h)).collect();
            let Some(page) = runs.last().map(|r| r.page) else {
                continue;
            };
            if Some(page) >= last {
                continue;
            }
            let bottom = runs
                .iter()
                .filter(|r| r.page == page)
                .map(|r| r.ink.y1)
                .fold(f64::NEG_INFINITY, f64::max);
            let below = Scan::lines(
                self.body(page)
                    .filter(|r| r.heading.is_none() && r.ink.y0 >= bottom - EPS),
            );
            let image_below = self.pages[page].images.iter().any(|i| i.y0 >= bottom - EPS);
            // A page that ends well above the foot of its text area was
            // broken on purpose (a new chapter): nothing was pushed over.
            let lowest = self.body(page).map(|r| r.ink.y1).fold(bottom, f64::max);
            let full = self.pages[page]
                .body
                .is_none_or(|b| lowest > b.y1 - 3.0 * FOOT_LINE);
            // When the next page opens a section of the same or a higher
            // level, this section ended here: nothing of it is overleaf.
            let ended = self
                .body(page + 1)
                .next()
                .and_then(|r| r.heading)
                .is_some_and(|next| self.headings[next].level <= heading.level);
            if below.len() < rules.lines_after_heading && !image_below && full && !ended {
                find(
                    page,
                    Defect::HeadingAtFoot,
                    format!(
                        "heading \"{}\" at the foot of the page with {} line(s) of its text; the rest is overleaf",
                        excerpt(&heading.text),
                        below.len()
                    ),
                );
            }
        }
    }

    fn short_pages(&self, rules: &Rules, find: &mut impl FnMut(usize, Defect, String)) {
        for (p, info) in self.pages.iter().enumerate() {
            if !info.images.is_empty() {
                continue;
            }
            // A chapter that opens on this page and is short (such as one
            // that says it has nothing to report) is whole, not a remnant.
            let opens_chapter = self
                .body(p)
                .any(|r| r.heading.is_some_and(|h| self.headings[h].level == 1));
            if opens_chapter {
                continue;
            }
            let lines = Scan::lines(self.body(p));
            if lines.len() <= rules.max_short_page_lines {
                let first = self
                    .body(p)
                    .next()
                    .map(|r| excerpt(&r.text))
                    .unwrap_or_default();
                find(
                    p,
                    Defect::ShortPage,
                    format!(
                        "the page holds only {} line(s) of text, beginning \"{first}\"",
                        lines.len()
                    ),
                );
            }
        }
    }

    fn tables(&self, rules: &Rules, find: &mut impl FnMut(usize, Defect, String)) {
        for table in &self.tables {
            // Body rows per page; a row counts on the page where it starts.
            let mut rows: BTreeMap<usize, BTreeSet<usize>> = BTreeMap::new();
            let mut all = BTreeSet::new();
            let mut first_text = String::new();
            for (i, c) in self.cells.iter().enumerate() {
                if c.table != Some(*table) {
                    continue;
                }
                let entry = rows.entry(c.page).or_default();
                if !c.header {
                    entry.insert(c.row);
                    all.insert(c.row);
                    if first_text.is_empty() {
                        first_text = self
                            .runs
                            .iter()
                            .find(|r| r.cell == Some(i))
                            .map(|r| r.text.clone())
                            .unwrap_or_default();
                    }
                }
            }
            if rows.len() < 2 {
                continue;
            }
            let pages: Vec<usize> = rows.keys().copied().collect();
            let name = format!("table beginning \"{}\"", excerpt(&first_text));
            if all.len() <= rules.small_table_rows {
                find(
                    pages[0],
                    Defect::SmallTableBroken,
                    format!(
                        "{name}: {} rows broken over pages {} to {}",
                        all.len(),
                        pages[0] + 1,
                        pages[pages.len() - 1] + 1
                    ),
                );
                continue;
            }
            for (page, set) in &rows {
                if set.len() <= 1 {
                    find(
                        *page,
                        Defect::TableRowAlone,
                        format!(
                            "{name}: its header stands with {} row(s) on this page",
                            set.len()
                        ),
                    );
                }
            }
        }
    }

    fn hyphenated_names(&self, names: &ProperNames, find: &mut impl FnMut(usize, Defect, String)) {
        for (i, run) in self.runs.iter().enumerate() {
            if !run.soft_hyphen || run.artifact {
                continue;
            }
            let before = self.runs[..i]
                .iter()
                .rev()
                .find(|r| !r.artifact && !r.soft_hyphen)
                .map(|r| r.text.as_str())
                .unwrap_or("");
            let after = self.runs[i + 1..]
                .iter()
                .find(|r| !r.artifact && !r.text.trim().is_empty())
                .map(|r| r.text.as_str())
                .unwrap_or("");
            let head = before.split_whitespace().last().unwrap_or("");
            let tail = after.split_whitespace().next().unwrap_or("");
            let head_part = head.rsplit(['-', '/']).next().unwrap_or("");
            let tail_part = tail.split(['-', '/']).next().unwrap_or("");
            let word = trim_punctuation(&format!("{head_part}{tail_part}")).to_string();
            if names.contains(&word) {
                find(
                    run.page,
                    Defect::HyphenatedName,
                    format!(
                        "the name \"{word}\" is hyphenated as \"{}-{}\"",
                        trim_punctuation(head_part),
                        trim_punctuation(tail_part)
                    ),
                );
            }
        }
    }

    fn small_text(&self, rules: &Rules, find: &mut impl FnMut(usize, Defect, String)) {
        // One finding per page and size, naming the first few runs.
        let mut by_page: BTreeMap<(usize, bool, u64), Vec<&str>> = BTreeMap::new();
        for r in &self.runs {
            if r.artifact || r.shifted || r.soft_hyphen || r.text.trim().is_empty() {
                continue;
            }
            let in_table = r.cell.is_some_and(|c| self.cells[c].table.is_some());
            let min = if in_table {
                rules.min_table_text_size
            } else {
                rules.min_text_size
            };
            if r.size + 0.05 >= min {
                continue;
            }
            // Marginal notes wholly outside the text area (a letter's side
            // column) are not body text.
            if let Some(body) = self.pages[r.page].body {
                let (ox, oy) = r.ink.overlap(&body);
                if ox <= 0.0 || oy <= 0.0 {
                    continue;
                }
            }
            by_page
                .entry((r.page, in_table, (r.size * 10.0).round() as u64))
                .or_default()
                .push(&r.text);
        }
        for ((page, in_table, size), texts) in by_page {
            let shown: Vec<String> = texts
                .iter()
                .take(3)
                .map(|t| format!("\"{}\"", excerpt(t)))
                .collect();
            let (what, min) = if in_table {
                ("table text", rules.min_table_text_size)
            } else {
                ("text", rules.min_text_size)
            };
            find(
                page,
                Defect::SmallText,
                format!(
                    "{what} at {:.1} pt, below {min} pt: {}{}",
                    size as f64 / 10.0,
                    shown.join(", "),
                    if texts.len() > 3 {
                        format!(" and {} more", texts.len() - 3)
                    } else {
                        String::new()
                    }
                ),
            );
        }
    }

    fn overlaps(&self, find: &mut impl FnMut(usize, Defect, String)) {
        for page in 0..self.pages.len() {
            let mut runs: Vec<&Run> = self.body(page).collect();
            runs.sort_by(|a, b| a.ink.y0.total_cmp(&b.ink.y0));
            for (i, a) in runs.iter().enumerate() {
                for b in &runs[i + 1..] {
                    if b.ink.y0 >= a.ink.y1 {
                        break;
                    }
                    let (ox, oy) = a.ink.overlap(&b.ink);
                    if ox > 1.0 && oy > 1.0 {
                        find(
                            page,
                            Defect::Overlap,
                            format!("\"{}\" overlaps \"{}\"", excerpt(&a.text), excerpt(&b.text)),
                        );
                    }
                }
            }
            for img in &self.pages[page].images {
                for r in self.body(page) {
                    let (ox, oy) = r.ink.overlap(img);
                    if ox > 1.0 && oy > 1.0 {
                        find(
                            page,
                            Defect::UnderImage,
                            format!("\"{}\" lies under an image", excerpt(&r.text)),
                        );
                    }
                }
            }
        }
    }

    fn crossings(&self, find: &mut impl FnMut(usize, Defect, String)) {
        for rule in &self.rules {
            for r in self.body(rule.page) {
                let (ox, oy) = r.ink.overlap(&rule.rect);
                // A rule that touches the ink box's edge is an underline or
                // a cell border; one that runs through it crosses the text.
                let horizontal = rule.rect.y1 - rule.rect.y0 < EPS;
                let through = if horizontal {
                    ox > 1.0 && rule.rect.y0 > r.ink.y0 + 1.0 && rule.rect.y0 < r.ink.y1 - 1.0
                } else {
                    oy > 1.0 && rule.rect.x0 > r.ink.x0 + 1.0 && rule.rect.x0 < r.ink.x1 - 1.0
                };
                if through {
                    find(
                        rule.page,
                        Defect::CrossesRule,
                        format!("a rule runs through \"{}\"", excerpt(&r.text)),
                    );
                }
            }
        }
    }

    fn outside(&self, find: &mut impl FnMut(usize, Defect, String)) {
        for r in &self.runs {
            if r.text.trim().is_empty() {
                continue;
            }
            let info = &self.pages[r.page];
            let paper = Rect {
                x0: 0.0,
                y0: 0.0,
                x1: info.width,
                y1: info.height,
            };
            if r.ink.x0 < paper.x0 - EPS
                || r.ink.y0 < paper.y0 - EPS
                || r.ink.x1 > paper.x1 + EPS
                || r.ink.y1 > paper.y1 + EPS
            {
                find(
                    r.page,
                    Defect::OutsideTextArea,
                    format!("\"{}\" runs off the paper", excerpt(&r.text)),
                );
                continue;
            }
            if r.artifact {
                continue;
            }
            // Text wholly in a margin is a marginal note by design; text
            // that starts inside the text area must end inside it.
            if let Some(body) = info.body {
                let (ox, oy) = r.ink.overlap(&body);
                let crosses = ox > 0.0
                    && oy > 0.0
                    && (r.ink.x0 < body.x0 - EPS
                        || r.ink.x1 > body.x1 + EPS
                        || r.ink.y0 < body.y0 - 2.0 * EPS - r.size * 0.3
                        || r.ink.y1 > body.y1 + EPS + r.size * 0.3);
                if crosses {
                    find(
                        r.page,
                        Defect::OutsideTextArea,
                        format!("\"{}\" crosses the edge of the text area", excerpt(&r.text)),
                    );
                    continue;
                }
            }
            if let Some(ci) = r.cell {
                let cell = &self.cells[ci];
                // The next cell to the right in the same row of the same
                // table or grid bounds this one.
                let next = self
                    .cells
                    .iter()
                    .filter(|c| {
                        c.page == cell.page
                            && c.container == cell.container
                            && (c.origin.y - cell.origin.y).to_pt().abs() < EPS
                            && c.origin.x.to_pt() > cell.origin.x.to_pt() + EPS
                    })
                    .map(|c| c.origin.x.to_pt())
                    .fold(f64::INFINITY, f64::min);
                if r.ink.x1 > next + EPS {
                    find(
                        r.page,
                        Defect::OutsideCell,
                        format!("\"{}\" runs out of its table cell", excerpt(&r.text)),
                    );
                }
            }
        }
    }

    /// The images in reading order: (runs laid out before it, page, ink).
    fn images_in_order(&self) -> Vec<(usize, usize, Rect)> {
        let mut out: Vec<(usize, usize, Rect)> = self
            .pages
            .iter()
            .enumerate()
            .flat_map(|(p, info)| {
                info.images
                    .iter()
                    .zip(&info.image_after)
                    .map(move |(r, after)| (*after, p, *r))
            })
            .collect();
        out.sort_by_key(|(after, p, _)| (*after, *p));
        out
    }

    /// The content of runs `from..to` (reading order) as (page, ink) items:
    /// body text, and the images laid out after `images_from` runs and
    /// up to run `to` (an image belongs to the run before it).
    fn content(
        &self,
        images: &[(usize, usize, Rect)],
        from: usize,
        to: usize,
        images_from: usize,
    ) -> Vec<(usize, Rect)> {
        let mut items: Vec<(usize, Rect)> = self.runs[from..to]
            .iter()
            .filter(|r| !r.artifact && !r.text.trim().is_empty())
            .map(|r| (r.page, r.ink))
            .collect();
        let lo = images.partition_point(|(after, _, _)| *after < images_from);
        let hi = images.partition_point(|(after, _, _)| *after <= to);
        items.extend(images[lo..hi.max(lo)].iter().map(|(_, p, r)| (*p, *r)));
        items
    }

    /// Each heading's section: (heading, its first run, the first run of
    /// the next heading of its level or higher, or the end).
    fn sections(&self) -> Vec<(usize, usize, usize)> {
        let mut first_run: Vec<Option<usize>> = vec![None; self.headings.len()];
        for (i, r) in self.runs.iter().enumerate() {
            if let Some(h) = r.heading
                && first_run[h].is_none()
            {
                first_run[h] = Some(i);
            }
        }
        // Walking back, the start of the nearest later heading of each
        // level or higher.
        let mut out = Vec::new();
        let mut next_at_level: Vec<usize> = vec![self.runs.len(); 8];
        for (h, heading) in self.headings.iter().enumerate().rev() {
            let Some(start) = first_run[h] else { continue };
            let level = heading.level.min(7);
            out.push((h, start, next_at_level[level]));
            for next in &mut next_at_level[level..] {
                *next = start;
            }
        }
        out.reverse();
        out
    }

    /// Chapters and units' chapters (headings of level 1 and 2) that end on
    /// a page less than `min_ending_fill` full, with nothing after them on
    /// it, although all they hold would have fitted one page less: space
    /// was lost to a break, not to the chapter's length. Of the parts that
    /// end on one page only the innermost (the last to start) is judged: a
    /// chapter whose units each start a page on purpose is judged by its
    /// last unit.
    fn thin_endings(&self, rules: &Rules, find: &mut impl FnMut(usize, Defect, String)) {
        let images = self.images_in_order();
        let parts: Vec<(usize, usize, usize)> = self
            .sections()
            .into_iter()
            .filter(|(h, _, _)| self.headings[*h].level <= 2)
            .collect();
        let pages: Vec<Option<usize>> = parts
            .iter()
            .map(|(_, start, end)| {
                self.content(&images, *start, *end, start + 1)
                    .iter()
                    .map(|(p, _)| *p)
                    .max()
            })
            .collect();
        for (i, &(h, start, end)) in parts.iter().enumerate() {
            // The last part that starts inside this one, ending on the same
            // page, is the one judged.
            let inner = parts[i + 1..]
                .iter()
                .zip(&pages[i + 1..])
                .take_while(|((_, s2, _), _)| *s2 < end)
                .last()
                .is_some_and(|(_, p2)| *p2 == pages[i]);
            if inner {
                continue;
            }
            let items = self.content(&images, start, end, start + 1);
            self.judge_ending(rules, h, &items, end, &images, find);
        }
    }

    /// Judges one part's ending page (see [`Scan::thin_endings`]).
    fn judge_ending(
        &self,
        rules: &Rules,
        h: usize,
        items: &[(usize, Rect)],
        end: usize,
        images: &[(usize, usize, Rect)],
        find: &mut impl FnMut(usize, Defect, String),
    ) {
        let (Some(first), Some(last)) = (
            items.iter().map(|(p, _)| *p).min(),
            items.iter().map(|(p, _)| *p).max(),
        ) else {
            return;
        };
        // The text area: the page's own, or where a page has none of its
        // own (Typst lays out some pages without the group), any page's, or
        // failing that the box round all the body text.
        // (A "text area" less than half the page is a group inside it.)
        let text_area = |p: &PageInfo| p.body.filter(|b| b.y1 - b.y0 > p.height / 2.0);
        let Some(area) = text_area(&self.pages[last])
            .or_else(|| self.pages.iter().find_map(text_area))
            .or_else(|| {
                // Failing that, from the highest text down to as far above the foot of
                // the page (margins alike at top and bottom).
                let y0 = self
                    .runs
                    .iter()
                    .filter(|r| !r.artifact)
                    .map(|r| r.ink.y0)
                    .fold(f64::INFINITY, f64::min);
                let y1 = self.pages[last].height - y0;
                (y1 > y0).then_some(Rect {
                    x0: 0.0,
                    y0,
                    x1: 0.0,
                    y1,
                })
            })
        else {
            return;
        };
        let height = area.y1 - area.y0;
        if last == first || height <= 0.0 {
            return;
        }
        // Something else follows on the ending page: it is not empty below
        // the part.
        let next = self.runs[end..]
            .iter()
            .find(|r| !r.artifact && !r.text.trim().is_empty())
            .map(|r| r.page);
        let next_image = images
            .get(images.partition_point(|(after, _, _)| *after <= end))
            .map(|(_, p, _)| *p);
        if next == Some(last) || next_image == Some(last) {
            return;
        }
        let used = |p: usize| {
            let on: Vec<&Rect> = items
                .iter()
                .filter(|(q, _)| *q == p)
                .map(|(_, r)| r)
                .collect();
            let top = if p == first {
                on.iter().map(|r| r.y0).fold(f64::INFINITY, f64::min)
            } else {
                text_area(&self.pages[p]).unwrap_or(area).y0
            };
            let bottom = on.iter().map(|r| r.y1).fold(top, f64::max);
            (bottom - top).max(0.0)
        };
        let fill = used(last) / height;
        let total: f64 = (first..=last).map(used).sum();
        let pages = last - first + 1;
        // What one page less offers: the first page below the heading, and
        // the full pages after it.
        let top = items
            .iter()
            .filter(|(p, _)| *p == first)
            .map(|(_, r)| r.y0)
            .fold(f64::INFINITY, f64::min);
        let first_room = text_area(&self.pages[first]).unwrap_or(area).y1 - top;
        let room = first_room + (pages - 2) as f64 * height;
        if fill < rules.min_ending_fill && total <= room {
            find(
                last,
                Defect::ThinEnding,
                format!(
                    "\"{}\" ends on a page {:.0}% full; its {pages} pages hold {:.1} pages of content, it would fit on {}",
                    excerpt(&self.headings[h].text),
                    fill * 100.0,
                    total / height,
                    pages - 1
                ),
            );
        }
    }

    /// Pages that hold only a heading, or only a table, whole.
    fn alone(&self, find: &mut impl FnMut(usize, Defect, String)) {
        // The first and last page of each table (by its index in `tables`).
        let mut table_start: Vec<usize> = vec![usize::MAX; self.tables.len()];
        let mut table_end: Vec<usize> = vec![0; self.tables.len()];
        let index: std::collections::HashMap<Location, usize> = self
            .tables
            .iter()
            .enumerate()
            .map(|(i, l)| (*l, i))
            .collect();
        for c in &self.cells {
            if let Some(i) = c.table.and_then(|l| index.get(&l)) {
                table_end[*i] = table_end[*i].max(c.page);
                table_start[*i] = table_start[*i].min(c.page);
            }
        }
        for (p, info) in self.pages.iter().enumerate() {
            let runs: Vec<&Run> = self.body(p).collect();
            if runs.is_empty() || !info.images.is_empty() {
                continue;
            }
            if runs.iter().all(|r| r.heading.is_some()) {
                find(
                    p,
                    Defect::HeadingAlone,
                    format!(
                        "the page holds only the heading \"{}\"",
                        excerpt(
                            &runs
                                .iter()
                                .map(|r| r.text.as_str())
                                .collect::<Vec<_>>()
                                .join(" ")
                        )
                    ),
                );
                continue;
            }
            let table_of = |r: &Run| r.cell.and_then(|c| self.cells[c].table);
            let tables: BTreeSet<usize> = runs
                .iter()
                .filter_map(|r| table_of(r))
                .filter_map(|l| index.get(&l).copied())
                .collect();
            let only_tables = runs
                .iter()
                .all(|r| table_of(r).is_some() || r.caption.is_some());
            // Only a whole table alone is a defect: a page of rows, at the
            // start, in the middle or at the end of a long table, is what a
            // long table is made of.
            let whole_here = tables
                .iter()
                .all(|t| table_start[*t] == p && table_end[*t] == p);
            if only_tables && !tables.is_empty() && whole_here {
                let first = runs
                    .iter()
                    .find(|r| table_of(r).is_some())
                    .map(|r| excerpt(&r.text))
                    .unwrap_or_default();
                find(
                    p,
                    Defect::TableAlone,
                    format!(
                        "the page holds only a table, beginning \"{first}\", with no text or heading"
                    ),
                );
            }
        }
    }

    /// Headings with nothing under them (no text, table or image, nor a
    /// lower heading) before the next heading of their level or higher.
    fn empty_headings(&self, find: &mut impl FnMut(usize, Defect, String)) {
        let images = self.images_in_order();
        for (h, start, end) in self.sections() {
            let own_end = self.runs[start..end]
                .iter()
                .position(|r| r.heading != Some(h))
                .map_or(end, |i| start + i);
            // An image laid out right after the heading is under it.
            if self.content(&images, own_end, end, own_end).is_empty() {
                let page = self.runs[start].page;
                find(
                    page,
                    Defect::EmptyHeading,
                    format!(
                        "heading \"{}\" has nothing under it",
                        excerpt(&self.headings[h].text)
                    ),
                );
            }
        }
    }

    fn numbers(&self, find: &mut impl FnMut(usize, Defect, String)) {
        let mut last: BTreeMap<String, u64> = BTreeMap::new();
        for (c, caption) in self.captions.iter().enumerate() {
            let mut words = caption.split_whitespace();
            let (Some(kind), Some(number)) = (words.next(), words.next()) else {
                continue;
            };
            let digits: String = number.chars().take_while(char::is_ascii_digit).collect();
            let Ok(n) = digits.parse::<u64>() else {
                continue;
            };
            let page = self
                .runs
                .iter()
                .find(|r| r.caption == Some(c))
                .map(|r| r.page)
                .unwrap_or(0);
            let expected = last.get(kind).copied().unwrap_or(0) + 1;
            if n != expected {
                find(
                    page,
                    Defect::NumberGap,
                    format!(
                        "\"{}\" follows number {} (expected {kind} {expected})",
                        excerpt(caption),
                        expected - 1
                    ),
                );
            }
            last.insert(kind.to_string(), n);
        }
    }
}

/// Whether `frame` is a marginal: its first item opens an artifact.
fn starts_artifact(frame: &Frame) -> bool {
    match frame.items().next() {
        Some((_, FrameItem::Tag(Tag::Start(elem, _)))) => elem.is::<ArtifactElem>(),
        Some((_, FrameItem::Group(g))) => starts_artifact(&g.frame),
        _ => false,
    }
}

fn push_word(into: &mut String, text: &str) {
    if text == "\u{ad}" {
        into.push('-');
        return;
    }
    if !into.is_empty() && !into.ends_with(' ') && !text.starts_with(' ') {
        into.push(' ');
    }
    into.push_str(text);
}

fn trim_punctuation(s: &str) -> &str {
    s.trim_matches(|c: char| !c.is_alphanumeric())
}

/// The first words of `text`, for a finding.
fn excerpt(text: &str) -> String {
    let text = text.split_whitespace().collect::<Vec<_>>().join(" ");
    if text.chars().count() <= 60 {
        text
    } else {
        let cut: String = text.chars().take(57).collect();
        format!("{cut}...")
    }
}

/// The proper names of `edition` that the documents print: unit names, the
/// new units', partners' and other addressees' names and abbreviations, and
/// the dimensions' short names (used as column heads).
pub fn proper_names(edition: &crate::data::load::LoadedEdition) -> ProperNames {
    let e = &edition.edition.value;
    let mut names: Vec<&str> = Vec::new();
    names.extend(edition.units.iter().map(|u| u.value.name.as_str()));
    names.extend(e.new_units.iter().map(|u| u.name.as_str()));
    for p in &e.partners {
        names.push(&p.name);
        names.extend(p.abbreviation.as_deref());
    }
    names.extend(e.addressees.iter().map(|a| a.name.as_str()));
    names.extend(e.dimensions.iter().map(|d| d.short_name.as_str()));
    names.extend(e.abbreviations.iter().map(|a| a.short.as_str()));
    ProperNames::new(names)
}

#[cfg(test)]
mod tests {
    use std::sync::OnceLock;

    use super::*;
    use crate::data::model::Date;
    use crate::typeset::{Document, FontSet, Typesetter};

    const SVG: &str = r##"<svg xmlns="http://www.w3.org/2000/svg" width="100" height="60" viewBox="0 0 100 60"><rect width="100" height="60" fill="#154273"/></svg>"##;

    fn typesetter() -> &'static Typesetter {
        static T: OnceLock<Typesetter> = OnceLock::new();
        T.get_or_init(|| Typesetter::new(FontSet::embedded()))
    }

    /// The findings on a small document: A6-sized pages with 1 cm margins,
    /// 10 pt Noto Sans in Dutch, `body` after the set-up.
    fn findings(body: &str) -> Vec<Finding> {
        let src = format!(
            "#set document(title: \"T\")\n#set page(width: 10cm, height: 10cm, margin: 1cm, footer: context align(center, text(size: 7pt, counter(page).display())))\n#set text(font: \"Noto Sans\", lang: \"nl\", size: 10pt, hyphenate: true)\n{body}\n"
        );
        let mut doc = Document::new(
            "main.typ",
            Date {
                year: 2011,
                month: 7,
                day: 6,
            },
        );
        doc.insert("main.typ", src.into_bytes());
        doc.insert("chart.svg", SVG.as_bytes().to_vec());
        let paged = typesetter()
            .layout(&doc)
            .expect("the test document compiles");
        let names = ProperNames::new(["Gelderland-Midden", "Limburg-Noord", "CoMensha"]);
        check(&paged, "test.pdf", &names, &Rules::default())
    }

    /// The kinds found, sorted and once each; a short last page, which the
    /// filler text may leave, and a page of a table alone, which documents
    /// of one table are, are left out.
    fn kinds(found: &[Finding]) -> Vec<Defect> {
        let mut k: Vec<Defect> = found
            .iter()
            .map(|f| f.defect)
            .filter(|d| !matches!(d, Defect::ShortPage | Defect::TableAlone))
            .collect();
        k.sort();
        k.dedup();
        k
    }

    const FILL: &str = "#lorem(300)";

    #[test]
    fn a_clean_document_has_no_findings() {
        let found = findings(
            "= Inleiding\n#lorem(20)\n== Tabel\n#table(columns: (1fr, auto), table.header[Eenheid][Score], [Groningen], [80,0], [Friesland], [75,0])\n#lorem(15)",
        );
        assert!(found.is_empty(), "{found:#?}");
    }

    #[test]
    fn a_heading_at_the_foot_of_a_page_is_found() {
        let found = findings(&format!(
            "#show heading: it => text(weight: \"bold\", it.body)\n#v(7.1cm)\n= Opsporing\n{FILL}"
        ));
        assert_eq!(kinds(&found), vec![Defect::HeadingAtFoot], "{found:#?}");
        assert_eq!(found[0].page, 1);
        assert!(found[0].message.contains("\"Opsporing\""), "{}", found[0]);
        assert!(
            found[0].to_string().starts_with("test.pdf p. 1: heading"),
            "{}",
            found[0]
        );
    }

    #[test]
    fn a_short_chapter_on_its_own_page_is_no_remnant() {
        let found = findings(&format!(
            "{FILL}\n#pagebreak()\n= Ketenpartners\nGeen oordelen verzameld.\n#pagebreak()\n{FILL}"
        ));
        assert!(
            !found
                .iter()
                .any(|f| f.defect == Defect::ShortPage && f.page == 2),
            "{found:#?}"
        );
    }

    #[test]
    fn a_page_of_two_lines_is_found_too() {
        let found = findings(&format!(
            "{FILL}\n#pagebreak()\nEén regel.\n\nNog een.\n#pagebreak()\n{FILL}"
        ));
        let short: Vec<&Finding> = found
            .iter()
            .filter(|f| f.defect == Defect::ShortPage)
            .collect();
        assert_eq!(short.len(), 1, "{found:#?}");
        assert!(short[0].message.contains("2 line(s)"), "{}", short[0]);
    }

    #[test]
    fn a_page_of_four_lines_is_found() {
        let found = findings(&format!(
            "{FILL}\n#pagebreak()\nEen.\n\nTwee.\n\nDrie.\n\nVier.\n#pagebreak()\n{FILL}"
        ));
        let short: Vec<&Finding> = found
            .iter()
            .filter(|f| f.defect == Defect::ShortPage)
            .collect();
        assert_eq!(short.len(), 1, "{found:#?}");
        assert!(short[0].message.contains("4 line(s)"), "{}", short[0]);
    }

    #[test]
    fn a_thin_ending_page_of_a_chapter_that_would_fit_a_page_less_is_found() {
        // Half a page, a break on no account, a few lines: the chapter would
        // have fitted its first page.
        let found = findings(
            "= Inleiding\n#lorem(30)\n#pagebreak()\n#lorem(25)\n#pagebreak()\n= Werkwijze\n#lorem(20)",
        );
        let thin: Vec<&Finding> = found
            .iter()
            .filter(|f| f.defect == Defect::ThinEnding)
            .collect();
        assert_eq!(thin.len(), 1, "{found:#?}");
        assert_eq!(thin[0].page, 2);
        assert!(thin[0].message.contains("\"Inleiding\""), "{}", thin[0]);
        // A chapter that needs its second page is not thin, however little
        // stands on it.
        let found = findings(&format!(
            "= Inleiding\n{FILL}\n#pagebreak()\n= Werkwijze\n#lorem(20)"
        ));
        assert!(
            !found.iter().any(|f| f.defect == Defect::ThinEnding),
            "{found:#?}"
        );
    }

    #[test]
    fn a_page_with_only_a_heading_or_only_a_table_is_found() {
        let found = findings("#lorem(20)\n#pagebreak()\n= Eenheden\n#pagebreak()\n#lorem(20)");
        assert!(
            found.iter().any(|f| f.defect == Defect::HeadingAlone
                && f.page == 2
                && f.message.contains("Eenheden")),
            "{found:#?}"
        );
        let found = findings(&format!(
            "#lorem(20)\n#pagebreak()\n#table(columns: 2, table.header[Kerncijfer][Aantal], {})\n#pagebreak()\n#lorem(20)",
            rows(4)
        ));
        assert!(
            found
                .iter()
                .any(|f| f.defect == Defect::TableAlone && f.page == 2),
            "{found:#?}"
        );
        // A page of a long table's rows is no defect.
        let found = findings(&format!(
            "#lorem(20)\n#table(columns: 2, table.header[Eenheid][Score], {})\nEinde.",
            rows(60)
        ));
        assert!(
            !found.iter().any(|f| f.defect == Defect::TableAlone),
            "{found:#?}"
        );
    }

    #[test]
    fn a_heading_with_nothing_under_it_is_found() {
        let found = findings(
            "#set heading(numbering: \"1.1\")\n= Beoordeling\n== Groningen\n== Friesland\n#lorem(10)\n= Bijlagen\n#image(\"chart.svg\", width: 2cm)",
        );
        let empty: Vec<&Finding> = found
            .iter()
            .filter(|f| f.defect == Defect::EmptyHeading)
            .collect();
        // "Groningen" has nothing under it; "Beoordeling" has its
        // sections, "Friesland" its text and "Bijlagen" an image.
        assert_eq!(empty.len(), 1, "{found:#?}");
        assert!(empty[0].message.contains("1.1 Groningen"), "{}", empty[0]);
    }

    fn rows(n: usize) -> String {
        (1..=n).map(|i| format!("[Eenheid {i}], [{i}],")).collect()
    }

    #[test]
    fn a_table_header_with_one_row_is_found() {
        let found = findings(&format!(
            "#v(6.2cm)\n#table(columns: (1fr, auto), table.header[Eenheid][Score], {})",
            rows(30)
        ));
        assert!(kinds(&found).contains(&Defect::TableRowAlone), "{found:#?}");
        let f = found
            .iter()
            .find(|f| f.defect == Defect::TableRowAlone)
            .unwrap();
        assert_eq!(f.page, 1, "{f}");
        assert!(f.message.contains("\"Eenheid 1\""), "{f}");
    }

    #[test]
    fn a_small_table_broken_over_pages_is_found() {
        let found = findings(&format!(
            "#v(5.5cm)\n#table(columns: (1fr, auto), table.header[Eenheid][Score], {})",
            rows(5)
        ));
        assert_eq!(kinds(&found), vec![Defect::SmallTableBroken], "{found:#?}");
    }

    #[test]
    fn a_hyphenated_name_is_found_and_an_unhyphenated_one_is_not() {
        let text = "De politie in Gelderland-Midden werkt samen met Limburg-Noord en CoMensha aan de aanpak van mensenhandel.";
        let found = findings(&format!("#block(width: 1.6cm)[{text}]"));
        let names: Vec<&Finding> = found
            .iter()
            .filter(|f| f.defect == Defect::HyphenatedName)
            .collect();
        assert!(!names.is_empty(), "{found:#?}");
        assert!(
            names.iter().any(|f| f.message.contains("\"Gelderland\"")),
            "{names:#?}"
        );
        let found = findings(&format!(
            "#block(width: 1.6cm, text(hyphenate: false)[{text}])"
        ));
        assert!(
            !kinds(&found).contains(&Defect::HyphenatedName),
            "{found:#?}"
        );
    }

    #[test]
    fn small_text_is_found_but_not_a_superscript_or_the_footer() {
        let found = findings(
            "Gewoon #super[m] en #text(size: 6.5pt)[te klein], #text(size: 7pt)[kleine druk].",
        );
        assert_eq!(kinds(&found), vec![Defect::SmallText], "{found:#?}");
        let small: Vec<&Finding> = found
            .iter()
            .filter(|f| f.defect == Defect::SmallText)
            .collect();
        assert_eq!(small.len(), 1, "{found:#?}");
        let f = small[0];
        assert!(
            f.message
                .contains("text at 6.5 pt, below 7 pt: \"te klein\""),
            "{f}"
        );
        assert!(!f.message.contains("kleine druk"), "{f}");
        let found = findings("#table(columns: 2, [Eenheid], text(size: 7.5pt)[Groningen])");
        assert_eq!(kinds(&found), vec![Defect::SmallText], "{found:#?}");
        assert!(
            found.iter().any(|f| f
                .message
                .contains("table text at 7.5 pt, below 8 pt: \"Groningen\"")),
            "{found:#?}"
        );
    }

    #[test]
    fn overlapping_text_is_found() {
        let found = findings(&format!(
            "#place(dx: 0pt, dy: 0pt)[Eerste tekst]\n#place(dx: 8pt, dy: 2pt)[Tweede tekst]\n{FILL}"
        ));
        assert!(kinds(&found).contains(&Defect::Overlap), "{found:#?}");
    }

    #[test]
    fn text_crossed_by_a_rule_is_found() {
        let found = findings(&format!(
            "#place(dy: 0pt)[Doorgestreept]\n#place(dy: 4pt, line(length: 3cm))\n#v(1cm)\n{FILL}"
        ));
        assert_eq!(kinds(&found), vec![Defect::CrossesRule], "{found:#?}");
        let found = findings(&format!(
            "#strike[Doorgestreept] en #underline[onderstreept]\n{FILL}"
        ));
        assert!(found.is_empty(), "{found:#?}");
    }

    #[test]
    fn text_under_an_image_is_found() {
        let found = findings(&format!(
            "#place(dy: 0pt)[Onder het beeld]\n#place(image(\"chart.svg\", width: 3cm, alt: \"Een blauw vlak\"))\n#v(2cm)\n{FILL}"
        ));
        assert_eq!(kinds(&found), vec![Defect::UnderImage], "{found:#?}");
    }

    #[test]
    fn text_leaving_the_text_area_or_its_cell_is_found() {
        let id = "2011000000000000000000000000000000000000000000000000000000000000";
        let found = findings(&format!("Zie kenmerk {id}.\n\n{FILL}"));
        assert_eq!(kinds(&found), vec![Defect::OutsideTextArea], "{found:#?}");
        let found = findings(&format!(
            "#table(columns: (2cm, 1fr), [Kenmerk], [Waarde], [1234567890123456789], [x])\n{FILL}"
        ));
        assert!(kinds(&found).contains(&Defect::OutsideCell), "{found:#?}");
    }

    #[test]
    fn a_gap_in_figure_numbers_is_found() {
        let fig = |caption: &str| {
            format!("#figure(image(\"chart.svg\", width: 2cm, alt: \"Vlak\"){caption})\n")
        };
        let found = findings(&format!(
            "{}{}{}{FILL}",
            fig(", caption: [Eén]"),
            fig(""),
            fig(", caption: [Drie]")
        ));
        let gaps: Vec<&Finding> = found
            .iter()
            .filter(|f| f.defect == Defect::NumberGap)
            .collect();
        assert_eq!(gaps.len(), 1, "{found:#?}");
        assert!(
            gaps[0].message.contains("Figuur 3") && gaps[0].message.contains("expected Figuur 2"),
            "{}",
            gaps[0]
        );
    }
}
