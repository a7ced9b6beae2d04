//! `korpsmonitor build`: the report, the covering letter and the letters to
//! unit managers, all from one computation, written atomically and only
//! when every document compiled.

use std::collections::BTreeSet;
use std::fs;
use std::path::{Path, PathBuf};
use std::time::{Duration, Instant};

use crate::charts::{self, Chart};
use crate::cli::{BuildArgs, Only};
use crate::commands::progress::Progress;
use crate::commands::{Problems, RunError, load_checked};
use crate::diagnostics::{self, Diagnostic, SourceCache, TracePoint};
use crate::layout_check::{self, ProperNames, Rules};
use crate::load::LoadedEdition;
use crate::locate::Pos;
use crate::model::Date;
use crate::output::{self, Manifest, write_atomic};
use crate::render::report::ChartCtx;
use crate::render::{self, Generated, Templates, letter};
use crate::score::{self, ScoredEdition};
use crate::typeset::{
    Document, FontSet, PdfSettings, StageTimes, TypesetError, Typesetter, TypstDiagnostic,
};

/// One document to typeset and where it goes.
pub struct Job {
    /// Output path.
    pub path: PathBuf,
    /// The template it was rendered from.
    pub template: String,
    /// The generated source and its map to the template.
    pub generated: Generated,
    /// The files to compile.
    pub document: Document,
    /// The PDF identifier.
    pub ident: String,
}

/// What the layout check needs besides the pages: the names that must not
/// be hyphenated (set only when `--check-layout` is given).
pub struct LayoutCheck {
    names: ProperNames,
}

/// Everything a build produces before it is written.
pub struct Plan {
    /// The documents.
    pub jobs: Vec<Job>,
    /// The folder of manager letters, cleaned of letters no longer due.
    pub letters_dir: Option<PathBuf>,
    /// The edition's output folder, `OUTPUT/<year>`.
    pub out_dir: PathBuf,
}

/// Runs `build`.
pub fn run(args: &BuildArgs) -> Result<(), RunError> {
    let start = Instant::now();
    let typesetter = Typesetter::new(font_set(args)?);
    let mut times = Timings::default();
    let written = build(args, &typesetter, &mut times)?;
    if written.is_empty() {
        println!("wrote nothing: no unit is below conform norm, so no manager letter is due");
    }
    for path in written {
        println!("wrote {}", shown(&path));
    }
    if args.timings {
        eprint!("{}", times.render(start.elapsed()));
    }
    Ok(())
}

/// The fonts of a build: `--fonts` ahead of the embedded ones, or only those.
pub fn font_set(args: &BuildArgs) -> Result<FontSet, RunError> {
    match &args.fonts {
        Some(dir) => FontSet::with_dir(dir).map_err(|e| RunError::Usage(e.to_string())),
        None => Ok(FontSet::embedded()),
    }
}

/// Builds every requested document with `typesetter` (which a watch keeps
/// warm between builds); returns the files written.
pub fn build(
    args: &BuildArgs,
    typesetter: &Typesetter,
    times: &mut Timings,
) -> Result<Vec<PathBuf>, RunError> {
    if let Some(rev) = &args.changes_since {
        crate::commands::diff::check_revision(rev)?;
    }
    let progress = Progress::start();
    progress.stage("loading and checking");
    let t = Instant::now();
    let checked = load_checked(&args.edition)?;
    times.load = t.elapsed();
    progress.stage("scoring");
    let t = Instant::now();
    let templates = match &args.templates {
        Some(dir) => Templates::with_overrides(dir).map_err(|d| RunError::diagnostic(*d))?,
        None => Templates::embedded(),
    };
    let loaded = &checked.edition;
    let scored = score::score(loaded);
    let mut warnings = checked.warnings.clone();
    warnings.extend(letter::check(loaded, &scored));
    warnings.extend(render::chapters::check(loaded, &scored));
    warnings.extend(render::abbreviations::check(loaded, &scored));
    warnings.extend(render::repetition::check(loaded));
    if warnings.iter().any(Diagnostic::is_error) {
        return Err(RunError::data(warnings, checked.sources));
    }
    if !warnings.is_empty() {
        let text =
            diagnostics::render_styled(&warnings, &checked.sources, crate::term::colour_stderr());
        progress.suspend(|| eprint!("{text}"));
    }
    times.score = t.elapsed();
    let check = args.check_layout.then(|| LayoutCheck {
        names: layout_check::proper_names(loaded),
    });
    let plan = plan(
        args, loaded, &scored, &templates, typesetter, times, &progress,
    )?;
    // The documents hold all they need: free the edition before typesetting,
    // where a build's memory peaks.
    drop(scored);
    drop(checked);

    let mut plan = plan;
    let mut glyph_warnings = Vec::new();
    for job in &mut plan.jobs {
        let fonts = typesetter.fonts();
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
                Some((path.to_string(), svg))
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
            job.document.insert(&main, printable.into_bytes());
        }
    }

    // The source as typeset: after missing glyphs were replaced.
    if let Some(dir) = &args.emit_typst {
        for job in &plan.jobs {
            // Each manager letter gets its own folder: they share file names.
            let target = match (&plan.letters_dir, job.path.file_stem()) {
                (Some(letters), Some(stem)) if job.path.parent() == Some(letters.as_path()) => {
                    dir.join("brieven").join(stem)
                }
                _ => dir.clone(),
            };
            emit(dir, &target, &job.document)?;
        }
    }
    let (pdfs, mut warnings, findings) = compile_all(
        typesetter,
        &plan.jobs,
        &templates,
        check.as_ref(),
        times,
        &progress,
    )
    .map_err(|e| match e {
        RunError::Data(mut problems) => {
            problems.diagnostics.extend(glyph_warnings.clone());
            RunError::Data(problems)
        }
        e => e,
    })?;
    glyph_warnings.append(&mut warnings.diagnostics);
    if !glyph_warnings.is_empty() {
        let text = diagnostics::render_styled(
            &glyph_warnings,
            &warnings.sources,
            crate::term::colour_stderr(),
        );
        progress.suspend(|| eprint!("{text}"));
    }
    progress.stage("writing");
    let t = Instant::now();
    let written = write_documents(&args.output, &plan, &pdfs)?;
    times.write = t.elapsed();
    if !findings.is_empty() {
        // The documents are written, to be looked at; the build fails.
        for path in &written {
            println!("wrote {}", path.display());
        }
        let problems = findings
            .into_iter()
            .map(|(path, f)| Diagnostic::error(path, format!("layout: {f}")))
            .collect();
        return Err(RunError::data(problems, SourceCache::default()));
    }
    Ok(written)
}

/// Renders every document of the build (nothing is typeset or written).
pub fn plan(
    args: &BuildArgs,
    loaded: &LoadedEdition,
    scored: &ScoredEdition,
    templates: &Templates,
    typesetter: &Typesetter,
    times: &mut Timings,
    progress: &Progress,
) -> Result<Plan, RunError> {
    let edition = &loaded.edition.value;
    let date = document_date(edition.date)?;
    let font = typesetter.fonts().family().to_string();
    let wants = |kind: Only| args.only.is_none_or(|o| o == kind);
    // A build asked for a document the edition does not have says so
    // instead of writing nothing.
    let manager_letters = loaded
        .letter
        .as_ref()
        .is_some_and(|l| l.value.manager_letters.is_some());
    let missing = match args.only {
        Some(Only::Letter) if loaded.letter.is_none() => Some("letter.yaml"),
        Some(Only::Letters) if loaded.letter.is_none() => Some("letter.yaml"),
        Some(Only::Letters) if !manager_letters => Some("`manager_letters` in letter.yaml"),
        _ => None,
    };
    if let Some(what) = missing {
        return Err(RunError::Usage(format!(
            "{} has no {what}, so `--only {}` has nothing to build",
            args.edition.display(),
            if args.only == Some(Only::Letter) {
                "letter"
            } else {
                "letters"
            },
        )));
    }
    progress.stage("drawing charts");
    let t = Instant::now();
    let charts = charts::all(loaded, scored, typesetter.fonts());
    times.charts = t.elapsed();
    progress.stage("rendering templates");
    let t = Instant::now();
    let mut report_ctx = render::report::context(loaded, scored, &charts, date, &font);
    if let Some(rev) = &args.changes_since
        && wants(Only::Report)
    {
        let (tmp, old_dir) = crate::commands::diff::checkout(&args.edition, rev)?;
        let old = crate::commands::diff::load_revision(&tmp, &old_dir, rev)?;
        let old_scored = score::score(&old.edition);
        let d = crate::diff::diff(
            (&old.edition, &old_scored),
            (loaded, scored),
            (rev, "werkversie"),
        );
        report_ctx.changes = Some(render::report::changes(&d, loaded));
        render::report::mark_used_abbreviations(&mut report_ctx);
    }
    let year = edition.year;
    let out_dir = args.output.join(year.to_string());
    let mut jobs = Vec::new();
    let render_err = |e: render::RenderError| RunError::diagnostic(*e.0);
    let letter_err = |d: Box<Diagnostic>| RunError::diagnostic(*d);

    if wants(Only::Report) {
        let generated =
            render::render(templates, "report.typ.j2", &report_ctx).map_err(render_err)?;
        let mut doc = document("report.typ", date, &generated, templates);
        for chart in &charts {
            doc.insert_text(&chart.file, &chart.svg);
        }
        jobs.push(Job {
            path: out_dir.join(format!("korpsmonitor-{year}.pdf")),
            template: "report.typ.j2".into(),
            generated,
            document: doc,
            ident: format!("korpsmonitor-{year}"),
        });
    }

    let mut letters_dir = None;
    if let Some(letter_file) = &loaded.letter {
        let figures = letter::figures(loaded, scored);
        if wants(Only::Letter) {
            let ctx = letter::covering(letter_file, loaded, &figures, &font).map_err(letter_err)?;
            let generated =
                render::render(templates, "aanbiedingsbrief.typ.j2", &ctx).map_err(render_err)?;
            let doc = document(
                "aanbiedingsbrief.typ",
                letter_file.value.date,
                &generated,
                templates,
            );
            jobs.push(Job {
                path: out_dir.join(format!("aanbiedingsbrief-{year}.pdf")),
                template: "aanbiedingsbrief.typ.j2".into(),
                generated,
                document: doc,
                ident: format!("aanbiedingsbrief-{year}"),
            });
        }
        if wants(Only::Letters) && letter_file.value.manager_letters.is_some() {
            let dir = out_dir.join("brieven");
            let meta = serde_json::to_value(&report_ctx.meta)
                .map_err(|e| RunError::Other(e.to_string()))?;
            for unit in scored.units.iter().filter(|u| u.not_conform()) {
                let unit_ctx = report_ctx
                    .units
                    .iter()
                    .find(|u2| u2.id == unit.id)
                    .map(serde_json::to_value)
                    .transpose()
                    .map_err(|e| RunError::Other(e.to_string()))?
                    .unwrap_or_default();
                let chart: Option<&Chart> = charts
                    .iter()
                    .find(|c| c.file == format!("charts/eenheid-{}.svg", unit.id));
                let ctx = letter::manager(
                    letter_file,
                    loaded,
                    scored,
                    &figures,
                    unit,
                    meta.clone(),
                    unit_ctx,
                    chart.map(ChartCtx::from),
                    &font,
                )
                .map_err(letter_err)?;
                let generated = render::render(templates, "brief-korpsbeheerder.typ.j2", &ctx)
                    .map_err(render_err)?;
                let mut doc = document(
                    "brief-korpsbeheerder.typ",
                    letter_file.value.date,
                    &generated,
                    templates,
                );
                if let Some(c) = chart {
                    doc.insert_text(&c.file, &c.svg);
                }
                jobs.push(Job {
                    path: dir.join(format!("{}.pdf", unit.id)),
                    template: "brief-korpsbeheerder.typ.j2".into(),
                    generated,
                    document: doc,
                    ident: format!("brief-{year}-{}", unit.id),
                });
            }
            letters_dir = Some(dir);
        }
    }
    times.templates = t.elapsed();
    Ok(Plan {
        jobs,
        letters_dir,
        out_dir,
    })
}

fn document(main: &str, date: Date, generated: &Generated, templates: &Templates) -> Document {
    let mut doc = Document::new(main, date);
    doc.insert_text(main, &generated.source);
    for (name, text) in templates.typst_files() {
        doc.insert(name, text.as_bytes().to_vec());
    }
    doc
}

/// The layout check's findings, with the path of the document of each.
type Findings = Vec<(PathBuf, layout_check::Finding)>;

/// Typesets every job on all cores, each thread taking the next document
/// (the report first, the letters beside it); counts them in `progress`;
/// returns the PDFs, Typst's warnings and the layout check's findings (when
/// `check` is given), or fails with every document's errors and warnings.
fn compile_all(
    typesetter: &Typesetter,
    jobs: &[Job],
    templates: &Templates,
    check: Option<&LayoutCheck>,
    times: &mut Timings,
    progress: &Progress,
) -> Result<(Vec<Vec<u8>>, Problems, Findings), RunError> {
    use std::sync::Mutex;
    use std::sync::atomic::{AtomicUsize, Ordering};
    let threads = std::thread::available_parallelism()
        .map(|n| n.get())
        .unwrap_or(1)
        .clamp(1, jobs.len().max(1));
    let next = AtomicUsize::new(0);
    type Typeset = Result<
        (
            Vec<u8>,
            Vec<TypstDiagnostic>,
            StageTimes,
            Vec<layout_check::Finding>,
        ),
        TypesetError,
    >;
    let results: Mutex<Vec<Option<Typeset>>> = Mutex::new((0..jobs.len()).map(|_| None).collect());
    progress.documents(jobs.len());
    // Takes `first`, then the next document in the queue, until none is left.
    let work = |mut first: Option<usize>| {
        loop {
            let i = first
                .take()
                .unwrap_or_else(|| next.fetch_add(1, Ordering::Relaxed));
            let Some(job) = jobs.get(i) else { break };
            if let Some(name) = job.path.file_name() {
                progress.stage(format!("typesetting {}", name.to_string_lossy()));
            }
            let settings = PdfSettings::new(job.ident.clone());
            let name = job
                .path
                .file_name()
                .map(|n| n.to_string_lossy().into_owned())
                .unwrap_or_default();
            let r =
                typesetter.compile_pdf_inspected(&job.document, &settings, |paged| match check {
                    Some(c) => layout_check::check(paged, &name, &c.names, &Rules::default()),
                    None => Vec::new(),
                });
            if let Ok(mut all) = results.lock() {
                all[i] = Some(r);
            }
            progress.document_done();
        }
    };
    // The main thread typesets the first document (the report) itself:
    // glibc serves the main thread from its main heap, which grows and
    // shrinks faster than the arenas of other threads; measured on a
    // 1,000-unit report.
    next.store(1, Ordering::Relaxed);
    std::thread::scope(|s| {
        for _ in 1..threads {
            s.spawn(|| work(None));
        }
        work(Some(0));
    });
    let results = results.into_inner().unwrap_or_default();
    let mut pdfs = Vec::new();
    let mut sources = SourceCache::default();
    let (mut errors, mut warnings) = (Vec::new(), Vec::new());
    let mut findings = Vec::new();
    for (job, result) in jobs.iter().zip(results) {
        match result {
            Some(Ok((pdf, typst_warnings, t, found))) => {
                findings.extend(found.into_iter().map(|f| (job.path.clone(), f)));
                warnings.extend(typst_diagnostics(
                    &typst_warnings,
                    job,
                    templates,
                    &mut sources,
                ));
                times.layout += t.layout;
                times.export += t.export;
                let name = job.path.file_name().unwrap_or_default();
                times
                    .documents
                    .push((name.to_string_lossy().into_owned(), t));
                pdfs.push(pdf);
            }
            Some(Err(TypesetError::Compile(diags))) => {
                errors.extend(typst_diagnostics(&diags, job, templates, &mut sources));
            }
            Some(Err(e)) => errors.push(Diagnostic::error(&job.path, e.to_string())),
            None => errors.push(Diagnostic::error(&job.path, "the document was not typeset")),
        }
    }
    if errors.is_empty() {
        Ok((
            pdfs,
            Problems {
                diagnostics: warnings,
                sources,
            },
            findings,
        ))
    } else {
        errors.extend(warnings);
        Err(RunError::data(errors, sources))
    }
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
    /// document's layout and export.
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
            out.push_str("per document (typeset + pdf export):\n");
            for (name, t) in &self.documents {
                out.push_str(&format!(
                    "  {name:<width$} {} + {}\n",
                    ms(t.layout),
                    ms(t.export)
                ));
            }
        }
        out
    }
}

/// Writes the documents of `plan` as one set (all or none) into their
/// folders below the output root `root`, which must not be links; removes
/// temporary files of killed runs, and letters no longer due that an
/// earlier build wrote (by the manifest); records what was written.
fn write_documents(root: &Path, plan: &Plan, pdfs: &[Vec<u8>]) -> Result<Vec<PathBuf>, RunError> {
    let fail = |e: std::io::Error| RunError::Other(format!("cannot write the documents: {e}"));
    let mut folders = vec![plan.out_dir.clone()];
    folders.extend(plan.letters_dir.clone());
    for dir in &folders {
        output::create_folder(root, dir).map_err(fail)?;
        output::remove_stale_temps(dir);
    }
    let files: Vec<(PathBuf, &[u8])> = plan
        .jobs
        .iter()
        .zip(pdfs)
        .map(|(job, pdf)| (job.path.clone(), pdf.as_slice()))
        .collect();
    output::write_set(&files).map_err(fail)?;
    let mut manifest = Manifest::read(&plan.out_dir);
    if let Some(dir) = &plan.letters_dir {
        remove_stale_letters(&plan.out_dir, dir, &plan.jobs, &mut manifest);
    }
    for (job, pdf) in plan.jobs.iter().zip(pdfs) {
        if let Some(entry) = Manifest::entry(&plan.out_dir, &job.path) {
            manifest
                .prints
                .insert(entry.clone(), output::fingerprint(pdf));
            manifest.files.insert(entry);
        }
    }
    if let Err(e) = manifest.write(&plan.out_dir) {
        eprintln!(
            "warning: cannot record the files written in {}: {e}",
            shown(&plan.out_dir.join(output::MANIFEST))
        );
    }
    Ok(plan.jobs.iter().map(|j| j.path.clone()).collect())
}

/// A path as the terminal gets it, control characters escaped.
fn shown(path: &Path) -> String {
    crate::term::clean(&path.display().to_string()).into_owned()
}

/// Deletes letters of units that no longer receive one: only files an
/// earlier build wrote (listed in `manifest`), never a file put there by
/// someone else, never through a link.
fn remove_stale_letters(out_dir: &Path, dir: &Path, jobs: &[Job], manifest: &mut Manifest) {
    let current: BTreeSet<String> = jobs
        .iter()
        .filter_map(|j| Manifest::entry(out_dir, &j.path))
        .collect();
    let Some(prefix) = Manifest::entry(out_dir, dir) else {
        return;
    };
    let stale: Vec<String> = manifest
        .files
        .iter()
        .filter(|f| {
            f.strip_prefix(&prefix)
                .and_then(|r| r.strip_prefix('/'))
                .is_some_and(|r| !r.contains('/'))
                && !current.contains(*f)
        })
        .cloned()
        .collect();
    for entry in stale {
        let path = out_dir.join(&entry);
        // Still the file a build wrote, byte for byte: a letter someone
        // changed or saved over (a signed copy) is theirs now.
        let unchanged = |m: &fs::Metadata| {
            manifest.prints.get(&entry).is_some_and(|p| {
                p.split_once('-')
                    .is_some_and(|(len, _)| len == m.len().to_string())
                    && crate::input::read_file(&path, m.len())
                        .is_ok_and(|b| output::fingerprint(&b) == *p)
            })
        };
        match fs::symlink_metadata(&path) {
            Ok(m) if m.is_file() && !unchanged(&m) => {
                eprintln!(
                    "note: kept {}: no longer due, but changed since it was written",
                    shown(&path)
                );
                manifest.files.remove(&entry);
                manifest.prints.remove(&entry);
            }
            Ok(m) if m.is_file() => match fs::remove_file(&path) {
                Ok(()) => {
                    println!("removed {} (no longer due)", shown(&path));
                    manifest.files.remove(&entry);
                    manifest.prints.remove(&entry);
                }
                Err(e) => eprintln!(
                    "warning: cannot remove the outdated letter {}: {e}",
                    shown(&path)
                ),
            },
            // Gone, or replaced by something that is not ours: forget it.
            _ => {
                manifest.files.remove(&entry);
                manifest.prints.remove(&entry);
            }
        }
    }
}

/// The document date: from the edition, else from SOURCE_DATE_EPOCH.
pub fn document_date(from_data: Option<Date>) -> Result<Date, RunError> {
    if let Some(d) = from_data {
        return Ok(d);
    }
    match std::env::var("SOURCE_DATE_EPOCH") {
        // The PDF date has four year digits: 0001-01-01 to 9999-12-31.
        Ok(v) => v
            .trim()
            .parse::<i64>()
            .ok()
            .filter(|s| (-62_135_596_800..=253_402_300_799).contains(s))
            .map(Date::from_unix)
            .ok_or_else(|| {
                RunError::Usage(format!(
                    "SOURCE_DATE_EPOCH is {v:?}, expected a Unix timestamp in seconds between the years 1 and 9999"
                ))
            }),
        Err(_) => Err(RunError::Usage(
            "the edition has no `date` and SOURCE_DATE_EPOCH is not set; set `date: YYYY-MM-DD` in edition.yaml or export SOURCE_DATE_EPOCH".into(),
        )),
    }
}

fn emit(root: &Path, dir: &Path, doc: &Document) -> Result<(), RunError> {
    output::create_folder(root, dir)
        .map_err(|e| RunError::Other(format!("cannot write {}: {e}", dir.display())))?;
    output::remove_stale_temps(dir);
    for (name, bytes) in doc.files() {
        let Some(rel) = crate::load::safe_relative(name.trim_start_matches('/')) else {
            continue;
        };
        let path = dir.join(rel);
        output::create_folder(root, path.parent().unwrap_or(dir))
            .and_then(|()| write_atomic(&path, bytes))
            .map_err(|e| RunError::Other(format!("cannot write {}: {e}", path.display())))?;
    }
    Ok(())
}

/// The 1-based column in template line `line` (of `template`) of the byte
/// at `offset` in the generated source, when that byte lies in template
/// text copied as it is and the text before it on its line is found on the
/// template line; `None` inside a `{{ value }}` or when unsure.
fn template_column(
    generated: &Generated,
    offset: usize,
    template: &str,
    line: usize,
) -> Option<usize> {
    let span = generated.spans.iter().find(|s| s.range.contains(&offset))?;
    if !span.raw {
        return None;
    }
    let source = &generated.source;
    let line_start = source.get(..offset)?.rfind('\n').map_or(0, |i| i + 1);
    let start = line_start.max(span.range.start);
    let before = source.get(start..offset)?;
    let text = template.lines().nth(line.checked_sub(1)?)?;
    let at = if start == line_start && text.starts_with(before) {
        0
    } else if text.matches(before).count() == 1 && !before.is_empty() {
        text.find(before)?
    } else {
        return None;
    };
    Some(text[..at].chars().count() + before.chars().count() + 1)
}

/// Typst's diagnostics of one document as ours, each position (the
/// problem's and every step of its trace) pointing into the template and
/// line that produced it: a position in the generated source goes back to
/// its `.j2` template line, one in the house style stays where it is. A
/// position no template line explains points into the generated source,
/// whose text is kept for the snippet. Every diagnostic ends its trace with
/// the document it belongs to.
fn typst_diagnostics(
    diags: &[TypstDiagnostic],
    job: &Job,
    templates: &Templates,
    sources: &mut SourceCache,
) -> Vec<Diagnostic> {
    let main = job.template.trim_end_matches(".j2");
    // The text typeset may differ from the generated source: a character
    // without a glyph became U+FFFD, which can be shorter in bytes.
    let typeset = job
        .document
        .files()
        .find(|(name, _)| *name == main)
        .map(|(_, bytes)| bytes);
    let generated_offset = |offset: usize| match typeset {
        Some(text) if text != job.generated.source.as_bytes() => {
            let text = std::str::from_utf8(text).unwrap_or_default();
            let chars = text.char_indices().take_while(|(i, _)| *i < offset).count();
            job.generated
                .source
                .char_indices()
                .nth(chars)
                .map_or(job.generated.source.len(), |(i, _)| i)
        }
        _ => offset,
    };
    let mut place = |file: Option<&str>,
                     line: Option<usize>,
                     column: Option<usize>,
                     offset: Option<usize>|
     -> (PathBuf, Option<Pos>) {
        let Some(name) = file.map(|f| f.trim_start_matches('/')) else {
            return (job.path.clone(), None);
        };
        let pos = line.map(|line| Pos {
            line,
            column: column.unwrap_or(1),
        });
        if name == main {
            let offset = offset.map(generated_offset);
            if let Some((template, line)) = offset.and_then(|o| job.generated.origin(o)) {
                let path = templates.display_path(template);
                let mut column = 1;
                if let Some(text) = templates.get(template) {
                    sources.insert(&path, text);
                    if let Some(o) = offset {
                        column = template_column(&job.generated, o, text, line).unwrap_or(1);
                    }
                }
                return (path, Some(Pos { line, column }));
            }
            let path = PathBuf::from(format!("{} ({name}, generated)", job.path.display()));
            sources.insert(&path, &job.generated.source);
            return (path, pos);
        }
        let path = templates.display_path(name);
        match templates.get(name) {
            Some(text) => sources.insert(&path, text),
            None => return (PathBuf::from(name), pos),
        }
        (path, pos)
    };
    diags
        .iter()
        .map(|d| {
            let (file, pos) = place(d.file.as_deref(), d.line, d.column, d.offset);
            let message = format!("typst: {}", d.message);
            let mut diag = if d.warning {
                Diagnostic::warning(file, message)
            } else {
                Diagnostic::error(file, message)
            }
            .at(pos);
            if !d.hints.is_empty() {
                diag = diag.hint(d.hints.join("\n"));
            }
            for t in &d.trace {
                let (file, pos) = place(t.file.as_deref(), t.line, t.column, t.offset);
                diag = diag.traced(TracePoint {
                    file,
                    pos,
                    message: t.message.clone(),
                });
            }
            diag.traced(TracePoint {
                file: PathBuf::new(),
                pos: None,
                message: format!("in {}", job.path.display()),
            })
        })
        .collect()
}
