//! Integration tests: run the built binary on fixtures.

mod check;
mod summary;
mod support;
