//! Reading PDFs back: laid-out text, outline, fonts and metadata, with Rust
//! crates only.

use std::path::Path;

use lopdf::{Document, Object};

/// The text of every page, in order.
pub fn pages(path: &Path) -> Vec<String> {
    let bytes = std::fs::read(path).unwrap();
    pdf_extract::extract_text_from_mem_by_pages(&bytes)
        .unwrap_or_else(|e| panic!("{}: {e}", path.display()))
}

/// All text, with runs of white space folded into one space.
pub fn text(path: &Path) -> String {
    fold(&pages(path).join(" "))
}

/// Runs of white space folded into one space.
pub fn fold(s: &str) -> String {
    s.split_whitespace().collect::<Vec<_>>().join(" ")
}

/// The outline (bookmarks): (level, title).
pub fn outline(path: &Path) -> Vec<(usize, String)> {
    let doc = Document::load(path).unwrap();
    doc.get_toc()
        .map(|t| t.toc.into_iter().map(|e| (e.level, e.title)).collect())
        .unwrap_or_default()
}

fn resolve<'a>(doc: &'a Document, o: &'a Object) -> &'a Object {
    match o {
        Object::Reference(id) => doc.get_object(*id).unwrap_or(o),
        _ => o,
    }
}

/// The base names of fonts that are not embedded (empty when all are).
pub fn unembedded_fonts(path: &Path) -> Vec<String> {
    let doc = Document::load(path).unwrap();
    let mut missing = Vec::new();
    let mut fonts = 0;
    for (_, obj) in doc.objects.iter() {
        let Ok(dict) = obj.as_dict() else { continue };
        if dict.get(b"Type").ok().and_then(|t| t.as_name().ok()) != Some(b"Font".as_slice()) {
            continue;
        }
        let subtype = dict.get(b"Subtype").ok().and_then(|t| t.as_name().ok());
        if subtype == Some(b"Type0".as_slice()) || subtype == Some(b"Type3".as_slice()) {
            continue; // checked through their descendants / drawn as glyph programs
        }
        fonts += 1;
        let name = dict
            .get(b"BaseFont")
            .ok()
            .and_then(|n| n.as_name().ok())
            .map(|n| String::from_utf8_lossy(n).into_owned())
            .unwrap_or_default();
        let embedded = dict
            .get(b"FontDescriptor")
            .ok()
            .map(|d| resolve(&doc, d))
            .and_then(|d| d.as_dict().ok())
            .is_some_and(|d| d.has(b"FontFile") || d.has(b"FontFile2") || d.has(b"FontFile3"));
        if !embedded {
            missing.push(name);
        }
    }
    assert!(fonts > 0, "{}: no fonts found at all", path.display());
    missing
}

/// The document catalog's /Lang.
pub fn lang(path: &Path) -> Option<String> {
    let doc = Document::load(path).unwrap();
    let catalog = doc.catalog().ok()?;
    let lang = catalog.get(b"Lang").ok()?;
    match resolve(&doc, lang) {
        Object::String(s, _) => Some(String::from_utf8_lossy(s).into_owned()),
        _ => None,
    }
}

/// Whether the catalog has a structure tree (a tagged PDF).
pub fn has_structure_tree(path: &Path) -> bool {
    let doc = Document::load(path).unwrap();
    doc.catalog().is_ok_and(|c| c.has(b"StructTreeRoot"))
}
