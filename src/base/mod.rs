//! Base: reading input files safely, writing output atomically, positions
//! in source text, diagnostics and errors, and the terminal.

pub mod diagnostics;
pub(crate) mod error;
pub(crate) mod input;
pub(crate) mod locate;
pub(crate) mod output;
pub mod term;
