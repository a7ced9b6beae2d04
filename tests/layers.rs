//! The layering rule, read from the sources: every module sits in the layer
//! its folder names, imports only from its own layer or the layers below,
//! and no modules import each other in a circle. No clap type below the
//! face, and no function longer than [`MAX_FUNCTION_LINES`] lines. Test
//! code (`#[cfg(test)]` items) is left out: a test may use whatever it
//! checks.
//!
//! The layers, top to bottom (README, "Architecture"):
//!
//! | folder          | layer         |
//! |-----------------|---------------|
//! | `main.rs`, `lib.rs`, `cli.rs`, `commands/` | face |
//! | `app/`          | application   |
//! | `render/`       | rendering     |
//! | `typeset/`      | typesetting   |
//! | `figures/`      | figures       |
//! | `words/`        | words         |
//! | `data/`         | data          |
//! | `base/`         | base          |
//!
//! Rendering and typesetting stand side by side in the pipeline; rendering
//! may use typesetting's measures (fonts, page sizes), never the reverse.

use std::collections::{BTreeMap, BTreeSet};
use std::fmt::Write as _;
use std::path::{Path, PathBuf};

/// The layers, lowest first; a module may import from its own and lower ones.
const LAYERS: [&str; 8] = [
    "base", "data", "words", "figures", "typeset", "render", "app", "face",
];

/// The layer of a module path (`render::html`), by its first segment.
fn layer_of(module: &str) -> Option<usize> {
    let first = module.split("::").next().unwrap_or_default();
    let name = match first {
        "crate" | "cli" | "commands" | "main" => "face",
        other => other,
    };
    LAYERS.iter().position(|l| *l == name)
}

/// The most lines a function may take, from `fn` to its closing brace: a
/// longer one mixes what functions of its own would name.
const MAX_FUNCTION_LINES: usize = 120;

/// One source file as a module: its path in the crate and its code.
struct Module {
    name: String,
    file: PathBuf,
    code: String,
}

/// Rust source without comments, without the contents of string and
/// character literals, and without `#[cfg(test)]` items; line breaks kept.
fn strip(src: &str) -> String {
    let b = src.as_bytes();
    let mut out = String::with_capacity(src.len());
    let mut i = 0;
    let keep_lines = |out: &mut String, text: &str| {
        out.extend(text.chars().filter(|c| *c == '\n'));
    };
    while i < b.len() {
        let rest = &src[i..];
        if rest.starts_with("//") {
            let end = rest.find('\n').map_or(src.len(), |n| i + n);
            i = end;
        } else if rest.starts_with("/*") {
            let (mut depth, mut j) = (1, i + 2);
            while j < b.len() && depth > 0 {
                if src[j..].starts_with("/*") {
                    depth += 1;
                    j += 2;
                } else if src[j..].starts_with("*/") {
                    depth -= 1;
                    j += 2;
                } else {
                    j += 1;
                }
            }
            keep_lines(&mut out, &src[i..j]);
            i = j;
        } else if let Some(len) = raw_string_len(src, i) {
            out.push_str("\"\"");
            keep_lines(&mut out, &src[i..i + len]);
            i += len;
        } else if b[i] == b'"' {
            let mut j = i + 1;
            while j < b.len() && b[j] != b'"' {
                j += if b[j] == b'\\' { 2 } else { 1 };
            }
            out.push_str("\"\"");
            keep_lines(&mut out, &src[i..(j + 1).min(src.len())]);
            i = j + 1;
        } else if let Some(len) = char_literal_len(rest) {
            out.push_str("' '");
            i += len;
        } else {
            let c = rest.chars().next().unwrap_or(' ');
            out.push(c);
            i += c.len_utf8();
        }
    }
    drop_test_items(&out)
}

/// The length of a raw (byte) string literal starting at `i`.
fn raw_string_len(src: &str, i: usize) -> Option<usize> {
    let prev_ident = src[..i]
        .chars()
        .next_back()
        .is_some_and(|c| c.is_alphanumeric() || c == '_');
    if prev_ident {
        return None;
    }
    let rest = &src[i..];
    let after_b = rest.strip_prefix('b').unwrap_or(rest);
    let after_r = after_b.strip_prefix('r')?;
    let hashes = after_r.len() - after_r.trim_start_matches('#').len();
    let body = after_r[hashes..].strip_prefix('"')?;
    let close = format!("\"{}", "#".repeat(hashes));
    let end = body.find(&close)?;
    Some(rest.len() - body.len() + end + close.len())
}

/// The length of a character literal at the start of `rest` (not a
/// lifetime).
fn char_literal_len(rest: &str) -> Option<usize> {
    let mut chars = rest.char_indices();
    if chars.next()?.1 != '\'' {
        return None;
    }
    let (_, c) = chars.next()?;
    if c == '\\' {
        let close = rest[2..].find('\'')?;
        return Some(close + 3);
    }
    let (i, close) = chars.next()?;
    (close == '\'').then_some(i + 1)
}

/// Removes every item marked `#[cfg(test)]`: the attribute and the item
/// after it, up to its closing brace or semicolon.
fn drop_test_items(code: &str) -> String {
    let mut out = String::with_capacity(code.len());
    let mut rest = code;
    while let Some(at) = rest.find("#[cfg(test)]") {
        out.push_str(&rest[..at]);
        let item = &rest[at..];
        let mut depth = 0usize;
        let mut end = item.len();
        for (i, c) in item.char_indices() {
            match c {
                '{' => depth += 1,
                '}' => {
                    depth = depth.saturating_sub(1);
                    if depth == 0 {
                        end = i + 1;
                        break;
                    }
                }
                ';' if depth == 0 => {
                    end = i + 1;
                    break;
                }
                _ => {}
            }
        }
        out.extend(item[..end].chars().filter(|c| *c == '\n'));
        rest = &item[end..];
    }
    out.push_str(rest);
    out
}

/// Every `.rs` file below `src` as a module.
fn modules(src: &Path) -> Vec<Module> {
    let mut files = Vec::new();
    let mut dirs = vec![src.to_path_buf()];
    while let Some(dir) = dirs.pop() {
        for entry in std::fs::read_dir(&dir).expect("read a source folder") {
            let path = entry.expect("read a source folder").path();
            if path.is_dir() {
                dirs.push(path);
            } else if path.extension().is_some_and(|e| e == "rs") {
                files.push(path);
            }
        }
    }
    files.sort();
    files
        .into_iter()
        .map(|file| {
            let rel = file.strip_prefix(src).expect("below src");
            let mut parts: Vec<String> = rel
                .with_extension("")
                .components()
                .map(|c| c.as_os_str().to_string_lossy().into_owned())
                .collect();
            if matches!(parts.last().map(String::as_str), Some("mod" | "lib")) {
                parts.pop();
            }
            let name = if parts.is_empty() {
                "crate".to_owned()
            } else {
                parts.join("::")
            };
            let code = strip(&std::fs::read_to_string(&file).expect("read a source file"));
            Module { name, file, code }
        })
        .collect()
}

/// The paths a module's code names: `crate::a::b`, `super::c`,
/// `self::d` and `child::e` for its own child modules, with `use` groups
/// (`use crate::{a, b::{c, d}}`) expanded; each as a crate path.
fn named_paths(module: &Module, children: &BTreeSet<String>) -> Vec<(String, usize)> {
    let code = &module.code;
    let mut found = Vec::new();
    let bytes = code.as_bytes();
    let is_ident = |c: u8| c.is_ascii_alphanumeric() || c == b'_';
    let own: Vec<&str> = if module.name == "crate" {
        Vec::new()
    } else {
        module.name.split("::").collect()
    };
    // A file `x.rs` is module `x`; `super` is its parent.
    let parent: Vec<&str> = own[..own.len().saturating_sub(1)].to_vec();
    let mut i = 0;
    while i < bytes.len() {
        if !is_ident(bytes[i]) || (i > 0 && (is_ident(bytes[i - 1]) || bytes[i - 1] == b':')) {
            i += 1;
            continue;
        }
        let start = i;
        while i < bytes.len() && is_ident(bytes[i]) {
            i += 1;
        }
        let word = &code[start..i];
        let base: Option<Vec<&str>> = match word {
            "crate" => Some(Vec::new()),
            "super" => Some(parent.clone()),
            "self" => Some(own.clone()),
            w if children.contains(w) => {
                let mut p = own.clone();
                p.push(w);
                Some(p)
            }
            _ => None,
        };
        let Some(base) = base else { continue };
        if !code[i..].starts_with("::") {
            continue;
        }
        let line = code[..start].matches('\n').count() + 1;
        let (tails, end) = path_tails(&code[i + 2..]);
        i += 2 + end;
        for tail in tails {
            let mut path: Vec<&str> = base.clone();
            path.extend(tail.split("::").filter(|s| !s.is_empty()));
            // `super::super::x`
            while let Some(pos) = path.iter().position(|s| *s == "super") {
                path.remove(pos);
                if pos > 0 {
                    path.remove(pos - 1);
                }
            }
            found.push((path.join("::"), line));
        }
    }
    found
}

/// The path or paths after a `crate::` (or similar) prefix: `a::b` or the
/// members of a `{ ... }` group, each with its own prefix; and how many
/// bytes they took.
fn path_tails(rest: &str) -> (Vec<String>, usize) {
    let bytes = rest.as_bytes();
    let mut i = 0;
    let mut prefix = String::new();
    loop {
        let start = i;
        while i < bytes.len() && (bytes[i].is_ascii_alphanumeric() || bytes[i] == b'_') {
            i += 1;
        }
        prefix.push_str(&rest[start..i]);
        if rest[i..].starts_with("::") {
            prefix.push_str("::");
            i += 2;
            if rest[i..].starts_with('{') {
                let mut depth = 0;
                let mut end = i;
                for (k, c) in rest[i..].char_indices() {
                    match c {
                        '{' => depth += 1,
                        '}' => {
                            depth -= 1;
                            if depth == 0 {
                                end = i + k;
                                break;
                            }
                        }
                        _ => {}
                    }
                }
                let inner = &rest[i + 1..end];
                let mut tails = Vec::new();
                for member in split_top(inner) {
                    let member = member.trim();
                    if member.is_empty() {
                        continue;
                    }
                    let (sub, _) = path_tails(member);
                    for s in sub {
                        let s = s.trim_end_matches("::self").to_owned();
                        tails.push(format!("{prefix}{s}"));
                    }
                }
                return (tails, end + 1);
            }
        } else {
            return (vec![prefix.trim_end_matches("::").to_owned()], i);
        }
    }
}

/// Splits a `use` group's inside at its top-level commas.
fn split_top(inner: &str) -> Vec<&str> {
    let mut parts = Vec::new();
    let (mut depth, mut start) = (0, 0);
    for (i, c) in inner.char_indices() {
        match c {
            '{' => depth += 1,
            '}' => depth -= 1,
            ',' if depth == 0 => {
                parts.push(&inner[start..i]);
                start = i + 1;
            }
            _ => {}
        }
    }
    parts.push(&inner[start..]);
    parts
}

/// An import of one module by another, with the line that makes it.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord)]
struct Import {
    from: String,
    to: String,
    file: PathBuf,
    line: usize,
}

/// The module-level imports of the crate: for each module, the modules it
/// names (the longest module prefix of each path), itself left out.
fn imports(modules: &[Module]) -> Vec<Import> {
    let names: BTreeSet<&str> = modules.iter().map(|m| m.name.as_str()).collect();
    let mut out = BTreeMap::new();
    for m in modules {
        let prefix = if m.name == "crate" {
            String::new()
        } else {
            format!("{}::", m.name)
        };
        let children: BTreeSet<String> = names
            .iter()
            .filter_map(|n| n.strip_prefix(&prefix))
            .filter(|rest| !rest.contains("::") && !rest.is_empty())
            .map(str::to_owned)
            .collect();
        for (path, line) in named_paths(m, &children) {
            let segments: Vec<&str> = path.split("::").collect();
            let target = (1..=segments.len())
                .rev()
                .map(|k| segments[..k].join("::"))
                .find(|p| names.contains(p.as_str()));
            let Some(target) = target else { continue };
            if target == m.name {
                continue;
            }
            out.entry((m.name.clone(), target.clone()))
                .or_insert(Import {
                    from: m.name.clone(),
                    to: target,
                    file: m.file.clone(),
                    line,
                });
        }
    }
    out.into_values().collect()
}

/// Every breach of the layering rule in the sources below `src`, one line
/// each; empty when the tree keeps the rule.
fn breaches(src: &Path) -> Vec<String> {
    let modules = modules(src);
    let mut found = Vec::new();
    let shown = |file: &Path| {
        file.strip_prefix(src.parent().unwrap_or(src))
            .unwrap_or(file)
            .display()
            .to_string()
    };
    for m in &modules {
        let Some(layer) = layer_of(&m.name) else {
            found.push(format!(
                "{}: module {} is in no layer (expected below one of the folders {})",
                shown(&m.file),
                m.name,
                LAYERS[..LAYERS.len() - 1].join(", ")
            ));
            continue;
        };
        if LAYERS[layer] != "face"
            && let Some(line) = m.code.lines().position(|l| l.contains("clap::"))
        {
            found.push(format!(
                "{}:{}: module {} uses clap below the face",
                shown(&m.file),
                line + 1,
                m.name
            ));
        }
    }
    let imports = imports(&modules);
    for i in &imports {
        if let (Some(from), Some(to)) = (layer_of(&i.from), layer_of(&i.to))
            && to > from
        {
            found.push(format!(
                "{}:{}: {} ({}) imports {} ({}), a layer above its own",
                shown(&i.file),
                i.line,
                i.from,
                LAYERS[from],
                i.to,
                LAYERS[to]
            ));
        }
    }
    for circle in circles(&imports) {
        let mut text = format!(
            "modules import each other in a circle: {}",
            circle.join(", ")
        );
        for i in imports
            .iter()
            .filter(|i| circle.contains(&i.from) && circle.contains(&i.to))
        {
            let _ = write!(
                text,
                "\n    {}:{}: {} -> {}",
                shown(&i.file),
                i.line,
                i.from,
                i.to
            );
        }
        found.push(text);
    }
    found
}

/// The strongly connected groups of more than one module (Tarjan).
fn circles(imports: &[Import]) -> Vec<Vec<String>> {
    let mut nodes: BTreeSet<&str> = BTreeSet::new();
    let mut next: BTreeMap<&str, Vec<&str>> = BTreeMap::new();
    for i in imports {
        nodes.insert(&i.from);
        nodes.insert(&i.to);
        next.entry(&i.from).or_default().push(&i.to);
    }
    struct State<'a> {
        index: BTreeMap<&'a str, usize>,
        low: BTreeMap<&'a str, usize>,
        stack: Vec<&'a str>,
        on_stack: BTreeSet<&'a str>,
        groups: Vec<Vec<String>>,
    }
    fn visit<'a>(v: &'a str, next: &BTreeMap<&'a str, Vec<&'a str>>, s: &mut State<'a>) {
        let n = s.index.len();
        s.index.insert(v, n);
        s.low.insert(v, n);
        s.stack.push(v);
        s.on_stack.insert(v);
        for &w in next.get(v).map(Vec::as_slice).unwrap_or_default() {
            if !s.index.contains_key(w) {
                visit(w, next, s);
                let low = s.low[v].min(s.low[w]);
                s.low.insert(v, low);
            } else if s.on_stack.contains(w) {
                let low = s.low[v].min(s.index[w]);
                s.low.insert(v, low);
            }
        }
        if s.low[v] == s.index[v] {
            let mut group = Vec::new();
            while let Some(w) = s.stack.pop() {
                s.on_stack.remove(w);
                group.push(w.to_owned());
                if w == v {
                    break;
                }
            }
            if group.len() > 1 {
                group.sort();
                s.groups.push(group);
            }
        }
    }
    let mut state = State {
        index: BTreeMap::new(),
        low: BTreeMap::new(),
        stack: Vec::new(),
        on_stack: BTreeSet::new(),
        groups: Vec::new(),
    };
    for v in nodes {
        if !state.index.contains_key(v) {
            visit(v, &next, &mut state);
        }
    }
    state.groups.sort();
    state.groups
}

/// Every function of `code` (stripped) longer than [`MAX_FUNCTION_LINES`],
/// as (name, first line, lines).
fn long_functions(code: &str) -> Vec<(String, usize, usize)> {
    let bytes = code.as_bytes();
    let mut found = Vec::new();
    let mut at = 0;
    while let Some(k) = code[at..].find("fn ") {
        let start = at + k;
        at = start + 3;
        let word_start =
            start == 0 || !(bytes[start - 1].is_ascii_alphanumeric() || bytes[start - 1] == b'_');
        if !word_start {
            continue;
        }
        let name: String = code[at..]
            .chars()
            .take_while(|c| c.is_alphanumeric() || *c == '_')
            .collect();
        if name.is_empty() {
            continue;
        }
        // The body opens at the first `{` outside the signature's brackets;
        // a `;` before it is a declaration without a body.
        let mut depth = 0i32;
        let mut open = None;
        for (i, c) in code[at..].char_indices() {
            match c {
                '(' | '[' | '<' => depth += 1,
                ')' | ']' | '>' => depth -= 1,
                '{' if depth <= 0 => {
                    open = Some(at + i);
                    break;
                }
                ';' if depth <= 0 => break,
                _ => {}
            }
        }
        let Some(open) = open else { continue };
        let mut braces = 0;
        let mut close = code.len();
        for (i, c) in code[open..].char_indices() {
            match c {
                '{' => braces += 1,
                '}' => {
                    braces -= 1;
                    if braces == 0 {
                        close = open + i;
                        break;
                    }
                }
                _ => {}
            }
        }
        let first = code[..start].matches('\n').count() + 1;
        let last = code[..close].matches('\n').count() + 1;
        let lines = last - first + 1;
        if lines > MAX_FUNCTION_LINES {
            found.push((name, first, lines));
        }
    }
    found
}

#[test]
fn no_function_is_longer_than_the_limit() {
    let src = Path::new(env!("CARGO_MANIFEST_DIR")).join("src");
    let long: Vec<String> = modules(&src)
        .iter()
        .flat_map(|m| {
            long_functions(&m.code).into_iter().map(move |(name, line, lines)| {
                format!(
                    "{}:{line}: fn {name} has {lines} lines, expected at most {MAX_FUNCTION_LINES}",
                    m.file.display()
                )
            })
        })
        .collect();
    assert!(long.is_empty(), "{}", long.join("\n"));
}

#[test]
fn a_long_function_is_found_and_a_short_one_is_not() {
    let body = "    let x = 1;\n".repeat(MAX_FUNCTION_LINES - 2);
    let code = format!(
        "fn short() {{\n{body}}}\nfn long<T: Into<u8>>(a: [u8; 2]) -> Vec<u8> {{\n{body}    x;\n}}\ntrait T {{ fn declared(&self); }}\n"
    );
    let code = strip(&code);
    assert_eq!(
        long_functions(&code),
        [(
            "long".to_string(),
            MAX_FUNCTION_LINES + 1,
            MAX_FUNCTION_LINES + 1
        )]
    );
}

#[test]
fn the_sources_keep_the_layers() {
    let src = Path::new(env!("CARGO_MANIFEST_DIR")).join("src");
    let found = breaches(&src);
    assert!(
        found.is_empty(),
        "{} breach(es) of the layering rule:\n{}",
        found.len(),
        found.join("\n")
    );
}

/// A throwaway source tree for the checker's own tests.
fn tree(files: &[(&str, &str)]) -> PathBuf {
    use std::sync::atomic::{AtomicUsize, Ordering};
    static N: AtomicUsize = AtomicUsize::new(0);
    let root = std::env::temp_dir().join(format!(
        "korpsmonitor-layers-{}-{}",
        std::process::id(),
        N.fetch_add(1, Ordering::SeqCst)
    ));
    let src = root.join("src");
    let _ = std::fs::remove_dir_all(&root);
    for (path, text) in files {
        let file = src.join(path);
        std::fs::create_dir_all(file.parent().unwrap()).unwrap();
        std::fs::write(file, text).unwrap();
    }
    src
}

#[test]
fn an_upward_import_is_named_with_file_and_line() {
    let src = tree(&[
        ("lib.rs", "mod base;\nmod app;\n"),
        ("app/mod.rs", "pub mod build;\n"),
        ("app/build.rs", "pub struct Built;\n"),
        ("base/mod.rs", "pub mod output;\n"),
        (
            "base/output.rs",
            "// crate::app::build in a comment is no import\n\
             const S: &str = \"crate::app::build\";\n\
             pub fn write(b: &crate::app::build::Built) {}\n",
        ),
    ]);
    let found = breaches(&src);
    assert_eq!(
        found,
        [
            "src/base/output.rs:3: base::output (base) imports app::build (app), a layer above its own"
        ]
    );
}

#[test]
fn a_circle_is_named_with_every_import_in_it() {
    let src = tree(&[
        ("lib.rs", "mod figures;\n"),
        (
            "figures/mod.rs",
            "pub mod score;\npub mod trends;\npub mod stats;\n",
        ),
        (
            "figures/score.rs",
            "use crate::figures::{stats, trends::Trend};\n",
        ),
        ("figures/trends.rs", "use super::score::Score;\n"),
        ("figures/stats.rs", "pub fn median() {}\n"),
    ]);
    let found = breaches(&src);
    assert_eq!(found.len(), 1, "{found:?}");
    assert!(
        found[0]
            .starts_with("modules import each other in a circle: figures::score, figures::trends"),
        "{}",
        found[0]
    );
    assert!(found[0].contains("src/figures/score.rs:1: figures::score -> figures::trends"));
    assert!(found[0].contains("src/figures/trends.rs:1: figures::trends -> figures::score"));
}

#[test]
fn a_parent_that_re_exports_its_child_which_uses_it_is_a_circle() {
    let src = tree(&[
        ("lib.rs", "mod base;\n"),
        ("base/mod.rs", "pub mod diagnostics;\n"),
        (
            "base/diagnostics/mod.rs",
            "mod templates;\npub use templates::typst;\npub struct D;\n",
        ),
        (
            "base/diagnostics/templates.rs",
            "use super::D;\npub fn typst() {}\n",
        ),
    ]);
    let found = breaches(&src);
    assert_eq!(found.len(), 1, "{found:?}");
    assert!(found[0].contains("base::diagnostics, base::diagnostics::templates"));
}

#[test]
fn test_code_clap_and_unlayered_files() {
    let src = tree(&[
        ("lib.rs", "mod data;\nmod loose;\n"),
        ("loose.rs", "pub fn f() {}\n"),
        ("data/mod.rs", "pub mod load;\n"),
        (
            "data/load.rs",
            "#[cfg(test)]\nmod tests {\n    use crate::cli::Args;\n}\n\
             fn parse(a: clap::ArgMatches) {}\n",
        ),
        ("cli.rs", "use crate::data::load;\n"),
    ]);
    let found = breaches(&src);
    assert_eq!(
        found,
        [
            "src/data/load.rs:5: module data::load uses clap below the face",
            "src/loose.rs: module loose is in no layer (expected below one of the folders \
             base, data, words, figures, typeset, render, app)",
        ]
    );
}
