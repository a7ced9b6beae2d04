//! Command-line arguments.

use std::ffi::OsString;
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
    /// Write an edition's points, findings, key figures, ratings,
    /// recommendations and notes into a workbook for the assessment team.
    Export(ExportArgs),
    /// Read a workbook (.xlsx or .ods) back into the edition: every cell
    /// checked, the changed unit files written in canonical form and the
    /// changes shown, or nothing written at all.
    Import(ImportArgs),
    /// Show which printed pages a change alters: each changed page beside
    /// its old version, the changed words highlighted, as PNG pictures and
    /// an HTML page.
    Compare(CompareArgs),
    /// Start the next edition from the previous one: year, period, dates
    /// moved on, everything else carried over for `check` to list.
    New(NewArgs),
    /// Write a valid synthetic edition of any size (for benchmarks and tests).
    Generate(GenerateArgs),
    /// Make `git diff` show the semantic diff of the editions in a git
    /// repository (its `.gitattributes` and its local git config).
    GitSetup(GitSetupArgs),
    /// The external diff command for git (see docs/reviewing.md).
    #[command(hide = true, disable_help_flag = true)]
    GitDiffDriver(GitDiffArgs),
}

/// Arguments of `git-setup`.
#[derive(Debug, Args)]
pub struct GitSetupArgs {
    /// A folder inside the repository (default: the current folder).
    #[arg(default_value = ".")]
    pub dir: PathBuf,
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

/// The arguments git passes to an external diff command, taken as they
/// come (any number, any bytes, values starting with `-` included) so that
/// the driver, not the argument parser, decides what each form means and
/// never stops git: 1 (an unmerged path), 7 (`path old-file old-hex
/// old-mode new-file new-hex new-mode`) or 9 (a rename or copy: the new
/// path and git's extended header follow). Forms: `git help git`,
/// GIT_EXTERNAL_DIFF; [`crate::app::diff_driver`].
#[derive(Debug, Args)]
pub struct GitDiffArgs {
    /// What git passes.
    #[arg(num_args = 0.., trailing_var_arg = true, allow_hyphen_values = true,
          value_parser = clap::value_parser!(OsString))]
    pub args: Vec<OsString>,
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
    /// The new edition folder, or a letter of OLD amended in Word
    /// (`.docx`): what was changed in it against the letter as built.
    pub new: Option<PathBuf>,
    /// Compare OLD as it was at this git revision with the working tree.
    #[arg(long, value_name = "REV")]
    pub rev: Option<String>,
    /// Output format.
    #[arg(long, value_enum, default_value_t = DiffFormat::Text)]
    pub format: DiffFormat,
}

/// Arguments of `export`.
#[derive(Debug, Args)]
pub struct ExportArgs {
    /// The edition folder, e.g. data/2010.
    pub edition: PathBuf,
    /// The workbook of all units to write, e.g. werkbestand-2010.xlsx.
    #[arg(long, value_name = "FILE")]
    pub xlsx: Option<PathBuf>,
    /// Also (or instead) write one workbook per unit, `<unit id>.xlsx`,
    /// into this folder, to send to each unit's contact.
    #[arg(long, value_name = "DIR")]
    pub per_unit: Option<PathBuf>,
}

/// Arguments of `import`.
#[derive(Debug, Args)]
pub struct ImportArgs {
    /// The workbook, .xlsx or .ods (of all units or of one).
    pub file: PathBuf,
    /// The edition folder it was exported from, e.g. data/2010.
    pub edition: PathBuf,
    /// Only show what would change; write nothing.
    #[arg(long)]
    pub dry_run: bool,
}

/// Arguments of `compare`.
#[derive(Debug, Args)]
pub struct CompareArgs {
    /// The old edition folder or PDF file (or, with --rev, the edition to
    /// compare).
    pub old: PathBuf,
    /// The new edition folder or PDF file (`.pdf`).
    pub new: Option<PathBuf>,
    /// Compare OLD as it was at this git revision with the working tree.
    #[arg(long, value_name = "REV")]
    pub rev: Option<String>,
    /// The folder for the pictures and index.html.
    #[arg(long, short, default_value = "output/compare")]
    pub output: PathBuf,
    /// The document to compare (of editions; two PDF files are compared
    /// as they are).
    #[arg(long, value_enum, default_value_t = Compared::Report)]
    pub only: Compared,
    /// The pictures' resolution, in pixels per point (0.25 to 8; 1.5 is
    /// about 890 x 1260 pixels per A4 page).
    #[arg(long, default_value_t = 1.5, value_name = "PX_PER_PT")]
    pub scale: f32,
}

/// The documents `compare` compares.
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum Compared {
    /// The report.
    Report,
    /// The covering letter.
    Letter,
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
    /// How the annex names the version compared with ("de versie die de
    /// Kamer op 1 juni ontving"); by default the date of the revision's
    /// commit ("de versie van 12 september 2014").
    #[arg(long, value_name = "TEXT", requires = "changes_since")]
    pub changes_label: Option<String>,
    /// Print the time each stage took.
    #[arg(long)]
    pub timings: bool,
    /// With --timings, also count how many layout iterations Typst took
    /// for each document (passes until its page numbers settled). It turns
    /// on Typst's own timing records, which slows a large build.
    #[arg(long, requires = "timings")]
    pub iterations: bool,
    /// Check the laid-out pages against the house style's print rules
    /// (headings at a page foot, short pages, broken tables, hyphenated
    /// names, small, overlapping or misplaced text, figure numbers); the
    /// documents are written, and every finding is listed with document,
    /// page and element, failing the build.
    #[arg(long)]
    pub check_layout: bool,
    /// Do not write the letters as Word documents (.docx) beside their
    /// PDFs.
    #[arg(long)]
    pub no_docx: bool,
    /// The address the web edition will be published at
    /// (https://example.nl/korpsmonitor/2010/): every page gets a
    /// canonical link and the site a sitemap.xml.
    #[arg(long, value_name = "URL", value_parser = base_url)]
    pub base_url: Option<String>,
}

/// A `--base-url`: an http or https address without query or fragment,
/// ending in `/` (added when missing).
fn base_url(s: &str) -> Result<String, String> {
    let rest = s
        .strip_prefix("https://")
        .or_else(|| s.strip_prefix("http://"))
        .ok_or("expected an address starting with https:// or http://")?;
    let host = rest.split('/').next().unwrap_or("");
    if host.is_empty() {
        return Err("expected a host name after the scheme".into());
    }
    if let Some(c) = s
        .chars()
        .find(|c| c.is_whitespace() || c.is_control() || "\"'<>\\^`{|}?#".contains(*c))
    {
        return Err(format!(
            "the address may not hold {c:?}: give the folder the site is published at"
        ));
    }
    Ok(if s.ends_with('/') {
        s.to_string()
    } else {
        format!("{s}/")
    })
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
            changes_label: a.changes_label.clone(),
            timings: a.timings,
            iterations: a.iterations,
            check_layout: a.check_layout,
            docx: !a.no_docx,
            base_url: a.base_url.clone(),
            parsed: None,
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
