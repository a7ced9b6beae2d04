//! Invisible characters in a YAML file: what text pasted from a word
//! processor or a web page brings along and nobody sees.
//!
//! Some break the YAML: a non-breaking space (U+00A0) in the indentation
//! or as the space after `:` or `-`, and the line and paragraph separators
//! (U+2028, U+2029), which YAML reads as line breaks, so that the parser's
//! error falls on another line and never names the character. These are
//! errors, each named by its code point at its line and column (lines
//! counted at line feeds, as editors count them), and the file is not
//! parsed further. Others pass the YAML but not the reader: a soft hyphen
//! (U+00AD) or a zero-width character (U+200B, U+200C, U+200D, U+2060, or
//! a byte-order mark U+FEFF after the start) hides in a word, so that it
//! is not found, compared or hyphenated as it reads. These are warnings.
//!
//! Direction controls out of balance (`locate::unbalanced_direction`) in a
//! free chapter's line are errors here; in YAML each text value is
//! checked whole when it is validated.

use std::path::Path;

use crate::base::diagnostics::Diagnostic;
use crate::base::locate::Pos;

/// The name of an invisible character, or `None` for any other.
fn name(c: char) -> Option<&'static str> {
    Some(match c {
        '\u{00A0}' => "a non-breaking space",
        '\u{2028}' => "a line separator",
        '\u{2029}' => "a paragraph separator",
        '\u{00AD}' => "a soft hyphen",
        '\u{200B}' => "a zero-width space",
        '\u{200C}' => "a zero-width non-joiner",
        '\u{200D}' => "a zero-width joiner",
        '\u{2060}' => "a word joiner",
        '\u{FEFF}' => "a zero-width no-break space (byte-order mark)",
        _ => return None,
    })
}

/// The unbalanced direction controls of the free chapter `text` (the
/// file `path`), line by line (a chapter's paragraph may run over lines,
/// but a control is closed within its line): an error at each line's
/// first, which leaves the chapter readable. (In YAML, each text value is
/// checked whole: `validate`.)
pub fn directions(path: &Path, text: &str) -> Vec<Diagnostic> {
    let mut out = Vec::new();
    for (i, line) in text.split('\n').enumerate() {
        if let Some((column, c)) = crate::base::locate::unbalanced_direction(line) {
            out.push(
                Diagnostic::error(
                    path,
                    format!(
                        "found a direction control (U+{:04X}) out of balance on its line; it would reverse the text printed after it",
                        c as u32
                    ),
                )
                .at(Some(Pos {
                    line: i + 1,
                    column: column + 1,
                }))
                .hint("close each of U+202A, U+202B, U+202D, U+202E with U+202C and each of U+2066 to U+2068 with U+2069 on the same line, or remove them"),
            );
        }
    }
    out
}

/// Every invisible character of `text` (the YAML file `path`) that YAML or
/// the reader trips over: errors for those that break the YAML, warnings
/// for the others, in the order of the text.
pub fn check(path: &Path, text: &str) -> Vec<Diagnostic> {
    let mut out = Vec::new();
    for (i, line) in text.split('\n').enumerate() {
        let indent_end = line
            .char_indices()
            .find(|(_, c)| !c.is_whitespace())
            .map_or(line.len(), |(k, _)| k);
        // The separator after the first `key:` or a leading `- `.
        let key_colon = line.find(':').filter(|&k| {
            line[indent_end..k]
                .chars()
                .all(|c| c.is_alphanumeric() || "_-.[] '\"".contains(c))
        });
        let dash = line[indent_end..].starts_with('-').then_some(indent_end);
        for (column, (k, c)) in line.char_indices().enumerate() {
            let Some(what) = name(c) else { continue };
            if c == '\u{FEFF}' && i == 0 && k == 0 {
                continue;
            }
            let at = Some(Pos {
                line: i + 1,
                column: column + 1,
            });
            let code = format!("U+{:04X}", c as u32);
            let separator = [key_colon, dash].iter().flatten().any(|&s| k == s + 1);
            let d = match c {
                '\u{00A0}' if k < indent_end || separator => Diagnostic::error(
                    path,
                    format!(
                        "found {what} ({code}) where YAML expects a plain space{}",
                        if k < indent_end { " of indentation" } else { "" }
                    ),
                )
                .hint("replace it with a space; text pasted from a word processor brings these"),
                '\u{00A0}' => continue,
                '\u{2028}' | '\u{2029}' => Diagnostic::error(
                    path,
                    format!("found {what} ({code}), which YAML reads as a line break"),
                )
                .hint("replace it with a line break (a new paragraph) or a space"),
                _ => Diagnostic::warning(
                    path,
                    format!("found {what} ({code}), which cannot be seen but splits or hides in the word"),
                )
                .hint(if c == '\u{00AD}' {
                    "remove it: it can print as a hyphen or hide the word from a search, and the documents break lines without it"
                } else {
                    "remove it; text pasted from a web page or word processor brings these"
                }),
            };
            out.push(d.at(at));
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    fn found(text: &str) -> Vec<(bool, usize, usize, String)> {
        check(Path::new("u.yaml"), text)
            .into_iter()
            .map(|d| {
                let p = d.pos.expect("a position");
                (d.is_error(), p.line, p.column, d.message)
            })
            .collect()
    }

    #[test]
    fn characters_that_break_yaml_are_errors_at_their_place() {
        let text = "id: a\ndimensions:\n\u{a0} organisatie:\n    findings: Een\u{2028}twee\nname:\u{a0}Groningen\n";
        assert_eq!(
            found(text),
            [
                (
                    true,
                    3,
                    1,
                    "found a non-breaking space (U+00A0) where YAML expects a plain space of indentation".into()
                ),
                (
                    true,
                    4,
                    18,
                    "found a line separator (U+2028), which YAML reads as a line break".into()
                ),
                (
                    true,
                    5,
                    6,
                    "found a non-breaking space (U+00A0) where YAML expects a plain space".into()
                ),
            ]
        );
    }

    #[test]
    fn direction_controls_must_be_balanced_on_their_line() {
        let text = "Alfa\u{202E}\n\u{2067}ابc\u{2069} en \u{202B}x\u{202C}\nc: y\u{2069}\n";
        let f: Vec<_> = directions(Path::new("u.yaml"), text)
            .into_iter()
            .map(|d| {
                let p = d.pos.expect("a position");
                (d.is_error(), p.line, p.column, d.message)
            })
            .collect();
        assert_eq!(f.len(), 2, "{f:?}");
        assert_eq!((f[0].0, f[0].1, f[0].2), (true, 1, 5));
        assert!(f[0].3.contains("U+202E"), "{f:?}");
        assert_eq!((f[1].0, f[1].1, f[1].2), (true, 3, 5));
        assert!(f[1].3.contains("U+2069"), "{f:?}");
    }

    #[test]
    fn hidden_characters_in_words_are_warnings_and_a_plain_nbsp_is_fine() {
        let text = "\u{feff}findings: 273f\u{a0}Sr, men\u{ad}sen\u{200b}handel\n";
        assert_eq!(
            found(text),
            [
                (
                    false,
                    1,
                    24,
                    "found a soft hyphen (U+00AD), which cannot be seen but splits or hides in the word".into()
                ),
                (
                    false,
                    1,
                    28,
                    "found a zero-width space (U+200B), which cannot be seen but splits or hides in the word".into()
                ),
            ]
        );
    }
}
