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

/// Runs of white space folded into one space, words that hyphenation broke
/// at a line end joined again.
pub fn fold(s: &str) -> String {
    let folded = s.split_whitespace().collect::<Vec<_>>().join(" ");
    folded
        .replace(" \u{ad} ", "")
        .replace("\u{ad} ", "")
        .replace("\u{ad}", "")
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

/// The XMP metadata packet of the catalog, as text.
pub fn xmp(path: &Path) -> String {
    let doc = Document::load(path).unwrap();
    let Ok(catalog) = doc.catalog() else {
        return String::new();
    };
    let Ok(meta) = catalog.get(b"Metadata") else {
        return String::new();
    };
    match resolve(&doc, meta) {
        Object::Stream(s) => {
            let bytes = s
                .decompressed_content()
                .unwrap_or_else(|_| s.content.clone());
            String::from_utf8_lossy(&bytes).into_owned()
        }
        _ => String::new(),
    }
}

/// The structure element types in the structure tree, with the /Alt of
/// every Figure element (None when missing).
pub fn structure(path: &Path) -> (Vec<String>, Vec<Option<String>>) {
    let doc = Document::load(path).unwrap();
    let mut types = Vec::new();
    let mut alts = Vec::new();
    let Ok(catalog) = doc.catalog() else {
        return (types, alts);
    };
    let Ok(root) = catalog.get(b"StructTreeRoot") else {
        return (types, alts);
    };
    let mut stack = vec![resolve(&doc, root).clone()];
    let mut seen = 0usize;
    while let Some(obj) = stack.pop() {
        seen += 1;
        if seen > 1_000_000 {
            break;
        }
        match obj {
            Object::Array(items) => {
                stack.extend(items.iter().map(|o| resolve(&doc, o).clone()));
            }
            Object::Dictionary(d) => {
                if let Ok(s) = d.get(b"S").and_then(|s| s.as_name()) {
                    let s = String::from_utf8_lossy(s).into_owned();
                    if s == "Figure" {
                        alts.push(d.get(b"Alt").ok().and_then(|a| match resolve(&doc, a) {
                            Object::String(b, _) => Some(decode_text(b)),
                            _ => None,
                        }));
                    }
                    types.push(s);
                }
                if let Ok(k) = d.get(b"K") {
                    stack.push(resolve(&doc, k).clone());
                }
            }
            _ => {}
        }
    }
    (types, alts)
}

/// A PDF text string: UTF-16BE with a byte-order mark, else PDFDocEncoding
/// (read as Latin-1, enough for tests).
fn decode_text(b: &[u8]) -> String {
    if b.starts_with(&[0xfe, 0xff]) {
        let units: Vec<u16> = b[2..]
            .chunks(2)
            .map(|c| u16::from_be_bytes([c[0], *c.get(1).unwrap_or(&0)]))
            .collect();
        String::from_utf16_lossy(&units)
    } else {
        b.iter().map(|&c| c as char).collect()
    }
}

/// The document information /Title, or the XMP dc:title.
pub fn title(path: &Path) -> Option<String> {
    let doc = Document::load(path).unwrap();
    let info = doc.trailer.get(b"Info").ok().map(|i| resolve(&doc, i));
    if let Some(Object::Dictionary(d)) = info
        && let Ok(t) = d.get(b"Title")
        && let Object::String(b, _) = resolve(&doc, t)
    {
        return Some(decode_text(b));
    }
    None
}

/// The base names of the fonts a PDF uses (subset prefixes removed).
pub fn font_names(path: &Path) -> Vec<String> {
    let doc = Document::load(path).unwrap();
    let mut names: Vec<String> = doc
        .objects
        .values()
        .filter_map(|obj| obj.as_dict().ok())
        .filter(|d| d.get(b"Type").ok().and_then(|t| t.as_name().ok()) == Some(b"Font".as_slice()))
        .filter_map(|d| d.get(b"BaseFont").ok().and_then(|n| n.as_name().ok()))
        .map(|n| {
            let n = String::from_utf8_lossy(n).into_owned();
            match n.split_once('+') {
                Some((_, base)) => base.to_string(),
                None => n,
            }
        })
        .collect();
    names.sort();
    names.dedup();
    names
}

/// One laid-out character: its page (from 1), position in points from the
/// page's bottom left, and width.
#[derive(Debug, Clone)]
pub struct Glyph {
    /// Page number, from 1.
    pub page: u32,
    /// Left edge, in points.
    pub x: f64,
    /// Baseline, in points from the bottom.
    pub y: f64,
    /// The character(s).
    pub text: String,
}

struct Collect {
    page: u32,
    out: Vec<Glyph>,
}

impl pdf_extract::OutputDev for Collect {
    fn begin_page(
        &mut self,
        page_num: u32,
        _media_box: &pdf_extract::MediaBox,
        _art_box: Option<(f64, f64, f64, f64)>,
    ) -> Result<(), pdf_extract::OutputError> {
        self.page = page_num;
        Ok(())
    }
    fn end_page(&mut self) -> Result<(), pdf_extract::OutputError> {
        Ok(())
    }
    fn output_character(
        &mut self,
        trm: &pdf_extract::Transform,
        _width: f64,
        _spacing: f64,
        _font_size: f64,
        char: &str,
    ) -> Result<(), pdf_extract::OutputError> {
        self.out.push(Glyph {
            page: self.page,
            x: trm.m31,
            y: trm.m32,
            text: char.to_string(),
        });
        Ok(())
    }
    fn begin_word(&mut self) -> Result<(), pdf_extract::OutputError> {
        Ok(())
    }
    fn end_word(&mut self) -> Result<(), pdf_extract::OutputError> {
        Ok(())
    }
    fn end_line(&mut self) -> Result<(), pdf_extract::OutputError> {
        Ok(())
    }
}

/// Every laid-out character with its page and position.
pub fn glyphs(path: &Path) -> Vec<Glyph> {
    let doc = pdf_extract::Document::load(path).unwrap();
    let mut c = Collect {
        page: 0,
        out: Vec::new(),
    };
    pdf_extract::output_doc(&doc, &mut c).unwrap_or_else(|e| panic!("{}: {e}", path.display()));
    c.out
}

/// Where `word` starts, as (page, x, y), for every place it is set: its
/// characters follow each other in the content stream.
pub fn find_word(glyphs: &[Glyph], word: &str) -> Vec<(u32, f64, f64)> {
    let chars: Vec<String> = word.chars().map(String::from).collect();
    let mut hits = Vec::new();
    for i in 0..glyphs.len() {
        let run = &glyphs[i..];
        if run.len() >= chars.len()
            && run.iter().zip(&chars).all(|(g, c)| g.text == *c)
            && run[..chars.len()].iter().all(|g| g.page == run[0].page)
        {
            hits.push((run[0].page, run[0].x, run[0].y));
        }
    }
    hits
}
