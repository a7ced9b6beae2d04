//! korpsmonitor: builds the Korpsmonitor prostitutie en mensenhandel from YAML.
//!
//! The pipeline runs one way:
//! load -> validate -> score -> charts -> render (minijinja -> Typst) ->
//! typeset (Typst -> PDF) -> output (atomic writes).
//!
//! `build::prepare` and `build::typeset` make a build's files in memory
//! (planned by `plan`); `output::write_build` writes them. The subcommands
//! in [`commands`] only read their arguments, call these and print what
//! they return. Modules that only the crate uses are private, so that the
//! compiler finds code nothing calls.

mod build;
pub mod canonical;
pub mod charts;
pub mod cli;
pub mod commands;
pub mod diagnostics;
mod diff;
mod dutch;
mod edition;
mod error;
mod generate;
mod git;
mod input;
mod layout_check;
pub mod load;
mod locate;
pub mod model;
mod output;
mod plan;
pub mod render;
pub mod score;
mod server;
mod stats;
mod summary;
mod table;
pub mod term;
mod trends;
pub mod typeset;
pub mod validate;
mod watch;
mod yaml_limits;

use cli::{Cli, Command};
use error::RunError;

/// Runs one command line.
pub fn run(cli: Cli) -> Result<(), RunError> {
    match cli.command {
        Command::Check(args) => commands::check::run(&args),
        Command::Summary(args) => commands::summary::run(&args),
        Command::Build(args) => commands::build::run(&args),
        Command::Watch(args) => commands::watch::run(&args),
        Command::Serve(args) => commands::serve::run(&args),
        Command::Fmt(args) => commands::fmt::run(&args),
        Command::Diff(args) => commands::diff::run(&args),
        Command::GitDiffDriver(args) => commands::git_diff::run(&args),
        Command::Generate(args) => commands::generate::run(&args),
        Command::Templates(args) => commands::templates::run(&args),
    }
}
