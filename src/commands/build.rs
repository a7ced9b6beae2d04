//! `korpsmonitor build`: the report PDF (and, with the letters, every
//! document of an edition), written atomically.

use std::path::{Path, PathBuf};

use crate::charts;
use crate::cli::BuildArgs;
use crate::commands::{RunError, load_checked};
use crate::diagnostics::{self, Diagnostic, SourceCache};
use crate::model::Date;
use crate::output::write_atomic;
use crate::render::{self, Generated, Templates};
use crate::score;
use crate::typeset::{Document, FontSet, PdfSettings, TypesetError, Typesetter};

/// Runs `build`.
pub fn run(args: &BuildArgs) -> Result<(), RunError> {
    let checked = load_checked(&args.edition)?;
    if !checked.warnings.is_empty() {
        eprint!("{}", diagnostics::render(&checked.warnings, &checked.sources));
    }
    let templates = match &args.templates {
        Some(dir) => Templates::with_overrides(dir)
            .map_err(|d| RunError::Data(diagnostics::render(&[d], &SourceCache::default())))?,
        None => Templates::embedded(),
    };
    let loaded = &checked.edition;
    let edition = &loaded.edition.value;
    let date = document_date(edition.date)?;
    let scored = score::score(loaded);
    let typesetter = Typesetter::new(FontSet::embedded());
    let font = typesetter.fonts().family().to_string();

    let charts = charts::all(loaded, &scored, &font);
    let context = render::report::context(loaded, &scored, &charts, date, &font);
    let generated = render::render(&templates, "report.typ.j2", &context)
        .map_err(|e| RunError::Data(diagnostics::render(&[e.0], &SourceCache::default())))?;

    let mut doc = Document::new("report.typ", date);
    doc.insert("report.typ", generated.source.clone().into_bytes());
    for (name, text) in templates.typst_files() {
        doc.insert(name, text.as_bytes().to_vec());
    }
    for chart in &charts {
        doc.insert(&chart.file, chart.svg.clone().into_bytes());
    }

    if let Some(dir) = &args.emit_typst {
        emit(dir, &doc)?;
    }

    let missing = typesetter.fonts().missing_chars(&generated.source);
    if !missing.is_empty() {
        let list: Vec<String> = missing
            .iter()
            .map(|c| format!("U+{:04X} {c:?}", *c as u32))
            .collect();
        eprintln!(
            "warning: the fonts have no glyph for {} character(s), which print as blanks: {}",
            missing.len(),
            list.join(", ")
        );
    }

    let settings = PdfSettings::new(format!("korpsmonitor-{}", edition.year));
    let pdf = typesetter
        .compile_pdf(&doc, &settings)
        .map_err(|e| typeset_failure(&e, &generated, &templates))?;

    let out_dir = args.output.join(edition.year.to_string());
    let path = out_dir.join(format!("korpsmonitor-{}.pdf", edition.year));
    write_atomic(&path, &pdf)
        .map_err(|e| RunError::Other(format!("cannot write {}: {e}", path.display())))?;
    println!("wrote {}", path.display());
    Ok(())
}

/// The document date: from the edition, else from SOURCE_DATE_EPOCH.
pub fn document_date(from_data: Option<Date>) -> Result<Date, RunError> {
    if let Some(d) = from_data {
        return Ok(d);
    }
    match std::env::var("SOURCE_DATE_EPOCH") {
        Ok(v) => v
            .trim()
            .parse::<i64>()
            .map(Date::from_unix)
            .map_err(|_| {
                RunError::Usage(format!(
                    "SOURCE_DATE_EPOCH is {v:?}, expected a Unix timestamp in seconds"
                ))
            }),
        Err(_) => Err(RunError::Usage(
            "the edition has no `date` and SOURCE_DATE_EPOCH is not set; set `date: YYYY-MM-DD` in edition.yaml or export SOURCE_DATE_EPOCH".into(),
        )),
    }
}

fn emit(dir: &Path, doc: &Document) -> Result<(), RunError> {
    for (name, bytes) in doc.files() {
        let Some(rel) = crate::load::safe_relative(name.trim_start_matches('/')) else {
            continue;
        };
        let path: PathBuf = dir.join(rel);
        write_atomic(&path, bytes)
            .map_err(|e| RunError::Other(format!("cannot write {}: {e}", path.display())))?;
    }
    Ok(())
}

/// Turns Typst diagnostics into ours, pointing into the template that
/// produced the generated line where possible.
fn typeset_failure(e: &TypesetError, generated: &Generated, templates: &Templates) -> RunError {
    let TypesetError::Compile(diags) = e else {
        return RunError::Other(e.to_string());
    };
    let mut sources = SourceCache::default();
    let mut out = Vec::new();
    for d in diags {
        let file = d.file.clone().unwrap_or_default();
        let name = file.trim_start_matches('/');
        let mut diag;
        if name == "report.typ" {
            let origin = d.offset.and_then(|o| generated.origin(o));
            match origin {
                Some((template, line)) => {
                    let path = templates.display_path(template);
                    if let Some(text) = templates.get(template) {
                        sources.insert(&path, text);
                    }
                    diag = Diagnostic::error(path, format!("typst: {}", d.message))
                        .at(Some(crate::locate::Pos { line, column: 1 }));
                }
                None => {
                    diag = Diagnostic::error("report.typ (generated)", format!("typst: {}", d.message));
                }
            }
        } else {
            let path = templates.display_path(name);
            if let Some(text) = templates.get(name) {
                sources.insert(&path, text);
            }
            diag = Diagnostic::error(path, format!("typst: {}", d.message)).at(d.line.map(|line| {
                crate::locate::Pos {
                    line,
                    column: d.column.unwrap_or(1),
                }
            }));
        }
        for h in &d.hints {
            diag = diag.hint(h.clone());
        }
        out.push(diag);
    }
    RunError::Data(diagnostics::render(&out, &sources))
}
