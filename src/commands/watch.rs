//! `korpsmonitor watch`: rebuild on every change to the edition, its
//! previous edition or the templates, keeping the Typst World warm.

use std::path::PathBuf;
use std::sync::mpsc;
use std::time::{Duration, Instant};

use notify::{RecursiveMode, Watcher};

use crate::cli::BuildArgs;
use crate::commands::RunError;
use crate::commands::build;
use crate::typeset::{FontSet, Typesetter};

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
    let typesetter = Typesetter::new(FontSet::embedded());
    let (tx, rx) = mpsc::channel();
    let mut watcher = notify::recommended_watcher(move |event: notify::Result<notify::Event>| {
        if let Ok(event) = event
            && !matches!(event.kind, notify::EventKind::Access(_))
        {
            let _ = tx.send(event.paths);
        }
    })
    .map_err(|e| RunError::Other(format!("cannot watch files: {e}")))?;
    let mut watched: Vec<PathBuf> = vec![args.edition.clone()];
    if let Some(t) = &args.templates {
        watched.push(t.clone());
    }
    if let Some(prev) = previous_dir(args) {
        watched.push(prev);
    }
    for dir in &watched {
        watcher
            .watch(dir, RecursiveMode::Recursive)
            .map_err(|e| RunError::Other(format!("cannot watch {}: {e}", dir.display())))?;
    }
    let output = std::fs::canonicalize(&args.output).unwrap_or_else(|_| args.output.clone());
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
        let Ok(first) = rx.recv() else {
            return Ok(());
        };
        // Editors save in bursts: gather what changes within 50 ms.
        let mut paths = first;
        while let Ok(more) = rx.recv_timeout(Duration::from_millis(50)) {
            paths.extend(more);
        }
        let relevant: Vec<PathBuf> = paths
            .into_iter()
            .filter(|p| {
                let abs = std::fs::canonicalize(p).unwrap_or_else(|_| p.clone());
                let name = p.file_name().and_then(|n| n.to_str()).unwrap_or("");
                // Only the kinds of file a build reads; editors' and tools'
                // temporary files are not.
                !abs.starts_with(&output)
                    && !name.starts_with('.')
                    && [".yaml", ".yml", ".txt", ".typ", ".j2"]
                        .iter()
                        .any(|ext| name.ends_with(ext))
            })
            .collect();
        if relevant.is_empty() {
            continue;
        }
        let what = relevant
            .iter()
            .filter_map(|p| p.file_name().map(|n| n.to_string_lossy().into_owned()))
            .collect::<std::collections::BTreeSet<_>>()
            .into_iter()
            .collect::<Vec<_>>()
            .join(", ");
        rebuild(args, &typesetter, &what);
    }
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
    match build::build(args, typesetter, &mut build::Timings::default()) {
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
