//! The Typst source a build writes with `--emit-typst` is the source it
//! typeset: a plain Typst World written here (files from the emitted folder,
//! fonts read straight from the repository's `fonts/`, no korpsmonitor code
//! in between) compiles that folder, and the text of its PDF is compared
//! page by page with the PDF the build wrote.

use std::fs;
use std::path::{Path, PathBuf};

use typst::diag::{FileError, FileResult};
use typst::foundations::{Bytes, Datetime, Duration};
use typst::syntax::{FileId, RootedPath, Source, VirtualPath, VirtualRoot};
use typst::text::{Font, FontBook};
use typst::utils::LazyHash;
use typst::{Library, LibraryExt, World};
use typst_layout::PagedDocument;

use crate::support::{build_2010, root, run};

/// A World over one folder on disk: what `typst compile --root DIR
/// --font-path fonts --ignore-system-fonts` would see.
struct PlainWorld {
    root: PathBuf,
    main: FileId,
    library: LazyHash<Library>,
    book: LazyHash<FontBook>,
    fonts: Vec<Font>,
    today: Datetime,
}

fn id(path: &str) -> FileId {
    FileId::new(RootedPath::new(
        VirtualRoot::Project,
        VirtualPath::new(format!("/{path}")).unwrap(),
    ))
}

impl PlainWorld {
    fn new(root: &Path, main: &str, today: (i32, u8, u8)) -> PlainWorld {
        let mut files: Vec<PathBuf> = fs::read_dir(crate::support::root().join("fonts"))
            .unwrap()
            .map(|e| e.unwrap().path())
            .filter(|p| {
                p.extension()
                    .is_some_and(|e| e == "ttf" || e == "otf" || e == "ttc")
            })
            .collect();
        files.sort();
        let fonts: Vec<Font> = files
            .iter()
            .flat_map(|p| Font::iter(Bytes::new(fs::read(p).unwrap())))
            .collect();
        assert!(fonts.len() >= 10, "fonts/ holds {} fonts", fonts.len());
        PlainWorld {
            root: root.to_path_buf(),
            main: id(main),
            library: LazyHash::new(Library::default()),
            book: LazyHash::new(FontBook::from_fonts(&fonts)),
            fonts,
            today: Datetime::from_ymd(today.0, today.1, today.2).unwrap(),
        }
    }

    fn read(&self, id: FileId) -> FileResult<Vec<u8>> {
        if !matches!(id.get().root(), VirtualRoot::Project) {
            return Err(FileError::Other(Some("no packages".into())));
        }
        let path = id
            .get()
            .vpath()
            .realize(&self.root)
            .map_err(|_| FileError::AccessDenied)?;
        fs::read(&path).map_err(|e| FileError::from_io(e, &path))
    }

    /// Compiles the main file and exports it as a plain PDF.
    fn pdf(&self) -> Vec<u8> {
        let paged = typst::compile::<PagedDocument>(self)
            .output
            .unwrap_or_else(|e| panic!("{}: {e:?}", self.root.display()));
        typst_pdf::pdf(&paged, &typst_pdf::PdfOptions::default())
            .unwrap_or_else(|e| panic!("{}: {e:?}", self.root.display()))
    }
}

impl World for PlainWorld {
    fn library(&self) -> &LazyHash<Library> {
        &self.library
    }
    fn book(&self) -> &LazyHash<FontBook> {
        &self.book
    }
    fn main(&self) -> FileId {
        self.main
    }
    fn source(&self, id: FileId) -> FileResult<Source> {
        let bytes = self.read(id)?;
        let text = String::from_utf8(bytes).map_err(|_| FileError::InvalidUtf8)?;
        Ok(Source::new(id, text))
    }
    fn file(&self, id: FileId) -> FileResult<Bytes> {
        self.read(id).map(Bytes::new)
    }
    fn font(&self, index: usize) -> Option<Font> {
        self.fonts.get(index).cloned()
    }
    fn today(&self, _offset: Option<Duration>) -> Option<Datetime> {
        Some(self.today)
    }
}

/// The first page whose text differs between two PDFs, with both texts;
/// `None` when every page reads the same.
fn first_difference(a: &Path, b: &Path) -> Option<String> {
    let (pa, pb) = (crate::pdf::pages(a), crate::pdf::pages(b));
    for (i, (x, y)) in pa.iter().zip(&pb).enumerate() {
        let (x, y) = (crate::pdf::fold(x), crate::pdf::fold(y));
        if x != y {
            return Some(format!("page {}:\n{x}\n---\n{y}", i + 1));
        }
    }
    (pa.len() != pb.len()).then(|| format!("{} pages against {}", pa.len(), pb.len()))
}

/// The `date` of an edition.yaml as (year, month, day).
fn edition_date(edition: &Path) -> (i32, u8, u8) {
    let v: serde_yaml::Value =
        serde_yaml::from_str(&fs::read_to_string(edition.join("edition.yaml")).unwrap()).unwrap();
    let d = v["date"].as_str().unwrap().to_string();
    let mut parts = d.split('-').map(|p| p.parse::<i32>().unwrap());
    let (y, m, day) = (
        parts.next().unwrap(),
        parts.next().unwrap(),
        parts.next().unwrap(),
    );
    (y, m as u8, day as u8)
}

/// Compiles `main` in the emitted folder `typ` with the plain World and
/// writes the PDF to `to`.
fn compile_plain(typ: &Path, main: &str, date: (i32, u8, u8), to: &Path) {
    fs::write(to, PlainWorld::new(typ, main, date).pdf()).unwrap();
}

#[test]
fn the_emitted_2010_source_typesets_to_the_built_documents() {
    let dir = tempfile::tempdir().unwrap();
    let data = root().join("data/2010");
    build_2010(dir.path(), &["--emit-typst", "typ"]);
    let (out, typ) = (dir.path().join("out/2010"), dir.path().join("typ"));
    let date = edition_date(&data);
    for (folder, main, built) in [
        (typ.clone(), "report.typ", out.join("korpsmonitor-2010.pdf")),
        (
            typ.clone(),
            "aanbiedingsbrief.typ",
            out.join("aanbiedingsbrief-2010.pdf"),
        ),
        (
            typ.join("brieven/ijsselland"),
            "brief-korpsbeheerder.typ",
            out.join("brieven/ijsselland.pdf"),
        ),
    ] {
        let plain = dir.path().join(format!("plain-{main}.pdf"));
        compile_plain(&folder, main, date, &plain);
        assert!(crate::pdf::pages(&plain).len() > 1, "{main}: one page only");
        if let Some(d) = first_difference(&plain, &built) {
            panic!("{main}: the emitted source reads differently from the built PDF: {d}");
        }
    }
}

#[test]
fn an_emitted_source_that_differs_from_the_typeset_one_is_caught() {
    let dir = crate::support::mini(None);
    let r = run(
        dir.path(),
        &["build", "mini", "--only", "report", "--emit-typst", "typ"],
    );
    assert_eq!(r.code, 0, "{}", r.stderr);
    let typ = dir.path().join("typ");
    let built = dir.path().join("output/2030/korpsmonitor-2030.pdf");
    let date = edition_date(&dir.path().join("mini"));
    let plain = dir.path().join("plain.pdf");
    compile_plain(&typ, "report.typ", date, &plain);
    assert_eq!(first_difference(&plain, &built), None);
    // One changed word in the emitted source (the unit's name, where it is
    // a value in the source) must show.
    let source = typ.join("report.typ");
    let text = fs::read_to_string(&source).unwrap();
    let name = "\"name\": \"Alfa\"";
    assert!(text.contains(name), "the mini report names unit Alfa");
    fs::write(&source, text.replacen(name, "\"name\": \"Alva\"", 1)).unwrap();
    compile_plain(&typ, "report.typ", date, &plain);
    let d = first_difference(&plain, &built).expect("the change is not seen");
    assert!(d.contains("Alva"), "{d}");
}
