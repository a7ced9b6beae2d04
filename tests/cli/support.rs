//! Helpers: copy fixtures into a temporary folder and run the binary there.

use std::fs;
use std::path::{Path, PathBuf};
use std::process::{Command, Output};

/// The repository root.
pub fn root() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
}

/// Copies a folder recursively.
pub fn copy_dir(from: &Path, to: &Path) {
    fs::create_dir_all(to).unwrap();
    for entry in fs::read_dir(from).unwrap() {
        let entry = entry.unwrap();
        let target = to.join(entry.file_name());
        if entry.file_type().unwrap().is_dir() {
            copy_dir(&entry.path(), &target);
        } else {
            fs::copy(entry.path(), target).unwrap();
        }
    }
}

/// A temporary work folder holding `mini` and `mini-prev`, with the files of
/// `tests/fixtures/invalid/<case>` laid over `mini` when a case is given.
pub fn mini(case: Option<&str>) -> tempfile::TempDir {
    let dir = tempfile::tempdir().unwrap();
    let fixtures = root().join("tests/fixtures");
    copy_dir(&fixtures.join("valid/mini"), &dir.path().join("mini"));
    copy_dir(
        &fixtures.join("valid/mini-prev"),
        &dir.path().join("mini-prev"),
    );
    if let Some(case) = case {
        copy_dir(
            &fixtures.join("invalid").join(case),
            &dir.path().join("mini"),
        );
    }
    dir
}

/// The result of one run.
pub struct Run {
    pub code: i32,
    pub stdout: String,
    pub stderr: String,
}

/// Runs the binary with `args` in `cwd`.
pub fn run(cwd: &Path, args: &[&str]) -> Run {
    let out: Output = Command::new(env!("CARGO_BIN_EXE_korpsmonitor"))
        .args(args)
        .current_dir(cwd)
        .env_remove("SOURCE_DATE_EPOCH")
        .output()
        .unwrap();
    Run {
        code: out.status.code().unwrap_or(-1),
        stdout: String::from_utf8_lossy(&out.stdout).into_owned(),
        stderr: String::from_utf8_lossy(&out.stderr).into_owned(),
    }
}

/// Builds the 2010 edition into `cwd/out` with `extra` arguments and
/// asserts that the build succeeded; returns the run.
pub fn build_2010(cwd: &Path, extra: &[&str]) -> Run {
    let data = root().join("data/2010");
    let mut args = vec!["build", data.to_str().unwrap(), "--output", "out"];
    args.extend_from_slice(extra);
    let r = run(cwd, &args);
    assert_eq!(r.code, 0, "{}", r.stderr);
    r
}

/// Property-test cases: `PROPTEST_CASES` when set, else `default`.
pub fn cases(default: u32) -> u32 {
    std::env::var("PROPTEST_CASES")
        .ok()
        .and_then(|v| v.parse().ok())
        .unwrap_or(default)
}

/// Runs git in `dir` with a fixed identity; panics on failure.
pub fn git(dir: &Path, args: &[&str]) -> String {
    let out = Command::new("git")
        .args(["-c", "user.name=t", "-c", "user.email=t@t"])
        .args(args)
        .current_dir(dir)
        .output()
        .unwrap();
    assert!(
        out.status.success(),
        "git {args:?}: {}",
        String::from_utf8_lossy(&out.stderr)
    );
    String::from_utf8_lossy(&out.stdout).into_owned()
}

/// Makes the folder `dir/name` holding a copy of the repository's font
/// `from` (a file in `fonts/`) named `to`; returns the folder.
pub fn font_folder(dir: &Path, name: &str, from: &str, to: &str) -> PathBuf {
    let folder = dir.join(name);
    fs::create_dir_all(&folder).unwrap();
    fs::copy(root().join("fonts").join(from), folder.join(to)).unwrap();
    folder
}

/// Says that the checks `what` were skipped because `missing` is not here
/// (on stderr, past the test harness's capture, so that it shows), or fails
/// when `KORPSMONITOR_REQUIRE_TOOLS=1` (as in CI), where nothing may be
/// skipped. Call it when an outside program is missing; then return.
pub fn skipped(what: &str, missing: &str) {
    assert!(
        std::env::var("KORPSMONITOR_REQUIRE_TOOLS").as_deref() != Ok("1"),
        "KORPSMONITOR_REQUIRE_TOOLS=1 but {missing}"
    );
    use std::io::Write;
    let _ = writeln!(std::io::stderr(), "SKIPPED: {what}: {missing}");
}

/// The executable `name` on PATH.
pub fn on_path(name: &str) -> Option<PathBuf> {
    std::env::split_paths(&std::env::var_os("PATH").unwrap_or_default())
        .map(|d| d.join(name))
        .find(|p| p.is_file())
}

/// LibreOffice's `soffice` (Debian: libreoffice-calc-nogui and
/// libreoffice-writer-nogui), from `KORPSMONITOR_SOFFICE` or PATH.
pub fn soffice() -> Option<PathBuf> {
    match std::env::var_os("KORPSMONITOR_SOFFICE") {
        Some(p) => Some(PathBuf::from(p)).filter(|p| p.is_file()),
        None => on_path("soffice").or_else(|| on_path("libreoffice")),
    }
}

/// A `python3` that can import every module of `modules` (for example
/// `openpyxl`, `docx`): the one of `KORPSMONITOR_PYTHON`, else on PATH (in
/// CI the virtual environment of .ci/checkers.txt).
pub fn python_with(modules: &[&str]) -> Option<PathBuf> {
    let python = match std::env::var_os("KORPSMONITOR_PYTHON") {
        Some(p) => PathBuf::from(p),
        None => on_path("python3")?,
    };
    let imports = format!("import {}", modules.join(", "));
    let ok = Command::new(&python)
        .args(["-c", &imports])
        .output()
        .map(|o| o.status.success())
        .unwrap_or(false);
    ok.then_some(python)
}

/// Runs LibreOffice headless to convert `file` to `format` (for example
/// `pdf`, `xlsx`, `ods`, `docx`) into `out_dir`, with a profile of its own
/// under `out_dir` so that runs in parallel do not share one; returns the
/// converted file's path. Panics when the conversion fails.
pub fn soffice_convert(soffice: &Path, file: &Path, format: &str, out_dir: &Path) -> PathBuf {
    let profile = out_dir.join(".lo-profile");
    let out = Command::new(soffice)
        .arg(format!(
            "-env:UserInstallation=file://{}",
            profile.display()
        ))
        .args(["--headless", "--norestore", "--convert-to", format])
        .arg("--outdir")
        .arg(out_dir)
        .arg(file)
        .output()
        .unwrap();
    let ext = format.split(':').next().unwrap();
    let converted = out_dir.join(file.with_extension(ext).file_name().unwrap());
    assert!(
        out.status.success() && converted.is_file(),
        "soffice --convert-to {format} {}: {}{}",
        file.display(),
        String::from_utf8_lossy(&out.stdout),
        String::from_utf8_lossy(&out.stderr)
    );
    converted
}
