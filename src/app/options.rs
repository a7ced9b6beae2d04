//! What a command asks of the application, as plain values: the face makes
//! them from its command-line arguments (`commands/`), and nothing below it
//! knows the command line.

use std::path::PathBuf;
use std::sync::Arc;

use crate::data::load::ParseCache;

/// The kinds of document a build makes.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum DocumentKind {
    /// The report.
    Report,
    /// The covering letter.
    Letter,
    /// The letters to the managers of units not conform norm.
    Letters,
    /// The web edition: a static HTML site with the CSV and JSON downloads.
    Web,
}

/// What a build makes, from what, and where it goes: the options of
/// `build`, `watch` and `serve`.
#[derive(Debug, Clone)]
pub struct BuildOptions {
    /// The edition folder, e.g. `data/2010`.
    pub edition: PathBuf,
    /// The output root; documents go to `<output>/<year>/`.
    pub output: PathBuf,
    /// A folder of templates that replace the defaults file by file.
    pub templates: Option<PathBuf>,
    /// A folder of fonts to use ahead of the embedded ones.
    pub fonts: Option<PathBuf>,
    /// A folder to write the generated Typst source, house style and
    /// charts to, as typeset.
    pub emit_typst: Option<PathBuf>,
    /// Only this kind of document; every kind when `None`.
    pub only: Option<DocumentKind>,
    /// A git revision of the edition: the report gets an annex with the
    /// changes since it.
    pub changes_since: Option<String>,
    /// How the annex names the version compared with; by default the date
    /// of the revision's commit.
    pub changes_label: Option<String>,
    /// Whether to print the time each stage took.
    pub timings: bool,
    /// Whether to count each document's layout iterations (with
    /// `timings`).
    pub iterations: bool,
    /// Whether to check the laid-out pages against the print rules.
    pub check_layout: bool,
    /// Whether to write each letter also as a Word document (`.docx`)
    /// beside its PDF.
    pub docx: bool,
    /// The address the web edition is published at, ending in `/`
    /// (checked by the face): its pages get canonical links and the site
    /// a sitemap.
    pub base_url: Option<String>,
    /// The files parsed by the last build of a session that builds again
    /// and again (`watch`, `serve`), taken as they were when unchanged;
    /// none for a single build.
    pub parsed: Option<Arc<ParseCache>>,
}

impl BuildOptions {
    /// Every document of the edition in `edition`, kept in memory (the
    /// output root is empty): the live preview's build.
    pub fn preview(
        edition: PathBuf,
        templates: Option<PathBuf>,
        fonts: Option<PathBuf>,
    ) -> BuildOptions {
        BuildOptions {
            edition,
            output: PathBuf::new(),
            templates,
            fonts,
            emit_typst: None,
            only: None,
            changes_since: None,
            changes_label: None,
            timings: false,
            iterations: false,
            check_layout: false,
            docx: true,
            base_url: None,
            parsed: None,
        }
    }

    /// Whether the build makes documents of `kind`.
    pub fn wants(&self, kind: DocumentKind) -> bool {
        self.only.is_none_or(|o| o == kind)
    }
}
