//! Rendering: minijinja templates wire the data into Typst source.
//!
//! Text from YAML never becomes Typst code. Every `{{ value }}` in a
//! template is written by [`typst_literal`] as a Typst *literal*: strings
//! as string literals, lists as arrays, maps as dictionaries. The house
//! style (Typst functions in `style.typ`) receives these values and lays
//! them out; a string literal shown as content prints exactly its
//! characters. Prose in the inline subset is parsed here into blocks and
//! runs (see [`prose`]) and passed on as data as well.

use std::collections::BTreeMap;
use std::fmt::Write as _;
use std::fs;
use std::path::{Path, PathBuf};

use minijinja::value::{Value, ValueKind};
use minijinja::{Environment, UndefinedBehavior};
use serde::Serialize;

pub mod abbreviations;
pub mod chapters;
pub mod charts;
pub mod context;
pub mod docx;
pub mod docx_read;
pub mod house_style;
pub mod html;
pub mod letter;
pub mod open_data;
pub mod placeholders;
pub mod repetition;
pub mod report;
pub(crate) mod stale;
pub(crate) mod summary;
pub(crate) mod table;
pub mod trends;

use crate::base::diagnostics::Diagnostic;

/// The house style's settings among the templates
/// ([`house_style::HouseStyle`]).
pub const HOUSE_STYLE: &str = "house-style.yaml";

/// The default templates, compiled into the binary.
pub const DEFAULT_TEMPLATES: &[(&str, &str)] = &[
    ("style.typ", include_str!("../../templates/style.typ")),
    (
        HOUSE_STYLE,
        include_str!("../../templates/house-style.yaml"),
    ),
    (
        "report.typ.j2",
        include_str!("../../templates/report.typ.j2"),
    ),
    ("letter.typ", include_str!("../../templates/letter.typ")),
    (
        "aanbiedingsbrief.typ.j2",
        include_str!("../../templates/aanbiedingsbrief.typ.j2"),
    ),
    (
        "brief-korpsbeheerder.typ.j2",
        include_str!("../../templates/brief-korpsbeheerder.typ.j2"),
    ),
    // The web edition (src/render/html.rs): HTML templates, one style sheet
    // and one script.
    (
        "web/macros.html.j2",
        include_str!("../../templates/web/macros.html.j2"),
    ),
    (
        "web/base.html.j2",
        include_str!("../../templates/web/base.html.j2"),
    ),
    (
        "web/index.html.j2",
        include_str!("../../templates/web/index.html.j2"),
    ),
    (
        "web/units.html.j2",
        include_str!("../../templates/web/units.html.j2"),
    ),
    (
        "web/unit.html.j2",
        include_str!("../../templates/web/unit.html.j2"),
    ),
    (
        "web/new-unit.html.j2",
        include_str!("../../templates/web/new-unit.html.j2"),
    ),
    (
        "web/method.html.j2",
        include_str!("../../templates/web/method.html.j2"),
    ),
    (
        "web/partners.html.j2",
        include_str!("../../templates/web/partners.html.j2"),
    ),
    (
        "web/recommendations.html.j2",
        include_str!("../../templates/web/recommendations.html.j2"),
    ),
    (
        "web/annexes.html.j2",
        include_str!("../../templates/web/annexes.html.j2"),
    ),
    (
        "web/letter.html.j2",
        include_str!("../../templates/web/letter.html.j2"),
    ),
    (
        "web/open-data.html.j2",
        include_str!("../../templates/web/open-data.html.j2"),
    ),
    (
        "web/accessibility.html.j2",
        include_str!("../../templates/web/accessibility.html.j2"),
    ),
    (
        "web/about.html.j2",
        include_str!("../../templates/web/about.html.j2"),
    ),
    (
        "web/compare.html.j2",
        include_str!("../../templates/web/compare.html.j2"),
    ),
    ("web/site.js", include_str!("../../templates/web/site.js")),
    ("web/site.css", include_str!("../../templates/web/site.css")),
];

/// The folder of the web edition's templates, inside a templates folder.
pub const WEB_DIR: &str = "web";

/// The deepest nesting of data passed to a template.
const MAX_DEPTH: usize = 32;

/// Where a template's text came from.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Origin {
    /// Compiled into the binary.
    Embedded,
    /// Read from the user's templates folder.
    File(PathBuf),
}

/// The set of templates and house-style files for one build.
#[derive(Debug, Clone)]
pub struct Templates {
    files: BTreeMap<String, (String, Origin)>,
}

impl Templates {
    /// The defaults compiled into the binary.
    pub fn embedded() -> Templates {
        Templates {
            files: DEFAULT_TEMPLATES
                .iter()
                .map(|(name, text)| (name.to_string(), (text.to_string(), Origin::Embedded)))
                .collect(),
        }
    }

    /// The defaults, with every `.j2` and `.typ` file and `house-style.yaml`
    /// of `dir` replacing (or adding to) the default of the same name, and
    /// every `.j2` and `.css`
    /// file of `dir/web/` doing so for the web edition's templates.
    pub fn with_overrides(dir: &Path) -> Result<Templates, Box<Diagnostic>> {
        let mut t = Templates::embedded();
        t.add_overrides(dir, dir, "", &["j2", "typ", "yaml"])?;
        let web = dir.join(WEB_DIR);
        if fs::symlink_metadata(&web).is_ok_and(|m| m.is_dir()) {
            t.add_overrides(dir, &web, "web/", &["j2", "css", "js"])?;
        }
        Ok(t)
    }

    /// Reads the templates of `folder` (below `dir`) whose names end in
    /// one of `exts`, named `prefix` + file name.
    fn add_overrides(
        &mut self,
        dir: &Path,
        folder: &Path,
        prefix: &str,
        exts: &[&str],
    ) -> Result<(), Box<Diagnostic>> {
        let t = self;
        // Read as every input is (crate::base::input): no links, regular files
        // only, within the size limit of data files.
        let entries = crate::base::input::list(dir, folder).map_err(|e| {
            Box::new(Diagnostic::error(
                folder,
                format!("cannot read the templates folder: {e}"),
            ))
        })?;
        for entry in entries {
            let path = entry.path;
            let Some(name) = path.file_name().and_then(|n| n.to_str()) else {
                continue;
            };
            if !exts.iter().any(|x| name.ends_with(&format!(".{x}"))) {
                continue;
            }
            // Of YAML files, only the house style's settings.
            if name.ends_with(".yaml") && name != HOUSE_STYLE {
                continue;
            }
            // A folder where a template belongs is no template: the default
            // would silently take its place.
            if entry.file_type.is_dir() {
                return Err(Box::new(Diagnostic::error(
                    &path,
                    format!("{} is a folder; expected a template file", path.display()),
                )));
            }
            let text = crate::base::input::read(dir, &path, crate::data::load::MAX_FILE_BYTES)
                .map_err(|e| e.to_string())
                .and_then(|b| String::from_utf8(b).map_err(|_| "not valid UTF-8".to_string()))
                .map_err(|e| {
                    Box::new(Diagnostic::error(
                        &path,
                        format!("cannot read template: {e}"),
                    ))
                })?;
            t.files.insert(
                format!("{prefix}{name}"),
                (text, Origin::File(path.clone())),
            );
        }
        Ok(())
    }

    /// The text of a template or style file.
    pub fn get(&self, name: &str) -> Option<&str> {
        self.files.get(name).map(|(t, _)| t.as_str())
    }

    /// Where a template came from, for messages: its path or `<embedded>/name`.
    pub fn display_path(&self, name: &str) -> PathBuf {
        match self.files.get(name) {
            Some((_, Origin::File(p))) => p.clone(),
            _ => PathBuf::from(format!("<embedded>/templates/{name}")),
        }
    }

    /// The static files of every document, by name: the house style's
    /// Typst files and its settings (`house-style.yaml`).
    pub fn typst_files(&self) -> impl Iterator<Item = (&str, &str)> {
        self.files
            .iter()
            .filter(|(n, _)| n.ends_with(".typ") || n.as_str() == HOUSE_STYLE)
            .map(|(n, (t, _))| (n.as_str(), t.as_str()))
    }

    /// The templates that produce Typst source.
    fn templates(&self) -> impl Iterator<Item = (&str, &str)> {
        self.files
            .iter()
            .filter(|(n, _)| n.ends_with(".j2") && !is_web(n))
            .map(|(n, (t, _))| (n.as_str(), t.as_str()))
    }

    /// The web edition's files (`web/...`): its HTML templates and style
    /// sheet.
    pub fn web_files(&self) -> impl Iterator<Item = (&str, &str)> {
        self.files
            .iter()
            .filter(|(n, _)| is_web(n))
            .map(|(n, (t, _))| (n.as_str(), t.as_str()))
    }
}

fn is_web(name: &str) -> bool {
    name.strip_prefix(WEB_DIR)
        .is_some_and(|rest| rest.starts_with('/'))
}

/// Writes the default templates into `dir` for editing; refuses to
/// overwrite existing files.
pub fn write_defaults(dir: &Path) -> Result<Vec<PathBuf>, String> {
    fs::create_dir_all(dir).map_err(|e| crate::base::output::folder_error(dir, e).to_string())?;
    let existing: Vec<String> = DEFAULT_TEMPLATES
        .iter()
        .filter(|(name, _)| fs::symlink_metadata(dir.join(name)).is_ok())
        .map(|(name, _)| dir.join(name).display().to_string())
        .collect();
    if !existing.is_empty() {
        return Err(format!(
            "{} already exist; remove them or choose another folder",
            existing.join(", ")
        ));
    }
    let mut written = Vec::new();
    // Into `dir` only, never through a link below it (`dir/web`): every
    // folder is checked before the first file is written.
    for (name, _) in DEFAULT_TEMPLATES {
        if let Some(parent) = dir.join(name).parent() {
            crate::base::output::create_folder(dir, parent).map_err(|e| e.to_string())?;
        }
    }
    for (name, text) in DEFAULT_TEMPLATES {
        let path = dir.join(name);
        crate::base::output::write_atomic(&path, text.as_bytes())
            .map_err(|e| format!("cannot write {}: {e}", path.display()))?;
        written.push(path);
    }
    Ok(written)
}

/// A span of generated Typst source and the template line that wrote it.
#[derive(Debug, Clone)]
pub struct SourceSpan {
    /// Byte range in the generated source.
    pub range: std::ops::Range<usize>,
    /// Template name.
    pub template: String,
    /// 1-based line in the template.
    pub line: usize,
    /// Whether the output is the template's own text, copied one to one.
    pub raw: bool,
}

/// Generated Typst source with its map back to the templates.
#[derive(Debug, Clone)]
pub struct Generated {
    /// The Typst source, shared with the document that typesets it.
    pub source: std::sync::Arc<str>,
    /// Which template line produced which part of it.
    pub spans: Vec<SourceSpan>,
}

impl Generated {
    /// The template and line that produced the byte at `offset`. Inside
    /// the template's own text the line is exact; inside a `{{ value }}` it
    /// is the line of that expression.
    pub fn origin(&self, offset: usize) -> Option<(&str, usize)> {
        let span = self.spans.iter().find(|s| s.range.contains(&offset))?;
        let mut line = span.line;
        if span.raw
            && let Some(before) = self.source.get(span.range.start..offset)
        {
            line += before.matches('\n').count();
        }
        Some((span.template.as_str(), line))
    }
}

/// A failure to render a template.
#[derive(Debug, Clone)]
pub struct RenderError(pub Box<Diagnostic>);

impl std::fmt::Display for RenderError {
    fn fmt(&self, f: &mut std::fmt::Formatter) -> std::fmt::Result {
        self.0.fmt(f)
    }
}

impl std::error::Error for RenderError {}

/// The work (minijinja fuel: instructions and value sizes) one document
/// template may do: a base plus a share per byte of its data, so the bound
/// grows with the edition (the default templates stay far below it at
/// every size) while a runaway loop stops within seconds
/// (docs/robustness.md).
pub fn template_fuel<C: Serialize>(context: &C) -> u64 {
    /// Counts the bytes of the context as JSON without keeping them.
    struct Count(u64);
    impl std::io::Write for Count {
        fn write(&mut self, buf: &[u8]) -> std::io::Result<usize> {
            self.0 += buf.len() as u64;
            Ok(buf.len())
        }
        fn flush(&mut self) -> std::io::Result<()> {
            Ok(())
        }
    }
    let mut count = Count(0);
    let _ = serde_json::to_writer(&mut count, context);
    TEMPLATE_FUEL_BASE.saturating_add(count.0.saturating_mul(TEMPLATE_FUEL_PER_BYTE))
}

/// The fuel every document template has, whatever its data.
pub const TEMPLATE_FUEL_BASE: u64 = 10_000_000;
/// The fuel added per byte of a template's data (as JSON).
pub const TEMPLATE_FUEL_PER_BYTE: u64 = 50;

/// The deepest nesting of calls, loops and includes a template file may
/// reach.
const TEMPLATE_RECURSION: usize = 64;

/// A minijinja environment as every part of the program makes one:
/// undefined values are errors (an unknown name never becomes empty text)
/// and recursion stops at `recursion` levels. Each user adds its own
/// formatter, escaping and fuel: the document templates
/// ([`Renderer::new`]), the web pages ([`html::site`]) and the
/// placeholders in data ([`placeholders::Placeholders`]).
pub(crate) fn environment<'s>(recursion: usize) -> Environment<'s> {
    let mut env = Environment::new();
    env.set_undefined_behavior(UndefinedBehavior::Strict);
    env.set_recursion_limit(recursion);
    env
}

/// [`environment`] for template files: their block tags leave no blank
/// lines or indentation of their own (`trim_blocks`, `lstrip_blocks`), and
/// a file's last line break is kept.
///
/// Errors: minijinja's, should it refuse this syntax.
pub(crate) fn template_environment<'s>() -> Result<Environment<'s>, minijinja::Error> {
    let mut env = environment(TEMPLATE_RECURSION);
    let syntax = minijinja::syntax::SyntaxConfig::builder()
        .trim_blocks(true)
        .lstrip_blocks(true)
        .keep_trailing_newline(true)
        .build()?;
    env.set_syntax(syntax);
    Ok(env)
}

/// The document templates' environment, built once per build and used for
/// every document: the templates parsed once, strict undefined values,
/// bounded recursion, and every value printed as a Typst literal.
pub struct Renderer<'t> {
    templates: &'t Templates,
    env: Environment<'t>,
}

impl<'t> Renderer<'t> {
    /// The environment of `templates`.
    ///
    /// Errors: a template that does not parse, at its file and line.
    pub fn new(templates: &'t Templates) -> Result<Renderer<'t>, RenderError> {
        let mut env = template_environment().map_err(|e| template_error(templates, &e))?;
        env.set_formatter(|out, _state, value| {
            let mut s = String::new();
            typst_literal(value, &mut s, 0)?;
            out.write_str(&s)
                .map_err(|_| minijinja::Error::new(minijinja::ErrorKind::WriteFailure, "write"))
        });
        for (tname, text) in templates.templates() {
            env.add_template(tname, text)
                .map_err(|e| template_error(templates, &e))?;
        }
        Ok(Renderer { templates, env })
    }

    /// Renders the template `name` with `context` into Typst source, with
    /// the work bounded by the size of `context` ([`template_fuel`]).
    ///
    /// Errors: an unknown template, or a template that fails on this
    /// context, at the template's file and line.
    pub fn render<C: Serialize>(
        &mut self,
        name: &str,
        context: &C,
    ) -> Result<Generated, RenderError> {
        let templates = self.templates;
        // Bounded work: a template loop without end stops with an error.
        self.env.set_fuel(Some(template_fuel(context)));
        let template = self
            .env
            .get_template(name)
            .map_err(|e| template_error(templates, &e))?;
        let (source, spans) = template
            .render_with_spans(Value::from(minijinja::value::Serde(context)))
            .map_err(|e| template_error(templates, &e))?;
        let spans = spans
            .into_iter()
            .map(|s| SourceSpan {
                range: s.output_range(),
                template: s.name().to_string(),
                line: s.line(),
                raw: s.kind() == minijinja::OutputSpanKind::Raw,
            })
            .collect();
        Ok(Generated {
            source: source.into(),
            spans,
        })
    }
}

/// Renders the template `name` with `context` into Typst source, in an
/// environment of its own (a build renders all its documents with one
/// [`Renderer`]).
pub fn render<C: Serialize>(
    templates: &Templates,
    name: &str,
    context: &C,
) -> Result<Generated, RenderError> {
    Renderer::new(templates)?.render(name, context)
}

pub(crate) fn template_error(templates: &Templates, e: &minijinja::Error) -> RenderError {
    let name = e.name().unwrap_or("templates");
    let pos = e
        .line()
        .map(|line| crate::base::locate::Pos { line, column: 1 });
    let mut message = e
        .detail()
        .map(str::to_string)
        .unwrap_or_else(|| e.kind().to_string());
    let mut source = std::error::Error::source(e);
    while let Some(inner) = source {
        let _ = write!(message, ": {inner}");
        source = std::error::Error::source(inner);
    }
    RenderError(Box::new(
        Diagnostic::error(
            templates.display_path(name),
            format!("template error: {message}"),
        )
        .at(pos),
    ))
}

/// Any serialisable value as a Typst literal.
pub fn to_typst<T: Serialize>(value: &T) -> Result<String, minijinja::Error> {
    let mut out = String::new();
    typst_literal(&Value::from(minijinja::value::Serde(value)), &mut out, 0)?;
    Ok(out)
}

/// Writes `value` as a Typst literal: the only way data enters the Typst
/// source.
pub fn typst_literal(
    value: &Value,
    out: &mut String,
    depth: usize,
) -> Result<(), minijinja::Error> {
    let too_deep = || {
        minijinja::Error::new(
            minijinja::ErrorKind::InvalidOperation,
            "data nested too deeply for a template",
        )
    };
    if depth > MAX_DEPTH {
        return Err(too_deep());
    }
    match value.kind() {
        ValueKind::Undefined | ValueKind::None => out.push_str("none"),
        ValueKind::Bool => out.push_str(if value.is_true() { "true" } else { "false" }),
        ValueKind::Number => {
            if let Some(i) = value.as_i64() {
                let _ = write!(out, "{i}");
            } else {
                let f = f64::try_from(value.clone()).unwrap_or(f64::NAN);
                if f.is_finite() {
                    let _ = write!(out, "{f:?}");
                } else {
                    out.push_str("none");
                }
            }
        }
        ValueKind::String => string_literal(value.as_str().unwrap_or_default(), out),
        ValueKind::Seq | ValueKind::Iterable => {
            out.push('(');
            for item in value.try_iter()? {
                typst_literal(&item, out, depth + 1)?;
                out.push_str(", ");
            }
            out.push(')');
        }
        ValueKind::Map => {
            out.push('(');
            let mut empty = true;
            for key in value.try_iter()? {
                let item = value.get_item(&key)?;
                string_literal(&key.to_string(), out);
                out.push_str(": ");
                typst_literal(&item, out, depth + 1)?;
                out.push_str(", ");
                empty = false;
            }
            if empty {
                out.push(':');
            }
            out.push(')');
        }
        _ => {
            return Err(minijinja::Error::new(
                minijinja::ErrorKind::InvalidOperation,
                format!("cannot write a {} value into Typst", value.kind()),
            ));
        }
    }
    Ok(())
}

/// Writes `s` as a Typst string literal. Inside the quotes, only `\` and
/// `"` are special (and line breaks end nothing, but are escaped for
/// readability); every other character stands for itself.
pub fn string_literal(s: &str, out: &mut String) {
    out.reserve(s.len() + 2);
    out.push('"');
    for c in s.chars() {
        match c {
            '\\' => out.push_str("\\\\"),
            '"' => out.push_str("\\\""),
            '\n' => out.push_str("\\n"),
            '\r' => out.push_str("\\r"),
            '\t' => out.push_str("\\t"),
            c if c.is_control() => {
                let _ = write!(out, "\\u{{{:x}}}", c as u32);
            }
            c => out.push(c),
        }
    }
    out.push('"');
}

/// A block of prose: a paragraph or a bullet list.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(tag = "kind", rename_all = "snake_case")]
pub enum Block {
    /// A paragraph of runs.
    Paragraph {
        /// The runs.
        runs: Vec<Run>,
    },
    /// A bullet list; each item a sequence of runs.
    List {
        /// The items.
        items: Vec<Vec<Run>>,
    },
}

/// A run of text, emphasised or not.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Run {
    /// The characters, exactly as written (quotes made typographic).
    pub text: String,
    /// Whether the run is emphasised.
    pub emph: bool,
}

/// Parses the inline subset: paragraphs separated by blank lines, bullet
/// lists of lines that start with `- `, and `*emphasis*`. Every other
/// character is kept as written (straight quotes become typographic);
/// runs of white space fold into one space.
pub fn prose(text: &str) -> Vec<Block> {
    let mut blocks = Vec::new();
    let mut para: Vec<&str> = Vec::new();
    let mut items: Vec<Vec<&str>> = Vec::new();
    let flush_para = |para: &mut Vec<&str>, blocks: &mut Vec<Block>| {
        if !para.is_empty() {
            blocks.push(Block::Paragraph {
                runs: inline(&para.join(" ")),
            });
            para.clear();
        }
    };
    let flush_list = |items: &mut Vec<Vec<&str>>, blocks: &mut Vec<Block>| {
        if !items.is_empty() {
            blocks.push(Block::List {
                items: items.iter().map(|lines| inline(&lines.join(" "))).collect(),
            });
            items.clear();
        }
    };
    for line in text.lines() {
        let trimmed = line.trim();
        if trimmed.is_empty() {
            flush_para(&mut para, &mut blocks);
            flush_list(&mut items, &mut blocks);
        } else if let Some(item) = bullet_item(trimmed) {
            flush_para(&mut para, &mut blocks);
            items.push(vec![item]);
        } else if let Some(last) = items.last_mut() {
            last.push(trimmed);
        } else {
            para.push(trimmed);
        }
    }
    flush_para(&mut para, &mut blocks);
    flush_list(&mut items, &mut blocks);
    blocks
}

/// The bullets a list item may start with: `-` as the data format writes
/// it, and the ones text pasted from a word processor brings (`•`, `◦`,
/// `▪`, `·`, `–`, `*`), each followed by a space or a tab.
pub const BULLETS: [char; 7] = ['-', '•', '◦', '▪', '·', '–', '*'];

/// The text of a list item, when `line` (trimmed) starts with one of
/// [`BULLETS`] and a space or tab.
fn bullet_item(line: &str) -> Option<&str> {
    let rest = line.strip_prefix(BULLETS)?;
    rest.starts_with([' ', '\t']).then(|| rest.trim_start())
}

fn is_opening_context(prev: Option<char>) -> bool {
    match prev {
        None => true,
        Some(c) => c.is_whitespace() || "([{\u{2018}\u{201c}/-\u{2013}".contains(c),
    }
}

/// Splits one paragraph into runs, folding white space and turning
/// `*text*` into emphasis where the asterisks are a well-formed pair.
pub fn inline(text: &str) -> Vec<Run> {
    let folded: String = {
        let mut s = String::with_capacity(text.len());
        let mut space = false;
        for c in text.chars() {
            // A non-breaking space is kept: it binds a numeral to its noun.
            if c.is_whitespace() && c != '\u{a0}' {
                space = true;
            } else {
                if space && !s.is_empty() {
                    s.push(' ');
                }
                space = false;
                s.push(c);
            }
        }
        s
    };
    let chars: Vec<char> = folded.chars().collect();
    let mut runs: Vec<Run> = Vec::new();
    let mut plain = String::new();
    let mut i = 0;
    while i < chars.len() {
        let c = chars[i];
        if c == '*'
            && is_opening_context(i.checked_sub(1).map(|j| chars[j]))
            && let Some(end) = closing_star(&chars, i)
        {
            {
                if !plain.is_empty() {
                    runs.push(Run {
                        text: smart_quotes(&std::mem::take(&mut plain)),
                        emph: false,
                    });
                }
                let inner: String = chars[i + 1..end].iter().collect();
                runs.push(Run {
                    text: smart_quotes(&inner),
                    emph: true,
                });
                i = end + 1;
                continue;
            }
        }
        plain.push(c);
        i += 1;
    }
    if !plain.is_empty() {
        runs.push(Run {
            text: smart_quotes(&plain),
            emph: false,
        });
    }
    runs
}

/// The index of the `*` closing an emphasis opened at `open`, if any: the
/// next `*` that follows a non-space and precedes a space, punctuation or
/// the end, with at least one character in between that is not a space.
fn closing_star(chars: &[char], open: usize) -> Option<usize> {
    let first = *chars.get(open + 1)?;
    if first.is_whitespace() || first == '*' {
        return None;
    }
    let mut j = open + 1;
    while j < chars.len() {
        if chars[j] == '*' {
            let before = chars[j - 1];
            let after = chars.get(j + 1).copied();
            let closes_ok =
                after.is_none_or(|a| a.is_whitespace() || (a.is_ascii_punctuation() && a != '*'));
            if !before.is_whitespace() && j > open + 1 && closes_ok {
                return Some(j);
            }
        }
        j += 1;
    }
    None
}

/// Straight quotes made typographic: `"` to “ ”, `'` to ‘ ’ (an
/// apostrophe inside a word is ’).
pub fn smart_quotes(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    let mut prev: Option<char> = None;
    for c in text.chars() {
        let opening = is_opening_context(prev);
        out.push(match (c, opening) {
            ('"', true) => '\u{201c}',
            ('"', false) => '\u{201d}',
            ('\'', true) => '\u{2018}',
            ('\'', false) => '\u{2019}',
            (c, _) => c,
        });
        prev = Some(c);
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    fn lit(v: Value) -> String {
        let mut s = String::new();
        typst_literal(&v, &mut s, 0).unwrap();
        s
    }

    #[test]
    fn strings_become_string_literals() {
        assert_eq!(lit(Value::from("a\"b\\c")), r#""a\"b\\c""#);
        assert_eq!(lit(Value::from("#import \"x\"")), r##""#import \"x\"""##);
        assert_eq!(lit(Value::from("r\u{7}\n")), r#""r\u{7}\n""#);
        assert_eq!(
            lit(Value::from("$x$ *y* _z_ <l> @r [a] // c")),
            r#""$x$ *y* _z_ <l> @r [a] // c""#
        );
    }

    #[test]
    fn structures_become_arrays_and_dictionaries() {
        let v = Value::from(minijinja::value::Serde(
            serde_json::json!({"a": [1, 2.5, true, null], "b": {}}),
        ));
        assert_eq!(lit(v), r#"("a": (1, 2.5, true, none, ), "b": (:), )"#);
        assert_eq!(lit(Value::from(Vec::<i32>::new())), "()");
        assert_eq!(lit(Value::from(vec!["x"])), r#"("x", )"#);
    }

    #[test]
    fn bullets_pasted_from_a_word_processor_make_list_items() {
        let pasted =
            "Verbeterpunten:\n•\tsturing\n◦ registratie\n–\topleiding\n* borging\n-\tcapaciteit";
        let blocks = prose(pasted);
        let plain = |t: &str| {
            vec![Run {
                text: t.into(),
                emph: false,
            }]
        };
        assert_eq!(
            blocks,
            vec![
                Block::Paragraph {
                    runs: plain("Verbeterpunten:")
                },
                Block::List {
                    items: [
                        "sturing",
                        "registratie",
                        "opleiding",
                        "borging",
                        "capaciteit"
                    ]
                    .map(plain)
                    .to_vec()
                },
            ]
        );
        // A dash or star inside a line, or emphasis at its start, is no bullet.
        assert!(matches!(
            &prose("*Let op*: 3 - 2")[..],
            [Block::Paragraph { .. }]
        ));
        assert!(matches!(&prose("–2 graden")[..], [Block::Paragraph { .. }]));
    }

    #[test]
    fn prose_has_paragraphs_lists_and_emphasis() {
        let blocks = prose("Eerste *alinea*\nloopt door.\n\n- een\n- twee\n  vervolg\n\nSlot.");
        assert_eq!(
            blocks,
            vec![
                Block::Paragraph {
                    runs: vec![
                        Run {
                            text: "Eerste ".into(),
                            emph: false
                        },
                        Run {
                            text: "alinea".into(),
                            emph: true
                        },
                        Run {
                            text: " loopt door.".into(),
                            emph: false
                        },
                    ]
                },
                Block::List {
                    items: vec![
                        vec![Run {
                            text: "een".into(),
                            emph: false
                        }],
                        vec![Run {
                            text: "twee vervolg".into(),
                            emph: false
                        }],
                    ]
                },
                Block::Paragraph {
                    runs: vec![Run {
                        text: "Slot.".into(),
                        emph: false
                    }]
                },
            ]
        );
    }

    #[test]
    fn stray_asterisks_stay_literal() {
        let text = |s: &str| -> (String, bool) {
            let runs = inline(s);
            (
                runs.iter().map(|r| r.text.as_str()).collect(),
                runs.iter().any(|r| r.emph),
            )
        };
        assert_eq!(text("a*b*c"), ("a*b*c".into(), false));
        assert_eq!(text("2 * 3 * 4"), ("2 * 3 * 4".into(), false));
        assert_eq!(text("**"), ("**".into(), false));
        assert_eq!(text("*"), ("*".into(), false));
        assert_eq!(text("* a*"), ("* a*".into(), false));
        assert_eq!(text("(*zie*)"), ("(zie)".into(), true));
        assert_eq!(text("*a*b"), ("*a*b".into(), false));
        assert_eq!(text("*a*."), ("a.".into(), true));
    }

    #[test]
    fn quotes_become_typographic() {
        assert_eq!(
            smart_quotes("\"ja\" en 'nee', auto's"),
            "\u{201c}ja\u{201d} en \u{2018}nee\u{2019}, auto\u{2019}s"
        );
    }

    #[test]
    fn parsing_keeps_every_other_character() {
        let input = "#let x = 1; $a$ _b_ <c> @d [e] \\f // g = h - i + j ~ k \u{202e}שלום 🙂";
        let runs = inline(input);
        let out: String = runs.iter().map(|r| r.text.as_str()).collect();
        assert_eq!(out, input);
    }
}
