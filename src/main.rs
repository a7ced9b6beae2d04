use std::process::ExitCode;

use clap::Parser;
use korpsmonitor::cli::Cli;

fn main() -> ExitCode {
    let cli = Cli::parse();
    match korpsmonitor::run(cli) {
        Ok(()) => ExitCode::SUCCESS,
        Err(e) => {
            eprintln!("{}", korpsmonitor::term::clean(&e.to_string()));
            e.exit_code()
        }
    }
}
