//! The print rules of the house style that the program itself applies:
//! the charts draw their text no smaller, and the layout check reads every
//! laid-out page against them. `templates/style.typ` sets the same sizes
//! for the documents' own text (a test keeps the two equal).

/// The smallest text on a printed page, in points: small print such as a
/// letter's return address or a footnote, and every text of a chart.
pub const MIN_TEXT_PT: f64 = 7.0;

/// The smallest text in the body and in tables, in points: the house
/// style's `min-text-size`.
pub const MIN_TABLE_TEXT_PT: f64 = 8.0;

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_house_style_sets_the_same_minimum() {
        let style = crate::render::DEFAULT_TEMPLATES
            .iter()
            .find(|(name, _)| *name == "style.typ")
            .map(|(_, text)| *text)
            .expect("the default house style");
        let line = style
            .lines()
            .find(|l| l.starts_with("#let min-text-size = "))
            .expect("style.typ defines min-text-size");
        assert_eq!(line, format!("#let min-text-size = {MIN_TABLE_TEXT_PT}pt"));
    }
}
