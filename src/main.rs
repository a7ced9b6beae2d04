use std::process::ExitCode;

use clap::Parser;
use korpsmonitor::base::diagnostics;
use korpsmonitor::cli::{Cli, Command, Format};
use korpsmonitor::commands::RunError;

fn main() -> ExitCode {
    // Output into a closed pipe (`korpsmonitor summary | head -1`) ends the
    // process quietly, as for other command-line tools, instead of a panic
    // in `println!`.
    #[cfg(unix)]
    // SAFETY: restores the default action of one signal before any thread
    // starts.
    unsafe {
        libc::signal(libc::SIGPIPE, libc::SIG_DFL);
    }
    let cli = Cli::parse();
    // `check --format json` gives its problems as data on stdout; every
    // other error is rendered for people on stderr.
    let json = matches!(&cli.command, Command::Check(a) if a.format == Format::Json);
    match korpsmonitor::run(cli) {
        Ok(()) => ExitCode::SUCCESS,
        Err(RunError::Data(problems)) if json => {
            print!("{}", diagnostics::to_json(&problems.diagnostics));
            ExitCode::from(1)
        }
        Err(e) => {
            eprintln!("{}", e.render(korpsmonitor::base::term::colour_stderr()));
            e.exit_code()
        }
    }
}
