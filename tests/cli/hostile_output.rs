//! Hostile faults on the output side: a build deletes only what it wrote,
//! writes all documents or none, gives files the umask's modes, cleans up
//! after a killed run, and keeps the previous set when the disk is full.

use std::fs;
use std::os::unix::fs::PermissionsExt;
use std::path::{Path, PathBuf};
use std::process::Command;
use std::time::Duration;

use crate::hostile_cases::run_limited;
use crate::support::{mini, run};

const LIMIT: Duration = Duration::from_secs(120);

fn build(dir: &Path, extra: &[&str]) -> crate::hostile_cases::Limited {
    let mut args = vec!["build", "mini"];
    args.extend_from_slice(extra);
    run_limited(dir, &args, LIMIT)
}

/// Every file below `dir` with its bytes.
fn snapshot(dir: &Path) -> Vec<(PathBuf, Vec<u8>)> {
    let mut out = Vec::new();
    let mut stack = vec![dir.to_path_buf()];
    while let Some(d) = stack.pop() {
        for e in fs::read_dir(&d).unwrap().flatten() {
            if e.file_type().unwrap().is_dir() {
                stack.push(e.path());
            } else {
                out.push((e.path(), fs::read(e.path()).unwrap_or_default()));
            }
        }
    }
    out.sort();
    out
}

fn temps(dir: &Path) -> Vec<PathBuf> {
    snapshot(dir)
        .into_iter()
        .map(|(p, _)| p)
        .filter(|p| {
            p.file_name()
                .is_some_and(|n| n.to_string_lossy().starts_with(".korpsmonitor-tmp-"))
        })
        .collect()
}

/// Makes beta conform norm, so that it no longer gets a letter.
fn beta_conform(dir: &Path) {
    let p = dir.join("mini/units/beta.yaml");
    let text = fs::read_to_string(&p)
        .unwrap()
        .replace("onderzoek: 1", "onderzoek: 5");
    fs::write(p, text).unwrap();
}

#[test]
fn only_letters_a_build_wrote_are_removed() {
    let dir = mini(None);
    assert_eq!(build(dir.path(), &[]).code, 0);
    let letters = dir.path().join("output/2030/brieven");
    assert!(letters.join("beta.pdf").is_file());
    // A user's PDF looks like a stale letter but was never written here.
    fs::write(letters.join("notities.pdf"), "van een collega").unwrap();
    beta_conform(dir.path());
    let r = build(dir.path(), &[]);
    assert_eq!(r.code, 0, "{}", r.stderr);
    assert!(
        r.stdout.contains("beta.pdf (no longer due)"),
        "{}",
        r.stdout
    );
    assert!(!letters.join("beta.pdf").exists());
    assert_eq!(
        fs::read_to_string(letters.join("notities.pdf")).unwrap(),
        "van een collega"
    );
    let manifest =
        fs::read_to_string(dir.path().join("output/2030/.korpsmonitor-manifest")).unwrap();
    assert!(!manifest.contains("beta.pdf"), "{manifest}");
    assert!(manifest.contains("brieven/gamma.pdf"), "{manifest}");
    assert!(!manifest.contains("notities"), "{manifest}");
}

#[test]
fn a_letter_changed_since_it_was_written_is_kept_when_no_longer_due() {
    let dir = mini(None);
    assert_eq!(build(dir.path(), &[]).code, 0);
    let letters = dir.path().join("output/2030/brieven");
    // A signed copy saved over the letter a build wrote.
    fs::write(letters.join("beta.pdf"), "getekend exemplaar").unwrap();
    beta_conform(dir.path());
    let r = build(dir.path(), &[]);
    assert_eq!(r.code, 0, "{}", r.stderr);
    assert!(
        r.stderr.contains(
            "kept output/2030/brieven/beta.pdf: no longer due, but changed since it was written"
        ),
        "{}",
        r.stderr
    );
    assert_eq!(
        fs::read_to_string(letters.join("beta.pdf")).unwrap(),
        "getekend exemplaar"
    );
    let manifest =
        fs::read_to_string(dir.path().join("output/2030/.korpsmonitor-manifest")).unwrap();
    assert!(!manifest.contains("beta.pdf"), "{manifest}");
}

#[test]
fn a_linked_letters_folder_is_refused_and_nothing_is_deleted_there() {
    let dir = mini(None);
    assert_eq!(build(dir.path(), &["--only", "report"]).code, 0);
    let elsewhere = dir.path().join("elsewhere");
    fs::create_dir(&elsewhere).unwrap();
    fs::write(elsewhere.join("beta.pdf"), "niet van ons").unwrap();
    fs::write(elsewhere.join("delta.pdf"), "ook niet").unwrap();
    std::os::unix::fs::symlink(&elsewhere, dir.path().join("output/2030/brieven")).unwrap();
    let r = build(dir.path(), &[]);
    assert_eq!(r.code, 1, "{}", r.stderr);
    assert!(
        r.stderr.contains("brieven is a symbolic link"),
        "{}",
        r.stderr
    );
    assert_eq!(
        fs::read_to_string(elsewhere.join("beta.pdf")).unwrap(),
        "niet van ons"
    );
    assert_eq!(
        fs::read_to_string(elsewhere.join("delta.pdf")).unwrap(),
        "ook niet"
    );
}

#[test]
fn a_linked_year_folder_is_refused() {
    let dir = mini(None);
    let elsewhere = dir.path().join("elsewhere");
    fs::create_dir_all(&elsewhere).unwrap();
    fs::create_dir_all(dir.path().join("output")).unwrap();
    std::os::unix::fs::symlink(&elsewhere, dir.path().join("output/2030")).unwrap();
    let r = build(dir.path(), &["--only", "report"]);
    assert_eq!(r.code, 1, "{}", r.stderr);
    assert!(r.stderr.contains("2030 is a symbolic link"), "{}", r.stderr);
    assert_eq!(fs::read_dir(&elsewhere).unwrap().count(), 0);
}

#[test]
fn a_linked_emit_typst_subfolder_is_refused() {
    let dir = mini(None);
    let elsewhere = dir.path().join("elsewhere");
    fs::create_dir_all(&elsewhere).unwrap();
    fs::create_dir_all(dir.path().join("typ")).unwrap();
    std::os::unix::fs::symlink(&elsewhere, dir.path().join("typ/brieven")).unwrap();
    let r = build(dir.path(), &["--emit-typst", "typ"]);
    assert_eq!(r.code, 1, "{}", r.stderr);
    assert!(
        r.stderr.contains("brieven is a symbolic link"),
        "{}",
        r.stderr
    );
    assert_eq!(fs::read_dir(&elsewhere).unwrap().count(), 0);
}

#[test]
fn a_build_writes_all_documents_or_none() {
    let dir = mini(None);
    assert_eq!(build(dir.path(), &[]).code, 0);
    let out = dir.path().join("output/2030");
    let before = snapshot(&out);
    // One letter cannot be written: its place is taken by a folder.
    fs::remove_file(out.join("brieven/gamma.pdf")).unwrap();
    fs::create_dir(out.join("brieven/gamma.pdf")).unwrap();
    let edition = dir.path().join("mini/edition.yaml");
    let text = fs::read_to_string(&edition).unwrap().replace(
        "title: Korpsmonitor testuitgave 2030",
        "title: Nieuwe titel",
    );
    fs::write(&edition, text).unwrap();
    let r = build(dir.path(), &[]);
    assert_eq!(r.code, 1, "{}", r.stderr);
    assert!(r.stderr.contains("gamma.pdf"), "{}", r.stderr);
    // The report and the other letters are the previous ones.
    let after = snapshot(&out);
    for (path, bytes) in &before {
        if path.ends_with("gamma.pdf") {
            continue;
        }
        let now = after.iter().find(|(p, _)| p == path).map(|(_, b)| b);
        assert_eq!(now, Some(bytes), "{} changed", path.display());
    }
    assert!(temps(&out).is_empty(), "{:?}", temps(&out));
}

fn build_with_umask(dir: &Path, mask: &str) -> i32 {
    Command::new("sh")
        .arg("-c")
        .arg(format!(
            "umask {mask}; exec \"$0\" build mini --only report"
        ))
        .arg(env!("CARGO_BIN_EXE_korpsmonitor"))
        .current_dir(dir)
        .output()
        .unwrap()
        .status
        .code()
        .unwrap_or(-1)
}

fn mode(p: &Path) -> u32 {
    fs::metadata(p).unwrap().permissions().mode() & 0o777
}

#[test]
fn files_and_folders_get_the_modes_of_the_umask() {
    let dir = mini(None);
    assert_eq!(build_with_umask(dir.path(), "022"), 0);
    let out = dir.path().join("output/2030");
    assert_eq!(mode(&out.join("korpsmonitor-2030.pdf")), 0o644);
    assert_eq!(mode(&out), 0o755);
    assert_eq!(mode(&dir.path().join("output")), 0o755);
    // A rebuild under another umask gives the new file that umask's mode.
    assert_eq!(build_with_umask(dir.path(), "077"), 0);
    assert_eq!(mode(&out.join("korpsmonitor-2030.pdf")), 0o600);
    assert_eq!(build_with_umask(dir.path(), "002"), 0);
    assert_eq!(mode(&out.join("korpsmonitor-2030.pdf")), 0o664);
}

#[test]
fn fmt_keeps_a_files_mode() {
    let dir = mini(None);
    let unit = dir.path().join("mini/units/alfa.yaml");
    let text = fs::read_to_string(&unit).unwrap();
    // Not canonical: the name before the id.
    let messy = text.replacen("id: alfa\nname: Alfa\n", "name: Alfa\nid: alfa\n", 1);
    assert_ne!(messy, text);
    fs::write(&unit, &messy).unwrap();
    fs::set_permissions(&unit, fs::Permissions::from_mode(0o640)).unwrap();
    let r = run(dir.path(), &["fmt", "mini"]);
    assert_eq!(r.code, 0, "{}", r.stderr);
    assert!(
        r.stdout.contains("formatted mini/units/alfa.yaml"),
        "{}",
        r.stdout
    );
    assert!(
        fs::read_to_string(&unit)
            .unwrap()
            .starts_with("id: alfa\nname: Alfa\n")
    );
    assert_eq!(mode(&unit), 0o640);
}

/// `fmt` as another user than the files' owner: as root (CI), through
/// `setpriv` as nobody; otherwise as the user running the tests.
fn fmt_as_other_user(dir: &Path) -> Option<crate::support::Run> {
    // SAFETY: geteuid has no preconditions.
    let root = unsafe { libc::geteuid() } == 0;
    if !root {
        return Some(run(dir, &["fmt", "mini"]));
    }
    let exe = env!("CARGO_BIN_EXE_korpsmonitor");
    let out = Command::new("setpriv")
        .args([
            "--reuid=65534",
            "--regid=65534",
            "--clear-groups",
            exe,
            "fmt",
            "mini",
        ])
        .current_dir(dir)
        .output();
    match out {
        Ok(o) => Some(crate::support::Run {
            code: o.status.code().unwrap_or(-1),
            stdout: String::from_utf8_lossy(&o.stdout).into_owned(),
            stderr: String::from_utf8_lossy(&o.stderr).into_owned(),
        }),
        Err(_) => {
            assert!(
                std::env::var("KORPSMONITOR_REQUIRE_TOOLS").as_deref() != Ok("1"),
                "setpriv is missing, and KORPSMONITOR_REQUIRE_TOOLS=1"
            );
            eprintln!(
                "SKIPPED: running as root without setpriv; the read-only fmt test did not run"
            );
            None
        }
    }
}

#[test]
fn fmt_never_replaces_a_file_its_user_may_not_write() {
    let dir = mini(None);
    let unit = dir.path().join("mini/units/alfa.yaml");
    let text = fs::read_to_string(&unit).unwrap();
    let messy = text.replacen("id: alfa\nname: Alfa\n", "name: Alfa\nid: alfa\n", 1);
    fs::write(&unit, &messy).unwrap();
    // A shared folder anyone may write in, and a read-only file in it.
    for p in [
        dir.path(),
        &dir.path().join("mini"),
        &dir.path().join("mini/units"),
    ] {
        fs::set_permissions(p, fs::Permissions::from_mode(0o777)).unwrap();
    }
    for f in [
        "edition.yaml",
        "letter.yaml",
        "units/beta.yaml",
        "units/gamma.yaml",
    ] {
        fs::set_permissions(
            dir.path().join("mini").join(f),
            fs::Permissions::from_mode(0o666),
        )
        .unwrap();
    }
    fs::set_permissions(&unit, fs::Permissions::from_mode(0o444)).unwrap();
    let Some(r) = fmt_as_other_user(dir.path()) else {
        return;
    };
    assert_eq!(r.code, 1, "{}{}", r.stdout, r.stderr);
    assert!(
        r.stderr
            .contains("mini/units/alfa.yaml is read-only for you; it is not replaced"),
        "{}",
        r.stderr
    );
    assert_eq!(fs::read_to_string(&unit).unwrap(), messy);
    assert_eq!(mode(&unit), 0o444);
}

/// The pid of a process that has ended.
fn dead_pid() -> u32 {
    let mut child = Command::new("true").spawn().unwrap();
    let pid = child.id();
    child.wait().unwrap();
    pid
}

#[test]
fn temporary_files_of_a_killed_build_are_removed_by_the_next() {
    let dir = mini(None);
    assert_eq!(build(dir.path(), &[]).code, 0);
    let out = dir.path().join("output/2030");
    // What `kill -9` during the writing leaves: temporary files of a pid
    // that is gone, in both output folders.
    let pid = dead_pid();
    let left = [
        out.join(format!(".korpsmonitor-tmp-{pid}-0-korpsmonitor-2030.pdf")),
        out.join(format!(
            ".korpsmonitor-tmp-{pid}-3-old-aanbiedingsbrief-2030.pdf"
        )),
        out.join(format!("brieven/.korpsmonitor-tmp-{pid}-1-beta.pdf")),
    ];
    for p in &left {
        fs::write(p, b"%PDF-1.7 half").unwrap();
    }
    // A file of someone else's that merely looks alike stays.
    fs::write(out.join(".korpsmonitor-tmp-notes"), "x").unwrap();
    // And a real kill -9 while the build runs.
    let mut child = Command::new(env!("CARGO_BIN_EXE_korpsmonitor"))
        .args(["build", "mini"])
        .current_dir(dir.path())
        .stdout(std::process::Stdio::null())
        .stderr(std::process::Stdio::null())
        .spawn()
        .unwrap();
    let start = std::time::Instant::now();
    while start.elapsed() < Duration::from_secs(60) {
        if !temps(&out)
            .iter()
            .all(|p| left.contains(p) || p.ends_with(".korpsmonitor-tmp-notes"))
        {
            break;
        }
        if child.try_wait().unwrap().is_some() {
            break;
        }
        std::thread::sleep(Duration::from_millis(1));
    }
    let _ = child.kill();
    let _ = child.wait();
    let r = build(dir.path(), &[]);
    assert_eq!(r.code, 0, "{}", r.stderr);
    let remaining = temps(&out);
    assert_eq!(
        remaining,
        vec![out.join(".korpsmonitor-tmp-notes")],
        "temporary files left"
    );
    lopdf::Document::load(out.join("korpsmonitor-2030.pdf")).expect("a complete PDF");
}

/// Mounts a tmpfs of `kib` KiB at `at`; false (with a message) where the
/// machine does not allow it, unless KORPSMONITOR_REQUIRE_TOOLS=1.
fn mount_tmpfs(at: &Path, kib: u64) -> bool {
    fs::create_dir_all(at).unwrap();
    let ok = Command::new("mount")
        .args(["-t", "tmpfs", "-o", &format!("size={kib}k"), "tmpfs"])
        .arg(at)
        .output()
        .is_ok_and(|o| o.status.success());
    if !ok {
        assert!(
            std::env::var("KORPSMONITOR_REQUIRE_TOOLS").as_deref() != Ok("1"),
            "cannot mount a tmpfs (needs root), and KORPSMONITOR_REQUIRE_TOOLS=1"
        );
        eprintln!(
            "SKIPPED: cannot mount a tmpfs here (needs root); the disk-full test did not run"
        );
    }
    ok
}

struct Unmount(PathBuf);

impl Drop for Unmount {
    fn drop(&mut self) {
        let _ = Command::new("umount").arg(&self.0).status();
    }
}

#[test]
fn a_full_disk_keeps_the_previous_documents_and_leaves_nothing_behind() {
    let dir = mini(None);
    assert_eq!(build(dir.path(), &["--output", "plain"]).code, 0);
    let plain = dir.path().join("plain/2030");
    let size: u64 = snapshot(&plain).iter().map(|(_, b)| b.len() as u64).sum();
    // Room for the previous set and a third of another: the new set's
    // temporary files cannot all be written.
    let mnt = dir.path().join("small");
    if !mount_tmpfs(&mnt, (size + size / 3) / 1024 + 8) {
        return;
    }
    let _guard = Unmount(mnt.clone());
    crate::support::copy_dir(&dir.path().join("plain"), &mnt);
    let out = mnt.join("2030");
    let before = snapshot(&out);
    beta_conform(dir.path());
    let edition = dir.path().join("mini/edition.yaml");
    let text = fs::read_to_string(&edition).unwrap().replace(
        "title: Korpsmonitor testuitgave 2030",
        "title: Een andere titel",
    );
    fs::write(&edition, text).unwrap();
    let r = build(dir.path(), &["--output", mnt.to_str().unwrap()]);
    assert_eq!(r.code, 1, "{}", r.stderr);
    assert!(r.stderr.contains("No space left"), "{}", r.stderr);
    assert_eq!(snapshot(&out), before, "the previous documents changed");
    assert!(temps(&out).is_empty());
}

#[test]
fn output_on_another_file_system_is_written_in_place() {
    let dir = mini(None);
    let mnt = dir.path().join("other");
    if !mount_tmpfs(&mnt, 16 * 1024) {
        return;
    }
    let _guard = Unmount(mnt.clone());
    let r = build(dir.path(), &["--output", mnt.to_str().unwrap()]);
    assert_eq!(r.code, 0, "{}", r.stderr);
    let r = build(dir.path(), &["--output", mnt.to_str().unwrap()]);
    assert_eq!(r.code, 0, "{}", r.stderr);
    let out = mnt.join("2030");
    assert!(temps(&out).is_empty());
    lopdf::Document::load(out.join("korpsmonitor-2030.pdf")).expect("a complete PDF");
    assert_eq!(
        mode(&out.join("korpsmonitor-2030.pdf")) & 0o044,
        0o044 & !umask_now()
    );
}

/// This process's umask (Linux).
fn umask_now() -> u32 {
    let status = fs::read_to_string("/proc/self/status").unwrap();
    let line = status.lines().find(|l| l.starts_with("Umask:")).unwrap();
    u32::from_str_radix(line["Umask:".len()..].trim(), 8).unwrap()
}

#[test]
fn a_killed_fmt_leaves_nothing_the_next_fmt_keeps() {
    let dir = mini(None);
    let pid = dead_pid();
    let stale = dir
        .path()
        .join(format!("mini/units/.korpsmonitor-tmp-{pid}-0-alfa.yaml"));
    fs::write(&stale, "id: alf").unwrap();
    let r = run(dir.path(), &["check", "mini"]);
    assert_eq!(r.code, 0, "{}", r.stderr);
    let r = run(dir.path(), &["fmt", "mini", "--check"]);
    assert!(!r.stdout.contains(".korpsmonitor-tmp"), "{}", r.stdout);
    assert!(stale.exists(), "--check changes nothing");
    let r = run(dir.path(), &["fmt", "mini"]);
    assert_eq!(r.code, 0, "{}", r.stderr);
    assert!(!stale.exists());
}

/// The documents of `dir/output/2030` (the program's own dot files left
/// out) with their bytes, by path below it.
fn documents(dir: &Path) -> Vec<(PathBuf, Vec<u8>)> {
    let out = dir.join("output/2030");
    snapshot(&out)
        .into_iter()
        .filter(|(p, _)| {
            !p.file_name()
                .is_some_and(|n| n.to_string_lossy().starts_with(".korpsmonitor"))
        })
        .map(|(p, b)| (p.strip_prefix(&out).unwrap().to_path_buf(), b))
        .collect()
}

#[test]
fn a_build_killed_at_each_step_of_its_switch_is_completed_by_the_next() {
    // The set of the first build (old), and of the edited data (new), each
    // built once without a fault.
    let base = mini(None);
    assert_eq!(run(base.path(), &["build", "mini"]).code, 0);
    let old = documents(base.path());
    let edit = |dir: &Path| {
        let p = dir.join("mini/edition.yaml");
        let text = fs::read_to_string(&p).unwrap().replace(
            "title: Korpsmonitor testuitgave 2030",
            "title: Korpsmonitor proefuitgave 2030",
        );
        fs::write(p, text).unwrap();
        beta_conform(dir);
    };
    let reference = tempfile::tempdir().unwrap();
    crate::support::copy_dir(base.path(), reference.path());
    edit(reference.path());
    assert_eq!(run(reference.path(), &["build", "mini"]).code, 0);
    let new = documents(reference.path());
    assert_ne!(old, new);
    let was =
        |set: &[(PathBuf, Vec<u8>)], p: &Path, b: &[u8]| set.iter().any(|(q, c)| q == p && c == b);
    // A kill before the first rename, after each rename, and after the
    // last (before the journal is removed).
    let files = new.len();
    for n in 0..=files {
        let dir = tempfile::tempdir().unwrap();
        crate::support::copy_dir(base.path(), dir.path());
        edit(dir.path());
        let killed = Command::new(env!("CARGO_BIN_EXE_korpsmonitor"))
            .args(["build", "mini"])
            .current_dir(dir.path())
            .env("KORPSMONITOR_FAULT_AFTER_RENAMES", n.to_string())
            .output()
            .unwrap();
        assert!(
            !killed.status.success(),
            "step {n}: the build was not stopped"
        );
        // Mid-switch, the journal says so, and each document is whole: the
        // old one or the new one, never a mix within a file.
        assert!(
            dir.path()
                .join("output/2030/.korpsmonitor-switch")
                .is_file(),
            "step {n}: no journal"
        );
        for (p, b) in documents(dir.path()) {
            assert!(
                was(&old, &p, &b) || was(&new, &p, &b),
                "step {n}: {} is neither the old nor the new document",
                p.display()
            );
        }
        // The next build completes the set: exactly the new documents, no
        // journal, no temporary file.
        let r = run(dir.path(), &["build", "mini"]);
        assert_eq!(r.code, 0, "step {n}: {}", r.stderr);
        assert_eq!(documents(dir.path()), new, "step {n}");
        assert!(!dir.path().join("output/2030/.korpsmonitor-switch").exists());
        assert!(
            temps(dir.path()).is_empty(),
            "step {n}: {:?}",
            temps(dir.path())
        );
    }
}
