//! The document plan: which documents a build makes from one scored
//! edition, each rendered from its template into the files Typst compiles
//! (nothing is typeset or written here).
//!
//! The report goes to `OUTPUT/<year>/korpsmonitor-<year>.pdf`, the covering
//! letter to `OUTPUT/<year>/aanbiedingsbrief-<year>.pdf` and a letter to the
//! manager of each unit below conform norm to
//! `OUTPUT/<year>/brieven/<unit id>.pdf` (docs/letters.md); the web edition
//! to `OUTPUT/<year>/web/` (docs/web.md).

use std::collections::HashMap;
use std::path::{Path, PathBuf};
use std::time::{Duration, Instant};

use serde::Serialize;

use crate::app::check::Checked;
use crate::app::options::{BuildOptions, DocumentKind};
use crate::base::diagnostics::Diagnostic;
use crate::base::error::RunError;
use crate::data::load::LoadedEdition;
use crate::data::model::Date;
use crate::figures::scored::ScoredEdition;
use crate::render::charts::{self, Chart};
use crate::render::context::ChartCtx;
use crate::render::context::report::ReportContext;
use crate::render::house_style::{HOUSE_STYLE, HouseStyle};
use crate::render::{self, Generated, Templates, letter};
use crate::typeset::{Document, PdfSettings, Typesetter};

/// One document to typeset and where it goes.
pub struct Job {
    /// Output path: the output root joined with the path below it.
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

impl Job {
    /// How its PDF is written: PDF/A-2a and PDF/UA-1 with its identifier.
    pub fn settings(&self) -> PdfSettings {
        PdfSettings::new(self.ident.clone())
    }

    /// The file name of its PDF, e.g. `korpsmonitor-2010.pdf`.
    pub fn file_name(&self) -> String {
        self.path
            .file_name()
            .map(|n| n.to_string_lossy().into_owned())
            .unwrap_or_default()
    }
}

/// Every document of a build, rendered.
pub struct Plan {
    /// The documents, the report first.
    pub jobs: Vec<Job>,
    /// The folder of manager letters, when they are built: letters no
    /// longer due are removed from it when the build is written.
    pub letters_dir: Option<PathBuf>,
    /// The edition's output folder, `OUTPUT/<year>`.
    pub out_dir: PathBuf,
    /// The web edition's files, by path (the output root joined with
    /// `<year>/web/...`); empty when the build does not make the site.
    pub site: SiteFiles,
    /// The PDFs the site links to and holds a copy of (the report, the
    /// covering letter), by file name in the edition's output folder;
    /// never a manager letter.
    pub site_pdfs: Vec<String>,
    /// The letters as Word documents, each beside its PDF; empty with
    /// `--no-docx`.
    pub docx: Vec<DocxFile>,
    /// How long drawing the charts took.
    pub charts_time: Duration,
    /// How long rendering the templates took.
    pub templates_time: Duration,
}

/// A letter written as a Word document.
pub struct DocxFile {
    /// Output path: the letter's PDF path with `.docx`.
    pub path: PathBuf,
    /// The letter's identifier, as its PDF's (`brief-2010-groningen`).
    pub ident: String,
    /// Its kenmerk, when it has one.
    pub reference: Option<String>,
    /// The file.
    pub bytes: Vec<u8>,
}

impl DocxFile {
    /// `letter` written as `.docx` to go to `path`.
    ///
    /// Errors: the file cannot be made (memory).
    fn new(letter: &render::docx::DocxLetter, path: PathBuf) -> Result<DocxFile, RunError> {
        let bytes = render::docx::write(letter)
            .map_err(|e| RunError::Other(format!("cannot write {}: {e}", path.display())))?;
        Ok(DocxFile {
            path,
            ident: letter.ident.to_string(),
            reference: letter.head.reference.clone(),
            bytes,
        })
    }
}

/// Renders every document `args` asks for (all, or the one kind of
/// `--only`), with the changes since `--changes-since` as an annex of the
/// report. Fails when `--only` asks for a document the edition does not
/// have, when no document date is known ([`document_date`]), or when a
/// template or letter cannot be rendered; `stage` is told each step.
pub fn plan(
    args: &BuildOptions,
    checked: &Checked,
    templates: &Templates,
    typesetter: &Typesetter,
    stage: &dyn Fn(&str),
) -> Result<Plan, RunError> {
    let scored = &checked.edition;
    let loaded = scored.source();
    let edition = &loaded.edition.value;
    let date = document_date(edition.date)?;
    let font = typesetter.fonts().family().to_string();
    let wants = |kind| args.wants(kind);
    check_only(args, loaded)?;
    stage("drawing charts");
    let t = Instant::now();
    let house = house_style(templates)?;
    let charts = charts::all(scored, typesetter.fonts(), &house.colours);
    let charts_time = t.elapsed();
    stage("rendering templates");
    let t = Instant::now();
    let mut report_ctx = render::report::context(scored, &checked.chapters, &charts, date, &font);
    if let Some(rev) = &args.changes_since
        && (wants(DocumentKind::Report) || wants(DocumentKind::Web))
    {
        add_changes(
            &mut report_ctx,
            &args.edition,
            rev,
            args.changes_label.as_deref(),
            scored,
        )?;
    }
    let year = edition.year;
    let out_dir = args.output.join(year.to_string());
    let mut jobs = Vec::new();
    let letter_err = |d: Box<Diagnostic>| RunError::diagnostic(*d);
    // One environment for every document of the build.
    let mut renderer = render::Renderer::new(templates).map_err(|e| RunError::diagnostic(*e.0))?;

    if wants(DocumentKind::Report) {
        jobs.push(job(
            &mut renderer,
            templates,
            "report.typ.j2",
            &report_ctx,
            date,
            &charts,
            out_dir.join(format!("korpsmonitor-{year}.pdf")),
            format!("korpsmonitor-{year}"),
        )?);
    }

    let mut letters_dir = None;
    let mut covering = None;
    let mut docx = Vec::new();
    // The letterhead's logo, read once for every letter.
    let logo = letter_logo(&house, args, templates, loaded)?;
    if let Some(letter_file) = &loaded.letter {
        let letters = letter::Letters::new(letter_file, scored, &font).map_err(letter_err)?;
        let mut made = LetterJobs {
            renderer: &mut renderer,
            templates,
            logo: logo.as_ref(),
            date: letter_file.value.date,
            docx: args.docx.then_some(house.colours.accent),
            docx_files: &mut docx,
        };
        if wants(DocumentKind::Letter) || wants(DocumentKind::Web) {
            let mut ctx = letters.covering().map_err(letter_err)?;
            ctx.head.logo = logo.as_ref().map(|(name, _)| name.clone());
            covering = Some(ctx);
        }
        if let Some(ctx) = covering.as_ref().filter(|_| wants(DocumentKind::Letter)) {
            let path = out_dir.join(format!("aanbiedingsbrief-{year}.pdf"));
            let ident = format!("aanbiedingsbrief-{year}");
            made.docx(&ctx.head, &ctx.body, None, &path, &ident)?;
            jobs.push(made.job("aanbiedingsbrief.typ.j2", ctx, None, path, ident)?);
        }
        if wants(DocumentKind::Letters) && letter_file.value.manager_letters.is_some() {
            let dir = out_dir.join("brieven");
            jobs.extend(manager_jobs(
                &mut made,
                &letters,
                scored,
                &report_ctx,
                &charts,
                &dir,
            )?);
            letters_dir = Some(dir);
        }
    }
    let (mut site, mut site_pdfs) = (Vec::new(), Vec::new());
    if wants(DocumentKind::Web) {
        let input = render::html::SiteInput {
            report: &report_ctx,
            covering: covering.as_ref(),
            charts: &charts,
            narrow: &charts::all_narrow(scored, typesetter.fonts(), &house.colours),
            base_url: args.base_url.as_deref(),
            editions: &chain_units(loaded),
            scored,
            colours: &house.colours,
            licence: render::open_data::licence(edition),
        };
        (site, site_pdfs) = site_files(templates, &input, &out_dir)?;
    }
    Ok(Plan {
        jobs,
        letters_dir,
        out_dir,
        site,
        docx,
        site_pdfs,
        charts_time,
        templates_time: t.elapsed(),
    })
}

/// What every letter of a build is made with: the one renderer, the
/// templates, the letterhead's logo and the letter's date; and, unless
/// `--no-docx`, the accent colour of the Word documents and where they go.
struct LetterJobs<'a, 't> {
    renderer: &'a mut render::Renderer<'t>,
    templates: &'t Templates,
    logo: Option<&'a (String, Vec<u8>)>,
    date: Date,
    docx: Option<crate::render::house_style::Colour>,
    docx_files: &'a mut Vec<DocxFile>,
}

impl LetterJobs<'_, '_> {
    /// The letter of `head` and `body` (with a manager letter's
    /// `enclosure`) as a Word document beside its PDF at `pdf`, unless
    /// `--no-docx`.
    fn docx(
        &mut self,
        head: &letter::LetterHead,
        body: &[letter::LetterBlock],
        enclosure: Option<render::docx::Enclosure>,
        pdf: &Path,
        ident: &str,
    ) -> Result<(), RunError> {
        let Some(accent) = self.docx else {
            return Ok(());
        };
        let letter = render::docx::DocxLetter {
            head,
            body,
            enclosure,
            ident,
            accent,
            date: self.date,
        };
        self.docx_files
            .push(DocxFile::new(&letter, pdf.with_extension("docx"))?);
        Ok(())
    }

    /// One letter: as [`job`], dated the letter's date, with the
    /// letterhead's logo.
    fn job<'c, C: Serialize>(
        &mut self,
        template: &str,
        ctx: &C,
        charts: impl IntoIterator<Item = &'c Chart>,
        path: PathBuf,
        ident: String,
    ) -> Result<Job, RunError> {
        let mut j = job(
            self.renderer,
            self.templates,
            template,
            ctx,
            self.date,
            charts,
            path,
            ident,
        )?;
        if let Some((name, bytes)) = self.logo {
            j.document.insert(name, bytes.clone());
        }
        Ok(j)
    }
}

/// The letters to the managers of the units not conform norm, in report
/// order, each with its unit's chart and peer chart in the enclosure and
/// the letterhead's logo, to be written to `dir`.
///
/// Errors: a letter cannot be filled in or rendered.
fn manager_jobs(
    made: &mut LetterJobs,
    letters: &letter::Letters,
    scored: &ScoredEdition,
    report_ctx: &ReportContext,
    charts: &[Chart],
    dir: &Path,
) -> Result<Vec<Job>, RunError> {
    let year = scored.year;
    let letter_err = |d: Box<Diagnostic>| RunError::diagnostic(*d);
    let charts_by_file: HashMap<&str, &Chart> =
        charts.iter().map(|c| (c.file.as_str(), c)).collect();
    let mut jobs = Vec::new();
    // The report's unit chapters are in the units' (report) order.
    for (unit, unit_ctx) in scored.units.iter().zip(&report_ctx.units) {
        if !unit.not_conform() {
            continue;
        }
        let chart = charts_by_file
            .get(format!("charts/eenheid-{}.svg", unit.id).as_str())
            .copied();
        let mut ctx = letters
            .manager(unit, &report_ctx.meta, unit_ctx, chart.map(ChartCtx::from))
            .map_err(letter_err)?;
        ctx.head.logo = made.logo.map(|(name, _)| name.clone());
        // The enclosure shows the unit's chart and its peer chart.
        let peer_chart = charts_by_file
            .get(crate::render::charts::peer_file(&unit.id).as_str())
            .copied();
        let path = dir.join(format!("{}.pdf", unit.id));
        let ident = format!("brief-{year}-{}", unit.id);
        let enclosure = render::docx::Enclosure {
            title: &ctx.enclosure,
            meta: &report_ctx.meta,
            unit: unit_ctx,
        };
        made.docx(&ctx.head, &ctx.body, Some(enclosure), &path, &ident)?;
        jobs.push(made.job(
            "brief-korpsbeheerder.typ.j2",
            &ctx,
            chart.into_iter().chain(peer_chart),
            path,
            ident,
        )?);
    }
    Ok(jobs)
}

/// The house style's settings of `templates`.
///
/// Errors: every problem of `house-style.yaml`, with its lines.
pub fn house_style(templates: &Templates) -> Result<HouseStyle, RunError> {
    HouseStyle::of(templates).map_err(|d| {
        let mut sources = crate::base::diagnostics::SourceCache::default();
        sources.insert(
            &templates.display_path(HOUSE_STYLE),
            templates.get(HOUSE_STYLE).unwrap_or_default(),
        );
        RunError::data(d, sources)
    })
}

/// Adds the changes annex to the report's context: what changed in the
/// edition in `edition` since git revision `rev`.
///
/// Errors: the revision cannot be read or its edition loaded.
fn add_changes(
    report_ctx: &mut ReportContext,
    edition: &Path,
    rev: &str,
    label: Option<&str>,
    scored: &ScoredEdition,
) -> Result<(), RunError> {
    let (old, _tmp) = crate::app::git::load_at_revision(edition, rev)?;
    // How a reader outside the team knows the version: a label given, or
    // the date of the commit, never a revision name.
    let since = match label {
        Some(l) => l.to_string(),
        None => {
            let (year, month, day) = crate::app::git::revision_date(edition, rev)?;
            let date = crate::data::model::Date {
                year,
                month: u8::try_from(month).unwrap_or(1),
                day: u8::try_from(day).unwrap_or(1),
            };
            format!("de versie van {}", crate::words::dutch::date(date))
        }
    };
    let mut d = crate::figures::diff::diff(&old, scored, (&since, "werkversie"));
    // Every kind of file: the edition, the recommendations, the letter,
    // the chapters and every other field of the unit files.
    crate::figures::diff::add_fields(&mut d, &old, scored);
    report_ctx.changes = Some(render::report::changes(&d, scored));
    render::report::mark_used_abbreviations(report_ctx);
    Ok(())
}

/// The letterhead's logo (file name and bytes) when the edition has a
/// letter and the house style a logo.
///
/// Errors: the logo cannot be read, at its setting.
fn letter_logo(
    house: &HouseStyle,
    args: &BuildOptions,
    templates: &Templates,
    loaded: &LoadedEdition,
) -> Result<Option<(String, Vec<u8>)>, RunError> {
    if loaded.letter.is_none() {
        return Ok(None);
    }
    house
        .logo_file(&args.edition, templates, args.templates.as_deref())
        .map_err(|d| RunError::diagnostic(*d))
}

/// The other editions of `loaded`'s chain, oldest first, each with the ids
/// of its units: for the links between the same unit's pages.
fn chain_units(loaded: &LoadedEdition) -> Vec<(u16, Vec<String>)> {
    let mut editions: Vec<(u16, Vec<String>)> = loaded
        .chain()
        .skip(1)
        .map(|e| {
            let ids = e.units.iter().map(|u| u.value.id.clone()).collect();
            (e.edition.value.year, ids)
        })
        .collect();
    editions.reverse();
    editions
}

/// The web edition's files by path (the output root joined with
/// `<year>/web/...`).
pub type SiteFiles = Vec<(PathBuf, Vec<u8>)>;

/// The web edition's files, with paths below `out_dir`, and the PDFs it
/// links to and holds a copy of (by file name).
///
/// Errors: a web template fails, at its file and line.
fn site_files(
    templates: &Templates,
    input: &render::html::SiteInput,
    out_dir: &Path,
) -> Result<(SiteFiles, Vec<String>), RunError> {
    let dir = out_dir.join(render::html::SITE_DIR);
    let files = render::html::site(templates, input)
        .map_err(|e| RunError::diagnostic(*e.0))?
        .into_iter()
        .map(|(rel, bytes)| (dir.join(rel), bytes))
        .collect();
    let pdfs = render::html::site_pdfs(input.report.meta.year, input.covering.is_some());
    Ok((files, pdfs))
}

/// Refuses `--only` for a document the edition does not have, instead of
/// writing nothing.
fn check_only(args: &BuildOptions, loaded: &LoadedEdition) -> Result<(), RunError> {
    let manager_letters = loaded
        .letter
        .as_ref()
        .is_some_and(|l| l.value.manager_letters.is_some());
    let missing = match args.only {
        Some(DocumentKind::Letter) if loaded.letter.is_none() => Some("letter.yaml"),
        Some(DocumentKind::Letters) if loaded.letter.is_none() => Some("letter.yaml"),
        Some(DocumentKind::Letters) if !manager_letters => Some("`manager_letters` in letter.yaml"),
        _ => None,
    };
    match missing {
        Some(what) => Err(RunError::Usage(format!(
            "{} has no {what}, so `--only {}` has nothing to build",
            args.edition.display(),
            if args.only == Some(DocumentKind::Letter) {
                "letter"
            } else {
                "letters"
            },
        ))),
        None => Ok(()),
    }
}

/// One document: `template` rendered with `ctx` into the main file (the
/// template's name without `.j2`), beside the house style's Typst files
/// and `charts`, dated `date`, to be written to `path` with PDF identifier
/// `ident`.
#[allow(clippy::too_many_arguments)]
fn job<'a, C: Serialize>(
    renderer: &mut render::Renderer,
    templates: &Templates,
    template: &str,
    ctx: &C,
    date: Date,
    charts: impl IntoIterator<Item = &'a Chart>,
    path: PathBuf,
    ident: String,
) -> Result<Job, RunError> {
    let generated = renderer
        .render(template, ctx)
        .map_err(|e| RunError::diagnostic(*e.0))?;
    let main = template.trim_end_matches(".j2");
    let mut document = Document::new(main, date);
    document.insert_text(main, &generated.source);
    for (name, text) in templates.typst_files() {
        document.insert(name, text.as_bytes().to_vec());
    }
    for chart in charts {
        document.insert_text(&chart.file, &chart.svg);
    }
    Ok(Job {
        path,
        template: template.into(),
        generated,
        document,
        ident,
    })
}

/// The document date: from the edition, else from `SOURCE_DATE_EPOCH`
/// (seconds since 1970 in UTC, as reproducible-builds.org defines it),
/// which must lie in the years 1 to 9999 (the PDF date has four year
/// digits). Fails as a usage error when neither is there or the variable
/// is not such a number.
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
