//! Diagnostics as typst-cli gives them: Typst errors and warnings with
//! their hints and trace, every position mapped back to the template line,
//! colour only when asked for, and `check --format json` as data.

use std::fs;
use std::path::Path;
use std::process::Command;

use crate::support::{Run, mini, root, run};

/// Runs the binary in `cwd` with extra environment variables.
fn run_env(cwd: &Path, args: &[&str], env: &[(&str, &str)]) -> Run {
    let mut cmd = Command::new(env!("CARGO_BIN_EXE_korpsmonitor"));
    cmd.args(args)
        .current_dir(cwd)
        .env_remove("SOURCE_DATE_EPOCH")
        .env_remove("NO_COLOR")
        .env_remove("CLICOLOR_FORCE");
    for (k, v) in env {
        cmd.env(k, v);
    }
    let out = cmd.output().unwrap();
    Run {
        code: out.status.code().unwrap_or(-1),
        stdout: String::from_utf8_lossy(&out.stdout).into_owned(),
        stderr: String::from_utf8_lossy(&out.stderr).into_owned(),
    }
}

/// Writes `text` as the override `name` in `dir/tpl`.
fn override_template(dir: &Path, name: &str, text: &str) {
    let tpl = dir.join("tpl");
    fs::create_dir_all(&tpl).unwrap();
    fs::write(tpl.join(name), text).unwrap();
}

/// The default template `name` with `from` replaced by `to` (which must
/// occur), and the 1-based line of the first line holding `marker`.
fn edited(name: &str, from: &str, to: &str, marker: &str) -> (String, usize) {
    let text = fs::read_to_string(root().join("templates").join(name)).unwrap();
    assert!(text.contains(from), "{name} has no {from:?}");
    let text = text.replacen(from, to, 1);
    let line = text.lines().position(|l| l.contains(marker)).unwrap() + 1;
    (text, line)
}

const BUILD: &[&str] = &["build", "mini", "--only", "report", "--templates", "tpl"];

#[test]
fn an_error_inside_a_house_style_function_names_the_calling_template_line() {
    let dir = mini(None);
    let (style, style_line) = edited(
        "style.typ",
        "#let contents(entries: none) = {",
        "#let contents(entries: none) = {\n  undefined-function()",
        "undefined-function()",
    );
    let (report, report_line) = edited(
        "report.typ.j2",
        "#contents(entries: outlined-headings(body))",
        "#contents(entries: outlined-headings(body)) // table of contents",
        "#contents(entries: outlined-headings(body)) // table of contents",
    );
    override_template(dir.path(), "style.typ", &style);
    override_template(dir.path(), "report.typ.j2", &report);
    let r = run(dir.path(), BUILD);
    assert_eq!(r.code, 1, "{}", r.stderr);
    // The error where it is, in the house style ...
    assert!(
        r.stderr.contains(&format!(
            "error: typst: unknown variable: undefined-function\n    ┌─ tpl/style.typ:{style_line}:3\n"
        )),
        "{}",
        r.stderr
    );
    // ... with Typst's hint ...
    assert!(
        r.stderr.contains("= hint: if you meant to use subtraction"),
        "{}",
        r.stderr
    );
    // ... and the report template line whose call reached it, from the trace.
    assert!(
        r.stderr.contains(&format!(
            "help: while calling `contents`\n   ┌─ tpl/report.typ.j2:{report_line}:2\n"
        )),
        "{}",
        r.stderr
    );
    assert!(
        r.stderr
            .contains("#contents(entries: outlined-headings(body)) // table of contents"),
        "{}",
        r.stderr
    );
    assert!(
        r.stderr
            .contains("help: in output/2030/korpsmonitor-2030.pdf"),
        "{}",
        r.stderr
    );
    assert!(r.stderr.ends_with("1 error, 0 warnings\n"), "{}", r.stderr);
    assert!(
        !dir.path()
            .join("output/2030/korpsmonitor-2030.pdf")
            .exists()
    );
}

/// A report template whose line `line` makes Typst warn (a font family no
/// font has) and goes on.
fn warning_template() -> (String, usize) {
    edited(
        "report.typ.j2",
        "#contents(entries: outlined-headings(body))",
        "#contents(entries: outlined-headings(body))\n#text(font: \"Geen Bestaand Lettertype\")[{{ meta.year }}]",
        "Geen Bestaand Lettertype",
    )
}

#[test]
fn a_typst_warning_is_printed_on_success_with_its_template_line() {
    let dir = mini(None);
    let (report, line) = warning_template();
    override_template(dir.path(), "report.typ.j2", &report);
    let r = run(dir.path(), BUILD);
    assert_eq!(r.code, 0, "{}", r.stderr);
    assert!(
        r.stderr.contains(&format!(
            "warning: typst: unknown font family: geen bestaand lettertype\n   ┌─ tpl/report.typ.j2:{line}:13\n"
        )),
        "{}",
        r.stderr
    );
    // Column 13: the font name, found in the template text before any
    // `{{ value }}`.
    assert!(r.stderr.contains("0 errors, 1 warning\n"), "{}", r.stderr);
    assert!(
        dir.path()
            .join("output/2030/korpsmonitor-2030.pdf")
            .is_file()
    );
}

#[test]
fn a_failing_build_shows_its_warnings_too() {
    let dir = mini(None);
    let (report, _) = warning_template();
    // An image without alternative text fails the PDF/UA export, after
    // layout has warned.
    let report = report.replacen(
        "#contents(entries: outlined-headings(body))",
        "#contents(entries: outlined-headings(body))\n#image(\"charts/oordelen.svg\")",
        1,
    );
    override_template(dir.path(), "report.typ.j2", &report);
    let r = run(dir.path(), BUILD);
    assert_eq!(r.code, 1, "{}", r.stderr);
    let error = r
        .stderr
        .find("error: typst: PDF/A-2a, PDF/UA-1 error: missing alt text");
    let warning = r.stderr.find("warning: typst: unknown font family");
    assert!(error.is_some() && warning.is_some(), "{}", r.stderr);
    assert!(error < warning, "errors first: {}", r.stderr);
    assert!(r.stderr.ends_with("1 error, 1 warning\n"), "{}", r.stderr);
}

/// The several-problems fixture, with an escape sequence in the unknown
/// group's value (which the error message quotes).
fn several_problems_with_escape() -> tempfile::TempDir {
    let dir = mini(Some("several-problems"));
    let beta = dir.path().join("mini/units/beta.yaml");
    let text = fs::read_to_string(&beta).unwrap();
    assert!(text.contains("group: onbekend\n"));
    fs::write(
        &beta,
        text.replace("group: onbekend\n", "group: \"onbekend\\e[2J\"\n"),
    )
    .unwrap();
    dir
}

#[test]
fn colour_only_when_forced_and_never_with_no_color() {
    let dir = several_problems_with_escape();
    let args = &["check", "mini"];
    // Piped: plain.
    let plain = run_env(dir.path(), args, &[]);
    assert_eq!(plain.code, 1, "{}", plain.stderr);
    assert!(!plain.stderr.contains('\x1b'), "{:?}", plain.stderr);
    assert!(
        plain.stderr.contains("onbekend\\x1b[2J"),
        "{}",
        plain.stderr
    );
    // NO_COLOR wins over a forced colour.
    let no = run_env(
        dir.path(),
        args,
        &[("CLICOLOR_FORCE", "1"), ("NO_COLOR", "1")],
    );
    assert_eq!(no.stderr, plain.stderr);
    // Forced: colours, and still no escape sequence from the data.
    let forced = run_env(dir.path(), args, &[("CLICOLOR_FORCE", "1")]);
    assert_eq!(forced.code, 1);
    assert!(forced.stderr.contains("\x1b["), "{:?}", forced.stderr);
    assert!(!forced.stderr.contains("\x1b[2J"), "{:?}", forced.stderr);
    for escape in forced.stderr.split('\x1b').skip(1) {
        let sgr = escape
            .strip_prefix('[')
            .and_then(|e| e.split_once('m'))
            .is_some_and(|(codes, _)| codes.chars().all(|c| c.is_ascii_digit() || c == ';'));
        assert!(sgr, "not a colour: {escape:?}");
    }
    // Without the escapes, the same text.
    let mut stripped = String::new();
    for (i, part) in forced.stderr.split('\x1b').enumerate() {
        stripped.push_str(if i == 0 {
            part
        } else {
            part.split_once('m').map(|(_, rest)| rest).unwrap_or(part)
        });
    }
    assert_eq!(stripped, plain.stderr);
}

#[test]
fn check_json_gives_every_problem_as_data() {
    let dir = mini(Some("several-problems"));
    let r = run(dir.path(), &["check", "mini", "--format", "json"]);
    assert_eq!(r.code, 1, "{}", r.stderr);
    assert_eq!(r.stderr, "");
    insta::assert_snapshot!(r.stdout);
    let v: serde_json::Value = serde_json::from_str(&r.stdout).unwrap();
    assert_eq!(v["errors"], 2);
}

#[test]
fn check_json_of_a_clean_edition_has_no_problems() {
    let dir = mini(None);
    let r = run(dir.path(), &["check", "mini", "--format", "json"]);
    assert_eq!(r.code, 0, "{}", r.stderr);
    assert_eq!(
        r.stdout,
        "{\n  \"errors\": 0,\n  \"warnings\": 0,\n  \"problems\": []\n}\n"
    );
}

#[test]
fn emitted_typst_is_the_source_that_was_typeset() {
    let dir = mini(None);
    let alfa = dir.path().join("mini/units/alfa.yaml");
    let text = fs::read_to_string(&alfa).unwrap();
    assert!(text.contains("findings: Goed toezicht.\n"));
    // U+E000 (private use) is in no font: it is typeset as U+FFFD.
    fs::write(
        &alfa,
        text.replace(
            "findings: Goed toezicht.\n",
            "findings: \"Goed toezicht\\uE000.\"\n",
        ),
    )
    .unwrap();
    let r = run(
        dir.path(),
        &["build", "mini", "--only", "report", "--emit-typst", "typ"],
    );
    assert_eq!(r.code, 0, "{}", r.stderr);
    assert!(r.stderr.contains("U+E000"), "{}", r.stderr);
    let emitted = fs::read_to_string(dir.path().join("typ/report.typ")).unwrap();
    assert!(
        emitted.contains("toezicht\u{fffd}."),
        "the replacement is emitted"
    );
    assert!(!emitted.contains('\u{e000}'), "the source as typeset");
}

#[test]
fn positions_after_replaced_characters_map_to_their_template_line() {
    let dir = mini(None);
    let alfa = dir.path().join("mini/units/alfa.yaml");
    let text = fs::read_to_string(&alfa).unwrap();
    assert!(text.contains("findings: Goed toezicht.\n"));
    // 300 characters of four bytes that no font has, each typeset as the
    // three bytes of U+FFFD: the typeset source is 300 bytes shorter.
    let many = "\\U000F0000".repeat(300);
    fs::write(
        &alfa,
        text.replace(
            "findings: Goed toezicht.\n",
            &format!("findings: \"Goed toezicht{many}.\"\n"),
        ),
    )
    .unwrap();
    let report = fs::read_to_string(root().join("templates/report.typ.j2")).unwrap();
    let report = format!("{}\n#no-such-function()\n", report.trim_end());
    let line = report.lines().count();
    override_template(dir.path(), "report.typ.j2", &report);
    let r = run(dir.path(), BUILD);
    assert_eq!(r.code, 1, "{}", r.stderr);
    assert!(
        r.stderr.contains(&format!(
            "error: typst: unknown variable: no-such-function\n   ┌─ tpl/report.typ.j2:{line}:2\n"
        )),
        "{}",
        r.stderr
    );
    assert!(
        r.stderr.contains(
            "warning: the fonts have no glyph for 1 character(s), printed as U+FFFD: U+F0000"
        ),
        "{}",
        r.stderr
    );
}

#[test]
fn a_unit_name_without_glyph_is_replaced_in_the_charts_too() {
    let dir = mini(None);
    let alfa = dir.path().join("mini/units/alfa.yaml");
    let text = fs::read_to_string(&alfa).unwrap();
    assert!(text.starts_with("name: Alfa\n") || text.contains("\nname: Alfa\n"));
    // The name is drawn in the unit chart and the key-figures chart as well
    // as set in the report's text: every place prints U+FFFD, so that
    // PDF/A's rule against missing glyphs holds and the build succeeds.
    fs::write(
        &alfa,
        text.replacen("name: Alfa\n", "name: \"Alfa\\uE000\"\n", 1),
    )
    .unwrap();
    let r = run(
        dir.path(),
        &["build", "mini", "--only", "report", "--emit-typst", "typ"],
    );
    assert_eq!(r.code, 0, "{}", r.stderr);
    assert!(
        r.stderr
            .contains("the fonts have no glyph for 1 character(s), printed as U+FFFD: U+E000"),
        "{}",
        r.stderr
    );
    let mut charts = 0;
    for entry in fs::read_dir(dir.path().join("typ/charts")).unwrap() {
        let svg = fs::read_to_string(entry.unwrap().path()).unwrap();
        assert!(!svg.contains('\u{e000}'), "a chart keeps the character");
        charts += usize::from(svg.contains("Alfa\u{fffd}"));
    }
    assert!(charts > 0, "no chart shows the name");
}
