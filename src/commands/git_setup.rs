//! `korpsmonitor git-setup`: makes `git diff` use the semantic diff
//! driver in the repository holding the given folder
//! ([`crate::app::git::setup`]).

use crate::cli::GitSetupArgs;
use crate::commands::RunError;

/// Runs `git-setup`.
pub fn run(args: &GitSetupArgs) -> Result<(), RunError> {
    for line in crate::app::git::setup(&args.dir)? {
        println!("{}", crate::base::term::clean(&line));
    }
    Ok(())
}
