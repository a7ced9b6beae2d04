//! Integration tests: run the built binary on fixtures.

mod build;
mod charts;
mod check;
mod check_build;
mod checkers;
mod conformance;
mod diagnostics;
mod editions;
mod facts;
mod fuzz;
mod fuzz_editions;
mod hostile;
mod hostile_cases;
mod hostile_output;
mod hostile_review;
mod layout;
mod letters;
mod pdf;
mod plain_world;
mod property;
mod reviewers;
mod structure;
mod summary;
mod support;
mod synthetic;
mod watch;
