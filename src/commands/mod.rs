//! One module per subcommand: each reads its arguments, calls the library
//! and prints what it returns.

pub mod build;
pub mod check;
pub mod diff;
pub mod fmt;
pub mod generate;
pub mod git_diff;
pub mod progress;
pub mod serve;
pub mod summary;
pub mod templates;
pub mod watch;

pub use crate::edition::{Checked, Checks, load_check_score};
pub use crate::error::{Problems, RunError};
