//! Charts drawn with plotters into SVG or PNG, written atomically. The font (DejaVu Sans, Bitstream
//! Vera licence, `assets/DejaVuSans-LICENSE.txt`) is compiled in, so no system font is needed.

pub mod caption;
pub mod deals;
pub mod gap;
pub mod timeline;
pub mod welfare;

use std::path::Path;
use std::sync::OnceLock;

use anyhow::Context;
use plotters::style::{FontDesc, FontStyle, IntoFont, RGBColor};

use crate::BadInput;

pub use caption::Caption;

/// The colour of error bars, and of nothing else: each band is one line of it (a polyline with end
/// caps), so the bands of a chart can be counted in its SVG (`stroke="#222222"`).
pub const ERROR_BAR: RGBColor = RGBColor(34, 34, 34);

/// The embedded sans-serif font at `size` pixels.
pub fn font(size: f64) -> FontDesc<'static> {
    ("sans-serif", size).into_font()
}

/// The width of `s` in pixels at `size`, as the bitmap backend draws it.
pub fn text_width(s: &str, size: f64) -> u32 {
    font(size)
        .box_size(s)
        .map(|(w, _)| w)
        .unwrap_or(8 * s.len() as u32)
}

static DEJAVU_SANS: &[u8] = include_bytes!("../../assets/DejaVuSans.ttf");

/// Register the embedded font under the generic family names plotters asks for. Idempotent.
pub fn ensure_fonts() {
    static DONE: OnceLock<()> = OnceLock::new();
    DONE.get_or_init(|| {
        for family in ["sans-serif", "serif", "monospace"] {
            // The bytes are a valid TTF checked by the tests; a failure here would be a build defect.
            if plotters::style::register_font(family, FontStyle::Normal, DEJAVU_SANS).is_err() {
                panic!("embedded font DejaVuSans.ttf is not a valid font");
            }
        }
    });
}

/// The image formats a chart can be written in, from the file extension.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ImageFormat {
    /// Scalable vector graphics (text stays text).
    Svg,
    /// A PNG bitmap.
    Png,
}

impl ImageFormat {
    /// The format for an output path: `.svg` or `.png`, anything else is a `BadInput`.
    pub fn from_path(path: &Path) -> anyhow::Result<Self> {
        match path
            .extension()
            .and_then(|e| e.to_str())
            .map(str::to_ascii_lowercase)
            .as_deref()
        {
            Some("svg") => Ok(ImageFormat::Svg),
            Some("png") => Ok(ImageFormat::Png),
            other => Err(BadInput(format!(
                "{}: expected an output file ending in .svg or .png, found {}",
                path.display(),
                other.map_or("no extension".to_string(), |e| format!(".{e}"))
            ))
            .into()),
        }
    }
}

/// A chart that can draw itself on any plotters backend.
pub trait Chart {
    /// Pixel size (width, height).
    fn size(&self) -> (u32, u32);
    /// Draw on an SVG backend.
    fn draw_svg(
        &self,
        root: &plotters::drawing::DrawingArea<
            plotters::backend::SVGBackend,
            plotters::coord::Shift,
        >,
    ) -> anyhow::Result<()>;
    /// Draw on a bitmap backend.
    fn draw_png(
        &self,
        root: &plotters::drawing::DrawingArea<
            plotters::backend::BitMapBackend,
            plotters::coord::Shift,
        >,
    ) -> anyhow::Result<()>;

    /// The caption of a report figure (scenario, source, date); `None` for a chart that is only
    /// drawn by its own command.
    fn caption(&self) -> Option<&Caption> {
        None
    }

    /// Write `dir/stem.svg` and `dir/stem.png`: the same drawing on both backends.
    fn write_figure(&self, dir: &Path, stem: &str) -> anyhow::Result<()> {
        self.write(&dir.join(format!("{stem}.svg")))?;
        self.write(&dir.join(format!("{stem}.png")))
    }

    /// The Markdown of a figure written by [`Chart::write_figure`] at `path` (relative to
    /// REPORT.md, without extension): the PNG, whose text is drawn with the compiled-in font as the
    /// tests check it (an SVG viewer uses its own), the caption under it and a link to the SVG.
    fn figure(&self, alt: &str, path: &str) -> anyhow::Result<String> {
        let caption = self
            .caption()
            .context("a report figure names its scenario, source and date")?;
        Ok(format!(
            "![{alt}]({path}.png)\n\n{} ([SVG]({path}.svg))\n",
            caption.markdown()
        ))
    }

    /// Render to `out` (.svg or .png), atomically: nothing is left at `out` if drawing fails.
    fn write(&self, out: &Path) -> anyhow::Result<()> {
        use plotters::prelude::IntoDrawingArea;
        ensure_fonts();
        let format = ImageFormat::from_path(out)?;
        let size = self.size();
        match format {
            ImageFormat::Svg => {
                let mut text = String::new();
                {
                    let root = plotters::backend::SVGBackend::with_string(&mut text, size)
                        .into_drawing_area();
                    self.draw_svg(&root)?;
                    root.present()
                        .map_err(|e| anyhow::anyhow!("drawing {}: {e}", out.display()))?;
                }
                crate::output::write_atomic(out, text.as_bytes())
            }
            ImageFormat::Png => {
                let dir = match out.parent() {
                    Some(p) if !p.as_os_str().is_empty() => p.to_path_buf(),
                    _ => std::path::PathBuf::from("."),
                };
                std::fs::create_dir_all(&dir)
                    .with_context(|| format!("creating {}", dir.display()))?;
                let name = out
                    .file_name()
                    .map(|n| n.to_string_lossy().into_owned())
                    .unwrap_or_default();
                // The bitmap backend writes the file itself: draw into a hidden sibling, then rename.
                let tmp = dir.join(format!(".{name}.{}.tmp.png", std::process::id()));
                let result = (|| -> anyhow::Result<()> {
                    {
                        let root =
                            plotters::backend::BitMapBackend::new(&tmp, size).into_drawing_area();
                        self.draw_png(&root)?;
                        root.present()
                            .map_err(|e| anyhow::anyhow!("drawing {}: {e}", out.display()))?;
                    }
                    std::fs::rename(&tmp, out).with_context(|| format!("writing {}", out.display()))
                })();
                if result.is_err() {
                    let _ = std::fs::remove_file(&tmp);
                }
                result
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn font_is_registered_and_measures_text() {
        ensure_fonts();
        let (w, h) = plotters::prelude::IntoFont::into_font(("sans-serif", 20.0))
            .box_size("Vietnam")
            .unwrap();
        assert!(w > 40 && w < 120, "{w}");
        assert!(h > 10, "{h}");
    }

    #[test]
    fn format_from_extension() {
        assert_eq!(
            ImageFormat::from_path(Path::new("a/b.SVG")).unwrap(),
            ImageFormat::Svg
        );
        assert_eq!(
            ImageFormat::from_path(Path::new("b.png")).unwrap(),
            ImageFormat::Png
        );
        let e = ImageFormat::from_path(Path::new("b.jpg"))
            .unwrap_err()
            .to_string();
        assert_eq!(
            e,
            "b.jpg: expected an output file ending in .svg or .png, found .jpg"
        );
    }
}
