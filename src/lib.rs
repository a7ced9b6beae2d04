//! korpsmonitor: builds the Korpsmonitor prostitutie en mensenhandel from YAML.
//!
//! The crate is in layers, one folder each, top to bottom; a module imports
//! only from its own layer and the layers below it, never in a circle
//! (`tests/layers.rs` keeps this so):
//!
//! - face: `main.rs`, this file, [`cli`] and [`commands`]: the command line,
//!   turned into plain options, and what each subcommand prints;
//! - [`app`]: options, checking an edition, planning and making a build,
//!   git revisions, watching and serving, comparing the printed pages;
//! - [`render`]: the report, letters and web edition (minijinja -> Typst
//!   and HTML), charts, tables, placeholders, template contexts, the house
//!   style's settings and the checks of printed text;
//! - [`typeset`], beside rendering: the Typst World, PDF export, the layout
//!   check and the print rules, pages read as words and drawn as pictures; rendering may use it, not the reverse;
//! - [`figures`]: scores, verdicts, trends, peers, continuity across a
//!   reorganisation, statistics, diffs;
//! - [`words`]: Dutch as the documents write it;
//! - [`data`]: the model, loading, validation, invisible characters, the
//!   chain of editions, value types, canonical form, the next edition,
//!   synthetic editions;
//! - [`base`]: input, output, positions, diagnostics, errors, terminal.
//!
//! One scored edition flows one way: load -> validate -> score -> charts ->
//! render (minijinja -> Typst) -> typeset (Typst -> PDF) -> output (atomic
//! writes). `app::build::prepare` and `app::build::typeset` make a build's
//! files in memory (planned by `app::plan`); `base::output::write_build`
//! writes them. The subcommands in [`commands`] only read their arguments,
//! call these and print what they return. Modules that only the crate uses
//! are `pub(crate)`, so that the compiler finds code nothing calls.

pub mod app;
pub mod base;
pub mod cli;
pub mod commands;
pub mod data;
pub mod figures;
pub mod render;
pub mod typeset;
pub mod words;

use base::error::RunError;
use cli::{Cli, Command};

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
        Command::Export(args) => commands::export::run(&args),
        Command::Import(args) => commands::import::run(&args),
        Command::Compare(args) => commands::compare::run(&args),
        Command::GitDiffDriver(args) => commands::git_diff::run(&args),
        Command::GitSetup(args) => commands::git_setup::run(&args),
        Command::New(args) => commands::new::run(&args),
        Command::Generate(args) => commands::generate::run(&args),
        Command::Templates(args) => commands::templates::run(&args),
    }
}
