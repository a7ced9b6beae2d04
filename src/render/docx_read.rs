//! Reading a letter back from a `.docx` file that the office amended: its
//! text paragraph by paragraph, and the property that names the letter.
//!
//! The file comes from outside, so it is read with bounds and refused,
//! with a reason, when it is not a plain letter:
//! - not a zip archive, or no `word/document.xml`: not a Word document;
//! - more than [`MAX_ENTRIES`] parts, a part over [`MAX_PART`] bytes
//!   unpacked, or more than [`MAX_TOTAL`] bytes unpacked in all, whatever
//!   the sizes the archive claims (a zip bomb);
//! - macros: a `vbaProject.bin` part, or a macro-enabled content type
//!   (`.docm`, `macroEnabled`);
//! - external links: a relationship with `TargetMode="External"` (an
//!   attached template, a linked picture or object, a link to a file),
//!   except a hyperlink to a web or e-mail address; a field that
//!   includes or links outside content (`INCLUDETEXT`, `INCLUDEPICTURE`,
//!   `LINK`, `DDE`, `DDEAUTO`, `IMPORT`) or a `HYPERLINK` to a file;
//! - XML that is not well-formed, or has a DTD (roxmltree refuses
//!   entity declarations unless asked, so no entity expansion).
//!
//! Text is read as Word shows it with changes accepted: inserted runs
//! count, deleted runs (`w:delText`) do not.

use std::io::Read;

/// The most parts a letter may have.
pub const MAX_ENTRIES: usize = 2_000;
/// The most bytes one part may unpack to (16 MiB).
pub const MAX_PART: u64 = 16 << 20;
/// The most bytes all parts read may unpack to (64 MiB).
pub const MAX_TOTAL: u64 = 64 << 20;

/// A letter's text as read from a `.docx`.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct LetterText {
    /// The value of the property [`crate::render::docx::IDENT_PROPERTY`],
    /// when the file has it.
    pub ident: Option<String>,
    /// The paragraphs, in order: the headers of the sections (first page,
    /// then the others), the body (table cells one paragraph each), then
    /// the footnotes as "Voetnoot n: text". Empty paragraphs are left out;
    /// a footnote mark is `[n]`, n counted in the body's order.
    pub paragraphs: Vec<String>,
}

/// Reads the letter in `bytes` (named `name` in messages).
///
/// Errors: a sentence saying why the file is refused (see the module).
pub fn read(name: &str, bytes: &[u8]) -> Result<LetterText, String> {
    let lower = name.to_ascii_lowercase();
    if lower.ends_with(".docm") || lower.ends_with(".dotm") {
        return Err(format!(
            "{name} is a macro-enabled Word document; save it as a plain .docx (Word document) and try again"
        ));
    }
    if !bytes.starts_with(b"PK\x03\x04") {
        return Err(format!(
            "{name} is not a Word document (.docx): it is not a zip archive"
        ));
    }
    let mut archive = zip::ZipArchive::new(std::io::Cursor::new(bytes)).map_err(|e| {
        format!("{name} is not a Word document (.docx): the zip archive cannot be read ({e})")
    })?;
    if archive.len() > MAX_ENTRIES {
        return Err(format!(
            "{name} has {} parts, more than the {MAX_ENTRIES} a letter may have",
            archive.len()
        ));
    }
    let names: Vec<String> = archive.file_names().map(str::to_string).collect();
    if let Some(vba) = names
        .iter()
        .find(|n| n.to_ascii_lowercase().ends_with("vbaproject.bin"))
    {
        return Err(format!(
            "{name} holds macros ({vba}); save it as a plain .docx without macros and try again"
        ));
    }
    let mut reader = Parts {
        name,
        archive: &mut archive,
        total: 0,
    };
    let types = reader.text("[Content_Types].xml")?.ok_or_else(|| {
        format!("{name} is not a Word document (.docx): it has no [Content_Types].xml")
    })?;
    if types.contains("macroEnabled") || types.contains("vbaProject") {
        return Err(format!(
            "{name} is a macro-enabled Word document; save it as a plain .docx without macros and try again"
        ));
    }
    for rels in names.iter().filter(|n| n.ends_with(".rels")) {
        if let Some(text) = reader.text(rels)? {
            check_relationships(name, rels, &text)?;
        }
    }
    let main = reader.text("word/document.xml")?.ok_or_else(|| {
        format!("{name} is not a Word document (.docx): it has no word/document.xml")
    })?;
    let mut text = LetterText {
        ident: match reader.text("docProps/custom.xml")? {
            Some(t) => ident(name, &t)?,
            None => None,
        },
        paragraphs: Vec::new(),
    };
    let doc = parse(name, "word/document.xml", &main)?;
    check_fields(name, "word/document.xml", &doc)?;
    let rels = match reader.text("word/_rels/document.xml.rels")? {
        Some(t) => targets(name, &t)?,
        None => Vec::new(),
    };
    // The headers, in the order the sections name them.
    let mut seen = Vec::new();
    for s in doc.descendants().filter(|n| is(n, "sectPr")) {
        for kind in ["first", "default"] {
            let id = s
                .children()
                .filter(|c| is(c, "headerReference") && attr(c, "type") == Some(kind))
                .find_map(|c| rel_id(&c));
            let Some(target) = id.and_then(|id| rels.iter().find(|(i, _)| *i == id)) else {
                continue;
            };
            let part = format!(
                "word/{}",
                target.1.trim_start_matches('/').trim_start_matches("word/")
            );
            if seen.contains(&part) {
                continue;
            }
            seen.push(part.clone());
            if let Some(h) = reader.text(&part)? {
                let h = parse(name, &part, &h)?;
                check_fields(name, &part, &h)?;
                text.paragraphs.extend(paragraphs(h.root_element(), &mut 0));
            }
        }
    }
    let mut marks = 0;
    text.paragraphs
        .extend(paragraphs(doc.root_element(), &mut marks));
    if let Some(notes) = reader.text("word/footnotes.xml")? {
        let notes = parse(name, "word/footnotes.xml", &notes)?;
        check_fields(name, "word/footnotes.xml", &notes)?;
        let mut n = 0;
        for f in notes
            .root_element()
            .children()
            .filter(|c| is(c, "footnote"))
        {
            if matches!(
                attr(&f, "type"),
                Some("separator" | "continuationSeparator" | "continuationNotice")
            ) {
                continue;
            }
            n += 1;
            let body = paragraphs(f, &mut 0).join(" ");
            text.paragraphs
                .push(format!("Voetnoot {n}: {}", body.trim()));
        }
    }
    Ok(text)
}

/// The parts of an archive, read with the bounds of this module.
struct Parts<'a, 'b> {
    name: &'a str,
    archive: &'a mut zip::ZipArchive<std::io::Cursor<&'b [u8]>>,
    total: u64,
}

impl Parts<'_, '_> {
    /// The part `path` as text, `None` when there is none.
    fn text(&mut self, path: &str) -> Result<Option<String>, String> {
        let name = self.name;
        let bomb = || {
            format!(
                "{name} unpacks to more than a letter can hold (a part over {} MiB or more than {} MiB in all): refused as a zip bomb",
                MAX_PART >> 20,
                MAX_TOTAL >> 20
            )
        };
        let mut file = match self.archive.by_name(path) {
            Ok(f) => f,
            Err(zip::result::ZipError::FileNotFound) => return Ok(None),
            Err(e) => return Err(format!("{name}: cannot read {path}: {e}")),
        };
        if file.size() > MAX_PART {
            return Err(bomb());
        }
        let mut bytes = Vec::new();
        // The sizes in the archive may lie: read at most one byte more
        // than allowed.
        (&mut file)
            .take(MAX_PART + 1)
            .read_to_end(&mut bytes)
            .map_err(|e| format!("{name}: cannot unpack {path}: {e}"))?;
        self.total += bytes.len() as u64;
        if bytes.len() as u64 > MAX_PART || self.total > MAX_TOTAL {
            return Err(bomb());
        }
        String::from_utf8(bytes)
            .map(Some)
            .map_err(|_| format!("{name}: {path} is not UTF-8 text"))
    }
}

/// Parses one XML part; no DTD.
fn parse<'x>(name: &str, path: &str, text: &'x str) -> Result<roxmltree::Document<'x>, String> {
    roxmltree::Document::parse(text)
        .map_err(|e| format!("{name}: {path} is not well-formed XML ({e})"))
}

const W: &str = "http://schemas.openxmlformats.org/wordprocessingml/2006/main";
const R: &str = "http://schemas.openxmlformats.org/officeDocument/2006/relationships";

fn is(n: &roxmltree::Node, local: &str) -> bool {
    n.is_element() && n.tag_name().name() == local && n.tag_name().namespace() == Some(W)
}

fn attr<'a>(n: &roxmltree::Node<'a, '_>, local: &str) -> Option<&'a str> {
    n.attribute((W, local))
}

fn rel_id<'a>(n: &roxmltree::Node<'a, '_>) -> Option<&'a str> {
    n.attribute((R, "id"))
}

/// Refuses a relationship to something outside the file, except a
/// hyperlink to a web or e-mail address.
fn check_relationships(name: &str, part: &str, text: &str) -> Result<(), String> {
    let doc = parse(name, part, text)?;
    for r in doc.descendants().filter(|n| n.has_tag_name("Relationship")) {
        let kind = r.attribute("Type").unwrap_or("");
        let target = r.attribute("Target").unwrap_or("");
        let short = kind.rsplit('/').next().unwrap_or(kind);
        if short == "attachedTemplate" {
            return Err(format!(
                "{name} is attached to the template {target:?} (an external link): remove the template link in Word (Developer > Document Template) and save again"
            ));
        }
        if r.attribute("TargetMode") == Some("External") {
            let web = ["http://", "https://", "mailto:"]
                .iter()
                .any(|p| target.to_ascii_lowercase().starts_with(p));
            if short == "hyperlink" && web {
                continue;
            }
            return Err(format!(
                "{name} links to {target:?} outside the file ({short} in {part}): remove the link and save again"
            ));
        }
    }
    Ok(())
}

/// The relationships' ids and targets.
fn targets(name: &str, text: &str) -> Result<Vec<(String, String)>, String> {
    let doc = parse(name, "word/_rels/document.xml.rels", text)?;
    Ok(doc
        .descendants()
        .filter(|n| n.has_tag_name("Relationship"))
        .filter_map(|r| {
            Some((
                r.attribute("Id")?.to_string(),
                r.attribute("Target")?.to_string(),
            ))
        })
        .collect())
}

/// Refuses fields that bring in or link to content outside the file.
fn check_fields(name: &str, part: &str, doc: &roxmltree::Document) -> Result<(), String> {
    // A complex field's code may be split over several runs: join the
    // instruction text of each paragraph.
    let mut codes: Vec<String> = doc
        .descendants()
        .filter(|n| is(n, "fldSimple"))
        .filter_map(|n| attr(&n, "instr").map(str::to_string))
        .collect();
    for p in doc.descendants().filter(|n| is(n, "p")) {
        let code: String = p
            .descendants()
            .filter(|n| is(n, "instrText"))
            .filter_map(|n| n.text())
            .collect();
        if !code.trim().is_empty() {
            codes.push(code);
        }
    }
    for code in codes {
        let mut words = code.split_whitespace();
        let kind = words.next().unwrap_or("").to_ascii_uppercase();
        let arg = words
            .next()
            .unwrap_or("")
            .trim_matches('"')
            .to_ascii_lowercase();
        let outside = match kind.as_str() {
            "INCLUDETEXT" | "INCLUDEPICTURE" | "LINK" | "DDE" | "DDEAUTO" | "IMPORT"
            | "INCLUDE" => true,
            "HYPERLINK" => {
                !(arg.starts_with("http://")
                    || arg.starts_with("https://")
                    || arg.starts_with("mailto:")
                    || arg.starts_with("\\l"))
            }
            _ => false,
        };
        if outside {
            return Err(format!(
                "{name} has a field that links outside the file ({} in {part}): remove it and save again",
                code.trim()
            ));
        }
    }
    Ok(())
}

/// The letter's identifier in the custom properties.
fn ident(name: &str, text: &str) -> Result<Option<String>, String> {
    let doc = parse(name, "docProps/custom.xml", text)?;
    Ok(doc
        .descendants()
        .filter(|n| n.has_tag_name("property"))
        .find(|n| n.attribute("name") == Some(crate::render::docx::IDENT_PROPERTY))
        .and_then(|p| p.descendants().find_map(|c| c.text().map(str::to_string))))
}

/// The text of every paragraph below `root` (a paragraph inside a text
/// box or table is its own), empty ones left out; footnote marks as
/// `[n]`, counted on from `marks`.
fn paragraphs(root: roxmltree::Node, marks: &mut usize) -> Vec<String> {
    let mut out = Vec::new();
    for p in root.descendants().filter(|n| is(n, "p")) {
        let mut text = String::new();
        for n in p.descendants() {
            // Only this paragraph's own text, not a nested one's.
            let own = n
                .ancestors()
                .skip(1)
                .find(|a| is(a, "p"))
                .is_some_and(|a| a == p);
            if !own || !n.is_element() || n.tag_name().namespace() != Some(W) {
                continue;
            }
            match n.tag_name().name() {
                "t" => text.push_str(n.text().unwrap_or("")),
                "tab" if n.parent().is_some_and(|p| is(&p, "r")) => text.push(' '),
                "br" | "cr" => text.push('\n'),
                "noBreakHyphen" => text.push('\u{2011}'),
                "footnoteReference" => {
                    *marks += 1;
                    text.push_str(&format!("[{marks}]"));
                }
                _ => {}
            }
        }
        // A field's result is what Word shows: keep it; its code
        // (w:instrText) is not text.
        let text = text.trim().to_string();
        if !text.is_empty() {
            out.push(text);
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::io::Write;

    fn zip_of(parts: &[(&str, &[u8])]) -> Vec<u8> {
        let mut w = zip::ZipWriter::new(std::io::Cursor::new(Vec::new()));
        let o = zip::write::SimpleFileOptions::default()
            .compression_method(zip::CompressionMethod::Deflated);
        for (n, b) in parts {
            w.start_file(*n, o).unwrap();
            w.write_all(b).unwrap();
        }
        w.finish().unwrap().into_inner()
    }

    const TYPES: &[u8] =
        b"<Types xmlns=\"http://schemas.openxmlformats.org/package/2006/content-types\"/>";
    const DOC: &[u8] = b"<w:document xmlns:w=\"http://schemas.openxmlformats.org/wordprocessingml/2006/main\"><w:body><w:p><w:r><w:t>Een</w:t></w:r><w:ins><w:r><w:t xml:space=\"preserve\"> nieuwe</w:t></w:r></w:ins><w:del><w:r><w:delText> oude</w:delText></w:r></w:del><w:r><w:t xml:space=\"preserve\"> zin.</w:t></w:r></w:p><w:p/></w:body></w:document>";

    #[test]
    fn text_is_read_with_changes_accepted() {
        let t = read(
            "a.docx",
            &zip_of(&[("[Content_Types].xml", TYPES), ("word/document.xml", DOC)]),
        )
        .unwrap();
        assert_eq!(t.paragraphs, ["Een nieuwe zin."]);
        assert_eq!(t.ident, None);
    }

    #[test]
    fn macros_external_links_and_other_files_are_refused() {
        let e = read("a.docx", b"%PDF-1.7").unwrap_err();
        assert!(e.contains("not a zip archive"), "{e}");
        let e = read(
            "a.docx",
            &zip_of(&[
                ("[Content_Types].xml", TYPES),
                ("word/vbaProject.bin", b"x"),
                ("word/document.xml", DOC),
            ]),
        )
        .unwrap_err();
        assert!(e.contains("macros"), "{e}");
        let rels = b"<Relationships xmlns=\"http://schemas.openxmlformats.org/package/2006/relationships\"><Relationship Id=\"r1\" Type=\"http://schemas.openxmlformats.org/officeDocument/2006/relationships/attachedTemplate\" Target=\"file:///C:/evil.dotm\" TargetMode=\"External\"/></Relationships>";
        let e = read(
            "a.docx",
            &zip_of(&[
                ("[Content_Types].xml", TYPES),
                ("word/_rels/settings.xml.rels", rels),
                ("word/document.xml", DOC),
            ]),
        )
        .unwrap_err();
        assert!(e.contains("template"), "{e}");
        let field = b"<w:document xmlns:w=\"http://schemas.openxmlformats.org/wordprocessingml/2006/main\"><w:body><w:p><w:r><w:instrText> INCLUDETEXT \"C:\\\\x.docx\" </w:instrText></w:r></w:p></w:body></w:document>";
        let e = read(
            "a.docx",
            &zip_of(&[("[Content_Types].xml", TYPES), ("word/document.xml", field)]),
        )
        .unwrap_err();
        assert!(e.contains("INCLUDETEXT"), "{e}");
        let e = read("a.docx", &zip_of(&[("[Content_Types].xml", TYPES)])).unwrap_err();
        assert!(e.contains("no word/document.xml"), "{e}");
    }

    #[test]
    fn a_zip_bomb_is_refused_without_unpacking_it_whole() {
        let big = vec![b'a'; (MAX_PART + 10) as usize];
        let e = read(
            "a.docx",
            &zip_of(&[("[Content_Types].xml", TYPES), ("word/document.xml", &big)]),
        )
        .unwrap_err();
        assert!(e.contains("zip bomb"), "{e}");
    }
}
