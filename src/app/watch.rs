//! Watching what a build reads: the edition, its previous edition, the
//! templates and fonts given. Events are gathered into complete saves and
//! filtered to the files a build reads, leaving out the build's own output;
//! `korpsmonitor watch` and `korpsmonitor serve` rebuild on each.

use std::path::{Path, PathBuf};
use std::sync::mpsc;
use std::time::Duration;

use notify::event::{AccessKind, AccessMode, ModifyKind, RenameMode};
use notify::{EventKind, RecursiveMode, Watcher};

use crate::app::build::font_set;
use crate::app::options::BuildOptions;
use crate::base::error::RunError;
use crate::base::term::clean;
use crate::data::chain;
use crate::data::load::resolved;
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

/// One batch of events: the paths a build reads that changed, whether a
/// save is complete, and whether a watched folder itself was (re)created.
struct Change {
    paths: Vec<PathBuf>,
    complete: bool,
    recreated: bool,
}

/// `p` made absolute and with `.` and `..` resolved lexically (the folder
/// need not exist yet).
fn absolute(p: &Path) -> PathBuf {
    let abs = std::path::absolute(p).unwrap_or_else(|_| p.to_path_buf());
    let mut out = PathBuf::new();
    for c in abs.components() {
        match c {
            std::path::Component::ParentDir => {
                out.pop();
            }
            std::path::Component::CurDir => {}
            other => out.push(other),
        }
    }
    out
}

/// The forms under which events may name `p`: absolute, and with links
/// resolved when it exists.
fn forms(p: &Path) -> Vec<PathBuf> {
    let mut v = vec![absolute(p)];
    if let Ok(c) = std::fs::canonicalize(p) {
        v.push(c);
    }
    v
}

/// Watches what a build of `args` reads (the edition, the earlier
/// editions of its chain, `--templates`, `--fonts`) and calls `rebuild`
/// with the warm typesetter and the cause (`start`, or the names of the
/// changed files, escaped for the terminal) once at the start and then
/// after every complete save, and ends each rebuild's work in the
/// typesetter ([`Typesetter::rebuilt`]); changes below the folders in `own` (the
/// build's own output) are not changes, unless the edition lies inside
/// them. A changed font folder gets a new typesetter. Names the folders
/// watched, and a font folder or a replaced edition that cannot be read or
/// watched again, on standard error. Returns when the watcher stops; fails
/// when the edition is not a folder (a usage error) or cannot be watched.
pub fn watch(
    args: &BuildOptions,
    own: &[PathBuf],
    mut rebuild: impl FnMut(&Typesetter, &str),
) -> Result<(), RunError> {
    if !args.edition.is_dir() {
        return Err(RunError::Usage(format!(
            "{} is not a folder; expected an edition folder such as data/2010",
            args.edition.display()
        )));
    }
    // One typesetter for the whole session: fonts are parsed once and
    // Typst's memoised layout is reused for everything that did not change.
    let mut typesetter = Typesetter::new(font_set(args)?);
    let (tx, rx) = mpsc::channel();
    let edition = absolute(&args.edition);
    let mut watched: Vec<PathBuf> = vec![edition.clone()];
    if let Some(t) = &args.templates {
        watched.push(absolute(t));
    }
    if let Some(f) = &args.fonts {
        watched.push(absolute(f));
    }
    for prev in previous_dirs(args) {
        watched.push(absolute(&prev));
    }
    // The build's own output is never a change, wherever it lies (inside
    // the edition too): else every build would start the next. An output
    // folder that holds the edition does not hide the edition's edits.
    let scope = Scope {
        roots: watched.iter().flat_map(|w| forms(w)).collect(),
        own: own.iter().flat_map(|o| forms(o)).collect(),
        edition_forms: forms(&edition),
    };
    let mut watcher = notify::recommended_watcher(move |event: notify::Result<notify::Event>| {
        if let Some(change) = event.ok().and_then(|e| scope.change(e)) {
            let _ = tx.send(change);
        }
    })
    .map_err(|e| RunError::Other(format!("cannot watch files: {e}")))?;
    for dir in &watched {
        watcher
            .watch(dir, RecursiveMode::Recursive)
            .map_err(|e| RunError::Other(format!("cannot watch {}: {e}", dir.display())))?;
    }
    // The edition's parent, not recursively: to see the edition folder
    // deleted and created again.
    if let Some(parent) = edition.parent() {
        let _ = watcher.watch(parent, RecursiveMode::NonRecursive);
    }
    eprintln!(
        "watching {} (Ctrl-C to stop)",
        clean(
            &watched
                .iter()
                .map(|p| p.display().to_string())
                .collect::<Vec<_>>()
                .join(", ")
        )
    );
    rebuild(&typesetter, "start");
    typesetter.rebuilt();
    loop {
        let Ok(first) = rx.recv() else {
            return Ok(());
        };
        let Change {
            paths, recreated, ..
        } = gather(&rx, first);
        if recreated {
            // The old watch went with the deleted folder. Watch the new one
            // without removing anything first: one replacement can bring
            // several such events, and between an unwatch and the watch a
            // save would go unseen.
            if let Err(e) = watcher.watch(&edition, RecursiveMode::Recursive) {
                eprintln!(
                    "warning: cannot watch {} again: {e}",
                    clean(&edition.display().to_string())
                );
            }
        }
        let what = describe(&paths);
        // New fonts need a new typesetter (and cold caches); a font folder
        // that cannot be read keeps the fonts the watch had.
        if paths.iter().any(|p| FontSet::is_font_file(p)) {
            match font_set(args) {
                Ok(fonts) => typesetter = Typesetter::new(fonts),
                Err(e) => eprintln!(
                    "{}\n[{what}] the fonts could not be read; the previous fonts stay in use",
                    clean(&e.to_string())
                ),
            }
        }
        rebuild(&typesetter, &what);
        typesetter.rebuilt();
    }
}

/// What a build reads and what it writes, as events name them.
struct Scope {
    /// The watched folders, in every form.
    roots: Vec<PathBuf>,
    /// The build's own output, in every form.
    own: Vec<PathBuf>,
    /// The edition folder, in every form.
    edition_forms: Vec<PathBuf>,
}

impl Scope {
    /// The change `event` makes to what a build reads, if any.
    fn change(&self, event: notify::Event) -> Option<Change> {
        let complete = saved(&event.kind);
        if !complete && matches!(event.kind, EventKind::Access(_)) {
            return None;
        }
        // The edition folder itself created or renamed into place (editors
        // and `git checkout` replace folders): watch it anew.
        let replaced = matches!(
            event.kind,
            EventKind::Create(_) | EventKind::Modify(ModifyKind::Name(_))
        ) && event.paths.iter().any(|p| self.edition_forms.contains(p));
        // The removal of the old folder can be reported late (the kernel
        // reports a directory's own deletion when its last user lets go),
        // after the new folder is in place; notify then drops the watch of
        // that path, which is now the new folder's. A removal of a folder
        // that exists is such a late report: watch again.
        let stale_removal = matches!(event.kind, EventKind::Remove(_))
            && event
                .paths
                .iter()
                .any(|p| self.edition_forms.iter().any(|e| p.starts_with(e)) && p.is_dir());
        let recreated = replaced || stale_removal;
        let paths: Vec<PathBuf> = event
            .paths
            .into_iter()
            .filter(|p| self.roots.iter().any(|r| p.starts_with(r)))
            // Own output only where it lies inside the watched folder: an
            // output root around the edition (`--output .`) holds the
            // edition itself, whose edits must still count.
            .filter(|p| {
                !self.own.iter().any(|o| {
                    p.starts_with(o)
                        && self
                            .roots
                            .iter()
                            .any(|r| p.starts_with(r) && o.starts_with(r))
                })
            })
            .filter(|p| read_by_build(p))
            .collect();
        (!paths.is_empty() || recreated).then_some(Change {
            paths,
            complete: complete || recreated,
            recreated,
        })
    }
}

/// `first` and the changes queued after it, as one: a save is complete
/// when the file is closed after writing or renamed into place, and then
/// only what is already queued joins the rebuild; otherwise (a write in
/// progress) changes join until 50 ms pass without one.
fn gather(rx: &mpsc::Receiver<Change>, first: Change) -> Change {
    let Change {
        mut paths,
        mut complete,
        mut recreated,
    } = first;
    loop {
        let more = if complete {
            rx.try_recv().ok()
        } else {
            rx.recv_timeout(QUIET).ok()
        };
        let Some(more) = more else { break };
        paths.extend(more.paths);
        complete |= more.complete;
        recreated |= more.recreated;
    }
    Change {
        paths,
        complete,
        recreated,
    }
}

/// The names of the changed files, for the rebuild's message: each once,
/// sorted, escaped; "edition folder" when none is named.
fn describe(paths: &[PathBuf]) -> String {
    let what = paths
        .iter()
        .filter_map(|p| p.file_name().map(|n| n.to_string_lossy().into_owned()))
        .collect::<std::collections::BTreeSet<_>>()
        .into_iter()
        .collect::<Vec<_>>()
        .join(", ");
    if what.is_empty() {
        return "edition folder".into();
    }
    clean(&what).into_owned()
}

/// Whether a build reads `path`: only the kinds of file it reads (by
/// extension, in any letter case); editors' and tools' temporary files
/// (and this program's) are not.
fn read_by_build(path: &Path) -> bool {
    let name = path.file_name().and_then(|n| n.to_str()).unwrap_or("");
    !name.starts_with('.')
        && (crate::base::input::has_extension(path, &["yaml", "yml", "txt", "typ", "j2"])
            || FontSet::is_font_file(path))
}

/// The folders of the earlier editions the chain of `previous:` links
/// reaches from the edition (at most [`crate::data::chain::MAX_CHAIN`]): a change
/// in any of them changes the trends.
fn previous_dirs(args: &BuildOptions) -> Vec<PathBuf> {
    let chain = chain::walk(
        args.edition.clone(),
        |d| resolved(d),
        |d| Ok::<_, std::convert::Infallible>(previous_of(d)),
    );
    chain.map_or_else(|e| match e {}, |dirs| dirs.into_iter().skip(1).collect())
}

/// The folder `previous:` of the edition in `edition` names, if it is one.
fn previous_of(edition: &Path) -> Option<PathBuf> {
    let path = edition.join("edition.yaml");
    let bytes = crate::base::input::read(edition, &path, crate::data::load::MAX_FILE_BYTES).ok()?;
    let text = String::from_utf8(bytes).ok()?;
    let e: serde_yaml::Value = crate::data::load::parse_yaml(&path, &text).ok()?;
    let prev = e.get("previous")?.as_str()?;
    if Path::new(prev).is_absolute() {
        return None;
    }
    let dir = edition.join(prev);
    dir.is_dir().then_some(dir)
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
        assert!(read_by_build(Path::new("data/2010/units/utrecht.yaml")));
        assert!(read_by_build(Path::new("data/2010/units/utrecht.YAML")));
        assert!(read_by_build(Path::new("templates/report.typ.j2")));
        assert!(read_by_build(Path::new("fonts/Huisletter-Bold.OTF")));
        assert!(!read_by_build(Path::new(
            "data/2010/units/.utrecht.yaml.swp"
        )));
        assert!(!read_by_build(Path::new("data/2010/units/utrecht.yaml~")));
        assert!(!read_by_build(Path::new(
            "data/2010/.korpsmonitor-tmp-1-0-x.typ"
        )));
    }

    #[test]
    fn a_rebuild_names_each_changed_file_once() {
        let paths = [
            PathBuf::from("/e/units/b.yaml"),
            PathBuf::from("/e/units/a.yaml"),
            PathBuf::from("/f/units/b.yaml"),
        ];
        assert_eq!(describe(&paths), "a.yaml, b.yaml");
        assert_eq!(describe(&[]), "edition folder");
        assert_eq!(
            describe(&[PathBuf::from("/e/a\x1b[2J.yaml")]),
            "a\\x1b[2J.yaml"
        );
    }

    #[test]
    fn paths_are_made_absolute_without_the_file_system() {
        let a = absolute(Path::new("/a/b/../c/./d"));
        assert_eq!(a, PathBuf::from("/a/c/d"));
        assert!(absolute(Path::new("x")).is_absolute());
    }
}
