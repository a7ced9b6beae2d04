//! The application: what a command asks for, as plain options, and the
//! work it takes: checking an edition, planning and making a build, reading
//! git revisions, watching and serving. Uses every layer below; knows
//! nothing of the command line.

pub(crate) mod build;
pub(crate) mod check;
pub(crate) mod compare;
pub(crate) mod compare_html;
pub(crate) mod diff_driver;
pub(crate) mod git;
pub(crate) mod http;
pub(crate) mod letter_diff;
pub mod options;
pub(crate) mod page_match;
pub(crate) mod plan;
pub(crate) mod server;
pub(crate) mod typst_diagnostics;
pub(crate) mod watch;
pub mod workbook;
