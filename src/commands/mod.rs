//! One module per subcommand: each reads its arguments, calls the library
//! and prints what it returns.

pub(crate) mod build;
pub(crate) mod check;
pub(crate) mod compare;
pub(crate) mod diff;
pub(crate) mod export;
pub mod fmt;
pub(crate) mod generate;
pub(crate) mod git_diff;
pub(crate) mod git_setup;
pub(crate) mod import;
pub(crate) mod new;
pub(crate) mod progress;
pub(crate) mod serve;
pub(crate) mod summary;
pub(crate) mod templates;
pub(crate) mod watch;

pub use crate::app::check::{Checked, Checks, load_check_score};
pub use crate::base::error::{Problems, RunError};
