//! Typst's diagnostics as ours: positions in a generated source go back to
//! the template line that produced them.

use std::path::PathBuf;

use crate::app::plan::Job;
use crate::base::diagnostics::{Diagnostic, SourceCache, TracePoint};
use crate::base::locate::Pos;
use crate::render::{Generated, Templates};
use crate::typeset::TypstDiagnostic;

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
/// line that produced it (the line map kept by [`crate::render::render`]): a position in the generated source goes back to
/// its `.j2` template line, one in the house style stays where it is. A
/// position no template line explains points into the generated source,
/// whose text is kept for the snippet. Every diagnostic ends its trace with
/// the document it belongs to.
pub fn typst_diagnostics(
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
