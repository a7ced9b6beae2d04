//! Resource limits of YAML input, checked in one linear pass over the event
//! stream before serde_yaml sees a file.
//!
//! serde_yaml 0.9 expands aliases while deserialising, so a few megabytes of
//! aliases to one long string become gigabytes in memory, and deeply nested
//! flow collections cost it quadratic time. This pass counts the nodes and
//! scalar bytes of the document *as expanded* (an alias counts as the whole
//! anchored node again) and the nesting depth, and stops at the first limit
//! passed, so its own cost is linear in the size of the file. It also finds
//! duplicate keys, which serde_yaml reports without a useful position.

use std::collections::{HashMap, HashSet};

use saphyr_parser::{Event, Parser};

use crate::base::locate::Pos;

/// The deepest nesting of collections accepted (the data model needs 6).
pub const MAX_DEPTH: usize = 64;
/// The most nodes (scalars, sequences, mappings) a document may expand to,
/// aliases expanded.
pub const MAX_NODES: u64 = 1_000_000;
/// The most scalar bytes a document may expand to, aliases expanded: four
/// times the largest file (`load::MAX_FILE_BYTES`).
pub const MAX_EXPANDED_BYTES: u64 = 16 * 1024 * 1024;

/// A limit passed, or a duplicate key, with its position.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct LimitError {
    /// What was found and what is allowed.
    pub message: String,
    /// Where.
    pub pos: Pos,
    /// How to fix it.
    pub hint: &'static str,
}

struct Frame {
    /// Index in `open` of the anchored node this frame started, if any.
    anchor: usize,
    /// Nodes and bytes counted when the collection started.
    nodes_at_start: u64,
    bytes_at_start: u64,
    /// For a mapping: the keys seen and whether the next node is a key.
    keys: Option<(HashSet<String>, bool)>,
}

/// Checks `text` against the limits; the error of the first limit passed.
/// A syntax error ends the pass silently: serde_yaml reports it.
pub fn check(text: &str) -> Result<(), LimitError> {
    let mut count = Count::default();
    for item in Parser::new_from_str(text) {
        let (event, span) = match item {
            Ok(ok) => ok,
            // The scanner's own depth limit (deeper than ours, met first
            // when it reads ahead through brackets).
            Err(e) if e.info().contains("recursion limit") => {
                return Err(too_deep(Pos {
                    line: e.marker().line(),
                    column: e.marker().col() + 1,
                }));
            }
            // Syntax errors are serde_yaml's to report.
            Err(_) => break,
        };
        let pos = Pos {
            line: span.start.line(),
            column: span.start.col() + 1,
        };
        count.event(&event, pos)?;
    }
    Ok(())
}

/// The error for collections nested deeper than [`MAX_DEPTH`], at `pos`.
fn too_deep(pos: Pos) -> LimitError {
    LimitError {
        message: format!(
            "found collections nested more than {MAX_DEPTH} levels deep, expected at most {MAX_DEPTH}"
        ),
        pos,
        hint: "the data format nests a few levels only; check the brackets and indentation",
    }
}

/// What the pass has counted so far.
#[derive(Default)]
struct Count {
    /// Anchor id -> (nodes, bytes) of the anchored node, once it is complete.
    sizes: HashMap<usize, (u64, u64)>,
    /// The collections open, the outermost first.
    stack: Vec<Frame>,
    /// Nodes and scalar bytes so far, aliases expanded.
    nodes: u64,
    bytes: u64,
    /// Where the first occurrence of each key is, per open mapping.
    first_key: Vec<HashMap<String, Pos>>,
}

impl Count {
    /// Counts `event` (starting at `pos`); the error of the first limit it
    /// passes or the duplicate key it is.
    fn event(&mut self, event: &Event, pos: Pos) -> Result<(), LimitError> {
        // A node's size and whether it is a scalar key to check.
        let (add_nodes, add_bytes, key): (u64, u64, Option<String>) = match event {
            Event::Scalar(value, _, anchor, _) => {
                let len = value.len() as u64;
                if *anchor != 0 {
                    self.sizes.insert(*anchor, (1, len));
                }
                (1, len, Some(value.to_string()))
            }
            Event::Alias(id) => {
                let (n, b) = self.sizes.get(id).copied().unwrap_or((1, 0));
                (n, b, None)
            }
            Event::SequenceStart(..) | Event::MappingStart(..) => {
                if self.stack.len() >= MAX_DEPTH {
                    return Err(too_deep(pos));
                }
                (1, 0, None)
            }
            _ => (0, 0, None),
        };
        if add_nodes > 0 {
            self.place(key.as_deref(), pos)?;
        }
        self.nodes += add_nodes;
        self.bytes += add_bytes;
        if self.nodes > MAX_NODES || self.bytes > MAX_EXPANDED_BYTES {
            return Err(LimitError {
                message: format!(
                    "the document expands to more than {MAX_NODES} values or {MAX_EXPANDED_BYTES} bytes of text (aliases counted at their full size)"
                ),
                pos,
                hint: "write the values out instead of repeating them with aliases (`*name`)",
            });
        }
        self.open_or_close(event);
        Ok(())
    }

    /// A node (a scalar's text as `key`, else `None`) takes its place in
    /// the enclosing mapping: as a key, check it is new; either way the
    /// next node is the other kind.
    fn place(&mut self, key: Option<&str>, pos: Pos) -> Result<(), LimitError> {
        let Some(Frame {
            keys: Some((seen, expect_key)),
            ..
        }) = self.stack.last_mut()
        else {
            return Ok(());
        };
        if *expect_key && let Some(k) = key {
            let firsts = self.first_key.last_mut();
            if !seen.insert(k.to_string()) {
                let first = firsts.and_then(|f| f.get(k).copied());
                let where_first = first
                    .map(|p| format!(" (first at line {})", p.line))
                    .unwrap_or_default();
                return Err(LimitError {
                    message: format!("duplicate key `{k}`{where_first}"),
                    pos,
                    hint: "each key may appear once in a mapping; merge the two entries",
                });
            }
            if let Some(f) = firsts {
                f.insert(k.to_string(), pos);
            }
        }
        *expect_key = !*expect_key;
        Ok(())
    }

    /// Opens a frame at a collection's start; at its end closes it and
    /// records the size of an anchored collection.
    fn open_or_close(&mut self, event: &Event) {
        match event {
            Event::SequenceStart(anchor, _) | Event::MappingStart(anchor, _) => {
                let mapping = matches!(event, Event::MappingStart(..));
                self.stack.push(Frame {
                    anchor: *anchor,
                    nodes_at_start: self.nodes - 1,
                    bytes_at_start: self.bytes,
                    keys: mapping.then(|| (HashSet::new(), true)),
                });
                if mapping {
                    self.first_key.push(HashMap::new());
                }
            }
            Event::SequenceEnd | Event::MappingEnd => {
                if let Some(frame) = self.stack.pop() {
                    if frame.keys.is_some() {
                        self.first_key.pop();
                    }
                    if frame.anchor != 0 {
                        self.sizes.insert(
                            frame.anchor,
                            (
                                self.nodes - frame.nodes_at_start,
                                self.bytes - frame.bytes_at_start,
                            ),
                        );
                    }
                }
            }
            _ => {}
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn an_alias_counts_as_its_whole_node() {
        let big = "x".repeat(1_000_000);
        let mut text = format!("a: &s {big}\nb:\n");
        for _ in 0..20 {
            text.push_str("  - *s\n");
        }
        let e = check(&text).unwrap_err();
        assert!(e.message.contains("expands to more than"), "{e:?}");
        assert!(check(&format!("a: &s {big}\nb: [*s, *s]\n")).is_ok());
    }

    #[test]
    fn nested_aliases_multiply() {
        let mut text = String::from("a0: &a0 [x, x, x, x, x, x, x, x, x, x]\n");
        for i in 1..10 {
            let p = i - 1;
            text.push_str(&format!(
                "a{i}: &a{i} [*a{p}, *a{p}, *a{p}, *a{p}, *a{p}, *a{p}, *a{p}, *a{p}, *a{p}, *a{p}]\n"
            ));
        }
        assert!(check(&text).is_err());
    }

    #[test]
    fn deep_nesting_stops_early_in_linear_time() {
        let text = "[".repeat(200_000);
        let t = std::time::Instant::now();
        let e = check(&text).unwrap_err();
        assert!(e.message.contains("nested more than 64"), "{e:?}");
        assert_eq!(e.pos.line, 1);
        assert!(t.elapsed().as_secs() < 2);
        assert!(check(&format!("{}{}", "[".repeat(60), "]".repeat(60))).is_ok());
    }

    #[test]
    fn a_duplicate_key_is_located_at_the_duplicate() {
        let e = check("id: a\nname: A\nsub:\n  x: 1\n  y: 2\n  x: 3\n").unwrap_err();
        assert_eq!(e.pos, Pos { line: 6, column: 3 });
        assert_eq!(e.message, "duplicate key `x` (first at line 4)");
        // The same key in different mappings is fine.
        assert!(check("a: {x: 1}\nb: {x: 2}\nc: [{x: 1}, {x: 2}]\n").is_ok());
        // Values equal to keys are fine.
        assert!(check("a: a\nb: a\n").is_ok());
    }
}
