use std::process::ExitCode;

use clap::Parser;
use korpsmonitor::cli::Cli;

fn main() -> ExitCode {
    let cli = Cli::parse();
    match korpsmonitor::run(cli) {
        Ok(()) => ExitCode::SUCCESS,
        Err(e) => {
            eprintln!("{e}");
            e.exit_code()
        }
    }
}
