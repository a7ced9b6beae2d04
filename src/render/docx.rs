//! The letters as Word documents: each letter that is built as PDF is also
//! written as `.docx` (Office Open XML, ECMA-376 part 1, the
//! WordprocessingML subset Word 2007 and later and LibreOffice read),
//! beside its PDF, for the minister's office to amend in Word.
//!
//! A letter is written from the same context its Typst letter is rendered
//! from ([`LetterHead`], the filled [`LetterBlock`]s, a manager letter's
//! enclosure from the report's [`UnitCtx`]): the same text, figures,
//! kenmerk, date, addressee, footnotes and signature. The ministry layout
//! is kept as far as Word allows: the letterhead's wordmark and the side
//! column with the sender's details and Ons kenmerk are frames in the
//! first page's header (the short column with Datum and Ons kenmerk in the
//! later pages' header), the body is narrowed beside them, Datum and
//! Onderwerp stand above the text, "Pagina x van y" at the foot; a
//! kamerstuk has the head parliament prints. A manager letter's enclosure
//! is a section of its own at full width, its pages numbered from 1.
//!
//! The document property [`IDENT_PROPERTY`] names the letter (its PDF's
//! identifier, e.g. `brief-2010-groningen`), so that `korpsmonitor diff`
//! can tell which letter an amended copy is. The same letter gives the same
//! bytes: the parts are written in a fixed order, dated the letter's date
//! (inside the zip and in `docProps/core.xml`).

use std::io::Write;

use crate::data::model::Date;
use crate::render::Block;
use crate::render::context::report::{Meta, UnitCtx};
use crate::render::context::{TrendCtx, VerdictCtx};
use crate::render::house_style::Colour;
use crate::render::letter::{LetterBlock, LetterHead, LetterRun};

/// The custom document property that names the letter.
pub const IDENT_PROPERTY: &str = "korpsmonitor-brief";

/// One centimetre in twentieths of a point (twips), Word's unit of length.
const CM: i64 = 567;
/// A4 in twips.
const PAGE_W: i64 = 11906;
const PAGE_H: i64 = 16838;
/// The ministry letter's side column (as letter.typ: 4.6 cm wide, 1 cm
/// from the text, 2.3 cm from the paper's edge).
const SIDE_W: i64 = 2608;
const SIDE_GAP: i64 = CM;
const EDGE: i64 = 1304;
/// The grey of small print and labels.
const GREY: &str = "666666";

/// A manager letter's enclosure: the unit's chapter of the report.
pub struct Enclosure<'a> {
    /// Its heading: "Bijlage bij de brief van 6 juli 2011, kenmerk 5700790".
    pub title: &'a str,
    /// The report's meta.
    pub meta: &'a Meta,
    /// The unit's chapter.
    pub unit: &'a UnitCtx,
}

/// A letter to write as `.docx`.
pub struct DocxLetter<'a> {
    /// Its head, as the Typst letter's.
    pub head: &'a LetterHead,
    /// Its body, placeholders filled, footnotes at their marks.
    pub body: &'a [LetterBlock],
    /// The enclosure of a manager letter.
    pub enclosure: Option<Enclosure<'a>>,
    /// Its identifier (the PDF's), written as [`IDENT_PROPERTY`].
    pub ident: &'a str,
    /// The house style's accent colour, for the wordmark and headings.
    pub accent: Colour,
    /// The letter's date, for the files inside the zip and the
    /// document's dates.
    pub date: Date,
}

/// The `.docx` file of `letter`.
///
/// Errors: the zip cannot be written (only when memory runs out).
pub fn write(letter: &DocxLetter) -> Result<Vec<u8>, String> {
    let mut doc = Doc {
        accent: letter.accent.hex().trim_start_matches('#').to_string(),
        ..Doc::default()
    };
    let head = letter.head;
    let kamerstuk = head.layout == "kamerstuk" && head.kamerstuk.is_some();
    if kamerstuk {
        kamerstuk_head(&mut doc, head);
    } else {
        ministry_head(&mut doc, head);
    }
    letter_blocks(&mut doc, letter.body);
    closing(&mut doc, head);
    let letter_section = if kamerstuk {
        kamerstuk_section()
    } else {
        ministry_section()
    };
    let body = match &letter.enclosure {
        Some(e) => {
            doc.p(&format!("<w:sectPr>{letter_section}</w:sectPr>"), "");
            enclosure(&mut doc, e);
            format!("{}<w:sectPr>{}</w:sectPr>", doc.body, enclosure_section())
        }
        None => format!("{}<w:sectPr>{letter_section}</w:sectPr>", doc.body),
    };
    let document = format!("{XML_HEAD}<w:document {NS}><w:body>{body}</w:body></w:document>");
    let mut parts: Vec<(&str, String)> = vec![
        (
            "[Content_Types].xml",
            content_types(letter.enclosure.is_some()),
        ),
        ("_rels/.rels", ROOT_RELS.to_string()),
        ("docProps/core.xml", core(head, letter.date)),
        ("docProps/app.xml", APP.to_string()),
        ("docProps/custom.xml", custom(letter.ident)),
        (
            "word/_rels/document.xml.rels",
            document_rels(letter.enclosure.is_some()),
        ),
        ("word/document.xml", document),
        ("word/styles.xml", styles(&head.font, &doc.accent)),
        ("word/settings.xml", SETTINGS.to_string()),
        ("word/numbering.xml", NUMBERING.to_string()),
        ("word/footnotes.xml", footnotes(&doc.notes)),
    ];
    if kamerstuk {
        let k = head
            .kamerstuk
            .as_ref()
            .map(|k| k.footer.as_str())
            .unwrap_or("");
        parts.push(("word/header1.xml", header(&concept_mark(head))));
        parts.push(("word/header2.xml", header(&concept_mark(head))));
        parts.push(("word/footer1.xml", kamerstuk_footer(k)));
    } else {
        parts.push(("word/header1.xml", header(&first_header(head, &doc.accent))));
        parts.push(("word/header2.xml", header(&later_header(head, &doc.accent))));
        parts.push(("word/footer1.xml", page_footer(letter.enclosure.is_some())));
    }
    if let Some(e) = &letter.enclosure {
        parts.push(("word/header3.xml", header(&concept_mark(head))));
        parts.push(("word/header4.xml", header(&enclosure_header(head, e.title))));
        parts.push(("word/footer2.xml", enclosure_footer()));
    }
    zip(&parts, letter.date)
}

/// The document being written: its body and footnotes as XML.
#[derive(Default)]
struct Doc {
    body: String,
    notes: Vec<String>,
    accent: String,
}

impl Doc {
    /// Adds a paragraph with properties `ppr` and runs `runs`.
    fn p(&mut self, ppr: &str, runs: &str) {
        self.body.push_str(&para(ppr, runs));
    }

    /// The runs of letter text; each footnote is added to the notes and
    /// referenced at its mark.
    fn letter_runs(&mut self, runs: &[LetterRun]) -> String {
        let mut out = String::new();
        for r in runs {
            match &r.note {
                Some(note) => {
                    self.notes.push(note.clone());
                    out.push_str(&format!(
                        "<w:r><w:rPr><w:rStyle w:val=\"FootnoteReference\"/></w:rPr><w:footnoteReference w:id=\"{}\"/></w:r>",
                        self.notes.len()
                    ));
                }
                None => out.push_str(&run(if r.emph { "<w:i/>" } else { "" }, &r.text)),
            }
        }
        out
    }
}

/// Text as XML character data: escaped, and without the characters XML
/// 1.0 cannot hold (they never reach a letter: `check` refuses them).
pub fn esc(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    for c in s.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\t' | '\n' | '\r' => out.push(c),
            c if (c as u32) < 0x20 || c == '\u{fffe}' || c == '\u{ffff}' => {}
            c => out.push(c),
        }
    }
    out
}

/// A run of `text` with run properties `rpr`; a line break in the text
/// becomes a break in the line.
fn run(rpr: &str, text: &str) -> String {
    let rpr = if rpr.is_empty() {
        String::new()
    } else {
        format!("<w:rPr>{rpr}</w:rPr>")
    };
    let mut out = format!("<w:r>{rpr}");
    for (i, line) in text.split('\n').enumerate() {
        if i > 0 {
            out.push_str("<w:br/>");
        }
        if !line.is_empty() {
            out.push_str(&format!("<w:t xml:space=\"preserve\">{}</w:t>", esc(line)));
        }
    }
    out.push_str("</w:r>");
    out
}

/// A paragraph.
fn para(ppr: &str, runs: &str) -> String {
    if ppr.is_empty() {
        format!("<w:p>{runs}</w:p>")
    } else {
        format!("<w:p><w:pPr>{ppr}</w:pPr>{runs}</w:p>")
    }
}

/// Run properties of small print: `half_points` in size, grey or not.
fn small(half_points: u32, grey: bool) -> String {
    let colour = if grey {
        format!("<w:color w:val=\"{GREY}\"/>")
    } else {
        String::new()
    };
    format!("{colour}<w:sz w:val=\"{half_points}\"/><w:szCs w:val=\"{half_points}\"/>")
}

/// Lines in one paragraph, broken where the list breaks them.
fn lines_para(ppr: &str, rpr: &str, lines: &[String]) -> String {
    para(ppr, &run(rpr, &lines.join("\n")))
}

/// The addressee block, Datum and Onderwerp of a ministry letter.
fn ministry_head(doc: &mut Doc, head: &LetterHead) {
    if head.concept {
        doc.p(
            "",
            &run(
                &format!("<w:b/><w:color w:val=\"{}\"/>", "C00000"),
                "CONCEPT",
            ),
        );
    }
    if let Some(r) = &head.return_address {
        doc.p(
            "<w:spacing w:after=\"120\"/>",
            &run(&small(14, true), &format!("> Retouradres {r}")),
        );
    }
    // The addressee's block is 3 cm high, as in the PDF, whatever its lines.
    let lines = head.addressee.len() as i64;
    let after = (3 * CM - lines * 264).max(0) + 227;
    doc.body.push_str(&lines_para(
        &format!("<w:spacing w:after=\"{after}\"/>"),
        "",
        &head.addressee,
    ));
    let label = |s: &str| run(&small(16, true), s);
    let row = |l: &str, v: &str| {
        format!(
            "<w:tr><w:tc><w:tcPr><w:tcW w:w=\"1247\" w:type=\"dxa\"/></w:tcPr>{}</w:tc><w:tc><w:tcPr><w:tcW w:w=\"4876\" w:type=\"dxa\"/></w:tcPr>{}</w:tc></w:tr>",
            para("<w:spacing w:after=\"100\"/>", &label(l)),
            para("<w:spacing w:after=\"100\"/>", &run("", v)),
        )
    };
    doc.body.push_str(&format!(
        "<w:tbl><w:tblPr><w:tblW w:w=\"6123\" w:type=\"dxa\"/><w:tblLayout w:type=\"fixed\"/><w:tblCellMar><w:left w:w=\"0\" w:type=\"dxa\"/></w:tblCellMar></w:tblPr><w:tblGrid><w:gridCol w:w=\"1247\"/><w:gridCol w:w=\"4876\"/></w:tblGrid>{}{}</w:tbl>",
        row("Datum", &head.date),
        row("Onderwerp", &head.subject)
    ));
    doc.p("<w:spacing w:after=\"300\"/>", "");
}

/// The head of a kamerstuk: chamber, parliamentary year, dossier, number
/// and kind of paper in the margin column, addressee, place and date.
fn kamerstuk_head(doc: &mut Doc, head: &LetterHead) {
    let Some(k) = &head.kamerstuk else { return };
    if head.concept {
        doc.p("", &run("<w:b/><w:color w:val=\"C00000\"/>", "CONCEPT"));
    }
    doc.p(
        "<w:spacing w:after=\"0\"/>",
        &run("<w:b/><w:sz w:val=\"26\"/>", &k.chamber),
    );
    doc.p("<w:spacing w:after=\"160\"/>", &run("", &k.session));
    // The margin column: the paragraph reaches 2.6 cm into the margin.
    let margin = "<w:tabs><w:tab w:val=\"left\" w:pos=\"0\"/></w:tabs><w:ind w:left=\"0\" w:hanging=\"1474\"/>";
    let rule = "<w:pBdr><w:top w:val=\"single\" w:sz=\"6\" w:space=\"4\" w:color=\"999999\"/><w:bottom w:val=\"single\" w:sz=\"6\" w:space=\"4\" w:color=\"999999\"/></w:pBdr>";
    let mut dossier = run("<w:b/><w:sz w:val=\"24\"/>", &k.dossier);
    if let Some(t) = &k.dossier_title {
        dossier.push_str("<w:r><w:tab/></w:r>");
        dossier.push_str(&run("<w:b/><w:sz w:val=\"24\"/>", t));
    }
    doc.p(
        &format!("{rule}{margin}<w:spacing w:after=\"200\"/>"),
        &dossier,
    );
    doc.p(
        &format!("{margin}<w:spacing w:after=\"200\"/>"),
        &format!(
            "{}<w:r><w:tab/></w:r>{}",
            run("<w:b/>", &k.number),
            run("<w:b/>", &k.document)
        ),
    );
    doc.body.push_str(&lines_para(
        "<w:spacing w:after=\"160\"/>",
        "",
        &head.addressee,
    ));
    doc.p("<w:spacing w:after=\"240\"/>", &run("", &k.place_date));
}

/// The letter's prose.
fn letter_blocks(doc: &mut Doc, blocks: &[LetterBlock]) {
    for b in blocks {
        match b {
            LetterBlock::Paragraph { runs } => {
                let r = doc.letter_runs(runs);
                doc.p("", &r);
            }
            LetterBlock::List { items } => {
                for item in items {
                    let r = doc.letter_runs(item);
                    doc.p("<w:pStyle w:val=\"ListBullet\"/>", &r);
                }
            }
        }
    }
}

/// The signature, kept together, and the illustrative notice.
fn closing(doc: &mut Doc, head: &LetterHead) {
    doc.p(
        "<w:keepNext/><w:keepLines/><w:spacing w:before=\"300\" w:after=\"440\"/>",
        &run("", &head.signatory.title),
    );
    doc.p("<w:keepLines/>", &run("", &head.signatory.name));
    if let Some(note) = head.illustrative_note {
        doc.p(
            "<w:pBdr><w:top w:val=\"single\" w:sz=\"4\" w:space=\"4\" w:color=\"999999\"/><w:left w:val=\"single\" w:sz=\"4\" w:space=\"4\" w:color=\"999999\"/><w:bottom w:val=\"single\" w:sz=\"4\" w:space=\"4\" w:color=\"999999\"/><w:right w:val=\"single\" w:sz=\"4\" w:space=\"4\" w:color=\"999999\"/></w:pBdr><w:spacing w:before=\"240\"/>",
            &run(&small(15, true), note),
        );
    }
}

/// A paragraph of the side column or wordmark (see [`floating`]),
/// `before` twips below the one before.
fn framed(before: u32, runs: &str) -> String {
    para(
        &format!(
            "<w:spacing w:before=\"{before}\" w:after=\"0\" w:line=\"220\" w:lineRule=\"auto\"/>"
        ),
        runs,
    )
}

/// `content` (paragraphs) in a box at (`x`, `y`) on the page, `w` wide:
/// a floating one-cell table without borders, which Word and LibreOffice
/// both place where it says, the text flowing beside it.
fn floating(x: i64, y: i64, w: i64, content: &str) -> String {
    format!(
        "<w:tbl><w:tblPr><w:tblpPr w:leftFromText=\"142\" w:rightFromText=\"0\" w:vertAnchor=\"page\" w:horzAnchor=\"page\" w:tblpX=\"{x}\" w:tblpY=\"{y}\"/><w:tblW w:w=\"{w}\" w:type=\"dxa\"/><w:tblLayout w:type=\"fixed\"/><w:tblCellMar><w:left w:w=\"0\" w:type=\"dxa\"/><w:right w:w=\"0\" w:type=\"dxa\"/></w:tblCellMar></w:tblPr><w:tblGrid><w:gridCol w:w=\"{w}\"/></w:tblGrid><w:tr><w:tc><w:tcPr><w:tcW w:w=\"{w}\" w:type=\"dxa\"/></w:tcPr>{content}</w:tc></w:tr></w:tbl>"
    )
}

/// The side column's left edge.
const SIDE_X: i64 = PAGE_W - EDGE - SIDE_W;

/// The ministry's name beside the (absent) emblem, on every page.
fn wordmark(head: &LetterHead, accent: &str) -> String {
    floating(
        6634,
        680,
        3969,
        &framed(
            0,
            &run(
                &format!("<w:color w:val=\"{accent}\"/><w:sz w:val=\"23\"/>"),
                &head.sender.ministry,
            ),
        ),
    )
}

/// The sender's unit in the side column: the directorate-general in bold,
/// then directorate and department.
fn sender_lines(head: &LetterHead) -> String {
    let s = &head.sender;
    let mut out = String::new();
    if let Some(dg) = &s.directorate_general {
        out.push_str(&framed(0, &run(&format!("<w:b/>{}", small(15, false)), dg)));
    }
    for line in [&s.directorate, &s.department].into_iter().flatten() {
        out.push_str(&framed(0, &run(&small(15, false), line)));
    }
    out
}

/// A label over its value in the side column.
fn side_item(label: &str, value: &str) -> String {
    framed(
        120,
        &format!(
            "{}<w:r><w:br/></w:r>{}",
            run(&format!("<w:b/>{}", small(15, false)), label),
            run(&small(15, false), value)
        ),
    )
}

/// The first page's header: the wordmark and the full side column.
fn first_header(head: &LetterHead, accent: &str) -> String {
    let y = 5 * CM - 454;
    let s = &head.sender;
    let mut out = sender_lines(head);
    let mut address: Vec<String> = s.visiting_address.clone();
    if !address.is_empty() {
        address.push(String::new());
    }
    address.extend(s.postal_address.iter().cloned());
    address.extend(s.website.iter().cloned());
    if !address.is_empty() {
        out.push_str(&framed(120, &run(&small(15, false), &address.join("\n"))));
    }
    if let Some(r) = &head.reference {
        out.push_str(&side_item("Ons kenmerk", r));
    }
    out.push_str(&framed(
        160,
        &run(&format!("<w:i/>{}", small(14, false)), head.answer_note),
    ));
    page_header(head, accent, y, &out)
}

/// The later pages' header: the wordmark and the short side column.
fn later_header(head: &LetterHead, accent: &str) -> String {
    let y = 5 * CM - 454;
    let mut out = sender_lines(head);
    out.push_str(&side_item("Datum", &head.date));
    if let Some(r) = &head.reference {
        out.push_str(&side_item("Ons kenmerk", r));
    }
    page_header(head, accent, y, &out)
}

/// A page's header: the concept mark, the wordmark and the side column
/// `side` set `y` twips from the top.
fn page_header(head: &LetterHead, accent: &str, y: i64, side: &str) -> String {
    format!(
        "{}{}{}{}",
        concept_mark(head),
        wordmark(head, accent),
        floating(SIDE_X, y, SIDE_W, side),
        para("", "")
    )
}

/// "CONCEPT" at the head of a concept's pages, else an empty paragraph.
fn concept_mark(head: &LetterHead) -> String {
    if head.concept {
        para(
            "",
            &run(
                &format!("<w:b/><w:color w:val=\"C00000\"/>{}", small(18, false)),
                "CONCEPT",
            ),
        )
    } else {
        para("", "")
    }
}

/// A field (PAGE, SECTIONPAGES) showing `shown` until it is updated.
fn field(instr: &str, rpr: &str, shown: &str) -> String {
    format!(
        "<w:fldSimple w:instr=\" {instr} \">{}</w:fldSimple>",
        run(rpr, shown)
    )
}

/// The ministry letter's footer: "Pagina x van y", y the letter's pages
/// without the enclosure (the section's pages when it has one).
fn page_footer(enclosure: bool) -> String {
    let rpr = small(15, true);
    footer(&para(
        "<w:jc w:val=\"right\"/>",
        &format!(
            "{}{}{}{}",
            run(&rpr, "Pagina "),
            field("PAGE", &rpr, "1"),
            run(&rpr, " van "),
            field(
                if enclosure {
                    "SECTIONPAGES"
                } else {
                    "NUMPAGES"
                },
                &rpr,
                "1"
            )
        ),
    ))
}

/// The kamerstuk's running footer with the page number at the right.
fn kamerstuk_footer(text: &str) -> String {
    let rpr = small(15, true);
    let width = PAGE_W - 4 * CM - 1474 - 1588;
    footer(&para(
        &format!("<w:tabs><w:tab w:val=\"right\" w:pos=\"{width}\"/></w:tabs>"),
        &format!(
            "{}<w:r><w:tab/></w:r>{}",
            run(&rpr, text),
            field("PAGE", &rpr, "1")
        ),
    ))
}

/// The enclosure's footer: "Bijlage, pagina n".
fn enclosure_footer() -> String {
    let rpr = small(15, true);
    footer(&para(
        "<w:jc w:val=\"right\"/>",
        &format!(
            "{}{}",
            run(&rpr, "Bijlage, pagina "),
            field("PAGE", &rpr, "1")
        ),
    ))
}

/// The enclosure's header from its second page on: its title.
fn enclosure_header(head: &LetterHead, title: &str) -> String {
    let mut out = concept_mark(head);
    out.push_str(&para(
        "<w:pBdr><w:bottom w:val=\"single\" w:sz=\"4\" w:space=\"2\" w:color=\"999999\"/></w:pBdr>",
        &run(&small(15, true), title),
    ));
    out
}

fn header(content: &str) -> String {
    format!("{XML_HEAD}<w:hdr {NS}>{content}</w:hdr>")
}

fn footer(content: &str) -> String {
    format!("{XML_HEAD}<w:ftr {NS}>{content}</w:ftr>")
}

/// The ministry letter's section: narrowed beside the side column, the
/// first page's header its own.
fn ministry_section() -> String {
    let right = EDGE + SIDE_W + SIDE_GAP;
    format!(
        "<w:headerReference w:type=\"default\" r:id=\"rIdH2\"/><w:headerReference w:type=\"first\" r:id=\"rIdH1\"/><w:footerReference w:type=\"default\" r:id=\"rIdF1\"/><w:footerReference w:type=\"first\" r:id=\"rIdF1\"/><w:pgSz w:w=\"{PAGE_W}\" w:h=\"{PAGE_H}\"/><w:pgMar w:top=\"{}\" w:right=\"{right}\" w:bottom=\"{}\" w:left=\"{EDGE}\" w:header=\"454\" w:footer=\"567\" w:gutter=\"0\"/><w:pgNumType w:start=\"1\"/><w:titlePg/>",
        5 * CM + 113,
        2 * CM + 284,
    )
}

/// The kamerstuk's section: the margin column on the left.
fn kamerstuk_section() -> String {
    format!(
        "<w:headerReference w:type=\"default\" r:id=\"rIdH2\"/><w:headerReference w:type=\"first\" r:id=\"rIdH1\"/><w:footerReference w:type=\"default\" r:id=\"rIdF1\"/><w:footerReference w:type=\"first\" r:id=\"rIdF1\"/><w:pgSz w:w=\"{PAGE_W}\" w:h=\"{PAGE_H}\"/><w:pgMar w:top=\"{}\" w:right=\"1588\" w:bottom=\"{}\" w:left=\"{}\" w:header=\"567\" w:footer=\"567\" w:gutter=\"0\"/><w:pgNumType w:start=\"1\"/><w:titlePg/>",
        2 * CM + 284,
        2 * CM + 284,
        EDGE + 1474,
    )
}

/// The enclosure's section: full width, numbered from 1, its title at the
/// head of its later pages.
fn enclosure_section() -> String {
    format!(
        "<w:headerReference w:type=\"default\" r:id=\"rIdH4\"/><w:headerReference w:type=\"first\" r:id=\"rIdH3\"/><w:footerReference w:type=\"default\" r:id=\"rIdF2\"/><w:footerReference w:type=\"first\" r:id=\"rIdF2\"/><w:pgSz w:w=\"{PAGE_W}\" w:h=\"{PAGE_H}\"/><w:pgMar w:top=\"1474\" w:right=\"{EDGE}\" w:bottom=\"1361\" w:left=\"{EDGE}\" w:header=\"567\" w:footer=\"567\" w:gutter=\"0\"/><w:pgNumType w:start=\"1\"/><w:titlePg/>"
    )
}

/// A verdict's words, "n.v.t." without one.
fn verdict(v: Option<&VerdictCtx>) -> String {
    v.map_or("n.v.t.".into(), |v| v.label.to_string())
}

/// A change as letter.typ's `trend` prints it: its sign and its words.
fn trend(t: Option<&TrendCtx>) -> String {
    let Some(t) = t else { return "–".into() };
    let sign = match t.id {
        "same" if t.label != "ongewijzigd" => "±",
        "better" => "+",
        "worse" => "−",
        "same" => "=",
        _ => "•",
    };
    format!("{sign}\u{a0}{}", t.label)
}

/// A table with a header row; `widths` in twips, `right` the columns
/// set right-aligned.
fn table(widths: &[i64], header: &[String], rows: &[Vec<String>], right: &[usize]) -> String {
    let grid: String = widths
        .iter()
        .map(|w| format!("<w:gridCol w:w=\"{w}\"/>"))
        .collect();
    let cell = |i: usize, text: &str, bold: bool| {
        let jc = if right.contains(&i) && !bold {
            "<w:jc w:val=\"right\"/>"
        } else {
            ""
        };
        let rpr = format!("{}{}", if bold { "<w:b/>" } else { "" }, small(18, false));
        format!(
            "<w:tc><w:tcPr><w:tcW w:w=\"{}\" w:type=\"dxa\"/></w:tcPr>{}</w:tc>",
            widths.get(i).copied().unwrap_or(1000),
            para(&format!("<w:spacing w:after=\"0\"/>{jc}"), &run(&rpr, text))
        )
    };
    let mut out = format!(
        "<w:tbl><w:tblPr><w:tblStyle w:val=\"HouseTable\"/><w:tblW w:w=\"{}\" w:type=\"dxa\"/><w:tblLayout w:type=\"fixed\"/></w:tblPr><w:tblGrid>{grid}</w:tblGrid>",
        widths.iter().sum::<i64>()
    );
    out.push_str("<w:tr><w:trPr><w:tblHeader/></w:trPr>");
    for (i, h) in header.iter().enumerate() {
        out.push_str(&cell(i, h, true));
    }
    out.push_str("</w:tr>");
    for row in rows {
        out.push_str("<w:tr><w:trPr><w:cantSplit/></w:trPr>");
        for (i, c) in row.iter().enumerate() {
            out.push_str(&cell(i, c, false));
        }
        out.push_str("</w:tr>");
    }
    out.push_str("</w:tbl>");
    out
}

/// Prose of the report (findings, recommendations) as paragraphs.
fn prose(doc: &mut Doc, blocks: &[Block], first_style: Option<&str>) {
    for (i, b) in blocks.iter().enumerate() {
        let style = |s: &str| format!("<w:pStyle w:val=\"{s}\"/>");
        match b {
            Block::Paragraph { runs } => {
                let r: String = runs
                    .iter()
                    .map(|r| run(if r.emph { "<w:i/>" } else { "" }, &r.text))
                    .collect();
                let ppr = match first_style {
                    Some(s) if i == 0 => style(s),
                    Some(_) => "<w:ind w:left=\"357\"/>".into(),
                    None => String::new(),
                };
                doc.p(&ppr, &r);
            }
            Block::List { items } => {
                for item in items {
                    let r: String = item
                        .iter()
                        .map(|r| run(if r.emph { "<w:i/>" } else { "" }, &r.text))
                        .collect();
                    doc.p(&style("ListBullet"), &r);
                }
            }
        }
    }
}

/// The enclosure: the unit's chapter of the report, as unit-chapter in
/// style.typ sets it.
fn enclosure(doc: &mut Doc, e: &Enclosure) {
    let u = e.unit;
    doc.p("<w:pStyle w:val=\"Heading1\"/>", &run("", e.title));
    doc.p(
        "",
        &run(
            &format!("<w:color w:val=\"{GREY}\"/>"),
            &format!("{} in de {}", u.name, e.meta.title),
        ),
    );
    doc.p("<w:pStyle w:val=\"Heading2\"/>", &run("", &u.name));
    let tabbed = |l: &str, v: &str| {
        para(
            "<w:tabs><w:tab w:val=\"left\" w:pos=\"1701\"/></w:tabs><w:spacing w:after=\"80\"/>",
            &format!("{}<w:r><w:tab/></w:r>{}", run("", l), run("", v)),
        )
    };
    doc.body.push_str(&tabbed("Groep", &u.group));
    if let Some(c) = &u.compared_with {
        doc.body.push_str(&tabbed("Vergeleken met", c));
    }
    manual_note(doc, u.manual.as_ref());
    verdict_table(doc, e.meta, u);
    let chart = |doc: &mut Doc, caption: String, alt: &str| {
        doc.p(
            "<w:keepNext/>",
            &run("<w:b/>", &format!("Figuur: {caption}")),
        );
        doc.p("", &run(&format!("<w:i/>{}", small(18, false)), alt));
    };
    match (&u.peers, &u.chart) {
        (Some(p), _) if p.chart.is_some() => {
            if let Some(c) = &p.chart {
                chart(
                    doc,
                    format!("{}: scores tegen de spreiding van de groep", u.name),
                    &c.alt,
                );
            }
            doc.p("", &run("", &p.sentence));
        }
        (peers, c) => {
            if let Some(c) = c {
                chart(
                    doc,
                    format!("{}: scores per dimensie tegen de drempels", u.name),
                    &c.alt,
                );
            }
            if let Some(p) = peers {
                doc.p("", &run("", &p.sentence));
            } else if let Some(n) = &u.peers_note {
                doc.p("", &run("", n));
            }
        }
    }
    for d in u
        .dimensions
        .iter()
        .filter(|d| d.manual.is_some() || !d.findings.is_empty())
    {
        doc.p("<w:pStyle w:val=\"Heading3\"/>", &run("", &d.name));
        manual_note(doc, d.manual.as_ref());
        prose(doc, &d.findings, None);
    }
    enclosure_tail(doc, u);
}

/// The enclosure's key figures, partners' ratings and recommendations.
fn enclosure_tail(doc: &mut Doc, u: &UnitCtx) {
    let h3 = "<w:pStyle w:val=\"Heading3\"/>";
    if let Some(k) = &u.key_figures {
        doc.p(h3, &run("", "Kerncijfers"));
        let rows = [
            ("Verdachten van mensenhandel in beeld", &k.suspects),
            ("Zaken aangeleverd bij het OM", &k.case_files),
            ("Gemelde slachtoffers", &k.victims),
        ]
        .map(|(l, v)| vec![l.to_string(), v.clone()]);
        doc.body.push_str(&table(
            &[7000, 2298],
            &["Kerncijfer".into(), "Aantal".into()],
            &rows,
            &[1],
        ));
        doc.p("<w:spacing w:after=\"0\"/>", "");
    }
    if !u.partners.is_empty() {
        doc.p(h3, &run("", "Oordeel over de ketenpartners"));
        let rows: Vec<Vec<String>> = u
            .partners
            .iter()
            .map(|r| vec![r.name.clone(), r.rating.to_string(), r.remark.clone()])
            .collect();
        doc.body.push_str(&table(
            &[3400, 1600, 4298],
            &["Ketenpartner".into(), "Oordeel".into(), "Opmerking".into()],
            &rows,
            &[],
        ));
        doc.p("<w:spacing w:after=\"0\"/>", "");
    }
    if !u.recommendations.is_empty() {
        doc.p(h3, &run("", "Aanbevelingen voor de eenheid"));
        for r in &u.recommendations {
            prose(doc, r, Some("ListNumber"));
        }
    }
}

/// A manual verdict's note: the computed verdict and the justification.
fn manual_note(doc: &mut Doc, m: Option<&crate::render::context::report::ManualCtx>) {
    let Some(m) = m else { return };
    let mut runs = run("<w:b/>", "Handmatig oordeel. ");
    if let Some(c) = &m.computed {
        runs.push_str(&run(
            "",
            &format!("Het berekende oordeel was {}. ", c.label),
        ));
    }
    runs.push_str(&run("<w:b/>", "Motivering: "));
    let shade = "<w:shd w:val=\"clear\" w:color=\"auto\" w:fill=\"E8EEF5\"/>";
    doc.p(&format!("<w:keepNext/>{shade}"), &runs);
    for b in &m.justification {
        if let Block::Paragraph { runs } = b {
            let r: String = runs
                .iter()
                .map(|r| run(if r.emph { "<w:i/>" } else { "" }, &r.text))
                .collect();
            doc.p(shade, &r);
        }
    }
}

/// The unit's verdicts in one table, as unit-verdict-table in style.typ:
/// the points and score per dimension, the verdicts of at most three
/// editions and the change.
fn verdict_table(doc: &mut Doc, meta: &Meta, u: &UnitCtx) {
    let s = u.series.as_ref();
    let new_unit = u.trend.as_ref().is_some_and(|t| t.id == "new")
        && s.is_some_and(|s| {
            s.verdicts[..s.verdicts.len().saturating_sub(1)]
                .iter()
                .all(Option::is_none)
        });
    let skip = match s {
        None => 0,
        Some(s) if new_unit => s.years.len().saturating_sub(1),
        Some(s) => s.years.len().saturating_sub(3),
    };
    let years: Vec<u16> = match (s, meta.previous_year) {
        (Some(s), _) => s.years[skip.min(s.years.len())..].to_vec(),
        (None, Some(p)) => vec![p, meta.year],
        (None, None) => vec![meta.year],
    };
    let n = years.len();
    let has_points = u.dimensions.iter().any(|d| d.points_short.is_some());
    let has_score = u.score.is_some() || u.dimensions.iter().any(|d| d.score.is_some());
    let has_change = n > 1;
    let mut header = vec!["Dimensie".to_string()];
    let mut widths = vec![2000];
    let mut right = Vec::new();
    if has_points {
        right.push(header.len());
        header.push("Punten".into());
        widths.push(1250);
    }
    if has_score {
        right.push(header.len());
        header.push("Score".into());
        widths.push(1000);
    }
    for y in &years {
        header.push(y.to_string());
        widths.push(1450);
    }
    if has_change {
        header.push("Verandering".into());
        widths.push(1900);
    }
    let earlier_total = |i: usize| match s {
        Some(s) => match (&s.verdicts[skip + i], &s.scores[skip + i]) {
            (Some(v), Some(x)) => format!("{} {x}", v.label),
            (Some(v), None) => v.label.to_string(),
            (None, _) => s.missing[skip + i].clone(),
        },
        None => u
            .previous
            .as_ref()
            .map_or("–".into(), |v| v.label.to_string()),
    };
    let mut rows = Vec::new();
    let mut total = vec!["Totaaloordeel".to_string()];
    if has_points {
        total.push(String::new());
    }
    if has_score {
        total.push(u.score.clone().unwrap_or_else(|| "–".into()));
    }
    total.extend((0..n.saturating_sub(1)).map(earlier_total));
    total.push(u.verdict.label.to_string());
    if has_change {
        let overall = u
            .trend
            .as_ref()
            .filter(|t| t.id != "new")
            .map(|t| TrendCtx {
                id: t.id,
                label: match t.id {
                    "better" => "verbeterd",
                    "worse" => "verslechterd",
                    _ => "ongewijzigd",
                }
                .into(),
            });
        total.push(trend(overall.as_ref()));
    }
    rows.push(total);
    for d in &u.dimensions {
        let mut row = vec![d.short_name.clone()];
        if has_points {
            row.push(d.points_short.clone().unwrap_or_else(|| "–".into()));
        }
        if has_score {
            row.push(d.score.clone().unwrap_or_else(|| "n.v.t.".into()));
        }
        for i in 0..n.saturating_sub(1) {
            row.push(earlier(s, skip + i, d));
        }
        let m = if d.manual.is_some() { " (m)" } else { "" };
        row.push(format!("{}{m}", verdict(d.verdict.as_ref())));
        if has_change {
            row.push(trend(d.change.as_ref()));
        }
        rows.push(row);
    }
    // The name column takes what the others leave of the text width.
    let rest: i64 = widths[1..].iter().sum();
    widths[0] = (PAGE_W - 2 * EDGE - rest).max(1500);
    doc.body.push_str(&table(&widths, &header, &rows, &right));
    let mut notes = Vec::new();
    if new_unit && let Some(p) = meta.previous_year {
        notes.push(format!("Nieuw in deze monitor: in {p} niet beoordeeld."));
    }
    if u.dimensions.iter().any(|d| d.manual.is_some()) {
        notes.push("(m) handmatig oordeel; de motivering staat bij de dimensie.".into());
    }
    doc.p(
        "<w:spacing w:before=\"80\"/>",
        &run(&small(16, false), &notes.join(" ")),
    );
}

/// A dimension's mark in an earlier edition shown (`at` in the series).
fn earlier(
    s: Option<&crate::render::context::trends::UnitTrendCtx>,
    at: usize,
    d: &crate::render::context::report::UnitDimensionCtx,
) -> String {
    match s {
        Some(s) => match s
            .dimensions
            .iter()
            .find(|x| x.id == d.id)
            .and_then(|r| r.marks.get(at))
        {
            None => "–".into(),
            Some(m) => match m.kind {
                "verdict" => verdict(m.verdict.as_ref()),
                "not_applicable" => "n.v.t.".into(),
                "not_comparable" => "niet vergelijkbaar".into(),
                _ => "–".into(),
            },
        },
        None => match (&d.previous, d.comparable) {
            (Some(v), _) => v.label.to_string(),
            (None, false) => "niet vergelijkbaar".into(),
            (None, true) => "–".into(),
        },
    }
}

const XML_HEAD: &str = "<?xml version=\"1.0\" encoding=\"UTF-8\" standalone=\"yes\"?>\n";
const NS: &str = "xmlns:w=\"http://schemas.openxmlformats.org/wordprocessingml/2006/main\" xmlns:r=\"http://schemas.openxmlformats.org/officeDocument/2006/relationships\"";
const REL: &str = "http://schemas.openxmlformats.org/officeDocument/2006/relationships";
const CT_WORD: &str = "application/vnd.openxmlformats-officedocument.wordprocessingml";

fn content_types(enclosure: bool) -> String {
    let mut o = format!(
        "{XML_HEAD}<Types xmlns=\"http://schemas.openxmlformats.org/package/2006/content-types\"><Default Extension=\"rels\" ContentType=\"application/vnd.openxmlformats-package.relationships+xml\"/><Default Extension=\"xml\" ContentType=\"application/xml\"/>"
    );
    let mut over = |part: &str, ct: String| {
        o.push_str(&format!(
            "<Override PartName=\"/{part}\" ContentType=\"{ct}\"/>"
        ));
    };
    over("word/document.xml", format!("{CT_WORD}.document.main+xml"));
    over("word/styles.xml", format!("{CT_WORD}.styles+xml"));
    over("word/settings.xml", format!("{CT_WORD}.settings+xml"));
    over("word/numbering.xml", format!("{CT_WORD}.numbering+xml"));
    over("word/footnotes.xml", format!("{CT_WORD}.footnotes+xml"));
    let (headers, footers) = if enclosure { (4, 2) } else { (2, 1) };
    for i in 1..=headers {
        over(
            &format!("word/header{i}.xml"),
            format!("{CT_WORD}.header+xml"),
        );
    }
    for i in 1..=footers {
        over(
            &format!("word/footer{i}.xml"),
            format!("{CT_WORD}.footer+xml"),
        );
    }
    over(
        "docProps/core.xml",
        "application/vnd.openxmlformats-package.core-properties+xml".into(),
    );
    over(
        "docProps/app.xml",
        "application/vnd.openxmlformats-officedocument.extended-properties+xml".into(),
    );
    over(
        "docProps/custom.xml",
        "application/vnd.openxmlformats-officedocument.custom-properties+xml".into(),
    );
    o.push_str("</Types>");
    o
}

const ROOT_RELS: &str = concat!(
    "<?xml version=\"1.0\" encoding=\"UTF-8\" standalone=\"yes\"?>\n",
    "<Relationships xmlns=\"http://schemas.openxmlformats.org/package/2006/relationships\">",
    "<Relationship Id=\"rId1\" Type=\"http://schemas.openxmlformats.org/officeDocument/2006/relationships/officeDocument\" Target=\"word/document.xml\"/>",
    "<Relationship Id=\"rId2\" Type=\"http://schemas.openxmlformats.org/package/2006/relationships/metadata/core-properties\" Target=\"docProps/core.xml\"/>",
    "<Relationship Id=\"rId3\" Type=\"http://schemas.openxmlformats.org/officeDocument/2006/relationships/extended-properties\" Target=\"docProps/app.xml\"/>",
    "<Relationship Id=\"rId4\" Type=\"http://schemas.openxmlformats.org/officeDocument/2006/relationships/custom-properties\" Target=\"docProps/custom.xml\"/>",
    "</Relationships>"
);

fn document_rels(enclosure: bool) -> String {
    let mut o = format!(
        "{XML_HEAD}<Relationships xmlns=\"http://schemas.openxmlformats.org/package/2006/relationships\">"
    );
    let mut rel = |id: &str, kind: &str, target: &str| {
        o.push_str(&format!(
            "<Relationship Id=\"{id}\" Type=\"{REL}/{kind}\" Target=\"{target}\"/>"
        ));
    };
    rel("rIdS", "styles", "styles.xml");
    rel("rIdT", "settings", "settings.xml");
    rel("rIdN", "numbering", "numbering.xml");
    rel("rIdFn", "footnotes", "footnotes.xml");
    rel("rIdH1", "header", "header1.xml");
    rel("rIdH2", "header", "header2.xml");
    rel("rIdF1", "footer", "footer1.xml");
    if enclosure {
        rel("rIdH3", "header", "header3.xml");
        rel("rIdH4", "header", "header4.xml");
        rel("rIdF2", "footer", "footer2.xml");
    }
    o.push_str("</Relationships>");
    o
}

/// The core properties: title, author and the letter's date as the
/// document's dates (never the time of the build).
fn core(head: &LetterHead, date: Date) -> String {
    let when = format!(
        "{:04}-{:02}-{:02}T00:00:00Z",
        date.year, date.month, date.day
    );
    format!(
        "{XML_HEAD}<cp:coreProperties xmlns:cp=\"http://schemas.openxmlformats.org/package/2006/metadata/core-properties\" xmlns:dc=\"http://purl.org/dc/elements/1.1/\" xmlns:dcterms=\"http://purl.org/dc/terms/\" xmlns:xsi=\"http://www.w3.org/2001/XMLSchema-instance\"><dc:title>{}</dc:title><dc:creator>{}</dc:creator><dc:language>nl-NL</dc:language><dcterms:created xsi:type=\"dcterms:W3CDTF\">{when}</dcterms:created><dcterms:modified xsi:type=\"dcterms:W3CDTF\">{when}</dcterms:modified></cp:coreProperties>",
        esc(&head.title),
        esc(&head.sender.ministry)
    )
}

const APP: &str = concat!(
    "<?xml version=\"1.0\" encoding=\"UTF-8\" standalone=\"yes\"?>\n",
    "<Properties xmlns=\"http://schemas.openxmlformats.org/officeDocument/2006/extended-properties\"><Application>korpsmonitor</Application></Properties>"
);

fn custom(ident: &str) -> String {
    format!(
        "{XML_HEAD}<Properties xmlns=\"http://schemas.openxmlformats.org/officeDocument/2006/custom-properties\" xmlns:vt=\"http://schemas.openxmlformats.org/officeDocument/2006/docPropsVTypes\"><property fmtid=\"{{D5CDD505-2E9C-101B-9397-08002B2CF9AE}}\" pid=\"2\" name=\"{IDENT_PROPERTY}\"><vt:lpwstr>{}</vt:lpwstr></property></Properties>",
        esc(ident)
    )
}

const SETTINGS: &str = concat!(
    "<?xml version=\"1.0\" encoding=\"UTF-8\" standalone=\"yes\"?>\n",
    "<w:settings xmlns:w=\"http://schemas.openxmlformats.org/wordprocessingml/2006/main\">",
    "<w:defaultTabStop w:val=\"709\"/><w:autoHyphenation w:val=\"false\"/>",
    "<w:footnotePr><w:footnote w:id=\"-1\"/><w:footnote w:id=\"0\"/></w:footnotePr>",
    "<w:compat><w:compatSetting w:name=\"compatibilityMode\" w:uri=\"http://schemas.microsoft.com/office/word\" w:val=\"15\"/></w:compat>",
    "</w:settings>"
);

const NUMBERING: &str = concat!(
    "<?xml version=\"1.0\" encoding=\"UTF-8\" standalone=\"yes\"?>\n",
    "<w:numbering xmlns:w=\"http://schemas.openxmlformats.org/wordprocessingml/2006/main\">",
    "<w:abstractNum w:abstractNumId=\"0\"><w:multiLevelType w:val=\"singleLevel\"/><w:lvl w:ilvl=\"0\"><w:start w:val=\"1\"/><w:numFmt w:val=\"bullet\"/><w:lvlText w:val=\"•\"/><w:lvlJc w:val=\"left\"/><w:pPr><w:ind w:left=\"357\" w:hanging=\"357\"/></w:pPr></w:lvl></w:abstractNum>",
    "<w:abstractNum w:abstractNumId=\"1\"><w:multiLevelType w:val=\"singleLevel\"/><w:lvl w:ilvl=\"0\"><w:start w:val=\"1\"/><w:numFmt w:val=\"decimal\"/><w:lvlText w:val=\"%1.\"/><w:lvlJc w:val=\"left\"/><w:pPr><w:ind w:left=\"357\" w:hanging=\"357\"/></w:pPr></w:lvl></w:abstractNum>",
    "<w:num w:numId=\"1\"><w:abstractNumId w:val=\"0\"/></w:num><w:num w:numId=\"2\"><w:abstractNumId w:val=\"1\"/></w:num>",
    "</w:numbering>"
);

/// The styles: the house font at 10 pt, ragged right without hyphenation,
/// headings in the accent colour, small footnotes, the lists and the
/// tables.
fn styles(font: &str, accent: &str) -> String {
    let font = esc(font);
    let heading = |id: &str, name: &str, size: u32, level: u32| {
        format!(
            "<w:style w:type=\"paragraph\" w:styleId=\"{id}\"><w:name w:val=\"{name}\"/><w:basedOn w:val=\"Normal\"/><w:next w:val=\"Normal\"/><w:qFormat/><w:pPr><w:keepNext/><w:keepLines/><w:spacing w:before=\"240\" w:after=\"120\"/><w:outlineLvl w:val=\"{level}\"/></w:pPr><w:rPr><w:b/><w:color w:val=\"{accent}\"/><w:sz w:val=\"{size}\"/><w:szCs w:val=\"{size}\"/></w:rPr></w:style>"
        )
    };
    format!(
        "{XML_HEAD}<w:styles xmlns:w=\"http://schemas.openxmlformats.org/wordprocessingml/2006/main\"><w:docDefaults><w:rPrDefault><w:rPr><w:rFonts w:ascii=\"{font}\" w:hAnsi=\"{font}\" w:eastAsia=\"{font}\" w:cs=\"{font}\"/><w:sz w:val=\"20\"/><w:szCs w:val=\"20\"/><w:lang w:val=\"nl-NL\" w:eastAsia=\"nl-NL\" w:bidi=\"ar-SA\"/></w:rPr></w:rPrDefault><w:pPrDefault><w:pPr><w:spacing w:after=\"220\" w:line=\"264\" w:lineRule=\"auto\"/><w:suppressAutoHyphens/></w:pPr></w:pPrDefault></w:docDefaults>\
<w:style w:type=\"paragraph\" w:default=\"1\" w:styleId=\"Normal\"><w:name w:val=\"Normal\"/><w:qFormat/></w:style>\
{}{}{}\
<w:style w:type=\"paragraph\" w:styleId=\"ListBullet\"><w:name w:val=\"List Bullet\"/><w:basedOn w:val=\"Normal\"/><w:pPr><w:numPr><w:numId w:val=\"1\"/></w:numPr><w:spacing w:after=\"80\"/></w:pPr></w:style>\
<w:style w:type=\"paragraph\" w:styleId=\"ListNumber\"><w:name w:val=\"List Number\"/><w:basedOn w:val=\"Normal\"/><w:pPr><w:numPr><w:numId w:val=\"2\"/></w:numPr><w:spacing w:after=\"80\"/></w:pPr></w:style>\
<w:style w:type=\"paragraph\" w:styleId=\"FootnoteText\"><w:name w:val=\"footnote text\"/><w:basedOn w:val=\"Normal\"/><w:pPr><w:spacing w:after=\"0\" w:line=\"240\" w:lineRule=\"auto\"/></w:pPr><w:rPr><w:sz w:val=\"15\"/><w:szCs w:val=\"15\"/></w:rPr></w:style>\
<w:style w:type=\"character\" w:styleId=\"FootnoteReference\"><w:name w:val=\"footnote reference\"/><w:rPr><w:vertAlign w:val=\"superscript\"/></w:rPr></w:style>\
<w:style w:type=\"table\" w:default=\"1\" w:styleId=\"TableNormal\"><w:name w:val=\"Normal Table\"/><w:tblPr><w:tblInd w:w=\"0\" w:type=\"dxa\"/><w:tblCellMar><w:top w:w=\"0\" w:type=\"dxa\"/><w:left w:w=\"108\" w:type=\"dxa\"/><w:bottom w:w=\"0\" w:type=\"dxa\"/><w:right w:w=\"108\" w:type=\"dxa\"/></w:tblCellMar></w:tblPr></w:style>\
<w:style w:type=\"table\" w:styleId=\"HouseTable\"><w:name w:val=\"House Table\"/><w:basedOn w:val=\"TableNormal\"/><w:tblPr><w:tblBorders><w:top w:val=\"single\" w:sz=\"4\" w:space=\"0\" w:color=\"999999\"/><w:bottom w:val=\"single\" w:sz=\"4\" w:space=\"0\" w:color=\"999999\"/><w:insideH w:val=\"single\" w:sz=\"2\" w:space=\"0\" w:color=\"CCCCCC\"/></w:tblBorders><w:tblCellMar><w:top w:w=\"40\" w:type=\"dxa\"/><w:bottom w:w=\"40\" w:type=\"dxa\"/></w:tblCellMar></w:tblPr></w:style>\
</w:styles>",
        heading("Heading1", "heading 1", 28, 0),
        heading("Heading2", "heading 2", 26, 1),
        heading("Heading3", "heading 3", 22, 2),
    )
}

/// The footnotes part: Word's two separators, then each note.
fn footnotes(notes: &[String]) -> String {
    let mut o = format!(
        "{XML_HEAD}<w:footnotes {NS}><w:footnote w:type=\"separator\" w:id=\"-1\"><w:p><w:pPr><w:spacing w:after=\"0\"/></w:pPr><w:r><w:separator/></w:r></w:p></w:footnote><w:footnote w:type=\"continuationSeparator\" w:id=\"0\"><w:p><w:pPr><w:spacing w:after=\"0\"/></w:pPr><w:r><w:continuationSeparator/></w:r></w:p></w:footnote>"
    );
    for (i, n) in notes.iter().enumerate() {
        o.push_str(&format!(
            "<w:footnote w:id=\"{}\"><w:p><w:pPr><w:pStyle w:val=\"FootnoteText\"/></w:pPr><w:r><w:rPr><w:rStyle w:val=\"FootnoteReference\"/></w:rPr><w:footnoteRef/></w:r>{}</w:p></w:footnote>",
            i + 1,
            run("", &format!(" {n}"))
        ));
    }
    o.push_str("</w:footnotes>");
    o
}

/// The parts as a zip, in the given order, each dated `date` (midnight),
/// deflated.
fn zip(parts: &[(&str, String)], date: Date) -> Result<Vec<u8>, String> {
    let when = zip::DateTime::from_date_and_time(
        u16::try_from(date.year.clamp(1980, 2107)).unwrap_or(1980),
        date.month,
        date.day,
        0,
        0,
        0,
    )
    .unwrap_or_default();
    let options = zip::write::SimpleFileOptions::default()
        .compression_method(zip::CompressionMethod::Deflated)
        .last_modified_time(when)
        .unix_permissions(0o644);
    let mut w = zip::ZipWriter::new(std::io::Cursor::new(Vec::new()));
    for (name, text) in parts {
        w.start_file(*name, options).map_err(|e| e.to_string())?;
        w.write_all(text.as_bytes()).map_err(|e| e.to_string())?;
    }
    Ok(w.finish().map_err(|e| e.to_string())?.into_inner())
}
