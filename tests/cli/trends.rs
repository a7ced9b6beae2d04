//! Trends across the chain of editions: the chain is read whole, and a
//! chain that loops is an error with file and line, never a hang.

use std::fs;

use crate::support::{mini, run};

#[test]
fn a_chain_that_loops_is_an_error_with_file_and_line() {
    let dir = mini(None);
    let prev = dir.path().join("mini-prev/edition.yaml");
    let text = fs::read_to_string(&prev).unwrap();
    fs::write(
        &prev,
        text.replace(
            "publisher: Testdienst\n",
            "publisher: Testdienst\nprevious: ../mini\n",
        ),
    )
    .unwrap();
    let r = run(dir.path(), &["check", "mini"]);
    assert_eq!(r.code, 1, "{}", r.stderr);
    assert!(
        r.stderr.starts_with(
            "error: the chain of previous editions loops: mini -> mini/../mini-prev -> mini/../mini-prev/../mini; expected a chain that ends at the first edition\n  ┌─ mini/../mini-prev/edition.yaml:6:11\n"
        ),
        "{}",
        r.stderr
    );
}
