//! A proptest harness over the YAML loader: arbitrary text in a unit file
//! and in edition.yaml never panics the loader, the checks or the scoring.
//! Run longer with `PROPTEST_CASES=20000 cargo test --release --test cli fuzz`.

use std::fs;

use proptest::prelude::*;

use crate::support::mini;

fn yamlish() -> impl Strategy<Value = String> {
    let token = prop_oneof![
        Just("id: ".to_string()),
        Just("dimensions:\n".to_string()),
        Just("  toezicht:\n".to_string()),
        Just("    points:\n".to_string()),
        Just("      controle: ".to_string()),
        Just("nvt".to_string()),
        Just("- ".to_string()),
        Just("&a ".to_string()),
        Just("*a".to_string()),
        Just("[".to_string()),
        Just("]".to_string()),
        Just("{".to_string()),
        Just("}".to_string()),
        Just(": ".to_string()),
        Just("\n".to_string()),
        Just("\t".to_string()),
        Just("\"".to_string()),
        Just("|\n  ".to_string()),
        Just(".nan".to_string()),
        Just("-1".to_string()),
        Just("99999999999999999999".to_string()),
        Just("!!binary ".to_string()),
        "[a-z0-9 #$*_<>@]{0,12}".prop_map(|s| s),
        any::<char>().prop_map(|c| c.to_string()),
    ];
    prop::collection::vec(token, 0..60).prop_map(|v| v.concat())
}

proptest! {
    #![proptest_config(ProptestConfig { cases: crate::support::cases(200), failure_persistence: None, ..ProptestConfig::default() })]

    #[test]
    fn the_loader_never_panics(unit in yamlish(), edition_tail in yamlish()) {
        let dir = mini(None);
        let root = dir.path().join("mini");
        fs::write(root.join("units/alfa.yaml"), &unit).unwrap();
        let edition = fs::read_to_string(root.join("edition.yaml")).unwrap();
        fs::write(root.join("edition.yaml"), format!("{edition}{edition_tail}")).unwrap();
        let loaded = korpsmonitor::data::load::load(&root);
        if let Some(e) = loaded.edition {
            let problems = korpsmonitor::data::validate::validate(&e);
            if !problems.iter().any(|d| d.is_error()) {
                let scored = korpsmonitor::figures::score::score(e);
                let _ = korpsmonitor::render::letter::check(&scored);
            }
        }
    }
}
