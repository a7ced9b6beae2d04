//! Typesetting: the program's own Typst World and the PDF export.
