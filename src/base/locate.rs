//! Maps field paths in a YAML file to their line and column.
//!
//! serde_yaml reports positions for syntax and type errors only; the checks
//! that run after deserialisation (points above the maximum, unknown ids)
//! find their position here, from the YAML event stream.

use std::collections::HashMap;

use saphyr_parser::{Event, Parser};

/// A position in a source file: 1-based line and column (in characters).
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub struct Pos {
    /// 1-based line.
    pub line: usize,
    /// 1-based column, counted in characters.
    pub column: usize,
}

/// The positions of the keys and values of one YAML document.
#[derive(Debug, Default, Clone)]
pub struct Locations {
    values: HashMap<String, Pos>,
    keys: HashMap<String, Pos>,
    /// The first scalar value holding a character no document can carry.
    control: Option<(String, Pos, char)>,
    /// The first scalar value with an unbalanced direction control.
    direction: Option<(String, Pos, char)>,
    /// Where each scalar value ends (just past its last character).
    ends: HashMap<String, Pos>,
}

/// Whether `c` is a character the documents cannot carry: a C0 control
/// other than tab and line feed, DEL, a C1 control (Unicode category Cc),
/// or the noncharacters U+FFFE and U+FFFF. XML 1.0 (the charts' SVG, the
/// PDF's XMP metadata) cannot hold C0 controls or these noncharacters at
/// all, and no font draws any of them. YAML forbids them written raw; in a
/// double-quoted scalar they can be written as escapes (`"\e"`, `"\x01"`).
pub fn is_unprintable(c: char) -> bool {
    (c.is_control() && c != '\t' && c != '\n') || c == '\u{fffe}' || c == '\u{ffff}'
}

/// The first direction control of `text` that is out of balance, with its
/// index in characters: an embedding or override (U+202A, U+202B, U+202D,
/// U+202E) not closed by U+202C, an isolate (U+2066 to U+2068) not closed
/// by U+2069, or a closer with nothing to close (Unicode Bidirectional
/// Algorithm, UAX #9, 3.1.2). One left open reverses the text printed after
/// the text it stands in. `None` when balanced.
pub fn unbalanced_direction(text: &str) -> Option<(usize, char)> {
    let mut open: Vec<(usize, char, u8)> = Vec::new();
    for (i, c) in text.chars().enumerate() {
        match c {
            '\u{202A}' | '\u{202B}' | '\u{202D}' | '\u{202E}' => open.push((i, c, 0)),
            '\u{2066}' | '\u{2067}' | '\u{2068}' => open.push((i, c, 1)),
            '\u{202C}' | '\u{2069}' => {
                let kind = u8::from(c == '\u{2069}');
                if open.last().is_some_and(|o| o.2 == kind) {
                    open.pop();
                } else {
                    return Some((i, c));
                }
            }
            _ => {}
        }
    }
    open.first().map(|&(i, c, _)| (i, c))
}

impl Locations {
    /// Where the value at `path` starts (e.g. `dimensions.vergund.points.controle`).
    pub fn value(&self, path: &str) -> Option<Pos> {
        self.values.get(path).copied()
    }

    /// Where the key of the entry at `path` starts; for a sequence item, its value.
    pub fn key(&self, path: &str) -> Option<Pos> {
        self.keys
            .get(path)
            .or_else(|| self.values.get(path))
            .copied()
    }

    /// Where to show a problem about the field at `path` when the file
    /// does not write it: the key of the nearest enclosing entry that is
    /// written (`key_figures:` for `key_figures.victims`, the item for
    /// `dimensions[1].name`), or, for a field of the top level, the start
    /// of the top-level value (its first key). `None` when the file holds
    /// no value at all.
    pub fn enclosing(&self, path: &str) -> Option<Pos> {
        let mut at = path;
        while let Some(up) = parent(at) {
            if up.is_empty() {
                return self.values.get("").copied();
            }
            if let Some(pos) = self.key(up) {
                return Some(pos);
            }
            at = up;
        }
        None
    }

    /// The first scalar value (in file order) holding a character that
    /// [`is_unprintable`]: its field path, position and that character.
    pub fn unprintable(&self) -> Option<(&str, Pos, char)> {
        self.control
            .as_ref()
            .map(|(p, pos, c)| (p.as_str(), *pos, *c))
    }

    /// The first scalar value (in file order) with a direction control out
    /// of balance ([`unbalanced_direction`]): its field path, position and
    /// that character.
    pub fn unbalanced_direction(&self) -> Option<(&str, Pos, char)> {
        self.direction
            .as_ref()
            .map(|(p, pos, c)| (p.as_str(), *pos, *c))
    }

    /// The scalar value at `path` exactly as written in `src` (quotes
    /// included), shortened to at most `max` characters with `…`; `None`
    /// when the value is not a scalar or has no position.
    pub fn written(&self, src: &str, path: &str, max: usize) -> Option<String> {
        let start = self.values.get(path)?;
        let end = self.ends.get(path)?;
        let line = src.lines().nth(start.line - 1)?;
        let text: String = if end.line == start.line {
            line.chars()
                .skip(start.column - 1)
                .take(end.column.saturating_sub(start.column))
                .collect()
        } else {
            // A scalar over several lines: its first line stands for it.
            line.chars().skip(start.column - 1).collect::<String>() + " …"
        };
        let text = written_token(&text);
        if text.is_empty() {
            return None;
        }
        Some(if text.chars().count() > max {
            text.chars().take(max).collect::<String>() + "…"
        } else {
            text.to_string()
        })
    }

    /// Indexes `src`. Positions are recorded up to the first syntax error;
    /// nesting deeper than a fixed limit is not recorded.
    pub fn index(src: &str) -> Locations {
        const MAX_DEPTH: usize = 64;
        let mut locs = Locations::default();
        let mut stack: Vec<Frame> = Vec::new();
        // Nesting beyond MAX_DEPTH is skipped, counting the levels.
        let mut skipped = 0usize;
        for item in Parser::new_from_str(src) {
            let Ok((event, span)) = item else { break };
            let pos = Pos {
                line: span.start.line(),
                column: span.start.col() + 1,
            };
            let starts = matches!(event, Event::MappingStart(..) | Event::SequenceStart(..));
            let ends = matches!(event, Event::MappingEnd | Event::SequenceEnd);
            let is_node = starts || matches!(event, Event::Scalar(..) | Event::Alias(..));
            if skipped > 0 {
                if starts {
                    skipped += 1;
                } else if ends {
                    skipped -= 1;
                    if skipped == 0 {
                        advance(&mut stack);
                    }
                }
                continue;
            }
            if ends {
                if let Some(frame) = stack.pop() {
                    if frame.is_key {
                        // A complex key is complete: its value follows.
                        if let Some(Frame {
                            kind: Kind::Map { pending_key, .. },
                            ..
                        }) = stack.last_mut()
                        {
                            *pending_key = Some(String::from("?"));
                        }
                    } else {
                        advance(&mut stack);
                    }
                }
                continue;
            }
            if !is_node {
                continue;
            }
            let (path, is_key) = match stack.last_mut() {
                None => (String::new(), false),
                Some(Frame {
                    kind: Kind::Map { path, pending_key },
                    ..
                }) => match pending_key {
                    None => {
                        let key = match &event {
                            Event::Scalar(text, ..) => text.to_string(),
                            _ => String::from("?"),
                        };
                        let child = join(path, &key);
                        locs.keys.entry(child.clone()).or_insert(pos);
                        if !starts {
                            *pending_key = Some(key);
                            continue;
                        }
                        (child, true)
                    }
                    Some(key) => (join(path, key), false),
                },
                Some(Frame {
                    kind: Kind::Seq { path, index },
                    ..
                }) => (format!("{path}[{index}]"), false),
            };
            if !is_key {
                if matches!(event, Event::Scalar(..)) {
                    locs.ends.entry(path.clone()).or_insert(Pos {
                        line: span.end.line(),
                        column: span.end.col() + 1,
                    });
                }
                locs.values.entry(path.clone()).or_insert(pos);
                if locs.control.is_none()
                    && let Event::Scalar(text, ..) = &event
                    && let Some(c) = text.chars().find(|&c| is_unprintable(c))
                {
                    locs.control = Some((path.clone(), pos, c));
                }
                if locs.direction.is_none()
                    && let Event::Scalar(text, ..) = &event
                    && let Some((_, c)) = unbalanced_direction(text)
                {
                    locs.direction = Some((path.clone(), pos, c));
                }
            }
            if !starts {
                advance(&mut stack);
            } else if stack.len() >= MAX_DEPTH {
                skipped = 1;
            } else {
                let kind = if matches!(event, Event::MappingStart(..)) {
                    Kind::Map {
                        path,
                        pending_key: None,
                    }
                } else {
                    Kind::Seq { path, index: 0 }
                };
                stack.push(Frame { kind, is_key });
            }
        }
        locs
    }
}

/// The scalar at the start of `text`: a quoted one up to its closing
/// quote, a plain one up to a comment; without trailing spaces.
fn written_token(text: &str) -> &str {
    let mut chars = text.char_indices();
    let end = match chars.next() {
        Some((_, '"')) => {
            let mut escaped = false;
            chars
                .find(|&(_, c)| {
                    let close = c == '"' && !escaped;
                    escaped = c == '\\' && !escaped;
                    close
                })
                .map(|(i, _)| i + 1)
        }
        Some((_, '\'')) => {
            let bytes = text.as_bytes();
            let mut i = 1;
            loop {
                match bytes.get(i) {
                    Some(b'\'') if bytes.get(i + 1) == Some(&b'\'') => i += 2,
                    Some(b'\'') => break Some(i + 1),
                    Some(_) => i += 1,
                    None => break None,
                }
            }
        }
        _ => text.find(" #"),
    };
    text[..end.unwrap_or(text.len())].trim_end()
}

struct Frame {
    kind: Kind,
    /// Whether this collection is itself the key of a mapping entry.
    is_key: bool,
}

enum Kind {
    Map {
        path: String,
        pending_key: Option<String>,
    },
    Seq {
        path: String,
        index: usize,
    },
}

/// After a complete value, the enclosing mapping expects a key again and the
/// enclosing sequence moves to its next item.
fn advance(stack: &mut [Frame]) {
    match stack.last_mut().map(|f| &mut f.kind) {
        Some(Kind::Map { pending_key, .. }) => *pending_key = None,
        Some(Kind::Seq { index, .. }) => *index += 1,
        None => {}
    }
}

/// The path of the entry holding `path` (`a.b` for `a.b.c` and `a.b[2]`,
/// the empty path for a field of the top level); `None` for the top level
/// itself.
fn parent(path: &str) -> Option<&str> {
    if path.is_empty() {
        return None;
    }
    let cut = path.rfind('.').max(path.rfind('[')).unwrap_or(0);
    Some(&path[..cut])
}

fn join(path: &str, key: &str) -> String {
    if path.is_empty() {
        key.to_string()
    } else {
        format!("{path}.{key}")
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const SRC: &str = "\
id: groningen
name: Groningen
dimensions:
  vergund:
    points:
      controle: 3
      vergunning: nvt
    findings: |
      Tekst.
recommendations:
  - Eerste
  - Tweede
flow: {a: 1, b: [x, y]}
";

    #[test]
    fn finds_the_first_unprintable_value() {
        let locs =
            Locations::index("a: \"ok\\tand\\nok\"\nb:\n  - x\n  - \"y\\e[2J\"\nc: \"\\x01\"\n");
        assert_eq!(
            locs.unprintable(),
            Some(("b[1]", Pos { line: 4, column: 5 }, '\u{1b}'))
        );
        assert!(Locations::index(SRC).unprintable().is_none());
        for c in ['\u{7f}', '\u{85}', '\u{9b}', '\r', '\u{fffe}', '\u{ffff}'] {
            assert!(is_unprintable(c), "{c:?}");
        }
        for c in ['\t', '\n', ' ', 'é', '\u{202e}', '\u{a0}'] {
            assert!(!is_unprintable(c), "{c:?}");
        }
    }

    #[test]
    fn finds_values_and_keys() {
        let locs = Locations::index(SRC);
        assert_eq!(locs.value("id"), Some(Pos { line: 1, column: 5 }));
        assert_eq!(
            locs.value("dimensions.vergund.points.controle"),
            Some(Pos {
                line: 6,
                column: 17
            })
        );
        assert_eq!(
            locs.key("dimensions.vergund.points.vergunning"),
            Some(Pos { line: 7, column: 7 })
        );
        assert_eq!(
            locs.key("dimensions.vergund"),
            Some(Pos { line: 4, column: 3 })
        );
        assert_eq!(
            locs.value("recommendations[1]"),
            Some(Pos {
                line: 12,
                column: 5
            })
        );
        assert_eq!(
            locs.value("flow.b[1]"),
            Some(Pos {
                line: 13,
                column: 21
            })
        );
        assert_eq!(
            locs.value("flow.a"),
            Some(Pos {
                line: 13,
                column: 11
            })
        );
    }

    #[test]
    fn stops_quietly_on_syntax_errors_and_deep_nesting() {
        let locs = Locations::index("a: 1\nb: [\n");
        assert_eq!(locs.value("a"), Some(Pos { line: 1, column: 4 }));
        // Deeper than the recording limit: the outer levels are recorded.
        let deep = format!("a: {}1{}\nb: 2\n", "[".repeat(100), "]".repeat(100));
        let locs = Locations::index(&deep);
        assert_eq!(locs.value("a"), Some(Pos { line: 1, column: 4 }));
        assert_eq!(locs.value("b"), Some(Pos { line: 2, column: 4 }));
        assert!(locs.value("a[0][0]").is_some());
        // Far too deep for the parser: no panic, no positions needed.
        let _ = Locations::index(&"[".repeat(100_000));
    }

    #[test]
    fn an_absent_field_is_placed_at_the_mapping_that_lacks_it() {
        let src = "# kop\nid: a\nkey_figures:\n  suspects: 1\nlist:\n  - x: 1\n";
        let locs = Locations::index(src);
        // A field of the top level: the first key.
        assert_eq!(locs.enclosing("name"), Some(Pos { line: 2, column: 1 }));
        assert_eq!(
            locs.enclosing("key_figures.victims"),
            Some(Pos { line: 3, column: 1 })
        );
        // Several levels absent: the nearest one written.
        assert_eq!(
            locs.enclosing("key_figures.a.b[3].c"),
            Some(Pos { line: 3, column: 1 })
        );
        assert_eq!(
            locs.enclosing("list[0].y"),
            Some(Pos { line: 6, column: 5 })
        );
        assert_eq!(locs.enclosing("list[4]"), Some(Pos { line: 5, column: 1 }));
        assert_eq!(locs.enclosing(""), None);
        assert_eq!(Locations::index("").enclosing("id"), None);
        assert_eq!(parent("a[0].b"), Some("a[0]"));
        assert_eq!(parent("a.b[2]"), Some("a.b"));
        assert_eq!(parent("a"), Some(""));
    }

    #[test]
    fn gives_scalars_as_written() {
        let src = "a: 4.0\nb: \"x y\" # note\nc: |\n  lang\n  tekst\nd: [019, nvt]\n";
        let locs = Locations::index(src);
        assert_eq!(locs.written(src, "a", 60).as_deref(), Some("4.0"));
        assert_eq!(locs.written(src, "b", 60).as_deref(), Some("\"x y\""));
        assert_eq!(locs.written(src, "d[0]", 60).as_deref(), Some("019"));
        assert_eq!(locs.written(src, "a", 2).as_deref(), Some("4.…"));
        assert_eq!(locs.written(src, "x", 60), None);
    }

    #[test]
    fn complex_keys_do_not_shift_later_paths() {
        let locs = Locations::index("? [a, b]\n: 1\nc: 2\n");
        assert_eq!(locs.value("c"), Some(Pos { line: 3, column: 4 }));
    }

    #[test]
    fn counts_columns_in_characters() {
        let locs = Locations::index("naam: \"Één\"\nx: 1\n");
        assert_eq!(locs.value("x"), Some(Pos { line: 2, column: 4 }));
        let locs = Locations::index("ë: 1\ny: 2\n");
        assert_eq!(locs.value("ë"), Some(Pos { line: 1, column: 4 }));
    }
}
