//! `watch`: a change rebuilds, an error is shown and the watch goes on.

use std::io::{BufRead, BufReader};
use std::path::Path;
use std::process::{Child, Command, Stdio};
use std::sync::mpsc;
use std::time::Duration;

use crate::support::{font_folder, mini, root};

/// A running `korpsmonitor watch` whose stderr is read line by line.
struct Watch {
    child: Child,
    lines: mpsc::Receiver<String>,
}

impl Watch {
    fn start(dir: &Path, args: &[&str]) -> Watch {
        let mut child = Command::new(env!("CARGO_BIN_EXE_korpsmonitor"))
            .arg("watch")
            .args(args)
            .current_dir(dir)
            .stderr(Stdio::piped())
            .stdout(Stdio::null())
            .spawn()
            .unwrap();
        let (tx, lines) = mpsc::channel();
        let stderr = child.stderr.take().unwrap();
        std::thread::spawn(move || {
            for line in BufReader::new(stderr).lines().map_while(Result::ok) {
                let _ = tx.send(line);
            }
        });
        Watch { child, lines }
    }

    /// The lines up to and including the first that contains `needle`.
    fn wait_for(&self, needle: &str) -> String {
        let mut seen = String::new();
        loop {
            match self.lines.recv_timeout(Duration::from_secs(60)) {
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
    }
}

impl Drop for Watch {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

#[test]
fn a_change_rebuilds_and_an_error_does_not_stop_the_watch() {
    let dir = mini(None);
    let watch = Watch::start(dir.path(), &["mini"]);
    let wait_for = |needle: &str| watch.wait_for(needle);
    wait_for("[start] rebuilt 5 documents");
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
    wait_for("[alfa.yaml] rebuilt 5 documents");
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
    let out = wait_for("rebuilt 5 documents");
    assert!(out.contains("[alfa.yaml] rebuilt"), "{out}");
    assert!(!out.contains(".alfa.yaml.tmp"), "{out}");
    drop(watch);
    let report = crate::pdf::text(&dir.path().join("output/2030/korpsmonitor-2030.pdf"));
    assert!(report.contains("Voorbeeldig toezicht."), "{report}");
}

#[test]
fn a_new_font_rebuilds_with_it() {
    let dir = mini(None);
    let fonts = font_folder(dir.path(), "fonts", "NotoSans-Regular.ttf", "b.ttf");
    let watch = Watch::start(
        dir.path(),
        &["mini", "--only", "report", "--fonts", "fonts"],
    );
    watch.wait_for("[start] rebuilt 1 document");
    let pdf = dir.path().join("output/2030/korpsmonitor-2030.pdf");
    assert!(
        !crate::pdf::font_names(&pdf)
            .iter()
            .any(|n| n.starts_with("DejaVuSans"))
    );
    // A font that sorts first becomes the documents' font.
    std::fs::copy(root().join("fonts/DejaVuSans.ttf"), fonts.join("a.ttf")).unwrap();
    let out = watch.wait_for("rebuilt 1 document");
    assert!(out.contains("[a.ttf] rebuilt"), "{out}");
    drop(watch);
    let names = crate::pdf::font_names(&pdf);
    assert!(
        names.iter().any(|n| n.starts_with("DejaVuSans")),
        "{names:?}"
    );
}

#[test]
fn the_edition_folder_deleted_and_created_again_is_watched_again() {
    let dir = mini(None);
    let watch = Watch::start(dir.path(), &["mini", "--only", "report"]);
    watch.wait_for("[start] rebuilt 1 document");
    // As `git checkout` or an editor replacing the folder does.
    let edition = dir.path().join("mini");
    let saved = dir.path().join("saved");
    crate::support::copy_dir(&edition, &saved);
    std::fs::remove_dir_all(&edition).unwrap();
    watch.wait_for("build failed");
    std::fs::rename(&saved, &edition).unwrap();
    watch.wait_for("rebuilt 1 document");
    // And a change inside the new folder is seen.
    let unit = edition.join("units/alfa.yaml");
    let text = std::fs::read_to_string(&unit).unwrap();
    std::fs::write(&unit, text.replace("Goed toezicht.", "Hernieuwd toezicht.")).unwrap();
    // The old folder's removal can be reported late, after the new folder
    // is in place (the kernel reports a directory's deletion when its last
    // user lets go): the watch then watches the folder again and rebuilds
    // it as "[edition folder]", and a save in that moment is seen by that
    // rebuild rather than reported on its own. Either way, a rebuild after
    // the save shows it.
    let report = dir.path().join("output/2030/korpsmonitor-2030.pdf");
    let mut seen = String::new();
    loop {
        seen.push_str(&watch.wait_for("rebuilt 1 document"));
        if crate::pdf::text(&report).contains("Hernieuwd toezicht.") {
            break;
        }
        assert!(
            seen.lines().count() < 20,
            "the change never showed:\n{seen}"
        );
    }
    drop(watch);
}

#[test]
fn output_inside_the_edition_does_not_rebuild_endlessly() {
    let dir = mini(None);
    let watch = Watch::start(
        dir.path(),
        &["mini", "--output", "mini/uit", "--emit-typst", "mini/typst"],
    );
    watch.wait_for("[start] rebuilt 5 documents");
    assert!(dir.path().join("mini/typst/report.typ").is_file());
    // Nothing follows on its own: the next line is the rebuild of a change.
    std::thread::sleep(Duration::from_millis(1500));
    let unit = dir.path().join("mini/units/alfa.yaml");
    let text = std::fs::read_to_string(&unit).unwrap();
    std::fs::write(&unit, text.replace("Goed toezicht.", "Ander toezicht.")).unwrap();
    let out = watch.wait_for("rebuilt 5 documents");
    assert!(out.contains("[alfa.yaml] rebuilt"), "{out}");
    assert!(!out.contains("report.typ"), "{out}");
    // And then silence again.
    assert!(
        watch
            .lines
            .recv_timeout(Duration::from_millis(1500))
            .is_err(),
        "the watch rebuilt on its own output"
    );
}

#[test]
fn output_and_emitted_typst_around_the_edition_do_not_hide_its_edits() {
    let dir = mini(None);
    let watch = Watch::start(dir.path(), &["mini", "--output", ".", "--emit-typst", "."]);
    watch.wait_for("[start] rebuilt 5 documents");
    assert!(dir.path().join("2030/korpsmonitor-2030.pdf").is_file());
    let unit = dir.path().join("mini/units/alfa.yaml");
    let text = std::fs::read_to_string(&unit).unwrap();
    std::fs::write(&unit, text.replace("Goed toezicht.", "Ander toezicht.")).unwrap();
    let out = watch.wait_for("rebuilt 5 documents");
    assert!(out.contains("[alfa.yaml] rebuilt"), "{out}");
}

#[test]
fn a_fifo_for_edition_yaml_does_not_block_the_watch() {
    let dir = mini(None);
    crate::hostile_cases::fifo(dir.path(), "mini/edition.yaml");
    let watch = Watch::start(dir.path(), &["mini"]);
    let out = watch.wait_for("build failed");
    assert!(out.contains("edition.yaml is a FIFO"), "{out}");
}
