//! `watch`: a change rebuilds, an error is shown and the watch goes on.

use std::io::{BufRead, BufReader};
use std::process::{Command, Stdio};
use std::sync::mpsc;
use std::time::Duration;

use crate::support::mini;

#[test]
fn a_change_rebuilds_and_an_error_does_not_stop_the_watch() {
    let dir = mini(None);
    let mut child = Command::new(env!("CARGO_BIN_EXE_korpsmonitor"))
        .args(["watch", "mini"])
        .current_dir(dir.path())
        .stderr(Stdio::piped())
        .stdout(Stdio::null())
        .spawn()
        .unwrap();
    let (tx, rx) = mpsc::channel();
    let stderr = child.stderr.take().unwrap();
    std::thread::spawn(move || {
        for line in BufReader::new(stderr).lines().map_while(Result::ok) {
            let _ = tx.send(line);
        }
    });
    let wait_for = |needle: &str| -> String {
        let mut seen = String::new();
        loop {
            match rx.recv_timeout(Duration::from_secs(60)) {
                Ok(line) => {
                    seen.push_str(&line);
                    seen.push('\n');
                    if line.contains(needle) {
                        return seen;
                    }
                }
                Err(_) => panic!("no {needle:?} in:\n{seen}"),
            }
        }
    };
    wait_for("[start] rebuilt 4 documents");
    let unit = dir.path().join("mini/units/alfa.yaml");
    let text = std::fs::read_to_string(&unit).unwrap();
    std::fs::write(&unit, text.replace("name: Alfa", "nme: Alfa")).unwrap();
    let out = wait_for("build failed");
    assert!(out.contains("mini/units/alfa.yaml:2:1"), "{out}");
    std::fs::write(
        &unit,
        text.replace("Goed toezicht.", "Uitstekend toezicht."),
    )
    .unwrap();
    wait_for("[alfa.yaml] rebuilt 4 documents");
    let report = crate::pdf::text(&dir.path().join("output/2030/korpsmonitor-2030.pdf"));
    assert!(report.contains("Uitstekend toezicht."), "{report}");
    // An editor's atomic save: a hidden temporary file renamed into place.
    // The rename rebuilds (naming the unit file, not the temporary one).
    let tmp = dir.path().join("mini/units/.alfa.yaml.tmp");
    std::fs::write(
        &tmp,
        text.replace("Goed toezicht.", "Voorbeeldig toezicht."),
    )
    .unwrap();
    std::fs::rename(&tmp, &unit).unwrap();
    let out = wait_for("rebuilt 4 documents");
    assert!(out.contains("[alfa.yaml] rebuilt"), "{out}");
    assert!(!out.contains(".alfa.yaml.tmp"), "{out}");
    let _ = child.kill();
    let _ = child.wait();
    let report = crate::pdf::text(&dir.path().join("output/2030/korpsmonitor-2030.pdf"));
    assert!(report.contains("Voorbeeldig toezicht."), "{report}");
}
