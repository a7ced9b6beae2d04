//! Structure-aware fuzzing of the loader, the checks, the scoring and the
//! letters' checks: the valid editions (the three in `data/` and the
//! fixtures in `tests/fixtures/valid/`) are parsed, changed at the level of
//! YAML values (keys and list items deleted, duplicated, swapped or renamed,
//! scalars replaced by boundary values, other types, long, Unicode and
//! control-character strings, dangling ids, cycles through `previous`),
//! written to a temporary copy and checked. Whatever the change, nothing
//! panics, and either the edition passes or every problem names its file
//! and its line. The outcomes are counted, to show that the changes reach
//! the checks and the scoring, not only the YAML parser.
//!
//! The loop is seeded, so a run repeats; `KORPSMONITOR_FUZZ_ITERATIONS`
//! (default 200) and `KORPSMONITOR_FUZZ_SEED` run it longer or elsewhere.
//! A failure prints the seed, iteration and changes that caused it.

use std::fs;
use std::panic::{AssertUnwindSafe, catch_unwind};
use std::path::{Path, PathBuf};

use serde_yaml::{Mapping, Value};

use crate::support::{copy_dir, root, run};

/// splitmix64: a small, well-mixed, seedable generator.
struct Rng(u64);

impl Rng {
    fn next(&mut self) -> u64 {
        self.0 = self.0.wrapping_add(0x9e37_79b9_7f4a_7c15);
        let mut z = self.0;
        z = (z ^ (z >> 30)).wrapping_mul(0xbf58_476d_1ce4_e5b9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94d0_49bb_1331_11eb);
        z ^ (z >> 31)
    }
    fn below(&mut self, n: usize) -> usize {
        (self.next() % n.max(1) as u64) as usize
    }
    fn pick<'a, T>(&mut self, items: &'a [T]) -> &'a T {
        &items[self.below(items.len())]
    }
}

/// How far an edition got.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
enum Stage {
    /// The loader refused it (YAML syntax, types, files).
    Load,
    /// Loaded; the checks found errors.
    Validate,
    /// Checked and scored; the letters' and chapters' checks found errors.
    LetterChecks,
    /// No errors at all.
    Clean,
}

/// A problem as the harness sees it: error or not, file, line, message.
#[derive(Debug)]
struct Problem {
    error: bool,
    file: PathBuf,
    line: Option<usize>,
    field: Option<String>,
    message: String,
}

/// Whether a problem names its file and a line the file has (line 1 for a
/// file without lines). Every problem must: one without a line fails the
/// test, whatever its kind.
fn placed(file: &Path, line: Option<usize>) -> bool {
    let Some(line) = line else { return false };
    if file.as_os_str().is_empty() || line == 0 {
        return false;
    }
    match fs::read_to_string(file) {
        Ok(text) => line <= text.lines().count().max(1),
        // Not a text file (a folder such as `units/`): the line alone.
        Err(_) => true,
    }
}

/// Loads, checks and scores the edition in `dir` and runs the checks that
/// need the scores, as `korpsmonitor check` does: the stage reached and
/// every problem. The library is called here only.
fn pipeline(dir: &Path) -> (Stage, Vec<Problem>) {
    use korpsmonitor::base::diagnostics::Diagnostic;
    let convert = |all: &[Diagnostic]| -> Vec<Problem> {
        all.iter()
            .map(|d| Problem {
                error: d.is_error(),
                file: d.file.clone(),
                line: d.pos.map(|p| p.line),
                field: d.field.clone(),
                message: d.message.clone(),
            })
            .collect()
    };
    let loaded = korpsmonitor::data::load::load(dir);
    let mut all = loaded.diagnostics;
    let Some(edition) = loaded.edition else {
        return (Stage::Load, convert(&all));
    };
    if all.iter().any(Diagnostic::is_error) {
        return (Stage::Load, convert(&all));
    }
    all.extend(korpsmonitor::data::validate::validate(&edition));
    if all.iter().any(Diagnostic::is_error) {
        return (Stage::Validate, convert(&all));
    }
    let scored = korpsmonitor::figures::score::score(edition);
    all.extend(korpsmonitor::render::letter::check(&scored));
    let (chapters, problems) = korpsmonitor::render::chapters::fill_all(&scored);
    all.extend(problems);
    all.extend(korpsmonitor::render::abbreviations::check(
        &scored, &chapters,
    ));
    all.extend(korpsmonitor::render::repetition::check(scored.source()));
    let stage = if all.iter().any(Diagnostic::is_error) {
        Stage::LetterChecks
    } else {
        Stage::Clean
    };
    (stage, convert(&all))
}

/// One step into a YAML value: a mapping key or a list index.
#[derive(Debug, Clone)]
enum Step {
    Key(Value),
    Index(usize),
}

fn get<'a>(v: &'a Value, path: &[Step]) -> Option<&'a Value> {
    let mut cur = v;
    for step in path {
        cur = match (step, cur) {
            (Step::Key(k), Value::Mapping(m)) => m.get(k)?,
            (Step::Index(i), Value::Sequence(s)) => s.get(*i)?,
            _ => return None,
        };
    }
    Some(cur)
}

fn get_mut<'a>(v: &'a mut Value, path: &[Step]) -> Option<&'a mut Value> {
    let mut cur = v;
    for step in path {
        cur = match (step, cur) {
            (Step::Key(k), Value::Mapping(m)) => m.get_mut(k)?,
            (Step::Index(i), Value::Sequence(s)) => s.get_mut(*i)?,
            (Step::Key(k), Value::Tagged(t)) => t.value.get_mut(k)?,
            _ => return None,
        };
    }
    Some(cur)
}

/// Every node's path, the root first.
fn paths(v: &Value) -> Vec<Vec<Step>> {
    fn walk(v: &Value, here: &mut Vec<Step>, out: &mut Vec<Vec<Step>>) {
        out.push(here.clone());
        match v {
            Value::Mapping(m) => {
                for (k, child) in m {
                    here.push(Step::Key(k.clone()));
                    walk(child, here, out);
                    here.pop();
                }
            }
            Value::Sequence(s) => {
                for (i, child) in s.iter().enumerate() {
                    here.push(Step::Index(i));
                    walk(child, here, out);
                    here.pop();
                }
            }
            _ => {}
        }
    }
    let mut out = Vec::new();
    walk(v, &mut Vec::new(), &mut out);
    out
}

/// Scalars at the edges of what the format allows, and beyond.
fn boundary(rng: &mut Rng) -> Value {
    let long = "lang ".repeat(400 + rng.below(1_600));
    let choices: Vec<Value> = vec![
        Value::from(0),
        Value::from(-1),
        Value::from(1),
        Value::from(6),
        Value::from(100),
        Value::from(101),
        Value::from(u32::MAX),
        Value::from(u64::MAX),
        Value::from(i64::MIN),
        Value::from(0.5),
        Value::from(1e300),
        Value::from(-0.0),
        Value::from(f64::NAN),
        Value::from(f64::INFINITY),
        Value::from(true),
        Value::Null,
        Value::from(""),
        Value::from(" "),
        Value::from("nvt"),
        Value::from("conform_norm"),
        Value::from("2011-02-30"),
        Value::from("0000-01-01"),
        Value::from("9999-12-31"),
        Value::from("../2008"),
        Value::from("."),
        Value::from("/etc"),
        Value::from("bestaat-niet"),
        Value::from(long),
        Value::from("\u{202e}omgekeerd\u{202c} אבג عربي 🚓 e\u{301} \u{200b}"),
        Value::from("nul\u{0}bel\u{7}esc\u{1b}[31m tab\t cr\r"),
        Value::from("#set page(width: 1pt) $x$ *vet* _schuin_ `code` @ref <label> \\"),
        Value::from("{{ kop }} {% if x %} {# c #}"),
        Value::from("Regel een\n\nRegel twee\n- lijst\n# kop"),
        Value::from("\u{fffd}\u{feff}\u{ad}"),
    ];
    rng.pick(&choices).clone()
}

/// A value of another type than `v`.
fn other_type(v: &Value, rng: &mut Rng) -> Value {
    let map = || {
        let mut m = Mapping::new();
        m.insert(Value::from("onbekend"), Value::from(1));
        Value::Mapping(m)
    };
    match v {
        Value::Mapping(_) => {
            if rng.below(2) == 0 {
                Value::Sequence(vec![Value::from("a")])
            } else {
                Value::from("tekst")
            }
        }
        Value::Sequence(_) => {
            if rng.below(2) == 0 {
                map()
            } else {
                Value::from(3)
            }
        }
        _ => match rng.below(3) {
            0 => map(),
            1 => Value::Sequence(vec![v.clone(), v.clone()]),
            _ => Value::Sequence(Vec::new()),
        },
    }
}

/// Changes `doc` once at a random node; returns what it did.
fn mutate(doc: &mut Value, rng: &mut Rng) -> String {
    let all = paths(doc);
    let path = rng.pick(&all).clone();
    let where_ = format!("{path:?}");
    // 0-3: delete, duplicate, swap, rename; 4: another type; 5: any
    // value; 6-10: a boundary value of the same type; 11-15: a value the
    // same field has elsewhere.
    let op = rng.below(16);
    // Operations on the node's parent: delete, duplicate, swap, rename.
    if op < 4
        && let Some((last, parent_path)) = path.split_last()
        && let Some(parent) = get_mut(doc, parent_path)
    {
        match (op, last, parent) {
            (0, Step::Key(k), Value::Mapping(m)) => {
                m.remove(k);
                return format!("delete {where_}");
            }
            (0, Step::Index(i), Value::Sequence(s)) => {
                s.remove(*i);
                return format!("delete {where_}");
            }
            (1, Step::Index(i), Value::Sequence(s)) => {
                let item = s[*i].clone();
                s.insert(*i, item);
                return format!("duplicate {where_}");
            }
            (1, Step::Key(k), Value::Mapping(m)) => {
                // A copy under a new key (a second unit, dimension, ...).
                let item = m[k].clone();
                let key = Value::from(format!("{}-kopie", k.as_str().unwrap_or("x")));
                m.insert(key, item);
                return format!("duplicate {where_}");
            }
            (2, Step::Index(i), Value::Sequence(s)) if s.len() > 1 => {
                let j = (i + 1) % s.len();
                s.swap(*i, j);
                return format!("swap {where_}");
            }
            (2, Step::Key(k), Value::Mapping(m)) if m.len() > 1 => {
                let other = m.keys().find(|o| *o != k).cloned().unwrap();
                let (a, b) = (m[k].clone(), m[&other].clone());
                m.insert(k.clone(), b);
                m.insert(other, a);
                return format!("swap {where_}");
            }
            (3, Step::Key(k), Value::Mapping(m)) => {
                // A dangling id: the key (a dimension, indicator or
                // partner id, or a field name) renamed.
                let item = m.remove(k).unwrap();
                m.insert(Value::from("bestaat-niet"), item);
                return format!("rename {where_}");
            }
            _ => {}
        }
    }
    // The value changes below act on a leaf (a scalar), so that most
    // changed editions still load and reach the checks.
    let path = if op >= 6 {
        let leaves: Vec<&Vec<Step>> = all
            .iter()
            .filter(|p| get(doc, p).is_some_and(|v| !v.is_mapping() && !v.is_sequence()))
            .collect();
        if leaves.is_empty() {
            path
        } else {
            (*rng.pick(&leaves)).clone()
        }
    } else {
        path
    };
    let where_ = format!("{path:?}");
    if op >= 11 {
        // Another value the same field has elsewhere in the file: a
        // verdict, rating, id or number that fits the field's type but
        // not its place.
        let key = path.iter().rev().find_map(|s| match s {
            Step::Key(k) => Some(k.clone()),
            Step::Index(_) => None,
        });
        let pool: Vec<Value> = all
            .iter()
            .filter(|p| {
                p.iter().rev().find_map(|s| match s {
                    Step::Key(k) => Some(k.clone()),
                    Step::Index(_) => None,
                }) == key
            })
            .filter_map(|p| get(doc, p).cloned())
            .filter(|v| !v.is_mapping() && !v.is_sequence())
            .collect();
        if !pool.is_empty() {
            let v = rng.pick(&pool).clone();
            let shown: String = format!("{v:?}").chars().take(60).collect();
            if let Some(node) = get_mut(doc, &path) {
                *node = v;
            }
            return format!("set {where_} = {shown} (from elsewhere)");
        }
    }
    let Some(node) = get_mut(doc, &path) else {
        return "nothing".into();
    };
    if op == 4 {
        *node = other_type(node, rng);
        return format!("retype {where_}");
    }
    // Mostly a value of the same type, which the loader accepts and the
    // checks must judge; sometimes any value.
    let v = if op == 5 {
        boundary(rng)
    } else {
        same_type(node, rng)
    };
    let shown: String = format!("{v:?}").chars().take(60).collect();
    *node = v;
    format!("set {where_} = {shown}")
}

/// A boundary value of the same type as `v` (a number for a number, text
/// for text); a list or mapping is emptied or loses its first entry.
fn same_type(v: &Value, rng: &mut Rng) -> Value {
    for _ in 0..32 {
        let b = boundary(rng);
        let fits = match v {
            Value::Number(_) => b.is_number(),
            Value::String(_) => b.is_string(),
            Value::Bool(_) => b.is_bool() || b.is_string(),
            Value::Null => true,
            Value::Sequence(s) => {
                let mut s = s.clone();
                if !s.is_empty() && rng.below(2) == 0 {
                    s.remove(0);
                } else {
                    s.clear();
                }
                return Value::Sequence(s);
            }
            Value::Mapping(m) => {
                let mut m = m.clone();
                if let Some(k) = m.keys().next().cloned()
                    && rng.below(2) == 0
                {
                    m.remove(&k);
                } else {
                    m.clear();
                }
                return Value::Mapping(m);
            }
            Value::Tagged(_) => true,
        };
        if fits {
            return b;
        }
    }
    v.clone()
}

/// A textual change after writing: a `key: value` line repeated (a
/// duplicate key) or a line with its indentation broken.
fn mutate_text(text: &str, rng: &mut Rng) -> (String, String) {
    let lines: Vec<&str> = text.lines().collect();
    let candidates: Vec<usize> = (0..lines.len())
        .filter(|&i| lines[i].contains(": ") && !lines[i].trim_start().starts_with('-'))
        .collect();
    if candidates.is_empty() {
        return (text.to_string(), "nothing".into());
    }
    let i = *rng.pick(&candidates);
    let mut out: Vec<String> = lines.iter().map(|l| l.to_string()).collect();
    let what = if rng.below(2) == 0 {
        out.insert(i, lines[i].to_string());
        format!("duplicate key line {}", i + 1)
    } else {
        out[i] = format!(" {}", lines[i]);
        format!("indent line {}", i + 1)
    };
    (out.join("\n") + "\n", what)
}

/// An edition to change: the folder copied (holding it and its previous
/// editions) and the edition's path inside the copy.
struct Subject {
    edition: PathBuf,
    /// The YAML files of the edition and of its previous edition, with
    /// their original text.
    files: Vec<(PathBuf, String)>,
}

fn subjects(work: &Path) -> Vec<Subject> {
    let repo = root();
    copy_dir(&repo.join("data"), &work.join("data"));
    copy_dir(&repo.join("tests/fixtures/valid"), &work.join("valid"));
    // Each edition with its weight in the draw: the large editions take
    // ten times as long to check as the fixtures.
    let editions = [
        ("data/2008", 2),
        ("data/2010", 1),
        ("data/2012", 1),
        ("valid/mini", 8),
        ("valid/mini-prev", 4),
        ("valid/long-text", 3),
    ];
    editions
        .iter()
        .flat_map(|&(e, weight)| std::iter::repeat_n(e, weight))
        .map(|e| {
            let edition = work.join(e);
            let mut files = Vec::new();
            let mut dirs = vec![edition.clone()];
            // The previous edition's files too, for cycles and mismatches.
            let prev = previous_of(&edition);
            dirs.extend(prev);
            for d in dirs {
                for f in yaml_files(&d) {
                    let text = fs::read_to_string(&f).unwrap();
                    files.push((f, text));
                }
            }
            assert!(!files.is_empty(), "{e}: no YAML files");
            Subject { edition, files }
        })
        .collect()
}

fn previous_of(edition: &Path) -> Option<PathBuf> {
    let text = fs::read_to_string(edition.join("edition.yaml")).ok()?;
    let v: Value = serde_yaml::from_str(&text).ok()?;
    Some(edition.join(v["previous"].as_str()?))
}

fn yaml_files(dir: &Path) -> Vec<PathBuf> {
    let mut out = Vec::new();
    for entry in fs::read_dir(dir).unwrap() {
        let p = entry.unwrap().path();
        if p.is_dir() {
            out.extend(yaml_files(&p));
        } else if p.extension().is_some_and(|e| e == "yaml") {
            out.push(p);
        }
    }
    out.sort();
    out
}

fn env_number(name: &str, default: u64) -> u64 {
    std::env::var(name)
        .ok()
        .and_then(|v| v.parse().ok())
        .unwrap_or(default)
}

/// Applies one round of changes to `subject`'s files; returns what it did
/// and the files it changed.
fn change(subject: &Subject, rng: &mut Rng) -> (Vec<String>, Vec<PathBuf>) {
    let mut done = Vec::new();
    let mut touched = Vec::new();
    let edition_file = subject.edition.join("edition.yaml");
    if rng.below(12) == 0
        && let Some(prev) = previous_of(&subject.edition)
    {
        // A cycle through `previous`: to itself, or the previous edition
        // pointing back.
        let rel = format!(
            "../{}",
            subject.edition.file_name().unwrap().to_str().unwrap()
        );
        let (file, target) = if rng.below(2) == 0 {
            (edition_file.clone(), ".".to_string())
        } else {
            (prev.join("edition.yaml"), rel)
        };
        let mut v: Value = serde_yaml::from_str(&fs::read_to_string(&file).unwrap()).unwrap();
        v["previous"] = Value::from(target.clone());
        fs::write(&file, serde_yaml::to_string(&v).unwrap()).unwrap();
        done.push(format!("{}: previous = {target}", file.display()));
        touched.push(file);
        return (done, touched);
    }
    let n = 1 + rng.below(2);
    for _ in 0..n {
        let (file, original) = rng.pick(&subject.files);
        let current = fs::read_to_string(file).unwrap();
        let mut v: Value = match serde_yaml::from_str(&current) {
            Ok(v) => v,
            Err(_) => serde_yaml::from_str(original).unwrap(),
        };
        let what = mutate(&mut v, rng);
        let mut text = serde_yaml::to_string(&v).unwrap();
        let mut extra = String::new();
        if rng.below(10) == 0 {
            let (t, w) = mutate_text(&text, rng);
            text = t;
            extra = format!("; {w}");
        }
        fs::write(file, text).unwrap();
        done.push(format!("{}: {what}{extra}", file.display()));
        touched.push(file.clone());
    }
    (done, touched)
}

/// Writes back the original text of the `touched` files.
fn restore(subject: &Subject, touched: &[PathBuf]) {
    for (f, text) in &subject.files {
        if touched.contains(f) {
            fs::write(f, text).unwrap();
        }
    }
}

#[test]
fn changed_editions_never_panic_and_every_problem_has_a_place() {
    let iterations = env_number("KORPSMONITOR_FUZZ_ITERATIONS", 200);
    let seed = env_number("KORPSMONITOR_FUZZ_SEED", 0x004b_4f52_5053);
    let work = tempfile::tempdir().unwrap();
    let subjects = subjects(work.path());
    // The unchanged editions pass: the changes are what the checks see.
    for s in &subjects {
        let (stage, problems) = pipeline(&s.edition);
        assert_eq!(stage, Stage::Clean, "{}: {problems:?}", s.edition.display());
    }
    let mut rng = Rng(seed);
    let mut counts = std::collections::BTreeMap::<Stage, u64>::new();
    let mut binary_runs = 0;
    for i in 0..iterations {
        let subject = rng.pick(&subjects);
        let (done, touched) = change(subject, &mut rng);
        let context = || format!("seed {seed:#x}, iteration {i}: {done:#?}");
        let outcome = catch_unwind(AssertUnwindSafe(|| pipeline(&subject.edition)));
        let (stage, problems) = match outcome {
            Ok(o) => o,
            Err(_) => panic!("panicked; {}", context()),
        };
        *counts.entry(stage).or_default() += 1;
        if stage != Stage::Clean {
            assert!(
                problems.iter().any(|p| p.error),
                "stage {stage:?} without an error; {}",
                context()
            );
        }
        for p in &problems {
            assert!(
                placed(&p.file, p.line),
                "a problem without a file and line: {} line {:?}, field {:?}: {}; {}",
                p.file.display(),
                p.line,
                p.field,
                p.message,
                context()
            );
        }
        // One change in 25 through the binary as a user runs it.
        if i % 25 == 0 {
            binary_runs += 1;
            check_binary(&subject.edition, stage, &context);
        }
        restore(subject, &touched);
    }
    eprintln!("fuzz_editions: {iterations} changed editions, seed {seed:#x}: {counts:?}");
    if iterations >= 100 {
        // The changes reach past the YAML parser: each later stage is
        // reached by a fair share of them.
        let at = |s| counts.get(&s).copied().unwrap_or(0);
        let beyond_load = at(Stage::Validate) + at(Stage::LetterChecks) + at(Stage::Clean);
        assert!(
            at(Stage::Load) > 0 && at(Stage::Validate) * 10 >= iterations,
            "{counts:?}"
        );
        assert!(beyond_load * 3 >= iterations, "{counts:?}");
        assert!(
            at(Stage::LetterChecks) + at(Stage::Clean) > 0,
            "nothing reached the scoring: {counts:?}"
        );
        assert!(binary_runs >= 4);
    }
}

/// `korpsmonitor check --format json` on the changed edition: exits 0 when
/// the pipeline found no error, 1 with every problem placed otherwise; it
/// never panics.
fn check_binary(edition: &Path, stage: Stage, context: &dyn Fn() -> String) {
    let r = run(
        edition.parent().unwrap(),
        &["check", edition.to_str().unwrap(), "--format", "json"],
    );
    assert!(
        !r.stderr.contains("panicked"),
        "{}\n{}",
        r.stderr,
        context()
    );
    let expected = if stage == Stage::Clean { 0 } else { 1 };
    assert_eq!(r.code, expected, "{}{}\n{}", r.stdout, r.stderr, context());
    let v: serde_json::Value = serde_json::from_str(&r.stdout)
        .unwrap_or_else(|e| panic!("{e}: {}\n{}", r.stdout, context()));
    if stage != Stage::Clean {
        assert!(v["errors"].as_u64().unwrap() > 0, "{}", context());
    }
    for p in v["problems"].as_array().unwrap() {
        let line = p["line"].as_u64().map(|l| l as usize);
        let file = Path::new(p["file"].as_str().unwrap_or(""));
        assert!(placed(file, line), "{p}\n{}", context());
    }
}
