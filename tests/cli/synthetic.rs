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

/// `generate --previous --letters`: a previous edition beside the edition,
/// linked by `previous:`, and a `letter.yaml`; `check` finds nothing and
/// `build` writes the report with the comparison, the covering letter and
/// a letter to the manager of every unit not conform norm.
#[test]
fn a_generated_edition_with_previous_edition_and_letters_builds_every_document() {
    let dir = tempfile::tempdir().unwrap();
    let r = run(
        dir.path(),
        &[
            "generate",
            "syn",
            "--units",
            "30",
            "--previous",
            "--letters",
        ],
    );
    assert_eq!(r.code, 0, "{}", r.stderr);
    assert!(
        r.stdout.contains("previous edition to syn-previous"),
        "{}",
        r.stdout
    );
    let edition = std::fs::read_to_string(dir.path().join("syn/edition.yaml")).unwrap();
    assert!(edition.contains("previous: ../syn-previous"), "{edition}");
    assert!(dir.path().join("syn/letter.yaml").is_file());
    // One unit in 25 is new, one previous unit in 50 is gone.
    assert!(!dir.path().join("syn-previous/units/e00025.yaml").exists());
    assert!(dir.path().join("syn-previous/units/v00001.yaml").is_file());

    let r = run(dir.path(), &["check", "syn"]);
    assert_eq!(r.code, 0, "{}", r.stderr);
    assert!(!r.stderr.contains("warning"), "{}", r.stderr);
    assert!(!r.stdout.contains("warning"), "{}", r.stdout);

    let r = run(dir.path(), &["summary", "syn", "--format", "json"]);
    assert_eq!(r.code, 0, "{}", r.stderr);
    let summary: serde_json::Value = serde_json::from_str(&r.stdout).unwrap();
    let units = summary["units"].as_array().unwrap();
    let not_conform: Vec<&str> = units
        .iter()
        .filter(|u| u["verdict"] != "conform_norm")
        .map(|u| u["id"].as_str().unwrap())
        .collect();
    let trends: Vec<&str> = units.iter().filter_map(|u| u["trend"].as_str()).collect();
    for trend in ["better", "worse", "same", "new"] {
        assert!(trends.contains(&trend), "no unit is {trend}: {trends:?}");
    }

    let r = run(dir.path(), &["build", "syn"]);
    assert_eq!(r.code, 0, "{}", r.stderr);
    let out = dir.path().join("output/2099");
    let report = crate::pdf::text(&out.join("korpsmonitor-2099.pdf"));
    for expected in [
        "Een beter totaaloordeel dan in 2097 kregen",
        "Een slechter totaaloordeel dan in 2097 kregen",
        "Voor het eerst beoordeeld: Eenheid 25",
        // `vergund` and `niet-vergund` both map onto `toezicht`.
        "niet vergelijkbaar",
    ] {
        assert!(
            report.contains(expected),
            "{expected:?} missing from the report"
        );
    }
    let letter = crate::pdf::text(&out.join("aanbiedingsbrief-2099.pdf"));
    assert!(
        letter.contains("In de monitor over 2097 waren die aantallen"),
        "{letter}"
    );
    assert!(
        letter.contains(&format!(
            "de beheerders van de {} eenheden die niet conform de norm",
            not_conform.len()
        )),
        "{letter}"
    );
    let mut letters: Vec<String> = std::fs::read_dir(out.join("brieven"))
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .filter(|n| n.ends_with(".pdf"))
        .collect();
    letters.sort();
    let expected: Vec<String> = not_conform.iter().map(|id| format!("{id}.pdf")).collect();
    assert_eq!(letters, expected);
    let first = crate::pdf::text(&out.join("brieven").join(&letters[0]));
    assert!(first.contains("Geachte korpsbeheerder,"), "{first}");
    assert!(
        first.contains("Bijlage bij de brief van 15 januari 2100, kenmerk SYN-1"),
        "{first}"
    );

    // Deterministic, and the previous edition's folder is not overwritten.
    let r = run(
        dir.path(),
        &[
            "generate",
            "syn2",
            "--units",
            "30",
            "--previous",
            "--letters",
        ],
    );
    assert_eq!(r.code, 0, "{}", r.stderr);
    for file in ["letter.yaml", "units/e00007.yaml"] {
        let a = std::fs::read(dir.path().join("syn").join(file)).unwrap();
        let b = std::fs::read(dir.path().join("syn2").join(file)).unwrap();
        assert_eq!(a, b, "{file}");
    }
    let a = std::fs::read(dir.path().join("syn-previous/units/e00007.yaml")).unwrap();
    let b = std::fs::read(dir.path().join("syn2-previous/units/e00007.yaml")).unwrap();
    assert_eq!(a, b);
    let r = run(
        dir.path(),
        &["generate", "syn", "--units", "3", "--previous"],
    );
    assert_eq!(r.code, 2, "{}", r.stderr);
    std::fs::remove_dir_all(dir.path().join("syn")).unwrap();
    let r = run(
        dir.path(),
        &["generate", "syn", "--units", "3", "--previous"],
    );
    assert_eq!(r.code, 2, "{}", r.stderr);
    assert!(
        r.stderr.contains("syn-previous already holds an edition"),
        "{}",
        r.stderr
    );
    assert!(!dir.path().join("syn/edition.yaml").exists());
}
