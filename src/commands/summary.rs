//! `korpsmonitor summary`: the verdict table and headline figures, for
//! people (a table) or machines (JSON).

use crate::cli::{Format, SummaryArgs};
use crate::commands::{Checks, RunError, load_check_score};
use crate::render::summary::text;

/// Runs `summary`.
pub fn run(args: &SummaryArgs) -> Result<(), RunError> {
    let scored = load_check_score(&args.edition.edition, Checks::Data)?.edition;
    let out = match args.format {
        Format::Text => text(&scored),
        Format::Json => {
            let mut s = serde_json::to_string_pretty(&scored)
                .map_err(|e| RunError::Other(format!("cannot write JSON: {e}")))?;
            s.push('\n');
            s
        }
    };
    // Names from the data reach the terminal escaped (JSON escapes them itself).
    print!("{}", crate::base::term::clean(&out));
    Ok(())
}
