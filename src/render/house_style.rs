//! The house style's settings (`house-style.yaml` among the templates):
//! font, paper, whether unit chapters start on a new page, the letterhead's
//! logo and the colours. One file, read by the PDF documents (style.typ and
//! letter.typ read it with Typst's `yaml`), the charts and the web edition,
//! so that a colour changed there changes everywhere.

use std::path::Path;

use serde::Deserialize;

use crate::base::diagnostics::Diagnostic;
use crate::base::locate::Locations;
pub use crate::render::HOUSE_STYLE;
use crate::render::Templates;

/// The papers the house style's layout is made for: every default
/// document passes the layout check on them.
pub const PAPERS: [&str; 2] = ["a4", "us-letter"];

/// The house style's settings.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct HouseStyle {
    /// The documents' font family; `None`: the family of the first font of
    /// `--fonts`, or Noto Sans.
    #[serde(default)]
    pub font: Option<String>,
    /// The paper size, as Typst names it.
    pub paper: String,
    /// Whether each unit's chapter starts on a new page.
    pub unit_chapter_new_page: bool,
    /// The letterhead's logo: an SVG or PNG file, relative to the edition's
    /// folder or else the templates folder.
    #[serde(default)]
    pub logo: Option<String>,
    /// The colours.
    pub colours: Colours,
}

/// The house style's colours, each `#rrggbb`.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Colours {
    /// Headings, chart bars, the web edition's header.
    pub accent: Colour,
    /// Table stripes, chart bands.
    pub accent_light: Colour,
    /// Secondary text, axis lines.
    pub muted: Colour,
    /// Table rules.
    pub rule: Colour,
    /// Conform norm (and the rating goed).
    pub conform_norm: Colour,
    /// Aandacht (and the rating matig).
    pub aandacht: Colour,
    /// Onvoldoende (and the rating onvoldoende).
    pub onvoldoende: Colour,
    /// The rating voldoende.
    pub voldoende: Colour,
}

/// A colour written `#rrggbb`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Colour(pub u8, pub u8, pub u8);

impl Colour {
    /// As CSS and Typst write it: `#154273`.
    pub fn hex(self) -> String {
        format!("#{:02x}{:02x}{:02x}", self.0, self.1, self.2)
    }
}

impl<'de> Deserialize<'de> for Colour {
    fn deserialize<D: serde::Deserializer<'de>>(d: D) -> Result<Colour, D::Error> {
        let text = String::deserialize(d)?;
        let digits = text
            .strip_prefix('#')
            .filter(|h| h.len() == 6 && h.chars().all(|c| c.is_ascii_hexdigit()));
        let Some(h) = digits else {
            return Err(serde::de::Error::custom(format!(
                "found {text:?}, expected a colour written #rrggbb, e.g. \"#154273\""
            )));
        };
        let byte = |i: usize| u8::from_str_radix(&h[i..i + 2], 16).unwrap_or(0);
        Ok(Colour(byte(0), byte(2), byte(4)))
    }
}

impl HouseStyle {
    /// The settings of `templates` (the default, or the override of
    /// `--templates`).
    ///
    /// Errors: every problem of the file, at its line and field.
    pub fn of(templates: &Templates) -> Result<HouseStyle, Vec<Diagnostic>> {
        let text = templates.get(HOUSE_STYLE).unwrap_or_default();
        let path = templates.display_path(HOUSE_STYLE);
        let locations = Locations::index(text);
        let style = crate::data::load::parse_file::<HouseStyle>(&path, text, &locations)?;
        if !PAPERS.contains(&style.paper.as_str()) {
            return Err(vec![Diagnostic::error(
                &path,
                format!(
                    "found paper {:?}, expected {} (the papers the house style's layout is made and checked for)",
                    style.paper,
                    PAPERS.join(" or ")
                ),
            )
            .at(locations.value("paper"))
            .field("paper")]);
        }
        Ok(style)
    }

    /// The logo's file: relative to `edition`, or else to the templates
    /// folder `templates_dir`; `None` without a logo.
    ///
    /// Errors: the file is in neither folder, is not an SVG or PNG, or
    /// cannot be read, naming the paths looked at (once per build).
    pub fn logo_file(
        &self,
        edition: &Path,
        templates: &Templates,
        templates_dir: Option<&Path>,
    ) -> Result<Option<(String, Vec<u8>)>, Box<Diagnostic>> {
        let Some(logo) = &self.logo else {
            return Ok(None);
        };
        // Problems of the setting are shown at its line.
        let text = templates.get(HOUSE_STYLE).unwrap_or_default();
        let at = Locations::index(text).value("logo");
        let settings = templates.display_path(HOUSE_STYLE);
        let error = |message: String| Diagnostic::error(&settings, message).at(at).field("logo");
        let ext = Path::new(logo)
            .extension()
            .and_then(|e| e.to_str())
            .map(str::to_ascii_lowercase);
        let Some(ext @ ("svg" | "png")) = ext.as_deref() else {
            return Err(Box::new(
                error(format!("the logo {logo:?} is no SVG or PNG file"))
                    .hint("give an .svg or .png file"),
            ));
        };
        let Some(rel) = crate::base::input::safe_relative(logo) else {
            return Err(Box::new(error(format!(
                "the logo {logo:?} is not a path inside the edition's or the templates folder"
            ))));
        };
        let mut looked = Vec::new();
        for dir in [Some(edition), templates_dir].into_iter().flatten() {
            let path = dir.join(rel);
            looked.push(path.display().to_string());
            if crate::base::input::exists(dir, &path) {
                let bytes = crate::base::input::read(dir, &path, MAX_LOGO_BYTES).map_err(|e| {
                    Box::new(
                        Diagnostic::error(&path, format!("cannot read the logo: {e}"))
                            .field("logo"),
                    )
                })?;
                // Read once here, not once per letter by Typst.
                let is_png = bytes.starts_with(b"\x89PNG\r\n\x1a\n");
                let is_svg = std::str::from_utf8(&bytes).is_ok_and(|t| t.contains("<svg"));
                if (ext == "png" && !is_png) || (ext == "svg" && !is_svg) {
                    return Err(Box::new(
                        Diagnostic::error(
                            &path,
                            format!("the logo is no {} image", ext.to_uppercase()),
                        )
                        .field("logo")
                        .hint("give an SVG or PNG file as the name says"),
                    ));
                }
                return Ok(Some((format!("logo.{ext}"), bytes)));
            }
        }
        Err(Box::new(
            error(format!(
                "the logo {logo:?} is not there: looked for {}",
                looked.join(" and ")
            ))
            .hint(
                "put the file in the edition's folder or the templates folder, or leave `logo` out",
            ),
        ))
    }
}

/// The largest logo file read, in bytes.
pub const MAX_LOGO_BYTES: u64 = 4 * 1024 * 1024;

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_default_house_style_reads() {
        let style = HouseStyle::of(&Templates::embedded()).unwrap();
        assert_eq!(style.paper, "a4");
        assert!(style.unit_chapter_new_page);
        assert_eq!(style.colours.accent, Colour(0x15, 0x42, 0x73));
        assert_eq!(style.colours.accent.hex(), "#154273");
        assert_eq!(style.font, None);
        assert_eq!(style.logo, None);
    }

    #[test]
    fn a_bad_colour_is_named_at_its_line() {
        let text = crate::render::DEFAULT_TEMPLATES
            .iter()
            .find(|(n, _)| *n == HOUSE_STYLE)
            .unwrap()
            .1
            .replace("accent: \"#154273\"", "accent: blauw");
        let line = text
            .lines()
            .position(|l| l.contains("accent: blauw"))
            .unwrap()
            + 1;
        let d = crate::data::load::parse_file::<HouseStyle>(
            Path::new(HOUSE_STYLE),
            &text,
            &Locations::index(&text),
        )
        .unwrap_err();
        assert_eq!(d.len(), 1, "{d:?}");
        assert!(
            d[0].message.contains("expected a colour written #rrggbb"),
            "{}",
            d[0].message
        );
        assert_eq!(d[0].pos.map(|p| p.line), Some(line));
    }
}
