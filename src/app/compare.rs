//! Page comparison (`korpsmonitor compare`): what a change to the data
//! does to the printed pages. Both versions of a document are laid out in
//! memory with one typesetter; their pages are matched by their words
//! ([`crate::app::page_match`]), so that a page that only moved (something before it
//! grew) is not reported as changed; each changed page is drawn beside
//! its old version with the changed words highlighted
//! ([`crate::typeset::pages`]); an HTML page lists the pictures
//! ([`crate::app::compare_html`]). Only the changed pages are rasterised.
//! Two PDF files are read instead of laid out ([`crate::typeset::pdf_pages`]).

use std::path::{Path, PathBuf};

use typst_layout::PagedDocument;

use crate::app::build::{self, Observer, Timings, font_set};
use crate::app::compare_html::{self, Figure};
use crate::app::git;
use crate::app::options::{BuildOptions, DocumentKind};
use crate::app::page_match::{Pair, changed_words, match_pages, page_tokens};
use crate::app::typst_diagnostics::typst_diagnostics;
use crate::base::diagnostics::SourceCache;
use crate::base::error::RunError;
use crate::base::output;
use crate::typeset::pages::{self, Mark, Rect, Sheet, Side, Word};
use crate::typeset::pdf_pages;
use crate::typeset::{TypesetError, Typesetter};

/// The two versions to compare.
#[derive(Debug, Clone)]
pub enum Versions {
    /// Two edition folders, old and new.
    Editions(PathBuf, PathBuf),
    /// One edition folder as it was at a git revision (old) against the
    /// working tree (new).
    Revision(PathBuf, String),
    /// Two PDF files, old and new: their pages are read and drawn with
    /// hayro ([`crate::typeset::pdf_pages`]); words only, drawings are not
    /// compared.
    Pdfs(PathBuf, PathBuf),
}

/// What `compare` is asked to do.
#[derive(Debug, Clone)]
pub struct CompareOptions {
    /// The versions.
    pub versions: Versions,
    /// The folder the pictures and `index.html` go to.
    pub output: PathBuf,
    /// The document to compare: the report or the covering letter.
    pub document: DocumentKind,
    /// The pictures' resolution in pixels per point (1.5 gives about
    /// 890 x 1260 pixels per A4 page).
    pub pixel_per_pt: f32,
}

/// What a comparison found and wrote.
#[derive(Debug, Clone, Default)]
pub struct Compared {
    /// Page pairs whose words differ.
    pub changed: usize,
    /// Pages only in the new version.
    pub added: usize,
    /// Pages only in the old version.
    pub removed: usize,
    /// Pages with the same words at another page number.
    pub moved: usize,
    /// The HTML page listing the pictures.
    pub index: PathBuf,
}

/// A build that tells nothing: the comparison shows only its result.
struct Quiet;

impl Observer for Quiet {}

/// Compares the pages of the document `options` names in two versions
/// and writes a picture per changed, added or removed page and an
/// `index.html` listing them into `options.output`, all or nothing;
/// pictures of an earlier comparison there that this one did not make are
/// removed.
///
/// Errors: an edition's data, templates or Typst errors as `build`
/// reports them; a bad revision; a PDF file that is missing, a link, too
/// large or unreadable (usage errors); an output folder that is a link or
/// cannot be written.
pub fn compare(options: &CompareOptions) -> Result<Compared, RunError> {
    let (old, new, labels) = read_versions(options)?;
    let pairs = match_pages(&old.tokens, &new.tokens);
    let (figures, mut files): (Vec<Figure>, Vec<(PathBuf, Vec<u8>)>) =
        pictures(&pairs, &old, &new, options.pixel_per_pt)?
            .into_iter()
            .map(|(figure, png)| {
                let path = options.output.join(&figure.file);
                (figure, (path, png))
            })
            .unzip();
    let html = compare_html::page(&labels, &pairs, &figures, document_name(options.document));
    let index = options.output.join("index.html");
    files.push((index.clone(), html.into_bytes()));
    write(&options.output, &files)?;
    let count = |f: fn(&Pair) -> bool| pairs.iter().filter(|p| f(p)).count();
    Ok(Compared {
        changed: count(|p| matches!(p, Pair::Changed(..))),
        added: count(|p| matches!(p, Pair::Added(_))),
        removed: count(|p| matches!(p, Pair::Removed(_))),
        moved: count(|p| matches!(p, Pair::Same(a, b) if a != b)),
        index,
    })
}

/// Both versions laid out (or read from PDF), with their labels.
fn read_versions(options: &CompareOptions) -> Result<(Laid, Laid, (String, String)), RunError> {
    let (old_dir, new_dir, labels, _copy) = match &options.versions {
        Versions::Pdfs(a, b) => {
            let labels = (a.display().to_string(), b.display().to_string());
            return Ok((Laid::pdf(a)?, Laid::pdf(b)?, labels));
        }
        Versions::Editions(a, b) => (
            a.clone(),
            b.clone(),
            (a.display().to_string(), b.display().to_string()),
            None,
        ),
        Versions::Revision(edition, rev) => {
            let (tmp, dir) = git::checkout(edition, rev)?;
            // Checked here first, so that problems name `REV:path`.
            git::load_revision(&tmp, &dir, rev)?;
            let shown = edition.display();
            (
                dir,
                edition.clone(),
                (
                    format!("{shown} at {rev}"),
                    format!("{shown} (working tree)"),
                ),
                Some(tmp),
            )
        }
    };
    // The copy of a revision lives until both versions are laid out.
    let new_options = build_options(&new_dir, options.document);
    let typesetter = Typesetter::new(font_set(&new_options)?);
    let old = lay_out(&build_options(&old_dir, options.document), &typesetter)?;
    let new = lay_out(&new_options, &typesetter)?;
    Ok((Laid::typst(old), Laid::typst(new), labels))
}

fn document_name(kind: DocumentKind) -> &'static str {
    match kind {
        DocumentKind::Letter => "covering letter",
        _ => "report",
    }
}

/// The options of a build of only `kind` from `edition`, in memory.
fn build_options(edition: &Path, kind: DocumentKind) -> BuildOptions {
    let mut options = BuildOptions::preview(edition.to_path_buf(), None, None);
    options.only = Some(kind);
    options.docx = false;
    options
}

/// Loads, checks, scores and renders the edition of `options` and lays
/// its one document out (no PDF is made). Errors as `build` gives them.
fn lay_out(options: &BuildOptions, typesetter: &Typesetter) -> Result<PagedDocument, RunError> {
    let prepared = build::prepare(options, typesetter, &mut Timings::default(), &Quiet)?;
    let job = prepared.plan.jobs.first().ok_or_else(|| {
        RunError::Usage(format!(
            "{} has no {} to compare",
            options.edition.display(),
            options.only.map_or("document", |k| document_name(k))
        ))
    })?;
    typesetter.layout(&job.document).map_err(|e| match e {
        TypesetError::Compile(diags) => {
            let mut sources = SourceCache::default();
            let errors = typst_diagnostics(&diags, job, &prepared.templates, &mut sources);
            RunError::data(errors, sources)
        }
        e => RunError::Other(e.to_string()),
    })
}

/// The largest PDF file `compare` reads, in bytes.
pub const MAX_PDF_BYTES: u64 = 256 * 1024 * 1024;

/// Where a version's pages come from.
enum Pages {
    /// Laid out here.
    Typst(PagedDocument),
    /// A PDF file's bytes.
    Pdf(Vec<u8>),
}

/// A version's pages, their words, and the words as compared.
struct Laid {
    pages: Pages,
    words: Vec<Vec<Word>>,
    tokens: Vec<Vec<String>>,
}

impl Laid {
    fn typst(doc: PagedDocument) -> Laid {
        let words = pages::document_words(&doc);
        let tokens = doc
            .pages()
            .iter()
            .zip(&words)
            .map(|(page, w)| page_tokens(w, page.number))
            .collect();
        Laid {
            pages: Pages::Typst(doc),
            words,
            tokens,
        }
    }

    /// The PDF file at `path` (a regular file, not a link, at most
    /// [`MAX_PDF_BYTES`]); its pages are numbered from 1.
    fn pdf(path: &Path) -> Result<Laid, RunError> {
        let dir = path.parent().unwrap_or(Path::new(""));
        let bytes = crate::base::input::read(dir, path, MAX_PDF_BYTES)
            .map_err(|e| RunError::Usage(e.to_string()))?;
        let words = pdf_pages::words(&bytes)
            .map_err(|e| RunError::Usage(format!("{}: {e}", path.display())))?;
        let tokens = words
            .iter()
            .enumerate()
            .map(|(i, w)| page_tokens(w, i as u64 + 1))
            .collect();
        Ok(Laid {
            pages: Pages::Pdf(bytes),
            words,
            tokens,
        })
    }

    /// Page `i` (0-based), to draw.
    fn sheet(&self, i: usize) -> Sheet<'_> {
        match &self.pages {
            Pages::Typst(doc) => Sheet::Laid(&doc.pages()[i]),
            Pages::Pdf(bytes) => Sheet::Pdf(bytes, i),
        }
    }
}

/// The pictures of every pair that is not the same, in the order of
/// `pairs`, drawn on all cores.
fn pictures(
    pairs: &[Pair],
    old: &Laid,
    new: &Laid,
    pixel_per_pt: f32,
) -> Result<Vec<(Figure, Vec<u8>)>, RunError> {
    use std::sync::atomic::{AtomicUsize, Ordering};
    let todo: Vec<Pair> = pairs
        .iter()
        .copied()
        .filter(|p| !matches!(p, Pair::Same(..)))
        .collect();
    let threads = std::thread::available_parallelism()
        .map_or(1, |n| n.get())
        .clamp(1, todo.len().max(1));
    let next = AtomicUsize::new(0);
    let done = std::sync::Mutex::new(Vec::new());
    std::thread::scope(|s| {
        for _ in 0..threads {
            s.spawn(|| {
                while let Some(pair) = todo.get(next.fetch_add(1, Ordering::Relaxed)) {
                    let drawn = picture(*pair, old, new, pixel_per_pt);
                    done.lock()
                        .unwrap_or_else(|e| e.into_inner())
                        .push((*pair, drawn));
                }
            });
        }
    });
    let mut done = done.into_inner().unwrap_or_else(|e| e.into_inner());
    // Back into the order of the pairs, whichever thread drew them.
    done.sort_by_key(|(pair, _)| todo.iter().position(|p| p == pair));
    done.into_iter().map(|(_, drawn)| drawn).collect()
}

/// The picture of one pair (drawn for pairs that are not the same) and
/// its figure for the HTML page.
fn picture(
    pair: Pair,
    before: &Laid,
    after: &Laid,
    pixel_per_pt: f32,
) -> Result<(Figure, Vec<u8>), RunError> {
    let (old, new, file) = match pair {
        Pair::Same(a, b) | Pair::Changed(a, b) => (
            Some(a),
            Some(b),
            format!("changed-p{:03}-p{:03}.png", a + 1, b + 1),
        ),
        Pair::Removed(a) => (Some(a), None, format!("removed-p{:03}.png", a + 1)),
        Pair::Added(b) => (None, Some(b), format!("added-p{:03}.png", b + 1)),
    };
    let empty = Vec::new();
    let (removed, added) = match (old, new) {
        (Some(a), Some(b)) => changed_words(&before.tokens[a], &after.tokens[b]),
        (Some(a), None) => ((0..before.tokens[a].len()).collect(), empty),
        (None, Some(b)) => (empty, (0..after.tokens[b].len()).collect()),
        (None, None) => (Vec::new(), Vec::new()),
    };
    let boxes =
        |words: &[Word], at: &[usize]| -> Vec<Rect> { at.iter().map(|i| words[*i].rect).collect() };
    // A whole page removed or added is not covered in marks.
    let (old_marks, new_marks) = match (old, new) {
        (Some(a), Some(b)) => (
            boxes(&before.words[a], &removed),
            boxes(&after.words[b], &added),
        ),
        _ => (Vec::new(), Vec::new()),
    };
    let png = pages::side_by_side(
        side(before, old, &old_marks, Mark::Removed),
        side(after, new, &new_marks, Mark::Added),
        pixel_per_pt,
    )
    .map_err(|e| RunError::Other(format!("cannot draw {file}: {e}")))?;
    let texts = |words: &[Word], at: &[usize]| -> Vec<String> {
        at.iter()
            .map(|i| words[*i].text.clone())
            .filter(|t| !t.starts_with("[image "))
            .collect()
    };
    let figure = Figure {
        file,
        old: old.map(|a| a + 1),
        new: new.map(|b| b + 1),
        removed: old
            .map(|a| texts(&before.words[a], &removed))
            .unwrap_or_default(),
        added: new
            .map(|b| texts(&after.words[b], &added))
            .unwrap_or_default(),
        // A chart that changed is on both sides: counted once.
        pictures: images(before, old, &removed).max(images(after, new, &added)),
    };
    Ok((figure, png))
}

/// How many of the words `at` of page `page` of `laid` are pictures.
fn images(laid: &Laid, page: Option<usize>, at: &[usize]) -> usize {
    page.map_or(0, |p| {
        at.iter()
            .filter(|i| laid.words[p][**i].text.starts_with("[image "))
            .count()
    })
}

/// Page `at` of `laid` with `marks` to paint in the colour of `mark`.
fn side<'a>(laid: &'a Laid, at: Option<usize>, marks: &'a [Rect], mark: Mark) -> Option<Side<'a>> {
    at.map(|i| Side {
        page: laid.sheet(i),
        marks,
        mark,
    })
}

/// Whether `name` is a picture a comparison writes.
fn is_picture(name: &str) -> bool {
    ["changed-p", "added-p", "removed-p"]
        .iter()
        .any(|p| name.starts_with(p))
        && name.ends_with(".png")
}

/// Writes `files` into `dir` as one set (all or nothing, never through a
/// link), then removes the pictures of an earlier comparison that this
/// one did not write.
fn write(dir: &Path, files: &[(PathBuf, Vec<u8>)]) -> Result<(), RunError> {
    let fail = |e: std::io::Error| RunError::Other(format!("cannot write the comparison: {e}"));
    if std::fs::symlink_metadata(dir).is_ok_and(|m| m.file_type().is_symlink()) {
        return Err(RunError::Other(format!(
            "cannot write the comparison: {} is a symbolic link; output folders must be real folders",
            dir.display()
        )));
    }
    let root = dir.parent().unwrap_or(Path::new(""));
    output::create_folder(root, dir).map_err(fail)?;
    let set: Vec<(PathBuf, &[u8])> = files
        .iter()
        .map(|(p, b)| (p.clone(), b.as_slice()))
        .collect();
    output::write_set(&set, None).map_err(fail)?;
    let entries = std::fs::read_dir(dir).map_err(fail)?;
    for entry in entries.flatten() {
        let path = entry.path();
        let name = entry.file_name().to_string_lossy().into_owned();
        let regular = entry.file_type().is_ok_and(|t| t.is_file());
        if regular && is_picture(&name) && !files.iter().any(|(p, _)| *p == path) {
            std::fs::remove_file(&path).map_err(fail)?;
        }
    }
    Ok(())
}
