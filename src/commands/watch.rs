//! `korpsmonitor watch`: rebuild on every change to the edition, its
//! previous edition or the templates, keeping the Typst World warm.

use std::path::{Path, PathBuf};
use std::sync::mpsc;
use std::time::{Duration, Instant};

use notify::event::{AccessKind, AccessMode, ModifyKind, RenameMode};
use notify::{EventKind, RecursiveMode, Watcher};

use crate::cli::BuildArgs;
use crate::commands::RunError;
use crate::commands::build;
use crate::typeset::{FontSet, Typesetter};

/// How long a write in progress must be quiet before the rebuild starts.
const QUIET: Duration = Duration::from_millis(50);

/// Whether an event ends a save: the file was closed after writing, renamed
/// into place or removed, so its content is final.
fn saved(kind: &EventKind) -> bool {
    matches!(
        kind,
        EventKind::Access(AccessKind::Close(AccessMode::Write))
            | EventKind::Modify(ModifyKind::Name(RenameMode::To | RenameMode::Both))
            | EventKind::Remove(_)
    )
}

/// Runs `watch` until interrupted.
pub fn run(args: &BuildArgs) -> Result<(), RunError> {
    if !args.edition.is_dir() {
        return Err(RunError::Usage(format!(
            "{} is not a folder; expected an edition folder such as data/2010",
            args.edition.display()
        )));
    }
    // One typesetter for the whole session: fonts are parsed once and
    // Typst's memoised layout is reused for everything that did not change.
    let mut typesetter = Typesetter::new(build::font_set(args)?);
    let (tx, rx) = mpsc::channel();
    let output = std::fs::canonicalize(&args.output).unwrap_or_else(|_| args.output.clone());
    let mut watcher = notify::recommended_watcher(move |event: notify::Result<notify::Event>| {
        let Ok(event) = event else { return };
        let complete = saved(&event.kind);
        if !complete && matches!(event.kind, EventKind::Access(_)) {
            return;
        }
        let paths: Vec<PathBuf> = event
            .paths
            .into_iter()
            .filter(|p| read_by_build(p, &output))
            .collect();
        if !paths.is_empty() {
            let _ = tx.send((paths, complete));
        }
    })
    .map_err(|e| RunError::Other(format!("cannot watch files: {e}")))?;
    let mut watched: Vec<PathBuf> = vec![args.edition.clone()];
    if let Some(t) = &args.templates {
        watched.push(t.clone());
    }
    if let Some(f) = &args.fonts {
        watched.push(f.clone());
    }
    if let Some(prev) = previous_dir(args) {
        watched.push(prev);
    }
    for dir in &watched {
        watcher
            .watch(dir, RecursiveMode::Recursive)
            .map_err(|e| RunError::Other(format!("cannot watch {}: {e}", dir.display())))?;
    }
    eprintln!(
        "watching {} (Ctrl-C to stop)",
        watched
            .iter()
            .map(|p| p.display().to_string())
            .collect::<Vec<_>>()
            .join(", ")
    );
    rebuild(args, &typesetter, "start");
    loop {
        let Ok((mut paths, mut complete)) = rx.recv() else {
            return Ok(());
        };
        // A save is complete when the file is closed after writing or
        // renamed into place: then only what is already queued joins the
        // rebuild. Otherwise (a write in progress) wait for 50 ms of quiet.
        loop {
            let more = if complete {
                rx.try_recv().ok()
            } else {
                rx.recv_timeout(QUIET).ok()
            };
            let Some((more, done)) = more else { break };
            paths.extend(more);
            complete |= done;
        }
        let what = paths
            .iter()
            .filter_map(|p| p.file_name().map(|n| n.to_string_lossy().into_owned()))
            .collect::<std::collections::BTreeSet<_>>()
            .into_iter()
            .collect::<Vec<_>>()
            .join(", ");
        // New fonts need a new typesetter (and cold caches); a font folder
        // that cannot be read keeps the fonts the watch had.
        if paths.iter().any(|p| FontSet::is_font_file(p)) {
            match build::font_set(args) {
                Ok(fonts) => typesetter = Typesetter::new(fonts),
                Err(e) => eprintln!(
                    "{e}\n[{what}] the fonts could not be read; the previous fonts stay in use"
                ),
            }
        }
        rebuild(args, &typesetter, &what);
    }
}

/// Whether a build reads `path`: only the kinds of file it reads, outside
/// the output folder; editors' and tools' temporary files are not.
fn read_by_build(path: &Path, output: &Path) -> bool {
    let abs = std::fs::canonicalize(path).unwrap_or_else(|_| path.to_path_buf());
    let name = path.file_name().and_then(|n| n.to_str()).unwrap_or("");
    !abs.starts_with(output)
        && !name.starts_with('.')
        && ([".yaml", ".yml", ".txt", ".typ", ".j2"]
            .iter()
            .any(|ext| name.ends_with(ext))
            || FontSet::is_font_file(path))
}

fn previous_dir(args: &BuildArgs) -> Option<PathBuf> {
    let text = std::fs::read_to_string(args.edition.join("edition.yaml")).ok()?;
    let e: serde_yaml::Value = serde_yaml::from_str(&text).ok()?;
    let prev = e.get("previous")?.as_str()?;
    let dir = args.edition.join(prev);
    dir.is_dir().then_some(dir)
}

fn rebuild(args: &BuildArgs, typesetter: &Typesetter, cause: &str) {
    let start = Instant::now();
    let result = build::build(args, typesetter, &mut build::Timings::default());
    // Keep what the last ten rebuilds used warm and free the rest, so that
    // a long session does not grow without bound (as typst-cli's watch).
    typst::comemo::evict(10);
    match result {
        Ok(written) => eprintln!(
            "[{cause}] rebuilt {} document{} in {} ms",
            written.len(),
            if written.len() == 1 { "" } else { "s" },
            start.elapsed().as_millis()
        ),
        Err(e) => {
            eprintln!("{e}");
            eprintln!(
                "[{cause}] build failed; the previous PDFs are kept. Watching for changes..."
            );
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use notify::event::{CreateKind, DataChange, RemoveKind};

    #[test]
    fn a_save_is_complete_when_closed_renamed_or_removed() {
        let cases = [
            (
                EventKind::Access(AccessKind::Close(AccessMode::Write)),
                true,
            ),
            (EventKind::Modify(ModifyKind::Name(RenameMode::To)), true),
            (EventKind::Modify(ModifyKind::Name(RenameMode::Both)), true),
            (EventKind::Remove(RemoveKind::File), true),
            (EventKind::Modify(ModifyKind::Data(DataChange::Any)), false),
            (EventKind::Modify(ModifyKind::Name(RenameMode::From)), false),
            (EventKind::Create(CreateKind::File), false),
            (
                EventKind::Access(AccessKind::Close(AccessMode::Read)),
                false,
            ),
            (EventKind::Access(AccessKind::Open(AccessMode::Any)), false),
        ];
        for (kind, complete) in cases {
            assert_eq!(saved(&kind), complete, "{kind:?}");
        }
    }

    #[test]
    fn only_files_a_build_reads_count() {
        let out = Path::new("/nonexistent/output");
        assert!(read_by_build(
            Path::new("data/2010/units/utrecht.yaml"),
            out
        ));
        assert!(read_by_build(Path::new("templates/report.typ.j2"), out));
        assert!(read_by_build(Path::new("fonts/Huisletter-Bold.OTF"), out));
        assert!(!read_by_build(
            Path::new("data/2010/units/.utrecht.yaml.swp"),
            out
        ));
        assert!(!read_by_build(
            Path::new("data/2010/units/utrecht.yaml~"),
            out
        ));
        assert!(!read_by_build(
            Path::new("/nonexistent/output/2010/x.typ"),
            out
        ));
    }
}
