//! Text for the terminal: data printed by `check`, `summary`, `diff`,
//! `watch` and in every error passes through [`clean`], so a unit name
//! holding escape sequences cannot clear the screen, set the window title
//! or reorder what is shown.

use std::borrow::Cow;

/// Whether `c` must not reach a terminal as it is: C0 controls other than
/// line feed and tab, DEL, C1 controls, and the bidirectional overrides and
/// isolates (Unicode TR9; "Trojan Source", CVE-2021-42574).
fn unsafe_char(c: char) -> bool {
    (c.is_control() && c != '\n' && c != '\t')
        || matches!(c, '\u{202a}'..='\u{202e}' | '\u{2066}'..='\u{2069}')
}

/// `text` with every unsafe character written as an escape (`\x1b`,
/// `\u{202e}`); other text unchanged, borrowed when nothing needs escaping.
pub fn clean(text: &str) -> Cow<'_, str> {
    if !text.chars().any(unsafe_char) {
        return Cow::Borrowed(text);
    }
    let mut out = String::with_capacity(text.len() + 8);
    for c in text.chars() {
        if !unsafe_char(c) {
            out.push(c);
        } else if (c as u32) < 0x100 {
            out.push_str(&format!("\\x{:02x}", c as u32));
        } else {
            out.push_str(&format!("\\u{{{:x}}}", c as u32));
        }
    }
    Cow::Owned(out)
}

/// Whether diagnostics on stderr get colour: not when `NO_COLOR` is set
/// (to anything but the empty string, <https://no-color.org>); always when
/// `CLICOLOR_FORCE` is set to anything but `0` or the empty string; else
/// only when stderr is a terminal.
pub fn colour_stderr() -> bool {
    use std::io::IsTerminal;
    let set = |name: &str| std::env::var_os(name).is_some_and(|v| !v.is_empty());
    if set("NO_COLOR") {
        return false;
    }
    if set("CLICOLOR_FORCE") && std::env::var_os("CLICOLOR_FORCE").is_some_and(|v| v != "0") {
        return true;
    }
    std::io::stderr().is_terminal()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn escapes_controls_and_keeps_text() {
        assert_eq!(clean("Politie Groningen"), "Politie Groningen");
        assert!(matches!(clean("a\nb\tc"), Cow::Borrowed(_)));
        assert_eq!(
            clean("\x1b[2J\x1b]0;title\x07"),
            "\\x1b[2J\\x1b]0;title\\x07"
        );
        assert_eq!(clean("a\rb\u{9b}c\u{7f}"), "a\\x0db\\x9bc\\x7f");
        assert_eq!(clean("x\u{202e}y"), "x\\u{202e}y");
        assert_eq!(
            clean("Fryslân – ‘s-Hertogenbosch"),
            "Fryslân – ‘s-Hertogenbosch"
        );
    }
}
