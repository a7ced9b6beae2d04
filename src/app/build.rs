//! A build in memory: the report, the covering letter and the letters to
//! unit managers, all from one computation, typeset into PDFs that are
//! returned as files with their paths, not written.
//!
//! [`build`] does it all; [`prepare`] and [`typeset`] are its two halves,
//! for a caller that writes the Typst sources in between (`build
//! --emit-typst`). [`crate::base::output::write_build`] writes the result as one
//! set.

use std::path::PathBuf;
use std::time::Duration;

use crate::app::check::{Checks, load_check_score_with};
use crate::app::options::BuildOptions;
use crate::app::plan::{self, Plan};
use crate::app::typst_diagnostics;
use crate::base::diagnostics::{Diagnostic, SourceCache};
use crate::base::error::RunError;
use crate::base::locate::Locations;
use crate::base::output::{FileSet, OutputFile};
use crate::render::HOUSE_STYLE;
use crate::render::Templates;
use crate::typeset::layout_check::{self, ProperNames, Rules};
use crate::typeset::{FontSet, StageTimes, TypesetError, Typesetter};

/// What a build tells as it goes: a terminal shows it as progress, a
/// server ignores it. Every method does nothing unless implemented.
pub trait Observer: Sync {
    /// A stage starts, e.g. "scoring".
    fn stage(&self, _what: &str) {}
    /// `n` documents will be typeset.
    fn documents(&self, _n: usize) {}
    /// One more document is typeset.
    fn document_done(&self) {}
    /// Warnings were found (the build goes on), with the texts they point
    /// into.
    fn warnings(&self, _warnings: &[Diagnostic], _sources: &SourceCache) {}
}

/// Everything a build makes, in memory.
pub struct Built {
    /// The files and their folders, as [`output::write_build`] writes them.
    pub set: FileSet,
    /// The layout check's findings (`--check-layout`), each an error of
    /// the document at its path below the output root: the build fails
    /// after the documents are written, to be looked at.
    pub findings: Vec<Diagnostic>,
}

/// A build rendered but not typeset: the plan with its missing glyphs
/// replaced.
pub struct Prepared {
    /// The documents.
    pub plan: Plan,
    /// The templates they were rendered from.
    pub templates: Templates,
    /// The output root.
    pub root: PathBuf,
    /// Names the layout check must not see hyphenated, when it runs.
    names: Option<ProperNames>,
    /// Warnings about missing glyphs, told to the observer with Typst's.
    glyph_warnings: Vec<Diagnostic>,
    /// Whether each document's layout iterations are counted
    /// (`--iterations`).
    count_iterations: bool,
}

impl Prepared {
    /// The files of the build that typesetting does not change, copied:
    /// the web edition's pages, data and assets (not its copies of the
    /// PDFs) and the letters as Word documents, with their paths below the
    /// output root as [`typeset`] gives them, to be written while the PDFs
    /// are typeset ([`crate::base::output::stage`]).
    pub fn files_ahead(&self) -> Vec<(PathBuf, Vec<u8>)> {
        let below = |p: &PathBuf| p.strip_prefix(&self.root).unwrap_or(p).to_path_buf();
        let docx = self
            .plan
            .docx
            .iter()
            .map(|d| (below(&d.path), d.bytes.clone()));
        let site = self
            .plan
            .site
            .iter()
            .map(|(path, bytes)| (below(path), bytes.clone()));
        docx.chain(site).collect()
    }
}

/// Builds every document `args` asks for into memory with `typesetter`
/// (which a watch or server keeps warm between builds), telling
/// `observer` what happens and recording the time of each stage in
/// `times`. Fails with every problem found: in the data, the templates or
/// Typst's compile.
pub fn build(
    args: &BuildOptions,
    typesetter: &Typesetter,
    times: &mut Timings,
    observer: &dyn Observer,
) -> Result<Built, RunError> {
    let prepared = prepare(args, typesetter, times, observer)?;
    typeset(prepared, typesetter, times, observer)
}

/// Loads, checks and scores the edition and renders its documents;
/// replaces characters the fonts lack with U+FFFD (with a warning).
pub fn prepare(
    args: &BuildOptions,
    typesetter: &Typesetter,
    times: &mut Timings,
    observer: &dyn Observer,
) -> Result<Prepared, RunError> {
    if let Some(rev) = &args.changes_since {
        crate::app::git::check_revision(rev)?;
    }
    observer.stage("loading, checking and scoring");
    let checked = load_check_score_with(&args.edition, Checks::Documents, args.parsed.as_deref())?;
    times.load = checked.load_time;
    times.score = checked.score_time;
    let templates = match &args.templates {
        Some(dir) => Templates::with_overrides(dir).map_err(|d| RunError::diagnostic(*d))?,
        None => Templates::embedded(),
    };
    if !checked.warnings.is_empty() {
        observer.warnings(&checked.warnings, &checked.sources);
    }
    let names = args
        .check_layout
        .then(|| layout_check::proper_names(checked.edition.source()));
    let stage = |what: &str| observer.stage(what);
    let mut plan = plan::plan(args, &checked, &templates, typesetter, &stage)?;
    times.charts = plan.charts_time;
    times.templates = plan.templates_time;
    // The documents hold all they need: free the edition before typesetting,
    // where a build's memory peaks.
    drop(checked);
    let glyph_warnings = replace_missing_glyphs(&mut plan, typesetter);
    Ok(Prepared {
        plan,
        templates,
        root: args.output.clone(),
        names,
        glyph_warnings,
        count_iterations: args.iterations,
    })
}

/// Replaces the characters the fonts lack in every document of `plan`
/// (its main source and its charts) with U+FFFD; one warning per document
/// that had any.
fn replace_missing_glyphs(plan: &mut Plan, typesetter: &Typesetter) -> Vec<Diagnostic> {
    let fonts = typesetter.fonts();
    let mut glyph_warnings = Vec::new();
    for job in &mut plan.jobs {
        let (printable, mut missing) = fonts.printable(&job.generated.source);
        // Chart labels (unit and partner names) are text inside the SVGs,
        // which Typst sets with the same fonts: the same rule applies there.
        let replaced_charts: Vec<(String, String)> = job
            .document
            .files()
            .filter(|(path, _)| path.ends_with(".svg"))
            .filter_map(|(path, bytes)| {
                let svg = std::str::from_utf8(bytes).ok()?;
                let (svg, lost) = fonts.printable(svg);
                if lost.is_empty() {
                    return None;
                }
                missing.extend(lost);
                Some((path.to_string(), svg.into_owned()))
            })
            .collect();
        for (path, svg) in replaced_charts {
            job.document.insert(&path, svg.into_bytes());
        }
        missing.sort();
        missing.dedup();
        if !missing.is_empty() {
            let list: Vec<String> = missing
                .iter()
                .map(|c| format!("U+{:04X} {c:?}", *c as u32))
                .collect();
            glyph_warnings.push(
                Diagnostic::warning(
                    &job.path,
                    format!(
                        "the fonts have no glyph for {} character(s), printed as U+FFFD: {}",
                        missing.len(),
                        list.join(", ")
                    ),
                )
                .hint("give a folder of fonts that have them with --fonts DIR"),
            );
            let main = job.template.trim_end_matches(".j2").to_string();
            job.document
                .insert(&main, printable.into_owned().into_bytes());
        }
    }
    glyph_warnings
}

/// Typesets every document of `prepared` on all cores (the report first,
/// the letters beside it), with the layout check when it was asked for.
/// Fails with every document's errors and warnings, each pointing into
/// the template line that produced it.
pub fn typeset(
    prepared: Prepared,
    typesetter: &Typesetter,
    times: &mut Timings,
    observer: &dyn Observer,
) -> Result<Built, RunError> {
    let Prepared {
        plan,
        templates,
        root,
        names,
        mut glyph_warnings,
        count_iterations,
    } = prepared;
    let jobs = &plan.jobs;
    let docs: Vec<_> = jobs.iter().map(|j| (&j.document, j.settings())).collect();
    observer.documents(jobs.len());
    let results = typesetter.compile_all(
        &docs,
        count_iterations,
        |i, paged| match &names {
            Some(names) => {
                layout_check::check(paged, &jobs[i].file_name(), names, &Rules::default())
            }
            None => Vec::new(),
        },
        |i| observer.stage(&format!("typesetting {}", jobs[i].file_name())),
        |_| observer.document_done(),
    );
    let mut pdfs = Vec::new();
    let mut sources = SourceCache::default();
    let (mut errors, mut typst_warnings) = (Vec::new(), Vec::new());
    let mut findings = Vec::new();
    for (job, result) in jobs.iter().zip(results) {
        match result {
            Some(Ok((pdf, typst, t, found))) => {
                findings.extend(
                    found
                        .into_iter()
                        .map(|f| Diagnostic::error(&job.path, format!("layout: {f}"))),
                );
                typst_warnings.extend(typst_diagnostics::typst_diagnostics(
                    &typst,
                    job,
                    &templates,
                    &mut sources,
                ));
                times.layout += t.layout;
                times.export += t.export;
                times.documents.push((job.file_name(), t));
                pdfs.push(pdf);
            }
            Some(Err(TypesetError::Compile(diags))) => {
                errors.extend(typst_diagnostics::typst_diagnostics(
                    &diags,
                    job,
                    &templates,
                    &mut sources,
                ));
            }
            Some(Err(e)) => errors.push(Diagnostic::error(&job.path, e.to_string())),
            None => errors.push(Diagnostic::error(&job.path, "the document was not typeset")),
        }
    }
    if !errors.is_empty() {
        errors.extend(typst_warnings);
        errors.extend(glyph_warnings);
        return Err(RunError::data(errors, sources));
    }
    glyph_warnings.append(&mut typst_warnings);
    if !glyph_warnings.is_empty() {
        observer.warnings(&glyph_warnings, &sources);
    }
    let below = |p: &PathBuf| p.strip_prefix(&root).unwrap_or(p).to_path_buf();
    let site_dir =
        (!plan.site.is_empty()).then(|| below(&plan.out_dir.join(crate::render::html::SITE_DIR)));
    let files = jobs
        .iter()
        .zip(pdfs)
        .map(|(job, bytes)| OutputFile {
            path: below(&job.path),
            bytes,
        })
        .chain(plan.docx.into_iter().map(|d| OutputFile {
            path: below(&d.path),
            bytes: d.bytes,
        }))
        .chain(plan.site.into_iter().map(|(path, bytes)| OutputFile {
            path: below(&path),
            bytes,
        }))
        .collect::<Vec<_>>();
    let files = with_site_pdfs(files, &plan.site_pdfs, &plan.out_dir, &below);
    Ok(Built {
        set: FileSet {
            files,
            edition_dir: below(&plan.out_dir),
            letters_dir: plan.letters_dir.as_ref().map(below),
            site_dir,
        },
        findings,
    })
}

/// `files` with a copy in the site folder of each PDF the site links to
/// (`names`, in the edition's folder `out_dir`): the one just built, else
/// (with `--only web`) the one a build before left there; one that is in
/// neither place is left out, and the site's link to it is broken until
/// the PDFs are built. Manager letters are never among them.
fn with_site_pdfs(
    mut files: Vec<OutputFile>,
    names: &[String],
    out_dir: &std::path::Path,
    below: &dyn Fn(&PathBuf) -> PathBuf,
) -> Vec<OutputFile> {
    let site = out_dir.join(crate::render::html::SITE_DIR);
    for name in names {
        let built = below(&out_dir.join(name));
        let bytes = files
            .iter()
            .find(|f| f.path == built)
            .map(|f| f.bytes.clone())
            .or_else(|| std::fs::read(out_dir.join(name)).ok());
        if let Some(bytes) = bytes {
            files.push(OutputFile {
                path: below(&site.join(name)),
                bytes,
            });
        }
    }
    files
}

/// Time per stage of one build.
#[derive(Debug, Default, Clone)]
pub struct Timings {
    /// Loading and validating the edition (and its previous edition).
    pub load: Duration,
    /// Scoring and the letters' placeholder checks.
    pub score: Duration,
    /// Drawing the charts.
    pub charts: Duration,
    /// Rendering the templates.
    pub templates: Duration,
    /// Typst layout, summed over documents (which run in parallel).
    pub layout: Duration,
    /// PDF export, summed over documents.
    pub export: Duration,
    /// Writing the files.
    pub write: Duration,
    /// Layout and export of each document, by file name.
    pub documents: Vec<(String, StageTimes)>,
}

impl Timings {
    /// The table printed by `build --timings`: the stages, then each
    /// document's layout and export, in milliseconds.
    pub fn render(&self, total: Duration) -> String {
        let ms = |d: Duration| format!("{:>8.1} ms", d.as_secs_f64() * 1000.0);
        let mut out = format!(
            "load and validate {}\nscore             {}\ncharts            {}\ntemplates         {}\ntypeset (sum)     {}\npdf export (sum)  {}\nwrite             {}\ntotal (wall)      {}\n",
            ms(self.load),
            ms(self.score),
            ms(self.charts),
            ms(self.templates),
            ms(self.layout),
            ms(self.export),
            ms(self.write),
            ms(total)
        );
        if !self.documents.is_empty() {
            let width = self
                .documents
                .iter()
                .map(|(n, _)| n.len())
                .max()
                .unwrap_or(0);
            let counted = self.documents.iter().any(|(_, t)| t.iterations.is_some());
            out.push_str(if counted {
                "per document (typeset + pdf export, layout iterations):\n"
            } else {
                "per document (typeset + pdf export):\n"
            });
            for (name, t) in &self.documents {
                let iterations = match t.iterations {
                    Some(1) => ", 1 layout iteration".to_string(),
                    Some(n) => format!(", {n} layout iterations"),
                    None => String::new(),
                };
                out.push_str(&format!(
                    "  {name:<width$} {} + {}{iterations}\n",
                    ms(t.layout),
                    ms(t.export)
                ));
            }
        }
        out
    }
}

/// The fonts of a build: those of `--fonts`, the edition's `fonts/` folder
/// and the templates folder's `fonts/` folder, in that order, ahead of the
/// embedded ones; the main family is the house style's `font` when it
/// names one.
///
/// Errors: a usage error when a fonts folder cannot be read or the named
/// family is in none; the house style's or the templates' own errors.
pub fn font_set(args: &BuildOptions) -> Result<FontSet, RunError> {
    let templates = match &args.templates {
        Some(dir) => Templates::with_overrides(dir).map_err(|d| RunError::diagnostic(*d))?,
        None => Templates::embedded(),
    };
    let house = plan::house_style(&templates)?;
    let mut dirs: Vec<PathBuf> = args.fonts.iter().cloned().collect();
    for dir in [Some(&args.edition), args.templates.as_ref()]
        .into_iter()
        .flatten()
    {
        let fonts = dir.join("fonts");
        if std::fs::symlink_metadata(&fonts).is_ok_and(|m| m.is_dir()) {
            dirs.push(fonts);
        }
    }
    let dirs: Vec<&std::path::Path> = dirs.iter().map(PathBuf::as_path).collect();
    let set = if dirs.is_empty() {
        FontSet::embedded()
    } else {
        FontSet::with_dirs(&dirs).map_err(|e| RunError::Usage(e.to_string()))?
    };
    let Some(family) = &house.font else {
        return Ok(set);
    };
    let families: Vec<String> = set.families().into_iter().map(String::from).collect();
    set.with_main(family).ok_or_else(|| {
        let near = families.iter().find(|f| f.eq_ignore_ascii_case(family));
        let looked: String = dirs.iter().map(|d| format!("{}, ", d.display())).collect();
        let text = templates.get(HOUSE_STYLE).unwrap_or_default();
        let path = templates.display_path(HOUSE_STYLE);
        let mut sources = SourceCache::default();
        sources.insert(&path, text);
        RunError::data(
            vec![Diagnostic::error(
                &path,
                format!("the font family {family:?} is the family of no font (looked in {looked}the embedded fonts)"),
            )
            .at(Locations::index(text).value("font"))
            .field("font")
            .hint(match near {
                Some(f) => format!("the family is written {f:?}"),
                None => format!(
                    "the fonts have the families {}; put a font file of another in the --fonts folder, the edition's fonts/ folder or the templates folder's fonts/ folder, or leave `font` out",
                    families.join(", ")
                ),
            })],
            sources,
        )
    })
}
