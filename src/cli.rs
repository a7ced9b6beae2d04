//! Command-line arguments.

use std::path::PathBuf;

use clap::{Args, Parser, Subcommand, ValueEnum};

use crate::app::options::{BuildOptions, DocumentKind};

/// Builds the Korpsmonitor prostitutie en mensenhandel from YAML findings.
#[derive(Debug, Parser)]
#[command(name = "korpsmonitor", version, about, long_about = None)]
pub struct Cli {
    /// What to do.
    #[command(subcommand)]
    pub command: Command,
}

/// The subcommands.
#[derive(Debug, Subcommand)]
pub enum Command {
    /// Check an edition and report every problem with file, line and field.
    Check(CheckArgs),
    /// Print the verdict table and headline figures of an edition.
    Summary(SummaryArgs),
    /// Build the documents of an edition into the output folder.
    Build(BuildArgs),
    /// Rebuild the documents on every change to the edition or templates.
    Watch(BuildArgs),
    /// Serve the documents on a local address from memory, rebuilt and
    /// reloaded in the browser on every change.
    Serve(ServeArgs),
    /// Write the default templates and house style into a folder for editing.
    Templates(TemplatesArgs),
    /// Rewrite an edition's YAML files into the canonical form.
    Fmt(FmtArgs),
    /// Show what changed between two editions, or since a git revision.
    Diff(DiffArgs),
    /// Start the next edition from the previous one: year, period, dates
    /// moved on, everything else carried over for `check` to list.
    New(NewArgs),
    /// Write a valid synthetic edition of any size (for benchmarks and tests).
    Generate(GenerateArgs),
    /// The external diff command for git (see docs/reviewing.md).
    #[command(hide = true)]
    GitDiffDriver(GitDiffArgs),
}

/// Arguments of `new`.
#[derive(Debug, Args)]
pub struct NewArgs {
    /// The new edition's folder, e.g. data/2014; it must not exist.
    pub dir: PathBuf,
    /// The previous edition's folder, e.g. data/2012.
    #[arg(long, value_name = "PREVIOUS")]
    pub from: PathBuf,
}

/// Arguments of `generate`.
#[derive(Debug, Args)]
pub struct GenerateArgs {
    /// The folder to write the edition into (created; must not hold one).
    pub dir: PathBuf,
    /// How many units (1 to 20,000, the most an edition may have).
    #[arg(long, default_value_t = 100,
          value_parser = clap::builder::RangedU64ValueParser::<usize>::new().range(1..=crate::data::load::MAX_UNITS as u64))]
    pub units: usize,
    /// Writes a chain of this many editions (2 to 32), two years apart and
    /// each linked to the one before by `previous:`, into `DIR/<year>`;
    /// the newest is `DIR/2099`.
    #[arg(long, value_parser = clap::builder::RangedU64ValueParser::<usize>::new().range(2..=crate::data::chain::MAX_CHAIN as u64))]
    pub chain: Option<usize>,
    /// Also write a previous edition (the year 2097, four dimensions mapped
    /// onto three, some verdicts changed, some units new or gone) to the
    /// sibling folder `<DIR>-previous`, named in `previous:`.
    #[arg(long, conflicts_with = "chain")]
    pub previous: bool,
    /// Also write `letter.yaml` (a covering letter and letters to the
    /// managers of units not conform norm) and a manager in every unit;
    /// with `--chain`, in the newest edition.
    #[arg(long)]
    pub letters: bool,
}

/// The seven arguments git passes to an external diff command.
#[derive(Debug, Args)]
pub struct GitDiffArgs {
    /// The file's path in the repository.
    pub path: String,
    /// The old version's temporary file.
    pub old_file: PathBuf,
    /// The old version's blob id.
    pub old_hex: String,
    /// The old version's mode.
    pub old_mode: String,
    /// The new version's file.
    pub new_file: PathBuf,
    /// The new version's blob id.
    pub new_hex: String,
    /// The new version's mode.
    pub new_mode: String,
}

/// Arguments of `fmt`.
#[derive(Debug, Args)]
pub struct FmtArgs {
    /// The edition folder, e.g. data/2010.
    pub edition: PathBuf,
    /// Change nothing; exit 1 and list the files that are not canonical.
    #[arg(long)]
    pub check: bool,
}

/// Arguments of `diff`.
#[derive(Debug, Args)]
pub struct DiffArgs {
    /// The old edition folder (or, with --rev, the edition to compare).
    pub old: PathBuf,
    /// The new edition folder.
    pub new: Option<PathBuf>,
    /// Compare OLD as it was at this git revision with the working tree.
    #[arg(long, value_name = "REV")]
    pub rev: Option<String>,
    /// Output format.
    #[arg(long, value_enum, default_value_t = DiffFormat::Text)]
    pub format: DiffFormat,
}

/// Output formats of `diff`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum DiffFormat {
    /// For people: colour on a terminal, plain when piped.
    Text,
    /// For machines.
    Json,
    /// To paste into a review.
    Markdown,
}

/// Arguments of `build`.
#[derive(Debug, Args)]
pub struct BuildArgs {
    /// The edition folder, e.g. data/2010.
    pub edition: PathBuf,
    /// The output root; documents go to OUTPUT/<year>/.
    #[arg(long, short, default_value = "output")]
    pub output: PathBuf,
    /// A folder of templates that replace the defaults file by file.
    #[arg(long)]
    pub templates: Option<PathBuf>,
    /// A folder of fonts (.ttf, .otf, .ttc, .otc) to use ahead of the
    /// embedded ones, e.g. a house font: the family of its first font (by
    /// file name) becomes the documents' font.
    #[arg(long, value_name = "DIR")]
    pub fonts: Option<PathBuf>,
    /// Also write the generated Typst source, house style and charts here.
    #[arg(long, value_name = "DIR")]
    pub emit_typst: Option<PathBuf>,
    /// Build only one kind of document.
    #[arg(long, value_enum)]
    pub only: Option<Only>,
    /// Add an annex to the report with the changes since this git revision
    /// of the edition ("Wijzigingen ten opzichte van de vorige versie").
    #[arg(long, value_name = "REV")]
    pub changes_since: Option<String>,
    /// Print the time each stage took.
    #[arg(long)]
    pub timings: bool,
    /// Check the laid-out pages against the house style's print rules
    /// (headings at a page foot, short pages, broken tables, hyphenated
    /// names, small, overlapping or misplaced text, figure numbers); the
    /// documents are written, and every finding is listed with document,
    /// page and element, failing the build.
    #[arg(long)]
    pub check_layout: bool,
}

/// Arguments of `serve`.
#[derive(Debug, Args)]
pub struct ServeArgs {
    /// The edition folder, e.g. data/2010.
    pub edition: PathBuf,
    /// The port to listen on; 0 picks a free one.
    #[arg(long, default_value_t = 8000)]
    pub port: u16,
    /// The address to listen on. Only this machine can reach the default;
    /// another address (e.g. 0.0.0.0) lets every machine that reaches it
    /// read the documents, and a warning says so.
    #[arg(long, default_value = "127.0.0.1")]
    pub address: std::net::IpAddr,
    /// A folder of templates that replace the defaults file by file.
    #[arg(long)]
    pub templates: Option<PathBuf>,
    /// A folder of fonts (.ttf, .otf, .ttc, .otc) to use ahead of the
    /// embedded ones, as for `build`.
    #[arg(long, value_name = "DIR")]
    pub fonts: Option<PathBuf>,
}

/// The kinds of document a build produces.
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum Only {
    /// The report.
    Report,
    /// The covering letter.
    Letter,
    /// The letters to the managers of units not conform norm.
    Letters,
    /// The web edition: a static HTML site with the CSV and JSON downloads.
    Web,
}

impl From<Only> for DocumentKind {
    fn from(only: Only) -> DocumentKind {
        match only {
            Only::Report => DocumentKind::Report,
            Only::Letter => DocumentKind::Letter,
            Only::Letters => DocumentKind::Letters,
            Only::Web => DocumentKind::Web,
        }
    }
}

impl From<&BuildArgs> for BuildOptions {
    fn from(a: &BuildArgs) -> BuildOptions {
        BuildOptions {
            edition: a.edition.clone(),
            output: a.output.clone(),
            templates: a.templates.clone(),
            fonts: a.fonts.clone(),
            emit_typst: a.emit_typst.clone(),
            only: a.only.map(DocumentKind::from),
            changes_since: a.changes_since.clone(),
            timings: a.timings,
            check_layout: a.check_layout,
        }
    }
}

/// Arguments of `templates`.
#[derive(Debug, Args)]
pub struct TemplatesArgs {
    /// The folder to write the default templates into.
    pub dir: PathBuf,
}

/// The edition to work on.
#[derive(Debug, Args)]
pub struct EditionArgs {
    /// The edition folder, e.g. data/2010.
    pub edition: PathBuf,
}

/// Arguments of `check`.
#[derive(Debug, Args)]
pub struct CheckArgs {
    /// The edition to check.
    #[command(flatten)]
    pub edition: EditionArgs,
    /// Output format: text (snippets on stderr) or JSON (every problem as
    /// data on stdout, for editors' tools).
    #[arg(long, value_enum, default_value_t = Format::Text)]
    pub format: Format,
}

/// Arguments of `summary`.
#[derive(Debug, Args)]
pub struct SummaryArgs {
    /// The edition to summarise.
    #[command(flatten)]
    pub edition: EditionArgs,
    /// Output format.
    #[arg(long, value_enum, default_value_t = Format::Text)]
    pub format: Format,
}

/// Output formats for reports on the terminal.
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum Format {
    /// A table for people.
    Text,
    /// JSON for machines.
    Json,
}

#[cfg(test)]
mod tests {
    use super::*;
    use clap::CommandFactory;

    #[test]
    fn cli_is_consistent() {
        Cli::command().debug_assert();
    }
}
