//! `korpsmonitor serve`: the documents of an edition served from memory on
//! a local address, rebuilt on every save as `watch` does, with the open
//! pages reloaded; nothing is written to disk.

use std::net::SocketAddr;
use std::path::{Component, Path};
use std::sync::Arc;
use std::time::Instant;

use crate::app::build::{self, Timings};
use crate::app::options::{BuildOptions, DocumentKind};
use crate::app::server::{Files, Preview, Server};
use crate::app::watch;
use crate::base::diagnostics::SourceCache;
use crate::base::output::FileSet;
use crate::base::term::clean;
use crate::cli::ServeArgs;
use crate::commands::RunError;
use crate::commands::progress::Progress;
use crate::typeset::Typesetter;

/// Runs `serve` until interrupted.
pub fn run(args: &ServeArgs) -> Result<(), RunError> {
    if !args.edition.is_dir() {
        return Err(RunError::Usage(format!(
            "{} is not a folder; expected an edition folder such as data/2010",
            args.edition.display()
        )));
    }
    // Never written: the documents stay in memory. Files unchanged since
    // the last rebuild are not parsed again.
    let build_args = BuildOptions {
        parsed: Some(Default::default()),
        ..BuildOptions::preview(
            args.edition.clone(),
            args.templates.clone(),
            args.fonts.clone(),
        )
    };
    let address = SocketAddr::new(args.address, args.port);
    let name = args.edition.display().to_string();
    let (server, preview) = Server::bind(address, &name).map_err(|e| {
        RunError::Usage(format!(
            "cannot listen on {address}: {e}; choose another port with --port N (0 picks a free one)"
        ))
    })?;
    if !args.address.is_loopback() {
        eprintln!(
            "warning: listening on {address}: every machine that can reach this address can read the documents"
        );
    }
    println!(
        "serving {} at http://{}/ (Ctrl-C to stop)",
        clean(&name),
        server.address()
    );
    std::thread::Builder::new()
        .name("serve".into())
        .spawn(move || server.run())
        .map_err(|e| RunError::Other(format!("cannot start the server: {e}")))?;
    watch::watch(&build_args, &[], |typesetter, cause| {
        rebuild(&build_args, typesetter, cause, &preview)
    })
}

/// A build that shows nothing on the terminal: the web edition built
/// ahead of the full build, which reports progress, warnings and errors.
struct Quiet;

impl build::Observer for Quiet {}

/// Builds into memory and publishes the result, or the error. After the
/// first build the web edition is built and published alone first (no
/// typesetting), so that an open page of the site shows a change at once;
/// then the report alone, so that an open report follows; then every
/// document.
fn rebuild(args: &BuildOptions, typesetter: &Typesetter, cause: &str, preview: &Preview) {
    let start = Instant::now();
    if preview.generation() > 0 {
        // The site (no typesetting) and the report, on the two cores at
        // once; each is published as soon as it is ready.
        std::thread::scope(|scope| {
            // Two lanes, one per core: the report; the site (quick, no
            // typesetting), then the letters.
            let lanes: [&[(DocumentKind, &str)]; 2] = [
                &[(DocumentKind::Report, "report")],
                &[
                    (DocumentKind::Web, "web edition"),
                    (DocumentKind::Letters, "letters"),
                    (DocumentKind::Letter, "covering letter"),
                ],
            ];
            for lane in lanes {
                scope.spawn(move || {
                    for &(kind, what) in lane {
                        if args.wants(kind)
                            && args.only != Some(kind)
                            && ahead(args, typesetter, kind, preview)
                        {
                            eprintln!(
                                "[{cause}] {what} rebuilt in {} ms, serving build {}",
                                start.elapsed().as_millis(),
                                preview.generation()
                            );
                        }
                    }
                });
            }
        });
    }
    // Progress and warnings on the terminal, as for `build` and `watch`.
    let progress = Progress::start();
    let result =
        build::build(args, typesetter, &mut Timings::default(), &progress).and_then(|built| {
            match built.findings.is_empty() {
                true => Ok(built),
                false => Err(RunError::data(built.findings, SourceCache::default())),
            }
        });
    drop(progress);
    match result {
        Ok(built) => {
            let count = built.set.files.len();
            preview.publish(served(built.set));
            eprintln!(
                "[{cause}] rebuilt {count} file{} in {} ms, serving build {}",
                if count == 1 { "" } else { "s" },
                start.elapsed().as_millis(),
                preview.generation()
            );
        }
        Err(e) => {
            eprintln!("{}", e.render(crate::base::term::colour_stderr()));
            preview.fail(&e);
            eprintln!(
                "[{cause}] build failed, shown in the browser as build {}; the previous PDFs are still served. Watching for changes...",
                preview.generation()
            );
        }
    }
}

/// The files of a build as the preview serves them, by site path below
/// the edition's folder.
fn served(set: FileSet) -> Files {
    set.files
        .into_iter()
        .map(|f| {
            let path = f.path.strip_prefix(&set.edition_dir).unwrap_or(&f.path);
            (site_path(path), Arc::from(f.bytes))
        })
        .collect()
}

/// Builds the documents of `kind` alone, quietly, and publishes them ahead
/// of the full build (the web edition with [`Preview::publish_site`], a
/// document with [`Preview::publish_documents`]); a build that fails or
/// finds problems publishes nothing (returns false): the full build after
/// it reports them.
fn ahead(
    args: &BuildOptions,
    typesetter: &Typesetter,
    kind: DocumentKind,
    preview: &Preview,
) -> bool {
    let only = BuildOptions {
        only: Some(kind),
        ..args.clone()
    };
    if let Ok(built) = build::build(&only, typesetter, &mut Timings::default(), &Quiet)
        && built.findings.is_empty()
    {
        match kind {
            DocumentKind::Web => preview.publish_site(served(built.set)),
            _ => preview.publish_documents(served(built.set)),
        }
        return true;
    }
    false
}

/// A relative output path as a site path: its names joined by `/`.
fn site_path(path: &Path) -> String {
    path.components()
        .filter_map(|c| match c {
            Component::Normal(n) => Some(n.to_string_lossy().into_owned()),
            _ => None,
        })
        .collect::<Vec<_>>()
        .join("/")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn output_paths_become_site_paths() {
        assert_eq!(
            site_path(Path::new("brieven/utrecht.pdf")),
            "brieven/utrecht.pdf"
        );
        assert_eq!(
            site_path(Path::new("korpsmonitor-2010.pdf")),
            "korpsmonitor-2010.pdf"
        );
    }
}
