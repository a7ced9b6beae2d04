//! Integration tests: run the built binary on fixtures.

mod build;
mod check;
mod editions;
mod letters;
mod pdf;
mod summary;
mod support;
