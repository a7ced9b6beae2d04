//! `korpsmonitor watch`: rebuild on every change to the edition, its
//! previous edition or the templates ([`crate::app::watch`]), keeping the Typst
//! World warm, and say how each rebuild went.

use std::path::PathBuf;
use std::time::Instant;

use crate::app::options::BuildOptions;
use crate::cli::BuildArgs;
use crate::commands::RunError;
use crate::commands::build;
use crate::typeset::Typesetter;

/// Runs `watch` until interrupted.
pub fn run(args: &BuildArgs) -> Result<(), RunError> {
    // Files unchanged since the last rebuild are not parsed again.
    let args = &BuildOptions {
        parsed: Some(Default::default()),
        ..BuildOptions::from(args)
    };
    // The build's own output is never a change, wherever it lies (inside
    // the edition too): else every build would start the next.
    let mut own: Vec<PathBuf> = vec![args.output.clone()];
    own.extend(args.emit_typst.clone());
    crate::app::watch::watch(args, &own, |typesetter, cause| {
        rebuild(args, typesetter, cause)
    })
}

/// Builds once with the warm `typesetter` and says on standard error how
/// it went, after `[cause]` (with `--timings`, the time of each stage
/// first); a failed build keeps the previous PDFs.
fn rebuild(args: &BuildOptions, typesetter: &Typesetter, cause: &str) {
    let start = Instant::now();
    let mut times = crate::app::build::Timings::default();
    let result = build::build(args, typesetter, &mut times);
    if args.timings {
        eprint!("{}", times.render(start.elapsed()));
    }
    match result {
        Ok(written) => {
            // The documents typeset; a letter's .docx goes with its PDF.
            let n = written
                .iter()
                .filter(|p| p.extension().is_none_or(|e| e != "docx"))
                .count();
            eprintln!(
                "[{cause}] rebuilt {n} document{} in {} ms",
                if n == 1 { "" } else { "s" },
                start.elapsed().as_millis()
            )
        }
        Err(e) => {
            eprintln!("{}", e.render(crate::base::term::colour_stderr()));
            eprintln!(
                "[{cause}] build failed; the previous PDFs are kept. Watching for changes..."
            );
        }
    }
}
