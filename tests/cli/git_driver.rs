//! The git diff driver under real git: a repository holding an edition and
//! a history with every kind of change git hands an external diff command
//! (an edit, a rename, a copy, a mode change, an added, a deleted and a
//! binary file, a file with conflict markers, an unmerged path), read with
//! `git diff`, `git log -p --ext-diff` and `git show --ext-diff`. git must
//! exit 0 and show every file, those after the problem ones included.
//!
//! git runs without the system's or the user's configuration
//! (`GIT_CONFIG_NOSYSTEM`, a temporary `HOME`), without hooks, with a fixed
//! identity and fixed dates. Without git the test says so and returns.

use std::fs;
use std::os::unix::fs::PermissionsExt;
use std::path::Path;
use std::process::Command;

use crate::support::mini;

/// Runs git in `dir`, isolated from the machine's configuration; returns
/// (exit code, stdout, stderr).
fn git_run(dir: &Path, home: &Path, args: &[&str]) -> (i32, String, String) {
    let out = Command::new("git")
        .args([
            "-c",
            "core.hooksPath=/dev/null",
            "-c",
            "user.name=t",
            "-c",
            "user.email=t@t",
            "-c",
            "init.defaultBranch=main",
            "-c",
            "commit.gpgSign=false",
        ])
        .args(args)
        .current_dir(dir)
        .env("GIT_CONFIG_NOSYSTEM", "1")
        .env("HOME", home)
        .env_remove("XDG_CONFIG_HOME")
        .env_remove("GIT_CONFIG_GLOBAL")
        .env_remove("GIT_DIR")
        .env_remove("GIT_WORK_TREE")
        .env_remove("GIT_INDEX_FILE")
        .env_remove("GIT_EXTERNAL_DIFF")
        .env("GIT_AUTHOR_DATE", "2030-01-01T12:00:00Z")
        .env("GIT_COMMITTER_DATE", "2030-01-01T12:00:00Z")
        .output()
        .unwrap();
    (
        out.status.code().unwrap_or(-1),
        String::from_utf8_lossy(&out.stdout).into_owned(),
        String::from_utf8_lossy(&out.stderr).into_owned(),
    )
}

/// Whether git can run here.
/// Whether git is here; when KORPSMONITOR_REQUIRE_TOOLS is set (CI), its
/// absence fails the test instead of skipping it.
fn have_git() -> bool {
    let here = Command::new("git").arg("--version").output().is_ok();
    assert!(
        here || std::env::var_os("KORPSMONITOR_REQUIRE_TOOLS").is_none(),
        "git is required (KORPSMONITOR_REQUIRE_TOOLS) but not found"
    );
    here
}

/// A repository in `dir` holding `mini` with the driver configured.
struct Repo<'a> {
    dir: &'a Path,
    home: &'a Path,
}

impl Repo<'_> {
    /// Runs git and requires it to succeed; returns its stdout.
    fn git(&self, args: &[&str]) -> String {
        let (code, out, err) = git_run(self.dir, self.home, args);
        assert_eq!(code, 0, "git {args:?} exited {code}:\n{err}\n{out}");
        out
    }

    /// Commits everything, returns the commit id.
    fn commit(&self, message: &str) -> String {
        self.git(&["add", "-A"]);
        self.git(&["commit", "-qm", message]);
        self.git(&["rev-parse", "HEAD"]).trim().to_string()
    }

    /// Replaces `from` by `to` in the file `rel`, which must hold `from`.
    fn edit(&self, rel: &str, from: &str, to: &str) {
        let p = self.dir.join(rel);
        let text = fs::read_to_string(&p).unwrap();
        assert!(text.contains(from), "{rel} has no {from:?}");
        fs::write(&p, text.replacen(from, to, 1)).unwrap();
    }
}

/// The commits of the history, each one kind of change.
struct History {
    start: String,
    edit: String,
    rename: String,
    copy: String,
    conflict: String,
}

fn make_history(r: &Repo) -> History {
    let driver = format!("{} git-diff-driver", env!("CARGO_BIN_EXE_korpsmonitor"));
    r.git(&["init", "-q"]);
    r.git(&["config", "diff.korpsmonitor.command", &driver]);
    fs::write(
        r.dir.join(".gitattributes"),
        "*/units/*.yaml diff=korpsmonitor\n*/edition.yaml diff=korpsmonitor\n*/letter.yaml diff=korpsmonitor\n",
    )
    .unwrap();
    fs::write(r.dir.join("mini/units/blob.yaml"), b"\x00\x01binary\x00").unwrap();
    let start = r.commit("start");
    r.edit(
        "mini/units/alfa.yaml",
        "Goed toezicht.",
        "Redelijk toezicht.",
    );
    let edit = r.commit("plain edit");
    r.git(&["mv", "mini/units/beta.yaml", "mini/units/bravo.yaml"]);
    r.edit(
        "mini/units/bravo.yaml",
        "Matig toezicht.",
        "Wisselend toezicht.",
    );
    let rename = r.commit("rename");
    fs::copy(
        r.dir.join("mini/units/gamma.yaml"),
        r.dir.join("mini/units/gamma2.yaml"),
    )
    .unwrap();
    r.edit("mini/units/gamma2.yaml", "name: Gamma", "name: Gamma-Twee");
    let copy = r.commit("copy");
    let alfa = r.dir.join("mini/units/alfa.yaml");
    fs::set_permissions(&alfa, fs::Permissions::from_mode(0o755)).unwrap();
    r.commit("mode");
    let zulu = fs::read_to_string(r.dir.join("mini/units/gamma.yaml"))
        .unwrap()
        .replace("id: gamma", "id: zulu")
        .replace("name: Gamma", "name: Zulu");
    fs::write(r.dir.join("mini/units/zulu.yaml"), zulu).unwrap();
    r.commit("add");
    fs::remove_file(r.dir.join("mini/units/gamma2.yaml")).unwrap();
    r.commit("delete");
    fs::write(r.dir.join("mini/units/blob.yaml"), b"\x00\x02binary\x00").unwrap();
    r.commit("binary");
    // Conflict markers committed by mistake, and an edit of a later file.
    r.edit(
        "mini/units/alfa.yaml",
        "    findings: Redelijk toezicht.\n",
        "<<<<<<< HEAD\n    findings: Redelijk toezicht.\n=======\n    findings: Slecht toezicht.\n>>>>>>> other\n",
    );
    r.edit("mini/units/zulu.yaml", "name: Zulu", "name: Zulu-Oost");
    let conflict = r.commit("conflict");
    History {
        start,
        edit,
        rename,
        copy,
        conflict,
    }
}

/// Requires every text of `needles` in `out`.
fn holds(out: &str, needles: &[&str]) {
    for n in needles {
        assert!(out.contains(n), "no {n:?} in\n{out}");
    }
}

const CONFLICT_NOTE: &str = "note: no semantic diff of mini/units/alfa.yaml: \
                             the new version has a merge conflict marker on line";

#[test]
fn git_shows_every_kind_of_change_through_the_driver() {
    if !have_git() {
        eprintln!("skipped: git not found");
        return;
    }
    let dir = mini(None);
    let home = tempfile::tempdir().unwrap();
    let r = Repo {
        dir: dir.path(),
        home: home.path(),
    };
    let h = make_history(&r);

    // The whole range: the problem files come before bravo.yaml and
    // zulu.yaml in git's order, which must still be shown.
    let out = r.git(&["diff", "-M", &h.start, &h.conflict]);
    holds(
        &out,
        &[
            CONFLICT_NOTE,
            "+<<<<<<< HEAD",
            "note: no semantic diff of mini/units/blob.yaml: binary content",
            "Binary files a/mini/units/blob.yaml and b/mini/units/blob.yaml differ",
            "renamed from mini/units/beta.yaml to mini/units/bravo.yaml (similarity index",
            "findings toezicht: [-Matig-]{+Wisselend+} toezicht.",
            "mode of mini/units/alfa.yaml changed from 100644 to 100755",
            "new file mini/units/zulu.yaml (mode 100644)",
            "New units: Zulu-Oost",
        ],
    );

    let out = r.git(&["diff", "-C", "--find-copies-harder", &h.rename, &h.copy]);
    holds(
        &out,
        &[
            "copied from mini/units/gamma.yaml to mini/units/gamma2.yaml (similarity index",
            "name: Gamma -> Gamma-Twee",
        ],
    );

    let out = r.git(&["log", "-p", "--ext-diff"]);
    holds(
        &out,
        &[
            "findings toezicht: [-Goed-]{+Redelijk+} toezicht.",
            "renamed from mini/units/beta.yaml to mini/units/bravo.yaml",
            "findings toezicht: [-Matig-]{+Wisselend+} toezicht.",
            "new file mini/units/gamma2.yaml",
            "mini/units/alfa.yaml: content unchanged",
            "new file mini/units/zulu.yaml",
            "deleted file mini/units/gamma2.yaml (mode 100644)",
            "Units no longer assessed: Gamma-Twee",
            "Binary files a/mini/units/blob.yaml and b/mini/units/blob.yaml differ",
            CONFLICT_NOTE,
            "name: Zulu -> Zulu-Oost",
        ],
    );

    let out = r.git(&["show", "--ext-diff", &h.conflict]);
    holds(
        &out,
        &[CONFLICT_NOTE, "+>>>>>>> other", "name: Zulu -> Zulu-Oost"],
    );
    let out = r.git(&["show", "--ext-diff", &h.rename]);
    holds(
        &out,
        &[
            "renamed from mini/units/beta.yaml to mini/units/bravo.yaml",
            "findings toezicht: [-Matig-]{+Wisselend+} toezicht.",
        ],
    );

    // Without --ext-diff, git log and git show print the line diff.
    let out = r.git(&["log", "-p", "-1", &h.edit]);
    holds(&out, &["-    findings: Goed toezicht."]);
    assert!(!out.contains("[-Goed-]"), "{out}");
    let out = r.git(&["show", &h.edit]);
    assert!(!out.contains("[-Goed-]"), "{out}");
}

#[test]
fn git_diff_of_an_unmerged_path_goes_on() {
    if !have_git() {
        eprintln!("skipped: git not found");
        return;
    }
    let dir = mini(None);
    let home = tempfile::tempdir().unwrap();
    let r = Repo {
        dir: dir.path(),
        home: home.path(),
    };
    make_history(&r);
    // A unit file after the unmerged one in git's order.
    let zz = fs::read_to_string(r.dir.join("mini/units/gamma.yaml"))
        .unwrap()
        .replace("id: gamma", "id: zz")
        .replace("name: Gamma", "name: Zz");
    fs::write(r.dir.join("mini/units/zz.yaml"), zz).unwrap();
    r.commit("zz");
    r.git(&["checkout", "-q", "-b", "other"]);
    r.edit("mini/units/zulu.yaml", "name: Zulu-Oost", "name: Zulu-West");
    r.commit("west");
    r.git(&["checkout", "-q", "main"]);
    r.edit(
        "mini/units/zulu.yaml",
        "name: Zulu-Oost",
        "name: Zulu-Noord",
    );
    r.commit("noord");
    let (code, _, _) = git_run(r.dir, r.home, &["merge", "-q", "other"]);
    assert_ne!(code, 0, "the merge was meant to conflict");
    r.edit("mini/units/zz.yaml", "name: Zz", "name: Zz-Zuid");
    r.git(&["add", "mini/units/zz.yaml"]);
    // The index against HEAD: git passes the unmerged path alone.
    let out = r.git(&["diff", "--cached"]);
    holds(
        &out,
        &[
            "note: mini/units/zulu.yaml is unmerged",
            "name: Zz -> Zz-Zuid",
        ],
    );
    // The working tree against HEAD: the file with its conflict markers.
    let out = r.git(&["diff", "HEAD"]);
    holds(
        &out,
        &[
            "note: no semantic diff of mini/units/zulu.yaml: the new version has a merge \
             conflict marker on line",
            "+>>>>>>> other",
            "name: Zz -> Zz-Zuid",
        ],
    );
}

#[test]
fn any_arguments_give_a_note_and_exit_0() {
    let dir = mini(None);
    let alfa = "mini/units/alfa.yaml";
    let cases: &[(&[&str], &str)] = &[
        (
            &[],
            "takes 1, 7 or 9 arguments (git help git, GIT_EXTERNAL_DIFF), got 0",
        ),
        (&["a", "b"], "got 2"),
        (&["--help"], "note: --help is unmerged"),
        (
            &["-x/units/a.yaml", alfa, ".", "100644", alfa, ".", "100644"],
            "-x/units/a.yaml: content unchanged",
        ),
        (
            &[
                "mini/units/a.yaml",
                "/dev/null",
                ".",
                ".",
                "/dev/null",
                ".",
                ".",
            ],
            "mini/units/a.yaml: no semantic changes",
        ),
    ];
    for (args, expect) in cases {
        let mut all = vec!["git-diff-driver"];
        all.extend_from_slice(args);
        let r = crate::support::run(dir.path(), &all);
        assert_eq!(r.code, 0, "{args:?}: {}{}", r.stdout, r.stderr);
        assert!(
            r.stdout.contains(expect),
            "{args:?}: no {expect:?} in\n{}",
            r.stdout
        );
    }
}
