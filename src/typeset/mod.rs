//! Typesetting: the program's own Typst World and the PDF export.
//!
//! The World serves only the in-memory files of one [`Document`] (the
//! generated source, the house style, the chart SVGs) and the fonts of a
//! [`FontSet`]. It reads nothing from disk, no system fonts and no
//! packages. The date comes from the document, never from the clock, so the
//! same input gives the same PDF bytes.

pub mod boxes;
mod iterations;
pub(crate) mod layout_check;
pub mod pages;
pub mod pdf_pages;
pub mod print;

use std::collections::{BTreeMap, HashMap};
use std::fmt;
use std::path::Path;
use std::sync::{Mutex, OnceLock};

use typst::diag::{FileError, FileResult, Severity, SourceDiagnostic};
use typst::foundations::{Bytes, Datetime, Duration, Smart};
use typst::syntax::{FileId, RootedPath, Source, VirtualPath, VirtualRoot};
use typst::text::{Font, FontBook, FontInfo};
use typst::utils::LazyHash;
use typst::{Library, LibraryExt, World, WorldExt};
use typst_layout::PagedDocument;
use typst_pdf::{PdfOptions, PdfStandard, PdfStandards, Timestamp};

use crate::data::model::Date;

/// The fonts compiled into the binary, from the repository's `fonts/`.
/// The largest font file `--fonts` reads, in bytes (large CJK fonts are
/// about 20 MiB).
pub const MAX_FONT_BYTES: u64 = 64 * 1024 * 1024;

const EMBEDDED_FONTS: &[&[u8]] = &[
    include_bytes!("../../fonts/NotoSans-Regular.ttf"),
    include_bytes!("../../fonts/NotoSans-Italic.ttf"),
    include_bytes!("../../fonts/NotoSans-Bold.ttf"),
    include_bytes!("../../fonts/NotoSans-BoldItalic.ttf"),
    include_bytes!("../../fonts/NotoSansSymbols-Regular.ttf"),
    include_bytes!("../../fonts/NotoSansSymbols2-Regular.ttf"),
    include_bytes!("../../fonts/NotoSansMath-Regular.ttf"),
    include_bytes!("../../fonts/NotoSansHebrew-Regular.ttf"),
    include_bytes!("../../fonts/NotoSansArabic-Regular.ttf"),
    include_bytes!("../../fonts/DejaVuSans.ttf"),
    include_bytes!("../../fonts/Symbola.ttf"),
];

/// Checks the header of a font collection (`ttcf`, OpenType 1.9
/// "TTC Header"): a collection lists an offset of 4 bytes per face after its
/// 12-byte header, so one that claims more faces than its size can hold
/// is refused at once. (Describing each claimed face would otherwise try
/// up to 4,294,967,295 of them: minutes of work for a 16-byte file.) The
/// work per font file is then bounded by its size. A single font
/// (`.ttf`, `.otf`) passes as is.
///
/// Errors: the reason, for a message naming the file.
pub fn check_collection(bytes: &[u8]) -> Result<(), String> {
    if bytes.get(..4) != Some(b"ttcf") {
        return Ok(());
    }
    let Some(count) = bytes.get(8..12) else {
        return Err("a font collection whose header is cut off".into());
    };
    let count = u32::from_be_bytes([count[0], count[1], count[2], count[3]]) as usize;
    let room = (bytes.len() - 12) / 4;
    if count > room {
        return Err(format!(
            "a font collection that claims {count} faces, but its {} bytes hold at most {room}",
            bytes.len()
        ));
    }
    Ok(())
}

/// A set of fonts, described once in a font book and parsed on first use.
pub struct FontSet {
    book: LazyHash<FontBook>,
    infos: Vec<FontInfo>,
    slots: Vec<FontSlot>,
    /// The main family when named (the house style's `font`); else the
    /// first font's.
    main: Option<String>,
}

/// A font's data, its index in a collection, and the font once parsed.
type FontSlot = (Bytes, u32, OnceLock<Option<Font>>);

impl FontSet {
    /// Describes every font in `data` (each face of a collection), in order.
    fn describe(
        data: impl IntoIterator<Item = Bytes>,
        infos: &mut Vec<FontInfo>,
        slots: &mut Vec<FontSlot>,
    ) {
        for bytes in data {
            for (index, info) in FontInfo::iter(&bytes).enumerate() {
                infos.push(info);
                slots.push((bytes.clone(), index as u32, OnceLock::new()));
            }
        }
    }

    fn from_parts(infos: Vec<FontInfo>, slots: Vec<FontSlot>) -> FontSet {
        FontSet {
            book: LazyHash::new(FontBook::from_infos(infos.iter().cloned())),
            infos,
            slots,
            main: None,
        }
    }

    fn embedded_data() -> impl Iterator<Item = Bytes> {
        EMBEDDED_FONTS.iter().map(|b| Bytes::new(*b))
    }

    /// The fonts compiled into the binary.
    pub fn embedded() -> FontSet {
        let (mut infos, mut slots) = (Vec::new(), Vec::new());
        FontSet::describe(FontSet::embedded_data(), &mut infos, &mut slots);
        FontSet::from_parts(infos, slots)
    }

    /// Whether `path` names a font file this program reads.
    pub fn is_font_file(path: &Path) -> bool {
        path.extension().and_then(|x| x.to_str()).is_some_and(|x| {
            matches!(
                x.to_ascii_lowercase().as_str(),
                "ttf" | "otf" | "ttc" | "otc"
            )
        })
    }

    /// The font files in `dir` (`.ttf`, `.otf`, `.ttc`, `.otc`, by file
    /// name) ahead of the embedded fonts, which remain the fallback: the
    /// family of the first font in `dir` becomes the main family.
    pub fn with_dir(dir: &Path) -> Result<FontSet, TypesetError> {
        FontSet::with_dirs(&[dir])
    }

    /// The font files of each folder of `dirs`, in that order, ahead of the
    /// embedded fonts, which remain the fallback; the family of the first
    /// font is the main family until [`FontSet::with_main`] names another.
    ///
    /// Errors: a folder cannot be read or holds no usable font.
    pub fn with_dirs(dirs: &[&Path]) -> Result<FontSet, TypesetError> {
        // Each font is described once: the folders' first, in order, then
        // the embedded fonts behind them.
        let (mut infos, mut slots) = (Vec::new(), Vec::new());
        for dir in dirs {
            // Read as every input is (crate::base::input): no links, regular
            // files only (a FIFO named `x.ttf` never blocks), within a size
            // limit.
            let entries = crate::base::input::list(dir, dir)
                .map_err(|e| TypesetError::Fonts(format!("cannot read the fonts folder: {e}")))?;
            let mut data = Vec::new();
            for p in entries
                .into_iter()
                .map(|e| e.path)
                .filter(|p| FontSet::is_font_file(p))
            {
                let bytes = crate::base::input::read(dir, &p, MAX_FONT_BYTES)
                    .map_err(|e| TypesetError::Fonts(e.to_string()))?;
                check_collection(&bytes)
                    .map_err(|why| TypesetError::Fonts(format!("{}: {why}", p.display())))?;
                data.push(Bytes::new(bytes));
            }
            let before = infos.len();
            FontSet::describe(data, &mut infos, &mut slots);
            if infos.len() == before {
                return Err(TypesetError::Fonts(format!(
                    "{} holds no usable font (expected .ttf, .otf, .ttc or .otc files)",
                    dir.display()
                )));
            }
        }
        FontSet::describe(FontSet::embedded_data(), &mut infos, &mut slots);
        Ok(FontSet::from_parts(infos, slots))
    }

    /// The families of the set's fonts, each once, sorted.
    pub fn families(&self) -> Vec<&str> {
        let mut all: Vec<&str> = self.infos.iter().map(|i| i.family.as_str()).collect();
        all.sort_unstable();
        all.dedup();
        all
    }

    /// The set with `family` as its main family (the house style's
    /// `font`); `None` when no font of the set has that family.
    pub fn with_main(mut self, family: &str) -> Option<FontSet> {
        self.infos.iter().any(|i| i.family == family).then(|| {
            self.main = Some(family.to_string());
            self
        })
    }

    /// The main family: the one named (the house style's `font`), else the
    /// family of the first font.
    pub fn family(&self) -> &str {
        match &self.main {
            Some(family) => family,
            None => self.infos.first().map(|i| i.family.as_str()).unwrap_or(""),
        }
    }

    /// Whether any font has a glyph for `c`.
    pub fn covers(&self, c: char) -> bool {
        self.infos.iter().any(|i| i.coverage.contains(c as u32))
    }

    /// The distinct characters of `text` that no font covers, sorted
    /// (white space and control characters aside). One pass over the
    /// text: ASCII characters are marked in a table, others collected
    /// once each; only the distinct ones are looked up in the fonts.
    pub fn missing_chars(&self, text: &str) -> Vec<char> {
        let mut ascii = [false; 128];
        let mut other = std::collections::BTreeSet::new();
        for c in text.chars() {
            if c.is_ascii() {
                ascii[c as usize] = true;
            } else {
                other.insert(c);
            }
        }
        let ascii = (0u8..128).filter(|b| ascii[*b as usize]).map(char::from);
        let mut missing: Vec<char> = ascii
            .chain(other)
            .filter(|c| !c.is_whitespace() && !c.is_control() && !is_invisible(*c))
            .filter(|c| !self.covers(*c))
            .collect();
        missing.sort();
        missing
    }

    /// `text` with every character that no font covers replaced by U+FFFD,
    /// and the replaced characters: PDF/A forbids missing glyphs, and a
    /// visible mark keeps the loss reported rather than silent. The text is
    /// borrowed, not copied, when nothing is missing.
    pub fn printable<'t>(&self, text: &'t str) -> (std::borrow::Cow<'t, str>, Vec<char>) {
        let missing = self.missing_chars(text);
        if missing.is_empty() {
            return (std::borrow::Cow::Borrowed(text), missing);
        }
        let out = text
            .chars()
            .map(|c| {
                if missing.binary_search(&c).is_ok() {
                    '\u{fffd}'
                } else {
                    c
                }
            })
            .collect();
        (std::borrow::Cow::Owned(out), missing)
    }

    /// Every font that parses, in order: the main family's fonts first.
    pub fn fonts(&self) -> impl Iterator<Item = Font> + '_ {
        (0..self.slots.len()).filter_map(|i| self.font(i))
    }

    fn font(&self, index: usize) -> Option<Font> {
        let (bytes, i, slot) = self.slots.get(index)?;
        slot.get_or_init(|| Font::new(bytes.clone(), *i)).clone()
    }
}

/// Format characters that print nothing by design.
fn is_invisible(c: char) -> bool {
    matches!(c, '\u{200b}'..='\u{200f}' | '\u{202a}'..='\u{202e}' | '\u{2060}'..='\u{2064}' | '\u{feff}')
}

/// One compile: in-memory files and the document date.
#[derive(Debug, Clone)]
pub struct Document {
    main: String,
    // Shared bytes: the World hands out a file without copying it.
    files: BTreeMap<String, Bytes>,
    date: Date,
}

fn normalise(path: &str) -> String {
    path.trim_start_matches('/').to_string()
}

impl Document {
    /// A document whose main source is `main` (a virtual path such as `report.typ`).
    pub fn new(main: &str, date: Date) -> Document {
        Document {
            main: normalise(main),
            files: BTreeMap::new(),
            date,
        }
    }

    /// Adds or replaces a file.
    pub fn insert(&mut self, path: &str, bytes: Vec<u8>) {
        self.files.insert(normalise(path), Bytes::new(bytes));
    }

    /// Adds or replaces a text file without copying it.
    pub fn insert_text(&mut self, path: &str, text: &std::sync::Arc<str>) {
        self.files
            .insert(normalise(path), Bytes::from_string(text.clone()));
    }

    /// The files, by virtual path.
    pub fn files(&self) -> impl Iterator<Item = (&str, &[u8])> {
        self.files.iter().map(|(k, v)| (k.as_str(), v.as_slice()))
    }

    /// The document date.
    pub fn date(&self) -> Date {
        self.date
    }
}

/// The PDF standards a document is checked against.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Standards {
    /// PDF/A-2a (archival, tagged) and PDF/UA-1 (accessible).
    ArchivalAccessible,
    /// PDF/A-2b (archival) only.
    Archival,
    /// No standard enforced (still tagged).
    None,
}

/// How a PDF is written.
#[derive(Debug, Clone)]
pub struct PdfSettings {
    /// A stable identifier of the document.
    pub ident: String,
    /// The enforced standards.
    pub standards: Standards,
}

impl PdfSettings {
    /// PDF/A-2a plus PDF/UA-1, with `ident` as the document identifier.
    pub fn new(ident: impl Into<String>) -> PdfSettings {
        PdfSettings {
            ident: ident.into(),
            standards: Standards::ArchivalAccessible,
        }
    }
}

/// A Typst diagnostic, resolved to a file, line and column.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct TypstDiagnostic {
    /// Virtual path as inserted into the document.
    pub file: Option<String>,
    /// 1-based line.
    pub line: Option<usize>,
    /// 1-based column, in characters.
    pub column: Option<usize>,
    /// Byte offset of the span's start in the file.
    pub offset: Option<usize>,
    /// The message.
    pub message: String,
    /// Hints from Typst.
    pub hints: Vec<String>,
    /// Whether this is a warning rather than an error.
    pub warning: bool,
    /// The calls, show rules and imports the problem was reached through,
    /// innermost first, as Typst reports them.
    pub trace: Vec<TypstTrace>,
}

/// One step of a [`TypstDiagnostic`]'s trace.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct TypstTrace {
    /// Virtual path of the file holding the call.
    pub file: Option<String>,
    /// 1-based line.
    pub line: Option<usize>,
    /// 1-based column, in characters.
    pub column: Option<usize>,
    /// Byte offset of the call in the file.
    pub offset: Option<usize>,
    /// What happened there, e.g. "while calling `contents`".
    pub message: String,
}

impl fmt::Display for TypstDiagnostic {
    fn fmt(&self, f: &mut fmt::Formatter) -> fmt::Result {
        match (&self.file, self.line) {
            (Some(file), Some(line)) => write!(f, "{file}:{line}:{}: ", self.column.unwrap_or(1))?,
            (Some(file), None) => write!(f, "{file}: ")?,
            _ => {}
        }
        f.write_str(&self.message)?;
        for h in &self.hints {
            write!(f, "\n  hint: {h}")?;
        }
        for t in &self.trace {
            write!(f, "\n  help: {}", t.message)?;
            match (&t.file, t.line) {
                (Some(file), Some(line)) => {
                    write!(f, " at {file}:{line}:{}", t.column.unwrap_or(1))?
                }
                (Some(file), None) => write!(f, " in {file}")?,
                _ => {}
            }
        }
        Ok(())
    }
}

/// Why typesetting failed.
#[derive(Debug, Clone)]
pub enum TypesetError {
    /// Typst reported errors (compile or PDF export), followed by the
    /// compile's warnings.
    Compile(Vec<TypstDiagnostic>),
    /// Fonts could not be read.
    Fonts(String),
}

impl fmt::Display for TypesetError {
    fn fmt(&self, f: &mut fmt::Formatter) -> fmt::Result {
        match self {
            TypesetError::Compile(diags) => {
                for (i, d) in diags.iter().enumerate() {
                    if i > 0 {
                        writeln!(f)?;
                    }
                    write!(f, "{d}")?;
                }
                Ok(())
            }
            TypesetError::Fonts(m) => f.write_str(m),
        }
    }
}

impl std::error::Error for TypesetError {}

/// How long the two stages of one document took.
#[derive(Debug, Clone, Copy, Default)]
pub struct StageTimes {
    /// Typst compilation and layout.
    pub layout: std::time::Duration,
    /// PDF export.
    pub export: std::time::Duration,
    /// How many times Typst laid the document out before its introspection
    /// (page numbers, counters, positions) settled: 1 to 5, Typst's
    /// `MAX_ITERS`. Counted only when [`Typesetter::compile_all`] was
    /// asked to, else `None`.
    pub iterations: Option<usize>,
}

/// One document typeset by [`Typesetter::compile_all`]: the PDF, Typst's
/// warnings, the time each stage took and what the inspection made of the
/// pages; or Typst's errors.
pub type Typeset<T> = Result<(Vec<u8>, Vec<TypstDiagnostic>, StageTimes, T), TypesetError>;

/// Compiles documents to PDF with one library and font set; keeps the
/// parsed sources between compiles so that Typst can work incrementally.
pub struct Typesetter {
    library: LazyHash<Library>,
    fonts: FontSet,
    sources: Mutex<HashMap<String, Source>>,
}

/// How many rebuilds' memoised work a session of rebuilds (`watch`,
/// `serve`) keeps in Typst's cache, as typst-cli's watch does.
const REBUILDS_KEPT: usize = 10;

impl Typesetter {
    /// Ends one rebuild of a session that typesets again and again with
    /// this typesetter: keeps what the last [`REBUILDS_KEPT`] rebuilds used
    /// warm and frees the rest, so that a long session does not grow
    /// without bound. Typst's cache is the typesetter's to manage: this and
    /// [`Typesetter::compile_all`] are the only places that evict from it.
    pub fn rebuilt(&self) {
        typst::comemo::evict(REBUILDS_KEPT);
    }

    /// A typesetter with the default library and `fonts`.
    pub fn new(fonts: FontSet) -> Typesetter {
        Typesetter {
            library: LazyHash::new(Library::default()),
            fonts,
            sources: Mutex::new(HashMap::new()),
        }
    }

    /// The fonts.
    pub fn fonts(&self) -> &FontSet {
        &self.fonts
    }

    /// Typesets `doc` and exports it to PDF under `settings`.
    pub fn compile_pdf(
        &self,
        doc: &Document,
        settings: &PdfSettings,
    ) -> Result<Vec<u8>, TypesetError> {
        self.compile_pdf_with_warnings(doc, settings)
            .map(|(pdf, _)| pdf)
    }

    /// The text of every laid-out glyph run, page by page, in layout order
    /// (runs separated by a space): what the document shows, read from the
    /// layout rather than from the PDF bytes.
    pub fn laid_out_text(&self, doc: &Document) -> Result<String, TypesetError> {
        let paged = self.layout(doc)?;
        fn walk(frame: &typst::layout::Frame, out: &mut String) {
            for (_, item) in frame.items() {
                match item {
                    typst::layout::FrameItem::Group(g) => walk(&g.frame, out),
                    typst::layout::FrameItem::Text(t) => {
                        // Glyphs of one cluster share their text range.
                        let mut last = None;
                        for g in &t.glyphs {
                            let r = usize::from(g.range.start)..usize::from(g.range.end);
                            if last.as_ref() == Some(&r) {
                                continue;
                            }
                            if let Some(s) = t.text.get(r.clone()) {
                                out.push_str(s);
                            }
                            last = Some(r);
                        }
                        out.push(' ');
                    }
                    _ => {}
                }
            }
        }
        let mut out = String::new();
        for page in paged.pages() {
            walk(&page.frame, &mut out);
        }
        Ok(out)
    }

    /// Lays `doc` out without exporting it: the pages as Typst made them,
    /// for the layout check ([`crate::typeset::layout_check`]).
    pub fn layout(&self, doc: &Document) -> Result<PagedDocument, TypesetError> {
        let world = DocWorld::new(self, doc);
        typst::compile::<PagedDocument>(&world)
            .output
            .map_err(|errors| TypesetError::Compile(world.resolve(&errors)))
    }

    /// Like [`Typesetter::compile_pdf`], also returning Typst's warnings.
    pub fn compile_pdf_with_warnings(
        &self,
        doc: &Document,
        settings: &PdfSettings,
    ) -> Result<(Vec<u8>, Vec<TypstDiagnostic>), TypesetError> {
        self.compile_pdf_timed(doc, settings)
            .map(|(pdf, warnings, _)| (pdf, warnings))
    }

    /// Like [`Typesetter::compile_pdf_with_warnings`], also returning how
    /// long layout and PDF export took.
    pub fn compile_pdf_timed(
        &self,
        doc: &Document,
        settings: &PdfSettings,
    ) -> Result<(Vec<u8>, Vec<TypstDiagnostic>, StageTimes), TypesetError> {
        self.compile_pdf_inspected(doc, settings, |_| ())
            .map(|(pdf, warnings, times, ())| (pdf, warnings, times))
    }

    /// Like [`Typesetter::compile_pdf_timed`], also returning what `inspect`
    /// makes of the laid-out pages (such as the layout check's findings).
    pub fn compile_pdf_inspected<T>(
        &self,
        doc: &Document,
        settings: &PdfSettings,
        inspect: impl FnOnce(&PagedDocument) -> T,
    ) -> Result<(Vec<u8>, Vec<TypstDiagnostic>, StageTimes, T), TypesetError> {
        let start = std::time::Instant::now();
        let world = DocWorld::new(self, doc);
        let warned = typst::compile::<PagedDocument>(&world);
        let warnings = world.resolve(&warned.warnings);
        // A failed compile reports its warnings too, after the errors.
        let paged = warned.output.map_err(|errors| {
            let mut all = world.resolve(&errors);
            all.extend(warnings.iter().cloned());
            TypesetError::Compile(all)
        })?;
        let list: &[PdfStandard] = match settings.standards {
            Standards::ArchivalAccessible => &[PdfStandard::A_2a, PdfStandard::Ua_1],
            Standards::Archival => &[PdfStandard::A_2b],
            Standards::None => &[],
        };
        let standards = PdfStandards::new(list).map_err(|e| {
            TypesetError::Compile(vec![TypstDiagnostic {
                file: None,
                line: None,
                column: None,
                offset: None,
                message: e.message().to_string(),
                hints: e.hints().iter().map(|h| h.to_string()).collect(),
                warning: false,
                trace: Vec::new(),
            }])
        })?;
        let d = doc.date;
        let options = PdfOptions {
            ident: Smart::Custom(settings.ident.clone()),
            creator: Smart::Custom(Some("korpsmonitor".into())),
            timestamp: Datetime::from_ymd(d.year, d.month, d.day).map(Timestamp::new_utc),
            page_ranges: None,
            standards,
            tagged: true,
            pretty: false,
        };
        let layout = start.elapsed();
        let pdf = typst_pdf::pdf(&paged, &options).map_err(|errors| {
            let mut all = world.resolve(&errors);
            all.extend(warnings.iter().cloned());
            TypesetError::Compile(all)
        })?;
        let times = StageTimes {
            layout,
            export: start.elapsed() - layout,
            iterations: None,
        };
        let inspected = inspect(&paged);
        Ok((pdf, warnings, times, inspected))
    }

    /// Typesets every document of `docs` (each with its PDF settings) on
    /// all cores, each thread taking the next document in order; the
    /// calling thread typesets the first document (a build's report)
    /// itself. `inspect` gets each document's index and laid-out pages (for
    /// the layout check); `started` and `done` are called with the index
    /// of each document as its typesetting starts and ends (for progress).
    /// With `counting`, each document's layout iterations are counted
    /// ([`StageTimes::iterations`]) from Typst's own timing records, which
    /// are process-wide and cost time (for `build --timings --iterations`).
    /// Returns one result per document, in the order of `docs`; `None` for
    /// a document no thread finished.
    ///
    /// Memory: Typst keeps what it laid out in one cache shared by all
    /// threads; emptying it frees the entries but not the tables that held
    /// them, which keep the size of the largest document (comemo 0.5;
    /// about 1.2 MB per unit after a report, measured with heaptrack on a
    /// 300-unit report). A build of up to `1 + BESIDE_FIRST` documents
    /// (every real edition) typesets the report on the calling thread and
    /// the rest beside it, and leaves the cache warm for `watch`. A larger
    /// build typesets everything but the first document first, on all
    /// threads, emptying what the documents of two rounds of
    /// [`EVICT_EVERY`] did not use again; then it empties the cache,
    /// returns the freed memory to the system and typesets the first
    /// document alone. Its peak is then the report's own plus what the
    /// letters leave (the whole build about 1.1 GB above the report alone
    /// at 3,000 units), not the
    /// report's tables plus the letters (measured with `bench/bench.py`
    /// and interleaved runs, docs/PERFORMANCE.md).
    pub fn compile_all<T: Send>(
        &self,
        docs: &[(&Document, PdfSettings)],
        counting: bool,
        inspect: impl Fn(usize, &PagedDocument) -> T + Sync,
        started: impl Fn(usize) + Sync,
        done: impl Fn(usize) + Sync,
    ) -> Vec<Option<Typeset<T>>> {
        use std::sync::atomic::{AtomicUsize, Ordering};
        let threads = std::thread::available_parallelism()
            .map(|n| n.get())
            .unwrap_or(1)
            .clamp(1, docs.len().max(1));
        let many = docs.len() > 1 + BESIDE_FIRST;
        let next = AtomicUsize::new(1);
        let finished = AtomicUsize::new(0);
        let results: Mutex<Vec<Option<Typeset<T>>>> =
            Mutex::new((0..docs.len()).map(|_| None).collect());
        let one = |i: usize| {
            let Some((doc, settings)) = docs.get(i) else {
                return;
            };
            started(i);
            // Marks the document's compile in Typst's timing records
            // (when counting iterations): the records of a thread
            // between this mark and the next belong to document `i`.
            let scope = iterations::scope(i);
            let r = self.compile_pdf_inspected(doc, settings, |paged| inspect(i, paged));
            drop(scope);
            if let Ok(mut all) = results.lock() {
                all[i] = Some(r);
            }
            if many && (finished.fetch_add(1, Ordering::Relaxed) + 1).is_multiple_of(EVICT_EVERY) {
                typst::comemo::evict(1);
            }
            done(i);
        };
        // Takes the next document after the first from the queue until
        // none is left.
        let queue = || {
            loop {
                let i = next.fetch_add(1, Ordering::Relaxed);
                if i >= docs.len() {
                    break;
                }
                one(i);
            }
        };
        if counting {
            typst_timing::clear();
            typst_timing::enable();
        }
        // The calling thread typesets the first document (the report):
        // glibc serves the main thread from its main heap, which grows and
        // shrinks faster than the arenas of other threads; measured on a
        // 1,000-unit report.
        std::thread::scope(|s| {
            for _ in 1..threads {
                s.spawn(queue);
            }
            if !many {
                one(0);
            }
            queue();
        });
        if many {
            typst::comemo::evict(0);
            release_free_memory();
            one(0);
        }
        let mut results = results.into_inner().unwrap_or_default();
        if counting {
            typst_timing::disable();
            let counts = iterations::read(docs.len());
            for (result, count) in results.iter_mut().zip(counts) {
                if let Some(Ok((_, _, times, _))) = result {
                    times.iterations = count;
                }
            }
        }
        results
    }
}

/// How many documents [`Typesetter::compile_all`] typesets beside the
/// first: every letter of a real edition (the most so far: 15 in 2010),
/// few enough that their layouts (about 2 MB each in Typst's cache) stay
/// small next to a large report's. A build with more typesets the first
/// document last, alone.
pub const BESIDE_FIRST: usize = 32;

/// In a build of more than `1 + BESIDE_FIRST` documents, how many
/// documents are typeset between two evictions from Typst's cache (each
/// keeps what the documents since the eviction before used). With 256,
/// the letters of a 3,000-unit build leave the whole build's peak about
/// 1.1 GB above the report's own (docs/PERFORMANCE.md); no other period
/// was measured.
pub const EVICT_EVERY: usize = 256;

/// Returns the memory freed inside the process to the system, where the
/// allocator keeps it (glibc keeps freed memory in each thread's arena).
fn release_free_memory() {
    #[cfg(all(target_os = "linux", target_env = "gnu"))]
    // SAFETY: malloc_trim only returns free memory to the system; it takes
    // glibc's own locks and touches no memory in use.
    unsafe {
        libc::malloc_trim(0);
    }
}

/// The World of one compile.
struct DocWorld<'a> {
    typesetter: &'a Typesetter,
    doc: &'a Document,
    main: FileId,
    ids: HashMap<FileId, String>,
    // Typst asks for the same source many times in one compile: each file
    // is checked against the typesetter's cache once per compile, not on
    // every call (which made the cost grow with the square of the size).
    resolved: Mutex<HashMap<FileId, Source>>,
}

fn file_id(path: &str) -> Option<FileId> {
    let vpath = VirtualPath::new(format!("/{path}")).ok()?;
    Some(FileId::new(RootedPath::new(VirtualRoot::Project, vpath)))
}

impl<'a> DocWorld<'a> {
    fn new(typesetter: &'a Typesetter, doc: &'a Document) -> DocWorld<'a> {
        let ids = doc
            .files
            .keys()
            .filter_map(|p| file_id(p).map(|id| (id, p.clone())))
            .collect();
        let main = file_id(&doc.main).unwrap_or_else(|| file_id("main.typ").expect("a valid path"));
        DocWorld {
            typesetter,
            doc,
            main,
            ids,
            resolved: Mutex::new(HashMap::new()),
        }
    }

    fn path_of(&self, id: FileId) -> FileResult<&str> {
        if matches!(id.get().root(), VirtualRoot::Package(_)) {
            return Err(FileError::Other(Some(
                "packages are not available: the report uses only its own templates".into(),
            )));
        }
        match self.ids.get(&id) {
            Some(p) => Ok(p.as_str()),
            None => Err(FileError::NotFound(
                id.get().vpath().get_with_slash().to_string().into(),
            )),
        }
    }

    fn resolve(&self, diags: &[SourceDiagnostic]) -> Vec<TypstDiagnostic> {
        diags
            .iter()
            .map(|d| {
                let (file, line, column, offset) = self.place(d.span);
                let trace = d
                    .trace
                    .iter()
                    .map(|point| {
                        let (file, line, column, offset) = self.place(point.span);
                        TypstTrace {
                            file,
                            line,
                            column,
                            offset,
                            message: point.v.to_string(),
                        }
                    })
                    .collect();
                TypstDiagnostic {
                    file,
                    line,
                    column,
                    offset,
                    message: d.message.to_string(),
                    // Typst's hints about its own command line (`--root`,
                    // `--font-path`, `--package-path`) name options this
                    // program does not have.
                    hints: d
                        .hints
                        .iter()
                        .map(|h| h.v.to_string())
                        .filter(|h| !h.contains("`--"))
                        .collect(),
                    warning: d.severity == Severity::Warning,
                    trace,
                }
            })
            .collect()
    }

    /// The file, 1-based line and column, and byte offset of a span.
    #[allow(clippy::type_complexity)]
    fn place(
        &self,
        span: impl Into<typst::syntax::DiagSpan>,
    ) -> (Option<String>, Option<usize>, Option<usize>, Option<usize>) {
        let span = span.into();
        let id = span.id();
        let file = id.and_then(|id| self.ids.get(&id).cloned());
        let range = self.range(span);
        if let (Some(id), Some(range)) = (id, range)
            && let Ok(source) = self.source(id)
            && let Some((l, c)) = source.lines().byte_to_line_column(range.start)
        {
            return (file, Some(l + 1), Some(c + 1), Some(range.start));
        }
        (file, None, None, None)
    }
}

impl World for DocWorld<'_> {
    fn library(&self) -> &LazyHash<Library> {
        &self.typesetter.library
    }

    fn book(&self) -> &LazyHash<FontBook> {
        &self.typesetter.fonts.book
    }

    fn main(&self) -> FileId {
        self.main
    }

    fn source(&self, id: FileId) -> FileResult<Source> {
        let mut resolved = self.resolved.lock().unwrap_or_else(|e| e.into_inner());
        if let Some(source) = resolved.get(&id) {
            return Ok(source.clone());
        }
        let path = self.path_of(id)?;
        let text =
            std::str::from_utf8(&self.doc.files[path]).map_err(|_| FileError::InvalidUtf8)?;
        let mut cache = self
            .typesetter
            .sources
            .lock()
            .unwrap_or_else(|e| e.into_inner());
        let source = match cache.get(path) {
            // A changed file gets a fresh Source rather than an in-place
            // `Source::replace`: the incremental reparse can keep stale text
            // when the edit falls inside a multi-byte character (e.g. "↑"
            // replaced by "∑" share their first and last bytes).
            Some(source) if source.id() == id && source.text() == text => source.clone(),
            _ => {
                let source = Source::new(id, text.to_string());
                cache.insert(path.to_string(), source.clone());
                source
            }
        };
        resolved.insert(id, source.clone());
        Ok(source)
    }

    fn file(&self, id: FileId) -> FileResult<Bytes> {
        let path = self.path_of(id)?;
        Ok(self.doc.files[path].clone())
    }

    fn font(&self, index: usize) -> Option<Font> {
        self.typesetter.fonts.font(index)
    }

    fn today(&self, _offset: Option<Duration>) -> Option<Datetime> {
        let d = self.doc.date;
        Datetime::from_ymd(d.year, d.month, d.day)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const SVG: &str = r##"<svg xmlns="http://www.w3.org/2000/svg" width="100" height="40" viewBox="0 0 100 40"><rect width="100" height="40" fill="#154273"/><text x="5" y="25" font-family="Noto Sans" font-size="12" fill="white">42 punten</text></svg>"##;

    fn doc(main: &str) -> Document {
        let mut d = Document::new(
            "main.typ",
            Date {
                year: 2011,
                month: 7,
                day: 6,
            },
        );
        d.insert("main.typ", main.as_bytes().to_vec());
        d.insert("lib.typ", b"#let groet(n) = [Hallo #n]".to_vec());
        d.insert("chart.svg", SVG.as_bytes().to_vec());
        d
    }

    const GOOD: &str = "#import \"lib.typ\": groet\n#set document(title: \"Test\")\n#set text(font: \"Noto Sans\", lang: \"nl\")\n= Kop\n#groet(\"wereld\")\n#figure(image(\"chart.svg\", alt: \"Een balk met 42 punten\"))\n#datetime.today().display()\n";

    #[test]
    fn a_collection_claiming_more_faces_than_its_size_holds_is_refused() {
        let mut ttc = b"ttcf\x00\x01\x00\x00".to_vec();
        ttc.extend_from_slice(&u32::MAX.to_be_bytes());
        ttc.extend_from_slice(&[0; 4]);
        let why = check_collection(&ttc).unwrap_err();
        assert!(why.contains("claims 4294967295 faces"), "{why}");
        assert!(check_collection(b"ttcf\x00\x01").is_err());
        // Two faces in 20 bytes: the offsets fit; a single font passes.
        let mut two = b"ttcf\x00\x01\x00\x00\x00\x00\x00\x02".to_vec();
        two.extend_from_slice(&[0; 8]);
        assert!(check_collection(&two).is_ok());
        assert!(check_collection(EMBEDDED_FONTS[0]).is_ok());
    }

    fn typesetter() -> &'static Typesetter {
        static T: OnceLock<Typesetter> = OnceLock::new();
        T.get_or_init(|| Typesetter::new(FontSet::embedded()))
    }

    #[test]
    fn compiles_reproducibly_to_pdf() {
        let t = typesetter();
        let a = t
            .compile_pdf(&doc(GOOD), &PdfSettings::new("test"))
            .unwrap();
        assert!(a.starts_with(b"%PDF"));
        let b = t
            .compile_pdf(&doc(GOOD), &PdfSettings::new("test"))
            .unwrap();
        assert!(a == b, "two compiles differ");
    }

    /// More documents than run beside the first: the first is typeset
    /// last, after all the others, and every document still comes out, in
    /// order, as it does alone.
    #[test]
    fn compile_all_typesets_more_documents_than_run_beside_the_first() {
        let t = typesetter();
        let n = BESIDE_FIRST + 6;
        let sources: Vec<String> = (0..n)
            .map(|i| {
                let body = if i == 0 { "#lorem(4000)\n" } else { "" };
                format!("{GOOD}Brief {i}\n{body}")
            })
            .collect();
        let docs: Vec<Document> = sources.iter().map(|s| doc(s)).collect();
        let settings = PdfSettings::new("test");
        let pairs: Vec<_> = docs.iter().map(|d| (d, settings.clone())).collect();
        let count = |_: usize, paged: &PagedDocument| paged.pages().len();
        let order = Mutex::new(Vec::new());
        let all = t.compile_all(
            &pairs,
            false,
            count,
            |i| order.lock().unwrap().push(i),
            |_| {},
        );
        assert_eq!(all.len(), n);
        let order = order.into_inner().unwrap();
        assert_eq!(order.len(), n);
        assert_eq!(
            order.last(),
            Some(&0),
            "the first document is typeset last: {order:?}"
        );
        for (i, r) in all.into_iter().enumerate() {
            let (pdf, _, _, pages) = r.expect("typeset").expect("no error");
            assert!(pages >= 1);
            assert!(
                pdf == t.compile_pdf(&docs[i], &settings).unwrap(),
                "document {i} differs from its compile alone"
            );
        }

        let mut broken = docs.clone();
        broken[0] = doc("#nonexistent()");
        let pairs: Vec<_> = broken.iter().map(|d| (d, settings.clone())).collect();
        let all = t.compile_all(&pairs, false, count, |_| {}, |_| {});
        assert!(matches!(all[0], Some(Err(_))));
        assert!(all[1..].iter().all(|r| matches!(r, Some(Ok(_)))));
    }

    #[test]
    fn errors_point_to_file_and_line() {
        let t = typesetter();
        let err = t
            .compile_pdf(
                &doc("#set document(title: \"T\")\nok\n#nope()\n"),
                &PdfSettings::new("t"),
            )
            .unwrap_err();
        let TypesetError::Compile(d) = err else {
            panic!()
        };
        assert_eq!(d[0].file.as_deref(), Some("main.typ"));
        assert_eq!(d[0].line, Some(3));
        assert_eq!(d[0].column, Some(2));
        assert!(
            d[0].message.contains("unknown variable: nope"),
            "{}",
            d[0].message
        );
    }

    #[test]
    fn errors_keep_the_trace_to_the_calling_line() {
        let t = typesetter();
        let mut d = doc("#set document(title: \"T\")\n#import \"lib.typ\": kapot\n\n#kapot()\n");
        d.insert("lib.typ", b"#let kapot() = {\n  nope()\n}\n".to_vec());
        let err = t.compile_pdf(&d, &PdfSettings::new("t")).unwrap_err();
        let TypesetError::Compile(d) = err else {
            panic!()
        };
        assert_eq!(d[0].file.as_deref(), Some("lib.typ"));
        assert_eq!((d[0].line, d[0].column), (Some(2), Some(3)));
        let call = &d[0].trace[0];
        assert_eq!(call.file.as_deref(), Some("main.typ"));
        assert_eq!((call.line, call.column), (Some(4), Some(2)));
        assert_eq!(call.message, "while calling `kapot`");
    }

    #[test]
    fn warnings_are_returned_on_success() {
        let t = typesetter();
        let src = "#set document(title: \"T\")\n#set text(lang: \"nl\")\n#text(font: \"Bestaat Niet\")[x]\n";
        let (_, warnings) = t
            .compile_pdf_with_warnings(&doc(src), &PdfSettings::new("t"))
            .unwrap();
        assert_eq!(warnings.len(), 1, "{warnings:?}");
        assert!(warnings[0].warning);
        assert_eq!(warnings[0].line, Some(3));
        assert!(
            warnings[0].message.contains("unknown font family"),
            "{warnings:?}"
        );
    }

    #[test]
    fn nothing_outside_the_document_is_read() {
        let t = typesetter();
        for src in [
            "#read(\"/etc/passwd\")",
            "#image(\"/etc/hostname\")",
            "#read(\"../Cargo.toml\")",
            "#import \"@preview/x:0.1.0\": *",
        ] {
            let full = format!("#set document(title: \"T\")\n{src}\n");
            let err = t
                .compile_pdf(&doc(&full), &PdfSettings::new("t"))
                .unwrap_err();
            assert!(matches!(err, TypesetError::Compile(_)), "{src}");
        }
    }

    #[test]
    fn accessibility_is_enforced() {
        let t = typesetter();
        let src = "#set document(title: \"T\")\n#set text(lang: \"nl\")\n#image(\"chart.svg\")\n";
        let err = t
            .compile_pdf(&doc(src), &PdfSettings::new("t"))
            .unwrap_err();
        let text = err.to_string();
        assert!(text.to_lowercase().contains("alt"), "{text}");
    }

    #[test]
    fn dynamic_labels_can_be_linked() {
        let t = typesetter();
        let src = "#set document(title: \"T\")\n#set text(lang: \"nl\")\n#link(label(\"x\"))[naar X]\n#[#heading(level: 1)[X] #label(\"x\")]\n";
        t.compile_pdf(&doc(src), &PdfSettings::new("t")).unwrap();
    }

    #[test]
    fn missing_glyphs_are_found() {
        let fonts = &typesetter().fonts;
        assert_eq!(fonts.family(), "Noto Sans");
        assert!(fonts.covers('ë'));
        assert!(fonts.covers('א'));
        assert_eq!(
            fonts.missing_chars("Één \u{e000} ab\u{e000}"),
            vec!['\u{e000}']
        );
    }
}
