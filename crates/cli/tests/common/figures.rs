//! The figures of a report folder: every `![alt](PATH.png)` of REPORT.md, its PNG decoded and its
//! outer frame checked for ink (a label cut at an edge), its SVG's text and its caption.

use std::path::Path;

/// How wide the frame is that must be all background, pixels.
pub const FRAME: usize = 8;

/// A decoded image, RGB, row by row.
pub struct Image {
    pub width: usize,
    pub height: usize,
    rgb: Vec<u8>,
}

impl Image {
    /// Decode the PNG at `path` (8-bit RGB or RGBA; alpha is dropped).
    pub fn read(path: &Path) -> Image {
        let file = std::fs::File::open(path).unwrap_or_else(|e| panic!("{}: {e}", path.display()));
        let mut decoder = png::Decoder::new(file);
        decoder.set_transformations(png::Transformations::EXPAND | png::Transformations::STRIP_16);
        let mut reader = decoder.read_info().unwrap();
        let mut buf = vec![0; reader.output_buffer_size()];
        let info = reader.next_frame(&mut buf).unwrap();
        let channels = info.color_type.samples();
        assert!(channels >= 3, "{}: {:?}", path.display(), info.color_type);
        let rgb = buf[..info.buffer_size()]
            .chunks(channels)
            .flat_map(|p| [p[0], p[1], p[2]])
            .collect();
        Image {
            width: info.width as usize,
            height: info.height as usize,
            rgb,
        }
    }

    fn pixel(&self, x: usize, y: usize) -> [u8; 3] {
        let i = 3 * (y * self.width + x);
        [self.rgb[i], self.rgb[i + 1], self.rgb[i + 2]]
    }

    /// The part `width` x `height` from (x0, y0): the canvas of a chart that ended too early.
    pub fn crop(&self, x0: usize, y0: usize, width: usize, height: usize) -> Image {
        let mut rgb = Vec::with_capacity(3 * width * height);
        for y in y0..y0 + height {
            for x in x0..x0 + width {
                rgb.extend(self.pixel(x, y));
            }
        }
        Image { width, height, rgb }
    }

    /// The sides whose outer `px` pixels are not all the background (white, which every chart
    /// fills first), each with its count of other pixels: a label (or anything) cut at that edge.
    pub fn ink_at_edges(&self, px: usize) -> Vec<(&'static str, usize)> {
        let (w, h) = (self.width, self.height);
        let count = |xs: std::ops::Range<usize>, ys: std::ops::Range<usize>| {
            ys.flat_map(|y| xs.clone().map(move |x| (x, y)))
                .filter(|&(x, y)| self.pixel(x, y) != [255, 255, 255])
                .count()
        };
        [
            ("top", count(0..w, 0..px)),
            ("bottom", count(0..w, h - px..h)),
            ("left", count(0..px, 0..h)),
            ("right", count(w - px..w, 0..h)),
        ]
        .into_iter()
        .filter(|&(_, n)| n > 0)
        .collect()
    }
}

/// The figures REPORT.md shows: the path, without extension, of every `![alt](PATH.png)`.
pub fn figures(md: &str) -> Vec<String> {
    md.lines()
        .filter(|l| l.starts_with("!["))
        .filter_map(|l| l.split("](").nth(1))
        .filter_map(|rest| rest.strip_suffix(".png)"))
        .map(str::to_string)
        .collect()
}

/// The text of an SVG: every `<text>` element's content, unescaped, joined with spaces.
pub fn svg_text(svg: &str) -> String {
    let mut out = Vec::new();
    for part in svg.split("<text").skip(1) {
        let Some(start) = part.find('>') else {
            continue;
        };
        let body = &part[start + 1..];
        let end = body.find("</text>").unwrap_or(body.len());
        out.push(body[..end].trim().to_string());
    }
    out.join(" ")
        .replace("&lt;", "<")
        .replace("&gt;", ">")
        .replace("&quot;", "\"")
        .replace("&apos;", "'")
        .replace("&amp;", "&")
}

/// Whether `s` holds a date written YYYY-MM-DD.
pub fn has_date(s: &str) -> bool {
    let b = s.as_bytes();
    let digits = |r: std::ops::Range<usize>| r.into_iter().all(|i| b[i].is_ascii_digit());
    (0..b.len().saturating_sub(9)).any(|i| {
        digits(i..i + 4)
            && b[i + 4] == b'-'
            && digits(i + 5..i + 7)
            && b[i + 7] == b'-'
            && digits(i + 8..i + 10)
    })
}

/// Check every figure of the report in `out` (REPORT.md's text `md`): its PNG has no ink in its
/// outer frame, its SVG's text and the paragraph under it in REPORT.md name the scenario, the
/// source and a date. Returns each figure's path and SVG text.
pub fn assert_figures_whole(out: &Path, md: &str) -> Vec<(String, String)> {
    let mut seen = Vec::new();
    for path in figures(md) {
        let image = Image::read(&out.join(format!("{path}.png")));
        let cut = image.ink_at_edges(FRAME);
        assert!(
            cut.is_empty(),
            "{path}.png: ink within {FRAME} px of the edge: {cut:?}"
        );
        let svg = std::fs::read_to_string(out.join(format!("{path}.svg"))).unwrap();
        let text = svg_text(&svg);
        for word in ["Scenario: ", "Source: ", "Date: "] {
            assert!(text.contains(word), "{path}.svg: no {word:?} in {text}");
        }
        assert!(has_date(&text), "{path}.svg: no date in {text}");
        let image_line = format!("]({path}.png)");
        let under = md
            .split(&image_line)
            .nth(1)
            .and_then(|rest| rest.trim_start().lines().next())
            .unwrap_or_default();
        assert!(
            under.starts_with("*Scenario:* ")
                && under.contains(" *Source:* ")
                && under.contains(" *Date:* ")
                && has_date(under)
                && under.ends_with(&format!("([SVG]({path}.svg))")),
            "{path}: the line under the figure is {under:?}"
        );
        seen.push((path, text));
    }
    assert!(!seen.is_empty(), "no figure in REPORT.md");
    seen
}
