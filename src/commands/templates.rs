//! `korpsmonitor templates`: write the default templates out for editing.

use crate::cli::TemplatesArgs;
use crate::commands::RunError;
use crate::render;

/// Runs `templates`.
pub fn run(args: &TemplatesArgs) -> Result<(), RunError> {
    let written = render::write_defaults(&args.dir).map_err(RunError::Usage)?;
    for path in written {
        println!(
            "wrote {}",
            crate::base::term::clean(&path.display().to_string())
        );
    }
    println!(
        "edit these files and build with `--templates {}`; files you delete fall back to the defaults",
        crate::base::term::clean(&args.dir.display().to_string())
    );
    Ok(())
}
