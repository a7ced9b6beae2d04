use std::process::ExitCode;

use clap::Parser;
use korpsmonitor::cli::Cli;

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
    match korpsmonitor::run(cli) {
        Ok(()) => ExitCode::SUCCESS,
        Err(e) => {
            eprintln!("{}", korpsmonitor::term::clean(&e.to_string()));
            e.exit_code()
        }
    }
}
