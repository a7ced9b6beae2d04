//! The HTML page of a comparison (`index.html`): for reviewers, in
//! English, one figure per picture with a caption and alt text naming the
//! pages and the words that changed, then the pages that only moved.

use crate::app::page_match::Pair;

/// One picture of a comparison and what it shows.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Figure {
    /// The PNG file's name, beside the HTML page.
    pub file: String,
    /// The old page number (1-based), if the old version has the page.
    pub old: Option<usize>,
    /// The new page number (1-based), if the new version has the page.
    pub new: Option<usize>,
    /// The words removed from the old page, in order (none for a page
    /// removed whole).
    pub removed: Vec<String>,
    /// The words added on the new page, in order (none for a page added
    /// whole).
    pub added: Vec<String>,
    /// How many pictures (charts, images) changed.
    pub pictures: usize,
}

/// How many changed words a caption quotes.
const QUOTED: usize = 40;

/// `text` for the page: escaped for HTML, control characters (which a
/// PDF's text may carry) shown as U+FFFD.
fn escape(text: &str) -> String {
    crate::render::html::escape_xml(&text.replace(char::is_control, "\u{fffd}"))
}

/// Up to [`QUOTED`] words, then how many more.
fn quote(words: &[String]) -> String {
    let mut text = words
        .iter()
        .take(QUOTED)
        .cloned()
        .collect::<Vec<_>>()
        .join(" ");
    if words.len() > QUOTED {
        text.push_str(&format!(" … ({} more)", words.len() - QUOTED));
    }
    text
}

/// The caption of a figure, as plain text (also its alt text's ending).
fn describe(f: &Figure) -> (String, String) {
    let what = match (f.old, f.new) {
        (Some(a), Some(b)) if a == b => format!("Page {b} changed"),
        (Some(a), Some(b)) => format!("Page {b} (page {a} before) changed"),
        (Some(a), None) => format!("Page {a} of the old version was removed"),
        (None, Some(b)) => format!("Page {b} of the new version was added"),
        (None, None) => String::new(),
    };
    let layout = match (f.old, f.new) {
        (Some(a), Some(b)) => format!(
            "Old page {a} on the left, new page {b} on the right; removed words highlighted in red, added words in green."
        ),
        (Some(a), None) => format!("Old page {a} on the left; the new version has no such page."),
        (None, Some(b)) => format!("New page {b} on the right; the old version had no such page."),
        (None, None) => String::new(),
    };
    let mut words = Vec::new();
    if !f.removed.is_empty() {
        words.push(format!("Removed: {}.", quote(&f.removed)));
    }
    if !f.added.is_empty() {
        words.push(format!("Added: {}.", quote(&f.added)));
    }
    if f.pictures > 0 {
        words.push(format!("{} chart(s) or image(s) changed.", f.pictures));
    }
    (
        what,
        format!("{layout} {}", words.join(" ")).trim().to_string(),
    )
}

/// The whole page: the versions compared (`labels`, old and new), a
/// summary, a figure per picture, and the pages that moved unchanged.
/// Same input, same bytes.
pub fn page(
    labels: &(String, String),
    pairs: &[Pair],
    figures: &[Figure],
    document: &str,
) -> String {
    let count = |f: fn(&Pair) -> bool| pairs.iter().filter(|p| f(p)).count();
    let changed = count(|p| matches!(p, Pair::Changed(..)));
    let added = count(|p| matches!(p, Pair::Added(_)));
    let removed = count(|p| matches!(p, Pair::Removed(_)));
    let moved: Vec<(usize, usize)> = pairs
        .iter()
        .filter_map(|p| match p {
            Pair::Same(a, b) if a != b => Some((a + 1, b + 1)),
            _ => None,
        })
        .collect();
    let mut out = String::from(
        "<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n\
         <meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n",
    );
    out.push_str(&format!(
        "<title>Page comparison of the {document}</title>\n<style>\n\
         body {{ font-family: sans-serif; margin: 2em; color: #1a1a1a; }}\n\
         figure {{ margin: 2em 0; }}\n img {{ max-width: 100%; height: auto; border: 1px solid #999; }}\n\
         figcaption {{ margin-top: .5em; max-width: 60em; }}\n\
         .removed {{ color: #a00000; }} .added {{ color: #006000; }}\n</style>\n</head>\n<body>\n\
         <h1>Page comparison of the {document}</h1>\n<dl>\n<dt>Old</dt><dd>{}</dd>\n<dt>New</dt><dd>{}</dd>\n</dl>\n",
        escape(&labels.0),
        escape(&labels.1)
    ));
    out.push_str(&format!(
        "<p>{changed} page(s) changed, {added} added, {removed} removed; {} moved without changing.</p>\n",
        moved.len()
    ));
    if figures.is_empty() {
        out.push_str("<p>No page changed.</p>\n");
    }
    for f in figures {
        let (what, detail) = describe(f);
        out.push_str(&format!(
            "<figure id=\"{id}\">\n<img src=\"{file}\" alt=\"{alt}\">\n<figcaption><strong>{what}.</strong>",
            id = escape(f.file.trim_end_matches(".png")),
            file = escape(&f.file),
            alt = escape(&format!("{what}. {detail}")),
            what = escape(&what),
        ));
        if !f.removed.is_empty() {
            out.push_str(&format!(
                " <span class=\"removed\">Removed: {}.</span>",
                escape(&quote(&f.removed))
            ));
        }
        if !f.added.is_empty() {
            out.push_str(&format!(
                " <span class=\"added\">Added: {}.</span>",
                escape(&quote(&f.added))
            ));
        }
        if f.pictures > 0 {
            out.push_str(&format!(" {} chart(s) or image(s) changed.", f.pictures));
        }
        out.push_str("</figcaption>\n</figure>\n");
    }
    if !moved.is_empty() {
        out.push_str("<h2>Pages that moved without changing</h2>\n<p>");
        let list: Vec<String> = moved.iter().map(|(a, b)| format!("{a} → {b}")).collect();
        out.push_str(&list.join(", "));
        out.push_str("</p>\n");
    }
    out.push_str("</body>\n</html>\n");
    out
}
