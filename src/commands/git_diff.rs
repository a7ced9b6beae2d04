//! `korpsmonitor git-diff-driver`: the external diff command git calls for
//! an edition's YAML files (see docs/reviewing.md), showing their semantic
//! diff. Every field of every file kind takes part: a unit file shows its
//! points, findings, verdicts and recommendations as in `korpsmonitor diff`
//! and every other changed field by path; `edition.yaml`,
//! `recommendations.yaml` and `letter.yaml` show every changed field.

use std::io::IsTerminal;
use std::path::Path;

use serde::Serialize;
use serde::de::DeserializeOwned;

use crate::cli::GitDiffArgs;
use crate::commands::RunError;
use crate::diff::{self, EditionDiff, Style};
use crate::model::{EditionFile, LetterFile, RecommendationsFile, UnitFile};

fn read<T: DeserializeOwned>(path: &Path) -> Result<Option<T>, RunError> {
    // git passes /dev/null for a file that does not exist on one side.
    if path == Path::new("/dev/null") {
        return Ok(None);
    }
    let bytes = crate::input::read_file(path, crate::load::MAX_FILE_BYTES)
        .map_err(|e| RunError::Other(e.to_string()))?;
    let text = String::from_utf8(bytes)
        .map_err(|_| RunError::Other(format!("{} is not valid UTF-8", path.display())))?;
    let text = text.strip_prefix('\u{feff}').unwrap_or(&text);
    crate::load::parse_yaml(path, &text.replace("\r\n", "\n"))
        .map(Some)
        .map_err(|d| RunError::diagnostic(*d))
}

/// The diff of a file kind without units: every changed field.
fn fields_of<T: DeserializeOwned + Serialize>(
    args: &GitDiffArgs,
    d: &mut EditionDiff,
) -> Result<(), RunError> {
    let (old, new) = (read::<T>(&args.old_file)?, read::<T>(&args.new_file)?);
    let never = |_: &str| false;
    d.fields = match (&old, &new) {
        (Some(o), Some(n)) => diff::fields(o, n, &never),
        (None, Some(_)) => vec![diff::FieldChange {
            field: args.path.clone(),
            old: "none".into(),
            new: "added".into(),
        }],
        (Some(_), None) => vec![diff::FieldChange {
            field: args.path.clone(),
            old: "present".into(),
            new: "removed".into(),
        }],
        (None, None) => Vec::new(),
    };
    Ok(())
}

/// Runs the driver: `PATH OLD-FILE OLD-HEX OLD-MODE NEW-FILE NEW-HEX NEW-MODE`.
pub fn run(args: &GitDiffArgs) -> Result<(), RunError> {
    let style = if std::io::stdout().is_terminal() {
        Style::Colour
    } else {
        Style::Plain
    };
    let mut d = EditionDiff {
        old: format!("a/{}", args.path),
        new: format!("b/{}", args.path),
        ..EditionDiff::default()
    };
    let name = Path::new(&args.path)
        .file_name()
        .and_then(|n| n.to_str())
        .unwrap_or("");
    match name {
        "edition.yaml" => fields_of::<EditionFile>(args, &mut d)?,
        "recommendations.yaml" => fields_of::<RecommendationsFile>(args, &mut d)?,
        "letter.yaml" => fields_of::<LetterFile>(args, &mut d)?,
        _ => {
            let (old, new) = (
                read::<UnitFile>(&args.old_file)?,
                read::<UnitFile>(&args.new_file)?,
            );
            match (old, new) {
                (Some(o), Some(n)) => {
                    let u = diff::unit_files(&o, &n);
                    if !u.is_empty() {
                        d.units.push(u);
                    }
                }
                (None, Some(n)) => d.added_units.push(n.name),
                (Some(o), None) => d.removed_units.push(o.name),
                (None, None) => {}
            }
        }
    }
    print!("{}", diff::render(&d, style));
    Ok(())
}
