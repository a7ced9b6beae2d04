//! korpsmonitor: builds the Korpsmonitor prostitutie en mensenhandel from YAML.
//!
//! The pipeline runs one way:
//! load -> validate -> score -> charts -> render (minijinja -> Typst) ->
//! typeset (Typst -> PDF) -> output (atomic writes).
//!
//! [`build::build`] makes a build's files in memory (planned by [`plan`]);
//! [`output::write_build`] writes them. The subcommands in [`commands`]
//! only read their arguments, call these and print what they return.

pub mod build;
pub mod canonical;
pub mod charts;
pub mod cli;
pub mod commands;
pub mod diagnostics;
pub mod diff;
pub mod dutch;
pub mod edition;
pub mod error;
pub mod generate;
pub mod git;
pub mod input;
pub mod layout_check;
pub mod load;
pub mod locate;
pub mod model;
pub mod output;
pub mod plan;
pub mod render;
pub mod score;
pub mod server;
pub mod stats;
pub mod summary;
pub mod table;
pub mod term;
pub mod trends;
pub mod typeset;
pub mod validate;
pub mod watch;
pub mod yaml_limits;

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
