//! `korpsmonitor build`: builds the documents in memory
//! ([`crate::app::build`]) and writes them as one set
//! ([`crate::base::output::write_build`]), showing progress and warnings.

use std::path::{Path, PathBuf};
use std::time::Instant;

use crate::app::build::{self as library, Observer, Timings, font_set};
use crate::app::options::BuildOptions;
use crate::app::plan::Plan;
use crate::base::diagnostics::{self, Diagnostic, SourceCache};
use crate::base::output;
use crate::cli::BuildArgs;
use crate::commands::RunError;
use crate::commands::progress::Progress;
use crate::typeset::Typesetter;

/// Runs `build`.
pub fn run(args: &BuildArgs) -> Result<(), RunError> {
    let args = &BuildOptions::from(args);
    let start = Instant::now();
    let typesetter = Typesetter::new(font_set(args)?);
    let mut times = Timings::default();
    let written = build(args, &typesetter, &mut times)?;
    if written.is_empty() {
        println!("wrote nothing: no unit is below conform norm, so no manager letter is due");
    }
    for path in &written {
        println!("wrote {}", shown(path));
    }
    // The site is the folder to publish; the edition's folder also holds
    // the manager letters, which are not for the public.
    if let Some(site) = written
        .iter()
        .find(|p| p.file_name().is_some_and(|n| n == "index.html"))
        .and_then(|p| p.parent())
    {
        println!(
            "publish {}/ as the web edition: it holds the PDFs and data it links to, never a manager letter",
            shown(site)
        );
    }
    if args.timings {
        eprint!("{}", times.render(start.elapsed()));
    }
    Ok(())
}

/// A terminal's view of a build: progress, and warnings as they are found.
impl Observer for Progress {
    fn stage(&self, what: &str) {
        Progress::stage(self, what);
    }

    fn documents(&self, n: usize) {
        Progress::documents(self, n);
    }

    fn document_done(&self) {
        Progress::document_done(self);
    }

    fn warnings(&self, warnings: &[Diagnostic], sources: &SourceCache) {
        let text =
            diagnostics::render_styled(warnings, sources, crate::base::term::colour_stderr());
        self.suspend(|| eprint!("{text}"));
    }
}

/// Builds every requested document with `typesetter` (which a watch keeps
/// warm between builds) and writes them; returns the files written. With
/// `--emit-typst`, the sources as typeset are written first; with
/// `--check-layout`, the documents are written and the build then fails
/// on the layout check's findings.
pub fn build(
    args: &BuildOptions,
    typesetter: &Typesetter,
    times: &mut Timings,
) -> Result<Vec<PathBuf>, RunError> {
    let progress = Progress::start();
    let prepared = library::prepare(args, typesetter, times, &progress)?;
    if let Some(dir) = &args.emit_typst {
        emit_typst(dir, &prepared.plan)?;
    }
    // The web edition and the Word letters do not wait for the PDFs: they
    // are written to temporary files and flushed to disk while the PDFs
    // are typeset, and renamed into place with them. If that fails, they
    // are written with the rest, which then reports the failure.
    // The copy is freed as soon as it is staged, before the largest
    // documents are typeset.
    let ahead = prepared.files_ahead();
    let (built, staged) = std::thread::scope(|s| {
        let staging = s.spawn(|| {
            let files: Vec<(PathBuf, &[u8])> = ahead
                .iter()
                .map(|(p, b)| (p.clone(), b.as_slice()))
                .collect();
            let staged = output::stage(&args.output, &files).ok();
            drop(files);
            drop(ahead);
            staged
        });
        let built = library::typeset(prepared, typesetter, times, &progress);
        (built, staging.join().ok().flatten())
    });
    let built = built?;
    progress.stage("writing");
    let t = Instant::now();
    let written = output::write_build(&args.output, &built.set, staged)
        .map_err(|e| RunError::Other(format!("cannot write the documents: {e}")))?;
    times.write = t.elapsed();
    // The web edition is named by its start page, not file by file.
    let site = built.set.site_dir.as_ref().map(|d| args.output.join(d));
    for path in &written.removed {
        let why = match &site {
            Some(s) if path.starts_with(s) => "no longer in the web edition",
            _ => "no longer due",
        };
        println!("removed {} ({why})", shown(path));
    }
    for note in &written.notes {
        eprintln!("{note}");
    }
    let files: Vec<PathBuf> = written
        .files
        .into_iter()
        .filter(|p| {
            site.as_ref()
                .is_none_or(|s| !p.starts_with(s) || *p == s.join("index.html"))
        })
        .collect();
    if !built.findings.is_empty() {
        // The documents are written, to be looked at; the build fails.
        for path in &files {
            println!("wrote {}", path.display());
        }
        return Err(RunError::data(built.findings, SourceCache::default()));
    }
    Ok(files)
}

/// Writes the Typst sources of `plan` as typeset (after missing glyphs
/// were replaced) into `dir`; each manager letter into a folder of its own
/// (`brieven/<unit id>`), as they share file names.
fn emit_typst(dir: &Path, plan: &Plan) -> Result<(), RunError> {
    for job in &plan.jobs {
        let target = match (&plan.letters_dir, job.path.file_stem()) {
            (Some(letters), Some(stem)) if job.path.parent() == Some(letters.as_path()) => {
                dir.join("brieven").join(stem)
            }
            _ => dir.to_path_buf(),
        };
        output::write_folder(dir, &target, job.document.files()).map_err(|(path, e)| {
            RunError::Other(format!("cannot write {}: {e}", path.display()))
        })?;
    }
    Ok(())
}

/// A path as the terminal gets it, control characters escaped.
fn shown(path: &Path) -> String {
    crate::base::term::clean(&path.display().to_string()).into_owned()
}
