//! A synthetic edition (other dimensions, groups and size) goes through
//! every command: nothing about 2010 is built in.

use crate::support::run;

#[test]
fn a_generated_edition_passes_every_command() {
    let dir = tempfile::tempdir().unwrap();
    let r = run(dir.path(), &["generate", "syn", "--units", "7"]);
    assert_eq!(r.code, 0, "{}", r.stderr);
    for args in [
        vec!["check", "syn"],
        vec!["summary", "syn"],
        vec!["summary", "syn", "--format", "json"],
        vec!["fmt", "--check", "syn"],
        vec!["diff", "syn", "syn"],
        vec!["build", "syn", "--timings"],
    ] {
        let r = run(dir.path(), &args);
        assert_eq!(r.code, 0, "{args:?}: {}", r.stderr);
    }
    let text = crate::pdf::text(&dir.path().join("output/2099/korpsmonitor-2099.pdf"));
    assert!(text.contains("Eenheid 7"), "{text}");
    assert!(text.contains("districten"), "{text}");
    let r = run(dir.path(), &["build", "syn", "--timings"]);
    assert!(r.stderr.contains("typeset (sum)"), "{}", r.stderr);
    // Generating is deterministic and refuses to overwrite.
    let again = run(dir.path(), &["generate", "syn", "--units", "7"]);
    assert_eq!(again.code, 2);
    let r = run(dir.path(), &["generate", "syn2", "--units", "7"]);
    assert_eq!(r.code, 0);
    let a = std::fs::read(dir.path().join("syn/units/e00003.yaml")).unwrap();
    let b = std::fs::read(dir.path().join("syn2/units/e00003.yaml")).unwrap();
    assert_eq!(a, b);
}

#[test]
fn a_large_edition_gets_key_figures_in_parts_and_no_progress_when_piped() {
    let dir = tempfile::tempdir().unwrap();
    let r = run(dir.path(), &["generate", "syn", "--units", "200"]);
    assert_eq!(r.code, 0, "{}", r.stderr);
    let r = run(dir.path(), &["build", "syn", "--only", "report"]);
    assert_eq!(r.code, 0, "{}", r.stderr);
    // Piped stderr: no progress bar, however long the build takes.
    assert_eq!(r.stderr, "");
    let text = crate::pdf::text(&dir.path().join("output/2099/korpsmonitor-2099.pdf"));
    for part in 1..=7 {
        let caption = format!("per eenheid (deel {part} van 7)");
        assert!(text.contains(&caption), "{caption} missing");
    }
    assert!(!text.contains("deel 8 van"));
}
