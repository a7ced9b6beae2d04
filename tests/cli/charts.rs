//! The charts as printed: the SVGs a build writes (`--emit-typst`) are read
//! back and measured in the font they are drawn in. Every text is at least
//! 7 pt at the width the report sets the chart at, no text overlaps another
//! text or crosses a line, and no label is cut (inside the drawing, no
//! ellipsis, every long name printed whole).

use std::path::Path;

use typst::foundations::Bytes;
use typst::layout::Abs;
use typst::text::{Font, FontInstance, FontVariant, FontVariations};

use crate::support::{root, run};

/// The smallest chart text at print size, in points.
const MIN_PT: f64 = 7.0;

/// Glyph metrics of the charts' font, Noto Sans.
struct Glyphs(FontInstance);

impl Glyphs {
    fn load() -> Glyphs {
        let data = std::fs::read(root().join("fonts/NotoSans-Regular.ttf")).unwrap();
        let font = Font::new(Bytes::new(data), 0).unwrap();
        Glyphs(font.instantiate(
            FontVariant::default(),
            Abs::pt(10.0),
            &FontVariations::default(),
        ))
    }

    /// The advance and ink box (x0, y0, x1, y1, y up) of `c`, in em; a
    /// character the font lacks counts as a full em box.
    fn glyph(&self, c: char) -> (f64, Option<[f64; 4]>) {
        let f = &self.0;
        let upem = f.units_per_em();
        match f.ttf().glyph_index(c) {
            Some(g) => {
                let adv = f.x_advance(g.0).map(|a| a.get()).unwrap_or(0.0);
                let ink = f.ttf().glyph_bounding_box(g).map(|r| {
                    [
                        f64::from(r.x_min) / upem,
                        f64::from(r.y_min) / upem,
                        f64::from(r.x_max) / upem,
                        f64::from(r.y_max) / upem,
                    ]
                });
                (adv, ink)
            }
            None => (1.0, Some([0.0, -0.25, 1.0, 0.8])),
        }
    }
}

/// A box in SVG pixels: x0, y0 (top), x1, y1 (bottom).
type Rect = [f64; 4];

#[derive(Debug)]
enum Item {
    Rect {
        r: Rect,
        fill: String,
        stroked: bool,
    },
    Line {
        points: Vec<(f64, f64)>,
        width: f64,
    },
    Text {
        text: String,
        size: f64,
        ink: Rect,
    },
}

struct Svg {
    width: f64,
    height: f64,
    items: Vec<Item>,
}

fn attr<'a>(tag: &'a str, name: &str) -> Option<&'a str> {
    let key = format!(" {name}=\"");
    let start = tag.find(&key)? + key.len();
    Some(&tag[start..start + tag[start..].find('"')?])
}

fn num(tag: &str, name: &str) -> f64 {
    attr(tag, name)
        .and_then(|v| v.trim_end_matches("px").parse().ok())
        .unwrap_or_else(|| panic!("no number {name} in {tag}"))
}

fn unescape(s: &str) -> String {
    s.replace("&lt;", "<")
        .replace("&gt;", ">")
        .replace("&quot;", "\"")
        .replace("&#39;", "'")
        .replace("&amp;", "&")
}

/// Reads the elements plotters writes, one per line, in paint order.
fn parse(svg: &str, glyphs: &Glyphs) -> Svg {
    let head = svg.split_once('>').unwrap().0;
    let mut out = Svg {
        width: num(head, "width"),
        height: num(head, "height"),
        items: Vec::new(),
    };
    let mut rest = svg;
    while let Some(i) = rest.find('<') {
        rest = &rest[i..];
        let end = rest.find('>').unwrap();
        let tag = &rest[..end];
        if tag.starts_with("<rect") {
            let (x, y) = (num(tag, "x"), num(tag, "y"));
            out.items.push(Item::Rect {
                r: [x, y, x + num(tag, "width"), y + num(tag, "height")],
                fill: attr(tag, "fill").unwrap_or("none").to_string(),
                stroked: attr(tag, "stroke").is_some_and(|s| s != "none"),
            });
        } else if tag.starts_with("<polyline") {
            let points = attr(tag, "points")
                .unwrap()
                .split_whitespace()
                .map(|p| {
                    let (x, y) = p.split_once(',').unwrap();
                    (x.parse().unwrap(), y.parse().unwrap())
                })
                .collect();
            out.items.push(Item::Line {
                points,
                width: num(tag, "stroke-width"),
            });
        } else if tag.starts_with("<text") {
            let close = rest.find("</text>").unwrap();
            let body = &rest[end + 1..close];
            let text = unescape(body.trim_matches('\n'));
            let size = num(tag, "font-size");
            let dy = match attr(tag, "dy").unwrap_or("0") {
                d if d.ends_with("em") => d[..d.len() - 2].parse::<f64>().unwrap() * size,
                // usvg takes an ex as half an em.
                d if d.ends_with("ex") => d[..d.len() - 2].parse::<f64>().unwrap() * size / 2.0,
                d => d.parse().unwrap(),
            };
            let (x, baseline) = (num(tag, "x"), num(tag, "y") + dy);
            let (mut pen, mut ink) = (0.0, [f64::MAX, f64::MAX, f64::MIN, f64::MIN]);
            for c in text.chars() {
                let (adv, bbox) = glyphs.glyph(c);
                if let Some([x0, y0, x1, y1]) = bbox {
                    ink = [
                        ink[0].min(pen + x0),
                        ink[1].min(-y1),
                        ink[2].max(pen + x1),
                        ink[3].max(-y0),
                    ];
                }
                pen += adv;
            }
            let shift = match attr(tag, "text-anchor").unwrap_or("start") {
                "middle" => -pen / 2.0,
                "end" => -pen,
                _ => 0.0,
            };
            if ink[0] <= ink[2] {
                let ink = [
                    x + (ink[0] + shift) * size,
                    baseline + ink[1] * size,
                    x + (ink[2] + shift) * size,
                    baseline + ink[3] * size,
                ];
                out.items.push(Item::Text { text, size, ink });
            }
            rest = &rest[close..];
            continue;
        }
        rest = &rest[end..];
    }
    out
}

fn overlap(a: &Rect, b: &Rect) -> bool {
    a[0] < b[2] && b[0] < a[2] && a[1] < b[3] && b[1] < a[3]
}

fn grow(r: &Rect, d: f64) -> Rect {
    [r[0] - d, r[1] - d, r[2] + d, r[3] + d]
}

/// Whether the segment from `p` to `q` passes through the box (Liang-Barsky).
fn crosses(p: (f64, f64), q: (f64, f64), r: &Rect) -> bool {
    let (dx, dy) = (q.0 - p.0, q.1 - p.1);
    let (mut t0, mut t1) = (0.0f64, 1.0f64);
    for (den, num) in [
        (-dx, p.0 - r[0]),
        (dx, r[2] - p.0),
        (-dy, p.1 - r[1]),
        (dy, r[3] - p.1),
    ] {
        if den == 0.0 {
            if num <= 0.0 {
                return false;
            }
        } else {
            let t = num / den;
            if den < 0.0 {
                t0 = t0.max(t);
            } else {
                t1 = t1.min(t);
            }
        }
    }
    t0 < t1
}

/// Everything wrong with one chart set at `width_cm`.
fn problems(name: &str, svg: &Svg, width_cm: f64) -> Vec<String> {
    let mut out = Vec::new();
    let pt_per_px = width_cm / svg.width * 72.0 / 2.54;
    let canvas = [0.0, 0.0, svg.width, svg.height];
    let texts: Vec<(usize, &String, f64, &Rect)> = svg
        .items
        .iter()
        .enumerate()
        .filter_map(|(i, it)| match it {
            Item::Text { text, size, ink } => Some((i, text, *size, ink)),
            _ => None,
        })
        .collect();
    for (k, &(i, text, size, ink)) in texts.iter().enumerate() {
        let pt = size * pt_per_px;
        if pt < MIN_PT {
            out.push(format!("{name}: {text:?} is {pt:.1} pt at print size"));
        }
        if text.contains('…') || text.contains("...") {
            out.push(format!("{name}: {text:?} is cut"));
        }
        if ink[0] < canvas[0] || ink[1] < canvas[1] || ink[2] > canvas[2] || ink[3] > canvas[3] {
            out.push(format!("{name}: {text:?} runs out of the drawing: {ink:?}"));
        }
        for &(_, other, _, ink2) in &texts[k + 1..] {
            if overlap(ink, ink2) {
                out.push(format!("{name}: {text:?} overlaps {other:?}"));
            }
        }
        for (j, it) in svg.items.iter().enumerate() {
            match it {
                Item::Line { points, width } => {
                    // A line painted over by a later white box behind the
                    // text is hidden.
                    let hidden = j < i && svg.items[j..i].iter().any(|x| {
                        matches!(x, Item::Rect { r, fill, .. }
                            if fill == "#FFFFFF" && r[0] <= ink[0] && r[1] <= ink[1] && r[2] >= ink[2] && r[3] >= ink[3])
                    });
                    let hit = points
                        .windows(2)
                        .any(|w| crosses(w[0], w[1], &grow(ink, width / 2.0)));
                    if hit && !hidden {
                        out.push(format!("{name}: a line crosses {text:?} at {points:?}"));
                    }
                }
                Item::Rect {
                    r, stroked: true, ..
                } => {
                    let inside = r[0] < ink[0] && r[1] < ink[1] && r[2] > ink[2] && r[3] > ink[3];
                    if overlap(&grow(r, 0.5), ink) && !inside {
                        out.push(format!("{name}: the outline {r:?} crosses {text:?}"));
                    }
                }
                _ => {}
            }
        }
    }
    out
}

/// The width each chart is set at, read from the generated report source:
/// the house style sets a chart at exactly its `width_cm`.
fn placed_width(source: &str, file: &str) -> f64 {
    let at = source
        .find(&format!("\"{file}\""))
        .unwrap_or_else(|| panic!("{file} is not in the report"));
    let rest = &source[at..];
    let key = "\"width_cm\": ";
    let w = &rest[rest.find(key).unwrap() + key.len()..];
    let end = w.find(|c: char| !(c.is_ascii_digit() || c == '.')).unwrap();
    w[..end].parse().unwrap()
}

/// Builds the report of `edition` (a path relative to `cwd`) and checks
/// every chart; returns the charts' texts by file name.
fn check_charts(cwd: &Path, edition: &str) -> Vec<(String, Vec<String>)> {
    let r = run(
        cwd,
        &[
            "build",
            edition,
            "--only",
            "report",
            "--output",
            "out",
            "--emit-typst",
            "typ",
        ],
    );
    assert_eq!(r.code, 0, "{}", r.stderr);
    let glyphs = Glyphs::load();
    let source = std::fs::read_to_string(cwd.join("typ/report.typ")).unwrap();
    let mut files: Vec<_> = std::fs::read_dir(cwd.join("typ/charts"))
        .unwrap()
        .map(|e| e.unwrap().path())
        .collect();
    files.sort();
    assert!(!files.is_empty());
    let mut all = Vec::new();
    let mut found = Vec::new();
    for path in files {
        let file = format!("charts/{}", path.file_name().unwrap().to_str().unwrap());
        let svg = parse(&std::fs::read_to_string(&path).unwrap(), &glyphs);
        found.extend(problems(&file, &svg, placed_width(&source, &file)));
        let texts = svg
            .items
            .iter()
            .filter_map(|i| match i {
                Item::Text { text, .. } => Some(text.clone()),
                _ => None,
            })
            .collect();
        all.push((file, texts));
    }
    assert!(found.is_empty(), "{edition}:\n{}", found.join("\n"));
    let _ = std::fs::remove_dir_all(cwd.join("typ"));
    // Every chart has a caption and takes the next figure number: they run
    // 1, 2, 3 ... without gaps, one per chart.
    let year = source
        .split("\"year\": ")
        .nth(1)
        .and_then(|y| y.split(|c: char| !c.is_ascii_digit()).next())
        .unwrap()
        .to_string();
    let pdf = cwd.join(format!("out/{year}/korpsmonitor-{year}.pdf"));
    let numbers: Vec<usize> = crate::pdf::text(&pdf)
        .split("Figuur")
        .skip(1)
        .filter_map(|rest| {
            let n: String = rest
                .trim_start()
                .chars()
                .take_while(char::is_ascii_digit)
                .collect();
            n.parse().ok()
        })
        .collect();
    assert_eq!(
        numbers,
        (1..=all.len()).collect::<Vec<_>>(),
        "{edition}: figure numbers"
    );
    all
}

/// Whether `name` is printed whole in `texts`, wrapped or not.
fn printed_whole(texts: &[String], name: &str) -> bool {
    let squash = |s: &str| s.split_whitespace().collect::<String>();
    squash(&texts.concat()).contains(&squash(name))
}

/// The texts of unit `id`'s one chart: against its peers, or without
/// peers, against the thresholds alone.
fn unit_chart<'a>(charts: &'a [(String, Vec<String>)], id: &str) -> &'a [String] {
    let peers = format!("charts/peers-{id}.svg");
    if charts.iter().any(|(f, _)| *f == peers) {
        texts_of(charts, &peers)
    } else {
        texts_of(charts, &format!("charts/eenheid-{id}.svg"))
    }
}

fn texts_of<'a>(charts: &'a [(String, Vec<String>)], file: &str) -> &'a [String] {
    &charts
        .iter()
        .find(|(f, _)| f == file)
        .unwrap_or_else(|| panic!("no {file}"))
        .1
}

#[test]
fn charts_of_2010_and_2012_print_legibly() {
    let dir = tempfile::tempdir().unwrap();
    for year in ["2010", "2012"] {
        let data = root().join("data").join(year);
        let charts = check_charts(dir.path(), data.to_str().unwrap());
        assert!(charts.iter().any(|(f, _)| f.starts_with("charts/peers-")));
        if year == "2010" {
            let partners = texts_of(&charts, "charts/ketenpartners.svg");
            assert!(
                printed_whole(partners, "Expertisecentrum Mensenhandel en Mensensmokkel"),
                "{partners:?}"
            );
            // The thresholds are named once, in the legend, in the chart
            // against the peers and in the one against the thresholds
            // alone (the KLPD's group of two has no spread).
            for id in ["groningen", "klpd"] {
                let chart = unit_chart(&charts, id);
                assert_eq!(
                    chart.iter().filter(|t| t.contains("norm")).count(),
                    1,
                    "{id}: {chart:?}"
                );
            }
            assert!(
                charts
                    .iter()
                    .all(|(f, _)| f != "charts/eenheid-groningen.svg")
            );
        }
    }
}

#[test]
fn charts_of_150_units_print_legibly() {
    let dir = tempfile::tempdir().unwrap();
    let r = run(dir.path(), &["generate", "syn", "--units", "150"]);
    assert_eq!(r.code, 0, "{}", r.stderr);
    let charts = check_charts(dir.path(), "syn");
    let parts = charts
        .iter()
        .filter(|(f, _)| f.starts_with("charts/kerncijfers"))
        .count();
    assert!(parts > 1, "{parts} key-figures parts");
    // One chart per unit.
    assert_eq!(
        charts
            .iter()
            .filter(|(f, _)| f.starts_with("charts/eenheid-") || f.starts_with("charts/peers-"))
            .count(),
        150
    );
}

#[test]
fn the_inspection_finds_small_overlapping_crossed_and_cut_text() {
    // The faults of the charts before these rules: a 5 pt label under a
    // threshold line, a line through a value, two labels on one another,
    // a name cut with an ellipsis and one running out of the drawing.
    let svg = r##"<svg width="640" height="100" viewBox="0 0 640 100" xmlns="http://www.w3.org/2000/svg">
<rect x="0" y="0" width="640" height="100" opacity="1" fill="#FFFFFF" stroke="none"/>
<polyline fill="none" opacity="1" stroke="#222222" stroke-width="2" points="300,10 300,40 "/>
<text x="300" y="40" dy="0.76em" text-anchor="middle" font-family="Noto Sans" font-size="7.258064516129032" opacity="1" fill="#767676">
norm
</text>
<text x="290" y="25" dy="0.5ex" text-anchor="start" font-family="Noto Sans" font-size="11" opacity="1" fill="#222222">
65,0%
</text>
<text x="100" y="80" dy="0.5ex" text-anchor="start" font-family="Noto Sans" font-size="11" opacity="1" fill="#222222">
Vergund
</text>
<text x="110" y="82" dy="0.5ex" text-anchor="start" font-family="Noto Sans" font-size="11" opacity="1" fill="#222222">
Opsporing
</text>
<text x="630" y="80" dy="0.5ex" text-anchor="start" font-family="Noto Sans" font-size="11" opacity="1" fill="#222222">
Expertisecentrum Mensenhandel en Mens…
</text>
</svg>
"##;
    let found = problems("test.svg", &parse(svg, &Glyphs::load()), 16.0);
    for fault in [
        "\"norm\" is 5.1 pt at print size",
        "a line crosses \"65,0%\"",
        "\"Vergund\" overlaps \"Opsporing\"",
        "\"Expertisecentrum Mensenhandel en Mens…\" is cut",
        "\"Expertisecentrum Mensenhandel en Mens…\" runs out of the drawing",
    ] {
        assert!(
            found.iter().any(|f| f.contains(fault)),
            "{fault} not found in {found:#?}"
        );
    }
    assert_eq!(found.len(), 5, "{found:#?}");
}

/// Replaces `from` by `to` in the file `path`, which must hold it.
fn replace(path: &Path, from: &str, to: &str) {
    let text = std::fs::read_to_string(path).unwrap();
    assert!(text.contains(from), "{} lacks {from:?}", path.display());
    std::fs::write(path, text.replacen(from, to, 1)).unwrap();
}

#[test]
fn long_names_and_numbers_wrap_whole_and_print_legibly() {
    let dir = tempfile::tempdir().unwrap();
    let r = run(dir.path(), &["generate", "syn", "--units", "4"]);
    assert_eq!(r.code, 0, "{}", r.stderr);
    let syn = dir.path().join("syn");
    let units = [
        "Regionale Eenheid Expertisecentrum Mensenhandel en Mensensmokkel Noord- en Oost-Gelderland-Zuid",
        "Onafhankelijkheidsverklaringsondertekeningsceremoniecommissievoorzitterschapsverkiezing",
        &"Samenwerkingsverband van gemeenten en politie in de regio ".repeat(3),
    ];
    for (i, name) in units.iter().enumerate() {
        let file = syn.join(format!("units/e0000{}.yaml", i + 1));
        replace(
            &file,
            &format!("name: Eenheid {}", i + 1),
            &format!("name: {}", name.trim()),
        );
    }
    let numbers = syn.join("units/e00004.yaml");
    let text = std::fs::read_to_string(&numbers).unwrap();
    let suspects = text.lines().find(|l| l.contains("suspects:")).unwrap();
    replace(&numbers, suspects, "  suspects: 1234567");
    let shorts = [
        "Toezicht op de vergunde en de niet-vergunde prostitutiebranche",
        "Informatiepositieverbeteringsprogrammaonderdeel",
    ];
    let edition = syn.join("edition.yaml");
    replace(
        &edition,
        "short_name: Toezicht",
        &format!("short_name: {}", shorts[0]),
    );
    replace(
        &edition,
        "short_name: Informatie",
        &format!("short_name: {}", shorts[1]),
    );
    let partner = "Openbaar Ministerie, Landelijk Parket en Functioneel Parket, afdeling Mensenhandel en Mensensmokkel";
    replace(
        &edition,
        "name: Openbaar Ministerie",
        &format!("name: {partner}"),
    );

    let charts = check_charts(dir.path(), "syn");
    let key = texts_of(&charts, "charts/kerncijfers.svg");
    for name in units {
        assert!(printed_whole(key, name), "{name:?} in {key:?}");
    }
    assert!(key.contains(&"1.234.567".to_string()), "{key:?}");
    let unit = unit_chart(&charts, "e00001");
    for short in shorts {
        assert!(printed_whole(unit, short), "{short:?} in {unit:?}");
    }
    let partners = texts_of(&charts, "charts/ketenpartners.svg");
    assert!(printed_whole(partners, partner), "{partners:?}");
}
